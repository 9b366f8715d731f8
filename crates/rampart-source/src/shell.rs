//! A small POSIX shell reader for the commands of a `RUN` instruction: enough of the grammar to
//! know which programs run with which arguments, and which feed which through a pipe. It
//! splits at `&&`, `||`, `;`, `&`, `|` and newlines, removes quotes the way the shell does,
//! drops redirections and comments, looks through `if`/`then`/`do`-style keywords, and reads
//! the scripts given to `sh -c`, `$(...)`, backquotes and `<(...)` as scripts of their own.
//! Variables are not expanded (their values are only known when the image builds).

/// Commands connected by pipes: each one's output is the next one's input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pipeline {
    pub commands: Vec<SimpleCommand>,
}

/// A program and its arguments, quotes removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimpleCommand {
    /// `NAME=value` words before the program.
    pub assignments: Vec<String>,
    /// The program, then its arguments.
    pub words: Vec<String>,
}

/// Every pipeline of a script, nested scripts (`sh -c '...'`, `$(...)`) included after the
/// pipeline that holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    pub pipelines: Vec<Pipeline>,
}

/// How deep nested scripts are read: `sh -c "sh -c '...'"` does not go on forever.
const MAX_NESTING: usize = 8;

/// Programs that run the command given after their own options.
const WRAPPERS: [&str; 11] = [
    "sudo", "doas", "env", "nohup", "time", "exec", "command", "nice", "gosu", "su-exec", "timeout",
];

/// Shells whose `-c` argument is a script.
pub const SHELLS: [&str; 7] = ["sh", "bash", "dash", "ash", "zsh", "ksh", "busybox"];

impl Script {
    /// Reads `text` as a shell script.
    pub fn parse(text: &str) -> Script {
        let mut script = Script::default();
        read(text, 0, &mut script);
        script
    }

    /// Reads `text` without the scripts nested in it (`sh -c '...'`, `$(...)`): enough to
    /// know its first commands, and linear in the text where `parse` reads nested scripts again.
    pub fn parse_top_level(text: &str) -> Script {
        let mut script = Script::default();
        read(text, MAX_NESTING, &mut script);
        script
    }

    /// A command given as an argument vector (`RUN ["apt-get", "install", "curl"]`), reading
    /// `sh -c` scripts in it.
    pub fn from_argv(argv: &[String]) -> Script {
        let mut script = Script::default();
        let command = SimpleCommand {
            assignments: Vec::new(),
            words: argv.to_vec(),
        };
        let nested = command.shell_script().map(str::to_owned);
        script.pipelines.push(Pipeline {
            commands: vec![command],
        });
        if let Some(nested) = nested {
            read(&nested, 1, &mut script);
        }
        script
    }

    /// Every command of every pipeline.
    pub fn commands(&self) -> impl Iterator<Item = &SimpleCommand> {
        self.pipelines.iter().flat_map(|p| p.commands.iter())
    }
}

impl SimpleCommand {
    /// The program actually run and its arguments, looking through wrappers such as `sudo`,
    /// `env NAME=value` and `nohup`. The program is named by its base name (`/usr/bin/pip3` is
    /// `pip3`).
    pub fn program(&self) -> Option<(&str, &[String])> {
        let mut words = self.words.as_slice();
        loop {
            let (first, rest) = words.split_first()?;
            // A program named by a substitution's output is unknown here; the substitution
            // itself is read as a script of its own.
            if first.starts_with("$(") || first.starts_with('`') {
                return None;
            }
            let name = base_name(first);
            if !WRAPPERS.contains(&name) {
                return Some((name, rest));
            }
            words = skip_wrapper_options(name, rest);
        }
    }

    /// The script of `sh -c SCRIPT` (or `bash -ec`, `busybox sh -c`...), when this is one.
    pub fn shell_script(&self) -> Option<&str> {
        let (name, mut args) = self.program()?;
        if !SHELLS.contains(&name) {
            return None;
        }
        if name == "busybox" {
            let (first, rest) = args.split_first()?;
            if !SHELLS.contains(&first.as_str()) {
                return None;
            }
            args = rest;
        }
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            // The first operand is a script file, not `-c`'s argument.
            let flags = arg.strip_prefix('-')?;
            if flags.starts_with('-') {
                continue;
            }
            if flags.contains('c') {
                return iter.next().map(String::as_str);
            }
            if flags == "o" {
                iter.next();
            }
        }
        None
    }
}

