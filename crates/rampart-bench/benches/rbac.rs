//! The RBAC model at the scale of a large cluster (20,000 roles, 20,000 bindings, 5,000
//! service accounts): building it from parsed objects, single who-can and can-i queries, and
//! the whole analysis with escalation paths.
//! Run with `cargo bench -p rampart-bench --bench rbac`.

use divan::{Bencher, black_box};
use rampart_bench::rbac::{RbacScale, generate_rbac};
use rampart_k8s::rbac::escalation::{ClusterFacts, EscalationGraph, Jewel};
use rampart_k8s::rbac::{Identity, RbacModel, RbacOptions, Request};
use rampart_source::{Limits, Object, parse_text};

fn main() {
    divan::main();
}

fn objects() -> Vec<Object> {
    let text = generate_rbac(RbacScale::TARGET, 1);
    let limits = Limits {
        max_file_bytes: u64::MAX,
        ..Limits::default()
    };
    let (objects, errors) = parse_text("rbac.yaml", &text, &limits);
    assert!(errors.is_empty(), "{errors:?}");
    objects
}

/// YAML text to objects: what loading costs before the model.
#[divan::bench(sample_count = 5)]
fn parse(bencher: Bencher) {
    let text = generate_rbac(RbacScale::TARGET, 1);
    let limits = Limits {
        max_file_bytes: u64::MAX,
        ..Limits::default()
    };
    bencher.bench(|| parse_text("rbac.yaml", &text, &limits));
}

/// Objects to the indexed model, defaults included.
#[divan::bench(sample_count = 5)]
fn build_model(bencher: Bencher) {
    let objects = objects();
    bencher.bench(|| RbacModel::build(&objects, &RbacOptions::default()));
}

#[divan::bench(sample_count = 20)]
fn who_can(bencher: Bencher) {
    let model = RbacModel::build(&objects(), &RbacOptions::default());
    let request = Request::resource("get", "ns-7", "", "secrets", "", "");
    bencher.bench(|| black_box(model.who_can(&request)));
}

#[divan::bench(sample_count = 20)]
fn who_can_cluster_wide_wildcard(bencher: Bencher) {
    let model = RbacModel::build(&objects(), &RbacOptions::default());
    let request = Request::resource("delete", "", "example.com", "widgets", "", "");
    bencher.bench(|| black_box(model.who_can(&request)));
}

#[divan::bench(sample_count = 20)]
fn can_i(bencher: Bencher) {
    let model = RbacModel::build(&objects(), &RbacOptions::default());
    let identity = Identity::service_account("ns-7", "sa-7", &["team-3".to_owned()]);
    let request = Request::resource("create", "ns-7", "", "pods", "exec", "web");
    bencher.bench(|| black_box(model.can_i(&identity, &request)));
}

/// Objects to every identity's shortest path to cluster-admin: model, escalation graph and
/// search, what `rampart rbac escalations` does after parsing.
#[divan::bench(sample_count = 5)]
fn escalations(bencher: Bencher) {
    let objects = objects();
    bencher.bench(|| {
        let model = RbacModel::build(&objects, &RbacOptions::default());
        let graph = EscalationGraph::new(&model, &ClusterFacts::of(&objects));
        black_box(graph.paths(Jewel::ClusterAdmin).len())
    });
}

/// The search alone, per jewel, on a built graph.
#[divan::bench(sample_count = 10, args = [Jewel::ClusterAdmin, Jewel::Secrets, Jewel::Nodes])]
fn escalation_search(bencher: Bencher, jewel: Jewel) {
    let objects = objects();
    let model = RbacModel::build(&objects, &RbacOptions::default());
    let graph = EscalationGraph::new(&model, &ClusterFacts::of(&objects));
    bencher.bench(|| black_box(graph.paths(jewel).len()));
}
