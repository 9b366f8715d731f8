//! The catalogue of AWS actions for the services rampart's rules and escalation methods name,
//! with their access levels, as the Service Authorization Reference lists them
//! (`data/actions.txt`). It answers what a wildcard or a `NotAction` grants: `iam:*` covers
//! `iam:PassRole`, `NotAction: s3:*` every IAM action.

use std::sync::LazyLock;

use serde::Serialize;

use crate::pattern::action_matches;

/// The access level the Service Authorization Reference gives an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessLevel {
    List,
    Read,
    Write,
    /// "Permissions management": actions that change who may do what.
    Permissions,
    Tagging,
}

impl AccessLevel {
    fn parse(name: &str) -> Option<AccessLevel> {
        Some(match name {
            "list" => AccessLevel::List,
            "read" => AccessLevel::Read,
            "write" => AccessLevel::Write,
            "permissions" => AccessLevel::Permissions,
            "tagging" => AccessLevel::Tagging,
            _ => return None,
        })
    }

    /// Whether actions of this level change something.
    pub fn writes(self) -> bool {
        matches!(
            self,
            AccessLevel::Write | AccessLevel::Permissions | AccessLevel::Tagging
        )
    }
}

/// One action of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// `iam:PassRole`.
    pub name: String,
    pub level: AccessLevel,
}

impl Action {
    pub fn service(&self) -> &str {
        self.name.split(':').next().unwrap_or_default()
    }
}

static CATALOGUE: LazyLock<Vec<Action>> = LazyLock::new(|| {
    let mut actions = Vec::new();
    for line in include_str!("../data/actions.txt").lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(service), Some(level)) = (words.next(), words.next()) else {
            continue;
        };
        let level = AccessLevel::parse(level)
            .unwrap_or_else(|| panic!("data/actions.txt: unknown access level `{level}`"));
        actions.extend(words.map(|name| Action {
            name: format!("{service}:{name}"),
            level,
        }));
    }
    actions
});

/// Every action of the catalogue.
pub fn catalogue() -> &'static [Action] {
    &CATALOGUE
}

/// The catalogue's entry for `action` (any case).
pub fn find(action: &str) -> Option<&'static Action> {
    catalogue()
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(action))
}

/// Whether the catalogue lists the services of `action` (so that an unknown name in it is a
/// mistake, not a service rampart does not know).
pub fn knows_service(action: &str) -> bool {
    let service = action.split(':').next().unwrap_or_default();
    catalogue()
        .iter()
        .any(|a| a.service().eq_ignore_ascii_case(service))
}

/// The actions of the catalogue that `pattern` covers.
pub fn covered_by(pattern: &str) -> impl Iterator<Item = &'static Action> {
    catalogue()
        .iter()
        .filter(move |a| action_matches(pattern, &a.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_knows_the_actions_escalations_need() {
        for (name, level) in [
            ("iam:PassRole", AccessLevel::Permissions),
            ("iam:CreatePolicyVersion", AccessLevel::Permissions),
            ("iam:GetRole", AccessLevel::Read),
            ("iam:ListRoles", AccessLevel::List),
            ("sts:AssumeRole", AccessLevel::Write),
            ("ec2:RunInstances", AccessLevel::Write),
            ("lambda:UpdateFunctionCode", AccessLevel::Write),
            ("s3:PutBucketPolicy", AccessLevel::Permissions),
        ] {
            assert_eq!(find(name).map(|a| a.level), Some(level), "{name}");
        }
        assert_eq!(find("IAM:passrole").unwrap().name, "iam:PassRole");
        assert!(find("iam:PassRoles").is_none());
        assert!(knows_service("glue:Anything") && !knows_service("nosuch:Thing"));
    }

    #[test]
    fn wildcards_cover_what_they_name() {
        assert!(covered_by("iam:*").any(|a| a.name == "iam:PassRole"));
        assert!(covered_by("iam:*").all(|a| a.service() == "iam"));
        let puts: Vec<&str> = covered_by("iam:Put*Policy")
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(
            puts,
            [
                "iam:PutGroupPolicy",
                "iam:PutRolePolicy",
                "iam:PutUserPolicy"
            ]
        );
    }
}
