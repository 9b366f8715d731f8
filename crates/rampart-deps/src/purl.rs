//! Package URLs (github.com/package-url/purl-spec): `pkg:type/namespace/name@version?qualifiers`,
//! each part percent-encoded, the namespace's segments one by one, qualifiers sorted by key.

use std::fmt::Write;

use crate::Ecosystem;

/// The purl of a package of a language ecosystem, its name split into namespace and name the
/// way the ecosystem's purl type says.
pub fn of(ecosystem: Ecosystem, name: &str, version: &str) -> String {
    let (namespace, name) = match ecosystem {
        Ecosystem::Npm => match name.strip_prefix('@').and_then(|n| n.split_once('/')) {
            Some((scope, name)) => (Some(format!("@{scope}")), name.to_owned()),
            None => (None, name.to_owned()),
        },
        Ecosystem::Maven => match name.split_once(':') {
            Some((group, artifact)) => (Some(group.to_owned()), artifact.to_owned()),
            None => (None, name.to_owned()),
        },
        Ecosystem::Go | Ecosystem::Packagist => match name.rsplit_once('/') {
            Some((namespace, name)) => (Some(namespace.to_owned()), name.to_owned()),
            None => (None, name.to_owned()),
        },
        // The purl spec lowercases these names (PyPI also turns `_` into `-`).
        Ecosystem::PyPI => (None, name.to_ascii_lowercase().replace('_', "-")),
        Ecosystem::Hex => (None, name.to_ascii_lowercase()),
        _ => (None, name.to_owned()),
    };
    build(
        purl_type(ecosystem),
        namespace.as_deref(),
        &name,
        version,
        &[],
    )
}

/// The purl type of an ecosystem's packages.
pub fn purl_type(ecosystem: Ecosystem) -> &'static str {
    match ecosystem {
        Ecosystem::PyPI => "pypi",
        Ecosystem::Npm => "npm",
        Ecosystem::Go => "golang",
        Ecosystem::CratesIo => "cargo",
        Ecosystem::Maven => "maven",
        Ecosystem::RubyGems => "gem",
        Ecosystem::NuGet => "nuget",
        Ecosystem::Packagist => "composer",
        Ecosystem::Pub => "pub",
        Ecosystem::Hex => "hex",
        Ecosystem::Cran => "cran",
        Ecosystem::Hackage => "hackage",
        Ecosystem::Debian | Ecosystem::Ubuntu => "deb",
        Ecosystem::Alpine | Ecosystem::Wolfi | Ecosystem::Chainguard => "apk",
        Ecosystem::RedHat
        | Ecosystem::RockyLinux
        | Ecosystem::AlmaLinux
        | Ecosystem::Suse
        | Ecosystem::OpenSuse
        | Ecosystem::Rpm => "rpm",
    }
}

/// A purl from its parts; qualifiers with empty values are left out, the others sorted.
pub fn build(
    kind: &str,
    namespace: Option<&str>,
    name: &str,
    version: &str,
    qualifiers: &[(&str, &str)],
) -> String {
    let mut purl = format!("pkg:{kind}/");
    for segment in namespace.into_iter().flat_map(|n| n.split('/')) {
        if !segment.is_empty() {
            purl.push_str(&encode(segment));
            purl.push('/');
        }
    }
    purl.push_str(&encode(name));
    if !version.is_empty() {
        purl.push('@');
        purl.push_str(&encode(version));
    }
    let mut qualifiers: Vec<_> = qualifiers.iter().filter(|(_, v)| !v.is_empty()).collect();
    qualifiers.sort();
    for (index, (key, value)) in qualifiers.into_iter().enumerate() {
        purl.push(if index == 0 { '?' } else { '&' });
        let _ = write!(purl, "{key}={}", encode(value));
    }
    purl
}

/// Percent-encodes all but the characters the spec leaves as they are (letters, digits,
/// `.-_~`, and `:`).
fn encode(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    for byte in part.bytes() {
        if byte.is_ascii_alphanumeric() || b".-_~:".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purls_follow_each_type() {
        // Examples of the purl spec's PURL-TYPES.rst and test suite.
        assert_eq!(
            of(Ecosystem::Npm, "@angular/animation", "12.3.1"),
            "pkg:npm/%40angular/animation@12.3.1"
        );
        assert_eq!(
            of(Ecosystem::Go, "github.com/gorilla/context", "v1.1.1"),
            "pkg:golang/github.com/gorilla/context@v1.1.1"
        );
        assert_eq!(
            of(
                Ecosystem::Maven,
                "org.apache.xmlgraphics:batik-anim",
                "1.9.1"
            ),
            "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1"
        );
        assert_eq!(
            of(Ecosystem::PyPI, "Django_Allauth", "12.23"),
            "pkg:pypi/django-allauth@12.23"
        );
        assert_eq!(
            of(Ecosystem::Packagist, "laravel/laravel", "5.5.0"),
            "pkg:composer/laravel/laravel@5.5.0"
        );
        assert_eq!(
            build(
                "deb",
                Some("debian"),
                "curl",
                "7.50.3-1",
                &[("distro", "jessie"), ("arch", "i386")]
            ),
            "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie"
        );
        assert_eq!(
            build(
                "rpm",
                Some("fedora"),
                "curl",
                "7.50.3-1.fc25",
                &[("epoch", "")]
            ),
            "pkg:rpm/fedora/curl@7.50.3-1.fc25"
        );
        assert_eq!(
            of(Ecosystem::CratesIo, "serde", "1.0.0+build"),
            "pkg:cargo/serde@1.0.0%2Bbuild"
        );
    }
}
