use rampart_core::{Finding, ScanError};
use rampart_k8s::pod_template;
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
    let per_object: Vec<_> = inventory
        .objects
        .par_iter()
        .map(|object| check_object(object, rules, options))
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
    options: &RuleOptions,
) -> (Vec<Finding>, Vec<ScanError>) {
    let pod = pod_template(object);
    let errors = pod.map(|pod| pod.shape_errors()).unwrap_or_default();
    let target = Target {
        object,
        pod,
        options,
    };
    let mut findings = Vec::new();
    let mut hits = Vec::new();
    for rule in rules {
        rule.check(&target, &mut hits);
        let meta = rule.meta();
        findings.extend(hits.drain(..).map(|Hit { pointer, message }| {
            let location = object.location(object.span_at(&pointer));
            Finding::new(meta, message, location, Some(object.object_ref()), pointer)
        }));
    }
    (findings, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

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
