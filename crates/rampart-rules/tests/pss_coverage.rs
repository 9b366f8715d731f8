//! Every Pod Security Standards check is covered by a rule, so a check added upstream (and to
//! `rampart_k8s::pss`) cannot go unreported by `rampart scan`.

use std::collections::BTreeSet;

use rampart_k8s::pss::{CHECKS, check_meta};
use rampart_rules::registry;

#[test]
fn every_pss_check_is_referenced_by_a_rule() {
    let referenced: BTreeSet<&str> = registry()
        .iter()
        .flat_map(|rule| rule.meta().references.pss.iter().copied())
        .collect();
    let uncovered: Vec<&str> = CHECKS
        .iter()
        .map(|check| check.id)
        .filter(|id| !referenced.contains(id))
        .collect();
    assert!(
        uncovered.is_empty(),
        "Pod Security Standards checks no rule references in `references.pss`: {uncovered:?}"
    );
}

#[test]
fn every_pss_reference_names_a_check() {
    for rule in registry() {
        let meta = rule.meta();
        for id in meta.references.pss {
            let check =
                check_meta(id).unwrap_or_else(|| panic!("{}: unknown PSS check `{id}`", meta.code));
            assert_eq!(
                check.id, *id,
                "{}: spell `{id}` as upstream does",
                meta.code
            );
        }
    }
}
