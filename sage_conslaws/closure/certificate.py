r"""
Certificates for the number of conservation laws

Let `m` be the generic dimension of `\mathrm{Lie}(W)(\theta)` on `\RR^D`; the
number of independent conservation laws is `D - m`. A count is *certified*
when a lower and an upper bound on `m` meet:

- **lower bound**: the rank, modulo a prime at an explicit point, of fields of
  `\mathrm{Lie}(W)` (:func:`~sage_conslaws.closure.lie_closure.lie_closure`). It is
  exact: a rank modulo `p` never exceeds the generic rank over `\QQ`.
- **upper bound**, one of:

  * `N` conservation laws verified symbolically (`\langle \nabla h, w
    \rangle = 0` for every generator `w`, exactly) and functionally
    independent (gradients independent at a point): a law conserved through
    `W` is conserved through `\mathrm{Lie}(W)`, so `m \le D - N`
    (:func:`laws_upper_bound`);
  * an involutivity check of the final frame over the fraction field: every
    generator and every bracket `[g, X]` lies in the span of the frame over
    `\mathrm{Frac}(R)`, so `m` equals the frame size (:func:`~sage_conslaws.closure.verification.check_involutive`,
    exact, for small frames);
  * the trivial bound `m \le D`.

When no exact upper bound meets the lower bound, :func:`~sage_conslaws.closure.verification.verify_closure` tests
the involutivity at random integer points over `\QQ`, drawn independently of
the closure point. A count that passes is *probabilistic*, not verified: an
incomplete frame passes with probability at most the Schwartz--Zippel bound
returned, and the certificate says so.

A check can also *fail*, and a failure is a proof: if
:func:`~sage_conslaws.closure.verification.check_involutive` answers ``False``, or :func:`~sage_conslaws.closure.verification.verify_closure` finds,
at a point, a field of `\mathrm{Lie}(W)` outside the span of the frame, then
`m` exceeds the frame size (the closure modulo `p` stopped too early: the
prime or the point was unlucky). Such a frame is never reported with an error
bound; :func:`~sage_conslaws.laws.count.count_conservation_laws` retries with
another prime and point, and if every attempt fails, the count is *not
certified*, with the reason. The :meth:`Certificate.notes` record the primes
changed and the attempts that failed.
"""
from sage.structure.sage_object import SageObject

from sage_conslaws.laws.polynomial import is_conservation_law, law_gradients
from sage_conslaws.fields.coercion import to_ring


#: Random integer points and coefficients of :func:`~sage_conslaws.closure.verification.verify_closure` are drawn in `[0, 2^{32})`.
SAMPLE_RANGE = 2**32


#: The upper-bound reason of a count proven by an exact involutivity check.
INVOLUTIVITY = "involutivity of the frame, checked exactly over the fraction field"

#: The largest error bound of a probabilistic count by default
#: (:func:`~sage_conslaws.closure.verification.verify_closure` draws enough points).
MAX_ERROR = 10**-12

#: The rungs of the certification ladder (:meth:`Certificate.proof`): the
#: closure reached the dimension `D`; known laws; laws discovered by the
#: engine; involutivity by minors; involutivity by module standard bases;
#: random verification (probabilistic).
PROOF_DIMENSION = "rank D"
PROOF_KNOWN = "known laws"
PROOF_DISCOVERED = "discovered laws"
PROOF_MINORS = "involutivity (minors)"
PROOF_GROEBNER = "involutivity (Groebner bases)"
PROOF_RANDOM = "random verification"


