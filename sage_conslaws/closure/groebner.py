r"""
Exact involutivity of a frame by module standard bases (Singular)

The question is that of :func:`~sage_conslaws.closure.verification.check_involutive`:
do the generators and the brackets `[g_a, X_b]` lie in the span of the frame
`X_1, \ldots, X_m` over `\mathrm{Frac}(R)`, `R = \QQ[\theta_1, \ldots, \theta_D]`?
Instead of `(m + 1)`-minors, it is answered with Singular's standard bases of
submodules of `R^D` and `R^m`, which reach frames and dimensions far beyond
the determinants (see ``benchmarks/groebner_reach.py``).

EXAMPLES::

    sage: from sage_conslaws import LinearNetwork, lie_closure
    sage: from sage_conslaws.closure.groebner import groebner_involutive
    sage: C = lie_closure(LinearNetwork([2, 2, 2]).fields()); C.dimension(), C.rank()
    (8, 5)
    sage: groebner_involutive(C)
    True
"""
import os
import select
import signal
import time

from sage.libs.singular.function import singular_function
from sage.structure.sequence import Sequence

from sage_conslaws.interface.progress import Progress

#: The largest dimension `D` attempted. A frame and its tests are held as dense
#: vectors of `R^D` (``D`` entries each) and every Singular term stores `D`
#: exponents. Measured (``benchmarks/groebner_reach.py``, 2 shared cores):
#: ``ReLUNetwork([10, 10, 10])`` (`D = 200`, frame 190, 36910 tests) 14.5 s,
#: ``([12, 12, 12])`` (`D = 288`, frame 276, 77628 tests) beyond 40 s. The
#: number of tests (about `m^2`) grows first; the budget ``seconds`` catches
#: the cases in between, the limit refuses at once what cannot finish.
MAX_DIMENSION = 1000

#: The largest frame attempted: the tests `[g_a, X_b]` are about `m^2` fields,
#: each formed symbolically; at `m = 276` they exceed 40 s (see
#: :data:`MAX_DIMENSION`), so `m = 1000`, about 13 times as many, is far
#: beyond a minute whatever `D`.
MAX_FRAME = 1000



def _singular(name):
    # Singular's functions are looked up when used: at module level, as objects
    # without a docstring, they broke the API reference's autodoc
    return singular_function(name)


