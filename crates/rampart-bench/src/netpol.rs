//! A generated cluster's network at scale, deterministic for a seed: labelled namespaces, pods
//! owned by Deployments (through ReplicaSets) and StatefulSets or bare, NetworkPolicies of the
//! shapes people write, and a few AdminNetworkPolicies with their baseline. One file per
//! namespace, as `kubectl get -o yaml` per namespace would give, and one for the admin policies.

use crate::yaml::YamlWriter;
use crate::{ManifestFile, Rng};

/// How large a cluster to generate.
#[derive(Debug, Clone, Copy)]
pub struct NetpolScale {
    pub namespaces: usize,
    pub pods: usize,
    pub policies: usize,
}

impl NetpolScale {
    /// The scale the NetworkPolicy performance targets are stated for.
    pub const TARGET: NetpolScale = NetpolScale {
        namespaces: 100,
        pods: 5_000,
        policies: 1_000,
    };
}

const TEAMS: [&str; 10] = [
    "shop",
    "payments",
    "identity",
    "search",
    "data",
    "ml",
    "media",
    "billing",
    "logistics",
    "support",
];
const ENVIRONMENTS: [(usize, &str); 3] = [(50, "prod"), (30, "staging"), (20, "dev")];
const APPS: [&str; 8] = [
    "checkout", "cart", "catalog", "orders", "profile", "ledger", "pricing", "reports",
];

/// A kind of workload: its tier label and the named ports of its container.
#[derive(Debug, Clone, Copy)]
struct Component {
    name: &'static str,
    tier: &'static str,
    ports: &'static [(&'static str, u16, &'static str)],
    stateful: bool,
}

const fn component(
    name: &'static str,
    tier: &'static str,
    ports: &'static [(&'static str, u16, &'static str)],
    stateful: bool,
) -> Component {
    Component {
        name,
        tier,
        ports,
        stateful,
    }
}

const METRICS: (&str, u16, &str) = ("metrics", 9090, "TCP");
const COMPONENTS: [(usize, Component); 9] = [
    (
        20,
        component("web", "frontend", &[("http", 8080, "TCP"), METRICS], false),
    ),
    (
        25,
        component(
            "api",
            "backend",
            &[("http", 8080, "TCP"), ("grpc", 9000, "TCP"), METRICS],
            false,
        ),
    ),
    (15, component("worker", "backend", &[METRICS], false)),
    (
        6,
        component(
            "gateway",
            "frontend",
            &[("https", 8443, "TCP"), METRICS],
            false,
        ),
    ),
    (
        8,
        component("cache", "data", &[("redis", 6379, "TCP")], true),
    ),
    (
        8,
        component(
            "db",
            "data",
            &[("postgres", 5432, "TCP"), ("metrics", 9187, "TCP")],
            true,
        ),
    ),
    (
        5,
        component(
            "queue",
            "data",
            &[("amqp", 5672, "TCP"), ("metrics", 15692, "TCP")],
            true,
        ),
    ),
    (
        5,
        component(
            "search",
            "data",
            &[("http", 9200, "TCP"), ("transport", 9300, "TCP")],
            true,
        ),
    ),
    (
        8,
        component(
            "statsd",
            "backend",
            &[("statsd", 8125, "UDP"), METRICS],
            false,
        ),
    ),
];
/// The cluster DNS that egress policies let pods reach.
const COREDNS: Component = component(
    "coredns",
    "system",
    &[
        ("dns", 53, "UDP"),
        ("dns-tcp", 53, "TCP"),
        ("metrics", 9153, "TCP"),
    ],
    false,
);
/// The scraper that monitoring policies let in.
const PROMETHEUS: Component = component("prometheus", "system", &[("web", 9090, "TCP")], true);
/// Namespaces every cluster has, with the one workload each that policies refer to.
const PLATFORM: [(&str, Component); 2] = [("kube-system", COREDNS), ("monitoring", PROMETHEUS)];
/// The private IPv4 ranges, which internet egress policies leave out.
const PRIVATE_RANGES: [&str; 3] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

