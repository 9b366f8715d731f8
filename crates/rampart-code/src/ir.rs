//! The language-neutral form every front-end lowers into: modules of functions, classes and
//! imports; statements and expressions with their spans. The analysis, the models and the rules
//! read only this.

use std::sync::Arc;

/// Where something is in its file: 1-based line and column of its first and last character,
/// and its byte range (to show the expression).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub start: u32,
    pub end: u32,
}

/// The language a module was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Python,
}

/// One source file, lowered.
#[derive(Debug)]
pub struct Module {
    /// The file as reports name it.
    pub path: Arc<str>,
    /// The dotted name imports would reach it by, guessed from its path (`shop/db.py` is
    /// `shop.db`, `shop/__init__.py` is `shop`); [`crate::Project`] resolves imports by suffix.
    pub name: String,
    pub language: Language,
    /// The text, to show expressions in flows.
    pub source: Arc<str>,
    /// Function 0 is the module's own top-level code.
    pub functions: Vec<Function>,
    pub classes: Vec<Class>,
    pub imports: Vec<Import>,
    /// Parts the parser could not read; the rest of the module is lowered.
    pub errors: Vec<SyntaxError>,
    pub lines: u32,
}

impl Module {
    /// The source text of `span`, on one line and cut to a readable length.
    pub fn text(&self, span: Span) -> String {
        let text = self
            .source
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        shorten(text)
    }

    /// The function whose body holds `span` most closely (the module's code when none).
    pub fn function_at(&self, span: Span) -> usize {
        self.functions
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, f)| f.span.start <= span.start && span.end <= f.span.end)
            .min_by_key(|(_, f)| f.span.end - f.span.start)
            .map_or(0, |(index, _)| index)
    }
}

/// `text` with runs of white space made one space, cut at 80 characters.
pub fn shorten(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(84));
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if out.chars().count() >= 80 {
            out.push('…');
            break;
        }
        out.push(c);
    }
    out
}

/// A part of a file the parser could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

/// A function, method, lambda, or a module's top-level code.
#[derive(Debug)]
pub struct Function {
    pub name: String,
    /// Dotted within the module: `search`, `Repo.find`, `outer.inner`.
    pub qualname: String,
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
    pub decorators: Vec<Expr>,
    /// The class it is a method of.
    pub class: Option<usize>,
    pub is_async: bool,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    Positional,
    /// `*args`
    Rest,
    /// `**kwargs`
    Keywords,
}

#[derive(Debug)]
pub struct Param {
    pub name: String,
    pub annotation: Option<Expr>,
    pub default: Option<Expr>,
    pub kind: ParamKind,
    pub span: Span,
}

#[derive(Debug)]
pub struct Class {
    pub name: String,
    pub qualname: String,
    pub bases: Vec<Expr>,
    /// Functions of the module that are its methods.
    pub methods: Vec<usize>,
    pub decorators: Vec<Expr>,
    pub span: Span,
}

/// One name an import binds: `import a.b` binds `a` to `a`; `import a.b as c` binds `c` to
/// `a.b`; `from .x import y as z` binds `z` to `y` of `x`, one package up (`level` 1).
#[derive(Debug, Clone)]
pub struct Import {
    pub module: String,
    /// The name imported from the module (`from m import name`), or `None` for the module.
    pub name: Option<String>,
    /// The local name it is bound to.
    pub binds: String,
    /// Leading dots of a relative import.
    pub level: u32,
    pub span: Span,
}

