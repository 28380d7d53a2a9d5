"""The certificate as a Python object (fields documented in docs/certificate-format.md)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


@dataclass(frozen=True)
class Step:
    """One step-size figure and exactly what it guarantees (the certificate's own sentence)."""
    max: float
    recommended: float
    guarantee: str
    factor: Optional[float] = None


@dataclass(frozen=True)
class Band:
    """Two players: the ratios ``second/first`` of the weights (the timescale, i.e. learning-rate
    ratio band) for which the SGN margin is positive. ``upper`` None: unbounded."""
    ratio: str
    lower: float
    upper: Optional[float]
    optimum: float

    def __contains__(self, r: float) -> bool:
        return self.lower <= r and (self.upper is None or r <= self.upper)


@dataclass(frozen=True)
class Certificate:
    """A certificate of ``sgn certify``. ``raw`` is the JSON document exactly as printed."""
    name: str
    kind: str
    players: List[str]
    status: str
    rung: Optional[str]
    rate: Optional[float]
    reason: Optional[str]
    estimation: str
    weights: Dict[str, float]
    lipschitz: Optional[float]
    steps: Dict[str, Step]
    band: Optional[Band]
    equilibrium: Optional[Dict[str, Any]]
    raw: Dict[str, Any] = field(repr=False)

    @property
    def certified(self) -> bool:
        return self.status == "certified"

    @staticmethod
    def from_json(doc: Dict[str, Any]) -> "Certificate":
        steps: Dict[str, Step] = {}
        if doc.get("steps"):
            e, r = doc["steps"]["euler"], doc["steps"]["rk4"]
            steps["euler"] = Step(max=e["max"], recommended=e["recommended"], guarantee=e["guarantee"], factor=e["factor"])
            steps["rk4"] = Step(max=r["max"], recommended=r["guideline"], guarantee=r["guarantee"])
        b = doc.get("timescale_band")
        band = Band(ratio=b["ratio"], lower=b["lower"], upper=b["upper"], optimum=b["optimum"]) if b else None
        game = doc["game"]
        return Certificate(
            name=game["name"], kind=game["kind"], players=list(game["players"]), status=doc["status"],
            rung=doc.get("certified_by"), rate=doc.get("contraction_rate"), reason=doc.get("reason"),
            estimation=doc["constants"]["estimation"], weights=dict((doc.get("metric") or {}).get("weights") or {}),
            lipschitz=doc.get("lipschitz"), steps=steps, band=band, equilibrium=doc.get("equilibrium"), raw=doc)

    def __repr__(self) -> str:
        def g(x: Optional[float]) -> str:
            return "none" if x is None else f"{x:.6g}"
        head = f"Certificate({self.name}: {self.status}"
        if self.certified:
            head += f" by the {self.rung} rung, rate {g(self.rate)}"
        else:
            head += f": {self.reason}"
        parts = [head, f"constants {self.estimation}"]
        if self.weights:
            parts.append("weights {" + ", ".join(f"{k}: {g(v)}" for k, v in self.weights.items()) + "}")
        if "euler" in self.steps:
            parts.append(f"euler step {g(self.steps['euler'].recommended)} (max {g(self.steps['euler'].max)})")
        if self.band is not None:
            parts.append(f"band {self.band.ratio} in [{g(self.band.lower)}, {g(self.band.upper) if self.band.upper is not None else 'inf'}]")
        return ", ".join(parts) + ")"

    __str__ = __repr__
