use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::shell::SimpleCommand;
use rampart_source::{Instruction, Keyword};

use super::common::{has_option, shown};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// Instructions, in every stage, that turn off TLS certificate verification:
    /// - commands: `curl -k`/`--insecure`, `wget --no-check-certificate`, `pip install
    ///   --trusted-host`, `git -c http.sslVerify=false`, `git config http.sslVerify false`,
    ///   `npm config set strict-ssl false` (also `yarn`), `yum-config-manager`/`dnf
    ///   config-manager --setopt=sslverify=0`;
    /// - variables set by `ENV`, `ARG` or before a command: `NODE_TLS_REJECT_UNAUTHORIZED=0`,
    ///   `PYTHONHTTPSVERIFY=0`, `GIT_SSL_NO_VERIFY` (any value), `NPM_CONFIG_STRICT_SSL=false`,
    ///   `PIP_TRUSTED_HOST`.
    ///
    /// ## Why it matters
    /// Without verification anyone on the network path (a proxy, a compromised router, a
    /// hostile Wi-Fi at the build farm) can answer in place of the real server: the build
    /// installs their packages and scripts. Set through `ENV`, the setting also stays in the
    /// running container, whose own outgoing connections accept any certificate.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -k https://downloads.example.com/tool.tar.gz | tar xz
    /// ```
    /// Use instead: install the CA that signs the server's certificate and keep
    /// verification on.
    /// ```dockerfile
    /// COPY corp-ca.crt /usr/local/share/ca-certificates/
    /// RUN update-ca-certificates && curl -fsSL https://downloads.example.com/tool.tar.gz | tar xz
    /// ```
    pub struct TlsVerificationDisabled {
        code: "D136",
        name: "tls-verification-disabled",
        title: "TLS certificate verification turned off",
        severity: Severity::High,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1557"],
            Cwe: ["CWE-295"],
        ],
        equivalents: &[
            "checkov:CKV2_DOCKER_2",
            "checkov:CKV2_DOCKER_3",
            "checkov:CKV2_DOCKER_4",
            "checkov:CKV2_DOCKER_5",
            "checkov:CKV2_DOCKER_6",
            "checkov:CKV2_DOCKER_12",
            "checkov:CKV2_DOCKER_13",
            "checkov:CKV2_DOCKER_14",
            "checkov:CKV2_DOCKER_15",
            "checkov:CKV2_DOCKER_16",
        ],
    }
}

impl Check<Dockerfiles> for TlsVerificationDisabled {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for instruction in target.dockerfile.instructions() {
            for problem in problems(instruction) {
                hits.push(Hit::at_instruction(instruction, problem));
            }
        }
    }
}

fn problems(instruction: &Instruction) -> Vec<String> {
    let mut found = Vec::new();
    match instruction.keyword {
        Keyword::Env | Keyword::Arg => {
            for (name, value) in instruction.pairs() {
                if let Some(what) = variable_disables(&name, value.as_deref().unwrap_or("")) {
                    found.push(format!(
                        "`{} {name}` {what}, for the build and the running container; remove \
                         it and trust the right CA instead",
                        instruction.keyword.as_str()
                    ));
                }
            }
        }
        Keyword::Run => {
            for command in instruction.script.iter().flat_map(|s| s.commands()) {
                let assigned = command.assignments.iter().find_map(|assignment| {
                    let (name, value) = assignment.split_once('=')?;
                    variable_disables(name, value).map(|what| (assignment.clone(), what))
                });
                let disabled = assigned
                    .or_else(|| command_disables(command).map(|what| (shown(command), what)));
                if let Some((shown, what)) = disabled {
                    found.push(format!(
                        "`{shown}` {what}; keep verification on and install the CA the server \
                         uses"
                    ));
                }
            }
        }
        _ => {}
    }
    found
}

fn falsy(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().trim_matches(['"', '\'']),
        "0" | "false" | "no" | "off"
    )
}

/// What an environment variable setting turns off, if anything.
fn variable_disables(name: &str, value: &str) -> Option<&'static str> {
    match name {
        "NODE_TLS_REJECT_UNAUTHORIZED" if value == "0" => {
            Some("makes Node.js accept any TLS certificate")
        }
        "PYTHONHTTPSVERIFY" if value == "0" => Some("makes Python skip HTTPS verification"),
        "GIT_SSL_NO_VERIFY" if !value.is_empty() => Some("makes git skip TLS verification"),
        "NPM_CONFIG_STRICT_SSL" | "npm_config_strict_ssl" if falsy(value) => {
            Some("makes npm accept any TLS certificate")
        }
        "PIP_TRUSTED_HOST" if !value.is_empty() => {
            Some("makes pip trust hosts without TLS verification")
        }
        _ => None,
    }
}

/// What a command's options turn off, if anything.
fn command_disables(command: &SimpleCommand) -> Option<&'static str> {
    let (program, args) = command.program()?;
    let arg = |i: usize| args.get(i).map(String::as_str);
    match program {
        "curl" if has_option(args, Some('k'), &["insecure"]) => {
            Some("accepts any TLS certificate (`-k`)")
        }
        "wget" if has_option(args, None, &["no-check-certificate"]) => {
            Some("accepts any TLS certificate (`--no-check-certificate`)")
        }
        "git" => {
            let disabling = args.windows(2).any(|pair| {
                pair[0] == "-c"
                    && pair[1].to_ascii_lowercase().starts_with("http.sslverify=")
                    && falsy(pair[1].split_once('=').map_or("", |(_, v)| v))
            }) || (arg(0) == Some("config")
                && args
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case("http.sslverify"))
                && args.last().is_some_and(|v| falsy(v)));
            disabling.then_some("turns off git's TLS verification (`http.sslVerify`)")
        }
        "npm" | "yarn" => {
            let set = args.iter().position(|a| a == "set")?;
            let rest = &args[set + 1..];
            let disabling = match rest {
                [key, value, ..] if key == "strict-ssl" => falsy(value),
                [pair, ..] => pair
                    .split_once('=')
                    .is_some_and(|(k, v)| k == "strict-ssl" && falsy(v)),
                [] => false,
            };
            disabling.then_some("turns off npm's TLS verification (`strict-ssl false`)")
        }
        _ if program.starts_with("pip") || program.starts_with("python") => {
            has_option(args, None, &["trusted-host"])
                .then_some("lets pip use a host without TLS verification (`--trusted-host`)")
        }
        "yum-config-manager" | "dnf" | "yum" => {
            let disabling = args.iter().any(|a| {
                let lower = a.to_ascii_lowercase();
                lower.starts_with("--setopt=")
                    && lower.split_once('=').is_some_and(|(_, setting)| {
                        setting.split_once('=').is_some_and(|(key, value)| {
                            (key == "sslverify" || key.ends_with(".sslverify")) && falsy(value)
                        })
                    })
            });
            disabling.then_some("turns off repository TLS verification (`sslverify`)")
        }
        _ => None,
    }
}
