r"""
Input-convex neural networks (two layers)

The network `x \mapsto U \sigma(Vx + b)` with `\sigma` = ReLU and a
non-negative outer layer `U` (which makes it convex in `x`). On a region of
fixed activation pattern it is reparametrized, per hidden neuron `k`, by the
entries of `u_k v_k^T` and `u_k b_k` (`u_k` the column `k` of `U`, `v_k` the
row `k` of `V`), like a two-layer ReLU network. It trains with a mirror
geometry on `U` only (its default ``"entropic"`` metric, see
:mod:`sage_conslaws.metrics`): `\dot\theta = -\mathrm{diag}(U, 1, 1)\nabla E`,
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
from sage.matrix.constructor import matrix

from .base import Model, parameter_ring
from .widths import check_widths


class ICNN(Model):
    r"""
    The two-layer input-convex network `x \mapsto U\sigma(Vx + b)`.

    The parameters are ``U_i_k`` (output `i`, hidden neuron `k`), then
    ``V_k_j`` (hidden neuron `k`, input `j`), then the biases ``b_k``.

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

    TESTS::

        sage: ICNN(2, 0, 1)
        Traceback (most recent call last):
        ...
        ValueError: ICNN widths inputs, hidden, outputs must be positive integers, got [2, 0, 1]
    """

    @staticmethod
    def __classcall_private__(cls, inputs, hidden, outputs, bias=False):
        # one object for equal networks, however the arguments are spelled
        return Model.__classcall__(cls, inputs, hidden, outputs, bool(bias))

    def __init__(self, inputs, hidden, outputs, bias=False):
        try:
            self._widths = check_widths([inputs, hidden, outputs])
        except ValueError:
            raise ValueError("ICNN widths inputs, hidden, outputs must be positive integers, "
                             f"got {[inputs, hidden, outputs]}") from None
        self._bias = bool(bias)
        n0, r, n2 = self._widths
        names = ([f"U_{i}_{k}" for i in range(n2) for k in range(r)]
                 + [f"V_{k}_{j}" for k in range(r) for j in range(n0)]
                 + ([f"b_{k}" for k in range(r)] if self._bias else []))
        Model.__init__(self, parameter_ring(names))

    def widths(self):
        r"""
        Return the widths ``[inputs, hidden, outputs]``.

        EXAMPLES::

            sage: from sage_conslaws import ICNN
            sage: ICNN(3, 4, 2).widths()
            [3, 4, 2]
        """
        return list(self._widths)

    def has_bias(self):
        r"""
        Return whether hidden neurons have biases.

        EXAMPLES::

            sage: from sage_conslaws import ICNN
            sage: ICNN(3, 4, 2).has_bias()
            False
        """
        return self._bias

    def layers(self):
        r"""
        Return the matrices `U` and `V` and the list of biases (empty without biases).

        EXAMPLES::

            sage: from sage_conslaws import ICNN
            sage: U, V, b = ICNN(2, 1, 1, bias=True).layers()
            sage: U, V, b
            ([U_0_0], [V_0_0 V_0_1], [b_0])
        """
        n0, r, n2 = self._widths
        gens = self.parameters()
        U = matrix(self.ring(), n2, r, gens[:n2 * r])
        V = matrix(self.ring(), r, n0, gens[n2 * r:n2 * r + r * n0])
        return U, V, list(gens[n2 * r + r * n0:])

    def reparametrization(self):
        r"""
        Return, per hidden neuron `k`, the entries of `u_k v_k^T` and `u_k b_k`.

        EXAMPLES::

            sage: from sage_conslaws import ICNN
            sage: ICNN(2, 1, 1).reparametrization()
            [U_0_0*V_0_0, U_0_0*V_0_1]
        """
        U, V, b = self.layers()
        phi = []
        for k in range(self._widths[1]):
            for i in range(U.nrows()):
                phi += [U[i, k] * V[k, j] for j in range(V.ncols())]
                if self._bias:
                    phi.append(U[i, k] * b[k])
        return phi

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

    def known_laws(self):
        r"""
        Return the Euclidean laws `\|u_k\|^2 - \|v_k\|^2 - b_k^2`, one per hidden neuron.

        EXAMPLES::

            sage: from sage_conslaws import ICNN
            sage: ICNN(1, 1, 1, bias=True).known_laws()
            [('neuron 0', U_0_0^2 - V_0_0^2 - b_0^2)]
        """
        U, V, b = self.layers()
        return [(f"neuron {k}", _squared_norm(U.column(k)) - self._incoming(V, b, k))
                for k in range(self._widths[1])]

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
        U, V, b = self.layers()
        return [(f"neuron {k}", sum(U.column(k)) - self._incoming(V, b, k) / 2)
                for k in range(self._widths[1])]

    def _incoming(self, V, b, k):
        return _squared_norm(V.row(k)) + (b[k]**2 if self._bias else 0)

    def _repr_(self):
        bias = ", bias=True" if self._bias else ""
        return f"ICNN({', '.join(map(str, self._widths))}{bias}) with {self.dimension()} parameters"


def _squared_norm(entries):
    return sum(e**2 for e in entries)
