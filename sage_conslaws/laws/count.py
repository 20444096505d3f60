r"""
Counting the conservation laws of a model, with a certificate

This is the main entry point: :func:`count_conservation_laws` (also
:meth:`Model.conservation_laws() <sage_conslaws.models.base.Model.conservation_laws>`)
returns the number of independent conservation laws of the gradient flow of a
model, for every data set and loss, the laws it found as explicit polynomials,
and a :class:`~sage_conslaws.closure.certificate.Certificate`.

EXAMPLES::

    sage: from sage_conslaws import ReLUNetwork
    sage: result = ReLUNetwork([3, 4, 2], bias=True).conservation_laws()
    sage: result
    24 parameters, dim Lie(W) = 20, 4 independent conservation laws (certified); the 4 known laws are all the laws
    sage: result.laws()[0]
    ('neuron 1.0', w1_0_0^2 + w1_0_1^2 + w1_0_2^2 + b1_0^2 - w2_0_0^2 - w2_1_0^2)
"""
import time

from sage.arith.misc import previous_prime

from sage_conslaws.models.base import Model
from sage_conslaws.models.polynomial_map import VectorFieldFamily
from sage_conslaws.closure.certificate import (INVOLUTIVITY, MAX_ERROR, PROOF_DIMENSION,
                                               PROOF_DISCOVERED, PROOF_GROEBNER, PROOF_KNOWN,
                                               PROOF_MINORS, PROOF_RANDOM, Certificate,
                                               laws_upper_bound)
from sage_conslaws.closure.groebner import groebner_involutive
from sage_conslaws.closure.verification import check_involutive, verify_closure
from sage_conslaws.fields.evaluation import DEFAULT_PRIME, ModularPoint, derived_seed, usable_prime
from sage_conslaws.laws.polynomial import check_degree
from sage_conslaws.laws.discovery import (MAX_DISCOVERY_DEGREE, ModularSystems,
                                          laws_of_degree)
from sage_conslaws.limits import BeyondReach
from sage_conslaws.closure.lie_closure import lie_closure
from sage_conslaws.interface.progress import Progress, Stopwatch
from sage_conslaws.laws.result import ConservationLawCount, number_phrase
from sage_conslaws.structured.closure import structured_closure
from sage_conslaws.structured.count import structured_count
from sage_conslaws.structured.polynomial import PolynomialFamily

#: The default budget, in seconds, of the exact rungs of the ladder.
DEFAULT_BUDGET = 60

#: The degree up to which laws are searched before the first closure, when no law is known.
EARLY_DEGREE = 2


