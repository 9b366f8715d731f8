//! Control-plane components run as pods (kubeadm's static pods in `/etc/kubernetes/manifests`):
//! which component a container runs, and the value each of its flags takes effect with —
//! from its command line, else from the component's own default — with where that value came
//! from.

pub mod admission;
pub mod audit;
mod catalogue;
pub mod encryption;
pub mod files;
mod flags;
pub mod kubeconfig;

pub use catalogue::FlagKind;
pub use files::{ControlPlaneFiles, FileKind, FileReference, Resolution};
pub use flags::{CommandLine, Occurrence, parse_bool, parse_flags, read_value};

use rampart_source::Node;

use crate::workload::{ContainerRef, PodTemplate};

/// A control-plane program rampart knows the flags of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Component {
    ApiServer,
    ControllerManager,
    Scheduler,
    Etcd,
}

impl Component {
    pub const ALL: [Component; 4] = [
        Component::ApiServer,
        Component::ControllerManager,
        Component::Scheduler,
        Component::Etcd,
    ];

    /// The executable's name, as kubeadm writes it first in `command`.
    pub fn executable(self) -> &'static str {
        match self {
            Component::ApiServer => "kube-apiserver",
            Component::ControllerManager => "kube-controller-manager",
            Component::Scheduler => "kube-scheduler",
            Component::Etcd => "etcd",
        }
    }

    /// The component an executable path (`/usr/local/bin/kube-apiserver`) runs.
    pub fn from_executable(path: &str) -> Option<Component> {
        let name = path.rsplit('/').next().unwrap_or(path);
        Component::ALL.into_iter().find(|c| c.executable() == name)
    }
}

/// Where a flag's effective value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// An element of the container's `command` or `args`, by JSON pointer inside the object.
    CommandLine { pointer: String },
    /// The `value` of one of the container's `env` entries (etcd reads `ETCD_*` variables
    /// for flags left off its command line).
    Environment { pointer: String },
    /// The component's built-in default: the flag is not on the command line.
    Default,
}

/// The value a flag takes effect with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The value; booleans are `true` or `false` however they were written.
    pub value: String,
    pub source: Source,
}

impl Setting {
    /// Whether the value is in effect because the flag was left out.
    pub fn is_default(&self) -> bool {
        self.source == Source::Default
    }
}

/// One element of a comma-separated list flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    pub value: String,
    pub source: Source,
}

/// A container that runs a control-plane component, with its command line.
#[derive(Debug, Clone)]
pub struct ComponentContainer<'a> {
    pub component: Component,
    pub container: ContainerRef<'a>,
    pub command_line: CommandLine,
}

