"""Reference implementation of sgn's Markov-game pipeline with numpy/scipy (imported by
reference.py for inputs with `"kind": "markov"`).

Written from docs/markov-games.md and docs/markov-games.md, independently of the Swift code:

- pseudo-gradient: the policy-gradient formula with numpy arrays (joint policy as an outer
  product, `V` and the occupancy `d` by numpy.linalg.solve);
- Jacobian: complex-step differentiation, `∂F/∂θ·u = Im F(θ + i·h·u)/h` with h = 1e-30. Every
  operation of the gradient (exp, log, products, the LU solves) is complex-analytic, so this is
  exact to rounding with no step-size trade-off (unlike real finite differences), which is what
  lets the reference agree with sgn's forward-mode AD to ~1e-12 rather than ~1e-7;
- tangent space: the Helmert basis per player and state; Fisher geometry: the Jacobian D of the
  natural policy gradient field `G = U F̃(θ)⁻¹ Uᵀ F(θ)` (computed here by the Fisher solve with
  numpy.linalg.solve, not by sgn's closed form; differentiated by the complex step) in the metric
  frozen at θ*, `F*^{1/2} D F*^{-1/2}` with the square roots from numpy.linalg.eigh (at θ* this is
  `K = F̃^{-1/2} J̃ F̃^{-1/2}`);
- equilibrium: damped Newton in tangent coordinates from the uniform policy (backtracking on
  ‖F‖), scipy.optimize.root (`lm`) and a temperature continuation as fallbacks, then Newton
  polishing to rounding level;
- region: exactly `samples` points when given (the centre, every vertex when they fit, then
  uniform points; otherwise `samples − 1` SplitMix64 points, alternately a random vertex and a
  uniform point); without `samples`, every vertex when there are at most 4096, else 256 points.
  They must be the same points sgn uses, so the generator is reimplemented bit for bit;
- the rest (block constants as min/max over the sampled Jacobians, comparison matrix, Perron
  weights, the margin ladder, β, steps) is the shared ladder of reference.py, with the metric
  margin and norm taken as the worst case over the stack of sampled Jacobians (batched LAPACK).
"""
import json
import os

import numpy as np
import scipy.optimize as sopt

import reference as common

MAX_VERTICES = 4096                 # MarkovGame.Region.maxEnumeratedVertices
EQUILIBRIUM_RESIDUAL = 1e-10        # Tolerance.equilibriumResidual
NEGLIGIBLE_BLOCK = 1e-13            # Tolerance.negligibleBlockRelative
COMPLEX_STEP = 1e-30
MASK64 = (1 << 64) - 1


# ---------------------------------------------------------------------------------------------
# Input

def load(path, g):
    states = g["states"]
    names = [f"s{k}" for k in range(states)] if isinstance(states, int) else list(states)
    S = len(names)
    players = g["players"]
    pnames = [p["name"] for p in players]
    A = [int(p["actions"]) for p in players]
    N = len(A)
    J = int(np.prod(A))
    rho0 = np.array(g.get("initial", [1.0 / S] * S), float)
    if "transitions" in g:
        P = np.array(g["transitions"], float).reshape(S, J, S)
    else:
        P = np.ones((S, J, 1))
    R = np.array([np.array(g["rewards"][n], float).reshape(S, J) for n in pnames])
    region = g.get("region", {})
    raw_off = np.concatenate([[0], np.cumsum([S * a for a in A])]).astype(int)
    tan_off = np.concatenate([[0], np.cumsum([S * (a - 1) for a in A])]).astype(int)
    center = None
    if "center" in region:
        center = np.concatenate([np.array(region["center"][n], float).reshape(-1) for n in pnames])
    game = dict(name=g.get("name", os.path.basename(path)[:-5]), pnames=pnames, S=S, A=A, N=N, J=J, rho0=rho0, P=P, R=R,
                gamma=float(g["discount"]), tau=float(g["temperature"]), geometry=g.get("geometry", "fisher"),
                radius=float(region.get("radius", 0.1)),
                samples=int(region["samples"]) if "samples" in region else None,
                seed=int(region.get("seed", 1)), center=center, raw_off=raw_off, tan_off=tan_off,
                dims=[S * (a - 1) for a in A])
    game["U"] = tangent_basis_matrix(game)
    return game


