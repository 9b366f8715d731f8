//! Dockerfiles (and Containerfiles) as BuildKit reads them: parser directives, continuations,
//! here-documents, flags, JSON and shell forms, build stages with their effective base image,
//! and `ARG`/`ENV` substitution where BuildKit does it (not in `RUN`, which the shell expands).
//!
//! Parsing never stops at the first problem: an instruction BuildKit would reject becomes an
//! error with its line and the rest of the file is read.

mod lines;
mod words;

use std::collections::HashMap;
use std::sync::Arc;

use rampart_core::{Diagnostic, Location, Subject};

pub use lines::{Comment, Directives, Heredoc};
pub use words::Expanded;

use crate::shell::Script;

/// A parsed Dockerfile.
#[derive(Debug, Clone)]
pub struct Dockerfile {
    /// The file, as the user named it.
    pub path: Arc<str>,
    /// Its path relative to the root of its repository (else of the scanned folder it was
    /// found under): what its findings' subject is named, the same from any checkout. Set by
    /// discovery, which sees the file system; the path until then.
    pub name: Arc<str>,
    pub directives: Directives,
    /// `ARG`s before the first `FROM`: in scope for every `FROM` line.
    pub global_args: Vec<Instruction>,
    pub stages: Vec<Stage>,
    /// Every comment line, for inline suppressions.
    pub comments: Vec<Comment>,
    /// Whether a `.dockerignore` (or `<name>.dockerignore`) sits beside the file. Set by
    /// discovery, which sees the file system.
    pub has_dockerignore: bool,
}

/// One build stage: a `FROM` and the instructions up to the next one.
#[derive(Debug, Clone)]
pub struct Stage {
    /// Position among the stages, from 0.
    pub index: usize,
    /// The `AS` name, lower case as BuildKit compares it.
    pub name: Option<String>,
    pub from: Instruction,
    /// What the stage starts from.
    pub base: Base,
    /// `--platform` of the `FROM` line, as written.
    pub platform: Option<String>,
    pub instructions: Vec<Instruction>,
}

/// The image a stage builds on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// `FROM scratch`: an empty file system.
    Scratch,
    /// An earlier stage of the same Dockerfile, by index.
    Stage(usize),
    /// An image reference, build arguments substituted with their defaults.
    Image(String),
    /// The reference depends on a build argument without a default (`FROM $BASE`): only the
    /// build knows it. Holds the reference as written.
    Unresolved(String),
}

/// The instructions BuildKit knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
}

impl Keyword {
    const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// The keyword as written in upper case (`RUN`).
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
        }
    }

    fn parse(word: &str) -> Option<Keyword> {
        Keyword::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(word))
    }

    /// Instructions whose arguments BuildKit splits into words and expands variables in.
    fn expands_words(self) -> bool {
        !matches!(
            self,
            Keyword::Run
                | Keyword::Cmd
                | Keyword::Entrypoint
                | Keyword::Shell
                | Keyword::Healthcheck
                | Keyword::Onbuild
        )
    }

    /// Instructions that take `--flags` before their arguments.
    fn takes_flags(self) -> bool {
        matches!(
            self,
            Keyword::From | Keyword::Run | Keyword::Copy | Keyword::Add | Keyword::Healthcheck
        )
    }
}

/// A `--name=value` flag of an instruction (`RUN --mount=type=secret,id=npm`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
}

/// The two ways to write a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandForm {
    /// `["executable", "arg"]`: run directly, no shell.
    Exec(Vec<String>),
    /// `executable arg`: run by the shell (`/bin/sh -c`), continuations joined.
    Shell(String),
}

