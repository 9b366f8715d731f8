//! The verdict on one admission request: the object read as the scan reads a manifest, judged
//! by the scan's rules with its suppressions (configuration, annotations), then weighed
//! against the policy. No I/O: the server hands it bytes and sends back what it answers.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use anyhow::Result;
use rampart_core::{Finding, Report, Severity};
use rampart_rules::{Objects, Rule, Scope, registry};
use rampart_scan::{Config, Inputs, ScanOptions, Scanner};
use rampart_source::{Inventory, Limits, Object, parse_text};

use crate::policy::{OnError, Policy};
use crate::review::{self, Operation, Request, Response, Status};

/// The API server shows at most this much of each warning...
const WARNING_CHARS: usize = 256;
/// ...and of all of them together.
const WARNINGS_CHARS: usize = 4096;

/// Answers admission requests with the scan's rules.
pub struct Judge {
    scanner: Scanner,
    policy: Policy,
    /// The rules that need the rest of the cluster, which a request does not carry.
    skipped: Vec<Rule>,
}

/// What became of one request, for the metrics and the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// Allowed without a finding.
    Allowed,
    /// Allowed with findings below the threshold, or present before the update.
    Warned,
    /// Refused: a finding at or above the threshold.
    Denied,
    /// Allowed unjudged: the namespace, a label or the user is exempt.
    Exempt,
    /// Allowed unjudged: nothing to judge (a deletion, a subresource other than ephemeral
    /// containers).
    Unjudged,
    /// The object could not be judged; answered as the policy's `on_error` says.
    Error,
    /// Not an `AdmissionReview` of `admission.k8s.io/v1`: answered 400.
    Malformed,
}

impl Verdict {
    pub const ALL: [Verdict; 7] = [
        Verdict::Allowed,
        Verdict::Warned,
        Verdict::Denied,
        Verdict::Exempt,
        Verdict::Unjudged,
        Verdict::Error,
        Verdict::Malformed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Warned => "warned",
            Verdict::Denied => "denied",
            Verdict::Exempt => "exempt",
            Verdict::Unjudged => "unjudged",
            Verdict::Error => "error",
            Verdict::Malformed => "malformed",
        }
    }
}

/// The HTTP answer to one request body.
#[derive(Debug)]
pub struct Answer {
    /// 200 with an `AdmissionReview`, or 400 with a plain-text reason when the body is not
    /// one (the API server then applies the webhook's `failurePolicy`).
    pub status: u16,
    pub body: Vec<u8>,
    pub verdict: Verdict,
}

impl Judge {
    /// The scan's rules as `config` and `options` select them, less the rules that do not
    /// judge one Kubernetes object (Dockerfiles, images, cloud) and, with no cluster state at
    /// hand, those that need it.
    pub fn new(config: Config, mut options: ScanOptions, policy: Policy) -> Result<Judge> {
        let (objects, others): (Vec<Rule>, Vec<Rule>) = registry()
            .iter()
            .partition(|rule| rule.of::<Objects>().is_some());
        let (judged, not_judged): (Vec<Rule>, Vec<Rule>) = objects
            .into_iter()
            .partition(|rule| rule.scope() == Scope::Object);
        let skipped = not_judged
            .iter()
            .copied()
            .filter(|rule| matches!(rule.scope(), Scope::Cluster(_)))
            .collect();
        debug_assert!(!judged.is_empty());
        options.ignore.extend(
            others
                .iter()
                .chain(&not_judged)
                .map(|rule| rule.meta().code.to_owned()),
        );
        Ok(Judge {
            scanner: Scanner::new(config, options)?,
            policy,
            skipped,
        })
    }

    /// The rules that need cluster state, skipped for want of it.
    pub fn skipped(&self) -> &[Rule] {
        &self.skipped
    }

    /// Answers one request body.
    pub fn answer(&self, body: &[u8]) -> Answer {
        let request = match review::parse(body) {
            Ok(request) => request,
            Err(malformed) => {
                let message = format!("rampart: {}", malformed.message);
                return match malformed.uid {
                    Some(uid) => self.error(uid, message),
                    None => Answer {
                        status: 400,
                        body: message.into_bytes(),
                        verdict: Verdict::Malformed,
                    },
                };
            }
        };
        let uid = request.uid.clone();
        match self.review(&request) {
            Ok((verdict, response)) => Answer {
                status: 200,
                body: review::answer(&response),
                verdict,
            },
            Err(message) => self.error(uid, format!("rampart cannot judge this object: {message}")),
        }
    }

