//! Rules on application code (the `A` family): untrusted data reaching a sink, found by the
//! taint analysis of `rampart-code`, and settings and calls that weaken a web application.

mod code_injection;
mod command_injection;
mod insecure_deserialization;
mod ldap_injection;
mod nosql_injection;
mod open_redirect;
mod path_traversal;
mod server_side_request_forgery;
mod session_trust_boundary;
mod sql_injection;
mod xml_external_entities;
mod xpath_injection;
mod xss;

pub use code_injection::CodeInjection;
pub use command_injection::CommandInjection;
pub use insecure_deserialization::InsecureDeserialization;
pub use ldap_injection::LdapInjection;
pub use nosql_injection::NosqlInjection;
pub use open_redirect::OpenRedirect;
pub use path_traversal::PathTraversal;
pub use server_side_request_forgery::ServerSideRequestForgery;
pub use session_trust_boundary::SessionTrustBoundary;
pub use sql_injection::SqlInjection;
pub use xml_external_entities::XmlExternalEntities;
pub use xpath_injection::XpathInjection;
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
