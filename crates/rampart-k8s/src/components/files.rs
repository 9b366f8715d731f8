//! The configuration files control-plane flags name (`--encryption-provider-config`,
//! `--audit-policy-file`, `--admission-control-config-file`, the kubeconfigs), found among the
//! scanned objects: by path (the scanned file whose path ends with the flag's), else, when the
//! scan holds exactly one file of the kind, that one, said to be assumed.
//!
//! A flag naming a file the scan lacks is an error only where the scan is laid out as a node
//! (`<root>/etc/kubernetes/manifests/…`): there the file was expected at `<root><path>`; in a
//! folder of manifests, files from the node are simply not there.

use std::fmt;

use rampart_core::ScanError;
use rampart_source::Object;

use super::{Component, Source, component_containers};
use crate::workload::pod_template;

/// The kind of configuration file a flag names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Encryption,
    AuditPolicy,
    Admission,
    Kubeconfig,
    /// The PodSecurity admission plugin's own configuration, named by an
    /// AdmissionConfiguration's `path`.
    PodSecurity,
}

impl FileKind {
    /// The kind of configuration `object` is, by its `apiVersion` and `kind` as the API server
    /// (or client-go, for kubeconfigs) decodes them.
    pub fn of(object: &Object) -> Option<FileKind> {
        let kind = match (object.api_version.as_str(), object.kind.as_str()) {
            ("apiserver.config.k8s.io/v1", "EncryptionConfiguration")
            | ("v1", "EncryptionConfig") => FileKind::Encryption,
            ("audit.k8s.io/v1", "Policy") => FileKind::AuditPolicy,
            (
                "apiserver.config.k8s.io/v1"
                | "apiserver.config.k8s.io/v1alpha1"
                | "apiserver.k8s.io/v1alpha1",
                "AdmissionConfiguration",
            ) => FileKind::Admission,
            ("v1", "Config") => FileKind::Kubeconfig,
            (
                "pod-security.admission.config.k8s.io/v1"
                | "pod-security.admission.config.k8s.io/v1beta1"
                | "pod-security.admission.config.k8s.io/v1alpha1",
                "PodSecurityConfiguration",
            ) => FileKind::PodSecurity,
            _ => return None,
        };
        Some(kind)
    }

    /// How messages name a file of this kind.
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::Encryption => "EncryptionConfiguration",
            FileKind::AuditPolicy => "audit policy",
            FileKind::Admission => "AdmissionConfiguration",
            FileKind::Kubeconfig => "kubeconfig",
            FileKind::PodSecurity => "PodSecurityConfiguration",
        }
    }
}

use Component::*;
use FileKind::*;

/// The flags that name a configuration file, and the kind of file each names. The webhook
/// configuration files of the API server are kubeconfigs.
const FILE_FLAGS: &[(Component, &str, FileKind)] = &[
    (ApiServer, "encryption-provider-config", Encryption),
    (ApiServer, "audit-policy-file", AuditPolicy),
    (ApiServer, "admission-control-config-file", Admission),
    (
        ApiServer,
        "authentication-token-webhook-config-file",
        Kubeconfig,
    ),
    (ApiServer, "authorization-webhook-config-file", Kubeconfig),
    (ApiServer, "audit-webhook-config-file", Kubeconfig),
    (ControllerManager, "kubeconfig", Kubeconfig),
    (ControllerManager, "authentication-kubeconfig", Kubeconfig),
    (ControllerManager, "authorization-kubeconfig", Kubeconfig),
    (Scheduler, "kubeconfig", Kubeconfig),
    (Scheduler, "authentication-kubeconfig", Kubeconfig),
    (Scheduler, "authorization-kubeconfig", Kubeconfig),
];

