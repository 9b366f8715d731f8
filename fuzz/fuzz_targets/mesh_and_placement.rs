//! Arbitrary bytes through the cross-object models a few rules share: the service mesh
//! (PeerAuthentications, DestinationRules, injection labels, port-list annotations) and node
//! placement (selectors, affinities, tolerations, taints), with every query the rules make.
//! Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_k8s::mesh::{Mesh, MeshOptions};
use rampart_k8s::placement::Placement;
use rampart_source::{Limits, parse_text};

/// Pairs of workloads tried for co-location, at most: enough to reach every branch.
const PAIRS: usize = 64;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (objects, _) = parse_text("fuzz.yaml", &text, &Limits::default());
    let (mesh, _) = Mesh::new(&objects, &MeshOptions::default());
    for pod in 0..mesh.workloads.len() {
        mesh.plaintext_into(pod);
    }
    for object in 0..objects.len() {
        mesh.tls_overrides(object);
    }
    let (placement, _) = Placement::new(&objects);
    let count = placement.workloads.len();
    for pair in 0..(count * count).min(PAIRS) {
        placement.colocation(pair / count, pair % count);
    }
});
