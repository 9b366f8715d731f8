//! Realistic Dockerfiles at scale: the ecosystems teams build (Node, Python, Go, Java, Ruby,
//! plain Debian, Alpine and RHEL images), single- and multi-stage, from hardened (pinned
//! digests, non-root user, cache mounts, health check) to careless (no user, `latest`, caches
//! left behind, scripts piped into a shell, secrets in `ENV`), the same for the same seed.

use crate::{ManifestFile, Rng};

/// One service's build recipe, before it is written out.
struct Recipe {
    lines: Vec<String>,
    /// Whether a `.dockerignore` sits beside it.
    dockerignore: bool,
}

#[derive(Clone, Copy)]
enum Ecosystem {
    Node,
    Python,
    Go,
    Java,
    Ruby,
    Debian,
    Alpine,
    Rhel,
}

const ECOSYSTEMS: [(usize, Ecosystem); 8] = [
    (25, Ecosystem::Node),
    (25, Ecosystem::Python),
    (15, Ecosystem::Go),
    (10, Ecosystem::Java),
    (5, Ecosystem::Ruby),
    (10, Ecosystem::Debian),
    (6, Ecosystem::Alpine),
    (4, Ecosystem::Rhel),
];

const DIGEST: &str = "sha256:5d2c1f8e9a7b6c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d";

/// `count` Dockerfiles, each in a folder of its own (`services/<ecosystem>-<n>/Dockerfile`,
/// some as `build/<name>.Dockerfile`), with a `.dockerignore` beside about half of them.
pub fn generate_dockerfiles(count: usize, seed: u64) -> Vec<ManifestFile> {
    let mut rng = Rng::new(seed);
    let mut files = Vec::with_capacity(count * 2);
    for index in 0..count {
        let ecosystem = rng.weighted(&ECOSYSTEMS);
        let recipe = recipe(&mut rng, ecosystem);
        let name = format!("{}-{index:04}", label(ecosystem));
        let path = if index % 10 == 9 {
            format!("build/{name}.Dockerfile")
        } else {
            format!("services/{name}/Dockerfile")
        };
        if recipe.dockerignore {
            let ignore = match path.strip_suffix("Dockerfile") {
                Some(folder) if folder.ends_with('/') => format!("{folder}.dockerignore"),
                _ => format!("{path}.dockerignore"),
            };
            files.push(ManifestFile {
                path: ignore,
                text: ".git\n.env*\nnode_modules\n**/*.pem\n".to_owned(),
            });
        }
        let mut text = recipe.lines.join("\n");
        text.push('\n');
        files.push(ManifestFile { path, text });
    }
    files
}

fn label(ecosystem: Ecosystem) -> &'static str {
    match ecosystem {
        Ecosystem::Node => "node",
        Ecosystem::Python => "python",
        Ecosystem::Go => "go",
        Ecosystem::Java => "java",
        Ecosystem::Ruby => "ruby",
        Ecosystem::Debian => "debian",
        Ecosystem::Alpine => "alpine",
        Ecosystem::Rhel => "rhel",
    }
}

/// A base image reference: careful teams pin a digest, careless ones write no tag.
fn base(rng: &mut Rng, image: &str, tag: &str) -> String {
    match rng.weighted(&[(40, 0), (35, 1), (15, 2), (10, 3)]) {
        0 => format!("{image}:{tag}@{DIGEST}"),
        1 => format!("{image}:{tag}"),
        2 => format!("registry.internal.example/mirror/{image}:{tag}"),
        _ => {
            if rng.percent(50) {
                image.to_owned()
            } else {
                format!("{image}:latest")
            }
        }
    }
}

fn recipe(rng: &mut Rng, ecosystem: Ecosystem) -> Recipe {
    let careful = rng.percent(45);
    let mut lines = vec![format!("# syntax=docker/dockerfile:1")];
    if rng.percent(20) {
        lines.push("ARG VERSION=1.0.0".to_owned());
    }
    match ecosystem {
        Ecosystem::Node => node(rng, careful, &mut lines),
        Ecosystem::Python => python(rng, careful, &mut lines),
        Ecosystem::Go => go(rng, careful, &mut lines),
        Ecosystem::Java => java(rng, careful, &mut lines),
        Ecosystem::Ruby => ruby(rng, careful, &mut lines),
        Ecosystem::Debian => debian(rng, careful, &mut lines),
        Ecosystem::Alpine => alpine(rng, careful, &mut lines),
        Ecosystem::Rhel => rhel(rng, careful, &mut lines),
    }
    finish(rng, careful, &mut lines);
    Recipe {
        lines,
        dockerignore: careful || rng.percent(30),
    }
}

