r"""
Deep ReLU networks

On each region of parameter space where the activation pattern is fixed, a
ReLU network (optionally with biases on its hidden neurons) is reparametrized
by the products of the weights along every path from an input to an output,
and along every path from a hidden bias to an output ([MGP2023]_). Its known
conservation laws are one per hidden neuron:
`\|W_l[i,:]\|^2 + b_l[i]^2 - \|W_{l+1}[:,i]\|^2` (incoming weights and bias
minus outgoing weights).

EXAMPLES::

    sage: from sage_conslaws import ReLUNetwork
    sage: N = ReLUNetwork([3, 4, 2], bias=True); N
    ReLUNetwork([3, 4, 2], bias=True) with 24 parameters
    sage: N.conservation_laws().number_of_laws()
    4
"""
from .base import Model, parameter_ring
from .widths import (check_widths, check_within_reach, number_of_paths, weight_indices,
                     weight_names)

class ReLUNetwork(Model):
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
        ValueError: ReLUNetwork([100, 100, 100, 100]) has 100000000 paths, beyond reach (at most 1000000)
    """

    @staticmethod
    def __classcall_private__(cls, widths, bias=False):
        # one object for equal networks, however the arguments are spelled
        return Model.__classcall__(cls, tuple(check_widths(widths)), bool(bias))

    def __init__(self, widths, bias=False):
        self._widths = check_widths(widths)
        self._bias = bool(bias)
        Model.__init__(self, parameter_ring(weight_names(self._widths, self._bias)))

    def widths(self):
        r"""
        Return the layer widths from input to output.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([3, 4, 2]).widths()
            [3, 4, 2]
        """
        return list(self._widths)

    def has_bias(self):
        r"""
        Return whether hidden neurons have biases.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([3, 4, 2], bias=True).has_bias()
            True
        """
        return self._bias

    def number_of_paths(self):
        r"""
        Return the number of coordinates of `\phi`: input and bias paths to the outputs.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([2, 3, 2], bias=True).number_of_paths()
            18
        """
        return number_of_paths(self._widths, self._bias)

    def check_within_reach(self):
        r"""
        Raise a clear error if the network has too many paths for the exact engine.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([3, 4, 2]).check_within_reach()
            sage: ReLUNetwork([100, 100, 101]).check_within_reach()
            Traceback (most recent call last):
            ...
            ValueError: ReLUNetwork([100, 100, 101]) has 1010000 paths, beyond reach (at most 1000000)
        """
        check_within_reach(f"ReLUNetwork({self._widths})", self._widths, self._bias)

    def reparametrization(self):
        r"""
        Return the path products, one polynomial for each path.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([2, 1, 1]).reparametrization()
            [w1_0_0*w2_0_0, w1_0_1*w2_0_0]
        """
        self.check_within_reach()
        gens = dict(zip(self.ring().variable_names(), self.parameters()))
        one = self.ring().one()
        # paths[j]: the products along all paths ending at neuron j of the current layer
        paths = [[one] for _ in range(self._widths[0])]
        for l in range(1, len(self._widths)):
            hidden = l < len(self._widths) - 1
            paths = [[p * gens[f"w{l}_{i}_{j}"] for j in range(self._widths[l - 1])
                      for p in paths[j]]
                     + ([gens[f"b{l}_{i}"]] if self._bias and hidden else [])
                     for i in range(self._widths[l])]
        return [p for output in paths for p in output]

    def weight_indices(self):
        r"""
        Return where each weight (and bias) sits among the parameters.

        See :meth:`~sage_conslaws.architectures.base.Model.weight_indices`.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([1, 1, 1], bias=True).weight_indices()
            ({(1, 0, 0): 0, (2, 0, 0): 2}, {(1, 0): 1})
        """
        return weight_indices(self._widths, self._bias)

    def known_laws(self):
        r"""
        Return one law per hidden neuron: incoming weights and bias minus outgoing weights.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([2, 1, 1], bias=True).known_laws()
            [('neuron 1.0', w1_0_0^2 + w1_0_1^2 + b1_0^2 - w2_0_0^2)]
        """
        gens = dict(zip(self.ring().variable_names(), self.parameters()))
        laws = []
        for l in range(1, len(self._widths) - 1):
            for i in range(self._widths[l]):
                incoming = sum(gens[f"w{l}_{i}_{j}"]**2 for j in range(self._widths[l - 1]))
                if self._bias:
                    incoming += gens[f"b{l}_{i}"]**2
                outgoing = sum(gens[f"w{l + 1}_{k}_{i}"]**2 for k in range(self._widths[l + 1]))
                laws.append((f"neuron {l}.{i}", incoming - outgoing))
        return laws

    def _repr_(self):
        bias = ", bias=True" if self._bias else ""
        return f"ReLUNetwork({self._widths}{bias}) with {self.dimension()} parameters"
