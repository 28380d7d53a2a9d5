"""The weighted rung against an independent LMI optimum (issue 11; docs/method.md, "The global weighted optimum").

The oracle knows nothing of sgn's cutting planes. For the dense Jacobians J_s of a game it solves

    α* = sup_{w > 0} min_s λmin(sym(W^{1/2} J_s W^{-1/2}))
       = sup {t : some w > 0 has Σ_i w_i (S_si − t E_i) ⪰ 0 for every s},   S_si = sym(E_i J_s),

(E_i the projector on player i's coordinates; the condition is W J_s + J_sᵀ W − 2tW ⪰ 0) as a
generalised eigenvalue problem, with cvxpy and its open-source interior-point solver Clarabel: at a
level t it solves the semidefinite programme

    max σ  s.t.  Σ_i w_i (S_si − t E_i) ⪰ σ I  for every s,  Σ_i w_i = 1,  w ≥ 0,

whose optimum is positive exactly when t < α*. It brackets α* by two numbers computed in numpy from
the solver's output, so the bracket does not rest on the solver's accuracy:

- lower: α(w) at the programme's weights (clipped to at least 1e-300·max w), evaluated by
  numpy.linalg.eigvalsh, then polished by a Nelder–Mead search on log-weights (it only raises α);
- upper: from the dual matrices Z_s ⪰ 0 of the semidefinite constraints (projected onto the PSD
  cone): for every w, summing tr(Z_s (Σ_i w_i S_si − α(w) W)) ≥ 0 over s gives
  α(w) ≤ Σ_i w_i a_i / Σ_i w_i c_i ≤ max_i a_i / c_i with a_i = Σ_s tr(Z_s S_si), c_i = Σ_s tr(Z_s E_i),
  and the per-player block bound min_s λmin(sym J_s,ii) holds for every w too.

The levels follow Dinkelbach's rule (the next level is α at the last weights, which is superlinear
near the optimum), with a bisection step between the bracket's ends when that stalls. When a round
stops making progress (a supremum on a face of the simplex: the weights run to the face and σ*
falls below what the solver resolves), the programme is posed again for the rescaled game
D^{1/2} J D^{-1/2}, D the best weights so far. The test requires the bracket to close to
ORACLE_WIDTH, ten times inside the MATCH = 1e-7 it checks sgn against (relative to
max(|α*|, 1e-2·‖J‖_F), so absolute for margins near 0). Measured on 768 games of this generator
(seeds 1–32), against the binary before and after the warm-started level programmes: sgn passed
every check; every bracket closed within 3 s a game, all but one to 1e-8 (one reducible game to
1.03e-8, where the oracle's levels stalled; the seed of the test has no such game).

Games (seeded, 2–6 players of dimension 1–3): irreducible random games, reducible ones (one-way
couplings: a supremum on a face of the simplex), skew couplings with zero or skew own blocks,
flat optima (no couplings, or a weakly coupled player that does not bind), and sampled games
(kind "jacobians", up to three Jacobians: one LMI per Jacobian). sgn certifies all of them in one
batch call of the binary under test.
"""
import json
import subprocess
import warnings

import cvxpy as cp  # test-only: make python-test installs cvxpy-base and clarabel
import numpy as np
import pytest
import scipy.optimize as scipy_optimize  # a dependency of cvxpy

# The oracle's bracket must close to ORACLE_WIDTH; sgn is checked to MATCH (both relative to
# max(|α*|, 1e-2·‖J‖_F)).
ORACLE_WIDTH = 1e-8
MATCH = 1e-7


def offsets_of(dims):
    return np.concatenate([[0], np.cumsum(dims)]).astype(int)


def alpha(jacobians, dims, w):
    """min_s λmin(sym(W^{1/2} J_s W^{-1/2})) by numpy, for weights w > 0."""
    d = np.concatenate([np.full(dims[i], w[i]) for i in range(len(dims))])
    r = np.sqrt(d)
    worst = np.inf
    for j in jacobians:
        m = (r[:, None] * j) / r[None, :]
        worst = min(worst, np.linalg.eigvalsh((m + m.T) / 2)[0])
    return float(worst)


