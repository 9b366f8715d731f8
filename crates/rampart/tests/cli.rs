//! Drives the built `rampart` binary as a user would: on the demo shop, on broken input, with
//! every gating and suppression mechanism.

mod support;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use support::evidence_lines;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rampart() -> Command {
    let mut cmd = Command::cargo_bin("rampart").unwrap();
    // CI turns `--fail-on-errors` on; the tests say when they want it.
    cmd.current_dir(repo())
        .env("NO_COLOR", "1")
        .env_remove("CI");
    cmd
}

/// Runs rampart with `args`, returns (exit code, stdout).
fn run(args: &[&str]) -> (i32, String) {
    let output = rampart().args(args).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "rampart panicked: {stderr}");
    (output.status.code().unwrap(), stdout)
}

fn json_scan(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["scan", "--format", "json"];
    all.extend_from_slice(args);
    let (code, stdout) = run(&all);
    (
        code,
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}")),
    )
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().unwrap()
}

fn codes_at(report: &Value, path_suffix: &str) -> Vec<String> {
    findings(report)
        .iter()
        .filter(|f| {
            f["location"]["path"]
                .as_str()
                .unwrap()
                .ends_with(path_suffix)
        })
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn demo_shop_reports_its_flaws_with_evidence() {
    let (code, report) = json_scan(&["examples/shop"]);
    assert_eq!(
        code, 1,
        "the demo has critical findings, above the default --fail-on high"
    );
    assert_eq!(report["schema_version"], 2);
    assert_eq!(report["tool"]["name"], "rampart");
    let privileged = findings(&report)
        .iter()
        .find(|f| f["code"] == "K101")
        .expect("the log agent runs privileged");
    assert_eq!(
        privileged["location"]["path"],
        "examples/shop/k8s/log-agent.yaml"
    );
    assert_eq!(privileged["location"]["line"], 20);
    assert_eq!(privileged["location"]["column"], 13);
    assert_eq!(privileged["subject"]["platform"], "kubernetes");
    assert_eq!(privileged["subject"]["kind"], "DaemonSet");
    assert_eq!(privileged["subject"]["scope"], "logging");
    assert_eq!(privileged["subject"]["version"], "apps/v1");
    assert_eq!(
        privileged["pointer"],
        "/spec/template/spec/containers/0/securityContext/privileged"
    );
    assert_eq!(privileged["severity"], "critical");
    assert!(
        privileged["references"]["pss"]
            .as_array()
            .unwrap()
            .contains(&"privileged".into())
    );
    assert!(
        privileged["equivalents"]
            .as_array()
            .unwrap()
            .contains(&"checkov:CKV_K8S_16".into())
    );
    assert_eq!(privileged["fingerprint"].as_str().unwrap().len(), 16);
    // The hardened reference workload stays clean.
    assert_eq!(codes_at(&report, "catalog.yaml"), Vec::<String>::new());
    assert!(report["errors"].as_array().unwrap().is_empty());
}

#[test]
fn demo_shop_links_images_to_the_workloads_that_run_them() {
    let (_, report) = json_scan(&["--select", "D101,K152,K153", "examples/shop"]);
    let described: Vec<String> = findings(&report)
        .iter()
        .map(|f| {
            let evidence = evidence_lines(f);
            format!(
                "{} {}:{} | {}",
                f["code"].as_str().unwrap(),
                f["location"]["path"].as_str().unwrap(),
                f["location"]["line"],
                evidence.join(" | ")
            )
        })
        .collect();
    assert_eq!(
        described,
        [
            "K152 examples/shop/k8s/checkout.yaml:19 | image user: `USER app` | matched: the Dockerfile's path and the image's repository both end in `checkout`",
            // Matched by `[images]` in the demo's rampart.toml.
            "K153 examples/shop/k8s/payments.yaml:17 | image user: `USER root` | matched: listed under `[images]` in rampart.toml",
            "D101 examples/shop/services/payments/Dockerfile:3 | run by: Deployment shop/payments, container gateway",
            // Matched by folder name.
            "D101 examples/shop/services/storefront/Dockerfile:2 | run by: Deployment shop/storefront, container web",
        ]
    );
}

#[test]
fn images_lists_what_runs_each_image_and_where_it_comes_from() {
    let (code, text) = run(&["images", "examples/shop"]);
    assert_eq!(code, 0);
    // Every workload image once, sorted, with its containers; the four matched ones with the
    // Dockerfile, why, and the user (checked against the Dockerfiles by hand).
    insta::assert_snapshot!(text);

    // Two Dockerfiles in folders named `cart`: neither is taken, and the listing says why.
    let dir = tempfile::tempdir().unwrap();
    for folder in ["shop/cart", "legacy/cart"] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join("Dockerfile"), "FROM scratch\n").unwrap();
    }
    std::fs::write(
        dir.path().join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: cart, namespace: shop}\nspec:\n  containers:\n  - {name: cart, image: registry.example/acme/cart:1}\n",
    )
    .unwrap();
    let (code, json) = run(&["images", "--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    let listing: Value = serde_json::from_str(&json).unwrap();
    let entry = &listing["images"][0];
    assert_eq!(entry["image"], "registry.example/acme/cart:1");
    assert_eq!(entry["sources"], serde_json::json!([]));
    let tied: Vec<&str> = entry["tied"]
        .as_array()
        .unwrap()
        .iter()
        .map(|path| path.as_str().unwrap())
        .collect();
    assert_eq!(tied.len(), 2);
    assert!(
        tied.iter()
            .any(|path| path.ends_with("shop/cart/Dockerfile"))
    );
    assert!(
        tied.iter()
            .any(|path| path.ends_with("legacy/cart/Dockerfile"))
    );
}

#[test]
fn compose_and_skaffold_say_which_dockerfile_and_stage_build_an_image() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "project/k8s/app.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  template:\n    spec:\n      containers:\n      - {name: api, image: \"registry.example/shop/api:2\"}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      securityContext: {runAsNonRoot: true}\n      containers:\n      - {name: web, image: \"registry.example/shop/web:1\"}\n",
    );
    // Compose builds the `runtime` stage, which runs as root; the final stage would not.
    write(
        "project/compose.yaml",
        "services:\n  api:\n    image: registry.example/shop/api:dev\n    build: {context: ./services/backend, target: runtime}\n",
    );
    write(
        "project/services/backend/Dockerfile",
        "FROM debian:12 AS runtime\nUSER root\nFROM runtime AS debug\nUSER 10001\n",
    );
    // Skaffold builds `web` from a folder next to the scanned one.
    write(
        "project/skaffold.yaml",
        "apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n  - image: registry.example/shop/web\n    context: ../web\n",
    );
    write("web/Dockerfile", "FROM debian:12\nUSER app\n");
    let project = dir.path().join("project");
    let (_, report) = json_scan(&["--select", "K152,K153,D101", project.to_str().unwrap()]);
    let described: Vec<String> = findings(&report)
        .iter()
        .map(|f| {
            let evidence = evidence_lines(f);
            format!(
                "{} {} | {}",
                f["code"].as_str().unwrap(),
                f["subject"]["name"],
                evidence.join(" | ")
            )
        })
        .collect();
    assert_eq!(
        described,
        [
            r#"K153 "api" | image user: `USER root` | matched: built by the Compose service `api`"#,
            r#"K152 "web" | image user: `USER app` | matched: built by the Skaffold artifact"#,
        ]
    );
    // The Dockerfile outside the scan is read for the link, not reported on (no D101 for
    // `web/Dockerfile`, nor for the root stage the debug image does not run as).
    assert!(report["errors"].as_array().unwrap().is_empty());
}

