use std::sync::Arc;

use compact_str::CompactString;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{RuleMeta, Severity};

/// Where a finding is: a file and a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// Shared by every finding in the file.
    pub path: Arc<str>,
    pub line: u32,
    pub column: u32,
    /// The Helm template the object was rendered from (its `# Source:` comment), when known:
    /// `path`, `line` and `column` point into the rendered stream, this names the file to edit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<Arc<str>>,
}

/// The Kubernetes object a finding is about.
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

/// `Kind/namespace/name` (`Kind/name` when cluster-scoped): the form exclusions match.
impl std::fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{}/{}/{}", self.kind, ns, self.name),
            None => write!(f, "{}/{}", self.kind, self.name),
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
    /// Shared by every finding on the object.
    pub object: Option<Arc<ObjectRef>>,
    /// JSON pointer to the offending field, relative to the object (or document); shared like
    /// the message.
    pub pointer: Arc<str>,
    /// 16 hexadecimal digits, stored inline.
    pub fingerprint: CompactString,
    pub suppression: Option<Suppression>,
    /// What else decides the finding (policies, peers, ports), for rules that say so; empty
    /// for most rules, and then left out of the JSON report.
    pub evidence: Vec<Evidence>,
}

/// The JSON contract's shape (docs/json-report.md): the rule's identity and references
/// flattened into the finding.
impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let rule = self.rule;
        let fields =
            12 + usize::from(self.suppression.is_some()) + usize::from(!self.evidence.is_empty());
        let mut out = serializer.serialize_struct("Finding", fields)?;
        out.serialize_field("code", rule.code)?;
        out.serialize_field("name", rule.name)?;
        out.serialize_field("severity", &self.severity)?;
        out.serialize_field("layer", &rule.layer)?;
        out.serialize_field("concern", &rule.concern)?;
        out.serialize_field("message", &self.message)?;
        out.serialize_field("location", &self.location)?;
        out.serialize_field("object", &self.object)?;
        out.serialize_field("pointer", &self.pointer)?;
        if !self.evidence.is_empty() {
            out.serialize_field("evidence", &self.evidence)?;
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
        object: Option<Arc<ObjectRef>>,
        pointer: Arc<str>,
    ) -> Finding {
        Finding::with_identity(meta, message, location, object, pointer.clone(), &pointer)
    }

    /// A finding whose fingerprint hashes `field_identity` instead of the pointer: the pointer
    /// with list positions replaced by item names (`containers/web` for `containers/1`), so
    /// that reordering or inserting containers keeps fingerprints.
    pub fn with_identity(
        meta: &'static RuleMeta,
        message: Arc<str>,
        location: Location,
        object: Option<Arc<ObjectRef>>,
        pointer: Arc<str>,
        field_identity: &str,
    ) -> Finding {
        let fingerprint = fingerprint(meta.code, &location.path, object.as_deref(), field_identity);
        Finding {
            rule: meta,
            severity: meta.severity,
            message,
            location,
            object,
            pointer,
            fingerprint,
            suppression: None,
            evidence: Vec::new(),
        }
    }

    /// The order every report uses: by file, position, then rule code and pointer, so the same
    /// input always gives the same output.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str, &str) {
        (
            &self.location.path,
            self.location.line,
            self.location.column,
            self.rule.code,
            &self.pointer,
            &self.message,
        )
    }
}

/// A stable identity for a finding that survives edits elsewhere: it hashes the rule, the
/// object (kind, namespace, name) and the field, but neither line numbers nor the file an
/// object lives in, so moving an object between files or scanning from another folder keeps
/// it. Only a finding without a named object hashes its path. Changing this recipe
/// invalidates every baseline: it needs a new `schema_version`.
pub fn fingerprint(
    code: &str,
    path: &str,
    object: Option<&ObjectRef>,
    field: &str,
) -> CompactString {
    let mut hasher = Sha256::new();
    let mut part = |text: &str| {
        hasher.update(text.as_bytes());
        hasher.update([0]);
    };
    part(code);
    match object.filter(|o| !o.name.is_empty()) {
        Some(object) => {
            part(&object.kind);
            part(object.namespace.as_deref().unwrap_or(""));
            part(&object.name);
        }
        None => part(path),
    }
    part(field);
    let digest = hasher.finalize();
    let leading = u64::from_be_bytes(digest[..8].try_into().expect("SHA-256 has 32 bytes"));
    compact_str::format_compact!("{leading:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(name: &str) -> ObjectRef {
        ObjectRef {
            api_version: "v1".into(),
            kind: "Pod".into(),
            namespace: Some("shop".into()),
            name: name.into(),
        }
    }

    #[test]
    fn fingerprint_depends_on_identity_not_position() {
        let a = fingerprint("K101", "a.yaml", Some(&object("web")), "/spec/x");
        assert_eq!(a.len(), 16);
        assert_eq!(
            a,
            fingerprint("K101", "a.yaml", Some(&object("web")), "/spec/x")
        );
        assert_ne!(
            a,
            fingerprint("K102", "a.yaml", Some(&object("web")), "/spec/x")
        );
        assert_ne!(
            a,
            fingerprint("K101", "a.yaml", Some(&object("api")), "/spec/x")
        );
        assert_ne!(
            a,
            fingerprint("K101", "a.yaml", Some(&object("web")), "/spec/y")
        );
        // The same object in another file, or the same file named from another folder.
        assert_eq!(
            a,
            fingerprint("K101", "deploy/b.yaml", Some(&object("web")), "/spec/x")
        );
        // Without a named object the path is the identity.
        assert_ne!(
            fingerprint("D101", "a/Dockerfile", None, "/"),
            fingerprint("D101", "b/Dockerfile", None, "/")
        );
    }

    #[test]
    fn fingerprint_recipe_is_frozen() {
        // Baselines on disk hold these values: a change here breaks every user's baseline and
        // must raise the report's schema_version.
        assert_eq!(
            fingerprint(
                "K101",
                "a.yaml",
                Some(&object("web")),
                "/spec/containers/app/securityContext/privileged"
            ),
            // sha256("K101\0Pod\0shop\0web\0/spec/containers/app/securityContext/privileged\0")
            "890bafea4ce3920a"
        );
    }
}
