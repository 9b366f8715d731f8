//! Lookups across the objects of one scan, built once so that rules looking from one object to
//! another (a pod to its ServiceAccount) stay linear in the size of the input.

use std::collections::HashMap;

use rampart_source::Object;

/// Indexes of the scanned objects by identity.
#[derive(Debug, Default)]
pub struct ClusterIndex<'a> {
    service_accounts: HashMap<(Option<&'a str>, &'a str), &'a Object>,
}

impl<'a> ClusterIndex<'a> {
    pub fn new(objects: &'a [Object]) -> ClusterIndex<'a> {
        let service_accounts = objects
            .iter()
            .filter(|o| o.kind == "ServiceAccount" && o.api_version == "v1")
            .map(|o| ((o.namespace.as_deref(), o.name.as_str()), o))
            .collect();
        ClusterIndex { service_accounts }
    }

    /// The ServiceAccount `name` in `namespace` (`None`: objects that name no namespace, which
    /// land in the same namespace when applied together).
    pub fn service_account(&self, namespace: Option<&str>, name: &str) -> Option<&'a Object> {
        self.service_accounts.get(&(namespace, name)).copied()
    }
}

#[cfg(test)]
mod tests {
    use rampart_source::{Limits, parse_text};

    use super::*;

    #[test]
    fn finds_service_accounts_by_namespace_and_name() {
        let text = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\n---\n\
                    apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\n";
        let (objects, _) = parse_text("sa.yaml", text, &Limits::default());
        let index = ClusterIndex::new(&objects);
        assert_eq!(
            index
                .service_account(Some("shop"), "web")
                .unwrap()
                .namespace
                .as_deref(),
            Some("shop")
        );
        assert!(
            index
                .service_account(None, "web")
                .unwrap()
                .namespace
                .is_none()
        );
        assert!(index.service_account(Some("other"), "web").is_none());
    }
}
