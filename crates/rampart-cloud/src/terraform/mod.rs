//! Terraform: configurations in HCL or JSON syntax evaluated by rampart ([`evaluate`]), and
//! plans evaluated by Terraform ([`parse_plan`]).

mod data_sources;
mod eval;
mod functions;
mod module;
mod plan;
mod syntax;

pub(crate) use module::parse_ignore;
pub use module::{Evaluated, Limits, ModuleFiles, NoModuleFiles, evaluate};
pub(crate) use plan::value_of;
pub use plan::{TerraformPlan, is_plan, parse_plan};
pub use syntax::{Attribute, Block, Body, FileRole, LineCol, TerraformFile, parse_file};
