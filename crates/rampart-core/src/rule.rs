use std::fmt::Write as _;

use serde::Serialize;

use crate::Severity;
use crate::framework::Framework;

/// The "4 Cs" layer a rule belongs to, innermost first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Code,
    Container,
    Cluster,
    Cloud,
}

impl Layer {
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Code => "code",
            Layer::Container => "container",
            Layer::Cluster => "cluster",
            Layer::Cloud => "cloud",
        }
    }
}

/// The part of a layer a rule is about (e.g. the Cluster layer's workloads, services,
/// networking and components).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Concern {
    Workloads,
    Services,
    Networking,
    Components,
    Images,
    Secrets,
    Dependencies,
    Iam,
    Kms,
    Storage,
    Network,
    Databases,
    #[serde(rename = "managed-kubernetes")]
    ManagedKubernetes,
    Logging,
    /// Untrusted data reaching an interpreter, a file path, a request or a response.
    Injection,
    /// A web application's protections: CSRF, cookies, sessions, debug mode.
    Web,
    /// Hashes, ciphers and randomness.
    Crypto,
}

impl Concern {
    pub fn as_str(self) -> &'static str {
        match self {
            Concern::Workloads => "workloads",
            Concern::Services => "services",
            Concern::Networking => "networking",
            Concern::Components => "components",
            Concern::Images => "images",
            Concern::Secrets => "secrets",
            Concern::Dependencies => "dependencies",
            Concern::Iam => "iam",
            Concern::Kms => "kms",
            Concern::Storage => "storage",
            Concern::Network => "network",
            Concern::Databases => "databases",
            Concern::ManagedKubernetes => "managed-kubernetes",
            Concern::Logging => "logging",
            Concern::Injection => "injection",
            Concern::Web => "web",
            Concern::Crypto => "crypto",
        }
    }
}

/// One framework id a rule maps to: `(Cis, "5.2.2")`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    pub framework: Framework,
    pub id: &'static str,
}

/// The framework ids a rule maps to, an open list written with [`refs!`](crate::refs):
/// adding a framework is a [`Framework`] variant, not a field here. The JSON report writes a
/// map from each framework's key to its ids, with only the frameworks that have some.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct References(&'static [Reference]);

/// `refs![Pss: ["privileged"], Cis: ["5.2.2"], Mitre: ["T1611"], Cwe: ["CWE-250"]]`: a rule's
/// [`References`], each framework by its [`Framework`] variant, ids in the rule's order.
#[macro_export]
macro_rules! refs {
    ($($framework:ident: [$($id:literal),* $(,)?]),* $(,)?) => {
        $crate::References::new(&[$($($crate::Reference {
            framework: $crate::Framework::$framework,
            id: $id,
        },)*)*])
    };
}

impl References {
    pub const NONE: References = References(&[]);

    pub const fn new(references: &'static [Reference]) -> References {
        References(references)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The ids listed for `framework`, in the rule's order.
    pub fn ids(&self, framework: Framework) -> impl Iterator<Item = &'static str> + Clone {
        let references = self.0;
        references
            .iter()
            .filter(move |reference| reference.framework == framework)
            .map(|reference| reference.id)
    }

    /// The frameworks with ids, in the order of [`Framework::ALL`].
    pub fn frameworks(&self) -> impl Iterator<Item = Framework> {
        let references = self.0;
        Framework::ALL
            .into_iter()
            .filter(move |framework| references.iter().any(|r| r.framework == *framework))
    }

    /// The `## References` section of a rule's documentation: a line per framework, each id
    /// with its title. Empty without references.
    fn section(&self) -> String {
        let mut section = String::new();
        for framework in self.frameworks() {
            if section.is_empty() {
                section.push_str("## References\n");
            }
            let _ = writeln!(section, "- {}", framework.line(self.ids(framework)));
        }
        section
    }
}

impl Serialize for References {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for framework in self.frameworks() {
            let ids: Vec<&str> = self.ids(framework).collect();
            map.serialize_entry(framework.key(), &ids)?;
        }
        map.end()
    }
}

