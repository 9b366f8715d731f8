//! For tests only: a Kubernetes API server as a separate process, and the harness that starts
//! it. The server (`rampart-test-apiserver`, this crate's binary) speaks the protocol on
//! loopback over HTTPS with bearer tokens, serving the objects of a folder: discovery
//! (`/api`, `/apis`, resource lists), `/version`, lists paged with `limit` and `continue`,
//! gets, watches (`?watch=1`, chunked JSON events, the folder's later changes included), the
//! node proxy's `/api/v1/nodes/NAME/proxy/configz` (from a `KubeletConfiguration` named after
//! the node), and `Status` errors: 401 without a known token, 403 for what the user may not
//! read (resources forbidden to all, or RBAC objects enforced), 404. Real clients (`kubectl`,
//! kube-rs) use it with the kubeconfig it writes.
//!
//! ```no_run
//! use rampart_test_apiserver::{ApiServer, Options};
//! let server = ApiServer::start(&Options::new("tests/cluster").forbid("secrets"));
//! // kubectl --kubeconfig server.kubeconfig() get pods -A
//! ```

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

/// The token of the user every server knows, in `system:masters` (allowed everything RBAC
/// could refuse; `--forbid` still applies). Its context is the kubeconfig's current one.
pub const ADMIN_TOKEN: &str = "rampart-test-admin-token";
pub const ADMIN_USER: &str = "rampart-test-admin";

/// How to start a server.
#[derive(Debug, Clone)]
pub struct Options {
    data: PathBuf,
    tokens: Vec<String>,
    forbid: Vec<String>,
    rbac: Option<PathBuf>,
    flaky: Option<(u16, u32)>,
    version: Option<String>,
}

impl Options {
    /// Serves the objects of the folder `data`, to the admin token.
    pub fn new(data: impl Into<PathBuf>) -> Options {
        Options {
            data: data.into(),
            tokens: vec![format!("{ADMIN_TOKEN}={ADMIN_USER},system:masters")],
            forbid: Vec::new(),
            rbac: None,
            flaky: None,
            version: None,
        }
    }

    /// Another token, for `user` in `groups`; its context in the kubeconfig is named `user`.
    pub fn token(mut self, token: &str, user: &str, groups: &[&str]) -> Options {
        let mut spec = format!("{token}={user}");
        for group in groups {
            spec.push(',');
            spec.push_str(group);
        }
        self.tokens.push(spec);
        self
    }

    /// No one may read `resource` (`secrets`, `clusterroles.rbac.authorization.k8s.io`).
    pub fn forbid(mut self, resource: &str) -> Options {
        self.forbid.push(resource.to_owned());
        self
    }

    /// Requests are authorized by the RBAC objects of `folder` (and the default roles).
    pub fn rbac(mut self, folder: impl Into<PathBuf>) -> Options {
        self.rbac = Some(folder.into());
        self
    }

    /// Every list answers `status` its first `times` attempts.
    pub fn flaky(mut self, status: u16, times: u32) -> Options {
        self.flaky = Some((status, times));
        self
    }

    /// What `/version` reports (`v1.33.0` unless told).
    pub fn version(mut self, version: &str) -> Options {
        self.version = Some(version.to_owned());
        self
    }
}

/// A running server, stopped when dropped.
pub struct ApiServer {
    child: Child,
    /// `https://127.0.0.1:PORT`
    pub url: String,
    dir: tempfile::TempDir,
}

impl ApiServer {
    /// Starts the server and waits until it listens.
    pub fn start(options: &Options) -> ApiServer {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let binary = binary();
        let mut command = Command::new(binary);
        command
            .arg("--data")
            .arg(&options.data)
            .arg("--kubeconfig-out")
            .arg(dir.path().join("kubeconfig"))
            .arg("--access-log")
            .arg(dir.path().join("access.log"));
        for token in &options.tokens {
            command.arg("--token").arg(token);
        }
        for resource in &options.forbid {
            command.arg("--forbid").arg(resource);
        }
        if let Some(folder) = &options.rbac {
            command.arg("--rbac").arg(folder);
        }
        if let Some((status, times)) = options.flaky {
            command.arg("--flaky").arg(format!("{status}x{times}"));
        }
        if let Some(version) = &options.version {
            command.arg("--version").arg(version);
        }
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let mut line = String::new();
        let stdout = child.stdout.take().expect("piped");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the server's first line");
        let Some(url) = line.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            panic!("rampart-test-apiserver did not start: {line:?}");
        };
        ApiServer {
            url: url.to_owned(),
            child,
            dir,
        }
    }

    /// The kubeconfig that reaches the server: a context per token, named after its user,
    /// the admin's current.
    pub fn kubeconfig(&self) -> PathBuf {
        self.dir.path().join("kubeconfig")
    }

    /// The requests made so far, one JSON object each (`user`, `method`, `uri`, `status`).
    pub fn requests(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(self.dir.path().join("access.log"))
            .unwrap_or_default()
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Variables cargo sets for a test's process (besides `CARGO_PKG_*` and `CARGO_BIN_EXE_*`).
const SET_FOR_TESTS: &[&str] = &[
    "CARGO_MANIFEST_DIR",
    "CARGO_MANIFEST_PATH",
    "CARGO_MANIFEST_LINKS",
    "CARGO_CRATE_NAME",
    "CARGO_BIN_NAME",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_TARGET_TMPDIR",
    "CARGO_RUSTC_CURRENT_DIR",
    "OUT_DIR",
];

/// The server's executable: `$RAMPART_TEST_APISERVER`, else built (once per test process) by
/// `cargo build`, which is quick when it is up to date.
pub fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        if let Some(path) = std::env::var_os("RAMPART_TEST_APISERVER") {
            return PathBuf::from(path);
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        // What cargo set for this test, not for the build: build scripts that watch one of
        // these (ring's watches CARGO_MANIFEST_DIR) would otherwise run again, and everything
        // after them be rebuilt, each time a test and a plain build alternate.
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            if name.starts_with("CARGO_PKG_")
                || name.starts_with("CARGO_BIN_EXE_")
                || SET_FOR_TESTS.contains(&name.as_ref())
            {
                command.env_remove(name.as_ref());
            }
        }
        let output = command
            .args([
                "build",
                "--quiet",
                "--package",
                "rampart-test-apiserver",
                "--bin",
                "rampart-test-apiserver",
                "--message-format=json",
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stderr(Stdio::inherit())
            .output()
            .expect("cargo, to build rampart-test-apiserver");
        assert!(
            output.status.success(),
            "cargo build of rampart-test-apiserver failed"
        );
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .find_map(|message| message["executable"].as_str().map(PathBuf::from))
            .expect("cargo names the built rampart-test-apiserver")
    })
}
