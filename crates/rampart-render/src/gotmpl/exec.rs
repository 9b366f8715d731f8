//! The executor of Go's `text/template`: walks a parsed tree over data, calling functions with
//! Go's argument checks and reporting errors as Go does
//! (`template: NAME:LINE:COL: executing "T" at <NODE>: MESSAGE`).

use std::collections::HashMap;
use std::sync::Arc;

use super::parse::{
    Arg, Command, Control, Node, Number, ParseError, Pipe, Tree, is_empty_tree, parse,
};
use crate::gofmt;
use crate::value::{Elem, Value};

/// A Go parameter type, which decides what a function accepts (Go's `validateType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `reflect.Value`: Go's own builtins see the argument as it is, nil included.
    Raw,
    /// `interface{}`.
    Any,
    Str,
    Int,
    Int64,
    Float,
    Bool,
    /// `map[string]interface{}`.
    Map,
    /// `[]interface{}`.
    List,
    /// `[]string`.
    Strs,
}

impl Ty {
    pub fn go_name(self) -> &'static str {
        match self {
            Ty::Raw => "reflect.Value",
            Ty::Any => "interface {}",
            Ty::Str => "string",
            Ty::Int => "int",
            Ty::Int64 => "int64",
            Ty::Float => "float64",
            Ty::Bool => "bool",
            Ty::Map => "map[string]interface {}",
            Ty::List => "[]interface {}",
            Ty::Strs => "[]string",
        }
    }

    fn can_be_nil(self) -> bool {
        matches!(self, Ty::Raw | Ty::Any | Ty::Map | Ty::List | Ty::Strs)
    }

    fn accepts(self, v: &Value) -> bool {
        match (self, v) {
            (Ty::Raw | Ty::Any, _) => true,
            (Ty::Str, Value::Str(_))
            | (Ty::Int, Value::Int(_))
            | (Ty::Int64, Value::Int64(_))
            | (Ty::Float, Value::Float(_))
            | (Ty::Bool, Value::Bool(_)) => true,
            (Ty::Map, Value::Map(m)) => m.elem == Elem::Any,
            (Ty::List, Value::List(l)) => l.elem == Elem::Any,
            (Ty::Strs, Value::List(l)) => l.elem == Elem::Str,
            _ => false,
        }
    }
}

pub type FuncImpl = fn(&mut Engine<'_>, Vec<Value>) -> Result<Value, String>;

/// A function templates can call, with its Go signature.
#[derive(Clone, Copy)]
pub struct Func {
    pub params: &'static [Ty],
    pub variadic: Option<Ty>,
    pub call: FuncImpl,
}

pub type FuncMap = HashMap<&'static str, Func>;

/// An execution failure, worded as Go words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecError {
    /// The template being executed when it failed.
    pub name: String,
    /// `NAME:LINE:COL` of the node, when known.
    pub location: Option<String>,
    pub message: String,
}

impl std::fmt::Display for ExecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Template calls nest at most this deep (Go allows 100000; Rust's stack does not).
pub const MAX_EXEC_DEPTH: usize = 300;
/// One execution writes at most this many bytes.
pub const MAX_OUTPUT: usize = 64 << 20;

/// A set of named templates and the functions they call: Go's `*template.Template`.
pub struct Engine<'f> {
    funcs: &'f FuncMap,
    templates: HashMap<String, Arc<Tree>>,
    /// `missingkey=error` (Helm's `--strict`); otherwise `missingkey=zero`.
    pub strict: bool,
    depth: usize,
    /// Helm's count of nested `include`s per name.
    pub included: HashMap<String, usize>,
    written: usize,
}

impl<'f> Engine<'f> {
    pub fn new(funcs: &'f FuncMap) -> Self {
        Engine {
            funcs,
            templates: HashMap::new(),
            strict: false,
            depth: 0,
            included: HashMap::new(),
            written: 0,
        }
    }

    pub fn has_function(&self, name: &str) -> bool {
        self.funcs.contains_key(name) || BUILTIN_NAMES.contains(&name)
    }

