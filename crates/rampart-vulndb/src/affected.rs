//! Whether an OSV `affected` entry covers a version, exactly as the OSV schema evaluates it:
//! each range's events sorted in the range's order, `introduced` opening, `fixed` and
//! `last_affected` closing, `limit` capping, several ranges joined, and the `versions` list
//! matched one by one.
//!
//! `GIT` ranges order commits, not versions: without the repository's history a version cannot
//! be placed among them, so they match nothing by themselves; OSV lists the tags they cover in
//! `versions`, and those match.

use std::cell::OnceCell;
use std::cmp::Ordering;

use rampart_version::{Invalid, Order, Version};

use crate::osv::{Affected, Event, Range, RangeKind};

/// The verdict of one `affected` entry on one version.
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub affected: bool,
    /// For an affected version: the first fixed version after it in each range that covers it.
    pub fixed: Vec<String>,
    /// Ranges that could not be evaluated (a version not valid in the range's order, an
    /// ecosystem without a known order); the entry may cover the version through them.
    pub problems: Vec<String>,
}

/// A range bound: `introduced: "0"` is below every version, `limit: "*"` above.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Bound {
    Zero,
    At(Version),
    Infinity,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
enum Kind {
    Introduced,
    Fixed,
    LastAffected,
    Limit,
}

fn event(event: &Event) -> Option<(Kind, &str)> {
    [
        (Kind::Introduced, &event.introduced),
        (Kind::Fixed, &event.fixed),
        (Kind::LastAffected, &event.last_affected),
        (Kind::Limit, &event.limit),
    ]
    .into_iter()
    .find_map(|(kind, value)| value.as_deref().map(|v| (kind, v)))
}

/// Evaluates `affected` for `version`, with `order` the version order of the package's
/// ecosystem (`None` when rampart knows none).
pub fn evaluate(affected: &Affected, order: Option<Order>, version: &str) -> Outcome {
    Compiled::new(affected, order).evaluate(&Probe::new(version, order))
}

/// A version to evaluate, parsed once in each order it meets: the ecosystem's, and SemVer for
/// `SEMVER` ranges.
pub struct Probe<'a> {
    text: &'a str,
    ecosystem: Option<Result<Version, Invalid>>,
    semver: OnceCell<Result<Version, Invalid>>,
}

