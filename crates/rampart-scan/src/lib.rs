//! The scan pipeline as a library: from targets to a [`Report`](rampart_core::Report). The
//! binary, and later the admission webhook and the live-cluster reader, call it.
//!
//! ```text
//! Config::discover ─> Scanner::new (rules, baseline) ─> Scanner::read (files, nodes) ─┐
//!                                          Scanner::read_node, Scanner::read_images ─┤
//!                                     Inputs::from(inventory built in memory) ────────┤
//!                                                        Scanner::scan ─> Report <────┘
//! ```
//!
//! Reading renders what is rendered before it is scanned (Helm charts: [`render`]), so every
//! command sees the objects a chart installs, not its templates.
//!
//! [`Scanner::scan`] runs the analyses (objects, Dockerfiles and the images that build the
//! workloads' images, nodes, images), then the four kinds of suppression (annotation, comment,
//! configuration, baseline: `suppress.rs`), and assembles the report. [`Scanner::read_node`]
//! reads a node for `rampart node`, [`Scanner::read_images`] images for `rampart image`. The
//! `images` and `pss` commands' results are [`images::list`] and [`pss::check`] of what
//! [`read`] read; `rbac` and `netpol` assemble those commands' answers from the RBAC model and
//! the NetworkPolicy analysis, and `rules` lists the rule catalogue ([`catalog::catalog`]).
//! [`sbom::sbom`] gathers the packages of a folder or an image for `rampart sbom`.

pub mod catalog;
mod cloud;
mod config;
pub mod db;
pub mod iam;
mod image;
pub mod images;
pub mod netpol;
mod node;
pub mod pss;
pub mod rbac;
pub mod render;
pub mod sbom;
mod scanner;
mod suppress;

pub use config::{CONFIG_FILE, Config, Exclusion, RuleSelection};
pub use image::{ImageOptions, ImageSet};
pub use scanner::{Inputs, ScanOptions, Scanner, read};
