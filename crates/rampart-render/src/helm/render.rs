//! `helm template`: values assembled, templates of the chart and its subcharts parsed into
//! one set in Helm's order, each non-partial executed with its chart's context, the output
//! split into documents, hooks told apart, and the stream written in Helm's install order.

use std::sync::{Arc, OnceLock};

use super::chart::Chart;
use super::objects::{Capabilities, ChartFiles, ChartMeta, DEFAULT_KUBE_VERSION};
use super::values::{self, SetKind};
use crate::gotmpl::{Engine, ExecError, FuncMap, ParseError, Ty};
use crate::value::{Elem, Entries, Value};

/// What `helm template` is told on its command line.
#[derive(Debug, Clone)]
pub struct Options {
    pub release_name: String,
    pub namespace: String,
    pub revision: i64,
    pub is_upgrade: bool,
    /// `--kube-version`.
    pub kube_version: String,
    /// `--api-versions`.
    pub api_versions: Vec<String>,
    /// `--values` files, in order: a name for messages and the content.
    pub values: Vec<(String, Vec<u8>)>,
    /// `--set`, `--set-string`, `--set-json`, `--set-literal`, in the order given.
    pub set: Vec<(SetKind, String)>,
    /// `--include-crds`.
    pub include_crds: bool,
    /// `--skip-tests`.
    pub skip_tests: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            release_name: "release-name".into(),
            namespace: "default".into(),
            revision: 1,
            is_upgrade: false,
            kube_version: DEFAULT_KUBE_VERSION.into(),
            api_versions: Vec::new(),
            values: Vec::new(),
            set: Vec::new(),
            include_crds: false,
            skip_tests: false,
        }
    }
}

/// A document of the rendered stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The template that produced it: `chart/templates/x.yaml` (or `chart/crds/x.yaml`).
    pub source: String,
    pub content: String,
    pub kind: String,
    pub name: String,
    /// The `helm.sh/hook` annotation, for hooks (tests included).
    pub hook: Option<String>,
}

/// What `helm template` prints, document by document.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub chart: String,
    /// CRDs (when asked for), then manifests in install order, then hooks.
    pub manifests: Vec<Manifest>,
    pub notes: Option<String>,
}

impl Rendered {
    /// The stream exactly as `helm template` writes it.
    pub fn stream(&self) -> String {
        let mut body = String::new();
        for m in self.manifests.iter().filter(|m| m.hook.is_none()) {
            body.push_str(&format!("---\n# Source: {}\n{}\n", m.source, m.content));
        }
        let mut out = body.trim_matches(|c: char| c.is_whitespace()).to_string();
        out.push('\n');
        for m in self.manifests.iter().filter(|m| m.hook.is_some()) {
            out.push_str(&format!("---\n# Source: {}\n{}\n", m.source, m.content));
        }
        out
    }
}

/// Why a chart could not be rendered, worded as Helm words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RenderError {
    /// The template (`chart/templates/x.yaml`) where it failed, when one did.
    pub template: Option<String>,
    pub line: Option<usize>,
    pub message: String,
}

impl RenderError {
    fn plain(message: impl Into<String>) -> RenderError {
        RenderError {
            template: None,
            line: None,
            message: message.into(),
        }
    }
}

const HELM_ERR_START: &str = "HELM_ERR_START";
const HELM_ERR_END: &str = "HELM_ERR_END";

