//! Terraform's expression language evaluated over [`Value`]s: operators, conditionals,
//! templates (with `%{if}` and `%{for}`), `for` expressions, splats, indexing and function
//! calls. Names (`var.x`, `local.y`, `aws_s3_bucket.b.arn`) are resolved by the module being
//! evaluated, through [`Names`]. An operation on an unknown value gives an unknown value, as
//! in Terraform's own plan.

use std::collections::BTreeMap;

use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, ObjectKey, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Template};

use super::functions;
use crate::value::{Unknown, Value, format_number};

/// How a module answers the names an expression uses.
pub(crate) trait Names {
    /// The value of the reference starting with `root` followed by the attribute names
    /// `attributes` (as many as were written before any index or splat), and how many of
    /// those the reference used (`var.x` uses one, `data.t.n` two, `aws_x.n` one); `None`
    /// for a name this module does not know.
    fn resolve(&mut self, root: &str, attributes: &[&str]) -> Option<(Value, usize)>;

    /// A problem met while evaluating: an unknown function, a cycle, a limit.
    fn problem(&mut self, message: String);
}

/// Evaluates expressions with local names (those of `for` expressions and `dynamic`
/// iterators) bound above the module's.
pub(crate) struct Evaluator<'n> {
    pub names: &'n mut dyn Names,
    locals: Vec<(String, Value)>,
}

impl<'n> Evaluator<'n> {
    pub(crate) fn new(names: &'n mut dyn Names) -> Evaluator<'n> {
        Evaluator {
            names,
            locals: Vec::new(),
        }
    }

    /// Binds `name` to `value` for the evaluations until [`Evaluator::unbind`].
    pub(crate) fn bind(&mut self, name: &str, value: Value) {
        self.locals.push((name.to_owned(), value));
    }

    pub(crate) fn unbind(&mut self) {
        self.locals.pop();
    }

    pub(crate) fn eval(&mut self, expr: &Expression) -> Value {
        match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(value) => Value::Bool(*value.value()),
            Expression::Number(number) => Value::Number(number.value().as_f64().unwrap_or(0.0)),
            Expression::String(text) => Value::String(text.value().clone()),
            Expression::Array(items) => Value::List(items.iter().map(|e| self.eval(e)).collect()),
            Expression::Object(object) => {
                let mut entries = BTreeMap::new();
                for (key, value) in object.iter() {
                    let key = match key {
                        ObjectKey::Ident(ident) => Value::String(ident.as_str().to_owned()),
                        ObjectKey::Expression(expr) => self.object_key(expr),
                    };
                    let value = self.eval(value.expr());
                    match key {
                        Value::Unknown(_) => return Value::unknown(),
                        key => match key_text(&key) {
                            Some(text) => {
                                entries.insert(text, value);
                            }
                            None => {
                                self.names.problem(format!(
                                    "an object key must be a string, not {}",
                                    key.type_name()
                                ));
                                return Value::unknown();
                            }
                        },
                    }
                }
                Value::Map(entries)
            }
            Expression::StringTemplate(template) => self.template(template),
            // hcl-edit has already removed a `<<-` heredoc's indentation from its literals.
            Expression::HeredocTemplate(heredoc) => self.template(&heredoc.template),
            Expression::Parenthesis(inner) => self.eval(inner.inner()),
            Expression::Variable(name) => self.traverse(name.as_str(), &[]),
            Expression::Conditional(conditional) => {
                match self.eval(&conditional.cond_expr).as_bool() {
                    Some(true) => self.eval(&conditional.true_expr),
                    Some(false) => self.eval(&conditional.false_expr),
                    None => Value::unknown(),
                }
            }
            Expression::FuncCall(call) => {
                let name = call.name.name.as_str();
                let qualified: String = call
                    .name
                    .namespace
                    .iter()
                    .map(|part| format!("{}::", part.as_str()))
                    .chain(std::iter::once(name.to_owned()))
                    .collect();
                // `try` and `can` look at whether their arguments fail, so they are not
                // evaluated first.
                if qualified == "try" || qualified == "can" {
                    return self.try_or_can(&qualified, call.args.iter().collect());
                }
                let mut args: Vec<Value> = call.args.iter().map(|arg| self.eval(arg)).collect();
                if call.args.expand_final()
                    && let Some(Value::List(last)) = args.pop()
                {
                    args.extend(last);
                }
                match functions::call(&qualified, args) {
                    Ok(value) => value,
                    Err(message) => {
                        self.names.problem(message);
                        Value::unknown()
                    }
                }
            }
            Expression::Traversal(traversal) => self.traversal(traversal),
            Expression::UnaryOp(op) => {
                let value = self.eval(&op.expr);
                match (op.operator.value(), value) {
                    (_, Value::Unknown(_)) => Value::unknown(),
                    (UnaryOperator::Neg, value) => match value.as_f64() {
                        Some(number) => Value::Number(-number),
                        None => self.type_error("-", &value),
                    },
                    (UnaryOperator::Not, value) => match value.as_bool() {
                        Some(flag) => Value::Bool(!flag),
                        None => self.type_error("!", &value),
                    },
                }
            }
            Expression::BinaryOp(op) => {
                let operator = *op.operator.value();
                let lhs = self.eval(&op.lhs_expr);
                // `&&` and `||` do not short-circuit in Terraform, but a known deciding side
                // decides even when the other is unknown.
                let rhs = self.eval(&op.rhs_expr);
                binary(operator, lhs, rhs)
            }
            Expression::ForExpr(for_expr) => self.for_expr(for_expr),
        }
    }

