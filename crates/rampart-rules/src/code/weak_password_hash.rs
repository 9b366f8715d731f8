use rampart_core::{Concern, Layer, Severity, refs};

use super::{calls_matching, hit_on_call, names_a_secret};
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// A password hashed with a fast general-purpose hash: `hashlib.md5`, `sha1`, `sha224`,
    /// `sha256`, `sha384`, `sha512`, `blake2b`, `blake2s` or `hashlib.new(...)` of one of them,
    /// called on a value whose expression names a password (`password`, `passwd`, `pwd`,
    /// `pin`, `secret`).
    ///
    /// ## Why it matters
    /// A leaked table of fast hashes is cracked at billions of guesses a second on one GPU;
    /// MD5 and SHA-1 are also broken as hashes. Password hashes must be slow and salted.
    ///
    /// ## Example
    /// ```python
    /// user.password_hash = hashlib.md5(password.encode()).hexdigest()
    /// ```
    /// Use instead: a password hashing function.
    /// ```python
    /// user.password_hash = generate_password_hash(password)  # scrypt or pbkdf2
    /// ```
    pub struct WeakPasswordHash {
        code: "A120",
        name: "weak-password-hash",
        title: "Password hashed with a fast hash",
        severity: Severity::High,
        layer: Layer::Code,
        concern: Concern::Crypto,
        references: refs![
            Cwe: ["CWE-916", "CWE-328"],
            Owasp: ["A02:2021"],
        ],
        equivalents: &["codeql:py/weak-sensitive-data-hashing"],
    }
}

const FAST_HASHES: [&str; 9] = [
    "hashlib.md5",
    "hashlib.sha1",
    "hashlib.sha224",
    "hashlib.sha256",
    "hashlib.sha384",
    "hashlib.sha512",
    "hashlib.blake2b",
    "hashlib.blake2s",
    "hashlib.new",
];

impl Check<Code> for WeakPasswordHash {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        for call in calls_matching(target, &FAST_HASHES) {
            let hashed = if &*call.path == "hashlib.new" {
                call.positional(1)
            } else {
                call.argument(0, "data").or_else(|| call.keyword("string"))
            };
            let Some(hashed) = hashed else { continue };
            let text = target.module.text(hashed.span);
            if !names_a_password(&text) {
                continue;
            }
            let algorithm = match &*call.path {
                "hashlib.new" => call
                    .positional(0)
                    .and_then(|name| name.texts.first().map(|t| t.to_string()))
                    .unwrap_or_else(|| "a fast hash".to_owned()),
                path => path.trim_start_matches("hashlib.").to_owned(),
            };
            hits.push(hit_on_call(
                target,
                call,
                format!(
                    "`{text}` is hashed with {algorithm}, which is fast to brute-force; use a \
                     password hashing function (scrypt, argon2, bcrypt, pbkdf2 with many rounds)"
                ),
            ));
        }
    }
}

/// Whether an expression's text names a password (`password.encode()`, `form.pwd`), not
/// any secret: keys and tokens are random and may be hashed fast.
fn names_a_password(text: &str) -> bool {
    names_a_secret(text)
        && ["password", "passwd", "pwd", "pin", "secret"]
            .iter()
            .any(|word| text.to_ascii_lowercase().contains(word))
}
