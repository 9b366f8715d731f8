//! AWS IAM as declared: principals (roles, users, groups) with their inline policies, attached
//! managed policies, trust policy, permissions boundary and group memberships; customer managed
//! policies; resource policies (S3, KMS, SQS, SNS, ECR, Secrets Manager, Lambda).
//!
//! How to get at it: `model.iam.principals` lists every principal; each [`Principal`] holds
//! its [`Document`]s and [`Attachment`]s (resolve `PolicyRef::Declared(i)` with
//! `model.iam.managed[i]`, whose `document` is the policy). `model.iam.resource_policies`
//! holds the policies attached to resources, with the resource they protect. Each document is
//! a `serde_json::Value` exactly as written (Terraform's `jsonencode`, heredocs and
//! `aws_iam_policy_document` data sources rendered, CloudFormation objects as they are), with
//! every part not known statically written `{"$unknown": true}` (see
//! [`crate::UNKNOWN_KEY`]); a whole document that cannot be read (`file(...)`) is that
//! object alone. `resource` fields index `model.resources` (file, line, address).

use crate::model::CloudModel;
use crate::resource::Resource;
use crate::value::Value;

/// IAM as declared in the configurations read.
#[derive(Debug, Clone, Default)]
pub struct Iam {
    pub principals: Vec<Principal>,
    pub managed: Vec<ManagedPolicy>,
    pub resource_policies: Vec<ResourcePolicy>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    Role,
    User,
    Group,
}

impl PrincipalKind {
    /// `role`, `user`, `group`: as in ARNs and in `rampart iam can-i --as`.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Role => "role",
            PrincipalKind::User => "user",
            PrincipalKind::Group => "group",
        }
    }
}

/// A policy document and where it is declared.
#[derive(Debug, Clone)]
pub struct Document {
    pub json: serde_json::Value,
    /// The resource declaring it (index into `model.resources`).
    pub resource: usize,
    /// Where in that resource (`/policy`, `/inline_policy/0/policy`).
    pub pointer: String,
    /// The policy's name, when it has one.
    pub name: Option<String>,
}

/// What an attachment attaches.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicyRef {
    /// A customer managed policy declared in the configuration: index into `Iam::managed`.
    Declared(usize),
    /// A policy named by ARN (`arn:aws:iam::aws:policy/AdministratorAccess`, or another
    /// account's).
    Arn(String),
    /// A policy whose ARN is not known statically.
    Unknown,
}

/// A managed policy attached to a principal (or a permissions boundary).
#[derive(Debug, Clone)]
pub struct Attachment {
    pub policy: PolicyRef,
    /// The resource attaching it (an `aws_iam_role_policy_attachment`, the role itself for
    /// `managed_policy_arns`).
    pub resource: usize,
    pub pointer: String,
}

/// A role, user or group.
#[derive(Debug, Clone)]
pub struct Principal {
    pub kind: PrincipalKind,
    pub resource: usize,
    /// The IAM name, when known.
    pub name: Option<String>,
    /// The IAM path (`/` by default).
    pub path: String,
    pub inline: Vec<Document>,
    pub attached: Vec<Attachment>,
    /// A role's trust policy (who may assume it).
    pub trust: Option<Document>,
    pub boundary: Option<Attachment>,
    /// For a user: the groups it is in (indices into `Iam::principals`).
    pub groups: Vec<usize>,
}

/// A customer managed policy.
#[derive(Debug, Clone)]
pub struct ManagedPolicy {
    pub resource: usize,
    pub name: Option<String>,
    /// Its ARN, when the account is known.
    pub arn: Option<String>,
    pub document: Document,
}

/// A policy attached to a resource.
#[derive(Debug, Clone)]
pub struct ResourcePolicy {
    /// The service (`s3`, `kms`, `sqs`, `sns`, `ecr`, `secretsmanager`, `lambda`).
    pub service: &'static str,
    /// The resource it protects, when it is declared in the configuration.
    pub target: Option<usize>,
    pub document: Document,
}

/// A resource that carries a policy for another resource.
struct PolicyCarrier {
    kind: &'static str,
    /// The attribute holding the policy.
    policy: &'static str,
    /// The attribute naming the protected resource.
    names: &'static str,
    /// The protected resource's types and the attribute its name is compared with.
    targets: &'static [&'static str],
    target_name: &'static str,
    service: &'static str,
}

const fn carrier(
    kind: &'static str,
    policy: &'static str,
    names: &'static str,
    targets: &'static [&'static str],
    target_name: &'static str,
    service: &'static str,
) -> PolicyCarrier {
    PolicyCarrier {
        kind,
        policy,
        names,
        targets,
        target_name,
        service,
    }
}

