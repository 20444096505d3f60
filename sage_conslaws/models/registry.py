r"""
Architectures by name, as the command line names them

EXAMPLES::

    sage: from sage_conslaws.models.registry import build_model, MODELS
    sage: sorted(MODELS)
    ['cp', 'diagonal', 'glu', 'icnn', 'linear', 'lora', 'map', 'nmf', 'relu']
    sage: build_model("relu", "3,4,2", bias=True)
    ReLUNetwork([3, 4, 2], bias=True) with 24 parameters

A polynomial map is written as its components separated by ``;`` (see
:func:`~sage_conslaws.models.polynomial_map.read_map`)::

    sage: build_model("map", "x*y*z;x+y")
    PolynomialMap with 3 parameters: [x*y*z, x + y]

Any other activation name gives an :class:`~sage_conslaws.models.mlp.MLP`
with it on every hidden layer; names joined by ``+`` give one per hidden layer::

    sage: build_model("repu2", "3,4,2", bias=True)
    MLP([3, 4, 2], activations=[repu2], bias=True) with 24 parameters
    sage: build_model("relu+repu2+linear", "1,2,2,2,1")
    MLP([1, 2, 2, 2, 1], activations=[relu, repu2, linear]) with 12 parameters
"""
from sage_conslaws.models.activations import ACTIVATION_NAMES, activation
from sage_conslaws.models.cp import CPDecomposition
from sage_conslaws.models.diagonal import DiagonalNetwork
from sage_conslaws.models.glu import BilinearGLU
from sage_conslaws.models.icnn import ICNN
from sage_conslaws.models.linear import LinearNetwork
from sage_conslaws.models.lora import LoRA
from sage_conslaws.models.mlp import MLP
from sage_conslaws.models.nmf import NMF
from sage_conslaws.models.polynomial_map import read_map
from sage_conslaws.models.relu import ReLUNetwork
from sage_conslaws.models.widths import check_widths

#: The models the command line knows, with whether they accept hidden biases.
MODELS = {"linear": False, "relu": True, "nmf": False, "icnn": True, "diagonal": False,
          "lora": False, "cp": False, "glu": False, "map": False}

#: What else a model name may be: activations, for an :class:`~sage_conslaws.models.mlp.MLP`.
MLP_NAMES = (f"an activation ({', '.join(ACTIVATION_NAMES)}, P a degree) for an MLP, "
             "or one per hidden layer joined by '+' (e.g. relu+repu2)")

#: The models given by a fixed number of sizes, with the meaning of the sizes.
FIXED_SIZES = {"nmf": "n1,r,n3", "icnn": "inputs,hidden,outputs", "diagonal": "n,depth",
               "lora": "inputs,rank,outputs", "cp": "n1,n2,n3", "glu": "inputs,hidden,outputs"}


