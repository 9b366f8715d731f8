//! The configuration files control-plane flags name (`--encryption-provider-config`,
//! `--audit-policy-file`, `--admission-control-config-file`, the kubeconfigs), found among the
//! scanned objects: by path (the scanned file whose path ends with the flag's), else, when the
//! scan holds exactly one file of the kind, that one, said to be assumed.
//!
//! A flag naming a file the scan lacks is an error only where the scan is laid out as a node
//! (`<root>/etc/kubernetes/manifests/…`): there the file was expected at `<root><path>`; in a
//! folder of manifests, files from the node are simply not there.

use std::fmt;

use rampart_core::Diagnostic;
use rampart_source::Object;

use super::admission::AdmissionConfig;
use super::{Component, ComponentContainer, Source, component_containers};
use crate::reporter::Reporter;
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
    /// The EventRateLimit admission plugin's limits, likewise.
    EventRateLimit,
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
            ("eventratelimit.admission.k8s.io/v1alpha1", "Configuration") => {
                FileKind::EventRateLimit
            }
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
            FileKind::EventRateLimit => "EventRateLimit configuration",
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

/// What names a configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A flag of a component's command line.
    Flag(&'static str),
    /// The `path` of an admission plugin (by name) in an AdmissionConfiguration.
    AdmissionPlugin(String),
}

/// A configuration file named by a control-plane component's flag, or by the
/// AdmissionConfiguration one of its flags names.
#[derive(Debug, Clone)]
pub struct FileReference<'a> {
    /// The component that reads the file.
    pub component: Component,
    pub via: Via,
    pub kind: FileKind,
    /// The path as written.
    pub path: String,
    /// The object that names the file: a static pod, or an AdmissionConfiguration.
    pub origin: &'a Object,
    /// JSON pointer of the flag or `path` in `origin`.
    pub pointer: String,
    pub resolution: Resolution<'a>,
}

impl fmt::Display for FileReference<'_> {
    /// `kube-apiserver `--audit-policy-file=/etc/kubernetes/audit.yaml`
    /// (manifests/kube-apiserver.yaml:21)`, with a note when the file is assumed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = self.origin.span_at(&self.pointer).line;
        let origin = &self.origin.path;
        match &self.via {
            Via::Flag(flag) => write!(
                f,
                "{} `--{flag}={}` ({origin}:{line})",
                self.component.executable(),
                self.path
            )?,
            Via::AdmissionPlugin(plugin) => write!(
                f,
                "the {plugin} admission plugin's `path: {}` ({origin}:{line})",
                self.path
            )?,
        }
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

/// Where a file is named, for resolving it and for errors.
struct Naming<'o> {
    origin: &'o Object,
    pointer: &'o str,
    /// The node's root in the scan, when the naming manifest sits in a node's layout.
    root: Option<&'o str>,
    /// How the file is named, for messages: `` `--audit-policy-file=/etc/x.yaml` ``.
    written: String,
}

/// Every file reference of the scan's control-plane containers, resolved once per scan.
#[derive(Debug, Default)]
pub struct ControlPlaneFiles<'a> {
    references: Vec<FileReference<'a>>,
    /// The components the scan runs.
    running: Vec<Component>,
    errors: Vec<Diagnostic>,
}

impl<'a> ControlPlaneFiles<'a> {
    pub fn new(objects: &'a [Object]) -> ControlPlaneFiles<'a> {
        let mut files = ControlPlaneFiles::default();
        for manifest in objects {
            let Some(pod) = pod_template(manifest) else {
                continue;
            };
            let root = node_root(&manifest.path);
            for container in component_containers(&pod) {
                if !files.running.contains(&container.component) {
                    files.running.push(container.component);
                }
                let mut admission = None;
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
                    let naming = Naming {
                        origin: manifest,
                        pointer: &pointer,
                        root,
                        written: format!("`--{flag}={}`", setting.value),
                    };
                    let resolution = files.resolve(objects, &naming, *kind, &setting.value);
                    if *kind == FileKind::Admission {
                        admission = Some((resolution, setting.value.clone()));
                    }
                    files.references.push(FileReference {
                        component: container.component,
                        via: Via::Flag(flag),
                        kind: *kind,
                        path: setting.value,
                        origin: manifest,
                        pointer,
                        resolution,
                    });
                }
                if container.component == Component::ApiServer {
                    files.check_event_rate_limit(&container, manifest, admission.as_ref());
                    if let Some((Resolution::Found(config) | Resolution::Assumed(config), path)) =
                        admission
                    {
                        files.plugin_files(objects, config, &path, root);
                    }
                }
            }
        }
        files
    }

