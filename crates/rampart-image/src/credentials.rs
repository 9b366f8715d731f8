//! Registry credentials, found the way the Docker CLI finds them:
//!
//! 1. The registry's key: `https://index.docker.io/v1/` for Docker Hub (`docker.io`,
//!    `index.docker.io`), else the host as the reference writes it (`ghcr.io`,
//!    `localhost:5000`).
//! 2. `$DOCKER_AUTH_CONFIG` (`{"auths": {KEY: {"auth": ...}}}`), when it has exactly the key.
//! 3. In `config.json`, a credential helper applies when `credHelpers` has exactly the key (an
//!    empty name there means none), else when `credsStore` names one. It is run as
//!    `docker-credential-NAME get` with the key on stdin and answers `{"ServerURL",
//!    "Username", "Secret"}`; the user name `<token>` makes the secret an identity token (an
//!    OAuth2 refresh token). When a helper applies, `auths` is not read, and a helper that has
//!    nothing for the key means anonymous access.
//! 4. Otherwise the `auths` entry under exactly the key, else the first (in key order) whose
//!    URL reduces to that host (`https://ghcr.io/v2/` for `ghcr.io`): `auth` (base64
//!    `user:password`), else `username` and `password`; `identitytoken` and `registrytoken`.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine as _;
use rampart_core::DEFAULT_REGISTRY;
use serde::Deserialize;

use crate::ImageError;

/// The key Docker stores Docker Hub's credentials under.
const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";

/// The user name with which a credential helper marks its secret as an identity token.
const IDENTITY_TOKEN_USER: &str = "<token>";

/// The environment variable holding credentials ahead of `config.json` (Docker CLI 28.3+).
pub(crate) const ENV_AUTH_CONFIG: &str = "DOCKER_AUTH_CONFIG";

/// What a credential helper prints when it holds nothing for the server.
const HELPER_NOT_FOUND: &str = "credentials not found in native keychain";

/// Credentials for one registry. Deliberately not `Debug`: they hold secrets.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    /// User name and password, for a basic challenge and for the token endpoint.
    pub(crate) basic: Option<(String, String)>,
    /// An OAuth2 refresh token, exchanged at the token endpoint (`grant_type=refresh_token`).
    pub(crate) identity_token: Option<String>,
    /// A bearer token sent to the registry as it is.
    pub(crate) registry_token: Option<String>,
    /// Where they were found, for messages (never the secret itself).
    pub(crate) source: String,
}

impl Credentials {
    fn is_empty(&self) -> bool {
        self.basic.is_none() && self.identity_token.is_none() && self.registry_token.is_none()
    }
}

/// Where Docker's configuration and its credential helpers are looked for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Places<'a> {
    /// The folder of `config.json`; by default `$DOCKER_CONFIG`, else `~/.docker`.
    pub(crate) docker_config: Option<&'a Path>,
    /// A `PATH`-style list of folders holding `docker-credential-*`; by default `$PATH`.
    pub(crate) helper_path: Option<&'a OsStr>,
    /// The value of `$DOCKER_AUTH_CONFIG`.
    pub(crate) env_auth_config: Option<&'a str>,
}

/// The parts of `config.json` that concern credentials.
#[derive(Deserialize, Default)]
struct DockerConfig {
    #[serde(default)]
    auths: BTreeMap<String, AuthEntry>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
    #[serde(default, rename = "credHelpers")]
    cred_helpers: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    identitytoken: Option<String>,
    #[serde(default)]
    registrytoken: Option<String>,
}

/// The key Docker looks credentials up by for `registry` (a reference's host).
pub(crate) fn config_key(registry: &str) -> &str {
    if registry == DEFAULT_REGISTRY || registry == "index.docker.io" {
        DOCKER_HUB_KEY
    } else {
        registry
    }
}

