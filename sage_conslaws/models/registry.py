r"""
Architectures by name, as the command line names them

EXAMPLES::

    sage: from sage_conslaws.models.registry import build_model, MODELS
    sage: sorted(MODELS)
    ['attention', 'conv1d', 'conv2d', 'cp', 'diagonal', 'gelu', 'glu', 'icnn', 'linear', 'lora',
     'map', 'nmf', 'relu', 'resnet', 'silu', 'swiglu']
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
from sage_conslaws.models.attention import Attention
from sage_conslaws.models.conv import ConvNetwork
from sage_conslaws.models.cp import CPDecomposition
from sage_conslaws.models.diagonal import DiagonalNetwork
from sage_conslaws.models.feedforward import UNITS, FeedForward
from sage_conslaws.models.glu import BilinearGLU
from sage_conslaws.models.icnn import ICNN
from sage_conslaws.models.linear import LinearNetwork
from sage_conslaws.models.lora import LoRA
from sage_conslaws.models.mlp import MLP
from sage_conslaws.models.nmf import NMF
from sage_conslaws.models.polynomial_map import read_map
from sage_conslaws.models.relu import ReLUNetwork
from sage_conslaws.models.resnet import ResNet
from sage_conslaws.models.softmax import SoftmaxOutput
from sage_conslaws.models.widths import check_widths

#: The models the command line knows, with whether they accept hidden biases.
MODELS = {"linear": False, "relu": True, "nmf": False, "icnn": True, "diagonal": False,
          "lora": False, "cp": False, "glu": False, "attention": False, "resnet": True,
          "conv1d": True, "conv2d": True, "swiglu": False, "gelu": False, "silu": False,
          "map": False}

#: What else a model name may be: activations, for an :class:`~sage_conslaws.models.mlp.MLP`.
MLP_NAMES = (f"an activation ({', '.join(ACTIVATION_NAMES)}, P a degree) for an MLP, "
             "or one per hidden layer joined by '+' (e.g. relu+repu2)")

#: The models given by a fixed number of sizes, with the meaning of the sizes.
FIXED_SIZES = {"nmf": "n1,r,n3", "icnn": "inputs,hidden,outputs", "diagonal": "n,depth",
               "lora": "inputs,rank,outputs", "cp": "n1,n2,n3", "glu": "inputs,hidden,outputs",
               "attention": "d,dk,dv,dout", "resnet": "width,hidden",
               "swiglu": "inputs,hidden,outputs", "gelu": "inputs,hidden,outputs",
               "silu": "inputs,hidden,outputs"}

#: The options of the models that take some, each with whether it is required (its
#: command-line form is ``--name``); ``softmax`` is for the models of :data:`SOFTMAX_MODELS`.
MODEL_OPTIONS = {
    "cp": {"rank": True},
    "attention": {"heads": False, "rope": False},
    "resnet": {"blocks": True},
    "conv1d": {"kernel": True, "length": True, "stride": False, "padding": False,
               "activation": False},
    "conv2d": {"kernel": True, "size": True, "stride": False, "padding": False,
               "activation": False},
}

#: The models whose last layer is linear, which take a softmax output layer (``--softmax``).
SOFTMAX_MODELS = ("linear", "relu", "lora", "attention", "resnet")


def build_model(name, sizes, bias=False, softmax=False, **options):
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
      ``"attention"``, ``d,dk,dv,dout``; for ``"resnet"``, ``width,hidden``;
      for ``"conv1d"`` and ``"conv2d"``, the channels from input to output
    - ``bias`` -- (default: ``False``) hidden biases, for models that have them
    - ``softmax`` -- (default: ``False``) a softmax output layer
      (:class:`~sage_conslaws.models.softmax.SoftmaxOutput`), for the models
      of :data:`SOFTMAX_MODELS`
    - ``options`` -- the options of :data:`MODEL_OPTIONS` (``None`` is not
      given): ``rank`` of ``"cp"`` (the number of rank-one terms);
      ``heads``, ``rope`` of ``"attention"``; ``blocks`` of ``"resnet"``;
      ``kernel``, ``length`` (``conv1d``) or ``size`` (``conv2d``, as
      ``"H,W"``), ``stride``, ``padding``, ``activation`` (``"relu"`` or
      ``"linear"``) of the convolutional networks

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
        sage: build_model("attention", "3,2,2,2", heads=2, rope=True)
        Attention(3, 2, 2, 2, heads=2, rope=True) with 44 parameters
        sage: build_model("resnet", "2,3", blocks=2, bias=True)
        ResNet(2, 3, blocks=2, bias=True) with 30 parameters
        sage: build_model("conv1d", "1,2,1", kernel=2, length=5, stride=None)
        ConvNetwork([1, 2, 1], kernel=2, size=5) with 8 parameters
        sage: build_model("conv2d", "1,2,1", kernel=2, size="4,4", activation="linear")
        ConvNetwork([1, 2, 1], kernel=2, size=(4, 4), activation='linear') with 16 parameters
        sage: build_model("relu", "3,4,2", softmax=True)
        SoftmaxOutput(ReLUNetwork([3, 4, 2])) with 20 parameters

    TESTS::

        sage: build_model("cnn", "3,2")
        Traceback (most recent call last):
        ...
        ValueError: unknown model 'cnn'; known models: attention, conv1d, conv2d, cp, diagonal, gelu, glu, icnn, linear, lora, map, nmf, relu, resnet, silu, swiglu, or an activation (relu, leaky_relu, repuP, powP, linear, swish, P a degree) for an MLP, or one per hidden layer joined by '+' (e.g. relu+repu2)
        sage: build_model("relu+tanh", "3,2,2,1")
        Traceback (most recent call last):
        ...
        ValueError: unknown model 'relu+tanh'; known models: attention, conv1d, conv2d, cp, diagonal, gelu, glu, icnn, linear, lora, map, nmf, relu, resnet, silu, swiglu, or an activation (relu, leaky_relu, repuP, powP, linear, swish, P a degree) for an MLP, or one per hidden layer joined by '+' (e.g. relu+repu2)
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
        ValueError: model 'relu' has no option --rank (it is for cp)
        sage: build_model("resnet", "3,3")
        Traceback (most recent call last):
        ...
        ValueError: model 'resnet' needs --blocks
        sage: build_model("conv2d", "1,2,1", kernel=2, size="4")
        Traceback (most recent call last):
        ...
        ValueError: the input size of conv2d is H,W, got '4'
        sage: build_model("nmf", "2,2,2", softmax=True)
        Traceback (most recent call last):
        ...
        ValueError: model 'nmf' has no linear last layer for --softmax (it is for linear, relu, lora, attention, resnet)
    """
    if softmax and name not in SOFTMAX_MODELS:
        raise ValueError(f"model {name!r} has no linear last layer for --softmax "
                         f"(it is for {', '.join(SOFTMAX_MODELS)})")
    model = _model(name, sizes, bias, _check_options(name, options))
    return SoftmaxOutput(model) if softmax else model


