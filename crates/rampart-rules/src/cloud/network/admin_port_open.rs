use rampart_cloud::model::network::ingress_rules;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

/// Remote administration ports: SSH and RDP.
const ADMIN_PORTS: [(u32, &str); 2] = [(22, "SSH"), (3389, "RDP")];

declare_rule! {
    /// ## What it checks
    /// Firewall rules that let the whole internet (`0.0.0.0/0`, `::/0`, Azure's `*` or
    /// `Internet`) reach SSH (22) or RDP (3389) over TCP, in any form the model reads: AWS
    /// security groups (inline rules, `aws_security_group_rule`,
    /// `aws_vpc_security_group_ingress_rule`, CloudFormation ingress), GCP firewalls and Azure
    /// network security rules. A rule for all protocols or a port range covering them counts.
    ///
    /// ## Why it matters
    /// Internet-wide scanners find an open SSH or RDP port within minutes and try leaked and
    /// common credentials against it, and every pre-authentication flaw of the daemon is one
    /// step from a shell. Administration belongs behind a bastion, a VPN or Session Manager.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_security_group" "web" {
    ///   ingress {
    ///     from_port   = 22
    ///     to_port     = 22
    ///     protocol    = "tcp"
    ///     cidr_blocks = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    /// Use instead: allow SSH from the bastion's range only, or use SSM Session Manager.
    /// ```hcl
    ///     cidr_blocks = ["10.20.0.0/24"]
    /// ```
    pub struct AdminPortOpenToInternet {
        code: "C401",
        name: "admin-port-open-to-internet",
        title: "SSH or RDP open to the internet",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Network,
        references: refs![
            CisAws: ["5.2", "5.3"],
            CisGcp: ["3.6", "3.7"],
            CisAzure: ["6.1", "6.2"],
            Mitre: ["T1021.004"],
            Cwe: ["CWE-284"],
        ],
        equivalents: &[
            "checkov:CKV_AWS_24",
            "checkov:CKV_AWS_25",
            "checkov:CKV_GCP_2",
            "checkov:CKV_GCP_3",
            "checkov:CKV_AZURE_9",
            "checkov:CKV_AZURE_10",
        ],
    }
}

impl Check<Resources> for AdminPortOpenToInternet {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        for rule in ingress_rules(target.resource) {
            if !rule.from_anywhere() {
                continue;
            }
            let open: Vec<String> = ADMIN_PORTS
                .iter()
                .filter(|(port, _)| rule.opens(*port))
                .map(|(port, name)| format!("{name} ({port})"))
                .collect();
            if !open.is_empty() {
                hits.push(Hit::new(
                    rule.pointer.clone(),
                    format!(
                        "{} reachable from the whole internet: allow only the ranges administrators come from",
                        open.join(" and ")
                    ),
                ));
            }
        }
    }
}
