//! The privilege escalation techniques rampart knows, as data. Each one says which permissions
//! it needs, written as requests the authorizer is asked about (never as patterns matched
//! against rule text), where those requests are made, and what using it gives.

use rampart_source::Object;

use crate::rbac::{
    ANONYMOUS, AUTHENTICATED, MASTERS, Request, Subject, SubjectKind, UNAUTHENTICATED,
};

/// A permission as the authorizer is asked about it. The namespace is filled in where the
/// technique is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Permission {
    pub verb: &'static str,
    pub api_group: &'static str,
    pub resource: &'static str,
    pub subresource: &'static str,
    /// Empty: any object of the resource, which rules limited by `resourceNames` do not allow.
    pub name: &'static str,
}

const fn permission(
    verb: &'static str,
    api_group: &'static str,
    resource: &'static str,
) -> Permission {
    Permission {
        verb,
        api_group,
        resource,
        subresource: "",
        name: "",
    }
}

impl Permission {
    const fn on(self, subresource: &'static str) -> Permission {
        Permission {
            subresource,
            ..self
        }
    }

    const fn named(self, name: &'static str) -> Permission {
        Permission { name, ..self }
    }

    /// The request for this permission in `namespace` (empty: cluster-wide).
    pub fn request(&self, namespace: &str) -> Request {
        Request::resource(
            self.verb,
            namespace,
            self.api_group,
            self.resource,
            self.subresource,
            self.name,
        )
    }
}

/// Where a technique's requests are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// In one namespace; held cluster-wide, in every namespace.
    Namespace,
    /// Cluster-wide: only ClusterRoleBindings grant it.
    Cluster,
    /// In this namespace only.
    In(&'static str),
}

/// What rampart calls crown jewels: the power an attacker is after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Jewel {
    /// Every verb on every resource cluster-wide (`*` on `*`), or `system:masters`.
    ClusterAdmin,
    /// Reading every Secret of the cluster.
    Secrets,
    /// Code execution on nodes, through the kubelet API.
    Nodes,
}

impl Jewel {
    pub fn as_str(self) -> &'static str {
        match self {
            Jewel::ClusterAdmin => "cluster-admin",
            Jewel::Secrets => "secrets",
            Jewel::Nodes => "nodes",
        }
    }
}

impl std::fmt::Display for Jewel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What using a technique gives, in the namespace it is used in (every namespace when the
/// permissions are held cluster-wide).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gain {
    /// The identity of any service account there: a pod can name any of them.
    AnyAccount,
    /// The identities whose tokens running pods there hold.
    MountedAccounts,
    /// The identities whose tokens running pods anywhere hold.
    MountedAccountsEverywhere,
    /// The identities whose long-lived token Secrets are there (in the input).
    StoredTokens,
    /// The identity of any user.
    AnyUser,
    /// The jewel itself: the permissions are the power.
    Holds(Jewel),
    /// The jewel, by granting it to oneself.
    Reaches(Jewel),
    /// The permissions of every Role of the namespace, bound to oneself. Rules report it; the
    /// search does not follow it, since its nodes are identities and a Role is not one.
    NamespaceRoles,
}

/// Which permissions a route needs.
#[derive(Debug, Clone, Copy)]
pub enum Needs {
    /// Any one of them.
    Any(&'static [Permission]),
    /// All of them, together.
    All(&'static [Permission]),
}

/// One way to use a technique: what it needs, made in `scope`, gives `gain`.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub needs: Needs,
    pub scope: Scope,
    pub gain: Gain,
    /// What the identity does, in words, for chains and findings: `{namespace}` and
    /// `{becomes}` stand for where and whom.
    pub how: &'static str,
}

impl Route {
    /// The route's permissions.
    pub fn permissions(&self) -> &'static [Permission] {
        match self.needs {
            Needs::Any(permissions) | Needs::All(permissions) => permissions,
        }
    }

