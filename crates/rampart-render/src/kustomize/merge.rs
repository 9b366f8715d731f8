//! Strategic merge patches as Kustomize applies them (kyaml's merge): maps merge field by
//! field, `null` deletes, `$patch: delete` and `$patch: replace` apply to maps and lists, and
//! lists merge by key where the Kubernetes schema gives the field a merge strategy
//! (containers by name, ports by port and protocol, ...); every other list is replaced.
//! Elements the patch names come first, in its order, then the others, as Kustomize puts
//! them.

use serde_json::{Map, Value};

use super::resource::Gvk;

/// Where in the schema a value is: the types whose fields have merge strategies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Unknown,
    Top,
    ObjectMeta,
    WorkloadSpec,
    CronJobSpec,
    JobTemplate,
    PodTemplate,
    PodSpec,
    Container,
    ServiceSpec,
}

/// How a list field merges.
enum ListRule {
    /// Elements matched by these keys, each element of type `Ty`.
    Keyed(&'static [&'static str], Ty),
    /// A list of scalars merged as a set (`finalizers`).
    Primitive,
}

fn field_type(kind: &str, ty: Ty, field: &str) -> (Ty, Option<ListRule>) {
    use ListRule::*;
    match (ty, field) {
        (Ty::Top, "metadata") => (Ty::ObjectMeta, None),
        (Ty::Top, "spec") => match kind {
            "Deployment"
            | "ReplicaSet"
            | "DaemonSet"
            | "StatefulSet"
            | "ReplicationController"
            | "Job" => (Ty::WorkloadSpec, None),
            "CronJob" => (Ty::CronJobSpec, None),
            "Pod" => (Ty::PodSpec, None),
            "Service" => (Ty::ServiceSpec, None),
            _ => (Ty::Unknown, None),
        },
        (Ty::Top, "template") if kind == "PodTemplate" => (Ty::PodTemplate, None),
        (Ty::Top, "secrets") if kind == "ServiceAccount" => {
            (Ty::Unknown, Some(Keyed(&["name"], Ty::Unknown)))
        }
        (Ty::Top, "webhooks")
            if matches!(
                kind,
                "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration"
            ) =>
        {
            (Ty::Unknown, Some(Keyed(&["name"], Ty::Unknown)))
        }
        (Ty::ObjectMeta, "finalizers") => (Ty::Unknown, Some(Primitive)),
        (Ty::ObjectMeta, "ownerReferences") => (Ty::Unknown, Some(Keyed(&["uid"], Ty::Unknown))),
        (Ty::WorkloadSpec, "template") => (Ty::PodTemplate, None),
        (Ty::CronJobSpec, "jobTemplate") => (Ty::JobTemplate, None),
        (Ty::JobTemplate, "metadata") | (Ty::PodTemplate, "metadata") => (Ty::ObjectMeta, None),
        (Ty::JobTemplate, "spec") => (Ty::WorkloadSpec, None),
        (Ty::PodTemplate, "spec") => (Ty::PodSpec, None),
        (Ty::PodSpec, "containers" | "initContainers" | "ephemeralContainers") => {
            (Ty::Unknown, Some(Keyed(&["name"], Ty::Container)))
        }
        (Ty::PodSpec, "volumes" | "imagePullSecrets") => {
            (Ty::Unknown, Some(Keyed(&["name"], Ty::Unknown)))
        }
        (Ty::PodSpec, "hostAliases") => (Ty::Unknown, Some(Keyed(&["ip"], Ty::Unknown))),
        (Ty::PodSpec, "topologySpreadConstraints") => (
            Ty::Unknown,
            Some(Keyed(&["topologyKey", "whenUnsatisfiable"], Ty::Unknown)),
        ),
        (Ty::Container, "env") => (Ty::Unknown, Some(Keyed(&["name"], Ty::Unknown))),
        (Ty::Container, "ports") => (
            Ty::Unknown,
            Some(Keyed(&["containerPort", "protocol"], Ty::Unknown)),
        ),
        (Ty::Container, "volumeMounts") => (Ty::Unknown, Some(Keyed(&["mountPath"], Ty::Unknown))),
        (Ty::Container, "volumeDevices") => {
            (Ty::Unknown, Some(Keyed(&["devicePath"], Ty::Unknown)))
        }
        (Ty::ServiceSpec, "ports") => {
            (Ty::Unknown, Some(Keyed(&["port", "protocol"], Ty::Unknown)))
        }
        _ => (Ty::Unknown, None),
    }
}

const DIRECTIVE: &str = "$patch";

/// `dest` with `patch` merged in; `None` when the patch deletes it.
pub fn merge(dest: &Value, patch: &Value, gvk: &Gvk) -> Result<Option<Value>, String> {
    let merger = Merger { kind: &gvk.kind };
    merger.value(Some(dest), patch, Ty::Top, None, "")
}

struct Merger<'a> {
    kind: &'a str,
}

