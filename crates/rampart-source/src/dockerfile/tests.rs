use super::*;

fn parse(text: &str) -> (Dockerfile, Vec<Diagnostic>) {
    let (dockerfile, errors) = parse_dockerfile("Dockerfile", text);
    (dockerfile.expect("a Dockerfile"), errors)
}

#[test]
fn stages_bases_and_global_args() {
    let text = "\
ARG NODE_VERSION=20
ARG REGISTRY
FROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-alpine AS Build
RUN npm ci
FROM build AS test
FROM ${REGISTRY}/distroless:nonroot
FROM scratch
COPY --from=build /app /app
";
    let (dockerfile, errors) = parse(text);
    assert_eq!(errors, []);
    assert_eq!(dockerfile.global_args.len(), 2);
    let bases: Vec<_> = dockerfile.stages.iter().map(|s| s.base.clone()).collect();
    assert_eq!(
        bases,
        [
            Base::Image("node:20-alpine".into()),
            Base::Stage(0),
            Base::Unresolved("${REGISTRY}/distroless:nonroot".into()),
            Base::Scratch,
        ]
    );
    assert_eq!(dockerfile.stages[0].name.as_deref(), Some("build"));
    assert_eq!(
        dockerfile.stages[0].platform.as_deref(),
        Some("$BUILDPLATFORM")
    );
    assert_eq!(
        dockerfile.effective_base(&dockerfile.stages[1]),
        &Base::Image("node:20-alpine".into())
    );
    let copy = &dockerfile.stages[3].instructions[0];
    assert_eq!(copy.flag("from").unwrap().value.as_deref(), Some("build"));
    assert_eq!(copy.words.words, ["/app", "/app"]);
    assert_eq!((copy.line, copy.column), (8, 1));
    assert_eq!(copy.pointer, "/stages/3/instructions/0");
    assert_eq!(dockerfile.stages[0].from.pointer, "/stages/build/from");
}

#[test]
fn arg_and_env_substitution_in_stage() {
    let text = "\
ARG UID=10001
FROM alpine:3.20
ARG UID
ENV HOME=/home/app APP=\"my app\"
ENV LEGACY some value
WORKDIR $HOME
USER ${UID}:${GID:-10001}
";
    let (dockerfile, errors) = parse(text);
    assert_eq!(errors, []);
    let stage = &dockerfile.stages[0];
    let words = |i: usize| stage.instructions[i].words.words.clone();
    assert_eq!(words(3), ["/home/app"]);
    assert_eq!(words(4), ["10001:10001"]);
    assert_eq!(
        stage.instructions[1].pairs(),
        [
            ("HOME".to_owned(), Some("/home/app".to_owned())),
            ("APP".to_owned(), Some("my app".to_owned()))
        ]
    );
    assert_eq!(
        stage.instructions[2].pairs(),
        [("LEGACY".to_owned(), Some("some value".to_owned()))]
    );
    let (user, name) = dockerfile.effective_user(stage).unwrap();
    assert_eq!(name, "10001:10001");
    assert_eq!(user.line, 7);
}

#[test]
fn user_is_inherited_through_stage_chains_only() {
    let text = "\
FROM alpine AS base
USER app
FROM base AS final
RUN true
FROM alpine AS other
";
    let (dockerfile, _) = parse(text);
    let final_stage = &dockerfile.stages[1];
    assert_eq!(dockerfile.effective_user(final_stage).unwrap().1, "app");
    assert!(dockerfile.effective_user(&dockerfile.stages[2]).is_none());
}

