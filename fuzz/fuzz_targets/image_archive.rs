//! Arbitrary bytes as a `docker save` archive (or an OCI layout in a tar): the tar index, the
//! JSON documents, digests, decompression of every layer, whiteouts, and every image rule on
//! what comes out. Nothing may panic; caps keep each run small.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_image::{Limits, ReadOptions, read_archive_bytes};
use rampart_rules::{RuleOptions, image_capture, registry, run_image};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_expanded_bytes: 32 << 20,
        max_entries: 10_000,
        ..Limits::default()
    };
    let capture = image_capture(registry());
    let options = ReadOptions {
        limits: &limits,
        platform: None,
        capture: &capture,
    };
    if let Ok(images) = read_archive_bytes("fuzz.tar", data.to_vec(), &options) {
        for image in &images {
            run_image(image, "fuzz.tar", registry(), &RuleOptions::default());
        }
    }
});
