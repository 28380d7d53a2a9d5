"""Jacobian-sample games from per-player JAX losses (``kind: "jacobians"``).

Player i minimises ``losses[i](params)`` over its own block ``params[i]``; the pseudo-gradient is
``F(x) = (∇_{x_1} f_1, …, ∇_{x_n} f_n)`` and its Jacobian, computed here with ``jax.jacfwd`` of
``jax.grad`` (forward over reverse), is what sgn certifies. All certification happens in the sgn
binary; this module only evaluates Jacobians.

For large blocks (``method="lanczos"``, chosen automatically above ``LANCZOS_BLOCK_THRESHOLD``)
the Jacobian is never formed: the block constants μ_i, ℓ_i, L_ij are estimated by Lanczos on
Hessian–vector products (``jax.jvp`` of the gradient) and on ``J_ijᵀ J_ij`` (``jax.jvp`` and
``jax.vjp``), and the game is written in the ``constants`` form.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

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


#: ``method="auto"`` uses Lanczos when some player's block has more coordinates than this, or the
#: whole Jacobian more than ``DENSE_LIMIT`` (the largest dense Jacobian sgn reads).
LANCZOS_BLOCK_THRESHOLD = 500
DENSE_LIMIT = 3000
#: Lanczos stops when both extreme Ritz values have residual ≤ tolerance · (largest |Ritz value|),
#: or after ``iterations`` steps (or when the Krylov space is exhausted: then they are exact).
LANCZOS_TOLERANCE = 1e-10
LANCZOS_ITERATIONS = 300


def lanczos_extremes(matvec: Callable[[np.ndarray], np.ndarray], dim: int, rng: np.random.Generator,
                     iterations: int = LANCZOS_ITERATIONS, tolerance: float = LANCZOS_TOLERANCE) -> Tuple[float, float]:
    """Estimates of the smallest and largest eigenvalue of the symmetric operator ``matvec`` on ℝ^dim
    by Lanczos with full reorthogonalisation from a seeded random start. Ritz values lie inside the
    spectrum, so the smallest may be over- and the largest under-estimated until convergence."""
    if dim < 1:
        raise ValueError("dimension must be at least 1")
    steps = min(dim, max(1, iterations))
    q = rng.standard_normal(dim)
    q /= np.linalg.norm(q)
    basis = np.zeros((steps, dim))
    alphas: List[float] = []
    betas: List[float] = []
    previous = np.zeros(dim)
    beta = 0.0
    low = high = 0.0
    for k in range(steps):
        basis[k] = q
        w = np.asarray(matvec(q), dtype=np.float64)
        if not np.all(np.isfinite(w)):
            raise ValueError("a Hessian- or Jacobian-vector product has non-finite entries (NaN or infinity)")
        alpha = float(q @ w)
        w = w - alpha * q - beta * previous
        for _ in range(2):  # full reorthogonalisation, twice ("twice is enough")
            w -= basis[:k + 1].T @ (basis[:k + 1] @ w)
        alphas.append(alpha)
        beta = float(np.linalg.norm(w))
        t = np.diag(alphas) + np.diag(betas, 1) + np.diag(betas, -1)
        values, vectors = np.linalg.eigh(t)
        low, high = float(values[0]), float(values[-1])
        scale = max(abs(low), abs(high), np.finfo(float).tiny)
        residual = beta * max(abs(vectors[-1, 0]), abs(vectors[-1, -1]))
        if beta <= 1e-14 * scale or residual <= tolerance * scale:
            break
        betas.append(beta)
        previous, q = q, w / beta
    return low, high


def _lanczos_constants(losses: Sequence[Loss], point_blocks: List[Any], names: List[str], dims: List[int],
                       rng: np.random.Generator, iterations: int, tolerance: float) -> Dict[str, Any]:
    """One point's block constants (the ``constants`` form) by Lanczos on Hessian–vector products
    and on ``J_ijᵀ J_ij``."""
    import jax
    import jax.numpy as jnp

    n = len(dims)
    curvature: Dict[str, float] = {}
    own_size: Dict[str, float] = {}
    coupling: Dict[str, Dict[str, float]] = {}
    for i, f in enumerate(losses):
        def grad_i(blocks: List[Any], i: int = i, f: Loss = f) -> Any:
            def own(xi: Any) -> Any:
                return f([xi if k == i else blocks[k] for k in range(n)])
            return jax.grad(own)(blocks[i])

        shape_i = np.shape(point_blocks[i])

        def hvp(v: Any, i: int = i, grad_i: Callable[..., Any] = grad_i, shape_i: Any = shape_i) -> Any:
            # J_ii v = d/dt ∇_i f_i(x_i + t v): forward over reverse.
            def g(xi: Any) -> Any:
                return grad_i([xi if k == i else point_blocks[k] for k in range(n)])
            return jnp.ravel(jax.jvp(g, (point_blocks[i],), (jnp.reshape(v, shape_i),))[1])

        hvp_jit = jax.jit(hvp)
        low, high = lanczos_extremes(lambda v: np.asarray(hvp_jit(v)), dims[i], rng, iterations, tolerance)
        curvature[names[i]] = low
        own_size[names[i]] = max(abs(low), abs(high))
        row: Dict[str, float] = {}
        for j in range(n):
            if j == i:
                continue
            shape_j = np.shape(point_blocks[j])

            def gij(xj: Any, j: int = j, grad_i: Callable[..., Any] = grad_i) -> Any:
                return jnp.ravel(grad_i([xj if k == j else point_blocks[k] for k in range(n)]))

            def normal(v: Any, j: int = j, gij: Callable[..., Any] = gij, shape_j: Any = shape_j) -> Any:
                # J_ijᵀ (J_ij v): jvp in x_j, then vjp back.
                u = jax.jvp(gij, (point_blocks[j],), (jnp.reshape(v, shape_j),))[1]
                _, back = jax.vjp(gij, point_blocks[j])
                return jnp.ravel(back(u)[0])

            normal_jit = jax.jit(normal)
            _, top = lanczos_extremes(lambda v: np.asarray(normal_jit(v)), dims[j], rng, iterations, tolerance)
            value = float(np.sqrt(max(top, 0.0)))
            if value > 0:
                row[names[j]] = value
        if row:
            coupling[names[i]] = row
    return {"curvature": curvature, "own_size": own_size, "coupling": coupling}


def sample_game(losses: Sequence[Loss], params: Sequence[Any], players: Optional[Sequence[str]] = None,
                box: Optional[Union[float, Sequence[float]]] = None, samples: int = 1, seed: int = 0,
                name: str = "jax-game", equilibrium: bool = False, method: str = "auto",
                lanczos_iterations: int = LANCZOS_ITERATIONS, lanczos_tolerance: float = LANCZOS_TOLERANCE) -> JacobianGame:
    """Builds a jacobians game from per-player losses at (and around) a checkpoint.

    - ``losses[i](params) -> scalar``: player i's loss; ``params`` is the list of every player's
      parameters (arrays of any shape, flattened in C order for sgn).
    - ``params``: the checkpoint, one array per player.
    - ``box``: radius of the ∞-norm box around the checkpoint where the ``samples`` points are
      drawn (the checkpoint is always the first); ``None``: the checkpoint only.
    - ``equilibrium=True`` states the checkpoint as the equilibrium in the certificate.

    - ``method``: ``"dense"`` (the Jacobian by ``jax.jacfwd``), ``"lanczos"`` (per-player block
      constants by Lanczos on Hessian–vector products, the ``constants`` form; the Jacobian is never
      formed), or ``"auto"``: Lanczos when a block has more than ``LANCZOS_BLOCK_THRESHOLD``
      coordinates or the Jacobian more than ``DENSE_LIMIT``, dense otherwise.
    - ``lanczos_iterations``, ``lanczos_tolerance``: at most that many Lanczos steps per block (full
      reorthogonalisation), stopping when both extreme Ritz values have relative residual ≤ the
      tolerance.

    The constants sgn derives are **sampled estimates** over these points (labelled so in the
    certificate), not bounds; with Lanczos they are in addition iterative estimates of each block's
    extreme eigenvalues and norms (μ_i may be over-, ℓ_i and L_ij under-estimated slightly).
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

    if method not in ("auto", "dense", "lanczos"):
        raise ValueError(f'method must be "auto", "dense" or "lanczos", got {method!r}')
    if method == "auto":
        method = "lanczos" if max(dims) > LANCZOS_BLOCK_THRESHOLD or sum(dims) > DENSE_LIMIT else "dense"
    center = np.concatenate([np.ravel(np.asarray(p, dtype=np.float64)) for p in params])
    points = sample_points(center, box, samples, seed)
    region: Dict[str, Any] = {"built_by": "sgn.jax.sample_game", "center": "checkpoint", "samples": int(samples),
                              "seed": int(seed), "box_radius": None if box is None else np.asarray(box, dtype=np.float64).tolist()}
    eq: Optional[Dict[str, Sequence[float]]] = {n: np.ravel(np.asarray(p, dtype=np.float64)).tolist() for n, p in zip(names, params)} if equilibrium else None
    if method == "lanczos":
        region["constants"] = (f"Lanczos on Hessian-vector products (at most {int(lanczos_iterations)} steps per block, "
                               f"relative residual {lanczos_tolerance:g}, full reorthogonalisation)")
        rng = np.random.default_rng(seed)
        constants = []
        with _x64():
            for x in points:
                blocks = [jnp.asarray(b, dtype=jnp.float64) for b in unflatten(jnp.asarray(x, dtype=jnp.float64))]
                constants.append(_lanczos_constants(losses, blocks, names, dims, rng, lanczos_iterations, lanczos_tolerance))
        return JacobianGame(players=names, dims=dims, name=name, equilibrium=eq, region=region, constants=constants)
    with _x64():
        jacobian = jax.jit(jax.jacfwd(pseudo_gradient))
        jacobians = np.stack([np.asarray(jacobian(jnp.asarray(x, dtype=jnp.float64)), dtype=np.float64) for x in points])
    if not np.all(np.isfinite(jacobians)):
        raise ValueError("a Jacobian has non-finite entries (NaN or infinity) at a sample point")
    return JacobianGame(players=names, dims=dims, jacobians=jacobians, name=name, equilibrium=eq, region=region)
