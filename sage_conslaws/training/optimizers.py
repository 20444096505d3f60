r"""
Discrete optimizers of training runs

With `g(\theta)` the gradient of the loss, `\Delta_k = x_k - x_{k-1}` and
`x_{-1} = x_0` (the runs start at rest):

- ``gd``, gradient descent: `x_{k+1} = x_k - h\, g(x_k)`;
- ``hb``, heavy ball (Polyak; the form of Kovachki and Stuart, [KS2021]_):
  `x_{k+1} = x_k + \lambda \Delta_k - h\, g(x_k)`;
- ``nag``, Nesterov in the same form: the gradient at the look-ahead point
  `y_k = x_k + \lambda \Delta_k`, `x_{k+1} = y_k - h\, g(y_k)`;
- ``nag-gu``, Nesterov as in [GU2021]_ (eq. 20), with the schedule
  `\lambda_k = (k-1)/(k+2)`: `y_0 = w_0`, `w_k = y_{k-1} - \eta\, g(y_{k-1})`,
  `y_k = w_k + \lambda_k (w_k - w_{k-1})`;
- ``nd``, the discretized Newtonian dynamics of [GU2021]_ (eq. 21):
  `w_{k+2} = 2 w_{k+1} - w_k - \eta\, g(w_{k+1})` (heavy ball with `\lambda = 1`);
- ``md``, mirror descent for the entropy (multiplicative updates),
  `\theta_{k+1} = \theta_k \odot \exp(-h\, g(\theta_k))`, the discretization of
  the entropic mirror flow `\dot\theta = -\mathrm{diag}(\theta) g(\theta)`;
  only for non-negative models (NMF).

``hb`` and ``nag`` take a momentum `\lambda \in [0, 1)`, by default
:data:`DEFAULT_MOMENTUM` (0.9, the usual choice and the value of the
experiments of [KS2021]_); the other optimizers take none.

The optimizers, their momenta, look-aheads and the dynamics each
discretizes are in the registry :data:`~sage_conslaws.dynamics.ode.OPTIMIZERS`;
their steps are those of :mod:`~sage_conslaws.dynamics.steps`, which the
momentum methods of :mod:`~sage_conslaws.dynamics.continuous_limits.limits` take too.

EXAMPLES::

    sage: import numpy as np
    sage: from sage_conslaws.training.optimizers import optimizer
    sage: opt = optimizer("hb", lr=0.1); opt
    hb (lr 0.1, momentum 0.9)
    sage: x0 = np.array([1.0]); x1 = opt.step(x0, x0, 0, np.array([2.0]))
    sage: x1, opt.step(x1, x0, 1, np.array([2.0]))
    (array([0.8]), array([0.42]))

REFERENCES: [KS2021]_ (see the references of the documentation).
"""
import math
from numbers import Integral

from sage_conslaws.dynamics.ode import OPTIMIZERS
from sage_conslaws.dynamics.steps import gradient_point, mirror_step, momentum_update

#: The momentum of ``hb`` and ``nag`` when none is given.
DEFAULT_MOMENTUM = 0.9