    fn object_key(&mut self, expr: &Expression) -> Value {
        // `{ (var.name) = 1 }` and `{ name = 1 }` written as a bare word in JSON syntax.
        match expr {
            Expression::Variable(name) if !self.is_bound(name.as_str()) => {
                Value::String(name.as_str().to_owned())
            }
            Expression::Parenthesis(inner) => self.eval(inner.inner()),
            other => self.eval(other),
        }
    }

    fn is_bound(&self, name: &str) -> bool {
        self.locals.iter().any(|(bound, _)| bound == name)
    }

    fn type_error(&mut self, operator: &str, value: &Value) -> Value {
        self.names.problem(format!(
            "`{operator}` cannot apply to a {}",
            value.type_name()
        ));
        Value::unknown()
    }

    fn try_or_can(&mut self, name: &str, args: Vec<&Expression>) -> Value {
        // An argument "fails" here when it evaluates with a problem or to unknown; Terraform
        // also treats an unknown argument as undecided.
        for arg in args {
            let mut probe = Probe {
                names: &mut *self.names,
                failed: false,
            };
            let mut inner = Evaluator {
                names: &mut probe,
                locals: self.locals.clone(),
            };
            let value = inner.eval(arg);
            if probe.failed {
                if name == "can" {
                    return Value::Bool(false);
                }
                continue;
            }
            if value.is_unknown() {
                return Value::unknown();
            }
            return if name == "can" {
                Value::Bool(true)
            } else {
                value
            };
        }
        if name == "can" {
            Value::Bool(false)
        } else {
            self.names
                .problem("no argument of `try` could be evaluated".to_owned());
            Value::unknown()
        }
    }

    fn template(&mut self, template: &Template) -> Value {
        let mut text = String::new();
        let mut unknown = false;
        self.render(template, &mut text, &mut unknown);
        if unknown {
            Value::unknown()
        } else {
            Value::String(text)
        }
    }