impl<'a> Probe<'a> {
    pub fn new(text: &'a str, order: Option<Order>) -> Probe<'a> {
        Probe {
            text,
            ecosystem: order.map(|o| o.parse(text)),
            semver: OnceCell::new(),
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The version in the ecosystem's order, when it has one and the version is valid in it.
    pub fn version(&self) -> Option<&Version> {
        self.ecosystem.as_ref()?.as_ref().ok()
    }

    /// Ranges compare in the ecosystem's order, or in SemVer.
    fn in_order(&self, order: Order) -> &Result<Version, Invalid> {
        match &self.ecosystem {
            Some(parsed) if parsed_in(parsed, order) => parsed,
            _ => self.semver.get_or_init(|| Order::SemVer.parse(self.text)),
        }
    }
}

fn parsed_in(parsed: &Result<Version, Invalid>, order: Order) -> bool {
    match parsed {
        Ok(v) => v.order() == order,
        Err(e) => e.order == order,
    }
}

/// An `affected` entry with its events and listed versions parsed once, to evaluate any number
/// of versions against.
#[derive(Debug)]
pub struct Compiled {
    /// The listed versions valid in the ecosystem's order, sorted: some records list
    /// thousands, and every evaluation looks one up.
    listed: Vec<Version>,
    /// Listed versions the order refuses (all of them without an order): matched by text.
    unparsed: Vec<String>,
    ranges: Vec<Result<Interval, String>>,
}

/// A range's events, sorted, in the order the range compares.
#[derive(Debug)]
struct Interval {
    order: Order,
    events: Vec<(Bound, Kind)>,
}

impl Compiled {
    pub fn new(affected: &Affected, order: Option<Order>) -> Compiled {
        let mut listed = Vec::new();
        let mut unparsed = Vec::new();
        for text in &affected.versions {
            match order.map(|o| o.parse(text)) {
                Some(Ok(version)) => listed.push(version),
                _ => unparsed.push(text.clone()),
            }
        }
        listed.sort();
        let ranges = affected
            .ranges
            .iter()
            .filter_map(|range| {
                let range_order = match range.kind {
                    RangeKind::Git => return None,
                    RangeKind::Semver => Order::SemVer,
                    RangeKind::Ecosystem => match order {
                        Some(order) => order,
                        None => {
                            return Some(Err(
                                "the ecosystem has no version order rampart knows".to_owned()
                            ));
                        }
                    },
                };
                Some(Interval::new(range, range_order))
            })
            .collect();
        Compiled {
            listed,
            unparsed,
            ranges,
        }
    }

    /// The verdict on `probe`.
    pub fn evaluate(&self, probe: &Probe<'_>) -> Outcome {
        let mut outcome = Outcome::default();
        let same_text = |text: &str| text == probe.text;
        outcome.affected = match probe.version() {
            Some(version) => {
                self.listed.binary_search(version).is_ok()
                    || self.unparsed.iter().any(|t| same_text(t))
            }
            None => self
                .listed
                .iter()
                .map(Version::as_str)
                .chain(self.unparsed.iter().map(String::as_str))
                .any(same_text),
        };
        for range in &self.ranges {
            let interval = match range {
                Ok(interval) => interval,
                Err(problem) => {
                    outcome.problems.push(problem.clone());
                    continue;
                }
            };
            let version = match probe.in_order(interval.order) {
                Ok(version) => version,
                Err(invalid) => {
                    outcome.problems.push(invalid.to_string());
                    continue;
                }
            };
            if let Some(fixed) = interval.covers(version) {
                outcome.affected = true;
                outcome.fixed.extend(fixed.map(str::to_owned));
            }
        }
        outcome.fixed.sort();
        outcome.fixed.dedup();
        outcome
    }
}

impl Interval {
    fn new(range: &Range, order: Order) -> Result<Interval, String> {
        let mut events = Vec::with_capacity(range.events.len());
        for e in &range.events {
            let Some((kind, text)) = event(e) else {
                continue;
            };
            let bound = match (kind, text) {
                (Kind::Introduced, "0") => Bound::Zero,
                (Kind::Limit, "*") => Bound::Infinity,
                _ => Bound::At(
                    order
                        .parse(text)
                        .map_err(|e| format!("a range event is invalid: {e}"))?,
                ),
            };
            events.push((bound, kind));
        }
        // Sorted by version; at one version, the order of the kinds above.
        events.sort();
        Ok(Interval { order, events })
    }

    /// `Some(first fixed version after it, if any)` when the range covers `version`.
    fn covers(&self, version: &Version) -> Option<Option<&str>> {
        let at = |bound: &Bound| match bound {
            Bound::Zero => Ordering::Greater,
            Bound::Infinity => Ordering::Less,
            Bound::At(v) => version.cmp(v),
        };
        let mut affected = false;
        for (bound, kind) in &self.events {
            match kind {
                Kind::Introduced if at(bound).is_ge() => affected = true,
                Kind::Fixed if at(bound).is_ge() => affected = false,
                Kind::LastAffected if at(bound).is_gt() => affected = false,
                _ => {}
            }
        }
        let mut limits = self
            .events
            .iter()
            .filter(|(_, kind)| *kind == Kind::Limit)
            .peekable();
        if limits.peek().is_some() && !limits.any(|(limit, _)| at(limit).is_lt()) {
            affected = false;
        }
        if !affected {
            return None;
        }
        Some(self.events.iter().find_map(|(bound, kind)| match bound {
            Bound::At(fixed) if *kind == Kind::Fixed && at(bound).is_lt() => Some(fixed.as_str()),
            _ => None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osv::Package;

    fn ev(kind: &str, v: &str) -> Event {
        let mut e = Event::default();
        let value = Some(v.to_owned());
        match kind {
            "introduced" => e.introduced = value,
            "fixed" => e.fixed = value,
            "last_affected" => e.last_affected = value,
            _ => e.limit = value,
        }
        e
    }

    fn range(kind: RangeKind, events: &[(&str, &str)]) -> Range {
        Range {
            kind,
            repo: (kind == RangeKind::Git).then(|| "https://example.com/repo".to_owned()),
            events: events.iter().map(|(k, v)| ev(k, v)).collect(),
        }
    }

    fn affected(ranges: Vec<Range>, versions: &[&str]) -> Affected {
        Affected {
            package: Some(Package {
                ecosystem: "PyPI".into(),
                name: "demo".into(),
                purl: None,
            }),
            severity: vec![],
            ranges,
            versions: versions.iter().map(|v| (*v).to_owned()).collect(),
        }
    }

    fn hits(a: &Affected, order: Order, versions: &[&str]) -> Vec<bool> {
        versions
            .iter()
            .map(|v| evaluate(a, Some(order), v).affected)
            .collect()
    }

    #[test]
    fn introduced_and_fixed_bound_a_half_open_interval() {
        let a = affected(
            vec![range(
                RangeKind::Ecosystem,
                &[("introduced", "1.0"), ("fixed", "1.4")],
            )],
            &[],
        );
        assert_eq!(
            hits(
                &a,
                Order::Pep440,
                &["0.9", "1.0", "1.0.0", "1.3.99", "1.4rc1", "1.4", "2.0"]
            ),
            [false, true, true, true, true, false, false]
        );
        assert_eq!(evaluate(&a, Some(Order::Pep440), "1.2").fixed, ["1.4"]);
    }

    #[test]
    fn last_affected_is_inclusive() {
        let a = affected(
            vec![range(
                RangeKind::Ecosystem,
                &[("introduced", "0"), ("last_affected", "2.1")],
            )],
            &[],
        );
        assert_eq!(
            hits(
                &a,
                Order::Pep440,
                &["0.0.1", "2.1", "2.1.0", "2.1.post1", "2.2"]
            ),
            [true, true, true, false, false]
        );
        // A last_affected range names no fix.
        assert!(evaluate(&a, Some(Order::Pep440), "1.0").fixed.is_empty());
    }

    #[test]
    fn unsorted_events_and_several_intervals_in_one_range() {
        // Written out of order: the evaluation sorts them first.
        let a = affected(
            vec![range(
                RangeKind::Ecosystem,
                &[
                    ("fixed", "2.0.5"),
                    ("introduced", "3.0.0"),
                    ("introduced", "2.0.0"),
                    ("fixed", "3.1.2"),
                ],
            )],
            &[],
        );
        assert_eq!(
            hits(
                &a,
                Order::SemVer,
                &[
                    "1.9.9", "2.0.0", "2.0.4", "2.0.5", "2.9.9", "3.0.0", "3.1.1", "3.1.2"
                ]
            ),
            [false, true, true, false, false, true, true, false]
        );
        assert_eq!(evaluate(&a, Some(Order::SemVer), "3.0.1").fixed, ["3.1.2"]);
        assert_eq!(evaluate(&a, Some(Order::SemVer), "2.0.1").fixed, ["2.0.5"]);
    }

    #[test]
    fn several_ranges_join() {
        let a = affected(
            vec![
                range(
                    RangeKind::Ecosystem,
                    &[("introduced", "1.0"), ("fixed", "1.1")],
                ),
                range(
                    RangeKind::Ecosystem,
                    &[("introduced", "2.0"), ("fixed", "2.2")],
                ),
            ],
            &[],
        );
        assert_eq!(
            hits(&a, Order::Pep440, &["1.0", "1.1", "1.5", "2.1", "2.2"]),
            [true, false, false, true, false]
        );
    }

    #[test]
    fn limit_caps_every_interval() {
        let a = affected(
            vec![range(
                RangeKind::Semver,
                &[("introduced", "0"), ("limit", "1.5.0")],
            )],
            &[],
        );
        assert_eq!(
            hits(&a, Order::Pep440, &["1.0.0", "1.4.9", "1.5.0", "9.0.0"]),
            [true, true, false, false]
        );
        let unlimited = affected(
            vec![range(
                RangeKind::Semver,
                &[("introduced", "1.0.0"), ("limit", "*")],
            )],
            &[],
        );
        assert_eq!(
            hits(&unlimited, Order::SemVer, &["0.9.0", "1.0.0", "99.0.0"]),
            [false, true, true]
        );
    }

    #[test]
    fn semver_ranges_use_semver_whatever_the_ecosystem() {
        // In PEP 440 `1.0.0-rc.1` is 1.0.0rc1; in SemVer it is the pre-release of 1.0.0 too,
        // but `1.0.0-1` is a pre-release in SemVer and a post-release in PEP 440.
        let a = affected(
            vec![range(
                RangeKind::Semver,
                &[("introduced", "0"), ("fixed", "1.0.0")],
            )],
            &[],
        );
        assert!(evaluate(&a, Some(Order::Pep440), "1.0.0-1").affected);
        let b = affected(
            vec![range(
                RangeKind::Ecosystem,
                &[("introduced", "0"), ("fixed", "1.0.0")],
            )],
            &[],
        );
        assert!(!evaluate(&b, Some(Order::Pep440), "1.0.0-1").affected);
    }

    #[test]
    fn the_versions_list_matches_in_the_ecosystems_equality() {
        let a = affected(vec![], &["1.2", "1.3.0"]);
        assert_eq!(
            hits(&a, Order::Pep440, &["1.2", "1.2.0", "1.3", "1.4"]),
            [true, true, true, false]
        );
    }

    #[test]
    fn long_unsorted_versions_lists_match_in_order_and_by_text_when_refused() {
        // Listed in no order, with a version PEP 440 refuses: valid ones are found by their
        // value (binary search over the sorted list), refused ones by their text only.
        let listed: Vec<String> = (0..300)
            .rev()
            .map(|n| format!("1.{n}"))
            .chain(["2.0-legacy.x".to_owned()])
            .collect();
        let listed: Vec<&str> = listed.iter().map(String::as_str).collect();
        let a = affected(vec![], &listed);
        assert_eq!(
            hits(
                &a,
                Order::Pep440,
                &["1.0", "1.150.0", "1.299", "1.300", "2.0-legacy.x", "2.0"]
            ),
            [true, true, true, false, true, false]
        );
    }

    #[test]
    fn git_ranges_match_only_through_their_listed_versions() {
        let a = affected(
            vec![range(
                RangeKind::Git,
                &[("introduced", "0"), ("fixed", "abc123")],
            )],
            &["v1.0.0"],
        );
        assert!(evaluate(&a, Some(Order::SemVer), "v1.0.0").affected);
        assert!(!evaluate(&a, Some(Order::SemVer), "v0.9.0").affected);
    }

    #[test]
    fn invalid_versions_are_problems_not_verdicts() {
        let a = affected(
            vec![range(
                RangeKind::Ecosystem,
                &[("introduced", "0"), ("fixed", "2.0")],
            )],
            &[],
        );
        let outcome = evaluate(&a, Some(Order::Pep440), "not a version");
        assert!(!outcome.affected);
        assert_eq!(outcome.problems.len(), 1, "{outcome:?}");
        assert!(outcome.problems[0].contains("not a valid PEP 440 version"));
        let bad_event = affected(
            vec![range(
                RangeKind::Ecosystem,
                &[("introduced", "0"), ("fixed", "2.0 final")],
            )],
            &[],
        );
        let outcome = evaluate(&bad_event, Some(Order::Pep440), "1.0");
        assert!(outcome.problems[0].contains("range event"), "{outcome:?}");
        let unknown = evaluate(&a, None, "1.0");
        assert!(!unknown.affected);
        assert_eq!(unknown.problems.len(), 1);
    }
}
