//! A Terraform configuration evaluated as `terraform plan` would see it before contacting a
//! cloud: root modules found among the folders read, their variables (defaults, automatic
//! `.tfvars`, `--var-file`), locals, resources and data sources with `count` and `for_each`
//! expanded, `dynamic` blocks, local modules called with their inputs (each instance of a
//! module called with `count` or `for_each`), and outputs. Names are evaluated lazily, so their
//! order in the files does not matter, and a cycle among them is an error with its place.
//!
//! Modules from a registry or git are not read: each call is reported with its location, and
//! its outputs are unknown.

use std::collections::{BTreeMap, HashMap, HashSet};

use hcl_edit::expr::Expression;
use rampart_core::Diagnostic;

use super::data_sources;
use super::eval::{Evaluator, Names, iteration};
use super::syntax::{Attribute, Block, Body, FileRole, LineCol, TerraformFile};
use crate::resource::{Origin, Position, Resource};
use crate::value::Value;

/// Limits on what one configuration may make rampart evaluate.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Instances one `count` or `for_each` may make.
    pub max_instances: usize,
    /// Depth of module calls.
    pub max_module_depth: usize,
    /// Resource instances in one configuration.
    pub max_resources: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_instances: 10_000,
            max_module_depth: 16,
            max_resources: 1_000_000,
        }
    }
}

/// Where local modules' files come from when they were not among the files read.
pub trait ModuleFiles {
    /// The Terraform files of the folder `folder` (absolute, normalised); `None` when it
    /// cannot be read.
    fn files_of(&self, folder: &str) -> Option<Vec<TerraformFile>>;
}

/// No folder beyond those read.
pub struct NoModuleFiles;

impl ModuleFiles for NoModuleFiles {
    fn files_of(&self, _folder: &str) -> Option<Vec<TerraformFile>> {
        None
    }
}

/// What the evaluation of a set of Terraform files gives.
#[derive(Debug, Default)]
pub struct Evaluated {
    pub resources: Vec<Resource>,
    pub errors: Vec<Diagnostic>,
}

/// Evaluates every root module among `files`: a folder holding configuration that no other
/// folder read calls as a local module. `var_files` are `--var-file`s, applied to every root
/// after its automatic variables files; `name_folder` names a root's folder as subjects show
/// it (relative to its repository).
pub fn evaluate(
    files: &[TerraformFile],
    var_files: &[TerraformFile],
    modules: &dyn ModuleFiles,
    name_folder: &dyn Fn(&str) -> String,
    limits: &Limits,
) -> Evaluated {
    let mut by_folder: BTreeMap<String, Vec<TerraformFile>> = BTreeMap::new();
    for file in files {
        by_folder
            .entry(file.folder.clone())
            .or_default()
            .push(file.clone());
    }
    let mut evaluated = Evaluated::default();
    // Load every local module folder reachable from the folders read.
    let mut loaded = by_folder.clone();
    let mut called: HashSet<String> = HashSet::new();
    let mut pending: Vec<String> = by_folder.keys().cloned().collect();
    while let Some(folder) = pending.pop() {
        let calls: Vec<String> = loaded[&folder]
            .iter()
            .flat_map(|file| file.body.blocks_of("module"))
            .filter_map(|block| local_source(block).map(|source| join(&folder, &source)))
            .collect();
        for callee in calls {
            if callee != folder {
                called.insert(callee.clone());
            }
            if loaded.contains_key(&callee) {
                continue;
            }
            match modules.files_of(&callee) {
                Some(module_files) => {
                    loaded.insert(callee.clone(), module_files);
                    pending.push(callee);
                }
                None => {
                    loaded.insert(callee.clone(), Vec::new());
                }
            }
        }
    }
    let defs: HashMap<&str, ModuleDef<'_>> = loaded
        .iter()
        .map(|(folder, files)| (folder.as_str(), ModuleDef::new(folder, files)))
        .collect();
    for (folder, files) in &by_folder {
        let is_root =
            !called.contains(folder) && files.iter().any(|file| file.role != FileRole::Variables);
        if !is_root {
            continue;
        }
        let mut variables: Vec<&TerraformFile> = files
            .iter()
            .filter(|file| file.role == FileRole::Variables && file.is_automatic_variables())
            .collect();
        // terraform.tfvars first, then *.auto.tfvars in lexical order.
        variables.sort_by_key(|file| {
            (
                !file.name.starts_with("terraform.tfvars"),
                file.name.clone(),
            )
        });
        variables.extend(var_files);
        let mut run = Run {
            defs: &defs,
            instances: Vec::new(),
            resources: Vec::new(),
            errors: Vec::new(),
            limits,
            root_name: name_folder(folder),
            account_id: None,
            region: None,
        };
        run.root(folder, &variables);
        evaluated.resources.extend(run.resources);
        evaluated.errors.extend(run.errors);
    }
    evaluated
}