#[derive(Debug, Clone, Copy)]
enum Kind {
    Deployment,
    StatefulSet,
    Pod,
}

#[derive(Debug)]
struct Workload {
    name: String,
    app: &'static str,
    component: Component,
    kind: Kind,
    replicas: usize,
}

#[derive(Debug)]
struct Namespace {
    name: String,
    team: &'static str,
    env: &'static str,
    workloads: Vec<Workload>,
    /// Hosts a service the whole cluster uses, as its first workload.
    platform: bool,
    /// Has default-deny policies for ingress and for egress.
    isolates_ingress: bool,
    isolates_egress: bool,
}

/// The cluster as files: `namespaces/<name>.yaml` with the namespace, its workloads, pods and
/// policies, and `admin-network-policies.yaml`.
pub fn generate_netpol(scale: NetpolScale, seed: u64) -> Vec<ManifestFile> {
    let mut rng = Rng::new(seed);
    let namespaces: Vec<Namespace> = (0..scale.namespaces)
        .map(|index| {
            // Pods spread evenly; the first namespaces take the remainder.
            let pods =
                scale.pods / scale.namespaces + usize::from(index < scale.pods % scale.namespaces);
            namespace(&mut rng, index, pods)
        })
        .collect();
    let mut policies: Vec<Vec<String>> = namespaces.iter().map(|_| Vec::new()).collect();
    for index in 0..scale.policies {
        let (slot, position) = (index % scale.namespaces, index / scale.namespaces);
        policies[slot].push(network_policy(&mut rng, &namespaces[slot], position));
    }
    let mut files: Vec<ManifestFile> = namespaces
        .iter()
        .zip(policies)
        .map(|(namespace, policies)| {
            let mut documents = vec![namespace_object(namespace)];
            for workload in &namespace.workloads {
                documents.extend(workload_objects(&mut rng, namespace, workload));
            }
            documents.extend(policies);
            ManifestFile {
                path: format!("namespaces/{}.yaml", namespace.name),
                text: documents.join("---\n"),
            }
        })
        .collect();
    files.push(ManifestFile {
        path: "admin-network-policies.yaml".to_owned(),
        text: admin_policies().join("---\n"),
    });
    files
}

fn namespace(rng: &mut Rng, index: usize, pods: usize) -> Namespace {
    let platform = PLATFORM.get(index);
    let (name, team, env) = match platform {
        Some((name, _)) => ((*name).to_owned(), "platform", "prod"),
        None => {
            let team = rng.pick(&TEAMS);
            let env = rng.weighted(&ENVIRONMENTS);
            (format!("{team}-{env}-{index}"), team, env)
        }
    };
    let mut workloads: Vec<Workload> = platform
        .map(|(_, component)| Workload {
            name: component.name.to_owned(),
            app: component.name,
            component: *component,
            kind: Kind::Deployment,
            replicas: 2,
        })
        .into_iter()
        .collect();
    let mut remaining = pods.saturating_sub(workloads.iter().map(|w| w.replicas).sum());
    while remaining > 0 {
        let app = rng.pick(&APPS);
        let component = rng.weighted(&COMPONENTS);
        let (kind, replicas) = if rng.percent(8) {
            (Kind::Pod, 1)
        } else if component.stateful {
            (Kind::StatefulSet, rng.between(1, 3))
        } else {
            (Kind::Deployment, rng.between(1, 6))
        };
        let replicas = replicas.min(remaining);
        remaining -= replicas;
        workloads.push(Workload {
            name: format!("{app}-{}-{}", component.name, workloads.len()),
            app,
            component,
            kind,
            replicas,
        });
    }
    Namespace {
        name,
        team,
        env,
        workloads,
        platform: platform.is_some(),
        isolates_ingress: rng.percent(85),
        isolates_egress: rng.percent(50),
    }
}

fn header(yaml: &mut YamlWriter, api_version: &str, kind: &str) {
    yaml.field("apiVersion", api_version);
    yaml.field("kind", kind);
}

