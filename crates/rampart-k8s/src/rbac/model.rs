//! The RBAC model of one input: roles with their effective (aggregated) rules, bindings
//! resolved to roles, and the indexes that answer can-i, who-can and permissions quickly.

use std::collections::{HashMap, HashSet};

use rampart_core::{Diagnostic, Location};
use rampart_source::Object;

use super::defaults::default_objects;
use super::load::{ReadRole, RoleKindName, display_name, is_rbac, read_binding, read_role};
use super::rule::{ALL, PolicyRule, Request, Target};
use super::selector::LabelSelector;
use super::service_accounts::{ServiceAccount, link_service_accounts};
use super::subject::{Identity, MASTERS, Subject, SubjectKey};

pub type RoleId = usize;
pub type BindingId = usize;
pub type RuleId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RoleKind {
    Role,
    ClusterRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BindingKind {
    RoleBinding,
    ClusterRoleBinding,
}

impl RoleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RoleKind::Role => "Role",
            RoleKind::ClusterRole => "ClusterRole",
        }
    }
}

impl BindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BindingKind::RoleBinding => "RoleBinding",
            BindingKind::ClusterRoleBinding => "ClusterRoleBinding",
        }
    }
}

/// A Role or ClusterRole.
#[derive(Debug, Clone)]
pub struct Role {
    pub kind: RoleKind,
    /// Empty for a ClusterRole.
    pub namespace: String,
    pub name: String,
    pub labels: Vec<(String, String)>,
    /// The selectors of a ClusterRole's `aggregationRule`.
    pub aggregation: Option<Vec<LabelSelector>>,
    /// The rules the object itself lists.
    pub declared_rules: Vec<RuleId>,
    /// The rules it grants: the declared ones, or for an aggregated ClusterRole the union of
    /// the rules of every ClusterRole its selectors match.
    pub rules: Vec<RuleId>,
    pub location: Location,
    /// True for a role of the Kubernetes bootstrap policy that the input does not override.
    pub builtin: bool,
}

/// A rule with where it was written.
#[derive(Debug, Clone)]
pub struct StoredRule {
    pub rule: PolicyRule,
    /// The role that lists it (for aggregated rules, the role aggregated from).
    pub role: RoleId,
    /// Its index in that role's `rules`.
    pub index: usize,
    pub line: u32,
}

/// A RoleBinding or ClusterRoleBinding.
#[derive(Debug, Clone)]
pub struct Binding {
    pub kind: BindingKind,
    /// Empty for a ClusterRoleBinding.
    pub namespace: String,
    pub name: String,
    pub role_ref_kind: RoleKind,
    pub role_ref_name: String,
    /// The role it binds; `None` when the input has no such role (reported).
    pub role: Option<RoleId>,
    pub subjects: Vec<Subject>,
    pub location: Location,
    pub builtin: bool,
}

impl Binding {
    /// Whether the binding's grants apply to a request in `namespace` (empty: cluster-wide).
    pub fn applies_in(&self, namespace: &str) -> bool {
        match self.kind {
            BindingKind::ClusterRoleBinding => true,
            BindingKind::RoleBinding => !namespace.is_empty() && self.namespace == namespace,
        }
    }

    /// Where its grants apply: `None` cluster-wide, else its namespace.
    pub fn scope(&self) -> Option<&str> {
        match self.kind {
            BindingKind::ClusterRoleBinding => None,
            BindingKind::RoleBinding => Some(&self.namespace),
        }
    }
}

/// One permission: a rule of a role, granted through a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Grant {
    pub binding: BindingId,
    pub role: RoleId,
    pub rule: RuleId,
}

/// Why a request is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// The requester is in `system:masters`, which the API server allows before RBAC.
    PrivilegedGroup,
    Grant(Grant),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    /// Every grant that allows the request, not only the first one.
    pub reasons: Vec<Reason>,
}

/// A subject allowed to make a request, and every way it is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedSubject {
    pub subject: Subject,
    pub via: Vec<Reason>,
}

/// The grants one identity holds in one scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedGrants {
    /// `None`: cluster-wide (ClusterRoleBindings).
    pub namespace: Option<String>,
    pub grants: Vec<Grant>,
}

#[derive(Debug, Clone, Copy)]
pub struct RbacOptions {
    /// Add the roles and bindings every cluster starts with (`--no-defaults` turns it off).
    pub defaults: bool,
}

impl Default for RbacOptions {
    fn default() -> RbacOptions {
        RbacOptions { defaults: true }
    }
}