/// The credentials Docker would use for `registry`, or `None` for anonymous access.
pub(crate) fn credentials_for(
    registry: &str,
    places: Places<'_>,
) -> Result<Option<Credentials>, ImageError> {
    let key = config_key(registry);
    if let Some(text) = places.env_auth_config.filter(|text| !text.is_empty())
        && let Some(found) = from_env(text, key)?
    {
        return Ok(Some(found));
    }
    let Some(path) = config_path(places.docker_config) else {
        return Ok(None);
    };
    let text = match std::fs::read(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ImageError::io(path.display().to_string(), e)),
    };
    let file = path.display().to_string();
    let config: DockerConfig = serde_json::from_slice(&text)
        .map_err(|e| ImageError::invalid(&file, unexpected_json(&e)))?;
    // An empty `credHelpers` entry keeps the registry in `auths`, whatever `credsStore` says.
    let helper = match config.cred_helpers.get(key) {
        Some(name) => Some((name, "credHelpers")).filter(|_| !name.is_empty()),
        None => config
            .creds_store
            .as_ref()
            .filter(|name| !name.is_empty())
            .map(|name| (name, "credsStore")),
    };
    let found = match helper {
        Some((name, setting)) => {
            let helper = Helper {
                program: format!("docker-credential-{name}"),
                named_by: format!("`{setting}` in {file}"),
            };
            helper.get(key, places.helper_path)?
        }
        None => from_auths(&config.auths, key, &file)?,
    };
    Ok(found.filter(|credentials| !credentials.is_empty()))
}

/// Where JSON that may hold secrets is not what Docker expects, without quoting it (serde's
/// messages quote the offending value).
fn unexpected_json(error: &serde_json::Error) -> String {
    let kind = match error.classify() {
        serde_json::error::Category::Io => "read",
        serde_json::error::Category::Syntax => "syntax",
        serde_json::error::Category::Data => "data",
        serde_json::error::Category::Eof => "truncation",
    };
    format!(
        "not the JSON Docker expects ({kind} error at line {} column {})",
        error.line(),
        error.column()
    )
}

/// `DOCKER_AUTH_CONFIG`: `{"auths": {KEY: {"auth": base64 user:password}}}` and nothing else,
/// looked up by exactly the key; where it has no entry, the configuration file decides.
fn from_env(text: &str, key: &str) -> Result<Option<Credentials>, ImageError> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct EnvConfig {
        #[serde(default)]
        auths: BTreeMap<String, EnvAuth>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct EnvAuth {
        #[serde(default)]
        auth: String,
    }
    let invalid = |reason: String| ImageError::invalid(ENV_AUTH_CONFIG, reason);
    let config: EnvConfig = serde_json::from_str(text).map_err(|e| invalid(unexpected_json(&e)))?;
    let Some(entry) = config.auths.get(key) else {
        return Ok(None);
    };
    let basic = decode_auth(&entry.auth).ok_or_else(|| {
        invalid(format!(
            "`auths.\"{key}\".auth` is not base64 of `user:password`"
        ))
    })?;
    Ok(Some(Credentials {
        basic: Some(basic),
        source: format!("`auths.\"{key}\"` in ${ENV_AUTH_CONFIG}"),
        ..Credentials::default()
    }))
}

fn config_path(folder: Option<&Path>) -> Option<PathBuf> {
    let folder = folder
        .map(Path::to_owned)
        .or_else(|| std::env::var_os("DOCKER_CONFIG").map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".docker")))?;
    Some(folder.join("config.json"))
}

/// The `auths` entry for `key`: exactly that key, else the first whose URL reduces to it.
fn from_auths(
    auths: &BTreeMap<String, AuthEntry>,
    key: &str,
    file: &str,
) -> Result<Option<Credentials>, ImageError> {
    let found = auths.get_key_value(key).or_else(|| {
        auths
            .iter()
            .find(|(written, _)| hostname_of(written) == key)
    });
    let Some((written, entry)) = found else {
        return Ok(None);
    };
    let source = format!("`auths.\"{written}\"` in {file}");
    let present = |value: &Option<String>| value.clone().filter(|v| !v.is_empty());
    let basic = match present(&entry.auth) {
        Some(auth) => Some(decode_auth(&auth).ok_or_else(|| {
            ImageError::invalid(
                file,
                format!("`auths.\"{written}\".auth` is not base64 of `user:password`"),
            )
        })?),
        None => match (present(&entry.username), present(&entry.password)) {
            (Some(username), Some(password)) => Some((username, password)),
            _ => None,
        },
    };
    Ok(Some(Credentials {
        basic,
        identity_token: present(&entry.identitytoken),
        registry_token: present(&entry.registrytoken),
        source,
    }))
}

