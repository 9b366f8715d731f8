//! Policy rules and the requests they are matched against, with the API server's matching
//! semantics: `*` matches every verb, group, resource and URL; `*/sub` matches a subresource of
//! any resource; resource names narrow a rule to named objects; a URL ending in `*` matches by
//! prefix. Request values are compared literally, so a request for verb `*` is only matched by a
//! rule that grants `*`.

use std::fmt;

/// One entry of a Role's or ClusterRole's `rules`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PolicyRule {
    pub verbs: Vec<String>,
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
    pub non_resource_urls: Vec<String>,
}

/// What a request acts on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// An API object (or a collection): `get pods/log`, `list deployments.apps`.
    Resource {
        api_group: String,
        resource: String,
        /// Empty for the resource itself.
        subresource: String,
        /// Empty for requests that name no object (list, watch of a collection, create).
        name: String,
    },
    /// A path outside the resource API: `/healthz`, `/metrics`.
    NonResource { path: String },
}

/// A request as the authorizer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Request {
    pub verb: String,
    /// Empty for cluster-wide requests: cluster-scoped resources, lists across namespaces and
    /// non-resource URLs. Only ClusterRoleBindings apply to them.
    pub namespace: String,
    pub target: Target,
}

pub const ALL: &str = "*";

impl Request {
    pub fn resource(
        verb: &str,
        namespace: &str,
        api_group: &str,
        resource: &str,
        subresource: &str,
        name: &str,
    ) -> Request {
        Request {
            verb: verb.to_owned(),
            namespace: namespace.to_owned(),
            target: Target::Resource {
                api_group: api_group.to_owned(),
                resource: resource.to_owned(),
                subresource: subresource.to_owned(),
                name: name.to_owned(),
            },
        }
    }

    pub fn non_resource(verb: &str, path: &str) -> Request {
        Request {
            verb: verb.to_owned(),
            namespace: String::new(),
            target: Target::NonResource {
                path: path.to_owned(),
            },
        }
    }
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.target {
            Target::Resource {
                api_group,
                resource,
                subresource,
                name,
            } => {
                write!(f, "{} {resource}", self.verb)?;
                if !api_group.is_empty() {
                    write!(f, ".{api_group}")?;
                }
                if !subresource.is_empty() {
                    write!(f, "/{subresource}")?;
                }
                if !name.is_empty() {
                    write!(f, " named {name:?}")?;
                }
                if self.namespace.is_empty() {
                    f.write_str(" cluster-wide")
                } else {
                    write!(f, " in namespace {:?}", self.namespace)
                }
            }
            Target::NonResource { path } => write!(f, "{} {path}", self.verb),
        }
    }
}

impl PolicyRule {
    /// Whether this rule allows `request`, ignoring who makes it and where the rule is bound.
    pub fn allows(&self, request: &Request) -> bool {
        if !self.verb_matches(&request.verb) {
            return false;
        }
        match &request.target {
            Target::Resource {
                api_group,
                resource,
                subresource,
                name,
            } => {
                self.api_group_matches(api_group)
                    && self.resource_matches(resource, subresource)
                    && self.resource_name_matches(name)
            }
            Target::NonResource { path } => self.url_matches(path),
        }
    }

    pub fn verb_matches(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == ALL || v == verb)
    }

    pub fn api_group_matches(&self, group: &str) -> bool {
        self.api_groups.iter().any(|g| g == ALL || g == group)
    }

    /// `pods` matches only `pods`; `pods/log` only that subresource; `*/scale` the `scale`
    /// subresource of every resource; `*` everything. `pods/*` is no wildcard to the API server:
    /// it matches only a request for the literal subresource `*`.
    pub fn resource_matches(&self, resource: &str, subresource: &str) -> bool {
        self.resources.iter().any(|granted| {
            if granted == ALL {
                return true;
            }
            match granted.split_once('/') {
                None => subresource.is_empty() && granted == resource,
                Some((base, sub)) => {
                    !subresource.is_empty()
                        && sub == subresource
                        && (base == resource || base == ALL)
                }
            }
        })
    }

    /// No resource names: every object. Otherwise only requests naming one of them, so a rule
    /// with names never allows list, watch of a collection or create.
    pub fn resource_name_matches(&self, name: &str) -> bool {
        self.resource_names.is_empty() || self.resource_names.iter().any(|n| n == name)
    }

    pub fn url_matches(&self, path: &str) -> bool {
        self.non_resource_urls
            .iter()
            .any(|url| match url.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix),
                None => url == path,
            })
    }

    pub fn is_non_resource(&self) -> bool {
        !self.non_resource_urls.is_empty()
    }
}

impl fmt::Display for PolicyRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |items: &[String]| {
            items
                .iter()
                .map(|i| if i.is_empty() { "\"\"" } else { i.as_str() })
                .collect::<Vec<_>>()
                .join(",")
        };
        write!(f, "verbs={}", list(&self.verbs))?;
        if self.is_non_resource() {
            return write!(f, " urls={}", list(&self.non_resource_urls));
        }
        write!(
            f,
            " apiGroups={} resources={}",
            list(&self.api_groups),
            list(&self.resources)
        )?;
        if !self.resource_names.is_empty() {
            write!(f, " names={}", list(&self.resource_names))?;
        }
        Ok(())
    }
}
