"""Linear symmetries of models, against a brute-force kernel and hand-derived Lie algebras."""
from itertools import product

import pytest
from conftest import gens_by_name
from sage.matrix.constructor import matrix
from sage.modules.free_module_element import vector
from sage.rings.rational_field import QQ

from sage_conslaws import LinearNetwork, PolynomialVectorField, ReLUNetwork
from sage_conslaws.symmetries.generators import SymmetryGenerator, is_symmetry
from sage_conslaws.symmetries.solve import linear_symmetries


def brute_force_symmetries(model):
    r"""
    The space of all `A` with `\langle\nabla\phi_j, A\theta\rangle = 0`, from the dense
    `D^2`-unknown system written directly (no sparsity, no pruning).
    """
    ring, D = model.ring(), model.dimension()
    theta = ring.gens()
    phi = model.reparametrization()
    columns = []
    for k, l in product(range(D), repeat=2):
        # the image of the unknown A_kl: theta_l * d_k phi_j, for every j
        columns.append([theta[l] * f.derivative(theta[k]) for f in phi])
    keys = sorted({(j, m) for col in columns for j, p in enumerate(col) for m in p.monomials()},
                  key=str)
    index = {key: i for i, key in enumerate(keys)}
    M = matrix(QQ, len(keys), D * D, sparse=True)
    for c, col in enumerate(columns):
        for j, p in enumerate(col):
            for coefficient, m in zip(p.coefficients(), p.monomials()):
                M[index[j, m], c] += coefficient
    return M.right_kernel()


def flat(A):
    return vector(QQ, A.list())


def relu_hidden_neurons(widths):
    return sum(widths[1:-1])


@pytest.mark.parametrize("widths, bias", [([2, 2, 1], False), ([2, 3, 2], True),
                                          ([3, 2, 2, 1], False), ([1, 3, 2, 2], True)])
def test_relu_symmetries_are_the_neuron_rescalings(widths, bias):
    N = ReLUNetwork(widths, bias=bias)
    g = linear_symmetries(N)
    assert g.dimension() == relu_hidden_neurons(widths)
    assert all(xi.matrix().is_diagonal() for xi in g.basis())
    assert g.skew_dimension() == 0 and g.symmetric_dimension() == g.dimension()
    assert g.is_abelian()
    # each basis element is +1 on the incoming weights and bias, -1 on the outgoing ones
    names = N.ring().variable_names()
    for xi in g.basis():
        l, i = (int(x) for x in xi.name().split()[-1].split("."))
        expected = [1 if n.startswith(f"w{l}_{i}_") or n == f"b{l}_{i}"
                    else -1 if n.startswith(f"w{l + 1}_") and n.endswith(f"_{i}") else 0
                    for n in names]
        assert xi.matrix().diagonal() == expected


@pytest.mark.parametrize("widths", [[1, 1, 1], [1, 2, 1], [2, 2, 2], [2, 3, 2], [1, 2, 2, 1]])
def test_dimension_and_span_agree_with_brute_force(widths):
    N = LinearNetwork(widths)
    g = linear_symmetries(N)
    expected = brute_force_symmetries(N)
    assert g.dimension() == expected.dimension()
    assert all(flat(xi.matrix()) in expected for xi in g.basis())


def test_polynomial_maps_agree_with_brute_force():
    # includes phi whose partial derivatives are linearly dependent ((x + y)^2 z),
    # where unknowns outside the variables of phi_j are not simply forced to zero
    from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    from sage_conslaws import NMF, PolynomialMap
    R = PolynomialRing(QQ, "x, y, z, w")
    x, y, z, w = R.gens()
    for model in [PolynomialMap([(x + y)**2 * z, w]), PolynomialMap([x * y + z * w, x**2 - w**2]),
                  PolynomialMap([(x + y)**2]), NMF(2, 2, 2)]:
        expected = brute_force_symmetries(model)
        g = linear_symmetries(model)
        assert g.dimension() == expected.dimension()
        assert all(flat(xi.matrix()) in expected for xi in g.basis())


def test_relu_with_bias_agrees_with_brute_force():
    N = ReLUNetwork([2, 2, 2], bias=True)
    assert linear_symmetries(N).dimension() == brute_force_symmetries(N).dimension() == 2


def test_one_hidden_neuron_linear_network():
    # phi = u v: <(v, u), (a u + b v, c u + d v)> = (a + d) u v + b v^2 + c u^2 = 0
    g = linear_symmetries(LinearNetwork([1, 1, 1]))
    assert g.dimension() == 1
    assert g.basis()[0].matrix() == matrix(QQ, [[1, 0], [0, -1]])


@pytest.mark.parametrize("r", [2, 3])
def test_sum_of_products_has_the_orthogonal_algebra_of_its_form(r):
    # phi = sum u_i v_i is a quadratic form of signature (r, r): g = o(r, r), of
    # dimension r(2r - 1); its skew part is {[[P, Q], [Q, P]]}, P and Q skew: r(r - 1)
    g = linear_symmetries(LinearNetwork([1, r, 1]))
    assert g.dimension() == r * (2 * r - 1)
    assert g.skew_dimension() == r * (r - 1)
    assert g.symmetric_dimension() == r * r
    assert g.derived_dimension() == g.dimension()  # o(r, r) is perfect for r >= 2


