use rampart_code::models::Class;
use rampart_core::{Concern, Layer, Severity, refs};

use super::report_flows;
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Request data that reaches the text of an XPath query: lxml's `xpath()` and
    /// `etree.XPath`. Variables passed to the query (`xpath("//user[@name=$name]",
    /// name=value)`) are safe.
    ///
    /// ## Why it matters
    /// `' or '1'='1` in a name makes the query match every node: a login checked against an XML
    /// user store lets anyone in, and the whole document can be read.
    ///
    /// ## Example
    /// ```python
    /// users.xpath("//user[@name='" + request.args["name"] + "']")
    /// ```
    /// Use instead: an XPath variable.
    /// ```python
    /// users.xpath("//user[@name=$name]", name=request.args["name"])
    /// ```
    pub struct XpathInjection {
        code: "A110",
        name: "xpath-injection",
        title: "Untrusted data builds an XPath query",
        severity: Severity::High,
        layer: Layer::Code,
        concern: Concern::Injection,
        references: refs![
            Cwe: ["CWE-643"],
            Owasp: ["A03:2021"],
        ],
        equivalents: &["codeql:py/xpath-injection"],
    }
}

impl Check<Code> for XpathInjection {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        report_flows(
            target,
            Class::Xpath,
            "pass the value as an XPath variable",
            hits,
        );
    }
}
