r"""
Random evaluation points modulo a prime

Generic ranks of polynomial matrices are read at a random point. Doing so
modulo a prime `p` is fast (dense linear algebra over `\GF{p}` is LinBox's)
and stays *exact in one direction*: the fields have integer coefficients, so
the rank of their values modulo `p` at an integer point never exceeds their
rank over `\QQ` at that point, which never exceeds their generic rank. A rank
found modulo `p` is therefore a proven lower bound; only equality with the
generic rank is probabilistic (Schwartz--Zippel).

This needs the fields to be defined modulo `p`: :func:`usable_prime` moves to
a smaller prime when `p` divides a numerator or a denominator of a
coefficient, and says so. Streams of random numbers used for different
purposes (the point of a closure, the points that verify it, the point of a
retry) are seeded by :func:`derived_seed`, so that they are independent.

EXAMPLES::

    sage: from sage_conslaws.fields.evaluation import ModularPoint
    sage: P = ModularPoint(3, seed=1); P
    random point of GF(8388593)^3 (seed 1)
    sage: len(P.coordinates())
    3
"""
import hashlib
import random

from sage.arith.misc import previous_prime
from sage.matrix.constructor import matrix
from sage.rings.finite_rings.finite_field_constructor import GF
from sage.structure.sage_object import SageObject

from sage_conslaws.limits import check_dense

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
        sage: from sage_conslaws.fields.evaluation import ModularPoint
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

            sage: from sage_conslaws.fields.evaluation import ModularPoint
            sage: ModularPoint(2).prime()
            8388593
        """
        return self._prime

    def seed(self):
        r"""
        Return the seed of the coordinates.

        EXAMPLES::

            sage: from sage_conslaws.fields.evaluation import ModularPoint
            sage: ModularPoint(2, seed=3).seed()
            3
        """
        return self._seed

    def base_field(self):
        r"""
        Return `\GF{p}`.

        EXAMPLES::

            sage: from sage_conslaws.fields.evaluation import ModularPoint
            sage: ModularPoint(2, prime=7).base_field()
            Finite Field of size 7
        """
        return self._field

    def coordinates(self):
        r"""
        Return the coordinates of the point, as elements of `\GF{p}`.

        EXAMPLES::

            sage: from sage_conslaws.fields.evaluation import ModularPoint
            sage: ModularPoint(2, seed=3, prime=7).coordinates()
            [1, 4]
        """
        return list(self._coordinates)

    def integer_coordinates(self):
        r"""
        Return the coordinates as integers in `[0, p)`: the explicit point.

        EXAMPLES::

            sage: from sage_conslaws.fields.evaluation import ModularPoint
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
            sage: from sage_conslaws.fields.evaluation import ModularPoint
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: P = ModularPoint(2, seed=3, prime=7)
            sage: P.values([PolynomialVectorField(R, [x, y]), PolynomialVectorField(R, [1, x*y])])
            [1 4]
            [1 4]

        TESTS:

        The dense matrix is bounded (:func:`~sage_conslaws.limits.check_dense`)::

            sage: ModularPoint(10**5).values([PolynomialVectorField(R, [x, y])] * 2000)
            Traceback (most recent call last):
            ...
            BeyondReach: the values of 2000 fields at a point: a dense 2000 x 100000 matrix with 200000000 entries, beyond reach: a dense matrix over GF(p) takes 8 bytes an entry, and its rank minutes beyond the limit (at most 100000000 entries)
        """
        fields = list(fields)
        entries = self.value_entries(fields)
        return matrix(self._field, len(fields), len(self._coordinates), entries, sparse=False)

    def value_entries(self, fields):
        r"""
        Return the non-zero entries of :meth:`values` as a dictionary
        ``{(row, i): value}`` of integers in `[0, p)`, the size of the dense
        matrix checked first (:func:`~sage_conslaws.limits.check_dense`).

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField
            sage: from sage_conslaws.fields.evaluation import ModularPoint
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: ModularPoint(2, seed=3, prime=7).value_entries([PolynomialVectorField(R, [x*y, 0])])
            {(0, 0): 4}
        """
        fields = list(fields)
        check_dense(len(fields), len(self._coordinates),
                    f"the values of {len(fields)} fields at a point")
        point = self.integer_coordinates()
        return {(row, i): evaluate_modulo(c, point, self._prime)
                for row, field in enumerate(fields) for i, c in field._components.items()}

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
        sage: from sage_conslaws.fields.evaluation import evaluate_modulo
        sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
        sage: f = x^2*z/3 + 5*y - 1
        sage: evaluate_modulo(f, [2, 3, 6], 101) == GF(101)(f([2, 3, 6]))
        True

    TESTS::

        sage: evaluate_modulo(x/101, [1, 0, 0], 101)
        Traceback (most recent call last):
        ...
        ZeroDivisionError: the prime 101 divides a denominator of 1/101*x; choose the prime with usable_prime
    """
    total = 0
    for exponent, coefficient in f.dict().items():
        term = int(coefficient.numerator())
        denominator = int(coefficient.denominator())
        if denominator % prime == 0:
            raise ZeroDivisionError(f"the prime {prime} divides a denominator of {f}; "
                                    "choose the prime with usable_prime")
        if denominator != 1:
            term *= pow(denominator, -1, prime)
        for i, e in exponent.sparse_iter():
            term = term * pow(point[i], e, prime) % prime
        total += term
    return total % prime


