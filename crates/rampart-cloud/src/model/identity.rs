//! Which cloud identity a Kubernetes service account becomes, and which identity a node
//! group gives the pods on its nodes: what joins the Cluster layer to the Cloud layer.
//!
//! - EKS IRSA: a role whose trust policy lets an OIDC provider's tokens assume it, for
//!   `system:serviceaccount:NS:NAME` subjects (a `StringEquals`/`StringLike` condition on
//!   `…:sub`); a `kubernetes_service_account` annotated `eks.amazonaws.com/role-arn`.
//! - EKS Pod Identity: `aws_eks_pod_identity_association`.
//! - GKE Workload Identity: `roles/iam.workloadIdentityUser` granted on a Google service
//!   account to `serviceAccount:PROJECT.svc.id.goog[NS/NAME]`.
//! - Azure workload identity: a federated identity credential whose subject is
//!   `system:serviceaccount:NS:NAME`.
//! - Node identities: an EKS node group's role, a GKE node pool's service account, an AKS
//!   cluster's kubelet identity.

use crate::model::CloudModel;
use crate::value::Value;

/// How a service account gets its cloud identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    Irsa,
    EksPodIdentity,
    GkeWorkloadIdentity,
    AzureWorkloadIdentity,
}

/// A Kubernetes service account (or a pattern of them) and the identity it becomes.
#[derive(Debug, Clone)]
pub struct ServiceAccountIdentity {
    pub mechanism: Mechanism,
    /// The namespace; `None` when any namespace matches (a wildcard in a trust condition).
    pub namespace: Option<String>,
    /// The service account; `None` when any name matches.
    pub service_account: Option<String>,
    /// A role ARN, a Google service account's email or an Azure identity; `None` when not
    /// known statically.
    pub identity: Option<String>,
    /// The declared role, service account or identity resource, when it is in the model.
    pub identity_resource: Option<usize>,
    /// The resource that makes the link.
    pub resource: usize,
}

/// A node group and the identity its nodes (and pods that reach the metadata service) have.
#[derive(Debug, Clone)]
pub struct NodeIdentity {
    pub node_group: usize,
    pub identity: Option<String>,
    pub identity_resource: Option<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Identities {
    pub service_accounts: Vec<ServiceAccountIdentity>,
    pub nodes: Vec<NodeIdentity>,
}

impl Identities {
    pub(crate) fn of(model: &CloudModel) -> Identities {
        let mut identities = Identities::default();
        identities.irsa_trust(model);
        for (index, resource) in model
            .of_kind("kubernetes_service_account")
            .chain(model.of_kind("kubernetes_service_account_v1"))
        {
            let metadata = resource.get("metadata");
            let arn = metadata
                .and_then(|m| m.at("annotations"))
                .and_then(|a| a.get("eks.amazonaws.com/role-arn"));
            if let Some(arn) = arn {
                let role = model
                    .linked(resource, "metadata", &["aws_iam_role"], "arn")
                    .first()
                    .copied();
                identities.service_accounts.push(ServiceAccountIdentity {
                    mechanism: Mechanism::Irsa,
                    namespace: Some(
                        metadata
                            .and_then(|m| m.at("namespace"))
                            .and_then(Value::as_str)
                            .unwrap_or("default")
                            .to_owned(),
                    ),
                    service_account: metadata
                        .and_then(|m| m.at("name"))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    identity: arn.as_str().map(str::to_owned),
                    identity_resource: role,
                    resource: index,
                });
            }
        }
        for (index, resource) in model.of_kind("aws_eks_pod_identity_association") {
            let role = model
                .linked(resource, "role_arn", &["aws_iam_role"], "arn")
                .first()
                .copied();
            identities.service_accounts.push(ServiceAccountIdentity {
                mechanism: Mechanism::EksPodIdentity,
                namespace: resource.str("namespace").map(str::to_owned),
                service_account: resource.str("service_account").map(str::to_owned),
                identity: resource.str("role_arn").map(str::to_owned),
                identity_resource: role,
                resource: index,
            });
        }
        for kind in [
            "google_service_account_iam_member",
            "google_service_account_iam_binding",
        ] {
            for (index, resource) in model.of_kind(kind) {
                if resource.str("role") != Some("roles/iam.workloadIdentityUser") {
                    continue;
                }
                let members: Vec<&str> = match resource.get("member") {
                    Some(member) => member.as_str().into_iter().collect(),
                    None => resource
                        .get("members")
                        .map(Value::items)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(Value::as_str)
                        .collect(),
                };
                let account = model
                    .linked(
                        resource,
                        "service_account_id",
                        &["google_service_account"],
                        "name",
                    )
                    .first()
                    .copied();
                let email = account
                    .and_then(|a| model.resources[a].str("email").map(str::to_owned))
                    .or_else(|| resource.str("service_account_id").map(str::to_owned));
                for member in members {
                    // serviceAccount:PROJECT.svc.id.goog[NAMESPACE/NAME]
                    let Some((namespace, name)) = member
                        .split_once('[')
                        .and_then(|(_, rest)| rest.strip_suffix(']'))
                        .and_then(|inner| inner.split_once('/'))
                    else {
                        continue;
                    };
                    identities.service_accounts.push(ServiceAccountIdentity {
                        mechanism: Mechanism::GkeWorkloadIdentity,
                        namespace: Some(namespace.to_owned()),
                        service_account: Some(name.to_owned()),
                        identity: email.clone(),
                        identity_resource: account,
                        resource: index,
                    });
                }
            }
        }
        for (index, resource) in model.of_kind("azurerm_federated_identity_credential") {
            let Some((namespace, name)) = resource
                .str("subject")
                .and_then(|s| s.strip_prefix("system:serviceaccount:"))
                .and_then(|s| s.split_once(':'))
            else {
                continue;
            };
            let identity = model
                .linked(
                    resource,
                    "parent_id",
                    &["azurerm_user_assigned_identity"],
                    "id",
                )
                .first()
                .copied();
            identities.service_accounts.push(ServiceAccountIdentity {
                mechanism: Mechanism::AzureWorkloadIdentity,
                namespace: Some(namespace.to_owned()),
                service_account: Some(name.to_owned()),
                identity: identity.and_then(|i| model.resources[i].str("name").map(str::to_owned)),
                identity_resource: identity,
                resource: index,
            });
        }
        identities.node_identities(model);
        identities
    }

