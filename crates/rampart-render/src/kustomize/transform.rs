//! The built-in transformers, in the order Kustomize runs them for one kustomization:
//! strategic merge patches, patches, namespace, name prefix and suffix, labels, annotations,
//! JSON 6902 patches, replicas, images.

use regex::Regex;
use serde_json::Value;

use super::fieldspec::{self, Create, FieldSpec, apply, builtin};
use super::kustomization::{Image, Kustomization, Patch};
use super::resource::{Gvk, Resource};
use super::select::Selector;
use super::{Builder, Error, jsonpatch, merge};

pub fn run(
    b: &Builder<'_>,
    dir: &str,
    k: &Kustomization,
    resources: &mut Vec<Resource>,
) -> Result<(), Error> {
    for patch in &k.patches_strategic_merge {
        let (file, text) = patch_source(b, dir, k, patch)?;
        apply_strategic(resources, &file, &text, None, patch)?;
    }
    for patch in &k.patches {
        let (file, text) = patch_source(b, dir, k, patch)?;
        apply_patch(resources, &file, &text, patch)?;
    }
    let at = |key: &'static str| move |m: String| k.error(key, m);
    if !k.namespace.is_empty() {
        namespace(resources, &k.namespace).map_err(at("namespace"))?;
    }
    if !k.name_prefix.is_empty() {
        affix(resources, &k.name_prefix, true).map_err(at("namePrefix"))?;
    }
    if !k.name_suffix.is_empty() {
        affix(resources, &k.name_suffix, false).map_err(at("nameSuffix"))?;
    }
    let tables = builtin();
    for label in &k.labels {
        let mut specs = label.field_specs.clone();
        if label.include_selectors {
            merge_specs(&mut specs, &tables.common_labels);
        } else {
            if label.include_templates {
                merge_specs(&mut specs, &tables.template_labels);
            }
            merge_specs(&mut specs, &[FieldSpec::new("metadata/labels", true)]);
        }
        set_entries(resources, &label.pairs, &specs).map_err(at("labels"))?;
    }
    set_entries(resources, &k.common_labels, &tables.common_labels).map_err(at("commonLabels"))?;
    set_entries(resources, &k.common_annotations, &tables.common_annotations)
        .map_err(at("commonAnnotations"))?;
    for patch in &k.patches_json6902 {
        let (file, text) = patch_source(b, dir, k, patch)?;
        let ops = jsonpatch::parse(&text).map_err(|m| Error::new(&file, None, m))?;
        for r in resources.iter_mut() {
            if patch.target.as_ref().is_some_and(|t| t.selects(r)) {
                jsonpatch::apply(r, &ops).map_err(|m| Error::new(&file, None, m))?;
            }
        }
    }
    for (name, count) in &k.replicas {
        replicas(resources, name, count).map_err(at("replicas"))?;
    }
    for image in &k.images {
        images(resources, image).map_err(at("images"))?;
    }
    Ok(())
}

/// Adds the specs of `more` that are not already there (same type and path).
fn merge_specs(specs: &mut Vec<FieldSpec>, more: &[FieldSpec]) {
    for spec in more {
        if !specs
            .iter()
            .any(|s| s.gvk == spec.gvk && s.path == spec.path)
        {
            specs.push(spec.clone());
        }
    }
}

/// A patch's file and text: inline in the kustomization, or read from its file.
fn patch_source(
    b: &Builder<'_>,
    dir: &str,
    k: &Kustomization,
    patch: &Patch,
) -> Result<(String, String), Error> {
    if !patch.file.is_empty() {
        return Ok((patch.file.clone(), patch.text.clone()));
    }
    match b.read_restricted(dir, &patch.text, &k.file) {
        Ok(found) => Ok(found),
        Err(_) if patch.inline_fallback => Ok((k.file.clone(), patch.text.clone())),
        Err(e) => Err(e),
    }
}

/// A `patches` entry: strategic merge (one or more documents) or JSON 6902 (a list of
/// operations, which needs a target).
fn apply_patch(
    resources: &mut Vec<Resource>,
    file: &str,
    text: &str,
    patch: &Patch,
) -> Result<(), Error> {
    let docs =
        super::yaml::documents(text).map_err(|e| Error::new(file, Some(e.line), e.message))?;
    let is_json_patch = matches!(docs.first().map(|d| &d.value), Some(Value::Array(_)));
    if is_json_patch {
        let Some(target) = &patch.target else {
            return Err(Error::new(file, None, "must specify a target for patch"));
        };
        let ops = jsonpatch::parse(text).map_err(|m| Error::new(file, None, m))?;
        for r in resources.iter_mut().filter(|r| target.selects(r)) {
            jsonpatch::apply(r, &ops).map_err(|m| Error::new(file, None, m))?;
        }
        return Ok(());
    }
    apply_strategic(resources, file, text, patch.target.as_ref(), patch)
}

