r"""
The cases of a count: the words of ``sage-conslaws count`` and of a line of a sweep file

The command line (:mod:`~sage_conslaws.interface.cli`) and the sweep files
share one grammar of a case, ``MODEL SIZES [--bias] [--degree K] [--discover]
[--budget SECONDS] [--flow FLOW] [--damping TAU] [--metric METRIC] [--weight-decay
LAMBDA]`` and the options of the models, built
here; :func:`read_cases` reads and checks a whole sweep file. Like the command
line, this module imports no Sage until a file is read.
"""
import argparse
import shlex


def _add_model_arguments(parser, example="3,4,2"):
    parser.add_argument("model", help="a model below, or an activation (an MLP with it on every "
                        "hidden layer: leaky_relu, repu2, pow3, swish, ...), or one per hidden "
                        "layer joined by '+' (e.g. relu+linear)")
    parser.add_argument("sizes", help=f"layer widths from input to output, e.g. {example}; "
                        "for map, the components of the map separated by ';'")
    parser.add_argument("--bias", action="store_true", help="biases on hidden neurons")
    parser.add_argument("--rank", type=_positive_integer("the rank"),
                        help="the number of rank-one terms (cp only)")
    parser.add_argument("--softmax", action="store_true",
                        help="a softmax output layer (linear, relu, lora, attention, resnet)")
    parser.add_argument("--heads", type=_positive_integer("the number of heads"),
                        help="attention heads (default 1)")
    parser.add_argument("--rope", action="store_true", default=None,
                        help="rotary position embeddings on queries and keys (attention)")
    parser.add_argument("--blocks", type=_positive_integer("the number of blocks"),
                        help="the number of residual blocks (resnet)")
    for name, what in (("kernel", "the kernel size"), ("length", "the input length (conv1d)"),
                       ("stride", "the stride (default 1)")):
        parser.add_argument(f"--{name}", type=_positive_integer(what.split(" (")[0]),
                            help=f"{what} of the convolutions")
    parser.add_argument("--size", metavar="H,W", help="the input size of conv2d")
    parser.add_argument("--padding", type=_non_negative_integer("the padding"),
                        help="zeros on each side of the input of each convolution (default 0)")
    parser.add_argument("--activation", help="relu (default) or linear, for conv1d and conv2d")


def model_of(args):
    r"""
    Return the model that parsed arguments (a command's or a line of a sweep file) name.

    EXAMPLES::

        sage: from sage_conslaws.interface.cases import model_of
        sage: from types import SimpleNamespace
        sage: model_of(SimpleNamespace(model="cp", sizes="2,2,2", bias=False, rank=2))
        CPDecomposition(2, 2, 2, rank=2) with 12 parameters
    """
    from sage_conslaws.models.registry import build_model
    options = {name: getattr(args, name, None) for name in MODEL_OPTION_NAMES}
    return build_model(args.model, args.sizes, bias=args.bias,
                       softmax=getattr(args, "softmax", False), **options)


#: The options of the models (:data:`~sage_conslaws.models.registry.MODEL_OPTIONS`).
MODEL_OPTION_NAMES = ("rank", "heads", "rope", "blocks", "kernel", "length", "size", "stride",
                      "padding", "activation")


def count_case(case, seed=0, progress=None):
    r"""
    Return the count of the case ``case`` (parsed arguments of ``count`` or of a line of a sweep file).

    EXAMPLES::

        sage: from sage_conslaws.interface.cases import count_case, parse_case
        sage: count_case(parse_case("relu 2,2,1 --bias")).number_of_laws()
        2
    """
    from sage_conslaws.dynamics import flow_count
    # discover=None and no budget: the defaults of count_conservation_laws
    options = {} if case.budget is None else {"budget": case.budget}
    return flow_count(model_of(case), flow=case.flow,
                      damping=case.damping, metric=case.metric,
                      weight_decay=case.weight_decay, seed=seed,
                      degree=case.degree, discover=case.discover or None, progress=progress,
                      **options)


def check_case(case):
    r"""
    Return the parsed case ``case`` once its model is built and within reach and its flow options are valid; else raise a one-line error.

    What a sweep checks of every line before anything runs.

    EXAMPLES::

        sage: from sage_conslaws.interface.cases import check_case, parse_case
        sage: check_case(parse_case("relu 2,2,1 --flow momentum")).flow
        'momentum'
        sage: check_case(parse_case("relu 2,2,1 --flow adam"))
        Traceback (most recent call last):
        ...
        ValueError: unknown flow 'adam'; known flows: gradient, momentum, nesterov
    """
    from sage_conslaws.dynamics.flows import check_flow_options
    model_of(case).check_within_reach()
    check_flow_options(case.flow, case.damping, case.metric, case.weight_decay)
    return case


def parse_case(line, prog="case"):
    r"""
    Return the parsed arguments of the case ``line`` (the words of one ``count``), or raise a one-line ``ValueError``.

    EXAMPLES::

        sage: from sage_conslaws.interface.cases import parse_case
        sage: c = parse_case("map 'x*y;x' --discover"); c.model, c.sizes, c.discover
        ('map', 'x*y;x', True)
        sage: parse_case("relu 2,2 --colour red")
        Traceback (most recent call last):
        ...
        ValueError: unrecognized arguments: --colour red
    """
    return _case_parser(prog).parse_args(shlex.split(line, comments=True))


