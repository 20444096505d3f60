r"""
Watch the proven laws of a PyTorch model in its own training loop

:class:`LawMonitor` reads the module (:func:`~sage_conslaws.torch.architecture.architecture_of`),
asks the engine for every law of its gradient flow (the count, proven, and
the laws as polynomials: :func:`~sage_conslaws.training.laws.tracked_laws`),
and evaluates them in torch on the module's live parameters, on its device
and in its dtype, at every ``monitor.step()``: one gather, one product and
one scatter-add for all the laws. It knows what the optimizer does to them
(:mod:`~sage_conslaws.torch.optimizer`): for SGD, with or without momentum
and weight decay, it predicts step by step the drift that the discrete steps
explain, and flags a law whose drift is far above it.

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
from sage_conslaws.torch.optimizer import DriftPrediction, optimizer_settings

#: A law is flagged when its drift exceeds this many times the drift its steps explain.
FLAG_FACTOR = 10

#: Rounding allowance per step, in units of the dtype's machine epsilon times the size of the terms.
ROUNDING = 100


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
        self._model, self._map = architecture_of(module, input_size)
        self._laws = tracked_laws(self._model, "euclidean", proof_seconds)
        self._optimizer = optimizer
        self._tensors = list(self._map.tensors().values())
        theta = self._map.vector()
        variables, coefficients, laws = self._laws.terms()
        if len(variables) and (variables.shape[1] != 2
                               or (variables == self._model.dimension()).any()):
            raise ValueError(f"the laws of {self._model} are not quadratic forms: the monitor "
                             "evaluates quadratic forms only")
        self._variables = torch.as_tensor(variables, device=theta.device)
        self._coefficients = torch.as_tensor(coefficients, dtype=theta.dtype, device=theta.device)
        self._law_of_term = torch.as_tensor(laws, device=theta.device)
        self._theta = theta
        self._values = [self.values(theta)]
        self._magnitudes = [self._terms(theta).abs().sum()]
        self._steps, self._times, self._losses = [0], [0.0], []
        self._settings = []
        self._prediction = DriftPrediction(self._values[0])
        self._predicted, self._decays = [self._values[0]], [1.0]
        if hook and optimizer is None:
            raise ValueError("a hook needs the optimizer: pass it to the monitor")
        self._handle = optimizer.register_step_post_hook(lambda *_: self.step()) if hook else None

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

    def _terms(self, theta):
        return self._coefficients * theta[self._variables].prod(dim=1)

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
        theta = self._map.vector() if theta is None else theta
        return self._sum(self._terms(theta))

    def _sum(self, terms):
        out = torch.zeros(len(self._laws), dtype=terms.dtype, device=terms.device)
        return out.index_add_(0, self._law_of_term, terms)

    def step(self, loss=None):
        r"""
        Record the laws now: call it after each ``optimizer.step()`` (or build the monitor with ``hook=True``).

        INPUT:

        - ``loss`` -- (default: ``None``) the loss of the step, to plot it

        The drift that the steps explain is predicted only when the monitor
        sees every step: call it after each one.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> monitor = LawMonitor(torch.nn.Linear(2, 1))
            >>> monitor.step(0.5); monitor.history()["step"]
            [0, 1]
        """
        theta = self._map.vector()
        step = theta - self._theta
        settings = optimizer_settings(self._optimizer, self._tensors)
        self._settings.append(settings)
        terms = self._terms(theta)
        self._values.append(self._sum(terms))
        self._magnitudes.append(terms.abs().sum())
        self._steps.append(self._steps[-1] + 1)
        lr = settings.lr()
        self._times.append(self._times[-1] + (1.0 if lr is None else lr))
        if loss is not None:
            self._losses.append(float(loss.detach() if torch.is_tensor(loss) else loss))
        if self._prediction is not None and settings.is_predicted():
            self._predicted.append(self._prediction.advance(settings, self.values(step)))
            self._decays.append(self._prediction.decay())
        else:
            self._prediction = None
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
        return optimizer_settings(self._optimizer, self._tensors)

    def history(self):
        r"""
        Return the series: ``step``, ``time`` (the sum of the step sizes), ``loss`` and the ``values`` of the laws.

        OUTPUT: a dictionary; ``values`` is a NumPy array with one row per
        record and one column per law, ``predicted`` the values that the
        steps explain (``None`` when not predicted), ``decay`` the factor of
        weight decay per record

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> h = LawMonitor(torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))).history()
            >>> sorted(h), h["values"].shape
            (['decay', 'loss', 'names', 'predicted', 'step', 'time', 'values'], (1, 2))
        """
        predicted = (self._stack(self._predicted) if self._prediction is not None else None)
        decay = (np.array(self._decays) if self._prediction is not None
                 else np.ones(len(self._steps)))
        return {"step": list(self._steps), "time": list(self._times), "loss": list(self._losses),
                "names": self.names(), "values": self._stack(self._values),
                "predicted": predicted, "decay": decay}

    @staticmethod
    def _stack(tensors):
        return torch.stack(tensors).detach().to("cpu", torch.float64).numpy()

    def changes(self):
        r"""
        Return `h(\theta_k) - c_k h(\theta_0)` per record and law (`c_k` the decay of weight decay, 1 without).

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> LawMonitor(torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))).changes().tolist()
            [[0.0, 0.0]]
        """
        h = self.history()
        return h["values"] - h["decay"][:, None] * h["values"][0]

    def drift(self):
        r"""
        Return each law's largest change `\max_k |h(\theta_k) - c_k h(\theta_0)|`, by name.

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

        Predicted for SGD with or without momentum (heavy ball) and weight
        decay, when the monitor saw every step (see
        :mod:`~sage_conslaws.torch.optimizer`); not for Adam, Nesterov,
        other optimizers or without the optimizer.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> net = torch.nn.Linear(1, 1)
            >>> LawMonitor(net).expected() is None
            True
        """
        h = self.history()
        if h["predicted"] is None or self._optimizer is None:
            return None
        share = np.abs(h["predicted"] - h["decay"][:, None] * h["values"][0]).max(axis=0)
        return dict(zip(self.names(), share.tolist()))

    def rounding(self):
        r"""
        Return the rounding allowance: :data:`~sage_conslaws.torch.monitor.ROUNDING` times the dtype's epsilon, the number of steps and the largest size of the terms.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> LawMonitor(torch.nn.Linear(1, 1).double()).rounding() >= 0
            True
        """
        eps = torch.finfo(self._values[0].dtype).eps
        size = float(torch.stack(self._magnitudes).max())
        return ROUNDING * eps * len(self._steps) * size

    def flagged(self):
        r"""
        Return the names of the laws whose drift exceeds :data:`~sage_conslaws.torch.monitor.FLAG_FACTOR` times the drift the steps explain (and the rounding).

        Empty when the drift is not predicted.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> LawMonitor(torch.nn.Linear(1, 1)).flagged()
            []
        """
        expected = self.expected()
        if expected is None:
            return []
        allowance = self.rounding()
        return [name for name, drift in self.drift().items()
                if drift > FLAG_FACTOR * expected[name] + allowance]

    def report(self):
        r"""
        Return a table of the laws: value at the start, drift, the drift the steps explain, flag.

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
            law        | h(theta_0) | drift | explained by the steps | flag
            -----------+------------+-------+------------------------+-----
            neuron 1.0 | ...        | 0     | 0                      |
        """
        drift, expected = self.drift(), self.expected()
        flagged = set(self.flagged())
        start = dict(zip(self.names(), self.history()["values"][0].tolist()))
        order = sorted(self.names(), key=lambda name: -drift[name])[:20]
        rows = [(name, f"{start[name]:.4g}", f"{drift[name]:.3g}",
                 "-" if expected is None else f"{expected[name]:.3g}",
                 "FAR ABOVE" if name in flagged else "") for name in order]
        header = ("law", "h(theta_0)", "drift", "explained by the steps", "flag")
        widths = [max(len(r[c]) for r in rows + [header]) for c in range(5)]
        line = lambda r: " | ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip()
        noun = "law" if len(self._laws) == 1 else "laws"
        status = "certified: all the laws" if self._laws.is_certified() else "not certified"
        lines = [f"{len(self._laws)} {noun} of {self._model} ({status}), "
                 f"{len(self._steps) - 1} steps"]
        if not self._laws.is_certified():
            lines.append(f"Not proven to be all the laws: {self._laws!r}")
        lines += [self.settings().statement(), line(header),
                  "-+-".join("-" * w for w in widths)] + [line(r) for r in rows]
        if len(self.names()) > len(order):
            lines.append(f"... and {len(self.names()) - len(order)} laws that drift less")
        if flagged:
            lines.append(f"{len(flagged)} laws drift more than {FLAG_FACTOR} times what the steps "
                         "explain: the gradients leave W(theta) (a term of the loss outside the "
                         "network, a layer the model does not have, or a modified gradient)")
        return "\n".join(lines)

    def plot(self, path, title=None):
        r"""
        Write the figure of the laws to ``path`` (PNG): `h(\theta_k) - c_k h(\theta_0)` per law against the steps, the worst law thick and black, and the largest drift on a log scale with the drift the steps explain.

        With the losses given to :meth:`step`, a first panel shows them.

        EXAMPLES::

            >>> import os, tempfile, torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> monitor = LawMonitor(torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1)))
            >>> monitor.step(1.0)
            >>> path = os.path.join(tempfile.mkdtemp(), "laws.png")
            >>> monitor.plot(path); os.path.getsize(path) > 1000
            True
        """
        from sage_conslaws.training.plots import (_pyplot, _save, check_figure_path,
                                                  draw_law_changes, group_law_curves, place_legend)
        check_figure_path(path)
        h = self.history()
        changes = self.changes()
        if not np.isfinite(changes).all():
            raise ValueError("the training diverged: there is nothing meaningful to plot")
        plt = _pyplot()
        panels = 3 if h["loss"] else 2
        fig, axes = plt.subplots(1, panels, figsize=(4.4 * panels, 4.2), layout="constrained")
        k = np.array(h["step"])
        if h["loss"]:
            axes[0].plot(k[1:len(h["loss"]) + 1], h["loss"], color="black")
            axes[0].set(title="loss", xlabel="step k", yscale="log")
        ax_laws, ax_drift = axes[-2], axes[-1]
        handles = draw_law_changes(ax_laws, k, group_law_curves(h["names"], changes))
        ax_laws.set(title=r"$h(\theta_k) - c_k\, h(\theta_0)$", xlabel="step k")
        if handles:
            place_legend(ax_laws, outside="below", handles=handles, fontsize=7,
                         ncol=min(len(handles), 4))
        worst = np.abs(changes).max(axis=1)
        ax_drift.plot(k[1:], np.maximum(worst[1:], 1e-300), color="tab:red", label="measured")
        if h["predicted"] is not None and self._optimizer is not None:
            share = np.abs(h["predicted"] - h["decay"][:, None] * h["values"][0]).max(axis=1)
            ax_drift.plot(k[1:], np.maximum(share[1:], 1e-300), "--", color="tab:blue",
                          label="explained by the steps")
            place_legend(ax_drift, fontsize=7)
        ax_drift.set(title=r"$\max_h |h(\theta_k) - c_k\, h(\theta_0)|$", xlabel="step k",
                     yscale="log")
        fig.suptitle(title or f"{self.settings()!r} on {self._model}", fontsize=9)
        _save(plt, fig, path)

    def remove(self):
        r"""
        Remove the hook from the optimizer, if there is one.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import LawMonitor
            >>> net = torch.nn.Linear(1, 1); opt = torch.optim.SGD(net.parameters(), lr=0.1)
            >>> monitor = LawMonitor(net, opt, hook=True); monitor.remove()
            >>> opt.zero_grad(); net(torch.ones(1)).sum().backward(); opt.step()
            >>> monitor.history()["step"]
            [0]
        """
        if self._handle is not None:
            self._handle.remove()
            self._handle = None

    def __repr__(self):
        status = "certified: all the laws" if self._laws.is_certified() else "not certified"
        noun = "law" if len(self._laws) == 1 else "laws"
        return (f"monitor of {len(self._laws)} {noun} of {self._model} ({status}) under "
                f"{self.settings()!r}, {len(self._steps) - 1} steps")
