r"""
Dynamics: the registry of the training dynamics, their discrete steps, and their laws

The laws are counted exactly for gradient flows under a metric and for
momentum flows lifted to phase space.

- :mod:`~sage_conslaws.dynamics.ode`: every dynamics by name (one registry);
- :mod:`~sage_conslaws.dynamics.steps`: the steps of the discrete optimizers;
- :mod:`~sage_conslaws.dynamics.gradient`, :mod:`~sage_conslaws.dynamics.momentum`,
  :mod:`~sage_conslaws.dynamics.flows`: the exact counts of the laws of a flow;
- :mod:`~sage_conslaws.dynamics.compare`: the laws of the gradient flow against
  those of a momentum flow.

The entry points are imported when first used (:pep:`562`): the registry
and the steps need no Sage, and the command line's ``--help`` reads the
registry without starting it.

EXAMPLES::

    sage: from sage_conslaws.dynamics import FLOWS, flow_count
    sage: FLOWS
    ('gradient', 'momentum', 'nesterov')
"""
from sage_conslaws import _lazy_entry_points

#: The module of each entry point.
_ENTRY_POINTS = {
    ".ode": ("DYNAMICS", "FLOWS"),
    ".gradient": ("FlowLawCount", "gradient_flow_count"),
    ".phase_space": ("MomentumFlow",),
    ".momentum": ("drift_invariants", "momentum_count"),
    ".flows": ("flow_count",),
    ".compare": ("ConservationLoss", "compare_flows"),
}

__getattr__, __dir__, _MODULE_OF = _lazy_entry_points(__name__, _ENTRY_POINTS)

__all__ = sorted(_MODULE_OF)
