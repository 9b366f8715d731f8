//! EncryptionConfiguration (`--encryption-provider-config`): which providers the API server
//! stores each resource with. The first provider of an entry encrypts every new write; the
//! others only decrypt what older configurations wrote. A resource is governed by the entry
//! naming it, else by the entry naming `*.<its group>`, else by `*.*`; a resource no entry
//! covers is stored as it is. The checks the API server makes before it starts with a file
//! are reproduced, so that a file it would refuse is reported, not judged.

use rampart_core::Diagnostic;
use rampart_source::{Node, Object, push_pointer};

use crate::reporter::Reporter;

/// A provider as the configuration names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    /// No encryption: writes go to etcd as they are.
    Identity,
    AesCbc,
    AesGcm,
    Secretbox,
    /// An external key management service, by the version of its API (`apiVersion`, `v1`
    /// when left out).
    Kms {
        v2: bool,
    },
}

impl ProviderKind {
    /// The provider's key in the configuration.
    pub fn key(self) -> &'static str {
        match self {
            ProviderKind::Identity => "identity",
            ProviderKind::AesCbc => "aescbc",
            ProviderKind::AesGcm => "aesgcm",
            ProviderKind::Secretbox => "secretbox",
            ProviderKind::Kms { .. } => "kms",
        }
    }
}

/// One provider of an entry.
#[derive(Debug, Clone)]
pub struct Provider {
    pub kind: ProviderKind,
    /// JSON pointer of the provider's key (`/resources/0/providers/0/identity`).
    pub pointer: String,
}

/// A `group/resource` an entry names, read as the API server parses it: `secrets` is
/// `secrets` of the core group, `*.` every core resource, `*.apps` every resource of `apps`,
/// `*.*` everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupResource {
    pub group: String,
    pub resource: String,
}

impl GroupResource {
    pub fn parse(text: &str) -> GroupResource {
        match text.split_once('.') {
            Some((resource, group)) => GroupResource {
                group: group.to_owned(),
                resource: resource.to_owned(),
            },
            None => GroupResource {
                group: String::new(),
                resource: text.to_owned(),
            },
        }
    }
}

/// One element of `resources`: what it covers and the providers, in order.
#[derive(Debug, Clone)]
pub struct ResourceEntry {
    /// JSON pointer of the entry (`/resources/0`).
    pub pointer: String,
    pub resources: Vec<GroupResource>,
    pub providers: Vec<Provider>,
}

/// A parsed EncryptionConfiguration.
#[derive(Debug, Clone, Default)]
pub struct EncryptionConfig {
    pub entries: Vec<ResourceEntry>,
}

impl EncryptionConfig {
    /// Reads `object`, with an error for each thing the API server would refuse it for.
    pub fn parse(object: &Object) -> (EncryptionConfig, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let mut problems = Reporter::new(object, &mut errors);
        let mut config = EncryptionConfig::default();
        match object.root.get("resources").filter(|node| !node.is_null()) {
            Some(node) => match node.as_seq() {
                Some(items) if !items.is_empty() => {
                    for (index, item) in items.iter().enumerate() {
                        let pointer = format!("/resources/{index}");
                        config
                            .entries
                            .push(read_entry(item, pointer, &mut problems));
                    }
                }
                Some(_) => problems.error("/resources", "at least one entry is required"),
                None => problems.error(
                    "/resources",
                    format!("must be a list, found {}", node.type_name()),
                ),
            },
            None => problems.error("/resources", "at least one entry is required"),
        }
        config.check_masking(&mut problems);
        (config, errors)
    }

    /// The entry whose providers store `resource` of `group`; `None`: it is stored as it is.
    pub fn entry_for(&self, group: &str, resource: &str) -> Option<&ResourceEntry> {
        let lists = |wanted: &GroupResource| {
            self.entries
                .iter()
                .find(|entry| entry.resources.contains(wanted))
        };
        lists(&GroupResource {
            group: group.to_owned(),
            resource: resource.to_owned(),
        })
        .or_else(|| {
            lists(&GroupResource {
                group: group.to_owned(),
                resource: "*".to_owned(),
            })
        })
        .or_else(|| lists(&GroupResource::parse("*.*")))
    }

    /// The API server refuses a resource listed after an entry that already covers it by
    /// `*.<group>` or `*.*`.
    fn check_masking(&self, problems: &mut Reporter<'_, '_>) {
        let mut seen: Vec<&GroupResource> = Vec::new();
        for entry in &self.entries {
            for (index, resource) in entry.resources.iter().enumerate() {
                let masked_by = seen.iter().find(|earlier| {
                    earlier.resource == "*"
                        && (earlier.group == "*" || earlier.group == resource.group)
                });
                if let Some(earlier) = masked_by {
                    problems.error(
                        &format!("{}/resources/{index}", entry.pointer),
                        format!(
                            "`{}` is masked by `*.{}` in an earlier entry; the API server refuses to start",
                            written(resource),
                            earlier.group
                        ),
                    );
                }
            }
            seen.extend(&entry.resources);
        }
    }
}

