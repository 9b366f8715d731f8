//! Arbitrary bytes as a Terraform file (HCL, then JSON syntax) evaluated as a root module, and
//! joined into the provider model: parsing, evaluation, limits and the model's views. Nothing
//! may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_cloud::terraform::{Limits, NoModuleFiles, evaluate, parse_file};
use rampart_cloud::CloudModel;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let limits = Limits {
        max_instances: 64,
        max_module_depth: 4,
        max_resources: 4096,
    };
    for name in ["main.tf", "main.tf.json", "terraform.tfvars"] {
        let Ok(file) = parse_file(name, "/fuzz", name, &text, &Default::default()) else {
            continue;
        };
        let evaluated = evaluate(&[file], &[], &NoModuleFiles, &|f: &str| f.to_owned(), &limits);
        let _ = CloudModel::new(evaluated.resources, evaluated.errors);
    }
});
