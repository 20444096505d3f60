r"""
Polynomial conservation laws

A polynomial `h` is conserved through a family `W` of vector fields when
`\langle \nabla h, w \rangle = 0` identically for every `w \in W`. Writing `h`
with unknown coefficients turns this into a linear system over `\QQ`, whose
kernel is the space of polynomial laws of bounded degree ([MGP2023]_).

The kernel dimension is *not* the number of independent laws: products and
sums of laws are laws. :func:`independent_laws` extracts a functionally
independent subset, and :func:`new_laws` removes the laws that are polynomials
in laws of lower degree.

EXAMPLES:

The laws of degree 2 of `\phi(x) = x_1 x_2 x_3`::

    sage: from sage.rings.rational_field import QQ
    sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    sage: from sage_conslaws import gradient_fields, polynomial_laws
    sage: R = PolynomialRing(QQ, 'x1, x2, x3'); x1, x2, x3 = R.gens()
    sage: polynomial_laws(gradient_fields([x1*x2*x3]), 2)
    [x1^2 - x3^2, x2^2 - x3^2]
"""
from itertools import combinations_with_replacement

from sage.matrix.constructor import matrix
from sage.rings.finite_rings.finite_field_constructor import GF
from sage.rings.rational_field import QQ

from sage_conslaws.fields.evaluation import DEFAULT_PRIME, ModularPoint
from sage_conslaws.closure.lie_closure import check_family
from sage_conslaws.fields.coercion import to_ring, variable_indices
from sage_conslaws.limits import check_kernel, check_law_search


def is_conservation_law(h, fields):
    r"""
    Return whether ``h`` is conserved through every field of ``fields`` (exactly).

    INPUT:

    - ``h`` -- a polynomial in the ring of the fields
    - ``fields`` -- a list of vector fields on one ring

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import gradient_fields, is_conservation_law
        sage: R = PolynomialRing(QQ, 'u, v'); u, v = R.gens()
        sage: W = gradient_fields([u*v])
        sage: is_conservation_law(u^2 - v^2, W), is_conservation_law(u*v, W)
        (True, False)
    """
    fields = check_family(fields)
    ring = fields[0].ring()
    h = to_ring(ring, h)
    gradient = {k: h.derivative(ring.gen(k)) for k in variable_indices(h)}
    return all(X.pair(gradient).is_zero() for X in fields)


def polynomial_laws(fields, degree, homogeneous=False):
    r"""
    Return a basis over `\QQ` of the polynomial laws of degree at most ``degree``.

    Constants are left out. The basis is the reduced echelon basis of the
    kernel, so it does not depend on any random choice.

    INPUT:

    - ``fields`` -- a non-empty list of vector fields on one ring over `\QQ`
    - ``degree`` -- a positive integer
    - ``homogeneous`` -- (default: ``False``) if ``True``, only the laws that
      are homogeneous of degree exactly ``degree``

    OUTPUT: a list of polynomials, by increasing degree

    ALGORITHM:

    The unknowns are the coefficients of ``h`` on the monomials of degree `1`
    to ``degree``; each field `w` gives the equations "every coefficient of
    `w(h)` vanishes". When every field is homogeneous, `w` maps polynomials of
    degree `a` to polynomials of one degree `a + \deg w - 1`, so each degree is
    solved on its own. The rank is first read modulo a prime: a full rank
    there proves that there is no law, without any rational arithmetic.

    EXAMPLES:

    The two-layer linear network `x \mapsto u^T v x` with `u, v \in \RR^2`
    has the three entries of `U^T U - V^T V` as quadratic laws, and the
    determinant `\det(v, u)`; only three of the four are independent::

        sage: from sage_conslaws import LinearNetwork, independent_laws, polynomial_laws
        sage: laws = polynomial_laws(LinearNetwork([1, 2, 1]).fields(), 2, homogeneous=True)
        sage: laws
        [w1_0_0^2 - w2_0_0^2,
         w1_0_0*w1_1_0 - w2_0_0*w2_0_1,
         -w1_1_0*w2_0_0 + w1_0_0*w2_0_1,
         w1_1_0^2 - w2_0_1^2]
        sage: len(independent_laws(laws))
        3

    At degree 4 they come back as products ([MGP2023]_: the degree-4 kernel of
    a `2`-`2`-`2` network has dimension 6, all products of its 3 quadratic laws)::

        sage: len(polynomial_laws(LinearNetwork([2, 2, 2]).fields(), 4, homogeneous=True))
        6

    TESTS::

        sage: polynomial_laws(LinearNetwork([1, 2, 1]).fields(), -1)
        Traceback (most recent call last):
        ...
        ValueError: the degree of polynomial laws must be a positive integer, got -1

    The sizes of the systems are checked before any is built
    (:func:`~sage_conslaws.limits.check_law_search`)::

        sage: from sage_conslaws import ReLUNetwork
        sage: polynomial_laws(ReLUNetwork([3, 4, 2]).fields(), 4)
        Traceback (most recent call last):
        ...
        BeyondReach: the polynomial laws of degree 4 on R^20 have 8855 unknowns, beyond reach: the rank of their linear system takes minutes beyond the limit (at most 3000 unknowns)
    """
    fields = check_family(fields)
    degree = check_degree(degree, "the degree of polynomial laws")
    degrees = [degree] if homogeneous else list(range(1, degree + 1))
    if all(X.is_homogeneous() for X in fields):
        groups = [[a] for a in degrees]
    elif homogeneous:
        # A non-homogeneous field mixes degrees: solve with all lower degrees, then keep
        # the laws that are homogeneous of the degree asked for.
        laws = polynomial_laws(fields, degree)
        return [h for h in laws if h.is_homogeneous() and h.degree() == degree]
    else:
        groups = [degrees]
    ring = fields[0].ring()
    field_terms = sum(X[i].number_of_terms() for X in fields for i in X.support())
    for group in groups:
        check_law_search(ring.ngens(), group, field_terms)
    laws = []
    for group in groups:
        laws.extend(_laws_on_monomials(fields, _monomials(ring, group), group))
    return laws


