//! `configMapGenerator` and `secretGenerator`, and the content hash Kustomize appends to
//! generated names.

use base64::Engine;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::kustomization::{Generator, GeneratorOptions, Kustomization};
use super::resource::{Behavior, Resource};
use super::{Builder, Error};

/// The resources the kustomization's generators make, ConfigMaps first.
pub fn generate(b: &Builder<'_>, dir: &str, k: &Kustomization) -> Result<Vec<Resource>, Error> {
    let mut out = Vec::new();
    for (generators, kind) in [(&k.config_maps, "ConfigMap"), (&k.secrets, "Secret")] {
        for g in generators {
            out.push(one(b, dir, k, g, kind)?);
        }
    }
    Ok(out)
}

fn one(
    b: &Builder<'_>,
    dir: &str,
    k: &Kustomization,
    g: &Generator,
    kind: &str,
) -> Result<Resource, Error> {
    let key = if kind == "ConfigMap" {
        "configMapGenerator"
    } else {
        "secretGenerator"
    };
    let fail = |m: String| k.error(key, m);
    if g.name.is_empty() {
        return Err(fail("a configmap must have a name".into()));
    }
    let mut pairs: Vec<(String, String)> = Vec::new();
    for env in &g.envs {
        let (_, text) = b.read_restricted(dir, env, &k.file)?;
        for (i, line) in text.lines().enumerate() {
            let line = if i == 0 {
                line.trim_start_matches('\u{feff}')
            } else {
                line
            };
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line.split_once('=').unwrap_or((line, ""));
            if !is_env_var_name(key) {
                return Err(fail(format!(
                    "env source files: [{env}]: \"{key}\" is not a valid environment variable name"
                )));
            }
            pairs.push((key.to_string(), value.to_string()));
        }
    }
    for literal in &g.literals {
        let (key, value) = literal
            .split_once('=')
            .filter(|(k, _)| !k.is_empty())
            .ok_or_else(|| {
                fail(format!(
                    "invalid literal source {literal}, expected key=value"
                ))
            })?;
        pairs.push((key.to_string(), remove_quotes(value).to_string()));
    }
    let mut binary: Vec<(String, Vec<u8>)> = Vec::new();
    for source in &g.files {
        let (key, path) = match source.matches('=').count() {
            0 => (
                source.rsplit('/').next().unwrap_or(source).to_string(),
                source.as_str(),
            ),
            1 if source.starts_with('=') || source.ends_with('=') => {
                return Err(fail(format!("invalid file source '{source}'")));
            }
            1 => {
                let (k, p) = source.split_once('=').expect("one '='");
                (k.to_string(), p)
            }
            _ => {
                return Err(fail(format!(
                    "source \"{source}\" key name or file path contains '='"
                )));
            }
        };
        let full = super::join(dir, path);
        if !super::is_within(&full, dir) {
            return Err(fail(format!(
                "security; file '{full}' is not in or below '{dir}'"
            )));
        }
        let bytes = b
            .files
            .read(
                &rampart_core::resolve(b.files, &full),
                super::MAX_FILE_BYTES,
            )
            .map_err(|e| fail(format!("file sources: [{source}]: {e}")))?;
        binary.push((key, bytes));
    }
    let mut data = Map::new();
    let mut binary_data = Map::new();
    let mut seen = std::collections::HashSet::new();
    let all = pairs
        .into_iter()
        .map(|(k, v)| (k, v.into_bytes()))
        .chain(binary);
    for (key, bytes) in all {
        if !is_config_key(&key) {
            return Err(fail(format!(
                "\"{key}\" is not a valid key name for a {kind}"
            )));
        }
        if !seen.insert(key.clone()) {
            return Err(fail(format!(
                "configmap {} illegally repeats the key `{key}`",
                g.name
            )));
        }
        let b64 = || base64::engine::general_purpose::STANDARD.encode(&bytes);
        if kind == "Secret" {
            data.insert(key, Value::String(b64()));
        } else {
            match std::str::from_utf8(&bytes) {
                Ok(text) => data.insert(key, Value::String(text.to_string())),
                Err(_) => binary_data.insert(key, Value::String(b64())),
            };
        }
    }
    let mut object = Map::new();
    object.insert("apiVersion".into(), json!("v1"));
    object.insert("kind".into(), json!(kind));
    let mut meta = Map::new();
    meta.insert("name".into(), json!(g.name));
    if !g.namespace.is_empty() {
        meta.insert("namespace".into(), json!(g.namespace));
    }
    object.insert("metadata".into(), Value::Object(meta));
    if kind == "Secret" {
        let t = if g.secret_type.is_empty() {
            "Opaque"
        } else {
            &g.secret_type
        };
        object.insert("type".into(), json!(t));
    }
    if !data.is_empty() {
        object.insert("data".into(), Value::Object(data));
    }
    if !binary_data.is_empty() {
        object.insert("binaryData".into(), Value::Object(binary_data));
    }
    let options = merged_options(g.options.as_ref(), k.generator_options.as_ref());
    let mut r = Resource::new(object, k.file.clone(), k.line_of(key).unwrap_or(1));
    if let Some(o) = &options {
        for (field, values) in [("labels", &o.labels), ("annotations", &o.annotations)] {
            if !values.is_empty() {
                r.metadata_mut()
                    .insert(field.into(), Value::Object(values.clone()));
            }
        }
        if o.immutable {
            r.object.insert("immutable".into(), Value::Bool(true));
        }
    }
    r.needs_hash = !options
        .as_ref()
        .and_then(|o| o.disable_hash)
        .unwrap_or(false);
    r.behavior = match g.behavior.as_str() {
        "" | "create" => Behavior::Create,
        "merge" => Behavior::Merge,
        "replace" => Behavior::Replace,
        other => return Err(fail(format!("unknown generator behavior '{other}'"))),
    };
    Ok(r)
}

