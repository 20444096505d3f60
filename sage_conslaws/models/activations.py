r"""
Activation functions, symbolically and in float64

Głuch and Urbanke ([GU2021]_) derive the conservation laws of a network from
the symmetries of its activations. Each :class:`Activation` here knows what
those derivations need:

- its homogeneity degree `p` when `\sigma(\lambda z) = \lambda^p \sigma(z)`
  for `\lambda > 0` (ReLU, LeakyReLU and linear: `p = 1`; RePU(`p`),
  `\max(0, z)^p`, and the power `z^p`: `p`), which gives one rescaling
  symmetry per neuron;
- whether it is linear (a linear layer has a whole `\mathfrak{gl}` of
  mixing symmetries);
- whether it is Swish, `z \, \mathrm{sigmoid}(\beta z)` with a trainable
  `\beta` per neuron, which is not homogeneous but satisfies
  `\mathrm{Swish}_\beta(\lambda z) = \lambda \, \mathrm{Swish}_{\lambda\beta}(z)`;
- its value on one activation region as a polynomial in the pre-activation
  `z` and a mask `m \in \{0, 1\}` (``None`` for Swish, which is not
  piecewise polynomial), from which polynomial reparametrizations are built;
- its float64 value and derivatives, for training runs.

Names: ``relu``, ``leaky_relu`` (slope `1/100` below zero), ``repuP``
(RePU of degree ``P``, e.g. ``repu2``), ``powP`` (`z^P`, e.g. ``pow3``),
``linear``, ``swish``.

EXAMPLES::

    sage: from sage_conslaws.models.activations import activation
    sage: sigma = activation("repu2"); sigma
    RePU(2) activation
    sage: sigma.homogeneity(), sigma.is_linear(), sigma.has_trainable_beta()
    (2, False, False)
    sage: activation("swish").homogeneity() is None
    True

REFERENCES: [GU2021]_ (see the references of the documentation).
"""
import re

from sage.rings.rational_field import QQ
from sage.structure.sage_object import SageObject

#: The slope of LeakyReLU below zero.
LEAKY_SLOPE = QQ((1, 100))

#: The activation names, with ``P`` standing for a degree.
ACTIVATION_NAMES = ("relu", "leaky_relu", "repuP", "powP", "linear", "swish")


