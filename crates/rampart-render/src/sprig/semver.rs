//! `semver` and `semverCompare` as Masterminds/semver v3 defines them: a leading `v`,
//! missing minor and patch, wildcards, `~` and `^`, ranges with `-`, `,` (and) and `||`
//! (or), and prereleases that only a constraint with a prerelease admits (hence charts'
//! `>=1.19-0`).

use std::cmp::Ordering;
use std::sync::Arc;

use super::add;
use crate::gotmpl::{FuncMap, Ty};
use crate::value::{Object, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub metadata: String,
    pub original: String,
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

impl Version {
    pub fn parse(text: &str) -> Option<Version> {
        let body = text.strip_prefix('v').unwrap_or(text);
        let (body, metadata) = match body.split_once('+') {
            Some((b, m)) if is_ident(m) => (b, m.to_string()),
            Some(_) => return None,
            None => (body, String::new()),
        };
        let (core, pre) = match body.split_once('-') {
            Some((c, p)) if is_ident(p) => (c, p.to_string()),
            Some(_) => return None,
            None => (body, String::new()),
        };
        let mut nums = [0u64; 3];
        let parts: Vec<&str> = core.split('.').collect();
        if parts.is_empty() || parts.len() > 3 {
            return None;
        }
        for (i, p) in parts.iter().enumerate() {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            nums[i] = p.parse().ok()?;
        }
        Some(Version {
            major: nums[0],
            minor: nums[1],
            patch: nums[2],
            pre,
            metadata,
            original: text.to_string(),
        })
    }

    fn compare(&self, other: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| compare_pre(&self.pre, &other.pre))
    }

    pub fn string(&self) -> String {
        let mut s = format!("{}.{}.{}", self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre);
        }
        if !self.metadata.is_empty() {
            s.push('+');
            s.push_str(&self.metadata);
        }
        s
    }
}

fn compare_pre(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let (pa, pb): (Vec<&str>, Vec<&str>) = (a.split('.').collect(), b.split('.').collect());
    for (x, y) in pa.iter().zip(&pb) {
        let ord = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(m), Ok(n)) => m.cmp(&n),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            _ => x.cmp(y),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    pa.len().cmp(&pb.len())
}

