//! Composer's `composer.lock`: `packages` and `packages-dev`, each with `name` and `version`.
//! What the project asked for is in `composer.json`, not here.

use rampart_source::Node;

use crate::lockfile::Reading;
use crate::lockfiles::spanned::{document, line_of};
use crate::{Ecosystem, Package};

pub(crate) fn read(reading: &mut Reading, text: &str) {
    let Some(root) = document(reading, text) else {
        return;
    };
    for (key, dev) in [("packages", false), ("packages-dev", true)] {
        for item in root.get(key).map(Node::items).unwrap_or_default() {
            let line = line_of(item.span);
            let name = item.get("name").and_then(Node::as_str);
            let version = item.get("version").and_then(Node::as_str);
            let (Some(name), Some(version)) = (name, version) else {
                reading.problem(line, format!("an entry of `{key}` has no name or version"));
                continue;
            };
            let found = reading.found(line);
            let package = Package::new(Ecosystem::Packagist, name, version, found);
            reading.packages.push(package.with_dev(dev));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Lockfile;

    #[test]
    fn packages_and_dev_packages() {
        let text = r#"{
    "_readme": ["This file locks the dependencies of your project to a known state"],
    "content-hash": "x",
    "packages": [
        {
            "name": "guzzlehttp/guzzle",
            "version": "7.8.1",
            "source": {"type": "git", "url": "https://github.com/guzzle/guzzle.git"}
        },
        {"name": "broken"}
    ],
    "packages-dev": [
        {"name": "phpunit/phpunit", "version": "10.5.20"}
    ]
}"#;
        let reading = Lockfile::ComposerLock.read("composer.lock", text);
        let got: Vec<_> = reading
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.dev, p.found.line))
            .collect();
        assert_eq!(
            got,
            [
                ("guzzlehttp/guzzle", "7.8.1", false, Some(5)),
                ("phpunit/phpunit", "10.5.20", true, Some(13)),
            ]
        );
        assert_eq!(reading.problems[0].line, Some(10));
        assert_eq!(
            reading.packages[0].purl,
            "pkg:composer/guzzlehttp/guzzle@7.8.1"
        );
    }
}
