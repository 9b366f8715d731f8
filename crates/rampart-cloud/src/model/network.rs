//! Firewall rules, however they are declared: an AWS security group's `ingress` blocks, its
//! separate `aws_security_group_rule` and `aws_vpc_security_group_ingress_rule` resources,
//! CloudFormation's `SecurityGroupIngress` (inline or a resource), network ACL entries, GCP
//! firewalls and Azure network security rules: each read as who may reach which ports.

use crate::resource::Resource;
use crate::value::Value;

/// One rule admitting traffic in.
#[derive(Debug, Clone, PartialEq)]
pub struct Ingress {
    /// Where the rule is written in its resource.
    pub pointer: String,
    /// `tcp`, `udp`, `icmp`, or `all`.
    pub protocol: String,
    /// The port range, inclusive; `None` when not known statically.
    pub ports: Option<(u32, u32)>,
    /// The source ranges (IPv4 and IPv6 CIDRs, Azure's `*`/`Internet`); unknown ones left out.
    pub sources: Vec<String>,
}

impl Ingress {
    /// Whether the rule admits every address (`0.0.0.0/0`, `::/0`, Azure's `*`, `Internet`,
    /// `Any`).
    pub fn from_anywhere(&self) -> bool {
        self.sources.iter().any(|source| is_anywhere(source))
    }

    /// Whether the rule admits TCP to `port`.
    pub fn opens(&self, port: u32) -> bool {
        matches!(self.protocol.as_str(), "tcp" | "all")
            && self
                .ports
                .is_some_and(|(from, to)| from <= port && port <= to)
    }

    /// Whether the rule admits every port of every protocol.
    pub fn opens_everything(&self) -> bool {
        self.protocol == "all" || self.ports == Some((0, 65535)) && self.protocol == "tcp"
    }
}

/// Whether an address range is the whole internet.
pub fn is_anywhere(source: &str) -> bool {
    matches!(
        source.trim(),
        "0.0.0.0/0" | "::/0" | "*" | "Internet" | "Any" | "any" | "0.0.0.0" | "::"
    )
}

/// The protocol as one name: `-1`, `all`, `*` are `all`; numbers of TCP and UDP by name.
fn protocol(value: Option<&Value>) -> String {
    let text = match value {
        Some(Value::Number(n)) => crate::value::format_number(*n),
        Some(Value::String(s)) => s.to_ascii_lowercase(),
        _ => return "all".to_owned(),
    };
    match text.as_str() {
        "-1" | "all" | "*" => "all".to_owned(),
        "6" => "tcp".to_owned(),
        "17" => "udp".to_owned(),
        "1" => "icmp".to_owned(),
        other => other.to_owned(),
    }
}

