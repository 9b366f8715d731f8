use proptest::prelude::*;
use rampart_source::{Limits, Object, parse_text};

use super::*;

fn objects(text: &str) -> Vec<Object> {
    let (objects, errors) = parse_text("p.yaml", text, &Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    objects
}

/// A Deployment `name` whose pod spec is `spec` (flow YAML).
fn deployment(name: &str, spec: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: ns}}\n\
         spec:\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec: {spec}\n---\n"
    )
}

fn shared(text: &str, a: &str, b: &str) -> Option<String> {
    let objects = objects(text);
    let (placement, diagnostics) = Placement::new(&objects);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let index = |name: &str| {
        placement
            .workloads
            .iter()
            .position(|w| w.name == name)
            .unwrap()
    };
    placement.colocation(index(a), index(b)).map(|c| match c {
        Colocation::Node(node) => node.name.clone(),
        Colocation::Unconstrained => "*".to_owned(),
    })
}

const CONTAINERS: &str = "containers: [{name: c, image: nginx}]";

#[test]
fn without_nodes_only_disjoint_selectors_keep_workloads_apart() {
    let text = deployment("a", &format!("{{nodeSelector: {{zone: a}}, {CONTAINERS}}}"))
        + &deployment("b", &format!("{{nodeSelector: {{zone: b}}, {CONTAINERS}}}"))
        + &deployment("c", &format!("{{{CONTAINERS}}}"))
        + &deployment(
            "d",
            &format!(
                "{{affinity: {{nodeAffinity: {{requiredDuringSchedulingIgnoredDuringExecution: \
                 {{nodeSelectorTerms: [{{matchExpressions: [{{key: zone, operator: NotIn, values: [a]}}]}}]}}}}}}, {CONTAINERS}}}"
            ),
        )
        + &deployment(
            "e",
            &format!(
                "{{affinity: {{nodeAffinity: {{requiredDuringSchedulingIgnoredDuringExecution: \
                 {{nodeSelectorTerms: [{{matchExpressions: [{{key: cpus, operator: Gt, values: [\"8\"]}}]}}, \
                 {{matchExpressions: [{{key: zone, operator: DoesNotExist}}]}}]}}}}}}, {CONTAINERS}}}"
            ),
        );
    assert_eq!(shared(&text, "a", "b"), None);
    assert_eq!(shared(&text, "a", "c").as_deref(), Some("*"));
    assert_eq!(shared(&text, "a", "d"), None);
    assert_eq!(shared(&text, "b", "d").as_deref(), Some("*"));
    // `e` runs on big nodes of any zone, so beside `a` on a big node in zone a.
    assert_eq!(shared(&text, "a", "e").as_deref(), Some("*"));
}

#[test]
fn with_nodes_a_node_must_fit_both() {
    let nodes = "apiVersion: v1\nkind: Node\nmetadata: {name: worker, labels: {pool: general}}\n---\n\
                 apiVersion: v1\nkind: Node\nmetadata: {name: secure, labels: {pool: secure}}\n\
                 spec: {taints: [{key: dedicated, value: secure, effect: NoSchedule}, {key: soft, effect: PreferNoSchedule}]}\n---\n\
                 apiVersion: v1\nkind: Node\nmetadata: {name: cordoned, labels: {pool: secure}}\nspec: {unschedulable: true}\n---\n";
    let text = nodes.to_owned()
        + &deployment(
            "vault",
            &format!(
                "{{nodeSelector: {{pool: secure}}, tolerations: [{{key: dedicated, operator: Equal, value: secure, effect: NoSchedule}}], {CONTAINERS}}}"
            ),
        )
        + &deployment("web", &format!("{{{CONTAINERS}}}"))
        + &deployment(
            "tolerant",
            &format!("{{tolerations: [{{operator: Exists}}], {CONTAINERS}}}"),
        )
        + &deployment("pinned", &format!("{{nodeName: cordoned, {CONTAINERS}}}"))
        + "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: ns}\n\
           spec:\n  template:\n    spec: {containers: [{name: c, image: agent}]}\n";
    // The general node is not in the secure pool; the secure one is tainted against `web`.
    assert_eq!(shared(&text, "vault", "web"), None);
    assert_eq!(
        shared(&text, "vault", "tolerant").as_deref(),
        Some("secure")
    );
    // The DaemonSet does not tolerate the dedicated taint.
    assert_eq!(shared(&text, "vault", "agent"), None);
    assert_eq!(shared(&text, "web", "agent").as_deref(), Some("worker"));
    // A pod given its node by name skips the scheduler and its NoSchedule taints; the
    // DaemonSet tolerates the cordon.
    assert_eq!(
        shared(&text, "pinned", "agent").as_deref(),
        Some("cordoned")
    );
    assert_eq!(shared(&text, "pinned", "web"), None);
}

