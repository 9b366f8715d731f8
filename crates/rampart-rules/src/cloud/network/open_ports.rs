//! Which ports a firewall rule opens to the internet, for the rules on datastores and on all
//! ports.

use rampart_cloud::Resource;
use rampart_cloud::model::network::{Ingress, ingress_rules};

/// Datastore and cluster-internal ports: PostgreSQL, MySQL, SQL Server, Oracle, MongoDB,
/// Redis, Memcached, Elasticsearch, Cassandra, CouchDB, etcd, the kubelet, Kafka, ZooKeeper.
pub(crate) const DATA_PORTS: &[(u32, &str)] = &[
    (5432, "PostgreSQL"),
    (3306, "MySQL"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (27017, "MongoDB"),
    (6379, "Redis"),
    (11211, "Memcached"),
    (9200, "Elasticsearch"),
    (9042, "Cassandra"),
    (5984, "CouchDB"),
    (2379, "etcd"),
    (10250, "kubelet"),
    (9092, "Kafka"),
    (2181, "ZooKeeper"),
];

/// The rules of a resource that admit the whole internet.
pub(crate) fn open_to_internet(resource: &Resource) -> impl Iterator<Item = Ingress> {
    ingress_rules(resource)
        .into_iter()
        .filter(Ingress::from_anywhere)
}
