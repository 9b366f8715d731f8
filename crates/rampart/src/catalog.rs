//! `rampart rules` and `rampart rule CODE`: the rule catalogue, generated from the rules'
//! own metadata and doc comments. `docs/rules.md` is `rampart rules --format markdown`; the
//! JSON is rampart-scan's catalogue (docs/json-rules.md).

use std::io::Write;

use anyhow::{Result, bail};
use rampart_core::RuleMeta;
use rampart_rules::{find, registry};
use rampart_scan::catalog::{catalog, markdown, rule_markdown, table};

use crate::cli::{CatalogFormat, RuleArgs, RulesArgs};

pub fn list(args: &RulesArgs) -> Result<bool> {
    let metas: Vec<&RuleMeta> = registry().iter().map(|r| r.meta()).collect();
    let text = match args.format {
        CatalogFormat::Json => serde_json::to_string_pretty(&catalog())? + "\n",
        CatalogFormat::Markdown => markdown(&metas),
        CatalogFormat::Table => table(&metas),
    };
    print(&text)
}

pub fn explain(args: &RuleArgs) -> Result<bool> {
    let Some(rule) = find(&args.code) else {
        bail!("no rule `{}` (see `rampart rules`)", args.code);
    };
    print(&rule_markdown(rule.meta(), "#"))
}

fn print(text: &str) -> Result<bool> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(false),
    }
}
