r"""
Gradient fields of a reparametrization, under the Euclidean metric or any rational one

For every loss and data set, the gradient of the training loss of a model
reparametrized by `\phi` lies in the span of the fields `M^{-1}\nabla\phi_j`.
"""
# Matrices over fraction fields look up this module lazily, and a modular
# passagemath install does not load it by itself.
import sage.rings.polynomial.laurent_polynomial_ring  # noqa: F401
from sage.matrix.constructor import matrix
from sage.modules.free_module_element import vector
from sage.rings.polynomial.multi_polynomial_ring_base import MPolynomialRing_base
from sage.structure.element import Element

from sage_conslaws.fields.coercion import to_ring, variable_indices
from sage_conslaws.fields.vector_fields import PolynomialVectorField
from sage_conslaws.limits import check_metric_products


def gradient_fields(phi, ring=None, metric_inverse=None):
    r"""
    Return the fields `M(\theta)^{-1} \nabla\phi_j` spanning `W_\phi`.

    For every loss and data set, the gradient of the training loss of a model
    reparametrized by `\phi` lies in the span of these fields, so the
    conservation laws of gradient flow are the functions conserved through them.

    INPUT:

    - ``phi`` -- a list of polynomials (the reparametrization)
    - ``ring`` -- the polynomial ring of the parameters (default: the parent
      of the entries of ``phi``)
    - ``metric_inverse`` -- (default: ``None``, the Euclidean metric) a square
      matrix `M^{-1}` with polynomial or rational entries for a
      non-Euclidean (natural-gradient or mirror) flow. A rational field is
      multiplied by the common denominator of its components: this does not
      change which functions are conserved, nor the integrable distribution it
      generates, on the open set where the denominator does not vanish.

    OUTPUT: a list of :class:`~sage_conslaws.fields.vector_fields.PolynomialVectorField`, one for each non-constant
    entry of ``phi``

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage.matrix.constructor import diagonal_matrix
        sage: from sage_conslaws import gradient_fields
        sage: R = PolynomialRing(QQ, 'x, y, z')
        sage: x, y, z = R.gens()
        sage: gradient_fields([x*y*z])
        [(y*z, x*z, x*y)]
        sage: gradient_fields([x*y], metric_inverse=diagonal_matrix([x, y, z]))
        [(x*y, x*y, 0)]
        sage: gradient_fields([x*y], metric_inverse=diagonal_matrix([1/x, 1, 1]))
        [(y, x^2, 0)]

    TESTS::

        sage: gradient_fields([x], metric_inverse=diagonal_matrix([1, 1]))
        Traceback (most recent call last):
        ...
        ValueError: the inverse metric must be a 3 x 3 matrix, got 2 x 2

    Under a metric, the products of rational functions are counted first
    (:func:`~sage_conslaws.limits.check_metric_products`)::

        sage: from sage_conslaws import NMF
        sage: from sage_conslaws.fields.metrics import inverse_metric
        sage: M = NMF(40, 20, 40)
        sage: gradient_fields(M.reparametrization(), metric_inverse=inverse_metric(M, "entropic"))
        Traceback (most recent call last):
        ...
        BeyondReach: the 1600 gradient fields under a metric on R^1600 take 4098560000 products, beyond reach: each multiplies rational functions of the parameters (at most 1000000000 products)
    """
    phi = list(phi)
    if not phi:
        raise ValueError("the reparametrization phi is empty")
    if ring is None:
        ring = phi[0].parent()
    if not isinstance(ring, MPolynomialRing_base):
        raise TypeError("phi must consist of multivariate polynomials, got elements "
                        f"of {ring}")
    phi = [to_ring(ring, f) for f in phi]
    D = ring.ngens()
    if metric_inverse is not None:
        check_metric_products(len(phi), D)
        metric_inverse = as_matrix(metric_inverse, ring)
    if metric_inverse is not None and (metric_inverse.nrows(), metric_inverse.ncols()) != (D, D):
        raise ValueError(f"the inverse metric must be a {D} x {D} matrix, got "
                         f"{metric_inverse.nrows()} x {metric_inverse.ncols()}")
    fields = []
    for f in phi:
        if f.is_constant():
            continue
        gens = ring.gens()
        gradient = {k: f.derivative(gens[k]) for k in variable_indices(f)}
        if metric_inverse is not None:
            dense = [gradient.get(k, ring.zero()) for k in range(D)]
            gradient = clear_denominators(ring, list(metric_inverse * vector(dense)))
        fields.append(PolynomialVectorField(ring, gradient))
    return fields


def as_matrix(data, ring, what="the inverse metric"):
    r"""
    Return ``data`` (a matrix or a list of rows) as a matrix over the fraction field of ``ring``.

    ``what`` names the matrix in the error raised for entries that are not
    rational functions (floating-point numbers included).

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.fields.gradient import as_matrix
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: as_matrix([[x, 0], [0, 1]], R)
        [x 0]
        [0 1]
        sage: as_matrix([[x, 0], [0]], R)
        Traceback (most recent call last):
        ...
        TypeError: the inverse metric must be a square matrix of rational functions in x, y
        sage: as_matrix([[0.5]], R, "the metric")
        Traceback (most recent call last):
        ...
        TypeError: the metric must have rational entries, not floating-point ones (write 1/2, not 0.5)
    """
    from sage.rings.fraction_field import FractionField
    rows = data.rows() if hasattr(data, "rows") else data
    try:
        inexact = any(isinstance(e, float) or (isinstance(e, Element) and not e.parent().is_exact())
                      for row in rows for e in row)
    except TypeError:
        inexact = False
    if inexact:
        raise TypeError(f"{what} must have rational entries, not floating-point ones "
                        "(write 1/2, not 0.5)")
    try:
        return matrix(FractionField(ring), rows)
    except (TypeError, ValueError, ArithmeticError):
        raise TypeError(f"{what} must be a square matrix of rational functions "
                        f"in {', '.join(ring.variable_names())}") from None


def clear_denominators(ring, entries):
    r"""
    Return ``entries`` (rational functions) times their common denominator.

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.fields.gradient import clear_denominators
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: clear_denominators(R, [1/x, y/(x*y + 1)])
        [x*y + 1, x*y]
    """
    from sage.rings.fraction_field import FractionField
    from sage.arith.functions import lcm
    K = FractionField(ring)
    entries = [K(e) for e in entries]
    denominator = lcm([ring(e.denominator()) for e in entries])
    return [ring(e * denominator) for e in entries]
