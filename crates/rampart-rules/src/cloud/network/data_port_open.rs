use rampart_core::{Concern, Layer, Severity, refs};

use super::open_ports::{DATA_PORTS, open_to_internet};
use crate::rule::{Check, declare_rule};
use crate::{CloudTarget, Hit, Resources};

declare_rule! {
    /// ## What it checks
    /// Firewall rules (AWS security groups and network ACLs, GCP firewalls, Azure network
    /// security rules) that let the whole internet reach a datastore or cluster-internal port
    /// over TCP: PostgreSQL, MySQL, SQL Server, Oracle, MongoDB, Redis, Memcached,
    /// Elasticsearch, Cassandra, CouchDB, etcd, the kubelet, Kafka, ZooKeeper. Rules open on
    /// every port are left to C404.
    ///
    /// ## Why it matters
    /// Databases and caches exposed to the internet are found by scanners within hours; many
    /// answer without authentication by default (Redis, Memcached, Elasticsearch, an
    /// anonymous kubelet), and the rest face credential stuffing and pre-authentication flaws.
    ///
    /// ## Example
    /// ```hcl
    ///   ingress {
    ///     from_port   = 5432
    ///     to_port     = 5432
    ///     protocol    = "tcp"
    ///     cidr_blocks = ["0.0.0.0/0"]
    ///   }
    /// ```
    /// Use instead: admit the application's security group only.
    /// ```hcl
    ///   ingress {
    ///     from_port       = 5432
    ///     to_port         = 5432
    ///     protocol        = "tcp"
    ///     security_groups = [aws_security_group.app.id]
    ///   }
    /// ```
    pub struct DataPortOpenToInternet {
        code: "C403",
        name: "data-port-open-to-internet",
        title: "Database or cluster port open to the internet",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Network,
        references: refs![Mitre: ["T1190"], Cwe: ["CWE-284"]],
        equivalents: &[],
    }
}

impl Check<Resources> for DataPortOpenToInternet {
    fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        for rule in open_to_internet(target.resource) {
            if rule.opens_everything() {
                continue;
            }
            let open: Vec<String> = DATA_PORTS
                .iter()
                .filter(|(port, _)| rule.opens(*port))
                .map(|(port, name)| format!("{name} ({port})"))
                .collect();
            if !open.is_empty() {
                hits.push(Hit::new(
                    rule.pointer.clone(),
                    format!(
                        "{} reachable from the whole internet: admit only the clients that need it",
                        open.join(", ")
                    ),
                ));
            }
        }
    }
}
