//! A client of the OCI distribution API (the Docker Registry HTTP API V2), blocking: manifests
//! by tag or digest, indexes resolved by platform, blobs streamed into the same reader as
//! layouts and archives. HTTPS by default; plain HTTP for loopback registries and those the
//! user names. Credentials come from Docker's `config.json` and its credential helpers (see
//! `credentials`); bearer tokens are fetched when a registry's `WWW-Authenticate` challenge
//! asks for one.

use std::ffi::OsString;
use std::io::Read;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;
use rampart_core::{DEFAULT_REGISTRY, ImageRef};

use crate::credentials::{Credentials, ENV_AUTH_CONFIG, Places, credentials_for};
use crate::read::{Document, ReadOptions, plans_of, read_json, read_plans};
use crate::store::{BlobReader, BlobRef, Store};
use crate::{Digest, Image, ImageError};

/// How to reach registries.
#[derive(Debug, Clone, Default)]
pub struct RegistryOptions {
    /// Registries (`host[:port]`) reached over plain HTTP; loopback ones always are.
    pub insecure: Vec<String>,
    /// The folder of Docker's `config.json`; by default `$DOCKER_CONFIG`, else `~/.docker`.
    pub docker_config: Option<PathBuf>,
    /// Where `docker-credential-*` helpers are looked for, a `PATH`-style list of folders; by
    /// default `$PATH`.
    pub credential_helper_path: Option<OsString>,
}

/// The manifest media types asked for, most specific first.
const MANIFEST_TYPES: &str = "application/vnd.oci.image.index.v1+json, \
     application/vnd.docker.distribution.manifest.list.v2+json, \
     application/vnd.oci.image.manifest.v1+json, \
     application/vnd.docker.distribution.manifest.v2+json";

/// Docker Hub's API host: `docker.io` names the registry, not the server.
const DOCKER_HUB_API: &str = "registry-1.docker.io";

/// The OAuth2 `client_id` sent to token services (a required field of the grant).
const CLIENT_ID: &str = "rampart";

/// Pulls the image `reference` names (`nginx`, `ghcr.io/acme/app:1.2`,
/// `localhost:5000/app@sha256:...`) and reads it like a layout; findings name it by
/// `reference` as written.
pub fn read_reference(
    reference: &str,
    registry: &RegistryOptions,
    options: &ReadOptions<'_>,
) -> Result<Vec<Image>, ImageError> {
    let parsed = ImageRef::parse(reference)
        .map_err(|e| ImageError::invalid(reference, format!("not an image reference: {e}")))?;
    let client = Client::new(&parsed, registry)?;
    let (wanted, expected) = match (parsed.digest, parsed.effective_tag()) {
        (Some(digest), _) => (digest.to_owned(), Some(Digest::parse(digest, reference)?)),
        (None, Some(tag)) => (tag.to_owned(), None),
        (None, None) => unreachable!("a reference has a tag or a digest"),
    };
    let top = BlobRef {
        path: wanted.clone(),
        digest: expected.clone(),
        size: None,
        what: format!("manifest {}", client.describe(&wanted)),
    };
    let (document, bytes): (Document, _) =
        read_json(client.manifest(&wanted, &top.what)?, &top, options.limits)?;
    let name = match parsed.tag {
        Some(tag) => format!("{}:{tag}", parsed.name()),
        None => parsed.name(),
    };
    let plans = plans_of(
        &client,
        document,
        &top.what,
        Some(name),
        Some(expected.unwrap_or_else(|| Digest::of(&bytes))),
        &[],
        0,
        options,
    )?;
    read_plans(&client, plans, reference, options)
}

struct Client {
    agent: ureq::Agent,
    /// `https://host[:port]`
    base: String,
    repository: String,
    credentials: Option<Credentials>,
    /// The `Authorization` header value that last worked (a bearer token once fetched).
    authorization: Mutex<Option<String>>,
}