/// Everything known about a rule before it runs. The documentation is the rule's doc comment,
/// with the sections `What it checks`, `Why it matters` and `Example`, followed by a
/// `References` section generated from `references`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RuleMeta {
    /// Stable code, never reused (`K101`).
    pub code: &'static str,
    /// Kebab-case name (`privileged-container`).
    pub name: &'static str,
    /// One-line summary.
    pub title: &'static str,
    pub severity: Severity,
    pub layer: Layer,
    pub concern: Concern,
    pub references: References,
    /// Ids of the same check in other tools, written `tool:id` (`checkov:CKV_K8S_16`).
    pub equivalents: &'static [&'static str],
    /// Markdown documentation, from the rule's doc comment.
    #[serde(skip)]
    pub doc: &'static str,
}

impl RuleMeta {
    /// The rule's documentation as Markdown: the doc comment, then the `References` section.
    /// Doc comments arrive with one leading space per line (`/// text`), which is removed here.
    pub fn documentation(&self) -> String {
        let mut text = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            text.push_str(line.strip_prefix(' ').unwrap_or(line));
            text.push('\n');
        }
        format!("{}\n\n{}", text.trim(), self.references.section())
            .trim()
            .to_owned()
    }

    /// The documentation section under `## {heading}`, without the heading.
    pub fn doc_section(&self, heading: &str) -> Option<String> {
        let doc = self.documentation();
        let marker = format!("## {heading}\n");
        let start = doc.find(&marker)? + marker.len();
        let rest = &doc[start..];
        let end = rest.find("\n## ").unwrap_or(rest.len());
        Some(rest[..end].trim().to_owned())
    }

    /// Every `tool:id` equivalent for one tool (`checkov`), without the prefix.
    pub fn equivalents_in<'t>(&self, tool: &'t str) -> impl Iterator<Item = &'static str> + 't {
        self.equivalents
            .iter()
            .filter_map(move |e| e.strip_prefix(tool)?.strip_prefix(':'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_section_extracts_between_headings() {
        let meta = RuleMeta {
            code: "X1",
            name: "x",
            title: "x",
            severity: Severity::Low,
            layer: Layer::Cluster,
            concern: Concern::Workloads,
            references: References::NONE,
            doc: " ## What it checks\n A thing.\n   indented\n\n ## Why it matters\n Because.\n",
            equivalents: &["checkov:CKV_K8S_1", "trivy:KSV-0001", "checkov:CKV_K8S_2"],
        };
        assert_eq!(
            meta.doc_section("What it checks").as_deref(),
            Some("A thing.\n  indented")
        );
        assert_eq!(
            meta.doc_section("Why it matters").as_deref(),
            Some("Because.")
        );
        assert_eq!(meta.doc_section("Example"), None);
        let checkov: Vec<_> = meta.equivalents_in("checkov").collect();
        assert_eq!(checkov, ["CKV_K8S_1", "CKV_K8S_2"]);
    }

    #[test]
    fn documentation_ends_with_references_generated_from_the_metadata() {
        let meta = RuleMeta {
            code: "X1",
            name: "x",
            title: "x",
            severity: Severity::Low,
            layer: Layer::Cluster,
            concern: Concern::Workloads,
            // Out of the documentation's order: the section orders frameworks itself.
            references: crate::refs![
                Cwe: ["CWE-250", "CWE-0"],
                Pss: ["procMount", "procMount_restricted"],
                Cis: ["5.6.1", "5.6.4"],
                Nsa: ["pod-security", "secrets"],
                Mitre: ["T1611", "T1068"],
            ],
            doc: " ## What it checks\n A thing.\n",
            equivalents: &[],
        };
        assert_eq!(
            meta.documentation(),
            "## What it checks\nA thing.\n\n## References\n\
             - Pod Security Standards, Baseline: `procMount` (/proc Mount Type); \
             Restricted: `procMount_restricted` (/proc Mount Type)\n\
             - CIS: 5.6.1 (namespaces as administrative boundaries), 5.6.4 (the default \
             namespace) in the Kubernetes Benchmark v1.12\n\
             - NSA/CISA Kubernetes Hardening Guidance: \"Pod security\", \"Secrets\"\n\
             - MITRE ATT&CK T1611 (Escape to Host), T1068 (Exploitation for Privilege Escalation)\n\
             - CWE-250 (Execution with Unnecessary Privileges), CWE-0"
        );
        let bare = RuleMeta {
            references: References::NONE,
            ..meta
        };
        assert_eq!(bare.documentation(), "## What it checks\nA thing.");
    }
}
