//! Audit policy (`--audit-policy-file`, `audit.k8s.io/v1` `Policy`): for each request the API
//! server takes the level of the first rule that matches it, and logs nothing (`None`) for a
//! request no rule matches. A rule matches when every list it sets holds the request's value:
//! `users`, `userGroups` (any of the user's groups), `verbs`, `namespaces` (`""` for
//! cluster-scoped resources), `resources` (by group, resource — `*`, `name/*` and `*/sub`
//! wildcards — and `resourceNames`), or `nonResourceURLs` for requests outside the resource
//! API. Rules here are compared without a concrete request: which rules can decide the level
//! of some request on a resource, given the rules above them.

use rampart_core::Diagnostic;
use rampart_source::{Node, Object};

use crate::reporter::Reporter;

/// How much of a request the audit log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    None,
    Metadata,
    Request,
    RequestResponse,
}

impl Level {
    fn parse(text: &str) -> Option<Level> {
        Some(match text {
            "None" => Level::None,
            "Metadata" => Level::Metadata,
            "Request" => Level::Request,
            "RequestResponse" => Level::RequestResponse,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Level::None => "None",
            Level::Metadata => "Metadata",
            Level::Request => "Request",
            Level::RequestResponse => "RequestResponse",
        }
    }
}

const STAGES: [&str; 4] = [
    "RequestReceived",
    "ResponseStarted",
    "ResponseComplete",
    "Panic",
];

/// The stages whose events carry the request and response bodies (the `RequestReceived`
/// event is written before the body is read).
const BODY_STAGES: [&str; 3] = ["ResponseStarted", "ResponseComplete", "Panic"];

/// One `resources` element of a rule.
#[derive(Debug, Clone, Default)]
pub struct GroupResources {
    pub group: String,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
}

impl GroupResources {
    /// Whether this element can match a request on `resource` of `group` (without a
    /// subresource), for some object name.
    fn matches(&self, group: &str, resource: &str) -> bool {
        if self.group != group {
            return false;
        }
        self.resources.is_empty()
            || self.resources.iter().any(|written| {
                written == resource
                    || written == "*"
                    || written.strip_suffix("/*") == Some(resource)
            })
    }
}

/// The object names of a resource a rule can match.
enum Names<'r> {
    All,
    Only(Vec<&'r str>),
}

/// A resource a rule is compared on.
#[derive(Debug, Clone, Copy)]
pub struct Resource {
    pub group: &'static str,
    pub resource: &'static str,
    pub namespaced: bool,
}

impl Resource {
    /// How messages name it: `secrets`, `tokenreviews.authentication.k8s.io`.
    pub fn written(self) -> String {
        if self.group.is_empty() {
            self.resource.to_owned()
        } else {
            format!("{}.{}", self.resource, self.group)
        }
    }
}

/// Resources whose request or response bodies carry credentials: Secret data, ConfigMap data
/// (where credentials end up more often than they should), and the bearer tokens that
/// TokenReviews submit.
pub const SENSITIVE: [Resource; 3] = [
    Resource {
        group: "",
        resource: "secrets",
        namespaced: true,
    },
    Resource {
        group: "",
        resource: "configmaps",
        namespaced: true,
    },
    Resource {
        group: "authentication.k8s.io",
        resource: "tokenreviews",
        namespaced: false,
    },
];

/// One rule of the policy.
#[derive(Debug, Clone)]
pub struct AuditRule {
    /// JSON pointer of the rule (`/rules/0`).
    pub pointer: String,
    pub level: Level,
    pub users: Vec<String>,
    pub user_groups: Vec<String>,
    pub verbs: Vec<String>,
    pub resources: Vec<GroupResources>,
    pub namespaces: Vec<String>,
    pub non_resource_urls: Vec<String>,
    /// The rule's stages to leave out, with the policy's.
    pub omit_stages: Vec<String>,
}

impl AuditRule {
    /// Matches every request: the rule the policy ends with so that nothing goes unrecorded.
    pub fn is_catch_all(&self) -> bool {
        self.users.is_empty()
            && self.user_groups.is_empty()
            && self.verbs.is_empty()
            && self.resources.is_empty()
            && self.namespaces.is_empty()
            && self.non_resource_urls.is_empty()
    }

