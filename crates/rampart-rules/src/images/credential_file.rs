use rampart_core::{Concern, Layer, Severity, refs};
use rampart_image::{Entry, EntryKind};

use super::{file_identity, file_pointer, whereabouts};
use crate::rule::{Check, declare_rule};
use crate::{Hit, ImageTarget, Images};
use rampart_secrets::detect;

declare_rule! {
    /// ## What it checks
    /// Credential files in any layer of the image, including files a later layer deletes
    /// or overwrites (their bytes still ship in the layer that added them; the finding names
    /// that layer and the one that hid them):
    /// - private SSH keys (`id_rsa`, `id_ecdsa`, `id_ed25519`, ... anywhere) and SSH host
    ///   keys (`/etc/ssh/ssh_host_*_key`, shared by every container of the image);
    /// - PEM private keys (`*.pem`, `*.key` whose content holds `PRIVATE KEY-----`) and
    ///   PKCS#12 key stores (`*.p12`, `*.pfx`);
    /// - cloud credentials: `.aws/credentials`, Google Cloud's `.config/gcloud` credential
    ///   stores and application default credentials, the Azure CLI's token caches;
    /// - tool credentials, when they hold one: `.npmrc` auth tokens, `.pypirc` passwords,
    ///   `.git-credentials` and `.netrc` passwords, `.docker/config.json` registry auths,
    ///   kubeconfig tokens and client keys;
    /// - `.env` files (`.env`, `.env.production`, not `.env.example`) with a secret in them.
    ///
    /// Files whose secret depends on their content are judged on their first 64 KiB; the
    /// secret itself is never repeated in the message.
    ///
    /// ## Why it matters
    /// Images are copied to registries, mirrors, CI caches and every node that runs them, and
    /// anyone with pull access unpacks every layer with `docker save` or `crane export`. A key
    /// or token in any layer is therefore published: `RUN rm` in a later layer only hides it
    /// from the running container.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY . /src
    /// RUN cd /src && make && rm -f /src/.env /src/id_rsa
    /// ```
    /// Use instead: keep credentials out of the build context (`.dockerignore`) and pass
    /// build-time secrets as secret mounts, which never become part of a layer.
    /// ```dockerfile
    /// RUN --mount=type=secret,id=deploy_key,target=/root/.ssh/id_ed25519 \
    ///     --mount=type=bind,target=/src make -C /src
    /// ```
    pub struct ImageCredentialFile {
        code: "I107",
        name: "image-credential-file",
        title: "Credential file in an image layer",
        severity: Severity::High,
        layer: Layer::Container,
        concern: Concern::Secrets,
        references: refs![
            Nsa: ["secrets", "building-secure-container-images"],
            Mitre: ["T1552.001"],
            Cwe: ["CWE-522", "CWE-798"],
        ],
        equivalents: &[],
    }
}

/// Files recognised by name alone.
const SSH_KEY_NAMES: &[&str] = &[
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    "id_ecdsa_sk",
    "id_ed25519_sk",
];