/// `key:` with `matchLabels` and `matchExpressions` (`key, operator, values`); `{}` when both are
/// empty, which selects everything.
fn selector(
    yaml: &mut YamlWriter,
    key: &str,
    labels: &[(&str, &str)],
    expressions: &[(&str, &str, &[&str])],
) {
    if labels.is_empty() && expressions.is_empty() {
        yaml.field(key, "{}");
        return;
    }
    yaml.block(key, |selector| {
        if !labels.is_empty() {
            selector.block("matchLabels", |map| {
                for (label, value) in labels {
                    map.field(label, value);
                }
            });
        }
        if !expressions.is_empty() {
            selector.block("matchExpressions", |list| {
                for (label, operator, values) in expressions {
                    list.item(|expression| {
                        expression.field("key", label);
                        expression.field("operator", operator);
                        if !values.is_empty() {
                            expression.field("values", format_args!("[{}]", values.join(", ")));
                        }
                    });
                }
            });
        }
    });
}

fn namespace_object(namespace: &Namespace) -> String {
    let mut yaml = YamlWriter::new();
    header(&mut yaml, "v1", "Namespace");
    yaml.block("metadata", |metadata| {
        metadata.field("name", &namespace.name);
        metadata.block("labels", |labels| {
            labels.field("kubernetes.io/metadata.name", &namespace.name);
            labels.field("team", namespace.team);
            labels.field("env", namespace.env);
        });
    });
    yaml.into_string()
}

fn pod_labels(yaml: &mut YamlWriter, workload: &Workload, extra: &[(&str, &str)]) {
    yaml.block("labels", |labels| {
        labels.field("app", &workload.name);
        labels.field("app.kubernetes.io/part-of", workload.app);
        labels.field("app.kubernetes.io/component", workload.component.name);
        labels.field("tier", workload.component.tier);
        if workload.component.name == COREDNS.name {
            labels.field("k8s-app", "kube-dns");
        }
        for (label, value) in extra {
            labels.field(label, value);
        }
    });
}

fn pod_spec(yaml: &mut YamlWriter, namespace: &Namespace, workload: &Workload) {
    yaml.block("spec", |spec| {
        spec.block("containers", |containers| {
            containers.item(|container| {
                container.field("name", workload.component.name);
                container.field(
                    "image",
                    format_args!(
                        "registry.example.com/{}/{}-{}:1.4.2",
                        namespace.team, workload.app, workload.component.name
                    ),
                );
                container.block("ports", |ports| {
                    for (name, number, protocol) in workload.component.ports {
                        ports.item(|port| {
                            port.field("name", name);
                            port.field("containerPort", number);
                            port.field("protocol", protocol);
                        });
                    }
                });
            });
        });
    });
}

fn metadata(
    yaml: &mut YamlWriter,
    name: &str,
    namespace: &str,
    body: impl FnOnce(&mut YamlWriter),
) {
    yaml.block("metadata", |metadata| {
        metadata.field("name", name);
        metadata.field("namespace", namespace);
        body(metadata);
    });
}

fn owner(yaml: &mut YamlWriter, kind: &str, name: &str) {
    yaml.block("ownerReferences", |owners| {
        owners.item(|owner| {
            owner.field("apiVersion", "apps/v1");
            owner.field("kind", kind);
            owner.field("name", name);
            owner.field("controller", true);
        });
    });
}

/// `length` characters of the alphabet Kubernetes uses for generated name suffixes.
fn suffix(rng: &mut Rng, length: usize) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    (0..length)
        .map(|_| char::from(rng.pick(ALPHABET)))
        .collect()
}

/// A controller object (`kind` with `spec.replicas`, `spec.selector` and the pod template).
fn controller(
    kind: &str,
    name: &str,
    namespace: &Namespace,
    workload: &Workload,
    owner_kind: Option<(&str, &str)>,
    template_labels: &[(&str, &str)],
) -> String {
    let mut yaml = YamlWriter::new();
    header(&mut yaml, "apps/v1", kind);
    metadata(&mut yaml, name, &namespace.name, |metadata| {
        if let Some((kind, name)) = owner_kind {
            owner(metadata, kind, name);
        }
    });
    yaml.block("spec", |spec| {
        spec.field("replicas", workload.replicas);
        spec.block("selector", |selector| {
            selector.block("matchLabels", |labels| labels.field("app", &workload.name));
        });
        spec.block("template", |template| {
            template.block("metadata", |metadata| {
                pod_labels(metadata, workload, template_labels);
            });
            pod_spec(template, namespace, workload);
        });
    });
    yaml.into_string()
}