/// A module call's source when it is a local folder (`./x`, `../x`).
fn local_source(block: &Block) -> Option<String> {
    let source = block.body.attribute("source")?;
    let Expression::String(text) = &source.expr else {
        return None;
    };
    let text = text.value();
    (text.starts_with("./") || text.starts_with("../")).then(|| text.clone())
}

/// `folder` joined with a relative `path`, normalised.
fn join(folder: &str, path: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

/// A block with the file it is in.
struct InFile<'a, T> {
    item: &'a T,
    file: &'a TerraformFile,
}

impl<T> Clone for InFile<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for InFile<'_, T> {}

/// A module's declarations, from all its files.
struct ModuleDef<'a> {
    folder: &'a str,
    variables: BTreeMap<&'a str, InFile<'a, Block>>,
    locals: BTreeMap<&'a str, InFile<'a, Attribute>>,
    /// Managed resources and data sources, by (`data`, type, name).
    resources: Vec<(bool, &'a str, &'a str, InFile<'a, Block>)>,
    modules: BTreeMap<&'a str, InFile<'a, Block>>,
    outputs: BTreeMap<&'a str, InFile<'a, Attribute>>,
    providers: Vec<InFile<'a, Block>>,
    /// Whether the folder could be read at all.
    present: bool,
}

impl<'a> ModuleDef<'a> {
    fn new(folder: &'a str, files: &'a [TerraformFile]) -> ModuleDef<'a> {
        let mut def = ModuleDef {
            folder,
            variables: BTreeMap::new(),
            locals: BTreeMap::new(),
            resources: Vec::new(),
            modules: BTreeMap::new(),
            outputs: BTreeMap::new(),
            providers: Vec::new(),
            present: !files.is_empty(),
        };
        for file in files.iter().filter(|f| f.role == FileRole::Configuration) {
            for block in &file.body.blocks {
                let in_file = InFile { item: block, file };
                let label = |i: usize| block.labels.get(i).map(String::as_str);
                match (block.kind.as_str(), label(0), label(1)) {
                    ("variable", Some(name), _) => {
                        def.variables.insert(name, in_file);
                    }
                    ("locals", ..) => {
                        for attribute in &block.body.attributes {
                            def.locals.insert(
                                &attribute.name,
                                InFile {
                                    item: attribute,
                                    file,
                                },
                            );
                        }
                    }
                    ("resource", Some(kind), Some(name)) => {
                        def.resources.push((false, kind, name, in_file));
                    }
                    ("data", Some(kind), Some(name)) => {
                        def.resources.push((true, kind, name, in_file));
                    }
                    ("module", Some(name), _) => {
                        def.modules.insert(name, in_file);
                    }
                    ("output", Some(name), _) => {
                        if let Some(value) = block.body.attribute("value") {
                            def.outputs.insert(name, InFile { item: value, file });
                        }
                    }
                    ("provider", ..) => def.providers.push(in_file),
                    _ => {}
                }
            }
        }
        def
    }

    fn resource(&self, data: bool, kind: &str, name: &str) -> Option<usize> {
        self.resources
            .iter()
            .position(|(d, k, n, _)| *d == data && *k == kind && *n == name)
    }
}

/// The state of a lazily evaluated name.
#[derive(Clone)]
enum Slot {
    Evaluating,
    Done(Value),
}

/// One instance of a module: the root, or one call (one of its `count`/`for_each` instances).
struct Instance<'a> {
    def: &'a ModuleDef<'a>,
    /// `module.a.module.b["x"]`; empty for the root.
    path: String,
    inputs: BTreeMap<String, Value>,
    locals: HashMap<&'a str, Slot>,
    resources: HashMap<usize, Slot>,
    /// Child module calls, by name: the value of `module.NAME` once made.
    calls: HashMap<&'a str, Slot>,
    /// The child instances of each call.
    children: HashMap<&'a str, Vec<usize>>,
    outputs: HashMap<&'a str, Slot>,
    depth: usize,
}

struct Run<'a> {
    defs: &'a HashMap<&'a str, ModuleDef<'a>>,
    instances: Vec<Instance<'a>>,
    resources: Vec<Resource>,
    errors: Vec<Diagnostic>,
    limits: &'a Limits,
    root_name: String,
    /// The account the AWS provider is restricted to (`allowed_account_ids` of one id).
    account_id: Option<String>,
    region: Option<String>,
}

