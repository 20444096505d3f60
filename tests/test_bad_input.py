"""
Bad input: every mistake raises ValueError or TypeError with a message naming the problem.
"""
import pytest
import sympy

from sage.matrix.constructor import identity_matrix, matrix
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ
from sage.rings.real_mpfr import RR

from sage_conslaws import (NMF, LinearNetwork, PolynomialMap, PolynomialVectorField, ReLUNetwork,
                           VectorFieldFamily, count_conservation_laws, gradient_fields,
                           independent_laws, is_conservation_law, lie_closure, polynomial_laws)
from sage_conslaws.closure.verification import verify_closure

NETWORKS = [LinearNetwork, ReLUNetwork]


@pytest.fixture
def R():
    return PolynomialRing(QQ, "x, y, z")


@pytest.fixture
def S():
    return PolynomialRing(QQ, "u, v, w")


# ----------------------------------------------------------------------------
# Widths
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("widths", [[3, 0, 2], [3, -1, 2], [0, 2], [2, 3, -4]])
def test_non_positive_widths(network, widths):
    with pytest.raises(ValueError, match="positive integers"):
        network(widths)


@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("widths", [[3, 1.5, 2], [2.0, 2], ["2", 2], [2, None], [QQ(1) / 2, 2]])
def test_non_integer_widths(network, widths):
    with pytest.raises(ValueError, match="positive integers"):
        network(widths)


@pytest.mark.parametrize("network", NETWORKS)
@pytest.mark.parametrize("widths", [[], [4], (3,)])
def test_too_few_widths(network, widths):
    with pytest.raises(ValueError, match="at least an input and an output"):
        network(widths)


@pytest.mark.parametrize("network", NETWORKS)
def test_widths_string_with_garbage(network):
    with pytest.raises(ValueError, match="positive integers"):
        network("3,x")


@pytest.mark.parametrize("network", NETWORKS)
def test_widths_not_a_list(network):
    """A single number instead of a list of widths."""
    with pytest.raises((ValueError, TypeError), match="width"):
        network(3)


def test_relu_too_many_paths():
    # the network itself is fine (it trains in float64); the exact count is refused: phi
    # has one term per path, each storing the 30000 exponents; the structured path needs
    # no phi, but a rank of about 30000 x 30000 values, and refuses at once
    network = ReLUNetwork([100, 100, 100, 100])
    with pytest.raises(ValueError, match="phi has up to 100000000 terms of degree 3 in 30000 "
                                         "variables.*, beyond reach"):
        network.check_within_reach()
    with pytest.raises(ValueError, match="the values of 29802 brackets on R.30000 have "
                                         "894060000 entries, beyond reach"):
        network.conservation_laws()


def test_too_many_parameters_for_a_polynomial_ring():
    # Singular would stop the process beyond 32767 variables: a layered network is built
    # without a ring (its structure, its laws as forms and their count work), what needs
    # one refuses
    N = ReLUNetwork([200, 200, 2])
    for needs_the_ring in (N.known_laws, N.parameters):
        with pytest.raises(ValueError, match="has 40400 parameters, beyond reach.*at most 32767 "
                                             "parameters"):
            needs_the_ring()
    with pytest.raises(ValueError, match="the values of 40202 brackets on R.40400 have"):
        N.conservation_laws()
    with pytest.raises(ValueError, match="has 200000 parameters, beyond reach.*at most 32767 "
                                         "parameters"):
        NMF(100000, 1, 100000)


# ----------------------------------------------------------------------------
# Non-polynomial maps
# ----------------------------------------------------------------------------

X_ = sympy.Symbol("x")
Y_ = sympy.Symbol("y")


@pytest.mark.parametrize("phi", [
    ["1/x"], ["x**(-1)"], ["sin(x)"], ["exp(x)*y"], ["x**(1/2)"], ["x/y"],
    [1 / X_], [sympy.sin(X_)], [sympy.sqrt(X_)], [X_ * Y_, sympy.cos(Y_)],
    [X_ ** sympy.Rational(3, 2)],
], ids=str)
def test_non_polynomial_map(phi):
    with pytest.raises(TypeError, match="not polynomial|not a polynomial"):
        PolynomialMap(phi)


def test_non_polynomial_sage_fraction(R):
    """1/x built in Sage (an element of the fraction field)."""
    x, y, z = R.gens()
    with pytest.raises(TypeError, match="not polynomial|not a polynomial"):
        PolynomialMap([1 / x])


