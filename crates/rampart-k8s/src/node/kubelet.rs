//! The kubelet's effective configuration, resolved as the kubelet resolves it
//! (`cmd/kubelet/app/server.go`):
//!
//! 1. Without `--config` and `--config-dir`, the flags and their defaults are all there is.
//!    Four flag defaults differ from the configuration file's: anonymous requests are
//!    allowed, token webhook authentication is off, authorization is `AlwaysAllow` and the
//!    read-only port is 10255.
//! 2. `--config` replaces that with the file, where fields left out take the
//!    `kubelet.config.k8s.io/v1beta1` defaults (anonymous off, webhook on, `Webhook`
//!    authorization, read-only port 0).
//! 3. `--config-dir` merges every `*.conf` file under the folder (recursively, in lexical
//!    order) over that as a JSON merge patch: maps merge field by field, anything else
//!    replaces. A field a drop-in sets to `null` is dropped from the patched document and so
//!    keeps the value it had before any drop-in.
//! 4. When either is given, the command line is parsed again over the result: a flag beats
//!    every file. Feature gates from flags are added to those of the files, gate by gate.

use rampart_source::{Node, Value};

use super::Origin;
use crate::components::{FlagKind, parse_bool, parse_flags, read_value};

/// A kubelet setting rampart reads: its field in `KubeletConfiguration` (as a JSON pointer;
/// empty for a flag without a field), its flag, and both defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub pointer: &'static str,
    pub flag: &'static str,
    pub kind: FlagKind,
    /// The value when neither the flag nor a configuration file sets it.
    pub flag_default: Option<&'static str>,
    /// The value when a configuration file is read and leaves the field out.
    pub file_default: Option<&'static str>,
    /// Whether the configuration file's defaulting replaces a zero value (`0s`, `""`) with
    /// the default, as it does for fields that are not pointers in the v1beta1 types. Drop-ins
    /// are merged after defaulting, so their zero values stand.
    pub zero_means_default: bool,
}

const fn field(
    pointer: &'static str,
    flag: &'static str,
    kind: FlagKind,
    flag_default: Option<&'static str>,
    file_default: Option<&'static str>,
) -> Field {
    Field {
        pointer,
        flag,
        kind,
        flag_default,
        file_default,
        zero_means_default: false,
    }
}

/// A field whose zero value in the configuration file reads as unset.
const fn defaulted_when_zero(field: Field) -> Field {
    Field {
        zero_means_default: true,
        ..field
    }
}

use FlagKind::{Boolean, List, Scalar};

pub const ANONYMOUS_AUTH: Field = field(
    "/authentication/anonymous/enabled",
    "anonymous-auth",
    Boolean,
    Some("true"),
    Some("false"),
);
pub const WEBHOOK_AUTHENTICATION: Field = field(
    "/authentication/webhook/enabled",
    "authentication-token-webhook",
    Boolean,
    Some("false"),
    Some("true"),
);
pub const CLIENT_CA_FILE: Field = field(
    "/authentication/x509/clientCAFile",
    "client-ca-file",
    Scalar,
    None,
    None,
);
pub const AUTHORIZATION_MODE: Field = defaulted_when_zero(field(
    "/authorization/mode",
    "authorization-mode",
    Scalar,
    Some("AlwaysAllow"),
    Some("Webhook"),
));
pub const READ_ONLY_PORT: Field = field(
    "/readOnlyPort",
    "read-only-port",
    Scalar,
    Some("10255"),
    Some("0"),
);
pub const STREAMING_IDLE_TIMEOUT: Field = defaulted_when_zero(field(
    "/streamingConnectionIdleTimeout",
    "streaming-connection-idle-timeout",
    Scalar,
    Some("4h0m0s"),
    Some("4h0m0s"),
));
pub const PROTECT_KERNEL_DEFAULTS: Field = field(
    "/protectKernelDefaults",
    "protect-kernel-defaults",
    Boolean,
    Some("false"),
    Some("false"),
);
pub const MAKE_IPTABLES_UTIL_CHAINS: Field = field(
    "/makeIPTablesUtilChains",
    "make-iptables-util-chains",
    Boolean,
    Some("true"),
    Some("true"),
);
pub const HOSTNAME_OVERRIDE: Field = field("", "hostname-override", Scalar, None, None);
pub const EVENT_QPS: Field = field(
    "/eventRecordQPS",
    "event-qps",
    Scalar,
    Some("50"),
    Some("50"),
);
pub const TLS_CERT_FILE: Field = field("/tlsCertFile", "tls-cert-file", Scalar, None, None);
pub const TLS_PRIVATE_KEY_FILE: Field = field(
    "/tlsPrivateKeyFile",
    "tls-private-key-file",
    Scalar,
    None,
    None,
);
pub const ROTATE_CERTIFICATES: Field = field(
    "/rotateCertificates",
    "rotate-certificates",
    Boolean,
    Some("false"),
    Some("false"),
);
pub const SERVER_TLS_BOOTSTRAP: Field = field(
    "/serverTLSBootstrap",
    "rotate-server-certificates",
    Boolean,
    Some("false"),
    Some("false"),
);
pub const TLS_CIPHER_SUITES: Field =
    field("/tlsCipherSuites", "tls-cipher-suites", List, None, None);
