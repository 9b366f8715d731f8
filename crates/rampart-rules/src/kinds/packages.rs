use std::borrow::Cow;
use std::sync::Arc;

use rampart_core::{Diagnostic, Finding, Location, Platform, Subject, Texts};
use rampart_deps::{BaseImage, Ecosystem, Installed, Package, base_image, image_packages};
use rampart_image::Image;
use rampart_vulndb::{PackageReport, Query};

use crate::checking::{check, each};
use crate::{Hit, ImageInput, Inputs, Kind, RuleOf, RuleOptions};

/// What the vulnerability rules ask of the advisory database. The scan opens the database and
/// answers; the rules do no I/O of their own.
pub trait Advisories: Sync {
    fn check(&self, query: &Query<'_>) -> Result<PackageReport, String>;
}

/// Packages of lockfiles and images, one at a time, with what the database knows of them.
/// Without a database these rules have nothing to read, and the scan says so.
pub struct Packages;

pub struct PackageTarget<'a> {
    pub package: &'a Package,
    /// For a package of an image, the image and what its history says of the package's layer.
    pub image: Option<ImageOrigin<'a>>,
    /// The package's vulnerabilities, fixes and upgrade.
    pub report: PackageReport,
    /// The version the advisories compare: the source package's for a distribution package
    /// built from one.
    pub version: &'a str,
    pub subject: Arc<Subject>,
}

/// The image a package was found in.
#[derive(Clone, Copy)]
pub struct ImageOrigin<'a> {
    pub image: &'a Image,
    /// How findings name the image.
    pub shown: &'a str,
    /// The layers that came from its base image, when its history tells.
    pub base: Option<&'a BaseImage>,
}

impl ImageOrigin<'_> {
    /// Whether the layer at `index` is one of the base image's; `None` when unknown.
    pub fn in_base_image(&self, index: usize) -> Option<bool> {
        self.base.map(|base| index < base.layers)
    }
}

/// The packages of one image, read once for all package rules.
struct ImagePackages<'a> {
    image: &'a Image,
    shown: &'a str,
    installed: Installed,
    base: Option<BaseImage>,
}

/// The package as its ecosystem's advisories name it.
fn query<'a>(package: &'a Package, ecosystem: &'a str) -> Query<'a> {
    let source = package
        .source
        .as_ref()
        .filter(|_| package.ecosystem.is_distribution());
    // Debian, Ubuntu and Alpine file advisories under the source package and its version.
    let by_source = source.filter(|_| {
        matches!(
            package.ecosystem,
            Ecosystem::Debian | Ecosystem::Ubuntu | Ecosystem::Alpine
        )
    });
    Query {
        ecosystem,
        name: &package.name,
        version: by_source.map_or(&package.version, |s| &s.version),
        source: by_source.map(|s| s.name.as_str()),
    }
}

impl Kind for Packages {
    type Target<'a> = PackageTarget<'a>;

    fn run(
        inputs: &Inputs<'_>,
        _options: &RuleOptions,
        rules: &[&'static dyn RuleOf<Packages>],
        texts: &Texts,
    ) -> (Vec<Finding>, Vec<Diagnostic>) {
        let Some(advisories) = inputs.advisories else {
            return Default::default();
        };
        let images: Vec<ImagePackages<'_>> = inputs
            .images
            .iter()
            .map(|&ImageInput { image, shown }| ImagePackages {
                image,
                shown,
                installed: image_packages(image),
                base: base_image(image),
            })
            .collect();
        let mut packages: Vec<(&Package, Option<ImageOrigin<'_>>)> = inputs
            .inventory
            .all::<Package>()
            .iter()
            .map(|package| (package, None))
            .collect();
        let mut errors = Vec::new();
        for found in &images {
            let origin = ImageOrigin {
                image: found.image,
                shown: found.shown,
                base: found.base.as_ref(),
            };
            packages.extend(found.installed.packages.iter().map(|p| (p, Some(origin))));
            // A package database of the image that cannot be read: named inside the image.
            errors.extend(found.installed.problems.iter().map(|problem| Diagnostic {
                path: format!("{} {}", found.shown, problem.path),
                ..problem.clone()
            }));
        }
        let (findings, mut more) = each(&packages, |&(package, image)| {
            let ecosystem = package.osv_ecosystem();
            let query = query(package, &ecosystem);
            let shown = image.map_or(&*package.found.path, |i| i.shown);
            let error =
                |message: String| Diagnostic::error(shown.to_owned(), package.found.line, message);
            let report = match advisories.check(&query) {
                Ok(report) => report,
                Err(reason) => return (Vec::new(), vec![error(reason)]),
            };
            let errors = report
                .problems
                .iter()
                .map(|problem| error(format!("{} {}: {problem}", package.name, package.version)))
                .collect();
            let target = PackageTarget {
                version: query.version,
                package,
                image,
                report,
                subject: Arc::new(Subject {
                    platform: Platform::Package,
                    system: None,
                    kind: "package".to_owned(),
                    scope: Some(ecosystem.clone()),
                    name: package.name.clone(),
                    version: Some(package.version.clone()),
                }),
            };
            (check(&target, rules, texts), errors)
        });
        errors.append(&mut more);
        (findings, errors)
    }

    fn subject(target: &PackageTarget<'_>, _hit: &Hit) -> Arc<Subject> {
        target.subject.clone()
    }

    /// The line of the lockfile that names the package; for a package of an image, the
    /// image (the hit's pointer names the layer and the file).
    fn location(target: &PackageTarget<'_>, _hit: &Hit) -> Location {
        let found = &target.package.found;
        match (target.image, found.line) {
            (Some(image), _) => Location::new(Arc::from(image.shown), 0, 0),
            (None, Some(line)) => Location::new(found.path.clone(), line, 1),
            (None, None) => Location::new(found.path.clone(), 0, 0),
        }
    }

    fn field_identity<'t>(_target: &'t PackageTarget<'_>, pointer: &'t str) -> Cow<'t, str> {
        Cow::Borrowed(pointer)
    }
}
