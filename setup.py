"""Packaging of sage_conslaws; see README.rst."""
import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
VERSION = re.search(r'__version__ = "([^"]+)"',
                    (HERE / "sage_conslaws" / "__init__.py").read_text()).group(1)
PASSAGEMATH = ">=10.8.13"

setup(
    name="sage-conslaws",
    version=VERSION,
    description="Exact, certified conservation laws of training dynamics, as a SageMath plugin",
    long_description=(HERE / "README.rst").read_text(),
    long_description_content_type="text/x-rst",
    license="GPL-2.0-or-later",
    packages=find_packages(include=["sage_conslaws", "sage_conslaws.*"]),
    python_requires=">=3.10",
    install_requires=[
        # polynomial rings, Groebner bases, jets: Singular
        f"passagemath-singular{PASSAGEMATH}",
        # exact matrices over QQ and ZZ: FLINT
        f"passagemath-flint{PASSAGEMATH}",
        # fast dense matrices over GF(p): LinBox
        f"passagemath-linbox{PASSAGEMATH}",
        "sympy>=1.12",
        # the time limit of the exact count in a training run (an alarm, as Sage's own)
        "cysignals>=1.11",
        # the modular systems of the discovery of laws (laws/discovery.py)
        "numpy>=1.24",
    ],
    extras_require={
        # `sage -t` comes with passagemath-repl
        # float64 training runs on a shipped data set, continuous limits, plots
        "simulate": ["numpy>=1.24", "scipy>=1.10", "matplotlib>=3.7", "scikit-learn>=1.3"],
        "test": ["pytest>=7", f"passagemath-repl{PASSAGEMATH}",
                 "numpy>=1.24", "scipy>=1.10", "matplotlib>=3.7", "scikit-learn>=1.3",
                 "dask[distributed]>=2024.1", "torch>=2.0"],
        # studies on local worker processes or a Dask cluster (sweep --workers / --scheduler)
        "cluster": ["dask[distributed]>=2024.1"],
        # sage_conslaws.torch: read an nn.Module, watch its laws in a PyTorch training loop
        # (the optimizers' step hooks need torch 2.0)
        "torch": ["torch>=2.0"],
        # MathJax bundled, so that the HTML pages render their formulas offline
        "doc": ["sphinx>=7", "sphinx-mathjax-offline>=0.0.2"],
        # a full Sage session: `sage` prompt with everything, `sage script.sage`
        "full": [f"passagemath-standard-no-symbolics{PASSAGEMATH}"],
    },
    entry_points={"console_scripts": ["sage-conslaws=sage_conslaws.interface.cli:entry_point"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Topic :: Scientific/Engineering :: Mathematics",
    ],
)
