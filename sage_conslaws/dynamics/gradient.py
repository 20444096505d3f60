r"""
Counts of conservation laws for a named flow, and gradient flows under a metric

:class:`FlowLawCount` is a :class:`~sage_conslaws.laws.result.ConservationLawCount`
that also says which flow was analysed and in which space: the parameter space
`\RR^D` for gradient flows, the phase space `\RR^{2D+1}` for momentum flows
(:mod:`sage_conslaws.dynamics.momentum`). :func:`gradient_flow_count` counts the
laws of the gradient flow under a named metric, with the laws known for that
metric (and only those) as upper-bound certificate.

EXAMPLES::

    sage: from sage_conslaws import NMF
    sage: from sage_conslaws.dynamics import gradient_flow_count
    sage: r = gradient_flow_count(NMF(2, 3, 2)); r
    gradient flow (entropic metric) of NMF(2, 3, 2) with 12 parameters: 3 independent conservation laws (certified); the 3 known laws are all the laws
    sage: r.laws()[0]
    ('sum U[:,0] - sum V[0,:]', U_0_0 + U_1_0 - V_0_0 - V_0_1)
"""
from sage_conslaws.laws.result import ConservationLawCount, number_phrase
from sage_conslaws.laws.count import count_conservation_laws
from sage_conslaws.fields.metrics import metric_name, resolve_metric
from sage_conslaws.dynamics.weight_decay import check_homogeneous, check_weight_decay