    /// What the identity does, with the namespace and the identity it leads to filled in.
    /// Without a namespace or identity (a finding on a grant, not a step of a chain), says
    /// which ones the route can reach.
    pub fn how(&self, namespace: Option<&str>, becomes: Option<&str>) -> String {
        let anyone = match self.gain {
            Gain::AnyAccount => "any service account there",
            Gain::MountedAccounts => "its service account",
            Gain::MountedAccountsEverywhere => "any service account",
            Gain::StoredTokens => "its service accounts",
            Gain::AnyUser => "any user",
            _ => "another identity",
        };
        let namespace =
            namespace.map_or("the namespace".to_owned(), |ns| format!("namespace {ns}"));
        self.how
            .replace("{namespace}", &namespace)
            .replace("{becomes}", becomes.unwrap_or(anyone))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TechniqueId {
    Wildcard,
    ReadSecrets,
    CreateWorkloads,
    ExecIntoPods,
    NodeProxy,
    BindOrEscalate,
    Impersonate,
    CreateTokens,
    ApproveCertificates,
    WriteWebhooks,
    ModifyNodes,
    CreatePersistentVolumes,
    SystemMasters,
    PublicGrant,
    DefaultAccountGrant,
    WriteAwsAuth,
}

/// A privilege escalation technique.
#[derive(Debug)]
pub struct Technique {
    pub id: TechniqueId,
    /// Stable id in reports: `create-workloads`.
    pub slug: &'static str,
    /// The rule that reports it.
    pub code: &'static str,
    pub name: &'static str,
    /// What permission it needs, in words.
    pub requires: &'static str,
    /// What it gives, in words.
    pub yields: &'static str,
    /// MITRE ATT&CK technique ids.
    pub mitre: &'static [&'static str],
    /// A rule that allows one of these requests is reported by the technique's rule.
    pub flags: &'static [Permission],
    /// How it takes part in chains; empty for techniques that are reported but lead to no
    /// identity or jewel by themselves.
    pub routes: &'static [Route],
}

const CORE: &str = "";
const APPS: &str = "apps";
const BATCH: &str = "batch";
const RBAC: &str = "rbac.authorization.k8s.io";
const CERTIFICATES: &str = "certificates.k8s.io";
const ADMISSION: &str = "admissionregistration.k8s.io";

const EVERYTHING: Permission = permission("*", "*", "*");

const LIST_SECRETS: Permission = permission("list", CORE, "secrets");
const WATCH_SECRETS: Permission = permission("watch", CORE, "secrets");
const GET_SECRETS: Permission = permission("get", CORE, "secrets");

/// Creating a pod, or creating or changing any controller that creates pods from a template.
const WORKLOAD_WRITES: &[Permission] = &[
    permission("create", CORE, "pods"),
    permission("create", APPS, "deployments"),
    permission("update", APPS, "deployments"),
    permission("patch", APPS, "deployments"),
    permission("create", APPS, "daemonsets"),
    permission("update", APPS, "daemonsets"),
    permission("patch", APPS, "daemonsets"),
    permission("create", APPS, "statefulsets"),
    permission("update", APPS, "statefulsets"),
    permission("patch", APPS, "statefulsets"),
    permission("create", APPS, "replicasets"),
    permission("update", APPS, "replicasets"),
    permission("patch", APPS, "replicasets"),
    permission("create", BATCH, "jobs"),
    permission("update", BATCH, "jobs"),
    permission("patch", BATCH, "jobs"),
    permission("create", BATCH, "cronjobs"),
    permission("update", BATCH, "cronjobs"),
    permission("patch", BATCH, "cronjobs"),
    permission("create", CORE, "replicationcontrollers"),
    permission("update", CORE, "replicationcontrollers"),
    permission("patch", CORE, "replicationcontrollers"),
];

/// Running a command in a running container. Websocket clients open exec and attach with a
/// GET, which API servers before v1.35 authorized as `get`.
const POD_SHELLS: &[Permission] = &[
    permission("create", CORE, "pods").on("exec"),
    permission("get", CORE, "pods").on("exec"),
    permission("create", CORE, "pods").on("attach"),
    permission("get", CORE, "pods").on("attach"),
    permission("patch", CORE, "pods").on("ephemeralcontainers"),
    permission("update", CORE, "pods").on("ephemeralcontainers"),
];

/// The kubelet authorizes its API (`/exec`, `/run`, `/pods`) as `nodes/proxy`, with `get` for
/// websocket upgrades and reads and `create` for POSTs.
const NODE_PROXY: &[Permission] = &[
    permission("get", CORE, "nodes").on("proxy"),
    permission("create", CORE, "nodes").on("proxy"),
];

const BIND_CLUSTER_ROLES: Permission = permission("bind", RBAC, "clusterroles");
const BIND_ROLES: Permission = permission("bind", RBAC, "roles");
const ESCALATE_CLUSTER_ROLES: Permission = permission("escalate", RBAC, "clusterroles");
const ESCALATE_ROLES: Permission = permission("escalate", RBAC, "roles");
const CREATE_CLUSTER_ROLE_BINDINGS: Permission = permission("create", RBAC, "clusterrolebindings");
const CREATE_ROLE_BINDINGS: Permission = permission("create", RBAC, "rolebindings");
const CREATE_CLUSTER_ROLES: Permission = permission("create", RBAC, "clusterroles");
const CREATE_ROLES: Permission = permission("create", RBAC, "roles");
const UPDATE_CLUSTER_ROLES: Permission = permission("update", RBAC, "clusterroles");
const UPDATE_ROLES: Permission = permission("update", RBAC, "roles");
const PATCH_ROLES: Permission = permission("patch", RBAC, "roles");
const PATCH_CLUSTER_ROLES: Permission = permission("patch", RBAC, "clusterroles");

const IMPERSONATE_USERS: Permission = permission("impersonate", CORE, "users");
const IMPERSONATE_GROUPS: Permission = permission("impersonate", CORE, "groups");
const IMPERSONATE_SERVICE_ACCOUNTS: Permission = permission("impersonate", CORE, "serviceaccounts");

const CREATE_TOKENS: Permission = permission("create", CORE, "serviceaccounts").on("token");

const CREATE_CSRS: Permission = permission("create", CERTIFICATES, "certificatesigningrequests");
const APPROVE_CSRS: Permission =
    permission("update", CERTIFICATES, "certificatesigningrequests").on("approval");
/// The API server checks `approve` on the signer's name and on its domain wildcard.
const APPROVE_CLIENT_SIGNER: Permission =
    permission("approve", CERTIFICATES, "signers").named("kubernetes.io/kube-apiserver-client");
const APPROVE_KUBERNETES_SIGNERS: Permission =
    permission("approve", CERTIFICATES, "signers").named("kubernetes.io/*");

const MUTATING_WEBHOOK_WRITES: &[Permission] = &[
    permission("create", ADMISSION, "mutatingwebhookconfigurations"),
    permission("update", ADMISSION, "mutatingwebhookconfigurations"),
    permission("patch", ADMISSION, "mutatingwebhookconfigurations"),
];
const WEBHOOK_WRITES: &[Permission] = &[
    permission("create", ADMISSION, "mutatingwebhookconfigurations"),
    permission("update", ADMISSION, "mutatingwebhookconfigurations"),
    permission("patch", ADMISSION, "mutatingwebhookconfigurations"),
    permission("create", ADMISSION, "validatingwebhookconfigurations"),
    permission("update", ADMISSION, "validatingwebhookconfigurations"),
    permission("patch", ADMISSION, "validatingwebhookconfigurations"),
];

const NODE_WRITES: &[Permission] = &[
    permission("patch", CORE, "nodes"),
    permission("update", CORE, "nodes"),
];

const CREATE_PERSISTENT_VOLUMES: Permission = permission("create", CORE, "persistentvolumes");

const AWS_AUTH_NAMESPACE: &str = "kube-system";
const AWS_AUTH_NAME: &str = "aws-auth";
const AWS_AUTH_WRITES: &[Permission] = &[
    permission("update", CORE, "configmaps").named(AWS_AUTH_NAME),
    permission("patch", CORE, "configmaps").named(AWS_AUTH_NAME),
];

const READ_SECRETS: &[Permission] = &[LIST_SECRETS, WATCH_SECRETS, GET_SECRETS];

/// Every technique, in rule-code order.
pub static TECHNIQUES: &[Technique] = &[
    Technique {
        id: TechniqueId::Wildcard,
        slug: "wildcard",
        code: "K201",
        name: "Wildcard verbs or resources",
        requires: "a rule with `*` in verbs or resources; `*` verbs on `*` resources in `*` groups, \
                cluster-wide, is cluster-admin",
        yields: "every verb on the resources named, or every resource (including ones added \
                 later); all of it cluster-wide is cluster-admin",
        mitre: &["T1078"],
        flags: &[],
        routes: &[Route {
            needs: Needs::All(&[EVERYTHING]),
            scope: Scope::Cluster,
            gain: Gain::Holds(Jewel::ClusterAdmin),
            how: "holds every verb on every resource cluster-wide",
        }],
    },
    Technique {
        id: TechniqueId::ReadSecrets,
        slug: "read-secrets",
        code: "K202",
        name: "Read Secrets",
        requires: "get, list or watch on secrets, not limited by resourceNames",
        yields: "every Secret there: credentials, and the long-lived tokens of its service \
                 accounts (kept as Secrets before v1.24, or created as such on purpose)",
        mitre: &["T1552.007", "T1528"],
        flags: READ_SECRETS,
        routes: &[
            Route {
                needs: Needs::Any(READ_SECRETS),
                scope: Scope::Cluster,
                gain: Gain::Holds(Jewel::Secrets),
                how: "reads every Secret of the cluster",
            },
            Route {
                needs: Needs::Any(READ_SECRETS),
                scope: Scope::Namespace,
                gain: Gain::StoredTokens,
                how: "reads every Secret of {namespace}, among them the token Secret of {becomes}",
            },
        ],
    },
    Technique {
        id: TechniqueId::CreateWorkloads,
        slug: "create-workloads",
        code: "K203",
        name: "Create pods or pod controllers",
        requires: "create pods, or create, update or patch deployments, daemonsets, statefulsets, \
                replicasets, jobs, cronjobs or replicationcontrollers",
        yields: "a pod that runs as any service account of the namespace and mounts its token",
        mitre: &["T1610", "T1528"],
        flags: WORKLOAD_WRITES,
        routes: &[Route {
            needs: Needs::Any(WORKLOAD_WRITES),
            scope: Scope::Namespace,
            gain: Gain::AnyAccount,
            how: "creates a pod in {namespace} that runs as {becomes} and mounts its token",
        }],
    },
    Technique {
        id: TechniqueId::ExecIntoPods,
        slug: "exec-into-pods",
        code: "K204",
        name: "Exec, attach or debug running pods",
        requires: "create (or, through websockets, get) pods/exec or pods/attach; patch or update \
                pods/ephemeralcontainers",
        yields: "a shell in running pods, with the service account tokens they hold",
        mitre: &["T1609"],
        flags: POD_SHELLS,
        routes: &[Route {
            needs: Needs::Any(POD_SHELLS),
            scope: Scope::Namespace,
            gain: Gain::MountedAccounts,
            how: "runs a command in a running pod of {namespace} that holds the token of {becomes}",
        }],
    },
    Technique {
        id: TechniqueId::NodeProxy,
        slug: "node-proxy",
        code: "K205",
        name: "Kubelet API through nodes/proxy",
        requires: "get or create nodes/proxy",
        yields: "the kubelet API of every node: commands in any container, so every token a \
                 running pod holds",
        mitre: &["T1609", "T1611"],
        flags: NODE_PROXY,
        routes: &[
            Route {
                needs: Needs::Any(NODE_PROXY),
                scope: Scope::Cluster,
                gain: Gain::Holds(Jewel::Nodes),
                how: "runs commands in any container of any node through the kubelet API",
            },
            Route {
                needs: Needs::Any(NODE_PROXY),
                scope: Scope::Cluster,
                gain: Gain::MountedAccountsEverywhere,
                how: "reads the token of {becomes} from its running pod through the kubelet API",
            },
        ],
    },
    Technique {
        id: TechniqueId::BindOrEscalate,
        slug: "bind-or-escalate",
        code: "K206",
        name: "Bind or escalate roles",
        requires: "bind on clusterroles or roles with create on the bindings that can use them, \
                or escalate on them with create, update or patch of the roles",
        yields: "any role granted to oneself: cluster-admin cluster-wide, the admin ClusterRole or \
                 every Role in a namespace",
        mitre: &["T1098"],
        flags: &[
            BIND_CLUSTER_ROLES,
            BIND_ROLES,
            ESCALATE_CLUSTER_ROLES,
            ESCALATE_ROLES,
        ],
        routes: &[
            Route {
                needs: Needs::All(&[BIND_CLUSTER_ROLES, CREATE_CLUSTER_ROLE_BINDINGS]),
                scope: Scope::Cluster,
                gain: Gain::Reaches(Jewel::ClusterAdmin),
                how: "creates a ClusterRoleBinding of the ClusterRole cluster-admin to itself",
            },
            // Updating a ClusterRole that is bound already, such as system:basic-user.
            Route {
                needs: Needs::All(&[ESCALATE_CLUSTER_ROLES, UPDATE_CLUSTER_ROLES]),
                scope: Scope::Cluster,
                gain: Gain::Reaches(Jewel::ClusterAdmin),
                how: "adds `*` on `*` to a ClusterRole already bound to it (system:basic-user is bound to every authenticated user)",
            },
            Route {
                needs: Needs::All(&[ESCALATE_CLUSTER_ROLES, PATCH_CLUSTER_ROLES]),
                scope: Scope::Cluster,
                gain: Gain::Reaches(Jewel::ClusterAdmin),
                how: "adds `*` on `*` to a ClusterRole already bound to it (system:basic-user is bound to every authenticated user)",
            },
            Route {
                needs: Needs::All(&[
                    ESCALATE_CLUSTER_ROLES,
                    CREATE_CLUSTER_ROLES,
                    CREATE_CLUSTER_ROLE_BINDINGS,
                ]),
                scope: Scope::Cluster,
                gain: Gain::Reaches(Jewel::ClusterAdmin),
                how: "creates a ClusterRole with `*` on `*` and a ClusterRoleBinding of it to itself",
            },
            // A RoleBinding to the admin ClusterRole.
            Route {
                needs: Needs::All(&[BIND_CLUSTER_ROLES, CREATE_ROLE_BINDINGS]),
                scope: Scope::Namespace,
                gain: Gain::AnyAccount,
                how: "creates a RoleBinding in {namespace} of the ClusterRole admin to itself, then impersonates {becomes}, which admin allows",
            },
            // Updating the Role that grants these verbs, bound already to its holder (which a
            // RoleBinding of that Role is).
            Route {
                needs: Needs::All(&[ESCALATE_ROLES, UPDATE_ROLES]),
                scope: Scope::Namespace,
                gain: Gain::AnyAccount,
                how: "adds any permission of {namespace} to a Role bound to it, then impersonates {becomes}",
            },
            Route {
                needs: Needs::All(&[ESCALATE_ROLES, PATCH_ROLES]),
                scope: Scope::Namespace,
                gain: Gain::AnyAccount,
                how: "adds any permission of {namespace} to a Role bound to it, then impersonates {becomes}",
            },
            Route {
                needs: Needs::All(&[BIND_ROLES, CREATE_ROLE_BINDINGS]),
                scope: Scope::Namespace,
                gain: Gain::NamespaceRoles,
                how: "creates RoleBindings in {namespace} of any of its Roles to itself",
            },
            Route {
                needs: Needs::All(&[ESCALATE_ROLES, CREATE_ROLES, CREATE_ROLE_BINDINGS]),
                scope: Scope::Namespace,
                gain: Gain::AnyAccount,
                how: "creates a Role in {namespace} that allows impersonating service accounts and a RoleBinding of it to itself, then impersonates {becomes}",
            },
        ],
    },
    Technique {
        id: TechniqueId::Impersonate,
        slug: "impersonate",
        code: "K207",
        name: "Impersonate users, groups or service accounts",
        requires: "impersonate on users, groups or serviceaccounts",
        yields: "the identity impersonated; a group, system:masters included",
        mitre: &["T1078", "T1550"],
        flags: &[
            IMPERSONATE_USERS,
            IMPERSONATE_GROUPS,
            IMPERSONATE_GROUPS.named("system:masters"),
            IMPERSONATE_SERVICE_ACCOUNTS,
        ],
        routes: &[
            Route {
                needs: Needs::All(&[IMPERSONATE_GROUPS.named("system:masters")]),
                scope: Scope::Cluster,
                gain: Gain::Reaches(Jewel::ClusterAdmin),
                how: "impersonates the group system:masters",
            },
            Route {
                needs: Needs::All(&[IMPERSONATE_USERS]),
                scope: Scope::Cluster,
                gain: Gain::AnyUser,
                how: "impersonates {becomes}",
            },
            Route {
                needs: Needs::All(&[IMPERSONATE_SERVICE_ACCOUNTS]),
                scope: Scope::Namespace,
                gain: Gain::AnyAccount,
                how: "impersonates {becomes}",
            },
        ],
    },
    Technique {
        id: TechniqueId::CreateTokens,
        slug: "create-tokens",
        code: "K208",
        name: "Create service account tokens",
        requires: "create serviceaccounts/token",
        yields: "a token of any service account of the namespace (TokenRequest)",
        mitre: &["T1528", "T1550.001"],
        flags: &[CREATE_TOKENS],
        routes: &[Route {
            needs: Needs::All(&[CREATE_TOKENS]),
            scope: Scope::Namespace,
            gain: Gain::AnyAccount,
            how: "requests a token of {becomes} (TokenRequest)",
        }],
    },
    Technique {
        id: TechniqueId::ApproveCertificates,
        slug: "approve-certificates",
        code: "K209",
        name: "Issue client certificates through CSR approval",
        requires: "create certificatesigningrequests, update certificatesigningrequests/approval and \
                approve on the kubernetes.io/kube-apiserver-client signer",
        yields: "a client certificate for any user and group, system:masters included",
        mitre: &["T1649"],
        flags: &[
            APPROVE_CSRS,
            APPROVE_CLIENT_SIGNER,
            APPROVE_KUBERNETES_SIGNERS,
        ],
        routes: &[
            Route {
                needs: Needs::All(&[CREATE_CSRS, APPROVE_CSRS, APPROVE_CLIENT_SIGNER]),
                scope: Scope::Cluster,
                gain: Gain::Reaches(Jewel::ClusterAdmin),
                how: "creates and approves a CertificateSigningRequest for a client certificate in the group system:masters",
            },
            Route {
                needs: Needs::All(&[CREATE_CSRS, APPROVE_CSRS, APPROVE_KUBERNETES_SIGNERS]),
                scope: Scope::Cluster,
                gain: Gain::Reaches(Jewel::ClusterAdmin),
                how: "creates and approves a CertificateSigningRequest for a client certificate in the group system:masters",
            },
        ],
    },
    Technique {
        id: TechniqueId::WriteWebhooks,
        slug: "write-webhooks",
        code: "K210",
        name: "Write admission webhook configurations",
        requires: "create, update or patch mutating or validating webhook configurations",
        yields: "every object sent to a webhook of one's own (Secrets included) and, with a \
                 mutating one, any pod rewritten to run as any service account; or admission \
                 policy switched off",
        mitre: &["T1562.001", "T1610"],
        flags: WEBHOOK_WRITES,
        routes: &[Route {
            needs: Needs::Any(MUTATING_WEBHOOK_WRITES),
            scope: Scope::Cluster,
            gain: Gain::MountedAccountsEverywhere,
            how: "registers a mutating webhook that rewrites a new pod to run as {becomes}, and takes its token",
        }],
    },
    Technique {
        id: TechniqueId::ModifyNodes,
        slug: "modify-nodes",
        code: "K211",
        name: "Modify nodes",
        requires: "patch or update nodes",
        yields: "labels and taints that steer workloads onto a node of one's choosing, or off \
                 their nodes",
        mitre: &["T1610"],
        flags: NODE_WRITES,
        routes: &[],
    },
    Technique {
        id: TechniqueId::CreatePersistentVolumes,
        slug: "create-persistent-volumes",
        code: "K212",
        name: "Create PersistentVolumes",
        requires: "create persistentvolumes",
        yields: "a hostPath volume on any node, which a pod that claims it mounts, whatever \
                 admission says about hostPath in pods",
        mitre: &["T1611"],
        flags: &[CREATE_PERSISTENT_VOLUMES],
        routes: &[],
    },
    Technique {
        id: TechniqueId::SystemMasters,
        slug: "system-masters",
        code: "K213",
        name: "Member of system:masters",
        requires: "membership of the group system:masters (a client certificate with \
                O=system:masters, or a binding that names it)",
        yields: "everything: the API server allows the group before RBAC, and no binding can \
                 take it away",
        mitre: &["T1078"],
        flags: &[],
        routes: &[],
    },
    Technique {
        id: TechniqueId::PublicGrant,
        slug: "public-grant",
        code: "K214",
        name: "Grant to anonymous or all authenticated users",
        requires: "a binding to system:anonymous, system:unauthenticated or system:authenticated",
        yields: "what the binding grants, to anyone who reaches the API server (or holds any \
                 credential of the cluster)",
        mitre: &["T1078.001"],
        flags: &[],
        routes: &[],
    },
    Technique {
        id: TechniqueId::DefaultAccountGrant,
        slug: "default-account-grant",
        code: "K215",
        name: "Grant to a default service account",
        requires: "a binding to a namespace's default service account",
        yields: "what the binding grants, to every pod of the namespace that names no service \
                 account",
        mitre: &["T1078.001", "T1528"],
        flags: &[],
        routes: &[],
    },
    Technique {
        id: TechniqueId::WriteAwsAuth,
        slug: "write-aws-auth",
        code: "K216",
        name: "Write EKS aws-auth ConfigMap",
        requires: "update or patch the ConfigMap aws-auth in kube-system, on EKS (a step of \
                   chains when the input holds the ConfigMap)",
        yields: "any AWS IAM role or user mapped to system:masters",
        mitre: &["T1098"],
        flags: AWS_AUTH_WRITES,
        routes: &[Route {
            needs: Needs::Any(AWS_AUTH_WRITES),
            scope: Scope::In(AWS_AUTH_NAMESPACE),
            gain: Gain::Reaches(Jewel::ClusterAdmin),
            how: "maps an AWS identity it controls to system:masters in aws-auth",
        }],
    },
];

/// Whether the input is an EKS cluster's: it holds the aws-auth ConfigMap, without which
/// writing one maps nobody.
pub fn has_aws_auth(objects: &[Object]) -> bool {
    objects.iter().any(|object| {
        object.kind == "ConfigMap"
            && object.api_version == "v1"
            && object.name == AWS_AUTH_NAME
            && object.namespace.as_deref() == Some(AWS_AUTH_NAMESPACE)
    })
}

pub fn technique(id: TechniqueId) -> &'static Technique {
    TECHNIQUES
        .iter()
        .find(|technique| technique.id == id)
        .expect("every technique is in the catalogue")
}

/// Whether a binding subject is everyone (anonymous, unauthenticated or authenticated).
pub fn is_public(subject: &Subject) -> bool {
    match subject.kind {
        SubjectKind::User => subject.name == ANONYMOUS,
        SubjectKind::Group => subject.name == UNAUTHENTICATED || subject.name == AUTHENTICATED,
        SubjectKind::ServiceAccount => false,
    }
}

pub fn is_default_account(subject: &Subject) -> bool {
    subject.kind == SubjectKind::ServiceAccount && subject.name == "default"
}

pub fn is_masters(subject: &Subject) -> bool {
    subject.kind == SubjectKind::Group && subject.name == MASTERS
}
