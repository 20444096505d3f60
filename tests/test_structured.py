r"""
The structured path: values, brackets and counts against the general path and the papers.
"""
import random

import numpy
import pytest

from sage.rings.finite_rings.finite_field_constructor import GF

from sage_conslaws import MLP, LinearNetwork, ReLUNetwork, count_conservation_laws
from sage_conslaws.fields.evaluation import ModularPoint
from sage_conslaws.fields.vector_fields import PolynomialVectorField
from sage_conslaws.structured.brackets import bracket_values
from sage_conslaws.structured.closure import structured_closure
from sage_conslaws.structured.dual import Dual
from sage_conslaws.structured.laws import structural_laws
from sage_conslaws.structured.modular import matmul, sage_matrix

from conftest import deep_linear_laws_per_layer, relu_network_laws

PRIME = 8388593


def random_layered(rng):
    r"""
    A random small layered network of every kind the structured path takes.
    """
    widths = [rng.randint(1, 4) for _ in range(rng.choice((3, 4)))]
    kind = rng.choice(("linear", "relu", "relu bias", "mixed", "leaky"))
    if kind == "linear":
        return LinearNetwork(widths)
    if kind.startswith("relu"):
        return ReLUNetwork(widths, bias=kind.endswith("bias"))
    hidden = len(widths) - 2
    if kind == "mixed":
        return MLP(widths, (["linear", "relu"] * 2)[:hidden], bias=rng.random() < 0.5)
    return MLP(widths, "leaky_relu", bias=rng.random() < 0.5)


MODELS = [random_layered(random.Random(seed)) for seed in range(12)]


def point_of(model, seed=5):
    P = ModularPoint(model.dimension(), seed=seed, prime=PRIME)
    return P, Dual.constant(numpy.array([P.integer_coordinates()]), PRIME)


def symbolic_combination(model, combination, b):
    r"""
    The gradient field of `\psi` for combination ``b`` of a batch, written with polynomials
    over GF(p) from the network's forward pass (not from the structured code).
    """
    x, scales, y = combination
    R = model.ring().change_ring(GF(PRIME))
    theta = R.gens()
    outputs = model._forward([int(v) for v in x[b]], theta,
                             lambda h, i, z: int(scales[h - 1][b, i]) * z)
    psi = sum(int(c) * out for c, out in zip(y[b], outputs))
    return PolynomialVectorField(R, [psi.derivative(t) for t in theta])


@pytest.mark.parametrize("model", MODELS, ids=str)
def test_generator_values_span_the_values_of_the_general_path(model):
    P, at = point_of(model)
    family = model.structured_family()
    rows = family.evaluate(at, family.draw(numpy.random.default_rng(1), 40, PRIME)).value()
    structured = sage_matrix(rows, PRIME)
    general = P.values(model.fields())
    assert structured.rank() == general.rank() == general.stack(structured).rank()


@pytest.mark.parametrize("model", MODELS[:6], ids=str)
@pytest.mark.parametrize("depth", [1, 2, 3])
def test_brackets_equal_the_symbolic_brackets(model, depth):
    P, at = point_of(model)
    family = model.structured_family()
    rng = numpy.random.default_rng(depth)
    word = [family.draw(rng, 2, PRIME) for _ in range(depth)]
    values = bracket_values(family, word, at).value()
    coordinates = [GF(PRIME)(c) for c in P.integer_coordinates()]
    for b in range(2):
        fields = [symbolic_combination(model, c, b) for c in word]
        field = fields[-1]
        for G in reversed(fields[:-1]):
            field = G.bracket(field)
        expected = [int(v) for v in field(coordinates)]
        got = [0] * model.dimension() if values is None else [int(v) for v in values[b]]
        assert got == expected


@pytest.mark.parametrize("model", MODELS, ids=str)
def test_structured_counts_equal_the_general_path(model):
    structured = count_conservation_laws(model)
    general = count_conservation_laws(model, discover=True)
    assert structured.is_certified() and general.is_certified()
    assert type(structured.closure()).__name__ == "StructuredClosure"
    assert structured.number_of_laws() == general.number_of_laws()


