r"""
A softmax output layer

A classifier trained on the softmax cross-entropy sees its logits `f(x)`
only up to a common constant: `\mathrm{softmax}(f + c\mathbf 1) =
\mathrm{softmax}(f)`. When the last layer `W` of the network is linear, the
loss therefore depends on the parameters through the differences `f_o -
f_{m-1}` of the logits, whose coefficients are the differences of the rows of
`\phi` that belong to two outputs. Adding `\mathbf 1 a^T` to `W` changes no
difference: each column sum `\sum_o W_{o,j}` is conserved ([MGP2025]_, Prop.
3.11), on top of the laws of the network.

:class:`SoftmaxOutput` wraps a model whose
:meth:`~sage_conslaws.models.base.Model.logits` gives `\phi` output by
output and whose last linear layer is known.

EXAMPLES::

    sage: from sage_conslaws import ReLUNetwork
    sage: from sage_conslaws.models.softmax import SoftmaxOutput
    sage: M = SoftmaxOutput(ReLUNetwork([2, 2, 3])); M
    SoftmaxOutput(ReLUNetwork([2, 2, 3])) with 10 parameters
    sage: r = M.conservation_laws(); r.number_of_laws(), r.is_certified()
    (4, True)
"""
from sage_conslaws.models.base import Model


class SoftmaxOutput(Model):
    r"""
    The model ``model`` followed by a softmax over its outputs (trained on a cross-entropy).

    INPUT:

    - ``model`` -- a model whose last layer is linear and that implements
      :meth:`~sage_conslaws.models.base.Model.logits`

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.models.softmax import SoftmaxOutput
        sage: M = SoftmaxOutput(LinearNetwork([1, 1, 2]))
        sage: M.reparametrization()
        [w1_0_0*w2_0_0 - w1_0_0*w2_1_0]
        sage: M.known_laws()[-1]
        ('softmax: column 0 of the last layer, sum', w2_0_0 + w2_1_0)

    TESTS::

        sage: TestSuite(M).run()
        sage: from sage_conslaws import NMF
        sage: SoftmaxOutput(NMF(2, 2, 2))
        Traceback (most recent call last):
        ...
        TypeError: a softmax output layer needs a model whose last layer is linear (linear, relu, lora, attention, resnet), got NMF(2, 2, 2)
        sage: SoftmaxOutput(LinearNetwork([2, 1]))
        Traceback (most recent call last):
        ...
        ValueError: a softmax output layer needs at least two outputs, got LinearNetwork([2, 1])
    """

    def __init__(self, model):
        if not isinstance(model, Model) or model.logits() is None:
            what = model._description() if isinstance(model, Model) else repr(model)
            raise TypeError("a softmax output layer needs a model whose last layer is linear "
                            f"(linear, relu, lora, attention, resnet), got {what}")
        if model.output_layer().nrows() < 2:
            raise ValueError("a softmax output layer needs at least two outputs, "
                             f"got {model._description()}")
        self._model = model
        Model.__init__(self, model.ring())

    def _description(self):
        return f"SoftmaxOutput({self._model._description()})"

    def _latex_(self):
        return r"\mathrm{softmax} \circ " + self._model._latex_()

    def network(self):
        r"""
        Return the network before the softmax.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.models.softmax import SoftmaxOutput
            sage: SoftmaxOutput(LinearNetwork([1, 2])).network()
            LinearNetwork([1, 2]) with 2 parameters
        """
        return self._model

    def reparametrization(self):
        r"""
        Return the components of `\phi` shared by all outputs, then the differences of the rows of the outputs with the last one (without constants).

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.models.softmax import SoftmaxOutput
            sage: SoftmaxOutput(ReLUNetwork([1, 1, 2])).reparametrization()
            [w1_0_0*w2_0_0 - w1_0_0*w2_1_0]
        """
        shared, rows = self._model.logits()
        differences = [a - b for row in rows[:-1] for a, b in zip(row, rows[-1])]
        return list(shared) + [f for f in differences if f.degree() > 0]

    def known_laws(self):
        r"""
        Return the known laws of the network, then the column sums of its last layer.

        EXAMPLES::

            sage: from sage_conslaws.models.lora import LoRA
            sage: from sage_conslaws.models.softmax import SoftmaxOutput
            sage: [name for name, _ in SoftmaxOutput(LoRA(2, 1, 2)).known_laws()]
            ['B^T B - A A^T [0,0]', 'softmax: column 0 of the last layer, sum']
        """
        W = self._model.output_layer()
        return list(self._model.known_laws()) + [
            (f"softmax: column {j} of the last layer, sum", sum(W.column(j)))
            for j in range(W.ncols())]

    def float_network(self, data=None):
        r"""
        Return the float64 network of the model: it already trains on the softmax cross-entropy.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.models.softmax import SoftmaxOutput
            sage: SoftmaxOutput(ReLUNetwork([4, 3, 3])).float_network()
            network [4, 3, 3] (relu) on iris
        """
        return self._model.float_network(data)
