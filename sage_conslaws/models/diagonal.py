r"""
Diagonal linear networks

The model `\beta = w_1 \odot w_2 \odot \cdots \odot w_L`: `L` vectors of
`\RR^n` multiplied entry by entry, the effective linear predictor
`x \mapsto \langle \beta, x\rangle` (the "diagonal networks" of implicit
bias studies). Each `\beta_i = \prod_l w_{l,i}` is invariant under the
rescalings `w_{l,i} \mapsto \lambda w_{l,i}`, `w_{l+1,i} \mapsto w_{l+1,i} /
\lambda`; their Noether laws are the `n(L - 1)` balancedness laws
`w_{l,i}^2 - w_{l+1,i}^2`.

They are all the laws: the fields `\nabla\beta_i` have disjoint supports
(`\beta_i` depends on coordinate `i` of each layer only), so they commute,
`\mathrm{Lie}(W)` is their span, of dimension `n`, and `nL - n` laws remain.

The class uses only the public base class, as a model written in a Sage
script would (see :doc:`/howto_architecture`).

EXAMPLES::

    sage: from sage_conslaws.models.diagonal import DiagonalNetwork
    sage: N = DiagonalNetwork(3, 4); N
    DiagonalNetwork(3, 4) with 12 parameters
    sage: N.reparametrization()
    [w1_0*w2_0*w3_0*w4_0, w1_1*w2_1*w3_1*w4_1, w1_2*w2_2*w3_2*w4_2]
    sage: r = N.conservation_laws(); r.number_of_laws(), r.is_certified()
    (9, True)
"""
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws.limits import check_parameters
from sage_conslaws.models.base import Model
from sage_conslaws.models.widths import check_sizes


class DiagonalNetwork(Model):
    r"""
    The diagonal linear network `\beta_i = \prod_{l=1}^L w_{l,i}`, `i < n`.

    The parameters are ``wl_i`` (layer `l` from 1, coordinate `i` from 0),
    layer by layer.

    INPUT:

    - ``n`` -- a positive integer: the dimension of `\beta`
    - ``depth`` -- an integer at least 2: the number `L` of layers

    EXAMPLES:

    Depth 2 is `\beta = u \odot v`, with one law `u_i^2 - v_i^2` per coordinate::

        sage: from sage_conslaws.models.diagonal import DiagonalNetwork
        sage: DiagonalNetwork(2, 2).known_laws()
        [('coordinate 0, layers 1-2', w1_0^2 - w2_0^2),
         ('coordinate 1, layers 1-2', w1_1^2 - w2_1^2)]

    TESTS::

        sage: TestSuite(DiagonalNetwork(2, 3)).run()
        sage: DiagonalNetwork(2, 3) is DiagonalNetwork(2, 3)
        True
        sage: DiagonalNetwork(0, 3)
        Traceback (most recent call last):
        ...
        ValueError: the sizes of a diagonal network must be positive integers, got 0, 3
        sage: DiagonalNetwork(3, 1)
        Traceback (most recent call last):
        ...
        ValueError: a diagonal network needs a positive dimension n and a depth of at least 2, got n = 3, depth = 1
        sage: DiagonalNetwork("3", 2)
        Traceback (most recent call last):
        ...
        TypeError: the sizes of a diagonal network must be integers, got '3', 2
        sage: DiagonalNetwork(10**5, 10)
        Traceback (most recent call last):
        ...
        BeyondReach: DiagonalNetwork(100000, 10) has 1000000 parameters, beyond reach: every parameter is a variable of a Singular polynomial ring (at most 32767 parameters)
    """

    def __init__(self, n, depth):
        self._n, self._depth = _check_sizes(n, depth)
        check_parameters(self._description(), self._n * self._depth)
        names = [f"w{l}_{i}" for l in range(1, self._depth + 1) for i in range(self._n)]
        Model.__init__(self, PolynomialRing(QQ, names, len(names)))

    def _description(self):
        return f"DiagonalNetwork({self._n}, {self._depth})"

    def _latex_(self):
        return (rf"\beta = w_1 \odot \cdots \odot w_{{{self._depth}}} \in "
                rf"\mathbf{{R}}^{{{self._n}}}")

    def sizes(self):
        r"""
        Return `(n, L)`.

        EXAMPLES::

            sage: from sage_conslaws.models.diagonal import DiagonalNetwork
            sage: DiagonalNetwork(3, 4).sizes()
            (3, 4)
        """
        return (self._n, self._depth)

    def layers(self):
        r"""
        Return the vectors `w_1, \ldots, w_L`, as lists of parameters.

        EXAMPLES::

            sage: from sage_conslaws.models.diagonal import DiagonalNetwork
            sage: DiagonalNetwork(2, 2).layers()
            [[w1_0, w1_1], [w2_0, w2_1]]
        """
        w = self.parameters()
        return [list(w[l * self._n:(l + 1) * self._n]) for l in range(self._depth)]

    def reparametrization(self):
        r"""
        Return `\beta = (\prod_l w_{l,i})_i`.

        EXAMPLES::

            sage: from sage_conslaws.models.diagonal import DiagonalNetwork
            sage: DiagonalNetwork(1, 3).reparametrization()
            [w1_0*w2_0*w3_0]
        """
        layers = self.layers()
        return [self.ring().prod(w[i] for w in layers) for i in range(self._n)]

    def known_laws(self):
        r"""
        Return the balancedness laws `w_{l,i}^2 - w_{l+1,i}^2`, coordinate by coordinate.

        EXAMPLES::

            sage: from sage_conslaws.models.diagonal import DiagonalNetwork
            sage: [name for name, _ in DiagonalNetwork(1, 3).known_laws()]
            ['coordinate 0, layers 1-2', 'coordinate 0, layers 2-3']
        """
        layers = self.layers()
        return [(f"coordinate {i}, layers {l + 1}-{l + 2}", layers[l][i]**2 - layers[l + 1][i]**2)
                for i in range(self._n) for l in range(self._depth - 1)]



def _check_sizes(n, depth):
    r"""
    Return ``(n, depth)`` as Python integers, or raise a one-line error.
    """
    n, depth = check_sizes("the sizes of a diagonal network", n, depth)
    if depth < 2:
        raise ValueError(f"a diagonal network needs a positive dimension n and a depth of at "
                         f"least 2, got n = {n}, depth = {depth}")
    return n, depth
