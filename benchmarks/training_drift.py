r"""
Benchmark: how far the exact conservation laws drift in real training runs.

A small ReLU network (4 inputs, 8 hidden ReLU neurons with biases, 3 outputs;
64 parameters, 8 certified laws, one per hidden neuron) trained on iris with
a fixed seed, and an NMF of digits. Prints:

1. the largest drift of the laws at a fixed continuous time T against the step
   size, for gd, hb, nag (momentum 0.9), nd and nag-gu, with the log-log slope;
2. the drift against the momentum of hb and nag at a fixed step size;
3. the ratio of the drifts of hb and gd along the same path of the gradient
   flow, against the value (1 + lambda)/(1 - lambda)^2 derived in
   doc/training.rst;
4. NMF: multiplicative updates (md) against the entropic laws, and gd against
   the same laws;
5. the largest relative residual of the exact discrete identities over all runs;

and writes the figures of doc/training.rst to doc/figures/.

Usage: ``PYTHONPATH=. python benchmarks/training_drift.py [--figures DIR]``.
"""
import argparse
import time
from pathlib import Path

import sage.all__sagemath_singular  # noqa: F401  (initializes the modular Sage rings)

import numpy as np

from sage_conslaws import MLP, NMF, ReLUNetwork
from sage_conslaws.training import drift_versus_momentum, drift_versus_step_size, simulate
from sage_conslaws.training.plots import (plot_drift_versus_momentum, plot_drift_versus_step_size,
                                          plot_optimizers, plot_run)

NETWORK = ReLUNetwork([4, 8, 3], bias=True)
FACTORIZATION = NMF(20, 3, 16)
LRS = [0.1, 0.05, 0.025, 0.0125, 0.00625]
MOMENTA = [0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99]


def chain_quantities(network):
    r"""
    Return ``||W_2||^2``, ``4 ||W_4||^2`` and their difference, the law of the chain of
    the two RePU(2) layers between them (note A4: the factor is `p^k = 2^2`).
    """
    weights = dict(zip(network.ring().variable_names(), network.parameters()))

    def squared_norm(layer):
        return sum(w**2 for name, w in weights.items() if name.startswith(f"w{layer}_"))

    return [("||W2||^2", squared_norm(2)), ("4 ||W4||^2", 4 * squared_norm(4)),
            ("||W2||^2 - 4 ||W4||^2", squared_norm(2) - 4 * squared_norm(4))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--figures", default=str(Path(__file__).resolve().parent.parent
                                                 / "doc" / "figures"))
    figures = Path(parser.parse_args().figures)
    figures.mkdir(parents=True, exist_ok=True)
    clock = time.perf_counter()
    residuals = []

    print("1. Drift at fixed time T = 5 against the step size (momentum 0.9 for hb, nag)\n")
    tables = {}
    for optimizer in ("gd", "hb", "nag", "nd", "nag-gu"):
        tables[optimizer] = drift_versus_step_size(NETWORK, optimizer, LRS, time=5)
        residuals += tables[optimizer].column("identity_residual")
        print(tables[optimizer].table(), "\n")
    plot_drift_versus_step_size([tables[o] for o in ("gd", "hb", "nag")],
                                figures / "training_drift_step_size.png")

    print("2. Drift against the momentum, lr 0.01, 1000 steps\n")
    momentum_tables = []
    for optimizer in ("hb", "nag"):
        table = drift_versus_momentum(NETWORK, MOMENTA, lr=0.01, steps=1000, optimizer=optimizer)
        residuals += table.column("identity_residual")
        momentum_tables.append(table)
        print(table.table(), "\n")
    plot_drift_versus_momentum(momentum_tables, figures / "training_drift_momentum.png")

    print("3. hb (T = 2) against gd along the same gradient-flow path (T = 2/(1 - lambda))\n")
    lam = 0.9
    print(f"  {'lr':>8}  median ratio over the 8 laws   (1 + lambda)/(1 - lambda)^2 = "
          f"{(1 + lam) / (1 - lam)**2:g}")
    for lr in (0.01, 0.005, 0.0025):
        hb = simulate(NETWORK, "hb", lr=lr, momentum=lam, steps=round(2 / lr))
        gd = simulate(NETWORK, "gd", lr=lr, steps=round(2 / lr / (1 - lam)))
        ratio = np.median(hb.law_changes()[-1] / gd.law_changes()[-1])
        print(f"  {lr:>8g}  {ratio:>10.1f}")
    print()

    print("4. NMF of digits: the entropic laws under md and under gd, fixed time T = 20\n")
    md = drift_versus_step_size(FACTORIZATION, "md", [0.4, 0.2, 0.1, 0.05], time=20)
    gd = drift_versus_step_size(FACTORIZATION, "gd", [0.4, 0.2, 0.1, 0.05], time=20,
                                laws="entropic")
    residuals += md.column("identity_residual")
    print(md.table(), "\n")
    print(gd.table(), "\n  (gd: the entropic laws are not laws of its flow)\n")

    print("5. Figure 2 of Gluch-Urbanke: layers relu, repu2, repu2, relu on digits, gd, T = 40\n")
    chain = MLP([64, 16, 16, 16, 16, 10], ["relu", "repu2", "repu2", "relu"])
    run = simulate(chain, "gd", lr=0.01, steps=4000, data="digits", laws=chain_quantities(chain))
    for name, change in zip(run.laws().names(), run.law_changes()[-1]):
        print(f"  {name:<22} changed by {change: .6f}")
    print(f"  ({chain.dimension()} parameters; the exact count of {chain} is beyond reach, "
          f"its per-neuron laws are the known ones)\n")
    plot_run(run, figures / "training_chain.png")

    finite = [r for r in residuals if r is not None]
    print(f"6. Largest relative residual of the exact identities over {len(finite)} runs: "
          f"{max(finite):.1e}\n")

    plot_run(simulate(NETWORK, "gd", lr=0.05, steps=500), figures / "training_run_gd.png")
    plot_run(simulate(FACTORIZATION, "md", lr=0.2, steps=500), figures / "training_run_nmf_md.png")
    plot_optimizers([simulate(NETWORK, o, lr=0.01, steps=1000) for o in ("gd", "hb", "nag", "nd")],
                    figures / "training_optimizers.png")
    for png in sorted(figures.glob("training_*.png")):
        print(f"wrote {png} ({png.stat().st_size // 1024} KB)")
    print(f"total {time.perf_counter() - clock:.1f} s")


if __name__ == "__main__":
    main()