def groebner_involutive(closure, seconds=None, progress=None):
    r"""
    Return whether the frame of ``closure`` spans an involutive distribution
    containing the generators, exactly over the fraction field.

    The question and the meaning of the answer are those of
    :func:`~sage_conslaws.closure.verification.check_involutive`; only the
    method differs (standard bases instead of determinants), and with it the
    reach.

    INPUT:

    - ``closure`` -- a :class:`~sage_conslaws.closure.lie_closure.LieClosure`
    - ``seconds`` -- (default: ``None``, no limit) a time budget; when it is
      exceeded, the computation is interrupted and ``None`` returned
    - ``progress`` -- (default: ``None``) a
      :class:`~sage_conslaws.interface.progress.Progress` reporting on standard error

    OUTPUT:

    - ``True`` -- every generator and every bracket `[g_a, X_b]` (``g_a`` in
      the generator frame, ``X_b`` in the frame) lies in the span of the
      frame over `\mathrm{Frac}(R)`: the distribution is involutive and
      contains `W`, hence is `\mathrm{Lie}(W)`, and the frame being
      independent (at the closure point), the generic dimension of
      `\mathrm{Lie}(W)` *is* the frame size (a proof)
    - ``False`` -- one of them, a field of `\mathrm{Lie}(W)`, is independent
      of the frame over `\mathrm{Frac}(R)`: the generic dimension *exceeds*
      the frame size (a proof that the closure stopped too early)
    - ``None`` -- not decided: `D` or the frame beyond :data:`MAX_DIMENSION`
      or :data:`MAX_FRAME` (refused before anything is formed), or the budget
      ``seconds`` exceeded

    ALGORITHM:

    Let `A` be the `m \times D` matrix whose rows are the frame fields, `M`
    the submodule of `R^D` they generate and

    .. MATH::

        K = \{n \in R^D : A n = 0\},

    the syzygies of the `D` columns of `A` (vectors of `R^m`), computed by
    Singular's ``syz``. Over the field `\mathrm{Frac}(R)`, the row space of
    `A` is the orthogonal of the kernel of `A`, and the kernel is spanned by
    `K` (clear the denominators of a kernel vector). Hence a field `T` lies
    in the `\mathrm{Frac}(R)`-span of the frame iff `n \cdot T = 0` for
    every generator `n` of `K`: an exact test both ways, which needs neither
    a non-zero minor of the frame nor its independence.

    First, every test field is reduced modulo a standard basis of `M`
    (Singular's ``std`` and ``reduce``): a zero remainder means `T \in M`,
    in the `R`-span, hence in the `\mathrm{Frac}(R)`-span. A non-zero
    remainder proves nothing (`M` is not saturated); only the fields left
    are tested against `K`, and `K` is computed only if some are left.

    Why this order (measured with prototypes of both, whole test): the
    syzygies `K` are one standard basis for all tests, against one ``syz``
    of `(X_1, \ldots, X_m, T)` per test field (a syzygy with a non-zero last
    coordinate iff `T` is in the span): ``LinearNetwork([3, 3, 3])`` 0.025 s
    against 0.064 s, ``LinearNetwork([2, 2, 2, 2])`` 0.10 s against 0.48 s,
    ``ReLUNetwork([4, 4, 4])`` 0.03 s against 0.20 s (there after the
    reduction, one call per field). The reduction first
    costs little and spares `K` when everything lies in `M`: for one generic
    field (`K` are the syzygies of `D` generic polynomials) it is all the work.

    With a budget, the computation runs in a forked process, killed when the
    budget is exceeded: ``cysignals.alarm.alarm`` does interrupt
    Singular's ``std``, but the next computations of this process may then
    fail (a segmentation fault was measured).

    EXAMPLES:

    The rotations about two axes span an involutive distribution, tangent to
    the spheres (check_involutive answers the same)::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField, LinearNetwork, lie_closure
        sage: from sage_conslaws.closure.groebner import groebner_involutive
        sage: R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
        sage: X = PolynomialVectorField(R, [0, z, -y]); Y = PolynomialVectorField(R, [z, 0, -x])
        sage: groebner_involutive(lie_closure([X, Y]))
        True

    The fields `\partial_x` and `\partial_y + x \partial_z`, stopped before
    their bracket `\partial_z`, do not::

        sage: X = PolynomialVectorField(R, [1, 0, 0]); Y = PolynomialVectorField(R, [0, 1, x])
        sage: groebner_involutive(lie_closure([X, Y], max_depth=0))
        False

    Beyond the determinants of check_involutive (a frame of 12 fields on
    `\RR^{18}`): the linear network of widths `3, 3, 3` has `r(r+1)/2 = 6`
    laws (`r = 3`), so `\dim \mathrm{Lie}(W) = 18 - 6 = 12`, the frame size::

        sage: from sage_conslaws.closure.verification import check_involutive
        sage: C = lie_closure(LinearNetwork([3, 3, 3]).fields()); C.dimension(), C.rank()
        (18, 12)
        sage: check_involutive(C), groebner_involutive(C)
        (None, True)

    A budget too small leaves the question open; here the frame of a deep
    linear network (brackets of degree 5 on `\RR^{16}`)::

        sage: C = lie_closure(LinearNetwork([2, 2, 2, 2, 2]).fields()); C.rank()
        7
        sage: groebner_involutive(C, seconds=1) is None
        True

    TESTS:

    An empty frame spans nothing, and a non-zero generator proves it
    incomplete; a frame of rank `D` spans everything::

        sage: C = lie_closure([PolynomialVectorField(R, [x, 0, 0])], prime=5, seed=2)
        sage: C.rank(), groebner_involutive(C)
        (0, False)
        sage: groebner_involutive(lie_closure([X, Y]))
        True

    Dimensions beyond :data:`MAX_DIMENSION` are refused before the frame is
    formed::

        sage: S = PolynomialRing(QQ, 'x', 3000); x = S.gens()
        sage: groebner_involutive(lie_closure([PolynomialVectorField(S, {0: x[1]})])) is None
        True
    """
    D, m = closure.dimension(), closure.rank()
    if D > MAX_DIMENSION or m > MAX_FRAME:
        return None
    progress = progress or Progress(enabled=False)
    if seconds is None:
        return _decide(closure, progress)
    if seconds <= 0:
        return None
    return _in_child(lambda: _decide(closure, progress), seconds)


