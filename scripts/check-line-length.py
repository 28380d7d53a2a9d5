#!/usr/bin/env python3
"""Checks that no tracked Swift line is wider than the `lineLength` of .swift-format (120 columns).

swift-format breaks code but not string literals or comments, so its lint passes on a line that
holds one long literal; this check closes that gap. Columns are characters (Unicode scalars), as
the formatter counts them, not bytes: `μ` is one column. A long literal is written as a multi-line
literal whose lines end in `\\` (the same string), a long comment is rewrapped. Run by
`make format-check` (and so by `make test`); exit code 1 lists file:line: width for each line over.

Usage: scripts/check-line-length.py
"""
import json
import os
import subprocess
import sys



def swift_files(root):
    try:
        out = subprocess.run(
            ["git", "ls-files", "*.swift"], cwd=root, check=True, capture_output=True, text=True
        ).stdout
        return sorted(line for line in out.splitlines() if line)
    except (OSError, subprocess.CalledProcessError):
        found = []
        for top in ["Sources", "Tests", "Fuzz"]:
            for folder, _, names in os.walk(os.path.join(root, top)):
                found += [os.path.relpath(os.path.join(folder, n), root) for n in names if n.endswith(".swift")]
        if os.path.exists(os.path.join(root, "Package.swift")):
            found.append("Package.swift")
        return sorted(found)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, ".swift-format"), encoding="utf-8") as f:
        limit = json.load(f)["lineLength"]
    over = []
    for path in swift_files(root):
        with open(os.path.join(root, path), encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                width = len(line.rstrip("\r\n"))
                if width > limit:
                    over.append(f"{path}:{number}: {width} columns (limit {limit})")
    for line in over:
        print(line, file=sys.stderr)
    if over:
        print(f"check-line-length: {len(over)} line(s) over {limit} columns", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
