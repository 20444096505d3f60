r"""
The conservation laws and symmetries that the structure of a layered network gives

Głuch and Urbanke ([GU2021]_), one family per hidden layer `h`: if `\sigma_h` is
`p`-homogeneous, the rescaling of each neuron `i` and the law
`\|W_h[i,:]\|^2 + b_h[i]^2 - p\,\|W_{h+1}[:,i]\|^2`; if Swish,
`\|W_h[i,:]\|^2 + b_h[i]^2 - \beta_h[i]^2 - \|W_{h+1}[:,i]\|^2`; if linear, all of
`\mathfrak{gl}(n_h)` mixes the neurons and the entries of
`[W_h | b_h][W_h | b_h]^T - W_{h+1}^T W_{h+1}` are laws.

:class:`LayerLaws` holds them for
:class:`~sage_conslaws.models.layered.LayeredNetwork`, which derives from it; they
are read from the network's parameter blocks, never from the names of its parameters.
"""
from sage.matrix.constructor import matrix
from sage.rings.rational_field import QQ

from sage_conslaws.laws.forms import form_polynomials
from sage_conslaws.limits import check_known_laws, check_law_forms
from sage_conslaws.models.widths import neuron_mixing, sparse_add

#: The ways :meth:`LayerLaws.structural_symmetries` groups the rescalings.
GENERATOR_GROUPINGS = ("neuron", "layer")


