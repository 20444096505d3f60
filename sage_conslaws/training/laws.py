r"""
The exact conservation laws of a model, evaluated fast in float64

A training run evaluates every law at every step. The polynomials are
converted once into arrays (for each term: its coefficient, the positions of
its variables repeated by their exponents, and its law), so that evaluating
all laws at a point is a few vectorized numpy operations, with no call to
Sage in the loop. The laws come from the engine:
:func:`~sage_conslaws.dynamics.gradient.gradient_flow_count` for models with a
polynomial reparametrization (all their laws, with a certificate), the
Noether laws of :meth:`~sage_conslaws.models.base.Model.known_laws`
for networks with Swish activations (no reparametrization exists) and for
networks too large for the exact count (not certified then).

EXAMPLES::

    sage: import numpy as np
    sage: from sage_conslaws import ReLUNetwork
    sage: from sage_conslaws.training.laws import tracked_laws
    sage: laws = tracked_laws(ReLUNetwork([1, 2, 1]))
    sage: laws
    2 laws of the euclidean gradient flow (certified: all the laws)
    sage: laws.values(np.array([1.0, 2.0, 3.0, 5.0])).tolist()
    [-8.0, -21.0]
"""
import numpy as np

from sage_conslaws.limits import BeyondReach


class FloatLaws:
    r"""
    Named polynomials in float64 form: values, magnitudes, homogeneous parts.

    INPUT:

    - ``laws`` -- a list of ``(name, polynomial)`` pairs, polynomials of ``ring``
    - ``ring`` -- the polynomial ring of the parameters
    - ``certified`` -- (default: ``False``) whether they are all the laws, proven
    - ``source`` -- (default: ``""``) where the laws come from, for reports

    EXAMPLES::

        sage: import numpy as np
        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.training.laws import FloatLaws
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: h = FloatLaws([("a", x^2*y - 3), ("b", -y)], R)
        sage: h.values(np.array([2.0, 5.0])).tolist(), h.magnitudes(np.array([2.0, -5.0])).tolist()
        ([17.0, -5.0], [23.0, 5.0])
        sage: h.degrees(), h.homogeneous_part(1).values(np.array([2.0, 5.0])).tolist()
        ([3, 1], [0.0, -5.0])
    """

    def __init__(self, laws, ring, certified=False, source=""):
        self._laws = list(laws)
        self._names = [name for name, _ in self._laws]
        self._ring = ring
        self._certified = bool(certified)
        self._source = source
        # the sparse exponents: scanning all D positions of each term took 3.6 s for the
        # 19,740 terms of the 420 laws of linear 4,20,20,3
        self._table([(n, float(c), [v for v, e in exponent.sparse_iter() for _ in range(e)])
                     for n, (_, h) in enumerate(self._laws)
                     for exponent, c in h.dict().items()], ring.ngens())

    @classmethod
    def from_forms(cls, forms, dimension, certified=False, source=""):
        r"""
        Return the laws given as quadratic forms ``{(i, j): c}`` over the positions of the parameters.

        For models with no polynomial ring (more than 32767 parameters, see
        :meth:`~sage_conslaws.models.layer_laws.LayerLaws.law_forms`): all but
        :meth:`polynomials` work.

        INPUT:

        - ``forms`` -- a list of pairs ``(name, form)``
        - ``dimension`` -- the number `D` of parameters
        - ``certified``, ``source`` -- as for :class:`FloatLaws`

        EXAMPLES::

            sage: import numpy as np
            sage: from sage_conslaws.training.laws import FloatLaws
            sage: h = FloatLaws.from_forms([("a", {(0, 0): 1, (0, 1): -2})], 2)
            sage: h.names(), h.values(np.array([3.0, 1.0])).tolist(), h.degrees()
            (['a'], [3.0], [2])
            sage: h.polynomials()
            Traceback (most recent call last):
            ...
            ValueError: these laws are quadratic forms of 2 parameters, not polynomials: the model has no polynomial ring
        """
        laws = cls.__new__(cls)
        laws._laws, laws._ring = None, None
        laws._names = [name for name, _ in forms]
        laws._certified, laws._source = bool(certified), source
        laws._table([(n, float(c), [i, j]) for n, (_, form) in enumerate(forms)
                     for (i, j), c in form.items()], dimension)
        return laws

    def _table(self, terms, D):
        r"""
        Store the table of ``terms`` (law, coefficient, positions of the variables) of laws in ``D`` variables.
        """
        self._dimension = D
        width = max([len(t[2]) for t in terms] + [1])
        # position D of the extended point holds 1.0: it pads short monomials
        self._variables = np.array([t[2] + [D] * (width - len(t[2])) for t in terms],
                                   dtype=int).reshape(len(terms), width)
        self._coefficients = np.array([t[1] for t in terms])
        self._law_of_term = np.array([t[0] for t in terms], dtype=int)

    def names(self):
        r"""
        Return the names of the laws.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training.laws import tracked_laws
            sage: tracked_laws(ReLUNetwork([1, 2, 1])).names()
            ['neuron 1.0', 'neuron 1.1']
        """
        return list(self._names)

    def polynomials(self):
        r"""
        Return the laws as ``(name, polynomial)`` pairs.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training.laws import tracked_laws
            sage: tracked_laws(ReLUNetwork([1, 1, 1])).polynomials()
            [('neuron 1.0', w1_0_0^2 - w2_0_0^2)]
        """
        if self._laws is None:
            raise ValueError(f"these laws are quadratic forms of {self._dimension} parameters, "
                             "not polynomials: the model has no polynomial ring")
        return list(self._laws)

    def __len__(self):
        return len(self._names)

    def terms(self):
        r"""
        Return the table of the terms of the laws, as NumPy arrays.

        OUTPUT: ``(variables, coefficients, laws)``: one row of ``variables``
        per term, the positions of its variables repeated by their exponents
        and padded with `D` (a position that holds 1), its coefficient, and
        the index of its law. The value of law `n` at `\theta` is the sum over
        its terms of the coefficient times the product of the entries of
        `(\theta, 1)` at the positions.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws.training.laws import FloatLaws
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: variables, coefficients, laws = FloatLaws([("a", 3*x^2 - y)], R).terms()
            sage: sorted(zip(variables.tolist(), coefficients.tolist(), laws.tolist()))
            [([0, 0], 3.0, 0), ([1, 2], -1.0, 0)]
        """
        return self._variables.copy(), self._coefficients.copy(), self._law_of_term.copy()


    def is_certified(self):
        r"""
        Return whether the engine proved that these are all the laws.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training.laws import tracked_laws
            sage: tracked_laws(ReLUNetwork([1, 1, 1])).is_certified()
            True
        """
        return self._certified

    def degrees(self):
        r"""
        Return the total degree of each law.

        EXAMPLES::

            sage: from sage_conslaws import NMF
            sage: from sage_conslaws.training.laws import tracked_laws
            sage: tracked_laws(NMF(2, 1, 2), "entropic").degrees()
            [1]
        """
        if self._laws is None:
            return [2] * len(self._names)
        return [int(h.total_degree()) for _, h in self._laws]

    def homogeneous_part(self, degree):
        r"""
        Return the laws' homogeneous parts of degree ``degree``, as :class:`FloatLaws`.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training.laws import tracked_laws
            sage: tracked_laws(ReLUNetwork([1, 1, 1])).homogeneous_part(2).polynomials()
            [('neuron 1.0', w1_0_0^2 - w2_0_0^2)]
        """
        if self._laws is None:   # quadratic forms
            return self if degree == 2 else FloatLaws.from_forms(
                [(name, {}) for name in self._names], self._dimension)
        parts = [(name, sum((c * m for c, m in zip(h.coefficients(), h.monomials())
                             if m.total_degree() == degree), self._ring.zero()))
                 for name, h in self._laws]
        return FloatLaws(parts, self._ring)

    def _terms(self, theta):
        extended = np.append(np.asarray(theta, dtype=np.float64), 1.0)
        return extended[self._variables].prod(axis=1)

    def values(self, theta):
        r"""
        Return the values of the laws at the float64 point ``theta``.

        EXAMPLES::

            sage: import numpy as np
            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training.laws import tracked_laws
            sage: tracked_laws(ReLUNetwork([1, 1, 1])).values(np.array([3.0, 1.0])).tolist()
            [8.0]
        """
        return np.bincount(self._law_of_term, weights=self._coefficients * self._terms(theta),
                           minlength=len(self))

    def magnitudes(self, theta):
        r"""
        Return the sums of the absolute values of the terms of the laws at ``theta``.

        This is the scale of the rounding errors of :meth:`values`.

        EXAMPLES::

            sage: import numpy as np
            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.training.laws import tracked_laws
            sage: tracked_laws(ReLUNetwork([1, 1, 1])).magnitudes(np.array([3.0, 1.0])).tolist()
            [10.0]
        """
        return np.bincount(self._law_of_term,
                           weights=np.abs(self._coefficients * self._terms(theta)),
                           minlength=len(self))

    def __repr__(self):
        status = "certified: all the laws" if self._certified else "not certified"
        noun = "law" if len(self) == 1 else "laws"
        return f"{len(self)} {noun} of {self._source} ({status})"


