//! The command line systemd starts a service with, read from its unit file and drop-ins the way
//! systemd reads them: `[Service]` settings applied file by file, an empty `ExecStart=`,
//! `Environment=` or `EnvironmentFile=` resetting what came before, variables from
//! `EnvironmentFile=` overriding those of `Environment=`, and `$VAR` (split at whitespace into
//! zero or more words) and `${VAR}` (one word) expanded in `ExecStart=`. This is how kubeadm's
//! `10-kubeadm.conf` hands the kubelet `$KUBELET_KUBEADM_ARGS` from
//! `/var/lib/kubelet/kubeadm-flags.env`.

use std::collections::HashMap;

use super::Origin;

/// One file of a unit: the unit itself or a drop-in, by its path on the node.
#[derive(Debug, Clone, Copy)]
pub struct UnitFile<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

/// A word of the command line, with the line it was written on (the `ExecStart=` line, or the
/// line of the variable it came from).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub at: Origin,
}

/// A problem in a unit or environment file, at a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitProblem {
    pub at: Origin,
    pub message: String,
}

/// The command line a service starts with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceCommand {
    /// The words of the last `ExecStart=`, executable first; empty when there is none.
    pub words: Vec<Word>,
    /// The environment files read, by path on the node.
    pub environment_files: Vec<String>,
    pub problems: Vec<UnitProblem>,
}

/// A variable's value and where it was assigned.
type Environment = HashMap<String, (String, Origin)>;

/// Reads `units` (the unit file first, then its drop-ins in order); `read` returns the text of
/// an environment file by its path on the node, `None` when it does not exist.
pub fn service_command(
    units: &[UnitFile<'_>],
    read: &mut dyn FnMut(&str) -> Option<String>,
) -> ServiceCommand {
    let mut command = ServiceCommand::default();
    let mut environment = Environment::new();
    let mut environment_files: Vec<(String, bool, Origin)> = Vec::new();
    let mut exec_start: Vec<(String, Origin)> = Vec::new();
    for unit in units {
        for (key, value, at) in service_settings(unit) {
            match key.as_str() {
                "Environment" if value.is_empty() => environment.clear(),
                "Environment" => {
                    for assignment in split_quoted(&value) {
                        match assignment.split_once('=') {
                            Some((name, text)) => {
                                environment.insert(name.to_owned(), (text.to_owned(), at.clone()));
                            }
                            None => command.problems.push(UnitProblem {
                                at: at.clone(),
                                message: format!(
                                    "`Environment={assignment}` is not a NAME=VALUE assignment; systemd ignores it"
                                ),
                            }),
                        }
                    }
                }
                "EnvironmentFile" if value.is_empty() => environment_files.clear(),
                "EnvironmentFile" => {
                    let (optional, path) = match value.strip_prefix('-') {
                        Some(path) => (true, path),
                        None => (false, value.as_str()),
                    };
                    environment_files.push((path.trim().to_owned(), optional, at));
                }
                "ExecStart" if value.is_empty() => exec_start.clear(),
                "ExecStart" => exec_start.push((value, at)),
                _ => {}
            }
        }
    }
    // Variables from files override `Environment=`, whatever the order of the settings.
    for (path, optional, at) in environment_files {
        match read(&path) {
            Some(text) => {
                environment.extend(environment_file(&path, &text));
                command.environment_files.push(path);
            }
            None if optional => {}
            None => command.problems.push(UnitProblem {
                at,
                message: format!(
                    "environment file {path} does not exist; systemd refuses to start the service"
                ),
            }),
        }
    }
    if exec_start.len() > 1 {
        let (_, at) = &exec_start[exec_start.len() - 1];
        command.problems.push(UnitProblem {
            at: at.clone(),
            message: "more than one `ExecStart=` without an empty `ExecStart=` to reset the earlier ones; systemd refuses a simple service like this (rampart reads the last)".to_owned(),
        });
    }
    if let Some((line, at)) = exec_start.pop() {
        command.words = expand(&line, &at, &environment);
        if let Some(executable) = command.words.first_mut() {
            // `-`, `@`, `:`, `+` and `!` prefixes change how systemd runs the program, not
            // which program it runs.
            let bare = executable
                .text
                .trim_start_matches(['-', '@', ':', '+', '!']);
            executable.text = bare.to_owned();
        }
    }
    command
}

/// The `[Service]` settings of a unit file: key, value (continuation lines joined) and line.
fn service_settings(unit: &UnitFile<'_>) -> Vec<(String, String, Origin)> {
    let mut settings = Vec::new();
    let mut in_service = false;
    let mut lines = unit.text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let at = Origin::new(unit.path, index as u32 + 1);
        let mut line = line.trim().to_owned();
        // A trailing backslash continues the setting on the next line, read as a space.
        while line.ends_with('\\') {
            line.pop();
            match lines.next() {
                Some((_, next)) => {
                    line.push(' ');
                    line.push_str(next.trim());
                }
                None => break,
            }
        }
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if line.starts_with('[') {
            in_service = line == "[Service]";
            continue;
        }
        if !in_service {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            settings.push((key.trim().to_owned(), value.trim().to_owned(), at));
        }
    }
    settings
}

