//! Escalation paths: which identities can reach a crown jewel, and the shortest chain of
//! techniques that gets them there.
//!
//! The graph has a node per identity (every subject a binding names, every service account,
//! anonymous and any authenticated user), a node per set of identities a technique leads to
//! (the service accounts of a namespace, those whose tokens its running pods hold, any user)
//! and a node per jewel. What each identity holds is computed once: every permission the
//! catalogue asks about is looked up in the who-can index, the rules that allow it marked,
//! and the marks carried through roles and bindings to subjects. The search is then one
//! breadth-first pass backwards from the jewel, so every identity's shortest chain costs
//! O(nodes + edges) in all, not a search per identity.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use rampart_source::{Node, Object};

use crate::rbac::model::{RbacModel, Reason};
use crate::rbac::service_accounts::namespace_or_default;
use crate::rbac::subject::{
    ANONYMOUS, AUTHENTICATED, Identity, Subject, SubjectKey, SubjectKind, identity_of,
};
use crate::rbac::{Request, RoleKind};

use super::catalogue::{
    Gain, Jewel, Needs, Permission, Route, Scope, TECHNIQUES, Technique, has_aws_auth,
};

/// A set of the catalogue's permissions, by their index in [`Probes`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ProbeSet(u128);

impl ProbeSet {
    fn with(self, probe: usize) -> ProbeSet {
        ProbeSet(self.0 | 1 << probe)
    }

    fn union(self, other: ProbeSet) -> ProbeSet {
        ProbeSet(self.0 | other.0)
    }

    fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// Every distinct permission the catalogue's routes ask about, and each route's needs as a
/// set of them, so testing a route is two machine words, not a lookup per permission.
struct Probes {
    index: HashMap<Permission, usize>,
    /// By technique, then route.
    routes: Vec<Vec<RouteNeeds>>,
}

#[derive(Debug, Clone, Copy)]
enum RouteNeeds {
    Any(ProbeSet),
    All(ProbeSet),
}

impl Probes {
    fn new() -> Probes {
        let mut index = HashMap::new();
        for route in TECHNIQUES.iter().flat_map(|t| t.routes) {
            for permission in needed(route) {
                let next = index.len();
                index.entry(*permission).or_insert(next);
            }
        }
        assert!(index.len() <= 128, "a ProbeSet holds 128 permissions");
        let set = |permissions: &[Permission]| {
            permissions
                .iter()
                .fold(ProbeSet::default(), |set, p| set.with(index[p]))
        };
        let routes = TECHNIQUES
            .iter()
            .map(|technique| {
                technique
                    .routes
                    .iter()
                    .map(|route| match route.needs {
                        Needs::Any(permissions) => RouteNeeds::Any(set(permissions)),
                        Needs::All(permissions) => RouteNeeds::All(set(permissions)),
                    })
                    .collect()
            })
            .collect();
        Probes { index, routes }
    }

    fn satisfied(&self, technique: usize, route: usize, held: ProbeSet) -> bool {
        match self.routes[technique][route] {
            RouteNeeds::Any(needs) => !ProbeSet(held.0 & needs.0).is_empty(),
            RouteNeeds::All(needs) => held.0 & needs.0 == needs.0,
        }
    }
}

fn needed(route: &Route) -> &'static [Permission] {
    match route.needs {
        Needs::Any(permissions) | Needs::All(permissions) => permissions,
    }
}

type NamespaceId = u32;

/// What a subject (or an identity, with its groups) holds of the catalogue's permissions.
#[derive(Debug, Default, Clone)]
struct Held {
    /// Through ClusterRoleBindings: cluster-wide, and in every namespace.
    cluster: ProbeSet,
    /// Through RoleBindings.
    namespaces: BTreeMap<NamespaceId, ProbeSet>,
}

