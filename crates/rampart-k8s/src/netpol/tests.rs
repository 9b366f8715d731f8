use proptest::prelude::*;
use rampart_source::{Limits, parse_text};

use super::*;
use rampart_core::Level;

fn analysis(yaml: &str) -> (Analysis, Vec<Diagnostic>) {
    let (objects, errors) = parse_text("input.yaml", yaml, &Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    Analysis::new(&objects)
}

fn connlist(yaml: &str) -> String {
    format_txt(&analysis(yaml).0.connlist())
}

const PODS: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: web}}
---
apiVersion: v1
kind: Namespace
metadata: {name: ops}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: front, namespace: shop}
spec:
  template:
    metadata: {labels: {app: front}}
    spec:
      containers: [{name: c, ports: [{name: http, containerPort: 8080}, {name: dns, containerPort: 53, protocol: UDP}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec:
  containers: [{name: c, ports: [{name: http, containerPort: 5432}]}]
---
apiVersion: v1
kind: Pod
metadata:
  name: monitor-x1
  namespace: ops
  labels: {app: monitor}
  ownerReferences: [{kind: DaemonSet, name: monitor, controller: true}]
spec:
  containers: [{name: c}]
";

fn with_policies(policies: &str) -> String {
    connlist(&format!("{PODS}---\n{policies}"))
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

#[test]
fn without_policies_everything_connects() {
    let out = with_policies("");
    assert!(out.contains("shop/front[Deployment] => shop/db[Pod] : All Connections"));
    assert!(
        out.contains(
            "ops/monitor[DaemonSet] => 0.0.0.0-255.255.255.255[External] : All Connections"
        )
    );
    assert!(
        out.contains(
            "0.0.0.0-255.255.255.255[External] => shop/front[Deployment] : All Connections"
        )
    );
    // 3 pods: 6 ordered pairs, 3 in and 3 out to the single external range.
    assert_eq!(lines(&out).len(), 12, "{out}");
}

#[test]
fn empty_ingress_list_denies_and_missing_egress_leaves_egress_open() {
    let out = with_policies(
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: []
",
    );
    assert!(!out.contains("=> shop/db[Pod]"), "{out}");
    assert!(out.contains("shop/db[Pod] => shop/front[Deployment] : All Connections"));
}

#[test]
fn egress_type_without_rules_denies_egress() {
    let out = with_policies(
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
",
    );
    assert!(!out.contains("shop/db[Pod] =>"), "{out}");
    assert!(!out.contains("shop/front[Deployment] =>"), "{out}");
    assert!(out.contains("ops/monitor[DaemonSet] => shop/db[Pod] : All Connections"));
}

#[test]
fn named_ports_resolve_against_each_destination() {
    let out = with_policies(
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: http, namespace: shop}
spec:
  podSelector: {}
  ingress:
  - ports: [{port: http}, {port: dns, protocol: UDP}]
",
    );
    assert!(
        out.contains("ops/monitor[DaemonSet] => shop/db[Pod] : TCP 5432\n"),
        "{out}"
    );
    assert!(
        out.contains("ops/monitor[DaemonSet] => shop/front[Deployment] : TCP 8080,UDP 53\n"),
        "{out}"
    );
}

#[test]
fn namespace_and_pod_selectors_combine_in_one_peer() {
    let out = with_policies(
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-front, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [web]}]}
      podSelector: {matchLabels: {app: front}}
    ports: [{port: 5000, endPort: 5500, protocol: SCTP}]
",
    );
    assert!(
        out.contains("shop/front[Deployment] => shop/db[Pod] : SCTP 5000-5500\n"),
        "{out}"
    );
    assert!(
        !out.contains("ops/monitor[DaemonSet] => shop/db[Pod]"),
        "{out}"
    );
}

