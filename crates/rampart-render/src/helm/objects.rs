//! The Go structs Helm hands to templates: `.Capabilities`, `.Chart` and `.Files`.

use std::sync::Arc;

use base64::Engine as _;

use crate::gotmpl::Ty;
use crate::value::{Elem, Entries, Object, Value};

/// The API versions `helm template` assumes (Helm 3.17's `DefaultVersionSet`: group versions
/// only, no kinds, in Helm's order).
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1alpha1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1alpha1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// The Kubernetes version `helm template` assumes (Helm 3.17's client-go).
pub const DEFAULT_KUBE_VERSION: &str = "v1.32.0";
/// The Helm release whose behaviour this crate follows.
pub const HELM_VERSION: &str = "v3.17.2";

struct KubeVersion {
    version: String,
    major: String,
    minor: String,
}

impl Object for KubeVersion {
    fn type_name(&self) -> String {
        "chartutil.KubeVersion".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" => Some(self.version.as_str().into()),
            "Major" => Some(self.major.as_str().into()),
            "Minor" => Some(self.minor.as_str().into()),
            _ => None,
        }
    }
    fn method(&self, name: &str) -> Option<&'static [Ty]> {
        matches!(name, "String" | "GitVersion").then_some(&[])
    }
    fn call(&self, _: &str, _: Vec<Value>) -> Result<Value, String> {
        Ok(self.version.as_str().into())
    }
    fn display(&self) -> String {
        self.version.clone()
    }
    fn is_stringer(&self) -> bool {
        true
    }
}

struct ApiVersions(Vec<String>);

impl Object for ApiVersions {
    fn type_name(&self) -> String {
        "chartutil.VersionSet".into()
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn method(&self, name: &str) -> Option<&'static [Ty]> {
        (name == "Has").then_some(&[Ty::Str])
    }
    fn call(&self, _: &str, args: Vec<Value>) -> Result<Value, String> {
        let want = args[0].as_str().unwrap_or_default();
        Ok(Value::Bool(self.0.iter().any(|v| v == want)))
    }
    fn display(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }
    fn entries(&self) -> Option<Vec<(String, Value)>> {
        None
    }
}

struct HelmVersion;

impl Object for HelmVersion {
    fn type_name(&self) -> String {
        "version.BuildInfo".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" => Some(HELM_VERSION.into()),
            "GitCommit" => Some("cc0bbbd6d6276b83880042c1ecb34087e84d41eb".into()),
            "GitTreeState" => Some("clean".into()),
            "GoVersion" => Some("go1.23.7".into()),
            _ => None,
        }
    }
    fn display(&self) -> String {
        format!("{{{HELM_VERSION} cc0bbbd6d6276b83880042c1ecb34087e84d41eb clean go1.23.7}}")
    }
}

/// `.Capabilities`.
pub struct Capabilities {
    kube: Value,
    apis: Value,
}

impl Capabilities {
    /// `kube_version` as `--kube-version` takes it (`1.29`, `v1.29.3`); `extra` as
    /// `--api-versions`.
    pub fn new(kube_version: &str, extra: &[String]) -> Result<Capabilities, String> {
        let v = crate::sprig::SemverVersion::parse(kube_version).ok_or_else(|| {
            format!("invalid kube version {kube_version:?}: Invalid Semantic Version")
        })?;
        let mut apis: Vec<String> = DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect();
        apis.extend(extra.iter().cloned());
        Ok(Capabilities {
            kube: Value::Object(Arc::new(KubeVersion {
                version: format!("v{}", v.string()),
                major: v.major.to_string(),
                minor: v.minor.to_string(),
            })),
            apis: Value::Object(Arc::new(ApiVersions(apis))),
        })
    }
}

impl Object for Capabilities {
    fn type_name(&self) -> String {
        "*chartutil.Capabilities".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "KubeVersion" => Some(self.kube.clone()),
            "APIVersions" => Some(self.apis.clone()),
            "HelmVersion" => Some(Value::Object(Arc::new(HelmVersion))),
            _ => None,
        }
    }
    fn display(&self) -> String {
        format!(
            "&{{{} {} {}}}",
            crate::gofmt::sprint_value(&self.kube),
            crate::gofmt::sprint_value(&self.apis),
            HelmVersion.display()
        )
    }
}

/// `.Chart`: the chart's metadata with `IsRoot`, as Helm 3 passes it (a struct).
pub struct ChartMeta {
    fields: Entries,
}

