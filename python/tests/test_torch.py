"""sgn.torch: the torch.func twin (skipped when torch is not installed)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import sgn  # noqa: E402
import sgn.torch  # noqa: E402


def test_quadratic_losses_reproduce_the_mini_toy(examples):
    fx = lambda p: 0.5 * (p[0] ** 2).sum() + 10 * (p[0] * p[1]).sum()
    fy = lambda p: 0.5 * (p[1] ** 2).sum() + 0.05 * (p[0] * p[1]).sum()
    game = sgn.torch.sample_game([fx, fy], [np.zeros(1), np.zeros(1)], players=["x", "y"], box=1.0, samples=3)
    np.testing.assert_array_equal(game.jacobians, np.broadcast_to([[1, 10], [0.05, 1]], (3, 2, 2)))
    c = sgn.certify(game)
    exact = sgn.certify(examples / "mini-toy.json")
    assert c.rung == exact.rung and c.rate == pytest.approx(exact.rate, abs=1e-9)
