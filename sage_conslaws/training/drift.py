r"""
Drift studies: how the laws of a flow drift along its discrete methods

:func:`drift_versus_step_size` runs one optimizer for several step sizes at
a fixed time `T` (the number of steps is `T` divided by the time step) and
fits the order of the drift in the step size: 1 for gradient descent, heavy
ball and Nesterov (their limits are gradient flows, [KS2021]_), 0 for the
second-order methods ``nd`` and ``nag-gu``. :func:`drift_versus_momentum`
fixes the step and varies the momentum. Both return a :class:`DriftTable`.

EXAMPLES::

    sage: from sage_conslaws import ReLUNetwork
    sage: from sage_conslaws.training import drift_versus_step_size
    sage: t = drift_versus_step_size(ReLUNetwork([4, 3, 3]), "gd", [0.1, 0.05, 0.025], time=1)
    sage: round(t.slope(), 1)
    1.0
"""
import math

import numpy as np

from sage_conslaws.dynamics.ode import METHODS
from sage_conslaws.training.network import float_model
# the module, not its function optimizer(): the parameters of that name shadow it
from sage_conslaws.training import optimizers
from sage_conslaws.training.optimizers import real_number
from sage_conslaws.training.simulate import data_name, simulate


class DriftTable:
    r"""
    A table of drifts of the laws for several values of one parameter (step size or momentum).

    Build it with :func:`drift_versus_step_size` or :func:`drift_versus_momentum`.

    EXAMPLES::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.training import drift_versus_momentum
        sage: t = drift_versus_momentum(ReLUNetwork([4, 3, 3]), [0.0, 0.5], lr=0.05, steps=20)
        sage: t.column("momentum"), len(t.rows())
        ([0.0, 0.5], 2)
    """

    def __init__(self, parameter, rows, description):
        self._parameter = parameter
        self._rows = rows
        self._description = description

    def parameter(self):
        r"""
        Return the name of the parameter varied: ``"lr"`` or ``"momentum"``.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import drift_versus_step_size
            sage: drift_versus_step_size(ReLUNetwork([4, 3, 3]), "gd", [0.1, 0.05], time=1).parameter()
            'lr'
        """
        return self._parameter

    def rows(self):
        r"""
        Return the rows, as dictionaries (``lr``, ``momentum``, ``steps``, ``drift``, ``loss_final``, ``identity_residual``).

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import drift_versus_step_size
            sage: [r["steps"] for r in drift_versus_step_size(ReLUNetwork([4, 3, 3]), "gd", [0.1, 0.05], time=1).rows()]
            [10, 20]
        """
        return [dict(row) for row in self._rows]

    def column(self, key):
        r"""
        Return one column of the table.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import drift_versus_step_size
            sage: drift_versus_step_size(ReLUNetwork([4, 3, 3]), "gd", [0.1, 0.05], time=1).column("lr")
            [0.1, 0.05]
        """
        return [row[key] for row in self._rows]

    def description(self):
        r"""
        Return what was run, in words.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import drift_versus_step_size
            sage: drift_versus_step_size(ReLUNetwork([4, 3, 3]), "gd", [0.1], time=1).description()
            'gd on ReLUNetwork([4, 3, 3]) with 21 parameters, iris, seed 0, fixed time T = lr * steps = 1'
            sage: drift_versus_step_size(ReLUNetwork([4, 3, 3]), "nd", [0.01], time=1).rows()[0]["steps"]
            10
        """
        return self._description

    def slope(self):
        r"""
        Return the least-squares slope of `\log(\text{drift})` against `\log(\text{lr})`, or ``None``.

        The drift of gradient descent over a fixed time is `O(h)`: slope 1.
        ``None`` for a table against the momentum, or with fewer than two
        positive drifts.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import drift_versus_step_size
            sage: t = drift_versus_step_size(ReLUNetwork([4, 3, 3]), "gd", [0.04, 0.02, 0.01], time=2)
            sage: round(t.slope(), 1)
            1.0
        """
        if self._parameter != "lr":
            return None
        points = [(math.log(r["lr"]), math.log(r["drift"])) for r in self._rows if r["drift"] > 0]
        if len(points) < 2:
            return None
        x, y = np.array(points).T
        return float(np.polyfit(x, y, 1)[0])

    def table(self):
        r"""
        Return the table as text.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import drift_versus_momentum
            sage: print(drift_versus_momentum(ReLUNetwork([4, 3, 3]), [0.0, 0.9], lr=0.05, steps=20).table())
            hb on ReLUNetwork([4, 3, 3]) with 21 parameters, iris, seed 0, lr 0.05, 20 steps
              momentum    steps   largest drift   final loss   identity residual
                     0       20        1.66e-03       0.8161             ...
                   0.9       20        3.26e-01       0.5318             ...
        """
        key = self._parameter
        lines = [self._description,
                 f"  {key:>8}  {'steps':>7}   largest drift   final loss   identity residual"]
        for r in self._rows:
            residual = "-" if r["identity_residual"] is None else f"{r['identity_residual']:.1e}"
            lines.append(f"  {r[key]:>8g}  {r['steps']:>7}  {r['drift']:>14.2e}  "
                         f"{r['loss_final']:>11.4f}  {residual:>18}")
        slope = self.slope()
        if slope is not None:
            lines.append(f"  log-log slope of the drift against lr: {slope:.3f}")
        return "\n".join(lines)

    def as_dict(self):
        r"""
        Return the table as plain Python values (for JSON).

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training import drift_versus_step_size
            sage: sorted(drift_versus_step_size(ReLUNetwork([4, 3, 3]), "gd", [0.1], time=1).as_dict())
            ['description', 'parameter', 'rows', 'slope']
        """
        return {"parameter": self._parameter, "description": self._description,
                "rows": self.rows(), "slope": self.slope()}

    def __repr__(self):
        return self.table()


