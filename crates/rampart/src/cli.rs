use std::net::SocketAddr;
use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use rampart_report::Format;

/// rampart: a security scanner for cloud-native systems.
///
/// Checks the four layers of a cloud-native system (code, containers, Kubernetes clusters and
/// their cloud) with exact semantics, and evidence for every finding.
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
    /// Scan a Kubernetes node as it is configured: its kubelet's effective configuration, its
    /// static pods and the modes and owners of its files.
    Node(NodeArgs),
    /// Analyse container images: registry references, OCI layout folders, `docker save`
    /// archives.
    Image(ImageArgs),
    /// List the images the workloads run: the containers that run each, the Dockerfile or
    /// image of the scan it is matched to and why, and the user it starts as.
    Images(ImagesArgs),
    /// List every rule with its metadata.
    Rules(RulesArgs),
    /// Explain one rule.
    Rule(RuleArgs),
    /// Evaluate pods and pod templates against the Pod Security Standards.
    Pss(PssArgs),
    /// Answer RBAC questions: who can do what, and what an identity can do.
    Rbac(RbacArgs),
    /// Network reachability under NetworkPolicies and admin network policies.
    Netpol(NetpolArgs),
    /// Write a software bill of materials: the packages of a folder's lockfiles (and of its
    /// package databases when it is a root file system) or of an image.
    Sbom(SbomArgs),
    /// The offline vulnerability database: import OSV advisories, download OSV's exports,
    /// say what it holds.
    Db(DbArgs),
    /// Answer AWS IAM questions from Terraform and CloudFormation, evaluated as AWS does.
    Iam(IamArgs),
    /// Serve a validating admission webhook (AdmissionReview v1 on POST /validate, over
    /// HTTPS) that judges each object with the rules and suppressions of `scan`.
    Webhook(WebhookArgs),
    /// Render a Helm chart as `helm template` renders it, or a kustomization as `kubectl
    /// kustomize` builds it, and print the stream.
    Render(RenderArgs),
    /// Print the completion script of a shell (`rampart completions bash >
    /// /etc/bash_completion.d/rampart`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, in roff (`rampart man | man -l -`).
    Man,
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

/// The report formats, named as `rampart_report::Format` names them.
fn report_format() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::ALL.map(Format::as_str))
        .map(|name| name.parse().expect("offered names parse"))
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Also analyse the images the workloads run, pulled from their registries (network).
    #[arg(long)]
    pub images: bool,
    #[command(flatten)]
    pub image_source: ImageSourceArgs,
    /// Terraform variable values for every root module read, after its `terraform.tfvars`
    /// and `*.auto.tfvars` (repeatable; later files win).
    #[arg(long, value_name = "FILE")]
    pub var_file: Vec<PathBuf>,
}

/// Flags every command that reports findings shares: format, gating, rule selection and
/// suppression.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, short, default_value = "table", value_parser = report_format())]
    pub format: Format,
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
    /// The offline vulnerability database for the package rules (default: `rampart/db` under
    /// the user's cache folder; `rampart db` fills it). A scan never downloads it.
    #[arg(long, value_name = "DIR")]
    pub db: Option<PathBuf>,
    /// Exit 2 when an input could not be read, parsed or rendered (default when the `CI`
    /// environment variable is set).
    #[arg(long, overrides_with = "no_fail_on_errors")]
    pub fail_on_errors: bool,
    /// Report inputs that could not be read, parsed or rendered without failing, even in CI.
    #[arg(long, overrides_with = "fail_on_errors")]
    pub no_fail_on_errors: bool,
}

