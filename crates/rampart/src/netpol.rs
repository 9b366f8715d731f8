//! `rampart netpol connlist`: who may connect to whom, computed from the manifests' network
//! policies, in the notation of np-guard's netpol-analyzer so the results compare directly.

use anyhow::Result;
use rampart_k8s::netpol::{Analysis, Connection, format_txt};
use rampart_k8s::rbac::DiagnosticLevel;
use serde::Serialize;

use crate::cli::{ConnlistArgs, ConnlistFormat};
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

/// Prints the connectivity list; unreadable files and policy problems go to standard error.
/// Never reports findings, so it exits 0 unless the input cannot be read.
pub fn connlist(args: &ConnlistArgs) -> Result<bool> {
    let inventory = read(&targets(&args.input), &args.input)?;
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
    let connections = analysis.connlist();
    write_output(args.input.output.as_deref(), |out, _color| {
        match args.format {
            ConnlistFormat::Txt => out.write_all(format_txt(&connections).as_bytes()),
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
