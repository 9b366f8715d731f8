//! A token service for tests, in the shape of the distribution token specification: it
//! answers on loopback at `/token`, authenticates the client (HTTP basic on GET, the OAuth2
//! refresh-token or password grant on POST), and issues ES256 JWTs whose certificate the test
//! registry trusts (`rootcertbundle`). Every request is recorded so tests can check what the
//! client asked for.

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};

/// The `service` the test registry names in its challenges (the tokens' audience).
pub const SERVICE: &str = "rampart-test-registry";

/// The `iss` of the tokens, which the test registry trusts.
pub const ISSUER: &str = "rampart-test-issuer";

/// Signs the registry's tokens; shared by the token service and the harness's push client.
pub(crate) struct Issuer {
    key: EcdsaKeyPair,
    /// DER of the self-signed certificate of `key`, sent in each token's `x5c` header.
    certificate: Vec<u8>,
    /// The certificate as PEM, the registry's `rootcertbundle`.
    pub(crate) bundle: PathBuf,
    rng: SystemRandom,
}

impl Issuer {
    fn new(folder: &Path) -> Issuer {
        let key_pair =
            rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("a P-256 key");
        let certificate = rcgen::CertificateParams::new(vec![ISSUER.to_owned()])
            .expect("certificate parameters")
            .self_signed(&key_pair)
            .expect("a self-signed certificate");
        let bundle = folder.join("token-issuer.pem");
        std::fs::write(&bundle, certificate.pem()).expect("rootcertbundle");
        let rng = SystemRandom::new();
        let key = EcdsaKeyPair::from_pkcs8(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            &key_pair.serialize_der(),
            &rng,
        )
        .expect("the key in ring");
        Issuer {
            key,
            certificate: certificate.der().to_vec(),
            bundle,
            rng,
        }
    }

    /// A JWT for `audience` granting `actions` on each repository of `grants`.
    pub(crate) fn token(&self, subject: &str, audience: &str, grants: &[Grant]) -> String {
        let url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        let header = serde_json::json!({
            "typ": "JWT",
            "alg": "ES256",
            "x5c": [base64::engine::general_purpose::STANDARD.encode(&self.certificate)],
        });
        let access: Vec<_> = grants
            .iter()
            .map(|grant| {
                serde_json::json!({
                    "type": "repository", "name": grant.repository, "actions": grant.actions,
                })
            })
            .collect();
        let claims = serde_json::json!({
            "iss": ISSUER, "sub": subject, "aud": audience, "iat": now, "nbf": now - 10,
            "exp": now + 300, "jti": format!("{now}-{subject}"), "access": access,
        });
        let signed = format!(
            "{}.{}",
            url.encode(header.to_string()),
            url.encode(claims.to_string())
        );
        let signature = self
            .key
            .sign(&self.rng, signed.as_bytes())
            .expect("an ES256 signature");
        format!("{signed}.{}", url.encode(signature.as_ref()))
    }
}

/// Actions granted on one repository.
#[derive(Debug)]
pub(crate) struct Grant {
    pub(crate) repository: String,
    pub(crate) actions: Vec<String>,
}

/// One request the token service received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    /// `GET` or `POST`.
    pub method: String,
    /// Query parameters (GET) or form fields (POST), decoded, in order; secrets included.
    pub parameters: Vec<(String, String)>,
    /// The user name of an HTTP basic `Authorization` header.
    pub basic_user: Option<String>,
}

impl TokenRequest {
    /// The values of parameter `name`.
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.parameters
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

/// Who may have tokens: users with passwords, and identity (refresh) tokens with their user.
#[derive(Default)]
struct Accounts {
    passwords: BTreeMap<String, String>,
    refresh_tokens: BTreeMap<String, String>,
}

/// A running token service, stopped when dropped.
pub struct TokenService {
    /// The URL the registry sends clients to: `http://127.0.0.1:PORT/token`.
    pub realm: String,
    pub(crate) issuer: Arc<Issuer>,
    requests: Arc<Mutex<Vec<TokenRequest>>>,
    address: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    _folder: tempfile::TempDir,
}

impl TokenService {
    /// Starts a service that gives `users` (name, password) pull and push on every repository,
    /// also when they come with one of `refresh_tokens` (token, user); anonymous clients get
    /// tokens granting nothing, wrong credentials get HTTP 401.
    pub fn start(users: &[(&str, &str)], refresh_tokens: &[(&str, &str)]) -> TokenService {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let issuer = Arc::new(Issuer::new(folder.path()));
        let accounts = Arc::new(Accounts {
            passwords: users
                .iter()
                .map(|(user, password)| (user.to_string(), password.to_string()))
                .collect(),
            refresh_tokens: refresh_tokens
                .iter()
                .map(|(token, user)| (token.to_string(), user.to_string()))
                .collect(),
        });
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let address = listener.local_addr().expect("its address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (issuer, requests, stop) = (issuer.clone(), requests.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        serve(stream, &issuer, &accounts, &requests);
                    }
                }
            })
        };
        TokenService {
            realm: format!("http://{address}/token"),
            issuer,
            requests,
            address,
            stop,
            thread: Some(thread),
            _folder: folder,
        }
    }

    /// A token for `subject` granting `actions` on `repository`, as the service would issue.
    pub fn issue(&self, subject: &str, repository: &str, actions: &[&str]) -> String {
        let grant = Grant {
            repository: repository.to_owned(),
            actions: actions.iter().map(|a| a.to_string()).collect(),
        };
        self.issuer.token(subject, SERVICE, &[grant])
    }

    /// The requests received so far, oldest first.
    pub fn requests(&self) -> Vec<TokenRequest> {
        self.requests.lock().expect("not poisoned").clone()
    }
}

