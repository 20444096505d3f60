r"""
ReLU networks: exactly one conservation law per hidden neuron ([MGP2023]).

On a region of fixed activation pattern, a ReLU network is reparametrized by
the products of weights along every input -> output path (and every hidden
bias -> output path). Each hidden neuron `i` of layer `l` conserves
`\|W_l[i, :]\|^2 + b_l[i]^2 - \|W_{l+1}[:, i]\|^2`, and there is no other law.
"""
from collections import Counter
from math import prod

import pytest

from sage_conslaws import (ReLUNetwork, count_conservation_laws, independent_laws,
                           is_conservation_law, lie_closure)

from conftest import gens_by_name, gradient_rank, relu_paths


ARCHITECTURES = [
    # depth 2
    [1, 1, 1], [2, 1, 2], [1, 3, 1], [2, 3, 2], [3, 4, 2], [4, 2, 3],
    # depth 3
    [1, 1, 1, 1], [2, 2, 2, 2], [3, 2, 3, 2], [1, 2, 2, 1], [2, 3, 1, 2],
    # depth 4
    [2, 2, 2, 2, 2], [1, 2, 2, 2, 1], [2, 3, 2, 3, 1], [3, 2, 2, 2, 3],
]
CASES = [(w, b) for w in ARCHITECTURES for b in (False, True)]
IDS = [f"{w}{'-bias' if b else ''}" for w, b in CASES]


def expected_names(widths, bias):
    names = {f"w{l}_{i}_{j}" for l in range(1, len(widths))
             for i in range(widths[l]) for j in range(widths[l - 1])}
    if bias:
        names |= {f"b{l}_{i}" for l in range(1, len(widths) - 1) for i in range(widths[l])}
    return names


def expected_laws(widths, bias, ring):
    r"""`\|W_l[i,:]\|^2 + b_l[i]^2 - \|W_{l+1}[:,i]\|^2` for every hidden neuron, by hand."""
    g = gens_by_name(ring)
    laws = []
    for l in range(1, len(widths) - 1):
        for i in range(widths[l]):
            h = sum(g[f"w{l}_{i}_{j}"] ** 2 for j in range(widths[l - 1]))
            if bias:
                h += g[f"b{l}_{i}"] ** 2
            h -= sum(g[f"w{l + 1}_{k}_{i}"] ** 2 for k in range(widths[l + 1]))
            laws.append(h)
    return laws


def expected_number_of_paths(widths, bias):
    r"""`\prod_l n_l`, plus `\prod_{l \ge s} n_l` for the biases of each hidden layer `s`."""
    paths = prod(widths)
    if bias:
        paths += sum(prod(widths[s:]) for s in range(1, len(widths) - 1))
    return paths


@pytest.mark.parametrize("widths, bias", CASES, ids=IDS)
def test_one_law_per_hidden_neuron(widths, bias):
    N = ReLUNetwork(widths, bias=bias)
    hidden = sum(widths[1:-1])
    result = N.conservation_laws()
    assert result.number_of_laws() == hidden
    assert result.lie_dimension() == N.dimension() - hidden
    assert result.is_certified()
    assert result.certificate().lower_bound() == result.certificate().upper_bound()


@pytest.mark.parametrize("widths, bias", CASES, ids=IDS)
def test_known_laws_have_the_explicit_form(widths, bias):
    N = ReLUNetwork(widths, bias=bias)
    mine = expected_laws(widths, bias, N.ring())
    known = [h for _, h in N.known_laws()]
    assert known == mine
    fields = N.fields()
    for h in mine:
        assert is_conservation_law(h, fields)
    # they are functionally independent (checked by hand) ...
    assert gradient_rank(mine, N.ring()) == len(mine)
    assert len(independent_laws(known)) == len(mine)
    # ... and they are exactly the laws reported
    reported = [h for _, h in N.conservation_laws().laws()]
    assert Counter(reported) == Counter(mine)


@pytest.mark.parametrize("widths, bias", CASES, ids=IDS)
def test_parameters_and_paths(widths, bias):
    N = ReLUNetwork(widths, bias=bias)
    names = expected_names(widths, bias)
    assert set(N.ring().variable_names()) == names
    assert N.dimension() == len(names)
    assert N.has_bias() == bias
    assert N.widths() == widths
    assert N.number_of_paths() == expected_number_of_paths(widths, bias)
    g = gens_by_name(N.ring())
    by_hand = Counter(prod(g[name] for name in path) for path in relu_paths(widths, bias))
    assert sum(by_hand.values()) == expected_number_of_paths(widths, bias)
    assert Counter(N.reparametrization()) == by_hand


@pytest.mark.parametrize("widths, bias, paths", [
    ([2, 3, 2], False, 12), ([2, 3, 2], True, 18), ([1, 1, 1], True, 2),
    ([3, 4, 2], True, 24 + 8), ([1, 2, 2, 2, 1], True, 8 + 8 + 4 + 2),
    ([2, 2, 2, 2], True, 16 + 8 + 4), ([5, 7], True, 35),
])
def test_number_of_paths_hand_values(widths, bias, paths):
    assert ReLUNetwork(widths, bias=bias).number_of_paths() == paths


def test_sign_convention_incoming_minus_outgoing():
    """[2, 1, 1] with bias: w1_0_0^2 + w1_0_1^2 + b1_0^2 - w2_0_0^2."""
    N = ReLUNetwork([2, 1, 1], bias=True)
    g = gens_by_name(N.ring())
    [(_, h)] = N.known_laws()
    assert h == g["w1_0_0"] ** 2 + g["w1_0_1"] ** 2 + g["b1_0"] ** 2 - g["w2_0_0"] ** 2


@pytest.mark.parametrize("widths, bias", [([2, 3], False), ([2, 3], True), ([3, 1], False)])
def test_no_hidden_layer_no_law(widths, bias):
    """Without hidden neurons phi is the identity on the weights (biases only on hidden neurons)."""
    N = ReLUNetwork(widths, bias=bias)
    assert N.dimension() == widths[0] * widths[1]
    assert N.known_laws() == []
    result = N.conservation_laws()
    assert result.number_of_laws() == 0
    assert result.is_certified()


def test_single_weight_relu_network():
    """ReLUNetwork([1, 1]): one parameter, phi(w) = w, no law."""
    result = ReLUNetwork([1, 1]).conservation_laws()
    assert result.parameters() == 1
    assert result.number_of_laws() == 0


@pytest.mark.parametrize("widths, bias", [([2, 3, 2], True), ([2, 2, 2, 2], False),
                                          ([1, 2, 2, 1], True)])
def test_lie_closure_alone_agrees(widths, bias):
    """Second route: the closure with no law given as an upper bound."""
    N = ReLUNetwork(widths, bias=bias)
    closure = lie_closure(N.fields(), seed=5)
    assert closure.is_complete()
    assert closure.rank() == N.dimension() - sum(widths[1:-1])


def test_bias_adds_parameters_not_laws():
    for widths in ([2, 3, 2], [2, 2, 2, 2]):
        plain = count_conservation_laws(ReLUNetwork(widths))
        biased = count_conservation_laws(ReLUNetwork(widths, bias=True))
        assert biased.parameters() - plain.parameters() == sum(widths[1:-1])
        assert biased.number_of_laws() == plain.number_of_laws() == sum(widths[1:-1])
