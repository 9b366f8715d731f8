use rampart_core::{Finding, ScanError, Suppression, SuppressionSource};
use rampart_k8s::{ClusterIndex, pod_template};
use rampart_source::{Inventory, Object};
use rayon::prelude::*;

use crate::{Hit, Rule, RuleOptions, Target};

/// Which rules run: codes or code prefixes (`K1`, `K101`). An empty `select` means all rules;
/// `ignore` wins over `select`.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Selection {
    pub fn includes(&self, code: &str) -> bool {
        let matches = |prefix: &String| prefix == "ALL" || code.starts_with(prefix.as_str());
        (self.select.is_empty() || self.select.iter().any(matches))
            && !self.ignore.iter().any(matches)
    }
}

/// Runs `rules` over every object of the inventory, in parallel. Returns the findings and the
/// problems found in the objects' shape (mistyped fields), which are reported as errors.
pub fn run(
    inventory: &Inventory,
    rules: &[&'static dyn Rule],
    options: &RuleOptions,
) -> (Vec<Finding>, Vec<ScanError>) {
    let cluster = ClusterIndex::new(&inventory.objects);
    let per_object: Vec<_> = inventory
        .objects
        .par_iter()
        .map(|object| check_object(object, rules, &cluster, options))
        .collect();
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    for (object_findings, object_errors) in per_object {
        findings.extend(object_findings);
        errors.extend(object_errors);
    }
    (findings, errors)
}

fn check_object(
    object: &Object,
    rules: &[&'static dyn Rule],
    cluster: &ClusterIndex<'_>,
    options: &RuleOptions,
) -> (Vec<Finding>, Vec<ScanError>) {
    let pod = pod_template(object);
    let mut errors = pod.map(|pod| pod.shape_errors()).unwrap_or_default();
    let ignore = match IgnoreAnnotation::of(object) {
        Ok(ignore) => ignore,
        Err(error) => {
            errors.push(error);
            None
        }
    };
    let target = Target {
        object,
        pod,
        cluster,
        options,
    };
    let mut findings = Vec::new();
    let mut hits = Vec::new();
    for rule in rules {
        rule.check(&target, &mut hits);
        let meta = rule.meta();
        findings.extend(hits.drain(..).map(
            |Hit {
                 pointer,
                 message,
                 severity,
             }| {
                let location = object.location(object.span_at(&pointer));
                let mut finding =
                    Finding::new(meta, message, location, Some(object.object_ref()), pointer);
                finding.severity = severity.unwrap_or(meta.severity);
                if let Some(ignore) = &ignore
                    && ignore.covers(meta.code)
                {
                    finding.suppression = Some(ignore.suppression());
                }
                finding
            },
        ));
    }
    (findings, errors)
}

/// The annotation that silences rules on one object.
pub const IGNORE_ANNOTATION: &str = "rampart.dev/ignore";

/// `rampart.dev/ignore: "K104,K112 -- reason"`: codes or prefixes, then an optional reason.
#[derive(Debug, PartialEq, Eq)]
struct IgnoreAnnotation {
    codes: Vec<String>,
    reason: Option<String>,
}

impl IgnoreAnnotation {
    fn of(object: &Object) -> Result<Option<IgnoreAnnotation>, ScanError> {
        let Some(value) = object.annotation(IGNORE_ANNOTATION) else {
            return Ok(None);
        };
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
        let well_formed = !codes.is_empty()
            && codes.iter().all(|code| {
                code.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    && code.chars().all(|c| c.is_ascii_alphanumeric())
            });
        if !well_formed {
            let line = object
                .metadata()
                .path(&["annotations", IGNORE_ANNOTATION])
                .map(|node| node.span.line);
            return Err(ScanError {
                path: object.path.to_string(),
                line,
                message: format!(
                    "{} {}: annotation `{IGNORE_ANNOTATION}: {value}` should list rule codes, e.g. \"K104,K112 -- reason\"",
                    object.kind, object.name
                ),
            });
        }
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

#[cfg(test)]
mod tests {
    use rampart_source::{Limits, parse_text};

    use super::*;

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
    }

    #[test]
    fn selection_by_prefix_with_ignore_winning() {
        let all = Selection::default();
        assert!(all.includes("K101"));
        let some = Selection {
            select: vec!["K1".into()],
            ignore: vec!["K10".into(), "K111".into()],
        };
        assert!(some.includes("K120"));
        assert!(!some.includes("K105"));
        assert!(!some.includes("K111"));
        assert!(!some.includes("D101"));
    }
}
