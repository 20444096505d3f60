r"""
Discovering polynomial laws: modular systems by class of monomials, lifted and proven

The search of :func:`~sage_conslaws.laws.polynomial.polynomial_laws` builds its
linear system over `\QQ` from the fields themselves: minutes beyond a few
thousand unknowns. Discovery (:func:`laws_of_degree`) finds the same laws in a
different way, where every step that is not exact only chooses *candidates*,
and every candidate kept is proven:

1. **Classes.** The monomials of degree at most `k` are split by the
   gradings of the fields (:mod:`~sage_conslaws.laws.gradings`): a law is a sum
   of laws, one per class, so each class is solved on its own.
2. **Modular systems.** A law `h` satisfies `\langle \nabla h(\theta), v
   \rangle = 0` for every `v \in W(\theta)` and every `\theta`. At random points
   `\theta` of `\GF{p}^D`, a basis of `W(\theta)` gives linear equations on the
   coefficients of `h` on the class; more points are added until one more point
   changes nothing. The kernel contains the reduction of every law of the class.
3. **Lift.** The reduced echelon basis of the kernel is the reduction of the
   (unique) reduced echelon basis of the laws over `\QQ`; its entries are
   lifted by rational reconstruction, modulo `p` or, if that fails or the
   result is wrong, modulo a product of primes (Chinese remainders).
4. **Proof.** A candidate whose gradient is independent, at the point of the
   count, of those of the laws already kept is verified exactly over `\QQ`
   (:func:`~sage_conslaws.laws.polynomial.is_conservation_law`) before it is
   kept. Independence at a point proves functional independence.

A wrong guess at steps 2 or 3 can only lose a law or propose a candidate that
the exact check rejects (it is then dropped, with a note): the laws returned
are always proven, so the upper bound `\dim \mathrm{Lie}(W) \le D - N` they give
is too.

EXAMPLES:

The quadratic laws of `x \mapsto u^T v x` (`u, v \in \RR^2`), found without
being told them: three of the four entries of `U^T U - V^T V` and `\det(u, v)`
are independent::

    sage: from sage_conslaws import LinearNetwork
    sage: from sage_conslaws.fields.evaluation import ModularPoint
    sage: from sage_conslaws.laws.discovery import laws_of_degree
    sage: N = LinearNetwork([1, 2, 1])
    sage: search = laws_of_degree(N.fields(), 2, point=ModularPoint(4))
    sage: [h for _, h in search.laws()]
    [w1_0_0^2 - w2_0_0^2,
     w1_0_0*w1_1_0 - w2_0_0*w2_0_1,
     -w1_1_0*w2_0_0 + w1_0_0*w2_0_1]
"""
from functools import lru_cache
from itertools import combinations_with_replacement
import time

from sage.arith.misc import previous_prime
from sage.matrix.matrix_space import MatrixSpace
from sage.rings.finite_rings.finite_field_constructor import GF
from sage.rings.integer_ring import ZZ
from sage.structure.sage_object import SageObject

from sage_conslaws.fields.evaluation import (DEFAULT_PRIME, ModularPoint, derived_seed,
                                             usable_prime)
from sage_conslaws.laws.gradings import gradings, monomial_classes
from sage_conslaws.laws.polynomial import is_conservation_law, law_gradients
from sage_conslaws.limits import check_class_unknowns, check_search_monomials

#: Primes whose product lifts the coefficients of a class (Chinese remainders):
#: four primes near `2^{23}` reconstruct fractions `a/b` with `|a|, b < 2^{45}`.
MAX_PRIMES = 4

#: The highest degree that the ladder of a count searches by default.
MAX_DISCOVERY_DEGREE = 6

#: Points added to a class's system beyond as many as its unknowns (each
#: point that changes the kernel lowers its dimension), before it is given up on.
MAX_POINTS = 16