class Activation(SageObject):
    r"""
    An activation function: its symmetries, its regionwise polynomial, its float64 values.

    Build activations with :func:`activation`.

    INPUT:

    - ``kind`` -- one of ``"relu"``, ``"leaky_relu"``, ``"repu"``, ``"pow"``,
      ``"linear"``, ``"swish"``
    - ``degree`` -- (default: 1) the degree `p` of ``"repu"`` and ``"pow"``

    EXAMPLES::

        sage: from sage_conslaws.models.activations import Activation
        sage: Activation("pow", 3)
        power z^3 activation
    """

    def __init__(self, kind, degree=1):
        self._kind = kind
        self._degree = int(degree)

    def name(self):
        r"""
        Return the name that :func:`activation` parses back into ``self``.

        EXAMPLES::

            sage: from sage_conslaws.models.activations import activation
            sage: [activation(n).name() for n in ["relu", "repu3", "pow2", "swish"]]
            ['relu', 'repu3', 'pow2', 'swish']
        """
        if self._kind in ("repu", "pow"):
            return f"{self._kind}{self._degree}"
        return self._kind

    def homogeneity(self):
        r"""
        Return the degree `p` with `\sigma(\lambda z) = \lambda^p \sigma(z)` for `\lambda > 0`, or ``None``.

        EXAMPLES::

            sage: from sage_conslaws.models.activations import activation
            sage: [activation(n).homogeneity() for n in ["relu", "leaky_relu", "repu3", "linear"]]
            [1, 1, 3, 1]
        """
        return None if self._kind == "swish" else self._degree

    def is_linear(self):
        r"""
        Return whether the activation is the identity.

        EXAMPLES::

            sage: from sage_conslaws.models.activations import activation
            sage: activation("linear").is_linear(), activation("relu").is_linear()
            (True, False)
        """
        return self._kind == "linear"

    def is_piecewise(self):
        r"""
        Return whether the activation is polynomial only on regions (it has a mask).

        EXAMPLES::

            sage: from sage_conslaws.models.activations import activation
            sage: activation("relu").is_piecewise(), activation("pow2").is_piecewise()
            (True, False)
        """
        return self._kind in ("relu", "leaky_relu", "repu")

    def has_trainable_beta(self):
        r"""
        Return whether each neuron has a trainable parameter `\beta` (Swish).

        EXAMPLES::

            sage: from sage_conslaws.models.activations import activation
            sage: activation("swish").has_trainable_beta()
            True
        """
        return self._kind == "swish"

    def polynomial(self, z, mask):
        r"""
        Return the activation of ``z`` on the region where the mask is ``mask``.

        On a region of fixed sign of the pre-activation, ReLU is `m z`,
        LeakyReLU `(s + (1 - s) m) z` (slope `s`), RePU(`p`) `m z^p`, with the
        mask `m` equal to 1 where `z > 0` and 0 elsewhere; `z^p` and the
        identity have no mask.

        INPUT:

        - ``z`` -- a polynomial (the pre-activation)
        - ``mask`` -- a polynomial standing for the mask `m` (ignored by
          activations without regions)

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws.models.activations import activation
            sage: z, m = PolynomialRing(QQ, 'z, m').gens()
            sage: activation("repu2").polynomial(z, m), activation("leaky_relu").polynomial(z, m)
            (z^2*m, 99/100*z*m + 1/100*z)

        TESTS::

            sage: activation("swish").polynomial(z, m)
            Traceback (most recent call last):
            ...
            ValueError: the swish activation is not piecewise polynomial: networks with it have no polynomial reparametrization
        """
        if self._kind == "swish":
            raise ValueError("the swish activation is not piecewise polynomial: "
                             "networks with it have no polynomial reparametrization")
        if self._kind == "leaky_relu":
            return (LEAKY_SLOPE + (1 - LEAKY_SLOPE) * mask) * z
        power = z**self._degree
        return mask * power if self.is_piecewise() else power

    def numpy(self, z, beta=None):
        r"""
        Return the activation of the float64 array ``z`` (Swish: with slope parameters ``beta``).

        EXAMPLES::

            sage: import numpy as np
            sage: from sage_conslaws.models.activations import activation
            sage: activation("repu2").numpy(np.array([-1.0, 3.0])).tolist()
            [0.0, 9.0]
            sage: activation("swish").numpy(np.array([0.0, 2.0]), beta=np.array([1.0, 0.0])).tolist()
            [0.0, 1.0]
        """
        return self.numpy_with_derivatives(z, beta)[0]

    def numpy_with_derivatives(self, z, beta=None):
        r"""
        Return the values, the derivatives in `z` and (Swish) in `\beta`, on float64 arrays.

        The third entry is ``None`` unless the activation has a trainable `\beta`.

        EXAMPLES::

            sage: import numpy as np
            sage: from sage_conslaws.models.activations import activation
            sage: value, dz, dbeta = activation("pow3").numpy_with_derivatives(np.array([2.0]))
            sage: value.tolist(), dz.tolist(), dbeta
            ([8.0], [12.0], None)
            sage: value, dz, dbeta = activation("swish").numpy_with_derivatives(np.array([0.0]), np.array([1.0]))
            sage: value.tolist(), dz.tolist(), dbeta.tolist()
            ([0.0], [0.5], [0.0])
        """
        import numpy as np
        z = np.asarray(z, dtype=np.float64)
        if self._kind == "swish":
            s = 1 / (1 + np.exp(-beta * z))
            return z * s, s + beta * z * s * (1 - s), z * z * s * (1 - s)
        if self._kind == "leaky_relu":
            slope = np.where(z > 0, 1.0, float(LEAKY_SLOPE))
            return slope * z, slope, None
        p = self._degree
        if self.is_piecewise():
            positive = np.where(z > 0, z, 0.0)
            return positive**p, p * positive**(p - 1) if p > 1 else (z > 0) * 1.0, None
        return z**p, p * z**(p - 1) if p > 1 else np.ones_like(z), None

    def _repr_(self):
        names = {"relu": "ReLU", "leaky_relu": "LeakyReLU", "linear": "linear",
                 "swish": "Swish (trainable beta)", "repu": f"RePU({self._degree})",
                 "pow": f"power z^{self._degree}"}
        return f"{names[self._kind]} activation"

    def rescaling_degree(self):
        r"""
        Return the `p` of the rescaling symmetry of a neuron with this activation, or ``None``.

        `\sigma(\lambda z) = \lambda^p\sigma(z)` gives `p`;
        `\mathrm{Swish}_\beta(\lambda z) = \lambda\,\mathrm{Swish}_{\lambda\beta}(z)` gives 1.

        EXAMPLES::

            sage: from sage_conslaws.models.activations import activation
            sage: [activation(a).rescaling_degree() for a in ["relu", "repu3", "swish"]]
            [1, 3, 1]
        """
        return 1 if self.has_trainable_beta() else self.homogeneity()

    def sympy_regionwise(self):
        r"""
        Return ``(z, m) -> sigma(z)`` on the region of mask ``m``, for sympy expressions.

        Swish, which has no region polynomial, gives ``None``.

        EXAMPLES::

            sage: import sympy
            sage: from sage_conslaws.models.activations import activation
            sage: z, m = sympy.symbols('z m')
            sage: activation("leaky_relu").sympy_regionwise()(z, m)
            99*m*z/100 + z/100
        """
        import sympy
        from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        if self.has_trainable_beta():
            return None
        Z, M = PolynomialRing(QQ, 'z, m').gens()
        terms = self.polynomial(Z, M).dict().items()
        return lambda z, m: sum(sympy.Rational(int(c.numerator()), int(c.denominator()))
                                * z**e[0] * m**e[1] for e, c in terms)

    def __eq__(self, other):
        return isinstance(other, Activation) and self.name() == other.name()

    def __hash__(self):
        return hash(self.name())


