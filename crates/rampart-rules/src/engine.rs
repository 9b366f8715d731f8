use std::borrow::Cow;

use rampart_core::{Finding, RuleMeta, ScanError, Texts, fingerprint};
use rampart_graph::{ImageLinks, ImageMapping, image_links, image_mapping};
use rampart_image::Image;
use rampart_source::Inventory;
use rayon::prelude::*;

use crate::registry::PRECEDENCE;
use crate::{Hit, ImageInput, Inputs, Kind, Rule, RuleOf, RuleOptions};

/// Which rules run: codes or code prefixes (`K1`, `K101`). An empty `select` means all rules;
/// `ignore` wins over `select`.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Selection {
    pub fn includes(&self, code: &str) -> bool {
        let matches = |prefix: &String| prefix == "ALL" || code.starts_with(prefix.as_str());
        (self.select.is_empty() || self.select.iter().any(matches))
            && !self.ignore.iter().any(matches)
    }
}

/// Runs `rules` over the inventory, each on the inputs it reads, in parallel, with the
/// workloads' images matched to the inventory's Dockerfiles. Returns the findings and the
/// problems found in the objects' shape (mistyped fields), which are reported as errors.
pub fn run(
    inventory: &Inventory,
    rules: &[Rule],
    options: &RuleOptions,
) -> (Vec<Finding>, Vec<ScanError>) {
    let (mapping, mapping_errors) = image_mapping(inventory, ImageMapping::default());
    let links = image_links(inventory, &[], Vec::new(), &mapping);
    let inputs = Inputs {
        inventory,
        links: &links,
        nodes: &[],
        images: &[],
    };
    let (findings, mut errors) = run_inputs(&inputs, rules, options);
    errors.extend(mapping_errors);
    (findings, errors)
}

/// Runs `rules` over `inputs`: each kind of rule among them over that kind's inputs (see
/// [`Kind::run`]). Returns the findings and the problems found in the inputs (mistyped
/// fields, files that could not be read), which are reported as errors.
pub fn run_inputs(
    inputs: &Inputs<'_>,
    rules: &[Rule],
    options: &RuleOptions,
) -> (Vec<Finding>, Vec<ScanError>) {
    let texts = Texts::default();
    let mut kinds: Vec<Rule> = Vec::new();
    for rule in rules {
        if !kinds.iter().any(|kind| kind.kind() == rule.kind()) {
            kinds.push(*rule);
        }
    }
    kinds
        .iter()
        .map(|kind| kind.run_kind(inputs, options, rules, &texts))
        .fold(
            <(Vec<_>, Vec<_>)>::default(),
            |(findings, errors), (more, more_errors)| {
                (joined(findings, more), joined(errors, more_errors))
            },
        )
}

/// Runs the rules of one kind over each of its inputs, in parallel, in input order.
pub(crate) fn each<I: Sync>(
    inputs: &[I],
    check: impl Fn(&I) -> (Vec<Finding>, Vec<ScanError>) + Send + Sync,
) -> (Vec<Finding>, Vec<ScanError>) {
    // Each worker moves the findings of its inputs into one growing vector as it goes, and
    // the workers' vectors are joined in input order at the end: keeping a vector per input
    // until all are done and then copying them into one would hold every finding twice.
    inputs
        .par_iter()
        .map(check)
        .fold(
            <(Vec<_>, Vec<_>)>::default,
            |(mut findings, mut errors), (more, more_errors)| {
                findings.extend(more);
                errors.extend(more_errors);
                (findings, errors)
            },
        )
        .reduce(
            <(Vec<_>, Vec<_>)>::default,
            |(findings, errors), (more, more_errors)| {
                (joined(findings, more), joined(errors, more_errors))
            },
        )
}

/// `first` followed by `then`, moving the shorter of the two: joining the workers' findings
/// copies the fewest.
fn joined<T>(mut first: Vec<T>, mut then: Vec<T>) -> Vec<T> {
    if first.len() >= then.len() {
        first.reserve_exact(then.len());
        first.extend(then);
        first
    } else {
        then.reserve_exact(first.len());
        then.splice(..0, first);
        then
    }
}

