//! Counters and the latency histogram, written in Prometheus' text exposition format
//! (version 0.0.4) on `/metrics`.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::judge::Verdict;

/// The content type of [`Metrics::exposition`].
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Upper bounds of the latency buckets, in seconds: around the 10 ms an admission webhook
/// should stay under, up to the API server's default timeout of 10 s.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0,
];

#[derive(Debug, Default)]
pub struct Metrics {
    verdicts: [AtomicU64; Verdict::ALL.len()],
    /// Requests per bucket (not cumulative; summed when written), the last one for `+Inf`.
    buckets: [AtomicU64; BUCKETS.len() + 1],
    duration_micros: AtomicU64,
    reloads: AtomicU64,
    reload_failures: AtomicU64,
}

impl Metrics {
    /// Counts one answered request.
    pub fn observe(&self, verdict: Verdict, took: Duration) {
        self.verdicts[verdict as usize].fetch_add(1, Ordering::Relaxed);
        let seconds = took.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BUCKETS.len());
        self.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.duration_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// Counts a reload of the certificate, or an attempt that kept the previous one.
    pub fn reloaded(&self, ok: bool) {
        let counter = if ok {
            &self.reloads
        } else {
            &self.reload_failures
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn exposition(&self, skipped_rules: usize) -> String {
        let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        let mut out = String::with_capacity(2048);
        let verdicts: Vec<u64> = self.verdicts.iter().map(load).collect();
        let total: u64 = verdicts.iter().sum();
        header(
            &mut out,
            "requests_total",
            "counter",
            "Admission requests answered on /validate.",
        );
        let _ = writeln!(out, "rampart_webhook_requests_total {total}");
        header(
            &mut out,
            "verdicts_total",
            "counter",
            "Admission requests by verdict: allowed, warned (allowed with warnings), denied, \
             exempt, unjudged (deletions, subresources), error (object not judged), malformed \
             (answered 400).",
        );
        for (verdict, count) in Verdict::ALL.iter().zip(&verdicts) {
            let _ = writeln!(
                out,
                "rampart_webhook_verdicts_total{{verdict=\"{}\"}} {count}",
                verdict.as_str()
            );
        }
        header(
            &mut out,
            "request_duration_seconds",
            "histogram",
            "Time from a request's body read to its answer.",
        );
        let mut cumulative = 0;
        for (index, count) in self.buckets.iter().map(load).enumerate() {
            cumulative += count;
            let bound = BUCKETS.get(index).map_or("+Inf".to_owned(), f64::to_string);
            let _ = writeln!(
                out,
                "rampart_webhook_request_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        let sum = load(&self.duration_micros) as f64 / 1e6;
        let _ = writeln!(out, "rampart_webhook_request_duration_seconds_sum {sum}");
        let _ = writeln!(
            out,
            "rampart_webhook_request_duration_seconds_count {cumulative}"
        );
        header(
            &mut out,
            "certificate_reloads_total",
            "counter",
            "Serving certificate reloads after its files changed, by result (a failed reload \
             keeps the previous certificate).",
        );
        let _ = writeln!(
            out,
            "rampart_webhook_certificate_reloads_total{{result=\"ok\"}} {}",
            load(&self.reloads)
        );
        let _ = writeln!(
            out,
            "rampart_webhook_certificate_reloads_total{{result=\"error\"}} {}",
            load(&self.reload_failures)
        );
        header(
            &mut out,
            "skipped_rules",
            "gauge",
            "Rules not evaluated because they need cluster state the webhook cannot read.",
        );
        let _ = writeln!(out, "rampart_webhook_skipped_rules {skipped_rules}");
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP rampart_webhook_{name} {help}");
    let _ = writeln!(out, "# TYPE rampart_webhook_{name} {kind}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_and_bounds_inclusive() {
        let metrics = Metrics::default();
        metrics.observe(Verdict::Allowed, Duration::from_micros(500));
        metrics.observe(Verdict::Denied, Duration::from_millis(3));
        metrics.observe(Verdict::Denied, Duration::from_secs(11));
        let text = metrics.exposition(0);
        for line in [
            "rampart_webhook_requests_total 3",
            "rampart_webhook_verdicts_total{verdict=\"denied\"} 2",
            "rampart_webhook_request_duration_seconds_bucket{le=\"0.0005\"} 1",
            "rampart_webhook_request_duration_seconds_bucket{le=\"0.002\"} 1",
            "rampart_webhook_request_duration_seconds_bucket{le=\"0.005\"} 2",
            "rampart_webhook_request_duration_seconds_bucket{le=\"10\"} 2",
            "rampart_webhook_request_duration_seconds_bucket{le=\"+Inf\"} 3",
            "rampart_webhook_request_duration_seconds_sum 11.0035",
            "rampart_webhook_request_duration_seconds_count 3",
        ] {
            assert!(text.lines().any(|l| l == line), "no `{line}` in\n{text}");
        }
    }
}