impl Client {
    fn new(reference: &ImageRef<'_>, options: &RegistryOptions) -> Result<Client, ImageError> {
        let host = if reference.registry == DEFAULT_REGISTRY {
            DOCKER_HUB_API
        } else {
            reference.registry
        };
        let scheme = if plain_http(host, &options.insecure) {
            "http"
        } else {
            "https"
        };
        let env_auth_config = std::env::var(ENV_AUTH_CONFIG).ok();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(15)))
            .timeout_recv_response(Some(Duration::from_secs(60)))
            .user_agent(concat!("rampart/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Client {
            agent,
            base: format!("{scheme}://{host}"),
            repository: reference.repository(),
            credentials: credentials_for(
                reference.registry,
                Places {
                    docker_config: options.docker_config.as_deref(),
                    helper_path: options.credential_helper_path.as_deref(),
                    env_auth_config: env_auth_config.as_deref(),
                },
            )?,
            authorization: Mutex::new(None),
        })
    }

    fn describe(&self, reference: &str) -> String {
        format!("{}/{}:{reference}", self.base, self.repository).replacen(":sha256", "@sha256", 1)
    }

    fn manifest(&self, reference: &str, what: &str) -> Result<BlobReader<'_>, ImageError> {
        let url = format!("{}/v2/{}/manifests/{reference}", self.base, self.repository);
        self.get(&url, Some(MANIFEST_TYPES), what)
    }

    /// GET with the current authorization; on a 401 answers the challenge once and retries.
    fn get(
        &self,
        url: &str,
        accept: Option<&str>,
        what: &str,
    ) -> Result<BlobReader<'_>, ImageError> {
        let failed = |reason: String| ImageError::Registry {
            what: what.to_owned(),
            reason,
        };
        let send = |authorization: Option<&str>| {
            let mut request = self.agent.get(url);
            if let Some(accept) = accept {
                request = request.header("Accept", accept);
            }
            if let Some(authorization) = authorization {
                request = request.header("Authorization", authorization);
            }
            request.call().map_err(|e| failed(e.to_string()))
        };
        let current = self.authorization.lock().expect("not poisoned").clone();
        let mut response = send(current.as_deref())?;
        if response.status() == 401 {
            let challenge = response
                .headers()
                .get("www-authenticate")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            let authorization = self.answer(&challenge, what)?;
            response = send(Some(&authorization))?;
            *self.authorization.lock().expect("not poisoned") = Some(authorization);
        }
        match response.status().as_u16() {
            200 => Ok(Box::new(response.into_body().into_reader())),
            401 | 403 => Err(failed(format!(
                "access denied (HTTP {}) {}",
                response.status().as_u16(),
                self.tried()
            ))),
            404 => Err(ImageError::Missing {
                what: what.to_owned(),
            }),
            status => Err(failed(format!("HTTP {status}"))),
        }
    }

    /// Which credentials were tried, for a refusal: where they came from, or how to log in.
    fn tried(&self) -> String {
        match &self.credentials {
            Some(credentials) => format!("with the credentials from {}", credentials.source),
            None => "without credentials; log in with `docker login` (credentials are read \
                     from Docker's config.json and its credential helpers)"
                .to_owned(),
        }
    }

    /// The `Authorization` value answering a `WWW-Authenticate` challenge, as Docker's
    /// client does: basic credentials for `Basic`; for `Bearer`, a registry token as it is, or
    /// a token from the realm for this repository's pull scope, obtained with the identity
    /// token (OAuth2 refresh-token grant, POST) or else with the basic credentials (GET).
    fn answer(&self, challenge: &str, what: &str) -> Result<String, ImageError> {
        let failed = |reason: String| ImageError::Registry {
            what: what.to_owned(),
            reason,
        };
        let credentials = self.credentials.as_ref();
        let (scheme, parameters) = challenge.split_once(' ').unwrap_or((challenge, ""));
        if scheme.eq_ignore_ascii_case("basic") {
            return match credentials.and_then(|c| c.basic.as_ref()) {
                Some((username, password)) => Ok(basic(username, password)),
                None => Err(failed(match credentials {
                    Some(credentials) => format!(
                        "the registry wants a user name and password, and {} holds none",
                        credentials.source
                    ),
                    None => format!(
                        "the registry wants a user name and password {}",
                        self.tried()
                    ),
                })),
            };
        }
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(failed(format!(
                "unsupported authentication challenge `{challenge}`"
            )));
        }
        if let Some(token) = credentials.and_then(|c| c.registry_token.as_ref()) {
            return Ok(format!("Bearer {token}"));
        }
        let parameters = challenge_parameters(parameters);
        let get = |key: &str| {
            parameters
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.as_str())
        };
        let realm = get("realm")
            .ok_or_else(|| failed(format!("bearer challenge without realm: `{challenge}`")))?;
        if !(realm.starts_with("https://") || realm.starts_with("http://")) {
            return Err(failed(format!("token realm `{realm}` is not an HTTP URL")));
        }
        let service = get("service").unwrap_or("");
        // Docker asks for the scope it needs, whatever scope the challenge names.
        let scope = format!("repository:{}:pull", self.repository);
        let identity_token = credentials.and_then(|c| c.identity_token.as_ref());
        let response = if let Some(refresh_token) = identity_token {
            self.agent.post(realm).send_form([
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token.as_str()),
                ("service", service),
                ("scope", scope.as_str()),
                ("client_id", CLIENT_ID),
            ])
        } else {
            let mut request = self.agent.get(realm);
            if !service.is_empty() {
                request = request.query("service", service);
            }
            request = request.query("scope", &scope);
            if let Some((username, password)) = credentials.and_then(|c| c.basic.as_ref()) {
                request = request
                    .query("account", username)
                    .header("Authorization", &basic(username, password));
            }
            request.call()
        };
        let response = response.map_err(|e| failed(format!("token request to {realm}: {e}")))?;
        match response.status().as_u16() {
            200 => {}
            status @ (401 | 403) => {
                return Err(failed(format!(
                    "the token service {realm} refused access (HTTP {status}) {}",
                    self.tried()
                )));
            }
            status => {
                return Err(failed(format!(
                    "the token service {realm} answered HTTP {status}"
                )));
            }
        }
        let mut body = Vec::new();
        response
            .into_body()
            .into_reader()
            .take(1 << 20)
            .read_to_end(&mut body)
            .map_err(|e| failed(format!("token response: {e}")))?;
        let token: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| failed(format!("token response is not JSON: {e}")))?;
        // `access_token` is the OAuth2 name, `token` the older one; both mean the same.
        let token = token
            .get("access_token")
            .or_else(|| token.get("token"))
            .and_then(|t| t.as_str())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| failed(format!("the token service {realm} answered no token")))?;
        Ok(format!("Bearer {token}"))
    }
}

