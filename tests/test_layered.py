"""The layered-network base: linear, ReLU and MLP networks built through LayeredNetwork.

Expected values come from the papers ([MGP2023]: one law per hidden neuron of a
ReLU network, r(r+1)/2 laws for U V^T when r <= n + m, the balancedness matrices
of deep linear networks; [GU2021]: the laws of p-homogeneous activations), or are
built here from the parameter names of the naming convention (helpers in
conftest.py), never from the package's own layout code.
"""
import pickle
from collections import Counter
from math import prod

import numpy as np
import pytest
from sage.misc.sage_unittest import TestSuite as SageTestSuite

from sage_conslaws import ICNN, MLP, LinearNetwork, ReLUNetwork, count_conservation_laws
from sage_conslaws.models.activations import Activation
from sage_conslaws.limits import BeyondReach
from sage_conslaws.models.layered import LayeredNetwork
from sage_conslaws.symmetries.generators import is_symmetry
from sage_conslaws.training import load_dataset
from sage_conslaws.training.network import float_model

from conftest import (deep_linear_laws_per_layer, derivative_along, gens_by_name,
                      neuron_laws_by_name, relu_network_laws, relu_paths,
                      two_layer_linear_laws, weight_matrices_by_name)


def certified_laws(model):
    result = count_conservation_laws(model)
    assert result.is_certified()
    return result.number_of_laws()


def is_conserved(h, model):
    """<grad h, grad phi_j> = 0 for every coordinate, with the gradients taken here."""
    ring = model.ring()
    return all(derivative_along([phi.derivative(v) for v in ring.gens()], h, ring) == 0
               for phi in model.reparametrization())


# ----------------------------------------------------------------------------
# The built-in networks are layered networks
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("model", [LinearNetwork([2, 3, 1]), ReLUNetwork([2, 3, 1], bias=True),
                                   MLP([2, 3, 1], "repu2"), ICNN(2, 3, 1)], ids=repr)
def test_built_in_networks_derive_from_the_base(model):
    assert isinstance(model, LayeredNetwork)


@pytest.mark.parametrize("widths, bias", [([2, 3, 2], False), ([2, 3, 2], True),
                                          ([1, 2, 2, 1], True), ([3, 2, 1, 2], True)])
def test_relu_phi_is_the_paths(widths, bias):
    N = ReLUNetwork(widths, bias=bias)
    g = gens_by_name(N.ring())
    by_hand = Counter(prod(g[name] for name in path) for path in relu_paths(widths, bias))
    assert Counter(N.reparametrization()) == by_hand
    # the MLP with ReLU is the same network, to the order of phi
    assert MLP(widths, "relu", bias=bias).reparametrization() == N.reparametrization()


@pytest.mark.parametrize("widths", [[2, 3, 2], [1, 2, 2, 1], [3, 2, 4, 2]])
def test_linear_phi_is_the_product(widths):
    N = LinearNetwork(widths)
    Ws = weight_matrices_by_name(widths, N.ring())
    product = Ws[0]
    for W in Ws[1:]:
        product = W * product
    # row by row: output i, input j
    assert N.reparametrization() == product.list()
    assert MLP(widths, "linear").reparametrization() == product.list()
    assert N.weight_matrices() == Ws


def test_the_order_of_the_relu_paths():
    # [1, 1, 1, 1] with biases: output 0 through neuron 2.0, through neuron 1.0 from the
    # input, then from the bias b1_0; then the bias b2_0 of neuron 2.0
    N = ReLUNetwork([1, 1, 1, 1], bias=True)
    g = gens_by_name(N.ring())
    w1, b1, w2, b2, w3 = (g[n] for n in ["w1_0_0", "b1_0", "w2_0_0", "b2_0", "w3_0_0"])
    assert N.reparametrization() == [w1 * w2 * w3, b1 * w2 * w3, b2 * w3]


@pytest.mark.parametrize("widths, bias", [([2, 3, 2], True), ([1, 2, 2, 1], True),
                                          ([2, 2, 2], False)])
