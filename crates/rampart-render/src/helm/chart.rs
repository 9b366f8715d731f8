//! A chart as Helm's loader reads it: `Chart.yaml`, `values.yaml`, `values.schema.json`,
//! `templates/`, subcharts under `charts/` (folders and `.tgz` archives), and every other file
//! for `.Files`, less what `.helmignore` excludes. From a file tree or from archive bytes.

use std::io::Read;

use rampart_core::{FileKind, Files};

use crate::value::Value;

/// Limits on what a chart may hold (Helm's own: 100 MiB decompressed, 5 MiB a file).
pub const MAX_CHART_BYTES: u64 = 100 << 20;
pub const MAX_FILE_BYTES: u64 = 5 << 20;
pub const MAX_FILES: usize = 20_000;
/// Subcharts nest at most this deep.
pub const MAX_CHART_DEPTH: usize = 20;

#[derive(Debug, Clone)]
pub struct Chart {
    /// `Chart.yaml` as read.
    pub metadata: Value,
    pub name: String,
    pub version: String,
    pub api_version: String,
    pub chart_type: String,
    pub templates: Vec<(String, String)>,
    pub values: Value,
    pub schema: Option<Vec<u8>>,
    /// Files for `.Files`: everything not claimed above.
    pub files: Vec<(String, Vec<u8>)>,
    pub crds: Vec<(String, String)>,
    pub dependencies: Vec<Chart>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LoadError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, LoadError> {
    Err(LoadError(msg.into()))
}

impl Chart {
    pub fn is_library(&self) -> bool {
        self.chart_type == "library"
    }

    /// Builds a chart from its files, paths relative to the chart's folder (Helm's
    /// `LoadFiles`).
    pub fn from_files(files: Vec<(String, Vec<u8>)>) -> Result<Chart, LoadError> {
        Self::from_files_at(files, 0)
    }

