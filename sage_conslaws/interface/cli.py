r"""
The command line ``sage-conslaws``

A thin layer over the Python API: it parses the arguments, calls
:func:`~sage_conslaws.dynamics.flows.flow_count` (itself over
:func:`~sage_conslaws.laws.count.count_conservation_laws`),
:func:`~sage_conslaws.dynamics.compare.compare_flows`,
:func:`~sage_conslaws.training.simulate.simulate` or
:func:`~sage_conslaws.interface.report.symmetry_report`, and prints the result's own
report (``.report()``) or JSON object (``.as_dict()``, see
:mod:`sage_conslaws.interface.report`):

- ``sage-conslaws count MODEL SIZES [--bias] [--degree K] [--discover]
  [--budget SECONDS] [--flow FLOW] [--damping TAU] [--metric METRIC]
  [--weight-decay LAMBDA] [--softmax] [model options] [--json]``
  counts the conservation laws of one architecture, e.g. ``sage-conslaws count
  relu 3,4,2 --bias`` (3 inputs, 4 hidden ReLU units with biases, 2 outputs),
  or of a polynomial map, e.g. ``sage-conslaws count map 'x*y*z;x+y'`` (its
  components separated by ``;``, read by
  :func:`~sage_conslaws.models.polynomial_map.read_map`), for the gradient
  flow (default), the momentum flow with constant damping ``TAU`` (default 0,
  undamped) or the Nesterov flow, under the Euclidean or the entropic (mirror)
  metric (default: the model's own, see :mod:`sage_conslaws.dynamics`);
  ``--discover`` uses no law written by hand (discovery mode of
  :func:`~sage_conslaws.laws.count.count_conservation_laws`), ``--budget`` gives
  the seconds of the exact rungs of its ladder; ``--weight-decay`` adds
  `-\lambda\theta` to the flow (:mod:`~sage_conslaws.dynamics.weight_decay`);
  ``--softmax`` puts a softmax output layer on a network whose last layer is
  linear; the model options are ``--rank`` (cp), ``--heads`` and ``--rope``
  (attention), ``--blocks`` (resnet), ``--kernel``, ``--length`` (conv1d) or
  ``--size H,W`` (conv2d), ``--stride``, ``--padding`` and ``--activation``
  (convolutions);
- ``sage-conslaws compare MODEL SIZES [--bias] [--flow FLOW] [--damping TAU]
  [--metric METRIC] [--json]`` prints the conservation-loss report of
  :func:`~sage_conslaws.dynamics.compare.compare_flows`: the laws of the
  gradient flow and of the momentum flow (``FLOW`` is ``momentum``, the
  default, or ``nesterov``) side by side, which gradient-flow laws survive
  and which momentum laws appear;
- ``sage-conslaws sweep FILE [--discover] [--budget SECONDS] [--json]``
  checks every line of ``FILE`` (the arguments of one ``count`` each), then
  runs them in one process, with a progress bar on standard error, and prints
  one result per line (the kind of its certificate and the rung that gave
  it) and the totals of each kind; a case refused while it runs is reported
  on its line, the others still run, and the exit status is 2;
- ``sage-conslaws simulate MODEL SIZES [--bias] --optimizer OPT --lr LR
  [--momentum B] [--steps N] [--seed S] [--data NAME] [--plot FILE.png]
  [--proof-seconds S] [--json]`` trains the model on a data set bundled with scikit-learn
  (default ``iris``; ``digits`` for NMF) with one of :data:`OPTIMIZER_HELP`
  and reports how far every conservation law of the flow drifts (see
  :mod:`sage_conslaws.training`; it needs the extra ``[simulate]``); a
  diverged run is an error and writes no plot;
- ``sage-conslaws symmetries MODEL SIZES [--bias] [--dynamics NAME] [--json]``
  prints the Lie algebra of the linear symmetries of the model
  (:func:`~sage_conslaws.symmetries.solve.linear_symmetries`) and the Noether law
  or identity of each generator under the dynamics ``NAME`` (default
  ``gradient``; see :func:`~sage_conslaws.dynamics.equations.dynamics`).

Each command imports what it needs when it runs: ``sage-conslaws --help``
and ``sage-conslaws --version`` do not start Sage.

Errors are reported in one line on standard error: exit status 2 for wrong
input, 1 when the output cannot be written (a full disk). An interruption
(Ctrl-C) stops with the line ``sage-conslaws: interrupted`` and exit status
130; a closed pipe (``sage-conslaws ... | head -1``) ends quietly with
status 141, as a program killed by ``SIGPIPE``.

EXAMPLES::

    sage: import json
    sage: from sage_conslaws.interface.cli import main
    sage: main(["count", "relu", "2,2,1", "--json", "--quiet"])
    {"model": "ReLUNetwork([2, 2, 1]) with 6 parameters", "parameters": 6, "lie_dimension": 4, "laws": 2, ...}
    0
    sage: main(["--version"])
    sage-conslaws 0.1.0
    0
"""
import argparse
import contextlib
import os
import signal
import sys

