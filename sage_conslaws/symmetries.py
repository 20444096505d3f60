r"""
Symmetries of a model: infinitesimal reparametrizations that leave `\phi` unchanged

A generator `\xi` is an infinitesimal symmetry of a model when `\theta \mapsto
\theta + \varepsilon\xi(\theta)` leaves the reparametrization `\phi` unchanged
to first order: `\langle \nabla\phi_j(\theta), \xi(\theta)\rangle = 0` for
every `j` and `\theta`. Every loss built on `\phi` is then invariant too, and
Noether's theorem turns `\xi` into a conservation law or an identity of the
training dynamics (see :mod:`sage_conslaws.noether` and [GU2021]_).

The *linear* symmetries `\xi(\theta) = A\theta` form a Lie algebra
`\mathfrak g \subset \mathfrak{gl}(D, \QQ)`, computed here by exact linear
algebra (:func:`linear_symmetries`). Its symmetric elements give the
conservation laws `\frac12\theta^T A\theta` of gradient flow, its skew
elements the momentum laws `\mu(t)\langle\dot\theta, A\theta\rangle`.

EXAMPLES:

A ReLU network has one rescaling per hidden neuron, and nothing else::

    sage: from sage_conslaws import ReLUNetwork
    sage: from sage_conslaws.symmetries import linear_symmetries
    sage: g = linear_symmetries(ReLUNetwork([2, 2, 1])); g
    Lie algebra of dimension 2 of linear symmetries of ReLUNetwork([2, 2, 1]) with 6 parameters
    sage: g.basis()
    [rescale neuron 1.0: w1_0_0*d/dw1_0_0 + w1_0_1*d/dw1_0_1 - w2_0_0*d/dw2_0_0,
     rescale neuron 1.1: w1_1_0*d/dw1_1_0 + w1_1_1*d/dw1_1_1 - w2_0_1*d/dw2_0_1]

REFERENCES: [GU2021]_ (see the references of the documentation).
"""
from sage.matrix.constructor import matrix
from sage.modules.free_module_element import vector
from sage.rings.rational_field import QQ
from sage.structure.element import Element
from sage.structure.sage_object import SageObject

from .architectures.widths import hidden_widths, neuron_mixing, neuron_rescaling, sparse_add
from .progress import Progress
from .vector_fields import PolynomialVectorField, _variable_indices


