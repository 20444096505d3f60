r"""
Benchmark: momentum flows and mirror geometry, 20 random cases per family.

The six families of the "Keep the momentum" experiments ([MGP2024], note
``../shared/notes/keep-the-momentum.md``): linear MF, ReLU MF, NMF GF, NMF MF,
ICNN GF, ICNN MF (GF = gradient flow, MF = momentum flow; NMF and ICNN under
their mirror metric ``"entropic"``, the others Euclidean). The cases are drawn
with ``random.Random(seed)`` (default 2024), widths at most 7:

- linear and ReLU networks with 2 or 3 layers (ReLU with random hidden biases);
  the momentum flow has a damping drawn among 0, 1/2, 1, or is Nesterov;
- NMF sizes ``n1, r, n3``; ICNN ``inputs, hidden, outputs`` with a random bias.

Prints, for every case: the family, the sizes, the flow and damping, the number
D of parameters, the ambient dimension (D, or 2D + 1 in phase space), the
number of laws, whether the count is certified and the wall-clock seconds.
When a count is not certified, the note's formula is also printed when one
applies. Then, per family, the totals and the goal of the project: each
family under 60 s in total on a 2-core machine, all certified. The counts
(not the times) are reproducible.

With ``--discover``, no law written by hand is used (the engine discovers the
laws that prove each count; the goal is then 120 s per family), and the rung of
the ladder that proved each count is printed.

Measured (2-core machine, quiet, 2026-12-01), seconds per family of 20, all proven in both
modes; before the structured path (the structured rank, the structured laws of layered
networks), then with it:

============  ==========  ===========  ==========  ===========
family        known laws  --discover   known laws  --discover
                (before)    (before)
============  ==========  ===========  ==========  ===========
linear MF     39.1        96.9         2.0         58.2
ReLU MF       16.6        16.1         0.3         0.7
NMF GF        1.0         72.4         0.4         67.3
NMF MF        5.4         5.8          0.5         0.5
ICNN GF       3.9         6.7          3.3         6.2
ICNN MF       13.3        15.5         0.4         0.6
============  ==========  ===========  ==========  ===========

Usage: ``PYTHONPATH=. python benchmarks/momentum_families.py [--seed N] [--cases N]
[--family NAME ...] [--discover]``.
"""
import argparse
import random
import time

from sage_conslaws import ICNN, NMF, LinearNetwork, ReLUNetwork
from sage_conslaws.dynamics import flow_count

FAMILIES = ("linear MF", "ReLU MF", "NMF GF", "NMF MF", "ICNN GF", "ICNN MF")
GOAL_SECONDS = 60
DISCOVERY_GOAL_SECONDS = 120
MAX_WIDTH = 7
DAMPINGS = ("0", "1/2", "1", "nesterov")


def draw_cases(family, rng, number):
    r"""
    Return ``number`` random cases of ``family``: tuples ``(model, flow, damping, sizes)``.
    """
    cases = []
    for _ in range(number):
        if family in ("linear MF", "ReLU MF"):
            depth = rng.choice((2, 3))
            widths = [rng.randint(1, MAX_WIDTH) for _ in range(depth + 1)]
            if family == "linear MF":
                model, sizes = LinearNetwork(widths), ",".join(map(str, widths))
            else:
                bias = rng.random() < 0.5
                model = ReLUNetwork(widths, bias=bias)
                sizes = ",".join(map(str, widths)) + (" bias" if bias else "")
        else:
            n = [rng.randint(1, MAX_WIDTH) for _ in range(3)]
            if family.startswith("NMF"):
                model, sizes = NMF(*n), ",".join(map(str, n))
            else:
                bias = rng.random() < 0.5
                model = ICNN(*n, bias=bias)
                sizes = ",".join(map(str, n)) + (" bias" if bias else "")
        if family.endswith("GF"):
            flow, damping = "gradient", None
        else:
            choice = rng.choice(DAMPINGS)
            flow, damping = ("nesterov", None) if choice == "nesterov" else ("momentum", choice)
        cases.append((model, flow, damping, sizes))
    return cases


