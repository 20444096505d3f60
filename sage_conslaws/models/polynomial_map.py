r"""
Models given by the user: a polynomial map, or a family of vector fields

EXAMPLES:

The map `\phi(x) = x_1 x_2 x_3` has two conservation laws, `x_i^2 - x_j^2`::

    sage: from sage_conslaws import PolynomialMap
    sage: import sympy
    sage: x1, x2, x3 = sympy.symbols('x1 x2 x3')
    sage: M = PolynomialMap([x1*x2*x3]); M
    PolynomialMap with 3 parameters: [x1*x2*x3]
    sage: M.conservation_laws().number_of_laws()
    2
"""
from sage.rings.polynomial.multi_polynomial_ring_base import MPolynomialRing_base
from sage.rings.polynomial.polynomial_ring import PolynomialRing_general
from sage.rings.rational_field import QQ

from sage_conslaws.expressions.polynomials import Budget, parse_polynomial, sympy_to_polynomial
from sage_conslaws.expressions.parser import (MAX_LENGTH, DecimalError, ExpressionError,
                                              NotPolynomialError, variable_names)
from sage_conslaws.closure.lie_closure import check_family
from sage_conslaws.models.base import Model
from sage_conslaws.models.rings import parameter_ring


class PolynomialMap(Model):
    r"""
    The model reparametrized by a polynomial map given by the user.

    INPUT:

    - ``phi`` -- a list of polynomials: elements of one Sage polynomial ring
      with rational (or integer) coefficients, or sympy expressions, or strings
      such as ``"x*y - z^2/2"`` (read by :mod:`sage_conslaws.expressions`, never
      evaluated; expansions beyond reach are refused)
    - ``variables`` -- (default: all variables, sorted by name) for sympy
      expressions and strings, the parameters in the order wanted

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialMap
        sage: R = PolynomialRing(QQ, 'u, v'); u, v = R.gens()
        sage: PolynomialMap([u*v, u^2]).reparametrization()
        [u*v, u^2]
        sage: PolynomialMap(["a*b - c", "b**2/2"]).reparametrization()
        [a*b - c, 1/2*b^2]

    Equal maps are one model, which pickles::

        sage: M = PolynomialMap(["x*y*z"])
        sage: M is PolynomialMap(["z*y*x"]), M is PolynomialMap(["x*y*z + x"])
        (True, False)
        sage: TestSuite(M).run()

    TESTS::

        sage: PolynomialMap(["x/y"])
        Traceback (most recent call last):
        ...
        TypeError: the map is not polynomial: x/y is not a polynomial in x, y
        sage: PolynomialMap(["sin(x)"])
        Traceback (most recent call last):
        ...
        TypeError: the map is not polynomial: sin(x) is not a polynomial in x
        sage: PolynomialMap(["0.5*x"])
        Traceback (most recent call last):
        ...
        TypeError: the map must have rational coefficients, got 0.5*x; write 1/2 instead of 0.5

    Strings are read, never evaluated, and expansions beyond reach are refused
    before they start::

        sage: PolynomialMap(["__import__('os').system('touch pwned')"])
        Traceback (most recent call last):
        ...
        TypeError: cannot read the map phi: unexpected "'" at character 12 of "__import__('os').system('touch pwned')"
        sage: PolynomialMap(["(x+y+z)^5000"])
        Traceback (most recent call last):
        ...
        ValueError: beyond reach: the exponent 5000 at character 8 of "(x+y+z)^5000" is above MAX_EXPONENT = 1000
        sage: PolynomialMap(["x+*"])
        Traceback (most recent call last):
        ...
        TypeError: cannot read the map phi: unexpected "*" at character 3 of "x+*"
        sage: PolynomialMap([])
        Traceback (most recent call last):
        ...
        ValueError: the map phi is empty
        sage: PolynomialMap([1/R.gen(0)])
        Traceback (most recent call last):
        ...
        TypeError: the map is not polynomial: 1/u is an element of Fraction Field of Multivariate Polynomial Ring in u, v over Rational Field
        sage: PolynomialMap(["x**2"]).conservation_laws().number_of_laws()
        0
    """

    @staticmethod
    def __classcall_private__(cls, phi, variables=None):
        # the map is read into its ring first: equal maps, however written,
        # are one model
        phi = list(phi)
        if not phi:
            raise ValueError("the map phi is empty")
        if all(_is_sage_element(f) for f in phi):
            _, phi = _from_sage(phi)
        else:
            _, phi = _from_text(phi, variables)
        return Model.__classcall__(cls, tuple(phi))

    def __init__(self, phi):
        self._phi = list(phi)
        Model.__init__(self, self._phi[0].parent())

    def reparametrization(self):
        r"""
        Return the map `\phi` as polynomials of :meth:`ring`.

        EXAMPLES::

            sage: from sage_conslaws import PolynomialMap
            sage: PolynomialMap(["x*y"]).reparametrization()
            [x*y]
        """
        return list(self._phi)

    def _repr_(self):
        return f"PolynomialMap with {self.dimension()} parameters: {self._phi}"


