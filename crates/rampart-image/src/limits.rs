/// Caps on what reading one image may cost. Reaching one refuses the image with
/// [`crate::ImageError::Limit`]: a decompression bomb or a million-file layer stops there
/// instead of exhausting memory or time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of all layers once decompressed (tar streams, headers included).
    pub max_expanded_bytes: u64,
    /// Tar entries over all layers.
    pub max_entries: u64,
    /// Size of one JSON document: index, manifest, config, `manifest.json`.
    pub max_json_bytes: u64,
    /// Layers of one image (Docker stops at 127).
    pub max_layers: usize,
    /// Indexes nested in indexes.
    pub max_index_depth: usize,
    /// Bytes kept of one file whose content a rule reads (the rest is not kept).
    pub max_captured_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_expanded_bytes: 16 * 1024 * 1024 * 1024,
            max_entries: 2_000_000,
            max_json_bytes: 8 * 1024 * 1024,
            max_layers: 256,
            max_index_depth: 4,
            max_captured_bytes: 64 * 1024,
        }
    }
}
