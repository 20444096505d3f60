r"""
Measured convergence rates of the continuous limits (float64, scipy).
"""
from sage.structure.sage_object import SageObject

from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
from sage_conslaws.dynamics.continuous_limits.methods import (check_positive, integrate_ivp,
                                                               require_numpy)


class RateTable(SageObject):
    r"""
    The measured errors of a momentum method against its continuous limits, and the observed orders.

    Built by :func:`convergence_rates`. Each row holds a learning rate `h` and
    three errors: the sup distance to the rescaled gradient flow (expected
    `O(h)`), to the modified equation (`O(h^2)`), and the distance
    `|v_k - g_h(x_k)|` to the invariant manifold after the transient
    (`O(h^2)`).

    INPUT:

    - ``method`` -- the :class:`~sage_conslaws.dynamics.continuous_limits.methods.MomentumMethod`
    - ``rows`` -- a list of tuples ``(h, gradient flow error, modified equation
      error, manifold distance)``

    EXAMPLES::

        sage: from sage_conslaws.dynamics.continuous_limits.rates import RateTable
        sage: from sage_conslaws.dynamics.continuous_limits.methods import momentum_method
        sage: T = RateTable(momentum_method("hb", 1/2), [(0.1, 1e-2, 1e-3, 1e-4), (0.05, 5e-3, 2.5e-4, 2.5e-5)])
        sage: T.orders()
        {'gradient flow': 1.0, 'manifold': 2.0, 'modified equation': 2.0}
        sage: T
        heavy ball method (a = 0), lam = 1/2
                h    |x - GF|  order     |x - ME|  order |v - g_h(x)|  order
              0.1    1.00e-02      -    1.00e-03      -    1.00e-04      -
             0.05    5.00e-03   1.00    2.50e-04   2.00    2.50e-05   2.00
          fitted orders: gradient flow 1.00, modified equation 2.00, manifold 2.00

    An error that vanishes has no order::

        sage: RateTable(momentum_method("hb", 1/2), [(0.1, 1, 1, 0), (0.05, 1, 1, 0)]).orders()
        {'gradient flow': 0.0, 'manifold': nan, 'modified equation': 0.0}

    TESTS::

        sage: RateTable(momentum_method("hb", 1/2), [(0.1, 1, 1, 1)])
        Traceback (most recent call last):
        ...
        ValueError: a rate needs at least two different learning rates h
    """

    #: The names of the three errors, in the order of the columns.
    ERRORS = ("gradient flow", "modified equation", "manifold")

    def __init__(self, method, rows):
        self._method = method
        self._rows = [tuple(float(v) for v in row) for row in rows]
        if len({row[0] for row in self._rows}) < 2:
            raise ValueError("a rate needs at least two different learning rates h")

    def rows(self):
        r"""
        Return the rows ``(h, gradient flow error, modified equation error, manifold distance)``.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.rates import RateTable
            sage: from sage_conslaws.dynamics.continuous_limits.methods import momentum_method
            sage: RateTable(momentum_method("hb", 1/2), [(0.1, 1, 2, 3), (0.05, 1, 1, 1)]).rows()
            [(0.1, 1.0, 2.0, 3.0), (0.05, 1.0, 1.0, 1.0)]
        """
        return list(self._rows)

    def observed_orders(self):
        r"""
        Return, for each error and each row after the first, `\log(e_{i-1}/e_i)/\log(h_{i-1}/h_i)`.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.rates import RateTable
            sage: from sage_conslaws.dynamics.continuous_limits.methods import momentum_method
            sage: T = RateTable(momentum_method("hb", 1/2), [(0.1, 4, 4, 4), (0.05, 2, 1, 1)])
            sage: T.observed_orders()
            {'gradient flow': [1.0], 'manifold': [2.0], 'modified equation': [2.0]}
        """
        return {name: [round((_log(a[c]) - _log(b[c])) / (_log(a[0]) - _log(b[0])), 12)
                       for a, b in zip(self._rows, self._rows[1:])]
                for c, name in enumerate(self.ERRORS, 1)}

    def orders(self):
        r"""
        Return, for each error, the slope of the least-squares line of `\log e` against `\log h`.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.rates import RateTable
            sage: from sage_conslaws.dynamics.continuous_limits.methods import momentum_method
            sage: T = RateTable(momentum_method("hb", 1/2), [(0.1, 8, 8, 8), (0.05, 4, 2, 1)])
            sage: T.orders()
            {'gradient flow': 1.0, 'manifold': 3.0, 'modified equation': 2.0}
        """
        logs_h = [_log(row[0]) for row in self._rows]
        mean_h = sum(logs_h) / len(logs_h)
        spread = sum((x - mean_h)**2 for x in logs_h)
        orders = {}
        for c, name in enumerate(self.ERRORS, 1):
            logs_e = [_log(row[c]) for row in self._rows]
            mean_e = sum(logs_e) / len(logs_e)
            slope = sum((x - mean_h) * (y - mean_e) for x, y in zip(logs_h, logs_e)) / spread
            orders[name] = round(slope, 12)
        return orders

    def _repr_(self):
        lines = [str(self._method),
                 f"{'h':>9}  {'|x - GF|':>10}  order  {'|x - ME|':>11}  order {'|v - g_h(x)|':>12}  order"]
        observed = self.observed_orders()
        for i, row in enumerate(self._rows):
            cells = [f"{row[0]:9.3g}"]
            for c, name in enumerate(self.ERRORS, 1):
                order = f"{observed[name][i - 1]:5.2f}" if i else "    -"
                cells.append(f"{row[c]:10.2e}  {order}")
            lines.append("  ".join(cells))
        fitted = ", ".join(f"{name} {p:.2f}" for name, p in self.orders().items())
        lines.append(f"  fitted orders: {fitted}")
        return "\n".join(lines)


