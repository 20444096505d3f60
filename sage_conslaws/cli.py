r"""
The command line ``sage-conslaws``

A thin layer over :func:`~sage_conslaws.dynamics.flows.flow_count` (itself over
:func:`~sage_conslaws.analysis.count_conservation_laws`):

- ``sage-conslaws count MODEL SIZES [--bias] [--degree K] [--flow FLOW]
  [--damping TAU] [--metric METRIC] [--json]`` counts the conservation laws of
  one architecture, e.g. ``sage-conslaws count relu 3,4,2 --bias`` (3 inputs, 4
  hidden ReLU units with biases, 2 outputs), for the gradient flow (default),
  the momentum flow with constant damping ``TAU`` (default 0, undamped) or the
  Nesterov flow, under the Euclidean or the entropic (mirror) metric (default:
  the model's own, see :mod:`sage_conslaws.dynamics`);
- ``sage-conslaws compare MODEL SIZES [--bias] [--flow FLOW] [--damping TAU]
  [--metric METRIC] [--json]`` prints the conservation-loss report of
  :func:`~sage_conslaws.dynamics.compare.compare_flows`: the laws of the
  gradient flow and of the momentum flow (``FLOW`` is ``momentum``, the
  default, or ``nesterov``) side by side, which gradient-flow laws survive
  and which momentum laws appear;
- ``sage-conslaws sweep FILE [--json]`` runs every line of ``FILE`` (the
  arguments of one ``count`` each) in one process, with a progress bar on
  standard error, and prints one result per line and the totals;
- ``sage-conslaws simulate MODEL SIZES [--bias] --optimizer OPT --lr LR
  [--momentum B] [--steps N] [--seed S] [--data NAME] [--plot FILE.png]
  [--json]`` trains the model on a data set bundled with scikit-learn
  (default ``iris``; ``digits`` for NMF) with ``gd``, ``hb``, ``nag``,
  ``nag-gu``, ``nd`` or ``md`` and reports how far every conservation law of
  the flow drifts (see :mod:`sage_conslaws.training`); a diverged run is an
  error and writes no plot;
- ``sage-conslaws symmetries MODEL SIZES [--bias] [--dynamics NAME] [--json]``
  prints the Lie algebra of the linear symmetries of the model
  (:func:`~sage_conslaws.symmetries.linear_symmetries`) and the Noether law
  or identity of each generator under the dynamics ``NAME`` (default
  ``gradient``; see :func:`~sage_conslaws.noether.dynamics`).

Errors are reported in one line on standard error, with exit status 2; an
interruption (Ctrl-C) stops cleanly with exit status 130.

EXAMPLES::

    sage: import io, json
    sage: from sage_conslaws.cli import main
    sage: out = io.StringIO()
    sage: main(["count", "relu", "2,2,1", "--json", "--quiet"], out)
    0
    sage: result = json.loads(out.getvalue())
    sage: result["parameters"], result["lie_dimension"], result["laws"], result["certified"]
    (6, 4, 2, True)
"""
import argparse
import json
import shlex
import sys

from .architectures.registry import MODELS, build_model
from .dynamics import FLOWS, compare_flows, flow_count
from .dynamics.flows import check_flow_options
from .dynamics.momentum import MOMENTUM_FLOWS
from .metrics import METRICS
from .progress import Progress, Stopwatch, progress_bar


def _parser():
    parser = argparse.ArgumentParser(
        prog="sage-conslaws",
        description="Exact, certified conservation laws of gradient flows of neural networks.")
    commands = parser.add_subparsers(dest="command", required=True)

    count = commands.add_parser("count", help="count the conservation laws of one architecture")
    _add_count_arguments(count)

    compare = commands.add_parser(
        "compare", help="compare the laws of the gradient flow and of a momentum flow")
    _add_compare_arguments(compare)

    sweep = commands.add_parser("sweep", help="run every line of a file of 'count' arguments")
    sweep.add_argument("file", help="a file with one 'MODEL SIZES [--bias]' per line")
    sweep.add_argument("--json", action="store_true", help="one JSON object per line")
    sweep.add_argument("--seed", type=int, default=0, help="seed of the random choices")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")

    simulate = commands.add_parser(
        "simulate", help="train a model on a bundled data set and measure the drift of its laws")
    _add_simulate_arguments(simulate)

    symmetries = commands.add_parser(
        "symmetries", help="the linear symmetries of a model and their Noether laws")
    _add_model_arguments(symmetries)
    symmetries.add_argument("--dynamics", default="gradient",
                            help="gradient (default), newtonian, nesterov, damped, heavy-ball "
                            "or nag")
    symmetries.add_argument("--cross-check", metavar="FLOW",
                            help="also compare with the engine's exact count of the laws of "
                            "FLOW (gradient, momentum or nesterov): which laws come from "
                            "symmetries")
    symmetries.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def _add_model_arguments(parser, example="3,4,2"):
    parser.add_argument("model", help=f"one of: {', '.join(sorted(MODELS))}, or an activation "
                        "(an MLP with it on every hidden layer: leaky_relu, repu2, pow3, swish, "
                        "...), or one per hidden layer joined by '+' (e.g. relu+linear)")
    parser.add_argument("sizes", help=f"layer widths from input to output, e.g. {example}")
    parser.add_argument("--bias", action="store_true", help="biases on hidden neurons")


