use rampart_core::{Concern, Layer, Severity, refs};

use super::config_pointer;
use crate::rule::{Check, declare_rule};
use crate::{Hit, ImageTarget, Images};

declare_rule! {
    /// ## What it checks
    /// Images without a health check: no `config.Healthcheck`, or one whose test is `NONE`
    /// (`HEALTHCHECK NONE` turns off the base image's).
    ///
    /// Kubernetes ignores an image's `HEALTHCHECK` and uses the pod's probes instead, so on
    /// Kubernetes this matters only for images that also run under Docker, Compose or Swarm;
    /// for pods, check their `livenessProbe` and `readinessProbe`.
    ///
    /// ## Why it matters
    /// A container whose process hangs (deadlock, exhausted pool, an attacker's resource
    /// exhaustion) keeps running and keeps receiving traffic: without a health check the
    /// engine has no signal to restart it or take it out of service.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM nginx:1.27
    /// HEALTHCHECK --interval=30s --timeout=3s CMD ["curl", "-fsS", "http://localhost/healthz"]
    /// ```
    pub struct ImageHealthcheckMissing {
        code: "I103",
        name: "image-healthcheck-missing",
        title: "Image has no health check",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Mitre: ["T1499"],
        ],
        equivalents: &["trivy:DS-0026"],
    }
}

impl Check<Images> for ImageHealthcheckMissing {
    fn check(&self, target: &ImageTarget<'_>, hits: &mut Vec<Hit>) {
        let test = target
            .image
            .config
            .container()
            .healthcheck
            .as_ref()
            .and_then(|check| check.test.as_deref())
            .unwrap_or(&[]);
        let message = match test.first().map(String::as_str) {
            None => "the image defines no health check",
            Some("NONE") => "the image turns its health check off (`HEALTHCHECK NONE`)",
            Some(_) => return,
        };
        hits.push(Hit::new(
            config_pointer(&["config", "Healthcheck"]),
            format!(
                "{message}: Docker cannot tell a hung container from a working one; add \
                 `HEALTHCHECK CMD ...` (on Kubernetes, give the pod liveness and readiness \
                 probes instead)"
            ),
        ));
    }
}
