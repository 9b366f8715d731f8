use rampart_code::ir::Const;
use rampart_core::{Concern, Layer, Severity, refs};

use super::{CookieAttribute, check_cookie};
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Cookies set without a `SameSite` attribute, or with `SameSite=None`: `set_cookie(...)`
    /// of Flask and Werkzeug or Django responses without `samesite` (Starlette and FastAPI set
    /// `Lax` by default), and Django settings `SESSION_COOKIE_SAMESITE` or
    /// `CSRF_COOKIE_SAMESITE` set to `None`.
    ///
    /// ## Why it matters
    /// A cookie the browser sends with requests started by other sites is what cross-site
    /// request forgery rides on: a form on the attacker's page posts to the application, and
    /// the request arrives with the victim's session.
    ///
    /// ## Example
    /// ```python
    /// response.set_cookie("session_id", sid, secure=True, httponly=True)
    /// ```
    /// Use instead:
    /// ```python
    /// response.set_cookie("session_id", sid, secure=True, httponly=True, samesite="Lax")
    /// ```
    pub struct CookieWithoutSameSite {
        code: "A116",
        name: "cookie-without-samesite",
        title: "Cookie without a SameSite attribute",
        severity: Severity::Low,
        layer: Layer::Code,
        concern: Concern::Web,
        references: refs![
            Cwe: ["CWE-1275", "CWE-352"],
            Owasp: ["A01:2021"],
        ],
        equivalents: &[],
    }
}

/// `None`, or the text `"None"`, sends the cookie with every cross-site request.
fn sent_cross_site(value: Option<&Const>) -> bool {
    match value {
        Some(Const::None) => true,
        Some(Const::Str(text)) => text.eq_ignore_ascii_case("none"),
        _ => false,
    }
}

impl Check<Code> for CookieWithoutSameSite {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        let attribute = CookieAttribute {
            keyword: "samesite",
            unsafe_value: sent_cross_site,
            safe_by_default: &["starlette.", "fastapi."],
            settings: &["SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE"],
            why: "the browser sends it with requests other sites start, which cross-site request \
                  forgery uses",
        };
        check_cookie(target, &attribute, hits);
    }
}
