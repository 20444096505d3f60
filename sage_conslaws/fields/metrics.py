r"""
Metrics of natural-gradient and mirror flows

The gradient flow of a model under a metric `M(\theta)` is
`\dot\theta = -M(\theta)^{-1} \nabla E(\theta)`; its conservation laws are the
functions conserved through the fields `M(\theta)^{-1} \nabla \phi_j`
(see :func:`~sage_conslaws.fields.gradient.gradient_fields`). The functions of
this module return the *inverse* metric `M(\theta)^{-1}` as a diagonal matrix
over the ring of the parameters:

- :func:`euclidean`: `M = I`;
- :func:`entropic`: the mirror flow of the entropy
  `\Phi(\theta) = \sum_i \theta_i \log \theta_i` on the non-negative
  parameters of the model (:meth:`~sage_conslaws.models.base.Model.mirror_parameters`),
  Euclidean on the others: `M^{-1} = \mathrm{diag}(\theta_i)` there;
- :func:`partial_mirror`: the same on any chosen subset of the parameters.

Metrics are named by the strings of :data:`METRICS`; :func:`inverse_metric`
turns a name into its matrix for a model. A natural-gradient flow with any
rational metric `M(\theta)` given by the user is checked and inverted by
:func:`natural_gradient`; :func:`resolve_metric` accepts either.

EXAMPLES::

    sage: from sage_conslaws import LinearNetwork
    sage: from sage_conslaws.fields.metrics import entropic, inverse_metric
    sage: N = LinearNetwork([1, 1, 1])
    sage: entropic(N)
    [w1_0_0      0]
    [     0 w2_0_0]
    sage: inverse_metric(N, "euclidean")
    [1 0]
    [0 1]
"""
from sage.matrix.constructor import diagonal_matrix
from sage.matrix.special import identity_matrix

from sage_conslaws.fields.gradient import as_matrix

#: The names of the metrics known by :func:`inverse_metric`.
METRICS = ("euclidean", "entropic")


def euclidean(model):
    r"""
    Return the identity matrix: the inverse of the Euclidean metric.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.fields.metrics import euclidean
        sage: euclidean(LinearNetwork([1, 1, 1]))
        [1 0]
        [0 1]
    """
    # sparse: the dense identity of ReLUNetwork([100, 100, 100, 100]) (D = 30000) took 34 s
    # and 7 GB, for a matrix the Euclidean count never reads
    return identity_matrix(model.ring(), model.dimension(), sparse=True)


def partial_mirror(model, parameters):
    r"""
    Return the inverse metric of the entropic mirror geometry on ``parameters`` only.

    It is `\mathrm{diag}(m_1, \ldots, m_D)` with `m_i = \theta_i` for the
    parameters listed and `m_i = 1` for the others (Euclidean there): the
    flow `\dot\theta = -M^{-1}\nabla E` is the mirror flow of
    `\sum_{i \text{ listed}} \theta_i \log \theta_i + \sum_{\text{others}} \theta_i^2/2`.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
    - ``parameters`` -- a list of variables of ``model.ring()``

    OUTPUT: a diagonal `D \times D` matrix over ``model.ring()``

    EXAMPLES::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.fields.metrics import partial_mirror
        sage: N = ReLUNetwork([1, 1, 1], bias=True)
        sage: w1, b1, w2 = N.parameters()
        sage: partial_mirror(N, [w2])
        [     1      0      0]
        [     0      1      0]
        [     0      0 w2_0_0]

    TESTS::

        sage: partial_mirror(N, [w2^2])
        Traceback (most recent call last):
        ...
        ValueError: a mirror geometry applies to parameters of the model, got w2_0_0^2
    """
    gens = model.parameters()
    chosen = set()
    for p in parameters:
        if p not in gens:
            raise ValueError(f"a mirror geometry applies to parameters of the model, got {p}")
        chosen.add(gens.index(p))
    one = model.ring().one()
    return diagonal_matrix(model.ring(), [g if i in chosen else one for i, g in enumerate(gens)])


def entropic(model):
    r"""
    Return the inverse metric of the entropic mirror geometry of ``model``.

    It is :func:`partial_mirror` on
    :meth:`~sage_conslaws.models.base.Model.mirror_parameters`: all
    parameters for NMF, the outer layer `U` only for an ICNN.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`

    EXAMPLES::

        sage: from sage_conslaws import ICNN, NMF
        sage: from sage_conslaws.fields.metrics import entropic
        sage: entropic(NMF(1, 1, 1))
        [U_0_0     0]
        [    0 V_0_0]
        sage: entropic(ICNN(1, 1, 1)).diagonal()
        [U_0_0, 1]
    """
    return partial_mirror(model, model.mirror_parameters())


