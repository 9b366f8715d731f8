use rampart_cloud::CloudModel;
use rampart_core::{Diagnostic, Finding, Texts};
use rampart_graph::{ImageLinks, ImageMapping, image_links, image_mapping};
use rampart_image::Image;
use rampart_source::Inventory;

use crate::checking::joined;
use crate::{ImageInput, Inputs, Rule, RuleOptions};

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
) -> (Vec<Finding>, Vec<Diagnostic>) {
    let (mapping, mapping_errors) = image_mapping(inventory, ImageMapping::default());
    let links = image_links(inventory, &[], Vec::new(), &mapping);
    let cloud = rampart_cloud::build(
        inventory,
        &rampart_cloud::CloudInputs::default(),
        &rampart_cloud::terraform::NoModuleFiles,
        &|path: &str| path.to_owned(),
    );
    let inputs = Inputs {
        inventory,
        links: &links,
        nodes: &[],
        images: &[],
        cloud: &cloud,
        advisories: None,
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
) -> (Vec<Finding>, Vec<Diagnostic>) {
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

/// Runs the image rules among `rules` over one image, and the package rules over its packages
/// when there is a vulnerability database. `shown` is how findings name the image (its path or
/// reference). Entries the reader refused are returned as errors.
pub fn run_image(
    image: &Image,
    shown: &str,
    rules: &[Rule],
    options: &RuleOptions,
    advisories: Option<&dyn crate::Advisories>,
) -> (Vec<Finding>, Vec<Diagnostic>) {
    let inputs = Inputs {
        inventory: &Inventory::default(),
        links: &ImageLinks::default(),
        nodes: &[],
        images: &[ImageInput { image, shown }],
        cloud: &CloudModel::default(),
        advisories,
    };
    run_inputs(&inputs, rules, options)
}

/// Which files of an image the rules among `rules` read: what the reader keeps the head of.
pub fn image_capture(rules: &[Rule]) -> impl Fn(&str) -> bool + Sync + use<> {
    let rules: Vec<_> = rules.to_vec();
    move |path: &str| rules.iter().any(|rule| rule.reads_content(path))
}

#[cfg(test)]
mod tests {
    use rampart_k8s::node::NodeModel;
    use rampart_source::Limits;

    use super::*;

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
                cloud: &CloudModel::default(),
                advisories: None,
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