fn pod(
    name: &str,
    namespace: &Namespace,
    workload: &Workload,
    owner_kind: Option<(&str, &str)>,
    extra_labels: &[(&str, &str)],
) -> String {
    let mut yaml = YamlWriter::new();
    header(&mut yaml, "v1", "Pod");
    metadata(&mut yaml, name, &namespace.name, |metadata| {
        pod_labels(metadata, workload, extra_labels);
        if let Some((kind, name)) = owner_kind {
            owner(metadata, kind, name);
        }
    });
    pod_spec(&mut yaml, namespace, workload);
    yaml.into_string()
}

/// The workload's controllers and its running pods.
fn workload_objects(rng: &mut Rng, namespace: &Namespace, workload: &Workload) -> Vec<String> {
    let name = &workload.name;
    match workload.kind {
        Kind::Pod => vec![pod(name, namespace, workload, None, &[])],
        Kind::Deployment => {
            let hash = suffix(rng, 10);
            let replica_set = format!("{name}-{hash}");
            let hash_label = [("pod-template-hash", hash.as_str())];
            let mut documents = vec![
                controller("Deployment", name, namespace, workload, None, &[]),
                controller(
                    "ReplicaSet",
                    &replica_set,
                    namespace,
                    workload,
                    Some(("Deployment", name)),
                    &hash_label,
                ),
            ];
            for _ in 0..workload.replicas {
                let pod_name = format!("{replica_set}-{}", suffix(rng, 5));
                let owner = Some(("ReplicaSet", replica_set.as_str()));
                documents.push(pod(&pod_name, namespace, workload, owner, &hash_label));
            }
            documents
        }
        Kind::StatefulSet => {
            let revision = format!("{name}-{}", suffix(rng, 10));
            let mut documents = vec![controller(
                "StatefulSet",
                name,
                namespace,
                workload,
                None,
                &[],
            )];
            for ordinal in 0..workload.replicas {
                let pod_name = format!("{name}-{ordinal}");
                let labels = [
                    ("controller-revision-hash", revision.as_str()),
                    ("statefulset.kubernetes.io/pod-name", pod_name.as_str()),
                ];
                let owner = Some(("StatefulSet", name.as_str()));
                documents.push(pod(&pod_name, namespace, workload, owner, &labels));
            }
            documents
        }
    }
}

/// A NetworkPolicy document; `body` writes its `spec`.
fn policy_document(
    namespace: &Namespace,
    name: &str,
    body: impl FnOnce(&mut YamlWriter),
) -> String {
    let mut yaml = YamlWriter::new();
    header(&mut yaml, "networking.k8s.io/v1", "NetworkPolicy");
    metadata(&mut yaml, name, &namespace.name, |_| {});
    yaml.block("spec", body);
    yaml.into_string()
}

/// One port entry; `port` is a number or a container port's name.
fn port(
    ports: &mut YamlWriter,
    protocol: &str,
    port: impl std::fmt::Display,
    end_port: Option<u16>,
) {
    ports.item(|entry| {
        entry.field("protocol", protocol);
        entry.field("port", port);
        if let Some(end) = end_port {
            entry.field("endPort", end);
        }
    });
}