def helmert(a):
    """The A×(A−1) orthonormal basis of sum-zero vectors (docs/markov-games.md, "Tangent space")."""
    u = np.zeros((a, a - 1))
    for k in range(a - 1):
        m = k + 1
        u[:m, k] = 1 / np.sqrt(m * (m + 1))
        u[m, k] = -m / np.sqrt(m * (m + 1))
    return u


def tangent_basis_matrix(g):
    """Block-diagonal raw×tangent matrix U (player, then state)."""
    U = np.zeros((g["raw_off"][-1], g["tan_off"][-1]))
    for i, a in enumerate(g["A"]):
        h = helmert(a)
        for s in range(g["S"]):
            r0 = g["raw_off"][i] + s * a
            c0 = g["tan_off"][i] + s * (a - 1)
            U[r0:r0 + a, c0:c0 + a - 1] = h
    return U


# ---------------------------------------------------------------------------------------------
# Pseudo-gradient (batched over a leading axis; works on complex logits for the complex step)

def policies(g, theta):
    """Per player, (B, S, A_i) probabilities and log-probabilities of a (B, raw) logit stack."""
    out = []
    for i, a in enumerate(g["A"]):
        th = theta[:, g["raw_off"][i]:g["raw_off"][i + 1]].reshape(-1, g["S"], a)
        shifted = th - th.real.max(axis=2, keepdims=True)
        e = np.exp(shifted)
        z = e.sum(axis=2, keepdims=True)
        out.append((e / z, shifted - np.log(z)))
    return out


def pseudo_gradient(g, theta, tau=None):
    """F(θ) = (−∇_{θ_1} J_1, …) in raw logits, for a (B, raw) stack of logit vectors."""
    tau = g["tau"] if tau is None else tau
    theta = np.atleast_2d(theta)
    B, S, N, A, gamma = theta.shape[0], g["S"], g["N"], g["A"], g["gamma"]
    pol = policies(g, theta)
    joint = pol[0][0]
    for p, _ in pol[1:]:
        joint = (joint[:, :, :, None] * p[:, :, None, :]).reshape(B, S, -1)   # first player slowest
    reward = np.einsum("bsa,isa->bis", joint, g["R"])                       # r_i^π(s)
    if gamma == 0:
        V = reward
        d = np.broadcast_to(g["rho0"], (B, S))
        Q = np.broadcast_to(g["R"], (B,) + g["R"].shape)
    else:
        M = np.eye(S) - gamma * np.einsum("bsa,sat->bst", joint, g["P"])
        V = np.linalg.solve(M, np.swapaxes(reward, 1, 2))                   # (B, S, N)
        V = np.swapaxes(V, 1, 2)
        d = (1 - gamma) * np.linalg.solve(np.swapaxes(M, 1, 2), np.broadcast_to(g["rho0"], (B, S))[:, :, None])[:, :, 0]
        Q = g["R"][None] + gamma * np.einsum("sat,bit->bisa", g["P"], V)
    weighted = joint[:, None] * Q                                           # (B, N, S, J)
    F = []
    for i, (p, lp) in enumerate(pol):
        t = weighted[:, i].reshape((B, S) + tuple(A))
        W = t.sum(axis=tuple(2 + j for j in range(N) if j != i))           # Σ_{a: a_i = b} π(a|s) Q_i(s,a)
        H = -(p * lp).sum(axis=2, keepdims=True)
        grad = d[:, :, None] * (W - p * V[:, i, :, None]) - tau * p * (lp + H)
        F.append(-grad.reshape(B, -1))
    return np.concatenate(F, axis=1)


def natural_gradient(g, theta):
    """G = U F̃(θ)⁻¹ Uᵀ F(θ) per player and state (raw logits), for a (B, raw) stack, by the
    Fisher solve (complex-analytic, so the complex step differentiates it)."""
    theta = np.atleast_2d(theta)
    F = pseudo_gradient(g, theta)
    G = np.zeros_like(F)
    for i, (p, _) in enumerate(policies(g, theta)):
        a = g["A"][i]
        u = helmert(a)
        for s in range(g["S"]):
            r0 = g["raw_off"][i] + s * a
            pi = p[:, s]                                                    # (B, A)
            f = np.einsum("ak,ba,al->bkl", u, pi, u) - np.einsum("ak,ba,bc,cl->bkl", u, pi, pi, u)
            x = np.linalg.solve(f, (F[:, r0:r0 + a] @ u)[:, :, None])[:, :, 0]
            G[:, r0:r0 + a] = x @ u.T
    return G


