r"""
Benchmark: the modern architectures, known laws and discovery mode side by side.

For each case (fixed sizes, seed 0, timed after a warm-up count that loads Sage's
modules): D, then for the count with the model's known laws and for discovery mode
(``discover=True``, no law written by hand) the number of laws, whether it is proven and
the wall-clock seconds.

Goal (issue "Modern architectures", 2-core machine): every case proven, each under 30 s,
for D up to a few hundred.

Measured (2-core machine, 2026-12-01, load about 1): every case proven, the slowest
16 s (discovery mode of the softmax network, 36 s before the compressed kernels of
:func:`sage_conslaws.laws.discovery._right_kernel`)::

    case                                                           D  known: laws proven      s  discover: laws proven      s
    -------------------------------------------------------------------------------------------------------------------------
    attention 8,4,4,8                                            128           20   True   0.10              20   True   0.88
    attention 8,4,4,8 --heads 4                                  512           80   True   0.65              80   True  13.51
    attention 8,4,4,8 --heads 4 --rope                           512           48   True   0.97              48   True  11.22
    attention 12,4,4,12 --heads 2 --rope                         384           24   True   0.59              24   True   5.77
    resnet 4,4 --blocks 2 --bias                                  72            8   True   0.18               8   True   0.50
    resnet 3,3 --blocks 3                                         54            9   True   0.62               9   True   1.35
    conv1d 3,8,4 --kernel 3 --length 16                          168            8   True   0.15               8   True   0.51
    conv1d 2,4,4,2 --kernel 3 --length 12 --bias                 104            8   True   0.23               8   True   0.42
    conv1d 2,6,2 --kernel 3 --length 12 --activation linear       72           21   True   0.04              21   True   0.32
    conv2d 2,6,3 --kernel 3 --size 6,6 --padding 1               270            6   True   0.34               6   True   1.50
    lora 32,4,32                                                 256           10   True   0.47              10   True   4.40
    diagonal 50,4                                                200          150   True   0.09             150   True   2.03
    cp 6,6,6 --rank 4                                             72            8   True   0.07               8   True   0.37
    glu 6,6,4                                                     96           12   True   0.08              12   True   0.58
    relu 8,16,10 --softmax                                       288           32   True   0.30              32   True  16.05

Beyond a few hundred parameters the general path meets its size limits: the count of
``attention 16,8,8,16 --heads 2 --rope`` (D = 1024) is refused, known laws or not, at its
first bracket level (880 generators on R^1024: 1.6e9 dense entries); the structured path of
the issue "Scale" covers layered networks only.

Usage: ``PYTHONPATH=. python benchmarks/modern.py [NAME ...]`` (names: substrings of the
case names).
"""
import sys
import time

CASES = [
    ("attention 8,4,4,8", "attention", "8,4,4,8", {}),
    ("attention 8,4,4,8 --heads 4", "attention", "8,4,4,8", {"heads": 4}),
    ("attention 8,4,4,8 --heads 4 --rope", "attention", "8,4,4,8", {"heads": 4, "rope": True}),
    ("attention 12,4,4,12 --heads 2 --rope", "attention", "12,4,4,12", {"heads": 2, "rope": True}),
    ("resnet 4,4 --blocks 2 --bias", "resnet", "4,4", {"blocks": 2, "bias": True}),
    ("resnet 3,3 --blocks 3", "resnet", "3,3", {"blocks": 3}),
    ("conv1d 3,8,4 --kernel 3 --length 16", "conv1d", "3,8,4", {"kernel": 3, "length": 16}),
    ("conv1d 2,4,4,2 --kernel 3 --length 12 --bias", "conv1d", "2,4,4,2",
     {"kernel": 3, "length": 12, "bias": True}),
    ("conv1d 2,6,2 --kernel 3 --length 12 --activation linear", "conv1d", "2,6,2",
     {"kernel": 3, "length": 12, "activation": "linear"}),
    ("conv2d 2,6,3 --kernel 3 --size 6,6 --padding 1", "conv2d", "2,6,3",
     {"kernel": 3, "size": "6,6", "padding": 1}),
    ("lora 32,4,32", "lora", "32,4,32", {}),
    ("diagonal 50,4", "diagonal", "50,4", {}),
    ("cp 6,6,6 --rank 4", "cp", "6,6,6", {"rank": 4}),
    ("glu 6,6,4", "glu", "6,6,4", {}),
    ("relu 8,16,10 --softmax", "relu", "8,16,10", {"softmax": True}),
]


def _timed(model, discover):
    from sage_conslaws.limits import BeyondReach
    start = time.perf_counter()
    try:
        result = model.conservation_laws(discover=discover, seed=0)
    except BeyondReach:
        return "refused", False, time.perf_counter() - start
    return result.number_of_laws(), result.is_certified(), time.perf_counter() - start


def main(names=()):
    from sage_conslaws.models.registry import build_model
    build_model("relu", "2,2,1").conservation_laws()  # warm-up: Sage's modules
    header = (f"{'case':<58} {'D':>5}  {'known: laws':>11} {'proven':>6} {'s':>6}  "
              f"{'discover: laws':>14} {'proven':>6} {'s':>6}")
    print(header)
    print("-" * len(header))
    for name, model_name, sizes, options in CASES:
        if names and not any(n in name for n in names):
            continue
        options = dict(options)
        model = build_model(model_name, sizes, bias=options.pop("bias", False),
                            softmax=options.pop("softmax", False), **options)
        known, discovered = _timed(model, False), _timed(model, True)
        print(f"{name:<58} {model.dimension():>5}  {known[0]:>11} {str(known[1]):>6} "
              f"{known[2]:>6.2f}  {discovered[0]:>14} {str(discovered[1]):>6} "
              f"{discovered[2]:>6.2f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