/// Runs the image rules among `rules` over one image. `shown` is how findings name the image
/// (its path or reference). Entries the reader refused are returned as errors.
pub fn run_image(
    image: &Image,
    shown: &str,
    rules: &[Rule],
    options: &RuleOptions,
) -> (Vec<Finding>, Vec<ScanError>) {
    let inputs = Inputs {
        inventory: &Inventory::default(),
        links: &ImageLinks::default(),
        nodes: &[],
        images: &[ImageInput { image, shown }],
    };
    run_inputs(&inputs, rules, options)
}

/// Which files of an image the rules among `rules` read: what the reader keeps the head of.
pub fn image_capture(rules: &[Rule]) -> impl Fn(&str) -> bool + Sync + use<> {
    let rules: Vec<_> = rules.to_vec();
    move |path: &str| rules.iter().any(|rule| rule.reads_content(path))
}

/// The one path from a target to its findings, for every kind: runs `rules` on `target`,
/// drops the hits that a more specific rule's hit supersedes, and makes a finding of each
/// other with the subject, location and fingerprint the kind gives it.
pub fn check<K: Kind>(
    target: &K::Target<'_>,
    rules: &[&'static dyn RuleOf<K>],
    texts: &Texts,
) -> Vec<Finding> {
    let mut hits: Vec<(&'static RuleMeta, Hit)> = Vec::new();
    let mut rule_hits = Vec::new();
    for rule in rules {
        rule.check(target, &mut rule_hits);
        hits.extend(rule_hits.drain(..).map(|hit| (rule.meta(), hit)));
    }
    without_superseded(hits)
        .map(|(meta, hit)| finding::<K>(target, meta, hit, texts))
        .collect()
}

fn finding<K: Kind>(
    target: &K::Target<'_>,
    meta: &'static RuleMeta,
    hit: Hit,
    texts: &Texts,
) -> Finding {
    let subject = K::subject(target, &hit);
    let location = K::location(target, &hit);
    let identity = match &hit.identity {
        Some(identity) => Cow::Borrowed(identity.as_str()),
        None => K::field_identity(target, &hit.pointer),
    };
    let fingerprint = fingerprint(meta.code, &subject, &identity);
    drop(identity);
    Finding {
        rule: meta,
        severity: hit.severity.unwrap_or(meta.severity),
        message: texts.share(hit.message),
        location,
        subject,
        pointer: texts.share(hit.pointer),
        fingerprint,
        suppression: None,
        evidence: hit.evidence,
    }
}

/// Drops a general rule's hit where a more specific rule (see [`PRECEDENCE`]) hit the same
/// field, or one inside or around it: one problem gives one finding, the most telling one.
/// Decided here, after selection, so a general rule reports everything when the specific one
/// does not run.
fn without_superseded(
    hits: Vec<(&'static RuleMeta, Hit)>,
) -> impl Iterator<Item = (&'static RuleMeta, Hit)> {
    let superseded = superseded(&hits, |hit| &hit.pointer);
    hits.into_iter()
        .zip(superseded)
        .filter_map(|(hit, superseded)| (!superseded).then_some(hit))
}

/// For each hit, whether a more specific rule's hit covers the same place (`pointer_of`).
fn superseded<H>(hits: &[(&'static RuleMeta, H)], pointer_of: impl Fn(&H) -> &str) -> Vec<bool> {
    hits.iter()
        .map(|(meta, hit)| {
            PRECEDENCE
                .iter()
                .filter(|(_, general)| *general == meta.code)
                .any(|(specific, _)| {
                    hits.iter().any(|(other, other_hit)| {
                        other.code == *specific
                            && pointers_overlap(pointer_of(other_hit), pointer_of(hit))
                    })
                })
        })
        .collect()
}

/// Whether one pointer is the other or lies inside it, token by token.
fn pointers_overlap(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long.strip_prefix(short)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use rampart_k8s::node::NodeModel;
    use rampart_source::Limits;

    use super::*;

    #[test]
    fn joined_keeps_input_order_whichever_side_is_moved() {
        assert_eq!(joined(vec![1, 2, 3], vec![4]), [1, 2, 3, 4]);
        assert_eq!(joined(vec![1], vec![2, 3, 4]), [1, 2, 3, 4]);
        assert_eq!(joined(Vec::new(), vec![1]), [1]);
        assert_eq!(joined(vec![1], Vec::new()), [1]);
    }

    #[test]
    fn dockerfile_fingerprints_ignore_unrelated_lines() {
        let fingerprints = |text: &str| -> Vec<String> {
            let (dockerfile, _) = rampart_source::parse_dockerfile("Dockerfile", text);
            let inventory = Inventory::from(vec![dockerfile.unwrap()]);
            let rules: Vec<Rule> = vec![crate::find("D111").unwrap()];
            let (findings, _) = run(&inventory, &rules, &RuleOptions::default());
            findings.iter().map(|f| f.fingerprint.to_string()).collect()
        };
        let before = fingerprints("FROM alpine AS app\nRUN sudo true\n");
        let after = fingerprints("FROM alpine AS app\nENV A=1\n\nRUN echo hi\nRUN sudo true\n");
        assert_eq!(before.len(), 1);
        assert_eq!(before, after);
        assert_ne!(before, fingerprints("FROM alpine AS app\nRUN sudo false\n"));
    }

    #[test]
    fn overlapping_pointers_share_a_token_prefix() {
        assert!(pointers_overlap(
            "/spec/volumes/0/hostPath",
            "/spec/volumes/0/hostPath"
        ));
        assert!(pointers_overlap(
            "/spec/volumes/0",
            "/spec/volumes/0/hostPath"
        ));
        assert!(pointers_overlap(
            "/spec/volumes/0/hostPath",
            "/spec/volumes/0"
        ));
        assert!(!pointers_overlap(
            "/spec/volumes/1",
            "/spec/volumes/10/hostPath"
        ));
        assert!(!pointers_overlap(
            "/spec/volumes/0/hostPath",
            "/spec/volumes/1/hostPath"
        ));
    }

    #[test]
    fn node_fingerprints_ignore_where_the_node_is_mounted_and_lines() {
        let config = |text: &str| {
            let (mut documents, _) = rampart_source::parse_stream(text, &Limits::default());
            NodeModel::of_kubelet_config("/var/lib/kubelet/config.yaml", documents.remove(0).root)
        };
        let header = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n";
        let here = config(&format!("{header}readOnlyPort: 10255\n"));
        let mut mounted = config(&format!(
            "{header}# moved down a line\nreadOnlyPort: 10255\n"
        ));
        mounted.shown_root = "/host".to_owned();
        let rules = [crate::find("K433").unwrap()];
        let options = RuleOptions::default();
        let on = |node: &NodeModel| {
            let inputs = Inputs {
                inventory: &Inventory::default(),
                links: &ImageLinks::default(),
                nodes: std::slice::from_ref(node),
                images: &[],
            };
            run_inputs(&inputs, &rules, &options).0
        };
        let (here, mounted) = (on(&here), on(&mounted));
        assert_eq!(here.len(), 1);
        assert_eq!(mounted.len(), 1);
        assert_eq!(
            &*mounted[0].location.path,
            "/host/var/lib/kubelet/config.yaml"
        );
        assert_eq!((here[0].location.line, mounted[0].location.line), (3, 4));
        assert_eq!(&*here[0].pointer, "/readOnlyPort");
        assert_eq!(here[0].fingerprint, mounted[0].fingerprint);
    }

    #[test]
    fn selection_by_prefix_with_ignore_winning() {
        let all = Selection::default();
        assert!(all.includes("K101"));
        let some = Selection {
            select: vec!["K1".into()],
            ignore: vec!["K10".into(), "K111".into()],
        };
        assert!(some.includes("K120"));
        assert!(!some.includes("K105"));
        assert!(!some.includes("K111"));
        assert!(!some.includes("D101"));
    }
}
