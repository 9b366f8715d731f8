//! The serving certificate is read again when its files change; a pair that does not load
//! keeps the previous one.

mod support;

use std::time::{Duration, Instant};

use rampart_server::Policy;
use support::*;

/// Whether a client trusting only `cert` completes a request.
fn trusted(webhook: &Webhook, cert: &str) -> bool {
    client_trusting(cert)
        .get(format!("{}/healthz", webhook.base))
        .call()
        .is_ok()
}

fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !check() {
        assert!(Instant::now() < deadline, "never: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_renewed_certificate_is_served_without_a_restart() {
    let webhook = Webhook::start(Policy::default());
    let first = webhook.pem.cert.clone();
    assert!(trusted(&webhook, &first));
    let renewed = Pem::generate();
    assert!(!trusted(&webhook, &renewed.cert));
    renewed.write(&webhook.files);
    eventually("the renewed certificate served", || {
        trusted(&webhook, &renewed.cert)
    });
    assert!(!trusted(&webhook, &first));

    // A key that does not match the certificate: refused, the renewed one stays.
    let other = Pem::generate();
    std::fs::write(&webhook.files.key, &other.key).unwrap();
    let metrics = || {
        client_trusting(&renewed.cert)
            .get(format!("{}/metrics", webhook.base))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap()
    };
    eventually("a failed reload counted", || {
        metrics().contains("rampart_webhook_certificate_reloads_total{result=\"error\"} 1")
    });
    assert!(trusted(&webhook, &renewed.cert));
    assert!(metrics().contains("rampart_webhook_certificate_reloads_total{result=\"ok\"} 1"));
}
