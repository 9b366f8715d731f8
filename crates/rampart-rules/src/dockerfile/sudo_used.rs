use rampart_core::{Concern, Layer, Severity, refs};

use super::common::{all_run_commands, shown};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `RUN` commands, in every stage, that call `sudo` (also inside `sh -c` scripts and
    /// after `env` or other wrappers).
    ///
    /// ## Why it matters
    /// Build steps already run as the current `USER`; needing `sudo` means the image ships
    /// `sudo` and a sudoers entry that lets its unprivileged user become root again, which
    /// undoes `USER` for anyone who gets code execution in the container. `sudo` also behaves
    /// unpredictably without a TTY and with its own environment handling. Switch `USER` around
    /// the steps that need root instead.
    ///
    /// ## Example
    /// ```dockerfile
    /// USER app
    /// RUN sudo apt-get install -y curl
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// USER root
    /// RUN apt-get install -y --no-install-recommends curl
    /// USER app
    /// ```
    pub struct SudoUsed {
        code: "D111",
        name: "sudo-used",
        title: "RUN uses sudo",
        severity: Severity::Medium,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            CisDocker: ["4.1"],
            Nsa: ["non-root-containers"],
            Mitre: ["T1548.003"],
            Cwe: ["CWE-250"],
        ],
        equivalents: &["hadolint:DL3004", "trivy:DS-0010", "checkov:CKV2_DOCKER_1"],
    }
}

impl Check<Dockerfiles> for SudoUsed {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for (run, command) in all_run_commands(target.dockerfile) {
            if calls_sudo(&command.words) {
                hits.push(Hit::at_instruction(
                    run,
                    format!(
                        "`{}` uses sudo, which lets the image's user become root again; run \
                         the step under `USER root` and switch back",
                        shown(command)
                    ),
                ));
            }
        }
    }
}

/// Whether the command is `sudo`, directly or behind wrappers such as `env A=1` or `nohup`
/// (a package named `sudo` in `apt-get install sudo` is not a call).
fn calls_sudo(words: &[String]) -> bool {
    const WRAPPERS: [&str; 6] = ["env", "nohup", "time", "exec", "command", "nice"];
    for word in words {
        let program = word.rsplit('/').next().unwrap_or(word);
        if program == "sudo" {
            return true;
        }
        let skippable = WRAPPERS.contains(&program) || word.starts_with('-') || word.contains('=');
        if !skippable {
            return false;
        }
    }
    false
}
