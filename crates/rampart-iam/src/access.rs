//! What a holder of policies may do, asked of the evaluator: every action (full
//! administrator), IAM's write and permissions-management actions, the escalation methods.
//! A holder is a principal with all its policies, or one policy on its own (what it grants
//! whoever holds it).

use crate::actions::{AccessLevel, Action, catalogue};
use crate::escalation::{Held, held, without_redundant};
use crate::eval::{Caller, Decision, Policies, Request, Resource, evaluate};
use crate::{Tri, Verdict};

/// An action no service defines: only `*`-like patterns and `NotAction` grant it.
const ANY_ACTION: &str = "rampart-any-service:AnyAction";

/// A caller with its policies.
#[derive(Debug, Clone, Copy)]
pub struct Access<'a, 'p> {
    pub caller: &'a Caller,
    pub policies: &'a Policies<'p>,
}

impl Access<'_, '_> {
    /// The answer for `action` on every resource (allowed on some: conditional).
    pub fn decide(&self, action: &str) -> Decision {
        self.decide_on(action, Resource::Every)
    }

    fn decide_on(&self, action: &str, resource: Resource<'_>) -> Decision {
        let request = Request {
            caller: self.caller,
            action,
            resource,
        };
        evaluate(&request, self.policies)
    }

    /// Whether every action is allowed on all resources: the answer for an action of no
    /// service (which only a `*` or a `NotAction` grants) when every catalogued action is at
    /// least as allowed; `None` when some action is denied.
    pub fn full_admin(&self) -> Option<Decision> {
        let any = self.decide_on(ANY_ACTION, Resource::All);
        if any.verdict == Verdict::Denied {
            return None;
        }
        let mut weakest = any.tri();
        for action in catalogue() {
            weakest = weakest.and(self.decide_on(&action.name, Resource::All).tri());
            if weakest == Tri::No {
                return None;
            }
        }
        let mut decision = any;
        if weakest == Tri::Maybe && decision.verdict == Verdict::Allowed {
            decision.verdict = Verdict::Conditional;
            decision
                .reasons
                .push("some actions are allowed only under a condition".to_owned());
        }
        Some(decision)
    }

    /// The IAM actions that change identities or permissions (access levels Write and
    /// Permissions management) that are allowed in some context, with how surely.
    pub fn iam_writes(&self) -> Vec<(&'static Action, Decision)> {
        catalogue()
            .iter()
            .filter(|a| {
                a.service() == "iam"
                    && matches!(a.level, AccessLevel::Write | AccessLevel::Permissions)
            })
            .map(|a| (a, self.decide(&a.name)))
            .filter(|(_, d)| d.verdict != Verdict::Denied)
            .collect()
    }

    /// The escalation methods held, without those another held method makes redundant.
    pub fn escalations(&self) -> Vec<Held> {
        without_redundant(held(|action| self.decide(action)))
    }
}
