//! What several Dockerfile rules share: which stages end up in the image, the commands of
//! `RUN` instructions, and how to quote an instruction in a message.

use rampart_source::shell::SimpleCommand;
use rampart_source::{Dockerfile, Instruction, Keyword, Stage};

/// The stages whose file system ships in the image: the final stage and the stages it is
/// built `FROM`. Build-only stages (whose output is copied selectively) are not among them.
pub(super) fn shipped_stages(dockerfile: &Dockerfile) -> Vec<&Stage> {
    match dockerfile.final_stage() {
        Some(last) => dockerfile.lineage(last).collect(),
        None => Vec::new(),
    }
}

/// Every `RUN` of the given stages with each command it runs (nested `sh -c` scripts
/// included).
pub(super) fn run_commands<'d>(
    stages: impl IntoIterator<Item = &'d Stage>,
) -> impl Iterator<Item = (&'d Instruction, &'d SimpleCommand)> {
    stages
        .into_iter()
        .flat_map(|stage| &stage.instructions)
        .filter(|i| i.keyword == Keyword::Run)
        .flat_map(|run| {
            run.script
                .iter()
                .flat_map(|s| s.commands())
                .map(move |command| (run, command))
        })
}

/// Every `RUN` of every stage with each command it runs.
pub(super) fn all_run_commands(
    dockerfile: &Dockerfile,
) -> impl Iterator<Item = (&Instruction, &SimpleCommand)> {
    run_commands(&dockerfile.stages)
}

/// The sources of a `COPY` or `ADD`: every word but the destination, without here-document
/// markers.
pub(super) fn copy_sources(instruction: &Instruction) -> impl Iterator<Item = &str> {
    let words = &instruction.words.words;
    let sources = words.len().saturating_sub(1);
    words[..sources]
        .iter()
        .map(String::as_str)
        .filter(|word| !word.starts_with("<<"))
}

/// The command as a reader would type it, shortened for a message: `apt-get install -y curl`.
pub(super) fn shown(command: &SimpleCommand) -> String {
    shorten(&command.words.join(" "))
}

/// The instruction on one line, shortened for a message.
pub(super) fn shown_instruction(instruction: &Instruction) -> String {
    shorten(&instruction.text())
}

/// At most 80 characters, with an ellipsis when cut.
pub(super) fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let cut: String = text.chars().take(MAX - 1).collect();
    format!("{cut}…")
}

/// Whether an option is present, as `-x`, `--long` or `--long=value`, or folded into a group
/// of short options (`-qy` has `-y`).
pub(super) fn has_option(args: &[String], short: Option<char>, long: &[&str]) -> bool {
    args.iter().any(|arg| {
        if let Some(name) = arg.strip_prefix("--") {
            let name = name.split('=').next().unwrap_or(name);
            return long.contains(&name);
        }
        match (short, arg.strip_prefix('-')) {
            (Some(short), Some(group)) => {
                !group.is_empty()
                    && group.chars().all(|c| c.is_ascii_alphanumeric())
                    && group.contains(short)
            }
            _ => false,
        }
    })
}

/// Whether a `RUN` mounts a cache (or tmpfs) over `path` or a folder containing it: files
/// written there do not stay in the layer.
pub(super) fn mounts_cache_over(run: &Instruction, path: &str) -> bool {
    run.flags
        .iter()
        .filter(|f| f.name == "mount")
        .filter_map(|f| f.value.as_deref())
        .any(|mount| {
            let mut kind = "bind";
            let mut target = "";
            for part in mount.split(',') {
                match part.split_once('=') {
                    Some(("type", value)) => kind = value,
                    Some(("target" | "dst" | "destination", value)) => target = value,
                    _ => {}
                }
            }
            let target = target.trim_end_matches('/');
            matches!(kind, "cache" | "tmpfs")
                && !target.is_empty()
                && (path == target
                    || path
                        .strip_prefix(target)
                        .is_some_and(|rest| rest.starts_with('/')))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn options_in_every_spelling() {
        assert!(has_option(&args(&["-qy"]), Some('y'), &["yes"]));
        assert!(has_option(&args(&["--yes"]), Some('y'), &["yes"]));
        assert!(has_option(
            &args(&["--assume-yes=true"]),
            None,
            &["assume-yes"]
        ));
        assert!(!has_option(&args(&["-q", "yes"]), Some('y'), &["yes"]));
        assert!(!has_option(&args(&["--dry-run"]), Some('y'), &["yes"]));
    }

    #[test]
    fn cache_mounts_cover_their_target() {
        let text = "FROM x\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\nRUN --mount=type=bind,target=/var/lib/apt x\n";
        let (dockerfile, _) = rampart_source::parse_dockerfile("Dockerfile", text);
        let dockerfile = dockerfile.unwrap();
        let runs = &dockerfile.stages[0].instructions;
        assert!(mounts_cache_over(&runs[0], "/var/cache/apt/archives"));
        assert!(mounts_cache_over(&runs[0], "/var/cache/apt"));
        assert!(!mounts_cache_over(&runs[0], "/var/cache/aptitude"));
        assert!(!mounts_cache_over(&runs[1], "/var/lib/apt"));
    }
}
