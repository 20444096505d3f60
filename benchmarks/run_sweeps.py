"""
Benchmark: the sweeps of ``../shared/bench/`` (50 deep linear and 50 deep ReLU networks).

Prints, for every case, the number of parameters D, of independent conservation laws,
the kind of certificate, the rung of the ladder that proved it, and the wall-clock
seconds; then the totals and the goals of the project (all proven; with known laws:
linear sweep under 60 s, ReLU sweep under 300 s; in discovery mode: linear under
120 s, ReLU under 300 s; no case over 30 s on a 2-core machine). Every random choice
uses seed 0, so the results (not the times) are reproducible.

Usage: ``python benchmarks/run_sweeps.py [--discover] [FILE ...]`` (default: both
sweeps). With ``--discover`` no law written by hand is used: the engine discovers
the laws that prove each count (:func:`~sage_conslaws.laws.count.count_conservation_laws`).

Measured on the 2-core machine, quiet (2026-12-01, with the structured path): with known
laws, linear 50 proven in 0.6 s, ReLU 50 proven in 0.3 s (before the structured path: 6.1 s
and 22.3 s); with ``--discover``, linear 50 proven in 10.3 s (slowest 1.2 s; before: 16.4 s),
ReLU 50 proven in 38.9 s (slowest 9.9 s, ``relu 9,9,7,7,7 --bias``; before: 46.5 s), every
count equal to the known-law count. The per-case tables are in the notes of issues 9 and 10.
"""
import argparse
from pathlib import Path

from sage_conslaws.laws.count import count_conservation_laws
from sage_conslaws.models.registry import build_model
from sage_conslaws.interface.progress import Stopwatch

BENCH = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
DEFAULT_FILES = [BENCH / "sweep-linear-50.txt", BENCH / "sweep-relu-50.txt"]
GOALS = {"sweep-linear-50.txt": 60, "sweep-relu-50.txt": 300}
DISCOVERY_GOALS = {"sweep-linear-50.txt": 120, "sweep-relu-50.txt": 300}
CASE_GOAL = 30
SEED = 0


def run_file(path, discover):
    print(f"\n{path.name}" + (" (discovery mode)" if discover else ""))
    print(f"{'case':<28}{'D':>5}{'dim Lie':>9}{'laws':>6}{'kind':>14}  {'proof':<22}"
          f"{'seconds':>8}")
    rows = []
    for line in path.read_text().splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        model = build_model(words[0], words[1], bias="--bias" in words[2:])
        clock = Stopwatch()
        result = count_conservation_laws(model, seed=SEED, discover=discover)
        seconds = clock.seconds()
        rows.append((line, result, seconds))
        certificate = result.certificate()
        print(f"{line:<28}{result.parameters():>5}{result.lie_dimension():>9}"
              f"{result.number_of_laws():>6}{certificate.kind():>14}  "
              f"{str(certificate.proof()):<22}{seconds:>8.2f}", flush=True)
    total = sum(seconds for _, _, seconds in rows)
    certified = sum(result.is_certified() for _, result, _ in rows)
    slowest = max(seconds for _, _, seconds in rows)
    print(f"{'total':<28}{len(rows)} cases, {certified} proven, {total:.1f} s, "
          f"slowest case {slowest:.1f} s")
    goal = (DISCOVERY_GOALS if discover else GOALS).get(path.name)
    if goal is not None:
        met = certified == len(rows) and total < goal and slowest < CASE_GOAL
        print(f"goal (all certified, total < {goal} s, every case < {CASE_GOAL} s): "
              f"{'met' if met else 'NOT met'}")
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--discover", action="store_true",
                        help="use no law written by hand: the engine discovers them")
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    args = parser.parse_args()
    totals = [run_file(path, args.discover) for path in args.files]
    print(f"\nall sweeps: {sum(totals):.1f} s")


if __name__ == "__main__":
    main()