def block_bound(jacobians, dims):
    o = offsets_of(dims)
    return min(
        float(np.linalg.eigvalsh((j[o[i]:o[i + 1], o[i]:o[i + 1]] + j[o[i]:o[i + 1], o[i]:o[i + 1]].T) / 2)[0])
        for j in jacobians for i in range(len(dims)))


def dual_bound(jacobians, dims, duals):
    """An upper bound on α(w) for every w > 0 from the dual matrices Z_s of the level programme.

    Any Z_s ⪰ 0 gives max_i a_i / c_i over the players with c_i > 0 (module docstring). An interior
    point method returns tiny nonzero blocks for players its certificate does not use, whose
    ratios are noise; so the bound is also taken for the principal submatrices of Z_s without the
    players whose share c_i is below a threshold (each still PSD, so each still a valid bound), and
    the least of them is returned.
    """
    o = offsets_of(dims)
    n = len(dims)
    cones = []
    for z in duals:
        z = (np.asarray(z, dtype=float) + np.asarray(z, dtype=float).T) / 2
        vals, vecs = np.linalg.eigh(z)
        cones.append((vecs * np.clip(vals, 0, None)) @ vecs.T)  # onto the PSD cone
    share = np.array([sum(float(np.trace(z[o[i]:o[i + 1], o[i]:o[i + 1]])) for z in cones) for i in range(n)])
    if not share.max() > 0:
        return np.inf
    best = np.inf
    for threshold in (0.0, 1e-12, 1e-9, 1e-6, 1e-3):
        keep = share > threshold * share.max()
        mask = np.concatenate([np.full(dims[i], bool(keep[i])) for i in range(n)])
        a = np.zeros(n)
        c = np.zeros(n)
        for j, z in zip(jacobians, cones):
            z = z * mask[:, None] * mask[None, :]
            jz = j @ z  # tr(Z sym(E_i J)) = tr(E_i J Z) (Z symmetric) = Σ_{r∈i} (J Z)_rr
            for i in range(n):
                rows = slice(o[i], o[i + 1])
                a[i] += float(np.trace(jz[rows, rows]))
                c[i] += float(np.trace(z[rows, rows]))
        used = keep & (c > 0)
        if used.any():
            best = min(best, float(np.max(a[used] / c[used])))
    return best


def rescaled(jacobians, dims, d):
    """D^{1/2} J D^{-1/2} for D = diag(d_i I): α of the rescaled game at u is α of the game at d∘u."""
    r = np.sqrt(np.concatenate([np.full(dims[i], d[i]) for i in range(len(dims))]))
    return [(r[:, None] * j) / r[None, :] for j in jacobians]


class LevelProgramme:
    """max σ s.t. Σ_i u_i (S_si − t E_i) ⪰ σ I for every s, Σ u = 1, u ≥ 0; compiled once (t a Parameter)."""

    def __init__(self, jacobians, dims):
        n = len(dims)
        size = int(sum(dims))
        o = offsets_of(dims)
        self.u = cp.Variable(n)
        self.sigma = cp.Variable()
        self.t = cp.Parameter()
        coordinate_weights = cp.hstack([self.u[i] * np.ones(dims[i]) for i in range(n)])
        self.constraints = []
        for j in jacobians:
            parts = []
            for i in range(n):
                e = np.zeros((size, size))
                e[o[i]:o[i + 1], :] = j[o[i]:o[i + 1], :]
                parts.append(self.u[i] * ((e + e.T) / 2))
            lhs = sum(parts) - self.t * cp.diag(coordinate_weights) - self.sigma * np.eye(size)
            self.constraints.append((lhs + lhs.T) / 2 >> 0)
        self.problem = cp.Problem(cp.Maximize(self.sigma), self.constraints + [self.u >= 0, cp.sum(self.u) == 1])

    def solve(self, t):
        """The programme's weights (clipped to at least 1e-300 of the largest) and dual matrices, or
        None when the solver fails at every tolerance tried."""
        self.t.value = t
        # At these tolerances Clarabel often stops short and cvxpy warns "may be inaccurate"; the
        # bracket does not depend on it (both ends are recomputed in numpy). Where it fails outright
        # (rare: a near-degenerate level), looser tolerances are tried.
        for tol in (1e-12, 1e-10, 1e-8):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                try:
                    self.problem.solve(solver=cp.CLARABEL, tol_gap_abs=tol, tol_gap_rel=tol, tol_feas=tol,
                                       max_iter=400)
                except cp.error.SolverError:
                    continue
            if self.u.value is None or any(c.dual_value is None for c in self.constraints):
                continue
            u = np.asarray(self.u.value, dtype=float)
            if not (np.all(np.isfinite(u)) and u.max() > 0):
                continue
            u = np.clip(u, 1e-300 * u.max(), None)
            return u / u.max(), [c.dual_value for c in self.constraints]
        return None