    /// Appends the template's text; `unknown` is set when a part of it is unknown.
    fn render(&mut self, template: &Template, text: &mut String, unknown: &mut bool) {
        let elements: Vec<&Element> = template.iter().collect();
        for (index, element) in elements.iter().enumerate() {
            match element {
                Element::Literal(literal) => {
                    let mut literal: &str = literal.value();
                    // `~` strip markers on neighbouring interpolations and directives.
                    if index > 0 && strips_after(elements[index - 1]) {
                        literal = literal.trim_start();
                    }
                    if elements
                        .get(index + 1)
                        .is_some_and(|next| strips_before(next))
                    {
                        literal = literal.trim_end();
                    }
                    text.push_str(literal);
                }
                Element::Interpolation(interpolation) => match self.eval(&interpolation.expr) {
                    Value::Unknown(_) => *unknown = true,
                    value => match as_string(&value) {
                        Some(part) => text.push_str(&part),
                        None => {
                            self.names.problem(format!(
                                "a {} cannot be written into a string",
                                value.type_name()
                            ));
                            *unknown = true;
                        }
                    },
                },
                Element::Directive(directive) => match &**directive {
                    Directive::If(if_directive) => {
                        match self.eval(&if_directive.if_expr.cond_expr).as_bool() {
                            Some(true) => {
                                self.render(&if_directive.if_expr.template, text, unknown)
                            }
                            Some(false) => {
                                if let Some(otherwise) = &if_directive.else_expr {
                                    self.render(&otherwise.template, text, unknown);
                                }
                            }
                            None => *unknown = true,
                        }
                    }
                    Directive::For(for_directive) => {
                        let intro = &for_directive.for_expr;
                        let collection = self.eval(&intro.collection_expr);
                        let Some(pairs) = iteration(&collection) else {
                            *unknown = true;
                            continue;
                        };
                        for (key, value) in pairs {
                            let bound = self.bind_iteration(
                                intro.key_var.as_ref().map(|k| k.as_str()),
                                intro.value_var.as_str(),
                                key,
                                value,
                            );
                            self.render(&intro.template, text, unknown);
                            for _ in 0..bound {
                                self.unbind();
                            }
                        }
                    }
                },
            }
        }
    }

    fn bind_iteration(
        &mut self,
        key_var: Option<&str>,
        value_var: &str,
        key: Value,
        value: Value,
    ) -> usize {
        let mut bound = 0;
        if let Some(key_var) = key_var {
            self.bind(key_var, key);
            bound += 1;
        }
        self.bind(value_var, value);
        bound + 1
    }

    fn for_expr(&mut self, for_expr: &ForExpr) -> Value {
        let intro = &for_expr.intro;
        let collection = self.eval(&intro.collection_expr);
        let Some(pairs) = iteration(&collection) else {
            return Value::unknown();
        };
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Value> = BTreeMap::new();
        let mut grouped: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for (key, value) in pairs {
            let bound = self.bind_iteration(
                intro.key_var.as_ref().map(|k| k.as_str()),
                intro.value_var.as_str(),
                key,
                value,
            );
            let keep = match &for_expr.cond {
                Some(cond) => self.eval(&cond.expr).as_bool(),
                None => Some(true),
            };
            let result = match keep {
                None => Err(()),
                Some(false) => Ok(None),
                Some(true) => {
                    let value = self.eval(&for_expr.value_expr);
                    match &for_expr.key_expr {
                        Some(key_expr) => match self.eval(key_expr) {
                            Value::Unknown(_) => Err(()),
                            key => Ok(Some((key_text(&key), value))),
                        },
                        None => Ok(Some((None, value))),
                    }
                }
            };
            for _ in 0..bound {
                self.unbind();
            }
            match result {
                Err(()) => return Value::unknown(),
                Ok(None) => {}
                Ok(Some((None, value))) => list.push(value),
                Ok(Some((Some(key), value))) => {
                    if for_expr.grouping {
                        grouped.entry(key).or_default().push(value);
                    } else if map.insert(key.clone(), value).is_some() {
                        self.names.problem(format!(
                            "duplicate key `{key}` in a for expression without `...`"
                        ));
                        return Value::unknown();
                    }
                }
            }
        }
        if for_expr.key_expr.is_some() {
            if for_expr.grouping {
                Value::Map(
                    grouped
                        .into_iter()
                        .map(|(key, values)| (key, Value::List(values)))
                        .collect(),
                )
            } else {
                Value::Map(map)
            }
        } else {
            Value::List(list)
        }
    }

