r"""
The modern architectures in float64: attention, residual, convolutional, LoRA, diagonal

Each model of :mod:`sage_conslaws.models` built from sizes becomes a
classifier of a bundled data set, trained on the mean softmax cross-entropy
(:func:`~sage_conslaws.training.network.softmax_cross_entropy`), with its
gradient by backpropagation written for it. The parameter vector `\theta` is
in the order of ``model.parameters()``; the model says where each matrix sits
(its ``factors``, ``head_matrices``, ``block_matrices``, ``connections``),
nothing is read from the names. How each one reads an example `x \in
\RR^{features}`:

- **LoRA** `W_0 + BA`: logits `(W_0 + BA)x`, `W_0` frozen (seeded, fixed);
- **diagonal network** `\beta = w_1 \odot \cdots \odot w_L`: the logit of the
  first class is `\langle\beta, x\rangle`, the others 0;
- **attention**: `x` cut into `features/d` tokens of dimension `d`; the
  logits are the mean over tokens of the output (`d_{out}` = classes); with
  RoPE, the queries and keys of position `p` are rotated by the angles
  `p\,\omega_b`, `\omega_b = 100^{-2b/d_k}`; scores are divided by `\sqrt{d_k}`;
- **ResNet**: `x` is the residual stream (width = features); the logits are
  its first coordinates after the last block;
- **convolutional network**: `x` is the input, channel by channel; the
  logits are the means over positions of the output channels.

Each is a function of the model's `\phi` and the input, so the laws of the
model hold along its gradient flow.

EXAMPLES::

    sage: from sage_conslaws.models.lora import LoRA
    sage: from sage_conslaws.training.architectures import float_architecture
    sage: f = float_architecture(LoRA(4, 2, 3), "iris"); f
    LoRA(4, 2, 3) on iris
    sage: theta = f.initial_point(seed=0); theta.shape
    (14,)
"""
import numpy as np

from sage_conslaws.training.datasets import load_dataset
from sage_conslaws.training.network import softmax_cross_entropy


def float_architecture(model, data=None):
    r"""
    Return the float64 classifier of ``model`` on ``data`` (default ``"iris"``), its sizes checked.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.lora.LoRA`,
      :class:`~sage_conslaws.models.diagonal.DiagonalNetwork`,
      :class:`~sage_conslaws.models.attention.Attention`,
      :class:`~sage_conslaws.models.resnet.ResNet` or
      :class:`~sage_conslaws.models.conv.ConvNetwork`
    - ``data`` -- (default: ``"iris"``) a data set name or a
      :class:`~sage_conslaws.training.datasets.Dataset`

    EXAMPLES::

        sage: from sage_conslaws.models.attention import Attention
        sage: from sage_conslaws.training.architectures import float_architecture
        sage: float_architecture(Attention(2, 2, 2, 3, rope=True))
        Attention(2, 2, 2, 3, rope=True) on iris

    TESTS::

        sage: float_architecture(Attention(3, 2, 2, 3))
        Traceback (most recent call last):
        ...
        ValueError: Attention(3, 2, 2, 3) on iris: the 4 features do not split into tokens of dimension d = 3
        sage: from sage_conslaws.models.resnet import ResNet
        sage: float_architecture(ResNet(3, 2, 1))
        Traceback (most recent call last):
        ...
        ValueError: ResNet(3, 2, blocks=1) on iris: the width must be the 4 features, got 3
    """
    from sage_conslaws.models.attention import Attention
    from sage_conslaws.models.conv import ConvNetwork
    from sage_conslaws.models.diagonal import DiagonalNetwork
    from sage_conslaws.models.lora import LoRA
    from sage_conslaws.models.resnet import ResNet
    kinds = {LoRA: LowRankAdapter, DiagonalNetwork: DiagonalClassifier, Attention: AttentionLayer,
             ResNet: ResidualNetwork, ConvNetwork: ConvolutionalNetwork}
    if type(model) not in kinds:
        raise TypeError(f"training runs support {TRAINED}, got {type(model).__name__}")
    return kinds[type(model)](model, load_dataset("iris" if data is None else data))


#: The models that training runs support.
TRAINED = ("LinearNetwork, ReLUNetwork, MLP, NMF, LoRA, DiagonalNetwork, Attention, ResNet and "
           "ConvNetwork models")