#[test]
fn ip_blocks_split_the_outside_into_ranges_that_behave_alike() {
    let out = with_policies(
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out, namespace: ops}
spec:
  podSelector: {}
  egress:
  - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
",
    );
    let outbound: Vec<_> = lines(&out)
        .into_iter()
        .filter(|l| l.starts_with("ops/"))
        .collect();
    assert_eq!(
        outbound,
        [
            "ops/monitor[DaemonSet] => 10.0.0.0-10.0.255.255[External] : All Connections",
            "ops/monitor[DaemonSet] => 10.2.0.0-10.255.255.255[External] : All Connections",
        ]
    );
}

#[test]
fn admin_policies_decide_before_and_baseline_after_network_policies() {
    let admin = "apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ops-rules}
spec:
  priority: 5
  subject: {namespaces: {matchLabels: {team: web}}}
  ingress:
  - {name: deny-ops-db, action: Deny, from: [{namespaces: {}}], ports: [{portNumber: {protocol: TCP, port: 5432}}]}
  - {name: pass-rest, action: Pass, from: [{namespaces: {}}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress:
  - {name: deny-all, action: Deny, from: [{namespaces: {}}]}
";
    let (_, diagnostics) = analysis(&format!(
        "{admin}---\n{}",
        admin
            .split("---")
            .next()
            .unwrap()
            .replace("ops-rules", "twin")
    ));
    assert!(
        diagnostics
            .iter()
            .any(|d| d.message.contains("`ops-rules` has the same priority")),
        "{diagnostics:?}"
    );
    let out = with_policies(admin);
    // Passed to NetworkPolicies, none selects the pods, so the baseline denies pod traffic;
    // admin peers are pods, so outside addresses stay allowed.
    assert!(!out.contains("[DaemonSet] => shop/"), "{out}");
    assert!(!out.contains("shop/db[Pod] => shop/"), "{out}");
    assert!(
        out.contains("[External] => shop/db[Pod] : All Connections"),
        "{out}"
    );
    let out = with_policies(&format!(
        "{admin}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: open, namespace: shop}}
spec:
  podSelector: {{}}
  ingress: [{{}}]
"
    ));
    assert!(
        out.contains("ops/monitor[DaemonSet] => shop/db[Pod] : SCTP 1-65535,TCP 1-5431,5433-65535,UDP 1-65535\n"),
        "{out}"
    );
}

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> u32 {
    let index = text.lines().position(|l| l.contains(needle)).unwrap();
    u32::try_from(index).unwrap() + 1
}

#[test]
fn reach_names_each_deciding_policy_and_rule_in_precedence_order() {
    let input = format!(
        "{PODS}---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {{name: ops-rules}}
spec:
  priority: 5
  subject: {{namespaces: {{matchLabels: {{team: web}}}}}}
  ingress:
  - {{name: deny-db-port, action: Deny, from: [{{namespaces: {{}}}}], ports: [{{portNumber: {{protocol: TCP, port: 5432}}}}]}}
  - {{name: pass-rest, action: Pass, from: [{{namespaces: {{}}}}]}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: db-in, namespace: shop}}
spec:
  podSelector: {{matchLabels: {{app: db}}}}
  ingress:
  - from: [{{namespaceSelector: {{}}}}]
    ports: [{{port: 9000}}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {{name: default}}
spec:
  subject: {{namespaces: {{}}}}
  ingress:
  - {{name: deny-all, action: Deny, from: [{{namespaces: {{}}}}]}}
"
    );
    let (analysis, _) = analysis(&input);
    let peer = |name: &str| analysis.find_peer(name).unwrap();
    let port = |number| ConnectionSet::ports(Protocol::Tcp, number, number);
    let everything_but = |ports: &[u64]| {
        ports
            .iter()
            .fold(ConnectionSet::all(), |set, &p| set.difference(&port(p)))
    };
    let summary = |side: &Side| -> Vec<(Layer, Action, String, Option<u32>, String)> {
        side.decisions
            .iter()
            .map(|d| {
                (
                    d.layer,
                    d.effect,
                    d.policy.as_ref().map_or(String::new(), |p| p.name.clone()),
                    d.rule.as_ref().map(|r| r.location.line),
                    d.connections.to_string(),
                )
            })
            .collect()
    };

    let reach = analysis
        .reach(peer("ops/monitor"), peer("shop/db"))
        .unwrap();
    assert_eq!(reach.allowed, port(9000));
    assert_eq!(
        summary(&reach.egress),
        [(
            Layer::Default,
            Action::Allow,
            String::new(),
            None,
            "All Connections".into()
        )]
    );
    assert_eq!(
        summary(&reach.ingress),
        [
            (
                Layer::AdminNetworkPolicy,
                Action::Deny,
                "ops-rules".into(),
                Some(line_of(&input, "deny-db-port")),
                "TCP 5432".into()
            ),
            (
                Layer::AdminNetworkPolicy,
                Action::Pass,
                "ops-rules".into(),
                Some(line_of(&input, "pass-rest")),
                everything_but(&[5432]).to_string()
            ),
            (
                Layer::NetworkPolicy,
                Action::Allow,
                "db-in".into(),
                Some(line_of(&input, "- from: [{namespaceSelector")),
                "TCP 9000".into()
            ),
            // Selecting db, the policy isolates it from the rest.
            (
                Layer::NetworkPolicy,
                Action::Deny,
                "db-in".into(),
                None,
                everything_but(&[5432, 9000]).to_string()
            ),
        ]
    );
    let db_in = reach.ingress.decisions[3].policy.as_ref().unwrap();
    assert_eq!(db_in.location.line, line_of(&input, "name: db-in") - 2);

    // front is selected by no NetworkPolicy: what the admin policy passes, the baseline denies.
    let reach = analysis.reach(peer("ops/monitor"), peer("front")).unwrap();
    assert!(reach.allowed.is_empty());
    let layers: Vec<_> = summary(&reach.ingress)
        .into_iter()
        .map(|(layer, effect, name, ..)| (layer, effect, name))
        .collect();
    assert_eq!(
        layers,
        [
            (Layer::AdminNetworkPolicy, Action::Deny, "ops-rules".into()),
            (Layer::AdminNetworkPolicy, Action::Pass, "ops-rules".into()),
            (
                Layer::BaselineAdminNetworkPolicy,
                Action::Deny,
                "default".into()
            ),
        ]
    );

    // Asking about one port keeps the decisions about it.
    let reach = analysis
        .reach(peer("ops/monitor"), peer("shop/db"))
        .unwrap()
        .restricted(&port(5432));
    assert!(reach.allowed.is_empty());
    assert_eq!(reach.ingress.decisions.len(), 1);
    assert_eq!(reach.ingress.decisions[0].effect, Action::Deny);

    // Outside addresses: the admin peers are pods, the NetworkPolicy's peer a namespace, so db
    // is isolated from them and nothing else decides.
    let reach = analysis.reach(peer("192.0.2.1"), peer("shop/db")).unwrap();
    assert!(!reach.egress.governed && reach.allowed.is_empty());
    assert_eq!(summary(&reach.ingress).len(), 1);
}

#[test]
fn reach_refuses_pairs_it_does_not_analyse() {
    let (analysis, _) = analysis(PODS);
    assert!(analysis.find_peer("nope").is_err());
    assert!(analysis.find_peer("ops/front").is_err());
    assert_eq!(
        analysis.find_peer("front[Deployment]"),
        analysis.find_peer("shop/front")
    );
    let outside = analysis.find_peer("192.0.2.1").unwrap();
    let front = analysis.find_peer("front").unwrap();
    assert!(analysis.reach(outside, outside).is_err());
    assert!(analysis.reach(front, front).is_err());
    assert!(analysis.reach(front, ReachPeer::IngressController).is_err());
}

/// One piece of bad input: the object, where the diagnostic must point (a text on that line,
/// and the JSON pointer), its level and what it must say.
struct BadInput {
    object: &'static str,
    line_with: &'static str,
    pointer: &'static str,
    level: Level,
    says: &'static str,
}

const NP: &str = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy";
const ANP: &str = "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy";
const BANP: &str =
    "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy";

fn bad_inputs() -> Vec<BadInput> {
    use Level::{Error, Warning};
    let case = |object, line_with, pointer, level, says| BadInput {
        object,
        line_with,
        pointer,
        level,
        says,
    };
    vec![
        case(
            "NP\nmetadata: {name: bad-cidr, namespace: shop}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.300/8}",
            "10.0.0.300/8",
            "/spec/ingress/0/from/0/ipBlock/cidr",
            Error,
            "`10.0.0.300/8` is not a valid CIDR",
        ),
        case(
            "NP\nmetadata: {name: bad-prefix, namespace: shop}\nspec:\n  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: \"fd00::/129\"}",
            "fd00::/129",
            "/spec/egress/0/to/0/ipBlock/cidr",
            Error,
            "the prefix length must be 0 to 128",
        ),
        case(
            "NP\nmetadata: {name: no-cidr, namespace: shop}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {except: [10.0.0.0/8]}",
            "ipBlock: {except",
            "/spec/ingress/0/from/0/ipBlock",
            Error,
            "an `ipBlock` needs a `cidr`",
        ),
        case(
            "NP\nmetadata: {name: stray-except, namespace: shop}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n        except:\n        - 192.168.0.0/16",
            "192.168.0.0/16",
            "/spec/ingress/0/from/0/ipBlock/except/0",
            Warning,
            "must lie inside the `cidr`",
        ),
        case(
            "NP\nmetadata: {name: block-and-pods, namespace: shop}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/8}\n      podSelector: {}",
            "ipBlock: {cidr: 10.0.0.0/8}",
            "/spec/ingress/0/from/0",
            Error,
            "an `ipBlock` peer takes no `podSelector`",
        ),
        case(
            "NP\nmetadata: {name: bad-operator, namespace: shop}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - podSelector:\n        matchExpressions:\n        - {key: app, operator: Near, values: [a]}",
            "operator: Near",
            "/spec/ingress/0/from/0/podSelector/matchExpressions/0",
            Error,
            "unknown operator `Near`",
        ),
        case(
            "NP\nmetadata: {name: exists-values, namespace: shop}\nspec:\n  podSelector:\n    matchExpressions:\n    - {key: app, operator: Exists, values: [db]}",
            "operator: Exists",
            "/spec/podSelector/matchExpressions/0",
            Error,
            "operator Exists takes no values",
        ),
        case(
            "NP\nmetadata: {name: in-without-values, namespace: shop}\nspec:\n  podSelector: {}\n  egress:\n  - to:\n    - namespaceSelector:\n        matchExpressions:\n        - {key: team, operator: In}",
            "operator: In}",
            "/spec/egress/0/to/0/namespaceSelector/matchExpressions/0",
            Error,
            "operator In needs at least one value",
        ),
        case(
            "NP\nmetadata: {name: unknown-port, namespace: shop}\nspec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: https",
            "port: https",
            "/spec/ingress/0/ports/0/port",
            Warning,
            "no container declares a port named `https`",
        ),
        case(
            "NP\nmetadata: {name: nowhere, namespace: nowhere}\nspec:\n  podSelector: {}",
            "namespace: nowhere",
            "/metadata/namespace",
            Warning,
            "namespace `nowhere` is not in the input",
        ),
        case(
            "NP\nmetadata: {name: bad-range, namespace: shop}\nspec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - {port: 90, endPort: 80}",
            "endPort: 80",
            "/spec/ingress/0/ports/0/endPort",
            Error,
            "endPort must be a number no less than port",
        ),
        case(
            "ANP\nmetadata: {name: no-priority}\nspec:\n  priority: 1001\n  subject: {namespaces: {}}",
            "priority: 1001",
            "/spec/priority",
            Error,
            "a priority from 0 to 1000",
        ),
        case(
            "ANP\nmetadata: {name: word-priority}\nspec:\n  priority: high\n  subject: {namespaces: {}}",
            "priority: high",
            "/spec/priority",
            Error,
            "a priority from 0 to 1000",
        ),
        case(
            "ANP\nmetadata: {name: two-subjects}\nspec:\n  priority: 3\n  subject:\n    namespaces: {}\n    pods: {podSelector: {}}",
            "subject:",
            "/spec/subject",
            Error,
            "found `namespaces` and `pods`",
        ),
        case(
            "ANP\nmetadata: {name: two-peer-kinds}\nspec:\n  priority: 4\n  subject: {namespaces: {}}\n  egress:\n  - name: out\n    action: Deny\n    to:\n    - namespaces: {}\n      networks: [10.0.0.0/8]",
            "- namespaces: {}",
            "/spec/egress/0/to/0",
            Error,
            "found `namespaces` and `networks`",
        ),
        case(
            "ANP\nmetadata: {name: no-peers}\nspec:\n  priority: 5\n  subject: {namespaces: {}}\n  ingress:\n  - name: nobody\n    action: Allow\n    from: []",
            "from: []",
            "/spec/ingress/0/from",
            Error,
            "at least one peer in `from`",
        ),
        case(
            "ANP\nmetadata: {name: bad-network}\nspec:\n  priority: 6\n  subject: {namespaces: {}}\n  egress:\n  - name: out\n    action: Allow\n    to:\n    - networks:\n      - 10.0.0.0/40",
            "10.0.0.0/40",
            "/spec/egress/0/to/0/networks/0",
            Error,
            "the prefix length must be 0 to 32",
        ),
        case(
            "ANP\nmetadata: {name: bad-action}\nspec:\n  priority: 7\n  subject: {namespaces: {}}\n  ingress:\n  - name: maybe\n    action: Perhaps\n    from: [{namespaces: {}}]",
            "action: Perhaps",
            "/spec/ingress/0/action",
            Error,
            "the action is Allow, Deny or Pass, found Perhaps",
        ),
        case(
            "BANP\nmetadata: {name: baseline}\nspec:\n  subject: {namespaces: {}}",
            "name: baseline",
            "/metadata/name",
            Error,
            "must be named `default`",
        ),
        case(
            "BANP\nmetadata: {name: default}\nspec:\n  subject: {namespaces: {}}\n  ingress:\n  - name: no-pass\n    action: Pass\n    from: [{namespaces: {}}]",
            "action: Pass",
            "/spec/ingress/0/action",
            Error,
            "the action is Allow or Deny, found Pass",
        ),
    ]
}

#[test]
fn each_bad_input_is_a_diagnostic_at_its_line() {
    for bad in bad_inputs() {
        let object = bad
            .object
            .replacen("BANP\n", &format!("{BANP}\n"), 1)
            .replacen("ANP\n", &format!("{ANP}\n"), 1)
            .replacen("NP\n", &format!("{NP}\n"), 1);
        let input = format!("{PODS}---\n{object}\n");
        let (_, diagnostics) = analysis(&input);
        let found = diagnostics.iter().find(|d| {
            d.message.contains(&format!("`{}`: ", bad.pointer)) && d.message.contains(bad.says)
        });
        let Some(found) = found else {
            panic!(
                "{}: no diagnostic at {} saying {}: {diagnostics:#?}",
                object, bad.pointer, bad.says
            );
        };
        assert_eq!(found.level, bad.level, "{found:?}");
        assert_eq!(
            found.line,
            Some(line_of(&input, bad.line_with)),
            "{found:?}"
        );
        assert_eq!(found.path, "input.yaml");
    }
}

#[test]
fn connection_sets_print_in_np_guard_notation() {
    let set = ConnectionSet::ports(Protocol::Tcp, 80, 80)
        .union(&ConnectionSet::ports(Protocol::Tcp, 8080, 8090))
        .union(&ConnectionSet::ports(Protocol::Udp, 1, 65535));
    assert_eq!(set.to_string(), "TCP 80,8080-8090,UDP 1-65535");
    let every_sctp_port = ConnectionSet::ports(Protocol::Sctp, 1, 65535);
    assert_eq!(
        set.union(&every_sctp_port).to_string(),
        "SCTP 1-65535,TCP 80,8080-8090,UDP 1-65535"
    );
    assert_eq!(ConnectionSet::all().to_string(), "All Connections");
}

#[test]
fn csv_quotes_connection_sets_with_several_parts() {
    let connection = Connection {
        source: PeerName::IngressController,
        destination: PeerName::Workload {
            namespace: "ns".into(),
            name: "dns".into(),
            kind: "Deployment".into(),
        },
        allowed: ConnectionSet::ports(Protocol::Udp, 53, 53).union(&ConnectionSet::ports(
            Protocol::Tcp,
            53,
            53,
        )),
    };
    assert_eq!(
        format_csv(&[connection]),
        "src,dst,conn\n{ingress-controller},ns/dns[Deployment],\"TCP 53,UDP 53\"\n"
    );
}

fn ranges(cidr: &str) -> Vec<String> {
    parse_cidr(cidr)
        .unwrap()
        .ranges()
        .map(|r| r.to_string())
        .collect()
}

#[test]
fn cidrs_cover_their_network_in_either_family() {
    assert_eq!(ranges("10.1.2.3/16"), ["10.1.0.0-10.1.255.255"]);
    assert_eq!(ranges("0.0.0.0/0"), ["0.0.0.0-255.255.255.255"]);
    assert_eq!(ranges("10.0.0.5/32"), ["10.0.0.5-10.0.0.5"]);
    assert_eq!(
        ranges("2001:db8::1/32"),
        ["2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"]
    );
    assert_eq!(
        ranges("::/0"),
        ["::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]
    );
    assert_eq!(ranges("fd00::7/128"), ["fd00::7-fd00::7"]);
    // An IPv4-mapped IPv6 block is IPv6: it holds no IPv4 address.
    let mapped = parse_cidr("::ffff:0:0/96").unwrap();
    assert!(!mapped.contains(Address::parse("10.0.0.1").unwrap()));
    assert!(mapped.contains(Address::parse("::ffff:10.0.0.1").unwrap()));
    for bad in [
        "10.0.0.0/33",
        "fd00::/129",
        "10.0.0.0",
        "10.0.0/8",
        "fd00::/-1",
        "x/8",
        "",
    ] {
        assert!(parse_cidr(bad).is_err(), "{bad}");
    }
    let range = AddressRange::parse("fd00::1-fd00::ff").unwrap();
    assert_eq!(range.to_string(), "fd00::1-fd00::ff");
    assert!(AddressRange::parse("10.0.0.1-fd00::1").is_none());
}

#[test]
fn ipv6_blocks_split_the_ipv6_space_and_leave_ipv4_alone() {
    let out = with_policies(
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: front-out, namespace: shop}
spec:
  podSelector: {matchLabels: {app: front}}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock: {cidr: 2001:db8::/32, except: [2001:db8:1::/48]}
    - ipBlock: {cidr: 10.0.0.0/8}
",
    );
    let front_out: Vec<&str> = lines(&out)
        .into_iter()
        .filter(|l| l.starts_with("shop/front[Deployment] => ") && l.contains("[External]"))
        .collect();
    assert_eq!(
        front_out,
        [
            "shop/front[Deployment] => 10.0.0.0-10.255.255.255[External] : All Connections",
            "shop/front[Deployment] => 2001:db8:2::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff[External] : All Connections",
            "shop/front[Deployment] => 2001:db8::-2001:db8:0:ffff:ffff:ffff:ffff:ffff[External] : All Connections",
        ]
    );
    // Ingress is not governed: every piece of both families reaches front, IPv6 included.
    let into_front = lines(&out)
        .into_iter()
        .filter(|l| l.contains("[External] => shop/front[Deployment] : All Connections"))
        .count();
    // IPv4: 3 pieces around 10/8; IPv6: below, the block, the except, the rest, above.
    assert_eq!(into_front, 3 + 5, "{out}");

    let (analysis, _) = analysis(&format!(
        "{PODS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: front-out, namespace: shop}}
spec:
  podSelector: {{matchLabels: {{app: front}}}}
  policyTypes: [Egress]
  egress:
  - to: [{{ipBlock: {{cidr: 2001:db8::/32, except: [2001:db8:1::/48]}}}}]
"
    ));
    let front = analysis.find_peer("front").unwrap();
    let allowed = |address: &str| {
        let outside = analysis.find_peer(address).unwrap();
        !analysis.reach(front, outside).unwrap().allowed.is_empty()
    };
    assert!(allowed("2001:db8::1"));
    assert!(!allowed("2001:db8:1::1"));
    assert!(!allowed("2001:db9::"));
    assert!(!allowed("10.0.0.1"));
}

#[test]
fn an_except_of_the_other_family_is_outside_the_cidr() {
    let (_, diagnostics) = analysis(&format!(
        "{PODS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: mixed, namespace: shop}}
spec:
  podSelector: {{}}
  ingress:
  - from: [{{ipBlock: {{cidr: 10.0.0.0/8, except: [\"::/0\"]}}}}]
"
    ));
    assert!(
        diagnostics
            .iter()
            .any(|d| d.message.contains("/except/0") && d.message.contains("must lie inside")),
        "{diagnostics:?}"
    );
}

fn interval_set() -> impl Strategy<Value = IntervalSet> {
    prop::collection::vec((0u64..200, 0u64..20), 0..6).prop_map(|ranges| {
        ranges
            .into_iter()
            .fold(IntervalSet::empty(), |set, (start, length)| {
                set.union(&IntervalSet::range(start, start + length))
            })
    })
}

fn members(set: &IntervalSet) -> Vec<u64> {
    (0..230).filter(|v| set.contains(*v)).collect()
}

proptest! {
    #[test]
    fn set_operations_agree_with_membership(a in interval_set(), b in interval_set()) {
        for value in 0..230 {
            prop_assert_eq!(a.union(&b).contains(value), a.contains(value) || b.contains(value));
            prop_assert_eq!(a.intersection(&b).contains(value), a.contains(value) && b.contains(value));
            prop_assert_eq!(a.difference(&b).contains(value), a.contains(value) && !b.contains(value));
        }
    }

    #[test]
    fn sets_stay_normalised(a in interval_set(), b in interval_set()) {
        for set in [a.union(&b), a.intersection(&b), a.difference(&b)] {
            for pair in set.ranges().windows(2) {
                prop_assert!(pair[0].1 + 1 < pair[1].0, "{:?}", set);
            }
            prop_assert!(set.ranges().iter().all(|(s, e)| s <= e));
        }
        prop_assert_eq!(a.union(&b), b.union(&a));
        prop_assert_eq!(members(&a.difference(&b).union(&a.intersection(&b))), members(&a));
    }

    #[test]
    fn external_ranges_partition_each_family(
        v4 in prop::collection::vec((any::<u32>(), 0u32..=32), 0..6),
        v6 in prop::collection::vec((any::<u128>(), 0u32..=128), 0..6),
    ) {
        let cidrs: Vec<String> = v4
            .iter()
            .map(|(address, length)| format!("{}/{length}", std::net::Ipv4Addr::from(*address)))
            .chain(v6.iter().map(|(address, length)| {
                format!("{}/{length}", std::net::Ipv6Addr::from(*address))
            }))
            .collect();
        let peers: String = cidrs
            .iter()
            .map(|cidr| format!("  - to: [{{ipBlock: {{cidr: \"{cidr}\"}}}}]\n"))
            .collect();
        let yaml = format!(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: p, namespace: a}}\nspec:\n  podSelector: {{}}\n  egress:\n{peers}"
        );
        let ranges = analysis(&yaml).0.external_ranges;
        for family in Family::ALL {
            let pieces: Vec<&AddressRange> = ranges.iter().filter(|r| r.family == family).collect();
            // IPv6 is analysed only when a policy names it.
            if family == Family::V6 && v6.is_empty() {
                prop_assert!(pieces.is_empty());
                continue;
            }
            prop_assert_eq!(pieces.first().map(|r| r.start), Some(0));
            prop_assert_eq!(pieces.last().map(|r| r.end), Some(family.max()));
            for pair in pieces.windows(2) {
                prop_assert_eq!(pair[0].end + 1, pair[1].start);
            }
        }
        // Every block is a union of whole ranges.
        for cidr in &cidrs {
            let block = parse_cidr(cidr).unwrap();
            for range in &ranges {
                let last = Address { family: range.family, value: range.end };
                prop_assert_eq!(block.contains(range.first()), block.contains(last));
            }
        }
    }
}

#[test]
fn pods_are_listed_under_the_workload_that_owns_them() {
    let (analysis, _) = analysis(
        "apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec: {template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c}]}}}
---
apiVersion: v1
kind: Pod
metadata:
  name: api-7d9f5-x2
  namespace: shop
  labels: {app: api}
  ownerReferences: [{kind: ReplicaSet, name: api-7d9f5, controller: true}]
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: other-55c-q
  namespace: shop
  ownerReferences: [{kind: ReplicaSet, name: other-55c, controller: true}]
spec: {containers: [{name: c}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c}]}}}}}
",
    );
    let peers: Vec<String> = analysis
        .topology
        .pods
        .iter()
        .map(|p| format!("{}/{}[{}]", p.namespace, p.name, p.kind))
        .collect();
    assert_eq!(
        peers,
        [
            "shop/api[Deployment]",
            "shop/other-55c[ReplicaSet]",
            "shop/report[CronJob]"
        ]
    );
}

#[test]
fn mirror_pods_of_static_pods_are_pods_of_their_own() {
    let mirror = |name: &str| {
        format!(
            "apiVersion: v1
kind: Pod
metadata:
  name: {name}-node-1
  namespace: kube-system
  ownerReferences: [{{apiVersion: v1, kind: Node, name: node-1, controller: true}}]
spec: {{containers: [{{name: c}}]}}
"
        )
    };
    let (analysis, _) = analysis(&format!(
        "{}---\n{}",
        mirror("etcd"),
        mirror("kube-apiserver")
    ));
    let peers: Vec<String> = analysis
        .workloads()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        peers,
        [
            "kube-system/etcd-node-1[Pod]",
            "kube-system/kube-apiserver-node-1[Pod]"
        ]
    );
}

