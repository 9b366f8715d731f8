use rampart_core::{Concern, Layer, Severity, refs};
use rampart_source::Keyword;

use super::common::copy_sources;
use crate::rule::{Check, declare_rule};
use crate::{DockerfileTarget, Dockerfiles, Hit};

declare_rule! {
    /// ## What it checks
    /// `COPY` and `ADD` of the whole build context (`.`, `./`, `*`) from the context (not
    /// `--from` another stage) when there is no `.dockerignore` beside the Dockerfile, nor a
    /// `<Dockerfile name>.dockerignore` (which BuildKit prefers). rampart assumes the build
    /// context is the Dockerfile's folder, as `docker build .` next to it does.
    ///
    /// ## Why it matters
    /// Everything in the folder goes into the image: `.git` with its history, `.env` files,
    /// local credentials, SSH keys, build outputs and test data. Secrets land in a layer even
    /// when nobody meant to copy them, and stay there.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY . .
    /// ```
    /// Use instead: add a `.dockerignore` next to the Dockerfile, or copy what the image
    /// needs.
    /// ```text
    /// # .dockerignore
    /// .git
    /// .env*
    /// **/*.pem
    /// node_modules
    /// ```
    pub struct CopyContextWithoutDockerignore {
        code: "D131",
        name: "copy-context-without-dockerignore",
        title: "Whole build context copied without a .dockerignore",
        severity: Severity::Medium,
        layer: Layer::Container,
        concern: Concern::Secrets,
        references: refs![
            CisDocker: ["4.10"],
            Nsa: ["secrets"],
            Mitre: ["T1552.001"],
            Cwe: ["CWE-538"],
        ],
        equivalents: &[],
    }
}

impl Check<Dockerfiles> for CopyContextWithoutDockerignore {
    fn check(&self, target: &DockerfileTarget<'_>, hits: &mut Vec<Hit>) {
        let dockerfile = target.dockerfile;
        if dockerfile.has_dockerignore {
            return;
        }
        for stage in &dockerfile.stages {
            let copies = stage.instructions.iter().filter(|i| {
                matches!(i.keyword, Keyword::Copy | Keyword::Add) && i.flag("from").is_none()
            });
            for copy in copies {
                if copy_sources(copy).any(|s| matches!(s, "." | "./" | "*" | "./*")) {
                    hits.push(Hit::at_instruction(
                        copy,
                        format!(
                            "`{}` copies the whole build context and no .dockerignore excludes \
                             `.git`, `.env` files or keys; add a .dockerignore beside the \
                             Dockerfile",
                            copy.text()
                        ),
                    ));
                }
            }
        }
    }
}
