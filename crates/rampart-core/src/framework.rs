//! The frameworks rules map to and the titles of their ids, from which every rule's
//! `## References` section is generated. Only ids that rules use are listed; rampart-rules
//! tests that each id a registered rule uses has a title here.

/// A framework whose ids a rule lists in its [`References`](crate::References). Adding one is
/// a variant here with its key, its title table and its line of the `## References` section;
/// rules then name it in [`refs!`](crate::refs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framework {
    Pss,
    Cis,
    CisDocker,
    Nsa,
    Mitre,
    Cwe,
    CisAws,
    CisEks,
    CisGcp,
    CisGke,
    CisAzure,
    CisAks,
    /// The OWASP Top 10 (2021).
    Owasp,
}

impl Framework {
    pub const ALL: [Framework; 13] = [
        Framework::Pss,
        Framework::Cis,
        Framework::CisDocker,
        Framework::Nsa,
        Framework::Mitre,
        Framework::Cwe,
        Framework::CisAws,
        Framework::CisEks,
        Framework::CisGcp,
        Framework::CisGke,
        Framework::CisAzure,
        Framework::CisAks,
        Framework::Owasp,
    ];

    /// The framework's key in the JSON report's `references` map.
    pub fn key(self) -> &'static str {
        match self {
            Framework::Pss => "pss",
            Framework::Cis => "cis",
            Framework::CisDocker => "cis_docker",
            Framework::Nsa => "nsa",
            Framework::Mitre => "mitre",
            Framework::Cwe => "cwe",
            Framework::CisAws => "cis_aws",
            Framework::CisEks => "cis_eks",
            Framework::CisGcp => "cis_gcp",
            Framework::CisGke => "cis_gke",
            Framework::CisAzure => "cis_azure",
            Framework::CisAks => "cis_aks",
            Framework::Owasp => "owasp",
        }
    }

    /// What `id` stands for: a control or section name, a technique or weakness name, or for
    /// CIS a short description of the recommendation in rampart's words.
    pub fn title(self, id: &str) -> Option<&'static str> {
        let titles = match self {
            Framework::Pss => return pss_control(id).map(|control| control.title),
            Framework::Cis => CIS,
            Framework::CisDocker => CIS_DOCKER,
            Framework::Nsa => NSA,
            Framework::Mitre => MITRE,
            Framework::Cwe => CWE,
            Framework::CisAws => CIS_AWS,
            Framework::CisEks => CIS_EKS,
            Framework::CisGcp => CIS_GCP,
            Framework::CisGke => CIS_GKE,
            Framework::CisAzure => CIS_AZURE,
            Framework::CisAks => CIS_AKS,
            Framework::Owasp => OWASP,
        };
        titles
            .iter()
            .find(|(known, _)| *known == id)
            .map(|(_, title)| *title)
    }
}

