r"""
Cross-checks between independent routes, with fixed seeds.

- The Lie closure rank (route 1) against the explicit polynomial laws of
  degree <= 2 (route 2) on small random linear and ReLU networks, whose laws
  are all quadratic ([MGP2023]).
- ``PolynomialVectorField.bracket`` against Sage's derivations, against the
  commutator of the derivations acting on polynomials, and the Jacobi identity.
- The examples of [MGP2023] on kernel dimensions versus independent laws.
- Determinism for a given seed.
"""
import random

import pytest

from sage.matrix.constructor import matrix
from sage.modules.free_module_element import vector
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws import (LinearNetwork, PolynomialMap, PolynomialVectorField, ReLUNetwork,
                           count_conservation_laws, independent_laws, is_conservation_law,
                           lie_closure, new_laws, polynomial_laws)

from conftest import (coefficient_matrix, deep_linear_laws_per_layer, derivative_along,
                      field_components, gradient_rank, law_space_dimension,
                      random_dense_field, random_dense_polynomial, random_rational_point,
                      span_dimension, two_layer_linear_laws)


def random_linear_widths(seed):
    """Two-layer nets with any widths 1..3 (hidden up to 5), deeper ones with widths >= 2."""
    rng = random.Random(seed)
    depth = rng.choice([2, 2, 3])
    if depth == 2:
        return [rng.randint(1, 3), rng.randint(1, 5), rng.randint(1, 3)]
    return [rng.randint(2, 3) for _ in range(depth + 1)]


def random_relu(seed):
    rng = random.Random(seed)
    depth = rng.choice([2, 3])
    widths = [rng.randint(1, 3) for _ in range(depth + 1)]
    return widths, rng.random() < 0.5


LINEAR_SEEDS = list(range(10))
RELU_SEEDS = list(range(10))


# ----------------------------------------------------------------------------
# Lie closure rank vs explicit polynomial laws
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("seed", LINEAR_SEEDS)
def test_linear_closure_rank_vs_polynomial_laws(seed):
    widths = random_linear_widths(seed)
    N = LinearNetwork(widths)
    fields, D = N.fields(), N.dimension()
    # route 1: the Lie closure alone, no law given
    closure = lie_closure(fields, seed=seed)
    assert closure.is_complete()
    # route 2: polynomial laws of degree <= 2, then an independent subset
    laws = polynomial_laws(fields, 2)
    assert len(laws) == law_space_dimension(fields, 2)
    for h in laws:
        assert is_conservation_law(h, fields)
    independent = independent_laws(laws, seed=seed)
    assert len(independent) == gradient_rank(laws, N.ring())
    assert D - closure.rank() == len(independent)
    # and the oracle of the paper
    if len(widths) == 3:
        expected = two_layer_linear_laws(widths[2], widths[1], widths[0])
    else:
        expected = deep_linear_laws_per_layer(widths)
    assert len(independent) == expected
    result = count_conservation_laws(N, seed=seed, degree=2)
    assert result.number_of_laws() == expected
    assert result.is_certified()


@pytest.mark.parametrize("seed", RELU_SEEDS)
def test_relu_closure_rank_vs_polynomial_laws(seed):
    widths, bias = random_relu(seed)
    N = ReLUNetwork(widths, bias=bias)
    fields, D = N.fields(), N.dimension()
    closure = lie_closure(fields, seed=seed)
    assert closure.is_complete()
    laws = polynomial_laws(fields, 2)
    assert len(laws) == law_space_dimension(fields, 2)
    independent = independent_laws(laws, seed=seed)
    assert len(independent) == gradient_rank(laws, N.ring())
    assert D - closure.rank() == len(independent) == sum(widths[1:-1])


def test_monomial_map_closure_vs_laws():
    R = PolynomialRing(QQ, "x", 5)
    M = PolynomialMap([R.prod(R.gens())])
    laws = polynomial_laws(M.fields(), 2)
    assert M.dimension() - lie_closure(M.fields()).rank() == len(independent_laws(laws)) == 4


