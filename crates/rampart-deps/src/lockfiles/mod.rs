//! One reader per lockfile or manifest format.

pub(crate) mod cargo;
pub(crate) mod golang;
pub(crate) mod npm;
pub(crate) mod python;
pub(crate) mod requirements;
pub(crate) mod spanned;
