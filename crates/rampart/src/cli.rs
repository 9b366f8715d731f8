use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// rampart: a security scanner for cloud-native systems.
///
/// Checks Kubernetes manifests against exact Pod Security Standards and workload hardening
/// rules, with evidence for every finding.
#[derive(Debug, Parser)]
#[command(name = "rampart", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and folders (default: the current folder); `-` reads standard input.
    Scan(ScanArgs),
    /// List every rule with its metadata.
    Rules(RulesArgs),
    /// Explain one rule.
    Rule(RuleArgs),
    /// Evaluate pods and pod templates against the Pod Security Standards.
    Pss(PssArgs),
}

/// Flags every command that reads manifests shares.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or folders to scan; `-` for standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<String>,
    /// Largest file read, in MiB; larger files are reported as errors.
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    pub max_file_size: u64,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
    Sarif,
    Junit,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Exit 1 when an unsuppressed finding is at or above this severity
    /// (critical, high, medium, low, info) or `never`.
    #[arg(long, value_name = "SEVERITY", default_value = "high")]
    pub fail_on: String,
    /// Run only these rules: codes or prefixes, comma-separated (`K1,K201`).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,
    /// Skip these rules: codes or prefixes, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,
    /// Configuration file (default: the nearest `rampart.toml` from the first path upward).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every current finding to this baseline file.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CatalogFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, short, value_enum, default_value_t = CatalogFormat::Table)]
    pub format: CatalogFormat,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// The rule's code, e.g. K101.
    pub code: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PssFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct PssArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// The Pod Security Standards level to enforce.
    #[arg(long, value_name = "LEVEL", value_parser = ["baseline", "restricted"])]
    pub level: String,
    /// The policy version: v1.0 … v1.37, or latest.
    #[arg(long, value_name = "VERSION", default_value = "latest")]
    pub version: String,
    #[arg(long, short, value_enum, default_value_t = PssFormat::Table)]
    pub format: PssFormat,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn flags_are_consistent() {
        Cli::command().debug_assert();
    }
}
