"""MLPs with activations: counts, the laws and symmetries of Głuch & Urbanke, bad input.

Expected counts are derived by hand (the argument is in each test) or from the
count formula of two-layer linear networks ([MGP2023]); where no independent
count is known, the test requires the count to be *certified* and equal to the
number of catalogue laws, which the engine verifies symbolically.
"""
import re

import pytest
import sympy

from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws import (MLP, LinearNetwork, PolynomialMap, ReLUNetwork, count_conservation_laws,
                           is_conservation_law)
from sage_conslaws.models.registry import build_model
from sage_conslaws.dynamics import flow_count
from sage_conslaws.symmetries.tables import law_table
from sage_conslaws.symmetries.generators import is_symmetry


def laws(model, **options):
    result = count_conservation_laws(model, **options)
    assert result.is_certified()
    return result.number_of_laws()


# --- counts derived independently -------------------------------------------------------

@pytest.mark.parametrize("sigma", ["relu", "leaky_relu", "repu2", "repu3"])
@pytest.mark.parametrize("bias", [False, True])
def test_one_hidden_piecewise_layer_has_one_law_per_neuron(sigma, bias):
    # With one hidden layer, every coordinate of phi carries the mask of exactly one
    # neuron (LeakyReLU adds the unmasked slope term, a multiple of the masked sums),
    # so the fields split into blocks on the disjoint parameters of each neuron.
    # A block u (x) (v, b)^p has one-dimensional generic fibres (rescaling), so its
    # fields span D_i - 1 dimensions: exactly one law per neuron, 3 in all.
    assert laws(MLP([2, 3, 2], sigma, bias=bias)) == 3


@pytest.mark.parametrize("sigma, r", [("pow2", 2), ("pow2", 3), ("pow3", 2)])
def test_single_output_power_network_has_all_but_one_law(sigma, r):
    # [1, r, 1] with z^p, no bias: f(x) = (sum_k u_k v_k^p) x^p, phi has one coordinate,
    # one field, hence D - 1 = 2r - 1 laws: more than the r catalogue laws.
    model = MLP([1, r, 1], sigma)
    assert laws(model) == 2 * r - 1
    assert len(model.known_laws()) == r


def test_deep_power_network_with_one_input_and_output():
    # [1, 2, 2, 1] with z^2 twice: f(x) = c(theta) x^4, one field, D - 1 = 7 laws,
    # while the catalogue has one per hidden neuron (4)
    model = MLP([1, 2, 2, 1], "pow2")
    assert model.dimension() == 8
    assert laws(model) == 7
    assert len(model.known_laws()) == 4


@pytest.mark.parametrize("sizes", [[2, 2, 1], [3, 4, 2]])
def test_quadratic_network_matches_the_phi_written_by_hand(sizes):
    # U (V x)^2: phi_{i, j<=l} = sum_k U_ik V_kj V_kl (doc/howto_architecture.rst),
    # written here independently of the network expansion
    n, r, m = sizes
    R = PolynomialRing(QQ, [f"v{k}_{j}" for k in range(r) for j in range(n)]
                       + [f"u{i}_{k}" for i in range(m) for k in range(r)])
    V = [[R.gen(k * n + j) for j in range(n)] for k in range(r)]
    U = [[R.gen(r * n + i * r + k) for k in range(r)] for i in range(m)]
    phi = [sum(U[i][k] * V[k][j] * V[k][l] for k in range(r))
           for i in range(m) for j in range(n) for l in range(j, n)]
    # the rescaling laws ||v_k||^2 - 2 ||u_k||^2, by hand, certify the count of this phi
    by_hand = [(f"neuron {k}", sum(v**2 for v in V[k]) - 2 * sum(U[i][k]**2 for i in range(m)))
               for k in range(r)]
    assert laws(MLP(sizes, "pow2")) == laws(PolynomialMap(phi), laws=by_hand) == r


@pytest.mark.parametrize("sizes, expected", [([1, 2, 1], 3), ([1, 4, 2], 9), ([2, 3, 2], 6)])
def test_linear_mlp_counts_follow_the_two_layer_formula(sizes, expected):
    # UV^T with inner size r and k = n + m: r(r+1)/2 laws if r <= k, else kr - k(k-1)/2
    model = MLP(sizes, "linear")
    assert laws(model) == expected == laws(LinearNetwork(sizes))


@pytest.mark.parametrize("sizes, bias", [([3, 4, 2], False), ([3, 4, 2], True),
                                         ([2, 2, 2, 1], True)])
