use serde::Deserialize;

/// Settings that change what rules accept, from the `[options]` table of `rampart.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct RuleOptions {
    /// Registries (and optional path prefixes) images may come from, for rule K139
    /// (`image-registry-not-allowed`): `ghcr.io/acme`, `registry.example.com:5000`,
    /// `docker.io/library`. Images are compared fully qualified (`nginx` is
    /// `docker.io/library/nginx`; `index.docker.io` is `docker.io`), registries
    /// case-insensitively, and prefixes at path-segment boundaries (`ghcr.io/acme` does not
    /// allow `ghcr.io/acme-labs/app`). Empty: every registry is allowed and the rule is silent.
    pub allowed_registries: Vec<String>,
}
