//! Content digests (`sha256:<hex>`) and the reader that checks them while a blob streams by.

use std::fmt;
use std::io::{self, Read};

use sha2::{Digest as _, Sha256};

use crate::ImageError;

/// A content digest. Only SHA-256 is read: it is what every registry and builder writes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest {
    hex: String,
}

impl Digest {
    /// Parses `sha256:<64 lower-case hex digits>`; `what` names the field for the error.
    pub fn parse(text: &str, what: &str) -> Result<Digest, ImageError> {
        let invalid = |reason: &str| ImageError::invalid(what, format!("digest `{text}` {reason}"));
        let Some((algorithm, hex)) = text.split_once(':') else {
            return Err(invalid("has no algorithm"));
        };
        if algorithm != "sha256" {
            return Err(invalid("uses an algorithm other than sha256"));
        }
        if hex.len() != 64 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(invalid("is not 64 lower-case hex digits"));
        }
        Ok(Digest {
            hex: hex.to_owned(),
        })
    }

    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Digest {
        Digest {
            hex: hex(&Sha256::digest(bytes)),
        }
    }

    /// The hex digits alone, as blob file names use them.
    pub fn hex(&self) -> &str {
        &self.hex
    }

    /// Where a blob with this digest lives in an OCI image layout.
    pub fn layout_path(&self) -> String {
        format!("blobs/sha256/{}", self.hex)
    }

    /// The first 12 hex digits, as people quote image ids.
    pub fn short(&self) -> &str {
        &self.hex[..12]
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sha256:{}", self.hex)
    }
}

fn hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        write!(out, "{byte:02x}").expect("writing to a String");
    }
    out
}

/// Hashes and counts the bytes read through it.
pub(crate) struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> HashingReader<R> {
    pub(crate) fn new(inner: R) -> HashingReader<R> {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// Reads what is left, then checks digest and size against what the image declared.
    ///
    /// Built for cargo-fuzz (`cfg(fuzzing)`), a mismatch passes: a mutated blob almost never
    /// keeps its digest, and the fuzzer has to reach the config parsing and the rules behind it.
    pub(crate) fn verify(
        mut self,
        what: &str,
        digest: Option<&Digest>,
        size: Option<u64>,
    ) -> Result<(), ImageError> {
        io::copy(&mut self, &mut io::sink()).map_err(|e| ImageError::io(what, e))?;
        if cfg!(fuzzing) {
            return Ok(());
        }
        if let Some(expected) = size
            && expected != self.bytes
        {
            return Err(ImageError::SizeMismatch {
                what: what.to_owned(),
                expected,
                actual: self.bytes,
            });
        }
        let actual = Digest {
            hex: hex(&self.hasher.finalize()),
        };
        match digest {
            Some(expected) if *expected != actual => Err(ImageError::DigestMismatch {
                what: what.to_owned(),
                expected: expected.to_string(),
                actual: actual.to_string(),
            }),
            _ => Ok(()),
        }
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.hasher.update(&buf[..read]);
        self.bytes += read as u64;
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_parse_strictly() {
        let empty = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(Digest::parse(empty, "x").unwrap(), Digest::of(b""));
        assert_eq!(Digest::of(b"").to_string(), empty);
        for bad in [
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "sha512:e3b0",
            "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            "sha256:../../etc/passwd",
        ] {
            assert!(Digest::parse(bad, "x").is_err(), "{bad}");
        }
    }

    #[test]
    fn verification_reads_to_the_end_and_compares() {
        let data = b"layer bytes";
        let reader = HashingReader::new(&data[..]);
        assert!(
            reader
                .verify("blob", Some(&Digest::of(data)), Some(11))
                .is_ok()
        );
        let reader = HashingReader::new(&data[..]);
        let error = reader.verify("blob", Some(&Digest::of(b"other")), None);
        assert!(matches!(error, Err(ImageError::DigestMismatch { .. })));
        let reader = HashingReader::new(&data[..]);
        let error = reader.verify("blob", None, Some(12));
        assert!(matches!(
            error,
            Err(ImageError::SizeMismatch { actual: 11, .. })
        ));
    }
}
