//! Policy evaluation for a request within one account, as AWS's policy evaluation logic
//! describes it: an explicit deny in any policy wins; service control policies must allow;
//! identity-based policies (intersected with a permissions boundary) and resource-based
//! policies are united, a resource-based policy that names the caller itself allowing on its
//! own (a role's grant still bounded by its permissions boundary), one that names the account
//! delegating to identity-based policies; a role trust policy or a key policy must allow
//! whatever the identity-based policies say. Every answer is three-valued and names the
//! statements that decide it.

use serde::Serialize;

use crate::Tri;
use crate::actions::{AccessLevel, find};
use crate::pattern::action_matches;
use crate::policy::{Effect, Policy, PrincipalEntry, Statement};

/// Who makes a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// `arn:aws:iam::123456789012:user/alice`, `arn:aws:iam::123456789012:role/app`.
    pub arn: String,
    pub account: String,
    pub partition: String,
    pub kind: CallerKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerKind {
    User,
    Role,
    /// An AWS service acting as itself (`ec2.amazonaws.com` assuming a role).
    Service,
}

impl Caller {
    /// An IAM user; `name` may carry its path (`ops/alice`), which its ARN holds.
    pub fn user(partition: &str, account: &str, name: &str) -> Caller {
        Caller::iam(partition, account, "user", name, CallerKind::User)
    }

    /// An IAM role (its sessions, as a caller).
    pub fn role(partition: &str, account: &str, name: &str) -> Caller {
        Caller::iam(partition, account, "role", name, CallerKind::Role)
    }

    /// A service principal such as `ec2.amazonaws.com`.
    pub fn service(partition: &str, account: &str, service: &str) -> Caller {
        Caller {
            arn: service.to_owned(),
            account: account.to_owned(),
            partition: partition.to_owned(),
            kind: CallerKind::Service,
        }
    }

    fn iam(partition: &str, account: &str, kind: &str, name: &str, of: CallerKind) -> Caller {
        Caller {
            arn: format!("arn:{partition}:iam::{account}:{kind}/{name}"),
            account: account.to_owned(),
            partition: partition.to_owned(),
            kind: of,
        }
    }

    /// The ARN of the caller's account as principals name it.
    pub fn account_arn(&self) -> String {
        format!("arn:{}:iam::{}:root", self.partition, self.account)
    }
}

/// What a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource<'a> {
    Arn(&'a str),
    /// Every resource at once: only an allow that covers all of them applies; a deny on some
    /// makes the answer conditional.
    All,
    /// Every resource: allowed only if allowed whatever the resource; a grant or a deny on
    /// some resources makes the answer conditional.
    Every,
}

#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub caller: &'a Caller,
    /// `service:Action`, matched case-insensitively.
    pub action: &'a str,
    pub resource: Resource<'a>,
}

/// What kind of policy a statement comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    Identity,
    PermissionsBoundary,
    Resource,
    ServiceControl,
}

/// A policy and the name answers give it (a Terraform address, an ARN, a file).
#[derive(Debug, Clone, Copy)]
pub struct Named<'p> {
    pub name: &'p str,
    pub policy: &'p Policy,
}

/// An identity-based policy whose statements are not known.
#[derive(Debug, Clone, Copy)]
pub struct Unknown<'p> {
    pub name: &'p str,
    /// Known to grant List and Read actions only (see [`crate::managed::Managed::ReadOnly`]).
    pub read_only: bool,
}

impl Unknown<'_> {
    /// Whether it may allow `action`.
    fn may_allow(&self, action: &str) -> bool {
        !self.read_only
            || find(action).is_none_or(|a| matches!(a.level, AccessLevel::List | AccessLevel::Read))
    }
}

/// The resource's own policy.
#[derive(Debug, Clone, Copy)]
pub struct ResourcePolicy<'p> {
    pub named: Named<'p>,
    /// A role's trust policy or a KMS key policy: it must allow the request itself (naming
    /// the caller, or naming the account and leaving it to identity-based policies).
    pub required: bool,
}

/// Every policy that applies to one request.
#[derive(Debug, Clone, Default)]
pub struct Policies<'p> {
    /// The caller's identity-based policies: inline, attached managed, its groups'.
    pub identity: Vec<Named<'p>>,
    /// Identity-based policies whose content is not known (an AWS managed policy outside the
    /// table, a policy from a module that was not read): each may allow.
    pub unknown: Vec<Unknown<'p>>,
    pub boundary: Option<Named<'p>>,
    /// A permissions boundary whose content is not known: it may deny anything.
    pub unknown_boundary: Option<&'p str>,
    pub resource: Option<ResourcePolicy<'p>>,
    /// Service control policies, one list per level of the organization (root, each OU, the
    /// account): every level must allow.
    pub scps: Vec<Vec<Named<'p>>>,
}