def _decide(closure, progress):
    r"""
    Return ``True`` or ``False`` as :func:`groebner_involutive` does, without budget.

    TESTS::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialVectorField, lie_closure
        sage: from sage_conslaws.closure.groebner import _decide
        sage: from sage_conslaws.interface.progress import Progress
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: _decide(lie_closure([PolynomialVectorField(R, [x*y, y^2])]), Progress(enabled=False))
        True
    """
    frame = closure.frame()
    m, D = len(frame), closure.dimension()
    if m == D:
        return True  # the frame spans Frac(R)^D: nothing to test
    ring = closure.generators()[0].ring()
    in_frame = {r[1] for r in closure.recipes() if r[0] == "generator"}
    progress.update(f"groebner: brackets of {len(in_frame)} generators with {m} fields")
    tests = [w for i, w in enumerate(closure.generators()) if i not in in_frame]
    tests += [g.bracket(X) for g in closure.generator_frame() for X in frame]
    tests = [T for T in tests if not T.is_zero()]
    if not tests:
        return True
    if not frame:
        return False  # an empty frame spans nothing
    free = ring ** D
    progress.update(f"groebner: standard basis of the module of {m} fields on R^{D}")
    basis = _sequence(list(_singular("std")(_sequence([free(X.components()) for X in frame]))))
    progress.update(f"groebner: {len(tests)} fields reduced modulo {len(basis)} vectors")
    # One call for all the tests: one ``reduce`` per test field took 30 s for the
    # 1836 tests of LinearNetwork([6, 6, 6]), the batch 0.56 s.
    remainders = _singular("reduce")(_sequence([free(T.components()) for T in tests]), basis,
                         attributes={basis: {"isSB": 1}})
    # a zero remainder: in the R-span, hence in the Frac(R)-span
    left = [T for T, r in zip(tests, remainders) if not r.is_zero()]
    if not left:
        return True
    progress.update(f"groebner: syzygies of the {D} columns of the frame ({len(left)} tests)")
    columns = _sequence([(ring ** m)([X[c] for X in frame]) for c in range(D)])
    kernel = [{c: n[c] for c in range(D) if n[c]} for n in _singular("syz")(columns)]
    zero = ring.zero()
    for T in left:
        for n in kernel:
            if sum((n[c] * T[c] for c in T.support() if c in n), zero):
                return False
    return True


def _in_child(compute, seconds):
    r"""
    Return ``compute()``, a boolean, computed in a forked process killed after
    ``seconds``; ``None`` if it was killed or died.

    Interrupting Singular in this process is not safe: after
    ``cysignals.alarm.alarm`` had interrupted the standard bases of
    ``LinearNetwork([6, 6, 6])`` and ``([8, 8, 8])``, the next ``std`` (that of
    ``ReLUNetwork([8, 8, 8])``, 8 s alone) ended in a segmentation fault.
    A child process leaves the state of this one untouched.

    TESTS::

        sage: from sage_conslaws.closure.groebner import _in_child
        sage: _in_child(lambda: True, 10), _in_child(lambda: False, 10)
        (True, False)
        sage: import time
        sage: _in_child(lambda: time.sleep(5), 0.5) is None
        True
        sage: _in_child(lambda: 1/0, 10)
        Traceback (most recent call last):
        ...
        RuntimeError: the exact involutivity test failed: ZeroDivisionError: ...
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer in one line, then leave at once
        os.close(read_end)
        try:
            answer = compute()
            message = "True" if answer is True else "False" if answer is False else "None"
        except BaseException as error:  # reported to the parent, which raises
            message = f"error {type(error).__name__}: {error}".replace("\n", " ")
        os.write(write_end, message.encode())
        os._exit(0)
    os.close(write_end)
    deadline = time.monotonic() + float(seconds)
    chunks = []
    try:
        while True:
            ready, _, _ = select.select([read_end], [], [], max(deadline - time.monotonic(), 0.0))
            if not ready:
                return None
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:  # the child is killed if it runs (harmless if it is over), then reaped
        os.close(read_end)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    message = b"".join(chunks).decode()
    if message.startswith("error "):
        raise RuntimeError(f"the exact involutivity test failed: {message[6:]}")
    return {"True": True, "False": False}.get(message)


def _sequence(vectors):
    r"""
    Return ``vectors`` as an immutable sequence of immutable vectors: a
    Singular module, which can carry Singular attributes (``isSB``).
    """
    for v in vectors:
        v.set_immutable()
    return Sequence(vectors, check=False, immutable=True)