/// One instruction, with where it is and what it says.
#[derive(Debug, Clone)]
pub struct Instruction {
    pub keyword: Keyword,
    /// 1-based position of the keyword.
    pub line: u32,
    pub column: u32,
    pub flags: Vec<Flag>,
    /// The arguments after the flags, continuations joined, as written.
    pub arguments: String,
    /// For `RUN`, `CMD`, `ENTRYPOINT`, `SHELL` and `HEALTHCHECK CMD`: the command.
    pub command: Option<CommandForm>,
    /// For `RUN`: the commands it runs, read by the shell reader (here-document scripts
    /// included).
    pub script: Option<Script>,
    pub heredocs: Vec<Heredoc>,
    /// For instructions BuildKit expands: the words, quotes removed, variables substituted
    /// from the `ARG`s and `ENV`s in scope.
    pub words: Expanded,
    /// `ONBUILD`'s instruction.
    pub onbuild: Option<Box<Instruction>>,
    /// JSON pointer of the instruction within the Dockerfile model
    /// (`/stages/build/instructions/3`).
    pub pointer: String,
    /// What identifies the instruction across edits elsewhere in the file (stage, keyword,
    /// normalised text, and an occurrence number among identical ones): fingerprints hash it.
    pub identity: String,
}

impl Instruction {
    /// The value of flag `name` (without `--`), if given.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// `NAME=value` pairs of `ENV`, `LABEL` and `ARG` (an `ARG` without default has `None`),
    /// including the legacy `ENV NAME value with spaces` form.
    pub fn pairs(&self) -> Vec<(String, Option<String>)> {
        let words = &self.words.words;
        let legacy =
            self.keyword == Keyword::Env && words.first().is_some_and(|first| !first.contains('='));
        if legacy {
            let name = words[0].clone();
            let value = words[1..].join(" ");
            return vec![(name, Some(value))];
        }
        words
            .iter()
            .map(|word| match word.split_once('=') {
                Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
                None => (word.clone(), None),
            })
            .collect()
    }

    /// The instruction's text on one line, whitespace collapsed, for messages.
    pub fn text(&self) -> String {
        let mut text = String::from(self.keyword.as_str());
        for flag in &self.flags {
            text.push_str(" --");
            text.push_str(&flag.name);
            if let Some(value) = &flag.value {
                text.push('=');
                text.push_str(value);
            }
        }
        for word in self.arguments.split_whitespace() {
            text.push(' ');
            text.push_str(word);
        }
        text
    }
}

impl Dockerfile {
    /// The stage the image is built from by default: the last one.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The image a stage ultimately starts from, following `FROM <stage>` chains.
    pub fn effective_base<'d>(&'d self, stage: &'d Stage) -> &'d Base {
        let mut base = &stage.base;
        // Stages only refer to earlier ones, so the chain ends.
        while let Base::Stage(index) = base {
            base = &self.stages[*index].base;
        }
        base
    }

    /// The stages a stage builds on, itself first, then its parent stage and so on.
    pub fn lineage<'d>(&'d self, stage: &'d Stage) -> impl Iterator<Item = &'d Stage> + 'd {
        std::iter::successors(Some(stage), move |stage| match stage.base {
            Base::Stage(index) => self.stages.get(index),
            _ => None,
        })
    }

    /// The `USER` in effect at the end of `stage`: the last `USER` of the stage or of the
    /// stages it builds on, with the instruction that sets it. `None`: the base image's user.
    pub fn effective_user<'d>(&'d self, stage: &'d Stage) -> Option<(&'d Instruction, String)> {
        self.lineage(stage).find_map(|stage| {
            stage
                .instructions
                .iter()
                .rev()
                .find(|i| i.keyword == Keyword::User)
                .map(|i| (i, i.words.words.first().cloned().unwrap_or_default()))
        })
    }

    /// What findings on the Dockerfile are about.
    pub fn subject(&self) -> Subject {
        Subject::dockerfile(&self.name)
    }

    /// Where an instruction is, for a finding.
    pub fn location(&self, instruction: &Instruction) -> Location {
        Location::new(self.path.clone(), instruction.line, instruction.column)
    }

    /// Every instruction of every stage, `FROM` lines included, in file order (global `ARG`s
    /// first).
    pub fn instructions(&self) -> impl Iterator<Item = &Instruction> {
        self.global_args.iter().chain(
            self.stages
                .iter()
                .flat_map(|s| std::iter::once(&s.from).chain(&s.instructions)),
        )
    }
}