    fn traversal(&mut self, traversal: &hcl_edit::expr::Traversal) -> Value {
        let operators: Vec<&TraversalOperator> =
            traversal.operators.iter().map(|op| op.value()).collect();
        match &traversal.expr {
            Expression::Variable(root) => {
                let attributes: Vec<&str> = operators
                    .iter()
                    .map_while(|op| match op {
                        TraversalOperator::GetAttr(name) => Some(name.as_str()),
                        _ => None,
                    })
                    .collect();
                let (value, used) = self.resolve(root.as_str(), &attributes);
                self.apply(value, &operators[used..])
            }
            other => {
                let value = self.eval(other);
                self.apply(value, &operators)
            }
        }
    }

    /// A bare name (`count`, a `for` variable, a module's name).
    fn traverse(&mut self, root: &str, attributes: &[&str]) -> Value {
        self.resolve(root, attributes).0
    }

    fn resolve(&mut self, root: &str, attributes: &[&str]) -> (Value, usize) {
        if let Some((_, value)) = self.locals.iter().rev().find(|(name, _)| name == root) {
            return (value.clone(), 0);
        }
        match self.names.resolve(root, attributes) {
            Some(resolved) => resolved,
            None => {
                self.names
                    .problem(format!("reference to an undeclared name `{root}`"));
                (Value::unknown(), attributes.len())
            }
        }
    }

    fn apply(&mut self, mut value: Value, operators: &[&TraversalOperator]) -> Value {
        for (index, operator) in operators.iter().enumerate() {
            value = match operator {
                TraversalOperator::GetAttr(name) => get_key(value, name.as_str()),
                TraversalOperator::Index(expr) => {
                    let key = self.eval(expr);
                    index_value(value, &key)
                }
                TraversalOperator::LegacyIndex(position) => {
                    index_value(value, &Value::Number(*position.value() as f64))
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let rest = &operators[index + 1..];
                    let items = match value {
                        Value::Unknown(_) => return Value::unknown(),
                        Value::Null => Vec::new(),
                        Value::List(items) => items,
                        // A splat on one value makes a list of it.
                        other => vec![other],
                    };
                    let attr_only = matches!(operator, TraversalOperator::AttrSplat(_));
                    let (inner, after): (Vec<&TraversalOperator>, Vec<&TraversalOperator>) =
                        if attr_only {
                            let split = rest
                                .iter()
                                .position(|op| !matches!(op, TraversalOperator::GetAttr(_)))
                                .unwrap_or(rest.len());
                            (rest[..split].to_vec(), rest[split..].to_vec())
                        } else {
                            (rest.to_vec(), Vec::new())
                        };
                    let mapped = Value::List(
                        items
                            .into_iter()
                            .map(|item| self.apply(item, &inner))
                            .collect(),
                    );
                    return self.apply(mapped, &after);
                }
            };
        }
        value
    }
}

/// Records whether an evaluation met a problem, without reporting it (for `try` and `can`).
struct Probe<'a> {
    names: &'a mut dyn Names,
    failed: bool,
}

impl Names for Probe<'_> {
    fn resolve(&mut self, root: &str, attributes: &[&str]) -> Option<(Value, usize)> {
        let resolved = self.names.resolve(root, attributes);
        if resolved.is_none() {
            self.failed = true;
        }
        resolved
    }

    fn problem(&mut self, _message: String) {
        self.failed = true;
    }
}

fn strips_after(element: &Element) -> bool {
    use hcl_edit::template::Strip;
    match element {
        Element::Interpolation(i) => matches!(i.strip, Strip::End | Strip::Both),
        Element::Directive(d) => match &**d {
            Directive::If(i) => matches!(i.endif_expr.strip, Strip::End | Strip::Both),
            Directive::For(f) => matches!(f.endfor_expr.strip, Strip::End | Strip::Both),
        },
        Element::Literal(_) => false,
    }
}

