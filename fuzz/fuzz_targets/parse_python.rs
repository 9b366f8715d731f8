//! Arbitrary bytes through the Code layer's Python front-end and analysis: the error-tolerant
//! parse, the re-parse of each top-level definition after an error, the lowering (with its
//! depth cap), and the taint analysis over whatever was lowered. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_code::{Project, python};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let module = python::parse("fuzz/app.py", &text);
    for error in &module.errors {
        assert!(error.span.line >= 1);
    }
    let modules = [module];
    let project = Project::new(modules.iter().collect());
    project.analyse();
});