/// Parses a Dockerfile's text. Problems become errors with their line; everything else is
/// kept. `None` when there is no `FROM` at all (then the errors say why).
pub fn parse_dockerfile(path: &str, text: &str) -> (Option<Dockerfile>, Vec<Diagnostic>) {
    let path: Arc<str> = Arc::from(path);
    let split = lines::split(text);
    let escape = split.directives.escape;
    let mut errors: Vec<Diagnostic> = split
        .errors
        .iter()
        .map(|e| error(&path, Some(e.line), e.message.clone()))
        .collect();
    let mut builder = Builder {
        escape,
        global_args: Vec::new(),
        global_values: HashMap::new(),
        stages: Vec::new(),
        scope: HashMap::new(),
        identities: HashMap::new(),
    };
    for line in &split.lines {
        match builder.add(line) {
            Ok(()) => {}
            Err(message) => errors.push(error(&path, Some(line.line), message)),
        }
    }
    if builder.stages.is_empty() {
        errors.push(error(
            &path,
            None,
            "no FROM instruction: not a Dockerfile BuildKit can build".to_owned(),
        ));
        return (None, errors);
    }
    let dockerfile = Dockerfile {
        name: path.clone(),
        path,
        directives: split.directives,
        global_args: builder.global_args,
        stages: builder.stages,
        comments: split.comments,
        has_dockerignore: false,
    };
    (Some(dockerfile), errors)
}

fn error(path: &Arc<str>, line: Option<u32>, message: String) -> Diagnostic {
    Diagnostic::error(path.to_string(), line, message)
}

/// Builds stages from logical lines, keeping the variables in scope.
struct Builder {
    escape: char,
    global_args: Vec<Instruction>,
    /// Global `ARG` defaults (`None`: declared without one).
    global_values: HashMap<String, Option<String>>,
    stages: Vec<Stage>,
    /// The current stage's `ARG`s and `ENV`s.
    scope: HashMap<String, Option<String>>,
    /// How often each identity was seen, to number identical instructions.
    identities: HashMap<String, usize>,
}

impl Builder {
    fn add(&mut self, line: &lines::LogicalLine) -> Result<(), String> {
        let mut instruction = self.instruction(line, &line.text)?;
        match instruction.keyword {
            Keyword::From => self.start_stage(instruction),
            Keyword::Arg if self.stages.is_empty() => {
                for (name, value) in instruction.pairs() {
                    self.global_values.insert(name, value);
                }
                let index = self.global_args.len();
                self.locate(&mut instruction, "/args", index, "global");
                self.global_args.push(instruction);
                Ok(())
            }
            _ if self.stages.is_empty() => Err(format!(
                "{} before the first FROM: only ARG may come before FROM",
                instruction.keyword.as_str()
            )),
            keyword => {
                match keyword {
                    Keyword::Arg => {
                        for (name, value) in instruction.pairs() {
                            // `ARG NAME` in a stage takes the global default, if any.
                            let value = value.or_else(|| self.global_values.get(&name).cloned()?);
                            self.scope.insert(name, value);
                        }
                    }
                    Keyword::Env => {
                        for (name, value) in instruction.pairs() {
                            self.scope.insert(name, Some(value.unwrap_or_default()));
                        }
                    }
                    _ => {}
                }
                let stage = self.stages.last_mut().expect("a stage was started");
                let index = stage.instructions.len();
                let stage_key = stage_key(stage);
                let prefix = format!("/stages/{stage_key}/instructions");
                Self::locate_with(
                    &mut self.identities,
                    &mut instruction,
                    &prefix,
                    index,
                    &stage_key,
                );
                stage.instructions.push(instruction);
                Ok(())
            }
        }
    }

