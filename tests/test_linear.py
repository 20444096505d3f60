r"""
Linear networks: counts of conservation laws against the papers.

Two-layer network `x \mapsto U V^T x`, `U \in \RR^{n \times r}` (output side),
`V \in \RR^{m \times r}` (input side), `k = n + m`: the laws are the entries of
`U^T U - V^T V`, and there are `r(r+1)/2` independent ones if `r \le k`,
`kr - k(k-1)/2` if `r \ge k` ([MGP2023]). In the widths convention of the
package (input first), this is ``LinearNetwork([m, r, n])``.

Deep linear networks: the laws are the entries of `W_l W_l^T - W_{l+1}^T
W_{l+1}`, one symmetric matrix per hidden layer, and the paper finds no other
law when all widths are at least 2.
"""
import pytest

from sage.matrix.constructor import matrix

from sage_conslaws import (LinearNetwork, count_conservation_laws, independent_laws,
                           is_conservation_law, lie_closure)

from conftest import (deep_linear_laws_per_layer, gens_by_name, gradient_rank,
                      two_layer_linear_laws)


TWO_LAYER = [(n, r, m) for n in range(1, 4) for r in range(1, 7) for m in range(1, 4)]


def expected_weight_matrices(widths, ring):
    """`W_l` of size `n_l x n_{l-1}` with entry `[i, j]` the variable ``w{l}_{i}_{j}``."""
    g = gens_by_name(ring)
    return [matrix(ring, widths[l], widths[l - 1],
                   [g[f"w{l}_{i}_{j}"] for i in range(widths[l]) for j in range(widths[l - 1])])
            for l in range(1, len(widths))]


def expected_known_laws(widths, ring):
    """The entries `i <= j` of `W_l W_l^T - W_{l+1}^T W_{l+1}`, built by hand."""
    Ws = expected_weight_matrices(widths, ring)
    laws = []
    for l in range(len(Ws) - 1):
        M = Ws[l] * Ws[l].transpose() - Ws[l + 1].transpose() * Ws[l + 1]
        laws += [M[i, j] for i in range(M.nrows()) for j in range(i, M.ncols())]
    return laws


# ----------------------------------------------------------------------------
# Two-layer networks: the closed-form count
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("n, r, m", TWO_LAYER, ids=[f"n{n}-r{r}-m{m}" for n, r, m in TWO_LAYER])
def test_two_layer_count_matches_closed_form(n, r, m):
    N = LinearNetwork([m, r, n])
    result = N.conservation_laws()
    expected = two_layer_linear_laws(n, r, m)
    D = r * (n + m)
    assert N.dimension() == D
    assert result.parameters() == D
    assert result.number_of_laws() == expected
    assert result.lie_dimension() == D - expected
    assert result.is_certified()
    certificate = result.certificate()
    assert certificate.is_certified()
    assert certificate.lower_bound() == certificate.upper_bound() == D - expected
    assert certificate.error_bound() == 0


@pytest.mark.parametrize("n, m", [(n, m) for n in range(1, 4) for m in range(1, 4)])
def test_two_layer_wide_hidden_layer_is_so_nm(n, m):
    r"""For `r \ge k` the trace of `\mathrm{Lie}(W_\phi)` is `so(n, m)`, of dimension `k(k-1)/2`."""
    k = n + m
    for r in (k, k + 1):
        if r > 6:
            continue
        assert LinearNetwork([m, r, n]).conservation_laws().lie_dimension() == k * (k - 1) // 2


@pytest.mark.parametrize("n, r, m", [(1, 1, 1), (1, 2, 1), (2, 4, 1), (2, 3, 2), (3, 5, 1),
                                     (1, 6, 3), (3, 2, 3), (2, 6, 2)])
def test_two_layer_independent_known_laws_match_closed_form(n, r, m):
    """The entries of U^T U - V^T V have exactly the closed-form number of independent ones."""
    N = LinearNetwork([m, r, n])
    mine = expected_known_laws([m, r, n], N.ring())
    assert len(mine) == r * (r + 1) // 2
    assert gradient_rank(mine, N.ring()) == two_layer_linear_laws(n, r, m)
    known = [h for _, h in N.known_laws()]
    assert len(independent_laws(known)) == two_layer_linear_laws(n, r, m)


