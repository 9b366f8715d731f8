//! Silencing findings that a reviewer accepted, from all four sources: the inputs' own
//! (the `rampart.dev/ignore` annotation of an object, a `# rampart:ignore` comment in a
//! Dockerfile), `rampart.toml` exclusions, and baseline files. Applied in that order, after the
//! rules have run; the first that matches a finding is the one the report names.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::{Context, Result};
use rampart_cloud::CloudModel;
use rampart_core::{Diagnostic, Finding, Platform, Subject, Suppression, SuppressionSource};
use rampart_rules::names_a_rule;
use rampart_source::{Dockerfile, Inventory, Object};
use serde::{Deserialize, Serialize};

use crate::config::{Config, Exclusion};

/// Silences the findings their inputs ask to: those on an object whose `rampart.dev/ignore`
/// annotation lists their rule, and those at a Dockerfile instruction under a
/// `# rampart:ignore` comment that lists it. Returns the annotations and comments that name no
/// rule, as errors.
pub fn apply_inline(findings: &mut [Finding], inventory: &Inventory) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let annotations = Annotations::of(inventory.all::<Object>(), &mut errors);
    let comments: HashMap<&str, Vec<IgnoreComment>> = inventory
        .all::<Dockerfile>()
        .iter()
        .filter_map(|dockerfile| {
            let (ignores, more_errors) = IgnoreComment::all(dockerfile);
            errors.extend(more_errors);
            (!ignores.is_empty()).then_some((&*dockerfile.path, ignores))
        })
        .collect();
    if annotations.by_file.is_empty() && comments.is_empty() {
        return errors;
    }
    for finding in findings.iter_mut().filter(|f| f.suppression.is_none()) {
        let code = finding.rule.code;
        let suppression = match finding.subject.platform {
            Platform::Kubernetes => annotations
                .of_finding(finding, &finding.subject)
                .filter(|ignore| ignore.covers(code))
                .map(IgnoreAnnotation::suppression),
            Platform::Dockerfile => comments
                .get(&*finding.location.path)
                .and_then(|ignores| IgnoreComment::covering(ignores, finding.location.line, code)),
            _ => None,
        };
        finding.suppression = suppression.map(Box::new);
    }
    errors
}

/// Silences findings on cloud resources that ask for it: a `# rampart:ignore` comment above a
/// Terraform block, `Metadata: rampart: ignore:` on a CloudFormation resource. Returns the
/// codes that name no rule, as errors at the resource.
pub fn apply_cloud_ignores(findings: &mut [Finding], cloud: &CloudModel) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut by_subject: HashMap<(&str, &str, &str), &rampart_cloud::Resource> = HashMap::new();
    for resource in cloud.resources.iter().filter(|r| !r.ignores.is_empty()) {
        for (code, _) in &resource.ignores {
            if !names_a_rule(code) {
                errors.push(Diagnostic::error(
                    resource.at.path.to_string(),
                    Some(resource.at.line),
                    format!("`{code}` in an ignore names no rule (see `rampart rules`)"),
                ));
            }
        }
        by_subject.insert(
            (&resource.declared_kind, &resource.scope, &resource.name),
            resource,
        );
    }
    if by_subject.is_empty() {
        return errors;
    }
    for finding in findings.iter_mut().filter(|f| f.suppression.is_none()) {
        let subject = &finding.subject;
        if !matches!(
            subject.platform,
            Platform::Terraform | Platform::CloudFormation
        ) {
            continue;
        }
        let key = (
            subject.kind.as_str(),
            subject.scope.as_deref().unwrap_or(""),
            subject.name.as_str(),
        );
        let Some(resource) = by_subject.get(&key) else {
            continue;
        };
        let code = finding.rule.code;
        if let Some((_, reason)) = resource
            .ignores
            .iter()
            .find(|(p, _)| code.starts_with(p.as_str()))
        {
            finding.suppression = Some(Box::new(Suppression {
                source: match subject.platform {
                    Platform::CloudFormation => SuppressionSource::Annotation,
                    _ => SuppressionSource::Comment,
                },
                reason: reason.clone(),
            }));
        }
    }
    errors
}