def hidden_mixing(N, a, b):
    r"""`\xi_{E_{ab}}(W_1, W_2) = (E_{ab}W_1, -W_2E_{ab})` for a two-layer linear network."""
    W1, W2 = N.weight_matrices()
    r = W1.nrows()
    E = matrix(QQ, r, r, {(a, b): 1})
    image = (E * W1).list() + (-W2 * E).list()
    return PolynomialVectorField(N.ring(), image)


def test_linear_network_contains_gl_of_the_hidden_layer():
    N = LinearNetwork([2, 3, 2])
    g = linear_symmetries(N)
    mixings = [hidden_mixing(N, a, b) for a in range(3) for b in range(3)]
    assert all(is_symmetry(N, X) for X in mixings)
    span = matrix(QQ, [flat(xi.matrix()) for xi in g.basis()]).row_space()
    for X in mixings:
        A = matrix(QQ, N.dimension(), N.dimension(),
                   lambda k, l: X[k].monomial_coefficient(N.parameters()[l]))
        assert flat(A) in span
    # n = m = 2 > 1: nothing more than gl(3); its derived algebra is sl(3)
    assert g.dimension() == 9
    assert g.derived_dimension() == 8
    assert (g.symmetric_dimension(), g.skew_dimension()) == (6, 3)
    assert sum(xi.name().startswith("mix neurons") for xi in g.basis()) == 6


def test_symmetric_and_skew_subalgebras_are_symmetric_and_skew():
    g = linear_symmetries(LinearNetwork([1, 3, 2]))
    assert all(xi.matrix().is_symmetric() for xi in g.symmetric_subalgebra())
    assert all((xi.matrix() + xi.matrix().transpose()).is_zero() for xi in g.skew_subalgebra())
    adapted = g.adapted_basis("skew")
    assert len(adapted) == g.dimension()
    assert [xi.name() for xi in adapted[:g.skew_dimension()]] == \
        [xi.name() for xi in g.skew_subalgebra()]


def test_parameters_absent_from_phi_are_free():
    from sage_conslaws import PolynomialMap
    from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    R = PolynomialRing(QQ, "x, y, z")
    x, y, z = R.gens()
    # A theta with row z free (3 entries), and for phi = x y: A_xx = -A_yy, all else 0
    assert linear_symmetries(PolynomialMap([x * y])).dimension() == 4


def test_deep_linear_network_has_gl_of_each_hidden_layer():
    # gl(3) for each of the two hidden layers, and n, m = 2 > 1: nothing more. The largest
    # benchmark networks (relu 9,9,7,7,7 --bias, linear 2,4,5,5,4) are in
    # benchmarks/symmetries_sweep.py
    g = linear_symmetries(LinearNetwork([2, 3, 3, 2]))
    assert g.dimension() == 2 * 9 and g.skew_dimension() == 2 * 3


def test_is_symmetry_of_nonlinear_generators():
    N = LinearNetwork([1, 2, 1])
    g = gens_by_name(N.ring())
    u0, u1, v0, v1 = g["w1_0_0"], g["w1_1_0"], g["w2_0_0"], g["w2_0_1"]
    phi = u0 * v0 + u1 * v1
    # any polynomial times a symmetry is a symmetry
    assert is_symmetry(N, [phi * u0, 0, -phi * v0, 0])
    # pairing with grad phi: u0^2 v0 (u1 - u0), not zero
    assert not is_symmetry(N, [u0**2 * u1, 0, -u0**2 * v0, 0])
    assert not is_symmetry(N, [v0, v1, u0, u1])


def test_bad_input():
    N = LinearNetwork([1, 1, 1])
    u, v = N.parameters()
    with pytest.raises(ValueError, match="needs 2 components"):
        is_symmetry(N, [u, v, u])
    with pytest.raises(TypeError, match="not a polynomial"):
        is_symmetry(N, [1 / u, v])
    with pytest.raises(ValueError, match="not on the parameter ring"):
        is_symmetry(N, PolynomialVectorField(LinearNetwork([1, 2, 1]).ring(), [0, 0, 0, 0]))
    with pytest.raises(TypeError, match="list of polynomials"):
        is_symmetry(N, 3)
    with pytest.raises(ValueError, match="2 x 2 matrix"):
        SymmetryGenerator.from_matrix(N.ring(), [[1, 0, 0]])
    with pytest.raises(TypeError, match="rational entries"):
        SymmetryGenerator.from_matrix(N.ring(), [[0.5, 0], [0, 1]])
    with pytest.raises(ValueError, match="does not give the field"):
        SymmetryGenerator("x", PolynomialVectorField(N.ring(), [u, 0]), [[0, 1], [0, 0]])
    with pytest.raises(ValueError, match="not linear"):
        SymmetryGenerator("x", PolynomialVectorField(N.ring(), [u**2, 0])).skew_part()
