//! What decides a connection: the layers consulted in precedence order, the effect each gives,
//! and the step the evaluation records for it.

use rampart_core::Location;

use super::ports::ConnectionSet;

/// The layers that decide a connection, in the order they are consulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    AdminNetworkPolicy,
    NetworkPolicy,
    BaselineAdminNetworkPolicy,
    /// What no policy decides is allowed.
    Default,
    /// Traffic from the ingress controller reaches only what an Ingress or Route exposes.
    Ingress,
}

impl Layer {
    pub fn name(self) -> &'static str {
        match self {
            Layer::AdminNetworkPolicy => "AdminNetworkPolicy",
            Layer::NetworkPolicy => "NetworkPolicy",
            Layer::BaselineAdminNetworkPolicy => "BaselineAdminNetworkPolicy",
            Layer::Default => "default",
            Layer::Ingress => "Ingress",
        }
    }
}

/// What a layer does with a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Allow,
    Deny,
    /// Hand the decision to NetworkPolicies, then the baseline (ANP only).
    Pass,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Deny => "deny",
            Action::Pass => "pass",
        }
    }
}

/// One decision as the evaluation records it: indices into the analysis' lists.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub layer: Layer,
    pub effect: Action,
    /// Index in the layer's list of policies (`None` for the default).
    pub policy: Option<usize>,
    /// Index in the policy's ingress or egress rules; `None` when a NetworkPolicy denies by
    /// selecting the pod without a rule that admits the peer.
    pub rule: Option<usize>,
    pub connections: ConnectionSet,
}

/// A policy (or, for traffic entering the cluster, the Ingress or Route) and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRef {
    pub kind: String,
    /// `None` for the cluster-scoped admin policies.
    pub namespace: Option<String>,
    pub name: String,
    pub location: Location,
}
