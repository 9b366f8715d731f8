//! The Cloud layer's inputs and its provider model. Terraform configurations (HCL and JSON
//! syntax, evaluated with variables, locals, functions, `count`/`for_each`, dynamic blocks and
//! local modules), Terraform plans and CloudFormation templates (with their intrinsic
//! functions) become [`Resource`]s in one shape, and the [`CloudModel`] joins them into what
//! rules read: one S3 bucket however many resources declare it, IAM principals with their
//! policies, the cloud identities Kubernetes service accounts become.
//!
//! No I/O: files arrive parsed (the [`formats`] read them for `rampart-source`), and local
//! modules outside the scanned folders through [`ModuleFiles`].

pub mod cloudformation;
mod format;
pub mod model;
mod resource;
pub mod terraform;
mod value;

pub use format::{CloudInputs, build, formats};
pub use model::CloudModel;
pub use resource::{Origin, Position, Resource};
pub use terraform::ModuleFiles;
pub use value::{UNKNOWN_KEY, Unknown, Value, format_number};
