use rampart_cloud::Value;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::cloud::required::{Required, never};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// GKE clusters not enrolled in a release channel (`release_channel.channel` left out or
    /// `UNSPECIFIED`).
    ///
    /// ## Why it matters
    /// Outside a release channel, control plane and node upgrades are left to people: clusters fall
    /// behind on Kubernetes security releases.
    ///
    /// ## Example
    /// ```hcl
    ///   release_channel {
    ///     channel = "UNSPECIFIED"
    ///   }
    /// ```
    /// Use instead:
    /// ```hcl
    ///   release_channel {
    ///     channel = "REGULAR"
    ///   }
    /// ```
    pub struct GkeReleaseChannel {
        code: "C630",
        name: "gke-no-release-channel",
        title: "GKE cluster not on a release channel",
        severity: Severity::Low,
        layer: Layer::Cloud,
        concern: Concern::ManagedKubernetes,
        references: refs![CisGke: ["5.5.4"], Cwe: ["CWE-1104"]],
        equivalents: &[],
    }
}

const REQUIRED: Required = Required {
    kinds: &["google_container_cluster"],
    paths: &["release_channel/channel"],
    safe: is_channel,
    default_safe: false,
    unless: never,
    message: "the cluster's version is managed by hand: set `release_channel` to `REGULAR` or `STABLE`",
};

impl Check<Resources> for GkeReleaseChannel {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        REQUIRED.check(target, hits);
    }
}

fn is_channel(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|channel| channel != "UNSPECIFIED")
}
