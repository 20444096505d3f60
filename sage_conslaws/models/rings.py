r"""
The polynomial ring of a model's parameters, and what stands for it beyond Singular's limit

:func:`parameter_ring` builds the ring of a model's parameters, one variable
per parameter, after checking their number
(:func:`~sage_conslaws.limits.check_parameters`). A layered network with more
parameters has a :class:`RingBeyondReach` instead: it knows their number, and
refuses to be built with the same one-line error.
"""
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws.limits import check_parameters


def parameter_ring(names):
    r"""
    Return the polynomial ring over `\QQ` whose variables are the parameters ``names``.

    It is multivariate even for a single parameter, as models require.

    EXAMPLES::

        sage: from sage_conslaws.models.rings import parameter_ring
        sage: parameter_ring(['w'])
        Multivariate Polynomial Ring in w over Rational Field

    TESTS:

    Singular, which holds the ring, has at most
    :data:`~sage_conslaws.limits.MAX_PARAMETERS` variables (beyond, it stops
    the process); the built-in models count their parameters before they build
    the names (:func:`~sage_conslaws.limits.check_parameters`)::

        sage: parameter_ring(['w%d' % i for i in range(40000)])
        Traceback (most recent call last):
        ...
        BeyondReach: the model has 40000 parameters, beyond reach: every parameter is a variable of a Singular polynomial ring (at most 32767 parameters)
    """
    names = list(names)
    check_parameters("the model", len(names))
    return PolynomialRing(QQ, len(names), names, order='degrevlex')


class RingBeyondReach:
    r"""
    The polynomial ring that a model with too many parameters cannot have: it knows their number, and refuses to be built.

    A layered network beyond :data:`~sage_conslaws.limits.MAX_PARAMETERS`
    parameters has one instead of a ring: its structure (layers, laws as
    quadratic forms, float64 training, the PyTorch bridge) still works, and
    everything that needs the ring says why it cannot.

    INPUT:

    - ``description`` -- the model, as it prints itself
    - ``dimension`` -- its number of parameters

    EXAMPLES::

        sage: from sage_conslaws.models.rings import RingBeyondReach
        sage: R = RingBeyondReach("ReLUNetwork([400, 100, 10])", 41000); R.ngens()
        41000
        sage: R.refuse()
        Traceback (most recent call last):
        ...
        BeyondReach: ReLUNetwork([400, 100, 10]) has 41000 parameters, beyond reach: every parameter is a variable of a Singular polynomial ring (at most 32767 parameters)
    """

    def __init__(self, description, dimension):
        self._description, self._dimension = description, int(dimension)

    def ngens(self):
        return self._dimension

    def refuse(self):
        r"""
        Raise the :class:`~sage_conslaws.limits.BeyondReach` of the ring.
        """
        check_parameters(self._description, self._dimension)
        raise AssertionError(f"{self._description} has a ring")  # pragma: no cover

    def __repr__(self):
        return f"no polynomial ring for the {self._dimension} parameters of {self._description}"
