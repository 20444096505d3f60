"""Noether laws of symmetries under GF, ND, NAGF, heavy ball; values from the notes (Gluch-Urbanke
tables A3/A4, Kovachki-Stuart) and hand computation."""
import json
import random

import pytest
import sympy
from conftest import (gens_by_name, gradient_rank, run_cli, span_dimension,
                      two_layer_linear_momentum_laws)
from sage.rings.rational_field import QQ

from sage_conslaws import LinearNetwork, ReLUNetwork
from sage_conslaws.symmetries.noether import NoetherLaw, noether_laws, phase_ring
from sage_conslaws.dynamics.equations import dynamics
from sage_conslaws.symmetries.cross_check import noether_cross_check
from sage_conslaws.dynamics.equations import t as time
from sage_conslaws.symmetries.generators import SymmetryGenerator


# ----------------------------------------------------------------------------
# Dynamics and integrating factors
# ----------------------------------------------------------------------------

def same(a, b):
    return sympy.simplify(a - b) == 0


def test_integrating_factors():
    h, lam = sympy.symbols("h lambda", positive=True)
    assert dynamics("GF").integrating_factor() is None
    assert dynamics("ND").integrating_factor() == 1
    assert same(dynamics("NAGF").integrating_factor(), time**3)
    alpha_hb = (1 + lam) / 2
    assert same(dynamics("HB").integrating_factor(), sympy.exp((1 - lam) * time / (h * alpha_hb)))
    alpha_nag = (1 - lam + 2 * lam**2) / 2
    assert same(dynamics("NAG").integrating_factor(),
                sympy.exp((1 - lam) * time / (h * alpha_nag)))
    assert same(dynamics("damped", tau=2).integrating_factor(), sympy.exp(2 * time))


def test_named_dynamics_coefficients():
    # Kovachki-Stuart with h = 1/10, lambda = 1/2: HB alpha = 3/4, NAG alpha = 1/2
    hb = dynamics("heavy-ball", h="1/10", lam="0.5")
    assert (hb.kappa2(), hb.kappa1()) == (sympy.Rational(3, 40), sympy.Rational(1, 2))
    nag = dynamics("nag", h=QQ(1) / 10, lam=QQ(1) / 2)
    assert nag.kappa2() == sympy.Rational(1, 20)
    assert dynamics("NAGF").kappa1() == 3 / time
    assert dynamics("GF").is_gradient_flow() and not dynamics("ND").is_gradient_flow()


def test_dynamics_bad_input():
    with pytest.raises(ValueError, match="unknown dynamics 'adam'"):
        dynamics("adam")
    with pytest.raises(ValueError, match="unknown parameter 'tau' of heavy-ball"):
        dynamics("HB", tau=1)
    with pytest.raises(TypeError, match="not floating-point"):
        dynamics("damped", tau=0.5)
    with pytest.raises(TypeError, match="expected a SymmetryGenerator"):
        NoetherLaw("rescale", "GF")


# ----------------------------------------------------------------------------
# Gradient-flow laws from the symmetric part
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("widths, bias", [([2, 3, 1], False), ([2, 2, 2, 1], True)])
def test_relu_gradient_flow_laws_are_the_neuron_laws(widths, bias):
    N = ReLUNetwork(widths, bias=bias)
    g = gens_by_name(N.ring())
    laws = noether_laws(N, "GF")
    assert all(law.is_conserved() for law in laws)
    # eq. (31)/(36): ||W_l[i,:]||^2 + b_l[i]^2 - ||W_{l+1}[:,i]||^2, over 2
    expected = {}
    for l in range(1, len(widths) - 1):
        for i in range(widths[l]):
            incoming = sum(g[f"w{l}_{i}_{j}"]**2 for j in range(widths[l - 1]))
            incoming += g[f"b{l}_{i}"]**2 if bias else 0
            outgoing = sum(g[f"w{l + 1}_{k}_{i}"]**2 for k in range(widths[l + 1]))
            expected[f"rescale neuron {l}.{i}"] = (incoming - outgoing) / 2
    assert {law.generator().name(): law.quantity() for law in laws} == expected


def test_linear_gradient_flow_laws_span_balancedness():
    N = LinearNetwork([2, 3, 2])
    W1, W2 = N.weight_matrices()
    balanced = (W1 * W1.transpose() - W2.transpose() * W2)
    entries = [balanced[i, j] for i in range(3) for j in range(i, 3)]
    quantities = [law.quantity() for law in noether_laws(N, "GF") if law.is_conserved()]
    assert len(quantities) == 6
    assert span_dimension(quantities) == span_dimension(entries) == 6
    assert span_dimension(quantities + entries) == 6


