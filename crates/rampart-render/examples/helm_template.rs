//! `helm template` without Helm: `cargo run -p rampart-render --example helm_template -- CHART
//! [-f VALUES]... [--set K=V]... [--set-string K=V]...` prints the rendered stream.

use std::path::Path;

use rampart_render::helm::{Options, SetKind, load_listing, render};

fn read_tree(root: &Path, rel: &str, out: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(root.join(rel))?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let child = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if e.path().is_dir() {
            read_tree(root, &child, out)?;
        } else {
            out.push((child, std::fs::read(e.path())?));
        }
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts = Options::default();
    let mut chart_path = None;
    let mut i = 0;
    while i < args.len() {
        let next = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "-f" | "--values" => {
                opts.values
                    .push((next.clone(), std::fs::read(&next).expect("values file")));
                i += 1;
            }
            "--set" => {
                opts.set.push((SetKind::Typed, next));
                i += 1;
            }
            "--set-string" => {
                opts.set.push((SetKind::String, next));
                i += 1;
            }
            "--kube-version" => {
                opts.kube_version = next;
                i += 1;
            }
            "--include-crds" => opts.include_crds = true,
            "--skip-tests" => opts.skip_tests = true,
            "--namespace" | "-n" => {
                opts.namespace = next;
                i += 1;
            }
            "--api-versions" => {
                opts.api_versions.push(next);
                i += 1;
            }
            name if chart_path.is_none() && !Path::new(name).join("Chart.yaml").exists() => {
                opts.release_name = name.to_string()
            }
            path => chart_path = Some(path.to_string()),
        }
        i += 1;
    }
    let path = chart_path.expect("a chart folder");
    let mut files = Vec::new();
    read_tree(Path::new(&path), "", &mut files).expect("readable chart");
    let chart = match load_listing(files) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("Error: {e}");
            std::process::exit(1);
        }
    };
    match render(&chart, &opts) {
        Ok(r) => print!("{}", r.stream()),
        Err(e) => {
            eprintln!("Error: {e}");
            std::process::exit(1);
        }
    }
}