class LawSearch(SageObject):
    r"""
    The outcome of :func:`laws_of_degree`: the laws kept (proven and independent) and notes.

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.fields.evaluation import ModularPoint
        sage: from sage_conslaws.laws.discovery import laws_of_degree
        sage: laws_of_degree(LinearNetwork([1, 2, 1]).fields(), 2, point=ModularPoint(4))
        degree 2: 3 new independent laws, proven (4 classes of monomials solved)
    """

    def __init__(self, degree, laws, new, classes, complete, notes):
        self._degree = degree
        self._laws = laws
        self._new = new
        self._classes = classes
        self._complete = complete
        self._notes = notes

    def laws(self):
        r"""
        Return the ``(name, polynomial)`` pairs kept: those given first, then the new ones.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.fields.evaluation import ModularPoint
            sage: from sage_conslaws.laws.discovery import laws_of_degree
            sage: laws_of_degree(ReLUNetwork([1, 1, 1]).fields(), 2, point=ModularPoint(2)).laws()
            [('degree 2 law 0', w1_0_0^2 - w2_0_0^2)]
        """
        return list(self._laws)

    def new_laws(self):
        r"""
        Return the pairs found at this degree.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.fields.evaluation import ModularPoint
            sage: from sage_conslaws.laws.discovery import laws_of_degree
            sage: laws_of_degree(ReLUNetwork([1, 1, 1]).fields(), 1, point=ModularPoint(2)).new_laws()
            []
        """
        return list(self._new)

    def is_complete(self):
        r"""
        Return whether every class of the degree was solved (no budget spent, no class beyond reach).

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.fields.evaluation import ModularPoint
            sage: from sage_conslaws.laws.discovery import laws_of_degree
            sage: laws_of_degree(ReLUNetwork([1, 1, 1]).fields(), 2, point=ModularPoint(2)).is_complete()
            True
        """
        return self._complete

    def notes(self):
        r"""
        Return sentences on what was skipped or retried.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.fields.evaluation import ModularPoint
            sage: from sage_conslaws.laws.discovery import laws_of_degree
            sage: laws_of_degree(ReLUNetwork([1, 1, 1]).fields(), 2, point=ModularPoint(2)).notes()
            []
        """
        return list(self._notes)

    def _repr_(self):
        n = len(self._new)
        text = (f"degree {self._degree}: {n} new independent law{'' if n == 1 else 's'}, proven "
                f"({self._classes} class{'' if self._classes == 1 else 'es'} of monomials solved)")
        return "; ".join([text] + self._notes)


