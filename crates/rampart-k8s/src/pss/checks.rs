//! The checks themselves. Each reads the pod the way upstream's typed decoding would see it:
//! a null field is an unset pointer, a boolean only counts when it really is a boolean, and a
//! string field of another type is compared by its rendering (see [`scalar_text`]).

use std::collections::BTreeSet;

use rampart_source::{Entry, Node, push_pointer};

use super::text::{containers_phrase, go_quote, plural, quoted_list, scalar_text, volumes_phrase};
use crate::workload::{ContainerRef, PodTemplate};

pub(super) type CheckFn = fn(&PodView<'_, '_>, u32) -> Option<Failure>;

/// One offending field of a pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// JSON pointer within the object, to the bad value or to where the missing one belongs.
    pub pointer: String,
    /// The container's name, when the field belongs to a container.
    pub container: Option<String>,
    /// What is wrong with this field.
    pub detail: String,
}

/// What a failing check reports, before the registry names it.
pub(super) struct Failure {
    pub reason: String,
    pub detail: String,
    pub fields: Vec<Field>,
}

/// A failed check's result, in the shape the check functions return.
fn fail(
    reason: impl Into<String>,
    detail: impl Into<String>,
    fields: Vec<Field>,
) -> Option<Failure> {
    Some(Failure {
        reason: reason.into(),
        detail: detail.into(),
        fields,
    })
}

/// A pod template with its containers listed once for all checks.
pub(super) struct PodView<'p, 'a> {
    pub(super) template: &'p PodTemplate<'a>,
    containers: Vec<ContainerRef<'a>>,
}

impl<'p, 'a> PodView<'p, 'a> {
    pub fn new(template: &'p PodTemplate<'a>) -> Self {
        PodView {
            template,
            containers: template.containers().collect(),
        }
    }

    fn annotations(&self) -> &'a [Entry] {
        self.template
            .metadata
            .get("annotations")
            .map_or(&[], Node::entries)
    }

    fn annotation(&self, key: &str) -> Option<&'a Node> {
        self.annotations()
            .iter()
            .find(|entry| entry.key == key)
            .map(|entry| &entry.value)
    }

    fn annotation_pointer(&self, key: &str) -> String {
        push_pointer(
            &format!("{}/annotations", self.template.metadata_pointer),
            key,
        )
    }
}

fn is_true(node: Option<&Node>) -> bool {
    node.and_then(Node::as_bool) == Some(true)
}

fn pod_field(pointer: String, detail: String) -> Field {
    Field {
        pointer,
        container: None,
        detail,
    }
}

fn container_field(container: &ContainerRef<'_>, pointer: String, detail: String) -> Field {
    Field {
        pointer,
        container: Some(container.name().to_owned()),
        detail,
    }
}

/// A problem found in one security-context setting: the sub-field at fault (empty for the
/// setting itself) and what is wrong with it.
struct Offence {
    sub_field: &'static str,
    detail: String,
}

impl Offence {
    fn at(sub_field: &'static str, detail: String) -> Offence {
        Offence { sub_field, detail }
    }
}

fn pointer_to(base: String, sub_field: &str) -> String {
    if sub_field.is_empty() {
        base
    } else {
        format!("{base}/{sub_field}")
    }
}

/// Who explicitly sets a security-context setting to a forbidden value: the pod, containers.
#[derive(Default)]
struct Setters {
    pod: bool,
    containers: Vec<String>,
    fields: Vec<Field>,
}

impl Setters {
    /// Judges `setting` in the pod's and every container's `securityContext` where it is set.
    fn scan<'a>(
        pod: &PodView<'_, 'a>,
        setting: &str,
        mut judge: impl FnMut(&'a Node) -> Vec<Offence>,
    ) -> Setters {
        let mut setters = Setters::default();
        if let Some(value) = pod.template.pod_security(setting) {
            let offences = judge(value);
            setters.pod = !offences.is_empty();
            let base = pod.template.pod_security_pointer(setting);
            setters.fields.extend(offences.into_iter().map(|offence| {
                pod_field(pointer_to(base.clone(), offence.sub_field), offence.detail)
            }));
        }
        for container in &pod.containers {
            let Some(value) = container.security(setting) else {
                continue;
            };
            let offences = judge(value);
            if offences.is_empty() {
                continue;
            }
            setters.containers.push(container.name().to_owned());
            let base = container.security_pointer(setting);
            setters.fields.extend(offences.into_iter().map(|offence| {
                container_field(
                    container,
                    pointer_to(base.clone(), offence.sub_field),
                    offence.detail,
                )
            }));
        }
        setters
    }

