r"""
Models: the base class of every architecture

A model is a polynomial map `\phi: \RR^D \to \RR^d` (the reparametrization) on
a polynomial ring whose variables are the `D` parameters. Every gradient of a
training loss of the model lies in the span of the fields `\nabla \phi_j`
(see [MGP2023]_), so the conservation laws of its gradient flow, for every
data set and loss, are the functions conserved through those fields.

To add an architecture, subclass :class:`Model`, build the ring of parameters
in ``__init__`` and implement :meth:`Model.reparametrization`; optionally
:meth:`Model.known_laws` (the laws you expect, which then serve as a proven
upper bound and as readable output). See the how-to in the documentation.

EXAMPLES::

    sage: from sage.rings.rational_field import QQ
    sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    sage: from sage_conslaws import Model
    sage: class Monomial(Model):
    ....:     def __init__(self, D):
    ....:         Model.__init__(self, PolynomialRing(QQ, 'x', D))
    ....:     def reparametrization(self):
    ....:         return [self.ring().prod(self.parameters())]
    sage: M = Monomial(3); M
    Monomial model with 3 parameters
    sage: M.fields()
    [(x1*x2, x0*x2, x0*x1)]
"""
from copy import copy

from sage.misc.cachefunc import cached_method
from sage.rings.rational_field import QQ
from sage.structure.sage_object import SageObject
from sage.misc.weak_dict import WeakValueDictionary
from sage.structure.unique_representation import UniqueRepresentation, WithPicklingByInitArgs

from sage_conslaws.fields.gradient import gradient_fields
from sage_conslaws.models.rings import RingBeyondReach


#: The models built so far, by their typed arguments (see ``Model.__classcall__``).
_MODELS = WeakValueDictionary()

def symmetric_entries(name, S):
    r"""
    Return the entries on and above the diagonal of the symmetric matrix ``S``, each named ``name [i,j]``.

    The form in which models give the laws that a matrix identity holds
    (`U^T U - V V^T`, `W_1 W_1^T - W_2^T W_2`, ...).

    EXAMPLES::

        sage: from sage.matrix.constructor import matrix
        sage: from sage_conslaws.models.base import symmetric_entries
        sage: symmetric_entries("S", matrix(QQ, [[1, 2], [2, 3]]))
        [('S [0,0]', 1), ('S [0,1]', 2), ('S [1,1]', 3)]
    """
    return [(f"{name} [{i},{j}]", S[i, j]) for i in range(S.nrows()) for j in range(i, S.ncols())]


