//! One reader per lockfile or manifest format.

pub(crate) mod bun;
pub(crate) mod cabal;
pub(crate) mod cargo;
pub(crate) mod composer;
pub(crate) mod dart;
pub(crate) mod dotnet;
pub(crate) mod elixir;
pub(crate) mod golang;
pub(crate) mod gradle;
pub(crate) mod maven;
pub(crate) mod npm;
pub(crate) mod pnpm;
pub(crate) mod python;
pub(crate) mod renv;
pub(crate) mod requirements;
pub(crate) mod ruby;
pub(crate) mod spanned;
pub(crate) mod yarn;
