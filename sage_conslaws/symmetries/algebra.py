r"""
Symmetries of a model: infinitesimal reparametrizations that leave `\phi` unchanged

A generator `\xi` is an infinitesimal symmetry of a model when `\theta \mapsto
\theta + \varepsilon\xi(\theta)` leaves the reparametrization `\phi` unchanged
to first order: `\langle \nabla\phi_j(\theta), \xi(\theta)\rangle = 0` for
every `j` and `\theta`. Every loss built on `\phi` is then invariant too, and
Noether's theorem turns `\xi` into a conservation law or an identity of the
training dynamics (see :mod:`sage_conslaws.symmetries.noether` and [GU2021]_).

The *linear* symmetries `\xi(\theta) = A\theta` form a Lie algebra
`\mathfrak g \subset \mathfrak{gl}(D, \QQ)`, computed here by exact linear
algebra (:func:`~sage_conslaws.symmetries.solve.linear_symmetries`). Its symmetric elements give the
conservation laws `\frac12\theta^T A\theta` of gradient flow, its skew
elements the momentum laws `\mu(t)\langle\dot\theta, A\theta\rangle`.

EXAMPLES:

A ReLU network has one rescaling per hidden neuron, and nothing else::

    sage: from sage_conslaws import ReLUNetwork
    sage: from sage_conslaws.symmetries.solve import linear_symmetries
    sage: g = linear_symmetries(ReLUNetwork([2, 2, 1])); g
    Lie algebra of dimension 2 of linear symmetries of ReLUNetwork([2, 2, 1]) with 6 parameters
    sage: g.basis()
    [rescale neuron 1.0: w1_0_0*d/dw1_0_0 + w1_0_1*d/dw1_0_1 - w2_0_0*d/dw2_0_0,
     rescale neuron 1.1: w1_1_0*d/dw1_1_0 + w1_1_1*d/dw1_1_1 - w2_0_1*d/dw2_0_1]

REFERENCES: [GU2021]_ (see the references of the documentation).
"""
from sage.matrix.constructor import matrix
from sage.rings.rational_field import QQ
from sage.structure.sage_object import SageObject

from sage_conslaws.limits import check_commutators, check_kernel
from sage_conslaws.models.widths import hidden_widths, neuron_mixing, neuron_rescaling, sparse_add
from sage_conslaws.symmetries.generators import SymmetryGenerator


