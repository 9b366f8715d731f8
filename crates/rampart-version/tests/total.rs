//! Property tests: each order is a total order on the versions it accepts (antisymmetric,
//! transitive, and equal versions compare equal to the same others).

use std::cmp::Ordering;

use proptest::prelude::*;
use rampart_version::Order;

/// Strings near every ecosystem's grammar: numbers, letters, and each order's separators.
fn version_text() -> impl Strategy<Value = String> {
    "v?[0-9]{1,3}(:[0-9]{1,2})?([.][0-9]{1,3}){0,3}([a-z]{0,2}[0-9]{0,2})?([-~^_+.](alpha|beta|rc|pre|p|r|dev|post|sp|final|ga|[a-zA-Z]{1,3})?[0-9]{0,2}){0,3}"
}

fn check(order: Order, texts: &[String]) -> Result<(), TestCaseError> {
    let mut versions: Vec<_> = texts.iter().filter_map(|t| order.parse(t).ok()).collect();
    for a in &versions {
        prop_assert_eq!(a.cmp(a), Ordering::Equal, "{} reflexive", a);
        for b in &versions {
            prop_assert_eq!(a.cmp(b), b.cmp(a).reverse(), "{}: {} vs {}", order, a, b);
        }
    }
    versions.sort();
    for (i, a) in versions.iter().enumerate() {
        for b in &versions[i + 1..] {
            prop_assert_ne!(
                a.cmp(b),
                Ordering::Greater,
                "{}: sorted {} before {}",
                order,
                a,
                b
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_order_is_total(texts in proptest::collection::vec(version_text(), 2..10)) {
        for order in Order::ALL {
            check(order, &texts)?;
        }
    }
}
