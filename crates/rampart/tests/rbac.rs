//! `rampart rbac` driven as a user would: on the demo shop and on small fixtures.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs rampart in the repository with `args`; returns (exit code, stdout).
fn run(args: &[&str]) -> (i32, String) {
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .env_remove("CI")
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "rampart panicked: {stderr}");
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// `rampart rbac ARGS --format json` on the demo shop.
fn demo_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["rbac"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json", "examples/shop"]);
    let (code, stdout) = run(&all);
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    (code, json)
}

fn subjects(report: &Value) -> Vec<String> {
    report["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let kind = s["kind"].as_str().unwrap();
            match s["namespace"].as_str() {
                Some(ns) => format!("{kind}:{ns}/{}", s["name"].as_str().unwrap()),
                None => format!("{kind}:{}", s["name"].as_str().unwrap()),
            }
        })
        .collect()
}

#[test]
fn can_i_cites_binding_role_and_aggregated_rule() {
    let (code, report) = demo_json(&[
        "can-i",
        "--as",
        "system:serviceaccount:shop:reporting",
        "get",
        "secrets",
        "-n",
        "payments",
    ]);
    assert_eq!(code, 0);
    assert_eq!(report["allowed"], true);
    let reason = &report["reasons"][0];
    assert_eq!(reason["binding"]["kind"], "ClusterRoleBinding");
    assert_eq!(reason["binding"]["name"], "reporting-edit");
    assert_eq!(reason["binding"]["path"], "examples/shop/k8s/rbac.yaml");
    assert_eq!(reason["binding"]["line"], 68);
    assert_eq!(reason["role"]["name"], "edit");
    assert_eq!(reason["rule"]["aggregatedFrom"], "system:aggregate-to-edit");
    assert!(
        reason["rule"]["resources"]
            .as_array()
            .unwrap()
            .contains(&"secrets".into())
    );
    assert!(report["diagnostics"].as_array().unwrap().is_empty());

    let (code, report) = demo_json(&[
        "can-i",
        "--as",
        "system:serviceaccount:shop:storefront",
        "get",
        "secrets",
        "-n",
        "shop",
    ]);
    assert_eq!((code, &report["allowed"]), (1, &Value::Bool(false)));
    assert!(report["reasons"].as_array().unwrap().is_empty());
}

#[test]
fn can_i_table_says_yes_or_no() {
    let (code, stdout) = run(&[
        "rbac",
        "can-i",
        "--as",
        "group:support",
        "create",
        "pods/exec",
        "-n",
        "shop",
        "examples/shop",
    ]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("yes\n"), "{stdout}");
    assert!(
        stdout.contains("RoleBinding shop/support-pod-debugger"),
        "{stdout}"
    );
    let (code, stdout) = run(&[
        "rbac",
        "can-i",
        "--as",
        "group:support",
        "create",
        "pods/exec",
        "-n",
        "payments",
        "examples/shop",
    ]);
    assert_eq!((code, stdout.lines().next()), (1, Some("no")));
}

#[test]
fn who_can_lists_every_subject_with_its_grants() {
    let (code, report) = demo_json(&["who-can", "create", "pods/exec", "-n", "shop"]);
    assert_eq!(code, 0);
    assert_eq!(
        subjects(&report),
        [
            "Group:support",
            "Group:system:masters",
            "ServiceAccount:shop/reporting"
        ]
    );
    let masters = &report["subjects"][1]["via"];
    assert_eq!(masters[0]["privileged_group"], "system:masters");
    assert_eq!(masters[1]["binding"]["name"], "cluster-admin");

    let (_, report) = demo_json(&["who-can", "impersonate", "users"]);
    assert!(subjects(&report).contains(&"Group:release-managers".to_owned()));
    let (_, report) = demo_json(&["who-can", "get", "nodes/proxy"]);
    assert!(subjects(&report).contains(&"ServiceAccount:logging/log-agent".to_owned()));
}

