//! The check behind the four resource rules (K133-K136): a regular or init container that does
//! not declare a CPU or memory limit or request.

use rampart_k8s::ContainerKind;
use rampart_source::Node;

use super::common::describe;
use crate::{Hit, Target};

/// `resources.limits` or `resources.requests`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Bound {
    Limit,
    Request,
}

impl Bound {
    fn field(self) -> &'static str {
        match self {
            Bound::Limit => "limits",
            Bound::Request => "requests",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Bound::Limit => "limit",
            Bound::Request => "request",
        }
    }
}

fn declared<'a>(container: &'a Node, bound: Bound, resource: &str) -> Option<&'a Node> {
    container
        .path(&["resources", bound.field(), resource])
        .filter(|value| !value.is_null())
}

/// Reports every regular and init container without `resources.<bound>.<resource>`.
/// Ephemeral containers cannot declare resources and are skipped. A missing request is not
/// reported when the limit is set, since Kubernetes then uses the limit as the request.
/// `consequence` says what the missing value lets happen.
pub(super) fn check_missing(
    target: &Target<'_>,
    bound: Bound,
    resource: &str,
    consequence: &str,
    hits: &mut Vec<Hit>,
) {
    let Some(pod) = &target.pod else { return };
    for container in pod.containers() {
        if container.kind == ContainerKind::Ephemeral
            || declared(container.node, bound, resource).is_some()
            || (bound == Bound::Request
                && declared(container.node, Bound::Limit, resource).is_some())
        {
            continue;
        }
        let field = bound.field();
        hits.push(Hit::new(
            format!("{}/resources/{field}/{resource}", container.pointer),
            format!(
                "{} has no {resource} {}: {consequence}; set resources.{field}.{resource}",
                describe(&container),
                bound.noun()
            ),
        ));
    }
}