    /// The answer to a request that cannot be judged, as `on_error` says.
    fn error(&self, uid: String, message: String) -> Answer {
        let allowed = self.policy.on_error == OnError::Allow;
        let response = Response {
            uid,
            allowed,
            status: (!allowed).then(|| Status {
                code: 400,
                message: message.clone(),
            }),
            warnings: if allowed { vec![message] } else { Vec::new() },
            audit_annotations: BTreeMap::from([("error".to_owned(), "true".to_owned())]),
        };
        Answer {
            status: 200,
            body: review::answer(&response),
            verdict: Verdict::Error,
        }
    }

    /// The verdict on a well-formed request; `Err` when its object cannot be read.
    fn review(&self, request: &Request<'_>) -> Result<(Verdict, Response), String> {
        let allow = |verdict, audit: Option<(&str, String)>| {
            let response = Response {
                uid: request.uid.clone(),
                allowed: true,
                status: None,
                warnings: Vec::new(),
                audit_annotations: audit
                    .into_iter()
                    .map(|(key, value)| (key.to_owned(), value))
                    .collect(),
            };
            Ok((verdict, response))
        };
        let judged = matches!(request.operation, Operation::Create | Operation::Update)
            && (request.sub_resource.is_empty() || request.sub_resource == "ephemeralcontainers");
        let Some(raw) = request.object.filter(|_| judged) else {
            return allow(Verdict::Unjudged, None);
        };
        let object = read_object(raw.get(), request)?;
        if let Some(reason) = self.policy.exemption(request, &object) {
            return allow(Verdict::Exempt, Some(("exempt", reason)));
        }
        let report = self.scan(object);
        // An update is refused only for what it brings: findings the object already had
        // (same fingerprint: same rule, object and field) are warnings.
        let existing: BTreeSet<_> = match request
            .old_object
            .filter(|_| request.operation == Operation::Update)
        {
            Some(old) => self
                .scan(read_object(old.get(), request)?)
                .findings
                .into_iter()
                .map(|f| f.fingerprint)
                .collect(),
            None => BTreeSet::new(),
        };
        let (denying, warning): (Vec<&Finding>, Vec<&Finding>) = report
            .findings
            .iter()
            .partition(|f| f.severity >= self.policy.deny_on && !existing.contains(&f.fingerprint));
        let mut warnings: Vec<String> = warning
            .iter()
            .map(|f| finding_line(f, existing.contains(&f.fingerprint)))
            .chain(
                report
                    .errors
                    .iter()
                    .map(|e| format!("rampart could not read a field: {}", e.message)),
            )
            .collect();
        if !self.skipped.is_empty() {
            warnings.push(self.skipped_warning());
        }
        let mut audit = BTreeMap::new();
        let codes: BTreeSet<&str> = report.findings.iter().map(|f| f.rule.code).collect();
        if !codes.is_empty() {
            audit.insert(
                "rules".to_owned(),
                codes.into_iter().collect::<Vec<_>>().join(","),
            );
        }
        let verdict = if !denying.is_empty() {
            Verdict::Denied
        } else if warning.is_empty() {
            Verdict::Allowed
        } else {
            Verdict::Warned
        };
        let response = Response {
            uid: request.uid.clone(),
            allowed: denying.is_empty(),
            status: (!denying.is_empty()).then(|| Status {
                code: 403,
                message: denial(request, &denying, self.policy.deny_on),
            }),
            warnings: bounded(warnings),
            audit_annotations: audit,
        };
        Ok((verdict, response))
    }

    /// The scan of one object, with every suppression applied.
    fn scan(&self, object: Object) -> Report {
        let inputs = Inputs::from(Inventory::from(vec![object]));
        self.scanner
            .scan(&inputs)
            .expect("a scan in memory writes no baseline")
    }

    fn skipped_warning(&self) -> String {
        let codes: Vec<&str> = self.skipped.iter().map(|r| r.meta().code).collect();
        format!(
            "rampart: {} rules that need the rest of the cluster were not evaluated (no read \
             access to the API): {}",
            codes.len(),
            ranges(&codes)
        )
    }
}