    fn is_empty(&self) -> bool {
        !self.pod && self.containers.is_empty()
    }

    /// `pod`, `container "a"`, in that order.
    fn names(&self) -> Vec<String> {
        let mut names = Vec::new();
        if self.pod {
            names.push("pod".to_owned());
        }
        if !self.containers.is_empty() {
            names.push(containers_phrase(&self.containers));
        }
        names
    }

    /// `pod and containers "a", "b"`.
    fn phrase(&self) -> String {
        self.names().join(" and ")
    }
}

/// Containers failing a per-container test, with the evidence.
#[derive(Default)]
struct BadContainers {
    names: Vec<String>,
    fields: Vec<Field>,
}

impl BadContainers {
    fn add(
        &mut self,
        container: &ContainerRef<'_>,
        fields: impl IntoIterator<Item = (String, String)>,
    ) {
        let before = self.fields.len();
        self.fields.extend(
            fields
                .into_iter()
                .map(|(pointer, detail)| container_field(container, pointer, detail)),
        );
        if self.fields.len() > before {
            self.names.push(container.name().to_owned());
        }
    }
}

pub(super) fn host_namespaces(pod: &PodView<'_, '_>, _minor: u32) -> Option<Failure> {
    let mut shared = Vec::new();
    let mut fields = Vec::new();
    for namespace in ["hostNetwork", "hostPID", "hostIPC"] {
        if is_true(pod.template.spec.get(namespace)) {
            shared.push(format!("{namespace}=true"));
            fields.push(pod_field(
                format!("{}/{namespace}", pod.template.spec_pointer),
                format!("{namespace}=true shares the node's namespace"),
            ));
        }
    }
    if shared.is_empty() {
        return None;
    }
    fail("host namespaces", shared.join(", "), fields)
}

pub(super) fn privileged(pod: &PodView<'_, '_>, _minor: u32) -> Option<Failure> {
    let mut bad = BadContainers::default();
    for container in &pod.containers {
        let privileged = is_true(container.security("privileged"));
        bad.add(
            container,
            privileged.then(|| {
                (
                    container.security_pointer("privileged"),
                    "privileged=true".to_owned(),
                )
            }),
        );
    }
    if bad.names.is_empty() {
        return None;
    }
    let detail = format!(
        "{} must not set securityContext.privileged=true",
        containers_phrase(&bad.names)
    );
    fail("privileged", detail, bad.fields)
}

const DEFAULT_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// The capabilities `container` adds that `allowed` rejects, with their pointers.
fn forbidden_added_capabilities(
    container: &ContainerRef<'_>,
    capabilities: &Node,
    allowed: impl Fn(&str) -> bool,
    found: &mut BTreeSet<String>,
) -> Vec<(String, String)> {
    let base = container.security_pointer("capabilities");
    let added = capabilities.get("add").map_or(&[][..], Node::items);
    let mut fields = Vec::new();
    for (index, capability) in added.iter().enumerate() {
        let name = scalar_text(Some(capability));
        if !allowed(&name) {
            fields.push((
                format!("{base}/add/{index}"),
                format!("adds capability {name}"),
            ));
            found.insert(name.into_owned());
        }
    }
    fields
}

fn must_not_add(names: &[String], capabilities: &BTreeSet<String>) -> String {
    format!(
        "{} must not include {} in securityContext.capabilities.add",
        containers_phrase(names),
        quoted_list(capabilities)
    )
}

pub(super) fn capabilities_baseline(pod: &PodView<'_, '_>, _minor: u32) -> Option<Failure> {
    let mut bad = BadContainers::default();
    let mut forbidden = BTreeSet::new();
    for container in &pod.containers {
        let Some(capabilities) = container.security("capabilities") else {
            continue;
        };
        let fields = forbidden_added_capabilities(
            container,
            capabilities,
            |name| DEFAULT_CAPABILITIES.contains(&name),
            &mut forbidden,
        );
        bad.add(container, fields);
    }
    if bad.names.is_empty() {
        return None;
    }
    fail(
        "non-default capabilities",
        must_not_add(&bad.names, &forbidden),
        bad.fields,
    )
}

