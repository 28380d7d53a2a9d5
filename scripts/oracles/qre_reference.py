#!/usr/bin/env python3
"""Reference logit QREs (principal branch) for Tests/SGNTests/QREReferenceTests.swift.

Two independent computations of the quantal-response equilibrium on the principal branch
(continued from lambda = 0, the uniform policy, to lambda = 1/tau) of small normal-form games:

1. Gambit's logit tracer, through pygambit (`pygambit.qre.logit_solve_lambda`), when it is
   installed (python3 -m venv /tmp/gambit-venv && /tmp/gambit-venv/bin/pip install pygambit numpy);
2. a tracer written here in numpy: pseudo-arclength continuation of
   E(z, lam) = z - log_softmax(lam * u(exp z)) = 0 in log-probabilities z (no sum constraint,
   finite-difference Jacobians, SVD tangents), then Newton at lam = 1/tau to |E| < 1e-14.

Gambit's lambda multiplies the payoffs as given, so lam = 1/tau matches sgn's one-state,
discount-0 Markov game (policies proportional to exp(payoff/tau)). The script checks the two
agree to 1e-9 where pygambit is available (and that pygambit's point is a QRE at all: on the
McKelvey-McLennan game pygambit 16.7.0 returns the same non-QRE point for lambda = 1 and 4, which
is reported and skipped) and prints the probabilities (numpy tracer, 17
significant digits) as Swift literals for the test.

Usage: python3 scripts/oracles/qre_reference.py   (numpy required; pygambit optional)
"""
import itertools
import sys

import numpy as np

try:
    import pygambit as gbt
except ImportError:  # the numpy tracer alone
    gbt = None