class Certificate(SageObject):
    r"""
    Bounds on the generic dimension of `\mathrm{Lie}(W)(\theta)` and how they were proven.

    A certificate is in one of three states (:meth:`status`):

    - ``"certified"``: the proven bounds meet (:meth:`proof` says which rung
      of the ladder of :func:`~sage_conslaws.laws.count.count_conservation_laws`
      proved the upper bound);
    - ``"probabilistic"``: they do not, but the frame passed
      :func:`~sage_conslaws.closure.verification.verify_closure`; :meth:`error_bound` bounds the probability that
      an incomplete frame passes;
    - ``"not verified"``: they do not, and there is no error bound;
      :meth:`failure` says why.

    INPUT:

    - ``lower_bound`` -- the proven lower bound: a rank at an explicit point,
      or more if a check proved a frame incomplete (the notes say so)
    - ``upper_bound`` -- the best proven upper bound
    - ``upper_bound_reason`` -- a sentence saying how the upper bound was proven
    - ``point`` -- the :class:`~sage_conslaws.fields.evaluation.ModularPoint` of the lower bound
    - ``error_bound`` -- (default: ``None``) when the bounds do not meet and the
      frame passed :func:`~sage_conslaws.closure.verification.verify_closure`, its bound; ``None`` if nothing was verified
    - ``failure`` -- (default: ``None``) when the bounds do not meet and there
      is no error bound, a sentence saying why
    - ``notes`` -- (default: none) sentences on the choices made on the way
      (primes changed, attempts that failed)
    - ``proof`` -- (default: ``None``) the rung that proved the count or gave
      its error bound, one of the ``PROOF_`` constants of this module

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: C = LinearNetwork([2, 2, 2]).conservation_laws().certificate(); C
        certified by known laws: 5 <= dim Lie(W) <= 5 (upper bound: 3 independent conservation laws verified by the structure of the network (symmetries of its layers))
        sage: C.is_certified(), C.lower_bound(), C.upper_bound(), C.status()
        (True, 5, 5, 'certified')

    The two other states::

        sage: from sage.rings.rational_field import QQ
        sage: from sage_conslaws.closure.certificate import Certificate
        sage: from sage_conslaws.fields.evaluation import ModularPoint
        sage: P = ModularPoint(12)
        sage: Certificate(6, 12, "the dimension of the space", P, error_bound=QQ(2)^-58)
        probabilistic: 6 <= dim Lie(W) <= 12 (upper bound: the dimension of the space); dim = 6 unless the random verification missed an incomplete frame, probability <= 3.5e-18 (Schwartz-Zippel)
        sage: C = Certificate(6, 12, "the dimension of the space", P,
        ....:                 failure="every closure tried was proven incomplete"); C
        not verified: 6 <= dim Lie(W) <= 12 (upper bound: the dimension of the space); no error bound: every closure tried was proven incomplete
        sage: C.status(), C.error_bound()
        ('not verified', None)
    """

    def __init__(self, lower_bound, upper_bound, upper_bound_reason, point, error_bound=None,
                 failure=None, notes=(), proof=None):
        self._lower = lower_bound
        self._proof = proof
        self._upper = upper_bound
        self._reason = upper_bound_reason
        self._point = point
        self._error_bound = error_bound
        self._failure = failure
        self._notes = list(notes)

    def lower_bound(self):
        r"""
        Return the proven lower bound on the generic dimension of `\mathrm{Lie}(W)`.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([2, 2, 1]).conservation_laws().certificate().lower_bound()
            4
        """
        return self._lower

    def upper_bound(self):
        r"""
        Return the proven upper bound on the generic dimension of `\mathrm{Lie}(W)`.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([2, 2, 1]).conservation_laws().certificate().upper_bound()
            4
        """
        return self._upper

    def upper_bound_reason(self):
        r"""
        Return how the upper bound was proven.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([2, 2, 1]).conservation_laws().certificate().upper_bound_reason()
            '2 independent conservation laws verified by the structure of the network (symmetries of its layers)'
        """
        return self._reason

    def is_certified(self):
        r"""
        Return whether the bounds meet, i.e. the dimension is proven.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([2, 2, 1]).conservation_laws().certificate().is_certified()
            True
        """
        return self._lower == self._upper

    def status(self):
        r"""
        Return ``"certified"``, ``"probabilistic"`` or ``"not verified"``.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([2, 2, 1]).conservation_laws().certificate().status()
            'certified'
        """
        if self.is_certified():
            return "certified"
        return "not verified" if self._error_bound is None else "probabilistic"

    def kind(self):
        r"""
        Return ``"proven"``, ``"probabilistic"`` or ``"not verified"``: the
        kind of the certificate, as the JSON of a count writes it.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([2, 2, 1]).conservation_laws().certificate().kind()
            'proven'
        """
        return "proven" if self.is_certified() else self.status()

    def proof(self):
        r"""
        Return the rung of the ladder that proved the count (or gave its
        error bound), ``None`` if not verified.

        EXAMPLES::

            sage: from sage_conslaws import PolynomialMap, ReLUNetwork
            sage: ReLUNetwork([2, 2, 1]).conservation_laws().certificate().proof()
            'known laws'
            sage: ReLUNetwork([2, 2, 1]).conservation_laws(discover=True).certificate().proof()
            'discovered laws'
            sage: PolynomialMap(["x*y"]).conservation_laws().certificate().proof()
            'discovered laws'
        """
        return self._proof if self.status() != "not verified" else None

    def error_bound(self):
        r"""
        Return ``0`` if certified; else the probability, over the verification
        draws, that an incomplete frame passes (``None`` if not verified).

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([2, 2, 1]).conservation_laws().certificate().error_bound()
            0
        """
        return 0 if self.is_certified() else self._error_bound

    def failure(self):
        r"""
        Return why the count is not certified (``None`` if it is).

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.closure.certificate import Certificate
            sage: ReLUNetwork([2, 2, 1]).conservation_laws().certificate().failure() is None
            True
            sage: Certificate(1, 2, "the dimension of the space", None, error_bound=QQ(2)^-60).failure()
            'no proven upper bound meets the lower bound; the closure was verified at random points instead'
        """
        if self.is_certified():
            return None
        if self._error_bound is not None:
            return ("no proven upper bound meets the lower bound; "
                    "the closure was verified at random points instead")
        return self._failure or "no proven upper bound meets the lower bound"

    def notes(self):
        r"""
        Return sentences on the choices made on the way: primes changed, attempts that failed.

        EXAMPLES::

            sage: from sage_conslaws import PolynomialMap
            sage: PolynomialMap(['8388593*x*y*z']).conservation_laws().certificate().notes()
            ['prime 8388593 divides a coefficient of the fields, used 8388587']
        """
        return list(self._notes)

    def point(self):
        r"""
        Return the explicit point (modulo a prime) of the closure kept.

        The rank of the frame there is the lower bound, unless a check
        proved a frame incomplete and raised the lower bound (see :meth:`notes`).

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([2, 2, 1]).conservation_laws().certificate().point()
            random point of GF(8388593)^6 (seed 0)
        """
        return self._point

    def _repr_(self):
        bounds = (f"{self._lower} <= dim Lie(W) <= {self._upper} "
                  f"(upper bound: {self._reason})")
        status = self.status()
        if status == "certified":
            text = f"certified by {self._proof}: {bounds}" if self._proof else f"certified: {bounds}"
        elif status == "probabilistic":
            text = (f"probabilistic: {bounds}; dim = {self._lower} unless the random "
                    "verification missed an incomplete frame, probability <= "
                    f"{float(self._error_bound):.1e} (Schwartz-Zippel)")
        else:
            text = f"not verified: {bounds}; no error bound: {self.failure()}"
        return "; ".join([text] + [f"note: {note}" for note in self._notes])


