use rampart_core::{Concern, Layer, Severity, refs};

use super::common::{all_run_commands, shown};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `chmod` in `RUN` commands, in every stage, that makes files writable by everyone:
    /// an octal mode whose last digit has the write bit (`777`, `0666`, `-R 777`) or a
    /// symbolic mode that adds or sets write for others or all (`o+w`, `a+rwx`, `a=rwx`,
    /// `ugo+w`). Modes with the sticky bit (`1777`, `+t`), the usual setting for shared
    /// temporary folders, are not reported.
    ///
    /// ## Why it matters
    /// A world-writable file or folder can be changed by any user in the container: a
    /// compromised unprivileged process rewrites scripts, binaries or configuration that a
    /// more privileged process (an entrypoint running as root, a cron job) executes next.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN chmod -R 777 /app
    /// ```
    /// Use instead: give ownership to the one user that needs to write.
    /// ```dockerfile
    /// RUN chown -R 10001:10001 /app/data && chmod -R 750 /app
    /// ```
    pub struct WorldWritableChmod {
        code: "D125",
        name: "world-writable-chmod",
        title: "chmod makes files writable by everyone",
        severity: Severity::Medium,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Nsa: ["immutable-container-file-systems"],
            Mitre: ["T1222.002"],
            Cwe: ["CWE-732"],
        ],
        equivalents: &[],
    }
}

impl Check<Dockerfiles> for WorldWritableChmod {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for (run, command) in all_run_commands(target.dockerfile) {
            let Some(("chmod", args)) = command.program() else {
                continue;
            };
            let mode = args.iter().find(|a| !a.starts_with('-') || is_symbolic(a));
            if mode.is_some_and(|m| world_writable(m)) {
                hits.push(Hit::at_instruction(
                    run,
                    format!(
                        "`{}` lets every user in the container modify these files; grant \
                         write access to the owning user only",
                        shown(command)
                    ),
                ));
            }
        }
    }
}

/// `-w`, `-rwx`: a symbolic mode that looks like an option.
fn is_symbolic(arg: &str) -> bool {
    arg.len() > 1 && arg[1..].chars().all(|c| "rwxXst".contains(c))
}

/// Whether a chmod mode grants write to others, without the sticky bit.
fn world_writable(mode: &str) -> bool {
    if mode.chars().all(|c| c.is_ascii_digit()) {
        let Ok(value) = u32::from_str_radix(mode, 8) else {
            return false;
        };
        let sticky = value & 0o1000 != 0;
        return value & 0o002 != 0 && !sticky;
    }
    mode.split(',').any(|clause| {
        let at = clause.find(['+', '=']);
        let Some(at) = at else { return false };
        let (who, rest) = clause.split_at(at);
        // An empty `who` (`+w`) is filtered by the umask, which keeps others from writing.
        let others = who.contains('o') || who.contains('a');
        others && rest[1..].contains('w') && !rest.contains('t')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_and_symbolic_modes() {
        assert!(world_writable("777"));
        assert!(world_writable("0666"));
        assert!(world_writable("a+rwx"));
        assert!(world_writable("u+x,o+w"));
        assert!(world_writable("ugo=rwx"));
        assert!(!world_writable("1777"));
        assert!(!world_writable("755"));
        assert!(!world_writable("775"));
        assert!(!world_writable("u+w"));
        assert!(!world_writable("+x"));
        assert!(!world_writable("a+t"));
    }
}
