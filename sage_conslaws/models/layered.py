r"""
Layered networks: the base class of fully connected networks

A layered network with widths `n_0, \ldots, n_L` computes

.. MATH::

    f(x) = W_L \sigma_{L-1}(W_{L-1} \cdots \sigma_1(W_1 x + b_1) \cdots + b_{L-1}),

with `W_l` of size `n_l \times n_{l-1}`, one activation `\sigma_h` per hidden
layer (see :mod:`sage_conslaws.models.activations`), optional biases `b_h` on the
hidden neurons, optional trainable slopes `\beta_h` (Swish) and a linear output
layer. :class:`LayeredNetwork` is the one place that knows this structure:

- where each weight `W_l[i, j]`, bias `b_h[i]` and slope `\beta_h[i]` sits
  among the parameters (:meth:`LayeredNetwork.parameter_layout`), and from
  there the parameter blocks of each layer and the index arrays of the
  float64 training; nothing is read back from the names of the parameters;
- the reparametrization `\phi`: the coefficients of the network written as a
  polynomial in the inputs `x` and in one mask `m \in \{0, 1\}` per neuron
  of a piecewise layer (the activation region), with `m^k = m`; for ReLU and
  linear layers, the sums of the weight products along the paths from an
  input (or a hidden bias) to an output ([MGP2023]_)
  (:mod:`~sage_conslaws.models.expansion`);
- the laws and symmetries of Głuch and Urbanke ([GU2021]_), one family per
  hidden layer (:mod:`~sage_conslaws.models.layer_laws`).

The built-in networks derive from it:
:class:`~sage_conslaws.models.linear.LinearNetwork` (every hidden layer
linear, no bias), :class:`~sage_conslaws.models.relu.ReLUNetwork`
(ReLU), :class:`~sage_conslaws.models.mlp.MLP` (an activation per
hidden layer) and :class:`~sage_conslaws.models.icnn.ICNN` (two ReLU
layers, its own order of parameters).

A network with another activation only names it, by a name of
:func:`~sage_conslaws.models.activations.activation` or as an
:class:`~sage_conslaws.models.activations.Activation`::

    sage: from sage_conslaws.models.layered import LayeredNetwork
    sage: class LeakyNetwork(LayeredNetwork):
    ....:     activation = "leaky_relu"
    sage: N = LeakyNetwork([2, 2, 1], bias=True); N
    LeakyNetwork([2, 2, 1], bias=True) with 8 parameters
    sage: N.known_laws()
    [('neuron 1.0', w1_0_0^2 + w1_0_1^2 + b1_0^2 - w2_0_0^2),
     ('neuron 1.1', w1_1_0^2 + w1_1_1^2 + b1_1^2 - w2_0_1^2)]
    sage: N.conservation_laws()
    8 parameters, dim Lie(W) = 6, 2 independent conservation laws (certified); the 2 known laws are all the laws
"""
from sage.matrix.constructor import matrix
from sage.modules.free_module_element import vector

from sage_conslaws.limits import MAX_PARAMETERS, check_ring_free_parameters, number_of_parameters
from sage_conslaws.models.activations import activation as as_activation, check_activations
from sage_conslaws.models.base import Model
from sage_conslaws.models.rings import RingBeyondReach, parameter_ring
from sage_conslaws.models.expansion import Expansion
from sage_conslaws.models.layer_laws import LayerLaws
from sage_conslaws.models.widths import check_widths, parameter_indices, weight_names

