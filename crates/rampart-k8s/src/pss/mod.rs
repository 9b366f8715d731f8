//! Pod Security Standards, evaluated the way the upstream `k8s.io/pod-security-admission`
//! library does it, for every policy version from v1.0 to the newest one it defines.
//!
//! A level is a set of checks; each check knows the policy version it first applies to and
//! branches on the version where its rules changed. Evaluating at `restricted` runs the baseline
//! checks too, except those a restricted check replaces (for example `restrictedVolumes`
//! supersedes `hostPathVolumes`). Violations come in upstream order, baseline checks first, each
//! group sorted by id, and carry upstream's messages word for word plus a JSON pointer for every
//! offending (or missing) field.

mod checks;
mod text;

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::workload::PodTemplate;
pub use checks::Field;
use checks::{CheckFn, PodView};

/// A Pod Security Standards level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = ParseError;

    /// Accepts the spellings of the `pod-security.kubernetes.io/*` namespace labels.
    fn from_str(text: &str) -> Result<Level, ParseError> {
        match text {
            "privileged" => Ok(Level::Privileged),
            "baseline" => Ok(Level::Baseline),
            "restricted" => Ok(Level::Restricted),
            _ => Err(ParseError::Level(text.to_owned())),
        }
    }
}

/// A policy version: `v1.N` or `latest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Version {
    /// The minor version; `None` for `latest`.
    minor: Option<u32>,
}

impl Version {
    /// The newest policy version whose rules this library knows. Newer versions, and `latest`,
    /// are evaluated with its rules, as upstream does.
    pub const NEWEST_KNOWN: Version = Version::v1(Version::NEWEST_KNOWN_MINOR);
    /// The minor of [`Version::NEWEST_KNOWN`]: the last version where a check changed (sysctls).
    pub const NEWEST_KNOWN_MINOR: u32 = 37;
    pub const LATEST: Version = Version { minor: None };

    pub const fn v1(minor: u32) -> Version {
        Version { minor: Some(minor) }
    }

    pub fn is_latest(self) -> bool {
        self.minor.is_none()
    }

    /// The minor version as written; `None` for `latest`.
    pub fn minor(self) -> Option<u32> {
        self.minor
    }

    /// The minor version whose rules apply.
    pub fn effective_minor(self) -> u32 {
        let newest = Version::NEWEST_KNOWN_MINOR;
        self.minor.map_or(newest, |minor| minor.min(newest))
    }
}

impl Ord for Version {
    /// `latest` is newer than any numbered version.
    fn cmp(&self, other: &Version) -> Ordering {
        match (self.minor, other.minor) {
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.minor {
            Some(minor) => write!(f, "v1.{minor}"),
            None => f.write_str("latest"),
        }
    }
}

impl FromStr for Version {
    type Err = ParseError;

    /// Accepts `latest` and `v1.N` with no leading zeros, like the namespace labels.
    fn from_str(text: &str) -> Result<Version, ParseError> {
        if text == "latest" {
            return Ok(Version::LATEST);
        }
        let invalid = || ParseError::Version(text.to_owned());
        let digits = text.strip_prefix("v1.").ok_or_else(invalid)?;
        let well_formed = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'));
        if !well_formed {
            return Err(invalid());
        }
        digits.parse().map(Version::v1).map_err(|_| invalid())
    }
}

/// A level or version that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    Level(String),
    Version(String),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Level(text) => {
                write!(
                    f,
                    "invalid Pod Security level {text:?}: must be privileged, baseline or restricted"
                )
            }
            ParseError::Version(text) => {
                write!(
                    f,
                    "invalid Pod Security version {text:?}: must be \"latest\" or \"v1.N\""
                )
            }
        }
    }
}

impl std::error::Error for ParseError {}

/// Pods a check lets through from some version on, whatever they contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exemption {
    /// Pods with `spec.os.name: windows`, where the Linux-only fields cannot be set.
    WindowsPods { since: Version },
    /// Pods with `spec.hostUsers: false`, whose root is unprivileged on the node.
    UserNamespacePods { since: Version },
}

