use rampart_core::{Concern, Layer, Severity, refs};
use rampart_secrets::Class;

use super::report;
use crate::rule::{Check, declare_rule};
use crate::{Hit, TextFileTarget, TextFiles};

declare_rule! {
    /// ## What it checks
    /// Tokens and keys of a known format written in a source or configuration file of any
    /// language (`.env`, `.npmrc`, YAML, JSON, properties, shell scripts, Python, Go, ...):
    /// cloud keys (AWS access key ids, and secret keys named as such; Google API keys and
    /// OAuth client secrets; Azure storage keys, shared access signatures and AD client
    /// secrets), version control tokens (GitHub classic tokens with their CRC32 checksum
    /// verified, fine-grained tokens, GitLab, Bitbucket and Atlassian), CI (CircleCI,
    /// Buildkite, Terraform Cloud, Vault), chat (Slack tokens and webhooks, Discord bot
    /// tokens whose first part is a user id, Discord and Teams webhooks, Telegram), payment
    /// (Stripe, Square, Braintree), package registries (npm tokens with their checksum, PyPI
    /// tokens whose macaroon names PyPI, RubyGems, NuGet, Docker Hub, Artifactory), other
    /// services (OpenAI, Anthropic, Hugging Face, SendGrid, Mailchimp, Twilio, Shopify, ...),
    /// JSON Web Tokens whose header is JSON naming an algorithm, age keys with their bech32
    /// checksum, and credentials in `Authorization` headers.
    ///
    /// A candidate whose checksum or structure is wrong is not reported; nor are examples
    /// (`AKIAIOSFODNN7EXAMPLE`, `ghp_xxxxxxxx…`). Kubernetes manifests and Dockerfiles are
    /// checked field by field by their own rules (K142, S104, S105, D108, D110) rather than
    /// here. The message shows at most the issuer's prefix and the length; the fingerprint
    /// hashes the file's name in its repository and a digest of the secret.
    ///
    /// ## Why it matters
    /// A credential in a file is in every clone, fork, backup, CI log and image built from
    /// the repository, and in its history after it is deleted. Automated scrapers find
    /// tokens pushed to public repositories within minutes; inside an organisation, everyone
    /// with read access holds what the token can do.
    ///
    /// ## Example
    /// ```python
    /// client = Github("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")
    /// ```
    /// Use instead: revoke the token, then read it from the environment or a secret store.
    /// ```python
    /// client = Github(os.environ["GITHUB_TOKEN"])
    /// ```
    pub struct SecretInFile {
        code: "S101",
        name: "secret-in-file",
        title: "Token or key written in a source or configuration file",
        severity: Severity::High,
        layer: Layer::Code,
        concern: Concern::Secrets,
        references: refs![
            Mitre: ["T1552.001"],
            Cwe: ["CWE-798"],
        ],
        equivalents: &[
            "detect-secrets:AWSKeyDetector",
            "detect-secrets:ArtifactoryDetector",
            "detect-secrets:AzureStorageKeyDetector",
            "detect-secrets:DiscordBotTokenDetector",
            "detect-secrets:GitHubTokenDetector",
            "detect-secrets:GitLabTokenDetector",
            "detect-secrets:JwtTokenDetector",
            "detect-secrets:MailchimpDetector",
            "detect-secrets:NpmDetector",
            "detect-secrets:OpenAIDetector",
            "detect-secrets:PypiTokenDetector",
            "detect-secrets:SendGridDetector",
            "detect-secrets:SlackDetector",
            "detect-secrets:SquareOAuthDetector",
            "detect-secrets:StripeDetector",
            "detect-secrets:TelegramBotTokenDetector",
            "detect-secrets:TwilioKeyDetector",
            "gitleaks:age-secret-key",
            "gitleaks:anthropic-admin-api-key",
            "gitleaks:anthropic-api-key",
            "gitleaks:artifactory-api-key",
            "gitleaks:atlassian-api-token",
            "gitleaks:aws-access-token",
            "gitleaks:azure-ad-client-secret",
            "gitleaks:databricks-api-token",
            "gitleaks:digitalocean-access-token",
            "gitleaks:digitalocean-pat",
            "gitleaks:digitalocean-refresh-token",
            "gitleaks:doppler-api-token",
            "gitleaks:gcp-api-key",
            "gitleaks:github-app-token",
            "gitleaks:github-fine-grained-pat",
            "gitleaks:github-oauth",
            "gitleaks:github-pat",
            "gitleaks:github-refresh-token",
            "gitleaks:gitlab-cicd-job-token",
            "gitleaks:gitlab-deploy-token",
            "gitleaks:gitlab-feature-flag-client-token",
            "gitleaks:gitlab-feed-token",
            "gitleaks:gitlab-incoming-mail-token",
            "gitleaks:gitlab-kubernetes-agent-token",
            "gitleaks:gitlab-oauth-app-secret",
            "gitleaks:gitlab-pat",
            "gitleaks:gitlab-pat-routable",
            "gitleaks:gitlab-ptt",
            "gitleaks:gitlab-rrt",
            "gitleaks:gitlab-runner-authentication-token",
            "gitleaks:gitlab-scim-token",
            "gitleaks:grafana-service-account-token",
            "gitleaks:hashicorp-tf-api-token",
            "gitleaks:huggingface-access-token",
            "gitleaks:jwt",
            "gitleaks:linear-api-key",
            "gitleaks:mailchimp-api-key",
            "gitleaks:microsoft-teams-webhook",
            "gitleaks:new-relic-user-api-key",
            "gitleaks:npm-access-token",
            "gitleaks:openai-api-key",
            "gitleaks:postman-api-token",
            "gitleaks:pulumi-api-token",
            "gitleaks:pypi-upload-token",
            "gitleaks:rubygems-api-token",
            "gitleaks:sendgrid-api-token",
            "gitleaks:shopify-access-token",
            "gitleaks:shopify-custom-access-token",
            "gitleaks:shopify-private-app-access-token",
            "gitleaks:shopify-shared-secret",
            "gitleaks:slack-app-token",
            "gitleaks:slack-bot-token",
            "gitleaks:slack-legacy-token",
            "gitleaks:slack-legacy-workspace-token",
            "gitleaks:slack-user-token",
            "gitleaks:slack-webhook-url",
            "gitleaks:square-access-token",
            "gitleaks:stripe-access-token",
            "gitleaks:telegram-bot-api-token",
            "gitleaks:twilio-api-key",
            "gitleaks:vault-batch-token",
            "gitleaks:vault-service-token",
        ],
    }
}

impl Check<TextFiles> for SecretInFile {
    fn check(&self, target: &TextFileTarget<'_>, hits: &mut Vec<Hit>) {
        report(
            target,
            Class::Token,
            hits,
            "revoke it at its issuer, then read it from the environment or a secret store",
        );
    }
}
