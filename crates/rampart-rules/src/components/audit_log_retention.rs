use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::{Component, ComponentContainer};

use super::flags::{Want, check_flag_where};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers that write an audit log file (`--audit-log-path`, other than
    /// `-` for standard output) and remove rotated files early: `--audit-log-maxage` under 30
    /// days, `--audit-log-maxbackup` under 10 files, or `--audit-log-maxsize` under 100 MB.
    /// `0`, the default of all three, removes nothing (and rotates at 100 MB), so it passes;
    /// kube-bench, which wants the flags written, reports it.
    ///
    /// ## Why it matters
    /// Intrusions are often found weeks after they began. Audit files deleted after a few days
    /// or a few rotations take the record of the first requests with them, and a busy API server
    /// rotates a small file many times a day.
    ///
    /// ## Example
    /// ```yaml
    ///   - --audit-log-path=/var/log/kubernetes/audit/audit.log
    ///   - --audit-log-maxage=7
    ///   - --audit-log-maxbackup=3
    /// ```
    /// Use instead (or ship the log elsewhere and keep it there):
    /// ```yaml
    ///   - --audit-log-maxage=30
    ///   - --audit-log-maxbackup=10
    ///   - --audit-log-maxsize=100
    /// ```
    pub struct ApiserverAuditLogRetention {
        code: "K415",
        name: "apiserver-audit-log-retention",
        title: "API server deletes audit logs early",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.17", "1.2.18", "1.2.19"],
            Nsa: ["audit-logging"],
            Cwe: ["CWE-778"],
        ],
        equivalents: &[
            "kube-bench:1.2.17",
            "kube-bench:1.2.18",
            "kube-bench:1.2.19",
            "trivy:KCV-0020",
            "trivy:KCV-0021",
            "trivy:KCV-0022",
            "checkov:CKV_K8S_92",
            "checkov:CKV_K8S_93",
            "checkov:CKV_K8S_94",
            "kubescape:C-0131",
            "kubescape:C-0132",
            "kubescape:C-0133",
        ],
    }
}

impl Check<Objects> for ApiserverAuditLogRetention {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let limits = [
            (
                "audit-log-maxage",
                Want::Satisfies(keeps::<30>, "0 or at least 30"),
            ),
            (
                "audit-log-maxbackup",
                Want::Satisfies(keeps::<10>, "0 or at least 10"),
            ),
            (
                "audit-log-maxsize",
                Want::Satisfies(keeps::<100>, "0 or at least 100"),
            ),
        ];
        for (flag, want) in limits {
            check_flag_where(
                target,
                hits,
                Component::ApiServer,
                writes_audit_file,
                flag,
                want,
                "keep 30 days, 10 files of 100 MB, or ship the log to storage that keeps it",
            );
        }
    }
}

fn writes_audit_file(container: &ComponentContainer<'_>) -> bool {
    container
        .setting("audit-log-path")
        .is_some_and(|path| path.value != "-")
}

/// Whether a retention limit keeps at least `MINIMUM`; 0 means no limit.
fn keeps<const MINIMUM: u64>(value: &str) -> bool {
    value
        .parse::<u64>()
        .is_ok_and(|limit| limit == 0 || limit >= MINIMUM)
}
