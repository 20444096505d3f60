r"""
Expressions read into sympy (the coefficients of dynamics given as text), with
the sizes of numbers bounded.
"""

from sage_conslaws.expressions.parser import ExpressionError, MAX_EXPONENT, Parser, quoted


#: The most bits of a number of :func:`parse_sympy`: written, raised to a
#: power, or under a root. Sympy computes the powers of numbers at once
#: (``(9^999)^999`` has 3.2 million bits), and factors the numbers under
#: roots: the square root of a number of 1000 digits took 0.1 s, of 3000
#: digits 1.6 s, of 9000 digits 24 s.
MAX_BITS = 3000


def parse_sympy(text, symbols=None, functions=None):
    r"""
    Return the sympy expression written in ``text``.

    INPUT:

    - ``text`` -- a string in the grammar of :mod:`sage_conslaws.expressions`;
      exponents must be rational numbers, decimals are read exactly, numbers
      have at most :data:`MAX_BITS` bits
    - ``symbols`` -- (default: none) a dictionary of the sympy symbols of
      some names; the other names become plain ``sympy.Symbol``
    - ``functions`` -- (default: :data:`SYMPY_FUNCTIONS`) a dictionary of the
      functions allowed

    OUTPUT: a sympy expression

    EXAMPLES::

        sage: import sympy
        sage: from sage_conslaws.expressions.sympy_builder import parse_sympy
        sage: t = sympy.Symbol("t", positive=True)
        sage: parse_sympy("3/t + exp(-0.5*t)*lambda", {"t": t})
        lambda*exp(-t/2) + 3/t

    TESTS::

        sage: parse_sympy("__import__(t)")
        Traceback (most recent call last):
        ...
        ExpressionError: unknown function "__import__" at character 1 of "__import__(t)"; known: exp
        sage: parse_sympy("t^t")
        Traceback (most recent call last):
        ...
        ExpressionError: the exponent t at character 2 of "t^t" is not a rational number
        sage: parse_sympy("(9^999)^999")
        Traceback (most recent call last):
        ...
        ValueError: beyond reach: the power at character 3 of "(9^999)^999" would make a number of about 4995 bits, more than MAX_BITS = 3000
    """
    functions = SYMPY_FUNCTIONS if functions is None else functions
    return Parser(text, _SympyBuilder(text, symbols or {}, functions)).parse()


class _SympyBuilder:
    r"""
    The values of the parser as sympy expressions, with the functions of a whitelist.
    """

    def __init__(self, text, symbols, functions):
        import sympy
        self._sympy = sympy
        self._text = text
        self._symbols = symbols
        self._functions = functions

    def _where(self, at):
        return f"at character {at + 1} of {quoted(self._text)}"

    def number(self, value, at=None, literal=None):
        number = self._sympy.Rational(int(value.numerator()), int(value.denominator()))
        self._check_bits(_bits(number), f"the number {self._where(at)}")
        return number

    def variable(self, name, at=None):
        return self._symbols.get(name) or self._sympy.Symbol(name)

    def call(self, name, argument, at=None):
        if name not in self._functions:
            raise ExpressionError(f"unknown function {quoted(name)} {self._where(at)}; known: "
                                  f"{', '.join(self._functions)}")
        return self._functions[name](argument)

    def add(self, a, b, at=None):
        return a + b

    def subtract(self, a, b, at=None):
        return a - b

    def negate(self, a, at=None):
        return -a

    def multiply(self, a, b, at=None):
        return a * b

    def divide(self, a, b, at=None):
        if b == 0:
            raise ExpressionError(f"division by zero {self._where(at)}")
        return a / b

    def power(self, a, b, at=None):
        if not b.is_Rational:
            raise ExpressionError(f"the exponent {b} {self._where(at)} is not a rational number")
        if max(abs(b.p), b.q) > MAX_EXPONENT:
            raise ValueError(f"beyond reach: the exponent {b} {self._where(at)} is above "
                             f"MAX_EXPONENT = {MAX_EXPONENT}")
        # sympy raises the numbers in a at once, and factors them under roots
        bits = abs(b.p) * sum(_bits(r) for r in a.atoms(self._sympy.Rational))
        self._check_bits(bits, f"the power {self._where(at)}")
        if a == 0 and b < 0:
            raise ExpressionError(f"division by zero {self._where(at)}")
        return a**b

    @staticmethod
    def _check_bits(bits, what):
        if bits > MAX_BITS:
            raise ValueError(f"beyond reach: {what} would make a number of about {bits} bits, "
                             f"more than MAX_BITS = {MAX_BITS}")


def _bits(rational):
    return int(rational.p).bit_length() + int(rational.q).bit_length()


def _sympy_functions():
    # not log: sympy turns exp(k*log(n)) into n^k, out of reach of the checks of powers
    import sympy
    return {"exp": sympy.exp}


#: The functions that :func:`parse_sympy` knows by default.
SYMPY_FUNCTIONS = _sympy_functions()
