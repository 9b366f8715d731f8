//! renv's `renv.lock` (JSON): `Packages`, each with `Package`, `Version` and `Source`. Only
//! packages installed from a CRAN-like repository are CRAN's; Bioconductor, GitHub and local
//! sources are not.

use rampart_source::Node;

use crate::lockfile::Reading;
use crate::lockfiles::spanned::{document, line_of};
use crate::{Ecosystem, Package};

pub(crate) fn read(reading: &mut Reading, text: &str) {
    let Some(root) = document(reading, text) else {
        return;
    };
    for entry in root.get("Packages").map(Node::entries).unwrap_or_default() {
        let info = &entry.value;
        let line = line_of(entry.key_span);
        if info.get("Source").and_then(Node::as_str) != Some("Repository") {
            continue;
        }
        let name = info
            .get("Package")
            .and_then(Node::as_str)
            .unwrap_or(&entry.key);
        let Some(version) = info.get("Version").and_then(Node::as_str) else {
            reading.problem(line, format!("`{}` has no Version", entry.key));
            continue;
        };
        let found = reading.found(line);
        reading
            .packages
            .push(Package::new(Ecosystem::Cran, name, version, found));
    }
}

#[cfg(test)]
mod tests {
    use crate::Lockfile;

    #[test]
    fn repository_packages() {
        let text = r#"{
  "R": {
    "Version": "4.3.2",
    "Repositories": [{"Name": "CRAN", "URL": "https://cloud.r-project.org"}]
  },
  "Packages": {
    "jsonlite": {
      "Package": "jsonlite",
      "Version": "1.8.8",
      "Source": "Repository",
      "Repository": "CRAN",
      "Hash": "e1b9c55281c5adc4dd113652d9e26768"
    },
    "BiocGenerics": {"Package": "BiocGenerics", "Version": "0.48.1", "Source": "Bioconductor"},
    "mypkg": {"Package": "mypkg", "Version": "0.1", "Source": "GitHub"}
  }
}"#;
        let reading = Lockfile::RenvLock.read("renv.lock", text);
        let got: Vec<_> = reading
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.found.line,
                    p.purl.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [("jsonlite", "1.8.8", Some(7), "pkg:cran/jsonlite@1.8.8")]
        );
    }
}
