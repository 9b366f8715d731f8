//! dpkg's database of installed packages: `/var/lib/dpkg/status`, one deb822 paragraph per
//! package (`Package`, `Status`, `Version`, `Source`, `Architecture`), and distroless images'
//! `/var/lib/dpkg/status.d/NAME`, one paragraph a file and no `Status`.

use crate::lockfile::Problem;
use crate::system::OsPackages;

/// The paragraphs of a status file, each as (line of its first field, fields).
fn paragraphs(text: &str) -> Vec<(u32, Vec<(&str, String)>)> {
    let mut out = Vec::new();
    let mut fields: Vec<(&str, String)> = Vec::new();
    let mut start = 0;
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !fields.is_empty() {
                out.push((start, std::mem::take(&mut fields)));
            }
            continue;
        }
        if fields.is_empty() {
            start = index as u32 + 1;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push('\n');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            fields.push((key, value.trim().to_owned()));
        }
    }
    if !fields.is_empty() {
        out.push((start, fields));
    }
    out
}

/// Reads the installed packages a status file (or a `status.d` file) lists.
pub(crate) fn read(text: &str, into: &mut OsPackages) {
    for (line, fields) in paragraphs(text) {
        let field = |name: &str| {
            fields
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_str())
        };
        // The third word is the package's state; without files it is not installed.
        if let Some(status) = field("Status")
            && matches!(
                status.split_whitespace().nth(2),
                Some("not-installed" | "config-files")
            )
        {
            continue;
        }
        let (Some(name), Some(version)) = (field("Package"), field("Version")) else {
            into.problems.push(Problem {
                line: Some(line),
                message: "a paragraph without Package or Version".to_owned(),
            });
            continue;
        };
        // `Source: openssl` or `Source: openssl (3.0.11-1)` when the versions differ.
        let source = field("Source").map(|source| match source.split_once(" (") {
            Some((name, version)) => (name.to_owned(), version.trim_end_matches(')').to_owned()),
            None => (source.to_owned(), version.to_owned()),
        });
        let arch = field("Architecture").unwrap_or_default();
        into.push(name, version, arch, source, Some(line));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system::{Distro, OsPackages};
    use crate::{Ecosystem, Source};

    #[test]
    fn installed_paragraphs() {
        let text = "Package: libssl3\nStatus: install ok installed\nPriority: optional\n\
                    Architecture: amd64\nSource: openssl\nVersion: 3.0.15-1~deb12u1\n\
                    Description: Secure Sockets Layer toolkit\n shared libraries\n\n\
                    Package: tzdata\nStatus: deinstall ok config-files\nVersion: 2024a-0+deb12u1\n\n\
                    Package: libgcc-s1\nStatus: install ok installed\nArchitecture: amd64\n\
                    Source: gcc-12 (12.2.0-14)\nVersion: 12.2.0-14\n\n\
                    Package: broken\nStatus: install ok installed\n";
        let distro = Distro::parse("ID=debian\nVERSION_ID=\"12\"\n");
        let mut packages = OsPackages::new(
            "/var/lib/dpkg/status",
            "deb",
            Some(&distro),
            Ecosystem::Debian,
        );
        read(text, &mut packages);
        let got: Vec<_> = packages
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.found.line,
                    p.source.clone(),
                )
            })
            .collect();
        let source = |name: &str, version: &str| {
            Some(Source {
                name: name.to_owned(),
                version: version.to_owned(),
            })
        };
        assert_eq!(
            got,
            [
                (
                    "libssl3",
                    "3.0.15-1~deb12u1",
                    Some(1),
                    source("openssl", "3.0.15-1~deb12u1")
                ),
                (
                    "libgcc-s1",
                    "12.2.0-14",
                    Some(14),
                    source("gcc-12", "12.2.0-14")
                ),
            ]
        );
        assert_eq!(packages.problems[0].line, Some(20));
        let ssl = &packages.packages[0];
        assert_eq!(ssl.osv_ecosystem(), "Debian:12");
        assert_eq!(
            ssl.purl,
            "pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12&upstream=openssl"
        );
    }

    #[test]
    fn a_binary_only_rebuild_names_its_source_version_in_the_purl() {
        let text = "Package: bash\nStatus: install ok installed\nArchitecture: amd64\n\
                    Source: bash (5.2.15-2)\nVersion: 5.2.15-2+b13\n";
        let distro = Distro::parse("ID=debian\nVERSION_ID=\"12\"\n");
        let mut packages = OsPackages::new(
            "/var/lib/dpkg/status",
            "deb",
            Some(&distro),
            Ecosystem::Debian,
        );
        read(text, &mut packages);
        // As Syft writes it.
        assert_eq!(
            packages.packages[0].purl,
            "pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=amd64&distro=debian-12&upstream=bash%405.2.15-2"
        );
    }
}
