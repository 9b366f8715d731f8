//! Command lines as the components' flag parsers read them. The Kubernetes components use
//! pflag: `--name=value` or `--name value`, except booleans, which take a value only after
//! `=` (`--profiling false` sets `true` and leaves `false` as a stray argument); a later
//! occurrence of a flag replaces an earlier one, except for list flags, whose occurrences
//! accumulate; `_` in a name reads as `-`. etcd's parser takes the same forms.

use super::catalogue::{self, FlagKind};
use super::{Component, ListItem, Setting, Source, split_list};

/// One flag as written on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The name without dashes.
    pub name: String,
    /// The value, if one was given (after `=` or as the next argument).
    pub value: Option<String>,
    /// JSON pointer of the element that names the flag.
    pub pointer: String,
}

/// Every flag of a command line, in order, known to rampart or not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandLine {
    pub flags: Vec<Occurrence>,
}

impl CommandLine {
    /// Reads the flags of `command` followed by `args` (the process's arguments, as the
    /// kubelet starts it), skipping the executable, which is the first of them.
    pub fn parse(
        component: Component,
        container_pointer: &str,
        command: &[&str],
        args: &[&str],
    ) -> CommandLine {
        let words: Vec<(String, &str)> = command
            .iter()
            .enumerate()
            .map(|(index, word)| (format!("{container_pointer}/command/{index}"), *word))
            .chain(
                args.iter()
                    .enumerate()
                    .map(|(index, word)| (format!("{container_pointer}/args/{index}"), *word)),
            )
            .skip(1)
            .collect();
        let flags = parse_flags(
            words.iter().map(|(pointer, word)| (pointer.clone(), *word)),
            |name| normalized(component, name),
            |name| catalogue::kind(component, name),
        )
        .flags
        .into_iter()
        .map(|(name, value, pointer)| Occurrence {
            name,
            value,
            pointer,
        })
        .collect();
        CommandLine { flags }
    }

    fn occurrences<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Occurrence> + 'a {
        self.flags.iter().filter(move |flag| flag.name == name)
    }

    /// The value of `name` on the command line, as a flag of this kind takes it.
    pub fn setting(&self, name: &str, kind: FlagKind) -> Option<Setting> {
        let last = self.occurrences(name).last()?;
        let value = match kind {
            FlagKind::List => self
                .list(name)
                .into_iter()
                .map(|item| item.value)
                .collect::<Vec<_>>()
                .join(","),
            FlagKind::Boolean | FlagKind::Scalar => read_value(kind, last.value.as_deref()),
        };
        Some(Setting {
            value,
            source: Source::CommandLine {
                pointer: last.pointer.clone(),
            },
        })
    }

    /// The elements of a list flag over all its occurrences, each with its occurrence.
    pub fn list(&self, name: &str) -> Vec<ListItem> {
        self.occurrences(name)
            .flat_map(|flag| {
                split_list(flag.value.as_deref().unwrap_or("")).map(|item| ListItem {
                    value: item.to_owned(),
                    source: Source::CommandLine {
                        pointer: flag.pointer.clone(),
                    },
                })
            })
            .collect()
    }
}

/// The flags of a command line as pflag reads them, and the words that are not flags.
pub struct ParsedFlags<P> {
    /// Each flag's name (without dashes), its value if one was given, and the position of the
    /// word that names it.
    pub flags: Vec<(String, Option<String>, P)>,
    /// Words that are neither flags nor their values, and everything after `--`.
    pub arguments: Vec<(P, String)>,
}

/// Reads flags as pflag does from `words`, each with where it was written; names go through
/// `normalize`, and `kind` tells which flags take no separate value.
pub fn parse_flags<'a, P>(
    words: impl IntoIterator<Item = (P, &'a str)>,
    normalize: impl Fn(&str) -> String,
    kind: impl Fn(&str) -> FlagKind,
) -> ParsedFlags<P> {
    let mut flags = Vec::new();
    let mut arguments = Vec::new();
    let mut rest = words.into_iter().peekable();
    while let Some((position, word)) = rest.next() {
        if word == "--" {
            arguments.extend(rest.map(|(position, word)| (position, word.to_owned())));
            break;
        }
        let Some(flag) = word.strip_prefix("--").or_else(|| word.strip_prefix('-')) else {
            arguments.push((position, word.to_owned()));
            continue;
        };
        let (name, mut value) = match flag.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (flag, None),
        };
        let name = normalize(name);
        if value.is_none() && kind(&name) != FlagKind::Boolean {
            value = rest
                .next_if(|(_, next)| !next.starts_with('-'))
                .map(|(_, next)| next.to_owned());
        }
        flags.push((name, value, position));
    }
    ParsedFlags { flags, arguments }
}

/// The Kubernetes components register their flags with a normaliser that reads `_` as `-`.
fn normalized(component: Component, name: &str) -> String {
    match component {
        Component::Etcd => name.to_owned(),
        _ => name.replace('_', "-"),
    }
}

/// A scalar or boolean value as written (`None`: the flag alone), with booleans as `true` or
/// `false`.
pub fn read_value(kind: FlagKind, text: Option<&str>) -> String {
    match (kind, text) {
        (FlagKind::Boolean, None) => "true".to_owned(),
        (FlagKind::Boolean, Some(text)) => {
            parse_bool(text).map_or_else(|| text.to_owned(), |b| b.to_string())
        }
        (_, text) => text.unwrap_or_default().to_owned(),
    }
}

/// A boolean as Go's `strconv.ParseBool` reads it.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}
