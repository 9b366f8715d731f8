//! The one secret detector every layer of rampart uses: source and configuration files,
//! manifests' values, Dockerfiles, image configurations and layers, Terraform variables and
//! CloudFormation parameters all come through [`scan`] (a whole text) or [`detect`] (a value
//! and the name it is assigned to).
//!
//! It recognises secrets by their format (issuers' prefixes, with the checksum or structure
//! verified where a format has one: GitHub and npm tokens' CRC32, JWT headers, PyPI
//! macaroons, age keys' bech32), private keys in every encoding, URLs with passwords, and
//! literals assigned to names that announce a secret (`DB_PASSWORD`, `apiKey`). Placeholders
//! and examples (`changeme`, `<your-key>`, `XXXX`, `${VAR}`, `AKIAIOSFODNN7EXAMPLE`) are not
//! secrets. Nothing it returns holds the secret in clear: [`Secret::redacted`] shows at most
//! an issuer's prefix, [`Secret::digest`] is a hash.

mod checks;
mod files;
mod formats;
mod keys;
mod names;
mod scan;

use std::borrow::Cow;

use sha2::{Digest as _, Sha256};

pub use checks::make;
pub use files::{SecretsInFile, TextFiles, with_secret_scanning};
pub use formats::{FORMATS, Format};
pub use names::{NameStrength, is_placeholder, looks_random, name_strength};
pub use scan::Syntax;
use scan::{DETECTOR, Redaction};

/// What kind of secret was found, for the rules that report each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// A token or key recognised by its format (an issuer's prefix, a JWT).
    Token,
    /// A private key.
    PrivateKey,
    /// A password or other literal known by the name it is assigned to, or the password of
    /// a URL.
    Password,
}

/// A secret found in a text, described without revealing it.
#[derive(Debug, Clone)]
pub struct Secret {
    /// The detection that found it: a format's id (`github-pat`), `private-key`,
    /// `url-password`, `authorization-header` or `named-secret`.
    pub id: &'static str,
    /// What it is, for messages: "a GitHub personal access token", "a literal password".
    pub what: Cow<'static, str>,
    pub class: Class,
    /// Its bytes in the text (for a URL, the password; for a named secret, the value).
    pub start: usize,
    pub end: usize,
    /// Where it starts and where its last character is: lines and columns from 1, columns
    /// in characters.
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// A form safe to print.
    pub redacted: String,
    /// A hash of the secret (16 hexadecimal digits), to tell secrets apart without showing
    /// them.
    pub digest: String,
    /// The format, for secrets found by theirs.
    pub format: Option<&'static Format>,
    /// The name that announced it, for named secrets.
    pub name: Option<String>,
}

/// Every secret in `text`, in order of position.
pub fn scan(text: &str, syntax: Syntax) -> Vec<Secret> {
    DETECTOR.scan(text, syntax)
}

/// A secret found in a value, described without revealing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    /// What it looks like: "a GitHub personal access token", "a literal password".
    pub what: String,
    /// A form safe to print.
    pub redacted: String,
    /// The detection that found it (see [`Secret::id`]).
    pub id: &'static str,
    /// A hash of the secret.
    pub digest: String,
}

impl From<Secret> for Detection {
    fn from(secret: Secret) -> Detection {
        Detection {
            what: secret.what.into_owned(),
            redacted: secret.redacted,
            id: secret.id,
            digest: secret.digest,
        }
    }
}

/// Decides whether `value`, assigned to the variable (or key, label, flag) `name`, is a
/// secret: by its format whatever the name, else by the name. An empty name finds only
/// secrets recognisable by their format.
pub fn detect(name: &str, value: &str) -> Option<Detection> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Some(found) = known_format(value) {
        return Some(found);
    }
    let strength = name_strength(name)?;
    if !scan::named_secret(strength, value) {
        // A strong name with a short literal (`DB_PASSWORD=abc`) is still a literal secret.
        let short_literal = strength == NameStrength::Strong
            && !is_placeholder(value)
            && !value.contains(char::is_whitespace);
        if !short_literal {
            return None;
        }
    }
    Some(Detection {
        what: format!("a literal {}", names::noun_for(name)),
        redacted: format!("<redacted, {} characters>", value.chars().count()),
        id: "named-secret",
        digest: digest(value),
    })
}

/// A secret recognisable by its format anywhere in `value` (a token, a key, a URL with a
/// password), whatever it is assigned to.
pub fn known_format(value: &str) -> Option<Detection> {
    DETECTOR
        .scan(value, Syntax::Code)
        .into_iter()
        .find(|secret| secret.id != "named-secret")
        .map(Detection::from)
}

/// Whether a variable name says its value is a secret (`DB_PASSWORD`, `NPM_TOKEN`), whatever
/// the value.
pub fn names_a_secret(name: &str) -> bool {
    name_strength(name) == Some(NameStrength::Strong)
}

/// Whether a bare value (no name to go by) is a credential: a known format, or long and
/// random-looking.
pub fn looks_like_credential(value: &str) -> bool {
    !is_placeholder(value) && (known_format(value).is_some() || looks_random(value))
}

/// `scheme://user:password@host...` with a real password, whatever the password is (a
/// token's format is not asked for: the URL is the finding).
pub fn url_password(value: &str) -> Option<Detection> {
    DETECTOR
        .url_passwords_in(value)
        .into_iter()
        .next()
        .map(Detection::from)
}

/// The hash that stands for a secret in findings' fingerprints: the first 8 bytes of its
/// SHA-256, in hexadecimal.
pub fn digest(secret: &str) -> String {
    let hash = Sha256::digest(secret.as_bytes());
    hash[..8].iter().map(|b| format!("{b:02x}")).collect()
}

fn redact(value: &str, redaction: &Redaction) -> String {
    let length = value.chars().count();
    match redaction {
        Redaction::Prefix(public) if *public > 0 && *public < length => {
            let prefix: String = value.chars().take(*public).collect();
            format!("`{prefix}…`, {length} characters")
        }
        Redaction::Header(header) => format!("`{header}…`, {length} characters"),
        Redaction::Url { scheme, user, host } => format!("`{scheme}://{user}:****@{host}`"),
        Redaction::Prefix(_) | Redaction::Hidden => format!("<redacted, {length} characters>"),
    }
}

#[cfg(test)]
mod tests;
