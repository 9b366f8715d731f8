use rampart_code::models::Class;
use rampart_core::{Concern, Layer, Severity, refs};

use super::report_flows;
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Request data that reaches the filter of a MongoDB query (`find`, `find_one`,
    /// `delete_many`, `update_one`, `aggregate` of a `pymongo` or `flask_pymongo` client). A
    /// JSON body can hold operators (`{"$ne": null}`, `{"$where": "..."}`): a filter built
    /// from it matches what the attacker wants.
    ///
    /// ## Why it matters
    /// `{"password": {"$ne": ""}}` logs in as anyone; `$where` runs JavaScript in the
    /// database.
    ///
    /// ## Example
    /// ```python
    /// user = db.users.find_one({"name": body["name"], "password": body["password"]})
    /// ```
    /// Use instead: make the values plain strings.
    /// ```python
    /// user = db.users.find_one({"name": str(body["name"]), "password": str(body["password"])})
    /// ```
    pub struct NosqlInjection {
        code: "A112",
        name: "nosql-injection",
        title: "Untrusted data builds a NoSQL query",
        severity: Severity::High,
        layer: Layer::Code,
        concern: Concern::Injection,
        references: refs![
            Cwe: ["CWE-943"],
            Owasp: ["A03:2021"],
        ],
        equivalents: &["codeql:py/nosql-injection"],
    }
}

impl Check<Code> for NosqlInjection {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        report_flows(
            target,
            Class::Nosql,
            "make each value a plain string (str()) and never pass a filter from the request",
            hits,
        );
    }
}