/// Marks findings matched by an exclusion of the config.
pub fn apply_config(findings: &mut [Finding], config: &Config) {
    if config.exclude.is_empty() {
        return;
    }
    let root = std::path::absolute(&config.root).unwrap_or_else(|_| config.root.clone());
    for finding in findings.iter_mut().filter(|f| f.suppression.is_none()) {
        if let Some(exclusion) = config.exclude.iter().find(|e| excludes(e, finding, &root)) {
            finding.suppression = Some(Box::new(Suppression {
                source: SuppressionSource::Config,
                reason: Some(exclusion.reason.clone()),
            }));
        }
    }
}

fn excludes(exclusion: &Exclusion, finding: &Finding, root: &Path) -> bool {
    let rule = exclusion.rules.is_empty()
        || exclusion
            .rules
            .iter()
            .any(|prefix| finding.rule.code.starts_with(prefix.as_str()));
    let path = exclusion.paths.is_empty() || {
        let file = Path::new(&*finding.location.path);
        let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let relative = absolute.strip_prefix(root).unwrap_or(file);
        let template = finding.location.template.as_deref().map(Path::new);
        exclusion
            .paths
            .iter()
            .any(|glob| glob.is_match(relative) || template.is_some_and(|t| glob.is_match(t)))
    };
    // Namespaces and object names are Kubernetes objects'.
    let object = Some(&*finding.subject).filter(|s| s.platform == Platform::Kubernetes);
    let namespace = exclusion.namespaces.is_empty()
        || object
            .and_then(|o| o.namespace())
            .is_some_and(|ns| exclusion.namespaces.iter().any(|glob| glob.is_match(ns)));
    let named = exclusion.objects.is_empty()
        || object.is_some_and(|o| {
            let name = o.to_string();
            exclusion.objects.iter().any(|glob| glob.is_match(&name))
        });
    rule && path && namespace && named
}

/// A file of fingerprints of accepted findings, so that CI fails only on new ones.
#[derive(Debug, Serialize, Deserialize)]
pub struct Baseline {
    pub schema_version: u32,
    pub findings: Vec<BaselineEntry>,
}

/// One accepted finding; code, path and message are there for the reviewer.
#[derive(Debug, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub code: String,
    pub path: String,
    pub message: String,
}

impl Baseline {
    pub fn of(findings: &[Finding]) -> Baseline {
        Baseline {
            schema_version: 1,
            findings: findings
                .iter()
                .map(|f| BaselineEntry {
                    fingerprint: f.fingerprint.to_string(),
                    code: f.rule.code.to_owned(),
                    path: f.location.path.to_string(),
                    message: f.message.to_string(),
                })
                .collect(),
        }
    }

    pub fn load(path: &Path) -> Result<Baseline> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read baseline {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("invalid baseline {}", path.display()))
    }

    pub fn write(&self, path: &Path) -> Result<()> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        std::fs::write(path, text)
            .with_context(|| format!("cannot write baseline {}", path.display()))
    }

    /// Marks the findings the baseline already holds.
    pub fn apply(&self, findings: &mut [Finding]) {
        let known: HashSet<&str> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        for finding in findings.iter_mut().filter(|f| f.suppression.is_none()) {
            if known.contains(finding.fingerprint.as_str()) {
                finding.suppression = Some(Box::new(Suppression {
                    source: SuppressionSource::Baseline,
                    reason: None,
                }));
            }
        }
    }
}

/// The annotation that silences rules on one object.
pub const IGNORE_ANNOTATION: &str = "rampart.dev/ignore";

