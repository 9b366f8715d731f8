//! Sprig's functions (v3, as Helm ships them), with the Go signatures that decide which
//! arguments each accepts. Functions whose result Helm does not fix (random strings, keys and
//! certificates, the clock) are deterministic here: see [`nondeterministic`].

mod collections;
mod convert;
mod nondeterministic;
mod semver;
mod strings;

use crate::gotmpl::{Func, FuncMap, Ty};

pub use convert::{strval, to_float64, to_int64};
pub use semver::{Version as SemverVersion, satisfies as semver_satisfies};
pub use strings::clean_path;

/// Adds a function to the map.
pub(crate) fn add(
    map: &mut FuncMap,
    name: &'static str,
    params: &'static [Ty],
    variadic: Option<Ty>,
    call: crate::gotmpl::FuncImpl,
) {
    map.insert(
        name,
        Func {
            params,
            variadic,
            call,
        },
    );
}

/// Every Sprig function Helm keeps (Helm removes `env` and `expandenv`).
pub fn funcs() -> FuncMap {
    let mut map = FuncMap::new();
    strings::register(&mut map);
    convert::register(&mut map);
    collections::register(&mut map);
    semver::register(&mut map);
    nondeterministic::register(&mut map);
    map
}