#: The default number of seconds a training run gives the exact count of its laws
#: (:func:`tracked_laws`); past them it tracks the model's known laws, not proven complete.
PROOF_SECONDS = 10


def tracked_laws(model, metric="euclidean", proof_seconds=None):
    r"""
    Return every conservation law the engine finds for the gradient flow of ``model`` under ``metric``.

    Computed once per model, metric and time limit (see
    :meth:`~sage_conslaws.models.base.Model.tracked_laws`).

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
    - ``metric`` -- (default: ``"euclidean"``) ``"euclidean"`` (the laws of
      gradient descent's flow) or ``"entropic"`` (those of mirror descent's)
    - ``proof_seconds`` -- (default: ``None``, no limit) the seconds given to
      the exact count; past them (or with 0, without trying) the laws are the
      model's known laws, not proven to be all of them

    OUTPUT: a :class:`FloatLaws`

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork, NMF
        sage: from sage_conslaws.training.laws import tracked_laws
        sage: tracked_laws(NMF(3, 2, 3), "entropic")
        2 laws of the entropic gradient flow (certified: all the laws)
        sage: tracked_laws(NMF(3, 2, 3), "euclidean").names()
        ['U^T U - V V^T [0,0]', 'U^T U - V V^T [0,1]', 'U^T U - V V^T [1,1]']
        sage: tracked_laws(LinearNetwork([2, 2, 1]), proof_seconds=0)
        3 laws of the euclidean gradient flow (the known laws; the exact count was not attempted) (not certified)

    TESTS::

        sage: tracked_laws(NMF(3, 2, 3), "entropic", proof_seconds=0)
        Traceback (most recent call last):
        ...
        ValueError: the entropic laws of NMF(3, 2, 3) with 12 parameters come only from the exact count, and the exact count was not attempted: give it time (proof_seconds)
        sage: tracked_laws(NMF(3, 2, 3), proof_seconds=-1)
        Traceback (most recent call last):
        ...
        ValueError: the seconds of the proof must be a non-negative number or None, got -1
    """
    if proof_seconds is not None:
        try:
            seconds = None if isinstance(proof_seconds, str) else float(proof_seconds)
        except (TypeError, ValueError):
            seconds = None
        if seconds is None or not seconds >= 0:
            raise ValueError(f"the seconds of the proof must be a non-negative number or None, "
                             f"got {proof_seconds!r}")
        proof_seconds = seconds
    return model.tracked_laws(metric, proof_seconds)


