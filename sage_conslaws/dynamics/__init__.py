r"""
Dynamics: gradient flows under a metric, and momentum flows lifted to phase space.
"""
from .gradient import FlowLawCount, gradient_flow_count
from .momentum import MomentumFlow, drift_invariants, momentum_count
from .flows import FLOWS, flow_count
from .compare import ConservationLoss, compare_flows