def field_jacobian(g, theta):
    """D = Uᵀ (∂G/∂θ) U at θ (fisher: the natural gradient G; euclidean: G = F), complex step."""
    U = g["U"]
    points = theta[None, :] + 1j * COMPLEX_STEP * U.T
    field = natural_gradient if g["geometry"] == "fisher" else pseudo_gradient
    dG = field(g, points).imag / COMPLEX_STEP
    return U.T @ dG.T


def tangent_jacobian(g, theta, tau=None):
    """J̃ = Uᵀ (∂F/∂θ) U at θ, by the complex step along every tangent basis direction."""
    U = g["U"]
    points = theta[None, :] + 1j * COMPLEX_STEP * U.T
    dF = pseudo_gradient(g, points, tau).imag / COMPLEX_STEP               # row k: ∂F·U[:, k]
    return U.T @ dF.T


def tangent_residual(g, x, tau=None):
    return np.linalg.norm(g["U"].T @ pseudo_gradient(g, g["U"] @ x, tau)[0])


# ---------------------------------------------------------------------------------------------
# Equilibrium

def newton(g, x, tau, tol, iterations=60):
    r = tangent_residual(g, x, tau)
    for _ in range(iterations):
        if r <= tol:
            break
        theta = g["U"] @ x
        f = g["U"].T @ pseudo_gradient(g, theta, tau)[0]
        try:
            step = np.linalg.solve(tangent_jacobian(g, theta, tau), -f)
        except np.linalg.LinAlgError:
            break
        size = np.abs(step).max()
        if not np.isfinite(size):
            break
        if size > 10:
            step *= 10 / size
        t = 1.0
        while t >= 1e-4:
            rt = tangent_residual(g, x + t * step, tau)
            if rt < (1 - 1e-4 * t) * r or rt <= tol:
                break
            t /= 2
        if t < 1e-4:
            break
        x, r = x + t * step, rt
    # polish: full Newton steps while they lower the residual
    for _ in range(3):
        theta = g["U"] @ x
        f = g["U"].T @ pseudo_gradient(g, theta, tau)[0]
        try:
            trial = x + np.linalg.solve(tangent_jacobian(g, theta, tau), -f)
        except np.linalg.LinAlgError:
            break
        rt = tangent_residual(g, trial, tau)
        if not rt < r:
            break
        x, r = trial, rt
    return x, r


def equilibrium(g):
    scale = max(1.0, np.abs(g["R"]).max(), g["tau"])
    tol = EQUILIBRIUM_RESIDUAL * scale
    m = g["tan_off"][-1]
    x, r = newton(g, np.zeros(m), g["tau"], tol)
    method = "newton"
    if r > tol:
        sol = sopt.root(lambda y: g["U"].T @ pseudo_gradient(g, g["U"] @ y)[0], x, method="lm",
                        jac=lambda y: tangent_jacobian(g, g["U"] @ y))
        x2, r2 = newton(g, sol.x, g["tau"], tol)
        if r2 < r:
            x, r, method = x2, r2, "scipy root (lm) then newton"
    if r > tol:
        # temperature continuation from a temperature where the entropy dominates
        hot = max(g["tau"], 10 * max(g["A"]) * np.abs(g["R"]).max() / (1 - g["gamma"]) ** 2)
        y = np.zeros(m)
        for t in np.geomspace(hot, g["tau"], 200):
            y, _ = newton(g, y, t, tol, iterations=25)
        y, ry = newton(g, y, g["tau"], tol)
        if ry < r:
            x, r, method = y, ry, "temperature continuation"
    return g["U"] @ x, r, tol, method


# ---------------------------------------------------------------------------------------------
# Region

def splitmix64(seed):
    state = seed & MASK64
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        yield z ^ (z >> 31)


def _mix(a, b):
    """The first SplitMix64 output from the state a ^ (b * 0xD6E8FEB86659FD93) (64-bit)."""
    return next(splitmix64((a ^ ((b * 0xD6E8FEB86659FD93) & MASK64)) & MASK64))


