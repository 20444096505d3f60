r"""
Honest certificates: unlucky primes, failed checks, independent verification points.

Oracles (by hand):

- `\phi = (x, y + p x z)` with `p = 8388593`: `\nabla\phi_1 = (1, 0, 0)`,
  `\nabla\phi_2 = (p z, 1, p x)`, their bracket is `(0, 0, p) \ne 0` over
  `\QQ`, so `\mathrm{Lie}(W) = \RR^3`: no law. Modulo `p` the bracket
  vanishes, which is how the old code found one law.
- `\phi = p\,xyz` and `\phi = xyz/p`: one field, a constant multiple of that
  of `xyz`: `D - 1 = 2` laws, `x^2 - y^2` and `y^2 - z^2`.
- `\phi = (x, y + xz^2/2)`: `X = \partial_x`, `Y = \frac{z^2}{2}\partial_x +
  \partial_y + xz\partial_z`, `[X, Y] = z \partial_z`; `X, Y, z\partial_z`
  are independent where `z \ne 0` and `[Y, z\partial_z] = -z^2 \partial_x`,
  so `\dim \mathrm{Lie}(W) = 3`. With `k` more parameters on which nothing
  depends, there are `k` laws (those parameters). At a point with `z = 0`
  the bracket vanishes and a closure there stops at rank 2, too early.
- Schwartz--Zippel degree bound of :func:`verify_closure`,
  `\delta = \sum_b \deg X_b + \max(\max_i \deg w_i, \max_a \deg g_a +
  \max_b \deg X_b - 1) + 1`: for the rotations `(0, z, -y)`, `(z, 0, -x)`
  (a complete frame of two linear fields) `\delta = 2 + 1 + 1 = 4`; for the
  frame `X, Y, [X, Y]` above (degree bounds `0, 2, 0 + 2 - 1 = 1`),
  `\delta = 3 + \max(2, 2 + 2 - 1) + 1 = 7`.
"""
import random

import sympy
import pytest

from sage.rings.integer import Integer
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws import (PolynomialMap, PolynomialVectorField, count_conservation_laws,
                           is_conservation_law, lie_closure)
from sage_conslaws.closure.certificate import Certificate
from sage_conslaws.closure.verification import check_involutive, verify_closure
from sage_conslaws.fields.evaluation import (DEFAULT_PRIME, ModularPoint, evaluate_modulo,
                                             usable_prime)

P = 8388593
PREVIOUS = int(sympy.prevprime(P))


def test_the_default_prime_is_the_prime_of_the_inputs():
    assert DEFAULT_PRIME == P and sympy.isprime(P) and PREVIOUS == 8388587


# ----------------------------------------------------------------------------
# 1. A prime dividing a coefficient
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("phi, laws", [(["x", f"y + {P}*x*z"], 0),
                                       ([f"{P}*x*y*z"], 2),
                                       ([f"x*y*z/{P}"], 2)])
def test_prime_dividing_a_coefficient(phi, laws):
    result = PolynomialMap(phi).conservation_laws()
    assert result.number_of_laws() == laws
    assert result.lie_dimension() == 3 - laws
    assert result.is_certified() and result.status() == "certified"
    note = f"prime {P} divides a coefficient of the fields, used {PREVIOUS}"
    assert result.certificate().notes() == [note]
    assert result.as_dict()["notes"] == [note]
    assert note in result.report()
    assert result.certificate().point().prime() == PREVIOUS


@pytest.mark.parametrize("phi", [f"{P}*x*y*z", f"x*y*z/{P}"])
def test_prime_dividing_a_coefficient_with_polynomial_laws(phi):
    M = PolynomialMap([phi])
    x, y, z = M.parameters()
    result = M.conservation_laws(degree=2)
    assert result.number_of_laws() == 2 and result.is_certified()
    for h in (x ** 2 - y ** 2, y ** 2 - z ** 2):
        assert is_conservation_law(h, M.fields())
    # candidate laws with the prime in a coefficient are verified, not a crash
    given = M.conservation_laws(laws=[("a", (x ** 2 - y ** 2) / P), ("b", P * (y ** 2 - z ** 2))])
    assert given.number_of_laws() == 2 and given.is_certified()
    assert len(given.laws()) == 2


