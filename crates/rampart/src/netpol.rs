//! `rampart netpol connlist`: who may connect to whom, computed from the manifests' network
//! policies, in the notation of np-guard's netpol-analyzer so the results compare directly.

use anyhow::Result;
use rampart_k8s::netpol::{
    Analysis, Connection, PeerName, focus, format_csv, format_dot, format_md, format_txt,
};
use rampart_k8s::rbac::DiagnosticLevel;
use serde::Serialize;

use crate::cli::{ConnlistArgs, ConnlistFormat, InputArgs};
use crate::scan::{read, targets, write_output};

/// One connection as netpol-analyzer's JSON writes it.
#[derive(Serialize)]
struct ConnectionJson {
    src: String,
    dst: String,
    conn: String,
}

impl From<&Connection> for ConnectionJson {
    fn from(connection: &Connection) -> ConnectionJson {
        ConnectionJson {
            src: connection.source.to_string(),
            dst: connection.destination.to_string(),
            conn: connection.allowed.to_string(),
        }
    }
}

/// Reads the input and analyses it; unreadable files and policy problems go to standard error.
fn load(input: &InputArgs) -> Result<Analysis> {
    let inventory = read(&targets(input), input)?;
    for error in &inventory.errors {
        let line = error.line.map(|l| format!(":{l}")).unwrap_or_default();
        eprintln!("error: {}{line}: {}", error.path, error.message);
    }
    let (analysis, diagnostics) = Analysis::new(&inventory.objects);
    for d in &diagnostics {
        let level = match d.level {
            DiagnosticLevel::Error => "error",
            DiagnosticLevel::Warning => "warning",
        };
        eprintln!("{level}: {}:{}: {}", d.path, d.line, d.message);
    }
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
            ConnlistFormat::Json => {
                let mut rows: Vec<ConnectionJson> =
                    connections.iter().map(ConnectionJson::from).collect();
                // The order of the txt lines.
                rows.sort_by(|a, b| (&a.src, &a.dst).cmp(&(&b.src, &b.dst)));
                serde_json::to_writer_pretty(&mut *out, &rows)?;
                writeln!(out)
            }
        }
    })?;
    Ok(false)
}
