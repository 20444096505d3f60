r"""
Safe reading of expressions given as text (a map `\phi`, a loss, a dynamics coefficient)

Text from a user is read by the small parser of this module and built
operation by operation with Sage or sympy arithmetic. It is never handed to
``eval``, ``sympy.sympify`` or ``R(text)``: all three run the Python code a
text may hide (``"__import__('os').system(...)"``).

The grammar::

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := ("+" | "-") unary | power
    power      := atom (("^" | "**") unary)?
    atom       := number | name | name "(" expression ")" | "(" expression ")"

Numbers are integers and decimals (``12``, ``0.5``, ``.5``), read exactly;
names are ``[A-Za-z_][A-Za-z0-9_]*``. Powers group to the right
(``2^3^2 = 2^9``) and bind tighter than signs (``-x^2 = -(x^2)``), as in
Python and Sage.

Before any expansion, its cost is estimated and refused beyond
:data:`MAX_WORK`, :data:`MAX_TERMS`, :data:`MAX_DEGREE` or
:data:`~sage_conslaws.expressions.parser.MAX_EXPONENT`; the text itself is at most :data:`~sage_conslaws.expressions.parser.MAX_LENGTH`
characters, nested at most :data:`~sage_conslaws.expressions.parser.MAX_DEPTH` deep.

EXAMPLES::

    sage: from sage.rings.rational_field import QQ
    sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    sage: from sage_conslaws.expressions.polynomials import parse_polynomial
    sage: from sage_conslaws.expressions.parser import variable_names
    sage: sorted(variable_names("a*b - c^2/2"))
    ['a', 'b', 'c']
    sage: R = PolynomialRing(QQ, 'a, b, c')
    sage: parse_polynomial("a*b - c^2/2", R)
    a*b - 1/2*c^2
    sage: parse_polynomial("__import__('os').system('touch pwned')", R)
    Traceback (most recent call last):
    ...
    ExpressionError: unexpected "'" at character 12 of "__import__('os').system('touch pwned')"
    sage: parse_polynomial("(a+b+c)^5000", R)
    Traceback (most recent call last):
    ...
    ValueError: beyond reach: the exponent 5000 at character 8 of "(a+b+c)^5000" is above MAX_EXPONENT = 1000
"""
import math
from fractions import Fraction
from sage.rings.fraction_field import FractionField_generic
from sage.rings.rational_field import QQ

from sage_conslaws.expressions.parser import (ExpressionError, MAX_EXPONENT, NotPolynomialError,
                                              _CONSTANTS, Parser, _decimal_error, quoted)


#: The largest total degree of a polynomial built while reading (checked
#: before each product or power). Singular's exponents overflow between
#: 2^15 and 2^31 depending on the ring (``(x^1000)^1000`` passes in 3
#: variables, not in 4); this bound is the same for all rings.
MAX_DEGREE = 10_000


#: The most terms a polynomial built while reading may have (an upper bound
#: estimated before each product or power). Measured: a product of 722500
#: terms took 0.2 s and 43 MB in Singular, so about 60 MB at the limit.
MAX_TERMS = 10**6


#: The most coefficient operations a reading may spend (estimated before each
#: operation, in products of 64-bit words of coefficients, summed over the
#: whole reading). Measured on the project's 2-core machine: near the limit,
#: ``(x+y+z+w)^76`` (2.9e7) and ``(x+2*y+3*z-w+5)^41`` (2.8e7) took 1.0 s and
#: 17 to 31 MB; under a load of 5 processes, ``(x+y+z+w)^70`` (2.0e7) took
#: 2.7 s, so at most 4 s at the limit. Beyond, the cost explodes:
#: ``(x+y+z)^1000`` (1.0e10) took 245 s.
MAX_WORK = 3 * 10**7


