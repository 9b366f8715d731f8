use rampart_code::models::Class;
use rampart_core::{Concern, Layer, Severity, refs};

use super::report_flows;
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Request data that reaches an HTML response without being escaped: the string a Flask
    /// view returns (sent as `text/html`), `make_response`, `Response`, Django's
    /// `HttpResponse`, Starlette's and FastAPI's `HTMLResponse`, templates built from it
    /// (`render_template_string`, `jinja2.Template`), and markup marked safe (`Markup`,
    /// `mark_safe`). Escaping (`html.escape`, `markupsafe.escape`, `bleach.clean`), templates
    /// rendered from files (autoescaped), and JSON responses (`jsonify`, a returned dict) are
    /// safe. Escaping for HTML does not make a value safe elsewhere: the other rules still
    /// follow it into a URL or a shell.
    ///
    /// ## Why it matters
    /// Reflected cross-site scripting: a link with `<script>` in its query runs the
    /// attacker's script in the victim's session on the site, reading its cookies and pages
    /// and acting as the victim.
    ///
    /// ## Example
    /// ```python
    /// @app.route("/hello")
    /// def hello():
    ///     return "<p>Hello " + request.args["name"] + "</p>"
    /// ```
    /// Use instead: a template, or escape the value.
    /// ```python
    ///     return "<p>Hello " + html.escape(request.args["name"]) + "</p>"
    /// ```
    pub struct CrossSiteScripting {
        code: "A102",
        name: "cross-site-scripting",
        title: "Untrusted data in an HTML response",
        severity: Severity::High,
        layer: Layer::Code,
        concern: Concern::Injection,
        references: refs![
            Cwe: ["CWE-79"],
            Owasp: ["A03:2021"],
        ],
        equivalents: &["codeql:py/reflective-xss"],
    }
}

impl Check<Code> for CrossSiteScripting {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        report_flows(
            target,
            Class::Xss,
            "escape it (html.escape) or render it through an autoescaping template",
            hits,
        );
    }
}
