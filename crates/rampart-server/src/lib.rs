//! rampart as a validating admission webhook: the API server posts an `AdmissionReview`
//! (`admission.k8s.io/v1`) to `/validate`, and the object in it is judged by the same rules
//! and suppressions as `rampart scan` (the configuration file, annotations on the object),
//! through `rampart-scan`.
//!
//! ```text
//! POST /validate ─> review::parse ─> Policy (exemptions) ─> Scanner::scan (object in memory)
//!                                     ─> verdict: denied at or above `deny_on`, else warnings
//! ```
//!
//! [`Judge`] holds the verdict logic without I/O; [`Server`] serves it over HTTPS (rustls
//! with the ring provider), reloads the certificate when its files change, and answers
//! `/healthz` and `/metrics` (Prometheus text format).

mod judge;
mod metrics;
mod policy;
pub mod review;
mod server;
mod tls;

pub use judge::{Answer, Judge, Verdict};
pub use policy::{Exemptions, LabelMatch, OnError, Policy};
pub use server::{Server, Settings};
pub use tls::CertFiles;