# ----------------------------------------------------------------------------
# Brackets
# ----------------------------------------------------------------------------

def random_fields(seed, D=3, count=3, degree=2):
    rng = random.Random(seed)
    R = PolynomialRing(QQ, "x", D)
    return R, [random_dense_field(R, rng.randint(1, degree), rng) for _ in range(count)]


def bracket_by_hand(X, Y):
    r"""`[X, Y]_i = \sum_k X_k \partial_k Y_i - Y_k \partial_k X_i`."""
    R = X.ring()
    x, y = field_components(X), field_components(Y)
    return [derivative_along(x, y[i], R) - derivative_along(y, x[i], R) for i in range(len(x))]


@pytest.mark.parametrize("seed", range(6))
def test_bracket_agrees_with_sage_derivations(seed):
    R, (X, Y, _) = random_fields(seed, D=3 + seed % 2)
    B = X.bracket(Y)
    assert B.ring() is R
    assert B.to_derivation() == X.to_derivation().bracket(Y.to_derivation())
    assert field_components(B) == bracket_by_hand(X, Y)
    # as derivations: [X, Y] h = X(Y h) - Y(X h)
    h = random_dense_polynomial(R, 3, random.Random(seed + 100))
    assert B.apply(h) == X.apply(Y.apply(h)) - Y.apply(X.apply(h))
    dX, dY = X.to_derivation(), Y.to_derivation()
    assert B.to_derivation()(h) == dX(dY(h)) - dY(dX(h))


@pytest.mark.parametrize("seed", range(6))
def test_bracket_is_antisymmetric_bilinear_and_jacobi(seed):
    R, (X, Y, Z) = random_fields(seed, D=3 + seed % 3)
    zero = PolynomialVectorField(R, [0] * R.ngens())
    assert X.bracket(X).is_zero()
    assert X.bracket(Y) == -Y.bracket(X)
    assert X.bracket(Y + Z) == X.bracket(Y) + X.bracket(Z)
    jacobi = X.bracket(Y.bracket(Z)) + Y.bracket(Z.bracket(X)) + Z.bracket(X.bracket(Y))
    assert jacobi.is_zero()
    assert jacobi == zero
    # Leibniz: [X, f Y] = (X f) Y + f [X, Y]
    f = random_dense_polynomial(R, 2, random.Random(seed + 7))
    assert X.bracket(f * Y) == X.apply(f) * Y + f * X.bracket(Y)


@pytest.mark.parametrize("seed", range(4))
def test_jacobian_and_values_by_hand(seed):
    R, (X, Y, _) = random_fields(seed, D=3)
    gens = R.gens()
    J = X.jacobian()
    assert J == matrix(R, [[X[i].derivative(v) for v in gens] for i in range(R.ngens())])
    point = random_rational_point(R.ngens(), seed)
    JX, JY = X.jacobian(point), Y.jacobian(point)
    assert JX == J.apply_map(lambda p: p(point))
    assert X(point) == vector(QQ, [c(point) for c in field_components(X)])
    # [X, Y](p) = dY(p) X(p) - dX(p) Y(p)
    assert X.bracket(Y)(point) == JY * X(point) - JX * Y(point)


def test_bracket_hand_example():
    """[y d/dx, x d/dy] = -x d/dx + y d/dy, by hand."""
    R = PolynomialRing(QQ, "x, y")
    x, y = R.gens()
    X = PolynomialVectorField(R, [y, 0])
    Y = PolynomialVectorField(R, [0, x])
    assert X.bracket(Y) == PolynomialVectorField(R, [-x, y])


# ----------------------------------------------------------------------------
# Examples of the paper: kernel dimension is not the number of laws
# ----------------------------------------------------------------------------