def _indices(model, M):
    # the positions in theta of the entries of a matrix (or a list) of parameters of the model
    index_of = model.parameter_index()
    rows = M.rows() if hasattr(M, "rows") else M
    return np.array([[index_of[x] for x in row] for row in rows], dtype=int)


class FloatClassifier:
    r"""
    A float64 classifier on the mean softmax cross-entropy; subclasses give the logits and their backpropagation.

    INPUT:

    - ``model`` -- the exact model
    - ``data`` -- a :class:`~sage_conslaws.training.datasets.Dataset`
    - ``scales`` -- the half-width of the uniform initialization of each parameter

    EXAMPLES::

        sage: from sage_conslaws.models.diagonal import DiagonalNetwork
        sage: from sage_conslaws.training.architectures import float_architecture
        sage: f = float_architecture(DiagonalNetwork(4, 2))
        sage: f.dimension(), f.is_nonnegative()
        (8, False)
    """

    def __init__(self, model, data, scales):
        self._name = model._description()
        self._data = data
        self._scales = np.asarray(scales, dtype=np.float64)
        self._dimension = model.dimension()

    def _check(self, condition, message):
        if not condition:
            raise ValueError(f"{self._name} on {self._data.name}: {message}")

    def dimension(self):
        r"""
        Return the number of parameters.

        EXAMPLES::

            sage: from sage_conslaws.models.lora import LoRA
            sage: from sage_conslaws.training.architectures import float_architecture
            sage: float_architecture(LoRA(4, 1, 3)).dimension()
            7
        """
        return self._dimension

    def is_nonnegative(self):
        r"""
        Return ``False``: the parameters have any sign.

        EXAMPLES::

            sage: from sage_conslaws.models.lora import LoRA
            sage: from sage_conslaws.training.architectures import float_architecture
            sage: float_architecture(LoRA(4, 1, 3)).is_nonnegative()
            False
        """
        return False

    def initial_point(self, seed=0):
        r"""
        Return seeded initial parameters, uniform in `\pm 1/\sqrt{\text{fan-in}}` of each.

        EXAMPLES::

            sage: from sage_conslaws.models.lora import LoRA
            sage: from sage_conslaws.training.architectures import float_architecture
            sage: bool(abs(float_architecture(LoRA(4, 1, 3)).initial_point(1)).max() <= 1)
            True
        """
        rng = np.random.default_rng(int(seed))
        return rng.uniform(-self._scales, self._scales)

    def loss(self, theta):
        r"""
        Return the mean softmax cross-entropy at ``theta``.

        EXAMPLES::

            sage: import numpy as np
            sage: from sage_conslaws.models.diagonal import DiagonalNetwork
            sage: from sage_conslaws.training.architectures import float_architecture
            sage: f = float_architecture(DiagonalNetwork(4, 2))
            sage: round(f.loss(np.zeros(8)), 6) == round(float(np.log(3)), 6)
            True
        """
        logits, _ = self._logits(theta)
        return softmax_cross_entropy(logits, self._data.targets)[0]

    def loss_and_gradient(self, theta):
        r"""
        Return the loss and its gradient (backpropagation) at ``theta``.

        EXAMPLES::

            sage: import numpy as np
            sage: from sage_conslaws.models.lora import LoRA
            sage: from sage_conslaws.training.architectures import float_architecture
            sage: f = float_architecture(LoRA(4, 2, 3))
            sage: theta = f.initial_point(); e = np.zeros_like(theta); e[5] = 1e-6
            sage: loss, g = f.loss_and_gradient(theta)
            sage: bool(abs((f.loss(theta + e) - f.loss(theta - e)) / 2e-6 - g[5]) < 1e-8)
            True
        """
        logits, backward = self._logits(theta)
        loss, logits_grad = softmax_cross_entropy(logits, self._data.targets)
        gradient = np.zeros(self._dimension)
        backward(logits_grad, gradient)
        return loss, gradient

    def _logits(self, theta):
        r"""
        Return the logits (a row per example) and the function that adds their backpropagation to a gradient.
        """
        raise NotImplementedError

    def __repr__(self):
        return f"{self._name} on {self._data.name}"


