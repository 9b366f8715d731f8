//! What several CLI test files read from JSON reports.

use serde_json::Value;

/// A finding's evidence, one `label: value` line per item (none when it has no evidence).
pub fn evidence_lines(finding: &Value) -> Vec<String> {
    finding["evidence"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|item| {
            format!(
                "{}: {}",
                item["label"].as_str().unwrap(),
                item["value"].as_str().unwrap()
            )
        })
        .collect()
}
