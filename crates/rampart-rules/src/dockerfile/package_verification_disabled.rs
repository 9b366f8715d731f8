use rampart_core::{Concern, Layer, Severity, refs};

use super::common::{all_run_commands, has_option, shown};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// Package installs, in every stage, that skip signature verification:
    /// `apk add --allow-untrusted`, `apt-get --allow-unauthenticated`,
    /// `--allow-insecure-repositories`, `--force-yes` or
    /// `-o APT::Get::AllowUnauthenticated=true`, `yum`/`dnf`/`microdnf --nogpgcheck`,
    /// `rpm -i --nosignature` (or `--nodigest`).
    ///
    /// ## Why it matters
    /// Package signatures are what makes a mirror, a proxy or a network path untrusted by
    /// design: with them off, whoever answers the download installs any package they like,
    /// as root, into the image.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apk add --allow-untrusted /tmp/tool.apk
    /// ```
    /// Use instead: add the publisher's key and keep verification on.
    /// ```dockerfile
    /// COPY tool-signing.rsa.pub /etc/apk/keys/
    /// RUN apk add --no-cache /tmp/tool.apk
    /// ```
    pub struct PackageVerificationDisabled {
        code: "D137",
        name: "package-verification-disabled",
        title: "Package signature verification turned off",
        severity: Severity::High,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            CisDocker: ["4.11"],
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1195.002"],
            Cwe: ["CWE-347"],
        ],
        equivalents: &[
            "checkov:CKV2_DOCKER_7",
            "checkov:CKV2_DOCKER_8",
            "checkov:CKV2_DOCKER_9",
            "checkov:CKV2_DOCKER_10",
            "checkov:CKV2_DOCKER_11",
        ],
    }
}

impl Check<Dockerfiles> for PackageVerificationDisabled {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for (run, command) in all_run_commands(target.dockerfile) {
            let Some((program, args)) = command.program() else {
                continue;
            };
            let skipped = match program {
                "apk" => has_option(args, None, &["allow-untrusted"]),
                "apt-get" | "apt" => {
                    has_option(
                        args,
                        None,
                        &[
                            "allow-unauthenticated",
                            "allow-insecure-repositories",
                            "force-yes",
                        ],
                    ) || args.iter().any(|a| {
                        a.to_ascii_lowercase()
                            .starts_with("apt::get::allowunauthenticated=t")
                    })
                }
                "yum" | "dnf" | "microdnf" => has_option(args, None, &["nogpgcheck"]),
                "rpm" => has_option(args, None, &["nosignature", "nodigest"]),
                _ => false,
            };
            if skipped {
                hits.push(Hit::at_instruction(
                    run,
                    format!(
                        "`{}` installs packages without checking their signatures; import \
                         the publisher's key and keep verification on",
                        shown(command)
                    ),
                ));
            }
        }
    }
}
