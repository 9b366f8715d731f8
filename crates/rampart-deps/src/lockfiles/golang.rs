//! Go modules (go.dev/ref/mod): `go.mod` requires every module the build needs since Go 1.17,
//! those the main module does not import itself marked `// indirect`; `replace` swaps a
//! module for another version, another module or a local folder (then it is the project's own
//! code). `go.sum` holds the checksums of every module version the build read: those with a
//! hash of their content (not only of their `go.mod`) were built.

use std::collections::BTreeMap;

use crate::lockfile::Reading;
use crate::{Ecosystem, Package, Relation};

struct Requirement {
    path: String,
    version: String,
    indirect: bool,
    line: u32,
}

/// `replace` sources: the module, and the one version replaced (all when none).
type Replaced = (String, Option<String>);
/// `replace` targets: a module and version, or `None` for a local folder.
type Replacement = Option<(String, String)>;

pub(crate) fn read_mod(reading: &mut Reading, text: &str) {
    let mut requirements = Vec::new();
    let mut replacements: BTreeMap<Replaced, Replacement> = BTreeMap::new();
    let mut block: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = index as u32 + 1;
        let (code, comment) = match raw.split_once("//") {
            Some((code, comment)) => (code.trim(), comment.trim()),
            None => (raw.trim(), ""),
        };
        if code.is_empty() {
            continue;
        }
        let mut words = tokens(code);
        if block.is_some() && code == ")" {
            block = None;
            continue;
        }
        let verb = match &block {
            Some(verb) => verb.clone(),
            None => {
                let verb = words.remove(0);
                if words.first().map(String::as_str) == Some("(") {
                    block = Some(verb);
                    continue;
                }
                verb
            }
        };
        match verb.as_str() {
            "require" => match words.as_slice() {
                [path, version] => requirements.push(Requirement {
                    path: path.clone(),
                    version: version.clone(),
                    indirect: comment == "indirect" || comment.starts_with("indirect;"),
                    line,
                }),
                _ => reading.problem(Some(line), format!("malformed require: `{code}`")),
            },
            "replace" => match replacement(&words) {
                Some((from, to)) => {
                    replacements.insert(from, to);
                }
                None => reading.problem(Some(line), format!("malformed replace: `{code}`")),
            },
            _ => {}
        }
    }
    if block.is_some() {
        reading.problem(None, "a block is not closed with `)`");
    }
    for requirement in requirements {
        let exact = (requirement.path.clone(), Some(requirement.version.clone()));
        let any = (requirement.path.clone(), None);
        let (path, version) = match replacements.get(&exact).or_else(|| replacements.get(&any)) {
            // A local folder: the project's own code.
            Some(None) => continue,
            Some(Some((path, version))) => (path.clone(), version.clone()),
            None => (requirement.path, requirement.version),
        };
        let relation = if requirement.indirect {
            Relation::Transitive
        } else {
            Relation::Direct
        };
        let found = reading.found(Some(requirement.line));
        let package = Package::new(Ecosystem::Go, &path, &version, found);
        reading.packages.push(package.with_relation(Some(relation)));
    }
}

/// `old [v] => new [v]`: what is replaced, and by what.
fn replacement(words: &[String]) -> Option<(Replaced, Replacement)> {
    let arrow = words.iter().position(|word| word == "=>")?;
    let from = match &words[..arrow] {
        [path] => (path.clone(), None),
        [path, version] => (path.clone(), Some(version.clone())),
        _ => return None,
    };
    let to = match &words[arrow + 1..] {
        [path] if is_local(path) => None,
        [path, version] => Some((path.clone(), version.clone())),
        _ => return None,
    };
    Some((from, to))
}

fn is_local(path: &str) -> bool {
    path.starts_with("./") || path.starts_with("../") || path.starts_with('/')
}

/// The words of a line, quoted strings (`"a b"`, `` `a` ``) unquoted.
fn tokens(code: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = code.trim();
    while !rest.is_empty() {
        let (word, after) = match rest.chars().next() {
            Some(quote @ ('"' | '`')) => match rest[1..].find(quote) {
                Some(close) => (rest[1..=close].to_owned(), &rest[close + 2..]),
                None => (rest[1..].to_owned(), ""),
            },
            _ => {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                (rest[..end].to_owned(), &rest[end..])
            }
        };
        words.push(word);
        rest = after.trim_start();
    }
    words
}

pub(crate) fn read_sum(reading: &mut Reading, text: &str) {
    for (index, raw) in text.lines().enumerate() {
        let line = index as u32 + 1;
        let words: Vec<&str> = raw.split_whitespace().collect();
        match words.as_slice() {
            [] => {}
            [_, version, _] if version.ends_with("/go.mod") => {}
            [path, version, hash] if hash.contains(':') => {
                let found = reading.found(Some(line));
                let package = Package::new(Ecosystem::Go, path, version, found);
                reading.packages.push(package);
            }
            _ => reading.problem(Some(line), format!("not a go.sum line: `{raw}`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Lockfile;

    use super::*;

    #[test]
    fn go_mod_requires_and_replaces() {
        let text = r#"module example.com/app

go 1.22

require (
	github.com/gorilla/mux v1.8.1
	golang.org/x/net v0.25.0 // indirect
	"github.com/quoted/mod" v1.0.0
	example.com/local v0.0.0
	example.com/old v1.0.0 // indirect
)

require github.com/single/line v0.1.0

replace example.com/local => ../local

replace example.com/old v1.0.0 => example.com/new v1.2.0
"#;
        let reading = Lockfile::GoMod.read("go.mod", text);
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
        let transitive = Some(Relation::Transitive);
        assert_eq!(
            got,
            [
                ("github.com/gorilla/mux", "v1.8.1", direct, Some(6)),
                ("golang.org/x/net", "v0.25.0", transitive, Some(7)),
                ("github.com/quoted/mod", "v1.0.0", direct, Some(8)),
                ("example.com/new", "v1.2.0", transitive, Some(10)),
                ("github.com/single/line", "v0.1.0", direct, Some(13)),
            ]
        );
        assert_eq!(
            reading.packages[0].purl,
            "pkg:golang/github.com/gorilla/mux@v1.8.1"
        );
        assert!(reading.problems.is_empty());
    }

    #[test]
    fn go_sum_lists_built_modules() {
        let text = "github.com/gorilla/mux v1.8.1 h1:TuBL49tXwgrFYWhqrNgrUNEY92u81SPhu7sTdzQEiWY=\n\
                    github.com/gorilla/mux v1.8.1/go.mod h1:DVbg23sWSpFRCP0SfiEN6jmj59UnW/n46BH5rLB71So=\n\
                    github.com/old/dep v0.1.0/go.mod h1:x=\n\
                    garbage\n";
        let reading = Lockfile::GoSum.read("go.sum", text);
        assert_eq!(reading.packages.len(), 1);
        assert_eq!(reading.packages[0].version, "v1.8.1");
        assert_eq!(reading.problems[0].line, Some(4));
    }
}
