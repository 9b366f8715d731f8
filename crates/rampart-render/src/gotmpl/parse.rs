//! The parser of Go's `text/template`, producing the trees `exec` walks. It follows Go's
//! grammar and its error messages (`template: NAME:LINE: MESSAGE`), including what Go accepts
//! that looks odd (`{{ x | }}`) and what it refuses (`{{ break }}` outside `range`).

use std::collections::HashMap;
use std::sync::Arc;

use super::lex::{Item, Keyword, Tok, lex};

#[derive(Debug)]
pub struct Tree {
    /// The template's name (`define`d name, or the file's).
    pub name: String,
    /// The name of the text it was parsed from (the file), for error locations.
    pub parse_name: Arc<str>,
    pub source: Arc<str>,
    pub root: Vec<Node>,
}

#[derive(Debug)]
pub enum Node {
    Text(String),
    Action(Pipe),
    If(Control),
    With(Control),
    Range(Control),
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
    Break,
    Continue,
}

#[derive(Debug)]
pub struct Control {
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Option<Vec<Node>>,
}

#[derive(Debug)]
pub struct Pipe {
    pub pos: usize,
    pub is_assign: bool,
    pub decl: Vec<String>,
    pub cmds: Vec<Command>,
}

#[derive(Debug)]
pub struct Command {
    pub pos: usize,
    pub args: Vec<Arg>,
}

#[derive(Debug)]
pub enum Arg {
    /// `.a.b`: the field names.
    Field {
        pos: usize,
        idents: Vec<String>,
    },
    /// `$x.a.b`: the variable then the field names.
    Variable {
        pos: usize,
        idents: Vec<String>,
    },
    /// A function name.
    Identifier {
        pos: usize,
        name: String,
    },
    /// `(pipe).a.b` and other terms followed by fields.
    Chain {
        pos: usize,
        node: Box<Arg>,
        fields: Vec<String>,
    },
    Pipe(Box<Pipe>),
    Dot(usize),
    Nil(usize),
    Bool(usize, bool),
    Number(usize, Number),
    Str {
        pos: usize,
        value: String,
        text: String,
    },
}

/// A numeric constant, with every reading Go's parser found for its text.
#[derive(Debug, Clone)]
pub struct Number {
    pub text: String,
    pub int: Option<i64>,
    pub float: Option<f64>,
    /// Only fits an unsigned 64-bit integer.
    pub uint_only: bool,
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Dot(pos)
            | Arg::Nil(pos)
            | Arg::Bool(pos, _)
            | Arg::Number(pos, _)
            | Arg::Str { pos, .. } => *pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

// Go's `String()` of each node, used in error messages as `at <...>`.
impl std::fmt::Display for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arg::Field { idents, .. } => {
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Variable { idents, .. } => write!(f, "{}", idents.join(".")),
            Arg::Identifier { name, .. } => write!(f, "{name}"),
            Arg::Chain { node, fields, .. } => {
                match node.as_ref() {
                    Arg::Pipe(p) => write!(f, "({p})")?,
                    other => write!(f, "{other}")?,
                }
                for i in fields {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Pipe(p) => write!(f, "{p}"),
            Arg::Dot(_) => write!(f, "."),
            Arg::Nil(_) => write!(f, "nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Number(_, n) => write!(f, "{}", n.text),
            Arg::Str { text, .. } => write!(f, "{text}"),
        }
    }
}

impl std::fmt::Display for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                write!(f, " ")?;
            }
            match arg {
                Arg::Pipe(p) => write!(f, "({p})")?,
                other => write!(f, "{other}")?,
            }
        }
        Ok(())
    }
}

impl std::fmt::Display for Pipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.decl.is_empty() {
            write!(f, "{}", self.decl.join(", "))?;
            write!(f, "{}", if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                write!(f, " | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

/// A parse failure: `template: NAME:LINE: MESSAGE`, as Go words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub name: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "template: {}:{}: {}", self.name, self.line, self.message)
    }
}

/// Nesting deeper than this is refused (Go's parser recurses without a limit; we do not).
const MAX_NESTING: usize = 1000;

struct Parser<'f> {
    items: Vec<Item>,
    at: usize,
    parse_name: Arc<str>,
    source: Arc<str>,
    vars: Vec<String>,
    range_depth: usize,
    nesting: usize,
    /// The line of the action being parsed, for errors that reach past it.
    action_line: usize,
    /// The furthest item looked at.
    furthest: usize,
    has_function: &'f dyn Fn(&str) -> bool,
    /// Templates defined by this text, in order.
    defined: Vec<Tree>,
}

