#!/usr/bin/env python3
"""Reference implementation of sgn's pipeline with numpy/scipy: quadratic games here, Markov
games (`"kind": "markov"`) in reference_markov.py, which reuses `ladder` below.

The "obvious alternative" that `make bench` races sgn against. Same steps as `sgn certify`
(docs/method.md): block constants, comparison matrix, Perron weights, the margin ladder
(euclidean, sgn, weighted), beta at the chosen weights, step sizes, equilibrium. Dense numpy
LAPACK for small games, scipy.sparse (ARPACK eigs/eigsh/svds, spsolve) above the same size
limits sgn uses. Prints one JSON line per game: margins, lipschitz, steps (Markov games also:
constants, equilibrium, sample count, basin radius).

Usage: reference.py FILE_OR_DIR...   (directories: their *.json, sorted)
"""
import json
import os
import sys

import numpy as np
import scipy.linalg as sla
import scipy.optimize as sopt
import scipy.sparse as sp
import scipy.sparse.linalg as spla

COMPARISON_DENSE_LIMIT = 400       # ComparisonMatrix.denseLimit
METRIC_ALWAYS_DENSE = 600          # MetricSpectra.alwaysDenseLimit
METRIC_DENSE_LIMIT = 3000          # MetricSpectra.denseLimit
METRIC_DENSE_FILL = 0.02           # MetricSpectra.denseFill
SEARCH_MAX_PLAYERS = 24            # WeightSearch.maxPlayers
MARGIN_RELATIVE = 1e-10            # Tolerance.marginRelative


def matrix(v, rows, cols):
    if isinstance(v, (int, float)):
        return float(v) * np.eye(rows)
    return np.array(v, dtype=float).reshape(rows, cols)


def load(path, g=None):
    if g is None:
        with open(path) as f:
            g = json.load(f)
    if g.get("kind") != "quadratic":
        return None
    players = g["players"]
    names = [p["name"] for p in players]
    index = {n: i for i, n in enumerate(names)}
    dims = [p.get("dim") or len(p["hessian"]) for p in players]
    offsets = np.concatenate([[0], np.cumsum(dims)]).astype(int)
    diag = [matrix(p["hessian"], d, d) for p, d in zip(players, dims)]
    off = []
    for i, p in enumerate(players):
        row = []
        for other, m in p.get("coupling", {}).items():
            j = index[other]
            b = matrix(m, dims[i], dims[j])
            if np.any(b):
                row.append((j, b))
        off.append(sorted(row, key=lambda t: t[0]))
    b = np.concatenate([np.broadcast_to(np.asarray(p.get("linear", 0.0), float), (d,)) for p, d in zip(players, dims)])
    return dict(name=g.get("name", os.path.basename(path)), dims=dims, offsets=offsets, diag=diag, off=off, b=b)


def jacobian(g, sparse):
    n = g["offsets"][-1]
    rows, cols, vals = [], [], []
    o = g["offsets"]
    def put(block, r0, c0):
        r, c = np.nonzero(np.ones_like(block))
        rows.append(r + r0); cols.append(c + c0); vals.append(block[r, c])
    for i, h in enumerate(g["diag"]):
        put(h, o[i], o[i])
        for j, blk in g["off"][i]:
            put(blk, o[i], o[j])
    m = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
    return m if sparse else m.toarray()


def metric_dense(g):
    n = g["offsets"][-1]
    if n <= METRIC_ALWAYS_DENSE:
        return True
    if n > METRIC_DENSE_LIMIT:
        return False
    d = g["dims"]
    stored = sum(d[i] * d[i] + sum(d[i] * d[j] for j, _ in g["off"][i]) for i in range(len(d)))
    return stored >= METRIC_DENSE_FILL * n * n


def constants(g):
    mu = np.array([np.linalg.eigvalsh((h + h.T) / 2)[0] for h in g["diag"]])
    ell = np.array([np.linalg.norm(h, 2) for h in g["diag"]])
    coupling = [[(j, np.linalg.norm(b, 2)) for j, b in row] for row in g["off"]]
    return mu, ell, coupling


def gamma_matrix(mu, coupling, sparse):
    n = len(mu)
    r = [i for i in range(n)] + [i for i, row in enumerate(coupling) for _ in row]
    c = [i for i in range(n)] + [j for row in coupling for j, _ in row]
    v = list(mu) + [-l for row in coupling for _, l in row]
    m = sp.csr_matrix((v, (r, c)), shape=(n, n))
    return m if sparse else m.toarray()


def perron(gamma, sparse):
    if sparse:
        val, x = spla.eigs(gamma, k=1, which="SR", tol=1e-10)
        _, y = spla.eigs(gamma.T.tocsr(), k=1, which="SR", tol=1e-10)
        tau = val[0].real
        x, y = np.abs(x[:, 0].real), np.abs(y[:, 0].real)
    else:
        vals, vl, vr = sla.eig(gamma, left=True, right=True)
        k = np.argmin(vals.real)
        tau = vals[k].real
        x, y = np.abs(vr[:, k].real), np.abs(vl[:, k].real)
    x, y = x / x.max(), y / y.max()
    if np.all(x > 1e-150) and np.all(y > 1e-150):
        return tau, y / x
    return tau, None