def check_metric(metric):
    r"""
    Return ``metric`` if it names a known metric, else raise a clear error.

    INPUT:

    - ``metric`` -- a string

    EXAMPLES::

        sage: from sage_conslaws.fields.metrics import check_metric
        sage: check_metric("entropic")
        'entropic'

    TESTS::

        sage: check_metric("fisher")
        Traceback (most recent call last):
        ...
        ValueError: unknown metric 'fisher'; known metrics: euclidean, entropic
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; known metrics: {', '.join(METRICS)}")
    return metric


def inverse_metric(model, metric=None):
    r"""
    Return the inverse metric called ``metric`` for ``model``.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
    - ``metric`` -- (default: the model's
      :meth:`~sage_conslaws.models.base.Model.default_metric`) one of
      :data:`METRICS`

    OUTPUT: a `D \times D` matrix over ``model.ring()``

    EXAMPLES::

        sage: from sage_conslaws import NMF
        sage: from sage_conslaws.fields.metrics import inverse_metric
        sage: inverse_metric(NMF(1, 1, 1))
        [U_0_0     0]
        [    0 V_0_0]
    """
    metric = check_metric(model.default_metric() if metric is None else metric)
    return euclidean(model) if metric == "euclidean" else entropic(model)


#: The name under which a metric given as a matrix is reported.
USER_METRIC = "user-given"


def natural_gradient(model, metric):
    r"""
    Return the inverse of a metric `M(\theta)` given by the user, after checking it.

    The natural-gradient flow is `\dot\theta = -M(\theta)^{-1}\nabla E(\theta)`.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
    - ``metric`` -- the metric `M`: a symmetric `D \times D` matrix (or list of
      rows) of rational functions of the parameters, invertible as such

    OUTPUT: `M^{-1}`, over the fraction field of ``model.ring()``

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.fields.metrics import natural_gradient
        sage: N = LinearNetwork([1, 1, 1]); x, y = N.parameters()
        sage: natural_gradient(N, [[1 + x^2, 0], [0, 1/y]])
        [1/(w1_0_0^2 + 1)               0]
        [              0          w2_0_0]

    TESTS::

        sage: natural_gradient(N, [[x, x], [x, x]])
        Traceback (most recent call last):
        ...
        ValueError: the metric is singular: its determinant vanishes identically
        sage: natural_gradient(N, [[1, x], [0, 1]])
        Traceback (most recent call last):
        ...
        ValueError: the metric must be symmetric
        sage: natural_gradient(N, [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
        Traceback (most recent call last):
        ...
        ValueError: the metric must be a 2 x 2 matrix, got 3 x 3
        sage: natural_gradient(N, [[0.5, 0], [0, 1]])
        Traceback (most recent call last):
        ...
        TypeError: the metric must have rational entries, not floating-point ones (write 1/2, not 0.5)
        sage: import sympy
        sage: natural_gradient(N, [[sympy.sqrt(2), 0], [0, 1]])
        Traceback (most recent call last):
        ...
        TypeError: the metric must be a square matrix of rational functions in w1_0_0, w2_0_0
    """
    M = as_matrix(metric, model.ring(), "the metric")
    D = model.dimension()
    if (M.nrows(), M.ncols()) != (D, D):
        raise ValueError(f"the metric must be a {D} x {D} matrix, got {M.nrows()} x {M.ncols()}")
    if M != M.transpose():
        raise ValueError("the metric must be symmetric")
    if M.det().is_zero():
        raise ValueError("the metric is singular: its determinant vanishes identically")
    return M.inverse()


def metric_name(model, metric=None):
    r"""
    Return the name of a metric given by name or as a matrix, without building it.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
    - ``metric`` -- (default: the model's default) a name of :data:`METRICS`,
      or a matrix `M`

    OUTPUT: the checked name, or :data:`USER_METRIC` for a matrix

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork, NMF
        sage: from sage_conslaws.fields.metrics import metric_name
        sage: metric_name(NMF(1, 1, 1)), metric_name(LinearNetwork([1, 20000, 1]))
        ('entropic', 'euclidean')
        sage: metric_name(NMF(1, 1, 1), [[1, 0], [0, 1]])
        'user-given'
    """
    if metric is None:
        metric = model.default_metric()
    return check_metric(metric) if isinstance(metric, str) else USER_METRIC


def resolve_metric(model, metric=None):
    r"""
    Return the name and the inverse matrix of a metric given by name or as a matrix.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
    - ``metric`` -- (default: the model's default) a name of :data:`METRICS`,
      or a matrix `M` (see :func:`natural_gradient`)

    OUTPUT: a pair ``(name, inverse)``; the name of a matrix is :data:`USER_METRIC`

    EXAMPLES::

        sage: from sage_conslaws import NMF
        sage: from sage_conslaws.fields.metrics import resolve_metric
        sage: resolve_metric(NMF(1, 1, 1))
        (
                    [U_0_0     0]
        'entropic', [    0 V_0_0]
        )
        sage: resolve_metric(NMF(1, 1, 1), [[2, 0], [0, 2]])[0]
        'user-given'
    """
    name = metric_name(model, metric)
    if name == USER_METRIC:
        return name, natural_gradient(model, metric)
    return name, inverse_metric(model, name)
