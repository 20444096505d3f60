r"""
The known laws of a layered network, proven by its structure

A law of :meth:`~sage_conslaws.models.layer_laws.LayerLaws.known_laws` is
proven here without expanding `\phi`: it is the quadratic form

.. MATH::

    h_G(\theta) = \mathrm{tr}\big(G\, [W_h | b_h][W_h | b_h]^T\big) - \mathrm{tr}\big(G\, W_{h+1}^T W_{h+1}\big)

of a symmetric `G` on the neurons of one hidden layer `h`, with `G`
diagonal unless the activation of layer `h` is the identity. Then
`\nabla h_G = 2 A_G \theta`, where `A_G` is the infinitesimal symmetry
`[W_h | b_h] \mapsto G [W_h | b_h]`, `W_{h+1} \mapsto -W_{h+1} G`, and
`\langle \nabla h_G, \nabla \phi_j \rangle = 2\, \frac{d}{dt} \phi_j(e^{t A_G}\theta)|_{t=0}`.
The network is invariant under `e^{tA_G}` because its activation
`\sigma(z) = a z + b\, m z` satisfies `\sigma(\lambda z) = \lambda \sigma(z)`
neuron by neuron (Euler: `\sigma'(z) z = \sigma(z)` on each region), and a
linear activation commutes with every matrix `G`; so the pairing vanishes for
every `j`. What is checked, exactly, is that each law *is* such a form (its
coefficients equal those of `h_G`) and that the activation allows `G`; their
independence is read at the point, from the structure or as the rank of their
gradients modulo `p`.
"""
import inspect

import numpy
from sage.rings.rational_field import QQ

from sage_conslaws.laws.forms import quadratic_form
from sage_conslaws.limits import check_law_gradients
from sage_conslaws.structured.layered import activation_slopes
from sage_conslaws.structured.modular import residue, sage_matrix


def structural_laws(network, coordinates, prime):
    r"""
    Return known laws of ``network`` proven by its structure and independent at the point, as quadratic forms.

    INPUT:

    - ``network`` -- a :class:`~sage_conslaws.models.layered.LayeredNetwork`
      whose activations are linear in `z` on each region
    - ``coordinates`` -- the integer coordinates of the point
    - ``prime`` -- the prime of the rank

    OUTPUT: a list of pairs ``(name, form)`` (see :mod:`~sage_conslaws.laws.forms`)
    whose gradients at the point are independent modulo ``prime`` and span
    those of every known law; ``ValueError`` if a law is not a form `h_G` of
    the structure. Laws independent at a point are functionally independent.

    No polynomial ring is needed: the forms come from
    :meth:`~sage_conslaws.models.layer_laws.LayerLaws.law_forms` (from the
    polynomials of :meth:`~sage_conslaws.models.base.Model.known_laws` when
    a subclass overrides it, and all of them when its ``law_forms`` takes no
    ``pivots``). Of a linear layer `h` they are the entries
    `(a, c)` of `[W_h | b_h][W_h | b_h]^T - W_{h+1}^T W_{h+1}` with `a` or
    `c` among the pivot rows `I` of `P = [W_h | b_h | W_{h+1}^T]` at the
    point: `\nabla h_G = 2 A_G\theta` is `G [W_h | b_h | -W_{h+1}^T]` laid
    out on the parameters (the rank and kernel of `G \mapsto GP`), the
    symmetric `G` with `GP = 0` are `N S N^T` with `N` a basis of the left
    kernel of `P`, `N = (-C^T; 1)` once `P` is written `(P_I; C P_I)`, so
    no nonzero `G` vanishing off the rows and columns `I` is in that kernel:
    these entries are independent, and as many as the rank of
    `G \mapsto GP`, so they span the gradients of all. When the laws lie on
    one hidden layer that is all the proof; the laws of several layers meet on
    the weights between them, and their independence is the rank of their
    gradients modulo `p`, computed.

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork, ReLUNetwork
        sage: from sage_conslaws.structured.laws import structural_laws
        sage: len(structural_laws(ReLUNetwork([2, 3, 1], bias=True), list(range(1, 13)), 101))
        3

    With more hidden neurons than inputs and outputs together, the entries of
    `W_1 W_1^T - W_2^T W_2` are dependent: `kr - k(k-1)/2` of them are
    independent, `k = 2`, `r = 3` ([MGP2023]_)::

        sage: [name for name, _ in structural_laws(LinearNetwork([1, 3, 1]), [1, 2, 3, 4, 5, 6], 101)]
        ['W1 W1^T - W2^T W2 [0,0]', 'W1 W1^T - W2^T W2 [0,1]', 'W1 W1^T - W2^T W2 [0,2]',
         'W1 W1^T - W2^T W2 [1,1]', 'W1 W1^T - W2^T W2 [1,2]']

    Beyond 32767 parameters (no polynomial ring), `2h - 1` laws of
    `h(h+1)/2`::

        sage: from sage_conslaws.fields.evaluation import ModularPoint
        sage: N = LinearNetwork([1, 20000, 1]); P = ModularPoint(N.dimension(), seed=0)
        sage: len(structural_laws(N, P.integer_coordinates(), P.prime()))
        39999

    TESTS:

    A law that is no form of the structure is refused::

        sage: from sage_conslaws.structured.laws import _Structure, _check_form
        sage: N = ReLUNetwork([1, 2, 1])
        sage: _check_form(N, "mixing on a ReLU layer", {(0, 1): 1, (2, 3): -1}, _Structure(N))
        Traceback (most recent call last):
        ...
        ValueError: mixing on a ReLU layer: not a conservation law of the structure of ReLUNetwork([1, 2, 1]) with 4 parameters

    The laws of several layers are ranked together::

        sage: len(structural_laws(LinearNetwork([1, 1, 1, 1]), [1, 2, 3], 101))
        2
    """
    theta = [int(c) % prime for c in coordinates]  # Python integers: no overflow
    structure = _Structure(network)
    laws, pivots = _known_forms(network, structure, theta, prime)
    if len(structure.hidden_layers()) > 1 or pivots is None:
        # every hidden layer has laws, so their rank will be needed: refused before the checks
        check_law_gradients(len(laws), len(theta))
    checked = [_check_form(network, name, form, structure) for name, form in laws]
    independent = _one_layer(laws, checked, structure, pivots, theta, prime)
    if independent is not None:
        return independent
    rows = form_gradients([form for _, form in laws], theta, prime)
    return [laws[k] for k in (sage_matrix(rows, prime).pivot_rows() if laws else ())]