def test_relu_laws_one_per_hidden_neuron(widths, bias):
    N = ReLUNetwork(widths, bias=bias)
    by_hand = neuron_laws_by_name(widths, bias, N.ring())
    assert [h for _, h in N.known_laws()] == by_hand
    assert all(is_conserved(h, N) for h in by_hand)
    assert certified_laws(N) == relu_network_laws(widths)
    assert [h for _, h in MLP(widths, "relu", bias=bias).known_laws()] == by_hand


@pytest.mark.parametrize("m, r, n", [(1, 2, 1), (2, 2, 1), (2, 3, 2), (1, 3, 1), (1, 4, 1)])
def test_two_layer_linear_counts(m, r, n):
    # x -> U V^T x with V^T = W_1 (r x m), U = W_2 (n x r), k = n + m: r(r+1)/2 laws
    # when r <= k, else kr - k(k-1)/2
    k = n + m
    expected = r * (r + 1) // 2 if r <= k else k * r - k * (k - 1) // 2
    assert two_layer_linear_laws(n, r, m) == expected
    assert certified_laws(LinearNetwork([m, r, n])) == expected
    assert certified_laws(MLP([m, r, n], "linear")) == expected


@pytest.mark.parametrize("widths", [[2, 2, 2], [2, 3, 2, 2]])
def test_linear_law_matrices_are_balancedness(widths):
    N = LinearNetwork(widths)
    Ws = weight_matrices_by_name(widths, N.ring())
    expected = [Ws[l - 1] * Ws[l - 1].transpose() - Ws[l].transpose() * Ws[l]
                for l in range(1, len(Ws))]
    assert [M for _, M in N.law_matrices()] == expected
    assert [M for _, M in MLP(widths, "linear").law_matrices()] == expected
    entries = [M[i, j] for M in expected for i in range(M.nrows()) for j in range(i, M.ncols())]
    assert [h for _, h in N.known_laws()] == entries
    assert certified_laws(N) == deep_linear_laws_per_layer(widths)


def test_parameter_blocks_and_indices_follow_the_names():
    N = MLP([2, 3, 2, 1], ["relu", "swish"], bias=True)
    names = N.ring().variable_names()
    for l, (W, b, beta) in enumerate(N.layer_indices(), 1):
        assert [[names[k] for k in row] for row in W] == [
            [f"w{l}_{i}_{j}" for j in range(N.widths()[l - 1])] for i in range(N.widths()[l])]
        hidden = l < 3
        assert (b is not None) == hidden
        assert (beta is not None) == (l == 2)
        if b is not None:
            assert [names[k] for k in b] == [f"b{l}_{i}" for i in range(N.widths()[l])]
        if beta is not None:
            assert [names[k] for k in beta] == [f"beta{l}_{i}" for i in range(N.widths()[l])]
    W2, b2, beta2 = N.layer_parameters(2)
    g = gens_by_name(N.ring())
    assert list(beta2) == [g["beta2_0"], g["beta2_1"]]
    assert list(b2) == [g["b2_0"], g["b2_1"]]


def test_structural_symmetries_are_symmetries():
    for N in [ReLUNetwork([2, 2, 2, 1], bias=True), LinearNetwork([2, 2, 2]),
              MLP([2, 2, 2, 1], ["linear", "repu2"], bias=True)]:
        generators = N.structural_symmetries()
        assert generators
        assert all(is_symmetry(N, xi) for xi in generators)
    # one rescaling per hidden neuron; a linear layer of width 2 adds a mixing and a rotation
    assert len(ReLUNetwork([2, 3, 2, 1]).structural_symmetries()) == 3 + 2
    assert len(LinearNetwork([2, 2, 1]).structural_symmetries()) == 2 + 2


def test_float_networks_are_read_from_the_layout():
    # a hand-written forward pass, by parameter names, of a linear network on iris
    model = LinearNetwork([4, 2, 3])
    data = load_dataset("iris", size=20, seed=1)
    f = float_model(model, data)
    theta = f.initial_point(seed=2)
    p = dict(zip(model.ring().variable_names(), theta))
    W1 = np.array([[p[f"w1_{i}_{j}"] for j in range(4)] for i in range(2)])
    W2 = np.array([[p[f"w2_{k}_{i}"] for i in range(2)] for k in range(3)])
    logits = data.inputs @ W1.T @ W2.T
    log_softmax = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    assert f.loss(theta) == pytest.approx(-(data.targets * log_softmax).sum() / 20, rel=1e-12)


