//! One generated workload: the controller object and the objects that usually travel with it
//! (ServiceAccount, ConfigMap, Service), with security settings ranging from hardened to careless
//! so that every rule finds something to do.

use crate::rng::Rng;
use crate::yaml::YamlWriter;

const APPS: [&str; 20] = [
    "checkout",
    "cart",
    "catalog",
    "payments",
    "search",
    "auth",
    "gateway",
    "orders",
    "inventory",
    "shipping",
    "billing",
    "notifications",
    "recommendations",
    "reviews",
    "profile",
    "media",
    "reports",
    "ledger",
    "pricing",
    "fraud",
];
const ROLES: [&str; 10] = [
    "api", "worker", "web", "sync", "cache", "db", "exporter", "agent", "consumer", "proxy",
];
const NAMESPACES: [(usize, &str); 11] = [
    (20, "shop"),
    (12, "payments"),
    (12, "platform"),
    (10, "data"),
    (8, "ml"),
    (8, "observability"),
    (6, "ingress"),
    (6, "identity"),
    (6, "search"),
    (2, "kube-system"),
    (3, "default"),
];
const REGISTRIES: [(usize, &str); 6] = [
    (35, "registry.example.com/shop/"),
    (20, "ghcr.io/acme/"),
    (15, "docker.io/library/"),
    (10, "quay.io/prometheus/"),
    (10, "gcr.io/distroless/"),
    // Docker Hub shorthand, resolved by the runtime.
    (10, ""),
];
const IMAGES: [&str; 12] = [
    "nginx",
    "redis",
    "postgres",
    "python",
    "node",
    "busybox",
    "envoy",
    "fluent-bit",
    "node-exporter",
    "java",
    "golang",
    "alpine",
];
const VERSIONS: [&str; 8] = [
    "1.25.3",
    "7.2.4",
    "16.1",
    "3.12.1-slim",
    "20.11.0",
    "1.36.1",
    "v1.29.2",
    "2.4.0",
];
const CAPABILITIES: [&str; 6] = [
    "SYS_ADMIN",
    "NET_ADMIN",
    "NET_RAW",
    "SYS_PTRACE",
    "NET_BIND_SERVICE",
    "CHOWN",
];
const HOST_PATHS: [&str; 5] = [
    "/var/log",
    "/var/run/docker.sock",
    "/",
    "/etc/kubernetes",
    "/proc",
];
const PLAIN_ENV: [(&str, &str); 8] = [
    ("LOG_LEVEL", "info"),
    ("LOG_FORMAT", "json"),
    ("HTTP_PORT", "8080"),
    ("FEATURE_FLAGS", "new-checkout,fast-search"),
    ("CACHE_TTL_SECONDS", "300"),
    (
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "http://otel-collector.observability:4317",
    ),
    ("REGION", "eu-west-1"),
    ("MAX_CONNECTIONS", "128"),
];
/// Credentials written straight into the manifest: what secret rules look for.
const LITERAL_SECRETS: [(&str, &str); 4] = [
    ("DB_PASSWORD", "hunter2-prod"),
    ("API_TOKEN", "sk_live_51HxQ2eKz8d7Yq3LmN4pR6tUv"),
    (
        "AWS_SECRET_ACCESS_KEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    (
        "JWT_SIGNING_KEY",
        "c2VjcmV0LXNpZ25pbmcta2V5LWRvLW5vdC11c2U=",
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Deployment,
    StatefulSet,
    DaemonSet,
    CronJob,
    Job,
    Pod,
}

impl Kind {
    const MIX: [(usize, Kind); 6] = [
        (45, Kind::Deployment),
        (15, Kind::StatefulSet),
        (10, Kind::DaemonSet),
        (12, Kind::CronJob),
        (8, Kind::Job),
        (10, Kind::Pod),
    ];

    fn api_version(self) -> &'static str {
        match self {
            Kind::Deployment | Kind::StatefulSet | Kind::DaemonSet => "apps/v1",
            Kind::CronJob | Kind::Job => "batch/v1",
            Kind::Pod => "v1",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Deployment => "Deployment",
            Kind::StatefulSet => "StatefulSet",
            Kind::DaemonSet => "DaemonSet",
            Kind::CronJob => "CronJob",
            Kind::Job => "Job",
            Kind::Pod => "Pod",
        }
    }

    /// The file a Helm chart would render this kind from.
    fn template(self) -> &'static str {
        match self {
            Kind::Deployment => "deployment.yaml",
            Kind::StatefulSet => "statefulset.yaml",
            Kind::DaemonSet => "daemonset.yaml",
            Kind::CronJob => "cronjob.yaml",
            Kind::Job => "job.yaml",
            Kind::Pod => "pod.yaml",
        }
    }

    fn is_batch(self) -> bool {
        matches!(self, Kind::CronJob | Kind::Job)
    }

    fn serves_traffic(self) -> bool {
        matches!(self, Kind::Deployment | Kind::StatefulSet)
    }
}

