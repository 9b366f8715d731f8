#!/usr/bin/env python3
"""Recall and false positives of secret scanners on the planted-secrets corpus.

usage: secrets_eval.py PLANTED.tsv CORPUS_DIR TOOL REPORT
  TOOL: rampart (`rampart-secrets-scan` output, path<TAB>line<TAB>id), rampart-json (a
  `rampart scan --format json` report), gitleaks (JSON report), detect-secrets (baseline JSON)
A finding counts where it is: the planted secret's file and line. Findings on other lines
are false positives (every planted decoy line is a deliberate trap)."""
import collections, json, os, re, sys

planted_path, corpus, tool, report = sys.argv[1:5]
planted = {}
for row in open(planted_path):
    path, line, kind = row.rstrip("\n").split("\t")
    planted[(path, int(line))] = kind

def rel(path):
    """The path inside the corpus, whatever folder the tool was run from: files are `src/...`."""
    path = path.replace(os.sep, "/")
    at = path.find("src/")
    return path[at:] if at >= 0 else path


found = set()
if tool == "rampart":
    for row in open(report):
        path, line, _ = row.rstrip("\n").split("\t")
        found.add((rel(path), int(line)))
    data = None
else:
    data = json.load(open(report))
if tool == "rampart":
    pass
elif tool == "rampart-json":
    for f in data["findings"]:
        found.add((rel(f["location"]["path"]), f["location"]["line"]))
elif tool == "gitleaks":
    for f in data:
        found.add((rel(f["File"]), f["StartLine"]))
elif tool == "detect-secrets":
    for path, results in data["results"].items():
        for r in results:
            found.add((rel(path), r["line_number"]))
else:
    sys.exit(f"unknown tool {tool}")

hits = set(planted) & found
false = found - set(planted)
by_kind = collections.Counter(planted.values())
hit_kind = collections.Counter(planted[k] for k in hits)
print(f"{tool}: planted {len(planted)}, found {len(hits)} ({100*len(hits)/len(planted):.1f}% recall), "
      f"false positives {len(false)} lines")
for kind in sorted(by_kind):
    print(f"  {kind:20} {hit_kind[kind]:6}/{by_kind[kind]}")

# What the false positives are: the name the line assigns, or its first words.
kinds = collections.Counter()
for path, line in false:
    try:
        with open(os.path.join(corpus, path)) as f:
            text = f.read().split("\n")[line - 1]
    except (OSError, IndexError):
        kinds["?"] += 1
        continue
    m = re.search(r"(github_token|aws_key_id|db_password|api_key|checksum|request_id|database_url|secret_name|integrity|RSA PRIVATE KEY)", text, re.I)
    kinds[m.group(1).lower() if m else text.strip()[:30]] += 1
for name, count in kinds.most_common(12):
    print(f"  false: {name:30} {count}")
