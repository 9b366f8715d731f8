//! The AWS managed policies rampart knows by name (`data/managed.json`), written from the
//! definitions AWS publishes: attaching `arn:aws:iam::aws:policy/AdministratorAccess` is
//! evaluated as its document. Policies too large to keep (`ReadOnlyAccess`) are kept as what
//! bounds them: they may allow List and Read actions, never more.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use crate::policy::Policy;

/// What rampart knows of an AWS managed policy.
#[derive(Debug)]
pub enum Managed {
    Document(Policy),
    /// Grants List and Read actions only, of services too many to list.
    ReadOnly,
}

static MANAGED: LazyLock<BTreeMap<String, Managed>> = LazyLock::new(|| {
    let table: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(include_str!("../data/managed.json"))
            .expect("data/managed.json is a JSON object");
    table
        .into_iter()
        .filter(|(name, _)| !name.starts_with('_'))
        .map(|(name, value)| {
            let managed = match value.as_str() {
                Some("read-only") => Managed::ReadOnly,
                _ => Managed::Document(
                    Policy::from_value(&value)
                        .unwrap_or_else(|e| panic!("data/managed.json: {name}: {e}")),
                ),
            };
            (name, managed)
        })
        .collect()
});

/// The name of an AWS managed policy from its ARN (`arn:aws:iam::aws:policy/job-function/
/// ViewOnlyAccess` is `job-function/ViewOnlyAccess`), in any partition; `None` for other ARNs.
pub fn aws_managed_name(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("arn:")?;
    let (_partition, rest) = rest.split_once(':')?;
    rest.strip_prefix("iam::aws:policy/")
}

/// What rampart knows of the AWS managed policy at `arn`.
pub fn aws_managed(arn: &str) -> Option<&'static Managed> {
    MANAGED.get(aws_managed_name(arn)?)
}

/// The names of every AWS managed policy rampart knows.
pub fn known() -> impl Iterator<Item = &'static str> {
    MANAGED.keys().map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managed_policies_are_known_by_arn_in_any_partition() {
        assert!(matches!(
            aws_managed("arn:aws:iam::aws:policy/AdministratorAccess"),
            Some(Managed::Document(_))
        ));
        assert!(matches!(
            aws_managed("arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess"),
            Some(Managed::ReadOnly)
        ));
        assert!(aws_managed("arn:aws:iam::123456789012:policy/AdministratorAccess").is_none());
        assert!(aws_managed("arn:aws:iam::aws:policy/NoSuchPolicy").is_none());
        assert!(known().count() >= 15);
    }
}
