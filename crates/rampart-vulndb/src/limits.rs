//! The explicit limits of an import: what an export or a record may cost before it is refused.

/// One advisory file: the largest real ones are a few hundred kilobytes.
pub const MAX_RECORD_BYTES: u64 = 8 << 20;

/// Caps on a zip export, checked before and while it is inflated.
#[derive(Clone, Copy, Debug)]
pub struct ArchiveLimits {
    /// Entries in one archive (OSV's largest export, npm, holds a few hundred thousand).
    pub max_entries: usize,
    /// Bytes of one inflated entry.
    pub max_entry_bytes: u64,
    /// Bytes of every inflated entry together.
    pub max_total_bytes: u64,
    /// How many times larger than its compressed size an entry may inflate (JSON advisories
    /// compress five to twenty times; a bomb, thousands).
    pub max_ratio: u64,
}

impl Default for ArchiveLimits {
    fn default() -> ArchiveLimits {
        ArchiveLimits {
            max_entries: 2_000_000,
            max_entry_bytes: MAX_RECORD_BYTES,
            max_total_bytes: 16 << 30,
            max_ratio: 200,
        }
    }
}