/// `user:password` from base64, as Docker decodes it: a user name is required, NULs that pad
/// the password are dropped.
fn decode_auth(auth: &str) -> Option<(String, String)> {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(auth.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (username, password) = decoded.split_once(':')?;
    (!username.is_empty()).then(|| (username.to_owned(), password.trim_matches('\0').to_owned()))
}

/// The `host[:port]` of an `auths` key written as a URL (`https://ghcr.io/v2/`), or its part
/// before the first `/`.
fn hostname_of(key: &str) -> &str {
    let Some((_, rest)) = key.split_once("://") else {
        return key.split('/').next().unwrap_or(key);
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let has_port = host_port
        .rsplit_once(':')
        .is_some_and(|(_, port)| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()));
    if has_port {
        host_port
    } else {
        let host = host_port.trim_end_matches(':');
        host.strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host)
    }
}

/// A credential helper program and the setting that chose it.
struct Helper {
    program: String,
    named_by: String,
}

impl Helper {
    fn failed(&self, key: &str, reason: impl std::fmt::Display) -> ImageError {
        ImageError::Credentials {
            registry: key.to_owned(),
            reason: format!(
                "credential helper `{}` ({}) {reason}",
                self.program, self.named_by
            ),
        }
    }

    /// Runs `docker-credential-NAME get` for `key`.
    fn get(
        &self,
        key: &str,
        helper_path: Option<&OsStr>,
    ) -> Result<Option<Credentials>, ImageError> {
        let search: Option<OsString> = helper_path
            .map(ToOwned::to_owned)
            .or_else(|| std::env::var_os("PATH"));
        let program = search
            .iter()
            .flat_map(std::env::split_paths)
            .map(|folder| folder.join(&self.program))
            .find(|candidate| is_executable(candidate))
            .ok_or_else(|| self.failed(key, "is not installed: no such program on PATH"))?;
        let mut child = Command::new(&program)
            .arg("get")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| self.failed(key, format_args!("could not be started: {e}")))?;
        if let Some(mut stdin) = child.stdin.take() {
            // A helper that exits without reading is judged by its exit status below.
            let _ = stdin.write_all(key.as_bytes());
        }
        let output = child
            .wait_with_output()
            .map_err(|e| self.failed(key, format_args!("could not be run: {e}")))?;
        if !output.status.success() {
            let said = String::from_utf8_lossy(&output.stdout);
            let said = said.trim();
            if said == HELPER_NOT_FOUND {
                return Ok(None);
            }
            let said = if said.is_empty() {
                String::from_utf8_lossy(&output.stderr).trim().to_owned()
            } else {
                said.to_owned()
            };
            return Err(self.failed(
                key,
                format_args!("failed ({}){}", output.status, excerpt(&said)),
            ));
        }
        // The answer holds the secret: a parse error says what is wrong, never what was read.
        let not_json = || self.failed(key, "did not answer a JSON object");
        let answer: serde_json::Value =
            serde_json::from_slice(&output.stdout).map_err(|_| not_json())?;
        let answer = answer.as_object().ok_or_else(not_json)?;
        // Field names match case-insensitively, as Go's JSON decoding does.
        let field = |name: &str| {
            answer
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .and_then(|(_, v)| v.as_str())
                .map(str::to_owned)
        };
        let username = field("Username").unwrap_or_default();
        let secret = field("Secret").unwrap_or_default();
        let source = format!("credential helper `{}` ({})", self.program, self.named_by);
        Ok(Some(if username == IDENTITY_TOKEN_USER {
            Credentials {
                identity_token: Some(secret).filter(|s| !s.is_empty()),
                source,
                ..Credentials::default()
            }
        } else {
            Credentials {
                basic: (!username.is_empty() || !secret.is_empty()).then_some((username, secret)),
                source,
                ..Credentials::default()
            }
        }))
    }
}

