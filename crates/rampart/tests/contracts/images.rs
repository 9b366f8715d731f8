//! `rampart images --format json` against `docs/json-images.md`.

use crate::page::Page;
use crate::versioned_answer;

#[test]
fn images_listing_is_as_documented() {
    let page = Page::read("json-images.md");
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
    let folder = dir.path().to_str().unwrap();
    for args in [["images", "examples/shop"], ["images", folder]] {
        let listing = versioned_answer(&[args[0], args[1], "--format", "json"], 1);
        page.check("top-level", &listing);
    }
    // A Helm-rendered stream: locations name their template.
    let helm = versioned_answer(
        &[
            "images",
            "crates/rampart/tests/data/helm",
            "--format",
            "json",
        ],
        1,
    );
    page.check("top-level", &helm);
    page.assert_all_seen();
}
