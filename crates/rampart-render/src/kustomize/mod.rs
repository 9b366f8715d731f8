//! Kustomize overlays rendered as `kubectl kustomize` renders them (its embedded kustomize
//! v5.5.0), without a binary: resources, bases and components, generators with their hash
//! suffixes, the built-in transformers in Kustomize's order (patches, namespace, name prefix
//! and suffix, labels, annotations, JSON 6902 patches, replicas, images), name references
//! followed through renames, and the stream in Kustomize's legacy order. No I/O: files arrive
//! through [`rampart_core::Files`], under absolute paths.
//!
//! A field this renderer does not implement is an error naming it, never a partial render.

mod fieldspec;
mod generate;
mod jsonpatch;
mod kustomization;
mod merge;
mod nameref;
mod resource;
mod select;
mod transform;
pub mod yaml;

use std::collections::HashSet;

use rampart_core::{FileKind, Files};
use serde_json::{Map, Value};

use kustomization::Kustomization;
use resource::{Behavior, Resource};
pub use resource::{Gvk, Id};

/// The largest file a kustomization reads.
const MAX_FILE_BYTES: u64 = 32 << 20;
/// How deep kustomizations may nest (a cycle is caught before this).
const MAX_DEPTH: usize = 64;

/// The names Kustomize looks for, in its order.
pub const KUSTOMIZATION_FILES: &[&str] =
    &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Why a kustomization could not be rendered: the file it failed in (a resource, a patch,
/// the kustomization file) and the line where that is known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct Error {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

impl Error {
    fn new(path: &str, line: Option<usize>, message: impl Into<String>) -> Error {
        Error {
            path: path.to_string(),
            line,
            message: message.into(),
        }
    }
}

/// One rendered object and where it came from.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub object: Map<String, Value>,
    /// The file it was read from (a generated object: the kustomization file that made it).
    pub source: String,
    /// The line its document starts on in that file.
    pub line: usize,
    /// Its identity in that file, before the build renamed it.
    pub original: Id,
}

/// Every object of the kustomization in `dir`, in the order `kubectl kustomize` prints them.
pub fn build(files: &dyn Files, dir: &str) -> Result<Vec<Rendered>, Error> {
    let dir = normalise(dir);
    let mut builder = Builder {
        files,
        visiting: Vec::new(),
    };
    let top = builder.load(&dir)?;
    let mut resources = builder.accumulate(&dir, &top, Vec::new(), false)?;
    generate::add_hashes(&mut resources);
    nameref::fix(&mut resources).map_err(|m| Error::new(&top.file, None, m))?;
    for r in &mut resources {
        r.drop_empty_annotations();
    }
    if top.sort_legacy {
        sort_legacy(&mut resources);
    }
    Ok(resources
        .into_iter()
        .map(|r| Rendered {
            original: r.original_id(),
            object: r.object,
            source: r.source,
            line: r.line,
        })
        .collect())
}

/// The objects as `kubectl kustomize` prints them: YAML documents separated by `---`.
pub fn stream(rendered: &[Rendered]) -> String {
    rendered
        .iter()
        .map(|r| crate::yaml::to_yaml(&to_value(&Value::Object(r.object.clone()))))
        .collect::<Vec<_>>()
        .join("---\n")
}

/// A JSON value as Helm's YAML writer takes it (the same `sigs.k8s.io/yaml` path).
fn to_value(v: &Value) -> crate::Value {
    match v {
        Value::Null => crate::Value::Nil,
        Value::Bool(b) => crate::Value::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => crate::Value::Int64(i),
            None => crate::Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => crate::Value::str(s.as_str()),
        Value::Array(items) => crate::Value::list(items.iter().map(to_value).collect()),
        Value::Object(map) => {
            crate::Value::map(map.iter().map(|(k, v)| (k.clone(), to_value(v))).collect())
        }
    }
}

/// `a/./b/../c` as `/a/c`, never above the root.
pub fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

fn join(dir: &str, rel: &str) -> String {
    if rel.starts_with('/') {
        normalise(rel)
    } else {
        normalise(&format!("{dir}/{rel}"))
    }
}

fn is_within(path: &str, dir: &str) -> bool {
    dir == "/" || path == dir || path.starts_with(&format!("{dir}/"))
}