class SymmetryGenerator(SageObject):
    r"""
    An infinitesimal symmetry `\theta \mapsto \theta + \varepsilon\xi(\theta)` of a model.

    INPUT:

    - ``name`` -- a readable name
    - ``field`` -- a :class:`~sage_conslaws.vector_fields.PolynomialVectorField`
      `\xi` on the parameter ring of the model
    - ``matrix`` -- (default: ``None``) the `D \times D` matrix `A` over `\QQ`
      with `\xi(\theta) = A\theta` when the generator is linear

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField
        sage: from sage_conslaws.symmetries import SymmetryGenerator
        sage: R = PolynomialRing(QQ, 'u, v'); u, v = R.gens()
        sage: xi = SymmetryGenerator("rescale", PolynomialVectorField(R, [u, -v])); xi
        rescale: u*d/du - v*d/dv
        sage: xi.is_linear()
        False
        sage: SymmetryGenerator.from_matrix(R, [[1, 0], [0, -1]], "rescale").is_linear()
        True

    TESTS::

        sage: SymmetryGenerator("bad", [u, -v])
        Traceback (most recent call last):
        ...
        TypeError: the field of a symmetry generator must be a PolynomialVectorField, got list
        sage: from sage.matrix.constructor import matrix
        sage: SymmetryGenerator("bad", PolynomialVectorField(R, [u, -v]), matrix(QQ, [[1, 0], [0, 1]]))
        Traceback (most recent call last):
        ...
        ValueError: the matrix [1 0; 0 1] does not give the field (u, -v)
    """

    def __init__(self, name, field, matrix=None):
        if not isinstance(field, PolynomialVectorField):
            raise TypeError("the field of a symmetry generator must be a "
                            f"PolynomialVectorField, got {type(field).__name__}")
        self._name = str(name)
        self._field = field
        if matrix is not None:
            matrix = _rational_matrix(matrix, field.dimension())
            if _linear_field(field.ring(), matrix) != field:
                rows = "; ".join(" ".join(str(e) for e in row) for row in matrix.rows())
                raise ValueError(f"the matrix [{rows}] does not give the field {field}")
        self._matrix = matrix

    @classmethod
    def from_matrix(cls, ring, A, name=None):
        r"""
        Return the linear generator `\xi(\theta) = A\theta` on the parameters of ``ring``.

        INPUT:

        - ``ring`` -- the polynomial ring of the parameters
        - ``A`` -- a `D \times D` matrix with rational entries (or a list of rows)
        - ``name`` -- (default: the formula of the field) a readable name

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws.symmetries import SymmetryGenerator
            sage: R = PolynomialRing(QQ, 'x, y')
            sage: SymmetryGenerator.from_matrix(R, [[0, 1], [-1, 0]])
            y*d/dx - x*d/dy

        TESTS::

            sage: SymmetryGenerator.from_matrix(R, [[1, 0]])
            Traceback (most recent call last):
            ...
            ValueError: a linear generator on 2 parameters needs a 2 x 2 matrix, got 1 x 2
            sage: SymmetryGenerator.from_matrix(R, [[0.5, 0], [0, 1]])
            Traceback (most recent call last):
            ...
            TypeError: the matrix of a linear generator must have rational entries (write 1/2, not 0.5)
        """
        A = _rational_matrix(A, ring.ngens())
        field = _linear_field(ring, A)
        return cls(field_formula(field) if name is None else name, field, A)

    def name(self):
        r"""
        Return the readable name.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: linear_symmetries(LinearNetwork([1, 1, 1])).basis()[0].name()
            'rescale neuron 1.0'
        """
        return self._name

    def field(self):
        r"""
        Return the vector field `\xi`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: linear_symmetries(LinearNetwork([1, 1, 1])).basis()[0].field()
            (w1_0_0, -w2_0_0)
        """
        return self._field

    def ring(self):
        r"""
        Return the polynomial ring of the parameters.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: linear_symmetries(LinearNetwork([1, 1, 1])).basis()[0].ring()
            Multivariate Polynomial Ring in w1_0_0, w2_0_0 over Rational Field
        """
        return self._field.ring()

    def matrix(self):
        r"""
        Return the matrix `A` with `\xi(\theta) = A\theta`, or ``None`` if the generator is not linear.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: linear_symmetries(LinearNetwork([1, 1, 1])).basis()[0].matrix()
            [ 1  0]
            [ 0 -1]
        """
        return self._matrix

    def is_linear(self):
        r"""
        Return whether the generator is linear, `\xi(\theta) = A\theta`, with its matrix known.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: linear_symmetries(LinearNetwork([1, 1, 1])).basis()[0].is_linear()
            True
        """
        return self._matrix is not None

    def symmetric_part(self):
        r"""
        Return the symmetric part `(A + A^T)/2` of the matrix of a linear generator.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws.symmetries import SymmetryGenerator
            sage: xi = SymmetryGenerator.from_matrix(PolynomialRing(QQ, 'x, y'), [[1, 2], [0, 0]])
            sage: xi.symmetric_part()
            [1 1]
            [1 0]

        TESTS::

            sage: from sage_conslaws import PolynomialVectorField
            sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
            sage: SymmetryGenerator("square", PolynomialVectorField(R, [x^2, 0])).symmetric_part()
            Traceback (most recent call last):
            ...
            ValueError: the generator square is not linear: it has no matrix
        """
        A = self._linear_matrix()
        return (A + A.transpose()) / 2

    def skew_part(self):
        r"""
        Return the skew-symmetric part `(A - A^T)/2` of the matrix of a linear generator.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws.symmetries import SymmetryGenerator
            sage: xi = SymmetryGenerator.from_matrix(PolynomialRing(QQ, 'x, y'), [[1, 2], [0, 0]])
            sage: xi.skew_part()
            [ 0  1]
            [-1  0]
        """
        A = self._linear_matrix()
        return (A - A.transpose()) / 2

    def _linear_matrix(self):
        if self._matrix is None:
            raise ValueError(f"the generator {self._name} is not linear: it has no matrix")
        return self._matrix

    def formula(self):
        r"""
        Return the field as a sum ``c*d/dx`` of partial derivatives, as a string.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: linear_symmetries(LinearNetwork([1, 1, 1])).basis()[0].formula()
            'w1_0_0*d/dw1_0_0 - w2_0_0*d/dw2_0_0'
        """
        return field_formula(self._field)

    def _repr_(self):
        formula = self.formula()
        return formula if self._name == formula else f"{self._name}: {formula}"

    def _latex_(self):
        r"""
        Return the field in LaTeX.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: latex(linear_symmetries(LinearNetwork([1, 1, 1])).basis()[0])
            \left(\mathit{w1}_{0_{0}}\right) \frac{\partial}{\partial \mathit{w1}_{0_{0}}} + \left(-\mathit{w2}_{0_{0}}\right) \frac{\partial}{\partial \mathit{w2}_{0_{0}}}
        """
        return self._field._latex_()