/// What a body evaluates to, with where its fields were written and what its top-level
/// attributes refer to.
#[derive(Default)]
struct Evaluation {
    fields: BTreeMap<String, (u32, u32)>,
    references: BTreeMap<String, Vec<String>>,
}

/// Attributes of resource blocks that are Terraform's, not the provider's.
const META_ARGUMENTS: &[&str] = &[
    "count",
    "for_each",
    "provider",
    "depends_on",
    "lifecycle",
    "provisioner",
    "connection",
];

impl<'a> Run<'a> {
    fn root(&mut self, folder: &str, variables: &[&TerraformFile]) {
        let Some(def) = self.defs.get(folder) else {
            return;
        };
        let mut inputs = BTreeMap::new();
        for file in variables {
            for attribute in &file.body.attributes {
                let mut names = NoNames {
                    problems: Vec::new(),
                };
                let value = Evaluator::new(&mut names).eval(&attribute.expr);
                for message in names.problems {
                    self.errors.push(error(file, attribute.at, message));
                }
                if !def.variables.contains_key(attribute.name.as_str()) && def.present {
                    // Terraform warns and ignores a value for an undeclared variable.
                    continue;
                }
                inputs.insert(attribute.name.clone(), value);
            }
        }
        let root = self.instance(def, String::new(), inputs, 0);
        self.provider_settings(root);
        self.expand(root);
    }

    /// The account and region the root's AWS provider names, for `aws_caller_identity`,
    /// `aws_region` and the ARNs rampart derives.
    fn provider_settings(&mut self, root: usize) {
        let def = self.instances[root].def;
        for provider in &def.providers {
            if provider.item.labels.first().map(String::as_str) != Some("aws") {
                continue;
            }
            if provider.item.body.attribute("alias").is_some() {
                continue;
            }
            let (value, _) = self.body(root, provider.item, provider.file, &Bindings::default());
            if let Some([Value::String(account)]) =
                value.get("allowed_account_ids").and_then(Value::as_list)
            {
                self.account_id = Some(account.clone());
            }
            if let Some(region) = value.get("region").and_then(Value::as_str) {
                self.region = Some(region.to_owned());
            }
        }
    }

    fn instance(
        &mut self,
        def: &'a ModuleDef<'a>,
        path: String,
        inputs: BTreeMap<String, Value>,
        depth: usize,
    ) -> usize {
        self.instances.push(Instance {
            def,
            path,
            inputs,
            locals: HashMap::new(),
            resources: HashMap::new(),
            calls: HashMap::new(),
            children: HashMap::new(),
            outputs: HashMap::new(),
            depth,
        });
        self.instances.len() - 1
    }

    /// Evaluates everything an instance declares: its resources, data sources, module calls
    /// (and theirs), so that each resource instance is emitted once.
    fn expand(&mut self, instance: usize) {
        let def = self.instances[instance].def;
        for name in def.modules.keys() {
            self.call(instance, name);
            let children = self.instances[instance]
                .children
                .get(name)
                .cloned()
                .unwrap_or_default();
            for child in children {
                self.expand(child);
            }
        }
        for index in 0..def.resources.len() {
            self.resource(instance, index);
        }
    }

    /// The value of `module.NAME`: the called module's outputs (a list or map of them for a
    /// call with `count` or `for_each`), making its instances on first use.
    fn call(&mut self, instance: usize, name: &str) -> Value {
        let def = self.instances[instance].def;
        let Some((&name, call)) = def.modules.get_key_value(name) else {
            return Value::unknown();
        };
        let call = *call;
        self.once(
            instance,
            |instance| &mut instance.calls,
            name,
            || {
                let message = format!("module `{name}` depends on its own outputs");
                error(call.file, call.item.at, message)
            },
            |run| run.make_call(instance, name, call),
        )
    }

    /// The value of a name of `instance` evaluated lazily (`table` holds where it stands):
    /// computed once, or unknown with the error `cycle` makes when computing it needs itself.
    fn once<K: Copy + Eq + std::hash::Hash>(
        &mut self,
        instance: usize,
        table: for<'i> fn(&'i mut Instance<'a>) -> &'i mut HashMap<K, Slot>,
        key: K,
        cycle: impl FnOnce() -> Diagnostic,
        compute: impl FnOnce(&mut Self) -> Value,
    ) -> Value {
        match table(&mut self.instances[instance]).get(&key) {
            Some(Slot::Done(value)) => return value.clone(),
            Some(Slot::Evaluating) => {
                self.errors.push(cycle());
                return Value::unknown();
            }
            None => {}
        }
        table(&mut self.instances[instance]).insert(key, Slot::Evaluating);
        let value = compute(self);
        table(&mut self.instances[instance]).insert(key, Slot::Done(value.clone()));
        value
    }

