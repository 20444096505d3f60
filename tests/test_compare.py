"""
The conservation-loss report (gradient flow vs momentum flow), against the counts of
notes/keep-the-momentum.md section 4, and its command line.

Every count must come out certified: a count that is right but not proven fails.
"""
import json

import pytest

from sage.rings.rational_field import QQ

from conftest import run_cli, two_layer_linear_laws, two_layer_linear_momentum_laws
from sage_conslaws import ICNN, NMF, LinearNetwork, ReLUNetwork, compare_flows
from sage_conslaws.dynamics import MomentumFlow

#: Two-layer linear networks (n outputs, r hidden, m inputs) with (n, m) != (1, 1), on
#: both sides of r = k and r = 2k + 1 (k = n + m).
LINEAR_SIZES = [(1, 1, 2), (2, 2, 1), (2, 3, 1), (1, 4, 2), (2, 5, 1), (1, 8, 2)]


def certified(comparison):
    assert comparison.is_certified(), (comparison.gradient().report() + "\n"
                                       + comparison.momentum().report())
    return comparison.gradient().number_of_laws(), comparison.momentum().number_of_laws()


# The counts of each flow alone, for every flow and damping, are tested in
# test_momentum.py; here, the comparison of the two.
@pytest.mark.parametrize("n, r, m", LINEAR_SIZES)
def test_linear_two_layer_counts_of_both_flows(n, r, m):
    c = compare_flows(LinearNetwork([m, r, n]), damping="1/2")
    assert certified(c) == (two_layer_linear_laws(n, r, m), two_layer_linear_momentum_laws(n, r, m))
    # r = 8, k = 3 gains laws: (r - k)^2 - (r - k) = 20 >= 2k
    assert c.change() == two_layer_linear_momentum_laws(n, r, m) - two_layer_linear_laws(n, r, m)
    assert c.surviving_laws() == []


@pytest.mark.parametrize("model", [LinearNetwork([1, 3, 2]), ReLUNetwork([2, 2, 1]),
                                   ReLUNetwork([2, 2, 2], bias=True), NMF(2, 2, 2),
                                   ICNN(2, 2, 1)], ids=repr)
@pytest.mark.parametrize("flow, damping", [("momentum", "1/3"), ("nesterov", None)])
def test_no_gradient_flow_law_survives_and_every_one_was_checked(model, flow, damping):
    c = compare_flows(model, damping=damping, flow=flow)
    laws = c.gradient_laws()
    assert len(laws) == c.gradient().number_of_laws() > 0
    assert c.surviving_laws() == []
    assert f"none of the {len(laws)} gradient-flow laws" in c.report()


class WithConstantLaw:
    r"""
    A gradient-flow count that also lists the constant `1` as a law.

    No non-constant function `h(\theta)` is conserved by a momentum flow
    (`\dot h = \langle \nabla h, v \rangle` with `v` free), so the constant is the one
    gradient-flow law that the survival check of ``compare_flows`` must keep.
    """

    def __init__(self, count):
        self._count = count

    def __getattr__(self, name):
        return getattr(self._count, name)

    def laws(self):
        laws = self._count.laws()
        return laws + [("constant", laws[0][1].parent().one())]


def test_a_law_that_the_momentum_flow_conserves_is_reported_as_surviving(monkeypatch):
    from sage_conslaws.dynamics import compare
    count = compare.gradient_flow_count
    monkeypatch.setattr(compare, "gradient_flow_count",
                        lambda *args, **options: WithConstantLaw(count(*args, **options)))
    c = compare_flows(LinearNetwork([1, 2, 2]), damping=1)
    # the three entries of U^T U - V^T V are checked and dropped, the constant is kept
    assert len(c.gradient_laws()) == 4
    assert c.surviving_laws() == [("constant", 1)]
    assert c.as_dict()["surviving_laws"] == ["constant"]
    assert "  surviving GF laws     : constant\n" in c.report()
    assert repr(c).endswith(", 1 gradient-flow laws survive")


