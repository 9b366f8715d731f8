//! What the server serves: the objects of a folder, read again whenever its files change, with
//! the resource versions and watch events the changes make.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rampart_source::{Limits, parse_text};
use serde_json::{Value, json};
use tokio::sync::broadcast;

use crate::resources::{self, Resource, version_priority};

/// A resource by group and plural name: where its objects are kept, whatever their version.
pub type ResourceKey = (String, String);
/// An object by namespace (empty for cluster-scoped kinds) and name.
pub type ObjectKey = (String, String);

/// One reading of the folder.
#[derive(Debug, Default)]
pub struct Contents {
    /// Every served resource with the versions it is served at.
    pub served: BTreeMap<ResourceKey, (Resource, BTreeSet<String>)>,
    pub objects: BTreeMap<ResourceKey, BTreeMap<ObjectKey, Value>>,
    /// `KubeletConfiguration`s by the node they configure (their `metadata.name`), served by
    /// the node proxy's `configz`.
    pub kubelet_configs: BTreeMap<String, Value>,
}

impl Contents {
    /// The resource at `group`/`version` named `plural`, when it is served there.
    pub fn resource(&self, group: &str, version: &str, plural: &str) -> Option<&Resource> {
        let (resource, versions) = self.served.get(&(group.to_owned(), plural.to_owned()))?;
        versions.contains(version).then_some(resource)
    }

    /// Every group with its versions, most preferred first.
    pub fn groups(&self) -> BTreeMap<&str, Vec<&str>> {
        let mut groups: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for ((group, _), (_, versions)) in &self.served {
            groups
                .entry(group)
                .or_default()
                .extend(versions.iter().map(String::as_str));
        }
        groups
            .into_iter()
            .map(|(group, versions)| {
                let mut versions: Vec<&str> = versions.into_iter().collect();
                versions.sort_by_key(|v| version_priority(v));
                (group, versions)
            })
            .collect()
    }

    /// The resources served at `group`/`version`, by plural.
    pub fn resources_at(&self, group: &str, version: &str) -> Vec<&Resource> {
        self.served
            .iter()
            .filter(|((g, _), (_, versions))| g == group && versions.contains(version))
            .map(|(_, (resource, _))| resource)
            .collect()
    }

    /// Whether the folder holds a `Node` of that name.
    pub fn has_node(&self, name: &str) -> bool {
        self.objects
            .get(&(String::new(), "nodes".to_owned()))
            .is_some_and(|nodes| nodes.contains_key(&(String::new(), name.to_owned())))
    }
}

/// Reads every `.yaml`, `.yml` and `.json` file under `folder` (sorted by path); a file that
/// does not parse is reported on the standard error and skipped.
pub fn read_folder(folder: &Path) -> Contents {
    let mut contents = Contents::default();
    for resource in resources::built_in() {
        let versions = BTreeSet::from([resource.version.clone()]);
        contents.served.insert(
            (resource.group.clone(), resource.plural.clone()),
            (resource, versions),
        );
    }
    let mut objects = Vec::new();
    for path in files(folder) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("rampart-test-apiserver: cannot read {}", path.display());
            continue;
        };
        let (parsed, errors) = parse_text(&path.display().to_string(), &text, &Limits::default());
        for error in errors {
            eprintln!(
                "rampart-test-apiserver: {}:{:?}: {}",
                error.path, error.line, error.message
            );
        }
        objects.extend(parsed.into_iter().map(|object| object.root.to_json()));
    }
    // CustomResourceDefinitions first: they name the kinds of the objects after them.
    for crd in objects
        .iter()
        .filter(|o| kind_of(o) == "CustomResourceDefinition")
    {
        serve_crd(&mut contents, crd);
    }
    for object in objects {
        add_object(&mut contents, object);
    }
    contents
}

fn files(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// A fingerprint of the folder's files (paths, sizes, modification times): when it changes,
/// the folder is read again.
pub fn stamp(folder: &Path) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    files(folder)
        .into_iter()
        .map(|path| {
            let metadata = std::fs::metadata(&path).ok();
            let size = metadata.as_ref().map_or(0, |m| m.len());
            let modified = metadata.and_then(|m| m.modified().ok());
            (path, size, modified)
        })
        .collect()
}

