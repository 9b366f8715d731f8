use std::fmt;

use compact_str::CompactString;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What kind of system a subject belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Kubernetes,
    Dockerfile,
    Image,
    Node,
    Terraform,
    CloudFormation,
    Code,
    Package,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Kubernetes => "kubernetes",
            Platform::Dockerfile => "dockerfile",
            Platform::Image => "image",
            Platform::Node => "node",
            Platform::Terraform => "terraform",
            Platform::CloudFormation => "cloudformation",
            Platform::Code => "code",
            Platform::Package => "package",
        }
    }

    /// Whether a subject of this platform is the very file or image its findings' locations
    /// name, so that showing it beside the location would say the same twice.
    pub fn is_its_location(self) -> bool {
        matches!(
            self,
            Platform::Dockerfile | Platform::Image | Platform::Node
        )
    }
}

/// What a finding is about, on every layer: a Kubernetes object, a Dockerfile, an image, a node
/// file, and to come a Terraform resource, a CloudFormation logical id, a function, a package.
/// Findings on one subject share it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Subject {
    pub platform: Platform,
    /// Which system, when a scan holds several (a cluster, a node, an account); `None` when
    /// there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// `Deployment`, `Dockerfile`, `image`, `file`, `aws_s3_bucket`, `function`.
    pub kind: String,
    /// What the name is unique within: a namespace, a module path, a Python module, an
    /// ecosystem.
    pub scope: Option<String>,
    /// `web`, `checkout/Dockerfile`, `registry.example/shop/cart`,
    /// `/var/lib/kubelet/config.yaml`: never where the scan found it, so that the subject is
    /// the same from any checkout or mount point.
    pub name: String,
    /// Shown, never part of the identity: a Kubernetes apiVersion, a package's version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl Subject {
    /// A Kubernetes object.
    pub fn kubernetes(
        api_version: &str,
        kind: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Subject {
        Subject {
            platform: Platform::Kubernetes,
            system: None,
            kind: kind.to_owned(),
            scope: namespace.map(str::to_owned),
            name: name.to_owned(),
            version: Some(api_version.to_owned()),
        }
    }

    /// A Dockerfile, named by its path relative to its repository (or scanned folder).
    pub fn dockerfile(name: &str) -> Subject {
        Subject::unscoped(Platform::Dockerfile, "Dockerfile", name)
    }

    /// An image, named by its repository without tag or digest (else as it was shown).
    pub fn image(name: &str) -> Subject {
        Subject::unscoped(Platform::Image, "image", name)
    }

    /// A file of a node, named by its path on the node (not where the node is mounted).
    pub fn node_file(path: &str) -> Subject {
        Subject::unscoped(Platform::Node, "file", path)
    }

    /// A function of a source module (`Repo.find`, `<module>` for its top-level code), the
    /// module by its dotted name.
    pub fn function(module: &str, qualname: &str) -> Subject {
        Subject {
            platform: Platform::Code,
            system: None,
            kind: "function".to_owned(),
            scope: Some(module.to_owned()),
            name: qualname.to_owned(),
            version: None,
        }
    }

    fn unscoped(platform: Platform, kind: &str, name: &str) -> Subject {
        Subject {
            platform,
            system: None,
            kind: kind.to_owned(),
            scope: None,
            name: name.to_owned(),
            version: None,
        }
    }

    /// The namespace of a Kubernetes object.
    pub fn namespace(&self) -> Option<&str> {
        match self.platform {
            Platform::Kubernetes => self.scope.as_deref(),
            _ => None,
        }
    }

    /// How people read a subject: `Deployment shop/web`, `ClusterRole admin`.
    pub fn label(&self) -> String {
        match &self.scope {
            Some(scope) => format!("{} {scope}/{}", self.kind, self.name),
            None => format!("{} {}", self.kind, self.name),
        }
    }
}

/// `Kind/scope/name` (`Kind/name` without a scope): for Kubernetes objects
/// `Kind/namespace/name`, the form `[[exclude]] objects` globs match.
impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.scope {
            Some(scope) => write!(f, "{}/{}/{}", self.kind, scope, self.name),
            None => write!(f, "{}/{}", self.kind, self.name),
        }
    }
}