/// The first line of what a failed helper said, shortened, as `: text`.
fn excerpt(said: &str) -> String {
    let line = said.lines().next().unwrap_or("").trim();
    if line.is_empty() {
        return String::new();
    }
    let mut short: String = line.chars().take(200).collect();
    if short.len() < line.len() {
        short.push('…');
    }
    format!(": {short}")
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{helper_was_asked, write_credential_helper};

    /// A Docker configuration folder holding `config` and the helpers `helpers` (name, answer,
    /// exit status), with the helpers on the search path.
    struct Setup {
        dir: tempfile::TempDir,
    }

    impl Setup {
        fn new(config: serde_json::Value, helpers: &[(&str, &str, i32)]) -> Setup {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("config.json"), config.to_string()).unwrap();
            for (name, answer, status) in helpers {
                write_credential_helper(dir.path(), name, answer, *status);
            }
            Setup { dir }
        }

        fn lookup(&self, registry: &str) -> Result<Option<Credentials>, ImageError> {
            credentials_for(
                registry,
                Places {
                    docker_config: Some(self.dir.path()),
                    helper_path: Some(self.dir.path().as_os_str()),
                    env_auth_config: None,
                },
            )
        }

        /// `user:password` or `identity token` or `registry token`, and where from.
        fn describe(&self, registry: &str) -> Option<(String, String)> {
            let credentials = self.lookup(registry).unwrap()?;
            let what = match (
                &credentials.basic,
                &credentials.identity_token,
                &credentials.registry_token,
            ) {
                (Some((user, password)), None, None) => format!("{user}:{password}"),
                (None, Some(token), None) => format!("identity {token}"),
                (None, None, Some(token)) => format!("registry {token}"),
                _ => "mixed".to_owned(),
            };
            Some((what, credentials.source))
        }

        fn asked(&self, helper: &str) -> Option<String> {
            helper_was_asked(self.dir.path(), helper)
        }
    }

    const PER_HOST: &str = r#"{"ServerURL":"r.example","Username":"per","Secret":"per-secret"}"#;
    const STORE: &str = r#"{"ServerURL":"x","Username":"store","Secret":"store-secret"}"#;

    fn user(described: Option<(String, String)>) -> Option<String> {
        described.map(|(what, _)| what)
    }

    #[test]
    fn cred_helpers_then_creds_store_then_auths() {
        let setup = Setup::new(
            serde_json::json!({
                "auths": {"r.example": {"auth": "ZmlsZTpmaWxlLXBhc3M="}, "o.example": {"auth": "ZmlsZTpmaWxlLXBhc3M="}},
                "credsStore": "store",
                "credHelpers": {"r.example": "per", "https://s.example": "per"},
            }),
            &[("per", PER_HOST, 0), ("store", STORE, 0)],
        );
        let (what, source) = setup.describe("r.example").unwrap();
        assert_eq!(what, "per:per-secret");
        assert!(source.contains("docker-credential-per"), "{source}");
        assert!(source.contains("`credHelpers`"), "{source}");
        assert_eq!(setup.asked("per").as_deref(), Some("r.example"));
        // credsStore wins over an `auths` entry for the same host.
        let (what, source) = setup.describe("o.example").unwrap();
        assert_eq!(what, "store:store-secret");
        assert!(source.contains("`credsStore`"), "{source}");
        assert_eq!(setup.asked("store").as_deref(), Some("o.example"));
        // credHelpers keys match exactly: one written as a URL does not name the host.
        assert_eq!(
            user(setup.describe("s.example")).unwrap(),
            "store:store-secret"
        );
        // An empty helper name keeps the registry out of credsStore, in `auths`.
        let setup = Setup::new(
            serde_json::json!({
                "auths": {"r.example": {"auth": "ZmlsZTpmaWxlLXBhc3M="}},
                "credsStore": "store",
                "credHelpers": {"r.example": ""},
            }),
            &[("store", STORE, 0)],
        );
        assert_eq!(user(setup.describe("r.example")).unwrap(), "file:file-pass");
        assert_eq!(setup.asked("store"), None);
    }

    #[test]
    fn auths_by_exact_key_then_by_host_of_a_url_key() {
        let setup = Setup::new(
            serde_json::json!({"auths": {
                "https://index.docker.io/v1/": {"auth": "aHViOmh1YnBhc3M="},
                "docker.io": {"auth": "d3Jvbmc6d3Jvbmc="},
                "ghcr.io": {"username": "bot", "password": "pw"},
                "https://r.example:5000/v2/": {"auth": "dXJsOnVybC1wYXNz"},
                "http://plain.example/": {"identitytoken": "refresh-1"},
                "tokens.example": {"registrytoken": "bearer-1"},
                "localhost:5000": {"auth": "bm9jb2xvbg=="},
                "empty.example": {},
            }}),
            &[],
        );
        assert_eq!(user(setup.describe("docker.io")).unwrap(), "hub:hubpass");
        assert_eq!(
            user(setup.describe("index.docker.io")).unwrap(),
            "hub:hubpass"
        );
        let (what, source) = setup.describe("ghcr.io").unwrap();
        assert_eq!(what, "bot:pw");
        assert!(source.starts_with("`auths.\"ghcr.io\"` in "), "{source}");
        assert_eq!(
            user(setup.describe("r.example:5000")).unwrap(),
            "url:url-pass"
        );
        assert_eq!(
            user(setup.describe("r.example")),
            None,
            "the port is part of the host"
        );
        assert_eq!(
            user(setup.describe("plain.example")).unwrap(),
            "identity refresh-1"
        );
        assert_eq!(
            user(setup.describe("tokens.example")).unwrap(),
            "registry bearer-1"
        );
        assert_eq!(user(setup.describe("quay.io")), None);
        assert_eq!(user(setup.describe("empty.example")), None);
        let error = setup.lookup("localhost:5000").err().unwrap().to_string();
        assert!(
            error.contains("`auths.\"localhost:5000\".auth` is not base64 of `user:password`"),
            "{error}"
        );
    }

    #[test]
    fn docker_hub_is_asked_for_by_its_index_url() {
        let setup = Setup::new(
            serde_json::json!({"credHelpers": {"https://index.docker.io/v1/": "hub"}}),
            &[("hub", r#"{"Username":"<token>","Secret":"hub-refresh"}"#, 0)],
        );
        assert_eq!(
            user(setup.describe("docker.io")).unwrap(),
            "identity hub-refresh"
        );
        assert_eq!(setup.asked("hub").as_deref(), Some(DOCKER_HUB_KEY));
        assert_eq!(user(setup.describe("ghcr.io")), None);
    }

    #[test]
    fn a_helper_without_credentials_means_anonymous_even_with_auths() {
        let setup = Setup::new(
            serde_json::json!({"credsStore": "empty", "auths": {"r.example": {"username": "u", "password": "p"}}}),
            &[("empty", HELPER_NOT_FOUND, 1)],
        );
        assert_eq!(user(setup.describe("r.example")), None);
        assert_eq!(setup.asked("empty").as_deref(), Some("r.example"));
    }

    #[test]
    fn missing_and_failing_helpers_are_named_without_secrets() {
        let setup = Setup::new(
            serde_json::json!({"credHelpers": {
                "missing.example": "absent",
                "failing.example": "failing",
                "garbled.example": "garbled",
                "list.example": "list",
            }}),
            &[
                ("failing", "error getting credentials: keychain locked", 1),
                ("garbled", "Username=u Secret=s3cr3t-value", 0),
                ("list", r#"["s3cr3t-value"]"#, 0),
            ],
        );
        let message = |registry: &str| setup.lookup(registry).err().unwrap().to_string();
        let missing = message("missing.example");
        assert!(
            missing.starts_with("credentials for missing.example: credential helper `docker-credential-absent` (`credHelpers` in "),
            "{missing}"
        );
        assert!(
            missing.ends_with("is not installed: no such program on PATH"),
            "{missing}"
        );
        let failing = message("failing.example");
        assert!(failing.contains("`docker-credential-failing`"), "{failing}");
        assert!(failing.contains("failing.example"), "{failing}");
        assert!(failing.contains("exit status: 1"), "{failing}");
        assert!(
            failing.contains(": error getting credentials: keychain locked"),
            "{failing}"
        );
        for registry in ["garbled.example", "list.example"] {
            let garbled = message(registry);
            assert!(
                garbled.ends_with("did not answer a JSON object"),
                "{garbled}"
            );
            assert!(!garbled.contains("s3cr3t"), "{garbled}");
        }
    }

    #[test]
    fn docker_auth_config_comes_first_for_its_keys() {
        let setup = Setup::new(
            serde_json::json!({"credsStore": "store", "auths": {"ghcr.io": {"auth": "ZmlsZTpmaWxlLXBhc3M="}}}),
            &[("store", STORE, 0)],
        );
        let lookup = |env: &str, registry: &str| {
            credentials_for(
                registry,
                Places {
                    docker_config: Some(setup.dir.path()),
                    helper_path: Some(setup.dir.path().as_os_str()),
                    env_auth_config: Some(env),
                },
            )
            .map(|found| found.map(|c| (c.basic, c.source)))
        };
        let env = r#"{"auths": {"r.example": {"auth": "ZW52OmVudi1wYXNz"}, "https://index.docker.io/v1/": {"auth": "aHViOmh1YnBhc3M="}}}"#;
        let (basic, source) = lookup(env, "r.example").unwrap().unwrap();
        assert_eq!(basic, Some(("env".to_owned(), "env-pass".to_owned())));
        assert_eq!(source, "`auths.\"r.example\"` in $DOCKER_AUTH_CONFIG");
        assert_eq!(setup.asked("store"), None, "the helper is not run");
        let (basic, _) = lookup(env, "docker.io").unwrap().unwrap();
        assert_eq!(basic, Some(("hub".to_owned(), "hubpass".to_owned())));
        // Other registries fall through to the configuration file.
        let (basic, _) = lookup(env, "o.example").unwrap().unwrap();
        assert_eq!(basic, Some(("store".to_owned(), "store-secret".to_owned())));
        // Nothing but `auth` is allowed, and errors never quote the value.
        for bad in [
            r#"{"auths": {"r.example": {"username": "u", "password": "s3cr3t"}}}"#,
            r#"{"auths": {"r.example": "s3cr3t"}}"#,
            r#"{"auths": {"r.example": {"auth": "czNjcjN0"}}}"#,
            r#"{"auths": {}} {"auths": {}}"#,
        ] {
            let error = lookup(bad, "r.example").err().unwrap().to_string();
            assert!(error.starts_with("DOCKER_AUTH_CONFIG: "), "{error}");
            assert!(!error.contains("s3cr3t"), "{error}");
        }
    }

    #[test]
    fn config_errors_do_not_quote_values() {
        let setup = Setup::new(serde_json::json!({"auths": {"r.example": "c2VjcmV0"}}), &[]);
        let error = setup.lookup("r.example").err().unwrap().to_string();
        assert!(
            error.contains("not the JSON Docker expects (data error at line 1 column"),
            "{error}"
        );
        assert!(!error.contains("c2VjcmV0"), "{error}");
    }

    #[test]
    fn hostnames_of_auths_keys() {
        assert_eq!(hostname_of("https://ghcr.io/v2/"), "ghcr.io");
        assert_eq!(hostname_of("http://localhost:5000"), "localhost:5000");
        assert_eq!(hostname_of("https://user@r.example:443/x"), "r.example:443");
        assert_eq!(hostname_of("https://[::1]/v1/"), "::1");
        assert_eq!(hostname_of("https://[::1]:5000/v1/"), "[::1]:5000");
        assert_eq!(hostname_of("r.example/v1/"), "r.example");
        assert_eq!(hostname_of("r.example"), "r.example");
    }
}
