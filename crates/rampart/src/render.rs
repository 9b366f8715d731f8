//! `rampart render`: a Helm chart rendered as `helm template` renders it, printed with its
//! `# Source:` comments, or a kustomization built as `kubectl kustomize` builds it. The
//! rendering is `rampart-render`'s, reached through `rampart_scan::render` as scans reach it.

use anyhow::{Context, Result, anyhow};
use rampart_render::helm::{Options, SetKind};
use rampart_scan::render::render_folder;
use rampart_source::display_path;

use crate::cli::RenderArgs;
use rampart_report::write_output;

/// Renders the chart; never reports findings (exit 0), or fails with the template and line.
pub fn run(args: &RenderArgs) -> Result<bool> {
    let mut options = Options {
        release_name: args.release_name.clone(),
        namespace: args.namespace.clone(),
        api_versions: args.api_versions.clone(),
        include_crds: args.include_crds,
        skip_tests: args.skip_tests,
        ..Options::default()
    };
    if let Some(version) = &args.kube_version {
        options.kube_version = version.clone();
    }
    for file in &args.values {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        options.values.push((display_path(file), bytes));
    }
    for (kind, list) in [
        (SetKind::Typed, &args.set),
        (SetKind::String, &args.set_string),
        (SetKind::Json, &args.set_json),
        (SetKind::Literal, &args.set_literal),
    ] {
        options
            .set
            .extend(list.iter().map(|arg| (kind, arg.clone())));
    }
    for arg in &args.set_file {
        let (key, file) = arg
            .split_once('=')
            .ok_or_else(|| anyhow!("--set-file {arg}: expected KEY=FILE"))?;
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("--set-file: cannot read {file}"))?;
        options
            .set
            .push((SetKind::Literal, format!("{key}={text}")));
    }
    let rendered = render_folder(&args.path, &options).map_err(|failure| {
        let at = match failure.line {
            Some(line) => format!("{}:{line}", display_path(&failure.path)),
            None => display_path(&failure.path),
        };
        anyhow!("{at}: {}", failure.message)
    })?;
    write_output(args.output.as_deref(), |out, _| {
        out.write_all(rendered.as_bytes())
    })?;
    Ok(false)
}
