//! Which workloads run as which service account, and whether they hold its token: the link
//! from RBAC permissions to the pods an attacker can reach.

use std::collections::BTreeMap;

use rampart_core::{Location, ObjectRef};
use rampart_source::{Node, Object};

use crate::workload::{PodTemplate, pod_template};

/// What decides whether a pod gets its service account's token automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Automount {
    /// The pod spec sets `automountServiceAccountToken`; it wins.
    Pod(bool),
    /// The pod leaves it unset and the ServiceAccount sets it.
    ServiceAccount(bool),
    /// Neither sets it: the token is mounted.
    Default,
}

impl Automount {
    pub fn mounts(self) -> bool {
        match self {
            Automount::Pod(value) | Automount::ServiceAccount(value) => value,
            Automount::Default => true,
        }
    }
}

/// A workload (or bare pod) that runs as a service account.
#[derive(Debug, Clone)]
pub struct WorkloadUse {
    pub object: ObjectRef,
    pub location: Location,
    pub automount: Automount,
    /// A projected volume carries a `serviceAccountToken`, which mounts a token whatever
    /// `automountServiceAccountToken` says.
    pub projected_token: bool,
}

impl WorkloadUse {
    /// Whether the pods' containers can read the service account's token.
    pub fn token_mounted(&self) -> bool {
        self.automount.mounts() || self.projected_token
    }
}

/// A service account: declared by a ServiceAccount object, or only named by workloads (every
/// namespace has `default`, and a pod may name an account the input does not hold).
#[derive(Debug, Clone)]
pub struct ServiceAccount {
    pub namespace: String,
    pub name: String,
    /// Where the ServiceAccount object is; `None` when the input does not declare it.
    pub location: Option<Location>,
    /// The ServiceAccount's own `automountServiceAccountToken`.
    pub automount: Option<bool>,
    pub workloads: Vec<WorkloadUse>,
}

/// The service account a pod runs as: `serviceAccountName`, else the deprecated
/// `serviceAccount`, else `default`.
pub fn pod_service_account<'a>(pod: &PodTemplate<'a>) -> &'a str {
    ["serviceAccountName", "serviceAccount"]
        .iter()
        .find_map(|field| pod.spec.get(field).and_then(Node::as_str))
        .filter(|name| !name.is_empty())
        .unwrap_or("default")
}

/// The namespace objects without one land in when applied.
pub(crate) fn namespace_or_default(object: &Object) -> &str {
    object
        .namespace
        .as_deref()
        .filter(|ns| !ns.is_empty())
        .unwrap_or("default")
}

fn projects_token(pod: &PodTemplate<'_>) -> bool {
    pod.volumes().any(|(_, volume)| {
        volume
            .path(&["projected", "sources"])
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .any(|source| source.get("serviceAccountToken").is_some())
    })
}

/// Every service account with the workloads that run as it, sorted by namespace and name.
pub(crate) fn link_service_accounts(objects: &[Object]) -> Vec<ServiceAccount> {
    let mut accounts: BTreeMap<(String, String), ServiceAccount> = BTreeMap::new();
    for object in objects
        .iter()
        .filter(|o| o.kind == "ServiceAccount" && o.api_version == "v1")
    {
        let namespace = namespace_or_default(object).to_owned();
        accounts.insert(
            (namespace.clone(), object.name.clone()),
            ServiceAccount {
                namespace,
                name: object.name.clone(),
                location: Some(object.location(object.root.span)),
                automount: object
                    .root
                    .get("automountServiceAccountToken")
                    .and_then(Node::as_bool),
                workloads: Vec::new(),
            },
        );
    }
    for object in objects {
        let Some(pod) = pod_template(object) else {
            continue;
        };
        let namespace = namespace_or_default(object).to_owned();
        let name = pod_service_account(&pod).to_owned();
        let account = accounts
            .entry((namespace.clone(), name.clone()))
            .or_insert_with(|| ServiceAccount {
                namespace,
                name,
                location: None,
                automount: None,
                workloads: Vec::new(),
            });
        let automount = match pod
            .spec
            .get("automountServiceAccountToken")
            .and_then(Node::as_bool)
        {
            Some(value) => Automount::Pod(value),
            None => account
                .automount
                .map_or(Automount::Default, Automount::ServiceAccount),
        };
        account.workloads.push(WorkloadUse {
            object: object.object_ref(),
            location: object.location(object.root.span),
            automount,
            projected_token: projects_token(&pod),
        });
    }
    accounts.into_values().collect()
}