impl Held {
    fn add(&mut self, namespace: Option<NamespaceId>, set: ProbeSet) {
        match namespace {
            None => self.cluster = self.cluster.union(set),
            Some(ns) => {
                let entry = self.namespaces.entry(ns).or_default();
                *entry = entry.union(set);
            }
        }
    }

    fn merge(&mut self, other: &Held) {
        self.cluster = self.cluster.union(other.cluster);
        for (&ns, &set) in &other.namespaces {
            self.add(Some(ns), set);
        }
    }

    fn in_namespace(&self, namespace: NamespaceId) -> ProbeSet {
        self.namespaces
            .get(&namespace)
            .copied()
            .unwrap_or_default()
            .union(self.cluster)
    }
}

/// An identity the search starts from or passes through.
#[derive(Debug, Clone)]
struct Principal {
    pub subject: Subject,
    pub identity: Identity,
    /// Named by the input (a binding, a ServiceAccount, a workload) or one of the implicit
    /// identities (anonymous, any authenticated user), rather than only by the defaults.
    pub from_input: bool,
}

/// A node of the graph, as an index: principals first, then the sets and the jewels.
type NodeId = u32;

#[derive(Debug, Clone, Copy)]
enum Label {
    /// A technique used by the identity at the edge's start.
    Technique {
        technique: usize,
        route: usize,
        /// Where its permissions were found: a namespace, or `None` cluster-wide.
        namespace: Option<NamespaceId>,
    },
    /// From a set to one of its members, or from a jewel to one it implies.
    Free,
}

#[derive(Debug, Clone, Copy)]
struct Edge {
    from: NodeId,
    to: NodeId,
    label: Label,
}

/// The escalation graph of one model: built once, searched per jewel.
pub struct EscalationGraph<'m> {
    model: &'m RbacModel,
    namespaces: Vec<String>,
    principals: Vec<Principal>,
    edges: Vec<Edge>,
    /// Edges by their end node, as offsets into `reverse`.
    reverse_offsets: Vec<usize>,
    reverse: Vec<usize>,
}

/// One technique used on the way.
#[derive(Debug, Clone)]
pub struct Step {
    pub technique: &'static Technique,
    /// The identity that uses it.
    pub actor: Subject,
    /// Where it is used: a namespace, or `None` cluster-wide.
    pub namespace: Option<String>,
    /// The requests it makes, each with the grants that allow it (as `can_i` answers).
    pub permissions: Vec<(Request, Vec<Reason>)>,
    pub gain: Gain,
    /// The identity it leads to; `None` when it reaches the jewel.
    pub becomes: Option<Subject>,
    /// What the actor does, in words: which binding of which role to whom, which pod, which
    /// token.
    pub how: String,
}

/// The shortest chain from an identity to a jewel.
#[derive(Debug, Clone)]
pub struct EscalationPath {
    pub subject: Subject,
    pub steps: Vec<Step>,
    pub reaches: Jewel,
}

const UNREACHED: u32 = u32::MAX;

/// The sets of service accounts a technique can lead to, each per namespace and overall.
#[derive(Debug, Clone, Copy)]
enum AccountSet {
    /// Every service account.
    Any = 0,
    /// Those whose tokens running pods hold.
    Mounted = 1,
    /// Those whose token Secrets are in the input.
    Stored = 2,
}

const ACCOUNT_SETS: u32 = 3;

/// Node numbering: principals, then per account set its namespaces and its overall node, then
/// any user, then the jewels.
struct Nodes {
    principals: u32,
    namespaces: u32,
}

impl Nodes {
    fn accounts(&self, set: AccountSet, namespace: Option<NamespaceId>) -> NodeId {
        let base = self.principals + set as u32 * (self.namespaces + 1);
        base + namespace.unwrap_or(self.namespaces)
    }
    fn any_user(&self) -> NodeId {
        self.principals + ACCOUNT_SETS * (self.namespaces + 1)
    }
    fn jewel(&self, jewel: Jewel) -> NodeId {
        self.any_user() + 1 + jewel as u32
    }
    fn count(&self) -> usize {
        self.jewel(Jewel::Nodes) as usize + 1
    }

