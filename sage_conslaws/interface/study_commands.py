r"""
The commands of a study: ``sweep``'s running of cases, ``study`` and ``report``

The part of the command line (:mod:`~sage_conslaws.interface.cli`) that runs
many cases: the options of a study (``--store``, ``--workers``, budgets), the
loop that runs the cases of a sweep and prints their lines, the generated
studies and the report of a store. Like the command line, it imports no Sage
until a command runs.
"""
import contextlib
import signal

from sage_conslaws.interface.cases import _positive_integer, positive_amount


def add_study_options(parser):
    parser.add_argument("--store", metavar="FILE", help="record each finished case in this SQLite "
                        "results store; cases already there are skipped")
    parser.add_argument("--rerun", action="store_true",
                        help="run the cases already in the store again and replace them")
    parser.add_argument("--workers", type=_positive_integer("the number of workers"),
                        help="run the cases on N local worker processes (Dask, [cluster] extra)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run the cases on the Dask cluster of this scheduler")
    parser.add_argument("--case-timeout", metavar="SECONDS",
                        type=positive_amount("the case timeout", "seconds"),
                        help="stop a case after SECONDS and record it as timed out")
    parser.add_argument("--case-memory", metavar="GB", type=positive_amount("the case memory", "GB"),
                        help="the memory (address space, GB) each case may use")


def sweep_lines(lines, args):
    # run the checked cases lines, with the sweep options of args (store, workers, budgets)
    from sage_conslaws.interface.cli import _progress, _say
    from sage_conslaws.interface.progress import progress_bar
    from sage_conslaws.interface.report import SweepTable
    from sage_conslaws.studies.run import pending_cases, run_cases
    from sage_conslaws.studies.store import ResultsStore
    store = ResultsStore(args.store) if args.store else None
    lines, pending = pending_cases(lines, args.seed, store, args.rerun)
    todo = len(pending)
    if todo < len(lines):
        _say(f"sage-conslaws: {len(lines) - todo} of {len(lines)} cases already in {args.store}: "
             "skipped (--rerun runs them again)")
    table = SweepTable(lines)
    bar = _progress(args)
    # the options of the sweep apply to every case; a line's own --budget is its own
    outcomes = run_cases(lines, seed=args.seed, discover=args.discover, budget=args.budget,
                         store=store, rerun=args.rerun, workers=args.workers,
                         scheduler=args.scheduler, timeout=args.case_timeout,
                         memory=args.case_memory)
    with _terminate_as_interrupt():
        bar.update(f"{progress_bar(0, todo)} {todo} cases")
        for done, outcome in enumerate(outcomes, 1):
            bar.done()
            yield table.outcome(outcome, as_json=args.json)
            bar.update(f"{progress_bar(done, todo)} {done}/{todo} cases")
        bar.done()
    if store is not None:
        store.close()
    yield table.totals(as_json=args.json)
    if table.refused():
        raise ValueError(f"{table.refused()} of {len(lines)} cases refused (see their lines)")


@contextlib.contextmanager
def _terminate_as_interrupt():
    # SIGTERM (a scheduler, kill) stops a sweep as Ctrl-C does: what is stored stays stored
    def interrupt(signum, frame):
        raise KeyboardInterrupt
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_study(args):
    r"""
    Run ``sage-conslaws study`` with parsed arguments ``args``; yield the lines to print.

    EXAMPLES::

        sage: import os, tempfile
        sage: from sage_conslaws.interface.cli import main
        sage: path = os.path.join(tempfile.mkdtemp(), "study.txt")
        sage: main(["study", "relu", "--widths", "2..3", "--random", "3", "--options=--bias",
        ....:       "--output", path])
        wrote 3 cases of relu to ...study.txt
        0
        sage: print(open(path).read())
        # sage-conslaws study relu --depth 2 --widths 2..3 --random 3 --seed 0 --options=--bias
        relu 3,2,3 --bias
        relu 3,3,3 --bias
        relu 2,2,3 --bias
        <BLANKLINE>
    """
    import shlex
    from sage_conslaws.studies.generate import parse_range, study_lines
    lines = study_lines(args.model, parse_range(args.depth, "--depth"),
                        parse_range(args.widths, "--widths"), args.random, args.seed,
                        args.options)
    if args.output is None:
        yield from sweep_lines(lines, args)
        return
    header = (f"# sage-conslaws study {args.model} --depth {args.depth} --widths {args.widths} "
              f"--random {args.random} --seed {args.seed}"
              + (f" --options={shlex.quote(args.options)}" if args.options else ""))
    try:
        with open(args.output, "w") as f:
            f.write("\n".join([header] + lines) + "\n")
    except OSError as error:
        raise ValueError(f"cannot write {args.output}: {error.strerror}") from None
    yield f"wrote {len(lines)} cases of {args.model} to {args.output}"


def run_report(args):
    r"""
    Run ``sage-conslaws report`` with parsed arguments ``args``; yield the lines to print.

    EXAMPLES::

        sage: import os, tempfile
        sage: from sage_conslaws.interface.cli import main
        sage: from sage_conslaws.studies.store import ResultsStore
        sage: d = tempfile.mkdtemp(); path = os.path.join(d, "r.sqlite")
        sage: _ = ResultsStore(path).record("relu 2,2,1", 0, "proven", {"parameters": 6, "laws": 2}, 0.5)
        sage: main(["report", path, "--csv", os.path.join(d, "r.csv")])
        1 case: 1 proven, 0 probabilistic, 0 not verified, 0 refused, 0 failed, 0 timed out
        laws: 2 in all, 2 to 2 a case
        slowest cases:
          0.50 s  proven     relu 2,2,1
        wrote ...r.csv
        0
        sage: main(["report", os.path.join(d, "r.csv")])
        sage-conslaws: error: .../r.csv is not a results store of sage-conslaws (not an SQLite file); it was left untouched
        2
    """
    from sage_conslaws.interface.report import json_line
    from sage_conslaws.studies.report import StudyReport
    from sage_conslaws.studies.store import ResultsStore
    report = StudyReport(ResultsStore(args.store, read_only=True))
    yield json_line(report.as_dict()) if args.json else report.report()
    for path, write in ((args.csv, report.write_csv), (args.plot, report.plot)):
        if path is not None:
            write(path)
            if not args.json:
                yield f"wrote {path}"


#: The commands, by name.
