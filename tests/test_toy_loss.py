"""
The toy loss L(w) = (||w||^2 - 1)^2 on R^3 of Głuch and Urbanke (note A6, Figs. 3-6).

The loss is invariant under rotations, so its Noether identities are about the
angular momentum w x w'. The facts checked here come from the note (A6) and
from hand computation:

- gradient flow started at (0.1, 0.1, 0.1) moves radially (w x w' = 0);
- Newtonian dynamics from w = (0.5, 0.5, 0.5), w' = (-2, 1, 1) stays in the
  plane y = z and keeps w' x w = (0, 3/2, -3/2);
- the engine: phi = ||w||^2 (every loss of ||w||^2 has its gradient along
  grad phi) has 3 - 1 = 2 gradient-flow laws and 3 momentum laws (the three
  components of the angular momentum); its linear symmetries are so(3).
"""
import numpy as np
import pytest
from scipy.integrate import solve_ivp
from sage.rings.rational_field import QQ

from sage_conslaws import (PolynomialMap, dynamics, flow_count, linear_symmetries,
                           noether_cross_check, noether_laws)

NORM = PolynomialMap(["w1^2 + w2^2 + w3^2"])


def toy_gradient(w):
    return 4 * (w @ w - 1) * w


def gradient_flow(t, w):
    return -toy_gradient(w)


def newtonian(t, state):
    w, velocity = state[:3], state[3:]
    return np.concatenate([velocity, -toy_gradient(w)])


def solve(field, start, time):
    solution = solve_ivp(field, (0, time), start, rtol=1e-11, atol=1e-13, dense_output=True)
    assert solution.success
    return solution.sol(np.linspace(0, time, 400)).T


def test_gradient_flow_is_radial():
    path = solve(gradient_flow, np.array([0.1, 0.1, 0.1]), 5.0)
    directions = path / np.linalg.norm(path, axis=1)[:, None]
    assert np.allclose(directions, 1 / np.sqrt(3), atol=1e-9)
    # and it reaches the sphere ||w|| = 1 of minima
    assert np.linalg.norm(path[-1]) == pytest.approx(1, abs=1e-6)


def test_newtonian_orbit_keeps_the_angular_momentum():
    start = np.array([0.5, 0.5, 0.5, -2.0, 1.0, 1.0])
    path = solve(newtonian, start, 10.0)
    w, velocity = path[:, :3], path[:, 3:]
    assert np.allclose(w[:, 1], w[:, 2], atol=1e-9)
    assert np.allclose(np.cross(velocity, w), [0, 1.5, -1.5], atol=1e-8)
    # the orbit is not radial: the direction of w changes
    directions = w / np.linalg.norm(w, axis=1)[:, None]
    assert np.ptp(directions[:, 0]) > 0.5
    # energy 1/2 ||w'||^2 + L is conserved too (time translation)
    energy = 0.5 * (velocity**2).sum(axis=1) + ((w**2).sum(axis=1) - 1)**2
    assert np.ptp(energy) < 1e-8


def test_engine_counts_of_the_norm_map():
    gradient = flow_count(NORM)
    momentum = flow_count(NORM, flow="momentum")
    assert (gradient.number_of_laws(), gradient.is_certified()) == (2, True)
    assert (momentum.number_of_laws(), momentum.is_certified()) == (3, True)


def test_the_symmetries_are_the_rotations():
    # <2w, Aw> = 0 for all w exactly when A is skew: so(3), dimension 3
    algebra = linear_symmetries(NORM)
    assert (algebra.dimension(), algebra.symmetric_dimension(), algebra.skew_dimension()) == (3, 0, 3)
    assert all(g.matrix().transpose() == -g.matrix() for g in algebra.basis())


def test_newtonian_noether_laws_are_the_angular_momentum_along_the_orbit():
    laws = noether_laws(NORM, dynamics("ND"))
    assert len(laws) == 3 and all(law.is_conserved() for law in laws)
    path = solve(newtonian, np.array([0.5, 0.5, 0.5, -2.0, 1.0, 1.0]), 10.0)
    for law in laws:
        quantity = law.quantity()
        values = [float(quantity(*[QQ(float(x)) for x in point])) for point in path[::40]]
        # the components of w' x w = (0, 3/2, -3/2) at the start, up to order and sign
        assert abs(values[0]) in (0.0, 1.5)
        assert np.ptp(values) < 1e-8


def test_gradient_flow_laws_do_not_come_from_conserved_quantities_of_symmetries():
    # no symmetric generator: the 2 laws (the direction of w) come from the
    # identities <w', A w> = 0, not from a Noether charge
    assert not any(law.is_conserved() for law in noether_laws(NORM, dynamics("GF")))
    gradient = noether_cross_check(NORM, flow="gradient")
    assert (gradient.engine_count().number_of_laws(), gradient.rank()) == (2, 0)
    assert gradient.number_not_from_symmetries() == 2
    # under momentum, the three components of the angular momentum are all the laws
    momentum = noether_cross_check(NORM, flow="momentum")
    assert (momentum.engine_count().number_of_laws(), momentum.rank()) == (3, 3)
    assert momentum.all_verified()


def test_energy_identities_of_time_translation():
    # Newtonian: the energy is conserved; Nesterov flow (eq. 35):
    # E(t) - E(t0) = -int_t0^t (3/s) |w'|^2 ds, integrated alongside as a 7th coordinate
    assert dynamics("ND").energy_identity() == (True, "conserved 1/2*|theta'|^2 + L(theta)")
    conserved, text = dynamics("NAGF").energy_identity()
    assert not conserved and text.endswith("= -3/t*|theta'|^2")

    def nesterov(t, state):
        w, velocity = state[:3], state[3:6]
        return np.concatenate([velocity, -3 / t * velocity - toy_gradient(w),
                               [-3 / t * velocity @ velocity]])

    solution = solve_ivp(nesterov, (1.0, 6.0), [0.5, 0.5, 0.5, -2.0, 1.0, 1.0, 0.0],
                         rtol=1e-11, atol=1e-13)
    w, velocity, dissipated = solution.y[:3], solution.y[3:6], solution.y[6]
    energy = 0.5 * (velocity**2).sum(axis=0) + ((w**2).sum(axis=0) - 1)**2
    assert np.allclose(energy - energy[0], dissipated, atol=1e-8)
    assert dissipated[-1] < -1  # the energy really decreases
