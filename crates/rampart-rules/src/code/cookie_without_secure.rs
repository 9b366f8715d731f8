use rampart_core::{Concern, Layer, Severity, refs};

use super::{CookieAttribute, check_cookie, is_off};
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Cookies set without the `Secure` attribute: `set_cookie(...)` (Flask and Werkzeug,
    /// Django, Starlette and FastAPI responses) without `secure=True`, and Django settings that
    /// turn it off for the session or CSRF cookie (`SESSION_COOKIE_SECURE = False`,
    /// `CSRF_COOKIE_SECURE = False`).
    ///
    /// ## Why it matters
    /// Without `Secure` the browser also sends the cookie over plain HTTP: anyone on the
    /// network path (public Wi-Fi, a proxy) reads the session and takes it over.
    ///
    /// ## Example
    /// ```python
    /// response.set_cookie("session_id", sid, httponly=True)
    /// ```
    /// Use instead:
    /// ```python
    /// response.set_cookie("session_id", sid, secure=True, httponly=True, samesite="Lax")
    /// ```
    pub struct CookieWithoutSecure {
        code: "A117",
        name: "cookie-without-secure",
        title: "Cookie without the Secure attribute",
        severity: Severity::Medium,
        layer: Layer::Code,
        concern: Concern::Web,
        references: refs![
            Cwe: ["CWE-614"],
            Owasp: ["A05:2021"],
        ],
        equivalents: &["codeql:py/insecure-cookie"],
    }
}

impl Check<Code> for CookieWithoutSecure {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        let attribute = CookieAttribute {
            keyword: "secure",
            unsafe_value: is_off,
            safe_by_default: &[],
            settings: &["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"],
            why: "the browser also sends it over plain HTTP, where it can be read",
        };
        check_cookie(target, &attribute, hits);
    }
}
