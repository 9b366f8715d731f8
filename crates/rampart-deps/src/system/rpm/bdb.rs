//! Just enough of Berkeley DB's hash access method to read rpm's `Packages` (rpm before 4.16:
//! RHEL 7 and 8, CentOS, Amazon Linux 2): page 0 is the hash metadata (magic `0x061561`, page
//! size, last page), each hash page holds key/data items in turns, and the data of a package
//! (its header) lies on a chain of overflow pages when it is larger than a page would hold.
//! Every page is bounded by the file and each overflow page is read at most once.

use std::collections::HashSet;

const HASH_MAGIC: u32 = 0x0006_1561;
const PAGE_HEADER: usize = 26;
/// Page types: a hash bucket (sorted or not), an overflow page.
const HASH_UNSORTED: u8 = 2;
const HASH: u8 = 13;
const OVERFLOW: u8 = 7;
/// Item types on hash pages: data inline, data on overflow pages.
const KEY_DATA: u8 = 1;
const OFF_PAGE: u8 = 3;

/// The header blobs of a `Packages` database, in page order.
pub(crate) fn package_blobs(file: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let little = read_u32(file, 12, true) == Some(HASH_MAGIC);
    if !little && read_u32(file, 12, false) != Some(HASH_MAGIC) {
        return Err("not a Berkeley DB hash database".to_owned());
    }
    let u32_at = |bytes: &[u8], at: usize| read_u32(bytes, at, little);
    let u16_at = |bytes: &[u8], at: usize| {
        let b = bytes.get(at..at + 2)?;
        Some(if little {
            u16::from_le_bytes([b[0], b[1]])
        } else {
            u16::from_be_bytes([b[0], b[1]])
        })
    };
    let page_size = u32_at(file, 20).ok_or("a truncated metadata page")? as usize;
    if !page_size.is_power_of_two() || !(512..=65_536).contains(&page_size) {
        return Err(format!("a page size of {page_size}"));
    }
    let last = u32_at(file, 32).ok_or("a truncated metadata page")? as usize;
    let page = |number: usize| -> Result<&[u8], String> {
        let start = number.checked_mul(page_size).ok_or("a page number")?;
        file.get(start..start + page_size)
            .ok_or_else(|| format!("page {number} is past the end of the file"))
    };
    let mut blobs = Vec::new();
    let mut used = HashSet::new();
    for number in 1..=last {
        let bucket = page(number)?;
        if !matches!(bucket[25], HASH | HASH_UNSORTED) {
            continue;
        }
        let entries = usize::from(u16_at(bucket, 20).unwrap_or_default());
        // Items alternate key, data; a key of zero holds rpm's next instance number.
        for pair in 0..entries / 2 {
            let offset = |index: usize| -> Result<usize, String> {
                let at = PAGE_HEADER + 2 * index;
                let offset = usize::from(u16_at(bucket, at).ok_or("an item index past its page")?);
                (offset < page_size)
                    .then_some(offset)
                    .ok_or_else(|| format!("an item of page {number} points outside it"))
            };
            let key = offset(2 * pair)?;
            if bucket[key] == KEY_DATA && u32_at(bucket, key + 1) == Some(0) {
                continue;
            }
            let data = offset(2 * pair + 1)?;
            match bucket[data] {
                OFF_PAGE => {
                    let first = u32_at(bucket, data + 4).ok_or("a truncated item")? as usize;
                    let length = u32_at(bucket, data + 8).ok_or("a truncated item")? as usize;
                    blobs.push(overflow(first, length, &page, &mut used, &u16_at, &u32_at)?);
                }
                KEY_DATA => {
                    // Inline: items fill the page from its end, so the data item runs up to
                    // its key.
                    let end = key.max(data + 1);
                    blobs.push(bucket[data + 1..end].to_vec());
                }
                other => return Err(format!("an item of type {other} on page {number}")),
            }
        }
    }
    Ok(blobs)
}

/// The `length` bytes of a chain of overflow pages starting at `first`.
fn overflow<'a>(
    first: usize,
    length: usize,
    page: &impl Fn(usize) -> Result<&'a [u8], String>,
    used: &mut HashSet<usize>,
    u16_at: &impl Fn(&[u8], usize) -> Option<u16>,
    u32_at: &impl Fn(&[u8], usize) -> Option<u32>,
) -> Result<Vec<u8>, String> {
    let mut blob = Vec::with_capacity(length.min(64 * 1024 * 1024));
    let mut next = first;
    while blob.len() < length {
        if next == 0 || !used.insert(next) {
            return Err(format!("the overflow chain from page {first} is broken"));
        }
        let bytes = page(next)?;
        if bytes[25] != OVERFLOW {
            return Err(format!("page {next} is not an overflow page"));
        }
        // On overflow pages the header's free-space offset holds the length used.
        let here = usize::from(u16_at(bytes, 22).unwrap_or_default());
        let chunk = bytes
            .get(PAGE_HEADER..PAGE_HEADER + here)
            .ok_or("an overflow page overruns")?;
        blob.extend_from_slice(chunk);
        next = u32_at(bytes, 16).unwrap_or_default() as usize;
    }
    blob.truncate(length);
    Ok(blob)
}

fn read_u32(bytes: &[u8], at: usize, little: bool) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(if little {
        u32::from_le_bytes(b)
    } else {
        u32::from_be_bytes(b)
    })
}
