r"""
Training runs: the drift of the exact laws, and the exact discrete identities

:func:`simulate` trains a model with one of the discrete optimizers of
:mod:`~sage_conslaws.training.optimizers` and evaluates, at every step, every
conservation law the engine finds for the flow that the optimizer
discretizes (the Euclidean gradient flow; the entropic mirror flow for
``md``). A law `h` of the flow is not conserved by the discrete method; its
drift `\max_k |h(\theta_k) - h(\theta_0)|` measures how far the method is
from its flow.

The drift is governed by exact identities, proven below and checked at every
step. Let `h` be a law of degree at most 2 of the Euclidean gradient flow
(all the laws of linear, ReLU, RePU and Swish networks and of Euclidean NMF
are), `Q` its quadratic part and `B` the symmetric bilinear form of `Q`, so
that `h(x + v) = h(x) + \nabla h(x) \cdot v + Q(v)` exactly. Being a law
means `\nabla h(x) \perp g(x)` for the gradient `g` of *any* loss. With
`\Delta_k = x_k - x_{k-1}`:

- ``gd``, ``hb`` (momentum `\lambda`) and ``nd`` (`\lambda = 1`): from
  `\Delta_{k+1} = \lambda \Delta_k - h\, g(x_k)` and
  `h_k - h_{k-1} = \nabla h(x_k) \cdot \Delta_k - Q(\Delta_k)`,

  .. MATH::

      (h_{k+1} - h_k) - \lambda (h_k - h_{k-1}) = Q(\Delta_{k+1}) + \lambda Q(\Delta_k);

  for ``gd`` (`\lambda = 0`) this is `h_{k+1} - h_k = Q(\Delta_{k+1}) = h^2 Q(g(x_k))`,
  the per-neuron identity of the notes, `O(h^2)` per step, `O(h)` over a
  fixed time `T = Kh`;
- ``nag`` and ``nag-gu`` (gradient at the look-ahead point `y_k`,
  `x_{k+1} = y_k - h\, g(y_k)`):
  `h(x_{k+1}) - h(y_k) = Q(x_{k+1} - y_k)`;
- ``md`` and a *linear* law `h = c \cdot \theta` of the entropic flow (the
  laws of NMF), which means `c \odot \theta \perp g(\theta)`: from
  `\theta_{k+1} - \theta_k = \theta_k \odot (e^{-h g} - 1)`,

  .. MATH::

      h_{k+1} - h_k = c \cdot \big(\theta_k \odot \varphi(h\, g(\theta_k))\big),
      \qquad \varphi(u) = e^{-u} - 1 + u = O(u^2).

The residuals are reported relative to the sum of the magnitudes of the
terms (each law evaluated with the absolute values of its terms), the scale
of the rounding errors: they are at the level of the float64 precision.

EXAMPLES::

    sage: from sage_conslaws import ReLUNetwork
    sage: from sage_conslaws.training import simulate
    sage: run = simulate(ReLUNetwork([4, 3, 3], bias=True), "hb", lr=0.05, momentum=0.9, steps=50)
    sage: run
    hb (lr 0.05, momentum 0.9) on ReLUNetwork([4, 3, 3], bias=True) with 24 parameters, iris, 50 steps: loss 1.0698 -> 0.2739, largest drift of 3 laws 1.1156
    sage: run.identity_residual() < 1e-12
    True
"""
import sys

import numpy as np

from sage_conslaws.interface.progress import Progress, progress_bar
from sage_conslaws.interface.report import number
from sage_conslaws.training.laws import PROOF_SECONDS, FloatLaws, tracked_laws
from sage_conslaws.training.network import float_model
# the module, not its function optimizer(): simulate's parameter of that name shadows it
from sage_conslaws.training import optimizers
from sage_conslaws.training.optimizers import check_steps


#: A run has diverged when its loss exceeds its initial value by more than this factor.
DIVERGENCE_FACTOR = 10**6