type PResult<T> = Result<T, ParseError>;

/// Parses `text` as the template `name`: the returned trees are `name` itself (first) and each
/// `define`d or `block` template, in order. `has_function` says which function names exist.
pub fn parse(name: &str, text: &str, has_function: &dyn Fn(&str) -> bool) -> PResult<Vec<Tree>> {
    let source: Arc<str> = Arc::from(text);
    let mut p = Parser {
        items: lex(text),
        at: 0,
        parse_name: Arc::from(name),
        source: source.clone(),
        vars: vec!["$".into()],
        range_depth: 0,
        nesting: 0,
        action_line: 0,
        furthest: 0,
        has_function,
        defined: Vec::new(),
    };
    let root = p.parse_root()?;
    let mut trees = vec![Tree {
        name: name.to_string(),
        parse_name: p.parse_name.clone(),
        source,
        root,
    }];
    // Within one text, a name may be defined once (an empty definition yields to another).
    let mut seen: HashMap<String, usize> = HashMap::new();
    for tree in p.defined {
        match seen.get(&tree.name) {
            Some(&i) if is_empty_tree(&trees[i].root) => trees[i] = tree,
            Some(_) if is_empty_tree(&tree.root) => {}
            Some(_) => {
                return Err(ParseError {
                    name: name.to_string(),
                    line: p.items.last().map_or(1, |i| i.line),
                    message: format!("template: multiple definition of template {:?}", tree.name),
                });
            }
            None => {
                if tree.name == name {
                    if is_empty_tree(&trees[0].root) {
                        trees[0] = tree;
                        seen.insert(name.to_string(), 0);
                    } else if !is_empty_tree(&tree.root) {
                        return Err(ParseError {
                            name: name.to_string(),
                            line: 1,
                            message: format!(
                                "template: multiple definition of template {:?}",
                                tree.name
                            ),
                        });
                    }
                    continue;
                }
                seen.insert(tree.name.clone(), trees.len());
                trees.push(tree);
            }
        }
    }
    Ok(trees)
}

/// Go's `IsEmptyTree`: only blank text (and comments). An empty definition never replaces a
/// template that has content.
pub fn is_empty_tree(nodes: &[Node]) -> bool {
    nodes.iter().all(|n| match n {
        Node::Text(t) => t
            .trim_matches([' ', '\t', '\r', '\n', '\u{b}', '\u{c}'])
            .is_empty(),
        _ => false,
    })
}

enum Stop {
    End,
    Else,
}