/// `rampart render`: the flags of `helm template` that decide what it prints (a
/// kustomization takes none).
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The chart's folder (holding `Chart.yaml`) or the kustomization's.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// Values files, in order (later ones win), as `helm template --values`.
    #[arg(long = "values", short = 'f', value_name = "FILE")]
    pub values: Vec<PathBuf>,
    /// Values as `helm template --set` reads them (`a.b=1,list={x,y}`).
    #[arg(long, value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Values read as strings, as `--set-string`.
    #[arg(long, value_name = "KEY=VALUE")]
    pub set_string: Vec<String>,
    /// Values read as JSON, as `--set-json`.
    #[arg(long, value_name = "KEY=JSON")]
    pub set_json: Vec<String>,
    /// One value taken literally, as `--set-literal`.
    #[arg(long, value_name = "KEY=VALUE")]
    pub set_literal: Vec<String>,
    /// Values read from files, as `--set-file`.
    #[arg(long, value_name = "KEY=FILE")]
    pub set_file: Vec<String>,
    /// The release name (`helm template NAME`).
    #[arg(long, value_name = "NAME", default_value = "release-name")]
    pub release_name: String,
    /// The release namespace.
    #[arg(long, short, value_name = "NS", default_value = "default")]
    pub namespace: String,
    /// The Kubernetes version `.Capabilities.KubeVersion` reports.
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,
    /// Extra API versions `.Capabilities.APIVersions.Has` knows (`example.com/v1`).
    #[arg(long = "api-versions", short = 'a', value_name = "VERSION")]
    pub api_versions: Vec<String>,
    /// Print the chart's CRDs (`crds/`) first.
    #[arg(long)]
    pub include_crds: bool,
    /// Leave out test hooks.
    #[arg(long)]
    pub skip_tests: bool,
    /// Write the stream to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NodeArgs {
    /// The node's root folder: `/` on the node, or where its file system is mounted
    /// (`/host` in the shipped DaemonSet).
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
    /// Largest file read, in MiB; larger files are reported as errors.
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    pub max_file_size: u64,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// How images are read: which platform of a multi-platform image, which registries may be
/// reached over plain HTTP, and the caps on what one image may expand to.
#[derive(Debug, Args)]
pub struct ImageSourceArgs {
    /// The platform to analyse in multi-platform images: os/arch[/variant], e.g. linux/arm64
    /// (default: linux/amd64 when offered, else the first).
    #[arg(long, value_name = "PLATFORM")]
    pub platform: Option<String>,
    /// A registry (host[:port]) to reach over plain HTTP; loopback registries always are.
    #[arg(long, value_name = "HOST")]
    pub insecure_registry: Vec<String>,
    /// Largest expanded size of one image's layers, in MiB; larger images are refused.
    #[arg(long, value_name = "MIB", default_value_t = 16384)]
    pub max_image_size: u64,
    /// Most tar entries over one image's layers.
    #[arg(long, value_name = "N", default_value_t = 2_000_000)]
    pub max_image_entries: u64,
}

#[derive(Debug, Args)]
pub struct ImageArgs {
    /// Registry references (`nginx:1.27`, `ghcr.io/acme/app@sha256:...`), OCI image layout
    /// folders or `docker save` archives.
    #[arg(value_name = "REF|PATH", required = true)]
    pub images: Vec<String>,
    #[command(flatten)]
    pub report: ReportArgs,
    #[command(flatten)]
    pub image_source: ImageSourceArgs,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SbomArgs {
    /// A folder, an OCI layout folder, a `docker save` archive or a registry reference.
    #[arg(value_name = "PATH|IMAGE")]
    pub target: String,
    /// Document format: CycloneDX 1.6 JSON or SPDX 2.3 JSON.
    #[arg(long, short, value_enum)]
    pub format: SbomFormat,
    /// Write the document to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Largest file read, in MiB; larger files are reported as errors.
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    pub max_file_size: u64,
    #[command(flatten)]
    pub image_source: ImageSourceArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SbomFormat {
    Cyclonedx,
    Spdx,
}

#[derive(Debug, Args)]
pub struct ImagesArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ImagesFormat::Txt)]
    pub format: ImagesFormat,
    /// Configuration file (default: the nearest rampart.toml), for its `[images]`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Also pull the images the workloads run, to match them by name (network).
    #[arg(long)]
    pub images: bool,
    #[command(flatten)]
    pub image_source: ImageSourceArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImagesFormat {
    Txt,
    Json,
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
    #[arg(long, short, value_enum, default_value_t = AnswerFormat::Table)]
    pub format: AnswerFormat,
}

#[derive(Debug, Args)]
pub struct RbacArgs {
    #[command(subcommand)]
    pub command: RbacCommand,
}

#[derive(Debug, Subcommand)]
pub enum RbacCommand {
    /// Whether SUBJECT may make a request, and through which bindings; exit 0 yes, 1 no.
    CanI(CanIArgs),
    /// Every subject that may make a request, with the bindings that allow it.
    WhoCan(WhoCanArgs),
    /// Everything SUBJECT may do, cluster-wide and per namespace.
    Permissions(PermissionsArgs),
    /// Every identity that can make itself cluster-admin (or reach another target), with the
    /// shortest chain of techniques; exit 1 when there is one.
    Escalations(EscalationsArgs),
}

/// The answer of a command that is not a findings report: text for people, or its JSON
/// contract (docs/json-*.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnswerFormat {
    Table,
    Json,
}

