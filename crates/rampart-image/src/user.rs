/// The user an image's containers start as, read the way the container runtime reads the
/// image's `User`: the part before any `:` is a numeric uid when it parses as one, a user name
/// otherwise; an empty value leaves the uid unset, which the kubelet takes as root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeUser {
    Unset,
    Uid(i64),
    Name(String),
}

impl RuntimeUser {
    /// Reads an image's `User` (a Dockerfile's `USER`) as containerd and CRI-O do.
    pub fn parse(user: &str) -> RuntimeUser {
        let user = user.split(':').next().unwrap_or(user);
        if user.is_empty() {
            RuntimeUser::Unset
        } else {
            user.parse()
                .map_or_else(|_| RuntimeUser::Name(user.to_owned()), RuntimeUser::Uid)
        }
    }

    /// Whether containers start as uid 0: no user, uid 0, `root`, or a name that
    /// `uid_of_name` (the image's `/etc/passwd`, when read) maps to 0. `None` for another
    /// name `uid_of_name` does not know.
    pub fn is_root(&self, uid_of_name: impl FnOnce(&str) -> Option<u32>) -> Option<bool> {
        match self {
            RuntimeUser::Unset => Some(true),
            RuntimeUser::Uid(uid) => Some(*uid == 0),
            RuntimeUser::Name(name) if name == "root" => Some(true),
            RuntimeUser::Name(name) => uid_of_name(name).map(|uid| uid == 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_reads_the_user_before_the_colon() {
        assert_eq!(RuntimeUser::parse(""), RuntimeUser::Unset);
        assert_eq!(RuntimeUser::parse("0"), RuntimeUser::Uid(0));
        assert_eq!(RuntimeUser::parse("00:0"), RuntimeUser::Uid(0));
        assert_eq!(RuntimeUser::parse("10001:10001"), RuntimeUser::Uid(10001));
        assert_eq!(RuntimeUser::parse("+7"), RuntimeUser::Uid(7));
        assert_eq!(RuntimeUser::parse(":1000"), RuntimeUser::Unset);
        assert_eq!(RuntimeUser::parse("root"), RuntimeUser::Name("root".into()));
        assert_eq!(
            RuntimeUser::parse("app:app"),
            RuntimeUser::Name("app".into())
        );
        // Beyond 64 bits a number is a name, as Go's ParseInt fails on it.
        assert_eq!(
            RuntimeUser::parse("99999999999999999999"),
            RuntimeUser::Name("99999999999999999999".into())
        );
    }
}
