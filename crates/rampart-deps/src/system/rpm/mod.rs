//! rpm's database of installed packages: one header blob per package, stored in SQLite
//! (`rpmdb.sqlite`, rpm 4.16 and later: RHEL 9, Fedora, Rocky and Alma 9) or Berkeley DB
//! (`Packages`, before: RHEL 7 and 8, CentOS, Amazon Linux 2).

mod bdb;
mod header;
mod sqlite;

use header::Header;

use crate::lockfile::Problem;
use crate::system::OsPackages;

/// Reads the packages of an `rpmdb.sqlite`.
pub(crate) fn read_sqlite(file: &[u8], into: &mut OsPackages) {
    read(sqlite::package_blobs(file), into);
}

/// Reads the packages of a Berkeley DB `Packages`.
pub(crate) fn read_berkeley(file: &[u8], into: &mut OsPackages) {
    read(bdb::package_blobs(file), into);
}

fn read(blobs: Result<Vec<Vec<u8>>, String>, into: &mut OsPackages) {
    match blobs {
        Ok(blobs) => read_headers(&blobs, into),
        Err(message) => into.problems.push(Problem {
            line: None,
            message: format!("a corrupt rpm database: {message}"),
        }),
    }
}

fn read_headers(blobs: &[Vec<u8>], into: &mut OsPackages) {
    for (index, blob) in blobs.iter().enumerate() {
        match Header::parse(blob) {
            // rpm keeps imported signing keys as packages named gpg-pubkey.
            Ok(header) if header.name == "gpg-pubkey" => {}
            Ok(header) => {
                let version = header.full_version();
                let epoch = header.epoch.map(|e| e.to_string()).unwrap_or_default();
                into.push_rpm(
                    &header.name,
                    &version,
                    &header.arch,
                    header.source(),
                    &epoch,
                );
            }
            Err(message) => into.problems.push(Problem {
                line: None,
                message: format!("package header {}: {message}", index + 1),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Ecosystem;
    use crate::system::Distro;

    /// A database rpm 4.18 wrote, and the same headers in Berkeley DB (see
    /// `tests/fixtures/rpm/README.md`).
    const RPMDB: &[u8] = include_bytes!("../../../tests/fixtures/rpm/rpmdb.sqlite");
    const PACKAGES: &[u8] = include_bytes!("../../../tests/fixtures/rpm/Packages");

    #[test]
    fn packages_of_a_real_database() {
        check(read_sqlite, RPMDB);
    }

    #[test]
    fn packages_of_a_berkeley_database() {
        check(read_berkeley, PACKAGES);
    }

    fn check(reader: fn(&[u8], &mut OsPackages), file: &[u8]) {
        let distro = Distro::parse("ID=\"rocky\"\nVERSION_ID=\"9.4\"\n");
        let mut packages = OsPackages::new(
            "/var/lib/rpm/rpmdb.sqlite",
            "rpm",
            Some(&distro),
            Ecosystem::Rpm,
        );
        reader(file, &mut packages);
        assert!(packages.problems.is_empty(), "{:?}", packages.problems);
        let mut got: Vec<_> = packages
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.source.as_ref().map(|s| s.name.as_str()),
                )
            })
            .collect();
        got.sort();
        // As `rpm -qa` lists them.
        assert_eq!(
            got,
            [
                ("bash", "5.1.8-9.el9", Some("bash")),
                (
                    "ca-certificates",
                    "2024.2.69_v8.0.303-91.4.el9_4",
                    Some("ca-certificates")
                ),
                ("glibc", "2.34-100.el9_4.2", Some("glibc")),
                ("openssl-libs", "1:3.0.7-27.el9", Some("openssl")),
            ]
        );
        let ssl = packages
            .packages
            .iter()
            .find(|p| p.name == "openssl-libs")
            .unwrap();
        assert_eq!(ssl.osv_ecosystem(), "Rocky Linux:9");
        assert_eq!(
            ssl.purl,
            "pkg:rpm/rocky/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=rocky-9.4&epoch=1&upstream=openssl"
        );
    }

    #[test]
    fn a_corrupt_database_is_a_problem() {
        let mut packages =
            OsPackages::new("/var/lib/rpm/rpmdb.sqlite", "rpm", None, Ecosystem::Rpm);
        let mut corrupt = RPMDB.to_vec();
        // Every page after the first is zeros: the schema's b-tree points at nothing.
        corrupt[4096..].fill(0);
        read_sqlite(&corrupt, &mut packages);
        assert!(packages.packages.is_empty());
        assert_eq!(packages.problems.len(), 1);
        read_sqlite(&RPMDB[..5000], &mut packages);
        assert_eq!(packages.problems.len(), 2);
        // An overflow chain cut short.
        read_berkeley(&PACKAGES[..PACKAGES.len() - 4096], &mut packages);
        assert_eq!(packages.problems.len(), 3);
    }
}
