r"""
Deep linear networks

The network `x \mapsto W_L \cdots W_1 x` with `W_l` of size `n_l \times
n_{l-1}` is reparametrized by all entries of the product `\phi = W_L \cdots
W_1`. Its known conservation laws are the entries of the symmetric matrices
`W_l W_l^T - W_{l+1}^T W_{l+1}`, one for each hidden layer (balancedness).

It is the :class:`~sage_conslaws.models.layered.LayeredNetwork` whose
hidden layers are all linear, without biases: its structure, `\phi`, laws,
symmetries and float64 training all come from there.

EXAMPLES::

    sage: from sage_conslaws import LinearNetwork
    sage: N = LinearNetwork([2, 2, 2]); N
    LinearNetwork([2, 2, 2]) with 8 parameters
    sage: N.conservation_laws().number_of_laws()
    3
"""
from sage_conslaws.models.base import Model
from sage_conslaws.models.layered import LayeredNetwork
from sage_conslaws.models.widths import check_widths


class LinearNetwork(LayeredNetwork):
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
        BeyondReach: the values of 24952 brackets on R^30000 have 748560000 entries, beyond reach: the structured path holds them as a dense matrix over GF(p), 8 bytes an entry, about four times (at most 250000000 entries)
        sage: LinearNetwork([100000, 100000])
        Traceback (most recent call last):
        ...
        BeyondReach: LinearNetwork([100000, 100000]) has 10000000000 parameters, beyond reach: the positions of the parameters are held in memory (at most 5000000 parameters)
        sage: LinearNetwork([3, 0, 2])
        Traceback (most recent call last):
        ...
        ValueError: layer widths must be positive integers, got [3, 0, 2]
    """

    activation = "linear"

    @staticmethod
    def __classcall_private__(cls, widths):
        # one object for equal networks, however the arguments are spelled
        return Model.__classcall__(cls, tuple(check_widths(widths)))