def games():
    """(name, tau, payoff tensors: one array per player, indexed [a_1, ..., a_N])."""
    out = []
    poker = np.array([[0, 1], [0.5, 0], [-0.5, 1], [0, 0]], dtype=float)  # Myerson's poker, Fred
    for tau in (0.5, 0.1):
        out.append((f"myerson-poker-tau{tau}", tau, [poker, -poker]))
    # O'Neill (1987): Gambit's oneill.nfg; player 1's payoff, zero-sum.
    oneill = np.array([[1, -1, -1, -1], [-1, -1, 1, 1], [-1, 1, -1, 1], [-1, 1, 1, -1]], dtype=float)
    # oneill.nfg lists outcomes with player 1's strategy changing fastest: entry k = (k % 4, k // 4).
    table = [1, -1, -1, -1, -1, -1, 1, 1, -1, 1, -1, 1, -1, 1, 1, -1]
    oneill = np.zeros((4, 4))
    for k, v in enumerate(table):
        oneill[k % 4, k // 4] = v
    out.append(("oneill-tau0.2", 0.2, [oneill, -oneill]))
    rps = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], dtype=float)
    out.append(("rps-tau0.3", 0.3, [rps, -rps]))
    mp = np.array([[1, -1], [-1, 1]], dtype=float)
    out.append(("matching-pennies-tau0.5", 0.5, [mp, -mp]))
    pd = np.array([[9, 0], [10, 1]], dtype=float)  # Gambit's pd.nfg, player 1
    out.append(("prisoners-dilemma-tau2", 2.0, [pd, pd.T]))
    stag = np.array([[4, 0], [3, 3]], dtype=float)
    out.append(("stag-hunt-tau0.25", 0.25, [stag, stag.T]))
    # Gambit's 2x2x2.nfg (McKelvey-McLennan): outcomes in profile order, player 1 fastest.
    outcomes = [(9, 8, 12), (0, 0, 0), (0, 0, 0), (9, 8, 2), (0, 0, 0), (3, 4, 6), (3, 4, 6), (0, 0, 0)]
    three = [np.zeros((2, 2, 2)) for _ in range(3)]
    for k, pay in enumerate(outcomes):
        a = (k % 2, (k // 2) % 2, k // 4)
        for i in range(3):
            three[i][a] = pay[i]
    out.append(("mckelvey-mclennan-2x2x2-tau1", 1.0, three))
    out.append(("mckelvey-mclennan-2x2x2-tau0.25", 0.25, three))
    rng = np.random.default_rng(20261129)
    for shape in ((2, 4), (4, 3), (3, 4)):
        a = np.round(rng.uniform(-1, 1, size=shape), 3)
        out.append((f"random-zero-sum-{shape[0]}x{shape[1]}-tau0.2", 0.2, [a, -a]))
    general = [np.round(rng.uniform(-1, 1, size=(2, 2, 2)), 3) for _ in range(3)]
    out.append(("random-3-player-2x2x2-tau0.5", 0.5, general))
    return out


def action_values(payoffs, probs):
    """u_i(b) = sum over the others' actions of their probabilities times player i's payoff."""
    n = len(payoffs)
    values = []
    for i in range(n):
        t = payoffs[i]
        for j in reversed(range(n)):
            if j != i:
                t = np.tensordot(t, probs[j], axes=([j], [0])) if j > i else np.tensordot(t, probs[j], axes=([j], [0]))
        values.append(np.asarray(t, dtype=float).reshape(-1))
    return values


def split(z, sizes):
    return np.split(z, np.cumsum(sizes)[:-1])


def equations(z, lam, payoffs, sizes):
    probs = [np.exp(p) for p in split(z, sizes)]
    out = []
    for zi, ui in zip(split(z, sizes), action_values(payoffs, probs)):
        v = lam * ui
        m = v.max()
        out.append(zi - (v - m - np.log(np.exp(v - m).sum())))
    return np.concatenate(out)


def jacobian(f, y, h=1e-7):
    f0 = f(y)
    jac = np.zeros((f0.size, y.size))
    for k in range(y.size):
        e = np.zeros_like(y)
        e[k] = h
        jac[:, k] = (f(y + e) - f(y - e)) / (2 * h)
    return jac


def trace(payoffs, lam_target):
    sizes = [p.shape[i] for i, p in enumerate(payoffs)]
    y = np.concatenate([np.full(s, -np.log(s)) for s in sizes] + [np.zeros(1)])
    F = lambda y: equations(y[:-1], y[-1], payoffs, sizes)
    tangent_prev = np.zeros_like(y)
    tangent_prev[-1] = 1
    h = 0.05
    for _ in range(200000):
        jac = jacobian(F, y)
        t = np.linalg.svd(jac)[2][-1]
        if t @ tangent_prev < 0:
            t = -t
        while True:
            pred = y + h * t
            z = pred.copy()
            ok = False
            for _ in range(10):
                r = np.concatenate([F(z), [t @ (z - pred)]])
                d = np.linalg.solve(np.vstack([jacobian(F, z), t]), -r)
                z += d
                if np.abs(d).max() < 1e-11:
                    ok = True
                    break
            if ok and np.abs(z - pred).max() < 0.5 * h and z[:-1].max() <= 1e-9:
                break
            h /= 2
            if h < 1e-12:
                raise RuntimeError("lost the branch")
        if z[-1] >= lam_target:
            s = (lam_target - y[-1]) / (z[-1] - y[-1])
            x = y[:-1] + s * (z[:-1] - y[:-1])
            for _ in range(100):
                r = equations(x, lam_target, payoffs, sizes)
                if np.abs(r).max() < 1e-14:
                    break
                x = x + np.linalg.solve(jacobian(lambda w: equations(w, lam_target, payoffs, sizes), x), -r)
            assert np.abs(equations(x, lam_target, payoffs, sizes)).max() < 1e-13
            return [np.exp(p) for p in split(x, sizes)]
        y = z
        tangent_prev = t
        h = min(1.5 * h, 0.5)


def gambit_qre(payoffs, lam):
    from fractions import Fraction
    game = gbt.Game.from_arrays(*[np.array(p, dtype=float) for p in payoffs])
    result = gbt.qre.logit_solve_lambda(game, lam=[lam])
    profile = result[0].profile
    return [np.array([float(profile[s]) for s in player.strategies]) for player in game.players]


def main():
    print("// Generated by scripts/oracles/qre_reference.py" + (f" (numpy tracer; pygambit {gbt.__version__} compared below)" if gbt else " (numpy tracer; pygambit not installed)"))
    notes = []
    for name, tau, payoffs in games():
        probs = trace(payoffs, 1 / tau)
        if gbt is not None:
            ref = gambit_qre(payoffs, 1 / tau)
            gap = max(np.abs(a - b).max() for a, b in zip(probs, ref))
            sizes = [len(p) for p in ref]
            ref_residual = np.abs(equations(np.log(np.concatenate(ref)), 1 / tau, payoffs, sizes)).max()
            if ref_residual > 1e-6:
                # Gambit's answer is not a logit QRE at this lambda (its tracer stops short on
                # this game); the numpy tracer's point is, to 1e-13.
                notes.append(f"// {name}: pygambit returned a point that is not a QRE (residual {ref_residual:.2g}); numpy tracer only")
            else:
                assert gap < 1e-9, (name, gap)
                notes.append(f"// {name}: pygambit agrees (max difference {gap:.1e})")
        shape = "x".join(str(p.shape[i]) for i, p in enumerate(payoffs))
        pays = ", ".join("[" + ", ".join(repr(float(v)) for v in p.reshape(-1)) + "]" for p in payoffs)
        pr = ", ".join("[" + ", ".join(f"{v:.17g}" for v in p) + "]" for p in probs)
        print(f'("{name}", {tau!r}, [{", ".join(str(p.shape[i]) for i, p in enumerate(payoffs))}], [{pays}],\n [{pr}]),')
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
