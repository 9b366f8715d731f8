use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Keyword;

use super::common::copy_sources;
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `COPY` and `ADD` sources, in every stage, that name a key or credential file:
    /// SSH private keys (`id_rsa`, `id_dsa`, `id_ecdsa`, `id_ed25519`), private keys and
    /// key stores (`*.key`, `*.pem`, `*.p12`, `*.pfx`, `*.jks`, `*.keystore`), dotenv files
    /// (`.env`, `.env.production`; not `.env.example`, `.env.sample`, `.env.template`),
    /// cloud and tool credentials (`.aws/credentials`, `.docker/config.json`, `.kube/config`,
    /// `.git-credentials`, `.netrc`, `.npmrc`, `.pypirc`, `credentials.json`). `.pem` files
    /// may hold only a certificate; they are reported because they as often hold a key.
    ///
    /// ## Why it matters
    /// A file copied into any layer ships with the image: deleting it later in the
    /// Dockerfile hides it from the final file system but not from the layer, which anyone
    /// who pulls the image can extract. Registry tokens and SSH keys copied for one build
    /// step are the most common secrets found in public images.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY .npmrc /root/.npmrc
    /// RUN npm ci && rm /root/.npmrc
    /// ```
    /// Use instead: mount the file for the one step that needs it.
    /// ```dockerfile
    /// RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    /// ```
    pub struct SecretFileCopied {
        code: "D109",
        name: "secret-file-copied",
        title: "Key or credential file copied into the image",
        severity: Severity::High,
        layer: Layer::Container,
        concern: Concern::Secrets,
        references: refs![
            CisDocker: ["4.10"],
            Nsa: ["secrets"],
            Mitre: ["T1552.001"],
            Cwe: ["CWE-522"],
        ],
        equivalents: &["trivy:DS-0031"],
    }
}

impl Check<Dockerfiles> for SecretFileCopied {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for stage in &target.dockerfile.stages {
            let copies = stage
                .instructions
                .iter()
                .filter(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add));
            for copy in copies {
                for source in copy_sources(copy) {
                    if let Some(kind) = credential_kind(source) {
                        hits.push(Hit::at_instruction(
                            copy,
                            format!(
                                "`{}` copies `{source}` ({kind}) into a layer, where it stays \
                                 even if deleted later; mount it with `RUN \
                                 --mount=type=secret` for the step that needs it",
                                copy.keyword.as_str()
                            ),
                        ));
                    }
                }
            }
        }
    }
}

/// What kind of credential a path names, by its file name (and parent folder).
pub(crate) fn credential_kind(path: &str) -> Option<&'static str> {
    let path = path.trim_end_matches('/');
    let mut parts = path.rsplit('/');
    let name = parts.next()?.to_ascii_lowercase();
    let parent = parts.next().unwrap_or("").to_ascii_lowercase();
    let kind = match name.as_str() {
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" => "an SSH private key",
        "credentials" if parent == ".aws" => "AWS credentials",
        "config.json" if parent == ".docker" => "registry credentials",
        "config" if parent == ".kube" => "a kubeconfig",
        "kubeconfig" => "a kubeconfig",
        ".git-credentials" => "git credentials",
        ".netrc" => "machine passwords",
        ".npmrc" => "an npm registry token file",
        ".pypirc" => "a PyPI token file",
        "credentials.json" => "a credentials file",
        ".env" => "a dotenv file",
        _ if name.starts_with(".env.") => {
            let variant = &name[".env.".len()..];
            if matches!(
                variant,
                "example" | "sample" | "template" | "dist" | "defaults"
            ) {
                return None;
            }
            "a dotenv file"
        }
        _ => {
            let extension = name.rsplit_once('.').map(|(_, ext)| ext)?;
            match extension {
                "key" => "a private key",
                "pem" => "a PEM file (key or certificate)",
                "p12" | "pfx" => "a PKCS#12 key store",
                "jks" | "keystore" => "a Java key store",
                _ => return None,
            }
        }
    };
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_files_by_name() {
        assert_eq!(credential_kind("id_rsa"), Some("an SSH private key"));
        assert_eq!(
            credential_kind("./keys/id_ed25519"),
            Some("an SSH private key")
        );
        assert_eq!(credential_kind("id_rsa.pub"), None);
        assert_eq!(credential_kind(".aws/credentials"), Some("AWS credentials"));
        assert_eq!(credential_kind("credentials"), None);
        assert_eq!(credential_kind(".env.production"), Some("a dotenv file"));
        assert_eq!(credential_kind(".env.example"), None);
        assert_eq!(credential_kind("certs/tls.key"), Some("a private key"));
        assert_eq!(credential_kind("app.py"), None);
        assert_eq!(credential_kind("."), None);
    }
}
