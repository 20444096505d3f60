r"""
Conservation laws in real training runs (float64, at the edge)

The rest of the package is exact; this subpackage trains the models on a
small data set shipped with scikit-learn, with the discrete optimizers whose
continuous limits the rest of the package analyses, and measures how far the
exact conservation laws drift along the run:

- :mod:`~sage_conslaws.training.datasets`: the bundled data sets;
- :mod:`~sage_conslaws.training.network`: the float64 model, its loss and
  its gradient by backpropagation;
- :mod:`~sage_conslaws.training.architectures`: the same for attention,
  residual, convolutional networks, LoRA and diagonal networks;
- :mod:`~sage_conslaws.training.optimizers`: GD, heavy ball, Nesterov (two
  forms), Newtonian dynamics, multiplicative (mirror) updates;
- :mod:`~sage_conslaws.training.laws`: the exact laws in a fast float64 form;
- :mod:`~sage_conslaws.training.simulate`: one run, its drift and the
  residuals of the exact discrete identities; drift studies;
- :mod:`~sage_conslaws.training.plots`: figures.

It needs the extra ``[simulate]`` (numpy, matplotlib, scikit-learn).

EXAMPLES::

    sage: from sage_conslaws import ReLUNetwork
    sage: from sage_conslaws.training import simulate
    sage: run = simulate(ReLUNetwork([4, 3, 3]), "gd", lr=0.05, steps=20)
    sage: run.max_drift() < 1e-2, run.identity_residual() < 1e-12
    (True, True)
"""
try:
    import numpy  # noqa: F401
except ImportError:  # pragma: no cover - depends on the install
    raise ImportError("training runs need numpy: install sage-conslaws[simulate]") from None

from sage_conslaws.training.datasets import Dataset, load_dataset
from sage_conslaws.training.optimizers import OPTIMIZERS
from sage_conslaws.training.simulate import TrainingDiverged, TrainingRun, simulate
from sage_conslaws.training.drift import DriftTable, drift_versus_momentum, drift_versus_step_size
