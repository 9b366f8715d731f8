//! The secret detector on any text: it never panics, every secret lies on character
//! boundaries within the text, and no redaction shows the secret.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_secrets::{Syntax, detect, scan};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for syntax in [Syntax::Config, Syntax::Code] {
        for secret in scan(text, syntax) {
            assert!(secret.start < secret.end && secret.end <= text.len());
            assert!(text.is_char_boundary(secret.start) && text.is_char_boundary(secret.end));
            let value = &text[secret.start..secret.end];
            // A URL's redaction shows its user and host, which may repeat a short password.
            if secret.id != "url-password" && value.len() >= 8 {
                assert!(!secret.redacted.contains(value), "{} leaked", secret.id);
            }
        }
    }
    if let Some((name, value)) = text.split_once('=') {
        let _ = detect(name, value);
    }
});