#[test]
fn image_mapping_errors_name_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("rampart.toml");
    for (mapping, expected) in [
        (
            r#""Registry/App" = "Dockerfile""#,
            "`Registry/App` is not an image reference",
        ),
        (
            r#""registry.example/app" = "services/app/Dockerfile""#,
            "`registry.example/app` names services/app/Dockerfile, which does not exist",
        ),
    ] {
        std::fs::write(&config, format!("[images]\n{mapping}\n")).unwrap();
        let output = rampart()
            .args([
                "scan",
                "--config",
                config.to_str().unwrap(),
                "examples/shop",
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
    }
}

#[test]
fn demo_checkout_code_reports_its_injection_xss_and_csrf_with_flows() {
    let (_, report) = json_scan(&["--select", "A", "examples/shop"]);
    let found: Vec<String> = findings(&report)
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                f["code"].as_str().unwrap(),
                f["location"]["path"].as_str().unwrap(),
                f["location"]["line"]
            )
        })
        .collect();
    let code = "examples/shop/services/checkout/checkout";
    assert_eq!(
        found,
        [
            format!("A102 {code}/app.py:21"),
            format!("A115 {code}/app.py:24"),
            format!("A101 {code}/orders.py:16"),
        ]
    );
    let injection = &findings(&report)[2];
    assert_eq!(injection["subject"]["platform"], "code");
    assert_eq!(injection["subject"]["name"], "create_app.search");
    let steps: Vec<String> = injection["location"]["flow"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| {
            let at = &step["location"];
            format!("{}:{}", at["path"].as_str().unwrap(), at["line"])
        })
        .collect();
    // From the request, through two helpers in another module, to the cursor.
    assert_eq!(
        steps,
        [
            format!("{code}/app.py:17"),
            format!("{code}/app.py:17"),
            format!("{code}/app.py:18"),
            format!("{code}/orders.py:20"),
            format!("{code}/orders.py:22"),
            format!("{code}/orders.py:13"),
            format!("{code}/orders.py:16"),
        ]
    );
}

#[test]
fn output_is_byte_identical_across_runs() {
    let (_, first) = run(&["scan", "--format", "json", "examples/shop"]);
    let (_, second) = run(&["scan", "--format", "json", "examples/shop"]);
    assert_eq!(first, second);
}

#[test]
fn fail_on_sets_the_exit_code() {
    assert_eq!(run(&["scan", "--fail-on", "never", "examples/shop"]).0, 0);
    assert_eq!(
        run(&["scan", "--fail-on", "critical", "examples/shop"]).0,
        1
    );
    let quiet = "crates/rampart/tests/data/helm";
    assert_eq!(
        run(&["scan", "--select", "K146", "--fail-on", "info", quiet]).0,
        0
    );
    assert_eq!(run(&["scan", "--fail-on", "severe", "examples/shop"]).0, 2);
}

