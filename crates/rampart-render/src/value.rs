//! The values a template computes with, typed as Go types them: Helm's values are
//! `map[string]interface{}` with `float64` numbers, template constants are `int`, Sprig's
//! arithmetic returns `int64`. The type decides how a value prints, compares and which
//! function parameters accept it, so it is kept, not normalised.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The entries of a map, in key order (Go sorts map keys wherever it prints or ranges).
pub type Entries = BTreeMap<String, Value>;

#[derive(Clone)]
pub enum Value {
    /// Go's invalid `reflect.Value`: what a pipeline yields for a nil result.
    Missing,
    /// A nil `interface{}`, as a missing or null map entry reads.
    Nil,
    Bool(bool),
    /// Go `int` (template constants, `len`, `atoi`, `int`).
    Int(i64),
    /// Go `int64` (Sprig's arithmetic, `--set` numbers, `int64`).
    Int64(i64),
    Float(f64),
    Str(Arc<str>),
    List(Arc<List>),
    /// Go maps are references: `set` on a map changes it for every holder, as charts rely on.
    Map(Arc<GoMap>),
    /// A Go struct or pointer with fields and methods (`.Capabilities`, `.Files`).
    Object(Arc<dyn Object>),
}

/// The element type of a Go slice or map, which shows in `typeOf` and in parameter checks.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Elem {
    Any,
    Str,
    Int,
}

impl Elem {
    fn go_name(self) -> &'static str {
        match self {
            Elem::Any => "interface {}",
            Elem::Str => "string",
            Elem::Int => "int",
        }
    }
}

pub struct List {
    pub elem: Elem,
    pub items: Vec<Value>,
}

pub struct GoMap {
    pub elem: Elem,
    /// `chartutil.Values` (`.Values`, `.Release`) rather than `map[string]interface {}`.
    pub named: Option<&'static str>,
    entries: RwLock<Entries>,
}

impl GoMap {
    pub fn new(elem: Elem, named: Option<&'static str>, entries: Entries) -> Arc<GoMap> {
        Arc::new(GoMap {
            elem,
            named,
            entries: RwLock::new(entries),
        })
    }

    pub fn read(&self) -> RwLockReadGuard<'_, Entries> {
        self.entries.read().unwrap_or_else(|e| e.into_inner())
    }
    pub fn write(&self) -> RwLockWriteGuard<'_, Entries> {
        self.entries.write().unwrap_or_else(|e| e.into_inner())
    }
    pub fn get(&self, key: &str) -> Option<Value> {
        self.read().get(key).cloned()
    }
}

/// A Go struct (or pointer to one) the template reads fields of and calls methods on.
pub trait Object: Send + Sync {
    /// Go's name for the type, as `typeOf` prints it.
    fn type_name(&self) -> String;
    fn field(&self, name: &str) -> Option<Value>;
    /// The parameters of method `name`, when there is one.
    fn method(&self, _name: &str) -> Option<&'static [crate::gotmpl::Ty]> {
        None
    }
    fn call(&self, name: &str, _args: Vec<Value>) -> Result<Value, String> {
        Err(format!("no method {name}"))
    }
    /// How `%v` prints it (a `String()` method where Go has one).
    fn display(&self) -> String;
    /// Whether Go's `fmt` finds a `String()` method (then `%s` prints `display`).
    fn is_stringer(&self) -> bool {
        false
    }
    /// The entries of a Go map type with methods (`.Files`), for `range` and `len`.
    fn entries(&self) -> Option<Vec<(String, Value)>> {
        None
    }
}

impl Value {
    pub fn str(s: impl Into<Arc<str>>) -> Value {
        Value::Str(s.into())
    }
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(List {
            elem: Elem::Any,
            items,
        }))
    }
    pub fn typed_list(elem: Elem, items: Vec<Value>) -> Value {
        Value::List(Arc::new(List { elem, items }))
    }
    pub fn strings(items: impl IntoIterator<Item = String>) -> Value {
        Value::typed_list(Elem::Str, items.into_iter().map(Value::str).collect())
    }
    pub fn map(entries: Entries) -> Value {
        Value::typed_map(Elem::Any, None, entries)
    }
    pub fn typed_map(elem: Elem, named: Option<&'static str>, entries: Entries) -> Value {
        Value::Map(GoMap::new(elem, named, entries))
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Missing | Value::Nil)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Go's type name, as `typeOf` (`%T`) prints it.
    pub fn type_name(&self) -> String {
        match self {
            Value::Missing | Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Int64(_) => "int64".into(),
            Value::Float(_) => "float64".into(),
            Value::Str(_) => "string".into(),
            Value::List(l) => format!("[]{}", l.elem.go_name()),
            Value::Map(m) => match m.named {
                Some(name) => name.into(),
                None => format!("map[string]{}", m.elem.go_name()),
            },
            Value::Object(o) => o.type_name(),
        }
    }

    /// Go's `reflect.Kind` name, as Sprig's `kindOf` prints it.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Missing | Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Int64(_) => "int64",
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::List(_) => "slice",
            Value::Map(_) => "map",
            Value::Object(o) if o.type_name().starts_with('*') => "ptr",
            Value::Object(_) => "struct",
        }
    }

    /// Go's `truth`: what `if`, `with`, `and`, `or` and `not` test.
    pub fn truth(&self) -> bool {
        match self {
            Value::Missing | Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(n) | Value::Int64(n) => *n != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.items.is_empty(),
            Value::Map(m) => !m.read().is_empty(),
            // A Go map type with methods (`.Files.Glob`) is false when empty; a struct never.
            Value::Object(o) => o.entries().is_none_or(|e| !e.is_empty()),
        }
    }

    /// Sprig's `empty`: the zero value of its type (a struct is never empty).
    pub fn is_empty(&self) -> bool {
        !self.truth()
    }

    /// The value as an element of a Go container: a missing value is stored as nil.
    pub fn stored(self) -> Value {
        match self {
            Value::Missing => Value::Nil,
            other => other,
        }
    }

    /// A copy that shares nothing mutable with `self` (Sprig's `deepCopy`, and values handed to
    /// each chart so that one template's `set` does not leak into another render).
    pub fn deep_copy(&self) -> Value {
        match self {
            Value::List(l) => {
                Value::typed_list(l.elem, l.items.iter().map(Value::deep_copy).collect())
            }
            Value::Map(m) => Value::typed_map(
                m.elem,
                m.named,
                m.read()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.deep_copy()))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}({})",
            self.type_name(),
            crate::gofmt::sprint_value(self)
        )
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::str(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

/// Go's `==` on two values held in interfaces, for `has`, `without`, `uniq` and `eq` on
/// non-basic types. `None` when Go would panic comparing uncomparable types.
pub fn go_equal(a: &Value, b: &Value) -> Option<bool> {
    Some(match (a, b) {
        (Value::Missing | Value::Nil, Value::Missing | Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) | (Value::Int64(x), Value::Int64(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::List(_), Value::List(_)) | (Value::Map(_), Value::Map(_)) => return None,
        (Value::Object(x), Value::Object(y)) => Arc::ptr_eq(x, y),
        _ => false,
    })
}

/// Go's `reflect.DeepEqual` (Sprig's `deepEqual`).
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::List(x), Value::List(y)) => {
            x.elem == y.elem
                && x.items.len() == y.items.len()
                && x.items.iter().zip(&y.items).all(|(a, b)| deep_equal(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            if Arc::ptr_eq(x, y) {
                return true;
            }
            let (x, y) = (x.read(), y.read());
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        _ => go_equal(a, b).unwrap_or(false),
    }
}