#[derive(Debug)]
pub enum Stmt {
    /// `a = b = value`, `a, b = value`, `a: T = value`.
    Assign {
        targets: Vec<Expr>,
        value: Expr,
        span: Span,
    },
    /// `a += value`.
    AugAssign {
        target: Expr,
        op: BinOp,
        value: Expr,
        span: Span,
    },
    Expr(Expr),
    Return(Option<Expr>, Span),
    If {
        test: Expr,
        then: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    /// `for target in iter` (with `iter`) or `while test` (with `test`).
    Loop {
        target: Option<Expr>,
        iter: Option<Expr>,
        test: Option<Expr>,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    Try {
        body: Vec<Stmt>,
        handlers: Vec<Handler>,
        orelse: Vec<Stmt>,
        finally: Vec<Stmt>,
    },
    /// `with value as target: body`.
    With {
        items: Vec<(Expr, Option<Expr>)>,
        body: Vec<Stmt>,
    },
    Raise(Option<Expr>, Span),
    /// A nested function or method definition, binding its name.
    Def(usize),
    /// A class definition, binding its name.
    Class(usize),
    /// An import (index into the module's imports), binding its name.
    Import(usize),
    Global(Vec<String>),
    /// `break`, `continue`: the rest of the block does not run.
    Jump,
}

#[derive(Debug)]
pub struct Handler {
    pub name: Option<String>,
    pub body: Vec<Stmt>,
}

#[derive(Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Const {
    Int(i64),
    Float(f64),
    Str(Arc<str>),
    Bool(bool),
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    MatMul,
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
    Pos,
    Invert,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    In,
    NotIn,
    Is,
    IsNot,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerKind {
    List,
    Tuple,
    Set,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    Positional,
    Keyword,
    /// `*args`
    Spread,
    /// `**kwargs`
    SpreadKeywords,
}

#[derive(Debug)]
pub struct Arg {
    pub kind: ArgKind,
    /// The keyword of a keyword argument.
    pub name: Option<String>,
    pub value: Expr,
}

#[derive(Debug)]
pub enum ExprKind {
    Name(String),
    Const(Const),
    Attribute(Box<Expr>, String),
    Subscript(Box<Expr>, Box<Expr>),
    /// `lower:upper:step`, each optional.
    Slice(Vec<Expr>),
    Call(Box<Expr>, Vec<Arg>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Unary(UnaryOp, Box<Expr>),
    /// `left op1 right1 op2 right2 ...`
    Compare(Box<Expr>, Vec<(CmpOp, Expr)>),
    Bool(BoolOp, Vec<Expr>),
    /// An interpolated string (f-string, template literal): its parts in order, text pieces as
    /// constants.
    Format(Vec<Expr>),
    Container(ContainerKind, Vec<Expr>),
    /// Keys (`None` for `**other`) and values.
    Dict(Vec<(Option<Expr>, Expr)>),
    /// `then if test else orelse`
    Conditional {
        test: Box<Expr>,
        then: Box<Expr>,
        orelse: Box<Expr>,
    },
    /// A lambda: the module's function of that index.
    Lambda(usize),
    /// `[element for target in iter if ...]` and the others: element, then (target, iter)
    /// pairs; conditions are dropped.
    Comprehension(Box<Expr>, Vec<(Expr, Expr)>),
    Await(Box<Expr>),
    /// `*value` in a container or target.
    Starred(Box<Expr>),
    /// `target := value`
    Walrus(Box<Expr>, Box<Expr>),
    /// Anything else, with the expressions it holds (so taint still flows through it).
    Other(Vec<Expr>),
}

impl Expr {
    /// The dotted name of `a.b.c` made of names and attributes only.
    pub fn dotted(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Name(name) => Some(name.clone()),
            ExprKind::Attribute(object, attribute) => {
                let mut dotted = object.dotted()?;
                dotted.push('.');
                dotted.push_str(attribute);
                Some(dotted)
            }
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Const(Const::Str(text)) => Some(text),
            _ => None,
        }
    }
}

impl Arg {
    pub fn is_keyword(&self, name: &str) -> bool {
        self.kind == ArgKind::Keyword && self.name.as_deref() == Some(name)
    }
}

/// The keyword argument `name` of a call's arguments.
pub fn keyword<'a>(args: &'a [Arg], name: &str) -> Option<&'a Expr> {
    args.iter()
        .find(|arg| arg.is_keyword(name))
        .map(|arg| &arg.value)
}