def formula(family, model):
    r"""
    Return the number of laws predicted by the note (sections 4 and 5), or ``None``.

    Two-layer linear MF (``LinearNetwork([m, r, n])``, `k = n + m`):
    `r(r-1)/2` if `r \le 2k+1`, `k(2r - 2k - 1)` beyond, and `4r - 6` when
    `n = m = 1` and `r \ge 2` (not in the note: the certified counts of
    ``doc/momentum.rst``, `r(r-1)` for `r \le 3` only); ReLU, NMF and ICNN MF: none; NMF GF: `r` (and `2r - 1`
    when `n_1 = n_3 = 1`, a single field); ICNN GF: `r`. Deep linear MF: no
    formula.
    """
    if family == "linear MF":
        widths = model.widths()
        if len(widths) != 3:
            return None
        m, r, n = widths
        k = n + m
        if (n, m) == (1, 1):
            # not in the note: the certified counts of doc/momentum.rst (skew mixing)
            return 0 if r == 1 else 4 * r - 6
        return r * (r - 1) // 2 if r <= 2 * k + 1 else k * (2 * r - 2 * k - 1)
    if family.endswith("MF"):
        return 0
    if family == "NMF GF":
        n1, r, n3 = model.sizes()
        return 2 * r - 1 if n1 == n3 == 1 else r
    if family == "ICNN GF":
        return model.widths()[1]
    return None


def run_family(family, cases, discover=False):
    print(f"\n{family}")
    print(f"{'sizes':<16}{'flow':<18}{'D':>5}{'ambient':>9}{'laws':>6}"
          f"{'certified':>11}{'seconds':>9}  proof")
    rows = []
    for model, flow, damping, sizes in cases:
        start = time.perf_counter()
        result = flow_count(model, flow, damping=damping, discover=discover)
        seconds = time.perf_counter() - start
        certified = result.is_certified()
        label = "gradient" if flow == "gradient" else (
            "nesterov" if flow == "nesterov" else f"momentum tau={damping}")
        line = (f"{sizes:<16}{label:<18}{result.parameters():>5}"
                f"{result.ambient_dimension():>9}{result.number_of_laws():>6}"
                f"{str(certified):>11}{seconds:>9.2f}  {result.certificate().proof()}")
        if not certified:
            expected = formula(family, model)
            if expected is not None:
                verdict = "agrees" if expected == result.number_of_laws() else "DISAGREES"
                line += f"   note's formula: {expected} ({verdict})"
            else:
                line += "   no formula in the note"
        print(line, flush=True)
        rows.append((certified, seconds))
    total = sum(seconds for _, seconds in rows)
    certified = sum(c for c, _ in rows)
    goal = DISCOVERY_GOAL_SECONDS if discover else GOAL_SECONDS
    met = certified == len(rows) and total < goal
    print(f"{'total':<16}{len(rows)} cases, {certified} certified, {total:.1f} s, "
          f"slowest {max(s for _, s in rows):.1f} s; goal (all certified, "
          f"< {goal} s): {'met' if met else 'NOT met'}")
    return family, len(rows), certified, total, met


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[1])
    parser.add_argument("--seed", type=int, default=2024, help="seed of the cases (default 2024)")
    parser.add_argument("--cases", type=int, default=20, help="cases per family (default 20)")
    parser.add_argument("--family", action="append", choices=FAMILIES,
                        help="run only this family (may be repeated)")
    parser.add_argument("--discover", action="store_true",
                        help="use no law written by hand: the engine discovers them")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    # draw every family's cases, so that a family's cases do not depend on --family
    drawn = {family: draw_cases(family, rng, args.cases) for family in FAMILIES}
    summary = [run_family(family, drawn[family], args.discover)
               for family in FAMILIES if not args.family or family in args.family]
    print(f"\nsummary (seed {args.seed})")
    print(f"{'family':<12}{'cases':>7}{'certified':>11}{'seconds':>10}  goal")
    for family, cases, certified, total, met in summary:
        print(f"{family:<12}{cases:>7}{certified:>11}{total:>10.1f}  {'met' if met else 'NOT met'}")
    everything = all(met for *_, met in summary)
    print(f"all families: goal {'met' if everything else 'NOT met'}")


if __name__ == "__main__":
    main()
