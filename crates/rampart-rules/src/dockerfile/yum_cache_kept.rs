use rampart_core::{Concern, Layer, Severity, refs};

use super::common::{mounts_cache_over, shipped_stages};
use super::packages::{Manager, removes, runs_with_invocations};
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `yum install`, `dnf install` and `microdnf install` in the stages that ship in the
    /// image (the final stage and the stages it is built `FROM`) without a `clean all` by the
    /// same tool in the same `RUN`, a removal of `/var/cache/yum` or `/var/cache/dnf`, or a
    /// cache mount over them.
    ///
    /// ## Why it matters
    /// The package managers keep repository metadata and downloaded packages under
    /// `/var/cache`, often hundreds of megabytes committed into the layer. A `clean all` in a
    /// later `RUN` does not remove them from the earlier layer.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN dnf install -y httpd-2.4.62
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN dnf install -y httpd-2.4.62 && dnf clean all
    /// ```
    pub struct YumCacheKept {
        code: "D122",
        name: "yum-cache-kept",
        title: "yum or dnf cache left in the image",
        severity: Severity::Low,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Cwe: ["CWE-1164"],
        ],
        equivalents: &[
            "hadolint:DL3032",
            "hadolint:DL3040",
            "trivy:DS-0015",
            "trivy:DS-0019",
            "trivy:DS-0027",
        ],
    }
}

impl Check<Dockerfiles> for YumCacheKept {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        for (run, invocations) in runs_with_invocations(shipped_stages(target.dockerfile)) {
            let cleaned = |program: &str| {
                invocations.iter().any(|i| {
                    i.program == program && i.subcommand == "clean" && i.operands.contains(&"all")
                }) || removes(run, &format!("/var/cache/{}", cache_folder(program)))
                    || mounts_cache_over(run, &format!("/var/cache/{}", cache_folder(program)))
            };
            let installs = invocations
                .iter()
                .filter(|i| i.manager == Manager::Yum && i.installs());
            for install in installs {
                if !cleaned(install.program) {
                    hits.push(Hit::at_instruction(
                        run,
                        format!(
                            "`{} install` leaves its cache in /var/cache; end the RUN with \
                             `&& {} clean all`",
                            install.program, install.program
                        ),
                    ));
                }
            }
        }
    }
}

/// `/var/cache/<folder>` of each tool (microdnf uses dnf's).
fn cache_folder(program: &str) -> &str {
    match program {
        "yum" => "yum",
        _ => "dnf",
    }
}
