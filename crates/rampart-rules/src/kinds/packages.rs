use std::borrow::Cow;
use std::sync::Arc;

use rampart_core::{Diagnostic, Finding, Location, Platform, Subject, Texts};
use rampart_deps::{Ecosystem, Package};
use rampart_vulndb::{PackageReport, Query};

use crate::checking::{check, each};
use crate::{Hit, Inputs, Kind, RuleOf, RuleOptions};

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
    /// The package's vulnerabilities, fixes and upgrade.
    pub report: PackageReport,
    /// The version the advisories compare: the source package's for a distribution package
    /// built from one.
    pub version: &'a str,
    pub subject: Arc<Subject>,
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
        each(inputs.inventory.all::<Package>(), |package| {
            let ecosystem = package.osv_ecosystem();
            let query = query(package, &ecosystem);
            let error = |message: String| {
                Diagnostic::error(package.found.path.to_string(), package.found.line, message)
            };
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
        })
    }

    fn subject(target: &PackageTarget<'_>, _hit: &Hit) -> Arc<Subject> {
        target.subject.clone()
    }

    /// The line of the lockfile (or the package database's entry) that names the package.
    fn location(target: &PackageTarget<'_>, _hit: &Hit) -> Location {
        let found = &target.package.found;
        match found.line {
            Some(line) => Location::new(found.path.clone(), line, 1),
            None => Location::new(found.path.clone(), 0, 0),
        }
    }

    fn field_identity<'t>(_target: &'t PackageTarget<'_>, pointer: &'t str) -> Cow<'t, str> {
        Cow::Borrowed(pointer)
    }
}
