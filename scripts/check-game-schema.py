#!/usr/bin/env python3
"""Validates game files against the input schemas in docs/schema/ (by their "kind").

Used by `make test` with every example: `python3 scripts/check-game-schema.py examples/*.json`.
Before the files, a few known-bad games must be rejected (so the check cannot pass vacuously).
Exits 1 on the first invalid file.
"""
import json
import pathlib
import sys

import jsonschema

SCHEMAS = pathlib.Path(__file__).parent.parent / "docs/schema"
# One schema per game kind: docs/schema/KIND-game.schema.json.
validators = {
    path.name.removesuffix("-game.schema.json"): jsonschema.Draft202012Validator(json.loads(path.read_text()))
    for path in sorted(SCHEMAS.glob("*-game.schema.json"))
}

MUST_FAIL = [
    {"kind": "quadratic", "players": [{"name": "x", "hesian": [[1]]}]},          # typo in a key
    {"kind": "quadratic", "players": [{"name": "x", "hessian": 1}]},             # number hessian needs dim
    {"kind": "quadratic", "players": []},                                        # no players
    {"kind": "markov", "discount": 1, "temperature": 1, "states": 1,
     "players": [{"name": "a", "actions": 2}], "rewards": {"a": [[0, 1]]}},     # discount must be < 1
    {"kind": "markov", "discount": 0.5, "temperature": 1, "states": 1,
     "players": [{"name": "a", "actions": 1}], "rewards": {"a": [[0]]}},        # one action
]
for bad in MUST_FAIL:
    if validators[bad["kind"]].is_valid(bad):
        print(f"schema: accepts a bad game: {json.dumps(bad)}", file=sys.stderr)
        sys.exit(1)

count = 0
for name in sys.argv[1:]:
    doc = json.loads(pathlib.Path(name).read_text())
    kind = doc.get("kind") if isinstance(doc, dict) else None
    if kind not in validators:
        print(f"{name}: kind: expected one of {sorted(validators)}, got {json.dumps(kind)}", file=sys.stderr)
        sys.exit(1)
    errors = sorted(validators[kind].iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        for e in errors[:5]:
            print(f"{name}: {'/'.join(map(str, e.path)) or '(top level)'}: {e.message}", file=sys.stderr)
        sys.exit(1)
    count += 1
print(f"schema: {count} game files valid", file=sys.stderr)
