#!/usr/bin/env python3
"""Checks that the library's folders depend on each other in one direction (docs/architecture.md,
"Layers"): a file may name the types of its own folder and of the folders listed before it, not of
a folder listed after it. Support/ names no other folder's type and LinearAlgebra/ only Support/'s,
without exception. The few dependencies that still point upwards are listed in KNOWN, each with
the reason; the check fails on any other, and warns about a KNOWN entry that no longer occurs
(remove it: the list only shrinks). Types are the top-level struct/class/enum/protocol/actor/typealias declarations;
comments and string literals are ignored. It also checks that only LinearAlgebra/LAPACK.swift and
LinearAlgebra/SparseProducts.swift touch unsafe pointers or import CLapack. Run by `make test`;
exit code 1 names each violation.

Usage: scripts/check-layers.py [Sources/SGN]
"""
import os
import re
import sys

# Lowest first. Folders on one line share a rank (they may name each other's types).
LAYERS = [
    ["Support"],
    ["LinearAlgebra"],
    ["JSON"],
    ["Formula", "Enclosure"],
    ["Dynamics"],
    ["Games"],
    ["Constants"],
    ["Input"],
    ["Weights"],
    ["Steps"],
    ["Certification"],
    ["Output"],
    ["Verification", "Simulation", "Plots", "Batch", "Sweep", "Generators"],
]
STRICT = {"Support", "LinearAlgebra"}  # no KNOWN exception may ever name these folders

# (file relative to Sources/SGN, type named) -> why the dependency still points upwards.
KNOWN = {
    ("Dynamics/EquilibriumSolver.swift", "MetricSpectra"): "the dense/iterative choice (MetricSpectra.prefersDense)",
    ("Games/Game.swift", "BlockConstants"): "a game may return proven constants (Game.provenBounds)",
    ("Games/RegionProof.swift", "BlockConstants"): "a proof request and its answer carry block constants",
    ("Games/JacobianEnclosure.swift", "BlockConstants"): "an enclosure proves block constants",
    ("Games/JacobianSampleGame.swift", "BlockConstants"): "a game given by its constants stores them",
    ("Games/MarkovGame+Proof.swift", "BlockConstants"): "the Markov proof returns block constants",
    ("Games/MarkovGame+Equilibrium.swift", "MarkovLimits"): "the search's work bound is the Markov input limit",
    ("Weights/LyapunovMetric.swift", "Certifier"): "Certifier.isConstrained says whether the dynamics are projected",
    ("Weights/LyapunovMetric.swift", "Objective"): "the weight objective is declared in Certification/Certificate.swift",
    ("Certification/Certifier+Rungs.swift", "Verifier"): "certify --check runs the verifier on its own certificate",
}

# The only files that may touch unsafe pointers: the C calls and the two unchecked sparse products.
POINTER_FILES = {"LinearAlgebra/LAPACK.swift", "LinearAlgebra/SparseProducts.swift"}


def strip(src):
    """Source without comments and string literals (their text names no dependency)."""
    src = re.sub(r'"""[\s\S]*?"""', '""', src)
    src = re.sub(r'#+"[^\n]*?"#+', '""', src)
    src = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', src)
    src = re.sub(r"/\*[\s\S]*?\*/", "", src)
    return re.sub(r"//[^\n]*", "", src)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "Sources/SGN"
    rank = {folder: r for r, folders in enumerate(LAYERS) for folder in folders}
    files = {}
    for d, _, names in os.walk(root):
        for name in names:
            if name.endswith(".swift"):
                path = os.path.join(d, name)
                files[os.path.relpath(path, root)] = strip(open(path, encoding="utf-8").read())
    errors = []
    defined = {}
    decl = re.compile(
        r"^(?:public |internal |package |fileprivate |private )?(?:final |indirect )*"
        r"(?:struct|class|enum|protocol|actor|typealias)\s+([A-Z]\w*)",
        re.M,
    )
    for rel, src in files.items():
        folder = rel.split(os.sep)[0]
        if folder not in rank:
            errors.append(f"{rel}: folder {folder}/ is not in a layer of scripts/check-layers.py")
            continue
        for m in decl.finditer(src):
            defined.setdefault(m.group(1), set()).add(folder)
    seen = set()
    for rel, src in sorted(files.items()):
        folder = rel.split(os.sep)[0]
        if folder not in rank:
            continue
        for name in sorted(set(re.findall(r"\b[A-Z]\w*\b", src))):
            for owner in defined.get(name, ()):
                if rank[owner] <= rank[folder]:
                    continue
                if (rel, name) in KNOWN and folder not in STRICT:
                    seen.add((rel, name))
                    continue
                errors.append(f"{rel}: names {name} of {owner}/, a higher layer than {folder}/")
    # Unsafe pointers and the C module: only where docs/architecture.md says.
    unsafe = re.compile(r"\b(?:withUnsafe\w*|Unsafe\w*Pointer|import\s+CLapack)\b")
    for rel, src in sorted(files.items()):
        if rel not in POINTER_FILES and unsafe.search(src):
            errors.append(f"{rel}: touches unsafe pointers or CLapack (only {', '.join(sorted(POINTER_FILES))} may)")
    for rel, name in sorted(set(KNOWN) - seen):
        print(f"scripts/check-layers.py: note: KNOWN entry ({rel}, {name}) no longer occurs: remove it", file=sys.stderr)
    for e in errors:
        print(e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