def activation(name):
    r"""
    Return the activation called ``name``.

    INPUT:

    - ``name`` -- one of ``relu``, ``leaky_relu``, ``repuP``, ``powP`` (``P``
      a degree `\geq 1`; ``repu1`` is ReLU, ``pow1`` is linear), ``linear``,
      ``swish``; or an :class:`Activation`

    EXAMPLES::

        sage: from sage_conslaws.models.activations import activation
        sage: activation("relu"), activation("pow1"), activation("repu1")
        (ReLU activation, linear activation, ReLU activation)

    TESTS::

        sage: activation("tanh")
        Traceback (most recent call last):
        ...
        ValueError: unknown activation 'tanh'; known: relu, leaky_relu, repuP, powP, linear, swish (P a degree >= 1, e.g. repu2)
        sage: activation("repu0")
        Traceback (most recent call last):
        ...
        ValueError: unknown activation 'repu0'; known: relu, leaky_relu, repuP, powP, linear, swish (P a degree >= 1, e.g. repu2)
    """
    if isinstance(name, Activation):
        return name
    text = str(name).strip().lower()
    if text in ("relu", "leaky_relu", "linear", "swish"):
        return Activation(text)
    match = re.fullmatch(r"(repu|pow)([1-9][0-9]*)", text)
    if match is None:
        raise ValueError(f"unknown activation {name!r}; known: {', '.join(ACTIVATION_NAMES)} "
                         "(P a degree >= 1, e.g. repu2)")
    kind, degree = match.group(1), int(match.group(2))
    if degree == 1:
        return Activation("relu" if kind == "repu" else "linear")
    return Activation(kind, degree)


def check_activations(widths, activations, network="MLP"):
    r"""
    Return the list of one :class:`~sage_conslaws.models.activations.Activation` per hidden layer.

    INPUT:

    - ``widths`` -- the layer widths
    - ``activations`` -- an activation for every hidden layer, or a list of
      one per hidden layer (names or
      :class:`~sage_conslaws.models.activations.Activation`)
    - ``network`` -- (default: ``"MLP"``) the name of the network, for the errors

    EXAMPLES::

        sage: from sage_conslaws.models.activations import check_activations
        sage: check_activations([1, 2, 2, 1], "relu")
        [ReLU activation, ReLU activation]

    TESTS::

        sage: check_activations([3, 4, 4, 2], ["relu"])
        Traceback (most recent call last):
        ...
        ValueError: MLP with widths [3, 4, 4, 2] has 2 hidden layers, got 1 activation
        sage: check_activations([3, 4, 2], None, "Net")
        Traceback (most recent call last):
        ...
        TypeError: Net names no activation: set its class attribute activation, or pass activations
    """
    if activations is None:
        raise TypeError(f"{network} names no activation: set its class attribute activation, "
                        "or pass activations")
    hidden = len(widths) - 2
    if isinstance(activations, (list, tuple)):
        activations = [activation(a) for a in activations]
    else:
        activations = [activation(activations)] * hidden
    if len(activations) != hidden:
        layers = "layer" if hidden == 1 else "layers"
        given = "activation" if len(activations) == 1 else "activations"
        raise ValueError(f"{network} with widths {widths} has {hidden} hidden {layers}, "
                         f"got {len(activations)} {given}")
    return activations
