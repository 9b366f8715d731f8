//! The analysis of one function: statements in order over an environment of abstract values,
//! branches decided by constant folding where they can be, both sides joined where they
//! cannot, loops until nothing new flows.

use std::collections::HashMap;
use std::sync::Arc;

use super::value::Items;
use super::*;
use crate::ir::*;
use crate::models::{self, Args, Class, EVERY_CLASS, Origin, SOURCES, When};

/// Work units (statements and expressions evaluated) per function before its summary is
/// marked incomplete and the rest of it skipped.
const BUDGET: u32 = 200_000;
/// Passes over a loop body before its environment is taken as settled.
const LOOP_PASSES: usize = 3;

type Env = HashMap<String, Value>;

/// How a function is reached from outside the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    /// A Flask route: what it returns is the response body, HTML unless said otherwise.
    Flask,
    /// A FastAPI route: its plain parameters are request data.
    FastApi,
}

pub(crate) struct Analyser<'c, 'p> {
    context: &'c Context<'p>,
    module: u32,
    function: u32,
    module_ir: &'p Module,
    env: Env,
    /// Module code binds globals: names are not looked up in the module's globals.
    is_globals: bool,
    summary: Summary,
    budget: u32,
    entry: Option<Entry>,
    /// The locals of the function this one is defined in, when it is nested.
    closure: Option<Arc<Env>>,
}

/// Paths that are the same object under another name.
const ALIASES: &[(&str, &str)] = &[
    ("fastapi.Request", "starlette.requests.Request"),
    ("fastapi.requests.Request", "starlette.requests.Request"),
    ("starlette.requests.Request", "starlette.requests.Request"),
    ("django.http.request.HttpRequest", "django.http.HttpRequest"),
    (
        "django.core.handlers.wsgi.WSGIRequest",
        "django.http.HttpRequest",
    ),
    ("rest_framework.request.Request", "django.http.HttpRequest"),
    ("aiohttp.web_request.Request", "aiohttp.web.Request"),
    ("flask.globals.request", "flask.request"),
    ("flask.helpers.redirect", "flask.redirect"),
    (
        "django.http.response.HttpResponse",
        "django.http.HttpResponse",
    ),
    (
        "fastapi.responses.HTMLResponse",
        "starlette.responses.HTMLResponse",
    ),
    ("markupsafe.Markup", "markupsafe.Markup"),
    ("pathlib.PurePath", "pathlib.Path"),
    ("pathlib.PosixPath", "pathlib.Path"),
];

fn canonical(path: String) -> String {
    for (alias, target) in ALIASES {
        if let Some(rest) = path.strip_prefix(alias)
            && (rest.is_empty() || rest.starts_with(['.', '(']))
        {
            return format!("{target}{rest}");
        }
    }
    path
}

/// Methods that put their arguments into the receiver.
const FILLING_METHODS: &[&str] = &[
    "append",
    "extend",
    "insert",
    "add",
    "update",
    "setdefault",
    "appendleft",
];

impl<'c, 'p> Analyser<'c, 'p> {
    fn new(context: &'c Context<'p>, module: u32, function: u32) -> Analyser<'c, 'p> {
        Analyser {
            context,
            module,
            function,
            module_ir: context.project.module(module),
            env: Env::new(),
            is_globals: false,
            summary: Summary::default(),
            budget: BUDGET,
            entry: None,
            closure: context.closure(FnId { module, function }),
        }
    }

    /// The top-level bindings of a module, its code run without following calls.
    pub fn module_globals(context: &'c Context<'p>, module: u32) -> Env {
        let mut analyser = Analyser::new(context, module, 0);
        analyser.is_globals = true;
        let body = &analyser.module_ir.functions[0].body;
        analyser.block(body);
        analyser.env
    }

    /// The summary of one function, recording the flows found on the way.
    pub fn function(context: &'c Context<'p>, id: FnId) -> Summary {
        let mut analyser = Analyser::new(context, id.module, id.function);
        let function = &analyser.module_ir.functions[id.function as usize];
        analyser.entry = analyser.entry_kind(function);
        analyser.bind_params(function);
        let terminated = analyser.block(&function.body);
        let mut summary = analyser.summary;
        summary.never_returns = terminated && id.function != 0 && !has_return(&function.body);
        summary
    }

    fn id(&self) -> FnId {
        FnId {
            module: self.module,
            function: self.function,
        }
    }

    fn step(&self, span: Span, message: impl Into<String>) -> Step {
        Step {
            path: self.module_ir.path.clone(),
            span,
            text: self.module_ir.text(span),
            message: message.into(),
        }
    }

    fn spend(&mut self) -> bool {
        if self.budget == 0 {
            self.summary.incomplete = true;
            return false;
        }
        self.budget -= 1;
        true
    }

    // ---- entry points and parameters ----

    /// How the function is reached from outside, from its decorators (which are recorded).
    fn entry_kind(&mut self, function: &'p Function) -> Option<Entry> {
        let mut entry = None;
        for decorator in &function.decorators {
            let (value, call) = match &decorator.kind {
                ExprKind::Call(callee, _) => {
                    self.eval(decorator);
                    (self.eval(callee), Some(decorator.span))
                }
                _ => (self.eval(decorator), None),
            };
            let Some(path) = value.path() else { continue };
            self.context.record_decorator(Decorator {
                function: self.id(),
                path: Arc::from(path),
                call,
            });
            if call.is_none() || entry.is_some() {
                continue;
            }
            let (object, method) = path.rsplit_once('.').unwrap_or(("", path));
            let web_method = matches!(
                method,
                "route" | "get" | "post" | "put" | "delete" | "patch" | "api_route"
            );
            if !web_method {
                continue;
            }
            entry = match object {
                "flask.Flask()" | "flask.Blueprint()" => Some(Entry::Flask),
                "fastapi.FastAPI()" | "fastapi.APIRouter()" => Some(Entry::FastApi),
                _ => None,
            };
        }
        entry
    }

    fn imports_from(&self, package: &str) -> bool {
        self.module_ir.imports.iter().any(|import| {
            import.module == package || import.module.starts_with(&format!("{package}."))
        })
    }

    fn bind_params(&mut self, function: &'p Function) {
        let is_method = function.class.is_some();
        for (index, param) in function.params.iter().enumerate() {
            let start = Start::Param(index as u16);
            let step = self.step(
                param.span,
                format!("parameter `{}` of `{}`", param.name, function.qualname),
            );
            let mut value = Value::tainted(Taint::one(Trace {
                start,
                chain: Chain::default().then(step),
                cleared: 0,
                normalised: false,
            }));
            if is_method && index == 0 {
                if let Some(class) = function.class {
                    value.refers = Some(Ref::Instance(ClassId {
                        module: self.module,
                        class: class as u32,
                    }));
                }
            } else {
                let kind = self.param_type(function, index, param);
                // Request, response and background-task objects are what FastAPI passes, not
                // request data.
                let framework_object = kind.as_deref().is_some_and(|kind| {
                    kind.starts_with("starlette.") || kind.starts_with("fastapi.")
                });
                if let Some(kind) = kind {
                    value.refers = Some(Ref::Path(Arc::from(format!("{kind}()"))));
                }
                if self.entry == Some(Entry::FastApi)
                    && !framework_object
                    && self.is_fastapi_input(param)
                {
                    let source = SOURCES
                        .iter()
                        .position(|s| s.pattern == "fastapi.<route-parameter>")
                        .unwrap_or(0) as u16;
                    let step = self.step(param.span, "request data (fastapi route parameter)");
                    value.taint.add(Trace {
                        start: Start::Source(source),
                        chain: Chain::default().then(step),
                        cleared: 0,
                        normalised: false,
                    });
                }
            }
            self.env.insert(param.name.clone(), value);
        }
    }

