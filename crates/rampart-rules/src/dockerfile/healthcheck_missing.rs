use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::{CommandForm, Keyword};

use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// Images whose final stage, and the stages it is built `FROM`, define no `HEALTHCHECK`
    /// with a command (`HEALTHCHECK NONE` disables one inherited from the base image and
    /// counts as none).
    ///
    /// Kubernetes ignores `HEALTHCHECK`: it runs the pod's liveness and readiness probes
    /// instead. For images deployed only to Kubernetes this rule can be ignored in
    /// `rampart.toml` once the workloads define probes.
    ///
    /// ## Why it matters
    /// Without a health check, Docker, Compose and Swarm consider a container healthy as long
    /// as its process exists: a deadlocked or half-started service keeps receiving traffic,
    /// and nothing restarts it. A failing service is also a service under attack or abuse
    /// that nobody notices.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27-alpine
    /// COPY site/ /usr/share/nginx/html/
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// FROM nginx:1.27-alpine
    /// COPY site/ /usr/share/nginx/html/
    /// HEALTHCHECK --interval=30s --timeout=3s CMD wget -qO- http://127.0.0.1/ || exit 1
    /// ```
    pub struct HealthcheckMissing {
        code: "D127",
        name: "healthcheck-missing",
        title: "Image defines no HEALTHCHECK",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            CisDocker: ["4.6"],
            Cwe: ["CWE-778"],
        ],
        equivalents: &["hadolint:DL3057", "trivy:DS-0026", "checkov:CKV_DOCKER_2"],
    }
}

impl Check<Dockerfiles> for HealthcheckMissing {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        let dockerfile = target.dockerfile;
        let Some(last) = dockerfile.final_stage() else {
            return;
        };
        // The last HEALTHCHECK of the lineage wins, `NONE` included.
        let healthcheck = dockerfile.lineage(last).find_map(|stage| {
            stage
                .instructions
                .iter()
                .rev()
                .find(|i| i.keyword == Keyword::Healthcheck)
        });
        let defined = healthcheck.is_some_and(|h| {
            matches!(
                h.command,
                Some(CommandForm::Exec(_) | CommandForm::Shell(_))
            )
        });
        if !defined {
            let how = if healthcheck.is_some() {
                "disables the health check (`HEALTHCHECK NONE`)"
            } else {
                "defines no HEALTHCHECK"
            };
            hits.push(Hit::at_instruction(
                &last.from,
                format!(
                    "the final stage {how}, so Docker treats a hung service as healthy; add \
                     `HEALTHCHECK CMD <probe>` (Kubernetes uses probes instead)"
                ),
            ));
        }
    }
}
