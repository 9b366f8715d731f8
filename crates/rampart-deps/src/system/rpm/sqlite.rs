//! Just enough of the SQLite file format (sqlite.org/fileformat2.html) to read rpm's
//! `rpmdb.sqlite`: the schema table on page 1 gives the root page of the `Packages` table,
//! whose b-tree leaves hold rows `(hnum, blob)`; a row larger than a page continues on
//! overflow pages. Every page number and length is checked against the file, and each page is
//! visited at most once, so a corrupt or hostile file ends in an error, not a loop.

use std::collections::HashSet;

/// The header blobs of the `Packages` table, in row order.
pub(crate) fn package_blobs(file: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let db = Database::open(file)?;
    let schema = db.rows(1)?;
    let root = schema
        .iter()
        .find_map(|row| {
            let values = record(row).ok()?;
            let is_table = matches!(values.first(), Some(Value::Text(t)) if t == b"table");
            let named = matches!(values.get(1), Some(Value::Text(t)) if t == b"Packages");
            match values.get(3) {
                Some(Value::Int(page)) if is_table && named => u32::try_from(*page).ok(),
                _ => None,
            }
        })
        .ok_or("no Packages table")?;
    let mut blobs = Vec::new();
    for row in db.rows(root)? {
        match record(&row)?.into_iter().nth(1) {
            Some(Value::Blob(blob)) => blobs.push(blob.to_vec()),
            _ => return Err("a Packages row without a blob".to_owned()),
        }
    }
    Ok(blobs)
}

struct Database<'a> {
    file: &'a [u8],
    page_size: usize,
    /// The page size less the bytes each page reserves at its end.
    usable: usize,
}

