r"""
Expressions: text given by a user, read by a grammar into Sage or sympy objects

Nothing in the text is ever evaluated: :mod:`~sage_conslaws.expressions.parser`
reads it by recursive descent into a builder,
:mod:`~sage_conslaws.expressions.polynomials` (Sage polynomials, every size
bounded before it is computed) or :mod:`~sage_conslaws.expressions.sympy_builder`
(sympy expressions, for the coefficients of dynamics).

EXAMPLES::

    sage: from sage.rings.rational_field import QQ
    sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    sage: from sage_conslaws.expressions import parse_polynomial
    sage: parse_polynomial("(x + y)^2/2", PolynomialRing(QQ, 'x, y'))
    1/2*x^2 + x*y + 1/2*y^2
    sage: parse_polynomial("__import__('os')", PolynomialRing(QQ, 'x, y'))
    Traceback (most recent call last):
    ...
    sage_conslaws.expressions.parser.ExpressionError: unexpected "'" at character 12 of "__import__('os')"
"""
from sage_conslaws import _lazy_entry_points

#: The module of each entry point.
_ENTRY_POINTS = {
    ".parser": ("ExpressionError", "NotPolynomialError", "DecimalError", "variable_names"),
    ".polynomials": ("Budget", "parse_polynomial", "parse_rational", "sympy_to_polynomial"),
    ".sympy_builder": ("parse_sympy",),
}

__getattr__, __dir__, _MODULE_OF = _lazy_entry_points(__name__, _ENTRY_POINTS)

__all__ = sorted(_MODULE_OF)
