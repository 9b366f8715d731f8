use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Node;

use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// Ingress objects (`networking.k8s.io` and the older `extensions` group) that serve hosts
    /// without TLS: no `spec.tls` at all, or a rule's `host` that no `spec.tls[].hosts` entry
    /// covers. A wildcard TLS host (`*.example.com`) covers names one label below it, as in a
    /// certificate. A rule without `host` is covered by a TLS entry without `hosts`.
    ///
    /// ## Why it matters
    /// Traffic to such hosts crosses networks in clear text: credentials, session cookies and
    /// the data of every request can be read and changed by anyone on the path (a shared
    /// network, a compromised router, a cloud load balancer's neighbours).
    ///
    /// ## Example
    /// ```yaml
    /// kind: Ingress
    /// spec:
    ///   rules:
    ///     - host: shop.example.com
    ///       http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
    /// ```
    /// Use instead: a certificate for every host.
    /// ```yaml
    /// kind: Ingress
    /// spec:
    ///   tls:
    ///     - hosts: [shop.example.com]
    ///       secretName: shop-tls
    ///   rules:
    ///     - host: shop.example.com
    ///       http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
    /// ```
    pub struct IngressWithoutTls {
        code: "K310",
        name: "ingress-without-tls",
        title: "Ingress serves hosts without TLS",
        severity: Severity::Medium,
        layer: Layer::Cluster,
        concern: Concern::Networking,
        references: refs![
            Nsa: ["network-separation"],
            Mitre: ["T1040", "T1557"],
            Cwe: ["CWE-319"],
        ],
        equivalents: &["kubescape:C-0263", "polaris:tlsSettingsMissing"],
    }
}

/// Whether the TLS host `pattern` covers `host`, as a certificate name would.
fn covers(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest.eq_ignore_ascii_case(suffix)),
        None => pattern.eq_ignore_ascii_case(host),
    }
}

impl Check<Objects> for IngressWithoutTls {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        let object = target.object;
        let group = object.api_version.rsplit_once('/').map_or("", |(g, _)| g);
        if object.kind != "Ingress" || !matches!(group, "networking.k8s.io" | "extensions") {
            return;
        }
        let spec = object.root.get("spec").unwrap_or(Node::null());
        let tls = spec.get("tls").map_or(&[][..], Node::items);
        let rules = spec.get("rules").map_or(&[][..], Node::items);
        if tls.is_empty() {
            let hosts: Vec<&str> = rules
                .iter()
                .filter_map(|rule| rule.get("host").and_then(Node::as_str))
                .collect();
            let served = if hosts.is_empty() {
                "every host".to_owned()
            } else {
                hosts.join(", ")
            };
            hits.push(Hit::new(
                "/spec/tls",
                format!(
                    "the Ingress has no `tls` section: {served} served over plain HTTP; add `tls` with a certificate Secret for its hosts"
                ),
            ));
            return;
        }
        let tls_hosts: Vec<Option<&[Node]>> = tls
            .iter()
            .map(|entry| {
                entry
                    .get("hosts")
                    .map(Node::items)
                    .filter(|h| !h.is_empty())
            })
            .collect();
        for (index, rule) in rules.iter().enumerate() {
            let covered = match rule.get("host").and_then(Node::as_str) {
                Some(host) => tls_hosts.iter().flatten().any(|hosts| {
                    hosts
                        .iter()
                        .filter_map(Node::as_str)
                        .any(|pattern| covers(pattern, host))
                }),
                None => tls_hosts.iter().any(Option::is_none),
            };
            if covered {
                continue;
            }
            let (pointer, host) = match rule.get("host").and_then(Node::as_str) {
                Some(host) => (
                    format!("/spec/rules/{index}/host"),
                    format!("host `{host}`"),
                ),
                None => (
                    format!("/spec/rules/{index}"),
                    "the rule without a host".to_owned(),
                ),
            };
            hits.push(Hit::new(
                pointer,
                format!(
                    "{host} is in no `tls` entry's hosts: it is served over plain HTTP; list it under `spec.tls[].hosts` with a certificate that covers it"
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn wildcards_cover_one_label() {
        assert!(covers("*.example.com", "shop.example.com"));
        assert!(covers("Shop.Example.com", "shop.example.com"));
        assert!(!covers("*.example.com", "a.shop.example.com"));
        assert!(!covers("*.example.com", "example.com"));
        assert!(!covers("shop.example.com", "api.example.com"));
    }
}
