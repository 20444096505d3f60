r"""
Exact arithmetic modulo a prime on numpy arrays, and the bridge to Sage's dense matrices

The structured path (:mod:`sage_conslaws.structured`) computes the values of
fields at a point with numpy arrays of residues modulo a prime `p < 2^{23}`
(the default prime of the package, `8388593`, and the primes below it).
Products of two residues are below `2^{46}`, exact in int64; matrix products
go through floating-point BLAS, exactly, by splitting one factor in two
halves of 12 and 11 bits (see :func:`matmul`). The ranks are then those of
Sage's ``Matrix_modn_dense_double`` (LinBox), filled from the array in one
copy (see :func:`sage_matrix`).

EXAMPLES::

    sage: import numpy
    sage: from sage_conslaws.structured.modular import matmul, sage_matrix
    sage: a = numpy.array([[8388592, 2], [3, 4]]); b = numpy.array([[1, 0], [5, 8388592]])
    sage: matmul(a, b, 8388593)
    array([[      9, 8388591],
           [     23, 8388589]])
    sage: sage_matrix(numpy.array([[1, 2], [2, 4]]), 7).rank()
    1
"""
import numpy

#: Residues modulo primes below this bound have products below `2^{46}`.
MAX_PRIME = 2**23

# A factor split as hi * 2^12 + lo: each half times a residue is below 2^35, and a sum
# of 2^18 such products stays below 2^53, exact in float64.
_SPLIT = 2**12
_MAX_INNER = 2**18


def check_prime(prime):
    r"""
    Return ``prime`` as an int after checking that this arithmetic is exact for it.

    TESTS::

        sage: from sage_conslaws.structured.modular import check_prime
        sage: check_prime(2**31 - 1)
        Traceback (most recent call last):
        ...
        ValueError: the structured path computes modulo primes below 2^23, got 2147483647
    """
    prime = int(prime)
    if not 2 <= prime < MAX_PRIME:
        raise ValueError(f"the structured path computes modulo primes below 2^23, got {prime}")
    return prime


def matmul(a, b, prime):
    r"""
    Return ``(a @ b) % prime`` exactly, for int64 arrays of residues (numpy broadcasting rules).

    Floating-point BLAS is exact here: ``a`` is split into residues below
    `2^{12}` and `2^{11}`, and each partial product is below `2^{53}` while the
    inner dimension is at most `2^{18}` (longer ones are summed in slices).
    Measured: a product of two `1000 \times 1000` matrices takes 0.06 s this
    way and 1.1 s in int64 numpy, which has no BLAS for integers.

    EXAMPLES::

        sage: import numpy
        sage: from sage_conslaws.structured.modular import matmul
        sage: p = int(8388593); rng = numpy.random.default_rng(int(1))
        sage: a = rng.integers(0, p, (3, 4)); b = rng.integers(0, p, (4, 2))
        sage: exact = [[sum(int(a[i, k]) * int(b[k, j]) for k in range(4)) % p for j in range(2)]
        ....:          for i in range(3)]
        sage: matmul(a, b, p).tolist() == exact
        True
    """
    n = a.shape[-1]
    if n > _MAX_INNER:
        result = 0
        for start in range(0, n, _MAX_INNER):
            part = matmul(a[..., start:start + _MAX_INNER], b[..., start:start + _MAX_INNER, :]
                          if b.ndim > 1 else b[start:start + _MAX_INNER], prime)
            result = (result + part) % prime
        return result
    af, bf = a.astype(numpy.float64), b.astype(numpy.float64)
    lo = numpy.fmod(af, _SPLIT)
    hi = (af - lo) / _SPLIT
    high = numpy.fmod(hi @ bf, prime)
    low = numpy.fmod(lo @ bf, prime)
    return numpy.fmod(high * _SPLIT + low, prime).astype(numpy.int64)


def sage_matrix(array, prime):
    r"""
    Return the 2-dimensional int64 array of residues as a dense Sage matrix over `GF(p)`.

    The entries are copied in one pass by the matrix's own unpickling, which
    reads 8-byte words: building it entry by entry from a list took 0.31 s
    for a `1000 \times 1000` matrix, against 0.02 s.

    EXAMPLES::

        sage: import numpy
        sage: from sage_conslaws.structured.modular import sage_matrix
        sage: sage_matrix(numpy.array([[1, 2, 3], [4, 5, 6]]), 5)
        [1 2 3]
        [4 0 1]
    """
    from sage.matrix.matrix_space import MatrixSpace
    from sage.rings.finite_rings.finite_field_constructor import GF
    rows, columns = array.shape
    space = MatrixSpace(GF(prime), rows, columns)
    if prime == 2:  # M4RI's matrices pack bits: no word to copy
        return space((array % 2).tolist())
    result = space()
    if rows and columns:
        data = numpy.ascontiguousarray(array % prime, dtype="<i8").tobytes()
        result._unpickle((8, True, data), 10)
    return result


def residue(c, prime):
    r"""
    Return the rational ``c`` modulo ``prime`` as an int, or raise ``ZeroDivisionError`` if ``prime`` divides its denominator.

    EXAMPLES::

        sage: from sage_conslaws.structured.modular import residue
        sage: residue(99/100, 101), residue(-1, 7)
        (2, 6)
        sage: residue(1/100, 5)
        Traceback (most recent call last):
        ...
        ZeroDivisionError: 5 divides the denominator of 1/100
    """
    from sage.rings.finite_rings.finite_field_constructor import GF
    from sage.rings.rational_field import QQ
    c = QQ(c)
    if c.denominator() % prime == 0:
        raise ZeroDivisionError(f"{prime} divides the denominator of {c}")
    return int(GF(prime)(c))


_SECONDS_PER_OPERATION = []


def rank_seconds(rows, columns):
    r"""
    Return an estimate of the seconds of the rank of a dense ``rows x columns`` matrix modulo `p`.

    The cost is about ``rows * columns * min(rows, columns)`` operations; their
    speed is measured once per process on a `400 \times 400` matrix. It is
    an estimate for the progress line, never used for a decision.

    EXAMPLES::

        sage: from sage_conslaws.structured.modular import rank_seconds
        sage: 0 < rank_seconds(1000, 1000) < rank_seconds(2000, 2000)
        True
    """
    if not _SECONDS_PER_OPERATION:
        import time
        a = numpy.random.default_rng(0).integers(0, 8388593, (400, 400))
        M = sage_matrix(a, 8388593)
        start = time.perf_counter()
        M.rank()
        _SECONDS_PER_OPERATION.append(max(time.perf_counter() - start, 1e-6) / 400**3)
    return _SECONDS_PER_OPERATION[0] * rows * columns * min(rows, columns)
