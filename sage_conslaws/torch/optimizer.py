r"""
What an optimizer does to the laws of gradient flow: which hold, and the drift its steps explain

The laws of a model's gradient flow are quadratic forms `h` with
`\langle \nabla h(\theta), g \rangle = 0` for every gradient `g` of a loss
that depends on `\theta` through the network (every data set, so every
mini-batch). For a homogeneous quadratic `h` with bilinear form `B`,

.. MATH::

    h(\theta_{k+1}) - h(\theta_k) = 2B(\theta_k, \Delta_{k+1}) + h(\Delta_{k+1}),
    \qquad \Delta_{k+1} = \theta_{k+1} - \theta_k.

PyTorch's SGD with momentum `\beta`, dampening `\tau` and weight decay
`\lambda` steps by `\Delta_{k+1} = \rho_k \Delta_k - \gamma_k (g_k +
\lambda\theta_k)`, with `\rho_k = \beta\eta_k/\eta_{k-1}` and `\gamma_k =
\eta_k(1 - \tau)` (`\rho_0 = 0`, `\gamma_0 = \eta_0`: the first step has no
momentum and no dampening). Since `B(\theta_k, g_k) = 0` and
`2B(\theta_k, \Delta_k) = d_k + h(\Delta_k)`, `d_k = h(\theta_k) -
h(\theta_{k-1})`:

.. MATH::

    d_{k+1} = \rho_k \big(d_k + h(\Delta_k)\big) - 2\gamma_k\lambda\, h(\theta_k) + h(\Delta_{k+1}).

:class:`DriftPrediction` runs this recursion from the steps the optimizer
took: it is the change of the laws that the discrete steps explain, exact
(up to rounding) when the gradients lie in `W(\theta)`. Without the terms
`h(\Delta)` it gives the decay `c_k h(\theta_0)` of weight decay (`c_k \to
e^{-2\lambda t/(1-\beta)}`). From `\Delta \approx -\eta g/(1 - \beta)`, the
share of the steps is `O(\eta)` per unit time `t = \sum_k \eta_k` for SGD,
amplified by `(1+\beta)/(1-\beta)^2` for heavy ball ([KS2021]_).

EXAMPLES::

    >>> import torch
    >>> from sage_conslaws.torch.optimizer import optimizer_settings
    >>> w = torch.nn.Parameter(torch.zeros(2))
    >>> optimizer_settings(torch.optim.SGD([w], lr=0.1, momentum=0.9), [w])
    heavy ball: lr 0.1, momentum 0.9, dampening 0, weight decay 0
    >>> optimizer_settings(torch.optim.Adam([w], lr=0.01), [w])
    adam: lr 0.01
"""
import torch

#: The kinds of optimizer whose drift :class:`DriftPrediction` predicts.
PREDICTED = ("sgd", "heavy ball")


