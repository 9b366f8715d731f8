//! Every output format rendered from one fixture report.

mod evidence;
mod fixture;
mod flow;
mod json;
mod junit;
mod sarif;
mod table;

use rampart_core::Report;
use rampart_report::{Format, RenderOptions, render};

fn render_to_string(report: &Report, format: Format, options: RenderOptions) -> String {
    let mut out = Vec::new();
    render(report, &fixture::registry(), format, &options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn render_plain(format: Format) -> String {
    render_to_string(&fixture::report(), format, RenderOptions::default())
}

#[test]
fn every_format_is_byte_identical_across_renders_and_input_order() {
    let mut reversed = fixture::findings();
    reversed.reverse();
    let mut diagnostics = fixture::diagnostics();
    diagnostics.reverse();
    let from_reversed = Report::new(reversed, diagnostics, 6, 5);
    for format in Format::ALL {
        for color in [false, true] {
            let options = RenderOptions { color };
            let first = render_to_string(&fixture::report(), format, options);
            assert_eq!(
                first,
                render_to_string(&fixture::report(), format, options),
                "{format}"
            );
            assert_eq!(
                first,
                render_to_string(&from_reversed, format, options),
                "{format}"
            );
        }
    }
}

#[test]
fn formats_parse_from_their_names() {
    for format in Format::ALL {
        assert_eq!(format.as_str().parse::<Format>(), Ok(format));
        assert_eq!(format.to_string(), format.as_str());
    }
    assert_eq!("SARIF".parse::<Format>(), Ok(Format::Sarif));
    assert!("html".parse::<Format>().is_err());
}
