"""
Symmetries of the data (note A3, A4, eq. 48): a loss that sees the first layer
W (2 x 3) only through W W^T, as with rotation-invariant inputs.

Hand derivations checked here:

- W -> W (I + eps P) keeps W W^T exactly when P is skew, and no other linear
  map of the entries does: the symmetries are so(3), dimension 3, all skew;
- under gradient flow W' = -S W with S symmetric, so the row space of W, a
  plane of R^3, never moves: the 2 laws are the direction of the cross product
  of the rows (the Grassmannian Gr(2, 3) has dimension 2); they are not Noether
  charges (no symmetric generator), but the identities W'^T W - W^T W' = 0;
- under Newtonian dynamics W'^T W - W^T W' is constant (eq. 48): 3 laws, all of
  the momentum laws.
"""
import numpy as np
from sage.matrix.constructor import matrix
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws import (PolynomialMap, dynamics, is_conservation_law, linear_symmetries,
                           noether_cross_check, noether_laws)

RING = PolynomialRing(QQ, [f"w_{i}_{j}" for i in range(2) for j in range(3)])
W = matrix(RING, 2, 3, RING.gens())
GRAM = W * W.transpose()
MODEL = PolynomialMap([GRAM[0, 0], GRAM[0, 1], GRAM[1, 1]])


def test_the_symmetries_are_the_rotations_of_the_inputs():
    algebra = linear_symmetries(MODEL)
    assert (algebra.dimension(), algebra.symmetric_dimension(), algebra.skew_dimension()) == (3, 0, 3)
    assert not algebra.is_abelian()  # so(3)


def test_gradient_flow_keeps_the_row_space():
    check = noether_cross_check(MODEL, flow="gradient")
    assert check.engine_count().number_of_laws() == 2 and check.engine_count().is_certified()
    assert check.rank() == 0
    # the cross product of the rows is conserved up to scale: its ratios are laws
    cross = W[0, :].transpose().column(0).cross_product(W[1, :].transpose().column(0))
    fields = MODEL.fields()
    for a, b in [(0, 1), (0, 2), (1, 2)]:
        # the ratio c_a / c_b is conserved iff c_b dc_a - c_a dc_b = 0 along the fields
        assert all((cross[b] * X.apply(cross[a]) - cross[a] * X.apply(cross[b])).is_zero()
                   for X in fields)
    assert not is_conservation_law(cross[0], fields)


def test_newtonian_dynamics_keeps_the_angular_momentum_of_the_first_layer():
    laws = noether_laws(MODEL, dynamics("ND"))
    assert len(laws) == 3 and all(law.is_conserved() and law.verify(MODEL) for law in laws)
    check = noether_cross_check(MODEL, flow="momentum")
    assert (check.engine_count().number_of_laws(), check.rank()) == (3, 3)
    # numerically: W'' = -grad L for L = ||W W^T - T||^2, W'^T W - W^T W' stays constant
    rng = np.random.default_rng(0)
    target = np.array([[1.0, 0.3], [0.3, 0.5]])
    w, v, h = rng.standard_normal((2, 3)), rng.standard_normal((2, 3)), 1e-3

    def force(w):
        return -4 * (w @ w.T - target) @ w

    start = v.T @ w - w.T @ v
    for _ in range(2000):  # velocity Verlet keeps this quadratic invariant exactly
        v_half = v + h / 2 * force(w)
        w = w + h * v_half
        v = v_half + h / 2 * force(w)
    assert np.allclose(v.T @ w - w.T @ v, start, atol=1e-9)