class LowRankAdapter(FloatClassifier):
    r"""
    LoRA: logits `(W_0 + BA)x`, `W_0` frozen.

    EXAMPLES::

        sage: from sage_conslaws.models.lora import LoRA
        sage: from sage_conslaws.training.architectures import LowRankAdapter
        sage: from sage_conslaws.training.datasets import load_dataset
        sage: LowRankAdapter(LoRA(4, 2, 3), load_dataset("iris"))
        LoRA(4, 2, 3) on iris
    """

    def __init__(self, model, data):
        n, r, m = model.sizes()
        B, A = model.factors()
        self._A, self._B = _indices(model, A), _indices(model, B)
        scales = np.ones(model.dimension())
        scales[self._A], scales[self._B] = 1 / np.sqrt(n), 1 / np.sqrt(r)
        FloatClassifier.__init__(self, model, data, scales)
        self._check(n == data.number_of_features() and m == data.number_of_classes(),
                    f"a LoRA adapter needs {data.number_of_features()} inputs and "
                    f"{data.number_of_classes()} outputs, got {n} and {m}")
        # the frozen pretrained layer: fixed, whatever the seed of the initialization
        self._W0 = np.random.default_rng(0).normal(0, 1 / np.sqrt(n), (m, n))

    def _logits(self, theta):
        X, A, B = self._data.inputs, theta[self._A], theta[self._B]
        hidden = X @ A.T

        def backward(grad, gradient):
            gradient[self._B] += grad.T @ hidden
            gradient[self._A] += (grad @ B).T @ X
        return X @ self._W0.T + hidden @ B.T, backward


class DiagonalClassifier(FloatClassifier):
    r"""
    A diagonal linear network: the logit of the first class is `\langle\beta, x\rangle`, the others 0.

    EXAMPLES::

        sage: import numpy as np
        sage: from sage_conslaws.models.diagonal import DiagonalNetwork
        sage: from sage_conslaws.training.architectures import float_architecture
        sage: f = float_architecture(DiagonalNetwork(4, 3))
        sage: theta = f.initial_point(); e = np.zeros_like(theta); e[7] = 1e-6
        sage: loss, g = f.loss_and_gradient(theta)
        sage: bool(abs((f.loss(theta + e) - f.loss(theta - e)) / 2e-6 - g[7]) < 1e-8)
        True
    """

    def __init__(self, model, data):
        n, depth = model.sizes()
        self._layers = _indices(model, model.layers())
        FloatClassifier.__init__(self, model, data, np.ones(model.dimension()))
        self._check(n == data.number_of_features(),
                    f"a diagonal network needs n = {data.number_of_features()}, got {n}")

    def _logits(self, theta):
        X, W = self._data.inputs, theta[self._layers]
        beta = W.prod(axis=0)
        logits = np.zeros((X.shape[0], self._data.number_of_classes()))
        logits[:, 0] = X @ beta

        def backward(grad, gradient):
            d_beta = X.T @ grad[:, 0]
            for l in range(W.shape[0]):
                others = np.prod(np.delete(W, l, axis=0), axis=0)
                gradient[self._layers[l]] += d_beta * others
        return logits, backward


