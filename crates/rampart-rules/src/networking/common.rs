//! What the networking rules share: the mesh workload a target is, and naming lists of
//! peers in messages.

use rampart_core::Evidence;
use rampart_k8s::mesh::Mesh;

use crate::Target;

/// How many peers a message names before summing up the rest.
const NAMED: usize = 8;

/// The items a message names: the first [`NAMED`]; findings carry evidence for those.
pub(crate) fn named<T>(items: &[T]) -> &[T] {
    &items[..items.len().min(NAMED)]
}

/// Evidence for the ports of the connections a finding is about.
pub(crate) fn ports_evidence(ports: impl ToString) -> Evidence {
    Evidence {
        label: "ports",
        value: ports.to_string(),
        location: None,
    }
}

/// `a, b, c` — or `a, b, … and 12 more` past [`NAMED`] items.
pub(crate) fn list(items: &[String]) -> String {
    if items.len() <= NAMED {
        return items.join(", ");
    }
    format!(
        "{} and {} more",
        items[..NAMED].join(", "),
        items.len() - NAMED
    )
}

/// The scan's mesh and the workload the target object is in it, when a mesh is in use.
pub(crate) fn mesh_workload<'t>(target: &'t Target<'_>) -> Option<(&'t Mesh, usize)> {
    target.pod.as_ref()?;
    let mesh = target.cluster.mesh(&target.options.mesh());
    if !mesh.in_use() {
        return None;
    }
    let workload = mesh.workload_of(target.cluster.index_of(target.object)?)?;
    Some((mesh, workload))
}

/// The names of topology pods, `namespace/name[Kind]`.
pub(crate) fn names(mesh: &Mesh, pods: &[usize]) -> Vec<String> {
    pods.iter().map(|&pod| mesh.name(pod)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_are_summed_up() {
        let items: Vec<String> = (0..10).map(|i| i.to_string()).collect();
        assert_eq!(list(&items[..2]), "0, 1");
        assert_eq!(list(&items), "0, 1, 2, 3, 4, 5, 6, 7 and 2 more");
    }
}
