//! The kustomization file: its fields checked as Kustomize checks them (an unknown field is an
//! error), the deprecated ones folded into their successors, and the fields this renderer
//! does not implement refused by name.

use serde_json::{Map, Value};

use super::Error;
use super::fieldspec::FieldSpec;
use super::resource::Gvk;
use super::select::Selector;

/// Fields Kustomize knows that are not rendered here: refusing them is better than a render
/// that silently differs.
const UNSUPPORTED: &[&str] = &[
    "replacements",
    "vars",
    "helmCharts",
    "helmGlobals",
    "helmChartInflationGenerator",
    "generators",
    "transformers",
    "validators",
    "configurations",
    "crds",
    "openapi",
    "buildMetadata",
    "imageTags",
];

const KNOWN: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "resources",
    "bases",
    "components",
    "namespace",
    "namePrefix",
    "nameSuffix",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "patches",
    "patchesStrategicMerge",
    "patchesJson6902",
    "images",
    "replicas",
    "configMapGenerator",
    "secretGenerator",
    "generatorOptions",
    "sortOptions",
];

#[derive(Debug, Clone, Default)]
pub struct Label {
    pub pairs: Vec<(String, String)>,
    pub include_selectors: bool,
    pub include_templates: bool,
    pub field_specs: Vec<FieldSpec>,
}

