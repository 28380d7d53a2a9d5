#!/usr/bin/env python3
"""Independent reference values for the smooth-game examples (examples/*-smooth*.json).

Run: python3 scripts/smooth-examples.py
The printed numbers are pinned in Tests/SGNTests/SmoothGameTests.swift.

- Cournot (examples/cournot-nonlinear.json): inverse demand P(Q) = a - b Q^1.5, cost c.
  The symmetric first-order condition P(Q) + q P'(Q) = c with Q = 3q reads
  a - c = b Q^1.5 + 1.5 b q Q^0.5 = 1.5 b Q^1.5, so Q = ((a - c)/(1.5 b))^(2/3).
- Bertrand with logit demand (examples/bertrand-logit.json): share
  s_i = e^{(a - p_i)/m} / (1 + sum_j e^{(a - p_j)/m}), profit (p_i - c) s_i; the first-order
  condition is (p_i - c)(1 - s_i) = m. Solved here by Newton's method on the symmetric
  equation and checked against the full first-order conditions by finite differences.
- Dirac-GAN (examples/dirac-gan.json): equilibrium (0, 0); Jacobian there [[eps, 1/2], [-1/2, gamma]].
"""
import math

a, b, c = 10.0, 1.0, 1.0
Q = ((a - c) / (1.5 * b)) ** (2.0 / 3.0)
print("cournot q* =", repr(Q / 3))

A, C, M = 2.0, 1.0, 0.5
def share(p, others):
    e = math.exp((A - p) / M)
    return e / (1 + e + sum(math.exp((A - o) / M) for o in others))

def g(p):  # symmetric first-order condition
    s = share(p, [p, p])
    return (p - C) * (1 - s) - M

p = 1.5
for _ in range(100):
    h = 1e-7
    d = (g(p + h) - g(p - h)) / (2 * h)
    p -= g(p) / d
print("bertrand p* =", repr(p), "share", repr(share(p, [p, p])))

def profit(pi, others):
    return (pi - C) * share(pi, others)
h = 1e-6
print("bertrand FOC residual", (profit(p + h, [p, p]) - profit(p - h, [p, p])) / (2 * h))