def build_model(name, sizes, bias=False, rank=None):
    r"""
    Return the model called ``name`` with layer widths ``sizes``.

    INPUT:

    - ``name`` -- one of :data:`MODELS`, or an activation name (an
      :class:`~sage_conslaws.models.mlp.MLP` with it on every hidden
      layer), or activation names joined by ``+``, one per hidden layer
    - ``sizes`` -- the layer widths from input to output, as a list or a
      string such as ``"3,4,2"``; for ``"nmf"``, the sizes ``n1,r,n3`` of
      `U \in \RR^{n_1 \times r}` and `V \in \RR^{r \times n_3}`; for
      ``"icnn"``, ``inputs,hidden,outputs``; for ``"diagonal"``, ``n,depth``
      (`\beta = w_1 \odot \cdots \odot w_{depth} \in \RR^n`); for ``"lora"``,
      ``inputs,rank,outputs``; for ``"glu"``, ``inputs,hidden,outputs``; for
      ``"map"``, the text of a
      polynomial map, its components separated by ``;``
    - ``bias`` -- (default: ``False``) hidden biases, for models that have them
    - ``rank`` -- (default: ``None``) the number of rank-one terms of ``"cp"``
      (sizes ``n1,n2,n3``), which needs it; no other model takes one

    EXAMPLES::

        sage: from sage_conslaws.models.registry import build_model
        sage: build_model("linear", [2, 3, 2])
        LinearNetwork([2, 3, 2]) with 12 parameters
        sage: build_model("nmf", "2,3,4")
        NMF(2, 3, 4) with 18 parameters
        sage: build_model("icnn", "2,3,1", bias=True)
        ICNN(2, 3, 1, bias=True) with 12 parameters
        sage: build_model("diagonal", "5,3")
        DiagonalNetwork(5, 3) with 15 parameters
        sage: build_model("lora", "16,2,8")
        LoRA(16, 2, 8) with 48 parameters
        sage: build_model("cp", "3,3,3", rank=2)
        CPDecomposition(3, 3, 3, rank=2) with 18 parameters
        sage: build_model("glu", "4,3,2")
        BilinearGLU(4, 3, 2) with 30 parameters
        sage: build_model("map", "u1*v1 + u2*v2;u1*v1")
        PolynomialMap with 4 parameters: [u1*v1 + u2*v2, u1*v1]

    TESTS::

        sage: build_model("cnn", "3,2")
        Traceback (most recent call last):
        ...
        ValueError: unknown model 'cnn'; known models: cp, diagonal, glu, icnn, linear, lora, map, nmf, relu, or an activation (relu, leaky_relu, repuP, powP, linear, swish, P a degree) for an MLP, or one per hidden layer joined by '+' (e.g. relu+repu2)
        sage: build_model("relu+tanh", "3,2,2,1")
        Traceback (most recent call last):
        ...
        ValueError: unknown model 'relu+tanh'; known models: cp, diagonal, glu, icnn, linear, lora, map, nmf, relu, or an activation (relu, leaky_relu, repuP, powP, linear, swish, P a degree) for an MLP, or one per hidden layer joined by '+' (e.g. relu+repu2)
        sage: build_model("relu+repu2", "3,2,1")
        Traceback (most recent call last):
        ...
        ValueError: MLP with widths [3, 2, 1] has 1 hidden layer, got 2 activations
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
        sage: build_model("map", "x;;y")
        Traceback (most recent call last):
        ...
        ValueError: component 2 of the map 'x;;y' is empty
        sage: build_model("map", "x*y", bias=True)
        Traceback (most recent call last):
        ...
        ValueError: model 'map' has no biases
        sage: build_model("cp", "3,3,3")
        Traceback (most recent call last):
        ...
        ValueError: model 'cp' needs the number of rank-one terms (--rank R)
        sage: build_model("relu", "3,3", rank=2)
        Traceback (most recent call last):
        ...
        ValueError: model 'relu' has no rank: --rank is for cp
    """
    if (rank is None) == (name == "cp"):
        raise ValueError("model 'cp' needs the number of rank-one terms (--rank R)" if rank is None
                         else f"model {name!r} has no rank: --rank is for cp")
    if name not in MODELS:
        return MLP(check_widths(sizes), _mlp_activations(name), bias=bias)
    if bias and not MODELS[name]:
        raise ValueError(f"model {name!r} has no biases")
    if name in FIXED_SIZES:
        return _fixed_sizes_model(name, sizes, bias, rank)
    if name == "map":
        return read_map(sizes)
    widths = check_widths(sizes)
    if name == "linear":
        return LinearNetwork(widths)
    return ReLUNetwork(widths, bias=bias)


def _mlp_activations(name):
    r"""
    Return the activations named by ``name`` (joined by ``+``), or raise the unknown-model error.

    TESTS::

        sage: from sage_conslaws.models.registry import _mlp_activations
        sage: _mlp_activations("relu+pow2")
        [ReLU activation, power z^2 activation]
        sage: _mlp_activations("swish")
        Swish (trainable beta) activation
    """
    try:
        names = str(name).split("+")
        activations = [activation(a) for a in names]
    except ValueError:
        raise ValueError(f"unknown model {name!r}; known models: {', '.join(sorted(MODELS))}, "
                         f"or {MLP_NAMES}") from None
    return activations if len(names) > 1 else activations[0]


def _fixed_sizes_model(name, sizes, bias, rank=None):
    r"""
    Return the model of :data:`FIXED_SIZES` called ``name``, of ``sizes`` (that many integers).

    TESTS::

        sage: from sage_conslaws.models.registry import _fixed_sizes_model
        sage: _fixed_sizes_model("icnn", [1, 2, 1], False)
        ICNN(1, 2, 1) with 4 parameters
        sage: _fixed_sizes_model("diagonal", "4,2,1", False)
        Traceback (most recent call last):
        ...
        ValueError: model 'diagonal' takes two sizes n,depth, got '4,2,1'
    """
    given, meaning = sizes, FIXED_SIZES[name]
    count = len(meaning.split(","))
    if isinstance(sizes, str):
        try:
            sizes = [int(w) for w in sizes.split(",")]
        except ValueError:
            sizes = None
    if sizes is None or len(sizes) != count:
        raise ValueError(f"model {name!r} takes {_NUMBERS[count]} sizes {meaning}, "
                         f"got {given!r}")
    if name == "icnn":
        return ICNN(*sizes, bias=bias)
    if name == "cp":
        return CPDecomposition(*sizes, rank)
    return {"nmf": NMF, "diagonal": DiagonalNetwork, "lora": LoRA, "glu": BilinearGLU}[name](*sizes)


_NUMBERS = {2: "two", 3: "three"}