def count_conservation_laws(model, seed=0, degree=None, laws=(), metric_inverse=None,
                            discover=None, budget=DEFAULT_BUDGET, verification_points=None,
                            prime=DEFAULT_PRIME, attempts=3, progress=None):
    r"""
    Return the number of independent conservation laws of ``model``, with a certificate.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`, or a
      list of :class:`~sage_conslaws.fields.vector_fields.PolynomialVectorField`
    - ``seed`` -- (default: 0) seed of every random choice; the result is
      deterministic for a given seed
    - ``degree`` -- (default: ``None``, as far as the budget and the size
      limits allow, at most :data:`~sage_conslaws.laws.discovery.MAX_DISCOVERY_DEGREE`)
      the highest degree of the laws that the ladder searches; ``0`` for no search
    - ``laws`` -- (default: none) more candidate laws, as ``(name, polynomial)``
      pairs; they are verified, never trusted
    - ``metric_inverse`` -- (default: ``None``) the inverse metric of a
      non-Euclidean gradient flow (see :func:`~sage_conslaws.fields.gradient.gradient_fields`)
    - ``discover`` -- (default: ``None``: ``True`` when the model knows no law
      and none is given) if ``True``, use no law written by hand, neither the
      model's :meth:`~sage_conslaws.models.base.Model.known_laws` nor ``laws``:
      every bound comes from what the engine computes
    - ``budget`` -- (default: 60) seconds for the exact rungs of the ladder
      (the discovery of laws and the Gröbner involutivity check); the random
      verification that may follow has its own size limits
    - ``verification_points`` -- (default: ``None``, as many as an error
      bound of at most `10^{-12}` needs) random points of
      :func:`~sage_conslaws.closure.verification.verify_closure`
    - ``prime`` -- (default: `8388593`) the prime of the Lie closure; a
      prime dividing a coefficient of the fields is replaced by a smaller one
      (:func:`~sage_conslaws.fields.evaluation.usable_prime`)
    - ``attempts`` -- (default: 3) the number of closures tried: when a check
      proves a closure incomplete, the next one uses the next smaller prime
      and a new point
    - ``progress`` -- (default: ``None``) a :class:`~sage_conslaws.interface.progress.Progress`

    OUTPUT: a :class:`~sage_conslaws.laws.result.ConservationLawCount`

    ALGORITHM (the *certification ladder*):

    1. Verify the candidate laws (those the architecture knows and those
       given; none in discovery mode) and keep an independent subset of `N`:
       the dimension `m` of `\mathrm{Lie}(W)` is at most `D - N`.
    2. Close `W` under brackets at a random point until the rank reaches
       `D - N`, or stops growing
       (:func:`~sage_conslaws.closure.lie_closure.lie_closure`): its rank `r`
       is a proven lower bound. If `r = D - N`, the count is proven.
    3. *Discovered laws.* Search polynomial laws of degree 1, 2, ... modulo
       primes, class by class of monomials, lift them to `\QQ` and prove them
       (:func:`~sage_conslaws.laws.discovery.laws_of_degree`), until `D - N = r`,
       the degree limit, a size limit or the budget.
    4. *Involutivity.* Decide exactly whether the frame is involutive over
       the fraction field: by minors for small frames
       (:func:`~sage_conslaws.closure.verification.check_involutive`), else
       by Singular's module standard bases within the budget
       (:func:`~sage_conslaws.closure.groebner.groebner_involutive`). Involutive:
       `m = r`, proven.
    5. *Random verification.* Otherwise verify the closure at random rational
       points (:func:`~sage_conslaws.closure.verification.verify_closure`): a
       pass gives a *probabilistic* count with its derived error bound (at
       most `10^{-12}` by default).
    6. A failed check (involutivity ``False``, or fields of `\mathrm{Lie}(W)`
       of higher rank at a verification point) proves that the closure
       stopped too early: go back to step 2 with the next smaller prime and a
       point seeded by :func:`derived_seed("closure", seed, attempt)
       <sage_conslaws.fields.evaluation.derived_seed>`, at most ``attempts`` times in
       all. If every attempt fails, the count is *not verified*, with no
       error bound. The certificate's notes record each failure, and
       :meth:`~sage_conslaws.closure.certificate.Certificate.proof` the rung that proved the count.

    EXAMPLES:

    Two-layer linear networks `UV^T` with `U` of size `n \times r`, `V` of
    size `m \times r`, `k = n + m`: `r(r+1)/2` laws if `r \le k`, else
    `kr - k(k-1)/2` ([MGP2023]_)::

        sage: from sage_conslaws import LinearNetwork, count_conservation_laws
        sage: count_conservation_laws(LinearNetwork([1, 2, 1])).number_of_laws()  # r = k = 2
        3
        sage: count_conservation_laws(LinearNetwork([1, 4, 2])).number_of_laws()  # 4*3 - 3
        9

    In discovery mode, no law written by hand is used: the closure runs to
    its end, and the engine discovers the quadratic laws that prove the count::

        sage: r = count_conservation_laws(LinearNetwork([2, 3, 2]), discover=True)
        sage: r.number_of_laws(), r.is_certified(), r.certificate().proof()
        (6, True, 'discovered laws')

    Without the laws, and without the exact involutivity check (here, with
    no budget for the exact rungs), the closure is verified at random points
    with an error bound: a probabilistic count, not a certified one::

        sage: r = count_conservation_laws(LinearNetwork([2, 3, 2]), discover=True, budget=0)
        sage: r.number_of_laws(), r.is_certified(), r.certificate().status()
        (6, False, 'probabilistic')
        sage: r.certificate().error_bound() < 1e-12
        True

    With the search of laws off (``degree=0``), the Gröbner rung proves the
    frame involutive::

        sage: r = count_conservation_laws(LinearNetwork([2, 3, 2]), discover=True, degree=0)
        sage: r.number_of_laws(), r.certificate().proof()
        (6, 'involutivity (Groebner bases)')

    A model that knows no law, such as a map given by the user, is counted in
    discovery mode by default::

        sage: from sage_conslaws import PolynomialMap
        sage: r = PolynomialMap(["u1*(v1*x)^3 + u2*(v2*x)^3"]).conservation_laws(); r
        5 parameters, dim Lie(W) = 1, 4 independent conservation laws (certified); there are 4 laws; ... discovered by the engine as polynomials
        sage: r.as_dict()["discover"], r.certificate().proof()
        (True, 'involutivity (minors)')

    A family of fields given directly: one field has `D - 1` laws, and the
    exact involutivity check proves it::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField
        sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
        sage: r = count_conservation_laws([PolynomialVectorField(R, [x*y + z, y^2 - x, z*x])])
        sage: r.number_of_laws(), r.is_certified()
        (2, True)

    The gradients of `x` and `y + xz^2/2`, `\partial_x` and
    `\frac{z^2}{2} \partial_x + \partial_y + xz \partial_z`, have the bracket
    `z \partial_z`. Modulo `7`, at the point of seed 2, `z = 0`: the bracket
    vanishes there and the closure stops at rank 2. The exact involutivity
    check proves that frame incomplete, hence `\dim \mathrm{Lie}(W) \ge 3`,
    which is the dimension: the count is certified without another attempt::

        sage: from sage_conslaws import PolynomialMap
        sage: M = PolynomialMap(["x", "y + x*z^2/2"])
        sage: r = count_conservation_laws(M, prime=7, seed=2); r
        3 parameters, dim Lie(W) = 3, 0 independent conservation laws (certified); there is no conservation law
        sage: r.certificate().notes()
        ['attempt 1: the closure of rank 2 (prime 7, seed 2) was proven incomplete by the exact involutivity check, so dim Lie(W) >= 3']

    With a fourth parameter `w`, on which nothing depends, the ladder
    discovers the law `w`, and the count is proven::

        sage: R = PolynomialRing(QQ, 'x, y, z, w'); x, y, z, w = R.gens()
        sage: M = PolynomialMap([x, y + x*z^2/2])
        sage: r = count_conservation_laws(M, prime=7, seed=2); r.laws()
        [('degree 1 law 0', w)]

    Without the search of laws (``degree=0``), the proof leaves `3 \le \dim
    \mathrm{Lie}(W) \le 4`; the next attempt (prime 5, a new point) finds
    rank 3, proven by involutivity::

        sage: r = count_conservation_laws(M, prime=7, seed=2, degree=0)
        sage: r.number_of_laws(), r.is_certified()
        (1, True)
        sage: r.certificate().notes()
        ['attempt 1: the closure of rank 2 (prime 7, seed 2) was proven incomplete by the exact involutivity check, so dim Lie(W) >= 3, retried with another prime and point']
        sage: r.certificate().point().prime()
        5

    With a single attempt, the count is not certified, and has no error
    bound::

        sage: r = count_conservation_laws(M, prime=7, seed=2, attempts=1, degree=0)
        sage: r.certificate()
        not verified: 3 <= dim Lie(W) <= 4 (upper bound: the dimension of the space); no error bound: the only closure tried was proven incomplete; note: attempt 1: the closure of rank 2 (prime 7, seed 2) was proven incomplete by the exact involutivity check, so dim Lie(W) >= 3
        sage: r.certificate().status(), r.certificate().error_bound()
        ('not verified', None)

    TESTS::

        sage: count_conservation_laws("relu")
        Traceback (most recent call last):
        ...
        TypeError: expected a Model or a list of PolynomialVectorField, got str
        sage: count_conservation_laws(M, attempts=0)
        Traceback (most recent call last):
        ...
        ValueError: the number of attempts must be positive, got 0
    """
    if attempts < 1:
        raise ValueError(f"the number of attempts must be positive, got {attempts}")
    if not (isinstance(budget, (int, float)) or hasattr(budget, "is_integer")) \
            or not 0 <= float(budget) < float("inf"):
        raise ValueError(f"the budget must be a non-negative number of seconds, got {budget!r}")
    if degree is not None:
        degree = check_degree(degree, "the degree of the search of laws", smallest=0)
    clock = Stopwatch()
    deadline = time.monotonic() + float(budget)
    progress = progress or Progress(enabled=False)
    model = _as_model(model)
    if metric_inverse is None and not laws and not discover:
        # layered models: the structure proves the known laws and gives the rank, without
        # a polynomial per component of phi (relu 25,50,25 --bias: 63 CPU s on the general path)
        structured = structured_count(model, seed, prime, attempts, progress)
        if structured is not None:
            closure, certificate, known = structured
            progress.done()
            return ConservationLawCount(model, closure, certificate, known, len(known),
                                        clock.seconds())
    fields = model.fields(metric_inverse) if metric_inverse is not None else model.fields()
    if not fields:
        raise ValueError(f"{model} has no non-constant coordinate: every function is conserved")
    D = model.dimension()
    point = ModularPoint(D, seed=seed, prime=DEFAULT_PRIME)

    # in discovery mode the known laws are not even built
    candidates = (list(model.known_laws()) if metric_inverse is None and not discover else [])
    discover = _discovery(discover, candidates, laws)
    progress.update("verifying known laws")
    known = [] if discover else laws_upper_bound(candidates + list(laws), fields, point)
    ladder = _Ladder(fields, point, known, seed, degree, deadline, progress,
                     model.auxiliary_variables())
    closure, certificate = _certified_closure(ladder, seed, prime, attempts, verification_points,
                                              progress)
    progress.done()
    return ConservationLawCount(model, closure, certificate, ladder.laws(), len(known),
                                clock.seconds(), discover=discover)