def convergence_rates(loss, method, x0, lam, T, steps=(1/200, 1/400, 1/800)):
    r"""
    Return the errors of a momentum method against its continuous limits on `[0, T]`, for several learning rates.

    For each `h` of ``steps`` the method runs `T/h` steps (`t = kh`), in
    float64, and is compared at every `t_k` with:

    (a) the rescaled gradient flow from `x_0`, the method started at rest
        (`x_{-1} = x_0`): sup error `O(h)`;
    (b) the modified equation started on its slow manifold
        (`\dot x(0) = -(1-\lambda)^{-1}\nabla F_h(x_0)`), the method started on
        its invariant manifold (`x_{-1} = x_0 - h g_h(x_0)`): sup error `O(h^2)`.

    The third error is `\max |v_k - g_h(x_k)|` over `t_k \ge T/2` in run (a):
    the invariant manifold attracts, to `O(h^2)`. The ODEs are integrated by
    ``scipy.integrate.solve_ivp`` (DOP853, rtol `10^{-10}`, atol `10^{-12}`).

    INPUT:

    - ``loss`` -- the loss (see :func:`~sage_conslaws.dynamics.continuous_limits.limits.continuous_limits`)
    - ``method`` -- ``"hb"``, ``"nag"`` or a :class:`~sage_conslaws.dynamics.continuous_limits.methods.MomentumMethod`
    - ``x0`` -- the starting point, a list of numbers
    - ``lam`` -- the momentum, a rational number in `(0, 1)`
    - ``T`` -- the length of the time interval, a positive number
    - ``steps`` -- (default: ``(1/200, 1/400, 1/800)``) the learning rates `h`;
      each must divide ``T``

    OUTPUT: a :class:`RateTable`

    EXAMPLES::

        sage: from sage_conslaws.dynamics.continuous_limits.rates import convergence_rates
        sage: convergence_rates("(x^2 + y^2 - 1)^2", "hb", [1/2, 1/5], 1/2, 1/4)
        heavy ball method (a = 0), lam = 1/2
                h    |x - GF|  order     |x - ME|  order |v - g_h(x)|  order
            0.005    1.50e-02      -    7.00e-05      -    2.44e-02      -
           0.0025    7.71e-03   0.96    1.72e-05   2.02    5.72e-03   2.09
          0.00125    3.88e-03   0.99    4.26e-06   2.01    1.39e-03   2.05
          fitted orders: gradient flow 0.98, modified equation 2.02, manifold 2.07

    TESTS::

        sage: convergence_rates("x^2", "hb", [1], 1/2, 1, steps=(0,))
        Traceback (most recent call last):
        ...
        ValueError: the learning rate h must be a positive number, got 0
        sage: convergence_rates("x^2", "hb", [1], 1/2, 1, steps=(0.3,))
        Traceback (most recent call last):
        ...
        ValueError: the learning rate h = 0.3 does not divide T = 1
        sage: convergence_rates("x^2", "hb", [1], 1/2, 1, steps=(1/10, 1/10))
        Traceback (most recent call last):
        ...
        ValueError: a rate needs at least two different learning rates h
        sage: convergence_rates("x^2", "hb", [1, 2], 1/2, 1)
        Traceback (most recent call last):
        ...
        ValueError: the starting point must have 1 coordinates (x), got 2
    """
    limits = continuous_limits(loss, method, lam)
    length = check_positive(T, "the time T")
    names = limits.loss().parent().variable_names()
    x0 = [float(c) for c in x0]
    if len(x0) != len(names):
        raise ValueError(f"the starting point must have {len(names)} coordinates "
                         f"({', '.join(names)}), got {len(x0)}")
    steps = [check_positive(h, "the learning rate h") for h in steps]
    for h in steps:
        if abs(round(length / h) * h - length) > 1e-9 * length:
            raise ValueError(f"the learning rate h = {h} does not divide T = {T}")
    if len(set(steps)) < 2:
        raise ValueError("a rate needs at least two different learning rates h")
    return RateTable(limits.method(), [(h,) + _errors(limits, x0, h, round(length / h)) for h in steps])


