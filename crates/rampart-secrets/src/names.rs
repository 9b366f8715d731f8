//! Names that announce a secret (`DB_PASSWORD`, `apiKey`, `client-secret`), and values that
//! stand for one without being one (`changeme`, `<your-key>`, `${DB_PASS}`).

use crate::checks::entropy;

/// How sure a name is that its value is a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameStrength {
    /// The name says the value is a secret (`PASSWORD`, `TOKEN`, `API_KEY`).
    Strong,
    /// The name may hold a secret (`KEY`, `AUTH`, `PWD`); the value has to look like one too.
    Weak,
}

/// The words of a name, upper case: `dbPassword`, `DB_PASSWORD` and `db.password` are all
/// `[DB, PASSWORD]`.
pub(crate) fn name_words(name: &str) -> Vec<String> {
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

const STRONG: [&str; 13] = [
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
    "PRIVATEKEY",
    "ACCESSKEY",
    "SECRETKEY",
];
/// Words that make a following `KEY` a secret's name (`API_KEY`, `PRIVATE_KEY`).
const KEY_QUALIFIERS: [&str; 8] = [
    "API",
    "PRIVATE",
    "ACCESS",
    "SIGNING",
    "ENCRYPTION",
    "MASTER",
    "ACCOUNT",
    "SECRET",
];
const WEAK: [&str; 4] = ["PWD", "PASS", "AUTH", "KEY"];
/// Last words of names that describe a secret rather than hold it (`DB_PASSWORD_FILE`,
/// `TOKEN_TTL`, `SECRET_NAME`).
const DESCRIPTIVE: [&str; 41] = [
    "FILE",
    "FILES",
    "PATH",
    "DIR",
    "NAME",
    "NAMES",
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
    "FIELD",
    "COUNT",
    "PREFIX",
    "FORMAT",
];

/// Whether, and how strongly, `name` says its value is a secret. Whole words only:
/// `PASSWORDLESS`, `TOKENIZER` and `KEYCLOAK` are not secrets' names.
pub fn name_strength(name: &str) -> Option<NameStrength> {
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

/// The kind of secret a name announces, for messages.
pub(crate) fn noun_for(name: &str) -> &'static str {
    let words = name_words(name);
    let has = |w: &str| words.iter().any(|word| word == w);
    if ["PASSWORD", "PASSWORDS", "PASSWD", "PWD", "PASS"]
        .iter()
        .any(|w| has(w))
    {
        "password"
    } else if has("PASSPHRASE") {
        "passphrase"
    } else if has("TOKEN") {
        "token"
    } else if has("KEY")
        || has("APIKEY")
        || has("PRIVATEKEY")
        || has("ACCESSKEY")
        || has("SECRETKEY")
    {
        "key"
    } else if has("CREDENTIAL") || has("CREDENTIALS") {
        "credential"
    } else {
        "secret"
    }
}

/// Values that stand for a secret without being one: placeholders (`changeme`, `<your-key>`,
/// `XXXX`, `KEY_VAL`, `your_api_key_here`), references to where the secret really is
/// (`${VAR}`, `$(VAR)`, `{{ .Values.x }}`, `%(x)s`, `vault:…`, secret-manager ARNs, file
/// paths), masks (`****`) and booleans.
pub fn is_placeholder(value: &str) -> bool {
    const WORDS: [&str; 36] = [
        "changeme",
        "changeit",
        "replaceme",
        "todo",
        "tbd",
        "fixme",
        "none",
        "null",
        "nil",
        "undefined",
        "dummy",
        "example",
        "sample",
        "placeholder",
        "redacted",
        "secret",
        "secrets",
        "password",
        "passwd",
        "token",
        "apikey",
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "na",
        "empty",
        "default",
        "test",
        "testing",
        "foo",
        "bar",
        "foobar",
        "keyval",
    ];
    const MARKERS: [&str; 12] = [
        "example",
        "changeme",
        "change_me",
        "change-me",
        "replace_me",
        "replace-me",
        "your_",
        "your-",
        "yourpass",
        "insert_",
        "xxxxxx",
        "placeholder",
    ];
    const STORE_PREFIXES: [&str; 9] = [
        "vault:",
        "arn:aws:secretsmanager:",
        "arn:aws:ssm:",
        "ref+",
        "akv://",
        "gcp:secretmanager:",
        "file://",
        "secretref:",
        "op://",
    ];
    let value = value.trim().trim_matches(['"', '\'', '`']);
    if value.is_empty() {
        return true;
    }
    let lower = value.to_ascii_lowercase();
    let letters: String = lower.chars().filter(char::is_ascii_alphanumeric).collect();
    let first = value.chars().next();
    value.contains("$(")
        || value.contains("${")
        || value.contains("{{")
        || value.contains("#{")
        || value.contains("%(")
        || value.starts_with('$')
        || (value.starts_with('<') && value.ends_with('>'))
        || (value.starts_with('[') && value.ends_with(']'))
        || (value.starts_with('{') && value.ends_with('}'))
        || (value.starts_with('%') && value.ends_with('%'))
        || (value.starts_with('@') && value.ends_with('@') && value.len() > 2)
        || value.starts_with('/')
        || value.starts_with("ENC[")
        || value.starts_with("./")
        || value.starts_with("~/")
        || value.chars().all(|c| Some(c) == first)
        || value.chars().all(|c| "*xX.-_#?".contains(c))
        || WORDS.contains(&letters.as_str())
        || MARKERS.iter().any(|marker| lower.contains(marker))
        || STORE_PREFIXES
            .iter()
            .any(|prefix| lower.starts_with(prefix))
}

/// Long, letters and digits mixed, high Shannon entropy: a generated secret rather than a
/// word or a setting.
pub fn looks_random(value: &str) -> bool {
    let length = value.chars().count();
    let letters = value.chars().any(|c| c.is_ascii_alphabetic());
    let digits = value.chars().any(|c| c.is_ascii_digit());
    // URLs and paths are addresses, not generated secrets.
    let address = value.contains("://") || value.starts_with('/');
    length >= 16 && letters && digits && !address && entropy(value) >= 3.5
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn strengths() {
        for strong in [
            "DB_PASSWORD",
            "apiKey",
            "client_secret",
            "SECRET_KEY",
            "SECRET_KEY_BASE",
            "aws_secret_access_key",
            "NPM_TOKEN",
            "privateKey",
        ] {
            assert_eq!(
                name_strength(strong),
                Some(NameStrength::Strong),
                "{strong}"
            );
        }
        for weak in ["LICENSE_KEY", "DB_PWD", "auth", "SORT_KEY"] {
            assert_eq!(name_strength(weak), Some(NameStrength::Weak), "{weak}");
        }
        for none in [
            "PASSWORDLESS_LOGIN",
            "TOKENIZER",
            "KEYCLOAK_REALM",
            "DB_PASSWORD_FILE",
            "SECRET_NAME",
            "TOKEN_TTL",
            "AWS_ACCESS_KEY_ID",
            "LOG_LEVEL",
        ] {
            assert_eq!(name_strength(none), None, "{none}");
        }
    }

    #[test]
    fn placeholders() {
        for value in [
            "",
            "changeme",
            "CHANGEME",
            "<your-key>",
            "<password>",
            "XXXX",
            "xxxxxxxx",
            "********",
            "KEY_VAL",
            "ENC[AES256_GCM,data:q8ZtR2vLx9Wm,iv:Kp4Nd7Hs,tag:X2cB,type:str]",
            "${DB_PASS}",
            "$(DB_PASS)",
            "$DB_PASS",
            "{{ .Values.password }}",
            "%(password)s",
            "your_api_key_here",
            "AKIAIOSFODNN7EXAMPLE",
            "/run/secrets/db",
            "vault:secret/data/db#pw",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
            "true",
        ] {
            assert!(is_placeholder(value), "{value:?}");
        }
        for value in ["hunter2", "q8ZtR2vLx9WmKp4Nd7Hs", "s3cr3t!"] {
            assert!(!is_placeholder(value), "{value:?}");
        }
    }
}
