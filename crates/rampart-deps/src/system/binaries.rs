//! Packages compiled into executables: Go's build information (the `\xff Go buildinf:` blob
//! the linker writes since Go 1.18, with the toolchain version and the module list `go version
//! -m` prints) and Rust's `cargo auditable` dependency list (a zlib-compressed JSON document in
//! an ELF section named `.dep-v0`).

use std::io::Read;

use flate2::read::ZlibDecoder;
use serde::Deserialize;

use crate::Ecosystem;

/// A package named by a binary: ecosystem, name, version.
pub(crate) type Compiled = (Ecosystem, String, String);

const GO_MAGIC: &[u8] = b"\xff Go buildinf:";
/// Go 1.18 and later write the version and module strings inline after the 32-byte header.
const GO_INLINE_STRINGS: u8 = 0x2;
/// The largest dependency list read from a Rust binary once decompressed.
const MAX_AUDIT_BYTES: u64 = 8 * 1024 * 1024;

/// The packages a binary names, if it is a Go or an audited Rust executable.
pub(crate) fn compiled(binary: &[u8]) -> Result<Vec<Compiled>, String> {
    if !binary.starts_with(b"\x7fELF") {
        return Ok(Vec::new());
    }
    if let Some(at) = find(binary, GO_MAGIC) {
        return go_modules(&binary[at..]);
    }
    match elf_section(binary, ".dep-v0")? {
        Some(section) => rust_crates(section),
        None => Ok(Vec::new()),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let mut start = 0;
    while let Some(offset) = haystack.get(start..)?.iter().position(|&b| b == needle[0]) {
        let at = start + offset;
        if haystack[at..].starts_with(needle) {
            return Some(at);
        }
        start = at + 1;
    }
    None
}

fn go_modules(blob: &[u8]) -> Result<Vec<Compiled>, String> {
    let flags = *blob
        .get(15)
        .ok_or("a truncated Go build information header")?;
    if flags & GO_INLINE_STRINGS == 0 {
        // Go before 1.18 points into the data segment instead: not read.
        return Ok(Vec::new());
    }
    let rest = blob
        .get(32..)
        .ok_or("a truncated Go build information header")?;
    let (version, rest) = go_string(rest)?;
    let (modules, _) = go_string(rest)?;
    let mut packages = Vec::new();
    let version = String::from_utf8_lossy(version);
    if let Some(release) = version.strip_prefix("go") {
        // `go1.22.3`; releases before 1.21 were `go1.20` for 1.20.0.
        let release = release.split([' ', '-']).next().unwrap_or(release);
        let release = if release.matches('.').count() == 1 {
            format!("{release}.0")
        } else {
            release.to_owned()
        };
        packages.push((Ecosystem::Go, "stdlib".to_owned(), format!("v{release}")));
    }
    // The module list sits between two 16-byte sentinels.
    let modules = if modules.len() >= 33 && modules[modules.len() - 17] == b'\n' {
        &modules[16..modules.len() - 16]
    } else {
        modules
    };
    for line in String::from_utf8_lossy(modules).lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["mod" | "dep", path, version, ..] if *version != "(devel)" => {
                packages.push((Ecosystem::Go, (*path).to_owned(), (*version).to_owned()));
            }
            // `=>` replaces the module on the line before.
            ["=>", path, version, ..] => {
                if let Some(last) = packages.last_mut() {
                    *last = (Ecosystem::Go, (*path).to_owned(), (*version).to_owned());
                }
            }
            _ => {}
        }
    }
    Ok(packages)
}

/// A string written as its length (an unsigned LEB128 varint) and its bytes.
fn go_string(bytes: &[u8]) -> Result<(&[u8], &[u8]), String> {
    let mut length: u64 = 0;
    for (index, byte) in bytes.iter().take(10).enumerate() {
        length |= u64::from(byte & 0x7f) << (7 * index);
        if byte & 0x80 == 0 {
            let start = index + 1;
            let end = usize::try_from(length)
                .ok()
                .and_then(|length| start.checked_add(length))
                .filter(|end| *end <= bytes.len())
                .ok_or("a Go build information string runs past the file")?;
            return Ok((&bytes[start..end], &bytes[end..]));
        }
    }
    Err("a truncated Go build information string".to_owned())
}

