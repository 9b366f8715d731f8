//! Taint analysis over the IR: each function is analysed once, its parameters standing for
//! whatever its callers pass; the result is its summary (what reaches its return value, which
//! parameters reach which sinks), applied at every call. Data from a source that reaches a
//! sink is a [`Flow`].

mod eval;
mod value;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

pub use value::{Chain, ClassId, FnId, Key, Ref, Shape, Start, Step, Taint, Trace, Value};

use crate::models::{Class, Classes, SOURCES, Source};
use crate::project::Project;

use eval::Analyser;

/// Untrusted data from a source reaching a sink.
#[derive(Debug, Clone)]
pub struct Flow {
    pub class: Class,
    /// The function where the source's data met the sink (directly, or through the functions
    /// it calls): what the finding is about.
    pub function: FnId,
    pub source: &'static Source,
    /// From the source to the sink, the sink last.
    pub steps: Vec<Step>,
    /// What the sink is (`cursor.execute`, `flask response`).
    pub sink: String,
}

/// What the analysis found in a project.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Sorted by sink position, then function and class.
    pub flows: Vec<Flow>,
    /// Functions whose analysis ran out of budget: their summaries are partial.
    pub incomplete: Vec<FnId>,
    /// Every call of something outside the project, resolved (`hashlib.md5`,
    /// `flask.Flask().run`), in module and position order: what rules about settings and
    /// APIs read.
    pub calls: Vec<CallSite>,
    /// Every decorator of a function, resolved (`flask.Flask().route`,
    /// `django.views.decorators.csrf.csrf_exempt`), in function order.
    pub decorators: Vec<Decorator>,
}

/// A decorator of a function, resolved.
#[derive(Debug, Clone)]
pub struct Decorator {
    pub function: FnId,
    /// What the decorator is, or for `@name(...)` what is called.
    pub path: Arc<str>,
    /// For `@name(...)`, the position of the call (its arguments are among the calls).
    pub call: Option<crate::ir::Span>,
}

impl Analysis {
    /// The decorators of one function.
    pub fn decorators_of(&self, function: FnId) -> impl Iterator<Item = &Decorator> {
        let start = self.decorators.partition_point(|d| d.function < function);
        self.decorators[start..]
            .iter()
            .take_while(move |d| d.function == function)
    }

    /// The calls made in a module's functions, in position order.
    pub fn calls_in(&self, module: u32) -> &[CallSite] {
        let start = self.calls.partition_point(|c| c.function.module < module);
        let end = self.calls.partition_point(|c| c.function.module <= module);
        &self.calls[start..end]
    }

    /// The call at `span` of a module, if it is a call of something outside the project.
    pub fn call_at(&self, module: u32, span: crate::ir::Span) -> Option<&CallSite> {
        let calls = self.calls_in(module);
        calls
            .binary_search_by(|call| call.span.cmp(&span))
            .ok()
            .map(|index| &calls[index])
    }
}

/// A call of something outside the project, with what is known of its arguments.
#[derive(Debug, Clone)]
pub struct CallSite {
    pub function: FnId,
    pub span: crate::ir::Span,
    /// What is called, imports resolved: `hashlib.md5`, `?.set_cookie` for a method of a
    /// value of unknown type.
    pub path: Arc<str>,
    pub args: Vec<ArgFact>,
}

/// What is known of one argument of a call.
#[derive(Debug, Clone)]
pub struct ArgFact {
    /// The keyword, for a keyword argument.
    pub keyword: Option<String>,
    pub constant: Option<crate::ir::Const>,
    /// What the argument refers to, when it is something outside the project
    /// (`Crypto.Cipher.AES.MODE_ECB`).
    pub path: Option<Arc<str>>,
    /// Constant strings it holds (itself, or the elements of a list or tuple).
    pub texts: Vec<Arc<str>>,
    pub span: crate::ir::Span,
}

