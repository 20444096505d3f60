r"""
The exact involutivity test by standard bases (closure.groebner).

Oracles, independent of the package:

- the determinants of :func:`check_involutive` on small closures (they
  answer the same question by another method);
- the counts of the papers (``/work/shared/notes/abide-by-the-law.md``): the
  two-layer linear network `U V^T x` with `r` hidden units has `r(r+1)/2`
  laws (`r \le n + m`), a two-layer ReLU network one law per hidden neuron.
  When the closure's frame has size `D -` (that count), its span is
  `\mathrm{Lie}(W)`, which is involutive and contains `W`: the answer must be
  ``True``. A frame smaller than `\dim \mathrm{Lie}(W)` spans no involutive
  distribution containing `W` (it would contain `\mathrm{Lie}(W)`): ``False``.
- by hand: `\partial_x, \partial_y + x \partial_z` have the bracket
  `\partial_z`, outside their span; `X = x (x, y)` and `Y = y (x, y)` are
  proportional over `\mathrm{Frac}(R)` though `Y \notin R X`.
"""
import time
import random

import pytest

from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from conftest import random_dense_field, two_layer_linear_laws, relu_network_laws
from sage_conslaws import LinearNetwork, PolynomialVectorField, ReLUNetwork, lie_closure
from sage_conslaws.closure.groebner import MAX_DIMENSION, groebner_involutive
from sage_conslaws.closure.verification import check_involutive


def xyz_ring():
    R = PolynomialRing(QQ, 'x, y, z')
    return R, R.gens()


def heisenberg():
    R, (x, y, z) = xyz_ring()
    return [PolynomialVectorField(R, [1, 0, 0]), PolynomialVectorField(R, [0, 1, x])]


def rotations():
    R, (x, y, z) = xyz_ring()
    return [PolynomialVectorField(R, [0, z, -y]), PolynomialVectorField(R, [z, 0, -x])]


def proportional():
    R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
    return [PolynomialVectorField(R, [x**2, x*y]), PolynomialVectorField(R, [x*y, y**2])]


SMALL = [
    ("heisenberg", heisenberg, None),
    ("heisenberg, depth 0", heisenberg, 0),
    ("rotations", rotations, None),
    ("rotations, depth 0", lambda: rotations()[:1] + [rotations()[0] * 2], 0),
    ("proportional", proportional, None),
    ("one random field", lambda: [random_dense_field(PolynomialRing(QQ, 'x', 4), 2,
                                                     random.Random(3))], None),
    ("two random fields", lambda: [random_dense_field(PolynomialRing(QQ, 'x', 3), 2,
                                                      random.Random(s)) for s in (4, 5)], 0),
    ("LinearNetwork([1, 2, 1])", lambda: LinearNetwork([1, 2, 1]).fields(), None),
    ("LinearNetwork([2, 2, 2]), depth 0", lambda: LinearNetwork([2, 2, 2]).fields(), 0),
    ("ReLUNetwork([2, 2, 1])", lambda: ReLUNetwork([2, 2, 1]).fields(), None),
]


@pytest.mark.parametrize("name, fields, depth", SMALL, ids=[c[0] for c in SMALL])
def test_agrees_with_the_determinants(name, fields, depth):
    closure = lie_closure(fields(), max_depth=depth)
    expected = check_involutive(closure)
    assert expected is not None
    assert groebner_involutive(closure) is expected
    assert groebner_involutive(closure, seconds=60) is expected


def test_the_answers_by_hand():
    assert groebner_involutive(lie_closure(heisenberg(), max_depth=0)) is False
    assert groebner_involutive(lie_closure(heisenberg())) is True
    # Y = (y/x) X is outside the module R X: the exact (syzygy) step decides
    closure = lie_closure(proportional())
    assert closure.rank() == 1
    assert groebner_involutive(closure) is True


@pytest.mark.parametrize("n, r, m", [(2, 2, 2), (2, 3, 2), (3, 3, 3)])
def test_two_layer_linear_networks_beyond_the_determinants(n, r, m):
    closure = lie_closure(LinearNetwork([m, r, n]).fields())
    D = closure.dimension()
    assert D == r * (n + m)
    assert closure.rank() == D - two_layer_linear_laws(n, r, m)
    assert check_involutive(closure) is None  # frame > 4 or D > 16
    assert groebner_involutive(closure) is True


def test_relu_network_beyond_the_determinants():
    widths = [2, 3, 2]
    closure = lie_closure(ReLUNetwork(widths).fields())
    assert closure.rank() == closure.dimension() - relu_network_laws(widths)
    assert check_involutive(closure) is None
    assert groebner_involutive(closure) is True


def test_a_frame_stopped_early_is_proven_incomplete():
    # 9 generators of rank 9 at the point; dim Lie(W) = 18 - 6 = 12
    closure = lie_closure(LinearNetwork([3, 3, 3]).fields(), max_depth=0)
    assert closure.rank() == 9 and check_involutive(closure) is None
    assert groebner_involutive(closure) is False


def test_a_budget_exceeded_leaves_the_question_open_and_this_process_sound():
    hard = lie_closure(LinearNetwork([2, 2, 2, 2, 2]).fields())
    start = time.monotonic()
    assert groebner_involutive(hard, seconds=1) is None
    assert time.monotonic() - start < 10
    assert groebner_involutive(hard, seconds=0) is None
    # the computation ran in a child: this process computes on
    closure = lie_closure(ReLUNetwork([4, 4, 4]).fields())
    assert groebner_involutive(closure) is True


def test_sizes_beyond_the_limit_are_refused_before_the_frame_is_formed():
    S = PolynomialRing(QQ, 'x', MAX_DIMENSION + 1); x = S.gens()
    closure = lie_closure([PolynomialVectorField(S, {0: x[1]})])
    assert groebner_involutive(closure) is None
    assert closure._frame is None
