use rampart_core::{Concern, Evidence, Layer, Severity, refs};
use rampart_k8s::netpol::{ConnectionSet, Protocol};

use super::reachability::{container_ports, reachers};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

/// TCP ports of datastores and control interfaces that should answer their own clients only;
/// `datastore-ports` in `rampart.toml` adds more.
const DATASTORE_PORTS: &[(u16, &str)] = &[
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (2181, "ZooKeeper"),
    (2375, "Docker API"),
    (2379, "etcd"),
    (2380, "etcd peers"),
    (3306, "MySQL"),
    (4222, "NATS"),
    (5432, "PostgreSQL"),
    (5672, "AMQP (RabbitMQ)"),
    (5984, "CouchDB"),
    (6379, "Redis"),
    (7687, "Neo4j Bolt"),
    (8086, "InfluxDB"),
    (9042, "Cassandra"),
    (9092, "Kafka"),
    (9200, "Elasticsearch"),
    (9300, "Elasticsearch transport"),
    (10250, "kubelet"),
    (11211, "memcached"),
    (15672, "RabbitMQ management"),
    (26257, "CockroachDB"),
    (27017, "MongoDB"),
];

declare_rule! {
    /// ## What it checks
    /// Workloads whose containers declare a datastore or control port (PostgreSQL 5432, MySQL
    /// 3306, Redis 6379, MongoDB 27017, Elasticsearch 9200, etcd 2379, the kubelet's 10250,
    /// memcached 11211, Cassandra 9042, RabbitMQ 5672, Kafka 9092 and more; TCP) that any
    /// namespace, or sources outside the cluster, may connect to. Computed with the policy
    /// analysis for each such port: a pod of a namespace the scan does not show stands for "any
    /// namespace" (it matches `namespaceSelector: {}` and selectors that exclude labels, not
    /// selectors that name namespaces), then every external address range, and the ingress
    /// controller where an Ingress routes to the port. Clients in other namespaces that the
    /// policies name are listed in the message but are not a finding on their own. When the
    /// scan holds no policy at all, everyone may connect.
    ///
    /// `datastore-ports` under `[options]` in `rampart.toml` adds ports (`[8200]`). Only ports
    /// declared in `containerPort` are checked. Ranked high when sources outside the cluster
    /// may connect, medium when only pods (of any namespace) may.
    ///
    /// ## Why it matters
    /// Datastores trust their network more than they should: default or shared passwords,
    /// no authentication at all (Redis, memcached, Elasticsearch in many setups), and one
    /// credential for every client. Reachable from every namespace, they are one compromised
    /// pod away from a data breach; reachable from outside, they are found by scanners.
    ///
    /// ## Example
    /// ```yaml
    /// kind: NetworkPolicy
    /// metadata: {name: db, namespace: data}
    /// spec:
    ///   podSelector: {matchLabels: {app: postgres}}
    ///   ingress:
    ///     - from: [{namespaceSelector: {}}]
    /// ```
    /// Use instead: the clients only.
    /// ```yaml
    /// kind: NetworkPolicy
    /// metadata: {name: db, namespace: data}
    /// spec:
    ///   podSelector: {matchLabels: {app: postgres}}
    ///   ingress:
    ///     - from:
    ///         - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}
    ///           podSelector: {matchLabels: {app: api}}
    ///       ports: [{port: 5432}]
    /// ```
    pub struct DatastorePortExposed {
        code: "K308",
        name: "datastore-port-exposed",
        title: "Datastore or control port reachable from other namespaces or outside",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Networking,
        references: refs![
            Cis: ["5.3.2"],
            Nsa: ["network-separation"],
            Mitre: ["T1210", "T1046"],
            Cwe: ["CWE-923", "CWE-284"],
        ],
        equivalents: &[],
    }
}

impl Check<Objects> for DatastorePortExposed {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let Some(template) = &target.pod else {
            return;
        };
        let extra = &target.options.datastore_ports;
        let service = |number: i64| -> Option<&'static str> {
            let number = u16::try_from(number).ok()?;
            DATASTORE_PORTS
                .iter()
                .find(|(port, _)| *port == number)
                .map(|(_, name)| *name)
                .or_else(|| extra.contains(&number).then_some("in datastore-ports"))
        };
        let ports: Vec<(String, i64, &str)> = container_ports(template.spec, template.spec_pointer)
            .filter(|(_, protocol, _)| *protocol == "TCP")
            .filter_map(|(pointer, _, number)| Some((pointer, number, service(number)?)))
            .collect();
        let Some((pointer, ..)) = ports.first() else {
            return;
        };
        let wanted = ports.iter().fold(ConnectionSet::none(), |set, (_, n, _)| {
            set.union(&ConnectionSet::ports(Protocol::Tcp, *n as u64, *n as u64))
        });
        let Some(reach) = reachers(target, &wanted) else {
            return;
        };
        let reached: Vec<String> = ports
            .iter()
            .filter(|(_, n, _)| reach.allowed.of_protocol(Protocol::Tcp).contains(*n as u64))
            .map(|(_, n, name)| format!("TCP {n} ({name})"))
            .collect();
        let severity = if reach.outside {
            Severity::High
        } else {
            Severity::Medium
        };
        let message = format!(
            "{} reachable {}: {}; allow only the clients, by namespace and pod labels, on the port they use",
            reached.join(", "),
            reach.whence(),
            reach.who
        );
        let mut evidence = reach.evidence;
        evidence.push(Evidence {
            label: "ports",
            value: reach.allowed.to_string(),
            location: None,
        });
        hits.push(
            Hit::new(pointer.clone(), message)
                .with_severity(severity)
                .with_evidence(evidence),
        );
    }
}
