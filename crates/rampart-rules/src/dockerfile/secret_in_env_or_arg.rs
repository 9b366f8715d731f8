use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::{Instruction, Keyword};

use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};
use rampart_secrets::{detect, names_a_secret};

declare_rule! {
    /// ## What it checks
    /// `ENV` and `ARG` instructions, in every stage and before the first `FROM`, that put a
    /// secret into the image or its history:
    /// - a literal value that is a secret, with the same detection as rule K142 (known
    ///   formats such as private keys, AWS, GitHub, Slack and Stripe keys, JSON Web Tokens and
    ///   URLs with a password, whatever the name; any real literal for a name such as
    ///   `DB_PASSWORD`, `API_KEY`, `NPM_TOKEN`; placeholders are not reported);
    /// - an `ARG` named like a secret (`ARG NPM_TOKEN`), even without a default: its value is
    ///   given at build time and recorded in the image history of every `RUN` that uses it;
    /// - an `ENV` named like a secret whose value comes from a variable (`ENV NPM_TOKEN=$NPM_TOKEN`):
    ///   it copies a build argument into the image's configuration.
    ///
    /// Messages never repeat the secret.
    ///
    /// ## Why it matters
    /// `ENV` values are stored in the image configuration and `ARG` values in the build
    /// history: anyone who can pull the image reads them with `docker inspect` or
    /// `docker history`, including every registry mirror and every node that runs it. Deleting
    /// the variable in a later stage or instruction does not remove it from earlier layers.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG NPM_TOKEN
    /// RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
    /// ```
    /// Use instead: a build secret, mounted only for the one `RUN`.
    /// ```dockerfile
    /// RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    /// ```
    pub struct SecretInEnvOrArg {
        code: "D108",
        name: "secret-in-env-or-arg",
        title: "Secret in an ENV or ARG instruction",
        severity: Severity::High,
        layer: Layer::Container,
        concern: Concern::Secrets,
        references: refs![
            CisDocker: ["4.10"],
            Nsa: ["secrets"],
            Mitre: ["T1552.001"],
            Cwe: ["CWE-798"],
        ],
        equivalents: &["hadolint:DL3064", "trivy:DS-0031"],
    }
}

impl Check<Dockerfiles> for SecretInEnvOrArg {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        let dockerfile = target.dockerfile;
        let instructions = dockerfile
            .instructions()
            .filter(|i| matches!(i.keyword, Keyword::Env | Keyword::Arg));
        for instruction in instructions {
            for (name, value) in instruction.pairs() {
                if let Some(message) = problem(instruction, &name, value.as_deref()) {
                    hits.push(Hit::at_instruction(instruction, message));
                }
            }
        }
    }
}

fn problem(instruction: &Instruction, name: &str, value: Option<&str>) -> Option<String> {
    let keyword = instruction.keyword.as_str();
    if let Some(found) = value.and_then(|value| detect(name, value)) {
        return Some(format!(
            "`{keyword} {name}` holds {} ({}), stored in the image for anyone who pulls it; \
             pass it with `RUN --mount=type=secret` instead",
            found.what, found.redacted
        ));
    }
    if !names_a_secret(name) {
        return None;
    }
    match instruction.keyword {
        Keyword::Arg => Some(format!(
            "`ARG {name}` takes a secret as a build argument, which `docker history` shows \
             for every RUN that uses it; use `RUN --mount=type=secret,id={}` instead",
            name.to_ascii_lowercase()
        )),
        _ if instruction.arguments.contains('$') => Some(format!(
            "`ENV {name}` copies a variable that holds a secret into the image configuration; \
             use `RUN --mount=type=secret` for the steps that need it"
        )),
        _ => None,
    }
}
