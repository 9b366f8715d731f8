use rampart_code::ir::{ExprKind, stmt_exprs, walk_expr, walk_stmts};
use rampart_code::taint::FnId;
use rampart_core::{Concern, Layer, Severity, refs};

use super::django_settings;
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Django's CSRF protection turned off: a settings module whose `MIDDLEWARE` leaves out
    /// `django.middleware.csrf.CsrfViewMiddleware`, and views marked `@csrf_exempt` that change
    /// state (they read `request.POST`, `request.body` or `request.FILES`, test the method
    /// against `POST`, `PUT`, `PATCH` or `DELETE`, or are limited to such methods with
    /// `require_POST` or `require_http_methods`). An exempt view that only reads is not
    /// reported.
    ///
    /// ## Why it matters
    /// Without the token check, any page the victim visits can post a form to the view, and
    /// the request carries the victim's session: a password changed, money sent, an admin
    /// created, all by the victim's browser.
    ///
    /// ## Example
    /// ```python
    /// @csrf_exempt
    /// def transfer(request):
    ///     Account.objects.move(request.POST["to"], request.POST["amount"])
    /// ```
    /// Use instead: keep the protection and send the token with the form (`{% csrf_token %}`)
    /// or the `X-CSRFToken` header.
    pub struct DjangoCsrfDisabled {
        code: "A114",
        name: "django-csrf-disabled",
        title: "Django CSRF protection turned off",
        severity: Severity::High,
        layer: Layer::Code,
        concern: Concern::Web,
        references: refs![
            Cwe: ["CWE-352"],
            Owasp: ["A01:2021"],
        ],
        equivalents: &["codeql:py/csrf-protection-disabled"],
    }
}

const CSRF_MIDDLEWARE: &str = "django.middleware.csrf.CsrfViewMiddleware";
const STATE_CHANGING: [&str; 4] = ["POST", "PUT", "PATCH", "DELETE"];

impl Check<Code> for DjangoCsrfDisabled {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        if let Some(settings) = django_settings(target) {
            for (name, value) in settings {
                let ExprKind::Container(_, entries) = &value.kind else {
                    continue;
                };
                let listed: Vec<&str> = entries.iter().filter_map(|e| e.as_str()).collect();
                if name == "MIDDLEWARE" && !listed.contains(&CSRF_MIDDLEWARE) {
                    hits.push(Hit::in_code(
                        target,
                        0,
                        value.span,
                        format!(
                            "`MIDDLEWARE` leaves out `{CSRF_MIDDLEWARE}`: no view checks CSRF \
                             tokens; add it back"
                        ),
                    ));
                }
            }
        }
        for (index, function) in target.module.functions.iter().enumerate() {
            let id = FnId {
                module: target.index,
                function: index as u32,
            };
            let decorators: Vec<_> = target.analysis.decorators_of(id).collect();
            let exempt = decorators
                .iter()
                .any(|d| &*d.path == "django.views.decorators.csrf.csrf_exempt");
            if !exempt {
                continue;
            }
            let limited_to_writes = decorators.iter().any(|d| {
                &*d.path == "django.views.decorators.http.require_POST"
                    || (&*d.path == "django.views.decorators.http.require_http_methods"
                        && d.call
                            .and_then(|span| target.analysis.call_at(target.index, span))
                            .and_then(|call| call.positional(0))
                            .is_some_and(|methods| {
                                methods.texts.iter().any(|m| STATE_CHANGING.contains(&&**m))
                            }))
            });
            if limited_to_writes || changes_state(&function.body) {
                hits.push(Hit::in_code(
                    target,
                    index,
                    function.span,
                    format!(
                        "`{}` changes state and is marked `@csrf_exempt`: any site can make the \
                         victim's browser call it; remove the exemption and send the token",
                        function.qualname
                    ),
                ));
            }
        }
    }
}

/// Whether a view reads what a write sends or tests for a writing method.
fn changes_state(body: &[rampart_code::ir::Stmt]) -> bool {
    let mut found = false;
    walk_stmts(body, &mut |stmt| {
        for expr in stmt_exprs(stmt) {
            walk_expr(expr, &mut |e| match &e.kind {
                ExprKind::Attribute(_, name)
                    if matches!(name.as_str(), "POST" | "body" | "FILES") =>
                {
                    found = true;
                }
                _ if e
                    .as_str()
                    .is_some_and(|text| STATE_CHANGING.contains(&text)) =>
                {
                    found = true
                }
                _ => {}
            });
        }
    });
    found
}