    fn make_call(&mut self, instance: usize, name: &'a str, call: InFile<'a, Block>) -> Value {
        let block = call.item;
        let Some(source) = local_source(block) else {
            let shown = block
                .body
                .attribute("source")
                .map(|source| match &source.expr {
                    Expression::String(text) => text.value().clone(),
                    _ => "a computed source".to_owned(),
                })
                .unwrap_or_else(|| "no source".to_owned());
            self.errors.push(error(
                call.file,
                block.at,
                format!(
                    "module `{name}` comes from {shown}, which rampart does not fetch: its resources are not checked (scan a `terraform show -json` plan to include them)"
                ),
            ));
            return Value::unknown();
        };
        let parent = &self.instances[instance];
        let folder = join(parent.def.folder, &source);
        let depth = parent.depth + 1;
        let parent_path = parent.path.clone();
        let Some(def) = self.defs.get(folder.as_str()).filter(|def| def.present) else {
            self.errors.push(error(
                call.file,
                block.at,
                format!("module `{name}`: its source `{source}` holds no Terraform files"),
            ));
            return Value::unknown();
        };
        if depth > self.limits.max_module_depth || folder == parent.def.folder {
            self.errors.push(error(
                call.file,
                block.at,
                format!(
                    "module `{name}` calls modules more than {} deep (does it call itself?); not expanded",
                    self.limits.max_module_depth
                ),
            ));
            return Value::unknown();
        }
        let keys = self.expansion(instance, block, call.file);
        let base = if parent_path.is_empty() {
            format!("module.{name}")
        } else {
            format!("{parent_path}.module.{name}")
        };
        let mut outputs = Vec::new();
        for (key, bindings) in keys.instances {
            let (arguments, _) = self.body(instance, block, call.file, &bindings);
            let mut inputs = BTreeMap::new();
            for (variable, _) in def.variables.iter() {
                if let Some(value) = arguments.get(variable) {
                    inputs.insert(variable.to_string(), value.clone());
                }
            }
            let path = format!("{base}{}", key.suffix());
            let child = self.instance(def, path, inputs, depth);
            self.instances[instance]
                .children
                .entry(name)
                .or_default()
                .push(child);
            let mut values = BTreeMap::new();
            for output in def.outputs.keys() {
                values.insert(output.to_string(), self.output(child, output));
            }
            outputs.push((key, Value::Map(values)));
        }
        keys.shape.collect(outputs)
    }

    fn output(&mut self, instance: usize, name: &str) -> Value {
        let def = self.instances[instance].def;
        let Some((&name, output)) = def.outputs.get_key_value(name) else {
            return Value::unknown();
        };
        let output = *output;
        self.once(
            instance,
            |instance| &mut instance.outputs,
            name,
            || {
                let message = format!("output `{name}` refers to itself");
                error(output.file, output.item.at, message)
            },
            |run| run.attribute_value(instance, output),
        )
    }

    fn variable(&mut self, instance: usize, name: &str) -> Option<Value> {
        let def = self.instances[instance].def;
        let declared = def.variables.get(name)?;
        let given = self.instances[instance].inputs.get(name).cloned();
        let value = match given {
            Some(value) => value,
            None => match declared.item.body.attribute("default") {
                Some(default) => {
                    let mut names = NoNames {
                        problems: Vec::new(),
                    };
                    Evaluator::new(&mut names).eval(&default.expr)
                }
                // No value: Terraform would ask for one; its value is not known here.
                None => Value::unknown(),
            },
        };
        Some(convert_to_type(value, declared.item.body.attribute("type")))
    }

    fn local(&mut self, instance: usize, name: &str) -> Option<Value> {
        let def = self.instances[instance].def;
        let (&name, local) = def.locals.get_key_value(name)?;
        let local = *local;
        Some(self.once(
            instance,
            |instance| &mut instance.locals,
            name,
            || {
                let message =
                    format!("local `{name}` is part of a cycle among locals; its value is unknown");
                error(local.file, local.item.at, message)
            },
            |run| run.attribute_value(instance, local),
        ))
    }

    /// The value of an output's or a local's expression, evaluated in `instance`.
    fn attribute_value(&mut self, instance: usize, attribute: InFile<'a, Attribute>) -> Value {
        let InFile { item, file } = attribute;
        self.expression(instance, &item.expr, file, item.at, &Bindings::default())
            .0
    }

