r"""
Momentum flows, lifted to phase space

The momentum flow of a model is `\ddot\theta + \tau(t)\dot\theta = -M(\cdot)^{-1}\nabla E(\theta)`,
for every loss `E` built on the reparametrization `\phi` ([MGP2024]_):

- heavy ball: constant damping `\tau > 0`;
- undamped: `\tau = 0`;
- Nesterov: `\tau = 3/t`.

With the Euclidean metric `M = I`; with a mirror geometry (the ``"entropic"``
metric of :mod:`sage_conslaws.fields.metrics`), the mirror momentum flow
`\frac{d}{dt}\nabla\Phi(\dot\theta + \tau\theta) = -\nabla E`, i.e.
`\ddot\theta + \tau\dot\theta = -M(\tau\theta + \dot\theta)^{-1}\nabla E(\theta)`
(for NMF `M(x)^{-1} = \mathrm{diag}(x)`).

In phase space, with `v = \dot\theta`, the flow is a first-order system on
`\RR^{2D+1}` whose velocity lies, for every data set, in the span of a *drift*
and of *forces* `(0, 0, M(\tau\theta + v)^{-1}\nabla\phi_j(\theta))`. To keep the
fields polynomial, the time is `s = e^{\tau t}` for the heavy ball (drift
`(\tau s, v, -\tau v)`), `t` for the undamped flow (drift `(1, v, 0)`) and for
Nesterov (drift `(1, v, -3v/t)`, multiplied by `t`: `(t, tv, -3v)`). Rational
fields are multiplied by their denominators (powers of `t`, which does not
vanish): this changes neither the conserved functions nor the distribution
generated. The laws are the functions `h(s \text{ or } t, \theta, v)` conserved
through these fields; their number is `2D + 1 - \dim\mathrm{Lie}`.

:class:`~sage_conslaws.dynamics.phase_space.MomentumFlow` is this lifted system, a
:class:`~sage_conslaws.models.base.Model` that the engine
(:func:`~sage_conslaws.laws.count.count_conservation_laws`) counts like any other;
:func:`momentum_count` is the entry point.

EXAMPLES:

A two-layer linear network keeps `r(r-1)/2` laws under momentum (`r \le 2k+1`,
`k = n + m`), whatever the damping, and they are known in closed form::

    sage: from sage_conslaws import LinearNetwork
    sage: from sage_conslaws.dynamics import momentum_count
    sage: N = LinearNetwork([2, 3, 1])
    sage: [momentum_count(N, damping=tau).number_of_laws() for tau in (0, 1/2, 2)]
    [3, 3, 3]
    sage: momentum_count(N, flow="nesterov")
    Nesterov momentum flow (euclidean metric) of LinearNetwork([2, 3, 1]) with 9 parameters, on R^19: 3 independent conservation laws (certified); the 3 known laws are all the laws

ReLU networks keep none::

    sage: from sage_conslaws import ReLUNetwork
    sage: momentum_count(ReLUNetwork([2, 2, 1], bias=True), damping=1).number_of_laws()
    0

REFERENCES: [MGP2024]_ (see the references of the documentation).
"""

from sage_conslaws.laws.count import count_conservation_laws
from sage_conslaws.dynamics.gradient import FlowLawCount
from sage_conslaws.dynamics.phase_space import MomentumFlow


def drift_invariants(model, flow="momentum", damping=None):
    r"""
    Return the invariants of the drift of a momentum flow of ``model``.

    Every conservation law of the momentum flow is locally a function of them;
    see :meth:`~sage_conslaws.dynamics.phase_space.MomentumFlow.drift_invariants`.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
    - ``flow``, ``damping`` -- as for :class:`~sage_conslaws.dynamics.phase_space.MomentumFlow`

    OUTPUT: a list of ``(name, polynomial)`` pairs on the phase space

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.dynamics import drift_invariants
        sage: drift_invariants(LinearNetwork([1, 1, 1]), flow="nesterov")
        [('w1_0_0 + t v_w1_0_0/2', 1/2*t*v_w1_0_0 + w1_0_0),
         ('w2_0_0 + t v_w2_0_0/2', 1/2*t*v_w2_0_0 + w2_0_0),
         ('t^3 v_w1_0_0', t^3*v_w1_0_0),
         ('t^3 v_w2_0_0', t^3*v_w2_0_0)]
    """
    return MomentumFlow(model, flow=flow, damping=damping).drift_invariants()


def momentum_count(model, flow="momentum", damping=None, metric=None, weight_decay=None,
                   **options):
    r"""
    Return the number of conservation laws of a momentum flow of ``model``, with a certificate.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
    - ``flow``, ``damping``, ``metric``, ``weight_decay`` -- as for
      :class:`~sage_conslaws.dynamics.phase_space.MomentumFlow`
    - ``options`` -- passed to
      :func:`~sage_conslaws.laws.count.count_conservation_laws` (``seed``,
      ``degree``, ``laws``, ``discover``, ``budget``, ``verification_points``,
      ``progress``); laws are
      polynomials on the phase space (:meth:`~sage_conslaws.dynamics.phase_space.MomentumFlow.ring`)

    OUTPUT: a :class:`~sage_conslaws.dynamics.gradient.FlowLawCount` whose
    laws are functions of ``(s or t, theta, v)``

    EXAMPLES::

        sage: from sage_conslaws import ICNN, NMF
        sage: from sage_conslaws.dynamics import momentum_count
        sage: r = momentum_count(NMF(2, 2, 2), damping=1); r
        heavy-ball momentum flow (damping 1, entropic metric) of NMF(2, 2, 2) with 8 parameters, on R^17: 0 independent conservation laws (certified); there is no conservation law
        sage: r.as_dict()['ambient_dimension']
        17
        sage: momentum_count(ICNN(2, 2, 1, bias=True), flow="nesterov").number_of_laws()
        0
    """
    system = MomentumFlow(model, flow=flow, damping=damping, metric=metric,
                          weight_decay=weight_decay)
    count = count_conservation_laws(system, **options)
    return FlowLawCount(count, model, flow, system.metric(),
                        damping="3/t" if flow == "nesterov" else system.damping(),
                        weight_decay=system.weight_decay())
