//! Bundler's `Gemfile.lock`: sections (`GEM`, `GIT`, `PATH`, `PLATFORMS`, `DEPENDENCIES`, ...)
//! at the left margin; under a source's `specs:` each gem at four spaces (`rack (3.0.9)`,
//! `nokogiri (1.16.2-x86_64-linux)` for a platform's build) and its own requirements at six.
//! `DEPENDENCIES` lists what the Gemfile asks for. `PATH` gems are the project's own.

use std::collections::BTreeSet;

use crate::lockfile::Reading;
use crate::{Ecosystem, Package, Relation};

pub(crate) fn read(reading: &mut Reading, text: &str) {
    let mut section = "";
    let mut specs: Vec<(&str, &str, u32)> = Vec::new();
    let mut asked: BTreeSet<&str> = BTreeSet::new();
    for (index, line) in text.lines().enumerate() {
        let number = index as u32 + 1;
        if !line.starts_with(' ') {
            section = line.trim();
            continue;
        }
        match section {
            "GEM" | "GIT" if line.starts_with("    ") && !line.starts_with("     ") => {
                let spec = line.trim();
                match spec.split_once(" (") {
                    Some((name, rest)) if rest.ends_with(')') => {
                        specs.push((name, &rest[..rest.len() - 1], number));
                    }
                    _ => reading.problem(Some(number), format!("not a gem spec: `{spec}`")),
                }
            }
            "DEPENDENCIES" => {
                let name = line.trim().split([' ', '!']).next().unwrap_or_default();
                asked.insert(name);
            }
            _ => {}
        }
    }
    for (name, version, line) in specs {
        // RubyGems versions hold no `-`: what follows it is the platform of a native build.
        let version = version.split('-').next().unwrap_or(version);
        let relation = if asked.contains(name) {
            Relation::Direct
        } else {
            Relation::Transitive
        };
        let found = reading.found(Some(line));
        let package = Package::new(Ecosystem::RubyGems, name, version, found);
        reading.packages.push(package.with_relation(Some(relation)));
    }
}

#[cfg(test)]
mod tests {
    use crate::{Lockfile, Relation};

    #[test]
    fn gem_specs_and_dependencies() {
        let text = "PATH\n  remote: .\n  specs:\n    mygem (0.1.0)\n      rack (>= 2)\n\n\
                    GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.16.2-x86_64-linux)\n      racc (~> 1.4)\n    racc (1.7.3)\n    rack (3.0.9.1)\n\n\
                    PLATFORMS\n  x86_64-linux\n\n\
                    DEPENDENCIES\n  mygem!\n  nokogiri (~> 1.16)\n  rack\n\n\
                    BUNDLED WITH\n   2.5.6\n";
        let reading = Lockfile::GemfileLock.read("Gemfile.lock", text);
        assert!(reading.problems.is_empty(), "{:?}", reading.problems);
        let got: Vec<_> = reading
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.relation,
                    p.found.line,
                )
            })
            .collect();
        let direct = Some(Relation::Direct);
        assert_eq!(
            got,
            [
                ("nokogiri", "1.16.2", direct, Some(10)),
                ("racc", "1.7.3", Some(Relation::Transitive), Some(12)),
                ("rack", "3.0.9.1", direct, Some(13)),
            ]
        );
        assert_eq!(reading.packages[0].purl, "pkg:gem/nokogiri@1.16.2");
    }
}