impl ChartMeta {
    pub fn new(metadata: &Value, is_root: bool) -> ChartMeta {
        let get = |k: &str| match metadata {
            Value::Map(m) => m.get(k),
            _ => None,
        };
        let string = |k: &str| {
            get(k)
                .filter(|v| !v.is_nil())
                .map(|v| Value::from(crate::sprig::strval(&v)))
                .unwrap_or_else(|| Value::from(""))
        };
        let strings = |k: &str| match get(k) {
            Some(Value::List(l)) => Value::strings(l.items.iter().map(crate::sprig::strval)),
            _ => Value::typed_list(Elem::Str, Vec::new()),
        };
        let mut fields = Entries::new();
        for (field, key) in [
            ("Name", "name"),
            ("Home", "home"),
            ("Version", "version"),
            ("Description", "description"),
            ("Icon", "icon"),
            ("APIVersion", "apiVersion"),
            ("Condition", "condition"),
            ("Tags", "tags"),
            ("AppVersion", "appVersion"),
            ("KubeVersion", "kubeVersion"),
            ("Type", "type"),
        ] {
            fields.insert(field.into(), string(key));
        }
        fields.insert("Sources".into(), strings("sources"));
        fields.insert("Keywords".into(), strings("keywords"));
        fields.insert(
            "Deprecated".into(),
            Value::Bool(matches!(get("deprecated"), Some(Value::Bool(true)))),
        );
        fields.insert(
            "Annotations".into(),
            match get("annotations") {
                Some(Value::Map(m)) => Value::typed_map(
                    Elem::Str,
                    None,
                    m.read()
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::from(crate::sprig::strval(v))))
                        .collect(),
                ),
                _ => Value::Nil,
            },
        );
        fields.insert(
            "Maintainers".into(),
            get("maintainers").unwrap_or(Value::Nil),
        );
        fields.insert(
            "Dependencies".into(),
            get("dependencies").unwrap_or(Value::Nil),
        );
        fields.insert("IsRoot".into(), Value::Bool(is_root));
        ChartMeta { fields }
    }
}

impl Object for ChartMeta {
    fn type_name(&self) -> String {
        "struct { chart.Metadata; IsRoot bool }".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        self.fields.get(name).cloned()
    }
    fn display(&self) -> String {
        let f = |k: &str| {
            self.fields
                .get(k)
                .map(crate::gofmt::sprint_value)
                .unwrap_or_default()
        };
        format!("{{{} {}}}", f("Name"), f("IsRoot"))
    }
}

/// `.Files`: the chart's non-template files (a Go map with methods).
pub struct ChartFiles {
    files: Vec<(String, Arc<[u8]>)>,
}

impl ChartFiles {
    pub fn new(files: &[(String, Vec<u8>)]) -> ChartFiles {
        let mut files: Vec<(String, Arc<[u8]>)> = files
            .iter()
            .map(|(k, v)| (k.clone(), Arc::from(v.as_slice())))
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        ChartFiles { files }
    }

    fn get(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| &**v)
    }

    fn text(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }

    fn as_map(&self, encode: bool) -> Value {
        let entries: Entries = self
            .files
            .iter()
            .map(|(k, v)| {
                let base = k.rsplit('/').next().unwrap_or(k).to_string();
                let val = if encode {
                    base64::engine::general_purpose::STANDARD.encode(v)
                } else {
                    Self::text(v)
                };
                (base, Value::from(val))
            })
            .collect();
        Value::typed_map(Elem::Str, None, entries)
    }
}

impl Object for ChartFiles {
    fn type_name(&self) -> String {
        "engine.files".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        self.get(name).map(|v| Value::from(Self::text(v)))
    }
    fn method(&self, name: &str) -> Option<&'static [Ty]> {
        match name {
            "Get" | "GetBytes" | "Glob" | "Lines" => Some(&[Ty::Str]),
            "AsConfig" | "AsSecrets" => Some(&[]),
            _ => None,
        }
    }
    fn call(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        let arg = args.first().and_then(Value::as_str).unwrap_or_default();
        Ok(match name {
            "Get" | "GetBytes" => Value::from(self.get(arg).map(Self::text).unwrap_or_default()),
            "Glob" => {
                let glob = globset::GlobBuilder::new(arg)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| e.to_string())?
                    .compile_matcher();
                let files = self
                    .files
                    .iter()
                    .filter(|(k, _)| glob.is_match(k))
                    .cloned()
                    .collect();
                Value::Object(Arc::new(ChartFiles { files }))
            }
            "Lines" => match self.get(arg) {
                None => Value::strings(Vec::new()),
                Some(bytes) => {
                    let text = Self::text(bytes);
                    let text = text.strip_suffix('\n').unwrap_or(&text);
                    Value::strings(text.split('\n').map(str::to_string))
                }
            },
            "AsConfig" | "AsSecrets" => {
                if self.files.is_empty() {
                    return Ok("".into());
                }
                let yaml = crate::yaml::to_yaml(&self.as_map(name == "AsSecrets"));
                Value::from(yaml.strip_suffix('\n').unwrap_or(&yaml).to_string())
            }
            other => return Err(format!("no method {other}")),
        })
    }
    fn display(&self) -> String {
        let parts: Vec<String> = self
            .files
            .iter()
            .map(|(k, v)| format!("{k}:{:?}", v.as_ref()))
            .collect();
        format!("map[{}]", parts.join(" ")).replace(", ", " ")
    }
    fn entries(&self) -> Option<Vec<(String, Value)>> {
        Some(
            self.files
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(Self::text(v))))
                .collect(),
        )
    }
}
