//! The Cloud layer's input formats, and the model built from what they read.

use std::path::Path;
use std::sync::Arc;

use rampart_source::{Found, InputFormat, Inventory, Parsed, SourceFile};

use crate::cloudformation::{self, Template};
use crate::model::CloudModel;
use crate::terraform::{self, ModuleFiles, TerraformFile, TerraformPlan};

/// The formats, to list before the built-in ones: they tell their `.json` and `.yaml` files
/// from Kubernetes manifests by content.
pub fn formats() -> Vec<Arc<dyn InputFormat>> {
    vec![
        Arc::new(TerraformFiles),
        Arc::new(TerraformPlans),
        Arc::new(CloudFormationTemplates),
    ]
}

/// How the Cloud layer reads, besides the files found.
#[derive(Debug, Clone, Default)]
pub struct CloudInputs {
    /// `--var-file`s, parsed, applied to every root module after its automatic ones.
    pub var_files: Vec<TerraformFile>,
    pub limits: terraform::Limits,
}

/// Builds the model from an inventory's Terraform files, plans and templates. `name` gives
/// a folder's or file's name relative to its repository (as subjects show it).
pub fn build(
    inventory: &Inventory,
    inputs: &CloudInputs,
    modules: &dyn ModuleFiles,
    name: &dyn Fn(&str) -> String,
) -> CloudModel {
    let files = inventory.all::<TerraformFile>();
    let plans = inventory.all::<TerraformPlan>();
    let templates = inventory.all::<Template>();
    if files.is_empty() && plans.is_empty() && templates.is_empty() {
        return CloudModel::default();
    }
    let evaluated = terraform::evaluate(files, &inputs.var_files, modules, name, &inputs.limits);
    let mut resources = evaluated.resources;
    let mut errors = evaluated.errors;
    for plan in plans {
        let root = name(&plan.folder);
        resources.extend(plan.resources.iter().cloned().map(|mut resource| {
            resource.scope = match resource.scope.as_str() {
                "" => root.clone(),
                module => format!("{root}:{module}"),
            };
            resource
        }));
    }
    for template in templates {
        let scope = name(&template.path);
        resources.extend(template.resources.iter().cloned().map(|mut resource| {
            resource.scope = scope.clone();
            resource
        }));
        errors.extend(template.errors.iter().cloned());
    }
    CloudModel::new(resources, errors)
}

fn name_of(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// The absolute, normalised folder of a file.
fn folder_of(path: Option<&Path>) -> String {
    let Some(path) = path else {
        return "/".to_owned();
    };
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let folder = rampart_source::normalise(absolute.parent().unwrap_or(Path::new("/")));
    folder.to_string_lossy().into_owned()
}

/// `.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`.
struct TerraformFiles;

fn is_terraform_name(name: &str) -> bool {
    [".tf", ".tf.json", ".tfvars", ".tfvars.json"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

impl InputFormat for TerraformFiles {
    fn name(&self) -> &'static str {
        "Terraform configurations"
    }

    fn claims(&self, path: &Path, _found: Found) -> bool {
        is_terraform_name(name_of(path))
    }

    fn parse(&self, file: &SourceFile<'_>, into: &mut Parsed) {
        let name = file.path.map(name_of).unwrap_or(file.shown);
        match terraform::parse_file(
            file.shown,
            &folder_of(file.path),
            name,
            file.text,
            file.limits,
        ) {
            Ok(parsed) => into.push(parsed),
            Err(error) => into.error(error),
        }
    }
}

/// `terraform show -json` output.
struct TerraformPlans;

impl InputFormat for TerraformPlans {
    fn name(&self) -> &'static str {
        "Terraform plans"
    }

    fn claims(&self, path: &Path, found: Found) -> bool {
        found == Found::Named || path.extension().is_some_and(|e| e == "json")
    }

    fn recognises(&self, text: &str) -> bool {
        terraform::is_plan(text)
    }

    fn parse(&self, file: &SourceFile<'_>, into: &mut Parsed) {
        match terraform::parse_plan(
            file.shown,
            &folder_of(file.path),
            file.text,
            file.limits,
            "",
        ) {
            Ok(plan) => into.push(plan),
            Err(error) => into.error(error),
        }
    }
}

/// CloudFormation templates in YAML or JSON, told by content.
struct CloudFormationTemplates;

impl InputFormat for CloudFormationTemplates {
    fn name(&self) -> &'static str {
        "CloudFormation templates"
    }

    fn claims(&self, path: &Path, found: Found) -> bool {
        found == Found::Named
            || path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "yaml" | "yml" | "json" | "template"))
    }

    fn recognises(&self, text: &str) -> bool {
        cloudformation::is_template(text)
    }

    fn parse(&self, file: &SourceFile<'_>, into: &mut Parsed) {
        let template = cloudformation::parse_template(file.shown, file.text, file.limits, "");
        into.push(template);
    }
}