class Budget:
    r"""
    The coefficient operations a reading may still spend (at first :data:`MAX_WORK`).

    One budget shared by the coordinates of a map bounds the work of the whole map.

    INPUT:

    - ``limit`` -- (default: :data:`MAX_WORK`) the operations allowed

    EXAMPLES::

        sage: from sage_conslaws.expressions.polynomials import Budget
        sage: budget = Budget(100)
        sage: budget.spend(60, "a product"); budget.left()
        40
    """

    def __init__(self, limit=None):
        self._left = MAX_WORK if limit is None else limit

    def left(self):
        r"""
        Return the operations left.

        EXAMPLES::

            sage: from sage_conslaws.expressions.polynomials import Budget
            sage: Budget().left()
            30000000
        """
        return self._left

    def spend(self, amount, what):
        r"""
        Take ``amount`` operations for ``what``, or refuse if fewer are left.

        INPUT:

        - ``amount`` -- the estimated operations (a number)
        - ``what`` -- what needs them, for the error message

        EXAMPLES::

            sage: from sage_conslaws.expressions.polynomials import Budget
            sage: budget = Budget(100)
            sage: budget.spend(60, "a product"); budget.spend(60, "a product")
            Traceback (most recent call last):
            ...
            ValueError: beyond reach: a product would take more than the 40 coefficient operations left of MAX_WORK = 30000000
        """
        if amount > self._left:
            raise ValueError(f"beyond reach: {what} would take more than the {self._left} "
                             f"coefficient operations left of MAX_WORK = {MAX_WORK}")
        self._left -= math.ceil(amount)


def parse_polynomial(text, ring, decimals=False, budget=None):
    r"""
    Return the polynomial (or rational function) of ``ring`` written in ``text``.

    INPUT:

    - ``text`` -- a string in the grammar of :mod:`sage_conslaws.expressions`
      whose names are variables of ``ring`` (no functions)
    - ``ring`` -- a multivariate polynomial ring over `\QQ`, or its fraction
      field (where any non-zero divisor is allowed)
    - ``decimals`` -- (default: ``False``) whether decimals such as ``0.5`` are
      read (exactly, as `1/2`) rather than refused
    - ``budget`` -- (default: a new one) a :class:`Budget` of the work allowed

    OUTPUT: an element of ``ring``

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.expressions.polynomials import parse_polynomial
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: parse_polynomial("-x^2**2 + (x - y)*(x + y)/3", R) == -x^4 + (x^2 - y^2)/3
        True
        sage: parse_polynomial("2^-1*x + 0.25", R, decimals=True)
        1/2*x + 1/4
        sage: parse_polynomial("1/(1 - x)", R.fraction_field())
        1/(-x + 1)

    TESTS:

    Text outside the grammar, or not a polynomial::

        sage: parse_polynomial("x +", R)
        Traceback (most recent call last):
        ...
        ExpressionError: the expression ends too early, at character 4 of "x +"
        sage: parse_polynomial("2x", R)
        Traceback (most recent call last):
        ...
        ExpressionError: unexpected "x" at character 2 of "2x"
        sage: parse_polynomial("x/0", R)
        Traceback (most recent call last):
        ...
        ExpressionError: division by zero at character 2 of "x/0"
        sage: parse_polynomial("sin(x)", R)
        Traceback (most recent call last):
        ...
        NotPolynomialError: sin(x) is not a polynomial in x, y
        sage: parse_polynomial("x*z", R)
        Traceback (most recent call last):
        ...
        NotPolynomialError: x*z is not a polynomial in x, y
        sage: parse_polynomial("x^(1/2)", R)
        Traceback (most recent call last):
        ...
        NotPolynomialError: x^(1/2) is not a polynomial in x, y
        sage: parse_polynomial("0.5*x", R)
        Traceback (most recent call last):
        ...
        DecimalError: write 1/2 instead of 0.5

    Expansions beyond reach are refused before they start::

        sage: parse_polynomial("x^(10^9)*y", R)
        Traceback (most recent call last):
        ...
        ValueError: beyond reach: the exponent 1000000000 at character 2 of "x^(10^9)*y" is above MAX_EXPONENT = 1000
        sage: parse_polynomial("(1+x+y)^1000", R)
        Traceback (most recent call last):
        ...
        ValueError: beyond reach: the power at character 8 of "(1+x+y)^1000" would take more than the 29999995 coefficient operations left of MAX_WORK = 30000000
        sage: parse_polynomial("(x^1000)^1000", R)
        Traceback (most recent call last):
        ...
        ValueError: beyond reach: the power at character 9 of "(x^1000)^1000" would have degree 1000000, more than MAX_DEGREE = 10000
        sage: parse_polynomial("(x+1)^1000*(y+1)^1000", R)
        Traceback (most recent call last):
        ...
        ValueError: beyond reach: the product at character 11 of "(x+1)^1000*(y+1)^1000" could have 1002001 terms, more than MAX_TERMS = 1000000
        sage: parse_polynomial("(" * 200 + "x" + ")" * 200, R)
        Traceback (most recent call last):
        ...
        ValueError: beyond reach: more than MAX_DEPTH = 100 nested brackets, signs and powers at character 101 of "((((((((((((((((((((((((((((((((((((((((..."
    """
    return Parser(text, _PolynomialBuilder(ring, text, decimals, budget)).parse()


