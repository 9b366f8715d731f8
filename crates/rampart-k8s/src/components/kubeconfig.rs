//! Kubeconfig files (`apiVersion: v1`, `kind: Config`) the components connect with
//! (`--kubeconfig`, `--authentication-kubeconfig`, `--authorization-kubeconfig`, the API
//! server's webhook configuration files): how each cluster's server is reached and with what
//! credentials each user authenticates.

use rampart_core::Diagnostic;
use rampart_source::{Node, Object};

use crate::reporter::Reporter;

/// A `clusters` element.
#[derive(Debug, Clone)]
pub struct KubeCluster {
    pub name: String,
    /// JSON pointer of its `cluster` object.
    pub pointer: String,
    pub server: String,
    /// The server's certificate is not verified (`insecure-skip-tls-verify: true`).
    pub skips_tls_verify: bool,
}

/// Credentials written into a kubeconfig: a bearer token or a username and password.
#[derive(Debug, Clone)]
pub struct StaticCredential {
    pub user: String,
    /// `token` or `password`.
    pub field: &'static str,
    pub pointer: String,
}

/// A parsed kubeconfig.
#[derive(Debug, Clone, Default)]
pub struct Kubeconfig {
    pub clusters: Vec<KubeCluster>,
    pub static_credentials: Vec<StaticCredential>,
}

impl Kubeconfig {
    /// Reads `object`, with an error for each element a client would fail on.
    pub fn parse(object: &Object) -> (Kubeconfig, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let mut problems = Reporter::new(object, &mut errors);
        let mut config = Kubeconfig::default();
        for (index, name, cluster) in named(&object.root, "clusters", "cluster", &mut problems) {
            let pointer = format!("/clusters/{index}/cluster");
            config.clusters.push(KubeCluster {
                name,
                server: cluster
                    .get("server")
                    .and_then(Node::as_str)
                    .unwrap_or("")
                    .to_owned(),
                skips_tls_verify: cluster
                    .get("insecure-skip-tls-verify")
                    .and_then(Node::as_bool)
                    == Some(true),
                pointer,
            });
        }
        for (index, name, user) in named(&object.root, "users", "user", &mut problems) {
            for field in ["token", "password"] {
                if user
                    .get(field)
                    .and_then(Node::as_str)
                    .is_some_and(|v| !v.is_empty())
                {
                    config.static_credentials.push(StaticCredential {
                        user: name.clone(),
                        field,
                        pointer: format!("/users/{index}/user/{field}"),
                    });
                }
            }
        }
        (config, errors)
    }
}

/// The `(index, name, body)` of each element of a named list (`clusters`, `users`).
fn named<'n>(
    root: &'n Node,
    list: &str,
    body: &str,
    problems: &mut Reporter<'_, '_>,
) -> Vec<(usize, String, &'n Node)> {
    problems
        .list(root.get(list), &format!("/{list}"))
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let name = item.get("name").and_then(Node::as_str).unwrap_or("");
            let inner = item.get(body).filter(|inner| inner.as_map().is_some());
            if name.is_empty() || inner.is_none() {
                problems.error(
                    &format!("/{list}/{index}"),
                    format!("an element of `{list}` needs a `name` and a `{body}` object"),
                );
            }
            Some((index, name.to_owned(), inner?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use rampart_source::{Limits, parse_text};

    use super::*;

    #[test]
    fn reads_servers_and_written_credentials() {
        let text = "apiVersion: v1\nkind: Config\nclusters:\n- name: a\n  cluster: {server: 'http://10.0.0.1:8080', insecure-skip-tls-verify: true}\n- name: b\nusers:\n- name: u\n  user: {token: abc, client-certificate-data: x}\n- name: v\n  user: {username: admin, password: pw}\n";
        let (objects, _) = parse_text("kc.conf", text, &Limits::default());
        let (config, errors) = Kubeconfig::parse(&objects[0]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(6));
        assert_eq!(config.clusters.len(), 1);
        assert!(config.clusters[0].skips_tls_verify);
        assert_eq!(config.clusters[0].server, "http://10.0.0.1:8080");
        let found: Vec<_> = config
            .static_credentials
            .iter()
            .map(|c| (c.user.as_str(), c.field, c.pointer.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("u", "token", "/users/0/user/token"),
                ("v", "password", "/users/1/user/password")
            ]
        );
    }
}
