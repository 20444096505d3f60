r"""
Convolutional networks, 1-D and 2-D, multi-channel, stacked

Layer `l` maps `c_{l-1}` channels to `c_l` channels by a convolution with
kernels `w_l[c, c', a]`, `a` an offset in the kernel (a pair of offsets in
2-D), a stride and a zero padding:

.. MATH::

    z_l[c, p] = \sum_{c', a} w_l[c, c', a]\; z_{l-1}[c', s\,p + a - \mathrm{pad}]
    \;(+\, \beta_l[c]),

followed by a ReLU (or nothing, for linear networks) on the hidden layers,
and no activation after the last layer. The weights are shared over the
positions `p`, so `\phi` comes from the unshared network of all positions:

- with ReLU, a path from an input position to an output position through
  one neuron per hidden layer multiplies one kernel entry per layer; where
  the activations are fixed, every output is a sum of such products times
  the inputs. `\phi` is the set of these products, each once: the sequences
  of channels and offsets `(c_0, a_1, c_1, \dots, a_L, c_L)` that some
  positions realize (with biases, the paths from a bias, `\beta_l[c_l]
  \prod_{l' > l} w_{l'}`, too);
- linear networks are linear maps of the input: `\phi` is the set of the
  entries of that map (and of the affine part, with biases).

A two-layer ReLU network has exactly one law per hidden channel `j`,
`\sum_k \|w_2[k, j, :]\|^2 - \sum_i \|w_1[j, i, :]\|^2` ([MGP2025]_, Thm 3.6).

The class uses only the public base class, as a model written in a Sage
script would (see :doc:`/howto_architecture`).

EXAMPLES::

    sage: from sage_conslaws.models.conv import ConvNetwork
    sage: M = ConvNetwork([1, 2, 1], kernel=2, size=4); M
    ConvNetwork([1, 2, 1], kernel=2, size=4) with 8 parameters
    sage: r = M.conservation_laws(); r.number_of_laws(), r.is_certified()
    (2, True)
    sage: ConvNetwork([1, 2, 1], kernel=2, size=(3, 3)).dimension()   # 2-D
    16
"""
from itertools import product
from numbers import Integral

from sage.matrix.constructor import matrix
from sage.misc.misc_c import prod
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws.limits import check_known_laws, check_parameters, check_reparametrization
from sage_conslaws.models.base import Model
from sage_conslaws.models.widths import check_widths

#: The activations of the hidden layers of a convolutional network.
CONV_ACTIVATIONS = ("relu", "linear")