/// What every image ends with: labels, user, port, health check, command.
fn finish(rng: &mut Rng, careful: bool, lines: &mut Vec<String>) {
    lines.push(
        "LABEL org.opencontainers.image.source=\"https://git.example.com/acme/service\"".into(),
    );
    if !careful && rng.percent(10) {
        lines.push("MAINTAINER platform team <platform@example.com>".into());
    }
    if !careful && rng.percent(8) {
        lines.push("ENV DATABASE_PASSWORD=s3cr3t-Passw0rd-2024".into());
    }
    if !careful && rng.percent(5) {
        lines.push("EXPOSE 22".into());
    }
    match (careful, rng.below(4)) {
        (true, _) | (false, 0) => lines.push("USER 10001:10001".into()),
        (false, 1) => lines.push("USER root".into()),
        _ => {}
    }
    lines.push(format!("EXPOSE {}", rng.pick(&[8080, 3000, 8000, 9090])));
    if careful || rng.percent(20) {
        lines.push("HEALTHCHECK --interval=30s --timeout=3s CMD [\"/healthcheck\"]".into());
    }
}

fn apt(rng: &mut Rng, careful: bool, packages: &str, lines: &mut Vec<String>) {
    if careful {
        lines.push(format!(
            "RUN apt-get update \\\n && apt-get install -y --no-install-recommends {packages} \\\n && rm -rf /var/lib/apt/lists/*"
        ));
    } else if rng.percent(30) {
        lines.push("RUN apt-get update".into());
        lines.push(format!("RUN apt-get install -y {packages}"));
    } else {
        lines.push(format!(
            "RUN apt-get update && apt-get install -y {packages} && apt-get clean"
        ));
    }
}

fn node(rng: &mut Rng, careful: bool, lines: &mut Vec<String>) {
    let image = base(rng, "node", "20.11-bookworm-slim");
    lines.push(format!("FROM {image} AS build"));
    lines.push("WORKDIR /app".into());
    lines.push("COPY package.json package-lock.json ./".into());
    if careful {
        lines.push("RUN --mount=type=cache,target=/root/.npm npm ci".into());
    } else {
        lines.push("RUN npm install && npm install -g typescript".into());
    }
    lines.push("COPY . .".into());
    lines.push("RUN npm run build && npm prune --omit=dev".into());
    let runtime = base(rng, "node", "20.11-bookworm-slim");
    lines.push(format!("FROM {runtime}"));
    lines.push("WORKDIR /app".into());
    lines.push("COPY --from=build /app/dist ./dist".into());
    lines.push("COPY --from=build /app/node_modules ./node_modules".into());
    if careful {
        lines.push("CMD [\"node\", \"dist/server.js\"]".into());
    } else {
        lines.push("CMD node dist/server.js".into());
    }
}

fn python(rng: &mut Rng, careful: bool, lines: &mut Vec<String>) {
    let image = base(rng, "python", "3.12-slim");
    lines.push(format!("FROM {image}"));
    lines.push("ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1".into());
    apt(rng, careful, "libpq5", lines);
    lines.push("WORKDIR /srv/app".into());
    lines.push("COPY requirements.txt .".into());
    if careful {
        lines.push("RUN pip install --no-cache-dir -r requirements.txt".into());
    } else if rng.percent(50) {
        lines.push("RUN pip install -r requirements.txt gunicorn".into());
    } else {
        lines.push("ADD requirements.txt /tmp/".into());
        lines.push("RUN pip install --no-cache-dir flask==3.0.3 gunicorn".into());
    }
    lines.push("COPY app/ ./app/".into());
    lines.push("CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app.wsgi:application\"]".into());
}

fn go(rng: &mut Rng, careful: bool, lines: &mut Vec<String>) {
    let image = base(rng, "golang", "1.22");
    lines.push(format!("FROM {image} AS build"));
    lines.push("WORKDIR /src".into());
    lines.push("COPY go.mod go.sum ./".into());
    lines.push("RUN --mount=type=cache,target=/root/go/pkg/mod go mod download".into());
    lines.push("COPY . .".into());
    lines.push("RUN CGO_ENABLED=0 go build -trimpath -o /out/app ./cmd/app".into());
    if careful {
        lines.push(format!(
            "FROM gcr.io/distroless/static-debian12:nonroot@{DIGEST}"
        ));
    } else {
        lines.push("FROM alpine".into());
        lines.push("RUN apk update && apk add ca-certificates curl".into());
    }
    lines.push("COPY --from=build /out/app /app".into());
    lines.push("ENTRYPOINT [\"/app\"]".into());
}

