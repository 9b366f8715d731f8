//! The shared path of the Pod Security Standards rules (`K101`–`K120`). Each rule runs one
//! upstream check through [`rampart_k8s::pss`] and turns the check's per-field evidence into
//! hits; none re-implements what a check tests, so `rampart scan` and `rampart pss` cannot
//! disagree. Where two checks test the same field (a restricted check and the baseline one it
//! supersedes), the restricted rule drops the fields the baseline rule reports, so one problem
//! gives one finding.

use rampart_k8s::pss::{Field, Version, run_check};

use crate::{Hit, Target};

/// The offending fields one check found in a target's pod, at the newest policy version.
pub(super) struct Evidence {
    fields: Vec<Field>,
}

impl Evidence {
    /// Runs check `check` (an upstream id) on the target's pod; no evidence when the target
    /// runs no pods or passes.
    pub(super) fn of(target: &Target<'_>, check: &str) -> Evidence {
        let fields = target
            .pod
            .as_ref()
            .and_then(|pod| run_check(check, pod, Version::LATEST))
            .map(|violation| violation.fields)
            .unwrap_or_default();
        Evidence { fields }
    }

    /// Keeps the fields `keep` accepts.
    pub(super) fn only(mut self, keep: impl Fn(&Field) -> bool) -> Evidence {
        self.fields.retain(|field| keep(field));
        self
    }

    /// Drops the fields check `other` also reports on the same target, for a rule whose check
    /// overlaps the one another rule runs.
    pub(super) fn except(self, target: &Target<'_>, other: &str) -> Evidence {
        let reported = Evidence::of(target, other).fields;
        self.only(|field| !reported.iter().any(|seen| seen.pointer == field.pointer))
    }

    /// One hit per field: where it is, whose it is, what is wrong, and `advice`.
    pub(super) fn report(self, hits: &mut Vec<Hit>, advice: &str) {
        self.report_each(hits, |_| advice);
    }

    /// Like [`Evidence::report`], with advice chosen per field.
    pub(super) fn report_each<'s>(self, hits: &mut Vec<Hit>, advice: impl Fn(&Field) -> &'s str) {
        for field in self.fields {
            let message = format!("{}: {}; {}", subject(&field), field.detail, advice(&field));
            hits.push(Hit::new(field.pointer, message));
        }
    }
}

/// Whose field it is: "container `app`", "init container `setup`", "ephemeral container
/// `debug`", "pod securityContext", "pod annotation `key`" or "pod".
fn subject(field: &Field) -> String {
    let pointer = field.pointer.as_str();
    if let Some(name) = &field.container {
        let kind = if pointer.contains("/initContainers/") {
            "init container"
        } else if pointer.contains("/ephemeralContainers/") {
            "ephemeral container"
        } else {
            "container"
        };
        return format!("{kind} `{name}`");
    }
    if let Some((_, key)) = pointer.rsplit_once("/annotations/") {
        return format!(
            "pod annotation `{}`",
            key.replace("~1", "/").replace("~0", "~")
        );
    }
    if pointer.contains("/securityContext/") {
        return "pod securityContext".to_owned();
    }
    "pod".to_owned()
}

/// Whether a field's pointer names `field` as its last token.
pub(super) fn at(field: &'static str) -> impl Fn(&Field) -> bool {
    move |candidate| candidate.pointer.rsplit('/').next() == Some(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(pointer: &str, container: Option<&str>) -> Field {
        Field {
            pointer: pointer.to_owned(),
            container: container.map(str::to_owned),
            detail: String::new(),
        }
    }

    #[test]
    fn subjects_name_the_container_kind_or_the_pod_part() {
        let cases = [
            (
                field(
                    "/spec/initContainers/0/securityContext/privileged",
                    Some("setup"),
                ),
                "init container `setup`",
            ),
            (
                field(
                    "/spec/ephemeralContainers/0/securityContext/privileged",
                    Some("dbg"),
                ),
                "ephemeral container `dbg`",
            ),
            (
                field(
                    "/spec/template/spec/containers/1/ports/0/hostPort",
                    Some("web"),
                ),
                "container `web`",
            ),
            (
                field("/spec/securityContext/runAsUser", None),
                "pod securityContext",
            ),
            (
                field(
                    "/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1app",
                    None,
                ),
                "pod annotation `container.apparmor.security.beta.kubernetes.io/app`",
            ),
            (field("/spec/hostPID", None), "pod"),
        ];
        for (field, expected) in cases {
            assert_eq!(subject(&field), expected, "{}", field.pointer);
        }
    }

    #[test]
    fn at_matches_the_last_pointer_token_only() {
        let host_pid = at("hostPID");
        assert!(host_pid(&field("/spec/hostPID", None)));
        assert!(!host_pid(&field("/spec/hostPIDx", None)));
        assert!(!host_pid(&field("/spec/hostNetwork", None)));
    }
}
