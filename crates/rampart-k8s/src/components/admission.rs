//! AdmissionConfiguration (`--admission-control-config-file`): each plugin's configuration,
//! embedded (`configuration`) or in a file of its own (`path`); and the PodSecurity plugin's
//! configuration, which sets the levels namespaces without `pod-security.kubernetes.io/*`
//! labels get (`privileged`, which enforces nothing, for each one left out) and who is exempt.

use rampart_core::Diagnostic;
use rampart_source::{Node, Object};

use crate::reporter::Reporter;

/// One element of `plugins`.
#[derive(Debug, Clone)]
pub struct AdmissionPlugin {
    pub name: String,
    /// JSON pointer of the element (`/plugins/0`).
    pub pointer: String,
    /// The file holding its configuration, as written.
    pub path: Option<String>,
    /// Its configuration is written in place (`configuration`).
    pub embedded: bool,
}

/// A parsed AdmissionConfiguration.
#[derive(Debug, Clone, Default)]
pub struct AdmissionConfig {
    pub plugins: Vec<AdmissionPlugin>,
}

impl AdmissionConfig {
    /// Reads `object`, with an error for each thing the API server would refuse it for
    /// (including an embedded PodSecurity configuration's).
    pub fn parse(object: &Object) -> (AdmissionConfig, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let mut problems = Reporter::new(object, &mut errors);
        let mut config = AdmissionConfig::default();
        let items = problems.list(object.root.get("plugins"), "/plugins");
        for (index, item) in items.iter().enumerate() {
            let pointer = format!("/plugins/{index}");
            let Some(name) = item
                .get("name")
                .and_then(Node::as_str)
                .filter(|n| !n.is_empty())
            else {
                problems.error(&pointer, "a plugin needs a `name`");
                continue;
            };
            let embedded = item.get("configuration").filter(|node| !node.is_null());
            if let Some(configuration) = embedded {
                let at = format!("{pointer}/configuration");
                match name {
                    "PodSecurity" => {
                        PodSecurityConfig::read(configuration, &at, &mut problems);
                    }
                    "EventRateLimit" => check_event_limits(configuration, &at, &mut problems),
                    _ => {}
                }
            }
            config.plugins.push(AdmissionPlugin {
                name: name.to_owned(),
                pointer,
                path: item.get("path").and_then(Node::as_str).map(str::to_owned),
                embedded: embedded.is_some(),
            });
        }
        (config, errors)
    }
}

/// The limit types of the EventRateLimit plugin.
const EVENT_LIMIT_TYPES: [&str; 4] = ["Server", "Namespace", "User", "SourceAndObject"];

/// Checks an EventRateLimit configuration at `pointer` as the plugin does before it loads: at
/// least one limit, each of a known type with a positive `qps` and `burst`.
pub(crate) fn check_event_limits(node: &Node, pointer: &str, problems: &mut Reporter<'_, '_>) {
    let at = format!("{pointer}/limits");
    let limits = node.get("limits").and_then(Node::as_seq).unwrap_or(&[]);
    if limits.is_empty() {
        problems.error(
            &at,
            "at least one limit is required; the plugin refuses to load without one",
        );
    }
    for (index, limit) in limits.iter().enumerate() {
        let limit_pointer = format!("{at}/{index}");
        let kind = limit.get("type").and_then(Node::as_str).unwrap_or("");
        if !EVENT_LIMIT_TYPES.contains(&kind) {
            problems.error(
                &format!("{limit_pointer}/type"),
                format!(
                    "`{kind}` is not a limit type: {}",
                    EVENT_LIMIT_TYPES.join(", ")
                ),
            );
        }
        for field in ["qps", "burst"] {
            if limit
                .get(field)
                .and_then(Node::as_i64)
                .is_none_or(|value| value <= 0)
            {
                problems.error(
                    &format!("{limit_pointer}/{field}"),
                    format!("`{field}` must be a positive integer"),
                );
            }
        }
    }
}