pub(super) fn capabilities_restricted(pod: &PodView<'_, '_>, _minor: u32) -> Option<Failure> {
    let mut missing_drop_all = BadContainers::default();
    let mut adding = BadContainers::default();
    let mut forbidden = BTreeSet::new();
    for container in &pod.containers {
        let drop_pointer = format!("{}/drop", container.security_pointer("capabilities"));
        let Some(capabilities) = container.security("capabilities") else {
            missing_drop_all.add(
                container,
                [(drop_pointer, "capabilities are not dropped".to_owned())],
            );
            continue;
        };
        let dropped = capabilities.get("drop").map_or(&[][..], Node::items);
        if !dropped
            .iter()
            .any(|capability| capability.as_str() == Some("ALL"))
        {
            missing_drop_all.add(
                container,
                [(drop_pointer, "drop does not include ALL".to_owned())],
            );
        }
        let fields = forbidden_added_capabilities(
            container,
            capabilities,
            |name| name == "NET_BIND_SERVICE",
            &mut forbidden,
        );
        adding.add(container, fields);
    }
    let mut details = Vec::new();
    if !missing_drop_all.names.is_empty() {
        details.push(format!(
            r#"{} must set securityContext.capabilities.drop=["ALL"]"#,
            containers_phrase(&missing_drop_all.names)
        ));
    }
    if !adding.names.is_empty() {
        details.push(must_not_add(&adding.names, &forbidden));
    }
    if details.is_empty() {
        return None;
    }
    let mut fields = missing_drop_all.fields;
    fields.extend(adding.fields);
    fail("unrestricted capabilities", details.join("; "), fields)
}

pub(super) fn host_path_volumes(pod: &PodView<'_, '_>, _minor: u32) -> Option<Failure> {
    let mut names = Vec::new();
    let mut fields = Vec::new();
    for (index, volume) in pod.template.volumes() {
        if volume
            .get("hostPath")
            .is_some_and(|source| !source.is_null())
        {
            let name = scalar_text(volume.get("name")).into_owned();
            fields.push(pod_field(
                format!("{}/hostPath", pod.template.volume_pointer(index)),
                format!("volume {name:?} mounts a host path"),
            ));
            names.push(name);
        }
    }
    if names.is_empty() {
        return None;
    }
    fail("hostPath volumes", volumes_phrase(&names), fields)
}

/// Inline volume sources the restricted level allows.
const ALLOWED_VOLUME_SOURCES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// Every other volume source, in the order upstream names the first one it finds.
const RESTRICTED_VOLUME_SOURCES: &[&str] = &[
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "storageos",
];

pub(super) fn restricted_volumes(pod: &PodView<'_, '_>, _minor: u32) -> Option<Failure> {
    let has =
        |volume: &Node, source: &str| volume.get(source).is_some_and(|value| !value.is_null());
    let mut names = Vec::new();
    let mut types = BTreeSet::new();
    let mut fields = Vec::new();
    for (index, volume) in pod.template.volumes() {
        if ALLOWED_VOLUME_SOURCES
            .iter()
            .any(|source| has(volume, source))
        {
            continue;
        }
        // A volume naming no known source is defaulted to an emptyDir by the API server.
        let Some(source) = RESTRICTED_VOLUME_SOURCES
            .iter()
            .find(|source| has(volume, source))
        else {
            continue;
        };
        let name = scalar_text(volume.get("name")).into_owned();
        fields.push(pod_field(
            format!("{}/{source}", pod.template.volume_pointer(index)),
            format!("volume {name:?} uses restricted volume type {source}"),
        ));
        types.insert(*source);
        names.push(name);
    }
    if names.is_empty() {
        return None;
    }
    let detail = format!(
        "{} {} {} {}",
        volumes_phrase(&names),
        plural(names.len(), "uses", "use"),
        plural(
            types.len(),
            "restricted volume type",
            "restricted volume types"
        ),
        quoted_list(&types)
    );
    fail("restricted volume types", detail, fields)
}