def field_formula(field):
    r"""
    Return the vector field ``field`` as a sum ``c*d/dx`` of partial derivatives.

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField
        sage: from sage_conslaws.symmetries import field_formula
        sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
        sage: field_formula(PolynomialVectorField(R, [-x, 2*y, y + z^2]))
        '-x*d/dx + 2*y*d/dy + (z^2 + y)*d/dz'
        sage: field_formula(PolynomialVectorField(R, [0, -1, 0]))
        '-d/dy'
        sage: field_formula(PolynomialVectorField(R, [0, 0, 0]))
        '0'
    """
    names = field.ring().variable_names()
    text = ""
    for i in field.support():
        c = field[i]
        sign = "-" if c.number_of_terms() == 1 and c.lc() < 0 else "+"
        c = -c if sign == "-" else c
        factor = "" if c.is_one() else (f"({c})*" if c.number_of_terms() > 1 else f"{c}*")
        term = f"{factor}d/d{names[i]}"
        text = (("-" if sign == "-" else "") + term if not text
                else f"{text} {sign} {term}")
    return text or "0"


def _rational_matrix(A, D):
    r"""
    Return ``A`` as a `D \times D` sparse matrix over `\QQ`, or raise a clear error.
    """
    from sage.structure.element import Matrix
    if isinstance(A, Matrix):
        if not A.base_ring().is_exact():
            raise TypeError("the matrix of a linear generator must have rational entries "
                            "(write 1/2, not 0.5)")
        shape, rows = (A.nrows(), A.ncols()), None
    else:
        try:
            rows = [list(row) for row in A]
        except TypeError:
            raise TypeError(f"a linear generator needs a matrix, got {A!r}") from None
        if any(isinstance(e, float) or (isinstance(e, Element) and not e.parent().is_exact())
               for row in rows for e in row):
            raise TypeError("the matrix of a linear generator must have rational entries "
                            "(write 1/2, not 0.5)")
        shape = (len(rows), len(rows[0]) if rows else 0)
        if any(len(row) != shape[1] for row in rows):
            raise ValueError("the rows of the matrix of a linear generator have different lengths")
    if shape != (D, D):
        raise ValueError(f"a linear generator on {D} parameters needs a {D} x {D} matrix, "
                         f"got {shape[0]} x {shape[1]}")
    try:
        if rows is None:
            return A.change_ring(QQ) if A.is_sparse() else matrix(QQ, D, D, A.dict(), sparse=True)
        return matrix(QQ, rows, sparse=True)
    except (TypeError, ValueError, ArithmeticError):
        raise TypeError("the matrix of a linear generator must have rational entries") from None


def _linear_field(ring, A):
    r"""
    Return the field `\theta \mapsto A\theta` on the parameters of ``ring``.
    """
    gens = ring.gens()
    components = {}
    for (k, l), c in A.dict().items():
        components[k] = components.get(k, ring.zero()) + c * gens[l]
    return PolynomialVectorField(ring, components)


