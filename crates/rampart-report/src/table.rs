//! Human output in the style of rustc and clippy: one block per finding, grouped by layer
//! (innermost first) and, within a layer, by severity (critical first), then errors, then one
//! summary line.

use std::fmt::{self, Display};
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use rampart_core::{Diagnostic, Finding, Layer, Level, Report, Severity, Summary};

use crate::named_subject;

const HEADING: Style = Style::new().bold().underline();
const ARROW: Style = AnsiColor::Blue.on_default().bold();
const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const EMPHASIS: Style = Style::new().bold();

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Critical => AnsiColor::Magenta.on_default().bold(),
        Severity::High => AnsiColor::Red.on_default().bold(),
        Severity::Medium => AnsiColor::Yellow.on_default().bold(),
        Severity::Low => AnsiColor::Cyan.on_default(),
        Severity::Info => Style::new().dimmed(),
    }
}

/// Applies styles only when colour was asked for.
#[derive(Clone, Copy)]
struct Painter {
    color: bool,
}

impl Painter {
    fn paint<T: Display>(self, style: Style, value: T) -> Painted<T> {
        let style = if self.color { style } else { Style::new() };
        Painted { style, value }
    }
}

struct Painted<T> {
    style: Style,
    value: T,
}

impl<T: Display> Display for Painted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A plain style renders as nothing, so uncoloured output has no escape codes at all.
        write!(f, "{}{}{:#}", self.style, self.value, self.style)
    }
}

pub(crate) fn render(report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let painter = Painter { color };
    let mut ordered: Vec<&Finding> = report.findings.iter().collect();
    // Stable, so findings keep the report's file and position order inside each group.
    ordered.sort_by_key(|f| (f.rule.layer, std::cmp::Reverse(f.severity)));

    for layer_findings in ordered.chunk_by(|a, b| a.rule.layer == b.rule.layer) {
        let layer = layer_findings[0].rule.layer;
        let heading = format!(
            "{} layer: {}",
            layer_title(layer),
            count(layer_findings.len(), "finding")
        );
        writeln!(out, "{}\n", painter.paint(HEADING, heading))?;
        for finding in layer_findings {
            write_finding(out, painter, finding)?;
        }
    }
    if !report.errors.is_empty() {
        let heading = format!(
            "Scan errors: {} not scanned",
            count(report.errors.len(), "input")
        );
        writeln!(out, "{}\n", painter.paint(HEADING, heading))?;
        for error in &report.errors {
            write_diagnostic(out, painter, error)?;
        }
    }
    if !report.warnings.is_empty() {
        let heading = format!(
            "Warnings: {} scanned, but probably not as meant",
            count(report.warnings.len(), "input")
        );
        writeln!(out, "{}\n", painter.paint(HEADING, heading))?;
        for warning in &report.warnings {
            write_diagnostic(out, painter, warning)?;
        }
    }
    write_summary(out, painter, &report.summary)
}

fn layer_title(layer: Layer) -> &'static str {
    match layer {
        Layer::Code => "Code",
        Layer::Container => "Container",
        Layer::Cluster => "Cluster",
        Layer::Cloud => "Cloud",
    }
}

fn write_finding(out: &mut dyn Write, painter: Painter, finding: &Finding) -> io::Result<()> {
    let severity = painter.paint(severity_style(finding.severity), finding.severity);
    let code = painter.paint(EMPHASIS, format!("[{}]", finding.rule.code));
    writeln!(out, "{severity}{code}: {}", finding.message)?;
    let location = &finding.location;
    let arrow = painter.paint(ARROW, "-->");
    // Line 0: the finding is about a whole input without lines (an image).
    if location.line == 0 {
        writeln!(out, "  {arrow} {}", location.path)?;
    } else {
        writeln!(
            out,
            "  {arrow} {}:{}:{}",
            location.path, location.line, location.column
        )?;
    }
    let equals = painter.paint(ARROW, "=");
    match (named_subject(finding), finding.pointer.is_empty()) {
        (Some(object), true) => writeln!(out, "   {equals} object: {}", object.label())?,
        (Some(object), false) => writeln!(
            out,
            "   {equals} object: {} at {}",
            object.label(),
            finding.pointer
        )?,
        (None, false) => writeln!(out, "   {equals} field: {}", finding.pointer)?,
        (None, true) => {}
    }
    if let Some(template) = &location.template {
        writeln!(out, "   {equals} template: {template}")?;
    }
    for (number, step) in location.flow.iter().flatten().enumerate() {
        let at = &step.location;
        writeln!(
            out,
            "   {equals} step {}: {} ({}:{}:{})",
            number + 1,
            step.message,
            at.path,
            at.line,
            at.column
        )?;
    }
    for item in &finding.evidence {
        match &item.location {
            Some(at) => writeln!(
                out,
                "   {equals} {}: {} ({}:{}:{})",
                item.label, item.value, at.path, at.line, at.column
            )?,
            None => writeln!(out, "   {equals} {}: {}", item.label, item.value)?,
        }
    }
    writeln!(out, "   {equals} rule: {}", finding.rule.name)?;
    writeln!(out)
}

fn write_diagnostic(
    out: &mut dyn Write,
    painter: Painter,
    diagnostic: &Diagnostic,
) -> io::Result<()> {
    let level = match diagnostic.level {
        Level::Error => painter.paint(ERROR, "error"),
        Level::Warning => painter.paint(WARNING, "warning"),
    };
    writeln!(out, "{level}: {}", diagnostic.message)?;
    let arrow = painter.paint(ARROW, "-->");
    match diagnostic.line {
        Some(line) => writeln!(out, "  {arrow} {}:{line}", diagnostic.path)?,
        None => writeln!(out, "  {arrow} {}", diagnostic.path)?,
    }
    writeln!(out)
}

/// `3 findings (1 critical, 2 medium), 2 suppressed (1 baseline, 1 config: vendored chart),
/// 1 error, 2 warnings; scanned 4 files, 6 objects` (warnings only when there are some)
fn write_summary(out: &mut dyn Write, painter: Painter, summary: &Summary) -> io::Result<()> {
    write!(
        out,
        "{}",
        painter.paint(EMPHASIS, count(summary.findings, "finding"))
    )?;
    let by_severity: Vec<String> = Severity::ALL
        .into_iter()
        .filter_map(|severity| {
            let n = *summary.by_severity.get(&severity)?;
            let label = painter.paint(severity_style(severity), severity);
            (n > 0).then(|| format!("{n} {label}"))
        })
        .collect();
    if !by_severity.is_empty() {
        write!(out, " ({})", by_severity.join(", "))?;
    }
    write!(out, ", {} suppressed", summary.suppressed)?;
    if !summary.suppressed_by.is_empty() {
        let reasons: Vec<String> = summary
            .suppressed_by
            .iter()
            .map(|(reason, n)| format!("{n} {reason}"))
            .collect();
        write!(out, " ({})", reasons.join(", "))?;
    }
    let errors = count(summary.errors, "error");
    let errors = if summary.errors > 0 {
        painter.paint(ERROR, errors)
    } else {
        painter.paint(Style::new(), errors)
    };
    let warnings = if summary.warnings > 0 {
        format!(
            ", {}",
            painter.paint(WARNING, count(summary.warnings, "warning"))
        )
    } else {
        String::new()
    };
    writeln!(
        out,
        ", {errors}{warnings}; scanned {}, {}",
        count(summary.files, "file"),
        count(summary.objects, "object")
    )
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
