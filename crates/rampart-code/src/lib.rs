//! rampart's Code layer: language front-ends lower source files into one intermediate form
//! ([`ir`]), over which a taint analysis ([`taint`]) follows untrusted data from sources to
//! sinks, across functions and modules, with the frameworks' and libraries' behaviour given as
//! data ([`models`]). No I/O: sources arrive as text.

mod format;
pub mod ir;
pub mod models;
mod project;
pub mod python;
pub mod taint;

pub use format::PythonSources;
pub use project::{Project, parse_python};
pub use taint::{Analysis, Flow};
