r"""
Reach of the exact involutivity test by standard bases (closure.groebner)

For each case: the Lie closure (seed 0), then
:func:`~sage_conslaws.closure.groebner.groebner_involutive` with a budget of
``BUDGET`` seconds, and :func:`~sage_conslaws.closure.verification.check_involutive`
on the same closure when it is within its limits (frame <= 4, D <= 16).
Columns: D, frame size m, number of test fields (generators outside the
frame, and [g, X] for g in the generator frame and X in the frame), seconds
and answer of each. Random fields come from fixed seeds.

Run: ``PYTHONPATH=. python benchmarks/groebner_reach.py [--quick]``

Measured (2 cores shared with other work, budget 40 s)::

    case                                D    m  tests groebner s answer  minors s answer
    ------------------------------------------------------------------------------------
    one field, D=4, deg 2               4    1      1      0.021   True     0.094   True
    one field, D=8, deg 2               8    1      1      0.023   True     0.009   True
    one field, D=16, deg 2             16    1      1      0.077   True     0.127   True
    two fields, D=6, deg 2              6    6     12      0.025   True         -      -
    d_x, d_y + x d_z, depth 0           3    2      4      0.029  False     0.003  False
    PolynomialMap x*y*z                 3    1      1      0.015   True     0.003   True
    cubic neurons, k=2                  5    1      1      0.015   True     0.006   True
    cubic neurons, k=4                  9    1      1      0.021   True     0.004   True
    LinearNetwork [1,2,1]               4    1      1      0.017   True     0.004   True
    LinearNetwork [2,2,2]               8    5     20      0.030   True         -      -
    LinearNetwork [2,2,2], depth 0      8    4     16      0.022  False     0.011  False
    LinearNetwork [2,3,2]              12    6     24      0.025   True         -      -
    LinearNetwork [3,3,3]              18   12    108      0.036   True         -      -
    LinearNetwork [4,4,4]              32   22    352      0.102   True         -      -
    LinearNetwork [6,6,6]              72   51   1836     40.089   None         -      -
    LinearNetwork [8,8,8]             128   92   5888     40.204   None         -      -
    LinearNetwork [2,2,2,2]            12    6     24      0.102   True         -      -
    LinearNetwork [2,3,3,2]            21    9     36     40.142   None         -      -
    ReLUNetwork [2,2,1]                 6    4     16      0.054   True     0.009   True
    ReLUNetwork [2,3,2]                12    9     84      0.081   True         -      -
    ReLUNetwork [4,4,4]                32   28    820      0.162   True         -      -
    ReLUNetwork [3,3,3,3]              27   21    501      0.082   True         -      -
    ReLUNetwork [6,6,6]                72   66   4506      0.455   True         -      -
    ReLUNetwork [8,8,8]               128  120  14792      2.411   True         -      -
    ReLUNetwork [10,10,10]            200  190  36910     14.495   True         -      -
    ReLUNetwork [12,12,12]            288  276  77628     40.110   None         -      -

Reach: decided up to ``ReLUNetwork([10, 10, 10])`` (D = 200, frame 190, 36910
tests, 14.5 s); ``([12, 12, 12])`` (D = 288, frame 276) exceeds 40 s, mostly in
forming and reducing its 77628 brackets. Linear networks: ``[4, 4, 4]`` (D = 32,
frame 22) in 0.1 s, ``[6, 6, 6]`` (D = 72, frame 51) beyond 40 s: 180 of its
brackets are left outside the module by the reduction (2.4 s), and the
syzygies of its 72 columns do not finish (one syzygy test per field instead
takes about 1 s each). Deep networks with brackets of degree >= 4:
``LinearNetwork([2, 2, 2, 2])`` (degrees 2, 3) 0.1 s, ``[2, 3, 3, 2]`` (D = 21,
frame 9) and ``[2, 2, 2, 2, 2]`` (D = 16, frame 7, degrees 3, 5) beyond.
The fork of the budget costs about 15 ms a call.
"""
import sys
import time
import random
from itertools import combinations_with_replacement

import sage.all__sagemath_singular  # noqa: F401
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws import (LinearNetwork, PolynomialMap, PolynomialVectorField, ReLUNetwork,
                           lie_closure)
from sage_conslaws.closure.groebner import groebner_involutive
from sage_conslaws.closure.verification import check_involutive

BUDGET = 40


def random_field(D, degree, seed):
    r"""A dense random field on `\RR^D` of the given degree (coefficients in -9..9)."""
    rng = random.Random(seed)
    R = PolynomialRing(QQ, 'x', D)
    monomials = [R.prod(c) for d in range(degree + 1)
                 for c in combinations_with_replacement(R.gens(), d)]
    return PolynomialVectorField(R, [sum(rng.randint(-9, 9) * m for m in monomials)
                                     for _ in range(D)])