class TrainingDiverged(ValueError):
    r"""
    A training run diverged: its loss grew by more than :data:`DIVERGENCE_FACTOR`, or stopped being finite.

    EXAMPLES::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.training import simulate, TrainingDiverged
        sage: try:
        ....:     simulate(ReLUNetwork([4, 3, 3]), "gd", lr=1e6, steps=100)
        ....: except TrainingDiverged as error:
        ....:     print(error)
        training diverged at step 1 (the loss grew from 0.9568 to 3.793e+09, more than 1e+06 times its initial value): try a learning rate smaller than 1e+06

    A loss that explodes and comes back (dead ReLU units) is a diverged run
    too, even when the final loss is small::

        sage: try:
        ....:     simulate(ReLUNetwork([4, 8, 3], bias=True), "gd", lr=20, steps=1000)
        ....: except TrainingDiverged as error:
        ....:     print(error)
        training diverged at step 4 (the loss grew from 1.1344 to 7.315e+07, more than 1e+06 times its initial value): try a learning rate smaller than 20
    """


class TrainingRun:
    r"""
    A training run: the loss curve, the value of every tracked law at every step, the identity residuals.

    Build it with :func:`simulate`.

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.training import simulate
        sage: run = simulate(LinearNetwork([4, 2, 3]), "gd", lr=0.1, steps=30)
        sage: run.law_values().shape, run.losses().shape
        ((31, 3), (31,))
        sage: sorted(run.as_dict())
        ['data', 'drift', 'identity_residual', 'law_source', 'laws_certified', 'loss_final',
         'loss_initial', 'lr', 'max_drift', 'model', 'momentum', 'optimizer', 'seed', 'steps']
    """

    def __init__(self, model, optimizer, data, seed, losses, laws, values, residuals):
        self._model = model
        self._optimizer = optimizer
        self._data = data
        self._seed = seed
        self._losses = losses
        self._laws = laws
        self._values = values
        self._residuals = residuals

    def model(self):
        r"""
        Return the model trained.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import simulate
            sage: simulate(ReLUNetwork([4, 2, 3]), "gd", lr=0.1, steps=2).model()
            ReLUNetwork([4, 2, 3]) with 14 parameters
        """
        return self._model

    def optimizer(self):
        r"""
        Return the optimizer (name, ``lr``, ``momentum``).

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import simulate
            sage: simulate(ReLUNetwork([4, 2, 3]), "nag", lr=0.1, steps=2).optimizer()
            nag (lr 0.1, momentum 0.9)
        """
        return self._optimizer

    def steps(self):
        r"""
        Return the number of steps.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import simulate
            sage: simulate(ReLUNetwork([4, 2, 3]), "gd", lr=0.1, steps=3).steps()
            3
        """
        return len(self._losses) - 1

    def losses(self):
        r"""
        Return the loss at every iterate `\theta_0, \ldots, \theta_K`.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import simulate
            sage: run = simulate(ReLUNetwork([4, 2, 3]), "gd", lr=0.1, steps=100)
            sage: bool(run.losses()[-1] < run.losses()[0])
            True
        """
        return self._losses

    def laws(self):
        r"""
        Return the tracked laws (:class:`~sage_conslaws.training.laws.FloatLaws`).

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import simulate
            sage: simulate(ReLUNetwork([4, 2, 3]), "gd", lr=0.1, steps=1).laws()
            2 laws of the euclidean gradient flow (certified: all the laws)
        """
        return self._laws

    def law_values(self):
        r"""
        Return the values of the laws: row `k` holds `h(\theta_k)` for each law.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import simulate
            sage: simulate(ReLUNetwork([4, 2, 3]), "gd", lr=0.1, steps=5).law_values().shape
            (6, 2)
        """
        return self._values

    def law_changes(self):
        r"""
        Return `h(\theta_k) - h(\theta_0)` for each step `k` and law.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import simulate
            sage: simulate(ReLUNetwork([4, 2, 3]), "gd", lr=0.1, steps=5).law_changes()[0].tolist()
            [0.0, 0.0]
        """
        return self._values - self._values[0]

    def drift(self):
        r"""
        Return, for each law, its largest absolute change `\max_k |h(\theta_k) - h(\theta_0)|`.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import simulate
            sage: d = simulate(ReLUNetwork([4, 2, 3]), "gd", lr=0.1, steps=50).drift()
            sage: {name: round(value, 6) for name, value in d.items()}
            {'neuron 1.0': 0.001262, 'neuron 1.1': 0.042126}
        """
        largest = np.abs(self.law_changes()).max(axis=0)
        return dict(zip(self._laws.names(), (float(v) for v in largest)))

    def max_drift(self):
        r"""
        Return the largest drift over all laws (0 when there is no law).

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import simulate
            sage: round(simulate(ReLUNetwork([4, 2, 3]), "gd", lr=0.1, steps=50).max_drift(), 6)
            0.042126
        """
        return max(self.drift().values(), default=0.0)

    def identity_residual(self):
        r"""
        Return the largest relative residual of the exact discrete identity, or ``None``.

        ``None`` when no identity applies: the laws tracked are not laws of
        the optimizer's flow, or have a degree the identities do not cover.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: from sage_conslaws.training import simulate
            sage: simulate(NMF(5, 2, 4), "md", lr=0.5, steps=20).identity_residual() < 1e-12
            True
            sage: simulate(NMF(5, 2, 4), "gd", lr=0.5, steps=20, laws="entropic").identity_residual() is None
            True
        """
        if self._residuals is None:
            return None
        return float(self._residuals.max(initial=0.0))

    def identity_residuals(self):
        r"""
        Return the relative residual of the identity at each step (largest over the laws), or ``None``.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import simulate
            sage: simulate(ReLUNetwork([4, 2, 3]), "gd", lr=0.1, steps=4).identity_residuals().shape
            (4,)
        """
        return self._residuals

    def is_diverged(self):
        r"""
        Return ``False``: a diverged run raises :class:`TrainingDiverged` instead of returning.

        A run is diverged when a loss or a law value is not finite, or a loss
        exceeds the initial one by more than :data:`DIVERGENCE_FACTOR`.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import simulate
            sage: simulate(ReLUNetwork([4, 2, 3]), "gd", lr=0.1, steps=1).is_diverged()
            False
        """
        losses = self._losses
        return not (np.isfinite(losses).all() and np.isfinite(self._values).all()
                    and (losses <= DIVERGENCE_FACTOR * losses[0]).all())

    def as_dict(self):
        r"""
        Return the run as a dictionary of plain Python values (for JSON).

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import simulate
            sage: d = simulate(ReLUNetwork([4, 2, 3]), "gd", lr=0.1, steps=10).as_dict()
            sage: d["optimizer"], d["lr"], d["momentum"], d["steps"], d["data"], d["laws_certified"]
            ('gd', 0.1, None, 10, 'iris', True)
        """
        residual = self.identity_residual()
        return {
            "model": repr(self._model),
            "optimizer": self._optimizer.name,
            "lr": self._optimizer.lr,
            "momentum": self._optimizer.momentum,
            "steps": self.steps(),
            "seed": self._seed,
            "data": self._data,
            "loss_initial": float(self._losses[0]),
            "loss_final": float(self._losses[-1]),
            "drift": self.drift(),
            "max_drift": self.max_drift(),
            "identity_residual": residual,
            "laws_certified": self._laws.is_certified(),
            "law_source": repr(self._laws),
        }

    def report(self):
        r"""
        Return a readable multi-line report.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import simulate
            sage: print(simulate(ReLUNetwork([4, 2, 3]), "gd", lr=0.1, steps=50).report())
            ReLUNetwork([4, 2, 3]) with 14 parameters, trained on iris
              optimizer         : gd (lr 0.1), 50 steps, seed 0
              loss              : 1.3074 -> 0.7415
              laws tracked      : 2 laws of the euclidean gradient flow (certified: all the laws)
              identity residual : ... (exact discrete identity, relative to its terms)
              largest drift     : 4.21e-02
              drift per law     :
                neuron 1.0  1.26e-03
                neuron 1.1  4.21e-02
        """
        residual = self.identity_residual()
        residual = "none applies" if residual is None else (
            f"{residual:.1e} (exact discrete identity, relative to its terms)")
        lines = [f"{self._model}, trained on {self._data}",
                 f"  optimizer         : {self._optimizer}, {self.steps()} steps, seed {self._seed}",
                 f"  loss              : {number(self._losses[0])} -> {number(self._losses[-1])}",
                 f"  laws tracked      : {self._laws}",
                 f"  identity residual : {residual}",
                 f"  largest drift     : {self.max_drift():.2e}",
                 "  drift per law     :"]
        drift = self.drift()
        width = max((len(name) for name in drift), default=0)
        lines += [f"    {name:<{width}}  {value:.2e}" for name, value in drift.items()]
        return "\n".join(lines)

    def __repr__(self):
        return (f"{self._optimizer} on {self._model}, {self._data}, {self.steps()} steps: "
                f"loss {number(self._losses[0])} -> {number(self._losses[-1])}, largest drift "
                f"of {len(self._laws)} laws {number(self.max_drift())}")