def is_symmetry(model, xi):
    r"""
    Return whether ``xi`` is an infinitesimal symmetry of ``model``: `\langle\nabla\phi_j, \xi\rangle = 0` for all `j`.

    The check is exact (polynomial identities over `\QQ`), for linear and
    non-linear generators alike.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.architectures.base.Model`
    - ``xi`` -- a :class:`SymmetryGenerator`, a
      :class:`~sage_conslaws.vector_fields.PolynomialVectorField` on the
      parameter ring of ``model``, or a list of `D` polynomials in the parameters

    EXAMPLES:

    For `\phi = uv` (the network `[1, 1, 1]`), the rescaling `(u, -v)` is a
    symmetry, and so is the non-linear `(u^3 v^2, -u^2 v^3)` (it is
    `u^2v^2` times the rescaling), but the rotation `(v, -u)` is not::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries import is_symmetry
        sage: N = LinearNetwork([1, 1, 1]); u, v = N.parameters()
        sage: is_symmetry(N, [u, -v]), is_symmetry(N, [u^3*v^2, -u^2*v^3]), is_symmetry(N, [v, -u])
        (True, True, False)

    TESTS::

        sage: is_symmetry(N, [u])
        Traceback (most recent call last):
        ...
        ValueError: a vector field on a space of dimension 2 needs 2 components, got 1
        sage: is_symmetry(N, [1/u, v])
        Traceback (most recent call last):
        ...
        TypeError: 1/w1_0_0 is not a polynomial in w1_0_0, w2_0_0
        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField
        sage: S = PolynomialRing(QQ, 'x, y'); x, y = S.gens()
        sage: is_symmetry(N, PolynomialVectorField(S, [x, -y]))
        Traceback (most recent call last):
        ...
        ValueError: the generator lives on Multivariate Polynomial Ring in x, y over Rational Field, not on the parameter ring Multivariate Polynomial Ring in w1_0_0, w2_0_0 over Rational Field of LinearNetwork([1, 1, 1]) with 2 parameters
        sage: is_symmetry(N, "u")
        Traceback (most recent call last):
        ...
        TypeError: a generator must be a SymmetryGenerator, a PolynomialVectorField or a list of polynomials, got str
    """
    field = as_field(model, xi)
    gens = model.ring().gens()
    for f in model.reparametrization():
        f = model.ring()(f)
        gradient = {k: f.derivative(gens[k]) for k in _variable_indices(f)}
        if not field.pair(gradient).is_zero():
            return False
    return True


def as_field(model, xi):
    r"""
    Return the generator ``xi`` as a vector field on the parameter ring of ``model``.

    INPUT: as for :func:`is_symmetry`

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries import as_field
        sage: N = LinearNetwork([1, 1, 1]); u, v = N.parameters()
        sage: as_field(N, [u, 0])
        (w1_0_0, 0)
    """
    if isinstance(xi, SymmetryGenerator):
        xi = xi.field()
    if isinstance(xi, PolynomialVectorField):
        if xi.ring() is not model.ring():
            raise ValueError(f"the generator lives on {xi.ring()}, not on the parameter ring "
                             f"{model.ring()} of {model}")
        return xi
    if isinstance(xi, (str, bytes)) or not hasattr(xi, "__iter__"):
        raise TypeError("a generator must be a SymmetryGenerator, a PolynomialVectorField or "
                        f"a list of polynomials, got {type(xi).__name__}")
    return PolynomialVectorField(model.ring(), list(xi))


def linear_symmetries(model, progress=None):
    r"""
    Return the Lie algebra of the linear symmetries `\xi(\theta) = A\theta` of ``model``.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.architectures.base.Model`
    - ``progress`` -- (default: ``None``) a :class:`~sage_conslaws.progress.Progress`

    OUTPUT: a :class:`SymmetryAlgebra`

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
        sage: from sage_conslaws.symmetries import linear_symmetries
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
    Return the :class:`SymmetryAlgebra` of ``model``, solved (see :func:`linear_symmetries`).

    Use :func:`linear_symmetries`, which solves it once per model.

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries import solve_linear_symmetries
        sage: solve_linear_symmetries(LinearNetwork([1, 1, 1])).dimension()
        1
    """
    progress = progress or Progress(enabled=False)
    ring, D = model.ring(), model.dimension()
    progress.update("symmetries: gradients of phi")
    gradients = [_gradient(ring(f)) for f in model.reparametrization()]
    gradients = [g for g in gradients if g]
    allowed = _allowed_columns(gradients)
    progress.update("symmetries: equations")
    equations = _equations(gradients, allowed, ring)
    progress.update(f"symmetries: solving {len(equations)} equations")
    components = _solve_components(equations)
    constrained = {k for g in gradients for k in g}
    free = [(k, l) for k in range(D) if k not in constrained for l in range(D)]
    progress.done()
    return SymmetryAlgebra(model, _LinearSystem(D, components, free))


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
    equations = []
    for g in gradients:
        by_monomial = {}
        for k, terms in g.items():
            for l in sorted(allowed.get(k, everything)):
                for c, e in terms:
                    row = by_monomial.setdefault(e.eadd_p(1, l), {})
                    row[k, l] = row.get((k, l), 0) + c
        equations.extend(row for row in by_monomial.values())
    return equations


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
    return [_Component(sorted(unknowns_of[r]), grouped.get(r, [])) for r in sorted(unknowns_of)]


