//! The kinds of input rules read, one file each: the target its rules look at, where a scan
//! holds its inputs, and how a hit on it becomes a finding (see [`Kind`](crate::Kind)).

mod code;
mod dockerfiles;
mod iam;
mod images;
mod nodes;
mod objects;
mod packages;
mod resources;
mod text_files;

pub use code::{Code, CodeTarget};
pub use dockerfiles::{DockerfileTarget, Dockerfiles};
pub use iam::{Analysis, Holder, IamHolders, IamTarget, account_of, statement_location};
pub use images::{ImageTarget, Images};
pub use nodes::{NodeTarget, Nodes};
pub use objects::{Objects, Target};
pub use packages::{Advisories, PackageTarget, Packages};
pub use resources::{CloudTarget, Resources};
pub use text_files::{TextFileTarget, TextFiles};