/// The `index`th positional argument.
pub fn positional(args: &[Arg], index: usize) -> Option<&Expr> {
    args.iter()
        .filter(|arg| arg.kind == ArgKind::Positional)
        .nth(index)
        .map(|arg| &arg.value)
}

/// Calls every statement (and nested block) of `body` with `visit`, in order.
pub fn walk_stmts<'a>(body: &'a [Stmt], visit: &mut impl FnMut(&'a Stmt)) {
    for stmt in body {
        visit(stmt);
        match stmt {
            Stmt::If { then, orelse, .. } => {
                walk_stmts(then, visit);
                walk_stmts(orelse, visit);
            }
            Stmt::Loop { body, orelse, .. } => {
                walk_stmts(body, visit);
                walk_stmts(orelse, visit);
            }
            Stmt::Try {
                body,
                handlers,
                orelse,
                finally,
            } => {
                walk_stmts(body, visit);
                for handler in handlers {
                    walk_stmts(&handler.body, visit);
                }
                walk_stmts(orelse, visit);
                walk_stmts(finally, visit);
            }
            Stmt::With { body, .. } => walk_stmts(body, visit),
            _ => {}
        }
    }
}

/// Calls `visit` with every expression in `expr`, itself first.
pub fn walk_expr<'a>(expr: &'a Expr, visit: &mut impl FnMut(&'a Expr)) {
    visit(expr);
    let mut each = |e: &'a Expr| walk_expr(e, visit);
    match &expr.kind {
        ExprKind::Name(_) | ExprKind::Const(_) | ExprKind::Lambda(_) => {}
        ExprKind::Attribute(object, _) => each(object),
        ExprKind::Subscript(object, index) => {
            each(object);
            each(index);
        }
        ExprKind::Call(func, args) => {
            each(func);
            args.iter().for_each(|arg| each(&arg.value));
        }
        ExprKind::Binary(_, left, right) => {
            each(left);
            each(right);
        }
        ExprKind::Unary(_, operand) | ExprKind::Await(operand) | ExprKind::Starred(operand) => {
            each(operand)
        }
        ExprKind::Compare(left, rest) => {
            each(left);
            rest.iter().for_each(|(_, e)| each(e));
        }
        ExprKind::Slice(parts)
        | ExprKind::Bool(_, parts)
        | ExprKind::Format(parts)
        | ExprKind::Container(_, parts)
        | ExprKind::Other(parts) => parts.iter().for_each(each),
        ExprKind::Dict(pairs) => {
            for (key, value) in pairs {
                if let Some(key) = key {
                    each(key);
                }
                each(value);
            }
        }
        ExprKind::Conditional { test, then, orelse } => {
            each(test);
            each(then);
            each(orelse);
        }
        ExprKind::Comprehension(element, generators) => {
            each(element);
            for (target, iter) in generators {
                each(target);
                each(iter);
            }
        }
        ExprKind::Walrus(target, value) => {
            each(target);
            each(value);
        }
    }
}

/// Every expression directly in a statement (not in nested blocks).
pub fn stmt_exprs(stmt: &Stmt) -> Vec<&Expr> {
    match stmt {
        Stmt::Assign { targets, value, .. } => targets.iter().chain([value]).collect(),
        Stmt::AugAssign { target, value, .. } => vec![target, value],
        Stmt::Expr(expr) => vec![expr],
        Stmt::Return(expr, _) | Stmt::Raise(expr, _) => expr.iter().collect(),
        Stmt::If { test, .. } => vec![test],
        Stmt::Loop {
            target, iter, test, ..
        } => target.iter().chain(iter).chain(test).collect(),
        Stmt::With { items, .. } => items
            .iter()
            .flat_map(|(value, target)| std::iter::once(value).chain(target))
            .collect(),
        _ => Vec::new(),
    }
}
