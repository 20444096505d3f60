r"""
Models in float64: loss, gradient by backpropagation, initialization

A model of the exact engine becomes a float64 function of its parameter
vector `\theta`, in the order of ``model.parameters()``; the model says where
each block of parameters sits (:meth:`~sage_conslaws.models.base.Model.float_network`),
nothing is read from the names of the parameters:

- layered networks (:class:`~sage_conslaws.models.layered.LayeredNetwork`:
  :class:`~sage_conslaws.models.linear.LinearNetwork`,
  :class:`~sage_conslaws.models.relu.ReLUNetwork`, and the MLPs of
  ``sage_conslaws.models.mlp`` with any activations, Swish with a
  trainable `\beta` per neuron included) compute logits
  `W_L \sigma_{L-1}(\cdots \sigma_1(W_1 x + b_1) \cdots)` (linear output
  layer) and train on the mean softmax cross-entropy (the negative
  log-likelihood of [GU2021]_) of a classification data set;
- NMF `X \approx UV` trains on `\frac{1}{2n}\|X - UV\|_F^2`, `n` the number
  of rows of `X`.

EXAMPLES::

    sage: import numpy as np
    sage: from sage_conslaws import ReLUNetwork
    sage: from sage_conslaws.training.network import float_model
    sage: f = float_model(ReLUNetwork([4, 3, 3], bias=True), "iris")
    sage: theta = f.initial_point(seed=0)
    sage: theta.shape, round(f.loss(theta), 4) > 0
    ((24,), True)
"""
import numpy as np

from sage_conslaws.training.datasets import load_dataset


def float_model(model, data=None):
    r"""
    Return the float64 training objective of ``model`` on ``data``.

    INPUT:

    - ``model`` -- a model that implements
      :meth:`~sage_conslaws.models.base.Model.float_network`: a
      :class:`~sage_conslaws.models.layered.LayeredNetwork`
      (:class:`~sage_conslaws.models.linear.LinearNetwork`,
      :class:`~sage_conslaws.models.relu.ReLUNetwork`, MLP), an
      :class:`~sage_conslaws.models.nmf.NMF`, or a model of
      :mod:`~sage_conslaws.training.architectures`
    - ``data`` -- (default: ``"iris"`` for networks, ``"digits"`` for NMF) a
      data set name or a :class:`~sage_conslaws.training.datasets.Dataset`

    OUTPUT: a :class:`FeedForwardNetwork` or a :class:`MatrixFactorization`

    EXAMPLES::

        sage: from sage_conslaws import NMF, LinearNetwork
        sage: from sage_conslaws.training.network import float_model
        sage: float_model(NMF(6, 2, 4))
        NMF X ~ U V of a 6 x 4 slice of digits
        sage: float_model(LinearNetwork([13, 2, 3]), "wine")
        network [13, 2, 3] (linear) on wine

    TESTS::

        sage: float_model(LinearNetwork([3, 2, 3]))
        Traceback (most recent call last):
        ...
        ValueError: iris needs a network with 4 inputs and 3 outputs, got widths [3, 2, 3]
        sage: from sage_conslaws import PolynomialMap
        sage: float_model(PolynomialMap(["x*y"]))
        Traceback (most recent call last):
        ...
        TypeError: training runs support LinearNetwork, ReLUNetwork, MLP, NMF, LoRA, DiagonalNetwork, Attention, ResNet and ConvNetwork models, got PolynomialMap
    """
    return model.float_network(data)


def softmax_cross_entropy(logits, targets):
    r"""
    Return the mean softmax cross-entropy of ``logits`` (one row per example) against one-hot ``targets``, and its gradient in the logits.

    EXAMPLES::

        sage: import numpy as np
        sage: from sage_conslaws.training.network import softmax_cross_entropy
        sage: loss, g = softmax_cross_entropy(np.zeros((2, 2)), np.eye(2))
        sage: round(loss, 6) == round(float(np.log(2)), 6), g.tolist()
        (True, [[-0.25, 0.25], [0.25, -0.25]])
    """
    # log-sum-exp: finite for any finite logits
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = logits.shape[0]
    loss = float(-(targets * log_softmax).sum() / n)
    return loss, (np.exp(log_softmax) - targets) / n