pub const POD_PIDS_LIMIT: Field = field(
    "/podPidsLimit",
    "pod-max-pids",
    Scalar,
    Some("-1"),
    Some("-1"),
);
pub const SECCOMP_DEFAULT: Field = field(
    "/seccompDefault",
    "seccomp-default",
    Boolean,
    Some("false"),
    Some("false"),
);
pub const STATIC_POD_PATH: Field = field("/staticPodPath", "pod-manifest-path", Scalar, None, None);
pub const CONFIG: Field = field("", "config", Scalar, None, None);
pub const CONFIG_DIR: Field = field("", "config-dir", Scalar, None, None);
pub const KUBECONFIG: Field = field("", "kubeconfig", Scalar, None, None);
const FEATURE_GATES: Field = field("/featureGates", "feature-gates", List, None, None);

/// The kubelet's boolean flags (Kubernetes v1.34), which take a value only after `=`.
const BOOLEAN_FLAGS: &[&str] = &[
    "anonymous-auth",
    "authentication-token-webhook",
    "cgroups-per-qos",
    "contention-profiling",
    "cpu-cfs-quota",
    "enable-controller-attach-detach",
    "enable-debugging-handlers",
    "enable-server",
    "exit-on-lock-contention",
    "experimental-allocatable-ignore-eviction",
    "fail-cgroupv1",
    "fail-swap-on",
    "help",
    "kernel-memcg-notification",
    "local-storage-capacity-isolation",
    "log-text-split-stream",
    "make-iptables-util-chains",
    "protect-kernel-defaults",
    "register-node",
    "rotate-certificates",
    "rotate-server-certificates",
    "runonce",
    "seccomp-default",
    "serialize-image-pulls",
    "version",
];

