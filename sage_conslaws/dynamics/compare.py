r"""
The conservation loss: gradient flow and momentum flow side by side

:func:`compare_flows` counts the conservation laws of one model under its
gradient flow and under a momentum flow (same metric), and says which
gradient-flow laws survive under momentum and which momentum laws appear
([MGP2024]_).

A gradient-flow law `h(\theta)`, lifted to phase space, is a momentum law iff
`\langle \nabla h, X \rangle = 0` for the drift and every force `X`. The drift
moves `\theta` with velocity `v` (times `t` for Nesterov), so
`\langle \nabla h, \text{drift} \rangle = \langle \nabla_\theta h, v \rangle`,
which vanishes for every `v` only if `h` is constant: no gradient-flow law
survives (the note's structure statement, see
:meth:`~sage_conslaws.dynamics.phase_space.MomentumFlow.drift_invariants`). The
comparison checks it, law by law, exactly
(:func:`~sage_conslaws.laws.polynomial.is_conservation_law`).

EXAMPLES:

A two-layer linear network with `r = 3` hidden units and `k = n + m = 3`
keeps `r(r+1)/2 = 6` laws under gradient flow and `r(r-1)/2 = 3` under
momentum; none of the first survives::

    sage: from sage_conslaws import LinearNetwork
    sage: from sage_conslaws.dynamics import compare_flows
    sage: c = compare_flows(LinearNetwork([2, 3, 1]), damping=1/2); c
    LinearNetwork([2, 3, 1]) with 9 parameters: 6 laws under the gradient flow (certified), 3 under the heavy-ball momentum flow (damping 1/2) (certified), 0 gradient-flow laws survive
    sage: c.momentum_laws()[0]
    ('momentum W1 [0,1]',
     "exp(1/2*t)*(-w1_1_0*w1_0_0' - w1_1_1*w1_0_1' + w1_0_0*w1_1_0' + w1_0_1*w1_1_1' - w2_0_1*w2_0_0' + w2_0_0*w2_0_1')")
"""
from sage.structure.sage_object import SageObject

from sage_conslaws.laws.result import number_phrase
from sage_conslaws.laws.polynomial import is_conservation_law
from sage_conslaws.interface.progress import Stopwatch
from sage_conslaws.dynamics.flows import check_flow_options
from sage_conslaws.dynamics.gradient import gradient_flow_count
from sage_conslaws.dynamics.momentum import momentum_count
from sage_conslaws.dynamics.ode import MOMENTUM_FLOWS