def _discovery(discover, known, given):
    r"""
    Return whether the count runs in discovery mode: by default, when no law is known or given.

    TESTS::

        sage: from sage_conslaws.laws.count import _discovery
        sage: _discovery(None, [], []), _discovery(None, [('a', 1)], []), _discovery(False, [], [])
        (True, False, False)
        sage: _discovery(True, [], [('mine', 1)])
        Traceback (most recent call last):
        ...
        ValueError: discovery mode uses no law written by hand: drop laws=..., or set discover=False
    """
    if discover is None:
        return not known and not given
    if discover and given:
        raise ValueError("discovery mode uses no law written by hand: drop laws=..., "
                         "or set discover=False")
    return bool(discover)


class _Ladder:
    r"""
    The laws of a count, proven so far, and the rung that searches more.

    Known laws come first; :meth:`search` adds discovered ones by increasing
    degree (:func:`~sage_conslaws.laws.discovery.laws_of_degree`) until there
    are ``target`` of them, the degree limit, a size limit or the deadline.
    """

    def __init__(self, fields, point, known, seed, degree, deadline, progress, auxiliary=()):
        self._fields, self._point = fields, point
        self._laws, self._known = list(known), len(known)
        self._seed = seed
        self._max_degree = MAX_DISCOVERY_DEGREE if degree is None else degree
        self._degree = 0
        self._deadline, self._progress = deadline, progress
        self._systems = ModularSystems(fields, seed)
        self._auxiliary = auxiliary
        self._spent = False

    def dimension(self):
        return self._fields[0].dimension()

    def fields(self):
        return self._fields

    def laws(self):
        return list(self._laws)

    def upper(self):
        return self.dimension() - len(self._laws)

    def deadline(self):
        return self._deadline

    def auxiliary(self):
        return list(self._auxiliary)

    def reason(self):
        r"""
        Return how the upper bound :meth:`upper` is proven.
        """
        n = len(self._laws)
        if not n:
            return "the dimension of the space"
        found = len(self._laws) - self._known
        search = f"discovered by the search of degree <= {self._degree}"
        origin = ("" if not found else f", {search}" if not self._known else
                  f" ({self._known} known, {found} {search})")
        return f"{number_phrase(n, 'independent conservation law')} verified symbolically{origin}"

    def proof(self):
        return (PROOF_DISCOVERED if len(self._laws) > self._known else
                PROOF_KNOWN if self._laws else PROOF_DIMENSION)

    def search(self, lower, up_to=None):
        r"""
        Search laws until the upper bound meets ``lower`` (or up to degree
        ``up_to``); return the notes of the search.
        """
        notes = []
        last = self._max_degree if up_to is None else min(up_to, self._max_degree)
        while self.upper() > lower and self._degree < last:
            if time.monotonic() > self._deadline:
                if not self._spent:
                    notes.append(f"the budget was spent before the laws of degree "
                                 f"{self._degree + 1}")
                self._spent = True
                break
            degree = self._degree + 1
            self._progress.update(f"discovering laws of degree {degree}")
            try:
                found = laws_of_degree(self._fields, degree, self._point, known=self._laws,
                                       target=self.dimension() - lower, seed=self._seed,
                                       deadline=self._deadline, progress=self._progress,
                                       systems=self._systems, auxiliary=self._auxiliary)
            except BeyondReach as beyond:
                notes.append(f"laws of degree {degree} not searched: {beyond}")
                break
            self._laws = found.laws()
            notes += found.notes()
            if not found.is_complete():
                break
            self._degree = degree
        return notes