class Optimizer:
    r"""
    A discrete optimizer: where it takes the gradient, and its update.

    Build it with :func:`optimizer`, which checks the input.

    INPUT:

    - ``name`` -- one of :data:`~sage_conslaws.dynamics.ode.OPTIMIZERS`
    - ``lr`` -- the step size `h > 0`
    - ``momentum`` -- `\lambda` for ``hb`` and ``nag``, else ``None``

    EXAMPLES::

        sage: from sage_conslaws.training.optimizers import optimizer
        sage: [optimizer("nag-gu", 0.1).momentum_at(k) for k in range(1, 5)]
        [0.0, 0.25, 0.4, 0.5]
    """

    def __init__(self, name, lr, momentum):
        self.name = name
        self.lr = lr
        self.momentum = momentum
        self._method = OPTIMIZERS[name]

    def entry(self):
        r"""
        Return the entry of the registry :data:`~sage_conslaws.dynamics.ode.DYNAMICS` of the dynamics this optimizer discretizes.

        EXAMPLES::

            sage: from sage_conslaws.training.optimizers import optimizer
            sage: optimizer("md", 0.1).entry()
            mirror: entropic mirror flow, theta' = -diag(theta)*grad L(theta)
            sage: optimizer("nag-gu", 0.1).entry().name
            'nesterov'
        """
        return self._method.entry()

    def momentum_at(self, k):
        r"""
        Return the coefficient `\lambda_k` of `\Delta_k = x_k - x_{k-1}` in the update from `x_k`.

        EXAMPLES::

            sage: from sage_conslaws.training.optimizers import optimizer
            sage: optimizer("nd", 0.1).momentum_at(5), optimizer("gd", 0.1).momentum_at(5)
            (1.0, 0.0)
        """
        return self._method.momentum_at(k, self.momentum)

    def time_step(self):
        r"""
        Return the time of the continuous limit that one step covers.

        `h` for ``gd``, ``md`` and, with a fixed momentum, ``hb`` and ``nag``
        (they follow a rescaled gradient flow, [KS2021]_); `\sqrt{\eta}` for
        ``nd`` and ``nag-gu``, whose limits are the second-order Newtonian and
        Nesterov flows (`t \approx k \sqrt{\eta}`, [GU2021]_).

        EXAMPLES::

            sage: from sage_conslaws.training.optimizers import optimizer
            sage: optimizer("hb", 0.01).time_step(), optimizer("nd", 0.01).time_step()
            (0.01, 0.1)
        """
        return math.sqrt(self.lr) if self._method.time_step == "sqrt(h)" else self.lr

    def is_lookahead(self):
        r"""
        Return whether the gradient is taken at the look-ahead point `x_k + \lambda_k \Delta_k` (Nesterov).

        EXAMPLES::

            sage: from sage_conslaws.training.optimizers import optimizer
            sage: optimizer("nag", 0.1).is_lookahead(), optimizer("hb", 0.1).is_lookahead()
            (True, False)
        """
        return self._method.look_ahead != "0"

    def gradient_point(self, x, x_previous, k):
        r"""
        Return the point where the step from `x_k` = ``x`` takes the gradient.

        INPUT:

        - ``x``, ``x_previous`` -- `x_k` and `x_{k-1}`
        - ``k`` -- the index of ``x``

        EXAMPLES::

            sage: import numpy as np
            sage: from sage_conslaws.training.optimizers import optimizer
            sage: optimizer("nag", 0.1, 0.5).gradient_point(np.array([2.0]), np.array([1.0]), 1)
            array([2.5])
        """
        return gradient_point(x, x_previous, self._method.look_ahead_at(k, self.momentum))

    def step(self, x, x_previous, k, gradient):
        r"""
        Return `x_{k+1}` from `x_k` = ``x``, `x_{k-1}` and the gradient at :meth:`~sage_conslaws.dynamics.steps.gradient_point`.

        EXAMPLES::

            sage: import numpy as np
            sage: from sage_conslaws.training.optimizers import optimizer
            sage: optimizer("md", 0.5).step(np.array([2.0]), np.array([2.0]), 0, np.array([np.log(4.0)]))
            array([1.])
        """
        if self._method.update == "mirror":
            return mirror_step(x, gradient, self.lr)
        return momentum_update(x, x_previous, gradient, self.lr, self.momentum_at(k))

    def __repr__(self):
        momentum = "" if self.momentum is None else f", momentum {self.momentum:g}"
        return f"{self.name} (lr {self.lr:g}{momentum})"


