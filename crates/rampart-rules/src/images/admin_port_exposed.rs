use rampart_core::{Concern, Layer, Severity, refs};

use super::config_pointer;
use crate::rule::{Check, declare_rule};
use crate::{Hit, ImageTarget, Images};

declare_rule! {
    /// ## What it checks
    /// Ports the image declares (`config.ExposedPorts`, from `EXPOSE`) that serve remote
    /// administration rather than an application: 22 (SSH), 23 (Telnet), 2375 and 2376 (the
    /// Docker Engine API, plain and TLS), 3389 (RDP), 5900 and 5901 (VNC), 5985 and 5986
    /// (WinRM). The unencrypted ones (Telnet, the plain Docker API) rank higher.
    ///
    /// ## Why it matters
    /// A remote shell inside a container is a way in that bypasses the cluster's access
    /// control and audit (`kubectl exec` is both authorised and logged), usually with
    /// passwords or keys baked into the image. The Docker API on 2375 has no authentication
    /// at all: whoever reaches it runs containers as root on the host.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get install -y openssh-server
    /// EXPOSE 22 8080
    /// ```
    /// Use instead: no remote shell in the image; `kubectl exec` or an ephemeral debug
    /// container when a shell is needed.
    /// ```dockerfile
    /// EXPOSE 8080
    /// ```
    pub struct ImageAdminPortExposed {
        code: "I102",
        name: "image-admin-port-exposed",
        title: "Image exposes a remote administration port",
        severity: Severity::Medium,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1021"],
            Cwe: ["CWE-668"],
        ],
        equivalents: &["trivy:DS-0004"],
    }
}

/// Administration services by port, and whether they travel in clear text.
const ADMIN_PORTS: &[(u16, &str, bool)] = &[
    (22, "SSH", false),
    (23, "Telnet, unencrypted", true),
    (
        2375,
        "the Docker Engine API without TLS or authentication",
        true,
    ),
    (2376, "the Docker Engine API", false),
    (3389, "RDP", false),
    (5900, "VNC", false),
    (5901, "VNC", false),
    (5985, "WinRM over HTTP", true),
    (5986, "WinRM", false),
];

impl Check<Images> for ImageAdminPortExposed {
    fn check(&self, target: &ImageTarget<'_>, hits: &mut Vec<Hit>) {
        let Some(ports) = &target.image.config.container().exposed_ports else {
            return;
        };
        for key in ports.keys() {
            let (number, protocol) = key.split_once('/').unwrap_or((key, "tcp"));
            if protocol != "tcp" {
                continue;
            }
            let Ok(number) = number.parse::<u16>() else {
                continue;
            };
            let Some((_, service, clear_text)) = ADMIN_PORTS.iter().find(|(p, ..)| *p == number)
            else {
                continue;
            };
            let hit = Hit::new(
                config_pointer(&["config", "ExposedPorts", key]),
                format!(
                    "the image exposes port {number} ({service}): a remote shell beside the \
                     cluster's own access control; remove the service and its `EXPOSE`, use \
                     `kubectl exec` or a debug container"
                ),
            );
            hits.push(if *clear_text {
                hit.with_severity(Severity::High)
            } else {
                hit
            });
        }
    }
}
