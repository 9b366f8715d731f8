//! `rampart webhook` as a process: it serves AdmissionReview over HTTPS with the flags' policy
//! and stops cleanly on SIGTERM, as a pod is stopped.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;

use serde_json::{Value, json};

fn client(cert_pem: &str) -> ureq::Agent {
    let cert = ureq::tls::Certificate::from_pem(cert_pem.as_bytes()).unwrap();
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::Specific(Arc::new(vec![cert])))
        .build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .http_status_as_error(false)
        .build()
        .new_agent()
}

fn review(uid: &str, namespace: &str) -> Value {
    json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": uid,
            "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
            "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
            "namespace": namespace,
            "operation": "CREATE",
            "userInfo": {"username": "alice"},
            "object": {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": "web"},
                "spec": {"template": {"spec": {"containers": [{
                    "name": "web",
                    "image": "nginx:1.27",
                    "securityContext": {"privileged": true}
                }]}}}
            }
        }
    })
}

#[test]
fn serves_admission_reviews_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let (cert, key) = (dir.path().join("tls.crt"), dir.path().join("tls.key"));
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args([
            "webhook",
            "--listen",
            "127.0.0.1:0",
            "--deny-on",
            "critical",
        ])
        .arg("--tls-cert")
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .args(["--exempt-namespace", "kube-system"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut base = None;
    for _ in 0..5 {
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        if let Some(url) = line.trim().strip_prefix("rampart webhook: listening on ") {
            base = Some(url.to_owned());
            break;
        }
    }
    let base = base.expect("the webhook says where it listens");
    let agent = client(&certified.cert.pem());
    let ask = |uid: &str, namespace: &str| -> Value {
        agent
            .post(format!("{base}/validate"))
            .send_json(review(uid, namespace))
            .unwrap()
            .body_mut()
            .read_json()
            .unwrap()
    };
    let denied = ask("a1", "shop");
    assert_eq!(denied["response"]["uid"], "a1");
    assert_eq!(denied["response"]["allowed"], false, "{denied}");
    let message = denied["response"]["status"]["message"].as_str().unwrap();
    assert!(message.contains("at or above critical: K101"), "{message}");
    let exempt = ask("a2", "kube-system");
    assert_eq!(exempt["response"]["allowed"], true, "{exempt}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}
