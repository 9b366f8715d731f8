//! Container image references as the container runtime reads them: `[registry/]repository
//! [:tag][@digest]`, with Docker Hub's defaults filled in (`nginx` is
//! `docker.io/library/nginx`).
//!
//! The grammar is the one of the distribution project's `reference` package: the first
//! `/`-separated component names a registry only when it looks like a host (it contains a `.` or
//! a `:`, is `localhost`, or has an upper-case letter, which repository names cannot have);
//! otherwise the image lives on Docker Hub.

use std::fmt;

/// The registry images without a registry component come from.
pub const DEFAULT_REGISTRY: &str = "docker.io";
/// The namespace of Docker Hub's official images (`nginx` is `library/nginx`).
const OFFICIAL_NAMESPACE: &str = "library";

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// Registry host, with port when given; `docker.io` when the reference names none.
    pub registry: &'a str,
    /// Repository path as written (`acme/app`, `nginx`).
    path: &'a str,
    /// Whether `library/` must be put in front of `path` (official Docker Hub images).
    official: bool,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

/// Why a string is not an image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageRefError {
    Empty,
    /// Whitespace or another character no part of a reference may hold.
    InvalidCharacter(char),
    InvalidTag,
    MissingRepository,
    /// Repository paths are lower case.
    UppercaseRepository,
}

impl fmt::Display for ImageRefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageRefError::Empty => f.write_str("empty image reference"),
            ImageRefError::InvalidCharacter(c) => write!(f, "invalid character {c:?}"),
            ImageRefError::InvalidTag => f.write_str("invalid tag"),
            ImageRefError::MissingRepository => f.write_str("no repository name"),
            ImageRefError::UppercaseRepository => f.write_str("repository names are lower case"),
        }
    }
}

impl std::error::Error for ImageRefError {}

impl<'a> ImageRef<'a> {
    /// Parses `reference`. Leading and trailing whitespace is an error, as it is for the
    /// runtime.
    pub fn parse(reference: &'a str) -> Result<ImageRef<'a>, ImageRefError> {
        if reference.is_empty() {
            return Err(ImageRefError::Empty);
        }
        if let Some(c) = reference
            .chars()
            .find(|c| c.is_whitespace() || c.is_control())
        {
            return Err(ImageRefError::InvalidCharacter(c));
        }
        let (name, digest) = match reference.split_once('@') {
            Some((name, digest)) => (name, Some(digest)),
            None => (reference, None),
        };
        // A tag is the part after the last `:` that follows the last `/`; an earlier `:` is
        // the registry's port.
        let last_component = name.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name[last_component..].rfind(':') {
            Some(i) => {
                let at = last_component + i;
                (&name[..at], Some(&name[at + 1..]))
            }
            None => (name, None),
        };
        if let Some(tag) = tag
            && !valid_tag(tag)
        {
            return Err(ImageRefError::InvalidTag);
        }
        let (registry, path) = match name.split_once('/') {
            Some((first, rest)) if looks_like_registry(first) => (first, rest),
            _ => (DEFAULT_REGISTRY, name),
        };
        if path.is_empty() || path.split('/').any(str::is_empty) {
            return Err(ImageRefError::MissingRepository);
        }
        if path.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(ImageRefError::UppercaseRepository);
        }
        let registry = if registry == "index.docker.io" {
            DEFAULT_REGISTRY
        } else {
            registry
        };
        Ok(ImageRef {
            registry,
            path,
            official: registry == DEFAULT_REGISTRY && !path.contains('/'),
            tag,
            digest,
        })
    }

    /// The repository within its registry, with Docker Hub's `library/` for official images.
    pub fn repository(&self) -> String {
        if self.official {
            format!("{OFFICIAL_NAMESPACE}/{}", self.path)
        } else {
            self.path.to_owned()
        }
    }

