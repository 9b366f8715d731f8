//! Go's `text/template`, as Go 1.23 defines it: lexer, parser, executor and builtins.

mod builtins;
mod exec;
mod lex;
mod parse;

pub use exec::{Engine, ExecError, Func, FuncImpl, FuncMap, MAX_EXEC_DEPTH, MAX_OUTPUT, Ty};
pub use parse::{ParseError, Tree};
