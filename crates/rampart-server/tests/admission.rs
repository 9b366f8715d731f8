//! The webhook over HTTPS on loopback, asked as the API server asks: verdicts, warnings, dry
//! runs, suppressions, exemptions, updates, malformed bodies, and the shape of every answer
//! against `admission.k8s.io/v1`.

mod support;

use rampart_core::Severity;
use rampart_scan::Config;
use rampart_server::{Exemptions, OnError, Policy};
use serde_json::{Value, json};
use support::*;

/// Checks a whole AdmissionReview (request or answer) against the v1 shapes.
fn assert_shape(review: &Value) {
    let schema: Value =
        serde_json::from_str(include_str!("data/admission-review-v1.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(review)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{review:#}");
}

/// Posts the review, checks both halves against the v1 shapes, returns the response.
fn ask(webhook: &Webhook, request: &Value) -> Value {
    assert_shape(request);
    let response = webhook.review(request);
    assert_shape(
        &json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": response}),
    );
    response
}

fn warnings(response: &Value) -> Vec<String> {
    response["warnings"]
        .as_array()
        .map(|w| w.iter().map(|w| w.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

#[test]
fn a_privileged_pod_is_denied_naming_the_rule() {
    let webhook = Webhook::start(Policy::default());
    let response = ask(
        &webhook,
        &review("4f1c-deny", "CREATE", privileged_pod("web"), Value::Null),
    );
    assert_eq!(response["allowed"], false);
    assert_eq!(response["uid"], "4f1c-deny");
    assert_eq!(response["status"]["code"], 403);
    let message = response["status"]["message"].as_str().unwrap();
    assert_eq!(codes_in(message), ["K101"], "{message}");
    assert!(
        message.contains("/spec/containers/0/securityContext/privileged"),
        "{message}"
    );
    // Findings below the threshold are warnings, not reasons.
    assert!(
        warnings(&response)
            .iter()
            .any(|w| w.starts_with("K146 bare-pod (low)"))
    );
    assert_eq!(response["auditAnnotations"]["rules"], "K101,K146");
}

#[test]
fn findings_below_the_threshold_are_warnings_and_the_threshold_is_configurable() {
    let webhook = Webhook::start(Policy::default());
    let response = ask(
        &webhook,
        &review("u-warn", "CREATE", hardened_pod("web"), Value::Null),
    );
    assert_eq!(response["allowed"], true);
    assert!(response.get("status").is_none(), "{response}");
    let warnings = warnings(&response);
    assert!(
        warnings[0].starts_with("K146 bare-pod (low) at /kind:"),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("not evaluated") && w.contains("K201-K212")),
        "{warnings:?}"
    );

    let strict = Webhook::start(Policy {
        deny_on: Severity::Low,
        ..Policy::default()
    });
    let response = ask(
        &strict,
        &review("u-strict", "CREATE", hardened_pod("web"), Value::Null),
    );
    assert_eq!(response["allowed"], false);
    let message = response["status"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("rampart denied this Pod (1 finding at or above low: K146)"),
        "{message}"
    );
}

#[test]
fn a_dry_run_is_answered_as_the_real_request() {
    let webhook = Webhook::start(Policy::default());
    for pod in [privileged_pod("web"), hardened_pod("web")] {
        let real = review("u-dry", "CREATE", pod, Value::Null);
        let mut dry = real.clone();
        dry["request"]["dryRun"] = json!(true);
        assert_eq!(ask(&webhook, &real), ask(&webhook, &dry));
    }
}

#[test]
fn an_annotation_suppresses_as_in_a_scan() {
    let webhook = Webhook::start(Policy::default());
    let mut pod = privileged_pod("web");
    pod["metadata"]["annotations"] =
        json!({"rampart.dev/ignore": "K101 -- the node agent needs the host's devices"});
    let response = ask(&webhook, &review("u-ann", "CREATE", pod, Value::Null));
    assert_eq!(response["allowed"], true, "{response}");
    assert!(
        !warnings(&response).iter().any(|w| w.contains("K101")),
        "{response}"
    );
    // An annotation naming another rule silences nothing here.
    let mut pod = privileged_pod("web");
    pod["metadata"]["annotations"] = json!({"rampart.dev/ignore": "K102 -- not this one"});
    let response = ask(&webhook, &review("u-ann2", "CREATE", pod, Value::Null));
    assert_eq!(response["allowed"], false);
}

#[test]
fn the_configuration_file_selects_and_excludes_as_in_a_scan() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rampart.toml");
    write(
        &path,
        r#"
[rules]
ignore = ["K146"]

[[exclude]]
rules = ["K101"]
namespaces = ["node-agents"]
reason = "the node agents need the host's devices"
"#,
    );
    let webhook = Webhook::with_config(Policy::default(), Config::load(&path).unwrap());
    let response = ask(
        &webhook,
        &review("u-cfg", "CREATE", hardened_pod("web"), Value::Null),
    );
    assert!(
        !warnings(&response).iter().any(|w| w.contains("K146")),
        "{response}"
    );
    let mut pod = privileged_pod("agent");
    pod["metadata"]["namespace"] = json!("node-agents");
    assert_eq!(
        ask(&webhook, &review("u-cfg2", "CREATE", pod, Value::Null))["allowed"],
        true
    );
    let response = ask(
        &webhook,
        &review("u-cfg3", "CREATE", privileged_pod("web"), Value::Null),
    );
    assert_eq!(response["allowed"], false);
}

#[test]
fn an_update_is_refused_only_for_what_it_brings() {
    let webhook = Webhook::start(Policy::default());
    // Already privileged before: allowed, the finding a warning that says so.
    let response = ask(
        &webhook,
        &review(
            "u-upd",
            "UPDATE",
            privileged_pod("web"),
            privileged_pod("web"),
        ),
    );
    assert_eq!(response["allowed"], true, "{response}");
    assert!(
        warnings(&response)
            .iter()
            .any(|w| w.starts_with("K101 ") && w.ends_with("[present before this update]")),
        "{response}"
    );
    // Made privileged by the update: denied.
    let response = ask(
        &webhook,
        &review(
            "u-upd2",
            "UPDATE",
            privileged_pod("web"),
            hardened_pod("web"),
        ),
    );
    assert_eq!(response["allowed"], false);
    // Deleting is never refused.
    let response = ask(
        &webhook,
        &review("u-del", "DELETE", Value::Null, privileged_pod("web")),
    );
    assert_eq!(response, json!({"uid": "u-del", "allowed": true}));
}

#[test]
fn controllers_pods_take_the_request_namespace() {
    let webhook = Webhook::start(Policy {
        exempt: Exemptions {
            namespaces: vec!["kube-system".to_owned()],
            ..Exemptions::default()
        },
        ..Policy::default()
    });
    let mut pod = privileged_pod("proxy-x7k2");
    pod["metadata"].as_object_mut().unwrap().remove("namespace");
    let mut request = review("u-ns", "CREATE", pod, Value::Null);
    request["request"]["namespace"] = json!("kube-system");
    let response = ask(&webhook, &request);
    assert_eq!(response["allowed"], true);
    assert_eq!(
        response["auditAnnotations"]["exempt"],
        "namespace kube-system"
    );
}

#[test]
fn exemptions_by_namespace_user_group_and_label() {
    let webhook = Webhook::start(Policy {
        exempt: Exemptions {
            namespaces: vec!["kube-system".to_owned()],
            users: vec!["system:serviceaccount:ops:deployer".to_owned()],
            groups: vec!["system:nodes".to_owned()],
            labels: vec!["rampart.dev/exempt=true".parse().unwrap()],
        },
        ..Policy::default()
    });
    let denied = review("u-x", "CREATE", privileged_pod("web"), Value::Null);
    assert_eq!(ask(&webhook, &denied)["allowed"], false);

    let mut by_user = denied.clone();
    by_user["request"]["userInfo"]["username"] = json!("system:serviceaccount:ops:deployer");
    let mut by_group = denied.clone();
    by_group["request"]["userInfo"]["groups"] = json!(["system:nodes", "system:authenticated"]);
    let mut pod = privileged_pod("web");
    pod["metadata"]["labels"]["rampart.dev/exempt"] = json!("true");
    let by_label = review("u-x", "CREATE", pod, Value::Null);
    let mut wrong_value = privileged_pod("web");
    wrong_value["metadata"]["labels"]["rampart.dev/exempt"] = json!("yes");
    for (request, reason) in [
        (by_user, Some("user system:serviceaccount:ops:deployer")),
        (by_group, Some("group system:nodes")),
        (by_label, Some("label rampart.dev/exempt=true")),
        (review("u-x", "CREATE", wrong_value, Value::Null), None),
    ] {
        let response = ask(&webhook, &request);
        assert_eq!(response["allowed"], reason.is_some(), "{response}");
        assert_eq!(response["auditAnnotations"]["exempt"].as_str(), reason);
    }
}

#[test]
fn malformed_requests_are_answered_and_the_server_goes_on() {
    let webhook = Webhook::start(Policy::default());
    // Not JSON, not a review, an old version: 400 with the reason.
    for (body, reason) in [
        (&b"\x00\xffnot json"[..], "not an AdmissionReview"),
        (br#"{"kind":"Pod"}"#, "not an AdmissionReview"),
        (
            br#"{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{}}"#,
            "not an AdmissionReview",
        ),
        (
            br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}"#,
            "holds no `request`",
        ),
    ] {
        let (status, text) = webhook.post(body);
        assert_eq!(status, 400, "{text}");
        assert!(text.contains(reason), "{text}");
    }
    // A request with its uid but an object rampart cannot read: an AdmissionReview refusing
    // it (the default), or allowing it with a warning.
    let mut broken = review(
        "u-broken",
        "CREATE",
        json!({"metadata": {"name": "x"}, "spec": {}}),
        Value::Null,
    );
    let response = ask(&webhook, &broken);
    assert_eq!(response["allowed"], false);
    assert_eq!(response["status"]["code"], 400);
    assert!(
        response["status"]["message"]
            .as_str()
            .unwrap()
            .contains("cannot judge"),
        "{response}"
    );
    broken["request"]["operation"] = json!("PATCH");
    let (status, text) = webhook.post(broken.to_string().as_bytes());
    assert_eq!(status, 200, "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(answer["response"]["uid"], "u-broken");
    assert_eq!(answer["response"]["allowed"], false);

    let lenient = Webhook::start(Policy {
        on_error: OnError::Allow,
        ..Policy::default()
    });
    broken["request"]["operation"] = json!("CREATE");
    let response = ask(&lenient, &broken);
    assert_eq!(response["allowed"], true);
    assert!(
        warnings(&response)[0].contains("cannot judge"),
        "{response}"
    );
    // Wrong method and path.
    let response = webhook
        .client()
        .get(format!("{}/validate", webhook.base))
        .call()
        .unwrap();
    assert_eq!(response.status(), 405);
    // And the server still answers.
    assert_eq!(webhook.get("/healthz"), "ok\n");
    assert_eq!(
        ask(
            &webhook,
            &review("u-after", "CREATE", privileged_pod("web"), Value::Null)
        )["allowed"],
        false
    );
}

#[test]
fn metrics_count_requests_verdicts_and_latency() {
    let webhook = Webhook::start(Policy::default());
    ask(
        &webhook,
        &review("m1", "CREATE", privileged_pod("web"), Value::Null),
    );
    ask(
        &webhook,
        &review("m2", "CREATE", privileged_pod("web"), Value::Null),
    );
    ask(
        &webhook,
        &review("m3", "CREATE", hardened_pod("web"), Value::Null),
    );
    ask(
        &webhook,
        &review("m4", "DELETE", Value::Null, hardened_pod("web")),
    );
    webhook.post(b"{}");
    let response = webhook
        .client()
        .get(format!("{}/metrics", webhook.base))
        .call()
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = webhook.get("/metrics");
    let value = |series: &str| -> f64 {
        text.lines()
            .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("no {series} in\n{text}"))
    };
    assert_eq!(value("rampart_webhook_requests_total"), 5.0);
    assert_eq!(
        value("rampart_webhook_verdicts_total{verdict=\"denied\"}"),
        2.0
    );
    assert_eq!(
        value("rampart_webhook_verdicts_total{verdict=\"warned\"}"),
        1.0
    );
    assert_eq!(
        value("rampart_webhook_verdicts_total{verdict=\"unjudged\"}"),
        1.0
    );
    assert_eq!(
        value("rampart_webhook_verdicts_total{verdict=\"malformed\"}"),
        1.0
    );
    assert_eq!(value("rampart_webhook_request_duration_seconds_count"), 5.0);
    assert_eq!(
        value("rampart_webhook_request_duration_seconds_bucket{le=\"+Inf\"}"),
        5.0
    );
    assert!(value("rampart_webhook_request_duration_seconds_sum") > 0.0);
    assert_eq!(value("rampart_webhook_skipped_rules"), 27.0);
    // Every sample belongs to a declared family, and buckets never decrease.
    let mut previous = 0.0;
    for line in text.lines().filter(|l| l.contains("_bucket{")) {
        let count: f64 = line.rsplit(' ').next().unwrap().parse().unwrap();
        assert!(count >= previous, "{line}");
        previous = count;
    }
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let name = line.split(['{', ' ']).next().unwrap();
        let family = name
            .trim_end_matches("_bucket")
            .trim_end_matches("_sum")
            .trim_end_matches("_count");
        let family = if text.contains(&format!("# TYPE {name} ")) {
            name
        } else {
            family
        };
        assert!(text.contains(&format!("# TYPE {family} ")), "{line}");
    }
}