/// The kubelet's other flags (Kubernetes v1.34), which take a value.
const VALUE_FLAGS: &[&str] = &[
    "address",
    "allowed-unsafe-sysctls",
    "authentication-token-webhook-cache-ttl",
    "authorization-mode",
    "authorization-webhook-cache-authorized-ttl",
    "authorization-webhook-cache-unauthorized-ttl",
    "bootstrap-kubeconfig",
    "cert-dir",
    "cgroup-driver",
    "cgroup-root",
    "client-ca-file",
    "cloud-provider",
    "cluster-dns",
    "cluster-domain",
    "config",
    "config-dir",
    "container-log-max-files",
    "container-log-max-size",
    "container-runtime-endpoint",
    "cpu-cfs-quota-period",
    "cpu-manager-policy",
    "cpu-manager-policy-options",
    "cpu-manager-reconcile-period",
    "enforce-node-allocatable",
    "event-burst",
    "event-qps",
    "eviction-hard",
    "eviction-max-pod-grace-period",
    "eviction-minimum-reclaim",
    "eviction-pressure-transition-period",
    "eviction-soft",
    "eviction-soft-grace-period",
    "experimental-mounter-path",
    "feature-gates",
    "file-check-frequency",
    "hairpin-mode",
    "healthz-bind-address",
    "healthz-port",
    "hostname-override",
    "http-check-frequency",
    "image-credential-provider-bin-dir",
    "image-credential-provider-config",
    "image-gc-high-threshold",
    "image-gc-low-threshold",
    "image-service-endpoint",
    "kube-api-burst",
    "kube-api-content-type",
    "kube-api-qps",
    "kube-reserved",
    "kube-reserved-cgroup",
    "kubeconfig",
    "kubelet-cgroups",
    "lock-file",
    "log-flush-frequency",
    "log-text-info-buffer-size",
    "logging-format",
    "manifest-url",
    "manifest-url-header",
    "max-open-files",
    "max-pods",
    "maximum-dead-containers",
    "maximum-dead-containers-per-container",
    "memory-manager-policy",
    "minimum-container-ttl-duration",
    "minimum-image-ttl-duration",
    "node-ip",
    "node-labels",
    "node-status-max-images",
    "node-status-update-frequency",
    "oom-score-adj",
    "pod-cidr",
    "pod-infra-container-image",
    "pod-manifest-path",
    "pod-max-pids",
    "pods-per-core",
    "port",
    "provider-id",
    "qos-reserved",
    "read-only-port",
    "register-with-taints",
    "registry-burst",
    "registry-qps",
    "reserved-cpus",
    "reserved-memory",
    "resolv-conf",
    "root-dir",
    "runtime-cgroups",
    "runtime-request-timeout",
    "streaming-connection-idle-timeout",
    "sync-frequency",
    "system-cgroups",
    "system-reserved",
    "system-reserved-cgroup",
    "tls-cert-file",
    "tls-cipher-suites",
    "tls-min-version",
    "tls-private-key-file",
    "topology-manager-policy",
    "topology-manager-policy-options",
    "topology-manager-scope",
    "v",
    "vmodule",
    "volume-plugin-dir",
    "volume-stats-agg-period",
];

/// Flags whose value must be a whole number.
const NUMBER_FLAGS: &[&str] = &["event-qps", "pod-max-pids", "port", "read-only-port"];

/// Where a setting's effective value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A flag on the command line (the unit file or environment file line it came from, or
    /// the process's command line).
    Flag { flag: String, at: Origin },
    /// A field of the configuration file or of a drop-in.
    File { at: Origin },
    /// Nothing sets it: the flag's default, or the configuration file's when the kubelet reads
    /// one (`config_file`).
    Default { config_file: bool },
}

/// The value a setting takes effect with: booleans as `true`/`false`, lists comma-separated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub value: String,
    pub source: Source,
}

impl Setting {
    pub fn is_default(&self) -> bool {
        matches!(self.source, Source::Default { .. })
    }
}

/// A flag as written on the kubelet's command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
    pub at: Origin,
}

/// A `KubeletConfiguration` document: the configuration file or a drop-in.
#[derive(Debug, Clone)]
pub struct ConfigDocument {
    /// Its path on the node.
    pub path: String,
    pub root: Node,
}

/// How the kubelet is started and configured.
#[derive(Debug, Clone, Default)]
pub struct Kubelet {
    /// Where the command line was read (the process, or the systemd unit), when it was.
    pub command_origin: Option<Origin>,
    pub flags: Vec<Flag>,
    /// The `--config` file, when it was given and could be read.
    pub config: Option<ConfigDocument>,
    /// The `--config-dir` drop-ins, in the order the kubelet merges them.
    pub drop_ins: Vec<ConfigDocument>,
    /// Whether the kubelet is given `--config` (even one unreadable here): this decides which
    /// defaults apply. Drop-ins alone merge over the flag defaults.
    pub config_given: bool,
    /// Words of the command line that are not flags or their values; the kubelet takes none.
    pub arguments: Vec<(Origin, String)>,
}