    /// Whether the events this rule writes carry request or response bodies.
    pub fn logs_bodies(&self) -> bool {
        self.level >= Level::Request
            && BODY_STAGES
                .iter()
                .any(|stage| !self.omit_stages.iter().any(|omitted| omitted == stage))
    }

    fn is_resource_rule(&self) -> bool {
        !self.resources.is_empty() || !self.namespaces.is_empty()
    }

    /// Whether the rule matches some request on `target`.
    pub fn can_match(&self, target: Resource) -> bool {
        if !self.is_resource_rule() {
            return self.non_resource_urls.is_empty();
        }
        let namespace_fits = self.namespaces.is_empty()
            || self
                .namespaces
                .iter()
                .any(|namespace| namespace.is_empty() != target.namespaced);
        namespace_fits
            && (self.resources.is_empty()
                || self
                    .resources
                    .iter()
                    .any(|gr| gr.matches(target.group, target.resource)))
    }

    /// The names of `target` objects the rule can match (`resourceNames` restricts the
    /// `resources` element it is in; a rule without `resources` matches every name).
    fn names(&self, target: Resource) -> Names<'_> {
        let mut names = Vec::new();
        for gr in &self.resources {
            if !gr.matches(target.group, target.resource) {
                continue;
            }
            if gr.resource_names.is_empty() {
                return Names::All;
            }
            names.extend(gr.resource_names.iter().map(String::as_str));
        }
        if self.resources.is_empty() {
            Names::All
        } else {
            Names::Only(names)
        }
    }

    /// Whether every request on `target` that `later` matches, this rule matches too (so
    /// `later` never decides one).
    fn covers(&self, later: &AuditRule, target: Resource) -> bool {
        let within = |mine: &[String], theirs: &[String]| {
            mine.is_empty() || (!theirs.is_empty() && theirs.iter().all(|t| mine.contains(t)))
        };
        // A cluster-scoped resource is always in namespace "": a rule naming "" takes all of
        // its requests; a namespaced one is in whatever namespace `later` allows.
        let namespaces_fit = self.namespaces.is_empty()
            || if target.namespaced {
                let theirs: Vec<String> = later
                    .namespaces
                    .iter()
                    .filter(|namespace| !namespace.is_empty())
                    .cloned()
                    .collect();
                within(&self.namespaces, &theirs)
            } else {
                self.namespaces.iter().any(String::is_empty)
            };
        let resources_fit = if !self.is_resource_rule() {
            self.non_resource_urls.is_empty()
        } else {
            let names_fit = match (self.names(target), later.names(target)) {
                (Names::All, _) => true,
                (Names::Only(mine), Names::Only(theirs)) => {
                    theirs.iter().all(|name| mine.contains(name))
                }
                (Names::Only(_), Names::All) => false,
            };
            names_fit && namespaces_fit
        };
        resources_fit
            && within(&self.users, &later.users)
            && within(&self.user_groups, &later.user_groups)
            && within(&self.verbs, &later.verbs)
    }