    /// The value others see of resource `index` of an instance: an object, or a list
    /// (`count`) or map (`for_each`) of objects; each instance emitted as a [`Resource`] the
    /// first time.
    fn resource(&mut self, instance: usize, index: usize) -> Value {
        let (_, kind, name, declared) = self.instances[instance].def.resources[index];
        self.once(
            instance,
            |instance| &mut instance.resources,
            index,
            || {
                error(
                    declared.file,
                    declared.item.at,
                    format!("`{kind}.{name}` refers to itself"),
                )
            },
            |run| run.make_resource(instance, index),
        )
    }

    fn make_resource(&mut self, instance: usize, index: usize) -> Value {
        let (data, kind, name, declared) = self.instances[instance].def.resources[index];
        let keys = self.expansion(instance, declared.item, declared.file);
        let module_path = self.instances[instance].path.clone();
        let mut made = Vec::new();
        for (key, bindings) in keys.instances {
            if self.resources.len() >= self.limits.max_resources {
                self.errors.push(error(
                    declared.file,
                    declared.item.at,
                    format!(
                        "more than {} resource instances; the rest are not evaluated",
                        self.limits.max_resources
                    ),
                ));
                break;
            }
            let (mut values, evaluation) =
                self.body(instance, declared.item, declared.file, &bindings);
            let prefix = if data { "data." } else { "" };
            let local_address = format!("{prefix}{kind}.{name}{}", key.suffix());
            let address = if module_path.is_empty() {
                local_address.clone()
            } else {
                format!("{module_path}.{local_address}")
            };
            if data {
                data_sources::complete(
                    kind,
                    &mut values,
                    self.account_id.as_deref(),
                    self.region.as_deref(),
                );
            }
            let scope = if module_path.is_empty() {
                self.root_name.clone()
            } else {
                format!("{}:{module_path}", self.root_name)
            };
            let resource = Resource {
                origin: Origin::TerraformHcl,
                kind: kind.to_owned(),
                declared_kind: kind.to_owned(),
                name: local_address,
                scope,
                address,
                values: values.clone(),
                at: Position {
                    path: declared.file.path.clone(),
                    line: declared.item.at.line,
                    column: declared.item.at.column,
                },
                end_line: declared.item.end_line,
                fields: evaluation.fields,
                references: evaluation.references,
                ignores: ignores_above(declared.file, declared.item.at.line),
                data,
            };
            let seen = data_sources::derived(
                &resource,
                self.account_id.as_deref(),
                self.region.as_deref(),
            );
            self.resources.push(resource);
            made.push((key, seen));
        }
        keys.shape.collect(made)
    }

    /// The instances a block with `count` or `for_each` makes, with their bindings.
    fn expansion(&mut self, instance: usize, block: &Block, file: &TerraformFile) -> Expansion {
        let single = Expansion {
            shape: Shape::Single,
            instances: vec![(Key::None, Bindings::default())],
        };
        if let Some(count) = block.body.attribute("count") {
            let value = self
                .expression(instance, &count.expr, file, count.at, &Bindings::default())
                .0;
            let Some(number) = value.as_f64() else {
                if !value.is_unknown() {
                    self.errors.push(error(
                        file,
                        count.at,
                        format!("`count` must be a number, not {}", value.type_name()),
                    ));
                }
                // Unknown before apply: one instance stands for all, with an unknown index.
                return Expansion {
                    shape: Shape::Single,
                    instances: vec![(
                        Key::None,
                        Bindings {
                            count: Some(Value::unknown()),
                            each: None,
                        },
                    )],
                };
            };
            if number < 0.0 || number > self.limits.max_instances as f64 {
                self.errors.push(error(
                    file,
                    count.at,
                    format!(
                        "`count` is {}, outside 0..={}; not expanded",
                        crate::value::format_number(number),
                        self.limits.max_instances
                    ),
                ));
                return Expansion {
                    shape: Shape::List,
                    instances: Vec::new(),
                };
            }
            return Expansion {
                shape: Shape::List,
                instances: (0..number as usize)
                    .map(|index| {
                        (
                            Key::Index(index),
                            Bindings {
                                count: Some(Value::Number(index as f64)),
                                each: None,
                            },
                        )
                    })
                    .collect(),
            };
        }
        if let Some(for_each) = block.body.attribute("for_each") {
            let value = self
                .expression(
                    instance,
                    &for_each.expr,
                    file,
                    for_each.at,
                    &Bindings::default(),
                )
                .0;
            let pairs: Option<Vec<(String, Value)>> = match &value {
                Value::Map(entries) => Some(
                    entries
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                ),
                Value::List(items) => items
                    .iter()
                    .map(|item| item.as_str().map(|text| (text.to_owned(), item.clone())))
                    .collect(),
                _ => None,
            };
            let Some(pairs) = pairs else {
                if !value.is_unknown() {
                    self.errors.push(error(
                        file,
                        for_each.at,
                        format!(
                            "`for_each` must be a map or a set of strings, not {}",
                            value.type_name()
                        ),
                    ));
                }
                return Expansion {
                    shape: Shape::Single,
                    instances: vec![(
                        Key::None,
                        Bindings {
                            count: None,
                            each: Some((Value::unknown(), Value::unknown())),
                        },
                    )],
                };
            };
            if pairs.len() > self.limits.max_instances {
                self.errors.push(error(
                    file,
                    for_each.at,
                    format!(
                        "`for_each` makes {} instances, more than {}; not expanded",
                        pairs.len(),
                        self.limits.max_instances
                    ),
                ));
                return Expansion {
                    shape: Shape::Map,
                    instances: Vec::new(),
                };
            }
            return Expansion {
                shape: Shape::Map,
                instances: pairs
                    .into_iter()
                    .map(|(key, value)| {
                        (
                            Key::Name(key.clone()),
                            Bindings {
                                count: None,
                                each: Some((Value::String(key), value)),
                            },
                        )
                    })
                    .collect(),
            };
        }
        single
    }