/// Scalars and shapes that policies get wrong: every one must become a diagnostic or be
/// analysed, never a panic.
fn odd_value() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "null",
        "[]",
        "{}",
        "0",
        "-1",
        "65536",
        "99999999999",
        "http",
        "''",
        "10.0.0.0/8",
        "10.0.0.0/33",
        "::1/128",
        "300.1.1.1/8",
        "TCP",
        "ICMP",
        "[1, 2]",
        "{a: b}",
        "true",
    ])
}

proptest! {
    #[test]
    fn malformed_policies_never_panic(values in prop::collection::vec(odd_value(), 12)) {
        let v = |i: usize| values[i];
        let yaml = format!(
            "{PODS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: odd, namespace: shop}}
spec:
  podSelector: {{matchExpressions: [{{key: app, operator: In, values: {}}}]}}
  policyTypes: {}
  ingress:
  - from: [{{ipBlock: {{cidr: {}, except: [{}]}}}}, {{namespaceSelector: {}}}]
    ports: [{{port: {}, endPort: {}, protocol: {}}}]
  egress: {}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {{name: odd}}
spec:
  priority: {}
  subject: {{namespaces: {{}}}}
  egress:
  - action: Deny
    to: [{{networks: [{}]}}]
    ports: [{{portRange: {{start: {}, end: 80}}}}]
",
            v(0), v(1), v(2), v(3), v(4), v(5), v(6), v(7), v(8), v(9), v(10), v(11)
        );
        let (objects, _) = parse_text("odd.yaml", &yaml, &Limits::default());
        let (analysis, _) = Analysis::new(&objects);
        let _ = format_txt(&analysis.connlist());
    }
}