def laws_of_degree(fields, degree, point, known=(), target=None, seed=0, prime=DEFAULT_PRIME,
                   deadline=None, progress=None, systems=None, auxiliary=()):
    r"""
    Return the proven laws of degree at most ``degree`` independent of ``known``.

    INPUT:

    - ``fields`` -- a non-empty list of vector fields on one ring over `\QQ`
    - ``degree`` -- a positive integer
    - ``point`` -- the :class:`~sage_conslaws.fields.evaluation.ModularPoint` at
      which independence is read
    - ``known`` -- (default: none) ``(name, polynomial)`` pairs already proven
      and independent; they are kept first
    - ``target`` -- (default: ``None``) stop once this many laws are kept
      (the most there can be: `D` minus the proven lower bound on `\dim \mathrm{Lie}(W)`)
    - ``seed`` -- (default: 0) seed of the points of the modular systems (drawn
      from :func:`derived_seed("laws", seed, ...) <sage_conslaws.fields.evaluation.derived_seed>`)
    - ``prime`` -- (default: `8388593`) the first prime of the systems
    - ``deadline`` -- (default: ``None``) a ``time.monotonic()`` value after
      which no new class is solved
    - ``progress`` -- (default: ``None``) a :class:`~sage_conslaws.interface.progress.Progress`
    - ``systems`` -- (default: ``None``) the :class:`ModularSystems` of an
      earlier call on the same fields and seed, whose points are reused
    - ``auxiliary`` -- (default: none) indices of variables searched up to
      twice the degree (:meth:`~sage_conslaws.models.base.Model.auxiliary_variables`)

    OUTPUT: a :class:`LawSearch`; only the classes with a monomial of degree
    exactly ``degree`` are solved (the others were, at lower degrees)

    EXAMPLES:

    The laws of a one-hidden-neuron ReLU network with a bias, `\phi = (w_2
    w_1, w_2 b)`: its balancedness `w_1^2 + b^2 - w_2^2`::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.fields.evaluation import ModularPoint
        sage: from sage_conslaws.laws.discovery import laws_of_degree
        sage: N = ReLUNetwork([1, 1, 1], bias=True)
        sage: laws_of_degree(N.fields(), 2, point=ModularPoint(3)).laws()
        [('degree 2 law 0', w1_0_0^2 + b1_0^2 - w2_0_0^2)]

    A law that needs Chinese remainders: `h = x + 10^{-9} y` is conserved
    through the field `\partial_x - 10^9 \partial_y`; modulo one prime its
    coefficient is not reconstructed::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: search = laws_of_degree([PolynomialVectorField(R, [1, -10^9])], 1, ModularPoint(2))
        sage: search.laws()
        [('degree 1 law 0', x + 1/1000000000*y)]

    TESTS:

    Laws given are kept, and a law already known is not found again::

        sage: known = [('balance', N.known_laws()[0][1])]
        sage: laws_of_degree(N.fields(), 2, ModularPoint(3), known=known).laws()
        [('balance', w1_0_0^2 + b1_0^2 - w2_0_0^2)]

    The budget stops the search between classes, and says so::

        sage: search = laws_of_degree(N.fields(), 2, ModularPoint(3), deadline=0)
        sage: search.is_complete(), search.notes()
        (False, ['the budget was spent at degree 2 before 1 of 1 classes of monomials'])
    """
    D = fields[0].dimension()
    ring = fields[0].ring()
    prime = usable_prime(fields, prime)[0]
    kept = list(known)
    target = D if target is None else target
    monomials, new_monomials = _monomials(D, degree, auxiliary)
    systems = systems or ModularSystems(fields, seed)
    classes = _candidate_classes(monomials, new_monomials, systems, prime)
    notes, new = [], []
    for number, exponents in enumerate(classes):
        if len(kept) >= target:
            break
        if deadline is not None and time.monotonic() > deadline:
            notes.append(f"the budget was spent at degree {degree} before "
                         f"{len(classes) - number} of {len(classes)} classes of monomials")
            return LawSearch(degree, kept, new, number, False, notes)
        if progress is not None and number % 100 == 0:
            progress.update(f"laws of degree {degree}: class {number + 1} of {len(classes)}")
        check_class_unknowns(len(exponents), degree)
        candidates = systems.laws(exponents, prime, ring, notes)
        if not candidates:
            continue
        # the candidates are proven; keep those independent of the laws kept
        before = len(kept)
        pivots = law_gradients([h for _, h in kept] + candidates, point).pivot_rows()
        for i in pivots[before:]:
            new.append((f"degree {degree} law {len(new)}", candidates[i - before]))
            kept.append(new[-1])
            if len(kept) >= target:
                break
    return LawSearch(degree, kept, new, len(classes), True, notes)


def _monomials(D, degree, auxiliary=()):
    r"""
    Return the monomials searched at ``degree``, as numpy arrays of variable
    indices (one array per total degree), and the mask of the new ones.

    Without ``auxiliary`` variables: the monomials of degree 1 to ``degree``,
    new if of degree ``degree``. With them: the products of a monomial of
    degree at most ``degree`` in the other variables and one of degree at
    most ``2 * degree`` in the auxiliary ones (such as the time of a momentum
    flow, whose laws carry factors like `t^3`), new if either degree is beyond
    the previous degree's bounds.

    EXAMPLES::

        sage: from sage_conslaws.laws.discovery import _monomials
        sage: blocks, new = _monomials(2, 2)
        sage: [a.tolist() for a in blocks], new.tolist()
        ([[[0], [1]], [[0, 0], [0, 1], [1, 1]]], [False, False, True, True, True])
        sage: blocks, new = _monomials(2, 1, auxiliary=[0])
        sage: [a.tolist() for a in blocks], new.tolist()
        ([[[0], [1]], [[0, 0], [1, 0]], [[1, 0, 0]]], [True, True, True, True, True])
    """
    import numpy
    auxiliary = sorted(set(auxiliary))
    main = [i for i in range(D) if i not in set(auxiliary)]
    check_search_monomials(len(main), degree, len(auxiliary), 2 * degree if auxiliary else 0)
    side = 2 * degree if auxiliary else 0
    by_length, new = {}, {}
    for a in range(degree + 1):
        for b in range(side + 1):
            if a + b == 0:
                continue
            fresh = a == degree or b > 2 * (degree - 1)
            for m in combinations_with_replacement(main, a):
                for x in combinations_with_replacement(auxiliary, b):
                    by_length.setdefault(a + b, []).append(m + x)
                    new.setdefault(a + b, []).append(fresh)
    lengths = sorted(by_length)
    blocks = [numpy.array(by_length[n], dtype=numpy.int64).reshape(-1, n) for n in lengths]
    return blocks, numpy.array([f for n in lengths for f in new[n]], dtype=bool)


