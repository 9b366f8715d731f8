use rampart_source::{Limits, Object, parse_text};

use super::*;

fn objects(text: &str) -> Vec<Object> {
    let (objects, errors) = parse_text("mesh.yaml", text, &Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    objects
}

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A Deployment `name` in `namespace` whose pod template has `metadata` (flow YAML) and a
/// container listening on 8080.
fn deployment(namespace: &str, name: &str, metadata: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: {namespace}}}\n\
         spec:\n  template:\n    metadata: {metadata}\n    spec: {{containers: [{{name: c, image: x, ports: [{{containerPort: 8080}}]}}]}}\n---\n"
    )
}

fn namespace(name: &str, labels: &str, annotations: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Namespace\nmetadata: {{name: {name}, labels: {{{labels}}}, annotations: {{{annotations}}}}}\n---\n"
    )
}

fn peer_authentication(namespace: &str, name: &str, spec: &str) -> String {
    format!(
        "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {{name: {name}, namespace: {namespace}}}\nspec: {spec}\n---\n"
    )
}

fn build(text: &str) -> (Vec<Object>, Mesh) {
    let objects = objects(text);
    let (mesh, diagnostics) = Mesh::new(&objects, &MeshOptions::default());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    (objects, mesh)
}

fn pod(mesh: &Mesh, name: &str) -> usize {
    mesh.analysis
        .topology
        .pods
        .iter()
        .position(|p| p.name == name)
        .unwrap_or_else(|| panic!("no workload {name}"))
}

/// (inbound, reason, sources, ports) of the plaintext paths into `name`.
fn plaintext(mesh: &Mesh, name: &str) -> Vec<(Inbound, String, Vec<String>, String)> {
    mesh.plaintext_into(pod(mesh, name))
        .into_iter()
        .map(|paths| {
            let sources = paths.sources.iter().map(|(s, _)| mesh.name(*s)).collect();
            let ports = paths.ports().to_string();
            (paths.inbound, paths.reason, sources, ports)
        })
        .collect()
}

#[test]
fn injection_follows_the_webhooks() {
    let none = Labels::new();
    let enabled = labels(&[("istio-injection", "enabled")]);
    let disabled = labels(&[("istio-injection", "disabled")]);
    let revision = labels(&[("istio.io/rev", "canary")]);
    let opt_out = labels(&[("sidecar.istio.io/inject", "false")]);
    let opt_in = labels(&[("sidecar.istio.io/inject", "true")]);
    let ambient = labels(&[("istio.io/dataplane-mode", "ambient")]);
    let sidecar = Some(Capture::Sidecar);
    assert_eq!(istio::captured(&none, &none, &enabled), sidecar);
    assert_eq!(istio::captured(&opt_out, &none, &enabled), None);
    assert_eq!(istio::captured(&none, &opt_out, &enabled), None);
    assert_eq!(istio::captured(&none, &none, &revision), sidecar);
    // The namespace label decides when present, even against a pod asking for a sidecar.
    assert_eq!(istio::captured(&opt_in, &none, &disabled), None);
    assert_eq!(istio::captured(&opt_in, &none, &none), sidecar);
    // The annotation only ever opts out.
    assert_eq!(istio::captured(&none, &opt_in, &none), None);
    assert_eq!(istio::captured(&revision, &none, &none), sidecar);
    assert_eq!(istio::captured(&none, &none, &none), None);
    assert_eq!(
        istio::captured(&none, &none, &ambient),
        Some(Capture::Ambient)
    );
    let ambient_opt_out = labels(&[("istio.io/dataplane-mode", "none")]);
    assert_eq!(istio::captured(&ambient_opt_out, &none, &ambient), None);
    assert!(linkerd::meshed(
        &labels(&[("linkerd.io/inject", "enabled")]),
        &none
    ));
    let namespace_on = labels(&[("linkerd.io/inject", "enabled")]);
    assert!(linkerd::meshed(&none, &namespace_on));
    assert!(!linkerd::meshed(
        &labels(&[("linkerd.io/inject", "disabled")]),
        &namespace_on
    ));
}