    fn start_stage(&mut self, mut from: Instruction) -> Result<(), String> {
        let index = self.stages.len();
        let words = &from.words.words;
        let (reference, name) = match words.as_slice() {
            [image] => (image.clone(), None),
            [image, as_, name] if as_.eq_ignore_ascii_case("as") => {
                (image.clone(), Some(name.to_ascii_lowercase()))
            }
            _ => {
                return Err(format!(
                    "FROM takes `image [AS name]`, not `{}`",
                    from.arguments
                ));
            }
        };
        if let Some(name) = &name
            && self.stages.iter().any(|s| s.name.as_ref() == Some(name))
        {
            return Err(format!("stage name `{name}` is used twice"));
        }
        let base = if from.words.unresolved {
            Base::Unresolved(
                from.arguments
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_owned(),
            )
        } else if reference.eq_ignore_ascii_case("scratch") {
            Base::Scratch
        } else {
            let lower = reference.to_ascii_lowercase();
            match self
                .stages
                .iter()
                .position(|s| s.name.as_deref() == Some(lower.as_str()))
            {
                Some(parent) => Base::Stage(parent),
                None => Base::Image(reference),
            }
        };
        let platform = from.flag("platform").and_then(|f| f.value.clone());
        let key = name.clone().unwrap_or_else(|| index.to_string());
        self.locate(&mut from, &format!("/stages/{key}"), usize::MAX, &key);
        from.pointer = format!("/stages/{key}/from");
        self.scope.clear();
        self.stages.push(Stage {
            index,
            name,
            from,
            base,
            platform,
            instructions: Vec::new(),
        });
        Ok(())
    }

    fn locate(&mut self, instruction: &mut Instruction, prefix: &str, index: usize, key: &str) {
        Self::locate_with(&mut self.identities, instruction, prefix, index, key);
    }

    fn locate_with(
        identities: &mut HashMap<String, usize>,
        instruction: &mut Instruction,
        prefix: &str,
        index: usize,
        stage_key: &str,
    ) {
        instruction.pointer = format!("{prefix}/{index}");
        let identity = format!("{stage_key}\0{}", instruction.text());
        let seen = identities.entry(identity.clone()).or_insert(0);
        *seen += 1;
        instruction.identity = format!("{identity}\0{seen}");
    }

    /// Interprets one logical line (or the instruction after `ONBUILD`).
    fn instruction(&self, line: &lines::LogicalLine, text: &str) -> Result<Instruction, String> {
        let trimmed = text.trim_start();
        let keyword_end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        let word = &trimmed[..keyword_end];
        let keyword =
            Keyword::parse(word).ok_or_else(|| format!("unknown instruction `{word}`"))?;
        let mut rest = trimmed[keyword_end..].trim_start();
        let mut flags = Vec::new();
        if keyword.takes_flags() {
            while let Some(flag) = rest.strip_prefix("--") {
                let end = flag.find(char::is_whitespace).unwrap_or(flag.len());
                let (name, value) = match flag[..end].split_once('=') {
                    Some((name, value)) => (name, Some(value.to_owned())),
                    None => (&flag[..end], None),
                };
                flags.push(Flag {
                    name: name.to_owned(),
                    value,
                });
                rest = flag[end..].trim_start();
            }
        }
        let arguments = rest.trim_end().to_owned();
        let mut instruction = Instruction {
            keyword,
            line: line.line,
            column: line.column,
            flags,
            arguments,
            command: None,
            script: None,
            heredocs: line.heredocs.clone(),
            words: Expanded::default(),
            onbuild: None,
            pointer: String::new(),
            identity: String::new(),
        };
        let needs_arguments = !matches!(keyword, Keyword::Healthcheck);
        if needs_arguments && instruction.arguments.is_empty() {
            return Err(format!("{} needs arguments", keyword.as_str()));
        }
        match keyword {
            Keyword::Run | Keyword::Shell => {
                instruction.command = Some(command_form(&instruction.arguments, false)?);
            }
            // `CMD []` and `ENTRYPOINT []` clear what the base image set.
            Keyword::Cmd | Keyword::Entrypoint => {
                instruction.command = Some(command_form(&instruction.arguments, true)?);
            }
            Keyword::Healthcheck => {
                let mut parts = instruction.arguments.splitn(2, char::is_whitespace);
                match parts.next().map(str::to_ascii_uppercase).as_deref() {
                    Some("NONE") => {}
                    Some("CMD") => {
                        let command = parts.next().unwrap_or("").trim();
                        if command.is_empty() {
                            return Err("HEALTHCHECK CMD needs a command".to_owned());
                        }
                        instruction.command = Some(command_form(command, false)?);
                    }
                    _ => return Err("HEALTHCHECK takes `NONE` or `[options] CMD command`".into()),
                }
            }
            Keyword::Onbuild => {
                let inner = self.instruction(line, &instruction.arguments)?;
                if matches!(
                    inner.keyword,
                    Keyword::Onbuild | Keyword::From | Keyword::Maintainer
                ) {
                    return Err(format!("ONBUILD cannot trigger {}", inner.keyword.as_str()));
                }
                instruction.onbuild = Some(Box::new(inner));
            }
            _ => {}
        }
        if keyword.expands_words() {
            let scope = if keyword == Keyword::From {
                &self.global_values
            } else {
                &self.scope
            };
            let lookup = |name: &str| scope.get(name).and_then(|v| v.as_deref());
            instruction.words = words::expand_words(&instruction.arguments, self.escape, &lookup);
            if keyword == Keyword::Arg {
                // An ARG's own name is not a variable: only defaults are expanded.
                instruction.words.unresolved = false;
            }
        }
        if keyword == Keyword::Run {
            instruction.script = Some(run_script(&instruction));
        }
        Ok(instruction)
    }
}

