r"""
Gradings of a family of vector fields, and the classes of monomials they separate

A *grading* of the polynomial ring gives each variable `x_i` a weight `a_i`
(an integer, or an integer modulo 2) and each monomial `x^e` the weight
`a \cdot e`. A vector field `X = \sum_i X_i \partial_i` is *homogeneous* for it
when every term `m \partial_i` of `X` shifts weights by one amount `c_X`:
`a \cdot e(m) - a_i = c_X`. Then `X` maps polynomials of weight `w` to
polynomials of weight `w + c_X`, so a polynomial `h` is conserved through
every field iff each of its homogeneous components is: the search of
polynomial laws splits into one small system per class of monomials of equal
weights (:mod:`~sage_conslaws.laws.discovery`).

The conditions on `a` are linear; :func:`gradings` solves them over `\QQ`
(integer weights, such as the total degree of homogeneous fields) and over
`\GF{2}` (sign flips `x_i \mapsto -x_i` of some variables, which are
isometries and commute with gradients: e.g. one flip per variable when every
coordinate of `\phi` is a monomial). This is the multi-homogeneity of the
model's structure, read from the fields themselves, for any model.

EXAMPLES:

The gradient of `\phi = xy`: the total degree, and the flips of `x` or `y`
(the weights modulo 2 are the rows of the second matrix)::

    sage: from sage.rings.rational_field import QQ
    sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    sage: from sage_conslaws import gradient_fields
    sage: from sage_conslaws.laws.gradings import gradings, monomial_classes
    sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
    sage: integer, parity = gradings(gradient_fields([x*y]))
    sage: integer.rows(), parity.rows()
    ([(1, 1)], [(1, 0), (0, 1)])

The quadratic monomials split into three classes: `x^2` and `y^2` together
(the law `x^2 - y^2` lives there), `xy` alone::

    sage: import numpy
    sage: monomial_classes([numpy.array([[0, 0], [0, 1], [1, 1]])], integer, parity)
    [[0, 2], [1]]
"""
from sage.matrix.constructor import matrix
from sage.rings.finite_rings.finite_field_constructor import GF
from sage.rings.integer_ring import ZZ
from sage.rings.rational_field import QQ


def gradings(fields):
    r"""
    Return the integer gradings and the gradings modulo 2 of ``fields``.

    INPUT:

    - ``fields`` -- a list of vector fields on one ring

    OUTPUT: a pair of matrices with `D` columns, over `\ZZ` and over `\GF{2}`:
    their rows are bases of the weight vectors `a` for which every field is
    homogeneous (see the module's documentation)

    EXAMPLES:

    A field that is not homogeneous for the total degree, `x \partial_x +
    \partial_y`: weights with `a_x - a_x = -a_y`, i.e. `a_y = 0`::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField
        sage: from sage_conslaws.laws.gradings import gradings
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: [M.rows() for M in gradings([PolynomialVectorField(R, [x, 1])])]
        [[(1, 0)], [(1, 0)]]

    TESTS:

    The field `y \partial_x + (x + 1) \partial_y` has no integer grading,
    but commutes with the flip of `y`::

        sage: [M.rows() for M in gradings([PolynomialVectorField(R, [y, x + 1])])]
        [[], [(0, 1)]]
    """
    D = fields[0].dimension()
    differences = set()
    for X in fields:
        reference = None
        for i in X.support():
            for exponent in X[i].exponents():
                # the shift e(m) - e_i of the term m d/dx_i, as a sparse tuple
                shift = {k: e for k, e in exponent.sparse_iter()}
                shift[i] = shift.get(i, 0) - 1
                if reference is None:
                    reference = shift
                    continue
                difference = tuple(sorted((k, shift.get(k, 0) - reference.get(k, 0))
                                          for k in set(shift) | set(reference)
                                          if shift.get(k, 0) != reference.get(k, 0)))
                if difference:
                    differences.add(difference)
    rows = {(r, k): e for r, difference in enumerate(sorted(differences)) for k, e in difference}
    conditions = matrix(QQ, len(differences), D, rows, sparse=True)
    parity = conditions.change_ring(GF(2)).right_kernel_matrix()
    return _integral(conditions), parity


