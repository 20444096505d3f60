"""Continuous limits of momentum methods (sage_conslaws.dynamics.continuous_limits.limits).

The expected values are derived here, independently of the module:

- on a quadratic loss f = c x^2 / 2 the methods are linear recursions; the
  root r of their characteristic polynomial that tends to 1 gives the exact
  invariant line v = (1 - 1/r)/h x and the exact flow rate log(r)/h, expanded
  in h by sympy;
- on the toy loss (x^2 + y^2 - 1)^2 the invariance equation of the manifold,
  the time-h map of the modified flow and the slow manifold of the modified
  equation are expanded in h by sympy, from the recursion itself;
- alpha for HB and NAG is the value stated in the notes (Kovachki & Stuart, B2);
- the rates are the orders stated there (1 for the gradient flow, 2 for the
  modified equation and for the distance to the manifold).
"""
from fractions import Fraction

import pytest
import sympy

from sage_conslaws.dynamics.continuous_limits.methods import MomentumMethod, momentum_method
from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
from sage_conslaws.dynamics.continuous_limits.rates import convergence_rates

h, lam, x, y = sympy.symbols("h lam x y")
mu = sympy.Symbol("mu", positive=True)  # 1 - lam
TOY = "(x^2 + y^2 - 1)^2"
LOOK_AHEAD = {"hb": 0, "nag": lam}


def as_sympy(value):
    """A Sage polynomial or rational function (in x, y, h, lam) as a sympy expression."""
    return sympy.sympify(str(value))


def components(field):
    return [as_sympy(c) for c in field.components()]


def is_zero(expr):
    """Whether the rational function ``expr`` is 0: ``cancel`` gives its normal form (exact)."""
    return sympy.cancel(expr) == 0


def taylor(expr, order):
    """The coefficients of h^0, ..., h^order of expr, smooth at h = 0."""
    return [sympy.diff(expr, h, k).subs(h, 0) / sympy.factorial(k) for k in range(order + 1)]


def series(expr, order):
    """The coefficients of h^0, ..., h^order of expr, by sympy's series (for quotients by h)."""
    expansion = sympy.series(expr, h, 0, order + 1).removeO()
    return [expansion.coeff(h, k) for k in range(order + 1)]


# ---------------------------------------------------------------------------
# Exact facts on a quadratic loss f = c x^2 / 2
# ---------------------------------------------------------------------------

C = 3


def slow_root(method):
    """The root of the characteristic polynomial of the recursion on f = C x^2/2 that tends to 1.

    HB: x_{k+1} = (1 + lam - h C) x_k - lam x_{k-1};
    NAG: x_{k+1} = (1 + lam)(1 - h C) x_k - lam (1 - h C) x_{k-1}.
    With lam = 1 - mu, mu > 0, the square root at h = 0 is mu.
    """
    if method == "hb":
        b, c = 1 + lam - h * C, lam
    else:
        b, c = (1 + lam) * (1 - h * C), lam * (1 - h * C)
    root = (b + sympy.sqrt(b**2 - 4 * c)) / 2
    return root.subs(lam, 1 - mu)


@pytest.mark.parametrize("method", ["hb", "nag"])
def test_quadratic_invariant_manifold_is_the_slow_eigenline(method):
    exact_slope = series((1 - 1 / slow_root(method)) / h, 1)
    g, = components(continuous_limits(f"{C}*x^2/2", method).invariant_manifold())
    ours = taylor(sympy.expand(g / x).subs(lam, 1 - mu), 1)
    assert all(is_zero(a - b) for a, b in zip(exact_slope, ours))
    # the hand expansion for HB: -c/(1-lam) - h c^2/(1-lam)^3
    if method == "hb":
        assert is_zero(exact_slope[1] + C**2 / mu**3)


@pytest.mark.parametrize("method", ["hb", "nag"])
def test_quadratic_modified_flow_is_the_exact_rate(method):
    exact_rate = series(sympy.log(slow_root(method)) / h, 1)
    X, = components(continuous_limits(f"{C}*x^2/2", method).modified_flow())
    ours = taylor(sympy.expand(X / x).subs(lam, 1 - mu), 1)
    assert all(is_zero(a - b) for a, b in zip(exact_rate, ours))
    # the rate is -(1-lam)^-1 (c + h alpha c^2 / (1-lam)^2) with alpha from the notes
    alpha = {"hb": (1 + lam) / 2, "nag": (1 - lam + 2 * lam**2) / 2}[method].subs(lam, 1 - mu)
    assert is_zero(exact_rate[1] + alpha * C**2 / mu**3)


def test_backward_difference_is_not_the_flow_velocity():
    # grad F_h = -(1-lam) g_h + O(h^2) is false: g_h is a backward difference;
    # (1 - 1/r)/h and log(r)/h differ at O(h), by (h/2) (c/(1-lam))^2.
    r = slow_root("hb")
    difference = series((sympy.log(r) - (1 - 1 / r)) / h, 1)
    assert is_zero(difference[0])
    assert is_zero(difference[1] - sympy.Rational(1, 2) * (C / mu)**2)