pub(super) fn host_ports(pod: &PodView<'_, '_>, _minor: u32) -> Option<Failure> {
    let mut bad = BadContainers::default();
    let mut ports = BTreeSet::new();
    for container in &pod.containers {
        let declared = container.node.get("ports").map_or(&[][..], Node::items);
        let mut fields = Vec::new();
        for (index, port) in declared.iter().enumerate() {
            let Some(host_port) = port.get("hostPort").filter(|value| !value.is_null()) else {
                continue;
            };
            if host_port.as_i64() == Some(0) {
                continue;
            }
            let rendered = host_port
                .as_i64()
                .map_or_else(|| host_port.display_scalar(), |port| port.to_string());
            fields.push((
                format!("{}/ports/{index}/hostPort", container.pointer),
                format!("hostPort {rendered}"),
            ));
            ports.insert(rendered);
        }
        bad.add(container, fields);
    }
    if bad.names.is_empty() {
        return None;
    }
    let ports: Vec<String> = ports.into_iter().collect();
    let detail = format!(
        "{} {} {} {}",
        containers_phrase(&bad.names),
        plural(bad.names.len(), "uses", "use"),
        plural(ports.len(), "hostPort", "hostPorts"),
        ports.join(", ")
    );
    fail("hostPort", detail, bad.fields)
}

/// Where a container can name a host for the kubelet to connect to.
const HOST_FIELDS: &[&[&str]] = &[
    &["livenessProbe", "httpGet"],
    &["livenessProbe", "tcpSocket"],
    &["readinessProbe", "httpGet"],
    &["readinessProbe", "tcpSocket"],
    &["startupProbe", "httpGet"],
    &["startupProbe", "tcpSocket"],
    &["lifecycle", "postStart", "httpGet"],
    &["lifecycle", "postStart", "tcpSocket"],
    &["lifecycle", "preStop", "httpGet"],
    &["lifecycle", "preStop", "tcpSocket"],
];

pub(super) fn host_probes_and_lifecycle(pod: &PodView<'_, '_>, _minor: u32) -> Option<Failure> {
    let mut containers = BTreeSet::new();
    let mut hosts = BTreeSet::new();
    let mut fields = Vec::new();
    for container in &pod.containers {
        for path in HOST_FIELDS {
            let host = scalar_text(
                container
                    .node
                    .path(path)
                    .and_then(|handler| handler.get("host")),
            );
            if host.is_empty() {
                continue;
            }
            let pointer = format!("{}/{}/host", container.pointer, path.join("/"));
            fields.push(container_field(container, pointer, format!("host {host}")));
            containers.insert(container.name().to_owned());
            hosts.insert(host.into_owned());
        }
    }
    if containers.is_empty() {
        return None;
    }
    let detail = format!(
        "{} {} {} {}",
        containers_phrase(&containers.iter().collect::<Vec<_>>()),
        plural(containers.len(), "uses", "use"),
        plural(
            hosts.len(),
            "probe or lifecycle host",
            "probe or lifecycle hosts"
        ),
        quoted_list(&hosts)
    );
    fail("probe or lifecycle host", detail, fields)
}

const APP_ARMOR_ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

fn allowed_app_armor_annotation(value: &str) -> bool {
    value.is_empty() || value == "runtime/default" || value.starts_with("localhost/")
}

pub(super) fn app_armor_profile(pod: &PodView<'_, '_>, _minor: u32) -> Option<Failure> {
    let mut profile_types = BTreeSet::new();
    let mut setters = Setters::scan(pod, "appArmorProfile", |profile| {
        let kind = scalar_text(profile.get("type"));
        if matches!(kind.as_ref(), "RuntimeDefault" | "Localhost") {
            return Vec::new();
        }
        let offence = Offence::at("type", format!("AppArmor profile type {kind:?}"));
        profile_types.insert(kind.into_owned());
        vec![offence]
    });
    let mut annotations = Vec::new();
    for entry in pod.annotations() {
        let value = scalar_text(Some(&entry.value));
        if !entry.key.starts_with(APP_ARMOR_ANNOTATION_PREFIX)
            || allowed_app_armor_annotation(&value)
        {
            continue;
        }
        annotations.push(format!("{}={}", entry.key, go_quote(&value)));
        setters.fields.push(pod_field(
            pod.annotation_pointer(&entry.key),
            format!("AppArmor profile {value:?}"),
        ));
    }
    annotations.sort();
    let mut names = setters.names();
    if !annotations.is_empty() {
        names.push(plural(annotations.len(), "annotation", "annotations").to_owned());
    }
    if names.is_empty() {
        return None;
    }
    let values: Vec<String> = profile_types.into_iter().chain(annotations).collect();
    let detail = format!(
        "{} must not set AppArmor profile type to {}",
        names.join(" and "),
        quoted_list(&values)
    );
    let reason = plural(
        values.len(),
        "forbidden AppArmor profile",
        "forbidden AppArmor profiles",
    );
    fail(reason, detail, setters.fields)
}

