//! What the analysis knows of frameworks and libraries, as data: where untrusted data enters
//! (sources), where it does harm (sinks, per class of vulnerability), and what makes it safe
//! (sanitizers, and validators that guard a branch). Supporting a library is adding rows.
//!
//! A pattern names a value by the path it is reached by, with imports resolved: an attribute
//! `flask.request.args`, a call's result `flask.request.get_json()`, an instance's attribute
//! `django.http.HttpRequest().GET` (a parameter annotated with the class, or a Django view's
//! `request`). `*.execute` is the method `execute` of any receiver the analysis cannot type.

/// The classes of vulnerability a flow can end in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    Sql,
    Xss,
    Command,
    Code,
    Path,
    Ssrf,
    Redirect,
    Deserialization,
    Xxe,
    Xpath,
    Ldap,
    Nosql,
    TrustBoundary,
}

impl Class {
    pub const ALL: [Class; 13] = [
        Class::Sql,
        Class::Xss,
        Class::Command,
        Class::Code,
        Class::Path,
        Class::Ssrf,
        Class::Redirect,
        Class::Deserialization,
        Class::Xxe,
        Class::Xpath,
        Class::Ldap,
        Class::Nosql,
        Class::TrustBoundary,
    ];

    pub const fn bit(self) -> u16 {
        1 << self as u16
    }

    pub fn describe(self) -> &'static str {
        match self {
            Class::Sql => "an SQL query",
            Class::Xss => "an HTML response",
            Class::Command => "a shell command",
            Class::Code => "code that is evaluated",
            Class::Path => "a file path",
            Class::Ssrf => "the URL of a server-side request",
            Class::Redirect => "a redirect's target",
            Class::Deserialization => "a deserialiser",
            Class::Xxe => "an XML parser that resolves external entities",
            Class::Xpath => "an XPath query",
            Class::Ldap => "an LDAP query",
            Class::Nosql => "a NoSQL query",
            Class::TrustBoundary => "the session",
        }
    }
}

/// A set of classes, as bits.
pub type Classes = u16;

pub const EVERY_CLASS: Classes = u16::MAX;

const fn classes(list: &[Class]) -> Classes {
    let mut bits = 0;
    let mut i = 0;
    while i < list.len() {
        bits |= list[i].bit();
        i += 1;
    }
    bits
}

/// Where untrusted data comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A web request: remote and unauthenticated.
    Request,
    /// The process's environment, arguments and standard input.
    Environment,
    /// A file's or socket's content.
    External,
}

#[derive(Debug)]
pub struct Source {
    pub pattern: &'static str,
    pub origin: Origin,
    /// The framework or library, for documentation.
    pub library: &'static str,
}