/// An exemption from the PodSecurity plugin.
#[derive(Debug, Clone)]
pub struct Exemption {
    /// `usernames`, `runtimeClasses` or `namespaces`.
    pub list: &'static str,
    pub value: String,
    pub pointer: String,
}

/// The enforced default level, with where it is set (`None`: left out, so `privileged`).
#[derive(Debug, Clone)]
pub struct EnforceDefault {
    pub level: String,
    pub pointer: Option<String>,
}

/// A PodSecurity plugin configuration (`PodSecurityConfiguration`).
#[derive(Debug, Clone)]
pub struct PodSecurityConfig {
    /// JSON pointer of the configuration (`""` for a file of its own).
    pub pointer: String,
    pub enforce: EnforceDefault,
    pub exemptions: Vec<Exemption>,
}

const LEVELS: [&str; 3] = ["privileged", "baseline", "restricted"];

impl PodSecurityConfig {
    /// The PodSecurity configuration of `object`: the object itself when it is a
    /// PodSecurityConfiguration, else the one embedded for the `PodSecurity` plugin of an
    /// AdmissionConfiguration.
    pub fn of(object: &Object) -> Option<PodSecurityConfig> {
        let mut errors = Vec::new();
        let mut problems = Reporter::new(object, &mut errors);
        if object.kind == "PodSecurityConfiguration" {
            return Some(PodSecurityConfig::read(&object.root, "", &mut problems));
        }
        let plugins = object.root.get("plugins")?.as_seq()?;
        plugins.iter().enumerate().find_map(|(index, plugin)| {
            (plugin.get("name").and_then(Node::as_str) == Some("PodSecurity")).then_some(())?;
            let embedded = plugin.get("configuration")?;
            let pointer = format!("/plugins/{index}/configuration");
            Some(PodSecurityConfig::read(embedded, &pointer, &mut problems))
        })
    }

    /// Reads a configuration at `pointer`, reporting levels and versions the plugin refuses.
    pub(crate) fn read(
        node: &Node,
        pointer: &str,
        problems: &mut Reporter<'_, '_>,
    ) -> PodSecurityConfig {
        let defaults = node.get("defaults");
        let defaults_pointer = format!("{pointer}/defaults");
        for mode in ["enforce", "audit", "warn"] {
            if let Some(level) = defaults.and_then(|d| d.get(mode))
                && !level.as_str().is_some_and(|l| LEVELS.contains(&l))
            {
                problems.error(
                    &format!("{defaults_pointer}/{mode}"),
                    format!(
                        "{} is not a level: privileged, baseline or restricted",
                        level.display_scalar()
                    ),
                );
            }
            let version_key = format!("{mode}-version");
            if let Some(version) = defaults.and_then(|d| d.get(&version_key)) {
                let valid = version.as_str().is_some_and(|v| {
                    v == "latest"
                        || v.strip_prefix("v1.").is_some_and(|minor| {
                            !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit())
                        })
                });
                if !valid {
                    problems.error(
                        &format!("{defaults_pointer}/{version_key}"),
                        format!(
                            "{} is not a version: `latest` or `v1.N`",
                            version.display_scalar()
                        ),
                    );
                }
            }
        }
        let enforce = match defaults
            .and_then(|d| d.get("enforce"))
            .and_then(Node::as_str)
        {
            Some(level) => EnforceDefault {
                level: level.to_owned(),
                pointer: Some(format!("{defaults_pointer}/enforce")),
            },
            None => EnforceDefault {
                level: "privileged".to_owned(),
                pointer: None,
            },
        };
        let exemptions_node = node.get("exemptions");
        let mut exemptions = Vec::new();
        for list in ["usernames", "runtimeClasses", "namespaces"] {
            let at = format!("{pointer}/exemptions/{list}");
            let values = problems.strings(exemptions_node.and_then(|e| e.get(list)), &at);
            exemptions.extend(
                values
                    .into_iter()
                    .enumerate()
                    .map(|(index, value)| Exemption {
                        list,
                        value,
                        pointer: format!("{at}/{index}"),
                    }),
            );
        }
        PodSecurityConfig {
            pointer: pointer.to_owned(),
            enforce,
            exemptions,
        }
    }
}

