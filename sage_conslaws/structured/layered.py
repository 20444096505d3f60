r"""
The gradient fields of a layered network, evaluated by its layers modulo a prime

For a layered network with activations `z \mapsto a z + b\, m z` (linear, ReLU,
leaky ReLU: every activation whose polynomial on a region is linear in `z`),
`\phi` lists the coefficients of the monomials in the inputs `x` and the
masks `m` of the network's output (:meth:`~sage_conslaws.models.expansion.Expansion.reparametrization`),
and every path goes through a neuron at most once, so the output is
multilinear in the masks. Replacing the inputs by a random vector `x`, each
mask by a random value `\delta`, and taking a random combination `y` of the
outputs gives

.. MATH::

    \psi(\theta) = y^T W_L\, s_{L-1} \odot (W_{L-1} \cdots s_1 \odot (W_1 x + b_1) \cdots + b_{L-1}),
    \qquad s_h = a_h + b_h \delta_h,

a linear combination `\sum_j c_j \phi_j` with coefficients `c_j` the monomials
of `x`, `\delta`, `y`. Its gradient, one forward and one backward pass of
matrix products, is a vector of `W(\theta)`; random combinations of this kind
span `W(\theta)`. (Linear layers have no mask: `s_h = 1`.)

EXAMPLES::

    sage: from sage_conslaws import ReLUNetwork
    sage: F = ReLUNetwork([2, 3, 1], bias=True).structured_family(); F
    structured gradient fields of ReLUNetwork([2, 3, 1], bias=True) with 12 parameters
"""
import numpy
from sage.rings.rational_field import QQ

from sage_conslaws.structured.brackets import StructuredFamily
from sage_conslaws.structured.dual import Dual, scatter
from sage_conslaws.structured.modular import matmul, residue


class LayeredFamily(StructuredFamily):
    r"""
    Random combinations of the gradient fields `\nabla \phi_j` of a layered network.

    INPUT:

    - ``network`` -- a :class:`~sage_conslaws.models.layered.LayeredNetwork`
      whose activations are linear in `z` on each region (see
      :func:`activation_slopes`)

    EXAMPLES:

    The values agree with those of the general path, the polynomial fields
    `\nabla \phi_j`: the values of the structured family lie in their span
    at the point, and span it::

        sage: import numpy
        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.fields.evaluation import ModularPoint
        sage: from sage_conslaws.structured.dual import Dual
        sage: from sage_conslaws.structured.modular import sage_matrix
        sage: N = ReLUNetwork([2, 2, 2], bias=True); F = N.structured_family()
        sage: P = ModularPoint(N.dimension(), seed=3); p = P.prime()
        sage: at = Dual.constant(numpy.array([P.integer_coordinates()]), p)
        sage: rows = F.evaluate(at, F.draw(numpy.random.default_rng(int(0)), 20, p)).value()
        sage: general = P.values(N.fields())
        sage: structured = sage_matrix(rows, p)
        sage: general.rank() == structured.rank() == general.stack(structured).rank()
        True
    """

    def __init__(self, network):
        self._network = network
        self._slopes = activation_slopes(network)
        self._widths = network.widths()
        self._layers = [(numpy.array(W, dtype=numpy.int64),
                         None if b is None else numpy.array(b, dtype=numpy.int64))
                        for W, b, _ in network.layer_indices()]

    def dimension(self):
        return self._network.dimension()

    def network(self):
        r"""
        Return the network.
        """
        return self._network

    def draw(self, rng, batch, prime):
        r"""
        Return ``batch`` random combinations: inputs, mask values and output weights.

        The scales `s_h = a_h + b_h \delta_h` of each hidden layer are
        computed here, modulo ``prime``.
        """
        n = self._widths
        x = rng.integers(0, prime, (batch, n[0]))
        y = rng.integers(0, prime, (batch, n[-1]))
        scales = []
        for h, (a, b) in enumerate(self._slopes, 1):
            a, b = residue(a, prime), residue(b, prime)
            delta = rng.integers(0, prime, (batch, n[h])) if b else 0
            scales.append((a + b * delta) % prime + numpy.zeros((batch, n[h]), dtype=numpy.int64))
        return x, scales, y

    def evaluate(self, point, combination):
        r"""
        Return the gradients `\nabla\psi` of the combinations at ``point`` (forward then backward pass).
        """
        x, scales, y = combination
        prime = point.prime()
        units = point.units()
        weights = [point.map(lambda c, W=W: c[..., W]) for W, _ in self._layers]
        biases = [None if b is None else point.map(lambda c, b=b: c[..., b])
                  for _, b in self._layers]
        L = len(self._layers)
        # forward: the activations a_0 = x, ..., a_{L-1}
        activations = [Dual.constant(x, prime).lift(units)]
        for l in range(L - 1):
            z = _apply(weights[l], activations[-1])
            if biases[l] is not None:
                z = z + biases[l]
            activations.append(z * scales[l])
        # backward: the gradient of psi with respect to each pre-activation
        gradient = Dual.constant(y, prime).lift(units)
        parts = []
        for l in reversed(range(L)):
            parts.append((self._layers[l][0], _outer(gradient, activations[l])))
            if biases[l] is not None:
                parts.append((self._layers[l][1], gradient))
            if l:
                gradient = _apply(weights[l].map(lambda c: numpy.swapaxes(c, -1, -2)),
                                  gradient) * scales[l - 1]
        return scatter(parts, len(x), self.dimension(), prime, units)

    def _repr_(self):
        return f"structured gradient fields of {self._network}"

    __repr__ = _repr_