def sgn_margin(mu, coupling, w, sparse):
    n = len(mu)
    sw = np.sqrt(w)
    r, c, v = list(range(n)), list(range(n)), list(mu)
    for i, row in enumerate(coupling):
        for j, l in row:
            x = -0.5 * l * sw[i] / sw[j]
            r += [i, j]; c += [j, i]; v += [x, x]
    s = sp.csr_matrix((v, (r, c)), shape=(n, n))
    if n == 1:
        return mu[0]
    if sparse:
        return spla.eigsh(s, k=1, which="SA", tol=1e-10)[0][0]
    return np.linalg.eigvalsh(s.toarray())[0]


def scale_vector(g, w):
    return np.repeat(np.sqrt(w), g["dims"])


def metric_margin(j, g, w, dense):
    s = scale_vector(g, w)
    if dense:
        a = (s[:, None] * j) / s[None, :]
        return np.linalg.eigvalsh((a + a.T) / 2)[0]
    d = sp.diags(s)
    di = sp.diags(1 / s)
    a = d @ j @ di
    return spla.eigsh(((a + a.T) / 2).tocsr(), k=1, which="SA", tol=1e-10)[0][0]


def metric_norm(j, g, w, dense):
    s = scale_vector(g, w)
    if dense:
        return np.linalg.norm((s[:, None] * j) / s[None, :], 2)
    a = sp.diags(s) @ j @ sp.diags(1 / s)
    return spla.svds(a.tocsr(), k=1, tol=1e-10, return_singular_vectors=False)[0]


def nelder_mead(start, f):
    n = len(start)
    if n < 2 or n > SEARCH_MAX_PLAYERS:
        return start, f(start)
    base = np.log(start)
    def to_w(z):
        return np.exp(np.concatenate([[0.0], base[1:] - base[0] + z]))
    res = sopt.minimize(lambda z: -f(to_w(z)), np.zeros(n - 1), method="Nelder-Mead",
                        options=dict(maxfev=600, xatol=1e-10, fatol=0, initial_simplex=np.vstack([np.zeros(n - 1), 0.5 * np.eye(n - 1)])))
    v0 = f(start)
    if -res.fun > v0:
        w = to_w(res.x)
        return w / w.max(), -res.fun
    return start, v0


def ladder(mu, coupling, margin, norm, gsparse):
    """The margin ladder shared by every game class: euclidean (identity weights), sgn (Perron
    weights of the comparison matrix, from the block constants alone) and weighted (Nelder-Mead
    on the exact margin from the better of the two starts). `margin(w)` and `norm(w)` are the
    exact margin and β in the metric of w (for sampled games: the worst case over the samples).
    Returns the best rung (near-ties to the simpler one), all three rungs (name, weights, margin,
    β) and τ(Γ)."""
    n = len(mu)
    ones = np.ones(n)
    eu_margin = margin(ones)
    eu_beta = norm(ones)
    cands = [("euclidean", ones, eu_margin, eu_beta)]
    gamma = gamma_matrix(mu, coupling, gsparse)
    tau, w = (mu[0], ones) if n == 1 else perron(gamma, gsparse)
    sgn_w, sgn_m = ones, sgn_margin(mu, coupling, ones, gsparse)
    if w is not None:
        m = sgn_margin(mu, coupling, w, gsparse)
        if m > sgn_m:
            sgn_w, sgn_m = w / w.max(), m
    sgn_beta = norm(sgn_w)
    cands.append(("sgn", sgn_w, sgn_m, sgn_beta))
    exact_at_sgn = margin(sgn_w)
    start = sgn_w if exact_at_sgn > eu_margin else ones
    ww, wm = nelder_mead(start, margin)
    wbeta = norm(ww)
    cands.append(("weighted", ww, wm, wbeta))
    best = cands[0]
    for c in cands[1:]:
        if c[2] > best[2] + 1e-9 * max(abs(best[2]), abs(c[2])):
            best = c
    return best, cands, tau


def certify(path):
    with open(path) as f:
        raw = json.load(f)
    if raw.get("kind") == "markov":
        import reference_markov
        return reference_markov.certify(path, raw)
    g = load(path, raw)
    if g is None:
        return None
    n = len(g["dims"])
    dense = metric_dense(g)
    gsparse = n > COMPARISON_DENSE_LIMIT
    j = jacobian(g, sparse=not dense)
    mu, ell, coupling = constants(g)
    best, cands, tau = ladder(mu, coupling, lambda w: metric_margin(j, g, w, dense),
                              lambda w: metric_norm(j, g, w, dense), gsparse)
    eu_margin, sgn_m, wm, eu_beta = cands[0][2], cands[1][2], cands[2][2], cands[0][3]
    certified = best[2] > MARGIN_RELATIVE * eu_beta
    out = dict(file=path, name=g["name"], status="certified" if certified else "not_certified",
               certified_by=best[0] if certified else None,
               margins=dict(euclidean=eu_margin, sgn=sgn_m, weighted=wm), tau=tau,
               lipschitz=best[3], euclidean_lipschitz=eu_beta, linear_algebra="dense" if dense else "iterative")
    if certified:
        a, b = best[2], best[3]
        out["steps"] = dict(euler_max=2 * a / b ** 2, rk4_max=2.6155 / b)
        x = np.linalg.solve(j, -g["b"]) if dense else spla.spsolve(j.tocsc(), -g["b"])
        out["equilibrium_residual"] = float(np.linalg.norm(j @ x + g["b"]))
    return out


def main():
    files = []
    for a in sys.argv[1:]:
        if os.path.isdir(a):
            files += sorted(os.path.join(a, f) for f in os.listdir(a) if f.endswith(".json"))
        else:
            files.append(a)
    for f in files:
        r = certify(f)
        if r is not None:
            print(json.dumps(r, default=float))


if __name__ == "__main__":
    main()