class Model(UniqueRepresentation, SageObject):
    r"""
    Base class of models reparametrized by a polynomial map `\phi`.

    Models are unique: equal inputs give the same object (lists are read as
    tuples, matrices made immutable), so results computed once per model
    (``@cached_method``) are shared, and a model pickles to a worker process.

    INPUT:

    - ``ring`` -- a multivariate polynomial ring over `\QQ` whose variables are
      the parameters of the model

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: N = LinearNetwork([2, 2, 1])
        sage: N.dimension(), N.parameters()
        (6, (w1_0_0, w1_0_1, w1_1_0, w1_1_1, w2_0_0, w2_0_1))
        sage: N is LinearNetwork((2, 2, 1)), loads(dumps(N)) is N
        (True, True)
        sage: TestSuite(N).run()

    A subclass written in a script is unique by its arguments too::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import Model
        sage: class Chain(Model):
        ....:     def __init__(self, widths):
        ....:         Model.__init__(self, PolynomialRing(QQ, 'x', sum(widths)))
        ....:     def reparametrization(self):
        ....:         return [self.ring().prod(self.parameters())]
        sage: Chain([1, 2]) is Chain((1, 2))
        True

    TESTS::

        sage: Chain({1: 2})
        Traceback (most recent call last):
        ...
        TypeError: the arguments of a model must be hashable (numbers, strings, tuples, polynomials, immutable matrices), got {1: 2}
    """

    @staticmethod
    def __classcall__(cls, *args, **options):
        # equal inputs must give the same object: read lists as tuples and
        # matrices as immutable ones. The cache key holds the parent of every
        # Sage element (and the type of anything else): x^2 over QQ[x] equals
        # x^2 over QQ[x, y] in Sage, but they define different models, and
        # UniqueRepresentation's own cache would merge them
        args = tuple(_hashable(a) for a in args)
        options = {k: _hashable(v) for k, v in options.items()}
        key = (cls, _typed(_bound_arguments(cls, args, options)))
        model = _MODELS.get(key)
        if model is None:
            model = WithPicklingByInitArgs.__classcall__(cls, *args, **options)
            _MODELS[key] = model
        return model

    def __init__(self, ring):
        from sage.rings.polynomial.multi_polynomial_ring_base import MPolynomialRing_base
        if not isinstance(ring, RingBeyondReach) and (not isinstance(ring, MPolynomialRing_base)
                                                      or ring.base_ring() is not QQ):
            raise TypeError(f"a model needs a multivariate polynomial ring over QQ, got {ring}")
        self._ring = ring

    def ring(self):
        r"""
        Return the polynomial ring of the parameters.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1]).ring()
            Multivariate Polynomial Ring in w1_0_0, w2_0_0 over Rational Field

        TESTS:

        A model with more parameters than a ring may have variables has none
        (:class:`~sage_conslaws.models.rings.RingBeyondReach`)::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([400, 100, 10]).ring()
            Traceback (most recent call last):
            ...
            BeyondReach: ReLUNetwork([400, 100, 10]) has 41000 parameters, beyond reach: every parameter is a variable of a Singular polynomial ring (at most 32767 parameters)
        """
        if isinstance(self._ring, RingBeyondReach):
            self._ring.refuse()
        return self._ring

    def parameters(self):
        r"""
        Return the parameters (the variables of :meth:`ring`).

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([1, 1, 1], bias=True).parameters()
            (w1_0_0, b1_0, w2_0_0)
        """
        return self.ring().gens()

    def parameter_names(self):
        r"""
        Return the names of the parameters, in order.

        A model without a polynomial ring (a layered network beyond 32767
        parameters) has them too: they write its laws held as quadratic forms
        (:func:`~sage_conslaws.laws.forms.form_text`).

        EXAMPLES::

            sage: from sage_conslaws import PolynomialMap, ReLUNetwork
            sage: PolynomialMap(["x*y"]).parameter_names()
            ('x', 'y')
            sage: ReLUNetwork([300, 200, 10]).parameter_names()[-1]
            'w2_9_199'
        """
        return self.ring().variable_names()

    @cached_method
    def parameter_index(self):
        r"""
        Return the position of each parameter in :meth:`parameters`, as a dictionary.

        What maps a matrix of parameters to positions in a parameter vector
        (float64 training, symmetry generators, weight sharing).

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: N = ReLUNetwork([1, 1, 1], bias=True); b = N.parameters()[1]
            sage: N.parameter_index()[b]
            1
        """
        return {x: k for k, x in enumerate(self.parameters())}

    def dimension(self):
        r"""
        Return the number `D` of parameters.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([3, 4, 2], bias=True).dimension()
            24
        """
        return self._ring.ngens()

    def reparametrization(self):
        r"""
        Return the polynomial map `\phi` as a list of polynomials.

        Subclasses must implement this.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import Model
            sage: Model(PolynomialRing(QQ, 'x', 2)).reparametrization()
            Traceback (most recent call last):
            ...
            NotImplementedError: Model must implement reparametrization()
        """
        raise NotImplementedError(f"{type(self).__name__} must implement reparametrization()")

    def check_within_reach(self):
        r"""
        Raise :class:`~sage_conslaws.limits.BeyondReach` (a ``ValueError``) if :meth:`reparametrization` is too large to compute.

        A model is a light description (its parameters, its known laws and
        symmetries, its float64 training); only the exact engine needs
        `\phi`, whose size can explode (one path product per path of a
        network). Architectures whose `\phi` can be huge override this with
        :func:`~sage_conslaws.limits.check_reparametrization`, which computes
        the sizes from the widths, and call it at the start of
        :meth:`reparametrization`. The default accepts every model.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: N = ReLUNetwork([100, 100, 100, 100]); N.dimension()
            30000
            sage: N.check_within_reach()
            Traceback (most recent call last):
            ...
            BeyondReach: ReLUNetwork([100, 100, 100, 100]): phi has up to 100000000 terms of degree 3 in 30000 variables; with its gradient it takes about 48080000 MB, beyond reach: Singular stores all exponents of every term (at most 2000 MB)
        """

    def fields(self, metric_inverse=None):
        r"""
        Return the fields `M^{-1} \nabla \phi_j` whose span contains every loss gradient.

        INPUT:

        - ``metric_inverse`` -- (default: ``None``, Euclidean) the inverse
          `M(\theta)^{-1}` of a metric, as a `D \times D` matrix

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1]).fields()
            [(w2_0_0, w1_0_0)]
        """
        if metric_inverse is not None:
            return gradient_fields(self.reparametrization(), self.ring(),
                                   metric_inverse=metric_inverse)
        return list(self._euclidean_fields())

    @cached_method
    def _euclidean_fields(self):
        # models are immutable and the Euclidean fields are asked for again and
        # again (counts, law checks, Noether cross-checks): compute them once
        return tuple(gradient_fields(self.reparametrization(), self.ring()))

    def structured_family(self):
        r"""
        Return the generator fields evaluated by the model's structure, or ``None`` (the default).

        A model built from layers returns a
        :class:`~sage_conslaws.structured.brackets.StructuredFamily`, which
        the structured path of a count evaluates modulo a prime with no
        polynomial per component of `\phi`
        (:mod:`sage_conslaws.structured`).

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: NMF(2, 2, 2).structured_family() is None
            True
        """
        return None

    @cached_method(key=lambda self, progress=None: None)
    def symmetry_algebra(self, progress=None):
        r"""
        Return the Lie algebra of linear symmetries of `\phi`, solved once per model.

        See :func:`~sage_conslaws.symmetries.solve.linear_symmetries`.

        INPUT:

        - ``progress`` -- (default: ``None``) a
          :class:`~sage_conslaws.interface.progress.Progress` for the first computation

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: N = LinearNetwork([1, 2, 1])
            sage: N.symmetry_algebra().dimension()
            6
            sage: N.symmetry_algebra() is N.symmetry_algebra()
            True
        """
        from sage_conslaws.symmetries.solve import solve_linear_symmetries
        return solve_linear_symmetries(self, progress)

    @cached_method
    def tracked_laws(self, metric="euclidean", proof_seconds=None):
        r"""
        Return the laws a training run tracks: every law the engine finds under ``metric``.

        Computed once per model, metric and time limit of the exact count; see
        :func:`~sage_conslaws.training.laws.tracked_laws`.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: NMF(3, 2, 3).tracked_laws("entropic")
            2 laws of the entropic gradient flow (certified: all the laws)
        """
        from sage_conslaws.training.laws import engine_laws
        return engine_laws(self, metric, proof_seconds)

    def weight_indices(self):
        r"""
        Return the layer structure of a layered network, or ``None`` for other models.

        Layered networks (see
        :class:`~sage_conslaws.models.layered.LayeredNetwork`) return
        where each weight `W_l[i, j]` and bias `b_l[i]` sits among the
        parameters (see
        :func:`~sage_conslaws.models.widths.parameter_indices`); the
        symmetry solver names the rescalings and mixings of neurons from it.
        Any other model, whatever its variable names, returns ``None``.

        EXAMPLES::

            sage: from sage_conslaws import PolynomialMap, ReLUNetwork
            sage: ReLUNetwork([1, 1, 1], bias=True).weight_indices()
            ({(1, 0, 0): 0, (2, 0, 0): 2}, {(1, 0): 1})
            sage: PolynomialMap(["w1_0_0*w2_0_0 + w1_1_1"]).weight_indices() is None
            True
        """
        return None

    def linear_factors(self):
        r"""
        Return the matrices `W_1, \ldots, W_L` if `\phi` is the product `W_L \cdots W_1`, else ``None``.

        The momentum flows of such products have laws in closed form (see
        :meth:`~sage_conslaws.dynamics.phase_space.MomentumFlow.law_matrices`).
        Linear networks without biases and NMF say so; the default is ``None``.

        EXAMPLES::

            sage: from sage_conslaws import NMF, PolynomialMap
            sage: NMF(1, 1, 2).linear_factors()
            [[V_0_0 V_0_1], [U_0_0]]
            sage: PolynomialMap(["x*y"]).linear_factors() is None
            True
        """
        return None

    def logits(self):
        r"""
        Return `\phi` output by output, for a model whose last layer is linear, else ``None``.

        The pair ``(shared, rows)``: the components of `\phi` that no output
        owns (e.g. the scores of attention), and for each output the list of
        the coefficients of its logit, all of the same length, aligned (the
        `t`-th of each output multiplies the same function of the input).
        :class:`~sage_conslaws.models.softmax.SoftmaxOutput` uses it, with
        :meth:`output_layer`. The default is ``None``.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork, NMF
            sage: LinearNetwork([1, 1, 2]).logits()
            ([], [[w1_0_0*w2_0_0], [w1_0_0*w2_1_0]])
            sage: NMF(1, 1, 1).logits() is None
            True
        """
        return None

    def output_layer(self):
        r"""
        Return the matrix of the last linear layer (a row per output), for the models of :meth:`logits`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork, NMF
            sage: LinearNetwork([1, 1, 2]).output_layer()
            [w2_0_0]
            [w2_1_0]
            sage: NMF(1, 1, 1).output_layer() is None
            True
        """
        return None

    def auxiliary_variables(self):
        r"""
        Return the indices of the variables whose degree the search of laws
        bounds apart, up to twice the degree searched (none by default).

        A structure, not a law: the time of a momentum flow in phase space
        (:class:`~sage_conslaws.dynamics.phase_space.MomentumFlow`), whose
        laws carry factors such as `t^3` on quadratic polynomials.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1]).auxiliary_variables()
            []
        """
        return []

    def known_laws(self):
        r"""
        Return the conservation laws known in closed form, as ``(name, polynomial)`` pairs.

        The default is none. Architectures override this with the laws of the
        literature; they are verified, never trusted.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([1, 1, 1]).known_laws()
            [('neuron 1.0', w1_0_0^2 - w2_0_0^2)]
        """
        return []

    def default_metric(self):
        r"""
        Return the name of the metric of the model's natural gradient flow.

        ``"euclidean"`` unless the architecture says otherwise (non-negative
        models such as NMF train with the ``"entropic"`` mirror geometry); see
        :mod:`sage_conslaws.fields.metrics`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1]).default_metric()
            'euclidean'
        """
        return "euclidean"

    def mirror_parameters(self):
        r"""
        Return the parameters on which the ``"entropic"`` metric is a mirror geometry.

        The default is all of them; a model with only some non-negative
        parameters (the outer layer of an ICNN) overrides this.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 1, 1]).mirror_parameters()
            (w1_0_0, w2_0_0)
        """
        return self.parameters()

    def known_laws_under(self, metric):
        r"""
        Return the laws known in closed form for the gradient flow under ``metric``.

        Laws depend on the metric, so a count under a metric uses only the laws
        derived for it. The default: :meth:`known_laws` for ``"euclidean"``,
        none for any other metric.

        INPUT:

        - ``metric`` -- a metric name of :data:`sage_conslaws.fields.metrics.METRICS`

        OUTPUT: a list of ``(name, polynomial)`` pairs

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: N = ReLUNetwork([1, 1, 1])
            sage: N.known_laws_under("euclidean"), N.known_laws_under("entropic")
            ([('neuron 1.0', w1_0_0^2 - w2_0_0^2)], [])
        """
        return self.known_laws() if metric == "euclidean" else []

    def law_matrices(self):
        r"""
        Return the known laws gathered in matrices, as ``(name, matrix)`` pairs.

        The entries of each matrix are conservation laws; the default is none.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: [(name, M)] = LinearNetwork([1, 2, 1]).law_matrices()
            sage: name
            'W1 W1^T - W2^T W2'
            sage: M
            [          w1_0_0^2 - w2_0_0^2 w1_0_0*w1_1_0 - w2_0_0*w2_0_1]
            [w1_0_0*w1_1_0 - w2_0_0*w2_0_1           w1_1_0^2 - w2_0_1^2]
        """
        return []

    def conservation_laws(self, **options):
        r"""
        Return the exact count of independent conservation laws and its certificate.

        Shortcut for :func:`~sage_conslaws.laws.count.count_conservation_laws`,
        which documents ``options``.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: LinearNetwork([1, 2, 1]).conservation_laws().number_of_laws()
            3
        """
        from sage_conslaws.laws.count import count_conservation_laws
        return count_conservation_laws(self, **options)

    def float_network(self, data=None):
        r"""
        Return the float64 training objective of the model on ``data``.

        This is what :func:`~sage_conslaws.training.network.float_model` and
        the training runs use. Layered networks (linear, ReLU, MLP) and NMF
        implement it; the default is the classifier of
        :func:`~sage_conslaws.training.architectures.float_architecture` (LoRA,
        diagonal, attention, ResNet, convolutional networks), and a
        ``TypeError`` for other models.

        INPUT:

        - ``data`` -- (default: the model's own default) a data set name or a
          :class:`~sage_conslaws.training.datasets.Dataset`

        EXAMPLES::

            sage: from sage_conslaws import PolynomialMap, ReLUNetwork
            sage: ReLUNetwork([4, 3, 3]).float_network()
            network [4, 3, 3] (relu) on iris

        TESTS::

            sage: PolynomialMap(["x*y"]).float_network()
            Traceback (most recent call last):
            ...
            TypeError: training runs support LinearNetwork, ReLUNetwork, MLP, NMF, LoRA, DiagonalNetwork, Attention, ResNet and ConvNetwork models, got PolynomialMap
        """
        from sage_conslaws.training.architectures import float_architecture
        return float_architecture(self, data)

    def _description(self):
        r"""
        Return how the model names itself in reports and messages: by default its class.

        Architectures built from a few sizes return their constructor call
        (``NMF(2, 3, 4)``); the representation adds the number of parameters.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: NMF(2, 3, 4)._description(), NMF(2, 3, 4)
            ('NMF(2, 3, 4)', NMF(2, 3, 4) with 18 parameters)
        """
        return f"{type(self).__name__} model"

    def _repr_(self):
        D = self.dimension()
        return f"{self._description()} with {D} parameter{'' if D == 1 else 's'}"