#[test]
fn select_and_ignore_take_codes_and_prefixes() {
    let (_, report) = json_scan(&["--select", "K146", "examples/shop"]);
    assert!(findings(&report).iter().all(|f| f["code"] == "K146"));
    assert!(!findings(&report).is_empty());
    let (_, report) = json_scan(&["--ignore", "K1,K2,K3,D,C,A", "examples/shop"]);
    assert!(findings(&report).is_empty());
    let (code, _) = run(&["scan", "--select", "Z999", "examples/shop"]);
    assert_eq!(code, 2, "a selection that names no rule is a usage error");
}

#[test]
fn a_missing_target_is_exit_2() {
    let output = rampart().args(["scan", "no/such/folder"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no/such/folder"));
}

#[test]
fn bad_input_becomes_errors_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(repo().join("crates/rampart/tests/data/bad")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    // A 100 MB file, sparse so the test stays cheap: refused by size before it is read.
    let huge = std::fs::File::create(dir.path().join("huge.yaml")).unwrap();
    huge.set_len(100 * 1024 * 1024).unwrap();
    // Unreadable whatever the user's rights (tests may run as root): a dangling symlink.
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        dir.path().join("gone.yaml"),
        dir.path().join("dangling.yaml"),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(".", dir.path().join("loop")).unwrap();
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    std::fs::write(dir.path().join("deep.json"), deep).unwrap();
    let target = dir.path().to_str().unwrap();
    let (code, report) = json_scan(&["--fail-on", "never", target]);
    assert_eq!(code, 0);
    let errors = report["errors"].as_array().unwrap();
    let error_for = |file: &str| {
        errors
            .iter()
            .find(|e| e["path"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("no error for {file}: {errors:#?}"))
    };
    assert!(
        error_for("invalid.yaml")["message"]
            .as_str()
            .unwrap()
            .contains("invalid YAML")
    );
    assert!(
        error_for("alias-bomb.yaml")["message"]
            .as_str()
            .unwrap()
            .contains("alias")
    );
    assert!(error_for("deep.yaml")["line"].is_u64());
    assert!(
        error_for("binary.yaml")["message"]
            .as_str()
            .unwrap()
            .contains("binary")
    );
    assert!(
        error_for("huge.yaml")["message"]
            .as_str()
            .unwrap()
            .contains("limit")
    );
    let wrong = errors
        .iter()
        .filter(|e| e["path"].as_str().unwrap().ends_with("wrong-types.yaml"))
        .collect::<Vec<_>>();
    assert_eq!(wrong.len(), 3, "{wrong:#?}");
    assert_eq!(wrong[0]["line"], 7);
    assert!(
        wrong[0]["message"]
            .as_str()
            .unwrap()
            .contains(r#"must be a non-empty array, found string "x""#)
    );
    assert_eq!(wrong[1]["line"], 20);
    assert_eq!(wrong[2]["line"], 22);
    assert!(
        wrong[2]["message"]
            .as_str()
            .unwrap()
            .contains("`/spec` is required")
    );
    #[cfg(unix)]
    assert!(
        error_for("dangling.yaml")["message"]
            .as_str()
            .unwrap()
            .contains("cannot read")
    );
    assert_eq!(
        error_for("deep.json")["message"],
        "invalid JSON: nesting deeper than 128 levels"
    );
    assert!(
        error_for("wrong-kind.yaml")["message"]
            .as_str()
            .unwrap()
            .contains("v1 serves no kind Deployment: the API server refuses it")
    );
    #[cfg(unix)]
    assert!(
        error_for("loop")["message"]
            .as_str()
            .unwrap()
            .contains("symbolic link loop")
    );
    for valid in ["quoted-status.yaml", "stream.json", "renovate.json"] {
        assert!(
            errors
                .iter()
                .all(|e| !e["path"].as_str().unwrap().ends_with(valid)),
            "{valid}: {errors:#?}"
        );
    }
    for (survivor, privileged) in [
        ("good.yaml", 1),
        ("quoted-status.yaml", 1),
        ("stream.json", 2),
    ] {
        let codes = codes_at(&report, survivor);
        let found = codes.iter().filter(|code| *code == "K101").count();
        assert_eq!(found, privileged, "{survivor}: {report:#}");
    }
    assert_eq!(
        report["summary"]["errors"].as_u64().unwrap() as usize,
        errors.len()
    );

    // Every format carries the errors.
    for format in ["table", "sarif", "junit"] {
        let (_, text) = run(&["scan", "--fail-on", "never", "--format", format, target]);
        assert!(
            text.contains("alias-bomb.yaml"),
            "{format} omits the errors"
        );
    }
}

#[test]
fn mistyped_and_missing_fields_are_errors_with_pointer_and_line() {
    let path = "crates/rampart/tests/data/bad/shapes.yaml";
    let (_, report) = json_scan(&["--fail-on", "never", path]);
    let errors: Vec<(u64, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["path"], path);
            (e["line"].as_u64().unwrap(), e["message"].as_str().unwrap())
        })
        .collect();
    let no_api_version = "document has no `apiVersion`, so it is not read as a Kubernetes \
                          object; the API server needs both `apiVersion` and `kind` as strings";
    assert_eq!(
        errors,
        [
            (
                9,
                r#"Pod shop/mistyped: `/spec/hostNetwork` must be a boolean, found string "true""#
            ),
            (
                11,
                r#"Pod shop/mistyped: `/spec/securityContext/runAsUser` must be an integer, found string "0""#
            ),
            (
                12,
                r#"Pod shop/mistyped: `/spec/securityContext/runAsNonRoot` must be a boolean, found string "true""#
            ),
            (
                17,
                r#"Pod shop/mistyped: `/spec/containers/0/securityContext/privileged` must be a boolean, found string "true""#
            ),
            (
                19,
                r#"Pod shop/mistyped: `/spec/containers/0/securityContext/capabilities/add` must be an array, found string "SYS_ADMIN""#
            ),
            (
                21,
                "Pod shop/mistyped: `/spec/containers/0/ports/0/containerPort` must be a port number from 1 to 65535, found number 70000"
            ),
            (
                28,
                "Deployment shop/no-template: `/spec/template` is required"
            ),
            (33, "Pod shop/(unnamed): `/metadata/name` is required"),
            (
                37,
                "Pod shop/(unnamed): `/spec/containers/0/name` is required"
            ),
            (
                41,
                r#"Pod (unnamed): `/metadata` must be an object, found string "oops""#
            ),
            (
                53,
                "Deployment shop/null-containers: `/spec/template/spec/containers` must be a non-empty array, found null"
            ),
            (55, no_api_version),
            (
                68,
                "Pod shop/bad-images: `/spec/containers/0/image` is required"
            ),
            (
                70,
                r#"Pod shop/bad-images: `/spec/containers/1/image` must be an image reference, found string "" (empty image reference)"#
            ),
            (
                72,
                r#"Pod shop/bad-images: `/spec/containers/2/image` must be an image reference, found string "Registry.Example.com/App:1" (repository names are lower case)"#
            ),
        ]
    );
    // The valid object in the same file is scanned as usual.
    let privileged: Vec<_> = findings(&report)
        .iter()
        .filter(|f| f["code"] == "K101")
        .map(|f| f["subject"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(privileged, ["valid-neighbour"]);

    // `rampart pss` still evaluates a mistyped pod, and shows why its verdict may mislead.
    let (_, text) = run(&["pss", "--level", "restricted", path]);
    assert!(text.contains("DENIED   Pod shop/mistyped"), "{text}");
    assert!(
        text.contains(&format!(
            "error    {path}:12: Pod shop/mistyped: `/spec/securityContext/runAsNonRoot` must be a boolean, found string \"true\""
        )),
        "{text}"
    );
}

#[test]
fn standard_input_and_kubectl_lists_are_scanned() {
    let list = r#"{"apiVersion":"v1","kind":"List","items":[
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"from-list","namespace":"shop"},
       "spec":{"containers":[{"name":"a","image":"x:1","securityContext":{"privileged":true}}]}}]}"#;
    let output = rampart()
        .args(["scan", "--format", "json", "--select", "K101", "-"])
        .write_stdin(list)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let finding = &findings(&report)[0];
    assert_eq!(finding["location"]["path"], "-");
    assert_eq!(finding["location"]["line"], 3);
    assert_eq!(finding["subject"]["name"], "from-list");
}

