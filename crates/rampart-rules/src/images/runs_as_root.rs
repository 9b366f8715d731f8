use rampart_core::{Concern, Layer, Severity, refs};
use rampart_image::RuntimeUser;

use super::config_pointer;
use crate::rule::{Check, declare_rule};
use crate::{Hit, ImageTarget, Images};

declare_rule! {
    /// ## What it checks
    /// The user an image's containers run as (`config.User`, set by the Dockerfile's last
    /// `USER`), read as the container runtime reads it (the part before `:`, a number when it
    /// parses as one): reported when it is empty (no `USER`: root), uid 0 (`0`, `00`, `0:0`),
    /// `root`, or a name that the image's own `/etc/passwd` maps to uid 0.
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
        references: refs![
            Nsa: ["non-root-containers"],
            Mitre: ["T1611"],
            Cwe: ["CWE-250"],
        ],
        equivalents: &["trivy:DS-0002"],
    }
}

impl Check<Images> for ImageRunsAsRoot {
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
            .unwrap_or("");
        let fix = "set a non-root user by numeric id (`USER 10001`) in the Dockerfile";
        let runtime = RuntimeUser::parse(user);
        let passwd_uid = |name: &str| target.image.passwd_uid(target.files, name);
        if runtime.is_root(passwd_uid) != Some(true) {
            return;
        }
        let message = match runtime {
            RuntimeUser::Unset => format!(
                "the image sets no user, so its containers run as root (uid 0) unless the pod \
                 sets `runAsUser`; {fix}"
            ),
            RuntimeUser::Name(name) if name != "root" => format!(
                "the image's user `{user}` has uid 0 in the image's /etc/passwd: it is root \
                 under another name; {fix}"
            ),
            RuntimeUser::Uid(_) | RuntimeUser::Name(_) => {
                format!("the image's user is `{user}` (uid 0); {fix}")
            }
        };
        hits.push(Hit::new(config_pointer(&["config", "User"]), message));
    }
}