def test_relu_mlp_is_the_relu_network(sizes, bias):
    model = MLP(sizes, "relu", bias=bias)
    assert sorted(map(str, model.reparametrization())) == sorted(
        map(str, ReLUNetwork(sizes, bias=bias).reparametrization()))
    # one law per hidden neuron ([MGP2023])
    assert laws(model) == sum(sizes[1:-1])


@pytest.mark.parametrize("sizes, sigmas, bias, catalogue", [
    ([2, 2, 2, 1], ["relu", "repu2"], True, 4),
    ([2, 2, 2, 1], ["linear", "repu2"], False, 3 + 2),
    ([2, 2, 2, 1], ["repu2", "linear"], False, 2 + 3),
    ([1, 2, 2, 2, 1], ["relu", "repu2", "linear"], False, 2 + 2 + 3),
    ([2, 2, 2, 1], ["repu2", "repu2"], False, 4),
])
def test_mixed_layers_have_exactly_the_catalogue_laws(sizes, sigmas, bias, catalogue):
    # catalogue: one per neuron of a homogeneous layer, n_h(n_h+1)/2 per linear layer;
    # the count is certified, so no law beyond the verified catalogue exists
    model = MLP(sizes, sigmas, bias=bias)
    assert len(model.known_laws()) == catalogue
    assert laws(model) == catalogue


# --- the catalogue laws --------------------------------------------------------------

@pytest.mark.parametrize("sizes, sigmas, bias", [
    ([2, 3, 2], "repu3", True), ([2, 2, 1], "pow2", True), ([2, 2, 2, 1], ["leaky_relu", "pow3"], True),
    ([2, 2, 2, 1], ["linear", "repu2"], True), ([1, 2, 2, 1], ["repu2", "linear"], True),
    ([1, 2, 2, 2, 1], ["linear", "linear", "relu"], False),
])
def test_every_known_law_is_a_conservation_law(sizes, sigmas, bias):
    model = MLP(sizes, sigmas, bias=bias)
    fields = model.fields()
    assert model.known_laws()
    for name, h in model.known_laws():
        assert is_conservation_law(h, fields), name


def test_the_factor_p_is_needed():
    model = MLP([2, 2, 1], "repu2", bias=True)
    w1, w2, b, w4 = (model.ring().gens_dict()[n] for n in ("w1_0_0", "w1_0_1", "b1_0", "w2_0_0"))
    assert is_conservation_law(w1**2 + w2**2 + b**2 - 2 * w4**2, model.fields())
    assert not is_conservation_law(w1**2 + w2**2 + b**2 - w4**2, model.fields())


def test_chain_of_homogeneous_layers():
    # [GU2021] Fig. 2: ReLU, RePU(2), RePU(2), ReLU. Per layer, ||W_h||^2 - p_h ||W_{h+1}||^2
    # is conserved; hence ||W_2||^2 - p_2 p_3 ||W_4||^2 = layer law 2 + p_2 * layer law 3,
    # i.e. ||W_2(0)||^2 - ||W_2(t)||^2 = 4 [||W_4(0)||^2 - ||W_4(t)||^2].
    model = MLP([1, 2, 2, 2, 2, 1], ["relu", "repu2", "repu2", "relu"])
    norms = [sum(w**2 for w in W.list()) for W in model.weight_matrices()]
    layer = {h: sum(law for name, law in model.known_laws() if name.startswith(f"neuron {h}."))
             for h in (2, 3)}
    assert layer[2] == norms[1] - 2 * norms[2]
    assert layer[3] == norms[2] - 2 * norms[3]
    chain = norms[1] - 4 * norms[3]
    assert chain == layer[2] + 2 * layer[3]
    fields = model.fields()
    assert is_conservation_law(chain, fields)
    assert not is_conservation_law(norms[1] - 2 * norms[3], fields)


# --- symmetries ----------------------------------------------------------------------

@pytest.mark.parametrize("sigmas", ["relu", "leaky_relu", "repu2", "pow3", "linear",
                                    ["pow2", "linear"], ["linear", "relu"]])
@pytest.mark.parametrize("per", ["neuron", "layer"])
def test_generators_are_symmetries(sigmas, per):
    model = MLP([2, 2, 2, 1], sigmas, bias=True)
    generators = model.symmetry_generators(per=per)
    assert generators
    assert all(is_symmetry(model, xi) for xi in generators)


