//! Arbitrary bytes as a CloudFormation template: YAML with short-form tags or JSON, its
//! intrinsic functions evaluated, and the resources joined into the provider model. Nothing
//! may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_cloud::CloudModel;
use rampart_cloud::cloudformation::parse_template;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let template = parse_template("t.yaml", &text, &Default::default(), "t.yaml");
    let _ = CloudModel::new(template.resources, template.errors);
});