#[test]
fn helm_findings_name_their_template() {
    let (_, report) = json_scan(&["--select", "K101", "crates/rampart/tests/data/helm"]);
    let finding = &findings(&report)[0];
    assert_eq!(
        finding["location"]["template"],
        "shop/templates/deployment.yaml"
    );
    assert_eq!(finding["location"]["line"], 25);
}

#[test]
fn annotations_config_and_baselines_suppress_and_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("pods.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\n  namespace: ops\n  annotations:\n    rampart.dev/ignore: \"K101 -- needs the host, ticket OPS-7\"\n\
         spec:\n  containers: [{name: a, image: x, securityContext: {privileged: true}}]\n---\n\
         apiVersion: v1\nkind: Pod\nmetadata:\n  name: legacy\n  namespace: ops\n\
         spec:\n  containers: [{name: a, image: x, securityContext: {privileged: true}}]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("rampart.toml"),
        "[rules]\nselect = [\"K101\", \"K146\"]\n\n[[exclude]]\nrules = [\"K146\"]\nnamespaces = [\"ops\"]\nreason = \"ops runs bare pods on purpose\"\n",
    )
    .unwrap();
    let target = manifest.to_str().unwrap();
    let (code, report) = json_scan(&[target]);
    assert_eq!(code, 1);
    let remaining: Vec<_> = findings(&report)
        .iter()
        .map(|f| (f["code"].clone(), f["subject"]["name"].clone()))
        .collect();
    assert_eq!(remaining, [(Value::from("K101"), Value::from("legacy"))]);
    assert_eq!(report["summary"]["suppressed"], 3);
    assert_eq!(
        report["summary"]["suppressed_by"]["annotation: needs the host, ticket OPS-7"],
        1
    );
    assert_eq!(
        report["summary"]["suppressed_by"]["config: ops runs bare pods on purpose"],
        2
    );

    let baseline = dir.path().join("baseline.json");
    let baseline = baseline.to_str().unwrap();
    assert_eq!(run(&["scan", "--write-baseline", baseline, target]).0, 1);
    let (code, report) = json_scan(&["--baseline", baseline, target]);
    assert_eq!(code, 0, "only findings outside the baseline fail");
    assert!(findings(&report).is_empty());
    assert_eq!(report["summary"]["suppressed_by"]["baseline"], 1);
}

