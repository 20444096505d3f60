r"""
Benchmark: observed orders of the continuous limits of momentum methods.

For the heavy ball (HB) and Nesterov (NAG) methods of Kovachki and Stuart,
prints the tables of :func:`sage_conslaws.dynamics.continuous_limits.rates.convergence_rates`
(errors against the rescaled gradient flow, expected order 1; against the
modified equation, order 2; distance to the invariant manifold after the
transient, order 2) on fixed cases (no randomness):

- the toy loss `(x^2 + y^2 - 1)^2` from `(1/2, 1/5)`, with `\lambda = 1/2` and
  `\lambda = 9/10`;
- the loss `(u_1 v_1 + u_2 v_2 - 1)^2/2 + (u_1 v_1 - u_2 v_2)^2/2` of a
  two-layer linear network in `\RR^4` (targets 1 and 0 on two inputs).

The learning rates of a case halve twice; for `\lambda = 9/10` they are
smaller, because the expansions are in `h\|\nabla^2 f\|/(1-\lambda)^2` and the
transient lasts about `1/(1-\lambda)` steps. Ends with the total wall-clock time.

Usage: ``PYTHONPATH=. python benchmarks/continuous_limits_rates.py``.
"""
import time
from fractions import Fraction

# A modular passagemath install initialises its rings on this import.
import sage.all__sagemath_singular  # noqa: F401

from sage_conslaws.dynamics.continuous_limits.rates import convergence_rates

TOY = "(x^2 + y^2 - 1)^2"
LINEAR = "(u1*v1 + u2*v2 - 1)^2/2 + (u1*v1 - u2*v2)^2/2"


def halvings(h):
    return (h, h / 2, h / 4)


#: (name, loss, starting point, momentum, T, learning rates)
CASES = [
    ("toy loss", TOY, [Fraction(1, 2), Fraction(1, 5)], Fraction(1, 2), Fraction(1, 4),
     halvings(Fraction(1, 200))),
    ("toy loss", TOY, [Fraction(1, 2), Fraction(1, 5)], Fraction(9, 10), Fraction(1, 16),
     halvings(Fraction(1, 8000))),
    ("linear network in R^4", LINEAR,
     [Fraction(1, 2), Fraction(1, 5), Fraction(-1, 3), Fraction(1, 4)], Fraction(1, 2), 1,
     halvings(Fraction(1, 100))),
    ("linear network in R^4", LINEAR,
     [Fraction(1, 2), Fraction(1, 5), Fraction(-1, 3), Fraction(1, 4)], Fraction(9, 10),
     Fraction(1, 4), halvings(Fraction(1, 2000))),
]


def main():
    start = time.perf_counter()
    for name, loss, x0, lam, T, steps in CASES:
        for method in ("hb", "nag"):
            begin = time.perf_counter()
            table = convergence_rates(loss, method, x0, lam, T, steps=steps)
            print(f"{name}, f = {loss}, x0 = {[str(c) for c in x0]}, T = {T}  "
                  f"({time.perf_counter() - begin:.1f} s)")
            print(table)
            print()
    print(f"total: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
