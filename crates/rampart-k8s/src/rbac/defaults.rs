//! The roles and bindings every cluster starts with, so that bindings to `cluster-admin`,
//! `edit` or `view` are understood even when the input does not contain those roles.

use std::sync::OnceLock;

use rampart_source::{Limits, Object, parse_text};

/// Where default objects say they come from in answers and diagnostics.
pub const DEFAULTS_PATH: &str = "builtin:rbac/defaults.yaml";

/// The bootstrap policy's objects, parsed once.
pub fn default_objects() -> &'static [Object] {
    static OBJECTS: OnceLock<Vec<Object>> = OnceLock::new();
    OBJECTS.get_or_init(|| {
        let (objects, errors) = parse_text(
            DEFAULTS_PATH,
            include_str!("defaults.yaml"),
            &Limits::default(),
        );
        debug_assert!(errors.is_empty(), "{errors:?}");
        objects
    })
}