fn directive(map: &Map<String, Value>) -> Result<Option<&str>, String> {
    match map.get(DIRECTIVE) {
        None => Ok(None),
        Some(Value::String(d)) if matches!(d.as_str(), "delete" | "replace" | "merge") => {
            Ok(Some(d.as_str()))
        }
        Some(other) => Err(format!("unknown patch strategy '{}'", text(other))),
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn without_directive(map: &Map<String, Value>) -> Map<String, Value> {
    let mut m = map.clone();
    m.remove(DIRECTIVE);
    m
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "MappingNode",
        Value::Array(_) => "SequenceNode",
        _ => "ScalarNode",
    }
}

impl Merger<'_> {
    fn value(
        &self,
        dest: Option<&Value>,
        patch: &Value,
        ty: Ty,
        rule: Option<&ListRule>,
        path: &str,
    ) -> Result<Option<Value>, String> {
        if patch.is_null() {
            return Ok(None);
        }
        let dest = dest.filter(|d| !d.is_null());
        if let Some(d) = dest
            && kind_name(d) != kind_name(patch)
        {
            return Err(format!(
                "wrong node kind at {}: expected {} but got {}",
                if path.is_empty() { "." } else { path },
                kind_name(d),
                kind_name(patch)
            ));
        }
        match patch {
            Value::Object(p) => {
                let d = dest.and_then(Value::as_object);
                self.map(d, p, ty, path).map(|m| m.map(Value::Object))
            }
            Value::Array(p) => {
                let d = dest.and_then(Value::as_array);
                self.list(d, p, rule, path).map(|l| l.map(Value::Array))
            }
            scalar => Ok(Some(scalar.clone())),
        }
    }

    fn map(
        &self,
        dest: Option<&Map<String, Value>>,
        patch: &Map<String, Value>,
        ty: Ty,
        path: &str,
    ) -> Result<Option<Map<String, Value>>, String> {
        match directive(patch)? {
            Some("delete") => return Ok(None),
            Some("replace") => return Ok(Some(without_directive(patch))),
            _ => {}
        }
        let Some(dest) = dest else {
            // A new map: the patch's own content, with its directives applied to nothing.
            return self.map(Some(&Map::new()), patch, ty, path);
        };
        let mut out = dest.clone();
        for (key, value) in patch {
            if key == DIRECTIVE || key.starts_with("$setElementOrder/") || key == "$retainKeys" {
                continue;
            }
            let (child, rule) = field_type(self.kind, ty, key);
            let sub = format!("{path}.{key}");
            match self.value(dest.get(key), value, child, rule.as_ref(), &sub)? {
                Some(v) => {
                    out.insert(key.clone(), v);
                }
                None => {
                    out.remove(key);
                }
            }
        }
        Ok(Some(out))
    }

    fn list(
        &self,
        dest: Option<&Vec<Value>>,
        patch: &[Value],
        rule: Option<&ListRule>,
        path: &str,
    ) -> Result<Option<Vec<Value>>, String> {
        let Some(rule) = rule else {
            return Ok(Some(patch.to_vec()));
        };
        // A `{$patch: ...}` element directs the whole list.
        let mut items: Vec<Value> = Vec::new();
        let mut list_directive = None;
        for item in patch {
            if let Value::Object(m) = item
                && m.len() == 1
                && let Some(d) = directive(m)?
            {
                list_directive = Some(d);
                continue;
            }
            items.push(item.clone());
        }
        let Some(dest) = dest else {
            return Ok(Some(items));
        };
        match list_directive {
            Some("delete") => return Ok(None),
            Some("replace") => return Ok(Some(items)),
            _ => {}
        }
        let (keys, elem_ty) = match rule {
            ListRule::Primitive => {
                let mut out = items.clone();
                for d in dest {
                    if !out.contains(d) {
                        out.push(d.clone());
                    }
                }
                return Ok(Some(out));
            }
            ListRule::Keyed(keys, ty) => (*keys, *ty),
        };
        let mut merged: Vec<Value> = Vec::new();
        let mut used = vec![false; dest.len()];
        for item in &items {
            let found = dest
                .iter()
                .enumerate()
                .find(|(i, d)| !used[*i] && same_element(d, item, keys));
            if let Some((i, _)) = found {
                used[i] = true;
            }
            let base = found.map(|(_, d)| d);
            if let Some(v) = self.value(base, item, elem_ty, None, path)? {
                merged.push(v);
            } else if let Some((i, _)) = found {
                // Deleted: the element is not put back below.
                used[i] = true;
            }
        }
        merged.extend(
            dest.iter()
                .zip(&used)
                .filter(|(_, used)| !**used)
                .map(|(d, _)| d.clone()),
        );
        Ok(Some(merged))
    }
}

/// Whether two elements are the same entry: the keys both have agree, and at least one does.
fn same_element(a: &Value, b: &Value, keys: &[&str]) -> bool {
    let mut common = false;
    for key in keys {
        match (a.get(key), b.get(key)) {
            (Some(x), Some(y)) if text(x) == text(y) => common = true,
            (Some(_), Some(_)) => return false,
            _ => {}
        }
    }
    common
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment() -> Gvk {
        Gvk::from_api_version("apps/v1", "Deployment")
    }

    #[test]
    fn containers_merge_by_name_and_the_patched_come_first() {
        let dest = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "a", "image": "a:1"}, {"name": "b", "image": "b:1", "args": ["x"]}
        ]}}}});
        let patch = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "b", "image": "b:2", "args": ["y"]}
        ]}}}});
        let out = merge(&dest, &patch, &deployment()).unwrap().unwrap();
        assert_eq!(
            out["spec"]["template"]["spec"]["containers"],
            json!([{"name": "b", "image": "b:2", "args": ["y"]}, {"name": "a", "image": "a:1"}])
        );
    }

    #[test]
    fn directives_and_nulls() {
        let dest = json!({"metadata": {"labels": {"a": "1", "b": "2"}},
            "spec": {"template": {"spec": {"containers": [{"name": "a"}, {"name": "b"}]}}}});
        let patch = json!({"metadata": {"labels": {"a": null}},
            "spec": {"template": {"spec": {"containers": [{"name": "a", "$patch": "delete"}]}}}});
        let out = merge(&dest, &patch, &deployment()).unwrap().unwrap();
        assert_eq!(out["metadata"]["labels"], json!({"b": "2"}));
        assert_eq!(
            out["spec"]["template"]["spec"]["containers"],
            json!([{"name": "b"}])
        );
        let gone = merge(&dest, &json!({"$patch": "delete"}), &deployment()).unwrap();
        assert_eq!(gone, None);
    }
}
