"""sgn.jax with method="lanczos": block constants from Hessian–vector products agree with the
dense Jacobian's (numpy as the reference), and certify through the constants form."""
import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402

import sgn  # noqa: E402
import sgn.jax  # noqa: E402


def dense_constants(j, dims, names):
    """The constants form of one dense Jacobian, by numpy (the reference)."""
    offsets = np.cumsum([0] + list(dims))
    block = lambda a, b: j[offsets[a]:offsets[a + 1], offsets[b]:offsets[b + 1]]
    out = {"curvature": {}, "own_size": {}, "coupling": {}}
    for i, p in enumerate(names):
        h = block(i, i)
        out["curvature"][p] = float(np.linalg.eigvalsh((h + h.T) / 2)[0])
        out["own_size"][p] = float(np.linalg.norm(h, 2))
        row = {names[k]: float(np.linalg.norm(block(i, k), 2)) for k in range(len(dims)) if k != i}
        out["coupling"][p] = {q: v for q, v in row.items() if v > 0}
    return out


def assert_constants_close(lanczos, dense, tol=1e-6):
    for key in ("curvature", "own_size"):
        for p, v in dense[key].items():
            assert lanczos[key][p] == pytest.approx(v, rel=tol, abs=tol), (key, p)
    for p, row in dense["coupling"].items():
        for q, v in row.items():
            assert lanczos["coupling"].get(p, {}).get(q, 0.0) == pytest.approx(v, rel=tol, abs=tol), ("coupling", p, q)
    for p, row in lanczos["coupling"].items():
        assert set(row) <= set(dense["coupling"].get(p, {})), ("spurious coupling", p)


def losses(a, b, c):
    # Non-quadratic: the Hessians and couplings change from point to point.
    fx = lambda p: 0.5 * p[0] @ a @ p[0] + jnp.sum(jnp.tanh(p[0]) ** 2) + p[0] @ c @ p[1]
    fy = lambda p: 0.5 * p[1] @ b @ p[1] + 0.1 * jnp.sum(p[1] ** 4) - 0.5 * p[1] @ c.T @ p[0]
    return [fx, fy]


def spd(rng, d, shift):
    m = rng.standard_normal((d, d))
    return m @ m.T / d + shift * np.eye(d)


@pytest.mark.parametrize("dx,dy", [(3, 4), (60, 45)])
def test_lanczos_constants_agree_with_the_dense_path(dx, dy):
    rng = np.random.default_rng(7)
    a, b, c = spd(rng, dx, 1.0), spd(rng, dy, 1.5), 0.3 * rng.standard_normal((dx, dy)) / np.sqrt(dx)
    params = [0.1 * rng.standard_normal(dx), 0.1 * rng.standard_normal(dy)]
    kw = dict(players=["x", "y"], box=0.2, samples=3, seed=1)
    dense = sgn.jax.sample_game(losses(a, b, c), params, method="dense", **kw)
    lanczos = sgn.jax.sample_game(losses(a, b, c), params, method="lanczos", **kw)
    assert lanczos.jacobians is None and len(lanczos.constants) == 3
    for k in range(3):
        assert_constants_close(lanczos.constants[k], dense_constants(dense.jacobians[k], [dx, dy], ["x", "y"]))
    # Both certify by the sgn rung with the same constants; the constants form's beta is an upper
    # bound (the matrix of block norms), its other rungs are not evaluated.
    cd, cl = sgn.certify(dense), sgn.certify(lanczos)
    assert cl.estimation == "sampled" and "Lanczos" in cl.raw["constants"]["sampling"]
    assert cl.raw["margins"]["sgn"] == pytest.approx(cd.raw["margins"]["sgn"], rel=1e-6)
    assert cl.raw["margins"]["euclidean"] is None and cl.raw["margins"]["weighted"] is None
    assert isinstance(cl.raw["margins"]["not_evaluated"], str) and cd.raw["margins"]["not_evaluated"] is None
    if cl.rung == "sgn" and cd.rung == "sgn":
        assert cl.lipschitz >= cd.lipschitz * (1 - 1e-6)


def test_lanczos_from_inside_and_converged():
    # Diagonal operator with known spectrum: Ritz values lie inside it at every step count, and
    # converge to the extremes to the stated tolerance.
    values = np.linspace(-2.0, 5.0, 400)
    op = lambda v: values * v
    low, high = sgn.jax.lanczos_extremes(op, 400, np.random.default_rng(0), iterations=5)
    assert -2.0 <= low and high <= 5.0 and (low > -2.0 + 1e-3 or high < 5.0 - 1e-3)
    low, high = sgn.jax.lanczos_extremes(op, 400, np.random.default_rng(0))
    assert low == pytest.approx(-2.0, abs=1e-8) and high == pytest.approx(5.0, abs=1e-8)


def test_auto_switches_to_lanczos_above_the_threshold():
    d = sgn.jax.LANCZOS_BLOCK_THRESHOLD + 1
    fx = lambda p: jnp.sum(p[0] ** 2) + 0.1 * jnp.sum(p[0]) * p[1][0]   # J_xx = 2I, J_xy = 0.1·1
    fy = lambda p: 0.5 * p[1][0] ** 2 - 0.1 * jnp.sum(p[0]) * p[1][0]   # J_yy = 1, J_yx = -0.1·1ᵀ
    g = sgn.jax.sample_game([fx, fy], [np.zeros(d), np.zeros(1)], players=["x", "y"])
    assert g.jacobians is None and g.constants is not None
    c = g.constants[0]
    assert c["curvature"]["x"] == pytest.approx(2.0, abs=1e-9) and c["own_size"]["y"] == pytest.approx(1.0, abs=1e-9)
    # ‖0.1·1‖₂ = 0.1·√d for the column and the row.
    assert c["coupling"]["x"]["y"] == pytest.approx(0.1 * np.sqrt(d), rel=1e-9)
    assert c["coupling"]["y"]["x"] == pytest.approx(0.1 * np.sqrt(d), rel=1e-9)
    assert sgn.jax.sample_game([fx, fy], [np.zeros(3), np.zeros(1)]).constants is None
    with pytest.raises(ValueError, match="method must be"):
        sgn.jax.sample_game([fx, fy], [np.zeros(3), np.zeros(1)], method="arnoldi")


def test_constants_form_matches_the_schema_and_bad_constants_raise(tmp_path):
    import json
    import pathlib
    jsonschema = pytest.importorskip("jsonschema")
    root = pathlib.Path(__file__).resolve().parents[2]
    schema = json.loads((root / "docs/schema/jacobians-game.schema.json").read_text())
    point = {"curvature": {"x": 2.0, "y": 2.0}, "own_size": {"x": 3.0, "y": 2.5}, "coupling": {"x": {"y": 2.0}, "y": {"x": 0.5}}}
    g = sgn.JacobianGame(players=["x", "y"], dims=[1, 1], constants=[point])
    jsonschema.validate(g.to_dict(), schema)
    jsonschema.validate(json.loads(open(g.save(str(tmp_path / "g.json"))).read()), schema)
    c = sgn.certify(g)
    assert c.certified and c.rung == "sgn" and c.rate == pytest.approx(1.0, abs=1e-12)
    bad = sgn.JacobianGame(players=["x", "y"], dims=[1, 1], constants=[dict(point, own_size={"x": -1.0, "y": 2.5})])
    with pytest.raises(sgn.SGNInputError) as e:
        sgn.certify(bad)
    assert "constants[0].own_size.x" in e.value.message and "expected a norm (>= 0), got -1.0" in e.value.message