#[test]
fn a_bad_config_file_is_exit_2() {
    let cases = [
        ("[[exclude]]\nrules = [\"K101\"]\n", "reason"),
        ("[[exclude]]\nreason = \"everything\"\n", "at least one of"),
        (
            "[[exclude]]\nrules = [\"K1433\"]\nreason = \"typo\"\n",
            "K1433",
        ),
        ("[rules]\nselect = [\"Z1\"]\n", "Z1"),
        ("[optoins]\n", "unknown field"),
    ];
    for (config, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rampart.toml"), config).unwrap();
        let output = rampart()
            .args(["scan", dir.path().to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{config}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{config}: {stderr}");
    }
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.sarif");
    let (code, stdout) = run(&[
        "scan",
        "--format",
        "sarif",
        "--output",
        out.to_str().unwrap(),
        "examples/shop",
    ]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn pss_reports_verdicts_per_object_as_upstream_names_them() {
    let (code, stdout) = run(&[
        "pss",
        "--level",
        "baseline",
        "--format",
        "json",
        "examples/shop",
    ]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let results = report["results"].as_array().unwrap();
    let verdict = |name: &str| {
        results
            .iter()
            .find(|r| r["object"]["name"] == name)
            .unwrap()
    };
    assert_eq!(verdict("catalog")["allowed"], true);
    let debug = verdict("debug-shell");
    assert_eq!(debug["allowed"], false);
    let checks: Vec<_> = debug["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["check"].clone())
        .collect();
    assert_eq!(
        checks,
        [
            Value::from("capabilities_baseline"),
            Value::from("hostNamespaces")
        ]
    );
    assert_eq!(
        debug["violations"][1]["message"],
        "host namespaces (hostPID=true)"
    );
    let (code, _) = run(&[
        "pss",
        "--level",
        "baseline",
        "examples/shop/k8s/catalog.yaml",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        run(&[
            "pss",
            "--level",
            "baseline",
            "--version",
            "v2.0",
            "examples/shop"
        ])
        .0,
        2
    );
}

#[test]
fn rule_pages_and_docs_are_generated_from_the_rules() {
    let (code, page) = run(&["rule", "k101"]);
    assert_eq!(code, 0);
    assert!(page.contains("## What it checks") && page.contains("CIS: 5.2.2"));
    assert_eq!(run(&["rule", "K999"]).0, 2);

    let (_, markdown) = run(&["rules", "--format", "markdown"]);
    let docs = repo().join("docs/rules.md");
    let committed = std::fs::read_to_string(&docs).unwrap_or_default();
    if committed != markdown {
        if std::env::var_os("RAMPART_UPDATE_DOCS").is_some() {
            std::fs::write(&docs, &markdown).unwrap();
        } else {
            panic!(
                "docs/rules.md is stale: run `RAMPART_UPDATE_DOCS=1 cargo test -p rampart --test cli`"
            );
        }
    }
}

#[test]
fn gitignore_and_rampartignore_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec:\n  containers: [{name: a, image: x:1, securityContext: {privileged: true}}]\n";
    for folder in ["kept", "generated", "vendor"] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join("pod.yaml"), pod).unwrap();
    }
    std::fs::write(dir.path().join(".gitignore"), "generated/\n").unwrap();
    std::fs::write(dir.path().join(".rampartignore"), "vendor/\n").unwrap();
    let (_, report) = json_scan(&["--select", "K101", dir.path().to_str().unwrap()]);
    let paths: Vec<_> = findings(&report)
        .iter()
        .map(|f| f["location"]["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paths.len(), 1, "{paths:?}");
    assert!(paths[0].ends_with("kept/pod.yaml"));
    assert_eq!(report["summary"]["files"], 1);
}

#[test]
fn a_general_rule_reports_everything_when_the_specific_one_is_not_selected() {
    let payments = "examples/shop/k8s/payments.yaml";
    // In a full scan NET_ADMIN is K144's (dangerous capability) and K105 stays silent on it.
    let (_, full) = json_scan(&["--fail-on", "never", payments]);
    assert!(codes_at(&full, "payments.yaml").contains(&"K144".to_owned()));
    assert!(!codes_at(&full, "payments.yaml").contains(&"K105".to_owned()));
    // Without K144, K105 reports it, so `scan --select K10` agrees with `pss --level baseline`.
    let (_, only_pss) = json_scan(&["--fail-on", "never", "--select", "K10", payments]);
    let k105: Vec<_> = findings(&only_pss)
        .iter()
        .filter(|f| f["code"] == "K105")
        .collect();
    assert_eq!(k105.len(), 1, "{only_pss:#}");
    assert!(k105[0]["message"].as_str().unwrap().contains("NET_ADMIN"));
}

#[test]
fn fingerprints_survive_other_folders_and_reordered_containers() {
    let dir = tempfile::tempdir().unwrap();
    let pod = |containers: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: x}}\nspec:\n  containers:\n{containers}"
        )
    };
    let app = "  - {name: app, image: x:1, securityContext: {privileged: true}}\n";
    let sidecar = "  - {name: sidecar, image: y:1}\n";
    std::fs::write(dir.path().join("a.yaml"), pod(app)).unwrap();
    std::fs::create_dir(dir.path().join("moved")).unwrap();
    std::fs::write(
        dir.path().join("moved/b.yaml"),
        pod(&format!("{sidecar}{app}")),
    )
    .unwrap();
    let fingerprint = |target: &Path, cwd: &Path| {
        let output = rampart()
            .current_dir(cwd)
            .args(["scan", "--format", "json", "--select", "K101"])
            .arg(target)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        report["findings"][0]["fingerprint"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let original = fingerprint(Path::new("a.yaml"), dir.path());
    assert_eq!(original, fingerprint(&dir.path().join("a.yaml"), &repo()));
    // Another file, a sidecar inserted before the container: the same finding.
    assert_eq!(original, fingerprint(Path::new("moved/b.yaml"), dir.path()));
}

#[test]
fn rewriting_a_baseline_keeps_what_it_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let baseline = baseline.to_str().unwrap();
    let target = "examples/shop/k8s/payments.yaml";
    assert_eq!(run(&["scan", "--write-baseline", baseline, target]).0, 1);
    let first: Value = serde_json::from_str(&std::fs::read_to_string(baseline).unwrap()).unwrap();
    let accepted = first["findings"].as_array().unwrap().len();
    assert!(accepted > 3);
    let (code, _) = run(&[
        "scan",
        "--baseline",
        baseline,
        "--write-baseline",
        baseline,
        target,
    ]);
    assert_eq!(code, 0);
    let second: Value = serde_json::from_str(&std::fs::read_to_string(baseline).unwrap()).unwrap();
    assert_eq!(second["findings"].as_array().unwrap().len(), accepted);
}

#[test]
fn bad_bytes_on_standard_input_are_an_error_entry_not_a_failed_scan() {
    let output = rampart()
        .args(["scan", "--format", "json", "--fail-on", "never", "-"])
        .write_stdin(b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n".to_vec())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["errors"][0]["path"], "-");
    assert_eq!(report["errors"][0]["line"], 3);
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("UTF-8")
    );
}

#[test]
fn dot_folders_are_scanned_and_vcs_metadata_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec:\n  containers: [{name: a, image: x:1, securityContext: {privileged: true}}]\n";
    for folder in [".deploy", ".git"] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join("pod.yaml"), pod).unwrap();
    }
    let (_, report) = json_scan(&["--select", "K101", dir.path().to_str().unwrap()]);
    assert_eq!(report["summary"]["files"], 1);
    assert!(
        findings(&report)[0]["location"]["path"]
            .as_str()
            .unwrap()
            .ends_with(".deploy/pod.yaml")
    );
}