const RESOURCE_POLICIES: &[PolicyCarrier] = &[
    carrier(
        "aws_s3_bucket_policy",
        "policy",
        "bucket",
        &["aws_s3_bucket"],
        "bucket",
        "s3",
    ),
    carrier(
        "aws_sqs_queue_policy",
        "policy",
        "queue_url",
        &["aws_sqs_queue"],
        "url",
        "sqs",
    ),
    carrier(
        "aws_sqs_queue_policy",
        "policy",
        "queues",
        &["aws_sqs_queue"],
        "url",
        "sqs",
    ),
    carrier(
        "aws_sns_topic_policy",
        "policy",
        "arn",
        &["aws_sns_topic"],
        "arn",
        "sns",
    ),
    carrier(
        "aws_sns_topic_policy",
        "policy",
        "topics",
        &["aws_sns_topic"],
        "arn",
        "sns",
    ),
    carrier(
        "aws_ecr_repository_policy",
        "policy",
        "repository",
        &["aws_ecr_repository"],
        "name",
        "ecr",
    ),
    carrier(
        "aws_secretsmanager_secret_policy",
        "policy",
        "secret_arn",
        &["aws_secretsmanager_secret"],
        "arn",
        "secretsmanager",
    ),
    carrier(
        "AWS::SecretsManager::ResourcePolicy",
        "resource_policy",
        "secret_id",
        &["aws_secretsmanager_secret"],
        "arn",
        "secretsmanager",
    ),
];

/// Resources whose own `policy` attribute is a resource policy.
const OWN_POLICIES: &[(&str, &str)] = &[
    ("aws_s3_bucket", "s3"),
    ("aws_kms_key", "kms"),
    ("aws_sqs_queue", "sqs"),
    ("aws_sns_topic", "sns"),
    ("aws_ecr_repository", "ecr"),
    ("aws_secretsmanager_secret", "secretsmanager"),
];

impl Iam {
    pub(crate) fn of(model: &CloudModel) -> Iam {
        let mut iam = Iam::default();
        for (index, resource) in model.resources.iter().enumerate() {
            if resource.data {
                continue;
            }
            let kind = match resource.kind.as_str() {
                "aws_iam_role" => PrincipalKind::Role,
                "aws_iam_user" => PrincipalKind::User,
                "aws_iam_group" => PrincipalKind::Group,
                _ => continue,
            };
            iam.principals.push(principal(kind, index, resource));
        }
        for (index, resource) in model.of_kind("aws_iam_policy") {
            let name = resource.str("name").map(str::to_owned);
            iam.managed.push(ManagedPolicy {
                resource: index,
                arn: resource.str("arn").map(str::to_owned),
                name,
                document: document(index, resource, "policy"),
            });
        }
        iam.inline_policies(model);
        iam.attachments(model);
        iam.memberships(model);
        iam.resource_policies(model);
        iam
    }

    /// The principal a resource declares.
    pub fn principal_of(&self, resource: usize) -> Option<&Principal> {
        self.principals.iter().find(|p| p.resource == resource)
    }

    fn principals_named(
        &self,
        model: &CloudModel,
        from: &Resource,
        attribute: &str,
        kind: PrincipalKind,
    ) -> Vec<usize> {
        let resource_kind = match kind {
            PrincipalKind::Role => "aws_iam_role",
            PrincipalKind::User => "aws_iam_user",
            PrincipalKind::Group => "aws_iam_group",
        };
        model
            .linked(from, attribute, &[resource_kind], "name")
            .into_iter()
            .filter_map(|resource| self.principals.iter().position(|p| p.resource == resource))
            .collect()
    }

    fn policy_ref(
        &self,
        model: &CloudModel,
        from: &Resource,
        attribute: &str,
        value: &Value,
    ) -> PolicyRef {
        let declared = model.linked(from, attribute, &["aws_iam_policy"], "name");
        if let Some(&resource) = declared.first()
            && let Some(at) = self.managed.iter().position(|m| m.resource == resource)
        {
            return PolicyRef::Declared(at);
        }
        match value.as_str() {
            Some(arn) => PolicyRef::Arn(arn.to_owned()),
            None => PolicyRef::Unknown,
        }
    }