/// Resource rules by (API group, resource) as written, wildcards included, so a request looks
/// up only the few buckets that can match it.
#[derive(Debug, Default)]
struct RuleIndex {
    by_group_resource: HashMap<(String, String), Vec<RuleId>>,
    non_resource: Vec<RuleId>,
}

impl RuleIndex {
    fn insert(&mut self, id: RuleId, rule: &PolicyRule) {
        if rule.is_non_resource() {
            self.non_resource.push(id);
            return;
        }
        for group in &rule.api_groups {
            for resource in &rule.resources {
                self.by_group_resource
                    .entry((group.clone(), resource.clone()))
                    .or_default()
                    .push(id);
            }
        }
    }

    /// Rules that may allow `request` (a superset; callers check each).
    fn candidates(&self, request: &Request) -> Vec<RuleId> {
        let Target::Resource {
            api_group,
            resource,
            subresource,
            ..
        } = &request.target
        else {
            return self.non_resource.clone();
        };
        let mut resources = vec![ALL.to_owned()];
        if subresource.is_empty() {
            resources.push(resource.clone());
        } else {
            resources.push(format!("{resource}/{subresource}"));
            resources.push(format!("{ALL}/{subresource}"));
        }
        let mut found = Vec::new();
        for group in [api_group.as_str(), ALL] {
            for resource in &resources {
                if let Some(ids) = self
                    .by_group_resource
                    .get(&(group.to_owned(), resource.clone()))
                {
                    found.extend_from_slice(ids);
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// Roles, bindings, rules and service accounts of one input, indexed.
#[derive(Debug, Default)]
pub struct RbacModel {
    roles: Vec<Role>,
    bindings: Vec<Binding>,
    rules: Vec<StoredRule>,
    service_accounts: Vec<ServiceAccount>,
    diagnostics: Vec<Diagnostic>,
    role_ids: HashMap<(RoleKind, String, String), RoleId>,
    bindings_by_subject: HashMap<SubjectKey, Vec<BindingId>>,
    bindings_by_role: Vec<Vec<BindingId>>,
    /// For each rule, the roles whose effective rules include it.
    roles_by_rule: Vec<Vec<RoleId>>,
    rule_index: RuleIndex,
}

/// An object's identity among RBAC objects, for overrides and duplicates.
type ObjectKey<'a> = (&'a str, &'a str, &'a str);

fn object_key(object: &Object) -> ObjectKey<'_> {
    (
        object.kind.as_str(),
        object.namespace.as_deref().unwrap_or(""),
        object.name.as_str(),
    )
}

/// The annotation with which a bootstrap role or binding keeps the API server from restoring
/// its default definition at start.
const AUTOUPDATE: &str = "rbac.authorization.kubernetes.io/autoupdate";

fn opts_out_of_reconciliation(object: &Object) -> bool {
    object.annotation(AUTOUPDATE) == Some("false")
}

fn restored_diagnostic(object: &Object) -> Diagnostic {
    Diagnostic::warning(
        object.path.to_string(),
        Some(object.root.span.line),
        format!(
            "{} {} redefines a bootstrap object without `{AUTOUPDATE}: \"false\"`: the API \
             server adds its default rules and subjects back at every start, and rampart \
             judges it with them",
            object.kind,
            display_name(object.namespace.as_deref(), &object.name),
        ),
    )
}

impl RbacModel {
    /// Builds the model from the scanned objects (and, unless turned off, the default roles
    /// and bindings; an input object of the same kind and name replaces a default one).
    pub fn build(objects: &[Object], options: &RbacOptions) -> RbacModel {
        let mut model = RbacModel::default();
        let mut seen: HashMap<ObjectKey<'_>, usize> = HashMap::new();
        let mut inputs: Vec<(&Object, bool)> = Vec::new();
        for object in objects {
            let is_rbac_object = ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]
                .iter()
                .any(|kind| is_rbac(object, kind));
            if !is_rbac_object {
                continue;
            }
            if let Some(&earlier) = seen.get(&object_key(object)) {
                let (first, _) = inputs[earlier];
                // The API server keeps the last one applied: the earlier one is not lost
                // input, it is replaced, so this is a warning.
                model.diagnostics.push(Diagnostic::warning(
                    object.path.to_string(),
                    Some(object.root.span.line),
                    format!(
                        "{} {} is defined twice (also at {}:{}); the later definition is used",
                        object.kind,
                        display_name(object.namespace.as_deref(), &object.name),
                        first.path,
                        first.root.span.line
                    ),
                ));
                inputs[earlier] = (object, false);
                continue;
            }
            seen.insert(object_key(object), inputs.len());
            inputs.push((object, false));
        }
        // Bootstrap roles and bindings the input redefines: the API server reconciles them at
        // start, adding back the default rules, aggregation selectors and subjects (it keeps
        // extra ones), unless the object opts out with the autoupdate annotation.
        let mut restored: Vec<&Object> = Vec::new();
        if options.defaults {
            for object in default_objects() {
                match seen.get(&object_key(object)) {
                    None => inputs.push((object, true)),
                    Some(&at) if !opts_out_of_reconciliation(inputs[at].0) => {
                        model.diagnostics.push(restored_diagnostic(inputs[at].0));
                        restored.push(object);
                    }
                    Some(_) => {}
                }
            }
        }
        for &(object, builtin) in &inputs {
            model.quietly_if(builtin, |model| model.add_role(object, builtin));
        }
        for &object in &restored {
            model.quietly_if(true, |model| model.restore_role(object));
        }
        model.aggregate();
        for &(object, builtin) in &inputs {
            model.quietly_if(builtin, |model| model.add_binding(object, builtin));
        }
        // A restored binding's default subjects hold its role alongside the input's.
        for &object in &restored {
            model.quietly_if(true, |model| model.add_binding(object, true));
        }
        model.service_accounts = link_service_accounts(objects);
        model.index();
        model
    }

    /// Runs `add`, dropping its diagnostics when `quiet`: the defaults are known to be what
    /// the API server creates (`system:node` is bound to no one on purpose).
    fn quietly_if(&mut self, quiet: bool, add: impl FnOnce(&mut RbacModel)) {
        let before = self.diagnostics.len();
        add(self);
        if quiet {
            self.diagnostics.truncate(before);
        }
    }

    fn add_role(&mut self, object: &Object, builtin: bool) {
        let (kind, namespaced) = if is_rbac(object, "Role") {
            (RoleKind::Role, true)
        } else if is_rbac(object, "ClusterRole") {
            (RoleKind::ClusterRole, false)
        } else {
            return;
        };
        let ReadRole {
            namespace,
            labels,
            aggregation,
            rules,
            location,
        } = read_role(object, namespaced, &mut self.diagnostics);
        let id = self.roles.len();
        let declared: Vec<RuleId> = rules
            .into_iter()
            .map(|read| {
                self.rules.push(StoredRule {
                    rule: read.rule,
                    role: id,
                    index: read.index,
                    line: read.line,
                });
                self.rules.len() - 1
            })
            .collect();
        self.role_ids
            .insert((kind, namespace.clone(), object.name.clone()), id);
        self.roles.push(Role {
            kind,
            namespace,
            name: object.name.clone(),
            labels,
            aggregation,
            rules: declared.clone(),
            declared_rules: declared,
            location,
            builtin,
        });
    }

    /// Adds the default definition of a bootstrap role that the input redefined to the
    /// input's role, as reconciliation does: the default rules join the input's (kept as a
    /// role of their own, so grants cite where they come from), the default aggregation
    /// selectors join the input's.
    fn restore_role(&mut self, default: &Object) {
        let kind = if is_rbac(default, "Role") {
            RoleKind::Role
        } else if is_rbac(default, "ClusterRole") {
            RoleKind::ClusterRole
        } else {
            return;
        };
        let key = (
            kind,
            default.namespace.clone().unwrap_or_default(),
            default.name.clone(),
        );
        let Some(&input) = self.role_ids.get(&key) else {
            return;
        };
        self.add_role(default, true);
        let restored = self.roles.len() - 1;
        self.role_ids.insert(key, input);
        let rules = self.roles[restored].rules.clone();
        let selectors = self.roles[restored].aggregation.clone();
        let role = &mut self.roles[input];
        role.rules.extend(rules);
        if let Some(selectors) = selectors {
            role.aggregation
                .get_or_insert_with(Vec::new)
                .extend(selectors);
        }
    }

    /// Computes aggregated ClusterRoles as the aggregation controller does: the rules of every
    /// other ClusterRole a selector matches, in selector order then by name, without repeating
    /// an equal rule. Aggregated roles can feed each other (`view` into `edit` into `admin`), so
    /// this repeats until nothing changes, starting aggregated roles from no rules: for
    /// acyclic aggregation that is the controller's result.
    fn aggregate(&mut self) {
        let mut cluster_roles: Vec<RoleId> = (0..self.roles.len())
            .filter(|&id| self.roles[id].kind == RoleKind::ClusterRole)
            .collect();
        cluster_roles.sort_by(|&a, &b| self.roles[a].name.cmp(&self.roles[b].name));
        let roles = &self.roles;
        let sources: Vec<(RoleId, Vec<RoleId>)> = cluster_roles
            .iter()
            .filter_map(|&id| {
                let selectors = roles[id].aggregation.as_ref()?;
                let matched = selectors
                    .iter()
                    .flat_map(|selector| {
                        cluster_roles.iter().copied().filter(move |&other| {
                            other != id && selector.matches(&roles[other].labels)
                        })
                    })
                    .collect();
                Some((id, matched))
            })
            .collect();
        for (id, _) in &sources {
            self.roles[*id].rules.clear();
        }
        loop {
            let mut changed = false;
            for (id, matched) in &sources {
                let mut seen: HashSet<&PolicyRule> = HashSet::new();
                let mut union = Vec::new();
                for &other in matched {
                    for &rule in &self.roles[other].rules {
                        if seen.insert(&self.rules[rule].rule) {
                            union.push(rule);
                        }
                    }
                }
                if union != self.roles[*id].rules {
                    self.roles[*id].rules = union;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    fn add_binding(&mut self, object: &Object, builtin: bool) {
        let (kind, namespaced) = if is_rbac(object, "RoleBinding") {
            (BindingKind::RoleBinding, true)
        } else if is_rbac(object, "ClusterRoleBinding") {
            (BindingKind::ClusterRoleBinding, false)
        } else {
            return;
        };
        let Some(read) = read_binding(object, namespaced, &mut self.diagnostics) else {
            return;
        };
        let (role_ref_kind, role_namespace) = match read.role_kind {
            RoleKindName::Role => (RoleKind::Role, read.namespace.clone()),
            RoleKindName::ClusterRole => (RoleKind::ClusterRole, String::new()),
        };
        let role = self
            .role_ids
            .get(&(
                role_ref_kind,
                role_namespace.clone(),
                read.role_name.clone(),
            ))
            .copied();
        if role.is_none() {
            let where_ = if role_namespace.is_empty() {
                String::new()
            } else {
                format!(" in namespace {role_namespace}")
            };
            // The API server accepts a binding to a role that does not exist yet: the binding
            // is scanned, and simply grants nothing.
            self.diagnostics.push(Diagnostic::warning(
                object.path.to_string(),
                Some(object.span_at("/roleRef/name").line),
                format!(
                    "{} {}: roleRef names {} {}{where_}, which is not in the input; the \
                     binding grants nothing until it exists",
                    object.kind,
                    display_name(object.namespace.as_deref(), &object.name),
                    role_ref_kind.as_str(),
                    read.role_name
                ),
            ));
        }
        self.bindings.push(Binding {
            kind,
            namespace: read.namespace,
            name: object.name.clone(),
            role_ref_kind,
            role_ref_name: read.role_name,
            role,
            subjects: read.subjects,
            location: read.location,
            builtin,
        });
    }

    fn index(&mut self) {
        self.bindings_by_role = vec![Vec::new(); self.roles.len()];
        for (id, binding) in self.bindings.iter().enumerate() {
            if let Some(role) = binding.role {
                self.bindings_by_role[role].push(id);
            }
            for subject in &binding.subjects {
                let list = self.bindings_by_subject.entry(subject.key()).or_default();
                if list.last() != Some(&id) {
                    list.push(id);
                }
            }
        }
        self.roles_by_rule = vec![Vec::new(); self.rules.len()];
        for (id, role) in self.roles.iter().enumerate() {
            for &rule in &role.rules {
                self.roles_by_rule[rule].push(id);
            }
        }
        for (id, stored) in self.rules.iter().enumerate() {
            self.rule_index.insert(id, &stored.rule);
        }
        self.diagnostics.sort();
    }

    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    pub fn role(&self, id: RoleId) -> &Role {
        &self.roles[id]
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    pub fn binding(&self, id: BindingId) -> &Binding {
        &self.bindings[id]
    }

    pub fn rule(&self, id: RuleId) -> &StoredRule {
        &self.rules[id]
    }

    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The role of `kind` named `name` (in `namespace` for a Role).
    pub fn find_role(&self, kind: RoleKind, namespace: &str, name: &str) -> Option<RoleId> {
        let namespace = match kind {
            RoleKind::Role => namespace,
            RoleKind::ClusterRole => "",
        };
        self.role_ids
            .get(&(kind, namespace.to_owned(), name.to_owned()))
            .copied()
    }

    /// The bindings that bind role `id`.
    pub fn bindings_of_role(&self, id: RoleId) -> &[BindingId] {
        &self.bindings_by_role[id]
    }

    /// Every service account declared in the input or run as by a workload, with its
    /// workloads.
    pub fn service_accounts(&self) -> &[ServiceAccount] {
        &self.service_accounts
    }

    pub fn service_account(&self, namespace: &str, name: &str) -> Option<&ServiceAccount> {
        self.service_accounts
            .binary_search_by(|sa| {
                (sa.namespace.as_str(), sa.name.as_str()).cmp(&(namespace, name))
            })
            .ok()
            .map(|index| &self.service_accounts[index])
    }

    /// Problems in the input, sorted by file and line.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The bindings whose subjects include `identity` (its user name or one of its groups).
    pub fn bindings_for(&self, identity: &Identity) -> Vec<BindingId> {
        let mut ids: Vec<BindingId> = identity
            .keys()
            .filter_map(|key| self.bindings_by_subject.get(&key))
            .flatten()
            .copied()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Every rule that allows `request`, wherever it is bound, found through the who-can
    /// index: for analyses that ask the same question of every rule.
    pub fn rules_allowing(&self, request: &Request) -> Vec<RuleId> {
        let mut rules = self.rule_index.candidates(request);
        rules.retain(|&rule| self.rules[rule].rule.allows(request));
        rules
    }

    /// Whether `identity` may make `request`, with every reason.
    pub fn can_i(&self, identity: &Identity, request: &Request) -> Decision {
        let mut reasons = Vec::new();
        if identity.is_privileged() {
            reasons.push(Reason::PrivilegedGroup);
        }
        for binding_id in self.bindings_for(identity) {
            let binding = &self.bindings[binding_id];
            let Some(role) = binding
                .role
                .filter(|_| binding.applies_in(&request.namespace))
            else {
                continue;
            };
            for &rule in &self.roles[role].rules {
                if self.rules[rule].rule.allows(request) {
                    reasons.push(Reason::Grant(Grant {
                        binding: binding_id,
                        role,
                        rule,
                    }));
                }
            }
        }
        Decision {
            allowed: !reasons.is_empty(),
            reasons,
        }
    }

    /// Every subject named in a binding that allows `request`, plus `system:masters`, each with
    /// the grants that allow it; sorted by kind, namespace and name.
    pub fn who_can(&self, request: &Request) -> Vec<AllowedSubject> {
        let mut by_subject: HashMap<&Subject, Vec<Reason>> = HashMap::new();
        for rule in self.rule_index.candidates(request) {
            if !self.rules[rule].rule.allows(request) {
                continue;
            }
            for &role in &self.roles_by_rule[rule] {
                for &binding_id in &self.bindings_by_role[role] {
                    let binding = &self.bindings[binding_id];
                    if !binding.applies_in(&request.namespace) {
                        continue;
                    }
                    let grant = Reason::Grant(Grant {
                        binding: binding_id,
                        role,
                        rule,
                    });
                    for subject in &binding.subjects {
                        by_subject.entry(subject).or_default().push(grant);
                    }
                }
            }
        }
        let masters = Subject::group(MASTERS);
        let mut allowed: Vec<AllowedSubject> = by_subject
            .into_iter()
            .map(|(subject, mut via)| {
                via.sort_unstable();
                via.dedup();
                AllowedSubject {
                    subject: subject.clone(),
                    via,
                }
            })
            .collect();
        match allowed.iter_mut().find(|a| a.subject == masters) {
            Some(entry) => entry.via.insert(0, Reason::PrivilegedGroup),
            None => allowed.push(AllowedSubject {
                subject: masters,
                via: vec![Reason::PrivilegedGroup],
            }),
        }
        allowed.sort_by(|a, b| a.subject.cmp(&b.subject));
        allowed
    }

    /// Everything `identity` is granted: cluster-wide first, then per namespace by name. Rules
    /// a RoleBinding cannot make effective (non-resource URLs) are left out.
    pub fn permissions(&self, identity: &Identity) -> Vec<ScopedGrants> {
        let mut scopes: Vec<ScopedGrants> = Vec::new();
        for binding_id in self.bindings_for(identity) {
            let binding = &self.bindings[binding_id];
            let Some(role) = binding.role else { continue };
            let namespace = binding.scope().map(str::to_owned);
            let index = match scopes.iter().position(|s| s.namespace == namespace) {
                Some(index) => index,
                None => {
                    scopes.push(ScopedGrants {
                        namespace,
                        grants: Vec::new(),
                    });
                    scopes.len() - 1
                }
            };
            let grants = self.roles[role]
                .rules
                .iter()
                .filter(|&&rule| {
                    binding.kind == BindingKind::ClusterRoleBinding
                        || !self.rules[rule].rule.is_non_resource()
                })
                .map(|&rule| Grant {
                    binding: binding_id,
                    role,
                    rule,
                });
            scopes[index].grants.extend(grants);
        }
        scopes.sort_by(|a, b| a.namespace.cmp(&b.namespace));
        scopes
    }
}