impl Drop for TokenService {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.address);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers one HTTP/1.1 request and closes the connection.
fn serve(
    mut stream: TcpStream,
    issuer: &Issuer,
    accounts: &Accounts,
    requests: &Mutex<Vec<TokenRequest>>,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some((head, body)) = read_request(&mut stream) else {
        return;
    };
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or("").to_owned();
    let target = parts.next().unwrap_or("");
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let form = if method == "POST" {
        String::from_utf8_lossy(&body).into_owned()
    } else {
        query.to_owned()
    };
    let parameters = parse_form(&form);
    let basic = header("authorization")
        .and_then(|value| value.strip_prefix("Basic "))
        .and_then(|encoded| {
            base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .ok()
        })
        .and_then(|decoded| String::from_utf8(decoded).ok())
        .and_then(|pair| {
            pair.split_once(':')
                .map(|(user, password)| (user.to_owned(), password.to_owned()))
        });
    let request = TokenRequest {
        method: method.clone(),
        parameters,
        basic_user: basic.as_ref().map(|(user, _)| user.clone()),
    };
    requests.lock().expect("not poisoned").push(request.clone());
    let (status, answer) = if path != "/token" {
        (404, serde_json::json!({"details": "not found"}))
    } else {
        answer(&request, basic.as_ref(), issuer, accounts)
    };
    let body = answer.to_string();
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        _ => "Not Found",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// The token, or the refusal, for one request.
fn answer(
    request: &TokenRequest,
    basic: Option<&(String, String)>,
    issuer: &Issuer,
    accounts: &Accounts,
) -> (u16, serde_json::Value) {
    let refused = || (401, serde_json::json!({"details": "invalid credentials"}));
    let first = |name: &str| request.values(name).first().map(|v| v.to_string());
    let password_matches = |user: &str, password: &str| {
        accounts
            .passwords
            .get(user)
            .is_some_and(|expected| expected == password)
    };
    let (subject, scopes) = if request.method == "POST" {
        let subject = match first("grant_type").as_deref() {
            Some("refresh_token") => first("refresh_token")
                .and_then(|token| accounts.refresh_tokens.get(&token).cloned()),
            Some("password") => match (first("username"), first("password")) {
                (Some(user), Some(password)) if password_matches(&user, &password) => Some(user),
                _ => None,
            },
            _ => {
                return (
                    400,
                    serde_json::json!({"details": "unsupported grant type"}),
                );
            }
        };
        let Some(subject) = subject else {
            return refused();
        };
        // OAuth2 joins scopes with spaces.
        let scopes: Vec<String> = request
            .values("scope")
            .iter()
            .flat_map(|scope| scope.split(' '))
            .map(str::to_owned)
            .collect();
        (subject, scopes)
    } else {
        let subject = match basic {
            Some((user, password)) if password_matches(user, password) => user.clone(),
            Some(_) => return refused(),
            None => String::new(),
        };
        let scopes = request
            .values("scope")
            .iter()
            .map(|s| s.to_string())
            .collect();
        (subject, scopes)
    };
    // Known users get what they ask for on repositories; anonymous clients get nothing.
    let grants: Vec<Grant> = if subject.is_empty() {
        Vec::new()
    } else {
        scopes
            .iter()
            .filter_map(|scope| {
                let rest = scope.strip_prefix("repository:")?;
                let (repository, actions) = rest.rsplit_once(':')?;
                Some(Grant {
                    repository: repository.to_owned(),
                    actions: actions.split(',').map(str::to_owned).collect(),
                })
            })
            .collect()
    };
    let token = issuer.token(&subject, &first("service").unwrap_or_default(), &grants);
    if request.method == "POST" {
        (
            200,
            serde_json::json!({"access_token": token, "expires_in": 300}),
        )
    } else {
        (200, serde_json::json!({"token": token, "expires_in": 300}))
    }
}

/// The request head (up to the blank line) and a body of `Content-Length` bytes.
fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        if buffer.len() > 64 * 1024 {
            return None;
        }
        let read = stream.read(&mut chunk).ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
    let length: usize = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    let mut body = buffer[end + 4..].to_vec();
    while body.len() < length.min(64 * 1024) {
        let read = stream.read(&mut chunk).ok()?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Some((head, body))
}

/// `a=1&b=x%3Ay` (application/x-www-form-urlencoded) as decoded pairs.
fn parse_form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = bytes
            .get(i + 1..i + 3)
            .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[i], escaped) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
                continue;
            }
            (b'+', _) => decoded.push(b' '),
            (byte, _) => decoded.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}
