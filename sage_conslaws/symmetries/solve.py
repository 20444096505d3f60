r"""
Solving for the linear symmetries of a model: the linear system on the entries of
`A`, pruned, split into connected components and solved exactly over `\QQ`.
"""
from sage.matrix.constructor import matrix
from sage.modules.free_module_element import vector
from sage.rings.rational_field import QQ

from sage_conslaws.interface.progress import Progress
from sage_conslaws.limits import check_symmetry_system
from sage_conslaws.symmetries.algebra import SymmetryAlgebra, distinct_up_to_scale


def linear_symmetries(model, progress=None):
    r"""
    Return the Lie algebra of the linear symmetries `\xi(\theta) = A\theta` of ``model``.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
    - ``progress`` -- (default: ``None``) a :class:`~sage_conslaws.interface.progress.Progress`

    OUTPUT: a :class:`~sage_conslaws.symmetries.algebra.SymmetryAlgebra`

    ALGORITHM:

    `A` is a symmetry when `\sum_{k,l} A_{kl}\,\theta_l\,\partial_k\phi_j = 0`
    for every `j`: one linear equation on the entries of `A` for each `j`
    and each monomial. For each `j` whose partial derivatives are linearly
    independent (a monomial, say), the equations with a variable `\theta_l`
    absent from `\phi_j` force `A_{kl} = 0` for every `k` in `\phi_j`; this
    prunes most unknowns before any equation is written. The remaining
    unknowns only meet inside the connected components of the graph "appear
    in a common equation", and each component is solved apart, by an exact
    kernel over `\QQ`. Unknowns `A_{kl}` with `\theta_k` absent from `\phi`
    are free.

    EXAMPLES:

    For `\phi = u_1v_1 + u_2v_2` (the network `[1, 2, 1]`), the symmetries
    are the Lie algebra `\mathfrak{o}(2, 2)` of the quadratic form `\phi`, of
    dimension 6; it contains the `\mathfrak{gl}(2)` mixing the hidden
    neurons::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries.solve import linear_symmetries
        sage: g = linear_symmetries(LinearNetwork([1, 2, 1]))
        sage: g.dimension(), g.symmetric_dimension(), g.skew_dimension()
        (6, 4, 2)
        sage: [xi.name() for xi in g.basis()]
        ['rescale neuron 1.0',
         'rescale neuron 1.1',
         'mix neurons 0 <- 1 of hidden layer 1',
         'mix neurons 1 <- 0 of hidden layer 1',
         'couples layers 1, 2 #1',
         'couples layers 1, 2 #2']

    TESTS::

        sage: from sage_conslaws import PolynomialMap
        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
        sage: linear_symmetries(PolynomialMap([x*y])).dimension()  # z is free: 3 entries
        4
    """
    # the symmetries command, noether_laws and noether_cross_check all ask for
    # the algebra of the same model: the model solves it once
    return model.symmetry_algebra(progress)


def solve_linear_symmetries(model, progress=None):
    r"""
    Return the :class:`~sage_conslaws.symmetries.algebra.SymmetryAlgebra` of ``model``, solved (see :func:`linear_symmetries`).

    Use :func:`linear_symmetries`, which solves it once per model.

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries.solve import solve_linear_symmetries
        sage: solve_linear_symmetries(LinearNetwork([1, 1, 1])).dimension()
        1
    """
    progress = progress or Progress(enabled=False)
    ring, D = model.ring(), model.dimension()
    progress.update("symmetries: gradients of phi")
    gradients = [_gradient(ring(f)) for f in model.reparametrization()]
    gradients = [g for g in gradients if g]
    allowed = _allowed_columns(gradients)
    _check_system_size(model, gradients, allowed)
    progress.update("symmetries: equations")
    equations = _equations(gradients, allowed, ring)
    progress.update(f"symmetries: solving {len(equations)} equations")
    components = _solve_components(equations)
    constrained = {k for g in gradients for k in g}
    free = [(k, l) for k in range(D) if k not in constrained for l in range(D)]
    progress.done()
    return SymmetryAlgebra(model, _LinearSystem(D, components, free))