class ConservationLoss(SageObject):
    r"""
    The laws of a model under its gradient flow and under a momentum flow, compared.

    Do not build it directly; call :func:`compare_flows`.

    INPUT:

    - ``gradient`` -- the :class:`~sage_conslaws.dynamics.gradient.FlowLawCount`
      of the gradient flow
    - ``momentum`` -- that of the momentum flow
    - ``surviving`` -- the gradient-flow laws, as ``(name, polynomial)`` pairs,
      that are also momentum laws
    - ``seconds`` -- the wall-clock time

    EXAMPLES::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.dynamics import compare_flows
        sage: c = compare_flows(ReLUNetwork([2, 2, 1]))
        sage: c.gradient().number_of_laws(), c.momentum().number_of_laws(), c.surviving_laws()
        (2, 0, [])
        sage: c.is_certified()
        True
    """

    def __init__(self, gradient, momentum, surviving, seconds):
        self._gradient = gradient
        self._momentum = momentum
        self._surviving = surviving
        self._seconds = seconds

    def model(self):
        r"""
        Return the model compared.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: from sage_conslaws.dynamics import compare_flows
            sage: compare_flows(NMF(1, 1, 1)).model()
            NMF(1, 1, 1) with 2 parameters
        """
        return self._gradient.model()

    def gradient(self):
        r"""
        Return the count of the gradient flow, a :class:`~sage_conslaws.dynamics.gradient.FlowLawCount`.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: from sage_conslaws.dynamics import compare_flows
            sage: compare_flows(NMF(2, 2, 2)).gradient()
            gradient flow (entropic metric) of NMF(2, 2, 2) with 8 parameters: 2 independent conservation laws (certified); the 2 known laws are all the laws
        """
        return self._gradient

    def momentum(self):
        r"""
        Return the count of the momentum flow, a :class:`~sage_conslaws.dynamics.gradient.FlowLawCount`.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: from sage_conslaws.dynamics import compare_flows
            sage: compare_flows(NMF(2, 2, 2), damping=1).momentum()
            heavy-ball momentum flow (damping 1, entropic metric) of NMF(2, 2, 2) with 8 parameters, on R^17: 0 independent conservation laws (certified); there is no conservation law
        """
        return self._momentum

    def is_certified(self):
        r"""
        Return whether both counts are proven.

        EXAMPLES::

            sage: from sage_conslaws import ICNN
            sage: from sage_conslaws.dynamics import compare_flows
            sage: compare_flows(ICNN(2, 2, 1)).is_certified()
            True
        """
        return self._gradient.is_certified() and self._momentum.is_certified()

    def gradient_laws(self):
        r"""
        Return the gradient-flow laws found, as ``(name, polynomial)`` pairs (functions of `\theta`).

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: from sage_conslaws.dynamics import compare_flows
            sage: compare_flows(NMF(1, 1, 2)).gradient_laws()
            [('sum U[:,0] - sum V[0,:]', U_0_0 - V_0_0 - V_0_1)]
        """
        return self._gradient.laws()

    def surviving_laws(self):
        r"""
        Return the gradient-flow laws that are also momentum laws (lifted to phase space).

        By the structure of momentum laws this is always empty; it is checked
        exactly, law by law (see :mod:`sage_conslaws.dynamics.compare`).

        OUTPUT: a list of ``(name, polynomial)`` pairs

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import compare_flows
            sage: compare_flows(LinearNetwork([1, 3, 2]), flow="nesterov").surviving_laws()
            []
        """
        return list(self._surviving)

    def momentum_laws(self):
        r"""
        Return the momentum laws found, as ``(name, text)`` pairs in the user's terms.

        The time is `t` and the velocity of a parameter ``x`` is written ``x'``
        (see :meth:`~sage_conslaws.dynamics.phase_space.MomentumFlow.in_user_terms`).

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import compare_flows
            sage: compare_flows(LinearNetwork([1, 2, 2])).momentum_laws()
            [('momentum W1 [0,1]',
              "-w1_1_0*w1_0_0' + w1_0_0*w1_1_0' - w2_0_1*w2_0_0' + w2_0_0*w2_0_1' - w2_1_1*w2_1_0' + w2_1_0*w2_1_1'")]
        """
        return self._momentum.laws_in_user_terms()

    def change(self):
        r"""
        Return the number of momentum laws minus the number of gradient-flow laws.

        EXAMPLES:

        Momentum loses `r` laws of a two-layer linear network with `r \le k`,
        and gains some when `r` is large (here `k = 3`, `r = 8`:
        `k(2r - 2k - 1) = 27` against `kr - k(k-1)/2 = 21`)::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import compare_flows
            sage: compare_flows(LinearNetwork([1, 3, 2])).change()
            -3
            sage: compare_flows(LinearNetwork([1, 8, 2])).change()
            6
        """
        return self._momentum.number_of_laws() - self._gradient.number_of_laws()

    def seconds(self):
        r"""
        Return the wall-clock time of both counts, in seconds.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: from sage_conslaws.dynamics import compare_flows
            sage: compare_flows(NMF(1, 1, 1)).seconds() >= 0
            True
        """
        return self._seconds

    def as_dict(self):
        r"""
        Return the comparison as a dictionary of plain Python values (for JSON).

        The keys: ``model``, ``parameters``, ``metric``, ``flow`` and
        ``damping`` (of the momentum flow), ``gradient`` and ``momentum`` (the
        :meth:`FlowLawCount.as_dict() <sage_conslaws.dynamics.gradient.FlowLawCount.as_dict>`
        of each count; that of the momentum flow adds ``laws_in_user_terms``),
        ``change``, ``surviving_laws`` (names), ``certified`` (both counts)
        and ``seconds``.

        EXAMPLES::

            sage: import json
            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import compare_flows
            sage: d = compare_flows(LinearNetwork([1, 2, 2]), damping=2).as_dict()
            sage: sorted(d)
            ['certified', 'change', 'damping', 'flow', 'gradient', 'metric', 'model',
             'momentum', 'parameters', 'seconds', 'surviving_laws']
            sage: d['gradient']['laws'], d['momentum']['laws'], d['change'], d['surviving_laws']
            (3, 1, -2, [])
            sage: d['momentum']['laws_in_user_terms']
            {'momentum W1 [0,1]': "exp(2*t)*(-w1_1_0*w1_0_0' + w1_0_0*w1_1_0' - w2_0_1*w2_0_0' + w2_0_0*w2_0_1' - w2_1_1*w2_1_0' + w2_1_0*w2_1_1')"}
            sage: json.loads(json.dumps(d)) == d
            True
        """
        momentum = self._momentum.as_dict()
        momentum["laws_in_user_terms"] = dict(self.momentum_laws())
        return {
            "model": repr(self.model()),
            "parameters": int(self._gradient.parameters()),
            "metric": self._momentum.metric(),
            "flow": self._momentum.flow(),
            "damping": momentum["damping"],
            "gradient": self._gradient.as_dict(),
            "momentum": momentum,
            "change": int(self.change()),
            "surviving_laws": [name for name, _ in self._surviving],
            "certified": bool(self.is_certified()),
            "seconds": round(float(self._seconds), 3),
        }

    def report(self):
        r"""
        Return a readable multi-line report.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import compare_flows
            sage: print(compare_flows(LinearNetwork([1, 2, 2]), damping=1).report())
            LinearNetwork([1, 2, 2]) with 6 parameters: gradient flow vs heavy-ball momentum flow (damping 1), euclidean metric
              gradient flow         : 3 laws on R^6 (certified)
              momentum flow         : 1 law on R^13 (certified)
              change                : -2
              surviving GF laws     : none of the 3 gradient-flow laws is conserved by the momentum flow
              gradient-flow laws    :
                W1 W1^T - W2^T W2 [0,0]: w1_0_0^2 - w2_0_0^2 - w2_1_0^2
                W1 W1^T - W2^T W2 [0,1]: w1_0_0*w1_1_0 - w2_0_0*w2_0_1 - w2_1_0*w2_1_1
                W1 W1^T - W2^T W2 [1,1]: w1_1_0^2 - w2_0_1^2 - w2_1_1^2
              momentum laws         : (in the time t, the parameters x and their velocities x' = dx/dt)
                momentum W1 [0,1]: exp(t)*(-w1_1_0*w1_0_0' + w1_0_0*w1_1_0' - w2_0_1*w2_0_0' + w2_0_0*w2_0_1' - w2_1_1*w2_1_0' + w2_1_0*w2_1_1')
              time                  : ... s
        """
        g, m = self._gradient, self._momentum
        lines = [f"{self.model()!r}: gradient flow vs {self._momentum_name()}, "
                 f"{m.metric()} metric",
                 f"  gradient flow         : {_count_line(g)}",
                 f"  momentum flow         : {_count_line(m)}",
                 f"  change                : {self.change()}",
                 f"  surviving GF laws     : {self._survival_line()}",
                 "  gradient-flow laws    :"]
        lines += [f"    {name}: {h}" for name, h in g.laws()] or ["    (none found)"]
        if m.laws():
            lines.append("  momentum laws         : (in the time t, the parameters x and "
                         "their velocities x' = dx/dt)")
            lines += [f"    {name}: {text}" for name, text in self.momentum_laws()]
        else:
            lines.append("  momentum laws         : (none found)")
        lines.append(f"  time                  : {self._seconds:.2f} s")
        return "\n".join(lines)

    def _momentum_name(self):
        m = self._momentum
        if m.flow() == "nesterov":
            return "Nesterov momentum flow"
        if m.damping():
            return f"heavy-ball momentum flow (damping {m.damping()})"
        return "undamped momentum flow"

    def _survival_line(self):
        checked = len(self._gradient.laws())
        if not checked:
            return "no gradient-flow law to check"
        if not self._surviving:
            return (f"none of the {checked} gradient-flow laws is conserved "
                    "by the momentum flow")
        return ", ".join(name for name, _ in self._surviving)

    def _repr_(self):
        g, m = self._gradient, self._momentum
        return (f"{self.model()!r}: {number_phrase(g.number_of_laws())} under the gradient flow "
                f"({g.status_label()}), {m.number_of_laws()} under the {self._momentum_name()} "
                f"({m.status_label()}), {len(self._surviving)} gradient-flow laws survive")


