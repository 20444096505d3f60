r"""
The training dynamics by name: one registry

Every name that the package gives a training dynamics leads to one entry of
:data:`DYNAMICS`: the names of the engine's flows (:data:`FLOWS`, counted by
:func:`~sage_conslaws.dynamics.flows.flow_count`), those of Noether's theorem
(:data:`NAMED_DYNAMICS` and their :data:`ALIASES`, built by
:func:`~sage_conslaws.dynamics.equations.dynamics`), the momentum methods of the
continuous limits (:data:`METHODS`, :mod:`~sage_conslaws.dynamics.continuous_limits.limits`)
and the optimizers of training runs (:data:`OPTIMIZERS`,
:mod:`~sage_conslaws.training.optimizers`).

All but one of the dynamics are of the form ([GU2021]_)

.. MATH::

    \kappa_2(t)\ddot\theta + \kappa_1(t)\dot\theta + \nabla L(\theta) = 0 ,

with, for each, `(\kappa_2, \kappa_1)`:

- ``gradient`` (GF), the gradient flow, `(0, 1)`:
  `\dot\theta + \nabla L(\theta) = 0`;
- ``newtonian`` (ND), Newtonian dynamics, `(1, 0)`:
  `\ddot\theta + \nabla L(\theta) = 0`;
- ``nesterov`` (NAGF), the Nesterov flow, `(1, 3/t)`:
  `\ddot\theta + \frac3t\dot\theta + \nabla L(\theta) = 0`;
- ``damped`` (momentum), a constant damping `\tau \ge 0`, `(1, \tau)`:
  `\ddot\theta + \tau\dot\theta + \nabla L(\theta) = 0`;
- ``heavy-ball`` (HB) and ``nag`` (NAG), the modified equations of the heavy
  ball and of Nesterov's method with learning rate `h` and momentum
  `\lambda` ([KS2021]_), `(h\alpha, 1 - \lambda)`:
  `h\alpha\ddot\theta + (1 - \lambda)\dot\theta + \nabla L(\theta) = 0`, with
  `\alpha = \frac12(1 + \lambda - 2a(1 - \lambda))` for the look-ahead `a` of
  the method: `\alpha = (1 + \lambda)/2` (`a = 0`), resp.
  `(1 - \lambda + 2\lambda^2)/2` (`a = \lambda`).

The last one is the gradient flow of the entropic metric:

- ``mirror``, the entropic mirror flow `\frac{d}{dt}\log\theta = -\nabla L(\theta)`,
  i.e. `\dot\theta = -\mathrm{diag}(\theta)\nabla L(\theta)`.

The engine counts the laws of three flows (:data:`FLOWS`): ``gradient``
(`\kappa_2 = 0`), ``momentum`` (`\kappa_1/\kappa_2 = \tau` constant: the
``newtonian``, ``damped``, ``heavy-ball`` and ``nag`` dynamics; dividing by a
constant `\kappa_2` only rescales the loss, and the laws hold for every loss)
and ``nesterov`` (`\kappa_1/\kappa_2 = 3/t`).

The discrete methods (:data:`OPTIMIZERS`) are all but one momentum steps
(:func:`~sage_conslaws.dynamics.steps.momentum_step`)

.. MATH::

    x_{k+1} = x_k + \lambda_k (x_k - x_{k-1}) - h \nabla L\bigl(x_k + a_k (x_k - x_{k-1})\bigr),

with a momentum `\lambda_k` and a look-ahead `a_k`: gradient descent ``gd``
(`\lambda_k = a_k = 0`), the heavy ball ``hb`` (`\lambda_k = \lambda`,
`a_k = 0`), Nesterov ``nag`` (`a_k = \lambda_k = \lambda`), Nesterov as in
[GU2021]_ ``nag-gu`` (`a_k = \lambda_k = (k-1)/(k+2)`), the discretized
Newtonian dynamics ``nd`` (`\lambda_k = 1`, `a_k = 0`); and mirror descent
``md``, `\theta_{k+1} = \theta_k \odot \exp(-h\nabla L(\theta_k))`. The
methods with a fixed momentum `\lambda`, ``hb`` and ``nag``, are those of
the continuous limits (:data:`METHODS`).

This module is plain Python (no Sage, no sympy): the command line reads its
names and descriptions for ``--help`` without starting Sage. The
coefficients are text, turned into exact expressions where they are used
(:func:`~sage_conslaws.dynamics.equations.dynamics`).

EXAMPLES::

    sage: from sage_conslaws.dynamics.ode import table
    sage: print(table())
    name        aliases   ODE                                                                     engine flow                                            optimizers  continuous limit
    gradient    GF        theta' + grad L(theta) = 0                                              gradient                                               gd          -
    newtonian   ND        theta'' + grad L(theta) = 0                                             momentum, damping 0                                    nd          -
    nesterov    NAGF      theta'' + 3/t*theta' + grad L(theta) = 0                                nesterov                                               nag-gu      -
    damped      momentum  theta'' + tau*theta' + grad L(theta) = 0                                momentum, damping tau                                  -           -
    heavy-ball  HB        h*(1 + lam)/2*theta'' + (1 - lam)*theta' + grad L(theta) = 0            momentum, damping (1 - lam)/(h*(1 + lam)/2)            hb          hb (a = 0)
    nag         NAG       h*(1 - lam + 2*lam^2)/2*theta'' + (1 - lam)*theta' + grad L(theta) = 0  momentum, damping (1 - lam)/(h*(1 - lam + 2*lam^2)/2)  nag         nag (a = lam)
    mirror      -         theta' = -diag(theta)*grad L(theta)                                     gradient, entropic metric                              md          -

REFERENCES: [GU2021]_, [KS2021]_ (see the references of the documentation).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class DynamicsEntry:
    r"""
    One training dynamics: its names, its ODE, and the engine flow that counts its laws.

    INPUT:

    - ``name`` -- the canonical name
    - ``title`` -- a readable name (the name of a
      :class:`~sage_conslaws.dynamics.equations.Dynamics`)
    - ``coefficients`` -- ``(kappa2, kappa1)`` of
      `\kappa_2\ddot\theta + \kappa_1\dot\theta + \nabla L(\theta) = 0`, as
      text in the time ``t`` and the ``parameters`` (``^`` for powers), or
      ``None`` for a dynamics not of that form
    - ``flow`` -- the engine flow that counts its laws, one of :data:`FLOWS`
    - ``aliases`` -- (default: ``()``) other names
    - ``parameters`` -- (default: ``()``) the names of the parameters of the
      coefficients: ``h`` (learning rate), ``lam`` (momentum `\lambda`),
      ``tau`` (damping)
    - ``metric`` -- (default: ``"euclidean"``) the metric of the flow counted
    - ``formula`` -- (default: ``None``) the equation as text, for a dynamics
      without ``coefficients``

    EXAMPLES::

        sage: from sage_conslaws.dynamics.ode import DYNAMICS
        sage: DYNAMICS["nesterov"]
        nesterov (NAGF): Nesterov flow, theta'' + 3/t*theta' + grad L(theta) = 0
        sage: DYNAMICS["nesterov"].coefficients
        ('1', '3/t')
    """
    name: str
    title: str
    coefficients: tuple
    flow: str
    aliases: tuple = ()
    parameters: tuple = ()
    metric: str = "euclidean"
    formula: str = None

    def equation(self):
        r"""
        Return the equation as text.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.ode import DYNAMICS
            sage: DYNAMICS["heavy-ball"].equation()
            "h*(1 + lam)/2*theta'' + (1 - lam)*theta' + grad L(theta) = 0"
            sage: DYNAMICS["mirror"].equation()
            "theta' = -diag(theta)*grad L(theta)"
        """
        if self.coefficients is None:
            return self.formula
        terms = [f"{_factor(c)}{name}" for c, name in zip(self.coefficients, ("theta''", "theta'"))
                 if c != "0"]
        return " + ".join(terms + ["grad L(theta) = 0"])

    def summary(self):
        r"""
        Return the title and the equation, in one phrase.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.ode import DYNAMICS
            sage: DYNAMICS["damped"].summary()
            "constant damping, theta'' + tau*theta' + grad L(theta) = 0"
        """
        return f"{self.title}, {self.equation()}"

    def is_second_order(self):
        r"""
        Return whether the dynamics involves `\ddot\theta` (`\kappa_2 \ne 0`).

        EXAMPLES::

            sage: from sage_conslaws.dynamics.ode import DYNAMICS
            sage: [name for name, e in DYNAMICS.items() if e.is_second_order()]
            ['newtonian', 'nesterov', 'damped', 'heavy-ball', 'nag']
        """
        return self.coefficients is not None and self.coefficients[0] != "0"

    def damping(self):
        r"""
        Return the damping `\kappa_1/\kappa_2` of the engine's ``momentum`` flow, as text; ``None`` for the other flows.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.ode import DYNAMICS
            sage: DYNAMICS["newtonian"].damping(), DYNAMICS["heavy-ball"].damping()
            ('0', '(1 - lam)/(h*(1 + lam)/2)')
            sage: DYNAMICS["nesterov"].damping() is None
            True
        """
        if self.flow != "momentum":
            return None
        kappa2, kappa1 = self.coefficients
        return kappa1 if kappa2 == "1" else f"({kappa1})/({kappa2})"

    def optimizers(self):
        r"""
        Return the names of the optimizers of :data:`OPTIMIZERS` that discretize this dynamics.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.ode import DYNAMICS
            sage: DYNAMICS["nesterov"].optimizers(), DYNAMICS["damped"].optimizers()
            (('nag-gu',), ())
        """
        return tuple(name for name, method in OPTIMIZERS.items() if method.dynamics == self.name)

    def methods(self):
        r"""
        Return the names of the momentum methods of :data:`METHODS` whose modified equation this is.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.ode import DYNAMICS
            sage: DYNAMICS["nag"].methods(), DYNAMICS["gradient"].methods()
            (('nag',), ())
        """
        return tuple(name for name in self.optimizers() if name in METHODS)

    def __repr__(self):
        aliases = f" ({', '.join(self.aliases)})" if self.aliases else ""
        return f"{self.name}{aliases}: {self.summary()}"


@dataclass(frozen=True)
class DiscreteMethod:
    r"""
    One discrete optimizer: its step, and the dynamics it discretizes.

    A momentum step `x_{k+1} = x_k + \lambda_k\Delta_k - h\nabla L(x_k + a_k\Delta_k)`,
    `\Delta_k = x_k - x_{k-1}` (see
    :func:`~sage_conslaws.dynamics.steps.momentum_step`), or a mirror step
    (:func:`~sage_conslaws.dynamics.steps.mirror_step`).

    INPUT:

    - ``name`` -- the name
    - ``title`` -- a short readable name, for reports
    - ``description`` -- one phrase, for ``--help``
    - ``dynamics`` -- the name of the entry of :data:`DYNAMICS` it discretizes
    - ``momentum`` -- (default: ``"0"``) the momentum `\lambda_k`: ``"0"``,
      ``"1"``, ``"lam"`` (a fixed `\lambda`, given by the user) or
      ``"(k-1)/(k+2)"``
    - ``look_ahead`` -- (default: ``"0"``) the look-ahead `a_k`: ``"0"`` or
      ``"lam"`` (the momentum `\lambda_k` of the step)
    - ``time_step`` -- (default: ``"h"``) the time of the dynamics that one
      step covers: ``"h"`` or ``"sqrt(h)"``
    - ``update`` -- (default: ``"momentum"``) ``"momentum"`` or ``"mirror"``

    EXAMPLES::

        sage: from sage_conslaws.dynamics.ode import OPTIMIZERS
        sage: OPTIMIZERS["nag"]
        nag: Nesterov accelerated gradient: gradient at the look-ahead point (lam_k = lam, a_k = lam), discretizes nag
    """
    name: str
    title: str
    description: str
    dynamics: str
    momentum: str = "0"
    look_ahead: str = "0"
    time_step: str = "h"
    update: str = "momentum"

    def takes_momentum(self):
        r"""
        Return whether the user gives the momentum `\lambda`.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.ode import OPTIMIZERS
            sage: [name for name, method in OPTIMIZERS.items() if method.takes_momentum()]
            ['hb', 'nag']
        """
        return self.momentum == "lam"

    def momentum_at(self, k, lam=None):
        r"""
        Return the momentum `\lambda_k` of the step from `x_k`, a float.

        INPUT:

        - ``k`` -- the index of the step
        - ``lam`` -- (default: ``None``) the momentum `\lambda`, for the
          methods that take one

        EXAMPLES::

            sage: from sage_conslaws.dynamics.ode import OPTIMIZERS
            sage: [OPTIMIZERS["nag-gu"].momentum_at(k) for k in range(5)]
            [0.0, 0.0, 0.25, 0.4, 0.5]
            sage: OPTIMIZERS["nd"].momentum_at(3), OPTIMIZERS["hb"].momentum_at(3, 0.9)
            (1.0, 0.9)
        """
        if self.momentum == "lam":
            return float(lam)
        if self.momentum == "(k-1)/(k+2)":
            return (k - 1) / (k + 2) if k >= 1 else 0.0
        return float(self.momentum)

    def look_ahead_at(self, k, lam=None):
        r"""
        Return the look-ahead `a_k` of the step from `x_k`, a float.

        INPUT: as for :meth:`momentum_at`

        EXAMPLES::

            sage: from sage_conslaws.dynamics.ode import OPTIMIZERS
            sage: OPTIMIZERS["nag"].look_ahead_at(3, 0.5), OPTIMIZERS["hb"].look_ahead_at(3, 0.5)
            (0.5, 0.0)
        """
        return self.momentum_at(k, lam) if self.look_ahead == "lam" else float(self.look_ahead)

    def entry(self):
        r"""
        Return the entry of :data:`DYNAMICS` that this method discretizes.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.ode import OPTIMIZERS
            sage: OPTIMIZERS["nd"].entry()
            newtonian (ND): Newtonian dynamics, theta'' + grad L(theta) = 0
        """
        return DYNAMICS[self.dynamics]

    def __repr__(self):
        step = ("mirror step" if self.update == "mirror"
                else f"lam_k = {self.momentum}, a_k = {self.look_ahead}")
        return f"{self.name}: {self.description} ({step}), discretizes {self.dynamics}"


def _factor(coefficient):
    r"""
    Return the text of ``coefficient`` as a factor: empty for 1, in brackets if it is a sum.

    TESTS::

        sage: from sage_conslaws.dynamics.ode import _factor
        sage: _factor("1"), _factor("3/t"), _factor("1 - lam"), _factor("h*(1 + lam)/2")
        ('', '3/t*', '(1 - lam)*', 'h*(1 + lam)/2*')
    """
    if coefficient == "1":
        return ""
    depth, is_sum = 0, False
    for c in coefficient:
        depth += (c == "(") - (c == ")")
        is_sum = is_sum or (depth == 0 and c in "+-")
    return f"({coefficient})*" if is_sum else f"{coefficient}*"


#: The training dynamics, by canonical name.
DYNAMICS = {e.name: e for e in [
    DynamicsEntry("gradient", "gradient flow", ("0", "1"), "gradient", aliases=("GF",)),
    DynamicsEntry("newtonian", "Newtonian dynamics", ("1", "0"), "momentum", aliases=("ND",)),
    DynamicsEntry("nesterov", "Nesterov flow", ("1", "3/t"), "nesterov", aliases=("NAGF",)),
    DynamicsEntry("damped", "constant damping", ("1", "tau"), "momentum", aliases=("momentum",),
                  parameters=("tau",)),
    DynamicsEntry("heavy-ball", "heavy-ball modified equation", ("h*(1 + lam)/2", "1 - lam"),
                  "momentum", aliases=("HB",), parameters=("h", "lam")),
    DynamicsEntry("nag", "Nesterov (NAG) modified equation",
                  ("h*(1 - lam + 2*lam^2)/2", "1 - lam"), "momentum", aliases=("NAG",),
                  parameters=("h", "lam")),
    DynamicsEntry("mirror", "entropic mirror flow", None, "gradient", metric="entropic",
                  formula="theta' = -diag(theta)*grad L(theta)"),
]}

#: The dynamics `\kappa_2\ddot\theta + \kappa_1\dot\theta + \nabla L = 0`, by canonical name
#: (those of :func:`~sage_conslaws.dynamics.equations.dynamics`).
NAMED_DYNAMICS = {name: e for name, e in DYNAMICS.items() if e.coefficients is not None}

#: The other names of the dynamics: alias -> canonical name.
ALIASES = {alias: name for name, e in DYNAMICS.items() for alias in e.aliases}

#: The flows whose laws the engine counts (:func:`~sage_conslaws.dynamics.flows.flow_count`);
#: each is the name, or an alias, of the entry of :data:`DYNAMICS` it is.
FLOWS = tuple(dict.fromkeys(e.flow for e in DYNAMICS.values()))

#: The second-order flows of :data:`FLOWS`
#: (:class:`~sage_conslaws.dynamics.phase_space.MomentumFlow`).
MOMENTUM_FLOWS = tuple(flow for flow in FLOWS if DYNAMICS[ALIASES.get(flow, flow)].is_second_order())

#: The discrete optimizers of training runs, by name.
OPTIMIZERS = {m.name: m for m in [
    DiscreteMethod("gd", "gradient descent", "gradient descent", "gradient"),
    DiscreteMethod("hb", "heavy ball", "heavy ball, Polyak momentum", "heavy-ball", momentum="lam"),
    DiscreteMethod("nag", "Nesterov (NAG)",
                   "Nesterov accelerated gradient: gradient at the look-ahead point", "nag",
                   momentum="lam", look_ahead="lam"),
    DiscreteMethod("nag-gu", "Nesterov (Gluch-Urbanke)",
                   "Nesterov with the momentum schedule (k-1)/(k+2) of Gluch and Urbanke",
                   "nesterov", momentum="(k-1)/(k+2)", look_ahead="lam", time_step="sqrt(h)"),
    DiscreteMethod("nd", "discretized Newtonian dynamics",
                   "discretized Newtonian dynamics (heavy ball with momentum 1)", "newtonian",
                   momentum="1", time_step="sqrt(h)"),
    DiscreteMethod("md", "mirror descent",
                   "mirror descent, multiplicative updates (non-negative models: nmf)", "mirror",
                   update="mirror"),
]}

#: The momentum methods of the continuous limits (:mod:`~sage_conslaws.dynamics.continuous_limits.limits`):
#: the optimizers with a fixed momentum `\lambda`, by name.
METHODS = {name: m for name, m in OPTIMIZERS.items() if m.takes_momentum()}


def resolve(name):
    r"""
    Return the entry of :data:`DYNAMICS` that ``name``, a name of any vocabulary, stands for.

    The names are those of :data:`DYNAMICS`, :data:`ALIASES`, :data:`FLOWS`,
    :data:`OPTIMIZERS` and :data:`METHODS`; a name in two of them stands for
    one dynamics (``"nag"``: the optimizer discretizes the dynamics of that name).

    INPUT:

    - ``name`` -- a string

    OUTPUT: a :class:`DynamicsEntry`

    EXAMPLES::

        sage: from sage_conslaws.dynamics.ode import resolve
        sage: resolve("HB").name, resolve("hb").name, resolve("momentum").name, resolve("md").name
        ('heavy-ball', 'heavy-ball', 'damped', 'mirror')

    TESTS::

        sage: resolve("adam")
        Traceback (most recent call last):
        ...
        ValueError: unknown dynamics 'adam'; known: gradient (GF), newtonian (ND), nesterov (NAGF), damped (momentum), heavy-ball (HB), nag (NAG), mirror, and the optimizers gd, hb, nag, nag-gu, nd, md
    """
    if name in DYNAMICS or name in ALIASES:
        return DYNAMICS[ALIASES.get(name, name)]
    if name in OPTIMIZERS:
        return OPTIMIZERS[name].entry()
    raise ValueError(f"unknown dynamics {name!r}; known: {known_names(DYNAMICS)}, and the "
                     f"optimizers {', '.join(OPTIMIZERS)}")


def known_names(entries):
    r"""
    Return the names of ``entries``, each with its aliases, as text for error messages.

    INPUT:

    - ``entries`` -- a dictionary name -> :class:`DynamicsEntry`

    EXAMPLES::

        sage: from sage_conslaws.dynamics.ode import NAMED_DYNAMICS, known_names
        sage: known_names(NAMED_DYNAMICS)
        'gradient (GF), newtonian (ND), nesterov (NAGF), damped (momentum), heavy-ball (HB), nag (NAG)'
    """
    return ", ".join(f"{name} ({', '.join(e.aliases)})" if e.aliases else name
                     for name, e in entries.items())


def flow_dynamics(flow, damping=None):
    r"""
    Return the name of the dynamics of the engine flow ``flow``, and its parameters.

    The ``momentum`` flow is the ``damped`` dynamics with damping `\tau`, or
    the ``newtonian`` one when `\tau = 0`.

    INPUT:

    - ``flow`` -- one of :data:`FLOWS`
    - ``damping`` -- (default: ``None``, 0) the constant damping of the
      ``momentum`` flow, already checked
      (:func:`~sage_conslaws.dynamics.phase_space.check_momentum_damping`)

    OUTPUT: a pair ``(name, parameters)``, a key of :data:`NAMED_DYNAMICS`
    and a dictionary for :func:`~sage_conslaws.dynamics.equations.dynamics`

    EXAMPLES::

        sage: from sage_conslaws.dynamics.ode import flow_dynamics
        sage: flow_dynamics("momentum"), flow_dynamics("momentum", 2), flow_dynamics("nesterov")
        (('newtonian', {}), ('damped', {'tau': 2}), ('nesterov', {}))

    TESTS::

        sage: flow_dynamics("adam")
        Traceback (most recent call last):
        ...
        ValueError: unknown flow 'adam'; known flows: gradient, momentum, nesterov
    """
    if flow not in FLOWS:
        raise ValueError(f"unknown flow {flow!r}; known flows: {', '.join(FLOWS)}")
    if flow == "momentum" and not damping:
        return "newtonian", {}
    entry = resolve(flow)
    return entry.name, ({"tau": damping} if "tau" in entry.parameters else {})


def table():
    r"""
    Return the registry as a text table: each dynamics, its aliases, its ODE, its engine flow, its optimizers and its momentum methods.

    OUTPUT: a string, one line per entry of :data:`DYNAMICS` after a header

    EXAMPLES::

        sage: from sage_conslaws.dynamics.ode import table
        sage: table().splitlines()[1].split()
        ['gradient', 'GF', "theta'", '+', 'grad', 'L(theta)', '=', '0', 'gradient', 'gd', '-']
    """
    rows = [("name", "aliases", "ODE", "engine flow", "optimizers", "continuous limit")]
    for name, e in DYNAMICS.items():
        flow = e.flow if e.damping() is None else f"{e.flow}, damping {e.damping()}"
        if e.metric != "euclidean":
            flow += f", {e.metric} metric"
        limits = ", ".join(f"{m} (a = {METHODS[m].look_ahead})" for m in e.methods())
        rows.append((name, ", ".join(e.aliases) or "-", e.equation(), flow,
                     ", ".join(e.optimizers()) or "-", limits or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join("  ".join(f"{cell:<{w}}" for cell, w in zip(row, widths)) + "  " + row[-1]
                     for row in rows)
