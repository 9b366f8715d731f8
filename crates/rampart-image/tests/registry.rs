//! The registry client against a real registry (Debian's docker-registry on loopback),
//! holding images these tests build and push themselves.

use rampart_image::build::{self, INDEX_MEDIA_TYPE, ImageSpec, MANIFEST_MEDIA_TYPE};
use rampart_image::testing::{
    Registry, SERVICE, TokenService, helper_was_asked, write_credential_helper,
};
use rampart_image::{
    Digest, EntryKind, FileSystem, ImageError, Limits, Platform, ReadOptions, RegistryOptions,
    read_reference,
};

const SPEC: &str = r#"
[config]
User = "10001"
[[layers]]
created_by = "ADD rootfs.tar /"
files = [
  { path = "etc/passwd", content = "root:x:0:0::/root:/bin/sh\n" },
  { path = "usr/bin/tool", mode = 0o4755, size = 70000 },
]
[[layers]]
compression = "zstd"
files = [{ path = "app/.env", content = "TOKEN=q8ZtR2vLx9WmKp4Nd7Hs\n" }, { path = "usr/bin/.wh.tool" }]
"#;

fn options<'a>(limits: &'a Limits, platform: Option<&'a Platform>) -> ReadOptions<'a> {
    ReadOptions {
        limits,
        platform,
        capture: &|path: &str| path.ends_with(".env"),
    }
}

/// A folder without Docker credentials, so the tests never read the user's own.
fn no_credentials() -> (tempfile::TempDir, RegistryOptions) {
    let dir = tempfile::tempdir().unwrap();
    let options = RegistryOptions {
        docker_config: Some(dir.path().to_owned()),
        ..RegistryOptions::default()
    };
    (dir, options)
}

/// Like [`no_credentials`], with credential helpers looked up in the same folder.
fn helpers_folder() -> (tempfile::TempDir, RegistryOptions) {
    let (dir, mut options) = no_credentials();
    options.credential_helper_path = Some(dir.path().as_os_str().to_owned());
    (dir, options)
}

/// Pushes the test image as `private/app:1`; returns its reference and what was pushed.
fn push_private_app(registry: &Registry) -> (String, build::BuiltImage) {
    let built = build::build(&ImageSpec::parse(SPEC).unwrap()).unwrap();
    registry.push("private/app", "1", &built);
    (format!("{}/private/app:1", registry.host), built)
}

#[test]
fn pulls_by_tag_and_by_digest_over_plain_http_on_loopback() {
    let registry = Registry::start();
    let built = build::build(&ImageSpec::parse(SPEC).unwrap()).unwrap();
    registry.push("shop/web", "1.0", &built);
    let (_dir, registry_options) = no_credentials();
    let limits = Limits::default();

    let by_tag = format!("{}/shop/web:1.0", registry.host);
    let images = read_reference(&by_tag, &registry_options, &options(&limits, None)).unwrap();
    assert_eq!(images.len(), 1);
    let image = &images[0];
    assert_eq!(image.source, by_tag);
    assert_eq!(image.name.as_deref(), Some(by_tag.as_str()));
    assert_eq!(
        image.repository(),
        Some(format!("{}/shop/web", registry.host).as_str())
    );
    assert_eq!(image.manifest_digest.as_ref(), Some(&built.manifest_digest));
    assert_eq!(image.config.container().user.as_deref(), Some("10001"));
    let env = image
        .entries()
        .find(|(_, e)| e.path == "app/.env")
        .unwrap()
        .1;
    assert_eq!(
        env.content.as_deref(),
        Some(&b"TOKEN=q8ZtR2vLx9WmKp4Nd7Hs\n"[..])
    );
    let files = FileSystem::of(&image.layers);
    assert!(
        files.get("usr/bin/tool").is_none(),
        "deleted by the second layer"
    );
    assert_eq!(image.layers[0].entries[1].kind, EntryKind::File);

    let by_digest = format!("{}/shop/web@{}", registry.host, built.manifest_digest);
    let images = read_reference(&by_digest, &registry_options, &options(&limits, None)).unwrap();
    assert_eq!(images[0].config_digest, built.config_digest);

    let missing = format!("{}/shop/web:2.0", registry.host);
    let error = read_reference(&missing, &registry_options, &options(&limits, None)).unwrap_err();
    assert!(
        matches!(&error, ImageError::Missing { what } if what.contains("shop/web:2.0")),
        "{error}"
    );
}