/// Every function a chart's templates can call: Sprig's and Helm's.
pub fn funcs() -> &'static FuncMap {
    static FUNCS: OnceLock<FuncMap> = OnceLock::new();
    FUNCS.get_or_init(|| {
        let mut m = crate::sprig::funcs();
        let add = |m: &mut FuncMap, name, params, variadic, call| crate::sprig::add(m, name, params, variadic, call);
        use Ty::*;
        add(&mut m, "include", &[Str, Any], None, include);
        add(&mut m, "tpl", &[Str, Any], None, tpl);
        add(&mut m, "required", &[Str, Any], None, |_, a| {
            let empty = match &a[1] {
                Value::Missing | Value::Nil => true,
                Value::Str(s) => s.is_empty(),
                _ => false,
            };
            if empty {
                return Err(format!("{HELM_ERR_START}{}{HELM_ERR_END}", a[0].as_str().unwrap_or_default()));
            }
            Ok(a[1].clone())
        });
        add(&mut m, "fail", &[Str], None, |_, a| {
            Err(format!("{HELM_ERR_START}{}{HELM_ERR_END}", a[0].as_str().unwrap_or_default()))
        });
        add(&mut m, "toYaml", &[Any], None, |_, a| Ok(to_yaml_trimmed(&a[0]).into()));
        add(&mut m, "mustToYaml", &[Any], None, |_, a| Ok(to_yaml_trimmed(&a[0]).into()));
        add(&mut m, "toYamlPretty", &[Any], None, |_, a| Ok(to_yaml_trimmed(&a[0]).into()));
        add(&mut m, "fromYaml", &[Str], None, |_, a| {
            Ok(match crate::yaml::parse(a[0].as_str().unwrap_or_default()) {
                Ok(v @ Value::Map(_)) => v,
                Ok(Value::Nil) => Value::map(Entries::new()),
                Ok(other) => error_map(format!(
                    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                    json_kind(&other)
                )),
                Err(e) => error_map(format!("error converting YAML to JSON: {e}")),
            })
        });
        add(&mut m, "fromYamlArray", &[Str], None, |_, a| {
            Ok(match crate::yaml::parse(a[0].as_str().unwrap_or_default()) {
                Ok(v @ Value::List(_)) => v,
                Ok(Value::Nil) => Value::list(Vec::new()),
                Ok(other) => Value::list(vec![Value::from(format!(
                    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type []interface {{}}",
                    json_kind(&other)
                ))]),
                Err(e) => Value::list(vec![Value::from(format!("error converting YAML to JSON: {e}"))]),
            })
        });
        add(&mut m, "fromJson", &[Str], None, |_, a| {
            Ok(match crate::json::decode(a[0].as_str().unwrap_or_default()) {
                Ok(v @ Value::Map(_)) => v,
                Ok(Value::Nil) => Value::map(Entries::new()),
                Ok(other) => error_map(format!("json: cannot unmarshal {} into Go value of type map[string]interface {{}}", json_kind(&other))),
                Err(e) => error_map(e),
            })
        });
        add(&mut m, "fromJsonArray", &[Str], None, |_, a| {
            Ok(match crate::json::decode(a[0].as_str().unwrap_or_default()) {
                Ok(v @ Value::List(_)) => v,
                Ok(Value::Nil) => Value::list(Vec::new()),
                Ok(other) => Value::list(vec![Value::from(format!(
                    "json: cannot unmarshal {} into Go value of type []interface {{}}",
                    json_kind(&other)
                ))]),
                Err(e) => Value::list(vec![Value::from(e)]),
            })
        });
        add(&mut m, "toToml", &[Any], None, |_, a| Ok(super::toml::encode(&a[0]).into()));
        // `helm template` has no cluster to look in: `lookup` finds nothing.
        add(&mut m, "lookup", &[Str, Str, Str, Str], None, |_, _| Ok(Value::map(Entries::new())));
        m
    })
}

fn error_map(message: String) -> Value {
    let mut e = Entries::new();
    e.insert("Error".into(), Value::from(message));
    Value::map(e)
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::List(_) => "array",
        Value::Map(_) => "object",
        Value::Str(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    }
}

fn to_yaml_trimmed(v: &Value) -> String {
    let y = crate::yaml::to_yaml(v);
    y.strip_suffix('\n').unwrap_or(&y).to_string()
}

/// Helm nests `include`s of one name at most this deep before calling it a loop.
const MAX_INCLUDE_NESTING: usize = 1000;

fn include(engine: &mut Engine<'_>, a: Vec<Value>) -> Result<Value, String> {
    let name = a[0].as_str().unwrap_or_default().to_string();
    let count = engine.included.entry(name.clone()).or_insert(0);
    if *count > MAX_INCLUDE_NESTING {
        return Err(format!(
            "rendering template has a nested reference name: {name}: unable to execute template"
        ));
    }
    *count += 1;
    let result = engine.execute(&name, a[1].clone());
    if let Some(c) = engine.included.get_mut(&name) {
        *c -= 1;
    }
    result.map(Value::from).map_err(|e| e.message)
}