fn se_linux_type_allowed(kind: &str, minor: u32) -> bool {
    match kind {
        "" | "container_t" | "container_init_t" | "container_kvm_t" => true,
        "container_engine_t" => minor >= 31,
        _ => false,
    }
}

pub(super) fn se_linux_options(pod: &PodView<'_, '_>, minor: u32) -> Option<Failure> {
    let mut types = BTreeSet::new();
    let (mut sets_user, mut sets_role) = (false, false);
    let setters = Setters::scan(pod, "seLinuxOptions", |options| {
        let mut offences = Vec::new();
        let kind = scalar_text(options.get("type"));
        if !se_linux_type_allowed(&kind, minor) {
            offences.push(Offence::at("type", format!("SELinux type {kind:?}")));
            types.insert(kind.into_owned());
        }
        for (field, flag) in [("user", &mut sets_user), ("role", &mut sets_role)] {
            let value = scalar_text(options.get(field));
            if !value.is_empty() {
                *flag = true;
                offences.push(Offence::at(field, format!("SELinux {field} {value:?}")));
            }
        }
        offences
    });
    if setters.is_empty() {
        return None;
    }
    let mut problems = Vec::new();
    if !types.is_empty() {
        problems.push(format!(
            "{} {}",
            plural(types.len(), "type", "types"),
            quoted_list(&types)
        ));
    }
    if sets_user {
        problems.push("user may not be set".to_owned());
    }
    if sets_role {
        problems.push("role may not be set".to_owned());
    }
    let detail = format!(
        "{} set forbidden securityContext.seLinuxOptions: {}",
        setters.phrase(),
        problems.join("; ")
    );
    fail("seLinuxOptions", detail, setters.fields)
}

fn seccomp_type_allowed(kind: &str) -> bool {
    matches!(kind, "RuntimeDefault" | "Localhost")
}

/// Judges a `seccompProfile`, collecting the forbidden types it sets.
fn judge_seccomp(profile: &Node, types: &mut BTreeSet<String>) -> Vec<Offence> {
    let kind = scalar_text(profile.get("type"));
    if seccomp_type_allowed(&kind) {
        return Vec::new();
    }
    let offence = Offence::at("type", format!("seccomp profile type {kind:?}"));
    types.insert(kind.into_owned());
    vec![offence]
}

fn seccomp_must_not_set(setters: &Setters, types: &BTreeSet<String>) -> String {
    format!(
        "{} must not set securityContext.seccompProfile.type to {}",
        setters.phrase(),
        quoted_list(types)
    )
}

const SECCOMP_POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

fn allowed_seccomp_annotation(value: &str) -> bool {
    value == "runtime/default" || value == "docker/default" || value.starts_with("localhost/")
}

pub(super) fn seccomp_profile_baseline(pod: &PodView<'_, '_>, minor: u32) -> Option<Failure> {
    if minor < 19 {
        return seccomp_annotations(pod);
    }
    let mut types = BTreeSet::new();
    let setters = Setters::scan(pod, "seccompProfile", |profile| {
        judge_seccomp(profile, &mut types)
    });
    if setters.is_empty() {
        return None;
    }
    fail(
        "seccompProfile",
        seccomp_must_not_set(&setters, &types),
        setters.fields,
    )
}