    /// The conditions besides the resource that limit the rule, for messages: `users
    /// [alice], verbs [get]`; empty when none do.
    pub fn conditions(&self) -> String {
        [
            ("users", &self.users),
            ("userGroups", &self.user_groups),
            ("verbs", &self.verbs),
            ("namespaces", &self.namespaces),
        ]
        .iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(name, values)| format!("{name} [{}]", values.join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// A parsed audit policy.
#[derive(Debug, Clone, Default)]
pub struct AuditPolicy {
    pub rules: Vec<AuditRule>,
}

impl AuditPolicy {
    /// Reads `object`, with an error for each thing the API server would refuse it for.
    pub fn parse(object: &Object) -> (AuditPolicy, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let mut problems = Reporter::new(object, &mut errors);
        let policy_omits = stages(&object.root, "", &mut problems);
        let mut policy = AuditPolicy::default();
        let items = problems.list(object.root.get("rules"), "/rules");
        for (index, item) in items.iter().enumerate() {
            let pointer = format!("/rules/{index}");
            if let Some(rule) = read_rule(item, pointer, &policy_omits, &mut problems) {
                policy.rules.push(rule);
            }
        }
        (policy, errors)
    }

    /// The rules that decide the level of some request on `target`, in order: each can match
    /// such a request, and no single rule above it matches all of those it would. (A rule that
    /// only several rules above it cover together, say one for `verbs: [get]` and one for every
    /// other verb, is still counted: rules are compared one pair at a time.)
    pub fn deciding_rules(&self, target: Resource) -> Vec<&AuditRule> {
        let mut deciding: Vec<&AuditRule> = Vec::new();
        for (index, rule) in self.rules.iter().enumerate() {
            let shadowed = self.rules[..index]
                .iter()
                .any(|earlier| earlier.covers(rule, target));
            if rule.can_match(target) && !shadowed {
                deciding.push(rule);
            }
        }
        deciding
    }

    /// The first rule that matches every request.
    pub fn catch_all(&self) -> Option<&AuditRule> {
        self.rules.iter().find(|rule| rule.is_catch_all())
    }
}

fn read_rule(
    item: &Node,
    pointer: String,
    policy_omits: &[String],
    problems: &mut Reporter<'_, '_>,
) -> Option<AuditRule> {
    if item.as_map().is_none() {
        problems.error(
            &pointer,
            format!("must be an object, found {}", item.type_name()),
        );
        return None;
    }
    let field = |name: &str| format!("{pointer}/{name}");
    let level = match item.get("level").map(|node| (node, node.as_str())) {
        Some((_, Some(text))) => Level::parse(text).or_else(|| {
            problems.error(
                &field("level"),
                format!("`{text}` is not a level: None, Metadata, Request or RequestResponse"),
            );
            None
        }),
        Some((node, None)) => {
            problems.error(
                &field("level"),
                format!("must be a string, found {}", node.type_name()),
            );
            None
        }
        None => {
            problems.error(&pointer, "a rule needs a `level`");
            None
        }
    };
    let mut list = |name: &str| problems.strings(item.get(name), &field(name));
    let users = list("users");
    let user_groups = list("userGroups");
    let verbs = list("verbs");
    let namespaces = list("namespaces");
    let non_resource_urls = list("nonResourceURLs");
    let resources = group_resources(item.get("resources"), &field("resources"), problems);
    if !non_resource_urls.is_empty() && (!resources.is_empty() || !namespaces.is_empty()) {
        problems.error(
            &pointer,
            "a rule cannot apply to both resources and non-resource URLs",
        );
    }
    let mut omit_stages = stages(item, &pointer, problems);
    omit_stages.extend(policy_omits.iter().cloned());
    Some(AuditRule {
        pointer,
        level: level?,
        users,
        user_groups,
        verbs,
        resources,
        namespaces,
        non_resource_urls,
        omit_stages,
    })
}

fn group_resources(
    node: Option<&Node>,
    pointer: &str,
    problems: &mut Reporter<'_, '_>,
) -> Vec<GroupResources> {
    problems
        .list(node, pointer)
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let at = format!("{pointer}/{index}");
            let group = match item.get("group") {
                Some(node) if !node.is_null() => {
                    node.as_str().map(str::to_owned).unwrap_or_else(|| {
                        problems.error(
                            &format!("{at}/group"),
                            format!("must be a string, found {}", node.type_name()),
                        );
                        String::new()
                    })
                }
                _ => String::new(),
            };
            GroupResources {
                group,
                resources: problems.strings(item.get("resources"), &format!("{at}/resources")),
                resource_names: problems
                    .strings(item.get("resourceNames"), &format!("{at}/resourceNames")),
            }
        })
        .collect()
}

/// The `omitStages` of a rule or of the policy (`pointer` ""), each checked.
fn stages(node: &Node, pointer: &str, problems: &mut Reporter<'_, '_>) -> Vec<String> {
    let at = format!("{pointer}/omitStages");
    let stages = problems.strings(node.get("omitStages"), &at);
    for (index, stage) in stages.iter().enumerate() {
        if !STAGES.contains(&stage.as_str()) {
            problems.error(
                &format!("{at}/{index}"),
                format!("`{stage}` is not a stage: {}", STAGES.join(", ")),
            );
        }
    }
    stages
}

#[cfg(test)]
mod tests {
    use rampart_source::{Limits, parse_text};

    use super::*;

