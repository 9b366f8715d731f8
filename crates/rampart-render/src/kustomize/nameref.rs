//! Name references followed through renames, as Kustomize does once at the end of a build:
//! a field that names a ConfigMap, Secret, ServiceAccount, Role, ... by the name it had
//! before a prefix, suffix or hash was added gets the new name (and, for subjects, the
//! namespace).

use serde_json::Value;

use super::fieldspec::{FieldSpec, apply, builtin};
use super::resource::{Gvk, Id, Resource};

pub fn fix(resources: &mut [Resource]) -> Result<(), String> {
    let snapshot: Vec<Resource> = resources.to_vec();

    for r in resources.iter_mut() {
        let original = r.original_id().gvk;
        let candidates = could_be_referenced_by(&snapshot, r);
        for reference in &builtin().name_references {
            for spec in &reference.referrers {
                if !original.is_selected(&spec.gvk) {
                    continue;
                }
                let referrer = r.clone();
                let lookup = Lookup {
                    referrer: &referrer,
                    target: &reference.target,
                    spec,
                    candidates: &candidates,
                };
                let spec = FieldSpec {
                    create: false,
                    ..spec.clone()
                };
                apply(&mut r.object, &spec, None, &mut |v| lookup.set(v)).map_err(|e| {
                    format!(
                        "updating name reference in '{}' field of '{}': {e}",
                        spec.path,
                        referrer.current_id().display()
                    )
                })?;
            }
        }
    }
    Ok(())
}

/// The resources a referrer may name: cluster-scoped ones, those in its namespace, and for a
/// RoleBinding those in the namespaces of its ServiceAccount subjects.
fn could_be_referenced_by<'a>(all: &'a [Resource], referrer: &Resource) -> Vec<&'a Resource> {
    let id = referrer.current_id();
    if id.gvk.is_cluster_scoped() {
        return all.iter().collect();
    }
    let mut binding_namespaces: Vec<String> = Vec::new();
    if referrer.kind() == "RoleBinding"
        && let Some(Value::Array(subjects)) = referrer.object.get("subjects")
    {
        for s in subjects {
            if s.get("kind").and_then(Value::as_str) == Some("ServiceAccount")
                && let Some(ns) = s.get("namespace").and_then(Value::as_str)
            {
                binding_namespaces.push(ns.to_string());
            }
        }
    }
    all.iter()
        .filter(|t| {
            let tid = t.current_id();
            tid.gvk.is_cluster_scoped()
                || tid.same_namespace(&id)
                || binding_namespaces.iter().any(|n| n == t.namespace())
        })
        .collect()
}

struct Lookup<'a> {
    referrer: &'a Resource,
    target: &'a Gvk,
    spec: &'a FieldSpec,
    candidates: &'a [&'a Resource],
}

impl Lookup<'_> {
    fn set(&self, v: &mut Value) -> Result<(), String> {
        match v {
            Value::Null => Ok(()),
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::Object(_) => self.set_mapping(item)?,
                        Value::Array(_) => {}
                        _ => self.set_scalar(item)?,
                    }
                }
                Ok(())
            }
            Value::Object(_) => self.set_mapping(v),
            _ => self.set_scalar(v),
        }
    }

    fn set_scalar(&self, v: &mut Value) -> Result<(), String> {
        let Value::String(old) = v else {
            return Ok(());
        };
        let all: Vec<&Resource> = self.candidates.to_vec();
        if let Some(referral) =
            self.select(old, all, |rs| rs.iter().all(|r| r.name() == rs[0].name()))?
            && referral.name() != old
        {
            *old = referral.name().to_string();
        }
        Ok(())
    }

    fn set_mapping(&self, v: &mut Value) -> Result<(), String> {
        let Value::Object(map) = v else {
            return Ok(());
        };
        let Some(old) = map.get("name").map(|n| match n {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }) else {
            return Err("path config error; no 'name' field in node".into());
        };
        let candidates: Vec<&Resource> = match map.get("namespace") {
            None => self.candidates.to_vec(),
            Some(ns) => {
                let ns = ns.as_str().unwrap_or_default();
                let original: Vec<&Resource> = self
                    .candidates
                    .iter()
                    .copied()
                    .filter(|r| {
                        let id = r.original_id();
                        !id.gvk.is_cluster_scoped() && id.effective_namespace() == ns
                    })
                    .collect();
                if !original.is_empty() {
                    original
                } else {
                    self.candidates
                        .iter()
                        .copied()
                        .filter(|r| {
                            let id = r.current_id();
                            !id.gvk.is_cluster_scoped() && id.effective_namespace() == ns
                        })
                        .collect()
                }
            }
        };
        let Some(referral) = self.select(&old, candidates, |rs| {
            rs.iter()
                .all(|r| r.name() == rs[0].name() && r.namespace() == rs[0].namespace())
        })?
        else {
            return Ok(());
        };
        if referral.name() == old && referral.namespace().is_empty() {
            return Ok(());
        }
        map.insert("name".into(), Value::String(referral.name().into()));
        if !referral.namespace().is_empty() {
            map.insert(
                "namespace".into(),
                Value::String(referral.namespace().into()),
            );
        }
        Ok(())
    }

    /// The one resource `name` refers to: renamed from it, of the target type, in reach, and
    /// where several remain, the one that went through the referrer's prefixes and suffixes.
    fn select<'r>(
        &self,
        name: &str,
        candidates: Vec<&'r Resource>,
        identical: impl Fn(&[&Resource]) -> bool,
    ) -> Result<Option<&'r Resource>, String> {
        let role_ref = self.role_ref_gvk();
        let referrer_id = self.referrer.current_id();
        let mut found: Vec<&Resource> = candidates
            .into_iter()
            .filter(|r| r.previous.iter().any(|id| id.name == name))
            .filter(|r| previous_selected(r, self.target))
            .filter(|r| role_ref.as_ref().is_none_or(|g| previous_selected(r, g)))
            .filter(|r| {
                referrer_id.gvk.is_cluster_scoped() || {
                    let id = r.current_id();
                    id.gvk.is_cluster_scoped()
                        || r.kind() == "ServiceAccount"
                        || id.same_namespace(&referrer_id)
                }
            })
            .collect();
        if found.len() == 1 {
            return Ok(Some(found[0]));
        }
        found.retain(|r| r.same_affixes(self.referrer, true));
        if found.len() > 1 {
            found.retain(|r| r.same_affixes(self.referrer, false));
        }
        match found.len() {
            0 => Ok(None),
            1 => Ok(Some(found[0])),
            _ if identical(&found) => Ok(Some(found[0])),
            _ => Err(format!(
                "found multiple possible referrals: {}",
                found
                    .iter()
                    .map(|r| r.current_id().display())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// For `roleRef/name`, the type the role reference names.
    fn role_ref_gvk(&self) -> Option<Gvk> {
        if !self.spec.path.ends_with("roleRef/name") {
            return None;
        }
        let role_ref = self.referrer.object.get("roleRef")?;
        Some(Gvk {
            group: role_ref.get("apiGroup")?.as_str()?.to_string(),
            version: String::new(),
            kind: role_ref.get("kind")?.as_str()?.to_string(),
        })
    }
}

/// Whether one of the resource's previous identities is of the selected type (a previous
/// identity keeps the current group and version).
fn previous_selected(r: &Resource, selector: &Gvk) -> bool {
    let current = r.gvk();
    r.previous.iter().any(|id: &Id| {
        Gvk {
            kind: id.gvk.kind.clone(),
            ..current.clone()
        }
        .is_selected(selector)
    })
}