    /// The class of a parameter outside the project: from its annotation, or by convention
    /// for a view's or handler's `request`.
    fn param_type(
        &mut self,
        function: &Function,
        index: usize,
        param: &'p Param,
    ) -> Option<String> {
        if let Some(annotation) = &param.annotation {
            let value = self.eval(annotation);
            let path = value.path()?;
            return (!path.starts_with("builtins.")).then(|| path.to_owned());
        }
        let first = index == usize::from(function.class.is_some());
        if !(first && param.name == "request") {
            return None;
        }
        if self.imports_from("django") || self.imports_from("rest_framework") {
            Some("django.http.HttpRequest".into())
        } else if self.imports_from("aiohttp") {
            Some("aiohttp.web.Request".into())
        } else if self.imports_from("starlette") || self.imports_from("fastapi") {
            Some("starlette.requests.Request".into())
        } else {
            None
        }
    }

    fn is_fastapi_input(&mut self, param: &'p Param) -> bool {
        if let Some(default) = &param.default
            && let ExprKind::Call(callee, _) = &default.kind
        {
            let value = self.eval(callee);
            if value
                .path()
                .is_some_and(|path| path.ends_with("Depends") || path.ends_with("Security"))
            {
                return false;
            }
        }
        true
    }

    // ---- statements ----

    /// Runs a block; whether it always ends by returning or raising.
    fn block(&mut self, body: &'p [Stmt]) -> bool {
        for stmt in body {
            if !self.spend() {
                return false;
            }
            if self.statement(stmt) {
                return true;
            }
        }
        false
    }

    fn statement(&mut self, stmt: &'p Stmt) -> bool {
        match stmt {
            Stmt::Assign {
                targets,
                value,
                span,
            } => {
                let value = self.eval(value);
                for target in targets {
                    self.assign(target, value.clone(), *span);
                }
            }
            Stmt::AugAssign {
                target,
                op,
                value,
                span,
            } => {
                let current = self.eval(target);
                let operand = self.eval(value);
                let result = self.binary(*op, &current, &operand, value);
                self.assign(target, result, *span);
            }
            Stmt::Expr(expr) => {
                let value = self.eval(expr);
                if let ExprKind::Call(callee, _) = &expr.kind {
                    let callee = self.eval(callee);
                    if self.never_returns(&callee) {
                        return true;
                    }
                }
                drop(value);
            }
            Stmt::Return(value, span) => {
                let value = match value {
                    Some(value) => self.eval(value),
                    None => Value::constant(Const::None),
                };
                self.returned(value, *span);
                return true;
            }
            Stmt::Raise(value, _) => {
                if let Some(value) = value {
                    self.eval(value);
                }
                return true;
            }
            Stmt::If { test, then, orelse } => return self.branch(test, then, orelse),
            Stmt::Loop {
                target,
                iter,
                test,
                body,
                orelse,
            } => return self.repeat(target.as_ref(), iter.as_ref(), test.as_ref(), body, orelse),
            Stmt::Try {
                body,
                handlers,
                orelse,
                finally,
            } => {
                let before = self.env.clone();
                let body_ends = self.block(body);
                let body_ends = body_ends || self.block(orelse);
                let after_body = std::mem::take(&mut self.env);
                let mut ends = body_ends;
                let mut joined = if body_ends {
                    None
                } else {
                    Some(after_body.clone())
                };
                for handler in handlers {
                    // A handler may start anywhere in the body.
                    self.env = join_envs(&before, &after_body);
                    if let Some(name) = &handler.name {
                        self.env.insert(name.clone(), Value::default());
                    }
                    let handler_ends = self.block(&handler.body);
                    ends &= handler_ends;
                    if !handler_ends {
                        joined = Some(match joined {
                            Some(env) => join_envs(&env, &self.env),
                            None => self.env.clone(),
                        });
                    }
                }
                self.env = joined.unwrap_or(after_body);
                let finally_ends = self.block(finally);
                return ends || finally_ends;
            }
            Stmt::With { items, body } => {
                for (value, target) in items {
                    let value = self.eval(value);
                    if let Some(target) = target {
                        self.assign(target, value, target.span);
                    }
                }
                return self.block(body);
            }
            Stmt::Def(index) => {
                let function = &self.module_ir.functions[*index];
                let id = FnId {
                    module: self.module,
                    function: *index as u32,
                };
                self.env
                    .insert(function.name.clone(), Value::refers(Ref::Function(id)));
                // A function defined in a function sees its locals (an app factory's `app`).
                if self.function != 0 && !self.is_globals {
                    let mut closure = self.closure.as_deref().cloned().unwrap_or_default();
                    closure.extend(self.env.iter().map(|(k, v)| (k.clone(), v.clone())));
                    self.context.record_closure(id, Arc::new(closure));
                }
            }
            Stmt::Class(index) => {
                let class = &self.module_ir.classes[*index];
                let value = Value::refers(Ref::Class(ClassId {
                    module: self.module,
                    class: *index as u32,
                }));
                self.env.insert(class.name.clone(), value);
            }
            Stmt::Import(index) => {
                let import = &self.module_ir.imports[*index];
                let value = self.import_value(import);
                self.env.insert(import.binds.clone(), value);
            }
            Stmt::Global(_) => {}
            Stmt::Jump => return true,
        }
        false
    }

    fn returned(&mut self, value: Value, span: Span) {
        let step = self.step(span, "returned");
        if self.entry == Some(Entry::Flask) {
            self.flask_response(&value, span);
        }
        let mut returned = value.clone();
        returned.taint = value.whole().then(&step);
        returned.items = None;
        self.summary.returns = if self.summary.returns.taint.is_empty()
            && self.summary.returns.refers.is_none()
            && self.summary.returns.constant.is_none()
        {
            returned
        } else {
            self.summary.returns.join(&returned)
        };
    }

    /// What a Flask view returns is the response: a string is sent as HTML; a dict or list
    /// as JSON; a tuple's first element is the body.
    fn flask_response(&mut self, value: &Value, span: Span) {
        // A response object Flask built (a redirect, JSON, a file) is not a string sent as
        // HTML; one built from a string (`make_response`) was checked where it was built.
        if value
            .path()
            .is_some_and(|path| path.starts_with("flask.") || path.starts_with("werkzeug."))
        {
            return;
        }
        let body = match value.shape() {
            Some(Shape::Dict | Shape::Sequence) => return,
            Some(Shape::Tuple) => match value.item(&Key::Index(0)) {
                Some(body) => body.clone(),
                None => return,
            },
            None => value.clone(),
        };
        if matches!(body.shape(), Some(Shape::Dict | Shape::Sequence)) {
            return;
        }
        let step = self.step(span, "returned as the response body (text/html)");
        let shown = self.module_ir.text(span);
        for trace in body.whole().iter() {
            self.reached(trace, Class::Xss, step.clone(), &shown);
        }
    }