fn kind_of(object: &Value) -> &str {
    object["kind"].as_str().unwrap_or_default()
}

fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.rsplit_once('/').unwrap_or(("", api_version))
}

fn serve_crd(contents: &mut Contents, crd: &Value) {
    let spec = &crd["spec"];
    let (Some(group), Some(kind), Some(plural)) = (
        spec["group"].as_str(),
        spec["names"]["kind"].as_str(),
        spec["names"]["plural"].as_str(),
    ) else {
        return;
    };
    let versions: BTreeSet<String> = spec["versions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v["served"].as_bool().unwrap_or(true))
        .filter_map(|v| v["name"].as_str().map(str::to_owned))
        .collect();
    let Some(first) = versions.first() else {
        return;
    };
    let resource = Resource {
        group: group.to_owned(),
        version: first.clone(),
        kind: kind.to_owned(),
        plural: plural.to_owned(),
        namespaced: spec["scope"].as_str() != Some("Cluster"),
        short_names: spec["names"]["shortNames"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect(),
    };
    let entry = contents
        .served
        .entry((group.to_owned(), plural.to_owned()))
        .or_insert((resource, BTreeSet::new()));
    entry.1.extend(versions);
}

fn add_object(contents: &mut Contents, mut object: Value) {
    let api_version = object["apiVersion"].as_str().unwrap_or_default().to_owned();
    let kind = kind_of(&object).to_owned();
    let name = object["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if name.is_empty() || api_version.is_empty() || kind.is_empty() {
        return;
    }
    if kind == "KubeletConfiguration" {
        contents.kubelet_configs.insert(name, object);
        return;
    }
    let (group, version) = split_api_version(&api_version);
    let known = contents
        .served
        .values()
        .find(|(resource, _)| resource.group == group && resource.kind == kind)
        .map(|(resource, _)| resource.clone());
    let resource = known.unwrap_or_else(|| {
        let namespaced = object["metadata"]["namespace"].is_string();
        resources::named(group, version, &kind, namespaced)
    });
    let key = (group.to_owned(), resource.plural.clone());
    let namespace = if resource.namespaced {
        // What `kubectl apply` does with a namespaced object that names none.
        let namespace = object["metadata"]["namespace"]
            .as_str()
            .unwrap_or("default")
            .to_owned();
        object["metadata"]["namespace"] = json!(namespace);
        namespace
    } else {
        String::new()
    };
    contents
        .served
        .entry(key.clone())
        .or_insert_with(|| (resource, BTreeSet::new()))
        .1
        .insert(version.to_owned());
    contents
        .objects
        .entry(key)
        .or_default()
        .insert((namespace, name), object);
}

/// A change to one object, as a watch reports it.
#[derive(Debug, Clone)]
pub struct Event {
    pub revision: u64,
    /// `ADDED`, `MODIFIED` or `DELETED`
    pub kind: &'static str,
    pub resource: ResourceKey,
    pub namespace: String,
    /// The object with its `metadata.resourceVersion`, in the version it was written in.
    pub object: Value,
}

/// Where a watch starts: the changes it missed, those to come, and the contents now.
pub struct Watch {
    pub backlog: Vec<Arc<Event>>,
    pub receiver: broadcast::Receiver<Arc<Event>>,
    pub contents: Arc<Contents>,
    pub revision: u64,
}

/// The folder's contents as of the last reading, and the changes since the first.
pub struct Store {
    folder: PathBuf,
    state: Mutex<State>,
    events: broadcast::Sender<Arc<Event>>,
}

struct State {
    contents: Arc<Contents>,
    stamp: Vec<(PathBuf, u64, Option<SystemTime>)>,
    revision: u64,
    /// Every change after the first reading, oldest first.
    log: Vec<Arc<Event>>,
}

impl Store {
    pub fn open(folder: &Path) -> Store {
        let stamp = stamp(folder);
        let mut contents = read_folder(folder);
        let mut revision = 1;
        for objects in contents.objects.values_mut() {
            for (key, object) in objects.iter_mut() {
                revision += 1;
                stamp_object(object, key, revision);
            }
        }
        let (events, _) = broadcast::channel(4096);
        Store {
            folder: folder.to_path_buf(),
            state: Mutex::new(State {
                contents: Arc::new(contents),
                stamp,
                revision,
                log: Vec::new(),
            }),
            events,
        }
    }

    /// The current contents and their resource version.
    pub fn contents(&self) -> (Arc<Contents>, u64) {
        let state = self.state.lock().unwrap();
        (state.contents.clone(), state.revision)
    }

    /// The changes after `revision` and a receiver of those to come, without a gap between
    /// them.
    pub fn watch_from(&self, revision: u64) -> Watch {
        let state = self.state.lock().unwrap();
        let backlog = state
            .log
            .iter()
            .filter(|event| event.revision > revision)
            .cloned()
            .collect();
        Watch {
            backlog,
            receiver: self.events.subscribe(),
            contents: state.contents.clone(),
            revision: state.revision,
        }
    }

    /// Reads the folder again when its files changed, and announces what changed.
    pub fn refresh(&self) {
        let stamp = stamp(&self.folder);
        if self.state.lock().unwrap().stamp == stamp {
            return;
        }
        let mut contents = read_folder(&self.folder);
        let mut state = self.state.lock().unwrap();
        let previous = state.contents.clone();
        let mut revision = state.revision;
        let mut events = Vec::new();
        let keys: BTreeSet<ResourceKey> = contents
            .objects
            .keys()
            .chain(previous.objects.keys())
            .cloned()
            .collect();
        let empty = BTreeMap::new();
        for resource in keys {
            let before = previous.objects.get(&resource).unwrap_or(&empty);
            let after = contents.objects.entry(resource.clone()).or_default();
            for (key, object) in after.iter_mut() {
                let previous = before.get(key);
                let kind = match previous {
                    None => "ADDED",
                    Some(previous) if same_content(previous, object) => {
                        *object = previous.clone();
                        continue;
                    }
                    Some(_) => "MODIFIED",
                };
                revision += 1;
                stamp_object(object, key, revision);
                events.push(Event {
                    revision,
                    kind,
                    resource: resource.clone(),
                    namespace: key.0.clone(),
                    object: object.clone(),
                });
            }
            for (key, object) in before {
                if !after.contains_key(key) {
                    revision += 1;
                    let mut object = object.clone();
                    object["metadata"]["resourceVersion"] = json!(revision.to_string());
                    events.push(Event {
                        revision,
                        kind: "DELETED",
                        resource: resource.clone(),
                        namespace: key.0.clone(),
                        object,
                    });
                }
            }
        }
        state.contents = Arc::new(contents);
        state.revision = revision;
        state.stamp = stamp;
        for event in events {
            let event = Arc::new(event);
            state.log.push(event.clone());
            // No receiver is not an error: nobody watches.
            let _ = self.events.send(event);
        }
    }
}

/// Whether two readings of an object differ only in what the server added.
fn same_content(stored: &Value, fresh: &Value) -> bool {
    let mut stored = stored.clone();
    if let Some(metadata) = stored["metadata"].as_object_mut() {
        metadata.remove("resourceVersion");
        if fresh["metadata"]["uid"].is_null() {
            metadata.remove("uid");
        }
    }
    &stored == fresh
}

/// Adds what the API server gives every object: a resource version and a uid.
fn stamp_object(object: &mut Value, key: &ObjectKey, revision: u64) {
    object["metadata"]["resourceVersion"] = json!(revision.to_string());
    if object["metadata"]["uid"].is_null() {
        object["metadata"]["uid"] = json!(uid(object, key));
    }
}

/// A uid that stays the same for the same object across readings.
fn uid(object: &Value, key: &ObjectKey) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (object["apiVersion"].as_str(), object["kind"].as_str(), key).hash(&mut hasher);
    let high = hasher.finish();
    high.hash(&mut hasher);
    let low = hasher.finish();
    let hex = format!("{high:016x}{low:016x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}
