r"""
Modern architectures (issue "Modern architectures"): adapters and factorizations.

Oracles, derived by hand:

- a diagonal linear network `\beta_i = \prod_{l=1}^L w_{l,i}` on `\RR^n`: the
  fields `\nabla\beta_i` have disjoint supports (coordinate `i` of each
  layer), so they commute and `\mathrm{Lie}(W)` is their span, of dimension
  `n`; the count is `nL - n = n(L - 1)`, and the balancedness laws
  `w_{l,i}^2 - w_{l+1,i}^2` (from the rescalings of one coordinate between
  two layers) are that many independent laws;
- a low-rank adapter `W_0 + BA`, `B` of size `m \times r`, `A` of size
  `r \times n`: the loss depends on `A, B` through `BA` only (`W_0` is
  frozen), a two-layer linear network, whose count is `r(r+1)/2` when
  `r \le k = m + n` (the entries of `B^T B - A A^T`), else `kr - k(k-1)/2`
  ([MGP2023], as in the doctests of ``count_conservation_laws``);
- an order-3 CP factorization `\sum_{r<R} a_r \otimes b_r \otimes c_r` with
  `R \le \min(n_1, n_2, n_3)`: generically identifiable up to the rescalings
  of each term (Kruskal), so the Jacobian of `\phi` has rank `D - 2R`, hence
  `\dim \mathrm{Lie}(W) \ge D - 2R` and at most `2R` laws; the `2R` norm
  differences of the terms are laws, so the count is `2R`;
- a bilinear gated unit `A((Bx) \odot (Cx))` with `h` hidden units: the `2h`
  rescalings of the units give `2h` laws, and where the Jacobian of `\phi`
  has rank `D - 2h` at a point (computed here by sympy, exactly) there are
  no others.
"""
import io
import json

import pytest
import sympy
from sympy.polys.matrices import DomainMatrix

from sage_conslaws.interface.cli import main
from sage_conslaws.models.cp import CPDecomposition
from sage_conslaws.models.diagonal import DiagonalNetwork
from sage_conslaws.models.glu import BilinearGLU
from sage_conslaws.models.lora import LoRA
from sage_conslaws.symmetries.cross_check import noether_cross_check
from sage_conslaws.symmetries.solve import linear_symmetries


@pytest.mark.parametrize("n, depth", [(1, 2), (3, 2), (2, 5), (6, 3), (4, 4)])
def test_diagonal_network_has_n_times_depth_minus_one_laws(n, depth):
    result = DiagonalNetwork(n, depth).conservation_laws()
    assert result.number_of_laws() == n * (depth - 1)
    assert result.is_certified()
    assert result.closure().rank() == n


@pytest.mark.parametrize("n, depth", [(3, 2), (2, 4)])
def test_diagonal_network_count_is_discovered_without_its_laws(n, depth):
    result = DiagonalNetwork(n, depth).conservation_laws(discover=True)
    assert result.number_of_laws() == n * (depth - 1) and result.is_certified()
    assert result.certificate().proof() != "known laws"


def test_diagonal_network_laws_are_conserved_by_hand():
    # the oracle's laws, written in sympy from the formula: <grad h, grad beta_i> = 0 for
    # every coordinate, and the model knows exactly these laws
    n, depth = 3, 3
    w = [[sympy.Symbol(f"w{l}_{i}") for i in range(n)] for l in range(1, depth + 1)]
    theta = [x for layer in w for x in layer]
    betas = [sympy.prod(layer[i] for layer in w) for i in range(n)]
    laws = [w[l][i] ** 2 - w[l + 1][i] ** 2 for i in range(n) for l in range(depth - 1)]
    for h in laws:
        for beta in betas:
            assert sympy.expand(sum(sympy.diff(h, x) * sympy.diff(beta, x) for x in theta)) == 0
    model = DiagonalNetwork(n, depth)
    assert [str(b) for b in model.reparametrization()] == [str(b) for b in betas]
    assert [str(h) for _, h in model.known_laws()] == [str(h).replace("**", "^") for h in laws]


def test_count_diagonal_on_the_command_line():
    out = io.StringIO()
    assert main(["count", "diagonal", "5,3", "--json", "--quiet"], out) == 0
    answer = json.loads(out.getvalue())
    assert answer["laws"] == 10 and answer["certified"] and answer["parameters"] == 15