def heisenberg():
    r"""`\partial_x` and `\partial_y + x \partial_z`, whose bracket is `\partial_z`."""
    R = PolynomialRing(QQ, 'x, y, z'); x, y, z = R.gens()
    return [PolynomialVectorField(R, [1, 0, 0]), PolynomialVectorField(R, [0, 1, x])]


def cubic_neurons(k):
    r"""`\sum_i u_i (v_i x)^3`: a two-layer network with cubic activation, `k` neurons."""
    return PolynomialMap([" + ".join(f"u{i}*(v{i}*x)^3" for i in range(1, k + 1))])


#: (name, fields, max_depth)
CASES = [
    ("one field, D=4, deg 2", lambda: [random_field(4, 2, 1)], None),
    ("one field, D=8, deg 2", lambda: [random_field(8, 2, 1)], None),
    ("one field, D=16, deg 2", lambda: [random_field(16, 2, 1)], None),
    ("two fields, D=6, deg 2", lambda: [random_field(6, 2, 1), random_field(6, 2, 2)], None),
    ("d_x, d_y + x d_z, depth 0", heisenberg, 0),
    ("PolynomialMap x*y*z", lambda: PolynomialMap(["x*y*z"]).fields(), None),
    ("cubic neurons, k=2", lambda: cubic_neurons(2).fields(), None),
    ("cubic neurons, k=4", lambda: cubic_neurons(4).fields(), None),
    ("LinearNetwork [1,2,1]", lambda: LinearNetwork([1, 2, 1]).fields(), None),
    ("LinearNetwork [2,2,2]", lambda: LinearNetwork([2, 2, 2]).fields(), None),
    ("LinearNetwork [2,2,2], depth 0", lambda: LinearNetwork([2, 2, 2]).fields(), 0),
    ("LinearNetwork [2,3,2]", lambda: LinearNetwork([2, 3, 2]).fields(), None),
    ("LinearNetwork [3,3,3]", lambda: LinearNetwork([3, 3, 3]).fields(), None),
    ("LinearNetwork [4,4,4]", lambda: LinearNetwork([4, 4, 4]).fields(), None),
    ("LinearNetwork [6,6,6]", lambda: LinearNetwork([6, 6, 6]).fields(), None),
    ("LinearNetwork [8,8,8]", lambda: LinearNetwork([8, 8, 8]).fields(), None),
    ("LinearNetwork [2,2,2,2]", lambda: LinearNetwork([2, 2, 2, 2]).fields(), None),
    ("LinearNetwork [2,3,3,2]", lambda: LinearNetwork([2, 3, 3, 2]).fields(), None),
    ("ReLUNetwork [2,2,1]", lambda: ReLUNetwork([2, 2, 1]).fields(), None),
    ("ReLUNetwork [2,3,2]", lambda: ReLUNetwork([2, 3, 2]).fields(), None),
    ("ReLUNetwork [4,4,4]", lambda: ReLUNetwork([4, 4, 4]).fields(), None),
    ("ReLUNetwork [3,3,3,3]", lambda: ReLUNetwork([3, 3, 3, 3]).fields(), None),
    ("ReLUNetwork [6,6,6]", lambda: ReLUNetwork([6, 6, 6]).fields(), None),
    ("ReLUNetwork [8,8,8]", lambda: ReLUNetwork([8, 8, 8]).fields(), None),
    ("ReLUNetwork [10,10,10]", lambda: ReLUNetwork([10, 10, 10]).fields(), None),
    ("ReLUNetwork [12,12,12]", lambda: ReLUNetwork([12, 12, 12]).fields(), None),
]

QUICK = {"one field, D=4, deg 2", "d_x, d_y + x d_z, depth 0", "LinearNetwork [2,2,2]",
         "ReLUNetwork [2,2,1]", "LinearNetwork [3,3,3]"}


def number_of_tests(closure):
    r"""Generators outside the frame, and one bracket per generator frame field and frame field."""
    return (len(closure.generators()) - len(closure.generator_frame())
            + len(closure.generator_frame()) * closure.rank())


def timed(function):
    start = time.time()
    answer = function()
    return answer, time.time() - start


def main(quick=False):
    header = (f"{'case':32} {'D':>4} {'m':>4} {'tests':>6} {'groebner s':>10} {'answer':>6} "
              f"{'minors s':>9} {'answer':>6}")
    print(header)
    print("-" * len(header))
    for name, fields, depth in CASES:
        if quick and name not in QUICK:
            continue
        closure = lie_closure(fields(), max_depth=depth)
        answer, seconds = timed(lambda: groebner_involutive(closure, seconds=BUDGET))
        minors, minor_answer = "-", "-"
        if closure.rank() <= 4 and closure.dimension() <= 16:
            minor_answer, minor_seconds = timed(lambda: check_involutive(closure))
            minors = f"{minor_seconds:.3f}"
        print(f"{name:32} {closure.dimension():>4} {closure.rank():>4} "
              f"{number_of_tests(closure):>6} {seconds:>10.3f} {str(answer):>6} "
              f"{minors:>9} {str(minor_answer):>6}", flush=True)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
