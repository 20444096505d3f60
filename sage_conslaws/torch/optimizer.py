r"""
What an optimizer does to the laws of gradient flow: which hold, and the change its steps explain

The laws of a model's gradient flow are quadratic forms `h`, with bilinear
form `B` (`h(x) = B(x, x)`), such that `\langle \nabla h(\theta), g \rangle =
2B(\theta, g) = 0` for every gradient `g` of a loss that depends on `\theta`
through the network (every data set, so every mini-batch). A step
`\Delta_{k+1} = \theta_{k+1} - \theta_k` changes a law by

.. MATH::

    h(\theta_{k+1}) - h(\theta_k) = 2B(\theta_k, \Delta_{k+1}) + h(\Delta_{k+1}).

PyTorch's SGD with momentum `\beta`, dampening `\tau`, weight decay
`\lambda` and step size `\eta_k` steps by `\Delta_{k+1} = -\eta_k u_{k+1}`
(heavy ball) or `-\eta_k (g'_k + \beta u_{k+1})` (Nesterov), where `g'_k =
\pm g_k + \lambda\theta_k` (``maximize`` flips the sign of `g_k`) and the
buffer is `u_{k+1} = g'_k` on the first step, `\beta u_k + (1 - \tau) g'_k`
after (no buffer without momentum: `\Delta_{k+1} = -\eta_k g'_k`). Since
`2B(\theta_k, g_k) = 0`, `2B(\theta_k, g'_k) = 2\lambda h(\theta_k)` and the
cross term `2B(\theta_k, \Delta_{k+1})` is known from `h(\theta_k)` and
`2B(\theta_k, u_k)` (:func:`cross_term`), both read at the step. The sum
over the steps of the predicted changes is the change of the laws that the
steps explain: exact, up to rounding, when every gradient lies in
`W(\theta)`; what is left is the part of the steps that leaves
`W(\theta)`.

Orders: from `\Delta \approx -\eta g/(1 - \beta)`, `h(\Delta)` makes the
laws drift by `O(\eta)` per unit time `t = \sum_k \eta_k` for SGD,
amplified by `(1+\beta)/(1-\beta)^2` for heavy ball ([KS2021]_); weight
decay multiplies them by `e^{-2\lambda(1-\tau)t/(1-\beta)}` along the flow.

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

#: The kinds of optimizer whose steps :func:`cross_term` predicts.
PREDICTED = ("sgd", "heavy ball", "nesterov")


class OptimizerSettings:
    r"""
    The settings of an optimizer's step for the tensors of a module: kind, step size, momentum, dampening, weight decay.

    Build it with :func:`optimizer_settings`.

    INPUT:

    - ``kind`` -- ``"sgd"``, ``"heavy ball"``, ``"nesterov"``, ``"adam"``,
      ``"mixed"`` or ``"unknown"``
    - ``lr``, ``momentum``, ``dampening``, ``weight_decay`` -- the settings

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
        self._lr = None if lr is None else float(lr)
        self._momentum, self._dampening = float(momentum), float(dampening)
        self._weight_decay = float(weight_decay)

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

    def dampening(self):
        r"""
        Return the dampening `\tau` of the momentum (0 without).

        EXAMPLES::

            >>> from sage_conslaws.torch.optimizer import OptimizerSettings
            >>> OptimizerSettings("heavy ball", 0.1, 0.9, dampening=0.3).dampening()
            0.3
        """
        return self._dampening

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
        Return whether :func:`cross_term` predicts the steps of this kind.

        EXAMPLES::

            >>> from sage_conslaws.torch.optimizer import OptimizerSettings
            >>> OptimizerSettings("heavy ball", 0.1, 0.9).is_predicted(), OptimizerSettings("adam", 0.1).is_predicted()
            (True, False)
        """
        return self._kind in PREDICTED

    def statement(self):
        r"""
        Return, in words, which laws the optimizer conserves and the order of their drift.

        EXAMPLES::

            >>> from sage_conslaws.torch.optimizer import OptimizerSettings
            >>> print(OptimizerSettings("adam", 0.01).statement())
            Adam divides each coordinate of the gradient by its own running size: its steps leave W(theta), so no law is conserved, not even as lr -> 0; drifts of order one per unit time are expected, and none is flagged.
            >>> print(OptimizerSettings("heavy ball", 0.01, 0.9, dampening=0.5, weight_decay=0.1).statement())
            SGD with momentum beta = 0.9 (heavy ball): the laws are conserved by its limit flow theta' = -(1-tau) grad L/(1-beta), not by the momentum flow of second order; they drift O(lr) per unit time, amplified by (1+beta)/(1-beta)^2 = 190. With weight decay lambda = 0.1 the flow conserves h(theta)*exp(2*lambda*(1-tau)*t/(1-beta)) instead: the laws decay, and the steps explain that decay too.
        """
        decay = ""
        if self._weight_decay and self._kind in PREDICTED:
            rate = ("2*lambda*t" if not self._momentum else
                    "2*lambda*(1-tau)*t/(1-beta)" if self._dampening else "2*lambda*t/(1-beta)")
            decay = (f" With weight decay lambda = {self._weight_decay:g} the flow conserves "
                     f"h(theta)*exp({rate}) instead: the laws decay, and the steps explain that "
                     "decay too.")
        if self._kind == "sgd":
            return ("SGD: every law is conserved by gradient flow, the limit lr -> 0 of its steps "
                    "(mini-batches too: every batch's gradient lies in W(theta)). Without weight "
                    "decay a step changes a law h by exactly h(theta_{k+1} - theta_k) = lr^2 h(g), "
                    "so the laws drift O(lr) per unit time t = sum of the lr." + decay)
        if self._kind in ("heavy ball", "nesterov"):
            name = "heavy ball" if self._kind == "heavy ball" else "Nesterov"
            scale = "(1-tau) " if self._dampening else ""
            return (f"SGD with momentum beta = {self._momentum:g} ({name}): the laws are conserved "
                    f"by its limit flow theta' = -{scale}grad L/(1-beta), not by the momentum flow "
                    "of second order; they drift O(lr) per unit time, amplified by "
                    "(1+beta)/(1-beta)^2 = "
                    f"{(1 + self._momentum) / (1 - self._momentum) ** 2:.3g}." + decay)
        if self._kind == "adam":
            return ("Adam divides each coordinate of the gradient by its own running size: its "
                    "steps leave W(theta), so no law is conserved, not even as lr -> 0; drifts of "
                    "order one per unit time are expected, and none is flagged.")
        if self._kind == "mixed":
            return ("The module's tensors are in parameter groups with different settings: "
                    "different step sizes are a diagonal metric, under which the laws of the "
                    "Euclidean flow are not conserved, and different momenta or weight decays mix "
                    "their decays; the drift is measured, not predicted.")
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

    Read before each step, so that a schedule of the step size is followed.

    INPUT:

    - ``optimizer`` -- a ``torch.optim.Optimizer``, or ``None``
    - ``tensors`` -- the module's tensors that hold the model's parameters;
      the optimizer must train them all

    EXAMPLES::

        >>> import torch
        >>> from sage_conslaws.torch.optimizer import optimizer_settings
        >>> a, b = torch.nn.Parameter(torch.zeros(1)), torch.nn.Parameter(torch.zeros(1))
        >>> optimizer_settings(torch.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.2}], lr=0.1), [a, b])
        mixed
        >>> optimizer_settings(torch.optim.SGD([a], lr=0.1, momentum=0.9, nesterov=True), [a])
        nesterov: lr 0.1, momentum 0.9, dampening 0, weight decay 0
        >>> optimizer_settings(torch.optim.RMSprop([a]), [a])
        unknown: lr 0.01

    TESTS::

        >>> optimizer_settings(torch.optim.SGD([a], lr=0.1), [a, b])
        Traceback (most recent call last):
        ...
        ValueError: the optimizer does not train 1 of the model's 2 tensors: the laws of the model are not those of the part it trains
    """
    if optimizer is None:
        return OptimizerSettings("unknown")
    groups = {id(p): g for g in optimizer.param_groups for p in g["params"]}
    untrained = [t for t in tensors if id(t) not in groups]
    if untrained:
        raise ValueError(f"the optimizer does not train {len(untrained)} of the model's "
                         f"{len(tensors)} tensors: the laws of the model are not those of the "
                         "part it trains")
    used = list({id(g): g for g in (groups[id(t)] for t in tensors)}.values())
    keys = ("lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize")
    # float values: the repr of a tensor rounds (tensor(0.1) and tensor(0.10001) print alike)
    if len({tuple(_number(g.get(key)) for key in keys) for g in used}) > 1:
        return OptimizerSettings("mixed")
    group = used[0]
    lr = float(group["lr"])
    if type(optimizer) in (torch.optim.Adam, torch.optim.AdamW):
        return OptimizerSettings("adam", lr)
    if type(optimizer) is not torch.optim.SGD:
        return OptimizerSettings("unknown", lr)
    momentum = float(group["momentum"])
    kind = "sgd" if not momentum else ("nesterov" if group["nesterov"] else "heavy ball")
    return OptimizerSettings(kind, lr, momentum, group["dampening"], group["weight_decay"])


