//! Secret detection shared by the rules that look for credentials written in plain text
//! (environment variables of workloads, image configuration and build history, files in
//! images, Dockerfile `ENV`/`ARG` and URLs): known token formats, private keys, URLs with passwords, and names that announce
//! a secret paired with a literal that is not a placeholder.

/// A secret found in a value, described without revealing it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Detection {
    /// What it looks like: "a GitHub token", "a literal password".
    pub(crate) what: String,
    /// A form safe to print: public prefix, if the format has one, and length.
    pub(crate) redacted: String,
}

/// Decides whether `value`, assigned to the variable (or key, label, flag) `name`, is a
/// secret. An empty name finds only secrets recognisable by their format.
pub(crate) fn detect(name: &str, value: &str) -> Option<Detection> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Some(found) = known_format(value) {
        return Some(found);
    }
    if is_placeholder(value) {
        return None;
    }
    let strength = name_strength(name)?;
    if strength == NameStrength::Weak && !looks_random(value) {
        return None;
    }
    Some(Detection {
        what: format!("a literal {}", noun_for(name)),
        redacted: format!("<redacted, {} characters>", value.chars().count()),
    })
}

/// Whether a variable name says its value is a secret (`DB_PASSWORD`, `NPM_TOKEN`), whatever
/// the value.
pub(crate) fn names_a_secret(name: &str) -> bool {
    name_strength(name) == Some(NameStrength::Strong)
}

/// Whether a bare value (no name to go by) is a credential: a known format, or long and
/// random-looking.
pub(crate) fn looks_like_credential(value: &str) -> bool {
    !is_placeholder(value) && (known_format(value).is_some() || looks_random(value))
}

/// Secrets recognisable by their format.
fn known_format(value: &str) -> Option<Detection> {
    let found = |what: &str, prefix: &str| Detection {
        what: what.to_owned(),
        redacted: format!("`{prefix}…`, {} characters", value.chars().count()),
    };
    if let Some(start) = value.find("-----BEGIN ")
        && let Some(end) = value[start..].find("PRIVATE KEY-----")
    {
        let header = &value[start..start + end + "PRIVATE KEY-----".len()];
        return Some(found("a private key", header));
    }
    for token in value.split(|c: char| !(c.is_ascii_alphanumeric() || "_-.".contains(c))) {
        let rest_is = |prefix: &str, min: usize, allowed: &dyn Fn(char) -> bool| {
            token
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.len() >= min && rest.chars().all(allowed))
        };
        let upper_alnum = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit();
        let alnum = |c: char| c.is_ascii_alphanumeric();
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let dashed = |c: char| c.is_ascii_alphanumeric() || c == '-';
        let url_safe = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        for prefix in ["AKIA", "ASIA"] {
            if token.len() == 20 && rest_is(prefix, 16, &upper_alnum) {
                return Some(found("an AWS access key id", prefix));
            }
        }
        for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
            if rest_is(prefix, 36, &alnum) {
                return Some(found("a GitHub token", prefix));
            }
        }
        if rest_is("github_pat_", 22, &word) {
            return Some(found("a GitHub token", "github_pat_"));
        }
        for prefix in ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-"] {
            if rest_is(prefix, 10, &dashed) {
                return Some(found("a Slack token", prefix));
            }
        }
        if token.len() == 39 && rest_is("AIza", 35, &url_safe) {
            return Some(found("a Google API key", "AIza"));
        }
        for prefix in ["sk_live_", "rk_live_"] {
            if rest_is(prefix, 24, &alnum) {
                return Some(found("a Stripe live key", prefix));
            }
        }
        if is_jwt(token) {
            return Some(found("a JSON Web Token", "eyJ"));
        }
    }
    url_password(value)
}

/// `header.payload.signature`, base64url, header and payload JSON objects (`eyJ` is `{"`).
fn is_jwt(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    let base64url = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts[1].starts_with("eyJ")
        && parts[0].len() >= 10
        && parts[1].len() >= 10
        && parts.iter().all(|part| base64url(part))
}

/// `scheme://user:password@host...` with a real password.
pub(crate) fn url_password(value: &str) -> Option<Detection> {
    let (scheme, rest) = value.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let (userinfo, host) = authority.rsplit_once('@')?;
    let (user, password) = userinfo.split_once(':')?;
    if password.is_empty() || is_placeholder(password) {
        return None;
    }
    Some(Detection {
        what: "a URL with a password in it".to_owned(),
        redacted: format!("`{scheme}://{user}:****@{host}`"),
    })
}

