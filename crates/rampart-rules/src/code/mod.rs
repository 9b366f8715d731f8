//! Rules on application code (the `A` family): untrusted data reaching a sink, found by the
//! taint analysis of `rampart-code`, and settings and calls that weaken a web application.

mod code_injection;
mod command_injection;
mod cookie_without_httponly;
mod cookie_without_samesite;
mod cookie_without_secure;
mod debug_mode;
mod django_csrf_disabled;
mod flask_csrf_missing;
mod insecure_deserialization;
mod ldap_injection;
mod nosql_injection;
mod open_redirect;
mod path_traversal;
mod predictable_random;
mod server_side_request_forgery;
mod session_trust_boundary;
mod sql_injection;
mod weak_cipher;
mod weak_password_hash;
mod xml_external_entities;
mod xpath_injection;
mod xss;

pub use code_injection::CodeInjection;
pub use command_injection::CommandInjection;
pub use cookie_without_httponly::CookieWithoutHttpOnly;
pub use cookie_without_samesite::CookieWithoutSameSite;
pub use cookie_without_secure::CookieWithoutSecure;
pub use debug_mode::DebugMode;
pub use django_csrf_disabled::DjangoCsrfDisabled;
pub use flask_csrf_missing::FlaskCsrfMissing;
pub use insecure_deserialization::InsecureDeserialization;
pub use ldap_injection::LdapInjection;
pub use nosql_injection::NosqlInjection;
pub use open_redirect::OpenRedirect;
pub use path_traversal::PathTraversal;
pub use predictable_random::PredictableRandom;
pub use server_side_request_forgery::ServerSideRequestForgery;
pub use session_trust_boundary::SessionTrustBoundary;
pub use sql_injection::SqlInjection;
pub use weak_cipher::WeakCipher;
pub use weak_password_hash::WeakPasswordHash;
pub use xml_external_entities::XmlExternalEntities;
pub use xpath_injection::XpathInjection;
pub use xss::CrossSiteScripting;

use rampart_code::models::{Class, Origin};

use crate::{CodeTarget, Hit};

/// Reports each flow of `class` found in the target's functions, with `advice`.
pub(crate) fn report_flows(
    target: &CodeTarget<'_>,
    class: Class,
    advice: &str,
    hits: &mut Vec<Hit>,
) {
    for flow in target.flows.iter().filter(|flow| flow.class == class) {
        let origin = match flow.source.origin {
            Origin::Request => "request data",
            Origin::Environment => "process input",
            Origin::External => "data from a socket",
        };
        let entered = flow.steps.first().map_or("", |step| step.text.as_str());
        let message = format!(
            "{origin} ({}) from `{entered}` reaches {} at `{}`; {advice}",
            flow.source.library,
            class.describe(),
            flow.sink
        );
        hits.push(Hit::on_flow(target, flow, message));
    }
}

use rampart_code::ir::{Const, Expr, ExprKind, Stmt};
use rampart_code::models::matches;
use rampart_code::taint::CallSite;

/// The calls made in the target's module of something matching one of `patterns` (see
/// [`matches`]).
pub(crate) fn calls_matching<'t>(
    target: &'t CodeTarget<'_>,
    patterns: &'t [&'t str],
) -> impl Iterator<Item = &'t CallSite> + 't {
    let module = target.index;
    target
        .analysis
        .calls_in(module)
        .iter()
        .filter(|call| patterns.iter().any(|pattern| matches(pattern, &call.path)))
}

/// A hit on a call of the target's module.
pub(crate) fn hit_on_call(target: &CodeTarget<'_>, call: &CallSite, message: String) -> Hit {
    Hit::in_code(target, call.function.function as usize, call.span, message)
}

