r"""
Checking layer widths

EXAMPLES::

    sage: from sage_conslaws.models.widths import check_widths
    sage: check_widths([3, 4, 2])
    [3, 4, 2]
    sage: check_widths("3,4,2")
    [3, 4, 2]
"""
from numbers import Integral

from sage.rings.rational_field import QQ

def check_sizes(what, *sizes):
    r"""
    Return ``sizes`` as a tuple of Python integers if they are positive integers, or raise a one-line error naming ``what``.

    For the models given by a few sizes (factorizations, adapters, gated units).

    EXAMPLES::

        sage: from sage_conslaws.models.widths import check_sizes
        sage: check_sizes("the sizes of a LoRA adapter (inputs, rank, outputs)", 4, 2, 3)
        (4, 2, 3)

    TESTS::

        sage: check_sizes("the sizes of X", 4, 0)
        Traceback (most recent call last):
        ...
        ValueError: the sizes of X must be positive integers, got 4, 0
        sage: check_sizes("the sizes of X", 4, "2")
        Traceback (most recent call last):
        ...
        TypeError: the sizes of X must be integers, got 4, '2'
        sage: check_sizes("the sizes of X", True, 2)
        Traceback (most recent call last):
        ...
        TypeError: the sizes of X must be integers, got True, 2
    """
    from numbers import Integral
    given = ", ".join(repr(s) if isinstance(s, str) else str(s) for s in sizes)
    if not all(isinstance(s, Integral) and not isinstance(s, bool) for s in sizes):
        raise TypeError(f"{what} must be integers, got {given}")
    if min(sizes) < 1:
        raise ValueError(f"{what} must be positive integers, got {given}")
    return tuple(int(s) for s in sizes)


def check_widths(widths):
    r"""
    Return ``widths`` as a list of Python integers, or raise a clear error.

    INPUT:

    - ``widths`` -- the layer widths from input to output, as a list of
      positive integers or a string such as ``"3,4,2"``

    EXAMPLES::

        sage: from sage_conslaws.models.widths import check_widths
        sage: check_widths((2, 5))
        [2, 5]

    TESTS::

        sage: check_widths([3, 0, 2])
        Traceback (most recent call last):
        ...
        ValueError: layer widths must be positive integers, got [3, 0, 2]
        sage: check_widths([3, 1.5, 2])
        Traceback (most recent call last):
        ...
        ValueError: layer widths must be positive integers, got [3, 1.50000000000000, 2]
        sage: check_widths(3)
        Traceback (most recent call last):
        ...
        ValueError: layer widths must be a list of positive integers, got 3
        sage: check_widths([4])
        Traceback (most recent call last):
        ...
        ValueError: a network needs at least an input and an output width, got [4]
        sage: check_widths("3,x")
        Traceback (most recent call last):
        ...
        ValueError: layer widths must be positive integers separated by commas, got '3,x'
    """
    if isinstance(widths, str):
        try:
            widths = [int(w) for w in widths.split(",")]
        except ValueError:
            raise ValueError("layer widths must be positive integers separated by commas, "
                             f"got {widths!r}") from None
    try:
        widths = list(widths)
    except TypeError:
        raise ValueError(f"layer widths must be a list of positive integers, got {widths!r}") from None
    if not all(isinstance(w, Integral) and not isinstance(w, bool) and w > 0 for w in widths):
        raise ValueError(f"layer widths must be positive integers, got {widths}")
    if len(widths) < 2:
        raise ValueError(f"a network needs at least an input and an output width, got {widths}")
    return [int(w) for w in widths]


def weight_names(widths, bias=False, beta_layers=()):
    r"""
    Return the parameter names of a network, layer by layer.

    The weight `W_l[i, j]` from neuron `j` of layer `l - 1` to neuron `i` of
    layer `l` is ``wl_i_j`` (layers are numbered from 1, neurons from 0); the
    bias of neuron `i` of hidden layer `l` is ``bl_i``; the trainable slope
    `\beta` of neuron `i` of a Swish layer `l` is ``betal_i``. Each layer
    lists its weights (row by row), then its biases, then its slopes.

    INPUT:

    - ``widths`` -- the layer widths from input to output
    - ``bias`` -- (default: ``False``) whether hidden neurons have biases
    - ``beta_layers`` -- (default: none) the hidden layers whose neurons have
      a trainable `\beta`

    EXAMPLES::

        sage: from sage_conslaws.models.widths import weight_names
        sage: weight_names([2, 1, 1], bias=True)
        ['w1_0_0', 'w1_0_1', 'b1_0', 'w2_0_0']
        sage: weight_names([1, 2, 1], bias=True, beta_layers=[1])
        ['w1_0_0', 'w1_1_0', 'b1_0', 'b1_1', 'beta1_0', 'beta1_1', 'w2_0_0', 'w2_0_1']
    """
    names = []
    for l in range(1, len(widths)):
        names += [f"w{l}_{i}_{j}" for i in range(widths[l]) for j in range(widths[l - 1])]
        if bias and l < len(widths) - 1:
            names += [f"b{l}_{i}" for i in range(widths[l])]
        if l in beta_layers:
            names += [f"beta{l}_{i}" for i in range(widths[l])]
    return names


