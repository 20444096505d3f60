r"""
Architectures by name, as the command line names them

EXAMPLES::

    sage: from sage_conslaws.architectures.registry import build_model, MODELS
    sage: sorted(MODELS)
    ['icnn', 'linear', 'nmf', 'relu']
    sage: build_model("relu", "3,4,2", bias=True)
    ReLUNetwork([3, 4, 2], bias=True) with 24 parameters
"""
from .icnn import ICNN
from .linear import LinearNetwork
from .nmf import NMF
from .relu import ReLUNetwork
from .widths import check_widths

#: The models the command line knows, with whether they accept hidden biases.
MODELS = {"linear": False, "relu": True, "nmf": False, "icnn": True}

#: The models given by exactly three sizes, with the meaning of the sizes.
THREE_SIZES = {"nmf": "n1,r,n3", "icnn": "inputs,hidden,outputs"}


def build_model(name, sizes, bias=False):
    r"""
    Return the model called ``name`` with layer widths ``sizes``.

    INPUT:

    - ``name`` -- one of :data:`MODELS`
    - ``sizes`` -- the layer widths from input to output, as a list or a
      string such as ``"3,4,2"``; for ``"nmf"``, the sizes ``n1,r,n3`` of
      `U \in \RR^{n_1 \times r}` and `V \in \RR^{r \times n_3}`; for
      ``"icnn"``, ``inputs,hidden,outputs``
    - ``bias`` -- (default: ``False``) hidden biases, for models that have them

    EXAMPLES::

        sage: from sage_conslaws.architectures.registry import build_model
        sage: build_model("linear", [2, 3, 2])
        LinearNetwork([2, 3, 2]) with 12 parameters
        sage: build_model("nmf", "2,3,4")
        NMF(2, 3, 4) with 18 parameters
        sage: build_model("icnn", "2,3,1", bias=True)
        ICNN(2, 3, 1, bias=True) with 12 parameters

    TESTS::

        sage: build_model("cnn", "3,2")
        Traceback (most recent call last):
        ...
        ValueError: unknown model 'cnn'; known models: icnn, linear, nmf, relu
        sage: build_model("linear", "3,2", bias=True)
        Traceback (most recent call last):
        ...
        ValueError: model 'linear' has no biases
        sage: build_model("nmf", "2,0,3")
        Traceback (most recent call last):
        ...
        ValueError: NMF sizes n1, r, n3 must be positive integers, got [2, 0, 3]
        sage: build_model("nmf", "2,3")
        Traceback (most recent call last):
        ...
        ValueError: model 'nmf' takes three sizes n1,r,n3, got '2,3'
    """
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; known models: {', '.join(sorted(MODELS))}")
    if bias and not MODELS[name]:
        raise ValueError(f"model {name!r} has no biases")
    if name in THREE_SIZES:
        return _three_sizes_model(name, sizes, bias)
    widths = check_widths(sizes)
    if name == "linear":
        return LinearNetwork(widths)
    return ReLUNetwork(widths, bias=bias)


def _three_sizes_model(name, sizes, bias):
    r"""
    Return the NMF or ICNN model of ``sizes``, which must be three integers.

    TESTS::

        sage: from sage_conslaws.architectures.registry import _three_sizes_model
        sage: _three_sizes_model("icnn", [1, 2, 1], False)
        ICNN(1, 2, 1) with 4 parameters
    """
    given = sizes
    if isinstance(sizes, str):
        try:
            sizes = [int(w) for w in sizes.split(",")]
        except ValueError:
            sizes = None
    if sizes is None or len(sizes) != 3:
        raise ValueError(f"model {name!r} takes three sizes {THREE_SIZES[name]}, got {given!r}")
    if name == "nmf":
        return NMF(*sizes)
    return ICNN(*sizes, bias=bias)