class _Component:
    r"""
    A connected component of the linear system of symmetries: its unknowns, its equations in reduced echelon form, and its kernel.
    """
    #: rows reduced at a time, to keep the matrices small
    CHUNK = 2000

    def __init__(self, unknowns, rows):
        self.unknowns = unknowns
        self.index = {u: i for i, u in enumerate(unknowns)}
        n = len(unknowns)
        rows = _distinct_rows(rows)
        if n == 1:
            # most components of a linear network: one unknown, forced to 0 or free
            self.equations = matrix(QQ, len(rows[:1]), 1, [1] if rows else [])
            self.kernel = [] if rows else [{unknowns[0]: QQ.one()}]
            return
        reduced = matrix(QQ, 0, n, sparse=True)
        for start in range(0, len(rows), self.CHUNK):
            chunk = {(r, self.index[u]): c for r, row in enumerate(rows[start:start + self.CHUNK])
                     for u, c in row.items()}
            block = matrix(QQ, min(self.CHUNK, len(rows) - start), n, chunk, sparse=True)
            reduced = reduced.stack(block).echelon_form()
            reduced = reduced.matrix_from_rows(range(reduced.rank()))
        self.equations = reduced
        self.kernel = [{unknowns[i]: c for i, c in row.dict().items()}
                       for row in reduced.right_kernel_matrix().rows()]

    def residual(self, values):
        r"""
        Return the values of the equations on ``values`` (a dictionary restricted to the unknowns).
        """
        v = vector(QQ, len(self.unknowns), {self.index[u]: c for u, c in values.items()},
                   sparse=True)
        return self.equations * v


def _distinct_rows(rows):
    r"""
    Return ``rows`` (equations as dictionaries) without repeats up to a scalar factor.

    The same equation comes from many monomials of many `\phi_j`; removing
    the repeats first keeps the matrices of the components small.

    TESTS::

        sage: from sage_conslaws.symmetries import _distinct_rows
        sage: _distinct_rows([{1: 2, 2: 4}, {1: 1, 2: 2}, {2: 3}])
        [{1: 1, 2: 2}, {2: 1}]
    """
    distinct = {}
    for row in rows:
        first = row[min(row)]
        normalized = tuple(sorted((u, QQ(c) / first) for u, c in row.items()))
        distinct.setdefault(normalized, dict(normalized))
    return list(distinct.values())


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


