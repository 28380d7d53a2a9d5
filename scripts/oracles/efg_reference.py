#!/usr/bin/env python3
"""Reference values for Tests/SGNTests/ExtensiveFormInputTests.swift, computed by Gambit.

Gambit reads the .efg files itself (pygambit 16.7.0: python3 -m venv /tmp/gambit-venv &&
/tmp/gambit-venv/bin/pip install pygambit numpy) and evaluates behaviour profiles with its own
tree code, independent of sgn's agent-form table:

1. expected payoffs: for seeded random behaviour profiles, every player's expected payoff
   (`MixedBehaviorProfile.payoff`); sgn's agent form must give the same value as the
   multilinear extension of its table;
2. the entropy-regularised agent equilibrium at temperature tau: pi_h(a) proportional to
   exp(rho_h * v_h(a) / tau), with v_h(a) Gambit's conditional action value (`action_value`)
   and rho_h the probability of reaching h (`infoset_prob`), found here by damped fixed-point
   iteration from the uniform profile (the games are small and tau large enough for it to
   converge to the principal equilibrium), to a fixed-point residual below 1e-13;
3. the agent logit QRE Gambit's logit solver defines, pi_h(a) proportional to
   exp(v_h(a) / tau) (lambda = 1/tau, conditional values), by the same iteration from Gambit's
   action values (pygambit 16.7.0's `logit_solve_lambda` returns extensive-game profiles that
   cannot be read: "Cannot create a MixedBehaviorProfile outside a Game"), printed to show where
   it equals 2. (every information set reached with probability 1) and where it does not.

Usage: python3 scripts/oracles/efg_reference.py   (prints Swift literals for the test)
"""
import os

import numpy as np
import pygambit as gbt

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

# A chance node averaging two 2x2 games (matching pennies and a coordination game) that neither
# player observes; both players move once: the agent form is the average of the two matrices.
AVERAGED = """EFG 2 R "averaged" { "Row" "Col" }
c "" 1 "" { "A" 1/2 "B" 1/2 } 0
p "" 1 1 "" { "u" "d" } 0
p "" 2 1 "" { "l" "r" } 0
t "" 1 "" { 1, -1 }
t "" 2 "" { -1, 1 }
p "" 2 1 "" { "l" "r" } 0
t "" 3 "" { -1, 1 }
t "" 4 "" { 1, -1 }
p "" 1 1 "" { "u" "d" } 0
p "" 2 1 "" { "l" "r" } 0
t "" 5 "" { 3, 2 }
t "" 0
p "" 2 1 "" { "l" "r" } 0
t "" 0
t "" 6 "" { 2, 3 }
"""


def games():
    out = []
    for name in ("poker.efg", "selten-horse.efg"):
        out.append((name, gbt.read_efg(os.path.join(ROOT, "examples", "gambit", name))))
    path = "/tmp/efg_reference_averaged.efg"
    with open(path, "w") as f:
        f.write(AVERAGED)
    out.append(("averaged", gbt.read_efg(path)))
    return out


def agents(g):
    """Information sets with two or more actions, by player then first appearance."""
    return [h for p in g.players for h in p.infosets if len(h.actions) >= 2]


def profile_from(g, probs):
    prof = g.mixed_behavior_profile(rational=False)
    for p in g.players:
        for h in p.infosets:
            if len(h.actions) < 2:
                prof[h.actions[0]] = 1.0
    for h, pr in zip(agents(g), probs):
        for a, x in zip(h.actions, pr):
            prof[a] = float(x)
    return prof


def regularised(g, tau, weighted=True):
    hs = agents(g)
    probs = [np.full(len(h.actions), 1.0 / len(h.actions)) for h in hs]
    for _ in range(20000):
        prof = profile_from(g, probs)
        new = []
        for h in hs:
            rho = float(prof.infoset_prob(h)) if weighted else 1.0
            v = np.array([float(prof.action_value(a)) for a in h.actions])
            z = rho * v / tau
            e = np.exp(z - z.max())
            new.append(e / e.sum())
        res = max(np.abs(np.log(n) - np.log(p)).max() for n, p in zip(new, probs))
        if res < 1e-13:
            return new, res
        probs = [0.8 * p + 0.2 * n for p, n in zip(probs, new)]
    raise RuntimeError("no convergence")


def main():
    rng = np.random.default_rng(7)
    tau = 0.5
    for name, g in games():
        hs = agents(g)
        print(f"// {name}: agents " + ", ".join(f"{h.player.label}:{h.label or h.number + 1}" for h in hs))
        for k in range(2):
            probs = [rng.dirichlet(np.ones(len(h.actions))) for h in hs]
            prof = profile_from(g, probs)
            pay = [float(prof.payoff(p)) for p in g.players]
            print(f"    behaviour {k}: {[[float(f'{x:.17g}') for x in pr] for pr in probs]}")
            print(f"      payoffs: {[float(f'{x:.17g}') for x in pay]}")
        eq, res = regularised(g, tau)
        print(f"    regularised tau={tau} (residual {res:.1e}): {[[float(f'{x:.17g}') for x in pr] for pr in eq]}")
        rhos = [float(profile_from(g, eq).infoset_prob(h)) for h in hs]
        print(f"      reach probabilities: {[float(f'{x:.6g}') for x in rhos]}")
        gq, _ = regularised(g, tau, weighted=False)
        diff = max(abs(x - y) for p, q in zip(gq, eq) for x, y in zip(p, q))
        print(f"      agent logit QRE (conditional values) at lambda={1 / tau}: max difference {diff:.1e}")


if __name__ == "__main__":
    main()