def _add_simulate_arguments(parser):
    # numbers stay strings here: bad values get the one-line error of the library
    _add_model_arguments(parser, example="4,8,3 for iris")
    parser.add_argument("--optimizer", default="gd", help="gd, hb, nag, nag-gu, nd or md")
    parser.add_argument("--lr", required=True, help="the step size")
    parser.add_argument("--momentum", help="the momentum of hb and nag (default 0.9)")
    parser.add_argument("--steps", default="1000", help="the number of steps (default 1000)")
    parser.add_argument("--seed", default="0", help="the seed of the initialization")
    parser.add_argument("--data", help="iris (default), wine, breast_cancer or digits "
                        "(default for nmf)")
    parser.add_argument("--plot", help="write the figure of the run to this PNG file")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress on standard error")


def _add_count_arguments(parser):
    _add_model_arguments(parser)
    parser.add_argument("--degree", type=int, help="also find the polynomial laws of degree <= K")
    _add_flow_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random choices")
    parser.add_argument("--quiet", action="store_true", help="no progress on standard error")


def _add_compare_arguments(parser):
    _add_model_arguments(parser)
    parser.add_argument("--flow", default="momentum",
                        help=f"the momentum flow, one of: {', '.join(MOMENTUM_FLOWS)}")
    parser.add_argument("--damping", help="constant damping TAU >= 0 of the momentum flow "
                        "(default 0: undamped)")
    parser.add_argument("--metric", help=f"one of: {', '.join(METRICS)} (default: the model's)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random choices")
    parser.add_argument("--quiet", action="store_true", help="no progress on standard error")


def _case_parser():
    parser = argparse.ArgumentParser(prog="sweep line", add_help=False)
    parser.add_argument("model")
    parser.add_argument("sizes")
    parser.add_argument("--bias", action="store_true")
    parser.add_argument("--degree", type=int)
    _add_flow_arguments(parser)
    parser.error = _raise_value_error
    return parser


def _add_flow_arguments(parser):
    # no argparse 'choices': bad names get the one-line error of the library
    parser.add_argument("--flow", default="gradient", help=f"one of: {', '.join(FLOWS)}")
    parser.add_argument("--damping", help="constant damping TAU >= 0 of the momentum flow "
                        "(default 0: undamped)")
    parser.add_argument("--metric", help=f"one of: {', '.join(METRICS)} (default: the model's)")


def _raise_value_error(message):
    raise ValueError(message)


def _count(case, seed, progress):
    return flow_count(build_model(case.model, case.sizes, bias=case.bias), flow=case.flow,
                      damping=case.damping, metric=case.metric, seed=seed,
                      degree=case.degree, progress=progress)


def run_count(args, out):
    r"""
    Run ``sage-conslaws count`` with parsed arguments ``args``, writing to ``out``.

    EXAMPLES::

        sage: import io
        sage: from sage_conslaws.cli import run_count, _parser
        sage: out = io.StringIO()
        sage: run_count(_parser().parse_args(["count", "linear", "1,2,1", "--quiet"]), out)
        sage: print(out.getvalue())  # random, the time varies
        LinearNetwork([1, 2, 1]) with 4 parameters
          dim Lie(W)            : 1
          conservation laws     : 3 (certified)
        ...
    """
    progress = Progress(enabled=not args.quiet and sys.stderr.isatty())
    result = _count(args, args.seed, progress)
    out.write((json.dumps(result.as_dict()) if args.json else result.report()) + "\n")


def run_compare(args, out):
    r"""
    Run ``sage-conslaws compare`` with parsed arguments ``args``, writing to ``out``.

    EXAMPLES::

        sage: import io, json
        sage: from sage_conslaws.cli import run_compare, _parser
        sage: out = io.StringIO()
        sage: run_compare(_parser().parse_args(["compare", "nmf", "2,2,2", "--json"]), out)
        sage: d = json.loads(out.getvalue())
        sage: d["gradient"]["laws"], d["momentum"]["laws"], d["surviving_laws"], d["certified"]
        (2, 0, [], True)
    """
    model = build_model(args.model, args.sizes, bias=args.bias)
    progress = Progress(enabled=not args.quiet and sys.stderr.isatty())
    result = compare_flows(model, damping=args.damping, metric=args.metric, flow=args.flow,
                           seed=args.seed, progress=progress)
    out.write((json.dumps(result.as_dict()) if args.json else result.report()) + "\n")