struct Constraint {
    op: String,
    version: Version,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

fn is_wild(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

fn parse_constraint(text: &str) -> Option<Constraint> {
    let text = text.trim();
    let op_len = text
        .find(|c: char| c.is_ascii_alphanumeric() || c == '*')
        .unwrap_or(text.len());
    let op = text[..op_len].trim().to_string();
    if !matches!(
        op.as_str(),
        "" | "=" | "!=" | ">" | "<" | ">=" | "=>" | "<=" | "=<" | "~" | "~>" | "^"
    ) {
        return None;
    }
    let ver = text[op_len..].trim();
    let ver = ver.strip_prefix('v').unwrap_or(ver);
    let (core, tail) = match ver.find(['-', '+']) {
        Some(i) => (&ver[..i], &ver[i..]),
        None => (ver, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() > 3 {
        return None;
    }
    let mut minor_dirty = false;
    let mut patch_dirty = false;
    let mut dirty = false;
    let mut nums: Vec<String> = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        if is_wild(p) {
            dirty = true;
            if i < 2 {
                minor_dirty = true;
            }
            patch_dirty = true;
            nums.push("0".into());
        } else {
            nums.push((*p).to_string());
        }
    }
    if parts.len() < 2 {
        minor_dirty = true;
        patch_dirty = true;
        dirty = true;
    } else if parts.len() < 3 {
        patch_dirty = true;
        dirty = true;
    }
    while nums.len() < 3 {
        nums.push("0".into());
    }
    let version = Version::parse(&format!("{}{tail}", nums.join(".")))?;
    Some(Constraint {
        op,
        version,
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

impl Constraint {
    fn check(&self, v: &Version) -> bool {
        let c = &self.version;
        if !v.pre.is_empty() && c.pre.is_empty() {
            return false;
        }
        match self.op.as_str() {
            "" | "=" => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    v.compare(c) == Ordering::Equal
                }
            }
            "!=" => {
                if self.dirty {
                    !self.tilde(v)
                } else {
                    v.compare(c) != Ordering::Equal
                }
            }
            ">" => {
                if !self.dirty {
                    return v.compare(c) == Ordering::Greater;
                }
                if v.major != c.major {
                    return v.major > c.major;
                }
                if self.minor_dirty {
                    return false;
                }
                if self.patch_dirty {
                    return v.minor > c.minor;
                }
                v.compare(c) == Ordering::Greater
            }
            "<" => v.compare(c) == Ordering::Less,
            ">=" | "=>" => v.compare(c) != Ordering::Less,
            "<=" | "=<" => {
                if !self.dirty {
                    return v.compare(c) != Ordering::Greater;
                }
                if v.major != c.major {
                    return v.major < c.major;
                }
                if self.minor_dirty {
                    return true;
                }
                if self.patch_dirty {
                    return v.minor <= c.minor;
                }
                v.compare(c) != Ordering::Greater
            }
            "~" | "~>" => self.tilde(v),
            "^" => {
                if v.compare(c) == Ordering::Less {
                    return false;
                }
                if c.major > 0 || self.minor_dirty {
                    v.major == c.major
                } else if c.minor > 0 || self.patch_dirty {
                    v.major == 0 && v.minor == c.minor
                } else {
                    v.major == 0 && v.minor == 0 && v.patch == c.patch
                }
            }
            _ => false,
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.version;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return v.major == c.major;
        }
        if v.major != c.major {
            return false;
        }
        if v.minor != c.minor && !self.minor_dirty {
            return false;
        }
        true
    }
}

/// Whether `version` satisfies `constraints`, or Masterminds' error.
pub fn satisfies(constraints: &str, version: &str) -> Result<bool, String> {
    let mut groups: Vec<Vec<Constraint>> = Vec::new();
    for group in constraints.split("||") {
        let mut list = Vec::new();
        // `1.2 - 1.4` is `>= 1.2, <= 1.4`.
        let expanded = expand_hyphens(group);
        for part in expanded.split([',', ' ']).filter(|p| !p.trim().is_empty()) {
            let c = parse_constraint(part)
                .ok_or_else(|| format!("improper constraint: {}", constraints))?;
            list.push(c);
        }
        if list.is_empty() {
            return Err(format!("improper constraint: {constraints}"));
        }
        groups.push(list);
    }
    let v = Version::parse(version).ok_or_else(|| "Invalid Semantic Version".to_string())?;
    Ok(groups.iter().any(|g| g.iter().all(|c| c.check(&v))))
}

fn expand_hyphens(group: &str) -> String {
    match group.split_once(" - ") {
        Some((a, b)) => format!(">={},<={}", a.trim(), b.trim()),
        None => {
            // Operators may be separated from their version by spaces: join them back.
            let mut out = String::new();
            let mut pending_op = false;
            for tok in group.split_whitespace() {
                if pending_op {
                    out.push_str(tok);
                } else {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(tok);
                }
                pending_op = tok.chars().all(|c| "=<>!~^".contains(c));
            }
            out
        }
    }
}

struct SemverObject(Version);

impl Object for SemverObject {
    fn type_name(&self) -> String {
        "*semver.Version".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        None.or(match name {
            "Major" => Some(Value::Int64(self.0.major as i64)),
            "Minor" => Some(Value::Int64(self.0.minor as i64)),
            "Patch" => Some(Value::Int64(self.0.patch as i64)),
            "Prerelease" => Some(Value::from(self.0.pre.as_str())),
            "Metadata" => Some(Value::from(self.0.metadata.as_str())),
            "Original" => Some(Value::from(self.0.original.as_str())),
            _ => None,
        })
    }
    fn method(&self, name: &str) -> Option<&'static [Ty]> {
        match name {
            "Major" | "Minor" | "Patch" | "Prerelease" | "Metadata" | "Original" | "String" => {
                Some(&[])
            }
            _ => None,
        }
    }
    fn call(&self, name: &str, _args: Vec<Value>) -> Result<Value, String> {
        match name {
            "String" => Ok(self.0.string().into()),
            other => self
                .field(other)
                .ok_or_else(|| format!("no method {other}")),
        }
    }
    fn display(&self) -> String {
        self.0.string()
    }
    fn is_stringer(&self) -> bool {
        true
    }
}

pub fn register(m: &mut FuncMap) {
    add(m, "semverCompare", &[Ty::Str, Ty::Str], None, |_, a| {
        satisfies(
            a[0].as_str().unwrap_or_default(),
            a[1].as_str().unwrap_or_default(),
        )
        .map(Value::Bool)
    });
    add(m, "semver", &[Ty::Str], None, |_, a| {
        let v =
            Version::parse(a[0].as_str().unwrap_or_default()).ok_or("Invalid Semantic Version")?;
        Ok(Value::Object(Arc::new(SemverObject(v))))
    });
}

#[cfg(test)]
mod tests {
    use super::satisfies;

    #[test]
    fn constraints_as_charts_use_them() {
        assert_eq!(satisfies(">=1.19-0", "v1.32.0"), Ok(true));
        assert_eq!(satisfies(">=1.19-0", "v1.20.3-gke.100"), Ok(true));
        assert_eq!(satisfies(">=1.19", "v1.20.3-gke.100"), Ok(false));
        assert_eq!(satisfies("<1.19-0", "v1.32.0"), Ok(false));
        assert_eq!(satisfies(">= 1.14-0, < 1.22-0", "1.20.0"), Ok(true));
        assert_eq!(satisfies("^1.2.3", "1.9.0"), Ok(true));
        assert_eq!(satisfies("~1.2.3", "1.3.0"), Ok(false));
        assert_eq!(satisfies("1.2.x", "1.2.9"), Ok(true));
        assert_eq!(satisfies("<1.0 || >=2.0", "2.1.0"), Ok(true));
        assert!(satisfies(">=1.19", "banana").is_err());
    }
}
