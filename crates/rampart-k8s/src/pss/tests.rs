use rampart_source::{Limits, Object, parse_text};

use super::*;
use crate::workload::pod_template;

fn object(yaml: &str) -> Object {
    let (mut objects, errors) = parse_text("t.yaml", yaml, &Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    objects.remove(0)
}

/// A Pod with `spec` (flow or block YAML, indented under `spec:`) and optional annotations.
fn pod(annotations: &str, spec: &str) -> Object {
    object(&format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {{{annotations}}}\nspec:\n{spec}\n"
    ))
}

fn evaluate_at(object: &Object, level: Level, version: &str) -> Evaluation {
    let template = pod_template(object).expect("a pod");
    evaluate(&template, level, version.parse().expect("a version"))
}

fn ids(evaluation: &Evaluation) -> Vec<&'static str> {
    evaluation.violations.iter().map(|v| v.check).collect()
}

fn violation(object: &Object, id: &str, version: &str) -> Option<Violation> {
    run_check(
        id,
        &pod_template(object).expect("a pod"),
        version.parse().expect("a version"),
    )
}

fn detail(object: &Object, id: &str, version: &str) -> String {
    violation(object, id, version)
        .map(|v| v.detail)
        .unwrap_or_default()
}

fn pointers(violation: &Violation) -> Vec<&str> {
    violation
        .fields
        .iter()
        .map(|f| f.pointer.as_str())
        .collect()
}

/// A pod that passes `restricted` at every version.
const RESTRICTED: &str =
    "  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: app
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}";

#[test]
fn levels_and_versions_parse_like_the_namespace_labels() {
    assert_eq!("baseline".parse::<Level>(), Ok(Level::Baseline));
    assert!("Baseline".parse::<Level>().is_err());
    assert_eq!("v1.25".parse::<Version>(), Ok(Version::v1(25)));
    assert_eq!("latest".parse::<Version>(), Ok(Version::LATEST));
    for bad in ["1.25", "v1.025", "v2.0", "v1.", "v1.x", "v1.-1", ""] {
        assert!(bad.parse::<Version>().is_err(), "{bad}");
    }
    assert_eq!(Version::v1(3).to_string(), "v1.3");
    assert!(Version::v1(99) < Version::LATEST);
    assert_eq!(Version::LATEST.effective_minor(), 37);
    assert_eq!(
        Version::v1(99).effective_minor(),
        Version::NEWEST_KNOWN.effective_minor()
    );
}

#[test]
fn the_registry_is_in_upstream_order() {
    let baseline: Vec<&str> = CHECKS
        .iter()
        .filter(|c| c.level == Level::Baseline)
        .map(|c| c.id)
        .collect();
    let restricted: Vec<&str> = CHECKS
        .iter()
        .filter(|c| c.level == Level::Restricted)
        .map(|c| c.id)
        .collect();
    assert!(baseline.is_sorted() && restricted.is_sorted());
    assert_eq!(
        CHECKS[baseline.len()].level,
        Level::Restricted,
        "baseline checks come first"
    );
    for check in CHECKS {
        let replaced = check.overrides.and_then(check_meta);
        assert!(check.overrides.is_none() || replaced.is_some_and(|r| r.level == Level::Baseline));
    }
    let at = |level, minor| checks_for(level, Version::v1(minor)).len();
    assert_eq!(at(Level::Privileged, 37), 0);
    assert_eq!(at(Level::Baseline, 0), 11);
    assert_eq!(at(Level::Baseline, 34), 12);
    // restricted v1.0: baseline minus hostPathVolumes, plus restrictedVolumes and runAsNonRoot
    assert_eq!(at(Level::Restricted, 0), 12);
    // restricted v1.37: every check, less the four baseline checks replaced by restricted ones
    assert_eq!(at(Level::Restricted, 37), 12 + 7 - 4);
}

