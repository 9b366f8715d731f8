//! Versions that are only numbers: R's `package_version` (CRAN) and Cabal's `Version`
//! (Hackage). Both compare the numbers in turn, and a version that extends another is the
//! greater (`0.1.0 < 0.1.0.0`).

use crate::num::{Num, is_digits};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Dotted(Vec<Num>);

impl Dotted {
    /// At least two non-negative integers separated by single `.` or `-`.
    pub(crate) fn cran(text: &str) -> Result<Dotted, &'static str> {
        let numbers = text
            .split(['.', '-'])
            .map(|part| is_digits(part).then(|| Num::new(part)))
            .collect::<Option<Vec<_>>>()
            .ok_or("must be numbers separated by single `.` or `-`")?;
        if numbers.len() < 2 {
            return Err("must have at least two numbers");
        }
        Ok(Dotted(numbers))
    }

    /// Numbers separated by `.`, without leading zeros (Cabal refuses `01`).
    pub(crate) fn hackage(text: &str) -> Result<Dotted, &'static str> {
        text.split('.')
            .map(|part| {
                if !is_digits(part) {
                    Err("must be numbers separated by `.`")
                } else if part.len() > 1 && part.starts_with('0') {
                    Err("a number has a leading zero")
                } else {
                    Ok(Num::new(part))
                }
            })
            .collect::<Result<_, _>>()
            .map(Dotted)
    }
}