def _row(run):
    o = run.optimizer()
    return {"lr": o.lr, "momentum": o.momentum, "steps": run.steps(), "drift": run.max_drift(),
            "loss_final": float(run.losses()[-1]), "identity_residual": run.identity_residual()}


def drift_versus_step_size(model, optimizer, lrs, time, momentum=None, seed=0, data=None,
                           laws=None, progress=False):
    r"""
    Return the :class:`DriftTable` of the largest drift of the laws for each step size, at fixed time.

    Each run has ``round(time / dt)`` steps, with ``dt`` the time of a step
    in the continuous limit of the optimizer
    (:meth:`~sage_conslaws.training.optimizers.Optimizer.time_step`: `h`,
    or `\sqrt{\eta}` for ``nd`` and ``nag-gu``), so that all runs cover the
    same time `T` of the limit flow. The drift of GD is then `O(h)` (slope 1
    in :meth:`DriftTable.slope`), and so is that of ``hb`` and ``nag`` with a
    fixed momentum (their limit is a rescaled gradient flow), with a constant
    about `(1 + \lambda)/(1 - \lambda)^2` times larger; the Newtonian and
    Nesterov flows of ``nd`` and ``nag-gu`` do not keep the laws at all, and
    their drift does not vanish with the step size (slope about 0).

    INPUT:

    - ``model``, ``optimizer``, ``momentum``, ``seed``, ``data``, ``laws`` --
      as in :func:`~sage_conslaws.training.simulate.simulate`
    - ``lrs`` -- the step sizes
    - ``time`` -- the continuous time `T > 0`
    - ``progress`` -- (default: ``False``) whether to show progress on standard error

    EXAMPLES::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.training import drift_versus_step_size
        sage: t = drift_versus_step_size(ReLUNetwork([4, 3, 3]), "gd", [0.1, 0.05], time=1)
        sage: t.column("steps"), [round(d, 6) for d in t.column("drift")]
        ([10, 20], [0.003395, 0.001664])

    TESTS::

        sage: drift_versus_step_size(ReLUNetwork([4, 3, 3]), "gd", [0.1], time=0)
        Traceback (most recent call last):
        ...
        ValueError: the time T must be a finite number > 0, got 0
        sage: drift_versus_step_size(ReLUNetwork([4, 3, 3]), "gd", [], time=1)
        Traceback (most recent call last):
        ...
        ValueError: give at least one step size
        sage: drift_versus_step_size(ReLUNetwork([4, 3, 3]), "gd", [-1], time=1)
        Traceback (most recent call last):
        ...
        ValueError: the learning rate must be a finite number > 0, got -1
    """
    T = real_number(time, "the time T must be a finite number > 0")
    if not T > 0:
        raise ValueError(f"the time T must be a finite number > 0, got {time!r}")
    lrs = list(lrs)
    if not lrs:
        raise ValueError("give at least one step size")
    rows = []
    f = float_model(model, data)
    for lr in lrs:
        method = optimizers.optimizer(optimizer, lr, momentum, nonnegative=f.is_nonnegative())
        steps = max(int(round(T / method.time_step())), 1)
        rows.append(_row(simulate(model, method, steps=steps, seed=seed, data=data, laws=laws,
                                  progress=progress)))
    clock = "sqrt(lr)" if method.time_step() != method.lr else "lr"
    return DriftTable("lr", rows, f"{method.name} on {model}, {data_name(f)}, seed {seed}, "
                      f"fixed time T = {clock} * steps = {T:g}")


def drift_versus_momentum(model, momenta, lr, steps, optimizer="hb", seed=0, data=None,
                          laws=None, progress=False):
    r"""
    Return the :class:`DriftTable` of the largest drift of the laws for each momentum.

    INPUT:

    - ``model``, ``lr``, ``steps``, ``seed``, ``data``, ``laws`` -- as in :func:`~sage_conslaws.training.simulate.simulate`
    - ``momenta`` -- the momenta `\lambda \in [0, 1)`
    - ``optimizer`` -- (default: ``"hb"``) ``"hb"`` or ``"nag"``
    - ``progress`` -- (default: ``False``) whether to show progress on standard error

    EXAMPLES::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.training import drift_versus_momentum
        sage: t = drift_versus_momentum(ReLUNetwork([4, 3, 3]), [0.0, 0.5, 0.9], lr=0.05, steps=100)
        sage: [round(d, 4) for d in t.column("drift")]
        [0.0033, 0.0197, 0.6754]

    TESTS::

        sage: drift_versus_momentum(ReLUNetwork([4, 3, 3]), [0.5], lr=0.05, steps=10, optimizer="gd")
        Traceback (most recent call last):
        ...
        ValueError: a drift against the momentum needs optimizer hb or nag, got 'gd'
    """
    if optimizer not in METHODS:
        raise ValueError(f"a drift against the momentum needs optimizer {' or '.join(METHODS)}, "
                         f"got {optimizer!r}")
    lr = real_number(lr, "the learning rate must be a finite number > 0")
    rows = [_row(simulate(model, optimizer, lr=lr, momentum=m, steps=steps, seed=seed,
                          data=data, laws=laws, progress=progress)) for m in momenta]
    name = data_name(float_model(model, data))
    return DriftTable("momentum", rows,
                      f"{optimizer} on {model}, {name}, seed {seed}, lr {lr:g}, {steps} steps")