#: The separator of the components of a map written in one text (:func:`read_map`).
MAP_SEPARATOR = ";"


def read_map(text):
    r"""
    Return the :class:`PolynomialMap` written in ``text``, its components separated by ``;``.

    This is how the command line reads ``sage-conslaws count map
    'x*y*z;x+y'``. Each component is read by :mod:`sage_conslaws.expressions`
    (never evaluated); the variables are the names used, sorted.

    INPUT:

    - ``text`` -- a string: polynomials separated by ``;``, at most
      :data:`~sage_conslaws.expressions.parser.MAX_LENGTH` characters in all

    OUTPUT: a :class:`PolynomialMap`; every error on the text is a
    ``ValueError`` in one line

    EXAMPLES::

        sage: from sage_conslaws.models.polynomial_map import read_map
        sage: read_map("x*y*z")
        PolynomialMap with 3 parameters: [x*y*z]
        sage: read_map(" u1*v1 + u2*v2 ; u1*v1 ").reparametrization()
        [u1*v1 + u2*v2, u1*v1]
        sage: read_map("x*y*z").conservation_laws().number_of_laws()
        2

    TESTS::

        sage: read_map("x*y;;z")
        Traceback (most recent call last):
        ...
        ValueError: component 2 of the map 'x*y;;z' is empty
        sage: read_map(" ")
        Traceback (most recent call last):
        ...
        ValueError: component 1 of the map ' ' is empty
        sage: read_map("x*y;")
        Traceback (most recent call last):
        ...
        ValueError: component 2 of the map 'x*y;' is empty
        sage: read_map("x*(y+")
        Traceback (most recent call last):
        ...
        ValueError: cannot read the map phi: the expression ends too early, at character 6 of "x*(y+"
        sage: read_map("__import__('os').system('ls')")
        Traceback (most recent call last):
        ...
        ValueError: cannot read the map phi: unexpected "'" at character 12 of "__import__('os').system('ls')"
        sage: read_map("x/y")
        Traceback (most recent call last):
        ...
        ValueError: the map is not polynomial: x/y is not a polynomial in x, y
        sage: read_map("x - x;2")
        Traceback (most recent call last):
        ...
        ValueError: the map 'x - x;2' is constant: every function is conserved
        sage: read_map("x+" * 6000 + "x")
        Traceback (most recent call last):
        ...
        ValueError: beyond reach: a map of 12001 characters, more than MAX_LENGTH = 10000
        sage: read_map(["x"])
        Traceback (most recent call last):
        ...
        TypeError: the map must be a text, got list
    """
    if not isinstance(text, str):
        raise TypeError(f"the map must be a text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"beyond reach: a map of {len(text)} characters, more than "
                         f"MAX_LENGTH = {MAX_LENGTH}")
    components = [part.strip() for part in text.split(MAP_SEPARATOR)]
    for number, part in enumerate(components, 1):
        if not part:
            raise ValueError(f"component {number} of the map {text!r} is empty")
    try:
        model = PolynomialMap(components)
    except TypeError as error:
        # the text is a value: an unreadable one is a ValueError
        raise ValueError(str(error)) from None
    if all(f.is_constant() for f in model.reparametrization()):
        raise ValueError(f"the map {text!r} is constant: every function is conserved")
    return model


class VectorFieldFamily(Model):
    r"""
    The "model" whose fields are given directly: any family of polynomial fields.

    Its conservation laws are the functions conserved through the fields.

    INPUT:

    - ``fields`` -- a non-empty list of
      :class:`~sage_conslaws.fields.vector_fields.PolynomialVectorField` on one ring
      over `\QQ`

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField, VectorFieldFamily
        sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
        sage: F = VectorFieldFamily([PolynomialVectorField(R, [y, -x, 0])]); F
        VectorFieldFamily of 1 fields on 3 parameters
        sage: F.conservation_laws().number_of_laws()
        2

    TESTS::

        sage: VectorFieldFamily([PolynomialVectorField(R, [1, 0, 0]), PolynomialVectorField(PolynomialRing(QQ, 'u', 1), [1])])
        Traceback (most recent call last):
        ...
        ValueError: all vector fields of a family must live on one ring; got Multivariate Polynomial Ring in x, y, z over Rational Field and Multivariate Polynomial Ring in u over Rational Field
    """

    def __init__(self, fields):
        self._fields = check_family(fields)
        Model.__init__(self, self._fields[0].ring())

    def reparametrization(self):
        r"""
        Raise an error: a family of fields has no reparametrization.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField, VectorFieldFamily
            sage: R = PolynomialRing(QQ, 'x, y')
            sage: VectorFieldFamily([PolynomialVectorField(R, [1, 0])]).reparametrization()
            Traceback (most recent call last):
            ...
            NotImplementedError: a family of vector fields given directly has no reparametrization
        """
        raise NotImplementedError("a family of vector fields given directly has no "
                                  "reparametrization")

    def fields(self, metric_inverse=None):
        r"""
        Return the fields given (a metric cannot be applied to them).

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField, VectorFieldFamily
            sage: R = PolynomialRing(QQ, 'x, y')
            sage: VectorFieldFamily([PolynomialVectorField(R, [1, 0])]).fields()
            [(1, 0)]
        """
        if metric_inverse is not None:
            raise ValueError("a metric applies to gradients of a map, not to fields given directly")
        return list(self._fields)

    def _repr_(self):
        return f"VectorFieldFamily of {len(self._fields)} fields on {self.dimension()} parameters"