/// How carefully a workload's security settings were written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Posture {
    /// Follows the restricted Pod Security Standard and the usual hardening guides.
    Hardened,
    /// Some settings made, others forgotten.
    Typical,
    /// Privileged, host namespaces, added capabilities, secrets in plain text.
    Careless,
}

/// One object of a generated workload, with the Helm template it would have come from.
#[derive(Debug)]
pub struct Document {
    pub template: &'static str,
    pub text: String,
}

/// Everything generated for one workload: its documents in file order.
#[derive(Debug)]
pub struct Workload {
    pub chart: &'static str,
    pub namespace: &'static str,
    pub name: String,
    pub documents: Vec<Document>,
}

/// Names shared by the documents of one workload.
struct Identity {
    kind: Kind,
    posture: Posture,
    name: String,
    app: &'static str,
    namespace: &'static str,
    service_account: Option<String>,
    config_map: Option<String>,
}

pub fn generate(rng: &mut Rng, index: usize) -> Workload {
    let app = rng.pick(&APPS);
    let name = format!("{app}-{}-{index:05}", rng.pick(&ROLES));
    let kind = rng.weighted(&Kind::MIX);
    // DaemonSets are node agents: more often given host access than anything else.
    let careless_percent = if kind == Kind::DaemonSet { 45 } else { 20 };
    let posture = if rng.percent(careless_percent) {
        Posture::Careless
    } else {
        rng.pick(&[Posture::Hardened, Posture::Typical])
    };
    let identity = Identity {
        kind,
        posture,
        app,
        namespace: rng.weighted(&NAMESPACES),
        service_account: rng.percent(50).then(|| format!("{name}-sa")),
        config_map: rng.percent(50).then(|| format!("{name}-config")),
        name,
    };

    let mut documents = Vec::new();
    if let Some(account) = &identity.service_account {
        documents.push(service_account(rng, &identity, account));
    }
    if let Some(config_map) = &identity.config_map {
        documents.push(config(rng, &identity, config_map));
    }
    documents.push(controller(rng, &identity));
    if kind.serves_traffic() {
        documents.push(service(rng, &identity));
    }
    Workload {
        chart: app,
        namespace: identity.namespace,
        name: identity.name,
        documents,
    }
}

fn metadata(rng: &mut Rng, yaml: &mut YamlWriter, id: &Identity, name: &str) {
    yaml.block("metadata", |meta| {
        meta.field("name", name);
        meta.field("namespace", id.namespace);
        labels(meta, id);
        if rng.percent(40) {
            meta.block("annotations", |annotations| {
                annotations.quoted("meta.helm.sh/release-name", id.app);
                annotations.quoted("meta.helm.sh/release-namespace", id.namespace);
                if rng.percent(5) {
                    annotations.quoted("rampart.dev/ignore", "K1 -- vendor chart, reviewed");
                }
            });
        }
    });
}

fn labels(yaml: &mut YamlWriter, id: &Identity) {
    yaml.block("labels", |labels| {
        selector_labels(labels, id);
        labels.field("app.kubernetes.io/part-of", "shop");
        labels.field("app.kubernetes.io/managed-by", "Helm");
    });
}

/// The labels that tie pods to their controller and Service.
fn selector_labels(yaml: &mut YamlWriter, id: &Identity) {
    yaml.field("app.kubernetes.io/name", id.app);
    yaml.field("app.kubernetes.io/instance", &id.name);
}

fn start(yaml: &mut YamlWriter, api_version: &str, kind: &str) {
    yaml.field("apiVersion", api_version);
    yaml.field("kind", kind);
}

