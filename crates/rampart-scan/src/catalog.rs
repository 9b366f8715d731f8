//! The rule catalogue as programs read it (`rampart rules --format json`). Its JSON shape is a
//! contract: docs/json-rules.md.

use rampart_core::{Concern, Layer, References, RuleMeta, Severity};
use rampart_rules::registry;
use serde::Serialize;

/// Version of the catalogue's JSON shape. Raised by any change that breaks a reader.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Catalog {
    pub schema_version: u32,
    pub rules: Vec<CatalogEntry>,
}

/// One rule's metadata, without its documentation (`rampart rule CODE` shows that).
#[derive(Debug, Serialize)]
pub struct CatalogEntry {
    pub code: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    pub layer: Layer,
    pub concern: Concern,
    pub severity: Severity,
    pub references: References,
    pub equivalents: &'static [&'static str],
}

impl From<&RuleMeta> for CatalogEntry {
    fn from(meta: &RuleMeta) -> Self {
        CatalogEntry {
            code: meta.code,
            name: meta.name,
            title: meta.title,
            layer: meta.layer,
            concern: meta.concern,
            severity: meta.severity,
            references: meta.references,
            equivalents: meta.equivalents,
        }
    }
}

/// Every registered rule, in the registry's order.
pub fn catalog() -> Catalog {
    Catalog {
        schema_version: SCHEMA_VERSION,
        rules: registry().iter().map(|rule| rule.meta().into()).collect(),
    }
}
