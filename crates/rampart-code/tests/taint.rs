//! The taint analysis on small programs: what must be found, with its steps, and what must not.

use rampart_code::models::Class;
use rampart_code::{Project, parse_python};

/// `(class, file:line of the sink)` of every flow in the project made of `files`.
fn flows(files: &[(&str, &str)]) -> Vec<(Class, String)> {
    let modules = parse_python(files);
    let project = Project::new(modules.iter().collect());
    let analysis = project.analyse();
    analysis
        .flows
        .iter()
        .map(|flow| {
            let sink = flow.steps.last().unwrap();
            (flow.class, format!("{}:{}", sink.path, sink.span.line))
        })
        .collect()
}

fn one(text: &str) -> Vec<(Class, String)> {
    flows(&[("app.py", text)])
}

#[test]
fn flask_sql_injection_by_string_building() {
    let found = one(
        "from flask import Flask, request\nimport sqlite3\napp = Flask(__name__)\n\
         @app.route('/s')\ndef search():\n    name = request.args.get('name')\n    \
         db = sqlite3.connect('x.db')\n    q = \"SELECT * FROM u WHERE n = '%s'\" % name\n    \
         db.execute(q)\n    db.execute(\"SELECT * FROM u WHERE n = ?\", (name,))\n    return 'ok'\n",
    );
    assert_eq!(found, [(Class::Sql, "app.py:9".to_owned())]);
}

#[test]
fn reflected_xss_in_a_flask_response_but_not_when_escaped() {
    let found = one(
        "from flask import Flask, request\nimport html\napp = Flask(__name__)\n\
         @app.route('/a')\ndef a():\n    return '<p>' + request.args['n'] + '</p>'\n\
         @app.route('/b')\ndef b():\n    return '<p>' + html.escape(request.args['n'])\n\
         @app.route('/c')\ndef c():\n    return {'n': request.args['n']}\n",
    );
    assert_eq!(found, [(Class::Xss, "app.py:6".to_owned())]);
}

#[test]
fn dead_branches_and_overwritten_values_do_not_taint() {
    let found = one("from flask import request\nimport os\n\
         def f():\n    param = request.args['p']\n    if 7 * 42 - 86 > 200:\n        x = 'safe'\n    else:\n        x = param\n    os.system(x)\n\
         def g():\n    y = request.args['p']\n    y = 'constant'\n    os.system(y)\n\
         def h():\n    z = request.args['p']\n    if 7 * 42 - 106 < 200:\n        z2 = z\n    else:\n        z2 = 'a'\n    os.system(z2)\n");
    // 7 * 42 - 86 = 208: only `x = 'safe'` runs; 7 * 42 - 106 = 188: only `z2 = z` runs.
    assert_eq!(found, [(Class::Command, "app.py:20".to_owned())]);
}

#[test]
fn through_a_helper_in_another_module() {
    let found = flows(&[
        (
            "shop/views.py",
            "from flask import request\nfrom .db import find\ndef search():\n    return find(request.args['q'])\n",
        ),
        (
            "shop/db.py",
            "import sqlite3\ndef find(term):\n    sql = 'SELECT * FROM p WHERE name = ' + term\n    return run(sql)\n\
             def run(query):\n    return sqlite3.connect('x').cursor().execute(query)\n",
        ),
        ("shop/__init__.py", ""),
    ]);
    assert_eq!(found, [(Class::Sql, "shop/db.py:6".to_owned())]);
}

#[test]
fn containers_are_element_precise_where_the_index_is_known() {
    let found = one("from flask import request\nimport os\n\
         def f():\n    parts = ['ls', request.args['d']]\n    os.system(parts[0])\n    os.system(parts[1])\n\
         def g():\n    d = {'safe': 'x', 'bad': request.args['d']}\n    os.system(d['safe'])\n    os.system(d.get('bad'))\n");
    assert_eq!(
        found,
        [
            (Class::Command, "app.py:6".to_owned()),
            (Class::Command, "app.py:10".to_owned())
        ]
    );
}

#[test]
fn resolve_then_startswith_is_safe_but_startswith_alone_is_not() {
    let found = one(
        "from flask import request, abort\nfrom pathlib import Path\nimport os\nBASE = '/srv/files'\n\
         def ok():\n    p = os.path.realpath(os.path.join(BASE, request.args['f']))\n    if not p.startswith(BASE):\n        abort(403)\n    return open(p).read()\n\
         def bad():\n    p = os.path.join(BASE, request.args['f'])\n    if not p.startswith(BASE):\n        abort(403)\n    return open(p).read()\n",
    );
    assert_eq!(found, [(Class::Path, "app.py:14".to_owned())]);
}

#[test]
fn html_escape_is_not_enough_for_a_shell_or_a_redirect() {
    let found = one("from flask import request, redirect\nimport html, os\n\
         def f():\n    v = html.escape(request.args['v'])\n    os.system('echo ' + v)\n    return redirect(v)\n");
    assert_eq!(
        found,
        [
            (Class::Command, "app.py:5".to_owned()),
            (Class::Redirect, "app.py:6".to_owned())
        ]
    );
}

#[test]
fn recursion_ends() {
    let found = one("from flask import request\nimport os\n\
         def a(x, n):\n    if n:\n        return b(x, n - 1)\n    os.system(x)\n\
         def b(x, n):\n    return a(x, n)\n\
         def entry():\n    a(request.args['x'], 3)\n");
    assert_eq!(found, [(Class::Command, "app.py:6".to_owned())]);
}

#[test]
fn aiohttp_and_django_requests_by_annotation() {
    let found = one(
        "from aiohttp import web\nfrom django.http import HttpRequest\n\
         async def plugin(request: web.Request):\n    return __import__(request.match_info['name'])\n\
         def view(request: HttpRequest):\n    request.session['k'] = request.POST['v']\n",
    );
    assert_eq!(
        found,
        [
            (Class::Code, "app.py:4".to_owned()),
            (Class::TrustBoundary, "app.py:6".to_owned())
        ]
    );
}
