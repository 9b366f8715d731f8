//! Arbitrary text through every lockfile reader, the first byte choosing which. Nothing may
//! panic, and every package must come with the file's path.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_deps::Lockfile;

const NAMES: [&str; 21] = [
    "requirements.txt",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "Cargo.lock",
    "go.mod",
    "go.sum",
    "Gemfile.lock",
    "composer.lock",
    "pom.xml",
    "gradle.lockfile",
    "packages.lock.json",
    "mix.lock",
    "pubspec.lock",
    "renv.lock",
    "cabal.project.freeze",
];

fuzz_target!(|data: &[u8]| {
    let Some((choice, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(*choice) % NAMES.len()];
    let text = String::from_utf8_lossy(rest);
    let reading = Lockfile::of_name(name).unwrap().read(name, &text);
    assert!(reading.packages.iter().all(|p| &*p.found.path == name));
});
