//! What a format's structure says about a candidate: checksums (GitHub and npm tokens carry a
//! CRC32 of their random part, age keys a bech32 checksum), encodings (a JWT's header is
//! base64url JSON naming its algorithm; a PyPI token is a macaroon issued by PyPI) and
//! lengths (an Azure storage key is 64 bytes). A candidate that fails is not that secret.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

const INDIFFERENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const BASE64: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, INDIFFERENT);
const BASE64URL: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, INDIFFERENT);

/// Standard base64, padded or not.
pub(crate) fn base64(text: &str) -> Option<Vec<u8>> {
    BASE64.decode(text).ok()
}

/// base64url, padded or not.
pub(crate) fn base64url(text: &str) -> Option<Vec<u8>> {
    BASE64URL.decode(text).ok()
}

/// CRC-32 (IEEE 802.3, reflected, as zlib computes it).
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `value` in base 62 (digits, upper case, lower case), left-padded with `0` to `width`.
pub(crate) fn base62(mut value: u64, width: usize) -> String {
    let mut digits = Vec::new();
    while value > 0 {
        digits.push(BASE62[(value % 62) as usize]);
        value /= 62;
    }
    while digits.len() < width {
        digits.push(b'0');
    }
    digits.reverse();
    String::from_utf8(digits).expect("base62 digits are ASCII")
}

/// GitHub's and npm's token format: `prefix_` + 30 random base62 characters + the CRC32 of
/// those 30 characters in 6 base62 digits.
pub(crate) fn base62_crc32_token(token: &str) -> bool {
    let Some((_, body)) = token.split_once('_') else {
        return false;
    };
    if body.len() != 36 || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return false;
    }
    let (random, checksum) = body.split_at(30);
    base62(u64::from(crc32(random.as_bytes())), 6) == checksum
}

/// A JSON Web Token (or JWS/JWE in compact form): its first part is base64url JSON with an
/// `alg`, its second a JSON object (or, for JWE, an encrypted key).
pub(crate) fn jwt(token: &str) -> bool {
    let mut parts = token.split('.');
    let (Some(header), Some(payload)) = (parts.next(), parts.next()) else {
        return false;
    };
    let json = |part: &str| {
        base64url(part).and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
    };
    let Some(header) = json(header) else {
        return false;
    };
    let has_alg = header.get("alg").is_some_and(serde_json::Value::is_string);
    has_alg && (header.get("enc").is_some() || json(payload).is_some_and(|p| p.is_object()))
}

/// A PyPI API token: `pypi-` + a base64url macaroon (version 2) whose location is PyPI or
/// TestPyPI and that carries an identifier.
pub(crate) fn pypi_token(token: &str) -> bool {
    let Some(macaroon) = token.strip_prefix("pypi-").and_then(base64url) else {
        return false;
    };
    let mut fields = MacaroonFields(&macaroon[1.min(macaroon.len())..]);
    macaroon.first() == Some(&2)
        && matches!(fields.next(), Some((1, b"pypi.org" | b"test.pypi.org")))
        && matches!(fields.next(), Some((2, identifier)) if !identifier.is_empty())
}

/// The type-length-value fields of a version 2 macaroon.
struct MacaroonFields<'a>(&'a [u8]);

impl<'a> Iterator for MacaroonFields<'a> {
    type Item = (u8, &'a [u8]);

    fn next(&mut self) -> Option<(u8, &'a [u8])> {
        let (&kind, rest) = self.0.split_first()?;
        let mut length = 0usize;
        let mut read = 0;
        for (i, &byte) in rest.iter().enumerate().take(4) {
            length |= usize::from(byte & 0x7f) << (7 * i);
            read = i + 1;
            if byte & 0x80 == 0 {
                break;
            }
        }
        let value = rest.get(read..read.checked_add(length)?)?;
        self.0 = &rest[read + length..];
        Some((kind, value))
    }
}

/// A Discord bot token: its first part is the bot's user id (a snowflake, decimal) in base64.
pub(crate) fn discord_bot_token(token: &str) -> bool {
    let id = token.split('.').next().and_then(base64url);
    id.is_some_and(|id| id.len() >= 17 && id.iter().all(u8::is_ascii_digit))
}

/// An Azure storage account key: 64 random bytes in base64.
pub(crate) fn azure_storage_key(key: &str) -> bool {
    base64(key).is_some_and(|bytes| bytes.len() == 64)
}

/// An Azure shared access signature's `sig`: an HMAC-SHA256 (32 bytes) in base64, usually
/// percent-encoded in the URL.
pub(crate) fn azure_sas_signature(sig: &str) -> bool {
    let decoded = sig
        .replace("%2B", "+")
        .replace("%2b", "+")
        .replace("%2F", "/")
        .replace("%2f", "/")
        .replace("%3D", "=")
        .replace("%3d", "=");
    base64(&decoded).is_some_and(|bytes| bytes.len() == 32)
}

/// A Grafana service account token: `glsa_` + 32 base62 characters + `_` + the CRC32 of
/// everything before it, in 8 hexadecimal digits.
pub(crate) fn grafana_service_account_token(token: &str) -> bool {
    let Some((body, checksum)) = token.rsplit_once('_') else {
        return false;
    };
    checksum.len() == 8 && format!("{:08x}", crc32(body.as_bytes())) == checksum
}

const BECH32: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/// A bech32 string (BIP 173) with a valid checksum, any case: age secret keys
/// (`AGE-SECRET-KEY-1…`).
pub(crate) fn bech32(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let Some((hrp, data)) = lower.rsplit_once('1') else {
        return false;
    };
    let Some(values) = data
        .bytes()
        .map(|c| BECH32.iter().position(|&b| b == c).map(|v| v as u8))
        .collect::<Option<Vec<u8>>>()
    else {
        return false;
    };
    let mut expanded: Vec<u8> = hrp.bytes().map(|b| b >> 5).collect();
    expanded.push(0);
    expanded.extend(hrp.bytes().map(|b| b & 31));
    expanded.extend(values);
    values_polymod(&expanded) == 1 && data.len() >= 6
}

#[cfg(test)]
pub(crate) fn tests_polymod(values: &[u8]) -> u32 {
    values_polymod(values)
}

fn values_polymod(values: &[u8]) -> u32 {
    const GENERATOR: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let mut checksum = 1u32;
    for &value in values {
        let top = checksum >> 25;
        checksum = ((checksum & 0x01ff_ffff) << 5) ^ u32::from(value);
        for (i, generator) in GENERATOR.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                checksum ^= generator;
            }
        }
    }
    checksum
}

