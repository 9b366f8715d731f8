//! Packages of an image: read from its merged layers, each with the layer that added it.

use rampart_deps::{Ecosystem, image_packages, reads_content};
use rampart_image::build::{ImageSpec, write_layout};
use rampart_image::{Limits, ReadOptions, read_path};

/// A Debian base layer, then one that upgrades libssl3 and installs curl, then one that only
/// adds an application file.
const SPEC: &str = r##"
[[layers]]
created_by = "/bin/sh -c #(nop) ADD file:debian-12 in /"
files = [
  { path = "usr/lib/os-release", content = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n" },
  { path = "etc/os-release", type = "symlink", target = "../usr/lib/os-release" },
  { path = "var/lib/dpkg/status", content = """
Package: libc6
Status: install ok installed
Architecture: amd64
Source: glibc
Version: 2.36-9+deb12u7

Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl
Version: 3.0.11-1~deb12u2
""" },
]

[[layers]]
created_by = "RUN apt-get update && apt-get install -y curl"
files = [
  { path = "var/lib/dpkg/status", content = """
Package: libc6
Status: install ok installed
Architecture: amd64
Source: glibc
Version: 2.36-9+deb12u7

Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl
Version: 3.0.15-1~deb12u1

Package: curl
Status: install ok installed
Architecture: amd64
Version: 7.88.1-10+deb12u8
""" },
]

[[layers]]
created_by = "COPY app /app"
files = [{ path = "app/run.sh", mode = 0o755, content = "#!/bin/sh\n" }]
"##;

#[test]
fn each_package_has_the_layer_that_added_it() {
    let spec = ImageSpec::parse(SPEC).unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_layout(&spec, dir.path()).unwrap();
    let limits = Limits {
        max_captured_bytes: 64 * 1024 * 1024,
        ..Limits::default()
    };
    let options = ReadOptions {
        limits: &limits,
        platform: None,
        capture: &reads_content,
    };
    let image = read_path(dir.path(), &options).unwrap().remove(0);
    let installed = image_packages(&image);
    assert!(installed.problems.is_empty(), "{:?}", installed.problems);
    assert_eq!(installed.distro.as_ref().unwrap().id, "debian");
    let got: Vec<_> = installed
        .packages
        .iter()
        .map(|p| {
            let layer = p.found.layer.as_ref().map(|l| l.index);
            (p.name.as_str(), p.version.as_str(), layer, p.found.line)
        })
        .collect();
    assert_eq!(
        got,
        [
            ("libc6", "2.36-9+deb12u7", Some(0), Some(1)),
            ("libssl3", "3.0.15-1~deb12u1", Some(1), Some(7)),
            ("curl", "7.88.1-10+deb12u8", Some(1), Some(13)),
        ]
    );
    let ssl = &installed.packages[1];
    assert_eq!(ssl.ecosystem, Ecosystem::Debian);
    assert_eq!(ssl.osv_ecosystem(), "Debian:12");
    assert_eq!(ssl.source.as_ref().unwrap().name, "openssl");
    let digest = ssl.found.layer.as_ref().unwrap().digest.as_deref().unwrap();
    assert!(digest.starts_with("sha256:"));
}