/// Which arguments of a call a sink reads.
#[derive(Debug, Clone, Copy)]
pub enum Args {
    /// The positional argument at this index, or the keyword argument of this name.
    At(usize, &'static str),
    /// Every argument.
    All,
    /// The receiver of a method (`tainted.execute()` style sinks): `obj` in `obj.method()`.
    Receiver,
}

/// What must hold of a call for it to be a sink.
#[derive(Debug, Clone, Copy)]
pub enum When {
    Always,
    /// The keyword argument is present and not `False`/`None` (`shell=True`).
    Keyword(&'static str),
    /// The keyword argument is absent or a constant that is not in the list (`Loader`
    /// other than `SafeLoader`).
    KeywordNotIn(&'static str, &'static [&'static str]),
    /// Neither the positional argument at this index nor the keyword of this name is given.
    NoArgument(usize, &'static str),
}

#[derive(Debug)]
pub struct Sink {
    pub pattern: &'static str,
    pub class: Class,
    pub args: Args,
    pub when: When,
    pub library: &'static str,
}

/// A function whose result is safe for some classes whatever its input.
#[derive(Debug)]
pub struct Sanitizer {
    pub pattern: &'static str,
    pub clears: Classes,
    pub library: &'static str,
}

/// A test that, when true, makes a value safe for some classes in the branch it guards.
#[derive(Debug)]
pub struct Validator {
    pub pattern: &'static str,
    /// The value checked: the receiver (`path.startswith(base)`) or an argument.
    pub checks: Args,
    pub clears: Classes,
    /// Only a value normalised first is safe after the test (`resolve()` then
    /// `startswith(base)`): a path with `..` in it starts with the base and still escapes it.
    pub needs_normalised: bool,
}

const fn source(pattern: &'static str, origin: Origin, library: &'static str) -> Source {
    Source {
        pattern,
        origin,
        library,
    }
}

const fn sink(pattern: &'static str, class: Class, args: Args, library: &'static str) -> Sink {
    Sink {
        pattern,
        class,
        args,
        when: When::Always,
        library,
    }
}

const fn sink_when(
    pattern: &'static str,
    class: Class,
    args: Args,
    when: When,
    library: &'static str,
) -> Sink {
    Sink {
        pattern,
        class,
        args,
        when,
        library,
    }
}

const fn sanitizer(pattern: &'static str, clears: Classes, library: &'static str) -> Sanitizer {
    Sanitizer {
        pattern,
        clears,
        library,
    }
}

use Args::{All, At, Receiver};
use Class::*;
use Origin::{Environment, External, Request};

/// Request data of each web framework, the process's inputs, and file and socket content.
pub static SOURCES: &[Source] = &[
    // Flask (and Werkzeug's request object it exports).
    source("flask.request.args", Request, "flask"),
    source("flask.request.form", Request, "flask"),
    source("flask.request.values", Request, "flask"),
    source("flask.request.cookies", Request, "flask"),
    source("flask.request.headers", Request, "flask"),
    source("flask.request.files", Request, "flask"),
    source("flask.request.data", Request, "flask"),
    source("flask.request.json", Request, "flask"),
    source("flask.request.path", Request, "flask"),
    source("flask.request.full_path", Request, "flask"),
    source("flask.request.url", Request, "flask"),
    source("flask.request.referrer", Request, "flask"),
    source("flask.request.get_json()", Request, "flask"),
    source("flask.request.get_data()", Request, "flask"),
    source("flask.request.stream", Request, "flask"),
    // Django's HttpRequest.
    source("django.http.HttpRequest().GET", Request, "django"),
    source("django.http.HttpRequest().POST", Request, "django"),
    source("django.http.HttpRequest().COOKIES", Request, "django"),
    source("django.http.HttpRequest().FILES", Request, "django"),
    source("django.http.HttpRequest().META", Request, "django"),
    source("django.http.HttpRequest().headers", Request, "django"),
    source("django.http.HttpRequest().body", Request, "django"),
    source("django.http.HttpRequest().path", Request, "django"),
    source("django.http.HttpRequest().path_info", Request, "django"),
    source(
        "django.http.HttpRequest().get_full_path()",
        Request,
        "django",
    ),
    source("django.http.HttpRequest().read()", Request, "django"),
    // Starlette's Request, which FastAPI re-exports.
    source(
        "starlette.requests.Request().query_params",
        Request,
        "starlette",
    ),
    source(
        "starlette.requests.Request().path_params",
        Request,
        "starlette",
    ),
    source("starlette.requests.Request().headers", Request, "starlette"),
    source("starlette.requests.Request().cookies", Request, "starlette"),
    source("starlette.requests.Request().url", Request, "starlette"),
    source("starlette.requests.Request().json()", Request, "starlette"),
    source("starlette.requests.Request().form()", Request, "starlette"),
    source("starlette.requests.Request().body()", Request, "starlette"),
    // aiohttp's web.Request.
    source("aiohttp.web.Request().query", Request, "aiohttp"),
    source("aiohttp.web.Request().match_info", Request, "aiohttp"),
    source("aiohttp.web.Request().headers", Request, "aiohttp"),
    source("aiohttp.web.Request().cookies", Request, "aiohttp"),
    source("aiohttp.web.Request().rel_url", Request, "aiohttp"),
    source("aiohttp.web.Request().post()", Request, "aiohttp"),
    source("aiohttp.web.Request().json()", Request, "aiohttp"),
    source("aiohttp.web.Request().text()", Request, "aiohttp"),
    source("aiohttp.web.Request().read()", Request, "aiohttp"),
    // FastAPI: a route's plain parameters (path, query, body).
    source("fastapi.<route-parameter>", Request, "fastapi"),
    // The process's inputs: counted only when the analysis is asked for local sources.
    source("builtins.input()", Environment, "python"),
    source("sys.argv", Environment, "python"),
    source("sys.stdin", Environment, "python"),
    source("os.environ", Environment, "python"),
    source("os.getenv()", Environment, "python"),
    // Sockets.
    source("*.recv()", External, "socket"),
    source("*.recvfrom()", External, "socket"),
];

/// Where data from a source does harm, by class.
pub static SINKS: &[Sink] = &[
    // SQL: DB-API cursors and connections, SQLAlchemy, Django.
    sink("*.execute", Sql, At(0, "sql"), "DB-API"),
    sink("*.executemany", Sql, At(0, "sql"), "DB-API"),
    sink("*.executescript", Sql, At(0, "sql_script"), "sqlite3"),
    sink("*.mogrify", Sql, At(0, "query"), "psycopg"),
    sink("sqlalchemy.text", Sql, At(0, "text"), "sqlalchemy"),
    sink("sqlalchemy.sql.text", Sql, At(0, "text"), "sqlalchemy"),
    sink(
        "sqlalchemy.sql.expression.text",
        Sql,
        At(0, "text"),
        "sqlalchemy",
    ),
    sink("*.objects.raw", Sql, At(0, "raw_query"), "django"),
    sink("*.objects.extra", Sql, All, "django"),
    sink(
        "django.db.models.expressions.RawSQL",
        Sql,
        At(0, "sql"),
        "django",
    ),
    sink("django.db.models.RawSQL", Sql, At(0, "sql"), "django"),
    sink("pandas.read_sql", Sql, At(0, "sql"), "pandas"),
    sink("pandas.read_sql_query", Sql, At(0, "sql"), "pandas"),
    // XSS: responses and markup marked safe.
    sink(
        "flask.render_template_string",
        Xss,
        At(0, "source"),
        "flask",
    ),
    sink("flask.make_response", Xss, At(0, ""), "flask"),
    sink("flask.Response", Xss, At(0, "response"), "flask"),
    sink("flask.Markup", Xss, At(0, ""), "flask"),
    sink("markupsafe.Markup", Xss, At(0, ""), "markupsafe"),
    sink("jinja2.Template", Xss, At(0, "source"), "jinja2"),
    sink("django.http.HttpResponse", Xss, At(0, "content"), "django"),
    sink(
        "django.utils.safestring.mark_safe",
        Xss,
        At(0, "s"),
        "django",
    ),
    sink(
        "django.utils.safestring.SafeString",
        Xss,
        At(0, ""),
        "django",
    ),
    sink(
        "starlette.responses.HTMLResponse",
        Xss,
        At(0, "content"),
        "starlette",
    ),
    sink(
        "fastapi.responses.HTMLResponse",
        Xss,
        At(0, "content"),
        "fastapi",
    ),
    // Command injection: a shell runs the string.
    sink("os.system", Command, At(0, "command"), "python"),
    sink("os.popen", Command, At(0, "cmd"), "python"),
    sink_when(
        "subprocess.run",
        Command,
        At(0, "args"),
        When::Keyword("shell"),
        "python",
    ),
    sink_when(
        "subprocess.call",
        Command,
        At(0, "args"),
        When::Keyword("shell"),
        "python",
    ),
    sink_when(
        "subprocess.check_call",
        Command,
        At(0, "args"),
        When::Keyword("shell"),
        "python",
    ),
    sink_when(
        "subprocess.check_output",
        Command,
        At(0, "args"),
        When::Keyword("shell"),
        "python",
    ),
    sink_when(
        "subprocess.Popen",
        Command,
        At(0, "args"),
        When::Keyword("shell"),
        "python",
    ),
    sink("subprocess.getoutput", Command, At(0, "cmd"), "python"),
    sink(
        "subprocess.getstatusoutput",
        Command,
        At(0, "cmd"),
        "python",
    ),
    sink(
        "asyncio.create_subprocess_shell",
        Command,
        At(0, "cmd"),
        "python",
    ),
    // Code injection.
    sink("builtins.eval", Code, At(0, "source"), "python"),
    sink("builtins.exec", Code, At(0, "source"), "python"),
    sink("builtins.compile", Code, At(0, "source"), "python"),
    sink("builtins.__import__", Code, At(0, "name"), "python"),
    sink("importlib.import_module", Code, At(0, "name"), "python"),
    // Path traversal.
    sink("builtins.open", Path, At(0, "file"), "python"),
    sink("io.open", Path, At(0, "file"), "python"),
    sink("os.remove", Path, At(0, "path"), "python"),
    sink("os.unlink", Path, At(0, "path"), "python"),
    sink("os.listdir", Path, At(0, "path"), "python"),
    sink("shutil.rmtree", Path, At(0, "path"), "python"),
    sink("shutil.copyfile", Path, All, "python"),
    sink("flask.send_file", Path, At(0, "path_or_file"), "flask"),
    sink("pathlib.Path().open", Path, Receiver, "python"),
    sink("pathlib.Path().read_text", Path, Receiver, "python"),
    sink("pathlib.Path().read_bytes", Path, Receiver, "python"),
    sink("pathlib.Path().write_text", Path, Receiver, "python"),
    sink("pathlib.Path().write_bytes", Path, Receiver, "python"),
    sink("pathlib.Path().unlink", Path, Receiver, "python"),
    sink("django.http.FileResponse", Path, At(0, ""), "django"),
    sink(
        "starlette.responses.FileResponse",
        Path,
        At(0, "path"),
        "starlette",
    ),
    sink(
        "fastapi.responses.FileResponse",
        Path,
        At(0, "path"),
        "fastapi",
    ),
    // Server-side request forgery: the URL of an outgoing request.
    sink("requests.get", Ssrf, At(0, "url"), "requests"),
    sink("requests.post", Ssrf, At(0, "url"), "requests"),
    sink("requests.put", Ssrf, At(0, "url"), "requests"),
    sink("requests.delete", Ssrf, At(0, "url"), "requests"),
    sink("requests.patch", Ssrf, At(0, "url"), "requests"),
    sink("requests.head", Ssrf, At(0, "url"), "requests"),
    sink("requests.request", Ssrf, At(1, "url"), "requests"),
    sink("urllib.request.urlopen", Ssrf, At(0, "url"), "python"),
    sink("urllib.request.Request", Ssrf, At(0, "url"), "python"),
    sink("httpx.get", Ssrf, At(0, "url"), "httpx"),
    sink("httpx.post", Ssrf, At(0, "url"), "httpx"),
    sink("httpx.AsyncClient().get", Ssrf, At(0, "url"), "httpx"),
    sink("httpx.Client().get", Ssrf, At(0, "url"), "httpx"),
    sink("aiohttp.ClientSession().get", Ssrf, At(0, "url"), "aiohttp"),
    sink(
        "aiohttp.ClientSession().post",
        Ssrf,
        At(0, "url"),
        "aiohttp",
    ),
    // Open redirect.
    sink("flask.redirect", Redirect, At(0, "location"), "flask"),
    sink(
        "werkzeug.utils.redirect",
        Redirect,
        At(0, "location"),
        "werkzeug",
    ),
    sink("django.shortcuts.redirect", Redirect, At(0, "to"), "django"),
    sink(
        "django.http.HttpResponseRedirect",
        Redirect,
        At(0, "redirect_to"),
        "django",
    ),
    sink(
        "django.http.HttpResponsePermanentRedirect",
        Redirect,
        At(0, "redirect_to"),
        "django",
    ),
    sink(
        "starlette.responses.RedirectResponse",
        Redirect,
        At(0, "url"),
        "starlette",
    ),
    sink(
        "fastapi.responses.RedirectResponse",
        Redirect,
        At(0, "url"),
        "fastapi",
    ),
    sink(
        "aiohttp.web.HTTPFound",
        Redirect,
        At(0, "location"),
        "aiohttp",
    ),
    // Insecure deserialisation.
    sink("pickle.loads", Deserialization, At(0, "data"), "python"),
    sink("pickle.load", Deserialization, At(0, "file"), "python"),
    sink("cPickle.loads", Deserialization, At(0, "data"), "python"),
    sink("_pickle.loads", Deserialization, At(0, "data"), "python"),
    sink("dill.loads", Deserialization, At(0, "str"), "dill"),
    sink("marshal.loads", Deserialization, At(0, "bytes"), "python"),
    sink("shelve.open", Deserialization, At(0, "filename"), "python"),
    sink(
        "jsonpickle.decode",
        Deserialization,
        At(0, "string"),
        "jsonpickle",
    ),
    sink_when(
        "yaml.load",
        Deserialization,
        At(0, "stream"),
        When::KeywordNotIn("Loader", &["yaml.SafeLoader", "yaml.CSafeLoader"]),
        "pyyaml",
    ),
    sink(
        "yaml.unsafe_load",
        Deserialization,
        At(0, "stream"),
        "pyyaml",
    ),
    sink("yaml.full_load", Deserialization, At(0, "stream"), "pyyaml"),
    // XXE: lxml's default parser resolves external entities; one passed in is the caller's
    // choice (`XMLParser(resolve_entities=False)`).
    sink_when(
        "lxml.etree.fromstring",
        Xxe,
        At(0, "text"),
        When::NoArgument(1, "parser"),
        "lxml",
    ),
    sink_when(
        "lxml.etree.XML",
        Xxe,
        At(0, "text"),
        When::NoArgument(1, "parser"),
        "lxml",
    ),
    sink_when(
        "lxml.etree.parse",
        Xxe,
        At(0, "source"),
        When::NoArgument(1, "parser"),
        "lxml",
    ),
    // XPath, LDAP and NoSQL queries.
    sink("*.xpath", Xpath, At(0, "_path"), "lxml"),
    sink("lxml.etree.XPath", Xpath, At(0, "path"), "lxml"),
    sink("*.search_s", Ldap, At(2, "filterstr"), "python-ldap"),
    sink("*.search_ext_s", Ldap, At(2, "filterstr"), "python-ldap"),
    sink(
        "ldap3.Connection()**.search",
        Ldap,
        At(1, "search_filter"),
        "ldap3",
    ),
    sink(
        "pymongo.MongoClient()**.find",
        Nosql,
        At(0, "filter"),
        "pymongo",
    ),
    sink(
        "pymongo.MongoClient()**.find_one",
        Nosql,
        At(0, "filter"),
        "pymongo",
    ),
    sink(
        "pymongo.MongoClient()**.delete_many",
        Nosql,
        At(0, "filter"),
        "pymongo",
    ),
    sink(
        "pymongo.MongoClient()**.update_one",
        Nosql,
        At(0, "filter"),
        "pymongo",
    ),
    sink(
        "pymongo.MongoClient()**.aggregate",
        Nosql,
        At(0, "pipeline"),
        "pymongo",
    ),
    sink(
        "flask_pymongo.PyMongo()**.find",
        Nosql,
        At(0, "filter"),
        "flask-pymongo",
    ),
    sink(
        "flask_pymongo.PyMongo()**.find_one",
        Nosql,
        At(0, "filter"),
        "flask-pymongo",
    ),
];

/// Functions whose result is safe for some classes.
pub static SANITIZERS: &[Sanitizer] = &[
    // Numbers and booleans carry no payload.
    sanitizer("builtins.int", EVERY_CLASS, "python"),
    sanitizer("builtins.float", EVERY_CLASS, "python"),
    sanitizer("builtins.bool", EVERY_CLASS, "python"),
    sanitizer("builtins.len", EVERY_CLASS, "python"),
    sanitizer("uuid.UUID", EVERY_CLASS, "python"),
    // HTML escaping: safe in HTML, not in a URL, a path or a shell.
    sanitizer("html.escape", classes(&[Xss]), "python"),
    sanitizer("markupsafe.escape", classes(&[Xss]), "markupsafe"),
    sanitizer("flask.escape", classes(&[Xss]), "flask"),
    sanitizer("cgi.escape", classes(&[Xss]), "python"),
    sanitizer("django.utils.html.escape", classes(&[Xss]), "django"),
    sanitizer("django.utils.html.format_html", classes(&[Xss]), "django"),
    sanitizer("bleach.clean", classes(&[Xss]), "bleach"),
    // Templates rendered from files escape their variables.
    sanitizer("flask.render_template", classes(&[Xss]), "flask"),
    sanitizer("django.shortcuts.render", classes(&[Xss]), "django"),
    sanitizer(
        "django.template.loader.render_to_string",
        classes(&[Xss]),
        "django",
    ),
    sanitizer("flask.jsonify", classes(&[Xss]), "flask"),
    sanitizer("json.dumps", classes(&[Xss, Sql, Command]), "python"),
    // A URL of this application's own routes.
    sanitizer("flask.url_for", classes(&[Redirect, Ssrf, Xss]), "flask"),
    sanitizer(
        "django.urls.reverse",
        classes(&[Redirect, Ssrf, Xss]),
        "django",
    ),
    // Shell quoting.
    sanitizer("shlex.quote", classes(&[Command]), "python"),
    sanitizer("pipes.quote", classes(&[Command]), "python"),
    // A file name without folders.
    sanitizer("os.path.basename", classes(&[Path]), "python"),
    sanitizer(
        "werkzeug.utils.secure_filename",
        classes(&[Path]),
        "werkzeug",
    ),
    // Escaping of query languages.
    sanitizer(
        "ldap.filter.escape_filter_chars",
        classes(&[Ldap]),
        "python-ldap",
    ),
    sanitizer(
        "ldap3.utils.conv.escape_filter_chars",
        classes(&[Ldap]),
        "ldap3",
    ),
    sanitizer("urllib.parse.quote", classes(&[Xss, Command]), "python"),
    sanitizer(
        "urllib.parse.quote_plus",
        classes(&[Xss, Command, Path]),
        "python",
    ),
    // Parsing as a literal does not run code.
    sanitizer("ast.literal_eval", classes(&[Code]), "python"),
];

/// Calls whose result is the same value, normalised (for the `startswith` validator).
pub static NORMALISERS: &[&str] = &[
    "os.path.realpath",
    "os.path.abspath",
    "os.path.normpath",
    "*.resolve",
    "*.absolute",
];

/// Tests that make the value they check safe in the branch where they hold.
pub static VALIDATORS: &[Validator] = &[
    Validator {
        pattern: "*.startswith",
        checks: Receiver,
        clears: classes(&[Path]),
        needs_normalised: true,
    },
    Validator {
        pattern: "*.is_relative_to",
        checks: Receiver,
        clears: classes(&[Path]),
        needs_normalised: true,
    },
    Validator {
        pattern: "*.isdigit",
        checks: Receiver,
        clears: EVERY_CLASS,
        needs_normalised: false,
    },
    Validator {
        pattern: "*.isnumeric",
        checks: Receiver,
        clears: EVERY_CLASS,
        needs_normalised: false,
    },
    Validator {
        pattern: "*.isalnum",
        checks: Receiver,
        clears: EVERY_CLASS,
        needs_normalised: false,
    },
    Validator {
        pattern: "re.fullmatch",
        checks: At(1, "string"),
        clears: EVERY_CLASS,
        needs_normalised: false,
    },
    Validator {
        pattern: "django.utils.http.url_has_allowed_host_and_scheme",
        checks: At(0, "url"),
        clears: classes(&[Redirect]),
        needs_normalised: false,
    },
    Validator {
        pattern: "django.utils.http.is_safe_url",
        checks: At(0, "url"),
        clears: classes(&[Redirect]),
        needs_normalised: false,
    },
];

/// Functions that never return (they raise or abort the request).
pub static NO_RETURN: &[&str] = &[
    "flask.abort",
    "werkzeug.exceptions.abort",
    "sys.exit",
    "builtins.exit",
    "os._exit",
];

/// Methods of strings and containers whose result is a number or a boolean, whatever the
/// receiver holds.
pub static CLEAN_METHODS: &[&str] = &[
    "startswith",
    "endswith",
    "isdigit",
    "isnumeric",
    "isalnum",
    "isalpha",
    "count",
    "find",
    "rfind",
    "index",
    "__len__",
    "is_relative_to",
    "exists",
    "is_file",
    "is_dir",
];

/// Whether `pattern` names `path`: the same path; `*.name` for a path ending in `.name` (or
/// `*.name()` for the call of one); `head**.tail` for a path that starts with `head` and ends
/// with `.tail` (a method of anything reached from `head`).
pub fn matches(pattern: &str, path: &str) -> bool {
    if let Some((head, tail)) = pattern.split_once("**") {
        return path.len() >= head.len() + tail.len()
            && path.starts_with(head)
            && path.ends_with(tail);
    }
    match pattern.strip_prefix("*.") {
        Some(tail) => path
            .strip_suffix(tail)
            .is_some_and(|head| head.ends_with('.')),
        None => pattern == path,
    }
}

pub fn source_at(path: &str) -> Option<(usize, &'static Source)> {
    SOURCES
        .iter()
        .enumerate()
        .find(|(_, source)| matches(source.pattern, path))
}

pub fn sinks(path: &str) -> impl Iterator<Item = &'static Sink> + '_ {
    SINKS.iter().filter(move |sink| matches(sink.pattern, path))
}

pub fn sanitizer_for(path: &str) -> Option<&'static Sanitizer> {
    SANITIZERS.iter().find(|s| matches(s.pattern, path))
}

pub fn validator(path: &str) -> Option<&'static Validator> {
    VALIDATORS.iter().find(|v| matches(v.pattern, path))
}

pub fn is_normaliser(path: &str) -> bool {
    NORMALISERS.iter().any(|pattern| matches(pattern, path))
}

pub fn never_returns(path: &str) -> bool {
    NO_RETURN.contains(&path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_whole_segments() {
        assert!(matches("*.execute", "sqlite3.connect().cursor().execute"));
        assert!(matches("*.execute", "cur.execute"));
        assert!(!matches("*.execute", "preexecute"));
        assert!(!matches("*.execute", "x.reexecute"));
        assert!(matches("flask.request.args", "flask.request.args"));
        assert!(!matches("flask.request.args", "flask.request.args.get"));
        assert!(matches("*.recv()", "socket.socket().recv()"));
        assert!(matches(
            "pymongo.MongoClient()**.find",
            "pymongo.MongoClient().shop.users.find"
        ));
        assert!(matches(
            "pymongo.MongoClient()**.find",
            "pymongo.MongoClient()[][].find"
        ));
        assert!(!matches("pymongo.MongoClient()**.find", "re.find"));
    }

    /// Every row is reachable: no two rows of a table share a pattern (the second would never
    /// be consulted), and each pattern is well formed.
    #[test]
    fn every_row_is_distinct_and_well_formed() {
        fn check(patterns: &[(&str, String)]) {
            let mut seen = std::collections::HashSet::new();
            for (pattern, key) in patterns {
                assert!(seen.insert(key.clone()), "duplicate row {key}");
                assert!(!pattern.is_empty() && !pattern.contains(' '), "{pattern}");
                assert!(
                    !pattern.starts_with('*') || pattern.starts_with("*."),
                    "{pattern}"
                );
            }
        }
        check(
            &SOURCES
                .iter()
                .map(|s| (s.pattern, s.pattern.to_owned()))
                .collect::<Vec<_>>(),
        );
        check(
            &SINKS
                .iter()
                .map(|s| (s.pattern, format!("{}{:?}", s.pattern, s.class)))
                .collect::<Vec<_>>(),
        );
        check(
            &SANITIZERS
                .iter()
                .map(|s| (s.pattern, s.pattern.to_owned()))
                .collect::<Vec<_>>(),
        );
    }
}
