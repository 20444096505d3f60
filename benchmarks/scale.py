r"""
Benchmark: exact, proven counts of large networks, against the linear-algebra floor.

For every case (timed after a warm-up count in the same process, which loads Sage's
modules, as in a running session; the warm-up is printed too): D (the dimension of the space of the count, 2D + 1 for a momentum flow in
phase space), the number of laws, whether the count is proven and by which
path, the wall-clock and CPU seconds, the peak resident memory of the process so
far, and the *floor*: the time of one exact rank of a dense D x D matrix over
GF(8388593) in Sage, measured in the same run, with the ratio. Each case runs
in its own process (``--case`` mode), so the peak memory is its own.

Goals (issue "Scale", 2-core machine): every case within 10x its floor;
``relu 25,50,25 --bias`` under 10 s; ``linear 8,16,16,8`` under 30 s; momentum
``linear 5,10,10,5`` under 30 s; ``relu 100,100,10 --bias`` and
``relu 784,16,10 --bias`` proven in under 10 minutes each with less than 8 GB.

Measured (2-core machine, 2026-12-02, load about 1.3, after the laws became quadratic
forms, counted with no polynomial ring): every case proven on the structured path.
The last three rows were refused before (``linear 50,50,50``: 10 GB of polynomial
laws) or beyond a polynomial ring (40,000 parameters); their floors beyond
``FLOOR_DIMENSION`` are extrapolated. The three large ReLU rows are from
2026-12-01 (floors measured in the same process then, which may have raised
the memory shown).

==============================================  =====  =====  ======  ======  ====  =========  =====
case                                            D      laws   wall s  CPU s   GB    floor s    ratio
==============================================  =====  =====  ======  ======  ====  =========  =====
relu 10,20,10 --bias                            420    20     0.04    0.04    0.14  0.01       3.7
relu 20,40,20 --bias                            1640   40     0.74    0.89    0.22  0.51       1.7
relu 25,50,25 --bias                            2550   50     2.73    3.01    0.37  1.90       1.6
relu 30,60,30 --bias                            3660   60     6.18    6.64    0.56  4.80       1.4
relu 30,60,30,10 --bias                         3990   90     8.42    9.16    0.63  6.03       1.5
linear 8,16,16,8                                512    272    0.14    0.14    0.14  0.03       4.6
linear 10,20,20,10                              800    420    0.33    0.32    0.16  0.09       3.6
linear 16,32,32,16                              2048   1056   2.77    3.17    0.27  1.08       2.9
linear 5,10,10,5 --flow momentum --damping 1    401    90     0.54    0.53    0.17  0.01       44.9
linear 10,20,20,10 --flow momentum --damping 1  1601   380    6.55    6.54    0.50  0.51       12.8
relu 50,100,50 --bias                           10100  100    110.53  113.25  3.59  94.14      1.2
relu 100,100,10 --bias                          11100  100    144.06  147.10  4.35  124.00     1.2
relu 784,16,10 --bias                           12720  16     242.34  245.86  5.69  186.13     1.3
linear 50,50,50                                 5000   1275   22.65   23.79   0.81  12.32      1.9
linear 1,20000,1                                40000  39999  1.23    1.21    0.20  6392 est.  0.0
linear 10,2000,10                               40000  39810  4.81    5.64    0.55  6392 est.  0.0
==============================================  =====  =====  ======  ======  ====  =========  =====

The momentum flows miss "within 10x the floor": a floor of 0.01 s (one rank of
a 401 x 401 matrix) against five depths of brackets in phase space and their
momentum laws built as polynomials.

Usage: ``PYTHONPATH=. python benchmarks/scale.py [--quick] [--no-floor] [--timeout S] [NAME ...]``
(``--quick``: the cases with D <= 4000).
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

CASES = [
    ("relu 10,20,10 --bias", "relu", [10, 20, 10], True, None),
    ("relu 20,40,20 --bias", "relu", [20, 40, 20], True, None),
    ("relu 25,50,25 --bias", "relu", [25, 50, 25], True, None),
    ("relu 30,60,30 --bias", "relu", [30, 60, 30], True, None),
    ("relu 30,60,30,10 --bias", "relu", [30, 60, 30, 10], True, None),
    ("linear 8,16,16,8", "linear", [8, 16, 16, 8], False, None),
    ("linear 10,20,20,10", "linear", [10, 20, 20, 10], False, None),
    ("linear 16,32,32,16", "linear", [16, 32, 32, 16], False, None),
    ("linear 5,10,10,5 --flow momentum --damping 1", "linear", [5, 10, 10, 5], False, "1"),
    ("linear 10,20,20,10 --flow momentum --damping 1", "linear", [10, 20, 20, 10], False, "1"),
    ("relu 50,100,50 --bias", "relu", [50, 100, 50], True, None),
    ("relu 100,100,10 --bias", "relu", [100, 100, 10], True, None),
    ("relu 784,16,10 --bias", "relu", [784, 16, 10], True, None),
    # laws too large as polynomials (10 GB), proven as forms
    ("linear 50,50,50", "linear", [50, 50, 50], False, None),
    # beyond a polynomial ring (32767 variables): no ring at all
    ("linear 1,20000,1", "linear", [1, 20000, 1], False, None),
    ("linear 10,2000,10", "linear", [10, 2000, 10], False, None),
]
#: Above this dimension the floor is not measured (a dense D x D matrix of 8-byte
#: entries, held about four times, would not fit): it is extrapolated as D^3 from
#: the floor at FLOOR_BASE, and marked "est."
FLOOR_DIMENSION = 13000
FLOOR_BASE = 6000
QUICK_DIMENSION = 4000


def dimension(widths, bias, damping=None):
    r"""
    Return the dimension of the space of the count: `D`, or `2D + 1` in phase space.
    """
    D = sum(a * b for a, b in zip(widths, widths[1:])) + (sum(widths[1:-1]) if bias else 0)
    return D if damping is None else 2 * D + 1


def run_case(index):
    r"""
    Count one case in this process and print its measurements as JSON.
    """
    from sage_conslaws import LinearNetwork, ReLUNetwork
    from sage_conslaws.dynamics import flow_count
    name, kind, widths, bias, damping = CASES[index]
    # a researcher counts in a running session: the first count of the process also
    # loads Sage's modules (0.3 s), timed apart as the warm-up
    warm = time.time()
    flow_count(ReLUNetwork([1, 2, 1], bias=True), "momentum", damping=1)
    LinearNetwork([1, 2, 1]).conservation_laws()
    warm = time.time() - warm
    model = ReLUNetwork(widths, bias=bias) if kind == "relu" else LinearNetwork(widths)
    wall, cpu = time.time(), time.process_time()
    if damping is None:
        result = model.conservation_laws()
    else:
        result = flow_count(model, "momentum", damping=damping)
    wall, cpu = time.time() - wall, time.process_time() - cpu
    closure = result.closure()
    print(json.dumps({
        "D": result.closure().dimension(), "laws": result.number_of_laws(), "proven": result.is_certified(),
        "path": "structured" if type(closure).__name__ == "StructuredClosure" else "general",
        "wall": wall, "cpu": cpu, "warm": warm,
        "memory": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}))


def floor(D):
    r"""
    Return the CPU seconds of one rank of a random dense D x D matrix over GF(8388593), measured in a process of its own.

    Its own: Linux carries the peak memory of a process over to the children it
    starts, so a floor measured here would show in the memory of the next cases.
    """
    out = subprocess.run([sys.executable, __file__, "--floor", str(D)], capture_output=True,
                         text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def measure_floor(D, prime=8388593):
    r"""
    Print the CPU seconds of one rank of a random dense D x D matrix over GF(prime).
    """
    from sage.matrix.constructor import random_matrix
    from sage.rings.finite_rings.finite_field_constructor import GF
    M = random_matrix(GF(prime), D, D)
    cpu = time.process_time()
    M.rank()
    print(time.process_time() - cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("names", nargs="*", help="cases to run (default: all)")
    parser.add_argument("--quick", action="store_true", help=f"only D <= {QUICK_DIMENSION}")
    parser.add_argument("--no-floor", action="store_true", help="do not measure the floors")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per case (900)")
    parser.add_argument("--case", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--floor", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.case is not None:
        return run_case(arguments.case)
    if arguments.floor is not None:
        return measure_floor(arguments.floor)
    print(f"{'case':48} {'D':>6} {'laws':>5} {'proven':>6} {'path':>10} {'warm-up s':>9} "
          f"{'wall s':>8} {'CPU s':>8} {'GB':>5} {'floor s':>12} {'ratio':>6}")
    for index, (name, kind, widths, bias, damping) in enumerate(CASES):
        D = dimension(widths, bias, damping)
        if arguments.names and name not in arguments.names:
            continue
        if arguments.quick and D > QUICK_DIMENSION:
            continue
        env = dict(os.environ, PYTHONPATH=os.getcwd())
        try:
            out = subprocess.run([sys.executable, __file__, "--case", str(index)], env=env,
                                 capture_output=True, text=True, timeout=arguments.timeout)
        except subprocess.TimeoutExpired:
            print(f"{name:48} {D:>6} stopped after {arguments.timeout:.0f} s", flush=True)
            continue
        if out.returncode:
            print(f"{name:48} {D:>6} failed: {out.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        f, text = (None, "") if arguments.no_floor else floor_text(D)
        ratio = "" if f is None else f"{r['cpu'] / max(f, 1e-3):.1f}"
        print(f"{name:48} {r['D']:>6} {r['laws']:>5} {str(r['proven']):>6} {r['path']:>10} "
              f"{r['warm']:>9.2f} {r['wall']:>8.2f} {r['cpu']:>8.2f} {r['memory']:>5.2f} "
              f"{text:>12} {ratio:>6}", flush=True)


_FLOORS = {}


def floor_text(D):
    r"""
    Return the floor of ``D`` in CPU seconds and as printed: measured, or extrapolated beyond ``FLOOR_DIMENSION``.
    """
    if D <= FLOOR_DIMENSION:
        f = floor(D)
        return f, f"{f:.2f}"
    if FLOOR_BASE not in _FLOORS:
        _FLOORS[FLOOR_BASE] = floor(FLOOR_BASE)
    f = _FLOORS[FLOOR_BASE] * (D / FLOOR_BASE)**3
    return f, f"{f:.0f} est."


if __name__ == "__main__":
    main()
