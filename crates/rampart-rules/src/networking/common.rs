//! What the networking rules share: naming lists of peers in messages.

/// How many peers a message names before summing up the rest.
const NAMED: usize = 8;

/// `a, b, c` — or `a, b, … and 12 more` past [`NAMED`] items.
pub(crate) fn list(items: &[String]) -> String {
    if items.len() <= NAMED {
        return items.join(", ");
    }
    format!(
        "{} and {} more",
        items[..NAMED].join(", "),
        items.len() - NAMED
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_are_summed_up() {
        let items: Vec<String> = (0..10).map(|i| i.to_string()).collect();
        assert_eq!(list(&items[..2]), "0, 1");
        assert_eq!(list(&items), "0, 1, 2, 3, 4, 5, 6, 7 and 2 more");
    }
}
