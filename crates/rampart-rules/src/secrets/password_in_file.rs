use rampart_core::{Concern, Layer, Severity, refs};
use rampart_secrets::Class;

use super::report;
use crate::rule::{Check, declare_rule};
use crate::{Hit, TextFileTarget, TextFiles};

declare_rule! {
    /// ## What it checks
    /// Passwords and other secrets known by the name they are assigned to, in a source or
    /// configuration file, and URLs with a password (`postgres://app:…@db`,
    /// `https://user:…@host`):
    /// - a name with the whole word `PASSWORD`, `PASSWD`, `PASSPHRASE`, `SECRET`, `TOKEN`,
    ///   `CREDENTIALS`, `APIKEY` or a pair such as `API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`,
    ///   `SECRET_KEY` (`_`, `-`, `.` and camelCase separate words), given a literal of six
    ///   characters or more that is not a placeholder; weaker names (`KEY`, `AUTH`, `PWD`,
    ///   `PASS`) only with a value that looks generated (16 characters or more, letters and
    ///   digits, high entropy);
    /// - in configuration files (`.env`, YAML, INI, properties, shell) `KEY=value` and
    ///   `key: value` lines, quoted or not; in source code only quoted strings
    ///   (`password = get_password()` is an expression, not a secret); command-line flags
    ///   (`--password=…`) in both.
    ///
    /// Not reported: names that describe a secret without holding it (`DB_PASSWORD_FILE`,
    /// `SECRET_NAME`, `TOKEN_TTL`), placeholders and references (`changeme`, `<your-key>`,
    /// `XXXX`, `KEY_VAL`, `your_password_here`, `${VAR}`, `$(VAR)`, `{{ .Values.x }}`,
    /// `%(x)s`, `vault:` and secret-manager references, file paths), values with spaces (prose).
    /// Tokens of a known format assigned to such names are rule S101's.
    ///
    /// ## Why it matters
    /// A password in a file is read by everyone with the repository, its history, its
    /// backups and the images built from it; passwords are also reused, so one leaked in a
    /// test configuration often opens production.
    ///
    /// ## Example
    /// ```ini
    /// [database]
    /// password = Zr8kP2mXq9vL4tWn
    /// ```
    /// Use instead: a reference resolved at run time.
    /// ```ini
    /// [database]
    /// password = ${DB_PASSWORD}
    /// ```
    pub struct PasswordInFile {
        code: "S103",
        name: "password-in-file",
        title: "Password or named secret written in a source or configuration file",
        severity: Severity::Medium,
        layer: Layer::Code,
        concern: Concern::Secrets,
        references: refs![
            Mitre: ["T1552.001"],
            Cwe: ["CWE-798", "CWE-259"],
        ],
        equivalents: &[
            "gitleaks:generic-api-key",
            "detect-secrets:KeywordDetector",
            "detect-secrets:BasicAuthDetector",
        ],
    }
}

impl Check<TextFiles> for PasswordInFile {
    fn check(&self, target: &TextFileTarget<'_>, hits: &mut Vec<Hit>) {
        report(
            target,
            Class::Password,
            hits,
            "change it, then read it from the environment or a secret store",
        );
    }
}
