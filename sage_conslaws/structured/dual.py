r"""
Dual numbers with several nilpotent units, modulo a prime, on numpy arrays

An element of `A_k = GF(p)[\varepsilon_1, \ldots, \varepsilon_k] /
(\varepsilon_1^2, \ldots, \varepsilon_k^2)` with array coefficients is a sum
`\sum_S c_S \varepsilon_S` over the subsets `S` of `\{1, \ldots, k\}`.
Evaluating a polynomial field at `\theta + \varepsilon u` gives its value and
its derivative in the direction `u`; with `k` units, the mixed derivatives
that nested Lie brackets need (forward mode, see
:mod:`sage_conslaws.structured.brackets`). A product costs `3^k` products of
coefficients.

EXAMPLES::

    sage: import numpy
    sage: from sage_conslaws.structured.dual import Dual
    sage: x = Dual.constant(numpy.array([3]), 7).with_unit(numpy.array([1]))
    sage: (x * x * x).coefficients()      # x^3 at 3 + e: 27 + 27 e, modulo 7
    [array([6]), array([6])]
"""
import numpy



class Dual:
    r"""
    An element of `A_k` whose coefficients are int64 arrays of residues modulo ``prime``.

    INPUT:

    - ``coefficients`` -- a list of `2^k` arrays of one shape (or shapes that
      broadcast); the coefficient of `\varepsilon_S` sits at the position
      whose binary digits are `S`
    - ``prime`` -- the prime

    EXAMPLES::

        sage: import numpy
        sage: from sage_conslaws.structured.dual import Dual
        sage: x = Dual([numpy.array([2]), numpy.array([1])], 11)   # 2 + e
        sage: y = x.with_unit(numpy.array([1]))                     # 2 + e1 + e2
        sage: (y * y).coefficients()                                # 4 + 4 e1 + 4 e2 + 2 e1 e2
        [array([4]), array([4]), array([4]), array([2])]
    """

    __slots__ = ("_c", "_p")

    def __init__(self, coefficients, prime):
        # a zero coefficient is None: lifted elements and constants skip their products
        self._c = list(coefficients)
        self._p = prime

    @classmethod
    def constant(cls, array, prime):
        r"""
        Return ``array`` as an element of `A_0`.
        """
        return cls([numpy.asarray(array, dtype=numpy.int64) % prime], prime)

    def prime(self):
        r"""
        Return the prime.
        """
        return self._p

    def coefficients(self):
        r"""
        Return the list of the coefficients, by subset of units (``None`` for zero).
        """
        return list(self._c)

    def units(self):
        r"""
        Return the number `k` of nilpotent units.

        EXAMPLES::

            sage: import numpy
            sage: from sage_conslaws.structured.dual import Dual
            sage: Dual.constant(numpy.zeros(2), 5).with_unit(numpy.ones(2)).units()
            1
        """
        return len(self._c).bit_length() - 1

    def value(self):
        r"""
        Return the coefficient of `1`.
        """
        return self._c[0]

    def top(self):
        r"""
        Return the coefficient of the last unit, as an element with one unit less.

        EXAMPLES::

            sage: import numpy
            sage: from sage_conslaws.structured.dual import Dual
            sage: x = Dual.constant(numpy.array([2]), 7).with_unit(numpy.array([1]))
            sage: x = x.with_unit(numpy.array([3]))   # 2 + e1 + 3 e2
            sage: (x * x).top().coefficients()        # d/de2 of x^2 = 6 (2 + e1), modulo 7
            [array([5]), array([6])]
        """
        half = len(self._c) // 2
        return Dual(self._c[half:], self._p)

    def bottom(self):
        r"""
        Return the part free of the last unit, as an element with one unit less.
        """
        return Dual(self._c[:len(self._c) // 2], self._p)

    def with_unit(self, direction):
        r"""
        Return ``self + e direction`` in `A_{k+1}`, ``e`` a new unit.

        ``direction`` is an array or an element of `A_k`.
        """
        if isinstance(direction, Dual):
            other = direction.lift(self.units())._c
        else:
            other = ([numpy.asarray(direction, dtype=numpy.int64) % self._p]
                     + [None] * (len(self._c) - 1))
        return Dual(self._c + other, self._p)

    def lift(self, units):
        r"""
        Return ``self`` in `A_{units}` (the new coefficients are zero).
        """
        return Dual(self._c + [None] * ((1 << units) - len(self._c)), self._p)

    def _aligned(self, other):
        if not isinstance(other, Dual):
            return self, Dual.constant(other, self._p).lift(self.units())
        k = max(self.units(), other.units())
        return self.lift(k), other.lift(k)

    def _combine(self, other, sign):
        a, b = self._aligned(other)
        result = []
        for x, y in zip(a._c, b._c):
            if y is None:
                result.append(x)
            elif x is None:
                result.append((sign * y) % self._p)
            else:
                result.append((x + sign * y) % self._p)
        return Dual(result, self._p)

    def __add__(self, other):
        return self._combine(other, 1)

    def __sub__(self, other):
        return self._combine(other, -1)

    def __neg__(self):
        return Dual([None if x is None else (-x) % self._p for x in self._c], self._p)

    def bilinear(self, other, multiply):
        r"""
        Return the product of ``self`` and ``other`` for the bilinear map ``multiply`` of coefficients.

        ``multiply(x, y)`` must return the residues of the map on two
        coefficient arrays; the coefficient of `\varepsilon_S` of the result
        sums it over the splittings of `S`.

        EXAMPLES::

            sage: import numpy
            sage: from sage_conslaws.structured.dual import Dual
            sage: x = Dual.constant(numpy.array([1, 2]), 7).with_unit(numpy.array([1, 0]))
            sage: [int(c) for c in x.bilinear(x, lambda a, b: numpy.dot(a, b) % 7).coefficients()]
            [5, 2]
        """
        a, b = self._aligned(other)
        n = len(a._c)
        left = [(T, x) for T, x in enumerate(a._c) if x is not None]
        right = [(U, y) for U, y in enumerate(b._c) if y is not None]
        result = [None] * n
        # the disjoint pairs of non-zero coefficients, or the splittings of each subset
        # (3^k of them), whichever is fewer: a linear layer at a point with k directions
        # has k + 1 non-zero coefficients of its 2^k
        if len(left) * len(right) <= 3**a.units():
            pairs = ((T, x, U, y) for T, x in left for U, y in right if not T & U)
        else:
            pairs = ((T, a._c[T], S ^ T, b._c[S ^ T]) for S in range(n) for T in _subsets(S)
                     if a._c[T] is not None and b._c[S ^ T] is not None)
        for T, x, U, y in pairs:
            term = multiply(x, y)
            S = T | U
            result[S] = term if result[S] is None else (result[S] + term) % self._p
        return Dual(result, self._p)

    def __mul__(self, other):
        r"""
        Return the product, entrywise on the coefficients (numpy broadcasting).
        """
        return self.bilinear(other, lambda x, y: (x * y) % self._p)

    def map(self, function):
        r"""
        Return the element whose coefficients are ``function`` of those of ``self``.

        For linear maps only (reshaping, slicing, transposing, scattering).
        """
        return Dual([None if x is None else function(x) for x in self._c], self._p)


def _subsets(S):
    r"""
    Yield the subsets of the bit set ``S``.
    """
    T = S
    while True:
        yield T
        if T == 0:
            return
        T = (T - 1) & S


def scatter(parts, batch, dimension, prime, units):
    r"""
    Return the element of shape ``(batch, dimension)`` made of ``parts``: pairs of an index array and a :class:`Dual` placed there.

    Each value broadcasts to ``(batch,) + index.shape``; positions no part
    names are zero.

    EXAMPLES::

        sage: import numpy
        sage: from sage_conslaws.structured.dual import Dual, scatter
        sage: x = Dual.constant(numpy.array([[1, 2]]), 7).with_unit(numpy.array([[3, 4]]))
        sage: y = scatter([(numpy.array([2, 0]), x)], 1, 3, 7, 1)
        sage: [c.tolist() for c in y.coefficients()]
        [[[2, 0, 1]], [[4, 0, 3]]]
    """
    parts = [(index, value.lift(units)) for index, value in parts]
    coefficients = []
    for k in range(1 << units):
        full = numpy.zeros((batch, dimension), dtype=numpy.int64)
        for index, value in parts:
            c = value.coefficients()[k]
            if c is None:
                continue
            full[:, index.reshape(-1)] = numpy.broadcast_to(
                c, (batch,) + index.shape).reshape(batch, -1)
        coefficients.append(full)
    return Dual(coefficients, prime)
