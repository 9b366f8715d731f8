//! The Python front-end: tree-sitter's error-tolerant parse, lowered into the IR. A statement
//! the parser could not read becomes an error entry; the statements and functions around it
//! are lowered as usual.

use std::sync::Arc;

use tree_sitter::{Node, Parser};

use crate::ir::*;

/// Nesting deeper than this is not lowered (an error entry says so): the lowering recurses.
const MAX_DEPTH: u32 = 100;
/// Error entries kept per file: one broken construct often gives many.
const MAX_ERRORS: usize = 20;

/// Parses and lowers one Python file. `path` is how reports name it; the module's dotted name
/// is guessed from it.
pub fn parse(path: &str, text: &str) -> Module {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("the Python grammar matches the tree-sitter version");
    let source: Arc<str> = Arc::from(text);
    let mut lowering = Lowering {
        source: text.as_bytes(),
        functions: Vec::new(),
        classes: Vec::new(),
        imports: Vec::new(),
        errors: Vec::new(),
        scope: Vec::new(),
        class: None,
    };
    // The module's code is function 0.
    lowering.functions.push(Function {
        name: "<module>".into(),
        qualname: "<module>".into(),
        params: Vec::new(),
        body: Vec::new(),
        decorators: Vec::new(),
        class: None,
        is_async: false,
        span: Span::default(),
    });
    let tree = parser.parse(text, None);
    if let Some(tree) = &tree {
        let root = tree.root_node();
        lowering.functions[0].span = span(root);
        if root.has_error() {
            // tree-sitter recovers locally, but a broken header can swallow the definitions
            // after it: each top-level definition is parsed again on its own, so that one
            // broken function costs only itself.
            let mut body = Vec::new();
            for range in top_level_chunks(text) {
                if parser.set_included_ranges(&[range]).is_err() {
                    continue;
                }
                if let Some(chunk) = parser.parse(text, None) {
                    body.extend(lowering.block(chunk.root_node(), 0));
                    lowering.collect_errors(chunk.root_node());
                }
            }
            lowering.functions[0].body = body;
        } else {
            let body = lowering.block(root, 0);
            lowering.functions[0].body = body;
        }
    }
    Module {
        path: Arc::from(path),
        name: module_name(path),
        language: Language::Python,
        lines: text.lines().count() as u32,
        source,
        functions: lowering.functions,
        classes: lowering.classes,
        imports: lowering.imports,
        errors: lowering.errors,
    }
}

/// The file cut before each top-level definition (`def`, `class`, a decorator): parts that
/// parse on their own.
fn top_level_chunks(text: &str) -> Vec<tree_sitter::Range> {
    let mut starts = vec![(0usize, 0usize)];
    let mut offset = 0;
    for (row, line) in text.split_inclusive('\n').enumerate() {
        let starts_definition = ["def ", "async def ", "class ", "@"]
            .iter()
            .any(|keyword| line.starts_with(keyword));
        if starts_definition && offset > 0 {
            // A decorator's definition belongs with it.
            let after_decorator = starts.last().is_some_and(|&(start, _)| {
                text[start..offset].trim_start().starts_with('@')
                    && !text[start..offset].contains("def ")
                    && !text[start..offset].contains("class ")
            });
            if !after_decorator {
                starts.push((offset, row));
            }
        }
        offset += line.len();
    }
    let mut ranges = Vec::with_capacity(starts.len());
    for (index, &(start, row)) in starts.iter().enumerate() {
        let (end, end_row) = starts
            .get(index + 1)
            .copied()
            .unwrap_or((text.len(), usize::MAX));
        let end_row = if end_row == usize::MAX {
            text.matches('\n').count()
        } else {
            end_row
        };
        ranges.push(tree_sitter::Range {
            start_byte: start,
            end_byte: end,
            start_point: tree_sitter::Point { row, column: 0 },
            end_point: tree_sitter::Point {
                row: end_row,
                column: 0,
            },
        });
    }
    ranges
}

/// `shop/db.py` is `shop.db`, `shop/__init__.py` is `shop`.
pub fn module_name(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path);
    let stem = path.strip_suffix(".py").unwrap_or(path);
    let stem = stem.strip_suffix("/__init__").unwrap_or(stem);
    stem.trim_start_matches('/').replace(['/', '\\'], ".")
}

fn span(node: Node<'_>) -> Span {
    let start = node.start_position();
    let end = node.end_position();
    Span {
        line: start.row as u32 + 1,
        column: start.column as u32 + 1,
        end_line: end.row as u32 + 1,
        end_column: end.column as u32,
        start: node.start_byte() as u32,
        end: node.end_byte() as u32,
    }
}

struct Lowering<'s> {
    source: &'s [u8],
    functions: Vec<Function>,
    classes: Vec<Class>,
    imports: Vec<Import>,
    errors: Vec<SyntaxError>,
    /// Qualified names of the enclosing functions and classes.
    scope: Vec<String>,
    /// The class whose body is being lowered.
    class: Option<usize>,
}