def _bound_arguments(cls, args, options):
    r"""
    Return the arguments of ``cls(*args, **options)`` by name, defaults included, sorted.

    So that an argument given by position, by name or left at its default
    gives the same model; arguments that do not bind (the constructor
    will refuse them) are kept as given.

    EXAMPLES::

        sage: from sage_conslaws.models.resnet import ResNet
        sage: from sage_conslaws.models.base import _bound_arguments
        sage: _bound_arguments(ResNet, (3, 2), {"blocks": 2}) == _bound_arguments(ResNet, (3, 2, 2, False), {})
        True
        sage: ResNet(3, 2, 2) is ResNet(3, 2, blocks=2, bias=False)
        True
    """
    import inspect
    try:
        bound = inspect.signature(cls.__init__).bind(None, *args, **options)
    except TypeError:
        return (args, tuple(sorted(options.items())))
    bound.apply_defaults()
    arguments = dict(bound.arguments)
    arguments.pop(next(iter(arguments)))   # self
    return tuple(sorted((k, _hashable(v)) for k, v in arguments.items()))


def _typed(value):
    r"""
    Return a cache key of ``value`` that tells apart equal values of different parents or types.

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.models.base import _typed
        sage: x = PolynomialRing(QQ, 'x').gen(); y = PolynomialRing(QQ, 'x, y').gen(0)
        sage: x == y, _typed((x,)) == _typed((y,)), _typed(1) == _typed(True)
        (True, False, False)
    """
    from sage.structure.element import Element
    if isinstance(value, tuple):
        return tuple(_typed(v) for v in value)
    if isinstance(value, Element):
        return (value.parent(), value)
    return (type(value), value)


def _hashable(value):
    r"""
    Return ``value`` in a hashable form: lists as tuples, matrices immutable.

    EXAMPLES::

        sage: from sage.matrix.constructor import matrix
        sage: from sage_conslaws.models.base import _hashable
        sage: _hashable([1, [2, 3]])
        (1, (2, 3))
        sage: M = _hashable(matrix([[1, 2], [3, 4]])); M.is_immutable()
        True
    """
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if hasattr(value, "set_immutable") and hasattr(value, "is_immutable") \
            and not value.is_immutable():
        value = copy(value)
        value.set_immutable()
    try:
        hash(value)
    except TypeError:
        raise TypeError("the arguments of a model must be hashable (numbers, strings, tuples, "
                        f"polynomials, immutable matrices), got {value!r}") from None
    return value
