//! Private keys in every encoding: PEM blocks (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted or
//! not, PGP), with real or escaped (`\n`) line breaks and YAML or JSON around them; PuTTY
//! key files; and PEM blocks wrapped in base64 (`client-key-data: LS0tLS1CRUdJTi…`).

use std::borrow::Cow;

use crate::checks::base64;

/// How far after its header a key's end marker is looked for.
const MAX_KEY_BYTES: usize = 64 * 1024;
/// Fewest base64 characters in a key's body: less is an example or a truncated key.
const MIN_BODY: usize = 64;

/// A private key found in a text.
pub(crate) struct Key {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) what: Cow<'static, str>,
    /// The header line, safe to print.
    pub(crate) header: String,
}

/// The PEM private key whose `-----BEGIN` is at `at`, if it is one.
pub(crate) fn pem_at(text: &str, at: usize) -> Option<Key> {
    let rest = &text[at..];
    let label_start = "-----BEGIN ".len();
    if !rest.starts_with("-----BEGIN ") {
        return None;
    }
    let label_len = rest[label_start..]
        .get(..80)
        .unwrap_or(&rest[label_start..])
        .find("-----")?;
    let label = &rest[label_start..label_start + label_len];
    if !(label.ends_with("PRIVATE KEY") || label.ends_with("PRIVATE KEY BLOCK")) {
        return None;
    }
    let header_end = label_start + label_len + 5;
    let end_marker = format!("-----END {label}-----");
    let window = prefix_within(rest, MAX_KEY_BYTES);
    let body_len = window[header_end..].find(&end_marker)?;
    let body = &rest[header_end..header_end + body_len];
    let base64_body = key_body(body)?;
    let encrypted = label.contains("ENCRYPTED")
        || body.contains("Proc-Type: 4,ENCRYPTED")
        || (label == "OPENSSH PRIVATE KEY" && openssh_encrypted(&base64_body));
    let what = match (label, encrypted) {
        ("RSA PRIVATE KEY", false) => "an RSA private key",
        ("RSA PRIVATE KEY", true) => "an encrypted RSA private key",
        ("EC PRIVATE KEY", false) => "an EC private key",
        ("EC PRIVATE KEY", true) => "an encrypted EC private key",
        ("DSA PRIVATE KEY", false) => "a DSA private key",
        ("DSA PRIVATE KEY", true) => "an encrypted DSA private key",
        ("OPENSSH PRIVATE KEY", false) => "an OpenSSH private key",
        ("OPENSSH PRIVATE KEY", true) => "an encrypted OpenSSH private key",
        ("PRIVATE KEY", _) => "a PKCS#8 private key",
        ("ENCRYPTED PRIVATE KEY", _) => "an encrypted PKCS#8 private key",
        ("PGP PRIVATE KEY BLOCK", _) => "a PGP private key",
        (_, false) => "a private key",
        (_, true) => "an encrypted private key",
    };
    Some(Key {
        start: at,
        end: at + header_end + body_len + end_marker.len(),
        what: Cow::Borrowed(what),
        header: rest[..header_end].to_owned(),
    })
}

/// `text` cut to at most `limit` bytes, on a character boundary.
fn prefix_within(text: &str, limit: usize) -> &str {
    let mut end = text.len().min(limit);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The base64 of a key's body, if the body is one: base64 lines, broken by real or escaped
/// line breaks, indented or quoted as YAML, JSON and source code write them, with PEM's
/// `Name: value` headers. Anything else (`...`, `<key>`) is not a real key.
fn key_body(body: &str) -> Option<String> {
    let mut base64 = String::new();
    for line in body.split(['\n', '\r']).flat_map(|line| line.split("\\n")) {
        let line = line
            .trim()
            .trim_start_matches(['"', '\'', '+', ','])
            .trim_end_matches(['"', '\'', '+', ',', '\\'])
            .trim();
        if line.is_empty() || line.contains(": ") {
            continue;
        }
        if !line
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
        {
            return None;
        }
        base64.push_str(line);
    }
    (base64.len() >= MIN_BODY).then_some(base64)
}

/// Whether an OpenSSH key (`openssh-key-v1`) names a cipher other than `none`.
fn openssh_encrypted(body: &str) -> bool {
    let Some(bytes) = base64(body) else {
        return false;
    };
    let Some(rest) = bytes.strip_prefix(b"openssh-key-v1\0") else {
        return false;
    };
    let Some(length) = rest.get(..4) else {
        return false;
    };
    let length = u32::from_be_bytes([length[0], length[1], length[2], length[3]]) as usize;
    rest.get(4..4 + length)
        .is_some_and(|cipher| cipher != b"none")
}

/// A PuTTY private key file (`PuTTY-User-Key-File-2:` or `-3:`) starting at `at`, up to its
/// `Private-MAC` line.
pub(crate) fn putty_at(text: &str, at: usize) -> Option<Key> {
    let rest = &text[at..];
    let header_len = rest.find('\n').unwrap_or(rest.len());
    let header = rest[..header_len].trim_end();
    if !header.starts_with("PuTTY-User-Key-File-") {
        return None;
    }
    let window = prefix_within(rest, MAX_KEY_BYTES);
    let mac = window.find("\nPrivate-MAC: ")?;
    let mac_end = window[mac + 1..]
        .find('\n')
        .map_or(window.len(), |n| mac + 1 + n);
    let encrypted = !window[..mac].contains("\nEncryption: none");
    let private_lines = window[..mac].contains("\nPrivate-Lines: ");
    private_lines.then(|| Key {
        start: at,
        end: at + mac_end,
        what: Cow::Borrowed(if encrypted {
            "an encrypted PuTTY private key"
        } else {
            "a PuTTY private key"
        }),
        header: header.to_owned(),
    })
}

/// A PEM private key wrapped in base64 (as kubeconfigs' `client-key-data` and Secrets'
/// `data` hold it), the base64 starting at `at`.
pub(crate) fn base64_pem_at(text: &str, at: usize) -> Option<Key> {
    let run = text[at..]
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || b"+/=".contains(b))
        .count();
    let decoded = base64(&text[at..at + run])?;
    let decoded = std::str::from_utf8(&decoded).ok()?;
    let inner = decoded
        .match_indices("-----BEGIN ")
        .find_map(|(start, _)| pem_at(decoded, start))?;
    Some(Key {
        start: at,
        end: at + run,
        what: Cow::Owned(format!("{}, base64-encoded", inner.what)),
        header: inner.header,
    })
}
