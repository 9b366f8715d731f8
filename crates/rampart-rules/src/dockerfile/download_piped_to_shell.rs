use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Keyword;
use rampart_source::shell::{SHELLS, Script, SimpleCommand};

use super::common::shown;
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `RUN` commands that execute a download without saving and checking it first:
    /// - a downloader (`curl`, `wget`) piped into an interpreter (`sh`, `bash`, `zsh`, `python`,
    ///   `perl`, `ruby`, `node`, `php`...), also behind `sudo` (`curl -fsSL URL | sudo bash`);
    /// - an interpreter running a download's output: `sh -c "$(curl -fsSL URL)"`,
    ///   ``bash -c "`wget -qO- URL`"``, `bash <(curl -s URL)`.
    ///
    /// The shell reader splits lists and pipelines, removes quotes and reads `sh -c` scripts,
    /// so line breaks, quoting and nesting do not hide the pattern.
    ///
    /// ## Why it matters
    /// The script runs as root in the build with whatever the server returns at that moment:
    /// a compromised host, CDN or DNS entry turns every build into a backdoored image, and a
    /// truncated download executes half a script. Nothing records what ran.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -fsSL https://get.example.com/install.sh | sh
    /// ```
    /// Use instead: download, verify a checksum (or signature), then run.
    /// ```dockerfile
    /// RUN curl -fsSLo /tmp/install.sh https://get.example.com/v1.4.2/install.sh \
    ///  && echo "<sha256>  /tmp/install.sh" | sha256sum -c - \
    ///  && sh /tmp/install.sh && rm /tmp/install.sh
    /// ```
    pub struct DownloadPipedToShell {
        code: "D107",
        name: "download-piped-to-shell",
        title: "Downloaded script is executed without verification",
        severity: Severity::High,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1105", "T1195.002"],
            Cwe: ["CWE-494"],
        ],
        equivalents: &[],
    }
}

const DOWNLOADERS: [&str; 2] = ["curl", "wget"];

impl Check<Dockerfiles> for DownloadPipedToShell {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for stage in &target.dockerfile.stages {
            for run in stage
                .instructions
                .iter()
                .filter(|i| i.keyword == Keyword::Run)
            {
                let Some(script) = &run.script else { continue };
                if let Some(message) = finding(script) {
                    hits.push(Hit::at_instruction(run, message));
                }
            }
        }
    }
}

/// The first download-and-execute in the script, described.
fn finding(script: &Script) -> Option<String> {
    for pipeline in &script.pipelines {
        let mut downloader: Option<&SimpleCommand> = None;
        for command in &pipeline.commands {
            let Some((program, args)) = command.program() else {
                continue;
            };
            if DOWNLOADERS.contains(&program) {
                downloader.get_or_insert(command);
            } else if let Some(download) = downloader
                && is_interpreter(program)
            {
                return Some(format!(
                    "`{} | {}` runs a downloaded script unverified; download to a file, \
                     check its checksum or signature, then run it",
                    shown(download),
                    shown(command)
                ));
            }
            if is_interpreter(program) {
                let substituted = args.iter().any(|arg| runs_download(arg))
                    || command.shell_script().is_some_and(runs_download);
                if substituted {
                    return Some(format!(
                        "`{}` runs a downloaded script unverified; download to a file, check \
                         its checksum or signature, then run it",
                        shown(command)
                    ));
                }
            }
        }
    }
    None
}

/// `$(curl ...)`, `` `wget ...` `` or `<(curl ...)` in a word.
fn runs_download(word: &str) -> bool {
    ["$(", "`", "<("].iter().any(|open| {
        word.match_indices(open).any(|(at, _)| {
            // Only the first command counts: reading all the rest of the word (and the scripts
            // nested in it) again for every opening made long words take seconds.
            let inner = &word[at + open.len()..];
            let first = inner
                .split(['`', ')', '|', ';', '&', '\n'])
                .next()
                .unwrap_or_default();
            Script::parse_top_level(first)
                .commands()
                .next()
                .is_some_and(|c| {
                    c.program()
                        .is_some_and(|(program, _)| DOWNLOADERS.contains(&program))
                })
        })
    })
}

fn is_interpreter(program: &str) -> bool {
    let versioned = |base: &str| {
        program
            .strip_prefix(base)
            .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
    };
    SHELLS.contains(&program)
        || ["python", "perl", "ruby", "node", "php"]
            .iter()
            .any(|b| versioned(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_words_of_substitutions_are_read_at_top_level() {
        // A parse_dockerfile fuzz input (printable part, 1 KB): unclosed `$(`, backquotes and
        // nested `bash -c`. Each opening used to parse the rest of its word with every script
        // nested in it, for every pipeline read: 17 s in the fuzz build. None of the
        // substitutions starts with a downloader (`wget-qO-` is not `wget`).
        let text = r#"sh -c " (wget-qOxampll.qh \
    | sudo bash -s -- -c "$(wUNtps://exampll.qh \
    | sudo bash -s -- -c " sh -c "$(wge | sudo bash -s -- -c "$(wUNtp:ample.com/ nis -   | sudo bash -s -- -c "$(wUNtps://exampll.qh \
    | sudo bash -s -- -c "$(wUN sh -c$geO- https://exampll.qh \
    | sudo bash -s -- -c "$(wUNtps://exampll.qh \
    | sudo bash -s -- -c " sh -c "$(wge | sudo bash -s -- -c "$(wUNtp:ample.com/ nis -   | sudo bash -s -- -c " "$(wge | sudo bash -s -- -cU$"Nt w(TUUUUUUmpll.q$````````````````````````````````````````p``````````````````````"$```````"$(wget-qO- https:.2//````````````````````````````````````````````````````````````p``````````````````````"$````````"$(wget-qO- https://2.```````````````````````````````````````````````@````````````````````````-any.whl"#;
        assert_eq!(finding(&Script::parse(text)), None);
    }
}
