r"""
sage_conslaws: exact, certified conservation laws of training dynamics

The public entry points; see the documentation for a tutorial.

They are imported when first used (:pep:`562`), so that importing the
package, e.g. for the command line's ``--help`` or ``--version``, does not
start Sage. Before the first module that needs Sage, Sage is started in an
order that a modular passagemath install supports (that of
:mod:`~sage_conslaws.fields.vector_fields`, the first module the package imported
when it imported everything at once).

EXAMPLES::

    sage: import sage_conslaws
    sage: sage_conslaws.ReLUNetwork
    <class 'sage_conslaws.models.relu.ReLUNetwork'>
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
    ".fields.vector_fields": ("PolynomialVectorField",),
    ".fields.gradient": ("gradient_fields",),
    ".closure.lie_closure": ("LieClosure", "lie_closure"),
    ".laws.polynomial": ("independent_laws", "is_conservation_law", "new_laws", "polynomial_laws"),
    ".models": ("LinearNetwork", "Model", "PolynomialMap", "ReLUNetwork", "VectorFieldFamily",
                "ICNN", "NMF", "MLP", "LayeredNetwork"),
    ".laws.result": ("ConservationLawCount",),
    ".laws.count": ("count_conservation_laws",),
    ".dynamics": ("FlowLawCount", "MomentumFlow", "gradient_flow_count", "momentum_count",
                  "drift_invariants", "flow_count", "ConservationLoss", "compare_flows"),
    ".symmetries.algebra": ("SymmetryAlgebra",),
    ".symmetries.generators": ("SymmetryGenerator", "is_symmetry"),
    ".symmetries.solve": ("linear_symmetries",),
    ".dynamics.equations": ("Dynamics", "dynamics"),
    ".symmetries.cross_check": ("NoetherCrossCheck", "noether_cross_check"),
    ".symmetries.noether": ("NoetherLaw", "noether_laws"),
    ".symmetries.tables": ("LawTable", "law_table"),
    ".dynamics.continuous_limits.limits": ("ContinuousLimits", "continuous_limits"),
    ".dynamics.continuous_limits.rates": ("convergence_rates",),
}


def _lazy_entry_points(package, entry_points):
    r"""
    Return the ``__getattr__`` and ``__dir__`` of the package ``package`` whose entry points are imported when first used (:pep:`562`), and the module of each entry point.

    INPUT:

    - ``package`` -- the name of the package
    - ``entry_points`` -- a dictionary: module (relative to ``package``) ->
      the names it defines

    TESTS::

        sage: from sage_conslaws import _lazy_entry_points
        sage: getattr_, dir_, module_of = _lazy_entry_points("sage_conslaws", {".laws.polynomial": ("new_laws",)})
        sage: getattr_("new_laws").__name__, module_of
        ('new_laws', {'new_laws': '.laws.polynomial'})
    """
    module_of = {name: module for module, names in entry_points.items() for name in names}
    namespace = sys.modules[package].__dict__

    def __getattr__(name):
        if name not in module_of:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module_of[name], package), name)
        namespace[name] = value
        return value

    def __dir__():
        return sorted(set(namespace) | set(module_of))

    return __getattr__, __dir__, module_of


__getattr__, __dir__, _MODULE_OF = _lazy_entry_points(__name__, _ENTRY_POINTS)

__all__ = sorted(_MODULE_OF)


class _Package(ModuleType):
    def __setattr__(self, name, value):
        # importing the subpackage sage_conslaws.dynamics sets the attribute ``dynamics``
        # of the package: it must stay the function noether.dynamics, the entry point
        if name in _MODULE_OF and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

#: The modules that do not need Sage: those of the command line's ``--help`` and ``--version``,
#: and the registry of the dynamics (a package's name stands for its ``__init__`` only).
_WITHOUT_SAGE = {"__main__", "interface", "interface.cases", "interface.cli",
                 "interface.progress", "interface.report", "interface.study_commands",
                 "dynamics", "dynamics.ode", "dynamics.steps"}


class _SageFirst:
    # An import hook: imports of a modular passagemath install fail on a circular import
    # when, e.g., the first one is sage.rings.polynomial.polynomial_ring_constructor.
    started = False

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        package, _, module = name.partition(".")
        if (not cls.started and package == __name__ and module
                and module not in _WITHOUT_SAGE):
            cls.started = True
            importlib.import_module(".fields.vector_fields", __name__)
        return None


sys.meta_path.insert(0, _SageFirst)
