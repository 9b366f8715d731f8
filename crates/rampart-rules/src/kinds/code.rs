use std::borrow::Cow;
use std::sync::Arc;

use rampart_code::ir::{Module, Span};
use rampart_code::taint::Step;
use rampart_code::{Analysis, Flow, Project};
use rampart_core::{Diagnostic, FlowStep, Location, Subject, Texts};

use crate::checking::{check, each};
use crate::{Hit, Inputs, Kind, Place, RuleOf, RuleOptions};

/// Source code: the project's modules analysed together, then checked one module at a time.
pub struct Code;

/// What a code rule looks at: one module, with the whole project's analysis (its flows from
/// sources to sinks, for those found in this module's functions).
pub struct CodeTarget<'a> {
    pub module: &'a Module,
    /// The module's index in the project (the `module` of its functions' ids).
    pub index: u32,
    pub project: &'a Project<'a>,
    pub analysis: &'a Analysis,
    /// The flows whose source met their sink in a function of this module.
    pub flows: &'a [&'a Flow],
    pub options: &'a RuleOptions,
}

impl Hit {
    /// A hit on a flow: at its sink, with its steps, about the function where the data met the
    /// sink. The fingerprint hashes the sink's expression and the source, not lines.
    pub fn on_flow(target: &CodeTarget<'_>, flow: &Flow, message: impl Into<String>) -> Hit {
        let function = &target.module.functions[flow.function.function as usize];
        let sink = flow.steps.last().expect("a flow ends at its sink");
        Hit::new(function.qualname.clone(), message)
            .with_identity(format!(
                "{}|{}|{}",
                sink.text, flow.sink, flow.source.pattern
            ))
            .with_flow(flow.steps.iter().map(flow_step).collect())
            .at(place(&sink.path, sink.span))
    }

    /// A hit on an expression of a function of the target's module.
    pub fn in_code(
        target: &CodeTarget<'_>,
        function: usize,
        span: Span,
        message: impl Into<String>,
    ) -> Hit {
        let module = target.module;
        Hit::new(module.functions[function].qualname.clone(), message)
            .with_identity(module.text(span))
            .at(place(&module.path, span))
    }
}

fn place(path: &str, span: Span) -> Place {
    Place {
        path: path.to_owned(),
        line: span.line,
        column: span.column,
    }
}

fn flow_step(step: &Step) -> FlowStep {
    let mut location = Location::new(step.path.clone(), step.span.line, step.span.column);
    location.end_line = step.span.end_line;
    location.end_column = step.span.end_column;
    FlowStep {
        location,
        message: format!("{}: {}", step.message, step.text),
    }
}

impl Kind for Code {
    type Target<'a> = CodeTarget<'a>;

    /// Functions whose analysis ran out of budget are the errors: their findings may be
    /// incomplete. (Syntax errors are reported when the files are read.)
    fn run(
        inputs: &Inputs<'_>,
        options: &RuleOptions,
        rules: &[&'static dyn RuleOf<Code>],
        texts: &Texts,
    ) -> (Vec<rampart_core::Finding>, Vec<Diagnostic>) {
        let modules: Vec<&Module> = inputs.inventory.all::<Module>().iter().collect();
        if modules.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let project = Project::new(modules);
        let analysis = project.analyse();
        let mut flows: Vec<Vec<&Flow>> = vec![Vec::new(); project.modules.len()];
        for flow in &analysis.flows {
            flows[flow.function.module as usize].push(flow);
        }
        let errors = analysis
            .incomplete
            .iter()
            .map(|id| {
                let module = project.module(id.module);
                let function = &module.functions[id.function as usize];
                Diagnostic::error(
                    module.path.to_string(),
                    Some(function.span.line),
                    format!(
                        "the analysis of `{}` stopped at its budget: findings through it may be \
                         missing",
                        function.qualname
                    ),
                )
            })
            .collect();
        let indexes: Vec<usize> = (0..project.modules.len()).collect();
        let (findings, _) = each(&indexes, |&index| {
            let target = CodeTarget {
                module: project.modules[index],
                index: index as u32,
                project: &project,
                analysis: &analysis,
                flows: &flows[index],
                options,
            };
            (check(&target, rules, texts), Vec::new())
        });
        (findings, errors)
    }

    /// The function, in its module.
    fn subject(target: &CodeTarget<'_>, hit: &Hit) -> Arc<Subject> {
        Arc::new(Subject::function(&target.module.name, &hit.pointer))
    }

    fn location(target: &CodeTarget<'_>, hit: &Hit) -> Location {
        let mut location = match &hit.place {
            Some(place) => Location::new(Arc::from(place.path.as_str()), place.line, place.column),
            None => Location::new(target.module.path.clone(), 0, 0),
        };
        location.flow = hit.flow.clone();
        location
    }

    fn field_identity<'t>(_target: &'t CodeTarget<'_>, pointer: &'t str) -> Cow<'t, str> {
        Cow::Borrowed(pointer)
    }
}
