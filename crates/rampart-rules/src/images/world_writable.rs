use rampart_core::{Concern, Layer, Severity, refs};
use rampart_image::EntryKind;

use super::{file_identity, file_pointer, whereabouts};
use crate::rule::{Check, declare_rule};
use crate::{Hit, ImageTarget, Images};

declare_rule! {
    /// ## What it checks
    /// Files and folders of the image's final filesystem that every user may write
    /// (permission bit `o+w`, `0002`). Folders with the sticky bit (`1777`, as `/tmp`,
    /// `/var/tmp` and `/dev/shm` are meant to be) are left out: there, users can only remove
    /// their own files. Symbolic links are left out too: their own mode means nothing.
    ///
    /// ## Why it matters
    /// Whoever runs code in the container, under any uid, can change a world-writable
    /// program, library or configuration file, and a root process (an entrypoint script, a
    /// cron job, the application at its next start) then runs or trusts the attacker's
    /// version. In a world-writable folder without the sticky bit anyone can delete or
    /// replace the files of others.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY app /app
    /// RUN chmod -R 777 /app
    /// ```
    /// Use instead: owned by root, readable by the application user, writable only where it
    /// must write.
    /// ```dockerfile
    /// COPY --chmod=755 app /app
    /// RUN install -d -o 10001 -m 700 /app/data
    /// ```
    pub struct ImageWorldWritable {
        code: "I106",
        name: "image-world-writable",
        title: "World-writable file or folder in image",
        severity: Severity::Medium,
        layer: Layer::Container,
        concern: Concern::Images,
        references: refs![
            Nsa: ["building-secure-container-images"],
            Cwe: ["CWE-732"],
        ],
        equivalents: &[],
    }
}

impl Check<Images> for ImageWorldWritable {
    fn check(&self, target: &ImageTarget<'_>, hits: &mut Vec<Hit>) {
        let image = target.image;
        for (path, id) in target.files.visible() {
            let entry = image.entry(id);
            if entry.mode & 0o002 == 0 {
                continue;
            }
            let what = match entry.kind {
                EntryKind::File | EntryKind::HardLink => "file",
                EntryKind::Directory if entry.mode & 0o1000 == 0 => {
                    "folder (without the sticky bit)"
                }
                _ => continue,
            };
            hits.push(
                Hit::new(
                    file_pointer(id, path),
                    format!(
                        "the {what} `{}` is writable by every user (mode {:04o}), {}; remove \
                         the write bit for others (`chmod o-w`){}",
                        entry.display_path(),
                        entry.mode & 0o7777,
                        whereabouts(image, target, id),
                        if entry.kind == EntryKind::Directory {
                            " or make it sticky (`chmod +t`)"
                        } else {
                            ""
                        }
                    ),
                )
                .with_identity(file_identity(path)),
            );
        }
    }
}