class ConvNetwork(Model):
    r"""
    A stack of 1-D or 2-D multi-channel convolutions, ReLU or linear, with or without hidden biases.

    The parameters are the kernels of layer 1, ``w1_c_c'_a`` (output
    channel, input channel, offset; two offsets in 2-D), its biases
    ``b1_c`` (with ``bias=True``, hidden layers only), then layer 2, and so on.

    INPUT:

    - ``channels`` -- the numbers of channels `c_0, \dots, c_L` from input to output
    - ``kernel`` -- the kernel size: an integer, or one per axis
    - ``size`` -- the size of the input: an integer (1-D) or a pair (2-D)
    - ``stride`` -- (default: 1) an integer, or one per axis
    - ``padding`` -- (default: 0) zeros added on each side, an integer or one per axis
    - ``activation`` -- (default: ``"relu"``) ``"relu"`` or ``"linear"``
    - ``bias`` -- (default: ``False``) biases on the hidden channels

    EXAMPLES::

        sage: from sage_conslaws.models.conv import ConvNetwork
        sage: M = ConvNetwork([1, 1, 1], kernel=2, size=3)
        sage: M.reparametrization()
        [w1_0_0_0*w2_0_0_0, w1_0_0_0*w2_0_0_1, w1_0_0_1*w2_0_0_0, w1_0_0_1*w2_0_0_1]
        sage: M.known_laws()
        [('layer 1, channel 0: |outgoing kernels|^2 - |incoming kernels|^2',
          -w1_0_0_0^2 - w1_0_0_1^2 + w2_0_0_0^2 + w2_0_0_1^2)]
        sage: ConvNetwork([1, 1, 1], kernel=2, size=3, activation="linear").reparametrization()
        [w1_0_0_0*w2_0_0_0, w1_0_0_1*w2_0_0_0 + w1_0_0_0*w2_0_0_1, w1_0_0_1*w2_0_0_1]

    TESTS::

        sage: TestSuite(ConvNetwork([1, 2, 1], kernel=2, size=3, bias=True)).run()
        sage: ConvNetwork([1, 2, 1], kernel=3, size=7, stride=2).output_size()
        (1,)
        sage: ConvNetwork([1, 2, 1], kernel=3, size=3)
        Traceback (most recent call last):
        ...
        ValueError: ConvNetwork([1, 2, 1], kernel=3, size=3): layer 2 has no output position (input size 1 on axis 0, kernel 3, stride 1, padding 0)
        sage: ConvNetwork([1, 2, 1], kernel=2, size=(3, 3, 3))
        Traceback (most recent call last):
        ...
        ValueError: the input size of a convolutional network is one integer (1-D) or two (2-D), got (3, 3, 3)
        sage: ConvNetwork([1, 2, 1], kernel=(2, 2), size=5)
        Traceback (most recent call last):
        ...
        ValueError: the kernel of a 1-D convolutional network has 1 size, got (2, 2)
        sage: ConvNetwork([1, 2, 1], kernel=2, size=5, activation="tanh")
        Traceback (most recent call last):
        ...
        ValueError: the activation of a convolutional network is relu or linear, got 'tanh'
        sage: ConvNetwork([1, 2, 1], kernel=2, size=5, padding=-1)
        Traceback (most recent call last):
        ...
        ValueError: the padding of a convolutional network must be non-negative integers, got -1
        sage: ConvNetwork([2], kernel=2, size=5)
        Traceback (most recent call last):
        ...
        ValueError: a network needs at least an input and an output width, got [2]
    """

    def __init__(self, channels, kernel, size, stride=1, padding=0, activation="relu", bias=False):
        self._channels = check_widths(channels)
        self._size = _per_axis_sizes("the input size of a convolutional network", size)
        if len(self._size) > 2:
            raise ValueError("the input size of a convolutional network is one integer (1-D) or "
                             f"two (2-D), got {size}")
        axes = len(self._size)
        self._kernel = _per_axis_sizes("the kernel of a convolutional network", kernel, axes)
        self._stride = _per_axis_sizes("the stride of a convolutional network", stride, axes)
        self._padding = _per_axis_sizes("the padding of a convolutional network", padding, axes,
                                        minimum=0)
        if activation not in CONV_ACTIVATIONS:
            raise ValueError("the activation of a convolutional network is relu or linear, "
                             f"got {activation!r}")
        if not isinstance(bias, bool):
            raise TypeError(f"bias must be True or False, got {bias!r}")
        self._activation, self._bias = activation, bias
        self._positions = self._layer_sizes()
        check_parameters(self._description(), self._dimension())
        Model.__init__(self, PolynomialRing(QQ, self._names(), self._dimension()))

    def _description(self):
        def show(t):
            return str(t[0]) if len(set(t)) == 1 else str(t)
        options = [f"kernel={show(self._kernel)}",
                   f"size={self._size[0] if len(self._size) == 1 else self._size}"]
        options += [f"stride={show(self._stride)}"] if max(self._stride) > 1 else []
        options += [f"padding={show(self._padding)}"] if max(self._padding) > 0 else []
        options += [f"activation={self._activation!r}"] if self._activation != "relu" else []
        options += ["bias=True"] if self._bias else []
        return f"ConvNetwork({self._channels}, {', '.join(options)})"

    def _latex_(self):
        return rf"\text{{{len(self._size)}-D convolutional network, channels }} {self._channels}"

    def _layer_sizes(self):
        # the number of positions of each layer, per axis, checked to be positive
        sizes = [self._size]
        for l in range(1, len(self._channels)):
            previous = sizes[-1]
            current = tuple((n + 2 * p - k) // s + 1 for n, k, s, p in
                            zip(previous, self._kernel, self._stride, self._padding))
            for axis, n in enumerate(current):
                if n < 1:
                    raise ValueError(
                        f"{self._description()}: layer {l} has no output position (input size "
                        f"{previous[axis]} on axis {axis}, kernel {self._kernel[axis]}, stride "
                        f"{self._stride[axis]}, padding {self._padding[axis]})")
            sizes.append(current)
        return sizes

    def _dimension(self):
        c, offsets = self._channels, prod(self._kernel)
        return sum(c[l] * c[l - 1] * offsets for l in range(1, len(c))) + self._bias * sum(c[1:-1])

    def _names(self):
        names = []
        c = self._channels
        for l in range(1, len(c)):
            names += [f"w{l}_{o}_{i}_" + "_".join(map(str, a)) for o in range(c[l])
                      for i in range(c[l - 1]) for a in self.offsets()]
            if self._bias and l < len(c) - 1:
                names += [f"b{l}_{o}" for o in range(c[l])]
        return names

    def channels(self):
        r"""
        Return the numbers of channels from input to output.

        EXAMPLES::

            sage: from sage_conslaws.models.conv import ConvNetwork
            sage: ConvNetwork([3, 4, 2], kernel=3, size=8).channels()
            [3, 4, 2]
        """
        return list(self._channels)

    def offsets(self):
        r"""
        Return the offsets in a kernel: tuples, one entry per axis.

        EXAMPLES::

            sage: from sage_conslaws.models.conv import ConvNetwork
            sage: ConvNetwork([1, 1], kernel=(2, 1), size=(3, 3)).offsets()
            [(0, 0), (1, 0)]
        """
        return list(product(*(range(k) for k in self._kernel)))

    def output_size(self):
        r"""
        Return the number of output positions, per axis.

        EXAMPLES::

            sage: from sage_conslaws.models.conv import ConvNetwork
            sage: ConvNetwork([1, 2, 1], kernel=3, size=(9, 7), padding=1, stride=2).output_size()
            (3, 2)
        """
        return self._positions[-1]

    def activation(self):
        r"""
        Return the activation of the hidden layers, ``"relu"`` or ``"linear"``.

        EXAMPLES::

            sage: from sage_conslaws.models.conv import ConvNetwork
            sage: ConvNetwork([1, 2, 1], kernel=2, size=4, activation="linear").activation()
            'linear'
        """
        return self._activation

    def layer_parameters(self, l):
        r"""
        Return the kernels of layer ``l`` as a dictionary ``(output channel, input channel, offset) -> parameter``, and its biases (a list, empty if none).

        EXAMPLES::

            sage: from sage_conslaws.models.conv import ConvNetwork
            sage: kernels, biases = ConvNetwork([1, 1, 1], kernel=2, size=3, bias=True).layer_parameters(1)
            sage: kernels[0, 0, (1,)], biases
            (w1_0_0_1, [b1_0])
        """
        c = self._channels
        if l not in range(1, len(c)):
            raise ValueError(f"{self._description()} has layers 1..{len(c) - 1}, got {l!r}")
        theta, start = self.parameters(), 0
        for m in range(1, l):
            start += c[m] * c[m - 1] * len(self.offsets()) + (self._bias and m < len(c) - 1) * c[m]
        keys = [(o, i, a) for o in range(c[l]) for i in range(c[l - 1]) for a in self.offsets()]
        kernels = dict(zip(keys, theta[start:start + len(keys)]))
        start += len(keys)
        biases = list(theta[start:start + c[l]]) if self._bias and l < len(c) - 1 else []
        return kernels, biases

    def reparametrization(self):
        r"""
        Return `\phi` (see the module): path products with ReLU, the entries of the linear map otherwise.

        EXAMPLES::

            sage: from sage_conslaws.models.conv import ConvNetwork
            sage: len(ConvNetwork([1, 2, 1], kernel=3, size=5).reparametrization())   # 2 x 3 x 3
            18
            sage: len(ConvNetwork([1, 1, 1], kernel=3, size=7, stride=2).reparametrization())
            9
        """
        if self._activation == "relu":
            return self._path_products()
        return self._linear_map_entries()

    def _path_products(self):
        c, L = self._channels, len(self._channels) - 1
        K = len(self.offsets())
        paths = prod(c) * K**L + sum(prod(c[l:]) * K**(L - l) for l in range(1, L)) * self._bias
        check_reparametrization(self._description(), paths, L, paths, self.dimension())
        layers = [self.layer_parameters(l) for l in range(1, L + 1)]
        phi = []
        for start in range(L):
            if start and not self._bias:
                break
            for offsets in self._realized_offsets(start):
                for chain in product(*(range(n) for n in c[start:])):
                    first = layers[start - 1][1][chain[0]] if start else 1
                    phi.append(first * prod(layers[l][0][chain[l - start + 1], chain[l - start], a]
                                            for l, a in zip(range(start, L), offsets)))
        return phi

    def _realized_offsets(self, start):
        # the sequences of kernel offsets of layers start+1..L that some positions realize, from a
        # position of layer `start` (the input, not its padding, when start = 0); axes are
        # independent, so the sequences are the products of those of each axis
        per_axis = []
        for axis in range(len(self._size)):
            k, s, p = self._kernel[axis], self._stride[axis], self._padding[axis]
            # (offsets so far, position), from the output backwards
            states = {((), q) for q in range(self._positions[-1][axis])}
            for l in range(len(self._channels) - 1, start, -1):
                n = self._positions[l - 1][axis]
                states = {((a,) + offsets, s * q + a - p) for offsets, q in states for a in range(k)
                          if 0 <= s * q + a - p < n}
            per_axis.append(sorted({offsets for offsets, _ in states}))
        return [tuple(zip(*choice)) for choice in product(*per_axis)]

    def _linear_map_entries(self):
        c, L = self._channels, len(self._channels) - 1
        n = [c[l] * prod(self._positions[l]) for l in range(L + 1)]
        # each entry sums at most one product per sequence of hidden channels and offsets
        paths = prod(c[1:-1]) * len(self.offsets())**L
        check_reparametrization(self._description(), (n[0] + 1) * n[-1] * paths, L,
                                (n[0] + 1) * n[-1], self.dimension())
        entries = set()
        T, shift = None, None
        for l in range(1, L + 1):
            A, beta = self._unshared_layer(l)
            T = A if T is None else A * T
            shift = beta if shift is None else A * shift + beta
        phi = []
        for value in T.list() + shift.list():
            if value.degree() > 0 and value not in entries:
                entries.add(value)
                phi.append(value)
        return phi

    def connections(self, l):
        r"""
        Return the connections of layer ``l`` over all positions: triples (row, column, parameter).

        The rows are the (output channel, position) pairs of layer ``l``,
        channel major, positions in lexicographic order; the columns those of
        layer ``l - 1``; the parameter is the index in :meth:`parameters` of
        the kernel entry that connects them. This is the weight sharing, as
        the unshared network and the float64 training read it.

        EXAMPLES::

            sage: from sage_conslaws.models.conv import ConvNetwork
            sage: ConvNetwork([1, 1], kernel=2, size=3).connections(1)
            [(0, 0, 0), (1, 1, 0), (0, 1, 1), (1, 2, 1)]
        """
        kernels, _ = self.layer_parameters(l)
        index_of = self.parameter_index()
        inputs = list(product(*(range(m) for m in self._positions[l - 1])))
        column = {q: j for j, q in enumerate(inputs)}
        outputs = list(product(*(range(m) for m in self._positions[l])))
        links = []
        for (o, i, a), w in kernels.items():
            for r, q in enumerate(outputs):
                source = tuple(s * x + y - p for x, y, s, p in zip(q, a, self._stride, self._padding))
                if source in column:
                    links.append((o * len(outputs) + r, i * len(inputs) + column[source],
                                  index_of[w]))
        return links

    def positions(self):
        r"""
        Return the number of positions of each layer, per axis, from the input to the output.

        EXAMPLES::

            sage: from sage_conslaws.models.conv import ConvNetwork
            sage: ConvNetwork([1, 2, 1], kernel=2, size=5).positions()
            [(5,), (4,), (3,)]
        """
        return list(self._positions)

    def _unshared_layer(self, l):
        # the matrix of layer l on all positions (channels major), and its bias vector
        _, biases = self.layer_parameters(l)
        theta = self.parameters()
        outputs = prod(self._positions[l])
        A = matrix(self.ring(), self._channels[l] * outputs,
                   self._channels[l - 1] * prod(self._positions[l - 1]), sparse=True)
        for row, column, k in self.connections(l):
            A[row, column] += theta[k]
        beta = matrix(self.ring(), self._channels[l] * outputs, 1,
                      [biases[o] if biases else 0 for o in range(self._channels[l])
                       for _ in range(outputs)])
        return A, beta

    def known_laws(self):
        r"""
        Return the laws of the rescalings (ReLU) or of the mixings (linear) of the hidden channels.

        With ReLU, one law per hidden channel `j` of layer `l`: the squared
        norm of its outgoing kernels minus that of its incoming kernels and
        bias. Linear networks are invariant under any invertible mixing of
        the channels of a hidden layer: the entries on and above the
        diagonal of the matrix of the inner products of the outgoing kernels
        minus that of the incoming kernels and biases.

        EXAMPLES::

            sage: from sage_conslaws.models.conv import ConvNetwork
            sage: len(ConvNetwork([1, 3, 2, 1], kernel=2, size=6).known_laws())
            5
            sage: len(ConvNetwork([1, 3, 2, 1], kernel=2, size=6, activation="linear").known_laws())
            9
        """
        c = self._channels
        check_known_laws(self._description(), sum(c[l]**2 * (c[l - 1] + c[l + 1] + 1)
                                                  for l in range(1, len(c) - 1))
                         * len(self.offsets()), self.dimension())
        laws = []
        for l in range(1, len(c) - 1):
            (incoming, biases), (outgoing, _) = self.layer_parameters(l), self.layer_parameters(l + 1)
            pairs = ([(j, j) for j in range(c[l])] if self._activation == "relu" else
                     [(j, k) for j in range(c[l]) for k in range(j, c[l])])
            for j, k in pairs:
                law = (sum(outgoing[o, j, a] * outgoing[o, k, a] for o in range(c[l + 1])
                           for a in self.offsets())
                       - sum(incoming[j, i, a] * incoming[k, i, a] for i in range(c[l - 1])
                             for a in self.offsets())
                       - (biases[j] * biases[k] if biases else 0))
                name = (f"layer {l}, channel {j}" if j == k and self._activation == "relu"
                        else f"layer {l}, channels {j},{k}")
                laws.append((f"{name}: |outgoing kernels|^2 - |incoming kernels|^2"
                             if j == k and self._activation == "relu" else
                             f"{name}: <outgoing kernels> - <incoming kernels>", law))
        return laws


def _per_axis_sizes(what, value, axes=None, minimum=1):
    # an integer (the same on every axis) or a tuple of integers, one per axis
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,) * (axes or 1)
    if axes is not None and len(values) != axes:
        raise ValueError(f"{what.replace('a convolutional', f'a {axes}-D convolutional')} has "
                         f"{axes} size{'s' if axes > 1 else ''}, got {value}")
    if not values or not all(isinstance(v, Integral) and not isinstance(v, bool) for v in values):
        raise TypeError(f"{what} must be integers, got {value!r}")
    if min(values) < minimum:
        kind = "positive" if minimum else "non-negative"
        raise ValueError(f"{what} must be {kind} integers, got {value}")
    return tuple(int(v) for v in values)
