"""
Discovery mode: counts proven with no law written by hand (issue 9).

Every expected value comes from the papers or is derived here by hand, never from the
engine: the laws of two-layer linear networks ([MGP2023], Theorem: r(r+1)/2 laws when
r <= n + m, else kr - k(k-1)/2 with k = n + m, and for deep linear networks the
balancedness W_l W_l^T - W_{l+1}^T W_{l+1} of each hidden layer), one law per hidden
neuron of a ReLU network (its balancedness), the laws of the momentum flows of
linear networks ([MGP2024]: r(r-1)/2 for r <= 2k + 1), r laws of NMF under the
entropic mirror flow (sum of a column of U minus sum of a row of V), r laws of an ICNN
(one per hidden unit).
"""
import random

import pytest

from sage.rings.rational_field import QQ
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing

from sage_conslaws import (ICNN, MLP, NMF, LinearNetwork, Model, PolynomialMap,
                           PolynomialVectorField, ReLUNetwork, count_conservation_laws)
from sage_conslaws.dynamics import flow_count
from sage_conslaws.fields.evaluation import ModularPoint
from sage_conslaws.laws.discovery import laws_of_degree
from sage_conslaws.laws.gradings import gradings
from sage_conslaws.laws.polynomial import is_conservation_law


def two_layer_linear_laws(m, r, n):
    k = n + m
    return r * (r + 1) // 2 if r <= k else k * r - k * (k - 1) // 2


def assert_proven_by_discovery(result, laws):
    assert result.number_of_laws() == laws
    assert result.is_certified() and result.certificate().kind() == "proven"
    d = result.as_dict()
    assert d["discover"] and d["certified"] and d["certificate_kind"] == "proven"
    assert d["known_laws"] == {}  # nothing written by hand was used


# ----------------------------------------------------------------------------
# Counts equal the papers' counts, with no known law
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(4))
def test_random_two_layer_linear_networks(seed):
    rng = random.Random(seed)
    m, r, n = (rng.randint(1, 4) for _ in range(3))
    result = count_conservation_laws(LinearNetwork([m, r, n]), discover=True)
    assert_proven_by_discovery(result, two_layer_linear_laws(m, r, n))


