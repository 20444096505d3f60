r"""
Reading values into a polynomial ring: polynomials of another ring (by the
names of their variables, never by position), numbers, and text (parsed by
:mod:`~sage_conslaws.expressions`, never evaluated).
"""
# Matrices over fraction fields look up this module lazily, and a modular
# passagemath install does not load it by itself.
import sage.rings.polynomial.laurent_polynomial_ring  # noqa: F401
from sage.rings.polynomial.multi_polynomial_ring_base import MPolynomialRing_base
from sage.rings.polynomial.polynomial_ring import PolynomialRing_general
from sage.structure.element import Element

from sage_conslaws.expressions.parser import DecimalError, ExpressionError
from sage_conslaws.expressions.polynomials import parse_polynomial


def to_ring(ring, value):
    r"""
    Return ``value`` as an element of ``ring`` or raise a clear error.

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.fields.coercion import to_ring
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: to_ring(R, 1/x)
        Traceback (most recent call last):
        ...
        TypeError: 1/x is not a polynomial in x, y
        sage: to_ring(R, 0.5*x)
        Traceback (most recent call last):
        ...
        TypeError: 0.500000000000000*x must have rational coefficients, not floating-point ones (write 1/2, not 0.5)
        sage: to_ring(R, PolynomialRing(QQ, 'u, v').gen(0))
        Traceback (most recent call last):
        ...
        TypeError: u is a polynomial in u, v, not in the ring of x, y
        sage: to_ring(R, PolynomialRing(QQ, 'y', 1).gen())
        y

    Strings are read by :func:`~sage_conslaws.expressions.polynomials.parse_polynomial`,
    not evaluated as ``ring(value)`` would::

        sage: to_ring(R, "x*y - 1/2")
        x*y - 1/2
        sage: to_ring(R, "__import__('os').system('touch pwned')")
        Traceback (most recent call last):
        ...
        TypeError: cannot read "__import__('os').system('touch pwned')": unexpected "'" at character 12 of "__import__('os').system('touch pwned')"
    """
    if isinstance(value, str):
        return _read_polynomial(ring, value)
    names = ", ".join(ring.variable_names())
    if isinstance(value, float) or (isinstance(value, Element)
                                    and not value.parent().is_exact()):
        raise TypeError(f"{value} must have rational coefficients, not floating-point ones "
                        "(write 1/2, not 0.5)")
    parent = value.parent() if isinstance(value, Element) else None
    if (isinstance(parent, (MPolynomialRing_base, PolynomialRing_general)) and parent is not ring
            and not set(parent.variable_names()) <= set(ring.variable_names())):
        # Sage would convert by position, silently renaming the variables.
        raise TypeError(f"{value} is a polynomial in {', '.join(parent.variable_names())}, "
                        f"not in the ring of {names}")
    try:
        return ring(value)
    except (TypeError, ValueError, ArithmeticError):
        raise TypeError(f"{value} is not a polynomial in {names}") from None


def _read_polynomial(ring, text):
    r"""
    Return the polynomial of ``ring`` written in ``text``, with the errors of :func:`to_ring`.

    TESTS::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.fields.coercion import _read_polynomial
        sage: R = PolynomialRing(QQ, 'x, y')
        sage: _read_polynomial(R, "x/y")
        Traceback (most recent call last):
        ...
        NotPolynomialError: x/y is not a polynomial in x, y
        sage: _read_polynomial(R, "0.5*x")
        Traceback (most recent call last):
        ...
        TypeError: 0.5*x must have rational coefficients, not floating-point ones (write 1/2 instead of 0.5)
    """
    try:
        return parse_polynomial(text, ring)
    except ExpressionError as error:
        raise TypeError(f"cannot read {text!r}: {error}") from None
    except DecimalError as error:
        raise TypeError(f"{text} must have rational coefficients, not floating-point ones "
                        f"({error})") from None


def variable_indices(f):
    r"""
    Return the indices of the variables that occur in the polynomial ``f``.

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.fields.coercion import variable_indices
        sage: R = PolynomialRing(QQ, 'x', 4); x = R.gens()
        sage: variable_indices(x[1]*x[3]^2 + 5)
        [1, 3]
    """
    return [k for k, e in enumerate(f.degrees()) if e]
