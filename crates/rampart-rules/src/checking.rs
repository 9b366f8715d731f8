//! The one path from a target to its findings, for every kind: the rules' hits, the precedence
//! step, and each remaining hit made a finding; and running it over a kind's inputs in
//! parallel.

use std::borrow::Cow;

use rampart_core::{Diagnostic, Finding, RuleMeta, Texts, fingerprint};
use rayon::prelude::*;

use crate::{Hit, Kind, RuleOf};

/// Pairs of (specific, general) rules that can report the same field. Where both run and
/// both hit it, only the specific rule's finding is kept (see [`check`]).
pub(crate) static PRECEDENCE: &[(&str, &str)] = &[
    // A runtime socket or `/etc` is a hostPath, ranked and explained.
    ("K143", "K106"),
    // SYS_ADMIN is a capability beyond the default set, with what it allows.
    ("K144", "K105"),
    // A missing `drop: [ALL]` that keeps NET_RAW is told as the NET_RAW problem it causes.
    ("K149", "K120"),
    // `latest` is also unpinned; one fix (a digest) settles both.
    ("K137", "K138"),
    ("D102", "D103"),
    // "Runs as root, because of its image" is the definite form of "may run as root".
    ("K153", "K117"),
    // Environment variables and kubeconfig credentials have rules of their own.
    ("K142", "S106"),
    ("K486", "S106"),
    // A full administrator holds every IAM write and every escalation method: one finding.
    ("C101", "C102"),
    ("C101", "C103"),
    ("C101", "C104"),
    ("C101", "C105"),
    ("C101", "C106"),
    // An endpoint open to every address is the worse form of a public endpoint.
    ("C601", "C602"),
    // A rule open on every port is reported as that, not port by port.
    ("C404", "C401"),
];

/// Inputs checked in parallel before their findings are moved into the kind's vector: bounds
/// the findings held twice (in each input's vector and the kind's) to a batch's.
const BATCH: usize = 1024;

/// Runs the rules of one kind over each of its inputs, in parallel, in input order.
pub(crate) fn each<I: Sync>(
    inputs: &[I],
    check: impl Fn(&I) -> (Vec<Finding>, Vec<Diagnostic>) + Send + Sync,
) -> (Vec<Finding>, Vec<Diagnostic>) {
    // One vector grows for the whole kind. Joining vectors grown by each worker freed the
    // larger part of ten megabytes at once, and glibc then raises its mmap threshold to that
    // size: every later block under it came from the heap and stayed there once freed (the
    // 10k-workload scan peaked 12 MB higher).
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    for batch in inputs.chunks(BATCH) {
        let checked: Vec<_> = batch.par_iter().map(&check).collect();
        for (more, more_errors) in checked {
            findings.extend(more);
            errors.extend(more_errors);
        }
    }
    (findings, errors)
}

/// `first` followed by `then`, moving the shorter of the two: joining the kinds' findings
/// copies the fewest.
pub(crate) fn joined<T>(mut first: Vec<T>, mut then: Vec<T>) -> Vec<T> {
    if first.len() >= then.len() {
        first.reserve_exact(then.len());
        first.extend(then);
        first
    } else {
        then.reserve_exact(first.len());
        then.splice(..0, first);
        then
    }
}

/// The one path from a target to its findings, for every kind: runs `rules` on `target`,
/// drops the hits that a more specific rule's hit supersedes, and makes a finding of each
/// other with the subject, location and fingerprint the kind gives it.
pub fn check<K: Kind>(
    target: &K::Target<'_>,
    rules: &[&'static dyn RuleOf<K>],
    texts: &Texts,
) -> Vec<Finding> {
    let mut hits: Vec<(&'static RuleMeta, Hit)> = Vec::new();
    let mut rule_hits = Vec::new();
    for rule in rules {
        rule.check(target, &mut rule_hits);
        hits.extend(rule_hits.drain(..).map(|hit| (rule.meta(), hit)));
    }
    without_superseded(hits)
        .map(|(meta, hit)| finding::<K>(target, meta, hit, texts))
        .collect()
}

fn finding<K: Kind>(
    target: &K::Target<'_>,
    meta: &'static RuleMeta,
    hit: Hit,
    texts: &Texts,
) -> Finding {
    let subject = K::subject(target, &hit);
    let location = K::location(target, &hit);
    let identity = match &hit.identity {
        Some(identity) => Cow::Borrowed(identity.as_str()),
        None => K::field_identity(target, &hit.pointer),
    };
    let fingerprint = fingerprint(meta.code, &subject, &identity);
    drop(identity);
    Finding {
        rule: meta,
        severity: hit.severity.unwrap_or(meta.severity),
        message: texts.share(hit.message),
        location,
        subject,
        pointer: texts.share(hit.pointer),
        fingerprint,
        suppression: None,
        evidence: hit.evidence,
        vulnerability: hit.vulnerability,
    }
}

/// Drops a general rule's hit where a more specific rule (see [`PRECEDENCE`]) hit the same
/// field, or one inside or around it: one problem gives one finding, the most telling one.
/// Decided here, after selection, so a general rule reports everything when the specific one
/// does not run.
fn without_superseded(
    hits: Vec<(&'static RuleMeta, Hit)>,
) -> impl Iterator<Item = (&'static RuleMeta, Hit)> {
    let superseded = superseded(&hits, |hit| &hit.pointer);
    hits.into_iter()
        .zip(superseded)
        .filter_map(|(hit, superseded)| (!superseded).then_some(hit))
}

/// For each hit, whether a more specific rule's hit covers the same place (`pointer_of`).
fn superseded<H>(hits: &[(&'static RuleMeta, H)], pointer_of: impl Fn(&H) -> &str) -> Vec<bool> {
    hits.iter()
        .map(|(meta, hit)| {
            PRECEDENCE
                .iter()
                .filter(|(_, general)| *general == meta.code)
                .any(|(specific, _)| {
                    hits.iter().any(|(other, other_hit)| {
                        other.code == *specific
                            && pointers_overlap(pointer_of(other_hit), pointer_of(hit))
                    })
                })
        })
        .collect()
}

/// Whether one pointer is the other or lies inside it, token by token.
fn pointers_overlap(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long.strip_prefix(short)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_keeps_input_order_whichever_side_is_moved() {
        assert_eq!(joined(vec![1, 2, 3], vec![4]), [1, 2, 3, 4]);
        assert_eq!(joined(vec![1], vec![2, 3, 4]), [1, 2, 3, 4]);
        assert_eq!(joined(Vec::new(), vec![1]), [1]);
        assert_eq!(joined(vec![1], Vec::new()), [1]);
    }

    #[test]
    fn overlapping_pointers_share_a_token_prefix() {
        assert!(pointers_overlap(
            "/spec/volumes/0/hostPath",
            "/spec/volumes/0/hostPath"
        ));
        assert!(pointers_overlap(
            "/spec/volumes/0",
            "/spec/volumes/0/hostPath"
        ));
        assert!(pointers_overlap(
            "/spec/volumes/0/hostPath",
            "/spec/volumes/0"
        ));
        assert!(!pointers_overlap(
            "/spec/volumes/1",
            "/spec/volumes/10/hostPath"
        ));
        assert!(!pointers_overlap(
            "/spec/volumes/0/hostPath",
            "/spec/volumes/1/hostPath"
        ));
    }
}
