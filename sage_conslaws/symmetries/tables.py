r"""
Tables of Noether laws: every symmetry generator of a model under several dynamics

Głuch and Urbanke ([GU2021]_, Tables 2-4) list, for each activation, the law
(gradient flow) or the identity (Newtonian dynamics, Nesterov flow, general
dynamics `\kappa_2(t)\ddot\theta + \kappa_1(t)\dot\theta + \nabla L = 0`) that
each symmetry gives. :func:`law_table` produces such a table for a concrete
network, from its structural symmetries
(:meth:`~sage_conslaws.models.layer_laws.LayerLaws.structural_symmetries`)
through :class:`~sage_conslaws.symmetries.noether.NoetherLaw`: nothing in it is typed by hand.

EXAMPLES::

    sage: from sage_conslaws import MLP
    sage: from sage_conslaws.symmetries.tables import law_table
    sage: T = law_table(MLP([1, 1, 1], "repu2"), dynamics=("gradient", "newtonian"))
    sage: print(T)
    rescale neuron 1.0: w1_0_0*d/dw1_0_0 - 2*w2_0_0*d/dw2_0_0
      gradient flow      : conserved 1/2*w1_0_0^2 - w2_0_0^2
      Newtonian dynamics : d/dt[w1_0_0*w1_0_0' - 2*w2_0_0*w2_0_0'] = w1_0_0'^2 - 2*w2_0_0'^2
"""
import sympy
from sage.misc.latex import LatexExpr
from sage.structure.sage_object import SageObject

from sage_conslaws.models.layered import LayeredNetwork
from sage_conslaws.dynamics.equations import Dynamics, dynamics as named_dynamics, t
from sage_conslaws.symmetries.noether import NoetherLaw

#: The dynamics of the tables of [GU2021]_: GF, ND, NAGF and general `\kappa_1, \kappa_2`.
TABLE_DYNAMICS = ("gradient", "newtonian", "nesterov", "general")


def general_dynamics():
    r"""
    Return the general dynamics `\kappa_2(t)\ddot\theta + \kappa_1(t)\dot\theta + \nabla L(\theta) = 0`.

    `\kappa_1` and `\kappa_2` are unspecified functions of `t`.

    EXAMPLES::

        sage: from sage_conslaws.symmetries.tables import general_dynamics
        sage: general_dynamics()
        general dynamics: kappa2(t)*theta'' + kappa1(t)*theta' + grad L(theta) = 0
    """
    return Dynamics("general dynamics", sympy.Function("kappa2")(t),
                    sympy.Function("kappa1")(t))


def _dynamics(name):
    r"""
    Return the dynamics called ``name``: ``"general"`` or a name of :func:`~sage_conslaws.dynamics.equations.dynamics`.
    """
    if isinstance(name, Dynamics):
        return name
    return general_dynamics() if name == "general" else named_dynamics(name)


class LawTable(SageObject):
    r"""
    The Noether law or identity of every symmetry generator under every dynamics of a list.

    Build it with :func:`law_table`.

    INPUT:

    - ``generators`` -- a list of :class:`~sage_conslaws.symmetries.generators.SymmetryGenerator`
    - ``dynamics`` -- a list of :class:`~sage_conslaws.dynamics.equations.Dynamics`

    EXAMPLES::

        sage: from sage_conslaws import MLP
        sage: from sage_conslaws.symmetries.tables import LawTable, general_dynamics
        sage: T = LawTable(MLP([1, 1, 1], "swish").structural_symmetries(), [general_dynamics()])
        sage: T.law(0, 0).text()
        "d/dt[exp(Integral(kappa1(t)/kappa2(t), t))*(w1_0_0*w1_0_0' - beta1_0*beta1_0' - w2_0_0*w2_0_0')] = exp(Integral(kappa1(t)/kappa2(t), t))*(w1_0_0'^2 - beta1_0'^2 - w2_0_0'^2)"
    """

    def __init__(self, generators, dynamics):
        self._generators = list(generators)
        self._dynamics = list(dynamics)
        self._laws = [[NoetherLaw(xi, d) for d in self._dynamics] for xi in self._generators]

    def generators(self):
        r"""
        Return the symmetry generators, one per row.

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: from sage_conslaws.symmetries.tables import law_table
            sage: [xi.name() for xi in law_table(MLP([1, 2, 1], "relu"), per="layer").generators()]
            ['rescale layer 1']
        """
        return list(self._generators)

    def dynamics(self):
        r"""
        Return the dynamics, one per column.

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: from sage_conslaws.symmetries.tables import law_table
            sage: [d.name() for d in law_table(MLP([1, 1, 1], "relu")).dynamics()]
            ['gradient flow', 'Newtonian dynamics', 'Nesterov flow', 'general dynamics']
        """
        return list(self._dynamics)

    def law(self, row, column):
        r"""
        Return the :class:`~sage_conslaws.symmetries.noether.NoetherLaw` of generator ``row`` under dynamics ``column``.

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: from sage_conslaws.symmetries.tables import law_table
            sage: law_table(MLP([1, 1, 1], "pow3")).law(0, 0).quantity()
            1/2*w1_0_0^2 - 3/2*w2_0_0^2
        """
        return self._laws[row][column]

    def text(self):
        r"""
        Return the table as text: each generator, then its law under each dynamics.

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: from sage_conslaws.symmetries.tables import law_table
            sage: print(law_table(MLP([1, 1, 1], "relu"), dynamics=["nesterov"]).text())
            rescale neuron 1.0: w1_0_0*d/dw1_0_0 - w2_0_0*d/dw2_0_0
              Nesterov flow : d/dt[t^3*(w1_0_0*w1_0_0' - w2_0_0*w2_0_0')] = t^3*(w1_0_0'^2 - w2_0_0'^2)
        """
        width = max(len(d.name()) for d in self._dynamics)
        lines = []
        for xi, laws in zip(self._generators, self._laws):
            lines.append(repr(xi))
            lines += [f"  {d.name():<{width}} : {law.text()}"
                      for d, law in zip(self._dynamics, laws)]
        return "\n".join(lines)

    def latex(self):
        r"""
        Return the table in LaTeX: a ``longtable`` with one row per generator and dynamics.

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: from sage_conslaws.symmetries.tables import law_table
            sage: print(law_table(MLP([1, 1, 1], "relu"), dynamics=["gradient"]).latex())
            \begin{longtable}{lll}
            generator & dynamics & law or identity \\ \hline
            rescale neuron 1.0 & gradient flow & $\text{conserved } \frac{1}{2} \mathit{w1}_{0_{0}}^{2} - \frac{1}{2} \mathit{w2}_{0_{0}}^{2}$ \\
            \end{longtable}
        """
        lines = [r"\begin{longtable}{lll}", r"generator & dynamics & law or identity \\ \hline"]
        for xi, laws in zip(self._generators, self._laws):
            lines += [f"{xi.name()} & {d.name()} & ${law.latex()}$ \\\\"
                      for d, law in zip(self._dynamics, laws)]
        lines.append(r"\end{longtable}")
        return LatexExpr("\n".join(lines))

    def _repr_(self):
        return self.text()

    def _latex_(self):
        return self.latex()