impl Kubelet {
    /// A kubelet started with `words` (its command line without the executable), before its
    /// configuration files are read.
    pub fn with_command_line(words: impl IntoIterator<Item = (Origin, String)>) -> Kubelet {
        let words: Vec<(Origin, String)> = words.into_iter().collect();
        let parsed = parse_flags(
            words.iter().map(|(at, word)| (at.clone(), word.as_str())),
            |name| name.replace('_', "-"),
            flag_kind,
        );
        let flags = parsed
            .flags
            .into_iter()
            .map(|(name, value, at)| Flag { name, value, at })
            .collect();
        Kubelet {
            flags,
            arguments: parsed.arguments,
            ..Kubelet::default()
        }
    }

    /// What is wrong with the command line, where: flags the kubelet does not know, flags
    /// without their value, values the kubelet cannot read, and words that are not flags. Each
    /// of these makes the kubelet refuse to start, so the command line read is not what runs.
    pub fn flag_problems(&self) -> Vec<(Origin, String)> {
        let mut problems = Vec::new();
        for (at, word) in &self.arguments {
            problems.push((
                at.clone(),
                format!(
                    "`{word}` is not a flag, and the kubelet takes no arguments (it refuses to start with \"unknown command\"); a boolean flag takes its value after `=`, as in `--anonymous-auth=false`"
                ),
            ));
        }
        for flag in &self.flags {
            let name = flag.name.as_str();
            let shown = match &flag.value {
                Some(value) => format!("`--{name}={value}`"),
                None => format!("`--{name}`"),
            };
            let boolean = BOOLEAN_FLAGS.contains(&name) || name == "h";
            let message = if !boolean && !VALUE_FLAGS.contains(&name) {
                format!(
                    "{shown} is not a kubelet flag (as of Kubernetes v1.34); a kubelet that does not know a flag refuses to start"
                )
            } else if boolean {
                match flag.value.as_deref() {
                    Some(value) if parse_bool(value).is_none() && name != "version" => format!(
                        "{shown} is not a boolean (true or false); the kubelet refuses to start"
                    ),
                    _ => continue,
                }
            } else {
                match flag.value.as_deref() {
                    None => format!("{shown} needs a value; the kubelet refuses to start"),
                    Some(value)
                        if NUMBER_FLAGS.contains(&name) && value.trim().parse::<i64>().is_err() =>
                    {
                        format!("{shown} is not a whole number; the kubelet refuses to start")
                    }
                    Some(value)
                        if name == STREAMING_IDLE_TIMEOUT.flag
                            && duration_is_zero(value).is_none() =>
                    {
                        format!(
                            "{shown} is not a duration (such as 5m); the kubelet refuses to start"
                        )
                    }
                    Some(_) => continue,
                }
            };
            problems.push((flag.at.clone(), message));
        }
        problems
    }

    /// The last occurrence of `flag` on the command line.
    pub fn flag(&self, flag: &str) -> Option<&Flag> {
        self.flags.iter().rev().find(|f| f.name == flag)
    }

    /// The effective value of `field`, with where it came from; `None` when nothing sets it
    /// and it has no default.
    pub fn setting(&self, field: &Field) -> Option<Setting> {
        if let Some(flag) = self.flag(field.flag) {
            let value = match field.kind {
                List => self.flag_list(field.flag).join(","),
                kind => read_value(kind, flag.value.as_deref()),
            };
            return Some(Setting {
                value,
                source: Source::Flag {
                    flag: field.flag.to_owned(),
                    at: flag.at.clone(),
                },
            });
        }
        if !field.pointer.is_empty()
            && let Some((document, node)) = self.file_value(field.pointer)
            && !(field.zero_means_default
                && self.is_config_file(document)
                && is_zero(&config_value(node)))
        {
            return Some(Setting {
                value: config_value(node),
                source: Source::File {
                    at: Origin {
                        path: document.path.clone(),
                        line: node.span.line,
                        column: node.span.column,
                    },
                },
            });
        }
        let default = if self.config_given {
            field.file_default
        } else {
            field.flag_default
        };
        default.map(|value| Setting {
            value: value.to_owned(),
            source: Source::Default {
                config_file: self.config_given,
            },
        })
    }

