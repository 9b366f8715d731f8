//! Severity from an advisory's CVSS vectors, scored by rampart (CVSS v3.0, v3.1 and v4.0
//! base scores, as the specifications compute them), never read from a label.

use std::str::FromStr;

use serde::Serialize;

use crate::osv;

/// The qualitative rating of a score, as CVSS v3.1 and v4.0 define it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Rating {
    /// 0.0 none, 0.1–3.9 low, 4.0–6.9 medium, 7.0–8.9 high, 9.0–10.0 critical.
    pub fn of_score(score: f64) -> Rating {
        match score {
            s if s >= 9.0 => Rating::Critical,
            s if s >= 7.0 => Rating::High,
            s if s >= 4.0 => Rating::Medium,
            s if s > 0.0 => Rating::Low,
            _ => Rating::None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::None => "none",
            Rating::Low => "low",
            Rating::Medium => "medium",
            Rating::High => "high",
            Rating::Critical => "critical",
        }
    }
}

/// A scored vector.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scored {
    /// `3.0`, `3.1` or `4.0`.
    pub cvss: &'static str,
    pub vector: String,
    pub score: f64,
    pub rating: Rating,
}

/// Scores one CVSS vector; `None` for a vector that does not parse or a version rampart does
/// not score (v2).
pub fn score(vector: &str) -> Option<Scored> {
    let parsed = cvss::Cvss::from_str(vector.trim()).ok()?;
    let (version, score) = match &parsed {
        cvss::Cvss::CvssV30(v) => ("3.0", v.base_score().value()),
        cvss::Cvss::CvssV31(v) => ("3.1", v.base_score().value()),
        cvss::Cvss::CvssV40(v) => ("4.0", v.score().value()),
        _ => return None,
    };
    Some(Scored {
        cvss: version,
        vector: vector.trim().to_owned(),
        score,
        rating: Rating::of_score(score),
    })
}

/// The severity of an advisory: the newest CVSS version it gives (v4.0 over v3.x), and of
/// several vectors of that version the highest score.
pub fn of(entries: &[&osv::Severity]) -> Option<Scored> {
    entries
        .iter()
        .filter(|s| s.kind.starts_with("CVSS_V"))
        .filter_map(|s| score(&s.score))
        .max_by(|a, b| a.cvss.cmp(b.cvss).then(a.score.total_cmp(&b.score)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vectors with the base scores NVD and FIRST's calculators publish for them.
    #[test]
    fn published_vectors_score_as_published() {
        let cases = [
            // CVE-2021-44228 (Log4Shell), NVD: 10.0.
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
            // CVE-2014-0160 (Heartbleed), NVD v3.1: 7.5.
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5),
            // FIRST's v3.1 specification example (reflected XSS, phpMyAdmin): 6.1.
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
            // CVE-2013-1937, FIRST's v3.0 examples: 6.1.
            ("CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
            // FIRST's v3.1 examples: CVE-2016-5195 (Dirty COW) 7.8.
            ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
            ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", 0.0),
            // CVSS v4.0: FIRST's calculator.
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                9.3,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H",
                10.0,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                8.7,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
                0.0,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
                6.9,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N",
                5.1,
            ),
            (
                "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                8.5,
            ),
        ];
        for (vector, expected) in cases {
            let scored = score(vector).unwrap_or_else(|| panic!("{vector} does not parse"));
            assert_eq!(scored.score, expected, "{vector}");
            assert_eq!(scored.rating, Rating::of_score(expected));
        }
    }

    #[test]
    fn ratings_follow_the_specification_bands() {
        assert_eq!(Rating::of_score(0.0), Rating::None);
        assert_eq!(Rating::of_score(0.1), Rating::Low);
        assert_eq!(Rating::of_score(3.9), Rating::Low);
        assert_eq!(Rating::of_score(4.0), Rating::Medium);
        assert_eq!(Rating::of_score(6.9), Rating::Medium);
        assert_eq!(Rating::of_score(7.0), Rating::High);
        assert_eq!(Rating::of_score(8.9), Rating::High);
        assert_eq!(Rating::of_score(9.0), Rating::Critical);
    }

    #[test]
    fn v4_is_preferred_and_garbage_is_not_scored() {
        let v3 = osv::Severity {
            kind: "CVSS_V3".into(),
            score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into(),
        };
        let v4 = osv::Severity {
            kind: "CVSS_V4".into(),
            score: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N".into(),
        };
        let chosen = of(&[&v3, &v4]).unwrap();
        assert_eq!((chosen.cvss, chosen.score), ("4.0", 6.9));
        assert_eq!(score("CVSS:3.1/AV:X"), None);
        assert_eq!(score("AV:N/AC:L/Au:N/C:P/I:P/A:P"), None);
    }
}