    fn from_files_at(files: Vec<(String, Vec<u8>)>, depth: usize) -> Result<Chart, LoadError> {
        if depth > MAX_CHART_DEPTH {
            return err(format!(
                "subcharts nest deeper than {MAX_CHART_DEPTH} levels"
            ));
        }
        let mut chart = Chart {
            metadata: Value::Nil,
            name: String::new(),
            version: String::new(),
            api_version: String::new(),
            chart_type: String::new(),
            templates: Vec::new(),
            values: Value::map(Default::default()),
            schema: None,
            files: Vec::new(),
            crds: Vec::new(),
            dependencies: Vec::new(),
        };
        let mut subcharts: std::collections::BTreeMap<String, Vec<(String, Vec<u8>)>> =
            Default::default();
        let mut archives: Vec<(String, Vec<u8>)> = Vec::new();
        let mut has_chart_yaml = false;
        for (name, data) in files {
            let text = || String::from_utf8_lossy(&data).into_owned();
            if name == "Chart.yaml" {
                has_chart_yaml = true;
                let meta = crate::yaml::parse(&text())
                    .map_err(|e| LoadError(format!("cannot load Chart.yaml: {e}")))?;
                let field = |k: &str| match &meta {
                    Value::Map(m) => m
                        .get(k)
                        .map(|v| crate::sprig::strval(&v))
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                chart.name = field("name");
                chart.version = field("version");
                chart.api_version = field("apiVersion");
                chart.chart_type = field("type");
                chart.metadata = meta;
            } else if name == "values.yaml" {
                chart.values = match crate::yaml::parse(&text()) {
                    Ok(Value::Map(m)) => Value::Map(m),
                    Ok(Value::Nil) => Value::map(Default::default()),
                    Ok(other) => {
                        return err(format!(
                            "cannot load values.yaml: error unmarshaling JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                            json_kind(&other)
                        ));
                    }
                    Err(e) => {
                        return err(format!(
                            "cannot load values.yaml: error converting YAML to JSON: {e}"
                        ));
                    }
                };
            } else if name == "values.schema.json" {
                chart.schema = Some(data);
            } else if name.starts_with("templates/") {
                chart.templates.push((name.clone(), text()));
            } else if let Some(rest) = name.strip_prefix("charts/") {
                if name.ends_with(".prov") {
                    continue;
                }
                if rest.starts_with(['.', '_']) {
                    continue;
                }
                match rest.split_once('/') {
                    Some((dir, inner)) => subcharts
                        .entry(dir.to_string())
                        .or_default()
                        .push((inner.to_string(), data)),
                    None if rest.ends_with(".tgz") => archives.push((rest.to_string(), data)),
                    None => chart.files.push((name.clone(), data)),
                }
            } else {
                if name.starts_with("crds/") {
                    chart.crds.push((name.clone(), text()));
                }
                chart.files.push((name, data));
            }
        }
        if !has_chart_yaml {
            return err("Chart.yaml file is missing");
        }
        if chart.name.is_empty() {
            return err("validation: chart.metadata.name is required");
        }
        if chart.api_version.is_empty() {
            return err("validation: chart.metadata.apiVersion is required");
        }
        if chart.version.is_empty() {
            return err(format!(
                "validation: chart.metadata.version is required in chart {}",
                chart.name
            ));
        }
        for (dir, files) in subcharts {
            let sub = Chart::from_files_at(files, depth + 1)
                .map_err(|e| LoadError(format!("error unpacking {dir} in {}: {e}", chart.name)))?;
            chart.dependencies.push(sub);
        }
        for (file, data) in archives {
            let files = untar(&data)
                .map_err(|e| LoadError(format!("error unpacking {file} in {}: {e}", chart.name)))?;
            let sub = Chart::from_files_at(files, depth + 1)
                .map_err(|e| LoadError(format!("error unpacking {file} in {}: {e}", chart.name)))?;
            chart.dependencies.push(sub);
        }
        chart.templates.sort();
        Ok(chart)
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::List(_) => "array",
        Value::Str(_) => "string",
        Value::Bool(_) => "bool",
        Value::Float(_) | Value::Int(_) | Value::Int64(_) => "number",
        _ => "value",
    }
}

/// A chart from the files of its folder, less what its `.helmignore` excludes (Helm's
/// `LoadDir` on a listing: paths relative to the chart's folder).
pub fn load_listing(files: Vec<(String, Vec<u8>)>) -> Result<Chart, LoadError> {
    let ignore = files
        .iter()
        .find(|(p, _)| p == ".helmignore")
        .map(|(_, data)| Ignore::parse(&String::from_utf8_lossy(data)))
        .unwrap_or_else(|| Ignore::parse(""));
    let kept = files
        .into_iter()
        .filter(|(path, _)| {
            let mut prefix = String::new();
            for part in path
                .split('/')
                .collect::<Vec<_>>()
                .split_last()
                .map_or(&[][..], |(_, dirs)| dirs)
            {
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                prefix.push_str(part);
                if ignore.ignored(&prefix, true) {
                    return false;
                }
            }
            !ignore.ignored(path, false)
        })
        .collect();
    Chart::from_files(kept)
}

/// A chart archive (`.tgz`): its files with the top folder stripped.
pub fn load_archive(bytes: &[u8]) -> Result<Chart, LoadError> {
    Chart::from_files(untar(bytes)?)
}

fn untar(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, LoadError> {
    let gz = flate2::read::GzDecoder::new(bytes);
    let mut archive = tar::Archive::new(gz);
    let mut files = Vec::new();
    let mut total: u64 = 0;
    let entries = archive
        .entries()
        .map_err(|e| LoadError(format!("invalid chart archive: {e}")))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| LoadError(format!("invalid chart archive: {e}")))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = entry
            .path()
            .map_err(|e| LoadError(format!("invalid chart archive: {e}")))?
            .to_string_lossy()
            .replace('\\', "/");
        // The first component is the chart's folder; pax headers have none.
        let Some((_, rel)) = path.split_once('/') else {
            continue;
        };
        if rel.is_empty() || rel.split('/').any(|p| p == "..") {
            continue;
        }
        let size = entry.header().size().unwrap_or(0);
        if size > MAX_FILE_BYTES {
            return err(format!(
                "decompressed chart file {rel} is larger than the maximum file size {MAX_FILE_BYTES}"
            ));
        }
        total += size;
        if total > MAX_CHART_BYTES {
            return err(format!(
                "decompressed chart is larger than the maximum size {MAX_CHART_BYTES}"
            ));
        }
        if files.len() >= MAX_FILES {
            return err(format!("chart archive holds more than {MAX_FILES} files"));
        }
        let mut data = Vec::with_capacity(size as usize);
        (&mut entry)
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut data)
            .map_err(|e| LoadError(format!("invalid chart archive: {e}")))?;
        files.push((rel.to_string(), data));
    }
    if files.is_empty() {
        return err("no files in chart archive");
    }
    Ok(files)
}

/// A chart in a folder of `files` (Helm's `LoadDir`), honouring `.helmignore`.
pub fn load_dir(files: &dyn Files, root: &str) -> Result<Chart, LoadError> {
    let root = root.trim_end_matches('/');
    let ignore = match files.read(&format!("{root}/.helmignore"), MAX_FILE_BYTES) {
        Ok(bytes) => Ignore::parse(&String::from_utf8_lossy(&bytes)),
        Err(_) => Ignore::parse(""),
    };
    let mut out = Vec::new();
    let mut total = 0u64;
    walk(files, root, "", &ignore, &mut out, &mut total, 0)?;
    load_listing(out)
}

