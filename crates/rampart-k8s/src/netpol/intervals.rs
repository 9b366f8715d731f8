//! Sets of integers kept as sorted, disjoint, non-adjacent inclusive ranges: the representation
//! of port sets (`u64`) and IPv4 and IPv6 address sets (`u128`) alike, so every operation costs
//! time linear in the number of ranges, never in the number of ports or addresses.

use std::fmt;
use std::hash::Hash;

/// The integers an [`IntervalSet`] holds.
pub trait Bound: Copy + Ord + Hash + Default + fmt::Debug {
    /// The next integer, or this one at the top of the type.
    fn saturating_next(self) -> Self;
    /// The previous integer; only called above the bottom of the type.
    fn previous(self) -> Self;
}

macro_rules! bound {
    ($($t:ty),*) => {$(
        impl Bound for $t {
            fn saturating_next(self) -> Self {
                self.saturating_add(1)
            }
            fn previous(self) -> Self {
                self - 1
            }
        }
    )*};
}
bound!(u64, u128);

#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IntervalSet<T: Bound = u64> {
    /// Inclusive `(start, end)` pairs, sorted, with a gap of at least one between neighbours.
    ranges: Vec<(T, T)>,
}

impl<T: Bound> IntervalSet<T> {
    pub fn empty() -> Self {
        IntervalSet { ranges: Vec::new() }
    }

    /// The range `start..=end`; empty when `start > end`.
    pub fn range(start: T, end: T) -> Self {
        let ranges = if start <= end {
            vec![(start, end)]
        } else {
            Vec::new()
        };
        IntervalSet { ranges }
    }

    pub fn ranges(&self) -> &[(T, T)] {
        &self.ranges
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    pub fn contains(&self, value: T) -> bool {
        self.ranges
            .binary_search_by(|&(start, end)| {
                if end < value {
                    std::cmp::Ordering::Less
                } else if start > value {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
    }

    pub fn union(&self, other: &Self) -> Self {
        let mut all: Vec<(T, T)> = self.ranges.iter().chain(&other.ranges).copied().collect();
        all.sort_unstable();
        let mut ranges: Vec<(T, T)> = Vec::with_capacity(all.len());
        for (start, end) in all {
            match ranges.last_mut() {
                Some(last) if start <= last.1.saturating_next() => last.1 = last.1.max(end),
                _ => ranges.push((start, end)),
            }
        }
        IntervalSet { ranges }
    }

    pub fn intersection(&self, other: &Self) -> Self {
        let (mut i, mut j) = (0, 0);
        let mut ranges = Vec::new();
        while i < self.ranges.len() && j < other.ranges.len() {
            let (a_start, a_end) = self.ranges[i];
            let (b_start, b_end) = other.ranges[j];
            let start = a_start.max(b_start);
            let end = a_end.min(b_end);
            if start <= end {
                ranges.push((start, end));
            }
            if a_end < b_end {
                i += 1;
            } else {
                j += 1;
            }
        }
        IntervalSet { ranges }
    }

    pub fn difference(&self, other: &Self) -> Self {
        let mut ranges = Vec::new();
        let mut j = 0;
        for &(start, end) in &self.ranges {
            // The first value of this range not yet known to be removed; `None` once all is.
            let mut cursor = Some(start);
            while let (Some(from), Some(&(o_start, o_end))) = (cursor, other.ranges.get(j)) {
                if o_end < from {
                    j += 1;
                    continue;
                }
                if o_start > end {
                    break;
                }
                if o_start > from {
                    ranges.push((from, o_start.previous()));
                }
                if o_end >= end {
                    cursor = None;
                } else {
                    cursor = Some(o_end.saturating_next());
                    j += 1;
                }
            }
            if let Some(from) = cursor {
                ranges.push((from, end));
            }
        }
        IntervalSet { ranges }
    }

    pub fn is_subset(&self, other: &Self) -> bool {
        self.difference(other).is_empty()
    }
}

impl<T: Bound> fmt::Debug for IntervalSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.ranges.iter().map(|(s, e)| s..=e))
            .finish()
    }
}