def test_n2_r4_m1_kernel_ten_but_nine_independent():
    """Two-layer linear, n = 2 outputs, r = 4 hidden, m = 1 input."""
    N = LinearNetwork([1, 4, 2])
    fields = N.fields()
    assert N.dimension() == 12
    laws = polynomial_laws(fields, 2)
    assert len(laws) == 10
    assert len(polynomial_laws(fields, 2, homogeneous=True)) == 10
    assert law_space_dimension(fields, 2) == 10
    assert len(independent_laws(laws)) == 9
    assert gradient_rank(laws, N.ring()) == 9
    # the 10 entries of U^T U - V^T V span the kernel
    known = [h for _, h in N.known_laws()]
    assert len(known) == 10
    assert span_dimension(laws + known) == 10
    assert count_conservation_laws(N).number_of_laws() == 9
    assert count_conservation_laws(N, degree=2).number_of_laws() == 9


def test_222_degree_four_laws_are_products_of_quadratic_ones():
    N = LinearNetwork([2, 2, 2])
    fields = N.fields()
    quadratic = polynomial_laws(fields, 2)
    assert len(quadratic) == 3
    assert law_space_dimension(fields, 2) == 3
    quartic = polynomial_laws(fields, 4, homogeneous=True)
    assert len(quartic) == 6
    assert law_space_dimension(fields, 4, homogeneous=True) == 6
    # the 6 products h_i h_j are conserved, independent, and span the quartic laws
    products = [quadratic[i] * quadratic[j] for i in range(3) for j in range(i, 3)]
    for p in products:
        assert is_conservation_law(p, fields)
    assert span_dimension(products) == 6
    assert span_dimension(products + quartic) == 6
    # new_laws: nothing new at degree 4
    new = new_laws(quadratic + quartic)
    assert len(new) == 3
    assert all(h.degree() == 2 for h in new)
    assert span_dimension(new + quadratic) == 3
    assert new_laws(quartic + quadratic) == new


def test_new_laws_keeps_a_law_not_generated_by_lower_ones():
    """x^2 - y^2 and x^4 (not a law, just a polynomial): x^4 is not in QQ[x^2 - y^2]."""
    R = PolynomialRing(QQ, "x, y")
    x, y = R.gens()
    assert len(new_laws([x ** 2 - y ** 2, (x ** 2 - y ** 2) ** 2])) == 1
    assert len(new_laws([x ** 2 - y ** 2, x ** 4])) == 2


# ----------------------------------------------------------------------------
# Determinism
# ----------------------------------------------------------------------------

def without_seconds(d):
    d = dict(d)
    d.pop("seconds")
    return d


@pytest.mark.parametrize("make", [
    lambda: LinearNetwork([2, 3, 2]),
    lambda: ReLUNetwork([2, 3, 2], bias=True),
    lambda: PolynomialMap(["x*y*z"]),
    lambda: random_fields(3, D=4, count=1)[1],
], ids=["linear", "relu", "map", "fields"])
@pytest.mark.parametrize("seed", [0, 17])
def test_same_seed_same_result(make, seed):
    first = count_conservation_laws(make(), seed=seed, degree=2).as_dict()
    second = count_conservation_laws(make(), seed=seed, degree=2).as_dict()
    assert without_seconds(first) == without_seconds(second)
    c1 = count_conservation_laws(make(), seed=seed).closure()
    c2 = count_conservation_laws(make(), seed=seed).closure()
    assert c1.rank() == c2.rank() and c1.levels() == c2.levels()


def test_count_does_not_depend_on_seed():
    # the count is a property of the network, not of the random point
    deep = deep_linear_laws_per_layer([2, 3, 2, 2])
    for seed in range(5):
        assert LinearNetwork([1, 4, 2]).conservation_laws(seed=seed).number_of_laws() == 9
        assert ReLUNetwork([2, 2, 2], bias=True).conservation_laws(seed=seed).number_of_laws() == 2
        result = LinearNetwork([2, 3, 2, 2]).conservation_laws(seed=seed)
        assert result.number_of_laws() == deep and result.is_certified()