@pytest.mark.parametrize("widths", [[3, 5, 2], [4, 6, 6, 3], [2, 7, 1, 5], [5, 1, 5]])
def test_relu_counts_of_the_papers(widths):
    # one law per hidden neuron, with or without biases ([MGP2023])
    for bias in (False, True):
        result = ReLUNetwork(widths, bias=bias).conservation_laws()
        assert result.number_of_laws() == relu_network_laws(widths) and result.is_certified()


@pytest.mark.parametrize("widths", [[2, 3, 2], [4, 2, 5], [3, 4, 4, 2], [2, 3, 2, 3, 2]])
def test_linear_counts_of_the_papers(widths):
    result = LinearNetwork(widths).conservation_laws()
    assert result.number_of_laws() == deep_linear_laws_per_layer(widths)
    assert result.is_certified()


def test_a_rank_below_the_bound_falls_back_to_the_general_path():
    # with the closure cut at depth 1, linear 2,3,2 reaches rank 4 < 6 = D - 6:
    # no structured certificate, and the count of the general path stands
    family = LinearNetwork([2, 3, 2]).structured_family()
    assert structured_closure(family, max_depth=1).rank() == 4
    assert LinearNetwork([2, 3, 2]).conservation_laws().number_of_laws() == 6


def test_structural_laws_refuse_a_wrong_law():
    N = ReLUNetwork([2, 2, 1])
    P = ModularPoint(N.dimension(), seed=0)
    assert len(structural_laws(N, P.integer_coordinates(), P.prime())) == 2
    from sage_conslaws.structured.laws import _Structure, _check_form
    with pytest.raises(ValueError, match="not a conservation law of the structure"):
        _check_form(N, "half a law", {(0, 0): 1, (4, 4): -1}, _Structure(N))


def gradient_rank(laws, model, point, prime=PRIME):
    r"""
    The rank modulo ``prime`` of the gradients of polynomial laws at the point, by Sage's derivatives.
    """
    theta = model.parameters()
    values = list(point.integer_coordinates())
    rows = [[GF(prime)(h.derivative(t)(*values)) for t in theta] for _, h in laws]
    from sage.matrix.constructor import matrix
    return matrix(GF(prime), rows).rank() if rows else 0


def kept_and_all_ranks(model, prime, seed=3):
    P = ModularPoint(model.dimension(), seed=seed, prime=prime)
    kept = structural_laws(model, P.integer_coordinates(), prime)
    known = dict(model.known_laws())
    assert all(name in known for name, _ in kept)
    polynomials = [(name, known[name]) for name, _ in kept]
    return (len(kept), gradient_rank(polynomials, model, P, prime),
            gradient_rank(list(known.items()), model, P, prime))


@pytest.mark.parametrize("model", MODELS + [LinearNetwork([1, 4, 1]), LinearNetwork([2, 6, 1, 3]),
                                            MLP([1, 5, 2, 5, 1], ["linear", "relu", "linear"],
                                                bias=True)], ids=str)
def test_structural_laws_span_the_gradients_of_every_known_law(model):
    # the laws kept (the entries at the pivots of each linear layer) are independent at the
    # point and span the gradients of all the known laws, ranked from their polynomials
    kept, rank_kept, rank_all = kept_and_all_ranks(model, PRIME)
    assert kept == rank_kept == rank_all


@pytest.mark.parametrize("model", [LinearNetwork([1, 3, 1]), ReLUNetwork([2, 3, 1]),
                                   LinearNetwork([2, 2, 2, 1])], ids=str)
@pytest.mark.parametrize("prime", [2, 3, 5])
def test_structural_laws_at_small_primes_are_independent(model, prime):
    # modulo 2 the gradient of a square vanishes: the structure alone proves nothing there,
    # and what is kept is what the rank of the gradients gives
    kept, rank_kept, rank_all = kept_and_all_ranks(model, prime, seed=1)
    assert kept == rank_kept == rank_all


@pytest.mark.parametrize("widths", [[1, 6, 1], [2, 9, 1], [1, 7, 2], [3, 10, 3], [4, 3, 5],
                                    [6, 2, 1]])