# ----------------------------------------------------------------------------
# A network of one's own: name the activation
# ----------------------------------------------------------------------------

class LeakyNetwork(LayeredNetwork):
    activation = "leaky_relu"


class SignedSquare(Activation):
    r"""`z |z|`: 2-homogeneous, `m z^2 - (1 - m) z^2` on the region of mask `m`."""

    def __init__(self):
        Activation.__init__(self, "signed_square", 2)

    def name(self):
        return "signed_square"

    def is_piecewise(self):
        return True

    def polynomial(self, z, mask):
        return (2 * mask - 1) * z**2

    def numpy_with_derivatives(self, z, beta=None):
        return z * np.abs(z), 2 * np.abs(z), None

    def _repr_(self):
        return "z|z| activation"


class SignedSquareNetwork(LayeredNetwork):
    activation = SignedSquare()


def test_a_subclass_only_names_its_activation():
    N = LeakyNetwork([2, 3, 2], bias=True)
    assert repr(N) == "LeakyNetwork([2, 3, 2], bias=True) with 15 parameters"
    assert N is LeakyNetwork((2, 3, 2), bias=True)
    assert pickle.loads(pickle.dumps(N)) is N
    SageTestSuite(N).run(raise_on_failure=True)
    # the parameters of the naming convention, the laws of a 1-homogeneous activation
    assert N.ring().variable_names() == MLP([2, 3, 2], "leaky_relu", bias=True).ring().variable_names()
    by_hand = neuron_laws_by_name([2, 3, 2], True, N.ring())
    assert [h for _, h in N.known_laws()] == by_hand
    assert all(is_conserved(h, N) for h in by_hand)
    # LeakyReLU on a region is s z + (1 - s) m z: the unmasked terms are sums of the
    # masked ones, so the fields are those of the ReLU network: one law per neuron
    assert certified_laws(N) == relu_network_laws([2, 3, 2])


def test_a_new_activation_gives_its_phi_laws_and_training():
    N = SignedSquareNetwork([1, 1, 1], bias=True)
    g = gens_by_name(N.ring())
    w1, b1, w2 = g["w1_0_0"], g["b1_0"], g["w2_0_0"]
    # w2 (2m - 1)(w1 x + b1)^2: the coefficients of x^2, x, 1 with the mask, then without
    assert Counter(N.reparametrization()) == Counter(
        [2 * w1**2 * w2, 4 * w1 * b1 * w2, 2 * b1**2 * w2, -w1**2 * w2, -2 * w1 * b1 * w2,
         -b1**2 * w2])
    # 2-homogeneous ([GU2021]): w1^2 + b1^2 - 2 w2^2, one law per neuron
    assert [h for _, h in N.known_laws()] == [w1**2 + b1**2 - 2 * w2**2]
    M = SignedSquareNetwork([2, 2, 1])
    by_hand = neuron_laws_by_name([2, 2, 1], False, M.ring(), p=2)
    assert [h for _, h in M.known_laws()] == by_hand
    assert all(is_conserved(h, M) for h in by_hand)
    assert certified_laws(M) == 2
    # the float64 training backpropagates through the new activation
    f = float_model(SignedSquareNetwork([4, 3, 3], bias=True), load_dataset("iris", size=20))
    theta = f.initial_point(seed=1)
    _, gradient = f.loss_and_gradient(theta)
    eps = 1e-6
    numeric = [(f.loss(theta + eps * e) - f.loss(theta - eps * e)) / (2 * eps)
               for e in np.eye(len(theta))]
    assert np.allclose(gradient, numeric, rtol=1e-5, atol=1e-8)


def test_a_subclass_without_activation_is_refused():
    class Unnamed(LayeredNetwork):
        pass
    with pytest.raises(TypeError, match="Unnamed names no activation"):
        Unnamed([2, 2, 1])


# ----------------------------------------------------------------------------
# ICNN: a two-layer ReLU network with its own parameter order
# ----------------------------------------------------------------------------