fn tpl(engine: &mut Engine<'_>, a: Vec<Value>) -> Result<Value, String> {
    let text = a[0].as_str().unwrap_or_default().to_string();
    let data = a[1].clone();
    let result = engine
        .with_parsed("gotpl", &text, |e, tree| e.execute_tree(&tree, data))
        .map_err(|e| format!("cannot parse template {}: {e}", crate::gofmt::quote(&text)))?;
    match result {
        Ok(out) => Ok(out.replace("<no value>", "").into()),
        Err(e) => Err(format!(
            "error during tpl function execution for {}: {}",
            crate::gofmt::quote(&text),
            e.message
        )),
    }
}

/// A template to render and the dot it renders with.
struct Renderable {
    name: String,
    text: String,
    vals: Value,
    base_path: String,
}

fn named_map(entries: Entries) -> Value {
    Value::typed_map(Elem::Any, Some("chartutil.Values"), entries)
}

/// Helm's `recAllTpls`: each chart's templates with that chart's `.Values`, `.Chart`, `.Files`.
fn collect(
    chart: &Chart,
    parent_path: &str,
    is_root: bool,
    top: &Value,
    values: &Value,
    out: &mut Vec<Renderable>,
) -> Value {
    let full_path = if parent_path.is_empty() {
        chart.name.clone()
    } else {
        format!("{parent_path}/charts/{}", chart.name)
    };
    let subcharts = Value::map(Entries::new());
    let get = |k: &str| match top {
        Value::Map(m) => m.get(k).unwrap_or(Value::Nil),
        _ => Value::Nil,
    };
    let mut next = Entries::new();
    next.insert(
        "Chart".into(),
        Value::Object(Arc::new(ChartMeta::new(&chart.metadata, is_root))),
    );
    next.insert(
        "Files".into(),
        Value::Object(Arc::new(ChartFiles::new(&chart.files))),
    );
    next.insert("Release".into(), get("Release"));
    next.insert("Capabilities".into(), get("Capabilities"));
    next.insert("Values".into(), values.clone());
    next.insert("Subcharts".into(), subcharts.clone());
    let next = named_map(next);
    for child in &chart.dependencies {
        let child_values = values::subchart_values(values, &child.name);
        let child_next = collect(child, &full_path, false, top, &child_values, out);
        if let Value::Map(s) = &subcharts {
            s.write().insert(child.name.clone(), child_next);
        }
    }
    for (name, text) in &chart.templates {
        if chart.is_library() && !name.rsplit('/').next().unwrap_or("").starts_with('_') {
            continue;
        }
        out.push(Renderable {
            name: format!("{full_path}/{name}"),
            text: text.clone(),
            vals: next.clone(),
            base_path: format!("{full_path}/templates"),
        });
    }
    next
}

/// Helm's parse order: deeper paths first, then reverse lexical order, so that a parent's
/// definitions (parsed last) win over a subchart's of the same name.
fn sort_templates(list: &mut [Renderable]) {
    list.sort_by(|a, b| {
        let (ca, cb) = (a.name.matches('/').count(), b.name.matches('/').count());
        cb.cmp(&ca).then_with(|| b.name.cmp(&a.name))
    });
}

fn parse_error(e: &ParseError) -> RenderError {
    // Helm keeps the location and the last part of Go's message.
    let text = e.to_string();
    let parts: Vec<&str> = text.split(": ").collect();
    let message = if parts.len() == 1 {
        format!("parse error in ({}): {text}", e.name)
    } else {
        format!("parse error at ({}): {}", parts[1], parts[parts.len() - 1])
    };
    RenderError {
        template: Some(e.name.clone()),
        line: Some(e.line),
        message,
    }
}

fn exec_error(file: &str, e: &ExecError) -> RenderError {
    let line = e
        .location
        .as_ref()
        .and_then(|l| l.split(':').rev().nth(1))
        .and_then(|n| n.parse().ok());
    let tokens: Vec<&str> = e.message.splitn(3, ": ").collect();
    let message = if tokens.len() != 3 {
        format!("execution error in ({file}): {}", e.message)
    } else {
        match (
            tokens[2].find(HELM_ERR_START),
            tokens[2].rfind(HELM_ERR_END),
        ) {
            (Some(s), Some(end)) if s + HELM_ERR_START.len() <= end => format!(
                "execution error at ({}): {}",
                tokens[1],
                &tokens[2][s + HELM_ERR_START.len()..end]
            ),
            _ => e.message.clone(),
        }
    };
    let template = e
        .location
        .as_ref()
        .map(|l| l.split(':').next().unwrap_or(file).to_string())
        .unwrap_or_else(|| file.to_string());
    RenderError {
        template: Some(template),
        line,
        message,
    }
}

