//! The shape of the kubelet rules: a setting's effective value must (or must not) be some
//! value. Findings point at the line that set the value — a flag in a unit file, an
//! environment file or a process's command line, or a field of the configuration file or a
//! drop-in — or, for a default, at the configuration file (or the command line without one).

use rampart_k8s::node::{Field, Kubelet, Origin, Setting, Source};

use crate::components::flags::Want;
use crate::{Hit, NodeTarget};

/// How a setting is named in messages: the field where it has one, else the flag.
pub(crate) fn setting_name(field: &Field) -> String {
    if field.pointer.is_empty() {
        format!("--{}", field.flag)
    } else {
        field.pointer[1..].replace('/', ".")
    }
}

/// Where a value came from, for messages: "`--read-only-port=10255` on the command line",
/// "`readOnlyPort: 10255` in the configuration", "... left at its default".
pub(crate) fn described(field: &Field, setting: &Setting) -> String {
    let value = &setting.value;
    match &setting.source {
        Source::Flag { flag, .. } => format!("the kubelet runs with `--{flag}={value}`"),
        Source::File { .. } => format!(
            "the kubelet's configuration sets `{}: {value}`",
            setting_name(field)
        ),
        Source::Default { config_file: true } => format!(
            "the kubelet's configuration leaves `{}` at its default, `{value}`",
            setting_name(field)
        ),
        Source::Default { config_file: false } => format!(
            "the kubelet runs without `--config` and leaves `--{}` at its default, `{value}`",
            field.flag
        ),
    }
}

/// A hit at where `setting` came from.
pub(crate) fn hit_at(
    kubelet: &Kubelet,
    field: &Field,
    setting: &Setting,
    message: String,
) -> Option<Hit> {
    let at = kubelet.origin_of(setting)?;
    Some(
        Hit::new(pointer_at(kubelet, field, &at), message)
            .at(at)
            .with_identity(subject(field)),
    )
}

/// The field's pointer when `at` is in a configuration file or drop-in (where the field is,
/// or belongs), else empty: a unit file or command line has no fields.
fn pointer_at(kubelet: &Kubelet, field: &Field, at: &Origin) -> String {
    let in_config = kubelet
        .config
        .iter()
        .chain(&kubelet.drop_ins)
        .any(|document| document.path == at.path);
    if in_config {
        field.pointer.to_owned()
    } else {
        String::new()
    }
}

/// The identity of a finding about `field`.
pub(crate) fn subject(field: &Field) -> String {
    if field.pointer.is_empty() {
        format!("--{}", field.flag)
    } else {
        field.pointer.to_owned()
    }
}

/// Reports the kubelet's `field` when its effective value is not as wanted; `fix` ends the
/// message.
pub(crate) fn check_kubelet(
    target: &NodeTarget<'_>,
    hits: &mut Vec<Hit>,
    field: &Field,
    want: Want,
    fix: &str,
) {
    let Some(kubelet) = &target.node.kubelet else {
        return;
    };
    let Some(setting) = kubelet.setting(field) else {
        if !matches!(want, Want::IsNot(_) | Want::Unset) {
            let message = format!("the kubelet runs without `{}`: {fix}", setting_name(field));
            hits.extend(kubelet.anchor().map(|at| {
                Hit::new(pointer_at(kubelet, field, &at), message)
                    .at(at)
                    .with_identity(subject(field))
            }));
        }
        return;
    };
    let wanted = match want {
        Want::Is(value) => setting.value == value,
        Want::IsNot(value) => setting.value != value,
        Want::Set => !setting.value.is_empty(),
        Want::Unset => setting.value.is_empty(),
        Want::Satisfies(test, _) => test(&setting.value),
    };
    if wanted {
        return;
    }
    let expected = match want {
        Want::Satisfies(_, expected) => format!(" (expected {expected})"),
        _ => String::new(),
    };
    let message = format!("{}{expected}: {fix}", described(field, &setting));
    hits.extend(hit_at(kubelet, field, &setting, message));
}