def _known_forms(network, structure, theta, prime):
    r"""
    Return the known laws of ``network`` as forms, and the pivots of its linear layers at the point (``None`` if the laws are not those of :meth:`~sage_conslaws.models.layer_laws.LayerLaws.law_forms`).
    """
    from sage_conslaws.models.layer_laws import LayerLaws
    if "pivots" not in inspect.signature(network.law_forms).parameters:
        # a subclass's law_forms of the earlier signature: all its laws, ranked
        return network.law_forms(), None
    if type(network).known_laws is not LayerLaws.known_laws:
        laws = [(name, quadratic_form(h)) for name, h in network.known_laws()]
        for name, form in laws:
            if form is None:
                raise ValueError(f"{name}: not a conservation law of the structure of {network}")
        return laws, None
    pivots = {}
    for layer in structure.hidden_layers():
        if structure.slopes(layer) == (1, 0):
            P = [[theta[i] for i in structure.incoming(layer, a) + structure.outgoing(layer, a)]
                 for a in range(structure.width(layer))]
            pivots[layer] = set(sage_matrix(numpy.array(P, dtype=numpy.int64), prime).pivot_rows())
    return network.law_forms(pivots), pivots


def _one_layer(laws, checked, structure, pivots, theta, prime):
    r"""
    Return the laws independent at the point by the structure alone, or ``None`` when their rank must be computed.

    That is when they lie on one hidden layer, each the form `h_G` of one
    entry `(a, b)` of `G` (``checked`` holds the layer and `G` of each),
    all distinct, and `p` is odd (the gradient of a square is twice a
    vector). On a linear layer, the entries on the rows and columns of its
    pivots are independent (:func:`structural_laws`); on a homogeneous layer,
    the entries `(a, a)`, one per neuron, have disjoint supports: independent
    unless a gradient vanishes.
    """
    layers = {layer for layer, _ in checked}
    entries = [tuple(G) for _, G in checked]
    if pivots is None or prime == 2 or len(layers) != 1 or any(len(e) != 1 for e in entries) \
            or len(set(entries)) != len(entries):
        return None
    layer = layers.pop()
    if structure.slopes(layer) == (1, 0):
        I = pivots[layer]
        return laws if all(a in I or b in I for ((a, b),) in entries) else None
    return [(name, form) for name, form in laws
            if any(residue(c, prime) and theta[i] for (i, _), c in form.items())]