/// Where a flag's file was found in the scan.
#[derive(Debug, Clone, Copy)]
pub enum Resolution<'a> {
    /// The scanned file whose path ends with the flag's path.
    Found(&'a Object),
    /// No scanned path matches, and the scan holds exactly one file of the kind: taken to be
    /// the one the flag names.
    Assumed(&'a Object),
    /// Not in the scan.
    Missing,
}

impl<'a> Resolution<'a> {
    pub fn object(self) -> Option<&'a Object> {
        match self {
            Resolution::Found(object) | Resolution::Assumed(object) => Some(object),
            Resolution::Missing => None,
        }
    }
}

/// A flag of a control-plane container that names a configuration file.
#[derive(Debug, Clone)]
pub struct FileReference<'a> {
    pub component: Component,
    pub flag: &'static str,
    pub kind: FileKind,
    /// The path as the flag gives it.
    pub path: String,
    /// The object (a static pod) whose container sets the flag.
    pub manifest: &'a Object,
    /// JSON pointer of the flag in the manifest.
    pub pointer: String,
    pub resolution: Resolution<'a>,
}

impl fmt::Display for FileReference<'_> {
    /// `kube-apiserver --audit-policy-file=/etc/kubernetes/audit.yaml
    /// (manifests/kube-apiserver.yaml:21)`, with a note when the file is assumed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = self.manifest.span_at(&self.pointer).line;
        write!(
            f,
            "{} `--{}={}` ({}:{line})",
            self.component.executable(),
            self.flag,
            self.path,
            self.manifest.path
        )?;
        if let Resolution::Assumed(object) = self.resolution {
            write!(
                f,
                ", taken to be {} as the scan's only {} (no scanned path ends with `{}`)",
                object.path,
                self.kind.describe(),
                self.path
            )?;
        }
        Ok(())
    }
}

/// Every file reference of the scan's control-plane containers, resolved once per scan.
#[derive(Debug, Default)]
pub struct ControlPlaneFiles<'a> {
    references: Vec<FileReference<'a>>,
    /// The components the scan runs.
    running: Vec<Component>,
    errors: Vec<ScanError>,
}

impl<'a> ControlPlaneFiles<'a> {
    pub fn new(objects: &'a [Object]) -> ControlPlaneFiles<'a> {
        let mut files = ControlPlaneFiles::default();
        for manifest in objects {
            let Some(pod) = pod_template(manifest) else {
                continue;
            };
            for container in component_containers(&pod) {
                if !files.running.contains(&container.component) {
                    files.running.push(container.component);
                }
                for (_, flag, kind) in FILE_FLAGS
                    .iter()
                    .filter(|(component, ..)| *component == container.component)
                {
                    let Some(setting) = container.setting(flag) else {
                        continue;
                    };
                    let Source::CommandLine { pointer } = setting.source else {
                        continue;
                    };
                    if setting.value.is_empty() {
                        continue;
                    }
                    let resolution =
                        files.resolve(objects, manifest, &pointer, flag, *kind, &setting.value);
                    files.references.push(FileReference {
                        component: container.component,
                        flag,
                        kind: *kind,
                        path: setting.value,
                        manifest,
                        pointer,
                        resolution,
                    });
                }
            }
        }
        files
    }

    fn resolve(
        &mut self,
        objects: &'a [Object],
        manifest: &Object,
        pointer: &str,
        flag: &str,
        kind: FileKind,
        path: &str,
    ) -> Resolution<'a> {
        let at_path: Vec<&Object> = objects
            .iter()
            .filter(|object| path_ends_with(&object.path, path))
            .collect();
        if let Some(object) = at_path
            .iter()
            .find(|object| FileKind::of(object) == Some(kind))
        {
            return Resolution::Found(object);
        }
        let error = |message: String| ScanError {
            path: manifest.path.to_string(),
            line: Some(manifest.span_at(pointer).line),
            message,
        };
        if let Some(other) = at_path.first() {
            self.errors.push(error(format!(
                "`--{flag}={path}` names {}, which holds {} ({}) instead of the {} the flag takes; its settings are not checked",
                other.path,
                other.kind,
                other.api_version,
                kind.describe()
            )));
            return Resolution::Missing;
        }
        let mut of_kind = objects
            .iter()
            .filter(|object| FileKind::of(object) == Some(kind));
        if let (Some(only), None) = (of_kind.next(), of_kind.next()) {
            return Resolution::Assumed(only);
        }
        if let Some(expected) = node_path(&manifest.path, path) {
            self.errors.push(error(format!(
                "`--{flag}={path}` names a file that is not in the scan (looked for {expected}): the {} is not checked",
                kind.describe()
            )));
        }
        Resolution::Missing
    }

