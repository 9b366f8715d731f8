//! SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
//!
//! The log is built from small hand-written serde types covering only what rampart emits; the
//! tests validate the output against the official schema.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use crate::named_subject;
use crate::splice::write_spliced;
use rampart_core::{Diagnostic, Finding, Framework, Report, RuleMeta, Severity};
use serde::Serialize;

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The root every relative artifact URI is resolved against; GitHub maps it to the checkout.
const SOURCE_ROOT: &str = "%SRCROOT%";
/// The key of `partialFingerprints`. Schema 2 changed only the fingerprints of findings that
/// are not on Kubernetes objects, so the key was kept: code-scanning alerts on objects stay open
/// across the upgrade. A recipe change that alters those raises the suffix.
const FINGERPRINT_KEY: &str = "rampart/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: [Invocation; 1],
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'a str,
    version: &'a str,
    semantic_version: &'a str,
    /// The project's home, when the build names one (`repository` in Cargo.toml).
    #[serde(skip_serializing_if = "str::is_empty")]
    information_uri: &'static str,
    rules: Vec<RuleDescriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text,
    full_description: Text,
    help: Text,
    default_configuration: Configuration,
    properties: RuleProperties,
}

/// SARIF's `multiformatMessageString`: plain text, optionally with a Markdown rendering.
#[derive(Serialize)]
struct Text {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<String>,
}

impl Text {
    fn plain(text: impl Into<String>) -> Text {
        Text {
            text: text.into(),
            markdown: None,
        }
    }

    fn from_markdown(markdown: String) -> Text {
        Text {
            text: plain_text(&markdown),
            markdown: Some(markdown),
        }
    }
}