#[test]
fn hostname_anti_affinity_keeps_pods_apart_both_ways() {
    let anti = "affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: \
                [{topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: b}}}]}}";
    let zone_anti = "affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: \
                     [{topologyKey: zone, labelSelector: {matchLabels: {app: b}}}]}}";
    let text = deployment("a", &format!("{{{anti}, {CONTAINERS}}}"))
        + &deployment("b", &format!("{{{CONTAINERS}}}"))
        + &deployment("z", &format!("{{{zone_anti}, {CONTAINERS}}}"));
    assert_eq!(shared(&text, "a", "b"), None);
    assert_eq!(shared(&text, "b", "a"), None);
    assert_eq!(shared(&text, "z", "b").as_deref(), Some("*"));
}

#[test]
fn node_name_and_match_fields_pin_pods() {
    let fields = "affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: \
                  {nodeSelectorTerms: [{matchFields: [{key: metadata.name, operator: In, values: [n2]}]}]}}}";
    let text = deployment("a", &format!("{{nodeName: n1, {CONTAINERS}}}"))
        + &deployment("b", &format!("{{{fields}, {CONTAINERS}}}"))
        + &deployment("c", &format!("{{nodeName: n2, {CONTAINERS}}}"));
    assert_eq!(shared(&text, "a", "b"), None);
    assert_eq!(shared(&text, "b", "c").as_deref(), Some("*"));
}

#[test]
fn privileged_workloads_carry_their_baseline_reasons() {
    let text = deployment(
        "p",
        "{hostPID: true, containers: [{name: c, image: x, securityContext: {privileged: true}}]}",
    ) + &deployment("q", &format!("{{{CONTAINERS}}}"));
    let objects = objects(&text);
    let (placement, _) = Placement::new(&objects);
    assert_eq!(
        placement.workloads[0].host_access,
        ["host namespaces", "privileged"]
    );
    assert!(placement.workloads[1].host_access.is_empty());
    assert_eq!(placement.workload_of(1), Some(1));
}

#[test]
fn malformed_placement_fields_are_errors_with_lines() {
    let text = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: bad, namespace: ns}
spec:
  template:
    spec:
      containers: [{name: c, image: x}]
      tolerations:
      - {key: a, operator: Exists, value: b}
      - {operator: Equal, value: b}
      - {key: a, effect: Sometimes}
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: cpus, operator: Gt, values: [\"8\", \"9\"]}
              - {key: zone, operator: Near, values: [a]}
            - matchFields:
              - {key: metadata.labels, operator: In, values: [a]}
---
apiVersion: v1
kind: Node
metadata: {name: node-1}
spec:
  taints: [{key: x, effect: Never}]
";
    let objects = objects(text);
    let (placement, diagnostics) = Placement::new(&objects);
    let found: Vec<(u32, &str)> = diagnostics
        .iter()
        .map(|d| (d.line.unwrap_or_default(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                9,
                "Deployment ns/bad: `/spec/template/spec/tolerations/0/value`: a toleration with operator Exists takes no value"
            ),
            (
                10,
                "Deployment ns/bad: `/spec/template/spec/tolerations/1/operator`: a toleration without a key must use operator Exists"
            ),
            (
                11,
                "Deployment ns/bad: `/spec/template/spec/tolerations/2/effect`: unknown taint effect `Sometimes` (NoSchedule, PreferNoSchedule, NoExecute)"
            ),
            (
                17,
                "Deployment ns/bad: `/spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchExpressions/0/values`: operator Gt takes exactly one value"
            ),
            (
                18,
                "Deployment ns/bad: `/spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchExpressions/1/operator`: unknown operator `Near` (In, NotIn, Exists, DoesNotExist, Gt, Lt)"
            ),
            (
                20,
                "Deployment ns/bad: `/spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/1/matchFields/0/key`: `metadata.labels` is not a node field selectors support (only `metadata.name`)"
            ),
            (
                26,
                "Node node-1: `/spec/taints/0/effect`: a taint's effect is NoSchedule, PreferNoSchedule or NoExecute, found `Never`"
            ),
        ]
    );
    // Both terms were rejected: no node fits, as the API server would have refused the pod.
    assert!(placement.workloads[0].constraint.terms.is_empty());
}

#[test]
fn integer_labels_have_many_spellings() {
    let requirement = |operator| NodeRequirement {
        key: NodeKey::Label("n".to_owned()),
        operator,
    };
    let only_seven = [requirement(Operator::Gt(6)), requirement(Operator::Lt(8))];
    assert!(satisfiable(&only_seven));
    // `07` still reads as 7.
    let mut without_seven = only_seven.to_vec();
    without_seven.push(requirement(Operator::NotIn(vec!["7".to_owned()])));
    assert!(satisfiable(&without_seven));
    // Every spelling of 7 that fits in a label value, excluded.
    let spellings: Vec<String> = (0..63)
        .map(|zeros| format!("{}7", "0".repeat(zeros)))
        .collect();
    let mut none_left = only_seven.to_vec();
    none_left.push(requirement(Operator::NotIn(spellings)));
    assert!(!satisfiable(&none_left));
    // Label values carry no sign.
    assert!(!satisfiable(&[requirement(Operator::Lt(0))]));
    assert!(!satisfiable(&[
        requirement(Operator::In(vec!["-5".to_owned()])),
        requirement(Operator::Lt(0))
    ]));
}