impl ComponentContainer<'_> {
    /// The effective value of `flag` (named without dashes): the command line's, else the
    /// component's default; `None` when the flag is unset and has no default.
    pub fn setting(&self, flag: &str) -> Option<Setting> {
        let kind = catalogue::kind(self.component, flag);
        if let Some(setting) = self.command_line.setting(flag, kind) {
            return Some(setting);
        }
        if let Some(setting) = self.environment(flag, kind) {
            return Some(setting);
        }
        catalogue::default(self.component, flag).map(|value| Setting {
            value: value.to_owned(),
            source: Source::Default,
        })
    }

    /// The configuration file that decides `flag` instead of the command line, when one is
    /// given; rampart does not read it yet.
    pub fn superseding_file(&self, flag: &str) -> Option<Setting> {
        let file_flag = catalogue::superseding_file(self.component, flag)?;
        self.setting(file_flag)
    }

    /// etcd's `ETCD_<FLAG>` variable for `flag`, from the container's `env` (the last entry of
    /// a name wins, as the kubelet sets them); one filled from `valueFrom` is not known here.
    fn environment(&self, flag: &str, kind: FlagKind) -> Option<Setting> {
        if self.component != Component::Etcd {
            return None;
        }
        let name = format!("ETCD_{}", flag.replace('-', "_").to_uppercase());
        let env = self
            .container
            .node
            .get("env")
            .map(Node::items)
            .unwrap_or(&[]);
        let (index, entry) = env
            .iter()
            .enumerate()
            .rev()
            .find(|(_, entry)| entry.get("name").and_then(Node::as_str) == Some(&name))?;
        let value = entry.get("value").and_then(Node::as_str)?;
        Some(Setting {
            value: flags::read_value(kind, Some(value)),
            source: Source::Environment {
                pointer: format!("{}/env/{index}/value", self.container.pointer),
            },
        })
    }

    /// The elements of a comma-separated list flag, each with where it came from.
    pub fn list(&self, flag: &str) -> Vec<ListItem> {
        let given = self.command_line.list(flag);
        if !given.is_empty() {
            return given;
        }
        catalogue::default(self.component, flag)
            .map(|value| {
                split_list(value)
                    .map(|item| ListItem {
                        value: item.to_owned(),
                        source: Source::Default,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The API server's authorization modes, in order; `None` when `--authorization-config`
    /// names a file, which then replaces the flag.
    pub fn authorization_modes(&self) -> Option<Vec<ListItem>> {
        if self
            .command_line
            .setting("authorization-config", FlagKind::Scalar)
            .is_some()
        {
            return None;
        }
        Some(self.list("authorization-mode"))
    }

    /// The admission plugins the command line turns on (by `--enable-admission-plugins` or the
    /// deprecated `--admission-control`) and does not turn off (`--disable-admission-plugins`).
    /// The default-on plugins come on top; rampart's rules ask about plugins outside that set.
    pub fn enabled_admission_plugins(&self) -> Vec<ListItem> {
        let disabled = self.list("disable-admission-plugins");
        let mut enabled = self.list("enable-admission-plugins");
        enabled.extend(self.list("admission-control"));
        enabled.retain(|plugin| !disabled.iter().any(|off| off.value == plugin.value));
        enabled
    }

    /// Where a missing flag belongs: the container's `command` (or `args`, when the command
    /// comes from the image).
    pub fn command_pointer(&self) -> String {
        let field = if self.container.node.get("command").is_some() {
            "command"
        } else {
            "args"
        };
        format!("{}/{field}", self.container.pointer)
    }

    /// The pointer a finding about a value from `source` points at: the flag, or the command
    /// line when the value is the default.
    pub fn pointer_of(&self, source: &Source) -> String {
        match source {
            Source::CommandLine { pointer } | Source::Environment { pointer } => pointer.clone(),
            Source::Default => self.command_pointer(),
        }
    }
}

/// Every container of `pod` that runs a control-plane component, recognised by the
/// executable: the first element of `command`, or of `args` when `command` is absent.
pub fn component_containers<'a>(pod: &PodTemplate<'a>) -> Vec<ComponentContainer<'a>> {
    pod.containers()
        .filter_map(|container| {
            let command = strings(container.node, "command");
            let args = strings(container.node, "args");
            let executable = command.first().or(args.first())?;
            let component = Component::from_executable(executable)?;
            let command_line = CommandLine::parse(component, &container.pointer, &command, &args);
            Some(ComponentContainer {
                component,
                container,
                command_line,
            })
        })
        .collect()
}

/// The string elements of a container's `command` or `args`; other elements are kept as
/// empty strings so that indices match the manifest.
fn strings<'a>(container: &'a Node, field: &str) -> Vec<&'a str> {
    container
        .get(field)
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .map(|item| item.as_str().unwrap_or(""))
        .collect()
}

/// The elements of a comma-separated list value, trimmed, without empty ones.
pub fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

#[cfg(test)]
mod tests {
    use rampart_source::{Limits, Object, parse_text};

    use super::*;
    use crate::workload::pod_template;