impl Framework {
    /// The line of a rule's `## References` section listing `ids` of this framework.
    pub(crate) fn line<'a>(self, ids: impl Iterator<Item = &'a str>) -> String {
        let titled = |id: &str| match self.title(id) {
            Some(title) => format!("{id} ({title})"),
            None => id.to_owned(),
        };
        let listed = |ids: Vec<String>, separator: &str| ids.join(separator);
        match self {
            Framework::Pss => {
                let controls = ids.map(|id| match pss_control(id) {
                    Some(control) => format!("{}: `{id}` ({})", control.level, control.title),
                    None => format!("`{id}`"),
                });
                format!(
                    "Pod Security Standards, {}",
                    listed(controls.collect(), "; ")
                )
            }
            Framework::Cis => {
                let ids = listed(ids.map(titled).collect(), ", ");
                format!("CIS: {ids} in the Kubernetes Benchmark v1.12")
            }
            Framework::CisDocker => {
                let ids = listed(ids.map(titled).collect(), ", ");
                format!("CIS: {ids} in the Docker Benchmark v1.7.0")
            }
            Framework::Nsa => {
                let sections = ids.map(|key| match self.title(key) {
                    Some(title) => format!("\"{title}\""),
                    None => format!("`{key}`"),
                });
                let sections = listed(sections.collect(), ", ");
                format!("NSA/CISA Kubernetes Hardening Guidance: {sections}")
            }
            Framework::Mitre => format!("MITRE ATT&CK {}", listed(ids.map(titled).collect(), ", ")),
            Framework::Cwe => listed(ids.map(titled).collect(), ", "),
            Framework::Owasp => format!(
                "OWASP Top 10 (2021): {}",
                listed(ids.map(titled).collect(), ", ")
            ),
            Framework::CisAws
            | Framework::CisEks
            | Framework::CisGcp
            | Framework::CisGke
            | Framework::CisAzure
            | Framework::CisAks => {
                let ids = listed(ids.map(titled).collect(), ", ");
                format!("CIS: {ids} in the {}", self.benchmark())
            }
        }
    }

    /// The benchmark and version a cloud CIS framework's ids are from.
    fn benchmark(self) -> &'static str {
        match self {
            Framework::CisAws => "AWS Foundations Benchmark v3.0.0",
            Framework::CisEks => "Amazon EKS Benchmark v1.5.0",
            Framework::CisGcp => "Google Cloud Platform Foundation Benchmark v2.0.0",
            Framework::CisGke => "Google Kubernetes Engine (GKE) Benchmark v1.5.0",
            Framework::CisAzure => "Microsoft Azure Foundations Benchmark v2.0.0",
            Framework::CisAks => "Azure Kubernetes Service (AKS) Benchmark v1.4.0",
            _ => "",
        }
    }
}

/// A Pod Security Standards control as the standard names it. It mirrors the checks of
/// `rampart_k8s::pss`, which this crate cannot depend on; rampart-rules tests that they agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PssControl {
    /// The upstream check id (`capabilities_baseline`).
    pub id: &'static str,
    /// `Baseline` or `Restricted`.
    pub level: &'static str,
    pub title: &'static str,
}

const fn baseline(id: &'static str, title: &'static str) -> PssControl {
    PssControl {
        id,
        level: "Baseline",
        title,
    }
}

const fn restricted(id: &'static str, title: &'static str) -> PssControl {
    PssControl {
        id,
        level: "Restricted",
        title,
    }
}

/// Every Pod Security Standards check.
pub static PSS_CONTROLS: &[PssControl] = &[
    baseline("appArmorProfile", "AppArmor"),
    baseline("capabilities_baseline", "Capabilities"),
    baseline("hostNamespaces", "Host Namespaces"),
    baseline("hostPathVolumes", "HostPath Volumes"),
    baseline("hostPorts", "Host Ports"),
    baseline(
        "hostProbesAndHostLifecycle",
        "Host Probes / Lifecycle Hooks",
    ),
    baseline("privileged", "Privileged Containers"),
    baseline("procMount", "/proc Mount Type"),
    baseline("seLinuxOptions", "SELinux"),
    baseline("seccompProfile_baseline", "Seccomp"),
    baseline("sysctls", "Sysctls"),
    baseline("windowsHostProcess", "HostProcess"),
    restricted("allowPrivilegeEscalation", "Privilege Escalation"),
    restricted("capabilities_restricted", "Capabilities"),
    restricted("procMount_restricted", "/proc Mount Type"),
    restricted("restrictedVolumes", "Volume Types"),
    restricted("runAsNonRoot", "Running as Non-root"),
    restricted("runAsUser", "Running as Non-root user"),
    restricted("seccompProfile_restricted", "Seccomp"),
];

/// The Pod Security Standards control with this check id.
pub(crate) fn pss_control(id: &str) -> Option<&'static PssControl> {
    PSS_CONTROLS.iter().find(|control| control.id == id)
}