#[test]
fn permissions_show_scopes_and_the_workloads_holding_the_token() {
    let (code, report) = demo_json(&["permissions", "system:serviceaccount:shop:default"]);
    assert_eq!(code, 0);
    let scopes = report["scopes"].as_array().unwrap();
    assert_eq!(scopes[0]["namespace"], Value::Null);
    let shop = scopes.iter().find(|s| s["namespace"] == "shop").unwrap();
    assert_eq!(shop["grants"][0]["role"]["name"], "checkout-secrets");
    assert_eq!(
        shop["grants"][0]["rule"]["resourceNames"][0],
        "payments-api"
    );
    let workloads = report["workloads"].as_array().unwrap();
    assert_eq!(workloads[0]["name"], "checkout");
    assert_eq!(workloads[0]["token_mounted"], true);

    let (_, stdout) = run(&[
        "rbac",
        "permissions",
        "system:serviceaccount:shop:reporting",
        "examples/shop",
    ]);
    assert!(stdout.contains("cluster-wide:"), "{stdout}");
    assert!(
        stdout.contains(
            "CronJob shop/nightly-report (examples/shop/k8s/nightly-report.yaml:1): token mounted"
        ),
        "{stdout}"
    );
}

#[test]
fn defaults_can_be_turned_off_and_urls_are_requests_too() {
    let (code, report) = demo_json(&[
        "can-i",
        "--as",
        "system:serviceaccount:shop:reporting",
        "get",
        "secrets",
        "-n",
        "shop",
        "--no-defaults",
    ]);
    assert_eq!(code, 1);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert!(diagnostics.iter().any(|d| {
        d["level"] == "warning"
            && d["message"]
                .as_str()
                .unwrap()
                .contains("roleRef names ClusterRole edit")
    }));

    let (code, _) = demo_json(&["can-i", "--as", "user:someone", "get", "/apis/apps"]);
    assert_eq!(code, 0);
    let (code, _) = demo_json(&["can-i", "--as", "user:system:anonymous", "get", "/apis"]);
    assert_eq!(code, 1);
    let (code, _) = demo_json(&["can-i", "--as", "user:system:anonymous", "get", "/healthz"]);
    assert_eq!(code, 0);
}

#[test]
fn cluster_scoped_resources_ignore_the_namespace() {
    let (code, report) = demo_json(&[
        "can-i",
        "--as",
        "system:serviceaccount:shop:reporting",
        "delete",
        "nodes",
        "-n",
        "shop",
    ]);
    assert_eq!(code, 1);
    assert_eq!(report["request"], "delete nodes cluster-wide");
    assert!(
        report["notes"][0]
            .as_str()
            .unwrap()
            .contains("cluster-scoped")
    );
}

#[test]
fn bad_input_is_reported_with_lines_and_bad_flags_are_exit_2() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("rbac.yaml"),
        "apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: broken}
rules:
- {apiGroups: [''], resources: pods, verbs: [get]}
- {apiGroups: [''], resources: [pods], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: to-nothing}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: missing}
subjects: [{kind: User, name: ann, apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: broken}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: broken}
subjects: [{kind: User, name: ann, apiGroup: rbac.authorization.k8s.io}]
",
    )
    .unwrap();
    let path = folder.path().to_str().unwrap();
    let (code, stdout) = run(&[
        "rbac", "can-i", "--as", "user:ann", "get", "pods", "--format", "json", path,
    ]);
    assert_eq!(code, 0, "the valid rule still grants");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let lines: Vec<(u64, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["level"].as_str().unwrap()))
        .collect();
    // The malformed rule is refused; the binding to a missing role is accepted, and grants
    // nothing until the role exists.
    assert_eq!(lines, [(5, "error"), (11, "warning")]);
    assert_eq!(
        run(&["rbac", "can-i", "--as", "alice", "get", "pods", path]).0,
        2
    );
    assert_eq!(
        run(&["rbac", "who-can", "get", "pods", "/no/such/folder"]).0,
        2
    );
}

/// Each path of an escalations report as `subject: technique > technique > ...`.
fn chains(report: &Value) -> Vec<String> {
    report["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|path| {
            let subject = &path["subject"];
            let who = match subject["namespace"].as_str() {
                Some(ns) => format!("{}/{}", ns, subject["name"].as_str().unwrap()),
                None => subject["name"].as_str().unwrap().to_owned(),
            };
            let steps: Vec<&str> = path["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|step| step["technique"].as_str().unwrap())
                .collect();
            format!("{who}: {}", steps.join(" > "))
        })
        .collect()
}

