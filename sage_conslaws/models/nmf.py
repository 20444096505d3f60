r"""
Non-negative matrix factorization

The model `\phi = UV` with `U` of size `n_1 \times r` and `V` of size
`r \times n_3`, both non-negative. It trains with the entropic mirror flow
`\dot\theta = -\mathrm{diag}(\theta)\nabla E(\theta)` (its default metric, see
:mod:`sage_conslaws.fields.metrics`), whose known conservation laws are the `r`
differences of sums `\sum_i U_{ik} - \sum_j V_{kj}`. Under the Euclidean metric
it is a two-layer linear network, with the laws `U^T U - V V^T`.

EXAMPLES::

    sage: from sage_conslaws import NMF
    sage: from sage_conslaws.dynamics import gradient_flow_count
    sage: M = NMF(2, 2, 2); M
    NMF(2, 2, 2) with 8 parameters
    sage: gradient_flow_count(M).number_of_laws()
    2
"""
from sage.matrix.constructor import matrix

from sage_conslaws.limits import check_known_laws, check_parameters, check_reparametrization
from sage_conslaws.models.base import Model, symmetric_entries
from sage_conslaws.models.rings import parameter_ring
from sage_conslaws.models.widths import check_widths


class NMF(Model):
    r"""
    Non-negative matrix factorization `\phi = UV`, `U \in \RR_+^{n_1 \times r}`, `V \in \RR_+^{r \times n_3}`.

    The parameters are ``U_i_k`` (row `i`, column `k` of `U`), then ``V_k_j``.

    INPUT:

    - ``n1``, ``r``, ``n3`` -- positive integers: the sizes

    EXAMPLES::

        sage: from sage_conslaws import NMF
        sage: M = NMF(1, 2, 1)
        sage: U, V = M.factors(); U, V.transpose()
        ([U_0_0 U_0_1], [V_0_0 V_1_0])
        sage: M.reparametrization()
        [U_0_0*V_0_0 + U_0_1*V_1_0]
        sage: M.default_metric()
        'entropic'

    TESTS::

        sage: NMF(2, 0, 3)
        Traceback (most recent call last):
        ...
        ValueError: NMF sizes n1, r, n3 must be positive integers, got [2, 0, 3]
        sage: NMF(100000, 1000, 100000)
        Traceback (most recent call last):
        ...
        BeyondReach: NMF(100000, 1000, 100000) has 200000000 parameters, beyond reach: every parameter is a variable of a Singular polynomial ring (at most 32767 parameters)
    """

    def __init__(self, n1, r, n3):
        try:
            self._sizes = check_widths([n1, r, n3])
        except ValueError:
            raise ValueError(f"NMF sizes n1, r, n3 must be positive integers, "
                             f"got {[n1, r, n3]}") from None
        n1, r, n3 = self._sizes
        check_parameters(self._description(), n1 * r + r * n3)
        names = ([f"U_{i}_{k}" for i in range(n1) for k in range(r)]
                 + [f"V_{k}_{j}" for k in range(r) for j in range(n3)])
        Model.__init__(self, parameter_ring(names))

    def sizes(self):
        r"""
        Return the sizes `(n_1, r, n_3)`.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: NMF(3, 2, 4).sizes()
            (3, 2, 4)
        """
        return tuple(self._sizes)

    def factors(self):
        r"""
        Return the matrices `U` and `V`.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: U, V = NMF(2, 1, 1).factors(); U
            [U_0_0]
            [U_1_0]
        """
        gens = self.parameters()
        return tuple(matrix(self.ring(), [[gens[k] for k in row] for row in rows])
                     for rows in self.factor_indices())

    def linear_factors(self):
        r"""
        Return `[V, U]`: `\phi = UV` is a product of two matrices.

        See :meth:`~sage_conslaws.models.base.Model.linear_factors`.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: NMF(1, 1, 1).linear_factors()
            [[V_0_0], [U_0_0]]
        """
        U, V = self.factors()
        return [V, U]

    def factor_indices(self):
        r"""
        Return the positions of the entries of `U` and of `V` among the parameters, row by row.

        This is what a float64 training needs (see
        :mod:`sage_conslaws.training.network`).

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: NMF(2, 1, 3).factor_indices()
            (((0,), (1,)), ((2, 3, 4),))
        """
        n1, r, n3 = self._sizes
        return (tuple(tuple(i * r + k for k in range(r)) for i in range(n1)),
                tuple(tuple(n1 * r + k * n3 + j for j in range(n3)) for k in range(r)))

    def float_network(self, data=None):
        r"""
        Return the float64 factorization `X \approx UV` of a slice of ``data``.

        See :class:`~sage_conslaws.training.network.MatrixFactorization`.

        INPUT:

        - ``data`` -- (default: ``"digits"``) a data set name or a
          :class:`~sage_conslaws.training.datasets.Dataset`

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: NMF(6, 2, 4).float_network()
            NMF X ~ U V of a 6 x 4 slice of digits
        """
        from sage_conslaws.training.network import MatrixFactorization
        return MatrixFactorization.on_dataset(self, data)

    def check_within_reach(self):
        r"""
        Raise a clear error if `UV` is too large for the exact engine.

        It has `n_1 n_3` entries and `n_1 r n_3` terms of degree 2; see
        :func:`~sage_conslaws.limits.check_reparametrization`.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: NMF(30, 15, 30).check_within_reach()
            sage: NMF(100, 100, 100).check_within_reach()
            Traceback (most recent call last):
            ...
            BeyondReach: NMF(100, 100, 100): phi has up to 1000000 terms of degree 2 in 20000 variables; with its gradient it takes about 240600 MB, beyond reach: Singular stores all exponents of every term (at most 2000 MB)
        """
        n1, r, n3 = self._sizes
        check_reparametrization(self._description(), n1 * r * n3, 2, n1 * n3, self.dimension())

    def reparametrization(self):
        r"""
        Return the entries of `UV`.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: NMF(1, 1, 2).reparametrization()
            [U_0_0*V_0_0, U_0_0*V_0_1]
        """
        self.check_within_reach()
        U, V = self.factors()
        return (U * V).list()

    def default_metric(self):
        r"""
        Return ``"entropic"``: NMF trains with the entropic mirror flow.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: NMF(1, 1, 1).default_metric()
            'entropic'
        """
        return "entropic"

    def known_laws(self):
        r"""
        Return the Euclidean laws: the entries on and above the diagonal of `U^T U - V V^T`.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: NMF(1, 1, 1).known_laws()
            [('U^T U - V V^T [0,0]', U_0_0^2 - V_0_0^2)]
        """
        n1, r, n3 = self._sizes
        # the products U^T U and V V^T, and their difference: r^2 entries each
        check_known_laws(self._description(), 2 * r * r * (n1 + n3), self.dimension())
        U, V = self.factors()
        B = U.transpose() * U - V * V.transpose()
        return symmetric_entries("U^T U - V V^T", B)

    def known_laws_under(self, metric):
        r"""
        Return the known laws under ``metric``.

        Under ``"entropic"``, one law per column `k` of `U`:
        `\sum_i U_{ik} - \sum_j V_{kj}`; under ``"euclidean"``, :meth:`known_laws`.

        INPUT:

        - ``metric`` -- ``"euclidean"`` or ``"entropic"``

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: NMF(2, 1, 1).known_laws_under("entropic")
            [('sum U[:,0] - sum V[0,:]', U_0_0 + U_1_0 - V_0_0)]
        """
        if metric != "entropic":
            return Model.known_laws_under(self, metric)
        check_known_laws(self._description(), self.dimension(), self.dimension())
        U, V = self.factors()
        return [(f"sum U[:,{k}] - sum V[{k},:]", sum(U.column(k)) - sum(V.row(k)))
                for k in range(self._sizes[1])]

    def _description(self):
        return f"NMF({', '.join(map(str, self._sizes))})"

