#!/usr/bin/env python3
"""Checks that the README's session shows exactly what the tool prints (used by `make test`).

    python3 scripts/check-readme-session.py SGN_BINARY [--fix]

Runs the README's two certify commands (`sgn certify examples/mini-toy.json --pretty` with its
exit code, and the `--format text` batch with its stderr) and compares their output with the
README's console blocks; --fix rewrites the README instead. Exits 1 on a difference.
"""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sgn, fix = sys.argv[1], "--fix" in sys.argv[2:]
readme = (ROOT / "README.md").read_text()


def run(args):
    r = subprocess.run([sgn] + args, capture_output=True, text=True, cwd=ROOT)
    return r.stdout, r.stderr, r.returncode


def splice(text, start, end, new):
    """Replaces what lies between the marker `start` and the next `end` by `new`."""
    a = text.index(start) + len(start)
    b = text.index(end, a)
    return text[:a] + new + text[b:]


pretty = "$ sgn certify examples/mini-toy.json --pretty\n"
out, _, rc = run(["certify", "examples/mini-toy.json", "--pretty"])
expected = splice(readme, pretty, "$ echo $?\n", out)
expected = splice(expected, pretty + out + "$ echo $?\n", "\n", str(rc))
text_cmd = "$ sgn certify --format text examples/mini-toy.json examples/scaled-1.5.json\n"
out, err, _ = run(["certify", "--format", "text", "examples/mini-toy.json", "examples/scaled-1.5.json"])
expected = splice(expected, text_cmd, "$ # stderr:\n", out)
expected = splice(expected, text_cmd + out + "$ # stderr:\n", "```", err)

if expected == readme:
    print("readme: session output is exact", file=sys.stderr)
elif fix:
    (ROOT / "README.md").write_text(expected)
    print("readme: session regenerated", file=sys.stderr)
else:
    import difflib
    sys.stderr.writelines(difflib.unified_diff(readme.splitlines(True), expected.splitlines(True), "README.md", "tool output"))
    print("readme: the session differs from what the tool prints (run with --fix)", file=sys.stderr)
    sys.exit(1)