class SymmetryAlgebra(SageObject):
    r"""
    The Lie algebra `\mathfrak g` of the linear symmetries of a model, with a readable basis.

    Built by :func:`linear_symmetries`. The basis starts with the
    symmetries that have a name: the rescaling of each hidden neuron and,
    for linear layers, the mixings `\xi_{E_{ab}}(W) = (\ldots, E_{ab}W_l,
    -W_{l+1}E_{ab}, \ldots)` of two neurons of a hidden layer; the rest of
    `\mathfrak g` is completed by reduced echelon vectors, named by their
    formula.

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries import linear_symmetries
        sage: g = linear_symmetries(LinearNetwork([2, 3, 2])); g
        Lie algebra of dimension 9 of linear symmetries of LinearNetwork([2, 3, 2]) with 12 parameters
        sage: g.is_abelian(), g.derived_dimension()
        (False, 8)
        sage: print(g.report())
        LinearNetwork([2, 3, 2]) with 12 parameters
          linear symmetries     : dimension 9 (symmetric 6, skew 3)
          derived algebra       : dimension 8 (not abelian)
          basis                 :
            rescale neuron 1.0: w1_0_0*d/dw1_0_0 + w1_0_1*d/dw1_0_1 - w2_0_0*d/dw2_0_0 - w2_1_0*d/dw2_1_0
            ...
            mix neurons 2 <- 1 of hidden layer 1: w1_1_0*d/dw1_2_0 + w1_1_1*d/dw1_2_1 - w2_0_2*d/dw2_0_1 - w2_1_2*d/dw2_1_1
    """

    def __init__(self, model, system):
        self._model = model
        self._system = system
        self._ring = model.ring()
        space = system.basis()
        # the structure comes from the model, never from the names of its variables
        self._layers = model.weight_indices()
        candidates = _named_candidates(self._layers, system)
        self._basis = _readable_basis(self._ring, self._layers, space, candidates)
        self._symmetric = self._subalgebra(space, candidates, symmetric=True)
        self._skew = self._subalgebra(space, candidates, symmetric=False)
        self._derived = None

    def _subalgebra(self, space, candidates, symmetric):
        r"""
        Return a readable basis of `\mathfrak g \cap \mathrm{Sym}` (or `\cap \mathrm{Skew}`).
        """
        sign = -1 if symmetric else 1
        # x spans the subspace when sum x_i (B_i + sign B_i^T) = 0
        twisted = [sparse_add(v, _transpose(v), sign) for v in space]
        columns = _columns(twisted)
        M = matrix(QQ, len(space), len(columns),
                   {(i, columns[u]): c for i, v in enumerate(twisted) for u, c in v.items()},
                   sparse=True)
        vectors = [_combination(x, space) for x in M.left_kernel_matrix().rows()]
        inside = [(name, v) for name, v in candidates + _paired_candidates(self._layers, symmetric)
                  if not sparse_add(v, _transpose(v), sign) and not self._system.residual(v)]
        return _readable_basis(self._ring, self._layers, vectors, inside)

    def model(self):
        r"""
        Return the model.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: linear_symmetries(LinearNetwork([1, 1, 1])).model()
            LinearNetwork([1, 1, 1]) with 2 parameters
        """
        return self._model

    def dimension(self):
        r"""
        Return the dimension of `\mathfrak g`.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: linear_symmetries(ReLUNetwork([2, 3, 2, 1], bias=True)).dimension()
            5
        """
        return len(self._basis)

    def basis(self):
        r"""
        Return a basis of `\mathfrak g`, as a list of :class:`SymmetryGenerator`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: linear_symmetries(LinearNetwork([1, 1, 1])).basis()
            [rescale neuron 1.0: w1_0_0*d/dw1_0_0 - w2_0_0*d/dw2_0_0]
        """
        return list(self._basis)

    def symmetric_subalgebra(self):
        r"""
        Return a basis of the symmetric elements `\mathfrak g \cap \mathrm{Sym}(D)`.

        Each gives a conservation law `\frac12\theta^TA\theta` of gradient flow.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: [xi.name() for xi in linear_symmetries(LinearNetwork([2, 2, 2])).symmetric_subalgebra()]
            ['rescale neuron 1.0', 'rescale neuron 1.1', 'symmetric mix of neurons 0, 1 of hidden layer 1']
        """
        return list(self._symmetric)

    def skew_subalgebra(self):
        r"""
        Return a basis of the skew-symmetric elements `\mathfrak g \cap \mathfrak{so}(D)`.

        Each gives a momentum law `\mu(t)\langle\dot\theta, A\theta\rangle`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: linear_symmetries(LinearNetwork([2, 2, 2])).skew_subalgebra()
            [rotate neurons 0, 1 of hidden layer 1: w1_1_0*d/dw1_0_0 + w1_1_1*d/dw1_0_1 - w1_0_0*d/dw1_1_0 - w1_0_1*d/dw1_1_1 + w2_0_1*d/dw2_0_0 - w2_0_0*d/dw2_0_1 + w2_1_1*d/dw2_1_0 - w2_1_0*d/dw2_1_1]
        """
        return list(self._skew)

    def symmetric_dimension(self):
        r"""
        Return the dimension of `\mathfrak g \cap \mathrm{Sym}(D)`.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: linear_symmetries(ReLUNetwork([2, 3, 1])).symmetric_dimension()
            3
        """
        return len(self._symmetric)

    def skew_dimension(self):
        r"""
        Return the dimension of `\mathfrak g \cap \mathfrak{so}(D)`.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: linear_symmetries(ReLUNetwork([2, 3, 1])).skew_dimension()
            0
        """
        return len(self._skew)

    def adapted_basis(self, kind):
        r"""
        Return a basis of `\mathfrak g` that starts with a basis of its symmetric or skew part.

        INPUT:

        - ``kind`` -- ``"symmetric"`` or ``"skew"``

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: g = linear_symmetries(LinearNetwork([1, 2, 1]))
            sage: [xi.name() for xi in g.adapted_basis("skew")][:3]
            ['rotate neurons 0, 1 of hidden layer 1',
             'couples layers 1, 2',
             'rescale neuron 1.0']

        TESTS::

            sage: g.adapted_basis("diagonal")
            Traceback (most recent call last):
            ...
            ValueError: kind must be 'symmetric' or 'skew', got 'diagonal'
        """
        if kind not in ("symmetric", "skew"):
            raise ValueError(f"kind must be 'symmetric' or 'skew', got {kind!r}")
        first = self._symmetric if kind == "symmetric" else self._skew
        vectors = [_as_vector(xi) for xi in first + self._basis]
        chosen = _pivots(vectors)
        return [(first + self._basis)[i] for i in chosen]

    def is_abelian(self):
        r"""
        Return whether all brackets vanish.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: linear_symmetries(ReLUNetwork([2, 3, 2, 1])).is_abelian()
            True
        """
        return self.derived_dimension() == 0

    def derived_dimension(self):
        r"""
        Return the dimension of the derived algebra `[\mathfrak g, \mathfrak g]`.

        EXAMPLES:

        The `\mathfrak{gl}(2)` of a hidden layer of width 2 has derived
        algebra `\mathfrak{sl}(2)`; for `\phi = u_1v_1 + u_2v_2` the whole
        `\mathfrak o(2, 2)` is perfect::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: linear_symmetries(LinearNetwork([2, 2, 2])).derived_dimension()
            3
            sage: linear_symmetries(LinearNetwork([1, 2, 1])).derived_dimension()
            6
        """
        if self._derived is None:
            matrices = [xi.matrix() for xi in self._basis]
            if all(A.is_diagonal() for A in matrices):
                self._derived = 0
            else:
                brackets = [_matrix_as_vector(A * B - B * A)
                            for i, A in enumerate(matrices) for B in matrices[i + 1:]]
                self._derived = len(_pivots(brackets))
        return self._derived

    def as_dict(self):
        r"""
        Return the main facts as a dictionary of JSON-serialisable values.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: d = linear_symmetries(ReLUNetwork([1, 1, 1])).as_dict()
            sage: d["dimension"], d["symmetric_dimension"], d["skew_dimension"], d["generators"]
            (1, 1, 0, ['rescale neuron 1.0'])
        """
        return {"model": repr(self._model), "parameters": self._model.dimension(),
                "dimension": self.dimension(),
                "symmetric_dimension": self.symmetric_dimension(),
                "skew_dimension": self.skew_dimension(),
                "derived_dimension": self.derived_dimension(),
                "generators": [xi.name() for xi in self._basis],
                "symmetric_generators": [xi.name() for xi in self._symmetric],
                "skew_generators": [xi.name() for xi in self._skew]}

    def report(self, limit=12):
        r"""
        Return a readable multi-line report.

        INPUT:

        - ``limit`` -- (default: 12) the number of basis elements shown; the
          others are counted

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.symmetries import linear_symmetries
            sage: print(linear_symmetries(ReLUNetwork([1, 3, 1])).report(limit=2))
            ReLUNetwork([1, 3, 1]) with 6 parameters
              linear symmetries     : dimension 3 (symmetric 3, skew 0)
              derived algebra       : dimension 0 (abelian)
              basis                 :
                rescale neuron 1.0: w1_0_0*d/dw1_0_0 - w2_0_0*d/dw2_0_0
                rescale neuron 1.1: w1_1_0*d/dw1_1_0 - w2_0_1*d/dw2_0_1
                ... and 1 more
        """
        derived = self.derived_dimension()
        lines = [repr(self._model),
                 f"  linear symmetries     : dimension {self.dimension()} "
                 f"(symmetric {self.symmetric_dimension()}, skew {self.skew_dimension()})",
                 f"  derived algebra       : dimension {derived} "
                 f"({'abelian' if derived == 0 else 'not abelian'})",
                 "  basis                 :"]
        lines += [f"    {xi!r}" for xi in self._basis[:limit]]
        if len(self._basis) > limit:
            lines.append(f"    ... and {len(self._basis) - limit} more")
        return "\n".join(lines)

    def _repr_(self):
        return (f"Lie algebra of dimension {self.dimension()} of linear symmetries "
                f"of {self._model!r}")


