//! CycloneDX 1.6 JSON (cyclonedx.org/docs/1.6/json): the document's metadata names rampart
//! and what was described; each package is a `library` component with its purl, the places it
//! was found as `evidence.occurrences`, and rampart's facts as properties; the distribution is
//! an `operating-system` component; `dependencies` lists what the project asked for directly.

use serde::Serialize;

use crate::sbom::{Component, Described, Sbom, short_hash};
use crate::{Ecosystem, Relation};

/// A CycloneDX 1.6 document.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CycloneDx {
    bom_format: &'static str,
    spec_version: &'static str,
    serial_number: String,
    version: u32,
    metadata: Metadata,
    components: Vec<CdxComponent>,
    dependencies: Vec<Dependency>,
}

#[derive(Debug, Serialize)]
struct Metadata {
    tools: Tools,
    component: CdxComponent,
}

#[derive(Debug, Serialize)]
struct Tools {
    components: Vec<CdxComponent>,
}

#[derive(Debug, Default, Serialize)]
struct CdxComponent {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref", skip_serializing_if = "Option::is_none")]
    bom_ref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<Evidence>,
}

#[derive(Debug, Serialize)]
struct Property {
    name: &'static str,
    value: String,
}

#[derive(Debug, Serialize)]
struct Evidence {
    occurrences: Vec<Occurrence>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Occurrence {
    location: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_context: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Dependency {
    #[serde(rename = "ref")]
    reference: String,
    depends_on: Vec<String>,
}

impl CycloneDx {
    /// The document for `sbom`, written by rampart `version`.
    pub fn new(sbom: &Sbom, version: &str) -> CycloneDx {
        let digest = sbom.digest();
        let root_ref = format!("root-{}", short_hash(&sbom.name));
        let (kind, root_version) = match &sbom.kind {
            Described::Folder => ("application", None),
            Described::Image { digest } => ("container", digest.clone()),
        };
        let mut components: Vec<CdxComponent> = Vec::new();
        if let Some(distro) = &sbom.distro {
            components.push(CdxComponent {
                kind: "operating-system",
                bom_ref: Some(format!("os-{}", distro.purl_qualifier())),
                name: distro.id.clone(),
                version: Some(distro.version_id.clone()).filter(|v| !v.is_empty()),
                properties: vec![Property {
                    name: "rampart:pretty-name",
                    value: distro.pretty_name.clone(),
                }],
                ..CdxComponent::default()
            });
        }
        let mut direct = Vec::new();
        for component in sbom.components() {
            if component.relation == Some(Relation::Direct) {
                direct.push(component.package.purl.clone());
            }
            components.push(library(&component));
        }
        CycloneDx {
            bom_format: "CycloneDX",
            spec_version: "1.6",
            serial_number: format!("urn:uuid:{}", uuid(&digest)),
            version: 1,
            metadata: Metadata {
                tools: Tools {
                    components: vec![CdxComponent {
                        kind: "application",
                        name: "rampart".to_owned(),
                        version: Some(version.to_owned()),
                        ..CdxComponent::default()
                    }],
                },
                component: CdxComponent {
                    kind,
                    bom_ref: Some(root_ref.clone()),
                    name: sbom.name.clone(),
                    version: root_version,
                    ..CdxComponent::default()
                },
            },
            components,
            dependencies: if direct.is_empty() {
                Vec::new()
            } else {
                vec![Dependency {
                    reference: root_ref,
                    depends_on: direct,
                }]
            },
        }
    }
}

fn library(component: &Component<'_>) -> CdxComponent {
    let package = component.package;
    // CycloneDX's `group`: a Maven group or an npm scope.
    let (group, name) = match package.ecosystem {
        Ecosystem::Maven => match package.name.split_once(':') {
            Some((group, artifact)) => (Some(group.to_owned()), artifact.to_owned()),
            None => (None, package.name.clone()),
        },
        _ => (None, package.name.clone()),
    };
    let mut properties = vec![Property {
        name: "rampart:ecosystem",
        value: package.osv_ecosystem(),
    }];
    if let Some(relation) = component.relation {
        let value = match relation {
            Relation::Direct => "direct",
            Relation::Transitive => "transitive",
        };
        properties.push(Property {
            name: "rampart:relation",
            value: value.to_owned(),
        });
    }
    if let Some(source) = &package.source {
        properties.push(Property {
            name: "rampart:source-package",
            value: format!("{} {}", source.name, source.version),
        });
    }
    let occurrences = component
        .found
        .iter()
        .map(|found| Occurrence {
            location: found.path.to_string(),
            line: found.line,
            additional_context: found.layer.as_ref().map(|layer| match &layer.digest {
                Some(digest) => format!("layer {} ({digest})", layer.index + 1),
                None => format!("layer {}", layer.index + 1),
            }),
        })
        .collect();
    CdxComponent {
        kind: "library",
        bom_ref: Some(package.purl.clone()),
        group,
        name,
        version: Some(package.version.clone()),
        // Development-only packages are not part of what ships.
        scope: Some(if component.dev {
            "excluded"
        } else {
            "required"
        }),
        purl: Some(package.purl.clone()),
        properties,
        evidence: Some(Evidence { occurrences }),
    }
}

/// An RFC 4122 UUID (version 5 form) made from a digest, so that the same content gets the
/// same serial number.
pub(crate) fn uuid(digest: &[u8; 32]) -> String {
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}