    /// The references that lead to `object`.
    pub fn referring_to(&self, object: &Object) -> impl Iterator<Item = &FileReference<'a>> {
        self.references.iter().filter(move |reference| {
            reference
                .resolution
                .object()
                .is_some_and(|target| std::ptr::eq(target, object))
        })
    }

    /// Whether the scan runs `component` at all (so that a file no flag of it names is not in
    /// effect).
    pub fn runs(&self, component: Component) -> bool {
        self.running.contains(&component)
    }

    /// The references found to other kinds of file, or to files missing from a node's scan.
    pub fn errors(&self) -> &[ScanError] {
        &self.errors
    }
}

/// The problems the API server (or client) would reject a configuration file for, collected
/// as scan errors at the offending field.
pub(crate) struct Problems<'a> {
    object: &'a Object,
    pub errors: Vec<ScanError>,
}

impl<'a> Problems<'a> {
    pub fn new(object: &'a Object) -> Problems<'a> {
        Problems {
            object,
            errors: Vec::new(),
        }
    }

    /// Records that the field at `pointer` is wrong, saying why.
    pub fn at(&mut self, pointer: &str, message: impl fmt::Display) {
        let shown = if pointer.is_empty() { "/" } else { pointer };
        self.errors.push(ScanError {
            path: self.object.path.to_string(),
            line: Some(self.object.span_at(pointer).line),
            message: format!("{} `{shown}`: {message}", self.object.kind),
        });
    }
}

/// The errors that keep the component reading `object` from starting, when it is one of the
/// configuration files rampart reads.
pub fn config_errors(object: &Object) -> Vec<ScanError> {
    match FileKind::of(object) {
        Some(FileKind::Encryption) => super::encryption::EncryptionConfig::parse(object).1,
        Some(FileKind::AuditPolicy) => super::audit::AuditPolicy::parse(object).1,
        Some(FileKind::Admission) => super::admission::AdmissionConfig::parse(object).1,
        Some(FileKind::Kubeconfig) => super::kubeconfig::Kubeconfig::parse(object).1,
        Some(FileKind::PodSecurity) => {
            let mut problems = Problems::new(object);
            super::admission::PodSecurityConfig::read(&object.root, "", &mut problems);
            problems.errors
        }
        None => Vec::new(),
    }
}

/// Whether the scanned `file` is the node file `path`: equal, or ending with it at a
/// directory boundary (`fixtures/cp/etc/kubernetes/audit.yaml` is `/etc/kubernetes/audit.yaml`).
pub fn path_ends_with(file: &str, path: &str) -> bool {
    let path = path.trim_start_matches("./");
    if file == path {
        return true;
    }
    let tail = path.trim_start_matches('/');
    !tail.is_empty()
        && file
            .strip_suffix(tail)
            .is_some_and(|head| head.is_empty() || head.ends_with('/'))
}

/// Where the node file `path` lies in the scan, when `manifest` sits in a node's layout
/// (`<root>/etc/kubernetes/manifests/`): `<root><path>`.
fn node_path(manifest: &str, path: &str) -> Option<String> {
    const MANIFESTS: &str = "etc/kubernetes/manifests/";
    let start = manifest.find(MANIFESTS)?;
    let root = &manifest[..start];
    (root.is_empty() || root.ends_with('/'))
        .then(|| format!("{root}{}", path.trim_start_matches('/')))
}

#[cfg(test)]
mod tests {
    use rampart_source::{Limits, parse_text};

    use super::*;

