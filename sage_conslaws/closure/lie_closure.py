r"""
Closing a family of vector fields under Lie brackets, at a random point

The number of independent conservation laws of a family `W` of vector fields
on `\RR^D` is `D - \dim \mathrm{Lie}(W)(\theta)` at a generic `\theta`. This
module computes that dimension by the sequence
`W_0 = W`, `W_{k+1} = W_k + [W, W_k]`, reading ranks at one random point
modulo a prime.

ALGORITHM:

1. Evaluate the generators at the point `\theta` and keep a *frame*: a subset
   whose values are linearly independent and span `W(\theta)`.
2. At each level, the value of every candidate bracket `[g, X]` (`g` a frame
   generator, `X` a field added at the previous level) is computed at
   `\theta` from values and Jacobians only, as
   `\partial X(\theta) g(\theta) - \partial g(\theta) X(\theta)`, by matrix
   products over `\GF{p}`. Only the candidates that raise the rank are kept,
   and they are formed only as truncated Taylor expansions at `\theta`
   (:mod:`sage_conslaws.fields.jets`), and only if another level is needed: the
   full iterated brackets of deep networks are far too large.
3. Stop when a level adds nothing (the closure is complete at `\theta`), when
   the rank is `D`, or when it reaches ``stop_at`` (an upper bound proven by
   verified conservation laws).

Dropping fields whose value at `\theta` lies in the span of the frame is
harmless at a generic point: near such a point a dropped field is a
combination `\sum a_i X_i` of the frame with smooth coefficients, and
`[g, \sum a_i X_i] = \sum (g a_i) X_i + \sum a_i [g, X_i]` brings nothing new.
Likewise a generator dependent on the frame brings no new bracket.

The rank found is always a *proven lower bound* on the generic dimension (see
:mod:`sage_conslaws.fields.evaluation`); that the closure is complete is proven by
:mod:`sage_conslaws.closure.certificate`. A prime dividing a coefficient of the
fields is replaced by a smaller one (:func:`~sage_conslaws.fields.evaluation.usable_prime`),
and the closure says so in its :meth:`~LieClosure.notes`.

EXAMPLES::

    sage: from sage.rings.rational_field import QQ
    sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    sage: from sage_conslaws import gradient_fields, lie_closure
    sage: R = PolynomialRing(QQ, 'u1, u2, v1, v2')
    sage: u1, u2, v1, v2 = R.gens()
    sage: C = lie_closure(gradient_fields([u1*v1, u1*v2, u2*v1, u2*v2])); C
    Lie closure of 4 fields on R^4: rank 3 at a random point, complete (bracket level 1 adds nothing)
    sage: C.rank(), C.levels()
    (3, [0, 0, 0])
"""
from sage.matrix.constructor import matrix
from sage.structure.sage_object import SageObject

from sage_conslaws.fields.evaluation import DEFAULT_PRIME, ModularPoint, usable_prime
from sage_conslaws.fields.jets import TaylorJets
from sage_conslaws.interface.progress import Progress
from sage_conslaws.limits import check_bracket_level

#: Candidates whose values are stacked in one rank computation.
_CHUNK_ROWS = 2000