def optimizer(name, lr, momentum=None, nonnegative=None):
    r"""
    Return the optimizer ``name`` after checking its step size and momentum.

    INPUT:

    - ``name`` -- one of :data:`~sage_conslaws.dynamics.ode.OPTIMIZERS`
    - ``lr`` -- the step size, a finite real number `> 0` (or a string such as ``"0.05"``)
    - ``momentum`` -- (default: ``None``; :data:`DEFAULT_MOMENTUM` for ``hb``
      and ``nag``) `\lambda \in [0, 1)`, for ``hb`` and ``nag`` only
    - ``nonnegative`` -- (default: ``None``, not checked) whether the model
      trained is non-negative; ``md`` needs one that is

    EXAMPLES::

        sage: from sage_conslaws.training.optimizers import optimizer
        sage: optimizer("nag", "0.01", momentum=0.5)
        nag (lr 0.01, momentum 0.5)

    TESTS::

        sage: optimizer("adam", 0.1)
        Traceback (most recent call last):
        ...
        ValueError: unknown optimizer 'adam'; known: gd, hb, nag, nag-gu, nd, md
        sage: optimizer("gd", 0)
        Traceback (most recent call last):
        ...
        ValueError: the learning rate must be a finite number > 0, got 0
        sage: optimizer("gd", float("nan"))
        Traceback (most recent call last):
        ...
        ValueError: the learning rate must be a finite number > 0, got nan
        sage: optimizer("gd", "fast")
        Traceback (most recent call last):
        ...
        ValueError: the learning rate must be a finite number > 0, got 'fast'
        sage: optimizer("hb", 0.1, momentum=1)
        Traceback (most recent call last):
        ...
        ValueError: the momentum must be a number in [0, 1), got 1
        sage: optimizer("gd", 0.1, momentum=0.9)
        Traceback (most recent call last):
        ...
        ValueError: a momentum applies to hb and nag only, not to gd (nag-gu has its own schedule (k-1)/(k+2), nd has momentum 1)
        sage: optimizer("md", 0.1, nonnegative=False)
        Traceback (most recent call last):
        ...
        ValueError: md (multiplicative updates) keeps parameters positive: it applies to non-negative models (NMF) only
    """
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; known: {', '.join(OPTIMIZERS)}")
    lr = real_number(lr, "the learning rate must be a finite number > 0")
    if not lr > 0:
        raise ValueError(f"the learning rate must be a finite number > 0, got {lr:g}")
    if OPTIMIZERS[name].takes_momentum():
        momentum = DEFAULT_MOMENTUM if momentum is None else real_number(
            momentum, "the momentum must be a number in [0, 1)")
        if not 0 <= momentum < 1:
            raise ValueError(f"the momentum must be a number in [0, 1), got {momentum:g}")
    elif momentum is not None:
        raise ValueError(f"a momentum applies to hb and nag only, not to {name} (nag-gu has its "
                         "own schedule (k-1)/(k+2), nd has momentum 1)")
    if name == "md" and nonnegative is False:
        raise ValueError("md (multiplicative updates) keeps parameters positive: it applies to "
                         "non-negative models (NMF) only")
    return Optimizer(name, lr, momentum)


def check_steps(steps):
    r"""
    Return ``steps`` as an integer, or raise an error unless it is a positive integer.

    EXAMPLES::

        sage: from sage_conslaws.training.optimizers import check_steps
        sage: check_steps(10)
        10

    TESTS::

        sage: check_steps(0)
        Traceback (most recent call last):
        ...
        ValueError: the number of steps must be a positive integer, got 0
        sage: check_steps(float(2.5))
        Traceback (most recent call last):
        ...
        ValueError: the number of steps must be a positive integer, got 2.5
    """
    if isinstance(steps, bool) or not isinstance(steps, Integral) or steps <= 0:
        raise ValueError(f"the number of steps must be a positive integer, got {steps!r}")
    return int(steps)


def real_number(value, message):
    r"""
    Return ``value`` as a finite float, or raise ``ValueError(message)`` naming it.

    TESTS::

        sage: from sage_conslaws.training.optimizers import real_number
        sage: real_number(True, "need a number")
        Traceback (most recent call last):
        ...
        ValueError: need a number, got True
    """
    try:
        if isinstance(value, bool):
            raise TypeError
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{message}, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{message}, got {number:g}")
    return number
