r"""
Conservation laws that are quadratic forms, held without a polynomial ring

A law `h(\theta) = \sum_{i \le j} c_{ij} \theta_i \theta_j` is the dictionary
``{(i, j): c}`` over the positions of the parameters. The known laws of a
layered network are of this kind
(:meth:`~sage_conslaws.models.layer_laws.LayerLaws.law_forms`): held so, they
need no ring with one variable per parameter (at most 32767 in Singular), and a
form of `m` entries costs `m` numbers where its polynomial costs `m D`
exponents.

EXAMPLES::

    sage: from sage_conslaws.laws.forms import form_text, quadratic_form
    sage: from sage.rings.rational_field import QQ
    sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
    sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
    sage: form = quadratic_form(x^2 - 3*y*z); form
    {(0, 0): 1, (1, 2): -3}
    sage: form_text(form, R.variable_names())
    'x^2 - 3*y*z'
"""
from sage.rings.rational_field import QQ

from sage_conslaws.limits import check_known_laws


def quadratic_form(h):
    r"""
    Return ``{(i, j): c}`` (`i \le j`) with `h = \sum c\, \theta_i \theta_j`, or ``None`` if `h` is not a quadratic form.

    INPUT:

    - ``h`` -- a polynomial of a multivariate polynomial ring

    EXAMPLES::

        sage: from sage_conslaws.laws.forms import quadratic_form
        sage: R.<x, y> = QQ[]
        sage: quadratic_form(2*x*y - y^2), quadratic_form(x^2 + y) is None
        ({(0, 1): 2, (1, 1): -1}, True)
    """
    form = {}
    for exponent, c in h.dict().items():
        positions = exponent.nonzero_positions()
        if len(positions) == 1 and exponent[positions[0]] == 2:
            form[positions[0], positions[0]] = c
        elif len(positions) == 2 and exponent[positions[0]] == exponent[positions[1]] == 1:
            form[tuple(positions)] = c
        else:
            return None
    return form


def form_polynomials(model, forms):
    r"""
    Return the laws ``forms`` (pairs ``(name, form)``) of ``model`` as polynomials of its ring.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
    - ``forms`` -- a list of pairs ``(name, {(i, j): c})``

    OUTPUT: a list of pairs ``(name, polynomial)``

    Their terms are counted first (:func:`~sage_conslaws.limits.check_known_laws`):
    a ring's polynomial stores an exponent per variable and term.

    EXAMPLES::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.laws.forms import form_polynomials
        sage: form_polynomials(ReLUNetwork([1, 1, 1]), [("a", {(0, 0): 1, (0, 1): -2})])
        [('a', w1_0_0^2 - 2*w1_0_0*w2_0_0)]

    TESTS::

        sage: form_polynomials(ReLUNetwork([400, 100, 10]), [])
        Traceback (most recent call last):
        ...
        BeyondReach: ReLUNetwork([400, 100, 10]) has 41000 parameters, beyond reach: every parameter is a variable of a Singular polynomial ring (at most 32767 parameters)
    """
    R = model.ring()   # first: beyond 32767 parameters there is none
    check_known_laws(model._description(), sum(len(form) for _, form in forms), R.ngens())
    x = R.gens()
    return [(name, R.sum(c * x[i] * x[j] for (i, j), c in form.items())) for name, form in forms]


def form_text(form, names):
    r"""
    Return the quadratic form ``form`` written with the parameters ``names``, as Sage prints its polynomial.

    INPUT:

    - ``form`` -- a dictionary ``{(i, j): c}``, `i \le j`, rational coefficients
    - ``names`` -- the names of the parameters, by position

    OUTPUT: a string

    The terms come in Sage's order (degree reverse lexicographic, the
    parameters in order), so that the text of a form and that of its
    polynomial are the same; this writes laws of networks too large for a
    ring.

    EXAMPLES::

        sage: from sage_conslaws.laws.forms import form_text
        sage: form_text({(0, 2): -1, (1, 1): 1/2, (0, 0): 3}, ['a', 'b', 'c'])
        '3*a^2 + 1/2*b^2 - a*c'
        sage: form_text({}, ['a'])
        '0'
    """
    text = ""
    for (i, j), c in sorted(form.items(), key=lambda item: (item[0][1], item[0][0])):
        c = QQ(c)
        if not c:
            continue
        monomial = f"{names[i]}^2" if i == j else f"{names[i]}*{names[j]}"
        size = -c if c < 0 else c
        term = monomial if size == 1 else f"{size}*{monomial}"
        if text:
            text += f" {'-' if c < 0 else '+'} {term}"
        else:
            text = f"-{term}" if c < 0 else term
    return text or "0"

