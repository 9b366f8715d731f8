//! Arbitrary bytes as manifests through the NetworkPolicy engine: the analysis, the
//! connectivity list in every notation, and the explanation of every pair. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_k8s::netpol::{
    Analysis, ReachPeer, focus, format_csv, format_dot, format_md, format_txt,
};
use rampart_source::{Limits, parse_text};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (objects, _) = parse_text("fuzz.yaml", &text, &Limits::default());
    let (analysis, _) = Analysis::new(&objects);
    let connections = analysis.connlist();
    let workloads = analysis.workloads();
    format_txt(&connections);
    format_csv(&connections);
    format_md(&connections);
    format_dot(&connections, &workloads);
    for workload in &workloads {
        focus(&connections, &[workload.to_string()]);
    }
    let pods = analysis.topology.pods.len();
    let outside = analysis.external_ranges.iter().map(|r| ReachPeer::External(r.first()));
    let peers: Vec<ReachPeer> = (0..pods)
        .map(ReachPeer::Workload)
        .chain(outside)
        .chain([ReachPeer::IngressController])
        .collect();
    for &source in &peers {
        for &destination in &peers {
            // Pairs rampart does not analyse are refused with a reason.
            let _ = analysis.reach(source, destination);
        }
    }
});
