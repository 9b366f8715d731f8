//! The reader on images built from descriptions: every shape of input, and every way an input
//! can be broken or hostile.

use std::path::Path;

use rampart_image::build::{self, ArchiveStyle, ImageSpec};
use rampart_image::{
    EntryKind, Fate, FileSystem, Image, ImageError, LimitKind, Limits, Platform, ReadOptions,
    read_archive_bytes, read_path,
};

const SPEC: &str = r#"
name = "registry.example/shop/web:1.4"
[config]
User = "app"
Env = ["PATH=/usr/bin"]
[[layers]]
created_by = "ADD rootfs.tar /"
files = [
  { path = "etc", type = "dir" },
  { path = "etc/passwd", content = "root:x:0:0::/root:/bin/sh\n" },
  { path = "usr/bin/su", mode = 0o4755, size = 3000 },
  { path = "tmp", type = "dir", mode = 0o1777 },
  { path = "bin/sh", type = "symlink", target = "busybox" },
]
[[layers]]
created_by = "USER app"
empty = true
[[layers]]
created_by = "COPY secrets /root"
compression = "zstd"
files = [{ path = "root/.ssh/id_rsa", mode = 0o600, content = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n" }]
[[layers]]
created_by = "RUN rm -rf /root/.ssh"
compression = "none"
files = [{ path = "root/.wh..ssh" }, { path = "etc/.wh..wh..opq" }, { path = "etc/hosts", content = "" }]
"#;

fn options(limits: &Limits) -> ReadOptions<'_> {
    ReadOptions {
        limits,
        platform: None,
        capture: &|path: &str| path.ends_with("id_rsa"),
    }
}

fn read(path: &Path) -> Result<Vec<Image>, ImageError> {
    read_path(path, &options(&Limits::default()))
}

fn spec(text: &str) -> ImageSpec {
    ImageSpec::parse(text).unwrap()
}

fn check_example(image: &Image) {
    assert_eq!(image.name.as_deref(), Some("registry.example/shop/web:1.4"));
    assert_eq!(image.repository(), Some("registry.example/shop/web"));
    assert_eq!(image.config.container().user.as_deref(), Some("app"));
    assert_eq!(image.layers.len(), 3);
    assert_eq!(
        image.layers[1].created_by.as_deref(),
        Some("COPY secrets /root")
    );
    let su = image.layers[0]
        .entries
        .iter()
        .find(|e| e.path == "usr/bin/su")
        .unwrap();
    assert_eq!((su.mode, su.size, su.kind), (0o4755, 3000, EntryKind::File));
    let key = &image.layers[1].entries[0];
    assert_eq!(
        key.content.as_deref(),
        Some(&b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n"[..])
    );
    let fs = FileSystem::of(&image.layers);
    let visible: Vec<&str> = fs.visible().map(|(p, _)| p).collect();
    assert_eq!(visible, ["bin/sh", "etc", "etc/hosts", "tmp", "usr/bin/su"]);
    let (key_id, _) = image
        .entries()
        .find(|(_, e)| e.path == "root/.ssh/id_rsa")
        .unwrap();
    assert_eq!(fs.fate(key_id), Fate::Hidden { by_layer: 2 });
    assert!(image.problems.is_empty());
}

#[test]
fn layouts_and_both_docker_save_styles_read_alike() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec(SPEC);
    let layout = dir.path().join("layout");
    build::write_layout(&spec, &layout).unwrap();
    let images = read(&layout).unwrap();
    assert_eq!(images.len(), 1);
    check_example(&images[0]);
    assert!(images[0].manifest_digest.is_some());

    for style in [ArchiveStyle::Classic, ArchiveStyle::Layout] {
        let archive = dir.path().join(format!("{style:?}.tar"));
        build::write_docker_archive(&spec, &archive, style).unwrap();
        let images = read(&archive).unwrap_or_else(|e| panic!("{style:?}: {e}"));
        check_example(&images[0]);
        let bytes = std::fs::read(&archive).unwrap();
        let from_memory =
            read_archive_bytes("mem.tar", bytes, &options(&Limits::default())).unwrap();
        check_example(&from_memory[0]);
    }
}

#[test]
fn a_tar_of_something_else_is_not_an_image() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backup.tar");
    let mut tar = tar::Builder::new(std::fs::File::create(&path).unwrap());
    let mut header = tar::Header::new_gnu();
    header.set_size(3);
    tar.append_data(&mut header, "notes.txt", &b"abc"[..])
        .unwrap();
    tar.into_inner().unwrap();
    assert!(matches!(read(&path), Err(ImageError::NotAnImage { .. })));
    assert!(matches!(
        read(dir.path()),
        Err(ImageError::NotAnImage { .. })
    ));
}