    /// Parses `text` as template `name`, with its definitions, into the set
    /// (`t.New(name).Parse(text)`).
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), ParseError> {
        let funcs = self.funcs;
        let has = |n: &str| funcs.contains_key(n) || BUILTIN_NAMES.contains(&n);
        let trees = parse(name, text, &has)?;
        for tree in trees {
            self.associate(tree);
        }
        Ok(())
    }

    /// Adds a tree; an empty one does not replace a template with content.
    fn associate(&mut self, tree: Tree) -> Option<Arc<Tree>> {
        if let Some(old) = self.templates.get(&tree.name)
            && is_empty_tree(&tree.root)
            && !is_empty_tree(&old.root)
        {
            return None;
        }
        self.templates.insert(tree.name.clone(), Arc::new(tree))
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.templates.contains_key(name)
    }

    /// Parses `text` as `name` for the duration of `run`, which gets the parsed tree, then
    /// puts back what it replaced (Helm's `tpl` parses into a clone of the set, and runs what
    /// it parsed even when an empty text does not replace a template of the same name).
    pub fn with_parsed<T>(
        &mut self,
        name: &str,
        text: &str,
        run: impl FnOnce(&mut Self, Arc<Tree>) -> T,
    ) -> Result<T, ParseError> {
        let funcs = self.funcs;
        let has = |n: &str| funcs.contains_key(n) || BUILTIN_NAMES.contains(&n);
        let mut trees = parse(name, text, &has)?.into_iter();
        let main = Arc::new(trees.next().expect("parse returns the main tree first"));
        let mut saved: Vec<(String, Option<Arc<Tree>>)> = Vec::new();
        let before = self.templates.get(name).cloned();
        if before
            .as_ref()
            .is_none_or(|old| !is_empty_tree(&main.root) || is_empty_tree(&old.root))
        {
            self.templates.insert(name.to_string(), main.clone());
        }
        saved.push((name.to_string(), before));
        for tree in trees {
            let tree_name = tree.name.clone();
            let before = self.templates.get(&tree_name).cloned();
            self.associate(tree);
            saved.push((tree_name, before));
        }
        let result = run(self, main);
        for (name, before) in saved.into_iter().rev() {
            match before {
                Some(t) => self.templates.insert(name, t),
                None => self.templates.remove(&name),
            };
        }
        Ok(result)
    }

    /// Executes template `name` on `data` (`ExecuteTemplate`).
    pub fn execute(&mut self, name: &str, data: Value) -> Result<String, ExecError> {
        let Some(tree) = self.templates.get(name).cloned() else {
            return Err(ExecError {
                name: name.to_string(),
                location: None,
                message: format!(
                    "template: no template {} associated with template \"gotpl\"",
                    gofmt::quote(name)
                ),
            });
        };
        let mut out = String::new();
        self.run(&tree, data, &mut out)?;
        Ok(out)
    }

    /// Executes a parsed tree on `data` (`Template.Execute`).
    pub fn execute_tree(&mut self, tree: &Tree, data: Value) -> Result<String, ExecError> {
        let mut out = String::new();
        self.run(tree, data, &mut out)?;
        Ok(out)
    }

    fn run(&mut self, tree: &Tree, dot: Value, out: &mut String) -> Result<(), ExecError> {
        if self.depth >= MAX_EXEC_DEPTH {
            return Err(ExecError {
                name: tree.name.clone(),
                location: None,
                message: format!(
                    "template: {}: exceeded maximum template depth ({MAX_EXEC_DEPTH})",
                    tree.name
                ),
            });
        }
        self.depth += 1;
        let mut state = State {
            engine: self,
            tree,
            vars: vec![("$".to_string(), dot.clone())],
            at: None,
            out,
        };
        let result = state.walk_list(&dot, &tree.root).map(|_| ());
        self.depth -= 1;
        result
    }
}

/// The names of Go's own builtins.
const BUILTIN_NAMES: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
];

enum Flow {
    Normal,
    Break,
    Continue,
}

