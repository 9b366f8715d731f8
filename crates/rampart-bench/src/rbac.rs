//! A generated cluster's RBAC at scale: Roles and ClusterRoles (some aggregated), their
//! bindings and service accounts, deterministic for a seed.

use std::fmt::Write;

use crate::Rng;

/// How much RBAC to generate.
#[derive(Debug, Clone, Copy)]
pub struct RbacScale {
    /// Roles and ClusterRoles together; a quarter are ClusterRoles.
    pub roles: usize,
    /// RoleBindings and ClusterRoleBindings together; a quarter are ClusterRoleBindings.
    pub bindings: usize,
    pub service_accounts: usize,
    pub namespaces: usize,
}

impl RbacScale {
    /// The scale the RBAC performance targets are stated for.
    pub const TARGET: RbacScale = RbacScale {
        roles: 20_000,
        bindings: 20_000,
        service_accounts: 5_000,
        namespaces: 200,
    };
}

const VERBS: &[&str] = &[
    "get", "list", "watch", "create", "update", "patch", "delete", "*",
];
const RESOURCES: &[(&str, &str)] = &[
    ("", "pods"),
    ("", "pods/log"),
    ("", "pods/exec"),
    ("", "secrets"),
    ("", "configmaps"),
    ("", "services"),
    ("", "serviceaccounts"),
    ("apps", "deployments"),
    ("apps", "statefulsets"),
    ("apps", "*/scale"),
    ("batch", "jobs"),
    ("networking.k8s.io", "ingresses"),
    ("example.com", "widgets"),
    ("*", "*"),
];

/// One multi-document YAML stream with every object.
pub fn generate_rbac(scale: RbacScale, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(scale.roles * 400 + scale.bindings * 350);
    let cluster_roles = scale.roles / 4;
    for index in 0..scale.service_accounts {
        let namespace = index % scale.namespaces;
        let _ = write!(
            out,
            "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-{index}\n  namespace: ns-{namespace}\n"
        );
    }
    for index in 0..scale.roles {
        let cluster = index < cluster_roles;
        let _ = if cluster {
            write!(
                out,
                "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: cr-{index}\n"
            )
        } else {
            write!(
                out,
                "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: role-{index}\n  namespace: ns-{}\n",
                index % scale.namespaces
            )
        };
        // Every hundredth ClusterRole aggregates those labelled for it.
        if cluster && index % 100 == 0 {
            let _ = write!(
                out,
                "aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {{aggregate-to: cr-{index}}}\nrules: []\n"
            );
            continue;
        }
        if cluster && index % 100 < 10 {
            let _ = writeln!(
                out,
                "  labels: {{aggregate-to: cr-{}}}",
                index - index % 100
            );
        }
        out.push_str("rules:\n");
        for _ in 0..rng.between(1, 4) {
            let (group, resource) = rng.pick(RESOURCES);
            let verbs: Vec<&str> = (0..rng.between(1, 3)).map(|_| rng.pick(VERBS)).collect();
            let _ = write!(
                out,
                "- apiGroups: [\"{group}\"]\n  resources: [\"{resource}\"]\n  verbs: [{}]\n",
                verbs
                    .iter()
                    .map(|v| format!("\"{v}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if rng.percent(5) {
                let _ = writeln!(out, "  resourceNames: [\"name-{}\"]", rng.below(50));
            }
        }
    }
    let cluster_bindings = scale.bindings / 4;
    for index in 0..scale.bindings {
        let (cluster, namespace) = (index < cluster_bindings, index % scale.namespaces);
        let _ = if cluster {
            write!(
                out,
                "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: crb-{index}\n"
            )
        } else {
            write!(
                out,
                "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb-{index}\n  namespace: ns-{namespace}\n"
            )
        };
        // RoleBindings bind a Role of their namespace or a ClusterRole; ClusterRoleBindings
        // a ClusterRole.
        let (kind, name) = if cluster || rng.percent(30) {
            ("ClusterRole", format!("cr-{}", rng.below(cluster_roles)))
        } else {
            let slot = rng.below((scale.roles - cluster_roles) / scale.namespaces);
            let role = cluster_roles + slot * scale.namespaces;
            let role =
                role + (namespace + scale.namespaces - role % scale.namespaces) % scale.namespaces;
            ("Role", format!("role-{role}"))
        };
        let _ = write!(
            out,
            "roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: {kind}, name: {name}}}\nsubjects:\n"
        );
        for _ in 0..rng.between(1, 3) {
            let _ = match rng.below(3) {
                0 => {
                    let sa = rng.below(scale.service_accounts);
                    writeln!(
                        out,
                        "- {{kind: ServiceAccount, name: sa-{sa}, namespace: ns-{}}}",
                        sa % scale.namespaces
                    )
                }
                1 => writeln!(
                    out,
                    "- {{apiGroup: rbac.authorization.k8s.io, kind: User, name: user-{}}}",
                    rng.below(2_000)
                ),
                _ => writeln!(
                    out,
                    "- {{apiGroup: rbac.authorization.k8s.io, kind: Group, name: team-{}}}",
                    rng.below(300)
                ),
            };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_sized() {
        let small = RbacScale {
            roles: 400,
            bindings: 400,
            service_accounts: 100,
            namespaces: 10,
        };
        let text = generate_rbac(small, 3);
        assert_eq!(text, generate_rbac(small, 3));
        assert_eq!(text.matches("\nkind: ClusterRole\n").count(), 100);
        assert_eq!(text.matches("\nkind: RoleBinding\n").count(), 300);
        assert_eq!(text.matches("\nkind: ServiceAccount\n").count(), 100);
    }
}
