r"""
Deep ReLU networks

On each region of parameter space where the activation pattern is fixed, a
ReLU network (optionally with biases on its hidden neurons) is reparametrized
by the products of the weights along every path from an input to an output,
and along every path from a hidden bias to an output ([MGP2023]_). Its known
conservation laws are one per hidden neuron:
`\|W_l[i,:]\|^2 + b_l[i]^2 - \|W_{l+1}[:,i]\|^2` (incoming weights and bias
minus outgoing weights).

It is the :class:`~sage_conslaws.models.layered.LayeredNetwork` whose
hidden layers are all ReLU: its structure, `\phi`, laws, symmetries and
float64 training all come from there.

EXAMPLES::

    sage: from sage_conslaws import ReLUNetwork
    sage: N = ReLUNetwork([3, 4, 2], bias=True); N
    ReLUNetwork([3, 4, 2], bias=True) with 24 parameters
    sage: N.conservation_laws().number_of_laws()
    4
"""
from sage_conslaws.models.base import Model
from sage_conslaws.models.layered import LayeredNetwork
from sage_conslaws.models.widths import check_widths


class ReLUNetwork(LayeredNetwork):
    r"""
    A deep ReLU network with layer widths `n_0, \ldots, n_L`.

    INPUT:

    - ``widths`` -- the layer widths from input to output
    - ``bias`` -- (default: ``False``) whether hidden neurons have biases

    EXAMPLES::

        sage: from sage_conslaws import ReLUNetwork
        sage: N = ReLUNetwork([1, 2, 1], bias=True)
        sage: N.reparametrization()
        [w1_0_0*w2_0_0, b1_0*w2_0_0, w1_1_0*w2_0_1, b1_1*w2_0_1]

    TESTS::

        sage: ReLUNetwork([100, 100, 100, 100]).conservation_laws()
        Traceback (most recent call last):
        ...
        BeyondReach: the values of 29802 brackets on R^30000 have 894060000 entries, beyond reach: the structured path holds them as a dense matrix over GF(p), 8 bytes an entry, about four times (at most 250000000 entries)
        sage: ReLUNetwork([100000000, 2], bias=True)
        Traceback (most recent call last):
        ...
        BeyondReach: ReLUNetwork([100000000, 2], bias=True) has 200000000 parameters, beyond reach: the positions of the parameters are held in memory (at most 5000000 parameters)
    """

    activation = "relu"

    @staticmethod
    def __classcall_private__(cls, widths, bias=False):
        # one object for equal networks, however the arguments are spelled
        return Model.__classcall__(cls, tuple(check_widths(widths)), bool(bias))
