r"""
Dual numbers with several nilpotent units, modulo a prime, on numpy arrays

An element of `A_k = GF(p)[\varepsilon_1, \ldots, \varepsilon_k] /
(\varepsilon_1^2, \ldots, \varepsilon_k^2)` with array coefficients is a sum
`\sum_S c_S \varepsilon_S` over the subsets `S` of `\{1, \ldots, k\}`.
Evaluating a polynomial field at `\theta + \varepsilon u` gives its value and
its derivative in the direction `u`; with `k` units, the mixed derivatives
that nested Lie brackets need (forward mode, see
:mod:`sage_conslaws.structured.brackets`). A product sums `3^k` products of
coefficients, in at most `2^k` vectorized calls.

EXAMPLES::

    sage: import numpy
    sage: from sage_conslaws.structured.dual import Dual
    sage: x = Dual.constant(numpy.array([3]), 7).with_unit(numpy.array([1]))
    sage: (x * x * x).coefficients()      # x^3 at 3 + e: 27 + 27 e, modulo 7
    [array([6]), array([6])]
"""
import numpy


#: Below this many pairs of non-zero coefficients, a product calls its map once per
#: pair: stacking them costs more (measured on the closure of the momentum flow of
#: ``linear 10,20,20,10``, 5 bracket depths: 2.2 s pair by pair, 3.3 s stacked).
_FEW_PAIRS = 256


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

    def bilinear(self, other, multiply, reduced=True):
        r"""
        Return the product of ``self`` and ``other`` for the bilinear map ``multiply`` of coefficients.

        ``multiply(x, y)`` must return the residues of the map on two
        coefficient arrays (with ``reduced=False``: non-negative integers below
        `p^2`, reduced here), and broadcast over leading axes: one of its
        arguments comes as a stack of coefficients. The coefficient of
        `\varepsilon_S` of the result sums it over the splittings of `S`.

        EXAMPLES::

            sage: import numpy
            sage: from sage_conslaws.structured.dual import Dual
            sage: x = Dual.constant(numpy.array([1, 2]), 7).with_unit(numpy.array([1, 0]))
            sage: dot = lambda a, b: (a * b).sum(axis=-1) % 7
            sage: [int(c) for c in x.bilinear(x, dot).coefficients()]    # (5 + e) * 2
            [5, 2]

        TESTS:

        Every splitting is summed once, with units on either side: by hand,
        `(1 + e_1 + 2 e_3)^2 + (2 + e_2 + 2 e_3)^2 = 5 + 2 e_1 + 4 e_2 + 12 e_3
        + 4 e_1 e_3 + 4 e_2 e_3` (`e_1 e_2` is a sum of products that vanish,
        and no splitting of `e_1 e_2 e_3` has two non-zero factors)::

            sage: y = x.with_unit(numpy.array([0, 1])).with_unit(numpy.array([2, 2]))
            sage: z = y.bilinear(y, dot).coefficients()
            sage: [None if c is None else int(c) for c in z]
            [5, 2, 4, 0, 5, 4, 4, None]
        """
        a, b = self._aligned(other)
        n = len(a._c)
        left = [T for T, x in enumerate(a._c) if x is not None]
        right = [U for U, y in enumerate(b._c) if y is not None]
        few = len(left) * len(right) <= _FEW_PAIRS
        # pair by pair, each term is reduced; stacked, the sums would overflow int64 past
        # 2^63 / p^2 terms
        if not reduced and (few or n * self._p**2 >= 2**63):
            multiply = lambda x, y, raw=multiply: raw(x, y) % self._p
        if few:
            return self._pairwise(a, b, left, right, multiply)
        # one call of multiply per coefficient of the shorter side, against a stack of the
        # disjoint coefficients of the other: at most 2^k calls, not 3^k. (Measured on the
        # closure of linear 4,20,20,3, 11 bracket depths: 45 s with one call per pair, 23 s.)
        if len(left) <= len(right):
            loop, stacks = [(T, a._c[T]) for T in left], _stacks(b._c, right)
            product = lambda x, ys: multiply(x[None], ys)
        else:
            loop, stacks = [(U, b._c[U]) for U in right], _stacks(a._c, left)
            product = lambda y, xs: multiply(xs, y[None])
        total, written = None, numpy.zeros(n, dtype=bool)
        for T, x in loop:
            for indices, stack in stacks:
                disjoint = (indices & T) == 0
                if not disjoint.any():
                    continue
                terms = product(x, stack[disjoint])
                total = _accumulate(total, n, T | indices[disjoint], terms)
                written[T | indices[disjoint]] = True
        if total is None:
            return Dual([None] * n, self._p)
        total %= self._p
        return Dual([total[S] if written[S] else None for S in range(n)], self._p)

    def _pairwise(self, a, b, left, right, multiply):
        r"""
        Return the product of ``a`` and ``b`` by one call of ``multiply`` per disjoint pair.
        """
        result = [None] * len(a._c)
        for T in left:
            for U in right:
                if T & U:
                    continue
                term = multiply(a._c[T], b._c[U])
                S = T | U
                result[S] = term if result[S] is None else (result[S] + term) % self._p
        return Dual(result, self._p)

    def __mul__(self, other):
        r"""
        Return the product, entrywise on the coefficients (numpy broadcasting).
        """
        # reduced once after the sums: the reductions were a third of the products' time
        return self.bilinear(other, lambda x, y: x * y, reduced=False)

    def map(self, function):
        r"""
        Return the element whose coefficients are ``function`` of those of ``self``.

        For linear maps only (reshaping, slicing, transposing, scattering).
        """
        return Dual([None if x is None else function(x) for x in self._c], self._p)


def _stacks(coefficients, indices):
    r"""
    Return the non-zero ``coefficients`` at ``indices`` as pairs (index array, stacked array), one per shape.
    """
    groups = {}
    for S in indices:
        groups.setdefault(coefficients[S].shape, []).append(S)
    return [(numpy.array(group), numpy.stack([coefficients[S] for S in group]))
            for group in groups.values()]


def _accumulate(total, n, positions, terms):
    r"""
    Return ``total`` (shape ``(n,) + shape``, or ``None``) with ``terms`` added at ``positions`` (distinct).

    The shape grows to broadcast the terms': a coefficient shared by the batch
    meets one per batch element.
    """
    shape = terms.shape[1:]
    if total is None:
        total = numpy.zeros((n,) + shape, dtype=numpy.int64)
    elif (grown := numpy.broadcast_shapes(total.shape[1:], shape)) != total.shape[1:]:
        total = numpy.broadcast_to(total, (n,) + grown).copy()
    total[positions] += terms
    return total


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
        present = [(index, value.coefficients()[k]) for index, value in parts
                   if value.coefficients()[k] is not None]
        if not present:  # a zero coefficient stays None: no array of batch x D zeros
            coefficients.append(None)
            continue
        full = numpy.zeros((batch, dimension), dtype=numpy.int64)
        for index, c in present:
            full[:, index.reshape(-1)] = numpy.broadcast_to(
                c, (batch,) + index.shape).reshape(batch, -1)
        coefficients.append(full)
    return Dual(coefficients, prime)