/// A group resource as the configuration writes it.
fn written(resource: &GroupResource) -> String {
    if resource.group.is_empty() && resource.resource != "*" {
        resource.resource.clone()
    } else {
        format!("{}.{}", resource.resource, resource.group)
    }
}

fn read_entry(item: &Node, pointer: String, problems: &mut Reporter<'_, '_>) -> ResourceEntry {
    let mut entry = ResourceEntry {
        pointer: pointer.clone(),
        resources: Vec::new(),
        providers: Vec::new(),
    };
    if item.as_map().is_none() {
        problems.error(
            &pointer,
            format!("must be an object, found {}", item.type_name()),
        );
        return entry;
    }
    let resources_pointer = format!("{pointer}/resources");
    let names = problems.strings(item.get("resources"), &resources_pointer);
    if required_list(item.get("resources")) {
        problems.error(&resources_pointer, "at least one resource is required");
    }
    for (index, name) in names.iter().enumerate() {
        let at = format!("{resources_pointer}/{index}");
        if let Err(why) = check_resource_name(name) {
            problems.error(&at, format!("`{name}`: {why}"));
        }
        let resource = GroupResource::parse(name);
        if entry.resources.contains(&resource) {
            problems.error(
                &at,
                format!("`{name}` names a resource this entry already lists"),
            );
        }
        entry.resources.push(resource);
    }
    check_overlap(&entry.resources, &resources_pointer, problems);

    let providers_pointer = format!("{pointer}/providers");
    let providers_node = item.get("providers");
    let providers = providers_node.and_then(Node::as_seq).unwrap_or(&[]);
    if required_list(providers_node) {
        problems.error(&providers_pointer, "at least one provider is required");
    } else if let Some(node) = providers_node.filter(|node| node.as_seq().is_none()) {
        problems.error(
            &providers_pointer,
            format!("must be a list, found {}", node.type_name()),
        );
    }
    for (index, provider) in providers.iter().enumerate() {
        let at = format!("{providers_pointer}/{index}");
        if let Some(provider) = read_provider(provider, &at, problems) {
            entry.providers.push(provider);
        }
    }
    entry
}

/// Whether a required list is missing or empty (a value of another type is reported as such).
fn required_list(node: Option<&Node>) -> bool {
    node.is_none_or(|node| node.is_null() || node.as_seq().is_some_and(<[Node]>::is_empty))
}

/// The names the API server refuses in `resources`.
fn check_resource_name(name: &str) -> Result<(), &'static str> {
    let resource = GroupResource::parse(name);
    if name.chars().any(|c| c.is_uppercase()) {
        Err("resource names are lowercase")
    } else if name == "*" {
        Err("write `*.` for every core resource or `*.*` for every resource")
    } else if matches!(
        name,
        "apiserveripinfo" | "serviceipallocations" | "servicenodeportallocations"
    ) {
        Err("not a REST resource; it cannot be encrypted")
    } else if resource.group == "events.k8s.io" {
        Err("events are stored under the `events` group of the core API; write `events`")
    } else if resource.group == "extensions" {
        Err("the `extensions` group was removed")
    } else if resource.group == "*" && resource.resource != "*" {
        Err("one resource across all groups cannot be encrypted")
    } else {
        Ok(())
    }
}

/// One entry may not list a resource together with a wildcard that covers it.
fn check_overlap(resources: &[GroupResource], pointer: &str, problems: &mut Reporter<'_, '_>) {
    let overlaps = resources.iter().enumerate().any(|(i, a)| {
        resources.iter().enumerate().any(|(j, b)| {
            i != j
                && a != b
                && ((a.group == "*" && a.resource == "*")
                    || (a.group == b.group && (a.resource == "*" || b.resource == "*")))
        })
    });
    if overlaps {
        problems.error(
            pointer,
            "lists a resource together with a wildcard that covers it; the API server refuses this",
        );
    }
}

const PROVIDER_KEYS: [&str; 5] = ["identity", "aescbc", "aesgcm", "secretbox", "kms"];