fn java(rng: &mut Rng, careful: bool, lines: &mut Vec<String>) {
    let image = base(rng, "maven", "3.9-eclipse-temurin-21");
    lines.push(format!("FROM {image} AS build"));
    lines.push("WORKDIR /build".into());
    lines.push("COPY pom.xml .".into());
    lines.push("RUN mvn -B dependency:go-offline".into());
    lines.push("COPY src ./src".into());
    lines.push("RUN mvn -B package -DskipTests".into());
    let runtime = base(rng, "eclipse-temurin", "21-jre");
    lines.push(format!("FROM {runtime}"));
    if !careful && rng.percent(40) {
        lines.push("RUN curl -fsSL https://agent.apm.example.com/install.sh | bash".into());
    }
    lines.push("COPY --from=build /build/target/app.jar /opt/app/app.jar".into());
    if !careful && rng.percent(30) {
        lines.push("RUN chmod -R 777 /opt/app".into());
    }
    lines.push("ENTRYPOINT [\"java\", \"-jar\", \"/opt/app/app.jar\"]".into());
}

fn ruby(rng: &mut Rng, careful: bool, lines: &mut Vec<String>) {
    let image = base(rng, "ruby", "3.3-slim");
    lines.push(format!("FROM {image}"));
    apt(rng, careful, "build-essential libpq-dev", lines);
    lines.push("WORKDIR /app".into());
    lines.push("COPY Gemfile Gemfile.lock ./".into());
    if careful {
        lines.push("RUN gem install bundler -v 2.5.6 && bundle install --jobs 4".into());
    } else {
        lines.push("RUN gem install bundler && bundle install".into());
    }
    lines.push("COPY . .".into());
    lines.push("CMD [\"bundle\", \"exec\", \"puma\"]".into());
}

fn debian(rng: &mut Rng, careful: bool, lines: &mut Vec<String>) {
    let image = base(rng, "debian", "12-slim");
    lines.push(format!("FROM {image}"));
    if !careful && rng.percent(30) {
        lines.push("RUN apt-get update && apt-get -y upgrade".into());
    }
    apt(rng, careful, "curl ca-certificates", lines);
    if !careful && rng.percent(25) {
        lines.push(
            "RUN curl -k https://downloads.example.com/tool.tar.gz | tar xz -C /usr/local/bin"
                .into(),
        );
    }
    if !careful && rng.percent(20) {
        lines.push("RUN cd /opt && sudo tar xf /tmp/tool.tar".into());
    }
    lines.push("COPY entrypoint.sh /usr/local/bin/".into());
    lines.push("WORKDIR /opt/service".into());
    lines.push("ENTRYPOINT [\"/usr/local/bin/entrypoint.sh\"]".into());
}

fn alpine(rng: &mut Rng, careful: bool, lines: &mut Vec<String>) {
    let image = base(rng, "alpine", "3.20");
    lines.push(format!("FROM {image}"));
    if careful {
        lines.push("RUN apk add --no-cache curl=8.9.1-r0 ca-certificates".into());
    } else {
        lines.push("RUN apk update && apk add curl bash".into());
    }
    if !careful && rng.percent(30) {
        lines.push(
            "ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini"
                .into(),
        );
    }
    lines.push("COPY bin/ /usr/local/bin/".into());
    lines.push("ENTRYPOINT [\"/usr/local/bin/service\"]".into());
}

fn rhel(rng: &mut Rng, careful: bool, lines: &mut Vec<String>) {
    let image = base(rng, "registry.access.redhat.com/ubi9/ubi-minimal", "9.4");
    lines.push(format!("FROM {image}"));
    if careful {
        lines.push("RUN microdnf install -y shadow-utils-4.9 && microdnf clean all".into());
    } else {
        lines.push("RUN microdnf install -y shadow-utils tar gzip".into());
    }
    if !careful && rng.percent(20) {
        lines.push("RUN yum install -y --nogpgcheck vendor-agent".into());
    }
    lines.push("COPY target/service /usr/local/bin/service".into());
    lines.push("CMD [\"/usr/local/bin/service\"]".into());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_files_and_every_file_parses() {
        let files = generate_dockerfiles(200, 7);
        assert_eq!(files, generate_dockerfiles(200, 7));
        let dockerfiles: Vec<_> = files
            .iter()
            .filter(|f| !f.path.ends_with(".dockerignore"))
            .collect();
        assert_eq!(dockerfiles.len(), 200);
        assert!(dockerfiles.iter().any(|f| f.path.ends_with(".Dockerfile")));
        assert!(files.iter().any(|f| f.path.ends_with(".dockerignore")));
    }
}