/// One upstream check.
#[derive(Debug)]
pub struct CheckMeta {
    /// The upstream check id, e.g. `capabilities_baseline`, `runAsNonRoot`.
    pub id: &'static str,
    pub level: Level,
    /// The control's name in the Pod Security Standards.
    pub title: &'static str,
    /// The first policy version the check is part of.
    pub since: Version,
    /// The baseline check this one replaces when evaluating at `restricted`.
    pub overrides: Option<&'static str>,
    pub exemption: Option<Exemption>,
    run: CheckFn,
}

impl CheckMeta {
    /// Whether the check is part of its level at `version`.
    pub fn applies_at(&self, version: Version) -> bool {
        self.since <= version
    }

    fn exempts(&self, pod: &PodView<'_, '_>, minor: u32) -> bool {
        match self.exemption {
            Some(Exemption::WindowsPods { since }) => {
                since.effective_minor() <= minor && pod.template.is_windows()
            }
            Some(Exemption::UserNamespacePods { since }) => {
                since.effective_minor() <= minor && pod.template.in_user_namespace()
            }
            None => false,
        }
    }

    fn apply(&'static self, pod: &PodView<'_, '_>, version: Version) -> Option<Violation> {
        let minor = version.effective_minor();
        if !self.applies_at(Version::v1(minor)) || self.exempts(pod, minor) {
            return None;
        }
        let failure = (self.run)(pod, minor)?;
        let message = if failure.detail.is_empty() {
            failure.reason.clone()
        } else {
            format!("{} ({})", failure.reason, failure.detail)
        };
        Some(Violation {
            check: self.id,
            reason: failure.reason,
            detail: failure.detail,
            message,
            fields: failure.fields,
        })
    }

    const fn new(
        id: &'static str,
        level: Level,
        title: &'static str,
        since: u32,
        run: CheckFn,
    ) -> CheckMeta {
        CheckMeta {
            id,
            level,
            title,
            since: Version::v1(since),
            overrides: None,
            exemption: None,
            run,
        }
    }

    const fn overriding(mut self, baseline_id: &'static str) -> CheckMeta {
        self.overrides = Some(baseline_id);
        self
    }

    const fn exempting(mut self, exemption: Exemption) -> CheckMeta {
        self.exemption = Some(exemption);
        self
    }
}

const fn baseline(id: &'static str, title: &'static str, since: u32, run: CheckFn) -> CheckMeta {
    CheckMeta::new(id, Level::Baseline, title, since, run)
}

const fn restricted(id: &'static str, title: &'static str, since: u32, run: CheckFn) -> CheckMeta {
    CheckMeta::new(id, Level::Restricted, title, since, run)
}

const WINDOWS_FROM_1_25: Exemption = Exemption::WindowsPods {
    since: Version::v1(25),
};
const USER_NAMESPACES_FROM_1_35: Exemption = Exemption::UserNamespacePods {
    since: Version::v1(35),
};