/// Values that stand for a secret without being one.
fn is_placeholder(value: &str) -> bool {
    const WORDS: [&str; 22] = [
        "changeme",
        "change-me",
        "change_me",
        "replaceme",
        "replace-me",
        "replace_me",
        "todo",
        "tbd",
        "fixme",
        "none",
        "null",
        "nil",
        "dummy",
        "example",
        "placeholder",
        "redacted",
        "secret",
        "password",
        "token",
        "true",
        "false",
        "n/a",
    ];
    const STORE_PREFIXES: [&str; 7] = [
        "vault:",
        "arn:aws:secretsmanager:",
        "arn:aws:ssm:",
        "ref+",
        "akv://",
        "gcp:secretmanager:",
        "file://",
    ];
    let lower = value.to_ascii_lowercase();
    let mut chars = value.chars();
    let first = chars.next();
    value.contains("$(")
        || value.contains("${")
        || value.contains("{{")
        || (value.starts_with('<') && value.ends_with('>'))
        || value.starts_with('/')
        || chars.all(|c| Some(c) == first)
        || WORDS.contains(&lower.as_str())
        || STORE_PREFIXES
            .iter()
            .any(|prefix| lower.starts_with(prefix))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameStrength {
    /// The name says the value is a secret.
    Strong,
    /// The name may hold a secret; the value has to look like one too.
    Weak,
}

/// The words of an environment variable name, upper case: `dbPassword` and `DB_PASSWORD`
/// are both `[DB, PASSWORD]`.
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_uppercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn name_strength(name: &str) -> Option<NameStrength> {
    const STRONG: [&str; 10] = [
        "PASSWORD",
        "PASSWORDS",
        "PASSWD",
        "PASSPHRASE",
        "SECRET",
        "SECRETS",
        "TOKEN",
        "CREDENTIAL",
        "CREDENTIALS",
        "APIKEY",
    ];
    const KEY_QUALIFIERS: [&str; 7] = [
        "API",
        "PRIVATE",
        "ACCESS",
        "SIGNING",
        "ENCRYPTION",
        "MASTER",
        "ACCOUNT",
    ];
    const WEAK: [&str; 4] = ["PWD", "PASS", "AUTH", "KEY"];
    const DESCRIPTIVE: [&str; 35] = [
        "FILE",
        "PATH",
        "DIR",
        "NAME",
        "REF",
        "URL",
        "URI",
        "ENDPOINT",
        "HOST",
        "PORT",
        "TTL",
        "EXPIRY",
        "EXPIRES",
        "EXPIRATION",
        "TIMEOUT",
        "LIFETIME",
        "DURATION",
        "LENGTH",
        "LEN",
        "SIZE",
        "TYPE",
        "HEADER",
        "ENABLED",
        "DISABLED",
        "ENABLE",
        "DISABLE",
        "REQUIRED",
        "ID",
        "MODE",
        "POLICY",
        "ALGORITHM",
        "ISSUER",
        "AUDIENCE",
        "SCOPE",
        "VERSION",
    ];
    let words = name_words(name);
    let last = words.last()?;
    if DESCRIPTIVE.contains(&last.as_str()) {
        return None;
    }
    let strong = words.iter().enumerate().any(|(i, word)| {
        STRONG.contains(&word.as_str())
            || (word == "KEY" && i > 0 && KEY_QUALIFIERS.contains(&words[i - 1].as_str()))
    });
    if strong {
        Some(NameStrength::Strong)
    } else if words.iter().any(|word| WEAK.contains(&word.as_str())) {
        Some(NameStrength::Weak)
    } else {
        None
    }
}

/// The kind of secret the name announces, for the message.
fn noun_for(name: &str) -> &'static str {
    let words = name_words(name);
    let has = |w: &str| words.iter().any(|word| word == w);
    if has("PASSWORD") || has("PASSWORDS") || has("PASSWD") || has("PWD") || has("PASS") {
        "password"
    } else if has("PASSPHRASE") {
        "passphrase"
    } else if has("TOKEN") {
        "token"
    } else if has("KEY") || has("APIKEY") {
        "key"
    } else if has("CREDENTIAL") || has("CREDENTIALS") {
        "credential"
    } else {
        "secret"
    }
}

/// Long, mixed letters and digits, and high Shannon entropy: a generated secret rather than
/// a word or a setting.
fn looks_random(value: &str) -> bool {
    let length = value.chars().count();
    if length < 16 {
        return false;
    }
    let letters = value.chars().any(|c| c.is_ascii_alphabetic());
    let digits = value.chars().any(|c| c.is_ascii_digit());
    letters && digits && shannon_entropy(value) >= 3.5
}

