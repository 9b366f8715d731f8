//! For rules that judge a configuration file: which components read it, told in messages
//! with the flag and where it is set, and whether the file is in effect at all.

use rampart_k8s::components::admission::PodSecurityConfig;
use rampart_k8s::components::audit::{AuditPolicy, AuditRule, SENSITIVE};
use rampart_k8s::components::files::config_errors;
use rampart_k8s::components::kubeconfig::Kubeconfig;
use rampart_k8s::components::{Component, FileKind, FileReference};

use rampart_core::Diagnostic;
use rampart_source::Object;

use crate::Target;

/// The readers of the target file, as a message suffix: `; read by kube-apiserver
/// `--audit-policy-file=…` (manifests/kube-apiserver.yaml:21)`, or nothing when the scan runs
/// no `component`. `None` when the scan runs `component` and none of its flags names this
/// file: the file is not in effect, and an API server without the flag is reported by the flag
/// rules instead.
pub(crate) fn readers(target: &Target<'_>, component: Component) -> Option<String> {
    let files = target.cluster.control_plane_files();
    let read_by = read_by(target, |reference| reference.component == component);
    if !read_by.is_empty() {
        return Some(read_by);
    }
    (!files.runs(component)).then(String::new)
}

/// `; read by …` for the references to the target that `accept` keeps; empty without any.
fn read_by(target: &Target<'_>, accept: impl Fn(&FileReference<'_>) -> bool) -> String {
    let references: Vec<String> = target
        .cluster
        .control_plane_files()
        .referring_to(target.object)
        .filter(|reference| accept(reference))
        .map(ToString::to_string)
        .collect();
    if references.is_empty() {
        String::new()
    } else {
        format!("; read by {}", references.join(", "))
    }
}

/// The target file parsed by `parse` when it is of `kind` and in effect for the API server,
/// with its readers as a message suffix (see [`readers`]); `None` for other objects, for files
/// no API server reads, and for files the API server refuses (reported as errors instead).
pub(crate) fn api_server_file<T>(
    target: &Target<'_>,
    kind: FileKind,
    parse: fn(&Object) -> (T, Vec<Diagnostic>),
) -> Option<(T, String)> {
    if FileKind::of(target.object)? != kind {
        return None;
    }
    let readers = readers(target, Component::ApiServer)?;
    let (parsed, errors) = parse(target.object);
    errors.is_empty().then_some((parsed, readers))
}

/// The target kubeconfig, with the components that read it as a message suffix; `None` for
/// other objects and for files a client would fail on (reported as errors). Every kubeconfig
/// is judged: people and CI systems use them too.
pub(crate) fn kubeconfig(target: &Target<'_>) -> Option<(Kubeconfig, String)> {
    if FileKind::of(target.object)? != FileKind::Kubeconfig {
        return None;
    }
    let (config, errors) = Kubeconfig::parse(target.object);
    errors
        .is_empty()
        .then(|| (config, read_by(target, |_| true)))
}

/// The sensitive resources (see [`SENSITIVE`]) each rule of `policy` decides the level of
/// some requests on and `wanted` accepts, by rule in policy order; with the rule's
/// conditions, for messages.
pub(crate) fn sensitive_rules(
    policy: &AuditPolicy,
    wanted: impl Fn(&AuditRule) -> bool,
) -> Vec<(&AuditRule, Vec<String>)> {
    let mut found: Vec<(&AuditRule, Vec<String>)> = Vec::new();
    for resource in SENSITIVE {
        for rule in policy.deciding_rules(resource) {
            if !wanted(rule) {
                continue;
            }
            match found.iter_mut().find(|(seen, _)| std::ptr::eq(*seen, rule)) {
                Some((_, resources)) => resources.push(resource.written()),
                None => found.push((rule, vec![resource.written()])),
            }
        }
    }
    found.sort_by_key(|(rule, _)| policy.rules.iter().position(|r| std::ptr::eq(r, *rule)));
    found
}

/// `` for users [a], verbs [get]`` or nothing, for messages.
pub(crate) fn limited_to(rule: &AuditRule) -> String {
    let conditions = rule.conditions();
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" for {conditions}")
    }
}

/// The PodSecurity plugin configuration of the target (an AdmissionConfiguration embedding one,
/// or a PodSecurityConfiguration file), with the readers suffix; `None` when there is none, it
/// is not in effect, or the API server would refuse it.
pub(crate) fn pod_security(target: &Target<'_>) -> Option<(PodSecurityConfig, String)> {
    let readers = match FileKind::of(target.object)? {
        FileKind::Admission => readers(target, Component::ApiServer)?,
        // Named by an AdmissionConfiguration's `path`, not by a flag: judged wherever it is.
        FileKind::PodSecurity => read_by(target, |_| true),
        _ => return None,
    };
    if !config_errors(target.object).is_empty() {
        return None;
    }
    Some((PodSecurityConfig::of(target.object)?, readers))
}