def test_identity_of_a_non_symmetric_generator_under_gradient_flow():
    # xi(u, v) = (u1, 0, 0, -v0) for phi = u0 v0 + u1 v1 (mix 0 <- 1): A_s has 1/2 at
    # (u0, u1), (u1, u0) and -1/2 at (v0, v1), (v1, v0); A_k = A - A_s. By hand:
    # -<theta', A_k theta> = -1/2 u1 u0' + 1/2 u0 u1' - 1/2 v1 v0' + 1/2 v0 v1'
    N = LinearNetwork([1, 2, 1])
    [law] = [law for law in noether_laws(N, "GF") if law.generator().name()
             == "mix neurons 0 <- 1 of hidden layer 1"]
    assert not law.is_conserved()
    assert law.text() == ("d/dt[1/2*w1_0_0*w1_1_0 - 1/2*w2_0_0*w2_0_1] = "
                          "-1/2*w1_1_0*w1_0_0' + 1/2*w1_0_0*w1_1_0' "
                          "- 1/2*w2_0_1*w2_0_0' + 1/2*w2_0_0*w2_0_1'")
    # the identity <theta', xi> = 0 holds along theta' = -c grad phi
    R = law.phase_ring()
    u0, u1, v0, v1 = R.gens()[:4]
    velocity = dict(zip(R.gens()[4:], [-v0, -v1, -u0, -u1]))
    assert law.pairing().subs(velocity) == 0


def test_nonlinear_gradient_generator():
    # for phi = u v, q = (u^2 - v^2)^2 is invariant, so xi = grad q is a symmetry and q a law
    N = LinearNetwork([1, 1, 1])
    u, v = N.parameters()
    q = (u**2 - v**2)**2
    [law] = noether_laws(N, "GF", [[q.derivative(u), q.derivative(v)]])
    assert law.is_conserved() and law.quantity() == q
    # u^2 v^2 (u, -v) is a symmetry but not a gradient: an identity only
    [law] = noether_laws(N, "GF", [[u**3 * v**2, -u**2 * v**3]])
    assert not law.is_conserved() and law.quantity() is None
    with pytest.raises(ValueError, match="is not a symmetry"):
        noether_laws(N, "GF", [[v, u]])


# ----------------------------------------------------------------------------
# Momentum laws from the skew part
# ----------------------------------------------------------------------------

def time_derivative_under_newton(P, model, coefficients):
    r"""
    `dP/dt = \partial_\theta P\cdot v - \partial_v P\cdot\nabla L` for `\ddot\theta = -\nabla L`,
    `L = \sum_j c_j \phi_j`, written directly.
    """
    R = P.parent()
    D = model.dimension()
    theta, v = R.gens()[:D], R.gens()[D:]
    lift = model.ring().hom(theta, R)
    L = sum(c * lift(f) for c, f in zip(coefficients, model.reparametrization()))
    return (sum(P.derivative(x) * y for x, y in zip(theta, v))
            - sum(P.derivative(y) * L.derivative(x) for x, y in zip(theta, v)))


@pytest.mark.parametrize("r", [2, 3])
def test_skew_generators_give_momentum_laws(r):
    N = LinearNetwork([2, r, 2])
    laws = [law for law in noether_laws(N, "ND") if law.is_conserved()]
    assert len(laws) == r * (r - 1) // 2
    rng = random.Random(r)
    coefficients = [QQ(rng.randint(-9, 9)) for _ in N.reparametrization()]
    for law in laws:
        assert time_derivative_under_newton(law.quantity(), N, coefficients) == 0
    # functionally independent: all the momentum laws of the network (keep-the-momentum)
    assert gradient_rank([law.quantity() for law in laws], laws[0].phase_ring()) == \
        two_layer_linear_momentum_laws(2, r, 2)


def test_momentum_factors_and_integrated_form():
    N = ReLUNetwork([1, 1, 1])
    [law] = noether_laws(N, "NAGF")
    assert not law.is_conserved()
    assert same(law.factor(), time**3)
    # d/dt[t^3 <theta', xi>] = t^3 <theta', D xi theta'> = t^3 (u'^2 - v'^2)
    R = law.phase_ring()
    u, v, du, dv = R.gens()
    assert law.pairing() == u * du - v * dv and law.source() == du**2 - dv**2
    assert "t0 > 0" in law.integrated_form()  # mu(0) = 0
    [law] = noether_laws(N, dynamics("HB", h="1/100", lam="9/10"))
    # exp((1 - lam) t / (h alpha)) = exp(t/10 / (19/2000)) = exp(200 t / 19)
    assert same(law.factor(), sympy.exp(sympy.Rational(200, 19) * time))
    assert "int_0^t" in law.integrated_form()