def laws_upper_bound(laws, fields, point, verified=()):
    r"""
    Verify ``laws`` symbolically and return a maximal independent subset of them.

    Its size `N` proves `\dim \mathrm{Lie}(W)(\theta) \le D - N` at generic `\theta`.

    INPUT:

    - ``laws`` -- a list of ``(name, polynomial)`` pairs
    - ``fields`` -- the generating family `W`
    - ``point`` -- the :class:`~sage_conslaws.fields.evaluation.ModularPoint` at which
      independence is read (independence there proves it generically)
    - ``verified`` -- (default: none) pairs already verified and independent,
      e.g. the result of an earlier call; they are kept first, not verified again

    OUTPUT: the list of the ``(name, polynomial)`` pairs kept, among
    ``verified`` and ``laws``

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.closure.certificate import laws_upper_bound
        sage: from sage_conslaws.fields.evaluation import ModularPoint
        sage: N = LinearNetwork([1, 4, 2])
        sage: P = ModularPoint(N.dimension())
        sage: known = laws_upper_bound(N.known_laws(), N.fields(), P); len(known)
        9
        sage: len(laws_upper_bound([('twice', 2*known[0][1])], N.fields(), P, verified=known))
        9

    TESTS::

        sage: laws_upper_bound([('wrong', N.parameters()[0])], N.fields(), ModularPoint(N.dimension()))
        Traceback (most recent call last):
        ...
        ValueError: the claimed law 'wrong' (w1_0_0) is not conserved
    """
    for law in laws:
        if not (isinstance(law, (tuple, list)) and len(law) == 2 and isinstance(law[0], str)):
            raise TypeError(f"candidate laws must be (name, polynomial) pairs, got {law!r}")
    laws = [(name, to_ring(fields[0].ring(), h)) for name, h in laws]
    for name, h in laws:
        if not is_conservation_law(h, fields):
            raise ValueError(f"the claimed law {name!r} ({h}) is not conserved")
    laws = list(verified) + laws
    pivots = law_gradients([h for _, h in laws], point).pivot_rows()
    return [laws[i] for i in pivots]
