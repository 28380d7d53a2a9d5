"""The twin of ``sgn.jax`` for PyTorch (``torch.func``): Jacobian-sample games from per-player losses."""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Union

import numpy as np

from ._games import JacobianGame
from .jax import sample_points

Loss = Callable[[Sequence[Any]], Any]


def sample_game(losses: Sequence[Loss], params: Sequence[Any], players: Optional[Sequence[str]] = None,
                box: Optional[Union[float, Sequence[float]]] = None, samples: int = 1, seed: int = 0,
                name: str = "torch-game", equilibrium: bool = False) -> JacobianGame:
    """As ``sgn.jax.sample_game``, with ``torch.func.jacfwd`` of ``torch.func.grad`` in float64."""
    import torch
    from torch.func import grad, jacfwd

    if len(losses) != len(params):
        raise ValueError(f"{len(losses)} losses for {len(params)} players")
    names = list(players) if players is not None else [f"p{k}" for k in range(len(params))]
    if len(names) != len(params):
        raise ValueError(f"{len(names)} names for {len(params)} players")
    shapes = [tuple(np.shape(np.asarray(p))) for p in params]
    dims = [int(np.prod(s)) if s else 1 for s in shapes]
    offsets = np.cumsum([0] + dims)

    def unflatten(x: Any) -> List[Any]:
        return [x[int(offsets[i]):int(offsets[i + 1])].reshape(shapes[i]) for i in range(len(dims))]

    def pseudo_gradient(x: Any) -> Any:
        blocks = unflatten(x)
        parts = []
        for i, f in enumerate(losses):
            def own(xi: Any, i: int = i, f: Loss = f) -> Any:
                return f([xi if k == i else blocks[k] for k in range(len(blocks))])
            parts.append(grad(own)(blocks[i]).reshape(-1))
        return torch.cat(parts)

    center = np.concatenate([np.ravel(np.asarray(p, dtype=np.float64)) for p in params])
    points = sample_points(center, box, samples, seed)
    jac = jacfwd(pseudo_gradient)
    jacobians = np.stack([jac(torch.tensor(x, dtype=torch.float64)).detach().numpy() for x in points])
    if not np.all(np.isfinite(jacobians)):
        raise ValueError("a Jacobian has non-finite entries (NaN or infinity) at a sample point")
    region: Dict[str, Any] = {"built_by": "sgn.torch.sample_game", "center": "checkpoint", "samples": int(samples),
                              "seed": int(seed), "box_radius": None if box is None else np.asarray(box, dtype=np.float64).tolist()}
    eq: Optional[Dict[str, Sequence[float]]] = {n: np.ravel(np.asarray(p, dtype=np.float64)).tolist() for n, p in zip(names, params)} if equilibrium else None
    return JacobianGame(players=names, dims=dims, jacobians=jacobians, name=name, equilibrium=eq, region=region)
