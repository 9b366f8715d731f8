//! apk's database of installed packages, `/lib/apk/db/installed`: one record per package,
//! records separated by a blank line, each line `X:value` (`P` name, `V` version, `A`
//! architecture, `o` the origin: the source package).

use crate::lockfile::Problem;
use crate::system::OsPackages;

pub(crate) fn read(text: &str, into: &mut OsPackages) {
    let mut record: Vec<(char, &str)> = Vec::new();
    let mut start = 0;
    let lines = text.lines().chain(std::iter::once(""));
    for (index, line) in lines.enumerate() {
        if !line.is_empty() {
            if record.is_empty() {
                start = index as u32 + 1;
            }
            let mut chars = line.chars();
            if let (Some(key), Some(':')) = (chars.next(), chars.next()) {
                record.push((key, &line[2..]));
            }
            continue;
        }
        if record.is_empty() {
            continue;
        }
        let field = |key: char| record.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        match (field('P'), field('V')) {
            (Some(name), Some(version)) => {
                let origin = field('o').map(|origin| (origin.to_owned(), version.to_owned()));
                let arch = field('A').unwrap_or_default();
                into.push(name, version, arch, origin, Some(start));
            }
            _ => into.problems.push(Problem {
                line: Some(start),
                message: "a record without P (name) or V (version)".to_owned(),
            }),
        }
        record.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Ecosystem;
    use crate::system::{Distro, OsPackages};

    #[test]
    fn installed_records() {
        let text = "C:Q1wOmVTs+8Ru7yk0bcNfuN5i4ZMZM=\nP:musl\nV:1.2.5-r0\nA:x86_64\nS:410662\n\
                    I:655360\nT:the musl c library (libc) implementation\no:musl\nm:Natanael Copa\n\
                    F:lib\nR:ld-musl-x86_64.so.1\n\n\
                    P:libcrypto3\nV:3.3.2-r1\nA:x86_64\no:openssl\n\n\
                    P:nover\n";
        let distro = Distro::parse("ID=alpine\nVERSION_ID=3.20.3\n");
        let mut packages = OsPackages::new(
            "/lib/apk/db/installed",
            "apk",
            Some(&distro),
            Ecosystem::Alpine,
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
                    p.source.as_ref().map(|s| s.name.as_str()),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("musl", "1.2.5-r0", Some(1), Some("musl")),
                ("libcrypto3", "3.3.2-r1", Some(13), Some("openssl")),
            ]
        );
        assert_eq!(packages.problems[0].line, Some(18));
        assert_eq!(packages.packages[1].osv_ecosystem(), "Alpine:v3.20");
        assert_eq!(
            packages.packages[1].purl,
            "pkg:apk/alpine/libcrypto3@3.3.2-r1?arch=x86_64&distro=alpine-3.20.3&upstream=openssl"
        );
    }
}
