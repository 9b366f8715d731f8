//! Go templates, values and Helm's YAML of untrusted charts: the lexer, parser and executor
//! must return an error, never panic or run away, on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_render::gotmpl::Engine;
use rampart_render::helm::funcs;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = rampart_render::yaml::parse(&text);
    let mut engine = Engine::new(funcs());
    if engine.parse("fuzz", &text).is_ok() {
        let values = rampart_render::yaml::parse("a: {b: [1, two]}\nc: x").unwrap_or(rampart_render::Value::Nil);
        let _ = engine.execute("fuzz", values);
    }
});