/// CIS Kubernetes Benchmark v1.12 recommendations, described in rampart's own words.
const CIS: &[(&str, &str)] = &[
    ("1.1.1", "the mode of the API server's pod manifest"),
    ("1.1.2", "the owner of the API server's pod manifest"),
    ("1.1.3", "the mode of the controller manager's pod manifest"),
    (
        "1.1.4",
        "the owner of the controller manager's pod manifest",
    ),
    ("1.1.5", "the mode of the scheduler's pod manifest"),
    ("1.1.6", "the owner of the scheduler's pod manifest"),
    ("1.1.7", "the mode of etcd's pod manifest"),
    ("1.1.8", "the owner of etcd's pod manifest"),
    ("1.1.9", "the mode of CNI configuration files"),
    ("1.1.10", "the owner of CNI configuration files"),
    ("1.1.11", "the mode of etcd's data directory"),
    ("1.1.12", "the owner of etcd's data directory"),
    ("1.1.13", "the mode of the administrator kubeconfigs"),
    ("1.1.14", "the owner of the administrator kubeconfigs"),
    ("1.1.15", "the mode of the scheduler's kubeconfig"),
    ("1.1.16", "the owner of the scheduler's kubeconfig"),
    ("1.1.17", "the mode of the controller manager's kubeconfig"),
    ("1.1.18", "the owner of the controller manager's kubeconfig"),
    ("1.1.19", "the owner of the Kubernetes PKI folder and files"),
    ("1.1.20", "the mode of the Kubernetes PKI certificates"),
    ("1.1.21", "the mode of the Kubernetes PKI private keys"),
    ("1.2.1", "anonymous requests to the API server"),
    ("1.2.2", "static token files on the API server"),
    ("1.2.3", "external IPs on Services"),
    ("1.2.4", "the API server's client certificate for kubelets"),
    ("1.2.5", "the CA the API server checks kubelets against"),
    (
        "1.2.6",
        "the AlwaysAllow authorization mode on the API server",
    ),
    ("1.2.7", "the Node authorizer on the API server"),
    ("1.2.8", "the RBAC authorizer on the API server"),
    ("1.2.9", "the EventRateLimit admission plugin"),
    ("1.2.10", "the AlwaysAdmit admission plugin"),
    ("1.2.12", "the ServiceAccount admission plugin"),
    ("1.2.13", "the NamespaceLifecycle admission plugin"),
    ("1.2.14", "the NodeRestriction admission plugin"),
    ("1.2.15", "profiling endpoints of the API server"),
    ("1.2.16", "an audit log kept by the API server"),
    ("1.2.17", "how long the API server keeps audit files"),
    (
        "1.2.18",
        "how many rotated audit files the API server keeps",
    ),
    (
        "1.2.19",
        "the size at which the API server rotates its audit file",
    ),
    ("1.2.20", "the API server's request timeout"),
    ("1.2.21", "service account tokens checked against the API"),
    ("1.2.22", "the key service account tokens are verified with"),
    ("1.2.23", "the API server's client certificate for etcd"),
    ("1.2.24", "the API server's serving certificate"),
    ("1.2.25", "the CA client certificates are verified against"),
    ("1.2.26", "the CA the API server checks etcd against"),
    ("1.2.27", "encryption of Secrets at rest"),
    ("1.2.28", "the providers that encrypt data at rest"),
    ("1.2.29", "the TLS cipher suites of the API server"),
    (
        "1.2.30",
        "service account tokens extended beyond their requested lifetime",
    ),
    ("1.3.1", "garbage collection of terminated pods"),
    ("1.3.2", "profiling endpoints of the controller manager"),
    ("1.3.3", "a service account for each controller"),
    (
        "1.3.4",
        "the key the controller manager signs service account tokens with",
    ),
    ("1.3.5", "the CA handed to pods to verify the API server"),
    ("1.3.6", "rotation of kubelet serving certificates"),
    ("1.3.7", "the controller manager listening on loopback only"),
    ("1.4.1", "profiling endpoints of the scheduler"),
    ("1.4.2", "the scheduler listening on loopback only"),
    ("2.1", "etcd's serving certificate"),
    ("2.2", "client certificates required by etcd"),
    ("2.3", "self-signed automatic TLS for etcd clients"),
    ("2.4", "etcd's peer certificates"),
    ("2.5", "peer certificates required between etcd members"),
    ("2.6", "self-signed automatic TLS between etcd members"),
    ("3.2.1", "an audit policy that records requests"),
    ("3.2.2", "an audit policy that covers sensitive resources"),
    ("4.1.1", "the mode of the kubelet's service files"),
    ("4.1.2", "the owner of the kubelet's service files"),
    ("4.1.3", "the mode of kube-proxy's kubeconfig"),
    ("4.1.4", "the owner of kube-proxy's kubeconfig"),
    ("4.1.5", "the mode of the kubelet's kubeconfig"),
    ("4.1.6", "the owner of the kubelet's kubeconfig"),
    ("4.1.7", "the mode of the kubelet's client CA file"),
    ("4.1.8", "the owner of the kubelet's client CA file"),
    ("4.1.9", "the mode of the kubelet's configuration file"),
    ("4.1.10", "the owner of the kubelet's configuration file"),
    ("4.2.1", "anonymous requests to the kubelet"),
    ("4.2.2", "the AlwaysAllow authorization mode on the kubelet"),
    (
        "4.2.3",
        "the CA the kubelet verifies client certificates with",
    ),
    ("4.2.4", "the kubelet's unauthenticated read-only port"),
    ("4.2.5", "the idle timeout of kubelet streaming connections"),
    ("4.2.6", "iptables utility chains managed by the kubelet"),
    ("4.2.7", "overriding the node's host name"),
    ("4.2.8", "the rate limit on events the kubelet creates"),
    ("4.2.9", "the kubelet's serving certificate"),
    ("4.2.10", "rotation of the kubelet's client certificate"),
    ("4.2.11", "rotation of the kubelet's serving certificate"),
    ("4.2.12", "the TLS cipher suites of the kubelet"),
    ("4.2.13", "the limit on process ids per pod"),
    (
        "4.2.14",
        "the runtime's default seccomp profile for every pod",
    ),
    ("5.1.1", "the cluster-admin role bound only where needed"),
    ("5.1.2", "access to secrets"),
    ("5.1.3", "wildcards in Roles and ClusterRoles"),
    ("5.1.4", "access to create pods"),
    ("5.1.5", "default service accounts in use"),
    ("5.1.6", "service account tokens mounted only where needed"),
    ("5.1.7", "the system:masters group"),
    ("5.1.8", "the bind, impersonate and escalate permissions"),
    ("5.1.9", "access to create persistent volumes"),
    ("5.1.10", "access to the proxy subresource of nodes"),
    ("5.1.11", "access to approve certificate signing requests"),
    ("5.1.12", "access to webhook configurations"),
    ("5.1.13", "access to create service account tokens"),
    ("5.2.1", "an active pod admission policy"),
    ("5.2.2", "privileged containers"),
    ("5.2.3", "sharing the host PID namespace"),
    ("5.2.4", "sharing the host IPC namespace"),
    ("5.2.5", "sharing the host network namespace"),
    ("5.2.6", "privilege escalation"),
    ("5.2.7", "containers running as root"),
    ("5.2.8", "the NET_RAW capability"),
    ("5.2.9", "capabilities granted to containers"),
    ("5.2.10", "Windows HostProcess containers"),
    ("5.2.11", "HostPath volumes"),
    ("5.2.12", "host ports"),
    (
        "5.3.2",
        "NetworkPolicies isolating the pods of every namespace",
    ),
    (
        "5.4.1",
        "secrets as files rather than environment variables",
    ),
    ("5.4.2", "external secret storage"),
    ("5.5.1", "image provenance"),
    ("5.6.1", "namespaces as administrative boundaries"),
    ("5.6.2", "seccomp profiles"),
    ("5.6.3", "security contexts on pods and containers"),
    ("5.6.4", "the default namespace"),
];