#[test]
fn a_container_setting_overrides_the_pod() {
    let pod_true_container_false = pod(
        "",
        "  securityContext: {runAsNonRoot: true}\n  containers: [{name: a}, {name: b, securityContext: {runAsNonRoot: false}}]",
    );
    let v = violation(&pod_true_container_false, "runAsNonRoot", "latest").expect("violation");
    assert_eq!(
        v.detail,
        r#"container "b" must not set securityContext.runAsNonRoot=false"#
    );
    assert_eq!(
        pointers(&v),
        ["/spec/containers/1/securityContext/runAsNonRoot"]
    );
    assert_eq!(v.fields[0].container.as_deref(), Some("b"));

    let pod_false_container_true = pod(
        "",
        "  securityContext: {runAsNonRoot: false}\n  containers: [{name: a, securityContext: {runAsNonRoot: true}}]",
    );
    let v = violation(&pod_false_container_true, "runAsNonRoot", "latest").expect("violation");
    assert_eq!(
        v.detail,
        "pod must not set securityContext.runAsNonRoot=false"
    );
    assert_eq!(pointers(&v), ["/spec/securityContext/runAsNonRoot"]);

    let inherited = pod(
        "",
        "  securityContext: {runAsNonRoot: true}\n  containers: [{name: a}]",
    );
    assert!(violation(&inherited, "runAsNonRoot", "latest").is_none());

    let neither = pod(
        "",
        "  containers: [{name: a}, {name: b, securityContext: {runAsNonRoot: true}}]",
    );
    let v = violation(&neither, "runAsNonRoot", "latest").expect("violation");
    assert_eq!(
        v.message,
        r#"runAsNonRoot != true (pod or container "a" must set securityContext.runAsNonRoot=true)"#
    );
    assert_eq!(
        pointers(&v),
        ["/spec/containers/0/securityContext/runAsNonRoot"]
    );
}

#[test]
fn seccomp_restricted_accepts_the_pod_profile_for_unset_containers_only() {
    let spec = "  securityContext: {seccompProfile: {type: RuntimeDefault}}
  containers:
  - {name: a}
  - {name: b, securityContext: {seccompProfile: {type: Unconfined}}}
  - {name: c, securityContext: {seccompProfile: {}}}";
    let v = violation(&pod("", spec), "seccompProfile_restricted", "latest").expect("violation");
    assert_eq!(
        v.detail,
        r#"containers "b", "c" must not set securityContext.seccompProfile.type to "", "Unconfined""#
    );
    assert_eq!(
        pointers(&v),
        [
            "/spec/containers/1/securityContext/seccompProfile/type",
            "/spec/containers/2/securityContext/seccompProfile/type"
        ]
    );
}

#[test]
fn null_false_and_mistyped_booleans() {
    for (value, allowed) in [
        ("false", true),
        ("null", true),
        ("'true'", true),
        ("1", true),
        ("true", false),
    ] {
        let object = pod(
            "",
            &format!("  containers: [{{name: a, securityContext: {{privileged: {value}}}}}]"),
        );
        assert_eq!(
            evaluate_at(&object, Level::Baseline, "latest").allowed,
            allowed,
            "privileged: {value}"
        );
    }
    for (value, denied) in [
        ("false", false),
        ("null", true),
        ("'false'", true),
        ("true", true),
    ] {
        let object = pod(
            "",
            &format!(
                "  containers: [{{name: a, securityContext: {{allowPrivilegeEscalation: {value}}}}}]"
            ),
        );
        assert_eq!(
            violation(&object, "allowPrivilegeEscalation", "latest").is_some(),
            denied,
            "{value}"
        );
    }
    let unset = pod("", "  containers: [{name: a}]");
    let v = violation(&unset, "allowPrivilegeEscalation", "latest").expect("violation");
    assert_eq!(
        pointers(&v),
        ["/spec/containers/0/securityContext/allowPrivilegeEscalation"]
    );
    assert_eq!(v.fields[0].detail, "allowPrivilegeEscalation is not set");
}

