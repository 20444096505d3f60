"""Models and vector fields are Sage objects: unique, hashable, picklable, cached per object.

Regression tests of issue 8 (foundation). The expected values are derived by hand
in the comments, or from the papers, never from the package.
"""
import pickle

import pytest
from sage.matrix.constructor import matrix
from sage.misc.sage_unittest import TestSuite as SageTestSuite
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws import (ICNN, MLP, NMF, LinearNetwork, Model, MomentumFlow, PolynomialMap,
                           PolynomialVectorField, ReLUNetwork, VectorFieldFamily,
                           linear_symmetries)
from sage_conslaws.training.laws import tracked_laws
from sage_conslaws.fields.module import PolynomialVectorFields


class QuadraticNetwork(Model):
    """The user model of the how-to (doc/howto_architecture.rst): x -> U (V x)^2."""

    def __init__(self, n, r, m):
        self._sizes = (n, r, m)
        names = ([f"v{k}_{j}" for k in range(r) for j in range(n)]
                 + [f"u{i}_{k}" for i in range(m) for k in range(r)])
        Model.__init__(self, PolynomialRing(QQ, names, len(names)))

    def reparametrization(self):
        n, r, m = self._sizes
        theta = self.parameters()
        V = matrix(self.ring(), r, n, theta[:r * n])
        U = matrix(self.ring(), m, r, theta[r * n:])
        return [sum(U[i, k] * V[k, j] * V[k, l] for k in range(r))
                for i in range(m) for j in range(n) for l in range(j, n)]


class TextModel(Model):
    """A user model whose repr does not depend on its map (the defect of the shared cache)."""

    def __init__(self, text, laws=()):
        self._map = PolynomialMap([text])
        self._laws = laws
        Model.__init__(self, PolynomialRing(QQ, "x, y, z"))

    def reparametrization(self):
        return [self.ring()(f) for f in self._map.reparametrization()]

    def known_laws(self):
        return [(text, PolynomialMap([text], ["x", "y", "z"]).reparametrization()[0])
                for text in self._laws]


BUILT_IN = [
    lambda: LinearNetwork([2, 3, 2]),
    lambda: ReLUNetwork([2, 2, 1], bias=True),
    lambda: MLP([1, 2, 1], ["repu2"], bias=True),
    lambda: ICNN(2, 2, 1),
    lambda: NMF(2, 1, 2),
    lambda: PolynomialMap(["x*y*z"]),
    lambda: VectorFieldFamily([PolynomialVectorField(PolynomialRing(QQ, "x, y"), [1, 0])]),
    lambda: MomentumFlow(LinearNetwork([1, 1, 1]), damping=1),
    lambda: QuadraticNetwork(2, 2, 1),
]


@pytest.mark.parametrize("build", BUILT_IN)
def test_every_model_is_unique_picklable_and_passes_its_test_suite(build):
    model = build()
    assert build() is model
    assert hash(build()) == hash(model)
    assert pickle.loads(pickle.dumps(model)) is model
    SageTestSuite(model).run(raise_on_failure=True)


def test_equal_networks_are_one_object_however_spelled():
    assert LinearNetwork([2, 3, 2]) == LinearNetwork((2, 3, 2))
    assert LinearNetwork([2, 3, 2]) is LinearNetwork("2,3,2")
    assert ReLUNetwork([2, 2], bias=1) is ReLUNetwork((2, 2), True)
    assert MLP([1, 2, 1], "relu") is MLP((1, 2, 1), ["relu"])
    assert LinearNetwork([2, 3, 2]) != LinearNetwork([2, 3, 3])


def test_results_are_computed_once_per_model():
    N = ReLUNetwork([2, 3, 1])
    assert N.fields() == N.fields()
    assert N.fields() is not N.fields()       # a fresh list: callers may change it
    assert N.symmetry_algebra() is linear_symmetries(N)


def test_two_user_models_with_the_same_repr_do_not_share_their_laws():
    # phi = xyz: two laws (x^2 - y^2, y^2 - z^2), the balances of a product
    first = TextModel("x*y*z", ("x^2 - y^2", "y^2 - z^2"))
    assert repr(first) == repr(TextModel("x*y*z + x"))
    assert len(tracked_laws(first)) == 2 and tracked_laws(first).is_certified()
    # phi = xyz + x: one field (yz + 1, xz, xy), so D - 1 = 2 laws, and
    # x^2 - y^2 is not one of them: <(yz + 1, xz, xy), (2x, -2y, 0)> = 2x != 0.
    # Without known laws the engine discovers its own (here y^2 - z^2, but not
    # all: the other law is not a polynomial): the run tracks those, never the
    # first model's
    second = TextModel("x*y*z + x")
    laws = tracked_laws(second)
    x, y, z = second.ring().gens()
    field = [y * z + 1, x * z, x * y]
    polynomials = [h for _, h in laws.polynomials()]
    assert polynomials
    for h in polynomials:
        assert sum(c * h.derivative(v) for c, v in zip(field, (x, y, z))) == 0
    assert x**2 - y**2 not in polynomials
    assert not laws.is_certified()
    assert second.conservation_laws().number_of_laws() == 2


def test_a_user_map_named_like_a_network_is_not_read_as_one():
    # phi = a b + c (a = w1_0_0, b = w2_0_0, c = w1_1_1); grad phi = (b, a, 1).
    # <grad phi, A theta> = 0 for every theta: the monomials ab, b^2, bc, a^2, ac,
    # a, b, c give A00 + A11 = 0 and every other entry 0: dimension 1
    g = linear_symmetries(PolynomialMap(["w1_0_0*w2_0_0 + w1_1_1"]))
    assert g.dimension() == 1
    assert not any("neuron" in xi.name() for xi in g.basis())


def test_vector_fields_form_a_module_with_a_lie_bracket():
    R = PolynomialRing(QQ, "x, y")
    x, y = R.gens()
    X = PolynomialVectorField(R, [x, -y])
    assert X * 2 == 2 * X == PolynomialVectorField(R, [2 * x, -2 * y])
    assert X + 0 == X
    assert sum([X, X]) == 2 * X
    assert y * X == PolynomialVectorField(R, [x * y, -y**2])
    # [y d/dx, x d/dy] = y d/dy - x d/dx (commutator of derivations)
    Y, Z = PolynomialVectorField(R, [y, 0]), PolynomialVectorField(R, [0, x])
    assert Y.bracket(Z) == PolynomialVectorField(R, [-x, y])
    assert X.parent() is PolynomialVectorFields(R)
    assert pickle.loads(pickle.dumps(X)) == X
    SageTestSuite(PolynomialVectorFields(R)).run(raise_on_failure=True)


def test_equal_polynomials_of_different_rings_are_different_models():
    # x^2 over QQ[x] equals x^2 over QQ[x, y] in Sage, but the second map has a
    # free parameter y: 0 laws for the first, 1 (y itself) for the second
    x = PolynomialRing(QQ, "x").gen()
    x_of_xy = PolynomialRing(QQ, "x, y").gen(0)
    first, second = PolynomialMap([x**2]), PolynomialMap([x_of_xy**2])
    assert first is not second
    assert (first.dimension(), second.dimension()) == (1, 2)
    assert first.conservation_laws().number_of_laws() == 0
    assert second.conservation_laws().number_of_laws() == 1