def _candidate_classes(monomials, new, systems, prime):
    r"""
    Return the classes of ``monomials`` to solve, as lists of variable
    indices: those with a new monomial, without the single monomials that
    are not laws (most classes, with a sign flip per variable).
    """
    import numpy
    integer, parity = systems.gradings()
    offsets = numpy.cumsum([0] + [len(block) for block in monomials])
    classes = [c for c in monomial_classes(monomials, integer, parity) if new[c].any()]
    singles = numpy.array([c[0] for c in classes if len(c) == 1], dtype=numpy.int64)
    keep = set()
    for d, block in enumerate(monomials):
        mine = singles[(singles >= offsets[d]) & (singles < offsets[d + 1])]
        if len(mine):
            keep.update(mine[systems.vanishing(block[mine - offsets[d]], prime)].tolist())
    result = []
    for c in classes:
        if len(c) == 1 and c[0] not in keep:
            continue
        degrees = numpy.searchsorted(offsets, c, side="right") - 1
        result.append([monomials[d][p - offsets[d]].tolist() for d, p in zip(degrees, c)])
    return result


class ModularSystems:
    r"""
    The points of the modular systems of :func:`laws_of_degree`, drawn once
    and shared by every class and every degree.

    INPUT:

    - ``fields`` -- a non-empty list of vector fields on one ring over `\QQ`
    - ``seed`` -- the seed of the points

    EXAMPLES::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.laws.discovery import ModularSystems
        sage: S = ModularSystems(ReLUNetwork([1, 1, 1]).fields(), 0)
        sage: theta, values = S.point(8388593, 0)
        sage: values.shape, S.rows([[0, 0], [1, 1]], 8388593, 0).shape
        ((1, 2), (1, 2))

    Point `k` modulo `p` has seed ``derived_seed("laws", seed, p, k)``; at it,
    the rows of the echelon form of the values of the fields span `W(\theta)`.
    """

    def __init__(self, fields, seed):
        self._fields = fields
        self._seed = seed
        self._points = {}
        self._gradings = None

    def gradings(self):
        r"""
        Return the :func:`~sage_conslaws.laws.gradings.gradings` of the fields (computed once).

        EXAMPLES:

        On `x \mapsto u v x` (`\phi = w_1 w_2`, one law `w_1^2 - w_2^2`)::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.laws.discovery import ModularSystems
            sage: N = ReLUNetwork([1, 1, 1]); S = ModularSystems(N.fields(), 0); p = 8388593
            sage: [M.rows() for M in S.gradings()]
            [[(1, 1)], [(1, 0), (0, 1)]]
        """
        if self._gradings is None:
            self._gradings = gradings(self._fields)
        return self._gradings

    def point(self, prime, k):
        r"""
        Return the coordinates of point ``k`` modulo ``prime`` and vectors
        spanning `W(\theta)` there, as numpy arrays.

        With more fields than parameters, the vectors are `\min(d, D)`
        random combinations of the values of the `d` fields, with
        coefficients below `2^8`: the products are then below `2^{31}` and
        their sums below `2^{53}` for `d < 2^{22}` fields, exact in floating
        point, so the combination is one BLAS product. (Measured on
        ``relu 6,9,9,6,5``, 14580 fields on `\RR^{219}`: the echelon form of the
        values in Sage took 1.8 s a point, mostly building the matrix.)
        """
        import numpy
        key = (prime, k)
        if key not in self._points:
            D = self._fields[0].dimension()
            P = ModularPoint(D, seed=derived_seed("laws", self._seed, prime, k), prime=prime)
            values = numpy.zeros((len(self._fields), D), dtype=numpy.float64)
            for position, value in P.value_entries(self._fields).items():
                values[position] = value
            if len(self._fields) > D:
                rng = numpy.random.default_rng(derived_seed("combinations", self._seed, prime, k))
                combination = rng.integers(0, 2**8, size=(D, len(self._fields))).astype(numpy.float64)
                values = numpy.fmod(combination @ values, prime)
            self._points[key] = (numpy.array(P.integer_coordinates(), dtype=numpy.int64),
                                 values.astype(numpy.int64))
        return self._points[key]

    def rows(self, exponents, prime, k):
        r"""
        Return the equations of point ``k``: entry `(v, \mu)` is `\langle \nabla\mu(\theta), v \rangle`.

        ``exponents`` is a list of monomials (variable indices with
        repetitions).

        EXAMPLES:

        On `x \mapsto u v x` (`\phi = w_1 w_2`, one law `w_1^2 - w_2^2`)::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.laws.discovery import ModularSystems
            sage: N = ReLUNetwork([1, 1, 1]); S = ModularSystems(N.fields(), 0); p = 8388593
            sage: S.rows([[0, 0], [1, 1]], p, 0).shape  # one vector spans W there
            (1, 2)
        """
        import numpy
        rows = numpy.zeros((self.point(prime, k)[1].shape[0], len(exponents)), dtype=numpy.int64)
        by_degree = {}
        for column, mu in enumerate(exponents):
            by_degree.setdefault(len(mu), []).append(column)
        for a, columns in by_degree.items():
            indices = numpy.array([exponents[c] for c in columns], dtype=numpy.int64).reshape(-1, a)
            rows[:, columns] = self.block_rows(indices, prime, k)
        return rows

    def block_rows(self, indices, prime, k):
        r"""
        Return the equations of point ``k`` on the monomials of one degree
        `a`, given as an array of variable indices with `a` columns.

        `\partial_{x_i} \mu` is the sum, over the positions of `i` in `\mu`,
        of the product of the other factors.

        EXAMPLES:

        On `x \mapsto u v x` (`\phi = w_1 w_2`, one law `w_1^2 - w_2^2`)::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.laws.discovery import ModularSystems
            sage: N = ReLUNetwork([1, 1, 1]); S = ModularSystems(N.fields(), 0); p = 8388593
            sage: import numpy
            sage: bool((S.block_rows(numpy.array([[0, 0], [1, 1]]), p, 0) == S.rows([[0, 0], [1, 1]], p, 0)).all())
            True
        """
        import numpy
        theta, basis = self.point(prime, k)
        a = indices.shape[1]
        values = theta[indices]
        block = numpy.zeros((basis.shape[0], indices.shape[0]), dtype=numpy.int64)
        for t in range(a):
            others = numpy.ones(indices.shape[0], dtype=numpy.int64)
            for s in range(a):
                if s != t:
                    others = others * values[:, s] % prime
            block = (block + basis[:, indices[:, t]] * others) % prime
        return block

    def vanishing(self, indices, prime, chunk=20000):
        r"""
        Return the mask of the monomials (rows of ``indices``, one degree)
        whose equations at the first point all vanish: the only ones that
        can be laws on their own.

        EXAMPLES:

        On `x \mapsto u v x` (`\phi = w_1 w_2`, one law `w_1^2 - w_2^2`)::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.laws.discovery import ModularSystems
            sage: N = ReLUNetwork([1, 1, 1]); S = ModularSystems(N.fields(), 0); p = 8388593
            sage: import numpy
            sage: S.vanishing(numpy.array([[0, 0], [0, 1]]), p).tolist()  # neither is a law alone
            [False, False]
        """
        import numpy
        mask = numpy.zeros(indices.shape[0], dtype=bool)
        for start in range(0, indices.shape[0], chunk):
            block = self.block_rows(indices[start:start + chunk], prime, 0)
            mask[start:start + chunk] = ~numpy.any(block, axis=0)
        return mask

    def kernel(self, exponents, prime):
        r"""
        Return the reduced echelon kernel modulo ``prime`` of the equations
        on ``exponents``, adding points until a new one changes nothing.

        The kernel is narrowed point by point: with `K` a basis of the
        kernel so far and `A` the equations of a new point, the new kernel is
        `N K` for `N` a basis of the kernel of `A K^T`. A point that changes
        it lowers its dimension, so at most as many points as unknowns change
        it; the first point that does not ends the search. (A vector that is
        not a law fails at a random point but with probability at most its
        degree over `p`; the laws kept are proven exactly anyway.)

        EXAMPLES:

        On `x \mapsto u v x` (`\phi = w_1 w_2`, one law `w_1^2 - w_2^2`)::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.laws.discovery import ModularSystems
            sage: N = ReLUNetwork([1, 1, 1]); S = ModularSystems(N.fields(), 0); p = 8388593
            sage: S.kernel([[0, 0], [1, 1]], p)  # w1^2 - w2^2: coefficients 1, -1 = p - 1
            [      1 8388592]
        """
        import numpy
        field = GF(prime)
        n = len(exponents)
        kernel = None  # a basis, as a numpy array of residues (one row per vector)
        for k in range(1, n + MAX_POINTS):
            if kernel is None:
                # Most classes have no law, and a full rank at two points (cheap) says
                # so. Two, as in phase space one point often gives too few equations.
                equations = numpy.vstack([self.rows(exponents, prime, 0),
                                          self.rows(exponents, prime, 1)])
            else:
                equations = self.rows(exponents, prime, k)
            if kernel is None and _full_rank(equations, n, prime, field):
                return _matrix(field, 0, n, [])
            if kernel is None:
                kernel = _right_kernel(equations % prime, prime, field)
            else:
                reduced = _product_modulo(equations % prime, kernel.T, prime)
                if not reduced.any():
                    return _matrix(field, kernel.shape[0], n, kernel.ravel().tolist()).echelon_form()
                kernel = _product_modulo(_right_kernel(reduced, prime, field), kernel, prime)
            if not kernel.shape[0]:
                return _matrix(field, 0, n, [])
        return None

    def laws(self, exponents, prime, ring, notes):
        r"""
        Return candidate laws on the monomials ``exponents``: the kernel
        lifted modulo one prime or more (Chinese remainders) until every
        candidate is proven conserved; ``[]`` if the kernel is zero, or if it
        could not be lifted (with a note).

        EXAMPLES:

        On `x \mapsto u v x` (`\phi = w_1 w_2`, one law `w_1^2 - w_2^2`)::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.laws.discovery import ModularSystems
            sage: N = ReLUNetwork([1, 1, 1]); S = ModularSystems(N.fields(), 0); p = 8388593
            sage: S.laws([[0, 0], [1, 1]], p, N.ring(), [])
            [w1_0_0^2 - w2_0_0^2]
        """
        gens = ring.gens()
        monomials = [ring.prod(gens[i] for i in mu) for mu in exponents]
        residues, modulus = None, ZZ(1)
        for _ in range(MAX_PRIMES):
            kernel = self.kernel(exponents, prime)
            if kernel is None:
                notes.append(f"a class of {len(exponents)} monomials kept a kernel that "
                             f"more points changed, modulo {prime}: skipped")
                return []
            if not kernel.nrows():
                return []
            lifted = kernel.lift()
            if residues is not None and residues.dimensions() != lifted.dimensions():
                # the kernels modulo two primes differ: the earlier prime was unlucky
                residues, modulus = None, ZZ(1)
            residues = lifted if residues is None else _crt(residues, modulus, lifted, prime)
            modulus *= prime
            candidates = _reconstruct(residues, modulus, monomials)
            if candidates is not None and all(is_conservation_law(h, self._fields)
                                              for h in candidates):
                return candidates
            if prime < 5:
                break
            prime = usable_prime(self._fields, previous_prime(prime))[0]
        notes.append(f"the laws of a class of {len(exponents)} monomials were not lifted "
                     f"to conserved polynomials with {MAX_PRIMES} primes: skipped")
        return []