#[derive(Debug, Clone, Default)]
pub struct Patch {
    /// The patch's text (an inline patch, `file` set to the kustomization file) or, with
    /// `file` empty, the path of the file that holds it.
    pub text: String,
    pub file: String,
    /// A path that names no file is the patch itself (`patchesStrategicMerge`).
    pub inline_fallback: bool,
    pub target: Option<Selector>,
    pub allow_name_change: bool,
    pub allow_kind_change: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Image {
    pub name: String,
    pub new_name: String,
    pub new_tag: String,
    pub digest: String,
    pub tag_suffix: String,
}

#[derive(Debug, Clone, Default)]
pub struct GeneratorOptions {
    pub labels: Map<String, Value>,
    pub annotations: Map<String, Value>,
    pub disable_hash: Option<bool>,
    pub immutable: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Generator {
    pub name: String,
    pub namespace: String,
    pub behavior: String,
    pub literals: Vec<String>,
    pub files: Vec<String>,
    pub envs: Vec<String>,
    pub secret_type: String,
    pub options: Option<GeneratorOptions>,
}

#[derive(Debug, Clone, Default)]
pub struct Kustomization {
    pub file: String,
    text: String,
    pub is_component: bool,
    pub resources: Vec<String>,
    pub components: Vec<String>,
    pub namespace: String,
    pub name_prefix: String,
    pub name_suffix: String,
    pub common_labels: Vec<(String, String)>,
    pub labels: Vec<Label>,
    pub common_annotations: Vec<(String, String)>,
    /// Strategic merge patches from `patchesStrategicMerge` (files or inline).
    pub patches_strategic_merge: Vec<Patch>,
    pub patches: Vec<Patch>,
    pub patches_json6902: Vec<Patch>,
    pub images: Vec<Image>,
    pub replicas: Vec<(String, Value)>,
    pub config_maps: Vec<Generator>,
    pub secrets: Vec<Generator>,
    pub generator_options: Option<GeneratorOptions>,
    pub sort_legacy: bool,
    /// Patch files named by path (for the list of files a kustomization reads).
    patch_paths: Vec<String>,
}

impl Kustomization {
    pub fn parse(file: &str, text: &str) -> Result<Kustomization, Error> {
        let docs =
            super::yaml::documents(text).map_err(|e| Error::new(file, Some(e.line), e.message))?;
        let root = match docs.into_iter().next().map(|d| d.value) {
            Some(Value::Object(m)) => m,
            None | Some(Value::Null) => Map::new(),
            Some(_) => {
                return Err(Error::new(
                    file,
                    Some(1),
                    "a kustomization must be a mapping",
                ));
            }
        };
        let mut k = Kustomization {
            file: file.to_string(),
            text: text.to_string(),
            sort_legacy: true,
            ..Kustomization::default()
        };
        for key in root.keys() {
            if UNSUPPORTED.contains(&key.as_str()) {
                return Err(k.error(
                    key,
                    format!("the kustomization field '{key}' is not supported by rampart's Kustomize renderer"),
                ));
            }
            if !KNOWN.contains(&key.as_str()) {
                return Err(k.error(
                    key,
                    format!("invalid Kustomization: json: unknown field \"{key}\""),
                ));
            }
        }
        let kind = str_field(&root, "kind");
        k.is_component = kind == "Component";
        if !matches!(kind.as_str(), "" | "Kustomization" | "Component") {
            return Err(k.error(
                "kind",
                format!("kind should be Kustomization or Component, not {kind}"),
            ));
        }
        k.resources = k.strings(&root, "resources")?;
        k.resources.extend(k.strings(&root, "bases")?);
        k.components = k.strings(&root, "components")?;
        k.namespace = str_field(&root, "namespace");
        k.name_prefix = str_field(&root, "namePrefix");
        k.name_suffix = str_field(&root, "nameSuffix");
        k.common_labels = k.string_map(&root, "commonLabels")?;
        k.common_annotations = k.string_map(&root, "commonAnnotations")?;
        for label in k.list(&root, "labels")? {
            let label = label.as_object().cloned().unwrap_or_default();
            k.labels.push(Label {
                pairs: k.string_map(&label, "pairs")?,
                include_selectors: label.get("includeSelectors") == Some(&Value::Bool(true)),
                include_templates: label.get("includeTemplates") == Some(&Value::Bool(true)),
                field_specs: k.field_specs(&label, "fields")?,
            });
        }
        for entry in k.list(&root, "patchesStrategicMerge")? {
            let text = entry
                .as_str()
                .ok_or_else(|| k.error("patchesStrategicMerge", "a patch must be a string"))?;
            let patch = k.patch_text(text, true);
            k.patches_strategic_merge.push(patch);
        }
        for entry in k.list(&root, "patches")? {
            let map = entry
                .as_object()
                .ok_or_else(|| k.error("patches", "a patch must be a mapping"))?;
            let mut patch = match (map.get("path"), map.get("patch")) {
                (Some(Value::String(path)), None) => k.patch_text(path, false),
                (None, Some(Value::String(text))) => Patch {
                    text: text.clone(),
                    file: k.file.clone(),
                    ..Patch::default()
                },
                (Some(_), Some(_)) => {
                    return Err(k.error("patches", "patch and path can't be set at the same time"));
                }
                _ => return Err(k.error("patches", "must specify one of patch and path")),
            };
            patch.target = k.selector(map.get("target"))?;
            if let Some(Value::Object(options)) = map.get("options") {
                patch.allow_name_change =
                    options.get("allowNameChange") == Some(&Value::Bool(true));
                patch.allow_kind_change =
                    options.get("allowKindChange") == Some(&Value::Bool(true));
            }
            k.patches.push(patch);
        }
        for entry in k.list(&root, "patchesJson6902")? {
            let map = entry
                .as_object()
                .ok_or_else(|| k.error("patchesJson6902", "a patch must be a mapping"))?;
            let mut patch = match (map.get("path"), map.get("patch")) {
                (Some(Value::String(path)), _) => k.patch_text(path, false),
                (None, Some(Value::String(text))) => Patch {
                    text: text.clone(),
                    file: k.file.clone(),
                    ..Patch::default()
                },
                _ => return Err(k.error("patchesJson6902", "must specify one of patch and path")),
            };
            patch.target = k.selector(map.get("target"))?;
            if patch.target.is_none() {
                return Err(k.error("patchesJson6902", "must specify a target for patch"));
            }
            k.patches_json6902.push(patch);
        }
        for entry in k.list(&root, "images")? {
            let map = entry.as_object().cloned().unwrap_or_default();
            k.images.push(Image {
                name: str_field(&map, "name"),
                new_name: str_field(&map, "newName"),
                new_tag: str_field(&map, "newTag"),
                digest: str_field(&map, "digest"),
                tag_suffix: str_field(&map, "tagSuffix"),
            });
        }
        for entry in k.list(&root, "replicas")? {
            let map = entry.as_object().cloned().unwrap_or_default();
            let count = map.get("count").cloned().unwrap_or(Value::from(0));
            if !count.is_i64() {
                return Err(k.error("replicas", "replicas count must be an integer"));
            }
            k.replicas.push((str_field(&map, "name"), count));
        }
        k.generator_options = root.get("generatorOptions").map(|o| k.options(o));
        k.config_maps = k.generators(&root, "configMapGenerator")?;
        k.secrets = k.generators(&root, "secretGenerator")?;
        if let Some(Value::Object(sort)) = root.get("sortOptions") {
            match str_field(sort, "order").as_str() {
                "legacy" => {
                    if sort.contains_key("legacySortOptions") {
                        return Err(k.error("sortOptions", "the field 'sortOptions.legacySortOptions' is not supported by rampart's Kustomize renderer"));
                    }
                }
                "fifo" => k.sort_legacy = false,
                other => {
                    return Err(k.error("sortOptions", format!("the field 'sortOptions.order' must be one of 'fifo' or 'legacy', not '{other}'")));
                }
            }
        }
        Ok(k)
    }