#[cfg(test)]
mod tests {
    use rampart_source::{Limits, parse_text};

    use super::*;

    fn object(text: &str) -> Object {
        let (mut objects, errors) = parse_text("admission.yaml", text, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        objects.remove(0)
    }

    #[test]
    fn reads_embedded_pod_security_and_plugin_paths() {
        let admission = object(
            "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n\
             - name: EventRateLimit\n  path: eventconfig.yaml\n\
             - name: PodSecurity\n  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1\n    kind: PodSecurityConfiguration\n    defaults: {enforce: loose, warn-version: '1.30'}\n    exemptions: {namespaces: [kube-system, monitoring]}\n\
             - {path: x}\n",
        );
        let (config, errors) = AdmissionConfig::parse(&admission);
        let messages: Vec<_> = errors
            .iter()
            .map(|e| (e.line.unwrap(), e.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    10,
                    "AdmissionConfiguration `/plugins/1/configuration/defaults/enforce`: \"loose\" is not a level: privileged, baseline or restricted"
                ),
                (
                    10,
                    "AdmissionConfiguration `/plugins/1/configuration/defaults/warn-version`: \"1.30\" is not a version: `latest` or `v1.N`"
                ),
                (
                    12,
                    "AdmissionConfiguration `/plugins/2`: a plugin needs a `name`"
                ),
            ]
        );
        assert_eq!(config.plugins[0].path.as_deref(), Some("eventconfig.yaml"));
        let pod_security = PodSecurityConfig::of(&admission).unwrap();
        assert_eq!(pod_security.enforce.level, "loose");
        let exempt: Vec<_> = pod_security
            .exemptions
            .iter()
            .map(|e| (e.list, e.value.as_str(), e.pointer.as_str()))
            .collect();
        assert_eq!(
            exempt,
            [
                (
                    "namespaces",
                    "kube-system",
                    "/plugins/1/configuration/exemptions/namespaces/0"
                ),
                (
                    "namespaces",
                    "monitoring",
                    "/plugins/1/configuration/exemptions/namespaces/1"
                ),
            ]
        );
    }

    #[test]
    fn a_file_of_its_own_defaults_to_privileged() {
        let file = object(
            "apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\nexemptions: {usernames: [ci-bot]}\n",
        );
        let config = PodSecurityConfig::of(&file).unwrap();
        assert_eq!(
            (config.enforce.level.as_str(), config.enforce.pointer),
            ("privileged", None)
        );
        assert_eq!(config.exemptions[0].pointer, "/exemptions/usernames/0");
    }

    #[test]
    fn event_rate_limits_are_checked_as_the_plugin_does() {
        let admission = object(
            "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n\
             - name: EventRateLimit\n  configuration:\n    limits:\n    - {type: Pod, qps: 0, burst: 10}\n",
        );
        let (config, errors) = AdmissionConfig::parse(&admission);
        assert!(config.plugins[0].embedded);
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "AdmissionConfiguration `/plugins/0/configuration/limits/0/type`: `Pod` is not a limit type: Server, Namespace, User, SourceAndObject",
                "AdmissionConfiguration `/plugins/0/configuration/limits/0/qps`: `qps` must be a positive integer",
            ]
        );
        let file =
            object("apiVersion: eventratelimit.admission.k8s.io/v1alpha1\nkind: Configuration\n");
        let errors = crate::components::files::config_errors(&file);
        assert_eq!(
            errors[0].message,
            "Configuration `/limits`: at least one limit is required; the plugin refuses to load without one"
        );
    }
}
