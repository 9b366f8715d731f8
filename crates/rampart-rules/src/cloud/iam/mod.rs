//! AWS IAM rules (C1xx), each asking the evaluator of `rampart-iam` what a holder of
//! permissions (a principal with all its policies, an unattached managed policy, a resource
//! policy) allows, so that a Deny, a `NotAction`, a boundary or a condition counts exactly as
//! AWS counts it; and the IAM grants of GCP and Azure, read from their resources.

mod azure_custom_role_wildcard;
mod azure_privileged_role;
mod credential_access;
mod full_admin;
mod gcp_impersonation;
mod gcp_primitive_role;
mod gcp_public_member;
mod gcp_service_account_key;
mod iam_write;
mod lambda_permission_public;
mod pass_role;
mod resource_policy_public;
mod self_escalation;
mod takeover;
mod trust_any_principal;
mod trust_without_external_id;

pub(crate) use azure_custom_role_wildcard::*;
pub(crate) use azure_privileged_role::*;
pub(crate) use credential_access::*;
pub(crate) use full_admin::*;
pub(crate) use gcp_impersonation::*;
pub(crate) use gcp_primitive_role::*;
pub(crate) use gcp_public_member::*;
pub(crate) use gcp_service_account_key::*;
pub(crate) use iam_write::*;
pub(crate) use lambda_permission_public::*;
pub(crate) use pass_role::*;
pub(crate) use resource_policy_public::*;
pub(crate) use self_escalation::*;
pub(crate) use takeover::*;
pub(crate) use trust_any_principal::*;
pub(crate) use trust_without_external_id::*;

use rampart_core::Severity;
use rampart_iam::Tri;
use rampart_iam::escalation::Category;

use crate::{Hit, IamTarget};

/// One hit per escalation method of `category` the holder has: the method, its permissions
/// and the statements that grant each. Under a condition (a `Condition`, some resources
/// only), one level lower.
fn escalation_hits(
    target: &IamTarget<'_>,
    category: Category,
    severity: Severity,
    hits: &mut Vec<Hit>,
) {
    for held in &target.analysis().escalations {
        if held.method.category != category {
            continue;
        }
        let method = held.method;
        let mut deciding = Vec::new();
        for statement in held.permissions.iter().flat_map(|(_, d)| &d.statements) {
            if !deciding.contains(statement) {
                deciding.push(statement.clone());
            }
        }
        let mut message = format!(
            "{} ({}): {} {}",
            method.permissions.join(" + "),
            method.id,
            holder_name(target),
            method.how
        );
        let mut hit_severity = severity;
        if held.tri == Tri::Maybe {
            message.push_str(", under the conditions of the statements below");
            hit_severity = lower(severity);
        }
        hits.push(
            Hit::new("", message)
                .with_severity(hit_severity)
                .with_evidence(target.evidence(&deciding))
                .with_identity(method.id),
        );
    }
}