class FlowLawCount(ConservationLawCount):
    r"""
    The number of conservation laws of a flow of a model, the laws found, and the proof.

    It has the interface of :class:`~sage_conslaws.laws.result.ConservationLawCount`;
    :meth:`model` is the model trained, :meth:`parameters` its number `D` of
    parameters, :meth:`ambient_dimension` the dimension of the space where the
    laws live (`D`, or `2D + 1` for momentum flows), and :meth:`number_of_laws`
    is :meth:`ambient_dimension` minus :meth:`lie_dimension`.

    Do not build it directly; call :func:`gradient_flow_count` or
    :func:`~sage_conslaws.dynamics.momentum.momentum_count`.

    INPUT:

    - ``count`` -- the :class:`~sage_conslaws.laws.result.ConservationLawCount`
      of the system analysed
    - ``model`` -- the model trained
    - ``flow`` -- ``"gradient"``, ``"momentum"`` or ``"nesterov"``
    - ``metric`` -- the metric name
    - ``damping`` -- (default: ``None``) the constant damping `\tau` of a
      momentum flow

    EXAMPLES::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.dynamics import gradient_flow_count
        sage: r = gradient_flow_count(ReLUNetwork([1, 1, 1]))
        sage: d = r.as_dict()
        sage: d['flow'], d['metric'], d['parameters'], d['ambient_dimension'], d['laws']
        ('gradient', 'euclidean', 2, 2, 1)

    TESTS:

    The mode of the count is kept (it was always ``False``)::

        sage: d['discover'], gradient_flow_count(ReLUNetwork([1, 1, 1]), discover=True).as_dict()['discover']
        (False, True)
    """

    def __init__(self, count, model, flow, metric, damping=None, weight_decay=None):
        ConservationLawCount.__init__(self, count._model, count._closure, count._certificate,
                                      count._held_laws(), count._known, count._seconds,
                                      discover=count._discover)
        self._trained = model
        self._flow = flow
        self._metric = metric
        self._damping = damping
        self._weight_decay = weight_decay

    def model(self):
        r"""
        Return the model trained.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import momentum_count
            sage: momentum_count(LinearNetwork([1, 1, 1])).model()
            LinearNetwork([1, 1, 1]) with 2 parameters
        """
        return self._trained

    def system(self):
        r"""
        Return the system whose fields were closed: the model, or its phase-space lift.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import momentum_count
            sage: momentum_count(LinearNetwork([1, 1, 1])).system()
            undamped momentum flow (euclidean metric) of LinearNetwork([1, 1, 1]) with 2 parameters, on R^5
        """
        return self._model

    def parameters(self):
        r"""
        Return the number `D` of parameters of the model trained.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import momentum_count
            sage: momentum_count(LinearNetwork([1, 1, 1])).parameters()
            2
        """
        return self._trained.dimension()

    def ambient_dimension(self):
        r"""
        Return the dimension of the space of the laws: `D`, or `2D + 1` in phase space.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import momentum_count
            sage: momentum_count(LinearNetwork([1, 1, 1])).ambient_dimension()
            5
        """
        return self._model.dimension()

    def number_of_laws(self):
        r"""
        Return the number of independent conservation laws, ambient dimension minus `\dim \mathrm{Lie}`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import momentum_count
            sage: momentum_count(LinearNetwork([2, 3, 1])).number_of_laws()
            3
        """
        return self.ambient_dimension() - self.lie_dimension()

    def flow(self):
        r"""
        Return the flow: ``"gradient"``, ``"momentum"`` or ``"nesterov"``.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import gradient_flow_count
            sage: gradient_flow_count(LinearNetwork([1, 1, 1])).flow()
            'gradient'
        """
        return self._flow

    def metric(self):
        r"""
        Return the name of the metric.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: from sage_conslaws.dynamics import gradient_flow_count
            sage: gradient_flow_count(NMF(1, 1, 1)).metric()
            'entropic'
        """
        return self._metric

    def damping(self):
        r"""
        Return the constant damping `\tau` of a momentum flow (``None`` otherwise).

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import momentum_count
            sage: momentum_count(LinearNetwork([1, 1, 1]), damping=1/2).damping()
            1/2
        """
        return self._damping

    def weight_decay(self):
        r"""
        Return the weight decay `\lambda` of the flow (``None`` without).

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import flow_count
            sage: flow_count(LinearNetwork([1, 1, 1]), weight_decay="0.5").weight_decay()
            1/2
        """
        return self._weight_decay

    def as_dict(self):
        r"""
        Return the result as a dictionary of plain Python values (for JSON).

        It adds ``flow``, ``metric``, ``damping`` (a string, or ``None``) and
        ``ambient_dimension`` to
        :meth:`ConservationLawCount.as_dict() <sage_conslaws.laws.result.ConservationLawCount.as_dict>`;
        ``model`` and ``parameters`` are those of the model trained.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import momentum_count
            sage: d = momentum_count(LinearNetwork([2, 2, 1]), damping=1).as_dict()
            sage: d['flow'], d['damping'], d['parameters'], d['ambient_dimension'], d['laws']
            ('momentum', '1', 6, 13, 1)
        """
        result = ConservationLawCount.as_dict(self)
        result.update({
            "model": repr(self._trained),
            "flow": self._flow,
            "metric": self._metric,
            "damping": None if self._damping is None else str(self._damping),
            "weight_decay": None if self._weight_decay is None else str(self._weight_decay),
            "ambient_dimension": int(self.ambient_dimension()),
        })
        return result

    def laws_in_user_terms(self):
        r"""
        Return the laws found as ``(name, text)`` pairs, in the user's terms.

        For a momentum flow, the time is `t` and the velocities are written
        ``<name>'`` (see
        :meth:`MomentumFlow.in_user_terms() <sage_conslaws.dynamics.phase_space.MomentumFlow.in_user_terms>`);
        for a gradient flow, the laws are printed as they are.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import gradient_flow_count, momentum_count
            sage: momentum_count(LinearNetwork([2, 2, 1]), damping=1).laws_in_user_terms()
            [('momentum W1 [0,1]',
              "exp(t)*(-w1_1_0*w1_0_0' - w1_1_1*w1_0_1' + w1_0_0*w1_1_0' + w1_0_1*w1_1_1' - w2_0_1*w2_0_0' + w2_0_0*w2_0_1')")]
            sage: gradient_flow_count(LinearNetwork([1, 1, 1])).laws_in_user_terms()
            [('W1 W1^T - W2^T W2 [0,0]', 'w1_0_0^2 - w2_0_0^2')]
        """
        if self._model is self._trained:
            from sage_conslaws.dynamics.weight_decay import decayed
            return [(name, decayed(h, self._weight_decay)) for name, h in self.laws()]
        return [(name, self._model.in_user_terms(h)) for name, h in self.laws()]

    def report(self):
        r"""
        Return the report of :meth:`ConservationLawCount.report() <sage_conslaws.laws.result.ConservationLawCount.report>`, with the weight decay of a gradient flow.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import flow_count
            sage: print(flow_count(LinearNetwork([1, 1, 1]), weight_decay=1).report())
            LinearNetwork([1, 1, 1]) with 2 parameters
              flow                  : gradient flow with weight decay 1: its laws are h(exp(t)*theta), h a law without decay (an exact reduction: phi has homogeneous components)
            ...
                W1 W1^T - W2^T W2 [0,0]: exp(2*t)*(w1_0_0^2 - w2_0_0^2)
            ...
        """
        lines = ConservationLawCount.report(self).split("\n")
        lam = self._weight_decay
        if self._model is self._trained and lam:
            lines.insert(1, f"  flow                  : gradient flow with weight decay {lam}: its "
                         f"laws are h({'exp(t)' if lam == 1 else f'exp({lam}*t)'}*theta), "
                         "h a law without decay (an exact reduction: phi has homogeneous "
                         "components)")
        return "\n".join(lines)

    def _law_lines(self):
        if self._number_found() and self._model is self._trained and self._weight_decay:
            return ["(in the time t)"] + [f"{name}: {text}"
                                          for name, text in self.laws_in_user_terms()]
        if self._model is self._trained or not self._number_found():
            return ConservationLawCount._law_lines(self)
        return (["(in the time t, the parameters x and their velocities x' = dx/dt)"]
                + [f"{name}: {text}" for name, text in self.laws_in_user_terms()])

    def _repr_(self):
        status = self.status_label()
        decay = f", weight decay {self._weight_decay}" if self._weight_decay else ""
        system = (f"gradient flow ({self._metric} metric{decay}) of {self._trained!r}"
                  if self._model is self._trained else repr(self._model))
        return (f"{system}: {number_phrase(self.number_of_laws(), 'independent conservation law')} "
                f"({status}); {self.verdict()}")


