r"""
The grammar of expressions (names, integers and exact decimals, ``+ - * / ^ **``,
brackets, ``name(expr)``), read by recursive descent into a builder; nothing
in the text is ever evaluated. The builders are
:mod:`~sage_conslaws.expressions.polynomials` (Sage polynomials, with a budget)
and :mod:`~sage_conslaws.expressions.sympy_builder` (sympy expressions).
"""
import re
from sage.rings.integer import Integer
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ


#: The longest text read (characters): longer ones are not typed by hand.
MAX_LENGTH = 10_000


#: The deepest nesting of brackets, signs and powers. Each level takes at
#: most 6 Python frames of the parser, which must stay well below Python's
#: recursion limit of 1000 frames.
MAX_DEPTH = 100


#: The largest exponent: no model needs more. ``x^(10^9)*y`` took 8-12 GB
#: in sympy (issue 8; ``sympy.Poly`` ran for more than 20 s here), and
#: overflows Singular's exponents.
MAX_EXPONENT = 1000


_SPACE = re.compile(r"\s*", re.ASCII)


_TOKEN = re.compile(r"(?:(?P<number>\d+(?:\.\d*)?|\.\d+)|(?P<name>[A-Za-z_]\w*)"
                    r"|(?P<operator>\*\*|[-+*/^()]))", re.ASCII)


class ExpressionError(ValueError):
    r"""
    Text that is not an expression of the grammar of :mod:`sage_conslaws.expressions`.

    EXAMPLES::

        sage: from sage_conslaws.expressions.parser import ExpressionError, variable_names
        sage: try:
        ....:     variable_names("x.y")
        ....: except ExpressionError as error:
        ....:     print(error)
        unexpected "." at character 2 of "x.y"
    """


class NotPolynomialError(TypeError):
    r"""
    An expression that is well formed, but not a polynomial (``x/y``, ``sin(x)``, ``x^(1/2)``).

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.expressions.polynomials import parse_polynomial
        sage: parse_polynomial("x/y", PolynomialRing(QQ, 'x, y'))
        Traceback (most recent call last):
        ...
        NotPolynomialError: x/y is not a polynomial in x, y
    """


class DecimalError(TypeError):
    r"""
    A decimal number where only exact fractions are accepted.

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.expressions.parser import DecimalError
        sage: from sage_conslaws.expressions.polynomials import parse_polynomial
        sage: try:
        ....:     parse_polynomial("x + 0.25", PolynomialRing(QQ, 'x, y'))
        ....: except DecimalError as error:
        ....:     print(error)
        write 1/4 instead of 0.25
    """


def _decimal_error(literal, value):
    return DecimalError(f"write {value} instead of {literal}")


def variable_names(text):
    r"""
    Return the set of names used as variables in ``text`` (not those of functions).

    It reads the tokens only: the whole syntax is checked when the expression is built.

    EXAMPLES::

        sage: from sage_conslaws.expressions.parser import variable_names
        sage: sorted(variable_names("exp(-t)*h + lam^2"))
        ['h', 'lam', 't']

    TESTS::

        sage: variable_names("x[0]")
        Traceback (most recent call last):
        ...
        ExpressionError: unexpected "[" at character 2 of "x[0]"
        sage: variable_names("x" * 20000)
        Traceback (most recent call last):
        ...
        ValueError: beyond reach: a text of 20000 characters, more than MAX_LENGTH = 10000
    """
    tokens = _tokens(text)
    return {token.text for token, following in zip(tokens, tokens[1:])
            if token.kind == "name" and following.text != "("}


#: The polynomial ring in no variables: the constants, for :func:`~sage_conslaws.expressions.polynomials.parse_rational`.
_CONSTANTS = PolynomialRing(QQ, 0, [])


class _Token:
    def __init__(self, kind, text, position):
        self.kind, self.text, self.position = kind, text, position