def test_icnn_layout_and_phi():
    N = ICNN(2, 2, 2, bias=True)
    assert N.ring().variable_names()[:4] == ("U_0_0", "U_0_1", "U_1_0", "U_1_1")
    g = gens_by_name(N.ring())
    # per hidden neuron k: the entries of u_k v_k^T and u_k b_k
    by_hand = [g[f"U_{i}_{k}"] * x for k in range(2) for i in range(2)
               for x in [g[f"V_{k}_0"], g[f"V_{k}_1"], g[f"b_{k}"]]]
    assert Counter(N.reparametrization()) == Counter(by_hand)
    assert [h for _, h in N.known_laws()] == [
        sum(g[f"U_{i}_{k}"]**2 for i in range(2)) - g[f"V_{k}_0"]**2 - g[f"V_{k}_1"]**2
        - g[f"b_{k}"]**2 for k in range(2)]
    weights, biases = N.weight_indices()
    names = N.ring().variable_names()
    assert all(names[k] == (f"V_{i}_{j}" if l == 1 else f"U_{i}_{j}")
               for (l, i, j), k in weights.items())
    assert all(names[k] == f"b_{i}" for (_, i), k in biases.items())
    with pytest.raises(TypeError, match="support LinearNetwork, ReLUNetwork, MLP, NMF, LoRA"):
        float_model(N)


@pytest.mark.parametrize("network", [
    ReLUNetwork([2, 3, 2], bias=True), LinearNetwork([2, 3, 3, 2]),
    MLP([2, 3, 3, 2], ["relu", "linear"], bias=True), MLP([2, 2, 2, 1], ["pow3", "swish"]),
    MLP([1, 2, 2, 1], ["leaky_relu", "repu2"], bias=True)])
def test_the_law_forms_are_the_known_laws_of_the_layers(network):
    # written from the layer matrices, independently of the forms: per neuron
    # ||W_h[i,:]||^2 + b_h[i]^2 - beta_h[i]^2 - p ||W_{h+1}[:,i]||^2, per linear layer the
    # upper entries of [W_h|b_h][W_h|b_h]^T - W_{h+1}^T W_{h+1}
    expected = []
    for h, sigma in enumerate(network.activations(), 1):
        W, b, beta = network.layer_parameters(h)
        V = network.layer_parameters(h + 1)[0]
        if sigma.is_linear():
            M = W if b is None else W.augment(b)
            S = M * M.transpose() - V.transpose() * V
            expected += [S[i, j] for i in range(S.nrows()) for j in range(i, S.ncols())]
        elif sigma.rescaling_degree() is not None:
            p = sigma.rescaling_degree()
            for i in range(W.nrows()):
                law = W.row(i) * W.row(i) - p * V.column(i) * V.column(i)
                law += 0 if b is None else b[i] ** 2
                law -= 0 if beta is None else beta[i] ** 2
                expected.append(law)
    x = network.parameters()
    from_forms = [sum(c * x[i] * x[j] for (i, j), c in form.items())
                  for _, form in network.law_forms()]
    assert from_forms == expected == [h for _, h in network.known_laws()]


def test_the_law_forms_of_an_icnn_are_its_laws():
    N = ICNN(2, 3, 2, bias=True)
    x = N.parameters()
    assert [(name, sum(c * x[i] * x[j] for (i, j), c in form.items()))
            for name, form in N.law_forms()] == N.known_laws()


def test_a_network_beyond_a_polynomial_ring_has_its_structure_and_no_ring():
    N = ReLUNetwork([300, 110, 10], bias=True)   # 34,210 parameters
    assert N.dimension() == 300 * 110 + 110 + 110 * 10
    forms = N.law_forms()
    assert len(forms) == 110 and all(len(f) == 300 + 1 + 10 for _, f in forms)
    W, b, _ = N.layer_indices()[0]
    assert forms[0][1][W[0][0], W[0][0]] == 1 and forms[0][1][b[0], b[0]] == 1
    for refused in (N.ring, N.parameters, N.known_laws):
        with pytest.raises(BeyondReach, match=r"has 34210 parameters, beyond reach: every "
                           r"parameter is a variable of a Singular polynomial ring"):
            refused()
    # the count needs no ring, but a rank of about D x D values, refused at once
    with pytest.raises(BeyondReach, match=r"the values of 34102 brackets on R\^34210"):
        N.conservation_laws()
    with pytest.raises(BeyondReach, match="at most 5000000 parameters"):
        ReLUNetwork([3000, 2000, 10])