from sage_conslaws import __version__
from sage_conslaws.dynamics import ode
from sage_conslaws.interface.cases import (_add_case_options, _add_flow_options, model_of,
                                           _positive_integer, _add_ladder_options,
                                           _add_model_arguments, read_cases)
from sage_conslaws.interface.study_commands import (add_study_options, run_report, run_study,
                                                    sweep_lines)

# The names of the options, each with one phrase for --help. Those of the dynamics and of
# the optimizers are read from their registry, which imports no Sage; the others are
# written here, so that --help does not import Sage. tests/test_cli.py checks that they are
# the library's names.

#: The models of :data:`~sage_conslaws.models.registry.MODELS`.
MODEL_HELP = {
    "linear": "deep linear network",
    "relu": "deep ReLU network (biases with --bias)",
    "nmf": "non-negative matrix factorization UV, sizes n1,r,n3",
    "icnn": "two-layer input-convex network, sizes inputs,hidden,outputs",
    "diagonal": "diagonal linear network w1 * ... * wL (entrywise) in R^n, sizes n,depth",
    "lora": "low-rank adapter W0 + BA (A, B trained), sizes inputs,rank,outputs",
    "cp": "order-3 CP tensor factorization, sizes n1,n2,n3, with --rank R",
    "glu": "bilinear gated unit A((Bx) * (Cx)), sizes inputs,hidden,outputs",
    "attention": "attention softmax(X Q^T K X^T) X V^T O^T, sizes d,dk,dv,dout "
                 "[--heads H] [--rope]",
    "resnet": "ReLU residual blocks x + U relu(V x + b), sizes width,hidden, with --blocks B",
    "conv1d": "1-D convolutional network, channels c0,c1,...,cL, with --kernel K --length L "
              "[--stride S] [--padding P] [--activation relu|linear]",
    "conv2d": "2-D convolutional network, channels c0,c1,...,cL, with --kernel K --size H,W "
              "[--stride S] [--padding P] [--activation relu|linear]",
    "swiglu": "SwiGLU unit A(swish(Bx) * (Cx)), sizes inputs,hidden,outputs (symmetries only: "
              "no polynomial phi, no proven count)",
    "gelu": "GELU unit A gelu(Bx), sizes inputs,hidden,outputs (symmetries only)",
    "silu": "SiLU unit A silu(Bx), sizes inputs,hidden,outputs (symmetries only)",
    "map": "a polynomial map: its components separated by ';', e.g. map 'x*y*z;x+y'",
}


def _noted(texts, *notes):
    # the phrase of each name, with the command line's notes on it (aliases, default, option)
    noted = {}
    for name, text in texts.items():
        said = [note[name] for note in notes if name in note]
        noted[name] = f"{text} ({'; '.join(said)})" if said else text
    return noted


#: The flows of :data:`~sage_conslaws.dynamics.ode.FLOWS` (``count --flow``).
FLOW_HELP = _noted({flow: ode.resolve(flow).summary() for flow in ode.FLOWS},
                   {"gradient": "the default", "momentum": "--damping TAU, default 0: undamped"})

#: The metrics of :data:`~sage_conslaws.fields.metrics.METRICS`.
METRIC_HELP = {
    "euclidean": "the Euclidean metric, the default but for nmf and icnn",
    "entropic": "the mirror geometry of the entropy, the default of nmf and icnn",
}

#: The optimizers of :data:`~sage_conslaws.dynamics.ode.OPTIMIZERS` (``simulate --optimizer``).
OPTIMIZER_HELP = _noted({name: method.description for name, method in ode.OPTIMIZERS.items()},
                        {"gd": "the default"},
                        {name: "--momentum, default 0.9" for name in ode.METHODS})

#: The data sets of :data:`~sage_conslaws.training.datasets.DATASETS` (``simulate --data``).
DATA_HELP = {
    "iris": "4 inputs, 3 classes, the default",
    "wine": "13 inputs, 3 classes",
    "breast_cancer": "30 inputs, 2 classes",
    "digits": "64 inputs, 10 classes, the default of nmf",
}

