//! Who a request comes from (an [`Identity`]: user name and groups, as an authenticator
//! produces them) and whom a binding names (a [`Subject`]).

use std::fmt;

/// Every authenticated request carries this group.
pub const AUTHENTICATED: &str = "system:authenticated";
/// Every request without credentials carries this group, with user [`ANONYMOUS`].
pub const UNAUTHENTICATED: &str = "system:unauthenticated";
pub const ANONYMOUS: &str = "system:anonymous";
/// Members are allowed everything, by an authorizer that runs before RBAC.
pub const MASTERS: &str = "system:masters";
/// Every service account's group; each also carries `system:serviceaccounts:<namespace>`.
pub const SERVICE_ACCOUNTS: &str = "system:serviceaccounts";
const SERVICE_ACCOUNT_USER_PREFIX: &str = "system:serviceaccount:";

/// The kind of a binding subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SubjectKind {
    Group,
    ServiceAccount,
    User,
}

impl SubjectKind {
    pub fn parse(kind: &str) -> Option<SubjectKind> {
        match kind {
            "User" => Some(SubjectKind::User),
            "Group" => Some(SubjectKind::Group),
            "ServiceAccount" => Some(SubjectKind::ServiceAccount),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::User => "User",
            SubjectKind::Group => "Group",
            SubjectKind::ServiceAccount => "ServiceAccount",
        }
    }
}

/// A subject of a binding. A service account's namespace is resolved already (a RoleBinding's
/// own namespace when the subject names none); users and groups have an empty namespace.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Subject {
    pub kind: SubjectKind,
    pub namespace: String,
    pub name: String,
}

impl Subject {
    pub fn user(name: &str) -> Subject {
        Subject {
            kind: SubjectKind::User,
            namespace: String::new(),
            name: name.to_owned(),
        }
    }

    pub fn group(name: &str) -> Subject {
        Subject {
            kind: SubjectKind::Group,
            namespace: String::new(),
            name: name.to_owned(),
        }
    }

    pub fn service_account(namespace: &str, name: &str) -> Subject {
        Subject {
            kind: SubjectKind::ServiceAccount,
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        }
    }