def _number(value):
    return float(value) if isinstance(value, (int, float, torch.Tensor)) else value


def momentum_buffers(optimizer, tensors):
    r"""
    Return the momentum buffers of ``optimizer`` for ``tensors`` (a dictionary by name), ``{}`` before the first step, or ``None`` when only some tensors have one.

    EXAMPLES::

        >>> import torch
        >>> from sage_conslaws.torch.optimizer import momentum_buffers
        >>> w = torch.nn.Parameter(torch.ones(2)); opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
        >>> momentum_buffers(opt, {"w": w})
        {}
        >>> w.grad = torch.ones(2); opt.step()
        >>> momentum_buffers(opt, {"w": w})["w"].tolist()
        [1.0, 1.0]
    """
    buffers = {name: optimizer.state.get(t, {}).get("momentum_buffer")
               for name, t in tensors.items()}
    present = [b is not None for b in buffers.values()]
    if not any(present):
        return {}
    if not all(present):
        return None
    return buffers


def cross_term(settings, value, buffer_term):
    r"""
    Return the predicted `2B(\theta_k, \Delta_{k+1})` of a step of SGD, for each law.

    INPUT:

    - ``settings`` -- the :class:`OptimizerSettings` of the step (a kind of
      :data:`PREDICTED`)
    - ``value`` -- `h(\theta_k)`, the laws before the step
    - ``buffer_term`` -- `2B(\theta_k, u_k)` with the momentum buffer `u_k`
      before the step, or ``None`` on the first step (no buffer yet)

    EXAMPLES:

    One law `h(x, y) = x^2 - y^2`, gradients along `(y, x)` (so `\langle
    \nabla h, g \rangle = 0`), heavy ball with weight decay and dampening;
    the predicted changes add up to the true values::

        >>> import torch
        >>> from sage_conslaws.torch.optimizer import OptimizerSettings, cross_term
        >>> h = lambda v: v[0]**2 - v[1]**2
        >>> B2 = lambda v, u: 2 * (v[0] * u[0] - v[1] * u[1])
        >>> theta = torch.tensor([1.0, 0.5], dtype=torch.float64, requires_grad=True)
        >>> opt = torch.optim.SGD([theta], lr=0.1, momentum=0.9, dampening=0.2, weight_decay=0.05)
        >>> settings = OptimizerSettings("heavy ball", 0.1, 0.9, 0.2, 0.05)
        >>> predicted = h(theta.detach())
        >>> for k in range(20):
        ...     before = theta.detach().clone()
        ...     u = opt.state[theta]["momentum_buffer"].clone() if k else None
        ...     opt.zero_grad(); (theta[0] * theta[1]).backward(); opt.step()
        ...     predicted += cross_term(settings, h(before), None if u is None else B2(before, u))
        ...     predicted += h(theta.detach() - before)
        >>> bool(abs(predicted - h(theta.detach())) < 1e-12)
        True
    """
    eta, beta = settings.lr(), settings.momentum()
    decay = 2 * settings.weight_decay() * value       # 2B(theta_k, g'_k)
    if settings.kind() == "sgd":
        return -eta * decay
    damping = 1 - settings.dampening()
    # 2B(theta_k, u_{k+1})
    buffer = decay if buffer_term is None else beta * buffer_term + damping * decay
    if settings.kind() == "heavy ball":
        return -eta * buffer
    return -eta * (decay + beta * buffer)            # Nesterov
