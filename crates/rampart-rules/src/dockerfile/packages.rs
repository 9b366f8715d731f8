//! Package manager commands as the managers read their command lines: the subcommand, the
//! options (and which of them take a value), and the packages named.

use rampart_source::shell::SimpleCommand;
use rampart_source::{Instruction, Keyword, Stage};

use super::common::shown;
use crate::Hit;

/// The package managers Dockerfile rules know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Manager {
    /// `apt-get` and `apt` (Debian, Ubuntu).
    Apt,
    /// `apk` (Alpine).
    Apk,
    /// `pip`, `pip3`, `python -m pip`.
    Pip,
    Npm,
    Gem,
    /// `yum`, `dnf`, `microdnf` (RHEL, Fedora, Amazon Linux).
    Yum,
}

/// One run of a package manager.
#[derive(Debug, Clone)]
pub(super) struct Invocation<'c> {
    pub manager: Manager,
    /// The program as named (`apt-get`, `pip3`, `dnf`).
    pub program: &'c str,
    /// `install`, `add`, `update`... (empty when there is none).
    pub subcommand: &'c str,
    /// Every option, as written (`-y`, `--no-cache`, `--index-url=...`).
    pub options: Vec<&'c str>,
    /// The operands after the subcommand: packages for an install.
    pub operands: Vec<&'c str>,
}

impl Manager {
    fn of(program: &str) -> Option<Manager> {
        let manager = match program {
            "apt-get" | "apt" => Manager::Apt,
            "apk" => Manager::Apk,
            "npm" => Manager::Npm,
            "gem" => Manager::Gem,
            "yum" | "dnf" | "microdnf" => Manager::Yum,
            _ if is_pip(program) => Manager::Pip,
            _ => return None,
        };
        Some(manager)
    }

    /// Options that take the next word as their value.
    fn options_with_value(self) -> &'static [&'static str] {
        match self {
            Manager::Apt => &[
                "-o",
                "-c",
                "-t",
                "--option",
                "--config-file",
                "--target-release",
                "--default-release",
            ],
            Manager::Apk => &[
                "-X",
                "--repository",
                "-t",
                "--virtual",
                "-p",
                "--root",
                "--arch",
                "--cache-dir",
                "--keys-dir",
                "--repositories-file",
            ],
            Manager::Pip => &[
                "-r",
                "--requirement",
                "-c",
                "--constraint",
                "-e",
                "--editable",
                "-i",
                "--index-url",
                "--extra-index-url",
                "-f",
                "--find-links",
                "-t",
                "--target",
                "--prefix",
                "--root",
                "--trusted-host",
                "--platform",
                "--python-version",
                "--implementation",
                "--abi",
                "--no-binary",
                "--only-binary",
                "--src",
                "--cache-dir",
                "--progress-bar",
                "--upgrade-strategy",
                "--log",
                "--proxy",
                "--timeout",
                "--retries",
                "--cert",
                "--client-cert",
                "-C",
                "--config-settings",
            ],
            Manager::Npm => &[
                "--registry",
                "--prefix",
                "--cache",
                "--omit",
                "--include",
                "--tag",
                "-w",
                "--workspace",
            ],
            Manager::Gem => &[
                "-v",
                "--version",
                "-i",
                "--install-dir",
                "-n",
                "--bindir",
                "-s",
                "--source",
                "--platform",
            ],
            Manager::Yum => &[
                "-c",
                "--config",
                "--installroot",
                "--releasever",
                "--setopt",
                "--enablerepo",
                "--disablerepo",
                "-x",
                "--exclude",
                "--repo",
                "--repoid",
            ],
        }
    }
}

/// `pip`, `pip3`, `pip3.12`.
fn is_pip(program: &str) -> bool {
    program
        .strip_prefix("pip")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `python`, `python3`, `python3.12`.
fn is_python(program: &str) -> bool {
    program
        .strip_prefix("python")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The package manager run by `command`, if it is one.
pub(super) fn invocation(command: &SimpleCommand) -> Option<Invocation<'_>> {
    let (program, mut args) = command.program()?;
    let manager = match Manager::of(program) {
        Some(manager) => manager,
        // `python -m pip install ...`
        None if is_python(program) => {
            let at = args.iter().position(|a| a == "-m")?;
            if args.get(at + 1).map(String::as_str) != Some("pip") {
                return None;
            }
            args = &args[at + 2..];
            Manager::Pip
        }
        None => return None,
    };
    let with_value = manager.options_with_value();
    let mut options = Vec::new();
    let mut operands = Vec::new();
    let mut subcommand = "";
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg.starts_with('-') && arg.len() > 1 {
            options.push(arg.as_str());
            if with_value.contains(&arg.as_str()) {
                iter.next();
            }
        } else if subcommand.is_empty() {
            subcommand = arg;
        } else {
            operands.push(arg.as_str());
        }
    }
    Some(Invocation {
        manager,
        program,
        subcommand,
        options,
        operands,
    })
}