def run_sweep(args, out):
    r"""
    Run ``sage-conslaws sweep`` with parsed arguments ``args``, writing to ``out``.

    EXAMPLES::

        sage: import io, tempfile
        sage: from sage_conslaws.cli import run_sweep, _parser
        sage: with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        ....:     _ = f.write("linear 1,2,1\nrelu 2,2,1 --bias\n")
        sage: out = io.StringIO()
        sage: run_sweep(_parser().parse_args(["sweep", f.name, "--quiet"]), out)
        sage: print(out.getvalue())  # random, the times vary
        linear 1,2,1       D=4    dim Lie=1    laws=3    certified    0.01 s
        relu 2,2,1 --bias  D=8    dim Lie=6    laws=2    certified    0.01 s
        2 cases, 2 certified, 5 laws in all, 0.02 s
    """
    cases = _read_cases(args.file)
    show = not args.quiet and sys.stderr.isatty()
    bar = Progress(enabled=show)
    clock, certified, laws = Stopwatch(), 0, 0
    width = max(len(line) for line, _ in cases) + 2
    for done, (line, case) in enumerate(cases):
        bar.update(f"{progress_bar(done, len(cases))} {line}")
        case_clock = Stopwatch()
        result = _count(case, args.seed, Progress(enabled=False))
        seconds = case_clock.seconds()
        certified += result.is_certified()
        laws += result.number_of_laws()
        bar.done()
        if args.json:
            record = dict(result.as_dict(), case=line, seconds=round(seconds, 3))
            out.write(json.dumps(record) + "\n")
        else:
            status = "certified" if result.is_certified() else "NOT certified"
            out.write(f"{line:<{width}}D={result.parameters():<5}dim Lie={result.lie_dimension():<5}"
                      f"laws={result.number_of_laws():<5}{status:<13}{seconds:.2f} s\n")
        out.flush()
    bar.done()
    total = clock.seconds()
    if args.json:
        out.write(json.dumps({"totals": {"cases": len(cases), "certified": certified,
                                         "laws": laws, "seconds": round(total, 3)}}) + "\n")
    else:
        out.write(f"{len(cases)} cases, {certified} certified, {laws} laws in all, "
                  f"{total:.2f} s\n")


def run_simulate(args, out):
    r"""
    Run ``sage-conslaws simulate`` with parsed arguments ``args``, writing to ``out``.

    EXAMPLES::

        sage: import io, json
        sage: from sage_conslaws.cli import run_simulate, _parser
        sage: out = io.StringIO()
        sage: argv = ["simulate", "relu", "4,3,3", "--lr", "0.05", "--steps", "20", "--json"]
        sage: run_simulate(_parser().parse_args(argv), out)
        sage: d = json.loads(out.getvalue())
        sage: d["optimizer"], d["steps"], d["data"], d["laws_certified"], len(d["drift"])
        ('gd', 20, 'iris', True, 3)

    TESTS::

        sage: run_simulate(_parser().parse_args(argv[:-1] + ["--steps", "ten"]), out)
        Traceback (most recent call last):
        ...
        ValueError: the number of steps must be a positive integer, got 'ten'
    """
    try:
        from .training import simulate
        from .training.plots import check_figure_path, plot_run
    except ImportError as error:
        raise ValueError(str(error)) from None
    if args.plot:
        check_figure_path(args.plot)
    model = build_model(args.model, args.sizes, bias=args.bias)
    run = simulate(model, args.optimizer, lr=args.lr, momentum=args.momentum,
                   steps=_integer(args.steps, "the number of steps must be a positive integer"),
                   seed=_integer(args.seed, "the seed must be an integer"), data=args.data,
                   progress=not args.quiet and sys.stderr.isatty())
    if args.plot:
        plot_run(run, args.plot)
    out.write((json.dumps(run.as_dict()) if args.json else run.report()) + "\n")


