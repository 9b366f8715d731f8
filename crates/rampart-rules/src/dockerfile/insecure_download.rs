use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Keyword;

use super::common::{copy_sources, shown};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// Downloads over unencrypted protocols, in every stage: `http://`, `ftp://` and `git://`
    /// URLs given to `curl`, `wget`, `git clone`/`git fetch`/`git submodule`, `pip`, `npm`,
    /// `gem`, `go` or `ADD`. Loopback hosts (`localhost`, `127.0.0.1`, `[::1]`) are not
    /// reported.
    ///
    /// ## Why it matters
    /// Anything fetched in clear text can be read and replaced on the way: a proxy or any
    /// machine on the path substitutes its own source code, binary or script, which then
    /// runs in the build and ships in the image.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN git clone http://git.example.com/team/lib.git
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN git clone https://git.example.com/team/lib.git
    /// ```
    pub struct InsecureDownload {
        code: "D138",
        name: "insecure-download",
        title: "Download over an unencrypted protocol",
        severity: Severity::Medium,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1557"],
            Cwe: ["CWE-319", "CWE-494"],
        ],
        equivalents: &[],
    }
}

const FETCHERS: [&str; 8] = ["curl", "wget", "git", "pip", "npm", "gem", "go", "svn"];

impl Check<Dockerfiles> for InsecureDownload {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for stage in &target.dockerfile.stages {
            for instruction in &stage.instructions {
                match instruction.keyword {
                    Keyword::Run => {
                        let commands = instruction.script.iter().flat_map(|s| s.commands());
                        for command in commands {
                            let Some((program, args)) = command.program() else {
                                continue;
                            };
                            let fetcher = FETCHERS.contains(&program)
                                || program.starts_with("pip")
                                || program.starts_with("python");
                            if let Some(url) =
                                args.iter().find(|a| cleartext(a)).filter(|_| fetcher)
                            {
                                hits.push(Hit::at_instruction(
                                    instruction,
                                    format!(
                                        "`{}` fetches `{url}` unencrypted, so anyone on the \
                                         path can replace it; use https (or ssh for git)",
                                        shown(command)
                                    ),
                                ));
                            }
                        }
                    }
                    Keyword::Add => {
                        if let Some(url) = copy_sources(instruction).find(|s| cleartext(s)) {
                            hits.push(Hit::at_instruction(
                                instruction,
                                format!(
                                    "`ADD {url}` downloads unencrypted, so anyone on the path \
                                     can replace it; use https and `--checksum`"
                                ),
                            ));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// An `http://`, `ftp://` or `git://` URL to a host other than loopback.
fn cleartext(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let Some(rest) = ["http://", "ftp://", "git://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    !matches!(host, "localhost" | "127.0.0.1" | "[::1]" | "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleartext_urls_except_loopback() {
        assert!(cleartext("http://example.com/x"));
        assert!(cleartext("git://github.com/a/b"));
        assert!(cleartext("FTP://mirror/x"));
        assert!(!cleartext("https://example.com"));
        assert!(!cleartext("http://localhost:8080/x"));
        assert!(!cleartext("http://127.0.0.1/x"));
        assert!(!cleartext("example.com"));
    }
}
