"""Shared helpers of the test suite.

Everything here is computed independently of ``sage_conslaws``: the expected
values of the tests come from the papers (see
``/work/shared/notes/abide-by-the-law.md``) or from the small, direct
computations below (ranks of explicit Jacobians over QQ, kernels of explicit
linear systems), never from the package itself.
"""
# A modular passagemath install must initialise its rings before the first
# ``from sage.rings... import``; this is what ``sage -t`` does too.
import sage.all__sagemath_singular  # noqa: F401

import contextlib
import io
import random
import subprocess
from itertools import combinations_with_replacement, product

from sage.matrix.constructor import matrix
from sage.rings.rational_field import QQ


# ----------------------------------------------------------------------------
# Oracles from the papers
# ----------------------------------------------------------------------------

def two_layer_linear_laws(n, r, m):
    r"""
    Number of independent conservation laws of `x \mapsto U V^T x` with
    `U \in \RR^{n \times r}`, `V \in \RR^{m \times r}` ([MGP2023], Section 3):
    `r(r+1)/2` if `r \le k = n + m`, else `kr - k(k-1)/2`.
    """
    k = n + m
    if r <= k:
        return r * (r + 1) // 2
    return k * r - k * (k - 1) // 2


def two_layer_linear_momentum_laws(n, r, m):
    r"""
    Number of independent conservation laws of the momentum flow of `x \mapsto U V^T x`,
    for `(n, m) \ne (1, 1)` (``keep-the-momentum.md``, Section 4): `r(r-1)/2` if
    `r \le 2k + 1`, else `k(2r - 2k - 1)`, whatever the damping.
    """
    k = n + m
    return r * (r - 1) // 2 if r <= 2 * k + 1 else k * (2 * r - 2 * k - 1)


def deep_linear_laws_per_layer(widths):
    r"""
    Sum over hidden layers `l` of the two-layer bound with `r = n_l`,
    `k = n_{l-1} + n_{l+1}` (the rank of the entries of `W_l W_l^T - W_{l+1}^T W_{l+1}`).
    """
    return sum(two_layer_linear_laws(widths[l + 1], widths[l], widths[l - 1])
               for l in range(1, len(widths) - 1))


def relu_network_laws(widths):
    r"""
    Number of independent conservation laws of a ReLU network of any depth,
    with or without biases ([MGP2023]): one per hidden neuron.
    """
    return sum(widths[1:-1])


# ----------------------------------------------------------------------------
# Independent computations
# ----------------------------------------------------------------------------

def weight_matrices_by_name(widths, ring):
    r"""
    The matrices `W_l` (`n_l \times n_{l-1}`) of a network, read from the names
    ``w{l}_{i}_{j}`` of the variables of ``ring`` (the naming convention of networks).
    """
    g = gens_by_name(ring)
    return [matrix(ring, widths[l], widths[l - 1],
                   [g[f"w{l}_{i}_{j}"] for i in range(widths[l]) for j in range(widths[l - 1])])
            for l in range(1, len(widths))]


def neuron_laws_by_name(widths, bias, ring, p=1):
    r"""
    The laws `\|W_l[i,:]\|^2 + b_l[i]^2 - p \|W_{l+1}[:,i]\|^2` of the hidden neurons of a
    network with `p`-homogeneous activations ([GU2021]), built from the names of the
    variables of ``ring``, layer by layer, neuron by neuron.
    """
    g = gens_by_name(ring)
    laws = []
    for l in range(1, len(widths) - 1):
        for i in range(widths[l]):
            incoming = sum(g[f"w{l}_{i}_{j}"]**2 for j in range(widths[l - 1]))
            if bias:
                incoming += g[f"b{l}_{i}"]**2
            outgoing = sum(g[f"w{l + 1}_{k}_{i}"]**2 for k in range(widths[l + 1]))
            laws.append(incoming - p * outgoing)
    return laws


def gens_by_name(ring):
    """Return a dictionary name -> generator of ``ring``."""
    return dict(zip(ring.variable_names(), ring.gens()))


def random_rational_point(D, seed, bound=10**6):
    """A random integer point of QQ^D (large range: generic with high probability)."""
    rng = random.Random(seed)
    return [QQ(rng.randint(-bound, bound)) for _ in range(D)]


