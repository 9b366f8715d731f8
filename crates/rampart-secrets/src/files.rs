//! Secrets in every text file a scan reads: each input format is wrapped so that the text of
//! the files it claims is scanned too, and a last format claims the source and configuration
//! files no other format reads. Files whose content other rules check field by field
//! (Kubernetes objects, Dockerfiles) are left to those rules.

use std::path::Path;
use std::sync::Arc;

use rampart_source::{
    Dockerfile, Found, InputFormat, Object, Parsed, SourceFile, name_in_repository,
};

use crate::{Secret, Syntax, scan};

/// The secrets found in one file.
#[derive(Debug)]
pub struct SecretsInFile {
    /// The file as reports show it.
    pub path: Arc<str>,
    /// The file relative to its repository: what findings are about.
    pub name: Arc<str>,
    pub secrets: Vec<Secret>,
}

/// `formats`, each scanning the text of what it reads for secrets, then [`TextFiles`] for the
/// source and configuration files no format of the list claims. Wrap the complete list: a
/// format added after is not scanned.
pub fn with_secret_scanning(formats: Vec<Arc<dyn InputFormat>>) -> Vec<Arc<dyn InputFormat>> {
    formats
        .into_iter()
        .map(|format| Arc::new(Scanned(format)) as Arc<dyn InputFormat>)
        .chain(std::iter::once(Arc::new(TextFiles) as Arc<dyn InputFormat>))
        .collect()
}

/// A format whose files' text is scanned for secrets after it parsed them.
struct Scanned(Arc<dyn InputFormat>);

impl InputFormat for Scanned {
    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn claims(&self, path: &Path, found: Found) -> bool {
        self.0.claims(path, found)
    }

    fn recognises(&self, text: &str) -> bool {
        self.0.recognises(text)
    }

    fn parse(&self, file: &SourceFile<'_>, into: &mut Parsed) {
        self.0.parse(file, into);
        // Objects and Dockerfiles have rules for each field that may hold a secret.
        if into.all::<Object>().is_empty() && into.all::<Dockerfile>().is_empty() {
            scan_file(file, into);
        }
    }
}

/// Source and configuration files that no other format reads, told by name: the files where
/// secrets are written (`.env`, `.npmrc`, `credentials`, keys) and those of programming
/// languages and configuration formats. Other files (documentation, data, binaries) are not
/// read; binary and oversized files among these are refused by the scan's limits.
pub struct TextFiles;

impl InputFormat for TextFiles {
    fn name(&self) -> &'static str {
        "source and configuration files"
    }

    fn claims(&self, path: &Path, _found: Found) -> bool {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            return false;
        };
        let lower = name.to_ascii_lowercase();
        let extension = lower.rsplit_once('.').map(|(_, e)| e);
        SECRET_FILE_NAMES.contains(&lower.as_str())
            || lower.starts_with(".env")
            || lower.ends_with(".env")
            || extension.is_some_and(|e| CODE.contains(&e) || CONFIG.contains(&e))
    }

    fn parse(&self, file: &SourceFile<'_>, into: &mut Parsed) {
        scan_file(file, into);
    }
}

fn scan_file(file: &SourceFile<'_>, into: &mut Parsed) {
    let syntax = file.path.map_or(Syntax::Config, syntax_of);
    let secrets = scan(file.text, syntax);
    if secrets.is_empty() {
        return;
    }
    let name = match file.path {
        Some(path) => name_in_repository(path, &[]),
        None => Arc::from(file.shown),
    };
    into.push(SecretsInFile {
        path: Arc::from(file.shown),
        name,
        secrets,
    });
}

/// Files where credentials are kept, by name.
const SECRET_FILE_NAMES: &[&str] = &[
    ".npmrc",
    ".pypirc",
    ".netrc",
    "_netrc",
    ".git-credentials",
    ".dockercfg",
    ".pgpass",
    ".my.cnf",
    ".s3cfg",
    ".boto",
    ".htpasswd",
    "credentials",
    "kubeconfig",
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    "jenkinsfile",
    "makefile",
    "vagrantfile",
    ".bashrc",
    ".zshrc",
    ".profile",
];

/// Extensions of programming languages: values are literals only when quoted.
const CODE: &[&str] = &[
    "py",
    "pyi",
    "js",
    "mjs",
    "cjs",
    "jsx",
    "ts",
    "tsx",
    "vue",
    "svelte",
    "go",
    "java",
    "kt",
    "kts",
    "scala",
    "groovy",
    "gradle",
    "rb",
    "php",
    "cs",
    "fs",
    "vb",
    "c",
    "h",
    "cc",
    "cpp",
    "hpp",
    "m",
    "mm",
    "swift",
    "rs",
    "dart",
    "lua",
    "pl",
    "pm",
    "r",
    "ex",
    "exs",
    "erl",
    "clj",
    "ps1",
    "psm1",
    "sql",
    "ipynb",
    "jsonnet",
    "libsonnet",
    "nix",
];

/// Extensions of configuration, scripts and key files.
const CONFIG: &[&str] = &[
    "sh",
    "bash",
    "zsh",
    "fish",
    "bat",
    "cmd",
    "env",
    "ini",
    "cfg",
    "conf",
    "cnf",
    "properties",
    "toml",
    "xml",
    "config",
    "plist",
    "tf",
    "tfvars",
    "hcl",
    "tfstate",
    "cue",
    "tpl",
    "j2",
    "gotmpl",
    "html",
    "htm",
    "pem",
    "key",
    "ppk",
    "p8",
    "kubeconfig",
];

fn syntax_of(path: &Path) -> Syntax {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension {
        Some(e) if CODE.contains(&e.as_str()) => Syntax::Code,
        _ => Syntax::Config,
    }
}
