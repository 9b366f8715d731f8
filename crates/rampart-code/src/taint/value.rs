//! The abstract values the analysis computes: what a value may carry from a source (traces,
//! each with the steps it took), what it is known to be (a constant, a function, a class, an
//! instance, an external object by path), and its elements where they are known.

use std::sync::Arc;

use crate::ir::{Const, Span};
use crate::models::Classes;

/// Steps kept per trace: a longer flow keeps its first steps and its sink.
const MAX_STEPS: u32 = 40;
/// Traces kept per value: one per origin and sanitisation state is enough to report.
const MAX_TRACES: usize = 8;
/// Elements tracked one by one per container; more go to the imprecise rest.
const MAX_ITEMS: usize = 32;

/// One step of a flow: where, the expression, and what happens there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub path: Arc<str>,
    pub span: Span,
    pub text: String,
    pub message: String,
}

/// The steps of a trace, newest last, shared between the traces that grew from it.
#[derive(Debug, Clone, Default)]
pub struct Chain(Option<Arc<Link>>);

#[derive(Debug)]
struct Link {
    step: Step,
    previous: Chain,
    length: u32,
}

impl Chain {
    pub fn len(&self) -> u32 {
        self.0.as_ref().map_or(0, |link| link.length)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub fn then(&self, step: Step) -> Chain {
        if self.len() >= MAX_STEPS {
            return self.clone();
        }
        Chain(Some(Arc::new(Link {
            step,
            previous: self.clone(),
            length: self.len() + 1,
        })))
    }

    /// The steps, first to last.
    pub fn steps(&self) -> Vec<Step> {
        let mut steps = Vec::with_capacity(self.len() as usize);
        let mut current = self;
        while let Some(link) = &current.0 {
            steps.push(link.step.clone());
            current = &link.previous;
        }
        steps.reverse();
        steps
    }

    /// This chain followed by `steps`.
    pub fn followed_by(&self, steps: &[Step]) -> Chain {
        steps
            .iter()
            .fold(self.clone(), |chain, step| chain.then(step.clone()))
    }
}

/// Where a trace began: a modelled source, or a parameter of the function being analysed
/// (whose callers say what it holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Start {
    Source(u16),
    Param(u16),
}

/// Untrusted data on its way: where it started, the steps so far, and the classes of sink it
/// is no longer dangerous for.
#[derive(Debug, Clone)]
pub struct Trace {
    pub start: Start,
    pub chain: Chain,
    pub cleared: Classes,
    /// Normalised as a path (`resolve()`, `realpath`): a prefix test on it then holds.
    pub normalised: bool,
}

impl Trace {
    fn key(&self) -> (Start, Classes, bool) {
        (self.start, self.cleared, self.normalised)
    }

    pub fn is_dangerous_for(&self, class: crate::models::Class) -> bool {
        self.cleared & class.bit() == 0
    }
}

/// The traces of a value: at most one per start and sanitisation state (the first found).
#[derive(Debug, Clone, Default)]
pub struct Taint(Vec<Trace>);

impl Taint {
    pub fn one(trace: Trace) -> Taint {
        Taint(vec![trace])
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Trace> {
        self.0.iter()
    }

    pub fn add(&mut self, trace: Trace) {
        if let Some(existing) = self.0.iter_mut().find(|t| t.key() == trace.key()) {
            // The shorter flow explains better.
            if trace.chain.len() < existing.chain.len() {
                *existing = trace;
            }
            return;
        }
        if self.0.len() < MAX_TRACES {
            self.0.push(trace);
        }
    }

    pub fn merge(&mut self, other: &Taint) {
        for trace in &other.0 {
            self.add(trace.clone());
        }
    }

    pub fn map(&self, f: impl Fn(&Trace) -> Trace) -> Taint {
        let mut out = Taint::default();
        for trace in &self.0 {
            out.add(f(trace));
        }
        out
    }

    /// Each trace with `step` added.
    pub fn then(&self, step: &Step) -> Taint {
        self.map(|trace| Trace {
            chain: trace.chain.then(step.clone()),
            ..trace.clone()
        })
    }

    pub fn clear(&self, classes: Classes) -> Taint {
        self.map(|trace| Trace {
            cleared: trace.cleared | classes,
            ..trace.clone()
        })
    }
}

/// A function, class or other thing of the project, by module and index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FnId {
    pub module: u32,
    pub function: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClassId {
    pub module: u32,
    pub class: u32,
}

/// What a value is known to be, beyond its taint.
#[derive(Debug, Clone, PartialEq)]
pub enum Ref {
    /// Something outside the project, by the path it is reached by (`flask.request`,
    /// `flask.Flask()` for an instance, `os.path.join`).
    Path(Arc<str>),
    Module(u32),
    Function(FnId),
    Class(ClassId),
    Instance(ClassId),
    /// A method of an instance of a project class.
    Method(FnId, ClassId),
}

/// A key of a container or object whose elements are tracked one by one.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Index(i64),
    Text(Arc<str>),
    Attribute(Arc<str>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Sequence,
    Tuple,
    Dict,
}

#[derive(Debug, Clone, Default)]
pub struct Items {
    pub known: Vec<(Key, Value)>,
    /// What elements at positions not known hold.
    pub rest: Taint,
    pub shape: Option<Shape>,
}

/// The abstract value of an expression or variable.
#[derive(Debug, Clone, Default)]
pub struct Value {
    /// Taint of the value itself (of every part of it, for a container).
    pub taint: Taint,
    pub constant: Option<Const>,
    pub refers: Option<Ref>,
    pub items: Option<Arc<Items>>,
}

impl Value {
    pub fn constant(constant: Const) -> Value {
        Value {
            constant: Some(constant),
            ..Value::default()
        }
    }

