r"""
Benchmark: the laws of PyTorch modules watched in their own training loops.

Prints:

1. per module (ReLU MLPs of MNIST's input size, one proven in minutes and one of 109,376
   parameters, beyond the exact count, watched with its known laws; a convolution,
   attention, a ResNet, LoRA): D, the number of laws (proven or not), the seconds to build
   the monitor (the exact count included), the milliseconds of one step of SGD with
   momentum (batch of 256 for the MLPs) without and with the monitor (its hooks record
   the step and predict its change), and the overhead;
2. the drift of the laws of a ReLU network 4-8-3 on iris at a fixed time T = 2 against
   the step size, for SGD and heavy ball (momentum 0.9), with the ratio of consecutive
   drifts (2 for an O(lr) drift) and the residual of the step-by-step prediction;
3. SGD, heavy ball and Adam at the same step (lr 0.01, 300 steps): drift, prediction;

and writes the three figures of doc/torch.rst to doc/figures/.

Usage: ``PYTHONPATH=. python benchmarks/torch_monitor.py [--figures DIR] [--quick]``.
"""
import argparse
import time
from pathlib import Path

import sage.all__sagemath_singular  # noqa: F401  (initializes the modular Sage rings)

import numpy as np
import torch
from torch import nn

from sage_conslaws.torch import LawMonitor, LoRALinear, Residual
from sage_conslaws.training.datasets import load_dataset


def _block(w, h):
    return Residual(nn.Sequential(nn.Linear(w, h), nn.ReLU(), nn.Linear(h, w, bias=False)))


#: name -> (module, input size of the convolutions, shape of a batch of inputs)
MODULES = {
    "relu 4,8,3": (lambda: nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)),
                   None, (150, 4)),
    "relu 784,16,10": (lambda: nn.Sequential(nn.Linear(784, 16), nn.ReLU(),
                                             nn.Linear(16, 10)), None, (256, 784)),
    "relu 784,128,64,10": (lambda: nn.Sequential(nn.Linear(784, 128), nn.ReLU(),
                                                 nn.Linear(128, 64), nn.ReLU(),
                                                 nn.Linear(64, 10)), None, (256, 784)),
    "conv1d 1,8,4 k3 L32": (lambda: nn.Sequential(nn.Conv1d(1, 8, 3), nn.ReLU(),
                                                  nn.Conv1d(8, 4, 3)), 32, (64, 1, 32)),
    "attention d16 h2": (lambda: nn.MultiheadAttention(16, 2, bias=False, batch_first=True),
                         None, (32, 8, 16)),
    "resnet 8,8 x2": (lambda: nn.Sequential(_block(8, 8), _block(8, 8)), None, (128, 8)),
    "lora 32,4,32": (lambda: LoRALinear(32, 4, 32), None, (128, 32)),
}


def _forward(module, x):
    if isinstance(module, nn.MultiheadAttention):
        return module(x, x, x, need_weights=False)[0]
    return module(x)


def module_table(steps):
    print("| module | D | laws | proven | monitor built (s) | train step (ms) | "
          "train step + monitor (ms) | overhead |")
    print("|---|---|---|---|---|---|---|---|")
    for name, (make, size, shape) in MODULES.items():
        torch.manual_seed(0)
        module = make()
        x = torch.randn(*shape)
        target = torch.randn_like(_forward(module, x))
        opt = torch.optim.SGD([p for p in module.parameters() if p.requires_grad], lr=1e-3,
                              momentum=0.9)

        def train(n):
            start = time.perf_counter()
            for _ in range(n):
                opt.zero_grad()
                ((_forward(module, x) - target) ** 2).mean().backward()
                opt.step()
            return (time.perf_counter() - start) / n

        train(2)
        alone = train(steps)
        start = time.perf_counter()
        monitor = LawMonitor(module, opt, input_size=size, hook=True)
        built = time.perf_counter() - start
        watched = train(steps)   # the hooks record every step and predict its change
        assert monitor.is_predicted(), monitor.why_not_predicted()
        print(f"| {name} | {monitor.model().dimension()} | {len(monitor.names())} | "
              f"{monitor.laws().is_certified()} | {built:.2f} | {1e3 * alone:.3f} | "
              f"{1e3 * watched:.3f} | {100 * (watched - alone) / alone:.0f} % |")


def _iris():
    iris = load_dataset("iris")
    return (torch.tensor(iris.inputs, dtype=torch.float64),
            torch.tensor(np.asarray(iris.targets)).argmax(dim=1))


def train_iris(make_optimizer, steps):
    x, y = _iris()
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)).double()
    opt = make_optimizer(net.parameters())
    monitor = LawMonitor(net, opt)
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        monitor.step(loss)
    return monitor


def _prediction_residual(monitor):
    h = monitor.history()
    return "-" if h["predicted"] is None else f"{np.abs(h['values'] - h['predicted']).max():.1e}"


def drift_table(lrs, time_T=2.0):
    print(f"\nReLU 4-8-3 on iris, full batch, fixed time T = {time_T}:\n")
    print("| optimizer | lr | steps | drift | ratio to the next lr | explained by the steps | "
          "prediction residual |")
    print("|---|---|---|---|---|---|---|")
    for label, options in [("SGD", {}), ("heavy ball 0.9", {"momentum": 0.9})]:
        rows = []
        for lr in lrs:
            steps = int(round(time_T / lr))
            m = train_iris(lambda p: torch.optim.SGD(p, lr=lr, **options), steps)
            rows.append((lr, steps, max(m.drift().values()), max(m.expected().values()),
                         _prediction_residual(m)))
        for k, (lr, steps, drift, expected, residual) in enumerate(rows):
            ratio = f"{drift / rows[k + 1][2]:.3f}" if k + 1 < len(rows) else ""
            print(f"| {label} | {lr:g} | {steps} | {drift:.3e} | {ratio} | {expected:.3e} | "
                  f"{residual} |")


def optimizers_table(figures):
    print("\nReLU 4-8-3 on iris, lr 0.01, 300 steps (the figures of doc/torch.rst):\n")
    print("| optimizer | drift | explained by the steps | flagged | figure |")
    print("|---|---|---|---|---|")
    runs = [("SGD", "sgd", lambda p: torch.optim.SGD(p, lr=0.01)),
            ("heavy ball 0.9", "momentum", lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9)),
            ("Adam", "adam", lambda p: torch.optim.Adam(p, lr=0.01))]
    for label, name, make in runs:
        m = train_iris(make, 300)
        path = figures / f"torch_{name}.png"
        m.plot(str(path), title=f"{label}, lr 0.01, on nn.Sequential(Linear(4, 8), ReLU(), "
                                "Linear(8, 3)), iris")
        expected = m.expected()
        print(f"| {label} | {max(m.drift().values()):.3e} | "
              f"{'-' if expected is None else f'{max(expected.values()):.3e}'} | "
              f"{len(m.flagged())} | {path.name} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--figures", default=str(Path(__file__).resolve().parent.parent
                                                 / "doc" / "figures"))
    parser.add_argument("--quick", action="store_true", help="fewer steps and step sizes")
    options = parser.parse_args()
    figures = Path(options.figures)
    figures.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)   # the 2-core machine: one thread per process, repeatable times
    module_table(20 if options.quick else 200)
    drift_table([0.1, 0.05] if options.quick else [0.1, 0.05, 0.025, 0.0125])
    optimizers_table(figures)


if __name__ == "__main__":
    main()
