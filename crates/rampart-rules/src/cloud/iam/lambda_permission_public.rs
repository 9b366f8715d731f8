use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

/// What limits who may use a Lambda permission granted to `*`.
const LIMITS: [&str; 3] = ["source_arn", "source_account", "principal_org_id"];

declare_rule! {
    /// ## What it checks
    /// Lambda functions that anyone may invoke: an `aws_lambda_permission`
    /// (`AWS::Lambda::Permission`) whose principal is `*` with no `source_arn`,
    /// `source_account` or `principal_org_id` to limit it, and function URLs
    /// (`aws_lambda_function_url`) whose `authorization_type` is `NONE`.
    ///
    /// ## Why it matters
    /// The function runs with its execution role for whoever calls it: its code becomes a
    /// public API over the role's permissions, and every call is billed to the account.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lambda_permission" "hook" {
    ///   action        = "lambda:InvokeFunction"
    ///   function_name = aws_lambda_function.hook.function_name
    ///   principal     = "*"
    /// }
    /// ```
    /// Use instead: the service and the source that call it.
    /// ```hcl
    ///   principal  = "apigateway.amazonaws.com"
    ///   source_arn = "${aws_api_gateway_rest_api.api.execution_arn}/*"
    /// ```
    pub struct LambdaPermissionPublic {
        code: "C110",
        name: "lambda-permission-public",
        title: "Lambda function may be invoked by anyone",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Iam,
        references: refs![Mitre: ["T1190"], Cwe: ["CWE-284"]],
        equivalents: &["checkov:CKV_AWS_301", "checkov:CKV_AWS_258"],
    }
}

impl Check<Resources> for LambdaPermissionPublic {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let resource = target.resource;
        match resource.kind.as_str() {
            "aws_lambda_permission" => {
                let limited = LIMITS
                    .iter()
                    .any(|key| resource.get(key).is_some_and(|v| !v.is_null()));
                if resource.str("principal") == Some("*") && !limited {
                    hits.push(Hit::new(
                        "/principal",
                        "anyone may invoke the function: name the calling service and its `source_arn`",
                    ));
                }
            }
            "aws_lambda_function_url" if resource.str("authorization_type") == Some("NONE") => {
                hits.push(Hit::new(
                    "/authorization_type",
                    "the function URL takes unauthenticated calls: use `AWS_IAM`",
                ));
            }
            _ => {}
        }
    }
}