class FeedForwardNetwork:
    r"""
    A network with a linear output layer, trained on mean softmax cross-entropy.

    Build it with :func:`float_model`.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.layered.LayeredNetwork`
      (its :meth:`~sage_conslaws.models.layered.LayeredNetwork.layer_indices`
      give the layout of `\theta`)
    - ``data`` -- a :class:`~sage_conslaws.training.datasets.Dataset`

    EXAMPLES::

        sage: import numpy as np
        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.training.network import float_model
        sage: f = float_model(LinearNetwork([4, 2, 3]))
        sage: round(f.loss(np.zeros(14)), 6) == round(float(np.log(3)), 6)
        True
    """

    def __init__(self, model, data):
        self._widths = model.widths()
        self._activations = model.activations()
        self._data = data
        layers = model.layer_indices()
        self._weights = [np.array(W, dtype=int) for W, _, _ in layers]
        self._biases = [None if b is None else np.array(b, dtype=int) for _, b, _ in layers[:-1]]
        self._betas = [None if beta is None else np.array(beta, dtype=int)
                       for _, _, beta in layers[:-1]]
        self._dimension = model.dimension()

    @classmethod
    def on_dataset(cls, model, data=None):
        r"""
        Return the network ``model`` on the data set ``data``, checking their sizes.

        INPUT:

        - ``model`` -- a :class:`~sage_conslaws.models.layered.LayeredNetwork`
        - ``data`` -- (default: ``"iris"``) a data set name or a
          :class:`~sage_conslaws.training.datasets.Dataset`

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: from sage_conslaws.training.network import FeedForwardNetwork
            sage: FeedForwardNetwork.on_dataset(MLP([4, 3, 3], "swish", bias=True))
            network [4, 3, 3] (swish) on iris

        TESTS::

            sage: FeedForwardNetwork.on_dataset(MLP([3, 2, 3], "relu"))
            Traceback (most recent call last):
            ...
            ValueError: iris needs a network with 4 inputs and 3 outputs, got widths [3, 2, 3]
        """
        data = load_dataset("iris" if data is None else data)
        widths = model.widths()
        if widths[0] != data.number_of_features() or widths[-1] != data.number_of_classes():
            raise ValueError(f"{data.name} needs a network with {data.number_of_features()} "
                             f"inputs and {data.number_of_classes()} outputs, got widths {widths}")
        return cls(model, data)

    def dimension(self):
        r"""
        Return the number of parameters.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training.network import float_model
            sage: float_model(ReLUNetwork([4, 5, 3], bias=True)).dimension()
            40
        """
        return self._dimension

    def is_nonnegative(self):
        r"""
        Return ``False``: network parameters have any sign.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training.network import float_model
            sage: float_model(ReLUNetwork([4, 5, 3])).is_nonnegative()
            False
        """
        return False

    def initial_point(self, seed=0):
        r"""
        Return seeded initial parameters: weights and biases uniform in `\pm 1/\sqrt{n_{l-1}}`, `\beta = 1`.

        INPUT:

        - ``seed`` -- (default: 0) the seed

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training.network import float_model
            sage: theta = float_model(ReLUNetwork([4, 5, 3])).initial_point(seed=1)
            sage: bool(abs(theta).max() <= 1/2)
            True
        """
        rng = np.random.default_rng(int(seed))
        theta = np.empty(self._dimension)
        for l, W in enumerate(self._weights, 1):
            bound = 1 / np.sqrt(self._widths[l - 1])
            theta[W] = rng.uniform(-bound, bound, W.shape)
            if l < len(self._weights) and self._biases[l - 1] is not None:
                theta[self._biases[l - 1]] = rng.uniform(-bound, bound, self._widths[l])
            if l < len(self._weights) and self._betas[l - 1] is not None:
                theta[self._betas[l - 1]] = 1.0
        return theta

    def loss(self, theta):
        r"""
        Return the mean softmax cross-entropy at ``theta``.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training.network import float_model
            sage: f = float_model(ReLUNetwork([4, 5, 3]))
            sage: round(f.loss(f.initial_point()), 4)
            1.2093
        """
        return self._forward(theta)[0]

    def loss_and_gradient(self, theta):
        r"""
        Return the loss and its gradient (backpropagation) at ``theta``.

        EXAMPLES::

            sage: import numpy as np
            sage: from sage_conslaws.models.activations import activation
            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training.network import float_model
            sage: f = float_model(ReLUNetwork([4, 2, 3], bias=True))
            sage: theta = f.initial_point(); e = np.zeros_like(theta); e[3] = 1e-6
            sage: loss, g = f.loss_and_gradient(theta)
            sage: bool(abs((f.loss(theta + e) - f.loss(theta - e)) / 2e-6 - g[3]) < 1e-8)
            True
        """
        loss, logits_grad, cache = self._forward(theta)
        gradient = np.zeros(self._dimension)
        delta = logits_grad
        for l in range(len(self._weights), 0, -1):
            inputs, z, dz, dbeta = cache[l - 1]
            if l < len(self._weights):
                if self._betas[l - 1] is not None:
                    gradient[self._betas[l - 1]] = (delta * dbeta).sum(axis=0)
                delta = delta * dz
                if self._biases[l - 1] is not None:
                    gradient[self._biases[l - 1]] = delta.sum(axis=0)
            W = self._weights[l - 1]
            gradient[W] = delta.T @ inputs
            delta = delta @ theta[W]
        return loss, gradient

    def _forward(self, theta):
        r"""
        Return the loss, its gradient in the logits, and per layer (input, z, dsigma/dz, dsigma/dbeta).

        For a hidden layer the cached ``delta`` factors are those of the
        activation; the output layer caches its input only.
        """
        a = self._data.inputs
        cache = []
        L = len(self._weights)
        for l in range(1, L + 1):
            z = a @ theta[self._weights[l - 1]].T
            if l == L:
                cache.append((a, None, None, None))
                break
            if self._biases[l - 1] is not None:
                z = z + theta[self._biases[l - 1]]
            beta = theta[self._betas[l - 1]] if self._betas[l - 1] is not None else None
            value, dz, dbeta = self._activations[l - 1].numpy_with_derivatives(z, beta)
            cache.append((a, z, dz, dbeta))
            a = value
        loss, logits_grad = softmax_cross_entropy(z, self._data.targets)
        return loss, logits_grad, cache

    def __repr__(self):
        names = sorted({sigma.name() for sigma in self._activations}) or ["no hidden layer"]
        return f"network {self._widths} ({', '.join(names)}) on {self._data.name}"


