//! Image analysis on a generated image (OCI layout, gzip layers): reading alone (decompress,
//! walk the tars, check digests) and reading plus every image rule. Run with
//! `cargo bench -p rampart-bench --bench image`.

use divan::Bencher;
use divan::counter::BytesCount;
use rampart_image::build::{self, ImageSpec};
use rampart_image::{Limits, ReadOptions, read_path};
use rampart_rules::{RuleOptions, image_capture, registry, run_image};

fn main() {
    divan::main();
}

/// `layers` layers of 64 files of 256 KiB and 500 small files each: 16 MiB per layer.
fn spec(layers: usize) -> ImageSpec {
    let mut text = String::from("[config]\nUser = \"10001\"\n");
    for layer in 0..layers {
        text.push_str(&format!(
            "[[layers]]\ncreated_by = \"COPY part{layer} /\"\nfiles = [\n"
        ));
        for file in 0..64 {
            text.push_str(&format!(
                "{{ path = \"data/{layer}/{file}.bin\", size = 262144 }},\n"
            ));
        }
        for file in 0..500 {
            text.push_str(&format!(
                "{{ path = \"doc/{layer}/{file}.txt\", size = 300 }},\n"
            ));
        }
        text.push_str("]\n");
    }
    ImageSpec::parse(&text).expect("a valid description")
}

#[divan::bench(args = [4], sample_count = 10)]
fn read_and_check(bencher: Bencher, layers: usize) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    build::write_layout(&spec(layers), folder.path()).expect("the image");
    let rules = registry();
    let capture = image_capture(rules);
    let limits = Limits::default();
    let options = ReadOptions {
        limits: &limits,
        platform: None,
        capture: &capture,
    };
    let expanded = layers as u64 * (64 * 262_144 + 500 * 300);
    bencher.counter(BytesCount::new(expanded)).bench(|| {
        let images = read_path(folder.path(), &options).expect("readable");
        run_image(&images[0], "bench", rules, &RuleOptions::default(), None)
    });
}