    fn branch(&mut self, test: &'p Expr, then: &'p [Stmt], orelse: &'p [Stmt]) -> bool {
        let decided = self.eval(test).constant.as_ref().and_then(truth);
        match decided {
            Some(true) => return self.block(then),
            Some(false) => return self.block(orelse),
            None => {}
        }
        let before = self.env.clone();
        self.refine(test, true);
        let then_ends = self.block(then);
        let after_then = std::mem::replace(&mut self.env, before);
        self.refine(test, false);
        let else_ends = self.block(orelse);
        match (then_ends, else_ends) {
            (true, true) => true,
            (true, false) => false,
            (false, true) => {
                self.env = after_then;
                false
            }
            (false, false) => {
                self.env = join_envs(&after_then, &self.env);
                false
            }
        }
    }

    fn repeat(
        &mut self,
        target: Option<&'p Expr>,
        iter: Option<&'p Expr>,
        test: Option<&'p Expr>,
        body: &'p [Stmt],
        orelse: &'p [Stmt],
    ) -> bool {
        let element = iter.map(|iter| {
            let value = self.eval(iter);
            element_of(&value)
        });
        if let Some(test) = test {
            let decided = self.eval(test).constant.as_ref().and_then(truth);
            if decided == Some(false) {
                return self.block(orelse);
            }
        }
        let entry = self.env.clone();
        let mut previous = entry.clone();
        for _ in 0..LOOP_PASSES {
            if let (Some(target), Some(element)) = (target, &element) {
                self.assign(target, element.clone(), target.span);
            }
            self.block(body);
            if let Some(test) = test {
                self.eval(test);
            }
            let joined = join_envs(&previous, &self.env);
            let settled = joined
                .iter()
                .all(|(name, value)| previous.get(name).is_some_and(|old| old.covers(value)));
            previous = joined;
            self.env = previous.clone();
            if settled {
                break;
            }
        }
        self.env = join_envs(&entry, &previous);
        self.block(orelse)
    }

    /// Narrows the environment to where `test` is `holds`: a validator's value is safe, a
    /// name equal to a constant is that constant.
    fn refine(&mut self, test: &'p Expr, holds: bool) {
        match &test.kind {
            ExprKind::Unary(UnaryOp::Not, inner) => self.refine(inner, !holds),
            ExprKind::Bool(BoolOp::And, parts) if holds => {
                parts.iter().for_each(|part| self.refine(part, true));
            }
            ExprKind::Bool(BoolOp::Or, parts) if !holds => {
                parts.iter().for_each(|part| self.refine(part, false));
            }
            ExprKind::Call(callee, args) if holds => {
                let (path, receiver) = match &callee.kind {
                    ExprKind::Attribute(object, name) => {
                        let value = self.eval(object);
                        (self.method_path(&value, name), Some(&**object))
                    }
                    _ => (self.eval(callee).path().map(str::to_owned), None),
                };
                let Some(validator) = path.as_deref().and_then(models::validator) else {
                    return;
                };
                let checked = match validator.checks {
                    Args::Receiver => receiver,
                    Args::At(index, name) => keyword(args, name).or(positional(args, index)),
                    Args::All => None,
                };
                if let Some(name) = checked.and_then(checked_name) {
                    self.clear_name(name, validator.clears, validator.needs_normalised);
                }
            }
            ExprKind::Compare(left, rest) if rest.len() == 1 => {
                let (op, right) = &rest[0];
                let Some(name) = checked_name(left) else {
                    return;
                };
                let allowed = (*op == CmpOp::In && holds) || (*op == CmpOp::NotIn && !holds);
                let equal = (*op == CmpOp::Eq && holds) || (*op == CmpOp::NotEq && !holds);
                let right = self.eval(right);
                if allowed && right.is_clean() {
                    self.clear_name(name, EVERY_CLASS, false);
                } else if equal && let Some(constant) = right.constant {
                    self.env.insert(name.to_owned(), Value::constant(constant));
                }
            }
            _ => {}
        }
    }

    fn clear_name(&mut self, name: &str, classes: Classes, needs_normalised: bool) {
        let Some(value) = self.lookup(name) else {
            return;
        };
        let mut value = value;
        value.taint = value.whole().map(|trace| {
            let mut trace = trace.clone();
            if !needs_normalised || trace.normalised {
                trace.cleared |= classes;
            }
            trace
        });
        value.items = None;
        self.env.insert(name.to_owned(), value);
    }

    fn never_returns(&self, callee: &Value) -> bool {
        match &callee.refers {
            Some(Ref::Path(path)) => models::never_returns(path),
            Some(Ref::Function(id)) => self
                .context
                .summary(*id)
                .is_some_and(|summary| summary.never_returns),
            _ => false,
        }
    }

    // ---- assignment ----

    fn assign(&mut self, target: &'p Expr, value: Value, span: Span) {
        match &target.kind {
            ExprKind::Name(name) => {
                let mut value = value;
                if !value.taint.is_empty() || value.items.is_some() {
                    let step = self.step(span, format!("assigned to `{name}`"));
                    value.taint = value.taint.then(&step);
                }
                self.env.insert(name.clone(), value);
            }
            ExprKind::Container(_, targets) => {
                let spread = targets
                    .iter()
                    .any(|t| matches!(t.kind, ExprKind::Starred(_)));
                for (index, target) in targets.iter().enumerate() {
                    let element = match (spread, value.item(&Key::Index(index as i64))) {
                        (false, Some(element)) => {
                            let mut element = element.clone();
                            element.taint.merge(&value.taint);
                            element
                        }
                        _ => element_of(&value),
                    };
                    self.assign(target, element, span);
                }
            }
            ExprKind::Starred(inner) => self.assign(inner, value, span),
            ExprKind::Attribute(object, attribute) => {
                let object_value = self.eval(object);
                self.session_write(&object_value, &value, target);
                if let Some(name) = checked_name(object) {
                    let mut holder = self.lookup(name).unwrap_or_default();
                    holder.set_item(Some(Key::Attribute(Arc::from(attribute.as_str()))), value);
                    self.env.insert(name.to_owned(), holder);
                }
            }
            ExprKind::Subscript(object, index) => {
                let object_value = self.eval(object);
                let key = self.eval(index).constant.and_then(key_of);
                self.session_write(&object_value, &value, target);
                if let Some(name) = checked_name(object) {
                    let mut holder = self.lookup(name).unwrap_or_default();
                    holder.set_item(key, value);
                    self.env.insert(name.to_owned(), holder);
                }
            }
            _ => {}
        }
    }

    /// Untrusted data written into the session crosses a trust boundary.
    fn session_write(&mut self, holder: &Value, value: &Value, target: &Expr) {
        let is_session = holder.path().is_some_and(|path| {
            matches!(
                path,
                "flask.session"
                    | "django.http.HttpRequest().session"
                    | "starlette.requests.Request().session"
            )
        });
        if !is_session {
            return;
        }
        let step = self.step(target.span, "stored in the session");
        for trace in value.whole().iter() {
            self.reached(trace, Class::TrustBoundary, step.clone(), "session");
        }
    }

