//! The published privilege escalation methods of AWS IAM, each a set of permissions that
//! together let a principal gain permissions it was not given: Rhino Security Labs' catalogue,
//! the paths Bishop Fox's iam-vulnerable builds, and pathfinding.cloud's (whose ids name the
//! methods it lists). Whether a principal holds a method is asked of the evaluator, action by
//! action, so that a Deny, a `NotAction` or a boundary removes it exactly.

use serde::Serialize;

use crate::Tri;
use crate::eval::Decision;

/// How a method gains permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// The principal changes its own permissions (a new policy version, an attached or
    /// inline policy, a group).
    SelfEscalation,
    /// The principal obtains another principal's credentials (an access key, a console
    /// password, a trust policy it rewrites, a role it assumes).
    PrincipalAccess,
    /// The principal passes an existing role to new compute it controls.
    NewPassRole,
    /// The principal takes over compute that already runs with a role.
    ExistingPassRole,
}

impl Category {
    pub fn describe(self) -> &'static str {
        match self {
            Category::SelfEscalation => "changes its own permissions",
            Category::PrincipalAccess => "obtains another principal's credentials",
            Category::NewPassRole => "passes a role to new compute it controls",
            Category::ExistingPassRole => "takes over compute that runs with a role",
        }
    }
}

/// One escalation method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Method {
    /// pathfinding.cloud's id where it lists the method (`iam-001`), a name of ours otherwise.
    pub id: &'static str,
    pub category: Category,
    /// Every permission the method needs.
    pub permissions: &'static [&'static str],
    /// What an attacker does with them, in one sentence.
    pub how: &'static str,
}

macro_rules! methods {
    ($($id:literal $category:ident [$($permission:literal),+] $how:literal;)+) => {
        /// Every method, in the order of their ids.
        pub const METHODS: &[Method] = &[$(Method {
            id: $id,
            category: Category::$category,
            permissions: &[$($permission),+],
            how: $how,
        }),+];
    };
}

