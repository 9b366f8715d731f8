use std::borrow::Cow;
use std::sync::Arc;

use rampart_core::{Diagnostic, Finding, Location, Subject, Texts};
use rampart_graph::ImageLinks;
use rampart_k8s::{ApiKinds, ClusterIndex, PodTemplate, pod_template, shape_errors};
use rampart_source::Object;

use crate::checking::{check, each};
use crate::{Hit, Inputs, Kind, RuleOf, RuleOptions};

/// Kubernetes objects, one at a time, with the rest of the scan at hand.
pub struct Objects;

/// What an object rule looks at: one object, with what is worth computing once for all rules.
pub struct Target<'a> {
    pub object: &'a Object,
    /// The pod template, when the object runs pods.
    pub pod: Option<PodTemplate<'a>>,
    /// The other objects of the scan, for rules that look across objects.
    pub cluster: &'a ClusterIndex<'a>,
    /// Where the workloads' images come from.
    pub links: &'a ImageLinks,
    pub options: &'a RuleOptions,
    /// What the object's findings are about: shared by all of them.
    pub subject: Arc<Subject>,
}

impl Kind for Objects {
    type Target<'a> = Target<'a>;

    fn run(
        inputs: &Inputs<'_>,
        options: &RuleOptions,
        rules: &[&'static dyn RuleOf<Objects>],
        texts: &Texts,
    ) -> (Vec<Finding>, Vec<Diagnostic>) {
        let objects = inputs.inventory.all::<Object>();
        let cluster = ClusterIndex::new(objects);
        let kinds = ApiKinds::new(objects);
        let (findings, mut diagnostics) = each(objects, |object| {
            let target = Target {
                object,
                pod: pod_template(object),
                cluster: &cluster,
                links: inputs.links,
                options,
                subject: Arc::new(object.subject()),
            };
            let mut errors = shape_errors(object);
            errors.extend(kinds.refusal(object));
            (check(&target, rules, texts), errors)
        });
        // Problems of the RBAC model, the network policies, placement and the mesh are the
        // scan's, not an object's: reported once, after the rules built what they needed.
        diagnostics.extend(cluster.diagnostics());
        (findings, diagnostics)
    }

    fn subject(target: &Target<'_>, _hit: &Hit) -> Arc<Subject> {
        target.subject.clone()
    }

    fn location(target: &Target<'_>, hit: &Hit) -> Location {
        target.object.location(target.object.span_at(&hit.pointer))
    }

    /// The pointer with list positions replaced by item names (`containers/web` for
    /// `containers/1`), so that reordering or inserting containers keeps fingerprints.
    fn field_identity<'t>(target: &'t Target<'_>, pointer: &'t str) -> Cow<'t, str> {
        Cow::Owned(target.object.field_identity(pointer))
    }
}