#[test]
fn escalations_find_the_demo_chains_to_cluster_admin_and_exit_1() {
    let (code, report) = demo_json(&["escalations"]);
    assert_eq!(
        code, 1,
        "identities of the demo can make themselves cluster-admin"
    );
    assert_eq!(report["target"], "cluster-admin");
    assert_eq!(
        chains(&report),
        [
            "release-managers: impersonate > bind-or-escalate",
            "support: exec-into-pods > create-workloads > bind-or-escalate",
            "logging/log-agent: node-proxy > create-workloads > bind-or-escalate",
            "shop/reporting: create-workloads > bind-or-escalate",
        ]
    );
    // The support team's three steps, each with the grant that allows it.
    let support = &report["paths"][1];
    assert_eq!(support["reaches"], "cluster-admin");
    let steps = support["steps"].as_array().unwrap();
    assert_eq!(steps[0]["code"], "K204");
    assert_eq!(steps[0]["namespace"], "shop");
    assert_eq!(
        steps[0]["permission"],
        "create pods/exec in namespace \"shop\""
    );
    assert_eq!(steps[0]["via"]["binding"]["name"], "support-pod-debugger");
    assert_eq!(
        steps[0]["via"]["rule"]["path"],
        "examples/shop/k8s/rbac.yaml"
    );
    assert_eq!(steps[0]["via"]["rule"]["line"], 91);
    assert_eq!(steps[0]["becomes"]["name"], "reporting");
    assert_eq!(steps[1]["via"]["binding"]["name"], "reporting-edit");
    assert_eq!(steps[1]["via"]["role"]["name"], "edit");
    assert_eq!(
        steps[1]["becomes"]["name"],
        "clusterrole-aggregation-controller"
    );
    // Escalating a ClusterRole takes both permissions, each cited.
    assert_eq!(steps[2]["namespace"], Value::Null);
    assert_eq!(steps[2]["becomes"], Value::Null);
    assert_eq!(
        steps[2]["with"][0]["permission"],
        "update clusterroles.rbac.authorization.k8s.io cluster-wide"
    );
}

#[test]
fn escalations_take_other_targets_and_say_when_there_is_none() {
    let (code, report) = demo_json(&["escalations", "--target", "nodes"]);
    assert_eq!(code, 1);
    assert!(
        chains(&report).contains(&"shop/reporting: exec-into-pods > node-proxy".to_owned()),
        "{report}"
    );
    // The log agent holds node access already: no escalation.
    assert!(!chains(&report).iter().any(|c| c.starts_with("logging/")));
    // Without the cluster's own roles, `edit` is missing and nothing leads to cluster-admin.
    let (code, text) = run(&["rbac", "escalations", "--no-defaults", "examples/shop"]);
    assert_eq!(code, 0);
    assert!(
        text.starts_with("no identity can escalate to cluster-admin\n"),
        "{text}"
    );
    let (code, text) = run(&["rbac", "escalations", "examples/shop"]);
    assert_eq!(code, 1);
    assert!(
        text.contains("Group support reaches cluster-admin in 3 steps:"),
        "{text}"
    );
    assert_eq!(
        run(&["rbac", "escalations", "--target", "root", "examples/shop"]).0,
        2
    );
}

#[test]
fn scan_reports_rbac_warnings_once_and_rules_on_the_same_model() {
    let folder = tempfile::tempdir().unwrap();
    let binding = |name: &str, subject: &str| {
        format!(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n\
             metadata: {{name: {name}, namespace: shop}}\n\
             roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: missing}}\n\
             subjects: [{subject}]\n---\n"
        )
    };
    let text = binding("first", "{kind: ServiceAccount, name: default}")
        + &binding(
            "second",
            "{kind: User, name: ann, apiGroup: rbac.authorization.k8s.io}",
        );
    std::fs::write(folder.path().join("rbac.yaml"), text).unwrap();
    let path = folder.path().to_str().unwrap();
    let (_, stdout) = run(&["scan", "--format", "json", "--fail-on", "never", path]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    // A binding to a missing role is scanned: a warning, not an input left out.
    assert_eq!(report["errors"], serde_json::json!([]), "{report}");
    assert_eq!(report["summary"]["warnings"], 2, "{report}");
    let warnings: Vec<u64> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    assert_eq!(
        warnings,
        [4, 10],
        "each missing role once, at its roleRef: {report}"
    );
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["K215"],
        "the default service account is named all the same"
    );
}
