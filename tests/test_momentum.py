"""
Momentum flows and mirror metrics, against the formulas of "Keep the Momentum"
(notes/keep-the-momentum.md, sections 3 to 5).

Every count must come out certified: a count that is right but not proven fails.
"""
import pytest

from sage.matrix.constructor import matrix
from sage.rings.finite_rings.finite_field_constructor import GF

from conftest import run_cli, two_layer_linear_laws, two_layer_linear_momentum_laws
from sage_conslaws import ICNN, NMF, LinearNetwork, ReLUNetwork, is_conservation_law
from sage_conslaws.dynamics import (MomentumFlow, drift_invariants, gradient_flow_count,
                                    momentum_count)
from sage_conslaws.fields.evaluation import ModularPoint
from sage_conslaws.laws.polynomial import law_gradients

#: (flow, damping): undamped, two heavy balls, Nesterov.
FLOWS = [("momentum", 0), ("momentum", 1), ("momentum", "1/2"), ("nesterov", None)]

#: Two-layer linear networks (n outputs, r hidden, m inputs) with (n, m) != (1, 1),
#: on both sides of r = k and r = 2k + 1 (k = n + m).
LINEAR_SIZES = [(1, 1, 2), (2, 2, 1), (1, 3, 2), (2, 3, 2), (1, 4, 2), (2, 5, 1),
                (1, 7, 2), (1, 8, 2), (2, 9, 1)]


def certified_count(result):
    assert result.is_certified(), result.report()
    return result.number_of_laws()


@pytest.mark.parametrize("n, r, m", LINEAR_SIZES)
def test_linear_momentum_counts_match_the_formula_and_do_not_depend_on_damping(n, r, m):
    network = LinearNetwork([m, r, n])
    counts = {(flow, tau): certified_count(momentum_count(network, flow=flow, damping=tau))
              for flow, tau in FLOWS}
    assert set(counts.values()) == {two_layer_linear_momentum_laws(n, r, m)}, counts


@pytest.mark.parametrize("n, r, m", LINEAR_SIZES)
def test_momentum_loses_laws_except_when_strongly_overparameterized(n, r, m):
    network = LinearNetwork([m, r, n])
    gradient = certified_count(gradient_flow_count(network))
    momentum = certified_count(momentum_count(network, damping=1))
    k = n + m
    if r <= k:
        assert gradient - momentum == r
    if r <= 2 * k + 1:
        # MF - GF = ((r - k)^2 - (r - k) - 2k) / 2 between k and 2k + 1
        assert (momentum > gradient) == ((r - k) ** 2 - (r - k) > 2 * k)
    if r >= 2 * k + 1 and k > 1:
        assert momentum > gradient


@pytest.mark.parametrize("sizes", [(2, 2, 2), (2, 3, 2), (3, 2, 4), (1, 2, 3), (3, 4, 3)])
def test_nmf_entropic_gradient_flow_has_one_law_per_rank(sizes):
    model = NMF(*sizes)
    result = gradient_flow_count(model)
    assert result.metric() == "entropic"
    assert certified_count(result) == sizes[1]
    assert [name for name, _ in result.laws()] == [name for name, _
                                                   in model.known_laws_under("entropic")]


@pytest.mark.parametrize("widths, bias", [((2, 2, 2), False), ((2, 3, 1), True),
                                          ((1, 2, 1), True), ((3, 3, 2), True)])
def test_icnn_mirror_gradient_flow_has_one_law_per_hidden_neuron(widths, bias):
    result = gradient_flow_count(ICNN(*widths, bias=bias))
    assert result.metric() == "entropic"
    assert certified_count(result) == widths[1]


def test_euclidean_laws_are_not_used_under_another_metric():
    model = NMF(2, 3, 2)
    assert certified_count(gradient_flow_count(model, metric="euclidean")) == 6
    with pytest.raises(ValueError, match="is not conserved"):
        gradient_flow_count(model, metric="entropic", laws=model.known_laws())


@pytest.mark.parametrize("model", [ReLUNetwork([2, 2, 1]), ReLUNetwork([2, 3, 2], bias=True),
                                   NMF(2, 2, 2), NMF(2, 3, 3), ICNN(2, 2, 2),
                                   ICNN(2, 3, 1, bias=True)], ids=repr)
@pytest.mark.parametrize("flow, tau", FLOWS)
def test_relu_nmf_icnn_keep_no_law_under_momentum(model, flow, tau):
    result = momentum_count(model, flow=flow, damping=tau)
    assert certified_count(result) == 0
    assert result.ambient_dimension() == 2 * model.dimension() + 1