    fn pod(containers: &str) -> Object {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: kube-system}}\n\
             spec:\n  containers:\n{containers}"
        );
        let (mut objects, errors) = parse_text("pod.yaml", &text, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        objects.remove(0)
    }

    fn only(object: &Object) -> ComponentContainer<'_> {
        let mut found = component_containers(&pod_template(object).unwrap());
        assert_eq!(found.len(), 1);
        found.remove(0)
    }

    fn from_line(pointer: &str) -> Source {
        Source::CommandLine {
            pointer: pointer.to_owned(),
        }
    }

    #[test]
    fn recognises_components_by_executable() {
        let object = pod(
            "  - name: a\n    image: x\n    command: [/usr/local/bin/kube-apiserver]\n\
                          \x20 - name: b\n    image: x\n    command: [sh, -c, kube-scheduler]\n\
                          \x20 - name: c\n    image: x\n    args: [etcd, --auto-tls]\n\
                          \x20 - name: d\n    image: x\n    command: [kube-apiserverx]\n",
        );
        let found = component_containers(&pod_template(&object).unwrap());
        let names: Vec<_> = found
            .iter()
            .map(|c| (c.component, c.container.name()))
            .collect();
        assert_eq!(names, [(Component::ApiServer, "a"), (Component::Etcd, "c")]);
        assert_eq!(found[1].command_pointer(), "/spec/containers/2/args");
    }

    #[test]
    fn reads_both_forms_across_command_and_args() {
        let object = pod(
            "  - name: a\n    image: x\n    command: [kube-apiserver, --audit-log-path=/var/log/a=b.log, --request-timeout]\n    args: [30s, --unknown-flag, kept]\n",
        );
        let apiserver = only(&object);
        let path = apiserver.setting("audit-log-path").unwrap();
        assert_eq!(path.value, "/var/log/a=b.log");
        assert_eq!(path.source, from_line("/spec/containers/0/command/1"));
        let timeout = apiserver.setting("request-timeout").unwrap();
        assert_eq!(timeout.value, "30s");
        assert_eq!(timeout.source, from_line("/spec/containers/0/command/2"));
        assert_eq!(apiserver.setting("unknown-flag").unwrap().value, "kept");
    }

    #[test]
    fn last_occurrence_wins_and_lists_accumulate() {
        let object = pod(
            "  - name: a\n    image: x\n    command:\n    - kube-apiserver\n    - --audit-log-maxage=10\n    - --audit_log_maxage=30\n    - --enable-admission-plugins=NodeRestriction\n    - --enable-admission-plugins\n    - AlwaysAdmit, PodSecurity\n",
        );
        let apiserver = only(&object);
        let maxage = apiserver.setting("audit-log-maxage").unwrap();
        assert_eq!(
            (maxage.value.as_str(), maxage.source),
            ("30", from_line("/spec/containers/0/command/2"))
        );
        let plugins = apiserver.list("enable-admission-plugins");
        let items: Vec<_> = plugins.iter().map(|item| item.value.as_str()).collect();
        assert_eq!(items, ["NodeRestriction", "AlwaysAdmit", "PodSecurity"]);
        assert_eq!(plugins[1].source, from_line("/spec/containers/0/command/4"));
        assert_eq!(
            apiserver.setting("enable-admission-plugins").unwrap().value,
            "NodeRestriction,AlwaysAdmit,PodSecurity"
        );
    }

    #[test]
    fn booleans_take_a_value_only_after_equals() {
        let object = pod(
            "  - name: a\n    image: x\n    command: [kube-apiserver, --profiling, \"false\", --anonymous-auth=F, --service-account-lookup=maybe]\n",
        );
        let apiserver = only(&object);
        assert_eq!(apiserver.setting("profiling").unwrap().value, "true");
        assert_eq!(apiserver.setting("anonymous-auth").unwrap().value, "false");
        assert_eq!(
            apiserver.setting("service-account-lookup").unwrap().value,
            "maybe"
        );
    }

    #[test]
    fn unset_flags_take_the_binary_default() {
        let object = pod(
            "  - name: a\n    image: x\n    command: [kube-controller-manager, --, --profiling=false]\n",
        );
        let manager = only(&object);
        let profiling = manager.setting("profiling").unwrap();
        assert_eq!(
            (profiling.value.as_str(), profiling.is_default()),
            ("true", true)
        );
        assert_eq!(manager.setting("bind-address").unwrap().value, "0.0.0.0");
        assert_eq!(manager.setting("root-ca-file"), None);
        assert_eq!(
            manager.pointer_of(&Source::Default),
            "/spec/containers/0/command"
        );
        let object = pod("  - name: a\n    image: x\n    command: [kube-apiserver]\n");
        let modes = only(&object).list("authorization-mode");
        let default = ListItem {
            value: "AlwaysAllow".to_owned(),
            source: Source::Default,
        };
        assert_eq!(modes, [default]);
    }

    #[test]
    fn admission_plugins_and_authorization_config() {
        let object = pod(
            "  - name: a\n    image: x\n    command: [kube-apiserver, --admission-control=AlwaysAdmit, --enable-admission-plugins=NodeRestriction, --disable-admission-plugins=AlwaysAdmit, --authorization-config=/etc/kubernetes/authz.yaml]\n",
        );
        let apiserver = only(&object);
        let plugins = apiserver.enabled_admission_plugins();
        assert_eq!(
            plugins,
            [ListItem {
                value: "NodeRestriction".to_owned(),
                source: from_line("/spec/containers/0/command/2"),
            }]
        );
        assert_eq!(apiserver.authorization_modes(), None);
    }

    #[test]
    fn etcd_reads_its_environment_and_yields_to_a_config_file() {
        let object = pod(
            "  - name: etcd\n    image: x\n    command: [etcd, --auto-tls=false]\n    env:\n    - {name: ETCD_CLIENT_CERT_AUTH, value: \"1\"}\n    - {name: ETCD_AUTO_TLS, value: \"true\"}\n",
        );
        let etcd = only(&object);
        let auth = etcd.setting("client-cert-auth").unwrap();
        assert_eq!(auth.value, "true");
        assert_eq!(
            auth.source,
            Source::Environment {
                pointer: "/spec/containers/0/env/0/value".to_owned()
            }
        );
        assert_eq!(etcd.setting("auto-tls").unwrap().value, "false");
        assert_eq!(etcd.superseding_file("client-cert-auth"), None);
        let object = pod(
            "  - name: etcd\n    image: x\n    command: [etcd]\n    env:\n    - {name: ETCD_CONFIG_FILE, value: /etc/etcd/etcd.yaml}\n",
        );
        let file = only(&object).superseding_file("client-cert-auth").unwrap();
        assert_eq!(file.value, "/etc/etcd/etcd.yaml");
    }
}
