//! A finding whose location has an end and a flow (a taint path from source to sink) shows the
//! steps in every format; findings without them are rendered as before (the golden files of
//! the other tests).

use rampart_core::{FlowStep, Location, Report};
use rampart_report::{Format, RenderOptions, render};
use serde_json::{Value, json};

use crate::fixture::{self, at};
use crate::sarif::assert_valid_sarif;

fn report() -> Report {
    let step = |line, message: &str| FlowStep {
        location: at("app/views.py", line, 5),
        message: message.to_owned(),
    };
    let mut finding = fixture::findings().remove(0);
    finding.location = Location {
        end_line: 14,
        end_column: 40,
        flow: Some(Box::new([
            step(9, "request parameter `q` read"),
            step(14, "passed to `cursor.execute`"),
        ])),
        ..at("app/views.py", 14, 9)
    };
    Report::new(vec![finding], Vec::new(), 1, 1)
}

fn rendered(format: Format) -> String {
    let mut out = Vec::new();
    let options = RenderOptions::default();
    render(&report(), &fixture::registry(), format, &options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn json_carries_the_end_and_the_steps_in_the_location() {
    let json: Value = serde_json::from_str(&rendered(Format::Json)).unwrap();
    assert_eq!(
        json["findings"][0]["location"],
        json!({
            "path": "app/views.py", "line": 14, "column": 9, "end_line": 14, "end_column": 40,
            "flow": [
                {"location": {"path": "app/views.py", "line": 9, "column": 5},
                 "message": "request parameter `q` read"},
                {"location": {"path": "app/views.py", "line": 14, "column": 5},
                 "message": "passed to `cursor.execute`"},
            ]
        })
    );
}

#[test]
fn sarif_writes_the_flow_as_one_thread_of_code_flow() {
    let log: Value = serde_json::from_str(&rendered(Format::Sarif)).unwrap();
    assert_valid_sarif(&log);
    let result = &log["runs"][0]["results"][0];
    let region = &result["locations"][0]["physicalLocation"]["region"];
    // SARIF's end column is exclusive.
    assert_eq!(
        *region,
        json!({"startLine": 14, "startColumn": 9, "endLine": 14, "endColumn": 41})
    );
    let steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(
        steps[0]["location"]["message"]["text"],
        "request parameter `q` read"
    );
    assert_eq!(
        steps[1]["location"]["physicalLocation"]["region"]["startLine"],
        14
    );
}

#[test]
fn table_and_junit_list_the_steps_in_order() {
    let table = rendered(Format::Table);
    assert!(
        table.contains(
            "   = step 1: request parameter `q` read (app/views.py:9:5)\n   = step 2: passed to `cursor.execute` (app/views.py:14:5)\n"
        ),
        "{table}"
    );
    let xml = rendered(Format::Junit);
    assert!(
        xml.contains("step 1: request parameter `q` read at app/views.py:9:5\nstep 2: passed to `cursor.execute` at app/views.py:14:5"),
        "{xml}"
    );
}