/// A generator's own options over the kustomization's `generatorOptions`: labels and
/// annotations merged (its own win), the hash switch and immutability from either.
fn merged_options(
    local: Option<&GeneratorOptions>,
    global: Option<&GeneratorOptions>,
) -> Option<GeneratorOptions> {
    match (local, global) {
        (None, None) => None,
        (Some(l), None) => Some(l.clone()),
        (None, Some(g)) => Some(g.clone()),
        (Some(l), Some(g)) => {
            let mut merged = g.clone();
            merged.labels.extend(l.labels.clone());
            merged.annotations.extend(l.annotations.clone());
            if g.disable_hash.is_none() || l.disable_hash == Some(true) {
                merged.disable_hash = l.disable_hash.or(g.disable_hash);
            }
            merged.immutable = g.immutable || l.immutable;
            Some(merged)
        }
    }
}

fn remove_quotes(s: &str) -> &str {
    let b = s.as_bytes();
    if b.len() >= 2 && b[0] == b[b.len() - 1] && (b[0] == b'"' || b[0] == b'\'') {
        &s[1..s.len() - 1]
    } else {
        s
    }
}

/// `[-._a-zA-Z][-._a-zA-Z0-9]*`, as Kubernetes validates environment variable names.
fn is_env_var_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '-' | '.' | '_'))
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
}

/// A ConfigMap or Secret key: `[-._a-zA-Z0-9]+`, at most 253 characters.
fn is_config_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        && s != "."
        && s != ".."
        && !s.starts_with("..")
}

/// Appends the content hash to the names of generated resources that want it.
pub fn add_hashes(resources: &mut [Resource]) {
    for r in resources.iter_mut().filter(|r| r.needs_hash) {
        let hash = hash(&r.object);
        r.remember_id();
        let name = format!("{}-{hash}", r.name());
        r.set_name(&name);
    }
}

/// Kustomize's hash: SHA-256 of a JSON digest of the kind and data (the name is looked up at
/// a path that never matches, so it is always empty), the first ten hex digits with five of
/// them changed to letters.
fn hash(object: &Map<String, Value>) -> String {
    let field = |key: &str| match object.get(key) {
        None | Some(Value::Null) => Value::String(String::new()),
        Some(v @ Value::Object(_)) => v.clone(),
        Some(Value::Array(_)) => Value::Null,
        Some(v) => Value::String(scalar_text(v)),
    };
    let mut digest = Map::new();
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or("");
    digest.insert("data".into(), field("data"));
    digest.insert("kind".into(), json!(kind));
    digest.insert("name".into(), json!(""));
    if kind == "ConfigMap" {
        if let Some(v @ Value::Object(_)) = object.get("binaryData") {
            digest.insert("binaryData".into(), v.clone());
        }
    } else if kind == "Secret" {
        digest.insert("type".into(), field("type"));
        if let Some(v @ Value::Object(_)) = object.get("stringData") {
            digest.insert("stringData".into(), v.clone());
        }
    }
    let text = crate::json::encode(&super::to_value(&Value::Object(digest)), true, None)
        .unwrap_or_default();
    let hex: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    hex[..10]
        .chars()
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            c => c,
        })
        .collect()
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_kustomizes() {
        // `kubectl kustomize` names a ConfigMap generated from A=1, B=yes `cfg-4g9d9fm4mt`.
        let object: Map<String, Value> = serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "cfg"}, "data": {"A": "1", "B": "yes"}
        }))
        .unwrap();
        assert_eq!(hash(&object), "4g9d9fm4mt");
    }
}
