use rampart_code::models::Class;
use rampart_core::{Concern, Layer, Severity, refs};

use super::report_flows;
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Request data that reaches the target of a redirect: `flask.redirect`, Django's
    /// `redirect` and `HttpResponseRedirect`, Starlette's and FastAPI's `RedirectResponse`,
    /// aiohttp's `HTTPFound`. A target that starts with a constant path on the site
    /// (`"/profile/" + name`) or a fixed host, or that Django's
    /// `url_has_allowed_host_and_scheme` accepted, is safe.
    ///
    /// ## Why it matters
    /// A link on the trusted site that sends the victim to the attacker's: the classic
    /// phishing step (`https://shop.example/login?next=https://shop-example.evil/`), and a way
    /// to leak OAuth codes and tokens to another host.
    ///
    /// ## Example
    /// ```python
    /// return redirect(request.args["next"])
    /// ```
    /// Use instead: accept only targets on this site.
    /// ```python
    /// target = request.args.get("next", "/")
    /// if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
    ///     target = "/"
    /// return redirect(target)
    /// ```
    pub struct OpenRedirect {
        code: "A107",
        name: "open-redirect",
        title: "Untrusted data chooses where a redirect goes",
        severity: Severity::Medium,
        layer: Layer::Code,
        concern: Concern::Injection,
        references: refs![
            Cwe: ["CWE-601"],
            Owasp: ["A01:2021"],
        ],
        equivalents: &["codeql:py/url-redirection"],
    }
}

impl Check<Code> for OpenRedirect {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        report_flows(
            target,
            Class::Redirect,
            "redirect only to paths of this site or to hosts on an allow-list",
            hits,
        );
    }
}