    /// Roles whose trust policy admits service account tokens of an OIDC provider.
    fn irsa_trust(&mut self, model: &CloudModel) {
        for principal in &model.iam.principals {
            let Some(trust) = &principal.trust else {
                continue;
            };
            for statement in statements(&trust.json) {
                let federated = statement
                    .get("Principal")
                    .and_then(|p| p.get("Federated"))
                    .is_some();
                let web_identity = action_names(statement)
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case("sts:AssumeRoleWithWebIdentity"));
                if !(federated && web_identity) {
                    continue;
                }
                let subjects = statement
                    .get("Condition")
                    .and_then(serde_json::Value::as_object)
                    .into_iter()
                    .flat_map(|tests| tests.values())
                    .filter_map(serde_json::Value::as_object)
                    .flat_map(|variables| variables.iter())
                    .filter(|(key, _)| key.ends_with(":sub"))
                    .flat_map(|(_, values)| match values {
                        serde_json::Value::String(text) => vec![text.clone()],
                        serde_json::Value::Array(items) => items
                            .iter()
                            .filter_map(|i| i.as_str().map(str::to_owned))
                            .collect(),
                        _ => Vec::new(),
                    })
                    .collect::<Vec<_>>();
                for subject in subjects {
                    let Some(rest) = subject.strip_prefix("system:serviceaccount:") else {
                        continue;
                    };
                    let (namespace, name) = rest.split_once(':').unwrap_or((rest, "*"));
                    let exact = |part: &str| {
                        (!part.contains('*') && !part.contains('?')).then(|| part.to_owned())
                    };
                    self.service_accounts.push(ServiceAccountIdentity {
                        mechanism: Mechanism::Irsa,
                        namespace: exact(namespace),
                        service_account: exact(name),
                        identity: model.resources[principal.resource]
                            .str("arn")
                            .map(str::to_owned),
                        identity_resource: Some(principal.resource),
                        resource: principal.resource,
                    });
                }
            }
        }
    }

    fn node_identities(&mut self, model: &CloudModel) {
        for (index, resource) in model.of_kind("aws_eks_node_group") {
            let role = model
                .linked(resource, "node_role_arn", &["aws_iam_role"], "arn")
                .first()
                .copied();
            self.nodes.push(NodeIdentity {
                node_group: index,
                identity: resource.str("node_role_arn").map(str::to_owned),
                identity_resource: role,
            });
        }
        for kind in ["google_container_node_pool", "google_container_cluster"] {
            for (index, resource) in model.of_kind(kind) {
                let Some(config) = resource.get("node_config") else {
                    continue;
                };
                let account = model
                    .linked(
                        resource,
                        "node_config",
                        &["google_service_account"],
                        "email",
                    )
                    .first()
                    .copied();
                self.nodes.push(NodeIdentity {
                    node_group: index,
                    // No service account: the Compute Engine default service account.
                    identity: Some(
                        config
                            .at("service_account")
                            .and_then(Value::as_str)
                            .unwrap_or("default")
                            .to_owned(),
                    ),
                    identity_resource: account,
                });
            }
        }
        for (index, resource) in model.of_kind("azurerm_kubernetes_cluster") {
            let identity = resource
                .get("kubelet_identity/user_assigned_identity_id")
                .and_then(Value::as_str)
                .map(str::to_owned);
            self.nodes.push(NodeIdentity {
                node_group: index,
                identity,
                identity_resource: None,
            });
        }
    }
}

fn statements(document: &serde_json::Value) -> Vec<&serde_json::Value> {
    match document.get("Statement") {
        Some(serde_json::Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    }
}

fn action_names(statement: &serde_json::Value) -> Vec<&str> {
    match statement.get("Action") {
        Some(serde_json::Value::String(action)) => vec![action.as_str()],
        Some(serde_json::Value::Array(items)) => items.iter().filter_map(|i| i.as_str()).collect(),
        _ => Vec::new(),
    }
}
