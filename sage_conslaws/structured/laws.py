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
coefficients, read from the polynomial, equal those of `h_G`) and that the
activation allows `G`; their independence is read at the point, as the rank
of their gradients modulo `p`.
"""
import numpy

from sage_conslaws.structured.layered import activation_slopes
from sage_conslaws.structured.modular import sage_matrix


def structural_laws(network, coordinates, prime):
    r"""
    Return the known laws of ``network`` proven by its structure, and those independent at the point.

    INPUT:

    - ``network`` -- a :class:`~sage_conslaws.models.layered.LayeredNetwork`
      whose activations are linear in `z` on each region
    - ``coordinates`` -- the integer coordinates of the point
    - ``prime`` -- the prime of the rank

    OUTPUT: the list of laws ``(name, polynomial)``, and the sublist of those
    whose gradients at the point are independent modulo ``prime`` (the first
    ones that are); ``ValueError`` if a law is not a form `h_G` of the
    structure. Laws independent at a point are functionally independent.

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork, ReLUNetwork
        sage: from sage_conslaws.structured.laws import structural_laws
        sage: laws, independent = structural_laws(ReLUNetwork([2, 3, 1], bias=True),
        ....:                                     list(range(1, 13)), 101)
        sage: len(laws), len(independent)
        (3, 3)

    With more hidden neurons than inputs and outputs together, the entries of
    `W_1 W_1^T - W_2^T W_2` are dependent: `kr - k(k-1)/2` of them are
    independent, `k = 2`, `r = 3` ([MGP2023]_)::

        sage: laws, independent = structural_laws(LinearNetwork([1, 3, 1]), [1, 2, 3, 4, 5, 6], 101)
        sage: len(laws), len(independent)
        (6, 5)

    TESTS:

    A law that is no form of the structure is refused::

        sage: from sage_conslaws.structured.laws import _check_law
        sage: N = ReLUNetwork([1, 2, 1]); w = N.parameters()
        sage: _check_law(N, ("mixing on a ReLU layer", w[0]*w[1] - w[2]*w[3]))
        Traceback (most recent call last):
        ...
        ValueError: mixing on a ReLU layer: not a conservation law of the structure of ReLUNetwork([1, 2, 1]) with 4 parameters
    """
    laws = list(network.known_laws())
    D = network.dimension()
    theta = [int(c) % prime for c in coordinates]  # Python integers: no overflow
    rows = numpy.zeros((len(laws), D), dtype=numpy.int64)
    structure = _Structure(network)
    for k, law in enumerate(laws):
        form = _check_law(network, law, structure)
        for (i, j), c in form.items():
            c = int(c % prime)
            # d/dtheta_i of c theta_i theta_j
            rows[k, i] = (int(rows[k, i]) + c * theta[j] * (2 if i == j else 1)) % prime
            if i != j:
                rows[k, j] = (int(rows[k, j]) + c * theta[i]) % prime
    pivots = sage_matrix(rows, prime).pivot_rows() if laws else ()
    return laws, [laws[k] for k in pivots]


def _check_law(network, law, structure=None):
    r"""
    Return the quadratic form of ``law`` after checking that it is a form `h_G` of the structure.
    """
    structure = structure or _Structure(network)
    name, h = law
    form = _quadratic_form(h)
    if form is not None:
        for layer in structure.hidden_layers():
            G = structure.read_G(layer, form)
            if G and structure.allows(layer, G) and structure.form_of(layer, G) == form:
                return form
    raise ValueError(f"{name}: not a conservation law of the structure of {network}")


def _quadratic_form(h):
    r"""
    Return ``{(i, j): c}`` (`i \le j`) with `h = \sum c\, \theta_i \theta_j`, or ``None`` if `h` is not a quadratic form.
    """
    form = {}
    for exponent, c in h.dict().items():
        positions = exponent.nonzero_positions()
        if len(positions) == 1 and exponent[positions[0]] == 2:
            form[positions[0], positions[0]] = c
        elif len(positions) == 2 and exponent[positions[0]] == exponent[positions[1]] == 1:
            form[tuple(positions)] = c
        else:
            return None
    return form


class _Structure:
    r"""
    Where the weights of each hidden layer sit, and what its activation allows.
    """

    def __init__(self, network):
        self._layers = network.layer_indices()
        self._slopes = activation_slopes(network)
        # the neuron of each weight of the first incoming column, per hidden layer
        self._first = [{row[0]: a for a, row in enumerate(W)} for W, _, _ in self._layers]

    def hidden_layers(self):
        return range(1, len(self._layers))

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
        W, b, _ = self._layers[layer - 1]
        return list(W[a]) + ([] if b is None else [b[a]])

    def outgoing(self, layer, a):
        return [row[a] for row in self._layers[layer][0]]

    def read_G(self, layer, form):
        r"""
        Return `G` (as ``{(a, b): G_ab}``, `a \le b`) read off the first incoming column of ``layer``.
        """
        first = self._first[layer - 1]
        G = {}
        for (i, j), c in form.items():
            if i in first and j in first:
                a, b = sorted((first[i], first[j]))
                G[a, b] = c if a == b else c / 2
        return G

    def form_of(self, layer, G):
        r"""
        Return the quadratic form of `h_G` on ``layer``.
        """
        form = {}
        for (a, b), g in G.items():
            for sign, indices in ((1, self.incoming), (-1, self.outgoing)):
                for i, j in zip(indices(layer, a), indices(layer, b)):
                    key = (min(i, j), max(i, j))
                    form[key] = form.get(key, 0) + sign * g * (1 if a == b else 2)
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

    OUTPUT: as :func:`structural_laws`

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