def gradient_flow_count(model, metric=None, weight_decay=None, **options):
    r"""
    Return the number of conservation laws of the gradient flow of ``model`` under ``metric``.

    The flow is `\dot\theta = -M(\theta)^{-1}\nabla E(\theta)`; the count uses
    the laws the model knows *for this metric*
    (:meth:`~sage_conslaws.models.base.Model.known_laws_under`) as
    upper-bound certificate.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
    - ``metric`` -- (default: the model's
      :meth:`~sage_conslaws.models.base.Model.default_metric`) one of
      :data:`~sage_conslaws.fields.metrics.METRICS`
    - ``weight_decay`` -- (default: ``None``) a weight decay `\lambda \ge 0`,
      under the Euclidean metric, for a model whose `\phi` has homogeneous
      components: the laws are then the `h(e^{\lambda t}\theta)` (see
      :mod:`~sage_conslaws.dynamics.weight_decay`)
    - ``options`` -- passed to
      :func:`~sage_conslaws.laws.count.count_conservation_laws` (``seed``,
      ``degree``, ``laws``, ``discover``, ``budget``, ``verification_points``,
      ``progress``)

    OUTPUT: a :class:`FlowLawCount`

    EXAMPLES:

    ICNN: one law per hidden neuron under the mirror geometry on `U`, as
    under the Euclidean metric, but not the same laws::

        sage: from sage_conslaws import ICNN
        sage: from sage_conslaws.dynamics import gradient_flow_count
        sage: N = ICNN(2, 3, 2)
        sage: [gradient_flow_count(N, metric=m).number_of_laws() for m in ("entropic", "euclidean")]
        [3, 3]
        sage: gradient_flow_count(N).laws()[0]
        ('neuron 0', -1/2*V_0_0^2 - 1/2*V_0_1^2 + U_0_0 + U_1_0)

    A natural-gradient flow with a rational metric given by the user::

        sage: from sage_conslaws import LinearNetwork
        sage: L = LinearNetwork([1, 1, 1]); x, y = L.parameters()
        sage: gradient_flow_count(L, metric=[[1 + x^2, 0], [0, 1 + y^2]])
        gradient flow (user-given metric) of LinearNetwork([1, 1, 1]) with 2 parameters: 1 independent conservation law (certified); there is 1 law, none known in closed form
        sage: gradient_flow_count(L, metric=[[x, x], [x, x]])
        Traceback (most recent call last):
        ...
        ValueError: the metric is singular: its determinant vanishes identically

    TESTS::

        sage: gradient_flow_count(N, metric="fisher")
        Traceback (most recent call last):
        ...
        ValueError: unknown metric 'fisher'; known metrics: euclidean, entropic
    """
    # the Euclidean count needs no inverse metric (nor the ring it would be a matrix over)
    name = metric_name(model, metric)
    inverse = None if name == "euclidean" else resolve_metric(model, metric)[1]
    metric = name
    weight_decay = check_weight_decay(weight_decay) or None  # a decay of 0 is none
    if weight_decay is not None:
        if metric != "euclidean":
            raise ValueError("weight decay is supported under the Euclidean metric only, "
                             f"got the {metric} metric")
        check_homogeneous(model)
    laws = list(options.pop("laws", ()))
    if metric == "euclidean":
        count = count_conservation_laws(model, laws=laws, **options)
    else:
        # the engine uses model.known_laws() for the Euclidean metric only: pass ours
        if not options.get("discover"):
            laws = model.known_laws_under(metric) + laws
        count = count_conservation_laws(model, metric_inverse=inverse, laws=laws, **options)
    return FlowLawCount(count, model, "gradient", metric, weight_decay=weight_decay)