def test_non_polynomial_gradient_fields_and_fields(R):
    x, y, z = R.gens()
    with pytest.raises(TypeError, match="polynomial"):
        gradient_fields([1 / x])
    with pytest.raises(TypeError, match="not a polynomial"):
        PolynomialVectorField(R, [1 / x, y, z])
    with pytest.raises(TypeError, match="not a polynomial"):
        is_conservation_law(1 / x, [PolynomialVectorField(R, [y, x, 0])])


@pytest.mark.parametrize("text", ["x+*", "x y", "x.y", "x, y", "[x]", "__import__('os')"])
def test_unparsable_map(text):
    with pytest.raises(TypeError, match="cannot read"):
        PolynomialMap([text])


@pytest.mark.parametrize("text", ["x^(10^9)*y", "(x+y+z)^5000", "(x+y+z)^1000"])
def test_map_beyond_reach(text):
    """Refused before the expansion (sympy took 8-12 GB on the first two)."""
    with pytest.raises(ValueError, match="beyond reach"):
        PolynomialMap([text])


def test_empty_map():
    with pytest.raises(ValueError, match="empty"):
        PolynomialMap([])
    with pytest.raises(ValueError, match="empty"):
        gradient_fields([])


def test_map_without_variables():
    with pytest.raises(ValueError, match="no variables"):
        PolynomialMap(["3"])


# ----------------------------------------------------------------------------
# Float coefficients
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("phi", [["0.5*x"], ["x*y + 0.25"], [0.5 * X_], [X_ * Y_ + 0.1]],
                         ids=str)
def test_float_coefficients_in_map(phi):
    with pytest.raises(TypeError, match="rational coefficients"):
        PolynomialMap(phi)


def test_float_coefficients_sage_real_ring():
    x, y = PolynomialRing(RR, "x, y").gens()
    with pytest.raises(TypeError, match="rational coefficients"):
        PolynomialMap([1.5 * x * y])


def test_float_coefficients_python_float_times_sage(R):
    x, y, z = R.gens()
    with pytest.raises(TypeError, match="rational coefficients"):
        PolynomialMap([0.5 * x * y])


def test_fields_over_the_reals_are_rejected():
    T = PolynomialRing(RR, "a, b")
    a, b = T.gens()
    with pytest.raises(TypeError, match="rational coefficients"):
        gradient_fields([1.5 * a * b])
    fields = [PolynomialVectorField(T, [b, a])]
    with pytest.raises(ValueError, match="rational coefficients"):
        lie_closure(fields)
    with pytest.raises(ValueError, match="rational coefficients"):
        count_conservation_laws(fields)
    with pytest.raises(ValueError, match="rational coefficients"):
        polynomial_laws(fields, 2)


def test_float_component_of_a_field_is_rejected(R):
    """A field over QQ given a float coefficient: rejected, as PolynomialMap does."""
    x, y, z = R.gens()
    with pytest.raises(TypeError, match="rational coefficients"):
        PolynomialVectorField(R, [0.1 * x, y, z])


# ----------------------------------------------------------------------------
# Fields from different rings
# ----------------------------------------------------------------------------

def test_fields_from_different_rings(R, S):
    x, y, z = R.gens()
    X = PolynomialVectorField(R, [y, x, 0])
    Y = PolynomialVectorField(S, [1, 0, 0])
    with pytest.raises(ValueError, match="different rings"):
        X.bracket(Y)
    # fields of different rings live in different Lie algebras: Sage's own error
    with pytest.raises(TypeError, match="unsupported operand parent"):
        X + Y
    with pytest.raises(ValueError, match="one ring"):
        lie_closure([X, Y])
    with pytest.raises(ValueError, match="one ring"):
        count_conservation_laws([X, Y])
    with pytest.raises(ValueError, match="one ring"):
        polynomial_laws([X, Y], 2)
    with pytest.raises(ValueError, match="one ring"):
        VectorFieldFamily([X, Y])


def test_map_from_different_rings(R, S):
    with pytest.raises(ValueError, match="one polynomial ring"):
        PolynomialMap([R.gen(0), S.gen(0)])


def test_law_from_another_ring_is_not_silently_converted():
    """u^2 - v^2 lives in QQ[u, v]; it is not a law of the network on w1_0_0, w2_0_0."""
    N = LinearNetwork([1, 1, 1])
    u, v = PolynomialRing(QQ, "u, v").gens()
    with pytest.raises((ValueError, TypeError), match="ring"):
        is_conservation_law(u ** 2 - v ** 2, N.fields())
    with pytest.raises((ValueError, TypeError), match="ring"):
        count_conservation_laws(N, laws=[("foreign", u ** 2 - v ** 2)])