const POOL: [&str; 6] = ["1", "2", "7", "07", "x", ""];

fn values() -> impl Strategy<Value = Vec<String>> {
    proptest::sample::subsequence(POOL.to_vec(), 1..=3)
        .prop_map(|v| v.into_iter().map(str::to_owned).collect())
}

fn requirement() -> impl Strategy<Value = NodeRequirement> {
    let label = prop_oneof![Just("a"), Just("b")].prop_map(|k| NodeKey::Label(k.to_owned()));
    let label_requirement = (
        label,
        prop_oneof![
            values().prop_map(Operator::In),
            values().prop_map(Operator::NotIn),
            Just(Operator::Exists),
            Just(Operator::DoesNotExist),
            (-2i64..10).prop_map(Operator::Gt),
            (-2i64..10).prop_map(Operator::Lt),
        ],
    )
        .prop_map(|(key, operator)| NodeRequirement { key, operator });
    let names = proptest::sample::subsequence(vec!["n1", "n2", "x"], 1..=2)
        .prop_map(|v| v.into_iter().map(str::to_owned).collect::<Vec<_>>());
    let name_requirement = prop_oneof![
        names.clone().prop_map(Operator::In),
        names.prop_map(Operator::NotIn)
    ]
    .prop_map(|operator| NodeRequirement {
        key: NodeKey::Name,
        operator,
    });
    prop_oneof![3 => label_requirement, 1 => name_requirement]
}

/// Every label value that could matter to requirements drawn from the strategies above:
/// absent, each pooled value, integers around every bound with extra leading zeros, a fresh
/// word.
fn candidate_values() -> Vec<Option<String>> {
    let mut values: Vec<Option<String>> = vec![None, Some("fresh".to_owned())];
    values.extend(POOL.iter().map(|v| Some((*v).to_owned())));
    for n in 0..=11 {
        for zeros in 0..3 {
            values.push(Some(format!("{}{n}", "0".repeat(zeros))));
        }
    }
    values
}

proptest! {
    /// `satisfiable` agrees with trying every node a brute force can build.
    #[test]
    fn satisfiable_agrees_with_brute_force(requirements in proptest::collection::vec(requirement(), 0..5)) {
        let candidates = candidate_values();
        let mut found = false;
        'search: for a in &candidates {
            for b in &candidates {
                for name in ["n1", "n2", "x", "fresh"] {
                    let labels: Vec<(String, String)> = [("a", a), ("b", b)]
                        .into_iter()
                        .filter_map(|(k, v)| Some((k.to_owned(), v.clone()?)))
                        .collect();
                    if requirements.iter().all(|r| r.matches(&labels, name)) {
                        found = true;
                        break 'search;
                    }
                }
            }
        }
        prop_assert_eq!(satisfiable(&requirements), found, "{:?}", requirements);
    }

    /// Two constraints are compatible exactly when some pair of their terms is satisfiable
    /// together, and compatibility is symmetric.
    #[test]
    fn compatibility_is_symmetric(
        a in proptest::collection::vec(proptest::collection::vec(requirement(), 0..3), 0..3),
        b in proptest::collection::vec(proptest::collection::vec(requirement(), 0..3), 0..3),
    ) {
        let (a, b) = (NodeConstraint { terms: a }, NodeConstraint { terms: b });
        prop_assert_eq!(a.compatible(&b), b.compatible(&a));
        if a.terms.is_empty() {
            prop_assert!(!a.compatible(&b));
        }
        prop_assert!(a.compatible(&NodeConstraint::anywhere()) == a.terms.iter().any(satisfiable));
    }

    #[test]
    fn toleration_algebra(
        key in prop_oneof![Just(""), Just("k"), Just("other")],
        exists in any::<bool>(),
        value in prop_oneof![Just(""), Just("v")],
        effect in prop_oneof![Just(None), Just(Some(Effect::NoSchedule)), Just(Some(Effect::NoExecute))],
        taint_key in prop_oneof![Just("k"), Just("other")],
        taint_value in prop_oneof![Just(""), Just("v")],
        taint_effect in prop_oneof![Just(Effect::NoSchedule), Just(Effect::PreferNoSchedule), Just(Effect::NoExecute)],
    ) {
        let toleration = Toleration { key: key.to_owned(), exists, value: value.to_owned(), effect };
        let taint = Taint { key: taint_key.to_owned(), value: taint_value.to_owned(), effect: taint_effect };
        let expected = effect.is_none_or(|e| e == taint_effect)
            && (key.is_empty() || key == taint_key)
            && (exists || value == taint_value);
        prop_assert_eq!(toleration.tolerates(&taint), expected);
        // An empty key with Exists and no effect tolerates everything.
        let everything = Toleration { key: String::new(), exists: true, value: String::new(), effect: None };
        prop_assert!(everything.tolerates(&taint));
    }
}