/// The modes `compose` gives a pod of `shop` labelled `app: web`, port 8080 and another port.
fn composed(policies: &str, root: &str) -> (Inbound, String, Inbound, String) {
    let objects = objects(policies);
    let mut diagnostics = Vec::new();
    let parsed: Vec<PeerAuthentication> = objects
        .iter()
        .filter_map(|o| PeerAuthentication::parse(o, &mut Reporter::new(o, &mut diagnostics)))
        .collect();
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let workload = MeshWorkload {
        proxy: Proxy::Istio(Capture::Sidecar),
        inbound: istio::compose(&parsed, root, "shop", &labels(&[("app", "web")])),
        outbound_bypass: IntervalSet::empty(),
    };
    let at = |port: u64| {
        let (_, rule) = workload
            .effective_inbound()
            .into_iter()
            .find(|(ports, _)| ports.contains(port))
            .unwrap();
        (rule.inbound, rule.reason.clone())
    };
    let (a, b) = (at(8080), at(9090));
    (a.0, a.1, b.0, b.1)
}

#[test]
fn peer_authentication_composes_mesh_namespace_workload_and_ports() {
    // Nothing: Istio's default.
    let (mode, reason, ..) = composed(
        &peer_authentication("other", "default", "{mtls: {mode: STRICT}}"),
        "istio-system",
    );
    assert_eq!(mode, Inbound::Permissive);
    assert!(
        reason.starts_with("no PeerAuthentication applies"),
        "{reason}"
    );

    // Mesh STRICT; the namespace's UNSET inherits it; the workload's port 8080 DISABLE.
    let text = peer_authentication("istio-system", "mesh", "{mtls: {mode: STRICT}}")
        + &peer_authentication("shop", "default", "{mtls: {mode: UNSET}}")
        + &peer_authentication(
            "shop",
            "web",
            "{selector: {matchLabels: {app: web}}, portLevelMtls: {8080: {mode: DISABLE}}}",
        );
    let (at_8080, why_8080, other, why_other) = composed(&text, "istio-system");
    assert_eq!((at_8080, other), (Inbound::Plaintext, Inbound::Strict));
    assert_eq!(
        why_8080,
        "PeerAuthentication shop/web (mesh.yaml:14) sets DISABLE on port 8080"
    );
    assert_eq!(
        why_other,
        "mesh-wide PeerAuthentication istio-system/mesh (mesh.yaml:4) sets STRICT"
    );

    // Another root namespace makes the first policy a namespace-wide one elsewhere.
    let (_, _, other, _) = composed(&text, "mesh-root");
    assert_eq!(other, Inbound::Permissive);

    // A port-level UNSET takes the workload's composed mode.
    let text = peer_authentication("shop", "default", "{mtls: {mode: DISABLE}}")
        + &peer_authentication(
            "shop",
            "web",
            "{selector: {matchLabels: {app: web}}, mtls: {mode: STRICT}, portLevelMtls: {8080: {mode: UNSET}}}",
        );
    let (at_8080, why, other, _) = composed(&text, "istio-system");
    assert_eq!((at_8080, other), (Inbound::Strict, Inbound::Strict));
    assert!(why.contains("leaves port 8080 UNSET"), "{why}");
}