#[test]
fn command_forms_and_scripts() {
    let text = "\
FROM alpine
RUN [\"apk\", \"add\", \"curl\"]
RUN --mount=type=cache,target=/var/cache/apk apk add \\
    # comment inside the continuation
    git && \\
    rm -rf /tmp/*
RUN <<EOF
set -e
curl -fsSL https://x | sh
EOF
CMD node server.js
ENTRYPOINT [\"tini\", \"--\"]
HEALTHCHECK --interval=30s CMD wget -qO- http://localhost/ || exit 1
";
    let (dockerfile, errors) = parse(text);
    assert_eq!(errors, []);
    let stage = &dockerfile.stages[0];
    assert_eq!(
        stage.instructions[0].command,
        Some(CommandForm::Exec(vec![
            "apk".into(),
            "add".into(),
            "curl".into()
        ]))
    );
    let mount = &stage.instructions[1];
    assert_eq!(mount.flags[0].name, "mount");
    assert_eq!(
        mount.flags[0].value.as_deref(),
        Some("type=cache,target=/var/cache/apk")
    );
    let programs = |i: usize| -> Vec<String> {
        stage.instructions[i]
            .script
            .as_ref()
            .unwrap()
            .commands()
            .filter_map(|c| c.program().map(|(p, _)| p.to_owned()))
            .collect()
    };
    assert_eq!(programs(1), ["apk", "rm"]);
    assert_eq!(programs(2), ["set", "curl", "sh"]);
    assert_eq!(stage.instructions[2].line, 7);
    assert_eq!(
        stage.instructions[3].command,
        Some(CommandForm::Shell("node server.js".into()))
    );
    assert_eq!(stage.instructions[5].flags[0].name, "interval");
    assert!(matches!(
        stage.instructions[5].command,
        Some(CommandForm::Shell(_))
    ));
}

#[test]
fn an_empty_cmd_or_entrypoint_clears_the_inherited_one() {
    let (dockerfile, errors) = parse("FROM node\nENTRYPOINT []\nCMD [ ]\nRUN []\nSHELL []\n");
    let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [Some(4), Some(5)], "{errors:?}");
    let commands: Vec<_> = dockerfile.stages[0]
        .instructions
        .iter()
        .map(|i| i.command.clone())
        .collect();
    assert_eq!(
        commands,
        [
            Some(CommandForm::Exec(vec![])),
            Some(CommandForm::Exec(vec![]))
        ]
    );
}

#[test]
fn bad_instructions_are_errors_and_the_rest_is_read() {
    let text = "\
FROM alpine
FOO bar
CMD [\"node\", \"server.js\"
RUN <<EOF
echo never closed
";
    let (dockerfile, errors) = parse(text);
    let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [Some(4), Some(2), Some(3)]);
    assert!(errors[1].message.contains("unknown instruction `FOO`"));
    assert!(errors[2].message.contains("not a valid JSON array"));
    assert_eq!(
        dockerfile.stages[0].instructions.len(),
        1,
        "the RUN is kept"
    );
}

#[test]
fn no_from_is_an_error() {
    let (dockerfile, errors) = parse_dockerfile("Dockerfile", "RUN true\n");
    assert!(dockerfile.is_none());
    assert_eq!(errors.len(), 2);
    let (dockerfile, errors) = parse_dockerfile("Dockerfile", "");
    assert!(dockerfile.is_none());
    assert_eq!(errors.len(), 1);
}

#[test]
fn duplicate_stage_names_are_errors() {
    let (_, errors) = parse_dockerfile("Dockerfile", "FROM a AS x\nFROM b AS X\n");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, Some(2));
}

#[test]
fn identities_survive_inserted_lines_and_number_duplicates() {
    let (a, _) = parse("FROM alpine AS app\nRUN make\nRUN make\n");
    let (b, _) = parse("# a new comment\nFROM alpine AS app\nENV X=1\n\nRUN   make\nRUN make\n");
    let ids = |d: &Dockerfile| -> Vec<String> {
        d.stages[0]
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::Run)
            .map(|i| i.identity.clone())
            .collect()
    };
    assert_eq!(ids(&a), ids(&b));
    assert_ne!(ids(&a)[0], ids(&a)[1]);
}

#[test]
fn onbuild_holds_its_instruction() {
    let (dockerfile, errors) = parse("FROM alpine\nONBUILD RUN make\nONBUILD FROM x\n");
    assert_eq!(errors.len(), 1);
    let onbuild = &dockerfile.stages[0].instructions[0];
    assert_eq!(onbuild.onbuild.as_ref().unwrap().keyword, Keyword::Run);
}