def _fnv1a(name):
    h = 0xCBF29CE484222325
    for byte in name.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) & MASK64
    return h


def keyed_point(g, c, k, vertex):
    """Sample point k: each logit drawn from the key (seed, k, player name, state, action), so a
    point does not depend on the players' order (MarkovGame.keyedPoint, docs/markov-games.md)."""
    r = g["radius"]
    x = np.array(c, dtype=float)
    base = _mix(g["seed"] & MASK64, k)
    for i, name in enumerate(g["pnames"]):
        keyed = _mix(base, _fnv1a(name))
        a_count = g["A"][i]
        for s in range(g["S"]):
            for a in range(a_count):
                h = _mix(_mix(keyed, s), a)
                j = g["raw_off"][i] + s * a_count + a
                x[j] += (r if h & 1 else -r) if vertex else (-r + 2 * r * float(h >> 11) * 2.0 ** -53)
    return x


def sample_points(g, c):
    # Exactly `samples` points when given; without it every vertex when they fit, else 256
    # (MarkovGame.Region.pointCount).
    r, n = g["radius"], len(c)
    fits = n < 63 and (1 << n) <= MAX_VERTICES
    count = g["samples"] if g["samples"] is not None else ((1 << n) + 1 if fits else 256)
    if n < 63 and (1 << n) + 1 <= count:
        masks = np.arange(1 << n)
        bits = (masks[:, None] >> np.arange(n)[None, :]) & 1
        pts = [c] + list(c[None, :] + np.where(bits == 1, r, -r))
        extra = count - len(pts)
        pts += [keyed_point(g, c, k, False) for k in range(1, extra + 1)]
        return np.array(pts), "vertices"
    pts = [c] + [keyed_point(g, c, k, k % 2 == 1) for k in range(1, max(count, 1))]
    return np.array(pts), "seeded"


# ---------------------------------------------------------------------------------------------
# Geometry

def fisher_roots(g, theta):
    """blockdiag over (player, state) of F̃^{1/2} and F̃^{-1/2}; None when some F̃ is not positive definite."""
    m = g["tan_off"][-1]
    R, D = np.zeros((m, m)), np.zeros((m, m))
    for i, (p, _) in enumerate(policies(g, theta[None, :])):
        u = helmert(g["A"][i])
        for s in range(g["S"]):
            pi = p[0, s]
            f = u.T @ (np.diag(pi) - np.outer(pi, pi)) @ u
            lam, vec = np.linalg.eigh(f)
            if lam[0] <= 0:
                return None
            o = g["tan_off"][i] + s * (g["A"][i] - 1)
            k = g["A"][i] - 1
            R[o:o + k, o:o + k] = (vec * np.sqrt(lam)) @ vec.T
            D[o:o + k, o:o + k] = (vec / np.sqrt(lam)) @ vec.T
    return R, D


def certified_jacobian(g, theta, metric):
    """The certified dynamics' Jacobian in the certificate's metric: `R D R⁻¹` with metric = (R, R⁻¹)
    the roots of F̃(θ*) (fisher), D alone (euclidean)."""
    j = field_jacobian(g, theta)
    if metric is not None:
        j = metric[0] @ j @ metric[1]
    # off-diagonal blocks that are rounding noise of an absent coupling are dropped
    o, noise = g["tan_off"], NEGLIGIBLE_BLOCK * np.abs(j).max()
    for a in range(g["N"]):
        for b in range(g["N"]):
            if a != b and np.abs(j[o[a]:o[a + 1], o[b]:o[b + 1]]).max() <= noise:
                j[o[a]:o[a + 1], o[b]:o[b + 1]] = 0
    return j


def block_constants(g, jacs):
    """μ_i = min λmin(sym K_ii), ℓ_i = max ‖K_ii‖, L_ij = max ‖K_ij‖ over the sampled Jacobians."""
    o, N = g["tan_off"], g["N"]
    mu, ell, coupling = [], [], []
    for i in range(N):
        own = jacs[:, o[i]:o[i + 1], o[i]:o[i + 1]]
        mu.append(np.linalg.eigvalsh((own + np.swapaxes(own, 1, 2)) / 2)[:, 0].min())
        ell.append(np.linalg.norm(own, 2, axis=(1, 2)).max())
        row = []
        for j in range(N):
            if j != i:
                v = np.linalg.norm(jacs[:, o[i]:o[i + 1], o[j]:o[j + 1]], 2, axis=(1, 2)).max()
                if v > 0:
                    row.append((j, v))
        coupling.append(row)
    return np.array(mu), np.array(ell), coupling