/// The `position`-th policy of a namespace: its default-deny and housekeeping policies first,
/// then policies for single workloads.
fn network_policy(rng: &mut Rng, namespace: &Namespace, position: usize) -> String {
    match position {
        0 if namespace.isolates_ingress => {
            policy_document(namespace, "default-deny-ingress", |spec| {
                spec.field("podSelector", "{}");
                spec.field("policyTypes", "[Ingress]");
            })
        }
        // A platform service (cluster DNS, monitoring) is open to the whole cluster.
        1 if namespace.isolates_ingress && namespace.platform => {
            let service = &namespace.workloads[0];
            let name = format!("allow-cluster-to-{}", service.name);
            policy_document(namespace, &name, |spec| {
                selector(spec, "podSelector", &[("app", &service.name)], &[]);
                spec.block("ingress", |rules| {
                    rules.item(|rule| {
                        rule.block("from", |peers| {
                            peers.item(|peer| selector(peer, "namespaceSelector", &[], &[]))
                        })
                    });
                });
            })
        }
        1 if namespace.isolates_ingress => {
            policy_document(namespace, "allow-same-namespace", |spec| {
                spec.field("podSelector", "{}");
                for (direction, peers_field) in [("ingress", "from"), ("egress", "to")] {
                    if direction == "egress" && !namespace.isolates_egress {
                        continue;
                    }
                    spec.block(direction, |rules| {
                        rules.item(|rule| {
                            rule.block(peers_field, |peers| {
                                peers.item(|peer| selector(peer, "podSelector", &[], &[]))
                            })
                        });
                    });
                }
            })
        }
        2 if namespace.isolates_egress => {
            policy_document(namespace, "default-deny-egress", |spec| {
                spec.field("podSelector", "{}");
                spec.field("policyTypes", "[Egress]");
            })
        }
        3 if namespace.isolates_egress => policy_document(namespace, "allow-dns", |spec| {
            spec.field("podSelector", "{}");
            one_rule(
                spec,
                Direction::Egress,
                |peer| {
                    let kube_system = [("kubernetes.io/metadata.name", "kube-system")];
                    selector(peer, "namespaceSelector", &kube_system, &[]);
                    selector(peer, "podSelector", &[("k8s-app", "kube-dns")], &[]);
                },
                |ports| {
                    port(ports, "UDP", 53, None);
                    port(ports, "TCP", 53, None);
                },
            );
        }),
        _ => workload_policy(rng, namespace, position),
    }
}

/// A policy for one workload of the namespace, of one of the shapes seen in real clusters:
/// one rule, with one peer, on some ports.
fn workload_policy(rng: &mut Rng, namespace: &Namespace, position: usize) -> String {
    use Direction::{Egress, Ingress};
    let workload = &namespace.workloads[rng.below(namespace.workloads.len())];
    let target = [("app", workload.name.as_str())];
    let first_port = workload.component.ports[0];
    let shape = rng.below(8);
    let caller = if shape == 2 { rng.pick(&TEAMS) } else { "" };
    let name = format!("{}-{}", workload.name, position);
    policy_document(namespace, &name, |spec| {
        selector(spec, "podSelector", &target, &[]);
        match shape {
            // From frontends and backends of the same team's namespaces, on the first named port.
            0 => one_rule(
                spec,
                Ingress,
                |peer| {
                    selector(peer, "namespaceSelector", &[("team", namespace.team)], &[]);
                    let tiers: &[&str] = &["frontend", "backend"];
                    selector(peer, "podSelector", &[], &[("tier", "In", tiers)]);
                },
                |ports| port(ports, first_port.2, first_port.0, None),
            ),
            // Scraping by Prometheus on the metrics port, by name.
            1 => one_rule(
                spec,
                Ingress,
                |peer| {
                    let monitoring = [("kubernetes.io/metadata.name", "monitoring")];
                    selector(peer, "namespaceSelector", &monitoring, &[]);
                    selector(peer, "podSelector", &[("app", PROMETHEUS.name)], &[]);
                },
                |ports| port(ports, "TCP", "metrics", None),
            ),
            // Another team's API in the same environment, by port number.
            2 => one_rule(
                spec,
                Ingress,
                |peer| {
                    let team = [("team", caller), ("env", namespace.env)];
                    selector(peer, "namespaceSelector", &team, &[]);
                    let api = [("app.kubernetes.io/component", "api")];
                    selector(peer, "podSelector", &api, &[]);
                },
                |ports| port(ports, first_port.2, first_port.1, None),
            ),
            // From an office network, except its guest subnet.
            3 => one_rule(
                spec,
                Ingress,
                |peer| ip_block(peer, "192.168.10.0/24", "192.168.10.128/25"),
                |ports| port(ports, "TCP", 8443, None),
            ),
            // To the namespace's databases and caches, by number and by name.
            4 => one_rule(
                spec,
                Egress,
                |peer| {
                    let data: &[&str] = &["data"];
                    let search: &[&str] = &["search"];
                    let stores = [
                        ("tier", "In", data),
                        ("app.kubernetes.io/component", "NotIn", search),
                    ];
                    selector(peer, "podSelector", &[], &stores);
                },
                |ports| {
                    port(ports, "TCP", 5432, None);
                    port(ports, "TCP", "redis", None);
                },
            ),
            // The internet on HTTPS, not the private ranges.
            5 => one_rule(
                spec,
                Egress,
                |peer| ip_block(peer, "0.0.0.0/0", &PRIVATE_RANGES.join(", ")),
                |ports| port(ports, "TCP", 443, None),
            ),
            // A corporate network's NodePort range, except one subnet.
            6 => one_rule(
                spec,
                Egress,
                |peer| ip_block(peer, "10.20.0.0/16", "10.20.5.0/24"),
                |ports| port(ports, "TCP", 30000, Some(32767)),
            ),
            // Metrics over UDP to any statsd of the cluster.
            _ => one_rule(
                spec,
                Egress,
                |peer| {
                    selector(peer, "namespaceSelector", &[], &[("env", "Exists", &[])]);
                    let statsd = [("app.kubernetes.io/component", "statsd")];
                    selector(peer, "podSelector", &statsd, &[]);
                },
                |ports| port(ports, "UDP", "statsd", None),
            ),
        }
    })
}

