use std::path::PathBuf;
use std::sync::Arc;

use rampart_core::{Finding, Location};
use rampart_source::{ComposeFile, Limits, Object, parse_dockerfile, parse_text};

use super::*;
use crate::build_files::build_declarations;

fn pods(images: &[&str]) -> Vec<Object> {
    let mut text = String::new();
    for (index, image) in images.iter().enumerate() {
        text.push_str(&format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{index}, namespace: ns}}\n\
             spec:\n  containers:\n    - {{name: c, image: \"{image}\"}}\n"
        ));
    }
    let (objects, errors) = parse_text("pods.yaml", &text, &Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    objects
}

fn dockerfile(path: &str, text: &str) -> ImageSource {
    let (dockerfile, errors) = parse_dockerfile(path, text);
    assert!(errors.is_empty(), "{errors:?}");
    ImageSource::of_dockerfile(&dockerfile.unwrap()).unwrap()
}

fn image(name: &str, user: &str, digest: Option<&str>) -> ImageSource {
    ImageSource {
        kind: SourceKind::Image,
        shown: Arc::from(name),
        file: None,
        name: Some(name.to_owned()),
        digests: digest.into_iter().map(str::to_owned).collect(),
        build: Build::default(),
        user: ImageUser {
            configured: Some(user.to_owned()),
            passwd_uid: None,
            at: None,
            shown: format!("`{user}`"),
        },
    }
}

fn configured(reference: &str, file: &str) -> Declared {
    Declared {
        reference: reference.to_owned(),
        file: PathBuf::from(file),
        build: Build::default(),
        matched: Matched::Configured,
    }
}

/// The sources each reference is matched to, by what they are shown as.
fn matches(links: &ImageLinks, reference: &str) -> Vec<String> {
    links
        .sources_of(reference)
        .map(|(source, _)| source.shown.to_string())
        .collect()
}

#[test]
fn root_is_no_user_uid_zero_root_or_a_name_passwd_maps_to_zero() {
    let user = |configured: Option<&str>, passwd_uid: Option<u32>| ImageUser {
        configured: configured.map(str::to_owned),
        passwd_uid,
        at: None,
        shown: String::new(),
    };
    assert_eq!(user(Some(""), None).is_root(), Some(true));
    assert_eq!(user(Some("0:10"), None).is_root(), Some(true));
    assert_eq!(user(Some("root"), None).is_root(), Some(true));
    assert_eq!(user(Some("toor"), Some(0)).is_root(), Some(true));
    assert_eq!(user(Some("app"), Some(10001)).is_root(), Some(false));
    assert_eq!(user(Some("app"), None).is_root(), None);
    assert_eq!(user(Some("10001"), None).is_root(), Some(false));
    assert_eq!(user(None, None).is_root(), None);
}

#[test]
fn a_dockerfile_user_is_its_final_stage_lineage() {
    let source = dockerfile(
        "svc/Dockerfile",
        "FROM debian:12 AS base\nUSER 10001\nFROM base\nRUN true\n",
    );
    assert_eq!(source.user.configured.as_deref(), Some("10001"));
    assert_eq!(source.user.at.as_ref().unwrap().line, 2);
    // A build stage's `USER` does not reach the final image.
    let source = dockerfile(
        "svc/Dockerfile",
        "FROM golang:1.23 AS build\nUSER 10001\nFROM scratch\nCOPY --from=build /x /x\n",
    );
    assert_eq!(source.user.configured.as_deref(), Some(""));
    assert_eq!(source.user.at.as_ref().unwrap().line, 3);
    let source = dockerfile("svc/Dockerfile", "FROM node:20\nCMD node\n");
    assert_eq!(source.user.configured, None);
    assert_eq!(source.user.shown, "the user of base image `node:20`");
    let source = dockerfile(
        "svc/Dockerfile",
        "FROM debian:12\nARG APP_USER\nUSER $APP_USER\n",
    );
    assert_eq!(source.user.configured, None);
}

