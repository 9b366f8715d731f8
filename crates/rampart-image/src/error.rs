use std::fmt;

/// Why an image could not be read. Every variant names the blob, file or entry at fault, so
/// the report says where to look.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// The path is neither an OCI image layout nor a `docker save` archive (e.g. a `.tar` of
    /// something else). Folder scans skip such files quietly.
    #[error("{path}: not a container image (no oci-layout/index.json and no manifest.json)")]
    NotAnImage { path: String },
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{what}: invalid JSON: {source}")]
    Json {
        what: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("{what}: {reason}")]
    Invalid { what: String, reason: String },
    #[error("{what}: missing from the image")]
    Missing { what: String },
    #[error("{what}: content digest is {actual}, but the image says {expected}")]
    DigestMismatch {
        what: String,
        expected: String,
        actual: String,
    },
    #[error("{what}: {actual} bytes, but the image says {expected}")]
    SizeMismatch {
        what: String,
        expected: u64,
        actual: u64,
    },
    /// A cap of [`crate::Limits`] was reached: the image is refused rather than read in part.
    #[error("{what}: {limit} exceeded; refusing the image (raise the limit if it is genuine)")]
    Limit { what: String, limit: LimitKind },
    #[error("{what}: no image for platform {wanted}; the index offers {available}")]
    NoPlatform {
        what: String,
        wanted: String,
        available: String,
    },
    #[error("{what}: {reason}")]
    Registry { what: String, reason: String },
    /// Docker's configuration names credentials for the registry that cannot be had (a
    /// credential helper missing or failing, an entry that does not decode). Never holds
    /// the secret.
    #[error("credentials for {registry}: {reason}")]
    Credentials { registry: String, reason: String },
}

impl ImageError {
    pub(crate) fn io(what: impl Into<String>, source: std::io::Error) -> ImageError {
        ImageError::Io {
            what: what.into(),
            source,
        }
    }

    pub(crate) fn invalid(what: impl Into<String>, reason: impl Into<String>) -> ImageError {
        ImageError::Invalid {
            what: what.into(),
            reason: reason.into(),
        }
    }
}

/// Which cap of [`crate::Limits`] stopped a read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    ExpandedBytes(u64),
    Entries(u64),
    JsonBytes(u64),
    Layers(usize),
    IndexDepth(usize),
}

impl fmt::Display for LimitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimitKind::ExpandedBytes(n) => write!(f, "the cap of {n} expanded layer bytes"),
            LimitKind::Entries(n) => write!(f, "the cap of {n} layer entries"),
            LimitKind::JsonBytes(n) => write!(f, "the cap of {n} bytes for a JSON document"),
            LimitKind::Layers(n) => write!(f, "the cap of {n} layers"),
            LimitKind::IndexDepth(n) => write!(f, "the cap of {n} nested indexes"),
        }
    }
}
