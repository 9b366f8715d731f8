//! `rampart webhook`: the flags become a `rampart_server::Judge` and its server, which serves
//! until SIGTERM or SIGINT. The work happens in `rampart-server`.

use std::time::Duration;

use anyhow::Result;
use rampart_scan::{Config, ScanOptions};
use rampart_server::{CertFiles, Exemptions, Judge, Policy, Server, Settings};

use crate::cli::WebhookArgs;

/// Serves until stopped; never reports findings itself (`Ok(false)`).
pub fn run(args: WebhookArgs) -> Result<bool> {
    let config = match &args.config {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    let options = ScanOptions {
        select: args.select,
        ignore: args.ignore,
        ..ScanOptions::default()
    };
    let policy = Policy {
        deny_on: args.deny_on,
        on_error: args.on_error,
        exempt: Exemptions {
            namespaces: args.exempt_namespaces,
            users: args.exempt_users,
            groups: args.exempt_groups,
            labels: args.exempt_labels,
        },
    };
    let judge = Judge::new(config, options, policy)?;
    if !judge.skipped().is_empty() {
        eprintln!(
            "rampart webhook: {} rules that need cluster state are skipped (no read access to \
             the API); each answer says so in a warning",
            judge.skipped().len()
        );
    }
    let settings = Settings {
        listen: args.listen,
        tls: CertFiles {
            cert: args.tls_cert,
            key: args.tls_key,
        },
        reload_every: Duration::from_secs(args.tls_reload_interval.max(1)),
    };
    let server = Server::start(settings, judge)?;
    eprintln!("rampart webhook: listening on https://{}", server.addr);
    server.run_until_signal()?;
    Ok(false)
}