def engine_laws(model, metric, proof_seconds=None):
    r"""
    Return the laws of :func:`tracked_laws`, computed (use :func:`tracked_laws`).

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.training.laws import engine_laws
        sage: engine_laws(LinearNetwork([1, 1, 1]), "euclidean")
        1 law of the euclidean gradient flow (certified: all the laws)

    TESTS:

    Beyond the reach of the exact count, the known laws as quadratic forms::

        sage: from sage_conslaws import ReLUNetwork
        sage: laws = engine_laws(ReLUNetwork([400, 100, 10]), "euclidean"); laws
        100 laws of the euclidean gradient flow (the known laws; the exact count is beyond reach: the values of 40902 brackets on R^41000 have 1676982000 entries, beyond reach: the structured path holds them as a dense matrix over GF(p), 8 bytes an entry, about four times (at most 250000000 entries)) (not certified)

    Beyond a polynomial ring, the laws of the count as quadratic forms, proven::

        sage: from sage_conslaws import LinearNetwork
        sage: engine_laws(LinearNetwork([1, 20000, 1]), "euclidean")
        39999 laws of the euclidean gradient flow (certified: all the laws)
    """
    if _has_swish(model):
        if metric != "euclidean":
            raise ValueError(f"{model} has Swish activations: only its Euclidean laws are known")
        return _known_laws(model, "the euclidean gradient flow (Swish: the known Noether laws, "
                                  "not counted)")
    try:
        # the count checks its own reach: the structured path needs no phi
        count = _timed_count(model, metric, proof_seconds)
    except BeyondReach as error:
        # too large for the exact count (phi, or a step of the engine): the laws of its
        # symmetries still hold
        return _fallback(model, metric, f"the exact count is beyond reach: {error}", error)
    except _NoTime as stop:
        return _fallback(model, metric, str(stop), ValueError(
            f"the {metric} laws of {model} come only from the exact count, and {stop}: "
            f"give it time (proof_seconds)"))
    source = f"the {metric} gradient flow"
    try:
        laws = count.laws()
    except BeyondReach:  # proven laws of a network too large for polynomials: as forms
        forms = count.law_forms()
        return FloatLaws.from_forms(forms, model.dimension(), source=source,
                                    certified=_all_laws(count, forms))
    return FloatLaws(laws, model.ring(), certified=_all_laws(count, laws), source=source)


