//! Load on a running `rampart webhook`: AdmissionReview requests at a fixed rate over
//! keep-alive HTTPS connections (ureq, rustls), latency measured from when each request was
//! due (so a stalled server is not hidden by a stalled client), the server's resident memory
//! sampled as the requests go. Prints percentiles and the memory samples.
//!
//! ```text
//! rampart-webhook-load --url https://127.0.0.1:8443/validate --ca tls.crt \
//!     --rate 1000 --requests 100000 [--connections 32] [--pid PID]
//! ```
//!
//! The requests cycle through three objects as an API server sends them: a Deployment that
//! is refused (privileged), a Deployment allowed with warnings, and a pod of a ReplicaSet.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;

#[derive(Parser)]
struct Args {
    /// The webhook's `/validate` URL.
    #[arg(long)]
    url: String,
    /// The CA (or self-signed certificate) the webhook's certificate is checked against.
    #[arg(long)]
    ca: std::path::PathBuf,
    /// Requests per second, spread evenly.
    #[arg(long, default_value_t = 1000)]
    rate: u32,
    #[arg(long, default_value_t = 100_000)]
    requests: usize,
    /// Connections (one thread each) sharing the schedule.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// The server's process id, to sample its resident memory.
    #[arg(long)]
    pid: Option<u32>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let ca = std::fs::read(&args.ca)?;
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(bodies());
    let next = Arc::new(AtomicUsize::new(0));
    let interval = Duration::from_secs_f64(1.0 / f64::from(args.rate));
    let start = Instant::now() + Duration::from_millis(200);
    let samples_every = (args.requests / 10).max(1);
    let workers: Vec<_> = (0..args.connections)
        .map(|_| {
            let (next, bodies, url) = (next.clone(), bodies.clone(), args.url.clone());
            let agent = agent(&ca);
            let (total, pid) = (args.requests, args.pid);
            std::thread::spawn(move || {
                let mut latencies = Vec::with_capacity(total / 8);
                let mut memory = Vec::new();
                let mut failures = 0usize;
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= total {
                        break;
                    }
                    let due = start + interval * u32::try_from(index).unwrap();
                    if let Some(wait) = due.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    let answer = agent
                        .post(&url)
                        .header("Content-Type", "application/json")
                        .send(&bodies[index % bodies.len()][..])
                        .and_then(|mut r| {
                            let body = r.body_mut().read_to_string()?;
                            Ok((r.status().as_u16(), body))
                        });
                    match answer {
                        Ok((200, _)) => {}
                        failed => {
                            if failures == 0 {
                                eprintln!("request {index} failed: {failed:?}");
                            }
                            failures += 1;
                        }
                    }
                    latencies.push(due.elapsed());
                    if index % samples_every == 0
                        && let Some(pid) = pid
                    {
                        memory.push((index, rss_kib(pid)));
                    }
                }
                (latencies, memory, failures)
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(args.requests);
    let mut memory = Vec::new();
    let mut failures = 0;
    for worker in workers {
        let (l, m, f) = worker.join().expect("a worker thread");
        latencies.extend(l);
        memory.extend(m);
        failures += f;
    }
    let elapsed = start.elapsed();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "{} requests in {:.1} s ({:.0}/s achieved, {} failed)",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        failures
    );
    for (name, q) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p99.9", 0.999)] {
        println!("{name:>6} {:.3} ms", at(q).as_secs_f64() * 1e3);
    }
    println!(
        "   max {:.3} ms",
        latencies.last().unwrap().as_secs_f64() * 1e3
    );
    memory.sort();
    for (index, kib) in memory {
        println!(
            "rss after {index:>7} requests: {:.1} MiB",
            kib as f64 / 1024.0
        );
    }
    Ok(())
}

fn agent(ca_pem: &[u8]) -> ureq::Agent {
    let cert = ureq::tls::Certificate::from_pem(ca_pem).expect("a PEM certificate");
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::Specific(Arc::new(vec![cert])))
        .build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .new_agent()
}

/// `VmRSS` of the process, in KiB (0 when it cannot be read).
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

fn bodies() -> Vec<Vec<u8>> {
    let container = |name: &str, extra: &str| {
        format!(
            r#"{{"name":"{name}","image":"registry.example.com/shop/{name}:1.4.2","ports":[{{"containerPort":8080,"name":"http"}}],
            "env":[{{"name":"LOG_LEVEL","value":"info"}},{{"name":"DB_HOST","value":"postgres.shop.svc"}}],
            "resources":{{"requests":{{"cpu":"100m","memory":"128Mi"}},"limits":{{"cpu":"500m","memory":"256Mi"}}}},
            "readinessProbe":{{"httpGet":{{"path":"/ready","port":8080}}}},
            "securityContext":{{"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"runAsNonRoot":true,"runAsUser":10001,"capabilities":{{"drop":["ALL"]}}{extra}}}}}"#
        )
    };
    let review = |uid: usize, group: &str, kind: &str, resource: &str, object: String| {
        format!(
            r#"{{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{{"uid":"load-{uid}",
            "kind":{{"group":"{group}","version":"v1","kind":"{kind}"}},"resource":{{"group":"{group}","version":"v1","resource":"{resource}"}},
            "namespace":"shop","operation":"CREATE","userInfo":{{"username":"system:serviceaccount:ci:deployer","groups":["system:serviceaccounts","system:authenticated"]}},
            "object":{object},"oldObject":null,"dryRun":false}}}}"#
        )
        .into_bytes()
    };
    let deployment = |name: &str, extra: &str| {
        format!(
            r#"{{"apiVersion":"apps/v1","kind":"Deployment","metadata":{{"name":"{name}","namespace":"shop","labels":{{"app":"{name}"}}}},
            "spec":{{"replicas":3,"selector":{{"matchLabels":{{"app":"{name}"}}}},"template":{{"metadata":{{"labels":{{"app":"{name}"}}}},
            "spec":{{"serviceAccountName":"{name}","securityContext":{{"seccompProfile":{{"type":"RuntimeDefault"}}}},"containers":[{},{}]}}}}}}}}"#,
            container(name, extra),
            container("metrics-sidecar", "")
        )
    };
    let pod = format!(
        r#"{{"apiVersion":"v1","kind":"Pod","metadata":{{"generateName":"web-7d4b9c-","labels":{{"app":"web"}},
        "ownerReferences":[{{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-7d4b9c","uid":"6f1b","controller":true}}]}},
        "spec":{{"securityContext":{{"seccompProfile":{{"type":"RuntimeDefault"}}}},"containers":[{}]}}}}"#,
        container("web", "")
    );
    vec![
        review(
            0,
            "apps",
            "Deployment",
            "deployments",
            deployment("payments", r#","privileged":true"#),
        ),
        review(
            1,
            "apps",
            "Deployment",
            "deployments",
            deployment("catalog", ""),
        ),
        review(2, "", "Pod", "pods", pod),
    ]
}