/// `rampart.dev/ignore: "K104,K112 -- reason"`: codes or prefixes, then an optional reason.
#[derive(Debug, PartialEq, Eq)]
struct IgnoreAnnotation {
    codes: Vec<String>,
    reason: Option<String>,
}

/// `CODES -- reason`: codes or prefixes separated by commas or spaces, then an optional
/// reason. `None` unless every code names a rule.
fn parse_ignore_list(value: &str) -> Option<(Vec<String>, Option<String>)> {
    let (codes, reason) = match value.split_once("--") {
        Some((codes, reason)) => (
            codes,
            Some(reason.trim().to_owned()).filter(|r| !r.is_empty()),
        ),
        None => (value, None),
    };
    let codes: Vec<String> = codes
        .split([',', ' '])
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    let well_formed = !codes.is_empty() && codes.iter().all(|code| names_a_rule(code));
    well_formed.then_some((codes, reason))
}

/// The comment that silences rules on the Dockerfile instruction below it.
const IGNORE_COMMENT: &str = "rampart:ignore";

/// `# rampart:ignore D103,D104 -- reason` on a comment line of a Dockerfile: silences those
/// rules on the instruction that follows the comment block it is part of.
#[derive(Debug, PartialEq, Eq)]
struct IgnoreComment {
    /// The line of the instruction it silences: the first after its block of comment lines.
    applies_to: u32,
    codes: Vec<String>,
    reason: Option<String>,
}

impl IgnoreComment {
    /// The Dockerfile's ignore comments, and errors for those that name no rule.
    fn all(dockerfile: &Dockerfile) -> (Vec<IgnoreComment>, Vec<Diagnostic>) {
        let mut ignores = Vec::new();
        let mut errors = Vec::new();
        let comment_lines: Vec<u32> = dockerfile.comments.iter().map(|c| c.line).collect();
        for comment in &dockerfile.comments {
            let Some(value) = comment.text.strip_prefix(IGNORE_COMMENT) else {
                continue;
            };
            match parse_ignore_list(value) {
                Some((codes, reason)) => {
                    let mut applies_to = comment.line + 1;
                    while comment_lines.binary_search(&applies_to).is_ok() {
                        applies_to += 1;
                    }
                    ignores.push(IgnoreComment {
                        applies_to,
                        codes,
                        reason,
                    });
                }
                None => errors.push(Diagnostic::error(
                    dockerfile.path.to_string(),
                    Some(comment.line),
                    format!(
                        "`# {}` should list rule codes or prefixes that name rules, e.g. \
                         `# {IGNORE_COMMENT} D103,D104 -- reason`",
                        comment.text
                    ),
                )),
            }
        }
        (ignores, errors)
    }

    /// The suppression for rule `code` on the instruction at `line`.
    fn covering(ignores: &[IgnoreComment], line: u32, code: &str) -> Option<Suppression> {
        ignores
            .iter()
            .find(|i| i.applies_to == line && i.codes.iter().any(|p| code.starts_with(p.as_str())))
            .map(|ignore| Suppression {
                source: SuppressionSource::Comment,
                reason: ignore.reason.clone(),
            })
    }
}

impl IgnoreAnnotation {
    fn of(object: &Object) -> Result<Option<IgnoreAnnotation>, Diagnostic> {
        let Some(value) = object.annotation(IGNORE_ANNOTATION) else {
            return Ok(None);
        };
        let parsed = parse_ignore_list(value);
        let Some((codes, reason)) = parsed else {
            let line = object
                .metadata()
                .path(&["annotations", IGNORE_ANNOTATION])
                .map(|node| node.span.line);
            return Err(Diagnostic::error(
                object.path.to_string(),
                line,
                format!(
                    "{} {}: annotation `{IGNORE_ANNOTATION}: {value}` should list rule codes or prefixes that name rules, e.g. \"K104,K112 -- reason\"",
                    object.kind, object.name
                ),
            ));
        };
        Ok(Some(IgnoreAnnotation { codes, reason }))
    }