    /// A feature gate's value when something sets it: the flags' (gate by gate), else the
    /// files'.
    pub fn feature_gate(&self, gate: &str) -> Option<Setting> {
        let from_flags = self
            .flags
            .iter()
            .filter(|flag| flag.name == FEATURE_GATES.flag)
            .flat_map(|flag| {
                crate::components::split_list(flag.value.as_deref().unwrap_or(""))
                    .filter_map(|item| item.split_once('='))
                    .filter(|(name, _)| name.trim() == gate)
                    .map(|(_, value)| (value.trim().to_owned(), flag.at.clone()))
                    .collect::<Vec<_>>()
            })
            .next_back();
        if let Some((value, at)) = from_flags {
            return Some(Setting {
                value: normalized_bool(&value),
                source: Source::Flag {
                    flag: FEATURE_GATES.flag.to_owned(),
                    at,
                },
            });
        }
        let pointer = format!("{}/{gate}", FEATURE_GATES.pointer);
        let (document, node) = self.file_value(&pointer)?;
        Some(Setting {
            value: config_value(node),
            source: Source::File {
                at: Origin {
                    path: document.path.clone(),
                    line: node.span.line,
                    column: node.span.column,
                },
            },
        })
    }

    /// Where a finding about a default value points: the configuration file when there is
    /// one, else the command line.
    pub fn anchor(&self) -> Option<Origin> {
        self.config
            .as_ref()
            .map(|config| Origin::new(&config.path, 1))
            .or_else(|| self.command_origin.clone())
            .or_else(|| self.drop_ins.first().map(|d| Origin::new(&d.path, 1)))
    }

    /// Where a finding about `setting` points.
    pub fn origin_of(&self, setting: &Setting) -> Option<Origin> {
        match &setting.source {
            Source::Flag { at, .. } | Source::File { at } => Some(at.clone()),
            Source::Default { .. } => self.anchor(),
        }
    }

    fn is_config_file(&self, document: &ConfigDocument) -> bool {
        self.config
            .as_ref()
            .is_some_and(|config| std::ptr::eq(config, document))
    }

    /// The elements of a list flag over all its occurrences.
    fn flag_list(&self, flag: &str) -> Vec<String> {
        self.flags
            .iter()
            .filter(|f| f.name == flag)
            .flat_map(|f| {
                crate::components::split_list(f.value.as_deref().unwrap_or(""))
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The node at `pointer` in the merged files, and the document that set it: the last
    /// drop-in that sets it through maps, unless a drop-in after it sets it or a field above
    /// it to `null` (then the configuration file's value stands), else the configuration file.
    fn file_value(&self, pointer: &str) -> Option<(&ConfigDocument, &Node)> {
        for document in self.drop_ins.iter().rev() {
            match lookup(&document.root, pointer) {
                Lookup::Found(node) => return Some((document, node)),
                Lookup::Null => break,
                Lookup::Absent => {}
            }
        }
        let config = self.config.as_ref()?;
        match lookup(&config.root, pointer) {
            Lookup::Found(node) => Some((config, node)),
            Lookup::Null | Lookup::Absent => None,
        }
    }
}

enum Lookup<'a> {
    Found(&'a Node),
    /// The field, or a field above it, is `null`.
    Null,
    Absent,
}

fn lookup<'a>(root: &'a Node, pointer: &str) -> Lookup<'a> {
    let mut node = root;
    for token in pointer.split('/').skip(1) {
        match node.get(token) {
            Some(child) if child.is_null() => return Lookup::Null,
            Some(child) => node = child,
            None => return Lookup::Absent,
        }
    }
    Lookup::Found(node)
}

/// A configuration value as rampart compares it: scalars as written, lists comma-separated.
fn config_value(node: &Node) -> String {
    match &node.value {
        Value::Seq(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        _ => scalar_text(node),
    }
}

/// A scalar as text, strings without quotes.
fn scalar_text(node: &Node) -> String {
    match &node.value {
        Value::String(text) => text.to_string(),
        _ => node.display_scalar(),
    }
}

fn normalized_bool(text: &str) -> String {
    match parse_bool(text) {
        Some(b) => b.to_string(),
        None => text.to_owned(),
    }
}

fn flag_kind(name: &str) -> FlagKind {
    if BOOLEAN_FLAGS.contains(&name) || name == "h" {
        Boolean
    } else if name == TLS_CIPHER_SUITES.flag || name == FEATURE_GATES.flag {
        List
    } else {
        Scalar
    }
}

/// A zero value as Go's defaulting sees it: an empty string or a zero duration.
fn is_zero(value: &str) -> bool {
    value.is_empty() || duration_is_zero(value) == Some(true)
}

/// Whether a Go duration (`0`, `0s`, `4h0m0s`, `1.5h`) is zero; `None` when it does not parse.
pub fn duration_is_zero(text: &str) -> Option<bool> {
    let text = text.trim();
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if unsigned == "0" {
        return Some(true);
    }
    let mut rest = unsigned;
    let mut zero = true;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_end);
        let unit_end = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_end);
        if number.is_empty() || !matches!(unit, "ns" | "us" | "µs" | "μs" | "ms" | "s" | "m" | "h")
        {
            return None;
        }
        let value: f64 = number.parse().ok()?;
        zero &= value == 0.0;
        rest = after;
    }
    Some(zero)
}