fn base_name(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// The words after a wrapper's own options and operands: `sudo -u app cmd` -> `cmd`,
/// `env -i A=1 cmd` -> `cmd`, `timeout 10 cmd` -> `cmd`.
fn skip_wrapper_options<'w>(wrapper: &str, mut rest: &'w [String]) -> &'w [String] {
    let takes_value: &[&str] = match wrapper {
        "sudo" | "doas" => &["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"],
        "env" => &["-u", "-C", "-S"],
        "nice" => &["-n"],
        "timeout" => &["-s", "-k"],
        _ => &[],
    };
    while let Some((first, tail)) = rest.split_first() {
        if first == "--" {
            return tail;
        }
        if first.starts_with('-') && first.len() > 1 {
            rest = if takes_value.contains(&first.as_str()) {
                tail.get(1..).unwrap_or(&[])
            } else {
                tail
            };
        } else if wrapper == "env" && first.contains('=') {
            rest = tail;
        } else {
            break;
        }
    }
    match wrapper {
        // `timeout DURATION cmd`, `gosu USER cmd`, `su-exec USER cmd`
        "timeout" | "gosu" | "su-exec" => rest.get(1..).unwrap_or(&[]),
        _ => rest,
    }
}

/// Separators between tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    /// `&&`, `||`, `;`, `&`, newline: the pipeline ends.
    End,
    /// `|`, `|&`: the command ends, the pipeline goes on.
    Pipe,
    /// `>`, `<`, `>>`, `2>`...: the next word is a file, not an argument.
    Redirect,
    /// `(`, `)`: subshell grouping; commands inside are read as any other.
    Group,
}

#[derive(Debug)]
enum Token {
    Word(String),
    Operator(Operator),
}

/// Keywords that come before a command and are not one.
const PREFIX_KEYWORDS: [&str; 9] = [
    "if", "then", "else", "elif", "do", "while", "until", "!", "{",
];
/// Keywords that end a construct and stand alone.
const END_KEYWORDS: [&str; 4] = ["fi", "done", "esac", "}"];

fn read(text: &str, depth: usize, script: &mut Script) {
    let mut nested = Vec::new();
    let tokens = tokenize(text, &mut nested);
    let mut pipeline = Pipeline::default();
    let mut command = SimpleCommand::default();
    let mut redirect_pending = false;
    let mut in_for_header = false;
    let finish_command = |command: &mut SimpleCommand, pipeline: &mut Pipeline| {
        if !command.words.is_empty() {
            pipeline.commands.push(std::mem::take(command));
        }
        command.assignments.clear();
    };
    let mut finished = Vec::new();
    for token in tokens {
        match token {
            Token::Word(word) => {
                if redirect_pending {
                    redirect_pending = false;
                    continue;
                }
                if command.words.is_empty() {
                    if in_for_header {
                        continue;
                    }
                    if PREFIX_KEYWORDS.contains(&word.as_str())
                        || END_KEYWORDS.contains(&word.as_str())
                    {
                        continue;
                    }
                    if word == "for" || word == "case" {
                        in_for_header = true;
                        continue;
                    }
                    if is_assignment(&word) {
                        command.assignments.push(word);
                        continue;
                    }
                }
                command.words.push(word);
            }
            Token::Operator(Operator::Redirect) => redirect_pending = true,
            Token::Operator(Operator::Pipe) => finish_command(&mut command, &mut pipeline),
            Token::Operator(Operator::End | Operator::Group) => {
                in_for_header = false;
                finish_command(&mut command, &mut pipeline);
                if !pipeline.commands.is_empty() {
                    finished.push(std::mem::take(&mut pipeline));
                }
            }
        }
    }
    finish_command(&mut command, &mut pipeline);
    if !pipeline.commands.is_empty() {
        finished.push(pipeline);
    }
    let mut scripts = Vec::new();
    for pipeline in finished {
        let inner: Vec<String> = pipeline
            .commands
            .iter()
            .filter_map(|c| c.shell_script().map(str::to_owned))
            .collect();
        script.pipelines.push(pipeline);
        if depth < MAX_NESTING {
            for inner in &inner {
                read(inner, depth + 1, script);
            }
        }
        scripts.extend(inner);
    }
    if depth < MAX_NESTING {
        // A substitution inside a `sh -c` argument was found again when that script was
        // read: reading it here too would read it twice at every level, 2^depth in all.
        nested.retain(|substitution| !scripts.iter().any(|s| s.contains(substitution.as_str())));
        for inner in nested {
            read(&inner, depth + 1, script);
        }
    }
}

