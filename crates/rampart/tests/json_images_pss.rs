//! The JSON of `rampart images` and `rampart pss` against their contracts,
//! docs/json-images.md and docs/json-pss.md: every object of the output has exactly the keys
//! its table documents, in that order, the optional ones only where they apply.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A JSON value whose objects keep their keys in the order they were written (`Value`'s are
/// sorted).
#[derive(Debug)]
enum Json {
    Object(Vec<(String, Json)>),
    Array(Vec<Json>),
    Scalar(Value),
}

impl Json {
    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn at(&self, key: &str) -> &Json {
        self.get(key)
            .unwrap_or_else(|| panic!("no `{key}` in {self:?}"))
    }

    fn items(&self) -> &[Json] {
        match self {
            Json::Array(items) => items,
            other => panic!("not an array: {other:?}"),
        }
    }

    fn scalar(&self) -> &Value {
        match self {
            Json::Scalar(value) => value,
            other => panic!("not a scalar: {other:?}"),
        }
    }

    fn keys(&self) -> Vec<&str> {
        match self {
            Json::Object(entries) => entries.iter().map(|(key, _)| key.as_str()).collect(),
            other => panic!("not an object: {other:?}"),
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        struct Any;
        impl<'de> Visitor<'de> for Any {
            type Value = Json;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Json::Object(entries))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
                Ok(Json::Scalar(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
                Ok(Json::Scalar(v.into()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
                Ok(Json::Scalar(v.into()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Json, E> {
                Ok(Json::Scalar(v.into()))
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Scalar(Value::Null))
            }
        }
        deserializer.deserialize_any(Any)
    }
}

/// The JSON rampart writes with `args`, and its exit code.
fn run(args: &[&str]) -> (i32, Json) {
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .current_dir(repo())
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.ends_with("}\n"), "one trailing newline: {stdout}");
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    (output.status.code().unwrap(), json)
}

/// The keys the table under `heading` of docs/`page` documents, each with whether it is
/// optional.
fn documented(page: &str, heading: &str) -> Vec<(String, bool)> {
    let text = std::fs::read_to_string(repo().join("docs").join(page)).unwrap();
    let mut lines = text
        .lines()
        .skip_while(|line| line.trim_start_matches('#').trim() != heading);
    assert!(lines.next().is_some(), "{page} has no section {heading}");
    let keys: Vec<(String, bool)> = lines
        .take_while(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let mut cells = line.split(" | ");
            let key = cells.next()?.strip_prefix("| `")?.strip_suffix('`')?;
            let optional = cells.next()?.contains("**optional**");
            Some((key.to_owned(), optional))
        })
        .collect();
    assert!(!keys.is_empty(), "{page} § {heading}: no table");
    keys
}

/// Checks that `value` is an object with the keys docs/`page` § `heading` documents, in
/// order; returns the optional keys it has.
fn conforms(value: &Json, page: &str, heading: &str) -> Vec<String> {
    let actual = value.keys();
    let keys = documented(page, heading);
    let expected: Vec<&str> = keys
        .iter()
        .filter(|(key, optional)| !optional || actual.contains(&key.as_str()))
        .map(|(key, _)| key.as_str())
        .collect();
    assert_eq!(actual, expected, "{page} § {heading}: {value:?}");
    keys.into_iter()
        .filter(|(key, optional)| *optional && actual.contains(&key.as_str()))
        .map(|(key, _)| key)
        .collect()
}

/// Checks a placed item (and its location); returns whether it has a location.
fn placed(value: &Json) -> bool {
    let optional = conforms(value, "json-images.md", "Placed");
    if let Some(location) = value.get("location") {
        conforms(location, "json-report.md", "`location`");
    }
    !optional.is_empty()
}

fn errors_conform(report: &Json) {
    let errors = report.at("errors").items();
    assert!(!errors.is_empty(), "the fixture has an error");
    for error in errors {
        conforms(error, "json-report.md", "Error");
    }
}

#[test]
fn images_json_is_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    // Matched by `[images]`, with its user; two equally good Dockerfiles, neither taken; a
    // Compose build of a Dockerfile the scan does not hold; a file that does not parse.
    write(
        "k8s/pods.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers:\n  - {name: web, image: registry.example/shop/web:1}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: cart, namespace: shop}\nspec:\n  containers:\n  - {name: cart, image: registry.example/acme/cart:1}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: shop}\nspec:\n  containers:\n  - {name: api, image: registry.example/shop/api:2}\n",
    );
    write("build/web.Dockerfile", "FROM scratch\nUSER 10001\n");
    write(
        "rampart.toml",
        "[images]\n\"registry.example/shop/web\" = \"build/web.Dockerfile\"\n",
    );
    write("shop/cart/Dockerfile", "FROM scratch\n");
    write("legacy/cart/Dockerfile", "FROM scratch\n");
    write(
        "compose.yaml",
        "services:\n  api:\n    image: registry.example/shop/api:dev\n    build: {context: ./gone}\n",
    );
    write("k8s/broken.yaml", "kind: [\n");
    let (code, listing) = run(&["images", "--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    conforms(&listing, "json-images.md", "Top level");
    assert_eq!(listing.at("schema_version").scalar(), 1);
    let mut optional_seen = Vec::new();
    for image in listing.at("images").items() {
        optional_seen.extend(conforms(image, "json-images.md", "Image"));
        let missing = image.get("missing").map(Json::items).unwrap_or_default();
        for source in image.at("sources").items().iter().chain(missing) {
            conforms(source, "json-images.md", "Source");
            let kind = source.at("kind").scalar();
            assert!(kind == "dockerfile" || kind == "image", "{kind}");
            if placed(source.at("matched")) {
                optional_seen.push("matched at a location".to_owned());
            }
        }
        for runner in image.at("run_by").items() {
            assert!(placed(runner), "a container is always at its image field");
        }
        image.get("user").map(placed);
        for tied in image.get("tied").map(Json::items).unwrap_or_default() {
            assert!(tied.scalar().is_string());
        }
    }
    optional_seen.sort();
    optional_seen.dedup();
    assert_eq!(
        optional_seen,
        ["matched at a location", "missing", "tied", "user"]
    );
    errors_conform(&listing);
}

#[test]
fn pss_json_is_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pods.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: shell}\nspec:\n  hostPID: true\n  containers:\n  - {name: sh, image: busybox}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      containers:\n      - {name: web, image: nginx}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("broken.yaml"), "kind: [\n").unwrap();
    let path = dir.path().to_str().unwrap();
    let (code, report) = run(&["pss", "--level", "baseline", "--format", "json", path]);
    assert_eq!(code, 1, "a pod is denied");
    conforms(&report, "json-pss.md", "Top level");
    assert_eq!(report.at("schema_version").scalar(), 1);
    let results = report.at("results").items();
    assert_eq!(results.len(), 2);
    for result in results {
        conforms(result, "json-pss.md", "Result");
        conforms(result.at("object"), "json-pss.md", "Object");
        assert!(result.at("allowed").scalar().is_boolean());
        for violation in result.at("violations").items() {
            conforms(violation, "json-pss.md", "Violation");
        }
    }
    let (shell, web) = (&results[0], &results[1]);
    assert_eq!(shell.at("allowed").scalar(), false);
    let violation = &shell.at("violations").items()[0];
    assert_eq!(violation.at("check").scalar(), "hostNamespaces");
    assert_eq!(web.at("allowed").scalar(), true);
    assert!(web.at("violations").items().is_empty());
    errors_conform(&report);
}
