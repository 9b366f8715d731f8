use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use rampart_cloud::CloudModel;
use rampart_cloud::model::iam::{self as declared, PolicyRef};
use rampart_core::{Diagnostic, Evidence, Finding, Location, Subject, Texts};
use rampart_iam::access::Access;
use rampart_iam::account::{
    Account, Attached, Attachment, CustomerPolicy, Document, Origin, Principal, PrincipalKind,
    ResourceDocument,
};
use rampart_iam::escalation::Held;
use rampart_iam::{Caller, Deciding, Decision, Policies, Policy};

use crate::checking::{check, each};
use crate::{Hit, Inputs, Kind, Place, RuleOf, RuleOptions};

/// The holders of AWS IAM permissions the cloud model declares, one at a time: each user,
/// role and group with every policy AWS evaluates for it, each customer managed policy no
/// declared principal holds (what it grants whoever gets it), each resource policy.
pub struct IamHolders;

/// What holds permissions.
#[derive(Clone, Copy)]
pub enum Holder<'a> {
    Principal(&'a Principal),
    /// A customer managed policy attached to no declared principal.
    Policy(&'a CustomerPolicy),
    /// A policy attached to a resource (a bucket, a key, a queue, ...).
    Resource(&'a ResourceDocument),
}

/// What an IAM rule looks at: one holder, the account it belongs to and the model it was
/// declared in.
pub struct IamTarget<'a> {
    pub model: &'a CloudModel,
    pub account: &'a Account,
    pub holder: Holder<'a>,
    /// The resource declaring the holder (index into `model.resources`).
    pub index: usize,
    pub options: &'a RuleOptions,
    pub subject: Arc<Subject>,
    analysis: OnceLock<Analysis>,
}

/// What a principal or a managed policy allows, computed once for every rule.
pub struct Analysis {
    /// Allowed every action on all resources (in every context, or under a condition).
    pub full_admin: Option<Decision>,
    /// IAM write and permissions-management actions allowed in some context.
    pub iam_writes: Vec<(String, Decision)>,
    pub escalations: Vec<Held>,
}

impl IamTarget<'_> {
    /// The caller the holder's requests come from.
    pub fn caller(&self) -> Caller {
        match self.holder {
            Holder::Principal(principal) => self.account.caller(principal),
            _ => Caller::role(
                self.partition(),
                &self.account.id,
                &format!("(holder of {})", self.model.resources[self.index].address),
            ),
        }
    }

    pub fn partition(&self) -> &str {
        if self.account.partition.is_empty() {
            "aws"
        } else {
            &self.account.partition
        }
    }

    /// Every identity-based policy of the holder.
    pub fn policies(&self) -> Policies<'_> {
        match self.holder {
            Holder::Principal(principal) => self.account.policies(principal),
            Holder::Policy(managed) => {
                let mut policies = Policies::default();
                if let Ok(policy) = &managed.document.policy {
                    policies.identity.push(rampart_iam::Named {
                        name: &managed.document.name,
                        policy,
                    });
                }
                policies
            }
            Holder::Resource(_) => Policies::default(),
        }
    }

    /// What the holder allows (nothing for a resource policy).
    pub fn analysis(&self) -> &Analysis {
        self.analysis.get_or_init(|| {
            if matches!(self.holder, Holder::Resource(_)) {
                return Analysis {
                    full_admin: None,
                    iam_writes: Vec::new(),
                    escalations: Vec::new(),
                };
            }
            let caller = self.caller();
            let policies = self.policies();
            let access = Access {
                caller: &caller,
                policies: &policies,
            };
            Analysis {
                full_admin: access.full_admin(),
                iam_writes: access
                    .iam_writes()
                    .into_iter()
                    .map(|(action, decision)| (action.name.clone(), decision))
                    .collect(),
                escalations: access.escalations(),
            }
        })
    }

    /// Where a statement is declared: its document's place, the statement's own when known.
    pub fn place_of(&self, policy: &str, index: usize) -> Option<Location> {
        statement_location(self.model, self.account, policy, index)
    }

    /// The statements that decide, as evidence: policy, index, Sid, where.
    pub fn evidence(&self, deciding: &[Deciding]) -> Vec<Evidence> {
        deciding
            .iter()
            .map(|statement| {
                let sid = statement
                    .sid
                    .as_deref()
                    .map(|sid| format!(" ({sid})"))
                    .unwrap_or_default();
                let under = match statement.conditions.is_empty() {
                    true => String::new(),
                    false => format!(", only under {}", statement.conditions.join("; ")),
                };
                Evidence {
                    label: "statement",
                    value: format!(
                        "{:?} in {} statement {}{sid}{under}",
                        statement.effect, statement.policy, statement.index
                    ),
                    location: self.place_of(&statement.policy, statement.index),
                }
            })
            .collect()
    }

    /// A place in another resource, for a hit that belongs there.
    pub fn place(&self, index: usize, pointer: &str) -> Place {
        let resource = &self.model.resources[index];
        let (line, column) = resource.position_of(pointer);
        Place {
            path: resource.at.path.to_string(),
            line,
            column,
        }
    }
}