class LayeredNetwork(Expansion, LayerLaws, Model):
    r"""
    A fully connected network with widths `n_0, \ldots, n_L` and an activation per hidden layer.

    A subclass with one activation on every hidden layer sets the class
    attribute :attr:`~sage_conslaws.models.activations.activation`; the others pass ``activations``.

    INPUT:

    - ``widths`` -- the layer widths from input to output
    - ``bias`` -- (default: ``False``) whether hidden neurons have biases
    - ``activations`` -- (default: :attr:`~sage_conslaws.models.activations.activation` on every hidden layer)
      an activation (name or :class:`~sage_conslaws.models.activations.Activation`)
      for every hidden layer, or a list of one per hidden layer

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork, MLP, ReLUNetwork
        sage: from sage_conslaws.models.layered import LayeredNetwork
        sage: N = ReLUNetwork([2, 2, 1], bias=True)
        sage: isinstance(N, LayeredNetwork), N.activations(), N.has_bias()
        (True, [ReLU activation], True)
        sage: for N in [LinearNetwork([2, 2, 1]), ReLUNetwork([2, 2, 1], bias=True),
        ....:           MLP([1, 2, 2, 1], ["linear", "swish"], bias=True)]:
        ....:     TestSuite(N).run()

    TESTS::

        sage: class Unnamed(LayeredNetwork):
        ....:     pass
        sage: Unnamed([2, 2, 1])
        Traceback (most recent call last):
        ...
        TypeError: Unnamed names no activation: set its class attribute activation, or pass activations
    """

    #: The activation of every hidden layer (a name or an
    #: :class:`~sage_conslaws.models.activations.Activation`), or ``None`` when the
    #: activations are given to each network.
    activation = None

    def __init__(self, widths, bias=False, activations=None):
        self._widths = check_widths(widths)
        self._bias = bool(bias)
        if activations is None:
            activations = self.activation
        self._activations = check_activations(self._widths, activations, type(self).__name__)
        # counted before the names are built: a ring has at most 32767 variables; beyond,
        # the network has its structure and no ring (RingBeyondReach)
        self._swish = [h for h, sigma in enumerate(self._activations, 1)
                       if sigma.has_trainable_beta()]
        D = number_of_parameters(self._widths, self._bias, self._swish)
        check_ring_free_parameters(self._description(), D)
        names, self._weights, self._biases, self._slopes = self.parameter_layout()
        self._names = tuple(names)
        Model.__init__(self, parameter_ring(names) if D <= MAX_PARAMETERS
                       else RingBeyondReach(self._description(), D))

    def widths(self):
        r"""
        Return the layer widths from input to output.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([3, 4, 2]).widths()
            [3, 4, 2]
        """
        return list(self._widths)

    def activations(self):
        r"""
        Return the activations of the hidden layers, first to last.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork, MLP
            sage: MLP([1, 2, 2, 1], ["pow3", "leaky_relu"]).activations()
            [power z^3 activation, LeakyReLU activation]
            sage: LinearNetwork([1, 2, 2, 1]).activations()
            [linear activation, linear activation]
        """
        return list(self._activations)

    def has_bias(self):
        r"""
        Return whether hidden neurons have biases.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork, ReLUNetwork
            sage: ReLUNetwork([3, 4, 2], bias=True).has_bias(), LinearNetwork([3, 4, 2]).has_bias()
            (True, False)
        """
        return self._bias

    def parameter_layout(self):
        r"""
        Return the names of the parameters and where each weight, bias and slope sits among them.

        This is the order of the variables of :meth:`ring`: layer by layer,
        the weights row by row (``wl_i_j`` for `W_l[i, j]`), then the biases
        (``bl_i``), then the slopes of a Swish layer (``betal_i``); see
        :func:`~sage_conslaws.models.widths.parameter_indices`. It is
        called once, when the network is built; a subclass with another order
        (such as :class:`~sage_conslaws.models.icnn.ICNN`) overrides it.

        OUTPUT: the list of names, then the dictionaries ``(l, i, j) ->
        index`` of the weights, ``(l, i) -> index`` of the biases and of the
        slopes

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: names, weights, biases, slopes = MLP([1, 1, 1], "swish", bias=True).parameter_layout()
            sage: names
            ['w1_0_0', 'b1_0', 'beta1_0', 'w2_0_0']
            sage: weights, biases, slopes
            ({(1, 0, 0): 0, (2, 0, 0): 3}, {(1, 0): 1}, {(1, 0): 2})
        """
        return ((weight_names(self._widths, self._bias, self._swish),)
                + parameter_indices(self._widths, self._bias, self._swish))

    def parameter_names(self):
        r"""
        Return the names of the parameters, in order, with or without a polynomial ring.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 20000, 1]).parameter_names()[:2]
            ('w1_0_0', 'w1_1_0')
        """
        return self._names

    def weight_indices(self):
        r"""
        Return where each weight and bias sits among the parameters.

        See :meth:`~sage_conslaws.models.base.Model.weight_indices`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork, MLP, ReLUNetwork
            sage: LinearNetwork([1, 1, 1]).weight_indices()
            ({(1, 0, 0): 0, (2, 0, 0): 1}, {})
            sage: ReLUNetwork([1, 1, 1], bias=True).weight_indices()
            ({(1, 0, 0): 0, (2, 0, 0): 2}, {(1, 0): 1})
            sage: MLP([1, 1, 1], "swish", bias=True).weight_indices()
            ({(1, 0, 0): 0, (2, 0, 0): 3}, {(1, 0): 1})
        """
        return dict(self._weights), dict(self._biases)

    def slope_indices(self):
        r"""
        Return where the trainable slope `\beta_h[i]` of each neuron of a Swish layer sits.

        OUTPUT: a dictionary ``(h, i) -> index``, empty without Swish layers

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: MLP([1, 2, 1], "swish").slope_indices()
            {(1, 0): 2, (1, 1): 3}
            sage: MLP([1, 2, 1], "relu").slope_indices()
            {}
        """
        return dict(self._slopes)

    def layer_parameters(self, l):
        r"""
        Return the weights, biases and slopes of layer ``l`` as a matrix and vectors of parameters.

        INPUT:

        - ``l`` -- a layer, from 1 (the first hidden layer) to `L` (the output layer)

        OUTPUT: the matrix `W_l` (size `n_l \times n_{l-1}`), the vector
        `b_l` and the vector `\beta_l`, each ``None`` when the layer has none

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: MLP([2, 1, 1], "swish", bias=True).layer_parameters(1)
            ([w1_0_0 w1_0_1], (b1_0), (beta1_0))
            sage: MLP([2, 1, 1], "swish", bias=True).layer_parameters(2)
            ([w2_0_0], None, None)

        TESTS::

            sage: MLP([2, 1, 1], "relu").layer_parameters(3)
            Traceback (most recent call last):
            ...
            ValueError: the layers of MLP([2, 1, 1], activations=[relu]) are 1 to 2, got 3
        """
        if l not in range(1, len(self._widths)):
            raise ValueError(f"the layers of {self._description()} are 1 to "
                             f"{len(self._widths) - 1}, got {l}")
        R, gens = self.ring(), self.parameters()
        W, b, beta = self._layer_indices(l)
        return (matrix(R, len(W), self._widths[l - 1], [gens[k] for row in W for k in row]),
                None if b is None else vector(R, [gens[k] for k in b]),
                None if beta is None else vector(R, [gens[k] for k in beta]))

    def linear_factors(self):
        r"""
        Return the weight matrices if every hidden layer is linear and has no bias, else ``None``.

        See :meth:`~sage_conslaws.models.base.Model.linear_factors`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork, MLP, ReLUNetwork
            sage: LinearNetwork([1, 1, 1]).linear_factors()
            [[w1_0_0], [w2_0_0]]
            sage: ReLUNetwork([1, 1, 1]).linear_factors(), MLP([1, 1, 1], "linear", bias=True).linear_factors()
            (None, None)
        """
        if self._bias or not all(sigma.is_linear() for sigma in self._activations):
            return None
        return self.weight_matrices()

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
        return [self.layer_parameters(l)[0] for l in range(1, len(self._widths))]

    def layer_indices(self):
        r"""
        Return, layer by layer, the positions of `W_l`, `b_l` and `\beta_l` in the parameter vector.

        This is what a float64 training needs (see
        :mod:`sage_conslaws.training.network`): `\theta[W]` is the matrix `W_l`.

        OUTPUT: a list, for `l = 1, \ldots, L`, of triples: the rows of
        indices of `W_l`, the indices of `b_l` and of `\beta_l` (or ``None``)

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([2, 1, 1], bias=True).layer_indices()
            [(((0, 1),), (2,), None), (((3,),), None, None)]
        """
        return [self._layer_indices(l) for l in range(1, len(self._widths))]

    def _layer_indices(self, l):
        n = self._widths
        W = tuple(tuple(self._weights[l, i, j] for j in range(n[l - 1])) for i in range(n[l]))
        b = tuple(self._biases[l, i] for i in range(n[l])) if (l, 0) in self._biases else None
        beta = tuple(self._slopes[l, i] for i in range(n[l])) if (l, 0) in self._slopes else None
        return W, b, beta

    def structured_family(self):
        r"""
        Return the gradient fields evaluated by the layers modulo a prime, or ``None``.

        ``None`` when an activation is not linear in `z` on each region (see
        :mod:`sage_conslaws.structured.layered`).

        EXAMPLES::

            sage: from sage_conslaws import MLP, ReLUNetwork
            sage: ReLUNetwork([2, 3, 1]).structured_family()
            structured gradient fields of ReLUNetwork([2, 3, 1]) with 9 parameters
            sage: MLP([1, 2, 1], "repu2").structured_family() is None
            True
        """
        from sage_conslaws.structured.layered import LayeredFamily, activation_slopes
        try:
            activation_slopes(self)
        except ValueError:
            return None
        return LayeredFamily(self)

    def output_layer(self):
        r"""
        Return the last weight matrix `W_L`.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([1, 1, 2]).output_layer()
            [w2_0_0]
            [w2_1_0]
        """
        return self.weight_matrices()[-1]

    def _forward(self, inputs, theta, sigma):
        r"""
        Return the outputs of the network on ``inputs``, in any arithmetic.

        INPUT:

        - ``inputs`` -- the `n_0` inputs
        - ``theta`` -- the values of the parameters, in the order of :meth:`parameters`
        - ``sigma`` -- a function ``(h, i, z)`` returning the activation of
          neuron ``i`` of hidden layer ``h`` at the pre-activation ``z``

        TESTS::

            sage: from sage_conslaws import ReLUNetwork
            sage: N = ReLUNetwork([1, 1, 1], bias=True)
            sage: N._forward([2], [3, 5, 7], lambda h, i, z: max(z, 0))
            [77]
        """
        values = list(inputs)
        L = len(self._widths) - 1
        for l in range(1, L + 1):
            W, b, _ = self._layer_indices(l)
            z = [sum(theta[k] * v for k, v in zip(row, values)) + (theta[b[i]] if b else 0)
                 for i, row in enumerate(W)]
            values = z if l == L else [sigma(l, i, zi) for i, zi in enumerate(z)]
        return values

    def network_function(self, x=None):
        r"""
        Return the outputs of the network as sympy expressions, on one activation region.

        Piecewise activations are written with a mask symbol ``m{h}_{i}`` per
        neuron (1 where the pre-activation is positive, 0 elsewhere), constant
        on each region; Swish is `z / (1 + e^{-\beta z})`. Parameters are
        sympy symbols with the names of :meth:`parameters`.

        INPUT:

        - ``x`` -- (default: symbols ``x0, x1, ...``) the `n_0` inputs

        OUTPUT: a list of `n_L` sympy expressions

        EXAMPLES::

            sage: from sage_conslaws import MLP, ReLUNetwork
            sage: MLP([1, 1, 1], "swish").network_function()
            [w1_0_0*w2_0_0*x0/(1 + exp(-beta1_0*w1_0_0*x0))]
            sage: MLP([1, 1, 1], "repu2", bias=True).network_function()
            [m1_0*w2_0_0*(b1_0 + w1_0_0*x0)**2]
            sage: ReLUNetwork([1, 1, 1]).network_function()
            [m1_0*w1_0_0*w2_0_0*x0]

        TESTS::

            sage: MLP([2, 1, 1], "relu").network_function([1])
            Traceback (most recent call last):
            ...
            ValueError: the network has 2 inputs, got 1
        """
        import sympy
        if x is None:
            x = sympy.symbols(f"x0:{self._widths[0]}")
        x = list(x)
        if len(x) != self._widths[0]:
            raise ValueError(f"the network has {self._widths[0]} inputs, got {len(x)}")
        theta = [sympy.Symbol(name) for name in self.ring().variable_names()]
        regionwise = [sigma.sympy_regionwise() for sigma in self._activations]

        def sigma(h, i, z):
            if self._activations[h - 1].has_trainable_beta():
                return z / (1 + sympy.exp(-theta[self._slopes[h, i]] * z))
            return regionwise[h - 1](z, sympy.Symbol(f"m{h}_{i}"))
        return self._forward(x, theta, sigma)

    def float_network(self, data=None):
        r"""
        Return the float64 network trained on the mean softmax cross-entropy of ``data``.

        See :meth:`~sage_conslaws.models.base.Model.float_network` and
        :class:`~sage_conslaws.training.network.FeedForwardNetwork`.

        INPUT:

        - ``data`` -- (default: ``"iris"``) a data set name or a
          :class:`~sage_conslaws.training.datasets.Dataset`

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([13, 2, 3]).float_network("wine")
            network [13, 2, 3] (linear) on wine
        """
        from sage_conslaws.training.network import FeedForwardNetwork
        return FeedForwardNetwork.on_dataset(self, data)

    def _description(self):
        r"""
        Return how the network is written: its class, widths, activations (unless its class names them) and bias.

        TESTS::

            sage: from sage_conslaws import MLP, ReLUNetwork
            sage: ReLUNetwork([2, 1], bias=True)._description(), MLP([1, 2, 1], "pow2")._description()
            ('ReLUNetwork([2, 1], bias=True)', 'MLP([1, 2, 1], activations=[pow2])')
        """
        named = self.activation is not None and all(
            sigma == as_activation(self.activation) for sigma in self._activations)
        activations = ("" if named else
                       f", activations=[{', '.join(sigma.name() for sigma in self._activations)}]")
        bias = ", bias=True" if self._bias else ""
        return f"{type(self).__name__}({self._widths}{activations}{bias})"

