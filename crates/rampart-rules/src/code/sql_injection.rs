use rampart_code::models::Class;
use rampart_core::{Concern, Layer, Severity, refs};

use super::report_flows;
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Request data, process input or socket data that reaches the text of an SQL query:
    /// DB-API `execute`/`executemany`/`executescript`, SQLAlchemy `text()`, Django's `raw`,
    /// `extra` and `RawSQL`, `pandas.read_sql`. The data is followed through assignments,
    /// string building (`+`, `%`, `format`, f-strings, `join`), containers, and calls to the
    /// project's own functions in any module. A query whose values are passed as parameters
    /// (`execute("... WHERE id = ?", (id,))`) is safe and not reported; so is a value made a
    /// number (`int(...)`) or checked against a list of allowed values.
    ///
    /// ## Why it matters
    /// Whoever sends the request writes part of the query: `' OR '1'='1` returns every row,
    /// `'; DROP TABLE users; --` destroys data, and `UNION SELECT` reads any table the
    /// database user can, password hashes included.
    ///
    /// ## Example
    /// ```python
    /// name = request.args["name"]
    /// db.execute(f"SELECT * FROM users WHERE name = '{name}'")
    /// ```
    /// Use instead: a parameterised query.
    /// ```python
    /// db.execute("SELECT * FROM users WHERE name = ?", (name,))
    /// ```
    pub struct SqlInjection {
        code: "A101",
        name: "sql-injection",
        title: "Untrusted data builds an SQL query",
        severity: Severity::Critical,
        layer: Layer::Code,
        concern: Concern::Injection,
        references: refs![
            Cwe: ["CWE-89"],
            Owasp: ["A03:2021"],
        ],
        equivalents: &["codeql:py/sql-injection"],
    }
}

impl Check<Code> for SqlInjection {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        report_flows(
            target,
            Class::Sql,
            "pass the value as a query parameter instead of building the query's text",
            hits,
        );
    }
}
