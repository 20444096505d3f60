r"""
Multilayer perceptrons with an activation per hidden layer

The network `f(x) = W_L \sigma_{L-1}(\cdots \sigma_1(W_1 x + b_1) \cdots) +
\ldots` has one activation `\sigma_h` per hidden layer (see
:mod:`sage_conslaws.models.activations`) and a linear output layer. It is the
:class:`~sage_conslaws.models.layered.LayeredNetwork` whose activations
are given: its `\phi` (the coefficients of the network written as a
polynomial in the inputs and in one mask per neuron of a piecewise layer), its
laws and symmetries (those of Głuch and Urbanke, [GU2021]_, one family per
hidden layer) and its float64 training all come from there. Swish networks
are not polynomial: they have known laws and symmetries, but no `\phi`, so
the engine cannot count their laws.

EXAMPLES::

    sage: from sage_conslaws import MLP
    sage: N = MLP([2, 2, 1], "repu2"); N
    MLP([2, 2, 1], activations=[repu2]) with 6 parameters
    sage: N.reparametrization()
    [w1_0_0^2*w2_0_0, 2*w1_0_0*w1_0_1*w2_0_0, w1_0_1^2*w2_0_0,
     w1_1_0^2*w2_0_1, 2*w1_1_0*w1_1_1*w2_0_1, w1_1_1^2*w2_0_1]
    sage: N.conservation_laws().laws()
    [('neuron 1.0', w1_0_0^2 + w1_0_1^2 - 2*w2_0_0^2),
     ('neuron 1.1', w1_1_0^2 + w1_1_1^2 - 2*w2_0_1^2)]

One activation per hidden layer; a linear layer has matrix laws::

    sage: M = MLP([1, 2, 2, 1], ["linear", "relu"])
    sage: M.activations()
    [linear activation, ReLU activation]
    sage: [name for name, h in M.known_laws()]
    ['W1 W1^T - W2^T W2 [0,0]', 'W1 W1^T - W2^T W2 [0,1]', 'W1 W1^T - W2^T W2 [1,1]',
     'neuron 2.0', 'neuron 2.1']
"""
from sage_conslaws.models.base import Model
from sage_conslaws.models.activations import check_activations
from sage_conslaws.models.layered import LayeredNetwork
from sage_conslaws.models.widths import check_widths


class MLP(LayeredNetwork):
    r"""
    A multilayer perceptron with widths `n_0, \ldots, n_L`, an activation per hidden layer.

    INPUT:

    - ``widths`` -- the layer widths from input to output
    - ``activations`` -- an activation (name or
      :class:`~sage_conslaws.models.activations.Activation`) for every hidden layer,
      or a list of one per hidden layer; the output layer is linear
    - ``bias`` -- (default: ``False``) whether hidden neurons have biases

    EXAMPLES::

        sage: from sage_conslaws import MLP
        sage: N = MLP([1, 2, 1], "swish", bias=True); N
        MLP([1, 2, 1], activations=[swish], bias=True) with 8 parameters
        sage: N.parameters()
        (w1_0_0, w1_1_0, b1_0, b1_1, beta1_0, beta1_1, w2_0_0, w2_0_1)

    TESTS::

        sage: MLP([3, 4, 4, 2], ["relu"])
        Traceback (most recent call last):
        ...
        ValueError: MLP with widths [3, 4, 4, 2] has 2 hidden layers, got 1 activation
        sage: MLP([3, 4, 2], "tanh")
        Traceback (most recent call last):
        ...
        ValueError: unknown activation 'tanh'; known: relu, leaky_relu, repuP, powP, linear, swish (P a degree >= 1, e.g. repu2)
        sage: MLP([1, 2, 1], "swish").conservation_laws()
        Traceback (most recent call last):
        ...
        ValueError: MLP([1, 2, 1], activations=[swish]) has no polynomial reparametrization: the swish activation is not piecewise polynomial, so the engine cannot count its conservation laws (its known laws and symmetry generators still hold)
        sage: MLP([5, 5, 5, 1], "pow3").conservation_laws()
        Traceback (most recent call last):
        ...
        BeyondReach: MLP([5, 5, 5, 1], activations=[pow3, pow3]): phi has up to 4543000 terms of degree 13 in 60 variables; with its gradient it takes about 27984 MB, beyond reach: Singular stores all exponents of every term (at most 2000 MB)
        sage: MLP([100000, 2, 2], "relu").conservation_laws()
        Traceback (most recent call last):
        ...
        BeyondReach: the values of 200004 brackets on R^200004 have 40001600016 entries, beyond reach: the structured path holds them as a dense matrix over GF(p), 8 bytes an entry, about four times (at most 250000000 entries)
    """

    @staticmethod
    def __classcall_private__(cls, widths, activations, bias=False):
        # one object for equal networks, however the arguments are spelled
        widths = check_widths(widths)
        return Model.__classcall__(cls, tuple(widths),
                                   tuple(check_activations(widths, activations)), bool(bias))

    def __init__(self, widths, activations, bias=False):
        LayeredNetwork.__init__(self, widths, bias, activations)

    def symmetry_generators(self, per="neuron"):
        r"""
        Return the symmetries of [GU2021]_: :meth:`~sage_conslaws.models.layer_laws.LayerLaws.structural_symmetries`.

        Under this name they are the model's own generators, which
        :func:`~sage_conslaws.symmetries.noether.noether_laws` and the reports use
        instead of solving for the linear symmetries of `\phi` (a Swish network
        has no `\phi`).

        INPUT:

        - ``per`` -- (default: ``"neuron"``) ``"neuron"``, or ``"layer"``: then
          the rescalings of the neurons of a layer are summed into one
          generator per layer (linear layers keep their mixings and rotations)

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: MLP([1, 2, 1], "repu2").symmetry_generators()
            [rescale neuron 1.0: w1_0_0*d/dw1_0_0 - 2*w2_0_0*d/dw2_0_0,
             rescale neuron 1.1: w1_1_0*d/dw1_1_0 - 2*w2_0_1*d/dw2_0_1]
            sage: MLP([1, 2, 1], "repu2").symmetry_generators(per="layer")
            [rescale layer 1: w1_0_0*d/dw1_0_0 + w1_1_0*d/dw1_1_0 - 2*w2_0_0*d/dw2_0_0 - 2*w2_0_1*d/dw2_0_1]
            sage: [xi.name() for xi in MLP([1, 2, 1], "linear").symmetry_generators()]
            ['rescale neuron 1.0', 'rescale neuron 1.1', 'mix layer 1 neurons 0,1',
             'rotate layer 1 neurons 0,1']
            sage: MLP([1, 2, 1], "linear").symmetry_generators()[3]
            rotate layer 1 neurons 0,1: w1_1_0*d/dw1_0_0 - w1_0_0*d/dw1_1_0 + w2_0_1*d/dw2_0_0 - w2_0_0*d/dw2_0_1

        TESTS::

            sage: MLP([1, 2, 1], "relu").symmetry_generators(per="path")
            Traceback (most recent call last):
            ...
            ValueError: per must be one of neuron, layer, got 'path'
        """
        return self.structural_symmetries(per)