class LayerLaws:
    r"""
    The laws and symmetries of a layered network, from its structure.

    A mixin of :class:`~sage_conslaws.models.layered.LayeredNetwork`: it uses
    the network's widths, activations and parameter blocks.

    EXAMPLES::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.models.layer_laws import LayerLaws
        sage: N = ReLUNetwork([1, 1, 1])
        sage: isinstance(N, LayerLaws), N.known_laws()
        (True, [('neuron 1.0', w1_0_0^2 - w2_0_0^2)])
    """

    def law_matrices(self):
        r"""
        Return the matrices `[W_h | b_h][W_h | b_h]^T - W_{h+1}^T W_{h+1}` when every hidden layer is linear.

        A network with some non-linear hidden layer has per-neuron laws too,
        which a list of matrices would hide: none then.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork, MLP
            sage: LinearNetwork([1, 1, 1, 1]).law_matrices()
            [('W1 W1^T - W2^T W2', [w1_0_0^2 - w2_0_0^2]),
             ('W2 W2^T - W3^T W3', [w2_0_0^2 - w3_0_0^2])]
            sage: MLP([1, 1, 1], "linear", bias=True).law_matrices()
            [('[W1|b1] [W1|b1]^T - W2^T W2', [w1_0_0^2 + b1_0^2 - w2_0_0^2])]
            sage: MLP([1, 1, 1], "relu").law_matrices()
            []
        """
        if not all(sigma.is_linear() for sigma in self._activations):
            return []
        self._check_known_laws()
        return [self._linear_layer_matrix(h) for h in range(1, len(self._widths) - 1)]

    def _check_known_laws(self):
        r"""
        Raise a clear error if the known laws are too large to build (see :func:`~sage_conslaws.limits.check_known_laws`).

        A linear layer `h` builds two `n_h \times n_h` products and their
        difference, a homogeneous or Swish layer one law per neuron, with its
        incoming and outgoing weights, bias and slope.

        TESTS::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([100, 100, 100, 100]).known_laws()
            Traceback (most recent call last):
            ...
            BeyondReach: ReLUNetwork([100, 100, 100, 100]): its known laws have up to 40000 terms in 30000 variables, about 4808 MB, beyond reach: Singular stores all exponents of every term (at most 2000 MB)
        """
        terms = self._count_by_layer(
            lambda h, width, fan: 2 * width**2 * fan,
            lambda width, fan, sigma: width * (fan + (1 if sigma.has_trainable_beta() else 0)))
        check_known_laws(self._description(), terms, self.dimension())

    def _linear_layer_matrix(self, h):
        r"""
        Return the name and the matrix of the laws of the linear hidden layer ``h``.
        """
        W, b, _ = self.layer_parameters(h)
        V = self.layer_parameters(h + 1)[0]
        if b is not None:
            W = W.augment(b)
        return self._linear_layer_name(h), W * W.transpose() - V.transpose() * V

    def _linear_layer_name(self, h):
        if (h, 0) in self._biases:
            return f"[W{h}|b{h}] [W{h}|b{h}]^T - W{h + 1}^T W{h + 1}"
        return f"W{h} W{h}^T - W{h + 1}^T W{h + 1}"

    def law_forms(self, pivots=None):
        r"""
        Return the laws of :meth:`known_laws` as quadratic forms over the positions of the parameters.

        A law `\sum c_{ij} \theta_i \theta_j` is the dictionary ``{(i, j):
        c}`` (`i \le j`). No polynomial ring is needed: this is how the laws of
        networks too large for one (more than 32767 parameters) are held.

        INPUT:

        - ``pivots`` -- (default: ``None``, every law) a dictionary: for some
          linear hidden layers `h`, a set `I` of their neurons; of the entries
          `(a, c)` of layer `h`, only those with `a` or `c` in `I` are returned.
          With `I` the pivot rows of `P = [W_h | b_h | W_{h+1}^T]` at a point,
          they are independent there and their gradients span those of all the
          entries (see :func:`~sage_conslaws.structured.laws.structural_laws`).
          A subclass that overrides this method takes it too.

        OUTPUT: a list of pairs ``(name, form)``, in the order of :meth:`known_laws`

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork, ReLUNetwork
            sage: ReLUNetwork([1, 1, 1], bias=True).law_forms()
            [('neuron 1.0', {(0, 0): 1, (1, 1): 1, (2, 2): -1})]
            sage: LinearNetwork([1, 2, 1]).law_forms()[1]
            ('W1 W1^T - W2^T W2 [0,1]', {(0, 1): 1, (2, 3): -1})
            sage: [name for name, _ in LinearNetwork([1, 3, 1]).law_forms({1: {0, 2}})]
            ['W1 W1^T - W2^T W2 [0,0]', 'W1 W1^T - W2^T W2 [0,1]', 'W1 W1^T - W2^T W2 [0,2]',
             'W1 W1^T - W2^T W2 [1,2]', 'W1 W1^T - W2^T W2 [2,2]']

        A network beyond the reach of a polynomial ring has its laws as forms::

            sage: N = ReLUNetwork([300, 100, 10]); N.dimension()
            31000
            sage: M = ReLUNetwork([300, 200, 10]); M.dimension()
            62000
            sage: forms = M.law_forms(); len(forms), len(forms[0][1])
            (200, 310)
            sage: M.ring()
            Traceback (most recent call last):
            ...
            BeyondReach: ReLUNetwork([300, 200, 10]) has 62000 parameters, beyond reach: every parameter is a variable of a Singular polynomial ring (at most 32767 parameters)

        TESTS:

        The forms of a linear layer are the entries of the matrix products of
        :meth:`law_matrices`::

            sage: from sage_conslaws import MLP
            sage: from sage_conslaws.models.base import symmetric_entries
            sage: for N in [LinearNetwork([2, 3, 2]), MLP([2, 3, 3, 1], "linear", bias=True)]:
            ....:     entries = [law for name, M in N.law_matrices() for law in symmetric_entries(name, M)]
            ....:     assert entries == N.known_laws()

        Their size is counted before they are built, for the entries asked::

            sage: LinearNetwork([1, 20000, 1]).law_forms()
            Traceback (most recent call last):
            ...
            BeyondReach: LinearNetwork([1, 20000, 1]): the forms of its known laws have 400020000 entries, beyond reach: each entry is held in memory (at most 10000000 entries)
            sage: len(LinearNetwork([1, 20000, 1]).law_forms({1: {0, 1}}))
            39999
        """
        pivots = pivots or {}
        self._check_law_forms(pivots)
        forms = []
        for h, sigma in enumerate(self._activations, 1):
            if sigma.is_linear():
                incoming, outgoing, _ = self.neuron_positions(h)
                name = self._linear_layer_name(h)
                forms += [(f"{name} [{a},{c}]", _entry_form(incoming, outgoing, a, c))
                          for a, c in _entries(len(incoming), pivots.get(h))]
            elif sigma.rescaling_degree() is not None:
                forms += [(f"neuron {h}.{a}", form)
                          for a, form in enumerate(self._neuron_forms(h))]
        return forms

    def independent_laws_bound(self):
        r"""
        Return an upper bound, from the widths, on the number of known laws independent at a point.

        A linear hidden layer `h` of width `n_h`, with `f` incoming and
        outgoing parameters per neuron, has at most `k n_h - k(k-1)/2`, `k =
        \min(n_h, f)` (the rank of `P` in :meth:`law_forms`); a homogeneous or
        Swish layer `n_h`, one per neuron.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork, MLP
            sage: LinearNetwork([1, 20000, 1]).independent_laws_bound()
            39999
            sage: MLP([2, 3, 3, 1], ["relu", "linear"], bias=True).independent_laws_bound()
            9
        """
        def linear(h, width, fan):
            k = min(width, fan)
            return k * width - k * (k - 1) // 2
        return self._count_by_layer(linear, lambda width, fan, sigma: width)

    def neuron_positions(self, h):
        r"""
        Return, for each neuron of the hidden layer ``h``, the positions of its incoming weights and bias, and of its outgoing weights; and those of the slopes `\beta_h` (or ``None``).

        INPUT:

        - ``h`` -- a hidden layer, `1 \le h < L`

        OUTPUT: two lists of lists of positions (one list per neuron), and a
        list of positions or ``None``

        What the laws of the layer are built from, as forms here and as the
        symmetries that prove them (:mod:`~sage_conslaws.structured.laws`).

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: N = ReLUNetwork([1, 2, 1], bias=True); N.parameters()
            (w1_0_0, w1_1_0, b1_0, b1_1, w2_0_0, w2_0_1)
            sage: N.neuron_positions(1)
            ([[0, 2], [1, 3]], [[4], [5]], None)
        """
        W, b, beta = self._layer_indices(h)
        V = self._layer_indices(h + 1)[0]
        incoming = [list(row) + ([] if b is None else [b[a]]) for a, row in enumerate(W)]
        outgoing = [[row[a] for row in V] for a in range(len(W))]
        return incoming, outgoing, beta

    def _neuron_forms(self, h):
        r"""
        Return, for each neuron of the hidden layer ``h`` (`p`-homogeneous or Swish), the diagonal form ``{(k, k): c}`` of its law.

        `+1` on the incoming weights and bias, `-p` on the outgoing weights,
        and for Swish `-1` on `\beta_h[i]` (and `p = 1`): it is also the
        matrix of the rescaling of the neuron (the same construction as the
        rescalings that :func:`~sage_conslaws.symmetries.solve.linear_symmetries`
        names).
        """
        p = self._activations[h - 1].rescaling_degree()
        incoming, outgoing, beta = self.neuron_positions(h)
        forms = []
        for a in range(len(incoming)):
            form = {(k, k): 1 for k in incoming[a]}
            form.update({(k, k): -p for k in outgoing[a]})
            if beta is not None:
                form[beta[a], beta[a]] = -1
            forms.append(form)
        return forms

    def _count_by_layer(self, linear, homogeneous):
        r"""
        Return a sum over the hidden layers that have known laws, counted from the widths.

        A linear layer `h` of width `n_h` with `f` incoming and outgoing
        parameters per neuron adds ``linear(h, n_h, f)``; a homogeneous or
        Swish layer ``homogeneous(n_h, f, sigma)``. (The terms of the laws,
        the entries of their forms, a bound on how many are independent.)
        """
        n, b = self._widths, 1 if self._bias else 0
        total = 0
        for h, sigma in enumerate(self._activations, 1):
            fan = n[h - 1] + b + n[h + 1]
            if sigma.is_linear():
                total += linear(h, n[h], fan)
            elif sigma.rescaling_degree() is not None:
                total += homogeneous(n[h], fan, sigma)
        return total

    def _check_law_forms(self, pivots):
        r"""
        Raise a clear error if the forms of the known laws are too large to hold (see :func:`~sage_conslaws.limits.check_law_forms`).

        Layer `h` in ``pivots`` has `|I|` rows of its entries in full and
        the `|I|` entries with `I` of the others: `|I| n_h - |I|(|I|-1)/2`.
        """
        def entries(h, width, fan):
            k = len(pivots.get(h, range(width)))
            return (k * width - k * (k - 1) // 2) * fan
        entries = self._count_by_layer(entries, lambda width, fan, sigma: width * (fan + 1))
        check_law_forms(self._description(), entries)

    def known_laws(self):
        r"""
        Return the laws of [GU2021]_, hidden layer by hidden layer.

        A `p`-homogeneous layer gives one law per neuron,
        `\|W_h[i,:]\|^2 + b_h[i]^2 - p\|W_{h+1}[:,i]\|^2`; a Swish layer
        `\|W_h[i,:]\|^2 + b_h[i]^2 - \beta_h[i]^2 - \|W_{h+1}[:,i]\|^2`; a
        linear layer the entries on and above the diagonal of
        `[W_h | b_h][W_h | b_h]^T - W_{h+1}^T W_{h+1}`. A layer whose
        activation is neither homogeneous nor Swish gives none. They are the
        polynomials of :meth:`law_forms`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork, MLP, ReLUNetwork
            sage: ReLUNetwork([2, 1, 1], bias=True).known_laws()
            [('neuron 1.0', w1_0_0^2 + w1_0_1^2 + b1_0^2 - w2_0_0^2)]
            sage: LinearNetwork([1, 2, 1]).known_laws()
            [('W1 W1^T - W2^T W2 [0,0]', w1_0_0^2 - w2_0_0^2),
             ('W1 W1^T - W2^T W2 [0,1]', w1_0_0*w1_1_0 - w2_0_0*w2_0_1),
             ('W1 W1^T - W2^T W2 [1,1]', w1_1_0^2 - w2_0_1^2)]
            sage: MLP([1, 1, 1], "pow3", bias=True).known_laws()
            [('neuron 1.0', w1_0_0^2 + b1_0^2 - 3*w2_0_0^2)]
            sage: MLP([1, 1, 1], "swish").known_laws()
            [('neuron 1.0', w1_0_0^2 - beta1_0^2 - w2_0_0^2)]

        TESTS:

        Their terms are counted first (:func:`~sage_conslaws.limits.check_known_laws`)::

            sage: LinearNetwork([100, 100, 100]).known_laws()
            Traceback (most recent call last):
            ...
            BeyondReach: LinearNetwork([100, 100, 100]): its known laws have up to 4000000 terms in 20000 variables, about 320800 MB, beyond reach: Singular stores all exponents of every term (at most 2000 MB)
        """
        self.ring()   # first: beyond 32767 parameters there is none
        self._check_known_laws()
        return form_polynomials(self, self.law_forms())

    def structural_symmetries(self, per="neuron"):
        r"""
        Return the linear symmetries of [GU2021]_ as :class:`~sage_conslaws.symmetries.generators.SymmetryGenerator` objects.

        These are the symmetries that every network with these activations
        has by its structure. For each hidden layer `h`: if `\sigma_h` is
        `p`-homogeneous, the rescaling of each neuron `i` (`+1` on `W_h[i,:]`
        and `b_h[i]`, `-p` on `W_{h+1}[:,i]`); if Swish, the rescaling `+1` on
        `W_h[i,:]` and `b_h[i]`, `-1` on `\beta_h[i]` and `W_{h+1}[:,i]`. If
        `\sigma_h` is linear, moreover all of `\mathfrak{gl}(n_h)`, `\xi_A:
        (W_h, b_h, W_{h+1}) \mapsto (A W_h, A b_h, -W_{h+1} A)`, in the basis of
        the rescalings `E_{aa}`, the symmetric mixings `E_{ab} + E_{ba}` and
        the rotations `E_{ab} - E_{ba}` (`a < b`): under gradient flow the
        first two give the entries of `[W_h | b_h][W_h | b_h]^T - W_{h+1}^T
        W_{h+1}`, under momentum flows the rotations give conserved
        quantities. :func:`~sage_conslaws.symmetries.solve.linear_symmetries` solves
        for all the linear symmetries of `\phi`, which may be more.

        INPUT:

        - ``per`` -- (default: ``"neuron"``) ``"neuron"``, or ``"layer"``: then
          the rescalings of the neurons of a layer are summed into one
          generator per layer (linear layers keep their mixings and rotations)

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork, MLP, ReLUNetwork
            sage: ReLUNetwork([1, 2, 1], bias=True).structural_symmetries()
            [rescale neuron 1.0: w1_0_0*d/dw1_0_0 + b1_0*d/db1_0 - w2_0_0*d/dw2_0_0,
             rescale neuron 1.1: w1_1_0*d/dw1_1_0 + b1_1*d/db1_1 - w2_0_1*d/dw2_0_1]
            sage: MLP([1, 2, 1], "repu2").structural_symmetries(per="layer")
            [rescale layer 1: w1_0_0*d/dw1_0_0 + w1_1_0*d/dw1_1_0 - 2*w2_0_0*d/dw2_0_0 - 2*w2_0_1*d/dw2_0_1]
            sage: [xi.name() for xi in LinearNetwork([1, 2, 1]).structural_symmetries()]
            ['rescale neuron 1.0', 'rescale neuron 1.1', 'mix layer 1 neurons 0,1',
             'rotate layer 1 neurons 0,1']
            sage: MLP([1, 1, 1], "swish").structural_symmetries()
            [rescale neuron 1.0: w1_0_0*d/dw1_0_0 - beta1_0*d/dbeta1_0 - w2_0_0*d/dw2_0_0]

        TESTS::

            sage: ReLUNetwork([1, 2, 1]).structural_symmetries(per="path")
            Traceback (most recent call last):
            ...
            ValueError: per must be one of neuron, layer, got 'path'
        """
        if per not in GENERATOR_GROUPINGS:
            raise ValueError(f"per must be one of {', '.join(GENERATOR_GROUPINGS)}, got {per!r}")
        generators = []
        for h, sigma in enumerate(self._activations, 1):
            neurons = range(self._widths[h])
            if sigma.rescaling_degree() is not None:
                rescalings = self._neuron_forms(h)
                if per == "neuron":
                    generators += [self._generator(f"rescale neuron {h}.{i}", rescalings[i])
                                   for i in neurons]
                else:
                    layer = {}
                    for rescaling in rescalings:
                        layer = sparse_add(layer, rescaling)
                    generators.append(self._generator(f"rescale layer {h}", layer))
            if sigma.is_linear():
                pairs = [(a, b) for a in neurons for b in neurons if a < b]
                generators += [self._generator(f"{kind} layer {h} neurons {a},{b}",
                                               self._mixing(h, a, b, sign))
                               for kind, sign in (("mix", 1), ("rotate", -1)) for a, b in pairs]
        return generators

    def _generator(self, name, entries):
        r"""
        Return the linear generator ``name`` whose matrix has the ``entries`` ``{(row, column): c}``.
        """
        # imported here: sage_conslaws.symmetries imports this subpackage
        from sage_conslaws.symmetries.generators import SymmetryGenerator
        D = self.dimension()
        return SymmetryGenerator.from_matrix(self.ring(), matrix(QQ, D, D, entries, sparse=True),
                                             name)

    def _mixing(self, h, a, b, sign):
        r"""
        Return the generator `\xi_A`, `A = E_{ab} + \mathrm{sign}\, E_{ba}`, of the linear hidden layer ``h``, as matrix entries.
        """
        return sparse_add(neuron_mixing(self._weights, self._biases, h, a, b),
                          neuron_mixing(self._weights, self._biases, h, b, a), sign)


def _entry_form(incoming, outgoing, a, c):
    r"""
    Return the form of the entry `(a, c)` of `[W | b][W | b]^T - V^T V`, from the positions of the rows and columns.
    """
    form = {}
    for pairs, sign in ((zip(incoming[a], incoming[c]), 1), (zip(outgoing[a], outgoing[c]), -1)):
        for i, j in pairs:
            key = (i, j) if i <= j else (j, i)
            form[key] = form.get(key, 0) + sign
    return form


def _entries(width, pivots):
    r"""
    Return the entries `(a, c)`, `a \le c`, of a symmetric matrix of size ``width`` with `a` or `c` in ``pivots`` (all if ``None``), in order.
    """
    if pivots is None:
        return [(a, c) for a in range(width) for c in range(a, width)]
    chosen = sorted(pivots)
    members = set(chosen)
    return [(a, c) for a in range(width)
            for c in (range(a, width) if a in members else (c for c in chosen if c >= a))]
