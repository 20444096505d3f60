r"""
Architectures: one module per model, all subclasses of :class:`~sage_conslaws.models.base.Model`.

Fully connected networks (linear, ReLU, MLP, ICNN) derive from
:class:`~sage_conslaws.models.layered.LayeredNetwork`.
"""
from sage_conslaws.models.base import Model
from sage_conslaws.models.layered import LayeredNetwork
from sage_conslaws.models.linear import LinearNetwork
from sage_conslaws.models.relu import ReLUNetwork
from sage_conslaws.models.polynomial_map import PolynomialMap, VectorFieldFamily
from sage_conslaws.models.nmf import NMF
from sage_conslaws.models.icnn import ICNN
from sage_conslaws.models.mlp import MLP