# ----------------------------------------------------------------------------
# Sparse vectors of gl(D): dictionaries (k, l) -> A_kl
# ----------------------------------------------------------------------------

def _transpose(v):
    return {(l, k): c for (k, l), c in v.items()}


def _columns(vectors):
    return {u: i for i, u in enumerate(sorted({u for v in vectors for u in v}))}


def _combination(x, vectors):
    result = {}
    for a, v in zip(x, vectors):
        if a:
            result = sparse_add(result, v, a)
    return result


def _pivots(vectors):
    r"""
    Return the indices of a maximal linearly independent subset of ``vectors``, greedily from the first.
    """
    if not vectors:
        return []
    columns = _columns(vectors)
    M = matrix(QQ, len(vectors), max(len(columns), 1),
               {(i, columns[u]): c for i, v in enumerate(vectors) for u, c in v.items()},
               sparse=True)
    return list(M.pivot_rows())


def _as_vector(xi):
    return _matrix_as_vector(xi.matrix())


def _matrix_as_vector(A):
    return {u: c for u, c in A.dict().items() if c}


def _readable_basis(ring, layers, space, candidates):
    r"""
    Return a basis of the span of ``space`` as generators: independent ``candidates`` first (already in the span), completed by vectors of ``space``.
    """
    vectors = [v for _, v in candidates] + list(space)
    names = [name for name, _ in candidates] + [_layers_name(layers, v) for v in space]
    D = ring.ngens()
    chosen = _pivots(vectors)
    return [SymmetryGenerator.from_matrix(ring, matrix(QQ, D, D, vectors[i], sparse=True), name)
            for i, name in zip(chosen, _numbered([names[i] for i in chosen]))]