    fn parse(rules: &str) -> (AuditPolicy, Vec<String>) {
        let text = format!("apiVersion: audit.k8s.io/v1\nkind: Policy\n{rules}");
        let (objects, errors) = parse_text("audit.yaml", &text, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        let (policy, errors) = AuditPolicy::parse(&objects[0]);
        let errors = errors
            .into_iter()
            .map(|e| format!("{}: {}", e.line.unwrap(), e.message))
            .collect();
        (policy, errors)
    }

    fn deciding(policy: &AuditPolicy, target: Resource) -> Vec<&str> {
        policy
            .deciding_rules(target)
            .iter()
            .map(|rule| rule.pointer.as_str())
            .collect()
    }

    #[test]
    fn first_matching_rule_decides() {
        let (policy, errors) = parse(
            "rules:\n\
             - level: None\n  nonResourceURLs: ['/healthz*']\n\
             - level: None\n  users: [system:kube-proxy]\n  verbs: [watch]\n\
             - level: Metadata\n  resources: [{group: '', resources: [secrets, configmaps]}]\n\
             - level: RequestResponse\n  resources: [{group: ''}]\n\
             - level: Request\n  namespaces: ['']\n\
             - level: Metadata\n",
        );
        assert_eq!(errors, Vec::<String>::new());
        let [secrets, configmaps, tokenreviews] = SENSITIVE;
        // kube-proxy's watches could be on secrets; the Metadata rule covers the rest of them.
        assert_eq!(deciding(&policy, secrets), ["/rules/1", "/rules/2"]);
        assert_eq!(deciding(&policy, configmaps), ["/rules/1", "/rules/2"]);
        // tokenreviews are cluster-scoped: the `namespaces: ['']` rule takes them all.
        assert_eq!(deciding(&policy, tokenreviews), ["/rules/1", "/rules/4"]);
        assert_eq!(policy.catch_all().unwrap().pointer, "/rules/5");
    }

    #[test]
    fn wildcards_names_and_stages() {
        let (policy, _) = parse(
            "omitStages: [ResponseStarted, Panic]\n\
             rules:\n\
             - level: None\n  resources: [{resources: [secrets], resourceNames: [one]}]\n\
             - level: RequestResponse\n  resources: [{resources: ['secrets/*']}]\n  omitStages: [ResponseComplete]\n\
             - level: Request\n  resources: [{resources: ['*']}]\n",
        );
        let [secrets, configmaps, _] = SENSITIVE;
        assert_eq!(deciding(&policy, secrets), ["/rules/0", "/rules/1"]);
        // A rule limited to names an earlier rule takes whole decides nothing.
        let (names, _) = parse(
            "rules:\n\
             - level: Metadata\n  resources: [{resources: [secrets], resourceNames: [a, b]}]\n\
             - level: RequestResponse\n  resources: [{resources: [secrets], resourceNames: [b]}]\n\
             - level: RequestResponse\n  resources: [{resources: [secrets], resourceNames: [b, c]}]\n",
        );
        assert_eq!(deciding(&names, secrets), ["/rules/0", "/rules/2"]);
        assert!(!policy.rules[1].logs_bodies());
        assert_eq!(deciding(&policy, configmaps), ["/rules/2"]);
        assert!(policy.rules[2].logs_bodies());
        assert!(policy.catch_all().is_none());
    }

    #[test]
    fn refuses_what_the_api_server_refuses() {
        let (policy, errors) = parse(
            "rules:\n- level: Everything\n- {}\n- level: Metadata\n  omitStages: [Done]\n  nonResourceURLs: ['/x']\n  namespaces: [a]\n- level: 3\n- level: None\n  users: admin\n",
        );
        assert_eq!(
            errors,
            [
                "4: Policy `/rules/0/level`: `Everything` is not a level: None, Metadata, Request or RequestResponse",
                "5: Policy `/rules/1`: a rule needs a `level`",
                "6: Policy `/rules/2`: a rule cannot apply to both resources and non-resource URLs",
                "7: Policy `/rules/2/omitStages/0`: `Done` is not a stage: RequestReceived, ResponseStarted, ResponseComplete, Panic",
                "10: Policy `/rules/3/level`: must be a string, found number",
                "12: Policy `/rules/4/users`: must be a list, found string",
            ]
        );
        assert_eq!(policy.rules.len(), 2);
    }
}
