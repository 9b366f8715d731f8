//! The answer of `rampart iam can-i`: whether an AWS principal the configuration declares may
//! make a request, evaluated as AWS evaluates it (every identity-based policy of the
//! principal and its groups, its permissions boundary, the resource's policy, a role's trust
//! policy), with the statements that decide; the shape of its JSON, as `docs/json-iam.md`
//! documents it.

use std::io::{self, Write};
use std::path::Path;

use rampart_cloud::CloudModel;
use rampart_iam::account::{Account, Principal};
use rampart_iam::pattern::ASSIGNED;
use rampart_iam::{Deciding, Policies, PolicyKind, Request, Resource, ResourcePolicy, evaluate};
pub use rampart_iam::{Effect, Tri, Verdict};
use rampart_rules::{account_of, statement_location};
use rampart_source::{Limits, Target};
use serde::Serialize;

/// The version of the contract of `iam can-i`'s JSON; raised by a change that breaks its
/// readers.
pub const SCHEMA_VERSION: u32 = 1;

/// The cloud model of the files and folders `targets` name, each file within `limits`.
pub fn read_model(targets: &[Target], limits: &Limits) -> anyhow::Result<CloudModel> {
    let inventory = crate::read(targets, limits)?;
    Ok(crate::cloud::model(&inventory, Vec::new(), limits))
}

/// A question as the command line asks it.
pub struct CanIQuery<'a> {
    /// `user/NAME`, `role/NAME`, `group/NAME`, or an address (`aws_iam_role.app`).
    pub principal: &'a str,
    /// `service:Action`.
    pub action: &'a str,
    /// An ARN, an address (`aws_kms_key.app`), or `*` for every resource.
    pub resource: &'a str,
}

/// The principal asked about, where it is declared.
#[derive(Serialize)]
pub struct PrincipalEntry {
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub address: String,
    pub arn: String,
    pub path: String,
    pub line: u32,
}

/// A statement that decides the answer, where it is declared.
#[derive(Serialize)]
pub struct StatementEntry {
    /// The policy: a Terraform address or logical id, an AWS managed policy's ARN.
    pub policy: String,
    pub kind: PolicyKind,
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub effect: Effect,
    /// `yes`: applies in every request context; `maybe`: only under `conditions`.
    pub applies: Tri,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// Where the statement (or its policy) is declared; absent for AWS managed policies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// `iam can-i`: the verdict, the statements that decide it and why.
#[derive(Serialize)]
pub struct CanIReport {
    pub schema_version: u32,
    /// `allowed` (in every request context), `conditional`, `denied`.
    pub verdict: Verdict,
    /// Whether the request is allowed in every request context (exit code 0).
    pub allowed: bool,
    pub principal: PrincipalEntry,
    pub action: String,
    /// The resource's ARN as evaluated, or `*` for every resource.
    pub resource: String,
    /// The account the configuration declares; absent when it declares none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub statements: Vec<StatementEntry>,
    pub reasons: Vec<String>,
    pub notes: Vec<String>,
}

/// Answers `query` from the cloud model; an error for a question that cannot be read (an
/// unknown principal or resource, an action that is not `service:Action`).
pub fn can_i(model: &CloudModel, query: &CanIQuery<'_>) -> Result<CanIReport, String> {
    let account = account_of(model);
    let principal = account.find(query.principal).ok_or_else(|| {
        let known: Vec<String> = account
            .principals
            .iter()
            .filter_map(|p| p.arn_name().or_else(|| Some(p.address.clone())))
            .collect();
        format!(
            "no principal `{}` in the configuration (principals: {})",
            query.principal,
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        )
    })?;
    check_action(query.action)?;
    let mut notes = Vec::new();
    let target = resolve_resource(model, &account, query.resource, &mut notes)?;
    let caller = account.caller(principal);
    let mut policies: Policies<'_> = account.policies(principal);
    policies.resource = target.policy;
    if account.id.is_empty() {
        notes.push(
            "the configuration declares no account (`allowed_account_ids`): principals naming any account may be this one"
                .to_owned(),
        );
    }
    let resource = match target.arn.as_deref() {
        Some(arn) => Resource::Arn(arn),
        None => Resource::Every,
    };
    let request = Request {
        caller: &caller,
        action: query.action,
        resource,
    };
    let decision = evaluate(&request, &policies);
    let statements = decision
        .statements
        .iter()
        .map(|d| statement_entry(model, &account, d))
        .collect();
    Ok(CanIReport {
        schema_version: SCHEMA_VERSION,
        verdict: decision.verdict,
        allowed: decision.verdict == Verdict::Allowed,
        principal: principal_entry(model, &account, principal),
        action: query.action.to_owned(),
        resource: target
            .arn
            .map_or_else(|| "*".to_owned(), |arn| arn.replace(ASSIGNED, "<assigned>")),
        account: (!account.id.is_empty()).then(|| account.id.clone()),
        statements,
        reasons: decision.reasons,
        notes,
    })
}

/// `service:Action`, without wildcards: a request names one action.
fn check_action(action: &str) -> Result<(), String> {
    let valid = action.split_once(':').is_some_and(|(service, name)| {
        !service.is_empty()
            && !name.is_empty()
            && service
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
            && name.chars().all(|c| c.is_ascii_alphanumeric())
    });
    match valid {
        true => Ok(()),
        false => Err(format!(
            "`{action}` is not an action: write `service:Action` (`s3:GetObject`), without wildcards"
        )),
    }
}

/// The resource a question names: its ARN (unknown for `*`) and the policy attached to it.
struct Asked<'a> {
    arn: Option<String>,
    policy: Option<ResourcePolicy<'a>>,
}

