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
   products over `\GF{p}`. Only the candidates that raise the rank are formed
   symbolically (over `\QQ`), because only they are bracketed again.
3. Stop when a level adds nothing (the closure is complete at `\theta`), when
   the rank is `D`, or when it reaches ``stop_at`` (an upper bound proven by
   verified conservation laws).

Dropping fields whose value at `\theta` lies in the span of the frame is
harmless at a generic point: near such a point a dropped field is a
combination `\sum a_i X_i` of the frame with smooth coefficients, and
`[g, \sum a_i X_i] = \sum (g a_i) X_i + \sum a_i [g, X_i]` brings nothing new.
Likewise a generator dependent on the frame brings no new bracket.

The rank found is always a *proven lower bound* on the generic dimension (see
:mod:`sage_conslaws.evaluation`); that the closure is complete is proven by
:mod:`sage_conslaws.certificate`.

EXAMPLES::

    sage: from sage.rings.rational_field import QQ
    sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    sage: from sage_conslaws import gradient_fields, lie_closure
    sage: R = PolynomialRing(QQ, 'u1, u2, v1, v2')
    sage: u1, u2, v1, v2 = R.gens()
    sage: C = lie_closure(gradient_fields([u1*v1, u1*v2, u2*v1, u2*v2])); C
    Lie closure of 4 fields on R^4: rank 3 at a random point, complete after 1 bracket level
    sage: C.rank(), C.levels()
    (3, [0, 0, 0])