/// The answer to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Allowed in every request context.
    Allowed,
    /// Allowed only under a condition: a `Condition`, a policy variable, some resources only,
    /// or a policy whose content is not known.
    Conditional,
    Denied,
}

impl From<Tri> for Verdict {
    fn from(tri: Tri) -> Verdict {
        match tri {
            Tri::Yes => Verdict::Allowed,
            Tri::Maybe => Verdict::Conditional,
            Tri::No => Verdict::Denied,
        }
    }
}

/// A statement that decides an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deciding {
    pub policy: String,
    pub kind: PolicyKind,
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub effect: Effect,
    /// `yes` when it applies in every context, `maybe` when only under its conditions.
    pub applies: Tri,
    /// What it applies under, when only under something.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub verdict: Verdict,
    /// The statements that decide: the denies that apply when denied by one, the allows that
    /// carry the answer otherwise, with the denies that apply only under a condition.
    pub statements: Vec<Deciding>,
    /// Why, in words: which kind of policy lacks an allow, which policies are not known.
    pub reasons: Vec<String>,
}

impl Decision {
    pub fn tri(&self) -> Tri {
        match self.verdict {
            Verdict::Allowed => Tri::Yes,
            Verdict::Conditional => Tri::Maybe,
            Verdict::Denied => Tri::No,
        }
    }
}

/// How a statement's principal is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Principal {
    /// An identity-based policy, a boundary or an SCP: about its holder.
    Holder,
    /// A resource-based policy's statement naming the caller itself (or everyone).
    Direct,
    /// A resource-based policy's statement naming the caller's account.
    Account,
}

/// Whether a statement applies to a request, and under what.
fn applies(
    statement: &Statement,
    request: &Request<'_>,
    principal: Principal,
) -> (Tri, Vec<String>) {
    let mut notes = Vec::new();
    let actions = &statement.actions;
    let listed = Tri::from_bool(
        actions
            .values
            .iter()
            .any(|p| action_matches(p, request.action)),
    )
    .or(unknown(actions.unknown));
    let action = if actions.negated {
        listed.not()
    } else {
        listed
    };
    if action == Tri::Maybe {
        notes.push("an action not known statically".to_owned());
    }
    if action == Tri::No {
        return (Tri::No, notes);
    }
    let resource = match &statement.resources {
        None => Tri::Yes,
        Some(resources) => {
            let each = resources
                .patterns
                .iter()
                .map(|pattern| match request.resource {
                    Resource::Arn(arn) => pattern.matches(arn),
                    Resource::Every | Resource::All
                        if pattern.covers_all(&request.caller.partition) =>
                    {
                        Tri::Yes
                    }
                    Resource::Every | Resource::All => Tri::Maybe,
                });
            let any = Tri::any(each).or(unknown(resources.unknown));
            let mut result = if resources.negated { any.not() } else { any };
            // Some resources are not all of them at once: such an allow does not apply.
            if request.resource == Resource::All
                && statement.effect == Effect::Allow
                && result == Tri::Maybe
            {
                result = Tri::No;
            }
            if result == Tri::Maybe {
                let list: Vec<&str> = resources.patterns.iter().map(|p| p.as_str()).collect();
                let element = if resources.negated {
                    "NotResource"
                } else {
                    "Resource"
                };
                notes.push(format!("{element} {}", list.join(", ")));
            }
            result
        }
    };
    let who = match principal {
        Principal::Holder => Tri::Yes,
        direct_or_account => match &statement.principals {
            // A resource-based statement without a principal names nobody.
            None => Tri::No,
            Some(principals) => {
                let names = |level| {
                    Tri::any(
                        principals
                            .entries
                            .iter()
                            .map(|e| names_caller(e, request.caller, level)),
                    )
                    .or(unknown(principals.unknown))
                };
                if principals.negated {
                    // Everyone but those listed: the caller directly, unless it is listed.
                    let listed = names(Principal::Direct).or(names(Principal::Account));
                    let direct = Tri::from_bool(direct_or_account == Principal::Direct);
                    direct.and(listed.not())
                } else {
                    names(direct_or_account)
                }
            }
        },
    };
    if who == Tri::Maybe {
        notes.push(
            "a principal that may be the caller (a value or an account not known)".to_owned(),
        );
    }
    let conditions = if statement.conditions.is_empty() {
        Tri::Yes
    } else {
        notes.extend(
            statement
                .conditions
                .iter()
                .map(|c| format!("Condition {c}")),
        );
        Tri::Maybe
    };
    (action.and(resource).and(who).and(conditions), notes)
}