impl<'s> Lowering<'s> {
    fn text(&self, node: Node<'_>) -> &'s str {
        std::str::from_utf8(&self.source[node.byte_range()]).unwrap_or("")
    }

    fn error(&mut self, node: Node<'_>, message: impl Into<String>) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(SyntaxError {
                span: span(node),
                message: message.into(),
            });
        }
    }

    /// Error entries for the parts tree-sitter could not read or had to invent.
    fn collect_errors(&mut self, root: Node<'_>) {
        if !root.has_error() {
            return;
        }
        let mut cursor = root.walk();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            if node.is_error() {
                let shown = shorten(self.text(node));
                self.error(node, format!("cannot parse `{shown}`"));
                continue;
            }
            if node.is_missing() {
                self.error(node, format!("expected `{}`", node.kind()));
                continue;
            }
            if node.has_error() {
                let children: Vec<_> = node.children(&mut cursor).collect();
                stack.extend(children.into_iter().rev());
            }
        }
        self.errors.sort_by_key(|error| error.span);
    }

    fn qualified(&self, name: &str) -> String {
        match self.scope.last() {
            Some(outer) => format!("{outer}.{name}"),
            None => name.to_owned(),
        }
    }

    /// The statements of a block (or module), each lowered; parts that did not parse give
    /// the statements found inside them.
    fn block(&mut self, node: Node<'_>, depth: u32) -> Vec<Stmt> {
        let mut body = Vec::new();
        let mut cursor = node.walk();
        let children: Vec<_> = node.named_children(&mut cursor).collect();
        for child in children {
            self.statement(child, depth, &mut body);
        }
        body
    }

    fn statement(&mut self, node: Node<'_>, depth: u32, body: &mut Vec<Stmt>) {
        if depth > MAX_DEPTH {
            self.error(node, "nesting too deep to analyse");
            return;
        }
        let field = |name: &str| node.child_by_field_name(name);
        match node.kind() {
            "expression_statement" => {
                let mut cursor = node.walk();
                let children: Vec<_> = node.named_children(&mut cursor).collect();
                for child in children {
                    match child.kind() {
                        "assignment" => body.push(self.assignment(child, depth)),
                        "augmented_assignment" => {
                            let (Some(left), Some(right)) = (
                                child.child_by_field_name("left"),
                                child.child_by_field_name("right"),
                            ) else {
                                continue;
                            };
                            let op = child
                                .child_by_field_name("operator")
                                .map(|op| self.text(op).trim_end_matches('='))
                                .and_then(binary_op)
                                .unwrap_or(BinOp::Add);
                            body.push(Stmt::AugAssign {
                                target: self.expr(left, depth + 1),
                                op,
                                value: self.expr(right, depth + 1),
                                span: span(child),
                            });
                        }
                        _ => body.push(Stmt::Expr(self.expr(child, depth + 1))),
                    }
                }
            }
            "return_statement" => {
                let value = node.named_child(0).map(|value| self.expr(value, depth + 1));
                body.push(Stmt::Return(value, span(node)));
            }
            "raise_statement" => {
                let value = node.named_child(0).map(|value| self.expr(value, depth + 1));
                body.push(Stmt::Raise(value, span(node)));
            }
            "if_statement" => body.push(self.if_statement(node, depth)),
            "for_statement" => {
                let target = field("left").map(|left| self.expr(left, depth + 1));
                let iter = field("right").map(|right| self.expr(right, depth + 1));
                let body_stmts = field("body").map_or_else(Vec::new, |b| self.block(b, depth + 1));
                let orelse = self.else_body(field("alternative"), depth);
                body.push(Stmt::Loop {
                    target,
                    iter,
                    test: None,
                    body: body_stmts,
                    orelse,
                });
            }
            "while_statement" => {
                let test = field("condition").map(|test| self.expr(test, depth + 1));
                let body_stmts = field("body").map_or_else(Vec::new, |b| self.block(b, depth + 1));
                let orelse = self.else_body(field("alternative"), depth);
                body.push(Stmt::Loop {
                    target: None,
                    iter: None,
                    test,
                    body: body_stmts,
                    orelse,
                });
            }
            "try_statement" => body.push(self.try_statement(node, depth)),
            "with_statement" => body.push(self.with_statement(node, depth)),
            "function_definition" => {
                let index = self.function(node, Vec::new(), depth);
                body.push(Stmt::Def(index));
            }
            "class_definition" => {
                let index = self.class(node, Vec::new(), depth);
                body.push(Stmt::Class(index));
            }
            "decorated_definition" => {
                let mut cursor = node.walk();
                let decorators: Vec<Expr> = node
                    .named_children(&mut cursor)
                    .filter(|child| child.kind() == "decorator")
                    .filter_map(|decorator| decorator.named_child(0))
                    .collect::<Vec<_>>()
                    .into_iter()
                    .map(|expr| self.expr(expr, depth + 1))
                    .collect();
                match field("definition") {
                    Some(def) if def.kind() == "function_definition" => {
                        let index = self.function(def, decorators, depth);
                        body.push(Stmt::Def(index));
                    }
                    Some(def) if def.kind() == "class_definition" => {
                        let index = self.class(def, decorators, depth);
                        body.push(Stmt::Class(index));
                    }
                    _ => {}
                }
            }
            "import_statement" => self.import(node, body),
            "import_from_statement" => self.import_from(node, body),
            "global_statement" | "nonlocal_statement" => {
                let mut cursor = node.walk();
                let names = node
                    .named_children(&mut cursor)
                    .map(|name| self.text(name).to_owned())
                    .collect();
                body.push(Stmt::Global(names));
            }
            "break_statement" | "continue_statement" => body.push(Stmt::Jump),
            "assert_statement" | "delete_statement" | "print_statement" | "exec_statement" => {
                let mut cursor = node.walk();
                let children: Vec<_> = node.named_children(&mut cursor).collect();
                for child in children {
                    body.push(Stmt::Expr(self.expr(child, depth + 1)));
                }
            }
            "match_statement" => {
                // Each case may run: nested branches on a test the analysis cannot decide.
                let subject = field("subject").map(|s| self.expr(s, depth + 1));
                let mut cases = Vec::new();
                if let Some(block) = field("body") {
                    let mut cursor = block.walk();
                    let clauses: Vec<_> = block.named_children(&mut cursor).collect();
                    for clause in clauses {
                        if let Some(consequence) = clause.child_by_field_name("consequence") {
                            cases.push(self.block(consequence, depth + 1));
                        }
                    }
                }
                if let Some(subject) = subject {
                    body.push(Stmt::Expr(subject));
                }
                let mut orelse = Vec::new();
                for case in cases.into_iter().rev() {
                    orelse = vec![Stmt::If {
                        test: unknown(span(node)),
                        then: case,
                        orelse,
                    }];
                }
                body.extend(orelse);
            }
            "ERROR" => {
                // What did parse inside a broken part still runs.
                let mut cursor = node.walk();
                let children: Vec<_> = node.named_children(&mut cursor).collect();
                for child in children {
                    if child.kind().ends_with("statement") || child.kind().ends_with("definition") {
                        self.statement(child, depth + 1, body);
                    }
                }
            }
            "block" => body.extend(self.block(node, depth + 1)),
            _ => {}
        }
    }

    fn assignment(&mut self, node: Node<'_>, depth: u32) -> Stmt {
        let mut targets = Vec::new();
        let mut current = node;
        loop {
            if let Some(left) = current.child_by_field_name("left") {
                targets.push(self.expr(left, depth + 1));
            }
            match current.child_by_field_name("right") {
                Some(right) if right.kind() == "assignment" => current = right,
                Some(right) => {
                    let value = self.expr(right, depth + 1);
                    return Stmt::Assign {
                        targets,
                        value,
                        span: span(node),
                    };
                }
                // `x: int` binds nothing.
                None => {
                    return Stmt::Expr(Expr {
                        kind: ExprKind::Other(Vec::new()),
                        span: span(node),
                    });
                }
            }
        }
    }

    fn if_statement(&mut self, node: Node<'_>, depth: u32) -> Stmt {
        let test = node
            .child_by_field_name("condition")
            .map_or_else(|| unknown(span(node)), |test| self.expr(test, depth + 1));
        let then = node
            .child_by_field_name("consequence")
            .map_or_else(Vec::new, |b| self.block(b, depth + 1));
        let mut cursor = node.walk();
        let alternatives: Vec<_> = node
            .children_by_field_name("alternative", &mut cursor)
            .collect();
        // `elif` chains become nested ifs, built from the last.
        let mut orelse = Vec::new();
        for alternative in alternatives.into_iter().rev() {
            match alternative.kind() {
                "elif_clause" => {
                    let test = alternative
                        .child_by_field_name("condition")
                        .map_or_else(|| unknown(span(alternative)), |t| self.expr(t, depth + 1));
                    let then = alternative
                        .child_by_field_name("consequence")
                        .map_or_else(Vec::new, |b| self.block(b, depth + 1));
                    orelse = vec![Stmt::If { test, then, orelse }];
                }
                _ => orelse = self.else_body(Some(alternative), depth),
            }
        }
        Stmt::If { test, then, orelse }
    }

    fn else_body(&mut self, clause: Option<Node<'_>>, depth: u32) -> Vec<Stmt> {
        clause
            .and_then(|clause| clause.child_by_field_name("body"))
            .map_or_else(Vec::new, |body| self.block(body, depth + 1))
    }

    fn try_statement(&mut self, node: Node<'_>, depth: u32) -> Stmt {
        let body = node
            .child_by_field_name("body")
            .map_or_else(Vec::new, |b| self.block(b, depth + 1));
        let mut handlers = Vec::new();
        let mut orelse = Vec::new();
        let mut finally = Vec::new();
        let mut cursor = node.walk();
        let children: Vec<_> = node.named_children(&mut cursor).collect();
        for child in children {
            match child.kind() {
                "except_clause" | "except_group_clause" => {
                    let name = child
                        .child_by_field_name("alias")
                        .map(|alias| self.text(alias).to_owned());
                    let mut cursor = child.walk();
                    let block = child
                        .named_children(&mut cursor)
                        .find(|c| c.kind() == "block");
                    let body = block.map_or_else(Vec::new, |b| self.block(b, depth + 1));
                    handlers.push(Handler { name, body });
                }
                "else_clause" => orelse = self.else_body(Some(child), depth),
                "finally_clause" => {
                    let mut cursor = child.walk();
                    let block = child
                        .named_children(&mut cursor)
                        .find(|c| c.kind() == "block");
                    finally = block.map_or_else(Vec::new, |b| self.block(b, depth + 1));
                }
                _ => {}
            }
        }
        Stmt::Try {
            body,
            handlers,
            orelse,
            finally,
        }
    }

    fn with_statement(&mut self, node: Node<'_>, depth: u32) -> Stmt {
        let mut items = Vec::new();
        let mut cursor = node.walk();
        let clauses: Vec<_> = node
            .named_children(&mut cursor)
            .filter(|child| child.kind() == "with_clause")
            .collect();
        for clause in clauses {
            let mut cursor = clause.walk();
            let with_items: Vec<_> = clause.named_children(&mut cursor).collect();
            for item in with_items {
                let Some(value) = item.child_by_field_name("value") else {
                    continue;
                };
                if value.kind() == "as_pattern" {
                    let target = value
                        .child_by_field_name("alias")
                        .and_then(|alias| alias.named_child(0))
                        .map(|target| self.expr(target, depth + 1));
                    let Some(inner) = value.named_child(0) else {
                        continue;
                    };
                    items.push((self.expr(inner, depth + 1), target));
                } else {
                    items.push((self.expr(value, depth + 1), None));
                }
            }
        }
        let body = node
            .child_by_field_name("body")
            .map_or_else(Vec::new, |b| self.block(b, depth + 1));
        Stmt::With { items, body }
    }

    fn function(&mut self, node: Node<'_>, decorators: Vec<Expr>, depth: u32) -> usize {
        let name = node
            .child_by_field_name("name")
            .map_or("<anonymous>", |name| self.text(name))
            .to_owned();
        let is_async = node.child(0).is_some_and(|first| first.kind() == "async");
        let qualname = self.qualified(&name);
        let params = node
            .child_by_field_name("parameters")
            .map_or_else(Vec::new, |params| self.parameters(params, depth));
        let index = self.functions.len();
        self.functions.push(Function {
            name,
            qualname: qualname.clone(),
            params,
            body: Vec::new(),
            decorators,
            class: self.class,
            is_async,
            span: span(node),
        });
        self.scope.push(qualname);
        let outer_class = self.class.take();
        let body = node
            .child_by_field_name("body")
            .map_or_else(Vec::new, |b| self.block(b, depth + 1));
        self.class = outer_class;
        self.scope.pop();
        self.functions[index].body = body;
        index
    }

    fn parameters(&mut self, node: Node<'_>, depth: u32) -> Vec<Param> {
        let mut params = Vec::new();
        let mut cursor = node.walk();
        let children: Vec<_> = node.named_children(&mut cursor).collect();
        for child in children {
            let (name_node, annotation, default, kind) = match child.kind() {
                "identifier" => (Some(child), None, None, ParamKind::Positional),
                "typed_parameter" => {
                    let inner = child.named_child(0);
                    let kind = match inner.map(|n| n.kind()) {
                        Some("list_splat_pattern") => ParamKind::Rest,
                        Some("dictionary_splat_pattern") => ParamKind::Keywords,
                        _ => ParamKind::Positional,
                    };
                    let name = match kind {
                        ParamKind::Positional => inner,
                        _ => inner.and_then(|n| n.named_child(0)),
                    };
                    (name, child.child_by_field_name("type"), None, kind)
                }
                "default_parameter" | "typed_default_parameter" => (
                    child.child_by_field_name("name"),
                    child.child_by_field_name("type"),
                    child.child_by_field_name("value"),
                    ParamKind::Positional,
                ),
                "list_splat_pattern" => (child.named_child(0), None, None, ParamKind::Rest),
                "dictionary_splat_pattern" => {
                    (child.named_child(0), None, None, ParamKind::Keywords)
                }
                _ => continue,
            };
            let Some(name_node) = name_node else { continue };
            params.push(Param {
                name: self.text(name_node).to_owned(),
                annotation: annotation.map(|a| self.expr(a, depth + 1)),
                default: default.map(|d| self.expr(d, depth + 1)),
                kind,
                span: span(child),
            });
        }
        params
    }

    fn class(&mut self, node: Node<'_>, decorators: Vec<Expr>, depth: u32) -> usize {
        let name = node
            .child_by_field_name("name")
            .map_or("<anonymous>", |name| self.text(name))
            .to_owned();
        let qualname = self.qualified(&name);
        let bases = node
            .child_by_field_name("superclasses")
            .map_or_else(Vec::new, |args| {
                self.arguments(args, depth)
                    .into_iter()
                    .filter(|arg| arg.kind == ArgKind::Positional)
                    .map(|arg| arg.value)
                    .collect()
            });
        let index = self.classes.len();
        self.classes.push(Class {
            name,
            qualname: qualname.clone(),
            bases,
            methods: Vec::new(),
            decorators,
            span: span(node),
        });
        self.scope.push(qualname);
        let outer = self.class.replace(index);
        let first_function = self.functions.len();
        // The class body runs once, in the enclosing function; its defs are the methods.
        let body = node
            .child_by_field_name("body")
            .map_or_else(Vec::new, |b| self.block(b, depth + 1));
        let methods = body
            .iter()
            .filter_map(|stmt| match stmt {
                Stmt::Def(index) if *index >= first_function => Some(*index),
                _ => None,
            })
            .collect();
        self.classes[index].methods = methods;
        self.class = outer;
        self.scope.pop();
        index
    }

    fn import(&mut self, node: Node<'_>, body: &mut Vec<Stmt>) {
        let mut cursor = node.walk();
        let names: Vec<_> = node.children_by_field_name("name", &mut cursor).collect();
        for name in names {
            let (module, binds) = match name.kind() {
                "aliased_import" => {
                    let module = name
                        .child_by_field_name("name")
                        .map_or("", |n| self.text(n));
                    let alias = name
                        .child_by_field_name("alias")
                        .map_or(module, |n| self.text(n));
                    (module.to_owned(), alias.to_owned())
                }
                _ => {
                    // `import a.b` binds `a`, which is the module `a`.
                    let dotted = self.text(name);
                    let first = dotted.split('.').next().unwrap_or(dotted);
                    (first.to_owned(), first.to_owned())
                }
            };
            body.push(Stmt::Import(self.imports.len()));
            self.imports.push(Import {
                module,
                name: None,
                binds,
                level: 0,
                span: span(node),
            });
        }
    }

    fn import_from(&mut self, node: Node<'_>, body: &mut Vec<Stmt>) {
        let Some(module_node) = node.child_by_field_name("module_name") else {
            return;
        };
        let (module, level) = if module_node.kind() == "relative_import" {
            let mut cursor = module_node.walk();
            let mut level = 0;
            let mut module = String::new();
            for child in module_node.named_children(&mut cursor) {
                match child.kind() {
                    "import_prefix" => level = self.text(child).len() as u32,
                    _ => module = self.text(child).to_owned(),
                }
            }
            (module, level)
        } else {
            (self.text(module_node).to_owned(), 0)
        };
        let mut cursor = node.walk();
        let names: Vec<_> = node.children_by_field_name("name", &mut cursor).collect();
        for name in names {
            let (imported, binds) = match name.kind() {
                "aliased_import" => {
                    let imported = name
                        .child_by_field_name("name")
                        .map_or("", |n| self.text(n));
                    let alias = name
                        .child_by_field_name("alias")
                        .map_or(imported, |n| self.text(n));
                    (imported, alias)
                }
                _ => (self.text(name), self.text(name)),
            };
            body.push(Stmt::Import(self.imports.len()));
            self.imports.push(Import {
                module: module.clone(),
                name: Some(imported.to_owned()),
                binds: binds.to_owned(),
                level,
                span: span(node),
            });
        }
    }

    fn arguments(&mut self, node: Node<'_>, depth: u32) -> Vec<Arg> {
        let mut args = Vec::new();
        let mut cursor = node.walk();
        let children: Vec<_> = node.named_children(&mut cursor).collect();
        for child in children {
            let arg = match child.kind() {
                "keyword_argument" => {
                    let name = child
                        .child_by_field_name("name")
                        .map(|n| self.text(n).to_owned());
                    let Some(value) = child.child_by_field_name("value") else {
                        continue;
                    };
                    Arg {
                        kind: ArgKind::Keyword,
                        name,
                        value: self.expr(value, depth + 1),
                    }
                }
                "list_splat" => Arg {
                    kind: ArgKind::Spread,
                    name: None,
                    value: self.inner(child, depth),
                },
                "dictionary_splat" => Arg {
                    kind: ArgKind::SpreadKeywords,
                    name: None,
                    value: self.inner(child, depth),
                },
                "comment" => continue,
                _ => Arg {
                    kind: ArgKind::Positional,
                    name: None,
                    value: self.expr(child, depth + 1),
                },
            };
            args.push(arg);
        }
        args
    }

    /// The first named child of `node`, lowered.
    fn inner(&mut self, node: Node<'_>, depth: u32) -> Expr {
        match node.named_child(0) {
            Some(child) => self.expr(child, depth + 1),
            None => unknown(span(node)),
        }
    }

    fn children(&mut self, node: Node<'_>, depth: u32) -> Vec<Expr> {
        let mut cursor = node.walk();
        let children: Vec<_> = node
            .named_children(&mut cursor)
            .filter(|child| child.kind() != "comment")
            .collect();
        children
            .into_iter()
            .map(|child| self.expr(child, depth + 1))
            .collect()
    }

    fn expr(&mut self, node: Node<'_>, depth: u32) -> Expr {
        let at = span(node);
        if depth > MAX_DEPTH {
            self.error(node, "nesting too deep to analyse");
            return unknown(at);
        }
        let field = |name: &str| node.child_by_field_name(name);
        let kind = match node.kind() {
            "identifier" => ExprKind::Name(self.text(node).to_owned()),
            "integer" => match parse_int(self.text(node)) {
                Some(value) => ExprKind::Const(Const::Int(value)),
                None => ExprKind::Other(Vec::new()),
            },
            "float" => match self.text(node).replace('_', "").parse() {
                Ok(value) => ExprKind::Const(Const::Float(value)),
                Err(_) => ExprKind::Other(Vec::new()),
            },
            "true" => ExprKind::Const(Const::Bool(true)),
            "false" => ExprKind::Const(Const::Bool(false)),
            "none" => ExprKind::Const(Const::None),
            "string" => self.string(node, depth),
            "concatenated_string" => {
                let parts = self.children(node, depth);
                match constant_concat(&parts) {
                    Some(text) => ExprKind::Const(Const::Str(Arc::from(text))),
                    None => ExprKind::Format(parts),
                }
            }
            "attribute" => match (field("object"), field("attribute")) {
                (Some(object), Some(attribute)) => ExprKind::Attribute(
                    Box::new(self.expr(object, depth + 1)),
                    self.text(attribute).to_owned(),
                ),
                _ => ExprKind::Other(self.children(node, depth)),
            },
            "subscript" => {
                let value = field("value").map(|v| self.expr(v, depth + 1));
                let mut cursor = node.walk();
                let subscripts: Vec<_> = node
                    .children_by_field_name("subscript", &mut cursor)
                    .collect();
                let mut indexes: Vec<Expr> = subscripts
                    .into_iter()
                    .map(|s| self.expr(s, depth + 1))
                    .collect();
                match (value, indexes.len()) {
                    (Some(value), 1) => ExprKind::Subscript(
                        Box::new(value),
                        Box::new(indexes.pop().expect("one index")),
                    ),
                    (Some(value), _) => {
                        let tuple = Expr {
                            kind: ExprKind::Container(ContainerKind::Tuple, indexes),
                            span: at,
                        };
                        ExprKind::Subscript(Box::new(value), Box::new(tuple))
                    }
                    (None, _) => ExprKind::Other(indexes),
                }
            }
            "slice" => ExprKind::Slice(self.children(node, depth)),
            "call" => {
                let func = field("function").map(|f| self.expr(f, depth + 1));
                let args = match field("arguments") {
                    Some(args) if args.kind() == "argument_list" => self.arguments(args, depth),
                    Some(generator) => vec![Arg {
                        kind: ArgKind::Positional,
                        name: None,
                        value: self.expr(generator, depth + 1),
                    }],
                    None => Vec::new(),
                };
                match func {
                    Some(func) => ExprKind::Call(Box::new(func), args),
                    None => ExprKind::Other(args.into_iter().map(|a| a.value).collect()),
                }
            }
            "binary_operator" => {
                let op = field("operator")
                    .map(|op| self.text(op))
                    .and_then(binary_op);
                match (op, field("left"), field("right")) {
                    (Some(op), Some(left), Some(right)) => ExprKind::Binary(
                        op,
                        Box::new(self.expr(left, depth + 1)),
                        Box::new(self.expr(right, depth + 1)),
                    ),
                    _ => ExprKind::Other(self.children(node, depth)),
                }
            }
            "unary_operator" => {
                let op = match field("operator").map(|op| self.text(op)) {
                    Some("-") => UnaryOp::Neg,
                    Some("~") => UnaryOp::Invert,
                    _ => UnaryOp::Pos,
                };
                match field("argument") {
                    Some(arg) => ExprKind::Unary(op, Box::new(self.expr(arg, depth + 1))),
                    None => ExprKind::Other(Vec::new()),
                }
            }
            "not_operator" => match field("argument") {
                Some(arg) => ExprKind::Unary(UnaryOp::Not, Box::new(self.expr(arg, depth + 1))),
                None => ExprKind::Other(Vec::new()),
            },
            "boolean_operator" => {
                let op = match field("operator").map(|op| op.kind()) {
                    Some("and") => BoolOp::And,
                    _ => BoolOp::Or,
                };
                let parts = [field("left"), field("right")]
                    .into_iter()
                    .flatten()
                    .map(|part| self.expr(part, depth + 1))
                    .collect();
                ExprKind::Bool(op, parts)
            }
            "comparison_operator" => self.comparison(node, depth),
            "conditional_expression" => {
                let mut parts = self.children(node, depth).into_iter();
                match (parts.next(), parts.next(), parts.next()) {
                    (Some(then), Some(test), Some(orelse)) => ExprKind::Conditional {
                        test: Box::new(test),
                        then: Box::new(then),
                        orelse: Box::new(orelse),
                    },
                    (first, second, _) => {
                        ExprKind::Other(first.into_iter().chain(second).collect())
                    }
                }
            }
            "parenthesized_expression" | "type" => return self.inner(node, depth),
            "list" => ExprKind::Container(ContainerKind::List, self.children(node, depth)),
            "tuple" | "expression_list" | "pattern_list" | "tuple_pattern" => {
                ExprKind::Container(ContainerKind::Tuple, self.children(node, depth))
            }
            "list_pattern" => ExprKind::Container(ContainerKind::List, self.children(node, depth)),
            "set" => ExprKind::Container(ContainerKind::Set, self.children(node, depth)),
            "dictionary" => {
                let mut pairs = Vec::new();
                let mut cursor = node.walk();
                let children: Vec<_> = node.named_children(&mut cursor).collect();
                for child in children {
                    match child.kind() {
                        "pair" => {
                            let (Some(key), Some(value)) = (
                                child.child_by_field_name("key"),
                                child.child_by_field_name("value"),
                            ) else {
                                continue;
                            };
                            pairs.push((
                                Some(self.expr(key, depth + 1)),
                                self.expr(value, depth + 1),
                            ));
                        }
                        "dictionary_splat" => pairs.push((None, self.inner(child, depth))),
                        _ => {}
                    }
                }
                ExprKind::Dict(pairs)
            }
            "list_comprehension"
            | "set_comprehension"
            | "generator_expression"
            | "dictionary_comprehension" => {
                let element = match field("body") {
                    Some(body) if body.kind() == "pair" => {
                        let parts = self.children(body, depth);
                        Expr {
                            kind: ExprKind::Other(parts),
                            span: span(body),
                        }
                    }
                    Some(body) => self.expr(body, depth + 1),
                    None => unknown(at),
                };
                let mut generators = Vec::new();
                let mut cursor = node.walk();
                let clauses: Vec<_> = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() == "for_in_clause")
                    .collect();
                for clause in clauses {
                    if let (Some(left), Some(right)) = (
                        clause.child_by_field_name("left"),
                        clause.child_by_field_name("right"),
                    ) {
                        generators.push((self.expr(left, depth + 1), self.expr(right, depth + 1)));
                    }
                }
                let kind = ExprKind::Comprehension(Box::new(element), generators);
                match node.kind() {
                    "list_comprehension" => ExprKind::Container(
                        ContainerKind::List,
                        vec![Expr {
                            kind: ExprKind::Starred(Box::new(Expr { kind, span: at })),
                            span: at,
                        }],
                    ),
                    _ => kind,
                }
            }
            "lambda" => {
                let index = self.functions.len();
                let qualname = self.qualified("<lambda>");
                let params = field("parameters")
                    .map_or_else(Vec::new, |params| self.parameters(params, depth));
                self.functions.push(Function {
                    name: "<lambda>".into(),
                    qualname,
                    params,
                    body: Vec::new(),
                    decorators: Vec::new(),
                    class: None,
                    is_async: false,
                    span: at,
                });
                let body = field("body").map(|b| self.expr(b, depth + 1));
                self.functions[index].body = vec![Stmt::Return(body, at)];
                ExprKind::Lambda(index)
            }
            "await" => ExprKind::Await(Box::new(self.inner(node, depth))),
            "list_splat" | "list_splat_pattern" | "dictionary_splat" => {
                ExprKind::Starred(Box::new(self.inner(node, depth)))
            }
            "named_expression" => match (field("name"), field("value")) {
                (Some(name), Some(value)) => ExprKind::Walrus(
                    Box::new(self.expr(name, depth + 1)),
                    Box::new(self.expr(value, depth + 1)),
                ),
                _ => ExprKind::Other(self.children(node, depth)),
            },
            "keyword_argument" => match field("value") {
                Some(value) => return self.expr(value, depth + 1),
                None => ExprKind::Other(Vec::new()),
            },
            _ => ExprKind::Other(self.children(node, depth)),
        };
        Expr { kind, span: at }
    }

    fn comparison(&mut self, node: Node<'_>, depth: u32) -> ExprKind {
        let mut operands = Vec::new();
        let mut operators = Vec::new();
        let mut cursor = node.walk();
        let mut pending_not = false;
        let mut pending_is = false;
        let children: Vec<_> = node.children(&mut cursor).collect();
        for child in children {
            if child.is_named() {
                if child.kind() == "comment" {
                    continue;
                }
                operands.push(self.expr(child, depth + 1));
                continue;
            }
            let op = match child.kind() {
                "==" => CmpOp::Eq,
                "!=" | "<>" => CmpOp::NotEq,
                "<" => CmpOp::Lt,
                "<=" => CmpOp::LtE,
                ">" => CmpOp::Gt,
                ">=" => CmpOp::GtE,
                "in" if pending_not => {
                    pending_not = false;
                    operators.pop();
                    CmpOp::NotIn
                }
                "in" => CmpOp::In,
                "not in" => CmpOp::NotIn,
                "is not" => CmpOp::IsNot,
                "not" if pending_is => {
                    pending_is = false;
                    operators.pop();
                    CmpOp::IsNot
                }
                "not" => {
                    pending_not = true;
                    CmpOp::NotIn
                }
                "is" => {
                    pending_is = true;
                    CmpOp::Is
                }
                _ => continue,
            };
            operators.push(op);
        }
        let mut operands = operands.into_iter();
        let Some(first) = operands.next() else {
            return ExprKind::Other(Vec::new());
        };
        let rest: Vec<_> = operators.into_iter().zip(operands).collect();
        ExprKind::Compare(Box::new(first), rest)
    }

    fn string(&mut self, node: Node<'_>, depth: u32) -> ExprKind {
        let mut cursor = node.walk();
        let children: Vec<_> = node.children(&mut cursor).collect();
        let prefix = children
            .first()
            .filter(|c| c.kind() == "string_start")
            .map_or("", |start| self.text(*start))
            .to_ascii_lowercase();
        let raw = prefix.contains('r');
        let mut parts: Vec<Expr> = Vec::new();
        let mut text = String::new();
        for child in children {
            match child.kind() {
                "string_content" => text.push_str(&unescape(self.text(child), raw)),
                "interpolation" => {
                    if !text.is_empty() {
                        parts.push(Expr {
                            kind: ExprKind::Const(Const::Str(Arc::from(std::mem::take(&mut text)))),
                            span: span(child),
                        });
                    }
                    if let Some(expression) = child.child_by_field_name("expression") {
                        parts.push(self.expr(expression, depth + 1));
                    }
                }
                _ => {}
            }
        }
        if parts.is_empty() {
            return ExprKind::Const(Const::Str(Arc::from(text)));
        }
        if !text.is_empty() {
            parts.push(Expr {
                kind: ExprKind::Const(Const::Str(Arc::from(text))),
                span: span(node),
            });
        }
        ExprKind::Format(parts)
    }
}