def _add_case_options(parser):
    # the options of one count, on the command line and on a line of a sweep file
    parser.add_argument("--degree", metavar="K",
                        type=_positive_integer("the degree of polynomial laws"),
                        help="search polynomial laws of degree <= K at most")
    _add_ladder_options(parser)
    parser.add_argument("--flow", default="gradient", help="a flow below (default: gradient)")
    _add_flow_options(parser)
    parser.add_argument("--weight-decay", metavar="LAMBDA",
                        help="weight decay LAMBDA >= 0 of the gradient or momentum flow, "
                        "Euclidean metric (default: none)")


def _add_ladder_options(parser, scope=""):
    # the options of the certification ladder of count_conservation_laws
    parser.add_argument("--discover", action="store_true",
                        help=f"use no law written by hand: every law is discovered{scope}")
    parser.add_argument("--budget", metavar="SECONDS", type=_seconds("the budget"),
                        help=f"seconds for the exact rungs of the ladder (default 60){scope}")


def _add_flow_options(parser):
    # no argparse 'choices': bad names get the one-line error of the library
    parser.add_argument("--damping", help="constant damping TAU >= 0 of the momentum flow "
                        "(default 0: undamped)")
    parser.add_argument("--metric", help="a metric below (default: the model's)")


def _positive_integer(what):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = 0
        if value < 1:
            raise argparse.ArgumentTypeError(f"{what} must be a positive integer, got {text}")
        return value
    return parse


def _non_negative_integer(what):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = -1
        if value < 0:
            raise argparse.ArgumentTypeError(f"{what} must be a non-negative integer, got {text}")
        return value
    return parse


def positive_amount(what, unit):
    r"""
    Return an argparse type: a positive finite number of ``unit``, or a one-line error naming ``what``.

    EXAMPLES::

        sage: from sage_conslaws.interface.cases import positive_amount
        sage: positive_amount("the case memory", "GB")("1.5")
        1.5
        sage: positive_amount("the case memory", "GB")("0")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: the case memory must be a positive number of GB, got 0
    """
    def parse(text):
        try:
            value = float(text)
        except ValueError:
            value = 0.0
        if not 0 < value < float("inf"):
            raise argparse.ArgumentTypeError(f"{what} must be a positive number of {unit}, "
                                             f"got {text}")
        return value
    return parse


def _seconds(what):
    # 0 is a budget: no exact rung beyond the closure (the count is then verified at random points)
    def parse(text):
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not 0 <= value < float("inf"):
            raise argparse.ArgumentTypeError(f"{what} must be a non-negative number of seconds, "
                                             f"got {text}")
        return value
    return parse


def _case_parser(prog):
    parser = argparse.ArgumentParser(prog=prog, add_help=False)
    _add_model_arguments(parser)
    _add_case_options(parser)
    parser.error = _raise_value_error
    return parser


def _raise_value_error(message):
    raise ValueError(message)


def read_cases(path):
    r"""
    Return the ``(line, parsed arguments)`` of the cases of the sweep file ``path``, all checked.

    A case is the arguments of one ``count`` (``MODEL SIZES`` and the options
    ``--bias``, ``--degree``, ``--discover``, ``--budget``, ``--flow``,
    ``--damping``, ``--metric``), split as a shell does (``shlex.split``):
    the text of a map is quoted, as in ``map 'x*y*z;x+y'``. Blank
    lines, comment lines and the ``# comment`` that ends a line are skipped, and
    so is a UTF-8 byte order mark. Every option of every line is checked (the
    model is built, the flow options and the degree are checked) before
    anything runs; an error names the file and the line, as ``FILE:LINE: ...``.

    EXAMPLES::

        sage: import os, tempfile
        sage: from sage_conslaws.interface.cases import read_cases
        sage: path = os.path.join(tempfile.mkdtemp(), "cases.txt")
        sage: with open(path, "w", encoding="utf-8-sig") as f:
        ....:     _ = f.write("# two cases\nlinear 1,2,1\n\nrelu 2,2,1 --bias --degree 2  # ReLU\n")
        sage: [(line, case.model, case.bias, case.degree) for line, case in read_cases(path)]
        [('linear 1,2,1', 'linear', False, None), ('relu 2,2,1 --bias --degree 2', 'relu', True, 2)]
        sage: with open(path, "w") as f:
        ....:     _ = f.write("map 'x*y*z; x+y' --discover --budget 5  # quoted: one argument\n")
        sage: [(line, case.sizes, case.discover, case.budget) for line, case in read_cases(path)]
        [("map 'x*y*z; x+y' --discover --budget 5", 'x*y*z; x+y', True, 5.0)]

    TESTS::

        sage: with open(path, "w") as f:
        ....:     _ = f.write("linear 1,2,1\nlinear 2,2 --degree 0\n")
        sage: read_cases(path)
        Traceback (most recent call last):
        ...
        ValueError: ...cases.txt:2: argument --degree: the degree of polynomial laws must be a positive integer, got 0
        sage: with open(path, "w") as f:
        ....:     _ = f.write("map 'x;;y'\n")
        sage: read_cases(path)
        Traceback (most recent call last):
        ...
        ValueError: ...cases.txt:1: component 2 of the map 'x;;y' is empty
    """
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror}") from None
    parser = _case_parser(prog=f"{path} line")
    cases = []
    for number, raw in enumerate(data.splitlines(), 1):
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            words = shlex.split(text, comments=True)
            if not words:
                continue
            case = check_case(parser.parse_args(words))
        except UnicodeDecodeError:
            raise ValueError(f"{path}:{number}: not UTF-8 text") from None
        except (ValueError, TypeError) as error:
            raise ValueError(f"{path}:{number}: {error}") from None
        cases.append((" ".join(shlex.quote(word) for word in words), case))
    if not cases:
        raise ValueError(f"{path} has no case to run")
    return cases