/// Shannon entropy of the characters, in bits per character.
pub(crate) fn entropy(value: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut length = 0u32;
    for byte in value.bytes() {
        counts[usize::from(byte)] += 1;
        length += 1;
    }
    let length = f64::from(length);
    counts
        .iter()
        .filter(|&&count| count > 0)
        .map(|&count| {
            let p = f64::from(count) / length;
            -p * p.log2()
        })
        .sum()
}

/// Tokens built with valid checksums, as their issuers build them: for tests and the benchmark
/// corpus.
pub mod make {
    use super::*;

    /// A GitHub- or npm-style token with its checksum.
    pub fn base62_crc32_token(prefix: &str, random: &str) -> String {
        assert_eq!(random.len(), 30);
        format!(
            "{prefix}{random}{}",
            base62(u64::from(crc32(random.as_bytes())), 6)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        // The check value of CRC-32/ISO-HDLC over "123456789".
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn base62_pads_and_orders_digits_then_upper_then_lower() {
        assert_eq!(base62(0, 6), "000000");
        assert_eq!(base62(61, 2), "0z");
        assert_eq!(base62(62, 1), "10");
        assert_eq!(base62(u64::from(u32::MAX), 6), "4gfFC3");
    }

    #[test]
    fn github_checksums_are_verified() {
        let token = make::base62_crc32_token("ghp_", "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123");
        assert!(base62_crc32_token(&token));
        let mut tampered = token.clone().into_bytes();
        tampered[10] = if tampered[10] == b'x' { b'y' } else { b'x' };
        assert!(!base62_crc32_token(&String::from_utf8(tampered).unwrap()));
        assert!(!base62_crc32_token(
            "ghp_0123456789abcdefghijABCDEFGHIJ012345"
        ));
    }

    #[test]
    fn jwt_structure() {
        assert!(jwt(
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLWJ5dGVz"
        ));
        // Header without `alg`.
        assert!(!jwt("eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJhZG1pbiJ9.c2ln"));
        // Not base64 JSON.
        assert!(!jwt("eyJhbGciOiJIUzI1NiJ9.eyJub3QganNvbg.c2ln"));
    }

    #[test]
    fn pypi_macaroons() {
        // version 2, location "pypi.org", identifier "id-0001", then the end of section.
        let mut macaroon = vec![2, 1, 8];
        macaroon.extend(b"pypi.org");
        macaroon.extend([2, 7]);
        macaroon.extend(b"id-0001");
        macaroon.extend([0; 40]);
        let token = format!(
            "pypi-{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&macaroon)
        );
        assert!(token.starts_with("pypi-AgEIcHlwaS5vcmc"));
        assert!(pypi_token(&token));
        macaroon[3] = b'q';
        let token = format!(
            "pypi-{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&macaroon)
        );
        assert!(!pypi_token(&token));
        assert!(!pypi_token("pypi-AgEIcHlwaS5vcmc"));
    }

    #[test]
    fn bech32_checksums() {
        // BIP 173's valid test vectors.
        assert!(bech32("A12UEL5L"));
        assert!(bech32("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"));
        assert!(!bech32("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx"));
    }

    #[test]
    fn discord_ids_are_snowflakes() {
        let id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("123456789012345678");
        assert!(discord_bot_token(&format!(
            "{id}.GhIjKl.abcdefghijklmnopqrstuvwxyz0"
        )));
        let word = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("not-a-snowflake-id");
        assert!(!discord_bot_token(&format!(
            "{word}.GhIjKl.abcdefghijklmnopqrstuvwxyz0"
        )));
    }

    #[test]
    fn entropy_of_uniform_and_repeated_text() {
        assert_eq!(entropy("aaaa"), 0.0);
        assert!((entropy("abcd") - 2.0).abs() < 1e-9);
    }
}