fn service_account(rng: &mut Rng, id: &Identity, name: &str) -> Document {
    let mut yaml = YamlWriter::new();
    start(&mut yaml, "v1", "ServiceAccount");
    metadata(rng, &mut yaml, id, name);
    if id.posture == Posture::Hardened {
        yaml.field("automountServiceAccountToken", false);
    }
    Document {
        template: "serviceaccount.yaml",
        text: yaml.into_string(),
    }
}

/// The ConfigMap carries most of the bulk that real workloads bring along (application config
/// files), which keeps the corpus near 3 KB of YAML per workload.
fn config(rng: &mut Rng, id: &Identity, name: &str) -> Document {
    let mut yaml = YamlWriter::new();
    start(&mut yaml, "v1", "ConfigMap");
    metadata(rng, &mut yaml, id, name);
    yaml.block("data", |data| {
        for (key, value) in PLAIN_ENV.iter().take(rng.between(1, 4)) {
            data.quoted(key, value);
        }
        let settings: Vec<String> = (0..rng.between(1, 8))
            .map(|i| {
                format!(
                    "{}.setting_{i}: {}",
                    rng.pick(&APPS),
                    rng.pick(&["true", "false", "250ms", "\"eu-west-1\"", "4096"])
                )
            })
            .collect();
        data.literal("application.yaml", &settings);
    });
    Document {
        template: "configmap.yaml",
        text: yaml.into_string(),
    }
}

fn service(rng: &mut Rng, id: &Identity) -> Document {
    let mut yaml = YamlWriter::new();
    start(&mut yaml, "v1", "Service");
    metadata(rng, &mut yaml, id, &id.name);
    yaml.block("spec", |spec| {
        if id.kind == Kind::StatefulSet {
            spec.field("clusterIP", "None");
        } else {
            spec.field(
                "type",
                rng.weighted(&[(80, "ClusterIP"), (10, "NodePort"), (10, "LoadBalancer")]),
            );
        }
        spec.block("selector", |selector| selector_labels(selector, id));
        spec.block("ports", |ports| {
            ports.item(|port| {
                port.field("name", "http");
                port.field("port", 80);
                port.field("targetPort", "http");
                port.field("protocol", "TCP");
            });
        });
    });
    Document {
        template: "service.yaml",
        text: yaml.into_string(),
    }
}

fn controller(rng: &mut Rng, id: &Identity) -> Document {
    let mut yaml = YamlWriter::new();
    start(&mut yaml, id.kind.api_version(), id.kind.name());
    metadata(rng, &mut yaml, id, &id.name);
    yaml.block("spec", |spec| match id.kind {
        Kind::Pod => pod_spec(rng, spec, id),
        Kind::CronJob => {
            spec.quoted("schedule", format_args!("{} */6 * * *", rng.below(60)));
            spec.field("concurrencyPolicy", "Forbid");
            spec.block("jobTemplate", |job| {
                job.block("spec", |job_spec| job_body(rng, job_spec, id))
            });
        }
        Kind::Job => job_body(rng, spec, id),
        Kind::Deployment | Kind::StatefulSet | Kind::DaemonSet => {
            if id.kind != Kind::DaemonSet {
                spec.field("replicas", rng.between(1, 6));
            }
            if id.kind == Kind::StatefulSet {
                spec.field("serviceName", &id.name);
            }
            spec.block("selector", |selector| {
                selector.block("matchLabels", |labels| selector_labels(labels, id));
            });
            template(rng, spec, id);
            if id.kind == Kind::StatefulSet {
                volume_claim_templates(rng, spec);
            }
        }
    });
    Document {
        template: id.kind.template(),
        text: yaml.into_string(),
    }
}

fn job_body(rng: &mut Rng, spec: &mut YamlWriter, id: &Identity) {
    spec.field("backoffLimit", rng.between(0, 6));
    if rng.percent(50) {
        spec.field("ttlSecondsAfterFinished", 3600);
    }
    template(rng, spec, id);
}

fn template(rng: &mut Rng, spec: &mut YamlWriter, id: &Identity) {
    spec.block("template", |template| {
        template.block("metadata", |meta| {
            meta.block("labels", |labels| selector_labels(labels, id))
        });
        template.block("spec", |pod| pod_spec(rng, pod, id));
    });
}

