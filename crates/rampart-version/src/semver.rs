//! SemVer 2.0 and the two orders built on its grammar: pub (build metadata orders too) and
//! NuGet (four numeric parts, labels without case).

use std::cmp::Ordering;

use crate::num::Num;

/// How an order reads the SemVer grammar.
pub(crate) struct Flavor {
    /// How many numeric parts a version may have; fewer are padded with zeros, as OSV reads
    /// `1.2` as `1.2.0`.
    parts: usize,
    /// Whether a leading `v` (`v1.2.3`, as Go writes every version) is allowed.
    leading_v: bool,
    /// Whether labels compare without case.
    fold_case: bool,
}

pub(crate) const SEMVER: Flavor = Flavor {
    parts: 3,
    leading_v: true,
    fold_case: false,
};
pub(crate) const PUB: Flavor = SEMVER;
pub(crate) const NUGET: Flavor = Flavor {
    parts: 4,
    leading_v: false,
    fold_case: true,
};

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SemVer {
    parts: Vec<Num>,
    pre: Vec<Ident>,
    build: Vec<Ident>,
}

/// A dot-separated identifier of a pre-release or build: numbers sort before text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Ident {
    Number(Num),
    Text(Box<str>),
}

impl SemVer {
    pub(crate) fn parse(text: &str, flavor: Flavor) -> Result<SemVer, &'static str> {
        let rest = match text.strip_prefix('v') {
            Some(rest) if flavor.leading_v => rest,
            _ => text,
        };
        let (rest, build) = match rest.split_once('+') {
            Some((rest, build)) => (rest, Some(build)),
            None => (rest, None),
        };
        let (core, pre) = match rest.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (rest, None),
        };
        let mut parts = Vec::with_capacity(flavor.parts);
        for part in core.split('.') {
            if !crate::num::is_digits(part) {
                return Err("the version must be numbers separated by dots");
            }
            parts.push(Num::new(part));
        }
        if parts.len() > flavor.parts {
            return Err("too many numeric parts");
        }
        parts.resize(flavor.parts, Num::zero());
        let idents = |labels: Option<&str>| -> Result<Vec<Ident>, &'static str> {
            let Some(labels) = labels else {
                return Ok(Vec::new());
            };
            labels
                .split('.')
                .map(|label| {
                    if label.is_empty()
                        || !label
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    {
                        return Err("a label must be letters, digits and hyphens");
                    }
                    Ok(if crate::num::is_digits(label) {
                        Ident::Number(Num::new(label))
                    } else if flavor.fold_case {
                        Ident::Text(label.to_ascii_lowercase().into())
                    } else {
                        Ident::Text(label.into())
                    })
                })
                .collect()
        };
        Ok(SemVer {
            parts,
            pre: idents(pre)?,
            build: idents(build)?,
        })
    }

    pub(crate) fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    /// SemVer's precedence: parts, then a pre-release before its release; build metadata
    /// does not count.
    pub(crate) fn cmp_semver(&self, other: &SemVer) -> Ordering {
        self.parts.cmp(&other.parts).then_with(|| {
            match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            }
        })
    }

    /// pub's order: SemVer's, then no build metadata before some, then the metadata's
    /// identifiers as SemVer compares a pre-release's.
    pub(crate) fn cmp_pub(&self, other: &SemVer) -> Ordering {
        self.cmp_semver(other)
            .then_with(|| self.build.cmp(&other.build))
    }
}
