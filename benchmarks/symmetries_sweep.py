r"""
Benchmark: symmetry discovery and the Noether cross-check on the 100 benchmark networks.

For every line of ``../shared/bench/sweep-linear-50.txt`` and
``sweep-relu-50.txt``: the dimension of the Lie algebra of linear symmetries
of `\phi` (:func:`~sage_conslaws.symmetries.solve.linear_symmetries`, exact), of its
symmetric part (which gives the gradient-flow laws), the time it takes, then
the cross-check (:func:`~sage_conslaws.symmetries.cross_check.noether_cross_check`): the
engine's certified count of gradient-flow laws against the number of
independent Noether laws, i.e. how many laws come from linear symmetries.

Usage: ``PYTHONPATH=. python benchmarks/symmetries_sweep.py [--bench DIR] [--skip-cross-check]``.
The results are deterministic (seed 0); the times are those of the machine.
"""
import argparse
import shlex
import time
from pathlib import Path

import sage.all__sagemath_singular  # noqa: F401  (initializes the modular Sage rings)

from sage_conslaws.models.registry import build_model
from sage_conslaws.symmetries.cross_check import noether_cross_check
from sage_conslaws.symmetries.solve import linear_symmetries

BENCH = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
LISTS = ("sweep-linear-50.txt", "sweep-relu-50.txt")


def cases(path):
    r"""
    Return the ``(line, model)`` of the non-comment lines of the benchmark list ``path``.
    """
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            words = shlex.split(line)
            yield line, build_model(words[0], words[1], bias="--bias" in words)


def run_case(line, model, cross_check):
    r"""
    Print one row; return ``(seconds of the symmetries, laws, laws from symmetries)``.
    """
    clock = time.perf_counter()
    algebra = linear_symmetries(model)
    seconds = time.perf_counter() - clock
    row = (f"{line:<28} D={model.dimension():<4} dim g={algebra.dimension():<4} "
           f"sym={algebra.symmetric_dimension():<4} skew={algebra.skew_dimension():<4} "
           f"{seconds:6.2f} s")
    laws = from_symmetries = None
    if cross_check:
        clock = time.perf_counter()
        check = noether_cross_check(model, flow="gradient")
        laws, from_symmetries = check.engine_count().number_of_laws(), check.rank()
        row += (f"   laws={laws:<4} from symmetries={from_symmetries:<4} "
                f"{'certified' if check.engine_count().is_certified() else 'NOT verified'}"
                f" {time.perf_counter() - clock:6.2f} s")
    print(row, flush=True)
    return seconds, laws, from_symmetries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--bench", default=str(BENCH), help="the folder of the benchmark lists")
    parser.add_argument("--skip-cross-check", action="store_true",
                        help="only the symmetries, not the engine's counts")
    args = parser.parse_args()
    for name in LISTS:
        print(f"== {name}")
        rows = [run_case(line, model, not args.skip_cross_check)
                for line, model in cases(Path(args.bench) / name)]
        seconds = [r[0] for r in rows]
        print(f"   {len(rows)} networks: symmetries in {sum(seconds):.1f} s in total, "
              f"slowest {max(seconds):.2f} s")
        if not args.skip_cross_check:
            explained = sum(r[1] == r[2] for r in rows)
            print(f"   {explained} of {len(rows)} have all their gradient-flow laws from "
                  f"linear symmetries")
        print()


if __name__ == "__main__":
    main()
