use rampart_code::models::matches;
use rampart_code::taint::FnId;
use rampart_core::{Concern, Layer, Severity, refs};

use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Flask routes that accept `POST`, `PUT`, `PATCH` or `DELETE` (`methods=[...]` of
    /// `route`, or `app.post` and the like, on an application or a blueprint) in a project
    /// that sets up no CSRF protection: neither Flask-WTF's `CSRFProtect` (or its `init_app`)
    /// nor Flask-SeaSurf anywhere in its modules. A view that validates a Flask-WTF form
    /// (`form.validate_on_submit()`, which checks the form's token) is not reported.
    ///
    /// ## Why it matters
    /// Flask checks no token by itself. Any page the victim visits can post to such a route,
    /// and the browser sends the session cookie with it: the request acts as the victim.
    ///
    /// ## Example
    /// ```python
    /// app = Flask(__name__)
    ///
    /// @app.route("/email", methods=["POST"])
    /// def change_email():
    ///     current_user.email = request.form["email"]
    /// ```
    /// Use instead: protect every form and AJAX call.
    /// ```python
    /// app = Flask(__name__)
    /// CSRFProtect(app)
    /// ```
    pub struct FlaskCsrfMissing {
        code: "A115",
        name: "flask-csrf-missing",
        title: "Flask route that changes state without CSRF protection",
        severity: Severity::High,
        layer: Layer::Code,
        concern: Concern::Web,
        references: refs![
            Cwe: ["CWE-352"],
            Owasp: ["A01:2021"],
        ],
        equivalents: &[],
    }
}

const PROTECTIONS: [&str; 6] = [
    "flask_wtf.csrf.CSRFProtect",
    "flask_wtf.CSRFProtect",
    "flask_wtf.csrf.CSRFProtect().init_app",
    "flask_wtf.CSRFProtect().init_app",
    "flask_seasurf.SeaSurf",
    "flask_seasurf.SeaSurf().init_app",
];
const WRITES: [&str; 4] = ["POST", "PUT", "PATCH", "DELETE"];

impl Check<Code> for FlaskCsrfMissing {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        let protected = target
            .analysis
            .calls
            .iter()
            .any(|call| PROTECTIONS.contains(&&*call.path));
        if protected {
            return;
        }
        for (index, function) in target.module.functions.iter().enumerate() {
            let id = FnId {
                module: target.index,
                function: index as u32,
            };
            let mut methods: Vec<String> = Vec::new();
            for decorator in target.analysis.decorators_of(id) {
                let Some((object, method)) = decorator.path.rsplit_once('.') else {
                    continue;
                };
                if !matches!(object, "flask.Flask()" | "flask.Blueprint()") {
                    continue;
                }
                match method {
                    "route" => {
                        let listed = decorator
                            .call
                            .and_then(|span| target.analysis.call_at(target.index, span))
                            .and_then(|call| call.keyword("methods"));
                        if let Some(listed) = listed {
                            methods.extend(
                                listed
                                    .texts
                                    .iter()
                                    .map(|m| m.to_ascii_uppercase())
                                    .filter(|m| WRITES.contains(&m.as_str())),
                            );
                        }
                    }
                    "post" | "put" | "patch" | "delete" => {
                        methods.push(method.to_ascii_uppercase())
                    }
                    _ => {}
                }
            }
            if methods.is_empty() {
                continue;
            }
            let validates_form = target
                .analysis
                .calls_in(target.index)
                .iter()
                .any(|call| call.function == id && matches("*.validate_on_submit", &call.path));
            if validates_form {
                continue;
            }
            hits.push(Hit::in_code(
                target,
                index,
                function.span,
                format!(
                    "`{}` accepts {} and the application has no CSRF protection: any site can \
                     make the victim's browser send it; add CSRFProtect(app) (Flask-WTF)",
                    function.qualname,
                    methods.join(", ")
                ),
            ));
        }
    }
}
