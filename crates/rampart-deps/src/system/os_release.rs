//! The distribution of a root file system, from `os-release` (freedesktop.org, "os-release"):
//! `ID`, `VERSION_ID`, `PRETTY_NAME`, as OSV needs them to name the ecosystem of its packages.

use crate::Ecosystem;

/// What `/etc/os-release` (or `/usr/lib/os-release`) says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Distro {
    /// `debian`, `ubuntu`, `alpine`, `rhel`, `rocky`, ...
    pub id: String,
    /// `12`, `22.04`, `3.20.3`; empty for rolling distributions.
    pub version_id: String,
    pub pretty_name: String,
    /// `ID_LIKE`: the distributions this one derives from.
    pub like: Vec<String>,
}

impl Distro {
    /// Parses the `KEY=value` lines of an os-release file (values may be quoted).
    pub fn parse(text: &str) -> Distro {
        let mut distro = Distro::default();
        for line in text.lines() {
            let Some((key, value)) = line.trim().split_once('=') else {
                continue;
            };
            let value = unquote(value.trim());
            match key {
                "ID" => distro.id = value.to_ascii_lowercase(),
                "VERSION_ID" => distro.version_id = value,
                "PRETTY_NAME" => distro.pretty_name = value,
                "ID_LIKE" => distro.like = value.split_whitespace().map(str::to_owned).collect(),
                _ => {}
            }
        }
        distro
    }

    /// The OSV ecosystem and release of the distribution's own packages, if OSV has one for
    /// them: `(Debian, "12")`, `(Alpine, "v3.20")`, `(Ubuntu, "22.04:LTS")`.
    pub fn ecosystem(&self) -> Option<(Ecosystem, Option<String>)> {
        let major = || {
            self.version_id
                .split('.')
                .next()
                .unwrap_or_default()
                .to_owned()
        };
        let major_minor = || {
            let parts: Vec<&str> = self.version_id.split('.').take(2).collect();
            parts.join(".")
        };
        let release = |text: String| (!text.is_empty()).then_some(text);
        Some(match self.id.as_str() {
            "debian" => (Ecosystem::Debian, release(major())),
            "ubuntu" => {
                // OSV marks long-term releases (April of even years): `Ubuntu:22.04:LTS`.
                let lts = self.version_id.ends_with(".04")
                    && major().parse::<u32>().is_ok_and(|year| year % 2 == 0);
                let suffix = if lts { ":LTS" } else { "" };
                (
                    Ecosystem::Ubuntu,
                    release(format!("{}{suffix}", self.version_id)),
                )
            }
            "alpine" => (Ecosystem::Alpine, release(format!("v{}", major_minor()))),
            "wolfi" => (Ecosystem::Wolfi, None),
            "chainguard" => (Ecosystem::Chainguard, None),
            "rhel" => (Ecosystem::RedHat, release(major())),
            "rocky" => (Ecosystem::RockyLinux, release(major())),
            "almalinux" => (Ecosystem::AlmaLinux, release(major())),
            "sles" | "sles_sap" => (Ecosystem::Suse, release(self.pretty_name.clone())),
            id if id.starts_with("opensuse") => {
                (Ecosystem::OpenSuse, release(self.pretty_name.clone()))
            }
            _ => return None,
        })
    }

    /// How purls name the distribution in their `distro` qualifier: `debian-12`,
    /// `alpine-3.20.3`.
    pub fn purl_qualifier(&self) -> String {
        if self.version_id.is_empty() {
            self.id.clone()
        } else {
            format!("{}-{}", self.id, self.version_id)
        }
    }
}

fn unquote(value: &str) -> String {
    let inner = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    inner.replace("\\\"", "\"").replace("\\\\", "\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_as_osv_names_them() {
        let debian = Distro::parse(
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n\
             VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nID=debian\n",
        );
        assert_eq!(
            debian.ecosystem(),
            Some((Ecosystem::Debian, Some("12".into())))
        );
        assert_eq!(debian.purl_qualifier(), "debian-12");
        let alpine = Distro::parse("NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\n");
        assert_eq!(
            alpine.ecosystem(),
            Some((Ecosystem::Alpine, Some("v3.20".into())))
        );
        let ubuntu = Distro::parse("ID=ubuntu\nVERSION_ID=\"22.04\"\nID_LIKE=debian\n");
        assert_eq!(
            ubuntu.ecosystem(),
            Some((Ecosystem::Ubuntu, Some("22.04:LTS".into())))
        );
        assert_eq!(ubuntu.like, ["debian"]);
        let interim = Distro::parse("ID=ubuntu\nVERSION_ID=\"23.10\"\n");
        assert_eq!(
            interim.ecosystem(),
            Some((Ecosystem::Ubuntu, Some("23.10".into())))
        );
        assert_eq!(Distro::parse("ID=gentoo\n").ecosystem(), None);
    }
}