def _check_options(name, options):
    r"""
    Return the options given (not ``None``) if ``name`` takes them all and they include its required ones.

    TESTS::

        sage: from sage_conslaws.models.registry import _check_options
        sage: _check_options("attention", {"heads": 2, "rope": None, "blocks": None})
        {'heads': 2}
        sage: _check_options("cp", {})
        Traceback (most recent call last):
        ...
        ValueError: model 'cp' needs the number of rank-one terms (--rank R)
    """
    given = {key: value for key, value in options.items() if value is not None}
    known = MODEL_OPTIONS.get(name, {})
    for key in given:
        if key not in known:
            owners = [model for model in MODEL_OPTIONS if key in MODEL_OPTIONS[model]]
            raise ValueError(f"model {name!r} has no option --{key}"
                             + (f" (it is for {', '.join(owners)})" if owners else ""))
    for key, required in known.items():
        if required and key not in given:
            raise ValueError("model 'cp' needs the number of rank-one terms (--rank R)"
                             if key == "rank" else f"model {name!r} needs --{key}")
    return given


def _model(name, sizes, bias, options):
    # the model called name, its options checked
    if name not in MODELS:
        return MLP(check_widths(sizes), _mlp_activations(name), bias=bias)
    if bias and not MODELS[name]:
        raise ValueError(f"model {name!r} has no biases")
    if name in FIXED_SIZES:
        return _fixed_sizes_model(name, sizes, bias, options)
    if name in ("conv1d", "conv2d"):
        return _conv_model(name, sizes, bias, options)
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


def _conv_model(name, sizes, bias, options):
    r"""
    Return the convolutional network ``name`` (``conv1d`` or ``conv2d``) with channels ``sizes``.

    TESTS::

        sage: from sage_conslaws.models.registry import _conv_model
        sage: _conv_model("conv1d", "2,3,1", True, {"kernel": 3, "length": 6, "padding": 1})
        ConvNetwork([2, 3, 1], kernel=3, size=6, padding=1, bias=True) with 30 parameters
    """
    options = dict(options)
    if name == "conv2d":
        text = options.pop("size")
        try:
            size = tuple(int(n) for n in str(text).split(","))
        except ValueError:
            size = ()
        if len(size) != 2:
            raise ValueError(f"the input size of conv2d is H,W, got {text!r}")
    else:
        size = options.pop("length")
    return ConvNetwork(check_widths(sizes), size=size, bias=bias, **options)


def _fixed_sizes_model(name, sizes, bias, options=None):
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
    options = options or {}
    if name == "icnn":
        return ICNN(*sizes, bias=bias)
    if name == "resnet":
        return ResNet(*sizes, bias=bias, **options)
    if name in UNITS:
        return FeedForward(*sizes, name)
    if name in ("cp", "attention"):
        return {"cp": CPDecomposition, "attention": Attention}[name](*sizes, **options)
    return {"nmf": NMF, "diagonal": DiagonalNetwork, "lora": LoRA, "glu": BilinearGLU}[name](*sizes)


_NUMBERS = {2: "two", 3: "three", 4: "four"}