def usable_prime(fields, prime=DEFAULT_PRIME):
    r"""
    Return the largest prime `q \le` ``prime`` that divides no numerator and
    no denominator of a coefficient of ``fields``, and notes on the primes skipped.

    Modulo such a prime every field is defined and keeps all its terms. A
    prime dividing a coefficient would, at best, make a term vanish (the rank
    modulo `p` could then stay below the generic rank) and, at worst, leave a
    field undefined. This only avoids the obvious accidents: other
    cancellations modulo `p` are caught by the checks of
    :mod:`sage_conslaws.closure.certificate`, which then retry with another prime.

    INPUT:

    - ``fields`` -- a list of
      :class:`~sage_conslaws.fields.vector_fields.PolynomialVectorField` over `\QQ`
    - ``prime`` -- (default: :data:`DEFAULT_PRIME`) the prime to try first

    OUTPUT: a pair ``(q, notes)``; ``notes`` is empty if ``q`` is ``prime``,
    else a list of one sentence naming the primes skipped

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField
        sage: from sage_conslaws.fields.evaluation import usable_prime
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: usable_prime([PolynomialVectorField(R, [x, 3*y])])
        (8388593, [])
        sage: usable_prime([PolynomialVectorField(R, [x, 8388593*y])])
        (8388587, ['prime 8388593 divides a coefficient of the fields, used 8388587'])
        sage: usable_prime([PolynomialVectorField(R, [x/7, 5*y])], prime=7)
        (3, ['primes 7, 5 divide a coefficient of the fields, used 3'])

    TESTS::

        sage: usable_prime([PolynomialVectorField(R, [x/6, y])], prime=3)
        Traceback (most recent call last):
        ...
        ValueError: every prime up to 3 divides a coefficient of the fields
    """
    integers = set()
    for X in fields:
        for c in X._components.values():
            for q in c.coefficients():
                integers.update((abs(int(q.numerator())), int(q.denominator())))
    integers.discard(1)
    skipped = []
    while any(n % prime == 0 for n in integers):
        skipped.append(prime)
        if prime == 2:
            raise ValueError(f"every prime up to {skipped[0]} divides a coefficient of the fields")
        prime = previous_prime(prime)
    if not skipped:
        return prime, []
    if len(skipped) == 1:
        return prime, [f"prime {skipped[0]} divides a coefficient of the fields, used {prime}"]
    names = ", ".join(str(q) for q in skipped)
    return prime, [f"primes {names} divide a coefficient of the fields, used {prime}"]


def derived_seed(*labels):
    r"""
    Return the seed of the random stream named by ``labels``.

    The seed is the integer formed by the first 8 bytes of the SHA-256 digest
    of the labels joined by ``/``. Streams with different labels (e.g. the
    closure point seeded by ``seed`` and the verification points seeded by
    ``derived_seed("verify", seed)``) are then unrelated: Python's Mersenne
    Twister seeded by unrelated integers. This is the usual modelling
    assumption of randomized algorithms; their probability bounds are stated
    for independent uniform draws.

    EXAMPLES::

        sage: from sage_conslaws.fields.evaluation import derived_seed
        sage: derived_seed("verify", 0)
        12325282628209958798
        sage: derived_seed("verify", 0) == derived_seed("verify", 1)
        False
    """
    digest = hashlib.sha256("/".join(str(label) for label in labels).encode()).digest()
    return int.from_bytes(digest[:8], "big")