@lru_cache(maxsize=256)
def _space(field, rows, columns):
    return MatrixSpace(field, rows, columns)


def _matrix(field, rows, columns, entries):
    r"""
    Return the dense matrix over ``field`` with ``entries`` (row by row).

    Through a cached matrix space: ``matrix(GF(p), 6, 4, entries)`` takes
    0.06 ms, mostly finding its space, and the space's call 0.009 ms; the
    search of laws builds one or two per class of monomials, often tens of
    thousands.
    """
    return _space(field, rows, columns)(entries)


def _product_modulo(A, B, prime):
    r"""
    Return `AB` modulo ``prime`` for numpy arrays of residues, exactly (int64, in blocks of
    columns of `A` short enough that no sum overflows).

    TESTS::

        sage: import numpy
        sage: from sage_conslaws.laws.discovery import _product_modulo
        sage: p = 8388593; A = numpy.full((2, 3), p - 1); B = numpy.full((3, 1), p - 1)
        sage: _product_modulo(A, B, p).ravel().tolist()
        [3, 3]
    """
    import numpy
    if (prime - 1)**2 >= 2**62:
        raise ValueError(f"products modulo {prime} do not fit in int64")
    # (p - 1)^2 terms below 2^46: 2^16 of them stay below 2^62
    step = 2**62 // (prime - 1)**2
    result = numpy.zeros((A.shape[0], B.shape[1]), dtype=numpy.int64)
    for start in range(0, A.shape[1], step):
        result = (result + A[:, start:start + step] @ B[start:start + step]) % prime
    return result


