use rampart_core::{Concern, Layer, Severity, refs};
use rampart_k8s::components::Component;

use super::flags::{Want, check_flag};
use crate::rule::{Check, declare_rule};
use crate::{Hit, Objects, Target};

declare_rule! {
    /// ## What it checks
    /// kube-apiserver containers whose `--request-timeout` is longer than five minutes, or is
    /// not a duration the API server reads (Go's `300s`, `5m`, `1h30m`). The default is one
    /// minute. Watches and other long-running requests are not bound by it.
    ///
    /// ## Why it matters
    /// Every ordinary request holds one of the API server's in-flight slots
    /// (`--max-requests-inflight`, 400 by default) until it ends or times out. The longer the
    /// timeout, the fewer slow or stalled requests a client needs to fill those slots, and
    /// then every controller, kubelet and user is refused with 429 until they drain.
    ///
    /// ## Example
    /// ```yaml
    ///   - --request-timeout=30m
    /// ```
    /// Use instead (or leave the flag out for the one-minute default):
    /// ```yaml
    ///   - --request-timeout=300s
    /// ```
    pub struct ApiserverRequestTimeout {
        code: "K427",
        name: "apiserver-request-timeout",
        title: "API server lets requests run too long",
        severity: Severity::Low,
        layer: Layer::Cluster,
        concern: Concern::Components,
        references: refs![
            Cis: ["1.2.20"],
            Nsa: ["control-plane-hardening"],
            Mitre: ["T1499"],
            Cwe: ["CWE-770"],
        ],
        equivalents: &["kube-bench:1.2.20", "checkov:CKV_K8S_95", "kubescape:C-0134"],
    }
}

/// The longest timeout that passes.
const LIMIT_SECONDS: f64 = 300.0;

impl Check<Objects> for ApiserverRequestTimeout {
    fn check(&self, target: &Target<'_>, hits: &mut Vec<Hit>) {
        check_flag(
            target,
            hits,
            Component::ApiServer,
            "request-timeout",
            Want::Satisfies(
                |value| go_duration_seconds(value).is_some_and(|s| s > 0.0 && s <= LIMIT_SECONDS),
                "a duration of at most 5m",
            ),
            "keep `--request-timeout` at five minutes or less (the default is 1m)",
        );
    }
}

/// A duration as Go's `time.ParseDuration` reads it (`1h30m`, `1.5s`, `300ms`), in seconds.
fn go_duration_seconds(text: &str) -> Option<f64> {
    let (sign, mut rest) = match text.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest == "0" {
        return Some(0.0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        rest = &rest[unit_end..];
        total += number * scale;
    }
    Some(sign * total)
}

#[cfg(test)]
mod tests {
    use super::go_duration_seconds;

    #[test]
    fn reads_go_durations() {
        assert_eq!(go_duration_seconds("1m0s"), Some(60.0));
        assert_eq!(go_duration_seconds("1h30m"), Some(5400.0));
        assert_eq!(go_duration_seconds("1.5s"), Some(1.5));
        assert_eq!(go_duration_seconds("300ms"), Some(0.3));
        assert_eq!(go_duration_seconds("0"), Some(0.0));
        assert_eq!(go_duration_seconds("-5s"), Some(-5.0));
        assert_eq!(go_duration_seconds("300"), None);
        assert_eq!(go_duration_seconds("5 m"), None);
        assert_eq!(go_duration_seconds(""), None);
    }
}
