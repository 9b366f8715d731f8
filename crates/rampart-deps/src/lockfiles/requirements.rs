//! pip's requirements files (pip.pypa.io, "Requirements File Format"): one requirement or
//! option per logical line, `\` continuing a line, ` #` starting a comment. Only pinned
//! requirements (`name==1.2.3`, `name===1.2.3`) name a version; `-r FILE` includes another
//! file, which the caller reads. pip-compile writes `# via` comments under each requirement:
//! `# via -r requirements.in` marks what the project asked for, `# via flask` what came with
//! another package.

use crate::lockfile::Reading;
use crate::{Ecosystem, Package, Relation};

pub(crate) fn read(reading: &mut Reading, text: &str) {
    let compiled = text.contains("# via");
    // The package the `# via` lines below apply to, and whether one said `-r`.
    let mut last: Option<(usize, bool)> = None;
    let mut logical = String::new();
    let mut start_line = 0;
    for (index, line) in text.lines().enumerate() {
        let number = index as u32 + 1;
        if compiled && let Some(via) = via_lines(line) {
            if let Some((at, direct)) = &mut last {
                *direct |= via.starts_with("-r ");
                reading.packages[*at].relation = Some(relation(*direct));
            }
            continue;
        }
        if logical.is_empty() {
            start_line = number;
        }
        let (content, continued) = match line.strip_suffix('\\') {
            Some(content) => (content, true),
            None => (line, false),
        };
        logical.push_str(content);
        if continued {
            logical.push(' ');
            continue;
        }
        let (statement, comment) = split_comment(&logical);
        let statement = statement.trim().to_owned();
        let comment = comment.trim().to_owned();
        logical.clear();
        if statement.is_empty() {
            continue;
        }
        last = None;
        let Some(mut package) = requirement(reading, &statement, start_line) else {
            continue;
        };
        package.relation = if !compiled {
            Some(Relation::Direct)
        } else {
            // pip-compile's `--annotation-style=line`: `flask==3.0.3  # via -r req.in`.
            comment
                .strip_prefix("via ")
                .map(|via| relation(via.split(", ").any(|v| v.starts_with("-r "))))
        };
        reading.packages.push(package);
        last = Some((reading.packages.len() - 1, false));
    }
}

fn relation(direct: bool) -> Relation {
    if direct {
        Relation::Direct
    } else {
        Relation::Transitive
    }
}

/// What a line of pip-compile's split annotations says: `    # via flask`, `    # via`,
/// `    #   -r requirements.in`; `None` for other lines.
fn via_lines(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let comment = trimmed.strip_prefix('#')?.trim();
    let indented = trimmed.len() < line.len();
    match comment.strip_prefix("via") {
        Some(rest) if rest.is_empty() || rest.starts_with(' ') => Some(rest.trim()),
        _ if indented => Some(comment),
        _ => None,
    }
}

/// A line split before its comment: `#` at its start or after whitespace.
fn split_comment(line: &str) -> (&str, &str) {
    let bytes = line.as_bytes();
    for (at, byte) in bytes.iter().enumerate() {
        if *byte == b'#' && (at == 0 || bytes[at - 1].is_ascii_whitespace()) {
            return (&line[..at], &line[at + 1..]);
        }
    }
    (line, "")
}

/// The package a requirement line pins, if it pins one; options and includes are noted.
fn requirement(reading: &mut Reading, statement: &str, line: u32) -> Option<Package> {
    if let Some(option) = statement.strip_prefix('-') {
        let (flag, value) = split_option(option);
        match flag {
            "r" | "-requirement" => reading.includes.push(value.to_owned()),
            // Constraints, editable installs, indexes and other options install nothing
            // by version.
            _ => {}
        }
        return None;
    }
    // `name [extras] ==version ; markers --hash=...`: the options after the requirement and
    // the environment markers do not change what is pinned.
    let requirement = statement.split(" --").next().unwrap_or(statement);
    let requirement = requirement.split(';').next().unwrap_or(requirement).trim();
    if requirement.contains("://") || requirement.contains(" @ ") || requirement.contains('@') {
        // A direct reference (URL or path) names no version.
        return None;
    }
    let name_end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .unwrap_or(requirement.len());
    let name = &requirement[..name_end];
    if name.is_empty() {
        reading.problem(Some(line), format!("not a requirement: `{statement}`"));
        return None;
    }
    let mut rest = requirement[name_end..].trim_start();
    if rest.starts_with('[') {
        let Some(close) = rest.find(']') else {
            reading.problem(Some(line), format!("unclosed extras in `{statement}`"));
            return None;
        };
        rest = rest[close + 1..].trim_start();
    }
    // Exactly one pin; `==1.2.*` and ranges name no single version.
    let version = rest
        .strip_prefix("===")
        .or_else(|| rest.strip_prefix("=="))
        .map(str::trim)
        .filter(|version| {
            !version.is_empty() && !version.contains([',', '*', '<', '>', '!', '~', '=', ' '])
        })?;
    Some(Package::new(
        Ecosystem::PyPI,
        name,
        version,
        reading.found(Some(line)),
    ))
}

