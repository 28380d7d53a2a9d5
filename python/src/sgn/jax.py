"""Jacobian-sample games from per-player JAX losses (``kind: "jacobians"``).

Player i minimises ``losses[i](params)`` over its own block ``params[i]``; the pseudo-gradient is
``F(x) = (∇_{x_1} f_1, …, ∇_{x_n} f_n)`` and its Jacobian, computed here with ``jax.jacfwd`` of
``jax.grad`` (forward over reverse), is what sgn certifies. All certification happens in the sgn
binary; this module only evaluates Jacobians.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Union

import numpy as np

from ._games import JacobianGame

Loss = Callable[[Sequence[Any]], Any]


def _flat_layout(params: Sequence[Any]) -> List[int]:
    return [int(np.size(p)) for p in params]


def sample_points(center: np.ndarray, box: Optional[Union[float, Sequence[float]]], samples: int, seed: int) -> np.ndarray:
    """The checkpoint first, then ``samples − 1`` points uniform in the ∞-norm box of radius ``box``
    (a number, or one radius per coordinate) around it; seeded, so the game is reproducible."""
    if samples < 1:
        raise ValueError("samples must be at least 1")
    points = [center]
    if box is not None and samples > 1:
        radius = np.broadcast_to(np.asarray(box, dtype=np.float64), center.shape)
        if np.any(radius < 0):
            raise ValueError("box radius must be non-negative")
        rng = np.random.default_rng(seed)
        for _ in range(samples - 1):
            points.append(center + rng.uniform(-1.0, 1.0, size=center.shape) * radius)
    elif box is None and samples > 1:
        raise ValueError("samples > 1 needs a box to draw the points from")
    return np.stack(points)


def _x64() -> Any:
    """A context in which JAX computes in float64 (its default is float32, too coarse for
    certification), without changing the caller's global setting."""
    import jax
    if hasattr(jax, "enable_x64"):
        return jax.enable_x64(True)
    from jax.experimental import enable_x64  # type: ignore[attr-defined]  # older JAX
    return enable_x64()


def sample_game(losses: Sequence[Loss], params: Sequence[Any], players: Optional[Sequence[str]] = None,
                box: Optional[Union[float, Sequence[float]]] = None, samples: int = 1, seed: int = 0,
                name: str = "jax-game", equilibrium: bool = False) -> JacobianGame:
    """Builds a jacobians game from per-player losses at (and around) a checkpoint.

    - ``losses[i](params) -> scalar``: player i's loss; ``params`` is the list of every player's
      parameters (arrays of any shape, flattened in C order for sgn).
    - ``params``: the checkpoint, one array per player.
    - ``box``: radius of the ∞-norm box around the checkpoint where the ``samples`` points are
      drawn (the checkpoint is always the first); ``None``: the checkpoint only.
    - ``equilibrium=True`` states the checkpoint as the equilibrium in the certificate.

    The constants sgn derives are **sampled estimates** over these points (labelled so in the
    certificate), not bounds.
    """
    import jax
    import jax.numpy as jnp

    if len(losses) != len(params):
        raise ValueError(f"{len(losses)} losses for {len(params)} players")
    names = list(players) if players is not None else [f"p{k}" for k in range(len(params))]
    if len(names) != len(params):
        raise ValueError(f"{len(names)} names for {len(params)} players")
    shapes = [np.shape(p) for p in params]
    dims = _flat_layout(params)
    offsets = np.cumsum([0] + dims)

    def unflatten(x: Any) -> List[Any]:
        return [jnp.reshape(x[offsets[i]:offsets[i + 1]], shapes[i]) for i in range(len(dims))]

    def pseudo_gradient(x: Any) -> Any:
        blocks = unflatten(x)
        parts = []
        for i, f in enumerate(losses):
            def own(xi: Any, i: int = i, f: Loss = f) -> Any:
                return f([xi if k == i else blocks[k] for k in range(len(blocks))])
            parts.append(jnp.ravel(jax.grad(own)(blocks[i])))
        return jnp.concatenate(parts)

    center = np.concatenate([np.ravel(np.asarray(p, dtype=np.float64)) for p in params])
    points = sample_points(center, box, samples, seed)
    with _x64():
        jacobian = jax.jit(jax.jacfwd(pseudo_gradient))
        jacobians = np.stack([np.asarray(jacobian(jnp.asarray(x, dtype=jnp.float64)), dtype=np.float64) for x in points])
    if not np.all(np.isfinite(jacobians)):
        raise ValueError("a Jacobian has non-finite entries (NaN or infinity) at a sample point")
    region: Dict[str, Any] = {"built_by": "sgn.jax.sample_game", "center": "checkpoint", "samples": int(samples),
                              "seed": int(seed), "box_radius": None if box is None else np.asarray(box, dtype=np.float64).tolist()}
    eq: Optional[Dict[str, Sequence[float]]] = {n: np.ravel(np.asarray(p, dtype=np.float64)).tolist() for n, p in zip(names, params)} if equilibrium else None
    return JacobianGame(players=names, dims=dims, jacobians=jacobians, name=name, equilibrium=eq, region=region)
