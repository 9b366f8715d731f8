//! Arbitrary bytes through everything a scan does with an untrusted manifest: parsing, object
//! extraction, every rule, and the Pod Security Standards at both levels, oldest and newest
//! version. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_k8s::pod_template;
use rampart_k8s::pss::{Level, Version, evaluate};
use rampart_rules::{RuleOptions, registry};
use rampart_source::{Inventory, Limits, parse_text};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (objects, errors) = parse_text("fuzz.yaml", &text, &Limits::default());
    for object in &objects {
        if let Some(pod) = pod_template(object) {
            for level in [Level::Baseline, Level::Restricted] {
                for version in [Version::v1(0), Version::LATEST] {
                    evaluate(&pod, level, version);
                }
            }
        }
    }
    let inventory = Inventory {
        objects,
        errors,
        files: 1,
        ..Inventory::default()
    };
    // With an allow-list, so that the registry rule parses every image reference too.
    let mut options = RuleOptions::default();
    options
        .allowed_registries
        .push("registry.example.com".to_owned());
    rampart_rules::run(&inventory, registry(), &options);
});
