use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Pods declared directly, without a controller (Deployment, StatefulSet, DaemonSet, Job,
    /// ...) and without an `ownerReferences` entry pointing at one.
    ///
    /// ## Why it matters
    /// A bare pod is not rescheduled when its node fails and is not replaced when it is
    /// deleted, so security fixes rolled out through a controller never reach it. Bare pods are
    /// also a favourite foothold: an attacker who can create pods often creates a bare one,
    /// which no rollout will ever overwrite.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: registry.example.com/web:2.1.0
    /// ```
    /// Use instead: a Deployment whose template holds the same pod spec.
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example.com/web:2.1.0
    /// ```
    pub struct BarePod {
        code: "K146",
        name: "bare-pod",
        title: "Pod runs without a controller",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Workloads,
        references: refs![
            Nsa: ["pod-security"],
            Mitre: ["T1610"],
            Cwe: ["CWE-693"],
        ],
        equivalents: &["kubescape:C-0073"],
    }
}

impl Check<Objects> for BarePod {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let object = target.object;
        if object.kind != "Pod" || object.api_version != "v1" {
            return;
        }
        let owned = object
            .metadata()
            .get("ownerReferences")
            .is_some_and(|owners| !owners.items().is_empty());
        if !owned {
            hits.push(Hit::new(
                "/kind",
                format!(
                    "pod `{}` has no controller; use a Deployment, StatefulSet, DaemonSet or Job",
                    object.name
                ),
            ));
        }
    }
}
