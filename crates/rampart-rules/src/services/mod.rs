//! Rules about RBAC and service accounts (`K2xx`): each escalation technique of
//! [`rampart_k8s::rbac::escalation`], found in Roles and ClusterRoles (or the built-in role a
//! binding names), and bindings to identities that should hold nothing.

mod grants;

mod approve_certificates;
mod bind_or_escalate;
mod create_persistent_volumes;
mod create_tokens;
mod create_workloads;
mod default_account_grant;
mod exec_into_pods;
mod impersonate;
mod modify_nodes;
mod node_proxy;
mod public_grant;
mod read_secrets;
mod system_masters;
mod wildcard;
mod write_aws_auth;
mod write_webhooks;

pub use approve_certificates::RbacApproveCertificates;
pub use bind_or_escalate::RbacBindOrEscalate;
pub use create_persistent_volumes::RbacCreatePersistentVolumes;
pub use create_tokens::RbacCreateTokens;
pub use create_workloads::RbacCreateWorkloads;
pub use default_account_grant::RbacDefaultAccountGrant;
pub use exec_into_pods::RbacExecIntoPods;
pub use impersonate::RbacImpersonate;
pub use modify_nodes::RbacModifyNodes;
pub use node_proxy::RbacNodeProxy;
pub use public_grant::RbacPublicGrant;
pub use read_secrets::RbacReadSecrets;
pub use system_masters::RbacSystemMasters;
pub use wildcard::RbacWildcard;
pub use write_aws_auth::RbacWriteAwsAuth;
pub use write_webhooks::RbacWriteWebhooks;

#[cfg(test)]
mod tests {
    use rampart_core::{Concern, Framework};
    use rampart_k8s::rbac::escalation::TECHNIQUES;

    use crate::find;

    #[test]
    fn every_technique_has_its_rule() {
        for technique in TECHNIQUES {
            let rule = find(technique.code).expect("a rule per technique");
            let meta = rule.meta();
            assert_eq!(meta.concern, Concern::Services, "{}", technique.code);
            let mitre: Vec<&str> = meta.references.ids(Framework::Mitre).collect();
            assert_eq!(mitre, technique.mitre, "{}", technique.code);
        }
    }
}
