//! Connections as sets of (protocol, port): one interval set of ports per protocol.

use std::fmt;

use super::intervals::IntervalSet;

pub const MIN_PORT: u64 = 1;
pub const MAX_PORT: u64 = 65535;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    pub const ALL: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::Sctp];

    /// The protocol as the API spells it; `None` for anything else.
    pub fn parse(text: &str) -> Option<Protocol> {
        match text {
            "TCP" => Some(Protocol::Tcp),
            "UDP" => Some(Protocol::Udp),
            "SCTP" => Some(Protocol::Sctp),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The protocols and ports a connection may use.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnectionSet {
    ports: [IntervalSet; 3],
}

impl ConnectionSet {
    pub fn none() -> ConnectionSet {
        ConnectionSet::default()
    }

    pub fn all() -> ConnectionSet {
        let every_port = IntervalSet::range(MIN_PORT, MAX_PORT);
        ConnectionSet {
            ports: [every_port.clone(), every_port.clone(), every_port],
        }
    }

    /// Ports `start..=end` of one protocol.
    pub fn ports(protocol: Protocol, start: u64, end: u64) -> ConnectionSet {
        let mut set = ConnectionSet::none();
        set.ports[protocol.index()] = IntervalSet::range(start.max(MIN_PORT), end.min(MAX_PORT));
        set
    }

    pub fn of_protocol(&self, protocol: Protocol) -> &IntervalSet {
        &self.ports[protocol.index()]
    }

    pub fn is_empty(&self) -> bool {
        self.ports.iter().all(IntervalSet::is_empty)
    }

    pub fn is_all(&self) -> bool {
        *self == ConnectionSet::all()
    }

    fn combine(
        &self,
        other: &ConnectionSet,
        op: fn(&IntervalSet, &IntervalSet) -> IntervalSet,
    ) -> ConnectionSet {
        ConnectionSet {
            ports: std::array::from_fn(|i| op(&self.ports[i], &other.ports[i])),
        }
    }

    pub fn union(&self, other: &ConnectionSet) -> ConnectionSet {
        self.combine(other, IntervalSet::union)
    }

    pub fn intersection(&self, other: &ConnectionSet) -> ConnectionSet {
        self.combine(other, IntervalSet::intersection)
    }

    pub fn difference(&self, other: &ConnectionSet) -> ConnectionSet {
        self.combine(other, IntervalSet::difference)
    }
}

/// np-guard's notation: `All Connections`, `No Connections`, or each protocol with its ports,
/// protocols in alphabetical order: `SCTP 1-65535,TCP 80,8080-8090,UDP 53`.
impl fmt::Display for ConnectionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all() {
            return f.write_str("All Connections");
        }
        if self.is_empty() {
            return f.write_str("No Connections");
        }
        let mut parts = Vec::new();
        for protocol in [Protocol::Sctp, Protocol::Tcp, Protocol::Udp] {
            let ranges = self.of_protocol(protocol).ranges();
            if ranges.is_empty() {
                continue;
            }
            let ports: Vec<String> = ranges
                .iter()
                .map(|&(start, end)| {
                    if start == end {
                        start.to_string()
                    } else {
                        format!("{start}-{end}")
                    }
                })
                .collect();
            parts.push(format!("{} {}", protocol.name(), ports.join(",")));
        }
        f.write_str(&parts.join(","))
    }
}

impl fmt::Debug for ConnectionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The ports a policy rule names: a number or range, or a container port's name that each
/// destination pod resolves for itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortSpec {
    Range {
        protocol: Protocol,
        start: u64,
        end: u64,
    },
    /// Every port of a protocol (a rule port without `port`).
    AllOf(Protocol),
    Named {
        protocol: Option<Protocol>,
        name: String,
    },
}

/// One named port a pod's containers declare.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NamedPort {
    pub name: String,
    pub protocol: Protocol,
    pub port: u64,
}

impl PortSpec {
    /// What this spec allows towards a destination with `named_ports`; a named port matches
    /// nothing on a destination without it (an IP range has none).
    pub fn resolve(&self, named_ports: &[NamedPort]) -> ConnectionSet {
        match self {
            PortSpec::Range {
                protocol,
                start,
                end,
            } => ConnectionSet::ports(*protocol, *start, *end),
            PortSpec::AllOf(protocol) => ConnectionSet::ports(*protocol, MIN_PORT, MAX_PORT),
            PortSpec::Named { protocol, name } => named_ports
                .iter()
                .filter(|p| p.name == *name && protocol.is_none_or(|wanted| wanted == p.protocol))
                .fold(ConnectionSet::none(), |set, p| {
                    set.union(&ConnectionSet::ports(p.protocol, p.port, p.port))
                }),
        }
    }
}

/// The union of what `specs` allow towards a destination; an empty list allows everything.
pub fn resolve_ports(specs: &[PortSpec], named_ports: &[NamedPort]) -> ConnectionSet {
    if specs.is_empty() {
        return ConnectionSet::all();
    }
    specs.iter().fold(ConnectionSet::none(), |set, spec| {
        set.union(&spec.resolve(named_ports))
    })
}
