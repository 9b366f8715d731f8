//! A real registry for tests: Debian's `docker-registry` (the CNCF distribution registry)
//! started on a free loopback port with a temporary storage folder, and a minimal push client
//! over the distribution API to fill it with images built from descriptions.

mod token;

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;

use crate::Digest;
use crate::build::{BuiltImage, MANIFEST_MEDIA_TYPE};
use token::{Grant, Issuer};
pub use token::{ISSUER, SERVICE, TokenRequest, TokenService};

/// Where the registry binary is: `$RAMPART_DOCKER_REGISTRY`, else Debian's path.
fn binary() -> PathBuf {
    std::env::var_os("RAMPART_DOCKER_REGISTRY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/docker-registry"))
}

/// A running registry, stopped when dropped.
pub struct Registry {
    child: Child,
    /// `127.0.0.1:PORT`
    pub host: String,
    auth: Auth,
    _storage: tempfile::TempDir,
}

/// How a registry authenticates clients, and how the harness's push client gets in.
enum Auth {
    Anonymous,
    /// HTTP basic against an htpasswd file holding this user.
    Basic {
        username: String,
        password: String,
    },
    /// Bearer tokens from a token service; the harness signs its own push tokens.
    Token {
        realm: String,
        issuer: Arc<Issuer>,
    },
}

impl Registry {
    /// Starts a registry without authentication.
    pub fn start() -> Registry {
        Registry::launch(Auth::Anonymous)
    }

    /// Starts a registry that requires `username` and `password` (HTTP basic, htpasswd).
    pub fn start_with_basic_auth(username: &str, password: &str) -> Registry {
        Registry::launch(Auth::Basic {
            username: username.to_owned(),
            password: password.to_owned(),
        })
    }

    /// Starts a registry that requires bearer tokens from `tokens` (its `auth: token:`
    /// configuration, with [`SERVICE`], [`ISSUER`] and the service's certificate).
    pub fn start_with_token_auth(tokens: &TokenService) -> Registry {
        Registry::launch(Auth::Token {
            realm: tokens.realm.clone(),
            issuer: tokens.issuer.clone(),
        })
    }

    fn launch(auth: Auth) -> Registry {
        let binary = binary();
        assert!(
            binary.is_file(),
            "{} is missing: the registry tests need Debian's docker-registry package \
             (`apt-get install -y docker-registry`, as .ci/run does), or set \
             RAMPART_DOCKER_REGISTRY to a registry binary",
            binary.display()
        );
        let storage = tempfile::tempdir().expect("a temporary folder");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let host = format!("127.0.0.1:{port}");
        let mut config = format!(
            "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: {host}\n",
            storage.path().join("data").display()
        );
        match &auth {
            Auth::Anonymous => {}
            Auth::Basic { username, password } => {
                let hash = bcrypt::hash(password, 4).expect("bcrypt");
                let htpasswd = storage.path().join("htpasswd");
                std::fs::write(&htpasswd, format!("{username}:{hash}\n")).expect("htpasswd");
                config.push_str(&format!(
                    "auth:\n  htpasswd:\n    realm: rampart-test\n    path: {}\n",
                    htpasswd.display()
                ));
            }
            Auth::Token { realm, issuer } => config.push_str(&format!(
                "auth:\n  token:\n    realm: {realm}\n    service: {SERVICE}\n    issuer: {ISSUER}\n    rootcertbundle: {}\n",
                issuer.bundle.display()
            )),
        }
        let config_path = storage.path().join("config.yml");
        std::fs::write(&config_path, config).expect("registry config");
        let child = Command::new(&binary)
            .arg("serve")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let registry = Registry {
            child,
            host,
            auth,
            _storage: storage,
        };
        registry.wait_until_ready();
        registry
    }

