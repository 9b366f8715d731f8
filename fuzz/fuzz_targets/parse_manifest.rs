//! Arbitrary bytes through everything a scan does with an untrusted manifest: parsing, object
//! extraction, every rule, and the Pod Security Standards at both levels, oldest and newest
//! version; the same bytes also read as a Compose file, whose build declarations image links
//! follow. Nothing may panic.

#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use rampart_k8s::pod_template;
use rampart_k8s::pss::{Level, Version, evaluate};
use rampart_rules::{RuleOptions, registry};
use rampart_source::{ComposeFile, Inventory, Limits, parse_stream, parse_text};

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
    let (mut documents, _) = parse_stream(&text, &Limits::default());
    let compose_file = (!documents.is_empty()).then(|| ComposeFile {
        path: Arc::from("compose.yaml"),
        root: documents.swap_remove(0).root,
    });
    let mut inventory = Inventory::from(objects);
    inventory.extend(compose_file);
    inventory.errors = errors;
    inventory.files = 1;
    // With an allow-list, so that the registry rule parses every image reference too.
    let mut options = RuleOptions::default();
    options
        .allowed_registries
        .push("registry.example.com".to_owned());
    rampart_rules::run(&inventory, registry(), &options);
});
