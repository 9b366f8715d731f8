//! SPDX 2.3 JSON (spdx.github.io/spdx-spec/v2.3): a document describing one package (the
//! folder or image), which CONTAINS every package found (DEPENDS_ON for those the project asked
//! for directly). Each package carries its purl as a `PACKAGE-MANAGER` external reference;
//! nothing about licences or downloads is claimed (`NOASSERTION`).

use serde::Serialize;

use crate::Relation;
use crate::sbom::{Described, Sbom, short_hash};

/// An SPDX 2.3 document.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Spdx {
    spdx_version: &'static str,
    data_license: &'static str,
    #[serde(rename = "SPDXID")]
    spdx_id: &'static str,
    name: String,
    document_namespace: String,
    creation_info: CreationInfo,
    packages: Vec<SpdxPackage>,
    relationships: Vec<Relationship>,
}

#[derive(Debug, Serialize)]
struct CreationInfo {
    created: String,
    creators: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SpdxPackage {
    #[serde(rename = "SPDXID")]
    spdx_id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version_info: Option<String>,
    download_location: &'static str,
    files_analyzed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_package_purpose: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_info: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_refs: Vec<ExternalRef>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ExternalRef {
    reference_category: &'static str,
    reference_type: &'static str,
    reference_locator: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Relationship {
    spdx_element_id: String,
    relationship_type: &'static str,
    related_spdx_element: String,
}

impl Spdx {
    /// The document for `sbom`, written by rampart `version` at `created` (UTC,
    /// `YYYY-MM-DDThh:mm:ssZ`: the one field SPDX requires that changes between runs).
    pub fn new(sbom: &Sbom, version: &str, created: &str) -> Spdx {
        let root_id = "SPDXRef-Root".to_owned();
        let (purpose, root_version) = match &sbom.kind {
            Described::Folder => ("SOURCE", None),
            Described::Image { digest } => ("CONTAINER", digest.clone()),
        };
        let mut packages = vec![SpdxPackage {
            spdx_id: root_id.clone(),
            name: sbom.name.clone(),
            version_info: root_version,
            download_location: "NOASSERTION",
            files_analyzed: false,
            primary_package_purpose: Some(purpose),
            source_info: None,
            external_refs: Vec::new(),
        }];
        let mut relationships = vec![Relationship {
            spdx_element_id: "SPDXRef-DOCUMENT".to_owned(),
            relationship_type: "DESCRIBES",
            related_spdx_element: root_id.clone(),
        }];
        if let Some(distro) = &sbom.distro {
            let id = format!(
                "SPDXRef-OperatingSystem-{}",
                short_hash(&distro.purl_qualifier())
            );
            packages.push(SpdxPackage {
                spdx_id: id.clone(),
                name: distro.id.clone(),
                version_info: Some(distro.version_id.clone()).filter(|v| !v.is_empty()),
                download_location: "NOASSERTION",
                files_analyzed: false,
                primary_package_purpose: Some("OPERATING-SYSTEM"),
                source_info: None,
                external_refs: Vec::new(),
            });
            relationships.push(contains(&root_id, id));
        }
        for component in sbom.components() {
            let package = component.package;
            let id = format!("SPDXRef-Package-{}", short_hash(&package.purl));
            let places: Vec<String> = component
                .found
                .iter()
                .map(|found| match found.line {
                    Some(line) => format!("{}:{line}", found.path),
                    None => found.path.to_string(),
                })
                .collect();
            packages.push(SpdxPackage {
                spdx_id: id.clone(),
                name: package.name.clone(),
                version_info: Some(package.version.clone()),
                download_location: "NOASSERTION",
                files_analyzed: false,
                primary_package_purpose: Some("LIBRARY"),
                source_info: Some(format!("found in {}", places.join(", "))),
                external_refs: vec![ExternalRef {
                    reference_category: "PACKAGE-MANAGER",
                    reference_type: "purl",
                    reference_locator: package.purl.clone(),
                }],
            });
            relationships.push(match component.relation {
                Some(Relation::Direct) => Relationship {
                    spdx_element_id: root_id.clone(),
                    relationship_type: "DEPENDS_ON",
                    related_spdx_element: id,
                },
                _ => contains(&root_id, id),
            });
        }
        let digest = sbom.digest();
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        Spdx {
            spdx_version: "SPDX-2.3",
            data_license: "CC0-1.0",
            spdx_id: "SPDXRef-DOCUMENT",
            name: sbom.name.clone(),
            document_namespace: format!("https://rampart.dev/spdx/{}-{hex}", slug(&sbom.name)),
            creation_info: CreationInfo {
                created: created.to_owned(),
                creators: vec![format!("Tool: rampart-{version}")],
            },
            packages,
            relationships,
        }
    }
}

fn contains(root: &str, id: String) -> Relationship {
    Relationship {
        spdx_element_id: root.to_owned(),
        relationship_type: "CONTAINS",
        related_spdx_element: id,
    }
}

/// A name as a URI path segment: letters, digits, `.`, `-` and `_`, the rest `-`.
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `seconds` after the Unix epoch as SPDX writes a document's creation time: UTC,
/// `YYYY-MM-DDThh:mm:ssZ`.
pub fn utc_timestamp(seconds: u64) -> String {
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_date(days as i64);
    let (hour, minute, second) = (rest / 3600, rest % 3600 / 60, rest % 60);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_days() {
        assert_eq!(utc_timestamp(1_796_601_600 + 3_723), "2026-12-07T01:02:03Z");
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(11_016), (2000, 2, 29));
        // 2026-12-07.
        assert_eq!(civil_date(20_794), (2026, 12, 7));
    }
}