#[test]
fn windows_pods_are_exempt_from_linux_only_checks_from_v1_25() {
    let windows = pod(
        "",
        "  os: {name: windows}\n  securityContext: {runAsNonRoot: true}\n  containers: [{name: a}]",
    );
    assert_eq!(
        ids(&evaluate_at(&windows, Level::Restricted, "v1.24")),
        [
            "allowPrivilegeEscalation",
            "capabilities_restricted",
            "seccompProfile_restricted"
        ]
    );
    assert!(evaluate_at(&windows, Level::Restricted, "v1.25").allowed);
    let linux = pod(
        "",
        "  os: {name: linux}\n  securityContext: {runAsNonRoot: true}\n  containers: [{name: a}]",
    );
    assert_eq!(
        evaluate_at(&linux, Level::Restricted, "v1.25")
            .violations
            .len(),
        3
    );
    let windows_as_root = pod("", "  os: {name: windows}\n  containers: [{name: a}]");
    assert_eq!(
        ids(&evaluate_at(&windows_as_root, Level::Restricted, "latest")),
        ["runAsNonRoot"]
    );
}

#[test]
fn user_namespaces_relax_root_and_proc_mount_checks_from_v1_35() {
    let spec = "  hostUsers: false
  securityContext: {runAsUser: 0, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: a
    securityContext: {procMount: Unmasked, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}";
    let object = pod("", spec);
    assert_eq!(
        ids(&evaluate_at(&object, Level::Baseline, "v1.34")),
        ["procMount"]
    );
    assert!(evaluate_at(&object, Level::Baseline, "v1.35").allowed);
    assert_eq!(
        ids(&evaluate_at(&object, Level::Restricted, "v1.34")),
        ["procMount", "runAsNonRoot", "runAsUser"]
    );
    assert_eq!(
        ids(&evaluate_at(&object, Level::Restricted, "v1.35")),
        ["procMount_restricted"]
    );
}

#[test]
fn checks_switch_on_at_their_versions() {
    let object = pod(
        "seccomp.security.alpha.kubernetes.io/pod: unconfined, container.seccomp.security.alpha.kubernetes.io/a: ''",
        "  securityContext:
    seccompProfile: {type: Unconfined}
    seLinuxOptions: {type: container_engine_t}
    sysctls: [{name: net.ipv4.tcp_rmem}, {name: kernel.msgmax}]
  containers:
  - name: a
    livenessProbe: {httpGet: {host: example.com, port: 80}}",
    );
    assert_eq!(
        detail(&object, "seccompProfile_baseline", "v1.18"),
        r#"forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="", seccomp.security.alpha.kubernetes.io/pod="unconfined""#
    );
    assert_eq!(
        detail(&object, "seccompProfile_baseline", "v1.19"),
        r#"pod must not set securityContext.seccompProfile.type to "Unconfined""#
    );
    assert_eq!(
        detail(&object, "seLinuxOptions", "v1.30"),
        r#"pod set forbidden securityContext.seLinuxOptions: type "container_engine_t""#
    );
    assert!(violation(&object, "seLinuxOptions", "v1.31").is_none());
    assert_eq!(
        detail(&object, "sysctls", "v1.31"),
        "net.ipv4.tcp_rmem, kernel.msgmax"
    );
    assert_eq!(detail(&object, "sysctls", "v1.32"), "kernel.msgmax");
    assert!(violation(&object, "hostProbesAndHostLifecycle", "v1.33").is_none());
    assert_eq!(
        detail(&object, "hostProbesAndHostLifecycle", "v1.34"),
        r#"container "a" uses probe or lifecycle host "example.com""#
    );
    let root = pod(
        "",
        "  securityContext: {runAsUser: 0}\n  containers: [{name: a}]",
    );
    assert!(violation(&root, "runAsUser", "v1.22").is_none());
    assert_eq!(
        detail(&root, "runAsUser", "v1.23"),
        "pod must not set runAsUser=0"
    );
}

#[test]
fn restricted_capabilities_replace_the_baseline_check_from_v1_22() {
    let spec = RESTRICTED.replace(
        "drop: [ALL]",
        "drop: [ALL], add: [NET_RAW, CHOWN, NET_BIND_SERVICE]",
    );
    let object = pod("", &spec);
    assert_eq!(
        ids(&evaluate_at(&object, Level::Restricted, "v1.21")),
        ["capabilities_baseline"]
    );
    let v = &evaluate_at(&object, Level::Restricted, "v1.22").violations;
    assert_eq!(
        v.iter().map(|v| v.check).collect::<Vec<_>>(),
        ["capabilities_restricted"]
    );
    assert_eq!(
        v[0].detail,
        r#"container "app" must not include "CHOWN", "NET_RAW" in securityContext.capabilities.add"#
    );
    assert_eq!(
        pointers(&v[0]),
        [
            "/spec/containers/0/securityContext/capabilities/add/0",
            "/spec/containers/0/securityContext/capabilities/add/1"
        ]
    );
    assert!(evaluate_at(&pod("", RESTRICTED), Level::Restricted, "latest").allowed);
}

#[test]
fn every_violation_is_reported_in_upstream_order_and_words() {
    let object = pod(
        "container.apparmor.security.beta.kubernetes.io/b: unconfined",
        "  hostNetwork: true
  hostPID: true
  volumes: [{name: host, hostPath: {path: /}}, {name: plain}]
  initContainers:
  - {name: a, ports: [{containerPort: 80, hostPort: 9}, {containerPort: 81, hostPort: 10}]}
  containers:
  - {name: b, securityContext: {privileged: true, appArmorProfile: {type: Unconfined}}}
  ephemeralContainers:
  - {name: c, securityContext: {capabilities: {add: [SYS_ADMIN]}, windowsOptions: {hostProcess: true}}}",
    );
    let evaluation = evaluate_at(&object, Level::Baseline, "latest");
    assert!(!evaluation.allowed);
    assert_eq!(
        evaluation.message(),
        [
            r#"forbidden AppArmor profiles (container "b" and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/b="unconfined"")"#,
            r#"non-default capabilities (container "c" must not include "SYS_ADMIN" in securityContext.capabilities.add)"#,
            "host namespaces (hostNetwork=true, hostPID=true)",
            r#"hostPath volumes (volume "host")"#,
            r#"hostPort (container "a" uses hostPorts 10, 9)"#,
            r#"privileged (container "b" must not set securityContext.privileged=true)"#,
            r#"hostProcess (container "c" must not set securityContext.windowsOptions.hostProcess=true)"#,
        ]
        .join(", ")
    );
    let app_armor = &evaluation.violations[0];
    assert_eq!(
        pointers(app_armor),
        [
            "/spec/containers/0/securityContext/appArmorProfile/type",
            "/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1b"
        ]
    );
    let by_id = |id| {
        evaluation
            .violations
            .iter()
            .find(|v| v.check == id)
            .expect(id)
    };
    assert_eq!(
        pointers(by_id("hostNamespaces")),
        ["/spec/hostNetwork", "/spec/hostPID"]
    );
    assert_eq!(
        pointers(by_id("hostPathVolumes")),
        ["/spec/volumes/0/hostPath"]
    );
    assert_eq!(
        pointers(by_id("hostPorts")),
        [
            "/spec/initContainers/0/ports/0/hostPort",
            "/spec/initContainers/0/ports/1/hostPort"
        ]
    );
    assert_eq!(
        pointers(by_id("windowsHostProcess")),
        ["/spec/ephemeralContainers/0/securityContext/windowsOptions/hostProcess"]
    );
}

#[test]
fn volumes_without_a_source_default_to_empty_dir() {
    let spec = format!(
        "{RESTRICTED}\n  volumes: [{{name: a}}, {{name: b, nfs: {{server: x, path: /}}}}, {{name: c, gitRepo: {{repository: r}}}}]"
    );
    let v = violation(&pod("", &spec), "restrictedVolumes", "latest").expect("violation");
    assert_eq!(
        v.detail,
        r#"volumes "b", "c" use restricted volume types "gitRepo", "nfs""#
    );
    assert_eq!(
        pointers(&v),
        ["/spec/volumes/1/nfs", "/spec/volumes/2/gitRepo"]
    );
}

#[test]
fn run_check_ignores_levels_but_not_versions() {
    let object = pod(
        "",
        "  volumes: [{name: h, hostPath: {path: /}}]\n  containers: [{name: a}]",
    );
    assert!(violation(&object, "hostPathVolumes", "latest").is_some());
    assert!(
        violation(&object, "hostpathvolumes", "latest").is_some(),
        "ids match case-insensitively"
    );
    assert!(violation(&object, "allowPrivilegeEscalation", "v1.7").is_none());
    assert!(violation(&object, "allowPrivilegeEscalation", "v1.8").is_some());
    assert!(violation(&object, "noSuchCheck", "latest").is_none());
}

#[test]
fn mistyped_fields_never_panic() {
    let specs = [
        "  containers: x\n  initContainers: 3\n  volumes: {a: b}\n  securityContext: []",
        "  hostNetwork: 'true'\n  os: windows\n  hostUsers: 'false'\n  containers: [1, x, null, []]",
        "  securityContext: {sysctls: [1, {name: 2}], seccompProfile: RuntimeDefault, seLinuxOptions: {user: 0}, runAsUser: '0'}
  volumes: [1, {name: [x], hostPath: 1}, {name: v, nfs: null}]
  containers:
  - name: {x: 1}
    ports: [{hostPort: '80'}, {hostPort: 0}, 7]
    livenessProbe: {httpGet: {host: 1}}
    lifecycle: [1]
    securityContext: {capabilities: {add: NET_RAW, drop: [[ALL]]}, procMount: 3, appArmorProfile: [], runAsNonRoot: yes}",
    ];
    for spec in specs {
        let object = pod(
            "a: 1, container.apparmor.security.beta.kubernetes.io/x: 5",
            spec,
        );
        for level in [Level::Privileged, Level::Baseline, Level::Restricted] {
            for minor in 0..=40 {
                let template = pod_template(&object).expect("a pod");
                let evaluation = evaluate(&template, level, Version::v1(minor));
                assert_eq!(evaluation.allowed, evaluation.violations.is_empty());
            }
        }
    }
    let mistyped = pod("", specs[2]);
    assert_eq!(
        detail(&mistyped, "hostPorts", "latest"),
        r#"container "" uses hostPort "80""#
    );
    assert_eq!(detail(&mistyped, "sysctls", "latest"), ", 2");
    assert!(
        violation(&mistyped, "runAsUser", "latest").is_none(),
        "the string '0' is not the integer 0"
    );
    let not_true = pod("", "  hostNetwork: 'true'\n  containers: [{name: a}]");
    assert!(evaluate_at(&not_true, Level::Baseline, "latest").allowed);
}

#[test]
fn the_safe_sysctls_grow_by_version() {
    let introduced = [
        ("kernel.shm_rmid_forced", 0),
        ("net.ipv4.ip_unprivileged_port_start", 0),
        ("net.ipv4.ip_local_reserved_ports", 27),
        ("net.ipv4.tcp_keepalive_time", 29),
        ("net.ipv4.tcp_fin_timeout", 29),
        ("net.ipv4.tcp_keepalive_intvl", 29),
        ("net.ipv4.tcp_keepalive_probes", 29),
        ("net.ipv4.tcp_rmem", 32),
        ("net.ipv4.tcp_wmem", 32),
        ("net.ipv4.tcp_slow_start_after_idle", 37),
        ("net.ipv4.tcp_notsent_lowat", 37),
    ];
    for (name, since) in introduced {
        let object = pod(
            "",
            &format!(
                "  securityContext: {{sysctls: [{{name: {name}, value: '1'}}]}}\n  containers: [{{name: a}}]"
            ),
        );
        let forbidden_at =
            |minor: u32| violation(&object, "sysctls", &format!("v1.{minor}")).is_some();
        if since > 0 {
            assert!(forbidden_at(since - 1), "{name} before v1.{since}");
        }
        assert!(!forbidden_at(since), "{name} at v1.{since}");
    }
}