def _count_line(count):
    return (f"{number_phrase(count.number_of_laws())} on R^{count.ambient_dimension()} "
            f"({count.status_label()})")


def compare_flows(model, damping=None, metric=None, flow="momentum", seed=0, **options):
    r"""
    Return the conservation laws of ``model`` under its gradient flow and under a momentum flow, compared.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
    - ``damping`` -- (default: ``None``, meaning 0) the constant damping
      `\tau \ge 0` of the ``"momentum"`` flow; not for ``"nesterov"``
    - ``metric`` -- (default: the model's
      :meth:`~sage_conslaws.models.base.Model.default_metric`) the
      metric of both flows, one of :data:`~sage_conslaws.fields.metrics.METRICS`
    - ``flow`` -- (default: ``"momentum"``) ``"momentum"`` or ``"nesterov"``
    - ``seed`` -- (default: 0) seed of every random choice
    - ``options`` -- passed to both counts
      (:func:`~sage_conslaws.laws.count.count_conservation_laws`: ``degree``,
      ``verification_points``, ``progress``)

    OUTPUT: a :class:`ConservationLoss`

    EXAMPLES:

    Momentum keeps no law of ReLU networks, NMF or ICNN ([MGP2024]_)::

        sage: from sage_conslaws import ICNN, NMF, ReLUNetwork
        sage: from sage_conslaws.dynamics import compare_flows
        sage: for N in (ReLUNetwork([2, 3, 1], bias=True), NMF(2, 3, 2), ICNN(2, 2, 1)):
        ....:     c = compare_flows(N, damping=1)
        ....:     print(c.gradient().number_of_laws(), c.momentum().number_of_laws(), c.surviving_laws())
        3 0 []
        3 0 []
        2 0 []

    TESTS::

        sage: compare_flows(NMF(1, 1, 1), flow="gradient")
        Traceback (most recent call last):
        ...
        ValueError: the flow compared with the gradient flow must be one of momentum, nesterov, got 'gradient'
        sage: compare_flows(NMF(1, 1, 1), damping="-1")
        Traceback (most recent call last):
        ...
        ValueError: the damping must be a non-negative rational number, got '-1'
        sage: compare_flows(NMF(1, 1, 1), metric="fisher")
        Traceback (most recent call last):
        ...
        ValueError: unknown metric 'fisher'; known metrics: euclidean, entropic
    """
    if flow not in MOMENTUM_FLOWS:
        raise ValueError(f"the flow compared with the gradient flow must be one of "
                         f"{', '.join(MOMENTUM_FLOWS)}, got {flow!r}")
    check_flow_options(flow, damping, metric)
    clock = Stopwatch()
    gradient = gradient_flow_count(model, metric=metric, seed=seed, **options)
    momentum = momentum_count(model, flow=flow, damping=damping, metric=metric, seed=seed,
                              **options)
    system = momentum.system()
    fields = system.fields()
    surviving = [(name, h) for name, h in gradient.laws()
                 if is_conservation_law(system.lift(h), fields)]
    return ConservationLoss(gradient, momentum, surviving, clock.seconds())