class Oracle:
    """Brackets α* = sup_w α(w) of one game by level programmes (module docstring).

    Where the supremum lies on a face of the simplex (one-way couplings) the programme's optimal
    weights run to the face and a level just below α* has σ* near zero, below what the solver
    resolves. The oracle therefore re-poses the programme for the rescaled game
    D^{1/2} J D^{-1/2} (D the best weights so far; α of that game at u is α at d∘u, and a dual
    bound for it bounds the original) whenever a round stops making progress.
    """

    def __init__(self, jacobians, dims):
        self.jacobians = [np.asarray(j, dtype=float) for j in jacobians]
        self.dims = dims

    def polish(self, w):
        """Nelder–Mead on log-weights from w; returns the best (α, w) seen (never worse than w)."""
        jac, dims = self.jacobians, self.dims
        z0 = np.log(w[1:] / w[0])
        best = [alpha(jac, dims, w), w]

        def f(z):
            v = np.concatenate([[1.0], np.exp(np.clip(z, -690, 690))])
            a = alpha(jac, dims, v)
            if a > best[0]:
                best[0], best[1] = a, v / v.max()
            return -a

        scipy_optimize.minimize(f, z0, method="Nelder-Mead",
                                options={"xatol": 1e-13, "fatol": 1e-16, "maxfev": 4000})
        return best[0], best[1]

    def solve(self, width):
        """(lower, upper, weights) with lower ≤ α* ≤ upper, lower attained at weights."""
        jac, dims = self.jacobians, self.dims
        n = len(dims)
        scale = max(np.linalg.norm(j) for j in jac)
        best = np.ones(n)
        lower = alpha(jac, dims, best)
        upper = block_bound(jac, dims)

        def closed():
            return upper - lower <= width * max(abs(lower), abs(upper), 1e-2 * scale)

        for _ in range(8):  # rounds, each in the game rescaled by the best weights so far
            if closed():
                break
            d = best.copy()
            scaled = rescaled(jac, dims, d)
            programme = LevelProgramme(scaled, dims)
            t = lower
            stalled = 0
            for _ in range(24):  # on a face the levels converge only linearly (about halving)
                if closed() or stalled >= 2:
                    break
                solved = programme.solve(t)
                if solved is None:
                    break
                u, duals = solved
                before = (lower, upper)
                upper = min(upper, dual_bound(scaled, dims, duals))
                w = d * u
                w = w / w.max()
                value = alpha(jac, dims, w)
                gain = value - lower if value > lower else 0.0
                if gain > 0:
                    lower, best = value, w
                stalled = stalled + 1 if (lower, upper) == before else 0
                # Dinkelbach: the next level is the value just reached; halve the bracket when that
                # stalls.
                t = lower if gain > 0.1 * (upper - lower) else lower + 0.5 * (upper - lower)
        if not closed():
            value, w = self.polish(best)
            if value > lower:
                lower, best = value, w
        return lower, upper, best


def rng_matrix(rng, rows, cols, scale):
    return scale * rng.uniform(-1, 1, size=(rows, cols))


