//! A small scan: five findings over four files and both kinds of object scope, two suppressed
//! findings and two unreadable inputs, with rules that look like rampart's own.

use rampart_core::{
    Concern, Diagnostic, Finding, Layer, Location, References, Report, RuleMeta, Severity, Subject,
    Suppression, SuppressionSource, refs,
};
use std::sync::Arc;

pub static ROOT_USER: RuleMeta = RuleMeta {
    code: "D101",
    name: "root-user",
    title: "Image runs as root",
    severity: Severity::Medium,
    layer: Layer::Container,
    concern: Concern::Images,
    references: refs![
        Cwe: ["CWE-250"],
    ],
    equivalents: &["hadolint:DL3002", "trivy:DS-0002"],
    doc: " ## What it checks
 A Dockerfile whose last stage sets no `USER`, or sets `root`.

 ## Why it matters
 A process that runs as root inside the container is one kernel bug away from root on the host.

 ## Example
 ```dockerfile
 FROM node:20
 ```
 Use instead:
 ```dockerfile
 FROM node:20
 USER node
 ```
",
};

pub static PRIVILEGED: RuleMeta = RuleMeta {
    code: "K101",
    name: "privileged-container",
    title: "Container runs privileged",
    severity: Severity::Critical,
    layer: Layer::Cluster,
    concern: Concern::Workloads,
    references: refs![
        Pss: ["privileged"],
        Cis: ["5.2.2"],
        Nsa: ["pod-security"],
        Mitre: ["T1611"],
        Cwe: ["CWE-250"],
    ],
    equivalents: &["trivy:KSV-0017", "checkov:CKV_K8S_16"],
    doc: " ## What it checks
 Containers with `securityContext.privileged: true`.

 ## Why it matters
 A privileged container sees every host device: escaping to the node takes one command.

 ## Example
 ```yaml
 securityContext:
   privileged: true
 ```
",
};

pub static HOST_NETWORK: RuleMeta = RuleMeta {
    code: "K103",
    name: "host-network",
    title: "Pod shares the host's network namespace",
    severity: Severity::High,
    layer: Layer::Cluster,
    concern: Concern::Workloads,
    references: refs![
        Pss: ["hostNamespaces"],
        Cis: ["5.2.5"],
    ],
    equivalents: &["trivy:KSV-0009"],
    doc: " ## What it checks
 Pods with `hostNetwork: true`.
",
};

/// In the registry but never fires here, so result order and rule order differ.
pub static WILDCARD_RBAC: RuleMeta = RuleMeta {
    code: "K201",
    name: "wildcard-rbac",
    title: "Role grants every verb or resource",
    severity: Severity::High,
    layer: Layer::Cluster,
    concern: Concern::Services,
    references: References::NONE,
    equivalents: &[],
    doc: "",
};

pub static NO_NETWORK_POLICY: RuleMeta = RuleMeta {
    code: "K301",
    name: "namespace-without-network-policy",
    title: "Namespace has no NetworkPolicy",
    severity: Severity::Info,
    layer: Layer::Cluster,
    concern: Concern::Networking,
    references: refs![
        Nsa: ["network-separation"],
    ],
    equivalents: &["kube-linter:no-network-policy"],
    doc: " ## What it checks
 Namespaces that no NetworkPolicy selects.
",
};

pub fn registry() -> Vec<&'static RuleMeta> {
    vec![
        &ROOT_USER,
        &PRIVILEGED,
        &HOST_NETWORK,
        &WILDCARD_RBAC,
        &NO_NETWORK_POLICY,
    ]
}

pub fn at(path: &str, line: u32, column: u32) -> Location {
    Location::new(path.into(), line, column)
}

pub fn object(kind: &str, namespace: Option<&str>, name: &str) -> Arc<Subject> {
    let api_version = if kind == "Deployment" || kind == "DaemonSet" {
        "apps/v1"
    } else {
        "v1"
    };
    Arc::new(Subject::kubernetes(api_version, kind, namespace, name))
}

fn suppressed(mut finding: Finding, source: SuppressionSource, reason: Option<&str>) -> Finding {
    finding.suppression = Some(Box::new(Suppression {
        source,
        reason: reason.map(Into::into),
    }));
    finding
}

/// The findings in scrambled order, as parallel rules would produce them.
pub fn findings() -> Vec<Finding> {
    let web = || object("Deployment", Some("shop"), "web");
    vec![
        Finding::new(
            &PRIVILEGED,
            "container `app` runs privileged".into(),
            at("deploy/web.yaml", 14, 11),
            web(),
            "/spec/template/spec/containers/0/securityContext/privileged".into(),
        ),
        Finding::new(
            &PRIVILEGED,
            "container `agent` runs privileged".into(),
            Location {
                template: Some("agent/templates/daemonset.yaml".into()),
                ..at("helm/rendered.yaml", 30, 15)
            },
            object("DaemonSet", Some("kube-system"), "agent"),
            "/spec/template/spec/containers/0/securityContext/privileged".into(),
        ),
        suppressed(
            Finding::new(
                &HOST_NETWORK,
                "pod shares the host's network namespace".into(),
                at("helm/rendered.yaml", 22, 7),
                object("DaemonSet", Some("kube-system"), "agent"),
                "/spec/template/spec/hostNetwork".into(),
            ),
            SuppressionSource::Config,
            Some("vendored chart"),
        ),
        Finding::new(
            &NO_NETWORK_POLICY,
            "namespace `shop` has no NetworkPolicy: every pod accepts all traffic".into(),
            at("deploy/namespace.yaml", 1, 1),
            object("Namespace", None, "shop"),
            "".into(),
        ),
        Finding::new(
            &HOST_NETWORK,
            "pod shares the host's network namespace".into(),
            at("deploy/web.yaml", 9, 7),
            web(),
            "/spec/template/spec/hostNetwork".into(),
        ),
        suppressed(
            Finding::new(
                &PRIVILEGED,
                "container `legacy` runs privileged".into(),
                at("deploy/legacy.yaml", 12, 11),
                object("Deployment", Some("shop"), "legacy"),
                "/spec/template/spec/containers/0/securityContext/privileged".into(),
            ),
            SuppressionSource::Baseline,
            None,
        ),
        Finding::new(
            &ROOT_USER,
            "image runs as root: the final stage sets no USER".into(),
            at("Dockerfile", 7, 1),
            Arc::new(Subject::dockerfile("Dockerfile")),
            "/stages/1".into(),
        ),
    ]
}

/// Two inputs not scanned and one scanned with a warning.
pub fn diagnostics() -> Vec<Diagnostic> {
    vec![
        Diagnostic::error(
            "deploy/broken.yaml",
            Some(3),
            "could not parse YAML: unexpected character '<'",
        ),
        Diagnostic::error(
            "charts/blob.tgz",
            None,
            "archive expands past the 64 MiB limit",
        ),
        Diagnostic::warning(
            "deploy/rbac.yaml",
            Some(12),
            "RoleBinding shop/read: roleRef names Role reader in namespace shop, which is not in \
             the input; the binding grants nothing until it exists",
        ),
    ]
}

pub fn report() -> Report {
    Report::new(findings(), diagnostics(), 6, 5)
}