/// How a credential file is recognised.
enum Kind {
    /// The name is enough.
    Named(&'static str),
    /// The content decides.
    Content(fn(&str) -> Option<String>),
}

fn kind_of(path: &str) -> Option<Kind> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let under = |folder: &str| path.starts_with(folder) || path.contains(&format!("/{folder}"));
    if SSH_KEY_NAMES.contains(&name) {
        return Some(Kind::Named("a private SSH key"));
    }
    if path.starts_with("etc/ssh/ssh_host_") && name.ends_with("_key") {
        return Some(Kind::Named(
            "an SSH host private key (every container of the image shares it)",
        ));
    }
    if under(".aws/") && name == "credentials" {
        return Some(Kind::Named("an AWS credentials file"));
    }
    if under(".config/gcloud/")
        && (matches!(
            name,
            "credentials.db" | "access_tokens.db" | "application_default_credentials.json"
        ) || path.contains(".config/gcloud/legacy_credentials/"))
    {
        return Some(Kind::Named("a Google Cloud credential store"));
    }
    if under(".azure/")
        && matches!(
            name,
            "accessTokens.json"
                | "msal_token_cache.json"
                | "msal_token_cache.bin"
                | "service_principal_entries.json"
        )
    {
        return Some(Kind::Named("an Azure CLI token cache"));
    }
    match extension.as_deref() {
        Some("p12" | "pfx") => return Some(Kind::Named("a PKCS#12 key store")),
        Some("pem" | "key") => return Some(Kind::Content(pem_private_key)),
        _ => {}
    }
    let env_file = name == ".env"
        || name.strip_prefix(".env.").is_some_and(|suffix| {
            !matches!(
                suffix,
                "example" | "sample" | "template" | "dist" | "defaults" | "schema"
            )
        });
    if env_file {
        return Some(Kind::Content(env_secret));
    }
    match name {
        ".npmrc" => Some(Kind::Content(npmrc_token)),
        ".pypirc" => Some(Kind::Content(pypirc_password)),
        ".git-credentials" => Some(Kind::Content(git_credentials)),
        ".netrc" | "_netrc" => Some(Kind::Content(netrc_password)),
        "config.json" if under(".docker/") => Some(Kind::Content(docker_auth)),
        "config" if under(".kube/") => Some(Kind::Content(kubeconfig_credential)),
        _ => None,
    }
}

fn pem_private_key(text: &str) -> Option<String> {
    text.contains("PRIVATE KEY-----")
        .then(|| "a private key (PEM)".to_owned())
}

/// `KEY=value` lines, `export` and quotes allowed.
fn env_secret(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line);
        let (name, value) = line.split_once('=')?;
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        detect(name.trim(), value)
            .map(|found| format!("a .env file with {} in `{}`", found.what, name.trim()))
    })
}

fn npmrc_token(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        let setting = key.rsplit(':').next().unwrap_or(key).trim();
        matches!(setting, "_authToken" | "_auth" | "_password")
            .then(|| detect(setting, value.trim()))
            .flatten()
            .map(|_| format!("an npm config with a registry credential (`{setting}`)"))
    })
}

fn pypirc_password(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (key, value) = line.split_once(['=', ':'])?;
        (key.trim() == "password")
            .then(|| detect("password", value.trim()))
            .flatten()
            .map(|_| "a PyPI config with a password".to_owned())
    })
}

fn git_credentials(text: &str) -> Option<String> {
    text.lines()
        .find_map(|line| detect("", line.trim()))
        .map(|_| "a Git credential store with a password".to_owned())
}

fn netrc_password(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .windows(2)
        .find_map(|pair| {
            (pair[0] == "password")
                .then(|| detect("password", pair[1]))
                .flatten()
        })
        .map(|_| "a .netrc file with a password".to_owned())
}

fn docker_auth(text: &str) -> Option<String> {
    let config: serde_json::Value = serde_json::from_str(text).ok()?;
    let auths = config.get("auths")?.as_object()?;
    auths.iter().find_map(|(registry, auth)| {
        let has = |field: &str| {
            auth.get(field)
                .and_then(|v| v.as_str())
                .is_some_and(|v| !v.is_empty())
        };
        (has("auth") || has("identitytoken") || has("password"))
            .then(|| format!("a Docker config with credentials for `{registry}`"))
    })
}

fn kubeconfig_credential(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (key, value) = line.trim().trim_start_matches("- ").split_once(':')?;
        let key = key.trim();
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        let credential = matches!(key, "token" | "client-key-data" | "password")
            && !value.is_empty()
            && detect(
                if key == "client-key-data" {
                    "private-key"
                } else {
                    key
                },
                value,
            )
            .is_some();
        credential.then(|| format!("a kubeconfig with a credential (`{key}`)"))
    })
}

