//! The workloads' image references matched to the sources of the scan.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rampart_core::{Evidence, Finding, ImageRef};
use rampart_source::{Dockerfile, Inventory, Object};

use crate::declared::{Declared, ImageMapping, Matched};
use crate::folders::FolderIndex;
use crate::path::normalized;
use crate::runners::{Runner, runners_by_image};
use crate::source::{Build, ImageSource, SourceKind};

/// The workloads' image references of the inventory matched, as `mapping` and their names
/// and folders say, to the Dockerfiles of the inventory and `outside` it (read because the
/// mapping names them) and to `images` (summaries of the images the scan read). A Dockerfile
/// stands for its final stage, and for each stage and set of arguments a build file builds
/// it with.
pub fn image_links(
    inventory: &Inventory,
    outside: &[Dockerfile],
    images: Vec<ImageSource>,
    mapping: &ImageMapping,
) -> ImageLinks {
    let mut sources = Vec::new();
    for dockerfile in inventory.all::<Dockerfile>().iter().chain(outside) {
        let file = normalized(Path::new(&*dockerfile.path));
        let declared = mapping
            .entries
            .iter()
            .filter(|entry| entry.file == file && entry.build != Build::default());
        let mut builds = vec![Build::default()];
        for entry in declared {
            if !builds.contains(&entry.build) {
                builds.push(entry.build.clone());
            }
        }
        sources.extend(
            builds
                .iter()
                .filter_map(|build| ImageSource::of_build(dockerfile, build)),
        );
    }
    sources.extend(images);
    ImageLinks::new(
        inventory.all::<Object>(),
        sources,
        mapping,
        &inventory.roots,
    )
}

/// A source of one image reference.
#[derive(Debug, Clone)]
pub struct Link {
    pub source: usize,
    pub matched: Matched,
}

/// How one reference was matched.
#[derive(Default)]
struct Matching {
    links: Vec<Link>,
    missing: Vec<Declared>,
    tied: Vec<usize>,
}

/// The sources of the scan and the workloads' image references matched to them.
#[derive(Debug, Default)]
pub struct ImageLinks {
    sources: Vec<ImageSource>,
    by_reference: HashMap<String, Vec<Link>>,
    /// References left without a Dockerfile because several match their folders equally.
    tied: HashMap<String, Vec<usize>>,
    /// What was declared for a reference but is not in the scan.
    missing: HashMap<String, Vec<Declared>>,
    /// For each source, the containers that run it.
    runners: Vec<Vec<Runner>>,
}

impl ImageLinks {
    /// Matches every image reference of the `objects`' pods to `sources`. Folder matching
    /// reads a Dockerfile's path from the scanned folder of `roots` holding it (that folder's
    /// name included), so where the scan is checked out does not change the result.
    pub fn new(
        objects: &[Object],
        sources: Vec<ImageSource>,
        mapping: &ImageMapping,
        roots: &[PathBuf],
    ) -> ImageLinks {
        let mut links = ImageLinks {
            runners: vec![Vec::new(); sources.len()],
            sources,
            by_reference: HashMap::new(),
            tied: HashMap::new(),
            missing: HashMap::new(),
        };
        if links.sources.is_empty() {
            return links;
        }
        // A Dockerfile declared for one repository is not guessed for another.
        let claimed: HashSet<&PathBuf> = mapping.entries.iter().map(|entry| &entry.file).collect();
        let folders = FolderIndex::new(&links.sources, roots, &claimed);
        for (reference, runners) in runners_by_image(objects) {
            let matching = links.match_reference(reference, mapping, &folders);
            for link in &matching.links {
                links.runners[link.source].extend(runners.iter().cloned());
            }
            links
                .by_reference
                .insert(reference.to_owned(), matching.links);
            if !matching.tied.is_empty() {
                links.tied.insert(reference.to_owned(), matching.tied);
            }
            if !matching.missing.is_empty() {
                links.missing.insert(reference.to_owned(), matching.missing);
            }
        }
        links
    }

