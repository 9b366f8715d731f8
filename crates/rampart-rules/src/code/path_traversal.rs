use rampart_code::models::Class;
use rampart_core::{Concern, Layer, Severity, refs};

use super::report_flows;
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Request data, process input or socket data that reaches a file path opened, sent,
    /// listed or removed: `open`, `os.remove`, `shutil.rmtree`, `flask.send_file`, `pathlib`
    /// methods, `FileResponse`. A path normalised first (`os.path.realpath`, `Path.resolve()`)
    /// and then checked to lie under the base folder (`startswith(base)`,
    /// `is_relative_to(base)`) is safe in the branch where the check holds; a check without the
    /// normalisation is not (`base/../../etc/passwd` starts with the base). `os.path.basename`
    /// and `werkzeug.utils.secure_filename` are safe.
    ///
    /// ## Why it matters
    /// `../` in the name reaches any file the process can read or write: the application's
    /// configuration and keys, `/etc/passwd`, `/proc/self/environ` with its secrets.
    ///
    /// ## Example
    /// ```python
    /// name = request.args["file"]
    /// return open(os.path.join(BASE, name)).read()
    /// ```
    /// Use instead: normalise, then check the result is under the base.
    /// ```python
    /// path = os.path.realpath(os.path.join(BASE, name))
    /// if not path.startswith(BASE + os.sep):
    ///     abort(404)
    /// return open(path).read()
    /// ```
    pub struct PathTraversal {
        code: "A105",
        name: "path-traversal",
        title: "Untrusted data chooses a file path",
        severity: Severity::High,
        layer: Layer::Code,
        concern: Concern::Injection,
        references: refs![
            Cwe: ["CWE-22"],
            Owasp: ["A01:2021"],
        ],
        equivalents: &["codeql:py/path-injection"],
    }
}

impl Check<Code> for PathTraversal {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        report_flows(
            target,
            Class::Path,
            "normalise the path (realpath, resolve) and check that it stays under its base folder",
            hits,
        );
    }
}