fn volume_claim_templates(rng: &mut Rng, spec: &mut YamlWriter) {
    spec.block("volumeClaimTemplates", |claims| {
        claims.item(|claim| {
            claim.block("metadata", |meta| meta.field("name", "data"));
            claim.block("spec", |claim_spec| {
                claim_spec.block("accessModes", |modes| modes.scalar_item("ReadWriteOnce"));
                claim_spec.block("resources", |resources| {
                    resources.block("requests", |requests| {
                        requests.field("storage", format_args!("{}Gi", rng.between(1, 100)))
                    });
                });
            });
        });
    });
}

/// The volumes of a pod, decided once so containers can mount them.
struct Volumes {
    config: Option<String>,
    secret: Option<String>,
    scratch: bool,
    host_path: Option<&'static str>,
    /// A volume type the restricted Pod Security Standard does not allow.
    nfs: bool,
}

fn pod_spec(rng: &mut Rng, pod: &mut YamlWriter, id: &Identity) {
    let careless = id.posture == Posture::Careless;
    let volumes = Volumes {
        config: id.config_map.clone(),
        secret: rng.percent(30).then(|| format!("{}-tls", id.name)),
        scratch: rng.percent(50),
        host_path: (careless && rng.percent(50) || id.kind == Kind::DaemonSet && rng.percent(60))
            .then(|| rng.pick(&HOST_PATHS)),
        nfs: careless && rng.percent(15),
    };

    if let Some(account) = &id.service_account {
        pod.field("serviceAccountName", account);
    }
    match id.posture {
        Posture::Hardened => pod.field("automountServiceAccountToken", false),
        Posture::Careless if rng.percent(30) => pod.field("automountServiceAccountToken", true),
        _ => {}
    }
    if careless {
        for namespace in ["hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace"] {
            if rng.percent(25) {
                pod.field(namespace, true);
            }
        }
    }
    if id.kind.is_batch() || id.kind == Kind::Pod {
        pod.field("restartPolicy", rng.pick(&["OnFailure", "Never"]));
    }
    pod.field("terminationGracePeriodSeconds", rng.pick(&[10, 30, 60]));
    pod_security_context(rng, pod, id.posture);
    if rng.percent(30) {
        pod.block("nodeSelector", |selector| {
            selector.field("kubernetes.io/os", "linux")
        });
    }
    if id.kind == Kind::DaemonSet || rng.percent(10) {
        pod.block("tolerations", |tolerations| {
            tolerations.item(|toleration| {
                toleration.field("key", "node-role.kubernetes.io/control-plane");
                toleration.field("operator", "Exists");
                toleration.field("effect", "NoSchedule");
            });
        });
    }
    if rng.percent(20) {
        pod.block("imagePullSecrets", |secrets| {
            secrets.item(|secret| secret.field("name", "registry-credentials"))
        });
    }
    if rng.percent(15) {
        pod.block("initContainers", |init| {
            init.item(|c| container(rng, c, id, &volumes, "migrate"))
        });
    }
    pod.block("containers", |containers| {
        containers.item(|c| container(rng, c, id, &volumes, id.app));
        if rng.percent(20) {
            containers.item(|c| container(rng, c, id, &volumes, "sidecar"));
        }
    });
    pod_volumes(pod, &volumes);
}

fn pod_security_context(rng: &mut Rng, pod: &mut YamlWriter, posture: Posture) {
    match posture {
        Posture::Hardened => pod.block("securityContext", |context| {
            context.field("runAsNonRoot", true);
            context.field("runAsUser", 10001);
            context.field("runAsGroup", 10001);
            context.field("fsGroup", 10001);
            context.block("seccompProfile", |profile| {
                profile.field("type", "RuntimeDefault")
            });
        }),
        Posture::Typical if rng.percent(50) => pod.block("securityContext", |context| {
            if rng.percent(40) {
                context.field("runAsUser", 1000);
            }
            context.field("fsGroup", 2000);
        }),
        Posture::Careless if rng.percent(40) => pod.block("securityContext", |context| {
            context.field("runAsUser", 0);
            context.field("runAsGroup", 0);
            if rng.percent(5) {
                context.block("windowsOptions", |windows| {
                    windows.field("hostProcess", true)
                });
            }
            if rng.percent(30) {
                context.block("sysctls", |sysctls| {
                    sysctls.item(|sysctl| {
                        sysctl.field("name", "kernel.msgmax");
                        sysctl.quoted("value", 65536);
                    });
                });
            }
        }),
        _ => {}
    }
}