fn read_provider(node: &Node, pointer: &str, problems: &mut Reporter<'_, '_>) -> Option<Provider> {
    let Some(entries) = node.as_map() else {
        problems.error(
            pointer,
            format!("must be an object, found {}", node.type_name()),
        );
        return None;
    };
    let known: Vec<_> = entries
        .iter()
        .filter(|entry| PROVIDER_KEYS.contains(&&*entry.key))
        .collect();
    let [entry] = known.as_slice() else {
        if known.is_empty() {
            let keys: Vec<String> = entries.iter().map(|e| format!("`{}`", e.key)).collect();
            problems.error(
                pointer,
                format!(
                    "names no provider rampart or the API server knows ({}); expected one of kms, aescbc, aesgcm, secretbox, identity",
                    if keys.is_empty() {
                        "it is empty".to_owned()
                    } else {
                        format!("found {}", keys.join(", "))
                    }
                ),
            );
        } else {
            problems.error(
                pointer,
                "names more than one provider; each provider is its own list element",
            );
        }
        return None;
    };
    let at = push_pointer(pointer, &*entry.key);
    let body = &entry.value;
    let kind = match &*entry.key {
        "identity" => ProviderKind::Identity,
        "aescbc" => ProviderKind::AesCbc,
        "aesgcm" => ProviderKind::AesGcm,
        "secretbox" => ProviderKind::Secretbox,
        _ => ProviderKind::Kms {
            v2: read_kms(body, &at, problems),
        },
    };
    let key_sizes: &[usize] = match kind {
        ProviderKind::AesCbc | ProviderKind::AesGcm => &[16, 24, 32],
        ProviderKind::Secretbox => &[32],
        _ => &[],
    };
    if !key_sizes.is_empty() {
        check_keys(body, &at, key_sizes, problems);
    }
    Some(Provider { kind, pointer: at })
}

/// Checks a KMS provider's settings; returns whether it speaks KMS v2.
fn read_kms(body: &Node, pointer: &str, problems: &mut Reporter<'_, '_>) -> bool {
    let text = |key: &str| body.get(key).and_then(Node::as_str).unwrap_or("");
    let version = match text("apiVersion") {
        "" | "v1" => false,
        "v2" => true,
        other => {
            problems.error(
                &format!("{pointer}/apiVersion"),
                format!("`{other}`: KMS providers speak `v1` or `v2`"),
            );
            false
        }
    };
    if text("name").is_empty() {
        problems.error(&format!("{pointer}/name"), "a KMS provider needs a `name`");
    }
    let endpoint = text("endpoint");
    if !endpoint.starts_with("unix://") {
        problems.error(
            &format!("{pointer}/endpoint"),
            format!("`{endpoint}`: a KMS endpoint is a `unix://` socket"),
        );
    }
    version
}

/// Every key of an AES or secretbox provider needs a name and a base64 secret of a size the
/// cipher takes. Messages give sizes, never key material.
fn check_keys(body: &Node, pointer: &str, sizes: &[usize], problems: &mut Reporter<'_, '_>) {
    let keys_pointer = format!("{pointer}/keys");
    let keys = body.get("keys").and_then(Node::as_seq).unwrap_or(&[]);
    if keys.is_empty() {
        problems.error(&keys_pointer, "at least one key is required");
    }
    for (index, key) in keys.iter().enumerate() {
        let at = format!("{keys_pointer}/{index}");
        if key
            .get("name")
            .and_then(Node::as_str)
            .unwrap_or("")
            .is_empty()
        {
            problems.error(&format!("{at}/name"), "a key needs a `name`");
        }
        let secret = key.get("secret").and_then(Node::as_str).unwrap_or("");
        let secret_pointer = format!("{at}/secret");
        if secret.is_empty() {
            problems.error(&secret_pointer, "a key needs a `secret`");
            continue;
        }
        match decoded_len(secret) {
            None => problems.error(&secret_pointer, "the secret is not valid base64"),
            Some(len) if !sizes.contains(&len) => problems.error(
                &secret_pointer,
                format!("the secret decodes to {len} bytes; this provider takes {sizes:?}"),
            ),
            Some(_) => {}
        }
    }
}

/// The number of bytes standard, padded base64 decodes to (line breaks ignored, as Go's
/// decoder does), or `None` when it is not valid.
fn decoded_len(text: &str) -> Option<usize> {
    let chars: Vec<u8> = text
        .bytes()
        .filter(|byte| !matches!(byte, b'\r' | b'\n'))
        .collect();
    if !chars.len().is_multiple_of(4) {
        return None;
    }
    let padding = chars.iter().rev().take_while(|byte| **byte == b'=').count();
    let body = &chars[..chars.len() - padding];
    let valid = padding <= 2
        && body
            .iter()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/'));
    valid.then(|| chars.len() / 4 * 3 - padding)
}

#[cfg(test)]
mod tests {
    use rampart_source::{Limits, parse_text};

    use super::*;