def _certified_closure(ladder, seed, prime, attempts, verification_points, progress):
    r"""
    Return a :class:`~sage_conslaws.closure.lie_closure.LieClosure` and its
    :class:`~sage_conslaws.closure.certificate.Certificate`: the ladder of
    :func:`count_conservation_laws`, retried while a check proves the closure incomplete.

    A closure proven incomplete also proves a lower bound: one more than its
    rank, or the rank found at the point of
    :func:`~sage_conslaws.closure.verification.verify_closure`. The
    certificate's lower bound is the best of these and of the ranks; if it
    meets the upper bound, the count is certified.
    """
    fields = ladder.fields()
    notes, best, proven = [], None, 0
    if not ladder.laws() and not ladder.auxiliary():
        # Laws of low degree are cheap to find, and with them the closure stops as
        # soon as its rank meets D - N instead of running a bracket level beyond
        # (``relu 6,9,9,6,5``: 23 s for the full closure, most of it that last level).
        # Not in phase space, where the time variable makes the search longer and the
        # closure often reaches 2D + 1 (``relu 5,7,4,7 --bias`` under momentum: 8 s for
        # the closure, 45 s with this search first). Measured on the 20 linear momentum
        # cases of benchmarks/momentum_families.py: 125 s closure first, 158 s with a
        # closure of two levels and this search first.
        notes += ladder.search(0, up_to=EARLY_DEGREE)
    structured = _structured_rank(fields, ladder.upper(), seed, prime, progress)
    if structured is not None:
        structured, skipped = structured
        notes += skipped
        # random brackets on dual numbers first: a lower bound without Taylor expansions
        # (momentum of linear 1,6,6,2: 0.95 s against 10.8 s); the laws of low degree
        # may prove the count, else the symbolic closure below gives the frame of the rungs
        proven = structured.rank()
        if proven < ladder.upper():
            # only the cheap degrees here: the minors decide small frames below before a
            # search of high degree (one field on R^12: 60 s for degrees 3 to 6)
            notes += ladder.search(proven, up_to=EARLY_DEGREE)
        if proven == ladder.upper():
            return structured, Certificate(proven, proven, ladder.reason(), structured.point(),
                                           notes=notes, proof=ladder.proof())
    for attempt in range(attempts):
        closure_seed = seed if attempt == 0 else derived_seed("closure", seed, attempt)
        closure = lie_closure(fields, seed=closure_seed, prime=prime, stop_at=ladder.upper(),
                              progress=progress)
        notes += closure.notes()
        rank, point = closure.rank(), closure.point()
        if best is None or rank > best.rank():
            best = closure
        lower = max(rank, proven)
        minors = None
        if proven <= rank < ladder.upper():
            # the minors decide small frames at once: before a search of high degree
            # (one field on R^12: the search up to degree 6 took 50 s, the minors 0.01 s)
            minors = check_involutive(closure)
            if minors:
                return closure, Certificate(rank, rank, INVOLUTIVITY, point, notes=notes,
                                            proof=PROOF_MINORS)
        if lower < ladder.upper():
            notes += ladder.search(lower)
        upper, reason = ladder.upper(), ladder.reason()
        if lower == upper:
            return best, Certificate(lower, upper, reason, best.point(), notes=notes,
                                     proof=ladder.proof())
        tried = (f"attempt {attempt + 1}: the closure of rank {rank} (prime {point.prime()}, "
                 f"seed {point.seed()}) was proven incomplete")
        if rank < proven:
            failure, exceeded = f"{tried} by an earlier attempt", proven
        else:
            progress.update("checking involutivity")
            involutive, proof = _involutivity(closure, ladder.deadline(), progress, minors)
            if involutive:
                return closure, Certificate(rank, rank, INVOLUTIVITY, point, notes=notes,
                                            proof=proof)
            if involutive is False:
                failure, exceeded = f"{tried} by the exact involutivity check", rank + 1
            else:
                progress.update("verifying the closure at random points")
                verification = verify_closure(closure, points=verification_points,
                                              max_error=MAX_ERROR)
                if verification.passed():
                    return closure, Certificate(rank, upper, reason, point, notes=notes,
                                                error_bound=verification.error_bound(),
                                                proof=PROOF_RANDOM)
                if not verification.proves_incomplete():
                    return closure, Certificate(max(rank, proven), upper, reason, point,
                                                notes=notes, failure=str(verification))
                exceeded = verification.witness()[1]
                failure = (f"{tried}: fields of Lie(W) have rank {exceeded} "
                           "at a random rational point")
        proven = max(proven, exceeded)
        failure += f", so dim Lie(W) >= {exceeded}"
        if proven == ladder.upper():
            notes.append(failure)
            return best, Certificate(proven, proven, ladder.reason(), best.point(), notes=notes,
                                     proof=ladder.proof())
        if attempt + 1 < attempts:
            failure += ", retried with another prime and point"
            # The smallest prime, 2, can only change its point.
            prime = previous_prime(point.prime()) if point.prime() > 2 else 2
        notes.append(failure)
    tried = ("the only closure tried was" if attempts == 1
             else f"each of the {attempts} closures tried was")
    return best, Certificate(max(best.rank(), proven), ladder.upper(), ladder.reason(),
                             best.point(), notes=notes, failure=f"{tried} proven incomplete")