@pytest.mark.parametrize("widths", [[2, 3, 2, 2], [3, 2, 2, 3], [2, 2, 2, 2, 2]])
def test_deep_linear_networks_with_small_hidden_layers(widths):
    # hidden widths at most the neighbours': each hidden layer of width r gives
    # r(r+1)/2 independent balancedness laws, and they are all the laws here
    # (the counts of the "Abide by the law" paper's deep linear table)
    laws = sum(r * (r + 1) // 2 for r in widths[1:-1])
    result = count_conservation_laws(LinearNetwork(widths), discover=True)
    assert_proven_by_discovery(result, laws)


@pytest.mark.parametrize("seed", range(4))
def test_random_relu_networks(seed):
    rng = random.Random(100 + seed)
    widths = [rng.randint(2, 5) for _ in range(rng.randint(3, 4))]
    bias = rng.random() < 0.5
    result = count_conservation_laws(ReLUNetwork(widths, bias=bias), discover=True)
    assert_proven_by_discovery(result, sum(widths[1:-1]))
    for _, h in result.laws():
        assert h.is_homogeneous() and h.degree() == 2


def test_mlp_with_relu_activations():
    result = count_conservation_laws(MLP([3, 4, 2], "relu", bias=True), discover=True)
    assert_proven_by_discovery(result, 4)


def test_nmf_under_the_entropic_mirror_flow():
    # one linear law per column of U: sum U[:, k] - sum V[k, :]
    result = flow_count(NMF(2, 2, 3), "gradient", metric="entropic", discover=True)
    assert_proven_by_discovery(result, 2)
    assert all(h.degree() == 1 for _, h in result.laws())


def test_icnn_gradient_flow():
    result = flow_count(ICNN(2, 3, 1, bias=True), "gradient", metric="entropic", discover=True)
    assert result.number_of_laws() == 3 and result.is_certified()


# ----------------------------------------------------------------------------
# Momentum flows: phase-space laws discovered (polynomial in s or t, theta, v)
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("flow, damping", [("momentum", 0), ("momentum", 1), ("nesterov", None)])
def test_momentum_flows_of_two_layer_linear_networks(flow, damping):
    # r = 3 hidden units, k = 3 <= ... : r(r-1)/2 = 3 laws of the orthogonal mixing
    result = flow_count(LinearNetwork([2, 3, 1]), flow, damping=damping, discover=True)
    assert result.number_of_laws() == 3 and result.is_certified()
    assert result.certificate().proof() == "discovered laws"


def test_relu_momentum_flow_has_no_law():
    result = flow_count(ReLUNetwork([2, 2, 1], bias=True), "momentum", damping=1, discover=True)
    assert result.number_of_laws() == 0 and result.is_certified()


# ----------------------------------------------------------------------------
# Degenerate architectures
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("model, laws", [
    (LinearNetwork([1, 1, 1]), 1),        # u^2 - v^2
    (ReLUNetwork([1, 1, 1]), 1),
    (LinearNetwork([3, 1, 3]), 1),        # bottleneck: r = 1, one law
    (LinearNetwork([1, 4, 1]), 7),        # r = 4 > k = 2: kr - k(k-1)/2 = 8 - 1
    (ReLUNetwork([1, 4, 1], bias=True), 4),
    (ReLUNetwork([4, 1, 4]), 1),
])
def test_degenerate_widths(model, laws):
    assert_proven_by_discovery(count_conservation_laws(model, discover=True), laws)


# ----------------------------------------------------------------------------
# Only non-polynomial laws: the Euler field
# ----------------------------------------------------------------------------

def euler_map(D):
    # phi = |x|^2 / 2: its gradient is the Euler field sum x_i d/dx_i, which maps a
    # homogeneous polynomial of degree a to a times itself: no polynomial law but the
    # constants, while its D - 1 laws are the angles x_i / x_1 (rational)
    names = [f"x{i}" for i in range(D)]
    return PolynomialMap([" + ".join(f"{x}^2" for x in names) + " / 2"] if D > 1 else ["x0^2/2"])


def test_non_polynomial_laws_small_end_with_involutivity_by_minors():
    result = euler_map(3).conservation_laws()
    assert result.number_of_laws() == 2 and result.is_certified()
    assert result.certificate().proof() == "involutivity (minors)"
    assert result.laws() == []  # nothing polynomial was found, and nothing is claimed


def test_non_polynomial_laws_without_budget_end_probabilistic_with_a_bound():
    # D = 20 is beyond the minors; no budget: no Groebner rung, a random verification
    result = euler_map(20).conservation_laws(budget=0)
    certificate = result.certificate()
    assert result.number_of_laws() == 19
    assert not result.is_certified() and certificate.kind() == "probabilistic"
    assert certificate.proof() == "random verification"
    assert 0 < certificate.error_bound() <= 1e-12
    d = result.as_dict()
    assert d["certified"] is False and d["certificate_kind"] == "probabilistic"
    assert 0 < d["error_bound"] <= 1e-12
    assert "probabilistic" in repr(result) and "certified" not in repr(certificate).split(":")[0]


# ----------------------------------------------------------------------------
# No law by hand; defaults
# ----------------------------------------------------------------------------

class Spy(LinearNetwork):
    """A linear network whose known laws must not be read in discovery mode."""

    def known_laws(self):
        raise AssertionError("discovery mode read the known laws")


def test_discovery_reads_no_known_law():
    result = count_conservation_laws(Spy([2, 2, 2]), discover=True)
    assert_proven_by_discovery(result, 3)


def test_discovery_refuses_laws_given_by_hand():
    N = LinearNetwork([1, 1, 1])
    u, v = N.parameters()
    with pytest.raises(ValueError, match="no law written by hand"):
        count_conservation_laws(N, discover=True, laws=[("mine", u**2 - v**2)])


class Chain(Model):
    """A user's architecture written as in a Sage script: x -> a b c x, no known laws."""

    def __init__(self):
        Model.__init__(self, PolynomialRing(QQ, "a, b, c"))

    def reparametrization(self):
        a, b, c = self.ring().gens()
        return [a * b * c]


def test_a_subclass_without_known_laws_is_counted_in_discovery_mode_by_default():
    result = Chain().conservation_laws()
    # one field: D - 1 = 2 laws, a^2 - b^2 and b^2 - c^2
    assert_proven_by_discovery(result, 2)
    a, b, c = Chain().ring().gens()
    for _, h in result.laws():
        assert is_conservation_law(h, Chain().fields())


def test_the_known_laws_are_used_by_default_when_there_are_some():
    result = LinearNetwork([2, 2, 2]).conservation_laws()
    assert not result.as_dict()["discover"]
    assert result.certificate().proof() == "known laws"


# ----------------------------------------------------------------------------
# The pieces: gradings, modular systems, lifts
# ----------------------------------------------------------------------------

def test_a_flip_per_variable_when_every_coordinate_is_a_monomial():
    # ReLU paths are monomials: flipping the sign of any one weight maps each
    # coordinate of phi to +-itself, and commutes with its gradient
    N = ReLUNetwork([2, 3, 2])
    integer, parity = gradings(N.fields())
    assert parity.rank() == N.dimension()


def test_laws_found_are_proven_and_independent():
    N = LinearNetwork([2, 3, 2])
    search = laws_of_degree(N.fields(), 2, ModularPoint(N.dimension()))
    laws = [h for _, h in search.laws()]
    assert len(laws) == 6  # r(r+1)/2, r = 3 <= k = 4
    assert all(is_conservation_law(h, N.fields()) for h in laws)


def test_a_law_with_large_coefficients_is_lifted_by_chinese_remainders():
    R = PolynomialRing(QQ, "x, y")
    x, y = R.gens()
    # h = x + c y is conserved through d/dx - (1/c) d/dy; one prime near 2^23
    # reconstructs fractions up to about 2^11 / 2^11, four up to 2^45 / 2^45
    c = QQ(10**12 + 39) / (10**9 + 7)
    search = laws_of_degree([PolynomialVectorField(R, [1, -1 / c])], 1, ModularPoint(2))
    assert [h for _, h in search.laws()] == [x + c * y]
    # beyond: nothing is claimed, and the note says why
    c = QQ(10**15 + 37) / (10**14 + 3)
    search = laws_of_degree([PolynomialVectorField(R, [1, -1 / c])], 1, ModularPoint(2))
    assert search.laws() == []
    assert any("not lifted" in note for note in search.notes())
