r"""
Choosing a flow by name

EXAMPLES::

    sage: from sage_conslaws import LinearNetwork
    sage: from sage_conslaws.dynamics import flow_count
    sage: N = LinearNetwork([2, 3, 1])
    sage: [flow_count(N, flow).number_of_laws() for flow in ("gradient", "momentum", "nesterov")]
    [6, 3, 3]
"""
from sage_conslaws.fields.metrics import check_metric
from sage_conslaws.dynamics.gradient import gradient_flow_count
from sage_conslaws.dynamics.phase_space import check_momentum_damping
from sage_conslaws.dynamics.momentum import momentum_count
from sage_conslaws.dynamics.ode import FLOWS
from sage_conslaws.dynamics.weight_decay import check_weight_decay


def flow_count(model, flow="gradient", damping=None, metric=None, weight_decay=None, **options):
    r"""
    Return the number of conservation laws of the flow called ``flow`` of ``model``.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
    - ``flow`` -- (default: ``"gradient"``) one of
      :data:`~sage_conslaws.dynamics.ode.FLOWS`: ``"gradient"``,
      ``"momentum"`` (constant damping) or ``"nesterov"`` (damping `3/t`)
    - ``damping`` -- (default: ``None``) the constant damping `\tau \ge 0` of
      the ``"momentum"`` flow (``None`` is 0, the undamped flow); only for it
    - ``metric`` -- (default: the model's
      :meth:`~sage_conslaws.models.base.Model.default_metric`) one of
      :data:`~sage_conslaws.fields.metrics.METRICS`, or a rational metric `M(\theta)`
      as a matrix (see :func:`~sage_conslaws.fields.metrics.natural_gradient`)
    - ``weight_decay`` -- (default: ``None``) a weight decay `\lambda \ge 0`,
      under the Euclidean metric (see :mod:`~sage_conslaws.dynamics.weight_decay`)
    - ``options`` -- passed to
      :func:`~sage_conslaws.laws.count.count_conservation_laws`

    OUTPUT: a :class:`~sage_conslaws.dynamics.gradient.FlowLawCount`, from
    :func:`~sage_conslaws.dynamics.gradient.gradient_flow_count` or
    :func:`~sage_conslaws.dynamics.momentum.momentum_count`

    EXAMPLES::

        sage: from sage_conslaws import NMF
        sage: from sage_conslaws.dynamics import flow_count
        sage: flow_count(NMF(2, 2, 2), "momentum", damping="1/2").as_dict()["laws"]
        0

    TESTS::

        sage: flow_count(NMF(2, 2, 2), "adam")
        Traceback (most recent call last):
        ...
        ValueError: unknown flow 'adam'; known flows: gradient, momentum, nesterov
        sage: flow_count(NMF(2, 2, 2), damping=1)
        Traceback (most recent call last):
        ...
        ValueError: a damping applies to the momentum flow only
    """
    check_flow_options(flow, damping, metric, weight_decay)
    if flow == "gradient":
        return gradient_flow_count(model, metric=metric, weight_decay=weight_decay, **options)
    return momentum_count(model, flow=flow, damping=damping, metric=metric,
                          weight_decay=weight_decay, **options)


def check_flow_options(flow, damping=None, metric=None, weight_decay=None):
    r"""
    Raise a clear error unless ``flow``, ``damping`` and ``metric`` make a valid flow.

    INPUT: as for :func:`flow_count`

    EXAMPLES::

        sage: from sage_conslaws.dynamics.flows import check_flow_options
        sage: check_flow_options("momentum", "1/2", "entropic")

    TESTS::

        sage: check_flow_options("momentum", "-1")
        Traceback (most recent call last):
        ...
        ValueError: the damping must be a non-negative rational number, got '-1'
        sage: check_flow_options("nesterov", "1")
        Traceback (most recent call last):
        ...
        ValueError: the Nesterov flow has the damping 3/t; do not give a damping
        sage: check_flow_options("gradient", metric="hyperbolic")
        Traceback (most recent call last):
        ...
        ValueError: unknown metric 'hyperbolic'; known metrics: euclidean, entropic
    """
    if flow not in FLOWS:
        raise ValueError(f"unknown flow {flow!r}; known flows: {', '.join(FLOWS)}")
    if flow == "gradient":
        if damping is not None:
            raise ValueError("a damping applies to the momentum flow only")
    else:
        check_momentum_damping(flow, damping)
    if isinstance(metric, str):
        check_metric(metric)
    check_weight_decay(weight_decay)
