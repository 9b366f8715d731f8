use rampart_code::models::Class;
use rampart_core::{Concern, Layer, Severity, refs};

use super::report_flows;
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Request data that reaches an lxml parser (`lxml.etree.fromstring`, `XML`, `parse`)
    /// without a parser of its own: lxml's default parser resolves external entities. A
    /// parser made with `resolve_entities=False` (or `defusedxml`) is safe; the standard
    /// library's `xml.etree` does not resolve external entities.
    ///
    /// ## Why it matters
    /// `<!ENTITY x SYSTEM "file:///etc/passwd">` in the document puts the server's files in the
    /// parsed result, and `http://` entities make the server send requests (SSRF).
    ///
    /// ## Example
    /// ```python
    /// doc = etree.fromstring(request.data)
    /// ```
    /// Use instead: a parser that does not resolve entities.
    /// ```python
    /// parser = etree.XMLParser(resolve_entities=False, no_network=True)
    /// doc = etree.fromstring(request.data, parser)
    /// ```
    pub struct XmlExternalEntities {
        code: "A109",
        name: "xml-external-entities",
        title: "Untrusted XML parsed with external entities resolved",
        severity: Severity::High,
        layer: Layer::Code,
        concern: Concern::Injection,
        references: refs![
            Cwe: ["CWE-611"],
            Owasp: ["A05:2021"],
        ],
        equivalents: &["codeql:py/xxe"],
    }
}

impl Check<Code> for XmlExternalEntities {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        report_flows(
            target,
            Class::Xxe,
            "parse with resolve_entities=False (or defusedxml)",
            hits,
        );
    }
}
