r"""
Watch the proven laws of a PyTorch model in its own training loop

:class:`LawMonitor` reads the module (:func:`~sage_conslaws.torch.architecture.architecture_of`),
asks the engine for every law of its gradient flow (the count, proven, and
the laws as polynomials: :func:`~sage_conslaws.training.laws.tracked_laws`),
and evaluates them in torch on the module's live parameters, on its device
and in its dtype, at every ``monitor.step()``: gathers, products and one
segment sum per law for all the laws at once (:mod:`~sage_conslaws.torch.forms`).
It knows what the optimizer does to them (:mod:`~sage_conslaws.torch.optimizer`):
for SGD, with or without momentum and weight decay, it predicts step by step
the change that the discrete steps explain, and flags a law whose change they
do not explain.

The exact count runs in Sage when the monitor is built, which must be in the
main thread of the process (PARI runs only there); ``step()`` uses torch
only.

EXAMPLES::

    >>> import torch
    >>> from sage_conslaws.torch import LawMonitor
    >>> _ = torch.manual_seed(0)
    >>> net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 3)).double()
    >>> opt = torch.optim.SGD(net.parameters(), lr=0.05)
    >>> monitor = LawMonitor(net, opt); monitor
    monitor of 3 laws of ReLUNetwork([4, 3, 3], bias=True) with 24 parameters (certified: all the laws) under sgd: lr 0.05, momentum 0, dampening 0, weight decay 0, 0 steps
    >>> x, y = torch.randn(20, 4, dtype=torch.float64), torch.randint(0, 3, (20,))
    >>> for k in range(50):
    ...     opt.zero_grad(); loss = torch.nn.functional.cross_entropy(net(x), y); loss.backward()
    ...     opt.step(); monitor.step(loss)
    >>> max(monitor.drift().values()) < 1e-2, monitor.flagged()
    (True, [])
"""
import numpy as np
import torch

from sage_conslaws.torch.architecture import architecture_of
from sage_conslaws.torch.forms import QuadraticForms
from sage_conslaws.torch.optimizer import cross_term, momentum_buffers, optimizer_settings

#: The rounding allowance of a law, per record, in units of the dtype's machine epsilon
#: times the sum of the absolute values of its terms. Measured: the change that the steps
#: do not explain is 4 to 8 times below one such unit per record, in float32 and float64.
ROUNDING = 10


