use rampart_core::{Concern, Layer, References, Severity};

use super::config_pointer;
use crate::rule::{ImageCheck, declare_rule};
use crate::{Hit, ImageTarget};

declare_rule! {
    /// ## What it checks
    /// The user an image's containers run as (`config.User`, set by the Dockerfile's last
    /// `USER`): reported when it is empty (no `USER`: root), `root` or `0` (with or without a
    /// group), or a name that the image's own `/etc/passwd` maps to uid 0.
    ///
    /// A pod can still override the user (`runAsUser`), and rule K118 checks that; this rule
    /// judges the image's default, which applies wherever the pod does not.
    ///
    /// ## Why it matters
    /// Root in a container is root on the host's kernel: a kernel or runtime escape, a
    /// writable host mount or a leaked Docker socket turns into full control of the node, and
    /// inside the container root can rewrite every file of the application. An image that
    /// only works as root also forces every workload that runs it to allow root.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// COPY app /app
    /// CMD ["/app"]
    /// ```
    /// Use instead: a dedicated user, by numeric id (the kubelet can only verify
    /// `runAsNonRoot` against a number).
    /// ```dockerfile
    /// FROM debian:12
    /// RUN useradd --uid 10001 --no-create-home app
    /// COPY app /app
    /// USER 10001
    /// CMD ["/app"]
    /// ```
    pub struct ImageRunsAsRoot {
        code: "I101",
        name: "image-runs-as-root",
        title: "Image runs as root",
        severity: Severity::High,
        layer: Layer::Container,
        concern: Concern::Images,
        references: References {
            pss: &[],
            cis: &[],
            cis_docker: &[],
            nsa: &["non-root-containers"],
            mitre: &["T1611"],
            cwe: &["CWE-250"],
        },
        equivalents: &["trivy:DS-0002"],
    }
}

impl ImageCheck for ImageRunsAsRoot {
    fn reads_content(&self, path: &str) -> bool {
        path == "etc/passwd"
    }

    fn check(&self, target: &ImageTarget<'_>, hits: &mut Vec<Hit>) {
        let user = target
            .image
            .config
            .container()
            .user
            .as_deref()
            .unwrap_or("")
            .trim();
        let name = user.split(':').next().unwrap_or("");
        let fix = "set a non-root user by numeric id (`USER 10001`) in the Dockerfile";
        let message = match name {
            "" => format!(
                "the image sets no user, so its containers run as root (uid 0) unless the pod \
                 sets `runAsUser`; {fix}"
            ),
            "root" | "0" => format!("the image's user is `{user}` (uid 0); {fix}"),
            _ if name.bytes().all(|b| b.is_ascii_digit()) => return,
            _ => match target.image.passwd_uid(target.files, name) {
                Some(0) => format!(
                    "the image's user `{user}` has uid 0 in the image's /etc/passwd: it is \
                     root under another name; {fix}"
                ),
                _ => return,
            },
        };
        hits.push(Hit::new(config_pointer(&["config", "User"]), message));
    }
}
