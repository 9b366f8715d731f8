//! rampart's built-in rules: one file per rule, grouped by layer and concern, listed once in
//! [`registry`]. A rule's doc comment is its documentation.

mod checking;
mod cloud;
mod code;
mod components;
mod dependencies;
mod dockerfile;
mod engine;
mod images;
mod kinds;
mod networking;
mod options;
mod registry;
mod rule;
mod scope;
mod secrets;
mod services;
mod workloads;

pub use checking::check;
pub use engine::{Selection, image_capture, run, run_image, run_inputs};
pub use kinds::{
    Advisories, Analysis, CloudTarget, Code, CodeTarget, DockerfileTarget, Dockerfiles, Holder,
    IamHolders, IamTarget, ImageTarget, Images, NodeTarget, Nodes, Objects, PackageTarget,
    Packages, Resources, Target, TextFileTarget, TextFiles, account_of, statement_location,
};
pub use options::RuleOptions;
pub use registry::{Rule, find, names_a_rule, registry, superseding};
pub use rule::{Hit, ImageInput, Inputs, Kind, Place, RuleOf};
pub use scope::Scope;