    // ---- expressions ----

    fn lookup(&self, name: &str) -> Option<Value> {
        if let Some(value) = self.env.get(name) {
            return Some(value.clone());
        }
        if let Some(value) = self.closure.as_ref().and_then(|closure| closure.get(name)) {
            return Some(value.clone());
        }
        if !self.is_globals
            && let Some(globals) = self.context.globals(self.module)
            && let Some(value) = globals.get(name)
        {
            return Some(value.clone());
        }
        None
    }

    fn name(&self, name: &str) -> Value {
        self.lookup(name)
            .or_else(|| self.static_global(self.module, name))
            .unwrap_or_else(|| Value::refers(Ref::Path(Arc::from(format!("builtins.{name}")))))
    }

    /// A module's top-level function, class or import of that name, without running it.
    fn static_global(&self, module: u32, name: &str) -> Option<Value> {
        let module_ir = self.context.project.module(module);
        Some(match self.context.project.static_binding(module, name)? {
            Stmt::Def(index) => Value::refers(Ref::Function(FnId {
                module,
                function: *index as u32,
            })),
            Stmt::Class(index) => Value::refers(Ref::Class(ClassId {
                module,
                class: *index as u32,
            })),
            Stmt::Import(index) => {
                let import = &module_ir.imports[*index];
                let base = self.context.project.import_base(import, module);
                let dotted = match &import.name {
                    Some(name) => format!("{base}.{name}"),
                    None => base,
                };
                Value::refers(Ref::Path(Arc::from(canonical(dotted))))
            }
            _ => return None,
        })
    }

    fn import_value(&self, import: &Import) -> Value {
        let project = self.context.project;
        let base = project.import_base(import, self.module);
        let Some(name) = &import.name else {
            return match project.module_named(&base, self.module) {
                Some(module) => Value::refers(Ref::Module(module)),
                None => Value::refers(Ref::Path(Arc::from(canonical(base)))),
            };
        };
        let full = format!("{base}.{name}");
        if let Some(module) = project.module_named(&full, self.module) {
            return Value::refers(Ref::Module(module));
        }
        if let Some(module) = project.module_named(&base, self.module) {
            return self.member(module, name);
        }
        Value::refers(Ref::Path(Arc::from(canonical(full))))
    }

    /// `name` of a project module.
    fn member(&self, module: u32, name: &str) -> Value {
        if let Some(globals) = self.context.globals(module)
            && let Some(value) = globals.get(name)
        {
            return value.clone();
        }
        self.static_global(module, name).unwrap_or_default()
    }

    fn eval(&mut self, expr: &'p Expr) -> Value {
        if !self.spend() {
            return Value::default();
        }
        match &expr.kind {
            ExprKind::Name(name) => self.name(name),
            ExprKind::Const(constant) => Value::constant(constant.clone()),
            ExprKind::Attribute(object, attribute) => {
                let object = self.eval(object);
                self.attribute(&object, attribute, expr)
            }
            ExprKind::Subscript(object, index) => {
                let object = self.eval(object);
                if let ExprKind::Slice(parts) = &index.kind {
                    for part in parts {
                        self.eval(part);
                    }
                    let mut value = Value::tainted(object.whole());
                    value.constant = None;
                    return value;
                }
                let key = self.eval(index);
                let mut value = match key.constant.clone().and_then(key_of) {
                    Some(key) if object.items.is_some() => {
                        let mut value = object.item(&key).cloned().unwrap_or_else(|| {
                            Value::tainted(
                                object
                                    .items
                                    .as_ref()
                                    .map_or_else(Taint::default, |items| items.rest.clone()),
                            )
                        });
                        value.taint.merge(&object.taint);
                        value
                    }
                    _ => Value::tainted(object.whole()),
                };
                if let Some(path) = object.path() {
                    value.refers = Some(Ref::Path(Arc::from(format!("{path}[]"))));
                }
                value
            }
            ExprKind::Slice(parts) => {
                for part in parts {
                    self.eval(part);
                }
                Value::default()
            }
            ExprKind::Call(callee, args) => self.call(expr, callee, args),
            ExprKind::Binary(op, left, right) => {
                let left_value = self.eval(left);
                let right_value = self.eval(right);
                let mut value = self.binary(*op, &left_value, &right_value, right);
                if *op == BinOp::Add
                    && let Some(Const::Str(prefix)) = &left_value.constant
                {
                    value.taint = value.taint.clear(prefix_clears(prefix));
                }
                if *op == BinOp::Div
                    && left_value
                        .path()
                        .is_some_and(|path| path.starts_with("pathlib.Path"))
                {
                    value.refers = Some(Ref::Path(Arc::from("pathlib.Path()")));
                }
                value
            }
            ExprKind::Unary(op, operand) => {
                let value = self.eval(operand);
                let constant = value.constant.as_ref().and_then(|c| fold_unary(*op, c));
                match op {
                    UnaryOp::Not => Value {
                        constant,
                        ..Value::default()
                    },
                    _ => Value {
                        constant,
                        taint: value.whole(),
                        ..Value::default()
                    },
                }
            }
            ExprKind::Compare(left, rest) => {
                let mut current = self.eval(left);
                let mut result = Some(true);
                for (op, right) in rest {
                    let right = self.eval(right);
                    let folded = match (&current.constant, &right.constant) {
                        (Some(a), Some(b)) => compare(*op, a, b),
                        _ => None,
                    };
                    result = match (result, folded) {
                        (Some(false), _) => Some(false),
                        (Some(true), folded) => folded,
                        (None, Some(false)) => Some(false),
                        (None, _) => None,
                    };
                    current = right;
                }
                Value {
                    constant: result.map(Const::Bool),
                    ..Value::default()
                }
            }
            ExprKind::Bool(op, parts) => {
                // `a or b` is one of them; a decided operand decides what follows.
                let mut joined: Option<Value> = None;
                for part in parts {
                    let value = self.eval(part);
                    let decided = value.constant.as_ref().and_then(truth);
                    let stops = match op {
                        BoolOp::And => decided == Some(false),
                        BoolOp::Or => decided == Some(true),
                    };
                    let skips = match op {
                        BoolOp::And => decided == Some(true),
                        BoolOp::Or => decided == Some(false),
                    };
                    if stops {
                        return match joined {
                            Some(joined) if !joined.taint.is_empty() => joined.join(&value),
                            _ => value,
                        };
                    }
                    if skips && !std::ptr::eq(part, parts.last().expect("a part")) {
                        continue;
                    }
                    joined = Some(match joined {
                        Some(joined) => joined.join(&value),
                        None => value,
                    });
                }
                joined.unwrap_or_default()
            }
            ExprKind::Format(parts) => {
                let mut taint = Taint::default();
                let mut text = Some(String::new());
                let mut leading: Option<Arc<str>> = None;
                for (index, part) in parts.iter().enumerate() {
                    let value = self.eval(part);
                    if index == 0
                        && let Some(Const::Str(prefix)) = &value.constant
                    {
                        leading = Some(prefix.clone());
                    }
                    match (&mut text, &value.constant) {
                        (Some(text), Some(Const::Str(piece))) => text.push_str(piece),
                        (Some(text), Some(Const::Int(number))) => {
                            text.push_str(&number.to_string())
                        }
                        _ => text = None,
                    }
                    taint.merge(&value.whole());
                }
                if let Some(prefix) = leading {
                    taint = taint.clear(prefix_clears(&prefix));
                }
                Value {
                    taint,
                    constant: text.map(|text| Const::Str(Arc::from(text))),
                    ..Value::default()
                }
            }
            ExprKind::Container(kind, elements) => {
                let mut value = Value::default();
                let mut spread = false;
                let mut items = Items {
                    shape: Some(match kind {
                        ContainerKind::Tuple => Shape::Tuple,
                        _ => Shape::Sequence,
                    }),
                    ..Items::default()
                };
                value.items = Some(Arc::new(std::mem::take(&mut items)));
                for (index, element) in elements.iter().enumerate() {
                    let element_value = self.eval(element);
                    if let ExprKind::Starred(_) = element.kind {
                        spread = true;
                    }
                    let key = match (spread, kind) {
                        (false, ContainerKind::List | ContainerKind::Tuple) => {
                            Some(Key::Index(index as i64))
                        }
                        _ => None,
                    };
                    value.set_item(key, element_value);
                }
                value
            }
            ExprKind::Dict(pairs) => {
                let mut value = Value {
                    items: Some(Arc::new(Items {
                        shape: Some(Shape::Dict),
                        ..Items::default()
                    })),
                    ..Value::default()
                };
                for (key, element) in pairs {
                    let element_value = self.eval(element);
                    match key {
                        Some(key) => {
                            let key_value = self.eval(key);
                            let key = key_value.constant.clone().and_then(key_of);
                            value.set_item(key, element_value);
                            // A key from a source taints what reads the keys.
                            if !key_value.whole().is_empty() {
                                value.set_item(None, key_value);
                            }
                        }
                        None => value.set_item(None, element_value),
                    }
                }
                value
            }
            ExprKind::Conditional { test, then, orelse } => {
                let decided = self.eval(test).constant.as_ref().and_then(truth);
                match decided {
                    Some(true) => self.eval(then),
                    Some(false) => self.eval(orelse),
                    None => {
                        let then = self.eval(then);
                        let orelse = self.eval(orelse);
                        then.join(&orelse)
                    }
                }
            }
            ExprKind::Lambda(index) => Value::refers(Ref::Function(FnId {
                module: self.module,
                function: *index as u32,
            })),
            ExprKind::Comprehension(element, generators) => {
                let saved: Vec<(String, Option<Value>)> = generators
                    .iter()
                    .flat_map(|(target, _)| bound_names(target))
                    .map(|name| (name.to_owned(), self.env.get(name).cloned()))
                    .collect();
                for (target, iter) in generators {
                    let iterated = self.eval(iter);
                    let element = element_of(&iterated);
                    self.assign(target, element, target.span);
                }
                let element = self.eval(element);
                // Comprehension variables do not leak out.
                for (name, old) in saved {
                    match old {
                        Some(old) => self.env.insert(name, old),
                        None => self.env.remove(&name),
                    };
                }
                let mut value = Value::default();
                value.set_item(None, element);
                value
            }
            ExprKind::Await(inner) => self.eval(inner),
            ExprKind::Starred(inner) => self.eval(inner),
            ExprKind::Walrus(target, value) => {
                let value = self.eval(value);
                self.assign(target, value.clone(), expr.span);
                value
            }
            ExprKind::Other(parts) => {
                let mut taint = Taint::default();
                for part in parts {
                    taint.merge(&self.eval(part).whole());
                }
                Value::tainted(taint)
            }
        }
    }