    /// The files an AdmissionConfiguration's plugins name by `path` (relative to the
    /// configuration's own directory, as the API server reads them), once per configuration.
    fn plugin_files(
        &mut self,
        objects: &'a [Object],
        config: &'a Object,
        config_path: &str,
        root: Option<&str>,
    ) {
        if self
            .references
            .iter()
            .any(|r| matches!(r.via, Via::AdmissionPlugin(_)) && std::ptr::eq(r.origin, config))
        {
            return;
        }
        let (admission, _) = AdmissionConfig::parse(config);
        for plugin in admission.plugins {
            let kind = match plugin.name.as_str() {
                "PodSecurity" => FileKind::PodSecurity,
                "EventRateLimit" => FileKind::EventRateLimit,
                _ => continue,
            };
            let Some(path) = plugin.path.filter(|path| !path.is_empty()) else {
                continue;
            };
            let node_path = if path.starts_with('/') {
                path.clone()
            } else {
                let directory = config_path.rsplit_once('/').map_or("", |(dir, _)| dir);
                format!("{directory}/{path}")
            };
            let pointer = format!("{}/path", plugin.pointer);
            let naming = Naming {
                origin: config,
                pointer: &pointer,
                root,
                written: format!("the {} plugin's `path: {path}`", plugin.name),
            };
            let resolution = self.resolve(objects, &naming, kind, &node_path);
            self.references.push(FileReference {
                component: Component::ApiServer,
                via: Via::AdmissionPlugin(plugin.name),
                kind,
                path,
                origin: config,
                pointer,
                resolution,
            });
        }
    }

