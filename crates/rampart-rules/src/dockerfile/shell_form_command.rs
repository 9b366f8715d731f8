use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::{CommandForm, Keyword};

use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// The `ENTRYPOINT` and `CMD` that start the container (the last of each in the final
    /// stage) when written in shell form (`CMD node server.js`) rather than JSON form
    /// (`CMD ["node", "server.js"]`). A `CMD` in shell form is not reported when an
    /// `ENTRYPOINT` in JSON form receives it as arguments, nor a shell form that starts with
    /// `exec`, which replaces the shell with the program.
    ///
    /// ## Why it matters
    /// Shell form runs `/bin/sh -c "<command>"`: the shell is PID 1 and does not forward
    /// SIGTERM to the program. On `docker stop` or a pod deletion the service never hears it
    /// should stop, is killed after the grace period without closing connections or flushing
    /// data, and signal-based reloads do nothing. An `ENTRYPOINT` in shell form also ignores
    /// every `CMD` and `docker run` argument.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD node server.js
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// CMD ["node", "server.js"]
    /// ```
    pub struct ShellFormCommand {
        code: "D130",
        name: "shell-form-command",
        title: "ENTRYPOINT or CMD in shell form",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Cwe: ["CWE-404"],
        ],
        equivalents: &["hadolint:DL3025"],
    }
}

impl Check<Dockerfiles> for ShellFormCommand {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        let dockerfile = target.dockerfile;
        let Some(last) = dockerfile.final_stage() else {
            return;
        };
        let effective = |keyword: Keyword| {
            dockerfile.lineage(last).find_map(|stage| {
                stage
                    .instructions
                    .iter()
                    .rev()
                    .find(|i| i.keyword == keyword)
            })
        };
        let entrypoint = effective(Keyword::Entrypoint);
        let exec_entrypoint =
            entrypoint.is_some_and(|e| matches!(e.command, Some(CommandForm::Exec(_))));
        for instruction in [entrypoint, effective(Keyword::Cmd)].into_iter().flatten() {
            let Some(CommandForm::Shell(text)) = &instruction.command else {
                continue;
            };
            let is_cmd = instruction.keyword == Keyword::Cmd;
            if (is_cmd && exec_entrypoint) || text.starts_with("exec ") {
                continue;
            }
            let words: Vec<String> = text.split_whitespace().map(|w| format!("{w:?}")).collect();
            hits.push(Hit::at_instruction(
                instruction,
                format!(
                    "`{0} {text}` runs under `/bin/sh -c`, which does not pass SIGTERM on, so \
                     the service is killed instead of stopped; write `{0} [{1}]`",
                    instruction.keyword.as_str(),
                    words.join(", ")
                ),
            ));
        }
    }
}