#[derive(Serialize)]
struct Configuration {
    level: Level,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Level {
    Error,
    Warning,
    Note,
}

impl From<Severity> for Level {
    fn from(severity: Severity) -> Level {
        match severity {
            Severity::Critical | Severity::High => Level::Error,
            Severity::Medium => Level::Warning,
            Severity::Low | Severity::Info => Level::Note,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: Level,
    message: Text,
    locations: [Location; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: Level,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    /// The location's flow, source to sink, as one thread.
    #[serde(skip_serializing_if = "Option::is_none")]
    code_flows: Option<[CodeFlow; 1]>,
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CodeFlow {
    thread_flows: [ThreadFlow; 1],
}

#[derive(Serialize)]
struct ThreadFlow {
    locations: Vec<ThreadFlowLocation>,
}

#[derive(Serialize)]
struct ThreadFlowLocation {
    location: Location,
}

impl CodeFlow {
    fn of(steps: &[rampart_core::FlowStep]) -> CodeFlow {
        let locations = steps
            .iter()
            .map(|step| ThreadFlowLocation {
                location: Location {
                    message: Some(Text::plain(step.message.as_str())),
                    ..Location::in_file(&step.location.path, Region::of(&step.location))
                },
            })
            .collect();
        CodeFlow {
            thread_flows: [ThreadFlow { locations }],
        }
    }
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    severity: Severity,
    pointer: &'a str,
    /// The finding's evidence as in the JSON report; items declared in a file are also
    /// related locations.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    evidence: &'a [rampart_core::Evidence],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

impl Location {
    fn in_file(path: &str, region: Option<Region>) -> Location {
        Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation::for_path(path),
                region,
            },
            logical_locations: Vec::new(),
            message: None,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

impl ArtifactLocation {
    /// Relative paths become URIs relative to `%SRCROOT%`; absolute ones (a node's
    /// `/etc/kubernetes/...`) become `file:` URIs. Backslashes are turned into slashes.
    fn for_path(path: &str) -> ArtifactLocation {
        let path = path.replace('\\', "/");
        let path = path.strip_prefix("./").unwrap_or(&path);
        let bytes = path.as_bytes();
        let has_drive = bytes.len() > 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
        if path.starts_with('/') {
            ArtifactLocation {
                uri: format!("file://{}", percent_encode(path, true)),
                uri_base_id: None,
            }
        } else if has_drive && bytes[2] == b'/' {
            ArtifactLocation {
                uri: format!("file:///{}", percent_encode(path, true)),
                uri_base_id: None,
            }
        } else {
            // A colon in a relative reference would read as a URI scheme, so it is encoded.
            ArtifactLocation {
                uri: percent_encode(path, false),
                uri_base_id: Some(SOURCE_ROOT),
            }
        }
    }
}

/// Percent-encodes every byte that may not appear literally in a URI path.
fn percent_encode(path: &str, keep_colon: bool) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        let literal = byte.is_ascii_alphanumeric()
            || b"-._~/!$&'()*+,;=@".contains(&byte)
            || (keep_colon && byte == b':');
        if literal {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    /// SARIF's end column is exclusive, rampart's inclusive.
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

impl Region {
    /// SARIF lines and columns are 1-based; 0 means unknown and is left out.
    fn new(line: u32, column: Option<u32>) -> Option<Region> {
        (line > 0).then(|| Region {
            start_line: line,
            start_column: column.filter(|&column| column > 0),
            end_line: None,
            end_column: None,
        })
    }

    /// The span of `location`, its end where the parser knew it.
    fn of(location: &rampart_core::Location) -> Option<Region> {
        let known = |n: u32| (n > 0).then_some(n);
        Region::new(location.line, Some(location.column)).map(|region| Region {
            end_line: known(location.end_line),
            end_column: known(location.end_column).map(|column| column + 1),
            ..region
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

pub(crate) fn render(
    report: &Report,
    rules: &[&'static RuleMeta],
    out: &mut dyn Write,
) -> io::Result<()> {
    let rule_index: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(index, rule)| (rule.code, index))
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: report.tool.name,
                    version: report.tool.version,
                    semantic_version: report.tool.version,
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: rules.iter().map(|rule| rule_descriptor(rule)).collect(),
                },
            },
            invocations: [Invocation {
                // Unreadable inputs are reported, not fatal: the scan itself completed.
                execution_successful: true,
                tool_execution_notifications: report
                    .errors
                    .iter()
                    .chain(&report.warnings)
                    .map(notification)
                    .collect(),
            }],
            // Spliced in below, in parallel: results are most of a large log.
            results: Vec::new(),
        }],
    };
    let shell = serde_json::to_string_pretty(&log)?;
    write_spliced(
        &shell,
        "results",
        &report.findings,
        |finding| {
            let index = rule_index.get(finding.rule.code).copied();
            serde_json::to_vec_pretty(&result(finding, index))
        },
        out,
    )?;
    out.write_all(b"\n")
}

fn rule_descriptor(rule: &'static RuleMeta) -> RuleDescriptor<'static> {
    let documentation = rule.documentation();
    let help = if documentation.is_empty() {
        Text::plain(rule.title)
    } else {
        Text::from_markdown(documentation)
    };
    RuleDescriptor {
        id: rule.code,
        name: rule.name,
        short_description: Text::plain(rule.title),
        full_description: rule
            .doc_section("What it checks")
            .map_or_else(|| Text::plain(rule.title), Text::from_markdown),
        help,
        default_configuration: Configuration {
            level: rule.severity.into(),
        },
        properties: RuleProperties {
            tags: rule_tags(rule),
            security_severity: security_severity(rule.severity),
        },
    }
}

/// `security` (GitHub only weighs `security-severity` for rules tagged so), the layer, the
/// concern and every framework id. CWE ids use the `external/cwe/cwe-N` form GitHub recognises.
fn rule_tags(rule: &RuleMeta) -> Vec<String> {
    let mut tags = vec![
        "security".to_owned(),
        rule.layer.as_str().to_owned(),
        rule.concern.as_str().to_owned(),
    ];
    for framework in rule.references.frameworks() {
        let ids = rule.references.ids(framework);
        match framework {
            Framework::Cwe => tags.extend(ids.map(|id| {
                let number = id.strip_prefix("CWE-").unwrap_or(id);
                format!("external/cwe/cwe-{number}")
            })),
            _ => {
                let prefix = framework.key().replace('_', "-");
                tags.extend(ids.map(|id| format!("{prefix}:{id}")));
            }
        }
    }
    tags
}

/// GitHub code scanning reads this score (as a string) to place an alert in its severity bands.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// How findings from standard input name their file.
const STDIN_PATH: &str = "-";

fn result(finding: &Finding, rule_index: Option<usize>) -> SarifResult<'_> {
    let location = &finding.location;
    // Standard input is no file a code-scanning UI can open: a Helm stream read from it points
    // at its template instead (without a region: lines count in the rendered stream).
    let mut primary = match &location.template {
        Some(template) if &*location.path == STDIN_PATH => Location::in_file(template, None),
        _ => Location::in_file(&location.path, Region::of(location)),
    };
    if let Some(subject) = named_subject(finding) {
        primary.logical_locations.push(LogicalLocation {
            name: subject.name.clone(),
            fully_qualified_name: subject.label(),
            kind: "resource",
        });
    }
    // The primary location is in the rendered stream; the template is the file to edit.
    let template = location
        .template
        .iter()
        .filter(|_| &*location.path != STDIN_PATH)
        .map(|template| Location {
            message: Some(Text::plain("Helm template this object is rendered from")),
            ..Location::in_file(template, None)
        });
    // The policy that allows a connection, the peer it comes from: where to look next.
    let evidence = finding.evidence.iter().filter_map(|item| {
        let at = item.location.as_ref()?;
        Some(Location {
            message: Some(Text::plain(format!("{}: {}", item.label, item.value))),
            ..Location::in_file(&at.path, Region::of(at))
        })
    });
    let related_locations = template.chain(evidence).collect();
    SarifResult {
        rule_id: finding.rule.code,
        rule_index,
        level: finding.severity.into(),
        message: Text::plain(&*finding.message),
        locations: [primary],
        related_locations,
        code_flows: location
            .flow
            .as_deref()
            .filter(|steps| !steps.is_empty())
            .map(|steps| [CodeFlow::of(steps)]),
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, finding.fingerprint.as_str())]),
        properties: ResultProperties {
            severity: finding.severity,
            pointer: &finding.pointer,
            evidence: &finding.evidence,
        },
    }
}

fn notification(diagnostic: &Diagnostic) -> Notification {
    Notification {
        level: match diagnostic.level {
            rampart_core::Level::Error => Level::Error,
            rampart_core::Level::Warning => Level::Warning,
        },
        message: Text::plain(diagnostic.message.as_str()),
        locations: [Location::in_file(
            &diagnostic.path,
            diagnostic.line.and_then(|line| Region::new(line, None)),
        )],
    }
}

/// Markdown as plain text: headings lose their `#`s, fenced code is indented instead of fenced.
fn plain_text(markdown: &str) -> String {
    let mut in_code = false;
    let mut lines = Vec::new();
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if in_code {
            lines.push(format!("    {line}"));
        } else if line.starts_with('#') {
            lines.push(line.trim_start_matches('#').trim_start().to_owned());
        } else {
            lines.push(line.to_owned());
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uris() {
        let relative = ArtifactLocation::for_path(r".\charts\my app\a:b.yaml");
        assert_eq!(relative.uri, "charts/my%20app/a%3Ab.yaml");
        assert_eq!(relative.uri_base_id, Some(SOURCE_ROOT));
        let absolute = ArtifactLocation::for_path("/etc/kubernetes/manifests/kube-apiserver.yaml");
        assert_eq!(
            absolute.uri,
            "file:///etc/kubernetes/manifests/kube-apiserver.yaml"
        );
        assert_eq!(absolute.uri_base_id, None);
        let windows = ArtifactLocation::for_path(r"C:\deploy\pod.yaml");
        assert_eq!(windows.uri, "file:///C:/deploy/pod.yaml");
        assert_eq!(
            ArtifactLocation::for_path("déjà.yaml").uri,
            "d%C3%A9j%C3%A0.yaml"
        );
    }

    #[test]
    fn markdown_becomes_plain_text() {
        let markdown = "## Example\nBad:\n```yaml\nprivileged: true\n```\nFixed.";
        assert_eq!(
            plain_text(markdown),
            "Example\nBad:\n    privileged: true\nFixed."
        );
    }
}