#[test]
fn multi_platform_indexes_resolve_by_platform() {
    let registry = Registry::start();
    let mut descriptors = Vec::new();
    for (architecture, user) in [("amd64", "1000"), ("arm64", "2000")] {
        let mut spec = ImageSpec::parse(SPEC).unwrap();
        spec.architecture = architecture.to_owned();
        spec.config.insert("User".into(), user.into());
        let built = build::build(&spec).unwrap();
        registry.push("shop/multi", &built.manifest_digest.to_string(), &built);
        descriptors.push(serde_json::json!({
            "mediaType": MANIFEST_MEDIA_TYPE, "digest": built.manifest_digest.to_string(),
            "size": built.manifest.len(), "platform": {"os": "linux", "architecture": architecture},
        }));
    }
    let index = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2, "mediaType": INDEX_MEDIA_TYPE, "manifests": descriptors,
    }))
    .unwrap();
    registry.push_manifest("shop/multi", "3", INDEX_MEDIA_TYPE, &index);
    let (_dir, registry_options) = no_credentials();
    let limits = Limits::default();
    let reference = format!("{}/shop/multi:3", registry.host);
    let user = |platform: Option<&str>| {
        let platform = platform.map(|p| Platform::parse(p).unwrap());
        read_reference(
            &reference,
            &registry_options,
            &options(&limits, platform.as_ref()),
        )
        .map(|images| images[0].config.container().user.clone().unwrap())
    };
    assert_eq!(user(None).unwrap(), "1000");
    assert_eq!(user(Some("linux/arm64")).unwrap(), "2000");
    let error = user(Some("windows/amd64")).unwrap_err().to_string();
    assert!(error.contains("linux/amd64, linux/arm64"), "{error}");

    // The image keeps the index's digest, which is what a multi-platform pin names.
    let index_digest = Digest::of(&index);
    let pinned = format!("{}/shop/multi@{index_digest}", registry.host);
    let images = read_reference(&pinned, &registry_options, &options(&limits, None)).unwrap();
    assert_eq!(images[0].index_digests, std::slice::from_ref(&index_digest));
    assert_eq!(
        images[0].manifest_digest.as_ref().unwrap().to_string(),
        descriptors[0]["digest"].as_str().unwrap()
    );
    let by_tag = read_reference(&reference, &registry_options, &options(&limits, None)).unwrap();
    assert_eq!(by_tag[0].index_digests, [index_digest]);
}

#[test]
fn basic_auth_comes_from_docker_config() {
    let registry = Registry::start_with_basic_auth("ci", "s3cret-pass");
    let (reference, built) = push_private_app(&registry);
    let limits = Limits::default();

    let (_empty, anonymous) = no_credentials();
    let error = read_reference(&reference, &anonymous, &options(&limits, None)).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("docker login"), "{message}");

    let (dir, with_credentials) = no_credentials();
    registry.write_docker_config(dir.path());
    let images = read_reference(&reference, &with_credentials, &options(&limits, None)).unwrap();
    assert_eq!(images[0].config_digest, built.config_digest);

    std::fs::write(
        dir.path().join("config.json"),
        format!(
            r#"{{"auths": {{"{}": {{"username": "ci", "password": "wrong"}}}}}}"#,
            registry.host
        ),
    )
    .unwrap();
    let error = read_reference(&reference, &with_credentials, &options(&limits, None)).unwrap_err();
    assert!(error.to_string().contains("access denied"), "{error}");
}

#[test]
fn credential_helpers_answer_for_the_registry() {
    let registry = Registry::start_with_basic_auth("ci", "s3cret-pass");
    let (reference, built) = push_private_app(&registry);
    let limits = Limits::default();
    let (dir, registry_options) = helpers_folder();
    let configure = |config: serde_json::Value| {
        std::fs::write(dir.path().join("config.json"), config.to_string()).unwrap();
    };
    let pull = || read_reference(&reference, &registry_options, &options(&limits, None));
    let answer = |secret: &str| {
        serde_json::json!({"ServerURL": registry.host, "Username": "ci", "Secret": secret})
            .to_string()
    };
    write_credential_helper(dir.path(), "right", &answer("s3cret-pass"), 0);
    write_credential_helper(dir.path(), "stale", &answer("old-pass"), 0);

    // The registry's own helper wins over the default store and over `auths`.
    configure(serde_json::json!({
        "credHelpers": {registry.host.clone(): "right"},
        "credsStore": "stale",
        "auths": {registry.host.clone(): {"username": "ci", "password": "wrong"}},
    }));
    let images = pull().unwrap();
    assert_eq!(images[0].config_digest, built.config_digest);
    assert_eq!(
        helper_was_asked(dir.path(), "right").as_deref(),
        Some(registry.host.as_str())
    );
    assert_eq!(helper_was_asked(dir.path(), "stale"), None);

    // The default store serves registries without their own helper.
    configure(serde_json::json!({"credsStore": "right"}));
    assert_eq!(pull().unwrap()[0].config_digest, built.config_digest);

    // Refused credentials name the helper they came from, never the secret.
    configure(serde_json::json!({"credsStore": "stale"}));
    let message = pull().unwrap_err().to_string();
    assert!(message.contains("access denied (HTTP 401)"), "{message}");
    assert!(message.contains("`docker-credential-stale`"), "{message}");
    assert!(!message.contains("old-pass"), "{message}");

    // A helper that is not installed stops the pull with a message naming it and the registry.
    configure(serde_json::json!({"credHelpers": {registry.host.clone(): "absent"}}));
    let error = pull().unwrap_err();
    assert!(
        matches!(&error, ImageError::Credentials { registry: host, .. } if *host == registry.host),
        "{error}"
    );
    assert!(
        error.to_string().contains("`docker-credential-absent`"),
        "{error}"
    );
}