/// The single layer blob of a layout built from `text`.
fn layout_with_layer(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let built = build::write_layout(&spec(text), dir.path()).unwrap();
    let blob = dir
        .path()
        .join("blobs/sha256")
        .join(built.layers[0].digest.hex());
    (dir, blob)
}

const ONE_FILE: &str = r#"
[[layers]]
files = [{ path = "data.txt", size = 200000 }]
"#;

#[test]
fn a_changed_blob_is_a_digest_mismatch_naming_it() {
    let (dir, blob) = layout_with_layer(ONE_FILE);
    let mut bytes = std::fs::read(&blob).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&blob, &bytes).unwrap();
    let error = read(dir.path()).unwrap_err();
    // The gzip trailer's CRC or the digest catches it; either way the layer is named.
    assert!(error.to_string().contains("layer 1 sha256:"), "{error}");
    let (dir, blob) = layout_with_layer(ONE_FILE);
    // Same length, different content, valid gzip: only the digest can tell.
    let other = build::build(&spec(
        r#"
[[layers]]
files = [{ path = "data.txt", size = 200001 }]
"#,
    ))
    .unwrap();
    std::fs::write(&blob, &other.layers[0].blob).unwrap();
    match read(dir.path()) {
        Err(ImageError::DigestMismatch { what, .. })
        | Err(ImageError::SizeMismatch { what, .. }) => {
            assert!(what.starts_with("layer 1 sha256:"), "{what}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn truncated_gzip_is_an_error_naming_the_layer() {
    let (dir, blob) = layout_with_layer(ONE_FILE);
    let bytes = std::fs::read(&blob).unwrap();
    std::fs::write(&blob, &bytes[..bytes.len() / 2]).unwrap();
    let error = read(dir.path()).unwrap_err().to_string();
    assert!(
        error.contains("layer 1 sha256:") && error.contains("gzip"),
        "{error}"
    );
}

#[test]
fn corrupt_json_is_an_error_naming_the_document() {
    let dir = tempfile::tempdir().unwrap();
    build::write_layout(&spec(ONE_FILE), dir.path()).unwrap();
    std::fs::write(dir.path().join("index.json"), b"{\"manifests\": [").unwrap();
    let error = read(dir.path()).unwrap_err();
    assert!(
        matches!(&error, ImageError::Json { what, .. } if what == "index.json"),
        "{error}"
    );
}

#[test]
fn a_missing_blob_is_named() {
    let (dir, blob) = layout_with_layer(ONE_FILE);
    std::fs::remove_file(&blob).unwrap();
    let error = read(dir.path()).unwrap_err();
    assert!(
        matches!(&error, ImageError::Missing { what } if what.starts_with("layer 1 sha256:")),
        "{error}"
    );
}

#[test]
fn caps_stop_decompression_bombs_and_entry_floods() {
    // 64 MiB of zeros compress to about 64 KiB.
    let bomb = r#"
[[layers]]
files = [{ path = "zeros", content = "" }]
"#;
    let mut spec = spec(bomb);
    spec.layers[0].files[0].content = Some("\0".repeat(64 << 20));
    let dir = tempfile::tempdir().unwrap();
    let built = build::write_layout(&spec, dir.path()).unwrap();
    assert!(built.layers[0].blob.len() < 1 << 20);
    let limits = Limits {
        max_expanded_bytes: 16 << 20,
        ..Limits::default()
    };
    let error = read_path(dir.path(), &options(&limits)).unwrap_err();
    assert!(
        matches!(&error, ImageError::Limit { limit: LimitKind::ExpandedBytes(n), .. } if *n == 16 << 20),
        "{error}"
    );
    assert!(read_path(dir.path(), &options(&Limits::default())).is_ok());

    let many: String = (0..50).map(|i| format!("{{ path = \"f{i}\" }},")).collect();
    let dir = tempfile::tempdir().unwrap();
    build::write_layout(
        &ImageSpec::parse(&format!("[[layers]]\nfiles = [{many}]")).unwrap(),
        dir.path(),
    )
    .unwrap();
    let limits = Limits {
        max_entries: 49,
        ..Limits::default()
    };
    let error = read_path(dir.path(), &options(&limits)).unwrap_err();
    assert!(
        matches!(
            error,
            ImageError::Limit {
                limit: LimitKind::Entries(49),
                ..
            }
        ),
        "{error}"
    );
    let limits = Limits {
        max_json_bytes: 100,
        ..Limits::default()
    };
    let error = read_path(dir.path(), &options(&limits)).unwrap_err();
    assert!(
        matches!(
            error,
            ImageError::Limit {
                limit: LimitKind::JsonBytes(100),
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn unsafe_entries_are_reported_and_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"
[[layers]]
files = [
  { path = "../../etc/cron.d/evil", content = "* * * * * root sh\n" },
  { path = "/etc/passwd", content = "x" },
  { path = "usr/lib/escape", type = "symlink", target = "../../../../etc/shadow" },
  { path = "usr/lib/hard", type = "hardlink", target = "../etc/shadow" },
  { path = "usr/lib/ok", type = "symlink", target = "/etc/shadow" },
]
"#;
    build::write_layout(&spec(text), dir.path()).unwrap();
    let image = read(dir.path()).unwrap().remove(0);
    let refused: Vec<&str> = image.problems.iter().map(|p| p.entry.as_str()).collect();
    assert_eq!(
        refused,
        [
            "../../etc/cron.d/evil",
            "/etc/passwd",
            "usr/lib/escape",
            "usr/lib/hard"
        ]
    );
    assert!(image.problems[0].reason.contains(".."));
    assert!(image.problems[2].reason.contains("outside the image root"));
    let kept: Vec<&str> = image.layers[0]
        .entries
        .iter()
        .map(|e| e.path.as_str())
        .collect();
    assert_eq!(kept, ["usr/lib/ok"]);
}

#[test]
fn multi_platform_indexes_choose_by_platform() {
    let dir = tempfile::tempdir().unwrap();
    let blobs = dir.path().join("blobs/sha256");
    std::fs::create_dir_all(&blobs).unwrap();
    std::fs::write(
        dir.path().join("oci-layout"),
        br#"{"imageLayoutVersion":"1.0.0"}"#,
    )
    .unwrap();
    let mut descriptors = Vec::new();
    for (arch, variant, user) in [("amd64", None, "amd"), ("arm64", Some("v8"), "arm")] {
        let mut image = spec(&format!(
            "architecture = \"{arch}\"\n[config]\nUser = \"{user}\"\n[[layers]]\nfiles = []"
        ));
        image.name = None;
        let built = build::build(&image).unwrap();
        for (digest, bytes) in std::iter::once((&built.config_digest, &built.config))
            .chain(std::iter::once((&built.manifest_digest, &built.manifest)))
            .chain(built.layers.iter().map(|l| (&l.digest, &l.blob)))
        {
            std::fs::write(blobs.join(digest.hex()), bytes).unwrap();
        }
        let mut platform = serde_json::json!({"os": "linux", "architecture": arch});
        if let Some(variant) = variant {
            platform["variant"] = variant.into();
        }
        descriptors.push(serde_json::json!({"mediaType": build::MANIFEST_MEDIA_TYPE,
            "digest": built.manifest_digest.to_string(), "size": built.manifest.len(), "platform": platform}));
    }
    descriptors.push(serde_json::json!({"mediaType": build::MANIFEST_MEDIA_TYPE,
        "digest": format!("sha256:{}", "0".repeat(64)), "size": 1,
        "platform": {"os": "unknown", "architecture": "unknown"},
        "annotations": {"vnd.docker.reference.type": "attestation-manifest"}}));
    let nested =
        serde_json::to_vec(&serde_json::json!({"schemaVersion": 2, "manifests": descriptors}))
            .unwrap();
    let nested_digest = rampart_image::Digest::of(&nested);
    std::fs::write(blobs.join(nested_digest.hex()), &nested).unwrap();
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{"mediaType": build::INDEX_MEDIA_TYPE,
        "digest": nested_digest.to_string(), "size": nested.len(),
        "annotations": {"org.opencontainers.image.ref.name": "shop/multi:2"}}]});
    std::fs::write(
        dir.path().join("index.json"),
        serde_json::to_vec(&index).unwrap(),
    )
    .unwrap();

    let user_for = |platform: Option<&str>| {
        let platform = platform.map(|p| Platform::parse(p).unwrap());
        let limits = Limits::default();
        let options = ReadOptions {
            platform: platform.as_ref(),
            ..options(&limits)
        };
        read_path(dir.path(), &options).map(|images| {
            assert_eq!(images.len(), 1);
            assert_eq!(images[0].name.as_deref(), Some("shop/multi:2"));
            images[0].config.container().user.clone().unwrap()
        })
    };
    assert_eq!(user_for(None).unwrap(), "amd");
    assert_eq!(user_for(Some("linux/arm64")).unwrap(), "arm");
    assert_eq!(user_for(Some("linux/arm64/v8")).unwrap(), "arm");
    let error = user_for(Some("linux/s390x")).unwrap_err().to_string();
    assert!(
        error.contains("linux/s390x") && error.contains("linux/amd64, linux/arm64/v8"),
        "{error}"
    );
}