def activation_slopes(network):
    r"""
    Return, per hidden layer, `(a, b)` such that the activation is `a z + b\, m z`, or raise ``ValueError``.

    EXAMPLES::

        sage: from sage_conslaws import MLP
        sage: from sage_conslaws.structured.layered import activation_slopes
        sage: activation_slopes(MLP([1, 2, 2, 2, 1], ["linear", "relu", "leaky_relu"]))
        [(1, 0), (0, 1), (1/100, 99/100)]
        sage: activation_slopes(MLP([1, 2, 1], "repu2"))
        Traceback (most recent call last):
        ...
        ValueError: the structured path needs activations linear in z on each region; repu2 is not
    """
    from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    z, m = PolynomialRing(QQ, 'z, m').gens()
    slopes = []
    for sigma in network.activations():
        if sigma.has_trainable_beta():
            raise ValueError(f"the structured path needs activations linear in z on each region; "
                             f"{sigma.name()} is not")
        p = sigma.polynomial(z, m)
        a, b = p.monomial_coefficient(z), p.monomial_coefficient(m * z)
        if p != a * z + b * m * z:
            raise ValueError(f"the structured path needs activations linear in z on each region; "
                             f"{sigma.name()} is not")
        slopes.append((a, b))
    return slopes


def _apply(matrix, vector):
    r"""
    Return the batched product of a matrix (shape ``(..., n, m)``) and a vector (``(..., m)``).

    A coefficient shared by the batch (leading size 1, the point itself) is one
    BLAS product; the others, one per batch element, an int64 ``einsum``,
    exact while `m < 2^{17}`. (Measured on the closure of ``linear 4,20,20,3``,
    11 bracket depths: 202 s with numpy's batched ``matmul``, which loops over
    the batch, against 38 s.)
    """
    prime = matrix.prime()

    def product(W, a):
        if W.size == W.shape[-1] * W.shape[-2]:   # one matrix for the whole stack and batch
            return matmul(a, W.reshape(W.shape[-2:]).T, prime)
        if W.shape[-1] < 2**17:
            return numpy.einsum("...nm,...m->...n", W, a) % prime
        return matmul(W, a[..., None], prime)[..., 0]
    return matrix.bilinear(vector, product)


def _outer(column, row):
    r"""
    Return the batched outer product of two vectors: shape ``(..., n, m)``.
    """
    return column.map(lambda c: c[..., :, None]) * row.map(lambda c: c[..., None, :])
