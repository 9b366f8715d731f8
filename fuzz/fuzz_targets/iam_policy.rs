//! Arbitrary bytes as an IAM policy document: the parser, then every statement matched against
//! a few requests (wildcards, variables, principals) and the escalation methods. Nothing may
//! panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_iam::escalation::held;
use rampart_iam::{
    Caller, Named, Policies, Policy, Request, Resource, ResourcePolicy, evaluate,
};

fuzz_target!(|data: &[u8]| {
    let Ok(policy) = Policy::from_json(&String::from_utf8_lossy(data)) else {
        return;
    };
    let caller = Caller::user("aws", "123456789012", "alice");
    let policies = Policies {
        identity: vec![Named { name: "p", policy: &policy }],
        boundary: Some(Named { name: "b", policy: &policy }),
        resource: Some(ResourcePolicy {
            named: Named { name: "r", policy: &policy },
            required: false,
        }),
        ..Policies::default()
    };
    for resource in [Resource::Every, Resource::Arn("arn:aws:s3:::b/k:x")] {
        evaluate(&Request { caller: &caller, action: "s3:GetObject", resource }, &policies);
    }
    held(|action| {
        evaluate(&Request { caller: &caller, action, resource: Resource::Every }, &policies)
    });
});
