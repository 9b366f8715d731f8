//! A webhook started on loopback for a test, and a real HTTPS client (ureq, rustls) that
//! trusts only its certificate.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rampart_scan::{Config, ScanOptions};
use rampart_server::{CertFiles, Judge, Policy, Server, Settings};
use serde_json::{Value, json};
use tempfile::TempDir;

/// A self-signed certificate for 127.0.0.1 and localhost, in PEM.
pub struct Pem {
    pub cert: String,
    pub key: String,
}

impl Pem {
    pub fn generate() -> Pem {
        let certified = rcgen::generate_simple_self_signed(vec![
            "127.0.0.1".to_owned(),
            "localhost".to_owned(),
        ])
        .unwrap();
        Pem {
            cert: certified.cert.pem(),
            key: certified.signing_key.serialize_pem(),
        }
    }

    pub fn write(&self, files: &CertFiles) {
        // As a Secret volume changes: each file replaced whole.
        for (path, text) in [(&files.cert, &self.cert), (&files.key, &self.key)] {
            let next = path.with_extension("next");
            std::fs::write(&next, text).unwrap();
            std::fs::rename(&next, path).unwrap();
        }
    }
}

pub struct Webhook {
    pub server: Option<Server>,
    pub base: String,
    pub files: CertFiles,
    pub pem: Pem,
    pub dir: TempDir,
}

impl Webhook {
    pub fn start(policy: Policy) -> Webhook {
        Webhook::with_config(policy, Config::default())
    }

    pub fn with_config(policy: Policy, config: Config) -> Webhook {
        let dir = tempfile::tempdir().unwrap();
        let files = CertFiles {
            cert: dir.path().join("tls.crt"),
            key: dir.path().join("tls.key"),
        };
        let pem = Pem::generate();
        pem.write(&files);
        let judge = Judge::new(config, ScanOptions::default(), policy).unwrap();
        let settings = Settings {
            listen: "127.0.0.1:0".parse().unwrap(),
            tls: files.clone(),
            reload_every: Duration::from_millis(50),
        };
        let server = Server::start(settings, judge).unwrap();
        Webhook {
            base: format!("https://127.0.0.1:{}", server.addr.port()),
            server: Some(server),
            files,
            pem,
            dir,
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A client trusting the webhook's first certificate only.
    pub fn client(&self) -> ureq::Agent {
        client_trusting(&self.pem.cert)
    }

    /// Posts `body` to `/validate`: the status and the body.
    pub fn post(&self, body: &[u8]) -> (u16, String) {
        let mut response = self
            .client()
            .post(format!("{}/validate", self.base))
            .header("Content-Type", "application/json")
            .send(body)
            .unwrap();
        let status = response.status().as_u16();
        (status, response.body_mut().read_to_string().unwrap())
    }

    /// Posts an AdmissionReview and returns its `response`, checking the envelope.
    pub fn review(&self, review: &Value) -> Value {
        let (status, body) = self.post(review.to_string().as_bytes());
        assert_eq!(status, 200, "{body}");
        let answer: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(answer["apiVersion"], "admission.k8s.io/v1", "{answer}");
        assert_eq!(answer["kind"], "AdmissionReview", "{answer}");
        assert_eq!(
            answer["response"]["uid"], review["request"]["uid"],
            "{answer}"
        );
        answer["response"].clone()
    }

    pub fn get(&self, path: &str) -> String {
        self.client()
            .get(format!("{}{path}", self.base))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap()
    }
}

impl Drop for Webhook {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().unwrap();
        }
    }
}

pub fn client_trusting(cert_pem: &str) -> ureq::Agent {
    let cert = ureq::tls::Certificate::from_pem(cert_pem.as_bytes()).unwrap();
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::Specific(Arc::new(vec![cert])))
        .build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .new_agent()
}

/// An AdmissionReview asking about `operation` on `object` (and `old`) in `namespace`.
pub fn review(uid: &str, operation: &str, object: Value, old: Value) -> Value {
    let subject = if object.is_null() { &old } else { &object };
    let kind = subject["kind"].as_str().unwrap_or_default().to_owned();
    let namespace = subject["metadata"]["namespace"]
        .as_str()
        .unwrap_or("shop")
        .to_owned();
    let name = subject["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": uid,
            "kind": {"group": "", "version": "v1", "kind": kind},
            "resource": {"group": "", "version": "v1", "resource": format!("{}s", kind.to_lowercase())},
            "requestKind": {"group": "", "version": "v1", "kind": kind},
            "requestResource": {"group": "", "version": "v1", "resource": format!("{}s", kind.to_lowercase())},
            "name": name,
            "namespace": namespace,
            "operation": operation,
            "userInfo": {"username": "alice", "uid": "1", "groups": ["developers", "system:authenticated"]},
            "object": object,
            "oldObject": old,
            "dryRun": false,
            "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"}
        }
    })
}

/// A pod that passes every rule that judges a pod alone.
pub fn hardened_pod(name: &str) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "shop", "labels": {"app": name}},
        "spec": {
            "automountServiceAccountToken": false,
            "serviceAccountName": "web",
            "securityContext": {
                "runAsNonRoot": true,
                "runAsUser": 10001,
                "runAsGroup": 10001,
                "seccompProfile": {"type": "RuntimeDefault"}
            },
            "containers": [{
                "name": "web",
                "image": "registry.example.com/shop/web@sha256:4b3a1e5c8d7f6a9b0c2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f2a4b",
                "imagePullPolicy": "Always",
                "securityContext": {
                    "allowPrivilegeEscalation": false,
                    "readOnlyRootFilesystem": true,
                    "capabilities": {"drop": ["ALL"]}
                },
                "resources": {
                    "requests": {"cpu": "100m", "memory": "64Mi", "ephemeral-storage": "100Mi"},
                    "limits": {"cpu": "500m", "memory": "128Mi", "ephemeral-storage": "200Mi"}
                },
                "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}},
                "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}}
            }]
        }
    })
}

/// The same pod with its container privileged.
pub fn privileged_pod(name: &str) -> Value {
    let mut pod = hardened_pod(name);
    pod["spec"]["containers"][0]["securityContext"]["privileged"] = json!(true);
    pod
}

pub fn codes_in(text: &str) -> Vec<String> {
    let mut codes: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| {
            w.len() == 4 && w.starts_with('K') && w[1..].chars().all(|c| c.is_ascii_digit())
        })
        .map(str::to_owned)
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

pub fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}