/// Kinds in the order Helm 3.17 installs them (`releaseutil.InstallOrder`); others after, by
/// name (webhook configurations among them).
const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
];

fn sort_by_kind(list: &mut [Manifest]) {
    let rank = |k: &str| INSTALL_ORDER.iter().position(|o| *o == k);
    list.sort_by(|a, b| match (rank(&a.kind), rank(&b.kind)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.kind.cmp(&b.kind),
    });
}

/// Helm's `SplitManifests`: documents split at `---` lines, trimmed, empty ones dropped.
pub fn split_manifests(text: &str) -> Vec<String> {
    static SEP: OnceLock<regex::Regex> = OnceLock::new();
    let sep = SEP.get_or_init(|| regex::Regex::new(r"(?:^|\s*\n)---\s*").expect("valid separator"));
    sep.split(text.trim())
        .filter(|d| !d.is_empty())
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty())
        .collect()
}

const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    // Helm 3 still reads Helm 2's name for a test hook.
    "test-success",
];

/// The head of a document: kind, name, hook annotation. `Err` as Helm's YAML error.
fn head(doc: &str, source: &str) -> Result<(String, String, Option<String>), RenderError> {
    let v = crate::yaml::parse(doc).map_err(|e| RenderError {
        template: Some(source.to_string()),
        line: None,
        message: format!("YAML parse error on {source}: error converting YAML to JSON: {e}"),
    })?;
    let m = match &v {
        Value::Map(m) => m.clone(),
        Value::Nil => return Ok((String::new(), String::new(), None)),
        other => {
            return Err(RenderError {
                template: Some(source.to_string()),
                line: None,
                message: format!(
                    "YAML parse error on {source}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type releaseutil.SimpleHead",
                    json_kind(other)
                ),
            });
        }
    };
    let s = |v: Option<Value>| match v {
        Some(Value::Str(s)) => s.to_string(),
        _ => String::new(),
    };
    let kind = s(m.get("kind"));
    let (name, hook) = match m.get("metadata") {
        Some(Value::Map(meta)) => {
            let hook = match meta.get("annotations") {
                Some(Value::Map(a)) => a.get("helm.sh/hook").map(|h| crate::sprig::strval(&h)),
                _ => None,
            };
            (s(meta.get("name")), hook)
        }
        _ => (String::new(), None),
    };
    Ok((kind, name, hook))
}

/// The user-supplied values: `--values` files merged, then the `--set` flags.
pub fn user_values(opts: &Options) -> Result<Value, RenderError> {
    let mut base = Value::map(Entries::new());
    for (name, bytes) in &opts.values {
        let current = match crate::yaml::parse(&String::from_utf8_lossy(bytes)) {
            Ok(v @ Value::Map(_)) => v,
            Ok(Value::Nil) => Value::map(Entries::new()),
            Ok(other) => {
                return Err(RenderError::plain(format!(
                    "failed to parse {name}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                    json_kind(&other)
                )));
            }
            Err(e) => {
                return Err(RenderError::plain(format!(
                    "failed to parse {name}: error converting YAML to JSON: {e}"
                )));
            }
        };
        base = values::merge_maps(&base, &current);
    }
    // Helm applies the flags by kind: JSON, then typed, then strings, then literals.
    for kind in [
        SetKind::Json,
        SetKind::Typed,
        SetKind::String,
        SetKind::Literal,
    ] {
        for (k, arg) in opts.set.iter().filter(|(k, _)| *k == kind) {
            let _ = k;
            values::parse_set(arg, &base, kind).map_err(RenderError::plain)?;
        }
    }
    Ok(base)
}