class LieClosure(SageObject):
    r"""
    The result of :func:`lie_closure`: a frame of `\mathrm{Lie}(W)` at a point.

    Each frame field is a generator or a bracket `[g, X]` of a frame
    generator `g` with an earlier frame field `X`; the frame keeps these
    *recipes* and forms the fields symbolically only when asked.

    Do not build it directly; call :func:`lie_closure`.

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField, lie_closure
        sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
        sage: X = PolynomialVectorField(R, [1, 0, 0])
        sage: Y = PolynomialVectorField(R, [0, 1, x])
        sage: C = lie_closure([X, Y])
        sage: C.rank(), C.frame()[2]
        (3, (0, 0, 1))

    The rotations about two axes generate the rotations about the third: the
    orbits are spheres, and `x^2 + y^2 + z^2` is the only law::

        sage: X = PolynomialVectorField(R, [0, z, -y]); Y = PolynomialVectorField(R, [z, 0, -x])
        sage: C = lie_closure([X, Y]); C
        Lie closure of 2 fields on R^3: rank 2 at a random point, complete (bracket level 1 adds nothing)
    """

    def __init__(self, generators, recipes, levels, point, complete, notes=()):
        self._generators = generators
        self._recipes = recipes
        self._levels = levels
        self._point = point
        self._complete = complete
        self._notes = list(notes)
        self._frame = None

    def generators(self):
        r"""
        Return the generating family `W`.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import gradient_fields, lie_closure
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: lie_closure(gradient_fields([x*y])).generators()
            [(y, x)]
        """
        return list(self._generators)

    def generator_frame(self):
        r"""
        Return the generators kept in the frame (independent at the point).

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import gradient_fields, lie_closure
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: lie_closure(gradient_fields([x*y, 2*x*y])).generator_frame()
            [(y, x)]
        """
        return [self._generators[r[1]] for r in self._recipes if r[0] == "generator"]

    def recipes(self):
        r"""
        Return how each frame field is built.

        ``("generator", i)`` is the `i`-th generator; ``("bracket", a, b)`` is
        `[g_a, X_b]` with `g_a` the `a`-th field of :meth:`generator_frame`
        and `X_b` the `b`-th frame field.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField, lie_closure
            sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
            sage: X = PolynomialVectorField(R, [1, 0, 0]); Y = PolynomialVectorField(R, [0, 1, x])
            sage: lie_closure([X, Y]).recipes()
            [('generator', 0), ('generator', 1), ('bracket', 0, 1)]
        """
        return list(self._recipes)

    def frame(self):
        r"""
        Return the frame fields, formed symbolically over `\QQ`.

        Their values at the point form a basis of the trace found there.
        Forming them may be costly for deep brackets of large networks.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import gradient_fields, lie_closure
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: lie_closure(gradient_fields([x, y^2])).frame()
            [(1, 0), (0, 2*y)]
        """
        if self._frame is None:
            generator_frame = self.generator_frame()
            frame = []
            for recipe in self._recipes:
                if recipe[0] == "generator":
                    frame.append(self._generators[recipe[1]])
                else:
                    frame.append(generator_frame[recipe[1]].bracket(frame[recipe[2]]))
            self._frame = frame
        return list(self._frame)

    def expansions(self, jets, order=1):
        r"""
        Return the Taylor expansions of the frame fields at the point of ``jets``.

        INPUT:

        - ``jets`` -- a :class:`~sage_conslaws.fields.jets.TaylorJets` (at any point)
        - ``order`` -- (default: 1) the degree up to which each expansion is exact

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField, lie_closure
            sage: from sage_conslaws.fields.jets import TaylorJets
            sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
            sage: X = PolynomialVectorField(R, [1, 0, 0]); Y = PolynomialVectorField(R, [0, 1, x])
            sage: C = lie_closure([X, Y])
            sage: J = TaylorJets(R, [QQ(1), QQ(2), QQ(3)])
            sage: J.values(C.expansions(J, 0)) == matrix([Z([1, 2, 3]) for Z in C.frame()])
            True
        """
        expander = _FrameExpander(self._generators, self._recipes, jets)
        return [expander.expansion(i, order) for i in range(len(self._recipes))]

    def levels(self):
        r"""
        Return, for each frame field, the bracket depth at which it was found.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField, lie_closure
            sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
            sage: X = PolynomialVectorField(R, [1, 0, 0]); Y = PolynomialVectorField(R, [0, 1, x])
            sage: lie_closure([X, Y]).levels()
            [0, 0, 1]
        """
        return list(self._levels)

    def rank(self):
        r"""
        Return the rank of the frame at the point: a proven lower bound on
        `\dim \mathrm{Lie}(W)(\theta)` at a generic `\theta`.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import gradient_fields, lie_closure
            sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
            sage: lie_closure(gradient_fields([x*y*z])).rank()
            1
        """
        return len(self._recipes)

    def dimension(self):
        r"""
        Return the dimension `D` of the ambient space.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import gradient_fields, lie_closure
            sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
            sage: lie_closure(gradient_fields([x*y*z])).dimension()
            3
        """
        return self._generators[0].dimension()

    def point(self):
        r"""
        Return the :class:`~sage_conslaws.fields.evaluation.ModularPoint` used.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import gradient_fields, lie_closure
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: lie_closure(gradient_fields([x*y]), seed=4).point()
            random point of GF(8388593)^2 (seed 4)
        """
        return self._point

    def notes(self):
        r"""
        Return sentences on choices made for this closure, e.g. a prime skipped.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import gradient_fields, lie_closure
            sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
            sage: lie_closure(gradient_fields([x*y*z])).notes()
            []
            sage: C = lie_closure(gradient_fields([8388593*x*y*z])); C.notes()
            ['prime 8388593 divides a coefficient of the fields, used 8388587']
            sage: C.point()
            random point of GF(8388587)^3 (seed 0)
        """
        return list(self._notes)

    def is_complete(self):
        r"""
        Return whether the last bracket level added nothing at the point.

        ``False`` means the computation stopped early, at full rank, at the
        rank requested by ``stop_at``, or at ``max_depth``.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import gradient_fields, lie_closure
            sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
            sage: W = gradient_fields([x*y, y*z])
            sage: lie_closure(W).is_complete(), lie_closure(W, stop_at=2).is_complete()
            (True, False)
        """
        return self._complete

    def depth(self):
        r"""
        Return the deepest bracket level of a frame field.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField, gradient_fields, lie_closure
            sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
            sage: lie_closure(gradient_fields([x*y, y*z])).depth()
            0
            sage: X = PolynomialVectorField(R, [1, 0, 0]); Y = PolynomialVectorField(R, [0, 1, x])
            sage: lie_closure([X, Y]).depth()
            1
        """
        return max(self._levels, default=0)

    def _repr_(self):
        if self._complete:
            status = f"complete (bracket level {self.depth() + 1} adds nothing)"
        else:
            status = f"stopped at depth {self.depth()}"
        return (f"Lie closure of {len(self._generators)} fields on R^{self.dimension()}: "
                f"rank {self.rank()} at a random point, {status}")