@pytest.mark.parametrize("flow, tau", FLOWS)
def test_linear_momentum_law_is_conserved_and_needs_its_time_factor(flow, tau):
    system = MomentumFlow(LinearNetwork([2, 3, 1]), flow=flow, damping=tau)
    laws = system.known_laws()
    assert len(laws) == 3
    fields = system.fields()
    factor = system.integrating_factor()
    for _, h in laws:
        assert is_conservation_law(h, fields)
        if factor != 1:
            # without e^{int tau}, the bracket decays: it is not conserved
            assert not is_conservation_law(h // factor, fields)


@pytest.mark.parametrize("flow, tau", FLOWS)
def test_gradient_flow_law_is_not_a_momentum_law(flow, tau):
    network = LinearNetwork([2, 3, 1])
    system = MomentumFlow(network, flow=flow, damping=tau)
    for _, h in network.known_laws():  # entries of U^T U - V^T V
        assert not is_conservation_law(system.lift(h), system.fields())


@pytest.mark.parametrize("flow, tau", FLOWS)
def test_momentum_laws_are_functions_of_the_drift_invariants(flow, tau):
    system = MomentumFlow(LinearNetwork([2, 3, 1]), flow=flow, damping=tau)
    invariants = [h for _, h in drift_invariants(system.base_model(), flow=flow, damping=tau)]
    assert all(is_conservation_law(h, [system.drift()]) for h in invariants)
    point = ModularPoint(system.dimension(), seed=3)
    gradients = law_gradients(invariants, point)
    assert gradients.rank() == 2 * system.base_model().dimension()
    for _, h in system.known_laws():
        assert gradients.stack(law_gradients([h], point)).rank() == gradients.rank()


def test_result_dictionary_has_flow_and_ambient_dimension():
    d = momentum_count(LinearNetwork([2, 2, 1]), flow="nesterov").as_dict()
    assert (d["flow"], d["damping"], d["parameters"], d["ambient_dimension"]) \
        == ("nesterov", "3/t", 6, 13)
    assert d["laws"] == 1 and d["certified"] is True
    d = gradient_flow_count(NMF(2, 2, 2)).as_dict()
    assert (d["flow"], d["metric"], d["ambient_dimension"], d["laws"]) \
        == ("gradient", "entropic", 8, 2)


@pytest.mark.parametrize("call, message", [
    (lambda: momentum_count(LinearNetwork([1, 1, 1]), flow="adam"), "unknown momentum flow"),
    (lambda: momentum_count(LinearNetwork([1, 1, 1]), damping=-1), "non-negative rational"),
    (lambda: momentum_count(LinearNetwork([1, 1, 1]), metric="fisher"), "unknown metric"),
    (lambda: gradient_flow_count(LinearNetwork([1, 1, 1]), metric="fisher"), "unknown metric"),
    (lambda: momentum_count(LinearNetwork([1, 1, 1]), flow="nesterov", damping=1), "3/t"),
    (lambda: NMF(2, 0, 3), "NMF sizes"),
    (lambda: ICNN(0, 1, 1), "ICNN widths"),
])
def test_bad_input_gives_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_command_line_counts_momentum_and_mirror_flows():
    import json
    result = run_cli("count", "linear", "2,3,1", "--flow", "momentum", "--damping", "0.5",
                     "--json", "--quiet")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert (record["flow"], record["damping"], record["ambient_dimension"], record["laws"],
            record["certified"]) == ("momentum", "1/2", 19, 3, True)
    result = run_cli("count", "icnn", "2,2,1", "--bias", "--json", "--quiet")
    record = json.loads(result.stdout)
    assert (record["flow"], record["metric"], record["laws"], record["certified"]) \
        == ("gradient", "entropic", 2, True)


@pytest.mark.parametrize("r, damping, degree", [(2, None, 2), (3, None, 2), (3, 1, 3)])
def test_linear_momentum_with_one_input_and_one_output_keeps_r_times_r_minus_one_laws(
        r, damping, degree):
    """n = m = 1: x -> u^T v x. Noether (skew generators A, law <theta', A theta>):
    besides the r(r-1)/2 mixings of hidden units (u, v) -> (Pu, Pv), P skew, the map
    u^T v is also invariant under (u, v) -> (u + eps B v, v + eps B u) with B skew, and
    [[0, B], [B, 0]] is skew: r(r-1)/2 more laws, r(r-1) in all. For r = 2, 3 these are
    functionally independent and they are all the laws (for larger r they are not
    independent: see doc/momentum.rst). The degree-2 search finds them (degree 3 with
    the heavy-ball factor s) and certifies the count."""
    result = momentum_count(LinearNetwork([1, r, 1]), damping=damping, degree=degree)
    assert result.is_certified()
    assert result.number_of_laws() == r * (r - 1)


def test_user_given_metric_matches_the_named_entropic_one():
    """diag(1/theta) as a matrix M gives M^{-1} = diag(theta), the entropic geometry."""
    model = NMF(2, 2, 2)
    M = [[1 / p if i == j else 0 for j in range(8)] for i, p in enumerate(model.parameters())]
    named = momentum_count(model, damping=1, metric="entropic")
    given = momentum_count(model, damping=1, metric=M)
    assert given.number_of_laws() == named.number_of_laws() == 0
    assert given.is_certified()
    assert gradient_flow_count(model, metric=M).number_of_laws() == 2  # r laws


@pytest.mark.parametrize("metric, message", [
    ([[1, 0], [0, 0]], "the metric is singular"),
    ([[1, 1], [0, 1]], "the metric must be symmetric"),
    ([[0.5, 0], [0, 1]], "rational entries"),
    ([[1]], "the metric must be a 2 x 2 matrix, got 1 x 1"),
])
def test_bad_metrics_are_refused(metric, message):
    model = LinearNetwork([1, 1, 1])
    for count in (lambda: gradient_flow_count(model, metric=metric),
                  lambda: momentum_count(model, damping=1, metric=metric)):
        with pytest.raises((ValueError, TypeError), match=message):
            count()