/// Flags every `rbac` command shares: where the manifests are and how to answer.
#[derive(Debug, Args)]
pub struct RbacModelArgs {
    #[arg(long, short, value_enum, default_value_t = AnswerFormat::Table)]
    pub format: AnswerFormat,
    /// Leave out the roles and bindings every cluster starts with (cluster-admin, edit, ...).
    #[arg(long)]
    pub no_defaults: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// A request: VERB RESOURCE[/SUBRESOURCE] or VERB /url/path.
#[derive(Debug, Args)]
pub struct RequestArgs {
    /// The verb: get, list, watch, create, update, patch, delete, impersonate, bind, ...
    pub verb: String,
    /// The resource as kubectl takes it (pods, pods/exec, deployments.apps, */scale) or a
    /// non-resource URL (/healthz).
    pub resource: String,
    /// The namespace of the request; without it the request is cluster-wide.
    #[arg(long, short)]
    pub namespace: Option<String>,
    /// The API group, when RESOURCE does not name it (default: the built-in resource's group).
    #[arg(long, value_name = "GROUP")]
    pub api_group: Option<String>,
    /// The name of the object the request is about.
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct CanIArgs {
    /// Who asks: system:serviceaccount:NAMESPACE:NAME, user:NAME or group:NAME.
    #[arg(long = "as", value_name = "SUBJECT")]
    pub subject: String,
    /// A group the subject is also in (repeatable), like kubectl's --as-group.
    #[arg(long, value_name = "GROUP")]
    pub as_group: Vec<String>,
    #[command(flatten)]
    pub request: RequestArgs,
    #[command(flatten)]
    pub model: RbacModelArgs,
}

#[derive(Debug, Args)]
pub struct WhoCanArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    #[command(flatten)]
    pub model: RbacModelArgs,
}

#[derive(Debug, Args)]
pub struct PermissionsArgs {
    /// system:serviceaccount:NAMESPACE:NAME, user:NAME or group:NAME.
    pub subject: String,
    /// A group the subject is also in (repeatable).
    #[arg(long, value_name = "GROUP")]
    pub as_group: Vec<String>,
    #[command(flatten)]
    pub model: RbacModelArgs,
}

/// What `rbac escalations` looks for paths to.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EscalationTarget {
    /// Every verb on every resource cluster-wide, or system:masters.
    ClusterAdmin,
    /// Reading every Secret of the cluster.
    Secrets,
    /// Running commands on nodes through the kubelet API.
    Nodes,
}

