r"""
Architectures: one module per model, all subclasses of :class:`~sage_conslaws.architectures.base.Model`.

Fully connected networks (linear, ReLU, MLP, ICNN) derive from
:class:`~sage_conslaws.architectures.layered.LayeredNetwork`.
"""
from .base import Model
from .layered import LayeredNetwork
from .linear import LinearNetwork
from .relu import ReLUNetwork
from .polynomial_map import PolynomialMap, VectorFieldFamily
from .nmf import NMF
from .icnn import ICNN
from .mlp import MLP