class SymmetryAlgebra(SageObject):
    r"""
    The Lie algebra `\mathfrak g` of the linear symmetries of a model, with a readable basis.

    Built by :func:`~sage_conslaws.symmetries.solve.linear_symmetries`. The basis starts with the
    symmetries that have a name: the rescaling of each hidden neuron and,
    for linear layers, the mixings `\xi_{E_{ab}}(W) = (\ldots, E_{ab}W_l,
    -W_{l+1}E_{ab}, \ldots)` of two neurons of a hidden layer; the rest of
    `\mathfrak g` is completed by reduced echelon vectors, named by their
    formula.

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries.solve import linear_symmetries
        sage: g = linear_symmetries(LinearNetwork([2, 3, 2])); g
        Lie algebra of dimension 9 of linear symmetries of LinearNetwork([2, 3, 2]) with 12 parameters
        sage: g.is_abelian(), g.derived_dimension()
        (False, 8)
        sage: print(g.report())
        LinearNetwork([2, 3, 2]) with 12 parameters
          linear symmetries     : dimension 9 (symmetric 6, skew 3)
          derived algebra       : dimension 8 (not abelian)
          basis                 :
            rescale neuron 1.0: w1_0_0*d/dw1_0_0 + w1_0_1*d/dw1_0_1 - w2_0_0*d/dw2_0_0 - w2_1_0*d/dw2_1_0
            ...
            mix neurons 2 <- 1 of hidden layer 1: w1_1_0*d/dw1_2_0 + w1_1_1*d/dw1_2_1 - w2_0_2*d/dw2_0_1 - w2_1_2*d/dw2_1_1

    TESTS:

    The kernels that split the algebra into its symmetric and skew parts are
    dense over `\QQ` (on the distinct columns of the symmetries); their size is checked first
    (:func:`~sage_conslaws.limits.check_kernel`). The symmetries of
    `x_1^2 + \cdots + x_{100}^2` are `\mathfrak{so}(100)`::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws import PolynomialMap
        sage: R = PolynomialRing(QQ, 'x', 100)
        sage: linear_symmetries(PolynomialMap([sum(x^2 for x in R.gens())]))  # long time
        Traceback (most recent call last):
        ...
        BeyondReach: the exact kernel of the span of 4950 linear symmetries, a 4950 x 4950 system over QQ, has 24502500 entries, beyond reach: Sage fills it in densely, about 100 bytes an entry (at most 20000000 entries)
    """

    def __init__(self, model, system):
        self._model = model
        self._system = system
        self._ring = model.ring()
        space = system.basis()
        # the structure comes from the model, never from the names of its variables
        self._layers = model.weight_indices()
        candidates = _named_candidates(self._layers, system)
        self._basis = _readable_basis(self._ring, self._layers, space, candidates)
        self._symmetric = self._subalgebra(space, candidates, symmetric=True)
        self._skew = self._subalgebra(space, candidates, symmetric=False)
        self._derived = None

    def _subalgebra(self, space, candidates, symmetric):
        r"""
        Return a readable basis of `\mathfrak g \cap \mathrm{Sym}` (or `\cap \mathrm{Skew}`).
        """
        sign = -1 if symmetric else 1
        # x spans the subspace when sum x_i (B_i + sign B_i^T) = 0
        twisted = [sparse_add(v, _transpose(v), sign) for v in space]
        vectors = [_combination(x, space) for x in _by_columns(twisted).left_kernel_matrix().rows()]
        inside = [(name, v) for name, v in candidates + _paired_candidates(self._layers, symmetric)
                  if not sparse_add(v, _transpose(v), sign) and not self._system.residual(v)]
        return _readable_basis(self._ring, self._layers, vectors, inside)

    def model(self):
        r"""
        Return the model.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
            sage: linear_symmetries(LinearNetwork([1, 1, 1])).model()
            LinearNetwork([1, 1, 1]) with 2 parameters
        """
        return self._model

    def dimension(self):
        r"""
        Return the dimension of `\mathfrak g`.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
            sage: linear_symmetries(ReLUNetwork([2, 3, 2, 1], bias=True)).dimension()
            5
        """
        return len(self._basis)

    def basis(self):
        r"""
        Return a basis of `\mathfrak g`, as a list of :class:`~sage_conslaws.symmetries.generators.SymmetryGenerator`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
            sage: linear_symmetries(LinearNetwork([1, 1, 1])).basis()
            [rescale neuron 1.0: w1_0_0*d/dw1_0_0 - w2_0_0*d/dw2_0_0]
        """
        return list(self._basis)

    def symmetric_subalgebra(self):
        r"""
        Return a basis of the symmetric elements `\mathfrak g \cap \mathrm{Sym}(D)`.

        Each gives a conservation law `\frac12\theta^TA\theta` of gradient flow.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
            sage: [xi.name() for xi in linear_symmetries(LinearNetwork([2, 2, 2])).symmetric_subalgebra()]
            ['rescale neuron 1.0', 'rescale neuron 1.1', 'symmetric mix of neurons 0, 1 of hidden layer 1']
        """
        return list(self._symmetric)

    def skew_subalgebra(self):
        r"""
        Return a basis of the skew-symmetric elements `\mathfrak g \cap \mathfrak{so}(D)`.

        Each gives a momentum law `\mu(t)\langle\dot\theta, A\theta\rangle`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
            sage: linear_symmetries(LinearNetwork([2, 2, 2])).skew_subalgebra()
            [rotate neurons 0, 1 of hidden layer 1: w1_1_0*d/dw1_0_0 + w1_1_1*d/dw1_0_1 - w1_0_0*d/dw1_1_0 - w1_0_1*d/dw1_1_1 + w2_0_1*d/dw2_0_0 - w2_0_0*d/dw2_0_1 + w2_1_1*d/dw2_1_0 - w2_1_0*d/dw2_1_1]
        """
        return list(self._skew)

    def symmetric_dimension(self):
        r"""
        Return the dimension of `\mathfrak g \cap \mathrm{Sym}(D)`.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
            sage: linear_symmetries(ReLUNetwork([2, 3, 1])).symmetric_dimension()
            3
        """
        return len(self._symmetric)

    def skew_dimension(self):
        r"""
        Return the dimension of `\mathfrak g \cap \mathfrak{so}(D)`.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
            sage: linear_symmetries(ReLUNetwork([2, 3, 1])).skew_dimension()
            0
        """
        return len(self._skew)

    def adapted_basis(self, kind):
        r"""
        Return a basis of `\mathfrak g` that starts with a basis of its symmetric or skew part.

        INPUT:

        - ``kind`` -- ``"symmetric"`` or ``"skew"``

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
            sage: g = linear_symmetries(LinearNetwork([1, 2, 1]))
            sage: [xi.name() for xi in g.adapted_basis("skew")][:3]
            ['rotate neurons 0, 1 of hidden layer 1',
             'couples layers 1, 2',
             'rescale neuron 1.0']

        TESTS::

            sage: g.adapted_basis("diagonal")
            Traceback (most recent call last):
            ...
            ValueError: kind must be 'symmetric' or 'skew', got 'diagonal'
        """
        if kind not in ("symmetric", "skew"):
            raise ValueError(f"kind must be 'symmetric' or 'skew', got {kind!r}")
        first = self._symmetric if kind == "symmetric" else self._skew
        vectors = [_as_vector(xi) for xi in first + self._basis]
        chosen = _pivots(vectors)
        return [(first + self._basis)[i] for i in chosen]

    def is_abelian(self):
        r"""
        Return whether all brackets vanish.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
            sage: linear_symmetries(ReLUNetwork([2, 3, 2, 1])).is_abelian()
            True
        """
        return self.derived_dimension() == 0

    def derived_dimension(self):
        r"""
        Return the dimension of the derived algebra `[\mathfrak g, \mathfrak g]`.

        EXAMPLES:

        The `\mathfrak{gl}(2)` of a hidden layer of width 2 has derived
        algebra `\mathfrak{sl}(2)`; for `\phi = u_1v_1 + u_2v_2` the whole
        `\mathfrak o(2, 2)` is perfect::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
            sage: linear_symmetries(LinearNetwork([2, 2, 2])).derived_dimension()
            3
            sage: linear_symmetries(LinearNetwork([1, 2, 1])).derived_dimension()
            6

        TESTS:

        The commutators are counted first (:func:`~sage_conslaws.limits.check_commutators`;
        a refusal there stops before any is formed)::

            sage: linear_symmetries(LinearNetwork([10, 10, 10])).derived_dimension()  # sl(10)
            99
            sage: from unittest import mock
            sage: with mock.patch("sage_conslaws.symmetries.algebra.check_commutators",
            ....:                 side_effect=ValueError("refused")):
            ....:     linear_symmetries(LinearNetwork([3, 3, 3])).derived_dimension()
            Traceback (most recent call last):
            ...
            ValueError: refused
        """
        if self._derived is None:
            matrices = [xi.matrix() for xi in self._basis]
            if all(A.is_diagonal() for A in matrices):
                self._derived = 0
            else:
                check_commutators(len(matrices), self._ring.ngens())
                rows = [_sparse_rows(A) for A in matrices]
                brackets = [_commutator(a, b) for i, a in enumerate(rows) for b in rows[i + 1:]]
                self._derived = len(_pivots(brackets))
        return self._derived

    def as_dict(self):
        r"""
        Return the main facts as a dictionary of JSON-serialisable values.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
            sage: d = linear_symmetries(ReLUNetwork([1, 1, 1])).as_dict()
            sage: d["dimension"], d["symmetric_dimension"], d["skew_dimension"], d["generators"]
            (1, 1, 0, ['rescale neuron 1.0'])
        """
        return {"model": repr(self._model), "parameters": self._model.dimension(),
                "dimension": self.dimension(),
                "symmetric_dimension": self.symmetric_dimension(),
                "skew_dimension": self.skew_dimension(),
                "derived_dimension": self.derived_dimension(),
                "generators": [xi.name() for xi in self._basis],
                "symmetric_generators": [xi.name() for xi in self._symmetric],
                "skew_generators": [xi.name() for xi in self._skew]}

    def report(self, limit=12):
        r"""
        Return a readable multi-line report.

        INPUT:

        - ``limit`` -- (default: 12) the number of basis elements shown; the
          others are counted

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.symmetries.solve import linear_symmetries
            sage: print(linear_symmetries(ReLUNetwork([1, 3, 1])).report(limit=2))
            ReLUNetwork([1, 3, 1]) with 6 parameters
              linear symmetries     : dimension 3 (symmetric 3, skew 0)
              derived algebra       : dimension 0 (abelian)
              basis                 :
                rescale neuron 1.0: w1_0_0*d/dw1_0_0 - w2_0_0*d/dw2_0_0
                rescale neuron 1.1: w1_1_0*d/dw1_1_0 - w2_0_1*d/dw2_0_1
                ... and 1 more
        """
        derived = self.derived_dimension()
        lines = [repr(self._model),
                 f"  linear symmetries     : dimension {self.dimension()} "
                 f"(symmetric {self.symmetric_dimension()}, skew {self.skew_dimension()})",
                 f"  derived algebra       : dimension {derived} "
                 f"({'abelian' if derived == 0 else 'not abelian'})",
                 "  basis                 :"]
        lines += [f"    {xi!r}" for xi in self._basis[:limit]]
        if len(self._basis) > limit:
            lines.append(f"    ... and {len(self._basis) - limit} more")
        return "\n".join(lines)

    def _repr_(self):
        return (f"Lie algebra of dimension {self.dimension()} of linear symmetries "
                f"of {self._model!r}")