/// `Maybe` for a list that holds a value not known statically, `No` otherwise.
fn unknown(some: bool) -> Tri {
    if some { Tri::Maybe } else { Tri::No }
}

/// How surely `entry` names the caller at `level`: itself (or everyone), or its account.
/// When the caller's account is not known, a principal in any account may be it.
fn names_caller(entry: &PrincipalEntry, caller: &Caller, level: Principal) -> Tri {
    match (entry, level) {
        (PrincipalEntry::Everyone, Principal::Direct) => Tri::Yes,
        (PrincipalEntry::Aws(_), _) if caller.kind == CallerKind::Service => Tri::No,
        (PrincipalEntry::Aws(name), Principal::Direct) => {
            if *name == caller.arn {
                Tri::Yes
            } else if caller.account.is_empty() && same_but_account(name, &caller.arn) {
                Tri::Maybe
            } else {
                Tri::No
            }
        }
        (PrincipalEntry::Aws(name), Principal::Account) => match account_named(name) {
            Some(account) if account == caller.account => Tri::Yes,
            Some(_) if caller.account.is_empty() => Tri::Maybe,
            _ => Tri::No,
        },
        (PrincipalEntry::Service(name), Principal::Direct)
            if caller.kind == CallerKind::Service =>
        {
            Tri::from_bool(*name == caller.arn)
        }
        _ => Tri::No,
    }
}

/// The account an `AWS` principal names as a whole: `123456789012` or
/// `arn:aws:iam::123456789012:root`.
fn account_named(name: &str) -> Option<&str> {
    let is_account = |id: &str| id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit());
    if is_account(name) {
        return Some(name);
    }
    let mut parts = name.splitn(6, ':');
    let (arn, _partition, iam, region, account, root) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    (arn == "arn" && iam == "iam" && region.is_empty() && root == "root" && is_account(account))
        .then_some(account)
}

/// Whether two IAM ARNs are the same but for their account segment.
fn same_but_account(a: &str, b: &str) -> bool {
    let cut = |arn: &str| {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        (parts.len() == 6).then(|| (parts[..4].join(":"), parts[5].to_owned()))
    };
    cut(a).is_some_and(|a| Some(a) == cut(b))
}

/// The allows and denies of a set of policies for one request.
#[derive(Default)]
struct Layer {
    allow: Tri,
    deny: Tri,
    allows: Vec<Deciding>,
    denies: Vec<Deciding>,
}

impl Layer {
    fn of<'p>(
        policies: impl IntoIterator<Item = Named<'p>>,
        kind: PolicyKind,
        request: &Request<'_>,
        principal: Principal,
    ) -> Layer {
        let mut layer = Layer::default();
        for named in policies {
            for statement in &named.policy.statements {
                let (tri, conditions) = applies(statement, request, principal);
                if tri == Tri::No {
                    continue;
                }
                let deciding = Deciding {
                    policy: named.name.to_owned(),
                    kind,
                    index: statement.index,
                    sid: statement.sid.clone(),
                    effect: statement.effect,
                    applies: tri,
                    conditions,
                };
                match statement.effect {
                    Effect::Allow => {
                        layer.allow = layer.allow.or(tri);
                        layer.allows.push(deciding);
                    }
                    Effect::Deny => {
                        layer.deny = layer.deny.or(tri);
                        layer.denies.push(deciding);
                    }
                }
            }
        }
        layer
    }

    /// A resource-based policy's statements that apply to the caller at any level: denies
    /// naming its account deny it too.
    fn denies_at_any_level<'p>(
        resource: Option<ResourcePolicy<'p>>,
        request: &Request<'_>,
    ) -> Layer {
        let policies = resource.map(|r| r.named);
        let mut direct = Layer::of(policies, PolicyKind::Resource, request, Principal::Direct);
        let account = Layer::of(policies, PolicyKind::Resource, request, Principal::Account);
        direct.deny = direct.deny.or(account.deny);
        direct.denies.extend(account.denies);
        direct
    }
}