fn unknown(span: Span) -> Expr {
    Expr {
        kind: ExprKind::Other(Vec::new()),
        span,
    }
}

/// Adjacent string literals that are all constant, joined.
fn constant_concat(parts: &[Expr]) -> Option<String> {
    let mut text = String::new();
    for part in parts {
        text.push_str(part.as_str()?);
    }
    Some(text)
}

/// The common escapes of a string literal's text; others are kept as written.
fn unescape(text: &str, raw: bool) -> String {
    if raw || !text.contains('\\') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some(c @ ('\\' | '\'' | '"')) => out.push(c),
            Some('\n') => {}
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn parse_int(text: &str) -> Option<i64> {
    let text = text.replace('_', "").to_ascii_lowercase();
    let text = text.trim_end_matches('l');
    if let Some(hex) = text.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()
    } else if let Some(octal) = text.strip_prefix("0o") {
        i64::from_str_radix(octal, 8).ok()
    } else if let Some(binary) = text.strip_prefix("0b") {
        i64::from_str_radix(binary, 2).ok()
    } else {
        text.parse().ok()
    }
}

fn binary_op(text: &str) -> Option<BinOp> {
    Some(match text {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" => BinOp::Div,
        "//" => BinOp::FloorDiv,
        "%" => BinOp::Mod,
        "**" => BinOp::Pow,
        "@" => BinOp::MatMul,
        "&" => BinOp::BitAnd,
        "|" => BinOp::BitOr,
        "^" => BinOp::BitXor,
        "<<" => BinOp::Shl,
        ">>" => BinOp::Shr,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowers_functions_classes_and_imports() {
        let module = parse(
            "shop/views.py",
            "from flask import request as rq\nimport os.path\n\
             class Repo(Base):\n    def find(self, name):\n        return f\"x{name}\"\n\
             @app.route('/s', methods=['POST'])\nasync def search():\n    q = rq.args['q']\n    return q\n",
        );
        assert_eq!(module.name, "shop.views");
        assert!(module.errors.is_empty(), "{:?}", module.errors);
        let names: Vec<_> = module
            .functions
            .iter()
            .map(|f| f.qualname.as_str())
            .collect();
        assert_eq!(names, ["<module>", "Repo.find", "search"]);
        assert_eq!(module.classes[0].methods, [1]);
        assert_eq!(module.functions[1].class, Some(0));
        assert!(module.functions[2].is_async);
        assert_eq!(module.functions[2].decorators.len(), 1);
        let imports: Vec<_> = module
            .imports
            .iter()
            .map(|i| (i.module.as_str(), i.name.as_deref(), i.binds.as_str()))
            .collect();
        assert_eq!(
            imports,
            [("flask", Some("request"), "rq"), ("os", None, "os")]
        );
        let Stmt::Return(Some(value), _) = &module.functions[1].body[0] else {
            panic!("{:?}", module.functions[1].body);
        };
        assert!(matches!(&value.kind, ExprKind::Format(parts) if parts.len() == 2));
    }

    #[test]
    fn a_broken_file_keeps_its_parseable_functions_and_reports_where_it_broke() {
        let module = parse(
            "app.py",
            "def good(a):\n    return a\n\ndef bad(:\n    x = = 1\n\ndef also_good(b):\n    return b\n",
        );
        let names: Vec<_> = module.functions.iter().map(|f| f.name.as_str()).collect();
        assert!(
            names.contains(&"good") && names.contains(&"also_good"),
            "{names:?}"
        );
        assert!(!module.errors.is_empty());
        assert_eq!(module.errors[0].span.line, 4, "{:?}", module.errors);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("x = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
        let module = parse("deep.py", &text);
        assert!(!module.errors.is_empty());
    }

    #[test]
    fn module_names_from_paths() {
        assert_eq!(module_name("shop/__init__.py"), "shop");
        assert_eq!(module_name("./a/b.py"), "a.b");
        assert_eq!(module_name("app.py"), "app");
    }
}