class _FrameExpander:
    r"""
    Taylor expansions of frame fields built from their recipes, cached by order.

    The expansion of `[g, X]` exact to degree `o` needs those of `g` and `X`
    exact to degree `o + 1`; an expansion exact to a higher degree serves too.
    """

    def __init__(self, generators, recipes, jets):
        self._generators = generators
        self._recipes = recipes
        self._jets = jets
        self._generator_frame = [i for i, r in enumerate(recipes) if r[0] == "generator"]
        self._cache = {}

    def expansion(self, index, order):
        cached = self._cache.get(index)
        if cached is not None and cached[0] >= order:
            return cached[1]
        recipe = self._recipes[index]
        if recipe[0] == "generator":
            result = self._jets.expand(self._generators[recipe[1]], order)
        else:
            g = self.expansion(self._generator_frame[recipe[1]], order + 1)
            result = self._jets.bracket(g, self.expansion(recipe[2], order + 1), order)
        self._cache[index] = (order, result)
        return result


def lie_closure(fields, seed=0, prime=DEFAULT_PRIME, stop_at=None, max_depth=None,
                progress=None):
    r"""
    Return a frame of the Lie algebra generated by ``fields`` at a random point.

    INPUT:

    - ``fields`` -- a non-empty list of
      :class:`~sage_conslaws.fields.vector_fields.PolynomialVectorField` on one ring
      with rational coefficients
    - ``seed`` -- (default: 0) seed of the random point; results are
      deterministic for a given seed
    - ``prime`` -- (default: `8388593`) the prime modulo which ranks are read;
      if it divides a numerator or a denominator of a coefficient of the
      fields, the largest smaller prime that does not is used instead, and
      :meth:`LieClosure.notes` says so
    - ``stop_at`` -- (default: ``None``) stop as soon as the rank reaches this
      value (a proven upper bound, e.g. `D` minus the number of verified
      independent conservation laws)
    - ``max_depth`` -- (default: ``None``) the deepest bracket level to try
    - ``progress`` -- (default: ``None``) a
      :class:`~sage_conslaws.interface.progress.Progress` reporting on standard error

    OUTPUT: a :class:`LieClosure`

    EXAMPLES:

    The two-layer linear network `x \mapsto (u_1 v_1 + u_2 v_2) x` has a
    one-dimensional `W(\theta)`, closed under brackets::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import gradient_fields, lie_closure
        sage: R = PolynomialRing(QQ, 'u1, u2, v1, v2'); u1, u2, v1, v2 = R.gens()
        sage: lie_closure(gradient_fields([u1*v1 + u2*v2])).rank()
        1

    Two generic fields generate everything::

        sage: lie_closure(gradient_fields([u1*v1^2 + u2, u2*v2^3 - u1*v1])).rank()
        4

    The prime `8388593` divides coefficients of the fields
    `\partial_x` and `p z \partial_x + \partial_y + p x \partial_z`, whose
    bracket is `p \partial_z`; modulo `p` that bracket vanishes. The closure
    moves to the prime below::

        sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
        sage: C = lie_closure(gradient_fields([x, y + 8388593*x*z])); C.rank()
        3
        sage: C.notes()
        ['prime 8388593 divides a coefficient of the fields, used 8388587']

    TESTS::

        sage: lie_closure([])
        Traceback (most recent call last):
        ...
        ValueError: the family of vector fields is empty

    A bracket level is refused when its dense matrices are too large (see
    :func:`~sage_conslaws.limits.check_bracket_level`)::

        sage: from sage_conslaws import LinearNetwork
        sage: lie_closure(LinearNetwork([22, 22, 22]).fields())
        Traceback (most recent call last):
        ...
        BeyondReach: bracket level 1 of the Lie closure (484 generators, 484 new fields, on R^968) has 454456640 entries, beyond reach: a dense matrix over GF(p) takes 8 bytes an entry, and its rank minutes beyond the limit (at most 100000000 entries)
    """
    generators = check_family(fields)
    D = generators[0].dimension()
    target = D if stop_at is None else min(stop_at, D)
    prime, notes = usable_prime(generators, prime)
    point = ModularPoint(D, seed=seed, prime=prime)
    progress = progress or Progress(enabled=False)

    basis = point.values(generators)
    pivots = basis.pivot_rows()
    basis = basis.matrix_from_rows(pivots)
    recipes = [("generator", i) for i in pivots]
    levels = [0] * len(recipes)
    progress.update(f"level 0: rank {basis.nrows()}/{D}")

    jets = TaylorJets(generators[0].ring(), point.coordinates())
    expander = _FrameExpander(generators, recipes, jets)
    generator_frame = list(range(len(pivots)))
    new, depth, complete = list(generator_frame), 0, False
    while basis.nrows() < target and (max_depth is None or depth < max_depth):
        depth += 1
        check_bracket_level(len(generator_frame), len(new), D, depth)
        found, basis = _next_level(
            [expander.expansion(i, 1) for i in generator_frame],
            [expander.expansion(i, 1) for i in new], basis, jets, target, depth == 1)
        progress.update(f"level {depth}: rank {basis.nrows()}/{D}")
        if not found:
            complete = True
            break
        new = list(range(len(recipes), len(recipes) + len(found)))
        recipes.extend(("bracket", a, new_index) for a, new_index in found)
        levels.extend([depth] * len(found))
    return LieClosure(generators, recipes, levels, point, complete, notes)


