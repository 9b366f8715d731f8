//! Cabal's `cabal.project.freeze`: a `constraints:` field whose comma-separated items pin
//! each package (`any.aeson ==2.2.1.0`, qualified `any.`, `setup.` or `pkg:setup.`); items
//! that set flags (`aeson -ordered-keymap`) pin nothing. The field continues on indented
//! lines.

use crate::lockfile::Reading;
use crate::{Ecosystem, Package};

pub(crate) fn read(reading: &mut Reading, text: &str) {
    let mut in_constraints = false;
    for (index, line) in text.lines().enumerate() {
        let number = index as u32 + 1;
        let items = if let Some(rest) = line.strip_prefix("constraints:") {
            in_constraints = true;
            rest
        } else if in_constraints && line.starts_with([' ', '\t']) {
            line
        } else {
            in_constraints = false;
            continue;
        };
        for item in items.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let Some((package, version)) = item.split_once("==") else {
                continue;
            };
            let package = package.split_whitespace().next().unwrap_or_default();
            let name = package.rsplit('.').next().unwrap_or(package);
            let version = version.trim();
            if name.is_empty() || version.is_empty() || version.contains(' ') {
                reading.problem(Some(number), format!("not a pinned constraint: `{item}`"));
                continue;
            }
            let found = reading.found(Some(number));
            let package = Package::new(Ecosystem::Hackage, name, version, found);
            reading.packages.push(package);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Lockfile;

    #[test]
    fn pinned_constraints() {
        let text = "active-repositories: hackage.haskell.org:merge\n\
                    constraints: any.aeson ==2.2.1.0,\n\
                    \x20            aeson -ordered-keymap +pure,\n\
                    \x20            any.base ==4.18.2.0,\n\
                    \x20            lens +inline ==5.2.3, setup.Cabal ==3.10.2.1\n\
                    index-state: hackage.haskell.org 2024-04-01T00:00:00Z\n";
        let reading = Lockfile::CabalFreeze.read("cabal.project.freeze", text);
        assert!(reading.problems.is_empty(), "{:?}", reading.problems);
        let got: Vec<_> = reading
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.found.line))
            .collect();
        assert_eq!(
            got,
            [
                ("aeson", "2.2.1.0", Some(2)),
                ("base", "4.18.2.0", Some(4)),
                ("lens", "5.2.3", Some(5)),
                ("Cabal", "3.10.2.1", Some(5)),
            ]
        );
    }
}
