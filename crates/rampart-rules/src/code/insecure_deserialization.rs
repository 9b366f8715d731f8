use rampart_code::models::Class;
use rampart_core::{Concern, Layer, Severity, refs};

use super::report_flows;
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Request data, process input or socket data that reaches a deserialiser that builds
    /// arbitrary objects: `pickle`, `marshal`, `dill`, `shelve`, `jsonpickle`, and `yaml.load`
    /// without a safe loader (`yaml.unsafe_load`, `yaml.full_load`). `yaml.safe_load` and
    /// `json` are safe.
    ///
    /// ## Why it matters
    /// Unpickling runs whatever the data says (`__reduce__` returns `os.system` and its
    /// argument): deserialising a request is running the attacker's code.
    ///
    /// ## Example
    /// ```python
    /// state = pickle.loads(base64.b64decode(request.cookies["state"]))
    /// ```
    /// Use instead: a data-only format.
    /// ```python
    /// state = json.loads(request.cookies["state"])
    /// ```
    pub struct InsecureDeserialization {
        code: "A108",
        name: "insecure-deserialization",
        title: "Untrusted data is deserialised into objects",
        severity: Severity::Critical,
        layer: Layer::Code,
        concern: Concern::Injection,
        references: refs![
            Cwe: ["CWE-502"],
            Owasp: ["A08:2021"],
        ],
        equivalents: &["codeql:py/unsafe-deserialization"],
    }
}

impl Check<Code> for InsecureDeserialization {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        report_flows(
            target,
            Class::Deserialization,
            "use a data-only format (json, yaml.safe_load) for data that crosses a trust boundary",
            hits,
        );
    }
}