/// The bytes of a named section of a 64-bit little-endian ELF file.
fn elf_section<'a>(elf: &'a [u8], wanted: &str) -> Result<Option<&'a [u8]>, String> {
    // EI_CLASS 2 (64-bit), EI_DATA 1 (little-endian): other layouts are not read.
    if elf.get(4) != Some(&2) || elf.get(5) != Some(&1) {
        return Ok(None);
    }
    let u16_at = |at: usize| {
        elf.get(at..at + 2)
            .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |at: usize| {
        elf.get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let u64_at = |at: usize| {
        elf.get(at..at + 8)
            .and_then(|b| usize::try_from(u64::from_le_bytes(b.try_into().ok()?)).ok())
    };
    let truncated = || "a truncated ELF header".to_owned();
    let table = u64_at(0x28).ok_or_else(truncated)?;
    let entry_size = u16_at(0x3a).ok_or_else(truncated)?;
    let count = u16_at(0x3c).ok_or_else(truncated)?;
    let names_index = u16_at(0x3e).ok_or_else(truncated)?;
    if entry_size < 64 {
        return Ok(None);
    }
    let section = |index: usize| -> Option<(usize, &'a [u8])> {
        let at = table.checked_add(index.checked_mul(entry_size)?)?;
        let name = u32_at(at)?;
        let offset = u64_at(at + 0x18)?;
        let size = u64_at(at + 0x20)?;
        Some((name, elf.get(offset..offset.checked_add(size)?)?))
    };
    let Some((_, names)) = section(names_index) else {
        return Ok(None);
    };
    for index in 0..count {
        let Some((name, bytes)) = section(index) else {
            continue;
        };
        let name = names.get(name..).unwrap_or_default();
        let name = &name[..name.iter().position(|&b| b == 0).unwrap_or(name.len())];
        if name == wanted.as_bytes() {
            return Ok(Some(bytes));
        }
    }
    Ok(None)
}

#[derive(Deserialize)]
struct Audit {
    packages: Vec<AuditedCrate>,
}

#[derive(Deserialize)]
struct AuditedCrate {
    name: String,
    version: String,
    source: String,
    #[serde(default)]
    kind: Option<String>,
}

fn rust_crates(section: &[u8]) -> Result<Vec<Compiled>, String> {
    let mut json = Vec::new();
    ZlibDecoder::new(section)
        .take(MAX_AUDIT_BYTES)
        .read_to_end(&mut json)
        .map_err(|error| format!("the .dep-v0 section does not decompress: {error}"))?;
    let audit: Audit = serde_json::from_slice(&json)
        .map_err(|error| format!("the .dep-v0 section is not a dependency list: {error}"))?;
    Ok(audit
        .packages
        .into_iter()
        // Build-time dependencies are not in the binary; local crates are its own code.
        .filter(|c| c.source == "crates.io" && c.kind.as_deref() != Some("build"))
        .map(|c| (Ecosystem::CratesIo, c.name, c.version))
        .collect())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::ZlibEncoder;

    use super::*;

    /// An ELF file's first bytes, then Go's build information as the Go 1.22 linker lays it
    /// out (the strings `go version -m` prints for a real binary).
    fn go_binary(version: &str, modules: &str) -> Vec<u8> {
        let mut bytes = b"\x7fELF\x02\x01\x01".to_vec();
        bytes.resize(64, 0);
        bytes.extend(GO_MAGIC);
        bytes.extend([8, GO_INLINE_STRINGS]);
        bytes.resize(64 + 32, 0);
        let sentinel = [0x30u8; 16];
        let mut info = sentinel.to_vec();
        info.extend(modules.as_bytes());
        info.extend(sentinel);
        for string in [version.as_bytes(), &info] {
            bytes.push(string.len() as u8 | 0x80);
            bytes.push((string.len() >> 7) as u8);
            bytes.extend(string);
        }
        bytes
    }

    #[test]
    fn go_build_information() {
        let modules = "path\tgithub.com/acme/api\n\
                       mod\tgithub.com/acme/api\t(devel)\t\n\
                       dep\tgithub.com/gorilla/mux\tv1.8.1\th1:TuBL49tXwgrFYWhqrNgrUNEY92u81SPhu7sTdzQEiWY=\n\
                       dep\tgolang.org/x/net\tv0.17.0\th1:x=\n\
                       =>\tgolang.org/x/net\tv0.23.0\th1:y=\n\
                       build\t-compiler=gc\n";
        let found = compiled(&go_binary("go1.22.3", modules)).unwrap();
        let names: Vec<(&str, &str)> = found
            .iter()
            .map(|(_, n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("stdlib", "v1.22.3"),
                ("github.com/gorilla/mux", "v1.8.1"),
                ("golang.org/x/net", "v0.23.0"),
            ]
        );
        let old = compiled(&go_binary("go1.20", "")).unwrap();
        assert_eq!(old[0].2, "v1.20.0");
        let mut truncated = go_binary("go1.22.3", modules);
        truncated.truncate(200);
        assert!(compiled(&truncated).is_err());
        assert_eq!(compiled(b"#!/bin/sh\n").unwrap(), []);
    }

    /// A minimal 64-bit ELF file with a `.dep-v0` section holding `json` compressed.
    fn audited_binary(json: &str) -> Vec<u8> {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(json.as_bytes()).unwrap();
        let section = encoder.finish().unwrap();
        let names = b"\0.shstrtab\0.dep-v0\0";
        let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
        elf.resize(64, 0);
        let names_at = elf.len();
        elf.extend(names);
        let section_at = elf.len();
        elf.extend(&section);
        let table = elf.len();
        elf[0x28..0x30].copy_from_slice(&(table as u64).to_le_bytes());
        elf[0x3a..0x3c].copy_from_slice(&64u16.to_le_bytes());
        elf[0x3c..0x3e].copy_from_slice(&3u16.to_le_bytes());
        elf[0x3e..0x40].copy_from_slice(&1u16.to_le_bytes());
        for (name, offset, size) in [
            (0u32, 0usize, 0usize),
            (1, names_at, names.len()),
            (11, section_at, section.len()),
        ] {
            let mut header = vec![0u8; 64];
            header[..4].copy_from_slice(&name.to_le_bytes());
            header[0x18..0x20].copy_from_slice(&(offset as u64).to_le_bytes());
            header[0x20..0x28].copy_from_slice(&(size as u64).to_le_bytes());
            elf.extend(header);
        }
        elf
    }

    #[test]
    fn cargo_auditable_dependencies() {
        // The shape cargo-auditable 0.6 writes.
        let json = r#"{"packages":[
            {"name":"app","version":"0.1.0","source":"local","dependencies":[1,2],"root":true},
            {"name":"serde","version":"1.0.210","source":"crates.io"},
            {"name":"cc","version":"1.1.0","source":"crates.io","kind":"build"}]}"#;
        let found = compiled(&audited_binary(json)).unwrap();
        assert_eq!(
            found,
            [(
                Ecosystem::CratesIo,
                "serde".to_owned(),
                "1.0.210".to_owned()
            )]
        );
        assert!(compiled(&audited_binary("not json")).is_err());
    }
}