    /// The node a gain leads to; `None` for a gain that is no identity or jewel.
    fn gain(&self, gain: Gain, namespace: Option<NamespaceId>) -> Option<NodeId> {
        Some(match gain {
            Gain::AnyAccount => self.accounts(AccountSet::Any, namespace),
            Gain::MountedAccounts => self.accounts(AccountSet::Mounted, namespace),
            Gain::MountedAccountsEverywhere => self.accounts(AccountSet::Mounted, None),
            Gain::StoredTokens => self.accounts(AccountSet::Stored, namespace),
            Gain::AnyUser => self.any_user(),
            Gain::Holds(jewel) | Gain::Reaches(jewel) => self.jewel(jewel),
            Gain::NamespaceRoles => return None,
        })
    }
}

/// What the graph takes from the input beyond its RBAC objects.
#[derive(Debug, Clone, Default)]
pub struct ClusterFacts {
    /// An EKS cluster (see [`has_aws_auth`](super::has_aws_auth)): writing aws-auth leads to
    /// system:masters.
    pub eks: bool,
    /// The service accounts whose long-lived token Secrets the input holds, by namespace and
    /// name: reading those Secrets gives their identity.
    pub stored_tokens: HashSet<(String, String)>,
}

impl ClusterFacts {
    pub fn of(objects: &[Object]) -> ClusterFacts {
        let stored_tokens = objects
            .iter()
            .filter(|o| o.kind == "Secret" && o.api_version == "v1")
            .filter(|o| {
                o.root.get("type").and_then(Node::as_str)
                    == Some("kubernetes.io/service-account-token")
            })
            .filter_map(|o| {
                let account = o
                    .metadata()
                    .path(&["annotations", "kubernetes.io/service-account.name"])?
                    .as_str()?;
                Some((namespace_or_default(o).to_owned(), account.to_owned()))
            })
            .collect();
        ClusterFacts {
            eks: has_aws_auth(objects),
            stored_tokens,
        }
    }
}

