//! `rampart netpol connlist | reach`: who may connect to whom, computed from the manifests'
//! network policies, in the notation of np-guard's netpol-analyzer so the results compare
//! directly; and for one pair, which policies and rules decide it.

use anyhow::{Result, anyhow};
use rampart_k8s::netpol::{
    Analysis, PeerName, focus, format_csv, format_dot, format_md, format_txt,
};
use rampart_scan::netpol::{ReachReport, connection_rows, write_reach_text};
use rampart_source::Object;

use crate::cli::{ConnlistArgs, ConnlistFormat, InputArgs, ReachArgs, ReachFormat};
use crate::scan::{read, targets};
use crate::{eprint_diagnostics, write_json};
use rampart_report::write_output;

/// Reads the input and analyses it; unreadable files and policy problems go to standard error.
fn load(input: &InputArgs) -> Result<Analysis> {
    let inventory = read(&targets(input), input)?;
    eprint_diagnostics(&inventory.errors);
    let (analysis, diagnostics) = Analysis::new(inventory.all::<Object>());
    eprint_diagnostics(&diagnostics);
    Ok(analysis)
}

/// Prints the connectivity list. Never reports findings, so it exits 0 unless the input cannot
/// be read.
pub fn connlist(args: &ConnlistArgs) -> Result<bool> {
    let analysis = load(&args.input)?;
    let workloads = analysis.workloads();
    let has_ingress = !analysis.ingress_routes.is_empty();
    for name in &args.focus_workload {
        let known = workloads.iter().any(|w| w.is_named(name))
            || (has_ingress && PeerName::IngressController.is_named(name));
        if !known {
            eprintln!("warning: workload `{name}` is not in the input; it has no connections");
        }
    }
    let connections = focus(&analysis.connlist(), &args.focus_workload);
    write_output(args.input.output.as_deref(), |out, _color| {
        match args.format {
            ConnlistFormat::Txt => out.write_all(format_txt(&connections).as_bytes()),
            ConnlistFormat::Csv => out.write_all(format_csv(&connections).as_bytes()),
            ConnlistFormat::Md => out.write_all(format_md(&connections).as_bytes()),
            ConnlistFormat::Dot => {
                // Every workload is drawn, or with a focus, the focused ones.
                let drawn: Vec<PeerName> = workloads
                    .iter()
                    .filter(|w| {
                        args.focus_workload.is_empty()
                            || args.focus_workload.iter().any(|name| w.is_named(name))
                    })
                    .cloned()
                    .collect();
                out.write_all(format_dot(&connections, &drawn).as_bytes())
            }
            ConnlistFormat::Json => write_json(out, &connection_rows(&connections)),
        }
    })?;
    Ok(false)
}

/// Explains whether `--from` may connect to `--to`; returns true (exit 1) when it may not.
pub fn reach(args: &ReachArgs) -> Result<bool> {
    let analysis = load(&args.input)?;
    let source = analysis
        .find_peer(&args.from)
        .map_err(|e| anyhow!("--from: {e}"))?;
    let destination = analysis
        .find_peer(&args.to)
        .map_err(|e| anyhow!("--to: {e}"))?;
    let answer = rampart_scan::netpol::reach(&analysis, source, destination, args.port.as_deref())
        .map_err(anyhow::Error::msg)?;
    write_output(args.input.output.as_deref(), |out, _color| {
        match args.format {
            ReachFormat::Txt => write_reach_text(out, &answer),
            ReachFormat::Json => write_json(out, &ReachReport::new(&answer)),
        }
    })?;
    Ok(!answer.allowed)
}
