r"""
Models given by the user: polynomial maps (Sage, sympy, strings) and families of fields.

Oracles ([MGP2023] and by hand):

- `\phi(x) = x_1 \cdots x_D` has `D - 1` laws, all quadratic: `x_i^2 - x_j^2`;
- `\phi = (xy, yz)` has the single law `x^2 - y^2 + z^2` (by hand: `W` and its
  bracket `(-z, 0, x)` have rank 2, and solving the linear system for a
  quadratic law leaves only that one);
- one random polynomial field in `D` variables has `D - 1` laws (a single
  field spans an involutive distribution) but no polynomial law of low degree;
  two or more generic fields have no law (their brackets span `\RR^D`).
"""
import random

import pytest
import sympy

from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws import (PolynomialMap, VectorFieldFamily, count_conservation_laws,
                           gradient_fields, independent_laws, is_conservation_law, lie_closure,
                           polynomial_laws)
from sage_conslaws.closure.verification import check_involutive, verify_closure

from conftest import (coefficient_matrix, gens_by_name, law_space_dimension,
                      random_dense_field, span_dimension)


def monomial_ring(D):
    return PolynomialRing(QQ, [f"x{i}" for i in range(1, D + 1)])


def expected_quadratic_laws(ring):
    x = ring.gens()
    return [x[i] ** 2 - x[j] ** 2 for i in range(len(x)) for j in range(i + 1, len(x))]


# ----------------------------------------------------------------------------
# phi = x_1 ... x_D
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("D", [2, 3, 4, 5, 6])
def test_monomial_has_d_minus_one_laws(D):
    R = monomial_ring(D)
    result = PolynomialMap([R.prod(R.gens())]).conservation_laws()
    assert result.parameters() == D
    assert result.number_of_laws() == D - 1
    assert result.lie_dimension() == 1
    assert result.is_certified()


@pytest.mark.parametrize("D", [2, 3, 4, 5, 6])
def test_monomial_quadratic_laws_are_differences_of_squares(D):
    R = monomial_ring(D)
    fields = gradient_fields([R.prod(R.gens())])
    laws = polynomial_laws(fields, 2)
    assert len(laws) == D - 1
    assert law_space_dimension(fields, 2) == D - 1
    expected = expected_quadratic_laws(R)
    for h in expected:
        assert is_conservation_law(h, fields)
    # same span: each law is a combination of the x_i^2 - x_j^2 and conversely
    assert span_dimension(expected) == D - 1
    assert span_dimension(laws) == D - 1
    assert span_dimension(laws + expected) == D - 1
    for h in laws:
        assert h.is_homogeneous() and h.degree() == 2
    # no law of degree 1, and the quadratic ones are functionally independent
    assert polynomial_laws(fields, 1) == []
    assert len(polynomial_laws(fields, 2, homogeneous=True)) == D - 1
    assert len(independent_laws(laws)) == D - 1


@pytest.mark.parametrize("D", [3, 4])
def test_monomial_count_with_degree_search(D):
    R = monomial_ring(D)
    result = count_conservation_laws(PolynomialMap([R.prod(R.gens())]), degree=2)
    assert result.number_of_laws() == D - 1
    assert result.is_certified()
    laws = [h for _, h in result.laws()]
    assert len(laws) == D - 1
    assert span_dimension(laws + expected_quadratic_laws(R)) == D - 1


def test_xy_yz_has_one_law():
    M = PolynomialMap(["x*y", "y*z"])
    g = gens_by_name(M.ring())
    x, y, z = g["x"], g["y"], g["z"]
    result = M.conservation_laws(degree=2)
    assert result.number_of_laws() == 1
    assert result.is_certified()
    laws = polynomial_laws(M.fields(), 2)
    assert len(laws) == 1
    assert coefficient_matrix(laws + [x ** 2 - y ** 2 + z ** 2]).rank() == 1


# ----------------------------------------------------------------------------
# Sage, sympy and string inputs agree
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("D", [2, 3, 4])
def test_sympy_and_strings_give_the_sage_answer(D):
    R = monomial_ring(D)
    from_sage = PolynomialMap([R.prod(R.gens())])
    symbols = sympy.symbols(" ".join(f"x{i}" for i in range(1, D + 1)))
    from_sympy = PolynomialMap([sympy.Mul(*symbols)])
    from_string = PolynomialMap(["*".join(f"x{i}" for i in reversed(range(1, D + 1)))])
    answers = []
    for M in (from_sage, from_sympy, from_string):
        assert M.ring() == R
        assert M.ring().variable_names() == R.variable_names()
        assert M.reparametrization() == [R.prod(R.gens())]
        result = M.conservation_laws()
        answers.append((result.parameters(), result.lie_dimension(), result.number_of_laws(),
                        result.is_certified(), polynomial_laws(M.fields(), 2)))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][:4] == (D, 1, D - 1, True)


