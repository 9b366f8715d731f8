use std::sync::Arc;

use compact_str::CompactString;
use serde::Serialize;

use crate::{RuleMeta, Severity, Subject, fingerprint};

/// Where a finding is: a file, a 1-based line and column, where known the end of the span,
/// and for findings that follow data through code the steps from source to sink.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// Shared by every finding in the file.
    pub path: Arc<str>,
    pub line: u32,
    pub column: u32,
    /// The last line and column of the span, inclusive; 0 when the parser does not know it.
    #[serde(skip_serializing_if = "is_zero")]
    pub end_line: u32,
    #[serde(skip_serializing_if = "is_zero")]
    pub end_column: u32,
    /// The Helm template the object was rendered from (its `# Source:` comment), when known:
    /// `path`, `line` and `column` point into the rendered stream, this names the file to edit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<Arc<str>>,
    /// The steps that lead here, in order (a taint path from source to sink); `None` for
    /// findings about one place, which are almost all: boxed, so they pay one pointer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow: Option<Box<[FlowStep]>>,
}

impl Location {
    /// A position without an end, template or flow.
    pub fn new(path: Arc<str>, line: u32, column: u32) -> Location {
        Location {
            path,
            line,
            column,
            end_line: 0,
            end_column: 0,
            template: None,
            flow: None,
        }
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// One step of a [`Location`]'s flow: where, and what happens to the data there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FlowStep {
    pub location: Location,
    pub message: String,
}

/// A Kubernetes object as outputs other than findings name it (`rampart pss`), and the
/// workloads the RBAC model lists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjectRef {
    pub api_version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectRef {
    /// How people read an object: `Deployment shop/web`, `ClusterRole admin`.
    pub fn label(&self) -> String {
        match &self.namespace {
            Some(namespace) => format!("{} {namespace}/{}", self.kind, self.name),
            None => format!("{} {}", self.kind, self.name),
        }
    }
}

/// What silenced a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SuppressionSource {
    /// An exclusion in `rampart.toml`.
    Config,
    /// A `rampart.dev/ignore` annotation on the object.
    Annotation,
    /// A `# rampart:ignore` comment above the line (Dockerfiles).
    Comment,
    /// A fingerprint in the baseline file.
    Baseline,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub source: SuppressionSource,
    pub reason: Option<String>,
}

/// One item of a finding's evidence beyond its own location: the policy that allows a
/// connection, the peer it comes from, the ports it opens. Rules that reason across objects
/// (network reachability) say with these which other objects decide the finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// What the item is, in a word or two: `policy`, `peer`, `ports`, `workload`.
    pub label: &'static str,
    /// The item as people read it: `NetworkPolicy shop/allow-web`, `TCP 5432`.
    pub value: String,
    /// Where the item is declared, when it is an object of the scan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// One problem found by one rule, with the evidence to act on it. The rule's metadata is
/// referenced, not copied: a scan can hold a hundred thousand findings.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    /// The rule's severity, or the rank the rule gave this finding.
    pub severity: Severity,
    /// Shared with the other findings that say the same (see [`Texts`](crate::Texts)).
    pub message: Arc<str>,
    pub location: Location,
    /// What the finding is about; shared by every finding on it.
    pub subject: Arc<Subject>,
    /// JSON pointer to the offending field, relative to the object (or document); shared like
    /// the message.
    pub pointer: Arc<str>,
    /// 16 hexadecimal digits, stored inline.
    pub fingerprint: CompactString,
    /// Boxed: few findings are suppressed, and every finding pays for the field.
    pub suppression: Option<Box<Suppression>>,
    /// What else decides the finding (policies, peers, ports), for rules that say so; empty
    /// for most rules, and then left out of the JSON report.
    pub evidence: Vec<Evidence>,
    /// The advisory and package of a vulnerability finding; `None` for every other rule.
    pub vulnerability: Option<Arc<crate::Vulnerability>>,
}

/// The JSON contract's shape (docs/json-report.md): the rule's identity and references
/// flattened into the finding.
impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let rule = self.rule;
        let fields = 12
            + usize::from(self.suppression.is_some())
            + usize::from(!self.evidence.is_empty())
            + usize::from(self.vulnerability.is_some());
        let mut out = serializer.serialize_struct("Finding", fields)?;
        out.serialize_field("code", rule.code)?;
        out.serialize_field("name", rule.name)?;
        out.serialize_field("severity", &self.severity)?;
        out.serialize_field("layer", &rule.layer)?;
        out.serialize_field("concern", &rule.concern)?;
        out.serialize_field("message", &self.message)?;
        out.serialize_field("location", &self.location)?;
        out.serialize_field("subject", &self.subject)?;
        out.serialize_field("pointer", &self.pointer)?;
        if !self.evidence.is_empty() {
            out.serialize_field("evidence", &self.evidence)?;
        }
        if let Some(vulnerability) = &self.vulnerability {
            out.serialize_field("vulnerability", vulnerability)?;
        }
        out.serialize_field("references", &rule.references)?;
        out.serialize_field("equivalents", rule.equivalents)?;
        out.serialize_field("fingerprint", &self.fingerprint)?;
        if let Some(suppression) = &self.suppression {
            out.serialize_field("suppression", suppression)?;
        }
        out.end()
    }
}

impl Finding {
    /// A finding whose fingerprint hashes `pointer` as it is.
    pub fn new(
        meta: &'static RuleMeta,
        message: Arc<str>,
        location: Location,
        subject: Arc<Subject>,
        pointer: Arc<str>,
    ) -> Finding {
        Finding::with_identity(meta, message, location, subject, pointer.clone(), &pointer)
    }

    /// A finding whose fingerprint hashes `field_identity` instead of the pointer: the pointer
    /// with list positions replaced by item names (`containers/web` for `containers/1`), so
    /// that reordering or inserting containers keeps fingerprints.
    pub fn with_identity(
        meta: &'static RuleMeta,
        message: Arc<str>,
        location: Location,
        subject: Arc<Subject>,
        pointer: Arc<str>,
        field_identity: &str,
    ) -> Finding {
        let fingerprint = fingerprint(meta.code, &subject, field_identity);
        Finding {
            rule: meta,
            severity: meta.severity,
            message,
            location,
            subject,
            pointer,
            fingerprint,
            suppression: None,
            evidence: Vec::new(),
            vulnerability: None,
        }
    }

    /// The order every report uses: by file, position, then rule code, pointer and message,
    /// then fingerprint, so the same input always gives the same output; findings equal in
    /// all of it are one.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str, &str, &str) {
        (
            &self.location.path,
            self.location.line,
            self.location.column,
            self.rule.code,
            &self.pointer,
            &self.message,
            // Instances of one declaration (a Terraform module called with `for_each`, a
            // resource with `count`) share a location: their subjects tell them apart.
            &self.fingerprint,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scan holds a hundred thousand findings: the struct may not grow unnoticed (176 bytes
    /// in schema 1; the end position and flow were paid for by boxing the rare suppression;
    /// the vulnerability of `V1xx` findings adds one pointer, 184).
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn finding_stays_small() {
        assert!(std::mem::size_of::<Finding>() <= 184);
    }
}
