"""sgn: certified convergence of simultaneous gradient play in games.

A thin, typed client of the ``sgn`` binary (all mathematics stays in Swift):

>>> import sgn
>>> print(sgn.certify("examples/mini-toy.json"))   # doctest: +SKIP
Certificate(mini-toy: certified by the sgn rung, rate 0.292893, ...)

The binary is found through ``SGN_BINARY`` or on PATH (``make install`` in the repository).
"""
from __future__ import annotations

import functools
import json
import os
import tempfile
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from ._binary import SGNBinaryNotFound, SGNError, SGNInputError, error_message, find_binary, run
from ._games import JacobianGame, stack_blocks
from .certificate import Band, Certificate, Step

__all__ = ["certify", "certify_many", "sweep", "SweepResult", "to_frame", "Certificate", "Step", "Band", "JacobianGame", "stack_blocks",
           "SGNInputError", "SGNBinaryNotFound", "SGNError", "find_binary", "__version__"]
__version__ = "1.0.0"

GameLike = Union[str, "os.PathLike[str]", Mapping[str, Any], JacobianGame]


def _as_document(game: GameLike) -> Tuple[Optional[str], Optional[Dict[str, Any]]]:
    """(path, None) for a file, (None, document) for a dict or game object."""
    if isinstance(game, JacobianGame):
        return None, game.to_dict()
    if isinstance(game, Mapping):
        return None, dict(game)
    if isinstance(game, (str, os.PathLike)):
        return os.fspath(game), None
    to_dict = getattr(game, "to_dict", None)
    if callable(to_dict):
        return None, to_dict()
    raise TypeError(f"expected a path, a dict or a JacobianGame, got {type(game).__name__}")


def _parse(stdout: str, what: str) -> Dict[str, Any]:
    try:
        doc = json.loads(stdout)
    except json.JSONDecodeError as e:
        raise SGNError(f"{what}: the binary printed no certificate ({e})") from None
    if not isinstance(doc, dict):
        raise SGNError(f"{what}: unexpected output")
    return doc


def certify(game: GameLike, *, objective: str = "rate", binary: Optional[str] = None) -> Certificate:
    """Certifies one game: a path to a game file, a dict (the JSON document) or a ``JacobianGame``.

    Returns a ``Certificate`` whether or not the game is certified (``.certified``); raises
    ``SGNInputError`` with the binary's message (file, JSON path, what was expected) on bad input.
    """
    path, doc = _as_document(game)
    with tempfile.TemporaryDirectory(prefix="sgn-") as tmp:
        if doc is not None:
            # Sidecar files named in a dict must be absolute paths: the dict is written to a
            # temporary directory, against which relative sidecar paths would be resolved.
            path = os.path.join(tmp, "game.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc, f, allow_nan=True)
        assert path is not None
        result = run(["certify", "--objective", objective, path], binary=binary)
    if result.returncode == 2:
        raise SGNInputError(error_message(result.stderr), file=path if doc is None else None)
    if result.returncode not in (0, 1):
        raise SGNError(f"sgn exited with code {result.returncode}: {result.stderr.strip()}")
    return Certificate.from_json(_parse(result.stdout, path))


def _certify_chunk(items: Sequence[Tuple[Optional[str], Optional[str]]], objective: str,
                   binary: Optional[str]) -> List[Dict[str, Any]]:
    """Certifies one chunk through the binary's NDJSON batch mode. Items are (path, None) or
    (None, JSON text); module-level so process pools and cluster executors can pickle it."""
    with tempfile.TemporaryDirectory(prefix="sgn-batch-") as tmp:
        paths: List[str] = []
        for k, (path, text) in enumerate(items):
            if path is None:
                path = os.path.join(tmp, f"{k:08d}.json")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text or "")
            paths.append(path)
        if len(paths) == 1:
            # One file is single-game mode; give the same NDJSON line a batch would.
            result = run(["certify", "--objective", objective, paths[0]], binary=binary)
            if result.returncode == 2:
                return [{"file": paths[0], "error": error_message(result.stderr)}]
            if result.returncode not in (0, 1):
                raise SGNError(f"sgn exited with code {result.returncode}: {result.stderr.strip()}")
            return [dict({"file": paths[0]}, **_parse(result.stdout, paths[0]))]
        result = run(["certify", "--no-progress", "--objective", objective, *paths], binary=binary)
        if result.returncode not in (0, 1, 2):
            raise SGNError(f"sgn exited with code {result.returncode}: {result.stderr.strip()}")
        lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
        if len(lines) != len(paths):
            raise SGNError(f"sgn printed {len(lines)} lines for {len(paths)} games: {result.stderr.strip()}")
        return lines


