r"""
Truncated Taylor expansions (jets) of vector fields at a point

The value at `\theta` of an iterated bracket `[g_1, [g_2, \ldots, g_k]]` only
depends on the derivatives of the `g_i` at `\theta` up to order `k - 1`.
Expanding the fields in `y = x - \theta` and dropping the terms of degree more
than needed keeps the polynomials small, where the full iterated brackets of a
deep network have hundreds of thousands of terms. The truncation is done by
Singular's ``jet``; the bracket formula is the same in the shifted
coordinates. Values and Jacobians at `\theta` are then read off the constant
and linear terms, exactly.

EXAMPLES::

    sage: from sage.rings.rational_field import QQ
    sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    sage: from sage_conslaws import PolynomialVectorField
    sage: from sage_conslaws.fields.jets import TaylorJets
    sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
    sage: X = PolynomialVectorField(R, [x^3*y, y^2])
    sage: J = TaylorJets(R, [QQ(1), QQ(2)])
    sage: E = J.expand(X, 1); E
    (6*x + y + 2, 4*y + 4)
    sage: J.value(E) == X([1, 2]), J.jacobian(E) == X.jacobian([1, 2])
    (True, True)
"""
from sage.libs.singular.function import singular_function
from sage.matrix.constructor import matrix
from sage.modules.free_module_element import vector
from sage.structure.sage_object import SageObject

from sage_conslaws.fields.vector_fields import PolynomialVectorField

_jet = singular_function("jet")


def truncate(f, degree):
    r"""
    Return the terms of the polynomial ``f`` of degree at most ``degree`` (Singular's ``jet``).

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.fields.jets import truncate
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: truncate(x^3 + x*y + y + 1, 2)
        x*y + y + 1
    """
    return _jet(f, degree)


def homogeneous_parts(f, degree):
    r"""
    Return the list of the homogeneous parts of ``f`` of degrees `0, \ldots,` ``degree``.

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.fields.jets import homogeneous_parts
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: homogeneous_parts(x^3 + x*y + y + 1, 2)
        [1, y, x*y]
    """
    jets = [_jet(f, d) for d in range(degree + 1)]
    return jets[:1] + [jets[d] - jets[d - 1] for d in range(1, degree + 1)]


class TaylorJets(SageObject):
    r"""
    Expansions of polynomial vector fields at a fixed point, truncated in degree.

    INPUT:

    - ``ring`` -- the polynomial ring of the fields (over `\QQ`)
    - ``point`` -- the coordinates of `\theta`, all in one field `K` (`\QQ`
      or a prime field); the expansions have coefficients in `K`

    The expansions live in a polynomial ring over `K` with the same variable
    names, which there stand for the shifted coordinates `x - \theta`.

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.finite_rings.finite_field_constructor import GF
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField
        sage: from sage_conslaws.fields.jets import TaylorJets
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: J = TaylorJets(R, [GF(7)(3), GF(7)(1)])
        sage: X = PolynomialVectorField(R, [x*y, x^2]); Y = PolynomialVectorField(R, [y, 0])
        sage: B = J.bracket(J.expand(X, 2), J.expand(Y, 2), 0)
        sage: J.value(B) == X.bracket(Y)([3, 1]).change_ring(GF(7))
        True
    """

    def __init__(self, ring, point):
        point = list(point)
        base = vector(point).base_ring()
        self._ring = ring.change_ring(base)
        self._shift = self._ring.hom([y + t for y, t in zip(self._ring.gens(), point)],
                                     self._ring)

    def ring(self):
        r"""
        Return the ring of the expansions.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.finite_rings.finite_field_constructor import GF
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws.fields.jets import TaylorJets
            sage: TaylorJets(PolynomialRing(QQ, 'x', 1), [GF(5)(1)]).ring()
            Multivariate Polynomial Ring in x over Finite Field of size 5
        """
        return self._ring

    def expand(self, field, order):
        r"""
        Return the expansion of ``field`` at the point, up to degree ``order``.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField
            sage: from sage_conslaws.fields.jets import TaylorJets
            sage: R = PolynomialRing(QQ, 'x', 1); x = R.gen()
            sage: TaylorJets(R, [QQ(1)]).expand(PolynomialVectorField(R, [x^3]), 1)
            (3*x + 1)
        """
        ring = self._ring
        return PolynomialVectorField(ring, {i: _jet(self._shift(ring(c)), order)
                                            for i, c in field._components.items()})

    def bracket(self, X, Y, order):
        r"""
        Return the expansion of `[X, Y]` up to degree ``order``, from expansions of `X`, `Y`.

        The result is exact when ``X`` and ``Y`` are exact up to degree ``order + 1``.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField
            sage: from sage_conslaws.fields.jets import TaylorJets
            sage: R = PolynomialRing(QQ, 'x', 1); x = R.gen()
            sage: J = TaylorJets(R, [QQ(0)])
            sage: X = J.expand(PolynomialVectorField(R, [1]), 2)
            sage: Y = J.expand(PolynomialVectorField(R, [x^2]), 2)
            sage: J.bracket(X, Y, 1)
            (2*x)
        """
        return X.bracket(Y, degree=order)

    def value(self, expansion):
        r"""
        Return the value at the point of the field of which ``expansion`` is the jet.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField
            sage: from sage_conslaws.fields.jets import TaylorJets
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: J = TaylorJets(R, [QQ(2), QQ(3)])
            sage: J.value(J.expand(PolynomialVectorField(R, [x*y, 1]), 0))
            (6, 1)
        """
        return self.values([expansion])[0]

    def values(self, expansions):
        r"""
        Return the matrix of the values at the point, one row per expansion.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField
            sage: from sage_conslaws.fields.jets import TaylorJets
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: J = TaylorJets(R, [QQ(2), QQ(3)])
            sage: J.values([J.expand(PolynomialVectorField(R, [x, y]), 0)])
            [2 3]
        """
        entries = {(row, i): c.constant_coefficient()
                   for row, E in enumerate(expansions) for i, c in E._components.items()}
        return matrix(self._ring.base_ring(), len(expansions), self._ring.ngens(), entries,
                      sparse=False)

    def jacobian(self, expansion):
        r"""
        Return the Jacobian matrix at the point, read off the linear terms.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField
            sage: from sage_conslaws.fields.jets import TaylorJets
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: J = TaylorJets(R, [QQ(2), QQ(3)])
            sage: J.jacobian(J.expand(PolynomialVectorField(R, [x*y, y^2]), 1))
            [3 2]
            [0 6]
        """
        entries = {}
        for i, c in expansion._components.items():
            for exponent, coefficient in _jet(c, 1).dict().items():
                positions = exponent.nonzero_positions()
                if positions:
                    entries[i, positions[0]] = coefficient
        D = self._ring.ngens()
        return matrix(self._ring.base_ring(), D, D, entries, sparse=False)