@pytest.mark.parametrize("n, r, m", [(2, 4, 1), (1, 5, 1), (3, 2, 2), (2, 6, 3)])
def test_two_layer_lie_closure_without_known_laws(n, r, m):
    """The Lie closure alone (no law passed as a bound) finds D minus the closed form."""
    N = LinearNetwork([m, r, n])
    closure = lie_closure(N.fields(), seed=3)
    assert closure.is_complete()
    assert closure.rank() == N.dimension() - two_layer_linear_laws(n, r, m)


def test_one_layer_has_no_law():
    """A single linear layer: phi is the identity on the weights, every direction is reached."""
    for widths in ([2, 1], [1, 3], [2, 3]):
        result = LinearNetwork(widths).conservation_laws()
        assert result.number_of_laws() == 0
        assert result.lie_dimension() == widths[0] * widths[1]
        assert result.is_certified()


def test_single_weight_network():
    """LinearNetwork([1, 1]): phi(w) = w, one parameter, no law."""
    result = LinearNetwork([1, 1]).conservation_laws()
    assert result.parameters() == 1
    assert result.number_of_laws() == 0
    assert result.is_certified()


# ----------------------------------------------------------------------------
# Structure of the model
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("widths", [[3, 4, 2], [2, 3, 2, 2], [1, 2, 3, 1]])
def test_weights_reparametrization_and_known_laws_by_hand(widths):
    N = LinearNetwork(widths)
    R = N.ring()
    Ws = expected_weight_matrices(widths, R)
    assert N.dimension() == sum(a * b for a, b in zip(widths, widths[1:]))
    assert N.weight_matrices() == Ws
    product = Ws[0]
    for W in Ws[1:]:
        product = W * product
    assert product.dimensions() == (widths[-1], widths[0])
    assert sorted(N.reparametrization(), key=str) == sorted(product.list(), key=str)
    assert [h for _, h in N.known_laws()] == expected_known_laws(widths, R)
    matrices = N.law_matrices()
    assert len(matrices) == len(widths) - 2
    for l, (_, M) in enumerate(matrices):
        assert M == Ws[l] * Ws[l].transpose() - Ws[l + 1].transpose() * Ws[l + 1]
        assert M.is_symmetric()


# ----------------------------------------------------------------------------
# Deep linear networks
# ----------------------------------------------------------------------------

DEEP = [[2, 2, 2, 2], [2, 3, 2, 2], [3, 2, 2, 3], [2, 3, 3, 2], [2, 4, 2, 2],
        [2, 2, 2, 2, 2], [3, 2, 3, 2], [2, 5, 2, 3]]


@pytest.mark.parametrize("widths", DEEP, ids=[str(w) for w in DEEP])
def test_deep_known_laws_are_conserved(widths):
    N = LinearNetwork(widths)
    fields = N.fields()
    for _, h in N.known_laws():
        assert is_conservation_law(h, fields)
    # and something that is not a law is rejected
    g = gens_by_name(N.ring())
    assert not is_conservation_law(g["w1_0_0"] ** 2, fields)


@pytest.mark.parametrize("widths", DEEP, ids=[str(w) for w in DEEP])
def test_deep_count_equals_independent_known_laws(widths):
    N = LinearNetwork(widths)
    D = N.dimension()
    known = expected_known_laws(widths, N.ring())
    independent = gradient_rank(known, N.ring())
    # The sum of the two-layer bounds over hidden layers, computed independently.
    assert independent == deep_linear_laws_per_layer(widths)
    result = count_conservation_laws(N)
    assert result.number_of_laws() == independent
    assert result.is_certified()
    assert len(result.laws()) == independent
    # Second route: the Lie closure with no upper bound given.
    closure = lie_closure(N.fields(), seed=1)
    assert closure.is_complete()
    assert closure.rank() == D - independent


@pytest.mark.parametrize("widths", [[1, 2, 1], [1, 2, 2, 1], [1, 3, 2, 1], [1, 2, 2, 2, 1]])
def test_deep_scalar_network_has_d_minus_one_laws(widths):
    r"""One input and one output: `\phi` is a scalar, `W` is one field, so `D - 1` laws."""
    N = LinearNetwork(widths)
    assert len(N.reparametrization()) == 1
    result = N.conservation_laws()
    assert result.number_of_laws() == N.dimension() - 1
    assert result.lie_dimension() == 1
    assert result.is_certified()
