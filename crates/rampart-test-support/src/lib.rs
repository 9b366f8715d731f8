//! What the tests of several crates share. Used as a dev-dependency only.
//!
//! Upstream ground truth (Pod Security Admission fixtures, netpol-analyzer scenarios) and
//! schemas (SARIF) come from other projects and may not be committed here. CI puts them in
//! `../shared`, beside the clone; a plain clone has no such folder, and its tests that need one
//! skip, saying so, so that `cargo test --workspace` passes there too.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Set to `1` (as `.ci/run` does) to make a missing `../shared` fail the tests that need it.
pub const REQUIRE_SHARED: &str = "RAMPART_REQUIRE_SHARED";

/// `../shared/<part>` beside the repository (`part` as `"oracles/netpol-analyzer"`), or `None`
/// when it is absent: the calling test then returns early, this having printed that it was
/// skipped. Panics instead when [`REQUIRE_SHARED`] is `1`.
pub fn shared(part: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(part);
    if path.exists() {
        return Some(path);
    }
    let missing = format!("../shared/{part} is not here");
    if std::env::var(REQUIRE_SHARED).is_ok_and(|value| value == "1") {
        panic!("{missing} ({REQUIRE_SHARED}=1): CI provides it beside the clone, see README");
    }
    let test = std::thread::current()
        .name()
        .filter(|name| *name != "main")
        .map(|name| format!(" {name}"))
        .unwrap_or_default();
    // Straight to the standard error, which the test harness does not capture, so that the skip
    // shows among the results of a passing run.
    let _ = writeln!(
        std::io::stderr(),
        "skipped{test}: {missing}; CI provides it, see README"
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_part_skips_in_a_plain_clone_and_fails_where_required() {
        let required = std::env::var(REQUIRE_SHARED).is_ok_and(|value| value == "1");
        let outcome = std::panic::catch_unwind(|| shared("no-such-part"));
        if required {
            assert!(
                outcome.is_err(),
                "{REQUIRE_SHARED}=1 must fail a missing part"
            );
        } else {
            assert_eq!(outcome.unwrap(), None);
        }
    }
}