methods! {
    "apprunner-001" NewPassRole ["iam:PassRole", "apprunner:CreateService"]
        "creates an App Runner service whose instance role is the passed role";
    "apprunner-002" ExistingPassRole ["apprunner:UpdateService"]
        "changes the code or start command of a service that runs with a role";
    "bedrock-001" NewPassRole ["iam:PassRole", "bedrock-agentcore:CreateCodeInterpreter", "bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"]
        "creates a Bedrock AgentCore code interpreter with the passed role and runs code in it";
    "bedrock-002" ExistingPassRole ["bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"]
        "runs code in an existing code interpreter that holds a role";
    "cloudformation-001" NewPassRole ["iam:PassRole", "cloudformation:CreateStack"]
        "creates a stack whose service role (the passed role) creates what the template says";
    "cloudformation-002" ExistingPassRole ["cloudformation:UpdateStack"]
        "updates a stack that has a service role with a template of its choosing";
    "cloudformation-003" NewPassRole ["iam:PassRole", "cloudformation:CreateStackSet", "cloudformation:CreateStackInstances"]
        "creates a stack set run by the passed execution role";
    "cloudformation-004" NewPassRole ["iam:PassRole", "cloudformation:UpdateStackSet"]
        "updates a stack set with a template of its choosing, run by the passed role";
    "cloudformation-005" ExistingPassRole ["cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"]
        "changes a stack with a service role through a change set";
    "codebuild-001" NewPassRole ["iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"]
        "creates a build project with the passed service role and runs a build";
    "codebuild-002" ExistingPassRole ["codebuild:StartBuild"]
        "starts a build of a project with a role, overriding its buildspec";
    "codebuild-003" ExistingPassRole ["codebuild:StartBuildBatch"]
        "starts a build batch of a project with a role, overriding its buildspec";
    "codebuild-004" NewPassRole ["iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuildBatch"]
        "creates a build project with the passed service role and runs a build batch";
    "codestar-associate-team-member" SelfEscalation ["codestar:CreateProject", "codestar:AssociateTeamMember"]
        "creates a CodeStar project and makes itself its owner, which attaches the project's IAM policy to it";
    "codestar-create-project-pass-role" NewPassRole ["iam:PassRole", "codestar:CreateProject"]
        "creates a CodeStar project whose service role creates the resources of its template";
    "datapipeline-001" NewPassRole ["iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition", "datapipeline:ActivatePipeline"]
        "creates a pipeline that runs commands as the passed role";
    "ec2-001" NewPassRole ["iam:PassRole", "ec2:RunInstances"]
        "launches an instance with the passed role's instance profile and reads its credentials";
    "ec2-002" ExistingPassRole ["ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances"]
        "replaces the user data of an instance with a role and restarts it";
    "ec2-003" NewPassRole ["iam:PassRole", "ec2:RequestSpotInstances"]
        "requests a spot instance with the passed role's instance profile";
    "ec2-004" ExistingPassRole ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"]
        "makes a launch template with a role start its own user data";
    "ec2instanceconnect-003" ExistingPassRole ["ec2-instance-connect:SendSSHPublicKey", "ec2:DescribeInstances"]
        "pushes an SSH key to an instance with a role and logs in";
    "ecs-001" NewPassRole ["iam:PassRole", "ecs:CreateCluster", "ecs:RegisterTaskDefinition", "ecs:CreateService"]
        "runs a service in a new cluster whose task role is the passed role";
    "ecs-002" NewPassRole ["iam:PassRole", "ecs:CreateCluster", "ecs:RegisterTaskDefinition", "ecs:RunTask"]
        "runs a task in a new cluster whose task role is the passed role";
    "ecs-003" NewPassRole ["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:CreateService"]
        "runs a service whose task role is the passed role";
    "ecs-004" NewPassRole ["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"]
        "runs a task whose task role is the passed role";
    "ecs-005" NewPassRole ["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:StartTask"]
        "starts a task whose task role is the passed role";
    "glue-001" NewPassRole ["iam:PassRole", "glue:CreateDevEndpoint"]
        "creates a Glue development endpoint with the passed role and logs in to it";
    "glue-002" ExistingPassRole ["glue:UpdateDevEndpoint"]
        "adds its SSH key to a development endpoint with a role";
    "glue-003" NewPassRole ["iam:PassRole", "glue:CreateJob", "glue:StartJobRun"]
        "creates and runs a Glue job as the passed role";
    "glue-004" NewPassRole ["iam:PassRole", "glue:CreateJob", "glue:CreateTrigger"]
        "creates a Glue job as the passed role and a trigger that runs it";
    "glue-005" NewPassRole ["iam:PassRole", "glue:UpdateJob", "glue:StartJobRun"]
        "points a Glue job at the passed role and its own script, and runs it";
    "glue-006" NewPassRole ["iam:PassRole", "glue:UpdateJob", "glue:CreateTrigger"]
        "points a Glue job at the passed role and its own script, and triggers it";
    "iam-001" SelfEscalation ["iam:CreatePolicyVersion"]
        "writes a new default version of a managed policy attached to it";
    "iam-002" PrincipalAccess ["iam:CreateAccessKey"]
        "creates an access key for another user";
    "iam-003" PrincipalAccess ["iam:CreateAccessKey", "iam:DeleteAccessKey"]
        "deletes one of another user's two keys to make room for its own";
    "iam-004" PrincipalAccess ["iam:CreateLoginProfile"]
        "sets a console password for a user who has none";
    "iam-005" SelfEscalation ["iam:PutRolePolicy"]
        "writes an inline policy into its own role";
    "iam-006" PrincipalAccess ["iam:UpdateLoginProfile"]
        "changes another user's console password";
    "iam-007" SelfEscalation ["iam:PutUserPolicy"]
        "writes an inline policy into its own user";
    "iam-008" SelfEscalation ["iam:AttachUserPolicy"]
        "attaches a managed policy such as AdministratorAccess to its own user";
    "iam-009" SelfEscalation ["iam:AttachRolePolicy"]
        "attaches a managed policy such as AdministratorAccess to its own role";
    "iam-010" SelfEscalation ["iam:AttachGroupPolicy"]
        "attaches a managed policy to a group it belongs to";
    "iam-011" SelfEscalation ["iam:PutGroupPolicy"]
        "writes an inline policy into a group it belongs to";
    "iam-012" PrincipalAccess ["iam:UpdateAssumeRolePolicy"]
        "rewrites a role's trust policy to trust itself";
    "iam-013" SelfEscalation ["iam:AddUserToGroup"]
        "adds itself to a more privileged group";
    "iam-014" PrincipalAccess ["iam:AttachRolePolicy", "sts:AssumeRole"]
        "attaches a policy to a role it may assume, then assumes it";
    "iam-015" PrincipalAccess ["iam:AttachUserPolicy", "iam:CreateAccessKey"]
        "attaches a policy to another user and creates a key for that user";
    "iam-016" PrincipalAccess ["iam:CreatePolicyVersion", "sts:AssumeRole"]
        "rewrites a policy of a role it may assume, then assumes it";
    "iam-017" PrincipalAccess ["iam:PutRolePolicy", "sts:AssumeRole"]
        "writes an inline policy into a role it may assume, then assumes it";
    "iam-018" PrincipalAccess ["iam:PutUserPolicy", "iam:CreateAccessKey"]
        "writes an inline policy into another user and creates a key for that user";
    "iam-019" PrincipalAccess ["iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy"]
        "attaches a policy to a role and makes the role trust itself";
    "iam-020" PrincipalAccess ["iam:CreatePolicyVersion", "iam:UpdateAssumeRolePolicy"]
        "rewrites a role's policy and makes the role trust itself";
    "iam-021" PrincipalAccess ["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"]
        "writes an inline policy into a role and makes the role trust itself";
    "iam-set-default-policy-version" SelfEscalation ["iam:SetDefaultPolicyVersion"]
        "makes a more permissive earlier version of an attached policy the default";
    "lambda-001" NewPassRole ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]
        "creates a function with the passed role as its execution role and invokes it";
    "lambda-002" NewPassRole ["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"]
        "creates a function with the passed role and an event source that triggers it";
    "lambda-003" ExistingPassRole ["lambda:UpdateFunctionCode"]
        "replaces the code of a function that runs with a role";
    "lambda-004" ExistingPassRole ["lambda:UpdateFunctionCode", "lambda:InvokeFunction"]
        "replaces the code of a function with a role and invokes it";
    "lambda-005" ExistingPassRole ["lambda:UpdateFunctionCode", "lambda:AddPermission"]
        "replaces the code of a function with a role and lets itself invoke it";
    "lambda-006" NewPassRole ["iam:PassRole", "lambda:CreateFunction", "lambda:AddPermission"]
        "creates a function with the passed role and lets itself invoke it";
    "lambda-update-function-configuration" ExistingPassRole ["lambda:UpdateFunctionConfiguration"]
        "adds a layer of its own code to a function that runs with a role";
    "sagemaker-001" NewPassRole ["iam:PassRole", "sagemaker:CreateNotebookInstance"]
        "creates a notebook instance with the passed role and opens it";
    "sagemaker-002" NewPassRole ["iam:PassRole", "sagemaker:CreateTrainingJob"]
        "runs a training job of its own container as the passed role";
    "sagemaker-003" NewPassRole ["iam:PassRole", "sagemaker:CreateProcessingJob"]
        "runs a processing job of its own container as the passed role";
    "sagemaker-004" ExistingPassRole ["sagemaker:CreatePresignedNotebookInstanceUrl"]
        "opens an existing notebook instance that holds a role";
    "sagemaker-005" ExistingPassRole ["sagemaker:CreateNotebookInstanceLifecycleConfig", "sagemaker:StopNotebookInstance", "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance"]
        "gives a notebook instance with a role a start-up script of its own";
    "ssm-001" ExistingPassRole ["ssm:StartSession"]
        "opens a shell on an instance that has a role";
    "ssm-002" ExistingPassRole ["ssm:SendCommand"]
        "runs commands on an instance that has a role";
    "sts-001" PrincipalAccess ["sts:AssumeRole"]
        "assumes any role whose trust policy lets it";
}

