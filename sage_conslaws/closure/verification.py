r"""
Checks of a Lie closure: exact involutivity over the fraction field, and
verification at random rational points with a Schwartz--Zippel bound.
"""
import random
from sage.matrix.constructor import matrix
from sage.modules.free_module_element import vector
from sage.rings.integer_ring import ZZ
from sage.rings.rational_field import QQ
from sage.structure.sage_object import SageObject

from sage_conslaws.fields.evaluation import derived_seed
from sage_conslaws.fields.jets import TaylorJets
from sage_conslaws.closure.certificate import SAMPLE_RANGE
from sage_conslaws.limits import check_verification


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

    If not, some generator or bracket, a field of `\mathrm{Lie}(W)`, is
    independent of the frame over `\mathrm{Frac}(R)`: the generic dimension
    *exceeds* the frame size, a proof that the closure stopped too early.

    INPUT:

    - ``closure`` -- a complete :class:`~sage_conslaws.closure.lie_closure.LieClosure`
    - ``max_rank``, ``max_dimension`` -- (default: 4 and 16) size limits beyond
      which the determinants are too costly; then ``None`` is returned

    OUTPUT: ``True``, ``False``, or ``None`` (not attempted)

    EXAMPLES:

    A single field generates a one-dimensional distribution::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField, lie_closure
        sage: from sage_conslaws.closure.verification import check_involutive
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

    TESTS:

    An empty frame (every generator vanishes at the point; here modulo `5`
    at the seed chosen) spans nothing, and a non-zero generator proves it
    incomplete::

        sage: C = lie_closure([PolynomialVectorField(R, [x, 0, 0])], prime=5, seed=2)
        sage: C.point().integer_coordinates()[0], C.rank()
        (0, 0)
        sage: check_involutive(C)
        False
    """
    # sizes first: forming the frame symbolically can take longer than the whole closure
    # (8.6 s of 37 s for the momentum flow of LinearNetwork([1, 6, 6, 2]), frame of 79 fields)
    if closure.rank() > max_rank or closure.dimension() > max_dimension:
        return None
    frame = closure.frame()
    D = closure.dimension()
    ring = closure.generators()[0].ring()
    pivots = closure.point().values(frame).pivots()
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


class ClosureVerification(SageObject):
    r"""
    The outcome of :func:`verify_closure`.

    Do not build it directly; call :func:`verify_closure`.

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField, lie_closure
        sage: from sage_conslaws.closure.verification import verify_closure
        sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
        sage: X = PolynomialVectorField(R, [0, z, -y]); Y = PolynomialVectorField(R, [z, 0, -x])
        sage: V = verify_closure(lie_closure([X, Y])); V
        the frame of rank 2 passed at 2 random points: an incomplete frame passes with probability <= 8.7e-19
        sage: V.outcome(), V.degree(), V.error_bound() == (4/2^32)^2
        ('passed', 4, True)
    """

    def __init__(self, frame_size, degree, sample_range, wanted, points, degenerate, outcome,
                 witness=None):
        self._frame_size = frame_size
        self._degree = degree
        self._sample_range = sample_range
        self._wanted = wanted
        self._points = points
        self._degenerate = degenerate
        self._outcome = outcome
        self._witness = witness

    def outcome(self):
        r"""
        Return ``"passed"``, ``"incomplete"`` (a proof that the frame is
        incomplete) or ``"degenerate"`` (too many points where the frame lost
        rank: nothing is known).

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField, lie_closure
            sage: from sage_conslaws.closure.verification import verify_closure
            sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
            sage: X = PolynomialVectorField(R, [1, 0, 0]); Y = PolynomialVectorField(R, [0, 1, x])
            sage: verify_closure(lie_closure([X, Y], max_depth=0)).outcome()
            'incomplete'
        """
        return self._outcome

    def passed(self):
        r"""
        Return whether the frame passed at every point.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField, lie_closure
            sage: from sage_conslaws.closure.verification import verify_closure
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: verify_closure(lie_closure([PolynomialVectorField(R, [y, x])])).passed()
            True
        """
        return self._outcome == "passed"

    def proves_incomplete(self):
        r"""
        Return whether a point proved the frame incomplete (`\dim \mathrm{Lie}(W)` exceeds its size).

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField, lie_closure
            sage: from sage_conslaws.closure.verification import verify_closure
            sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
            sage: X = PolynomialVectorField(R, [1, 0, 0]); Y = PolynomialVectorField(R, [0, 1, x])
            sage: verify_closure(lie_closure([X, Y], max_depth=0)).proves_incomplete()
            True
        """
        return self._outcome == "incomplete"

    def error_bound(self):
        r"""
        Return `\min(1, (\delta / S)^n)` if the frame passed, else ``None``.

        Here `\delta` is :meth:`degree`, `S` the size of the sampling range
        and `n` the number of points asked for: the probability, over the
        verification draws and for the frame given, that an incomplete frame
        passes (see :func:`verify_closure`).

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField, lie_closure
            sage: from sage_conslaws.closure.verification import verify_closure
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: verify_closure(lie_closure([PolynomialVectorField(R, [y, x])]), points=3).error_bound()
            27/79228162514264337593543950336
        """
        if self._outcome != "passed":
            return None
        return min(QQ(1), (QQ(self._degree) / self._sample_range) ** self._wanted)

    def degree(self):
        r"""
        Return the bound `\delta` on the degree of the minors tested.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField, lie_closure
            sage: from sage_conslaws.closure.verification import verify_closure
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: verify_closure(lie_closure([PolynomialVectorField(R, [y^2, x])])).degree()
            6
        """
        return self._degree

    def points(self):
        r"""
        Return the points drawn, in order, as lists of integers.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField, lie_closure
            sage: from sage_conslaws.closure.verification import verify_closure
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: V = verify_closure(lie_closure([PolynomialVectorField(R, [y, x])]))
            sage: len(V.points()), all(0 <= c < 2^32 for p in V.points() for c in p)
            (2, True)
        """
        return [list(p) for p in self._points]

    def witness(self):
        r"""
        Return, if the frame was proven incomplete, the point and the rank
        there of the frame with the combinations tested (more than the frame
        size); else ``None``.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField, lie_closure
            sage: from sage_conslaws.closure.verification import verify_closure
            sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
            sage: X = PolynomialVectorField(R, [1, 0, 0]); Y = PolynomialVectorField(R, [0, 1, x])
            sage: point, rank = verify_closure(lie_closure([X, Y], max_depth=0)).witness(); rank
            3
        """
        return self._witness

    def _repr_(self):
        m, n = self._frame_size, len(self._points)
        if self._outcome == "passed":
            degenerate = (f" ({self._degenerate} more, where the frame lost rank, were redrawn)"
                          if self._degenerate else "")
            return (f"the frame of rank {m} passed at {self._wanted} random points{degenerate}: "
                    "an incomplete frame passes with probability <= "
                    f"{float(self.error_bound()):.1e}")
        if self._outcome == "incomplete":
            return (f"the frame of rank {m} is incomplete: fields of Lie(W) have rank "
                    f"{self._witness[1]} at a random rational point, so dim Lie(W) > {m}")
        return (f"the frame of rank {m} lost rank at {self._degenerate} of the {n} random "
                "points drawn: not verified")


def verify_closure(closure, points=None, seed=None, sample_range=SAMPLE_RANGE, max_error=None):
    r"""
    Test at random integer points that ``closure`` is complete.

    INPUT:

    - ``closure`` -- a :class:`~sage_conslaws.closure.lie_closure.LieClosure`
    - ``points`` -- (default: ``None``: 2, or as many as ``max_error``
      needs) the number `n` of points at which the frame must pass
    - ``max_error`` -- (default: ``None``) if given, at least as many points
      as make the error bound `(\delta / S)^n` at most ``max_error``
    - ``seed`` -- (default: ``None``, the seed of the closure point) the
      points are drawn from the stream seeded by
      :func:`derived_seed("verify", seed) <sage_conslaws.fields.evaluation.derived_seed>`,
      never from the stream of the closure point (seeded by ``seed`` itself)
    - ``sample_range`` -- (default: `2^{32}`) the coordinates and coefficients
      are drawn uniformly in `[0, S)`, `S` = ``sample_range``

    OUTPUT: a :class:`ClosureVerification`

    ALGORITHM:

    Let `X_1, \ldots, X_m` be the frame (of generic rank `m`: its values are
    independent at the closure point), `g_1, \ldots, g_k` the generators
    in it and `w_1, \ldots, w_d` all generators. The frame is *complete* when
    every `w_i` and every `[g_a, X_b]` lies in its span over
    `\mathrm{Frac}(R)`; then `\dim \mathrm{Lie}(W) = m` generically (see
    :func:`check_involutive`). One *draw* is a point `\theta' \in [0, S)^D`
    and coefficients `s \in [0, S)^d`, `r \in [0, S)^{k \times m}`, all
    uniform and independent. One computes, over `\QQ`, the rank of the
    matrix `A` whose rows are `X_1(\theta'), \ldots, X_m(\theta')`,
    `u = \sum_i s_i w_i(\theta')` and `v = \sum_{a,b} r_{ab} [g_a, X_b](\theta')`
    (the last from values and Jacobians, by bilinearity):

    - if `\mathrm{rank}\, A > m`: the rows are values at `\theta'` of fields of
      `\mathrm{Lie}(W)`, and a rank at a point never exceeds the generic rank,
      so `\dim \mathrm{Lie}(W) > m`. The outcome is ``"incomplete"``, a proof.
    - else, if the frame alone has rank `< m` at `\theta'`, the point is
      *degenerate*: it does not count, and another is drawn (at most `n`
      more in all; beyond, the outcome is ``"degenerate"``, nothing proven).
    - else the draw passes; the outcome is ``"passed"`` after `n` passes.

    *The bound.* Suppose the frame is incomplete, say `u` (or `v`) is not in
    its span over `\mathrm{Frac}(R[s, r])` (a `w_i` or a `[g_a, X_b]` outside
    the span gives a non-zero coefficient of `s_i` or `r_{ab}` in some minor).
    Then some `(m + 1)`-minor `\Delta(\theta', s, r)` of the frame and `u`
    (or `v`) is a non-zero polynomial. Its total degree is at most

    .. MATH::

        \delta = \sum_b \deg X_b + \max\bigl(\max_i \deg w_i,\;
                 \max_a \deg g_a + \max_b \deg X_b - 1\bigr) + 1,

    one row of degree `\deg X_b` each, and the row `u` or `v`: its entries
    have degree `\deg w_i`, resp. `\deg [g_a, X_b] \le \deg g_a + \deg X_b -
    1`, in `\theta'`, plus 1 for the coefficient `s_i` or `r_{ab}`. The
    degrees of bracket fields are bounded from their recipes the same way.
    A draw can have `\mathrm{rank}\, A \le m` (pass, or be degenerate without
    proving anything) only if `\Delta` vanishes there; by Schwartz--Zippel
    this has probability at most `\delta / S`. The outcome ``"passed"``
    requires this of each of the first `n` draws (a degenerate draw also
    has `\mathrm{rank}\, A \le m`, else it would have been a proof). The draws
    are independent of each other and of the frame: the frame is computed
    from the closure point, and the draws come from another stream. Hence,
    for the frame given, the probability over the draws that an incomplete
    frame passes is at most `(\delta / S)^n`, the :meth:`error_bound
    <ClosureVerification.error_bound>`. It is a statement about this frame;
    it does not depend on how the frame was found.

    EXAMPLES:

    The rotations about two axes: the frame of two fields (of degree 1) is
    complete; `\delta = 1 + 1 + 1 + 1 = 4`::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField, lie_closure
        sage: from sage_conslaws.closure.verification import verify_closure
        sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
        sage: X = PolynomialVectorField(R, [0, z, -y]); Y = PolynomialVectorField(R, [z, 0, -x])
        sage: V = verify_closure(lie_closure([X, Y])); V.passed(), V.error_bound() == (4/2^32)^2
        (True, True)

    Stopped before its first bracket, the closure of `\partial_x` and
    `\partial_y + x \partial_z` misses `\partial_z`; the first point proves it::

        sage: X = PolynomialVectorField(R, [1, 0, 0]); Y = PolynomialVectorField(R, [0, 1, x])
        sage: verify_closure(lie_closure([X, Y], max_depth=0))
        the frame of rank 2 is incomplete: fields of Lie(W) have rank 3 at a random rational point, so dim Lie(W) > 2

    The verification points do not come from the stream of the closure point::

        sage: C = lie_closure([X, Y])
        sage: verify_closure(C).points()[0] == C.point().integer_coordinates()
        False

    TESTS:

    With coordinates in `\{0, 1\}`, the frame `(x, 0), (0, y)` loses rank
    at three points out of four; such points are redrawn, and when too many
    are degenerate nothing is concluded (the bound `(4/2)^3` is capped at 1)::

        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: C = lie_closure([PolynomialVectorField(R, [x, 0]), PolynomialVectorField(R, [0, y])])
        sage: verify_closure(C, points=3, seed=0, sample_range=2)
        the frame of rank 2 passed at 3 random points (2 more, where the frame lost rank, were redrawn): an incomplete frame passes with probability <= 1.0e+00
        sage: V = verify_closure(C, points=3, seed=1, sample_range=2); V
        the frame of rank 2 lost rank at 5 of the 6 random points drawn: not verified
        sage: V.outcome(), V.error_bound()
        ('degenerate', None)
        sage: verify_closure(C, points=0)
        Traceback (most recent call last):
        ...
        ValueError: the number of verification points must be positive, got 0

    The Jacobians of a point are counted first
    (:func:`~sage_conslaws.limits.check_verification`)::

        sage: S = PolynomialRing(QQ, 'x', 3000); x = S.gens()
        sage: verify_closure(lie_closure([PolynomialVectorField(S, {i: x[i]}) for i in range(3)],
        ....:                            max_depth=0))
        Traceback (most recent call last):
        ...
        BeyondReach: the verification of the closure at a random point forms 6 Jacobians of size 3000 x 3000 over QQ: 54000000 entries, beyond reach: each takes microseconds in exact rational arithmetic (at most 50000000 entries)
    """
    if points is not None and points < 1:
        raise ValueError(f"the number of verification points must be positive, got {points}")
    # one D x D Jacobian over QQ per frame field and per generator of the frame
    check_verification(len(closure.recipes()) + len(closure.generator_frame()),
                       closure.dimension())
    if seed is None:
        seed = closure.point().seed()
    rng = random.Random(derived_seed("verify", seed))
    m, degree = closure.rank(), _degree_bound(closure)
    points = max(points or 2, _points_for(degree, sample_range, max_error))
    drawn, degenerate = [], 0
    while len(drawn) - degenerate < points:
        if len(drawn) == 2 * points:
            return ClosureVerification(m, degree, sample_range, points, drawn, degenerate,
                                       "degenerate")
        point, frame_rank, rank = _test_at_random_point(closure, rng, sample_range)
        drawn.append(point)
        if rank > m:
            return ClosureVerification(m, degree, sample_range, points, drawn, degenerate,
                                       "incomplete", witness=(point, rank))
        degenerate += frame_rank < m
    return ClosureVerification(m, degree, sample_range, points, drawn, degenerate, "passed")


def _points_for(degree, sample_range, max_error):
    r"""
    Return the least `n` with `(\delta / S)^n \le` ``max_error`` (0 if ``max_error`` is ``None``).

    TESTS::

        sage: from sage_conslaws.closure.verification import _points_for
        sage: _points_for(4, 2^32, 10^-12), _points_for(2^30, 2^32, 10^-12), _points_for(4, 2^32, None)
        (2, 20, 0)
    """
    if max_error is None:
        return 0
    if degree >= sample_range:
        raise ValueError(f"the degree bound {degree} is not below the sampling range "
                         f"{sample_range}: no number of points gives an error bound")
    n, bound = 0, QQ(1)
    ratio = QQ(degree) / sample_range
    while bound > max_error:
        n, bound = n + 1, bound * ratio
    return n


def _degree_bound(closure):
    r"""
    Return the degree bound `\delta` of :func:`verify_closure`.

    TESTS::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField, lie_closure
        sage: from sage_conslaws.closure.verification import _degree_bound
        sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
        sage: X = PolynomialVectorField(R, [1, 0, 0]); Y = PolynomialVectorField(R, [0, 1, x^2])
        sage: _degree_bound(lie_closure([X, Y]))  # frame degrees 0, 2, 1; brackets: 2 + 2 - 1
        7
        sage: _degree_bound(lie_closure([PolynomialVectorField(R, [x, 0, 0])], prime=5, seed=2))
        2
    """
    generators, recipes = closure.generators(), closure.recipes()
    degrees = _frame_degrees(generators, recipes)
    row_degree = max(w.degree() for w in generators)
    generator_frame = [degrees[i] for i, r in enumerate(recipes) if r[0] == "generator"]
    if generator_frame:
        row_degree = max(row_degree, max(generator_frame) + max(degrees) - 1)
    return sum(degrees) + row_degree + 1


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


def _test_at_random_point(closure, rng, sample_range):
    r"""
    Draw a point and coefficients from ``rng``; return the point, the rank of
    the frame there, and the rank of the matrix `A` of :func:`verify_closure`.
    """
    D = closure.dimension()
    point = [rng.randrange(sample_range) for _ in range(D)]

    def draw(n):
        return vector(ZZ, [rng.randrange(sample_range) for _ in range(n)])

    jets = TaylorJets(closure.generators()[0].ring(), [QQ(c) for c in point])
    frame = closure.expansions(jets, 1)
    generator_frame = [frame[i] for i, r in enumerate(closure.recipes()) if r[0] == "generator"]
    frame_values = jets.values(frame)
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
    return point, frame_values.rank(), tested.rank()
