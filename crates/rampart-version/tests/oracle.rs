//! The comparison vectors of `../shared/oracles/version-order` (osv-scalibr's, generated from
//! the ecosystems' own implementations where the file name says so): every comparison must
//! hold in rampart's order, or a version on its line must be one the ecosystem rejects, which
//! this test then names with the reason rampart gives.

use std::cmp::Ordering;
use std::path::Path;

use rampart_version::Order;

/// The files of the oracle and the order each one checks.
const FILES: [(&str, Order); 19] = [
    ("alpine-versions.txt", Order::Apk),
    ("alpine-versions-generated.txt", Order::Apk),
    ("cran-versions.txt", Order::Cran),
    ("cran-versions-generated.txt", Order::Cran),
    ("debian-versions.txt", Order::Dpkg),
    ("debian-versions-generated.txt", Order::Dpkg),
    ("hackage-versions.txt", Order::Hackage),
    ("maven-versions.txt", Order::Maven),
    ("maven-versions-generated.txt", Order::Maven),
    ("nuget-versions.txt", Order::NuGet),
    ("packagist-versions.txt", Order::Packagist),
    ("packagist-versions-generated.txt", Order::Packagist),
    ("pub-versions.txt", Order::Pub),
    ("pypi-versions.txt", Order::Pep440),
    ("pypi-versions-generated.txt", Order::Pep440),
    ("redhat-versions.txt", Order::Rpm),
    ("rubygems-versions.txt", Order::RubyGems),
    ("rubygems-versions-generated.txt", Order::RubyGems),
    ("semver-versions.txt", Order::SemVer),
];

/// Versions on the oracle's lines that their ecosystem rejects (the oracle keeps them to show
/// how lenient tools ordered them), as `ORDER<TAB>VERSION` lines.
fn rejected_list() -> Vec<(Order, String)> {
    include_str!("rejected.txt")
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (order, version) = line.split_once('\t').unwrap();
            let order = Order::ALL.into_iter().find(|o| o.name() == order).unwrap();
            (order, version.to_owned())
        })
        .collect()
}

fn check(
    file: &Path,
    order: Order,
    known: &[(Order, String)],
    failures: &mut Vec<String>,
    rejected: &mut Vec<String>,
) {
    let text = std::fs::read_to_string(file).unwrap();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
            continue;
        }
        let where_ = format!(
            "{}:{}",
            file.file_name().unwrap().to_string_lossy(),
            number + 1
        );
        let parts: Vec<&str> = line.split(' ').collect();
        let [a, op, b] = parts[..] else {
            panic!("{where_}: not `A op B`: {line}");
        };
        let expected = match op {
            "<" => Ordering::Less,
            "=" => Ordering::Equal,
            ">" => Ordering::Greater,
            _ => panic!("{where_}: unknown operator {op}"),
        };
        match (order.parse(a), order.parse(b)) {
            (Ok(x), Ok(y)) => {
                let got = x.cmp(&y);
                if got != expected {
                    failures.push(format!("{where_}: {line} but rampart says {got:?}"));
                }
            }
            (x, y) => {
                for invalid in [x.err(), y.err()].into_iter().flatten() {
                    if !known.contains(&(order, invalid.version.clone())) {
                        rejected.push(format!("{where_}: {invalid}"));
                    }
                }
            }
        }
    }
}

#[test]
fn every_comparison_of_the_shared_oracle_holds() {
    let Some(folder) = rampart_test_support::shared("oracles/version-order") else {
        return;
    };
    let known = rejected_list();
    let mut failures = Vec::new();
    let mut rejected = Vec::new();
    for (file, order) in FILES {
        check(
            &folder.join(file),
            order,
            &known,
            &mut failures,
            &mut rejected,
        );
    }
    let total = failures.len() + rejected.len();
    assert!(
        total == 0,
        "{} comparisons fail:\n{}\n{} versions rejected that are not known to be invalid:\n{}",
        failures.len(),
        failures.join("\n"),
        rejected.len(),
        rejected.join("\n")
    );
}

#[test]
fn every_version_listed_as_rejected_is_reported_invalid() {
    for (order, version) in rejected_list() {
        let invalid = order.parse(&version).expect_err(&version);
        assert_eq!(invalid.version, version);
        assert!(!invalid.reason.is_empty());
    }
}
