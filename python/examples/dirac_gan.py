"""Worked example: a Dirac-GAN (Mescheder et al.'s one-parameter GAN) with regularisers, in JAX,
certified locally at a checkpoint; prints the learning-rate ratio band.

Real data is a point mass at 0; the generator G puts its mass at theta; the discriminator is
D(x) = psi * x. With f(t) = log sigmoid(t), the GAN value is L = f(psi*theta) + f(0); G minimises
L + eps/2 theta^2 (weight decay), D maximises L - gamma/2 psi^2 (a gradient penalty). At the
equilibrium (0, 0) the game Jacobian is [[eps, 1/2], [-1/2, gamma]].

Run: SGN_BINARY=.build/release/sgn python python/examples/dirac_gan.py
"""
from __future__ import annotations

import jax
import jax.numpy as jnp

import sgn
import sgn.jax

EPS, GAMMA = 0.3, 1.0


def value(theta: jax.Array, psi: jax.Array) -> jax.Array:
    return jax.nn.log_sigmoid(psi * theta).sum() + jax.nn.log_sigmoid(0.0)


def generator_loss(params):
    theta, psi = params
    return value(theta, psi) + EPS / 2 * jnp.sum(theta ** 2)


def discriminator_loss(params):
    theta, psi = params
    return -value(theta, psi) + GAMMA / 2 * jnp.sum(psi ** 2)


def main() -> sgn.Certificate:
    checkpoint = [jnp.array([0.05]), jnp.array([-0.02])]  # (theta, psi) after some training
    game = sgn.jax.sample_game([generator_loss, discriminator_loss], checkpoint, players=["G", "D"],
                               box=0.1, samples=64, seed=0, name="dirac-gan")
    certificate = sgn.certify(game)
    print(certificate)
    if certificate.band is not None:
        b = certificate.band
        upper = "unbounded" if b.upper is None else f"{b.upper:.4g}"
        print(f"learning-rate ratio band {b.ratio}: [{b.lower:.4g}, {upper}], optimum {b.optimum:.4g} "
              f"(constants {certificate.estimation} over {game.jacobians.shape[0]} points of the box of radius 0.1)")
    else:
        print("no learning-rate ratio band: the SGN margin is not positive for any ratio")
    return certificate


if __name__ == "__main__":
    main()