def _check_system_size(model, gradients, allowed):
    r"""
    Raise :class:`~sage_conslaws.limits.BeyondReach` if the system of the linear symmetries is too large, before it is written.

    The unknowns are the `A_{kl}` not forced to zero: the ``allowed``
    columns of each parameter `k` of `\phi` (all of them if none is
    forced), and all `D` columns of the parameters absent from `\phi`; the
    equations of :func:`_equations` have one coefficient per allowed column,
    partial derivative and term.

    TESTS::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries.solve import linear_symmetries
        sage: linear_symmetries(LinearNetwork([35, 35, 35]))
        Traceback (most recent call last):
        ...
        BeyondReach: the linear symmetries of LinearNetwork([35, 35, 35]) with 2450 parameters have 85750 unknowns, beyond reach: the exact solution and the algebra take minutes and GB beyond the limit (at most 60000 unknowns)
    """
    D = model.dimension()

    def columns(k):
        return D if k not in allowed else len(allowed[k])

    constrained = {k for g in gradients for k in g}
    unknowns = sum(columns(k) for k in constrained) + (D - len(constrained)) * D
    coefficients = sum(columns(k) * len(terms) for g in gradients for k, terms in g.items())
    check_symmetry_system(repr(model), unknowns, coefficients)


def _gradient(f):
    r"""
    Return the non-zero partial derivatives of ``f``, as a dictionary index -> list of (coefficient, exponent).

    Exponents are Sage's ``ETuple``: shifting them is much faster than
    multiplying monomials.
    """
    result = {}
    for e, c in f.dict().items():
        for k in e.nonzero_positions():
            result.setdefault(k, []).append((c * e[k], e.eadd_p(-1, k)))
    return result


def _allowed_columns(gradients):
    r"""
    Return, for each parameter `k`, the columns `l` with `A_{kl}` not forced to 0 (``None``: all).

    If the partial derivatives of `\phi_j` are linearly independent, the
    equations of `\phi_j` containing `\theta_l`, `l` absent from `\phi_j`,
    force `A_{kl} = 0` for each `k` in `\phi_j`.
    """
    allowed = {}
    for g in gradients:
        if not _independent_partials(g):
            continue
        variables = set(g)
        for k in g:
            allowed[k] = variables if k not in allowed else allowed[k] & variables
    return allowed


def _independent_partials(gradient):
    r"""
    Return whether the partial derivatives in ``gradient`` are linearly independent over `\QQ`.
    """
    if all(len(terms) == 1 for terms in gradient.values()):
        # one-term partials are independent unless two of them coincide
        exponents = [terms[0][1] for terms in gradient.values()]
        return len(set(exponents)) == len(exponents)
    columns = {}
    entries = {}
    for row, terms in enumerate(gradient.values()):
        for c, m in terms:
            entries[row, columns.setdefault(m, len(columns))] = c
    return matrix(QQ, len(gradient), len(columns), entries, sparse=True).rank() == len(gradient)


def _equations(gradients, allowed, ring):
    r"""
    Return the equations on the entries `A_{kl}` not forced to zero, as a list of dictionaries `(k, l) \mapsto` coefficient.

    The equation of `(j, m)` is the coefficient of the monomial `m` in
    `\sum_{k,l} A_{kl}\theta_l\partial_k\phi_j`.
    """
    everything = range(ring.ngens())
    # the same equation comes from many monomials and many phi_j: kept once (linear
    # 5,10,10,5: 727,500 equations, of which 12,000 distinct)
    equations = set()
    for g in gradients:
        by_monomial = {}
        for k, terms in g.items():
            for l in sorted(allowed.get(k, everything)):
                kl = (k, l)
                for c, e in terms:
                    m = e.eadd_p(1, l)
                    row = by_monomial.get(m)
                    if row is None:
                        by_monomial[m] = {kl: c}
                    else:  # no Sage coercion of 0 + c: a third of the time
                        row[kl] = row[kl] + c if kl in row else c
        equations.update(tuple(sorted((u, c) for u, c in row.items() if c))
                         for row in by_monomial.values())
    return [dict(row) for row in sorted(equations) if row]


def _solve_components(equations):
    r"""
    Return the solution of the equations, one :class:`_Component` per connected component of unknowns.
    """
    parent = {}

    def root(u):
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for row in equations:
        unknowns = list(row)
        for u in unknowns:
            parent.setdefault(u, u)
        first = root(unknowns[0])
        for u in unknowns[1:]:
            r = root(u)
            if r != first:
                parent[r] = first
    grouped = {}
    for row in equations:
        row = {u: c for u, c in row.items() if c}
        if row:
            grouped.setdefault(root(next(iter(row))), []).append(row)
    unknowns_of = {}
    for u in parent:
        unknowns_of.setdefault(root(u), []).append(u)
    solved = {}
    return [_Component(sorted(unknowns_of[r]), grouped.get(r, []), solved)
            for r in sorted(unknowns_of)]