    /// The EventRateLimit plugin refuses to load without limits, and the API server with it:
    /// an error where the plugin is enabled without a configuration that gives it some.
    fn check_event_rate_limit(
        &mut self,
        container: &ComponentContainer<'_>,
        manifest: &Object,
        admission: Option<&(Resolution<'a>, String)>,
    ) {
        let plugins = container.enabled_admission_plugins();
        let Some(enabled) = plugins.iter().find(|p| p.value == "EventRateLimit") else {
            return;
        };
        let missing = match admission {
            None => "`--admission-control-config-file` is not set".to_owned(),
            Some((resolution, _)) => {
                let Some(config) = resolution.object() else {
                    return;
                };
                let (parsed, _) = AdmissionConfig::parse(config);
                let configured = parsed.plugins.iter().any(|plugin| {
                    plugin.name == "EventRateLimit" && (plugin.embedded || plugin.path.is_some())
                });
                if configured {
                    return;
                }
                format!("{} does not configure it", config.path)
            }
        };
        let pointer = container.pointer_of(&enabled.source);
        self.errors.push(Diagnostic::error(manifest.path.to_string(), Some(manifest.span_at(&pointer).line), format!(
                "the EventRateLimit admission plugin is enabled but {missing}: without limits the plugin fails to load and the API server does not start"
            )));
    }

    /// Finds the file `path` names among `objects`; records an error where it names a file of
    /// another kind, or one missing from a node's layout.
    fn resolve(
        &mut self,
        objects: &'a [Object],
        naming: &Naming<'_>,
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
        let error = |message: String| {
            Diagnostic::error(
                naming.origin.path.to_string(),
                Some(naming.origin.span_at(naming.pointer).line),
                message,
            )
        };
        let written = &naming.written;
        if let Some(other) = at_path.first() {
            self.errors.push(error(format!(
                "{written} names {}, which holds {} ({}) instead of the {} expected there; its settings are not checked",
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
        if let Some(root) = naming.root {
            self.errors.push(error(format!(
                "{written} names a file that is not in the scan (looked for {root}{}): the {} is not checked",
                path.trim_start_matches('/'),
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
    pub fn errors(&self) -> &[Diagnostic] {
        &self.errors
    }
}

/// The errors that keep the component reading `object` from starting, when it is one of the
/// configuration files rampart reads.
pub fn config_errors(object: &Object) -> Vec<Diagnostic> {
    match FileKind::of(object) {
        Some(FileKind::Encryption) => super::encryption::EncryptionConfig::parse(object).1,
        Some(FileKind::AuditPolicy) => super::audit::AuditPolicy::parse(object).1,
        Some(FileKind::Admission) => super::admission::AdmissionConfig::parse(object).1,
        Some(FileKind::Kubeconfig) => super::kubeconfig::Kubeconfig::parse(object).1,
        Some(FileKind::PodSecurity) => {
            let mut errors = Vec::new();
            let mut problems = Reporter::new(object, &mut errors);
            super::admission::PodSecurityConfig::read(&object.root, "", &mut problems);
            errors
        }
        Some(FileKind::EventRateLimit) => {
            let mut errors = Vec::new();
            let mut problems = Reporter::new(object, &mut errors);
            super::admission::check_event_limits(&object.root, "", &mut problems);
            errors
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

/// The node's root in the scan when `manifest` sits in a node's layout
/// (`<root>/etc/kubernetes/manifests/`): `<root>`, empty or ending with `/`.
fn node_root(manifest: &str) -> Option<&str> {
    const MANIFESTS: &str = "etc/kubernetes/manifests/";
    let start = manifest.find(MANIFESTS)?;
    let root = &manifest[..start];
    (root.is_empty() || root.ends_with('/')).then_some(root)
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
            node_root("n/etc/kubernetes/manifests/kube-apiserver.yaml"),
            Some("n/")
        );
        assert_eq!(
            node_root("etc/kubernetes/manifests/kube-apiserver.yaml"),
            Some("")
        );
        assert_eq!(node_root("manifests/kube-apiserver.yaml"), None);
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
                "holds EncryptionConfiguration (apiserver.config.k8s.io/v1) instead of the audit policy expected there"
            )),
            "{messages:?}"
        );
    }

    #[test]
    fn admission_plugins_name_files_relative_to_their_configuration() {
        let apiserver = APISERVER.replace(
            "    - --audit-policy-file=/etc/kubernetes/audit.yaml\n",
            "    - --enable-admission-plugins=NodeRestriction,EventRateLimit\n    - --admission-control-config-file=/etc/kubernetes/admission/config.yaml\n",
        );
        let admission = "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  path: pod-security.yaml\n- name: EventRateLimit\n  path: /etc/kubernetes/limits.yaml\n";
        let pod_security = "apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults: {enforce: baseline}\n";
        let scan = objects(&[
            ("n/etc/kubernetes/manifests/kube-apiserver.yaml", &apiserver),
            ("n/etc/kubernetes/admission/config.yaml", admission),
            ("n/etc/kubernetes/admission/pod-security.yaml", pod_security),
        ]);
        let files = ControlPlaneFiles::new(&scan);
        let found: Vec<String> = files
            .referring_to(&scan[2])
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "the PodSecurity admission plugin's `path: pod-security.yaml` (n/etc/kubernetes/admission/config.yaml:5)"
            ]
        );
        let errors: Vec<_> = files
            .errors()
            .iter()
            .map(|e| (e.path.as_str(), e.line, e.message.as_str()))
            .collect();
        assert_eq!(
            errors,
            [
                (
                    "n/etc/kubernetes/manifests/kube-apiserver.yaml",
                    Some(10),
                    "`--encryption-provider-config=/etc/kubernetes/enc/enc.yaml` names a file that is not in the scan (looked for n/etc/kubernetes/enc/enc.yaml): the EncryptionConfiguration is not checked"
                ),
                (
                    "n/etc/kubernetes/admission/config.yaml",
                    Some(7),
                    "the EventRateLimit plugin's `path: /etc/kubernetes/limits.yaml` names a file that is not in the scan (looked for n/etc/kubernetes/limits.yaml): the EventRateLimit configuration is not checked"
                ),
            ]
        );
    }

    #[test]
    fn event_rate_limit_without_limits_stops_the_api_server() {
        let apiserver = APISERVER.replace(
            "    - --audit-policy-file=/etc/kubernetes/audit.yaml\n",
            "    - --enable-admission-plugins=EventRateLimit\n",
        );
        let scan = objects(&[("apiserver.yaml", &apiserver), ("enc.yaml", ENCRYPTION)]);
        let files = ControlPlaneFiles::new(&scan);
        let errors: Vec<_> = files
            .errors()
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(
            errors,
            [(
                Some(11),
                "the EventRateLimit admission plugin is enabled but `--admission-control-config-file` is not set: without limits the plugin fails to load and the API server does not start"
            )]
        );
        let admission = "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration: {defaults: {enforce: baseline}}\n";
        let with_config = apiserver.replace(
            "    - --enable-admission-plugins=EventRateLimit\n",
            "    - --enable-admission-plugins=EventRateLimit\n    - --admission-control-config-file=/etc/kubernetes/admission.yaml\n",
        );
        let scan = objects(&[
            ("apiserver.yaml", &with_config),
            ("admission.yaml", admission),
        ]);
        let files = ControlPlaneFiles::new(&scan);
        assert_eq!(
            files.errors()[0].message,
            "the EventRateLimit admission plugin is enabled but admission.yaml does not configure it: without limits the plugin fails to load and the API server does not start"
        );
    }

    /// Scalars and shapes that configuration files get wrong: each must become an error or be
    /// judged, never a panic.
    fn odd_value() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "null",
            "[]",
            "{}",
            "0",
            "-1",
            "''",
            "'*'",
            "'*.*'",
            "'*.'",
            "Secrets",
            "secrets",
            "'secrets/*'",
            "'=='",
            "c2hvcnQ=",
            "'/etc/kubernetes/x.yaml'",
            "x.yaml",
            "None",
            "RequestResponse",
            "v2",
            "'unix:///k.sock'",
            "[1, 2]",
            "{a: b}",
            "true",
            "[{identity: {}}]",
            "[{kms: {}}]",
        ])
    }

    proptest::proptest! {
        #[test]
        fn malformed_configuration_files_never_panic(
            values in proptest::collection::vec(odd_value(), 16)
        ) {
            let v = |i: usize| values[i];
            let apiserver = format!(
                "apiVersion: v1\nkind: Pod\nmetadata: {{name: a}}\nspec:\n  containers:\n  - name: a\n    image: x\n    command: [kube-apiserver, --encryption-provider-config={}, --audit-policy-file={}, --admission-control-config-file={}, --enable-admission-plugins=EventRateLimit]\n",
                v(0), v(1), v(2)
            );
            let encryption = format!(
                "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: {}\n  providers: {}\n- resources: [{}]\n  providers: [{{aescbc: {{keys: [{{name: {}, secret: {}}}]}}}}, {{kms: {{apiVersion: {}, name: k, endpoint: {}}}}}]\n",
                v(3), v(4), v(5), v(6), v(7), v(8), v(9)
            );
            let audit = format!(
                "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: {}\nrules:\n- level: {}\n  resources: [{{group: {}, resources: {}, resourceNames: {}}}]\n  namespaces: {}\n- {}\n",
                v(10), v(11), v(12), v(13), v(14), v(15), v(3)
            );
            let admission = format!(
                "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  path: {}\n- name: PodSecurity\n  configuration: {{defaults: {{enforce: {}, warn-version: {}}}, exemptions: {{namespaces: {}}}}}\n- name: EventRateLimit\n  configuration: {{limits: [{{type: {}, qps: {}, burst: 1}}]}}\n- {}\n",
                v(0), v(11), v(8), v(13), v(6), v(7), v(4)
            );
            let kubeconfig = format!(
                "apiVersion: v1\nkind: Config\nclusters: [{{name: {}, cluster: {{server: {}, insecure-skip-tls-verify: {}}}}}]\nusers: {}\n",
                v(5), v(9), v(14), v(15)
            );
            let mut scan = Vec::new();
            for (path, text) in [
                ("n/etc/kubernetes/manifests/kube-apiserver.yaml", apiserver.as_str()),
                ("n/etc/kubernetes/x.yaml", encryption.as_str()),
                ("n/etc/kubernetes/audit.yaml", audit.as_str()),
                ("n/etc/kubernetes/admission.yaml", admission.as_str()),
                ("n/etc/kubernetes/scheduler.conf", kubeconfig.as_str()),
            ] {
                scan.extend(parse_text(path, text, &Limits::default()).0);
            }
            let files = ControlPlaneFiles::new(&scan);
            for object in &scan {
                let _ = config_errors(object);
                let _ = files.referring_to(object).map(ToString::to_string).count();
                let (config, _) = super::super::encryption::EncryptionConfig::parse(object);
                let _ = config.entry_for("", "secrets");
                let (policy, _) = super::super::audit::AuditPolicy::parse(object);
                for resource in super::super::audit::SENSITIVE {
                    let _ = policy.deciding_rules(resource);
                }
                let _ = super::super::admission::PodSecurityConfig::of(object);
                let _ = super::super::kubeconfig::Kubeconfig::parse(object);
            }
        }
    }
}