fn apply_strategic(
    resources: &mut Vec<Resource>,
    file: &str,
    text: &str,
    target: Option<&Selector>,
    options: &Patch,
) -> Result<(), Error> {
    let docs =
        super::yaml::documents(text).map_err(|e| Error::new(file, Some(e.line), e.message))?;
    for doc in docs {
        let Value::Object(patch) = doc.value else {
            if doc.value.is_null() {
                continue;
            }
            return Err(Error::new(
                file,
                Some(doc.line),
                "a strategic merge patch must be a mapping",
            ));
        };
        let line = Some(doc.line);
        let selected: Vec<usize> = match target {
            Some(t) => (0..resources.len())
                .filter(|&i| t.selects(&resources[i]))
                .collect(),
            None => {
                let probe = Resource::new(patch.clone(), file.to_string(), doc.line);
                let id = probe.current_id();
                let found: Vec<usize> = (0..resources.len())
                    .filter(|&i| resources[i].any_id().any(|o| o.equals(&id)))
                    .collect();
                if found.len() != 1 {
                    let why = if found.is_empty() {
                        "no matches for Id"
                    } else {
                        "multiple matches for Id"
                    };
                    return Err(Error::new(
                        file,
                        line,
                        format!(
                            "{why} {}; failed to find unique target for patch {}",
                            id.display(),
                            id.display()
                        ),
                    ));
                }
                found
            }
        };
        for i in selected.into_iter().rev() {
            let r = &mut resources[i];
            let (name, namespace, kind) = (
                r.name().to_string(),
                r.namespace().to_string(),
                r.kind().to_string(),
            );
            if options.allow_name_change || options.allow_kind_change {
                r.remember_id();
            }
            let gvk = r.gvk();
            let merged = merge::merge(
                &Value::Object(r.object.clone()),
                &Value::Object(patch.clone()),
                &gvk,
            )
            .map_err(|m| Error::new(file, line, m))?;
            match merged {
                Some(Value::Object(object)) if !object.is_empty() => {
                    r.object = object;
                    if !options.allow_kind_change {
                        r.set_kind(&kind);
                    }
                    if !options.allow_name_change {
                        r.set_name(&name);
                    }
                    r.set_namespace(&namespace);
                }
                _ => {
                    resources.remove(i);
                }
            }
        }
    }
    Ok(())
}

fn namespace(resources: &mut [Resource], ns: &str) -> Result<(), String> {
    let specs = &builtin().namespace;
    for r in resources.iter_mut() {
        if r.object.is_empty() {
            continue;
        }
        r.remember_id();
        let gvk = r.gvk();
        let set = &mut |v: &mut Value| {
            *v = Value::String(ns.to_string());
            Ok(())
        };
        if !gvk.is_cluster_scoped() {
            let meta = FieldSpec::new("metadata/namespace", true);
            apply(&mut r.object, &meta, Some(Create::Scalar), set)?;
        }
        if matches!(gvk.kind.as_str(), "RoleBinding" | "ClusterRoleBinding")
            && let Some(Value::Array(subjects)) = r.object.get_mut("subjects")
        {
            for subject in subjects.iter_mut().filter_map(Value::as_object_mut) {
                if subject.get("name").and_then(Value::as_str) == Some("default") {
                    subject.insert("namespace".into(), Value::String(ns.to_string()));
                }
            }
        }
        for spec in specs.iter().filter(|s| gvk.is_selected(&s.gvk)) {
            // The Namespace object itself is renamed only in the core group's v1.
            if spec.path == "metadata/name" && gvk.api_version() != "v1" {
                continue;
            }
            apply(&mut r.object, spec, Some(Create::Scalar), set)?;
        }
    }
    let ids: Vec<_> = resources.iter().map(Resource::current_id).collect();
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].iter().any(|o| o.equals(id)) {
            return Err(format!(
                "namespace transformation produces ID conflict: {}",
                id.display()
            ));
        }
    }
    Ok(())
}

/// Types whose names keep no prefix or suffix.
fn keeps_name(gvk: &Gvk) -> bool {
    gvk.kind == "CustomResourceDefinition"
        || gvk.kind == "Namespace"
        || (gvk.kind == "APIService" && gvk.group == "apiregistration.k8s.io")
}

fn affix(resources: &mut [Resource], affix: &str, prefix: bool) -> Result<(), String> {
    for r in resources.iter_mut() {
        if keeps_name(&r.original_id().gvk) {
            continue;
        }
        if prefix {
            r.prefixes.push(affix.to_string());
        } else {
            r.suffixes.push(affix.to_string());
        }
        r.remember_id();
        let name = r.name();
        let renamed = if prefix {
            format!("{affix}{name}")
        } else {
            format!("{name}{affix}")
        };
        r.set_name(&renamed);
    }
    Ok(())
}

/// Labels or annotations: each pair set, as a string, in the map each spec names.
fn set_entries(
    resources: &mut [Resource],
    pairs: &[(String, String)],
    specs: &[FieldSpec],
) -> Result<(), String> {
    if pairs.is_empty() {
        return Ok(());
    }
    let mut sorted = pairs.to_vec();
    sorted.sort();
    for r in resources.iter_mut() {
        let gvk = r.gvk();
        for spec in specs.iter().filter(|s| gvk.is_selected(&s.gvk)) {
            apply(&mut r.object, spec, Some(Create::Map), &mut |v| {
                let Value::Object(map) = v else {
                    return Err(format!(
                        "{}: expected a mapping",
                        fieldspec::split_path(&spec.path).join(".")
                    ));
                };
                for (k, value) in &sorted {
                    map.insert(k.clone(), Value::String(value.clone()));
                }
                Ok(())
            })?;
        }
    }
    Ok(())
}

