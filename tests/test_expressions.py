"""
Text given by a user is read, never evaluated, and expansions beyond reach are refused.

The expected polynomials are built here with Sage's own arithmetic on the
generators of a ring, independently of the parser.
"""
import re

import pytest
import sympy

from sage.rings.integer import Integer
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws import Dynamics, PolynomialMap, PolynomialVectorField, is_conservation_law
from sage_conslaws.dynamics.continuous_limits.methods import MomentumMethod
from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
from sage_conslaws.dynamics.phase_space import check_momentum_damping
from sage_conslaws.expressions.parser import MAX_DEPTH, MAX_LENGTH, ExpressionError, variable_names
from sage_conslaws.expressions.polynomials import parse_polynomial, parse_rational
from sage_conslaws.expressions.sympy_builder import parse_sympy

R = PolynomialRing(QQ, "x, y, z")
X, Y, Z = R.gens()

# ----------------------------------------------------------------------------
# Code in the text is refused, not run
# ----------------------------------------------------------------------------

PAYLOADS = [
    "__import__('os').system('touch pwned')",
    "__import__(\"os\").system(\"touch pwned\")",
    "exec(chr(111))",
    "[c for c in ().__class__.__bases__]",
    "lambda: open('pwned', 'w')",
    "x if open('pwned', 'w') else y",
    "x; open('pwned', 'w')",
    "x.__class__",
    "x[0]",
    "f(x, y)",
]

ENTRY_POINTS = {
    "PolynomialMap": lambda text: PolynomialMap([text]),
    "PolynomialMap with variables": lambda text: PolynomialMap([text], variables=["x", "y"]),
    "PolynomialVectorField": lambda text: PolynomialVectorField(R, [text, X, Y]),
    "is_conservation_law": lambda text: is_conservation_law(text, [PolynomialVectorField(R, [Y, -X, 0])]),
    "Dynamics kappa1": lambda text: Dynamics("d", 1, text),
    "Dynamics kappa2": lambda text: Dynamics("d", text, 1),
    "loss": lambda text: continuous_limits(text),
    "look-ahead": lambda text: MomentumMethod("odd", a=text),
    "damping": lambda text: check_momentum_damping("momentum", text),
}


@pytest.mark.parametrize("text", PAYLOADS)
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_code_is_refused_not_run(entry, text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises((TypeError, ValueError)):
        ENTRY_POINTS[entry](text)
    assert not (tmp_path / "pwned").exists()


def test_the_exact_report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TypeError, match=r"""cannot read the map phi: unexpected "'" at character 12"""):
        PolynomialMap(["__import__('os').system('touch pwned')"])
    assert not (tmp_path / "pwned").exists()


def test_an_object_printing_code_is_not_parsed(tmp_path, monkeypatch):
    """sympify(obj) parses str(obj) for unknown objects; strict conversion does not."""
    class Printed:
        def __str__(self):
            return "__import__('os').system('touch pwned')"

    monkeypatch.chdir(tmp_path)
    with pytest.raises(TypeError, match="cannot read"):
        PolynomialMap([Printed()])
    with pytest.raises(ValueError, match="must be an expression in t"):
        Dynamics("d", 1, Printed())
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("text, message", [
    ("x + y)", 'unexpected ")" at character 6'),
    ("x +", "ends too early, at character 4"),
    ("(x + y", "ends too early"),
    ("2x", 'unexpected "x" at character 2'),
    ("1e5", 'unexpected "e5" at character 2'),
    ("x.y", 'unexpected "." at character 2'),
    ("x % y", 'unexpected "%" at character 3'),
    ("x = 1", 'unexpected "=" at character 3'),
    ("", "ends too early, at character 1"),
    ("x/0", "division by zero at character 2"),
])
def test_syntax_errors_name_the_position(text, message):
    with pytest.raises(ExpressionError, match=re.escape(message)):
        parse_polynomial(text, R)


# ----------------------------------------------------------------------------
# Expansions beyond reach are refused before they start
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("phi", [
    ["x^(10^9)*y"],
    ["(x+y+z)^5000"],
    ["x^(10^10^10)"],
    ["(x+y+z)^1000"],               # within MAX_EXPONENT, but MAX_WORK
    ["(x+y+z+w)^1000"],             # MAX_TERMS
    ["(x+1)^1000*(y+1)^1000"],      # a product of 1002001 terms
    ["+".join(["(x+y+z)^150"] * 20)],  # each power is cheap, all twenty are not
    ["(x+y+z)^150"] * 20,           # one budget for the whole map
    ["((x^1000)^1000)^1000"],       # MAX_DEGREE (Singular's exponents would overflow)
    ["(x^100*y^100)^100"],          # MAX_DEGREE
    ["((9^999)^999)^999*x"],        # a constant of 3e9 bits
    [sympy.Symbol("x")**(10**9) * sympy.Symbol("y")],
    [sum(sympy.symbols("x y z"))**5000],
], ids=lambda phi: str(phi)[:40])
def test_expansions_beyond_reach(phi):
    with pytest.raises(ValueError, match="beyond reach"):
        PolynomialMap(phi)


@pytest.mark.parametrize("text", [
    "x" + "+x" * MAX_LENGTH,
    "(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1),
    "-" * (MAX_DEPTH + 1) + "x",
    "x" + "^x" * (MAX_DEPTH + 1),
])
def test_long_or_deep_text(text):
    with pytest.raises(ValueError, match="beyond reach"):
        parse_polynomial(text, R)