impl CallSite {
    /// The keyword argument `name`.
    pub fn keyword(&self, name: &str) -> Option<&ArgFact> {
        self.args
            .iter()
            .find(|arg| arg.keyword.as_deref() == Some(name))
    }

    /// The `index`th positional argument.
    pub fn positional(&self, index: usize) -> Option<&ArgFact> {
        self.args
            .iter()
            .filter(|arg| arg.keyword.is_none())
            .nth(index)
    }

    /// The argument given by keyword `name` or at position `index`.
    pub fn argument(&self, index: usize, name: &str) -> Option<&ArgFact> {
        self.keyword(name).or_else(|| self.positional(index))
    }
}

/// A parameter's data reaching a sink inside a function (or the functions it calls).
#[derive(Debug, Clone)]
pub struct ParamSink {
    pub param: u16,
    pub class: Class,
    pub cleared: Classes,
    /// From the parameter to the sink.
    pub steps: Vec<Step>,
    pub sink: String,
}

/// What a call to a function does with its arguments, computed once.
#[derive(Debug, Default)]
pub struct Summary {
    pub returns: Value,
    pub sinks: Vec<ParamSink>,
    /// Every path through the function raises or aborts.
    pub never_returns: bool,
    pub incomplete: bool,
}

enum State {
    InProgress,
    Done(Arc<Summary>),
}

/// The values a module binds at its top level, by name.
pub type Globals = Arc<HashMap<String, Value>>;

/// What the analysis counts as untrusted.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Also the process's environment, arguments and standard input (a local attacker).
    /// Off by default: a web application's threat is remote, and its own configuration read
    /// from the environment is not an attacker's.
    pub local_sources: bool,
}

/// Calls deeper than this are analysed without the callee's summary (as unknown code).
const MAX_CALL_DEPTH: u32 = 48;

/// What every function's analysis shares: the project, the modules' globals and the
/// summaries computed so far.
pub(crate) struct Context<'p> {
    pub project: &'p Project<'p>,
    pub options: Options,
    globals: RefCell<Vec<Option<Globals>>>,
    globals_in_progress: RefCell<Vec<bool>>,
    summaries: RefCell<HashMap<FnId, State>>,
    flows: RefCell<Vec<Flow>>,
    calls: RefCell<Vec<CallSite>>,
    decorators: RefCell<Vec<Decorator>>,
    closures: RefCell<HashMap<FnId, Arc<HashMap<String, Value>>>>,
    depth: Cell<u32>,
    /// While the modules' globals are computed, calls are not followed into summaries.
    computing_globals: Cell<bool>,
}

impl<'p> Context<'p> {
    /// The values a module binds at its top level (computed when first asked; `None` while
    /// it is being computed, for imports in a cycle).
    pub fn globals(&self, module: u32) -> Option<Globals> {
        if let Some(globals) = &self.globals.borrow()[module as usize] {
            return Some(globals.clone());
        }
        if self.globals_in_progress.borrow()[module as usize] || self.depth.get() > MAX_CALL_DEPTH {
            return None;
        }
        self.globals_in_progress.borrow_mut()[module as usize] = true;
        let was = self.computing_globals.replace(true);
        self.depth.set(self.depth.get() + 1);
        let env = Analyser::module_globals(self, module);
        self.depth.set(self.depth.get() - 1);
        self.computing_globals.set(was);
        let env = Arc::new(env);
        self.globals.borrow_mut()[module as usize] = Some(env.clone());
        Some(env)
    }

    /// The summary of a function, computed on first use; `None` for a function whose
    /// analysis is under way (recursion) or too deep in the call chain.
    pub fn summary(&self, id: FnId) -> Option<Arc<Summary>> {
        if self.computing_globals.get() {
            return None;
        }
        match self.summaries.borrow().get(&id) {
            Some(State::Done(summary)) => return Some(summary.clone()),
            Some(State::InProgress) => return None,
            None => {}
        }
        if self.depth.get() > MAX_CALL_DEPTH {
            return None;
        }
        self.summaries.borrow_mut().insert(id, State::InProgress);
        self.depth.set(self.depth.get() + 1);
        let summary = Arc::new(Analyser::function(self, id));
        self.depth.set(self.depth.get() - 1);
        self.summaries
            .borrow_mut()
            .insert(id, State::Done(summary.clone()));
        Some(summary)
    }