def run_symmetries(args, out, limit=12):
    r"""
    Run ``sage-conslaws symmetries`` with parsed arguments ``args``, writing to ``out``.

    At most ``limit`` generators and laws are printed as text; the others are counted.

    EXAMPLES::

        sage: import io, json
        sage: from sage_conslaws.cli import run_symmetries, _parser
        sage: out = io.StringIO()
        sage: run_symmetries(_parser().parse_args(["symmetries", "linear", "1,2,1", "--json"]), out)
        sage: d = json.loads(out.getvalue())
        sage: d["dimension"], d["symmetric_dimension"], d["skew_dimension"], len(d["laws"])
        (6, 4, 2, 6)
        sage: out = io.StringIO()
        sage: run_symmetries(_parser().parse_args(["symmetries", "relu", "1,1,1",
        ....:                                      "--dynamics", "NAGF"]), out)
        sage: print(out.getvalue())
        ReLUNetwork([1, 1, 1]) with 2 parameters
          linear symmetries     : dimension 1 (symmetric 1, skew 0)
          derived algebra       : dimension 0 (abelian)
          basis                 :
            rescale neuron 1.0: w1_0_0*d/dw1_0_0 - w2_0_0*d/dw2_0_0
          Noether laws under Nesterov flow: theta'' + 3/t*theta' + grad L(theta) = 0
            rescale neuron 1.0: d/dt[t^3*(w1_0_0*w1_0_0' - w2_0_0*w2_0_0')] = t^3*(w1_0_0'^2 - w2_0_0'^2)
            time translation: d/dt[1/2*|theta'|^2 + L(theta)] = -3/t*|theta'|^2
    """
    from .noether import dynamics, noether_cross_check, noether_laws
    from .symmetries import linear_symmetries
    model = build_model(args.model, args.sizes, bias=args.bias)
    flow = dynamics(args.dynamics)
    laws = noether_laws(model, flow)
    try:
        algebra = linear_symmetries(model)
    except ValueError as error:
        # phi not polynomial (Swish): only the model's own generators are known
        if not callable(getattr(model, "symmetry_generators", None)):
            raise
        algebra, reason = None, str(error)
    check = (noether_cross_check(model, flow=args.cross_check)
             if args.cross_check is not None else None)
    if args.json:
        facts = algebra.as_dict() if algebra else {
            "model": repr(model), "dimension": None, "symmetric_dimension": None,
            "skew_dimension": None, "generators": [law.generator().name() for law in laws]}
        record = dict(facts, dynamics=flow.name(), laws=[law.as_dict() for law in laws],
                      energy=flow.energy_identity()[1])
        if check is not None:
            record["cross_check"] = {k: v for k, v in check.as_dict().items() if k != "laws"}
        out.write(json.dumps(record) + "\n")
        return
    summary = (algebra.report(limit) if algebra else
               f"{model!r}\n  linear symmetries     : not computed ({reason})\n"
               f"  the model's generators: {len(laws)}")
    lines = [summary, f"  Noether laws under {flow!r}"]
    lines += [f"    {law.generator().name()}: {law.text()}" for law in laws[:limit]]
    if len(laws) > limit:
        lines.append(f"    ... and {len(laws) - limit} more")
    lines.append(f"    time translation: {flow.energy_identity()[1]}")
    if check is not None:
        lines.append(check.report())
    out.write("\n".join(lines) + "\n")


def _integer(text, message):
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{message}, got {text!r}") from None


def _read_cases(path):
    r"""
    Return the ``(line, parsed arguments)`` of the non-empty lines of ``path``.
    """
    try:
        with open(path) as f:
            lines = [line.strip() for line in f]
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror}") from None
    parser = _case_parser()
    cases = []
    for number, line in enumerate(lines, 1):
        if not line or line.startswith("#"):
            continue
        try:
            case = parser.parse_args(shlex.split(line))
            build_model(case.model, case.sizes, bias=case.bias).check_within_reach()
            check_flow_options(case.flow, case.damping, case.metric)
        except ValueError as error:
            raise ValueError(f"{path}, line {number}: {error}") from None
        cases.append((line, case))
    if not cases:
        raise ValueError(f"{path} has no case to run")
    return cases


def main(argv=None, out=None):
    r"""
    Run the command line; return the exit status.

    Errors in the input are reported in one line on standard error.

    INPUT:

    - ``argv`` -- (default: ``sys.argv[1:]``) the arguments
    - ``out`` -- (default: ``sys.stdout``) where results are written

    EXAMPLES::

        sage: from sage_conslaws.cli import main
        sage: main(["count", "relu", "3,0,2"])
        sage-conslaws: error: layer widths must be positive integers, got [3, 0, 2]
        2
    """
    args = _parser().parse_args(argv)
    out = out if out is not None else sys.stdout
    try:
        if args.command == "count":
            run_count(args, out)
        elif args.command == "compare":
            run_compare(args, out)
        elif args.command == "simulate":
            run_simulate(args, out)
        elif args.command == "symmetries":
            run_symmetries(args, out)
        else:
            run_sweep(args, out)
    except (ValueError, TypeError) as error:
        print(f"sage-conslaws: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sage-conslaws: interrupted", file=sys.stderr)
        return 130
    return 0


def entry_point():
    r"""
    Console-script entry point: exit with the status of :func:`main`.

    EXAMPLES:

    It is what the command ``sage-conslaws`` runs; it calls ``sys.exit``::

        sage: from sage_conslaws.cli import entry_point
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