struct Builder<'a> {
    files: &'a dyn Files,
    /// The kustomizations being built, outermost first: a base that includes itself is an
    /// error, not a loop.
    visiting: Vec<String>,
}

impl Builder<'_> {
    fn kind_of(&self, path: &str) -> Option<FileKind> {
        let resolved = rampart_core::resolve(self.files, path);
        self.files.metadata(&resolved).ok().map(|m| m.kind)
    }

    fn read(&self, path: &str) -> Result<String, String> {
        let resolved = rampart_core::resolve(self.files, path);
        let bytes = self
            .files
            .read(&resolved, MAX_FILE_BYTES)
            .map_err(|e| e.to_string())?;
        String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
    }

    /// A file a kustomization names: inside its folder, as Kustomize's default load
    /// restrictor requires.
    fn read_restricted(&self, dir: &str, rel: &str, by: &str) -> Result<(String, String), Error> {
        let path = join(dir, rel);
        if !is_within(&path, dir) {
            return Err(Error::new(
                by,
                None,
                format!("security; file '{path}' is not in or below '{dir}'"),
            ));
        }
        let text = self
            .read(&path)
            .map_err(|e| Error::new(by, None, format!("cannot read '{rel}': {e}")))?;
        Ok((path, text))
    }

    fn load(&self, dir: &str) -> Result<Kustomization, Error> {
        let found: Vec<&str> = KUSTOMIZATION_FILES
            .iter()
            .copied()
            .filter(|name| self.kind_of(&join(dir, name)) == Some(FileKind::File))
            .collect();
        let name = match found.as_slice() {
            [one] => *one,
            [] => {
                return Err(Error::new(
                    dir,
                    None,
                    "unable to find one of 'kustomization.yaml', 'kustomization.yml' or \
                     'Kustomization' in directory",
                ));
            }
            _ => {
                return Err(Error::new(dir, None, "found multiple kustomization files"));
            }
        };
        let file = join(dir, name);
        let text = self.read(&file).map_err(|e| Error::new(&file, None, e))?;
        Kustomization::parse(&file, &text)
    }

    /// The resources of the kustomization in `dir` after its generators, components and
    /// transformers. A component works on its parent's resources (`inherited`).
    fn accumulate(
        &mut self,
        dir: &str,
        k: &Kustomization,
        inherited: Vec<Resource>,
        component: bool,
    ) -> Result<Vec<Resource>, Error> {
        if self.visiting.iter().any(|d| d == dir) {
            return Err(Error::new(
                &k.file,
                None,
                format!("cycle: '{dir}' includes itself"),
            ));
        }
        if self.visiting.len() >= MAX_DEPTH {
            return Err(Error::new(&k.file, None, "kustomizations nest too deep"));
        }
        if component != k.is_component {
            let message = if component {
                format!("expected kind 'Component' for path '{dir}'")
            } else {
                format!("expected kind != 'Component' for path '{dir}'")
            };
            return Err(Error::new(&k.file, None, message));
        }
        self.visiting.push(dir.to_string());
        let result = self.accumulate_inner(dir, k, inherited);
        self.visiting.pop();
        result
    }

    fn accumulate_inner(
        &mut self,
        dir: &str,
        k: &Kustomization,
        mut resources: Vec<Resource>,
    ) -> Result<Vec<Resource>, Error> {
        for entry in &k.resources {
            if entry.contains("://")
                || entry.starts_with("github.com/")
                || entry.starts_with("git@")
            {
                return Err(Error::new(
                    &k.file,
                    k.line_of("resources"),
                    format!(
                        "remote resource '{entry}' is not fetched: rampart renders local kustomizations only"
                    ),
                ));
            }
            let path = join(dir, entry);
            match self.kind_of(&path) {
                Some(FileKind::File) => {
                    let (path, text) = self.read_restricted(dir, entry, &k.file)?;
                    for r in read_resources(&path, &text)? {
                        append(&mut resources, r, &path)?;
                    }
                }
                Some(FileKind::Directory) => {
                    let sub = self.load(&path)?;
                    for r in self.accumulate(&path, &sub, Vec::new(), false)? {
                        let source = r.source.clone();
                        append(&mut resources, r, &source)?;
                    }
                }
                _ => {
                    return Err(Error::new(
                        &k.file,
                        k.line_of("resources"),
                        format!("resource '{entry}': no such file or directory"),
                    ));
                }
            }
        }
        for generated in generate::generate(self, dir, k)? {
            absorb(&mut resources, generated).map_err(|m| Error::new(&k.file, None, m))?;
        }
        for entry in &k.components {
            let path = join(dir, entry);
            if self.kind_of(&path) != Some(FileKind::Directory) {
                return Err(Error::new(
                    &k.file,
                    k.line_of("components"),
                    format!("component '{entry}' is not a directory"),
                ));
            }
            let sub = self.load(&path)?;
            resources = self.accumulate(&path, &sub, resources, true)?;
        }
        transform::run(self, dir, k, &mut resources)?;
        Ok(resources)
    }
}