/// `/stages/<name or index>`'s key.
fn stage_key(stage: &Stage) -> String {
    stage
        .name
        .clone()
        .unwrap_or_else(|| stage.index.to_string())
}

/// JSON form when the arguments are a JSON array of strings; otherwise shell form, as
/// BuildKit does. Something that starts like a JSON array but is not one is an error worth
/// reporting: Docker would run the brackets through the shell. An empty array is a command
/// only where it means "none" (`may_be_empty`).
fn command_form(arguments: &str, may_be_empty: bool) -> Result<CommandForm, String> {
    let trimmed = arguments.trim();
    if trimmed.starts_with('[') {
        return match serde_json::from_str::<Vec<String>>(trimmed) {
            Ok(argv) if may_be_empty || !argv.is_empty() => Ok(CommandForm::Exec(argv)),
            Ok(_) => Err("empty JSON form: the command needs at least the program".into()),
            Err(e) => Err(format!(
                "`{trimmed}` is not a valid JSON array of strings ({e}); Docker would run it \
                 through the shell as written"
            )),
        };
    }
    Ok(CommandForm::Shell(trimmed.to_owned()))
}

/// The commands a `RUN` executes. A here-document is the script when the command is only its
/// marker (`RUN <<EOF`) or a shell reading it (`RUN bash <<EOF`); otherwise it is data.
fn run_script(instruction: &Instruction) -> Script {
    match &instruction.command {
        Some(CommandForm::Exec(argv)) => Script::from_argv(argv),
        Some(CommandForm::Shell(text)) => {
            let mut script = Script::parse(text);
            // The shell reader drops `<<EOF` as a redirection, so `RUN <<EOF` has no command.
            let only_markers = script.commands().next().is_none();
            let shell_reads_heredoc = script.commands().any(|c| {
                c.program()
                    .is_some_and(|(name, _)| crate::shell::SHELLS.contains(&name))
                    && c.shell_script().is_none()
            });
            if only_markers || shell_reads_heredoc {
                for heredoc in &instruction.heredocs {
                    script
                        .pipelines
                        .extend(Script::parse(&heredoc.body).pipelines);
                }
            }
            script
        }
        None => Script::default(),
    }
}

#[cfg(test)]
mod tests;
