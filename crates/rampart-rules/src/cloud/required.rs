//! The shape most cloud rules share: a setting a resource type must hold, with the values
//! that are safe and whether leaving it out is (the provider's default).

use rampart_cloud::{Resource, Value};

use crate::{CloudTarget, Hit};

/// A setting rule: resources of `kinds` must hold a safe value at the first of `paths` they
/// set.
pub(crate) struct Required {
    /// The provider-model types the rule reads.
    pub kinds: &'static [&'static str],
    /// Where the setting is, `/`-separated through nested blocks
    /// (`metadata_options/http_tokens`), in the provider model's names; several when
    /// Terraform and CloudFormation (or two provider versions) name it differently.
    pub paths: &'static [&'static str],
    /// Whether a known value is safe.
    pub safe: fn(&Value) -> bool,
    /// Whether leaving the setting out is safe: what the provider does by default.
    pub default_safe: bool,
    /// Resources the rule does not apply to.
    pub unless: fn(&Resource) -> bool,
    pub message: &'static str,
}

impl Required {
    pub(crate) fn check(&self, target: &CloudTarget<'_>, hits: &mut Vec<Hit>) {
        let resource = target.resource;
        if !target.is(self.kinds) || (self.unless)(resource) {
            return;
        }
        let found = self
            .paths
            .iter()
            .find_map(|path| Some((*path, resource.get(path).filter(|v| !v.is_null())?)));
        match found {
            None if !self.default_safe => {
                hits.push(Hit::new(format!("/{}", self.paths[0]), self.message));
            }
            Some((path, value)) if !value.has_unknown() && !(self.safe)(value) => {
                hits.push(Hit::new(format!("/{path}"), self.message));
            }
            _ => {}
        }
    }
}

/// For [`Required::unless`]: every resource of its kinds.
pub(crate) fn never(_resource: &Resource) -> bool {
    false
}

pub(crate) fn is_true(value: &Value) -> bool {
    value.as_bool() == Some(true)
}

pub(crate) fn is_not_true(value: &Value) -> bool {
    value.as_bool() != Some(true)
}

pub(crate) fn is_not_false(value: &Value) -> bool {
    value.as_bool() != Some(false)
}

/// Set to something other than an empty string or list.
pub(crate) fn is_set(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(text) => !text.is_empty(),
        Value::List(items) => !items.is_empty(),
        _ => true,
    }
}

/// Not set, or set to an empty string or list.
pub(crate) fn is_empty(value: &Value) -> bool {
    !is_set(value)
}
