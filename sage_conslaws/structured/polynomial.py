r"""
Any family of polynomial vector fields as a structured family: a straight-line program on dual numbers

The fields `X_1, \ldots, X_d` are compiled once into arrays: for every term
of every component, its field, its component, its coefficient modulo `p`
and its variables (with repetitions, padded by a constant `1`). A random
combination `\sum_j c_j X_j` is then evaluated at a point of dual numbers by
a product of gathered coordinates per factor and one sum per component, all
vectorized over the terms and the batch: no Python loop over terms, and
brackets come from :mod:`~sage_conslaws.structured.brackets` without Taylor
expansions of the fields.

EXAMPLES::

    sage: import numpy
    sage: from sage.rings.rational_field import QQ
    sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    sage: from sage_conslaws import PolynomialVectorField
    sage: from sage_conslaws.structured.closure import structured_closure
    sage: from sage_conslaws.structured.polynomial import PolynomialFamily
    sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
    sage: F = PolynomialFamily([PolynomialVectorField(R, [1, 0, 0]),
    ....:                       PolynomialVectorField(R, [0, 1, x])]); F
    structured family of 2 polynomial fields on R^3 (3 terms)
    sage: structured_closure(F).rank()   # [d/dx, d/dy + x d/dz] = d/dz
    3
"""
import numpy

from sage_conslaws.structured.brackets import StructuredFamily
from sage_conslaws.structured.dual import Dual
from sage_conslaws.structured.modular import residue


class PolynomialFamily(StructuredFamily):
    r"""
    Random combinations of polynomial vector fields (over `\QQ`), evaluated term by term on dual numbers.

    INPUT:

    - ``fields`` -- a non-empty list of
      :class:`~sage_conslaws.fields.vector_fields.PolynomialVectorField` on one ring

    The coefficients are reduced modulo the prime of each evaluation; a prime
    dividing a denominator raises ``ZeroDivisionError``.
    """

    def __init__(self, fields):
        self._fields = list(fields)
        self._D = self._fields[0].dimension()
        terms = []
        for j, X in enumerate(self._fields):
            for i, c in X._components.items():
                for exponent, coefficient in c.dict().items():
                    factors = [k for k, e in exponent.sparse_iter() for _ in range(e)]
                    terms.append((i, j, coefficient, factors))
        terms.sort(key=lambda term: term[0])  # by component, for one sum per component
        self._component = numpy.array([t[0] for t in terms], dtype=numpy.int64)
        self._field = numpy.array([t[1] for t in terms], dtype=numpy.int64)
        self._coefficients = [t[2] for t in terms]
        degree = max((len(t[3]) for t in terms), default=0)
        # the index D stands for the constant 1
        self._factors = numpy.full((len(terms), degree), self._D, dtype=numpy.int64)
        for row, t in enumerate(terms):
            self._factors[row, :len(t[3])] = t[3]
        self._components, self._starts = numpy.unique(self._component, return_index=True)
        self._residues = {}

    def dimension(self):
        return self._D

    def number_of_terms(self):
        r"""
        Return the number of terms of all the components of all the fields.
        """
        return len(self._coefficients)

    def work(self):
        r"""
        Return the entries of the arrays of one combination: the terms, or `D` if more.
        """
        return max(self._D, self.number_of_terms())

    def draw(self, rng, batch, prime):
        r"""
        Return ``batch`` random combinations: one coefficient per field.
        """
        return rng.integers(0, prime, (batch, len(self._fields)))

    def evaluate(self, point, combination):
        r"""
        Return the values of the combinations at ``point``.
        """
        prime, batch = point.prime(), len(combination)
        # the constant 1 at index D: its value is 1, its derivatives 0
        extended = Dual([None if c is None else numpy.concatenate(
            [c, numpy.full(c.shape[:-1] + (1,), 1 if k == 0 else 0, dtype=numpy.int64)], axis=-1)
            for k, c in enumerate(point.coefficients())], prime)
        product = None
        for f in range(self._factors.shape[1]):
            factor = extended.map(lambda c, f=f: c[..., self._factors[:, f]])
            product = factor if product is None else product * factor
        weights = (combination[:, self._field] * self._coefficients_modulo(prime)) % prime
        if product is None:  # constant fields
            product = Dual.constant(numpy.ones((1, self.number_of_terms()), dtype=numpy.int64), prime)
        terms = product * weights
        D = self._D

        def by_component(c):
            full = numpy.zeros((batch, D), dtype=numpy.int64)
            if len(self._starts):
                sums = numpy.add.reduceat(numpy.broadcast_to(c, (batch, c.shape[-1])),
                                          self._starts, axis=-1)
                full[:, self._components] = sums % prime
            return full
        return terms.map(by_component)

    def _coefficients_modulo(self, prime):
        if prime not in self._residues:
            self._residues[prime] = numpy.array([residue(c, prime) for c in self._coefficients],
                                                dtype=numpy.int64)
        return self._residues[prime]

    def _repr_(self):
        return (f"structured family of {len(self._fields)} polynomial fields on R^{self._D} "
                f"({self.number_of_terms()} terms)")

    __repr__ = _repr_