    fn inline_policies(&mut self, model: &CloudModel) {
        for (kind, attribute, principal) in [
            ("aws_iam_role_policy", "role", PrincipalKind::Role),
            ("aws_iam_user_policy", "user", PrincipalKind::User),
            ("aws_iam_group_policy", "group", PrincipalKind::Group),
        ] {
            for (index, resource) in model.of_kind(kind) {
                let policy = document(index, resource, "policy");
                for at in self.principals_named(model, resource, attribute, principal) {
                    self.principals[at].inline.push(policy.clone());
                }
            }
        }
        // CloudFormation's AWS::IAM::Policy: an inline policy for the roles, users and
        // groups it lists.
        for (index, resource) in model.of_kind("AWS::IAM::Policy") {
            let mut policy = document(index, resource, "policy_document");
            policy.name = resource.str("policy_name").map(str::to_owned);
            for (attribute, principal) in [
                ("roles", PrincipalKind::Role),
                ("users", PrincipalKind::User),
                ("groups", PrincipalKind::Group),
            ] {
                for at in self.principals_named(model, resource, attribute, principal) {
                    self.principals[at].inline.push(policy.clone());
                }
            }
        }
    }

    fn attachments(&mut self, model: &CloudModel) {
        for (kind, attribute, principal) in [
            (
                "aws_iam_role_policy_attachment",
                "role",
                PrincipalKind::Role,
            ),
            (
                "aws_iam_user_policy_attachment",
                "user",
                PrincipalKind::User,
            ),
            (
                "aws_iam_group_policy_attachment",
                "group",
                PrincipalKind::Group,
            ),
            ("aws_iam_policy_attachment", "roles", PrincipalKind::Role),
            ("aws_iam_policy_attachment", "users", PrincipalKind::User),
            ("aws_iam_policy_attachment", "groups", PrincipalKind::Group),
        ] {
            for (index, resource) in model.of_kind(kind) {
                let arn = resource.get("policy_arn").cloned().unwrap_or_default();
                let attachment = Attachment {
                    policy: self.policy_ref(model, resource, "policy_arn", &arn),
                    resource: index,
                    pointer: "/policy_arn".to_owned(),
                };
                for at in self.principals_named(model, resource, attribute, principal) {
                    self.principals[at].attached.push(attachment.clone());
                }
            }
        }
        // Lists on the principal itself, and CloudFormation managed policies listing theirs.
        for at in 0..self.principals.len() {
            let index = self.principals[at].resource;
            let resource = &model.resources[index];
            for (position, arn) in resource
                .get("managed_policy_arns")
                .map(Value::items)
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                let policy = match self.policy_ref(model, resource, "managed_policy_arns", arn) {
                    // Several ARNs share one list: a reference decides only for one.
                    PolicyRef::Declared(_)
                        if resource
                            .get("managed_policy_arns")
                            .map_or(0, |l| l.items().len())
                            > 1
                            && arn.as_str().is_some() =>
                    {
                        PolicyRef::Arn(arn.as_str().unwrap_or_default().to_owned())
                    }
                    other => other,
                };
                self.principals[at].attached.push(Attachment {
                    policy,
                    resource: index,
                    pointer: format!("/managed_policy_arns/{position}"),
                });
            }
            if let Some(boundary) = resource
                .get("permissions_boundary")
                .filter(|b| !b.is_null())
            {
                let policy = self.policy_ref(model, resource, "permissions_boundary", boundary);
                self.principals[at].boundary = Some(Attachment {
                    policy,
                    resource: index,
                    pointer: "/permissions_boundary".to_owned(),
                });
            }
        }
        for (managed_at, managed) in self.managed.clone().iter().enumerate() {
            let resource = &model.resources[managed.resource];
            if resource.declared_kind != "AWS::IAM::ManagedPolicy" {
                continue;
            }
            for (attribute, principal) in [
                ("roles", PrincipalKind::Role),
                ("users", PrincipalKind::User),
                ("groups", PrincipalKind::Group),
            ] {
                for at in self.principals_named(model, resource, attribute, principal) {
                    self.principals[at].attached.push(Attachment {
                        policy: PolicyRef::Declared(managed_at),
                        resource: managed.resource,
                        pointer: format!("/{attribute}"),
                    });
                }
            }
        }
    }

    fn memberships(&mut self, model: &CloudModel) {
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for (_, resource) in model.of_kind("aws_iam_group_membership") {
            let groups = self.principals_named(model, resource, "group", PrincipalKind::Group);
            let users = self.principals_named(model, resource, "users", PrincipalKind::User);
            pairs.extend(
                users
                    .iter()
                    .flat_map(|&u| groups.iter().map(move |&g| (u, g))),
            );
        }
        for (_, resource) in model.of_kind("aws_iam_user_group_membership") {
            let users = self.principals_named(model, resource, "user", PrincipalKind::User);
            let groups = self.principals_named(model, resource, "groups", PrincipalKind::Group);
            pairs.extend(
                users
                    .iter()
                    .flat_map(|&u| groups.iter().map(move |&g| (u, g))),
            );
        }
        for (_, resource) in model.of_kind("AWS::IAM::UserToGroupAddition") {
            let groups = self.principals_named(model, resource, "group_name", PrincipalKind::Group);
            let users = self.principals_named(model, resource, "users", PrincipalKind::User);
            pairs.extend(
                users
                    .iter()
                    .flat_map(|&u| groups.iter().map(move |&g| (u, g))),
            );
        }
        // CloudFormation users list their groups.
        for user in 0..self.principals.len() {
            if self.principals[user].kind != PrincipalKind::User {
                continue;
            }
            let resource = &model.resources[self.principals[user].resource];
            for group in self.principals_named(model, resource, "groups", PrincipalKind::Group) {
                pairs.push((user, group));
            }
        }
        for (user, group) in pairs {
            if !self.principals[user].groups.contains(&group) {
                self.principals[user].groups.push(group);
            }
        }
    }

    fn resource_policies(&mut self, model: &CloudModel) {
        for (kind, service) in OWN_POLICIES {
            for (index, resource) in model.of_kind(kind) {
                if let Some(policy) = resource
                    .get("policy")
                    .filter(|p| !p.is_null() && p.as_str() != Some(""))
                {
                    let _ = policy;
                    self.resource_policies.push(ResourcePolicy {
                        service,
                        target: Some(index),
                        document: document(index, resource, "policy"),
                    });
                }
            }
        }
        for carrier in RESOURCE_POLICIES {
            let service = carrier.service;
            for (index, resource) in model.of_kind(carrier.kind) {
                if resource.get(carrier.names).is_none() {
                    continue;
                }
                let protected = model.linked(
                    resource,
                    carrier.names,
                    carrier.targets,
                    carrier.target_name,
                );
                let document = document(index, resource, carrier.policy);
                if protected.is_empty() {
                    self.resource_policies.push(ResourcePolicy {
                        service,
                        target: None,
                        document: document.clone(),
                    });
                }
                for target in protected {
                    self.resource_policies.push(ResourcePolicy {
                        service,
                        target: Some(target),
                        document: document.clone(),
                    });
                }
            }
        }
    }
}