    /// What the authorizer compares a request's identity with: a user or service account
    /// matches by user name (a User subject `system:serviceaccount:ns:sa` is the same identity
    /// as the ServiceAccount subject), a group by group name.
    pub(crate) fn key(&self) -> SubjectKey {
        match self.kind {
            SubjectKind::User => SubjectKey::User(self.name.clone()),
            SubjectKind::ServiceAccount => {
                SubjectKey::User(service_account_user(&self.namespace, &self.name))
            }
            SubjectKind::Group => SubjectKey::Group(self.name.clone()),
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            SubjectKind::User => write!(f, "user:{}", self.name),
            SubjectKind::Group => write!(f, "group:{}", self.name),
            SubjectKind::ServiceAccount => {
                write!(
                    f,
                    "{SERVICE_ACCOUNT_USER_PREFIX}{}:{}",
                    self.namespace, self.name
                )
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum SubjectKey {
    User(String),
    Group(String),
}

/// The user name a service account authenticates as.
pub fn service_account_user(namespace: &str, name: &str) -> String {
    format!("{SERVICE_ACCOUNT_USER_PREFIX}{namespace}:{name}")
}

/// Who makes a request: a user name and the groups the authenticator gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Empty when the question is about a group's members in general.
    pub user: String,
    pub groups: Vec<String>,
}

impl Identity {
    /// Exactly this user and these groups, with no implicit group added.
    pub fn raw(user: &str, groups: &[&str]) -> Identity {
        Identity {
            user: user.to_owned(),
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        }
    }

    /// A user as an authenticator presents it: with `extra_groups`, plus
    /// `system:authenticated` (or `system:unauthenticated` for `system:anonymous`). A user name
    /// of the form `system:serviceaccount:NS:NAME` is that service account.
    pub fn user(name: &str, extra_groups: &[String]) -> Identity {
        if let Some((namespace, account)) = name
            .strip_prefix(SERVICE_ACCOUNT_USER_PREFIX)
            .and_then(|rest| rest.split_once(':'))
        {
            return Identity::service_account(namespace, account, extra_groups);
        }
        let implicit = if name == ANONYMOUS {
            UNAUTHENTICATED
        } else {
            AUTHENTICATED
        };
        Identity::with_groups(name.to_owned(), extra_groups, [implicit.to_owned()])
    }

    /// A service account's token: user `system:serviceaccount:NS:NAME`, groups
    /// `system:serviceaccounts`, `system:serviceaccounts:NS` and `system:authenticated`.
    pub fn service_account(namespace: &str, name: &str, extra_groups: &[String]) -> Identity {
        Identity::with_groups(
            service_account_user(namespace, name),
            extra_groups,
            [
                SERVICE_ACCOUNTS.to_owned(),
                format!("{SERVICE_ACCOUNTS}:{namespace}"),
                AUTHENTICATED.to_owned(),
            ],
        )
    }

    /// Any member of `group`: no user name of its own, the group, `extra_groups`, and
    /// `system:authenticated` unless the group is `system:unauthenticated`.
    pub fn group_member(group: &str, extra_groups: &[String]) -> Identity {
        let implicit = if group == UNAUTHENTICATED {
            UNAUTHENTICATED
        } else {
            AUTHENTICATED
        };
        Identity::with_groups(
            String::new(),
            extra_groups,
            [group.to_owned(), implicit.to_owned()],
        )
    }

    /// The identity a binding subject stands for, with no implicit groups: what the subject
    /// itself is granted.
    pub fn of_subject(subject: &Subject) -> Identity {
        match subject.kind {
            SubjectKind::User => Identity::raw(&subject.name, &[]),
            SubjectKind::Group => Identity::raw("", &[&subject.name]),
            SubjectKind::ServiceAccount => Identity::raw(
                &service_account_user(&subject.namespace, &subject.name),
                &[],
            ),
        }
    }

    fn with_groups<const N: usize>(
        user: String,
        extra_groups: &[String],
        implicit: [String; N],
    ) -> Identity {
        let mut groups: Vec<String> = Vec::with_capacity(extra_groups.len() + N);
        for group in extra_groups.iter().cloned().chain(implicit) {
            if !groups.contains(&group) {
                groups.push(group);
            }
        }
        Identity { user, groups }
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = SubjectKey> + '_ {
        let user = (!self.user.is_empty()).then(|| SubjectKey::User(self.user.clone()));
        user.into_iter()
            .chain(self.groups.iter().cloned().map(SubjectKey::Group))
    }

    pub fn is_privileged(&self) -> bool {
        self.groups.iter().any(|g| g == MASTERS)
    }
}

/// Parses a subject as the commands take it: `system:serviceaccount:NS:NAME`, `user:NAME` or
/// `group:NAME`.
pub fn parse_subject(text: &str) -> Result<Subject, String> {
    if let Some(rest) = text.strip_prefix(SERVICE_ACCOUNT_USER_PREFIX) {
        return match rest.split_once(':') {
            Some((namespace, name)) if !namespace.is_empty() && !name.is_empty() => {
                Ok(Subject::service_account(namespace, name))
            }
            _ => Err(format!(
                "`{text}`: a service account is written system:serviceaccount:NAMESPACE:NAME"
            )),
        };
    }
    let (kind, name) = text.split_once(':').ok_or_else(|| {
        format!(
            "`{text}`: write the subject as user:NAME, group:NAME or \
             system:serviceaccount:NAMESPACE:NAME"
        )
    })?;
    if name.is_empty() {
        return Err(format!("`{text}`: the subject's name is empty"));
    }
    match kind {
        // A user name of the service account form is that service account.
        "user" if name.starts_with(SERVICE_ACCOUNT_USER_PREFIX) => parse_subject(name),
        "user" => Ok(Subject::user(name)),
        "group" => Ok(Subject::group(name)),
        _ => Err(format!(
            "`{text}`: unknown subject kind `{kind}`; use user:, group: or system:serviceaccount:"
        )),
    }
}

/// The identity that makes requests as `subject`, as the API server authenticates it, with
/// `extra_groups` (kubectl's `--as-group`).
pub fn identity_of(subject: &Subject, extra_groups: &[String]) -> Identity {
    match subject.kind {
        SubjectKind::User => Identity::user(&subject.name, extra_groups),
        SubjectKind::Group => Identity::group_member(&subject.name, extra_groups),
        SubjectKind::ServiceAccount => {
            Identity::service_account(&subject.namespace, &subject.name, extra_groups)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_parse_as_the_commands_take_them() {
        assert_eq!(
            parse_subject("system:serviceaccount:shop:web"),
            Ok(Subject::service_account("shop", "web"))
        );
        assert_eq!(parse_subject("user:alice"), Ok(Subject::user("alice")));
        assert_eq!(
            parse_subject("user:system:serviceaccount:a:b"),
            Ok(Subject::service_account("a", "b"))
        );
        assert_eq!(
            parse_subject("group:system:masters"),
            Ok(Subject::group("system:masters"))
        );
        for bad in ["alice", "user:", "team:x", "system:serviceaccount:shop"] {
            assert!(parse_subject(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn identities_carry_the_implicit_groups() {
        let sa = identity_of(&Subject::service_account("shop", "web"), &[]);
        assert_eq!(sa.user, "system:serviceaccount:shop:web");
        assert_eq!(
            sa.groups,
            [
                "system:serviceaccounts",
                "system:serviceaccounts:shop",
                "system:authenticated"
            ]
        );
        let anonymous = identity_of(&Subject::user(ANONYMOUS), &[]);
        assert_eq!(anonymous.groups, [UNAUTHENTICATED]);
        let alice = identity_of(&Subject::user("alice"), &["dev".to_owned()]);
        assert_eq!(alice.groups, ["dev", AUTHENTICATED]);
        let member = identity_of(&Subject::group("dev"), &[]);
        assert_eq!((member.user.as_str(), member.groups.len()), ("", 2));
    }
}