def gradient_rank(polys, ring, seeds=(11, 12)):
    r"""
    Rank of the Jacobian of ``polys`` (the number of functionally independent
    polynomials), read exactly over QQ at random integer points.

    A rank at a point never exceeds the generic rank; the maximum over a few
    random points is the generic rank with overwhelming probability.
    """
    if not polys:
        return 0
    gens = ring.gens()
    best = 0
    for seed in seeds:
        point = random_rational_point(len(gens), seed)
        J = matrix(QQ, [[h.derivative(v)(point) for v in gens] for h in polys])
        best = max(best, J.rank())
    return best


def field_components(X):
    """The list of the components of a PolynomialVectorField."""
    return [X[i] for i in range(X.dimension())]


def derivative_along(components, h, ring):
    r"""`\sum_k X_k \partial_k h`, computed directly."""
    return sum((c * h.derivative(v) for c, v in zip(components, ring.gens())), ring.zero())


def monomials_of_degrees(ring, degrees):
    """All monomials of ``ring`` whose total degree is in ``degrees``."""
    return [ring.prod(c) for d in degrees
            for c in combinations_with_replacement(ring.gens(), d)]


def law_space_dimension(fields, degree, homogeneous=False):
    r"""
    Dimension of the space of polynomial laws of degree in `1..degree` (or
    exactly ``degree``), from an explicitly built linear system over QQ.
    """
    ring = fields[0].ring()
    degrees = [degree] if homogeneous else range(1, degree + 1)
    monomials = monomials_of_degrees(ring, degrees)
    comps = [field_components(X) for X in fields]
    images = [[derivative_along(c, mu, ring) for c in comps] for mu in monomials]
    keys = sorted({(f, m) for image in images for f, p in enumerate(image)
                   for m in p.monomials()}, key=str)
    index = {k: i for i, k in enumerate(keys)}
    A = matrix(QQ, len(keys), len(monomials), sparse=True)
    for col, image in enumerate(images):
        for f, p in enumerate(image):
            for c, m in zip(p.coefficients(), p.monomials()):
                A[index[f, m], col] = c
    return len(monomials) - A.rank()


def coefficient_matrix(polys):
    """Rows: the coefficient vectors of ``polys`` on the union of their monomials."""
    monomials = sorted({m for h in polys for m in h.monomials()}, key=str)
    return matrix(QQ, [[h.monomial_coefficient(m) for m in monomials] for h in polys])


def span_dimension(polys):
    """Dimension over QQ of the linear span of ``polys``."""
    polys = [h for h in polys if h != 0]
    return coefficient_matrix(polys).rank() if polys else 0


def random_dense_polynomial(ring, degree, rng, low=-9, high=9):
    """A polynomial with every monomial of degree <= ``degree``, random non-zero integer coefficients."""
    coefficients = [c for c in range(low, high + 1) if c]
    return sum((QQ(rng.choice(coefficients)) * mu
                for mu in monomials_of_degrees(ring, range(degree + 1))), ring.zero())


def random_dense_field(ring, degree, rng):
    """A random dense polynomial vector field of degree ``degree``."""
    from sage_conslaws import PolynomialVectorField
    return PolynomialVectorField(ring, [random_dense_polynomial(ring, degree, rng)
                                        for _ in ring.gens()])


def relu_paths(widths, bias):
    r"""
    The path products of a ReLU network, enumerated directly as lists of
    parameter names: every input -> output path, and every hidden bias -> output path.
    """
    L = len(widths) - 1
    paths = []
    # input paths: neurons i_0 (input), i_1, ..., i_L (output)
    for neurons in product(*[range(n) for n in widths]):
        paths.append([f"w{l}_{neurons[l]}_{neurons[l - 1]}" for l in range(1, L + 1)])
    if bias:
        for start in range(1, L):  # hidden layer of the bias
            for neurons in product(*[range(n) for n in widths[start:]]):
                names = [f"b{start}_{neurons[0]}"]
                names += [f"w{l}_{neurons[l - start]}_{neurons[l - start - 1]}"
                          for l in range(start + 1, L + 1)]
                paths.append(names)
    return paths


def run_cli(*args):
    """
    Run the command line ``sage-conslaws ARGS`` in this process, as :func:`sage_conslaws.interface.cli.main`.

    Return its exit status, standard output and standard error as the
    attributes ``returncode``, ``stdout`` and ``stderr`` (those of a finished
    subprocess).
    """
    from sage_conslaws.interface.cli import main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(arg) for arg in args], out)
    return subprocess.CompletedProcess(["sage-conslaws", *args], status, out.getvalue(),
                                       err.getvalue())