def check_degree(degree, what, smallest=1):
    r"""
    Return ``degree`` as an ``int``, or raise if it is not an integer at least ``smallest``.

    INPUT:

    - ``degree`` -- the value given
    - ``what`` -- what it is, for the message
    - ``smallest`` -- (default: 1) the least degree allowed: 1 (positive) or 0 (non-negative)

    EXAMPLES::

        sage: from sage_conslaws.laws.polynomial import check_degree
        sage: check_degree(2, "the degree"), check_degree(0, "the degree", smallest=0)
        (2, 0)
        sage: check_degree(0, "the degree")
        Traceback (most recent call last):
        ...
        ValueError: the degree must be a positive integer, got 0
        sage: check_degree("2", "the degree")
        Traceback (most recent call last):
        ...
        TypeError: the degree must be an integer, got '2'
    """
    if not isinstance(degree, int) and not hasattr(degree, "is_integer"):
        raise TypeError(f"{what} must be an integer, got {degree!r}")
    if int(degree) != degree or degree < smallest:
        kind = "positive" if smallest == 1 else "non-negative"
        raise ValueError(f"{what} must be a {kind} integer, got {degree}")
    return int(degree)


def _monomials(ring, degrees):
    r"""
    Return the monomials of ``ring`` whose degree is in ``degrees``.

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.laws.polynomial import _monomials
        sage: _monomials(PolynomialRing(QQ, 'x, y'), [1, 2])
        [x, y, x^2, x*y, y^2]
    """
    gens = ring.gens()
    return [ring.prod(c) for a in degrees for c in combinations_with_replacement(gens, a)]


def _laws_on_monomials(fields, monomials, degrees):
    r"""
    Return a basis of the laws in the span of ``monomials`` (of the ``degrees``).

    The system is first reduced modulo a prime; only when it has a kernel
    there is the exact kernel computed, if it is within reach
    (:func:`~sage_conslaws.limits.check_kernel`).
    """
    rows = {}
    entries = {}
    for column, mu in enumerate(monomials):
        for f, X in enumerate(fields):
            image = X.apply(mu)
            for coefficient, monomial in zip(image.coefficients(), image.monomials()):
                row = rows.setdefault((f, monomial), len(rows))
                entries[row, column] = coefficient
    system = matrix(QQ, len(rows), len(monomials), entries, sparse=True)
    # Full rank modulo p proves full rank over QQ (no law) once the denominators are cleared.
    if (system.denominator() * system).change_ring(GF(DEFAULT_PRIME)).rank() == len(monomials):
        return []
    check_kernel(system.nrows(), system.ncols(),
                 f"the system of the polynomial laws of degree {', '.join(map(str, degrees))}")
    kernel = system.right_kernel_matrix()
    return [sum(c * mu for c, mu in zip(row, monomials)) for row in kernel.rows()]


def law_gradients(laws, point):
    r"""
    Return the matrix whose rows are the gradients of ``laws`` at ``point``.

    Each law is first divided by its content (the gcd of its coefficients),
    which changes no rank: its gradient then has integer coefficients, defined
    modulo every prime, and whatever the prime, independent rows prove
    independent gradients over `\QQ`.

    INPUT:

    - ``laws`` -- a list of polynomials on one ring
    - ``point`` -- a :class:`~sage_conslaws.fields.evaluation.ModularPoint`

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.fields.evaluation import ModularPoint
        sage: from sage_conslaws.laws.polynomial import law_gradients
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: law_gradients([x^2 - y^2], ModularPoint(2, seed=3, prime=7))
        [2 6]

    TESTS:

    A denominator divisible by the prime is harmless::

        sage: law_gradients([(x^2 - y^2)/7, 7*x], ModularPoint(2, seed=3, prime=7))
        [2 6]
        [1 0]
    """
    from sage_conslaws.fields.vector_fields import PolynomialVectorField
    if not laws:
        return matrix(point.base_field(), 0, len(point.coordinates()))
    ring = laws[0].parent()
    laws = [h / h.content() if h else h for h in laws]
    return point.values([PolynomialVectorField(ring, [h.derivative(v) for v in ring.gens()])
                         for h in laws])