def _is_sage_element(f):
    r"""
    Return whether ``f`` is a Sage element (rather than a sympy expression or a string).

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage_conslaws.models.polynomial_map import _is_sage_element
        sage: _is_sage_element(QQ(1)), _is_sage_element("x")
        (True, False)
    """
    from sage.structure.element import Element
    return isinstance(f, Element)


def _from_sage(phi):
    r"""
    Return a ring over `\QQ` and ``phi`` in it, for Sage polynomials.

    TESTS::

        sage: from sage.rings.integer_ring import ZZ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.models.polynomial_map import _from_sage
        sage: R = PolynomialRing(ZZ, 'x, y'); x, y = R.gens()
        sage: _from_sage([x*y])
        (Multivariate Polynomial Ring in x, y over Rational Field, [x*y])
    """
    source = phi[0].parent()
    if any(f.parent() is not source for f in phi):
        raise ValueError("all coordinates of phi must live in one polynomial ring")
    if not isinstance(source, (MPolynomialRing_base, PolynomialRing_general)):
        raise TypeError(f"the map is not polynomial: {phi[0]} is an element of {source}")
    if not QQ.has_coerce_map_from(source.base_ring()):
        raise TypeError(f"the map must have rational coefficients, got {source.base_ring()}")
    ring = parameter_ring(source.variable_names())
    return ring, [ring(f) for f in phi]


def _from_text(phi, variables):
    r"""
    Return a ring over `\QQ` and ``phi`` in it, for strings or sympy expressions.

    Strings are read by :mod:`sage_conslaws.expressions`, never evaluated;
    one :class:`~sage_conslaws.expressions.polynomials.Budget` bounds the work of the
    whole map.

    TESTS::

        sage: from sage_conslaws.models.polynomial_map import _from_text
        sage: _from_text(["y*x"], ["y", "x"])
        (Multivariate Polynomial Ring in y, x over Rational Field, [y*x])
        sage: _from_text(["x^(10^9)*y"], None)
        Traceback (most recent call last):
        ...
        ValueError: beyond reach: the exponent 1000000000 at character 2 of "x^(10^9)*y" is above MAX_EXPONENT = 1000
        sage: _from_text(["__import__('os').system('touch pwned')"], None)
        Traceback (most recent call last):
        ...
        TypeError: cannot read the map phi: unexpected "'" at character 12 of "__import__('os').system('touch pwned')"
    """
    # Sage elements mixed with strings are read as the text Sage prints
    phi = [str(f) if _is_sage_element(f) else f for f in phi]
    phi = [f if isinstance(f, str) else _as_sympy(f) for f in phi]
    if variables is None:
        names = sorted(set().union(*(_checked(_names, f) for f in phi)))
    else:
        names = [str(v) for v in variables]
    if not names:
        raise ValueError("the map phi has no variables")
    ring = parameter_ring(names)
    budget = Budget()
    return ring, [_checked(_read_coordinate, f, ring, budget) for f in phi]


def _as_sympy(f):
    r"""
    Return ``f`` (a sympy expression or a number) as a sympy expression.

    TESTS::

        sage: from sage_conslaws.models.polynomial_map import _as_sympy
        sage: _as_sympy([1, 2])
        Traceback (most recent call last):
        ...
        TypeError: cannot read the map phi: [1, 2] is not a polynomial
    """
    import sympy
    try:
        return sympy.sympify(f, strict=True)  # strict: never parses str(f)
    except (sympy.SympifyError, TypeError, ValueError):
        raise TypeError(f"cannot read the map phi: {f!r} is not a polynomial") from None


def _names(f):
    return variable_names(f) if isinstance(f, str) else {s.name for s in f.free_symbols}


def _read_coordinate(f, ring, budget):
    if isinstance(f, str):
        return parse_polynomial(f, ring, budget=budget)
    return sympy_to_polynomial(f, ring, budget=budget)


def _checked(function, f, *args):
    r"""
    Return ``function(f, *args)``, its errors told as errors of the map.

    TESTS::

        sage: from sage_conslaws.models.polynomial_map import _checked, _names
        sage: _checked(_names, "x; y")
        Traceback (most recent call last):
        ...
        TypeError: cannot read the map phi: unexpected ";" at character 2 of "x; y"
    """
    try:
        return function(f, *args)
    except ExpressionError as error:
        raise TypeError(f"cannot read the map phi: {error}") from None
    except NotPolynomialError as error:
        raise TypeError(f"the map is not polynomial: {error}") from None
    except DecimalError as error:
        raise TypeError(f"the map must have rational coefficients, got {f}; {error}") from None