def parse_rational(text):
    r"""
    Return the rational number written in ``text``; decimals are read exactly.

    It replaces ``Fraction(text)``, which takes minutes on ``"1e100000000"``.

    EXAMPLES::

        sage: from sage_conslaws.expressions.polynomials import parse_rational
        sage: parse_rational("0.25"), parse_rational("3/2 - 2^-1")
        (1/4, 1)

    TESTS::

        sage: parse_rational("1e100000000")
        Traceback (most recent call last):
        ...
        ExpressionError: unexpected "e100000000" at character 2 of "1e100000000"
        sage: parse_rational("tau")
        Traceback (most recent call last):
        ...
        ExpressionError: "tau" is not a rational number
    """
    try:
        return QQ(parse_polynomial(text, _CONSTANTS, decimals=True))
    except NotPolynomialError:
        raise ExpressionError(f"{quoted(text)} is not a rational number") from None


def sympy_to_polynomial(expression, ring, budget=None):
    r"""
    Return the sympy ``expression`` as a polynomial of ``ring``, built with Sage arithmetic.

    Walking the expression (rather than ``sympy.Poly``) refuses expansions
    beyond reach, as :func:`parse_polynomial` does for text.

    INPUT:

    - ``expression`` -- a sympy expression, a polynomial with rational coefficients
    - ``ring`` -- a multivariate polynomial ring over `\QQ` with the symbols of
      ``expression`` among its variables
    - ``budget`` -- (default: a new one) a :class:`Budget` of the work allowed

    EXAMPLES::

        sage: import sympy
        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.expressions.polynomials import sympy_to_polynomial
        sage: x, y = sympy.symbols("x y")
        sage: R = PolynomialRing(QQ, 'x, y')
        sage: sympy_to_polynomial((x - y)**2 / 2 + 1, R)
        1/2*x^2 - x*y + 1/2*y^2 + 1

    TESTS::

        sage: sympy_to_polynomial(x**(10**9) * y, R)
        Traceback (most recent call last):
        ...
        ValueError: beyond reach: the exponent 1000000000 in x**1000000000*y is above MAX_EXPONENT = 1000
        sage: sympy_to_polynomial(sympy.sqrt(2) * x, R)
        Traceback (most recent call last):
        ...
        NotPolynomialError: sqrt(2)*x is not a polynomial in x, y
        sage: sympy_to_polynomial(x / 10 + 0.1, R)
        Traceback (most recent call last):
        ...
        DecimalError: write 1/10 instead of 0.1
    """
    builder = _PolynomialBuilder(ring, str(expression), False, budget)
    return _from_sympy(expression, builder)


