use std::borrow::Cow;
use std::sync::Arc;

use rampart_core::{Diagnostic, Finding, Location, Subject, Texts};
use rampart_image::{FileSystem, Image};

use crate::checking::{check, each};
use crate::{Hit, ImageInput, Inputs, Kind, RuleOf, RuleOptions};

/// Container images: configuration and layers, one image at a time.
pub struct Images;

/// What an image rule looks at: one image, its final file system computed once for all
/// rules. Hits point into the image configuration (`/config/User`, `/history/3/created_by`)
/// or at a file of a layer (`/layers/2/etc/shadow`, the layer's position in the manifest,
/// then the path).
pub struct ImageTarget<'a> {
    pub image: &'a Image,
    /// The layers applied in order, with what became of every entry.
    pub files: &'a FileSystem<'a>,
    pub options: &'a RuleOptions,
    /// How findings name the image: shared by all of them.
    pub shown: Arc<str>,
    /// What the image's findings are about: shared by all of them.
    pub subject: Arc<Subject>,
}

impl Kind for Images {
    type Target<'a> = ImageTarget<'a>;

    /// Entries the reader refused are the image's errors.
    fn run(
        inputs: &Inputs<'_>,
        options: &RuleOptions,
        rules: &[&'static dyn RuleOf<Images>],
        texts: &Texts,
    ) -> (Vec<Finding>, Vec<Diagnostic>) {
        each(inputs.images, |&ImageInput { image, shown }| {
            let files = FileSystem::of(&image.layers);
            let target = ImageTarget {
                image,
                files: &files,
                options,
                shown: Arc::from(shown),
                // A rebuild changes digests and tags but not the repository: the subject is
                // named by it.
                subject: Arc::new(Subject::image(image.repository().unwrap_or(shown))),
            };
            let errors = image
                .problems
                .iter()
                .map(|problem| {
                    Diagnostic::error(
                        shown.to_owned(),
                        None,
                        format!(
                            "{}: entry `{}`: {}",
                            image.describe_layer(problem.layer),
                            problem.entry,
                            problem.reason
                        ),
                    )
                })
                .collect();
            (check(&target, rules, texts), errors)
        })
    }

    fn subject(target: &ImageTarget<'_>, _hit: &Hit) -> Arc<Subject> {
        target.subject.clone()
    }

    fn location(target: &ImageTarget<'_>, _hit: &Hit) -> Location {
        Location::new(target.shown.clone(), 0, 0)
    }

    fn field_identity<'t>(_target: &'t ImageTarget<'_>, pointer: &'t str) -> Cow<'t, str> {
        Cow::Borrowed(pointer)
    }
}
