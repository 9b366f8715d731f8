//! Sets of integers kept as sorted, disjoint, non-adjacent inclusive ranges: the representation
//! of port sets and IPv4 address sets alike, so every operation costs time linear in the number
//! of ranges, never in the number of ports or addresses.

use std::fmt;

#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IntervalSet {
    /// Inclusive `(start, end)` pairs, sorted, with a gap of at least one between neighbours.
    ranges: Vec<(u64, u64)>,
}

impl IntervalSet {
    pub fn empty() -> IntervalSet {
        IntervalSet::default()
    }

    /// The range `start..=end`; empty when `start > end`.
    pub fn range(start: u64, end: u64) -> IntervalSet {
        let ranges = if start <= end {
            vec![(start, end)]
        } else {
            Vec::new()
        };
        IntervalSet { ranges }
    }

    pub fn ranges(&self) -> &[(u64, u64)] {
        &self.ranges
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    pub fn contains(&self, value: u64) -> bool {
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

    pub fn union(&self, other: &IntervalSet) -> IntervalSet {
        let mut all: Vec<(u64, u64)> = self.ranges.iter().chain(&other.ranges).copied().collect();
        all.sort_unstable();
        let mut ranges: Vec<(u64, u64)> = Vec::with_capacity(all.len());
        for (start, end) in all {
            match ranges.last_mut() {
                Some(last) if start <= last.1.saturating_add(1) => last.1 = last.1.max(end),
                _ => ranges.push((start, end)),
            }
        }
        IntervalSet { ranges }
    }

    pub fn intersection(&self, other: &IntervalSet) -> IntervalSet {
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

    pub fn difference(&self, other: &IntervalSet) -> IntervalSet {
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
                    ranges.push((from, o_start - 1));
                }
                if o_end >= end {
                    cursor = None;
                } else {
                    cursor = Some(o_end + 1);
                    j += 1;
                }
            }
            if let Some(from) = cursor {
                ranges.push((from, end));
            }
        }
        IntervalSet { ranges }
    }

    pub fn is_subset(&self, other: &IntervalSet) -> bool {
        self.difference(other).is_empty()
    }
}

impl fmt::Debug for IntervalSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.ranges.iter().map(|(s, e)| s..=e))
            .finish()
    }
}