/// Where statement `index` of the policy named `policy` is declared (its document's place
/// when the statement has none of its own); `None` for policies the configuration does not
/// declare (AWS managed ones).
pub fn statement_location(
    model: &CloudModel,
    account: &Account,
    policy: &str,
    index: usize,
) -> Option<Location> {
    let document = account
        .principals
        .iter()
        .flat_map(|p| p.inline.iter().chain(&p.trust))
        .chain(account.managed.iter().map(|m| &m.document))
        .chain(account.resource_policies.iter().map(|r| &r.document))
        .find(|d| d.name == policy)?;
    let resource = &model.resources[document.origin.resource];
    let single = document
        .policy
        .as_ref()
        .is_ok_and(|p| p.statements.len() == 1);
    let pointer = match single {
        true => document.pointer.clone(),
        false => format!("{}/Statement/{index}", document.pointer),
    };
    let (line, column) = resource.position_of(&pointer);
    Some(Location::new(resource.at.path.clone(), line, column))
}

/// An account's IAM as the cloud model declares it: principals, their documents read with
/// the IAM grammar, managed and resource policies. The account id is the one the
/// configuration declares, empty when it declares none.
pub fn account_of(model: &CloudModel) -> Account {
    let iam = &model.iam;
    let name_of = |resource: usize, pointer: &str, single: bool| {
        let address = &model.resources[resource].address;
        match single {
            true => address.clone(),
            false => format!("{address}{pointer}"),
        }
    };
    let document = |declared: &declared::Document, single: bool| Document {
        name: name_of(declared.resource, &declared.pointer, single),
        origin: Origin {
            resource: declared.resource,
        },
        pointer: declared.pointer.clone(),
        policy: Policy::from_value(&declared.json),
    };
    let attachment = |declared: &declared::Attachment| Attachment {
        policy: match &declared.policy {
            PolicyRef::Declared(index) => Attached::Declared(*index),
            PolicyRef::Arn(arn) => Attached::Arn(arn.clone()),
            PolicyRef::Unknown => Attached::Unknown,
        },
        origin: Origin {
            resource: declared.resource,
        },
        pointer: declared.pointer.clone(),
    };
    let principals = iam
        .principals
        .iter()
        .map(|p| {
            let resource = &model.resources[p.resource];
            Principal {
                kind: match p.kind {
                    declared::PrincipalKind::Role => PrincipalKind::Role,
                    declared::PrincipalKind::User => PrincipalKind::User,
                    declared::PrincipalKind::Group => PrincipalKind::Group,
                },
                name: p.name.clone(),
                path: p.path.clone(),
                address: resource.address.clone(),
                origin: Origin {
                    resource: p.resource,
                },
                // A principal's own inline documents are named by their pointer; a separate
                // policy resource by its address.
                inline: p
                    .inline
                    .iter()
                    .map(|d| document(d, d.resource != p.resource))
                    .collect(),
                attached: p.attached.iter().map(attachment).collect(),
                boundary: p.boundary.as_ref().map(attachment),
                trust: p.trust.as_ref().map(|d| document(d, false)),
                groups: p.groups.clone(),
            }
        })
        .collect();
    Account {
        id: declared_account(model),
        partition: "aws".to_owned(),
        principals,
        managed: iam
            .managed
            .iter()
            .map(|m| CustomerPolicy {
                arn: m.arn.clone(),
                document: document(&m.document, true),
            })
            .collect(),
        resource_policies: iam
            .resource_policies
            .iter()
            .map(|r| ResourceDocument {
                service: r.service.to_owned(),
                arn: r
                    .target
                    .and_then(|t| model.resources[t].str("arn"))
                    .map(str::to_owned),
                target: r.target.map(|resource| Origin { resource }),
                document: document(&r.document, true),
            })
            .collect(),
    }
}