/// Sections of the NSA/CISA Kubernetes Hardening Guidance, by rampart's key for them.
const NSA: &[(&str, &str)] = &[
    ("audit-logging", "Audit logging and threat detection"),
    (
        "authentication-and-authorization",
        "Authentication and authorization",
    ),
    (
        "building-secure-container-images",
        "Building secure container images",
    ),
    (
        "immutable-container-file-systems",
        "Immutable container file systems",
    ),
    ("control-plane-hardening", "Control plane hardening"),
    ("namespaces", "Namespaces"),
    ("network-separation", "Network separation and hardening"),
    (
        "non-root-containers",
        "Non-root containers and rootless container engines",
    ),
    ("pod-security", "Pod security"),
    (
        "protecting-pod-service-account-tokens",
        "Protecting Pod service account tokens",
    ),
    ("resource-policies", "Resource policies"),
    ("secrets", "Secrets"),
];

/// CIS Docker Benchmark v1.7.0 recommendations of section 4 (container images and build
/// files), described in rampart's words.
const CIS_DOCKER: &[(&str, &str)] = &[
    ("4.1", "a non-root user for the container"),
    ("4.2", "trusted base images only"),
    ("4.3", "no unnecessary packages"),
    ("4.6", "a HEALTHCHECK instruction"),
    ("4.7", "no update instruction alone"),
    ("4.9", "COPY instead of ADD"),
    ("4.10", "no secrets in Dockerfiles"),
    ("4.11", "verified packages only"),
];