#[test]
fn folders_match_the_repository_from_its_end_and_ties_match_nothing() {
    let sources = vec![
        dockerfile("/src/shop/cart/Dockerfile", "FROM scratch\n"),
        dockerfile("/src/legacy/cart/Dockerfile", "FROM scratch\n"),
        dockerfile("/src/api/Dockerfile", "FROM scratch\n"),
        dockerfile("/src/api/Dockerfile.dev", "FROM scratch\n"),
        dockerfile("/src/jobs/report.Containerfile", "FROM scratch\n"),
    ];
    let references = [
        "registry.example/shop/cart:1",
        "registry.example/acme/cart:1",
        "registry.example/api:2",
        "registry.example/api/dev",
        "registry.example/team/report",
        "registry.example/unrelated:1",
    ];
    let links = ImageLinks::new(&pods(&references), sources, &ImageMapping::default(), &[]);
    assert_eq!(
        matches(&links, references[0]),
        ["/src/shop/cart/Dockerfile"]
    );
    // Two folders named `cart`, neither under `acme`: not told apart.
    assert!(matches(&links, references[1]).is_empty());
    let tied: Vec<&str> = links.tied(references[1]).map(|s| &*s.shown).collect();
    assert_eq!(
        tied,
        ["/src/shop/cart/Dockerfile", "/src/legacy/cart/Dockerfile"]
    );
    assert_eq!(links.tied(references[0]).count(), 0);
    // `Dockerfile.dev` stands for `api/dev`, not for `api`.
    assert_eq!(matches(&links, references[2]), ["/src/api/Dockerfile"]);
    assert_eq!(matches(&links, references[3]), ["/src/api/Dockerfile.dev"]);
    assert_eq!(
        matches(&links, references[4]),
        ["/src/jobs/report.Containerfile"]
    );
    assert!(matches(&links, references[5]).is_empty());
}

#[test]
fn folders_above_the_scanned_folder_do_not_count() {
    let matched_in = |checkout: &str| {
        let sources = vec![
            dockerfile(&format!("{checkout}/Dockerfile"), "FROM scratch\n"),
            dockerfile(
                &format!("{checkout}/legacy/api/Dockerfile"),
                "FROM scratch\n",
            ),
            dockerfile(&format!("{checkout}/web/Dockerfile"), "FROM scratch\n"),
        ];
        let references = ["registry.example/acme/api:1", "registry.example/acme/web:1"];
        let roots = [PathBuf::from(checkout)];
        let links = ImageLinks::new(
            &pods(&references),
            sources,
            &ImageMapping::default(),
            &roots,
        );
        let shown = |reference: &str| -> Vec<String> {
            matches(&links, reference)
                .iter()
                .map(|path| path.strip_prefix(checkout).unwrap().to_owned())
                .collect()
        };
        (
            shown(references[0]),
            links.tied(references[0]).count(),
            shown(references[1]),
        )
    };
    // Checked out as `acme/api` or as `other/api`: the same answer, a tie between the
    // top-level Dockerfile (standing for `api`, the scanned folder) and `legacy/api`.
    let expected = (Vec::<String>::new(), 2, vec!["/web/Dockerfile".to_owned()]);
    assert_eq!(matched_in("/co/acme/api"), expected);
    assert_eq!(matched_in("/co/other/api"), expected);
}

#[test]
fn images_match_by_repository_tag_and_digest() {
    let digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let sources = vec![
        image("registry.example/shop/api:1.4", "10001", Some(digest)),
        image("nginx", "", None),
    ];
    let pinned = format!("registry.example/shop/api@{digest}");
    let other_digest = format!("registry.example/shop/api@sha256:{}", "f".repeat(64));
    let references = [
        "registry.example/shop/api:1.4",
        "registry.example/shop/api:1.5",
        pinned.as_str(),
        other_digest.as_str(),
        "docker.io/library/nginx:latest",
        "nginx:1.27",
    ];
    let links = ImageLinks::new(&pods(&references), sources, &ImageMapping::default(), &[]);
    let shown = |reference: &str| matches(&links, reference);
    assert_eq!(shown(references[0]), ["registry.example/shop/api:1.4"]);
    assert!(shown(references[1]).is_empty());
    assert_eq!(shown(references[2]), ["registry.example/shop/api:1.4"]);
    assert!(shown(references[3]).is_empty());
    // A pin names the index of a multi-platform image, which the image knows too.
    let index = format!("sha256:{}", "1".repeat(64));
    let mut multi = image("registry.example/shop/multi:2", "1000", Some(digest));
    multi.digests.push(index.clone());
    let multi_pin = format!("registry.example/shop/multi@{index}");
    let other_pin = format!("registry.example/shop/multi@sha256:{}", "2".repeat(64));
    let multi_links = ImageLinks::new(
        &pods(&[multi_pin.as_str(), other_pin.as_str()]),
        vec![multi],
        &ImageMapping::default(),
        &[],
    );
    assert_eq!(
        matches(&multi_links, &multi_pin),
        ["registry.example/shop/multi:2"]
    );
    assert!(matches(&multi_links, &other_pin).is_empty());
    // `nginx` is `docker.io/library/nginx:latest`.
    assert_eq!(shown(references[4]), ["nginx"]);
    assert!(shown(references[5]).is_empty());
}

