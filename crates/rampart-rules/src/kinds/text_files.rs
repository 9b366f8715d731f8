use std::borrow::Cow;
use std::sync::Arc;

use rampart_core::{Diagnostic, Finding, Location, Platform, Subject, Texts};
use rampart_secrets::{Class, Secret, SecretsInFile};

use crate::checking::{check, each};
use crate::{Hit, Inputs, Kind, RuleOf, RuleOptions};

/// Source and configuration files, as the secret detector read them: one file at a time,
/// with the secrets found in it.
pub struct TextFiles;

/// What a text file rule looks at: the secrets of one file. Hits point at a secret
/// (`/secrets/3`, see [`Hit::on_secret`]); the fingerprint hashes the file's name in its
/// repository and a digest of the secret, never the secret or where it is in the file.
pub struct TextFileTarget<'a> {
    pub file: &'a SecretsInFile,
    pub options: &'a RuleOptions,
    pub subject: Arc<Subject>,
}

impl TextFileTarget<'_> {
    /// The secrets of a class, with their positions in the file's list.
    pub fn secrets(&self, class: Class) -> impl Iterator<Item = (usize, &Secret)> {
        self.file
            .secrets
            .iter()
            .enumerate()
            .filter(move |(_, secret)| secret.class == class)
    }

    fn secret(&self, pointer: &str) -> Option<&Secret> {
        let index = pointer.strip_prefix("/secrets/")?.parse::<usize>().ok()?;
        self.file.secrets.get(index)
    }
}

impl Hit {
    /// A hit on the secret at `index` of a text file's secrets.
    pub fn on_secret(index: usize, message: impl Into<String>) -> Hit {
        Hit::new(format!("/secrets/{index}"), message)
    }
}

impl Kind for TextFiles {
    type Target<'a> = TextFileTarget<'a>;

    fn run(
        inputs: &Inputs<'_>,
        options: &RuleOptions,
        rules: &[&'static dyn RuleOf<TextFiles>],
        texts: &Texts,
    ) -> (Vec<Finding>, Vec<Diagnostic>) {
        each(inputs.inventory.all::<SecretsInFile>(), |file| {
            let target = TextFileTarget {
                file,
                options,
                subject: Arc::new(Subject {
                    platform: Platform::Code,
                    system: None,
                    kind: "file".to_owned(),
                    scope: None,
                    name: file.name.to_string(),
                    version: None,
                }),
            };
            (check(&target, rules, texts), Vec::new())
        })
    }

    fn subject(target: &TextFileTarget<'_>, _hit: &Hit) -> Arc<Subject> {
        target.subject.clone()
    }

    fn location(target: &TextFileTarget<'_>, hit: &Hit) -> Location {
        let mut location = Location::new(target.file.path.clone(), 0, 0);
        if let Some(secret) = target.secret(&hit.pointer) {
            location.line = secret.line;
            location.column = secret.column;
            location.end_line = secret.end_line;
            location.end_column = secret.end_column;
        }
        location
    }

    /// The detection and the secret's digest: the same secret in the same file keeps its
    /// fingerprint wherever the file moves it.
    fn field_identity<'t>(target: &'t TextFileTarget<'_>, pointer: &'t str) -> Cow<'t, str> {
        match target.secret(pointer) {
            Some(secret) => Cow::Owned(format!("secret/{}/{}", secret.id, secret.digest)),
            None => Cow::Borrowed(pointer),
        }
    }
}