def test_usable_prime_and_evaluation():
    R = PolynomialRing(QQ, "x, y")
    x, y = R.gens()
    assert usable_prime([PolynomialVectorField(R, [x, y / 3])]) == (P, [])
    prime, notes = usable_prime([PolynomialVectorField(R, [x / P, y])])
    assert prime == PREVIOUS and notes
    with pytest.raises(ZeroDivisionError, match="divides a denominator"):
        evaluate_modulo(x / P, [1, 1], P)
    # the fields given directly to the closure: the same choice, said in its notes
    closure = lie_closure([PolynomialVectorField(R, [P * y, P * x])])
    assert closure.rank() == 1 and closure.point().prime() == PREVIOUS and closure.notes()


def test_check_involutive_on_an_empty_frame():
    R = PolynomialRing(QQ, "x, y, z")
    x = R.gen(0)
    # a seed at which the first coordinate is 0 modulo 5: the field x d/dx vanishes there
    seed = next(s for s in range(100) if ModularPoint(3, seed=s, prime=5).coordinates()[0] == 0)
    closure = lie_closure([PolynomialVectorField(R, [x, 0, 0])], prime=5, seed=seed)
    assert closure.rank() == 0
    assert check_involutive(closure) is False  # x d/dx is not zero
    verification = verify_closure(closure)
    assert verification.proves_incomplete() and verification.witness()[1] == 1


# ----------------------------------------------------------------------------
# 2. A failed check is a proof of incompleteness, never a small error bound
# ----------------------------------------------------------------------------

def ring_with_extra_parameters(extra):
    return PolynomialRing(QQ, ["x", "y", "z"] + [f"w{i}" for i in range(extra)])


def unlucky_seed(D, prime):
    r"""A seed whose point modulo ``prime`` has `z = 0`, found from the public point."""
    return next(s for s in range(100)
                if ModularPoint(D, seed=s, prime=prime).integer_coordinates()[2] == 0)


def test_involutivity_false_leads_to_a_retry():
    R = ring_with_extra_parameters(1)
    x, y, z, w = R.gens()
    M = PolynomialMap([x, y + x * z ** 2 / 2])
    seed = unlucky_seed(4, 7)
    first = lie_closure(M.fields(), prime=7, seed=seed)
    assert first.rank() == 2 and check_involutive(first) is False
    result = count_conservation_laws(M, prime=7, seed=seed, degree=0)
    assert result.number_of_laws() == 1 and result.lie_dimension() == 3
    assert result.is_certified()
    [note] = result.certificate().notes()
    assert "attempt 1" in note and "proven incomplete by the exact involutivity check" in note
    assert "dim Lie(W) >= 3" in note and "retried with another prime and point" in note
    assert result.certificate().point().prime() == 5


def test_involutivity_false_without_retry_is_not_certified_and_has_no_error_bound():
    R = ring_with_extra_parameters(1)
    x, y, z, w = R.gens()
    M = PolynomialMap([x, y + x * z ** 2 / 2])
    result = count_conservation_laws(M, prime=7, seed=unlucky_seed(4, 7), attempts=1, degree=0)
    certificate = result.certificate()
    assert certificate.status() == "not verified" and not result.is_certified()
    assert certificate.error_bound() is None
    assert result.as_dict()["error_bound"] is None
    # the proof of incompleteness raised the lower bound above the frame size
    assert (certificate.lower_bound(), certificate.upper_bound()) == (3, 4)
    assert "no error bound: the only closure tried was proven incomplete" in repr(certificate)
    assert "probability" not in repr(certificate)
    assert "why not certified     : the only closure tried was proven incomplete" \
        in result.report()
    assert result.as_dict()["why_not_certified"] == "the only closure tried was proven incomplete"
    assert "NOT verified" in repr(result)


def test_involutivity_false_that_meets_the_upper_bound_certifies():
    M = PolynomialMap(["x", "y + x*z^2/2"])
    result = count_conservation_laws(M, prime=7, seed=unlucky_seed(3, 7), attempts=1)
    assert result.number_of_laws() == 0 and result.is_certified()


