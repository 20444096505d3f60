r"""
The Lie algebra of polynomial vector fields on `\RR^D`, the parent of
:class:`~sage_conslaws.fields.vector_fields.PolynomialVectorField`.
"""
# Matrices over fraction fields look up this module lazily, and a modular
# passagemath install does not load it by itself.
import sage.rings.polynomial.laurent_polynomial_ring  # noqa: F401
from sage.categories.lie_algebras import LieAlgebras
from sage.misc.latex import latex
from sage.rings.polynomial.multi_polynomial_ring_base import MPolynomialRing_base
from sage.rings.rational_field import QQ
from sage.structure.parent import Parent
from sage.structure.unique_representation import UniqueRepresentation



class PolynomialVectorFields(UniqueRepresentation, Parent):
    r"""
    The Lie algebra over `\QQ` of polynomial vector fields on `\RR^D`.

    Its elements are the :class:`~sage_conslaws.fields.vector_fields.PolynomialVectorField` whose components lie
    in ``ring``; the bracket is the commutator of derivations. It is a module
    over ``ring`` too: a field times a polynomial is a field.

    This module is written here rather than reusing Sage's
    ``ring.derivation_module()``: the sparse bracket below is about 700 times
    faster than ``R.derivation(...).bracket`` on the fields of networks
    (measured when the engine was written), and the engine brackets
    thousands of them.

    INPUT:

    - ``ring`` -- a multivariate polynomial ring (its variables are the
      coordinates)

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.fields.module import PolynomialVectorFields
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: V = PolynomialVectorFields(R); V
        Lie algebra of polynomial vector fields in x, y over Rational Field
        sage: V is PolynomialVectorFields(R)
        True
        sage: X = V([x, -y]); Y = V([y, 0])
        sage: X.bracket(Y), X + Y, 2 * X, X * 2, y * X, X + 0, sum([X, X])
        ((-2*y, 0), (x + y, -y), (2*x, -2*y), (2*x, -2*y), (x*y, -y^2), (x, -y), (2*x, -2*y))
        sage: TestSuite(V).run()

    TESTS::

        sage: PolynomialVectorFields(QQ)
        Traceback (most recent call last):
        ...
        TypeError: the ring of a vector field must be a multivariate polynomial ring, got Rational Field
    """

    def __init__(self, ring):
        if not isinstance(ring, MPolynomialRing_base):
            raise TypeError("the ring of a vector field must be a multivariate "
                            f"polynomial ring, got {ring}")
        self._ring = ring
        Parent.__init__(self, base=QQ, category=LieAlgebras(QQ).Infinite())

    def ring(self):
        r"""
        Return the polynomial ring of the components.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws.fields.module import PolynomialVectorFields
            sage: PolynomialVectorFields(PolynomialRing(QQ, 'x, y')).ring()
            Multivariate Polynomial Ring in x, y over Rational Field
        """
        return self._ring

    def dimension_of_space(self):
        r"""
        Return the dimension `D` of the space the fields live on.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws.fields.module import PolynomialVectorFields
            sage: PolynomialVectorFields(PolynomialRing(QQ, 'x, y')).dimension_of_space()
            2
        """
        return self._ring.ngens()

    def _element_constructor_(self, components):
        r"""
        Return the field with ``components`` (a list, a dictionary, ``0`` or a field).

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws.fields.module import PolynomialVectorFields
            sage: V = PolynomialVectorFields(PolynomialRing(QQ, 'x, y'))
            sage: V({1: 3}), V(0)
            ((0, 3), (0, 0))
        """
        if isinstance(components, self.element_class):
            components = components._components
        elif not isinstance(components, (dict, list, tuple)) and components == 0:
            components = {}
        return self.element_class(self, components)

    def zero(self):
        r"""
        Return the zero field.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws.fields.module import PolynomialVectorFields
            sage: PolynomialVectorFields(PolynomialRing(QQ, 'x, y')).zero()
            (0, 0)
        """
        return self.element_class(self, {})

    def some_elements(self):
        r"""
        Return a few fields: constant, linear (rotation, Euler) and quadratic ones.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws.fields.module import PolynomialVectorFields
            sage: PolynomialVectorFields(PolynomialRing(QQ, 'x, y')).some_elements()
            [(1, 0), (y, -x), (x, y), (x*y, x^2 + 1)]
        """
        x = self._ring.gens()
        elements = [self({0: 1})]
        if len(x) > 1:
            elements.append(self({0: x[1], 1: -x[0]}))
        elements.append(self(dict(enumerate(x))))
        elements.append(self({0: x[0] * x[1], 1: x[0]**2 + 1} if len(x) > 1 else {0: x[0]**2 + 1}))
        return elements

    def _an_element_(self):
        return self.some_elements()[-1]

    def __contains__(self, x):
        return isinstance(x, self.element_class) and x.parent() is self

    def _repr_(self):
        return ("Lie algebra of polynomial vector fields in "
                f"{', '.join(self._ring.variable_names())} over {self._ring.base_ring()}")

    def _latex_(self):
        r"""
        Return `\mathfrak X(\RR^D)` with the ring's variables.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws.fields.module import PolynomialVectorFields
            sage: latex(PolynomialVectorFields(PolynomialRing(QQ, 'x, y')))
            \mathfrak{X}_{\mathrm{pol}}(x, y)
        """
        return r"\mathfrak{X}_{\mathrm{pol}}(%s)" % ", ".join(latex(g) for g in self._ring.gens())