class OptimizerSettings:
    r"""
    The settings of an optimizer's step for the tensors of a module: kind, step size, momentum, dampening, weight decay.

    Build it with :func:`optimizer_settings`.

    EXAMPLES::

        >>> import torch
        >>> from sage_conslaws.torch.optimizer import optimizer_settings
        >>> w = torch.nn.Parameter(torch.zeros(2))
        >>> s = optimizer_settings(torch.optim.SGD([w], lr=0.1, weight_decay=0.01), [w])
        >>> s.kind(), s.lr(), s.weight_decay(), s.is_predicted()
        ('sgd', 0.1, 0.01, True)
    """

    def __init__(self, kind, lr=None, momentum=0.0, dampening=0.0, weight_decay=0.0):
        self._kind = kind
        self._lr, self._momentum = lr, float(momentum)
        self._dampening, self._weight_decay = float(dampening), float(weight_decay)

    def kind(self):
        r"""
        Return the kind: ``"sgd"``, ``"heavy ball"``, ``"nesterov"``, ``"adam"``, ``"mixed"`` or ``"unknown"``.

        EXAMPLES::

            >>> from sage_conslaws.torch.optimizer import optimizer_settings
            >>> optimizer_settings(None, []).kind()
            'unknown'
        """
        return self._kind

    def lr(self):
        r"""
        Return the step size `\eta`, or ``None`` when unknown.

        EXAMPLES::

            >>> from sage_conslaws.torch.optimizer import optimizer_settings
            >>> optimizer_settings(None, []).lr() is None
            True
        """
        return self._lr

    def momentum(self):
        r"""
        Return the momentum `\beta` (0 without).

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch.optimizer import optimizer_settings
            >>> w = torch.nn.Parameter(torch.zeros(1))
            >>> optimizer_settings(torch.optim.SGD([w], lr=1, momentum=0.5), [w]).momentum()
            0.5
        """
        return self._momentum

    def weight_decay(self):
        r"""
        Return the weight decay `\lambda` (0 without).

        EXAMPLES::

            >>> from sage_conslaws.torch.optimizer import OptimizerSettings
            >>> OptimizerSettings("sgd", 0.1, weight_decay=0.2).weight_decay()
            0.2
        """
        return self._weight_decay

    def is_predicted(self):
        r"""
        Return whether :class:`DriftPrediction` predicts the drift of this kind of step.

        EXAMPLES::

            >>> from sage_conslaws.torch.optimizer import OptimizerSettings
            >>> OptimizerSettings("heavy ball", 0.1, 0.9).is_predicted(), OptimizerSettings("adam", 0.1).is_predicted()
            (True, False)
        """
        return self._kind in PREDICTED

    def coefficients(self, previous_lr, first):
        r"""
        Return `(\rho_k, \gamma_k\lambda)` of the step (see :mod:`~sage_conslaws.torch.optimizer`).

        INPUT:

        - ``previous_lr`` -- the step size of the step before
        - ``first`` -- whether this is the first step (no momentum yet)

        EXAMPLES::

            >>> from sage_conslaws.torch.optimizer import OptimizerSettings
            >>> s = OptimizerSettings("heavy ball", 0.1, 0.9, dampening=0.5, weight_decay=0.2)
            >>> s.coefficients(0.1, True), s.coefficients(0.2, False)
            ((0.0, 0.020000000000000004), (0.45, 0.010000000000000002))
        """
        if first or not self._momentum:
            return 0.0, self._lr * self._weight_decay
        gamma = self._lr * (1 - self._dampening)
        return self._momentum * self._lr / previous_lr, gamma * self._weight_decay

    def statement(self):
        r"""
        Return, in words, which laws the optimizer conserves and the order of their drift.

        EXAMPLES::

            >>> from sage_conslaws.torch.optimizer import OptimizerSettings
            >>> print(OptimizerSettings("adam", 0.01).statement())
            Adam divides each coordinate of the gradient by its own running size: its steps leave W(theta), so no law is conserved, not even as lr -> 0; drifts of order one per unit time are expected, and none is flagged.
        """
        decay = ""
        if self._weight_decay and self._kind in ("sgd", "heavy ball", "nesterov"):
            rate = "2*lambda*t" + ("/(1-beta)" if self._momentum else "")
            decay = (f" With weight decay lambda = {self._weight_decay:g} the flow conserves "
                     f"h(theta)*exp({rate}) instead: the drift is measured against that decay.")
        if self._kind == "sgd":
            return ("SGD: every law is conserved by gradient flow, the limit lr -> 0 of its steps "
                    "(mini-batches too: every batch's gradient lies in W(theta)). A step changes "
                    "a law h by h(theta_{k+1} - theta_k) = lr^2 h(g) exactly, so the laws drift "
                    "O(lr) per unit time t = sum of the lr." + decay)
        if self._kind in ("heavy ball", "nesterov"):
            name = "heavy ball" if self._kind == "heavy ball" else "Nesterov"
            return (f"SGD with momentum beta = {self._momentum:g} ({name}): the laws are conserved "
                    "by its limit flow theta' = -grad L/(1-beta), not by the momentum flow of "
                    "second order; they drift O(lr) per unit time, amplified by "
                    "(1+beta)/(1-beta)^2 = "
                    f"{(1 + self._momentum) / (1 - self._momentum) ** 2:.3g}." + decay
                    + ("" if self._kind == "heavy ball" else
                       " The monitor measures this drift; it does not predict Nesterov's steps."))
        if self._kind == "adam":
            return ("Adam divides each coordinate of the gradient by its own running size: its "
                    "steps leave W(theta), so no law is conserved, not even as lr -> 0; drifts of "
                    "order one per unit time are expected, and none is flagged.")
        if self._kind == "mixed":
            return ("The module's tensors are in parameter groups with different settings: a step "
                    "size per coordinate is a diagonal metric, under which the laws of the "
                    "Euclidean flow are not conserved; the drift is measured, not predicted.")
        return ("No optimizer the monitor knows: the drift is measured, not predicted; the laws "
                "are those of gradient flow.")

    def __repr__(self):
        if self._kind in PREDICTED:
            return (f"{self._kind}: lr {self._lr:g}, momentum {self._momentum:g}, dampening "
                    f"{self._dampening:g}, weight decay {self._weight_decay:g}")
        return self._kind + ("" if self._lr is None else f": lr {self._lr:g}")