fn resolve_resource<'a>(
    model: &CloudModel,
    account: &'a Account,
    resource: &str,
    notes: &mut Vec<String>,
) -> Result<Asked<'a>, String> {
    if resource == "*" {
        return Ok(Asked {
            arn: None,
            policy: None,
        });
    }
    if resource.starts_with("arn:") {
        let policy = policy_of(account, |arn, _| arn == Some(resource));
        return Ok(Asked {
            arn: Some(resource.to_owned()),
            policy,
        });
    }
    // An address: a role (its trust policy), or a resource with a policy.
    if let Some(role) = account.find(resource) {
        let arn = account.caller(role).arn;
        return Ok(Asked {
            arn: Some(arn),
            policy: account.trust(role),
        });
    }
    let index = model
        .resources
        .iter()
        .position(|r| r.address == resource && !r.data)
        .ok_or_else(|| format!("no resource `{resource}` in the configuration"))?;
    let declared = &model.resources[index];
    let arn = match declared.str("arn") {
        Some(arn) => Some(arn.to_owned()),
        None => {
            let template = arn_template(model, account, declared);
            notes.push(match template {
                Some(_) => format!(
                    "parts of the ARN of {resource} are assigned by AWS at creation or not known: allowed only if allowed whatever they are"
                ),
                None => format!(
                    "the ARN of {resource} is not known: asked for every resource its policy covers"
                ),
            });
            template
        }
    };
    let policy = policy_of(account, |_, target| target == Some(index));
    Ok(Asked { arn, policy })
}

/// The ARN AWS gives a resource of a common type, with the parts it assigns at creation or
/// that are not known statically marked [`ASSIGNED`].
fn arn_template(
    model: &CloudModel,
    account: &Account,
    declared: &rampart_cloud::Resource,
) -> Option<String> {
    let assigned = ASSIGNED.to_string();
    let known = |key: &str| declared.str(key).map_or(assigned.clone(), str::to_owned);
    let region = model
        .resources
        .iter()
        .filter(|r| r.data && r.kind == "aws_region")
        .find_map(|r| r.str("name"))
        .map_or(assigned.clone(), str::to_owned);
    let partition = if account.partition.is_empty() {
        "aws"
    } else {
        &account.partition
    };
    let id = if account.id.is_empty() {
        assigned.clone()
    } else {
        account.id.clone()
    };
    let regional =
        |service: &str, rest: String| format!("arn:{partition}:{service}:{region}:{id}:{rest}");
    Some(match declared.kind.as_str() {
        "aws_kms_key" => regional("kms", format!("key/{assigned}")),
        "aws_instance" => regional("ec2", format!("instance/{assigned}")),
        "aws_s3_bucket" => format!("arn:{partition}:s3:::{}", known("bucket")),
        "aws_sqs_queue" => regional("sqs", known("name")),
        "aws_sns_topic" => regional("sns", known("name")),
        "aws_lambda_function" => regional("lambda", format!("function:{}", known("function_name"))),
        "aws_ecr_repository" => regional("ecr", format!("repository/{}", known("name"))),
        "aws_secretsmanager_secret" => regional(
            "secretsmanager",
            format!("secret:{}-{assigned}", known("name")),
        ),
        "aws_dynamodb_table" => regional("dynamodb", format!("table/{}", known("name"))),
        _ => return None,
    })
}

