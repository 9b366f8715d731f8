//! Times the Code layer on a folder of Python, the way a scan runs it: every `.py` file read,
//! parsed and lowered in parallel, then the project's analysis; prints what it found.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rampart_code::{Project, python};
use rayon::prelude::*;

fn python_files(dir: &Path, into: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            python_files(&path, into)?;
        } else if path.extension().is_some_and(|e| e == "py") {
            into.push(path);
        }
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: rampart-code-bench FOLDER");
    let start = Instant::now();
    let mut paths = Vec::new();
    python_files(Path::new(&dir), &mut paths)?;
    paths.sort();
    let texts: Vec<(String, String)> = paths
        .par_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(path).ok()?;
            Some((
                path.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ))
        })
        .collect();
    let read = start.elapsed();
    let modules: Vec<_> = texts
        .par_iter()
        .map(|(path, text)| python::parse(path, text))
        .collect();
    let parsed = start.elapsed();
    let project = Project::new(modules.iter().collect());
    let analysis = project.analyse();
    let analysed = start.elapsed();
    let errors: usize = modules.iter().map(|m| m.errors.len()).sum();
    let mut classes = std::collections::BTreeMap::new();
    for flow in &analysis.flows {
        *classes.entry(format!("{:?}", flow.class)).or_insert(0) += 1;
    }
    println!(
        "{} files, {} lines, {} functions, {} syntax errors, {} incomplete summaries",
        modules.len(),
        project.lines(),
        modules.iter().map(|m| m.functions.len()).sum::<usize>(),
        errors,
        analysis.incomplete.len()
    );
    println!("flows: {classes:?}");
    println!(
        "read {:.2} s, parsed and lowered {:.2} s, analysed {:.2} s, total {:.2} s",
        read.as_secs_f64(),
        (parsed - read).as_secs_f64(),
        (analysed - parsed).as_secs_f64(),
        analysed.as_secs_f64()
    );
    Ok(())
}