def simulate(model, optimizer="gd", lr=0.01, momentum=None, steps=1000, seed=0, data=None,
             laws=None, progress=False, proof_seconds=PROOF_SECONDS):
    r"""
    Return a :class:`TrainingRun` of ``model`` trained by ``optimizer`` on a bundled data set.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.linear.LinearNetwork`,
      :class:`~sage_conslaws.models.relu.ReLUNetwork`, MLP,
      :class:`~sage_conslaws.models.nmf.NMF`, or one of the modern
      architectures of :mod:`~sage_conslaws.training.architectures` (LoRA,
      diagonal, attention, ResNet, convolutional)
    - ``optimizer`` -- (default: ``"gd"``) one of
      :data:`~sage_conslaws.dynamics.ode.OPTIMIZERS`, or an
      :class:`~sage_conslaws.training.optimizers.Optimizer` (which then
      brings its own ``lr`` and ``momentum``)
    - ``lr`` -- (default: 0.01) the step size
    - ``momentum`` -- (default: ``None``; 0.9 for ``hb`` and ``nag``) the
      momentum `\lambda \in [0, 1)` of ``hb`` and ``nag``
    - ``steps`` -- (default: 1000) the number of steps
    - ``seed`` -- (default: 0) the seed of the initialization
    - ``data`` -- (default: ``"iris"``; ``"digits"`` for NMF) a data set name
      of :data:`~sage_conslaws.training.datasets.DATASETS` or a
      :class:`~sage_conslaws.training.datasets.Dataset`
    - ``laws`` -- (default: ``None``, the laws of the optimizer's flow) the
      laws to track: ``"euclidean"`` or ``"entropic"`` (the laws of the
      gradient flow under that metric), or a list of ``(name, polynomial)`` pairs
    - ``progress`` -- (default: ``False``) whether to show a progress bar on
      standard error
    - ``proof_seconds`` -- (default:
      :data:`~sage_conslaws.training.laws.PROOF_SECONDS`) the seconds given to
      the exact count of the laws before training; past them (or with 0,
      without trying; ``None``: no limit) the run tracks the model's known
      laws, reported as not certified to be all of them

    OUTPUT: a :class:`TrainingRun`; a run whose loss grows by more than
    :data:`DIVERGENCE_FACTOR` over its initial value, or whose loss or
    parameters stop being finite, raises :class:`TrainingDiverged`. Ctrl-C
    interrupts the run
    (``KeyboardInterrupt`` propagates).

    EXAMPLES:

    Gradient descent keeps the laws of the gradient flow up to `O(h)`;
    momentum does not::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.training import simulate
        sage: N = ReLUNetwork([4, 6, 3])
        sage: gd = simulate(N, "gd", lr=0.02, steps=200)
        sage: hb = simulate(N, "hb", lr=0.02, momentum=0.9, steps=200)
        sage: round(gd.max_drift(), 4), round(hb.max_drift(), 4)
        (0.0011, 0.2228)

    Multiplicative updates keep the laws of the entropic mirror flow of NMF::

        sage: from sage_conslaws import NMF
        sage: run = simulate(NMF(8, 2, 6), "md", lr=0.5, steps=200)
        sage: run.laws().names()
        ['sum U[:,0] - sum V[0,:]', 'sum U[:,1] - sum V[1,:]']
        sage: round(run.max_drift(), 4), run.identity_residual() < 1e-12
        (0.0466, True)

    TESTS::

        sage: simulate(N, "hb", lr=0.1, momentum=-0.5, steps=10)
        Traceback (most recent call last):
        ...
        ValueError: the momentum must be a number in [0, 1), got -0.5
        sage: simulate(N, "md", lr=0.1, steps=10)
        Traceback (most recent call last):
        ...
        ValueError: md (multiplicative updates) keeps parameters positive: it applies to non-negative models (NMF) only
        sage: simulate(N, "gd", lr=0.1, steps=0)
        Traceback (most recent call last):
        ...
        ValueError: the number of steps must be a positive integer, got 0
        sage: simulate(N, "gd", lr=0.1, steps=10, laws="fisher")
        Traceback (most recent call last):
        ...
        ValueError: unknown laws 'fisher': give 'euclidean', 'entropic' or a list of (name, polynomial) pairs
    """
    f = float_model(model, data)
    method = optimizer if not isinstance(optimizer, str) else optimizers.optimizer(
        optimizer, lr, momentum, nonnegative=f.is_nonnegative())
    steps = check_steps(steps)
    # the laws of the gradient flow under the metric of the dynamics the method discretizes
    flow_metric = method.entry().metric
    tracked, metric = _laws_to_track(model, laws, flow_metric, proof_seconds)
    identity = _identity(method, tracked) if metric == flow_metric else None
    bar = Progress(enabled=bool(progress), stream=sys.stderr)
    try:
        losses, values, residuals = _train(f, method, tracked, identity, steps, seed, bar)
    finally:
        bar.done()
    return TrainingRun(model, method, data_name(f), seed, losses, tracked, values, residuals)