fn shannon_entropy(value: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in value.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let length = value.chars().count() as f64;
    counts
        .values()
        .map(|&count| {
            let p = count as f64 / length;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn what(name: &str, value: &str) -> Option<String> {
        detect(name, value).map(|d| d.what)
    }

    #[test]
    fn names_split_into_words() {
        assert_eq!(name_words("DB_PASSWORD"), ["DB", "PASSWORD"]);
        assert_eq!(name_words("dbPassword"), ["DB", "PASSWORD"]);
        assert_eq!(name_words("api-key.v2"), ["API", "KEY", "V2"]);
        assert_eq!(
            name_words("OAuth2ClientSecret"),
            ["OAUTH2", "CLIENT", "SECRET"]
        );
    }

    #[test]
    fn strong_names_report_any_real_literal() {
        assert_eq!(
            what("DB_PASSWORD", "hunter2").as_deref(),
            Some("a literal password")
        );
        assert_eq!(
            what("dbPassword", "s3cr3t!").as_deref(),
            Some("a literal password")
        );
        assert_eq!(
            what("STRIPE_API_KEY", "abc").as_deref(),
            Some("a literal key")
        );
        assert_eq!(
            what("SESSION_SECRET", "x1").as_deref(),
            Some("a literal secret")
        );
        assert_eq!(
            what("REFRESH_TOKEN", "abc.def").as_deref(),
            Some("a literal token")
        );
        assert_eq!(
            what("SECRET_KEY_BASE", "ab12").as_deref(),
            Some("a literal key")
        );
    }

    #[test]
    fn whole_words_only_and_descriptive_names_pass() {
        assert_eq!(what("PASSWORDLESS_LOGIN", "on"), None);
        assert_eq!(what("TOKENIZER", "bert-base"), None);
        assert_eq!(what("KEYCLOAK_REALM", "main"), None);
        assert_eq!(what("DB_PASSWORD_FILE", "db.pass"), None);
        assert_eq!(what("SECRET_NAME", "db-credentials"), None);
        assert_eq!(what("TOKEN_TTL", "3600"), None);
        assert_eq!(what("AWS_ACCESS_KEY_ID", "not-a-key"), None);
        assert_eq!(what("LOG_LEVEL", "debug"), None);
    }

    #[test]
    fn placeholders_and_references_pass() {
        for value in [
            "",
            "  ",
            "changeme",
            "CHANGEME",
            "<password>",
            "xxxxxxxx",
            "********",
            "$(DB_PASS)",
            "${DB_PASS}",
            "{{ .Values.password }}",
            "/run/secrets/db",
            "vault:secret/data/db#pw",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
            "true",
        ] {
            assert_eq!(what("DB_PASSWORD", value), None, "{value:?}");
        }
    }

    #[test]
    fn weak_names_need_random_values() {
        assert_eq!(what("LICENSE_KEY", "community"), None);
        assert_eq!(what("SORT_KEY", "created_at"), None);
        assert_eq!(
            what("LICENSE_KEY", "q8ZtR2vLx9WmKp4Nd7Hs").as_deref(),
            Some("a literal key")
        );
        assert_eq!(what("DB_PWD", "hunter2"), None);
        assert_eq!(
            what("DB_PWD", "N7q2xVt9LmR4kZp8").as_deref(),
            Some("a literal password")
        );
    }

    #[test]
    fn known_formats_whatever_the_name() {
        let cases = [
            (
                "AKIAIOSFODNN7EXAMPLE",
                "an AWS access key id",
                "`AKIA…`, 20 characters",
            ),
            (
                "ghp_0123456789abcdefghijABCDEFGHIJ012345",
                "a GitHub token",
                "`ghp_…`, 40 characters",
            ),
            (
                "xoxb-123456789012-abcdefghij",
                "a Slack token",
                "`xoxb-…`, 28 characters",
            ),
            (
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLWJ5dGVz",
                "a JSON Web Token",
                "`eyJ…`, 62 characters",
            ),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----",
                "a private key",
                "`-----BEGIN RSA PRIVATE KEY-----…`, 71 characters",
            ),
            (
                "postgres://app:Sup3rS3cret@db.internal:5432/orders",
                "a URL with a password in it",
                "`postgres://app:****@db.internal:5432`",
            ),
        ];
        for (value, kind, redacted) in cases {
            let found = detect("CONFIG", value).unwrap_or_else(|| panic!("{value}"));
            assert_eq!(found.what, kind, "{value}");
            assert_eq!(found.redacted, redacted, "{value}");
            assert!(!found.redacted.contains(&value[6..]), "{value} leaked");
        }
        assert_eq!(
            what("DATABASE_URL", "postgres://app:$(DB_PASS)@db/orders"),
            None
        );
        assert_eq!(what("DATABASE_URL", "postgres://app@db/orders"), None);
        assert_eq!(what("BUILD", "AKIA-not-a-key"), None);
    }
}
