//! Small helpers several workload rules share: how to name a container in a message, Linux
//! capability lists, effective settings and images.

use rampart_core::ImageRef;
use rampart_graph::{ImageSource, Link};
use rampart_image::RuntimeUser;
use rampart_k8s::{ContainerKind, ContainerRef, PodTemplate};
use rampart_source::Node;

use crate::{Hit, Target};

/// "container `app`", "init container `setup`", "ephemeral container `debug`".
pub(super) fn describe(container: &ContainerRef<'_>) -> String {
    let kind = match container.kind {
        ContainerKind::Init => "init container",
        ContainerKind::Regular => "container",
        ContainerKind::Ephemeral => "ephemeral container",
    };
    format!("{kind} `{}`", container.name())
}

/// "`a`, `b` and `c`".
pub(super) fn quoted_list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// A capability as the runtime reads it: upper case, without the optional `CAP_` prefix.
pub(super) fn capability_name(raw: &str) -> String {
    let upper = raw.trim().to_ascii_uppercase();
    match upper.strip_prefix("CAP_") {
        Some(rest) => rest.to_owned(),
        None => upper,
    }
}

/// The capabilities in a container's `securityContext.capabilities.<list>` (`add` or `drop`),
/// normalised, with their index in the list.
pub(super) fn capabilities(
    container: &ContainerRef<'_>,
    list: &str,
) -> impl Iterator<Item = (usize, String)> {
    container
        .security("capabilities")
        .and_then(|caps| caps.get(list))
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .filter_map(|(index, node)| Some((index, capability_name(node.as_str()?))))
}

/// Checks a setting the container inherits from the pod when it does not set it
/// (`runAsUser`, `runAsGroup`, ...). Every container whose effective value is bad gets a hit:
/// at its own field when it sets the value, and containers inheriting a bad pod-level value
/// share one hit at the pod field, naming them all, so one mistake is reported once.
pub(super) fn check_effective<'a>(
    pod: &PodTemplate<'a>,
    containers: impl Iterator<Item = ContainerRef<'a>>,
    field: &str,
    is_bad: impl Fn(&Node) -> bool,
    own: impl Fn(&ContainerRef<'a>, &Node) -> String,
    inherited: impl Fn(&Node, &str) -> String,
    hits: &mut Vec<Hit>,
) {
    let mut inheriting = Vec::new();
    for container in containers {
        let effective = pod.effective(&container, field);
        let Some(value) = effective.value.filter(|value| is_bad(value)) else {
            continue;
        };
        if effective.inherited {
            inheriting.push(describe(&container));
        } else {
            hits.push(Hit::new(effective.pointer, own(&container, value)));
        }
    }
    if let Some(value) = pod.pod_security(field)
        && !inheriting.is_empty()
    {
        let names = match inheriting.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => inheriting.concat(),
        };
        hits.push(Hit::new(
            pod.pod_security_pointer(field),
            inherited(value, &names),
        ));
    }
}

/// Every container (of any kind) with its parsed `image`, for the image rules. A container
/// without an image, or whose image is not a valid reference (which the runtime would refuse to
/// pull), has nothing for them to judge: the shape check reports it as an error instead.
pub(super) fn container_images<'a, 'p>(
    pod: &'p PodTemplate<'a>,
) -> impl Iterator<Item = (ContainerRef<'a>, ImageRef<'a>)> + 'p {
    pod.containers().filter_map(|container| {
        let image = container.node.get("image")?.as_str()?;
        let parsed = ImageRef::parse(image).ok()?;
        Some((container, parsed))
    })
}

/// The pointer of a container's `image` field.
pub(super) fn image_pointer(container: &ContainerRef<'_>) -> String {
    format!("{}/image", container.pointer)
}

/// The service account a pod runs as, and the field that names it: `serviceAccountName`, else
/// the deprecated `serviceAccount` (the API server copies it over), else `default` (named
/// nowhere).
pub(super) fn service_account<'a>(pod: &PodTemplate<'a>) -> (&'a str, Option<&'static str>) {
    for field in ["serviceAccountName", "serviceAccount"] {
        if let Some(name) = pod.spec.get(field).and_then(Node::as_str)
            && !name.is_empty()
        {
            return (name, Some(field));
        }
    }
    ("default", None)
}

/// A container whose image's user the scan knows (from the image or the Dockerfile that
/// builds it), with the user settings the pod gives it.
pub(super) struct ImageUserCase<'a> {
    pub container: ContainerRef<'a>,
    pub source: &'a ImageSource,
    pub link: &'a Link,
    /// The user the image starts as, as the runtime reads it.
    pub user: RuntimeUser,
    /// Whether the pod or the container sets `runAsUser`: then the image's user is not used.
    pub run_as_user_set: bool,
    /// The effective `runAsNonRoot`.
    pub run_as_non_root: bool,
}

/// The Linux containers of the target's pod whose image user is known.
pub(super) fn image_user_cases<'a>(target: &Target<'a>) -> Vec<ImageUserCase<'a>> {
    let Some(pod) = &target.pod else {
        return Vec::new();
    };
    if pod.is_windows() {
        return Vec::new();
    }
    pod.containers()
        .filter_map(|container| {
            let reference = container.node.get("image").and_then(Node::as_str)?;
            let (source, link) = target.links.user_of(reference)?;
            let user = source.user.runtime()?;
            let run_as_user_set = pod.effective(&container, "runAsUser").value.is_some();
            let run_as_non_root = pod
                .effective(&container, "runAsNonRoot")
                .value
                .and_then(Node::as_bool)
                == Some(true);
            Some(ImageUserCase {
                container,
                source,
                link,
                user,
                run_as_user_set,
                run_as_non_root,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capability_names_are_normalised() {
        assert_eq!(capability_name("net_raw"), "NET_RAW");
        assert_eq!(capability_name("CAP_SYS_ADMIN"), "SYS_ADMIN");
        assert_eq!(capability_name(" cap_bpf "), "BPF");
        assert_eq!(capability_name("all"), "ALL");
    }

    #[test]
    fn lists_read_naturally() {
        assert_eq!(quoted_list::<&str>(&[]), "");
        assert_eq!(quoted_list(&["a"]), "`a`");
        assert_eq!(quoted_list(&["a", "b", "c"]), "`a`, `b` and `c`");
    }
}