/// The resource policy protecting a resource, chosen by its ARN or its declaration.
fn policy_of<'a>(
    account: &'a Account,
    matches: impl Fn(Option<&str>, Option<usize>) -> bool,
) -> Option<ResourcePolicy<'a>> {
    let attached = account
        .resource_policies
        .iter()
        .find(|r| matches(r.arn.as_deref(), r.target.map(|t| t.resource)))?;
    let policy = attached.document.policy.as_ref().ok()?;
    Some(ResourcePolicy {
        named: rampart_iam::Named {
            name: &attached.document.name,
            policy,
        },
        required: attached.service == "kms",
    })
}

fn principal_entry(model: &CloudModel, account: &Account, principal: &Principal) -> PrincipalEntry {
    let declared = &model.resources[principal.origin.resource];
    PrincipalEntry {
        kind: principal.kind.as_str(),
        name: principal.name.clone(),
        address: principal.address.clone(),
        arn: account.caller(principal).arn,
        path: declared.at.path.to_string(),
        line: declared.at.line,
    }
}

fn statement_entry(model: &CloudModel, account: &Account, deciding: &Deciding) -> StatementEntry {
    let place = statement_location(model, account, &deciding.policy, deciding.index);
    StatementEntry {
        policy: deciding.policy.clone(),
        kind: deciding.kind,
        index: deciding.index,
        sid: deciding.sid.clone(),
        effect: deciding.effect,
        applies: deciding.applies,
        conditions: deciding.conditions.clone(),
        path: place.as_ref().map(|at| at.path.to_string()),
        line: place.map(|at| at.line),
    }
}

/// The resource, when the first argument after the action names one (`*`, an ARN, an
/// address that is not a file), and the paths after it.
pub fn split_resource(rest: &[String]) -> (&str, &[String]) {
    match rest.first() {
        Some(first) if is_resource(first) => (first, &rest[1..]),
        _ => ("*", rest),
    }
}

/// `*`, an ARN, or a Terraform address (`aws_kms_key.app`, `module.x.aws_s3_bucket.b`) that
/// is not a file or folder.
pub fn is_resource(arg: &str) -> bool {
    if arg == "*" || arg.starts_with("arn:") {
        return true;
    }
    let address = arg.strip_prefix("data.").unwrap_or(arg);
    let mut parts = address.split('.');
    let (Some(kind), Some(name)) = (parts.next(), parts.next()) else {
        return false;
    };
    let word = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-[]\"".contains(c))
    };
    (kind.contains('_') || kind == "module") && word(kind) && word(name) && !Path::new(arg).exists()
}

pub fn write_text(out: &mut dyn Write, report: &CanIReport) -> io::Result<()> {
    let answer = match report.verdict {
        Verdict::Allowed => "yes",
        Verdict::Conditional => "only under a condition",
        Verdict::Denied => "no",
    };
    writeln!(out, "{answer}")?;
    for statement in &report.statements {
        let sid = statement
            .sid
            .as_deref()
            .map(|s| format!(" {s:?}"))
            .unwrap_or_default();
        let at = match (&statement.path, statement.line) {
            (Some(path), Some(line)) => format!(" ({path}:{line})"),
            _ => String::new(),
        };
        let effect = match statement.effect {
            Effect::Allow => "allowed by",
            Effect::Deny => "denied by",
        };
        writeln!(
            out,
            "  {effect} {} statement {}{sid}{at}",
            statement.policy, statement.index
        )?;
        if statement.applies == Tri::Maybe {
            for condition in &statement.conditions {
                writeln!(out, "    only under {condition}")?;
            }
        }
    }
    for reason in &report.reasons {
        writeln!(out, "  {reason}")?;
    }
    for note in &report.notes {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
}
