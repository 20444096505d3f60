r"""
Sphinx configuration of the documentation of ``sage_conslaws``.

Build it from the repository root with::

    sphinx-build -W -n --keep-going -b html doc doc/_build/html

The docstrings follow SageMath's conventions: plain reST with ``INPUT:``,
``OUTPUT:`` and ``EXAMPLES::`` blocks, and single backticks for LaTeX math
(``default_role = 'math'``, as in SageMath's own documentation).
"""
import os
import sys

# The package is imported from the repository, not from an installed copy.
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

import sage_conslaws  # noqa: E402

# -- Project -----------------------------------------------------------------

project = "sage_conslaws"
author = "the sage_conslaws developers"
copyright = "the sage_conslaws developers"
version = sage_conslaws.__version__
release = sage_conslaws.__version__

# -- General -----------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    # MathJax from the package, copied into _static: the pages render offline
    "sphinx-mathjax-offline",
    "sphinx.ext.viewcode",
    "sphinx.ext.extlinks",
]

# :arxiv:`2307.00144`, as in SageMath's documentation.
extlinks = {"arxiv": ("https://arxiv.org/abs/%s", "arXiv %s")}

exclude_patterns = ["_build"]

# Single backticks are LaTeX math, as in SageMath: `\phi`, `\RR^D`.
default_role = "math"

# ``sage:`` examples are literal blocks; do not colour them as Python
# (their ``^`` and ``....:`` prompts are not Python).
highlight_language = "none"

autodoc_member_order = "bysource"
# Each ``automodule`` of api.rst says ``:members:`` itself: a default
# ``members`` here would override the explicit list given for one module.
# sage_conslaws.torch imports PyTorch (the extra [torch]); without it, autodoc reads
# the modules against a mock
try:
    import torch  # noqa: F401
except ImportError:
    autodoc_mock_imports = ["torch"]

autodoc_default_options = {
    "show-inheritance": True,
}
# The first line of a Sage-style docstring is a sentence, never a signature.
autodoc_docstring_signature = False
# ``count_conservation_laws(...)``, not ``sage_conslaws.laws.count.count_...``:
# the section title already names the module.
add_module_names = False

# -- Math --------------------------------------------------------------------

# The LaTeX macros of SageMath's documentation used in docstrings.
mathjax3_config = {
    "tex": {
        "macros": {
            "NN": r"\mathbf{N}",
            "ZZ": r"\mathbf{Z}",
            "QQ": r"\mathbf{Q}",
            "RR": r"\mathbf{R}",
            "CC": r"\mathbf{C}",
            "GF": [r"\mathbf{F}_{#1}", 1],
            "Frac": r"\mathrm{Frac}",
        }
    }
}

# -- Cross-references --------------------------------------------------------

# Names from SageMath that Sphinx cannot resolve, such as the base class
# ``sage.structure.sage_object.SageObject`` shown by ``show-inheritance`` (no
# intersphinx: builds must work offline), and PyTorch's ``nn.Module``, the base of
# the layers of :mod:`sage_conslaws.torch.modules`. Only external names belong here:
# ``sage\.`` does not match ``sage_conslaws``.
nitpick_ignore_regex = [
    (r"py:.*", r"sage\..*"),
    (r"py:.*", r"torch\..*"),
    (r"py:class", r"Module"),
]

# -- HTML --------------------------------------------------------------------

html_theme = "alabaster"
html_title = f"sage_conslaws {release}"
html_static_path = []
# No copies of the .rst sources in the build: ``sage -t doc`` would run their
# examples a second time (and stale copies could fail).
html_copy_source = False
html_show_sourcelink = False


# -- Inherited methods -------------------------------------------------------

def resolve_inherited_methods(app, env, node, contnode):
    r"""
    Resolve ``:meth:`name``` or ``:meth:`Class.name``` to a method that
    ``Class`` (by default the class of the docstring) inherits from a
    documented base class, as SageMath's documentation does.

    Autodoc does not repeat inherited members, so ``:meth:`ring``` in a
    docstring of :class:`~sage_conslaws.models.polynomial_map.PolynomialMap`
    has to point to ``Model.ring``.
    """
    if node.get("refdomain") != "py" or node.get("reftype") not in ("meth", "attr"):
        return None
    target = node.get("reftarget", "")
    modname, classname = node.get("py:module"), node.get("py:class")
    owner_path, _, name = target.rpartition(".")
    candidates = []
    if owner_path:
        candidates += [owner_path] + ([f"{modname}.{owner_path}"] if modname else [])
    elif modname and classname:
        candidates.append(f"{modname}.{classname}")
    domain = env.get_domain("py")
    for path in candidates:
        cls = _import_object(path)
        for base in getattr(cls, "__mro__", ())[1:]:
            full_name = f"{base.__module__}.{base.__qualname__}.{name}"
            if full_name in domain.objects:
                return domain.resolve_xref(env, node["refdoc"], app.builder,
                                           node["reftype"], full_name, node, contnode)
    return None


def _import_object(path):
    r"""
    Return the object named by the dotted ``path`` (a module, then attributes),
    or ``None``.
    """
    import importlib
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        try:
            for part in parts[i:]:
                obj = getattr(obj, part)
        except AttributeError:
            return None
        return obj
    return None


def setup(app):
    app.connect("missing-reference", resolve_inherited_methods)
