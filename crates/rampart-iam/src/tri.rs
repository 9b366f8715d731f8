//! Three-valued truth: what a policy says about a request holds in every request context, in
//! some (under a condition, for some resources), or in none.

use serde::Serialize;

/// Kleene's three-valued logic, ordered `No < Maybe < Yes`: `and` is the minimum, `or` the
/// maximum. `Maybe` is never turned into `Yes` or `No` by guessing a context.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tri {
    #[default]
    No,
    Maybe,
    Yes,
}

impl Tri {
    pub fn and(self, other: Tri) -> Tri {
        self.min(other)
    }

    pub fn or(self, other: Tri) -> Tri {
        self.max(other)
    }

    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Tri {
        match self {
            Tri::No => Tri::Yes,
            Tri::Maybe => Tri::Maybe,
            Tri::Yes => Tri::No,
        }
    }

    /// `Yes` when `value` holds, `No` otherwise.
    pub fn from_bool(value: bool) -> Tri {
        if value { Tri::Yes } else { Tri::No }
    }

    /// The disjunction of `values`: `No` when empty.
    pub fn any(values: impl IntoIterator<Item = Tri>) -> Tri {
        values.into_iter().fold(Tri::No, Tri::or)
    }

    /// Whether it may hold in some context.
    pub fn possible(self) -> bool {
        self != Tri::No
    }
}