    fn binary(&mut self, op: BinOp, left: &Value, right: &Value, _right_expr: &Expr) -> Value {
        let constant = match (&left.constant, &right.constant) {
            (Some(a), Some(b)) => fold_binary(op, a, b),
            _ => None,
        };
        let mut taint = left.whole();
        taint.merge(&right.whole());
        let mut value = Value {
            taint,
            constant,
            ..Value::default()
        };
        // `[a] + [b]`: a list whose elements are not tracked one by one.
        if left.items.is_some() || right.items.is_some() {
            value.items = Some(Arc::new(Items {
                rest: value.taint.clone(),
                shape: left.shape().or(right.shape()),
                ..Items::default()
            }));
            value.taint = Taint::default();
        }
        value
    }

    /// The path of `object.name` when object is external or untyped (`?.name`).
    fn method_path(&self, object: &Value, name: &str) -> Option<String> {
        match &object.refers {
            Some(Ref::Path(path)) => Some(canonical(format!("{path}.{name}"))),
            None => Some(format!("?.{name}")),
            _ => None,
        }
    }

    fn attribute(&mut self, object: &Value, attribute: &str, expr: &Expr) -> Value {
        if let Some(field) = object.item(&Key::Attribute(Arc::from(attribute))) {
            return field.clone();
        }
        // An attribute of something untyped keeps its name (`?.objects`), so that the path of
        // `Product.objects.raw` still ends in `objects.raw`.
        let unknown = |taint: Taint| Value {
            taint,
            refers: Some(Ref::Path(Arc::from(format!("?.{attribute}")))),
            ..Value::default()
        };
        let mut value = match &object.refers {
            Some(Ref::Module(module)) => return self.member(*module, attribute),
            Some(Ref::Class(class)) => match self.method_of(*class, attribute) {
                Some(method) => return Value::refers(Ref::Function(method)),
                None => unknown(Taint::default()),
            },
            Some(Ref::Instance(class)) => match self.method_of(*class, attribute) {
                Some(method) => {
                    let mut value = Value::refers(Ref::Method(method, *class));
                    value.taint = object.taint.clone();
                    return value;
                }
                None => unknown(object.taint.clone()),
            },
            Some(Ref::Path(path)) => {
                let path = canonical(format!("{path}.{attribute}"));
                let mut value = Value::tainted(object.whole());
                value.refers = Some(Ref::Path(Arc::from(path)));
                value
            }
            _ => unknown(object.whole()),
        };
        if let Some(path) = value.path().map(str::to_owned) {
            self.source(&path, expr, &mut value);
        }
        value
    }

    /// Adds the source `path` names, if it is one, to `value`.
    fn source(&self, path: &str, expr: &Expr, value: &mut Value) {
        if let Some((index, source)) = models::source_at(path) {
            if source.origin == Origin::Environment && !self.context.options.local_sources {
                return;
            }
            let origin = match source.origin {
                Origin::Request => "request data",
                Origin::Environment => "process input",
                Origin::External => "data from a socket",
            };
            let step = self.step(expr.span, format!("{origin} ({})", source.library));
            value.taint.add(Trace {
                start: Start::Source(index as u16),
                chain: Chain::default().then(step),
                cleared: 0,
                normalised: false,
            });
        }
    }

