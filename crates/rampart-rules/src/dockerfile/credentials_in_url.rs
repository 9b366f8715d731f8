use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::{Instruction, Keyword};

use super::common::copy_sources;
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};
use rampart_secrets::{detect, looks_like_credential, url_password};

declare_rule! {
    /// ## What it checks
    /// URLs in `RUN` commands and `ADD` sources, in every stage, that carry a credential:
    /// a password in the user part (`https://user:s3cret@host/...`, `postgres://app:pw@db`),
    /// a token as the whole user part (`https://ghp_…@github.com/...`: a known token format
    /// or a long random string), or a query parameter named like a secret
    /// (`?access_token=…`, `&private_token=…`, `?apikey=…`). References to variables
    /// (`https://${TOKEN}@host`, `$(cat /run/secrets/token)`) and placeholders are not
    /// reported: the value is then not written in the Dockerfile. Messages never repeat the
    /// secret.
    ///
    /// ## Why it matters
    /// The Dockerfile is committed, and each `RUN` line is stored verbatim in the image
    /// history (`docker history --no-trunc`): the credential is readable by everyone with
    /// the repository or the image, long after the build.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN git clone https://deploy:glpat-abcdEFGH1234ijklMNOP@gitlab.example.com/team/lib.git
    /// ```
    /// Use instead: a build secret.
    /// ```dockerfile
    /// RUN --mount=type=secret,id=gitlab_token \
    ///     git clone "https://deploy:$(cat /run/secrets/gitlab_token)@gitlab.example.com/team/lib.git"
    /// ```
    pub struct CredentialsInUrl {
        code: "D110",
        name: "credentials-in-url",
        title: "Credential written into a URL",
        severity: Severity::High,
        layer: Layer::Container,
        concern: Concern::Secrets,
        references: refs![
            CisDocker: ["4.10"],
            Nsa: ["secrets"],
            Mitre: ["T1552.001"],
            Cwe: ["CWE-798"],
        ],
        equivalents: &[],
    }
}

impl Check<Dockerfiles> for CredentialsInUrl {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for stage in &target.dockerfile.stages {
            for instruction in &stage.instructions {
                for url in urls(instruction) {
                    if let Some(what) = credential(&url) {
                        hits.push(Hit::at_instruction(
                            instruction,
                            format!(
                                "{} has {what}, stored in the Dockerfile and the image \
                                 history; read it from a build secret (`RUN \
                                 --mount=type=secret`) instead",
                                instruction.keyword.as_str()
                            ),
                        ));
                    }
                }
            }
        }
    }
}

/// The URLs an instruction uses: words of its `RUN` commands and `ADD` sources.
fn urls(instruction: &Instruction) -> Vec<String> {
    let words: Vec<&str> = match instruction.keyword {
        Keyword::Run => instruction
            .script
            .iter()
            .flat_map(|s| s.commands())
            .flat_map(|c| c.words.iter().map(String::as_str))
            .collect(),
        Keyword::Add => copy_sources(instruction).collect(),
        _ => Vec::new(),
    };
    words
        .into_iter()
        .flat_map(|word| word.split_whitespace())
        .filter(|word| word.contains("://"))
        .map(|word| word.trim_matches(['"', '\'']).to_owned())
        .collect()
}

/// What credential a URL carries, described without revealing it.
fn credential(url: &str) -> Option<String> {
    if let Some(found) = url_password(url) {
        return Some(format!("{} ({})", found.what, found.redacted));
    }
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if let Some((user, host)) = authority.rsplit_once('@')
        && !user.contains(['$', '{'])
        && looks_like_credential(user)
    {
        return Some(format!(
            "a token as the user of a URL (`{scheme}://****@{host}`, {} characters)",
            user.chars().count()
        ));
    }
    let query = rest.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        let found = detect(name, value)?;
        Some(format!(
            "{} in the query parameter `{name}` ({})",
            found.what, found.redacted
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_every_part_of_a_url() {
        assert!(credential("https://deploy:Sup3rS3cret@git.example.com/x.git").is_some());
        assert!(
            credential("https://ghp_0123456789abcdefghijABCDEFGHIJ012345@github.com/a/b").is_some()
        );
        assert!(credential("https://x.example.com/f?access_token=q8ZtR2vLx9WmKp4Nd7Hs").is_some());
        assert_eq!(credential("https://git@github.com/a/b"), None);
        assert_eq!(credential("https://${TOKEN}@github.com/a/b"), None);
        assert_eq!(
            credential("https://example.com/download?version=1.2.3"),
            None
        );
        assert_eq!(
            credential("https://user:$(cat /run/secrets/pw)@host/x"),
            None
        );
    }
}
