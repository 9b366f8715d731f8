use std::borrow::Cow;
use std::sync::Arc;

use rampart_cloud::{CloudModel, Resource};
use rampart_core::{Diagnostic, Finding, Location, Subject, Texts};

use crate::checking::{check, each};
use crate::{Hit, Inputs, Kind, Place, RuleOf, RuleOptions};

/// Cloud resources of the provider model (Terraform, plans, CloudFormation), one at a time.
pub struct Resources;

/// What a cloud rule looks at: one resource, with the model it belongs to (for what other
/// resources say about it: a bucket's separate policy, a role's attachments). A rule checks
/// the resources of the types it knows (`resource.kind`, the provider model's type) and
/// stays silent on others. A hit about a setting declared in another resource names its place
/// ([`CloudTarget::place`]).
pub struct CloudTarget<'a> {
    pub model: &'a CloudModel,
    /// The resource's index in `model.resources`.
    pub index: usize,
    pub resource: &'a Resource,
    pub options: &'a RuleOptions,
    pub subject: Arc<Subject>,
}

impl CloudTarget<'_> {
    /// Where `pointer` of resource `index` was written, for a hit about another resource.
    pub fn place(&self, index: usize, pointer: &str) -> Place {
        let resource = &self.model.resources[index];
        let (line, column) = resource.position_of(pointer);
        Place {
            path: resource.at.path.to_string(),
            line,
            column,
        }
    }

    /// Whether the resource is of one of `kinds`.
    pub fn is(&self, kinds: &[&str]) -> bool {
        kinds.contains(&self.resource.kind.as_str())
    }
}

impl Kind for Resources {
    type Target<'a> = CloudTarget<'a>;

    fn run(
        inputs: &Inputs<'_>,
        options: &RuleOptions,
        rules: &[&'static dyn RuleOf<Resources>],
        texts: &Texts,
    ) -> (Vec<Finding>, Vec<Diagnostic>) {
        let model = inputs.cloud;
        let managed: Vec<usize> = (0..model.resources.len())
            .filter(|&index| !model.resources[index].data)
            .collect();
        each(&managed, |&index| {
            let resource = &model.resources[index];
            let target = CloudTarget {
                model,
                index,
                resource,
                options,
                subject: Arc::new(resource.subject()),
            };
            (check(&target, rules, texts), Vec::new())
        })
    }

    fn subject(target: &CloudTarget<'_>, _hit: &Hit) -> Arc<Subject> {
        target.subject.clone()
    }

    fn location(target: &CloudTarget<'_>, hit: &Hit) -> Location {
        match &hit.place {
            Some(place) => Location::new(Arc::from(place.path.as_str()), place.line, place.column),
            None => {
                let (line, column) = target.resource.position_of(&hit.pointer);
                Location::new(target.resource.at.path.clone(), line, column)
            }
        }
    }

    /// The pointer: a resource's attributes are named, not positioned.
    fn field_identity<'t>(_target: &'t CloudTarget<'_>, pointer: &'t str) -> Cow<'t, str> {
        Cow::Borrowed(pointer)
    }
}
