use std::fmt::Write as _;

use serde::Serialize;

use crate::Severity;
use crate::framework::{Framework, pss_control};

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
        }
    }
}

/// Framework identifiers a rule maps to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct References {
    /// Pod Security Standards check ids as upstream names them (`privileged`, `runAsNonRoot`).
    pub pss: &'static [&'static str],
    /// CIS Kubernetes Benchmark ids (`5.2.2`).
    pub cis: &'static [&'static str],
    /// CIS Docker Benchmark ids (`4.1`), for rules on Dockerfiles and images.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub cis_docker: &'static [&'static str],
    /// NSA/CISA Kubernetes Hardening Guidance sections.
    pub nsa: &'static [&'static str],
    /// MITRE ATT&CK technique ids (`T1611`).
    pub mitre: &'static [&'static str],
    /// CWE ids (`CWE-250`).
    pub cwe: &'static [&'static str],
}

impl References {
    pub const NONE: References = References {
        pss: &[],
        cis: &[],
        cis_docker: &[],
        nsa: &[],
        mitre: &[],
        cwe: &[],
    };

    /// The ids listed for `framework`.
    pub fn ids(&self, framework: Framework) -> &'static [&'static str] {
        match framework {
            Framework::Pss => self.pss,
            Framework::Cis => self.cis,
            Framework::CisDocker => self.cis_docker,
            Framework::Nsa => self.nsa,
            Framework::Mitre => self.mitre,
            Framework::Cwe => self.cwe,
        }
    }

    /// The `## References` section of a rule's documentation: a line per framework, each id
    /// with its title. Empty without references.
    fn section(&self) -> String {
        let titled = |framework: Framework, id: &str| match framework.title(id) {
            Some(title) => format!("{id} ({title})"),
            None => id.to_owned(),
        };
        let listed = |framework: Framework, separator: &str| {
            let ids = self.ids(framework).iter();
            ids.map(|id| titled(framework, id))
                .collect::<Vec<_>>()
                .join(separator)
        };
        let mut lines = Vec::new();
        if !self.pss.is_empty() {
            let controls: Vec<String> = self
                .pss
                .iter()
                .map(|id| match pss_control(id) {
                    Some(control) => format!("{}: `{id}` ({})", control.level, control.title),
                    None => format!("`{id}`"),
                })
                .collect();
            lines.push(format!("Pod Security Standards, {}", controls.join("; ")));
        }
        if !self.cis.is_empty() {
            let ids = listed(Framework::Cis, ", ");
            lines.push(format!("CIS: {ids} in the Kubernetes Benchmark v1.12"));
        }
        if !self.cis_docker.is_empty() {
            let ids = listed(Framework::CisDocker, ", ");
            lines.push(format!("CIS: {ids} in the Docker Benchmark v1.7.0"));
        }
        if !self.nsa.is_empty() {
            let sections: Vec<String> = self
                .nsa
                .iter()
                .map(|key| match Framework::Nsa.title(key) {
                    Some(title) => format!("\"{title}\""),
                    None => format!("`{key}`"),
                })
                .collect();
            lines.push(format!(
                "NSA/CISA Kubernetes Hardening Guidance: {}",
                sections.join(", ")
            ));
        }
        if !self.mitre.is_empty() {
            lines.push(format!("MITRE ATT&CK {}", listed(Framework::Mitre, ", ")));
        }
        if !self.cwe.is_empty() {
            lines.push(listed(Framework::Cwe, ", "));
        }
        if lines.is_empty() {
            return String::new();
        }
        let mut section = String::from("## References\n");
        for line in lines {
            let _ = writeln!(section, "- {line}");
        }
        section
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
            references: References {
                pss: &["procMount", "procMount_restricted"],
                cis: &["5.6.1", "5.6.4"],
                cis_docker: &[],
                nsa: &["pod-security", "secrets"],
                mitre: &["T1611", "T1068"],
                cwe: &["CWE-250", "CWE-0"],
            },
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
