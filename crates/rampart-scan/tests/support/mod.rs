//! Helpers shared by this crate's tests (and the binary's, which include them by path).

pub mod node_root;