impl<'m> EscalationGraph<'m> {
    pub fn new(model: &'m RbacModel, facts: &ClusterFacts) -> EscalationGraph<'m> {
        let probes = Probes::new();
        let mut interner = Interner::default();
        let held_by_key = held_by_subject(model, &probes, &mut interner);
        let principals = principals(model, &mut interner);
        for technique in TECHNIQUES {
            for route in technique.routes {
                if let Scope::In(namespace) = route.scope {
                    interner.intern(namespace);
                }
            }
        }
        let nodes = Nodes {
            principals: principals.len() as u32,
            namespaces: interner.names.len() as u32,
        };
        let mut edges = Vec::new();
        for (index, principal) in principals.iter().enumerate() {
            let mut held = Held::default();
            for key in principal.identity.keys() {
                if let Some(of_key) = held_by_key.get(&key) {
                    held.merge(of_key);
                }
            }
            technique_edges(
                index as NodeId,
                principal,
                &held,
                &Context {
                    probes: &probes,
                    nodes: &nodes,
                    interner: &interner,
                    facts,
                },
                &mut edges,
            );
            membership_edges(
                index as NodeId,
                principal,
                model,
                facts,
                &nodes,
                &interner,
                &mut edges,
            );
        }
        for jewel in [Jewel::Secrets, Jewel::Nodes] {
            edges.push(Edge {
                from: nodes.jewel(Jewel::ClusterAdmin),
                to: nodes.jewel(jewel),
                label: Label::Free,
            });
        }
        for set in [AccountSet::Any, AccountSet::Mounted, AccountSet::Stored] {
            for ns in 0..nodes.namespaces {
                edges.push(Edge {
                    from: nodes.accounts(set, None),
                    to: nodes.accounts(set, Some(ns)),
                    label: Label::Free,
                });
            }
        }
        let (reverse_offsets, reverse) = reverse_index(&edges, nodes.count());
        EscalationGraph {
            model,
            namespaces: interner.names,
            principals,
            edges,
            reverse_offsets,
            reverse,
        }
    }

    fn nodes(&self) -> Nodes {
        Nodes {
            principals: self.principals.len() as u32,
            namespaces: self.namespaces.len() as u32,
        }
    }

    /// For every node, the first edge of its shortest chain to `jewel` (technique steps count
    /// one, moves into a set's member none): a 0-1 breadth-first search from the jewel
    /// backwards.
    fn search(&self, jewel: Jewel) -> Vec<Option<usize>> {
        let count = self.reverse_offsets.len() - 1;
        let mut distance = vec![UNREACHED; count];
        let mut next: Vec<Option<usize>> = vec![None; count];
        let start = self.nodes().jewel(jewel);
        distance[start as usize] = 0;
        let mut queue = VecDeque::from([start]);
        while let Some(node) = queue.pop_front() {
            let reached = distance[node as usize];
            let incoming = &self.reverse
                [self.reverse_offsets[node as usize]..self.reverse_offsets[node as usize + 1]];
            for &edge_id in incoming {
                let edge = &self.edges[edge_id];
                let cost = match edge.label {
                    Label::Technique { .. } => 1,
                    Label::Free => 0,
                };
                let candidate = reached + cost;
                if candidate < distance[edge.from as usize] {
                    distance[edge.from as usize] = candidate;
                    next[edge.from as usize] = Some(edge_id);
                    if cost == 0 {
                        queue.push_front(edge.from);
                    } else {
                        queue.push_back(edge.from);
                    }
                }
            }
        }
        next
    }

    /// Every identity of the input that can reach `jewel` but does not hold it already, with
    /// its shortest chain; sorted by subject.
    pub fn paths(&self, jewel: Jewel) -> Vec<EscalationPath> {
        let next = self.search(jewel);
        let holders = self.holders(jewel);
        let mut paths: Vec<EscalationPath> = (0..self.principals.len())
            .filter(|&index| {
                self.principals[index].from_input && next[index].is_some() && !holders[index]
            })
            .map(|index| EscalationPath {
                subject: self.principals[index].subject.clone(),
                steps: self.steps(index, &next, jewel),
                reaches: jewel,
            })
            .collect();
        paths.sort_by(|a, b| a.subject.cmp(&b.subject));
        paths
    }

    /// Which principals hold `jewel` (or cluster-admin, which has every jewel) themselves.
    fn holders(&self, jewel: Jewel) -> Vec<bool> {
        let mut holds = vec![false; self.principals.len()];
        for edge in &self.edges {
            let Label::Technique {
                technique, route, ..
            } = edge.label
            else {
                continue;
            };
            // Membership of system:masters has no route: it holds everything.
            let held = match TECHNIQUES[technique].routes.get(route).map(|r| r.gain) {
                None => true,
                Some(Gain::Holds(held)) => held == jewel || held == Jewel::ClusterAdmin,
                Some(_) => false,
            };
            if held {
                holds[edge.from as usize] = true;
            }
        }
        holds
    }

    fn steps(&self, start: usize, next: &[Option<usize>], jewel: Jewel) -> Vec<Step> {
        let target = self.nodes().jewel(jewel);
        let mut steps: Vec<Step> = Vec::new();
        let mut actor = start;
        let mut node = start as NodeId;
        let mut pending: Option<(usize, usize, Option<NamespaceId>)> = None;
        while node != target {
            let edge = self.edges[next[node as usize].expect("a reached node has a next edge")];
            if let Label::Technique {
                technique,
                route,
                namespace,
            } = edge.label
            {
                pending = Some((technique, route, namespace));
            }
            node = edge.to;
            let arrived_at_principal = (node as usize) < self.principals.len();
            if let Some((technique, route, namespace)) = pending
                && (arrived_at_principal || node == target)
            {
                let becomes = arrived_at_principal.then_some(node as usize);
                steps.push(self.step(actor, technique, route, namespace, becomes));
                pending = None;
                if let Some(principal) = becomes {
                    actor = principal;
                }
            }
        }
        steps
    }

    fn step(
        &self,
        actor: usize,
        technique: usize,
        route: usize,
        namespace: Option<NamespaceId>,
        becomes: Option<usize>,
    ) -> Step {
        let technique = &TECHNIQUES[technique];
        let actor = &self.principals[actor];
        let route = technique.routes.get(route);
        let namespace = match route.map(|r| r.scope) {
            Some(Scope::In(namespace)) => Some(namespace.to_owned()),
            Some(Scope::Namespace) => namespace
                .map(|ns| self.namespaces[ns as usize].clone())
                // Held cluster-wide: used where the identity it leads to lives.
                .or_else(|| becomes.map(|p| self.principals[p].subject.namespace.clone())),
            Some(Scope::Cluster) | None => None,
        };
        let permissions = route
            .map(|route| self.grants(&actor.identity, route, namespace.as_deref().unwrap_or("")))
            .unwrap_or_default();
        let becomes = becomes.map(|p| self.principals[p].subject.clone());
        let how = match route {
            Some(route) => route.how(
                namespace.as_deref(),
                becomes.as_ref().map(described).as_deref(),
            ),
            None => {
                "is a member of system:masters, which the API server allows everything".to_owned()
            }
        };
        Step {
            technique,
            actor: actor.subject.clone(),
            namespace,
            permissions,
            gain: route.map_or(Gain::Holds(Jewel::ClusterAdmin), |r| r.gain),
            becomes,
            how,
        }
    }

    /// The requests a route makes in `namespace`, each with the authorizer's reasons.
    fn grants(
        &self,
        identity: &Identity,
        route: &Route,
        namespace: &str,
    ) -> Vec<(Request, Vec<Reason>)> {
        let allowed = |permission: &Permission| {
            let request = permission.request(namespace);
            let decision = self.model.can_i(identity, &request);
            decision.allowed.then_some((request, decision.reasons))
        };
        let found: Vec<_> = match route.needs {
            Needs::Any(permissions) => permissions.iter().find_map(allowed).into_iter().collect(),
            Needs::All(permissions) => permissions.iter().filter_map(allowed).collect(),
        };
        debug_assert!(
            !found.is_empty(),
            "the authorizer allows what the search found"
        );
        found
    }
}

/// `ServiceAccount shop/ci`, `user alice`, `group ops`.
fn described(subject: &Subject) -> String {
    match subject.kind {
        SubjectKind::ServiceAccount => {
            format!("ServiceAccount {}/{}", subject.namespace, subject.name)
        }
        SubjectKind::User => format!("user {}", subject.name),
        SubjectKind::Group => format!("group {}", subject.name),
    }
}

#[derive(Default)]
struct Interner {
    ids: HashMap<String, NamespaceId>,
    names: Vec<String>,
}

impl Interner {
    fn intern(&mut self, name: &str) -> NamespaceId {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as NamespaceId;
        self.ids.insert(name.to_owned(), id);
        self.names.push(name.to_owned());
        id
    }

