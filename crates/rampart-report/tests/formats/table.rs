use rampart_report::{Format, RenderOptions};

use crate::{fixture, render_plain, render_to_string};

#[test]
fn table_groups_by_layer_then_severity() {
    insta::assert_snapshot!(render_plain(Format::Table));
}

#[test]
fn table_of_a_clean_scan_is_one_line() {
    let report = rampart_core::Report::new(Vec::new(), Vec::new(), 3, 0);
    let table = render_to_string(&report, Format::Table, RenderOptions::default());
    assert_eq!(
        table,
        "0 findings, 0 suppressed, 0 errors; scanned 3 files, 0 objects\n"
    );
}

#[test]
fn table_colours_only_when_asked() {
    let plain = render_plain(Format::Table);
    assert!(!plain.contains('\x1b'));
    let coloured = render_to_string(
        &fixture::report(),
        Format::Table,
        RenderOptions { color: true },
    );
    assert!(
        coloured.contains("\x1b[1m\x1b[35mcritical\x1b[0m"),
        "{coloured}"
    );
    assert_ne!(coloured, plain);
}

#[test]
fn only_the_table_has_colour() {
    for format in [Format::Json, Format::Sarif, Format::Junit] {
        let coloured = render_to_string(&fixture::report(), format, RenderOptions { color: true });
        assert_eq!(coloured, render_plain(format), "{format}");
    }
}
