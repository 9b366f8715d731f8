//! Unbounded non-negative integers, as their digits: versions carry dates, hashes and numbers
//! far beyond 64 bits, and every ecosystem orders them by value.

use std::cmp::Ordering;

/// A non-negative integer of any size: its decimal digits without leading zeros.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Num(Box<str>);

impl Num {
    /// `digits` must be ASCII digits (possibly none, which is zero).
    pub(crate) fn new(digits: &str) -> Num {
        debug_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
        Num(digits.trim_start_matches('0').into())
    }

    pub(crate) fn zero() -> Num {
        Num("".into())
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.0.is_empty()
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Num) -> Ordering {
        cmp_digits(&self.0, &other.0)
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Num) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Compares two runs of ASCII digits by value, whatever their length or leading zeros.
pub(crate) fn cmp_digits(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Whether `s` is one or more ASCII digits.
pub(crate) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_compare_by_value() {
        assert_eq!(cmp_digits("010", "9"), Ordering::Greater);
        assert_eq!(cmp_digits("000", ""), Ordering::Equal);
        assert_eq!(
            cmp_digits(
                "999999999999999999999999999991",
                "999999999999999999999999999999"
            ),
            Ordering::Less
        );
        assert!(Num::new("0007").cmp(&Num::new("7")).is_eq());
        assert!(Num::new("00").is_zero());
    }
}
