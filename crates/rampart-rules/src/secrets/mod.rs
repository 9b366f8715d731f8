//! Rules about secrets written where they are read by more people than should hold them
//! (`S1xx`): in source and configuration files, in ConfigMaps and in Secret manifests
//! committed with their values. Every one finds secrets with `rampart-secrets`, the detector
//! the secret rules of the other layers (K142, D108, D110, I104) use too.

mod password_in_file;
mod plaintext_secret;
mod private_key_in_file;
mod secret_in_configmap;
mod secret_in_file;
mod secret_in_object;

pub use password_in_file::PasswordInFile;
pub use plaintext_secret::PlaintextSecret;
pub use private_key_in_file::PrivateKeyInFile;
pub use secret_in_configmap::SecretInConfigMap;
pub use secret_in_file::SecretInFile;
pub use secret_in_object::SecretInObject;

use rampart_secrets::Class;

use crate::{Hit, TextFileTarget};

/// One hit per secret of `class` in the file, each saying what it is, safely.
fn report(target: &TextFileTarget<'_>, class: Class, hits: &mut Vec<Hit>, advice: &str) {
    for (index, secret) in target.secrets(class) {
        let named = match &secret.name {
            Some(name) => format!(" assigned to `{name}`"),
            None => String::new(),
        };
        hits.push(Hit::on_secret(
            index,
            format!(
                "{}{named} ({}) is written in the file; {advice}",
                secret.what, secret.redacted
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use rampart_secrets::FORMATS;

    use super::*;
    use crate::rule::HasMeta;

    /// S101 claims the gitleaks rules and detect-secrets plugins of the formats it reports,
    /// and no others.
    #[test]
    fn secret_in_file_lists_the_equivalents_of_its_formats() {
        let mut expected: Vec<String> = FORMATS
            .iter()
            .flat_map(|format| {
                let gitleaks = format.gitleaks.iter().map(|id| format!("gitleaks:{id}"));
                let plugin = format.detect_secrets.map(|p| format!("detect-secrets:{p}"));
                gitleaks.chain(plugin)
            })
            .collect();
        expected.sort();
        expected.dedup();
        let mut declared: Vec<String> = SecretInFile::META
            .equivalents
            .iter()
            .map(|e| e.to_string())
            .collect();
        declared.sort();
        assert_eq!(declared, expected);
    }
}
