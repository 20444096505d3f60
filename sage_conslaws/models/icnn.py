r"""
Input-convex neural networks (two layers)

The network `x \mapsto U \sigma(Vx + b)` with `\sigma` = ReLU and a
non-negative outer layer `U` (which makes it convex in `x`). On a region of
fixed activation pattern it is reparametrized, per hidden neuron `k`, by the
entries of `u_k v_k^T` and `u_k b_k` (`u_k` the column `k` of `U`, `v_k` the
row `k` of `V`), like a two-layer ReLU network. It trains with a mirror
geometry on `U` only (its default ``"entropic"`` metric, see
:mod:`sage_conslaws.fields.metrics`): `\dot\theta = -\mathrm{diag}(U, 1, 1)\nabla E`,
whose known laws are `\sum_i U_{ik} - \frac12(\|v_k\|^2 + b_k^2)`, one per
hidden neuron.

EXAMPLES::

    sage: from sage_conslaws import ICNN
    sage: from sage_conslaws.dynamics import gradient_flow_count
    sage: N = ICNN(2, 2, 2, bias=True); N
    ICNN(2, 2, 2, bias=True) with 10 parameters
    sage: gradient_flow_count(N).number_of_laws()
    2
"""
from sage_conslaws.limits import check_known_laws
from sage_conslaws.models.base import Model
from sage_conslaws.models.layered import LayeredNetwork
from sage_conslaws.models.widths import check_widths