def test_wide_linear_layers_have_the_laws_of_the_formula(widths):
    # r = h hidden neurons, k = min(h, n + m): kr - k(k-1)/2 laws of h(h+1)/2 entries
    # ([MGP2023]; k = h: all of them)
    n, h, m = widths
    k = min(h, n + m)
    result = LinearNetwork(widths).conservation_laws()
    assert result.is_certified() and result.number_of_laws() == k * h - k * (k - 1) // 2


def test_a_network_beyond_a_polynomial_ring_is_proven_by_its_structure():
    # linear 1,20000,1: D = 40000 > 32767 variables; phi = w2 . w1 has one gradient field,
    # so dim Lie(W) = 1 and there are D - 1 = 2h - 1 laws
    from sage_conslaws.limits import BeyondReach
    result = LinearNetwork([1, 20000, 1]).conservation_laws()
    assert result.is_certified() and result.lie_dimension() == 1
    assert result.number_of_laws() == 39999 == len(result.law_forms())
    assert result.certificate().upper_bound() == 1
    with pytest.raises(BeyondReach, match="32767"):
        result.laws()
    d = result.as_dict()
    assert d["known_laws"]["W1 W1^T - W2^T W2 [1,7]"] == "w1_1_0*w1_7_0 - w2_0_1*w2_0_7"
    assert len(d["known_laws"]) == 39999
    # the entries kept: the rows of the two pivots (neurons 0 and 1), and those columns
    assert "W1 W1^T - W2^T W2 [1,19999]: w1_1_0*w1_19999_0 - w2_0_1*w2_0_19999" in result.report()
    assert "[2,2]" not in result.report()


class OldForms(LinearNetwork):
    # a user's subclass written before law_forms took the pivots
    def law_forms(self):
        return LinearNetwork.law_forms(self)


class AllForms(LinearNetwork):
    # a subclass that takes the pivots and ignores them: entries off the pivots come back
    def law_forms(self, pivots=None):
        return LinearNetwork.law_forms(self)


@pytest.mark.parametrize("network", [OldForms([1, 3, 1]), AllForms([1, 3, 1]),
                                     AllForms([2, 5, 1])], ids=str)
def test_subclasses_with_their_own_law_forms_are_counted(network):
    # every entry is built and the rank of their gradients decides: k h - k(k-1)/2 laws
    n, h, m = network.widths()
    k = min(h, n + m)
    result = network.conservation_laws()
    assert result.is_certified() and result.number_of_laws() == k * h - k * (k - 1) // 2
    P = ModularPoint(network.dimension(), seed=2, prime=PRIME)
    assert len(structural_laws(network, P.integer_coordinates(), PRIME)) == result.number_of_laws()


def test_forms_are_written_as_sage_prints_their_polynomials():
    from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    from sage.rings.rational_field import QQ
    from sage_conslaws.laws.forms import form_text
    rng = random.Random(0)
    R = PolynomialRing(QQ, 7, "x", order="degrevlex")
    x = R.gens()
    for _ in range(300):
        form = {}
        for _ in range(rng.randint(0, 6)):
            i, j = sorted((rng.randrange(7), rng.randrange(7)))
            form[i, j] = QQ((rng.randint(-4, 4), rng.randint(1, 3)))
        h = sum((c * x[i] * x[j] for (i, j), c in form.items()), R.zero())
        assert form_text(form, R.variable_names()) == str(h)


def test_matmul_is_exact_for_large_residues():
    rng = numpy.random.default_rng(0)
    a = rng.integers(PRIME - 1000, PRIME, (3, 5000))
    b = rng.integers(PRIME - 1000, PRIME, (5000, 2))
    exact = [[sum(int(a[i, k]) * int(b[k, j]) for k in range(5000)) % PRIME for j in range(2)]
             for i in range(3)]
    assert matmul(a, b, PRIME).tolist() == exact


def test_sage_matrix_round_trip():
    rng = numpy.random.default_rng(2)
    a = rng.integers(0, PRIME, (7, 9))
    M = sage_matrix(a, PRIME)
    assert [[int(M[i, j]) for j in range(9)] for i in range(7)] == a.tolist()
    assert sage_matrix(numpy.array([[3, 4]]), 2).list() == [1, 0]