fn strips_before(element: &Element) -> bool {
    use hcl_edit::template::Strip;
    match element {
        Element::Interpolation(i) => matches!(i.strip, Strip::Start | Strip::Both),
        Element::Directive(d) => match &**d {
            Directive::If(i) => matches!(i.if_expr.strip, Strip::Start | Strip::Both),
            Directive::For(f) => matches!(f.for_expr.strip, Strip::Start | Strip::Both),
        },
        Element::Literal(_) => false,
    }
}

/// The (key, value) pairs a `for` iterates: a list's indices, a map's keys in order.
pub(crate) fn iteration(collection: &Value) -> Option<Vec<(Value, Value)>> {
    match collection {
        Value::List(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| (Value::Number(index as f64), item.clone()))
                .collect(),
        ),
        Value::Map(entries) => Some(
            entries
                .iter()
                .map(|(key, value)| (Value::String(key.clone()), value.clone()))
                .collect(),
        ),
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

/// A primitive value as Terraform converts it to a string.
pub(crate) fn as_string(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(format_number(*number)),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn key_text(key: &Value) -> Option<String> {
    as_string(key)
}

fn get_key(value: Value, key: &str) -> Value {
    match value {
        Value::Map(mut entries) => entries.remove(key).unwrap_or_else(Value::unknown),
        // An attribute of a list of one (a nested block) reads inside it.
        Value::List(mut items) if items.len() == 1 => get_key(items.remove(0), key),
        _ => Value::unknown(),
    }
}

fn index_value(value: Value, key: &Value) -> Value {
    match (value, key) {
        (_, Value::Unknown(_)) | (Value::Unknown(_), _) => Value::unknown(),
        (Value::List(mut items), key) => match key.as_f64() {
            Some(index) if index >= 0.0 && (index as usize) < items.len() => {
                items.swap_remove(index as usize)
            }
            _ => Value::unknown(),
        },
        (Value::Map(mut entries), key) => match as_string(key) {
            Some(key) => entries.remove(&key).unwrap_or_else(Value::unknown),
            None => Value::unknown(),
        },
        _ => Value::unknown(),
    }
}

fn binary(operator: BinaryOperator, lhs: Value, rhs: Value) -> Value {
    use BinaryOperator::*;
    match operator {
        And => match (lhs.as_bool(), rhs.as_bool()) {
            (Some(false), _) | (_, Some(false)) => Value::Bool(false),
            (Some(true), Some(true)) => Value::Bool(true),
            _ => Value::unknown(),
        },
        Or => match (lhs.as_bool(), rhs.as_bool()) {
            (Some(true), _) | (_, Some(true)) => Value::Bool(true),
            (Some(false), Some(false)) => Value::Bool(false),
            _ => Value::unknown(),
        },
        _ if lhs.has_unknown() || rhs.has_unknown() => Value::unknown(),
        Eq => Value::Bool(equal(&lhs, &rhs)),
        NotEq => Value::Bool(!equal(&lhs, &rhs)),
        _ => {
            let (Some(a), Some(b)) = (lhs.as_f64(), rhs.as_f64()) else {
                return Value::unknown();
            };
            match operator {
                LessEq => Value::Bool(a <= b),
                GreaterEq => Value::Bool(a >= b),
                Less => Value::Bool(a < b),
                Greater => Value::Bool(a > b),
                Plus => Value::Number(a + b),
                Minus => Value::Number(a - b),
                Mul => Value::Number(a * b),
                Div => Value::Number(a / b),
                Mod => Value::Number(a % b),
                _ => Value::unknown(),
            }
        }
    }
}

/// Terraform's `==`: values of different types are not equal (`"1" != 1`).
fn equal(lhs: &Value, rhs: &Value) -> bool {
    lhs == rhs
}

impl From<Unknown> for Value {
    fn from(unknown: Unknown) -> Value {
        Value::Unknown(unknown)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Names from a table; problems collected.
    #[derive(Default)]
    pub(crate) struct Table {
        pub values: BTreeMap<String, Value>,
        pub problems: Vec<String>,
    }

    impl Names for Table {
        fn resolve(&mut self, root: &str, attributes: &[&str]) -> Option<(Value, usize)> {
            if let Some(first) = attributes.first() {
                let key = format!("{root}.{first}");
                if let Some(value) = self.values.get(&key) {
                    return Some((value.clone(), 1));
                }
            }
            self.values.get(root).map(|value| (value.clone(), 0))
        }

        fn problem(&mut self, message: String) {
            self.problems.push(message);
        }
    }

    pub(crate) fn eval_with(table: &mut Table, text: &str) -> Value {
        let expr = hcl_edit::parser::parse_expr(text).unwrap();
        Evaluator::new(table).eval(&expr)
    }

    fn eval(text: &str) -> Value {
        let mut table = Table::default();
        table
            .values
            .insert("var.name".into(), Value::string("shop"));
        table.values.insert("var.secret".into(), Value::unknown());
        table.values.insert(
            "var.ports".into(),
            Value::List(vec![Value::Number(22.0), Value::Number(443.0)]),
        );
        let value = eval_with(&mut table, text);
        assert!(table.problems.is_empty(), "{:?}", table.problems);
        value
    }

    #[test]
    fn templates_conditionals_and_operators() {
        assert_eq!(eval(r#""${var.name}-logs""#), Value::string("shop-logs"));
        assert_eq!(eval(r#""${var.secret}-logs""#), Value::unknown());
        assert_eq!(eval("var.name == \"shop\" ? 1 : 2"), Value::Number(1.0));
        assert_eq!(eval("var.secret ? 1 : 2"), Value::unknown());
        assert_eq!(eval("2 * 3 + 1"), Value::Number(7.0));
        assert_eq!(eval("false && var.secret"), Value::Bool(false));
        assert_eq!(eval("!true || var.secret"), Value::unknown());
        assert_eq!(
            eval(r#""%{ for p in var.ports }${p},%{ endfor }""#),
            Value::string("22,443,")
        );
        assert_eq!(
            eval(r#""%{ if var.name == "shop" }yes%{ else }no%{ endif }""#),
            Value::string("yes")
        );
    }

    #[test]
    fn for_expressions_splats_and_indexes() {
        assert_eq!(
            eval("[for p in var.ports : p + 1 if p > 100]"),
            Value::List(vec![Value::Number(444.0)])
        );
        let map = eval(r#"{for i, p in var.ports : "port${i}" => p}"#);
        assert_eq!(map.get("port1"), Some(&Value::Number(443.0)));
        assert_eq!(
            eval(r#"[{a = 1}, {a = 2}][*].a"#),
            Value::List(vec![Value::Number(1.0), Value::Number(2.0)])
        );
        assert_eq!(eval("var.ports[1]"), Value::Number(443.0));
        assert_eq!(eval(r#"{a = {b = "c"}}.a.b"#), Value::string("c"));
    }

    #[test]
    fn heredocs_with_indentation_marker_are_dedented() {
        let value = eval("<<-EOT\n    {\n      \"a\": 1\n    }\n    EOT");
        assert_eq!(value, Value::string("{\n  \"a\": 1\n}\n"));
    }

    #[test]
    fn try_and_can_catch_failures() {
        let mut table = Table::default();
        assert_eq!(
            eval_with(&mut table, "try(nothing.here, \"fallback\")"),
            Value::string("fallback")
        );
        assert_eq!(
            eval_with(&mut table, "can(nothing.here)"),
            Value::Bool(false)
        );
        assert!(table.problems.is_empty(), "{:?}", table.problems);
        eval_with(&mut table, "nosuchfunction(1)");
        assert_eq!(table.problems.len(), 1);
    }
}
