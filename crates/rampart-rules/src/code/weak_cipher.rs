use rampart_core::{Concern, Layer, Severity, refs};

use super::{calls_matching, hit_on_call};
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Broken ciphers and the ECB mode, in PyCryptodome (`Crypto.Cipher` and `Cryptodome.Cipher`:
    /// `DES`, `DES3`, `ARC2`, `ARC4`, `Blowfish`, `CAST`, `XOR`, and any cipher made with
    /// `MODE_ECB`) and in `cryptography` (`algorithms.TripleDES`, `ARC4`, `Blowfish`, `CAST5`,
    /// `IDEA`, `SEED`, and `modes.ECB`).
    ///
    /// ## Why it matters
    /// DES falls to brute force, RC4's keystream is biased, 64-bit block ciphers leak over long
    /// sessions (Sweet32), and ECB encrypts equal blocks to equal blocks: the structure of the
    /// data shows through the ciphertext.
    ///
    /// ## Example
    /// ```python
    /// cipher = AES.new(key, AES.MODE_ECB)
    /// ```
    /// Use instead: an authenticated mode.
    /// ```python
    /// cipher = AES.new(key, AES.MODE_GCM)
    /// ```
    pub struct WeakCipher {
        code: "A121",
        name: "weak-cipher",
        title: "Broken cipher or ECB mode",
        severity: Severity::High,
        layer: Layer::Code,
        concern: Concern::Crypto,
        references: refs![
            Cwe: ["CWE-327"],
            Owasp: ["A02:2021"],
        ],
        equivalents: &["bandit:B304", "bandit:B305", "ruff:S304", "ruff:S305"],
    }
}

const BROKEN: [&str; 22] = [
    "Crypto.Cipher.DES.new",
    "Crypto.Cipher.DES3.new",
    "Crypto.Cipher.ARC2.new",
    "Crypto.Cipher.ARC4.new",
    "Crypto.Cipher.Blowfish.new",
    "Crypto.Cipher.CAST.new",
    "Crypto.Cipher.XOR.new",
    "Cryptodome.Cipher.DES.new",
    "Cryptodome.Cipher.DES3.new",
    "Cryptodome.Cipher.ARC2.new",
    "Cryptodome.Cipher.ARC4.new",
    "Cryptodome.Cipher.Blowfish.new",
    "Cryptodome.Cipher.CAST.new",
    "Cryptodome.Cipher.XOR.new",
    "cryptography.hazmat.primitives.ciphers.algorithms.TripleDES",
    "cryptography.hazmat.primitives.ciphers.algorithms.ARC4",
    "cryptography.hazmat.primitives.ciphers.algorithms.Blowfish",
    "cryptography.hazmat.primitives.ciphers.algorithms.CAST5",
    "cryptography.hazmat.primitives.ciphers.algorithms.IDEA",
    "cryptography.hazmat.primitives.ciphers.algorithms.SEED",
    "cryptography.hazmat.primitives.ciphers.modes.ECB",
    "cryptography.hazmat.decrepit.ciphers.algorithms.TripleDES",
];

impl Check<Code> for WeakCipher {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        for call in calls_matching(target, &BROKEN) {
            let what = call
                .path
                .rsplit('.')
                .find(|part| *part != "new")
                .unwrap_or("");
            let message = match what {
                "ECB" => "the ECB mode encrypts equal blocks to equal blocks; use GCM".to_owned(),
                _ => format!("{what} is a broken cipher; use AES-GCM or ChaCha20-Poly1305"),
            };
            hits.push(hit_on_call(target, call, message));
        }
        let ciphers = ["Crypto.Cipher.*.new", "Cryptodome.Cipher.*.new"];
        for call in target.analysis.calls_in(target.index) {
            let is_cipher = ciphers.iter().any(|pattern| {
                let (head, tail) = pattern.split_once('*').expect("a wildcard");
                call.path.starts_with(head) && call.path.ends_with(tail)
            });
            let ecb = call.args.iter().any(|arg| {
                arg.path
                    .as_deref()
                    .is_some_and(|p| p.ends_with(".MODE_ECB"))
            });
            if is_cipher && ecb && !BROKEN.contains(&&*call.path) {
                hits.push(hit_on_call(
                    target,
                    call,
                    "the ECB mode encrypts equal blocks to equal blocks; use MODE_GCM".to_owned(),
                ));
            }
        }
    }
}