def _tokens(text):
    r"""
    Return the tokens of ``text``, ended by an ``"end"`` token.

    TESTS::

        sage: from sage_conslaws.expressions.parser import _tokens
        sage: [(t.kind, t.text) for t in _tokens(" x**2")]
        [('name', 'x'), ('operator', '**'), ('number', '2'), ('end', '')]
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"beyond reach: a text of {len(text)} characters, more than "
                         f"MAX_LENGTH = {MAX_LENGTH}")
    tokens, position = [], _SPACE.match(text).end()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ExpressionError(f"unexpected {quoted(text[position])} at character "
                                  f"{position + 1} of {quoted(text)}")
        tokens.append(_Token(match.lastgroup, match.group(), position))
        position = _SPACE.match(text, match.end()).end()
    return tokens + [_Token("end", "", len(text))]


def quoted(text):
    r"""
    Return ``text`` in double quotes, shortened to 40 characters.

    EXAMPLES::

        sage: from sage_conslaws.expressions.parser import quoted
        sage: quoted("x + y"), quoted("x" * 50)
        ('"x + y"', '"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."')
    """
    return '"' + (text if len(text) <= 40 else text[:40] + "...") + '"'


class Parser:
    r"""
    The recursive descent on the tokens of one text; the values are made by a builder.

    A builder has the methods ``number``, ``variable``, ``call``, ``add``,
    ``subtract``, ``negate``, ``multiply``, ``divide`` and ``power``; each
    takes ``at``, the position of its token in the text (for error messages).

    EXAMPLES::

        sage: from sage_conslaws.expressions.parser import Parser, variable_names
        sage: sorted(variable_names("a*b^2 + exp(c)"))  # a walk of the Parser with a builder of names
        ['a', 'b', 'c']
    """

    def __init__(self, text, builder):
        self._text = text
        self._tokens = _tokens(text)
        self._next = 0
        self._depth = 0
        self._builder = builder

    def parse(self):
        value = self._expression()
        if self._peek().kind != "end":
            raise self._unexpected()
        return value

    def _peek(self):
        return self._tokens[self._next]

    def _take(self):
        token = self._tokens[self._next]
        self._next += 1
        return token

    def _unexpected(self):
        token = self._peek()
        if token.kind == "end":
            return ExpressionError(f"the expression ends too early, at character "
                                   f"{token.position + 1} of {quoted(self._text)}")
        return ExpressionError(f"unexpected {quoted(token.text)} at character "
                               f"{token.position + 1} of {quoted(self._text)}")

    def _expression(self):
        value = self._term()
        while self._peek().text in ("+", "-"):
            token = self._take()
            operation = self._builder.add if token.text == "+" else self._builder.subtract
            value = operation(value, self._term(), token.position)
        return value

    def _term(self):
        value = self._unary()
        while self._peek().text in ("*", "/"):
            token = self._take()
            operation = self._builder.multiply if token.text == "*" else self._builder.divide
            value = operation(value, self._unary(), token.position)
        return value

    def _unary(self):
        # every recursion of the parser passes here: the one place to bound it
        token = self._peek()
        if self._depth >= MAX_DEPTH:
            raise ValueError(f"beyond reach: more than MAX_DEPTH = {MAX_DEPTH} nested brackets, "
                             f"signs and powers at character {token.position + 1} of "
                             f"{quoted(self._text)}")
        self._depth += 1
        if token.text in ("+", "-"):
            self._take()
            value = self._unary()
            if token.text == "-":
                value = self._builder.negate(value, token.position)
        else:
            value = self._power()
        self._depth -= 1
        return value

    def _power(self):
        value = self._atom()
        if self._peek().text in ("^", "**"):
            token = self._take()
            value = self._builder.power(value, self._unary(), token.position)
        return value

    def _atom(self):
        token = self._take()
        if token.kind == "number":
            return self._builder.number(_exact(token.text), token.position, literal=token.text)
        if token.kind == "name" and self._peek().text == "(":
            self._take()
            argument = self._closed()
            return self._builder.call(token.text, argument, token.position)
        if token.kind == "name":
            return self._builder.variable(token.text, token.position)
        if token.text == "(":
            return self._closed()
        self._next -= 1
        raise self._unexpected()

    def _closed(self):
        value = self._expression()
        if self._peek().text != ")":
            raise self._unexpected()
        self._take()
        return value


def _exact(literal):
    r"""
    Return the exact rational value of an integer or decimal literal.

    It uses Sage integers: Python's ``int`` refuses more than 4300 digits.

    TESTS::

        sage: from sage_conslaws.expressions.parser import _exact
        sage: _exact("12"), _exact("0.25"), _exact(".5"), _exact("3.")
        (12, 1/4, 1/2, 3)
    """
    whole, _, decimals = literal.partition(".")
    return QQ(Integer(whole + decimals or "0")) / Integer(10)**len(decimals)
