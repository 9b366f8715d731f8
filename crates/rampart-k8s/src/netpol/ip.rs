//! IP addresses as integers, one space per family (IPv4 and IPv6 never overlap: an IPv6 block
//! matches no IPv4 address, even `::ffff:0:0/96`), CIDRs as intervals, and the np-guard notation
//! of ranges.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::intervals::IntervalSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    pub const ALL: [Family; 2] = [Family::V4, Family::V6];

    /// The largest address of the family.
    pub fn max(self) -> u128 {
        match self {
            Family::V4 => u128::from(u32::MAX),
            Family::V6 => u128::MAX,
        }
    }

    fn bits(self) -> u32 {
        match self {
            Family::V4 => 32,
            Family::V6 => 128,
        }
    }
}

/// One address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address {
    pub family: Family,
    /// The address as an integer (an IPv4 address in the low 32 bits).
    pub value: u128,
}

impl Address {
    pub fn parse(text: &str) -> Option<Address> {
        text.parse::<IpAddr>().ok().map(Address::from)
    }
}

impl From<IpAddr> for Address {
    fn from(address: IpAddr) -> Address {
        match address {
            IpAddr::V4(v4) => Address {
                family: Family::V4,
                value: u128::from(u32::from(v4)),
            },
            IpAddr::V6(v6) => Address {
                family: Family::V6,
                value: u128::from(v6),
            },
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.family {
            // Values of the family never exceed its range.
            Family::V4 => Ipv4Addr::from(u32::try_from(self.value).unwrap_or(u32::MAX)).fmt(f),
            Family::V6 => Ipv6Addr::from(self.value).fmt(f),
        }
    }
}

/// An inclusive range of addresses of one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AddressRange {
    pub family: Family,
    pub start: u128,
    pub end: u128,
}

impl AddressRange {
    pub fn first(&self) -> Address {
        Address {
            family: self.family,
            value: self.start,
        }
    }

    fn last(&self) -> Address {
        Address {
            family: self.family,
            value: self.end,
        }
    }

    /// Parses `a.b.c.d-e.f.g.h` (or two IPv6 addresses) back into a range.
    pub fn parse(text: &str) -> Option<AddressRange> {
        // IPv6 addresses hold no `-`, so the first one splits the two ends.
        let (start, end) = text.split_once('-')?;
        let (start, end) = (Address::parse(start)?, Address::parse(end)?);
        (start.family == end.family).then_some(AddressRange {
            family: start.family,
            start: start.value,
            end: end.value,
        })
    }
}

/// `a.b.c.d-e.f.g.h`, as np-guard names an external range (IPv6 alike, with its own notation).
impl fmt::Display for AddressRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.first(), self.last())
    }
}

/// Addresses of both families.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressSet {
    v4: IntervalSet<u128>,
    v6: IntervalSet<u128>,
}

impl AddressSet {
    pub fn of_family(&self, family: Family) -> &IntervalSet<u128> {
        match family {
            Family::V4 => &self.v4,
            Family::V6 => &self.v6,
        }
    }

    /// The inclusive ranges of the set, IPv4 first.
    pub fn ranges(&self) -> impl Iterator<Item = AddressRange> + '_ {
        Family::ALL.into_iter().flat_map(move |family| {
            self.of_family(family)
                .ranges()
                .iter()
                .map(move |&(start, end)| AddressRange { family, start, end })
        })
    }

    pub fn is_empty(&self) -> bool {
        self.v4.is_empty() && self.v6.is_empty()
    }

    pub fn contains(&self, address: Address) -> bool {
        self.of_family(address.family).contains(address.value)
    }

    pub fn difference(&self, other: &AddressSet) -> AddressSet {
        AddressSet {
            v4: self.v4.difference(&other.v4),
            v6: self.v6.difference(&other.v6),
        }
    }

    pub fn is_subset(&self, other: &AddressSet) -> bool {
        self.difference(other).is_empty()
    }
}

/// The addresses of a CIDR, IPv4 (`10.0.0.0/8`) or IPv6 (`2001:db8::/32`). Host bits need not
/// be zero; the API accepts them and the block is the network they belong to.
pub fn parse_cidr(text: &str) -> Result<AddressSet, String> {
    let (address, length) = text
        .split_once('/')
        .ok_or_else(|| format!("`{text}` is not a CIDR (address/prefix-length)"))?;
    let address = Address::parse(address)
        .ok_or_else(|| format!("`{text}` is not a valid CIDR: `{address}` is no IP address"))?;
    let bits = address.family.bits();
    let length: u32 = length
        .parse()
        .ok()
        .filter(|l| *l <= bits)
        .ok_or_else(|| format!("`{text}`: the prefix length must be 0 to {bits}"))?;
    // The host part: the low `bits - length` bits.
    let host = if length == bits {
        0
    } else {
        address.family.max() >> length
    };
    let start = address.value & !host;
    let block = IntervalSet::range(start, start | host);
    let mut set = AddressSet::default();
    match address.family {
        Family::V4 => set.v4 = block,
        Family::V6 => set.v6 = block,
    }
    Ok(set)
}
