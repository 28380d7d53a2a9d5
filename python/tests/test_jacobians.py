"""kind "jacobians" from Python: sidecars written by numpy itself, and bad sidecars."""
import json
import math
import struct

import numpy as np
import pytest

import sgn

J = np.array([[1.0, 10.0], [0.05, 1.0]])
PLAYERS = [{"name": "x", "dim": 1}, {"name": "y", "dim": 1}]


def game_file(tmp_path, **keys):
    path = tmp_path / "game.json"
    path.write_text(json.dumps(dict({"kind": "jacobians", "name": "jt", "players": PLAYERS}, **keys)))
    return path


def test_jacobian_game_object_reproduces_quadratic(examples, tmp_path):
    exact = sgn.certify(examples / "mini-toy.json")
    g = sgn.JacobianGame(players=["x", "y"], dims=[1, 1], jacobians=J[None], name="mini-toy")
    inline = sgn.certify(g)
    saved = sgn.certify(g.save(str(tmp_path / "mt.json")))  # .npy sidecar written by numpy
    for c in (inline, saved):
        assert c.status == exact.status and c.rung == exact.rung
        assert c.rate == pytest.approx(exact.rate, abs=1e-9)
        assert c.estimation == "sampled"
    assert (tmp_path / "mt.jacobians.npy").exists()


@pytest.mark.parametrize("dtype", ["<f8", "<f4"])
def test_npy_from_numpy(tmp_path, dtype):
    np.save(tmp_path / "j.npy", np.stack([J, 1.1 * J]).astype(dtype))
    c = sgn.certify(game_file(tmp_path, jacobians={"file": "j.npy"}))
    assert c.raw["constants"]["samples"] == 2
    # Both samples have ρ = √0.5 (scaling J scales μ and L alike): the worst margin is 1 − √0.5.
    assert c.rate == pytest.approx(1 - math.sqrt(0.5), abs=1e-6)


def safetensors_bytes(tensors):
    """A .safetensors file per its specification (8-byte little-endian header length, JSON)."""
    header, data = {}, b""
    for name, array in tensors.items():
        raw = np.ascontiguousarray(array, dtype="<f8").tobytes()
        header[name] = {"dtype": "F64", "shape": list(array.shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + data


def test_enclosure_from_safetensors_is_proven(tmp_path):
    (tmp_path / "e.safetensors").write_bytes(safetensors_bytes({"lower": J - 0.01, "upper": J + 0.01}))
    c = sgn.certify(game_file(tmp_path, jacobians=[J.tolist()],
                              enclosure={"lower": {"file": "e.safetensors", "tensor": "lower"},
                                         "upper": {"file": "e.safetensors", "tensor": "upper"}}))
    assert c.estimation == "proven" and c.certified
    # Proven: never above the exact rate at the centre.
    assert 0 < c.rate < 1 - math.sqrt(0.5)
    assert c.steps["euler"].guarantee.startswith("Proven on the region")


@pytest.mark.parametrize("make, message", [
    (lambda d: np.save(d / "x.npy", np.array([[1.0, np.nan], [0.05, 1.0]])), "value nan at flat index 1 is not finite"),
    (lambda d: np.save(d / "x.npy", np.ones((2, 3, 3))), "x.npy: shape [2, 3, 3] does not fit 2x2 Jacobians"),
    (lambda d: np.save(d / "x.npy", np.asfortranarray(np.arange(8.0).reshape(2, 2, 2))), "Fortran-order array"),
    (lambda d: np.save(d / "x.npy", np.ones((2, 2), dtype=object), allow_pickle=True), "object dtype"),
    (lambda d: np.save(d / "x.npy", np.ones((2, 2), dtype=np.int64)), "dtype '<i8'"),
    (lambda d: None, "sidecar file x.npy: no such file"),
])
def test_bad_sidecars_raise_with_the_binarys_text(tmp_path, make, message):
    make(tmp_path)
    path = game_file(tmp_path, jacobians={"file": "x.npy"})
    with pytest.raises(sgn.SGNInputError) as e:
        sgn.certify(path)
    assert message in e.value.message
    assert e.value.message.startswith(str(path))


def test_written_games_match_the_schema(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    root = __import__("pathlib").Path(__file__).resolve().parents[2]
    schema = json.loads((root / "docs/schema/jacobians-game.schema.json").read_text())
    g = sgn.JacobianGame(players=["x", "y"], dims=[1, 1], jacobians=J[None], lower=J - 1, upper=J + 1,
                         equilibrium={"x": [0], "y": [0]}, region={"note": "test"})
    jsonschema.validate(g.to_dict(), schema)
    jsonschema.validate(json.loads(open(g.save(str(tmp_path / "g.json"))).read()), schema)
    assert sgn.certify(g).estimation == "proven"