def basin_radius(g, centre, star, w):
    """docs/markov-games.md, "Basin": ρ = √2 min r_{i,s}√(w_i lo), b = ρ/√(Σ w_i A_i Σ_s hi)."""
    r = g["radius"]
    rho, spread = np.inf, 0.0
    pols = policies(g, centre[None, :])
    for i, a in enumerate(g["A"]):
        for s in range(g["S"]):
            sl = slice(g["raw_off"][i] + s * a, g["raw_off"][i] + (s + 1) * a)
            delta = star[sl] - centre[sl]
            slack = r - (delta.max() - delta.min()) / 2
            if slack <= 0:
                return None
            if g["geometry"] == "fisher":
                odds = 1 / pols[i][0][0, s] - 1
                lo = (1 / (1 + np.exp(2 * r) * odds)).min()
                hi = (1 / (1 + np.exp(-2 * r) * odds)).max()
            else:
                lo = hi = 1.0
            rho = min(rho, np.sqrt(2) * slack * np.sqrt(w[i] * lo))
            spread += w[i] * a * hi
    return rho / np.sqrt(spread)


# ---------------------------------------------------------------------------------------------
# Pipeline

def certify(path, raw):
    g = load(path, raw)
    n = g["N"]
    star, residual, tol, method = equilibrium(g)
    pol = policies(g, star[None, :])
    out = dict(file=path, name=g["name"], kind="markov", geometry=g["geometry"],
               equilibrium=dict(residual=residual, method=method, logits=star.tolist(),
                                policies=[p[0].tolist() for p, _ in pol]))
    def not_examined(reason):
        out.update(status="not_certified", certified_by=None, reason=reason,
                   margins=dict(euclidean=None, sgn=None, weighted=None), lipschitz=None, euclidean_lipschitz=None)
        return out
    if residual > tol:
        return not_examined(f"equilibrium not found (residual {residual:g} > {tol:g})")
    centre = star if g["center"] is None else g["center"]
    points, sampling = sample_points(g, centre)
    metric = None
    if g["geometry"] == "fisher":
        metric = fisher_roots(g, star)
        if metric is None:
            return not_examined("Fisher matrix singular at the equilibrium")
    jacs = np.array([certified_jacobian(g, theta, metric) for theta in points])
    jacs = np.array(jacs)
    mu, ell, coupling = block_constants(g, jacs)
    dims = np.array(g["dims"])

    def weighted(w):
        s = np.repeat(np.sqrt(w), dims)
        return jacs * s[None, :, None] / s[None, None, :]

    def margin(w):
        a = weighted(w)
        return np.linalg.eigvalsh((a + np.swapaxes(a, 1, 2)) / 2)[:, 0].min()

    def lipschitz(w):
        return np.linalg.svd(weighted(w), compute_uv=False)[:, 0].max()

    best, cands, tau = common.ladder(mu, coupling, margin, lipschitz, gsparse=False)
    certified = best[2] > common.MARGIN_RELATIVE * best[3] and 0 < best[3] < np.inf
    out.update(status="certified" if certified else "not_certified", certified_by=best[0] if certified else None,
               margins={c[0]: c[2] for c in cands}, tau=tau, weights=best[1].tolist(),
               lipschitz=best[3], euclidean_lipschitz=cands[0][3], linear_algebra="dense",
               constants=dict(curvature=mu.tolist(), own_size=ell.tolist(),
                              coupling=[[[j, v] for j, v in row] for row in coupling]),
               samples=len(points), sampling=sampling)
    if certified:
        a, b = best[2], best[3]
        out["steps"] = dict(euler_max=2 * a / b ** 2, rk4_max=2.6155 / b)
        out["basin_radius"] = basin_radius(g, centre, star, best[1])
    out["equilibrium_residual"] = residual
    return out