def test_independent_laws_from_different_rings(R, S):
    with pytest.raises((ValueError, TypeError), match="ring"):
        independent_laws([R.gen(0) ** 2, S.gen(0) ** 2])


def test_not_a_family(R):
    with pytest.raises(ValueError, match="empty"):
        lie_closure([])
    with pytest.raises(ValueError, match="empty"):
        count_conservation_laws([])
    with pytest.raises(TypeError, match="PolynomialVectorField"):
        lie_closure([R.gen(0)])
    with pytest.raises(TypeError, match="Model or a list of PolynomialVectorField"):
        count_conservation_laws("relu")


def test_malformed_fields(R):
    x, y, z = R.gens()
    with pytest.raises(ValueError, match="needs 3 components, got 2"):
        PolynomialVectorField(R, [x, y])
    with pytest.raises(TypeError, match="multivariate polynomial ring"):
        PolynomialVectorField(QQ, [1])
    with pytest.raises(ValueError, match="out of range"):
        PolynomialVectorField(R, {5: x})
    X = PolynomialVectorField(R, [y, x, 0])
    with pytest.raises(ValueError, match="needs 3 coordinates, got 2"):
        X([1, 2])


# ----------------------------------------------------------------------------
# Degrees
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("degree", [-1, 0, -5, 1.5])
def test_bad_degree(degree):
    fields = LinearNetwork([1, 2, 1]).fields()
    with pytest.raises(ValueError, match="positive integer"):
        polynomial_laws(fields, degree)
    if degree != 0:  # degree=0 turns the count's search of laws off
        with pytest.raises(ValueError, match="non-negative integer"):
            count_conservation_laws(LinearNetwork([1, 2, 1]), degree=degree)


@pytest.mark.parametrize("degree", ["2", [2]])
def test_count_degree_of_wrong_type(degree):
    with pytest.raises(TypeError, match="must be an integer"):
        count_conservation_laws(LinearNetwork([1, 2, 1]), degree=degree)


@pytest.mark.parametrize("degree", ["2", None, [2]])
def test_degree_of_wrong_type(degree):
    with pytest.raises(TypeError, match="must be an integer"):
        polynomial_laws(LinearNetwork([1, 2, 1]).fields(), degree)


# ----------------------------------------------------------------------------
# Metrics
# ----------------------------------------------------------------------------

def test_metric_of_wrong_dimension(R):
    x, y, z = R.gens()
    with pytest.raises(ValueError, match="must be a 3 x 3 matrix, got 2 x 2"):
        gradient_fields([x * y], metric_inverse=identity_matrix(QQ, 2))
    with pytest.raises(ValueError, match="must be a 3 x 3 matrix, got 3 x 2"):
        gradient_fields([x * y], metric_inverse=matrix(QQ, 3, 2))
    N = LinearNetwork([1, 2, 1])  # 4 parameters
    with pytest.raises(ValueError, match="must be a 4 x 4 matrix, got 3 x 3"):
        N.conservation_laws(metric_inverse=identity_matrix(QQ, 3))
    with pytest.raises(ValueError, match="must be a 4 x 4 matrix, got 5 x 5"):
        count_conservation_laws(N, metric_inverse=identity_matrix(QQ, 5))


def test_metric_given_as_nested_list_of_wrong_dimension():
    N = LinearNetwork([1, 2, 1])  # 4 parameters
    with pytest.raises((ValueError, TypeError), match="metric"):
        N.conservation_laws(metric_inverse=[[1, 0], [0, 1]])


def test_metric_on_fields_given_directly(R):
    X = PolynomialVectorField(R, [1, 0, 0])
    with pytest.raises(ValueError, match="metric"):
        count_conservation_laws([X], metric_inverse=identity_matrix(QQ, 3))


# ----------------------------------------------------------------------------
# Claimed laws and verification options
# ----------------------------------------------------------------------------

def test_claimed_law_that_is_not_conserved():
    N = LinearNetwork([1, 2, 1])
    w = N.parameters()[0]
    with pytest.raises(ValueError, match="'bogus' .* is not conserved"):
        count_conservation_laws(N, laws=[("bogus", w)])


def test_claimed_laws_not_given_as_pairs():
    N = LinearNetwork([1, 2, 1])
    with pytest.raises((ValueError, TypeError), match="pair|name"):
        count_conservation_laws(N, laws=[N.known_laws()[0][1]])


def test_negative_number_of_verification_points(R):
    x, y, z = R.gens()
    closure = lie_closure([PolynomialVectorField(R, [0, z, -y]), PolynomialVectorField(R, [z, 0, -x])])
    with pytest.raises(ValueError, match="points"):
        verify_closure(closure, points=-1)