#[test]
fn the_oldest_policy_of_a_scope_wins_and_root_selectors_are_ignored() {
    let with_time = |name: &str, time: &str, mode: &str| {
        format!(
            "apiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\nmetadata: {{name: {name}, namespace: shop, creationTimestamp: \"{time}\"}}\n\
             spec: {{selector: {{matchLabels: {{app: web}}}}, mtls: {{mode: {mode}}}}}\n---\n"
        )
    };
    let text = with_time("a-newer", "2025-02-01T00:00:00Z", "DISABLE")
        + &with_time("z-older", "2025-01-01T00:00:00Z", "STRICT");
    let (mode, reason, ..) = composed(&text, "istio-system");
    assert_eq!(mode, Inbound::Strict, "{reason}");
    // Same time: by name.
    let text = with_time("b", "2025-01-01T00:00:00Z", "STRICT")
        + &with_time("a", "2025-01-01T00:00:00Z", "DISABLE");
    assert_eq!(composed(&text, "istio-system").0, Inbound::Plaintext);
    // A workload selector in the root namespace selects nothing.
    let text = peer_authentication(
        "istio-system",
        "web",
        "{selector: {matchLabels: {app: web}}, mtls: {mode: DISABLE}}",
    );
    assert_eq!(composed(&text, "istio-system").0, Inbound::Permissive);
}

#[test]
fn plaintext_paths_follow_reachability_and_proxies() {
    let text = namespace("shop", "istio-injection: enabled", "")
        + &namespace("legacy", "", "")
        + &peer_authentication("shop", "default", "{mtls: {mode: PERMISSIVE}}")
        + &deployment("shop", "web", "{labels: {app: web}}")
        + &deployment("shop", "api", "{labels: {app: api}}")
        + &deployment("legacy", "batch", "{labels: {app: batch}}")
        + &deployment("legacy", "cron", "{labels: {app: cron}}")
        // Only batch may reach the api from the legacy namespace.
        + "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api, namespace: shop}\n\
           spec:\n  podSelector: {matchLabels: {app: api}}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: web}}\n    \
           - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: legacy}}\n      podSelector: {matchLabels: {app: batch}}\n";
    let (_, mesh) = build(&text);
    assert!(mesh.in_use());
    // Meshed web talks mutual TLS; only the unmeshed batch sends plaintext.
    assert_eq!(
        plaintext(&mesh, "api"),
        [(
            Inbound::Permissive,
            "namespace-wide PeerAuthentication shop/default (mesh.yaml:12) sets PERMISSIVE"
                .to_owned(),
            vec!["legacy/batch[Deployment]".to_owned()],
            "every TCP port".to_owned()
        )]
    );
    // Outside the mesh, everything that reaches it is plaintext, from meshed clients too.
    let into_batch = plaintext(&mesh, "batch");
    assert_eq!(into_batch.len(), 1);
    assert_eq!(into_batch[0].0, Inbound::Plaintext);
    assert_eq!(
        into_batch[0].2,
        [
            "shop/web[Deployment]",
            "shop/api[Deployment]",
            "legacy/cron[Deployment]"
        ]
    );
}

#[test]
fn ambient_mode_takes_disable_as_permissive() {
    let text = namespace("ambient", "istio.io/dataplane-mode: ambient", "")
        + &namespace("legacy", "", "")
        + &peer_authentication("ambient", "default", "{mtls: {mode: DISABLE}}")
        + &deployment("ambient", "api", "{labels: {app: api}}")
        + &deployment("ambient", "web", "{labels: {app: web}}")
        + &deployment("legacy", "batch", "{labels: {app: batch}}");
    let (_, mesh) = build(&text);
    let into_api = plaintext(&mesh, "api");
    assert_eq!(into_api.len(), 1);
    let (inbound, reason, sources, _) = &into_api[0];
    assert_eq!(*inbound, Inbound::Permissive);
    assert!(
        reason.ends_with("which ambient mode does not support: it takes plaintext like PERMISSIVE"),
        "{reason}"
    );
    // The meshed web tunnels through ztunnel; only the batch job sends plaintext.
    assert_eq!(sources, &["legacy/batch[Deployment]"]);
}