#: The named dynamics of :func:`~sage_conslaws.dynamics.equations.dynamics` (``symmetries --dynamics``).
DYNAMICS_HELP = _noted({name: entry.summary() for name, entry in ode.NAMED_DYNAMICS.items()},
                       {name: f"also {', '.join(entry.aliases)}"
                        for name, entry in ode.NAMED_DYNAMICS.items() if entry.aliases},
                       {"gradient": "the default"})

#: The modules of the extra ``[simulate]`` that ``simulate`` imports (with ``--plot``: matplotlib too).
SIMULATE_MODULES = {"numpy": "numpy", "sklearn": "scikit-learn"}

#: The exit status of a program killed by ``SIGPIPE`` (its output pipe was closed).
BROKEN_PIPE = 128 + getattr(signal, "SIGPIPE", 13)


class UsageError(ValueError):
    r"""
    Wrong arguments on the command line: reported in one line, with exit status 2.

    EXAMPLES::

        sage: from sage_conslaws.interface.cli import main
        sage: main(["count", "relu"])
        sage-conslaws: error: the following arguments are required: sizes (see: sage-conslaws count --help)
        2
    """


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # one line for a wrong argument, as for every other error of the command line
        raise UsageError(f"{message} (see: {self.prog} --help)")

    def _print_message(self, message, file=None):
        # argparse ignores the errors of writing --help: a full disk must be reported
        if message:
            _write(file or sys.stderr, message)


def _glossary(title, table):
    width = max(len(name) for name in table) + 2
    return "\n".join([title] + [f"  {name:<{width}}{text}" for name, text in table.items()])


