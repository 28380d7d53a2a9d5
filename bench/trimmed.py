#!/usr/bin/env python3
"""The trimmed numpy loop that `make bench` races sgn against on the LQ sweep and the random
ensemble (issue 11): in ONE process, for every dense quadratic game, exactly the numbers a
certificate reports, computed at weights that are already known to be optimal (read from
sgn's own certificates), so it does no search at all:

  block constants (eigvalsh of each sym J_ii, 2-norms of the blocks), the comparison matrix Γ,
  τ(Γ) and its Perron weights (eig), the euclidean margin (eigvalsh of sym J), the margin at
  the known-optimal weights (eigvalsh), β there and at unit weights (svd), and min Re λ(J)
  (eig). No equilibrium, no bands, no global-search proof and no full-metric rung.

It is therefore a lower bound on what any implementation that reports those numbers must do,
not a competitor that finds the weights. Prints one JSON line per game (name, weighted margin).

Usage: trimmed.py CERTIFICATES.ndjson FILE_OR_DIR...
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import load  # noqa: E402  (the same reader as the full reference)


def files(args):
    out = []
    for a in args:
        out += sorted(os.path.join(a, f) for f in os.listdir(a) if f.endswith(".json")) if os.path.isdir(a) else [a]
    return out


def main():
    weights = {}
    with open(sys.argv[1]) as f:
        for line in f:
            c = json.loads(line)
            w = c["metric"]["weights"]
            weights[os.path.abspath(c["file"])] = [w[p] for p in c["game"]["players"]]
    for path in files(sys.argv[2:]):
        g = load(path)
        o, dims = g["offsets"], g["dims"]
        n = o[-1]
        j = np.zeros((n, n))
        for i, h in enumerate(g["diag"]):
            j[o[i]:o[i + 1], o[i]:o[i + 1]] = h
            for k, b in g["off"][i]:
                j[o[i]:o[i + 1], o[k]:o[k + 1]] = b
        mu = np.array([np.linalg.eigvalsh((h + h.T) / 2)[0] for h in g["diag"]])
        gamma = np.diag(mu)
        for i, row in enumerate(g["off"]):
            for k, b in row:
                gamma[i, k] = -np.linalg.norm(b, 2)
        vals, left, right = None, None, None
        import scipy.linalg as sla
        vals, left, right = sla.eig(gamma, left=True, right=True)
        m = int(np.argmin(vals.real))
        perron = np.abs(left[:, m].real) / np.abs(right[:, m].real)
        w = np.array(weights[os.path.abspath(path)])
        scale = np.concatenate([np.full(d, np.sqrt(x)) for d, x in zip(dims, w)])
        jw = j * scale[:, None] / scale[None, :]
        euclidean = np.linalg.eigvalsh((j + j.T) / 2)[0]
        weighted = np.linalg.eigvalsh((jw + jw.T) / 2)[0]
        beta = np.linalg.svd(jw, compute_uv=False)[0]
        beta1 = np.linalg.svd(j, compute_uv=False)[0]
        limit = np.linalg.eigvals(j).real.min()
        print(json.dumps({"file": path, "name": g["name"], "tau": float(vals[m].real), "perron": perron.tolist(),
                          "euclidean": float(euclidean), "weighted": float(weighted), "lipschitz": float(beta),
                          "euclidean_lipschitz": float(beta1), "spectral_limit": float(limit)}))


if __name__ == "__main__":
    main()
