//! A certificate authority made at start, the server's certificate for the loopback address,
//! and the kubeconfig that trusts it.

use std::sync::Arc;

use base64::Engine as _;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, SanType};
use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::json;

use crate::auth::User;

pub struct Certificates {
    pub ca_pem: String,
    pub server: Arc<ServerConfig>,
}

pub fn certificates() -> Result<Certificates, String> {
    let fail = |what: &str, e: rcgen::Error| format!("{what}: {e}");
    let ca_key = KeyPair::generate().map_err(|e| fail("CA key", e))?;
    let mut ca_params = CertificateParams::default();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "rampart-test-apiserver CA");
    let ca = ca_params
        .self_signed(&ca_key)
        .map_err(|e| fail("CA certificate", e))?;
    let issuer = Issuer::new(ca_params, ca_key);

    let key = KeyPair::generate().map_err(|e| fail("server key", e))?;
    let mut params = CertificateParams::new(vec!["localhost".to_owned()])
        .map_err(|e| fail("server certificate", e))?;
    params
        .subject_alt_names
        .push(SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()));
    params
        .distinguished_name
        .push(DnType::CommonName, "kube-apiserver");
    let certificate = params
        .signed_by(&key, &issuer)
        .map_err(|e| fail("server certificate", e))?;

    let chain = vec![
        certificate.der().clone(),
        CertificateDer::from(ca.der().to_vec()),
    ];
    let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let mut server =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_no_client_auth()
            .with_single_cert(chain, private)
            .map_err(|e| e.to_string())?;
    server.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Certificates {
        ca_pem: ca.pem(),
        server: Arc::new(server),
    })
}

/// A kubeconfig for the server at `url`: one user and one context (named after the user) per
/// token, the first context current.
pub fn kubeconfig(cluster: &str, url: &str, ca_pem: &str, tokens: &[(String, User)]) -> String {
    let ca = base64::engine::general_purpose::STANDARD.encode(ca_pem);
    let users: Vec<_> = tokens
        .iter()
        .map(|(token, user)| json!({"name": user.name, "user": {"token": token}}))
        .collect();
    let contexts: Vec<_> = tokens
        .iter()
        .map(|(_, user)| {
            json!({"name": user.name, "context": {"cluster": cluster, "user": user.name}})
        })
        .collect();
    let config = json!({
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": cluster, "cluster": {"server": url, "certificate-authority-data": ca}}],
        "users": users,
        "contexts": contexts,
        "current-context": tokens.first().map(|(_, user)| user.name.clone()),
        "preferences": {},
    });
    serde_json::to_string_pretty(&config).expect("JSON")
}
