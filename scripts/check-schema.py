#!/usr/bin/env python3
"""Validates NDJSON certificates (stdin) against docs/schema/certificate.schema.json.

Used by `make test`: every example's certificate must match the documented schema.
Error lines ({"file", "error"}) are skipped; exits 1 on the first invalid certificate.
"""
import json
import pathlib
import sys

import jsonschema

schema = json.loads((pathlib.Path(__file__).parent.parent / "docs/schema/certificate.schema.json").read_text())
validator = jsonschema.Draft202012Validator(schema)
count = 0
for line in sys.stdin:
    if not line.strip():
        continue
    doc = json.loads(line)
    if "error" in doc:
        continue
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        for e in errors[:5]:
            print(f"{doc.get('file', '?')}: {'/'.join(map(str, e.path))}: {e.message}", file=sys.stderr)
        sys.exit(1)
    count += 1
print(f"schema: {count} certificates valid", file=sys.stderr)