/// The node an error is reported at (Go's `s.at(node)`).
#[derive(Clone, Copy)]
enum At<'t> {
    Arg(&'t Arg),
    Cmd(&'t Command),
    Pipe(&'t Pipe),
    Template(usize, &'t str, Option<&'t Pipe>),
    Action(&'t Pipe),
}

impl At<'_> {
    fn pos(&self) -> usize {
        match self {
            At::Arg(a) => a.pos(),
            At::Cmd(c) => c.pos,
            At::Pipe(p) | At::Action(p) => p.pos,
            At::Template(pos, ..) => *pos,
        }
    }
    fn context(&self) -> String {
        match self {
            At::Arg(a) => a.to_string(),
            At::Cmd(c) => c.to_string(),
            At::Pipe(p) => p.to_string(),
            At::Action(p) => format!("{{{{{p}}}}}"),
            At::Template(_, name, None) => format!("{{{{template {}}}}}", gofmt::quote(name)),
            At::Template(_, name, Some(p)) => {
                format!("{{{{template {} {p}}}}}", gofmt::quote(name))
            }
        }
    }
}

type R<T> = Result<T, ExecError>;

struct State<'e, 'f, 't, 'o> {
    engine: &'e mut Engine<'f>,
    tree: &'t Tree,
    vars: Vec<(String, Value)>,
    at: Option<At<'t>>,
    out: &'o mut String,
}

impl<'t> State<'_, '_, 't, '_> {
    fn at(&mut self, at: At<'t>) {
        self.at = Some(at);
    }

    fn error<T>(&self, message: impl Into<String>) -> R<T> {
        let message = message.into();
        let name = &self.tree.name;
        Err(match self.at {
            None => ExecError {
                name: name.clone(),
                location: None,
                message: format!("template: {name}: {message}"),
            },
            Some(at) => {
                let pos = at.pos().min(self.tree.source.len());
                let before = &self.tree.source[..pos];
                let line = 1 + before.matches('\n').count();
                let col = match before.rfind('\n') {
                    Some(nl) => pos - nl - 1,
                    None => pos,
                };
                let location = format!("{}:{line}:{col}", self.tree.parse_name);
                ExecError {
                    name: name.clone(),
                    message: format!(
                        "template: {location}: executing {} at <{}>: {message}",
                        gofmt::quote(name),
                        at.context()
                    ),
                    location: Some(location),
                }
            }
        })
    }

    fn write(&mut self, text: &str) -> R<()> {
        self.engine.written += text.len();
        if self.engine.written > MAX_OUTPUT {
            return self.error(format!("output larger than {MAX_OUTPUT} bytes"));
        }
        self.out.push_str(text);
        Ok(())
    }

    fn walk_list(&mut self, dot: &Value, nodes: &'t [Node]) -> R<Flow> {
        for node in nodes {
            match self.walk(dot, node)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &Value, node: &'t Node) -> R<Flow> {
        match node {
            Node::Text(t) => self.write(t)?,
            Node::Action(pipe) => {
                let v = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.at(At::Action(pipe));
                    let text = printable(&v);
                    self.write(&text)?;
                }
            }
            Node::If(c) => return self.walk_if_or_with(dot, c, false),
            Node::With(c) => return self.walk_if_or_with(dot, c, true),
            Node::Range(c) => return self.walk_range(dot, c),
            Node::Template { pos, name, pipe } => {
                self.at(At::Template(*pos, name, pipe.as_ref()));
                let Some(tree) = self.engine.templates.get(name).cloned() else {
                    return self.error(format!("template {} not defined", gofmt::quote(name)));
                };
                let new_dot = match pipe {
                    Some(p) => self.eval_pipeline(dot, p)?,
                    None => Value::Missing,
                };
                let mut out = String::new();
                self.engine.run(&tree, new_dot, &mut out)?;
                self.out.push_str(&out);
            }
            Node::Break => return Ok(Flow::Break),
            Node::Continue => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn walk_if_or_with(&mut self, dot: &Value, c: &'t Control, with: bool) -> R<Flow> {
        let mark = self.vars.len();
        let v = self.eval_pipeline(dot, &c.pipe)?;
        let flow = if v.truth() {
            self.walk_list(if with { &v } else { dot }, &c.list)?
        } else if let Some(else_list) = &c.else_list {
            self.walk_list(dot, else_list)?
        } else {
            Flow::Normal
        };
        self.vars.truncate(mark);
        Ok(flow)
    }

    /// Go 1.23's `range` (Helm 3.17's Go): lists, maps in key order, nothing for nil; not yet
    /// integers.
    fn walk_range(&mut self, dot: &Value, c: &'t Control) -> R<Flow> {
        let outer = self.vars.len();
        let v = self.eval_pipeline(dot, &c.pipe)?;
        let mark = self.vars.len();
        let items: Vec<(Value, Value)> = match &v {
            Value::List(l) => l
                .items
                .iter()
                .enumerate()
                .map(|(i, e)| (Value::Int(i as i64), e.clone()))
                .collect(),
            Value::Map(m) => m
                .read()
                .iter()
                .map(|(k, e)| (Value::str(k.as_str()), e.clone()))
                .collect(),
            Value::Missing | Value::Nil => Vec::new(),
            Value::Object(o) if o.entries().is_some() => o
                .entries()
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (Value::str(k), v))
                .collect(),
            other => {
                return self.error(format!(
                    "range can't iterate over {}",
                    gofmt::sprint_value(other)
                ));
            }
        };
        let ran = !items.is_empty();
        for (index, elem) in items {
            let decl = &c.pipe.decl;
            if !decl.is_empty() {
                if c.pipe.is_assign {
                    let (first, second) = if decl.len() > 1 {
                        (&index, Some(&elem))
                    } else {
                        (&elem, None)
                    };
                    self.set_var(&decl[0], first.clone())?;
                    if let (Some(name), Some(e)) = (decl.get(1), second) {
                        self.set_var(name, e.clone())?;
                    }
                } else {
                    let top = self.vars.len() - 1;
                    self.vars[top].1 = elem.clone();
                    if decl.len() > 1 {
                        self.vars[top - 1].1 = index.clone();
                    }
                }
            }
            let flow = self.walk_list(&elem, &c.list)?;
            self.vars.truncate(mark);
            if let Flow::Break = flow {
                break;
            }
        }
        if !ran && let Some(else_list) = &c.else_list {
            self.walk_list(dot, else_list)?;
        }
        self.vars.truncate(outer);
        Ok(Flow::Normal)
    }

    fn set_var(&mut self, name: &str, value: Value) -> R<()> {
        for (n, v) in self.vars.iter_mut().rev() {
            if n == name {
                *v = value;
                return Ok(());
            }
        }
        self.error(format!("undefined variable: {name}"))
    }

    fn var_value(&self, name: &str) -> R<Value> {
        for (n, v) in self.vars.iter().rev() {
            if n == name {
                return Ok(v.clone());
            }
        }
        self.error(format!("undefined variable: {name}"))
    }

    fn eval_pipeline(&mut self, dot: &Value, pipe: &'t Pipe) -> R<Value> {
        self.at(At::Pipe(pipe));
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            // An interface{} result is looked into: a nil one becomes no value at all.
            value = Some(match v {
                Value::Nil => Value::Missing,
                other => other,
            });
        }
        let value = value.unwrap_or(Value::Missing);
        for name in &pipe.decl {
            if pipe.is_assign {
                self.set_var(name, value.clone())?;
            } else {
                self.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Arg], final_: &Option<Value>) -> R<()> {
        if args.len() > 1 || final_.is_some() {
            return self.error(format!("can't give argument to non-function {}", args[0]));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Value, cmd: &'t Command, final_: Option<Value>) -> R<Value> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { idents, .. } => {
                self.at(At::Arg(first));
                self.eval_field_chain(dot, dot.clone(), false, first, idents, &cmd.args, final_)
            }
            Arg::Chain { node, fields, .. } => {
                self.at(At::Arg(first));
                if matches!(node.as_ref(), Arg::Nil(_)) {
                    return self.error(format!("indirection through explicit nil in {first}"));
                }
                let receiver = self.eval_arg(dot, None, node)?;
                self.eval_field_chain(dot, receiver, false, first, fields, &cmd.args, final_)
            }
            Arg::Identifier { name, .. } => {
                self.at(At::Arg(first));
                self.eval_function(dot, name, At::Cmd(cmd), &cmd.args, final_)
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &final_)?;
                self.eval_pipeline(dot, p)
            }
            Arg::Variable { idents, .. } => {
                self.at(At::Arg(first));
                let value = self.var_value(&idents[0])?;
                if idents.len() == 1 {
                    self.not_a_function(&cmd.args, &final_)?;
                    return Ok(value);
                }
                self.eval_field_chain(dot, value, false, first, &idents[1..], &cmd.args, final_)
            }
            _ => {
                self.at(At::Arg(first));
                self.not_a_function(&cmd.args, &final_)?;
                match first {
                    Arg::Bool(_, b) => Ok(Value::Bool(*b)),
                    Arg::Dot(_) => Ok(dot.clone()),
                    Arg::Nil(_) => self.error("nil is not a command"),
                    Arg::Number(_, n) => self.ideal_constant(n),
                    Arg::Str { value, .. } => Ok(Value::str(value.as_str())),
                    _ => self.error(format!(
                        "can't evaluate command {}",
                        gofmt::quote(&first.to_string())
                    )),
                }
            }
        }
    }

    fn ideal_constant(&self, n: &Number) -> R<Value> {
        let text = n.text.to_ascii_lowercase();
        let hex_int = text.trim_start_matches(['+', '-']).starts_with("0x") && !text.contains('p');
        let rune = text.starts_with('\'');
        if let Some(f) = n.float
            && !hex_int
            && !rune
            && text.contains(['.', 'e', 'p'])
        {
            return Ok(Value::Float(f));
        }
        if let Some(i) = n.int {
            return Ok(Value::Int(i));
        }
        if n.uint_only {
            return self.error(format!("{} overflows int", n.text));
        }
        Ok(Value::Missing)
    }

    /// Go's `validateType`: whether a value may be passed as `ty`, converted as Go converts it.
    fn validate(&self, v: Value, ty: Option<Ty>) -> R<Value> {
        let Some(ty) = ty else { return Ok(v) };
        match v {
            Value::Missing => match ty {
                Ty::Raw => Ok(Value::Missing),
                t if t.can_be_nil() => Ok(Value::Nil),
                t => self.error(format!("invalid value; expected {}", t.go_name())),
            },
            Value::Nil if !matches!(ty, Ty::Raw | Ty::Any) => self.error(format!(
                "wrong type for value; expected {}; got interface {{}}",
                ty.go_name()
            )),
            v if ty.accepts(&v) => Ok(v),
            v => self.error(format!(
                "wrong type for value; expected {}; got {}",
                ty.go_name(),
                v.type_name()
            )),
        }
    }

    fn eval_arg(&mut self, dot: &Value, ty: Option<Ty>, arg: &'t Arg) -> R<Value> {
        self.at(At::Arg(arg));
        match arg {
            Arg::Dot(_) => return self.validate(dot.clone(), ty),
            Arg::Nil(_) => {
                return match ty {
                    None | Some(Ty::Raw) => Ok(Value::Missing),
                    Some(t) if t.can_be_nil() => Ok(Value::Nil),
                    Some(t) => self.error(format!("cannot assign nil to {}", t.go_name())),
                };
            }
            Arg::Field { idents, .. } => {
                let v = self.eval_field_chain(
                    dot,
                    dot.clone(),
                    false,
                    arg,
                    idents,
                    std::slice::from_ref(arg),
                    None,
                )?;
                return self.validate(v, ty);
            }
            Arg::Variable { idents, .. } => {
                let value = self.var_value(&idents[0])?;
                let v = if idents.len() == 1 {
                    value
                } else {
                    self.eval_field_chain(
                        dot,
                        value,
                        false,
                        arg,
                        &idents[1..],
                        std::slice::from_ref(arg),
                        None,
                    )?
                };
                return self.validate(v, ty);
            }
            Arg::Pipe(p) => {
                let v = self.eval_pipeline(dot, p)?;
                return self.validate(v, ty);
            }
            Arg::Identifier { name, .. } => {
                let v =
                    self.eval_function(dot, name, At::Arg(arg), std::slice::from_ref(arg), None)?;
                return self.validate(v, ty);
            }
            Arg::Chain { node, fields, .. } => {
                if matches!(node.as_ref(), Arg::Nil(_)) {
                    return self.error(format!("indirection through explicit nil in {arg}"));
                }
                let receiver = self.eval_arg(dot, None, node)?;
                let v = self.eval_field_chain(
                    dot,
                    receiver,
                    false,
                    arg,
                    fields,
                    std::slice::from_ref(arg),
                    None,
                )?;
                return self.validate(v, ty);
            }
            _ => {}
        }
        let ty = ty.unwrap_or(Ty::Any);
        match (ty, arg) {
            (Ty::Bool, Arg::Bool(_, b)) => Ok(Value::Bool(*b)),
            (Ty::Bool, _) => self.error(format!("expected bool; found {arg}")),
            (Ty::Float, Arg::Number(_, n)) if n.float.is_some() => {
                Ok(Value::Float(n.float.unwrap_or(0.0)))
            }
            (Ty::Float, _) => self.error(format!("expected float; found {arg}")),
            (Ty::Int, Arg::Number(_, n)) if n.int.is_some() => Ok(Value::Int(n.int.unwrap_or(0))),
            (Ty::Int64, Arg::Number(_, n)) if n.int.is_some() => {
                Ok(Value::Int64(n.int.unwrap_or(0)))
            }
            (Ty::Int | Ty::Int64, _) => self.error(format!("expected integer; found {arg}")),
            (Ty::Str, Arg::Str { value, .. }) => Ok(Value::str(value.as_str())),
            (Ty::Str, _) => self.error(format!("expected string; found {arg}")),
            (Ty::Any | Ty::Raw, Arg::Bool(_, b)) => Ok(Value::Bool(*b)),
            (Ty::Any | Ty::Raw, Arg::Number(_, n)) => self.ideal_constant(n),
            (Ty::Any | Ty::Raw, Arg::Str { value, .. }) => Ok(Value::str(value.as_str())),
            _ => self.error(format!(
                "can't handle {arg} for arg of type {}",
                ty.go_name()
            )),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_field_chain(
        &mut self,
        dot: &Value,
        mut receiver: Value,
        mut iface: bool,
        node: &'t Arg,
        idents: &'t [String],
        args: &'t [Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        let n = idents.len();
        for ident in &idents[..n - 1] {
            let (v, from_map) =
                self.eval_field(dot, ident, node, &args[..1], None, receiver, iface)?;
            receiver = v;
            iface = from_map;
        }
        self.eval_field(dot, &idents[n - 1], node, args, final_, receiver, iface)
            .map(|(v, _)| v)
    }

    /// One field step; also says whether the result came out of a map (typed `interface {}`).
    #[allow(clippy::too_many_arguments)]
    fn eval_field(
        &mut self,
        dot: &Value,
        name: &str,
        node: &'t Arg,
        args: &'t [Arg],
        final_: Option<Value>,
        receiver: Value,
        iface: bool,
    ) -> R<(Value, bool)> {
        let type_name = |v: &Value| {
            if iface || v.is_nil() {
                "interface {}".to_string()
            } else {
                v.type_name()
            }
        };
        let has_args = args.len() > 1 || final_.is_some();
        match &receiver {
            Value::Missing => {
                if self.engine.strict {
                    return self
                        .error(format!("nil data; no entry for key {}", gofmt::quote(name)));
                }
                Ok((Value::Missing, false))
            }
            Value::Nil => self.error(format!("nil pointer evaluating interface {{}}.{name}")),
            Value::Map(m) => {
                if has_args {
                    return self.error(format!("{name} is not a method but has arguments"));
                }
                match m.get(name) {
                    Some(v) => Ok((v, true)),
                    None if self.engine.strict => {
                        self.error(format!("map has no entry for key {}", gofmt::quote(name)))
                    }
                    None => Ok((Value::Nil, true)),
                }
            }
            Value::Object(o) => {
                if let Some(params) = o.method(name) {
                    let func = MethodCall {
                        object: o.clone(),
                        name,
                    };
                    let argv = self.eval_args(dot, name, params, None, &args[1..], final_)?;
                    return match func.object.call(func.name, argv) {
                        Ok(v) => Ok((v, false)),
                        Err(e) => {
                            self.at(At::Arg(node));
                            self.error(format!("error calling {name}: {e}"))
                        }
                    };
                }
                match o.field(name) {
                    Some(v) => {
                        if has_args {
                            return self.error(format!(
                                "{name} has arguments but cannot be invoked as function"
                            ));
                        }
                        Ok((v, false))
                    }
                    None => self.error(format!(
                        "can't evaluate field {name} in type {}",
                        o.type_name()
                    )),
                }
            }
            other => self.error(format!(
                "can't evaluate field {name} in type {}",
                type_name(other)
            )),
        }
    }

    /// Evaluates call arguments against a signature (Go's `evalCall` up to the call).
    fn eval_args(
        &mut self,
        dot: &Value,
        name: &str,
        params: &[Ty],
        variadic: Option<Ty>,
        args: &'t [Arg],
        final_: Option<Value>,
    ) -> R<Vec<Value>> {
        let num_in = args.len() + usize::from(final_.is_some());
        let num_fixed = if variadic.is_some() {
            params.len()
        } else {
            args.len()
        };
        if variadic.is_some() {
            if num_in < params.len() {
                return self.error(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    params.len(),
                    args.len()
                ));
            }
        } else if num_in != params.len() {
            return self.error(format!(
                "wrong number of args for {name}: want {} got {num_in}",
                params.len()
            ));
        }
        let mut argv = Vec::with_capacity(num_in);
        for (i, arg) in args.iter().enumerate() {
            let ty = if i < num_fixed && i < params.len() {
                params[i]
            } else {
                variadic.unwrap_or(Ty::Any)
            };
            argv.push(self.eval_arg(dot, Some(ty), arg)?);
        }
        if let Some(f) = final_ {
            let ty = match variadic {
                Some(v) if num_in > num_fixed => v,
                _ => params[num_in - 1],
            };
            argv.push(self.validate(f, Some(ty))?);
        }
        Ok(argv)
    }

    fn eval_function(
        &mut self,
        dot: &Value,
        name: &'t str,
        at: At<'t>,
        args: &'t [Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        let rest = &args[1..];
        if name == "and" || name == "or" {
            return self.and_or(dot, name == "or", rest, final_);
        }
        let Some(func) = self
            .engine
            .funcs
            .get(name)
            .copied()
            .or_else(|| builtin(name))
        else {
            return self.error(format!("{} is not a defined function", gofmt::quote(name)));
        };
        let argv = self.eval_args(dot, name, func.params, func.variadic, rest, final_)?;
        match (func.call)(self.engine, argv) {
            Ok(v) => Ok(v),
            Err(e) => {
                self.at(at);
                self.error(format!("error calling {name}: {e}"))
            }
        }
    }

    /// `and` and `or` stop at the first argument that decides them, and return it.
    fn and_or(
        &mut self,
        dot: &Value,
        or: bool,
        args: &'t [Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        let name = if or { "or" } else { "and" };
        if args.is_empty() && final_.is_none() {
            return self.error(format!(
                "wrong number of args for {name}: want at least 1 got 0"
            ));
        }
        let mut v = Value::Missing;
        for arg in args {
            v = self.eval_arg(dot, Some(Ty::Raw), arg)?;
            if v.truth() == or {
                return Ok(v);
            }
        }
        if let Some(f) = final_ {
            v = f;
        }
        Ok(v)
    }
}

struct MethodCall<'a> {
    object: Arc<dyn crate::value::Object>,
    name: &'a str,
}

/// What `{{ x }}` writes: Go's `printableValue` then `fmt.Fprint`.
fn printable(v: &Value) -> String {
    match v {
        Value::Missing => "<no value>".into(),
        other => gofmt::sprint_value(other),
    }
}

fn builtin(name: &str) -> Option<Func> {
    super::builtins::lookup(name)
}
