//! The shape of most component rules: a flag of one component must (or must not) take some
//! value once its default is applied, or a list it resolves to must (or must not) hold an
//! element. Findings point at the flag that set the value, or at the command line when the
//! value is the default.

use rampart_k8s::components::{
    Component, ComponentContainer, ListItem, Source, component_containers,
};

use crate::{Hit, Target};

/// What a rule wants of a flag's effective value.
pub(crate) enum Want {
    /// Takes this value.
    Is(&'static str),
    IsNot(&'static str),
    /// Given a value other than empty (an empty path turns the feature off), on the command
    /// line or, for etcd, in its environment.
    Set,
    /// Left off (or given empty): the feature the flag turns on stays off.
    Unset,
    /// Passes the test; the text says what passes, for the message.
    Satisfies(fn(&str) -> bool, &'static str),
}

/// What a rule wants of a list.
pub(crate) enum Element {
    Includes(&'static str),
    Excludes(&'static str),
    /// Every element passes the test.
    Each(fn(&str) -> bool),
}

/// The containers of the target that run `component`.
fn running<'a>(target: &Target<'a>, component: Component) -> Vec<ComponentContainer<'a>> {
    target
        .pod
        .as_ref()
        .map(component_containers)
        .unwrap_or_default()
        .into_iter()
        .filter(|container| container.component == component)
        .collect()
}

/// Reports each container of `component` whose `--flag` is not as wanted; `fix` ends the
/// message.
pub(crate) fn check_flag(
    target: &Target<'_>,
    hits: &mut Vec<Hit>,
    component: Component,
    flag: &str,
    want: Want,
    fix: &str,
) {
    check_flag_where(target, hits, component, |_| true, flag, want, fix);
}

/// [`check_flag`] for the containers `applies` accepts: a flag that matters only when
/// another is set.
pub(crate) fn check_flag_where(
    target: &Target<'_>,
    hits: &mut Vec<Hit>,
    component: Component,
    applies: fn(&ComponentContainer<'_>) -> bool,
    flag: &str,
    want: Want,
    fix: &str,
) {
    let program = component.executable();
    let judged = running(target, component)
        .into_iter()
        .filter(|container| applies(container) && container.superseding_file(flag).is_none());
    for container in judged {
        let Some(setting) = container.setting(flag) else {
            if !matches!(want, Want::IsNot(_) | Want::Unset) {
                let message = format!("{program} runs without `--{flag}`: {fix}");
                hits.push(Hit::new(container.command_pointer(), message));
            }
            continue;
        };
        let wanted = match want {
            Want::Is(value) => setting.value == value,
            Want::IsNot(value) => setting.value != value,
            Want::Set => !setting.is_default() && !setting.value.is_empty(),
            Want::Unset => setting.is_default() || setting.value.is_empty(),
            Want::Satisfies(test, _) => test(&setting.value),
        };
        if wanted {
            continue;
        }
        let value = &setting.value;
        let found = match setting.source {
            Source::Default => format!("{program} leaves `--{flag}` at its default, `{value}`"),
            Source::CommandLine { .. } => format!("{program} sets `--{flag}={value}`"),
            Source::Environment { .. } => {
                format!("{program}'s environment sets `--{flag}` to `{value}`")
            }
        };
        let expected = match want {
            Want::Satisfies(_, expected) => format!(" (expected {expected})"),
            _ => String::new(),
        };
        hits.push(Hit::new(
            container.pointer_of(&setting.source),
            format!("{found}{expected}: {fix}"),
        ));
    }
}

/// Reports each container of `component` whose `list` (named `what` in messages; `None`
/// when it cannot be known from the command line) does not hold the element as wanted.
pub(crate) fn check_list(
    target: &Target<'_>,
    hits: &mut Vec<Hit>,
    component: Component,
    what: &str,
    list: fn(&ComponentContainer<'_>) -> Option<Vec<ListItem>>,
    element: Element,
    fix: &str,
) {
    let program = component.executable();
    for container in running(target, component) {
        let Some(items) = list(&container) else {
            continue;
        };
        match element {
            Element::Includes(wanted) => {
                if items.iter().any(|item| item.value == wanted) {
                    continue;
                }
                let pointer = items.last().map_or_else(
                    || container.command_pointer(),
                    |item| container.pointer_of(&item.source),
                );
                let message = format!("{program}'s {what} lack `{wanted}`: {fix}");
                hits.push(Hit::new(pointer, message));
            }
            Element::Excludes(unwanted) => {
                report_unwanted(hits, &container, what, &items, |item| item == unwanted, fix);
            }
            Element::Each(test) => {
                report_unwanted(hits, &container, what, &items, |item| !test(item), fix);
            }
        }
    }
}

/// One hit for each element of `items` that is `unwanted`, at the element's flag.
fn report_unwanted(
    hits: &mut Vec<Hit>,
    container: &ComponentContainer<'_>,
    what: &str,
    items: &[ListItem],
    unwanted: impl Fn(&str) -> bool,
    fix: &str,
) {
    let program = container.component.executable();
    for item in items.iter().filter(|item| unwanted(&item.value)) {
        let how = if item.source == Source::Default {
            "by default"
        } else {
            "as configured"
        };
        let message = format!("{program}'s {what} include `{}` {how}: {fix}", item.value);
        hits.push(Hit::new(container.pointer_of(&item.source), message));
    }
}