#[test]
fn bearer_tokens_from_a_token_service() {
    let tokens = TokenService::start(&[("ci", "t0ken-pass")], &[("refresh-ci-1", "ci")]);
    let registry = Registry::start_with_token_auth(&tokens);
    let (reference, built) = push_private_app(&registry);
    let limits = Limits::default();
    let (dir, registry_options) = helpers_folder();
    let configure = |config: serde_json::Value| {
        std::fs::write(dir.path().join("config.json"), config.to_string()).unwrap();
    };
    let pull = || read_reference(&reference, &registry_options, &options(&limits, None));
    let requests_after = |seen: usize| tokens.requests().split_off(seen);

    // Anonymous: the service hands out a token granting nothing, which the registry refuses.
    let message = pull().unwrap_err().to_string();
    assert!(message.contains("access denied (HTTP 401)"), "{message}");
    assert!(message.contains("docker login"), "{message}");
    let asked = requests_after(0);
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0].method, "GET");
    assert_eq!(asked[0].basic_user, None);
    assert_eq!(asked[0].values("account"), Vec::<&str>::new());

    // A user name and password from `auths`: a token for this repository's pull scope.
    configure(
        serde_json::json!({"auths": {registry.host.clone(): {"username": "ci", "password": "t0ken-pass"}}}),
    );
    let seen = tokens.requests().len();
    let images = pull().unwrap();
    assert_eq!(images[0].config_digest, built.config_digest);
    let asked = requests_after(seen);
    assert_eq!(
        asked.len(),
        1,
        "one token serves manifest and blobs: {asked:?}"
    );
    assert_eq!(asked[0].method, "GET");
    assert_eq!(asked[0].basic_user.as_deref(), Some("ci"));
    assert_eq!(asked[0].values("service"), [SERVICE]);
    assert_eq!(asked[0].values("scope"), ["repository:private/app:pull"]);
    assert_eq!(asked[0].values("account"), ["ci"]);

    // Wrong credentials: the token service refuses them, and the message says whose they were.
    configure(
        serde_json::json!({"auths": {registry.host.clone(): {"username": "ci", "password": "wr0ng-pass"}}}),
    );
    let message = pull().unwrap_err().to_string();
    assert!(
        message.contains(&format!(
            "the token service {} refused access (HTTP 401)",
            tokens.realm
        )),
        "{message}"
    );
    assert!(
        message.contains(&format!("`auths.\"{}\"`", registry.host)),
        "{message}"
    );
    assert!(!message.contains("wr0ng-pass"), "{message}");

    // An identity token from a credential helper: exchanged by the OAuth2 refresh grant.
    write_credential_helper(
        dir.path(),
        "oauth",
        r#"{"Username":"<token>","Secret":"refresh-ci-1"}"#,
        0,
    );
    configure(serde_json::json!({"credHelpers": {registry.host.clone(): "oauth"}}));
    let seen = tokens.requests().len();
    let images = pull().unwrap();
    assert_eq!(images[0].config_digest, built.config_digest);
    let asked = requests_after(seen);
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0].method, "POST");
    assert_eq!(asked[0].basic_user, None);
    assert_eq!(asked[0].values("grant_type"), ["refresh_token"]);
    assert_eq!(asked[0].values("refresh_token"), ["refresh-ci-1"]);
    assert_eq!(asked[0].values("service"), [SERVICE]);
    assert_eq!(asked[0].values("scope"), ["repository:private/app:pull"]);
    assert_eq!(asked[0].values("client_id"), ["rampart"]);

    // A registry token is sent as it is, without asking the token service.
    let seen = tokens.requests().len();
    for (repository, works) in [("private/app", true), ("private/other", false)] {
        let token = tokens.issue("ci", repository, &["pull"]);
        configure(serde_json::json!({"auths": {registry.host.clone(): {"registrytoken": token}}}));
        assert_eq!(pull().is_ok(), works, "a registry token for {repository}");
    }
    assert_eq!(requests_after(seen), []);

    // A revoked identity token is refused like a wrong password.
    write_credential_helper(
        dir.path(),
        "oauth",
        r#"{"Username":"<token>","Secret":"revoked"}"#,
        0,
    );
    configure(serde_json::json!({"credHelpers": {registry.host.clone(): "oauth"}}));
    let message = pull().unwrap_err().to_string();
    assert!(message.contains("refused access (HTTP 401)"), "{message}");
    assert!(message.contains("`docker-credential-oauth`"), "{message}");
    assert!(!message.contains("revoked"), "{message}");
}