/// Every check, in evaluation order: baseline then restricted, each sorted by id byte-wise.
/// The number is the minor version of v1 the check first applies to.
#[rustfmt::skip]
pub static CHECKS: &[CheckMeta] = &[
    baseline("appArmorProfile", "AppArmor", 0, checks::app_armor_profile),
    baseline("capabilities_baseline", "Capabilities", 0, checks::capabilities_baseline),
    baseline("hostNamespaces", "Host Namespaces", 0, checks::host_namespaces),
    baseline("hostPathVolumes", "HostPath Volumes", 0, checks::host_path_volumes),
    baseline("hostPorts", "Host Ports", 0, checks::host_ports),
    baseline("hostProbesAndHostLifecycle", "Host Probes / Lifecycle Hooks", 34, checks::host_probes_and_lifecycle),
    baseline("privileged", "Privileged Containers", 0, checks::privileged),
    baseline("procMount", "/proc Mount Type", 0, checks::proc_mount)
        .exempting(USER_NAMESPACES_FROM_1_35),
    baseline("seLinuxOptions", "SELinux", 0, checks::se_linux_options),
    baseline("seccompProfile_baseline", "Seccomp", 0, checks::seccomp_profile_baseline),
    baseline("sysctls", "Sysctls", 0, checks::sysctls),
    baseline("windowsHostProcess", "HostProcess", 0, checks::windows_host_process),
    restricted("allowPrivilegeEscalation", "Privilege Escalation", 8, checks::allow_privilege_escalation)
        .exempting(WINDOWS_FROM_1_25),
    restricted("capabilities_restricted", "Capabilities", 22, checks::capabilities_restricted)
        .overriding("capabilities_baseline")
        .exempting(WINDOWS_FROM_1_25),
    restricted("procMount_restricted", "/proc Mount Type", 35, checks::proc_mount)
        .overriding("procMount"),
    restricted("restrictedVolumes", "Volume Types", 0, checks::restricted_volumes)
        .overriding("hostPathVolumes"),
    restricted("runAsNonRoot", "Running as Non-root", 0, checks::run_as_non_root)
        .exempting(USER_NAMESPACES_FROM_1_35),
    restricted("runAsUser", "Running as Non-root user", 23, checks::run_as_user)
        .exempting(USER_NAMESPACES_FROM_1_35),
    restricted("seccompProfile_restricted", "Seccomp", 19, checks::seccomp_profile_restricted)
        .overriding("seccompProfile_baseline")
        .exempting(WINDOWS_FROM_1_25),
];

/// The check with this id; ids are matched case-insensitively, as the oracle spells them in
/// lower case.
pub fn check_meta(id: &str) -> Option<&'static CheckMeta> {
    CHECKS
        .iter()
        .find(|check| check.id.eq_ignore_ascii_case(id))
}

/// The checks evaluated at `level` and `version`, in evaluation order.
pub fn checks_for(level: Level, version: Version) -> Vec<&'static CheckMeta> {
    let version = Version::v1(version.effective_minor());
    let wanted = |check: &CheckMeta| match level {
        Level::Privileged => false,
        Level::Baseline => check.level == Level::Baseline,
        Level::Restricted => true,
    };
    let active: Vec<&'static CheckMeta> = CHECKS
        .iter()
        .filter(|check| wanted(check) && check.applies_at(version))
        .collect();
    let overridden: Vec<&str> = active.iter().filter_map(|check| check.overrides).collect();
    active
        .into_iter()
        .filter(|check| !overridden.contains(&check.id))
        .collect()
}

/// The outcome of evaluating a pod at one level and version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub allowed: bool,
    pub violations: Vec<Violation>,
}

impl Evaluation {
    /// All violations in one line, as the admission controller reports them:
    /// `host ports (8080), privileged (container "a" must not set ...)`.
    pub fn message(&self) -> String {
        let messages: Vec<&str> = self.violations.iter().map(|v| v.message.as_str()).collect();
        messages.join(", ")
    }
}

/// A failed check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The upstream check id.
    pub check: &'static str,
    /// Upstream's `ForbiddenReason`, e.g. `privileged`.
    pub reason: String,
    /// Upstream's `ForbiddenDetail`, e.g. `container "a" must not set securityContext.privileged=true`.
    pub detail: String,
    /// `reason (detail)`, or just the reason when there is no detail.
    pub message: String,
    /// The offending fields, or where a required field is missing.
    pub fields: Vec<Field>,
}

/// Evaluates `pod` against the Pod Security Standard `level` at `version`.
pub fn evaluate(pod: &PodTemplate<'_>, level: Level, version: Version) -> Evaluation {
    let view = PodView::new(pod);
    let violations: Vec<Violation> = checks_for(level, version)
        .into_iter()
        .filter_map(|check| check.apply(&view, version))
        .collect();
    Evaluation {
        allowed: violations.is_empty(),
        violations,
    }
}

/// Runs the one check `id` at `version`, whatever its level. `None` when the pod passes, when
/// the check is not part of that version, or when no check has that id.
pub fn run_check(id: &str, pod: &PodTemplate<'_>, version: Version) -> Option<Violation> {
    check_meta(id)?.apply(&PodView::new(pod), version)
}

#[cfg(test)]
mod tests;