    fn get(&self, name: &str) -> Option<NamespaceId> {
        self.ids.get(name).copied()
    }
}

/// What every binding subject holds of the catalogue's permissions: one who-can lookup per
/// permission marks the rules, roles collect their rules' marks, bindings hand them on.
fn held_by_subject(
    model: &RbacModel,
    probes: &Probes,
    interner: &mut Interner,
) -> HashMap<SubjectKey, Held> {
    let mut rule_sets = vec![ProbeSet::default(); model.rule_count()];
    for (permission, &probe) in &probes.index {
        for rule in model.rules_allowing(&permission.request("")) {
            rule_sets[rule] = rule_sets[rule].with(probe);
        }
    }
    let role_sets: Vec<ProbeSet> = model
        .roles()
        .iter()
        .map(|role| {
            role.rules
                .iter()
                .fold(ProbeSet::default(), |set, &rule| set.union(rule_sets[rule]))
        })
        .collect();
    let mut held: HashMap<SubjectKey, Held> = HashMap::new();
    for binding in model.bindings() {
        let Some(set) = binding.role.map(|role| role_sets[role]) else {
            continue;
        };
        if set.is_empty() {
            continue;
        }
        let namespace = binding.scope().map(|ns| interner.intern(ns));
        for subject in &binding.subjects {
            held.entry(subject.key()).or_default().add(namespace, set);
        }
    }
    held
}

/// Every identity: binding subjects, service accounts (with every namespace's `default`), and
/// the implicit anonymous and authenticated ones; those of the input first, each part sorted
/// by subject.
fn principals(model: &RbacModel, interner: &mut Interner) -> Vec<Principal> {
    let mut subjects: BTreeMap<Subject, bool> = BTreeMap::new();
    let note = |subjects: &mut BTreeMap<Subject, bool>, subject: Subject, from_input: bool| {
        *subjects.entry(subject).or_insert(from_input) |= from_input;
    };
    for binding in model.bindings() {
        for subject in &binding.subjects {
            note(&mut subjects, canonical(subject), !binding.builtin);
        }
    }
    for account in model.service_accounts() {
        note(
            &mut subjects,
            Subject::service_account(&account.namespace, &account.name),
            true,
        );
    }
    note(&mut subjects, Subject::user(ANONYMOUS), true);
    note(&mut subjects, Subject::group(AUTHENTICATED), true);
    let namespaces: BTreeSet<String> = subjects
        .keys()
        .filter(|s| s.kind == SubjectKind::ServiceAccount)
        .map(|s| s.namespace.clone())
        .chain(
            model
                .roles()
                .iter()
                .filter(|r| r.kind == RoleKind::Role)
                .map(|r| r.namespace.clone()),
        )
        .chain(
            model
                .bindings()
                .iter()
                .filter_map(|b| b.scope().map(str::to_owned)),
        )
        .collect();
    for namespace in namespaces {
        interner.intern(&namespace);
        note(
            &mut subjects,
            Subject::service_account(&namespace, "default"),
            false,
        );
    }
    let mut principals: Vec<Principal> = subjects
        .into_iter()
        .map(|(subject, from_input)| Principal {
            identity: identity_of(&subject, &[]),
            subject,
            from_input,
        })
        .collect();
    // The input's identities first: where chains of equal length exist, the search then goes
    // through them rather than through the cluster's own components.
    principals.sort_by_key(|p| !p.from_input);
    principals
}

/// A User subject of the service account form is that service account.
fn canonical(subject: &Subject) -> Subject {
    if subject.kind == SubjectKind::User {
        let identity = identity_of(subject, &[]);
        if let Some((namespace, name)) = identity
            .user
            .strip_prefix("system:serviceaccount:")
            .and_then(|rest| rest.split_once(':'))
        {
            return Subject::service_account(namespace, name);
        }
    }
    subject.clone()
}

/// What turning holdings into edges needs.
struct Context<'a> {
    probes: &'a Probes,
    nodes: &'a Nodes,
    interner: &'a Interner,
    facts: &'a ClusterFacts,
}