    pub fn record(&self, flow: Flow) {
        self.flows.borrow_mut().push(flow);
    }

    /// The locals a nested function sees, recorded where it is defined.
    pub fn record_closure(&self, function: FnId, env: Arc<HashMap<String, Value>>) {
        self.closures.borrow_mut().insert(function, env);
    }

    pub fn closure(&self, function: FnId) -> Option<Arc<HashMap<String, Value>>> {
        self.closures.borrow().get(&function).cloned()
    }

    pub fn record_decorator(&self, decorator: Decorator) {
        self.decorators.borrow_mut().push(decorator);
    }

    pub fn record_call(&self, call: CallSite) {
        if !self.computing_globals.get() {
            self.calls.borrow_mut().push(call);
        }
    }
}

/// Analyses every function of the project. Runs on a thread of its own with a deep stack:
/// the analysis recurses along call chains and nested expressions.
pub fn analyse(project: &Project<'_>, options: Options) -> Analysis {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("rampart-taint".into())
            .stack_size(1 << 30)
            .spawn_scoped(scope, || analyse_here(project, options))
            .expect("a thread for the analysis")
            .join()
            .unwrap_or_default()
    })
}

fn analyse_here(project: &Project<'_>, options: Options) -> Analysis {
    let modules = project.modules.len();
    let context = Context {
        project,
        options,
        globals: RefCell::new(vec![None; modules]),
        globals_in_progress: RefCell::new(vec![false; modules]),
        summaries: RefCell::new(HashMap::new()),
        flows: RefCell::new(Vec::new()),
        calls: RefCell::new(Vec::new()),
        decorators: RefCell::new(Vec::new()),
        closures: RefCell::new(HashMap::new()),
        depth: Cell::new(0),
        computing_globals: Cell::new(false),
    };
    for module in 0..modules as u32 {
        context.globals(module);
    }
    for (module, module_ir) in project.modules.iter().enumerate() {
        for function in 0..module_ir.functions.len() {
            context.summary(FnId {
                module: module as u32,
                function: function as u32,
            });
        }
    }
    let mut incomplete: Vec<FnId> = context
        .summaries
        .borrow()
        .iter()
        .filter_map(|(id, state)| match state {
            State::Done(summary) if summary.incomplete => Some(*id),
            _ => None,
        })
        .collect();
    incomplete.sort();
    let mut calls = context.calls.into_inner();
    // A call in a loop is evaluated on each pass: kept once.
    calls.sort_by_key(|call| (call.function.module, call.span));
    calls.dedup_by(|later, first| {
        (later.function.module, later.span) == (first.function.module, first.span)
    });
    let mut decorators = context.decorators.into_inner();
    decorators.sort_by_key(|d| d.function);
    Analysis {
        flows: deduplicated(context.flows.into_inner()),
        incomplete,
        calls,
        decorators,
    }
}

/// One flow per function, class, sink position and source (the shortest), in a fixed order.
fn deduplicated(mut flows: Vec<Flow>) -> Vec<Flow> {
    let key = |flow: &Flow| {
        let sink = flow.steps.last().map(|s| (s.path.clone(), s.span));
        (
            sink,
            flow.function,
            flow.class,
            SOURCES
                .iter()
                .position(|s| std::ptr::eq(s, flow.source))
                .unwrap_or(0),
        )
    };
    flows.sort_by(|a, b| key(a).cmp(&key(b)).then(a.steps.len().cmp(&b.steps.len())));
    flows.dedup_by(|later, first| key(later) == key(first));
    flows
}