def optimizer_settings(optimizer, tensors):
    r"""
    Return the :class:`OptimizerSettings` of ``optimizer`` for ``tensors``, as they are now.

    Read at each step, so that a schedule of the step size is followed.

    INPUT:

    - ``optimizer`` -- a ``torch.optim.Optimizer``, or ``None``
    - ``tensors`` -- the module's tensors that hold the model's parameters

    EXAMPLES::

        >>> import torch
        >>> from sage_conslaws.torch.optimizer import optimizer_settings
        >>> a, b = torch.nn.Parameter(torch.zeros(1)), torch.nn.Parameter(torch.zeros(1))
        >>> optimizer_settings(torch.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.2}], lr=0.1), [a, b])
        mixed
        >>> optimizer_settings(torch.optim.SGD([a], lr=0.1, momentum=0.9, nesterov=True), [a])
        nesterov: lr 0.1
        >>> optimizer_settings(torch.optim.RMSprop([a]), [a])
        unknown: lr 0.01
    """
    if optimizer is None:
        return OptimizerSettings("unknown")
    wanted = {id(t) for t in tensors}
    groups = [g for g in optimizer.param_groups if any(id(p) in wanted for p in g["params"])]
    if not groups:
        raise ValueError("the optimizer does not train the module's parameters")
    keys = ("lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize")
    if len({tuple(repr(g.get(key)) for key in keys) for g in groups}) > 1:
        return OptimizerSettings("mixed")
    group = groups[0]
    lr = float(group["lr"])
    if type(optimizer) in (torch.optim.Adam, torch.optim.AdamW):
        return OptimizerSettings("adam", lr)
    if type(optimizer) is not torch.optim.SGD or group.get("maximize"):
        return OptimizerSettings("unknown", lr)
    momentum = float(group["momentum"])
    kind = "sgd" if not momentum else ("nesterov" if group["nesterov"] else "heavy ball")
    return OptimizerSettings(kind, lr, momentum, group["dampening"], group["weight_decay"])


class DriftPrediction:
    r"""
    The values of the laws that the steps of SGD explain, step by step (see :mod:`~sage_conslaws.torch.optimizer`).

    INPUT:

    - ``start`` -- the values `h(\theta_0)` of the laws (a torch tensor)

    EXAMPLES:

    One law `h(x, y) = x^2 - y^2`, gradients along `(y, x)` (so `\langle
    \nabla h, g \rangle = 0`), heavy ball with weight decay; the prediction
    equals the true values::

        >>> import torch
        >>> from sage_conslaws.torch.optimizer import DriftPrediction, OptimizerSettings
        >>> h = lambda v: v[0]**2 - v[1]**2
        >>> theta = torch.tensor([1.0, 0.5], dtype=torch.float64, requires_grad=True)
        >>> opt = torch.optim.SGD([theta], lr=0.1, momentum=0.9, weight_decay=0.05)
        >>> settings = OptimizerSettings("heavy ball", 0.1, 0.9, weight_decay=0.05)
        >>> P = DriftPrediction(h(theta.detach()).reshape(1))
        >>> for k in range(20):
        ...     before = theta.detach().clone()
        ...     opt.zero_grad(); (theta[0] * theta[1]).backward(); opt.step()
        ...     _ = P.advance(settings, h(theta.detach() - before).reshape(1))
        >>> bool(abs(P.values() - h(theta.detach())) < 1e-12)
        True
    """

    def __init__(self, start):
        self._values = start.clone()
        self._change = torch.zeros_like(start)   # d_k
        self._step = torch.zeros_like(start)     # h(Delta_k)
        self._decay, self._decay_change = 1.0, 0.0
        self._lr = None

    def advance(self, settings, step_value):
        r"""
        Advance by one step of ``settings``; return the predicted values.

        INPUT:

        - ``settings`` -- the :class:`OptimizerSettings` of the step
        - ``step_value`` -- `h(\Delta_{k+1})`, the laws at the step taken
        """
        rho, decay = settings.coefficients(self._lr, self._lr is None)
        self._change = rho * (self._change + self._step) - 2 * decay * self._values + step_value
        self._values = self._values + self._change
        self._decay_change = rho * self._decay_change - 2 * decay * self._decay
        self._decay += self._decay_change
        self._step, self._lr = step_value, settings.lr()
        return self._values

    def values(self):
        r"""
        Return the predicted values of the laws now.
        """
        return self._values

    def decay(self):
        r"""
        Return the factor `c_k` of weight decay alone (1 without weight decay).
        """
        return self._decay