/// Before v1.19 seccomp was configured, and checked, through annotations.
fn seccomp_annotations(pod: &PodView<'_, '_>) -> Option<Failure> {
    let keys = std::iter::once((SECCOMP_POD_ANNOTATION.to_owned(), None)).chain(
        pod.containers.iter().map(|container| {
            (
                format!("{SECCOMP_CONTAINER_ANNOTATION_PREFIX}{}", container.name()),
                Some(container),
            )
        }),
    );
    let mut forbidden = BTreeSet::new();
    let mut fields = Vec::new();
    for (key, container) in keys {
        let Some(value) = pod.annotation(&key) else {
            continue;
        };
        let value = scalar_text(Some(value));
        if allowed_seccomp_annotation(&value) {
            continue;
        }
        if forbidden.insert(format!("{key}={}", go_quote(&value))) {
            fields.push(Field {
                pointer: pod.annotation_pointer(&key),
                container: container.map(|container| container.name().to_owned()),
                detail: format!("seccomp profile {value:?}"),
            });
        }
    }
    if forbidden.is_empty() {
        return None;
    }
    let forbidden: Vec<String> = forbidden.into_iter().collect();
    let detail = format!(
        "forbidden {} {}",
        plural(forbidden.len(), "annotation", "annotations"),
        forbidden.join(", ")
    );
    fail("seccompProfile", detail, fields)
}

pub(super) fn seccomp_profile_restricted(pod: &PodView<'_, '_>, _minor: u32) -> Option<Failure> {
    let mut types = BTreeSet::new();
    let setters = Setters::scan(pod, "seccompProfile", |profile| {
        judge_seccomp(profile, &mut types)
    });
    if !setters.is_empty() {
        return fail(
            "seccompProfile",
            seccomp_must_not_set(&setters, &types),
            setters.fields,
        );
    }
    let pod_sets_profile = pod.template.pod_security("seccompProfile").is_some();
    if pod_sets_profile {
        return None;
    }
    let mut unset = BadContainers::default();
    for container in pod
        .containers
        .iter()
        .filter(|container| container.security("seccompProfile").is_none())
    {
        let detail = "seccompProfile is set neither here nor on the pod".to_owned();
        unset.add(
            container,
            [(container.security_pointer("seccompProfile"), detail)],
        );
    }
    if unset.names.is_empty() {
        return None;
    }
    let detail = format!(
        r#"pod or {} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost""#,
        containers_phrase(&unset.names)
    );
    fail("seccompProfile", detail, unset.fields)
}

/// Sysctls the baseline level allows, with the minor version that allowed each.
const SAFE_SYSCTLS: &[(u32, &str)] = &[
    (0, "kernel.shm_rmid_forced"),
    (0, "net.ipv4.ip_local_port_range"),
    (0, "net.ipv4.tcp_syncookies"),
    (0, "net.ipv4.ping_group_range"),
    (0, "net.ipv4.ip_unprivileged_port_start"),
    (27, "net.ipv4.ip_local_reserved_ports"),
    (29, "net.ipv4.tcp_keepalive_time"),
    (29, "net.ipv4.tcp_fin_timeout"),
    (29, "net.ipv4.tcp_keepalive_intvl"),
    (29, "net.ipv4.tcp_keepalive_probes"),
    (32, "net.ipv4.tcp_rmem"),
    (32, "net.ipv4.tcp_wmem"),
    (37, "net.ipv4.tcp_slow_start_after_idle"),
    (37, "net.ipv4.tcp_notsent_lowat"),
];

pub(super) fn sysctls(pod: &PodView<'_, '_>, minor: u32) -> Option<Failure> {
    let safe = |name: &str| {
        SAFE_SYSCTLS
            .iter()
            .any(|&(since, safe)| since <= minor && safe == name)
    };
    let declared = pod
        .template
        .pod_security("sysctls")
        .map_or(&[][..], Node::items);
    let mut names = Vec::new();
    let mut fields = Vec::new();
    for (index, sysctl) in declared.iter().enumerate() {
        let name = scalar_text(sysctl.get("name"));
        if safe(&name) {
            continue;
        }
        fields.push(pod_field(
            format!(
                "{}/{index}/name",
                pod.template.pod_security_pointer("sysctls")
            ),
            format!("sysctl {name} is not in the safe set"),
        ));
        names.push(name.into_owned());
    }
    if names.is_empty() {
        return None;
    }
    fail("forbidden sysctls", names.join(", "), fields)
}