def _right_kernel(equations, prime, field):
    r"""
    Return a basis of the right kernel modulo ``prime`` of ``equations`` (a numpy array of residues), exactly, as a numpy array (a row per vector).

    A tall system is first compressed: the kernel of `CA`, `C` a random
    `(n + 2) \times m` matrix, contains the kernel of `A`, and when `A` maps
    each of its basis vectors to zero (checked exactly), the two kernels are
    equal. Otherwise (a rare unlucky `C`) the kernel of `A` itself is
    computed. Building the Sage matrix of all the rows was most of the
    search of laws: 18 of 36 s for ``SoftmaxOutput(ReLUNetwork([8, 16, 10]))``
    in discovery mode (10910 matrices).

    TESTS::

        sage: import numpy
        sage: from sage.rings.finite_rings.finite_field_constructor import GF
        sage: from sage_conslaws.laws.discovery import _right_kernel
        sage: A = numpy.array([[1, 1, 0]] * 10 + [[0, 0, 1]] * 10)
        sage: _right_kernel(A, 7, GF(7)).tolist()
        [[1, 6, 0]]
    """
    import numpy
    m, n = equations.shape
    if m > n + 2 and m <= 2**20:
        rng = numpy.random.default_rng(m * n)
        combination = rng.integers(0, 2**8, size=(n + 2, m), dtype=numpy.int64)
        small = (combination @ equations) % prime
        basis = _residues(_matrix(field, n + 2, n, small.ravel().tolist()).right_kernel_matrix())
        if not _product_modulo(equations, basis.T, prime).any():
            return basis
    return _residues(_matrix(field, m, n, equations.ravel().tolist()).right_kernel_matrix())


