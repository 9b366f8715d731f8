use rampart_code::ir::{Const, ExprKind};
use rampart_core::{Concern, Layer, Severity, refs};

use super::{calls_matching, django_settings, hit_on_call, is_true};
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// A Flask application run with the debugger on (`app.run(debug=True)`), and a Django
    /// settings module (one that sets `INSTALLED_APPS`, `MIDDLEWARE` or `ROOT_URLCONF`) with
    /// `DEBUG = True`.
    ///
    /// ## Why it matters
    /// Werkzeug's debugger runs Python typed into the error page: anyone who reaches it runs
    /// code on the server. Django's debug pages show settings, SQL queries and stack frames
    /// with their variables to whoever causes an error.
    ///
    /// ## Example
    /// ```python
    /// app.run(host="0.0.0.0", debug=True)
    /// ```
    /// Use instead: debug from the environment of a developer's machine only.
    /// ```python
    /// app.run(host="0.0.0.0", debug=os.environ.get("FLASK_DEBUG") == "1")
    /// ```
    pub struct DebugMode {
        code: "A119",
        name: "debug-mode",
        title: "Debug mode on",
        severity: Severity::High,
        layer: Layer::Code,
        concern: Concern::Web,
        references: refs![
            Cwe: ["CWE-489"],
            Owasp: ["A05:2021"],
        ],
        equivalents: &["bandit:B201", "ruff:S201", "codeql:py/flask-debug"],
    }
}

impl Check<Code> for DebugMode {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        for call in calls_matching(target, &["flask.Flask().run"]) {
            if call
                .keyword("debug")
                .is_some_and(|debug| is_true(debug.constant.as_ref()))
            {
                let message = "the Flask application runs with `debug=True`: its debugger runs \
                               code typed into an error page; turn it off outside development";
                hits.push(hit_on_call(target, call, message.to_owned()));
            }
        }
        let Some(settings) = django_settings(target) else {
            return;
        };
        for (name, value) in settings {
            if name == "DEBUG" && matches!(value.kind, ExprKind::Const(Const::Bool(true))) {
                hits.push(Hit::in_code(
                    target,
                    0,
                    value.span,
                    "Django settings set `DEBUG = True`: error pages show settings, queries and \
                     variables; read it from the environment and keep it off in production",
                ));
            }
        }
    }
}