#[cfg(test)]
mod tests {
    use rampart_source::{Limits, parse_stream};

    use super::*;

    fn document(path: &str, text: &str) -> ConfigDocument {
        let (mut documents, error) = parse_stream(text, &Limits::default());
        assert!(error.is_none(), "{error:?}");
        ConfigDocument {
            path: path.to_owned(),
            root: documents.remove(0).root,
        }
    }

    fn started_with(words: &[&str]) -> Kubelet {
        Kubelet::with_command_line(
            words
                .iter()
                .map(|w| (Origin::new("/proc/1/cmdline", 1), (*w).to_owned())),
        )
    }

    #[test]
    fn flag_defaults_apply_without_a_config_file() {
        let kubelet = Kubelet::default();
        let anonymous = kubelet.setting(&ANONYMOUS_AUTH).unwrap();
        assert_eq!(anonymous.value, "true");
        assert_eq!(anonymous.source, Source::Default { config_file: false });
        assert_eq!(
            kubelet.setting(&AUTHORIZATION_MODE).unwrap().value,
            "AlwaysAllow"
        );
        assert_eq!(kubelet.setting(&READ_ONLY_PORT).unwrap().value, "10255");
        assert_eq!(kubelet.setting(&CLIENT_CA_FILE), None);
    }

    #[test]
    fn config_file_defaults_then_file_then_drop_ins_then_flags() {
        let kubelet = Kubelet {
            config: Some(document(
                "/var/lib/kubelet/config.yaml",
                "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n\
                 authentication:\n  anonymous:\n    enabled: true\nrotateCertificates: true\n\
                 tlsCipherSuites: [X, Y]\nfeatureGates:\n  B: true\n  C: true\n",
            )),
            drop_ins: vec![
                document(
                    "/d/10.conf",
                    "authentication:\n  webhook:\n    enabled: false\nrotateCertificates: false\nprotectKernelDefaults: true\n",
                ),
                document(
                    "/d/20.conf",
                    "rotateCertificates: null\ntlsCipherSuites: [Z]\n",
                ),
            ],
            config_given: true,
            ..started_with(&[
                "--read-only-port",
                "10255",
                "--anonymous-auth",
                "false",
                "--feature-gates=A=true,B=false",
            ])
        };
        // `--anonymous-auth false`: a boolean takes no separate value, so the flag alone
        // means true, and it beats the file; `false` is left over as an argument.
        assert_eq!(kubelet.arguments.len(), 1);
        let anonymous = kubelet.setting(&ANONYMOUS_AUTH).unwrap();
        assert_eq!(anonymous.value, "true");
        assert!(matches!(anonymous.source, Source::Flag { .. }));
        assert_eq!(kubelet.setting(&READ_ONLY_PORT).unwrap().value, "10255");
        let mode = kubelet.setting(&AUTHORIZATION_MODE).unwrap();
        assert_eq!(mode.value, "Webhook");
        assert_eq!(mode.source, Source::Default { config_file: true });
        let webhook = kubelet.setting(&WEBHOOK_AUTHENTICATION).unwrap();
        assert_eq!(
            (webhook.value.as_str(), webhook.source),
            (
                "false",
                Source::File {
                    at: Origin {
                        path: "/d/10.conf".into(),
                        line: 3,
                        column: 14
                    }
                }
            )
        );
        // A later drop-in's null drops the field from the patch: the file's value stands.
        let rotate = kubelet.setting(&ROTATE_CERTIFICATES).unwrap();
        assert_eq!(rotate.value, "true");
        assert_eq!(
            kubelet.origin_of(&rotate).unwrap().path,
            "/var/lib/kubelet/config.yaml"
        );
        assert_eq!(kubelet.setting(&TLS_CIPHER_SUITES).unwrap().value, "Z");
        assert_eq!(
            kubelet.setting(&PROTECT_KERNEL_DEFAULTS).unwrap().value,
            "true"
        );
        assert_eq!(kubelet.feature_gate("B").unwrap().value, "false");
        assert_eq!(kubelet.feature_gate("C").unwrap().value, "true");
        assert!(kubelet.feature_gate("D").is_none());
    }