/// The `Authorization` value for HTTP basic authentication.
fn basic(username: &str, password: &str) -> String {
    let pair = format!("{username}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

impl Store for Client {
    fn open(&self, blob: &BlobRef) -> Result<BlobReader<'_>, ImageError> {
        let digest = blob.digest.as_ref().ok_or_else(|| ImageError::Missing {
            what: blob.what.clone(),
        })?;
        let url = format!("{}/v2/{}/blobs/{digest}", self.base, self.repository);
        self.get(&url, None, &blob.what)
    }

    fn open_manifest(&self, blob: &BlobRef) -> Result<BlobReader<'_>, ImageError> {
        let digest = blob.digest.as_ref().ok_or_else(|| ImageError::Missing {
            what: blob.what.clone(),
        })?;
        self.manifest(&digest.to_string(), &blob.what)
    }

    fn contains(&self, _path: &str) -> bool {
        false
    }
}

/// `realm="https://auth.docker.io/token",service="registry.docker.io"` as pairs.
fn challenge_parameters(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut rest = text.trim();
    while let Some((key, after)) = rest.split_once('=') {
        let key = key.trim().trim_start_matches(',').trim().to_owned();
        let after = after.trim_start();
        let (value, remaining) = if let Some(quoted) = after.strip_prefix('"') {
            match quoted.find('"') {
                Some(end) => (&quoted[..end], &quoted[end + 1..]),
                None => (quoted, ""),
            }
        } else {
            match after.find(',') {
                Some(end) => (&after[..end], &after[end..]),
                None => (after, ""),
            }
        };
        pairs.push((key, value.to_owned()));
        rest = remaining.trim_start().trim_start_matches(',');
    }
    pairs
}

/// Loopback hosts, and those the user allowed, are reached over plain HTTP.
fn plain_http(host: &str, insecure: &[String]) -> bool {
    let name = match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                name
            } else {
                host
            }
        }),
    };
    let loopback = name == "localhost" || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    loopback
        || insecure
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_parse_quoted_and_bare_values() {
        let pairs = challenge_parameters(
            r#"realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull,push""#,
        );
        assert_eq!(
            pairs,
            [
                (
                    "realm".to_owned(),
                    "https://auth.docker.io/token".to_owned()
                ),
                ("service".to_owned(), "registry.docker.io".to_owned()),
                (
                    "scope".to_owned(),
                    "repository:library/nginx:pull,push".to_owned()
                ),
            ]
        );
        assert_eq!(challenge_parameters("realm=x, service=y").len(), 2);
    }

    #[test]
    fn plain_http_only_for_loopback_and_named_registries() {
        assert!(plain_http("localhost:5000", &[]));
        assert!(plain_http("127.0.0.1:5000", &[]));
        assert!(plain_http("[::1]:5000", &[]));
        assert!(!plain_http("registry.example:5000", &[]));
        assert!(plain_http(
            "registry.example:5000",
            &["registry.example:5000".to_owned()]
        ));
        assert!(!plain_http(
            "registry.example",
            &["registry.example:5000".to_owned()]
        ));
        assert!(!plain_http("127.0.0.1.example.com", &[]));
    }
}