    fn expression(
        &mut self,
        instance: usize,
        expr: &Expression,
        file: &TerraformFile,
        at: LineCol,
        bindings: &Bindings,
    ) -> (Value, Vec<String>) {
        let mut scope = Scope {
            run: self,
            instance,
            file,
            at,
            bindings,
            references: Vec::new(),
        };
        let value = Evaluator::new(&mut scope).eval(expr);
        let references = std::mem::take(&mut scope.references);
        (value, references)
    }

    /// A block's body as a map: attributes, nested blocks as lists of maps, `dynamic` blocks
    /// expanded; meta-arguments left out.
    fn body(
        &mut self,
        instance: usize,
        block: &Block,
        file: &TerraformFile,
        bindings: &Bindings,
    ) -> (Value, Evaluation) {
        let mut evaluation = Evaluation::default();
        let value = self.body_at(
            instance,
            &block.body,
            file,
            bindings,
            "",
            &mut evaluation,
            &mut Vec::new(),
        );
        (value, evaluation)
    }

    #[allow(clippy::too_many_arguments)]
    fn body_at(
        &mut self,
        instance: usize,
        body: &Body,
        file: &TerraformFile,
        bindings: &Bindings,
        pointer: &str,
        evaluation: &mut Evaluation,
        iterators: &mut Vec<(String, Value)>,
    ) -> Value {
        let mut map = BTreeMap::new();
        let top = pointer.is_empty();
        for attribute in &body.attributes {
            if top && META_ARGUMENTS.contains(&attribute.name.as_str()) {
                continue;
            }
            let field = format!("{pointer}/{}", attribute.name);
            evaluation
                .fields
                .insert(field, (attribute.at.line, attribute.at.column));
            let (value, references) = self.expression_with(
                instance,
                &attribute.expr,
                file,
                attribute.at,
                bindings,
                iterators,
            );
            if top && !references.is_empty() {
                evaluation
                    .references
                    .insert(attribute.name.clone(), references);
            }
            map.insert(attribute.name.clone(), value);
        }
        for nested in &body.blocks {
            if top && META_ARGUMENTS.contains(&nested.kind.as_str()) {
                continue;
            }
            if nested.kind == "dynamic" {
                self.dynamic(
                    instance, nested, file, bindings, pointer, evaluation, iterators, &mut map,
                );
                continue;
            }
            let list = map
                .entry(nested.kind.clone())
                .or_insert_with(|| Value::List(Vec::new()));
            let index = list.as_list().map_or(0, <[Value]>::len);
            let field = format!("{pointer}/{}/{index}", nested.kind);
            evaluation
                .fields
                .insert(field.clone(), (nested.at.line, nested.at.column));
            let value = self.body_at(
                instance,
                &nested.body,
                file,
                bindings,
                &field,
                evaluation,
                iterators,
            );
            if let Some(Value::List(items)) = map.get_mut(&nested.kind) {
                items.push(value);
            }
        }
        Value::Map(map)
    }