class ICNN(LayeredNetwork):
    r"""
    The two-layer input-convex network `x \mapsto U\sigma(Vx + b)`.

    The :class:`~sage_conslaws.models.layered.LayeredNetwork` with
    widths ``[inputs, hidden, outputs]`` and ReLU, whose weights are
    `W_1 = V`, `W_2 = U`, and whose parameters are ordered ``U_i_k``
    (output `i`, hidden neuron `k`), then ``V_k_j`` (hidden neuron `k`,
    input `j`), then the biases ``b_k``.

    INPUT:

    - ``inputs``, ``hidden``, ``outputs`` -- positive integers: the widths
    - ``bias`` -- (default: ``False``) whether hidden neurons have biases

    EXAMPLES::

        sage: from sage_conslaws import ICNN
        sage: N = ICNN(1, 1, 2, bias=True)
        sage: N.reparametrization()
        [U_0_0*V_0_0, U_0_0*b_0, U_1_0*V_0_0, U_1_0*b_0]
        sage: N.mirror_parameters()
        (U_0_0, U_1_0)
        sage: N.weight_indices()
        ({(1, 0, 0): 2, (2, 0, 0): 0, (2, 1, 0): 1}, {(1, 0): 3})
        sage: TestSuite(N).run()

    TESTS::

        sage: ICNN(2, 0, 1)
        Traceback (most recent call last):
        ...
        ValueError: ICNN widths inputs, hidden, outputs must be positive integers, got [2, 0, 1]
        sage: ICNN(100000, 1000, 2, bias=True)
        Traceback (most recent call last):
        ...
        BeyondReach: ICNN(100000, 1000, 2, bias=True) has 100003000 parameters, beyond reach: the positions of the parameters are held in memory (at most 5000000 parameters)
        sage: ICNN(35, 35, 35).check_within_reach()
        Traceback (most recent call last):
        ...
        BeyondReach: ICNN(35, 35, 35): the values of its 42875 gradient fields at a point: a dense 42875 x 2450 matrix with 105043750 entries, beyond reach: a dense matrix over GF(p) takes 8 bytes an entry, and its rank minutes beyond the limit (at most 100000000 entries)
    """

    activation = "relu"

    @staticmethod
    def __classcall_private__(cls, inputs, hidden, outputs, bias=False):
        # one object for equal networks, however the arguments are spelled
        return Model.__classcall__(cls, inputs, hidden, outputs, bool(bias))

    def __init__(self, inputs, hidden, outputs, bias=False):
        try:
            widths = check_widths([inputs, hidden, outputs])
        except ValueError:
            raise ValueError("ICNN widths inputs, hidden, outputs must be positive integers, "
                             f"got {[inputs, hidden, outputs]}") from None
        LayeredNetwork.__init__(self, widths, bias)

    def parameter_layout(self):
        r"""
        Return the names ``U_i_k``, ``V_k_j``, ``b_k`` and where each weight and bias sits.

        See :meth:`~sage_conslaws.models.layered.LayeredNetwork.parameter_layout`:
        the outer layer `U = W_2` comes first, then `V = W_1`, then the biases.

        EXAMPLES::

            sage: from sage_conslaws import ICNN
            sage: ICNN(1, 2, 1, bias=True).parameter_layout()
            (['U_0_0', 'U_0_1', 'V_0_0', 'V_1_0', 'b_0', 'b_1'],
             {(1, 0, 0): 2, (1, 1, 0): 3, (2, 0, 0): 0, (2, 0, 1): 1},
             {(1, 0): 4, (1, 1): 5},
             {})
        """
        n0, r, n2 = self._widths
        names = ([f"U_{i}_{k}" for i in range(n2) for k in range(r)]
                 + [f"V_{k}_{j}" for k in range(r) for j in range(n0)]
                 + ([f"b_{k}" for k in range(r)] if self._bias else []))
        weights = {(1, k, j): n2 * r + k * n0 + j for k in range(r) for j in range(n0)}
        weights.update({(2, i, k): i * r + k for i in range(n2) for k in range(r)})
        biases = {(1, k): n2 * r + r * n0 + k for k in range(r)} if self._bias else {}
        return names, weights, biases, {}

    def layers(self):
        r"""
        Return the matrices `U` and `V` and the list of biases (empty without biases).

        EXAMPLES::

            sage: from sage_conslaws import ICNN
            sage: U, V, b = ICNN(2, 1, 1, bias=True).layers()
            sage: U, V, b
            ([U_0_0], [V_0_0 V_0_1], [b_0])
        """
        V, b, _ = self.layer_parameters(1)
        return self.layer_parameters(2)[0], V, [] if b is None else list(b)

    def default_metric(self):
        r"""
        Return ``"entropic"``: the mirror geometry on `U`, Euclidean on `V` and `b`.

        EXAMPLES::

            sage: from sage_conslaws import ICNN
            sage: ICNN(1, 1, 1).default_metric()
            'entropic'
        """
        return "entropic"

    def mirror_parameters(self):
        r"""
        Return the entries of the outer layer `U`, the non-negative parameters.

        EXAMPLES::

            sage: from sage_conslaws import ICNN
            sage: ICNN(2, 1, 1).mirror_parameters()
            (U_0_0,)
        """
        return tuple(self.layers()[0].list())

    def law_forms(self, pivots=None):
        r"""
        Return the Euclidean laws `\|u_k\|^2 - \|v_k\|^2 - b_k^2`, one per hidden neuron, as quadratic forms.

        ``pivots`` is that of
        :meth:`~sage_conslaws.models.layer_laws.LayerLaws.law_forms`; the
        hidden layer of an ICNN is not linear, so it selects nothing.

        These are the laws of
        :meth:`~sage_conslaws.models.layer_laws.LayerLaws.law_forms`
        with the opposite sign, named by the hidden neuron alone;
        :meth:`known_laws` gives their polynomials.

        EXAMPLES::

            sage: from sage_conslaws import ICNN
            sage: ICNN(1, 1, 1, bias=True).law_forms()
            [('neuron 0', {(0, 0): 1, (1, 1): -1, (2, 2): -1})]
            sage: ICNN(1, 1, 1, bias=True).known_laws()
            [('neuron 0', U_0_0^2 - V_0_0^2 - b_0^2)]
        """
        return [(f"neuron {k}", {key: -c for key, c in form.items()})
                for k, (_, form) in enumerate(LayeredNetwork.law_forms(self, pivots))]

    def known_laws_under(self, metric):
        r"""
        Return the known laws under ``metric``.

        Under ``"entropic"`` (mirror on `U`), one law per hidden neuron
        `k`: `\sum_i U_{ik} - \frac12(\|v_k\|^2 + b_k^2)`; under
        ``"euclidean"``, :meth:`known_laws`.

        INPUT:

        - ``metric`` -- ``"euclidean"`` or ``"entropic"``

        EXAMPLES::

            sage: from sage_conslaws import ICNN
            sage: ICNN(1, 1, 2, bias=True).known_laws_under("entropic")
            [('neuron 0', -1/2*V_0_0^2 - 1/2*b_0^2 + U_0_0 + U_1_0)]
        """
        if metric != "entropic":
            return Model.known_laws_under(self, metric)
        check_known_laws(self._description(), self.dimension(), self.dimension())
        U, V, b = self.layers()
        return [(f"neuron {k}", sum(U.column(k))
                 - (V.row(k) * V.row(k) + (b[k]**2 if b else 0)) / 2)
                for k in range(self._widths[1])]

    def float_network(self, data=None):
        r"""
        Raise a ``TypeError``: the float64 training does not keep the outer layer `U` non-negative.

        EXAMPLES::

            sage: from sage_conslaws import ICNN
            sage: ICNN(4, 2, 3).float_network()
            Traceback (most recent call last):
            ...
            TypeError: training runs support LinearNetwork, ReLUNetwork, MLP, NMF, LoRA, DiagonalNetwork, Attention, ResNet and ConvNetwork models, got ICNN
        """
        return Model.float_network(self, data)

    def _description(self):
        bias = ", bias=True" if self._bias else ""
        return f"ICNN({', '.join(map(str, self._widths))}{bias})"
