r"""
Values of nested Lie brackets at a point, in forward mode

A *structured family* evaluates random linear combinations of its generator
fields at a point given as a :class:`~sage_conslaws.structured.dual.Dual`
(see :class:`StructuredFamily`). The value at `y` of `[G, Y] = DY \cdot G - DG
\cdot Y` is read off two evaluations with one more nilpotent unit
`\varepsilon`: `Y(y + \varepsilon G(y))` and `G(y + \varepsilon Y(y))`, whose
`\varepsilon` parts are `DY(y)\, G(y)` and `DG(y)\, Y(y)`. A right-normed bracket
`[G_1, [G_2, \ldots [G_{k-1}, G_k]]]` of depth `k` thus needs `k - 1` units
and about `3^{k-1}` times the work of one generator; no polynomial is
expanded, and no Jacobian matrix is formed.

Every value computed is exact (modulo the prime) and is the value of a field
of `\mathrm{Lie}(W)`: brackets are bilinear, and a bracket of combinations of
generators is a combination of brackets of generators.
"""
import numpy

from sage_conslaws.structured.dual import Dual


class StructuredFamily:
    r"""
    The interface of a family of generator fields evaluated by its structure.

    A subclass implements :meth:`dimension`, :meth:`draw` and
    :meth:`evaluate`; see :class:`~sage_conslaws.structured.layered.LayeredFamily`.
    """

    def dimension(self):
        r"""
        Return the dimension `D` of the space of the fields.
        """
        raise NotImplementedError

    def work(self):
        r"""
        Return the number of entries of the arrays of one combination (default: `D`).

        It sizes the batches (:func:`~sage_conslaws.limits.check_structured_batch`).
        """
        return self.dimension()

    def draw(self, rng, batch, prime):
        r"""
        Return the random coefficients of ``batch`` combinations of the generators.
        """
        raise NotImplementedError

    def evaluate(self, point, combination):
        r"""
        Return the values of the combinations at ``point``, a
        :class:`~sage_conslaws.structured.dual.Dual` of shape ``(batch or 1, D)``,
        as a :class:`~sage_conslaws.structured.dual.Dual` of shape ``(batch, D)``.
        """
        raise NotImplementedError


def bracket_values(family, word, point):
    r"""
    Return the values at ``point`` of the right-normed brackets of the combinations ``word``.

    INPUT:

    - ``family`` -- a :class:`StructuredFamily`
    - ``word`` -- a non-empty list of combinations drawn by :meth:`StructuredFamily.draw`,
      `G_1, \ldots, G_k`, all of one batch size
    - ``point`` -- a :class:`~sage_conslaws.structured.dual.Dual`

    OUTPUT: a :class:`~sage_conslaws.structured.dual.Dual`, the values of
    `[G_1, [G_2, \ldots [G_{k-1}, G_k]]]`

    EXAMPLES:

    The generators `\partial_x` and `x\, \partial_y` on `\RR^2`, combined as
    `a\, \partial_x + b x\, \partial_y`, modulo `7`: `[\partial_x, x\,
    \partial_y] = \partial_y`::

        sage: import numpy
        sage: from sage_conslaws.structured.brackets import StructuredFamily, bracket_values
        sage: from sage_conslaws.structured.dual import Dual
        sage: class Pair(StructuredFamily):   # G_(a, b) = a d/dx + b x d/dy
        ....:     def dimension(self): return 2
        ....:     def draw(self, rng, batch, prime): return rng.integers(0, prime, (batch, 2))
        ....:     def evaluate(self, point, c):
        ....:         x = point.map(lambda v: v[..., 0])
        ....:         first = Dual.constant(numpy.stack([c[:, 0], 0 * c[:, 0]], -1), 7)
        ....:         return first + (x * c[:, 1]).map(lambda v: numpy.stack([0 * v, v], -1))
        sage: c1, c2 = numpy.array([[1, 0]]), numpy.array([[0, 1]])
        sage: y = Dual.constant(numpy.array([[3, 5]]), 7)
        sage: bracket_values(Pair(), [c1, c2], y).value()   # [d/dx, x d/dy] = d/dy
        array([[0, 1]])
        sage: bracket_values(Pair(), [c2, c1], y).value()
        array([[0, 6]])
    """
    first = family.evaluate(point, word[0])
    if len(word) == 1:
        return first
    inner = bracket_values(family, word[1:], point.with_unit(first))
    along = family.evaluate(point.with_unit(inner.bottom()), word[0])
    return inner.top() - along.top()


def random_words(family, rng, depth, batch, prime):
    r"""
    Return ``depth`` random combinations of ``batch`` generators each: a batch of words.
    """
    return [family.draw(rng, batch, prime) for _ in range(depth)]
