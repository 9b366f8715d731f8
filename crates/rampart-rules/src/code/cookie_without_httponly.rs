use rampart_core::{Concern, Layer, Severity, refs};

use super::{CookieAttribute, check_cookie, is_off};
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Cookies set without the `HttpOnly` attribute: `set_cookie(...)` (Flask and Werkzeug,
    /// Django, Starlette and FastAPI responses) without `httponly=True`, and Django settings
    /// that turn it off for the session cookie (`SESSION_COOKIE_HTTPONLY = False`).
    ///
    /// ## Why it matters
    /// Scripts on the page can read a cookie without `HttpOnly`: one cross-site scripting flaw
    /// then sends the session to the attacker.
    ///
    /// ## Example
    /// ```python
    /// response.set_cookie("session_id", sid, secure=True)
    /// ```
    /// Use instead:
    /// ```python
    /// response.set_cookie("session_id", sid, secure=True, httponly=True, samesite="Lax")
    /// ```
    pub struct CookieWithoutHttpOnly {
        code: "A118",
        name: "cookie-without-httponly",
        title: "Cookie without the HttpOnly attribute",
        severity: Severity::Medium,
        layer: Layer::Code,
        concern: Concern::Web,
        references: refs![
            Cwe: ["CWE-1004"],
            Owasp: ["A05:2021"],
        ],
        equivalents: &["codeql:py/client-exposed-cookie"],
    }
}

impl Check<Code> for CookieWithoutHttpOnly {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        let attribute = CookieAttribute {
            keyword: "httponly",
            unsafe_value: is_off,
            safe_by_default: &[],
            settings: &["SESSION_COOKIE_HTTPONLY"],
            why: "scripts on the page can read it, and a cross-site scripting flaw sends it away",
        };
        check_cookie(target, &attribute, hits);
    }
}