/// A stable identity for a finding that survives edits elsewhere: the SHA-256 of the
/// NUL-terminated parts `code`, the platform (left out for Kubernetes, whose fingerprints are
/// as schema 1 wrote them), the system (only when set), kind, scope (or nothing), name and
/// `field`, as 16 hexadecimal digits. Neither a line nor the file a subject was found in is
/// hashed, so moving it or scanning from another folder keeps it. Changing this recipe
/// invalidates every baseline: it needs a new `schema_version`.
pub fn fingerprint(code: &str, subject: &Subject, field: &str) -> CompactString {
    let mut hasher = Sha256::new();
    let mut part = |text: &str| {
        hasher.update(text.as_bytes());
        hasher.update([0]);
    };
    part(code);
    if subject.platform != Platform::Kubernetes {
        part(subject.platform.as_str());
    }
    if let Some(system) = &subject.system {
        part(system);
    }
    part(&subject.kind);
    part(subject.scope.as_deref().unwrap_or(""));
    part(&subject.name);
    part(field);
    let digest = hasher.finalize();
    let leading = u64::from_be_bytes(digest[..8].try_into().expect("SHA-256 has 32 bytes"));
    compact_str::format_compact!("{leading:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str) -> Subject {
        Subject::kubernetes("v1", "Pod", Some("shop"), name)
    }

    #[test]
    fn fingerprint_depends_on_identity_not_version() {
        let a = fingerprint("K101", &pod("web"), "/spec/x");
        assert_eq!(a.len(), 16);
        assert_ne!(a, fingerprint("K102", &pod("web"), "/spec/x"));
        assert_ne!(a, fingerprint("K101", &pod("api"), "/spec/x"));
        assert_ne!(a, fingerprint("K101", &pod("web"), "/spec/y"));
        let newer = Subject {
            version: Some("v2".into()),
            ..pod("web")
        };
        assert_eq!(a, fingerprint("K101", &newer, "/spec/x"));
        let elsewhere = Subject {
            system: Some("staging".into()),
            ..pod("web")
        };
        assert_ne!(a, fingerprint("K101", &elsewhere, "/spec/x"));
        // The same name on another platform is another subject.
        let file = Subject {
            platform: Platform::Node,
            ..pod("web")
        };
        assert_ne!(a, fingerprint("K101", &file, "/spec/x"));
    }

    /// Baselines on disk hold these values: a change here breaks every user's baseline and
    /// must raise the report's schema_version.
    #[test]
    fn fingerprint_recipe_is_frozen() {
        let privileged = "/spec/containers/app/securityContext/privileged";
        // sha256("K101\0Pod\0shop\0web\0/spec/containers/app/securityContext/privileged\0"),
        // as schema 1 wrote it.
        assert_eq!(
            fingerprint("K101", &pod("web"), privileged),
            "890bafea4ce3920a"
        );
        let cases = [
            // sha256("D111\0dockerfile\0Dockerfile\0\0app/Dockerfile\0stage=0/RUN sudo true#1\0")
            (
                fingerprint(
                    "D111",
                    &Subject::dockerfile("app/Dockerfile"),
                    "stage=0/RUN sudo true#1",
                ),
                "7ef569a787f12b45",
            ),
            // sha256("I101\0image\0image\0\0registry.example/shop/cart\0/config/User\0")
            (
                fingerprint(
                    "I101",
                    &Subject::image("registry.example/shop/cart"),
                    "/config/User",
                ),
                "9a7db39e1fcc4b89",
            ),
            // sha256("K433\0node\0file\0\0/var/lib/kubelet/config.yaml\0/readOnlyPort\0")
            (
                fingerprint(
                    "K433",
                    &Subject::node_file("/var/lib/kubelet/config.yaml"),
                    "/readOnlyPort",
                ),
                "4186c14d6f15d79f",
            ),
            // sha256("K101\0prod\0Pod\0shop\0web\0/spec/containers/app/securityContext/privileged\0")
            (
                fingerprint(
                    "K101",
                    &Subject {
                        system: Some("prod".into()),
                        ..pod("web")
                    },
                    privileged,
                ),
                "522def7c6d54ec17",
            ),
        ];
        for (actual, expected) in cases {
            assert_eq!(actual, expected);
        }
    }

    #[test]
    fn labels_and_exclusion_names() {
        let deployment = Subject::kubernetes("apps/v1", "Deployment", Some("shop"), "web");
        assert_eq!(deployment.label(), "Deployment shop/web");
        assert_eq!(deployment.to_string(), "Deployment/shop/web");
        assert_eq!(deployment.namespace(), Some("shop"));
        let role =
            Subject::kubernetes("rbac.authorization.k8s.io/v1", "ClusterRole", None, "admin");
        assert_eq!(role.label(), "ClusterRole admin");
        assert_eq!(role.to_string(), "ClusterRole/admin");
        let dockerfile = Subject::dockerfile("app/Dockerfile");
        assert_eq!(dockerfile.label(), "Dockerfile app/Dockerfile");
        assert_eq!(dockerfile.namespace(), None);
    }

    #[test]
    fn serialized_shape() {
        let json = serde_json::to_value(pod("web")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "platform": "kubernetes", "kind": "Pod", "scope": "shop", "name": "web",
                "version": "v1"
            })
        );
        let json = serde_json::to_value(Subject::image("nginx")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"platform": "image", "kind": "image", "scope": null, "name": "nginx"})
        );
    }
}