class LawMonitor:
    r"""
    The conservation laws of a torch module, evaluated on its live parameters along training.

    INPUT:

    - ``module`` -- an ``nn.Module`` that
      :func:`~sage_conslaws.torch.architecture.architecture_of` reads
    - ``optimizer`` -- (default: ``None``) the ``torch.optim`` optimizer that
      trains it; its settings are read at every step
    - ``input_size`` -- (default: ``None``) for convolutions, the size of the input
    - ``hook`` -- (default: ``False``) whether to record after every
      ``optimizer.step()`` by a hook of the optimizer, instead of calling
      :meth:`step`
    - ``proof_seconds`` -- (default: ``None``, no limit) the seconds given to
      the exact count; past them the laws are the model's known laws, not
      proven to be all (see :func:`~sage_conslaws.training.laws.tracked_laws`)

    EXAMPLES::

        >>> import torch
        >>> from sage_conslaws.torch import LawMonitor
        >>> net = torch.nn.Sequential(torch.nn.Linear(2, 2, bias=False), torch.nn.Linear(2, 1, bias=False))
        >>> opt = torch.optim.SGD(net.parameters(), lr=0.1)
        >>> monitor = LawMonitor(net, opt, hook=True)
        >>> monitor.names()
        ['W1 W1^T - W2^T W2 [0,0]', 'W1 W1^T - W2^T W2 [0,1]', 'W1 W1^T - W2^T W2 [1,1]']
        >>> x = torch.randn(10, 2)
        >>> for k in range(5):
        ...     opt.zero_grad(); (net(x) ** 2).mean().backward(); opt.step()
        >>> len(monitor.history()["step"])
        6

    TESTS::

        >>> LawMonitor(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh(), torch.nn.Linear(2, 1)))
        Traceback (most recent call last):
        ...
        ValueError: cannot read layer 1 of the Sequential, a Tanh: sage_conslaws.torch reads nn.Sequential, nn.Linear, nn.ReLU, nn.LeakyReLU, nn.Identity, nn.Conv1d, nn.Conv2d, nn.MultiheadAttention, and sage_conslaws.torch's Residual and LoRALinear
    """

    def __init__(self, module, optimizer=None, input_size=None, hook=False, proof_seconds=None):
        from sage_conslaws.training.laws import tracked_laws
        if hook and optimizer is None:
            raise ValueError("a hook needs the optimizer: pass it to the monitor")
        self._model, self._map = architecture_of(module, input_size)
        self._trained = self._map.trained_tensors()
        self._optimizer = optimizer
        optimizer_settings(optimizer, list(self._trained.values()))   # it trains them all
        self._laws = tracked_laws(self._model, "euclidean", proof_seconds)
        theta = self._map.vector()
        variables, coefficients, laws = self._laws.terms()
        if len(variables) and (variables.shape[1] != 2
                               or (variables == self._model.dimension()).any()):
            raise ValueError(f"the laws of {self._model} are not quadratic forms: the monitor "
                             "evaluates quadratic forms only")
        self._forms = QuadraticForms(variables, coefficients, laws, len(self._laws),
                                     theta.dtype, theta.device)
        self._theta = theta
        values, magnitudes = self._forms.values_and_magnitudes(theta)
        self._values, self._magnitudes = [values], [magnitudes]
        self._steps, self._times, self._losses = [0], [0.0], []
        self._settings, self._before = [], None
        self._predicted = [self._values[0]]
        self._unpredicted = (None if optimizer is not None else
                             "no optimizer given: the drift is measured, not predicted")
        # before each step: the settings and the buffers the step uses (read after it, a
        # schedule has already moved the step size); after it, with hook=True, the record
        self._handles = []
        if optimizer is not None:
            self._handles.append(optimizer.register_step_pre_hook(
                lambda optimizer, args, kwargs: self._before_step(args, kwargs)))
        if hook:
            self._handles.append(optimizer.register_step_post_hook(lambda *_: self.step()))

    def model(self):
        r"""
        Return the package's model of the module.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> LawMonitor(torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))).model()
            ReLUNetwork([1, 2, 1], bias=True) with 6 parameters
        """
        return self._model

    def parameter_map(self):
        r"""
        Return the :class:`~sage_conslaws.torch.architecture.ParameterMap` of the module's parameters.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> LawMonitor(torch.nn.Linear(1, 1)).parameter_map()
            the parameters of LinearNetwork([1, 1]) with 1 parameter, in 2 tensors of a Linear (1 entry not in the model)
        """
        return self._map

    def laws(self):
        r"""
        Return the laws as the engine gives them (:class:`~sage_conslaws.training.laws.FloatLaws`).

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> net = torch.nn.Sequential(torch.nn.Linear(1, 1, bias=False), torch.nn.ReLU(), torch.nn.Linear(1, 1, bias=False))
            >>> LawMonitor(net).laws().polynomials()
            [('neuron 1.0', w1_0_0^2 - w2_0_0^2)]
        """
        return self._laws

    def names(self):
        r"""
        Return the names of the laws.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> LawMonitor(torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))).names()
            ['neuron 1.0', 'neuron 1.1']
        """
        return self._laws.names()

    def values(self, theta=None):
        r"""
        Return the values of the laws at ``theta`` (default: the module's parameters now), as a torch tensor.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> net = torch.nn.Sequential(torch.nn.Linear(1, 1, bias=False), torch.nn.ReLU(), torch.nn.Linear(1, 1, bias=False))
            >>> LawMonitor(net).values(torch.tensor([3.0, 1.0])).tolist()
            [8.0]
        """
        return self._forms.values(self._map.vector() if theta is None else theta)

    def bilinear(self, x, y):
        r"""
        Return `2B(x, y)` for each law `h(x) = B(x, x)`: the derivative of `h` at `x` along `y`.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> net = torch.nn.Sequential(torch.nn.Linear(1, 1, bias=False), torch.nn.ReLU(), torch.nn.Linear(1, 1, bias=False))
            >>> LawMonitor(net).bilinear(torch.tensor([3.0, 1.0]), torch.tensor([1.0, 2.0])).tolist()
            [2.0]
        """
        return self._forms.bilinear(x, y)

    def _before_step(self, args=(), kwargs=None):
        r"""
        Read, before a step of the optimizer, its settings and `2B(\theta_k, u_k)` of its momentum buffers.

        ``args`` (the optimizer first) and ``kwargs`` are those of
        ``optimizer.step``: with a closure, the gradients come inside the step.
        """
        settings = optimizer_settings(self._optimizer, list(self._trained.values()))
        if self._unpredicted is not None:
            self._before = (settings, None)
            return
        if not settings.is_predicted():
            self._stop(f"{settings.kind()} steps are measured, not predicted")
        elif not torch.allclose(self._map.vector(), self._theta, rtol=0, atol=0, equal_nan=True):
            # read again, not from torch's version counters: edits through p.data skip them
            self._stop("the parameters changed without a recorded step (monitor.step() must "
                       "follow every optimizer step)")
        elif not _closure(args, kwargs) and any(t.grad is None for t in self._trained.values()):
            # torch leaves a tensor without a gradient where it is: no decay, no momentum
            self._stop("a step with tensors that have no gradient (torch does not move them)")
        self._before = (settings, self._buffer_term(settings))

    def _buffer_term(self, settings):
        if settings.kind() == "sgd":
            return None
        buffers = momentum_buffers(self._optimizer, self._trained)
        if buffers is None:
            self._stop("only some of the module's tensors have a momentum buffer")
            return None
        return self.bilinear(self._theta, self._map.gather(buffers)) if buffers else None

    def _stop(self, why):
        if self._unpredicted is None:
            self._unpredicted = why

    def step(self, loss=None):
        r"""
        Record the laws now: call it after each ``optimizer.step()`` (or build the monitor with ``hook=True``).

        INPUT:

        - ``loss`` -- (default: ``None``) the loss of the step, to plot it

        The change that the steps explain is predicted only when the monitor
        records every step of the optimizer (it checks that the parameters did
        not move between two records).

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> monitor = LawMonitor(torch.nn.Linear(2, 1))
            >>> monitor.step(0.5); monitor.history()["step"]
            [0, 1]
        """
        theta = self._map.vector()
        before, self._before = self._before, None
        if before is None and self._optimizer is not None and torch.allclose(
                theta, self._theta, rtol=0, atol=0, equal_nan=True):
            # no step since the last record (a hook recorded it): only the loss is new
            if loss is not None:
                self._losses.append((self._steps[-1], _number(loss)))
            return
        if before is None:
            self._stop("a record without an optimizer step before it")
            settings = optimizer_settings(self._optimizer, list(self._trained.values()))
        else:
            settings = before[0]
        self._settings.append(settings)
        values, magnitudes = self._forms.values_and_magnitudes(theta)
        self._values.append(values)
        self._magnitudes.append(magnitudes)
        self._steps.append(self._steps[-1] + 1)
        lr = settings.lr()
        self._times.append(self._times[-1] + (1.0 if lr is None else lr))
        if loss is not None:
            self._losses.append((self._steps[-1], _number(loss)))
        if self._unpredicted is None:
            change = (cross_term(settings, self._values[-2], before[1])
                      + self.values(theta - self._theta))
            self._predicted.append(self._predicted[-1] + change)
        self._theta = theta

    def settings(self):
        r"""
        Return the :class:`~sage_conslaws.torch.optimizer.OptimizerSettings` of the last step (or of now, before any).

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> net = torch.nn.Linear(2, 1)
            >>> LawMonitor(net, torch.optim.Adam(net.parameters())).settings()
            adam: lr 0.001
        """
        if self._settings:
            return self._settings[-1]
        return optimizer_settings(self._optimizer, list(self._trained.values()))

    def history(self):
        r"""
        Return the series: ``step``, ``time`` (the sum of the step sizes), ``loss`` and the ``values`` of the laws.

        OUTPUT: a dictionary; ``values`` is a NumPy array with one row per
        record and one column per law, ``predicted`` the values that the
        steps explain (``None`` when not predicted), ``loss`` the pairs
        ``(step, loss)`` given to :meth:`step`

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> h = LawMonitor(torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))).history()
            >>> sorted(h), h["values"].shape
            (['loss', 'names', 'predicted', 'step', 'time', 'values'], (1, 2))
        """
        predicted = self._stack(self._predicted) if self.is_predicted() else None
        return {"step": list(self._steps), "time": list(self._times), "loss": list(self._losses),
                "names": self.names(), "values": self._stack(self._values),
                "predicted": predicted}

    @staticmethod
    def _stack(tensors):
        return torch.stack(tensors).detach().to("cpu", torch.float64).numpy()

    def is_predicted(self):
        r"""
        Return whether the change that the steps explain is predicted (see :meth:`why_not_predicted`).

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> net = torch.nn.Linear(1, 1)
            >>> LawMonitor(net, torch.optim.SGD(net.parameters(), lr=0.1)).is_predicted()
            True
        """
        return self._unpredicted is None

    def why_not_predicted(self):
        r"""
        Return why the change that the steps explain is not predicted, or ``None``.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> LawMonitor(torch.nn.Linear(1, 1)).why_not_predicted()
            'no optimizer given: the drift is measured, not predicted'
        """
        return self._unpredicted

    def changes(self):
        r"""
        Return `h(\theta_k) - h(\theta_0)` per record and law.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> LawMonitor(torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))).changes().tolist()
            [[0.0, 0.0]]
        """
        values = self._stack(self._values)
        return values - values[0]

    def drift(self):
        r"""
        Return each law's largest change `\max_k |h(\theta_k) - h(\theta_0)|`, by name.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> LawMonitor(torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.ReLU(), torch.nn.Linear(1, 1))).drift()
            {'neuron 1.0': 0.0}
        """
        return dict(zip(self.names(), np.abs(self.changes()).max(axis=0).tolist()))

    def expected(self):
        r"""
        Return each law's largest change that the optimizer's steps explain, by name; ``None`` when not predicted.

        Predicted for SGD, with or without momentum (heavy ball, Nesterov),
        dampening and weight decay, when the monitor records every step (see
        :mod:`~sage_conslaws.torch.optimizer`); not for Adam, other
        optimizers, or without the optimizer (:meth:`why_not_predicted`).

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> net = torch.nn.Linear(1, 1)
            >>> LawMonitor(net).expected() is None
            True
        """
        if not self.is_predicted():
            return None
        predicted = self._stack(self._predicted)
        return dict(zip(self.names(), np.abs(predicted - predicted[0]).max(axis=0).tolist()))

    def unexplained(self):
        r"""
        Return each law's largest change that the steps do not explain, `\max_k |h(\theta_k) - p_k|` (`p_k` predicted), by name; ``None`` when not predicted.

        Zero up to rounding when every gradient lies in `W(\theta)`.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> net = torch.nn.Linear(1, 1)
            >>> LawMonitor(net, torch.optim.SGD(net.parameters(), lr=0.1)).unexplained()
            {}
        """
        if not self.is_predicted():
            return None
        gap = np.abs(self._stack(self._values) - self._stack(self._predicted)).max(axis=0)
        return dict(zip(self.names(), gap.tolist()))

    def rounding(self):
        r"""
        Return each law's rounding allowance: :data:`~sage_conslaws.torch.monitor.ROUNDING` times the dtype's epsilon, the number of records and the largest size of its terms, by name.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> net = torch.nn.Sequential(torch.nn.Linear(1, 1, bias=False), torch.nn.ReLU(), torch.nn.Linear(1, 1, bias=False))
            >>> with torch.no_grad():
            ...     _ = net[0].weight.fill_(1.0); _ = net[2].weight.fill_(2.0)
            >>> allowance = LawMonitor(net.double()).rounding()["neuron 1.0"]
            >>> allowance == 10 * 2.0**-52 * 1 * 5
            True
        """
        eps = torch.finfo(self._values[0].dtype).eps
        size = self._stack(self._magnitudes).max(axis=0)
        return dict(zip(self.names(), (ROUNDING * eps * len(self._steps) * size).tolist()))

    def flagged(self):
        r"""
        Return the names of the laws whose change the steps do not explain, beyond rounding.

        A flagged law drifts far above the expected order: the gradients left
        `W(\theta)` (a term of the loss outside the network, a layer the model
        does not have, a modified gradient), or the run diverged (the law is no
        longer a number). When the change is not predicted, only the latter.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> LawMonitor(torch.nn.Linear(1, 1)).flagged()
            []
        """
        values = self._stack(self._values)
        diverged = [name for name, finite in zip(self.names(), np.isfinite(values).all(axis=0))
                    if not finite]
        gap = self.unexplained()
        if gap is None:   # a law that is no longer a number is far above any order
            return diverged
        allowance = self.rounding()
        return [name for name in self.names() if not gap[name] <= allowance[name]]

    def report(self):
        r"""
        Return a table of the laws: value at the start, drift, the change the steps explain, what they do not explain, flag.

        The header says what the optimizer does to the laws
        (:meth:`~sage_conslaws.torch.optimizer.OptimizerSettings.statement`)
        and whether they are all the laws, proven. With more than 20 laws,
        the 20 that drift most.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> net = torch.nn.Sequential(torch.nn.Linear(1, 1, bias=False), torch.nn.ReLU(), torch.nn.Linear(1, 1, bias=False))
            >>> print(LawMonitor(net, torch.optim.SGD(net.parameters(), lr=0.1)).report())
            1 law of ReLUNetwork([1, 1, 1]) with 2 parameters (certified: all the laws), 0 steps
            SGD: every law is conserved by gradient flow, ...
            law        | h(theta_0) | drift | explained by the steps | unexplained | flag
            -----------+------------+-------+------------------------+-------------+-----
            neuron 1.0 | ...        | 0     | 0                      | 0           |
        """
        drift, expected, gap = self.drift(), self.expected(), self.unexplained()
        flagged = set(self.flagged())
        start = dict(zip(self.names(), self._stack(self._values[:1])[0].tolist()))
        order = sorted(self.names(), key=lambda name: -drift[name])[:20]
        rows = [(name, f"{start[name]:.4g}", f"{drift[name]:.3g}",
                 "-" if expected is None else f"{expected[name]:.3g}",
                 "-" if gap is None else f"{gap[name]:.3g}",
                 "FAR ABOVE" if name in flagged else "") for name in order]
        header = ("law", "h(theta_0)", "drift", "explained by the steps", "unexplained", "flag")
        widths = [max(len(r[c]) for r in rows + [header]) for c in range(len(header))]
        line = lambda r: " | ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip()
        noun = "law" if len(self._laws) == 1 else "laws"
        status = "certified: all the laws" if self._laws.is_certified() else "not certified"
        lines = [f"{len(self._laws)} {noun} of {self._model} ({status}), "
                 f"{len(self._steps) - 1} steps"]
        if not self._laws.is_certified():
            lines.append(f"Not proven to be all the laws: {self._laws!r}")
        lines.append(self.settings().statement())
        if self._unpredicted is not None and self._optimizer is not None:
            lines.append(f"Not predicted: {self._unpredicted}.")
        lines += [line(header), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows]
        if len(self.names()) > len(order):
            lines.append(f"... and {len(self.names()) - len(order)} laws that drift less")
        if not np.isfinite(self._stack(self._values)).all():
            lines.append("The run diverged: some laws are no longer numbers.")
        elif flagged:
            lines.append(f"{len(flagged)} {'law changes' if len(flagged) == 1 else 'laws change'} "
                         "more than the steps explain: the gradients leave W(theta) (a term of "
                         "the loss outside the network, a layer the model does not have, or a "
                         "modified gradient)")
        return "\n".join(lines)

    def plot(self, path, title=None):
        r"""
        Write the figure of the laws to ``path`` (PNG): `h(\theta_k) - h(\theta_0)` per law against the steps, the worst law thick and black, and the largest drift on a log scale with the change the steps explain.

        With the losses given to :meth:`step`, a first panel shows them.

        EXAMPLES::

            >>> import os, tempfile, torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> monitor = LawMonitor(torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1)))
            >>> monitor.step(1.0)
            >>> path = os.path.join(tempfile.mkdtemp(), "laws.png")
            >>> monitor.plot(path); os.path.getsize(path) > 1000
            True

        TESTS::

            >>> LawMonitor(torch.nn.Linear(2, 1)).plot(path)
            Traceback (most recent call last):
            ...
            ValueError: LinearNetwork([2, 1]) with 2 parameters has no conservation law: there is nothing to plot
        """
        from sage_conslaws.training.plots import (_pyplot, _save, check_figure_path,
                                                  draw_law_changes, group_law_curves, place_legend)
        check_figure_path(path)
        if not len(self._laws):
            raise ValueError(f"{self._model} has no conservation law: there is nothing to plot")
        h = self.history()
        changes = self.changes()
        if not np.isfinite(changes).all():
            raise ValueError("the training diverged: there is nothing meaningful to plot")
        plt = _pyplot()
        panels = 3 if h["loss"] else 2
        fig, axes = plt.subplots(1, panels, figsize=(4.4 * panels, 4.2), layout="constrained")
        k = np.array(h["step"])
        if h["loss"]:
            steps, losses = zip(*h["loss"])
            axes[0].plot(steps, losses, color="black")
            axes[0].set(title="loss", xlabel="step k", yscale="log")
        ax_laws, ax_drift = axes[-2], axes[-1]
        handles = draw_law_changes(ax_laws, k, group_law_curves(h["names"], changes))
        ax_laws.set(title=r"$h(\theta_k) - h(\theta_0)$", xlabel="step k")
        if handles:
            place_legend(ax_laws, outside="below", handles=handles, fontsize=7,
                         ncol=min(len(handles), 4))
        worst = np.abs(changes).max(axis=1)
        ax_drift.plot(k[1:], np.maximum(worst[1:], 1e-300), color="tab:red", label="measured")
        if h["predicted"] is not None:
            share = np.abs(h["predicted"] - h["predicted"][0]).max(axis=1)
            ax_drift.plot(k[1:], np.maximum(share[1:], 1e-300), "--", color="tab:blue",
                          label="explained by the steps")
            place_legend(ax_drift, fontsize=7)
        ax_drift.set(title=r"$\max_h |h(\theta_k) - h(\theta_0)|$", xlabel="step k",
                     yscale="log")
        fig.suptitle(title or f"{self.settings()!r} on {self._model}", fontsize=9)
        _save(plt, fig, path)

    def remove(self):
        r"""
        Remove the monitor's hooks from the optimizer.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> net = torch.nn.Linear(1, 1); opt = torch.optim.SGD(net.parameters(), lr=0.1)
            >>> monitor = LawMonitor(net, opt, hook=True); monitor.remove()
            >>> opt.zero_grad(); net(torch.ones(1)).sum().backward(); opt.step()
            >>> monitor.history()["step"]
            [0]
        """
        for handle in self._handles:
            handle.remove()
        self._handles = []

    def __repr__(self):
        status = "certified: all the laws" if self._laws.is_certified() else "not certified"
        noun = "law" if len(self._laws) == 1 else "laws"
        return (f"monitor of {len(self._laws)} {noun} of {self._model} ({status}) under "
                f"{self.settings()!r}, {len(self._steps) - 1} steps")


def _number(loss):
    return float(loss.detach() if torch.is_tensor(loss) else loss)


def _closure(args, kwargs):
    return kwargs.get("closure") if kwargs else (args[1] if len(args) > 1 else None)
