//! Taints and tolerations, as the scheduler's `TaintToleration` filter applies them.

use rampart_source::{Node, push_pointer};

/// A taint's effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute,
}

impl Effect {
    pub fn parse(text: &str) -> Option<Effect> {
        match text {
            "NoSchedule" => Some(Effect::NoSchedule),
            "PreferNoSchedule" => Some(Effect::PreferNoSchedule),
            "NoExecute" => Some(Effect::NoExecute),
            _ => None,
        }
    }
}

/// A taint on a node.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: Effect,
}

/// A pod's toleration. An empty key with `Exists` tolerates every taint; no effect tolerates
/// every effect.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Toleration {
    pub key: String,
    /// `true` for `Exists`, `false` for `Equal` (the default).
    pub exists: bool,
    pub value: String,
    pub effect: Option<Effect>,
}

impl Toleration {
    /// `core/v1` `Toleration.ToleratesTaint`.
    pub fn tolerates(&self, taint: &Taint) -> bool {
        if self.effect.is_some_and(|effect| effect != taint.effect) {
            return false;
        }
        if !self.key.is_empty() && self.key != taint.key {
            return false;
        }
        self.exists || self.value == taint.value
    }

    /// A toleration the control plane adds to pods by itself.
    fn implied(key: &str, effect: Effect) -> Toleration {
        Toleration {
            key: key.to_owned(),
            exists: true,
            value: String::new(),
            effect: Some(effect),
        }
    }

    /// The tolerations pods get without asking: the `DefaultTolerationSeconds` admission plugin
    /// gives every pod the not-ready and unreachable `NoExecute` ones, and the DaemonSet
    /// controller gives its pods those of node conditions and cordoned nodes (and of an
    /// unavailable network to host-network pods).
    pub fn implied_for(daemon_set: bool, host_network: bool) -> Vec<Toleration> {
        let mut implied = vec![
            Toleration::implied("node.kubernetes.io/not-ready", Effect::NoExecute),
            Toleration::implied("node.kubernetes.io/unreachable", Effect::NoExecute),
        ];
        if daemon_set {
            for key in [
                "node.kubernetes.io/disk-pressure",
                "node.kubernetes.io/memory-pressure",
                "node.kubernetes.io/pid-pressure",
                "node.kubernetes.io/unschedulable",
            ] {
                implied.push(Toleration::implied(key, Effect::NoSchedule));
            }
            if host_network {
                implied.push(Toleration::implied(
                    "node.kubernetes.io/network-unavailable",
                    Effect::NoSchedule,
                ));
            }
        }
        implied
    }

    /// Parses one item of a pod's `tolerations` at `pointer`, with the API server's validation.
    pub fn parse(item: &Node, pointer: &str) -> Result<Toleration, (String, String)> {
        let text = |key: &str| -> Result<String, (String, String)> {
            match item.get(key).filter(|n| !n.is_null()) {
                None => Ok(String::new()),
                Some(node) => node.as_str().map(str::to_owned).ok_or_else(|| {
                    (
                        push_pointer(pointer, key),
                        format!("must be a string, found {}", node.type_name()),
                    )
                }),
            }
        };
        let key = text("key")?;
        let value = text("value")?;
        let exists = match text("operator")?.as_str() {
            "" | "Equal" => false,
            "Exists" => true,
            other => {
                return Err((
                    push_pointer(pointer, "operator"),
                    format!("unknown toleration operator `{other}` (Equal, Exists)"),
                ));
            }
        };
        if exists && !value.is_empty() {
            return Err((
                push_pointer(pointer, "value"),
                "a toleration with operator Exists takes no value".to_owned(),
            ));
        }
        if key.is_empty() && !exists {
            return Err((
                push_pointer(pointer, "operator"),
                "a toleration without a key must use operator Exists".to_owned(),
            ));
        }
        let effect = match text("effect")?.as_str() {
            "" => None,
            name => Some(Effect::parse(name).ok_or_else(|| {
                (
                    push_pointer(pointer, "effect"),
                    format!(
                        "unknown taint effect `{name}` (NoSchedule, PreferNoSchedule, NoExecute)"
                    ),
                )
            })?),
        };
        Ok(Toleration {
            key,
            exists,
            value,
            effect,
        })
    }
}

/// Parses one item of a node's `spec.taints` at `pointer`.
pub fn parse_taint(item: &Node, pointer: &str) -> Result<Taint, (String, String)> {
    let key = item
        .get("key")
        .and_then(Node::as_str)
        .filter(|k| !k.is_empty());
    let Some(key) = key else {
        return Err((
            push_pointer(pointer, "key"),
            "a taint needs a `key`".to_owned(),
        ));
    };
    let value = item.get("value").and_then(Node::as_str).unwrap_or("");
    let effect = item.get("effect").and_then(Node::as_str).unwrap_or("");
    let Some(effect) = Effect::parse(effect) else {
        return Err((
            push_pointer(pointer, "effect"),
            format!(
                "a taint's effect is NoSchedule, PreferNoSchedule or NoExecute, found `{effect}`"
            ),
        ));
    };
    Ok(Taint {
        key: key.to_owned(),
        value: value.to_owned(),
        effect,
    })
}
