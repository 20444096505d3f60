r"""
sage_conslaws: exact, certified conservation laws of training dynamics

The public entry points; see the documentation for a tutorial.

They are imported when first used (:pep:`562`), so that importing the
package, e.g. for the command line's ``--help`` or ``--version``, does not
start Sage. Before the first module that needs Sage, Sage is started in an
order that a modular passagemath install supports (that of
:mod:`~sage_conslaws.vector_fields`, the first module the package imported
when it imported everything at once).

EXAMPLES::

    sage: import sage_conslaws
    sage: sage_conslaws.ReLUNetwork
    <class 'sage_conslaws.architectures.relu.ReLUNetwork'>
    sage: sage_conslaws.no_such_name
    Traceback (most recent call last):
    ...
    AttributeError: module 'sage_conslaws' has no attribute 'no_such_name'

An entry point keeps its name even when a subpackage has it too::

    sage: import sage_conslaws.dynamics.flows
    sage: from sage_conslaws import dynamics
    sage: dynamics("nesterov")
    Nesterov flow: theta'' + 3/t*theta' + grad L(theta) = 0
"""
import importlib
import sys
from types import ModuleType

__version__ = "0.1.0"

#: The module of each public entry point.
_ENTRY_POINTS = {
    ".vector_fields": ("PolynomialVectorField", "gradient_fields"),
    ".lie_closure": ("LieClosure", "lie_closure"),
    ".laws": ("independent_laws", "is_conservation_law", "new_laws", "polynomial_laws"),
    ".architectures": ("LinearNetwork", "Model", "PolynomialMap", "ReLUNetwork",
                       "VectorFieldFamily", "ICNN", "NMF", "MLP", "LayeredNetwork"),
    ".analysis": ("ConservationLawCount", "count_conservation_laws"),
    ".dynamics": ("FlowLawCount", "MomentumFlow", "gradient_flow_count", "momentum_count",
                  "drift_invariants", "flow_count", "ConservationLoss", "compare_flows"),
    ".symmetries": ("SymmetryAlgebra", "SymmetryGenerator", "is_symmetry", "linear_symmetries"),
    ".noether": ("Dynamics", "NoetherCrossCheck", "NoetherLaw", "dynamics",
                 "noether_cross_check", "noether_laws"),
    ".law_tables": ("LawTable", "law_table"),
    ".continuous_limits": ("ContinuousLimits", "continuous_limits", "convergence_rates"),
}
_MODULE_OF = {name: module for module, names in _ENTRY_POINTS.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name):
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_MODULE_OF[name], __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))


class _Package(ModuleType):
    def __setattr__(self, name, value):
        # importing the subpackage sage_conslaws.dynamics sets the attribute ``dynamics``
        # of the package: it must stay the function noether.dynamics, the entry point
        if name in _MODULE_OF and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

#: The modules that do not need Sage: those of the command line's ``--help`` and ``--version``.
_WITHOUT_SAGE = {"__main__", "cli", "progress", "report"}


class _SageFirst:
    # An import hook: imports of a modular passagemath install fail on a circular import
    # when, e.g., the first one is sage.rings.polynomial.polynomial_ring_constructor.
    started = False

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        package, _, module = name.partition(".")
        if (not cls.started and package == __name__ and module
                and module.split(".")[0] not in _WITHOUT_SAGE):
            cls.started = True
            importlib.import_module(".vector_fields", __name__)
        return None


sys.meta_path.insert(0, _SageFirst)
