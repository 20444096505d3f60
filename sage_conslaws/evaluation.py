r"""
Random evaluation points modulo a prime

Generic ranks of polynomial matrices are read at a random point. Doing so
modulo a prime `p` is fast (dense linear algebra over `\GF{p}` is LinBox's)
and stays *exact in one direction*: the fields have integer coefficients, so
the rank of their values modulo `p` at an integer point never exceeds their
rank over `\QQ` at that point, which never exceeds their generic rank. A rank
found modulo `p` is therefore a proven lower bound; only equality with the
generic rank is probabilistic (Schwartz--Zippel).

EXAMPLES::

    sage: from sage_conslaws.evaluation import ModularPoint
    sage: P = ModularPoint(3, seed=1); P
    random point of GF(8388593)^3 (seed 1)
    sage: len(P.coordinates())
    3
"""
import random

from sage.matrix.constructor import matrix
from sage.rings.finite_rings.finite_field_constructor import GF
from sage.structure.sage_object import SageObject

#: The largest prime below `2^{23}`: the largest modulus of LinBox's fast
#: dense matrices over `\GF{p}` in Sage.
DEFAULT_PRIME = 8388593


class ModularPoint(SageObject):
    r"""
    A random point of `\GF{p}^D`, with the maps that evaluate fields there.

    INPUT:

    - ``dimension`` -- the number `D` of coordinates
    - ``seed`` -- (default: 0) seed of the random coordinates; the same seed
      gives the same point
    - ``prime`` -- (default: :data:`DEFAULT_PRIME`) the prime `p`

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField
        sage: from sage_conslaws.evaluation import ModularPoint
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: P = ModularPoint(2, seed=5, prime=101)
        sage: X = PolynomialVectorField(R, [x*y, 1])
        sage: P.values([X]) == matrix(GF(101), [X(P.integer_coordinates())])
        True
    """

    def __init__(self, dimension, seed=0, prime=DEFAULT_PRIME):
        self._prime = prime
        self._field = GF(prime)
        self._seed = seed
        rng = random.Random(int(seed))
        self._coordinates = [self._field(rng.randrange(int(prime))) for _ in range(int(dimension))]

    def prime(self):
        r"""
        Return the prime `p`.

        EXAMPLES::

            sage: from sage_conslaws.evaluation import ModularPoint
            sage: ModularPoint(2).prime()
            8388593
        """
        return self._prime

    def base_field(self):
        r"""
        Return `\GF{p}`.

        EXAMPLES::

            sage: from sage_conslaws.evaluation import ModularPoint
            sage: ModularPoint(2, prime=7).base_field()
            Finite Field of size 7
        """
        return self._field

    def coordinates(self):
        r"""
        Return the coordinates of the point, as elements of `\GF{p}`.

        EXAMPLES::

            sage: from sage_conslaws.evaluation import ModularPoint
            sage: ModularPoint(2, seed=3, prime=7).coordinates()
            [1, 4]
        """
        return list(self._coordinates)

    def integer_coordinates(self):
        r"""
        Return the coordinates as integers in `[0, p)`: the explicit point.

        EXAMPLES::

            sage: from sage_conslaws.evaluation import ModularPoint
            sage: ModularPoint(2, seed=3, prime=7).integer_coordinates()
            [1, 4]
        """
        return [int(c) for c in self._coordinates]

    def values(self, fields):
        r"""
        Return the matrix whose rows are the values of ``fields`` at the point.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField
            sage: from sage_conslaws.evaluation import ModularPoint
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: P = ModularPoint(2, seed=3, prime=7)
            sage: P.values([PolynomialVectorField(R, [x, y]), PolynomialVectorField(R, [1, x*y])])
            [1 4]
            [1 4]
        """
        point = self.integer_coordinates()
        entries = {(row, i): evaluate_modulo(c, point, self._prime)
                   for row, field in enumerate(fields) for i, c in field._components.items()}
        return matrix(self._field, len(fields), len(point), entries, sparse=False)

    def _repr_(self):
        return f"random point of GF({self._prime})^{len(self._coordinates)} (seed {self._seed})"


def evaluate_modulo(f, point, prime):
    r"""
    Return the value of the polynomial ``f`` (over `\QQ`) at ``point`` modulo ``prime``.

    Sage's own evaluation converts all `D` coordinates at every call; the
    fields of neural networks have components with a handful of variables
    among hundreds, so evaluating term by term is many times faster.

    INPUT:

    - ``f`` -- a polynomial over `\QQ` whose denominators are prime to ``prime``
    - ``point`` -- a list of Python integers
    - ``prime`` -- a prime number

    OUTPUT: a Python integer in `[0, p)`

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.evaluation import evaluate_modulo
        sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
        sage: f = x^2*z/3 + 5*y - 1
        sage: evaluate_modulo(f, [2, 3, 6], 101) == GF(101)(f([2, 3, 6]))
        True
    """
    total = 0
    for exponent, coefficient in f.dict().items():
        term = int(coefficient.numerator())
        denominator = int(coefficient.denominator())
        if denominator != 1:
            term *= pow(denominator, -1, prime)
        for i, e in exponent.sparse_iter():
            term = term * pow(point[i], e, prime) % prime
        total += term
    return total % prime