    fn wait_until_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let agent = agent();
        loop {
            let url = format!("http://{}/v2/", self.host);
            if let Ok(response) = agent.get(&url).call()
                && matches!(response.status().as_u16(), 200 | 401)
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "docker-registry did not answer on {} within 20 s",
                self.host
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Lets the push client in to `repository`.
    fn authorize(
        &self,
        request: ureq::RequestBuilder<ureq::typestate::WithBody>,
        repository: &str,
    ) -> ureq::RequestBuilder<ureq::typestate::WithBody> {
        match &self.auth {
            Auth::Anonymous => request,
            Auth::Basic { username, password } => {
                request.header("Authorization", basic(username, password))
            }
            Auth::Token { issuer, .. } => {
                let grant = Grant {
                    repository: repository.to_owned(),
                    actions: vec!["pull".to_owned(), "push".to_owned()],
                };
                let token = issuer.token("rampart-test-harness", SERVICE, &[grant]);
                request.header("Authorization", format!("Bearer {token}"))
            }
        }
    }

    /// Uploads a blob (monolithic upload: POST, then PUT with the digest).
    pub fn push_blob(&self, repository: &str, digest: &Digest, bytes: &[u8]) {
        let agent = agent();
        let start = format!("http://{}/v2/{repository}/blobs/uploads/", self.host);
        let response = self
            .authorize(agent.post(&start), repository)
            .send(&[][..])
            .expect("upload start");
        assert_eq!(response.status().as_u16(), 202, "upload start for {digest}");
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .expect("upload location")
            .to_owned();
        let location = if location.starts_with("http") {
            location
        } else {
            format!("http://{}{location}", self.host)
        };
        let separator = if location.contains('?') { '&' } else { '?' };
        let url = format!("{location}{separator}digest={digest}");
        let response = self
            .authorize(agent.put(&url), repository)
            .header("Content-Type", "application/octet-stream")
            .send(bytes)
            .expect("upload");
        assert_eq!(response.status().as_u16(), 201, "upload of {digest}");
    }

    /// Uploads a manifest or index under `reference` (a tag or its digest).
    pub fn push_manifest(&self, repository: &str, reference: &str, media_type: &str, bytes: &[u8]) {
        let url = format!("http://{}/v2/{repository}/manifests/{reference}", self.host);
        let response = self
            .authorize(agent().put(&url), repository)
            .header("Content-Type", media_type)
            .send(bytes)
            .expect("manifest upload");
        let status = response.status().as_u16();
        if status != 201 {
            let mut body = String::new();
            let _ = response
                .into_body()
                .into_reader()
                .take(4096)
                .read_to_string(&mut body);
            panic!("manifest upload answered {status}: {body}");
        }
    }

    /// Pushes a built image's blobs and manifest, tagged `tag`.
    pub fn push(&self, repository: &str, tag: &str, image: &BuiltImage) {
        self.push_blob(repository, &image.config_digest, &image.config);
        for layer in &image.layers {
            self.push_blob(repository, &layer.digest, &layer.blob);
        }
        self.push_manifest(repository, tag, MANIFEST_MEDIA_TYPE, &image.manifest);
    }

    /// Writes a Docker `config.json` holding this registry's credentials into `folder`.
    pub fn write_docker_config(&self, folder: &Path) {
        let Auth::Basic { username, password } = &self.auth else {
            panic!("write_docker_config needs a registry started with basic auth");
        };
        let auth =
            base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
        let config = serde_json::json!({"auths": {self.host.clone(): {"auth": auth}}});
        std::fs::write(folder.join("config.json"), config.to_string()).expect("config.json");
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes an executable `docker-credential-NAME` into `folder`, a credential helper that
/// answers `get` by printing `answer` and exiting with `status`, and records the server URL it
/// was given on stdin in `folder/NAME.asked` (see [`helper_was_asked`]).
pub fn write_credential_helper(folder: &Path, name: &str, answer: &str, status: i32) {
    let asked = folder.join(format!("{name}.asked"));
    let script = format!(
        "#!/bin/sh\n[ \"$1\" = get ] || exit 64\nIFS= read -r server\nprintf '%s' \"$server\" > '{}'\n\
         cat <<'ANSWER'\n{answer}\nANSWER\nexit {status}\n",
        asked.display()
    );
    let path = folder.join(format!("docker-credential-{name}"));
    // Written under another name and renamed, so no one runs a half-written file; and written
    // by a child `sh`, not by this process: a process another test thread forks meanwhile
    // would inherit a write descriptor of ours until it execs, and running the script then
    // fails with "text file busy" (ETXTBSY).
    let partial = folder.join(format!(".docker-credential-{name}.partial"));
    let mut writer = Command::new("sh")
        .args(["-c", "cat > \"$1\" && chmod 755 \"$1\"", "sh"])
        .arg(&partial)
        .stdin(Stdio::piped())
        .spawn()
        .expect("sh");
    writer
        .stdin
        .take()
        .expect("piped")
        .write_all(script.as_bytes())
        .expect("helper script");
    assert!(
        writer.wait().expect("sh").success(),
        "writing {}",
        partial.display()
    );
    std::fs::rename(&partial, &path).expect("helper in place");
}

/// The server URL the helper `name` written by [`write_credential_helper`] was last asked
/// for, or `None` when it was not run.
pub fn helper_was_asked(folder: &Path, name: &str) -> Option<String> {
    std::fs::read_to_string(folder.join(format!("{name}.asked"))).ok()
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}