    fn covers(&self, code: &str) -> bool {
        self.codes
            .iter()
            .any(|prefix| code.starts_with(prefix.as_str()))
    }

    fn suppression(&self) -> Suppression {
        Suppression {
            source: SuppressionSource::Annotation,
            reason: self.reason.clone(),
        }
    }
}

/// An object that has an ignore annotation, or shares its identity and file with one that
/// has (a name defined twice).
struct Annotated<'a> {
    kind: &'a str,
    namespace: Option<&'a str>,
    name: &'a str,
    /// The line it starts at.
    line: u32,
    ignore: Option<IgnoreAnnotation>,
}

/// The ignore annotations of the objects, found again from a finding's object and place.
struct Annotations<'a> {
    /// Per file, in file order.
    by_file: HashMap<&'a str, Vec<Annotated<'a>>>,
}

impl<'a> Annotations<'a> {
    /// The objects' annotations; those that name no rule go to `errors`.
    fn of(objects: &'a [Object], errors: &mut Vec<Diagnostic>) -> Annotations<'a> {
        let parsed: Vec<Option<IgnoreAnnotation>> = objects
            .iter()
            .map(|object| {
                IgnoreAnnotation::of(object).unwrap_or_else(|error| {
                    errors.push(error);
                    None
                })
            })
            .collect();
        let identity = |o: &'a Object| (&*o.path, &*o.kind, o.namespace.as_deref(), &*o.name);
        let annotated: HashSet<_> = objects
            .iter()
            .zip(&parsed)
            .filter(|(_, ignore)| ignore.is_some())
            .map(|(object, _)| identity(object))
            .collect();
        let mut by_file: HashMap<&'a str, Vec<Annotated<'a>>> = HashMap::new();
        for (object, ignore) in objects.iter().zip(parsed) {
            if annotated.contains(&identity(object)) {
                by_file.entry(&object.path).or_default().push(Annotated {
                    kind: &object.kind,
                    namespace: object.namespace.as_deref(),
                    name: &object.name,
                    line: object.root.span.line,
                    ignore,
                });
            }
        }
        Annotations { by_file }
    }

    /// The annotation of the object `finding` is about: of those of its identity in its file,
    /// the last that starts at or before the finding's line.
    fn of_finding(&self, finding: &Finding, object: &Subject) -> Option<&IgnoreAnnotation> {
        let line = finding.location.line;
        self.by_file
            .get(&*finding.location.path)?
            .iter()
            .filter(|o| {
                o.kind == object.kind && o.namespace == object.namespace() && o.name == object.name
            })
            .take_while(|o| o.line <= line)
            .last()
            .and_then(|o| o.ignore.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use rampart_source::{Limits, parse_dockerfile, parse_text};

    use super::*;
    use crate::{Inputs, ScanOptions, Scanner};

    fn annotated(value: &str) -> Object {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    rampart.dev/ignore: {value:?}\n"
        );
        parse_text("p.yaml", &text, &Limits::default()).0.remove(0)
    }

    #[test]
    fn ignore_annotation_lists_codes_and_a_reason() {
        let ignore = IgnoreAnnotation::of(&annotated("K104, k112 -- legacy agent, ticket OPS-12"))
            .unwrap()
            .unwrap();
        assert_eq!(ignore.codes, ["K104", "K112"]);
        assert_eq!(
            ignore.reason.as_deref(),
            Some("legacy agent, ticket OPS-12")
        );
        assert!(ignore.covers("K104") && !ignore.covers("K101"));
        let prefix = IgnoreAnnotation::of(&annotated("K1")).unwrap().unwrap();
        assert!(prefix.covers("K146") && prefix.reason.is_none());
        let error = IgnoreAnnotation::of(&annotated("-- because")).unwrap_err();
        assert_eq!(error.line, Some(6));
        assert!(IgnoreAnnotation::of(&annotated("yes please!")).is_err());
        // A code that names no rule would silently suppress nothing.
        assert!(IgnoreAnnotation::of(&annotated("K999 -- typo")).is_err());
    }

    /// The findings of the rules `select` on the inventory, every suppression applied.
    fn scanned(inventory: Inventory, select: &str) -> rampart_core::Report {
        let options = ScanOptions {
            select: vec![select.to_owned()],
            ..ScanOptions::default()
        };
        let scanner = Scanner::new(Config::default(), options).unwrap();
        scanner.scan(&Inputs::from(inventory)).unwrap()
    }

    #[test]
    fn ignore_annotations_silence_their_object_only() {
        let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    rampart.dev/ignore: K101 -- vendor agent
spec:
  containers: [{name: c, image: 'a@sha256:0000000000000000000000000000000000000000000000000000000000000000', securityContext: {privileged: true}}]
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers: [{name: c, image: 'a@sha256:0000000000000000000000000000000000000000000000000000000000000000', securityContext: {privileged: true}}]
---
apiVersion: v1
kind: Pod
metadata:
  name: q
  annotations:
    rampart.dev/ignore: K999
spec:
  containers: [{name: c, image: 'a@sha256:0000000000000000000000000000000000000000000000000000000000000000', securityContext: {privileged: true}}]
";
        let (objects, errors) = parse_text("pods.yaml", text, &Limits::default());
        assert_eq!(errors, []);
        let report = scanned(Inventory::from(objects), "K101");
        let silenced: Vec<_> = report.suppressed.iter().map(|f| f.location.line).collect();
        assert_eq!(silenced, [8], "the first pod only, not its namesake");
        let reported: Vec<_> = report.findings.iter().map(|f| f.location.line).collect();
        assert_eq!(reported, [15, 24]);
        assert_eq!(report.errors.len(), 1, "K999 names no rule");
        assert_eq!(
            (report.errors[0].path.as_str(), report.errors[0].line),
            ("pods.yaml", Some(22))
        );
    }

    #[test]
    fn ignore_comments_silence_the_instruction_below_with_a_reason() {
        let text = "\
FROM alpine:3.20
# rampart:ignore D111 -- legacy build agent, ticket OPS-7
# a plain comment in the same block
RUN sudo true

RUN sudo false
# rampart:ignore D999,D1 -- typo
RUN sudo again
# rampart:ignore D1
RUN sudo more
";
        let (dockerfile, errors) = parse_dockerfile("Dockerfile", text);
        assert_eq!(errors, []);
        let dockerfile = dockerfile.unwrap();
        let (ignores, errors) = IgnoreComment::all(&dockerfile);
        assert_eq!(errors.len(), 1, "D999 names no rule");
        assert_eq!(errors[0].line, Some(7));
        assert_eq!(ignores.len(), 2);
        let suppression = IgnoreComment::covering(&ignores, 4, "D111").unwrap();
        assert_eq!(suppression.source, SuppressionSource::Comment);
        assert_eq!(
            suppression.reason.as_deref(),
            Some("legacy build agent, ticket OPS-7")
        );
        assert_eq!(IgnoreComment::covering(&ignores, 4, "D101"), None);
        assert_eq!(IgnoreComment::covering(&ignores, 6, "D111"), None);
        assert_eq!(IgnoreComment::covering(&ignores, 8, "D111"), None);
        let prefix = IgnoreComment::covering(&ignores, 10, "D111").unwrap();
        assert_eq!(prefix.reason, None);

        let report = scanned(Inventory::from(vec![dockerfile]), "D111");
        assert_eq!(report.errors.len(), 1);
        let line = |f: &Finding| f.location.line;
        let silenced: Vec<_> = report.suppressed.iter().map(line).collect();
        assert_eq!(silenced, [4, 10]);
        let reported: Vec<_> = report.findings.iter().map(line).collect();
        assert_eq!(reported, [6, 8]);
    }
}
