//! Arbitrary text as a kubelet's systemd unit, environment file and configuration file (three
//! parts split at NUL bytes): the unit parsed and expanded as systemd does, its command line
//! read as the kubelet's flags, the configuration merged under them, and every node rule run
//! on the result. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_k8s::node::systemd::{UnitFile, service_command};
use rampart_k8s::node::{ConfigDocument, Kubelet, NodeModel, Origin};
use rampart_rules::{RuleOptions, registry, run_node};
use rampart_source::{Limits, parse_stream};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\0');
    let unit = parts.next().unwrap_or("");
    let environment = parts.next().unwrap_or("").to_owned();
    let config = parts.next().unwrap_or("");
    let units = [UnitFile {
        path: "/etc/systemd/system/kubelet.service",
        text: unit,
    }];
    let command = service_command(&units, &mut |_| Some(environment.clone()));
    let words = command
        .words
        .iter()
        .skip(1)
        .map(|word| (word.at.clone(), word.text.clone()));
    let (documents, _) = parse_stream(config, &Limits::default());
    let kubelet = Kubelet {
        command_origin: Some(Origin::new("/etc/systemd/system/kubelet.service", 1)),
        config: documents.into_iter().next().map(|document| ConfigDocument {
            path: "/var/lib/kubelet/config.yaml".to_owned(),
            root: document.root,
        }),
        config_given: true,
        ..Kubelet::with_command_line(words)
    };
    kubelet.flag_problems();
    let node = NodeModel {
        kubelet: Some(kubelet),
        ..NodeModel::default()
    };
    run_node(&node, registry(), &RuleOptions::default());
});
