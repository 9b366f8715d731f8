//! The serving certificate: read from PEM files with rustls' ring provider, and read again
//! when the files change (a renewed Secret mounted in the pod, cert-manager rotating it).
//! The files are compared by content, not by time: a Secret volume swaps a symbolic link, and
//! a copy may keep its modification time.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use axum_server::tls_rustls::RustlsConfig;
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::metrics::Metrics;

/// Where the certificate chain and its key are.
#[derive(Debug, Clone)]
pub struct CertFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// The files' bytes, as last loaded.
#[derive(Debug, PartialEq, Eq)]
struct Contents {
    cert: Vec<u8>,
    key: Vec<u8>,
}

impl CertFiles {
    fn read(&self) -> Result<Contents> {
        let read = |path: &Path| {
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
        };
        Ok(Contents {
            cert: read(&self.cert)?,
            key: read(&self.key)?,
        })
    }

    /// The server configuration for the files as they are now.
    pub fn load(&self) -> Result<RustlsConfig> {
        Ok(RustlsConfig::from_config(
            self.server_config(&self.read()?)?,
        ))
    }

    fn server_config(&self, contents: &Contents) -> Result<Arc<ServerConfig>> {
        let chain = CertificateDer::pem_slice_iter(&contents.cert)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                anyhow!(
                    "{}: not a PEM certificate chain: {e:?}",
                    self.cert.display()
                )
            })?;
        if chain.is_empty() {
            return Err(anyhow!("{}: holds no certificate", self.cert.display()));
        }
        let key = PrivateKeyDer::from_pem_slice(&contents.key)
            .map_err(|e| anyhow!("{}: not a PEM private key: {e:?}", self.key.display()))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .context("TLS versions")?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .with_context(|| {
                format!(
                    "{} and {} do not make a serving certificate",
                    self.cert.display(),
                    self.key.display()
                )
            })?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }

    /// Every `interval`, reads the files and, when they changed, puts their certificate in
    /// `config` for the connections to come. A pair that does not load (a renewal written
    /// half-way, a key that does not match) keeps the previous certificate, and is tried
    /// again when the files change once more.
    pub async fn watch(self, config: RustlsConfig, interval: Duration, metrics: Arc<Metrics>) {
        let mut seen = self.read().map_err(|e| e.to_string());
        loop {
            tokio::time::sleep(interval).await;
            let now = self.read().map_err(|e| format!("{e:#}"));
            if now == seen {
                continue;
            }
            let loaded = now
                .as_ref()
                .map_err(|e| anyhow!("{e}"))
                .and_then(|contents| self.server_config(contents));
            match loaded {
                Ok(server) => {
                    config.reload_from_config(server);
                    eprintln!(
                        "rampart webhook: certificate reloaded from {}",
                        self.cert.display()
                    );
                    metrics.reloaded(true);
                }
                Err(error) => {
                    eprintln!(
                        "rampart webhook: certificate not reloaded, the previous one stays: {error:#}"
                    );
                    metrics.reloaded(false);
                }
            }
            seen = now;
        }
    }
}