def test_generator_counts():
    model = MLP([2, 3, 2, 1], ["repu2", "linear"], bias=True)
    # 3 + 2 rescalings + (E_01 + E_10) + (E_01 - E_10): a basis of gl(2) with the rescalings;
    # per layer: one rescaling per layer, and the linear layer keeps its mixings
    assert len(model.symmetry_generators()) == 3 + 2 + 2
    assert len(model.symmetry_generators(per="layer")) == 1 + 1 + 2


def _derivative_along(expression, model, xi):
    """<grad_theta expression, xi(theta)> with xi = A theta, in sympy."""
    theta = [sympy.Symbol(n) for n in model.ring().variable_names()]
    A = xi.matrix()
    return sum(sympy.diff(expression, theta[k]) * int(c) * theta[l]
               for (k, l), c in A.dict().items())


@pytest.mark.parametrize("sizes, sigmas", [
    ([2, 2, 2, 1], "relu"), ([2, 2, 2, 1], "leaky_relu"), ([2, 2, 2, 1], "repu2"),
    ([1, 2, 2, 1], "pow3"), ([2, 2, 1], "swish"), ([2, 2, 2, 1], ["swish", "linear"]),
    ([2, 2, 2, 1], ["repu3", "swish"])])
def test_network_function_is_invariant(sizes, sigmas):
    # exactly, on one activation region: the masks m{h}_{i} are symbols, constant in theta;
    # expand normalizes the exponentials of Swish, whose arguments beta*z are invariant
    model = MLP(sizes, sigmas, bias=True)
    [f] = model.network_function()
    for xi in model.symmetry_generators():
        assert sympy.expand(_derivative_along(f, model, xi)) == 0, xi.name()
    # a map that is not a symmetry is detected: rescaling without the outgoing weights
    w = sympy.Symbol("w1_0_0")
    point = {t: sympy.Rational(k + 2, 3) for k, t in enumerate(f.free_symbols)}
    assert abs(float((sympy.diff(f, w) * w).subs(point))) > 1e-6


def test_swish_laws_are_conserved_by_gradient_flow():
    # d/dt h = -<grad h, grad L> for a sample loss on two data points
    model = MLP([2, 2, 1], "swish", bias=True)
    theta = [sympy.Symbol(n) for n in model.ring().variable_names()]
    data = [((1, 2), 1), ((-1, sympy.Rational(1, 2)), 0)]
    loss = sum((model.network_function(x)[0] - y)**2 for x, y in data)
    grad_loss = [sympy.diff(loss, t) for t in theta]
    for name, h in model.known_laws():
        law = sympy.sympify(str(h))
        rate = sum(sympy.diff(law, t) * g for t, g in zip(theta, grad_loss))
        assert sympy.expand(rate) == 0, name
    # the sign of beta matters: ||W_1[0,:]||^2 + b^2 + beta^2 - ||W_2[:,0]||^2 is not conserved
    wrong = sympy.sympify("w1_0_0**2 + w1_0_1**2 + b1_0**2 + beta1_0**2 - w2_0_0**2")
    rate = sum(sympy.diff(wrong, t) * g for t, g in zip(theta, grad_loss))
    point = {t: sympy.Rational(k + 2, 3) for k, t in enumerate(theta)}
    assert abs(float(rate.subs(point))) > 1e-6


def test_swish_known_laws():
    model = MLP([1, 2, 1], "swish", bias=True)
    assert [str(h) for _, h in model.known_laws()] == [
        "w1_0_0^2 + b1_0^2 - beta1_0^2 - w2_0_0^2", "w1_1_0^2 + b1_1^2 - beta1_1^2 - w2_0_1^2"]


# --- registry and bad input ----------------------------------------------------------

def test_registry_names():
    assert isinstance(build_model("relu", "2,2,1"), ReLUNetwork)
    assert isinstance(build_model("linear", "2,2,1"), LinearNetwork)
    model = build_model("relu+repu2+linear", "1,2,2,2,1", bias=True)
    assert [s.name() for s in model.activations()] == ["relu", "repu2", "linear"]
    assert model.has_bias()
    assert [s.name() for s in build_model("pow3", "1,2,2,1").activations()] == ["pow3", "pow3"]