    fn parse(body: &str) -> (EncryptionConfig, Vec<String>) {
        let text = format!(
            "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n{body}"
        );
        let (objects, errors) = parse_text("enc.yaml", &text, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        let (config, errors) = EncryptionConfig::parse(&objects[0]);
        let errors = errors
            .into_iter()
            .map(|e| format!("{}: {}", e.line.unwrap(), e.message))
            .collect();
        (config, errors)
    }

    const KEY32: &str = "c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/Pz8/Pz8=";

    #[test]
    fn picks_the_entry_as_the_api_server_does() {
        let (config, errors) = parse(&format!(
            "resources:\n- resources: [configmaps]\n  providers: [{{identity: {{}}}}]\n\
             - resources: ['*.']\n  providers: [{{secretbox: {{keys: [{{name: k, secret: {KEY32}}}]}}}}]\n\
             - resources: ['*.*']\n  providers: [{{aescbc: {{keys: [{{name: k, secret: {KEY32}}}]}}}}]\n"
        ));
        assert_eq!(errors, Vec::<String>::new());
        let first = |group, resource| {
            config
                .entry_for(group, resource)
                .map(|entry| entry.providers[0].kind)
        };
        assert_eq!(first("", "configmaps"), Some(ProviderKind::Identity));
        assert_eq!(first("", "secrets"), Some(ProviderKind::Secretbox));
        assert_eq!(first("apps", "deployments"), Some(ProviderKind::AesCbc));
        let (config, _) =
            parse("resources:\n- resources: [deployments.apps]\n  providers: [{identity: {}}]\n");
        assert!(config.entry_for("", "secrets").is_none());
    }

    #[test]
    fn refuses_what_the_api_server_refuses_without_showing_keys() {
        let (_, errors) = parse(
            "resources:\n- resources: ['*.', secrets, Secrets, '*']\n  providers:\n  - {aes: {}}\n  - {identity: {}, aescbc: {}}\n  - {aesgcm: {keys: [{name: k, secret: c2hvcnQ=}]}}\n  - {kms: {apiVersion: v3, endpoint: 'tcp://x'}}\n- resources: [configmaps]\n  providers: [{secretbox: {keys: [{name: k, secret: '!!!!'}]}}]\n",
        );
        let expected = [
            "4: EncryptionConfiguration `/resources/0/resources/2`: `Secrets`: resource names are lowercase",
            "4: EncryptionConfiguration `/resources/0/resources/3`: `*`: write `*.` for every core resource or `*.*` for every resource",
            "4: EncryptionConfiguration `/resources/0/resources/3`: `*` names a resource this entry already lists",
            "4: EncryptionConfiguration `/resources/0/resources`: lists a resource together with a wildcard that covers it; the API server refuses this",
            "6: EncryptionConfiguration `/resources/0/providers/0`: names no provider rampart or the API server knows (found `aes`); expected one of kms, aescbc, aesgcm, secretbox, identity",
            "7: EncryptionConfiguration `/resources/0/providers/1`: names more than one provider; each provider is its own list element",
            "8: EncryptionConfiguration `/resources/0/providers/2/aesgcm/keys/0/secret`: the secret decodes to 5 bytes; this provider takes [16, 24, 32]",
            "9: EncryptionConfiguration `/resources/0/providers/3/kms/apiVersion`: `v3`: KMS providers speak `v1` or `v2`",
            "9: EncryptionConfiguration `/resources/0/providers/3/kms/name`: a KMS provider needs a `name`",
            "9: EncryptionConfiguration `/resources/0/providers/3/kms/endpoint`: `tcp://x`: a KMS endpoint is a `unix://` socket",
            "11: EncryptionConfiguration `/resources/1/providers/0/secretbox/keys/0/secret`: the secret is not valid base64",
            "10: EncryptionConfiguration `/resources/1/resources/0`: `configmaps` is masked by `*.` in an earlier entry; the API server refuses to start",
        ];
        assert_eq!(errors, expected);
        assert!(errors.iter().all(|e| !e.contains("c2hvcnQ")));
    }

    #[test]
    fn wildcards_mask_later_entries_and_shapes_are_checked() {
        let (_, errors) = parse(
            "resources:\n- resources: ['*.*']\n  providers: [{identity: {}}]\n- resources: [secrets]\n  providers: [{identity: {}}]\n",
        );
        assert_eq!(
            errors,
            [
                "6: EncryptionConfiguration `/resources/1/resources/0`: `secrets` is masked by `*.*` in an earlier entry; the API server refuses to start"
            ]
        );
        let (_, errors) = parse("resources: {secrets: identity}\n");
        assert_eq!(
            errors,
            ["3: EncryptionConfiguration `/resources`: must be a list, found object"]
        );
        let (_, errors) = parse("kind2: x\n");
        assert_eq!(
            errors,
            ["1: EncryptionConfiguration `/resources`: at least one entry is required"]
        );
        let (_, errors) = parse("resources: [secrets]\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(decoded_len("YWJj\nZA=="), Some(4));
        assert_eq!(decoded_len("YWJjZA="), None);
    }
}