def random_blocks(rng, n, kind):
    """(dims, own blocks, couplings {(i, j): block}) of one game of the given kind."""
    dims = [int(d) for d in rng.integers(1, 4, size=n)]
    shift = rng.uniform(0.2, 2.0)
    scale = rng.uniform(0.1, 1.5)  # about half of the games have a positive optimum
    own = [rng_matrix(rng, d, d, 0.6) + shift * np.eye(d) for d in dims]
    coupling = {}
    if kind == "irreducible":
        for i in range(n):  # a ring keeps the graph strongly connected, extra edges at random
            coupling[(i, (i + 1) % n)] = rng_matrix(rng, dims[i], dims[(i + 1) % n], scale)
        for i in range(n):
            for j in range(n):
                if i != j and (i, j) not in coupling and rng.uniform() < 0.5:
                    coupling[(i, j)] = rng_matrix(rng, dims[i], dims[j], scale)
    elif kind == "reducible":
        # Blocks only from a lower to a higher player in a random order, plus one two-way pair
        # (a, b): the condensation has one- and two-player components. Every player outside the
        # pair gets a larger own block, so that (for most seeds) the pair's own optimum binds and
        # the supremum is approached only as the components' weight scales separate.
        order = rng.permutation(n)
        rank = {int(p): k for k, p in enumerate(order)}
        for i in range(n):
            for j in range(n):
                if i != j and rank[i] < rank[j] and rng.uniform() < 0.7:
                    coupling[(i, j)] = rng_matrix(rng, dims[i], dims[j], scale)
        a, b = int(order[n // 2 - 1]), int(order[n // 2])
        coupling[(a, b)] = rng_matrix(rng, dims[a], dims[b], 2 * scale)
        coupling[(b, a)] = rng_matrix(rng, dims[b], dims[a], 2 * scale)
        own = [m if i in (a, b) else m + 1.5 * np.eye(m.shape[0]) for i, m in enumerate(own)]
    elif kind == "skew":
        # Zero-sum-like after scaling: J_ji = −(v_i/v_j)·J_ijᵀ for hidden weights v, so the coupling
        # cancels in sym(WJ) exactly at w = v; own blocks skew, zero, or weakly positive.
        v = np.exp(rng.uniform(-2, 2, size=n))
        for i in range(n):
            d = dims[i]
            k = rng.uniform(-1, 1, size=(d, d))
            choice = i % 3
            own[i] = (k - k.T) if choice == 0 else (np.zeros((d, d)) if choice == 1 else 0.3 * np.eye(d) + (k - k.T))
        for i in range(n):
            for j in range(i + 1, n):
                if rng.uniform() < 0.7:
                    b = rng_matrix(rng, dims[i], dims[j], scale)
                    coupling[(i, j)] = b
                    coupling[(j, i)] = -(v[i] / v[j]) * b.T
    elif kind == "flat":
        # No couplings at all, or only among players that do not bind (their own blocks are larger):
        # the optimum is the smallest block bound, attained on a set of weights with interior.
        own = [shift * np.eye(d) + 0.1 * rng_matrix(rng, d, d, 1) for d in dims]
        weakest = int(np.argmin([np.linalg.eigvalsh((b + b.T) / 2)[0] for b in own]))
        if n >= 3 and rng.uniform() < 0.5:
            others = [i for i in range(n) if i != weakest]
            for i in others:
                own[i] = own[i] + 5 * np.eye(dims[i])
            for i in others:
                for j in others:
                    if i != j:
                        coupling[(i, j)] = rng_matrix(rng, dims[i], dims[j], 0.3)
    return dims, own, coupling


def dense(dims, own, coupling):
    o = offsets_of(dims)
    j = np.zeros((o[-1], o[-1]))
    for i, b in enumerate(own):
        j[o[i]:o[i + 1], o[i]:o[i + 1]] = b
    for (i, k), b in coupling.items():
        j[o[i]:o[i + 1], o[k]:o[k + 1]] = b
    return j


def quadratic_file(name, dims, own, coupling):
    players = []
    for i, d in enumerate(dims):
        p = {"name": f"p{i}", "dim": d, "hessian": own[i].tolist()}
        c = {f"p{k}": b.tolist() for (r, k), b in sorted(coupling.items()) if r == i}
        if c:
            p["coupling"] = c
        players.append(p)
    return {"kind": "quadratic", "name": name, "players": players}


def cases(seed=20261129):
    """(name, dims, jacobians, game JSON) for every case; seeded, so the same games every run."""
    out = []
    rng = np.random.default_rng(seed)
    plan = ([("irreducible", n) for n in (2, 2, 3, 3, 4, 4, 5, 6)]
            + [("reducible", n) for n in (3, 4, 5, 6)]
            + [("skew", n) for n in (2, 3, 4, 5)]
            + [("flat", n) for n in (2, 3, 4, 5)])
    for k, (kind, n) in enumerate(plan):
        dims, own, coupling = random_blocks(rng, n, kind)
        name = f"{kind}-{n}-{k:02d}"
        out.append((name, dims, [dense(dims, own, coupling)], quadratic_file(name, dims, own, coupling)))
    # Sampled games: S = 2 or 3 Jacobians around one irreducible game (one LMI per Jacobian).
    for k, n in enumerate((2, 3, 4, 5)):
        dims, own, coupling = random_blocks(rng, n, "irreducible")
        base = dense(dims, own, coupling)
        samples = [base + 0.3 * rng.uniform(-1, 1, size=base.shape) for _ in range(2 + k % 2)]
        name = f"sampled-{n}-{k:02d}"
        game = {"kind": "jacobians", "name": name,
                "players": [{"name": f"p{i}", "dim": d} for i, d in enumerate(dims)],
                "jacobians": [s.tolist() for s in samples]}
        out.append((name, dims, samples, game))
    return out


CASES = cases()


@pytest.fixture(scope="module")
def certificates(tmp_path_factory, binary):
    """Every case certified by one batch call of the binary under test, by game name."""
    folder = tmp_path_factory.mktemp("lmi")
    for name, _, _, game in CASES:
        (folder / f"{name}.json").write_text(json.dumps(game))
    run = subprocess.run([binary, "certify", str(folder)], capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    out = {}
    for line in run.stdout.splitlines():
        c = json.loads(line)
        out[c["game"]["name"]] = c
    assert sorted(out) == sorted(name for name, *_ in CASES)
    return out


@pytest.mark.parametrize("name,dims,jacobians", [c[:3] for c in CASES], ids=[c[0] for c in CASES])
def test_weighted_margin_matches_lmi_optimum(certificates, name, dims, jacobians):
    c = certificates[name]
    margin = c["margins"]["weighted"]
    bound = c["margins"]["weighted_upper_bound"]
    assert margin is not None and bound is not None, c["margins"]
    lower, upper, w = Oracle(jacobians, dims).solve(ORACLE_WIDTH)
    scale = max(np.linalg.norm(j) for j in jacobians)
    size = max(abs(lower), abs(upper), 1e-2 * scale)
    # The oracle's own bracket is tight: lower is α at its weights, upper a dual certificate.
    assert upper - lower <= ORACLE_WIDTH * size, (lower, upper)
    # sgn's margin is an attained value: never above the oracle's proven upper bound (beyond rounding).
    assert margin <= upper + 1e-12 * size, (margin, upper)
    # ...and the optimum: no more than 1e-7 below the oracle's attained value.
    assert margin >= lower - MATCH * size, (margin, lower, upper)
    # sgn's proven bound is no lower than a value the oracle attains, and closes on its margin.
    assert bound >= lower - 1e-12 * size, (bound, lower)
    assert bound - margin <= MATCH * size, (bound, margin)
    # Where the weighted rung certifies, its printed weights give the stated margin (numpy).
    if c["certified_by"] == "weighted":
        printed = np.array([c["metric"]["weights"][f"p{i}"] for i in range(len(dims))])
        assert alpha(jacobians, dims, printed) == pytest.approx(margin, rel=1e-9, abs=1e-12 * scale)


def test_the_cases_cover_what_they_claim(certificates):
    """The ensemble is what the test says: reducible graphs, non-positive own blocks, flat optima."""
    graphs = {name: certificates[name]["constants"]["coupling_graph"] for name, *_ in CASES}
    assert all(graphs[n] == "reducible" for n in graphs if n.startswith("reducible"))
    assert all(graphs[n] == "strongly_connected" for n in graphs if n.startswith(("irreducible", "sampled")))
    skew = [CASES[k] for k, (n, *_) in enumerate(CASES) if n.startswith("skew")]
    # Every skew game has a player whose own block has a zero symmetric part: its weighted margin ≤ 0.
    assert all(certificates[n]["margins"]["weighted_upper_bound"] <= 1e-12 for n, *_ in skew)
    sampled = [n for n, *_ in CASES if n.startswith("sampled")]
    assert all(certificates[n]["constants"]["samples"] >= 2 for n in sampled)
