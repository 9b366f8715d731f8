//! IPv4 addresses as integers, CIDRs as intervals, and the np-guard notation of ranges.

use std::net::Ipv4Addr;

use super::intervals::IntervalSet;

pub const MAX_IPV4: u64 = u32::MAX as u64;

/// IPv6 blocks are accepted by the API but not analysed: they match no (IPv4) address.
pub const IPV6_IGNORED: &str = "IPv6 blocks are not analysed; this block matches nothing";

pub fn is_ipv6(text: &str) -> bool {
    text.contains(':')
}

/// The addresses of an IPv4 CIDR (`10.0.0.0/8`). Host bits need not be zero; the API accepts
/// them and the block is the network they belong to.
pub fn parse_cidr(text: &str) -> Result<IntervalSet, String> {
    let (address, length) = text
        .split_once('/')
        .ok_or_else(|| format!("`{text}` is not a CIDR (address/prefix-length)"))?;
    let length: u32 = length
        .parse()
        .ok()
        .filter(|l| *l <= 32)
        .ok_or_else(|| format!("`{text}`: the prefix length must be 0 to 32"))?;
    let address: Ipv4Addr = address
        .parse()
        .map_err(|_| format!("`{text}` is not a valid IPv4 CIDR"))?;
    let size = 1u64 << (32 - length);
    let start = u64::from(u32::from(address)) & !(size - 1);
    Ok(IntervalSet::range(start, start + size - 1))
}

/// `a.b.c.d-e.f.g.h`, as np-guard names an external range.
pub fn format_range(start: u64, end: u64) -> String {
    format!("{}-{}", to_address(start), to_address(end))
}

/// One address, `a.b.c.d`.
pub fn format_address(value: u64) -> String {
    to_address(value).to_string()
}

fn to_address(value: u64) -> Ipv4Addr {
    Ipv4Addr::from(u32::try_from(value.min(MAX_IPV4)).unwrap_or(u32::MAX))
}

/// Parses `a.b.c.d-e.f.g.h` back into its bounds.
pub fn parse_range(text: &str) -> Option<(u64, u64)> {
    let (start, end) = text.split_once('-')?;
    let start: Ipv4Addr = start.parse().ok()?;
    let end: Ipv4Addr = end.parse().ok()?;
    Some((u64::from(u32::from(start)), u64::from(u32::from(end))))
}