    /// A method of a project class or of its project bases.
    fn method_of(&self, class: ClassId, name: &str) -> Option<FnId> {
        let project = self.context.project;
        let mut current = Some(class);
        let mut seen = 0;
        while let Some(class) = current {
            seen += 1;
            if seen > 16 {
                return None;
            }
            let module = project.module(class.module);
            let class_ir = &module.classes[class.class as usize];
            if let Some(&method) = class_ir
                .methods
                .iter()
                .find(|&&m| module.functions[m].name == name)
            {
                return Some(FnId {
                    module: class.module,
                    function: method as u32,
                });
            }
            current = class_ir.bases.first().and_then(|base| {
                let dotted = base.dotted()?;
                let analyser = Analyser::new(self.context, class.module, 0);
                match analyser.lookup_dotted(&dotted)?.refers {
                    Some(Ref::Class(base)) => Some(base),
                    _ => None,
                }
            });
        }
        None
    }

    fn lookup_dotted(&self, dotted: &str) -> Option<Value> {
        let mut parts = dotted.split('.');
        let mut value = self.name(parts.next()?);
        for part in parts {
            value = match value.refers {
                Some(Ref::Module(module)) => self.member(module, part),
                _ => return None,
            };
        }
        Some(value)
    }

    fn call(&mut self, expr: &'p Expr, callee_expr: &'p Expr, args: &'p [Arg]) -> Value {
        let (callee, receiver) = match &callee_expr.kind {
            ExprKind::Attribute(object, name) => {
                let object_value = self.eval(object);
                let callee = self.attribute(&object_value, name, callee_expr);
                (callee, Some((object_value, name.as_str(), &**object)))
            }
            _ => (self.eval(callee_expr), None),
        };
        let values: Vec<Value> = args.iter().map(|arg| self.eval(&arg.value)).collect();
        let path = match (&callee.refers, &receiver) {
            (Some(Ref::Path(path)), _) => Some(path.to_string()),
            (None, Some((object, name, _))) => self.method_path(object, name),
            _ => None,
        };
        if let Some(path) = &path {
            self.context.record_call(CallSite {
                function: self.id(),
                span: expr.span,
                path: Arc::from(path.as_str()),
                args: args
                    .iter()
                    .zip(&values)
                    .map(|(arg, value)| ArgFact {
                        keyword: arg.name.clone(),
                        constant: value.constant.clone(),
                        path: value.path().map(Arc::from),
                        texts: constant_texts(value),
                        span: arg.value.span,
                    })
                    .collect(),
            });
        }
        // What a sink made of the data was reported there: the same data is not reported
        // again where the sink's result goes (`text(sql)` then `execute`, `Markup(x)` then
        // the response).
        let reported = match &path {
            Some(path) => self.sinks(path, expr, args, &values, receiver.as_ref().map(|r| &r.0)),
            None => 0,
        };
        let mut result = self.call_result(expr, callee, receiver, args, &values, path);
        result.taint = result.taint.clear(reported);
        result
    }

    fn call_result(
        &mut self,
        expr: &'p Expr,
        callee: Value,
        receiver: Option<(Value, &'p str, &'p Expr)>,
        args: &'p [Arg],
        values: &[Value],
        path: Option<String>,
    ) -> Value {
        match callee.refers.clone() {
            Some(Ref::Function(id)) => {
                if let Some(result) = self.apply(id, None, args, values, expr) {
                    return result;
                }
            }
            Some(Ref::Method(id, _)) => {
                let receiver = receiver.as_ref().map(|r| r.0.clone());
                if let Some(result) = self.apply(id, receiver, args, values, expr) {
                    return result;
                }
            }
            Some(Ref::Class(class)) => {
                let mut instance = Value::refers(Ref::Instance(class));
                if let Some(init) = self.method_of(class, "__init__") {
                    self.apply(init, Some(instance.clone()), args, values, expr);
                }
                for value in values {
                    instance.taint.merge(&value.whole());
                }
                return instance;
            }
            _ => {}
        }
        let Some(path) = path else {
            return self.unknown_call(&callee, receiver.as_ref().map(|r| &r.0), values);
        };
        self.external_call(&path, expr, args, values, receiver)
    }