def _parser():
    parser = _Parser(
        prog="sage-conslaws",
        description="Exact, certified conservation laws of the training dynamics of neural "
                    "networks.",
        epilog="\n\n".join([_glossary("flows of count and compare (--flow):", FLOW_HELP),
                            _glossary("optimizers of simulate (--optimizer):", OPTIMIZER_HELP),
                            "'sage-conslaws COMMAND --help' gives the options of a command."]),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"sage-conslaws {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name, summary, *glossaries):
        return commands.add_parser(name, help=summary, description=summary,
                                   epilog="\n\n".join(_glossary(*g) for g in glossaries),
                                   formatter_class=argparse.RawDescriptionHelpFormatter)

    count = command("count", "count the conservation laws of one architecture",
                    ("models:", MODEL_HELP), ("flows (--flow):", FLOW_HELP),
                    ("metrics (--metric):", METRIC_HELP))
    _add_model_arguments(count)
    _add_case_options(count)
    _add_output_options(count)

    compare = command("compare", "compare the laws of the gradient flow and of a momentum flow",
                      ("models:", MODEL_HELP),
                      ("momentum flows (--flow):", {k: FLOW_HELP[k] for k in FLOW_HELP
                                                    if k != "gradient"}),
                      ("metrics (--metric):", METRIC_HELP))
    _add_model_arguments(compare)
    compare.add_argument("--flow", default="momentum", help="momentum (default) or nesterov")
    _add_flow_options(compare)
    _add_output_options(compare)

    sweep = command("sweep", "check, then run, every line of a file of 'count' arguments")
    sweep.add_argument("file", help="a file with the arguments of one 'count' per line, e.g. "
                       "'relu 3,4,2 --bias --degree 2' or \"map 'x*y*z;x+y'\"; blank lines "
                       "and '# comments' are skipped")
    _add_ladder_options(sweep, scope=" (for every case)")
    add_study_options(sweep)
    _add_output_options(sweep, json_help="one JSON object per case, then the totals")

    study = command("study", "generate a study of random architectures with a fixed seed: "
                    "write its case file (--output) or run it")
    study.add_argument("model", help="a model of 'count'")
    study.add_argument("--depth", default="2", metavar="A..B",
                       help="layers of weights, for models given by their widths (default 2)")
    study.add_argument("--widths", default="2..4", metavar="A..B",
                       help="the range of each width or size (default 2..4)")
    study.add_argument("--random", default=50, metavar="N",
                       type=_positive_integer("the number of cases"),
                       help="the number of cases (default 50)")
    study.add_argument("--options", default="", metavar="'OPTIONS'",
                       help="options of 'count' appended to every case, written with '=', e.g. "
                       "--options='--bias --flow momentum'")
    study.add_argument("--output", metavar="FILE", help="write the case file instead of running it")
    _add_ladder_options(study, scope=" (for every case)")
    add_study_options(study)
    _add_output_options(study, json_help="one JSON object per case, then the totals")

    report = command("report", "the totals, slowest cases and figures of a results store")
    report.add_argument("store", help="a results store written by 'sweep --store'")
    report.add_argument("--plot", metavar="FILE.png", help="write the figure of the study")
    report.add_argument("--csv", metavar="FILE.csv", help="write one row per case")
    report.add_argument("--json", action="store_true", help="print one JSON object")

    simulate = command("simulate",
                       "train a model on a bundled data set and measure the drift of its laws "
                       "(needs the extra [simulate])",
                       ("models:", MODEL_HELP), ("optimizers (--optimizer):", OPTIMIZER_HELP),
                       ("data sets (--data):", DATA_HELP))
    _add_simulate_arguments(simulate)

    symmetries = command("symmetries", "the linear symmetries of a model and their Noether laws",
                         ("models:", MODEL_HELP), ("dynamics (--dynamics):", DYNAMICS_HELP))
    _add_model_arguments(symmetries)
    symmetries.add_argument("--dynamics", default="gradient",
                            help="the dynamics of the Noether laws (default: gradient)")
    symmetries.add_argument("--cross-check", metavar="FLOW",
                            help="also compare with the engine's exact count of the laws of "
                            "FLOW (gradient, momentum or nesterov): which laws come from "
                            "symmetries")
    symmetries.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def _add_output_options(parser, json_help="print one JSON object"):
    parser.add_argument("--json", action="store_true", help=json_help)
    parser.add_argument("--seed", type=int, default=0, help="seed of the random choices")
    parser.add_argument("--quiet", action="store_true", help="no progress on standard error")


def _add_simulate_arguments(parser):
    # numbers stay strings here: bad values get the one-line error of the library
    _add_model_arguments(parser, example="4,8,3 for iris")
    parser.add_argument("--optimizer", default="gd", help="an optimizer below (default: gd)")
    parser.add_argument("--lr", required=True, help="the step size")
    parser.add_argument("--momentum", help="the momentum of hb and nag (default 0.9)")
    parser.add_argument("--steps", default="1000", help="the number of steps (default 1000)")
    parser.add_argument("--seed", default="0", help="the seed of the initialization")
    parser.add_argument("--data", help="a data set below (default: iris; digits for nmf)")
    parser.add_argument("--plot", help="write the figure of the run to this PNG file")
    parser.add_argument("--proof-seconds", default=None,
                        help="seconds for the exact count of the laws before training (default "
                             "10; 0: track the known laws without it)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress on standard error")


def _progress(args):
    from sage_conslaws.interface.progress import Progress
    return Progress(enabled=not args.quiet and sys.stderr.isatty())


def _output(result, as_json):
    from sage_conslaws.interface.report import json_line
    return json_line(result.as_dict()) if as_json else result.report()


def run_count(args):
    r"""
    Run ``sage-conslaws count`` with parsed arguments ``args``; yield the lines to print.

    EXAMPLES::

        sage: from sage_conslaws.interface.cli import main
        sage: main(["count", "linear", "1,2,1", "--quiet"])  # random, the time varies
        LinearNetwork([1, 2, 1]) with 4 parameters
          dim Lie(W)            : 1
        ...
        0
    """
    from sage_conslaws.interface.cases import count_case
    yield _output(count_case(args, args.seed, _progress(args)), args.json)


def run_compare(args):
    r"""
    Run ``sage-conslaws compare`` with parsed arguments ``args``; yield the lines to print.

    EXAMPLES::

        sage: import io, json
        sage: from sage_conslaws.interface.cli import main
        sage: out = io.StringIO()
        sage: main(["compare", "nmf", "2,2,2", "--json"], out)
        0
        sage: d = json.loads(out.getvalue())
        sage: d["gradient"]["laws"], d["momentum"]["laws"], d["surviving_laws"], d["certified"]
        (2, 0, [], True)
    """
    from sage_conslaws.dynamics import compare_flows
    model = model_of(args)
    yield _output(compare_flows(model, damping=args.damping, metric=args.metric, flow=args.flow,
                                seed=args.seed, progress=_progress(args)), args.json)


def run_sweep(args):
    r"""
    Run ``sage-conslaws sweep`` with parsed arguments ``args``; yield the lines to print.

    Every line of the file is parsed and checked
    (:func:`~sage_conslaws.interface.cases.read_cases`) before
    the first case runs. ``--discover`` and ``--budget`` apply to every case
    (a ``--budget`` on a line is that line's). A case refused while it runs
    (a ``ValueError``) is reported on its line and the others still run;
    after the totals, one error line says how many were refused.

    EXAMPLES::

        sage: import tempfile
        sage: from sage_conslaws.interface.cli import main
        sage: with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        ....:     _ = f.write("linear 1,2,1\nrelu 2,2,1 --bias  # one law per hidden neuron\n"
        ....:                 "map 'x*y*z;x+y'\n")
        sage: main(["sweep", f.name, "--quiet"])  # random, the times vary
        linear 1,2,1       D=4    dim Lie=1    laws=3    proven: known laws                   0.01 s
        relu 2,2,1 --bias  D=8    dim Lie=6    laws=2    proven: known laws                   0.01 s
        map 'x*y*z;x+y'    D=3    dim Lie=3    laws=0    proven: rank D                       0.01 s
        3 cases: 3 proven, 0 probabilistic, 0 not verified; 5 laws in all, 0.03 s
        0
        sage: main(["sweep", f.name, "--quiet", "--discover"])  # random, the times vary
        linear 1,2,1       D=4    dim Lie=1    laws=3    proven: discovered                   0.01 s
        relu 2,2,1 --bias  D=8    dim Lie=6    laws=2    proven: discovered                   0.01 s
        map 'x*y*z;x+y'    D=3    dim Lie=3    laws=0    proven: rank D                       0.01 s
        3 cases: 3 proven, 0 probabilistic, 0 not verified; 5 laws in all, 0.03 s
        0
    """
    yield from sweep_lines([line for line, _ in read_cases(args.file)], args)


def run_simulate(args):
    r"""
    Run ``sage-conslaws simulate`` with parsed arguments ``args``; yield the lines to print.

    EXAMPLES::

        sage: import io, json
        sage: from sage_conslaws.interface.cli import main
        sage: out = io.StringIO()
        sage: argv = ["simulate", "relu", "4,3,3", "--lr", "0.05", "--steps", "20", "--json"]
        sage: main(argv, out)
        0
        sage: d = json.loads(out.getvalue())
        sage: d["optimizer"], d["steps"], d["data"], d["laws_certified"], len(d["drift"])
        ('gd', 20, 'iris', True, 3)

    TESTS::

        sage: main(argv[:-1] + ["--steps", "ten"])
        sage-conslaws: error: the number of steps must be a positive integer, got 'ten'
        2
        sage: main(argv[:-1] + ["--proof-seconds", "soon"])
        sage-conslaws: error: the seconds of the proof must be a non-negative number, got 'soon'
        2
        sage: main(argv[:-1] + ["--proof-seconds", "-3"])
        sage-conslaws: error: the seconds of the proof must be a non-negative number or None, got -3.0
        2
    """
    _require_simulate_extra(plot=args.plot is not None)
    from sage_conslaws.training import simulate
    from sage_conslaws.training.plots import check_figure_path, plot_run
    if args.plot:
        check_figure_path(args.plot)
    model = model_of(args)
    run = simulate(model, args.optimizer, lr=args.lr, momentum=args.momentum,
                   steps=_integer(args.steps, "the number of steps must be a positive integer"),
                   seed=_integer(args.seed, "the seed must be an integer"), data=args.data,
                   progress=not args.quiet and sys.stderr.isatty(),
                   proof_seconds=_seconds(args.proof_seconds))
    if args.plot:
        plot_run(run, args.plot)
    yield _output(run, args.json)


def _require_simulate_extra(plot):
    r"""
    Raise a one-line ``ValueError`` naming the extra ``[simulate]`` if a module it installs is missing.

    Checked before the run, so that a missing matplotlib does not cost the run.
    """
    import importlib
    modules = dict(SIMULATE_MODULES, **({"matplotlib": "matplotlib"} if plot else {}))
    missing = []
    for module, package in modules.items():
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(package)
    if missing:
        raise ValueError(f"simulate needs {' and '.join(missing)}, from the extra [simulate]: "
                         "pip install 'sage-conslaws[simulate]'")


def run_symmetries(args):
    r"""
    Run ``sage-conslaws symmetries`` with parsed arguments ``args``; yield the lines to print.

    EXAMPLES::

        sage: import io, json
        sage: from sage_conslaws.interface.cli import main
        sage: out = io.StringIO()
        sage: main(["symmetries", "linear", "1,2,1", "--json"], out)
        0
        sage: d = json.loads(out.getvalue())
        sage: d["dimension"], d["symmetric_dimension"], d["skew_dimension"], len(d["laws"])
        (6, 4, 2, 6)
        sage: main(["symmetries", "relu", "1,1,1", "--dynamics", "NAGF"])
        ReLUNetwork([1, 1, 1]) with 2 parameters
          linear symmetries     : dimension 1 (symmetric 1, skew 0)
          derived algebra       : dimension 0 (abelian)
          basis                 :
            rescale neuron 1.0: w1_0_0*d/dw1_0_0 - w2_0_0*d/dw2_0_0
          Noether laws under Nesterov flow: theta'' + 3/t*theta' + grad L(theta) = 0
            rescale neuron 1.0: d/dt[t^3*(w1_0_0*w1_0_0' - w2_0_0*w2_0_0')] = t^3*(w1_0_0'^2 - w2_0_0'^2)
            time translation: d/dt[1/2*|theta'|^2 + L(theta)] = -3/t*|theta'|^2
        0
    """
    from sage_conslaws.interface.report import symmetry_report
    model = model_of(args)
    yield _output(symmetry_report(model, args.dynamics, cross_check=args.cross_check), args.json)


COMMANDS = {"count": run_count, "compare": run_compare, "sweep": run_sweep,
            "study": run_study, "report": run_report,
            "simulate": run_simulate, "symmetries": run_symmetries}


def _seconds(text):
    from sage_conslaws.training.laws import PROOF_SECONDS
    if text is None:
        return PROOF_SECONDS
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"the seconds of the proof must be a non-negative number, "
                         f"got {text!r}") from None


