r"""
The Lie closure at a point by random brackets of a structured family

Values of random right-normed brackets of increasing depth
(:func:`~sage_conslaws.structured.brackets.bracket_values`) are stacked until
their rank modulo `p` reaches a target (a proven upper bound such as `D - N`)
or a depth adds nothing twice in a row. Each value is the exact residue of the
value of a field of `\mathrm{Lie}(W)` at an integer point, so the rank is a
proven lower bound of `\dim \mathrm{Lie}(W)` whatever the random choices; they
only decide how fast it climbs. The number of brackets evaluated is about the
rank reached, not the number of components of `\phi`.
"""
import numpy
from sage.structure.sage_object import SageObject

from sage_conslaws.fields.evaluation import DEFAULT_PRIME, ModularPoint, derived_seed
from sage_conslaws.interface.progress import Progress
from sage_conslaws.limits import check_structured_batch
from sage_conslaws.structured.brackets import bracket_values, random_words
from sage_conslaws.structured.dual import Dual
from sage_conslaws.structured.modular import check_prime, rank_seconds, sage_matrix

#: The deepest bracket tried.
MAX_DEPTH = 12
#: More samples than the rank still missing, so that a batch that adds fewer
#: than it holds shows that its depth is exhausted.
EXTRA_SAMPLES = 2


class StructuredClosure(SageObject):
    r"""
    The rank of `\mathrm{Lie}(W)` found at a point by :func:`structured_closure`.

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.structured.closure import structured_closure
        sage: C = structured_closure(LinearNetwork([2, 3, 2]).structured_family())
        sage: C
        structured closure of rank 6 on R^12 at a random point modulo 8388593 (depths 1, 2)
        sage: C.rank(), C.gains(), C.levels()
        (6, [4, 2], [0, 0, 0, 0, 1, 1])
    """

    def __init__(self, dimension, point, gains):
        self._dimension, self._point = dimension, point
        self._gains = list(gains)

    def rank(self):
        r"""
        Return the rank found: a proven lower bound of `\dim \mathrm{Lie}(W)`.
        """
        return sum(self._gains)

    def dimension(self):
        r"""
        Return the dimension `D` of the space.
        """
        return self._dimension

    def gains(self):
        r"""
        Return the rank added by the brackets of each depth (depth 1: the generators).
        """
        return list(self._gains)

    def levels(self):
        r"""
        Return the bracket level of each independent value (0 for the generators).
        """
        return [depth for depth, gain in enumerate(self._gains) for _ in range(gain)]

    def point(self):
        r"""
        Return the :class:`~sage_conslaws.fields.evaluation.ModularPoint`.
        """
        return self._point

    def _repr_(self):
        depths = ", ".join(str(k + 1) for k in range(len(self._gains)))
        return (f"structured closure of rank {self.rank()} on R^{self._dimension} at a random "
                f"point modulo {self._point.prime()} (depths {depths})")


def structured_closure(family, target=None, seed=0, prime=None, max_depth=MAX_DEPTH,
                       progress=None):
    r"""
    Return a :class:`StructuredClosure`: the rank of random brackets of ``family`` at a random point.

    INPUT:

    - ``family`` -- a :class:`~sage_conslaws.structured.brackets.StructuredFamily`
    - ``target`` -- (default: `D`) stop when the rank reaches it
    - ``seed`` -- (default: 0) the seed of the point and of the combinations
    - ``prime`` -- (default: the family's prime) a prime below `2^{23}`
    - ``max_depth`` -- (default: 12) the deepest bracket
    - ``progress`` -- (default: ``None``) a :class:`~sage_conslaws.interface.progress.Progress`

    EXAMPLES:

    Two-layer linear networks `UV^T` with `U` of size `n \times r`, `V` of
    size `m \times r`: `\dim \mathrm{Lie}(W) = D - r(r + 1)/2` when `r \le n + m`
    ([MGP2023]_); here `D = 12`, `r = 3`::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.structured.closure import structured_closure
        sage: structured_closure(LinearNetwork([2, 3, 2]).structured_family()).rank()
        6

    TESTS::

        sage: structured_closure(LinearNetwork([2, 3, 2]).structured_family(), prime=2**31 - 1)
        Traceback (most recent call last):
        ...
        ValueError: the structured path computes modulo primes below 2^23, got 2147483647
    """
    D = family.dimension()
    prime = check_prime(DEFAULT_PRIME if prime is None else prime)
    target = D if target is None else min(target, D)
    progress = progress or Progress(enabled=False)
    point = ModularPoint(D, seed=seed, prime=prime)
    at = Dual.constant(numpy.array(point.integer_coordinates(), dtype=numpy.int64)[None, :],
                       prime)
    rng = numpy.random.default_rng(derived_seed("structured", seed, prime))
    basis, gains, idle = None, [], 0
    for depth in range(1, max_depth + 1):
        gains.append(0)
        while True:
            rank = sum(gains)
            if rank >= target:
                break
            batch = target - rank + EXTRA_SAMPLES
            progress.update(f"brackets of depth {depth}: rank {rank}/{target}, "
                            f"evaluating {batch}")
            rows = _values(family, rng, depth, batch, prime, at)
            if progress.enabled() and rank + batch > 1000:
                estimate = rank_seconds(rank + batch, D)
                progress.update(f"brackets of depth {depth}: rank {rank}/{target}, the rank of "
                                f"{rank + batch} x {D} values modulo {prime} "
                                f"(about {estimate:.0f} s left)")
            basis, gain = _extend(basis, rows, prime)
            gains[-1] += gain
            if gain < batch:
                break
        if sum(gains) >= target:
            break
        idle = idle + 1 if gains[-1] == 0 else 0
        if idle == 2:
            break
    while gains and gains[-1] == 0:
        gains.pop()
    return StructuredClosure(D, point, gains)


def _values(family, rng, depth, batch, prime, at):
    r"""
    Return the values of ``batch`` random brackets of depth ``depth``, as int64 rows.

    The batch is cut in chunks whose arrays of dual numbers fit the limit of
    :func:`~sage_conslaws.limits.check_structured_batch`.
    """
    D = family.dimension()
    chunk = check_structured_batch(D, depth, batch, family.work())
    rows = numpy.empty((batch, D), dtype=numpy.int64)
    for start in range(0, batch, chunk):
        size = min(chunk, batch - start)
        words = random_words(family, rng, depth, size, prime)
        values = bracket_values(family, words, at).value()
        rows[start:start + size] = 0 if values is None else numpy.broadcast_to(values, (size, D))
    return rows


def _extend(basis, rows, prime):
    r"""
    Return the basis enlarged by the rows independent of it, and the number added.
    """
    new = sage_matrix(rows, prime)
    stacked = new if basis is None else basis.stack(new)
    pivots = stacked.pivot_rows()
    before = 0 if basis is None else basis.nrows()
    return stacked.matrix_from_rows(pivots), len(pivots) - before