"""
from sage.matrix.constructor import matrix
from sage.structure.sage_object import SageObject

from .evaluation import DEFAULT_PRIME, ModularPoint
from .progress import Progress

#: Candidates whose values are stacked in one rank computation.
_CHUNK_ROWS = 2000


class LieClosure(SageObject):
    r"""
    The result of :func:`lie_closure`: a frame of `\mathrm{Lie}(W)` at a point.

    Do not build it directly; call :func:`lie_closure`.

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField, lie_closure
        sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
        sage: X = PolynomialVectorField(R, [0, z, -y])
        sage: Y = PolynomialVectorField(R, [z, 0, -x])
        sage: C = lie_closure([X, Y])
        sage: C.rank(), C.is_complete(), C.frame()[2]
        (2, True, (y, -x, 0))
    """

    def __init__(self, generators, generator_frame, frame, levels, point, complete):
        self._generators = generators
        self._generator_frame = generator_frame
        self._frame = frame
        self._levels = levels
        self._point = point
        self._complete = complete

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
        return list(self._generator_frame)

    def frame(self):
        r"""
        Return fields of `\mathrm{Lie}(W)` whose values at the point form a basis
        of the trace found there.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import gradient_fields, lie_closure
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: lie_closure(gradient_fields([x, y^2])).frame()
            [(1, 0), (0, 2*y)]
        """
        return list(self._frame)

    def levels(self):
        r"""
        Return, for each frame field, the bracket depth at which it was found.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import PolynomialVectorField, lie_closure
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: lie_closure([PolynomialVectorField(R, [1, 0]), PolynomialVectorField(R, [0, x])]).levels()
            [0, 0]
            sage: lie_closure([PolynomialVectorField(R, [1, 0]), PolynomialVectorField(R, [0, x^2])]).levels()
            [0, 0]
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
        return len(self._frame)

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
        Return the :class:`~sage_conslaws.evaluation.ModularPoint` used.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws import gradient_fields, lie_closure
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: lie_closure(gradient_fields([x*y]), seed=4).point()
            random point of GF(8388593)^2 (seed 4)
        """
        return self._point

    def is_complete(self):
        r"""
        Return whether the last bracket level added nothing at the point.

        ``False`` means the computation stopped early, at full rank or at the
        rank requested by ``stop_at``.

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
            sage: from sage_conslaws import gradient_fields, lie_closure
            sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
            sage: lie_closure(gradient_fields([x*y, y*z])).depth()
            1
        """
        return max(self._levels, default=0)

    def _repr_(self):
        status = (f"complete after {self.depth() + 1} bracket level"
                  f"{'s' if self.depth() else ''}" if self._complete else
                  f"stopped at depth {self.depth()}")
        return (f"Lie closure of {len(self._generators)} fields on R^{self.dimension()}: "
                f"rank {self.rank()} at a random point, {status}")


def lie_closure(fields, seed=0, prime=DEFAULT_PRIME, stop_at=None, max_depth=None,
                progress=None):
    r"""
    Return a frame of the Lie algebra generated by ``fields`` at a random point.

    INPUT:

    - ``fields`` -- a non-empty list of
      :class:`~sage_conslaws.vector_fields.PolynomialVectorField` on one ring
      with rational coefficients
    - ``seed`` -- (default: 0) seed of the random point; results are
      deterministic for a given seed
    - ``prime`` -- (default: `8388593`) the prime modulo which ranks are read
    - ``stop_at`` -- (default: ``None``) stop as soon as the rank reaches this
      value (a proven upper bound, e.g. `D` minus the number of verified
      independent conservation laws)
    - ``max_depth`` -- (default: ``None``) the deepest bracket level to try
    - ``progress`` -- (default: ``None``) a
      :class:`~sage_conslaws.progress.Progress` reporting on standard error

    OUTPUT: a :class:`LieClosure`

    EXAMPLES:

    The two-layer linear network `UV^T` with `U, V` of size `1 \times 2` has
    `\mathrm{Lie}(W) = \mathfrak{so}(1, 1)`-orbits of dimension 3, hence one
    law ([MGP2023]_)::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import gradient_fields, lie_closure
        sage: R = PolynomialRing(QQ, 'u1, u2, v1, v2'); u1, u2, v1, v2 = R.gens()
        sage: lie_closure(gradient_fields([u1*v1 + u2*v2])).rank()
        1

    TESTS::

        sage: lie_closure([])
        Traceback (most recent call last):
        ...
        ValueError: the family of vector fields is empty
    """
    generators = _check_family(fields)
    D = generators[0].dimension()
    target = D if stop_at is None else min(stop_at, D)
    point = ModularPoint(D, seed=seed, prime=prime)
    progress = progress or Progress(enabled=False)

    values = point.values(generators)
    pivots = values.pivot_rows()
    generator_frame = [generators[i] for i in pivots]
    basis = values.matrix_from_rows(pivots)
    frame, levels = list(generator_frame), [0] * len(pivots)
    progress.update(f"level 0: rank {basis.nrows()}/{D}")

    generator_jacobians = [point.jacobian(g) for g in generator_frame]
    new, new_jacobians, depth = list(generator_frame), list(generator_jacobians), 0
    complete = False
    while basis.nrows() < target:
        if max_depth is not None and depth >= max_depth:
            break
        depth += 1
        found, basis = _next_level(generator_frame, basis.matrix_from_rows(
            range(len(generator_frame))), generator_jacobians, new, new_jacobians,
            basis, target, depth == 1)
        progress.update(f"level {depth}: rank {basis.nrows()}/{D}")
        if not found:
            complete = True
            break
        new = [generator_frame[a].bracket(new[b]) for a, b in found]
        frame.extend(new)
        levels.extend([depth] * len(new))
        new_jacobians = [point.jacobian(X) for X in new]
    return LieClosure(generators, generator_frame, frame, levels, point, complete)


def _next_level(generator_frame, generator_values, generator_jacobians, new, new_jacobians,
                basis, target, first_level):
    r"""
    Return the candidate brackets ``(a, b)`` = `[g_a, X_b]` that raise the rank,
    and the enlarged basis.

    The candidate values are `\partial X_b(\theta) g_a(\theta) - \partial
    g_a(\theta) X_b(\theta)`, computed for all pairs by matrix products.
    """
    new_values = basis.matrix_from_rows(range(basis.nrows() - len(new), basis.nrows())) \
        if not first_level else generator_values
    # Row a of image_by_new[b] is (dX_b . g_a); row b of image_by_generator[a] is (dg_a . X_b).
    image_by_new = [generator_values * J.transpose() for J in new_jacobians]
    image_by_generator = [new_values * J.transpose() for J in generator_jacobians]
    pairs = [(a, b) for b in range(len(new)) for a in range(len(generator_frame))
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
    return found, basis


def _check_family(fields):
    r"""
    Return ``fields`` as a list after checking that they form one family.

    TESTS::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.finite_rings.finite_field_constructor import GF
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField
        sage: from sage_conslaws.lie_closure import _check_family
        sage: R = PolynomialRing(QQ, 'x, y'); S = PolynomialRing(QQ, 'u, v')
        sage: _check_family([PolynomialVectorField(R, [1, 0]), PolynomialVectorField(S, [1, 0])])
        Traceback (most recent call last):
        ...
        ValueError: all vector fields of a family must live on one ring; got Multivariate Polynomial Ring in x, y over Rational Field and Multivariate Polynomial Ring in u, v over Rational Field
        sage: _check_family([PolynomialVectorField(R.change_ring(GF(5)), [1, 0])])
        Traceback (most recent call last):
        ...
        ValueError: vector fields must have rational coefficients, got Finite Field of size 5
    """
    from sage.rings.rational_field import QQ
    from .vector_fields import PolynomialVectorField
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
