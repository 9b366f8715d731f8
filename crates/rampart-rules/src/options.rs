use serde::Deserialize;

/// Settings that change what rules accept, from the `[options]` table of `rampart.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct RuleOptions {
    /// Registries (and optional path prefixes) images may come from, e.g. `ghcr.io/acme`.
    /// Empty: every registry is allowed and the registry rule stays silent.
    pub allowed_registries: Vec<String>,
}