    fn objects(files: &[(&str, &str)]) -> Vec<Object> {
        files
            .iter()
            .flat_map(|(path, text)| {
                let (objects, errors) = parse_text(path, text, &Limits::default());
                assert!(errors.is_empty(), "{errors:?}");
                objects
            })
            .collect()
    }

    const APISERVER: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver, namespace: kube-system}\nspec:\n  containers:\n  - name: kube-apiserver\n    image: x\n    command:\n    - kube-apiserver\n    - --encryption-provider-config=/etc/kubernetes/enc/enc.yaml\n    - --audit-policy-file=/etc/kubernetes/audit.yaml\n";
    const ENCRYPTION: &str =
        "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: []\n";

    #[test]
    fn paths_match_at_directory_boundaries() {
        assert!(path_ends_with(
            "cp/etc/kubernetes/a.yaml",
            "/etc/kubernetes/a.yaml"
        ));
        assert!(path_ends_with(
            "/etc/kubernetes/a.yaml",
            "/etc/kubernetes/a.yaml"
        ));
        assert!(path_ends_with(
            "etc/kubernetes/a.yaml",
            "/etc/kubernetes/a.yaml"
        ));
        assert!(!path_ends_with("cp/etc/kubernetes/xa.yaml", "a.yaml"));
        assert!(path_ends_with("cp/a.yaml", "./a.yaml"));
        assert!(!path_ends_with("cp/a.yaml", "/"));
        assert_eq!(
            node_path(
                "n/etc/kubernetes/manifests/kube-apiserver.yaml",
                "/etc/x.yaml"
            ),
            Some("n/etc/x.yaml".to_owned())
        );
        assert_eq!(
            node_path("manifests/kube-apiserver.yaml", "/etc/x.yaml"),
            None
        );
    }

    #[test]
    fn finds_by_path_then_assumes_the_only_one() {
        let scan = objects(&[
            ("n/etc/kubernetes/manifests/kube-apiserver.yaml", APISERVER),
            ("n/etc/kubernetes/enc/enc.yaml", ENCRYPTION),
        ]);
        let files = ControlPlaneFiles::new(&scan);
        let found: Vec<_> = files.referring_to(&scan[1]).collect();
        assert_eq!(found.len(), 1);
        assert!(matches!(found[0].resolution, Resolution::Found(_)));
        assert_eq!(
            found[0].to_string(),
            "kube-apiserver `--encryption-provider-config=/etc/kubernetes/enc/enc.yaml` (n/etc/kubernetes/manifests/kube-apiserver.yaml:10)"
        );
        // The audit policy is missing from a node's layout: an error at the flag.
        assert_eq!(files.errors().len(), 1);
        assert_eq!(files.errors()[0].line, Some(11));
        assert!(
            files.errors()[0]
                .message
                .contains("looked for n/etc/kubernetes/audit.yaml"),
            "{:?}",
            files.errors()
        );

        let scan = objects(&[("apiserver.yaml", APISERVER), ("other.yaml", ENCRYPTION)]);
        let files = ControlPlaneFiles::new(&scan);
        let assumed: Vec<_> = files.referring_to(&scan[1]).collect();
        assert!(matches!(assumed[0].resolution, Resolution::Assumed(_)));
        assert!(assumed[0].to_string().contains("taken to be other.yaml"));
        assert!(files.errors().is_empty());
    }

    #[test]
    fn a_file_of_another_kind_is_an_error() {
        let scan = objects(&[
            ("n/etc/kubernetes/manifests/kube-apiserver.yaml", APISERVER),
            ("n/etc/kubernetes/audit.yaml", ENCRYPTION),
        ]);
        let files = ControlPlaneFiles::new(&scan);
        let messages: Vec<_> = files.errors().iter().map(|e| &e.message).collect();
        assert!(
            messages.iter().any(|m| m.contains(
                "holds EncryptionConfiguration (apiserver.config.k8s.io/v1) instead of the audit policy"
            )),
            "{messages:?}"
        );
    }
}
