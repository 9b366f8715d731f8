use std::sync::Arc;

use rampart_core::{Concern, CvssSeverity, Layer, Severity, VulnerablePackage as Affected, refs};
use rampart_vulndb::Vulnerability;
use rampart_vulndb::severity::Rating;

use crate::rule::{Check, declare_rule};
use crate::{Hit, PackageTarget, Packages};

declare_rule! {
    /// ## What it checks
    /// Packages of lockfiles and images that a known vulnerability affects, according to the
    /// offline vulnerability database (`rampart db`; the scan reads it with `--db DIR` or from
    /// the user's cache folder and never downloads it). Advisories are OSV records matched as
    /// OSV defines ranges, in the ecosystem's own version order; advisories that name one
    /// another (a PYSEC record, its GHSA and its CVE) are one finding. The severity is the
    /// advisory's CVSS base score, computed from its vector. Each finding names the versions
    /// that fix it and the smallest upgrade that fixes every known vulnerability of the
    /// package.
    ///
    /// In an image (distribution packages, Python and Node packages, Go and Rust binaries),
    /// the finding names the layer that added the package and, when the image's history shows
    /// where its base image ends (the base's closing `CMD` or `ENTRYPOINT`), whether that
    /// layer is the base image's (update the base image, named when the image records it
    /// under `org.opencontainers.image.base.name`) or the image's own build's (update it in
    /// the Dockerfile).
    ///
    /// ## Why it matters
    /// A published vulnerability comes with a description of how to exploit it, and often
    /// with working code: scanners that attackers run find the vulnerable version as easily as
    /// this one does. A dependency's flaw runs with the application's privileges, and in an
    /// image a vulnerable system library serves every process that loads it.
    ///
    /// ## Example
    /// ```text
    /// # requirements.txt
    /// requests==2.30.0
    /// ```
    /// Use instead: the upgrade the finding names, which fixes every known advisory.
    /// ```text
    /// requests==2.32.4
    /// ```
    pub struct VulnerablePackage {
        code: "V101",
        name: "vulnerable-package",
        title: "Package has a known vulnerability",
        severity: Severity::High,
        layer: Layer::Code,
        concern: Concern::Dependencies,
        references: refs![
            Mitre: ["T1190"],
            Cwe: ["CWE-1395"],
        ],
        equivalents: &[],
    }
}

/// A finding's severity from the CVSS rating; without a score the rule's own (high).
fn severity(vulnerability: &Vulnerability) -> Option<Severity> {
    vulnerability.severity.as_ref().map(|s| match s.rating {
        Rating::Critical => Severity::Critical,
        Rating::High => Severity::High,
        Rating::Medium => Severity::Medium,
        Rating::Low => Severity::Low,
        Rating::None => Severity::Info,
    })
}

impl Check<Packages> for VulnerablePackage {
    /// The package databases and metadata of an image.
    fn reads_content(&self, path: &str) -> bool {
        rampart_deps::reads_content(path)
    }

    fn check(&self, target: &PackageTarget<'_>, hits: &mut Vec<Hit>) {
        let package = target.package;
        for vulnerability in &target.report.vulnerabilities {
            let fix = match (&target.report.upgrade, vulnerability.fixed.first()) {
                (Some(upgrade), _) => format!(
                    "upgrade to {upgrade}, which fixes every known vulnerability of {}",
                    package.name
                ),
                (None, Some(fixed)) => format!(
                    "fixed in {fixed}; no known fixed version fixes every vulnerability of {}",
                    package.name
                ),
                (None, None) => "no fixed version is known".to_owned(),
            };
            let aliases = if vulnerability.aliases.is_empty() {
                String::new()
            } else {
                format!(" ({})", vulnerability.aliases.join(", "))
            };
            let layer = package.found.layer.as_ref().map(|l| l.index);
            let in_base_image = target
                .image
                .zip(layer)
                .and_then(|(i, l)| i.in_base_image(l));
            let base_image = target.image.and_then(|i| i.base?.name.clone());
            let origin = match (target.image, layer) {
                (Some(image), Some(index)) => {
                    let layer = image.image.describe_layer(index);
                    match (in_base_image, &base_image) {
                        (Some(true), Some(base)) => format!(
                            "; {layer} is from the base image {base}: update the base image"
                        ),
                        (Some(true), None) => {
                            format!("; {layer} is from the base image: update the base image")
                        }
                        (Some(false), _) => {
                            format!("; {layer} was added by the image's own build: update it there")
                        }
                        (None, _) => format!("; added by {layer}"),
                    }
                }
                _ => String::new(),
            };
            let message = format!(
                "{} {} is affected by {}{aliases}: {}; {fix}{origin}",
                package.name, package.version, vulnerability.id, vulnerability.summary
            );
            // In an image: the file that lists the package (not its layer's position, which a
            // rebuild can move).
            let pointer = match target.image {
                Some(_) => package.found.path.to_string(),
                None => String::new(),
            };
            let mut hit = Hit::new(pointer, message);
            hit.severity = severity(vulnerability);
            hit.identity = Some(vulnerability.id.clone());
            hit.vulnerability = Some(Arc::new(rampart_core::Vulnerability {
                id: vulnerability.id.clone(),
                aliases: vulnerability.aliases.clone(),
                summary: vulnerability.summary.clone(),
                severity: vulnerability.severity.as_ref().map(|s| CvssSeverity {
                    cvss: s.cvss.to_owned(),
                    vector: s.vector.clone(),
                    score: s.score,
                    rating: s.rating.as_str().to_owned(),
                }),
                package: Affected {
                    ecosystem: package.osv_ecosystem(),
                    name: package.name.clone(),
                    version: package.version.clone(),
                    purl: package.purl.clone(),
                    source: package.source.as_ref().map(|s| s.name.clone()),
                    layer,
                    in_base_image,
                    base_image: base_image.clone(),
                },
                fixed: vulnerability.fixed.clone(),
                upgrade: target.report.upgrade.clone(),
            }));
            hits.push(hit);
        }
    }
}
