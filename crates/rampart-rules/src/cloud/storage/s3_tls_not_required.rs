use rampart_core::{Concern, Layer, Severity, refs};

use super::bucket;
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// S3 buckets whose policies do not deny requests made without TLS: no statement with
    /// `Effect: Deny` for every principal, on every action (`s3:*` or `*`), with the condition
    /// `aws:SecureTransport` equal to `false` (`Bool` or `BoolIfExists`). Buckets whose
    /// policies are not known statically are left alone.
    ///
    /// ## Why it matters
    /// S3 accepts plain HTTP on its regional endpoints: a client misconfigured to use it (or
    /// downgraded by someone on its network path) sends objects and request signatures in
    /// clear text. Only a bucket policy makes S3 refuse such requests.
    ///
    /// ## Example
    /// A bucket without a policy, or whose policy only allows.
    ///
    /// Use instead:
    /// ```hcl
    /// data "aws_iam_policy_document" "tls_only" {
    ///   statement {
    ///     effect    = "Deny"
    ///     actions   = ["s3:*"]
    ///     resources = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
    ///     principals {
    ///       type        = "*"
    ///       identifiers = ["*"]
    ///     }
    ///     condition {
    ///       test     = "Bool"
    ///       variable = "aws:SecureTransport"
    ///       values   = ["false"]
    ///     }
    ///   }
    /// }
    /// ```
    pub struct S3TlsNotRequired {
        code: "C305",
        name: "s3-tls-not-required",
        title: "S3 bucket accepts requests without TLS",
        severity: Severity::Medium,
        layer: Layer::Cloud,
        concern: Concern::Storage,
        references: refs![CisAws: ["2.1.1"], Cwe: ["CWE-319"]],
        equivalents: &[],
    }
}

impl Check<Resources> for S3TlsNotRequired {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let Some(bucket) = bucket(target) else {
            return;
        };
        let documents: Vec<serde_json::Value> = bucket
            .policies
            .iter()
            .map(|policy| rampart_cloud::model::iam::json_of(&policy.value))
            .collect();
        if documents.iter().any(has_unknown) {
            return;
        }
        if !documents.iter().any(denies_plain_http) {
            hits.push(Hit::new(
                "",
                "no bucket policy denies requests without TLS: deny `s3:*` when `aws:SecureTransport` is false",
            ));
        }
    }
}

fn has_unknown(json: &serde_json::Value) -> bool {
    match json {
        serde_json::Value::Object(map) => {
            map.contains_key(rampart_cloud::UNKNOWN_KEY) || map.values().any(has_unknown)
        }
        serde_json::Value::Array(items) => items.iter().any(has_unknown),
        _ => false,
    }
}

fn strings(value: Option<&serde_json::Value>) -> Vec<&str> {
    match value {
        Some(serde_json::Value::String(text)) => vec![text],
        Some(serde_json::Value::Array(items)) => items.iter().filter_map(|i| i.as_str()).collect(),
        _ => Vec::new(),
    }
}

fn denies_plain_http(document: &serde_json::Value) -> bool {
    let statements = match document.get("Statement") {
        Some(serde_json::Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    statements.into_iter().any(|statement| {
        let deny = statement.get("Effect").and_then(|e| e.as_str()) == Some("Deny");
        let everyone = match statement.get("Principal") {
            Some(serde_json::Value::String(p)) => p == "*",
            Some(principal) => strings(principal.get("AWS")).contains(&"*"),
            None => false,
        };
        let all_actions = strings(statement.get("Action"))
            .iter()
            .any(|action| *action == "*" || action.eq_ignore_ascii_case("s3:*"));
        let condition = statement.get("Condition");
        let insecure = ["Bool", "BoolIfExists"].iter().any(|test| {
            condition
                .and_then(|c| c.get(*test))
                .and_then(|c| c.get("aws:SecureTransport"))
                .is_some_and(|value| match value {
                    serde_json::Value::Bool(flag) => !flag,
                    other => strings(Some(other))
                        .iter()
                        .any(|v| v.eq_ignore_ascii_case("false")),
                })
        });
        deny && everyone && all_actions && insecure
    })
}