/// MITRE ATT&CK techniques; a sub-technique is titled `Technique: Sub-technique`.
const MITRE: &[(&str, &str)] = &[
    ("T1005", "Data from Local System"),
    ("T1021", "Remote Services"),
    ("T1040", "Network Sniffing"),
    ("T1046", "Network Service Discovery"),
    ("T1055", "Process Injection"),
    ("T1068", "Exploitation for Privilege Escalation"),
    ("T1078", "Valid Accounts"),
    ("T1078.001", "Valid Accounts: Default Accounts"),
    ("T1078.004", "Valid Accounts: Cloud Accounts"),
    ("T1021.004", "Remote Services: SSH"),
    ("T1090", "Proxy"),
    ("T1098", "Account Manipulation"),
    (
        "T1098.001",
        "Account Manipulation: Additional Cloud Credentials",
    ),
    ("T1098.003", "Account Manipulation: Additional Cloud Roles"),
    ("T1199", "Trusted Relationship"),
    ("T1651", "Cloud Administration Command"),
    ("T1105", "Ingress Tool Transfer"),
    (
        "T1195.001",
        "Supply Chain Compromise: Compromise Software Dependencies and Development Tools",
    ),
    (
        "T1195.002",
        "Supply Chain Compromise: Compromise Software Supply Chain",
    ),
    ("T1485", "Data Destruction"),
    ("T1496", "Resource Hijacking"),
    ("T1190", "Exploit Public-Facing Application"),
    ("T1210", "Exploitation of Remote Services"),
    ("T1499", "Endpoint Denial of Service"),
    ("T1525", "Implant Internal Image"),
    ("T1528", "Steal Application Access Token"),
    ("T1530", "Data from Cloud Storage"),
    (
        "T1548.001",
        "Abuse Elevation Control Mechanism: Setuid and Setgid",
    ),
    (
        "T1222.002",
        "File and Directory Permissions Modification: Linux and Mac File and Directory Permissions Modification",
    ),
    (
        "T1548.003",
        "Abuse Elevation Control Mechanism: Sudo and Sudo Caching",
    ),
    ("T1550", "Use Alternate Authentication Material"),
    (
        "T1550.001",
        "Use Alternate Authentication Material: Application Access Token",
    ),
    ("T1552", "Unsecured Credentials"),
    ("T1552.001", "Unsecured Credentials: Credentials In Files"),
    ("T1552.004", "Unsecured Credentials: Private Keys"),
    (
        "T1552.005",
        "Unsecured Credentials: Cloud Instance Metadata API",
    ),
    ("T1552.007", "Unsecured Credentials: Container API"),
    ("T1543", "Create or Modify System Process"),
    ("T1557", "Adversary-in-the-Middle"),
    ("T1562.001", "Impair Defenses: Disable or Modify Tools"),
    ("T1609", "Container Administration Command"),
    ("T1610", "Deploy Container"),
    ("T1611", "Escape to Host"),
    ("T1649", "Steal or Forge Authentication Certificates"),
];