def independent_laws(laws, seed=0, prime=DEFAULT_PRIME):
    r"""
    Return a maximal functionally independent subset of ``laws``.

    Laws are functionally independent when their gradients are linearly
    independent at a generic point. Their gradients are read at a random point
    modulo a prime: if they are independent there, they are independent
    generically (a proof); the subset returned is maximal unless the random
    point is unlucky (probability at most `\deg/p` for the relevant minor).

    INPUT:

    - ``laws`` -- a list of polynomials on one ring
    - ``seed`` -- (default: 0) seed of the random point
    - ``prime`` -- (default: `8388593`) the prime

    EXAMPLES:

    For the two-layer linear network with `n = 2` outputs, `r = 4` hidden
    units and `m = 1` input, the 10 entries of `U^T U - V^T V` are laws but
    only 9 are independent ([MGP2023]_)::

        sage: from sage_conslaws import LinearNetwork, independent_laws
        sage: laws = [h for name, h in LinearNetwork([1, 4, 2]).known_laws()]
        sage: len(laws), len(independent_laws(laws))
        (10, 9)
    """
    laws = list(laws)
    if not laws:
        return []
    point = ModularPoint(laws[0].parent().ngens(), seed=seed, prime=prime)
    return [laws[i] for i in law_gradients(laws, point).pivot_rows()]


def new_laws(laws):
    r"""
    Return the laws of ``laws`` that are not polynomials in laws of lower degree.

    The laws are grouped by degree. A law of degree `k` is *generated* when it
    lies in the algebra `\QQ[g_1, \ldots, g_s]` of the laws of lower degree;
    membership is decided by Gröbner elimination (normal form modulo the ideal
    `(y_i - g_i)` for an order eliminating the parameters). The result spans
    the laws of each degree modulo the generated ones: a user sees only what
    is new.

    INPUT:

    - ``laws`` -- a list of polynomials on one ring (typically a basis from
      :func:`polynomial_laws`)

    EXAMPLES:

    At degree 4, a `2`-`2`-`2` linear network has no law that is not a
    polynomial in its quadratic laws::

        sage: from sage_conslaws import LinearNetwork, polynomial_laws, new_laws
        sage: W = LinearNetwork([2, 2, 2]).fields()
        sage: laws = polynomial_laws(W, 2) + polynomial_laws(W, 4, homogeneous=True)
        sage: len(laws), len(new_laws(laws))
        (9, 3)
    """
    laws = sorted(laws, key=lambda h: h.degree())
    if not laws:
        return []
    ring = laws[0].parent()
    result = []
    for d in sorted({h.degree() for h in laws}):
        batch = [h for h in laws if h.degree() == d]
        lower = [h for h in result if h.degree() < d]
        result.extend(_not_generated(batch, lower, ring))
    return result


def _not_generated(batch, lower, ring):
    r"""
    Return a subset of ``batch`` spanning it modulo `\QQ[` ``lower`` `]`.
    """
    if not lower:
        remainders = list(batch)
    else:
        from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        from sage.rings.polynomial.term_order import TermOrder
        D, s = ring.ngens(), len(lower)
        order = TermOrder('degrevlex', D) + TermOrder('degrevlex', s)
        prefix = "y"
        while any(name.startswith(prefix) for name in ring.variable_names()):
            prefix += "y"
        tags = [f"{prefix}{i}" for i in range(s)]
        big = PolynomialRing(QQ, list(ring.variable_names()) + tags, order=order)
        embed = ring.hom(big.gens()[:D], big)
        ideal = big.ideal([big.gen(D + i) - embed(g) for i, g in enumerate(lower)])
        basis = ideal.groebner_basis()
        parameters = set(range(D))
        remainders = []
        for h in batch:
            normal_form = embed(h).reduce(basis)
            # Keep the terms that still involve a parameter: zero iff h is generated.
            remainders.append(sum((c * m for c, m in zip(normal_form.coefficients(),
                                                          normal_form.monomials())
                                   if any(m.degrees()[k] for k in parameters)), big.zero()))
    monomials = sorted({m for r in remainders for m in r.monomials()})
    if not monomials:
        return []
    coordinates = matrix(QQ, [[r.monomial_coefficient(m) for m in monomials]
                              for r in remainders])
    return [batch[i] for i in coordinates.pivot_rows()]