#[derive(Clone, Copy)]
enum Direction {
    Ingress,
    Egress,
}

/// `policyTypes` for one direction and a single rule of it, with one peer and its ports.
fn one_rule(
    spec: &mut YamlWriter,
    direction: Direction,
    peer: impl FnOnce(&mut YamlWriter),
    ports: impl FnOnce(&mut YamlWriter),
) {
    let (types, rules, peers) = match direction {
        Direction::Ingress => ("[Ingress]", "ingress", "from"),
        Direction::Egress => ("[Egress]", "egress", "to"),
    };
    spec.field("policyTypes", types);
    spec.block(rules, |rules| {
        rules.item(|rule| {
            rule.block(peers, |list| list.item(peer));
            rule.block("ports", ports);
        })
    });
}

/// An `ipBlock` peer: `cidr` except the comma-separated ranges of `except`.
fn ip_block(peer: &mut YamlWriter, cidr: &str, except: &str) {
    peer.block("ipBlock", |block| {
        block.field("cidr", cidr);
        block.field("except", format_args!("[{except}]"));
    })
}

fn admin_document(
    kind: &str,
    name: &str,
    priority: Option<u32>,
    body: impl FnOnce(&mut YamlWriter),
) -> String {
    let mut yaml = YamlWriter::new();
    header(&mut yaml, "policy.networking.k8s.io/v1alpha1", kind);
    yaml.block("metadata", |metadata| metadata.field("name", name));
    yaml.block("spec", |spec| {
        if let Some(priority) = priority {
            spec.field("priority", priority);
        }
        body(spec);
    });
    yaml.into_string()
}

/// An admin rule without ports, with one peer, written by `peer`, under `peers_field`.
fn admin_rule(
    rules: &mut YamlWriter,
    name: &str,
    action: &str,
    peers_field: &str,
    peer: impl FnOnce(&mut YamlWriter),
) {
    rules.item(|rule| {
        rule.field("name", name);
        rule.field("action", action);
        rule.block(peers_field, |peers| peers.item(peer));
    });
}

