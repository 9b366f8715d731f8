//! Downloading OSV's per-ecosystem exports (`{base}/{ecosystem}/all.zip`): the only network
//! access of the database, and only when the user asks for it.

use std::time::Duration;

use crate::DbError;

/// Where OSV publishes its exports.
pub const DEFAULT_BASE_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// The largest export accepted (npm's, the largest, is a few hundred MB).
pub const MAX_DOWNLOAD_BYTES: u64 = 2 << 30;

/// The URL of an ecosystem's export (`Rocky Linux` becomes `Rocky%20Linux`).
pub fn export_url(base: &str, ecosystem: &str) -> String {
    let mut escaped = String::with_capacity(ecosystem.len());
    for byte in ecosystem.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            escaped.push(byte as char);
        } else {
            escaped.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("{}/{escaped}/all.zip", base.trim_end_matches('/'))
}

/// Downloads one export into memory.
pub fn download(url: &str) -> Result<Vec<u8>, DbError> {
    let failed = |reason: String| DbError::Download {
        url: url.to_owned(),
        reason,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(15)))
        .timeout_recv_body(Some(Duration::from_secs(600)))
        .user_agent(concat!("rampart/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(|e| failed(e.to_string()))?;
    let status = response.status();
    if !status.is_success() {
        return Err(failed(format!("the server answered {status}")));
    }
    response
        .body_mut()
        .with_config()
        .limit(MAX_DOWNLOAD_BYTES)
        .read_to_vec()
        .map_err(|e| failed(e.to_string()))
}
