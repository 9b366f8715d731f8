//! JUnit XML for CI test views (GitLab, Jenkins, GitHub test-report actions).
//!
//! One test suite per rule that fired, one failed test case per finding. CI views list failures
//! as "suite › case" and count them per suite, so grouping by rule reads as "K101
//! privileged-container: 3 failures" and each case names the file, position and object to fix.
//! Inputs that could not be scanned form a final `errors` suite of errored cases.

use std::collections::BTreeMap;
use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};
use rampart_core::{Diagnostic, Finding, Report};

use crate::named_subject;

pub(crate) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in &report.findings {
        by_rule.entry(finding.rule.code).or_default().push(finding);
    }
    let mut junit = JunitReport::new(report.tool.name);
    for findings in by_rule.values() {
        let first = findings[0];
        let mut suite = TestSuite::new(format!("{} {}", first.rule.code, first.rule.name));
        suite.add_test_cases(findings.iter().map(|finding| finding_case(finding)));
        junit.add_test_suite(suite);
    }
    if !report.errors.is_empty() {
        let mut suite = TestSuite::new("errors");
        suite.add_test_cases(report.errors.iter().map(error_case));
        junit.add_test_suite(suite);
    }
    if junit.test_suites.is_empty() {
        // CI views (Jenkins by default) treat a report without test cases as a broken run, so a
        // clean scan is one passing case.
        let mut suite = TestSuite::new("rampart");
        let summary = &report.summary;
        suite.add_test_case(TestCase::new(
            format!(
                "no findings in {} files, {} objects",
                summary.files, summary.objects
            ),
            TestCaseStatus::success(),
        ));
        junit.add_test_suite(suite);
    }
    junit.serialize(out).map_err(io::Error::other)
}

fn finding_case(finding: &Finding) -> TestCase {
    let location = &finding.location;
    let position = format!("{}:{}:{}", location.path, location.line, location.column);
    let name = match named_subject(finding) {
        Some(object) => format!("{position} {}", object.label()),
        None => position.clone(),
    };

    let mut details = vec![
        format!(
            "{} {} ({}, {}/{})",
            finding.rule.code,
            finding.rule.name,
            finding.severity,
            finding.rule.layer.as_str(),
            finding.rule.concern.as_str()
        ),
        format!("at {position}"),
    ];
    if let Some(object) = named_subject(finding) {
        details.push(format!("object: {}", object.label()));
    }
    if !finding.pointer.is_empty() {
        details.push(format!("field: {}", finding.pointer));
    }
    if let Some(template) = &location.template {
        details.push(format!("template: {template}"));
    }
    for (number, step) in location.flow.iter().flatten().enumerate() {
        let at = &step.location;
        details.push(format!(
            "step {}: {} at {}:{}:{}",
            number + 1,
            step.message,
            at.path,
            at.line,
            at.column
        ));
    }
    for item in &finding.evidence {
        match &item.location {
            Some(at) => details.push(format!(
                "{}: {} at {}:{}:{}",
                item.label, item.value, at.path, at.line, at.column
            )),
            None => details.push(format!("{}: {}", item.label, item.value)),
        }
    }
    details.push(format!("fingerprint: {}", finding.fingerprint));

    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status
        .set_message(&*finding.message)
        .set_type(finding.severity.as_str())
        .set_description(details.join("\n"));
    let mut case = TestCase::new(name, status);
    case.set_classname(format!(
        "rampart.{}.{}",
        finding.rule.layer.as_str(),
        finding.rule.code
    ));
    with_file_and_line(&mut case, &location.path, Some(location.line));
    case
}

fn error_case(error: &Diagnostic) -> TestCase {
    let name = match error.line {
        Some(line) => format!("{}:{line}", error.path),
        None => error.path.clone(),
    };
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
    status
        .set_message(error.message.as_str())
        .set_type("scan-error");
    let mut case = TestCase::new(name, status);
    case.set_classname("rampart.errors");
    with_file_and_line(&mut case, &error.path, error.line);
    case
}

/// `file` and `line` attributes, which GitLab and GitHub test-report actions use to link a case
/// to its source.
fn with_file_and_line(case: &mut TestCase, path: &str, line: Option<u32>) {
    case.extra.insert("file".into(), path.into());
    if let Some(line) = line {
        case.extra.insert("line".into(), line.to_string().into());
    }
}
