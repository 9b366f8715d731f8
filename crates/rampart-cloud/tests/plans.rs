//! rampart's evaluation of Terraform configurations agrees with Terraform's own plan of them.
//!
//! Each folder under `tests/plans/` is a configuration with the `plan.json` that
//! `tests/plans/make-plans.sh` made of it (`terraform plan` then `terraform show -json`, with
//! Terraform v1.11.4 and hashicorp/aws v5.100.0 from a local mirror, offline). The first test
//! compares rampart's evaluation with those committed plans; the second makes a fresh plan of
//! one configuration when a Terraform CLI and the provider mirror are on this machine, and
//! skips with a message otherwise.

use std::path::{Path, PathBuf};

use rampart_cloud::terraform::{self, Limits, ModuleFiles, TerraformFile};
use rampart_cloud::{Resource, Value};
use rampart_source::Limits as FileLimits;

fn cases() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/plans")
}

/// The Terraform files of a folder.
fn folder_files(folder: &Path) -> Vec<TerraformFile> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            name.ends_with(".tf") || name.ends_with(".tfvars")
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            terraform::parse_file(
                &path.display().to_string(),
                &folder.display().to_string(),
                &name,
                &text,
                &FileLimits::default(),
            )
            .unwrap()
        })
        .collect()
}

struct Disk;

impl ModuleFiles for Disk {
    fn files_of(&self, folder: &str) -> Option<Vec<TerraformFile>> {
        Path::new(folder)
            .is_dir()
            .then(|| folder_files(Path::new(folder)))
    }
}

/// rampart's evaluation of the configuration in `folder`.
fn evaluated(folder: &Path) -> Vec<Resource> {
    let evaluated = terraform::evaluate(
        &folder_files(folder),
        &[],
        &Disk,
        &|f: &str| f.to_owned(),
        &Limits::default(),
    );
    assert!(evaluated.errors.is_empty(), "{:?}", evaluated.errors);
    evaluated.resources
}

/// What comparing one value found.
#[derive(Default, Debug)]
struct Agreement {
    /// Values known to both, and equal.
    agreed: usize,
    /// Values Terraform knows that rampart reports as unknown.
    unknown_to_rampart: Vec<String>,
    disagreements: Vec<String>,
}