def _all_laws(count, laws):
    r"""
    Return whether ``laws`` are all the laws of the exact ``count``, proven.
    """
    return count.is_certified() and len(laws) == count.number_of_laws()


class _NoTime(Exception):
    r"""
    The exact count was given no time, or stopped when its time was up.
    """


def _timed_count(model, metric, seconds):
    r"""
    Return the exact count of ``model``'s laws under ``metric``, or raise :class:`_NoTime` after ``seconds``.

    The limit is an alarm signal (cysignals), which stops Sage's computations
    as Ctrl-C does. Its progress goes to standard error when that is a
    terminal (a training run or a monitor of PyTorch may wait minutes for it).
    """
    import sys
    from cysignals.alarm import AlarmInterrupt, alarm, cancel_alarm
    from sage_conslaws.dynamics.gradient import gradient_flow_count
    from sage_conslaws.interface.progress import Progress
    if seconds == 0:
        raise _NoTime("the exact count was not attempted")
    progress = Progress(enabled=sys.stderr.isatty(), prefix=f"the exact count of {model}: ")
    if seconds is None:
        return gradient_flow_count(model, metric=metric, progress=progress)
    alarm(seconds)
    try:
        return gradient_flow_count(model, metric=metric, progress=progress)
    except AlarmInterrupt:
        raise _NoTime(f"the exact count was stopped after {seconds:g} s") from None
    finally:
        cancel_alarm()


def _fallback(model, metric, why, error):
    r"""
    Return the model's known laws, not certified, when the count gives none (``why``); else raise ``error``.
    """
    if metric != "euclidean":
        raise error
    laws = _known_laws(model, f"the euclidean gradient flow (the known laws; {why})")
    if not len(laws):
        raise error
    return laws


def _known_laws(model, source):
    r"""
    Return the model's known laws, not certified: as polynomials, or as quadratic forms when the polynomials are beyond reach.
    """
    try:
        return FloatLaws(model.known_laws(), model.ring(), certified=False, source=source)
    except BeyondReach:
        if not hasattr(model, "law_forms"):
            raise
        return FloatLaws.from_forms(model.law_forms(), model.dimension(), certified=False,
                                    source=source)


def _has_swish(model):
    from sage_conslaws.models.layered import LayeredNetwork
    return isinstance(model, LayeredNetwork) and not model.is_polynomial()