def _from_sympy(expression, builder):
    # the sympy tree, operation by operation, as the parser does for text
    if expression.is_Symbol:
        return builder.variable(expression.name)
    if expression.is_Rational:
        return builder.number(QQ((int(expression.p), int(expression.q))))
    if expression.is_Float:
        literal = repr(float(expression))
        raise _decimal_error(literal, QQ(Fraction(literal)))
    if expression.is_Pow and expression.exp.is_Integer:
        exponent = builder.number(QQ(int(expression.exp)))
        return builder.power(_from_sympy(expression.base, builder), exponent)
    if not (expression.is_Add or expression.is_Mul):
        raise builder.not_polynomial()
    operation = builder.add if expression.is_Add else builder.multiply
    terms = [_from_sympy(a, builder) for a in expression.args]
    value = terms[0]
    for term in terms[1:]:
        value = operation(value, term)
    return value


class _PolynomialBuilder:
    r"""
    The values of the parser as elements of a polynomial ring over `\QQ` (or its
    fraction field), each operation checked against the limits before it runs.
    """

    def __init__(self, ring, text, decimals, budget):
        self._ring = ring
        self._text = text
        self._decimals = decimals
        self._budget = Budget() if budget is None else budget
        self._gens = dict(zip(ring.variable_names(), ring.gens()))
        self._is_field = isinstance(ring, FractionField_generic)

    def not_polynomial(self):
        kind = "a rational function of" if self._is_field else "a polynomial in"
        return NotPolynomialError(f"{self._text} is not {kind} {', '.join(self._gens)}")

    def _where(self, at):
        if at is None:
            return f"in {self._text}"
        return f"at character {at + 1} of {quoted(self._text)}"

    def number(self, value, at=None, literal=None):
        if literal is not None and "." in literal and not self._decimals:
            raise _decimal_error(literal, value)
        return self._ring(value)

    def variable(self, name, at=None):
        if name not in self._gens:
            raise self.not_polynomial()
        return self._gens[name]

    def call(self, name, argument, at=None):
        raise self.not_polynomial()

    def add(self, a, b, at=None):
        self._spend_on_sum(a, b, "the sum", at)
        return a + b

    def subtract(self, a, b, at=None):
        self._spend_on_sum(a, b, "the difference", at)
        return a - b

    def negate(self, a, at=None):
        return -a

    def multiply(self, a, b, at=None):
        what = f"the product {self._where(at)}"
        self._spend_on_product(a, b, what)
        return self._overflow_checked(lambda: a * b, what)

    def divide(self, a, b, at=None):
        if b == 0:
            raise ExpressionError(f"division by zero {self._where(at)}")
        if self._is_field:
            return self.multiply(a, ~b, at)
        divisor = _constant(b)
        if divisor is None:
            raise self.not_polynomial()
        return a * self._ring(~divisor)

    def power(self, a, b, at=None):
        e = _constant(b)
        if e is None or not e.is_integer():
            raise self.not_polynomial()
        if abs(e) > MAX_EXPONENT:
            raise ValueError(f"beyond reach: the exponent {e} {self._where(at)} is above "
                             f"MAX_EXPONENT = {MAX_EXPONENT}")
        if e < 0:
            a, e = self._inverse(a, at), -e
        what = f"the power {self._where(at)}"
        self._spend_on_power(a, int(e), what)
        return self._overflow_checked(lambda: a**int(e), what)

    def _inverse(self, a, at):
        if a == 0:
            raise ExpressionError(f"division by zero {self._where(at)}")
        if self._is_field:
            return ~a
        c = _constant(a)
        if c is None:
            raise self.not_polynomial()
        return self._ring(~c)

    def _spend_on_sum(self, a, b, what, at):
        if self._is_field:  # a/b + c/d = (ad + bc)/bd: products
            return self._spend_on_product(a, b, f"{what} {self._where(at)}")
        # the sizes of coefficients were paid for by the products that made them
        self._budget.spend(a.number_of_terms() + b.number_of_terms(), f"{what} {self._where(at)}")

    def _spend_on_product(self, a, b, what):
        r"""
        Spend the work of `ab`: `T(a) T(b)` products of coefficients of `w(a)` and `w(b)` words.
        """
        (ta, da, ba), (tb, db, bb) = _size(a, self._is_field), _size(b, self._is_field)
        self._check_degree(da + db, what)
        self._check_terms(min(ta * tb, _monomials(self._variables(a, b), da + db)), what)
        self._budget.spend(ta * tb * _words(ba) * _words(bb), what)

    def _spend_on_power(self, a, e, what):
        r"""
        Spend the work of `a^e` as Singular computes it.

        A monomial or a binomial is raised at once: the work is the size of
        the result, `e + 1` terms of coefficients of `w(a^e)` words. Beyond,
        Singular makes `e - 1` products by `a`: the `k`-th costs `T(a^k) T(a)`
        products of coefficients of `w(a^k)` and `w(a)` words, where `T(a^k)`
        is at most the number of monomials of degree `k` in the `T(a)` terms,
        and of degree `k \deg a` in the variables.
        """
        terms, degree, bits = _size(a, self._is_field)
        variables = self._variables(a, a)
        self._check_degree(e * degree, what)
        self._check_terms(_power_terms(terms, degree, variables, e), what)
        # the coefficients of a^k have at most k (bits + log2 T(a)) bits
        growth = bits + math.log2(terms)
        if terms <= 2:
            return self._budget.spend((e + 1) * _words(e * growth), what)
        work = 0
        for k in range(1, e):
            work += (_power_terms(terms, degree, variables, k) * terms
                     * _words(k * growth) * _words(bits))
            if work > self._budget.left():
                break
        self._budget.spend(work, what)

    def _check_degree(self, degree, what):
        if degree > MAX_DEGREE:
            raise ValueError(f"beyond reach: {what} would have degree {degree}, more than "
                             f"MAX_DEGREE = {MAX_DEGREE}")

    def _check_terms(self, terms, what):
        if terms > MAX_TERMS:
            raise ValueError(f"beyond reach: {what} could have {terms} terms, more than "
                             f"MAX_TERMS = {MAX_TERMS}")

    def _variables(self, a, b):
        parts = _parts(a, self._is_field) + _parts(b, self._is_field)
        return len(set().union(*(p.variables() for p in parts)))

    @staticmethod
    def _overflow_checked(operation, what):
        try:
            return operation()
        except OverflowError as error:  # Singular's exponents are at most 65535
            raise ValueError(f"beyond reach: {what} overflows ({error})") from None


