//! Property tests of range evaluation: a range of sorted `introduced`/`fixed` pairs covers
//! exactly the versions inside one of its intervals, whatever order its events are written in,
//! and `last_affected` includes its bound where `fixed` excludes it.

use proptest::prelude::*;
use rampart_version::Order;
use rampart_vulndb::affected::evaluate;
use rampart_vulndb::osv::{Affected, Event, Range, RangeKind};

fn version() -> impl Strategy<Value = String> {
    (0u8..4, 0u8..4, 0u8..4).prop_map(|(a, b, c)| format!("{a}.{b}.{c}"))
}

fn affected(events: Vec<Event>) -> Affected {
    Affected {
        package: None,
        severity: vec![],
        ranges: vec![Range {
            kind: RangeKind::Semver,
            repo: None,
            events,
        }],
        versions: vec![],
    }
}

proptest! {
    #[test]
    fn intervals_cover_what_they_bound(
        mut bounds in proptest::collection::vec(version(), 2..7),
        probe in version(),
        last in any::<bool>(),
        rotation in 0usize..7,
    ) {
        let order = Order::SemVer;
        bounds.sort_by(|a, b| order.compare(a, b).unwrap());
        bounds.dedup_by(|a, b| order.compare(a, b).unwrap().is_eq());
        if bounds.len() % 2 == 1 {
            bounds.pop();
        }
        prop_assume!(!bounds.is_empty());
        let mut events = Vec::new();
        for pair in bounds.chunks(2) {
            events.push(Event { introduced: Some(pair[0].clone()), ..Event::default() });
            events.push(if last {
                Event { last_affected: Some(pair[1].clone()), ..Event::default() }
            } else {
                Event { fixed: Some(pair[1].clone()), ..Event::default() }
            });
        }
        let p = order.parse(&probe).unwrap();
        let expected = bounds.chunks(2).any(|pair| {
            let (lo, hi) = (order.parse(&pair[0]).unwrap(), order.parse(&pair[1]).unwrap());
            p >= lo && if last { p <= hi } else { p < hi }
        });
        let len = events.len();
        events.rotate_left(rotation % len);
        let outcome = evaluate(&affected(events), Some(order), &probe);
        prop_assert!(outcome.problems.is_empty());
        prop_assert_eq!(outcome.affected, expected, "{} in {:?}", probe, bounds);
    }
}
