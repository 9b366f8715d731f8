use rampart_core::{Concern, Layer, Severity, refs};
use rampart_iam::Effect;
use rampart_iam::pattern::action_matches;
use rampart_iam::policy::PrincipalEntry;

use crate::rule::{Check, declare_rule};
use crate::{Hit, Holder, IamHolders, IamTarget};

declare_rule! {
    /// ## What it checks
    /// IAM role trust policies that let principals of another AWS account call
    /// `sts:AssumeRole` (an account id, its `:root` ARN, or a user or role ARN in it) with no
    /// `sts:ExternalId` condition in the statement. The account of the configuration is the
    /// one its provider declares (`allowed_account_ids`); when it declares none, every
    /// account a trust policy names is taken as another one.
    ///
    /// ## Why it matters
    /// A third party (a monitoring or CI vendor) assumes the role on behalf of many
    /// customers. Without an external id that only this customer and the vendor know, any
    /// other customer of the vendor can ask it to act on this account: the confused deputy
    /// problem, which AWS's own guidance for third-party access closes with `sts:ExternalId`.
    ///
    /// ## Example
    /// ```hcl
    /// Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
    ///                Principal = { AWS = "arn:aws:iam::111122223333:root" } }]
    /// ```
    /// Use instead:
    /// ```hcl
    /// Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
    ///                Principal = { AWS = "arn:aws:iam::111122223333:root" },
    ///                Condition = { StringEquals = { "sts:ExternalId" = var.vendor_external_id } } }]
    /// ```
    pub struct IamTrustWithoutExternalId {
        code: "C108",
        name: "iam-trust-without-external-id",
        title: "IAM role trusts another account without an external id",
        severity: Severity::High,
        layer: Layer::Cloud,
        concern: Concern::Iam,
        references: refs![Mitre: ["T1199"], Cwe: ["CWE-441"]],
        equivalents: &[],
    }
}

impl Check<IamHolders> for IamTrustWithoutExternalId {
    fn check(&self, target: &IamTarget<'_>, hits: &mut Vec<Hit>) {
        let Holder::Principal(role) = target.holder else {
            return;
        };
        let Some(document) = &role.trust else {
            return;
        };
        let Ok(trust) = &document.policy else {
            return;
        };
        let own = target.account.id.as_str();
        for statement in &trust.statements {
            let assumes = statement.effect == Effect::Allow
                && !statement.actions.negated
                && statement
                    .actions
                    .values
                    .iter()
                    .any(|p| action_matches(p, "sts:AssumeRole"));
            let Some(principals) = statement.principals.as_ref().filter(|p| !p.negated) else {
                continue;
            };
            let external_id = statement
                .conditions
                .iter()
                .any(|c| c.key.eq_ignore_ascii_case("sts:ExternalId"));
            if !assumes || external_id {
                continue;
            }
            let others: Vec<&str> = principals
                .entries
                .iter()
                .filter_map(|entry| match entry {
                    PrincipalEntry::Aws(name) => account_of(name).filter(|a| *a != own),
                    _ => None,
                })
                .collect();
            if others.is_empty() {
                continue;
            }
            let pointer = match trust.statements.len() {
                1 => document.pointer.clone(),
                _ => format!("{}/Statement/{}", document.pointer, statement.index),
            };
            hits.push(
                Hit::new(
                    pointer,
                    format!(
                        "account {} may assume the role without an external id: add an `sts:ExternalId` condition",
                        others.join(", ")
                    ),
                )
                .with_identity(format!("{}/{}", document.pointer, others.join(","))),
            );
        }
    }
}

/// The account of an `AWS` principal: `111122223333`, or the account segment of an IAM or
/// STS ARN.
fn account_of(name: &str) -> Option<&str> {
    let is_account = |id: &str| id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit());
    if is_account(name) {
        return Some(name);
    }
    let account = name.split(':').nth(4)?;
    (name.starts_with("arn:") && is_account(account)).then_some(account)
}
