use rampart_core::{Concern, Layer, Severity, refs};

use super::open_ports::open_to_internet;
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// Firewall rules that let the whole internet in on every port: protocol `-1`/`all`/`*`,
    /// or TCP ports 0 to 65535 (AWS security groups and network ACLs, GCP firewalls, Azure
    /// network security rules).
    ///
    /// ## Why it matters
    /// Every service on the machines behind the rule is then public: SSH, the kubelet,
    /// NodePorts, debug endpoints and whatever a container binds to the host network, with
    /// nothing left to stop a scanner but each service's own authentication.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_security_group_rule" "all" {
    ///   type        = "ingress"
    ///   from_port   = 0
    ///   to_port     = 0
    ///   protocol    = "-1"
    ///   cidr_blocks = ["0.0.0.0/0"]
    /// }
    /// ```
    /// Use instead: admit the ports the service offers, from the clients that use it.
    pub struct AllPortsOpenToInternet {
        code: "C404",
        name: "all-ports-open-to-internet",
        title: "Every port open to the internet",
        severity: Severity::Critical,
        layer: Layer::Cloud,
        concern: Concern::Network,
        references: refs![Mitre: ["T1190"], Cwe: ["CWE-284"]],
        equivalents: &["checkov:CKV_AWS_277"],
    }
}

impl Check<Resources> for AllPortsOpenToInternet {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        for rule in open_to_internet(target.resource) {
            if rule.opens_everything() {
                hits.push(Hit::new(
                    rule.pointer.clone(),
                    "every port is reachable from the whole internet: admit only the ports and ranges needed",
                ));
            }
        }
    }
}
