//! What rampart knows of each component's flags: their kind, and the default the binary
//! uses when a flag is left out. These are the binaries' own defaults, not kubeadm's: kubeadm
//! writes `--authorization-mode=Node,RBAC`, `--enable-admission-plugins=NodeRestriction`,
//! `--bind-address=127.0.0.1`, `--use-service-account-credentials=true` and etcd's
//! `--client-cert-auth=true`, and leaves anonymous auth and profiling on.

use super::Component;

/// How a flag reads its value and repeated occurrences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    /// The last occurrence wins.
    Scalar,
    /// Set without a value means `true`; a value is taken only after `=`.
    Boolean,
    /// A comma-separated list; occurrences accumulate.
    List,
}

use Component::*;
use FlagKind::*;

/// (component, flag, kind, default). A flag missing here is a scalar without a default.
const FLAGS: &[(Component, &str, FlagKind, Option<&str>)] = &[
    (ApiServer, "anonymous-auth", Boolean, Some("true")),
    (ApiServer, "profiling", Boolean, Some("true")),
    // Without `--authorization-config`, the binary authorizes everything.
    (ApiServer, "authorization-mode", List, Some("AlwaysAllow")),
    // These name plugins on top of the default-on set, which has neither AlwaysAdmit nor
    // NodeRestriction; `--admission-control` is their deprecated predecessor.
    (ApiServer, "enable-admission-plugins", List, None),
    (ApiServer, "disable-admission-plugins", List, None),
    (ApiServer, "admission-control", List, None),
    (ApiServer, "service-account-lookup", Boolean, Some("true")),
    // 0: rotated files are kept whatever their age or number; the file rotates at 100 MB.
    (ApiServer, "audit-log-maxage", Scalar, Some("0")),
    (ApiServer, "audit-log-maxbackup", Scalar, Some("0")),
    (ApiServer, "audit-log-maxsize", Scalar, Some("0")),
    (ApiServer, "tls-cipher-suites", List, None),
    (ApiServer, "allow-privileged", Boolean, Some("false")),
    (
        ApiServer,
        "enable-bootstrap-token-auth",
        Boolean,
        Some("false"),
    ),
    (ApiServer, "feature-gates", List, Some("")),
    (ApiServer, "request-timeout", Scalar, Some("1m0s")),
    (
        ApiServer,
        "service-account-extend-token-expiration",
        Boolean,
        Some("true"),
    ),
    (ControllerManager, "profiling", Boolean, Some("true")),
    (
        ControllerManager,
        "use-service-account-credentials",
        Boolean,
        Some("false"),
    ),
    (ControllerManager, "bind-address", Scalar, Some("0.0.0.0")),
    (ControllerManager, "leader-elect", Boolean, Some("true")),
    (ControllerManager, "controllers", List, Some("*")),
    (ControllerManager, "feature-gates", List, Some("")),
    (
        ControllerManager,
        "terminated-pod-gc-threshold",
        Scalar,
        Some("12500"),
    ),
    (Scheduler, "profiling", Boolean, Some("true")),
    (Scheduler, "bind-address", Scalar, Some("0.0.0.0")),
    (Scheduler, "leader-elect", Boolean, Some("true")),
    (Scheduler, "feature-gates", List, Some("")),
    (Etcd, "client-cert-auth", Boolean, Some("false")),
    (Etcd, "auto-tls", Boolean, Some("false")),
    (Etcd, "peer-client-cert-auth", Boolean, Some("false")),
    (Etcd, "peer-auto-tls", Boolean, Some("false")),
    (Etcd, "enable-pprof", Boolean, Some("false")),
    (Etcd, "strict-reconfig-check", Boolean, Some("true")),
];

fn entry(
    component: Component,
    flag: &str,
) -> Option<&'static (Component, &'static str, FlagKind, Option<&'static str>)> {
    FLAGS
        .iter()
        .find(|(owner, name, ..)| *owner == component && *name == flag)
}

/// The kind of `flag` of `component`.
pub fn kind(component: Component, flag: &str) -> FlagKind {
    entry(component, flag).map_or(Scalar, |(_, _, kind, _)| *kind)
}

/// The value `component` uses when `flag` is left out, if it has one.
pub fn default(component: Component, flag: &str) -> Option<&'static str> {
    entry(component, flag).and_then(|(.., default)| *default)
}

/// The flag naming a configuration file that, when given, decides `flag` in place of the
/// command line: etcd ignores all its flags and environment variables under `--config-file`;
/// kube-scheduler ignores `--profiling` under `--config`.
pub fn superseding_file(component: Component, flag: &str) -> Option<&'static str> {
    match (component, flag) {
        (Etcd, _) => Some("config-file"),
        (Scheduler, "profiling") => Some("config"),
        _ => None,
    }
}