def test_heavy_ball_linear_law_in_user_terms_has_the_exponential_factor():
    F = MomentumFlow(LinearNetwork([1, 2, 1]), damping=QQ(1) / 2)
    _, h = F.known_laws()[0]
    text = F.in_user_terms(h)
    assert text.startswith("exp(1/2*t)*(")
    assert "w1_0_0'" in text and "v_" not in text and "s" not in text.replace("exp", "")
    assert F.in_user_terms(h, latex=True).startswith(r"e^{\frac{1}{2} t} \left(")
    # Nesterov: t^3, undamped: no factor
    G = MomentumFlow(LinearNetwork([1, 2, 1]), flow="nesterov")
    assert G.in_user_terms(G.known_laws()[0][1]).startswith("t^3*(")
    H = MomentumFlow(LinearNetwork([1, 2, 1]))
    assert H.in_user_terms(H.known_laws()[0][1]).startswith("-w1_1_0*w1_0_0'")


def test_the_user_terms_are_the_law_with_s_replaced_by_the_exponential():
    # rebuild the law from its parts: factor s times the rest, the rest without s
    F = MomentumFlow(LinearNetwork([2, 3, 1]), damping=2)
    s = F.time_variable()
    for _, h in F.known_laws():
        assert s.divides(h) and (h // s).degree(s) == 0
        assert F.in_user_terms(h).startswith("exp(2*t)*(")


def test_momentum_report_shows_the_laws_in_user_terms():
    report = compare_flows(LinearNetwork([2, 3, 1]), damping=1).report()
    assert "momentum W1 [0,1]: exp(t)*(" in report
    count_report = compare_flows(LinearNetwork([2, 3, 1]), damping=1).momentum().report()
    assert "momentum W1 [1,2]: exp(t)*(" in count_report


def test_as_dict_keys_and_json():
    d = compare_flows(LinearNetwork([2, 2, 1]), damping="1/2").as_dict()
    assert json.loads(json.dumps(d)) == d
    assert sorted(d) == ["certified", "change", "damping", "flow", "gradient", "metric",
                         "model", "momentum", "parameters", "seconds", "surviving_laws"]
    assert (d["flow"], d["damping"], d["metric"]) == ("momentum", "1/2", "euclidean")
    assert d["gradient"]["laws"] == 3 and d["momentum"]["laws"] == 1
    assert d["gradient"]["ambient_dimension"] == 6 and d["momentum"]["ambient_dimension"] == 13
    assert d["surviving_laws"] == [] and d["certified"] is True and d["change"] == -2
    [text] = d["momentum"]["laws_in_user_terms"].values()
    assert text.startswith("exp(1/2*t)*(")


def test_bad_flow_is_a_clear_error():
    with pytest.raises(ValueError, match="must be one of momentum, nesterov, got 'gradient'"):
        compare_flows(NMF(1, 1, 1), flow="gradient")


def test_cli_compare_report():
    result = run_cli("compare", "linear", "1,3,2", "--damping", "1/2")
    assert result.returncode == 0, result.stderr
    assert "gradient flow         : 6 laws on R^9 (certified)" in result.stdout
    assert "momentum flow         : 3 laws on R^19 (certified)" in result.stdout
    assert "exp(1/2*t)*(" in result.stdout


def test_cli_compare_json():
    result = run_cli("compare", "icnn", "2,2,1", "--bias", "--flow", "nesterov", "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["flow"] == "nesterov" and record["damping"] == "3/t"
    assert record["metric"] == "entropic"
    assert (record["gradient"]["laws"], record["momentum"]["laws"]) == (2, 0)
    assert record["certified"] is True and record["surviving_laws"] == []


# the errors of the model, its sizes and the metric are those of count (test_cli.py)
@pytest.mark.parametrize("args, message", [
    (("compare", "linear", "2,2,1", "--flow", "gradient"), "must be one of momentum, nesterov"),
    (("compare", "linear", "2,2,1", "--flow", "adam"), "must be one of momentum, nesterov"),
    (("compare", "linear", "2,2,1", "--damping", "-1"), "the damping must be a non-negative"),
    (("compare", "linear", "2,2,1", "--flow", "nesterov", "--damping", "1"),
     "the Nesterov flow has the damping 3/t"),
])
def test_cli_compare_bad_input_gives_one_line_and_exit_2(args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("sage-conslaws: error: ") and message in lines[0]