fn principal(kind: PrincipalKind, index: usize, resource: &Resource) -> Principal {
    let mut inline = Vec::new();
    // Terraform's `inline_policy` blocks and CloudFormation's `Policies`.
    for (position, block) in resource
        .get("inline_policy")
        .map(Value::items)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        if let Some(policy) = block.get("policy") {
            inline.push(Document {
                json: json_of(policy),
                resource: index,
                pointer: format!("/inline_policy/{position}/policy"),
                name: block.get("name").and_then(Value::as_str).map(str::to_owned),
            });
        }
    }
    for (position, policy) in resource
        .get("policies")
        .map(Value::items)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        if let Some(document) = policy.get("PolicyDocument") {
            inline.push(Document {
                json: json_of(document),
                resource: index,
                pointer: format!("/policies/{position}/PolicyDocument"),
                name: policy
                    .get("PolicyName")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            });
        }
    }
    let trust = (kind == PrincipalKind::Role)
        .then(|| resource.get("assume_role_policy"))
        .flatten()
        .filter(|p| !p.is_null())
        .map(|_| document(index, resource, "assume_role_policy"));
    Principal {
        kind,
        resource: index,
        name: resource.str("name").map(str::to_owned),
        path: resource.str("path").unwrap_or("/").to_owned(),
        inline,
        attached: Vec::new(),
        trust,
        boundary: None,
        groups: Vec::new(),
    }
}

/// The document in attribute `attribute` of a resource.
fn document(index: usize, resource: &Resource, attribute: &str) -> Document {
    Document {
        json: resource
            .get(attribute)
            .map(json_of)
            .unwrap_or_else(|| Value::unknown().to_json()),
        resource: index,
        pointer: format!("/{attribute}"),
        name: resource.str("name").map(str::to_owned),
    }
}

/// A policy value as JSON: a JSON string decoded, an object as it is, anything else unknown.
pub fn json_of(value: &Value) -> serde_json::Value {
    value
        .decoded_json()
        .unwrap_or_else(|| Value::unknown().to_json())
}