def test_general_map_sympy_string_sage_agree():
    R = PolynomialRing(QQ, "a, b, c")
    a, b, c = R.gens()
    A, B, C = sympy.symbols("a b c")
    maps = [PolynomialMap([a * b - c, b ** 2 / 2]),
            PolynomialMap([A * B - C, B ** 2 / 2]),
            PolynomialMap(["a*b - c", "b**2/2"])]
    for M in maps:
        assert M.ring() == R
        assert M.reparametrization() == [a * b - c, b ** 2 / 2]
        # grad(ab - c) = (b, a, -1), grad(b^2/2) = (0, b, 0), bracket (-b, a, 0):
        # determinant -b^2, so the brackets span R^3 and there is no law.
        result = M.conservation_laws()
        assert result.number_of_laws() == 0
        assert result.is_certified()


def test_variables_fix_the_order():
    M = PolynomialMap(["y*x + z"], variables=["z", "y", "x"])
    assert M.ring().variable_names() == ("z", "y", "x")
    g = gens_by_name(M.ring())
    assert M.reparametrization() == [g["x"] * g["y"] + g["z"]]


def test_single_variable_string_map():
    """phi(x) = x^2 from a string: one parameter, one non-zero field, no law."""
    M = PolynomialMap(["x**2"])
    assert M.dimension() == 1
    result = M.conservation_laws()
    assert result.number_of_laws() == 0


def test_single_variable_sympy_matches_sage():
    R = PolynomialRing(QQ, "x", 1)
    from_sage = PolynomialMap([R.gen(0) ** 3])
    from_sympy = PolynomialMap([sympy.Symbol("x") ** 3])
    assert from_sympy.ring() == from_sage.ring()
    assert from_sympy.conservation_laws().number_of_laws() == 0


# ----------------------------------------------------------------------------
# Random polynomial vector fields
# ----------------------------------------------------------------------------

RANDOM_CASES = [(D, degree) for D in (3, 4, 5) for degree in (2, 3)]


@pytest.mark.parametrize("D, degree", RANDOM_CASES)
def test_one_random_field_has_d_minus_one_laws(D, degree):
    R = PolynomialRing(QQ, "x", D)
    X = random_dense_field(R, degree, random.Random(100 * D + degree))
    assert X.degree() == degree
    closure = lie_closure([X])
    assert closure.rank() == 1
    # a single field spans an involutive distribution: proven exactly
    assert check_involutive(closure) is True
    result = count_conservation_laws([X])
    assert result.number_of_laws() == D - 1
    assert result.lie_dimension() == 1
    assert result.is_certified()
    assert VectorFieldFamily([X]).conservation_laws().number_of_laws() == D - 1


@pytest.mark.parametrize("D, degree", RANDOM_CASES)
def test_one_random_field_has_no_low_degree_polynomial_law(D, degree):
    R = PolynomialRing(QQ, "x", D)
    X = random_dense_field(R, degree, random.Random(100 * D + degree))
    assert law_space_dimension([X], 2) == 0  # independent computation
    assert polynomial_laws([X], 2) == []
    assert polynomial_laws([X], 2, homogeneous=True) == []
    assert polynomial_laws([X], 1) == []


@pytest.mark.parametrize("D, degree, count", [(3, 2, 2), (4, 2, 2), (5, 2, 3), (3, 3, 2),
                                              (4, 3, 3), (5, 3, 2)])
def test_several_random_fields_have_no_law(D, degree, count):
    R = PolynomialRing(QQ, "x", D)
    rng = random.Random(7 * D + degree + 1000 * count)
    fields = [random_dense_field(R, degree, rng) for _ in range(count)]
    result = count_conservation_laws(fields)
    assert result.number_of_laws() == 0
    assert result.lie_dimension() == D
    assert result.is_certified()
    assert result.certificate().error_bound() == 0
    assert lie_closure(fields).rank() == D


def test_verify_closure_accepts_complete_and_rejects_incomplete():
    R = PolynomialRing(QQ, "x, y, z")
    x, y, z = R.gens()
    from sage_conslaws import PolynomialVectorField
    # rotations about two axes: their bracket is the third rotation, rank 2 (spheres)
    X = PolynomialVectorField(R, [0, z, -y])
    Y = PolynomialVectorField(R, [z, 0, -x])
    closure = lie_closure([X, Y])
    assert closure.rank() == 2
    verification = verify_closure(closure, points=2)
    assert verification.passed() and 0 <= verification.error_bound() < 1e-6
    result = count_conservation_laws([X, Y], degree=2)
    assert result.number_of_laws() == 1
    assert result.is_certified()
    assert is_conservation_law(x ** 2 + y ** 2 + z ** 2, [X, Y])
    # d/dx and d/dy + x d/dz: not closed at bracket depth 0
    X = PolynomialVectorField(R, [1, 0, 0])
    Y = PolynomialVectorField(R, [0, 1, x])
    verification = verify_closure(lie_closure([X, Y], max_depth=0))
    assert verification.proves_incomplete() and verification.error_bound() is None
    assert check_involutive(lie_closure([X, Y], max_depth=0)) is False
    assert count_conservation_laws([X, Y]).number_of_laws() == 0
