r"""
Certificates for the number of conservation laws

Let `m` be the generic dimension of `\mathrm{Lie}(W)(\theta)` on `\RR^D`; the
number of independent conservation laws is `D - m`. A count is *certified*
when a lower and an upper bound on `m` meet:

- **lower bound**: the rank, modulo a prime at an explicit point, of fields of
  `\mathrm{Lie}(W)` (:func:`~sage_conslaws.lie_closure.lie_closure`). It is
  exact: a rank modulo `p` never exceeds the generic rank over `\QQ`.
- **upper bound**, one of:

  * `N` conservation laws verified symbolically (`\langle \nabla h, w
    \rangle = 0` for every generator `w`, exactly) and functionally
    independent (gradients independent at a point): a law conserved through
    `W` is conserved through `\mathrm{Lie}(W)`, so `m \le D - N`
    (:func:`laws_upper_bound`);
  * an involutivity check of the final frame over the fraction field: every
    generator and every bracket `[g, X]` lies in the span of the frame over
    `\mathrm{Frac}(R)`, so `m` equals the frame size (:func:`check_involutive`,
    exact, for small frames);
  * the trivial bound `m \le D`.

When no exact upper bound meets the lower bound, :func:`verify_closure` tests
the involutivity at independent random integer points over `\QQ`; a pass is
wrong with probability at most the Schwartz--Zippel bound it returns, and the
result is reported as *not certified*, with that bound.
"""
import random

from sage.matrix.constructor import matrix
from sage.modules.free_module_element import vector
from sage.rings.integer_ring import ZZ
from sage.rings.rational_field import QQ
from sage.structure.sage_object import SageObject

from .jets import TaylorJets
from .laws import is_conservation_law, law_gradients
from .vector_fields import _to_ring

#: Random integer points and coefficients of :func:`verify_closure` are drawn in `[0, 2^{32})`.
SAMPLE_RANGE = 2**32


class Certificate(SageObject):
    r"""
    Bounds on the generic dimension of `\mathrm{Lie}(W)(\theta)` and how they were proven.

    INPUT:

    - ``lower_bound`` -- the proven lower bound (a rank at an explicit point)
    - ``upper_bound`` -- the best proven upper bound
    - ``upper_bound_reason`` -- a sentence saying how the upper bound was proven
    - ``point`` -- the :class:`~sage_conslaws.evaluation.ModularPoint` of the lower bound
    - ``error_bound`` -- (default: ``None``) when the bounds do not meet, an
      upper bound on the probability that the reported dimension
      ``lower_bound`` is wrong, or ``None`` if nothing was verified

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: C = LinearNetwork([2, 2, 2]).conservation_laws().certificate(); C
        certified: 5 <= dim Lie(W) <= 5 (upper bound: 3 independent conservation laws verified symbolically)
        sage: C.is_certified(), C.lower_bound(), C.upper_bound()
        (True, 5, 5)
    """

    def __init__(self, lower_bound, upper_bound, upper_bound_reason, point, error_bound=None):
        self._lower = lower_bound
        self._upper = upper_bound
        self._reason = upper_bound_reason
        self._point = point
        self._error_bound = error_bound

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
            '2 independent conservation laws verified symbolically'
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

    def error_bound(self):
        r"""
        Return the probability that an uncertified dimension is wrong (``0`` if certified).

        ``None`` means that nothing bounds it (the closure was not verified).

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([2, 2, 1]).conservation_laws().certificate().error_bound()
            0
        """
        return 0 if self.is_certified() else self._error_bound

    def point(self):
        r"""
        Return the explicit point (modulo a prime) of the lower bound.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([2, 2, 1]).conservation_laws().certificate().point()
            random point of GF(8388593)^6 (seed 0)
        """
        return self._point

    def _repr_(self):
        if self.is_certified():
            return (f"certified: {self._lower} <= dim Lie(W) <= {self._upper} "
                    f"(upper bound: {self._reason})")
        error = ("not verified" if self._error_bound is None
                 else f"wrong with probability <= {float(self._error_bound):.1e}")
        return (f"not certified: {self._lower} <= dim Lie(W) <= {self._upper} "
                f"(upper bound: {self._reason}); dim = {self._lower} {error}")