def _integer(text, message):
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{message}, got {text!r}") from None


def main(argv=None, out=None):
    r"""
    Run the command line; return the exit status.

    Errors are reported in one line on standard error (see the module's documentation).

    INPUT:

    - ``argv`` -- (default: ``sys.argv[1:]``) the arguments
    - ``out`` -- (default: ``sys.stdout``) where results are written

    EXAMPLES::

        sage: from sage_conslaws.interface.cli import main
        sage: main(["count", "relu", "3,0,2"])
        sage-conslaws: error: layer widths must be positive integers, got [3, 0, 2]
        2

    TESTS:

    A full disk::

        sage: main(["--version"], open("/dev/full", "w"))
        sage-conslaws: error: cannot write the output: No space left on device
        1
    """
    out = sys.stdout if out is None else out
    try:
        return _run(argv, out)
    except BrokenPipeError:
        # the reader is gone (| head): nobody reads a message either
        _discard(out)
        return BROKEN_PIPE
    except _OutputError as error:
        _say(f"sage-conslaws: error: cannot write the output: {error}")
        _discard(out)
        return 1
    except (ValueError, TypeError) as error:
        _say(f"sage-conslaws: error: {error}")
        return 2
    except KeyboardInterrupt:
        _say("sage-conslaws: interrupted")
        return 130


