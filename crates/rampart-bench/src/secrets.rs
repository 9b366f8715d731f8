//! A corpus of source and configuration files with secrets planted at known places, and
//! decoys that look like secrets but are not (examples, placeholders, references, hashes,
//! tokens whose checksum is wrong): the same input for rampart, gitleaks and detect-secrets,
//! with the list of what each should find to count recall and false positives.

use crate::{ManifestFile, Rng};

/// A secret written into the corpus: where, and of what kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planted {
    pub path: String,
    /// The line it is on (from 1).
    pub line: usize,
    pub kind: &'static str,
}

const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const HEX: &[u8] = b"0123456789abcdef";
const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/";

fn random(rng: &mut Rng, alphabet: &[u8], n: usize) -> String {
    (0..n)
        .map(|_| alphabet[rng.below(alphabet.len())] as char)
        .collect()
}

/// The kinds of file in the corpus: extension, comment marker, and whether values are
/// written `name = "value"` (code) or `name: value` (YAML) or `NAME=value` (.env).
#[derive(Debug, Clone, Copy)]
enum Style {
    Python,
    JavaScript,
    Go,
    Yaml,
    Env,
    Properties,
}

impl Style {
    fn extension(self) -> &'static str {
        match self {
            Style::Python => "py",
            Style::JavaScript => "js",
            Style::Go => "go",
            Style::Yaml => "yaml",
            Style::Env => "env",
            Style::Properties => "properties",
        }
    }

    fn assign(self, name: &str, value: &str) -> String {
        match self {
            Style::Python => format!("{name} = \"{value}\""),
            Style::JavaScript => format!("const {name} = \"{value}\";"),
            Style::Go => format!("\t{name} := \"{value}\""),
            Style::Yaml => format!("  {name}: \"{value}\""),
            Style::Env => format!("{}={value}", name.to_ascii_uppercase()),
            Style::Properties => format!("app.{name}={value}"),
        }
    }

    fn comment(self, text: &str) -> String {
        match self {
            Style::Python | Style::Yaml | Style::Env | Style::Properties => format!("# {text}"),
            Style::JavaScript | Style::Go => format!("// {text}"),
        }
    }
}

/// One planted secret: the lines to write and which of them holds it.
fn secret(rng: &mut Rng, style: Style) -> (Vec<String>, usize, &'static str) {
    let kinds = [
        "github-pat",
        "aws-access-key-id",
        "slack-bot-token",
        "stripe-secret-key",
        "npm-token",
        "private-key",
        "url-password",
        "named-password",
        "jwt",
        "gcp-api-key",
        "gitlab-pat",
        "sendgrid-api-key",
    ];
    let kind = rng.pick(&kinds);
    let line = |value: String, name: &str| (vec![style.assign(name, &value)], 0, kind);
    match kind {
        "github-pat" => line(
            rampart_secrets::make::base62_crc32_token("ghp_", &random(rng, ALNUM, 30)),
            "github_token",
        ),
        "aws-access-key-id" => line(format!("AKIA{}", random(rng, BASE32, 16)), "aws_key_id"),
        "slack-bot-token" => line(
            format!(
                "xoxb-{}-{}-{}",
                random(rng, b"0123456789", 12),
                random(rng, b"0123456789", 13),
                random(rng, ALNUM, 24)
            ),
            "slack_bot",
        ),
        "stripe-secret-key" => line(format!("sk_live_{}", random(rng, ALNUM, 24)), "stripe"),
        "npm-token" => line(
            rampart_secrets::make::base62_crc32_token("npm_", &random(rng, ALNUM, 30)),
            "registry_auth",
        ),
        "private-key" => {
            let mut lines = vec![
                style.comment("deploy key"),
                "-----BEGIN RSA PRIVATE KEY-----".to_owned(),
            ];
            lines.extend((0..8).map(|_| random(rng, BASE64, 64)));
            lines.push("-----END RSA PRIVATE KEY-----".to_owned());
            (lines, 1, kind)
        }
        "url-password" => line(
            format!(
                "postgres://app:{}@db-{}.internal:5432/orders",
                random(rng, ALNUM, 16),
                rng.below(100)
            ),
            "database_url",
        ),
        "named-password" => line(random(rng, ALNUM, 18), "db_password"),
        "jwt" => {
            let payload = format!(
                "{{\"sub\":\"user{}\",\"iat\":1765000000}}",
                rng.below(100_000)
            );
            line(
                format!(
                    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{}.{}",
                    base64url(payload.as_bytes()),
                    random(rng, ALNUM, 43)
                ),
                "session",
            )
        }
        "gcp-api-key" => line(format!("AIza{}", random(rng, ALNUM, 35)), "maps"),
        "gitlab-pat" => line(format!("glpat-{}", random(rng, ALNUM, 20)), "gitlab"),
        _ => line(
            format!("SG.{}.{}", random(rng, ALNUM, 22), random(rng, ALNUM, 43)),
            "mailer",
        ),
    }
}