/// What the file is, when it is a credential.
fn classify(entry: &Entry) -> Option<String> {
    match kind_of(&entry.path)? {
        Kind::Named(what) => Some(what.to_owned()),
        Kind::Content(judge) => {
            let text = String::from_utf8_lossy(entry.content.as_deref()?);
            judge(&text)
        }
    }
}

impl Check<Images> for ImageCredentialFile {
    fn reads_content(&self, path: &str) -> bool {
        matches!(kind_of(path), Some(Kind::Content(_)))
    }

    fn check(&self, target: &ImageTarget<'_>, hits: &mut Vec<Hit>) {
        let image = target.image;
        for (id, entry) in image.entries() {
            if entry.kind != EntryKind::File || entry.size == 0 {
                continue;
            }
            let Some(what) = classify(entry) else {
                continue;
            };
            hits.push(
                Hit::new(
                    file_pointer(id, &entry.path),
                    format!(
                        "`{}` is {what}, {}; keep it out of the build (`.dockerignore`, `RUN \
                         --mount=type=secret`) and rotate it",
                        entry.display_path(),
                        whereabouts(image, target, id)
                    ),
                )
                .with_identity(file_identity(&entry.path)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(path: &str, content: &str) -> Option<String> {
        let entry = Entry {
            path: path.to_owned(),
            kind: EntryKind::File,
            mode: 0o600,
            uid: 0,
            gid: 0,
            size: content.len() as u64,
            link: None,
            content: Some(content.as_bytes().to_vec()),
        };
        classify(&entry)
    }

    #[test]
    fn credential_files_by_name_and_content() {
        assert_eq!(
            judged("root/.ssh/id_ed25519", "x").as_deref(),
            Some("a private SSH key")
        );
        assert!(judged("root/.ssh/id_ed25519.pub", "ssh-ed25519 AAAA").is_none());
        assert!(judged("home/app/.aws/credentials", "[default]").is_some());
        assert!(judged(".aws/credentials", "[default]").is_some());
        assert!(judged("etc/ssl/private/site.key", "-----BEGIN PRIVATE KEY-----\n").is_some());
        assert!(judged("etc/ssl/certs/ca.pem", "-----BEGIN CERTIFICATE-----\n").is_none());
        assert!(judged("app/.env", "DEBUG=1\nDB_PASSWORD=hunter2\n").is_some());
        assert!(judged("app/.env", "DEBUG=1\nDB_PASSWORD=${DB_PASSWORD}\n").is_none());
        assert!(judged("app/.env.example", "DB_PASSWORD=hunter2\n").is_none());
        assert!(
            judged(
                "root/.npmrc",
                "//registry.npmjs.org/:_authToken=npm_q8ZtR2vLx9WmKp4Nd7Hs\n"
            )
            .is_some()
        );
        assert!(
            judged(
                "root/.npmrc",
                "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"
            )
            .is_none()
        );
        assert!(
            judged(
                "root/.pypirc",
                "[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc\n"
            )
            .is_some()
        );
        assert!(
            judged(
                "root/.git-credentials",
                "https://bot:Sup3rS3cret@github.com\n"
            )
            .is_some()
        );
        assert!(
            judged(
                "root/.netrc",
                "machine example.com login bot password Sup3rS3cret\n"
            )
            .is_some()
        );
        assert!(
            judged(
                "root/.docker/config.json",
                r#"{"auths":{"ghcr.io":{"auth":"Ym90OnNlY3JldA=="}}}"#
            )
            .is_some()
        );
        assert!(
            judged(
                "root/.docker/config.json",
                r#"{"auths":{"ghcr.io":{}},"credsStore":"pass"}"#
            )
            .is_none()
        );
        assert!(
            judged(
                "root/.kube/config",
                "users:\n- name: a\n  user:\n    token: q8ZtR2vLx9WmKp4Nd7Hs\n"
            )
            .is_some()
        );
        assert!(judged("usr/share/doc/.env.sample", "A=1").is_none());
    }
}
