//! Which containers run which image reference.

use std::collections::BTreeMap;

use rampart_core::Location;
use rampart_k8s::pod_template;
use rampart_source::{Node, Object};

/// One container that runs an image.
#[derive(Debug, Clone)]
pub struct Runner {
    /// `Deployment shop/web, container web`.
    pub shown: String,
    /// The container's `image` field.
    pub at: Location,
}

/// The image references of the `objects`' pods, each with the containers that run it, in
/// reference order.
pub fn runners_by_image(objects: &[Object]) -> BTreeMap<&str, Vec<Runner>> {
    let mut runners: BTreeMap<&str, Vec<Runner>> = BTreeMap::new();
    for object in objects {
        let Some(pod) = pod_template(object) else {
            continue;
        };
        for container in pod.containers() {
            let Some(reference) = container.node.get("image").and_then(Node::as_str) else {
                continue;
            };
            runners.entry(reference).or_default().push(Runner {
                shown: format!(
                    "{}, container {}",
                    object.subject().label(),
                    container.name()
                ),
                at: object.location(object.span_at(&format!("{}/image", container.pointer))),
            });
        }
    }
    runners
}