def test_failed_verification_leads_to_a_retry_then_a_probabilistic_count():
    # 17 parameters: beyond the minors, and no budget for the Groebner rung: only
    # verify_closure can tell
    R = ring_with_extra_parameters(14)
    x, y, z = R.gens()[:3]
    M = PolynomialMap([x, y + x * z ** 2 / 2])
    seed = unlucky_seed(17, 7)
    first = lie_closure(M.fields(), prime=7, seed=seed)
    assert first.rank() == 2 and check_involutive(first) is None
    verification = verify_closure(first)
    assert verification.outcome() == "incomplete" and verification.error_bound() is None
    assert verification.witness()[1] == 3

    result = count_conservation_laws(M, prime=7, seed=seed, budget=0)
    assert result.number_of_laws() == 14 and result.lie_dimension() == 3
    certificate = result.certificate()
    assert certificate.status() == "probabilistic" and not certificate.is_certified()
    [note] = [n for n in certificate.notes() if n.startswith("attempt")]
    assert "fields of Lie(W) have rank 3 at a random rational point" in note
    assert "retried with another prime and point" in note
    # frame X, Y, [X, Y] with degree bounds 0, 2, 1: delta = 7, two points
    assert certificate.error_bound() == (QQ(7) / 2 ** 32) ** 2
    text = repr(certificate)
    assert text.startswith("probabilistic:") and "certified" not in text
    assert "Schwartz-Zippel" in text
    assert "(probabilistic)" in repr(result)
    assert "why not certified     : no proven upper bound meets the lower bound" in result.report()
    assert result.as_dict()["certificate_kind"] == "probabilistic"


def test_failed_verification_without_retry_is_not_certified():
    R = ring_with_extra_parameters(14)
    x, y, z = R.gens()[:3]
    M = PolynomialMap([x, y + x * z ** 2 / 2])
    result = count_conservation_laws(M, prime=7, seed=unlucky_seed(17, 7), attempts=1, budget=0)
    assert result.status() == "not verified" and result.certificate().error_bound() is None
    assert result.lie_dimension() == 3  # proven by the verification point, not a guess


def test_degenerate_points_are_not_a_proof():
    R = PolynomialRing(QQ, "x, y")
    x, y = R.gens()
    closure = lie_closure([PolynomialVectorField(R, [x, 0]), PolynomialVectorField(R, [0, y])])
    # coordinates in {0, 1}: the frame (x, 0), (0, y) has rank 2 only at (1, 1)
    outcomes = {verify_closure(closure, points=3, seed=s, sample_range=2).outcome()
                for s in range(10)}
    assert "incomplete" not in outcomes and "degenerate" in outcomes
    for s in range(10):
        verification = verify_closure(closure, points=3, seed=s, sample_range=2)
        if verification.outcome() == "degenerate":
            assert verification.error_bound() is None and not verification.proves_incomplete()
        else:
            # points where the frame lost rank were redrawn, so 3 passes at (1, 1)
            full = [p for p in verification.points() if p == [1, 1]]
            assert len(full) == 3


def test_certificate_states_and_wording():
    point = ModularPoint(4)
    certified = Certificate(2, 2, "a reason", point)
    probabilistic = Certificate(2, 4, "a reason", point, error_bound=QQ(2) ** -60)
    uncertified = Certificate(2, 4, "a reason", point, failure="something failed")
    assert [c.status() for c in (certified, probabilistic, uncertified)] \
        == ["certified", "probabilistic", "not verified"]
    assert repr(certified).startswith("certified:")
    assert "certified" not in repr(probabilistic)
    assert repr(uncertified).endswith("no error bound: something failed")
    assert certified.failure() is None and uncertified.failure() == "something failed"
    assert probabilistic.error_bound() == QQ(2) ** -60 and uncertified.error_bound() is None


# ----------------------------------------------------------------------------
# 3. Verification points independent of the closure point; the bound
# ----------------------------------------------------------------------------

def rotations():
    R = PolynomialRing(QQ, "x, y, z")
    x, y, z = R.gens()
    return [PolynomialVectorField(R, [0, z, -y]), PolynomialVectorField(R, [z, 0, -x])]


def test_verification_points_do_not_come_from_the_closure_stream():
    closure = lie_closure(rotations(), seed=0)
    lifted = closure.point().integer_coordinates()
    first = verify_closure(closure).points()[0]
    assert first != lifted
    # the old stream: random.Random(seed) again, whose first 32-bit draw has the
    # first closure coordinate as its top 23 bits
    old = random.Random(0)
    old_first = [old.randrange(2 ** 32) for _ in range(3)]
    assert old_first[0] >> 9 == lifted[0]
    assert first != old_first and first[0] >> 9 != lifted[0]
    # the default seed is the closure's; another seed gives other points
    assert verify_closure(closure, seed=0).points() == verify_closure(closure).points()
    assert verify_closure(closure, seed=1).points()[0] != first


@pytest.mark.parametrize("points", [1, 2, 3])
def test_error_bound_is_the_schwartz_zippel_bound(points):
    closure = lie_closure(rotations())
    assert closure.rank() == 2
    verification = verify_closure(closure, points=points)
    assert verification.passed() and verification.degree() == 4
    assert verification.error_bound() == (Integer(4) / Integer(2) ** 32) ** points
    assert len(verification.points()) == points  # no degenerate point to redraw
