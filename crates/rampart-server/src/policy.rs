//! What the webhook enforces beside the rules: the threshold, what happens to an object it
//! cannot judge, and who and what is exempt.

use std::str::FromStr;

use rampart_core::Severity;
use rampart_source::Object;

use crate::review::Request;

#[derive(Debug, Clone)]
pub struct Policy {
    /// Refuse when a finding is at or above this severity.
    pub deny_on: Severity,
    /// The answer when the object cannot be judged (it is not a Kubernetes object rampart can
    /// read). The API server's own `failurePolicy` covers a webhook it cannot reach.
    pub on_error: OnError,
    pub exempt: Exemptions,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            deny_on: Severity::High,
            on_error: OnError::Deny,
            exempt: Exemptions::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    Allow,
    Deny,
}

impl FromStr for OnError {
    type Err = String;

    fn from_str(value: &str) -> Result<OnError, String> {
        match value {
            "allow" => Ok(OnError::Allow),
            "deny" => Ok(OnError::Deny),
            other => Err(format!("`{other}` is neither allow nor deny")),
        }
    }
}

/// Requests allowed without being judged. Any one match exempts.
#[derive(Debug, Clone, Default)]
pub struct Exemptions {
    /// Namespaces, by exact name.
    pub namespaces: Vec<String>,
    /// Users, by exact name as the API server authenticated them
    /// (`system:serviceaccount:kube-system:replicaset-controller`).
    pub users: Vec<String>,
    /// Groups of the requesting user (`system:nodes`).
    pub groups: Vec<String>,
    /// Labels of the object: a key with any value, or a key with one value.
    pub labels: Vec<LabelMatch>,
}

/// `key` or `key=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelMatch {
    pub key: String,
    pub value: Option<String>,
}

impl FromStr for LabelMatch {
    type Err = String;

    fn from_str(text: &str) -> Result<LabelMatch, String> {
        let (key, value) = match text.split_once('=') {
            Some((key, value)) => (key, Some(value.to_owned())),
            None => (text, None),
        };
        if key.is_empty() {
            return Err(format!(
                "`{text}` names no label key (write key or key=value)"
            ));
        }
        Ok(LabelMatch {
            key: key.to_owned(),
            value,
        })
    }
}

impl Policy {
    /// Why the request is exempt, when it is: `namespace kube-system`, `user alice`,
    /// `group system:nodes`, `label rampart.dev/exempt=true`.
    pub fn exemption(&self, request: &Request<'_>, object: &Object) -> Option<String> {
        let exempt = &self.exempt;
        let namespace = object.namespace.as_deref().unwrap_or(&request.namespace);
        if exempt.namespaces.iter().any(|n| n == namespace) {
            return Some(format!("namespace {namespace}"));
        }
        let user = &request.user_info.username;
        if exempt.users.iter().any(|u| u == user) {
            return Some(format!("user {user}"));
        }
        if let Some(group) = request
            .user_info
            .groups
            .iter()
            .find(|g| exempt.groups.contains(g))
        {
            return Some(format!("group {group}"));
        }
        exempt.labels.iter().find_map(|label| {
            let value = object.label(&label.key)?;
            label
                .value
                .as_deref()
                .is_none_or(|wanted| wanted == value)
                .then(|| format!("label {}={value}", label.key))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_matches_take_a_key_or_a_key_and_value() {
        assert_eq!(
            "team".parse::<LabelMatch>().unwrap(),
            LabelMatch {
                key: "team".to_owned(),
                value: None
            }
        );
        assert_eq!(
            "a/b=".parse::<LabelMatch>().unwrap(),
            LabelMatch {
                key: "a/b".to_owned(),
                value: Some(String::new())
            }
        );
        assert!("=x".parse::<LabelMatch>().is_err());
        assert!("maybe".parse::<OnError>().is_err());
    }
}