def _errors(limits, x0, h, n):
    r"""
    Return the three errors of :func:`convergence_rates` for one learning rate ``h`` and ``n`` steps.
    """
    np = require_numpy()
    solve_ivp = integrate_ivp()
    method = limits.method()
    lam, mass = float(method.momentum()), h * float(method.alpha())
    gradient, manifold, flow = limits.numeric_fields(h)
    times = h * np.arange(n + 1)
    x0 = np.array(x0)

    def sup_distance(iterates, rhs, y0):
        solution = solve_ivp(rhs, (0, times[-1]), y0, t_eval=times, method="DOP853",
                             rtol=1e-10, atol=1e-12)
        return np.max(np.linalg.norm(iterates - solution.y[:len(x0)].T, axis=1))

    at_rest = method.run(gradient, x0, h, n)
    gradient_flow = sup_distance(at_rest, lambda t, x: -gradient(x) / (1 - lam), x0)

    D = len(x0)

    def modified_equation(t, y):
        x, v = y[:D], y[D:]
        return np.concatenate([v, -((1 - lam) * v + gradient(x)) / mass])

    on_manifold = method.run(gradient, x0, h, n, x_previous=x0 - h * manifold(x0))
    modified = sup_distance(on_manifold, modified_equation, np.concatenate([x0, flow(x0)]))

    velocities = (at_rest[1:] - at_rest[:-1]) / h
    late = times[1:] >= times[-1] / 2
    distance = max(np.linalg.norm(v - manifold(x)) for v, x in zip(velocities[late], at_rest[1:][late]))
    return gradient_flow, modified, distance


def _log(value):
    r"""
    Return `\log` of a positive float, NaN for zero (an error that vanishes has no order).

    EXAMPLES::

        sage: from sage_conslaws.dynamics.continuous_limits.rates import _log
        sage: _log(1.0), _log(0.0)
        (0.0, nan)
    """
    import math
    return math.log(value) if value > 0 else math.nan