#[test]
fn linkerd_meshed_pairs_speak_mtls_except_where_the_proxy_is_skipped() {
    let text = namespace("apps", "", "linkerd.io/inject: enabled")
        + &deployment(
            "apps",
            "server",
            "{annotations: {config.linkerd.io/skip-inbound-ports: \"9000-9100\"}}",
        )
        + &deployment(
            "apps",
            "client",
            "{annotations: {config.linkerd.io/skip-outbound-ports: \"8080\"}}",
        )
        + &deployment("apps", "meshed", "{}")
        + &deployment(
            "apps",
            "strict",
            "{annotations: {config.linkerd.io/default-inbound-policy: all-authenticated}}",
        )
        + &deployment(
            "apps",
            "outsider",
            "{annotations: {linkerd.io/inject: disabled}}",
        );
    let (_, mesh) = build(&text);
    let into_server = plaintext(&mesh, "server");
    // Everyone on the skipped ports; the outsider on every port; the client where it skips
    // its own proxy.
    let summary: Vec<(Inbound, Vec<String>, String)> = into_server
        .into_iter()
        .map(|(inbound, _, sources, ports)| (inbound, sources, ports))
        .collect();
    assert_eq!(
        summary,
        [
            (
                Inbound::Permissive,
                vec![
                    "apps/client[Deployment]".to_owned(),
                    "apps/outsider[Deployment]".to_owned()
                ],
                "TCP 1-8999,9101-65535".to_owned()
            ),
            (
                Inbound::Plaintext,
                vec![
                    "apps/client[Deployment]".to_owned(),
                    "apps/meshed[Deployment]".to_owned(),
                    "apps/strict[Deployment]".to_owned(),
                    "apps/outsider[Deployment]".to_owned()
                ],
                "TCP 9000-9100".to_owned()
            ),
        ]
    );
    assert!(plaintext(&mesh, "strict").is_empty());
}

#[test]
fn linkerd_servers_decide_their_ports() {
    let server = |name: &str, port: &str, extra: &str| {
        format!(
            "apiVersion: policy.linkerd.io/v1beta3\nkind: Server\nmetadata: {{name: {name}, namespace: apps, labels: {{tier: {name}}}}}\n\
             spec: {{podSelector: {{matchLabels: {{app: api}}}}, port: {port}{extra}}}\n---\n"
        )
    };
    let text = namespace("apps", "", "linkerd.io/inject: enabled")
        + "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: apps}\nspec:\n  template:\n    \
           metadata: {labels: {app: api}}\n    spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}\n---\n"
        + &deployment(
            "apps",
            "outsider",
            "{annotations: {linkerd.io/inject: disabled}}",
        )
        + &server("api-http", "http", "")
        + &server("api-metrics", "9000", ", accessPolicy: all-unauthenticated")
        + &server("api-admin", "9100", "")
        + &server("api-debug", "9200", "")
        + "apiVersion: policy.linkerd.io/v1alpha1\nkind: AuthorizationPolicy\nmetadata: {name: admin-from-anywhere, namespace: apps}\n\
           spec: {targetRef: {group: policy.linkerd.io, kind: Server, name: api-admin}, \
           requiredAuthenticationRefs: [{group: policy.linkerd.io, kind: NetworkAuthentication, name: all}]}\n---\n"
        + "apiVersion: policy.linkerd.io/v1alpha1\nkind: AuthorizationPolicy\nmetadata: {name: http-meshed, namespace: apps}\n\
           spec: {targetRef: {group: policy.linkerd.io, kind: Server, name: api-http}, \
           requiredAuthenticationRefs: [{group: policy.linkerd.io, kind: MeshTLSAuthentication, name: meshed}]}\n---\n"
        + "apiVersion: policy.linkerd.io/v1beta1\nkind: ServerAuthorization\nmetadata: {name: debug, namespace: apps}\n\
           spec: {server: {selector: {matchLabels: {tier: api-debug}}}, client: {unauthenticated: true}}\n";
    let (_, mesh) = build(&text);
    let summary: Vec<(Inbound, String, String)> = plaintext(&mesh, "api")
        .into_iter()
        .map(|(inbound, reason, _, ports)| (inbound, reason, ports))
        .collect();
    let reason = |index: usize| summary[index].1.clone();
    assert_eq!(summary.len(), 4, "{summary:?}");
    // The default policy keeps every port no Server takes; port 8080 (`http`) is for
    // authenticated clients only.
    assert_eq!(
        summary[0].2,
        "TCP 1-8079,8081-8999,9001-9099,9101-9199,9201-65535"
    );
    assert!(
        reason(0).starts_with("Linkerd's default inbound policy"),
        "{}",
        reason(0)
    );
    assert_eq!(summary[1].2, "TCP 9000");
    assert!(
        reason(1).ends_with("has access policy `all-unauthenticated`"),
        "{}",
        reason(1)
    );
    assert_eq!(summary[2].2, "TCP 9100");
    assert!(
        reason(2).ends_with("through AuthorizationPolicy apps/admin-from-anywhere"),
        "{}",
        reason(2)
    );
    assert_eq!(summary[3].2, "TCP 9200");
    assert!(
        reason(3).ends_with("through ServerAuthorization apps/debug"),
        "{}",
        reason(3)
    );
}

