use rampart_code::ir::{ExprKind, Stmt, walk_expr, walk_stmts};
use rampart_core::{Concern, Layer, Severity, refs};

use super::names_a_secret;
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Values of the `random` module (`random.random`, `randint`, `randrange`, `choice`,
    /// `choices`, `sample`, `getrandbits`, `uniform`) that become a secret: assigned to a
    /// name that says so (`token`, `secret`, `password`, `otp`, `nonce`, `salt`, `key`,
    /// `session`, `csrf`, `pin`), or returned by a function whose name says so
    /// (`generate_token`). `random` used for anything else (shuffling, sampling, jitter) is not
    /// reported.
    ///
    /// ## Why it matters
    /// `random` is a Mersenne Twister: 624 outputs give its state, and from there every
    /// token it made before and will make. Password-reset tokens and session ids from it can
    /// be predicted.
    ///
    /// ## Example
    /// ```python
    /// reset_token = "".join(random.choice(ALPHABET) for _ in range(32))
    /// ```
    /// Use instead: the `secrets` module.
    /// ```python
    /// reset_token = secrets.token_urlsafe(32)
    /// ```
    pub struct PredictableRandom {
        code: "A122",
        name: "predictable-random-secret",
        title: "Secret made with a predictable random generator",
        severity: Severity::High,
        layer: Layer::Code,
        concern: Concern::Crypto,
        references: refs![
            Cwe: ["CWE-330", "CWE-338"],
            Owasp: ["A02:2021"],
        ],
        equivalents: &[],
    }
}

const GENERATORS: [&str; 8] = [
    "random.random",
    "random.randint",
    "random.randrange",
    "random.choice",
    "random.choices",
    "random.sample",
    "random.getrandbits",
    "random.uniform",
];

impl Check<Code> for PredictableRandom {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        let module = target.module;
        for (index, function) in module.functions.iter().enumerate() {
            let secret_function = index > 0 && names_a_secret(&function.name);
            walk_stmts(&function.body, &mut |stmt| {
                let (secret, value) = match stmt {
                    Stmt::Assign { targets, value, .. } => {
                        let named = targets.iter().find_map(|target| match &target.kind {
                            ExprKind::Name(name) if names_a_secret(name) => Some(name.clone()),
                            ExprKind::Attribute(_, name) if names_a_secret(name) => {
                                Some(name.clone())
                            }
                            _ => None,
                        });
                        (named, value)
                    }
                    Stmt::Return(Some(value), _) if secret_function => {
                        (Some(format!("the result of `{}`", function.name)), value)
                    }
                    _ => return,
                };
                let Some(secret) = secret else { return };
                let mut generator = None;
                walk_expr(value, &mut |expr| {
                    if generator.is_none()
                        && let ExprKind::Call(..) = expr.kind
                        && let Some(call) = target.analysis.call_at(target.index, expr.span)
                        && GENERATORS.contains(&&*call.path)
                    {
                        generator = Some((call.path.clone(), expr.span));
                    }
                });
                if let Some((path, span)) = generator {
                    let secret = if secret.starts_with("the result") {
                        secret
                    } else {
                        format!("`{secret}`")
                    };
                    hits.push(Hit::in_code(
                        target,
                        index,
                        span,
                        format!(
                            "{secret} is made with `{path}`, which can be predicted from its \
                             earlier outputs; use the secrets module"
                        ),
                    ));
                }
            });
        }
    }
}