#[test]
fn config_is_found_from_a_bare_file_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("k8s")).unwrap();
    std::fs::write(
        dir.path().join("k8s/pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec:\n  containers: [{name: a, image: x:1, securityContext: {privileged: true}}]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("rampart.toml"),
        "[rules]\nselect = [\"K146\"]\n",
    )
    .unwrap();
    let output = rampart()
        .current_dir(dir.path().join("k8s"))
        .args(["scan", "--format", "json", "pod.yaml"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<_> = findings(&report)
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["K146"],
        "the config one folder up selects only K146"
    );
}

#[test]
fn kustomizations_are_rendered_and_their_files_not_scanned_as_manifests() {
    let dir = tempfile::tempdir().unwrap();
    let (base, overlay) = (dir.path().join("base"), dir.path().join("overlay"));
    std::fs::create_dir(&base).unwrap();
    std::fs::create_dir(&overlay).unwrap();
    std::fs::write(
        base.join("kustomization.yaml"),
        "resources: [deployment.yaml]\n",
    )
    .unwrap();
    std::fs::write(
        base.join("deployment.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n",
    )
    .unwrap();
    std::fs::write(
        overlay.join("kustomization.yaml"),
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../base]\nnamePrefix: prod-\n\
         patches:\n  - path: ./replicas.yaml\n  - patch: |\n      - op: add\n        path: /spec/paused\n        value: true\n    target: {kind: Deployment}\n\
         patchesStrategicMerge: [limits.yaml]\n",
    )
    .unwrap();
    let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: web, resources: {limits: {cpu: 500m}}}]\n";
    std::fs::write(overlay.join("limits.yaml"), patch).unwrap();
    std::fs::write(
        overlay.join("replicas.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n",
    )
    .unwrap();
    // Walked from the folder itself, as `.`: the overlay is built (the base is part of it,
    // not a world of its own), and patches and base are not read as manifests.
    let output = rampart()
        .current_dir(dir.path())
        .args(["scan", "--format", "json", "--fail-on", "never", "."])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["errors"], Value::Array(Vec::new()), "{report:#}");
    assert_eq!(
        report["summary"]["objects"], 1,
        "only the overlay's Deployment"
    );
    let on_web: Vec<&Value> = findings(&report)
        .iter()
        .filter(|f| f["subject"]["name"] == "prod-web")
        .collect();
    assert!(!on_web.is_empty(), "{report:#}");
    // Findings point into the base file that holds the container.
    assert!(
        on_web
            .iter()
            .all(|f| f["location"]["path"] == "base/deployment.yaml"),
        "{on_web:#?}"
    );
    // The strategic merge patch gave the container its CPU limit.
    assert!(
        !on_web.iter().any(|f| f["code"] == "K133"),
        "cpu limit set by the patch: {on_web:#?}"
    );
    // Named explicitly, a patch is read like any file, and its gaps are reported.
    let (_, report) = json_scan(&[
        "--fail-on",
        "never",
        overlay.join("limits.yaml").to_str().unwrap(),
    ]);
    assert!(!report["errors"].as_array().unwrap().is_empty());
}

