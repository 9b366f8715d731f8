use rampart_core::{Concern, Layer, Severity, refs};
use rampart_image::shorten;

use super::config_pointer;
use crate::rule::{Check, declare_rule};
use crate::{Hit, ImageTarget, Images};
use rampart_secrets::{Detection, detect};

declare_rule! {
    /// ## What it checks
    /// Secrets written into an image's configuration, where anyone who can pull the image
    /// reads them (`docker inspect`, `docker history`, any registry client):
    /// - environment variables (`config.Env`, from `ENV`),
    /// - labels (`config.Labels`, from `LABEL`),
    /// - the build history (`history[].created_by`): `ARG` defaults, the build arguments
    ///   Docker records in front of every `RUN` (`RUN |1 NPM_TOKEN=... /bin/sh -c ...`),
    ///   `--password=...` flags and URLs with credentials in commands, and `ENV` values that a
    ///   later `ENV` replaced (the old value stays in the history).
    ///
    /// Secrets are recognised as in rule K142: known token formats (AWS, GitHub, Slack,
    /// Google, Stripe, JWTs, private keys, URLs with a password) whatever the name, and names
    /// that announce a secret (`PASSWORD`, `TOKEN`, `API_KEY`, ...) with a literal that is
    /// not a placeholder or reference. Messages never repeat the secret.
    ///
    /// ## Why it matters
    /// Image configuration and history are public to everyone with pull access, cached on
    /// every node that ran the image and copied to every mirror. A credential there is
    /// leaked for good: it has to be rotated, not removed.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG NPM_TOKEN=npm_0123456789abcdefghijklmnopqrstuvwxyz
    /// RUN npm ci
    /// ENV DB_PASSWORD=hunter2-but-longer
    /// ```
    /// Use instead: a build secret, and the runtime password from a Kubernetes Secret.
    /// ```dockerfile
    /// RUN --mount=type=secret,id=npm,env=NPM_TOKEN npm ci
    /// ```
    pub struct ImageSecretInConfig {
        code: "I104",
        name: "image-secret-in-config",
        title: "Secret in image environment, labels or build history",
        severity: Severity::High,
        layer: Layer::Container,
        concern: Concern::Secrets,
        references: refs![
            Nsa: ["secrets", "building-secure-container-images"],
            Mitre: ["T1552.001"],
            Cwe: ["CWE-798", "CWE-526"],
        ],
        equivalents: &[],
    }
}

impl Check<Images> for ImageSecretInConfig {
    fn check(&self, target: &ImageTarget<'_>, hits: &mut Vec<Hit>) {
        let config = target.image.config.container();
        let env = config.env.as_deref().unwrap_or(&[]);
        for (index, variable) in env.iter().enumerate() {
            let (name, value) = variable.split_once('=').unwrap_or((variable, ""));
            if let Some(found) = detect(name, value) {
                hits.push(
                    Hit::new(
                        config_pointer(&["config", "Env", &index.to_string()]),
                        format!(
                            "the image sets environment variable `{name}` to {} ({}); pass it \
                             at run time from a Secret instead, and rotate it",
                            found.what, found.redacted
                        ),
                    )
                    .with_identity(format!("config/Env/{name}")),
                );
            }
        }
        for (key, value) in config.labels.iter().flatten() {
            if let Some(found) = detect(key, value) {
                hits.push(Hit::new(
                    config_pointer(&["config", "Labels", key]),
                    format!(
                        "label `{key}` holds {} ({}); labels are public metadata, remove it and \
                         rotate the credential",
                        found.what, found.redacted
                    ),
                ));
            }
        }
        let history = target.image.config.history.as_deref().unwrap_or(&[]);
        for (index, step) in history.iter().enumerate() {
            let Some(created_by) = &step.created_by else {
                continue;
            };
            for (name, found) in secrets_in_command(created_by) {
                // The current environment was reported above.
                if !name.is_empty() && env.iter().any(|v| history_repeats(v, &name, created_by)) {
                    continue;
                }
                let named = if name.is_empty() {
                    String::new()
                } else {
                    format!(" in `{name}`")
                };
                hits.push(
                    Hit::new(
                        config_pointer(&["history", &index.to_string(), "created_by"]),
                        format!(
                            "build step `{}` records {}{named} ({}) in the image history; use a \
                             build secret (`RUN --mount=type=secret`) and rotate the credential",
                            shorten(created_by, 50),
                            found.what,
                            found.redacted
                        ),
                    )
                    .with_identity(format!("history/{name}/{}", found.what)),
                );
            }
        }
    }
}

/// Whether the history step only repeats the variable `name` as the image's environment
/// still holds it (`ENV NAME=value`, reported through `Env`).
fn history_repeats(variable: &str, name: &str, created_by: &str) -> bool {
    variable.split_once('=').is_some_and(|(n, _)| n == name) && created_by.contains(variable)
}

/// The secrets in a build command: `NAME=value` words and `--flag=value` options judged by
/// name and value, other words by their format alone.
fn secrets_in_command(command: &str) -> Vec<(String, Detection)> {
    let mut found = Vec::new();
    for word in command.split_whitespace() {
        let word = word.trim_matches(|c| c == '"' || c == '\'' || c == ';');
        let (name, value) = match word.split_once('=') {
            Some((name, value)) if is_name(name.trim_start_matches('-')) => (
                name.trim_start_matches('-'),
                value.trim_matches(|c| c == '"' || c == '\''),
            ),
            _ => ("", word),
        };
        if let Some(detection) = detect(name, value) {
            found.push((name.to_owned(), detection));
        }
    }
    found
}

fn is_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(command: &str) -> Vec<String> {
        secrets_in_command(command)
            .into_iter()
            .map(|(name, d)| format!("{name}:{}", d.what))
            .collect()
    }

    #[test]
    fn build_arguments_flags_and_formats_in_commands() {
        assert_eq!(
            names("RUN |2 NPM_TOKEN=q8ZtR2vLx9WmKp4Nd7Hs VERSION=1.2 /bin/sh -c npm ci"),
            ["NPM_TOKEN:a literal token"]
        );
        assert_eq!(
            names("/bin/sh -c mysql --password='s3cr3t!' -e 'select 1'"),
            ["password:a literal password"]
        );
        assert_eq!(
            names("/bin/sh -c git clone https://bot:Sup3rS3cret@git.example.com/app.git"),
            [":a URL with a password in it"]
        );
        assert!(names("/bin/sh -c #(nop)  ENV PATH=/usr/local/bin:/usr/bin").is_empty());
        assert!(names("RUN |1 TOKEN=${CI_TOKEN} /bin/sh -c make").is_empty());
        assert!(names("/bin/sh -c apt-get install -y --no-install-recommends curl").is_empty());
    }
}
