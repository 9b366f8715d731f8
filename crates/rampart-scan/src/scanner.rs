//! The scan: which rules run (settled before anything is read, so that a bad selection fails
//! fast), what is read, and the report the analyses give.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use rampart_cloud::CloudModel;
use rampart_core::{Finding, Report, SuppressionSource};
use rampart_deps::Lockfiles;
use rampart_graph::{image_links, image_mapping};
use rampart_k8s::node::NodeModel;
use rampart_rules::{Rule, Selection, names_a_rule, registry, run_inputs};
use rampart_source::{
    InputFormat, Inventory, Limits, LoadOptions, Object, Target, builtin_formats, load,
};

use crate::config::Config;
use crate::image::{ImageAnalysis, ImageOptions, ImageSet, declared_outside};
use crate::node::{
    files_counted, loose_kubelet_configs, manifest_targets, node_roots, read_node_root,
};
use crate::suppress::{Baseline, apply_cloud_ignores, apply_config, apply_inline};

/// What a scan runs and how it reads, besides the configuration file.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Rules to run: codes or prefixes; when empty, the configuration's `[rules] select`.
    pub select: Vec<String>,
    /// Rules to skip (codes or prefixes), besides the configuration's `[rules] ignore`.
    pub ignore: Vec<String>,
    /// Silence the findings this baseline file holds.
    pub baseline: Option<PathBuf>,
    /// Write every finding not silenced for another reason to this baseline file.
    pub write_baseline: Option<PathBuf>,
    /// Caps on what reading one input file may cost.
    pub limits: Limits,
    /// How images are read.
    pub images: ImageOptions,
    /// Also pull and analyse the images the workloads run (network).
    pub pull_images: bool,
    /// Terraform variables files (`--var-file`), applied to every root module read.
    pub var_files: Vec<PathBuf>,
    /// The offline vulnerability database the package rules (`V1xx`) read; without one they
    /// are silent and [`Scanner::notices`] says why. Never downloaded by a scan.
    pub db: Option<PathBuf>,
}

/// What a scan reads: objects and Dockerfiles (from files, or built in memory), nodes, and
/// images read beforehand.
#[derive(Debug, Default)]
pub struct Inputs {
    pub inventory: Inventory,
    pub nodes: Vec<NodeModel>,
    pub images: Vec<ImageSet>,
    /// The cloud resources among the inventory's files, joined into the provider model.
    pub cloud: CloudModel,
}

impl From<Inventory> for Inputs {
    /// The inventory, with each `KubeletConfiguration` among its objects read as a node.
    fn from(inventory: Inventory) -> Inputs {
        let nodes = loose_kubelet_configs(&inventory, &[]);
        let cloud = crate::cloud::model(&inventory, Vec::new(), &Limits::default());
        Inputs {
            inventory,
            nodes,
            images: Vec::new(),
            cloud,
        }
    }
}

/// Reads the files and folders `targets` name, each file within `limits`, and renders the
/// Helm charts and kustomizations among them: what every command that reads manifests and Dockerfiles reads.
pub fn read(targets: &[Target], limits: &Limits) -> Result<Inventory> {
    // The cloud formats come first: they tell their `.yaml` and `.json` files from
    // Kubernetes manifests by content.
    let mut formats: Vec<Arc<dyn InputFormat>> = rampart_cloud::formats();
    formats.push(Arc::new(Lockfiles));
    formats.extend(builtin_formats());
    formats.push(Arc::new(rampart_code::PythonSources));
    let options = LoadOptions {
        limits: limits.clone(),
        formats: rampart_secrets::with_secret_scanning(formats),
        kustomization_files: Some(crate::render::kustomization_files),
    };
    let mut inventory = load(targets, &options)?;
    crate::render::render_roots(&mut inventory, limits);
    Ok(inventory)
}

/// Runs the selected rules over what it is given and assembles the report, with every
/// suppression applied.
pub struct Scanner {
    config: Config,
    rules: Vec<Rule>,
    baseline: Option<Baseline>,
    options: ScanOptions,
    advisories: Option<crate::db::Advisories>,
    notices: Vec<String>,
}

impl Scanner {
    /// Settles the rules (the options' selection over the configuration's) and reads the
    /// baseline. A code or prefix that names no rule is an error: a typo must not silently
    /// turn a rule off or a selection into nothing.
    pub fn new(config: Config, options: ScanOptions) -> Result<Scanner> {
        let selection = Selection {
            select: if options.select.is_empty() {
                config.rules.select.clone()
            } else {
                options.select.clone()
            },
            ignore: config
                .rules
                .ignore
                .iter()
                .chain(&options.ignore)
                .cloned()
                .collect(),
        };
        for pattern in selection.select.iter().chain(&selection.ignore) {
            if !names_a_rule(pattern) {
                bail!("`{pattern}` matches no rule code (see `rampart rules`)");
            }
        }
        let rules: Vec<Rule> = registry()
            .iter()
            .copied()
            .filter(|rule| selection.includes(rule.meta().code))
            .collect();
        let baseline = options
            .baseline
            .as_deref()
            .map(Baseline::load)
            .transpose()?;
        let (advisories, notices) = match &options.db {
            Some(dir) if rules.iter().any(|r| r.meta().code.starts_with('V')) => {
                crate::db::Advisories::open(dir)?
            }
            _ => (None, Vec::new()),
        };
        Ok(Scanner {
            config,
            rules,
            baseline,
            options,
            advisories,
            notices,
        })
    }

