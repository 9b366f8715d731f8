//! The HTTPS server: `POST /validate` (AdmissionReview), `GET /healthz`, `GET /metrics`, on its
//! own tokio runtime, with the certificate watched for changes.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_server::Handle;

use crate::judge::{Judge, Verdict};
use crate::metrics::{self, Metrics};
use crate::tls::CertFiles;

/// The largest request body read: an `AdmissionReview` carries the object and the old object,
/// each at most the API server's 3 MiB request limit.
const MAX_BODY: usize = 8 * 1024 * 1024;

/// How long connections get to finish after a shutdown is asked for.
const GRACE: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub tls: CertFiles,
    /// How often the certificate files are compared with what is loaded.
    pub reload_every: Duration,
}

struct App {
    judge: Judge,
    metrics: Arc<Metrics>,
}

/// A webhook serving on its own thread.
pub struct Server {
    /// Where it listens (the port chosen when asked for port 0).
    pub addr: SocketAddr,
    handle: Handle,
    thread: JoinHandle<Result<()>>,
}

impl Server {
    /// Loads the certificate, binds the address and serves in the background. Fails here, not
    /// later, when the certificate does not load or the address cannot be bound.
    pub fn start(settings: Settings, judge: Judge) -> Result<Server> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("rampart-webhook")
            // Judging is CPU work: more threads than cores would only queue in the kernel
            // instead of here.
            .max_blocking_threads(std::thread::available_parallelism().map_or(2, |n| n.get()) * 2)
            .build()
            .context("cannot start the server's runtime")?;
        let tls = runtime.block_on(async { settings.tls.load() })?;
        let listener = TcpListener::bind(settings.listen)
            .with_context(|| format!("cannot listen on {}", settings.listen))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let metrics = Arc::new(Metrics::default());
        let app = router(Arc::new(App {
            judge,
            metrics: metrics.clone(),
        }));
        let handle = Handle::new();
        let serving = axum_server::from_tcp_rustls(listener, tls.clone())
            .handle(handle.clone())
            .serve(app.into_make_service());
        let watch = settings
            .tls
            .clone()
            .watch(tls, settings.reload_every, metrics);
        let thread = std::thread::Builder::new()
            .name("rampart-webhook".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    let watcher = tokio::spawn(watch);
                    let served = serving.await;
                    watcher.abort();
                    served.context("the server stopped")
                })
            })?;
        Ok(Server {
            addr,
            handle,
            thread,
        })
    }

    /// Serves until SIGTERM or SIGINT, then lets open requests finish.
    pub fn run_until_signal(self) -> Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async {
            let mut terminate =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
            tokio::select! {
                _ = terminate.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            anyhow::Ok(())
        })?;
        self.shutdown()
    }

    /// Stops accepting connections, lets open requests finish, and waits for the server.
    pub fn shutdown(self) -> Result<()> {
        self.handle.graceful_shutdown(Some(GRACE));
        self.thread
            .join()
            .map_err(|_| anyhow!("the server's thread panicked"))?
    }
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/validate", post(validate))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/metrics", get(metrics))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(app)
}

async fn validate(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let started = Instant::now();
    let judging = app.clone();
    // A panic in a rule costs this request only (answered 500: the API server applies its
    // failure policy), never the server.
    let answered = tokio::task::spawn_blocking(move || judging.judge.answer(&body)).await;
    let (verdict, response) = match answered {
        Ok(answer) => {
            let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
            let content_type = if status == StatusCode::OK {
                "application/json"
            } else {
                "text/plain; charset=utf-8"
            };
            if answer.verdict == Verdict::Malformed {
                eprintln!(
                    "rampart webhook: answered 400: {}",
                    String::from_utf8_lossy(&answer.body)
                );
            }
            let response = (status, [(header::CONTENT_TYPE, content_type)], answer.body);
            (answer.verdict, response.into_response())
        }
        Err(error) => {
            eprintln!("rampart webhook: a request failed: {error}");
            let response = (
                StatusCode::INTERNAL_SERVER_ERROR,
                "rampart: internal error\n",
            );
            (Verdict::Error, response.into_response())
        }
    };
    app.metrics.observe(verdict, started.elapsed());
    response
}

async fn metrics(State(app): State<Arc<App>>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, metrics::CONTENT_TYPE)],
        app.metrics.exposition(app.judge.skipped().len()),
    )
}