def _next_level(generator_jets, new_jets, basis, jets, target, first_level):
    r"""
    Return the candidate brackets `[g_a, X_b]` that raise the rank, as pairs
    ``(a, index of X_b in the frame)``, and the enlarged basis.

    The candidate values `\partial X_b(\theta) g_a(\theta) - \partial
    g_a(\theta) X_b(\theta)` are computed for all pairs by matrix products.
    """
    first_new = basis.nrows() - len(new_jets)
    generator_values = basis.matrix_from_rows(range(len(generator_jets)))
    new_values = basis.matrix_from_rows(range(first_new, basis.nrows()))
    # Row a of image_by_new[b] is (dX_b . g_a); row b of image_by_generator[a] is (dg_a . X_b).
    image_by_new = [generator_values * jets.jacobian(X).transpose() for X in new_jets]
    image_by_generator = [new_values * jets.jacobian(g).transpose() for g in generator_jets]
    pairs = [(a, b) for b in range(len(new_jets)) for a in range(len(generator_jets))
             if not first_level or a < b]
    found = []
    for start in range(0, len(pairs), _CHUNK_ROWS):
        chunk = pairs[start:start + _CHUNK_ROWS]
        rows = [image_by_new[b][a] - image_by_generator[a][b] for a, b in chunk]
        stacked = basis.stack(matrix(basis.base_ring(), rows, ncols=basis.ncols()))
        pivots = [i for i in stacked.pivot_rows() if i >= basis.nrows()]
        pivots = pivots[:max(target - basis.nrows(), 0)]
        found.extend(chunk[i - basis.nrows()] for i in pivots)
        basis = stacked.matrix_from_rows(list(range(basis.nrows())) + pivots)
        if basis.nrows() >= target:
            break
    return [(a, first_new + b) for a, b in found], basis


def check_family(fields):
    r"""
    Return ``fields`` as a list after checking that they form one family.

    TESTS::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.finite_rings.finite_field_constructor import GF
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField
        sage: from sage_conslaws.closure.lie_closure import check_family
        sage: R = PolynomialRing(QQ, 'x, y'); S = PolynomialRing(QQ, 'u, v')
        sage: check_family([PolynomialVectorField(R, [1, 0]), PolynomialVectorField(S, [1, 0])])
        Traceback (most recent call last):
        ...
        ValueError: all vector fields of a family must live on one ring; got Multivariate Polynomial Ring in x, y over Rational Field and Multivariate Polynomial Ring in u, v over Rational Field
        sage: check_family([PolynomialVectorField(R.change_ring(GF(5)), [1, 0])])
        Traceback (most recent call last):
        ...
        ValueError: vector fields must have rational coefficients, got Finite Field of size 5
    """
    from sage.rings.rational_field import QQ
    from sage_conslaws.fields.vector_fields import PolynomialVectorField
    fields = list(fields)
    if not fields:
        raise ValueError("the family of vector fields is empty")
    for X in fields:
        if not isinstance(X, PolynomialVectorField):
            raise TypeError(f"expected PolynomialVectorField objects, got {type(X).__name__}")
    ring = fields[0].ring()
    for X in fields[1:]:
        if X.ring() is not ring:
            raise ValueError("all vector fields of a family must live on one ring; "
                             f"got {ring} and {X.ring()}")
    if ring.base_ring() is not QQ:
        raise ValueError(f"vector fields must have rational coefficients, got {ring.base_ring()}")
    return fields