def certify_many(games: Iterable[GameLike], executor: Any = None, *, chunk_size: int = 64, objective: str = "rate",
                 binary: Optional[str] = None, errors: str = "raise", frame: bool = False) -> Any:
    """Certifies many games through the binary's NDJSON batch mode (every core of the machine).

    ``executor``: anything with ``map`` (``concurrent.futures``, Dask's client, Ray's pool): the
    games are cut into chunks of ``chunk_size`` and each chunk is one batch run on a worker (the
    binary must be installed there; game files given by path must be readable there). Results come
    back in input order. ``errors="raise"`` raises the first bad input as ``SGNInputError`` (after
    all chunks finished); ``errors="return"`` puts the ``SGNInputError`` in its place in the list.
    ``frame=True`` returns a pandas DataFrame (one row per game) instead of the list.
    """
    if errors not in ("raise", "return"):
        raise ValueError("errors must be 'raise' or 'return'")
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    items: List[Tuple[Optional[str], Optional[str]]] = []
    for g in games:
        path, doc = _as_document(g)
        items.append((os.path.abspath(path), None) if path is not None else (None, json.dumps(doc)))
    chunks = [items[k:k + chunk_size] for k in range(0, len(items), chunk_size)]
    binary = find_binary(binary) if executor is None else binary
    if executor is None:
        outputs = [_certify_chunk(c, objective, binary) for c in chunks]
    else:
        # One iterable: concurrent.futures, multiprocessing/Ray pools and Dask's Client.map all
        # accept map(function, iterable); a partial of a module-level function pickles.
        mapped = executor.map(functools.partial(_certify_chunk, objective=objective, binary=binary), chunks)
        outputs = list(mapped)
        # Dask's Client.map returns futures: gather them.
        if outputs and hasattr(outputs[0], "result") and not isinstance(outputs[0], list):
            outputs = [f.result() for f in outputs]
    results: List[Union[Certificate, SGNInputError]] = []
    for (path, _), line in zip(items, (line for out in outputs for line in out)):
        if "error" in line:
            results.append(SGNInputError(line["error"], file=path))
        else:
            doc = {k: v for k, v in line.items() if k != "file"}
            results.append(Certificate.from_json(doc))
    if errors == "raise":
        for r in results:
            if isinstance(r, SGNInputError):
                raise r
    return to_frame(results) if frame else results


@dataclass(frozen=True)
class SweepResult:
    """``sgn sweep``: per grid value (in order) the value, the verdict and the certificate; the
    boundary object of ``--boundary`` (docs/sweep.md) or None."""
    parameter: str
    values: List[float]
    verdicts: List[bool]
    certificates: List[Certificate]
    boundary: Optional[Dict[str, Any]]


def sweep(game: GameLike, parameter: str, *, values: Optional[Sequence[float]] = None,
          range: Optional[Tuple[float, float, int]] = None, log: bool = False, block: Optional[Tuple[str, str]] = None,
          boundary: bool = False, tolerance: float = 1e-6, objective: str = "rate",
          binary: Optional[str] = None) -> SweepResult:
    """Runs ``sgn sweep`` over one parameter (``coupling-scale``, ``temperature``, ``radius`` or
    ``step``) given as ``values`` or ``range=(lo, hi, count)``; bad input (e.g. a range crossing
    zero for a positive parameter) raises ``SGNInputError`` with the binary's text."""
    path, doc = _as_document(game)
    args = ["sweep", "--parameter", parameter, "--objective", objective, "--tolerance", repr(float(tolerance))]
    if values is not None:
        args.append("--values=" + ",".join(repr(float(v)) for v in values))
    if range is not None:
        lo, hi, count = range
        args.append(f"--range={float(lo)!r}:{float(hi)!r}:{int(count)}")
    if log:
        args.append("--log")
    if block is not None:
        args += ["--block", f"{block[0]},{block[1]}"]
    if boundary:
        args.append("--boundary")
    with tempfile.TemporaryDirectory(prefix="sgn-") as tmp:
        if doc is not None:
            path = os.path.join(tmp, "game.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc, f)
        assert path is not None
        result = run([*args, path], binary=binary)
    if result.returncode == 2:
        raise SGNInputError(error_message(result.stderr), file=path if doc is None else None)
    if result.returncode not in (0, 1):
        raise SGNError(f"sgn exited with code {result.returncode}: {result.stderr.strip()}")
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    found = lines.pop()["boundary"] if lines and "boundary" in lines[-1] else None
    return SweepResult(parameter=parameter, values=[line["sweep"]["value"] for line in lines],
                       verdicts=[line["sweep"]["verdict"] == "certified" for line in lines],
                       certificates=[Certificate.from_json({k: v for k, v in line.items() if k != "sweep"}) for line in lines],
                       boundary=found)


def to_frame(results: Sequence[Union[Certificate, SGNInputError]]) -> Any:
    """One row per result (needs pandas): name, status, rung, rate, estimation, euler step, band, error."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_frame needs pandas: pip install pandas") from None
    rows: List[Dict[str, Any]] = []
    for r in results:
        if isinstance(r, SGNInputError):
            rows.append({"name": None, "status": "bad_input", "error": r.message})
            continue
        rows.append({"name": r.name, "status": r.status, "rung": r.rung, "rate": r.rate, "estimation": r.estimation,
                     "euler_step": r.steps["euler"].recommended if "euler" in r.steps else None,
                     "band_lower": r.band.lower if r.band else None, "band_upper": r.band.upper if r.band else None,
                     "error": None})
    return pd.DataFrame(rows)
