# rampart as one static binary on distroless/static: no shell, no package manager, no libc.
# It runs as uid 65532 and writes nothing but its output, so it runs with a read-only root
# file system (the Helm chart in deploy/chart sets both).
#
#   docker build -t rampart:0.1.0 .
#
# Base images are pinned by digest; the tags say which they are.

# Alpine's Rust builds for x86_64-unknown-linux-musl, linked statically; the image carries the
# C compiler and musl headers that ring, zstd and the tree-sitter grammars compile with.
FROM rust:1.95-alpine@sha256:606fd313a0f49743ee2a7bd49a0914bab7deedb12791f3a846a34a4711db7ed2 AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY crates crates
RUN cargo build --release --locked -p rampart

# rampart:ignore D127 -- Kubernetes probes the webhook on /healthz (deploy/chart) and the scans run to completion; Docker's HEALTHCHECK is not used there
FROM gcr.io/distroless/static-debian12:nonroot@sha256:d093aa3e30dbadd3efe1310db061a14da60299baff8450a17fe0ccc514a16639
COPY --from=build /src/target/release/rampart /usr/local/bin/rampart
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/rampart"]