def _run(argv, out):
    try:
        with contextlib.redirect_stdout(out):
            # --help and --version write to ``out`` too
            args = _parser().parse_args(argv)
    except SystemExit as stop:
        # after --help or --version
        return stop.code
    for text in COMMANDS[args.command](args):
        _write(out, text + "\n")
    return 0


class _OutputError(Exception):
    r"""
    The output cannot be written (not a closed pipe): a full disk, a failing device.
    """


def _write(out, text):
    try:
        out.write(text)
        out.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise _OutputError(error.strerror or str(error)) from None


def _discard(out):
    r"""
    Send what ``out`` still buffers to ``/dev/null``.

    Otherwise the interpreter flushes it again at exit, and reports that
    failure with a traceback-like message.
    """
    try:
        descriptor = out.fileno()
    except (AttributeError, OSError, ValueError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


def _say(message):
    try:
        print(message, file=sys.stderr)
    except OSError:
        pass


def entry_point():
    r"""
    Console-script entry point: exit with the status of :func:`main`.

    EXAMPLES:

    It is what the command ``sage-conslaws`` runs; it calls ``sys.exit``::

        sage: from sage_conslaws.interface.cli import entry_point
        sage: import sys
        sage: argv, sys.argv = sys.argv, ["sage-conslaws", "count", "relu", "3,0,2"]
        sage: try:
        ....:     entry_point()
        ....: except SystemExit as stop:
        ....:     print("exit status", stop.code)
        ....: finally:
        ....:     sys.argv = argv
        sage-conslaws: error: layer widths must be positive integers, got [3, 0, 2]
        exit status 2
    """
    sys.exit(main())