impl Invocation<'_> {
    /// Whether this installs packages (`apt-get install`, `apk add`, `pip install`, `npm
    /// install`, `gem install`, `yum install`).
    pub fn installs(&self) -> bool {
        match self.manager {
            Manager::Apt | Manager::Pip | Manager::Gem | Manager::Yum => {
                self.subcommand == "install"
            }
            Manager::Apk => self.subcommand == "add",
            Manager::Npm => matches!(self.subcommand, "install" | "i" | "add"),
        }
    }

    /// Whether an option is given (any spelling; see `has_option`).
    pub fn has(&self, short: Option<char>, long: &[&str]) -> bool {
        let options: Vec<String> = self.options.iter().map(|o| (*o).to_owned()).collect();
        super::common::has_option(&options, short, long)
    }
}

/// Each `RUN` of the stages with the package manager commands it runs.
pub(super) fn runs_with_invocations<'d>(
    stages: impl IntoIterator<Item = &'d Stage>,
) -> Vec<(&'d Instruction, Vec<Invocation<'d>>)> {
    stages
        .into_iter()
        .flat_map(|stage| &stage.instructions)
        .filter(|i| i.keyword == Keyword::Run)
        .filter_map(|run| {
            let script = run.script.as_ref()?;
            let invocations: Vec<_> = script.commands().filter_map(invocation).collect();
            (!invocations.is_empty()).then_some((run, invocations))
        })
        .collect()
}

/// Whether a `RUN` removes `folder` (or something inside it) with `rm`.
pub(super) fn removes(run: &Instruction, folder: &str) -> bool {
    run.script.iter().flat_map(|s| s.commands()).any(|command| {
        command.program().is_some_and(|(program, args)| {
            program == "rm"
                && args
                    .iter()
                    .any(|arg| arg.trim_end_matches(['*', '/']).starts_with(folder))
        })
    })
}

/// Reports installs by `manager`, in every stage, that name packages without a version:
/// what the unpinned-package rules share. `pinned` decides for one package operand; `how`
/// shows the pinned form in the message.
pub(super) fn report_unpinned(
    stages: &[Stage],
    manager: Manager,
    pinned: impl Fn(&Invocation<'_>, &str) -> bool,
    how: &str,
    hits: &mut Vec<Hit>,
) {
    for (run, invocations) in runs_with_invocations(stages) {
        for found in invocations
            .iter()
            .filter(|i| i.manager == manager && i.installs())
        {
            let loose: Vec<String> = found
                .operands
                .iter()
                .filter(|package| !pinned(found, package))
                .map(|package| format!("`{package}`"))
                .collect();
            if loose.is_empty() {
                continue;
            }
            let command = run
                .script
                .iter()
                .flat_map(|s| s.commands())
                .find(|c| invocation(c).is_some_and(|i| i.operands == found.operands))
                .map(shown)
                .unwrap_or_default();
            hits.push(Hit::at_instruction(
                run,
                format!(
                    "`{command}` installs {} without a version, so every build may get \
                     another one; pin versions ({how})",
                    loose.join(", ")
                ),
            ));
        }
    }
}

/// A local file or URL rather than a package name: pinned by what it points at.
pub(super) fn is_path_or_url(operand: &str) -> bool {
    operand.starts_with(['.', '/', '~', '$']) || operand.contains("://")
}

#[cfg(test)]
mod tests {
    use rampart_source::shell::Script;

    use super::*;

    fn parsed(text: &str) -> (Manager, String, Vec<String>, Vec<String>) {
        let script = Script::parse(text);
        let command = script.commands().next().unwrap();
        let found = invocation(command).unwrap();
        (
            found.manager,
            found.subcommand.to_owned(),
            found.options.iter().map(|s| (*s).to_owned()).collect(),
            found.operands.iter().map(|s| (*s).to_owned()).collect(),
        )
    }

    #[test]
    fn subcommands_options_and_packages() {
        let (manager, sub, options, operands) =
            parsed("apt-get -o Dpkg::Options::=--force-confold install -y curl=8.5.0-2 git");
        assert_eq!(manager, Manager::Apt);
        assert_eq!(sub, "install");
        assert_eq!(options, ["-o", "-y"]);
        assert_eq!(operands, ["curl=8.5.0-2", "git"]);
        let (manager, sub, _, operands) =
            parsed("python3 -m pip install --no-cache-dir -r requirements.txt flask==3.0.0");
        assert_eq!((manager, sub.as_str()), (Manager::Pip, "install"));
        assert_eq!(operands, ["flask==3.0.0"]);
        let (manager, _, _, operands) = parsed("apk add --virtual .build gcc musl-dev");
        assert_eq!(manager, Manager::Apk);
        assert_eq!(operands, ["gcc", "musl-dev"]);
        assert!(invocation(Script::parse("make install").commands().next().unwrap()).is_none());
    }
}