/// The variables an environment file assigns: `NAME=VALUE` lines, `#` and `;` comments,
/// values optionally in single or double quotes.
fn environment_file(path: &str, text: &str) -> Environment {
    let mut environment = Environment::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim();
        let value = unquote(value);
        environment.insert(
            name.trim().to_owned(),
            (value, Origin::new(path, index as u32 + 1)),
        );
    }
    environment
}

/// A value without its surrounding quotes; `\"` and `\\` read as in systemd's double quotes.
fn unquote(value: &str) -> String {
    if value.len() >= 2 && value.starts_with('\'') && value.ends_with('\'') {
        return value[1..value.len() - 1].to_owned();
    }
    if value.len() >= 2 && value.starts_with('"') && value.ends_with('"') {
        let inner = &value[1..value.len() - 1];
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => out.extend(chars.next()),
                c => out.push(c),
            }
        }
        return out;
    }
    value.to_owned()
}

/// Splits at unquoted whitespace; quotes group words and are removed, a backslash escapes the
/// next character.
fn split_quoted(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (Some(open), c) if c == open => quote = None,
            (_, '\\') => {
                word.extend(chars.next());
                in_word = true;
            }
            (_, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// The words of an `ExecStart=` line with variables expanded: a word that is exactly `$NAME`
/// becomes the variable's value split at whitespace (zero or more words, each from where the
/// variable was assigned); `${NAME}` anywhere in a word is replaced by the value as it is.
/// An unset variable is empty.
fn expand(line: &str, at: &Origin, environment: &Environment) -> Vec<Word> {
    let mut words = Vec::new();
    for raw in raw_words(line) {
        if let Some(name) = raw.strip_prefix('$').filter(|name| is_variable_name(name)) {
            if let Some((value, origin)) = environment.get(name) {
                words.extend(value.split_whitespace().map(|text| Word {
                    text: text.to_owned(),
                    at: origin.clone(),
                }));
            }
            continue;
        }
        let (text, origin) = substitute_braced(&unquote_word(&raw), environment);
        words.push(Word {
            text,
            at: origin.unwrap_or_else(|| at.clone()),
        });
    }
    words
}

/// The words of a command line before quote removal, so that a quoted `"$NAME"` is not taken
/// for a bare `$NAME`.
fn raw_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            (None, '"' | '\'') => {
                quote = Some(c);
                word.push(c);
            }
            (Some(open), c) if c == open => {
                quote = None;
                word.push(c);
            }
            (_, '\\') => {
                word.push('\\');
                word.extend(chars.next());
            }
            (_, c) => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// One raw word with its quotes and escapes removed.
fn unquote_word(raw: &str) -> String {
    split_quoted(raw).concat()
}

/// Replaces `${NAME}` and `$$` in a word; returns where the first substituted variable was
/// assigned, which is where the word's value came from.
fn substitute_braced(word: &str, environment: &Environment) -> (String, Option<Origin>) {
    let mut out = String::with_capacity(word.len());
    let mut origin = None;
    let mut rest = word;
    while let Some(start) = rest.find('$') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        if let Some(after_dollar) = after.strip_prefix('$') {
            out.push('$');
            rest = after_dollar;
        } else if let Some(braced) = after.strip_prefix('{')
            && let Some(end) = braced.find('}')
        {
            if let Some((value, at)) = environment.get(&braced[..end]) {
                out.push_str(value);
                origin.get_or_insert_with(|| at.clone());
            }
            rest = &braced[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    (out, origin)
}

fn is_variable_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KUBEADM_DROP_IN: &str = "\
# Note: This dropin only works with kubeadm and kubelet v1.11+
[Service]
Environment=\"KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf\"
Environment=\"KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml\"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
";

    fn words(command: &ServiceCommand) -> Vec<(String, String)> {
        command
            .words
            .iter()
            .map(|w| (w.text.clone(), format!("{}:{}", w.at.path, w.at.line)))
            .collect()
    }

    #[test]
    fn kubeadm_drop_in_expands_variables_from_environment_files() {
        let unit = UnitFile {
            path: "/lib/systemd/system/kubelet.service",
            text: "[Unit]\nDescription=kubelet\n[Service]\nExecStart=/usr/bin/kubelet\nRestart=always\n",
        };
        let drop_in = UnitFile {
            path: "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
            text: KUBEADM_DROP_IN,
        };
        let mut read = |path: &str| {
            match path {
            "/var/lib/kubelet/kubeadm-flags.env" => Some(
                "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10\"\n".to_owned(),
            ),
            _ => None,
        }
        };
        let command = service_command(&[unit, drop_in], &mut read);
        assert_eq!(command.problems, []);
        let drop_in = "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf";
        let env = "/var/lib/kubelet/kubeadm-flags.env:1";
        assert_eq!(
            words(&command),
            [
                ("/usr/bin/kubelet".into(), format!("{drop_in}:8")),
                (
                    "--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf".into(),
                    format!("{drop_in}:3")
                ),
                (
                    "--kubeconfig=/etc/kubernetes/kubelet.conf".into(),
                    format!("{drop_in}:3")
                ),
                (
                    "--config=/var/lib/kubelet/config.yaml".into(),
                    format!("{drop_in}:4")
                ),
                (
                    "--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock"
                        .into(),
                    env.into()
                ),
                (
                    "--pod-infra-container-image=registry.k8s.io/pause:3.10".into(),
                    env.into()
                ),
            ]
        );
        assert_eq!(
            command.environment_files,
            ["/var/lib/kubelet/kubeadm-flags.env"]
        );
    }

    #[test]
    fn environment_files_override_environment_and_resets_apply() {
        let unit = UnitFile {
            path: "/etc/systemd/system/kubelet.service",
            text: "[Service]\nEnvironment=A=--one B=unused\nEnvironmentFile=/etc/a.env\n\
                   Environment=A=--two\nExecStart=/usr/bin/kubelet $A\nExecStart=\n\
                   ExecStart=-/usr/bin/kubelet \"${A}\" --x=\"a b\" $$A $B $UNSET ${UNSET}\n",
        };
        let mut read = |path: &str| (path == "/etc/a.env").then(|| "# c\nA='--three'\n".to_owned());
        let command = service_command(&[unit], &mut read);
        let texts: Vec<_> = command.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            texts,
            ["/usr/bin/kubelet", "--three", "--x=a b", "$A", "unused", ""]
        );
        assert_eq!(command.words[1].at, Origin::new("/etc/a.env", 2));
        assert_eq!(
            command.words[2].at,
            Origin::new("/etc/systemd/system/kubelet.service", 7)
        );
    }

    #[test]
    fn missing_required_environment_file_and_repeated_exec_start_are_problems() {
        let unit = UnitFile {
            path: "/etc/systemd/system/kubelet.service",
            text: "[Service]\nEnvironmentFile=/etc/missing\nExecStart=/a\nExecStart=/usr/bin/kubelet \\\n  --v=2\n",
        };
        let command = service_command(&[unit], &mut |_| None);
        assert_eq!(command.problems.len(), 2, "{:?}", command.problems);
        assert_eq!(command.problems[0].at.line, 2);
        let texts: Vec<_> = command.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["/usr/bin/kubelet", "--v=2"]);
    }

    #[test]
    fn settings_outside_service_are_ignored() {
        let unit = UnitFile {
            path: "u",
            text: "[Install]\nExecStart=/wrong\n",
        };
        assert!(service_command(&[unit], &mut |_| None).words.is_empty());
    }
}