pub(super) fn windows_host_process(pod: &PodView<'_, '_>, _minor: u32) -> Option<Failure> {
    let setters = Setters::scan(pod, "windowsOptions", |options| {
        if is_true(options.get("hostProcess")) {
            vec![Offence::at("hostProcess", "hostProcess=true".to_owned())]
        } else {
            Vec::new()
        }
    });
    if setters.is_empty() {
        return None;
    }
    let detail = format!(
        "{} must not set securityContext.windowsOptions.hostProcess=true",
        setters.phrase()
    );
    fail("hostProcess", detail, setters.fields)
}

pub(super) fn proc_mount(pod: &PodView<'_, '_>, _minor: u32) -> Option<Failure> {
    let mut bad = BadContainers::default();
    let mut types = BTreeSet::new();
    for container in &pod.containers {
        let Some(proc_mount) = container.security("procMount") else {
            continue;
        };
        let kind = scalar_text(Some(proc_mount));
        if kind == "Default" {
            continue;
        }
        bad.add(
            container,
            [(
                container.security_pointer("procMount"),
                format!("procMount {kind:?}"),
            )],
        );
        types.insert(kind.into_owned());
    }
    if bad.names.is_empty() {
        return None;
    }
    let detail = format!(
        "{} must not set securityContext.procMount to {}",
        containers_phrase(&bad.names),
        quoted_list(&types)
    );
    fail("procMount", detail, bad.fields)
}

pub(super) fn allow_privilege_escalation(pod: &PodView<'_, '_>, _minor: u32) -> Option<Failure> {
    let mut bad = BadContainers::default();
    for container in &pod.containers {
        let setting = container.security("allowPrivilegeEscalation");
        if setting.and_then(Node::as_bool) == Some(false) {
            continue;
        }
        let detail = match setting {
            None => "allowPrivilegeEscalation is not set".to_owned(),
            Some(value) => format!("allowPrivilegeEscalation={}", value.display_scalar()),
        };
        bad.add(
            container,
            [(
                container.security_pointer("allowPrivilegeEscalation"),
                detail,
            )],
        );
    }
    if bad.names.is_empty() {
        return None;
    }
    let detail = format!(
        "{} must set securityContext.allowPrivilegeEscalation=false",
        containers_phrase(&bad.names)
    );
    fail("allowPrivilegeEscalation != false", detail, bad.fields)
}

pub(super) fn run_as_non_root(pod: &PodView<'_, '_>, _minor: u32) -> Option<Failure> {
    let not_true = |value: &Node| {
        if value.as_bool() == Some(true) {
            Vec::new()
        } else {
            vec![Offence::at(
                "",
                format!("runAsNonRoot={}", value.display_scalar()),
            )]
        }
    };
    let setters = Setters::scan(pod, "runAsNonRoot", not_true);
    if !setters.is_empty() {
        let detail = format!(
            "{} must not set securityContext.runAsNonRoot=false",
            setters.phrase()
        );
        return fail("runAsNonRoot != true", detail, setters.fields);
    }
    if is_true(pod.template.pod_security("runAsNonRoot")) {
        return None;
    }
    let mut unset = BadContainers::default();
    for container in pod
        .containers
        .iter()
        .filter(|container| container.security("runAsNonRoot").is_none())
    {
        let detail = "runAsNonRoot is set neither here nor on the pod".to_owned();
        unset.add(
            container,
            [(container.security_pointer("runAsNonRoot"), detail)],
        );
    }
    if unset.names.is_empty() {
        return None;
    }
    let detail = format!(
        "pod or {} must set securityContext.runAsNonRoot=true",
        containers_phrase(&unset.names)
    );
    fail("runAsNonRoot != true", detail, unset.fields)
}

pub(super) fn run_as_user(pod: &PodView<'_, '_>, _minor: u32) -> Option<Failure> {
    let setters = Setters::scan(pod, "runAsUser", |user| {
        if user.as_i64() == Some(0) {
            vec![Offence::at("", "runAsUser=0".to_owned())]
        } else {
            Vec::new()
        }
    });
    if setters.is_empty() {
        return None;
    }
    let detail = format!("{} must not set runAsUser=0", setters.phrase());
    fail("runAsUser=0", detail, setters.fields)
}