def test_nesterov_law_verified():
    N = LinearNetwork([1, 2, 1])
    laws = [law for law in noether_laws(N, "NAGF") if law.is_conserved()]
    assert len(laws) == 2 and all(law.verify(N) for law in laws)
    assert all(law.text().startswith("conserved t^3*(") for law in laws)


# ----------------------------------------------------------------------------
# Cross-check with the engine
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("model, flow, engine, from_symmetries", [
    (ReLUNetwork([2, 3, 1], bias=True), "gradient", 3, 3),      # one law per hidden neuron
    (ReLUNetwork([2, 3, 1], bias=True), "momentum", 0, 0),      # no momentum law, no skew symmetry
    (LinearNetwork([1, 2, 1]), "momentum", 2, 2),               # 4r - 6 for phi = sum u_i v_i
    (LinearNetwork([1, 3, 1]), "momentum", 6, 6),
    (LinearNetwork([2, 3, 1]), "nesterov", 3, 3),               # r(r - 1)/2
    (LinearNetwork([2, 3, 2]), "gradient", 6, 6),               # r(r + 1)/2
])
def test_cross_check(model, flow, engine, from_symmetries):
    check = noether_cross_check(model, flow)
    assert check.engine_count().number_of_laws() == engine
    assert check.rank() == from_symmetries
    assert check.all_verified()
    assert check.number_not_from_symmetries() == engine - from_symmetries


def test_skew_part_of_relu_is_trivial():
    from sage_conslaws.symmetries.solve import linear_symmetries
    assert linear_symmetries(ReLUNetwork([2, 3, 2, 1], bias=True)).skew_dimension() == 0


def test_phase_ring_names():
    R = phase_ring(LinearNetwork([1, 1, 1]).ring())
    assert R.variable_names() == ("w1_0_0", "w2_0_0", "v_w1_0_0", "v_w2_0_0")


def test_generator_from_matrix_gives_its_law():
    N = LinearNetwork([1, 1, 1])
    xi = SymmetryGenerator.from_matrix(N.ring(), [[1, 0], [0, -1]], "rescale")
    [law] = noether_laws(N, "GF", [xi])
    u, v = N.parameters()
    assert law.quantity() == (u**2 - v**2) / 2


# ----------------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------------

def test_cli_symmetries_json():
    result = run_cli("symmetries", "linear", "2,3,2", "--dynamics", "ND", "--json")
    assert result.returncode == 0, result.stderr
    d = json.loads(result.stdout)
    assert (d["dimension"], d["symmetric_dimension"], d["skew_dimension"]) == (9, 6, 3)
    assert sum(law["conserved"] for law in d["laws"]) == 3  # the skew so(3)
    # time translation: Newtonian dynamics conserves the energy
    assert d["energy"] == "conserved 1/2*|theta'|^2 + L(theta)"


def test_cli_symmetries_text_and_errors():
    result = run_cli("symmetries", "relu", "2,2,1")
    assert result.returncode == 0, result.stderr
    assert "dimension 2 (symmetric 2, skew 0)" in result.stdout
    assert "rescale neuron 1.1: conserved" in result.stdout
    assert "time translation: d/dt[L(theta)] = -|theta'|^2" in result.stdout
    result = run_cli("symmetries", "relu", "2,2,1", "--dynamics", "adam")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "unknown dynamics 'adam'" in result.stderr


def test_cli_symmetries_cross_check():
    # x -> u^T v x with 3 hidden neurons: 4r - 6 = 6 momentum laws, all from the skew
    # part of o(3, 3) (dimension r(r-1) = 6)
    result = run_cli("symmetries", "linear", "1,3,1", "--cross-check", "momentum", "--json")
    assert result.returncode == 0, result.stderr
    check = json.loads(result.stdout)["cross_check"]
    assert (check["engine_laws"], check["noether_rank"], check["not_from_symmetries"]) == (6, 6, 0)
    assert check["certified"] and check["verified"]
    result = run_cli("symmetries", "relu", "2,2,1", "--cross-check", "gradient")
    assert "not from symmetries   : 0" in result.stdout
    result = run_cli("symmetries", "relu", "2,2,1", "--cross-check", "adam")
    assert result.returncode == 2 and "unknown flow 'adam'" in result.stderr