def _transpose(v):
    return {(l, k): c for (k, l), c in v.items()}


def _combination(x, vectors):
    result = {}
    for a, v in zip(x, vectors):
        if a:
            result = sparse_add(result, v, a)
    return result


def _pivots(vectors):
    r"""
    Return the indices of a maximal linearly independent subset of ``vectors``, greedily from the first.
    """
    if not vectors:
        return []
    return list(_by_columns(vectors).pivot_rows())


def _by_columns(vectors):
    r"""
    Return the dense matrix over `\QQ` whose rows are ``vectors`` (dictionaries) restricted to their distinct columns up to a scalar.

    A repeated column changes neither the kernel on the left nor which rows
    are independent, and the vectors of an algebra of symmetries repeat
    theirs: ``linear 20,20,20``, 400 symmetries, 15,200 columns of which 190
    distinct; the left kernel took 13 s as a sparse matrix, 0.5 s so.

    EXAMPLES::

        sage: from sage_conslaws.symmetries.algebra import _by_columns
        sage: _by_columns([{"a": 1, "b": 2}, {"a": 2, "b": 4, "c": 1}])
        [1 0]
        [2 1]
    """
    columns = {}
    for i, v in enumerate(vectors):
        for u, c in v.items():
            if c:
                columns.setdefault(u, {})[i] = c
    distinct = distinct_up_to_scale(columns.values())
    # dense over QQ, for its kernel or its pivots
    check_kernel(len(vectors), len(distinct), f"the span of {len(vectors)} linear symmetries")
    return matrix(QQ, len(vectors), max(len(distinct), 1),
                  {(i, j): c for j, column in enumerate(distinct) for i, c in column})