    /// What the user should know about a scan of `inputs` beside its findings: when they
    /// hold packages (or images, which hold packages), that there is no vulnerability
    /// database, or that it is older than a week.
    pub fn notices(&self, inputs: &Inputs) -> &[String] {
        if inputs.inventory.all::<rampart_deps::Package>().is_empty()
            && inputs.images.is_empty()
            && inputs.inventory.images.is_empty()
        {
            return &[];
        }
        &self.notices
    }

    /// Reads the targets. A folder that is a node's root is also read as a node (as
    /// [`Scanner::read_node`] reads it), and a `KubeletConfiguration` found elsewhere is
    /// judged as a kubelet started with it.
    pub fn read(&self, targets: &[Target]) -> Result<Inputs> {
        let inventory = read(targets, &self.options.limits)?;
        let mut nodes = node_roots(targets, &self.options.limits)?;
        nodes.extend(loose_kubelet_configs(&inventory, &nodes));
        let var_files = crate::cloud::var_files(&self.options.var_files, &self.options.limits)?;
        let cloud = crate::cloud::model(&inventory, var_files, &self.options.limits);
        Ok(Inputs {
            inventory,
            nodes,
            images: Vec::new(),
            cloud,
        })
    }

    /// Reads the node whose file system is under `root`, with the YAML and kubeconfigs of its
    /// `/etc/kubernetes` and its static pod folder as [`Scanner::read`] reads them.
    pub fn read_node(&self, root: &Path) -> Result<Inputs> {
        let node = read_node_root(root, &self.options.limits)?;
        let mut inventory = read(&manifest_targets(root, &node)?, &self.options.limits)?;
        // The node's manifests, not images kept beside them.
        inventory.images.clear();
        Ok(Inputs {
            inventory,
            nodes: vec![node],
            images: Vec::new(),
            cloud: CloudModel::default(),
        })
    }

    /// Reads images on their own: registry references, OCI layouts or `docker save` archives.
    /// An image that cannot be read is an error: there is nothing else to report on.
    pub fn read_images(&self, targets: &[String]) -> Result<Inputs> {
        let analysis = self.image_analysis();
        let images = targets
            .iter()
            .map(|target| {
                analysis
                    .read(target)
                    .with_context(|| format!("cannot analyse image {target}"))
            })
            .collect::<Result<_>>()?;
        Ok(Inputs {
            images,
            ..Inputs::default()
        })
    }

    fn image_analysis(&self) -> ImageAnalysis<'_> {
        ImageAnalysis::new(&self.options.images, &self.rules, &self.config.options)
            .with_advisories(self.advisories())
    }

    fn advisories(&self) -> Option<&dyn rampart_rules::Advisories> {
        self.advisories
            .as_ref()
            .map(|a| a as &dyn rampart_rules::Advisories)
    }

    /// Scans the inputs (their objects, Dockerfiles, nodes and images, the images in their
    /// folders and, when the options say so, the images their workloads run), applies the
    /// suppressions and writes the baseline when asked.
    pub fn scan(&self, inputs: &Inputs) -> Result<Report> {
        let Inputs {
            inventory,
            nodes,
            images,
            cloud,
        } = inputs;
        let images = self
            .image_analysis()
            .scan(images, inventory, self.options.pull_images);
        let (mapping, mapping_errors) = image_mapping(inventory, self.config.image_mapping());
        let outside = declared_outside(inventory, &mapping);
        let links = image_links(inventory, &outside, images.sources, &mapping);
        let checked = rampart_rules::Inputs {
            inventory,
            links: &links,
            nodes,
            images: &[],
            cloud,
            advisories: self.advisories(),
        };
        let (mut findings, mut errors) = run_inputs(&checked, &self.rules, &self.config.options);
        errors.extend(apply_inline(&mut findings, inventory));
        errors.extend(apply_cloud_ignores(&mut findings, cloud));
        errors.extend(cloud.errors.iter().cloned());
        errors.extend(mapping_errors);
        findings.extend(images.findings);
        errors.extend(images.errors);
        links.name_runners(&mut findings);
        apply_config(&mut findings, &self.config);
        if let Some(baseline) = &self.baseline {
            baseline.apply(&mut findings);
        }
        if let Some(path) = &self.options.write_baseline {
            write_baseline(&findings, path)?;
        }
        errors.extend(inventory.errors.iter().cloned());
        let files = inventory.files + files_counted(nodes) + images.count;
        Ok(Report::new(
            findings,
            errors,
            files,
            inventory.all::<Object>().len(),
        ))
    }
}

/// Writes every finding not silenced for another reason: findings the old baseline accepted
/// stay accepted when the baseline is rewritten.
fn write_baseline(findings: &[Finding], path: &Path) -> Result<()> {
    let accepted: Vec<_> = findings
        .iter()
        .filter(|f| {
            f.suppression
                .as_ref()
                .is_none_or(|s| s.source == SuppressionSource::Baseline)
        })
        .cloned()
        .collect();
    Baseline::of(&accepted).write(path)
}