@pytest.mark.parametrize("method", ["hb", "nag"])
def test_run_follows_the_hand_recursion(method):
    lam_value, step, c = Fraction(1, 2), 0.1, 2.0
    iterates = momentum_method(method, lam_value).run(lambda z: c * z, [1.0], step, 5)
    l = float(lam_value)
    shrink = 1 - step * c if method == "nag" else 1
    expected = [1.0, 1.0 - step * c]
    for _ in range(4):
        if method == "hb":
            expected.append((1 + l - step * c) * expected[-1] - l * expected[-2])
        else:
            expected.append((1 + l) * shrink * expected[-1] - l * shrink * expected[-2])
    assert iterates[:, 0].tolist() == pytest.approx(expected, rel=1e-14)


# ---------------------------------------------------------------------------
# The toy loss, by expansion of the recursion
# ---------------------------------------------------------------------------

F_TOY = (x**2 + y**2 - 1)**2


def grad(f, point=None):
    g = [sympy.diff(f, v) for v in (x, y)]
    if point is None:
        return g
    return [c.subs({x: point[0], y: point[1]}, simultaneous=True) for c in g]


def at(field, point):
    return [c.subs({x: point[0], y: point[1]}, simultaneous=True) for c in field]


def jacobian_times(field, vector):
    return [sum(sympy.diff(c, v) * w for v, w in zip((x, y), vector)) for c in field]


@pytest.mark.parametrize("method", ["hb", "nag"])
def test_toy_invariant_manifold_solves_the_invariance_equation(method):
    # v_{k+1} = lam v_k - grad f(x_k + a h v_k) and x_{k+1} = x_k + h v_{k+1}:
    # v = g(x) is invariant iff g(x + h w) = w with w = lam g(x) - grad f(x + a h g(x)).
    a = LOOK_AHEAD[method]
    g = components(continuous_limits(TOY, method).invariant_manifold())
    w = [lam * gi - di for gi, di in
         zip(g, grad(F_TOY, [x + a * h * g[0], y + a * h * g[1]]))]
    residual = [ci - wi for ci, wi in zip(at(g, [x + h * w[0], y + h * w[1]]), w)]
    for r in residual:
        assert all(is_zero(t) for t in taylor(r, 1))


@pytest.mark.parametrize("method", ["hb", "nag"])
def test_toy_modified_flow_reproduces_one_step_on_the_manifold(method):
    # On the manifold one step is x -> x + h w(x); the time-h flow of X is
    # x + h X + (h^2/2) DX X + O(h^3), so X + (h/2) DX X = w + O(h^2).
    a = LOOK_AHEAD[method]
    limits = continuous_limits(TOY, method)
    g = components(limits.invariant_manifold())
    w = [lam * gi - di for gi, di in
         zip(g, grad(F_TOY, [x + a * h * g[0], y + a * h * g[1]]))]
    X = components(limits.modified_flow())
    # X is -(1-lam)^-1 grad F_h with F_h the modified loss
    F_h = as_sympy(limits.modified_loss())
    assert all(is_zero(Xi + gi / (1 - lam)) for Xi, gi in zip(X, grad(F_h)))
    for Xi, DXX, wi in zip(X, jacobian_times(X, X), w):
        assert all(is_zero(t) for t in taylor(Xi + h / 2 * DXX - wi, 1))


@pytest.mark.parametrize("method", ["hb", "nag"])
def test_toy_modified_flow_is_the_slow_manifold_of_the_modified_equation(method):
    limits = continuous_limits(TOY, method)
    mass, damping, force = limits.modified_equation()
    X = components(limits.modified_flow())
    mass, damping = as_sympy(mass), as_sympy(damping)
    for Xi, DXX, fi in zip(X, jacobian_times(X, X), components(force)):
        assert all(is_zero(t) for t in taylor(mass * DXX + damping * Xi + fi, 1))


def test_toy_rescaled_gradient_flow():
    field = components(continuous_limits(TOY, "nag").rescaled_gradient_flow())
    assert all(is_zero(a + b / (1 - lam)) for a, b in zip(field, grad(F_TOY)))


def test_alpha_of_the_notes():
    assert is_zero(as_sympy(momentum_method("hb").alpha()) - (1 + lam) / 2)
    assert is_zero(as_sympy(momentum_method("nag").alpha()) - (1 - lam + 2 * lam**2) / 2)
    mass, damping, _ = continuous_limits(TOY, "nag", Fraction(1, 2)).modified_equation()
    assert (as_sympy(mass), as_sympy(damping)) == (h / 2, sympy.Rational(1, 2))


