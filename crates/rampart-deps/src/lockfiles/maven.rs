//! Maven's `pom.xml`: the dependencies it declares (`project/dependencies`), their versions
//! with `${property}` resolved from its `properties` and the project's own coordinates, or
//! taken from its `dependencyManagement` when a dependency gives none. A version only a parent
//! POM or an imported BOM sets is not in the file: that dependency is left out. Every declared
//! dependency is direct; `test` and `provided` scopes are dev.

use std::collections::BTreeMap;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::lockfile::Reading;
use crate::{Ecosystem, Package, Relation};

#[derive(Default)]
struct Dependency {
    group: String,
    artifact: String,
    version: String,
    scope: String,
    line: u32,
}

/// How deep `${a}` may lead to `${b}` and on.
const MAX_EXPANSION: usize = 16;

pub(crate) fn read(reading: &mut Reading, text: &str) {
    let mut xml = Reader::from_str(text);
    xml.config_mut().trim_text(true);
    let mut path: Vec<String> = Vec::new();
    let mut properties: BTreeMap<String, String> = BTreeMap::new();
    let mut declared: Vec<Dependency> = Vec::new();
    let mut managed: Vec<Dependency> = Vec::new();
    let mut current: Option<Dependency> = None;
    loop {
        let offset = xml.buffer_position() as usize;
        let event = match xml.read_event() {
            Ok(event) => event,
            Err(error) => {
                let line = reading.line_of(xml.error_position() as usize);
                reading.problem(Some(line), format!("not well-formed XML: {error}"));
                return;
            }
        };
        match event {
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                path.push(name);
                if path_is(&path, &["project", "dependencies", "dependency"])
                    || path_is(
                        &path,
                        &[
                            "project",
                            "dependencyManagement",
                            "dependencies",
                            "dependency",
                        ],
                    )
                {
                    let line = reading.line_of(offset + leading_space(&text[offset..]));
                    current = Some(Dependency {
                        line,
                        ..Dependency::default()
                    });
                }
            }
            Event::End(_) => {
                if let Some(dependency) =
                    current.take_if(|_| path.last().is_some_and(|n| n == "dependency"))
                {
                    if path.len() == 3 {
                        declared.push(dependency);
                    } else {
                        managed.push(dependency);
                    }
                }
                path.pop();
            }
            Event::Text(content) => {
                let value = content
                    .decode()
                    .map(|v| v.trim().to_owned())
                    .unwrap_or_default();
                let names: Vec<&str> = path.iter().map(String::as_str).collect();
                match names.as_slice() {
                    ["project", "properties", key] => {
                        properties.insert((*key).to_owned(), value);
                    }
                    ["project", field @ ("groupId" | "artifactId" | "version")] => {
                        properties.insert(format!("project.{field}"), value);
                    }
                    ["project", "parent", field @ ("groupId" | "version")] => {
                        properties.insert(format!("project.parent.{field}"), value.clone());
                        // A project without its own group or version inherits the parent's.
                        properties
                            .entry(format!("project.{field}"))
                            .or_insert(value);
                    }
                    [.., "dependency", field] => {
                        if let Some(dependency) = &mut current {
                            match *field {
                                "groupId" => dependency.group = value,
                                "artifactId" => dependency.artifact = value,
                                "version" => dependency.version = value,
                                "scope" => dependency.scope = value,
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    for dependency in &declared {
        let group = expand(&dependency.group, &properties);
        let artifact = expand(&dependency.artifact, &properties);
        let (Some(group), Some(artifact)) = (group, artifact) else {
            continue;
        };
        let version = if dependency.version.is_empty() {
            managed
                .iter()
                .find(|m| {
                    expand(&m.group, &properties).as_deref() == Some(group.as_str())
                        && expand(&m.artifact, &properties).as_deref() == Some(artifact.as_str())
                })
                .map(|m| m.version.as_str())
        } else {
            Some(dependency.version.as_str())
        };
        let Some(version) = version.filter(|v| !v.is_empty()) else {
            continue;
        };
        let Some(version) = expand(version, &properties) else {
            reading.problem(
                Some(dependency.line),
                format!(
                    "the version `{version}` of {group}:{artifact} is not set in this file \
                     (a parent POM's property?); the dependency is left out"
                ),
            );
            continue;
        };
        if version.starts_with(['[', '(']) {
            // A range names no one version.
            continue;
        }
        let name = format!("{group}:{artifact}");
        let found = reading.found(Some(dependency.line));
        let dev = matches!(dependency.scope.as_str(), "test" | "provided");
        let package = Package::new(Ecosystem::Maven, &name, &version, found)
            .with_relation(Some(Relation::Direct))
            .with_dev(dev);
        reading.packages.push(package);
    }
}

fn path_is(path: &[String], expected: &[&str]) -> bool {
    path.len() == expected.len() && path.iter().zip(expected).all(|(a, b)| a == b)
}

/// How many bytes of white space come before the next tag, which the reader's position
/// does not skip.
fn leading_space(rest: &str) -> usize {
    rest.len() - rest.trim_start().len()
}

/// `text` with every `${name}` replaced by its property; `None` when one is not set.
fn expand(text: &str, properties: &BTreeMap<String, String>) -> Option<String> {
    let mut text = text.to_owned();
    for _ in 0..MAX_EXPANSION {
        let Some(start) = text.find("${") else {
            return Some(text);
        };
        let end = start + text[start..].find('}')?;
        let value = properties.get(&text[start + 2..end])?;
        text.replace_range(start..=end, value);
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::Lockfile;

    #[test]
    fn declared_versions_and_properties() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>shop</artifactId>
  <version>1.4.0</version>
  <properties>
    <log4j.version>2.14.1</log4j.version>
    <jackson.version>2.17.0</jackson.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>com.fasterxml.jackson.core</groupId>
        <artifactId>jackson-databind</artifactId>
        <version>${jackson.version}</version>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>${log4j.version}</version>
    </dependency>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
    </dependency>
    <dependency>
      <groupId>${project.groupId}</groupId>
      <artifactId>shop-common</artifactId>
      <version>${project.version}</version>
    </dependency>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
      <version>4.13.2</version>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.springframework</groupId>
      <artifactId>spring-core</artifactId>
    </dependency>
    <dependency>
      <groupId>org.example</groupId>
      <artifactId>from-parent</artifactId>
      <version>${revision}</version>
    </dependency>
  </dependencies>
</project>
"#;
        let reading = Lockfile::Pom.read("pom.xml", text);
        let got: Vec<_> = reading
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.dev, p.found.line))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "org.apache.logging.log4j:log4j-core",
                    "2.14.1",
                    false,
                    Some(21)
                ),
                (
                    "com.fasterxml.jackson.core:jackson-databind",
                    "2.17.0",
                    false,
                    Some(26)
                ),
                ("com.example:shop-common", "1.4.0", false, Some(30)),
                ("junit:junit", "4.13.2", true, Some(35)),
            ]
        );
        assert_eq!(reading.problems.len(), 1);
        assert_eq!(reading.problems[0].line, Some(45));
    }

    #[test]
    fn broken_xml_is_a_problem_with_its_line() {
        let reading = Lockfile::Pom.read("pom.xml", "<project>\n  <dependencies>\n  </project>\n");
        assert!(reading.packages.is_empty());
        assert_eq!(reading.problems[0].line, Some(3));
    }
}