@pytest.mark.parametrize("sizes, message", [
    ("5", "model 'diagonal' takes two sizes n,depth, got '5'"),
    ("5,1", "a diagonal network needs a positive dimension n and a depth of at least 2"),
    ("0,3", "the sizes of a diagonal network must be positive integers, got 0, 3"),
])
def test_count_diagonal_bad_sizes_is_one_line(sizes, message, capsys):
    assert main(["count", "diagonal", sizes]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


@pytest.mark.parametrize("n, r, m", [(1, 1, 1), (4, 2, 3), (8, 3, 8), (16, 4, 16), (3, 5, 2), (1, 3, 1),
                                     (2, 6, 1)])
def test_lora_has_the_laws_of_b_transpose_b_minus_a_a_transpose(n, r, m):
    result = LoRA(n, r, m).conservation_laws()
    k = n + m
    expected = r * (r + 1) // 2 if r <= k else k * r - k * (k - 1) // 2
    assert result.number_of_laws() == expected and result.is_certified()


def test_lora_count_is_discovered_without_its_laws():
    result = LoRA(4, 2, 3).conservation_laws(discover=True)
    assert result.number_of_laws() == 3 and result.is_certified()
    assert result.certificate().proof() != "known laws"


def test_lora_laws_are_conserved_by_hand():
    # the r(r+1)/2 entries of B^T B - A A^T, written in sympy, are orthogonal to the gradient
    # of every entry of BA
    n, r, m = 3, 2, 2
    A = sympy.Matrix(r, n, lambda k, j: sympy.Symbol(f"A_{k}_{j}"))
    B = sympy.Matrix(m, r, lambda i, k: sympy.Symbol(f"B_{i}_{k}"))
    theta = list(A) + list(B)
    S = B.T * B - A * A.T
    laws = [S[k, l] for k in range(r) for l in range(k, r)]
    for h in laws:
        for phi in B * A:
            assert sympy.expand(sum(sympy.diff(h, x) * sympy.diff(phi, x) for x in theta)) == 0
    model = LoRA(n, r, m)
    assert [str(p) for p in model.reparametrization()] == [str(sympy.expand(p)) for p in B * A]
    assert len(model.known_laws()) == len(laws) == 3


def test_count_lora_on_the_command_line():
    out = io.StringIO()
    assert main(["count", "lora", "16,2,8", "--json", "--quiet"], out) == 0
    answer = json.loads(out.getvalue())
    assert answer["laws"] == 3 and answer["certified"] and answer["parameters"] == 48


def test_count_lora_bad_sizes_is_one_line(capsys):
    assert main(["count", "lora", "16,0,8"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "must be positive integers, got 16, 0, 8" in err[0]


@pytest.mark.parametrize("sizes", [(2, 2, 2, 1), (3, 3, 3, 2), (4, 4, 4, 3), (3, 4, 5, 3),
                                   (5, 5, 5, 4)])
def test_cp_decomposition_has_two_laws_per_term(sizes):
    result = CPDecomposition(*sizes).conservation_laws()
    assert result.number_of_laws() == 2 * sizes[3] and result.is_certified()


def test_cp_decomposition_count_is_discovered_without_its_laws():
    result = CPDecomposition(3, 3, 2, 2).conservation_laws(discover=True)
    assert result.number_of_laws() == 4 and result.is_certified()
    assert result.certificate().proof() != "known laws"


def test_cp_decomposition_laws_are_conserved_by_hand():
    n, R = (2, 3, 2), 2
    f = [[[sympy.Symbol(f"{name}_{i}_{r}") for r in range(R)] for i in range(size)]
         for name, size in zip("abc", n)]
    theta = [x for factor in f for row in factor for x in row]
    a, b, c = f
    phis = [sum(a[i][r] * b[j][r] * c[k][r] for r in range(R))
            for i in range(n[0]) for j in range(n[1]) for k in range(n[2])]
    norm = [[sum(row[r] ** 2 for row in factor) for r in range(R)] for factor in f]
    laws = [norm[0][r] - norm[1][r] for r in range(R)] + [norm[1][r] - norm[2][r]
                                                         for r in range(R)]
    for h in laws:
        for phi in phis:
            assert sympy.expand(sum(sympy.diff(h, x) * sympy.diff(phi, x) for x in theta)) == 0
    model = CPDecomposition(*n, R)
    assert [str(p) for p in model.reparametrization()] == [str(sympy.expand(p)) for p in phis]
    assert len(model.known_laws()) == len(laws)


def test_count_cp_on_the_command_line():
    out = io.StringIO()
    assert main(["count", "cp", "3,3,3", "--rank", "2", "--json", "--quiet"], out) == 0
    answer = json.loads(out.getvalue())
    assert answer["laws"] == 4 and answer["certified"] and answer["parameters"] == 18


@pytest.mark.parametrize("argv, message", [
    (["count", "cp", "3,3,3"], "model 'cp' needs the number of rank-one terms (--rank R)"),
    (["count", "relu", "3,3", "--rank", "2"], "model 'relu' has no option --rank (it is for cp)"),
    (["count", "cp", "3,3", "--rank", "2"], "model 'cp' takes three sizes n1,n2,n3, got '3,3'"),
])
def test_count_cp_bad_input_is_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


# ----------------------------------------------------------------------------
# Symmetries and Noether, cross-checked with the counts
# ----------------------------------------------------------------------------
# By hand: a diagonal network has the rescalings of each coordinate between consecutive
# layers, n(L - 1) of them, commuting (diagonal matrices); LoRA has the mixings
# (B, A) -> (B G^{-1}, G A), gl(r), whose symmetric part (dimension r(r+1)/2) gives the laws
# and whose derived algebra is sl(r); a CP factorization has 2 rescalings per term, 2R,
# commuting. In each case the Noether laws of the symmetric part are all the laws.

@pytest.mark.parametrize("model, dimension, symmetric, derived", [
    (DiagonalNetwork(3, 3), 6, 6, 0),
    (DiagonalNetwork(2, 4), 6, 6, 0),
    (LoRA(4, 2, 3), 4, 3, 3),
    (LoRA(5, 3, 4), 9, 6, 8),
    (CPDecomposition(2, 2, 2, 2), 4, 4, 0),
    (CPDecomposition(3, 3, 2, 2), 4, 4, 0),
], ids=str)
def test_symmetries_of_the_adapters_and_factorizations(model, dimension, symmetric, derived):
    g = linear_symmetries(model)
    assert (g.dimension(), len(g.symmetric_subalgebra())) == (dimension, symmetric)
    assert g.derived_dimension() == derived
    check = noether_cross_check(model)
    assert check.all_verified() and check.rank() == symmetric
    assert check.number_not_from_symmetries() == 0


# ----------------------------------------------------------------------------
# Bilinear gated units
# ----------------------------------------------------------------------------

def _glu_by_hand(n, h, m):
    # the quadratic form of the output in the input, from the formula, in sympy
    A = sympy.Matrix(m, h, lambda o, k: sympy.Symbol(f"A_{o}_{k}"))
    B = sympy.Matrix(h, n, lambda k, i: sympy.Symbol(f"B_{k}_{i}"))
    C = sympy.Matrix(h, n, lambda k, i: sympy.Symbol(f"C_{k}_{i}"))
    x = sympy.symbols(f"x0:{n}")
    y = A * sympy.Matrix([(B.row(k) * sympy.Matrix(x))[0] * (C.row(k) * sympy.Matrix(x))[0]
                          for k in range(h)])
    phis = [sympy.Poly(sympy.expand(y[o]), *x).coeff_monomial(x[i] * x[j])
            for o in range(m) for i in range(n) for j in range(i, n)]
    return list(B) + list(C) + list(A), phis, (A, B, C)


@pytest.mark.parametrize("n, h, m", [(3, 2, 2), (4, 2, 3)])
def test_bilinear_glu_has_two_laws_per_unit(n, h, m):
    theta, phis, _ = _glu_by_hand(n, h, m)
    # the Jacobian at an integer point has rank D - 2h over QQ (sympy's DomainMatrix; its
    # Matrix.rank took minutes): at most 2h laws
    point = {t: sympy.Integer((7 * s + 3) % 13 + 1) for s, t in enumerate(theta)}
    J = sympy.Matrix([[sympy.diff(p, t).xreplace(point) for t in theta] for p in phis])
    assert DomainMatrix.from_Matrix(J).convert_to(sympy.QQ).rank() == len(theta) - 2 * h
    result = BilinearGLU(n, h, m).conservation_laws()
    assert result.number_of_laws() == 2 * h and result.is_certified()


def test_bilinear_glu_laws_are_conserved_by_hand():
    n, h, m = 3, 2, 2
    theta, phis, (A, B, C) = _glu_by_hand(n, h, m)
    laws = []
    for k in range(h):
        a = sum(A[o, k] ** 2 for o in range(m))
        laws += [a - sum(B[k, i] ** 2 for i in range(n)), a - sum(C[k, i] ** 2 for i in range(n))]
    for law in laws:
        for phi in phis:
            assert sympy.expand(sum(sympy.diff(law, t) * sympy.diff(phi, t) for t in theta)) == 0
    model = BilinearGLU(n, h, m)
    assert [str(t) for t in model.parameters()] == [str(t) for t in theta]
    # the engine's phi, term by term (integer coefficients and exponents, no Sage object
    # handed to sympy), equals the formula's
    symbols = [sympy.Symbol(str(v)) for v in model.parameters()]
    engine = [sum(sympy.Integer(int(c)) * sympy.prod(s ** int(e) for s, e in zip(symbols, exponent))
                  for exponent, c in f.dict().items())
              for f in model.reparametrization()]
    assert [sympy.expand(p - q) for p, q in zip(phis, engine)] == [0] * len(phis)


def test_bilinear_glu_count_is_discovered_without_its_laws():
    result = BilinearGLU(3, 2, 2).conservation_laws(discover=True)
    assert result.number_of_laws() == 4 and result.is_certified()


def test_count_glu_on_the_command_line():
    out = io.StringIO()
    assert main(["count", "glu", "4,2,3", "--json", "--quiet"], out) == 0
    answer = json.loads(out.getvalue())
    assert answer["laws"] == 4 and answer["certified"] and answer["parameters"] == 22
