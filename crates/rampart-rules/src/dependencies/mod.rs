//! Rules on the packages lockfiles and images hold (the `V` family).

mod vulnerable_package;

pub use vulnerable_package::VulnerablePackage;