def _residues(M):
    # a matrix over GF(p) as a numpy array of residues; through int, five times faster than
    # numpy's own conversion of its entries (1.4 against 7 microseconds an entry)
    import numpy
    return numpy.array(list(map(int, M.list())), dtype=numpy.int64).reshape(M.nrows(), M.ncols())


def _full_rank(equations, n, prime, field):
    r"""
    Return whether ``equations`` (a numpy array) is proven of rank ``n`` modulo ``prime``.

    The rank of `n + 2` random combinations of the rows (coefficients below
    `2^8`, exact in int64) is at most that of the rows, so rank `n` there
    proves it. (Building the Sage matrix of all rows took 0.6 ms a class on a
    momentum flow in `\RR^{145}`, with 13145 classes.) ``False`` only means
    "not proven": the caller then computes the kernel.
    """
    import numpy
    rng = numpy.random.default_rng(n)
    combination = rng.integers(0, 2**8, size=(n + 2, equations.shape[0]), dtype=numpy.int64)
    if equations.shape[0] > 2**20:
        return False  # the products would not be exact in int64
    small = (combination @ (equations % prime)) % prime
    return _matrix(field, n + 2, n, small.ravel().tolist()).rank() == n


def _crt(residues, modulus, lifted, prime):
    r"""
    Return the matrix congruent to ``residues`` modulo ``modulus`` and to ``lifted`` modulo ``prime``.
    """
    inverse = ZZ(modulus).inverse_mod(prime)
    difference = (lifted - residues).apply_map(lambda c: (c * inverse) % prime)
    return residues + modulus * difference


def _reconstruct(residues, modulus, monomials):
    r"""
    Return the polynomials with the rational coefficients reconstructed from ``residues``, or ``None``.
    """
    try:
        rational = residues.change_ring(ZZ).rational_reconstruction(modulus)
    except (ValueError, ArithmeticError):
        return None
    return [sum(c * mu for c, mu in zip(row, monomials) if c) for row in rational.rows()]