/// Cluster-wide guard rails: dev stays out of prod, Prometheus may scrape everything, nobody
/// reaches the cloud metadata endpoint, intra-cluster traffic of prod is left to the
/// namespaces' policies; the baseline denies cross-namespace ingress where no policy speaks.
fn admin_policies() -> Vec<String> {
    vec![
        admin_document(
            "AdminNetworkPolicy",
            "dev-stays-out-of-prod",
            Some(10),
            |spec| {
                spec.block("subject", |subject| {
                    selector(subject, "namespaces", &[("env", "prod")], &[])
                });
                spec.block("ingress", |rules| {
                    admin_rule(rules, "deny-dev", "Deny", "from", |peer| {
                        selector(peer, "namespaces", &[("env", "dev")], &[]);
                    })
                });
            },
        ),
        admin_document(
            "AdminNetworkPolicy",
            "monitoring-scrapes-all",
            Some(20),
            |spec| {
                spec.block("subject", |subject| {
                    selector(subject, "namespaces", &[], &[])
                });
                spec.block("ingress", |rules| {
                    rules.item(|rule| {
                        rule.field("name", "allow-prometheus");
                        rule.field("action", "Allow");
                        rule.block("from", |peers| {
                            peers.item(|peer| {
                                peer.block("pods", |pods| {
                                    selector(
                                        pods,
                                        "namespaceSelector",
                                        &[("kubernetes.io/metadata.name", "monitoring")],
                                        &[],
                                    );
                                    selector(pods, "podSelector", &[("app", PROMETHEUS.name)], &[]);
                                })
                            })
                        });
                        rule.block("ports", |ports| {
                            ports.item(|entry| entry.field("namedPort", "metrics"))
                        });
                    })
                });
            },
        ),
        admin_document(
            "AdminNetworkPolicy",
            "no-cloud-metadata",
            Some(30),
            |spec| {
                spec.block("subject", |subject| {
                    selector(
                        subject,
                        "namespaces",
                        &[],
                        &[("kubernetes.io/metadata.name", "NotIn", &["kube-system"])],
                    )
                });
                spec.block("egress", |rules| {
                    admin_rule(rules, "deny-metadata", "Deny", "to", |peer| {
                        peer.field("networks", "[169.254.169.254/32]")
                    });
                    rules.item(|rule| {
                        rule.field("name", "pass-private");
                        rule.field("action", "Pass");
                        rule.block("to", |peers| {
                            peers.item(|peer| {
                                peer.field(
                                    "networks",
                                    format_args!("[{}]", PRIVATE_RANGES.join(", ")),
                                )
                            })
                        });
                        rule.block("ports", |ports| {
                            ports.item(|entry| {
                                entry.block("portRange", |range| {
                                    range.field("protocol", "TCP");
                                    range.field("start", 1024);
                                    range.field("end", 65535);
                                })
                            })
                        });
                    });
                });
            },
        ),
        admin_document("BaselineAdminNetworkPolicy", "default", None, |spec| {
            spec.block("subject", |subject| {
                selector(subject, "namespaces", &[("env", "prod")], &[])
            });
            spec.block("ingress", |rules| {
                admin_rule(rules, "deny-other-namespaces", "Deny", "from", |peer| {
                    selector(peer, "namespaces", &[], &[]);
                })
            });
        }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: NetpolScale = NetpolScale {
        namespaces: 10,
        pods: 300,
        policies: 80,
    };

    fn count(files: &[ManifestFile], line: &str) -> usize {
        files
            .iter()
            .map(|file| file.text.matches(line).count())
            .sum()
    }

    #[test]
    fn deterministic_and_sized() {
        let files = generate_netpol(SMALL, 5);
        assert_eq!(files, generate_netpol(SMALL, 5));
        assert_ne!(files, generate_netpol(SMALL, 6));
        assert_eq!(files.len(), 11);
        assert_eq!(count(&files, "\nkind: Pod\n"), 300);
        assert_eq!(count(&files, "\nkind: NetworkPolicy\n"), 80);
        assert_eq!(count(&files, "\nkind: Namespace\n"), 10);
        assert_eq!(count(&files, "\nkind: AdminNetworkPolicy\n"), 3);
        assert!(count(&files, "\nkind: ReplicaSet\n") > 0);
        assert!(count(&files, "\nkind: StatefulSet\n") > 0);
    }
}
