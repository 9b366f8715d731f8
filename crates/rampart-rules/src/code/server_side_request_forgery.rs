use rampart_code::models::Class;
use rampart_core::{Concern, Layer, Severity, refs};

use super::report_flows;
use crate::rule::{Check, declare_rule};
use crate::{Code, CodeTarget, Hit};

declare_rule! {
    /// ## What it checks
    /// Request data that reaches the URL of a request the server makes: `requests`, `httpx`,
    /// `urllib.request.urlopen`, `aiohttp.ClientSession`. A URL whose scheme and host are fixed
    /// by a constant prefix (`"https://api.example.com/items/" + item`) cannot leave that host
    /// and is not reported.
    ///
    /// ## Why it matters
    /// The server reaches what the attacker cannot: the cloud metadata service
    /// (`http://169.254.169.254/` and the instance's credentials), internal admin interfaces,
    /// other pods and services behind the firewall.
    ///
    /// ## Example
    /// ```python
    /// url = request.args["url"]
    /// preview = requests.get(url).text
    /// ```
    /// Use instead: fix the host, or check the URL against an allow-list of hosts.
    /// ```python
    /// if urlparse(url).hostname not in ALLOWED_HOSTS:
    ///     abort(400)
    /// ```
    pub struct ServerSideRequestForgery {
        code: "A106",
        name: "server-side-request-forgery",
        title: "Untrusted data chooses where the server sends a request",
        severity: Severity::High,
        layer: Layer::Code,
        concern: Concern::Injection,
        references: refs![
            Cwe: ["CWE-918"],
            Owasp: ["A10:2021"],
        ],
        equivalents: &["codeql:py/full-ssrf"],
    }
}

impl Check<Code> for ServerSideRequestForgery {
    fn check(&self, target: &CodeTarget<'_>, hits: &mut Vec<Hit>) {
        report_flows(
            target,
            Class::Ssrf,
            "fix the scheme and host, or check the URL's host against an allow-list",
            hits,
        );
    }
}