def law_table(model, dynamics=TABLE_DYNAMICS, per="neuron"):
    r"""
    Return the table of the Noether laws of the structural symmetries of the network ``model``.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.layered.LayeredNetwork`
      (linear, ReLU, MLP, ...); see its
      :meth:`~sage_conslaws.models.layer_laws.LayerLaws.structural_symmetries`
    - ``dynamics`` -- (default: :data:`TABLE_DYNAMICS`) names of
      :func:`~sage_conslaws.dynamics.equations.dynamics`, ``"general"`` (see
      :func:`general_dynamics`), or :class:`~sage_conslaws.dynamics.equations.Dynamics`
    - ``per`` -- (default: ``"neuron"``) ``"neuron"`` or ``"layer"``: one
      generator per neuron, or the rescalings summed over each layer

    OUTPUT: a :class:`LawTable`

    EXAMPLES:

    Per layer, with biases: the rows of Table 3 of [GU2021]_ for RePU(2)::

        sage: from sage_conslaws import MLP
        sage: from sage_conslaws.symmetries.tables import law_table
        sage: T = law_table(MLP([1, 2, 1], "repu2", bias=True), per="layer")
        sage: print(T.law(0, 0).text())
        conserved 1/2*w1_0_0^2 + 1/2*w1_1_0^2 + 1/2*b1_0^2 + 1/2*b1_1^2 - w2_0_0^2 - w2_0_1^2
        sage: print(T.law(0, 3).text())
        d/dt[exp(Integral(kappa1(t)/kappa2(t), t))*(w1_0_0*w1_0_0' + w1_1_0*w1_1_0' + b1_0*b1_0' + b1_1*b1_1' - 2*w2_0_0*w2_0_0' - 2*w2_0_1*w2_0_1')] = exp(Integral(kappa1(t)/kappa2(t), t))*(w1_0_0'^2 + w1_1_0'^2 + b1_0'^2 + b1_1'^2 - 2*w2_0_0'^2 - 2*w2_0_1'^2)

    TESTS::

        sage: from sage_conslaws import PolynomialMap, ReLUNetwork
        sage: print(law_table(ReLUNetwork([1, 1, 1]), dynamics=["gradient"]))
        rescale neuron 1.0: w1_0_0*d/dw1_0_0 - w2_0_0*d/dw2_0_0
          gradient flow : conserved 1/2*w1_0_0^2 - 1/2*w2_0_0^2
        sage: law_table(PolynomialMap(["x*y"]))
        Traceback (most recent call last):
        ...
        TypeError: PolynomialMap with 2 parameters: [x*y] is not a layered network: it has no structural symmetries; use sage_conslaws.symmetries.noether.noether_laws
        sage: law_table(MLP([1, 1, 1], "relu"), dynamics=["adam"])
        Traceback (most recent call last):
        ...
        ValueError: unknown dynamics 'adam'; known: gradient (GF), newtonian (ND), nesterov (NAGF), damped (momentum), heavy-ball (HB), nag (NAG)
    """
    if not isinstance(model, LayeredNetwork):
        raise TypeError(f"{model} is not a layered network: it has no structural symmetries; "
                        "use sage_conslaws.symmetries.noether.noether_laws")
    return LawTable(model.structural_symmetries(per=per), [_dynamics(d) for d in dynamics])