/// Evaluates `request` against `policies`.
pub fn evaluate(request: &Request<'_>, policies: &Policies<'_>) -> Decision {
    let identity = Layer::of(
        policies.identity.iter().copied(),
        PolicyKind::Identity,
        request,
        Principal::Holder,
    );
    let unknown: Vec<&str> = policies
        .unknown
        .iter()
        .filter(|u| u.may_allow(request.action))
        .map(|u| u.name)
        .collect();
    let identity_allow = if unknown.is_empty() {
        identity.allow
    } else {
        identity.allow.or(Tri::Maybe)
    };
    let boundary = Layer::of(
        policies.boundary,
        PolicyKind::PermissionsBoundary,
        request,
        Principal::Holder,
    );
    let boundary_allow = match (policies.boundary, policies.unknown_boundary) {
        (Some(_), _) => boundary.allow,
        (None, Some(_)) => Tri::Maybe,
        (None, None) => Tri::Yes,
    };
    let resource_named = policies.resource.map(|r| r.named);
    let direct = Layer::of(
        resource_named,
        PolicyKind::Resource,
        request,
        Principal::Direct,
    );
    let account = Layer::of(
        resource_named,
        PolicyKind::Resource,
        request,
        Principal::Account,
    );
    let resource_denies = Layer::denies_at_any_level(policies.resource, request);
    let scps: Vec<Layer> = policies
        .scps
        .iter()
        .map(|level| {
            Layer::of(
                level.iter().copied(),
                PolicyKind::ServiceControl,
                request,
                Principal::Holder,
            )
        })
        .collect();
    let scp_allow = scps
        .iter()
        .fold(Tri::Yes, |all, level| all.and(level.allow));

    let deny = identity
        .deny
        .or(boundary.deny)
        .or(resource_denies.deny)
        .or(Tri::any(scps.iter().map(|l| l.deny)));

    // A role's grant from a resource-based policy is still bounded by its boundary; a user's
    // is not.
    let direct_allow = match request.caller.kind {
        CallerKind::Role => direct.allow.and(boundary_allow),
        _ => direct.allow,
    };
    let through_identity = identity_allow.and(boundary_allow);
    let required = policies.resource.is_some_and(|r| r.required);
    let (allow, identity_counts) = if required {
        let via_account = account.allow.and(through_identity);
        (direct_allow.or(via_account), via_account.possible())
    } else {
        (
            through_identity.or(direct_allow),
            through_identity.possible(),
        )
    };
    let verdict = allow.and(scp_allow).and(deny.not());

    let mut statements = Vec::new();
    let mut reasons = Vec::new();
    let all_denies = [&identity, &boundary, &resource_denies]
        .into_iter()
        .chain(scps.iter())
        .flat_map(|layer| layer.denies.iter());
    if deny == Tri::Yes {
        statements.extend(all_denies.filter(|d| d.applies == Tri::Yes).cloned());
    } else {
        if verdict.possible() {
            let mut carrying: Vec<&Layer> = Vec::new();
            if identity_counts {
                carrying.push(&identity);
                if policies.boundary.is_some() {
                    carrying.push(&boundary);
                }
                if required {
                    carrying.push(&account);
                }
            }
            if direct_allow.possible() {
                carrying.push(&direct);
                if request.caller.kind == CallerKind::Role && policies.boundary.is_some() {
                    carrying.push(&boundary);
                }
            }
            carrying.extend(scps.iter());
            let mut seen = std::collections::HashSet::new();
            for layer in carrying {
                for allow in &layer.allows {
                    if seen.insert((allow.policy.clone(), allow.index, allow.kind)) {
                        statements.push(allow.clone());
                    }
                }
            }
            statements.extend(all_denies.filter(|d| d.applies == Tri::Maybe).cloned());
            if identity_counts {
                for name in &unknown {
                    reasons.push(format!("the content of {name} is not known: it may allow"));
                }
                if let Some(name) = policies.unknown_boundary {
                    reasons.push(format!(
                        "the content of the permissions boundary {name} is not known: it may deny"
                    ));
                }
            }
        }
        if !allow.possible() {
            reasons.push(match (required, policies.resource) {
                (true, Some(r)) => format!(
                    "{} does not allow the caller (nor its account with an identity-based allow)",
                    r.named.name
                ),
                _ if identity_allow.possible() && !boundary_allow.possible() => format!(
                    "the permissions boundary {} does not allow it",
                    policies.boundary.map_or("", |b| b.name)
                ),
                _ => "no identity-based or resource-based policy allows it".to_owned(),
            });
        }
        for (level, layer) in scps.iter().enumerate() {
            if !layer.allow.possible() {
                reasons.push(format!(
                    "no service control policy of level {} allows it",
                    level + 1
                ));
            }
        }
    }
    Decision {
        verdict: verdict.into(),
        statements,
        reasons,
    }
}