class MatrixFactorization:
    r"""
    Non-negative matrix factorization `X \approx UV` with loss `\frac{1}{2n}\|X - UV\|_F^2`.

    Build it with :func:`float_model`.

    INPUT:

    - ``model`` -- an :class:`~sage_conslaws.models.nmf.NMF`
    - ``X`` -- the `n_1 \times n_3` non-negative matrix
    - ``name`` -- the name of its data set

    EXAMPLES::

        sage: import numpy as np
        sage: from sage_conslaws import NMF
        sage: from sage_conslaws.training.network import MatrixFactorization
        sage: f = MatrixFactorization(NMF(1, 1, 2), np.array([[1.0, 2.0]]), "toy")
        sage: f.loss(np.array([1.0, 1.0, 2.0]))
        0.0
        sage: f.loss_and_gradient(np.array([1.0, 0.0, 0.0]))
        (2.5, array([ 0., -1., -2.]))
    """

    def __init__(self, model, X, name):
        self._X = np.asarray(X, dtype=np.float64)
        self._name = name
        self._U, self._V = (np.array(rows, dtype=int) for rows in model.factor_indices())
        self._dimension = model.dimension()

    @classmethod
    def on_dataset(cls, model, data=None):
        r"""
        Return the factorization ``model`` of the non-negative slice of ``data`` of its size.

        INPUT:

        - ``model`` -- an :class:`~sage_conslaws.models.nmf.NMF`
        - ``data`` -- (default: ``"digits"``) a data set name or a
          :class:`~sage_conslaws.training.datasets.Dataset`

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: from sage_conslaws.training.network import MatrixFactorization
            sage: MatrixFactorization.on_dataset(NMF(6, 2, 4), "iris")
            NMF X ~ U V of a 6 x 4 slice of iris
        """
        data = load_dataset("digits" if data is None else data)
        n1, _, n3 = model.sizes()
        return cls(model, data.nonnegative_matrix(n1, n3), data.name)

    def dimension(self):
        r"""
        Return the number of parameters.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: from sage_conslaws.training.network import float_model
            sage: float_model(NMF(5, 2, 3)).dimension()
            16
        """
        return self._dimension

    def is_nonnegative(self):
        r"""
        Return ``True``: NMF trains on non-negative parameters.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: from sage_conslaws.training.network import float_model
            sage: float_model(NMF(5, 2, 3)).is_nonnegative()
            True
        """
        return True

    def initial_point(self, seed=0):
        r"""
        Return seeded positive initial factors, scaled so that `UV` has the mean of `X`.

        INPUT:

        - ``seed`` -- (default: 0) the seed

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: from sage_conslaws.training.network import float_model
            sage: bool(float_model(NMF(5, 2, 3)).initial_point(seed=3).min() > 0)
            True
        """
        rng = np.random.default_rng(int(seed))
        r = self._U.shape[1]
        # entries uniform in [s/20, s] have mean ~ s/2; r products then average mean(X)
        s = 2 * np.sqrt(max(self._X.mean(), 1e-3) / r)
        return rng.uniform(s / 20, s, self._dimension)

    def loss(self, theta):
        r"""
        Return `\frac{1}{2n}\|X - UV\|_F^2` at ``theta``.

        EXAMPLES::

            sage: import numpy as np
            sage: from sage_conslaws import NMF
            sage: from sage_conslaws.training.network import MatrixFactorization
            sage: MatrixFactorization(NMF(1, 1, 1), np.array([[3.0]]), "toy").loss(np.array([1.0, 1.0]))
            2.0
        """
        return self.loss_and_gradient(theta)[0]

    def loss_and_gradient(self, theta):
        r"""
        Return the loss and its gradient `(R V^T, U^T R)`, `R = (UV - X)/n`, at ``theta``.

        EXAMPLES::

            sage: import numpy as np
            sage: from sage_conslaws import NMF
            sage: from sage_conslaws.training.network import MatrixFactorization
            sage: MatrixFactorization(NMF(1, 1, 1), np.array([[3.0]]), "toy").loss_and_gradient(np.array([1.0, 2.0]))
            (0.5, array([-2., -1.]))
        """
        U, V = theta[self._U], theta[self._V]
        residual = U @ V - self._X
        n = self._X.shape[0]
        gradient = np.empty(self._dimension)
        gradient[self._U] = residual @ V.T / n
        gradient[self._V] = U.T @ residual / n
        return float((residual**2).sum() / (2 * n)), gradient

    def __repr__(self):
        return f"NMF X ~ U V of a {self._X.shape[0]} x {self._X.shape[1]} slice of {self._name}"