/// Edges for every route of every technique `held` satisfies.
fn technique_edges(
    from: NodeId,
    principal: &Principal,
    held: &Held,
    context: &Context<'_>,
    edges: &mut Vec<Edge>,
) {
    let Context {
        probes,
        nodes,
        interner,
        facts,
    } = *context;
    let mut push = |technique, route, namespace, to: Option<NodeId>| {
        let Some(to) = to else { return };
        edges.push(Edge {
            from,
            to,
            label: Label::Technique {
                technique,
                route,
                namespace,
            },
        });
    };
    if principal.identity.is_privileged() {
        let masters = TECHNIQUES
            .iter()
            .position(|t| t.id == super::TechniqueId::SystemMasters)
            .expect("system:masters is in the catalogue");
        // No route: membership is not a permission (see `step`).
        push(
            masters,
            usize::MAX,
            None,
            Some(nodes.jewel(Jewel::ClusterAdmin)),
        );
    }
    for (technique_index, technique) in TECHNIQUES.iter().enumerate() {
        if technique.id == super::TechniqueId::WriteAwsAuth && !facts.eks {
            continue;
        }
        for (route_index, route) in technique.routes.iter().enumerate() {
            match route.scope {
                Scope::Cluster => {
                    if probes.satisfied(technique_index, route_index, held.cluster) {
                        push(
                            technique_index,
                            route_index,
                            None,
                            nodes.gain(route.gain, None),
                        );
                    }
                }
                Scope::In(namespace) => {
                    let ns = interner.get(namespace).expect("interned with the routes");
                    if probes.satisfied(technique_index, route_index, held.in_namespace(ns)) {
                        push(
                            technique_index,
                            route_index,
                            Some(ns),
                            nodes.gain(route.gain, Some(ns)),
                        );
                    }
                }
                Scope::Namespace => {
                    if probes.satisfied(technique_index, route_index, held.cluster) {
                        push(
                            technique_index,
                            route_index,
                            None,
                            nodes.gain(route.gain, None),
                        );
                        continue;
                    }
                    for &ns in held.namespaces.keys() {
                        if probes.satisfied(technique_index, route_index, held.in_namespace(ns)) {
                            push(
                                technique_index,
                                route_index,
                                Some(ns),
                                nodes.gain(route.gain, Some(ns)),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Edges from the sets a principal belongs to, to it.
fn membership_edges(
    index: NodeId,
    principal: &Principal,
    model: &RbacModel,
    facts: &ClusterFacts,
    nodes: &Nodes,
    interner: &Interner,
    edges: &mut Vec<Edge>,
) {
    let subject = &principal.subject;
    let mut member_of = |set: NodeId| {
        edges.push(Edge {
            from: set,
            to: index,
            label: Label::Free,
        });
    };
    match subject.kind {
        SubjectKind::User => member_of(nodes.any_user()),
        SubjectKind::Group => {}
        SubjectKind::ServiceAccount => {
            let Some(ns) = interner.get(&subject.namespace) else {
                return;
            };
            member_of(nodes.accounts(AccountSet::Any, Some(ns)));
            let mounted = model
                .service_account(&subject.namespace, &subject.name)
                .is_some_and(|account| account.workloads.iter().any(|w| w.token_mounted()));
            if mounted {
                member_of(nodes.accounts(AccountSet::Mounted, Some(ns)));
            }
            let key = (subject.namespace.clone(), subject.name.clone());
            if facts.stored_tokens.contains(&key) {
                member_of(nodes.accounts(AccountSet::Stored, Some(ns)));
            }
        }
    }
}

/// Edge ids grouped by their end node (compressed rows).
fn reverse_index(edges: &[Edge], node_count: usize) -> (Vec<usize>, Vec<usize>) {
    let mut offsets = vec![0usize; node_count + 1];
    for edge in edges {
        offsets[edge.to as usize + 1] += 1;
    }
    for index in 1..offsets.len() {
        offsets[index] += offsets[index - 1];
    }
    let mut fill = offsets.clone();
    let mut reverse = vec![0usize; edges.len()];
    for (id, edge) in edges.iter().enumerate() {
        reverse[fill[edge.to as usize]] = id;
        fill[edge.to as usize] += 1;
    }
    (offsets, reverse)
}
