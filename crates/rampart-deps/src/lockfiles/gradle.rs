//! Gradle's dependency lockfiles (`gradle.lockfile`, or one `<configuration>.lockfile` each
//! with older Gradle): `group:artifact:version=configuration,...` per line, `empty=...` for
//! configurations without dependencies. A dependency only test configurations use is dev.

use crate::lockfile::Reading;
use crate::{Ecosystem, Package};

pub(crate) fn read(reading: &mut Reading, text: &str) {
    for (index, line) in text.lines().enumerate() {
        let number = index as u32 + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("empty=") {
            continue;
        }
        let (coordinates, configurations) = line.split_once('=').unwrap_or((line, ""));
        let parts: Vec<&str> = coordinates.split(':').collect();
        let [group, artifact, version] = parts.as_slice() else {
            reading.problem(
                Some(number),
                format!("not `group:artifact:version`: `{line}`"),
            );
            continue;
        };
        let dev = !configurations.is_empty()
            && configurations
                .split(',')
                .all(|configuration| configuration.trim().starts_with("test"));
        let name = format!("{group}:{artifact}");
        let found = reading.found(Some(number));
        let package = Package::new(Ecosystem::Maven, &name, version, found);
        reading.packages.push(package.with_dev(dev));
    }
}

#[cfg(test)]
mod tests {
    use crate::Lockfile;

    #[test]
    fn coordinates_and_configurations() {
        let text = "# This is a Gradle generated file for dependency locking.\n\
                    # Manual edits can break the build and are not advised.\n\
                    # This file is expected to be part of source control.\n\
                    com.google.guava:guava:33.1.0-jre=compileClasspath,runtimeClasspath\n\
                    junit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath\n\
                    not-a-coordinate=compileClasspath\n\
                    empty=annotationProcessor\n";
        let reading = Lockfile::GradleLockfile.read("gradle.lockfile", text);
        let got: Vec<_> = reading
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.dev, p.found.line))
            .collect();
        assert_eq!(
            got,
            [
                ("com.google.guava:guava", "33.1.0-jre", false, Some(4)),
                ("junit:junit", "4.13.2", true, Some(5)),
            ]
        );
        assert_eq!(reading.problems[0].line, Some(6));
        assert_eq!(
            reading.packages[0].purl,
            "pkg:maven/com.google.guava/guava@33.1.0-jre"
        );
    }
}
