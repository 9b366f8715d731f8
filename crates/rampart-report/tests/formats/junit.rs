use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use rampart_report::Format;

use crate::render_plain;

/// Every element with its attributes, read by a strict XML parser (mismatched tags fail).
fn elements(xml: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut reader = Reader::from_str(xml);
    let mut elements = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(tag) | Event::Empty(tag) => {
                let attributes = tag
                    .attributes()
                    .map(|attribute| {
                        let attribute = attribute.unwrap();
                        let key = String::from_utf8(attribute.key.as_ref().to_vec()).unwrap();
                        let value = attribute.normalized_value(XmlVersion::Explicit1_0).unwrap();
                        (key, value.into_owned())
                    })
                    .collect();
                elements.push((
                    String::from_utf8(tag.name().as_ref().to_vec()).unwrap(),
                    attributes,
                ));
            }
            Event::Eof => return elements,
            _ => {}
        }
    }
}

fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

#[test]
fn junit_has_a_suite_per_rule_and_a_failure_per_finding() {
    let xml = render_plain(Format::Junit);
    let elements = elements(&xml);
    let count = |name: &str| elements.iter().filter(|(tag, _)| tag == name).count();
    assert_eq!(count("testcase"), 7);
    assert_eq!(count("failure"), 5);
    assert_eq!(count("error"), 2);

    let (_, root) = elements
        .iter()
        .find(|(tag, _)| tag == "testsuites")
        .unwrap();
    assert_eq!(attribute(root, "tests"), Some("7"));
    assert_eq!(attribute(root, "failures"), Some("5"));
    assert_eq!(attribute(root, "errors"), Some("2"));

    let suites: Vec<&str> = elements
        .iter()
        .filter(|(tag, _)| tag == "testsuite")
        .map(|(_, attributes)| attribute(attributes, "name").unwrap())
        .collect();
    assert_eq!(
        suites,
        [
            "D101 root-user",
            "K101 privileged-container",
            "K103 host-network",
            "K301 namespace-without-network-policy",
            "errors",
        ]
    );

    let cases: Vec<(&str, &str, &str)> = elements
        .iter()
        .filter(|(tag, _)| tag == "testcase")
        .map(|(_, attributes)| {
            let get = |name| attribute(attributes, name).unwrap_or("-");
            (get("name"), get("file"), get("line"))
        })
        .collect();
    assert_eq!(
        cases,
        [
            ("Dockerfile:7:1", "Dockerfile", "7"),
            (
                "deploy/web.yaml:14:11 Deployment shop/web",
                "deploy/web.yaml",
                "14"
            ),
            (
                "helm/rendered.yaml:30:15 DaemonSet kube-system/agent",
                "helm/rendered.yaml",
                "30"
            ),
            (
                "deploy/web.yaml:9:7 Deployment shop/web",
                "deploy/web.yaml",
                "9"
            ),
            (
                "deploy/namespace.yaml:1:1 Namespace shop",
                "deploy/namespace.yaml",
                "1"
            ),
            ("charts/blob.tgz", "charts/blob.tgz", "-"),
            ("deploy/broken.yaml:3", "deploy/broken.yaml", "3"),
        ]
    );

    let failure = elements.iter().find(|(tag, _)| tag == "failure").unwrap();
    assert_eq!(
        attribute(&failure.1, "message"),
        Some("image runs as root: the final stage sets no USER")
    );
    assert_eq!(attribute(&failure.1, "type"), Some("medium"));
    assert!(
        xml.contains("unexpected character &apos;&lt;&apos;"),
        "escaped: {xml}"
    );
}

#[test]
fn junit_of_a_clean_scan_is_one_passing_case() {
    let report = rampart_core::Report::new(Vec::new(), Vec::new(), 3, 7);
    let xml = crate::render_to_string(&report, Format::Junit, Default::default());
    let elements = elements(&xml);
    let cases: Vec<_> = elements
        .iter()
        .filter(|(tag, _)| tag == "testcase")
        .collect();
    assert_eq!(cases.len(), 1);
    assert_eq!(
        attribute(&cases[0].1, "name"),
        Some("no findings in 3 files, 7 objects")
    );
    assert!(
        !elements
            .iter()
            .any(|(tag, _)| tag == "failure" || tag == "error")
    );
}
