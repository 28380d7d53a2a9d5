"""Games built in Python: ``JacobianGame`` is a ``kind: "jacobians"`` game (docs/jacobian-games.md)."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

import numpy as np


@dataclass
class JacobianGame:
    """Jacobians of the stacked pseudo-gradient at sample points (shape (S, n, n)), optionally an
    entrywise enclosure valid on the whole region (``lower``/``upper``, shape (n, n))."""
    players: List[str]
    dims: List[int]
    jacobians: Optional[np.ndarray] = None
    lower: Optional[np.ndarray] = None
    upper: Optional[np.ndarray] = None
    name: str = "game"
    equilibrium: Optional[Dict[str, Sequence[float]]] = None
    region: Optional[Dict[str, Any]] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    #: Block constants per sample point instead of Jacobians (``constants`` in
    #: docs/jacobian-games.md): ``{"curvature": {p: mu}, "own_size": {p: l}, "coupling": {p: {q: L}}}``.
    constants: Optional[List[Dict[str, Any]]] = None

    def to_dict(self) -> Dict[str, Any]:
        """The game as a JSON-ready dict with every array inline."""
        doc: Dict[str, Any] = {"kind": "jacobians", "name": self.name,
                               "players": [{"name": p, "dim": int(d)} for p, d in zip(self.players, self.dims)]}
        if self.jacobians is not None:
            doc["jacobians"] = np.asarray(self.jacobians, dtype=np.float64).tolist()
        if self.constants is not None:
            doc["constants"] = self.constants
        if self.lower is not None or self.upper is not None:
            doc["enclosure"] = {"lower": np.asarray(self.lower, dtype=np.float64).tolist(),
                                "upper": np.asarray(self.upper, dtype=np.float64).tolist()}
        if self.equilibrium is not None:
            doc["equilibrium"] = {k: [float(x) for x in np.ravel(v)] for k, v in self.equilibrium.items()}
        if self.region is not None:
            doc["region"] = self.region
        return doc

    def save(self, path: str, sidecar: bool = True) -> str:
        """Writes the game to ``path`` (JSON); with ``sidecar`` the Jacobians go to a ``.npy`` file
        next to it (``<stem>.jacobians.npy``), which is much smaller and faster to read."""
        doc = self.to_dict()
        if sidecar and self.jacobians is not None:
            stem = os.path.splitext(os.path.basename(path))[0]
            npy = f"{stem}.jacobians.npy"
            np.save(os.path.join(os.path.dirname(os.path.abspath(path)), npy),
                    np.ascontiguousarray(np.asarray(self.jacobians, dtype="<f8")))
            doc["jacobians"] = {"file": npy}
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        return path


def stack_blocks(blocks: Sequence[Sequence[np.ndarray]]) -> np.ndarray:
    """The dense Jacobian from its blocks ``blocks[i][j] = ∂F_i/∂x_j``."""
    return np.block([[np.atleast_2d(np.asarray(b, dtype=np.float64)) for b in row] for row in blocks])
