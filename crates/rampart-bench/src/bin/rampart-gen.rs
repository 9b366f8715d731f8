//! Writes a generated corpus of Kubernetes manifests to a folder.

use std::path::PathBuf;

use clap::Parser;

/// Generate realistic Kubernetes manifests for benchmarks.
#[derive(Debug, Parser)]
struct Args {
    /// Number of workloads (each with its Service, ConfigMap and ServiceAccount where it has one).
    #[arg(long, default_value_t = 10_000)]
    workloads: usize,
    /// Seed; the same seed gives the same corpus.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Folder to write into (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Write the RBAC of a large cluster (20,000 roles, 20,000 bindings, 5,000 service
    /// accounts) to `rbac.yaml` instead of workloads.
    #[arg(long)]
    rbac: bool,
    /// Write the network of a large cluster (100 namespaces, 5,000 pods, 1,000
    /// NetworkPolicies, a few AdminNetworkPolicies), a file per namespace, instead of workloads.
    #[arg(long, conflicts_with = "rbac")]
    netpol: bool,
    /// Write this many Dockerfiles (a realistic mixture of ecosystems, careful and careless)
    /// instead of workloads.
    #[arg(long, conflicts_with_all = ["rbac", "netpol"])]
    dockerfiles: Option<usize>,
    /// Write this many megabytes of source and configuration files with planted secrets and
    /// decoys instead of workloads; the planted secrets are listed (path, line, kind) in
    /// `<out>.planted.tsv`.
    #[arg(long, conflicts_with_all = ["rbac", "netpol", "dockerfiles"])]
    secrets: Option<usize>,
    /// Write Terraform root stacks with this many resource instances in all, made through
    /// three local modules called with `for_each` and `count`, instead of workloads.
    #[arg(long, conflicts_with_all = ["rbac", "netpol", "dockerfiles", "secrets"])]
    terraform: Option<usize>,
    /// Write projects whose lockfiles (requirements.txt, go.mod) hold this many packages,
    /// named and versioned after the OSV advisories of `--advisories`, instead of workloads.
    #[arg(long, requires = "advisories", conflicts_with_all = ["rbac", "netpol", "dockerfiles"])]
    lockfiles: Option<usize>,
    /// Folders or exports of OSV advisories (`../shared/osv/pypa/vulns`, `../shared/osv/go/osv`).
    #[arg(long)]
    advisories: Vec<PathBuf>,
    /// Write a Python web project of about this many lines (Flask blueprints, services,
    /// utilities; a few planted vulnerabilities) instead of workloads.
    #[arg(long, conflicts_with_all = ["rbac", "netpol", "dockerfiles", "secrets", "terraform", "lockfiles"])]
    python: Option<usize>,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    if args.rbac {
        let text =
            rampart_bench::rbac::generate_rbac(rampart_bench::rbac::RbacScale::TARGET, args.seed);
        std::fs::create_dir_all(&args.out)?;
        let path = args.out.join("rbac.yaml");
        std::fs::write(&path, &text)?;
        eprintln!(
            "wrote {:.1} MB of RBAC to {}",
            text.len() as f64 / 1e6,
            path.display()
        );
        return Ok(());
    }
    if let Some(resources) = args.terraform {
        let files = rampart_bench::terraform::generate_terraform(resources, args.seed);
        rampart_bench::write(&args.out, &files)?;
        let bytes: usize = files.iter().map(|file| file.text.len()).sum();
        eprintln!(
            "wrote {} Terraform files ({:.1} MB, about {resources} resources) to {}",
            files.len(),
            bytes as f64 / 1e6,
            args.out.display()
        );
        return Ok(());
    }
    if args.netpol {
        let scale = rampart_bench::netpol::NetpolScale::TARGET;
        let files = rampart_bench::netpol::generate_netpol(scale, args.seed);
        rampart_bench::write(&args.out, &files)?;
        let bytes: usize = files.iter().map(|file| file.text.len()).sum();
        eprintln!(
            "wrote {} pods and {} NetworkPolicies in {} files, {:.1} MB, to {}",
            scale.pods,
            scale.policies,
            files.len(),
            bytes as f64 / 1e6,
            args.out.display()
        );
        return Ok(());
    }
    if let Some(megabytes) = args.secrets {
        let (files, planted) =
            rampart_bench::secrets::generate_secrets_corpus(megabytes, args.seed);
        rampart_bench::write(&args.out, &files)?;
        let list: String = planted
            .iter()
            .map(|p| format!("{}\t{}\t{}\n", p.path, p.line, p.kind))
            .collect();
        let mut listed = args.out.clone().into_os_string();
        listed.push(".planted.tsv");
        std::fs::write(&listed, list)?;
        let bytes: usize = files.iter().map(|file| file.text.len()).sum();
        eprintln!(
            "wrote {} files, {:.1} MB, with {} planted secrets, to {}",
            files.len(),
            bytes as f64 / 1e6,
            planted.len(),
            args.out.display()
        );
        return Ok(());
    }
    if let Some(count) = args.lockfiles {
        let mut records = Vec::new();
        for source in &args.advisories {
            let read = rampart_vulndb::import::read_source(
                source,
                &rampart_vulndb::ArchiveLimits::default(),
            )
            .map_err(std::io::Error::other)?;
            records.extend(read.records);
        }
        let files = rampart_bench::lockfiles::generate_lockfiles(count, args.seed, &records);
        rampart_bench::write(&args.out, &files)?;
        eprintln!(
            "wrote {count} packages in {} lockfiles to {}",
            files.len(),
            args.out.display()
        );
        return Ok(());
    }
    if let Some(lines) = args.python {
        let (files, planted) = rampart_bench::python::generate_python(lines, args.seed);
        rampart_bench::write(&args.out, &files)?;
        let written: usize = files.iter().map(|file| file.text.lines().count()).sum();
        eprintln!(
            "wrote {written} lines of Python in {} files to {}; planted: {planted:?}",
            files.len(),
            args.out.display()
        );
        return Ok(());
    }
    if let Some(count) = args.dockerfiles {
        let files = rampart_bench::dockerfile::generate_dockerfiles(count, args.seed);
        rampart_bench::write(&args.out, &files)?;
        let bytes: usize = files.iter().map(|file| file.text.len()).sum();
        eprintln!(
            "wrote {count} Dockerfiles ({} files with their .dockerignores), {:.1} MB, to {}",
            files.len(),
            bytes as f64 / 1e6,
            args.out.display()
        );
        return Ok(());
    }
    let files = rampart_bench::generate(args.workloads, args.seed);
    rampart_bench::write(&args.out, &files)?;
    let bytes: usize = files.iter().map(|file| file.text.len()).sum();
    eprintln!(
        "wrote {} workloads in {} files, {:.1} MB, to {}",
        args.workloads,
        files.len(),
        bytes as f64 / 1e6,
        args.out.display()
    );
    Ok(())
}