fn pod_volumes(pod: &mut YamlWriter, volumes: &Volumes) {
    if volumes.config.is_none()
        && volumes.secret.is_none()
        && !volumes.scratch
        && volumes.host_path.is_none()
        && !volumes.nfs
    {
        return;
    }
    pod.block("volumes", |list| {
        if let Some(config_map) = &volumes.config {
            list.item(|volume| {
                volume.field("name", "config");
                volume.block("configMap", |source| source.field("name", config_map));
            });
        }
        if let Some(secret) = &volumes.secret {
            list.item(|volume| {
                volume.field("name", "tls");
                volume.block("secret", |source| source.field("secretName", secret));
            });
        }
        if volumes.scratch {
            list.item(|volume| {
                volume.field("name", "tmp");
                volume.field("emptyDir", "{}");
            });
        }
        if let Some(path) = volumes.host_path {
            list.item(|volume| {
                volume.field("name", "host");
                volume.block("hostPath", |source| source.field("path", path));
            });
        }
        if volumes.nfs {
            list.item(|volume| {
                volume.field("name", "shared");
                volume.block("nfs", |source| {
                    source.field("server", "nfs.storage.internal");
                    source.field("path", "/exports/shared");
                });
            });
        }
    });
}

fn image(rng: &mut Rng) -> String {
    let registry = rng.weighted(&REGISTRIES);
    let name = rng.pick(&IMAGES);
    match rng.below(10) {
        0 => format!("{registry}{name}:latest"),
        1 => format!("{registry}{name}"),
        2 | 3 => {
            let digest: String = (0..4).map(|_| format!("{:016x}", rng.next_u64())).collect();
            format!("{registry}{name}@sha256:{digest}")
        }
        _ => format!("{registry}{name}:{}", rng.pick(&VERSIONS)),
    }
}

fn container(rng: &mut Rng, c: &mut YamlWriter, id: &Identity, volumes: &Volumes, name: &str) {
    c.field("name", name);
    c.field("image", image(rng));
    if rng.percent(60) {
        c.field("imagePullPolicy", rng.pick(&["Always", "IfNotPresent"]));
    }
    if rng.percent(40) {
        c.block("args", |args| {
            args.scalar_item("--config=/etc/app/application.yaml");
            args.scalar_item(format_args!("--log-level={}", rng.pick(&["info", "debug"])));
        });
    }
    if !id.kind.is_batch() {
        c.block("ports", |ports| {
            ports.item(|port| {
                port.field("name", "http");
                port.field("containerPort", 8080);
                port.field("protocol", "TCP");
                if id.posture == Posture::Careless && rng.percent(30) {
                    port.field("hostPort", 8080);
                }
            });
        });
    }
    env(rng, c, id.posture);
    resources(rng, c, id.posture);
    if !id.kind.is_batch() {
        probes(rng, c, id.posture);
    }
    container_security_context(rng, c, id.posture);
    mounts(c, volumes);
}

fn env(rng: &mut Rng, c: &mut YamlWriter, posture: Posture) {
    c.block("env", |env| {
        for (key, value) in PLAIN_ENV.iter().take(rng.between(1, 2)) {
            env.item(|var| {
                var.field("name", key);
                var.quoted("value", value);
            });
        }
        env.item(|var| {
            var.field("name", "POD_NAME");
            var.block("valueFrom", |from| {
                from.block("fieldRef", |field| {
                    field.field("fieldPath", "metadata.name")
                })
            });
        });
        let (key, value) = rng.pick(&LITERAL_SECRETS);
        if posture == Posture::Careless || rng.percent(5) {
            env.item(|var| {
                var.field("name", key);
                var.quoted("value", value);
            });
        } else {
            env.item(|var| {
                var.field("name", key);
                var.block("valueFrom", |from| {
                    from.block("secretKeyRef", |secret| {
                        secret.field("name", "app-credentials");
                        secret.field("key", key.to_ascii_lowercase());
                    });
                });
            });
        }
    });
    if rng.percent(20) {
        c.block("envFrom", |from| {
            from.item(|source| source.block("secretRef", |secret| secret.field("name", "app-env")))
        });
    }
}