#[test]
fn destination_rules_resolve_hosts_and_export() {
    let text = namespace("shop", "istio-injection: enabled", "")
        + &namespace("other", "istio-injection: enabled", "")
        + &deployment("shop", "reviews", "{labels: {app: reviews}}")
        + &deployment(
            "shop",
            "reviews-v2",
            "{labels: {app: reviews, version: v2}}",
        )
        + &deployment("shop", "web", "{labels: {app: web}}")
        + &deployment("other", "client", "{labels: {app: client}}")
        + "apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: shop}\nspec: {selector: {app: reviews}}\n---\n"
        + "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: short, namespace: shop}\n\
           spec: {host: reviews, exportTo: [\".\"], trafficPolicy: {tls: {mode: DISABLE}}}\n---\n"
        + "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: wildcard, namespace: other}\n\
           spec: {host: \"*.shop.svc.cluster.local\", trafficPolicy: {portLevelSettings: [{port: {number: 9080}, tls: {mode: SIMPLE}}]}}\n---\n"
        + "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: elsewhere, namespace: other}\n\
           spec: {host: reviews, trafficPolicy: {tls: {mode: DISABLE}}}\n---\n"
        + "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: subsets, namespace: shop}\n\
           spec: {host: reviews, subsets: [{name: v1, labels: {version: v1}, trafficPolicy: {tls: {mode: DISABLE}}}, \
           {name: v2, labels: {version: v2}, trafficPolicy: {tls: {mode: MUTUAL}}}]}\n";
    let (objects, mesh) = build(&text);
    let index = |name: &str| {
        objects
            .iter()
            .position(|o| o.name == name && o.kind == "DestinationRule")
            .unwrap()
    };
    /// Mode, port, destinations and clients of each setting.
    type Summary = (String, Option<u64>, Vec<String>, Vec<String>);
    let summary = |name: &str| -> Vec<Summary> {
        mesh.tls_overrides(index(name))
            .into_iter()
            .map(|tls| {
                let names = |pods: &[usize]| pods.iter().map(|&p| mesh.name(p)).collect();
                (
                    tls.setting.mode.clone(),
                    tls.setting.port,
                    names(&tls.destinations),
                    names(&tls.clients),
                )
            })
            .collect()
    };
    // Exported to its own namespace only: web, not the client in `other`.
    assert_eq!(
        summary("short"),
        [(
            "DISABLE".to_owned(),
            None,
            vec![
                "shop/reviews[Deployment]".to_owned(),
                "shop/reviews-v2[Deployment]".to_owned()
            ],
            vec![
                "shop/reviews[Deployment]".to_owned(),
                "shop/reviews-v2[Deployment]".to_owned(),
                "shop/web[Deployment]".to_owned()
            ]
        )]
    );
    assert_eq!(
        summary("wildcard"),
        [(
            "SIMPLE".to_owned(),
            Some(9080),
            vec![
                "shop/reviews[Deployment]".to_owned(),
                "shop/reviews-v2[Deployment]".to_owned()
            ],
            vec![
                "shop/reviews[Deployment]".to_owned(),
                "shop/reviews-v2[Deployment]".to_owned(),
                "shop/web[Deployment]".to_owned(),
                "other/client[Deployment]".to_owned()
            ]
        )]
    );
    // `reviews` in namespace `other` names a service that does not exist.
    assert!(summary("elsewhere").is_empty());
    // A subset's policy is for its pods only; no pod is in subset v1. Without `exportTo`, the
    // rule is for clients in every namespace.
    assert_eq!(
        summary("subsets"),
        [(
            "MUTUAL".to_owned(),
            None,
            vec!["shop/reviews-v2[Deployment]".to_owned()],
            vec![
                "shop/reviews[Deployment]".to_owned(),
                "shop/web[Deployment]".to_owned(),
                "other/client[Deployment]".to_owned()
            ]
        )]
    );
}

