use rampart_code::models::Class;
use rampart_core::{Concern, Layer, Severity, refs};

use super::report_flows;
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Request data, process input or socket data that reaches `eval`, `exec`, `compile`,
    /// `__import__` or `importlib.import_module`. `ast.literal_eval` reads literals without
    /// running code and is safe.
    ///
    /// ## Why it matters
    /// Python evaluated from a request runs with the application's rights:
    /// `__import__('os').system('...')` in a parameter is a remote shell.
    ///
    /// ## Example
    /// ```python
    /// expression = request.args["expr"]
    /// result = eval(expression)
    /// ```
    /// Use instead: parse the data; for literals, `ast.literal_eval`.
    /// ```python
    /// result = ast.literal_eval(expression)
    /// ```
    pub struct CodeInjection {
        code: "A104",
        name: "code-injection",
        title: "Untrusted data is evaluated as code",
        severity: Severity::Critical,
        layer: Layer::Code,
        concern: Concern::Injection,
        references: refs![
            Cwe: ["CWE-94"],
            Owasp: ["A03:2021"],
        ],
        equivalents: &["codeql:py/code-injection"],
    }
}

impl Check<Code> for CodeInjection {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        report_flows(
            target,
            Class::Code,
            "parse the data instead of evaluating it (ast.literal_eval for literals)",
            hits,
        );
    }
}