def parameter_indices(widths, bias=False, beta_layers=()):
    r"""
    Return where each weight, bias and trainable slope of a network sits among its parameters.

    The order is that of :func:`weight_names`; this is the one place that
    knows it, so the structure of a network is never read back from names.

    INPUT: as for :func:`weight_names`

    OUTPUT: three dictionaries ``(l, i, j) -> index`` (the weight
    `W_l[i, j]`), ``(l, i) -> index`` (the bias of neuron `i` of layer `l`)
    and ``(l, i) -> index`` (the slope `\beta` of neuron `i` of a Swish layer `l`)

    EXAMPLES::

        sage: from sage_conslaws.models.widths import parameter_indices, weight_names
        sage: parameter_indices([1, 2, 1], bias=True, beta_layers=[1])
        ({(1, 0, 0): 0, (1, 1, 0): 1, (2, 0, 0): 6, (2, 0, 1): 7},
         {(1, 0): 2, (1, 1): 3},
         {(1, 0): 4, (1, 1): 5})
        sage: weights, biases, slopes = parameter_indices([2, 3, 2, 1], True, [2])
        sage: names = weight_names([2, 3, 2, 1], True, [2])
        sage: all(names[k] == f"w{l}_{i}_{j}" for (l, i, j), k in weights.items())
        True
        sage: all(names[k] == f"b{l}_{i}" for (l, i), k in biases.items())
        True
        sage: all(names[k] == f"beta{l}_{i}" for (l, i), k in slopes.items())
        True
        sage: len(weights) + len(biases) + len(slopes) == len(names)
        True
    """
    weights, biases, slopes = {}, {}, {}
    index = 0
    for l in range(1, len(widths)):
        for i in range(widths[l]):
            for j in range(widths[l - 1]):
                weights[l, i, j] = index
                index += 1
        if bias and l < len(widths) - 1:
            for i in range(widths[l]):
                biases[l, i] = index
                index += 1
        if l in beta_layers:
            for i in range(widths[l]):
                slopes[l, i] = index
                index += 1
    return weights, biases, slopes


def number_of_paths(widths, bias=False):
    r"""
    Return the number of paths from an input (or a hidden bias) to an output.

    This is the number of terms of `\phi` for linear networks and the number of
    its coordinates for ReLU networks.

    EXAMPLES::

        sage: from sage_conslaws.models.widths import number_of_paths
        sage: number_of_paths([2, 3, 2]), number_of_paths([2, 3, 2], bias=True)
        (12, 18)
    """
    paths = 0
    for start in range(len(widths) - 1 if bias else 1):
        count = 1
        for w in widths[start:]:
            count *= w
        paths += count
    return paths


def sparse_add(v, w, scale=1):
    r"""
    Return `v + \mathrm{scale}\cdot w` for sparse vectors (dictionaries), without zero entries.

    EXAMPLES::

        sage: from sage_conslaws.models.widths import sparse_add
        sage: sparse_add({0: 1, 1: 2}, {1: 1}, -2)
        {0: 1}
    """
    result = dict(v)
    for u, c in w.items():
        result[u] = result.get(u, 0) + scale * c
    return {u: c for u, c in result.items() if c}


def hidden_widths(weights):
    r"""
    Return, for each hidden layer `l`, its width, from the weights of :func:`parameter_indices`.

    EXAMPLES::

        sage: from sage_conslaws.models.widths import hidden_widths, parameter_indices
        sage: hidden_widths(parameter_indices([2, 3, 4, 1])[0])
        {1: 3, 2: 4}
    """
    last = max(l for l, _, _ in weights)
    widths = {}
    for l, i, _ in weights:
        if l < last:
            widths[l] = max(widths.get(l, 0), i + 1)
    return widths


def neuron_mixing(weights, biases, l, a, b):
    r"""
    Return `\xi_{E_{ab}}`: `W_l \mapsto E_{ab}W_l` (with the biases), `W_{l+1} \mapsto -W_{l+1}E_{ab}`.

    INPUT: the ``weights`` and ``biases`` of :func:`parameter_indices`, the
    hidden layer ``l``, the neurons ``a`` and ``b``

    OUTPUT: the non-zero entries ``{(row, column): c}`` of its matrix

    EXAMPLES::

        sage: from sage_conslaws.models.widths import neuron_mixing, parameter_indices
        sage: weights, biases, _ = parameter_indices([1, 2, 1])
        sage: neuron_mixing(weights, biases, 1, 0, 1)
        {(0, 1): 1, (3, 2): -1}
    """
    v = {}
    for (m, i, j), k in weights.items():
        if m == l and i == a:
            v[k, weights[l, b, j]] = QQ.one()
        if m == l + 1 and j == b:
            v[k, weights[l + 1, i, a]] = -QQ.one()
    if (l, a) in biases and (l, b) in biases:
        v[biases[l, a], biases[l, b]] = QQ.one()
    return v


def neuron_rescaling(weights, biases, l, i):
    r"""
    Return the pair (incoming, outgoing) of diagonal vectors of neuron `i` of layer `l`.

    EXAMPLES::

        sage: from sage_conslaws.models.widths import neuron_rescaling, parameter_indices
        sage: weights, biases, _ = parameter_indices([1, 1, 1], bias=True)
        sage: neuron_rescaling(weights, biases, 1, 0)
        ({(0, 0): 1, (1, 1): 1}, {(2, 2): 1})
    """
    incoming = {(k, k): QQ.one() for (m, a, _), k in weights.items() if (m, a) == (l, i)}
    if (l, i) in biases:
        incoming[biases[l, i], biases[l, i]] = QQ.one()
    outgoing = {(k, k): QQ.one() for (m, _, b), k in weights.items() if (m, b) == (l + 1, i)}
    return incoming, outgoing