fn validate_schemas(chart: &Chart, values: &Value) -> String {
    let mut out = String::new();
    if let Some(schema) = &chart.schema {
        let result = serde_json::from_slice::<serde_json::Value>(schema)
            .map_err(|e| format!("- (root): invalid schema: {e}\n"))
            .and_then(|schema| {
                let validator = jsonschema::validator_for(&schema)
                    .map_err(|e| format!("- (root): invalid schema: {e}\n"))?;
                let instance = crate::json::to_serde(values);
                let mut msgs = String::new();
                for error in validator.iter_errors(&instance) {
                    let path = error.instance_path().to_string();
                    let field = if path.is_empty() {
                        "(root)".to_string()
                    } else {
                        path.trim_start_matches('/').replace('/', ".")
                    };
                    for line in schema_message(&error, &field) {
                        msgs.push_str(&format!("- {field}: {line}\n"));
                    }
                }
                if msgs.is_empty() { Ok(()) } else { Err(msgs) }
            });
        if let Err(msgs) = result {
            out.push_str(&format!("{}:\n{msgs}", chart.name));
        }
    }
    for sub in &chart.dependencies {
        let sub_values = match values {
            Value::Map(m) => m.get(&sub.name).unwrap_or(Value::Nil),
            _ => Value::Nil,
        };
        out.push_str(&validate_schemas(sub, &sub_values));
    }
    out
}

fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(n)
            if n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0) =>
        {
            "integer"
        }
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// A schema violation in gojsonschema's words, which Helm 3.17 prints.
fn schema_message(error: &jsonschema::ValidationError<'_>, field: &str) -> Vec<String> {
    use jsonschema::error::{TypeKind, ValidationErrorKind as K};
    let instance = error.instance();
    vec![match error.kind() {
        K::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            };
            format!(
                "Invalid type. Expected: {expected}, given: {}",
                json_type(instance)
            )
        }
        K::Required { property } => {
            format!("{} is required", property.as_str().unwrap_or_default())
        }
        K::AdditionalProperties { unexpected } => {
            return unexpected
                .iter()
                .map(|p| format!("Additional property {p} is not allowed"))
                .collect();
        }
        K::Enum { options } => {
            let list = match options.as_ref() {
                serde_json::Value::Array(a) => a
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            format!("{field} must be one of the following: {list}")
        }
        K::Constant { expected_value } => format!("{field} does not match: {expected_value}"),
        K::Minimum { limit } => format!("Must be greater than or equal to {limit}"),
        K::Maximum { limit } => format!("Must be less than or equal to {limit}"),
        K::ExclusiveMinimum { limit } => format!("Must be greater than {limit}"),
        K::ExclusiveMaximum { limit } => format!("Must be less than {limit}"),
        K::MinLength { limit } => format!("String length must be greater than or equal to {limit}"),
        K::MaxLength { limit } => format!("String length must be less than or equal to {limit}"),
        K::MinItems { limit } => format!("Array must have at least {limit} items"),
        K::MaxItems { limit } => format!("Array must have at most {limit} items"),
        K::Pattern { pattern } => format!("Does not match pattern '{pattern}'"),
        K::Format { format } => format!("Does not match format '{format}'"),
        _ => error.to_string(),
    }]
}

/// Helm's `CheckDependencies`: every dependency `Chart.yaml` names must be in `charts/`.
fn check_dependencies(chart: &Chart) -> Result<(), RenderError> {
    let Value::Map(meta) = &chart.metadata else {
        return Ok(());
    };
    let Some(Value::List(deps)) = meta.get("dependencies") else {
        return Ok(());
    };
    let missing: Vec<String> = deps
        .items
        .iter()
        .filter_map(|d| match d {
            Value::Map(m) => m.get("name").map(|n| crate::sprig::strval(&n)),
            _ => None,
        })
        .filter(|name| !chart.dependencies.iter().any(|c| &c.name == name))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(RenderError::plain(format!(
        "An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
        missing.join(", ")
    )))
}