#[test]
fn the_mapping_wins_over_folders_and_images_come_before_dockerfiles() {
    let mut sources = vec![
        dockerfile("/src/payments/Dockerfile", "FROM scratch\nUSER 0\n"),
        dockerfile("/src/gateway/Dockerfile", "FROM scratch\nUSER 10001\n"),
        image("quay.io/acme/gateway:3", "app", None),
    ];
    sources[2].file = Some(PathBuf::from("/images/gateway.tar"));
    let mapping = ImageMapping {
        entries: vec![
            configured("quay.io/acme/gateway", "/src/payments/Dockerfile"),
            configured("quay.io/acme/gateway:4", "/images/gateway.tar"),
        ],
    };
    let references = ["quay.io/acme/gateway:3", "quay.io/acme/gateway:4"];
    let links = ImageLinks::new(&pods(&references), sources, &mapping, &[]);
    assert_eq!(
        matches(&links, references[0]),
        ["quay.io/acme/gateway:3", "/src/payments/Dockerfile"]
    );
    let (source, link) = links.user_of(references[0]).unwrap();
    assert_eq!(&*source.shown, "quay.io/acme/gateway:3");
    assert_eq!(link.matched, Matched::Name);
    // A tagged key selects that tag only: tag 4 gets the archive it names (whatever its
    // own name says) and the repository's Dockerfile.
    assert_eq!(
        matches(&links, references[1]),
        ["quay.io/acme/gateway:3", "/src/payments/Dockerfile"]
    );
    assert!(
        links
            .sources_of(references[1])
            .all(|(_, link)| link.matched == Matched::Configured)
    );
}

