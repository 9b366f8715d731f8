/// Caps on what one input may cost. Anything beyond them becomes a reported error, never a
/// crash or an unbounded allocation.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Most documents in one YAML stream.
    pub max_documents: usize,
    /// Deepest nesting of sequences and mappings.
    pub max_depth: usize,
    /// Most nodes that alias expansion may create in one document.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 * 1024 * 1024,
            max_documents: 100_000,
            max_depth: 128,
            max_alias_nodes: 100_000,
        }
    }
}
