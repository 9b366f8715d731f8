use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Keyword;

use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `EXPOSE` instructions, in every stage, that include port 22 (SSH), alone (`22`,
    /// `22/tcp`) or in a range (`20-25`). Build arguments are substituted with their defaults.
    ///
    /// ## Why it matters
    /// An SSH server in a container is a second way in, with its own credentials, keys and
    /// vulnerabilities, usually forgotten by whoever manages the workload. Interactive access
    /// to containers belongs to the orchestrator (`kubectl exec`, `kubectl debug`), where it is
    /// authenticated, authorised by RBAC and audited.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 22 8080
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// EXPOSE 8080
    /// ```
    pub struct SshPortExposed {
        code: "D126",
        name: "ssh-port-exposed",
        title: "Image exposes the SSH port",
        severity: Severity::Medium,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1021.004"],
            Cwe: ["CWE-668"],
        ],
        equivalents: &["trivy:DS-0004", "checkov:CKV_DOCKER_1"],
    }
}

impl Check<Dockerfiles> for SshPortExposed {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for stage in &target.dockerfile.stages {
            for expose in stage
                .instructions
                .iter()
                .filter(|i| i.keyword == Keyword::Expose)
            {
                if let Some(port) = expose.words.words.iter().find(|p| includes_ssh(p)) {
                    hits.push(Hit::at_instruction(
                        expose,
                        format!(
                            "`EXPOSE {port}` exposes SSH (port 22); remove the SSH server and \
                             use `kubectl exec` or `kubectl debug` for access"
                        ),
                    ));
                }
            }
        }
    }
}

/// `22`, `22/tcp`, or a range containing 22.
fn includes_ssh(port: &str) -> bool {
    let (ports, protocol) = port.split_once('/').unwrap_or((port, "tcp"));
    if !protocol.eq_ignore_ascii_case("tcp") {
        return false;
    }
    let (low, high) = ports.split_once('-').unwrap_or((ports, ports));
    match (low.parse::<u32>(), high.parse::<u32>()) {
        (Ok(low), Ok(high)) => (low..=high).contains(&22),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_forms() {
        assert!(includes_ssh("22"));
        assert!(includes_ssh("22/tcp"));
        assert!(includes_ssh("20-25"));
        assert!(!includes_ssh("22/udp"));
        assert!(!includes_ssh("2222"));
        assert!(!includes_ssh("$PORT"));
    }
}