def test_depth_at_the_limit_is_read():
    depth = MAX_DEPTH - 1
    assert parse_polynomial("(" * depth + "x" + ")" * depth, R) == X


@pytest.mark.parametrize("text", [
    "(t+1)^5000", "t^(10^9)", "(9^999)^999",
    "(" + "7" * 9000 + ")^(1/2)",   # sympy factors it: 24 s
    "(2^900)^4",
])
def test_dynamics_beyond_reach(text):
    with pytest.raises(ValueError, match="beyond reach"):
        Dynamics("d", 1, text)


def test_huge_decimal_damping_is_refused_fast():
    with pytest.raises(ValueError, match="non-negative rational number"):
        check_momentum_damping("momentum", "1e100000000")


# ----------------------------------------------------------------------------
# Valid text gives the polynomials it writes
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("x*y - z^2/2", X * Y - Z**2 / 2),
    ("x*y - z**2/2", X * Y - Z**2 / 2),
    ("-x^2", -X**2),
    ("(-x)^2", X**2),
    ("2^3^2*x", 512 * X),
    ("x**2**3", X**8),
    ("x - -y", X + Y),
    ("+x", X),
    ("2*-x", -2 * X),
    ("3/4/5*x", QQ((3, 20)) * X),
    ("(x+y)^3 - (x-y)^3", (X + Y)**3 - (X - Y)**3),
    ("x^0 + 0*y", R.one()),
    ("2^-1*x", X / 2),
    ("(1/2)^2*y", Y / 4),
    ("x*(y+z)*(y-z)", X * (Y + Z) * (Y - Z)),
    ("  x \t+\n y ", X + Y),
    ("x^(2*3-1)", X**5),
    ("(x+y+z)^20", (X + Y + Z)**20),
    ("12345678901234567890123456789*x", Integer(12345678901234567890123456789) * X),
    ("1" * 5000 + "*x", Integer("1" * 5000) * X),   # beyond Python's 4300 digits of int(str)
])
def test_valid_text_gives_the_polynomial(text, expected):
    [f] = PolynomialMap([text], variables=["x", "y", "z"]).reparametrization()
    assert f.parent() is R
    assert f == expected


def test_variables_sorted_by_name_and_functions_excluded():
    assert variable_names("b*a + exp(c) - _d1") == {"a", "b", "c", "_d1"}
    assert PolynomialMap(["b*a", "c"]).ring().variable_names() == ("a", "b", "c")


def test_sympy_objects_give_the_same_polynomials():
    x, y, z = sympy.symbols("x y z")
    from_sympy = PolynomialMap([(x + y)**3 / 3 - z, x * y * z], variables=["x", "y", "z"])
    assert from_sympy.reparametrization() == [(X + Y)**3 / 3 - Z, X * Y * Z]


@pytest.mark.parametrize("text, reason", [
    ("x/y", "not a polynomial in x, y, z"),
    ("x^(1/2)", "not a polynomial"),
    ("x^-1", "not a polynomial"),
    ("x^y", "not a polynomial"),
    ("sin(x)", "not a polynomial"),
    ("w*x", "not a polynomial in x, y, z"),
])
def test_not_polynomial(text, reason):
    with pytest.raises(TypeError, match=reason):
        PolynomialMap([text], variables=["x", "y", "z"])


def test_decimals_refused_in_maps_read_exactly_elsewhere():
    with pytest.raises(TypeError, match="write 1/4 instead of 0.25"):
        PolynomialMap(["0.25*x"])
    assert parse_polynomial("0.25*x", R, decimals=True) == X / 4
    assert parse_rational("0.9") == QQ((9, 10))
    assert check_momentum_damping("momentum", "0.5") == QQ((1, 2))


def test_fraction_field():
    K = R.fraction_field()
    assert parse_polynomial("x/(y - z)^2", K) == X / (Y - Z)**2
    assert MomentumMethod("m", QQ((1, 2)), "lam/(1 + lam)").look_ahead() == QQ((1, 3))


# ----------------------------------------------------------------------------
# Dynamics coefficients
# ----------------------------------------------------------------------------

T = sympy.Symbol("t", positive=True)


@pytest.mark.parametrize("text, expected", [
    ("3/t", 3 / T),
    ("0.9", sympy.Rational(9, 10)),
    ("h*(1 + lambda)/2", sympy.Symbol("h") * (1 + sympy.Symbol("lambda")) / 2),
    ("exp(-t/2)", sympy.exp(-T / 2)),
    ("t^(1/2) + 2^(1/2)", sympy.sqrt(T) + sympy.sqrt(2)),
])
def test_dynamics_strings(text, expected):
    assert sympy.simplify(parse_sympy(text, {"t": T}) - expected) == 0
    assert sympy.simplify(Dynamics("d", 1, text).kappa1() - expected) == 0


def test_dynamics_from_strings_keeps_its_behaviour():
    D = Dynamics("d", "t", "2")
    assert D.integrating_factor() == T**2


@pytest.mark.parametrize("text, message", [
    ("sin(t)", 'unknown function "sin"'),
    ("exp(999*log(t))", 'unknown function "log"'),
    ("t^t", "is not a rational number"),
    ("3/0", "division by zero"),
    ("0^-1", "division by zero"),
])
def test_dynamics_refusals(text, message):
    with pytest.raises(ValueError, match=message):
        Dynamics("d", 1, text)