    /// The line where `key` starts at the top level of the file, when it can be found.
    pub fn line_of(&self, key: &str) -> Option<usize> {
        self.text
            .lines()
            .position(|l| {
                l.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
            .map(|i| i + 1)
    }

    pub fn error(&self, key: &str, message: impl Into<String>) -> Error {
        Error::new(&self.file, self.line_of(key), message)
    }

    /// The files and folders the kustomization names, relative to its folder.
    pub fn referenced_files(&self) -> Vec<String> {
        let mut out = self.resources.clone();
        out.extend(self.components.iter().cloned());
        out.extend(self.patch_paths.iter().cloned());
        for g in self.config_maps.iter().chain(&self.secrets) {
            out.extend(g.envs.iter().cloned());
            out.extend(
                g.files
                    .iter()
                    .map(|f| f.split_once('=').map_or(f.as_str(), |(_, p)| p).to_string()),
            );
        }
        out
    }

    /// A patch given by path (or, for `patchesStrategicMerge`, a path or inline text: the
    /// file is tried first, as Kustomize does).
    fn patch_text(&mut self, text: &str, may_be_inline: bool) -> Patch {
        if !text.contains('\n') {
            self.patch_paths.push(text.to_string());
        }
        Patch {
            text: text.to_string(),
            inline_fallback: may_be_inline,
            ..Patch::default()
        }
    }

    fn list(&self, map: &Map<String, Value>, key: &str) -> Result<Vec<Value>, Error> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items.clone()),
            Some(_) => Err(self.error(key, format!("'{key}' must be a list"))),
        }
    }

    fn strings(&self, map: &Map<String, Value>, key: &str) -> Result<Vec<String>, Error> {
        self.list(map, key)?
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(self.error(key, format!("the entries of '{key}' must be strings"))),
            })
            .collect()
    }

    /// A map of strings as Go decodes `map[string]string`: scalars become their text.
    fn string_map(
        &self,
        map: &Map<String, Value>,
        key: &str,
    ) -> Result<Vec<(String, String)>, Error> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, v)| match v {
                    Value::String(s) => Ok((k.clone(), s.clone())),
                    Value::Bool(_) | Value::Number(_) => Ok((k.clone(), v.to_string())),
                    Value::Null => Ok((k.clone(), String::new())),
                    _ => Err(self.error(key, format!("the values of '{key}' must be strings"))),
                })
                .collect(),
            Some(_) => Err(self.error(key, format!("'{key}' must be a mapping"))),
        }
    }

    fn field_specs(&self, map: &Map<String, Value>, key: &str) -> Result<Vec<FieldSpec>, Error> {
        self.list(map, key)?
            .into_iter()
            .map(|v| {
                let m = v.as_object().cloned().unwrap_or_default();
                Ok(FieldSpec {
                    gvk: Gvk {
                        group: str_field(&m, "group"),
                        version: str_field(&m, "version"),
                        kind: str_field(&m, "kind"),
                    },
                    path: str_field(&m, "path"),
                    create: m.get("create") == Some(&Value::Bool(true)),
                })
            })
            .collect()
    }

    fn selector(&self, v: Option<&Value>) -> Result<Option<Selector>, Error> {
        let Some(Value::Object(m)) = v else {
            return Ok(None);
        };
        Selector::new(
            &str_field(m, "group"),
            &str_field(m, "version"),
            &str_field(m, "kind"),
            &str_field(m, "name"),
            &str_field(m, "namespace"),
            &str_field(m, "labelSelector"),
            &str_field(m, "annotationSelector"),
        )
        .map(Some)
        .map_err(|e| self.error("patches", e))
    }

    fn options(&self, v: &Value) -> GeneratorOptions {
        let m = v.as_object().cloned().unwrap_or_default();
        let strings = |key: &str| {
            m.get(key)
                .and_then(Value::as_object)
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| {
                            let text = match v {
                                Value::String(s) => s.clone(),
                                Value::Null => String::new(),
                                other => other.to_string(),
                            };
                            (k.clone(), Value::String(text))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        GeneratorOptions {
            labels: strings("labels"),
            annotations: strings("annotations"),
            disable_hash: m.get("disableNameSuffixHash").and_then(Value::as_bool),
            immutable: m.get("immutable") == Some(&Value::Bool(true)),
        }
    }

    fn generators(&self, root: &Map<String, Value>, key: &str) -> Result<Vec<Generator>, Error> {
        self.list(root, key)?
            .into_iter()
            .map(|v| {
                let m = v
                    .as_object()
                    .cloned()
                    .ok_or_else(|| self.error(key, "a generator must be a mapping"))?;
                let mut envs = self.strings(&m, "envs")?;
                let env = str_field(&m, "env");
                if !env.is_empty() {
                    envs.push(env);
                }
                Ok(Generator {
                    name: str_field(&m, "name"),
                    namespace: str_field(&m, "namespace"),
                    behavior: str_field(&m, "behavior"),
                    literals: self.strings(&m, "literals")?,
                    files: self.strings(&m, "files")?,
                    envs,
                    secret_type: str_field(&m, "type"),
                    options: m.get("options").map(|o| self.options(o)),
                })
            })
            .collect()
    }
}

pub fn str_field(map: &Map<String, Value>, key: &str) -> String {
    match map.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}