/// `K201-K212,K216`: codes with runs of consecutive numbers written as ranges.
fn ranges(codes: &[&str]) -> String {
    let number = |code: &str| code[1..].parse::<u32>().ok();
    let mut runs: Vec<(&str, &str)> = Vec::new();
    for &code in codes {
        match runs.last_mut() {
            Some((first, last))
                if first[..1] == code[..1]
                    && number(last)
                        .zip(number(code))
                        .is_some_and(|(a, b)| a + 1 == b) =>
            {
                *last = code;
            }
            _ => runs.push((code, code)),
        }
    }
    runs.iter()
        .map(|(first, last)| {
            if first == last {
                (*first).to_owned()
            } else {
                format!("{first}-{last}")
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The request's object as the scan reads a manifest, in the namespace the request names
/// when the object leaves it out (pods created by controllers).
fn read_object(text: &str, request: &Request<'_>) -> Result<Object, String> {
    let origin = format!(
        "admission:{}/{}",
        request.kind.kind,
        if request.namespace.is_empty() {
            request.name.clone()
        } else {
            format!("{}/{}", request.namespace, request.name)
        }
    );
    let (objects, errors) = parse_text(&origin, text, &Limits::default());
    if let Some(error) = errors.first() {
        return Err(error.message.clone());
    }
    let mut objects = objects.into_iter();
    let (Some(mut object), None) = (objects.next(), objects.next()) else {
        return Err("the request's object is not one Kubernetes object".to_owned());
    };
    if object.namespace.is_none() && !request.namespace.is_empty() {
        object.namespace = Some(request.namespace.clone());
    }
    Ok(object)
}

/// `K101 privileged-container (high) at /spec/...: message`, said of a finding the object
/// already had before an update.
fn finding_line(finding: &Finding, existing: bool) -> String {
    let mut line = format!(
        "{} {} ({}) at {}: {}",
        finding.rule.code, finding.rule.name, finding.severity, finding.pointer, finding.message
    );
    if existing {
        line.push_str(" [present before this update]");
    }
    line
}

/// Why the request is refused: every finding at or above the threshold.
fn denial(request: &Request<'_>, denying: &[&Finding], deny_on: Severity) -> String {
    let codes: BTreeSet<&str> = denying.iter().map(|f| f.rule.code).collect();
    let mut message = format!(
        "rampart denied this {} ({} at or above {deny_on}: {}):",
        request.kind.kind,
        if denying.len() == 1 {
            "1 finding".to_owned()
        } else {
            format!("{} findings", denying.len())
        },
        codes.into_iter().collect::<Vec<_>>().join(", ")
    );
    for finding in denying {
        let _ = write!(message, "\n- {}", finding_line(finding, false));
    }
    message
}

/// The warnings within what the API server keeps: each cut at [`WARNING_CHARS`], and those
/// past [`WARNINGS_CHARS`] in total counted in a last one.
fn bounded(warnings: Vec<String>) -> Vec<String> {
    let total = warnings.len();
    let mut kept = Vec::new();
    let mut used = 0;
    for warning in warnings {
        let warning = cut(warning, WARNING_CHARS);
        // Room for the last line that counts what is left out.
        if used + warning.len() > WARNINGS_CHARS - 64 {
            break;
        }
        used += warning.len();
        kept.push(warning);
    }
    if kept.len() < total {
        kept.push(format!(
            "rampart: {} more warnings left out",
            total - kept.len()
        ));
    }
    kept
}

fn cut(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut end = max - 3;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str("...");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_codes_are_written_as_ranges() {
        let codes = [
            "K140", "K201", "K202", "K203", "K216", "K301", "K302", "S105",
        ];
        assert_eq!(ranges(&codes), "K140,K201-K203,K216,K301-K302,S105");
    }

    #[test]
    fn warnings_stay_within_what_the_api_server_keeps() {
        let long = "x".repeat(300);
        let warnings = bounded(vec![long.clone(); 40]);
        assert!(warnings.iter().all(|w| w.len() <= WARNING_CHARS));
        assert!(warnings.iter().map(String::len).sum::<usize>() <= WARNINGS_CHARS);
        assert_eq!(warnings[0].len(), WARNING_CHARS);
        assert!(warnings[0].ends_with("..."));
        let left_out = 40 - (warnings.len() - 1);
        assert_eq!(
            warnings.last().unwrap(),
            &format!("rampart: {left_out} more warnings left out")
        );
        assert_eq!(cut("é".repeat(200), 256).len(), 255);
    }
}