def distinct_up_to_scale(vectors):
    r"""
    Return the non-zero ``vectors`` (dictionaries index -> coefficient) without repeats up to a scalar factor, each scaled to a first coefficient 1, sorted.

    Each comes as a tuple of pairs (index, coefficient), sorted by index.

    EXAMPLES::

        sage: from sage_conslaws.symmetries.algebra import distinct_up_to_scale
        sage: distinct_up_to_scale([{0: 2, 1: 4}, {1: 2, 0: 1}, {1: 3}, {}])
        (((0, 1), (1, 2)), ((1, 1),))
    """
    distinct = set()
    for v in vectors:
        entries = sorted((u, QQ(c)) for u, c in v.items() if c)
        if entries:
            first = entries[0][1]
            distinct.add(tuple((u, c / first) for u, c in entries))
    return tuple(sorted(distinct))


def _sparse_rows(A):
    r"""
    Return the non-zero entries of the matrix ``A`` by row: ``{i: [(k, A_ik), ...]}``.
    """
    rows = {}
    for (i, k), c in A.dict().items():
        if c:
            rows.setdefault(i, []).append((k, c))
    return rows


def _commutator(a, b):
    r"""
    Return `AB - BA` as a dictionary ``{(i, j): c}``, from the rows of `A` and `B` (:func:`_sparse_rows`).

    The symmetries have a few entries per row: products of the rows are much
    faster than Sage's sparse matrices over `\QQ` (the 2556 commutators of
    ``LinearNetwork([3, 6, 6, 3])``: 7.7 s as ``A * B - B * A``, 0.03 s here).

    TESTS::

        sage: from sage.matrix.constructor import matrix
        sage: from sage.rings.rational_field import QQ
        sage: from sage_conslaws.symmetries.algebra import _commutator, _sparse_rows
        sage: A = matrix(QQ, [[0, 1], [0, 0]], sparse=True); B = matrix(QQ, [[0, 0], [1, 0]], sparse=True)
        sage: _commutator(_sparse_rows(A), _sparse_rows(B)) == (A * B - B * A).dict()
        True
    """
    result = {}
    for X, Y, sign in ((a, b, 1), (b, a, -1)):
        for i, row in X.items():
            for k, c in row:
                for j, d in Y.get(k, ()):
                    result[i, j] = result.get((i, j), 0) + sign * c * d
    return {u: c for u, c in result.items() if c}