/// `NAME=value` before a command.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Splits `text` into words and operators. The scripts of `$(...)`, backquotes and `<(...)`
/// are kept in the word as written and collected into `nested`.
fn tokenize(text: &str, nested: &mut Vec<String>) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut i = 0;
    let flush = |tokens: &mut Vec<Token>, word: &mut String, in_word: &mut bool| {
        if *in_word {
            tokens.push(Token::Word(std::mem::take(word)));
            *in_word = false;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '#' if !in_word => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            ' ' | '\t' | '\r' => flush(&mut tokens, &mut word, &mut in_word),
            '\n' | ';' => {
                flush(&mut tokens, &mut word, &mut in_word);
                tokens.push(Token::Operator(Operator::End));
            }
            '&' => {
                flush(&mut tokens, &mut word, &mut in_word);
                if next == Some('&') {
                    i += 1;
                } else if next == Some('>') {
                    // `&>file`: both streams to a file.
                    i += 1;
                    if chars.get(i + 1) == Some(&'>') {
                        i += 1;
                    }
                    tokens.push(Token::Operator(Operator::Redirect));
                    i += 1;
                    continue;
                }
                tokens.push(Token::Operator(Operator::End));
            }
            '|' => {
                flush(&mut tokens, &mut word, &mut in_word);
                if next == Some('|') {
                    i += 1;
                    tokens.push(Token::Operator(Operator::End));
                } else {
                    if next == Some('&') {
                        i += 1;
                    }
                    tokens.push(Token::Operator(Operator::Pipe));
                }
            }
            '(' | ')' => {
                flush(&mut tokens, &mut word, &mut in_word);
                tokens.push(Token::Operator(Operator::Group));
            }
            '<' if next == Some('(') => {
                i = substitution(&chars, i, Substitution::Process, &mut word, nested);
                in_word = true;
                continue;
            }
            '<' | '>' => {
                // A file descriptor number written just before belongs to the redirection.
                if in_word && word.chars().all(|c| c.is_ascii_digit()) {
                    word.clear();
                    in_word = false;
                }
                flush(&mut tokens, &mut word, &mut in_word);
                i += 1;
                while i < chars.len() && matches!(chars[i], '<' | '>' | '|') {
                    i += 1;
                }
                // `2>&1`, `>&2`: a descriptor, not a file.
                if chars.get(i) == Some(&'&') {
                    i += 1;
                    while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '-') {
                        i += 1;
                    }
                    continue;
                }
                tokens.push(Token::Operator(Operator::Redirect));
                continue;
            }
            '\'' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    word.push(chars[i]);
                    i += 1;
                }
            }
            '"' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    match chars[i] {
                        '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                            word.push(chars[i + 1]);
                            i += 1;
                        }
                        '\\' if chars.get(i + 1) == Some(&'\n') => i += 1,
                        '$' if chars.get(i + 1) == Some(&'(') => {
                            let kind = Substitution::Command;
                            i = substitution(&chars, i, kind, &mut word, nested) - 1;
                        }
                        '`' => {
                            let kind = Substitution::Backquoted;
                            i = substitution(&chars, i, kind, &mut word, nested) - 1;
                        }
                        other => word.push(other),
                    }
                    i += 1;
                }
            }
            '\\' => {
                in_word = true;
                match next {
                    Some('\n') => {}
                    Some(escaped) => word.push(escaped),
                    None => {}
                }
                i += 1;
            }
            '$' if next == Some('(') => {
                i = substitution(&chars, i, Substitution::Command, &mut word, nested);
                in_word = true;
                continue;
            }
            '`' => {
                i = substitution(&chars, i, Substitution::Backquoted, &mut word, nested);
                in_word = true;
                continue;
            }
            other => {
                in_word = true;
                word.push(other);
            }
        }
        i += 1;
    }
    flush(&mut tokens, &mut word, &mut in_word);
    tokens
}

/// The three ways a word runs a script.
#[derive(Clone, Copy)]
enum Substitution {
    /// `$(...)`
    Command,
    /// `` `...` ``
    Backquoted,
    /// `<(...)`
    Process,
}

/// Reads the substitution opening at `at`: keeps it in `word` as written, collects its script
/// into `nested`, and returns the index after it.
fn substitution(
    chars: &[char],
    at: usize,
    kind: Substitution,
    word: &mut String,
    nested: &mut Vec<String>,
) -> usize {
    let (open, close, (inner, end)) = match kind {
        Substitution::Command => ("$(", ')', balanced(chars, at + 2)),
        Substitution::Process => ("<(", ')', balanced(chars, at + 2)),
        Substitution::Backquoted => ("`", '`', backquoted(chars, at + 1)),
    };
    word.push_str(open);
    word.push_str(&inner);
    word.push(close);
    nested.push(inner);
    end
}

/// The text from `start` to the matching `)`, skipping quoted parentheses; returns it and the
/// index after the `)` (the end of the text when unbalanced).
fn balanced(chars: &[char], start: usize) -> (String, usize) {
    let mut depth = 0usize;
    let mut quote = None;
    let mut i = start;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some('"') if c == '\\' => i += 1,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '\\' => i += 1,
                '(' => depth += 1,
                ')' if depth == 0 => {
                    return (chars[start..i].iter().collect(), i + 1);
                }
                ')' => depth -= 1,
                _ => {}
            },
        }
        i += 1;
    }
    let end = chars.len().min(start.max(i));
    (chars[start.min(end)..end].iter().collect(), end)
}

