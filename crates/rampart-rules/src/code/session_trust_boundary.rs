use rampart_code::models::Class;
use rampart_core::{Concern, Layer, Severity, refs};

use super::report_flows;
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Request data written into the server-side session (`flask.session[...]`,
    /// `request.session[...]` in Django and Starlette) as it came.
    ///
    /// ## Why it matters
    /// Code reads the session as trusted: data the client chose, stored there, later passes
    /// checks that assume the server wrote it (a role, a user id, a price).
    ///
    /// ## Example
    /// ```python
    /// session["role"] = request.form["role"]
    /// ```
    /// Use instead: store what the server decided, after validating the input.
    /// ```python
    /// if request.form["role"] in ALLOWED_ROLES:
    ///     session["role"] = request.form["role"]
    /// ```
    pub struct SessionTrustBoundary {
        code: "A113",
        name: "session-trust-boundary",
        title: "Untrusted data stored in the session",
        severity: Severity::Low,
        layer: Layer::Code,
        concern: Concern::Web,
        references: refs![
            Cwe: ["CWE-501"],
            Owasp: ["A04:2021"],
        ],
        equivalents: &["codeql:py/trust-boundary-violation"],
    }
}

impl Check<Code> for SessionTrustBoundary {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        report_flows(
            target,
            Class::TrustBoundary,
            "validate the value before storing it in the session",
            hits,
        );
    }
}