#[derive(Debug, Args)]
pub struct EscalationsArgs {
    /// The crown jewel to find paths to.
    #[arg(long, value_enum, default_value_t = EscalationTarget::ClusterAdmin)]
    pub target: EscalationTarget,
    #[command(flatten)]
    pub model: RbacModelArgs,
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

#[derive(Debug, Args)]
pub struct NetpolArgs {
    #[command(subcommand)]
    pub command: NetpolCommand,
}

#[derive(Debug, Subcommand)]
pub enum NetpolCommand {
    /// Every allowed connection between distinct peers (workloads, external address ranges,
    /// the ingress controller), in netpol-analyzer's notation.
    Connlist(ConnlistArgs),
    /// Whether one peer may connect to another, and which policies and rules decide it on
    /// both sides; exit 0 allowed, 1 denied.
    Reach(ReachArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ConnlistFormat {
    /// `src => dst : conn`, one connection a line.
    Txt,
    /// An array of `{"src", "dst", "conn"}`.
    Json,
    /// A `src,dst,conn` table.
    Csv,
    /// A Graphviz digraph, workloads grouped by namespace.
    Dot,
    /// A Markdown table.
    Md,
}

#[derive(Debug, Args)]
pub struct ConnlistArgs {
    #[arg(long, short, value_enum, default_value_t = ConnlistFormat::Txt)]
    pub format: ConnlistFormat,
    /// Only connections from or to this workload: NAME or NAMESPACE/NAME (`ingress-controller`
    /// for traffic entering through Ingress objects and Routes); repeatable, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "NAME")]
    pub focus_workload: Vec<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReachFormat {
    Txt,
    Json,
}

#[derive(Debug, Args)]
pub struct ReachArgs {
    /// The source: NAMESPACE/NAME or NAME of a workload or bare pod (NAME[Kind] tells apart two
    /// of one name), an IP address outside the cluster, or `ingress-controller`.
    #[arg(long, value_name = "PEER")]
    pub from: String,
    /// The destination: a workload or bare pod, or an IP address outside the cluster.
    #[arg(long, value_name = "PEER")]
    pub to: String,
    /// Ask about one port: NUMBER or NAME (a named port of the destination), with `/TCP`,
    /// `/UDP` or `/SCTP` (TCP when left out). Without it, every port is explained.
    #[arg(long, value_name = "PORT[/PROTO]")]
    pub port: Option<String>,
    #[arg(long, short, value_enum, default_value_t = ReachFormat::Txt)]
    pub format: ReachFormat,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
}

/// Where the database is: `--db DIR`, else `rampart/db` in the user's cache folder.
#[derive(Debug, Args)]
pub struct DbLocation {
    /// The database folder (default: `rampart/db` under the user's cache folder).
    #[arg(long, value_name = "DIR")]
    pub db: Option<PathBuf>,
    #[arg(long, short, value_enum, default_value_t = AnswerFormat::Table)]
    pub format: AnswerFormat,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Add OSV advisories to the database: folders of OSV JSON or YAML files, OSV zip exports
    /// (`all.zip`), single records. Offline.
    Import(DbImportArgs),
    /// Download OSV's per-ecosystem exports and import them (network; only when run).
    Update(DbUpdateArgs),
    /// What the database holds and how old it is.
    Status(DbStatusArgs),
}

#[derive(Debug, Args)]
pub struct DbImportArgs {
    #[command(flatten)]
    pub location: DbLocation,
    /// Folders, zip exports or record files.
    #[arg(value_name = "SRC", required = true)]
    pub sources: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DbUpdateArgs {
    #[command(flatten)]
    pub location: DbLocation,
    /// An ecosystem to download, as OSV names it (`PyPI`, `npm`, `Go`, `Debian`, `Alpine`);
    /// repeatable. Default: the ecosystems the database already holds.
    #[arg(long, value_name = "ECOSYSTEM")]
    pub ecosystem: Vec<String>,
    /// Where the exports are (`BASE/ECOSYSTEM/all.zip`).
    #[arg(long, value_name = "URL", default_value = rampart_vulndb::update::DEFAULT_BASE_URL)]
    pub base_url: String,
}

#[derive(Debug, Args)]
pub struct DbStatusArgs {
    #[command(flatten)]
    pub location: DbLocation,
}

#[derive(Debug, Args)]
pub struct IamArgs {
    #[command(subcommand)]
    pub command: IamCommand,
}

#[derive(Debug, Subcommand)]
pub enum IamCommand {
    /// Whether PRINCIPAL may make a request, with the statements that decide; exit 0 when
    /// allowed in every request context, 1 when denied or allowed only under a condition.
    CanI(IamCanIArgs),
}

#[derive(Debug, Args)]
pub struct IamCanIArgs {
    /// Who asks: `user/NAME`, `role/NAME` or `group/NAME` (IAM names, with or without their
    /// path) or the address that declares it (`aws_iam_role.app`).
    #[arg(long = "as", value_name = "PRINCIPAL")]
    pub principal: String,
    /// The action, `service:Action` (`iam:PassRole`).
    pub action: String,
    /// The resource (an ARN, or the address of a resource such as `aws_kms_key.app`; every
    /// resource, `*`, when left out), then the files and folders to read (default: `.`).
    #[arg(value_name = "[RESOURCE] PATH")]
    pub rest: Vec<String>,
    #[arg(long, short, value_enum, default_value_t = AnswerFormat::Table)]
    pub format: AnswerFormat,
    /// Largest file read, in MiB; larger files are reported as errors.
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    pub max_file_size: u64,
    /// Write the answer to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct WebhookArgs {
    /// Address and port to listen on (`0.0.0.0:8443`).
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: SocketAddr,
    /// The serving certificate chain (PEM); read again when it changes.
    #[arg(long, value_name = "FILE")]
    pub tls_cert: PathBuf,
    /// The certificate's private key (PEM).
    #[arg(long, value_name = "FILE")]
    pub tls_key: PathBuf,
    /// Refuse objects with an unsuppressed finding at or above this severity
    /// (critical, high, medium, low, info); findings below it are warnings.
    #[arg(long, value_name = "SEVERITY", default_value = "high")]
    pub deny_on: rampart_core::Severity,
    /// Configuration file (`rampart.toml`: rule selection, options, exclusions). None is
    /// looked for.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run only these rules: codes or prefixes, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,
    /// Skip these rules: codes or prefixes, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,
    /// The answer for an object rampart cannot read: `deny` or `allow` (with a warning).
    #[arg(long, value_name = "deny|allow", default_value = "deny")]
    pub on_error: rampart_server::OnError,
    /// Allow, without judging, objects in this namespace (repeatable).
    #[arg(long = "exempt-namespace", value_name = "NAMESPACE")]
    pub exempt_namespaces: Vec<String>,
    /// Allow, without judging, requests of this user (repeatable), as authenticated:
    /// `system:serviceaccount:NAMESPACE:NAME` for a service account.
    #[arg(long = "exempt-user", value_name = "USER")]
    pub exempt_users: Vec<String>,
    /// Allow, without judging, requests of users in this group (repeatable).
    #[arg(long = "exempt-group", value_name = "GROUP")]
    pub exempt_groups: Vec<String>,
    /// Allow, without judging, objects with this label (`KEY` or `KEY=VALUE`; repeatable).
    #[arg(long = "exempt-label", value_name = "KEY[=VALUE]")]
    pub exempt_labels: Vec<rampart_server::LabelMatch>,
    /// How often the certificate files are checked for a change, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub tls_reload_interval: u64,
}
