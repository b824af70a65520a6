#!/usr/bin/env python3
"""Rewrites code comments that cite the specification's pages (analysis.md, interfaces.md,
domain.md, ...) so that they cite the project's own documents instead (docs/method.md §N,
docs/interfaces.md §N, ARCHITECTURE.md). Only comment lines are touched (Rust `//`, `///`,
`//!`; Python `#` and the module docstring); code and strings stay as they are.

    python3 scripts/cite_docs.py [--dry-run] PATH...      (folders are walked for .rs and .py)

Idempotent: a citation that already names docs/ is left alone.
"""
import re
import sys
from pathlib import Path

# analysis.md's section numbers -> docs/method.md's.
METHOD = {"1": "13", "2": "2", "3": "3", "4": "4", "5": "5", "6": "6", "7": "7", "8": "8",
          "9": "10-11", "10": "14", "11": "9"}
NOT_DOCS = r"(?<![\w/.-])"  # not already a path such as docs/method.md

def sect(m):
    return METHOD.get(m, m)

RULES = [
    (NOT_DOCS + r"analysis\.md,? sections (\d+)-(\d+)",
     lambda m: f"docs/method.md §{sect(m.group(1))}-{sect(m.group(2))}"),
    (NOT_DOCS + r"analysis\.md,? (?:section |§)?(\d+)\b",
     lambda m: f"docs/method.md §{sect(m.group(1))}"),
    (NOT_DOCS + r"analysis\.md", lambda m: "docs/method.md"),
    (NOT_DOCS + r"dna-networks\.md", lambda m: "docs/method.md §13"),
    (NOT_DOCS + r'interfaces\.md,? "CLI"', lambda m: "docs/interfaces.md §1"),
    (NOT_DOCS + r'interfaces\.md,? "HTTP API"', lambda m: "docs/interfaces.md §4"),
    (NOT_DOCS + r"interfaces\.md", lambda m: "docs/interfaces.md"),
    (NOT_DOCS + r'stakeholder\.md,? "Undo and history"', lambda m: "docs/interfaces.md §1.1"),
    (NOT_DOCS + r'stakeholder\.md,? "Languages"', lambda m: "docs/interfaces.md §4"),
    (NOT_DOCS + r"stakeholder\.md", lambda m: "docs/method.md §12"),
    (NOT_DOCS + r'domain\.md,? "?(Change log|Near-duplicate names|Import rules|File formats)"?',
     lambda m: f"docs/interfaces.md §8, {m.group(1).lower()}"),
    (NOT_DOCS + r'domain\.md,? "Discourse Network Analyzer',
     lambda m: 'docs/interfaces.md §8, "Discourse Network Analyzer'),
    (NOT_DOCS + r"domain\.md", lambda m: "docs/interfaces.md §8"),
    (NOT_DOCS + r'quality\.md,? "?(Security|Reliability|Scale classes)"?',
     lambda m: f"docs/interfaces.md §9, {m.group(1).lower()}"),
    (NOT_DOCS + r'quality\.md,? "?(Speed targets|Server)"?',
     lambda m: "bench/README.md"),
    (NOT_DOCS + r"quality\.md", lambda m: "docs/interfaces.md §9"),
    (NOT_DOCS + r"design\.md", lambda m: "ARCHITECTURE.md"),
]

def rewrite_line(line):
    for pat, rep in RULES:
        line = re.sub(pat, rep, line)
    if "docs/interfaces.md §9" in line:
        # The remaining quoted headings of the same citation ("Security" and "Reliability").
        line = re.sub(r'"(Security|Reliability|personal data)"', lambda m: m.group(1).lower(), line)
    return line

def is_comment(line, suffix, in_doc):
    t = line.lstrip()
    if suffix == ".rs":
        return t.startswith("//")
    return t.startswith("#") or in_doc

def rewrite(path, dry):
    text = path.read_text(encoding="utf-8")
    out, changed, in_doc = [], 0, False
    for i, line in enumerate(text.split("\n")):
        if path.suffix == ".py" and i < 60 and line.count('"""') % 2 == 1:
            in_doc = not in_doc
            comment = True
        else:
            comment = is_comment(line, path.suffix, in_doc)
        new = rewrite_line(line) if comment else line
        if new != line:
            changed += 1
            if dry:
                print(f"{path}:{i + 1}: {line.strip()}\n    -> {new.strip()}")
        out.append(new)
    if changed and not dry:
        path.write_text("\n".join(out), encoding="utf-8")
    return changed

def main(args):
    dry = "--dry-run" in args
    paths = [Path(a) for a in args if a != "--dry-run"]
    total = 0
    for p in paths:
        files = [p] if p.is_file() else sorted(
            f for f in p.rglob("*") if f.suffix in (".rs", ".py") and "target" not in f.parts)
        for f in files:
            total += rewrite(f, dry)
    print(f"{total} comment lines {'would change' if dry else 'changed'}", file=sys.stderr)

if __name__ == "__main__":
    main(sys.argv[1:])