def laws_upper_bound(laws, fields, point, verified=()):
    r"""
    Verify ``laws`` symbolically and return a maximal independent subset of them.

    Its size `N` proves `\dim \mathrm{Lie}(W)(\theta) \le D - N` at generic `\theta`.

    INPUT:

    - ``laws`` -- a list of ``(name, polynomial)`` pairs
    - ``fields`` -- the generating family `W`
    - ``point`` -- the :class:`~sage_conslaws.evaluation.ModularPoint` at which
      independence is read (independence there proves it generically)
    - ``verified`` -- (default: none) pairs already verified and independent,
      e.g. the result of an earlier call; they are kept first, not verified again

    OUTPUT: the list of the ``(name, polynomial)`` pairs kept, among
    ``verified`` and ``laws``

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.certificate import laws_upper_bound
        sage: from sage_conslaws.evaluation import ModularPoint
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
    laws = [(name, _to_ring(fields[0].ring(), h)) for name, h in laws]
    for name, h in laws:
        if not is_conservation_law(h, fields):
            raise ValueError(f"the claimed law {name!r} ({h}) is not conserved")
    laws = list(verified) + laws
    pivots = law_gradients([h for _, h in laws], point).pivot_rows()
    return [laws[i] for i in pivots]


def check_involutive(closure, max_rank=4, max_dimension=16):
    r"""
    Return whether the frame of ``closure`` spans an involutive distribution
    containing the generators, exactly over the fraction field.

    If so, the generic dimension of `\mathrm{Lie}(W)` *is* the frame size.
    Every generator and every bracket `[g_a, X_b]` (``g_a`` in the generator
    frame, ``X_b`` in the frame) is tested: `T` lies in the span of the `m`
    frame fields over `\mathrm{Frac}(R)` iff the `(m+1)`-minors on the columns
    `P \cup \{c\}` vanish, where `P` are `m` columns on which the frame has a
    non-zero minor (read at the point, hence non-zero as a polynomial).

    INPUT:

    - ``closure`` -- a complete :class:`~sage_conslaws.lie_closure.LieClosure`
    - ``max_rank``, ``max_dimension`` -- (default: 4 and 16) size limits beyond
      which the determinants are too costly; then ``None`` is returned

    OUTPUT: ``True``, ``False``, or ``None`` (not attempted)

    EXAMPLES:

    A single field generates a one-dimensional distribution::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField, lie_closure
        sage: from sage_conslaws.certificate import check_involutive
        sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
        sage: check_involutive(lie_closure([PolynomialVectorField(R, [x^2*y, z - x, y^3])]))
        True

    The rotations about two axes span an involutive distribution (tangent to
    spheres), although their bracket is a third rotation::

        sage: X = PolynomialVectorField(R, [0, z, -y]); Y = PolynomialVectorField(R, [z, 0, -x])
        sage: check_involutive(lie_closure([X, Y]))
        True

    The fields `\partial_x` and `\partial_y + x \partial_z` do not::

        sage: X = PolynomialVectorField(R, [1, 0, 0]); Y = PolynomialVectorField(R, [0, 1, x])
        sage: check_involutive(lie_closure([X, Y], max_depth=0))
        False
    """
    frame = closure.frame()
    m, D = len(frame), closure.dimension()
    if m > max_rank or D > max_dimension:
        return None
    ring = frame[0].ring()
    values = closure.point().values(frame)
    pivots = values.pivots()
    others = [c for c in range(D) if c not in pivots]
    tests = closure.generators() + [g.bracket(X) for g in closure.generator_frame()
                                    for X in frame]
    rows = [X.components() for X in frame]
    for T in tests:
        if T.is_zero():
            continue
        for c in others:
            columns = list(pivots) + [c]
            minor = matrix(ring, [[row[j] for j in columns] for row in rows + [T.components()]])
            if not minor.det().is_zero():
                return False
    return True


def verify_closure(closure, points=2, seed=0):
    r"""
    Test at random integer points that ``closure`` is complete; return the error bound.

    At each point `\theta'` (coordinates drawn uniformly in `[0, 2^{32})`,
    independently of the point of the closure), one checks over `\QQ` that the
    frame has full rank `m` and that a random combination of the generators and
    a random combination of all brackets `[g_a, X_b]` lie in its span. If the
    frame does not span an involutive distribution containing `W`, some
    `(m+1)`-minor, a non-zero polynomial of degree at most
    `\delta = \sum_X \deg X + \max \deg T + 1` in `\theta'` and the random
    coefficients, vanishes at the sample; by Schwartz--Zippel this happens with
    probability at most `\delta / 2^{32}` at each point.

    INPUT:

    - ``closure`` -- a :class:`~sage_conslaws.lie_closure.LieClosure`
    - ``points`` -- (default: 2) the number of independent points
    - ``seed`` -- (default: 0) seed of the points

    OUTPUT: ``None`` if a check fails (the closure is not complete, or a point
    was degenerate), else the bound `(\delta / 2^{32})^{\text{points}}` on the
    probability that the closure is not complete

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField, lie_closure
        sage: from sage_conslaws.certificate import verify_closure
        sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
        sage: X = PolynomialVectorField(R, [0, z, -y]); Y = PolynomialVectorField(R, [z, 0, -x])
        sage: verify_closure(lie_closure([X, Y])) < 1e-16
        True
        sage: X = PolynomialVectorField(R, [1, 0, 0]); Y = PolynomialVectorField(R, [0, 1, x])
        sage: verify_closure(lie_closure([X, Y], max_depth=0)) is None
        True
    """
    if points < 1:
        raise ValueError(f"the number of verification points must be positive, got {points}")
    rng = random.Random(int(seed))
    generators, recipes = closure.generators(), closure.recipes()
    degrees = _frame_degrees(generators, recipes)
    generator_degree = max(w.degree() for w in generators)
    bracket_degree = max(degrees[i] for i, r in enumerate(recipes) if r[0] == "generator") \
        + max(degrees) - 1
    degree = sum(degrees) + max(generator_degree, bracket_degree) + 1
    for _ in range(points):
        if not _passes_at_random_point(closure, rng):
            return None
    return (QQ(degree) / SAMPLE_RANGE) ** points


def _frame_degrees(generators, recipes):
    r"""
    Return upper bounds on the degrees of the frame fields, from their recipes.
    """
    degrees = []
    generator_frame = [i for i, r in enumerate(recipes) if r[0] == "generator"]
    for recipe in recipes:
        if recipe[0] == "generator":
            degrees.append(generators[recipe[1]].degree())
        else:
            degrees.append(degrees[generator_frame[recipe[1]]] + degrees[recipe[2]] - 1)
    return degrees


def _passes_at_random_point(closure, rng):
    r"""
    Return whether the checks of :func:`verify_closure` pass at one random point.
    """
    D = closure.dimension()
    point = [QQ(rng.randrange(SAMPLE_RANGE)) for _ in range(D)]

    def draw(n):
        return vector(ZZ, [rng.randrange(SAMPLE_RANGE) for _ in range(n)])

    jets = TaylorJets(closure.generators()[0].ring(), point)
    frame = closure.expansions(jets, 1)
    generator_frame = [frame[i] for i, r in enumerate(closure.recipes()) if r[0] == "generator"]
    frame_values = jets.values(frame)
    if frame_values.rank() < len(frame):
        return False
    generators = closure.generators()
    combination_of_generators = draw(len(generators)) * jets.values(
        [jets.expand(w, 0) for w in generators])
    # sum_{a,b} r_ab [g_a, X_b](point) = sum_b dX_b (sum_a r_ab g_a) - sum_a dg_a (sum_b r_ab X_b)
    generator_values = jets.values(generator_frame)
    r = matrix(ZZ, len(generator_frame), len(frame),
               list(draw(len(generator_frame) * len(frame))))
    combination_of_brackets = vector(QQ, D)
    for b, X in enumerate(frame):
        combination_of_brackets += jets.jacobian(X) * (r.column(b) * generator_values)
    for a, g in enumerate(generator_frame):
        combination_of_brackets -= jets.jacobian(g) * (r.row(a) * frame_values)
    tested = frame_values.stack(matrix(QQ, [combination_of_generators, combination_of_brackets]))
    return tested.rank() == len(frame)