    /// `registry/repository`, fully qualified: `docker.io/library/nginx`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository())
    }

    /// Whether the reference pins content by a well-formed digest (`sha256:` and 64 hex
    /// digits, or `sha512:` and 128).
    pub fn is_pinned(&self) -> bool {
        self.digest.is_some_and(valid_digest)
    }

    /// The tag the runtime pulls: the one written, or `latest` when there is neither tag nor
    /// digest. `None` for a digest-only reference.
    pub fn effective_tag(&self) -> Option<&'a str> {
        match (self.tag, self.digest) {
            (Some(tag), _) => Some(tag),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }
}

fn looks_like_registry(component: &str) -> bool {
    component.contains(['.', ':'])
        || component == "localhost"
        || component.chars().any(|c| c.is_ascii_uppercase())
}

/// `[\w][\w.-]{0,127}`
fn valid_tag(tag: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    tag.len() <= 128
        && tag.chars().next().is_some_and(word)
        && tag.chars().all(|c| word(c) || c == '.' || c == '-')
}

fn valid_digest(digest: &str) -> bool {
    let hex = |s: &str, len: usize| {
        s.len() == len && s.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'))
    };
    match digest.split_once(':') {
        Some(("sha256", encoded)) => hex(encoded, 64),
        Some(("sha512", encoded)) => hex(encoded, 128),
        _ => false,
    }
}

