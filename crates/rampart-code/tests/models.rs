//! Every row of the model tables does what it says, on a program written for it: each source
//! taints, each sink reports its class, each sanitizer clears the classes it names and only
//! those.

use rampart_code::models::{Args, Class, Origin, SANITIZERS, SINKS, SOURCES, Sink, When};
use rampart_code::taint::Options;
use rampart_code::{Project, parse_python};

/// The classes of the flows found in a one-file program.
fn classes(program: &str, options: Options) -> Vec<Class> {
    let modules = parse_python(&[("app.py", program)]);
    assert!(
        modules[0].errors.is_empty(),
        "{program}\n{:?}",
        modules[0].errors
    );
    let project = Project::new(modules.iter().collect());
    project
        .analyse_with(options)
        .flows
        .iter()
        .map(|flow| flow.class)
        .collect()
}

/// A Python expression that evaluates to what `path` names, and the imports it needs:
/// `a.b()` calls are written as calls; `*.name` and `head**.tail` reach `name` or `tail`
/// from a parameter or from `head`.
fn expression(path: &str) -> (String, String) {
    if let Some((head, tail)) = path.split_once("**") {
        let module = head.split('.').next().unwrap();
        return (
            format!("import {module}\n"),
            format!("{head}.anything{tail}"),
        );
    }
    if let Some(tail) = path.strip_prefix("*.") {
        return (String::new(), format!("untyped.{tail}"));
    }
    if let Some(name) = path.strip_prefix("builtins.") {
        return (String::new(), name.to_owned());
    }
    let module = path.split('.').next().unwrap();
    (format!("import {module}\n"), path.to_owned())
}

const TAINTED: &str = "flask.request.args['x']";

/// A program whose only flow, if any, is `TAINTED` through `wrap` into a sink of `class`.
fn program_with_sink(class: Class, wrap: &str) -> String {
    let value = wrap.replace("{}", TAINTED);
    let call = match class {
        Class::Sql => format!("import sqlite3\nsqlite3.connect('db').execute({value})"),
        Class::Xss => format!("flask.render_template_string({value})"),
        Class::Command => format!("import os\nos.system({value})"),
        Class::Code => format!("eval({value})"),
        Class::Path => format!("open({value})"),
        Class::Ssrf => format!("import requests\nrequests.get({value})"),
        Class::Redirect => format!("flask.redirect({value})"),
        Class::Ldap => format!("import ldap\nldap.initialize('u').search_s('b', 2, {value})"),
        other => panic!("no test sink for {other:?}"),
    };
    let call = call.replace('\n', "\n    ");
    format!("import flask\ndef view(untyped):\n    {call}\n")
}

fn sink_program(sink: &Sink) -> String {
    let (imports, callee) = expression(sink.pattern);
    let mut args: Vec<String> = Vec::new();
    let mut receiver = callee.clone();
    match sink.args {
        Args::At(index, _) => {
            args.extend((0..index).map(|_| "'c'".to_owned()));
            args.push(TAINTED.to_owned());
        }
        Args::All => args.push(TAINTED.to_owned()),
        Args::Receiver => {
            // `pathlib.Path().open`: the object the method is called on is the tainted one.
            let open = receiver.rfind("()").expect("a receiver made by a call");
            receiver = format!("{}({TAINTED}){}", &receiver[..open], &receiver[open + 2..]);
        }
    }
    if let When::Keyword(name) = sink.when {
        args.push(format!("{name}=True"));
    }
    format!(
        "import flask\n{imports}def view(untyped):\n    {receiver}({})\n",
        args.join(", ")
    )
}

#[test]
fn every_sink_reports_its_class() {
    for sink in SINKS {
        let program = sink_program(sink);
        assert_eq!(
            classes(&program, Options::default()),
            [sink.class],
            "{}\n{program}",
            sink.pattern
        );
    }
}

#[test]
fn every_source_taints() {
    for source in SOURCES {
        if source.pattern.contains('<') {
            continue; // FastAPI's route parameters: see the A101 and A105 fixtures.
        }
        let (imports, expression) = expression(source.pattern);
        let program =
            format!("import os\n{imports}def view(untyped):\n    os.system({expression})\n");
        let local = Options {
            local_sources: true,
        };
        assert_eq!(
            classes(&program, local),
            [Class::Command],
            "{}\n{program}",
            source.pattern
        );
        let remote = classes(&program, Options::default());
        match source.origin {
            Origin::Environment => assert!(remote.is_empty(), "{}", source.pattern),
            _ => assert_eq!(remote, [Class::Command], "{}", source.pattern),
        }
    }
}

#[test]
fn every_sanitizer_clears_what_it_names_and_nothing_else() {
    let tested = [
        Class::Sql,
        Class::Xss,
        Class::Command,
        Class::Code,
        Class::Path,
        Class::Ssrf,
        Class::Redirect,
        Class::Ldap,
    ];
    for sanitizer in SANITIZERS {
        let (imports, callee) = expression(sanitizer.pattern);
        for class in tested {
            let program = program_with_sink(class, &format!("{callee}({{}})"));
            let program = format!("{imports}{program}");
            let found = classes(&program, Options::default());
            let cleared = sanitizer.clears & class.bit() != 0;
            let expected: &[Class] = if cleared { &[] } else { &[class] };
            assert_eq!(
                found, expected,
                "{} and {class:?}\n{program}",
                sanitizer.pattern
            );
        }
    }
}
