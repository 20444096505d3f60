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
from sage.arith.misc import previous_prime

from sage_conslaws.models.base import Model
from sage_conslaws.models.polynomial_map import VectorFieldFamily
from sage_conslaws.closure.certificate import INVOLUTIVITY, Certificate, laws_upper_bound
from sage_conslaws.closure.verification import check_involutive, verify_closure
from sage_conslaws.fields.evaluation import DEFAULT_PRIME, ModularPoint, derived_seed
from sage_conslaws.laws.polynomial import new_laws, polynomial_laws
from sage_conslaws.closure.lie_closure import lie_closure
from sage_conslaws.interface.progress import Progress, Stopwatch
from sage_conslaws.laws.result import ConservationLawCount, number_phrase


def count_conservation_laws(model, seed=0, degree=None, laws=(), metric_inverse=None,
                            use_known_laws=True, verification_points=2, prime=DEFAULT_PRIME,
                            attempts=3, progress=None):
    r"""
    Return the number of independent conservation laws of ``model``, with a certificate.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`, or a
      list of :class:`~sage_conslaws.fields.vector_fields.PolynomialVectorField`
    - ``seed`` -- (default: 0) seed of every random choice; the result is
      deterministic for a given seed
    - ``degree`` -- (default: ``None``) if given, also search the polynomial
      laws of degree at most ``degree``; they serve as upper bound and are
      reported (the new ones only, see :func:`~sage_conslaws.laws.polynomial.new_laws`)
    - ``laws`` -- (default: none) more candidate laws, as ``(name, polynomial)``
      pairs; they are verified, never trusted
    - ``metric_inverse`` -- (default: ``None``) the inverse metric of a
      non-Euclidean gradient flow (see :func:`~sage_conslaws.fields.gradient.gradient_fields`)
    - ``use_known_laws`` -- (default: ``True``) whether to use the laws the
      architecture knows in closed form; without them the closure runs until a
      bracket level adds nothing, and the count is certified only by the
      other routes
    - ``verification_points`` -- (default: 2) random points of
      :func:`~sage_conslaws.closure.verification.verify_closure` when no exact upper
      bound meets the lower bound
    - ``prime`` -- (default: `8388593`) the prime of the Lie closure; a
      prime dividing a coefficient of the fields is replaced by a smaller one
      (:func:`~sage_conslaws.fields.evaluation.usable_prime`)
    - ``attempts`` -- (default: 3) the number of closures tried: when a check
      proves a closure incomplete, the next one uses the next smaller prime
      and a new point
    - ``progress`` -- (default: ``None``) a :class:`~sage_conslaws.interface.progress.Progress`

    OUTPUT: a :class:`~sage_conslaws.laws.result.ConservationLawCount`

    ALGORITHM:

    1. Verify the candidate laws (those the architecture knows, those given,
       those found up to ``degree``) and keep an independent subset of `N`: the
       dimension `m` of `\mathrm{Lie}(W)` is at most `D - N`.
    2. Close `W` under brackets at a random point until the rank stops growing
       or reaches `D - N` (:func:`~sage_conslaws.closure.lie_closure.lie_closure`).
    3. If the rank reached `D - N` (or `D`), the count is certified. Otherwise
       try the exact involutivity check (small cases), else verify the closure
       at random points (:mod:`~sage_conslaws.closure.certificate`): a pass gives a
       *probabilistic* count with its error bound.
    4. A failed check (involutivity ``False``, or fields of `\mathrm{Lie}(W)`
       of higher rank at a verification point) proves that the closure
       stopped too early: go back to step 2 with the next smaller prime and a
       point seeded by :func:`derived_seed("closure", seed, attempt)
       <sage_conslaws.fields.evaluation.derived_seed>`, at most ``attempts`` times in
       all. If every attempt fails, the count is *not certified*, with no
       error bound. The certificate's notes record each failure.

    EXAMPLES:

    Two-layer linear networks `UV^T` with `U` of size `n \times r`, `V` of
    size `m \times r`, `k = n + m`: `r(r+1)/2` laws if `r \le k`, else
    `kr - k(k-1)/2` ([MGP2023]_)::

        sage: from sage_conslaws import LinearNetwork, count_conservation_laws
        sage: count_conservation_laws(LinearNetwork([1, 2, 1])).number_of_laws()  # r = k = 2
        3
        sage: count_conservation_laws(LinearNetwork([1, 4, 2])).number_of_laws()  # 4*3 - 3
        9

    Without the laws known in closed form, the closure runs to its end and the
    count is certified by the degree-2 laws it finds::

        sage: r = count_conservation_laws(LinearNetwork([2, 3, 2]), use_known_laws=False, degree=2)
        sage: r.number_of_laws(), r.is_certified()
        (6, True)

    or, without any law, verified at random points with an error bound
    (a probabilistic count, not a certified one)::

        sage: r = count_conservation_laws(LinearNetwork([2, 3, 2]), use_known_laws=False)
        sage: r.number_of_laws(), r.is_certified(), r.certificate().status()
        (6, False, 'probabilistic')
        sage: r.certificate().error_bound() < 1e-15
        True

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

    With a fourth parameter `w`, on which nothing depends, the proof leaves
    `3 \le \dim \mathrm{Lie}(W) \le 4`; the next attempt (prime 5, a new
    point) finds rank 3, proven by involutivity::

        sage: R = PolynomialRing(QQ, 'x, y, z, w'); x, y, z, w = R.gens()
        sage: M = PolynomialMap([x, y + x*z^2/2])
        sage: r = count_conservation_laws(M, prime=7, seed=2); r.number_of_laws(), r.is_certified()
        (1, True)
        sage: r.certificate().notes()
        ['attempt 1: the closure of rank 2 (prime 7, seed 2) was proven incomplete by the exact involutivity check, so dim Lie(W) >= 3, retried with another prime and point']
        sage: r.certificate().point().prime()
        5

    With a single attempt, the count is not certified, and has no error
    bound::

        sage: r = count_conservation_laws(M, prime=7, seed=2, attempts=1)
        sage: r.certificate()
        not certified: 3 <= dim Lie(W) <= 4 (upper bound: the dimension of the space); no error bound: the only closure tried was proven incomplete; note: attempt 1: the closure of rank 2 (prime 7, seed 2) was proven incomplete by the exact involutivity check, so dim Lie(W) >= 3
        sage: r.certificate().status(), r.certificate().error_bound()
        ('not certified', None)

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
    clock = Stopwatch()
    progress = progress or Progress(enabled=False)
    model = _as_model(model)
    fields = model.fields(metric_inverse) if metric_inverse is not None else model.fields()
    if not fields:
        raise ValueError(f"{model} has no non-constant coordinate: every function is conserved")
    D = model.dimension()
    point = ModularPoint(D, seed=seed, prime=DEFAULT_PRIME)

    progress.update("verifying known laws")
    candidates = list(model.known_laws()) if use_known_laws and metric_inverse is None else []
    known = laws_upper_bound(candidates + list(laws), fields, point)
    found, independent = [], known
    if degree is not None:
        progress.update(f"polynomial laws of degree <= {degree}")
        found = new_laws(polynomial_laws(fields, degree))
        named = [(f"degree {h.degree()} law {i}", h) for i, h in enumerate(found)]
        independent = laws_upper_bound(named, fields, point, verified=known)

    closure, certificate = _certified_closure(fields, len(independent), seed, prime, attempts,
                                              verification_points, progress)
    progress.done()
    return ConservationLawCount(model, closure, certificate, independent, len(known), found,
                                clock.seconds())


def _certified_closure(fields, number_of_laws, seed, prime, attempts, verification_points,
                       progress):
    r"""
    Return a :class:`~sage_conslaws.closure.lie_closure.LieClosure` of ``fields`` and
    its :class:`~sage_conslaws.closure.certificate.Certificate`, retrying while a
    check proves the closure incomplete (see :func:`count_conservation_laws`).

    A closure proven incomplete also proves a lower bound: one more than its
    rank, or the rank found at the point of :func:`~sage_conslaws.closure.verification.verify_closure`. The
    certificate's lower bound is the best of these and of the ranks; if it
    meets the upper bound, the count is certified.
    """
    upper = fields[0].dimension() - number_of_laws
    reason = (f"{number_phrase(number_of_laws, 'independent conservation law')} verified symbolically"
              if number_of_laws else "the dimension of the space")
    notes, best, proven = [], None, 0
    for attempt in range(attempts):
        closure_seed = seed if attempt == 0 else derived_seed("closure", seed, attempt)
        closure = lie_closure(fields, seed=closure_seed, prime=prime, stop_at=upper,
                              progress=progress)
        notes += closure.notes()
        rank, point = closure.rank(), closure.point()
        if best is None or rank > best.rank():
            best = closure
        if rank == upper:
            return closure, Certificate(rank, upper, reason, point, notes=notes)
        tried = (f"attempt {attempt + 1}: the closure of rank {rank} (prime {point.prime()}, "
                 f"seed {point.seed()}) was proven incomplete")
        if rank < proven:
            failure, exceeded = f"{tried} by an earlier attempt", proven
        else:
            progress.update("checking involutivity")
            involutive = check_involutive(closure)
            if involutive:
                return closure, Certificate(rank, rank, INVOLUTIVITY, point, notes=notes)
            if involutive is False:
                failure, exceeded = f"{tried} by the exact involutivity check", rank + 1
            else:
                progress.update("verifying the closure at random points")
                verification = verify_closure(closure, points=verification_points)
                if verification.passed():
                    return closure, Certificate(rank, upper, reason, point, notes=notes,
                                                error_bound=verification.error_bound())
                if not verification.proves_incomplete():
                    return closure, Certificate(max(rank, proven), upper, reason, point,
                                                notes=notes, failure=str(verification))
                exceeded = verification.witness()[1]
                failure = (f"{tried}: fields of Lie(W) have rank {exceeded} "
                           "at a random rational point")
        proven = max(proven, exceeded)
        failure += f", so dim Lie(W) >= {exceeded}"
        if proven == upper:
            notes.append(failure)
            return best, Certificate(proven, upper, reason, best.point(), notes=notes)
        if attempt + 1 < attempts:
            failure += ", retried with another prime and point"
            # The smallest prime, 2, can only change its point.
            prime = previous_prime(point.prime()) if point.prime() > 2 else 2
        notes.append(failure)
    tried = ("the only closure tried was" if attempts == 1
             else f"each of the {attempts} closures tried was")
    return best, Certificate(max(best.rank(), proven), upper, reason, best.point(), notes=notes,
                             failure=f"{tried} proven incomplete")


def _as_model(model):
    r"""
    Return ``model`` as a :class:`~sage_conslaws.models.base.Model`.
    """
    if isinstance(model, Model):
        return model
    if isinstance(model, (list, tuple)):
        return VectorFieldFamily(model)
    raise TypeError(f"expected a Model or a list of PolynomialVectorField, got {type(model).__name__}")
