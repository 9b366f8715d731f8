//! Rules on application code (the `A` family): untrusted data reaching a sink, found by the
//! taint analysis of `rampart-code`, and settings and calls that weaken a web application.

mod sql_injection;
mod xss;

pub use sql_injection::SqlInjection;
pub use xss::CrossSiteScripting;

use rampart_code::models::{Class, Origin};

use crate::{CodeTarget, Hit};

/// Reports each flow of `class` found in the target's functions, with `advice`.
pub(crate) fn report_flows(
    target: &CodeTarget<'_>,
    class: Class,
    advice: &str,
    hits: &mut Vec<Hit>,
) {
    for flow in target.flows.iter().filter(|flow| flow.class == class) {
        let origin = match flow.source.origin {
            Origin::Request => "request data",
            Origin::Environment => "process input",
            Origin::External => "data from a socket",
        };
        let entered = flow.steps.first().map_or("", |step| step.text.as_str());
        let message = format!(
            "{origin} ({}) from `{entered}` reaches {} at `{}`; {advice}",
            flow.source.library,
            class.describe(),
            flow.sink
        );
        hits.push(Hit::on_flow(target, flow, message));
    }
}