    #[allow(clippy::too_many_arguments)]
    fn dynamic(
        &mut self,
        instance: usize,
        block: &Block,
        file: &TerraformFile,
        bindings: &Bindings,
        pointer: &str,
        evaluation: &mut Evaluation,
        iterators: &mut Vec<(String, Value)>,
        map: &mut BTreeMap<String, Value>,
    ) {
        let Some(kind) = block.labels.first() else {
            return;
        };
        let iterator = block
            .body
            .attribute("iterator")
            .and_then(|attribute| match &attribute.expr {
                Expression::Variable(name) => Some(name.as_str().to_owned()),
                _ => None,
            })
            .unwrap_or_else(|| kind.clone());
        let Some(content) = block.body.blocks_of("content").next() else {
            return;
        };
        let collection = match block.body.attribute("for_each") {
            Some(for_each) => {
                self.expression_with(
                    instance,
                    &for_each.expr,
                    file,
                    for_each.at,
                    bindings,
                    iterators,
                )
                .0
            }
            None => Value::unknown(),
        };
        let pairs = match iteration(&collection) {
            Some(pairs) => pairs,
            // Unknown: one block whose iterator is unknown stands for all of them.
            None => vec![(Value::unknown(), Value::unknown())],
        };
        if pairs.len() > self.limits.max_instances {
            self.errors.push(error(
                file,
                block.at,
                format!(
                    "`dynamic \"{kind}\"` makes {} blocks, more than {}; not expanded",
                    pairs.len(),
                    self.limits.max_instances
                ),
            ));
            return;
        }
        for (key, value) in pairs {
            let mut iterator_value = BTreeMap::new();
            iterator_value.insert("key".to_owned(), key);
            iterator_value.insert("value".to_owned(), value);
            iterators.push((iterator.clone(), Value::Map(iterator_value)));
            let list = map
                .entry(kind.clone())
                .or_insert_with(|| Value::List(Vec::new()));
            let index = list.as_list().map_or(0, <[Value]>::len);
            let field = format!("{pointer}/{kind}/{index}");
            evaluation
                .fields
                .insert(field.clone(), (content.at.line, content.at.column));
            let value = self.body_at(
                instance,
                &content.body,
                file,
                bindings,
                &field,
                evaluation,
                iterators,
            );
            iterators.pop();
            if let Some(Value::List(items)) = map.get_mut(kind) {
                items.push(value);
            }
        }
    }

    fn expression_with(
        &mut self,
        instance: usize,
        expr: &Expression,
        file: &TerraformFile,
        at: LineCol,
        bindings: &Bindings,
        iterators: &[(String, Value)],
    ) -> (Value, Vec<String>) {
        let mut scope = Scope {
            run: self,
            instance,
            file,
            at,
            bindings,
            references: Vec::new(),
        };
        let mut evaluator = Evaluator::new(&mut scope);
        for (name, value) in iterators {
            evaluator.bind(name, value.clone());
        }
        let value = evaluator.eval(expr);
        let references = std::mem::take(&mut scope.references);
        (value, references)
    }
}

/// `count.index` and `each` of the instance being evaluated.
#[derive(Default, Clone)]
struct Bindings {
    count: Option<Value>,
    each: Option<(Value, Value)>,
}

#[derive(Debug, Clone)]
enum Key {
    None,
    Index(usize),
    Name(String),
}

impl Key {
    fn suffix(&self) -> String {
        match self {
            Key::None => String::new(),
            Key::Index(index) => format!("[{index}]"),
            Key::Name(name) => format!("[{}]", serde_json::Value::String(name.clone())),
        }
    }
}

#[derive(Clone, Copy)]
enum Shape {
    Single,
    List,
    Map,
}

impl Shape {
    fn collect(self, made: Vec<(Key, Value)>) -> Value {
        match self {
            Shape::Single => made
                .into_iter()
                .next()
                .map_or_else(Value::unknown, |(_, value)| value),
            Shape::List => Value::List(made.into_iter().map(|(_, value)| value).collect()),
            Shape::Map => Value::Map(
                made.into_iter()
                    .map(|(key, value)| match key {
                        Key::Name(name) => (name, value),
                        other => (other.suffix(), value),
                    })
                    .collect(),
            ),
        }
    }
}

struct Expansion {
    shape: Shape,
    instances: Vec<(Key, Bindings)>,
}

/// The names one expression of an instance sees.
struct Scope<'r, 'a> {
    run: &'r mut Run<'a>,
    instance: usize,
    file: &'r TerraformFile,
    at: LineCol,
    bindings: &'r Bindings,
    references: Vec<String>,
}