#[test]
fn malformed_mesh_settings_are_errors_with_lines() {
    let text = "\
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: bad-mode, namespace: shop}
spec:
  mtls: {mode: STRIKT}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: ports-without-selector, namespace: shop}
spec:
  portLevelMtls:
    8080: {mode: DISABLE}
    http: {mode: DISABLE}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: bad-tls, namespace: shop}
spec:
  host: reviews
  trafficPolicy: {tls: {mode: PLAIN}}
---
apiVersion: v1
kind: Namespace
metadata:
  name: apps
  annotations: {config.linkerd.io/skip-outbound-ports: \"25,70000\"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: apps}
spec:
  template:
    metadata:
      annotations:
        linkerd.io/inject: enabled
        config.linkerd.io/default-inbound-policy: everyone
        config.linkerd.io/skip-inbound-ports: \"9000-8000\"
    spec: {containers: [{name: c, image: x}]}
";
    let objects = objects(text);
    let (_, diagnostics) = Mesh::new(&objects, &MeshOptions::default());
    let found: Vec<(u32, &str)> = diagnostics
        .iter()
        .map(|d| (d.line.unwrap_or_default(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                5,
                "PeerAuthentication shop/bad-mode: `/spec/mtls/mode`: invalid mutual TLS mode \"STRIKT\": one of UNSET, DISABLE, PERMISSIVE, STRICT"
            ),
            (
                13,
                "PeerAuthentication shop/ports-without-selector: `/spec/portLevelMtls/http`: `http` is not a port number from 1 to 65535"
            ),
            (
                11,
                "PeerAuthentication shop/ports-without-selector: `/spec/portLevelMtls`: portLevelMtls needs a workload selector (Istio rejects it on namespace- and mesh-wide policies)"
            ),
            (
                20,
                "DestinationRule shop/bad-tls: `/spec/trafficPolicy/tls/mode`: invalid TLS mode \"PLAIN\": one of DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL"
            ),
            (
                26,
                "Namespace apps: `/metadata/annotations/config.linkerd.io~1skip-outbound-ports`: `70000` is not a port (1-65535) or a range of ports (`8000-8100`)"
            ),
            (
                36,
                "Deployment apps/web: `/spec/template/metadata/annotations/config.linkerd.io~1default-inbound-policy`: unknown inbound policy `everyone` (all-unauthenticated, all-authenticated, cluster-unauthenticated, cluster-authenticated, deny, audit)"
            ),
            (
                37,
                "Deployment apps/web: `/spec/template/metadata/annotations/config.linkerd.io~1skip-inbound-ports`: `9000-8000` is not a port (1-65535) or a range of ports (`8000-8100`)"
            ),
        ]
    );
}

#[test]
fn without_a_mesh_nothing_is_built() {
    let (_, mesh) = build(&deployment("shop", "web", "{labels: {app: web}}"));
    assert!(!mesh.in_use());
    assert!(mesh.workloads.is_empty());
}
