use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Node;

use super::common::{check_effective, describe};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

/// UIDs below this are handed out to people and system services on ordinary Linux hosts.
const LOWEST_SAFE_UID: i64 = 10_000;

declare_rule! {
    /// ## What it checks
    /// Containers (of any kind) whose effective `runAsUser` is between 1 and 9999: the
    /// container's own `securityContext.runAsUser`, or the pod's when the container does not set
    /// one. A pod-level value inherited by several containers is reported once, at the pod
    /// field, naming them.
    ///
    /// Not reported: `runAsUser: 0`, which is running as root and has its own rule; an unset
    /// `runAsUser`, where the image's `USER` decides (the `runAsNonRoot` rules cover it); pods
    /// with `hostUsers: false`, whose UIDs are remapped to an unprivileged range on the node;
    /// and Windows pods. Trivy and Checkov also fail an unset `runAsUser`, so they report more.
    ///
    /// ## Why it matters
    /// Without a user namespace, UID 1000 in a container is UID 1000 on the node. Low UIDs
    /// belong to the node's real users and service accounts, so a process that reaches host
    /// files (through a `hostPath` volume, a shared volume or after breaking out) acts with
    /// that user's rights: it can read their SSH keys or write files owned by a system
    /// service. UIDs of 10000 and above are not allocated on ordinary hosts.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsUser: 1000
    /// ```
    /// Use instead: a high, dedicated UID (and build the image with it).
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     runAsUser: 10001
    /// ```
    pub struct LowRunAsUser {
        code: "K131",
        name: "low-run-as-user",
        title: "Container runs with a low UID that may exist on the node",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Cis: ["5.6.3"],
            Nsa: ["non-root-containers"],
            Mitre: ["T1611"],
            Cwe: ["CWE-266"],
        ],
        equivalents: &["trivy:KSV-0020", "checkov:CKV_K8S_40"],
    }
}

impl Check<Objects> for LowRunAsUser {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(pod) = &target.pod else { return };
        if pod.is_windows() || pod.in_user_namespace() {
            return;
        }
        let low = |value: &Node| {
            value
                .as_i64()
                .is_some_and(|uid| (1..LOWEST_SAFE_UID).contains(&uid))
        };
        check_effective(
            pod,
            pod.containers(),
            "runAsUser",
            low,
            |container, value| {
                format!(
                    "{} runs as UID {}, below {LOWEST_SAFE_UID}, which may belong to a user on \
                     the node; use a UID of {LOWEST_SAFE_UID} or more",
                    describe(container),
                    value.display_scalar()
                )
            },
            |value, containers| {
                format!(
                    "pod-level runAsUser {} applies to {containers}: a UID below \
                     {LOWEST_SAFE_UID} may belong to a user on the node; use a UID of \
                     {LOWEST_SAFE_UID} or more",
                    value.display_scalar()
                )
            },
            hits,
        );
    }
}