/// The top-level `NAME = value` settings of a Django settings module (one that sets
/// `INSTALLED_APPS`, `MIDDLEWARE` or `ROOT_URLCONF`); `None` for other modules.
pub(crate) fn django_settings<'m>(target: &CodeTarget<'m>) -> Option<Vec<(&'m str, &'m Expr)>> {
    let mut settings = Vec::new();
    for stmt in &target.module.functions[0].body {
        if let Stmt::Assign { targets, value, .. } = stmt {
            for assigned in targets {
                if let ExprKind::Name(name) = &assigned.kind {
                    settings.push((name.as_str(), value));
                }
            }
        }
    }
    let is_settings = settings
        .iter()
        .any(|(name, _)| matches!(*name, "INSTALLED_APPS" | "MIDDLEWARE" | "ROOT_URLCONF"));
    is_settings.then_some(settings)
}

/// Whether an argument or setting is a constant that Python reads as true.
pub(crate) fn is_true(constant: Option<&Const>) -> bool {
    match constant {
        Some(Const::Bool(value)) => *value,
        Some(Const::Int(value)) => *value != 0,
        Some(Const::Str(text)) => !text.is_empty(),
        _ => false,
    }
}

/// Whether a name (a variable, a function) says it holds a secret: `reset_token`,
/// `api_key`, `otp`, `generate_password`.
pub(crate) fn names_a_secret(name: &str) -> bool {
    const WORDS: [&str; 13] = [
        "token", "secret", "password", "passwd", "pwd", "otp", "nonce", "salt", "csrf", "key",
        "apikey", "session", "pin",
    ];
    name.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|part| WORDS.contains(&part))
}

/// A cookie attribute the cookie rules check.
pub(crate) struct CookieAttribute {
    /// The keyword of `set_cookie` that sets it (`secure`).
    pub keyword: &'static str,
    /// Whether a value of the keyword leaves the cookie unprotected (`samesite=None`).
    pub unsafe_value: fn(Option<&Const>) -> bool,
    /// Libraries whose `set_cookie` protects the cookie by default (Starlette's `samesite`).
    pub safe_by_default: &'static [&'static str],
    /// Django settings that turn the protection off for its own cookies, and the values that
    /// do.
    pub settings: &'static [&'static str],
    /// What the attribute protects against, for the message.
    pub why: &'static str,
}

/// Reports `set_cookie` calls without the attribute, and Django settings that turn it off.
pub(crate) fn check_cookie(
    target: &CodeTarget<'_>,
    attribute: &CookieAttribute,
    hits: &mut Vec<Hit>,
) {
    for call in calls_matching(target, &["*.set_cookie"]) {
        let unsafe_value = match call.keyword(attribute.keyword) {
            Some(given) => (attribute.unsafe_value)(given.constant.as_ref()),
            None => !attribute
                .safe_by_default
                .iter()
                .any(|library| call.path.starts_with(library)),
        };
        if unsafe_value {
            let name = call
                .argument(0, "key")
                .and_then(|name| name.texts.first().map(|t| format!("`{t}` ")))
                .unwrap_or_default();
            let message = format!(
                "cookie {name}is set without `{}`: {}; pass `{}`",
                attribute.keyword,
                attribute.why,
                match attribute.keyword {
                    "samesite" => "samesite=\"Lax\"",
                    "secure" => "secure=True",
                    _ => "httponly=True",
                }
            );
            hits.push(hit_on_call(target, call, message));
        }
    }
    let Some(settings) = django_settings(target) else {
        return;
    };
    for (name, value) in settings {
        let constant = match &value.kind {
            ExprKind::Const(constant) => Some(constant),
            _ => continue,
        };
        if attribute.settings.contains(&name) && (attribute.unsafe_value)(constant) {
            hits.push(Hit::in_code(
                target,
                0,
                value.span,
                format!("Django settings turn `{name}` off: {}", attribute.why),
            ));
        }
    }
}

/// `False`, `None` or 0: an attribute turned off.
pub(crate) fn is_off(constant: Option<&Const>) -> bool {
    matches!(
        constant,
        Some(Const::Bool(false) | Const::None | Const::Int(0))
    )
}
