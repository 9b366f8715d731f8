//! `rampart-test-apiserver`: a Kubernetes API server for tests, on loopback over HTTPS, serving
//! the objects of a folder. See the crate's library (`ApiServer`) for how tests start it.
//!
//! ```text
//! rampart-test-apiserver --data DIR --kubeconfig-out FILE --token TOKEN=USER[,GROUP...]...
//!     [--port N] [--forbid RESOURCE[.GROUP]]... [--rbac DIR] [--version v1.33.0]
//!     [--flaky STATUSxTIMES] [--access-log FILE] [--cluster-name NAME]
//! ```
//!
//! Once it listens it writes the kubeconfig (the CA it generated, one context per token) and
//! prints `listening on https://127.0.0.1:PORT` on its standard output. The folder is read
//! again whenever its files change, and watches see the changes.

mod auth;
mod http;
mod resources;
mod select;
mod store;
mod tls;

use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Parser;

#[derive(Parser)]
#[command(
    name = "rampart-test-apiserver",
    about = "A Kubernetes API server for tests, serving a folder of objects"
)]
struct Args {
    /// The folder of YAML and JSON objects to serve (read again when its files change).
    #[arg(long)]
    data: PathBuf,
    /// Where to write the kubeconfig that reaches the server.
    #[arg(long)]
    kubeconfig_out: PathBuf,
    /// A bearer token and the user (and groups) it authenticates: TOKEN=USER[,GROUP...].
    #[arg(long = "token", required = true, value_parser = auth::parse_token)]
    tokens: Vec<(String, auth::User)>,
    /// The loopback port; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// A resource no one may read: `secrets`, `clusterroles.rbac.authorization.k8s.io`.
    #[arg(long)]
    forbid: Vec<String>,
    /// Authorize by the RBAC objects of this folder (and the roles every cluster starts with)
    /// instead of letting every user read everything.
    #[arg(long)]
    rbac: Option<PathBuf>,
    /// What `/version` reports.
    #[arg(long, default_value = "v1.33.0")]
    version: String,
    /// Every list answers STATUS its first TIMES attempts (`429x2`, `503x1`).
    #[arg(long, value_parser = parse_flaky)]
    flaky: Option<(u16, u32)>,
    /// Log each request as a JSON line to this file.
    #[arg(long)]
    access_log: Option<PathBuf>,
    /// The cluster's name in the kubeconfig.
    #[arg(long, default_value = "rampart-test")]
    cluster_name: String,
}

fn parse_flaky(text: &str) -> Result<(u16, u32), String> {
    let (status, times) = text
        .split_once('x')
        .ok_or_else(|| format!("`{text}`: expected STATUSxTIMES"))?;
    Ok((
        status
            .parse()
            .map_err(|_| format!("`{status}`: not a status"))?,
        times
            .parse()
            .map_err(|_| format!("`{times}`: not a count"))?,
    ))
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("rampart-test-apiserver: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, args.port)))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", args.port))?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let url = format!("https://{address}");
    let certificates = tls::certificates()?;
    let kubeconfig = tls::kubeconfig(&args.cluster_name, &url, &certificates.ca_pem, &args.tokens);
    // Written whole under another name, then renamed: a reader never sees half of it.
    let partial = args.kubeconfig_out.with_extension("partial");
    std::fs::write(&partial, kubeconfig)
        .and_then(|()| std::fs::rename(&partial, &args.kubeconfig_out))
        .map_err(|e| format!("cannot write {}: {e}", args.kubeconfig_out.display()))?;
    let access_log = match &args.access_log {
        Some(path) => Some(Mutex::new(
            std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?,
        )),
        None => None,
    };
    let app = Arc::new(http::App {
        store: store::Store::open(&args.data),
        tokens: auth::Tokens(args.tokens.into_iter().collect()),
        authorizer: auth::Authorizer::new(&args.forbid, args.rbac.as_deref()),
        version: args.version,
        flaky: args.flaky,
        attempts: Mutex::default(),
        access_log,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let refresher = app.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(100)).await;
                let store = refresher.clone();
                let _ = tokio::task::spawn_blocking(move || store.store.refresh()).await;
            }
        });
        let router = axum::Router::new().fallback(http::handle).with_state(app);
        let config = axum_server::tls_rustls::RustlsConfig::from_config(certificates.server);
        let server = axum_server::from_tcp_rustls(listener, config);
        println!("listening on {url}");
        let _ = std::io::stdout().flush();
        server
            .serve(router.into_make_service())
            .await
            .map_err(|e| e.to_string())
    })
}
