use rampart_core::{Concern, Layer, Severity, refs};
use rampart_image::RuntimeUser;

use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// The user the image runs as: the last `USER` of the final stage, or of the stages it
    /// is built `FROM` (a `USER` there is inherited). It is root when that user is `root` or
    /// UID `0` (`USER 0`, `USER 0:0`, `USER root:app`), and presumably root when no such stage
    /// sets a `USER` at all: the container then runs as the base image's user, which is root
    /// for nearly every base image (and always for `scratch`). A `USER` in a stage the final
    /// image is not built from (a build stage whose files are copied) does not count.
    /// A `USER` given by a build argument without a default is not judged.
    ///
    /// ## Why it matters
    /// A process running as root inside the container is root on the host's kernel: one
    /// kernel or runtime escape (CVE-2019-5736 in runc, CVE-2022-0185) gives the attacker the
    /// node, and without an escape root can still change every file of the image, read
    /// mounted secrets and use any capability the runtime grants. Kubernetes can force a user
    /// at runtime, but an image that already runs unprivileged is safe wherever it runs.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-alpine
    /// COPY . /app
    /// CMD ["node", "/app/server.js"]
    /// ```
    /// Use instead: create an unprivileged user and switch to it, by UID so that
    /// `runAsNonRoot` can verify it.
    /// ```dockerfile
    /// FROM node:20-alpine
    /// RUN adduser -D -u 10001 app
    /// COPY --chown=10001 . /app
    /// USER 10001
    /// CMD ["node", "/app/server.js"]
    /// ```
    pub struct RootUser {
        code: "D101",
        name: "root-user",
        title: "Image runs as root",
        severity: Severity::High,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            CisDocker: ["4.1"],
            Nsa: ["non-root-containers"],
            Mitre: ["T1611"],
            Cwe: ["CWE-250"],
        ],
        equivalents: &[
            "hadolint:DL3002",
            "trivy:DS-0002",
            "checkov:CKV_DOCKER_3",
            "checkov:CKV_DOCKER_8",
        ],
    }
}

impl Check<Dockerfiles> for RootUser {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        let dockerfile = target.dockerfile;
        let Some(last) = dockerfile.final_stage() else {
            return;
        };
        match dockerfile.effective_user(last) {
            Some((instruction, user)) => {
                if instruction.words.unresolved || !is_root(&user) {
                    return;
                }
                hits.push(Hit::at_instruction(
                    instruction,
                    format!(
                        "`USER {user}` is the last user of the final stage: the container runs \
                         as root; switch to an unprivileged user by UID (`USER 10001`)"
                    ),
                ));
            }
            None => hits.push(Hit::at_instruction(
                &last.from,
                "the final stage sets no USER, so the container runs as the base image's \
                 user, root unless the base image sets another; add `USER 10001` (an \
                 unprivileged UID) after the steps that need root",
            )),
        }
    }
}

/// `root`, `0`, `00`, `+0`, with or without a group: uid 0 as the runtime reads `USER`.
pub(crate) fn is_root(user: &str) -> bool {
    RuntimeUser::parse(user).is_root(|_| None) == Some(true)
}
