//! What a rule of Kubernetes objects needs besides the object it judges: whether it can judge
//! one object arriving alone (an admission request) or a live object read from the API.

use crate::Rule;

/// What a rule reads besides its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Nothing: the object alone decides.
    Object,
    /// Other objects of the cluster (named): judged alone, the object would be judged wrong
    /// in both directions (a pod no policy is seen to isolate, a binding whose role is
    /// unknown).
    Cluster(&'static str),
    /// The images the workload runs (named), read when a scan has them or the Dockerfiles
    /// that build them; silent without them.
    Images(&'static str),
    /// Where the object was read from (named), which an object of a live cluster does not
    /// have.
    Files(&'static str),
}

const RBAC: Scope = Scope::Cluster("the roles and bindings that join a grant to its holders");
const NETWORK: Scope = Scope::Cluster("the network policies, pods and namespaces of the cluster");
const MESH: Scope = Scope::Cluster("the service mesh's workloads and policies");

/// The rules of Kubernetes objects that are not [`Scope::Object`], by code. Checked by
/// `rampart-server`'s tests on every rule's fixtures, each object scanned alone.
const SCOPES: &[(&[&str], Scope)] = &[
    (
        &[
            "K201", "K202", "K203", "K204", "K205", "K206", "K207", "K208", "K209", "K210", "K211",
            "K212", "K216",
        ],
        RBAC,
    ),
    (
        &[
            "K301", "K302", "K303", "K304", "K305", "K307", "K308", "K311", "K312",
        ],
        NETWORK,
    ),
    (&["K330", "K331", "K332"], MESH),
    (
        &["K340"],
        Scope::Cluster("the workloads that may share a node with this one"),
    ),
    (
        &["K140"],
        Scope::Cluster("the service account's automountServiceAccountToken"),
    ),
    (
        &["K152", "K153"],
        Scope::Images("the user the workload's image starts as"),
    ),
    (
        &["S105"],
        Scope::Files("a Secret manifest committed to a repository"),
    ),
];

impl Rule {
    /// What the rule needs besides the object it judges.
    pub fn scope(self) -> Scope {
        let code = self.meta().code;
        SCOPES
            .iter()
            .find(|(codes, _)| codes.contains(&code))
            .map_or(Scope::Object, |(_, scope)| *scope)
    }
}
