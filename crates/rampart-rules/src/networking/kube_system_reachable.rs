use rampart_core::{Concern, Evidence, Layer, Severity, refs};
use rampart_k8s::netpol::{ConnectionSet, Protocol};
use rampart_source::Node;

use super::reachability::reachers;
use super::segmentation::namespace_of;
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Workloads of `kube-system` that any namespace, or sources outside the cluster, may
    /// connect to, beyond DNS: TCP and UDP port 53 of the cluster DNS (pods labelled
    /// `k8s-app: kube-dns`, as CoreDNS and kube-dns are) is what every pod needs and is left
    /// out. Computed with the policy analysis like K308, over every port: callers in namespaces
    /// the policies name (a monitoring namespace scraping metrics) are listed but are not a
    /// finding on their own. When the scan holds no policy at all, everyone may connect. Ranked
    /// high when sources outside the cluster may connect, medium when only pods may.
    ///
    /// Pods on the host network are left out: policies do not govern them (see K311) and their
    /// ports are the node's.
    ///
    /// ## Why it matters
    /// `kube-system` runs the cluster's most privileged components: DNS, the network and
    /// storage plugins, metrics and cloud controllers, often with credentials that administer
    /// the cluster or the cloud account. A compromised pod in any namespace that reaches their
    /// metrics, debug or admin ports can exploit them, poison DNS, or read what they expose.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// metadata: {name: metrics-server, namespace: kube-system}
    /// # ... and no NetworkPolicy in kube-system
    /// ```
    /// Use instead: deny by default in kube-system and allow DNS and the callers each component
    /// needs.
    /// ```yaml
    /// kind: NetworkPolicy
    /// metadata: {name: default-deny, namespace: kube-system}
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress]
    /// ---
    /// kind: NetworkPolicy
    /// metadata: {name: dns, namespace: kube-system}
    /// spec:
    ///   podSelector: {matchLabels: {k8s-app: kube-dns}}
    ///   ingress:
    ///     - from: [{namespaceSelector: {}}]
    ///       ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
    /// ```
    pub struct KubeSystemReachable {
        code: "K312",
        name: "kube-system-reachable",
        title: "kube-system workload reachable from other namespaces beyond DNS",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Networking,
        references: refs![
            Cis: ["5.3.2"],
            Nsa: ["network-separation"],
            Mitre: ["T1210", "T1046"],
            Cwe: ["CWE-923"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for KubeSystemReachable {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(template) = &target.pod else {
            return;
        };
        if namespace_of(target.object) != "kube-system"
            || template.spec.get("hostNetwork").and_then(Node::as_bool) == Some(true)
        {
            return;
        }
        let is_dns = template
            .metadata
            .path(&["labels", "k8s-app"])
            .and_then(Node::as_str)
            == Some("kube-dns");
        let wanted = if is_dns {
            let dns = ConnectionSet::ports(Protocol::Tcp, 53, 53).union(&ConnectionSet::ports(
                Protocol::Udp,
                53,
                53,
            ));
            ConnectionSet::all().difference(&dns)
        } else {
            ConnectionSet::all()
        };
        let Some(reach) = reachers(target, &wanted) else {
            return;
        };
        let beyond = if is_dns { " beyond DNS" } else { "" };
        let severity = if reach.outside {
            Severity::High
        } else {
            Severity::Medium
        };
        let message = format!(
            "this kube-system workload accepts connections{beyond} {} ({}): {}; deny ingress by default in kube-system and allow each component's callers",
            reach.whence(),
            reach.allowed,
            reach.who
        );
        let mut evidence = reach.evidence;
        evidence.push(Evidence {
            label: "ports",
            value: reach.allowed.to_string(),
            location: None,
        });
        hits.push(
            Hit::new("", message)
                .with_severity(severity)
                .with_evidence(evidence),
        );
    }
}