/// `r file.txt`, `r=file.txt`, `-requirement file.txt` → (`r`, `file.txt`).
fn split_option(option: &str) -> (&str, &str) {
    let end = option
        .find(|c: char| c == '=' || c.is_whitespace())
        .unwrap_or(option.len());
    let value = option[end..].trim_start_matches('=').trim();
    (&option[..end], value)
}

#[cfg(test)]
mod tests {
    use crate::Lockfile;

    use super::*;

    fn read(text: &str) -> Reading {
        Lockfile::Requirements.read("requirements.txt", text)
    }

    #[test]
    fn pinned_requirements_are_packages() {
        let reading = read(
            "# app\n\
             Flask==3.0.3 ; python_version >= '3.8'\n\
             requests[socks] == 2.32.3 \\\n    --hash=sha256:aa --hash=sha256:bb\n\
             urllib3>=2\n\
             idna==3.*\n\
             -r base.txt\n\
             --requirement=dev.txt\n\
             -c constraints.txt\n\
             -e git+https://example.com/x.git#egg=x\n\
             pkg @ https://example.com/pkg-1.0.tar.gz\n\
             zope.interface===6.4.post2  # pinned\n",
        );
        let got: Vec<_> = reading
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.found.line))
            .collect();
        assert_eq!(
            got,
            [
                ("Flask", "3.0.3", Some(2)),
                ("requests", "2.32.3", Some(3)),
                ("zope.interface", "6.4.post2", Some(12)),
            ]
        );
        assert_eq!(reading.includes, ["base.txt", "dev.txt"]);
        assert!(
            reading
                .packages
                .iter()
                .all(|p| p.relation == Some(Relation::Direct))
        );
        assert_eq!(reading.packages[1].purl, "pkg:pypi/requests@2.32.3");
        assert!(reading.problems.is_empty());
    }

    #[test]
    fn pip_compile_comments_say_what_is_direct() {
        // As pip-compile 7 writes it (annotation style "split").
        let reading = read(
            "#\n# This file is autogenerated by pip-compile with Python 3.12\n#\n\
             blinker==1.8.2\n    # via flask\n\
             flask==3.0.3\n    # via -r requirements.in\n\
             itsdangerous==2.2.0\n    # via\n    #   -r requirements.in\n    #   flask\n\
             jinja2==3.1.4\n    # via\n    #   flask\n    #   other\n",
        );
        let got: Vec<_> = reading
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.relation))
            .collect();
        assert_eq!(
            got,
            [
                ("blinker", Some(Relation::Transitive)),
                ("flask", Some(Relation::Direct)),
                ("itsdangerous", Some(Relation::Direct)),
                ("jinja2", Some(Relation::Transitive)),
            ]
        );
    }

    #[test]
    fn line_annotations_say_it_too() {
        let reading = read(
            "# via nothing\nflask==3.0.3  # via -r requirements.in\nblinker==1.8.2  # via flask\n",
        );
        let got: Vec<_> = reading.packages.iter().map(|p| p.relation).collect();
        assert_eq!(got, [Some(Relation::Direct), Some(Relation::Transitive)]);
    }

    #[test]
    fn a_line_that_is_no_requirement_is_reported() {
        let reading = read("flask==3.0.3\n[broken\nrequests==2.0\n");
        assert_eq!(reading.packages.len(), 2);
        assert_eq!(reading.problems[0].line, Some(2));
    }
}