impl Parser<'_> {
    fn peek(&mut self) -> &Item {
        let i = self.at.min(self.items.len() - 1);
        self.furthest = self.furthest.max(i);
        &self.items[i]
    }

    fn next(&mut self) -> Item {
        let item = self.peek().clone();
        if self.at < self.items.len() - 1 {
            self.at += 1;
        } else {
            self.at = self.items.len();
        }
        item
    }

    fn backup(&mut self) {
        self.at = self.at.saturating_sub(1);
    }

    fn next_non_space(&mut self) -> Item {
        loop {
            let item = self.next();
            if item.tok != Tok::Space {
                return item;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item {
        let item = self.next_non_space();
        self.backup();
        item
    }

    /// Go reports a parse error on the line of the last token it looked at.
    fn current_line(&self) -> usize {
        self.items[self.furthest.min(self.items.len() - 1)].line
    }

    fn error<T>(&self, message: String) -> PResult<T> {
        Err(ParseError {
            name: self.parse_name.to_string(),
            line: self.current_line(),
            message,
        })
    }

    fn unexpected<T>(&self, item: &Item, context: &str) -> PResult<T> {
        if let Tok::Error(msg) = &item.tok {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != item.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.parse_name, self.action_line
                );
                if msg.starts_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return Err(ParseError {
                name: self.parse_name.to_string(),
                line: item.line,
                message: format!("{msg}{extra}"),
            });
        }
        self.error(format!("unexpected {} in {context}", self.describe(item)))
    }

    /// Go's `item.String()`.
    fn describe(&self, item: &Item) -> String {
        let text = self.item_text(item);
        match &item.tok {
            Tok::Eof => "EOF".into(),
            Tok::Error(m) => m.clone(),
            Tok::Keyword(k) => format!("<{}>", k.word()),
            _ if text.chars().count() > 10 => {
                let head: String = text.chars().take(10).collect();
                format!("{}...", crate::gofmt::quote(&head))
            }
            _ => crate::gofmt::quote(&text),
        }
    }

    fn item_text(&self, item: &Item) -> String {
        match &item.tok {
            Tok::Text(t) => t.clone(),
            Tok::LeftDelim => "{{".into(),
            Tok::RightDelim => "}}".into(),
            Tok::Space => " ".into(),
            Tok::Field(f) => format!(".{f}"),
            Tok::Variable(v) | Tok::Identifier(v) | Tok::Number(v) | Tok::Char(v) => v.clone(),
            Tok::Keyword(k) => k.word().into(),
            Tok::Bool(b) => b.to_string(),
            Tok::Str { text, .. } => text.clone(),
            Tok::Dot => ".".into(),
            Tok::Pipe => "|".into(),
            Tok::Declare => ":=".into(),
            Tok::Assign => "=".into(),
            Tok::LeftParen => "(".into(),
            Tok::RightParen => ")".into(),
            Tok::Punct(c) => c.to_string(),
            Tok::Eof => String::new(),
            Tok::Error(m) => m.clone(),
        }
    }

    fn expect(&mut self, want: &Tok, context: &str) -> PResult<Item> {
        let item = self.next_non_space();
        if &item.tok != want {
            return self.unexpected(&item, context);
        }
        Ok(item)
    }

    fn nest(&mut self) -> PResult<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return self.error(format!("nesting deeper than {MAX_NESTING} levels"));
        }
        Ok(())
    }

    fn parse_root(&mut self) -> PResult<Vec<Node>> {
        let mut root = Vec::new();
        while self.peek().tok != Tok::Eof {
            if self.peek().tok == Tok::LeftDelim {
                let mark = self.at;
                let delim = self.next();
                if self.next_non_space().tok == Tok::Keyword(Keyword::Define) {
                    self.action_line = delim.line;
                    self.parse_definition()?;
                    self.action_line = 0;
                    continue;
                }
                self.at = mark;
            }
            match self.text_or_action()? {
                Parsed::Node(n) => root.push(n),
                Parsed::End => return self.error("unexpected {{end}}".into()),
                Parsed::Else => return self.error("unexpected {{else}}".into()),
            }
        }
        Ok(root)
    }

    fn parse_definition(&mut self) -> PResult<()> {
        let context = "define clause";
        let name = self.next_non_space();
        let Tok::Str { value, .. } = name.tok else {
            return self.unexpected(&name, context);
        };
        self.expect(&Tok::RightDelim, context)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let (root, stop) = self.item_list()?;
        self.vars = saved_vars;
        if !matches!(stop, Stop::End) {
            return self.error(format!("unexpected {{{{else}}}} in {context}"));
        }
        self.defined.push(Tree {
            name: value,
            parse_name: self.parse_name.clone(),
            source: self.source.clone(),
            root,
        });
        Ok(())
    }

    fn item_list(&mut self) -> PResult<(Vec<Node>, Stop)> {
        let mut list = Vec::new();
        while self.peek_non_space().tok != Tok::Eof {
            match self.text_or_action()? {
                Parsed::Node(n) => list.push(n),
                Parsed::End => return Ok((list, Stop::End)),
                Parsed::Else => return Ok((list, Stop::Else)),
            }
        }
        self.error("unexpected EOF".into())
    }

    fn text_or_action(&mut self) -> PResult<Parsed> {
        let item = self.next_non_space();
        match item.tok {
            Tok::Text(t) => Ok(Parsed::Node(Node::Text(t))),
            Tok::LeftDelim => {
                self.action_line = item.line;
                let r = self.action();
                self.action_line = 0;
                r
            }
            _ => self.unexpected(&item, "input"),
        }
    }

    fn action(&mut self) -> PResult<Parsed> {
        let item = self.next_non_space();
        match item.tok {
            Tok::Keyword(Keyword::Block) => return self.block_control().map(Parsed::Node),
            Tok::Keyword(Keyword::Break) => return self.loop_control(true),
            Tok::Keyword(Keyword::Continue) => return self.loop_control(false),
            Tok::Keyword(Keyword::Else) => return self.else_control(),
            Tok::Keyword(Keyword::End) => {
                self.expect(&Tok::RightDelim, "end")?;
                return Ok(Parsed::End);
            }
            Tok::Keyword(Keyword::If) => {
                return self.control("if").map(|c| Parsed::Node(Node::If(c)));
            }
            Tok::Keyword(Keyword::Range) => {
                return self.control("range").map(|c| Parsed::Node(Node::Range(c)));
            }
            Tok::Keyword(Keyword::Template) => return self.template_control().map(Parsed::Node),
            Tok::Keyword(Keyword::With) => {
                return self.control("with").map(|c| Parsed::Node(Node::With(c)));
            }
            _ => {}
        }
        self.backup();
        let pipe = self.pipeline("command", &Tok::RightDelim)?;
        Ok(Parsed::Node(Node::Action(pipe)))
    }

    fn loop_control(&mut self, is_break: bool) -> PResult<Parsed> {
        let word = if is_break { "break" } else { "continue" };
        let item = self.next_non_space();
        if item.tok != Tok::RightDelim {
            return self.unexpected(&item, &format!("{{{{{word}}}}}"));
        }
        if self.range_depth == 0 {
            return self.error(format!("{{{{{word}}}}} outside {{{{range}}}}"));
        }
        Ok(Parsed::Node(if is_break {
            Node::Break
        } else {
            Node::Continue
        }))
    }

    fn else_control(&mut self) -> PResult<Parsed> {
        let peek = self.peek_non_space();
        if matches!(peek.tok, Tok::Keyword(Keyword::If | Keyword::With)) {
            return Ok(Parsed::Else);
        }
        self.expect(&Tok::RightDelim, "else")?;
        Ok(Parsed::Else)
    }

    fn control(&mut self, context: &str) -> PResult<Control> {
        self.nest()?;
        let vars = self.vars.len();
        let pipe = self.pipeline(context, &Tok::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, stop) = self.item_list()?;
        if context == "range" {
            self.range_depth -= 1;
        }
        let mut else_list = None;
        if let Stop::Else = stop {
            let chained = match self.peek().tok {
                Tok::Keyword(Keyword::If) if context == "if" => Some("if"),
                Tok::Keyword(Keyword::With) if context == "with" => Some("with"),
                _ => None,
            };
            if let Some(kind) = chained {
                // `{{else if x}}` is `{{else}}{{if x}}…{{end}}{{end}}` with the inner end shared.
                self.next();
                let inner = self.control(kind)?;
                else_list = Some(vec![if kind == "if" {
                    Node::If(inner)
                } else {
                    Node::With(inner)
                }]);
            } else {
                let (list, stop) = self.item_list()?;
                if !matches!(stop, Stop::End) {
                    return self.error("expected end; found {{else}}".into());
                }
                else_list = Some(list);
            }
        }
        self.vars.truncate(vars);
        self.nesting -= 1;
        Ok(Control {
            pipe,
            list,
            else_list,
        })
    }

    fn template_name(&mut self, item: &Item, context: &str) -> PResult<String> {
        match &item.tok {
            Tok::Str { value, .. } => Ok(value.clone()),
            _ => self.unexpected(item, context),
        }
    }

    fn template_control(&mut self) -> PResult<Node> {
        let context = "template clause";
        let item = self.next_non_space();
        let name = self.template_name(&item, context)?;
        let pipe = if self.next_non_space().tok != Tok::RightDelim {
            self.backup();
            Some(self.pipeline(context, &Tok::RightDelim)?)
        } else {
            None
        };
        Ok(Node::Template {
            pos: item.pos,
            name,
            pipe,
        })
    }

    fn block_control(&mut self) -> PResult<Node> {
        let context = "block clause";
        let item = self.next_non_space();
        let name = self.template_name(&item, context)?;
        let pipe = self.pipeline(context, &Tok::RightDelim)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let saved_depth = std::mem::take(&mut self.range_depth);
        let (root, stop) = self.item_list()?;
        self.vars = saved_vars;
        self.range_depth = saved_depth;
        if !matches!(stop, Stop::End) {
            return self.error(format!("unexpected {{{{else}}}} in {context}"));
        }
        self.defined.push(Tree {
            name: name.clone(),
            parse_name: self.parse_name.clone(),
            source: self.source.clone(),
            root,
        });
        Ok(Node::Template {
            pos: item.pos,
            name,
            pipe: Some(pipe),
        })
    }

    fn pipeline(&mut self, context: &str, end: &Tok) -> PResult<Pipe> {
        let first = self.peek_non_space();
        let mut pipe = Pipe {
            pos: first.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        loop {
            let v = self.peek_non_space();
            let Tok::Variable(name) = &v.tok else { break };
            let mark = self.at;
            self.next_non_space();
            let after = self.peek().tok.clone();
            let next = self.peek_non_space();
            match next.tok {
                Tok::Assign | Tok::Declare => {
                    pipe.is_assign = next.tok == Tok::Assign;
                    self.next_non_space();
                    pipe.decl.push(name.clone());
                    self.vars.push(name.clone());
                }
                Tok::Punct(',') => {
                    self.next_non_space();
                    pipe.decl.push(name.clone());
                    self.vars.push(name.clone());
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().tok {
                            Tok::Variable(_) | Tok::RightDelim | Tok::RightParen => continue,
                            _ => return self.error("range can only initialize variables".into()),
                        }
                    }
                    return self.error(format!("too many declarations in {context}"));
                }
                _ => {
                    let _ = after;
                    self.at = mark;
                }
            }
            break;
        }
        loop {
            let item = self.next_non_space();
            if &item.tok == end {
                self.check_pipeline(&pipe, context)?;
                return Ok(pipe);
            }
            match item.tok {
                Tok::Bool(_)
                | Tok::Char(_)
                | Tok::Dot
                | Tok::Field(_)
                | Tok::Identifier(_)
                | Tok::Number(_)
                | Tok::Keyword(Keyword::Nil)
                | Tok::Str { .. }
                | Tok::Variable(_)
                | Tok::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return self.unexpected(&item, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return self.error(format!("missing value for {context}"));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args[0],
                Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(..) | Arg::Str { .. }
            ) {
                return self.error(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Command> {
        let pos = self.peek_non_space().pos;
        let mut args = Vec::new();
        loop {
            self.peek_non_space();
            if let Some(operand) = self.operand()? {
                args.push(operand);
            }
            let item = self.next();
            match item.tok {
                Tok::Space => continue,
                Tok::RightDelim | Tok::RightParen => self.backup(),
                Tok::Pipe => {}
                _ => return self.unexpected(&item, "operand"),
            }
            break;
        }
        if args.is_empty() {
            return self.error("empty command".into());
        }
        Ok(Command { pos, args })
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if !matches!(self.peek().tok, Tok::Field(_)) {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields = Vec::new();
        while let Tok::Field(f) = &self.peek().tok {
            fields.push(f.clone());
            self.next();
        }
        Ok(Some(match node {
            Arg::Field { mut idents, .. } => {
                idents.extend(fields);
                Arg::Field {
                    pos: chain_pos,
                    idents,
                }
            }
            Arg::Variable { mut idents, .. } => {
                idents.extend(fields);
                Arg::Variable {
                    pos: chain_pos,
                    idents,
                }
            }
            Arg::Bool(..) | Arg::Str { .. } | Arg::Number(..) | Arg::Nil(_) | Arg::Dot(_) => {
                return self.error(format!(
                    "unexpected . after term {}",
                    crate::gofmt::quote(&node.to_string())
                ));
            }
            other => Arg::Chain {
                pos: chain_pos,
                node: Box::new(other),
                fields,
            },
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let item = self.next_non_space();
        Ok(Some(match item.tok {
            Tok::Identifier(name) => {
                if !(self.has_function)(&name) {
                    return self.error(format!(
                        "function {} not defined",
                        crate::gofmt::quote(&name)
                    ));
                }
                Arg::Identifier {
                    pos: item.pos,
                    name,
                }
            }
            Tok::Dot => Arg::Dot(item.pos),
            Tok::Keyword(Keyword::Nil) => Arg::Nil(item.pos),
            Tok::Variable(name) => {
                if !self.vars.contains(&name) {
                    return self
                        .error(format!("undefined variable {}", crate::gofmt::quote(&name)));
                }
                Arg::Variable {
                    pos: item.pos,
                    idents: vec![name],
                }
            }
            Tok::Field(name) => Arg::Field {
                pos: item.pos,
                idents: vec![name],
            },
            Tok::Bool(b) => Arg::Bool(item.pos, b),
            Tok::Number(text) => match parse_number(&text) {
                Ok(n) => Arg::Number(item.pos, n),
                Err(e) => return self.error(e),
            },
            Tok::Char(text) => match parse_char(&text) {
                Some(c) => Arg::Number(
                    item.pos,
                    Number {
                        text,
                        int: Some(c as i64),
                        float: Some(c as u32 as f64),
                        uint_only: false,
                    },
                ),
                None => return self.error(format!("malformed character constant: {text}")),
            },
            Tok::LeftParen => {
                self.nest()?;
                let pipe = self.pipeline("parenthesized pipeline", &Tok::RightParen)?;
                self.nesting -= 1;
                Arg::Pipe(Box::new(pipe))
            }
            Tok::Str { value, text } => Arg::Str {
                pos: item.pos,
                value,
                text,
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

enum Parsed {
    Node(Node),
    End,
    Else,
}

fn parse_char(text: &str) -> Option<char> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    if inner == "\"" {
        return Some('"');
    }
    if inner == "\\'" {
        return Some('\'');
    }
    let quoted = format!("\"{}\"", inner.replace("\\'", "'"));
    let s = super::lex::unquote(&quoted)?;
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// Go's `strconv.ParseInt(text, 0, 64)`: base prefixes, underscores, a sign.
fn parse_go_int(text: &str) -> Option<i128> {
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_string(), true)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_string(), true)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_string(), true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string(), true)
    } else {
        (10, lower.clone(), false)
    };
    if digits.contains('_') {
        // Underscores only between digits, or right after a base prefix.
        let ok = !digits.ends_with('_')
            && !digits.contains("__")
            && (prefixed || !digits.starts_with('_'));
        if !ok {
            return None;
        }
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if clean.is_empty() {
        return None;
    }
    let v = u128::from_str_radix(&clean, radix).ok()?;
    let v = i128::try_from(v).ok()?;
    Some(if neg { -v } else { v })
}

pub fn parse_number(text: &str) -> Result<Number, String> {
    let mut n = Number {
        text: text.to_string(),
        int: None,
        float: None,
        uint_only: false,
    };
    if text.ends_with('i') {
        return Err(format!(
            "illegal number syntax: {}",
            crate::gofmt::quote(text)
        ));
    }
    if let Some(v) = parse_go_int(text) {
        if let Ok(i) = i64::try_from(v) {
            n.int = Some(i);
            n.float = Some(i as f64);
        } else if u64::try_from(v).is_ok() {
            n.uint_only = true;
            n.float = Some(v as f64);
        }
    }
    if n.int.is_none() && !n.uint_only {
        let clean: String = text.chars().filter(|&c| c != '_').collect();
        let is_hex = clean
            .trim_start_matches(['+', '-'])
            .to_ascii_lowercase()
            .starts_with("0x");
        let parsed = if is_hex {
            None
        } else {
            clean.parse::<f64>().ok()
        };
        if let Some(f) = parsed.filter(|f| f.is_finite()) {
            if !text.contains(['.', 'e', 'E', 'p', 'P']) {
                return Err(format!("integer overflow: {}", crate::gofmt::quote(text)));
            }
            n.float = Some(f);
            if f.fract() == 0.0 && f.abs() < 9.2e18 {
                n.int = Some(f as i64);
            }
        }
    }
    if n.int.is_none() && n.float.is_none() {
        return Err(format!(
            "illegal number syntax: {}",
            crate::gofmt::quote(text)
        ));
    }
    Ok(n)
}