/// Renders `chart` as `helm template` would with `opts`.
pub fn render(chart: &Chart, opts: &Options) -> Result<Rendered, RenderError> {
    if chart.is_library() {
        return Err(RenderError::plain("library charts are not installable"));
    }
    check_dependencies(chart)?;
    let user = user_values(opts)?;
    let mut chart = chart.clone();
    values::process_dependencies(&mut chart, &user).map_err(RenderError::plain)?;
    let coalesced = values::coalesce(&chart, &user).map_err(RenderError::plain)?;
    let schema_errors = validate_schemas(&chart, &coalesced);
    if !schema_errors.is_empty() {
        return Err(RenderError::plain(format!(
            "values don't meet the specifications of the schema(s) in the following chart(s):\n{schema_errors}"
        )));
    }
    let coalesced = match coalesced {
        Value::Map(m) => Value::typed_map(Elem::Any, Some("chartutil.Values"), m.read().clone()),
        other => other,
    };
    let caps =
        Capabilities::new(&opts.kube_version, &opts.api_versions).map_err(RenderError::plain)?;
    let mut release = Entries::new();
    release.insert("Name".into(), Value::from(opts.release_name.as_str()));
    release.insert("Namespace".into(), Value::from(opts.namespace.as_str()));
    release.insert("IsUpgrade".into(), Value::Bool(opts.is_upgrade));
    release.insert("IsInstall".into(), Value::Bool(!opts.is_upgrade));
    release.insert("Revision".into(), Value::Int(opts.revision));
    release.insert("Service".into(), Value::from("Helm"));
    let mut top = Entries::new();
    top.insert("Release".into(), Value::map(release));
    top.insert("Capabilities".into(), Value::Object(Arc::new(caps)));
    let top = Value::map(top);

    let mut list = Vec::new();
    collect(&chart, "", true, &top, &coalesced, &mut list);
    sort_templates(&mut list);

    let mut engine = Engine::new(funcs());
    for r in &list {
        engine
            .parse(&r.name, &r.text)
            .map_err(|e| parse_error(&e))?;
    }
    let mut rendered: Vec<(String, String)> = Vec::new();
    for r in &list {
        let base = r.name.rsplit('/').next().unwrap_or("");
        if base.starts_with('_') {
            continue;
        }
        if let Value::Map(m) = &r.vals {
            let mut t = Entries::new();
            t.insert("Name".into(), Value::from(r.name.as_str()));
            t.insert("BasePath".into(), Value::from(r.base_path.as_str()));
            m.write().insert("Template".into(), named_map(t));
        }
        let out = engine
            .execute(&r.name, r.vals.clone())
            .map_err(|e| exec_error(&r.name, &e))?;
        rendered.push((r.name.clone(), out.replace("<no value>", "")));
    }

    let notes_name = format!("{}/templates/NOTES.txt", chart.name);
    let mut notes = None;
    rendered.retain(|(name, text)| {
        if name.ends_with("NOTES.txt") {
            if *name == notes_name {
                notes = Some(text.clone());
            }
            return false;
        }
        true
    });
    rendered.sort_by(|a, b| a.0.cmp(&b.0));

    let mut generic = Vec::new();
    let mut hooks = Vec::new();
    for (source, text) in &rendered {
        if text.trim().is_empty() {
            continue;
        }
        for doc in split_manifests(text) {
            let (kind, name, hook) = head(&doc, source)?;
            let manifest = Manifest {
                source: source.clone(),
                content: doc,
                kind,
                name,
                hook: hook.clone(),
            };
            match hook {
                None => generic.push(manifest),
                Some(h) => {
                    let events: Vec<String> =
                        h.split(',').map(|e| e.trim().to_lowercase()).collect();
                    if events.iter().any(|e| !HOOK_EVENTS.contains(&e.as_str())) {
                        continue;
                    }
                    if opts.skip_tests && events.iter().any(|e| e == "test" || e == "test-success")
                    {
                        continue;
                    }
                    hooks.push(manifest);
                }
            }
        }
    }
    sort_by_kind(&mut generic);
    sort_by_kind(&mut hooks);
    let mut manifests = Vec::new();
    if opts.include_crds {
        crds(&chart, "", &mut manifests);
    }
    manifests.extend(generic);
    manifests.extend(hooks);
    Ok(Rendered {
        chart: chart.name.clone(),
        manifests,
        notes,
    })
}

fn crds(chart: &Chart, parent: &str, out: &mut Vec<Manifest>) {
    let full = if parent.is_empty() {
        chart.name.clone()
    } else {
        format!("{parent}/charts/{}", chart.name)
    };
    for (name, text) in &chart.crds {
        if !(name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json")) {
            continue;
        }
        out.push(Manifest {
            source: format!("{full}/{name}"),
            content: text.clone(),
            kind: "CustomResourceDefinition".into(),
            name: String::new(),
            hook: None,
        });
    }
    for sub in &chart.dependencies {
        crds(sub, &full, out);
    }
}
