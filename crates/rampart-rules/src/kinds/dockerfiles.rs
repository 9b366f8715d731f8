use std::borrow::Cow;
use std::sync::Arc;

use rampart_core::{Diagnostic, Finding, Location, Subject, Texts};
use rampart_source::{Dockerfile, Instruction};

use crate::checking::{check, each};
use crate::{Hit, Inputs, Kind, RuleOf, RuleOptions};

/// Dockerfiles, one at a time.
pub struct Dockerfiles;

/// What a Dockerfile rule looks at.
pub struct DockerfileTarget<'a> {
    pub dockerfile: &'a Dockerfile,
    pub options: &'a RuleOptions,
    /// What the Dockerfile's findings are about: shared by all of them.
    pub subject: Arc<Subject>,
}

impl DockerfileTarget<'_> {
    /// The instruction a hit points at.
    fn instruction(&self, pointer: &str) -> Option<&Instruction> {
        self.dockerfile
            .instructions()
            .find(|instruction| instruction.pointer == pointer)
    }
}

impl Hit {
    /// A hit on `instruction` (for something missing from a stage, its `FROM`).
    pub fn at_instruction(instruction: &Instruction, message: impl Into<String>) -> Hit {
        Hit::new(instruction.pointer.clone(), message)
    }
}

impl Kind for Dockerfiles {
    type Target<'a> = DockerfileTarget<'a>;

    fn run(
        inputs: &Inputs<'_>,
        options: &RuleOptions,
        rules: &[&'static dyn RuleOf<Dockerfiles>],
        texts: &Texts,
    ) -> (Vec<Finding>, Vec<Diagnostic>) {
        each(inputs.inventory.all::<Dockerfile>(), |dockerfile| {
            let target = DockerfileTarget {
                dockerfile,
                options,
                subject: Arc::new(dockerfile.subject()),
            };
            (check(&target, rules, texts), Vec::new())
        })
    }

    fn subject(target: &DockerfileTarget<'_>, _hit: &Hit) -> Arc<Subject> {
        target.subject.clone()
    }

    fn location(target: &DockerfileTarget<'_>, hit: &Hit) -> Location {
        match target.instruction(&hit.pointer) {
            Some(instruction) => target.dockerfile.location(instruction),
            None => Location::new(target.dockerfile.path.clone(), 0, 0),
        }
    }

    /// The instruction's stage, keyword, normalised text and occurrence: lines added or
    /// removed elsewhere do not change it.
    fn field_identity<'t>(target: &'t DockerfileTarget<'_>, pointer: &'t str) -> Cow<'t, str> {
        match target.instruction(pointer) {
            Some(instruction) => Cow::Borrowed(&instruction.identity),
            None => Cow::Borrowed(pointer),
        }
    }
}