fn base64url(bytes: &[u8]) -> String {
    const URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(URL[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// A line that looks like a secret but is not one.
fn decoy(rng: &mut Rng, style: Style) -> String {
    match rng.below(9) {
        0 => style.assign("aws_key_id", "AKIAIOSFODNN7EXAMPLE"),
        // A classic GitHub token whose checksum is wrong.
        1 => style.assign(
            "github_token",
            &format!("ghp_{}000000", random(rng, ALNUM, 30)),
        ),
        2 => style.assign("db_password", "changeme"),
        3 => style.assign("api_key", "${API_KEY}"),
        4 => style.assign("checksum", &random(rng, HEX, 64)),
        5 => style.assign(
            "request_id",
            &format!(
                "{}-{}-4{}-a{}-{}",
                random(rng, HEX, 8),
                random(rng, HEX, 4),
                random(rng, HEX, 3),
                random(rng, HEX, 3),
                random(rng, HEX, 12)
            ),
        ),
        6 => style.assign(
            "database_url",
            "postgres://app:${DB_PASSWORD}@db.internal:5432/orders",
        ),
        7 => style.assign("secret_name", "orders-db-credentials"),
        _ => style.assign("integrity", &format!("sha512-{}", random(rng, BASE64, 86))),
    }
}

/// An ordinary line of the file's language.
fn filler(rng: &mut Rng, style: Style) -> String {
    const WORDS: &[&str] = &[
        "order", "customer", "invoice", "total", "items", "price", "shipping", "address", "status",
        "created", "updated", "retry", "timeout", "handler", "cache", "queue",
    ];
    let a = rng.pick(WORDS);
    let b = rng.pick(WORDS);
    match (style, rng.below(4)) {
        (_, 0) => style.comment(&format!(
            "compute the {a} of each {b} before the {}",
            rng.pick(WORDS)
        )),
        (Style::Python, _) => format!("    {a}_{b} = compute_{a}({b}, limit={})", rng.below(1000)),
        (Style::JavaScript, _) => format!(
            "  const {a}{} = await fetch{b}(id, {});",
            rng.below(10),
            rng.below(100)
        ),
        (Style::Go, _) => format!(
            "\tif err := s.{a}.Update(ctx, {b}); err != nil {{ return fmt.Errorf(\"{a}: %w\", err) }}"
        ),
        (Style::Yaml, _) => format!("  {a}_{b}: {}", rng.below(10_000)),
        (Style::Env, _) => format!(
            "{}_{}={}",
            a.to_ascii_uppercase(),
            b.to_ascii_uppercase(),
            rng.below(500)
        ),
        (Style::Properties, _) => {
            format!("app.{a}.{b}=https://{a}.example.com/{b}/{}", rng.below(99))
        }
    }
}

/// Files of about 40 KB, `megabytes` in all, with a secret on about one line in 330 (every
/// ~14 KB) and a decoy on one in 60, and the list of what was planted.
pub fn generate_secrets_corpus(megabytes: usize, seed: u64) -> (Vec<ManifestFile>, Vec<Planted>) {
    let mut rng = Rng::new(seed);
    let styles = [
        Style::Python,
        Style::JavaScript,
        Style::Go,
        Style::Yaml,
        Style::Env,
        Style::Properties,
    ];
    let target = megabytes * 1_000_000;
    let mut files = Vec::new();
    let mut planted = Vec::new();
    let mut total = 0;
    while total < target {
        let style = rng.pick(&styles);
        let path = format!(
            "src/{:03}/file{:06}.{}",
            files.len() % 500,
            files.len(),
            style.extension()
        );
        let mut lines: Vec<String> = Vec::new();
        if matches!(style, Style::Yaml) {
            lines.push("settings:".to_owned());
        }
        let mut size = 0;
        while size < 40_000 {
            let roll = rng.below(1000);
            let mut new = if roll < 3 {
                let (secret_lines, at, kind) = secret(&mut rng, style);
                planted.push(Planted {
                    path: path.clone(),
                    line: lines.len() + at + 1,
                    kind,
                });
                secret_lines
            } else if roll < 20 {
                vec![decoy(&mut rng, style)]
            } else {
                vec![filler(&mut rng, style)]
            };
            size += new.iter().map(|l| l.len() + 1).sum::<usize>();
            lines.append(&mut new);
        }
        let mut text = lines.join("\n");
        text.push('\n');
        total += text.len();
        files.push(ManifestFile { path, text });
    }
    (files, planted)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// rampart's detector finds every planted secret and nothing else: the corpus is the
    /// benchmark's referee, so it is checked against the detector it measures.
    #[test]
    fn the_detector_finds_exactly_what_was_planted() {
        let (files, planted) = generate_secrets_corpus(1, 7);
        let mut found = Vec::new();
        for file in &files {
            let syntax = match file.path.rsplit('.').next() {
                Some("py" | "js" | "go") => rampart_secrets::Syntax::Code,
                _ => rampart_secrets::Syntax::Config,
            };
            for secret in rampart_secrets::scan(&file.text, syntax) {
                found.push((file.path.clone(), secret.line as usize));
            }
        }
        let expected: Vec<_> = planted.iter().map(|p| (p.path.clone(), p.line)).collect();
        assert!(planted.len() > 20);
        assert_eq!(found, expected);
    }
}