    fn external_call(
        &mut self,
        path: &str,
        expr: &'p Expr,
        args: &'p [Arg],
        values: &[Value],
        receiver: Option<(Value, &str, &'p Expr)>,
    ) -> Value {
        let method = path.rsplit('.').next().unwrap_or(path);
        let receiver_value = receiver.as_ref().map(|r| &r.0);
        let called = format!("{path}()");
        let mut result = if let Some(sanitizer) = models::sanitizer_for(path) {
            let mut taint = Taint::default();
            for value in values.iter().chain(receiver_value) {
                taint.merge(&value.whole());
            }
            Value::tainted(taint.clear(sanitizer.clears))
        } else if models::CLEAN_METHODS.contains(&method) && receiver.is_some() {
            Value::default()
        } else if let (Some(receiver), "get" | "pop") = (receiver_value, method)
            && receiver.items.is_some()
            && let Some(key) = values
                .first()
                .and_then(|v| v.constant.clone())
                .and_then(key_of)
        {
            // `d.get("k")` of a dict whose elements are known.
            let mut value = receiver.item(&key).cloned().unwrap_or_else(|| {
                Value::tainted(
                    receiver
                        .items
                        .as_ref()
                        .map_or_else(Taint::default, |i| i.rest.clone()),
                )
            });
            value.taint.merge(&receiver.taint);
            if let Some(default) = values.get(1) {
                value = value.join(default);
            }
            value
        } else {
            let mut value = self.unknown_call(&Value::default(), receiver_value, values);
            if models::is_normaliser(path) {
                value.taint = value.taint.map(|trace| Trace {
                    normalised: true,
                    ..trace.clone()
                });
            }
            value
        };
        // `list.append(x)` and the like put x into the list.
        if FILLING_METHODS.contains(&method)
            && let Some((_, _, object)) = &receiver
            && let Some(name) = checked_name(object)
            && let Some(mut holder) = self.lookup(name)
            && (holder.items.is_some() || holder.refers.is_none())
        {
            for value in values {
                holder.set_item(None, value.clone());
            }
            self.env.insert(name.to_owned(), holder);
        }
        if result.refers.is_none() {
            result.refers = Some(Ref::Path(Arc::from(canonical(called.clone()))));
        }
        self.source(&canonical(called), expr, &mut result);
        let _ = args;
        result
    }

    /// A call the analysis knows nothing of: its result may hold anything its receiver and
    /// arguments hold.
    fn unknown_call(&self, callee: &Value, receiver: Option<&Value>, values: &[Value]) -> Value {
        let mut taint = callee.taint.clone();
        for value in values.iter().chain(receiver) {
            taint.merge(&value.whole());
        }
        Value::tainted(taint)
    }

    /// Reports the arguments of a sink call that carry untrusted data; the classes reported.
    fn sinks(
        &mut self,
        path: &str,
        expr: &Expr,
        args: &[Arg],
        values: &[Value],
        receiver: Option<&Value>,
    ) -> Classes {
        let mut reported = 0;
        for sink in models::sinks(path) {
            let applies = match sink.when {
                When::Always => true,
                When::Keyword(name) => args.iter().zip(values).any(|(arg, value)| {
                    arg.is_keyword(name)
                        && !matches!(
                            value.constant,
                            Some(Const::Bool(false) | Const::None | Const::Int(0))
                        )
                }),
                When::KeywordNotIn(name, safe) => {
                    let given = args
                        .iter()
                        .zip(values)
                        .find(|(arg, _)| arg.is_keyword(name))
                        .or_else(|| args.iter().zip(values).nth(1));
                    match given {
                        Some((arg, value)) => {
                            let named = value.path().map(str::to_owned).or(arg.value.dotted());
                            !named.is_some_and(|named| {
                                safe.iter().any(|safe| {
                                    named == *safe
                                        || named.ends_with(safe.rsplit('.').next().unwrap_or(safe))
                                })
                            })
                        }
                        None => true,
                    }
                }
                When::NoArgument(index, name) => {
                    keyword(args, name).is_none() && positional(args, index).is_none()
                }
            };
            if !applies {
                continue;
            }
            let taint = match sink.args {
                Args::At(index, name) => {
                    let by_name = args
                        .iter()
                        .zip(values)
                        .find(|(arg, _)| !name.is_empty() && arg.is_keyword(name));
                    let by_position = args
                        .iter()
                        .zip(values)
                        .filter(|(arg, _)| arg.kind == ArgKind::Positional)
                        .nth(index);
                    let spread = args
                        .iter()
                        .zip(values)
                        .filter(|(arg, _)| arg.kind == ArgKind::Spread);
                    let mut taint = Taint::default();
                    for (_, value) in by_name.or(by_position).into_iter().chain(spread) {
                        taint.merge(&value.whole());
                    }
                    taint
                }
                Args::All => {
                    let mut taint = Taint::default();
                    values.iter().for_each(|v| taint.merge(&v.whole()));
                    taint
                }
                Args::Receiver => receiver.map_or_else(Taint::default, Value::whole),
            };
            if taint.is_empty() {
                continue;
            }
            let shown = match &expr.kind {
                ExprKind::Call(callee, _) => self.module_ir.text(callee.span),
                _ => shown_callee(path),
            };
            let step = self.step(
                expr.span,
                format!("reaches {} (`{shown}`)", sink.class.describe()),
            );
            for trace in taint.iter() {
                self.reached(trace, sink.class, step.clone(), &shown);
            }
            reported |= sink.class.bit();
        }
        reported
    }

    /// A trace reaching a sink of `class`: a flow when it began at a source, part of the
    /// summary when it began at a parameter.
    fn reached(&mut self, trace: &Trace, class: Class, sink_step: Step, sink: &str) {
        if !trace.is_dangerous_for(class) {
            return;
        }
        let chain = trace.chain.then(sink_step);
        self.reached_with(trace.start, chain, trace.cleared, class, sink);
    }

    fn reached_with(
        &mut self,
        start: Start,
        chain: Chain,
        cleared: Classes,
        class: Class,
        sink: &str,
    ) {
        match start {
            Start::Source(index) => self.context.record(Flow {
                class,
                function: self.id(),
                source: &SOURCES[index as usize],
                steps: chain.steps(),
                sink: sink.to_owned(),
            }),
            Start::Param(param) => {
                let steps = chain.steps();
                let sink_at = steps.last().map(|s| s.span);
                let known = self.summary.sinks.iter().any(|existing| {
                    existing.param == param
                        && existing.class == class
                        && existing.cleared == cleared
                        && existing.steps.last().map(|s| s.span) == sink_at
                });
                if !known && self.summary.sinks.len() < 64 {
                    self.summary.sinks.push(ParamSink {
                        param,
                        class,
                        cleared,
                        steps,
                        sink: sink.to_owned(),
                    });
                }
            }
        }
    }

    /// Applies the summary of a project function to a call's arguments; `None` when the
    /// summary is not available (recursion), and the call is then treated as unknown.
    fn apply(
        &mut self,
        id: FnId,
        bound_self: Option<Value>,
        args: &[Arg],
        values: &[Value],
        expr: &Expr,
    ) -> Option<Value> {
        let summary = self.context.summary(id)?;
        let function = &self.context.project.module(id.module).functions[id.function as usize];
        let bound = bind(function, bound_self, args, values);
        let call_step = self.step(expr.span, format!("passed to `{}`", function.qualname));
        for param_sink in &summary.sinks {
            let Some(Some(argument)) = bound.get(param_sink.param as usize) else {
                continue;
            };
            for trace in argument.whole().iter() {
                let cleared = trace.cleared | param_sink.cleared;
                if cleared & param_sink.class.bit() != 0 {
                    continue;
                }
                let chain = trace
                    .chain
                    .then(call_step.clone())
                    .followed_by(&param_sink.steps);
                self.reached_with(
                    trace.start,
                    chain,
                    cleared,
                    param_sink.class,
                    &param_sink.sink,
                );
            }
        }
        let returns = &summary.returns;
        let mut result = Value {
            constant: returns.constant.clone(),
            refers: returns.refers.clone(),
            ..Value::default()
        };
        for trace in returns.taint.iter() {
            match trace.start {
                Start::Source(_) => result.taint.add(trace.clone()),
                Start::Param(param) => {
                    let Some(Some(argument)) = bound.get(param as usize) else {
                        continue;
                    };
                    let inside = trace.chain.steps();
                    for passed in argument.whole().iter() {
                        result.taint.add(Trace {
                            start: passed.start,
                            chain: passed.chain.then(call_step.clone()).followed_by(&inside),
                            cleared: passed.cleared | trace.cleared,
                            normalised: trace.normalised,
                        });
                    }
                }
            }
        }
        Some(result)
    }
}

/// The argument each parameter receives (`self` first for a bound method).
fn bind(
    function: &Function,
    bound_self: Option<Value>,
    args: &[Arg],
    values: &[Value],
) -> Vec<Option<Value>> {
    let mut bound: Vec<Option<Value>> = vec![None; function.params.len()];
    let mut next = 0;
    if let Some(receiver) = bound_self {
        if let Some(slot) = bound.first_mut() {
            *slot = Some(receiver);
        }
        next = 1;
    }
    let rest = function
        .params
        .iter()
        .position(|p| p.kind == ParamKind::Rest);
    let keywords = function
        .params
        .iter()
        .position(|p| p.kind == ParamKind::Keywords);
    for (arg, value) in args.iter().zip(values) {
        match arg.kind {
            ArgKind::Positional => {
                let positional = next < function.params.len()
                    && function.params[next].kind == ParamKind::Positional
                    && rest.is_none_or(|rest| next < rest);
                if positional {
                    bound[next] = Some(value.clone());
                    next += 1;
                } else if let Some(rest) = rest {
                    join_into(&mut bound[rest], value);
                }
            }
            ArgKind::Keyword => {
                let name = arg.name.as_deref().unwrap_or("");
                match function.params.iter().position(|p| p.name == name) {
                    Some(index) => bound[index] = Some(value.clone()),
                    None => {
                        if let Some(keywords) = keywords {
                            join_into(&mut bound[keywords], value);
                        }
                    }
                }
            }
            // Spread arguments may fill any parameter from here on.
            ArgKind::Spread | ArgKind::SpreadKeywords => {
                let element = element_of(value);
                for slot in bound.iter_mut().skip(next) {
                    join_into(slot, &element);
                }
            }
        }
    }
    bound
}

fn join_into(slot: &mut Option<Value>, value: &Value) {
    *slot = Some(match slot.take() {
        Some(existing) => existing.join(value),
        None => value.clone(),
    });
}

fn has_return(body: &[Stmt]) -> bool {
    let mut found = false;
    walk_stmts(body, &mut |stmt| {
        if matches!(stmt, Stmt::Return(..)) {
            found = true;
        }
    });
    found
}

fn join_envs(a: &Env, b: &Env) -> Env {
    let mut joined = a.clone();
    for (name, value) in b {
        match joined.get_mut(name) {
            Some(existing) => *existing = existing.join(value),
            None => {
                joined.insert(name.clone(), value.clone());
            }
        }
    }
    joined
}

/// What iterating over a value gives.
fn element_of(value: &Value) -> Value {
    let mut element = Value::tainted(value.whole());
    element.constant = None;
    element
}

/// The constant strings a value is or holds.
fn constant_texts(value: &Value) -> Vec<Arc<str>> {
    let mut texts = Vec::new();
    if let Some(Const::Str(text)) = &value.constant {
        texts.push(text.clone());
    }
    if let Some(items) = &value.items {
        for (_, item) in &items.known {
            if let Some(Const::Str(text)) = &item.constant {
                texts.push(text.clone());
            }
        }
    }
    texts
}

/// The name a validator checks: `x`, or `x` in `str(x)`.
fn checked_name(expr: &Expr) -> Option<&str> {
    match &expr.kind {
        ExprKind::Name(name) => Some(name),
        ExprKind::Call(callee, args)
            if args.len() == 1 && matches!(&callee.kind, ExprKind::Name(n) if n == "str") =>
        {
            checked_name(&args[0].value)
        }
        _ => None,
    }
}

fn bound_names(target: &Expr) -> Vec<&str> {
    let mut names = Vec::new();
    walk_expr(target, &mut |e| {
        if let ExprKind::Name(name) = &e.kind {
            names.push(name.as_str());
        }
    });
    names
}

fn shown_callee(path: &str) -> String {
    path.strip_prefix("?.").unwrap_or(path).to_owned()
}

fn key_of(constant: Const) -> Option<Key> {
    match constant {
        Const::Int(index) => Some(Key::Index(index)),
        Const::Str(text) => Some(Key::Text(text)),
        _ => None,
    }
}

/// What a constant prefix makes safe: a path on this site (`/users/` + x) cannot redirect
/// elsewhere; a URL with its host fixed (`https://api.example.com/` + x) cannot be sent to
/// another server.
fn prefix_clears(prefix: &str) -> Classes {
    let mut cleared = 0;
    let bytes = prefix.as_bytes();
    if bytes.len() >= 2 && bytes[0] == b'/' && bytes[1] != b'/' && bytes[1] != b'\\' {
        cleared |= Class::Redirect.bit();
    }
    if let Some((scheme, rest)) = prefix.split_once("://")
        && !scheme.is_empty()
        && scheme.chars().all(|c| c.is_ascii_alphabetic())
        && rest.find('/').is_some_and(|slash| slash > 0)
    {
        cleared |= Class::Redirect.bit() | Class::Ssrf.bit();
    }
    cleared
}

fn truth(constant: &Const) -> Option<bool> {
    Some(match constant {
        Const::Bool(b) => *b,
        Const::Int(i) => *i != 0,
        Const::Float(f) => *f != 0.0,
        Const::Str(s) => !s.is_empty(),
        Const::None => false,
    })
}

fn number(constant: &Const) -> Option<f64> {
    match constant {
        Const::Int(i) => Some(*i as f64),
        Const::Float(f) => Some(*f),
        Const::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

fn integer(constant: &Const) -> Option<i64> {
    match constant {
        Const::Int(i) => Some(*i),
        Const::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

fn fold_binary(op: BinOp, a: &Const, b: &Const) -> Option<Const> {
    if let (Const::Str(a), Const::Str(b)) = (a, b) {
        return (op == BinOp::Add).then(|| Const::Str(Arc::from(format!("{a}{b}"))));
    }
    if let (Some(x), Some(y)) = (integer(a), integer(b)) {
        let result = match op {
            BinOp::Add => x.checked_add(y),
            BinOp::Sub => x.checked_sub(y),
            BinOp::Mul => x.checked_mul(y),
            BinOp::FloorDiv if y != 0 => {
                Some(x.div_euclid(y) - i64::from(x.rem_euclid(y) != 0 && y < 0))
            }
            BinOp::Mod if y != 0 => Some(((x % y) + y) % y),
            BinOp::Pow if (0..64).contains(&y) => x.checked_pow(y as u32),
            BinOp::BitAnd => Some(x & y),
            BinOp::BitOr => Some(x | y),
            BinOp::BitXor => Some(x ^ y),
            BinOp::Shl if (0..63).contains(&y) => x.checked_shl(y as u32),
            BinOp::Shr if (0..63).contains(&y) => Some(x >> y),
            BinOp::Div if y != 0 => return Some(Const::Float(x as f64 / y as f64)),
            _ => None,
        };
        return result.map(Const::Int);
    }
    let (x, y) = (number(a)?, number(b)?);
    let result = match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div if y != 0.0 => x / y,
        _ => return None,
    };
    Some(Const::Float(result))
}

fn fold_unary(op: UnaryOp, value: &Const) -> Option<Const> {
    match op {
        UnaryOp::Not => truth(value).map(|b| Const::Bool(!b)),
        UnaryOp::Neg => match value {
            Const::Int(i) => i.checked_neg().map(Const::Int),
            Const::Float(f) => Some(Const::Float(-f)),
            _ => None,
        },
        UnaryOp::Pos => number(value).map(|_| value.clone()),
        UnaryOp::Invert => integer(value).map(|i| Const::Int(!i)),
    }
}

fn compare(op: CmpOp, a: &Const, b: &Const) -> Option<bool> {
    if let (Const::Str(a), Const::Str(b)) = (a, b) {
        return Some(match op {
            CmpOp::Eq => a == b,
            CmpOp::NotEq => a != b,
            CmpOp::Lt => a < b,
            CmpOp::LtE => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::GtE => a >= b,
            CmpOp::In => b.contains(&**a),
            CmpOp::NotIn => !b.contains(&**a),
            CmpOp::Is | CmpOp::IsNot => return None,
        });
    }
    if let (Const::None, Const::None) = (a, b) {
        return match op {
            CmpOp::Is | CmpOp::Eq => Some(true),
            CmpOp::IsNot | CmpOp::NotEq => Some(false),
            _ => None,
        };
    }
    let (x, y) = (number(a)?, number(b)?);
    Some(match op {
        CmpOp::Eq => x == y,
        CmpOp::NotEq => x != y,
        CmpOp::Lt => x < y,
        CmpOp::LtE => x <= y,
        CmpOp::Gt => x > y,
        CmpOp::GtE => x >= y,
        _ => return None,
    })
}