#[test]
fn skaffold_and_compose_say_which_dockerfile_builds_an_image() {
    let skaffold = "apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n\
        \x20   - image: registry.example/shop/api\n      context: services/api\n\
        \x20   - image: registry.example/shop/jvm\n      jib: {}\n\
        profiles:\n  - name: prod\n    build:\n      artifacts:\n\
        \x20       - image: registry.example/shop/web\n\
        \x20         docker: {dockerfile: build/Dockerfile.prod}\n";
    let (objects, errors) = parse_text("/repo/skaffold.yaml", skaffold, &Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    let compose = "services:\n  worker:\n    image: registry.example/shop/worker:dev\n\
        \x20   build:\n      context: ./worker\n      dockerfile: Containerfile\n\
        \x20 cache:\n    image: redis:7\n  tool:\n    image: registry.example/tool\n\
        \x20   build: https://github.com/acme/tool.git\n  inline:\n\
        \x20   image: registry.example/inline\n    build:\n      dockerfile_inline: FROM scratch\n  simple:\n\
        \x20   image: registry.example/simple\n    build: ../simple\n";
    let (mut documents, error) = rampart_source::parse_stream(compose, &Limits::default());
    assert!(error.is_none(), "{error:?}");
    let compose = ComposeFile {
        path: Arc::from("/repo/deploy/compose.yaml"),
        root: documents.remove(0).root,
    };
    let (declared, errors) = build_declarations(&objects, std::slice::from_ref(&compose));
    assert!(errors.is_empty(), "{errors:?}");
    let declared: Vec<(String, String, String)> = declared
        .into_iter()
        .map(|d| {
            let at = d.matched.location().unwrap();
            (
                d.reference,
                d.file.display().to_string(),
                format!("{} at {}:{}", d.matched.describe(), at.path, at.line),
            )
        })
        .collect();
    let expected = [
        (
            "registry.example/shop/api",
            "/repo/services/api/Dockerfile",
            "built by the Skaffold artifact at /repo/skaffold.yaml:5",
        ),
        (
            "registry.example/shop/web",
            "/repo/build/Dockerfile.prod",
            "built by the Skaffold artifact at /repo/skaffold.yaml:13",
        ),
        (
            "registry.example/shop/worker:dev",
            "/repo/deploy/worker/Containerfile",
            "built by the Compose service `worker` at /repo/deploy/compose.yaml:4",
        ),
        (
            "registry.example/simple",
            "/repo/simple/Dockerfile",
            "built by the Compose service `simple` at /repo/deploy/compose.yaml:18",
        ),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect();
    assert_eq!(declared, expected);

    // A declaration beats the folder match, ignores the tag, and loses to the config.
    let sources = vec![
        dockerfile("/repo/deploy/worker/Containerfile", "FROM scratch\n"),
        dockerfile("/repo/worker/Dockerfile", "FROM scratch\n"),
    ];
    let worker = "registry.example/shop/worker:1.0";
    let mut mapping = ImageMapping {
        entries: build_declarations(&objects, std::slice::from_ref(&compose)).0,
    };
    let links = ImageLinks::new(&pods(&[worker]), sources.clone(), &mapping, &[]);
    assert_eq!(
        matches(&links, worker),
        ["/repo/deploy/worker/Containerfile"]
    );
    mapping.entries.insert(
        0,
        configured("registry.example/shop/worker", "/repo/worker/Dockerfile"),
    );
    let links = ImageLinks::new(&pods(&[worker]), sources, &mapping, &[]);
    assert_eq!(matches(&links, worker), ["/repo/worker/Dockerfile"]);

    // Declared for one repository, a Dockerfile is not guessed for another of the same
    // last name.
    let only = vec![dockerfile("/repo/worker/Dockerfile", "FROM scratch\n")];
    let other = "registry.example/other/worker:1";
    let unclaimed = ImageLinks::new(&pods(&[other]), only.clone(), &ImageMapping::default(), &[]);
    assert_eq!(matches(&unclaimed, other), ["/repo/worker/Dockerfile"]);
    let claimed = ImageLinks::new(&pods(&[other]), only, &mapping, &[]);
    assert!(matches(&claimed, other).is_empty());
}

#[test]
fn builds_carry_their_target_and_arguments_and_malformed_ones_are_errors() {
    let skaffold = r#"
apiVersion: skaffold/v4beta11
kind: Config
build:
  artifacts:
    - image: registry.example/kaniko
      context: svc
      kaniko: {dockerfile: build/Dockerfile.k, target: Runtime}
    - image: registry.example/docker
      docker: {buildArgs: {UID: "10001"}}
    - image: registry.example/typo
      context: 5
    - image: registry.example/both
      docker: {}
      kaniko: {}
"#;
    let (objects, errors) = parse_text("/repo/skaffold.yaml", skaffold, &Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    let compose = r#"
services:
  listed:
    image: registry.example/listed
    build: {context: app, target: prod, args: ["UID=10001", "DEBUG"]}
  number:
    image: registry.example/number
    build: 42
  remote:
    image: registry.example/remote
    build: github.com/acme/app
  dockerfile-number:
    image: registry.example/dockerfile-number
    build: {dockerfile: 7}
"#;
    let (mut documents, _) = rampart_source::parse_stream(compose, &Limits::default());
    let compose = ComposeFile {
        path: Arc::from("/repo/compose.yaml"),
        root: documents.remove(0).root,
    };
    let (declared, errors) = build_declarations(&objects, std::slice::from_ref(&compose));
    let declared: Vec<(String, String, Build)> = declared
        .into_iter()
        .map(|d| (d.reference, d.file.display().to_string(), d.build))
        .collect();
    let build = |target: Option<&str>, args: &[&str]| Build {
        target: target.map(str::to_owned),
        args: args.iter().map(|a| (*a).to_owned()).collect(),
    };
    assert_eq!(
        declared,
        [
            (
                "registry.example/kaniko".to_owned(),
                "/repo/svc/build/Dockerfile.k".to_owned(),
                build(Some("runtime"), &[])
            ),
            (
                "registry.example/docker".to_owned(),
                "/repo/Dockerfile".to_owned(),
                build(None, &["UID"])
            ),
            (
                "registry.example/listed".to_owned(),
                "/repo/app/Dockerfile".to_owned(),
                build(Some("prod"), &["UID", "DEBUG"])
            ),
        ]
    );
    let errors: Vec<String> = errors
        .iter()
        .map(|e| format!("{}:{} {}", e.path, e.line.unwrap(), e.message))
        .collect();
    let unused = "not used to match images to Dockerfiles";
    assert_eq!(
        errors,
        [
            format!(
                "/repo/skaffold.yaml:11 Skaffold artifact: `context` must be a string; {unused}"
            ),
            format!(
                "/repo/skaffold.yaml:13 Skaffold artifact: sets both `docker` and `kaniko`; {unused}"
            ),
            format!(
                "/repo/compose.yaml:8 Compose service `number`: `build` must be a path or a mapping; {unused}"
            ),
            format!(
                "/repo/compose.yaml:14 Compose service `dockerfile-number`: `dockerfile` must be a string; {unused}"
            ),
        ]
    );

    // The stage a build targets decides the user, and an argument it sets makes a
    // `USER $UID` unknown.
    let text = "FROM debian:12 AS prod\nARG UID=0\nUSER $UID\nFROM prod AS debug\nUSER root\n";
    let (parsed, _) = parse_dockerfile("/repo/app/Dockerfile", text);
    let parsed = parsed.unwrap();
    let user = |build: &Build| ImageSource::of_build(&parsed, build).map(|s| s.user.configured);
    assert_eq!(user(&Build::default()), Some(Some("root".to_owned())));
    assert_eq!(user(&build(Some("prod"), &[])), Some(Some("0".to_owned())));
    assert_eq!(user(&build(Some("prod"), &["UID"])), Some(None));
    assert_eq!(
        user(&build(Some("prod"), &["UIDX"])),
        Some(Some("0".to_owned()))
    );
    assert_eq!(user(&build(Some("missing"), &[])), None);
}

#[test]
fn declarations_without_a_source_are_kept_as_missing() {
    let mapping = ImageMapping {
        entries: vec![configured("registry.example/api", "/gone/Dockerfile")],
    };
    let sources = vec![dockerfile("/src/api/Dockerfile", "FROM scratch\n")];
    let reference = "registry.example/api:1";
    let links = ImageLinks::new(&pods(&[reference]), sources, &mapping, &[]);
    // The configuration names a file the scan does not hold, and folder matching does not
    // second-guess it.
    assert!(matches(&links, reference).is_empty());
    let missing: Vec<String> = links
        .missing(reference)
        .iter()
        .map(|d| d.file.display().to_string())
        .collect();
    assert_eq!(missing, ["/gone/Dockerfile"]);
}

#[test]
fn findings_on_a_source_name_the_containers_that_run_it() {
    let sources = vec![dockerfile("/src/api/Dockerfile", "FROM scratch\n")];
    let objects = pods(&["registry.example/api:1", "registry.example/api:2"]);
    let links = ImageLinks::new(&objects, sources, &ImageMapping::default(), &[]);
    static META: rampart_core::RuleMeta = rampart_core::RuleMeta {
        code: "D999",
        name: "test",
        title: "test",
        severity: rampart_core::Severity::Low,
        layer: rampart_core::Layer::Container,
        concern: rampart_core::Concern::Images,
        references: rampart_core::References::NONE,
        equivalents: &[],
        doc: "",
    };
    let meta = &META;
    let at = |path: &str| Location::new(Arc::from(path), 1, 1);
    let mut findings = vec![
        Finding::new(
            meta,
            "on the Dockerfile".into(),
            at("/src/api/Dockerfile"),
            Arc::new(rampart_core::Subject::dockerfile("src/api/Dockerfile")),
            "".into(),
        ),
        Finding::new(
            meta,
            "elsewhere".into(),
            at("/src/web/Dockerfile"),
            Arc::new(rampart_core::Subject::dockerfile("src/web/Dockerfile")),
            "".into(),
        ),
    ];
    links.name_runners(&mut findings);
    let runners: Vec<_> = findings[0]
        .evidence
        .iter()
        .map(|e| (e.label, e.value.as_str(), e.location.as_ref().unwrap().line))
        .collect();
    assert_eq!(
        runners,
        [
            ("run by", "Pod ns/p0, container c", 7),
            ("run by", "Pod ns/p1, container c", 14),
        ]
    );
    assert!(findings[1].evidence.is_empty());
}