#[test]
fn a_kustomization_that_cannot_be_built_is_an_error_with_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("kustomization.yaml"),
        "resources:\n- svc.yaml\n- missing.yaml\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("svc.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n",
    )
    .unwrap();
    let output = rampart()
        .current_dir(dir.path())
        .args(["scan", "--format", "json", "--fail-on-errors", "."])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!(errors[0]["path"], "kustomization.yaml");
    assert_eq!(errors[0]["line"], 1);
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("missing.yaml"), "{message}");
}

/// `code path:line pointer message` for each finding and `path:line message` for each error of
/// a JSON report, with `dir/` left off paths and messages.
fn report_lines(report: &Value, dir: &str) -> (Vec<String>, Vec<String>) {
    let strip = |text: &str| text.replace(&format!("{dir}/"), "");
    let findings = findings(report)
        .iter()
        .map(|f| {
            strip(&format!(
                "{} {}:{} {} {}",
                f["code"].as_str().unwrap(),
                f["location"]["path"].as_str().unwrap(),
                f["location"]["line"],
                f["pointer"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            ))
        })
        .collect();
    let errors = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            strip(&format!(
                "{}:{} {}",
                e["path"].as_str().unwrap(),
                e["line"],
                e["message"].as_str().unwrap()
            ))
        })
        .collect();
    (findings, errors)
}

#[test]
fn control_plane_files_are_judged_where_their_flags_point() {
    let dir = "crates/rampart-rules/fixtures/control-plane/encryption-identity-first";
    let (code, report) = json_scan(&["--select", "K4", dir]);
    assert_eq!(code, 1);
    let (mut findings, errors) = report_lines(&report, dir);
    assert_eq!(errors, Vec::<String>::new());
    // File modes (K430-K469) are the checkout's, not the fixture's.
    findings.retain(|f| !(f.as_str() >= "K43" && f.as_str() < "K47"));
    // Hardened flags throughout: every finding is about the content of a file a flag names,
    // told with the flag and the manifest line that names it (in path order). The kubeconfigs
    // are fine.
    assert_eq!(
        findings,
        [
            "K483 etc/kubernetes/admission.yaml:14 /plugins/0/configuration/exemptions/namespaces/1 \
             every pod in namespace `monitoring` is exempt from Pod Security admission; read by \
             kube-apiserver `--admission-control-config-file=/etc/kubernetes/admission.yaml` \
             (etc/kubernetes/manifests/kube-apiserver.yaml:23): remove the exemption and label the \
             namespace that needs a lower level instead",
            "K479 etc/kubernetes/audit-policy.yaml:21 /rules/3/level this rule is the first to \
             match requests on configmaps and logs them at `RequestResponse`, bodies included; read \
             by kube-apiserver `--audit-policy-file=/etc/kubernetes/audit-policy.yaml` \
             (etc/kubernetes/manifests/kube-apiserver.yaml:42): log these resources at `Metadata` \
             in a rule above it",
            "K475 etc/kubernetes/enc/encryption-config.yaml:9 /resources/0/providers/0/identity \
             `identity` is the first provider of the entry covering `secrets` (/resources/0), so \
             new Secrets are written to etcd unencrypted; later providers only decrypt; read by \
             kube-apiserver `--encryption-provider-config=/etc/kubernetes/enc/encryption-config.yaml` \
             (etc/kubernetes/manifests/kube-apiserver.yaml:46): put an encrypting provider first",
        ]
    );
    assert_eq!(
        report["summary"]["files"], 10,
        "kubeadm's *.conf kubeconfigs are read"
    );
}