class _Component:
    r"""
    A connected component of the linear system of symmetries: its unknowns, its equations in reduced echelon form, and its kernel.
    """

    def __init__(self, unknowns, rows, solved):
        self.unknowns = unknowns
        self.index = {u: i for i, u in enumerate(unknowns)}
        n = len(unknowns)
        if n == 1:
            # most components of a linear network: one unknown, forced to 0 or free
            self.equations = matrix(QQ, len(rows[:1]), 1, [1] if rows else [])
            self.kernel = [] if rows else [{unknowns[0]: QQ.one()}]
            return
        system = (n, _local_rows(rows, self.index))
        if system not in solved:
            solved[system] = _solve_local(*system)
        self.equations, kernel = solved[system]
        self.kernel = [{unknowns[i]: c for i, c in v} for v in kernel]

    def residual(self, values):
        r"""
        Return the values of the equations on ``values`` (a dictionary restricted to the unknowns).
        """
        v = vector(QQ, len(self.unknowns), {self.index[u]: c for u, c in values.items()},
                   sparse=True)
        return self.equations * v


def _local_rows(rows, index):
    r"""
    Return ``rows`` (equations as dictionaries) on the local unknowns ``index``, without repeats up to a scalar factor, sorted.

    The same equation comes from many monomials of many `\phi_j`; removing
    the repeats first keeps the matrices of the components small, and the
    sorted rows name the component's system up to the names of its unknowns.

    TESTS::

        sage: from sage_conslaws.symmetries.solve import _local_rows
        sage: _local_rows([{"a": 2, "b": 4}, {"a": 1, "b": 2}, {"b": 3}], {"a": 0, "b": 1})
        (((0, 1), (1, 2)), ((1, 1),))
    """
    return distinct_up_to_scale({index[u]: c for u, c in row.items()} for row in rows)


def _solve_local(n, rows):
    r"""
    Return the reduced echelon form of the equations ``rows`` on ``n`` unknowns, and a basis of their kernel as pairs (index, value).

    :func:`_solve_components` solves each system once: the components of a
    network repeat the same few systems under other names (``linear
    5,10,10,5``: 4500 components of two unknowns, 6.7 s when each was solved
    apart).

    TESTS::

        sage: from sage_conslaws.symmetries.solve import _solve_local
        sage: E, K = _solve_local(2, (((0, 1), (1, -1)),))
        sage: E, K
        ([ 1 -1], (((0, 1), (1, 1)),))
    """
    reduced = matrix(QQ, 0, n, sparse=True)
    for start in range(0, len(rows), _CHUNK):
        chunk = {(r, i): c for r, row in enumerate(rows[start:start + _CHUNK]) for i, c in row}
        block = matrix(QQ, min(_CHUNK, len(rows) - start), n, chunk, sparse=True)
        reduced = reduced.stack(block).echelon_form()
        reduced = reduced.matrix_from_rows(range(reduced.rank()))
    reduced.set_immutable()
    kernel = tuple(tuple(sorted(row.dict().items()))
                   for row in reduced.right_kernel_matrix().rows())
    return reduced, kernel


#: rows reduced at a time, to keep the matrices small
_CHUNK = 2000


class _LinearSystem:
    r"""
    The solved system of linear symmetries: components, free unknowns, and the unknowns forced to zero (all others).
    """

    def __init__(self, D, components, free):
        self.D = D
        self.components = components
        self.free = set(free)
        self.component_of = {u: i for i, C in enumerate(components) for u in C.unknowns}

    def basis(self):
        r"""
        Return a basis of the solutions, as dictionaries `(k, l) \mapsto A_{kl}`.
        """
        return ([v for C in self.components for v in C.kernel]
                + [{u: QQ.one()} for u in sorted(self.free)])

    def residual(self, values):
        r"""
        Return the values of all equations on ``values``, as a dictionary; it is empty exactly when ``values`` is a solution.
        """
        parts, result = {}, {}
        for u, c in values.items():
            if not c or u in self.free:
                continue
            i = self.component_of.get(u)
            if i is None:
                result[("forced zero", u)] = c
            else:
                parts.setdefault(i, {})[u] = c
        for i, part in parts.items():
            for r, value in self.components[i].residual(part).dict().items():
                result[i, r] = value
        return result