/// The objects of a resource file: every non-empty document, `List`s unpacked.
fn read_resources(path: &str, text: &str) -> Result<Vec<Resource>, Error> {
    let docs = yaml::documents(text).map_err(|e| Error::new(path, Some(e.line), e.message))?;
    let mut out = Vec::new();
    for doc in docs {
        let mut pending = vec![doc.value];
        while let Some(value) = pending.pop() {
            match value {
                Value::Null => {}
                Value::Object(object) => {
                    let is_list = object
                        .get("kind")
                        .and_then(Value::as_str)
                        .is_some_and(|k| k.ends_with("List"))
                        && object.get("items").is_some_and(Value::is_array);
                    if is_list {
                        if let Some(Value::Array(items)) = object.get("items") {
                            pending.extend(items.iter().rev().cloned());
                        }
                        continue;
                    }
                    let r = Resource::new(object, path.to_string(), doc.line);
                    if r.kind().is_empty() {
                        return Err(Error::new(
                            path,
                            Some(doc.line),
                            "missing Resource metadata: kind is required",
                        ));
                    }
                    if r.name().is_empty() {
                        return Err(Error::new(
                            path,
                            Some(doc.line),
                            "missing metadata.name in object",
                        ));
                    }
                    out.push(r);
                }
                _ => {
                    return Err(Error::new(
                        path,
                        Some(doc.line),
                        "a resource must be a mapping (an object with apiVersion, kind and metadata)",
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// Adds a resource whose id must be new.
fn append(resources: &mut Vec<Resource>, r: Resource, path: &str) -> Result<(), Error> {
    let id = r.current_id();
    if resources.iter().any(|o| o.current_id().equals(&id)) {
        return Err(Error::new(
            path,
            Some(r.line),
            format!(
                "may not add resource with an already registered id: {}",
                id.display()
            ),
        ));
    }
    resources.push(r);
    Ok(())
}

/// Adds a generated resource: created, or merged into or replacing the one of that id.
fn absorb(resources: &mut Vec<Resource>, mut r: Resource) -> Result<(), String> {
    let id = r.current_id();
    let matches: Vec<usize> = resources
        .iter()
        .enumerate()
        .filter(|(_, o)| o.any_id().any(|other| other.equals(&id)))
        .map(|(i, _)| i)
        .collect();
    match (matches.as_slice(), r.behavior) {
        ([], Behavior::Create) => {
            resources.push(r);
            Ok(())
        }
        ([], _) => Err(format!(
            "id {} does not exist; cannot merge or replace",
            id.display()
        )),
        ([i], Behavior::Merge | Behavior::Replace) => {
            let old = &resources[*i];
            if r.behavior == Behavior::Merge {
                for field in ["data", "binaryData"] {
                    let mut merged = old
                        .object
                        .get(field)
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_default();
                    if let Some(Value::Object(new)) = r.object.get(field) {
                        merged.extend(new.clone());
                    }
                    if !merged.is_empty() {
                        r.object.insert(field.into(), Value::Object(merged));
                    }
                }
            }
            merge_metadata(&mut r, old);
            resources[*i] = r;
            Ok(())
        }
        ([_], Behavior::Create) => Err(format!(
            "id {} exists; behavior must be merge or replace",
            id.display()
        )),
        _ => Err(format!(
            "found multiple objects that could accept merge of {}",
            id.display()
        )),
    }
}

/// What a generated resource keeps of the one it merges into or replaces: its labels and
/// annotations (the new ones win), its name, namespace and rename history.
fn merge_metadata(r: &mut Resource, old: &Resource) {
    for field in ["labels", "annotations"] {
        let mut merged = old
            .object
            .get("metadata")
            .and_then(|m| m.get(field))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if let Some(Value::Object(new)) = r.object.get("metadata").and_then(|m| m.get(field)) {
            merged.extend(new.clone());
        }
        if !merged.is_empty() {
            r.metadata_mut().insert(field.into(), Value::Object(merged));
        }
    }
    r.set_name(old.name());
    r.set_namespace(old.namespace());
    r.previous = old.previous.clone();
    r.prefixes = old.prefixes.clone();
    r.suffixes = old.suffixes.clone();
    r.needs_hash = r.needs_hash && old.needs_hash;
    r.source = old.source.clone();
    r.line = old.line;
}

/// Kustomize's legacy order: kinds in a fixed order first and last, then by type, namespace
/// and name.
fn sort_legacy(resources: &mut [Resource]) {
    const FIRST: &[&str] = &[
        "Namespace",
        "ResourceQuota",
        "StorageClass",
        "CustomResourceDefinition",
        "ServiceAccount",
        "PodSecurityPolicy",
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
        "ConfigMap",
        "Secret",
        "Endpoints",
        "Service",
        "LimitRange",
        "PriorityClass",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "Deployment",
        "StatefulSet",
        "CronJob",
        "PodDisruptionBudget",
    ];
    const LAST: &[&str] = &[
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
    ];
    fn rank(kind: &str) -> i64 {
        if let Some(i) = FIRST.iter().position(|k| *k == kind) {
            return i as i64 - FIRST.len() as i64;
        }
        LAST.iter()
            .position(|k| *k == kind)
            .map_or(0, |i| i as i64 + 1)
    }
    fn gvk_key(g: &Gvk) -> String {
        let or = |s: &str, d: &str| {
            if s.is_empty() {
                d.to_string()
            } else {
                s.to_string()
            }
        };
        format!(
            "{}_{}_{}",
            or(&g.group, "~G"),
            or(&g.version, "~V"),
            or(&g.kind, "~K")
        )
    }
    fn id_key(id: &Id) -> String {
        let or = |s: &str, d: &str| {
            if s.is_empty() {
                d.to_string()
            } else {
                s.to_string()
            }
        };
        format!(
            "{}|{}|{}",
            id.gvk.display(),
            or(&id.namespace, "~X"),
            or(&id.name, "~N")
        )
    }
    resources.sort_by(|a, b| {
        let (a, b) = (a.current_id(), b.current_id());
        if a.gvk != b.gvk {
            let (ra, rb) = (rank(&a.gvk.kind), rank(&b.gvk.kind));
            if ra != rb {
                return ra.cmp(&rb);
            }
            if a.gvk.kind == "Namespace"
                && b.gvk.kind == "Namespace"
                && (a.gvk.group.is_empty() || b.gvk.group.is_empty())
            {
                return gvk_key(&b.gvk).cmp(&gvk_key(&a.gvk));
            }
            return gvk_key(&a.gvk).cmp(&gvk_key(&b.gvk));
        }
        id_key(&a).cmp(&id_key(&b))
    });
}

/// Whether the kustomization in `dir` is a component (rendered only inside another).
pub fn is_component(files: &dyn Files, dir: &str) -> bool {
    let builder = Builder {
        files,
        visiting: Vec::new(),
    };
    builder.load(&normalise(dir)).is_ok_and(|k| k.is_component)
}

/// Every file a kustomization in `dir` reads, itself and its bases' included: a scan reads
/// them through the kustomization, not again as plain manifests. Best effort: what cannot be
/// read is left out (the build reports it).
pub fn inputs(files: &dyn Files, dir: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let builder = Builder {
        files,
        visiting: Vec::new(),
    };
    collect_inputs(&builder, &normalise(dir), &mut seen, &mut out);
    out.sort();
    out.dedup();
    out
}

fn collect_inputs(
    builder: &Builder<'_>,
    dir: &str,
    seen: &mut HashSet<String>,
    out: &mut Vec<String>,
) {
    if !seen.insert(dir.to_string()) || seen.len() > 10_000 {
        return;
    }
    let Ok(k) = builder.load(dir) else {
        return;
    };
    out.push(k.file.clone());
    for entry in k.referenced_files() {
        let path = join(dir, &entry);
        match builder.kind_of(&path) {
            Some(FileKind::Directory) => collect_inputs(builder, &path, seen, out),
            Some(_) => out.push(path),
            None => {}
        }
    }
}
