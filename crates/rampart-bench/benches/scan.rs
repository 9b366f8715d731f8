//! rampart on generated corpora: YAML parsing alone, the rules over parsed objects, and a whole
//! scan (load from a folder, rules, JSON report). Run with `cargo bench -p rampart-bench`.

use std::io;
use std::path::Path;

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use rampart_bench::{ManifestFile, generate};
use rampart_core::Report;
use rampart_report::{Format, RenderOptions, render};
use rampart_rules::{RuleOptions, registry};
use rampart_source::{Inventory, Limits, LoadOptions, Object, Target, load, parse_text};

const SEED: u64 = 1;

fn main() {
    divan::main();
}

fn corpus_bytes(files: &[ManifestFile]) -> BytesCount {
    BytesCount::new(files.iter().map(|file| file.text.len()).sum::<usize>())
}

/// Every file parsed one after the other, on one thread: the parser's own throughput.
#[divan::bench(args = [1_000], sample_count = 20)]
fn parse(bencher: Bencher, workloads: usize) {
    let files = generate(workloads, SEED);
    let limits = Limits::default();
    bencher.counter(corpus_bytes(&files)).bench(|| {
        for file in &files {
            black_box(parse_text(&file.path, &file.text, &limits));
        }
    });
}

/// The full rule registry over objects already in memory (parallel, as in a scan).
#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn rules(bencher: Bencher, workloads: usize) {
    let mut inventory = Inventory::default();
    for file in generate(workloads, SEED) {
        let (objects, errors) = parse_text(&file.path, &file.text, &Limits::default());
        inventory.extend(objects);
        inventory.errors.extend(errors);
        inventory.files += 1;
    }
    let options = RuleOptions::default();
    bencher.bench(|| rampart_rules::run(&inventory, registry(), &options));
}

/// What `rampart scan DIR --format json` does, minus argument parsing and config discovery.
#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn end_to_end(bencher: Bencher, workloads: usize) {
    let files = generate(workloads, SEED);
    let folder = tempfile::tempdir().expect("create a temporary folder");
    rampart_bench::write(folder.path(), &files).expect("write the corpus");
    bencher
        .counter(corpus_bytes(&files))
        .bench(|| scan_to_json(folder.path()));
}

fn scan_to_json(folder: &Path) -> io::Result<()> {
    let inventory = load(&[Target::Path(folder.to_owned())], &LoadOptions::default())
        .expect("the corpus folder exists");
    let (findings, mut errors) =
        rampart_rules::run(&inventory, registry(), &RuleOptions::default());
    let objects = inventory.all::<Object>().len();
    errors.extend(inventory.errors);
    let report = Report::new(findings, errors, inventory.files, objects);
    let metas: Vec<_> = registry().iter().map(|rule| rule.meta()).collect();
    render(
        &report,
        &metas,
        Format::Json,
        &RenderOptions::default(),
        &mut io::sink(),
    )
}