/// A method a principal holds: how surely, and the answer for each of its permissions.
#[derive(Debug, Clone)]
pub struct Held {
    pub method: &'static Method,
    /// `Yes` when every permission is allowed in every context, `Maybe` when some only under
    /// a condition.
    pub tri: Tri,
    pub permissions: Vec<(&'static str, Decision)>,
}

/// The methods whose every permission `decide` allows in some context.
pub fn held(mut decide: impl FnMut(&str) -> Decision) -> Vec<Held> {
    let mut decisions: Vec<(&'static str, Decision)> = Vec::new();
    let mut decision_of = |permission: &'static str| -> Decision {
        if let Some((_, d)) = decisions.iter().find(|(p, _)| *p == permission) {
            return d.clone();
        }
        let d = decide(permission);
        decisions.push((permission, d.clone()));
        d
    };
    let mut held = Vec::new();
    for method in METHODS {
        let permissions: Vec<(&'static str, Decision)> = method
            .permissions
            .iter()
            .map(|p| (*p, decision_of(p)))
            .collect();
        let tri = permissions
            .iter()
            .fold(Tri::Yes, |all, (_, d)| all.and(d.tri()));
        if tri.possible() {
            held.push(Held {
                method,
                tri,
                permissions,
            });
        }
    }
    held
}

/// Methods that need only a subset of another's permissions make that one redundant: a
/// principal with `iam:CreateAccessKey` and `iam:DeleteAccessKey` holds `iam-002` already.
pub fn without_redundant(held: Vec<Held>) -> Vec<Held> {
    let covered = |method: &Method| {
        held.iter().any(|other| {
            other.method.id != method.id
                && other.method.permissions.len() < method.permissions.len()
                && other
                    .method
                    .permissions
                    .iter()
                    .all(|p| method.permissions.contains(p))
                && other.tri >= held.iter().find(|h| h.method.id == method.id).unwrap().tri
        })
    };
    let keep: Vec<bool> = held.iter().map(|h| !covered(h.method)).collect();
    held.into_iter()
        .zip(keep)
        .filter_map(|(h, keep)| keep.then_some(h))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::find;

    #[test]
    fn every_method_names_actions_of_the_catalogue_once() {
        for method in METHODS {
            for permission in method.permissions {
                assert!(find(permission).is_some(), "{}: {permission}", method.id);
            }
            let mut sorted = method.permissions.to_vec();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), method.permissions.len(), "{}", method.id);
        }
        let mut ids: Vec<&str> = METHODS.iter().map(|m| m.id).collect();
        let count = ids.len();
        assert!(ids.is_sorted(), "methods are listed by id");
        ids.dedup();
        assert_eq!(ids.len(), count);
    }
}
