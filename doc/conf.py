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
autodoc_default_options = {
    "show-inheritance": True,
}
# Sage docstrings repeat the signature in their first line only for
# extension types; ours are plain Python functions.
autodoc_docstring_signature = False
# Keep the module docstring of each module in its page.
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

# Names from SageMath and the standard library that Sphinx cannot resolve (no
# intersphinx: builds must work offline). Only external names belong here.
nitpick_ignore_regex = [
    (r"py:.*", r"sage\..*"),
]



def resolve_inherited_methods(app, env, node, contnode):
    r"""
    Resolve ``:meth:`name``` in a docstring of a class to a method inherited
    from a documented base class (as SageMath's documentation does).

    Autodoc does not repeat inherited members, so ``:meth:`ring``` in a
    docstring of :class:`~sage_conslaws.architectures.polynomial_map.PolynomialMap`
    has to point to ``Model.ring``.
    """
    if node.get("refdomain") != "py" or node.get("reftype") not in ("meth", "attr"):
        return None
    target, classname = node.get("reftarget", ""), node.get("py:class")
    modname = node.get("py:module")
    if "." in target or not classname or not modname:
        return None
    import importlib
    try:
        cls = importlib.import_module(modname)
        for part in classname.split("."):
            cls = getattr(cls, part)
    except (ImportError, AttributeError):
        return None
    domain = env.get_domain("py")
    for base in getattr(cls, "__mro__", ())[1:]:
        full_name = f"{base.__module__}.{base.__qualname__}.{target}"
        if full_name in domain.objects:
            return domain.resolve_xref(env, node["refdoc"], app.builder, node["reftype"],
                                       full_name, node, contnode)
    return None


def setup(app):
    app.connect("missing-reference", resolve_inherited_methods)


# -- HTML --------------------------------------------------------------------

html_theme = "alabaster"
html_title = f"sage_conslaws {release}"
html_static_path = []