def _as_vector(xi):
    return _matrix_as_vector(xi.matrix())


def _matrix_as_vector(A):
    return {u: c for u, c in A.dict().items() if c}


def _readable_basis(ring, layers, space, candidates):
    r"""
    Return a basis of the span of ``space`` as generators: independent ``candidates`` first (already in the span), completed by vectors of ``space``.
    """
    vectors = [v for _, v in candidates] + list(space)
    names = [name for name, _ in candidates] + [_layers_name(layers, v) for v in space]
    D = ring.ngens()
    chosen = _pivots(vectors)
    return [SymmetryGenerator.from_matrix(ring, matrix(QQ, D, D, vectors[i], sparse=True), name)
            for i, name in zip(chosen, _numbered([names[i] for i in chosen]))]


def _numbered(names):
    r"""
    Return ``names`` with a number added to each name that occurs more than once.

    TESTS::

        sage: from sage_conslaws.symmetries.algebra import _numbered
        sage: _numbered(["a", "b", "a", None])
        ['a #1', 'b', 'a #2', None]
    """
    seen = {}
    repeated = {name for name in names if name is not None and names.count(name) > 1}
    numbered = []
    for name in names:
        if name in repeated:
            seen[name] = seen.get(name, 0) + 1
            name = f"{name} #{seen[name]}"
        numbered.append(name)
    return numbered


def _layers_name(layers, vector):
    r"""
    Return a name saying which layers an element without a readable name acts on, or ``None``.

    Elements of a network's algebra that are not rescalings or mixings of
    one layer (e.g. the `\mathfrak o(r, r)` exchanges of `x \mapsto u^Tv\,x`)
    couple the parameters of several layers.

    TESTS::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries.algebra import _layers_name
        sage: layers = LinearNetwork([1, 2, 1]).weight_indices()
        sage: _layers_name(layers, {(0, 3): 1, (2, 1): -1}), _layers_name(layers, {(0, 1): 1})
        ('couples layers 1, 2', None)
    """
    if layers is None:
        return None
    layer_of = {k: l for (l, _, _), k in layers[0].items()}
    layer_of.update({k: l for (l, _), k in layers[1].items()})
    touched = sorted({layer_of[k] for entry in vector for k in entry if k in layer_of})
    if len(touched) < 2:
        return None
    return f"couples layers {', '.join(map(str, touched))}"


def _named_candidates(layers, system):
    r"""
    Return the named symmetries of a layered network: the rescaling of each hidden neuron, the mixings of two neurons of a hidden layer, when they solve ``system``.

    The power `c` of a rescaling (`+1` on the incoming weights and bias,
    `-c` on the outgoing weights: `c = p` for a `p`-homogeneous activation)
    is not known in advance: the equations fix it, as they are linear in `c`.
    """
    if layers is None:
        return []
    weights, biases = layers
    candidates = []
    for l, width in sorted(hidden_widths(weights).items()):
        for i in range(width):
            incoming, outgoing = neuron_rescaling(weights, biases, l, i)
            c = _power(system.residual(incoming), system.residual(outgoing))
            if c:
                power = "" if c == 1 else f" (power {c})"
                candidates.append((f"rescale neuron {l}.{i}{power}",
                                   sparse_add(incoming, outgoing, -c)))
        mixings = [(f"mix neurons {a} <- {b} of hidden layer {l}", neuron_mixing(weights, biases, l, a, b))
                   for a in range(width) for b in range(width) if a != b]
        candidates += [(name, v) for name, v in mixings if not system.residual(v)]
    return candidates


def _power(u, w):
    r"""
    Return the non-zero `c` with `u = c\,w` (residuals as dictionaries), `1` if both vanish, else ``None``.
    """
    if not w:
        return None if u else QQ.one()
    key = next(iter(w))
    c = u.get(key, 0) / w[key]
    return c if c and not sparse_add(u, w, -c) else None


def _paired_candidates(layers, symmetric):
    r"""
    Return the symmetric (``E_ab + E_ba``) or skew (``E_ab - E_ba``) mixings of two neurons `a < b` of each hidden layer.
    """
    if layers is None:
        return []
    weights, biases = layers
    name = "symmetric mix of neurons" if symmetric else "rotate neurons"
    return [(f"{name} {a}, {b} of hidden layer {l}",
             sparse_add(neuron_mixing(weights, biases, l, a, b), neuron_mixing(weights, biases, l, b, a),
                  1 if symmetric else -1))
            for l, width in sorted(hidden_widths(weights).items())
            for a in range(width) for b in range(a + 1, width)]