/// CWE weaknesses.
const CWE: &[(&str, &str)] = &[
    ("CWE-250", "Execution with Unnecessary Privileges"),
    ("CWE-266", "Incorrect Privilege Assignment"),
    ("CWE-269", "Improper Privilege Management"),
    ("CWE-284", "Improper Access Control"),
    ("CWE-285", "Improper Authorization"),
    ("CWE-287", "Improper Authentication"),
    ("CWE-295", "Improper Certificate Validation"),
    ("CWE-306", "Missing Authentication for Critical Function"),
    ("CWE-311", "Missing Encryption of Sensitive Data"),
    ("CWE-319", "Cleartext Transmission of Sensitive Information"),
    (
        "CWE-327",
        "Use of a Broken or Risky Cryptographic Algorithm",
    ),
    ("CWE-477", "Use of Obsolete Function"),
    ("CWE-489", "Active Debug Code"),
    (
        "CWE-347",
        "Improper Verification of Cryptographic Signature",
    ),
    ("CWE-354", "Improper Validation of Integrity Check Value"),
    ("CWE-404", "Improper Resource Shutdown or Release"),
    (
        "CWE-441",
        "Unintended Proxy or Intermediary ('Confused Deputy')",
    ),
    ("CWE-477", "Use of Obsolete Function"),
    ("CWE-494", "Download of Code Without Integrity Check"),
    ("CWE-522", "Insufficiently Protected Credentials"),
    (
        "CWE-532",
        "Insertion of Sensitive Information into Log File",
    ),
    (
        "CWE-526",
        "Cleartext Storage of Sensitive Information in an Environment Variable",
    ),
    (
        "CWE-538",
        "Insertion of Sensitive Information into Externally-Accessible File or Directory",
    ),
    ("CWE-561", "Dead Code"),
    ("CWE-613", "Insufficient Session Expiration"),
    ("CWE-653", "Improper Isolation or Compartmentalization"),
    ("CWE-668", "Exposure of Resource to Wrong Sphere"),
    ("CWE-693", "Protection Mechanism Failure"),
    ("CWE-710", "Improper Adherence to Coding Standards"),
    (
        "CWE-732",
        "Incorrect Permission Assignment for Critical Resource",
    ),
    (
        "CWE-770",
        "Allocation of Resources Without Limits or Throttling",
    ),
    ("CWE-778", "Insufficient Logging"),
    ("CWE-798", "Use of Hard-coded Credentials"),
    ("CWE-259", "Use of Hard-coded Password"),
    ("CWE-320", "Key Management Errors"),
    ("CWE-321", "Use of Hard-coded Cryptographic Key"),
    ("CWE-312", "Cleartext Storage of Sensitive Information"),
    (
        "CWE-829",
        "Inclusion of Functionality from Untrusted Control Sphere",
    ),
    ("CWE-862", "Missing Authorization"),
    ("CWE-918", "Server-Side Request Forgery"),
    (
        "CWE-923",
        "Improper Restriction of Communication Channel to Intended Endpoints",
    ),
    ("CWE-1104", "Use of Unmaintained Third Party Components"),
    ("CWE-1164", "Irrelevant Code"),
    (
        "CWE-1357",
        "Reliance on Insufficiently Trustworthy Component",
    ),
    // Application code (the A rules).
    (
        "CWE-22",
        "Improper Limitation of a Pathname to a Restricted Directory",
    ),
    (
        "CWE-78",
        "Improper Neutralization of Special Elements used in an OS Command",
    ),
    (
        "CWE-79",
        "Improper Neutralization of Input During Web Page Generation",
    ),
    (
        "CWE-89",
        "Improper Neutralization of Special Elements used in an SQL Command",
    ),
    (
        "CWE-90",
        "Improper Neutralization of Special Elements used in an LDAP Query",
    ),
    ("CWE-94", "Improper Control of Generation of Code"),
    ("CWE-328", "Use of Weak Hash"),
    ("CWE-330", "Use of Insufficiently Random Values"),
    (
        "CWE-338",
        "Use of Cryptographically Weak Pseudo-Random Number Generator",
    ),
    ("CWE-352", "Cross-Site Request Forgery"),
    ("CWE-501", "Trust Boundary Violation"),
    ("CWE-502", "Deserialization of Untrusted Data"),
    ("CWE-601", "URL Redirection to Untrusted Site"),
    (
        "CWE-611",
        "Improper Restriction of XML External Entity Reference",
    ),
    (
        "CWE-614",
        "Sensitive Cookie in HTTPS Session Without 'Secure' Attribute",
    ),
    (
        "CWE-643",
        "Improper Neutralization of Data within XPath Expressions",
    ),
    (
        "CWE-916",
        "Use of Password Hash With Insufficient Computational Effort",
    ),
    (
        "CWE-943",
        "Improper Neutralization of Special Elements in Data Query Logic",
    ),
    ("CWE-1004", "Sensitive Cookie Without 'HttpOnly' Flag"),
    (
        "CWE-1275",
        "Sensitive Cookie with Improper SameSite Attribute",
    ),
    ("CWE-1395", "Dependency on Vulnerable Third-Party Component"),
];