fn port(value: Option<&Value>) -> Option<u32> {
    value.and_then(Value::as_f64).map(|n| n.max(0.0) as u32)
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(text)) => vec![text.clone()],
        Some(Value::List(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// An AWS rule's ports: `from_port`/`to_port`, all of them for protocol `all` (AWS ignores
/// ports then).
fn aws_ports(rule: &Value, protocol: &str) -> Option<(u32, u32)> {
    if protocol == "all" {
        return Some((0, 65535));
    }
    let from = port(rule.get("from_port"))?;
    let to = port(rule.get("to_port"))?;
    // -1 (ICMP "all types") reads as 0 here; for TCP and UDP -1 is not valid.
    Some((from, to.max(from)))
}

fn aws_rule(rule: &Value, pointer: String) -> Ingress {
    let protocol = protocol(rule.get("protocol").or_else(|| rule.get("ip_protocol")));
    let mut sources = strings(rule.get("cidr_blocks"));
    sources.extend(strings(rule.get("ipv6_cidr_blocks")));
    for key in ["cidr_ipv4", "cidr_ipv6", "cidr_ip"] {
        sources.extend(strings(rule.get(key)));
    }
    Ingress {
        ports: aws_ports(rule, &protocol),
        protocol,
        pointer,
        sources,
    }
}

/// The ingress rules a resource declares.
pub fn ingress_rules(resource: &Resource) -> Vec<Ingress> {
    let values = &resource.values;
    match resource.kind.as_str() {
        "aws_security_group" => {
            let mut rules = Vec::new();
            for (key, shown) in [
                ("ingress", "ingress"),
                ("security_group_ingress", "security_group_ingress"),
            ] {
                for (index, rule) in values
                    .get(key)
                    .map(Value::items)
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                {
                    rules.push(aws_rule(rule, format!("/{shown}/{index}")));
                }
            }
            rules
        }
        "aws_security_group_rule" if resource.str("type") == Some("ingress") => {
            vec![aws_rule(values, String::new())]
        }
        "aws_vpc_security_group_ingress_rule" => vec![aws_rule(values, String::new())],
        "aws_network_acl_rule" => {
            let egress = values
                .get("egress")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let allow = values
                .get("rule_action")
                .and_then(Value::as_str)
                .is_some_and(|a| a.eq_ignore_ascii_case("allow"));
            if egress || !allow {
                return Vec::new();
            }
            let mut rule = aws_rule(values, String::new());
            rule.sources.extend(strings(values.get("ipv6_cidr_block")));
            rule.sources.extend(strings(values.get("cidr_block")));
            if let Some(range) = values.get("port_range") {
                rule.ports = port(range.get("from")).zip(port(range.get("to")));
            }
            vec![rule]
        }
        "aws_network_acl" => values
            .get("ingress")
            .map(Value::items)
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .filter(|(_, rule)| {
                rule.get("action")
                    .and_then(Value::as_str)
                    .is_some_and(|a| a.eq_ignore_ascii_case("allow"))
            })
            .map(|(index, rule)| {
                let mut ingress = aws_rule(rule, format!("/ingress/{index}"));
                ingress.sources.extend(strings(rule.get("cidr_block")));
                ingress.sources.extend(strings(rule.get("ipv6_cidr_block")));
                ingress
            })
            .collect(),
        "google_compute_firewall" => {
            let direction = resource.str("direction").unwrap_or("INGRESS");
            if direction != "INGRESS" {
                return Vec::new();
            }
            let sources = strings(values.get("source_ranges"));
            let mut rules = Vec::new();
            for (index, allow) in values
                .get("allow")
                .map(Value::items)
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                let protocol = protocol(allow.get("protocol"));
                let ports = strings(allow.get("ports"));
                let pointer = format!("/allow/{index}");
                if ports.is_empty() {
                    rules.push(Ingress {
                        pointer,
                        protocol,
                        ports: Some((0, 65535)),
                        sources: sources.clone(),
                    });
                    continue;
                }
                for range in ports {
                    rules.push(Ingress {
                        pointer: pointer.clone(),
                        protocol: protocol.clone(),
                        ports: parse_range(&range),
                        sources: sources.clone(),
                    });
                }
            }
            rules
        }
        "azurerm_network_security_rule" => azure_rule(values, String::new()),
        "azurerm_network_security_group" => values
            .get("security_rule")
            .map(Value::items)
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .flat_map(|(index, rule)| azure_rule(rule, format!("/security_rule/{index}")))
            .collect(),
        _ => Vec::new(),
    }
}

/// `22`, `1000-2000`, `*` as a range.
fn parse_range(text: &str) -> Option<(u32, u32)> {
    let text = text.trim();
    if text == "*" {
        return Some((0, 65535));
    }
    match text.split_once('-') {
        Some((from, to)) => Some((from.trim().parse().ok()?, to.trim().parse().ok()?)),
        None => text.parse().ok().map(|port| (port, port)),
    }
}

/// An Azure rule, one per destination port range.
fn azure_rule(rule: &Value, pointer: String) -> Vec<Ingress> {
    let text = |key: &str| rule.get(key).and_then(Value::as_str).unwrap_or("");
    if !text("direction").eq_ignore_ascii_case("inbound")
        || !text("access").eq_ignore_ascii_case("allow")
    {
        return Vec::new();
    }
    let mut sources = strings(rule.get("source_address_prefix"));
    sources.extend(strings(rule.get("source_address_prefixes")));
    let mut ranges = strings(rule.get("destination_port_range"));
    ranges.extend(strings(rule.get("destination_port_ranges")));
    let protocol = protocol(rule.get("protocol"));
    ranges
        .iter()
        .map(|range| Ingress {
            pointer: pointer.clone(),
            protocol: protocol.clone(),
            ports: parse_range(range),
            sources: sources.clone(),
        })
        .collect()
}
