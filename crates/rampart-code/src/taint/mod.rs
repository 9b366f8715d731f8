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

/// Calls deeper than this are analysed without the callee's summary (as unknown code).
const MAX_CALL_DEPTH: u32 = 48;

/// What every function's analysis shares: the project, the modules' globals and the
/// summaries computed so far.
pub(crate) struct Context<'p> {
    pub project: &'p Project<'p>,
    globals: RefCell<Vec<Option<Globals>>>,
    globals_in_progress: RefCell<Vec<bool>>,
    summaries: RefCell<HashMap<FnId, State>>,
    flows: RefCell<Vec<Flow>>,
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
}

/// Analyses every function of the project. Runs on a thread of its own with a deep stack:
/// the analysis recurses along call chains and nested expressions.
pub fn analyse(project: &Project<'_>) -> Analysis {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("rampart-taint".into())
            .stack_size(1 << 30)
            .spawn_scoped(scope, || analyse_here(project))
            .expect("a thread for the analysis")
            .join()
            .unwrap_or_default()
    })
}

fn analyse_here(project: &Project<'_>) -> Analysis {
    let modules = project.modules.len();
    let context = Context {
        project,
        globals: RefCell::new(vec![None; modules]),
        globals_in_progress: RefCell::new(vec![false; modules]),
        summaries: RefCell::new(HashMap::new()),
        flows: RefCell::new(Vec::new()),
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
    Analysis {
        flows: deduplicated(context.flows.into_inner()),
        incomplete,
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