/// CIS AWS Foundations Benchmark v3.0.0 recommendations, in rampart's words.
const CIS_AWS: &[(&str, &str)] = &[
    (
        "1.16",
        "no IAM policy granting full administrative privileges",
    ),
    ("2.1.1", "S3 bucket policies denying requests without TLS"),
    ("2.1.2", "MFA delete on S3 buckets"),
    ("2.1.4", "S3 Block Public Access on every bucket"),
    ("2.2.1", "EBS volumes encrypted"),
    ("2.3.1", "RDS instances encrypted at rest"),
    (
        "2.3.2",
        "automatic minor version upgrades for RDS instances",
    ),
    ("2.3.3", "no public access to RDS instances"),
    ("2.4.1", "EFS file systems encrypted"),
    ("3.1", "CloudTrail enabled in all regions"),
    ("3.2", "CloudTrail log file validation"),
    ("3.3", "AWS Config enabled in all regions"),
    ("3.4", "access logging on the CloudTrail bucket"),
    ("3.5", "CloudTrail logs encrypted with KMS keys"),
    ("3.6", "rotation of customer-created symmetric KMS keys"),
    ("3.7", "VPC flow logs in every VPC"),
    (
        "5.1",
        "network ACLs without ingress from 0.0.0.0/0 to administration ports",
    ),
    (
        "5.2",
        "security groups without ingress from 0.0.0.0/0 to administration ports",
    ),
    (
        "5.3",
        "security groups without ingress from ::/0 to administration ports",
    ),
    ("5.4", "the default security group restricting all traffic"),
    ("5.6", "EC2 instances requiring IMDSv2"),
];

/// CIS Amazon EKS Benchmark v1.5.0 recommendations, in rampart's words.
const CIS_EKS: &[(&str, &str)] = &[
    ("2.1.1", "control plane audit logs"),
    ("5.1.1", "image vulnerability scanning in ECR"),
    ("5.2.1", "dedicated EKS service accounts"),
    ("5.3.1", "Kubernetes Secrets encrypted with KMS keys"),
    ("5.4.1", "access to the control plane endpoint restricted"),
    ("5.4.2", "a private endpoint and no public access"),
    ("5.4.3", "private nodes"),
    ("5.4.4", "network policy enabled"),
];