fn walk(
    files: &dyn Files,
    root: &str,
    rel: &str,
    ignore: &Ignore,
    out: &mut Vec<(String, Vec<u8>)>,
    total: &mut u64,
    depth: usize,
) -> Result<(), LoadError> {
    if depth > 64 {
        return err(format!("folders nest too deep at {rel}"));
    }
    let dir = if rel.is_empty() {
        root.to_string()
    } else {
        format!("{root}/{rel}")
    };
    let mut names = files
        .list(if dir.is_empty() { "/" } else { &dir })
        .map_err(|e| LoadError(format!("{dir}: {e}")))?;
    names.sort();
    for name in names {
        let child_rel = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let path = format!("{dir}/{name}");
        let real = rampart_core::resolve(files, &path);
        let Ok(info) = files.metadata(&real) else {
            continue;
        };
        let is_dir = info.kind == FileKind::Directory;
        if ignore.ignored(&child_rel, is_dir) {
            continue;
        }
        if is_dir {
            walk(files, root, &child_rel, ignore, out, total, depth + 1)?;
        } else if info.kind == FileKind::File {
            if info.size > MAX_FILE_BYTES {
                return err(format!(
                    "file {child_rel} is larger than the maximum file size {MAX_FILE_BYTES}"
                ));
            }
            *total += info.size;
            if *total > MAX_CHART_BYTES || out.len() >= MAX_FILES {
                return err(format!(
                    "chart is larger than {MAX_CHART_BYTES} bytes or {MAX_FILES} files"
                ));
            }
            let data = files
                .read(&real, MAX_FILE_BYTES)
                .map_err(|e| LoadError(format!("{child_rel}: {e}")))?;
            out.push((child_rel, data));
        }
    }
    Ok(())
}

/// `.helmignore` rules, as Helm's `ignore` package applies them.
pub struct Ignore {
    rules: Vec<Rule>,
}

struct Rule {
    pattern: String,
    negate: bool,
    must_dir: bool,
    kind: RuleKind,
}

enum RuleKind {
    Rooted,
    Path,
    Base,
}

impl Ignore {
    pub fn parse(text: &str) -> Ignore {
        let mut rules = Vec::new();
        for line in text.lines() {
            let mut p = line.trim();
            if p.is_empty() || p.starts_with('#') || p == "!" || p == "/" {
                continue;
            }
            let negate = p.starts_with('!');
            if negate {
                p = &p[1..];
            }
            let must_dir = p.ends_with('/');
            let p = p.trim_end_matches('/');
            let kind = if p.starts_with('/') {
                RuleKind::Rooted
            } else if p.contains('/') {
                RuleKind::Path
            } else {
                RuleKind::Base
            };
            rules.push(Rule {
                pattern: p.trim_start_matches('/').to_string(),
                negate,
                must_dir,
                kind,
            });
        }
        // Helm always ignores dot files in templates/.
        rules.push(Rule {
            pattern: "templates/.?*".into(),
            negate: false,
            must_dir: false,
            kind: RuleKind::Path,
        });
        Ignore { rules }
    }

    pub fn ignored(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." {
            return false;
        }
        for r in &self.rules {
            let matched = || match r.kind {
                RuleKind::Rooted | RuleKind::Path => go_match(&r.pattern, path),
                RuleKind::Base => go_match(&r.pattern, path.rsplit('/').next().unwrap_or(path)),
            };
            if r.negate {
                if r.must_dir && !is_dir {
                    return true;
                }
                if !matched() {
                    return true;
                }
                continue;
            }
            if r.must_dir && !is_dir {
                continue;
            }
            if matched() {
                return true;
            }
        }
        false
    }
}

/// Go's `filepath.Match`: `*` and `?` stop at `/`, `[...]` classes, `\` escapes.
pub fn go_match(pattern: &str, name: &str) -> bool {
    fn m(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('*') => {
                let rest = &p[1..];
                for i in 0..=n.len() {
                    if i > 0 && n[i - 1] == '/' {
                        break;
                    }
                    if m(rest, &n[i..]) {
                        return true;
                    }
                }
                false
            }
            Some('?') => !n.is_empty() && n[0] != '/' && m(&p[1..], &n[1..]),
            Some('[') => {
                let Some(c) = n.first() else { return false };
                let mut i = 1;
                let negated = p.get(1) == Some(&'^');
                if negated {
                    i += 1;
                }
                let mut matched = false;
                let mut first = true;
                while i < p.len() && (first || p[i] != ']') {
                    first = false;
                    let lo = if p[i] == '\\' && i + 1 < p.len() {
                        i += 1;
                        p[i]
                    } else {
                        p[i]
                    };
                    let hi =
                        if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|c| *c != ']') {
                            i += 2;
                            p[i]
                        } else {
                            lo
                        };
                    if lo <= *c && *c <= hi {
                        matched = true;
                    }
                    i += 1;
                }
                if i >= p.len() {
                    return false;
                }
                matched != negated && *c != '/' && m(&p[i + 1..], &n[1..])
            }
            Some('\\') if p.len() > 1 => !n.is_empty() && n[0] == p[1] && m(&p[2..], &n[1..]),
            Some(c) => !n.is_empty() && n[0] == *c && m(&p[1..], &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    m(&p, &n)
}
