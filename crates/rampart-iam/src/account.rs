//! One account's IAM as a configuration declares it: users, roles and groups with their inline
//! policies, attached managed policies (declared ones, AWS managed ones by name, others not
//! known), permissions boundaries, trust policies and group memberships; resource policies.
//! It gathers, for a principal's request, every policy AWS would evaluate.

use crate::eval::{Caller, Named, Policies, ResourcePolicy, Unknown};
use crate::managed::{Managed, aws_managed};
use crate::policy::{Policy, PolicyError};

/// Where something is declared, as the configuration reader names it: an index into its
/// resources and a JSON pointer in that resource. rampart-iam keeps it for answers to point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub resource: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalKind {
    User,
    Role,
    Group,
}

impl PrincipalKind {
    /// As in ARNs and in `rampart iam can-i --as`: `user`, `role`, `group`.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Role => "role",
            PrincipalKind::Group => "group",
        }
    }
}

/// A policy document, read, with the name answers give it.
#[derive(Debug, Clone)]
pub struct Document {
    /// How answers name it: a Terraform address, a logical id, an ARN.
    pub name: String,
    pub origin: Origin,
    /// The JSON pointer of the document in the resource declaring it (`/policy`).
    pub pointer: String,
    pub policy: Result<Policy, PolicyError>,
}

/// A managed policy attached to a principal, or its permissions boundary.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub policy: Attached,
    /// The resource attaching it.
    pub origin: Origin,
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attached {
    /// A customer managed policy of the configuration: index into [`Account::managed`].
    Declared(usize),
    /// A policy by ARN: an AWS managed one, or one declared elsewhere.
    Arn(String),
    /// A policy whose ARN is not known statically.
    Unknown,
}

/// A user, role or group.
#[derive(Debug, Clone)]
pub struct Principal {
    pub kind: PrincipalKind,
    /// The IAM name, when known statically.
    pub name: Option<String>,
    /// The IAM path, `/` by default.
    pub path: String,
    /// How the configuration names it (`aws_iam_role.app`, a logical id).
    pub address: String,
    pub origin: Origin,
    pub inline: Vec<Document>,
    pub attached: Vec<Attachment>,
    pub boundary: Option<Attachment>,
    /// A role's trust policy.
    pub trust: Option<Document>,
    /// A user's groups: indices into [`Account::principals`].
    pub groups: Vec<usize>,
}

impl Principal {
    /// `role/app`, `user/ops/alice`: as in its ARN.
    pub fn arn_name(&self) -> Option<String> {
        let name = self.name.as_deref()?;
        let path = self.path.trim_start_matches('/');
        Some(format!("{}/{path}{name}", self.kind.as_str()))
    }
}

/// A policy attached to a resource (a bucket, a key, a queue, ...).
#[derive(Debug, Clone)]
pub struct ResourceDocument {
    /// The service (`s3`, `kms`, `sqs`, `sns`, `ecr`, `secretsmanager`, `lambda`).
    pub service: String,
    /// The protected resource's ARN, when known.
    pub arn: Option<String>,
    /// The protected resource, when declared.
    pub target: Option<Origin>,
    pub document: Document,
}

/// An account's IAM.
#[derive(Debug, Clone, Default)]
pub struct Account {
    /// The account id, when the configuration declares it; empty otherwise.
    pub id: String,
    /// `aws` unless the configuration says otherwise.
    pub partition: String,
    pub principals: Vec<Principal>,
    pub managed: Vec<CustomerPolicy>,
    pub resource_policies: Vec<ResourceDocument>,
}

/// A customer managed policy the configuration declares.
#[derive(Debug, Clone)]
pub struct CustomerPolicy {
    /// Its ARN, when known statically.
    pub arn: Option<String>,
    pub document: Document,
}

impl Account {
    /// The caller a user or role makes requests as; a group's members for a group (named
    /// after it, so that no policy names them).
    pub fn caller(&self, principal: &Principal) -> Caller {
        let partition = if self.partition.is_empty() {
            "aws"
        } else {
            &self.partition
        };
        let name = principal
            .arn_name()
            .map(|n| {
                n.split_once('/')
                    .map_or(n.clone(), |(_, rest)| rest.to_owned())
            })
            .unwrap_or_else(|| format!("(unnamed {})", principal.address));
        match principal.kind {
            PrincipalKind::Role => Caller::role(partition, &self.id, &name),
            PrincipalKind::User => Caller::user(partition, &self.id, &name),
            PrincipalKind::Group => {
                Caller::user(partition, &self.id, &format!("(member of {name})"))
            }
        }
    }