/// CIS Google Cloud Platform Foundation Benchmark v2.0.0 recommendations, in rampart's words.
const CIS_GCP: &[(&str, &str)] = &[
    ("1.4", "only Google-managed service account keys"),
    (
        "1.6",
        "no Service Account User or Token Creator role at project level",
    ),
    ("1.10", "KMS keys rotated within 90 days"),
    ("2.1", "Cloud Audit Logging configured for all services"),
    ("3.1", "no default network"),
    ("3.6", "SSH not open to the internet"),
    ("3.7", "RDP not open to the internet"),
    ("3.8", "VPC flow logs on every subnet"),
    ("4.1", "instances not using the default service account"),
    (
        "4.2",
        "the default service account without full access to all APIs",
    ),
    ("4.3", "project-wide SSH keys blocked"),
    ("4.5", "serial ports not enabled"),
    ("4.6", "no IP forwarding on instances"),
    ("4.8", "Shielded VM enabled"),
    ("4.9", "no public IP addresses on instances"),
    (
        "5.1",
        "Cloud Storage buckets not anonymously or publicly readable",
    ),
    ("5.2", "uniform bucket-level access"),
    ("6.4", "Cloud SQL requiring TLS for incoming connections"),
    ("6.5", "Cloud SQL not allowing 0.0.0.0/0"),
    ("6.6", "no public IP on Cloud SQL instances"),
    ("6.7", "automated backups of Cloud SQL instances"),
];

/// CIS Google Kubernetes Engine (GKE) Benchmark v1.5.0 recommendations, in rampart's words.
const CIS_GKE: &[(&str, &str)] = &[
    (
        "5.2.1",
        "nodes not running as the Compute Engine default service account",
    ),
    ("5.2.2", "dedicated service accounts and Workload Identity"),
    ("5.3.1", "Kubernetes Secrets encrypted with Cloud KMS keys"),
    ("5.4.1", "legacy metadata APIs disabled"),
    ("5.4.2", "the GKE metadata server enabled"),
    ("5.5.2", "node auto-repair"),
    ("5.5.3", "node auto-upgrade"),
    ("5.5.4", "a release channel"),
    ("5.5.5", "Shielded GKE nodes"),
    ("5.5.7", "secure boot on Shielded GKE nodes"),
    ("5.6.1", "VPC flow logs and intranode visibility"),
    ("5.6.2", "VPC-native clusters"),
    ("5.6.3", "control plane authorized networks"),
    ("5.6.4", "a private endpoint and no public access"),
    ("5.6.5", "private nodes"),
    ("5.6.7", "network policy enabled"),
    ("5.7.1", "logging and monitoring enabled"),
    ("5.8.1", "client certificate authentication disabled"),
    ("5.8.3", "legacy authorization (ABAC) disabled"),
    ("5.10.1", "the Kubernetes web UI disabled"),
    ("5.10.4", "Binary Authorization"),
];

/// CIS Microsoft Azure Foundations Benchmark v2.0.0 recommendations, in rampart's words.
const CIS_AZURE: &[(&str, &str)] = &[
    ("3.1", "secure transfer required on storage accounts"),
    ("3.7", "no public access to blob containers"),
    ("3.8", "storage accounts denying network access by default"),
    ("3.15", "TLS 1.2 at least for storage accounts"),
    (
        "5.1.1",
        "diagnostic settings for subscription activity logs",
    ),
    ("6.1", "RDP not open to the internet"),
    ("6.2", "SSH not open to the internet"),
    ("8.5", "Key Vaults recoverable"),
];

/// CIS Azure Kubernetes Service (AKS) Benchmark v1.4.0 recommendations, in rampart's words.
const CIS_AKS: &[(&str, &str)] = &[
    ("5.4.1", "access to the control plane endpoint restricted"),
    ("5.4.2", "a private endpoint and no public access"),
    ("5.4.4", "network policy enabled"),
    ("5.5.1", "RBAC users managed with Microsoft Entra ID"),
    ("5.5.2", "Azure RBAC for Kubernetes authorization"),
];

/// The OWASP Top 10 (2021) categories.
const OWASP: &[(&str, &str)] = &[
    ("A01:2021", "Broken Access Control"),
    ("A02:2021", "Cryptographic Failures"),
    ("A03:2021", "Injection"),
    ("A04:2021", "Insecure Design"),
    ("A05:2021", "Security Misconfiguration"),
    ("A07:2021", "Identification and Authentication Failures"),
    ("A08:2021", "Software and Data Integrity Failures"),
    ("A10:2021", "Server-Side Request Forgery"),
];
