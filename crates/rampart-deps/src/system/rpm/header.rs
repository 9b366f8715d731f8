//! An rpm package header as the rpm database stores it (rpm's `doc/manual/format.md`, "Header
//! structure", without the magic): the number of index entries and the size of the data
//! store, both big-endian u32, then the entries (tag, type, offset, count; 16 bytes each),
//! then the data. Only the tags that name a package are read.

/// What rampart takes from a header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Header {
    pub name: String,
    pub version: String,
    pub release: String,
    pub epoch: Option<u32>,
    pub arch: String,
    /// The source rpm it was built from (`openssl-3.0.7-27.el9.src.rpm`).
    pub source_rpm: String,
}

const NAME: u32 = 1000;
const VERSION: u32 = 1001;
const RELEASE: u32 = 1002;
const EPOCH: u32 = 1003;
const ARCH: u32 = 1022;
const SOURCE_RPM: u32 = 1044;

const TYPE_INT32: u32 = 4;
const TYPE_STRING: u32 = 6;
const TYPE_I18N_STRING: u32 = 9;

/// More index entries than any real header has: a corrupt count is refused before it
/// allocates.
const MAX_ENTRIES: usize = 1 << 16;

impl Header {
    pub(crate) fn parse(blob: &[u8]) -> Result<Header, String> {
        let count = be32(blob, 0).ok_or("the header is shorter than 8 bytes")? as usize;
        let data_size = be32(blob, 4).ok_or("the header is shorter than 8 bytes")? as usize;
        if count > MAX_ENTRIES {
            return Err(format!("{count} index entries"));
        }
        let data_start = 8 + count * 16;
        let data = blob
            .get(data_start..data_start.saturating_add(data_size))
            .ok_or("the header is shorter than its index and data say")?;
        let mut header = Header::default();
        for entry in 0..count {
            let at = 8 + entry * 16;
            let field = |offset: usize| be32(blob, at + offset).unwrap_or_default();
            let (tag, kind, offset) = (field(0), field(4), field(8) as usize);
            let string = || -> Result<String, String> {
                if kind != TYPE_STRING && kind != TYPE_I18N_STRING {
                    return Err(format!("tag {tag} is of type {kind}, not a string"));
                }
                let bytes = data
                    .get(offset..)
                    .ok_or(format!("tag {tag} points outside"))?;
                let end = bytes
                    .iter()
                    .position(|&b| b == 0)
                    .ok_or(format!("tag {tag} is not terminated"))?;
                Ok(String::from_utf8_lossy(&bytes[..end]).into_owned())
            };
            match tag {
                NAME => header.name = string()?,
                VERSION => header.version = string()?,
                RELEASE => header.release = string()?,
                ARCH => header.arch = string()?,
                SOURCE_RPM => header.source_rpm = string()?,
                EPOCH if kind == TYPE_INT32 => {
                    header.epoch = Some(be32(data, offset).ok_or("the epoch points outside")?);
                }
                _ => {}
            }
        }
        if header.name.is_empty() || header.version.is_empty() {
            return Err("a header without name or version".to_owned());
        }
        Ok(header)
    }

    /// `[epoch:]version-release`, the form rpm and OSV compare.
    pub(crate) fn full_version(&self) -> String {
        let epoch = self
            .epoch
            .filter(|e| *e > 0)
            .map(|e| format!("{e}:"))
            .unwrap_or_default();
        format!("{epoch}{}-{}", self.version, self.release)
    }

    /// The source package's name and `version-release`, from `name-version-release.src.rpm`.
    pub(crate) fn source(&self) -> Option<(String, String)> {
        let stem = self
            .source_rpm
            .strip_suffix(".src.rpm")
            .or_else(|| self.source_rpm.strip_suffix(".nosrc.rpm"))?;
        let (rest, release) = stem.rsplit_once('-')?;
        let (name, version) = rest.rsplit_once('-')?;
        Some((name.to_owned(), format!("{version}-{release}")))
    }
}

pub(crate) fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    let word = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([word[0], word[1], word[2], word[3]]))
}

/// A header blob with the given string tags and epoch, as rpm writes them: for tests.
#[cfg(test)]
pub(crate) fn blob(strings: &[(u32, &str)], epoch: Option<u32>) -> Vec<u8> {
    let mut index = Vec::new();
    let mut data = Vec::new();
    if let Some(epoch) = epoch {
        for word in [EPOCH, TYPE_INT32, data.len() as u32, 1] {
            index.extend(word.to_be_bytes());
        }
        data.extend(epoch.to_be_bytes());
    }
    for (tag, text) in strings {
        for word in [*tag, TYPE_STRING, data.len() as u32, 1] {
            index.extend(word.to_be_bytes());
        }
        data.extend(text.as_bytes());
        data.push(0);
    }
    let mut blob = Vec::new();
    blob.extend(((index.len() / 16) as u32).to_be_bytes());
    blob.extend((data.len() as u32).to_be_bytes());
    blob.extend(index);
    blob.extend(data);
    blob
}

/// A test package's header.
#[cfg(test)]
pub(crate) fn package_blob(
    name: &str,
    version: &str,
    release: &str,
    epoch: Option<u32>,
) -> Vec<u8> {
    let source = format!("{name}-{version}-{release}.src.rpm");
    blob(
        &[
            (NAME, name),
            (VERSION, version),
            (RELEASE, release),
            (ARCH, "x86_64"),
            (SOURCE_RPM, &source),
        ],
        epoch,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_names_its_package() {
        let header =
            Header::parse(&package_blob("openssl-libs", "3.0.7", "27.el9", Some(1))).unwrap();
        assert_eq!(header.name, "openssl-libs");
        assert_eq!(header.full_version(), "1:3.0.7-27.el9");
        assert_eq!(header.arch, "x86_64");
        assert_eq!(
            header.source(),
            Some(("openssl-libs".to_owned(), "3.0.7-27.el9".to_owned()))
        );
        let mut truncated = package_blob("bash", "5.1.8", "9.el9", None);
        truncated.truncate(truncated.len() - 3);
        assert!(Header::parse(&truncated).is_err());
        assert!(Header::parse(&[0xff; 8]).is_err());
    }
}