    /// Every identity-based policy of a principal (its own, and its groups' for a user) and
    /// its permissions boundary. Documents that cannot be read, and policies whose content is
    /// not known, are listed as unknown: each may allow.
    pub fn policies<'a>(&'a self, principal: &'a Principal) -> Policies<'a> {
        let mut policies = Policies::default();
        let groups = principal
            .groups
            .iter()
            .filter_map(|&g| self.principals.get(g));
        for holder in std::iter::once(principal).chain(groups) {
            for document in &holder.inline {
                self.add(&mut policies, document);
            }
            for attachment in &holder.attached {
                self.attach(&mut policies, attachment);
            }
        }
        if let Some(boundary) = &principal.boundary {
            let mut bounded = Policies::default();
            self.attach(&mut bounded, boundary);
            policies.boundary = bounded.identity.first().copied();
            policies.unknown_boundary = bounded.unknown.first().map(|u| u.name);
        }
        policies
    }

    /// A role's trust policy as the resource policy of `sts:AssumeRole` on it.
    pub fn trust<'a>(&self, role: &'a Principal) -> Option<ResourcePolicy<'a>> {
        let document = role.trust.as_ref()?;
        let policy = document.policy.as_ref().ok()?;
        Some(ResourcePolicy {
            named: Named {
                name: &document.name,
                policy,
            },
            required: true,
        })
    }

    fn add<'a>(&'a self, policies: &mut Policies<'a>, document: &'a Document) {
        match &document.policy {
            Ok(policy) => policies.identity.push(Named {
                name: &document.name,
                policy,
            }),
            Err(_) => policies.unknown.push(Unknown {
                name: &document.name,
                read_only: false,
            }),
        }
    }

    fn attach<'a>(&'a self, policies: &mut Policies<'a>, attachment: &'a Attachment) {
        match &attachment.policy {
            Attached::Declared(index) => match self.managed.get(*index) {
                Some(managed) => self.add(policies, &managed.document),
                None => policies.unknown.push(Unknown {
                    name: "(a managed policy)",
                    read_only: false,
                }),
            },
            Attached::Arn(arn) => match aws_managed(arn) {
                Some(Managed::Document(policy)) => {
                    policies.identity.push(Named { name: arn, policy })
                }
                Some(Managed::ReadOnly) => policies.unknown.push(Unknown {
                    name: arn,
                    read_only: true,
                }),
                None => match self.managed_named(arn) {
                    Some(document) => self.add(policies, document),
                    None => policies.unknown.push(Unknown {
                        name: arn,
                        read_only: false,
                    }),
                },
            },
            Attached::Unknown => policies.unknown.push(Unknown {
                name: "(a managed policy not known statically)",
                read_only: false,
            }),
        }
    }

    /// A declared managed policy named by its ARN.
    fn managed_named(&self, arn: &str) -> Option<&Document> {
        self.managed
            .iter()
            .find(|m| m.arn.as_deref() == Some(arn))
            .map(|m| &m.document)
    }

    /// Whether a declared managed policy is attached to some principal (or is its boundary).
    pub fn is_attached(&self, managed: usize) -> bool {
        self.principals.iter().any(|p| {
            p.attached
                .iter()
                .chain(&p.boundary)
                .any(|a| a.policy == Attached::Declared(managed))
        })
    }

    /// The principal `query` names: `user/NAME`, `role/NAME`, `group/NAME` (its IAM name,
    /// with or without its path) or how the configuration names it (`aws_iam_role.app`).
    pub fn find(&self, query: &str) -> Option<&Principal> {
        self.principals
            .iter()
            .find(|p| p.address == query)
            .or_else(|| {
                let (kind, name) = query.split_once('/')?;
                self.principals.iter().find(|p| {
                    p.kind.as_str() == kind
                        && (p.name.as_deref() == Some(name)
                            || p.arn_name().is_some_and(|full| full == query))
                })
            })
    }
}