enum Value<'a> {
    Null,
    Int(i64),
    Text(&'a [u8]),
    Blob(&'a [u8]),
}

impl<'a> Database<'a> {
    fn open(file: &'a [u8]) -> Result<Database<'a>, String> {
        if !file.starts_with(b"SQLite format 3\0") || file.len() < 100 {
            return Err("not an SQLite database".to_owned());
        }
        let page_size = match u16::from_be_bytes([file[16], file[17]]) {
            1 => 65_536,
            size => usize::from(size),
        };
        if !page_size.is_power_of_two() || page_size < 512 {
            return Err(format!("a page size of {page_size}"));
        }
        let usable = page_size - usize::from(file[20]);
        if usable < 480 {
            return Err("too little usable space per page".to_owned());
        }
        Ok(Database {
            file,
            page_size,
            usable,
        })
    }

    fn page(&self, number: u32) -> Result<&'a [u8], String> {
        let start = (number as usize)
            .checked_sub(1)
            .and_then(|n| n.checked_mul(self.page_size))
            .ok_or(format!("page {number}"))?;
        self.file
            .get(start..start + self.page_size)
            .ok_or(format!("page {number} is past the end of the file"))
    }

    /// The payloads of every row of the table b-tree rooted at `root`, in key order.
    fn rows(&self, root: u32) -> Result<Vec<Vec<u8>>, String> {
        let mut rows = Vec::new();
        let mut visited = HashSet::new();
        let mut pending = vec![root];
        while let Some(number) = pending.pop() {
            if !visited.insert(number) {
                return Err(format!("page {number} is reached twice"));
            }
            let page = self.page(number)?;
            // Page 1 starts with the 100-byte file header.
            let at = if number == 1 { 100 } else { 0 };
            let kind = page[at];
            let cells = usize::from(be16(page, at + 3)?);
            let header = if kind == 0x05 { 12 } else { 8 };
            let pointer = |index: usize| -> Result<usize, String> {
                let offset = usize::from(be16(page, at + header + 2 * index)?);
                (offset < self.usable)
                    .then_some(offset)
                    .ok_or(format!("a cell of page {number} points outside it"))
            };
            match kind {
                // Interior: children in key order, then the right-most; pushed in reverse so
                // that they are read in order.
                0x05 => {
                    pending.push(be32(page, at + 8)?);
                    for index in (0..cells).rev() {
                        pending.push(be32(page, pointer(index)?)?);
                    }
                }
                0x0d => {
                    for index in 0..cells {
                        rows.push(self.leaf_payload(page, pointer(index)?, &mut visited)?);
                    }
                }
                other => {
                    return Err(format!(
                        "page {number} is of type {other}, not a table page"
                    ));
                }
            }
        }
        Ok(rows)
    }

    /// The payload of a table leaf cell, overflow pages followed.
    fn leaf_payload(
        &self,
        page: &[u8],
        at: usize,
        visited: &mut HashSet<u32>,
    ) -> Result<Vec<u8>, String> {
        let (size, used) = varint(page.get(at..).unwrap_or_default())?;
        let (_rowid, used_rowid) = varint(page.get(at + used..).unwrap_or_default())?;
        let start = at + used + used_rowid;
        let size = usize::try_from(size).map_err(|_| "a payload size")?;
        let usable = self.usable;
        let max_local = usable - 35;
        let local = if size <= max_local {
            size
        } else {
            let min_local = (usable - 12) * 32 / 255 - 23;
            let k = min_local + (size - min_local) % (usable - 4);
            if k <= max_local { k } else { min_local }
        };
        let mut payload = page
            .get(start..start + local)
            .ok_or("a cell runs past its page")?
            .to_vec();
        if local < size {
            let mut next = be32(page, start + local)?;
            while payload.len() < size {
                if !visited.insert(next) {
                    return Err(format!("overflow page {next} is reached twice"));
                }
                let overflow = self.page(next)?;
                let take = (size - payload.len()).min(usable - 4);
                payload.extend_from_slice(&overflow[4..4 + take]);
                next = be32(overflow, 0)?;
            }
        }
        Ok(payload)
    }
}

/// The values of a record: a header of serial types, then the values.
fn record(payload: &[u8]) -> Result<Vec<Value<'_>>, String> {
    let (header_size, mut at) = varint(payload)?;
    let header_size = usize::try_from(header_size).map_err(|_| "a record header size")?;
    let mut body = header_size;
    let mut values = Vec::new();
    while at < header_size {
        let (serial, used) = varint(
            payload
                .get(at..header_size)
                .ok_or("a record header runs past its record")?,
        )?;
        at += used;
        let length = match serial {
            0 | 8 | 9 => 0,
            1..=4 => serial as usize,
            5 => 6,
            6 | 7 => 8,
            n if n >= 12 => ((n - 12) / 2) as usize,
            n => return Err(format!("serial type {n}")),
        };
        let bytes = payload
            .get(body..body + length)
            .ok_or("a record value runs past its record")?;
        body += length;
        values.push(match serial {
            0 => Value::Null,
            8 => Value::Int(0),
            9 => Value::Int(1),
            1..=6 => {
                let mut number: i64 = if bytes[0] & 0x80 != 0 { -1 } else { 0 };
                for byte in bytes {
                    number = (number << 8) | i64::from(*byte);
                }
                Value::Int(number)
            }
            n if n >= 13 && n % 2 == 1 => Value::Text(bytes),
            n if n >= 12 => Value::Blob(bytes),
            _ => Value::Null,
        });
    }
    Ok(values)
}

/// SQLite's variable-length integer: up to 9 bytes, big-endian, 7 bits a byte but the
/// ninth's 8; with how many bytes it took.
fn varint(bytes: &[u8]) -> Result<(u64, usize), String> {
    let mut value: u64 = 0;
    for (index, byte) in bytes.iter().take(9).enumerate() {
        if index == 8 {
            return Ok(((value << 8) | u64::from(*byte), 9));
        }
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Ok((value, index + 1));
        }
    }
    Err("a truncated varint".to_owned())
}

fn be16(bytes: &[u8], at: usize) -> Result<u16, String> {
    bytes
        .get(at..at + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or_else(|| "a page header runs past its page".to_owned())
}

fn be32(bytes: &[u8], at: usize) -> Result<u32, String> {
    super::header::be32(bytes, at).ok_or_else(|| "a page number runs past its page".to_owned())
}
