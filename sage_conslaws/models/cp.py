r"""
Order-3 CP tensor factorizations

The model `T = \sum_{r < R} a_r \otimes b_r \otimes c_r`, `a_r \in \RR^{n_1}`,
`b_r \in \RR^{n_2}`, `c_r \in \RR^{n_3}`: `\phi_{ijk} = \sum_r a_{ir} b_{jr}
c_{kr}`. Each rank-one term is invariant under `(a_r, b_r, c_r) \mapsto
(\lambda a_r, \mu b_r, c_r / (\lambda\mu))`; the Noether laws of these
rescalings are the `2R` laws `\|a_r\|^2 - \|b_r\|^2` and `\|b_r\|^2 -
\|c_r\|^2`.

When the factorization is generically identifiable up to these rescalings
(small `R`, e.g. `R \le \min(n_1, n_2, n_3)`, by Kruskal's theorem), the
Jacobian of `\phi` has rank `D - 2R`, so `\dim \mathrm{Lie}(W) \ge D - 2R`
and the `2R` laws are all of them.

The class uses only the public base class, as a model written in a Sage
script would (see :doc:`/howto_architecture`).

EXAMPLES::

    sage: from sage_conslaws.models.cp import CPDecomposition
    sage: T = CPDecomposition(3, 3, 2, 2); T
    CPDecomposition(3, 3, 2, rank=2) with 16 parameters
    sage: r = T.conservation_laws(); r.number_of_laws(), r.is_certified()
    (4, True)
"""
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws.limits import check_known_laws, check_parameters, check_reparametrization
from sage_conslaws.models.base import Model
from sage_conslaws.models.widths import check_sizes


class CPDecomposition(Model):
    r"""
    The order-3 tensor `\sum_{r < R} a_r \otimes b_r \otimes c_r` of CP rank at most `R`.

    The parameters are ``a_i_r``, then ``b_j_r``, then ``c_k_r``.

    INPUT:

    - ``n1``, ``n2``, ``n3`` -- positive integers: the sizes of the tensor
    - ``rank`` -- a positive integer: the number `R` of rank-one terms

    EXAMPLES::

        sage: from sage_conslaws.models.cp import CPDecomposition
        sage: CPDecomposition(1, 1, 2, 1).reparametrization()
        [a_0_0*b_0_0*c_0_0, a_0_0*b_0_0*c_1_0]
        sage: CPDecomposition(1, 1, 1, 1).known_laws()
        [('component 0: |a|^2 - |b|^2', a_0_0^2 - b_0_0^2),
         ('component 0: |b|^2 - |c|^2', b_0_0^2 - c_0_0^2)]

    TESTS::

        sage: TestSuite(CPDecomposition(2, 2, 2, 1)).run()
        sage: CPDecomposition(2, 2, 2, 0)
        Traceback (most recent call last):
        ...
        ValueError: the sizes n1, n2, n3 and the rank of a CP decomposition must be positive integers, got 2, 2, 2, 0
        sage: CPDecomposition(2, 2, "2", 1)
        Traceback (most recent call last):
        ...
        TypeError: the sizes n1, n2, n3 and the rank of a CP decomposition must be integers, got 2, 2, '2', 1
        sage: CPDecomposition(10**4, 10**4, 10**4, 2)
        Traceback (most recent call last):
        ...
        BeyondReach: CPDecomposition(10000, 10000, 10000, rank=2) has 60000 parameters, beyond reach: every parameter is a variable of a Singular polynomial ring (at most 32767 parameters)
    """

    def __init__(self, n1, n2, n3, rank):
        self._sizes = check_sizes("the sizes n1, n2, n3 and the rank of a CP decomposition",
                                  n1, n2, n3, rank)
        *n, R = self._sizes
        check_parameters(self._description(), R * sum(n))
        names = [f"{f}_{i}_{r}" for f, size in zip("abc", n) for i in range(size)
                 for r in range(R)]
        Model.__init__(self, PolynomialRing(QQ, names, len(names)))

    def _description(self):
        return "CPDecomposition({}, {}, {}, rank={})".format(*self._sizes)

    def _latex_(self):
        n1, n2, n3, R = self._sizes
        return (rf"\sum_{{r < {R}}} a_r \otimes b_r \otimes c_r \in "
                rf"\mathbf{{R}}^{{{n1} \times {n2} \times {n3}}}")

    def sizes(self):
        r"""
        Return `(n_1, n_2, n_3, R)`.

        EXAMPLES::

            sage: from sage_conslaws.models.cp import CPDecomposition
            sage: CPDecomposition(2, 3, 4, 2).sizes()
            (2, 3, 4, 2)
        """
        return self._sizes

    def factors(self):
        r"""
        Return the factors `a, b, c` as lists of rows: ``a[i][r]`` is `a_{ir}`.

        EXAMPLES::

            sage: from sage_conslaws.models.cp import CPDecomposition
            sage: a, b, c = CPDecomposition(2, 1, 1, 2).factors(); a
            [[a_0_0, a_0_1], [a_1_0, a_1_1]]
        """
        *n, R = self._sizes
        theta, start, factors = self.parameters(), 0, []
        for size in n:
            factors.append([list(theta[start + i * R:start + (i + 1) * R]) for i in range(size)])
            start += size * R
        return factors

    def reparametrization(self):
        r"""
        Return the entries `T_{ijk} = \sum_r a_{ir} b_{jr} c_{kr}`, in the order of `(i, j, k)`.

        EXAMPLES::

            sage: from sage_conslaws.models.cp import CPDecomposition
            sage: CPDecomposition(1, 1, 1, 2).reparametrization()
            [a_0_0*b_0_0*c_0_0 + a_0_1*b_0_1*c_0_1]
        """
        n1, n2, n3, R = self._sizes
        check_reparametrization(self._description(), n1 * n2 * n3 * R, 3, n1 * n2 * n3,
                                self.dimension())
        a, b, c = self.factors()
        return [sum(a[i][r] * b[j][r] * c[k][r] for r in range(R))
                for i in range(n1) for j in range(n2) for k in range(n3)]

    def known_laws(self):
        r"""
        Return, for each rank-one term, `\|a_r\|^2 - \|b_r\|^2` and `\|b_r\|^2 - \|c_r\|^2`.

        EXAMPLES::

            sage: from sage_conslaws.models.cp import CPDecomposition
            sage: len(CPDecomposition(2, 2, 2, 3).known_laws())
            6
        """
        *n, R = self._sizes
        check_known_laws(self._description(), 2 * R * sum(n), self.dimension())
        norms = [[sum(row[r]**2 for row in f) for r in range(R)] for f in self.factors()]
        laws = []
        for r in range(R):
            laws.append((f"component {r}: |a|^2 - |b|^2", norms[0][r] - norms[1][r]))
            laws.append((f"component {r}: |b|^2 - |c|^2", norms[1][r] - norms[2][r]))
        return laws