def form_gradients(forms, point, prime):
    r"""
    Return the gradients of the quadratic forms ``forms`` at ``point`` modulo ``prime``.

    INPUT:

    - ``forms`` -- a list of forms ``{(i, j): c}``
    - ``point`` -- the integer coordinates of the point, reduced modulo ``prime``
    - ``prime`` -- a prime below `2^{23}`

    OUTPUT: an integer array of shape ``(len(forms), D)``; its size is
    checked first (:func:`~sage_conslaws.limits.check_law_gradients`)

    EXAMPLES::

        sage: from sage_conslaws.structured.laws import form_gradients
        sage: form_gradients([{(0, 0): 1, (0, 3): -2}, {(1, 1): 1/2}], [1, 2, 3, 4], 101).tolist()
        [[95, 0, 0, 99], [0, 2, 0, 0]]
    """
    check_law_gradients(len(forms), len(point))
    entries = [(k, i, j, c) for k, form in enumerate(forms) for (i, j), c in form.items()]
    law, i, j = (numpy.array([e[n] for e in entries], dtype=numpy.int64) for n in range(3))
    residues = {c: residue(c, prime) for c in {e[3] for e in entries}}
    c = numpy.array([residues[e[3]] for e in entries], dtype=numpy.int64)
    theta = numpy.array(point, dtype=numpy.int64)
    rows = numpy.zeros((len(forms), len(point)), dtype=numpy.int64)
    # d/dtheta_i of c theta_i theta_j is c theta_j (2 c theta_i if i = j): each product
    # below 2^47 and reduced before the sums
    numpy.add.at(rows, (law, i), c * theta[j] % prime * numpy.where(i == j, 2, 1) % prime)
    off = i != j
    numpy.add.at(rows, (law[off], j[off]), c[off] * theta[i[off]] % prime)
    return rows % prime


def _check_form(network, name, form, structure):
    r"""
    Return the hidden layer and the `G` of which the law ``(name, form)`` is the form `h_G`, after checking it; else raise ``ValueError``.
    """
    for layer in structure.hidden_layers():
        G = structure.read_G(layer, form)
        if G and structure.allows(layer, G) and structure.form_of(layer, G) == form:
            return layer, G
    raise ValueError(f"{name}: not a conservation law of the structure of {network}")


class _Structure:
    r"""
    Where the weights of each hidden layer sit, and what its activation allows.
    """

    def __init__(self, network):
        self._slopes = activation_slopes(network)
        # the positions into and out of each neuron, per hidden layer
        self._positions = [network.neuron_positions(h)[:2]
                           for h in range(1, len(self._slopes) + 1)]
        # the neuron of each weight of the first incoming column, per hidden layer
        self._first = [{into[0]: a for a, into in enumerate(incoming)}
                       for incoming, _ in self._positions]

    def hidden_layers(self):
        return range(1, len(self._positions) + 1)

    def width(self, layer):
        return len(self._positions[layer - 1][0])

    def slopes(self, layer):
        return self._slopes[layer - 1]

    def first(self, layer):
        r"""
        Return the neuron of each weight of the first incoming column of ``layer``.
        """
        return self._first[layer - 1]

    def allows(self, layer, G):
        r"""
        Return whether the activation of ``layer`` allows `G`: any `G` if it is the identity, else a diagonal one.
        """
        return self._slopes[layer - 1] == (1, 0) or all(a == b for a, b in G)

    def incoming(self, layer, a):
        return self._positions[layer - 1][0][a]

    def outgoing(self, layer, a):
        return self._positions[layer - 1][1][a]

    def read_G(self, layer, form):
        r"""
        Return `G` (as ``{(a, b): G_ab}``, `a \le b`) read off the first incoming column of ``layer``.
        """
        first = self._first[layer - 1]
        G = {}
        for (i, j), c in form.items():
            if i in first and j in first:
                a, b = sorted((first[i], first[j]))
                G[a, b] = QQ(c) if a == b else QQ(c) / 2
        return G

    def form_of(self, layer, G):
        r"""
        Return the quadratic form of `h_G` on ``layer``.
        """
        form = {}
        for (a, b), g in G.items():
            for sign, indices in ((1, self.incoming), (-1, self.outgoing)):
                c = sign * QQ(g) * (1 if a == b else 2)
                c = int(c) if c.is_integer() else c  # Python integers add faster
                for i, j in zip(indices(layer, a), indices(layer, b)):
                    key = (i, j) if i <= j else (j, i)
                    form[key] = form.get(key, 0) + c
        return {key: c for key, c in form.items() if c}

    def symmetry(self, layer, G):
        r"""
        Return the matrix `A_G` of the infinitesimal symmetry, as ``{(i, j): A_ij}``, for any `G` given in full.

        `(A_G\theta)` is `G [W_h | b_h]` on the weights and biases into
        ``layer`` and `-W_{h+1} G` on the weights out of it.
        """
        A = {}
        for (a, b), g in G.items():
            for i, j in zip(self.incoming(layer, a), self.incoming(layer, b)):
                A[i, j] = A.get(i, 0) + g
            for i, j in zip(self.outgoing(layer, b), self.outgoing(layer, a)):
                A[i, j] = A.get(i, 0) - g
        return {key: c for key, c in A.items() if c}