def _integral(conditions):
    r"""
    Return a basis over `\ZZ` of the integer kernel of ``conditions``, in echelon form.

    Over `\QQ`, `C x = 0` iff `C^T C x = 0` (as `|Cx|^2 = x^T C^T C x`), and
    `C^T C` is only `D \times D`. Its entries are sums of products of small
    integers, exact in floating point below `2^{53}`. (Measured on ``relu
    6,9,9,6,5``, 5022 rows on `\RR^{219}`: 0.6 s, where the kernel of the
    sparse rows took 0.7 s over `\QQ` and their independent rows 1.7 s modulo `p`.)
    """
    import numpy
    rows = numpy.zeros((conditions.nrows(), conditions.ncols()))
    for (r, k), e in conditions.dict().items():
        rows[r, k] = float(e)
    largest = float(abs(rows).max()) if rows.size else 0
    if largest * largest * max(1, conditions.nrows()) >= 2**53:
        gram = conditions.transpose() * conditions
    else:
        gram = matrix(ZZ, (rows.T @ rows).astype(numpy.int64).tolist())
    kernel = gram.right_kernel_matrix()
    if not kernel.nrows():
        return matrix(ZZ, 0, conditions.ncols())
    rows = [(row.denominator() * row).change_ring(ZZ) for row in kernel.rows()]
    # the first non-zero weight of each grading positive, for a readable basis
    return matrix(ZZ, [row if row[min(row.support())] > 0 else -row for row in rows])


def monomial_classes(blocks, integer, parity):
    r"""
    Return the classes of monomials with equal weights for every grading.

    INPUT:

    - ``blocks`` -- a list of numpy arrays of monomials, one per degree: row
      ``k`` of an array of degree `a` lists the `a` variable indices of a
      monomial with repetitions (`x_0^2 x_3` is ``[0, 0, 3]``)
    - ``integer``, ``parity`` -- the gradings of :func:`gradings`

    OUTPUT: a list of lists of positions, one per class, in the order of
    their first monomial; positions number the monomials of every block in
    turn

    EXAMPLES:

    With the total degree as only grading, `x_0`, `x_1` and `x_0 x_1`::

        sage: import numpy
        sage: from sage.matrix.constructor import matrix
        sage: from sage.rings.integer_ring import ZZ
        sage: from sage.rings.finite_rings.finite_field_constructor import GF
        sage: from sage_conslaws.laws.gradings import monomial_classes
        sage: blocks = [numpy.array([[0], [1]]), numpy.array([[0, 1]])]
        sage: monomial_classes(blocks, matrix(ZZ, [[1, 1]]), matrix(GF(2), 0, 2))
        [[0, 1], [2]]
    """
    import numpy
    keys = [_keys(indices, integer, parity) for indices in blocks]
    if not sum(len(k) for k in keys):
        return []
    keys = numpy.concatenate(keys)
    _, first, inverse = numpy.unique(keys, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    order = numpy.argsort(inverse, kind="stable")
    groups = numpy.split(order, numpy.cumsum(numpy.bincount(inverse))[:-1])
    # in the order of their first monomial
    return [groups[g].tolist() for g in numpy.argsort(first, kind="stable")]


def _keys(indices, integer, parity):
    r"""
    Return one key per monomial (row of ``indices``): equal weights give equal keys.

    The integer weights are hashed by two random linear forms modulo `2^{64}`
    (numpy's wrapping arithmetic), the weights modulo 2 kept as bits. Equal
    weights always give equal keys; unequal weights give equal keys with
    probability about `2^{-128}`, and then two classes are solved as one, which
    loses no law. (The full weight vectors of ``momentum 7,6,7,3``, 1.6 million
    monomials with 422 weights each, would take 5 GB.)
    """
    import numpy
    D = integer.ncols()
    rng = numpy.random.default_rng(0)
    forms = rng.integers(1, 2**62, size=(2, integer.nrows()), dtype=numpy.int64)
    weights = numpy.array([[int(c) for c in row] for row in integer.rows()],
                          dtype=numpy.int64).reshape(integer.nrows(), D)
    projected = (forms @ weights).T  # D x 2, wrapping
    bits = numpy.array([[int(c) for c in row] for row in parity.rows()],
                       dtype=numpy.uint8).reshape(parity.nrows(), D)
    packed = numpy.packbits(bits, axis=0).T if parity.nrows() else numpy.zeros((D, 0), numpy.uint8)
    integral = numpy.zeros((len(indices), 2), dtype=numpy.int64)
    modular = numpy.zeros((len(indices), packed.shape[1]), dtype=numpy.uint8)
    for t in range(indices.shape[1] if len(indices) else 0):
        integral += projected[indices[:, t]]
        modular ^= packed[indices[:, t]]
    rows = numpy.hstack([integral.view(numpy.uint8).reshape(len(indices), 16), modular])
    return numpy.ascontiguousarray(rows).view(numpy.dtype((numpy.void, rows.shape[1]))).reshape(-1)