def _numbered(names):
    r"""
    Return ``names`` with a number added to each name that occurs more than once.

    TESTS::

        sage: from sage_conslaws.symmetries import _numbered
        sage: _numbered(["a", "b", "a", None])
        ['a #1', 'b', 'a #2', None]
    """
    seen = {}
    repeated = {name for name in names if name is not None and names.count(name) > 1}
    numbered = []
    for name in names:
        if name in repeated:
            seen[name] = seen.get(name, 0) + 1
            name = f"{name} #{seen[name]}"
        numbered.append(name)
    return numbered


# ----------------------------------------------------------------------------
# Named symmetries of layered networks (parameters w{l}_{i}_{j}, b{l}_{i})
# ----------------------------------------------------------------------------

def _layers_name(layers, vector):
    r"""
    Return a name saying which layers an element without a readable name acts on, or ``None``.

    Elements of a network's algebra that are not rescalings or mixings of
    one layer (e.g. the `\mathfrak o(r, r)` exchanges of `x \mapsto u^Tv\,x`)
    couple the parameters of several layers.

    TESTS::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries import _layers_name
        sage: layers = LinearNetwork([1, 2, 1]).weight_indices()
        sage: _layers_name(layers, {(0, 3): 1, (2, 1): -1}), _layers_name(layers, {(0, 1): 1})
        ('couples layers 1, 2', None)
    """
    if layers is None:
        return None
    layer_of = {k: l for (l, _, _), k in layers[0].items()}
    layer_of.update({k: l for (l, _), k in layers[1].items()})
    touched = sorted({layer_of[k] for entry in vector for k in entry if k in layer_of})
    if len(touched) < 2:
        return None
    return f"couples layers {', '.join(map(str, touched))}"


def _named_candidates(layers, system):
    r"""
    Return the named symmetries of a layered network: the rescaling of each hidden neuron, the mixings of two neurons of a hidden layer, when they solve ``system``.

    The power `c` of a rescaling (`+1` on the incoming weights and bias,
    `-c` on the outgoing weights: `c = p` for a `p`-homogeneous activation)
    is not known in advance: the equations fix it, as they are linear in `c`.
    """
    if layers is None:
        return []
    weights, biases = layers
    candidates = []
    for l, width in sorted(hidden_widths(weights).items()):
        for i in range(width):
            incoming, outgoing = neuron_rescaling(weights, biases, l, i)
            c = _power(system.residual(incoming), system.residual(outgoing))
            if c:
                power = "" if c == 1 else f" (power {c})"
                candidates.append((f"rescale neuron {l}.{i}{power}",
                                   sparse_add(incoming, outgoing, -c)))
        mixings = [(f"mix neurons {a} <- {b} of hidden layer {l}", neuron_mixing(weights, biases, l, a, b))
                   for a in range(width) for b in range(width) if a != b]
        candidates += [(name, v) for name, v in mixings if not system.residual(v)]
    return candidates


def _power(u, w):
    r"""
    Return the non-zero `c` with `u = c\,w` (residuals as dictionaries), `1` if both vanish, else ``None``.
    """
    if not w:
        return None if u else QQ.one()
    key = next(iter(w))
    c = u.get(key, 0) / w[key]
    return c if c and not sparse_add(u, w, -c) else None


def _paired_candidates(layers, symmetric):
    r"""
    Return the symmetric (``E_ab + E_ba``) or skew (``E_ab - E_ba``) mixings of two neurons `a < b` of each hidden layer.
    """
    if layers is None:
        return []
    weights, biases = layers
    name = "symmetric mix of neurons" if symmetric else "rotate neurons"
    return [(f"{name} {a}, {b} of hidden layer {l}",
             sparse_add(neuron_mixing(weights, biases, l, a, b), neuron_mixing(weights, biases, l, b, a),
                  1 if symmetric else -1))
            for l, width in sorted(hidden_widths(weights).items())
            for a in range(width) for b in range(a + 1, width)]
