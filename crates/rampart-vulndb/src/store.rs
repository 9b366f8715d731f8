//! The database on disk: one file of advisories and one small `meta.json`.
//!
//! `advisories.rdb` holds every record once, each a zstd-compressed JSON blob, then an index
//! (itself compressed): the blobs' offsets, and for every package key (ecosystem and
//! normalised name) the records that name it, keys sorted. Opening reads the header and the
//! index only; a lookup is a binary search and one positioned read per record, so opening and
//! matching cost what the packages matched cost, not what the database holds.
//!
//! ```text
//! magic "RAMPART-OSV\n" | index offset u64 | index length u64 | blobs ... | index
//! index = records u32, (offset u64, length u32) per record,
//!         keys u32, (key length u16, key, postings u32, record number u32 ...) per key
//! ```
//! Integers are little-endian. The file is written beside its final name and renamed, so a
//! reader sees the old database or the new one, never half of one.

use std::fs::File;
use std::io::{Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use zstd::zstd_safe::DCtx;

use crate::DbError;
use crate::osv::Record;

const MAGIC: &[u8; 12] = b"RAMPART-OSV\n";
const HEADER: u64 = 12 + 8 + 8;
pub(crate) const FILE: &str = "advisories.rdb";

/// The key under which a package's advisories are filed: its ecosystem as OSV names it and
/// its name as the ecosystem compares names.
pub fn key(ecosystem: &str, name: &str) -> String {
    let base = ecosystem.split(':').next().unwrap_or(ecosystem);
    let name = match base {
        // PEP 503: case-insensitive, runs of `-`, `_`, `.` are one `-`.
        "PyPI" => {
            let mut normal = String::with_capacity(name.len());
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !normal.ends_with('-') {
                        normal.push('-');
                    }
                } else {
                    normal.push(c.to_ascii_lowercase());
                }
            }
            normal
        }
        "NuGet" | "Packagist" | "npm" => name.to_ascii_lowercase(),
        _ => name.to_owned(),
    };
    format!("{ecosystem}\u{0}{name}")
}

pub struct Store {
    file: File,
    path: PathBuf,
    records: Vec<(u64, u32)>,
    keys: Vec<(Box<str>, Box<[u32]>)>,
    /// One decompression context for every read, instead of one allocated per record.
    inflater: Mutex<DCtx<'static>>,
}

impl Store {
    pub fn open(dir: &Path) -> Result<Store, DbError> {
        let path = dir.join(FILE);
        let corrupt = |reason: &str| DbError::Corrupt {
            path: path.clone(),
            reason: reason.to_owned(),
        };
        let file = File::open(&path).map_err(|e| DbError::io(&path, e))?;
        let length = file.metadata().map_err(|e| DbError::io(&path, e))?.len();
        let mut header = [0u8; HEADER as usize];
        if length < HEADER {
            return Err(corrupt("shorter than its header"));
        }
        file.read_exact_at(&mut header, 0)
            .map_err(|e| DbError::io(&path, e))?;
        if &header[..12] != MAGIC {
            return Err(corrupt("not a rampart advisory database"));
        }
        let index_at = u64::from_le_bytes(header[12..20].try_into().unwrap_or_default());
        let index_len = u64::from_le_bytes(header[20..28].try_into().unwrap_or_default());
        if index_at.checked_add(index_len) != Some(length) || index_at < HEADER {
            return Err(corrupt("the index is not where the header says"));
        }
        let mut compressed = vec![0; index_len as usize];
        file.read_exact_at(&mut compressed, index_at)
            .map_err(|e| DbError::io(&path, e))?;
        let index =
            zstd::decode_all(&compressed[..]).map_err(|_| corrupt("the index does not inflate"))?;
        let mut reader = Reader {
            bytes: &index,
            at: 0,
        };
        let count = reader.u32().ok_or_else(|| corrupt("truncated index"))?;
        let mut records = Vec::with_capacity(count.min(1 << 24) as usize);
        for _ in 0..count {
            let offset = reader.u64().ok_or_else(|| corrupt("truncated index"))?;
            let len = reader.u32().ok_or_else(|| corrupt("truncated index"))?;
            if offset < HEADER || offset + u64::from(len) > index_at {
                return Err(corrupt("a record lies outside the file"));
            }
            records.push((offset, len));
        }
        let key_count = reader.u32().ok_or_else(|| corrupt("truncated index"))?;
        let mut keys = Vec::with_capacity(key_count.min(1 << 24) as usize);
        for _ in 0..key_count {
            let key_len = reader.u16().ok_or_else(|| corrupt("truncated index"))?;
            let key = reader
                .take(key_len as usize)
                .and_then(|k| std::str::from_utf8(k).ok())
                .ok_or_else(|| corrupt("a key is not UTF-8"))?;
            let postings = reader.u32().ok_or_else(|| corrupt("truncated index"))?;
            let mut numbers = Vec::with_capacity(postings.min(1 << 20) as usize);
            for _ in 0..postings {
                let n = reader.u32().ok_or_else(|| corrupt("truncated index"))?;
                if n >= count {
                    return Err(corrupt("a key names a record that does not exist"));
                }
                numbers.push(n);
            }
            keys.push((key.into(), numbers.into_boxed_slice()));
        }
        if !keys.is_sorted_by(|a: &(Box<str>, _), b| a.0 < b.0) {
            return Err(corrupt("the keys are not sorted"));
        }
        Ok(Store {
            file,
            path,
            records,
            keys,
            inflater: Mutex::new(DCtx::create()),
        })
    }

