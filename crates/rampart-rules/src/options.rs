use rampart_k8s::mesh::MeshOptions;
use serde::Deserialize;

/// Settings that change what rules accept, from the `[options]` table of `rampart.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct RuleOptions {
    /// Registries (and optional path prefixes) images may come from, for rules K139
    /// (`image-registry-not-allowed`, the images workloads run) and D104
    /// (`base-image-registry-not-allowed`, Dockerfile base images): `ghcr.io/acme`, `registry.example.com:5000`,
    /// `docker.io/library`. Images are compared fully qualified (`nginx` is
    /// `docker.io/library/nginx`; `index.docker.io` is `docker.io`), registries
    /// case-insensitively, and prefixes at path-segment boundaries (`ghcr.io/acme` does not
    /// allow `ghcr.io/acme-labs/app`). Empty: every registry is allowed and the rules are
    /// silent.
    pub allowed_registries: Vec<String>,
    /// The label that marks a workload as sensitive, for rule K340
    /// (`sensitive-workload-shares-node`): `key=value`, or `key` for any value; read on the
    /// workload and on its pod template. Default `rampart.dev/sensitive=true`.
    pub sensitive_label: String,
    /// The label that marks a workload as untrusted (third-party code, tenants' jobs), for
    /// rule K340, written like `sensitive-label`. Default `rampart.dev/untrusted=true`.
    pub untrusted_label: String,
    /// Istio's root namespace, whose PeerAuthentications without a selector apply to the whole
    /// mesh (`meshConfig.rootNamespace`). Default `istio-system`.
    pub istio_root_namespace: String,
    /// TCP ports that rule K308 (`datastore-port-exposed`) treats as datastores or control
    /// ports, beyond its built-in list (PostgreSQL, MySQL, Redis, MongoDB, etcd, the kubelet,
    /// ...): `[8200, 9000]`. Empty by default.
    pub datastore_ports: Vec<u16>,
}

impl Default for RuleOptions {
    fn default() -> RuleOptions {
        RuleOptions {
            allowed_registries: Vec::new(),
            sensitive_label: "rampart.dev/sensitive=true".to_owned(),
            untrusted_label: "rampart.dev/untrusted=true".to_owned(),
            istio_root_namespace: "istio-system".to_owned(),
            datastore_ports: Vec::new(),
        }
    }
}

impl RuleOptions {
    /// The settings of the service mesh analysis.
    pub(crate) fn mesh(&self) -> MeshOptions {
        MeshOptions {
            istio_root_namespace: self.istio_root_namespace.clone(),
        }
    }
}

/// Whether `labels` carry the label `spec` names: `key=value`, or `key` with any value.
pub(crate) fn has_label(spec: &str, labels: &[(String, String)]) -> bool {
    let (key, value) = match spec.split_once('=') {
        Some((key, value)) => (key.trim(), Some(value.trim())),
        None => (spec.trim(), None),
    };
    !key.is_empty()
        && labels
            .iter()
            .any(|(k, v)| k == key && value.is_none_or(|value| value == v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_specs_take_a_value_or_not() {
        let labels = [("tier".to_owned(), "secure".to_owned())];
        assert!(has_label("tier=secure", &labels));
        assert!(has_label("tier", &labels));
        assert!(!has_label("tier=public", &labels));
        assert!(!has_label("", &labels));
        let options: RuleOptions = toml::from_str("sensitive-label = \"tier=secure\"").unwrap();
        assert_eq!(options.sensitive_label, "tier=secure");
        assert_eq!(options.untrusted_label, "rampart.dev/untrusted=true");
    }
}
