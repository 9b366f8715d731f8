//! Arbitrary bytes through everything a scan does with an untrusted Dockerfile: the parser
//! (directives, continuations, here-documents, JSON forms, variable substitution), the shell
//! reader for `RUN`, and every rule. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_rules::{RuleOptions, registry};
use rampart_source::{Inventory, parse_dockerfile};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (dockerfile, errors) = parse_dockerfile("Dockerfile", &text);
    let mut inventory = Inventory::from(dockerfile.into_iter().collect::<Vec<_>>());
    inventory.errors = errors;
    inventory.files = 1;
    // With an allow-list, so that the registry rule parses every base image reference too.
    let mut options = RuleOptions::default();
    options
        .allowed_registries
        .push("registry.example.com".to_owned());
    rampart_rules::run(&inventory, registry(), &options);
});
