use rampart_code::models::Class;
use rampart_core::{Concern, Layer, Severity, refs};

use super::report_flows;
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Request data that reaches an LDAP search filter (python-ldap `search_s` and
    /// `search_ext_s`, ldap3's `Connection.search`). Values escaped with
    /// `escape_filter_chars` are safe.
    ///
    /// ## Why it matters
    /// `*)(uid=*))(|(uid=*` in a user name rewrites the filter: authentication bypass and
    /// enumeration of the directory.
    ///
    /// ## Example
    /// ```python
    /// conn.search_s(base, ldap.SCOPE_SUBTREE, "(uid=" + request.args["user"] + ")")
    /// ```
    /// Use instead: escape the value.
    /// ```python
    /// user = ldap.filter.escape_filter_chars(request.args["user"])
    /// conn.search_s(base, ldap.SCOPE_SUBTREE, "(uid=" + user + ")")
    /// ```
    pub struct LdapInjection {
        code: "A111",
        name: "ldap-injection",
        title: "Untrusted data builds an LDAP filter",
        severity: Severity::High,
        layer: Layer::Code,
        concern: Concern::Injection,
        references: refs![
            Cwe: ["CWE-90"],
            Owasp: ["A03:2021"],
        ],
        equivalents: &["codeql:py/ldap-injection"],
    }
}

impl Check<Code> for LdapInjection {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        report_flows(
            target,
            Class::Ldap,
            "escape the value with escape_filter_chars",
            hits,
        );
    }
}