#[test]
fn broken_control_plane_files_are_errors_at_their_line() {
    let dir = "crates/rampart/tests/data/broken-control-plane";
    let (_, report) = json_scan(&["--select", "K4", dir]);
    let (findings, errors) = report_lines(&report, dir);
    assert_eq!(
        errors,
        [
            "etc/kubernetes/audit.yaml:4 Policy `/rules/0/level`: `Secret` is not a level: None, \
             Metadata, Request or RequestResponse",
            "etc/kubernetes/enc.yaml:6 EncryptionConfiguration `/resources/0/providers/0`: names no \
             provider rampart or the API server knows (found `aes256`); expected one of kms, \
             aescbc, aesgcm, secretbox, identity",
            "etc/kubernetes/enc.yaml:8 EncryptionConfiguration `/resources/1/resources`: must be a \
             list, found string",
            "etc/kubernetes/manifests/kube-apiserver.yaml:14 \
             `--admission-control-config-file=/etc/kubernetes/admission.yaml` names a file that is \
             not in the scan (looked for etc/kubernetes/admission.yaml): the \
             AdmissionConfiguration is not checked",
            "etc/kubernetes/manifests/kube-apiserver.yaml:15 \
             `--authentication-token-webhook-config-file=/etc/kubernetes/audit.yaml` names \
             etc/kubernetes/audit.yaml, which holds Policy (audit.k8s.io/v1) instead of the \
             kubeconfig expected there; its settings are not checked",
        ]
    );
    // Files the API server would refuse are reported, not judged.
    assert!(
        findings
            .iter()
            .all(|f| f.contains("manifests/kube-apiserver.yaml")),
        "{findings:#?}"
    );
}

#[test]
fn demo_shop_dockerfiles_are_scanned_with_evidence() {
    let (_, report) = json_scan(&["--select", "D", "examples/shop"]);
    assert!(report["errors"].as_array().unwrap().is_empty());
    // The hardened reference image stays clean.
    assert_eq!(
        codes_at(&report, "services/catalog/Dockerfile"),
        Vec::<String>::new()
    );
    let root = findings(&report)
        .iter()
        .find(|f| {
            f["code"] == "D101"
                && f["location"]["path"] == "examples/shop/services/payments/Dockerfile"
        })
        .expect("the payments image runs as root");
    assert_eq!(root["location"]["line"], 3);
    assert_eq!(root["location"]["column"], 1);
    assert_eq!(root["pointer"], "/stages/0/instructions/0");
    assert_eq!(root["subject"]["platform"], "dockerfile");
    assert_eq!(root["subject"]["kind"], "Dockerfile");
    // Relative to the repository (the scanned folder when there is no `.git`).
    let name = root["subject"]["name"].as_str().unwrap();
    assert!(name.ends_with("services/payments/Dockerfile"), "{name}");
    assert_eq!(root["layer"], "container");
    assert_eq!(root["references"]["cis_docker"][0], "4.1");
    assert!(
        root["equivalents"]
            .as_array()
            .unwrap()
            .contains(&"hadolint:DL3002".into())
    );
    // The deploy key's COPY is suppressed by its comment, with the reason counted.
    assert!(!codes_at(&report, "services/payments/Dockerfile").contains(&"D109".to_owned()));
    let suppressed = report["summary"]["suppressed_by"].as_object().unwrap();
    assert!(
        suppressed.contains_key(
            "comment: deploy key for the vendored SDK checkout, rotated monthly (SEC-88)"
        ),
        "{suppressed:?}"
    );
}

#[test]
fn bad_dockerfile_lines_are_errors_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Containerfile"),
        "FROM alpine:3.20\nFOO bar\nCMD [\"sh\"\nRUN sudo true\n# rampart:ignore D999\nRUN true\n",
    )
    .unwrap();
    let target = dir.path().to_str().unwrap();
    let (_, report) = json_scan(&["--fail-on", "never", "--select", "D111", target]);
    let errors: Vec<(u64, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors[0].1.contains("unknown instruction `FOO`"));
    assert_eq!(errors[1].0, 3);
    assert_eq!(errors[2].0, 5, "an ignore comment naming no rule");
    assert_eq!(codes_at(&report, "Containerfile"), ["D111"]);
}

#[test]
fn completions_and_the_manual_page_come_from_the_flags() {
    let (code, bash) = run(&["completions", "bash"]);
    assert_eq!(code, 0);
    for word in [
        "netpol",
        "connlist",
        "escalations",
        "--fail-on",
        "--baseline",
    ] {
        assert!(bash.contains(word), "bash completions lack {word}");
    }
    // Bash itself accepts the script and registers the completion.
    let script = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(script.path(), &bash).unwrap();
    let registered = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {} && complete -p rampart",
            script.path().display()
        ))
        .output()
        .unwrap();
    assert!(
        registered.status.success(),
        "{}",
        String::from_utf8_lossy(&registered.stderr)
    );
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let (code, script) = run(&["completions", shell]);
        assert!(code == 0 && script.contains("escalations"), "{shell}");
    }
    let (code, man) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(man.contains("\n.TH rampart 1 "), "{man}");
    // Every command is listed in the page's SUBCOMMANDS section.
    for command in ["scan", "netpol", "iam", "completions"] {
        assert!(
            man.contains(&format!("rampart\\-{command}(1)")),
            "{command}: {man}"
        );
    }
}
