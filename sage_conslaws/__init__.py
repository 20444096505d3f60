r"""
sage_conslaws: exact, certified conservation laws of training dynamics

The public entry points; see the documentation for a tutorial.
"""
from .vector_fields import PolynomialVectorField, gradient_fields
from .lie_closure import LieClosure, lie_closure
from .laws import independent_laws, is_conservation_law, new_laws, polynomial_laws
from .architectures import (LinearNetwork, Model, PolynomialMap, ReLUNetwork,
                            VectorFieldFamily)
from .analysis import ConservationLawCount, count_conservation_laws

__version__ = "0.1.0"
from .architectures import ICNN, NMF
from .architectures import MLP
from .dynamics import FlowLawCount, MomentumFlow, gradient_flow_count, momentum_count
from .dynamics import drift_invariants, flow_count
from .dynamics import ConservationLoss, compare_flows
from .symmetries import SymmetryAlgebra, SymmetryGenerator, is_symmetry, linear_symmetries
from .noether import (Dynamics, NoetherCrossCheck, NoetherLaw, dynamics, noether_cross_check,
                      noether_laws)
from .law_tables import LawTable, law_table
from .continuous_limits import ContinuousLimits, continuous_limits, convergence_rates