    /// How many records and package keys the database holds.
    pub fn counts(&self) -> (usize, usize) {
        (self.records.len(), self.keys.len())
    }

    /// The numbers of the records filed under `key`.
    pub fn postings(&self, key: &str) -> &[u32] {
        match self.keys.binary_search_by(|(k, _)| (**k).cmp(key)) {
            Ok(found) => &self.keys[found].1,
            Err(_) => &[],
        }
    }

    /// Every record, in file order (not kept: an import reads each once).
    pub fn all(&self) -> Result<Vec<Record>, DbError> {
        (0..self.records.len()).map(|n| self.record(n)).collect()
    }

    pub fn record(&self, n: usize) -> Result<Record, DbError> {
        let (offset, len) = self.records[n];
        let mut compressed = vec![0; len as usize];
        self.file
            .read_exact_at(&mut compressed, offset)
            .map_err(|e| DbError::io(&self.path, e))?;
        let corrupt = |reason: String| DbError::Corrupt {
            path: self.path.clone(),
            reason,
        };
        let mut json = Vec::with_capacity(compressed.len() * 4);
        {
            let mut inflater = lock(&self.inflater);
            zstd::stream::read::Decoder::with_context(&compressed[..], &mut inflater)
                .read_to_end(&mut json)
                .map_err(|e| corrupt(format!("record {n} does not inflate: {e}")))?;
        }
        serde_json::from_slice(&json).map_err(|e| corrupt(format!("record {n}: {e}")))
    }

    /// Writes `records` as the database of `dir`, replacing what was there.
    pub fn write(dir: &Path, records: &[Record]) -> Result<(), DbError> {
        std::fs::create_dir_all(dir).map_err(|e| DbError::io(dir, e))?;
        let path = dir.join(FILE);
        let partial = dir.join(format!("{FILE}.partial"));
        let io = |e| DbError::io(&partial, e);
        let blobs: Vec<Vec<u8>> = {
            use rayon::prelude::*;
            records
                .par_iter()
                .map(|record| {
                    let json = serde_json::to_vec(record).expect("records serialize");
                    zstd::encode_all(&json[..], 3).expect("compressing in memory")
                })
                .collect()
        };
        let mut keys: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
        for (n, record) in records.iter().enumerate() {
            for affected in &record.affected {
                if let Some(package) = &affected.package {
                    let postings = keys
                        .entry(key(&package.ecosystem, &package.name))
                        .or_default();
                    if postings.last() != Some(&(n as u32)) {
                        postings.push(n as u32);
                    }
                }
            }
        }
        let mut index = Vec::new();
        index.extend((records.len() as u32).to_le_bytes());
        let mut offset = HEADER;
        for blob in &blobs {
            index.extend(offset.to_le_bytes());
            index.extend((blob.len() as u32).to_le_bytes());
            offset += blob.len() as u64;
        }
        let index_at = offset;
        index.extend((keys.len() as u32).to_le_bytes());
        for (key, postings) in &keys {
            // Keys are an ecosystem and a package name; OSV's longest are far below 64 KiB.
            let key = &key.as_bytes()[..key.len().min(u16::MAX as usize)];
            index.extend((key.len() as u16).to_le_bytes());
            index.extend(key);
            index.extend((postings.len() as u32).to_le_bytes());
            for n in postings {
                index.extend(n.to_le_bytes());
            }
        }
        let index = zstd::encode_all(&index[..], 3).map_err(io)?;
        let mut out = std::io::BufWriter::new(File::create(&partial).map_err(io)?);
        out.write_all(MAGIC).map_err(io)?;
        out.write_all(&index_at.to_le_bytes()).map_err(io)?;
        out.write_all(&(index.len() as u64).to_le_bytes())
            .map_err(io)?;
        for blob in &blobs {
            out.write_all(blob).map_err(io)?;
        }
        out.write_all(&index).map_err(io)?;
        out.into_inner()
            .map_err(|e| io(e.into_error()))?
            .sync_all()
            .map_err(io)?;
        std::fs::rename(&partial, &path).map_err(|e| DbError::io(&path, e))
    }
}

/// A lock whose holder cannot leave its value half-changed: a panic elsewhere does not
/// poison it for the rest of the scan.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(slice)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}