/// How messages name the holder: "the role", "whoever holds this policy".
fn holder_name(target: &IamTarget<'_>) -> &'static str {
    use crate::Holder;
    use rampart_iam::account::PrincipalKind;
    match target.holder {
        Holder::Principal(p) => match p.kind {
            PrincipalKind::User => "the user",
            PrincipalKind::Role => "the role",
            PrincipalKind::Group => "a member of the group",
        },
        Holder::Policy(_) => "whoever holds this policy",
        Holder::Resource(_) => "the resource policy",
    }
}

/// One severity down, for what holds only under a condition.
fn lower(severity: Severity) -> Severity {
    match severity {
        Severity::Critical => Severity::High,
        Severity::High => Severity::Medium,
        _ => Severity::Low,
    }
}

/// An account no configuration declares: a caller from it is anyone outside.
const OUTSIDE: &str = "000000000000";

/// A caller from outside the account, for asking what a resource policy lets anyone do.
fn outside_caller(partition: &str) -> rampart_iam::Caller {
    rampart_iam::Caller::role(partition, OUTSIDE, "anyone")
}

/// Condition keys that restrict who may make a request (the caller, its organization, the
/// network or resource it comes from, a secret it must know): an allow under a positive
/// condition on one of them is not open to everyone.
const RESTRICTING_KEYS: &[&str] = &[
    "aws:calledvia",
    "aws:calledviafirst",
    "aws:calledvialast",
    "aws:ec2instancesourceprivateipv4",
    "aws:ec2instancesourcevpc",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalisawsservice",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalservicename",
    "aws:principalservicenameslist",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceip",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceowner",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:userid",
    "aws:username",
    "aws:viaawsservice",
    "aws:vpceaccount",
    "aws:vpceorgid",
    "aws:vpceorgpaths",
    "ec2:sourceinstancearn",
    "kms:calleraccount",
    "kms:viaservice",
    "lambda:sourcefunctionarn",
    "s3:dataaccesspointaccount",
    "s3:dataaccesspointarn",
    "ssm:sourceinstancearn",
    "sts:externalid",
];

/// Whether a condition limits who may make a request: a positive operator (not `Not...`,
/// not `...IfExists`, which holds when the key is absent) on a restricting key, or on the
/// audience or subject of a web identity token (`token.actions.githubusercontent.com:sub`).
fn restricts_callers(condition: &rampart_iam::policy::Condition) -> bool {
    let operator = condition
        .operator
        .trim_start_matches("ForAnyValue:")
        .trim_start_matches("ForAllValues:");
    let positive =
        !operator.contains("Not") && !operator.ends_with("IfExists") && operator != "Null";
    let key = condition.key.to_ascii_lowercase();
    let token_claim = [":sub", ":aud", ":oaud", ":amr"]
        .iter()
        .any(|claim| key.ends_with(claim))
        && !key.starts_with("aws:");
    positive && (RESTRICTING_KEYS.contains(&key.as_str()) || token_claim)
}

/// The policy as it applies to anyone: allows limited to some callers dropped, the other
/// conditions of allows taken as met (anyone can meet them); denies kept as written.
fn as_open_to_anyone(policy: &rampart_iam::Policy) -> rampart_iam::Policy {
    use rampart_iam::Effect;
    let mut open = policy.clone();
    open.statements
        .retain(|s| s.effect == Effect::Deny || !s.conditions.iter().any(restricts_callers));
    for statement in &mut open.statements {
        if statement.effect == Effect::Allow {
            statement.conditions.clear();
        }
    }
    open
}

/// One GCP IAM grant a resource declares: a role given to a member on what the resource
/// type names (a project, a folder, a bucket, a service account).
struct GcpGrant {
    role: String,
    member: String,
    /// Where the member (or the policy holding it) is written.
    pointer: String,
    /// `project`, `folder`, `organization`, `service_account`, `storage_bucket`, ...
    scope: String,
}

impl GcpGrant {
    /// What the grant is on, for people: `project`, `storage bucket`.
    fn on(&self) -> String {
        self.scope.replace('_', " ")
    }
}

/// The grants of `google_*_iam_member`, `google_*_iam_binding` and `google_*_iam_policy`
/// resources (a policy's `policy_data` read as the JSON it holds).
fn gcp_grants(resource: &rampart_cloud::Resource) -> Vec<GcpGrant> {
    let kind = resource.kind.as_str();
    let Some(scope) = kind.strip_prefix("google_").and_then(|rest| {
        ["_iam_member", "_iam_binding", "_iam_policy"]
            .iter()
            .find_map(|suffix| rest.strip_suffix(suffix))
    }) else {
        return Vec::new();
    };
    let grant = |role: &str, member: &str, pointer: String| GcpGrant {
        role: role.to_owned(),
        member: member.to_owned(),
        pointer,
        scope: scope.to_owned(),
    };
    let mut grants = Vec::new();
    let role = resource.str("role").unwrap_or_default();
    if let Some(member) = resource.str("member") {
        grants.push(grant(role, member, "/member".to_owned()));
    }
    for (index, member) in resource
        .get("members")
        .map(|m| m.items())
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        if let Some(member) = member.as_str() {
            grants.push(grant(role, member, format!("/members/{index}")));
        }
    }
    let policy = resource.get("policy_data").and_then(|p| p.decoded_json());
    for binding in policy
        .as_ref()
        .and_then(|p| p.get("bindings"))
        .and_then(|b| b.as_array())
        .into_iter()
        .flatten()
    {
        let role = binding
            .get("role")
            .and_then(|r| r.as_str())
            .unwrap_or_default();
        for member in binding
            .get("members")
            .and_then(|m| m.as_array())
            .into_iter()
            .flatten()
            .filter_map(|m| m.as_str())
        {
            grants.push(grant(role, member, "/policy_data".to_owned()));
        }
    }
    grants
}