def data_name(f):
    r"""
    Return the name of the data set of the float64 model ``f``.

    EXAMPLES::

        sage: from sage_conslaws import NMF
        sage: from sage_conslaws.training.network import float_model
        sage: from sage_conslaws.training.simulate import data_name
        sage: data_name(float_model(NMF(2, 1, 2)))
        'digits'
    """
    return f._data.name if hasattr(f, "_data") else f._name


def _laws_to_track(model, laws, flow_metric, proof_seconds):
    r"""
    Return the :class:`~sage_conslaws.training.laws.FloatLaws` to track and the metric whose flow they belong to (``None``: unknown).
    """
    if laws is None:
        laws = flow_metric
    if isinstance(laws, str):
        if laws not in ("euclidean", "entropic"):
            raise ValueError(f"unknown laws {laws!r}: give 'euclidean', 'entropic' or a list of "
                             "(name, polynomial) pairs")
        return tracked_laws(model, laws, proof_seconds), laws
    return FloatLaws(list(laws), model.ring(), source="the laws given"), None


def _train(f, method, laws, identity, steps, seed, bar):
    r"""
    Run ``steps`` steps; return the losses, the law values and the identity residuals.
    """
    x = x_previous = f.initial_point(seed)
    losses = np.empty(steps + 1)
    values = np.empty((steps + 1, len(laws)))
    values[0] = laws.values(x)
    residuals = np.empty(steps) if identity is not None else None
    report_every = max(steps // 100, 1)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for k in range(steps):
            if k % report_every == 0:
                bar.update(f"{progress_bar(k, steps)} training")
            z = method.gradient_point(x, x_previous, k)
            loss_z, gradient = f.loss_and_gradient(z)
            losses[k] = loss_z if z is x else f.loss(x)
            x_next = method.step(x, x_previous, k, gradient)
            values[k + 1] = laws.values(x_next)
            _check_finite(k + 1, method, losses[k], gradient, x_next, values[k + 1])
            _check_growth(k, method, losses)
            if identity is not None:
                residuals[k] = identity(k, x_previous, x, x_next, z, gradient, values)
            x_previous, x = x, x_next
        losses[steps] = f.loss(x)
        _check_finite(steps, method, losses[steps])
        _check_growth(steps, method, losses)
    return losses, values, residuals


def _check_finite(step, method, *arrays):
    if not all(np.isfinite(a).all() for a in arrays):
        raise TrainingDiverged(f"training diverged at step {step} (the loss or the parameters "
                               f"overflowed): try a learning rate smaller than {method.lr:g}")


def _check_growth(step, method, losses):
    if losses[step] > DIVERGENCE_FACTOR * losses[0]:
        raise TrainingDiverged(f"training diverged at step {step} (the loss grew from "
                               f"{number(losses[0])} to {number(losses[step])}, more than "
                               f"{DIVERGENCE_FACTOR:g} times its initial value): try a learning rate smaller than {method.lr:g}")


def _identity(method, laws):
    r"""
    Return the function computing the relative residual of the exact identity of a step, or ``None``.

    See the module documentation for the identities and their proofs.
    """
    degrees = laws.degrees()
    if not laws or (method.name == "md" and max(degrees) != 1) or max(degrees) > 2:
        return None
    if method.name == "md":
        linear = laws.homogeneous_part(1)

        def md_identity(k, x_previous, x, x_next, z, gradient, values):
            u = method.lr * gradient
            defect = x * (np.expm1(-u) + u)
            lhs = values[k + 1] - values[k]
            rhs = linear.values(defect)
            scale = laws.magnitudes(x_next) + laws.magnitudes(x) + linear.magnitudes(defect)
            return _relative(lhs - rhs, scale)
        return md_identity
    Q = laws.homogeneous_part(2)
    if method.is_lookahead():
        def nesterov_identity(k, x_previous, x, x_next, z, gradient, values):
            lhs = values[k + 1] - laws.values(z)
            rhs = Q.values(x_next - z)
            scale = laws.magnitudes(x_next) + laws.magnitudes(z) + Q.magnitudes(x_next - z)
            return _relative(lhs - rhs, scale)
        return nesterov_identity

    def momentum_identity(k, x_previous, x, x_next, z, gradient, values):
        lam = method.momentum_at(k)
        before = values[k - 1] if k > 0 else values[0]
        lhs = (values[k + 1] - values[k]) - lam * (values[k] - before)
        rhs = Q.values(x_next - x) + lam * Q.values(x - x_previous)
        scale = (laws.magnitudes(x_next) + (1 + lam) * laws.magnitudes(x)
                 + lam * laws.magnitudes(x_previous)
                 + Q.magnitudes(x_next - x) + lam * Q.magnitudes(x - x_previous))
        return _relative(lhs - rhs, scale)
    return momentum_identity


def _relative(residual, scale):
    r"""
    Return the largest ``|residual| / scale`` (a zero scale leaves the residual absolute).
    """
    return float((np.abs(residual) / np.where(scale > 0, scale, 1.0)).max(initial=0.0))