    /// The sources of `reference`, most trusted first within each kind (images, then
    /// Dockerfiles); what was declared for it but is not in the scan; the Dockerfiles that
    /// match its folders equally well, when that leaves it without one.
    fn match_reference(
        &self,
        reference: &str,
        mapping: &ImageMapping,
        folders: &FolderIndex,
    ) -> Matching {
        let mut matching = Matching::default();
        let Ok(wanted) = ImageRef::parse(reference) else {
            return matching;
        };
        let selected = mapping
            .entries
            .iter()
            .filter(|entry| entry.selects(&wanted));
        // The configuration overrides what build files say.
        let configured = selected
            .clone()
            .any(|entry| entry.matched == Matched::Configured);
        let trusted: Vec<&Declared> = selected
            .filter(|entry| !configured || entry.matched == Matched::Configured)
            .collect();
        // (rank, link): declarations in their order of trust, then names, then folders.
        let mut found: Vec<(usize, Link)> = Vec::new();
        for (rank, entry) in trusted.iter().enumerate() {
            let before = found.len();
            for (index, source) in self.sources.iter().enumerate() {
                let builds_it = source.file.as_ref() == Some(&entry.file)
                    && (source.kind == SourceKind::Image || source.build == entry.build);
                if builds_it && !found.iter().any(|(_, link)| link.source == index) {
                    let matched = entry.matched.clone();
                    found.push((
                        rank,
                        Link {
                            source: index,
                            matched,
                        },
                    ));
                }
            }
            if found.len() == before {
                matching.missing.push((*entry).clone());
            }
        }
        for (index, source) in self.sources.iter().enumerate() {
            let named = source.kind == SourceKind::Image && same_image(source, &wanted);
            if named && !found.iter().any(|(_, link)| link.source == index) {
                let link = Link {
                    source: index,
                    matched: Matched::Name,
                };
                found.push((trusted.len(), link));
            }
        }
        let has_dockerfile = found
            .iter()
            .any(|(_, link)| self.sources[link.source].kind == SourceKind::Dockerfile);
        if !has_dockerfile && trusted.is_empty() {
            match folders.best(&wanted.repository()) {
                Some(Ok((source, folders))) => {
                    let link = Link {
                        source,
                        matched: Matched::Folders(folders),
                    };
                    found.push((usize::MAX, link));
                }
                Some(Err(sources)) => matching.tied = sources,
                None => {}
            }
        }
        found.sort_by_key(|(rank, link)| {
            let kind = self.sources[link.source].kind;
            (kind == SourceKind::Dockerfile, *rank, link.source)
        });
        matching.links = found.into_iter().map(|(_, link)| link).collect();
        matching
    }

    /// The sources matched to `reference`, images first.
    pub fn sources_of(&self, reference: &str) -> impl Iterator<Item = (&ImageSource, &Link)> {
        self.by_reference
            .get(reference)
            .into_iter()
            .flatten()
            .map(|link| (&self.sources[link.source], link))
    }

    /// What `[images]` or a build file declares for `reference` but the scan does not hold.
    pub fn missing(&self, reference: &str) -> &[Declared] {
        self.missing.get(reference).map_or(&[], Vec::as_slice)
    }

    /// The Dockerfiles that match `reference`'s folders equally well, when none was taken
    /// for that reason.
    pub fn tied(&self, reference: &str) -> impl Iterator<Item = &ImageSource> {
        self.tied
            .get(reference)
            .into_iter()
            .flatten()
            .map(|&index| &self.sources[index])
    }

    /// The user `reference` starts as, from the most telling source that knows it: an image
    /// before a Dockerfile.
    pub fn user_of(&self, reference: &str) -> Option<(&ImageSource, &Link)> {
        self.sources_of(reference)
            .find(|(source, _)| source.user.configured.is_some())
    }

    /// Adds to each finding on a Dockerfile or image the containers that run it (of every
    /// image or stage read from that file: an archive can hold several tags).
    pub fn name_runners(&self, findings: &mut [Finding]) {
        let mut by_shown: HashMap<&str, Vec<&Runner>> = HashMap::new();
        for (source, runners) in self.sources.iter().zip(&self.runners) {
            if !runners.is_empty() {
                by_shown.entry(&source.shown).or_default().extend(runners);
            }
        }
        if by_shown.is_empty() {
            return;
        }
        for finding in findings
            .iter_mut()
            .filter(|f| f.subject.platform.is_its_location())
        {
            let Some(runners) = by_shown.get(&*finding.location.path) else {
                continue;
            };
            finding
                .evidence
                .extend(runners.iter().map(|runner| Evidence {
                    label: "run by",
                    value: runner.shown.clone(),
                    location: Some(runner.at.clone()),
                }));
        }
    }
}

/// Evidence for a workload finding that rests on the user of its image.
pub fn user_evidence(source: &ImageSource, link: &Link) -> Vec<Evidence> {
    vec![
        Evidence {
            label: "image user",
            value: match source.kind {
                SourceKind::Dockerfile => source.user.shown.clone(),
                SourceKind::Image => format!("{} of image {}", source.user.shown, source.shown),
            },
            location: source.user.at.clone(),
        },
        Evidence {
            label: "matched",
            value: link.matched.describe(),
            location: link.matched.location(),
        },
    ]
}

/// Whether an image of the scan is the one `wanted` names: the same repository, one of its
/// digests when both sides know digests, the same tag when both give one.
fn same_image(source: &ImageSource, wanted: &ImageRef<'_>) -> bool {
    let Some(have) = source.name.as_deref().and_then(|n| ImageRef::parse(n).ok()) else {
        return false;
    };
    let mut digests = have
        .digest
        .into_iter()
        .chain(source.digests.iter().map(String::as_str));
    let knows_digests = have.digest.is_some() || !source.digests.is_empty();
    have.name() == wanted.name()
        && match wanted.digest {
            Some(wanted) if knows_digests => digests.any(|have| have == wanted),
            _ => match (wanted.effective_tag(), have.effective_tag()) {
                (Some(wanted), Some(have)) => wanted == have,
                _ => true,
            },
        }
}
