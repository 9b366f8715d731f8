//! Helm charts rendered as `helm template` renders them, without a `helm` binary: Go's
//! `text/template` ([`gotmpl`]), Sprig's and Helm's functions, values files and `--set`,
//! subcharts, and the rendered stream in Helm's order. No I/O: chart files arrive through
//! [`rampart_core::Files`] or as bytes.

pub mod gofmt;
pub mod gotmpl;
pub mod helm;
pub mod json;
pub mod kustomize;
pub mod sprig;
pub mod value;
pub mod yaml;

pub use value::Value;
