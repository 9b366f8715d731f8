//! Mix's `mix.lock`: an Elixir map, one entry a line, `"name": {:hex, :package, "version",
//! "hash", [builders], [deps], "repo", "hash"}`; `:git` and `:path` entries are not from Hex.

use crate::lockfile::Reading;
use crate::{Ecosystem, Package};

pub(crate) fn read(reading: &mut Reading, text: &str) {
    for (index, line) in text.lines().enumerate() {
        let number = index as u32 + 1;
        let entry = line.trim();
        let Some((_, tuple)) = entry.split_once(": {") else {
            continue;
        };
        let Some(rest) = tuple.strip_prefix(":hex, :") else {
            continue;
        };
        let package = rest.split(',').next().unwrap_or_default().trim();
        let version = rest
            .split_once(", \"")
            .and_then(|(_, after)| after.split_once('"'))
            .map(|(version, _)| version);
        match version {
            Some(version) if !package.is_empty() => {
                let found = reading.found(Some(number));
                let package = Package::new(Ecosystem::Hex, package, version, found);
                reading.packages.push(package);
            }
            _ => reading.problem(Some(number), format!("not a Hex entry: `{entry}`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Lockfile;

    #[test]
    fn hex_entries() {
        let text = r#"%{
  "cowboy": {:hex, :cowboy, "2.12.0", "f276d521a1ff88b2b9b4c54d0e753da6c66dd7be6c9fca3d9418b561828a3731", [:make, :rebar3], [{:cowlib, "2.13.0", [hex: :cowlib, repo: "hexpm", optional: false]}], "hexpm", "8a7abe6d183372ceb21caa2709bec928ab2b72e18a3911aa1771639bef82651e"},
  "phoenix": {:git, "https://github.com/phoenixframework/phoenix.git", "a1b2c3", []},
  "plug_crypto": {:hex, :plug_crypto, "2.1.0", "f44309c2b06d249c27c8d3f65cfe08158ade08418cf540fd4f72d4d6863abb7b", [:mix], [], "hexpm", "131216a4b030b8f8ce0f26038bc4421ae60e4bb95c5cf5395e1421437824c4fa"},
  "broken": {:hex, :broken},
}
"#;
        let reading = Lockfile::MixLock.read("mix.lock", text);
        let got: Vec<_> = reading
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.found.line))
            .collect();
        assert_eq!(
            got,
            [
                ("cowboy", "2.12.0", Some(2)),
                ("plug_crypto", "2.1.0", Some(4))
            ]
        );
        assert_eq!(reading.problems[0].line, Some(5));
        assert_eq!(reading.packages[1].purl, "pkg:hex/plug_crypto@2.1.0");
    }
}