    pub fn refers(refers: Ref) -> Value {
        Value {
            refers: Some(refers),
            ..Value::default()
        }
    }

    pub fn tainted(taint: Taint) -> Value {
        Value {
            taint,
            ..Value::default()
        }
    }

    pub fn path(&self) -> Option<&str> {
        match &self.refers {
            Some(Ref::Path(path)) => Some(path),
            _ => None,
        }
    }

    /// Everything the value and its elements carry.
    pub fn whole(&self) -> Taint {
        let mut taint = self.taint.clone();
        if let Some(items) = &self.items {
            taint.merge(&items.rest);
            for (_, value) in &items.known {
                taint.merge(&value.whole());
            }
        }
        taint
    }

    pub fn is_clean(&self) -> bool {
        self.whole().is_empty()
    }

    /// The element at `key`, if it is tracked.
    pub fn item(&self, key: &Key) -> Option<&Value> {
        let items = self.items.as_ref()?;
        items.known.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets the element at `key` (`None`: an unknown position, which may be any).
    pub fn set_item(&mut self, key: Option<Key>, value: Value) {
        let items = Arc::make_mut(self.items.get_or_insert_with(Default::default));
        match key {
            Some(key) => {
                if let Some(slot) = items.known.iter_mut().find(|(k, _)| *k == key) {
                    slot.1 = value;
                } else if items.known.len() < MAX_ITEMS {
                    items.known.push((key, value));
                } else {
                    items.rest.merge(&value.whole());
                }
            }
            None => items.rest.merge(&value.whole()),
        }
    }

    pub fn shape(&self) -> Option<Shape> {
        self.items.as_ref().and_then(|items| items.shape)
    }

    /// A value that may be either.
    pub fn join(&self, other: &Value) -> Value {
        let mut taint = self.taint.clone();
        taint.merge(&other.taint);
        let constant = match (&self.constant, &other.constant) {
            (Some(a), Some(b)) if a == b => Some(a.clone()),
            _ => None,
        };
        let refers = match (&self.refers, &other.refers) {
            (Some(a), Some(b)) if a == b => Some(a.clone()),
            (Some(a), None) | (None, Some(a)) => Some(a.clone()),
            _ => None,
        };
        let items = match (&self.items, &other.items) {
            (None, None) => None,
            (Some(a), None) | (None, Some(a)) => Some(a.clone()),
            (Some(a), Some(b)) if Arc::ptr_eq(a, b) => Some(a.clone()),
            (Some(a), Some(b)) => {
                let mut joined = Items {
                    known: Vec::new(),
                    rest: a.rest.clone(),
                    shape: if a.shape == b.shape { a.shape } else { None },
                };
                joined.rest.merge(&b.rest);
                for (key, value) in &a.known {
                    let value = match b.known.iter().find(|(k, _)| k == key) {
                        Some((_, other)) => value.join(other),
                        None => value.clone(),
                    };
                    joined.known.push((key.clone(), value));
                }
                for (key, value) in &b.known {
                    if !a.known.iter().any(|(k, _)| k == key) {
                        joined.known.push((key.clone(), value.clone()));
                    }
                }
                Some(Arc::new(joined))
            }
        };
        Value {
            taint,
            constant,
            refers,
            items,
        }
    }

    /// Whether joining `other` into this value would change nothing that matters (taint
    /// starts and states, elements): loop analysis stops there.
    pub fn covers(&self, other: &Value) -> bool {
        let keys = |taint: &Taint| {
            let mut keys: Vec<_> = taint.iter().map(|t| t.key()).collect();
            keys.sort();
            keys
        };
        let mine = keys(&self.whole());
        keys(&other.whole()).iter().all(|key| mine.contains(key))
            && (other.constant.is_none() || self.constant == other.constant)
    }
}
