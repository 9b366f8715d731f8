//! Untrusted kustomizations: the input is split at NUL bytes into a kustomization file, a
//! patch and two resource files; the build must return objects or an error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_core::MemoryFiles;
use rampart_render::kustomize;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|b| *b == 0);
    let mut files = MemoryFiles::new();
    for name in ["kustomization.yaml", "patch.yaml", "a.yaml", "base/kustomization.yaml"] {
        files.file(&format!("/k/{name}"), parts.next().unwrap_or_default().to_vec());
    }
    if let Ok(rendered) = kustomize::build(&files, "/k") {
        let _ = kustomize::stream(&rendered);
    }
});