/// Whether `image` comes from one of `allowed`, each a registry with an optional repository
/// prefix (`ghcr.io/acme`, `docker.io/library`, `registry.example.com:5000`). Prefixes match
/// whole path segments only: `ghcr.io/acme` allows `ghcr.io/acme/app` but not
/// `ghcr.io/acme-evil/app`. Registries compare case-insensitively, `index.docker.io` is
/// `docker.io`, and a bare Docker Hub image such as `nginx` is `docker.io/library/nginx`.
pub fn registry_allowed(image: &ImageRef<'_>, allowed: &[String]) -> bool {
    let repository = image.repository();
    allowed.iter().any(|prefix| {
        let prefix = prefix.trim().trim_end_matches('/');
        let (registry, path) = prefix.split_once('/').unwrap_or((prefix, ""));
        let registry = if registry.eq_ignore_ascii_case("index.docker.io") {
            DEFAULT_REGISTRY
        } else {
            registry
        };
        if registry.is_empty() || !registry.eq_ignore_ascii_case(image.registry) {
            return false;
        }
        path.is_empty()
            || repository == path
            || repository
                .strip_prefix(path)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(reference: &str) -> (String, Option<&str>, Option<&str>) {
        let image = ImageRef::parse(reference).unwrap_or_else(|e| panic!("{reference}: {e}"));
        (image.name(), image.tag, image.digest)
    }

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn docker_hub_defaults() {
        assert_eq!(
            parts("nginx"),
            ("docker.io/library/nginx".into(), None, None)
        );
        assert_eq!(
            parts("nginx:1.27"),
            ("docker.io/library/nginx".into(), Some("1.27"), None)
        );
        assert_eq!(parts("bitnami/redis:7.2").0, "docker.io/bitnami/redis");
        assert_eq!(parts("docker.io/nginx").0, "docker.io/library/nginx");
        assert_eq!(
            parts("index.docker.io/library/nginx").0,
            "docker.io/library/nginx"
        );
        assert_eq!(
            parts("docker.io/library/nginx").0,
            "docker.io/library/nginx"
        );
    }

    #[test]
    fn registry_is_the_first_component_only_when_it_looks_like_a_host() {
        assert_eq!(parts("ghcr.io/acme/app:2").0, "ghcr.io/acme/app");
        assert_eq!(parts("localhost/app").0, "localhost/app");
        assert_eq!(parts("acme/app").0, "docker.io/acme/app");
        let image = ImageRef::parse("registry.example.com:5000/team/app:1.0").unwrap();
        assert_eq!(image.registry, "registry.example.com:5000");
        assert_eq!(image.repository(), "team/app");
        assert_eq!(image.tag, Some("1.0"));
        // A port is not a tag.
        let image = ImageRef::parse("registry.example.com:5000/app").unwrap();
        assert_eq!(image.tag, None);
        assert_eq!(image.effective_tag(), Some("latest"));
        // Upper case is not allowed in repositories, so an upper-case component is a host.
        assert_eq!(
            ImageRef::parse("MyRegistry/app").unwrap().registry,
            "MyRegistry"
        );
    }

    #[test]
    fn tags_and_digests() {
        let pinned = format!("ghcr.io/acme/app:1.4.2@{DIGEST}");
        let image = ImageRef::parse(&pinned).unwrap();
        assert_eq!(image.tag, Some("1.4.2"));
        assert_eq!(image.digest, Some(DIGEST));
        assert!(image.is_pinned());
        let digest_only = format!("nginx@{DIGEST}");
        let image = ImageRef::parse(&digest_only).unwrap();
        assert_eq!(image.tag, None);
        assert_eq!(image.effective_tag(), None);
        assert!(image.is_pinned());
        assert!(!ImageRef::parse("nginx@sha256:abc").unwrap().is_pinned());
        assert!(
            !ImageRef::parse("nginx@md5:0123456789abcdef0123456789abcdef")
                .unwrap()
                .is_pinned()
        );
        assert!(!ImageRef::parse("nginx:latest").unwrap().is_pinned());
        assert_eq!(
            ImageRef::parse("nginx").unwrap().effective_tag(),
            Some("latest")
        );
    }

    #[test]
    fn rejects_what_the_runtime_rejects() {
        assert_eq!(ImageRef::parse(""), Err(ImageRefError::Empty));
        assert_eq!(
            ImageRef::parse("nginx "),
            Err(ImageRefError::InvalidCharacter(' '))
        );
        assert_eq!(ImageRef::parse("nginx:"), Err(ImageRefError::InvalidTag));
        assert_eq!(ImageRef::parse("nginx:-x"), Err(ImageRefError::InvalidTag));
        assert_eq!(
            ImageRef::parse("ghcr.io/"),
            Err(ImageRefError::MissingRepository)
        );
        assert_eq!(
            ImageRef::parse("acme//app"),
            Err(ImageRefError::MissingRepository)
        );
        assert_eq!(
            ImageRef::parse("ghcr.io/Acme/app"),
            Err(ImageRefError::UppercaseRepository)
        );
    }

    #[test]
    fn allowed_registries_match_at_segment_boundaries() {
        let allowed = |image: &str, list: &[&str]| {
            let list: Vec<String> = list.iter().map(|s| (*s).to_owned()).collect();
            registry_allowed(&ImageRef::parse(image).unwrap(), &list)
        };
        assert!(allowed("ghcr.io/acme/app:1", &["ghcr.io/acme"]));
        assert!(allowed("ghcr.io/acme/app:1", &["ghcr.io/acme/"]));
        assert!(allowed("ghcr.io/acme/app:1", &["ghcr.io/acme/app"]));
        assert!(allowed("ghcr.io/acme/app:1", &["GHCR.io"]));
        assert!(!allowed("ghcr.io/acme-evil/app:1", &["ghcr.io/acme"]));
        assert!(!allowed("ghcr.io.evil.com/acme/app", &["ghcr.io"]));
        assert!(!allowed("evil.com/ghcr.io/acme", &["ghcr.io"]));
        assert!(allowed("nginx:1.27", &["docker.io/library"]));
        assert!(allowed("nginx:1.27", &["docker.io"]));
        assert!(allowed("nginx:1.27", &["index.docker.io/library"]));
        assert!(!allowed("bitnami/redis", &["docker.io/library"]));
        assert!(allowed(
            "registry.example.com:5000/app",
            &["registry.example.com:5000"]
        ));
        assert!(!allowed(
            "registry.example.com:5000/app",
            &["registry.example.com"]
        ));
        assert!(!allowed("nginx", &[]));
        assert!(!allowed("nginx", &["", "/"]));
    }
}
