//! Orders published by the ecosystems themselves: the examples of their specifications and the
//! vectors of their own test suites, written here as facts (each list ascends strictly unless
//! it says otherwise).

use rampart_version::Order;

/// Checks that `versions` ascend strictly, every pair of them, in `order`.
fn ascending(order: Order, versions: &[&str]) {
    let parsed: Vec<_> = versions
        .iter()
        .map(|v| order.parse(v).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    for (i, a) in parsed.iter().enumerate() {
        for b in &parsed[i + 1..] {
            assert!(a < b, "{order}: expected {a} < {b}");
        }
    }
}

fn equal(order: Order, a: &str, b: &str) {
    assert_eq!(
        order.compare(a, b),
        Ok(std::cmp::Ordering::Equal),
        "{order}: {a} = {b}"
    );
}

#[test]
fn pep_440_summary_of_permitted_suffixes_and_relative_ordering() {
    ascending(
        Order::Pep440,
        &[
            "1.dev0",
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
        ],
    );
    // Normalisations of the specification.
    equal(Order::Pep440, "1.0ALPHA1", "1.0a1");
    equal(Order::Pep440, "1.1.0-preview.2", "1.1rc2");
    equal(Order::Pep440, "1.0-r4", "1.0.post4");
    equal(Order::Pep440, "v1.0", "1.0");
    equal(Order::Pep440, " 1.0\n", "1.0");
    equal(Order::Pep440, "1.0+ubuntu-1", "1.0+ubuntu.1");
    assert!(Order::Pep440.parse("1.0+").is_err());
    assert!(Order::Pep440.parse("french toast").is_err());
}

#[test]
fn semver_specification_precedence_and_go_module_versions() {
    ascending(
        Order::SemVer,
        &[
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "2.0.0",
            "2.1.0",
            "2.1.1",
        ],
    );
    equal(Order::SemVer, "1.0.0-alpha+001", "1.0.0-alpha");
    equal(Order::SemVer, "1.0.0+20130313144700", "1.0.0");
    // Go: pseudo-versions sort before the release they precede and after their base; the
    // `+incompatible` of a pre-modules major version is build metadata.
    ascending(
        Order::SemVer,
        &[
            "v0.0.0-20191109021931-daa7c04131f5",
            "v0.0.0-20200101000000-0123456789ab",
            "v0.1.0",
            "v1.2.3",
            "v1.2.4-0.20191109021931-daa7c04131f5",
            "v1.2.4-pre",
            "v1.2.4-pre.0.20191109021931-daa7c04131f5",
            "v1.2.4",
        ],
    );
    equal(Order::SemVer, "v2.0.0+incompatible", "2.0.0");
    assert!(Order::SemVer.parse("1.2.3-").is_err());
    assert!(Order::SemVer.parse("1.2.3-a..b").is_err());
    assert!(Order::SemVer.parse("latest").is_err());
}

#[test]
fn dpkg_policy_tilde_examples() {
    // Debian Policy 5.6.12: `~~`, `~~a`, `~`, the empty part, `a`.
    ascending(
        Order::Dpkg,
        &["1.0~~", "1.0~~a", "1.0~", "1.0", "1.0a", "1.0+b1", "1:0.1"],
    );
    ascending(
        Order::Dpkg,
        &[
            "2.30-1",
            "2.30-1ubuntu1",
            "2.30-2~bpo1",
            "2.30-2",
            "2.30+dfsg-1",
        ],
    );
    equal(Order::Dpkg, "0:1.0-1", "1.0-1");
    assert!(Order::Dpkg.parse("a1.0").is_err());
    assert!(Order::Dpkg.parse("1.0-").is_err());
    assert!(Order::Dpkg.parse("x:1.0").is_err());
    assert!(Order::Dpkg.parse("1.0 beta").is_err());
}

#[test]
fn maven_comparable_version_test_vectors() {
    // maven-artifact's ComparableVersionTest: the qualifier list and the number list.
    ascending(
        Order::Maven,
        &[
            "1-alpha2snapshot",
            "1-alpha2",
            "1-alpha-123",
            "1-beta-2",
            "1-beta123",
            "1-m2",
            "1-m11",
            "1-rc",
            "1-cr2",
            "1-rc123",
            "1-SNAPSHOT",
            "1",
            "1-sp",
            "1-sp2",
            "1-sp123",
            "1-abc",
            "1-def",
            "1-pom-1",
            "1-1-snapshot",
            "1-1",
            "1-2",
            "1-123",
        ],
    );
    ascending(
        Order::Maven,
        &[
            "2.0", "2-1", "2.0.a", "2.0.0.a", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b",
            "2.1-c", "2.1-1", "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11",
            "11.m2", "11.m11", "11", "11.a", "11b", "11c", "11m",
        ],
    );
}

#[test]
fn rubygems_version_test_vectors() {
    equal(Order::RubyGems, "1.0", "1");
    equal(Order::RubyGems, "1.2.b1", "1.2.b.1");
    equal(Order::RubyGems, "1.0.0", "1");
    ascending(
        Order::RubyGems,
        &[
            "1.0.a",
            "1.0.b1",
            "1.0",
            "1.2.9",
            "1.3.0",
            "5.0.0.rc2",
            "5.0.0",
        ],
    );
    // `-` reads as `.pre.`: a pre-release.
    ascending(Order::RubyGems, &["1-1", "1"]);
    assert!(Order::RubyGems.parse("junk").is_err());
    assert!(Order::RubyGems.parse("1.0\n2.0").is_err());
}

#[test]
fn nuget_semver_2_with_four_parts() {
    ascending(
        Order::NuGet,
        &[
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-beta",
            "1.0.0",
            "1.0.0.1",
            "1.0.1",
        ],
    );
    equal(Order::NuGet, "1.0.0-ALPHA", "1.0.0-alpha");
    equal(Order::NuGet, "1.0", "1.0.0.0");
    assert!(Order::NuGet.parse("1.0.0.0.0").is_err());
}

#[test]
fn rpm_rpmvercmp_and_distribution_releases() {
    ascending(
        Order::Rpm,
        &[
            "1.0~rc1-1.el8",
            "1.0-1.el8",
            "1.0-1.el8_2",
            "1.0-2.el8",
            "1.0^git1-1.el8",
            "1.0.1-1.el8",
            "1:0.9-1.el8",
        ],
    );
    equal(Order::Rpm, "0:1.0-1", "1.0-1");
    assert!(Order::Rpm.parse("").is_err());
}

#[test]
fn apk_version_data() {
    ascending(
        Order::Apk,
        &[
            "1.2_alpha1",
            "1.2_beta",
            "1.2_pre2",
            "1.2_rc1",
            "1.2",
            "1.2-r1",
            "1.2_cvs1",
            "1.2_git1",
            "1.2_p1",
            "1.2a",
            "1.2.1",
        ],
    );
    equal(Order::Apk, "1.2", "1.2-r0");
    assert!(Order::Apk.parse("1.2-beta").is_err());
}

#[test]
fn cran_hackage_and_pub() {
    ascending(Order::Cran, &["1.0-1", "1.0-2", "1.0.10", "1.1"]);
    assert!(Order::Cran.parse("1").is_err());
    assert!(Order::Cran.parse("1.0a").is_err());
    ascending(Order::Hackage, &["0", "0.1", "0.1.0", "1.0", "1.0.0.1"]);
    assert!(Order::Hackage.parse("1.01").is_err());
    assert!(Order::Hackage.parse("1.0-a").is_err());
    ascending(
        Order::Pub,
        &["1.0.0-dev", "1.0.0", "1.0.0+1", "1.0.0+2", "1.0.1"],
    );
}

#[test]
fn ecosystems_name_their_order() {
    assert_eq!(Order::of_ecosystem("PyPI"), Some(Order::Pep440));
    assert_eq!(Order::of_ecosystem("Debian:12"), Some(Order::Dpkg));
    assert_eq!(Order::of_ecosystem("Ubuntu:22.04:LTS"), Some(Order::Dpkg));
    assert_eq!(Order::of_ecosystem("Alpine:v3.20"), Some(Order::Apk));
    assert_eq!(Order::of_ecosystem("Rocky Linux:9"), Some(Order::Rpm));
    assert_eq!(Order::of_ecosystem("Go"), Some(Order::SemVer));
    assert_eq!(Order::of_ecosystem("crates.io"), Some(Order::SemVer));
    assert_eq!(Order::of_ecosystem("Hex"), Some(Order::SemVer));
    assert_eq!(Order::of_ecosystem("GIT"), None);
}