def _structured_rank(fields, target, seed, prime, progress):
    r"""
    Return the :class:`~sage_conslaws.structured.closure.StructuredClosure` of
    ``fields`` compiled as a straight-line program and the notes on the primes
    skipped, or ``None`` if beyond its limits.
    """
    try:
        prime, notes = usable_prime(fields, prime)
        closure = structured_closure(PolynomialFamily(fields), target=target, seed=seed,
                                     prime=prime, progress=progress)
    except (BeyondReach, ZeroDivisionError, ValueError):
        return None
    return closure, notes


def _involutivity(closure, deadline, progress, minors=None):
    r"""
    Return whether the frame of ``closure`` is involutive (``True``, ``False``
    or ``None`` if not decided), and the rung that decided it.

    The determinants of :func:`~sage_conslaws.closure.verification.check_involutive`
    first (small frames), else the module standard bases of
    :func:`~sage_conslaws.closure.groebner.groebner_involutive`, within the budget.
    ``minors`` is the answer of the determinants if already known.
    """
    answer = check_involutive(closure) if minors is None else minors
    if answer is not None:
        return answer, PROOF_MINORS
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return None, None
    return groebner_involutive(closure, seconds=remaining, progress=progress), PROOF_GROEBNER


def _as_model(model):
    r"""
    Return ``model`` as a :class:`~sage_conslaws.models.base.Model`.
    """
    if isinstance(model, Model):
        return model
    if isinstance(model, (list, tuple)):
        return VectorFieldFamily(model)
    raise TypeError(f"expected a Model or a list of PolynomialVectorField, got {type(model).__name__}")