fn resources(rng: &mut Rng, c: &mut YamlWriter, posture: Posture) {
    let (requests, limits) = match posture {
        Posture::Hardened => (true, true),
        Posture::Typical => (rng.percent(80), rng.percent(50)),
        Posture::Careless => (rng.percent(30), false),
    };
    if !requests && !limits {
        return;
    }
    c.block("resources", |resources| {
        let amounts = |block: &mut YamlWriter, scale: usize| {
            block.field("cpu", format_args!("{}m", 100 * scale));
            block.field("memory", format_args!("{}Mi", 128 * scale));
        };
        if requests {
            resources.block("requests", |block| amounts(block, rng.between(1, 4)));
        }
        if limits {
            resources.block("limits", |block| amounts(block, rng.between(4, 8)));
        }
    });
}

fn probes(rng: &mut Rng, c: &mut YamlWriter, posture: Posture) {
    // A probe aimed at another host lets the kubelet be used to reach it.
    let probe_host = (posture == Posture::Careless && rng.percent(15)).then_some("10.0.0.1");
    let probe = |c: &mut YamlWriter, kind: &str, path: &str| {
        c.block(kind, |probe| {
            probe.block("httpGet", |get| {
                if let Some(host) = probe_host {
                    get.field("host", host);
                }
                get.field("path", path);
                get.field("port", "http");
            });
            probe.field("periodSeconds", 10);
        });
    };
    if posture == Posture::Hardened || rng.percent(50) {
        probe(c, "livenessProbe", "/healthz");
    }
    if posture == Posture::Hardened || rng.percent(60) {
        probe(c, "readinessProbe", "/ready");
    }
}

fn container_security_context(rng: &mut Rng, c: &mut YamlWriter, posture: Posture) {
    match posture {
        Posture::Hardened => c.block("securityContext", |context| {
            context.field("allowPrivilegeEscalation", false);
            context.field("readOnlyRootFilesystem", true);
            context.field("runAsNonRoot", true);
            context.block("capabilities", |caps| {
                caps.block("drop", |drop| drop.scalar_item("ALL"))
            });
            context.block("seccompProfile", |profile| {
                profile.field("type", "RuntimeDefault")
            });
        }),
        Posture::Typical if rng.percent(60) => c.block("securityContext", |context| {
            if rng.percent(60) {
                context.field("allowPrivilegeEscalation", false);
            }
            if rng.percent(40) {
                context.field("readOnlyRootFilesystem", true);
            }
            if rng.percent(50) {
                context.field("runAsNonRoot", true);
            }
            if rng.percent(20) {
                context.block("capabilities", |caps| {
                    caps.block("add", |add| add.scalar_item("NET_BIND_SERVICE"))
                });
            }
        }),
        Posture::Careless => c.block("securityContext", |context| {
            if rng.percent(40) {
                context.field("privileged", true);
            }
            if rng.percent(50) {
                context.field("allowPrivilegeEscalation", true);
            }
            if rng.percent(30) {
                context.field("runAsUser", 0);
            }
            if rng.percent(50) {
                context.block("capabilities", |caps| {
                    caps.block("add", |add| {
                        for _ in 0..rng.between(1, 2) {
                            add.scalar_item(rng.pick(&CAPABILITIES));
                        }
                    })
                });
            }
            if rng.percent(10) {
                context.field("procMount", "Unmasked");
            }
            if rng.percent(15) {
                context.block("seccompProfile", |profile| {
                    profile.field("type", "Unconfined")
                });
            }
            if rng.percent(10) {
                context.block("seLinuxOptions", |options| options.field("type", "spc_t"));
            }
            if rng.percent(10) {
                context.block("appArmorProfile", |profile| {
                    profile.field("type", "Unconfined")
                });
            }
        }),
        Posture::Typical => {}
    }
}

fn mounts(c: &mut YamlWriter, volumes: &Volumes) {
    let mut mounts: Vec<(&str, &str, bool)> = Vec::new();
    if volumes.config.is_some() {
        mounts.push(("config", "/etc/app", true));
    }
    if volumes.secret.is_some() {
        mounts.push(("tls", "/etc/tls", true));
    }
    if volumes.scratch {
        mounts.push(("tmp", "/tmp", false));
    }
    if volumes.host_path.is_some() {
        mounts.push(("host", "/host", false));
    }
    if volumes.nfs {
        mounts.push(("shared", "/shared", false));
    }
    if mounts.is_empty() {
        return;
    }
    c.block("volumeMounts", |list| {
        for (name, path, read_only) in mounts {
            list.item(|mount| {
                mount.field("name", name);
                mount.field("mountPath", path);
                if read_only {
                    mount.field("readOnly", true);
                }
            });
        }
    });
}
