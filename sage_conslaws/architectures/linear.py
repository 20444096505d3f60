r"""
Deep linear networks

The network `x \mapsto W_L \cdots W_1 x` with `W_l` of size `n_l \times
n_{l-1}` is reparametrized by all entries of the product `\phi = W_L \cdots
W_1`. Its known conservation laws are the entries of the symmetric matrices
`W_l W_l^T - W_{l+1}^T W_{l+1}`, one for each hidden layer (balancedness).

EXAMPLES::

    sage: from sage_conslaws import LinearNetwork
    sage: N = LinearNetwork([2, 2, 2]); N
    LinearNetwork([2, 2, 2]) with 8 parameters
    sage: N.conservation_laws().number_of_laws()
    3
"""
from sage.matrix.constructor import matrix
from .base import Model, parameter_ring
from .widths import check_widths, check_within_reach, weight_indices, weight_names


class LinearNetwork(Model):
    r"""
    A deep linear network `x \mapsto W_L \cdots W_1 x`.

    INPUT:

    - ``widths`` -- the layer widths `[n_0, n_1, \ldots, n_L]` from input to
      output (positive integers, at least two)

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: N = LinearNetwork([2, 1, 1])
        sage: N.weight_matrices()
        [[w1_0_0 w1_0_1], [w2_0_0]]
        sage: N.reparametrization()
        [w1_0_0*w2_0_0, w1_0_1*w2_0_0]

    TESTS::

        sage: LinearNetwork([200, 100, 100]).conservation_laws()
        Traceback (most recent call last):
        ...
        ValueError: LinearNetwork([200, 100, 100]) has 2000000 paths, beyond reach (at most 1000000)
        sage: LinearNetwork([3, 0, 2])
        Traceback (most recent call last):
        ...
        ValueError: layer widths must be positive integers, got [3, 0, 2]
    """

    @staticmethod
    def __classcall_private__(cls, widths):
        # one object for equal networks, however the arguments are spelled
        return Model.__classcall__(cls, tuple(check_widths(widths)))

    def __init__(self, widths):
        self._widths = check_widths(widths)
        Model.__init__(self, parameter_ring(weight_names(self._widths)))

    def widths(self):
        r"""
        Return the layer widths from input to output.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([3, 4, 2]).widths()
            [3, 4, 2]
        """
        return list(self._widths)

    def weight_matrices(self):
        r"""
        Return the weight matrices `W_1, \ldots, W_L`, with `W_l` of size `n_l \times n_{l-1}`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 2, 1]).weight_matrices()
            [
            [w1_0_0]                 
            [w1_1_0], [w2_0_0 w2_0_1]
            ]
        """
        gens = iter(self.parameters())
        return [matrix(self.ring(), n_out, n_in, [next(gens) for _ in range(n_out * n_in)])
                for n_in, n_out in zip(self._widths, self._widths[1:])]

    def check_within_reach(self):
        r"""
        Raise a clear error if the product of the matrices has too many terms for the exact engine.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([200, 100, 100]).check_within_reach()
            Traceback (most recent call last):
            ...
            ValueError: LinearNetwork([200, 100, 100]) has 2000000 paths, beyond reach (at most 1000000)
        """
        check_within_reach(f"LinearNetwork({self._widths})", self._widths)

    def reparametrization(self):
        r"""
        Return the entries of `W_L \cdots W_1`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 2, 1]).reparametrization()
            [w1_0_0*w2_0_0 + w1_1_0*w2_0_1]
        """
        self.check_within_reach()
        product = self.weight_matrices()[0]
        for W in self.weight_matrices()[1:]:
            product = W * product
        return product.list()

    def law_matrices(self):
        r"""
        Return the matrices `W_l W_l^T - W_{l+1}^T W_{l+1}` of the hidden layers.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1, 1]).law_matrices()
            [('W1 W1^T - W2^T W2', [w1_0_0^2 - w2_0_0^2]),
             ('W2 W2^T - W3^T W3', [w2_0_0^2 - w3_0_0^2])]
        """
        Ws = self.weight_matrices()
        return [(f"W{l} W{l}^T - W{l + 1}^T W{l + 1}",
                 Ws[l - 1] * Ws[l - 1].transpose() - Ws[l].transpose() * Ws[l])
                for l in range(1, len(Ws))]

    def weight_indices(self):
        r"""
        Return where each weight (and bias) sits among the parameters.

        See :meth:`~sage_conslaws.architectures.base.Model.weight_indices`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1]).weight_indices()
            ({(1, 0, 0): 0, (2, 0, 0): 1}, {})
        """
        return weight_indices(self._widths)

    def known_laws(self):
        r"""
        Return the entries on and above the diagonal of :meth:`law_matrices`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 2, 1]).known_laws()
            [('W1 W1^T - W2^T W2 [0,0]', w1_0_0^2 - w2_0_0^2),
             ('W1 W1^T - W2^T W2 [0,1]', w1_0_0*w1_1_0 - w2_0_0*w2_0_1),
             ('W1 W1^T - W2^T W2 [1,1]', w1_1_0^2 - w2_0_1^2)]
        """
        return [(f"{name} [{i},{j}]", M[i, j]) for name, M in self.law_matrices()
                for i in range(M.nrows()) for j in range(i, M.ncols())]

    def _repr_(self):
        return f"LinearNetwork({self._widths}) with {self.dimension()} parameters"