impl Names for Scope<'_, '_> {
    fn resolve(&mut self, root: &str, attributes: &[&str]) -> Option<(Value, usize)> {
        let first = attributes.first().copied();
        match root {
            "var" => {
                let name = first?;
                let value = self.run.variable(self.instance, name).unwrap_or_else(|| {
                    self.problem(format!(
                        "reference to an undeclared input variable `{name}`"
                    ));
                    Value::unknown()
                });
                Some((value, 1))
            }
            "local" => {
                let name = first?;
                let value = self.run.local(self.instance, name).unwrap_or_else(|| {
                    self.problem(format!("reference to an undeclared local value `{name}`"));
                    Value::unknown()
                });
                Some((value, 1))
            }
            "count" => match (&self.bindings.count, first) {
                (Some(index), Some("index")) => Some((index.clone(), 1)),
                _ => None,
            },
            "each" => match (&self.bindings.each, first) {
                (Some((key, _)), Some("key")) => Some((key.clone(), 1)),
                (Some((_, value)), Some("value")) => Some((value.clone(), 1)),
                _ => None,
            },
            "path" => {
                let folder = self.run.instances[self.instance].def.folder;
                match first? {
                    "module" | "root" | "cwd" => Some((Value::string(folder), 1)),
                    _ => None,
                }
            }
            "terraform" => match first? {
                "workspace" => Some((Value::string("default"), 1)),
                _ => Some((Value::unknown(), 1)),
            },
            "self" => Some((Value::unknown(), attributes.len())),
            "module" => {
                let name = first?;
                let def = self.run.instances[self.instance].def;
                def.modules.get(name)?;
                let value = self.run.call(self.instance, name);
                self.note(format!("module.{name}"));
                Some((value, 1))
            }
            "data" => {
                let (kind, name) = (first?, *attributes.get(1)?);
                let def = self.run.instances[self.instance].def;
                let index = def.resource(true, kind, name)?;
                let value = self.run.resource(self.instance, index);
                self.note(format!("data.{kind}.{name}"));
                Some((value, 2))
            }
            kind => {
                let name = first?;
                let def = self.run.instances[self.instance].def;
                let index = def.resource(false, kind, name)?;
                let value = self.run.resource(self.instance, index);
                self.note(format!("{kind}.{name}"));
                Some((value, 1))
            }
        }
    }

    fn problem(&mut self, message: String) {
        self.run.errors.push(error(self.file, self.at, message));
    }
}

impl Scope<'_, '_> {
    fn note(&mut self, local_address: String) {
        let path = &self.run.instances[self.instance].path;
        let address = if path.is_empty() {
            local_address
        } else {
            format!("{path}.{local_address}")
        };
        if !self.references.contains(&address) {
            self.references.push(address);
        }
    }
}

/// Names for values that may refer to nothing (variable defaults, `.tfvars`).
struct NoNames {
    problems: Vec<String>,
}

impl Names for NoNames {
    fn resolve(&mut self, _root: &str, _attributes: &[&str]) -> Option<(Value, usize)> {
        None
    }

    fn problem(&mut self, message: String) {
        self.problems.push(message);
    }
}

/// A variable's value converted to its declared primitive type, as Terraform converts it.
fn convert_to_type(value: Value, declared: Option<&Attribute>) -> Value {
    let Some(Expression::Variable(kind)) = declared.map(|attribute| &attribute.expr) else {
        return value;
    };
    match (kind.as_str(), &value) {
        ("number", Value::String(_)) => value.as_f64().map_or(value, Value::Number),
        ("bool", Value::String(_)) => value.as_bool().map_or(value, Value::Bool),
        ("string", Value::Number(number)) => Value::String(crate::value::format_number(*number)),
        ("string", Value::Bool(flag)) => Value::String(flag.to_string()),
        _ => value,
    }
}

fn error(file: &TerraformFile, at: LineCol, message: String) -> Diagnostic {
    Diagnostic::error(
        file.path.to_string(),
        (at.line > 0).then_some(at.line),
        message,
    )
}

/// The `# rampart:ignore CODES -- reason` comments on the lines right above `line` (a run of
/// comment lines ending just before it).
fn ignores_above(file: &TerraformFile, line: u32) -> Vec<(String, Option<String>)> {
    let mut ignores = Vec::new();
    let mut expected = line.saturating_sub(1);
    for (at, text) in file.ignores.iter().rev() {
        if *at > expected {
            continue;
        }
        if *at < expected {
            break;
        }
        ignores.extend(parse_ignore(text));
        expected = expected.saturating_sub(1);
    }
    ignores
}

/// `C201, C202 -- reason` as codes with the reason.
pub(crate) fn parse_ignore(text: &str) -> Vec<(String, Option<String>)> {
    let (codes, reason) = match text.split_once("--") {
        Some((codes, reason)) => (
            codes,
            Some(reason.trim().to_owned()).filter(|r| !r.is_empty()),
        ),
        None => (text, None),
    };
    codes
        .split([',', ' '])
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .map(|code| (code.to_owned(), reason.clone()))
        .collect()
}
