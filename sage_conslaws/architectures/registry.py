r"""
Architectures by name, as the command line names them

EXAMPLES::

    sage: from sage_conslaws.architectures.registry import build_model, MODELS
    sage: sorted(MODELS)
    ['linear', 'relu']
    sage: build_model("relu", "3,4,2", bias=True)
    ReLUNetwork([3, 4, 2], bias=True) with 24 parameters
"""
from .linear import LinearNetwork
from .relu import ReLUNetwork
from .widths import check_widths

#: The models the command line knows, with whether they accept hidden biases.
MODELS = {"linear": False, "relu": True}


def build_model(name, sizes, bias=False):
    r"""
    Return the model called ``name`` with layer widths ``sizes``.

    INPUT:

    - ``name`` -- one of :data:`MODELS`
    - ``sizes`` -- the layer widths from input to output, as a list or a
      string such as ``"3,4,2"``
    - ``bias`` -- (default: ``False``) hidden biases, for models that have them

    EXAMPLES::

        sage: from sage_conslaws.architectures.registry import build_model
        sage: build_model("linear", [2, 3, 2])
        LinearNetwork([2, 3, 2]) with 12 parameters

    TESTS::

        sage: build_model("cnn", "3,2")
        Traceback (most recent call last):
        ...
        ValueError: unknown model 'cnn'; known models: linear, relu
        sage: build_model("linear", "3,2", bias=True)
        Traceback (most recent call last):
        ...
        ValueError: model 'linear' has no biases
    """
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; known models: {', '.join(sorted(MODELS))}")
    if bias and not MODELS[name]:
        raise ValueError(f"model {name!r} has no biases")
    widths = check_widths(sizes)
    if name == "linear":
        return LinearNetwork(widths)
    return ReLUNetwork(widths, bias=bias)
