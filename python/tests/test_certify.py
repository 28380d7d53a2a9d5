"""sgn.certify / certify_many against closed forms and the binary's own output."""
import concurrent.futures
import json
import math
import os
import struct
import subprocess

import numpy as np
import pytest

import sgn

MINI_TOY = {"kind": "quadratic", "name": "mini-toy", "players": [
    {"name": "x", "dim": 1, "hessian": [[1]], "coupling": {"y": [[10]]}},
    {"name": "y", "dim": 1, "hessian": 1, "coupling": {"x": [[0.05]]}}]}


def band_closed_form(mu1, mu2, l12, l21):
    """docs/method.md §6: r± = (√P ± √(P − L12 L21))² / L21², P = μ1 μ2."""
    p = mu1 * mu2
    return ((math.sqrt(p) - math.sqrt(p - l12 * l21)) ** 2 / l21 ** 2,
            (math.sqrt(p) + math.sqrt(p - l12 * l21)) ** 2 / l21 ** 2)


def test_mini_toy_from_path(examples):
    c = sgn.certify(str(examples / "mini-toy.json"))
    assert c.certified and c.rung == "sgn" and c.estimation == "exact"
    # ρ(G) = √(10·0.05): the SGN margin is 1 − √0.5.
    assert c.rate == pytest.approx(1 - math.sqrt(0.5), abs=1e-12)
    lo, hi = band_closed_form(1, 1, 10, 0.05)
    assert c.band.lower == pytest.approx(lo, rel=1e-12) and c.band.upper == pytest.approx(hi, rel=1e-12)
    assert c.band.ratio == "y/x" and 200 in c.band
    assert c.weights["x"] == pytest.approx(0.005) and c.weights["y"] == 1
    assert c.steps["euler"].guarantee.startswith("Proven")
    assert c.equilibrium["point"] == {"x": [0], "y": [0]}
    text = repr(c)
    assert "mini-toy: certified by the sgn rung, rate 0.292893" in text and "band y/x in [34.3146, 1165.69]" in text


def test_dict_and_raw_equal_binary_output(examples, binary):
    c = sgn.certify(MINI_TOY)
    out = subprocess.run([binary, "certify", str(examples / "mini-toy.json")], capture_output=True, text=True).stdout
    assert c.raw == json.loads(out)


def test_not_certified(examples):
    c = sgn.certify(examples / "tandem.json")
    assert not c.certified and c.rung is None and c.rate is None and "rho(G) = 1 >= 1" in c.reason


def test_bad_input_message_is_the_binarys(tmp_path, binary):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"kind": "quadratic", "players": [{"name": "x", "hessian": [[1, 2]]}]}))
    with pytest.raises(sgn.SGNInputError) as e:
        sgn.certify(path)
    stderr = subprocess.run([binary, "certify", str(path)], capture_output=True, text=True).stderr
    assert stderr.strip() == "sgn: error: " + e.value.message
    assert "players[0].hessian" in e.value.message


def test_binary_missing(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .build/release/sgn here
    monkeypatch.setenv("SGN_BINARY", "/nonexistent/sgn")
    with pytest.raises(sgn.SGNBinaryNotFound, match="make install"):
        sgn.certify(MINI_TOY)
    monkeypatch.delenv("SGN_BINARY")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(sgn.SGNBinaryNotFound, match="make install"):
        sgn.certify(MINI_TOY)


def scaled(s):
    g = json.loads(json.dumps(MINI_TOY))
    g["name"] = f"s{s}"
    g["players"][0]["coupling"]["y"] = [[10 * s]]
    g["players"][1]["coupling"]["x"] = [[0.05 * s]]
    return g


@pytest.mark.parametrize("executor", [None, "threads", "processes", "multiprocessing"])
def test_certify_many_in_order(executor):
    import multiprocessing
    games = [scaled(s) for s in (0.5, 1.0, 1.3, 1.5, 2.0)]
    pool = {None: lambda: None, "threads": lambda: concurrent.futures.ThreadPoolExecutor(2),
            "processes": lambda: concurrent.futures.ProcessPoolExecutor(2),
            "multiprocessing": lambda: multiprocessing.get_context("spawn").Pool(2)}[executor]()
    try:
        results = sgn.certify_many(games, executor=pool, chunk_size=2)
    finally:
        if hasattr(pool, "shutdown"):
            pool.shutdown()
        elif pool is not None:
            pool.close()
            pool.join()
    assert [r.name for r in results] == ["s0.5", "s1.0", "s1.3", "s1.5", "s2.0"]
    # Boundary at s = 1/√0.5 ≈ 1.414; margin 1 − s√0.5 below it.
    assert [r.certified for r in results] == [True, True, True, False, False]
    for s, r in zip((0.5, 1.0, 1.3), results):
        assert r.rate == pytest.approx(1 - s * math.sqrt(0.5), abs=1e-12)
    # The same as one at a time.
    assert [r.raw for r in results] == [sgn.certify(g).raw for g in games]


def test_certify_many_errors(tmp_path):
    bad = {"kind": "quadratic", "players": []}
    results = sgn.certify_many([MINI_TOY, bad, MINI_TOY], errors="return")
    assert results[0].certified and results[2].certified
    assert isinstance(results[1], sgn.SGNInputError) and "players: a game needs at least one player" in results[1].message
    with pytest.raises(sgn.SGNInputError, match="at least one player"):
        sgn.certify_many([MINI_TOY, bad])


def test_frame():
    pd = pytest.importorskip("pandas")
    frame = sgn.certify_many([MINI_TOY, scaled(2)], frame=True)
    assert isinstance(frame, pd.DataFrame) and list(frame["status"]) == ["certified", "not_certified"]


def test_sweep_boundary_and_bad_range(examples, binary):
    r = sgn.sweep(examples / "mini-toy.json", "coupling-scale", range=(0.5, 2, 4), boundary=True)
    assert r.verdicts == [True, True, False, False] and r.values == [0.5, 1, 1.5, 2]
    assert r.boundary["lower"] < 1 / math.sqrt(0.5) <= r.boundary["upper"] + 1e-12
    assert r.boundary["upper"] - r.boundary["lower"] <= 1e-6
    assert r.certificates[0].rate == pytest.approx(1 - 0.5 * math.sqrt(0.5), abs=1e-12)
    game = str(examples / "matching-pennies-tau2.json")
    with pytest.raises(sgn.SGNInputError) as e:
        sgn.sweep(game, "temperature", range=(-1, 2, 4))
    stderr = subprocess.run([binary, "sweep", game, "--parameter", "temperature", "--range=-1:2:4"],
                            capture_output=True, text=True).stderr
    assert stderr.strip() == "sgn: error: " + e.value.message
    assert "temperature must be positive" in e.value.message