def momentum_structural_laws(flow, coordinates, prime):
    r"""
    Return the known laws of a Euclidean momentum flow of a layered network, proven by its structure, and those independent at the point.

    A law is proven when it is `I \langle A_G \theta, v\rangle`, with `I` the
    flow's :meth:`~sage_conslaws.dynamics.phase_space.MomentumFlow.integrating_factor`
    and `A_G` the symmetry of a *skew* `G` on a linear hidden layer (see
    :func:`structural_laws`): `A_G` is then skew, so `\langle A_G v, v\rangle = 0`,
    and `\langle A_G\theta, \nabla L\rangle = 0`; along `\dot\theta = v`,
    `\dot v = -\tau v - \nabla L`, `\frac{d}{dt}\langle A_G\theta, v\rangle =
    -\tau \langle A_G\theta, v\rangle`, which `I` compensates (`\dot I = \tau I`).
    The coefficients of each law are read from its polynomial and compared
    exactly with those of `I \langle A_G\theta, v\rangle`.

    INPUT:

    - ``flow`` -- a :class:`~sage_conslaws.dynamics.phase_space.MomentumFlow`
      with the Euclidean metric, of a :class:`~sage_conslaws.models.layered.LayeredNetwork`
    - ``coordinates``, ``prime`` -- the point of phase space and the prime

    OUTPUT: the list of laws ``(name, polynomial)``, and the sublist of
    those whose gradients at the point are independent modulo ``prime`` (the
    first ones that are); ``ValueError`` if a law is not of this form

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.dynamics import MomentumFlow
        sage: from sage_conslaws.structured.laws import momentum_structural_laws
        sage: F = MomentumFlow(LinearNetwork([2, 3, 2]), damping=1)
        sage: laws, independent = momentum_structural_laws(F, list(range(3, 28)), 101)
        sage: len(laws), len(independent)
        (3, 3)

    TESTS:

    The skew mixing of `u` and `v` in `x \mapsto u^T v x` couples two layers:
    it is no symmetry of one layer, and is refused::

        sage: F = MomentumFlow(LinearNetwork([1, 3, 1]))
        sage: momentum_structural_laws(F, list(range(3, 16)), 101)
        Traceback (most recent call last):
        ...
        ValueError: momentum W1 W2^T mixing [0,1]: not a conservation law of the structure of undamped momentum flow (euclidean metric) of LinearNetwork([1, 3, 1]) with 6 parameters, on R^13
    """
    network = flow.base_model()
    structure = _Structure(network)
    D = network.dimension()
    factor = flow.integrating_factor()
    laws = list(flow.known_laws())
    # Python integers: I * c * v is about p^3, beyond int64
    point = [int(c) % prime for c in coordinates]
    theta, v = point[1:D + 1], point[D + 1:]
    I = int(factor(*point) % prime)
    dI = int(factor.derivative(flow.parameters()[0])(*point) % prime)
    rows = numpy.zeros((len(laws), 2 * D + 1), dtype=numpy.int64)
    for k, (name, h) in enumerate(laws):
        A = _momentum_symmetry(structure, D, h, factor)
        if A is None:
            raise ValueError(f"{name}: not a conservation law of the structure of {flow}")
        q = 0
        for (i, j), c in A.items():  # I <A theta, v> = I sum A_ij theta_j v_i
            c = int(c % prime)
            rows[k, 1 + j] = (int(rows[k, 1 + j]) + I * c * v[i]) % prime
            rows[k, 1 + D + i] = (int(rows[k, 1 + D + i]) + I * c * theta[j]) % prime
            q = (q + c * theta[j] * v[i]) % prime
        rows[k, 0] = dI * q % prime
    pivots = sage_matrix(rows, prime).pivot_rows() if laws else ()
    return laws, [laws[k] for k in pivots]


def _momentum_symmetry(structure, D, h, factor):
    r"""
    Return `A_G` if ``h`` is ``factor`` times `\langle A_G\theta, v\rangle` for a skew `G` of a linear layer, else ``None``.
    """
    q, remainder = h.quo_rem(factor)
    if remainder:
        return None
    bilinear = {}
    for exponent, c in q.dict().items():
        positions = exponent.nonzero_positions()
        if (len(positions) != 2 or any(exponent[p] != 1 for p in positions)
                or not 1 <= positions[0] <= D < positions[1] <= 2 * D):
            return None
        theta, v = positions[0] - 1, positions[1] - 1 - D
        bilinear[v, theta] = c  # the entry A_{v, theta}
    for layer in structure.hidden_layers():
        if structure.slopes(layer) != (1, 0):
            continue
        first = structure.first(layer)
        G = {(first[i], first[j]): c for (i, j), c in bilinear.items()
             if i in first and j in first}
        if G and all(G.get((b, a), 0) == -g for (a, b), g in G.items()) \
                and structure.symmetry(layer, G) == bilinear:
            return bilinear
    return None
