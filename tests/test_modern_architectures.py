r"""
Modern architectures (issue "Modern architectures"): adapters and factorizations.

Oracles, derived by hand:

- a diagonal linear network `\beta_i = \prod_{l=1}^L w_{l,i}` on `\RR^n`: the
  fields `\nabla\beta_i` have disjoint supports (coordinate `i` of each
  layer), so they commute and `\mathrm{Lie}(W)` is their span, of dimension
  `n`; the count is `nL - n = n(L - 1)`, and the balancedness laws
  `w_{l,i}^2 - w_{l+1,i}^2` (from the rescalings of one coordinate between
  two layers) are that many independent laws.
"""
import io
import json

import pytest
import sympy

from sage_conslaws.interface.cli import main
from sage_conslaws.models.diagonal import DiagonalNetwork


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
    ("0,3", "a diagonal network needs a positive dimension n and a depth of at least 2"),
])
def test_count_diagonal_bad_sizes_is_one_line(sizes, message, capsys):
    assert main(["count", "diagonal", sizes]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
