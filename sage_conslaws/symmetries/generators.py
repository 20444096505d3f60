r"""
Symmetry generators: vector fields `\xi` with `\langle\nabla\phi_j, \xi\rangle = 0`,
linear (`\xi(\theta) = A\theta`) or not, and their exact check.
"""
from sage.matrix.constructor import matrix
from sage.rings.rational_field import QQ
from sage.structure.element import Element
from sage.structure.sage_object import SageObject

from sage_conslaws.fields.vector_fields import PolynomialVectorField
from sage_conslaws.fields.coercion import variable_indices


class SymmetryGenerator(SageObject):
    r"""
    An infinitesimal symmetry `\theta \mapsto \theta + \varepsilon\xi(\theta)` of a model.

    INPUT:

    - ``name`` -- a readable name
    - ``field`` -- a :class:`~sage_conslaws.fields.vector_fields.PolynomialVectorField`
      `\xi` on the parameter ring of the model
    - ``matrix`` -- (default: ``None``) the `D \times D` matrix `A` over `\QQ`
      with `\xi(\theta) = A\theta` when the generator is linear

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField
        sage: from sage_conslaws.symmetries.generators import SymmetryGenerator
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
            sage: from sage_conslaws.symmetries.generators import SymmetryGenerator
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
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
            sage: linear_symmetries(LinearNetwork([1, 1, 1])).basis()[0].name()
            'rescale neuron 1.0'
        """
        return self._name

    def field(self):
        r"""
        Return the vector field `\xi`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
            sage: linear_symmetries(LinearNetwork([1, 1, 1])).basis()[0].field()
            (w1_0_0, -w2_0_0)
        """
        return self._field

    def ring(self):
        r"""
        Return the polynomial ring of the parameters.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
            sage: linear_symmetries(LinearNetwork([1, 1, 1])).basis()[0].ring()
            Multivariate Polynomial Ring in w1_0_0, w2_0_0 over Rational Field
        """
        return self._field.ring()

    def matrix(self):
        r"""
        Return the matrix `A` with `\xi(\theta) = A\theta`, or ``None`` if the generator is not linear.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
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
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
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
            sage: from sage_conslaws.symmetries.generators import SymmetryGenerator
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
        return _half_sum(self._linear_matrix(), 1)

    def skew_part(self):
        r"""
        Return the skew-symmetric part `(A - A^T)/2` of the matrix of a linear generator.

        EXAMPLES::

            sage: from sage.rings.rational_field import QQ
            sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
            sage: from sage_conslaws.symmetries.generators import SymmetryGenerator
            sage: xi = SymmetryGenerator.from_matrix(PolynomialRing(QQ, 'x, y'), [[1, 2], [0, 0]])
            sage: xi.skew_part()
            [ 0  1]
            [-1  0]
        """
        return _half_sum(self._linear_matrix(), -1)

    def _linear_matrix(self):
        if self._matrix is None:
            raise ValueError(f"the generator {self._name} is not linear: it has no matrix")
        return self._matrix

    def formula(self):
        r"""
        Return the field as a sum ``c*d/dx`` of partial derivatives, as a string.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
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
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
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
        sage: from sage_conslaws.symmetries.generators import field_formula
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


def _half_sum(A, sign):
    r"""
    Return `(A + \mathrm{sign}\, A^T)/2` for a sparse matrix `A` over `\QQ`, from its entries.

    Sage's sum of two sparse `200 \times 200` matrices over `\QQ` visits
    every row (15 ms); the Noether laws of ``linear 5,10,10,5`` took 3.9 s in
    them.
    """
    entries = {}
    for (k, l), c in A.dict().items():
        entries[k, l] = entries.get((k, l), 0) + c / 2
        entries[l, k] = entries.get((l, k), 0) + sign * c / 2
    return matrix(QQ, A.nrows(), A.ncols(), {u: c for u, c in entries.items() if c},
                  sparse=True)


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

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
    - ``xi`` -- a :class:`SymmetryGenerator`, a
      :class:`~sage_conslaws.fields.vector_fields.PolynomialVectorField` on the
      parameter ring of ``model``, or a list of `D` polynomials in the parameters

    EXAMPLES:

    For `\phi = uv` (the network `[1, 1, 1]`), the rescaling `(u, -v)` is a
    symmetry, and so is the non-linear `(u^3 v^2, -u^2 v^3)` (it is
    `u^2v^2` times the rescaling), but the rotation `(v, -u)` is not::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries.generators import is_symmetry
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
        gradient = {k: f.derivative(gens[k]) for k in variable_indices(f)}
        if not field.pair(gradient).is_zero():
            return False
    return True


def as_field(model, xi):
    r"""
    Return the generator ``xi`` as a vector field on the parameter ring of ``model``.

    INPUT: as for :func:`is_symmetry`

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries.generators import as_field
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