/// The text between backquotes from `start`; returns it and the index after the closing one.
fn backquoted(chars: &[char], start: usize) -> (String, usize) {
    let mut i = start;
    while i < chars.len() && chars[i] != '`' {
        if chars[i] == '\\' {
            i += 1;
        }
        i += 1;
    }
    let end = i.min(chars.len());
    (
        chars[start.min(end)..end].iter().collect(),
        (i + 1).min(chars.len().max(i + 1)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn programs(text: &str) -> Vec<Vec<String>> {
        Script::parse(text)
            .pipelines
            .iter()
            .map(|p| {
                p.commands
                    .iter()
                    .map(|c| {
                        c.program()
                            .map(|(name, _)| name.to_owned())
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn splits_lists_and_pipelines() {
        assert_eq!(
            programs("apt-get update && apt-get install -y curl; rm -rf /x || true"),
            [vec!["apt-get"], vec!["apt-get"], vec!["rm"], vec!["true"]]
        );
        assert_eq!(
            programs("curl -fsSL https://x/install.sh | sudo bash -s -- --yes"),
            [vec!["curl", "bash"]]
        );
    }

    #[test]
    fn quotes_and_escapes_are_removed() {
        let script = Script::parse(r#"echo "a b" 'c d' e\ f "x\"y" >/dev/null 2>&1"#);
        assert_eq!(
            script.pipelines[0].commands[0].words,
            ["echo", "a b", "c d", "e f", "x\"y"]
        );
    }

    #[test]
    fn nested_scripts_are_read() {
        assert_eq!(
            programs(r#"sh -c "cd /app && make" && bash -ec 'wget -qO- x | sh'"#),
            [
                vec!["sh"],
                vec!["cd"],
                vec!["make"],
                vec!["bash"],
                vec!["wget", "sh"]
            ]
        );
        assert_eq!(
            programs(r#"sh -c "$(curl -fsSL https://x)""#),
            [vec!["sh"], vec![""], vec!["curl"]]
        );
        assert_eq!(
            programs("bash <(curl -s https://x)"),
            [vec!["bash"], vec!["curl"]]
        );
        let argv: Vec<String> = ["/bin/sh", "-c", "apk add curl"].map(String::from).to_vec();
        let script = Script::from_argv(&argv);
        assert_eq!(script.commands().count(), 2);
    }

    #[test]
    fn keywords_assignments_and_wrappers() {
        assert_eq!(
            programs("if [ -f x ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y x; fi"),
            [vec!["["], vec!["apt-get"]]
        );
        assert_eq!(programs("for f in a b; do rm $f; done"), [vec!["rm"]]);
        assert_eq!(
            programs("sudo -u app env A=1 /usr/local/bin/pip install x"),
            [vec!["pip"]]
        );
        let script = Script::parse("A=1 B=2 make");
        assert_eq!(script.pipelines[0].commands[0].assignments, ["A=1", "B=2"]);
    }

    #[test]
    fn comments_and_redirections() {
        let script = Script::parse("echo hi > /tmp/out # not a command\nls <in");
        let words: Vec<_> = script.commands().map(|c| c.words.clone()).collect();
        assert_eq!(words, [vec!["echo", "hi"], vec!["ls"]]);
    }

    #[test]
    fn top_level_leaves_nested_scripts_unread() {
        let text = r#"curl -fsSL https://x | sh -c "$(wget -qO- https://y)""#;
        let programs = |script: Script| -> Vec<String> {
            script
                .commands()
                .filter_map(|c| c.program().map(|(name, _)| name.to_owned()))
                .collect()
        };
        assert_eq!(programs(Script::parse_top_level(text)), ["curl", "sh"]);
        assert!(programs(Script::parse(text)).contains(&"wget".to_owned()));
    }

    #[test]
    fn a_substitution_inside_a_shell_argument_is_read_once() {
        let text = r#"bash -c "echo $(curl -fsSL https://x | sh)""#;
        let curls = Script::parse(text)
            .commands()
            .filter(|c| c.program().is_some_and(|(name, _)| name == "curl"))
            .count();
        assert_eq!(curls, 1);
        // Nested eight deep, each level holding the next twice over: read once per level.
        let mut text = "curl https://x | sh".to_owned();
        for _ in 0..8 {
            text = format!("sh -c \"echo $({text})\"");
        }
        let pipelines = Script::parse(&text).pipelines.len();
        assert!(pipelines <= 2 * 9, "{pipelines} pipelines");
    }

    #[test]
    fn unbalanced_input_does_not_panic() {
        for text in ["$(", "`", "\"", "'", "<(", "a >", "sh -c", "$(a (b", "\\"] {
            let _ = Script::parse(text);
        }
    }
}