def _parts(f, is_field):
    return (f.numerator(), f.denominator()) if is_field else (f,)


def _size(f, is_field):
    r"""
    Return the terms, the degree and the bits of the largest coefficient of ``f``.

    For a rational function, the terms of its numerator and denominator together.

    TESTS::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.expressions.polynomials import _size
        sage: x, y = PolynomialRing(QQ, 'x, y').gens()
        sage: _size(x^3 + 2^100*y/3, False)
        (2, 3, 103)
    """
    parts = _parts(f, is_field)
    terms = sum(p.number_of_terms() for p in parts)
    degree = max(p.total_degree() for p in parts)
    bits = max((c.numerator().nbits() + c.denominator().nbits()
                for p in parts for c in p.coefficients()), default=0)
    return terms, max(degree, 0), bits


def _words(bits):
    r"""
    Return the 64-bit words of a number of ``bits`` bits (a float: an estimate).
    """
    return 1 + bits / 64


def _monomials(variables, degree):
    r"""
    Return the number of monomials of degree at most ``degree`` in ``variables`` variables.
    """
    return math.comb(variables + degree, variables)


def _power_terms(terms, degree, variables, k):
    r"""
    Return a bound on the terms of the ``k``-th power of a polynomial of ``terms`` terms.

    A product of `k` of its `n` terms is a multiset: `\binom{n + k - 1}{k}`
    of them; and it is a monomial of degree at most `k \deg`.

    TESTS::

        sage: from sage_conslaws.expressions.polynomials import _power_terms
        sage: _power_terms(3, 1, 3, 5000)
        12507501
    """
    return min(math.comb(terms + k - 1, k), _monomials(variables, k * degree))


def _constant(value):
    r"""
    Return ``value`` as a rational number, or ``None`` if it is not constant.
    """
    try:
        return QQ(value)
    except (TypeError, ValueError):
        return None