    #[test]
    fn zero_durations_read_as_unset_in_the_config_file_only() {
        let config = document(
            "/var/lib/kubelet/config.yaml",
            "kind: KubeletConfiguration\nstreamingConnectionIdleTimeout: 0s\nauthorization:\n  mode: \"\"\n",
        );
        let mut kubelet = Kubelet {
            config: Some(config),
            config_given: true,
            ..Kubelet::default()
        };
        let timeout = kubelet.setting(&STREAMING_IDLE_TIMEOUT).unwrap();
        assert_eq!(timeout.value, "4h0m0s");
        assert!(timeout.is_default());
        assert_eq!(
            kubelet.setting(&AUTHORIZATION_MODE).unwrap().value,
            "Webhook"
        );
        kubelet.drop_ins = vec![document(
            "/d/1.conf",
            "streamingConnectionIdleTimeout: 0s\n",
        )];
        let timeout = kubelet.setting(&STREAMING_IDLE_TIMEOUT).unwrap();
        assert_eq!(timeout.value, "0s");
        assert!(!timeout.is_default());
    }

    #[test]
    fn unknown_flags_missing_values_and_unreadable_values_are_problems() {
        let kubelet = started_with(&[
            "--network-plugin=cni",
            "--read-only-port=ten",
            "--anonymous-auth=maybe",
            "--streaming-connection-idle-timeout=5",
            "--v=2",
            "-h",
            "--config",
            "--",
            "stray",
        ]);
        let messages: Vec<String> = kubelet
            .flag_problems()
            .into_iter()
            .map(|(_, message)| message)
            .collect();
        assert_eq!(messages.len(), 6, "{messages:#?}");
        assert!(
            messages[0].starts_with("`stray` is not a flag, and the kubelet takes no arguments")
        );
        assert!(messages[1].starts_with("`--network-plugin=cni` is not a kubelet flag"));
        assert!(messages[2].contains("not a whole number"));
        assert!(messages[3].contains("not a boolean"));
        assert!(messages[4].contains("not a duration"));
        assert!(messages[5].starts_with("`--config` needs a value"));
    }

    #[test]
    fn go_durations() {
        for zero in ["0", "0s", "0h0m0s", "0.0ms"] {
            assert_eq!(duration_is_zero(zero), Some(true), "{zero}");
        }
        for nonzero in ["4h0m0s", "5m", "1.5h", "300ms"] {
            assert_eq!(duration_is_zero(nonzero), Some(false), "{nonzero}");
        }
        for bad in ["", "5", "h", "5x"] {
            assert_eq!(duration_is_zero(bad), None, "{bad}");
        }
    }
}