/// The account the configuration declares: the one its provider is restricted to, as
/// `data.aws_caller_identity` and the ARNs of its IAM resources give it; empty when unknown.
fn declared_account(model: &CloudModel) -> String {
    let is_account = |id: &str| id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit());
    let from_identity = model
        .resources
        .iter()
        .filter(|r| r.data && r.kind == "aws_caller_identity")
        .find_map(|r| r.str("account_id"));
    let from_arns = model.iam.principals.iter().find_map(|p| {
        let arn = model.resources[p.resource].str("arn")?;
        arn.split(':').nth(4)
    });
    from_identity
        .or(from_arns)
        .filter(|id| is_account(id))
        .unwrap_or_default()
        .to_owned()
}

impl Kind for IamHolders {
    type Target<'a> = IamTarget<'a>;

    fn run(
        inputs: &Inputs<'_>,
        options: &RuleOptions,
        rules: &[&'static dyn RuleOf<IamHolders>],
        texts: &Texts,
    ) -> (Vec<Finding>, Vec<Diagnostic>) {
        let model = inputs.cloud;
        if model.iam.principals.is_empty()
            && model.iam.managed.is_empty()
            && model.iam.resource_policies.is_empty()
        {
            return (Vec::new(), Vec::new());
        }
        let account = account_of(model);
        let mut holders: Vec<(Holder<'_>, usize)> = Vec::new();
        holders.extend(
            account
                .principals
                .iter()
                .map(|p| (Holder::Principal(p), p.origin.resource)),
        );
        holders.extend(
            account
                .managed
                .iter()
                .enumerate()
                .filter(|(index, _)| !account.is_attached(*index))
                .map(|(_, m)| (Holder::Policy(m), m.document.origin.resource)),
        );
        holders.extend(
            account
                .resource_policies
                .iter()
                .map(|r| (Holder::Resource(r), r.document.origin.resource)),
        );
        each(&holders, |&(holder, index)| {
            let target = IamTarget {
                model,
                account: &account,
                holder,
                index,
                options,
                subject: Arc::new(model.resources[index].subject()),
                analysis: OnceLock::new(),
            };
            (check(&target, rules, texts), Vec::new())
        })
    }

    fn subject(target: &IamTarget<'_>, _hit: &Hit) -> Arc<Subject> {
        target.subject.clone()
    }

    fn location(target: &IamTarget<'_>, hit: &Hit) -> Location {
        match &hit.place {
            Some(place) => Location::new(Arc::from(place.path.as_str()), place.line, place.column),
            None => {
                let resource = &target.model.resources[target.index];
                let (line, column) = resource.position_of(&hit.pointer);
                Location::new(resource.at.path.clone(), line, column)
            }
        }
    }

    /// The pointer: a resource's attributes are named, not positioned.
    fn field_identity<'t>(_target: &'t IamTarget<'_>, pointer: &'t str) -> Cow<'t, str> {
        Cow::Borrowed(pointer)
    }
}
