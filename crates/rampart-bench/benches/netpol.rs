//! NetworkPolicy reachability at the scale of a large cluster (100 namespaces, 5,000 pods,
//! 1,000 NetworkPolicies, a few AdminNetworkPolicies): building the analysis from parsed
//! objects, and the connectivity list from it.
//! Run with `cargo bench -p rampart-bench --bench netpol`.

use divan::{Bencher, black_box};
use rampart_bench::netpol::{NetpolScale, generate_netpol};
use rampart_k8s::netpol::{Analysis, format_txt};
use rampart_source::{Limits, Object, parse_text};

fn main() {
    divan::main();
}

fn objects() -> Vec<Object> {
    let mut objects = Vec::new();
    for file in generate_netpol(NetpolScale::TARGET, 1) {
        let (parsed, errors) = parse_text(&file.path, &file.text, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        objects.extend(parsed);
    }
    objects
}

/// Objects to the analysis: topology, parsed policies, the policies selecting each pod.
#[divan::bench(sample_count = 10)]
fn build_analysis(bencher: Bencher) {
    let objects = objects();
    bencher.bench(|| Analysis::new(&objects));
}

/// Every allowed connection, the analysis built.
#[divan::bench(sample_count = 10)]
fn connlist(bencher: Bencher) {
    let (analysis, diagnostics) = Analysis::new(&objects());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    bencher.bench(|| black_box(analysis.connlist().len()));
}

/// Objects to the text report: what `rampart netpol connlist` does after parsing.
#[divan::bench(sample_count = 5)]
fn objects_to_txt(bencher: Bencher) {
    let objects = objects();
    bencher.bench(|| {
        let (analysis, _) = Analysis::new(&objects);
        black_box(format_txt(&analysis.connlist()).len())
    });
}