fn replicas(resources: &mut [Resource], name: &str, count: &Value) -> Result<(), String> {
    let specs = &builtin().replicas;
    let mut found = false;
    for spec in specs {
        for r in resources.iter_mut() {
            let matched = r
                .any_id()
                .any(|id| id.name == name && id.gvk.is_selected(&spec.gvk));
            if !matched {
                continue;
            }
            found = true;
            apply(&mut r.object, spec, Some(Create::Scalar), &mut |v| {
                *v = count.clone();
                Ok(())
            })?;
        }
    }
    if !found {
        let gvks: Vec<String> = specs.iter().map(|s| s.gvk.display()).collect();
        return Err(format!(
            "resource with name {name} does not match a config with the following GVK [{}]",
            gvks.join(" ")
        ));
    }
    Ok(())
}

fn images(resources: &mut [Resource], image: &Image) -> Result<(), String> {
    let pattern = Regex::new(&format!(
        "^{}(:[a-zA-Z0-9_.{{}}-]*)?(@sha256:[a-zA-Z0-9_.{{}}-]*)?$",
        image.name
    ))
    .map_err(|e| format!("image name '{}': {e}", image.name))?;
    let update = &mut |v: &mut Value| {
        let Value::String(current) = v else {
            return Ok(());
        };
        if pattern.is_match(current) {
            *current = retag(current, image);
        }
        Ok(())
    };
    for r in resources.iter_mut() {
        if r.kind() == "CustomResourceDefinition" {
            continue;
        }
        // Every `containers` and `initContainers` list anywhere in the object.
        for field in r.object.values_mut() {
            each_container_image(field, update)?;
        }
        // Kustomize's image filter creates nothing, whatever the specs say.
        for spec in &builtin().images {
            apply(&mut r.object, spec, None, update)?;
        }
    }
    Ok(())
}

fn each_container_image(
    v: &mut Value,
    update: &mut dyn FnMut(&mut Value) -> Result<(), String>,
) -> Result<(), String> {
    match v {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                each_container_image(field, update)?;
                if (key == "containers" || key == "initContainers")
                    && let Value::Array(items) = field
                {
                    for item in items.iter_mut() {
                        if let Some(image) = item.get_mut("image") {
                            update(image)?;
                        }
                    }
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                each_container_image(item, update)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The image reference with the new name, tag or digest.
fn retag(current: &str, image: &Image) -> String {
    let (mut name, mut tag, mut digest) = split_image(current);
    if !image.new_name.is_empty() {
        name = image.new_name.clone();
    }
    if !image.new_tag.is_empty() && !image.digest.is_empty() {
        tag = image.new_tag.clone();
        digest = image.digest.clone();
    } else if !image.new_tag.is_empty() {
        tag = image.new_tag.clone();
        digest.clear();
    } else if !image.digest.is_empty() {
        tag.clear();
        digest = image.digest.clone();
    } else if !image.tag_suffix.is_empty() {
        tag.push_str(&image.tag_suffix);
        digest.clear();
    }
    if !tag.is_empty() {
        name = format!("{name}:{tag}");
    }
    if !digest.is_empty() {
        name = format!("{name}@{digest}");
    }
    name
}

/// Name, tag and digest of an image reference (a `:` before the first `/` is a port).
fn split_image(image: &str) -> (String, String, String) {
    let slash = image.find('/').filter(|&i| i > 0).unwrap_or(0);
    let search = &image[slash..];
    let (at, colon) = (search.find('@'), search.find(':'));
    match (at, colon) {
        (None, None) => (image.to_string(), String::new(), String::new()),
        (Some(a), Some(c)) if c < a => {
            let (a, c) = (a + slash, c + slash);
            (
                image[..c].to_string(),
                image[c + 1..a].to_string(),
                image[a + 1..].to_string(),
            )
        }
        (Some(a), _) => {
            let a = a + slash;
            (
                image[..a].to_string(),
                String::new(),
                image[a + 1..].to_string(),
            )
        }
        (None, Some(c)) => {
            let c = c + slash;
            (
                image[..c].to_string(),
                image[c + 1..].to_string(),
                String::new(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references_split_as_kustomize_splits_them() {
        let s = |i: &str| split_image(i);
        assert_eq!(s("nginx"), ("nginx".into(), "".into(), "".into()));
        assert_eq!(s("nginx:1.2"), ("nginx".into(), "1.2".into(), "".into()));
        assert_eq!(
            s("reg:5000/app:v1@sha256:ab"),
            ("reg:5000/app".into(), "v1".into(), "sha256:ab".into())
        );
        assert_eq!(
            s("app@sha256:ab"),
            ("app".into(), "".into(), "sha256:ab".into())
        );
    }
}