def random_polynomial_fields(seed, D=4, count=3):
    r"""
    Random polynomial fields over QQ with constant, linear and higher terms.
    """
    from sage.rings.rational_field import QQ
    from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    R = PolynomialRing(QQ, 'x', D)
    rng = random.Random(seed)
    fields = []
    for _ in range(count):
        components = [sum(QQ(rng.randint(-3, 3)) / rng.randint(1, 2) * R.monomial(
            *[rng.randint(0, 2) if rng.random() < 0.4 else 0 for _ in range(D)])
            for _ in range(rng.randint(0, 3))) for _ in range(D)]
        fields.append(PolynomialVectorField(R, components))
    return fields


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("depth", [1, 2, 3])
def test_polynomial_family_brackets_equal_the_symbolic_brackets(seed, depth):
    from sage_conslaws.structured.polynomial import PolynomialFamily
    fields = random_polynomial_fields(seed)
    family = PolynomialFamily(fields)
    D = len(fields[0].ring().gens())
    P = ModularPoint(D, seed=seed, prime=PRIME)
    at = Dual.constant(numpy.array([P.integer_coordinates()]), PRIME)
    rng = numpy.random.default_rng(seed)
    word = [family.draw(rng, 2, PRIME) for _ in range(depth)]
    values = bracket_values(family, word, at).value()
    coordinates = P.integer_coordinates()
    for b in range(2):
        combined = [sum((int(c[b, j]) * X for j, X in enumerate(fields)), fields[0] * 0)
                    for c in word]
        field = combined[-1]
        for G in reversed(combined[:-1]):
            field = G.bracket(field)
        expected = [int(GF(PRIME)(v)) for v in field(coordinates)]
        got = [0] * D if values is None else [int(v) for v in values[b]]
        assert got == expected


def test_one_field_has_d_minus_one_laws_on_the_structured_rank():
    # a single field spans a one-dimensional Lie algebra: brackets of its multiples vanish
    from sage_conslaws.structured.polynomial import PolynomialFamily
    fields = random_polynomial_fields(3, D=5, count=1)
    assert structured_closure(PolynomialFamily(fields)).rank() == 1
    assert count_conservation_laws(fields).number_of_laws() == 4


@pytest.mark.parametrize("widths, flow, damping", [([3, 4, 2], "momentum", "1"),
                                                   ([2, 3, 3, 2], "nesterov", None),
                                                   ([4, 2, 3], "momentum", "0"),
                                                   ([1, 3, 1], "momentum", "1/2")])
def test_momentum_laws_proven_by_the_structure_equal_the_symbolic_check(widths, flow, damping):
    from sage_conslaws.closure.certificate import laws_upper_bound
    from sage_conslaws.dynamics import MomentumFlow
    from sage_conslaws.structured.laws import momentum_structural_laws
    F = MomentumFlow(LinearNetwork(widths), flow=flow, damping=damping)
    P = ModularPoint(F.dimension(), seed=4)
    symbolic = laws_upper_bound(list(F.known_laws()), F.fields(), P)
    try:
        laws, independent = momentum_structural_laws(F, P.integer_coordinates(), P.prime())
    except ValueError:
        # x -> u^T v x also has laws of the skew mixing of two layers, not of one layer
        assert widths[0] == widths[-1] == 1
        return
    assert len(independent) == len(symbolic)


def test_a_law_off_by_a_sign_is_refused_for_momentum():
    from sage_conslaws.dynamics import MomentumFlow
    from sage_conslaws.structured.laws import _Structure, _momentum_symmetry
    F = MomentumFlow(LinearNetwork([2, 2, 1]), damping=1)
    (name, h), = F.known_laws()
    D = F.base_model().dimension()
    structure = _Structure(F.base_model())
    s, theta, v = F.parameters()[0], F.parameters()[1:D + 1], F.parameters()[D + 1:]
    assert _momentum_symmetry(structure, D, h, F.integrating_factor()) is not None
    wrong = h + 2 * s * theta[0] * v[1]
    assert _momentum_symmetry(structure, D, wrong, F.integrating_factor()) is None