@pytest.mark.parametrize("call, message", [
    (lambda: MLP([2, 2, 1], "tanh"), "unknown activation 'tanh'"),
    (lambda: MLP([2, 2, 2, 1], ["relu"]), "has 2 hidden layers, got 1 activation"),
    (lambda: MLP([2, 2, 1], ["relu", "relu"]), "has 1 hidden layer, got 2 activations"),
    (lambda: MLP([2, 0, 1], "relu"), "layer widths must be positive integers"),
    (lambda: MLP([6, 6, 6, 1], "pow3").conservation_laws(), "beyond reach"),
    (lambda: flow_count(MLP([6, 6, 6, 1], "pow3"), "momentum"), "beyond reach"),
    (lambda: MLP([2, 2, 1], "relu").symmetry_generators(per="path"), "per must be one of"),
    (lambda: MLP([2, 2, 1], "relu").network_function([1]), "the network has 2 inputs"),
    (lambda: MLP([2, 2, 1], "swish").conservation_laws(), "no polynomial reparametrization"),
    (lambda: flow_count(MLP([2, 2, 1], "swish"), "momentum"), "no polynomial reparametrization"),
    (lambda: build_model("relu+gelu", "2,2,2,1"), "unknown model 'relu+gelu'"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


# --- law tables: Noether's theorem applied to the generators -------------------------

def test_table_gradient_flow_laws_are_the_catalogue():
    # the GF quantity of a rescaling xi = A theta is theta^T A theta / 2: half the typed law
    model = MLP([2, 2, 2, 1], ["repu2", "swish"], bias=True)
    table = law_table(model, dynamics=["gradient"])
    quantities = [2 * table.law(i, 0).quantity() for i in range(len(table.generators()))]
    assert quantities == [h for _, h in model.known_laws()]


def test_table_linear_layer():
    model = MLP([2, 2, 1], "linear", bias=True)
    table = law_table(model, dynamics=["gradient", "newtonian"])
    names = [xi.name() for xi in table.generators()]
    assert names == ["rescale neuron 1.0", "rescale neuron 1.1", "mix layer 1 neurons 0,1",
                     "rotate layer 1 neurons 0,1"]
    [(_, M)] = model.law_matrices()
    # eq. (42): the diagonal from the rescalings (halved), the entry [0,1] from the mixing
    assert [table.law(i, 0).quantity() for i in range(3)] == [M[0, 0] / 2, M[1, 1] / 2, M[0, 1]]
    # the rotation is no GF law but an ND law; the rescalings are not ND laws
    assert [table.law(i, 0).is_conserved() for i in range(4)] == [True, True, True, False]
    assert [table.law(i, 1).is_conserved() for i in range(4)] == [False, False, False, True]
    assert table.law(3, 1).verify(model)


def test_table_momentum_identities():
    # kappa2 Q'' + kappa1 Q' = kappa2 (||W_h[i,:]'||^2 - p ||W_{h+1}[:,i]'||^2), Q the half law
    model = MLP([1, 1, 2], "pow3", bias=True)
    table = law_table(model)
    assert [d.name() for d in table.dynamics()] == [
        "gradient flow", "Newtonian dynamics", "Nesterov flow", "general dynamics"]
    nd = table.law(0, 1)
    v = nd.phase_ring().gens_dict()
    expected = v["v_w1_0_0"]**2 + v["v_b1_0"]**2 - 3 * (v["v_w2_0_0"]**2 + v["v_w2_1_0"]**2)
    assert nd.source() == expected
    assert table.law(0, 2).factor() == sympy.Symbol("t", positive=True)**3
    general = table.law(0, 3)
    assert general.source() == expected and not general.is_conserved()
    assert "kappa1(t)/kappa2(t)" in general.text()


def test_table_per_layer_sums_the_neurons():
    model = MLP([1, 3, 1], "repu3")
    per_neuron = law_table(model, dynamics=["gradient"])
    per_layer = law_table(model, dynamics=["gradient"], per="layer")
    assert len(per_layer.generators()) == 1
    assert per_layer.law(0, 0).quantity() == sum(per_neuron.law(i, 0).quantity() for i in range(3))
    assert "rescale layer 1" in per_layer.text()
    assert per_layer.latex().startswith(r"\begin{longtable}")


@pytest.mark.parametrize("sizes", [[1, 2, 1], [2, 3, 2]])
def test_linear_mlp_with_bias_is_a_linear_network_on_one_more_input(sizes):
    # W_2 (W_1 x + b_1) = W_2 [W_1 | b_1] (x, 1): the bias is a weight on a constant input
    n0, r, n2 = sizes
    assert laws(MLP(sizes, "linear", bias=True)) == laws(LinearNetwork([n0 + 1, r, n2]))