class AttentionLayer(FloatClassifier):
    r"""
    Multi-head attention on the tokens of each example; logits: the mean of the outputs over tokens.

    EXAMPLES::

        sage: import numpy as np
        sage: from sage_conslaws.models.attention import Attention
        sage: from sage_conslaws.training.architectures import float_architecture
        sage: f = float_architecture(Attention(2, 2, 2, 3, heads=2, rope=True))
        sage: theta = f.initial_point(); loss, g = f.loss_and_gradient(theta)
        sage: numeric = [(f.loss(theta + e) - f.loss(theta - e)) / 2e-6 for e in 1e-6 * np.eye(len(theta))]
        sage: bool(np.abs(np.array(numeric) - g).max() < 1e-7)
        True
    """

    def __init__(self, model, data):
        d, dk, dv, dout, heads = model.sizes()
        self._heads = [[_indices(model, M) for M in model.head_matrices(h)] for h in range(heads)]
        scales = np.ones(model.dimension())
        for Q, K, V, O in self._heads:
            scales[Q], scales[K], scales[V], scales[O] = [1 / np.sqrt(d)] * 3 + [1 / np.sqrt(dv)]
        FloatClassifier.__init__(self, model, data, scales)
        features = data.number_of_features()
        self._check(features % d == 0, f"the {features} features do not split into tokens of "
                    f"dimension d = {d}")
        self._check(dout == data.number_of_classes(),
                    f"dout must be the {data.number_of_classes()} classes, got {dout}")
        self._tokens = data.inputs.reshape(data.inputs.shape[0], features // d, d)
        self._scale = 1 / np.sqrt(dk)
        self._rotation = _rope(features // d, dk) if model.has_rope() else None

    def _rotate(self, q, transpose=False):
        # q: (examples, tokens, dk); the rotation of each token's position
        if self._rotation is None:
            return q
        return np.einsum("tij,ntj->nti" if not transpose else "tji,ntj->nti", self._rotation, q)

    def _logits(self, theta):
        X = self._tokens
        T = X.shape[1]
        logits, caches = 0, []
        for Q, K, V, O in self._heads:
            q, k = self._rotate(X @ theta[Q].T), self._rotate(X @ theta[K].T)
            scores = self._scale * q @ k.transpose(0, 2, 1)
            P = np.exp(scores - scores.max(axis=2, keepdims=True))
            P /= P.sum(axis=2, keepdims=True)
            values = X @ theta[V].T
            Z = P @ values
            logits = logits + (Z @ theta[O].T).mean(axis=1)
            caches.append((q, k, P, values, Z))

        def backward(grad, gradient):
            dY = np.repeat(grad[:, None, :] / T, T, axis=1)
            for (Q, K, V, O), (q, k, P, values, Z) in zip(self._heads, caches):
                gradient[O] += np.einsum("nto,ntv->ov", dY, Z)
                dZ = dY @ theta[O]
                dP = dZ @ values.transpose(0, 2, 1)
                gradient[V] += np.einsum("ntv,ntd->vd", P.transpose(0, 2, 1) @ dZ, X)
                dS = self._scale * P * (dP - (dP * P).sum(axis=2, keepdims=True))
                dq = self._rotate(dS @ k, transpose=True)
                dk = self._rotate(dS.transpose(0, 2, 1) @ q, transpose=True)
                gradient[Q] += np.einsum("ntk,ntd->kd", dq, X)
                gradient[K] += np.einsum("ntk,ntd->kd", dk, X)
        return logits, backward


def _rope(positions, dk):
    # the rotation of each position: blocks of angle p * omega_b, omega_b = 100^(-2b/dk)
    R = np.zeros((positions, dk, dk))
    for p in range(positions):
        for b in range(dk // 2):
            angle = p * 100.0 ** (-2 * b / dk)
            c, s = np.cos(angle), np.sin(angle)
            R[p, 2 * b:2 * b + 2, 2 * b:2 * b + 2] = [[c, -s], [s, c]]
    return R


class ResidualNetwork(FloatClassifier):
    r"""
    ReLU residual blocks on the stream `x`; logits: the first coordinates of the stream after the last block.

    EXAMPLES::

        sage: import numpy as np
        sage: from sage_conslaws.models.resnet import ResNet
        sage: from sage_conslaws.training.architectures import float_architecture
        sage: f = float_architecture(ResNet(4, 3, 2, bias=True))
        sage: theta = f.initial_point(); loss, g = f.loss_and_gradient(theta)
        sage: numeric = [(f.loss(theta + e) - f.loss(theta - e)) / 2e-6 for e in 1e-6 * np.eye(len(theta))]
        sage: bool(np.abs(np.array(numeric) - g).max() < 1e-7)
        True
    """

    def __init__(self, model, data):
        w, h, blocks = model.sizes()
        self._blocks = []
        scales = np.ones(model.dimension())
        for b in range(blocks):
            V, beta, U = model.block_matrices(b)
            indices = (_indices(model, V), _indices(model, U),
                       _indices(model, [beta])[0] if beta else None)
            scales[indices[0]], scales[indices[1]] = 1 / np.sqrt(w), 1 / np.sqrt(h)
            if beta:
                scales[indices[2]] = 1 / np.sqrt(w)
            self._blocks.append(indices)
        FloatClassifier.__init__(self, model, data, scales)
        self._check(w == data.number_of_features(),
                    f"the width must be the {data.number_of_features()} features, got {w}")

    def _logits(self, theta):
        z, caches = self._data.inputs, []
        for V, U, beta in self._blocks:
            pre = z @ theta[V].T + (theta[beta] if beta is not None else 0)
            active = pre > 0
            caches.append((z, pre * active, active))
            z = z + (pre * active) @ theta[U].T
        classes = self._data.number_of_classes()

        def backward(grad, gradient):
            dz = np.zeros_like(z)
            dz[:, :classes] = grad
            for (V, U, beta), (z_in, hidden, active) in zip(reversed(self._blocks), reversed(caches)):
                gradient[U] += dz.T @ hidden
                d_pre = (dz @ theta[U]) * active
                if beta is not None:
                    gradient[beta] += d_pre.sum(axis=0)
                gradient[V] += d_pre.T @ z_in
                dz = dz + d_pre @ theta[V]
        return z[:, :classes], backward


class ConvolutionalNetwork(FloatClassifier):
    r"""
    A convolutional network as dense layers with shared weights; logits: the means over positions of the output channels.

    EXAMPLES::

        sage: import numpy as np
        sage: from sage_conslaws.models.conv import ConvNetwork
        sage: from sage_conslaws.training.architectures import float_architecture
        sage: f = float_architecture(ConvNetwork([1, 2, 3], kernel=2, size=4, bias=True))
        sage: theta = f.initial_point(); loss, g = f.loss_and_gradient(theta)
        sage: numeric = [(f.loss(theta + e) - f.loss(theta - e)) / 2e-6 for e in 1e-6 * np.eye(len(theta))]
        sage: bool(np.abs(np.array(numeric) - g).max() < 1e-7)
        True
    """

    def __init__(self, model, data):
        channels, positions = model.channels(), model.positions()
        self._layers, scales = [], np.ones(model.dimension())
        for l in range(1, len(channels)):
            links = np.array(model.connections(l), dtype=int)
            shape = (channels[l] * int(np.prod(positions[l])),
                     channels[l - 1] * int(np.prod(positions[l - 1])))
            biases = [model.parameter_index()[b] for b in model.layer_parameters(l)[1]]
            fan_in = channels[l - 1] * len(model.offsets())
            scales[links[:, 2]] = 1 / np.sqrt(fan_in)
            if biases:
                scales[biases] = 1 / np.sqrt(fan_in)
            repeat = int(np.prod(positions[l]))
            self._layers.append((links, shape, np.repeat(biases, repeat) if biases else None))
        FloatClassifier.__init__(self, model, data, scales)
        self._relu = model.activation() == "relu"
        self._outputs = (channels[-1], int(np.prod(positions[-1])))
        features = channels[0] * int(np.prod(positions[0]))
        self._check(features == data.number_of_features(),
                    f"the input (channels x positions) must have the {data.number_of_features()} "
                    f"features, got {features}")
        self._check(channels[-1] == data.number_of_classes(),
                    f"the output channels must be the {data.number_of_classes()} classes, "
                    f"got {channels[-1]}")

    def _dense(self, theta, links, shape):
        W = np.zeros(shape)
        np.add.at(W, (links[:, 0], links[:, 1]), theta[links[:, 2]])
        return W

    def _logits(self, theta):
        a, caches = self._data.inputs, []
        last = len(self._layers) - 1
        for l, (links, shape, biases) in enumerate(self._layers):
            W = self._dense(theta, links, shape)
            z = a @ W.T + (theta[biases] if biases is not None else 0)
            active = (z > 0) if self._relu and l < last else None
            caches.append((a, W, active))
            a = z * active if active is not None else z
        channels, count = self._outputs
        logits = a.reshape(a.shape[0], channels, count).mean(axis=2)

        def backward(grad, gradient):
            delta = np.repeat(grad / count, count, axis=1)
            for (links, shape, biases), (a_in, W, active) in zip(reversed(self._layers),
                                                                 reversed(caches)):
                if active is not None:
                    delta = delta * active
                if biases is not None:
                    np.add.at(gradient, biases, delta.sum(axis=0))
                dW = delta.T @ a_in
                np.add.at(gradient, links[:, 2], dW[links[:, 0], links[:, 1]])
                delta = delta @ W
        return logits, backward
