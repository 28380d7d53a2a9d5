"""sgn.jax: Jacobians by autodiff against closed forms; the worked example runs."""
import math
import pathlib
import runpy

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402

import sgn  # noqa: E402
import sgn.jax  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_quadratic_losses_reproduce_the_mini_toy(examples):
    # f_x = x²/2 + 10xy, f_y = y²/2 + 0.05xy: F = (x + 10y, y + 0.05x), J = [[1, 10], [0.05, 1]].
    fx = lambda p: 0.5 * jnp.sum(p[0] ** 2) + 10 * jnp.sum(p[0] * p[1])
    fy = lambda p: 0.5 * jnp.sum(p[1] ** 2) + 0.05 * jnp.sum(p[0] * p[1])
    game = sgn.jax.sample_game([fx, fy], [jnp.zeros(1), jnp.zeros(1)], players=["x", "y"], box=1.0, samples=4)
    assert game.jacobians.shape == (4, 2, 2) and game.jacobians.dtype == np.float64
    np.testing.assert_array_equal(game.jacobians, np.broadcast_to([[1, 10], [0.05, 1]], (4, 2, 2)))
    c = sgn.certify(game)
    exact = sgn.certify(examples / "mini-toy.json")
    assert c.status == exact.status and c.rung == exact.rung and c.rate == pytest.approx(exact.rate, abs=1e-9)


def test_blocks_and_shapes():
    # Player a (shape (2,)) and b (shape (1, 2), flattened in C order): checks the stacking order.
    A = np.array([[2.0, 0.5], [0.0, 3.0]])
    C = np.array([[0.1, 0.2], [0.3, 0.4]])
    fa = lambda p: 0.5 * p[0] @ A @ p[0] + p[0] @ C @ jnp.ravel(p[1])
    fb = lambda p: jnp.sum(p[1] ** 2)
    g = sgn.jax.sample_game([fa, fb], [np.ones(2), np.ones((1, 2))], players=["a", "b"])
    # ∇_a f_a = sym(A)·a + C·b, ∇_b f_b = 2b: J = [[sym(A), C], [0, 2I]].
    expected = np.block([[(A + A.T) / 2, C], [np.zeros((2, 2)), 2 * np.eye(2)]])
    np.testing.assert_allclose(g.jacobians[0], expected, atol=1e-15)
    assert g.dims == [2, 2]


def test_dirac_gan_example_band(capsys):
    module = runpy.run_path(str(ROOT / "python/examples/dirac_gan.py"), run_name="example")
    c = module["main"]()
    out = capsys.readouterr().out
    assert "learning-rate ratio band D/G" in out
    assert c.certified and c.estimation == "sampled" and c.band is not None
    # At the equilibrium alone the Jacobian is [[eps, 1/2], [-1/2, gamma]]: the band is the closed
    # form of docs/method.md §6 with μ = (eps, gamma), L12 = L21 = 1/2.
    eps, gamma = module["EPS"], module["GAMMA"]
    game = sgn.jax.sample_game([module["generator_loss"], module["discriminator_loss"]], [np.zeros(1), np.zeros(1)],
                               players=["G", "D"])
    np.testing.assert_allclose(game.jacobians[0], [[eps, 0.5], [-0.5, gamma]], atol=1e-15)
    at_eq = sgn.certify(game)
    p = eps * gamma
    lo = (math.sqrt(p) - math.sqrt(p - 0.25)) ** 2 / 0.25
    hi = (math.sqrt(p) + math.sqrt(p - 0.25)) ** 2 / 0.25
    assert at_eq.band.lower == pytest.approx(lo, rel=1e-9) and at_eq.band.upper == pytest.approx(hi, rel=1e-9)
    # Sampling a box around the checkpoint only narrows the band.
    assert c.band.lower >= lo - 1e-12 and c.band.upper <= hi + 1e-12