def test_modified_loss_of_the_notes():
    # F_h = f + h (1 + lam - 2a(1-lam)) / (4 (1-lam)^2) |grad f|^2, NAG: a = lam
    F_h = as_sympy(continuous_limits(TOY, "nag").modified_loss())
    norm2 = sum(g**2 for g in grad(F_TOY))
    expected = F_TOY + h * (1 + lam - 2 * lam * (1 - lam)) / (4 * (1 - lam)**2) * norm2
    assert is_zero(F_h - expected)


# ---------------------------------------------------------------------------
# Rates, in float64
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["hb", "nag"])
def test_rates_on_the_toy_loss(method):
    table = convergence_rates(TOY, method, [Fraction(1, 2), Fraction(1, 5)], Fraction(1, 2),
                              Fraction(1, 4), steps=(1 / 200, 1 / 400, 1 / 800))
    orders = table.orders()
    assert orders["gradient flow"] == pytest.approx(1, abs=0.25)
    assert orders["modified equation"] == pytest.approx(2, abs=0.25)
    assert orders["manifold"] == pytest.approx(2, abs=0.25)
    errors = table.rows()
    # halving h halves the first error and quarters the others
    for coarse, fine in zip(errors, errors[1:]):
        assert 1.6 < coarse[1] / fine[1] < 2.4
        assert 3.2 < coarse[2] / fine[2] < 4.8
        assert 3.2 < coarse[3] / fine[3] < 4.8


def test_rates_in_three_dimensions():
    loss = "(x^2 + y^2 + z^2 - 1)^2/4 + x*y*z"
    orders = convergence_rates(loss, "hb", [Fraction(1, 2), Fraction(1, 5), Fraction(-1, 3)],
                               Fraction(1, 2), Fraction(1, 4),
                               steps=(1 / 100, 1 / 200, 1 / 400)).orders()
    assert orders["gradient flow"] == pytest.approx(1, abs=0.25)
    assert orders["modified equation"] == pytest.approx(2, abs=0.25)
    assert orders["manifold"] == pytest.approx(2, abs=0.25)


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("loss, message", [
    ("sin(x)", "the loss must be a polynomial with rational coefficients"),
    ("x/y", "the loss must be a polynomial with rational coefficients"),
    ("0.5*x^2", "rational coefficients"),
    (sympy.sqrt(2) * x**2, "the loss must be a polynomial with rational coefficients"),
])
def test_non_polynomial_loss(loss, message):
    with pytest.raises(TypeError, match=message):
        continuous_limits(loss)


def test_constant_loss():
    with pytest.raises(ValueError, match="at least one variable"):
        continuous_limits("7")


def test_unknown_method():
    with pytest.raises(ValueError, match="unknown momentum method 'adam'; known methods: hb, nag"):
        continuous_limits(TOY, "adam")


@pytest.mark.parametrize("value", [0, 1, Fraction(3, 2), -1])
def test_momentum_outside_the_unit_interval(value):
    with pytest.raises(ValueError, match=r"must lie in \(0, 1\)"):
        continuous_limits(TOY, "hb", value)


def test_floating_point_momentum():
    with pytest.raises(TypeError, match="write 9/10, not 0.9"):
        momentum_method("hb", 0.9)


def test_look_ahead_depending_on_h():
    with pytest.raises(TypeError, match="look-ahead"):
        MomentumMethod("odd", a="h*lam")


@pytest.mark.parametrize("step", [0, -0.1, "fast"])
def test_non_positive_learning_rate(step):
    with pytest.raises(ValueError, match="the learning rate h must be a positive number"):
        convergence_rates("x^2", "hb", [1], Fraction(1, 2), 1, steps=(step,))
    if step != "fast":
        with pytest.raises(ValueError, match="the learning rate h must be a positive number"):
            continuous_limits("x^2", "hb", Fraction(1, 2)).numeric_fields(step)


def test_learning_rate_not_dividing_the_interval():
    with pytest.raises(ValueError, match="does not divide"):
        convergence_rates("x^2", "hb", [1], Fraction(1, 2), 1, steps=(0.3,))


def test_numerics_need_a_momentum():
    with pytest.raises(ValueError, match="give the momentum lam"):
        continuous_limits("x^2").numeric_fields(0.1)
    with pytest.raises(ValueError, match="give the momentum lam"):
        momentum_method("hb").run(lambda z: z, [1.0], 0.1, 3)


def test_starting_point_of_the_wrong_dimension():
    with pytest.raises(ValueError, match="2 coordinates"):
        convergence_rates(TOY, "hb", [1, 2, 3], Fraction(1, 2), 1)


def test_a_single_learning_rate_has_no_rate():
    with pytest.raises(ValueError, match="at least two different learning rates"):
        convergence_rates("x^2", "hb", [1], Fraction(1, 2), 1, steps=(0.1, 0.1))
