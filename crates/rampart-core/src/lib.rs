//! rampart's vocabulary, shared by every stage of the pipeline: what a finding is and what it is
//! about, how severe it is, which rule produced it and which frameworks it maps to. This crate does no I/O.

mod diagnostic;
mod files;
mod finding;
mod framework;
mod image;
mod report;
mod rule;
mod severity;
mod subject;
mod texts;
mod vulnerability;

pub use diagnostic::{Diagnostic, Level};
pub use files::{FileInfo, FileKind, Files, MemoryFiles, resolve};
pub use finding::{
    Evidence, Finding, FlowStep, Location, ObjectRef, Suppression, SuppressionSource,
};
pub use framework::{Framework, PSS_CONTROLS, PssControl};
pub use image::{DEFAULT_REGISTRY, ImageRef, ImageRefError, registry_allowed};
pub use report::{Report, SCHEMA_VERSION, Summary, Tool};
pub use rule::{Concern, Layer, Reference, References, RuleMeta};
pub use severity::Severity;
pub use subject::{Platform, Subject, fingerprint};
pub use texts::Texts;
pub use vulnerability::{CvssSeverity, Vulnerability, VulnerablePackage};
