use rampart_core::{Concern, Layer, Severity, refs};
use rampart_image::EntryKind;

use super::{file_identity, file_pointer, whereabouts};
use crate::rule::{Check, declare_rule};
use crate::{Hit, ImageTarget, Images};

declare_rule! {
    /// ## What it checks
    /// Files of the image's final filesystem with the setuid (`04000`) or setgid (`02000`)
    /// bit, except the standard ones every mainstream distribution ships in its base image
    /// and audits (`su`, `passwd`, `mount`, `chsh`, `newgrp`, `unix_chkpwd`, `ssh-agent`, ...;
    /// the full list is in the rule's source). Those are left out because every
    /// Debian, Ubuntu, Alpine or RHEL based image has them, and a finding on every image
    /// would teach people to ignore the rule; the defence against all setuid files alike is
    /// `allowPrivilegeEscalation: false` on the pod (rule K116), which makes the kernel ignore
    /// the bit.
    ///
    /// Every other setuid or setgid file is reported; shells, interpreters and tools that can
    /// run commands or write files (`bash`, `python3`, `find`, `vim`, `cp`, ...) rank high,
    /// because any user of the container becomes their owner with one command.
    ///
    /// ## Why it matters
    /// A setuid-root program runs as root whoever starts it: an application compromised as
    /// an unprivileged user uses it (or a flaw in it) to become root in the container, the
    /// first step to escaping to the node.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN chmod u+s /usr/bin/python3
    /// ```
    /// Use instead: no setuid bit; grant the one capability the program needs, or drop the
    /// bits altogether (CIS Docker Benchmark 4.8):
    /// ```dockerfile
    /// RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +
    /// ```
    pub struct ImageSetuidFile {
        code: "I105",
        name: "image-setuid-file",
        title: "Setuid or setgid file in image",
        severity: Severity::Medium,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Nsa: ["building-secure-container-images"],
            Mitre: ["T1548.001"],
            Cwe: ["CWE-250"],
        ],
        equivalents: &[],
    }
}

/// Setuid and setgid programs of distribution base images (Debian, Ubuntu, Alpine, RHEL and
/// derivatives), by path. Their bits are part of the distribution's design.
const DISTRIBUTION_DEFAULTS: &[&str] = &[
    "bin/su",
    "bin/mount",
    "bin/umount",
    "bin/ping",
    "bin/bbsuid",
    "sbin/unix_chkpwd",
    "sbin/pam_timestamp_check",
    "usr/bin/su",
    "usr/bin/mount",
    "usr/bin/umount",
    "usr/bin/passwd",
    "usr/bin/chsh",
    "usr/bin/chfn",
    "usr/bin/gpasswd",
    "usr/bin/newgrp",
    "usr/bin/chage",
    "usr/bin/expiry",
    "usr/bin/wall",
    "usr/bin/write",
    "usr/bin/write.ul",
    "usr/bin/ssh-agent",
    "usr/bin/crontab",
    "usr/bin/newuidmap",
    "usr/bin/newgidmap",
    "usr/bin/ping",
    "usr/sbin/unix_chkpwd",
    "usr/sbin/pam_timestamp_check",
    "usr/lib/openssh/ssh-keysign",
    "usr/libexec/openssh/ssh-keysign",
    "usr/lib/dbus-1.0/dbus-daemon-launch-helper",
    "usr/libexec/dbus-1/dbus-daemon-launch-helper",
    "usr/libexec/utempter/utempter",
    "usr/lib/x86_64-linux-gnu/utempter/utempter",
    "usr/lib/aarch64-linux-gnu/utempter/utempter",
];

/// Programs that hand their owner's rights to whoever runs them: shells, interpreters,
/// editors and tools that run commands or write arbitrary files.
const ESCALATES_DIRECTLY: &[&str] = &[
    "sh", "bash", "dash", "ash", "zsh", "ksh", "busybox", "python", "python2", "python3", "perl",
    "ruby", "node", "php", "lua", "find", "vi", "vim", "nano", "less", "more", "env", "cp", "mv",
    "chmod", "chown", "tar", "awk", "gawk", "sed", "tee", "dd", "nmap", "docker",
];

impl Check<Images> for ImageSetuidFile {
    fn check(&self, target: &ImageTarget<'_>, hits: &mut Vec<Hit>) {
        let image = target.image;
        for (path, id) in target.files.visible() {
            let entry = image.entry(id);
            if entry.kind != EntryKind::File
                || entry.mode & 0o6000 == 0
                || DISTRIBUTION_DEFAULTS.contains(&path)
            {
                continue;
            }
            let bits = match (entry.mode & 0o4000 != 0, entry.mode & 0o2000 != 0) {
                (true, true) => {
                    format!("setuid (uid {}) and setgid (gid {})", entry.uid, entry.gid)
                }
                (true, false) => format!("setuid (uid {})", entry.uid),
                _ => format!("setgid (gid {})", entry.gid),
            };
            let name = path.rsplit('/').next().unwrap_or(path);
            let program = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
            let direct =
                ESCALATES_DIRECTLY.contains(&name) || ESCALATES_DIRECTLY.contains(&program);
            let consequence = if direct {
                "it runs commands or writes files for whoever starts it: any user of the \
                 container gets its owner's rights"
            } else {
                "every user of the container runs it with its owner's rights"
            };
            let hit = Hit::new(
                file_pointer(id, path),
                format!(
                    "`{}` is {bits}, mode {:04o}, {}: {consequence}; remove the bit (`chmod \
                     u-s,g-s`) and set `allowPrivilegeEscalation: false` on the pods",
                    entry.display_path(),
                    entry.mode & 0o7777,
                    whereabouts(image, target, id),
                ),
            )
            .with_identity(file_identity(path));
            hits.push(if direct && entry.mode & 0o4000 != 0 && entry.uid == 0 {
                hit.with_severity(Severity::High)
            } else {
                hit
            });
        }
    }
}