/// Compares rampart's value with the plan's. Null on rampart's side is an argument left
/// unset, which the plan fills with the provider's default: not compared.
fn compare(ours: &Value, planned: &Value, path: &str, agreement: &mut Agreement) {
    match (ours, planned) {
        (Value::Null, _) => {}
        (Value::Unknown(_), Value::Unknown(_)) => agreement.agreed += 1,
        (Value::Unknown(_), _) => agreement.unknown_to_rampart.push(path.to_owned()),
        (Value::String(a), Value::String(b)) if a != b => {
            // Policies: the same JSON document, whatever its spacing and key order.
            match (
                serde_json::from_str::<serde_json::Value>(a),
                serde_json::from_str::<serde_json::Value>(b),
            ) {
                (Ok(x), Ok(y)) if x.is_object() && x == y => agreement.agreed += 1,
                _ => agreement
                    .disagreements
                    .push(format!("{path}: rampart {a:?}, terraform {b:?}")),
            }
        }
        (Value::Map(ours), Value::Map(planned)) => {
            for (key, value) in ours {
                match planned.get(key) {
                    Some(other) => compare(value, other, &format!("{path}/{key}"), agreement),
                    None => agreement
                        .disagreements
                        .push(format!("{path}/{key}: not in the plan")),
                }
            }
        }
        (Value::List(ours), Value::List(planned)) => {
            if ours.len() != planned.len() {
                agreement.disagreements.push(format!(
                    "{path}: {} items, terraform {}",
                    ours.len(),
                    planned.len()
                ));
                return;
            }
            // Sets (security group rules, set arguments) are ordered by Terraform its own way:
            // each item must agree with some item of the plan.
            for (index, item) in ours.iter().enumerate() {
                let mut best: Option<Agreement> = None;
                for candidate in planned {
                    let mut trial = Agreement::default();
                    compare(item, candidate, &format!("{path}/{index}"), &mut trial);
                    if trial.disagreements.is_empty() {
                        best = Some(trial);
                        break;
                    }
                    if best.is_none() {
                        best = Some(trial);
                    }
                }
                if let Some(best) = best {
                    agreement.agreed += best.agreed;
                    agreement.unknown_to_rampart.extend(best.unknown_to_rampart);
                    agreement.disagreements.extend(best.disagreements);
                }
            }
        }
        // The provider converts primitives to its schema's types.
        (a, b) if a == b || scalar_text(a).is_some() && scalar_text(a) == scalar_text(b) => {
            agreement.agreed += 1
        }
        (a, b) => agreement
            .disagreements
            .push(format!("{path}: rampart {a}, terraform {b}")),
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => Some(rampart_cloud::format_number(*n)),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// Compares a folder's evaluation with a plan; returns the agreement.
fn check(folder: &Path, plan_text: &str) -> Agreement {
    let plan =
        terraform::parse_plan("plan.json", "/", plan_text, &FileLimits::default(), "").unwrap();
    let ours: Vec<Resource> = evaluated(folder).into_iter().filter(|r| !r.data).collect();
    let mut agreement = Agreement::default();
    let planned: Vec<&Resource> = plan.resources.iter().filter(|r| !r.data).collect();
    let addresses = |list: &mut Vec<String>| {
        list.sort();
        list.clone()
    };
    assert_eq!(
        addresses(&mut ours.iter().map(|r| r.address.clone()).collect()),
        addresses(&mut planned.iter().map(|r| r.address.clone()).collect()),
        "{}: the same resource instances",
        folder.display()
    );
    for resource in &ours {
        let other = planned
            .iter()
            .find(|p| p.address == resource.address)
            .unwrap();
        compare(
            &resource.values,
            &other.values,
            &resource.address,
            &mut agreement,
        );
    }
    agreement
}

#[test]
fn evaluation_agrees_with_terraforms_plans() {
    let mut total = 0;
    for case in ["storage", "network", "modules", "iam"] {
        let folder = cases().join(case);
        let plan = std::fs::read_to_string(folder.join("plan.json")).unwrap();
        let agreement = check(&folder, &plan);
        assert!(
            agreement.disagreements.is_empty(),
            "{case}: {:#?}",
            agreement.disagreements
        );
        // Everything these configurations set is known statically: rampart must know it.
        assert!(
            agreement.unknown_to_rampart.is_empty(),
            "{case}: {:#?}",
            agreement.unknown_to_rampart
        );
        assert!(
            agreement.agreed >= 5,
            "{case}: only {} values compared",
            agreement.agreed
        );
        total += agreement.agreed;
    }
    assert!(total > 100, "{total}");
}

#[test]
fn evaluation_agrees_with_a_plan_terraform_makes_now() {
    let mirror = std::env::var("TF_PLUGIN_MIRROR").unwrap_or_else(|_| "/opt/tf-plugins".to_owned());
    let terraform_found = std::process::Command::new("terraform")
        .arg("version")
        .output()
        .is_ok_and(|out| out.status.success());
    if !terraform_found
        || !Path::new(&mirror)
            .join("registry.terraform.io/hashicorp/aws")
            .is_dir()
    {
        eprintln!(
            "skipped: needs the terraform CLI and the hashicorp/aws provider in a filesystem mirror at {mirror} (TF_PLUGIN_MIRROR)"
        );
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let config = work.path().join("terraformrc");
    std::fs::write(
        &config,
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path = \"{mirror}\"\n    include = [\"registry.terraform.io/*/*\"]\n  }}\n  direct {{\n    exclude = [\"registry.terraform.io/*/*\"]\n  }}\n}}\n"
        ),
    )
    .unwrap();
    let folder = work.path().join("storage");
    std::fs::create_dir(&folder).unwrap();
    for file in ["main.tf", "provider.tf", "terraform.tfvars"] {
        std::fs::copy(cases().join("storage").join(file), folder.join(file)).unwrap();
    }
    let terraform = |args: &[&str]| {
        let out = std::process::Command::new("terraform")
            .args(args)
            .current_dir(&folder)
            .env("TF_CLI_CONFIG_FILE", &config)
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "terraform {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    terraform(&["init", "-input=false", "-no-color"]);
    terraform(&[
        "plan",
        "-input=false",
        "-no-color",
        "-refresh=false",
        "-out=plan.out",
    ]);
    let plan = terraform(&["show", "-json", "plan.out"]);
    let agreement = check(&folder, &plan);
    assert!(
        agreement.disagreements.is_empty(),
        "{:#?}",
        agreement.disagreements
    );
    assert!(
        agreement.unknown_to_rampart.is_empty(),
        "{:#?}",
        agreement.unknown_to_rampart
    );
}
