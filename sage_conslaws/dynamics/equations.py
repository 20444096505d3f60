r"""
Second-order dynamics `\kappa_2(t)\ddot\theta + \kappa_1(t)\dot\theta + \nabla L(\theta) = 0`,
exactly (sympy), with their energy identity; the names come from the registry
:mod:`~sage_conslaws.dynamics.ode`.
"""
from fractions import Fraction
import sympy
from sage.structure.element import Element
from sage.structure.sage_object import SageObject

from sage_conslaws.dynamics import ode
from sage_conslaws.expressions.parser import ExpressionError
from sage_conslaws.expressions.sympy_builder import parse_sympy


#: The time variable of the coefficients `\kappa_1, \kappa_2`.
t = sympy.Symbol("t", positive=True)


class Dynamics(SageObject):
    r"""
    The dynamics `\kappa_2(t)\ddot\theta + \kappa_1(t)\dot\theta + \nabla L(\theta) = 0`.

    INPUT:

    - ``name`` -- a readable name
    - ``kappa2``, ``kappa1`` -- the coefficients, as sympy expressions in
      :data:`t` (or rational numbers, or strings such as ``"3/t"`` or
      ``"exp(-t/2)"``, read by :func:`~sage_conslaws.expressions.sympy_builder.parse_sympy`,
      never evaluated) with exact coefficients; other symbols are parameters
    - ``entry`` -- (default: ``None``) the entry of the registry
      :data:`~sage_conslaws.dynamics.ode.DYNAMICS` whose coefficients these
      are (:func:`dynamics` gives it), or ``None`` for a dynamics of one's own

    EXAMPLES::

        sage: from sage_conslaws.dynamics.equations import Dynamics
        sage: D = Dynamics("my flow", "t", "2"); D
        my flow: t*theta'' + 2*theta' + grad L(theta) = 0
        sage: D.integrating_factor()
        t**2
        sage: D.entry() is None
        True

    TESTS::

        sage: Dynamics("bad", 0.5, 1)
        Traceback (most recent call last):
        ...
        TypeError: kappa2 must be exact, not floating-point (write 1/2, not 0.5)
        sage: Dynamics("bad", 0, 0)
        Traceback (most recent call last):
        ...
        ValueError: kappa1 and kappa2 cannot both vanish
        sage: Dynamics("bad", "t +", 1)
        Traceback (most recent call last):
        ...
        ValueError: kappa2 must be an expression in t, got 't +' (the expression ends too early, at character 4 of "t +")
        sage: Dynamics("bad", 1, "sin(t)")
        Traceback (most recent call last):
        ...
        ValueError: kappa1 must be an expression in t, got 'sin(t)' (unknown function "sin" at character 1 of "sin(t)"; known: exp)
    """

    def __init__(self, name, kappa2, kappa1, entry=None):
        self._name = str(name)
        self._kappa2 = _expression(kappa2, "kappa2")
        self._kappa1 = _expression(kappa1, "kappa1")
        if self._kappa2 == 0 and self._kappa1 == 0:
            raise ValueError("kappa1 and kappa2 cannot both vanish")
        self._entry = entry

    def name(self):
        r"""
        Return the name.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.equations import dynamics
            sage: dynamics("NAGF").name()
            'Nesterov flow'
        """
        return self._name

    def entry(self):
        r"""
        Return the entry of the registry :data:`~sage_conslaws.dynamics.ode.DYNAMICS` of this dynamics (``None`` if it has none).

        EXAMPLES::

            sage: from sage_conslaws.dynamics.equations import dynamics
            sage: dynamics("HB").entry()
            heavy-ball (HB): heavy-ball modified equation, h*(1 + lam)/2*theta'' + (1 - lam)*theta' + grad L(theta) = 0
            sage: dynamics("HB").entry().optimizers()
            ('hb',)
        """
        return self._entry

    def engine_flow(self):
        r"""
        Return the flow of the engine that counts the laws of this dynamics, and its damping.

        The flow is one of :data:`~sage_conslaws.dynamics.ode.FLOWS`, for
        :func:`~sage_conslaws.dynamics.flows.flow_count`. The damping of the
        ``"momentum"`` flow is `\kappa_1/\kappa_2` (a constant `\kappa_2`
        only rescales the loss, and the laws hold for every loss): a
        ``Fraction`` when it is a number, else a sympy
        expression in the parameters; the other flows have none.

        OUTPUT: a pair ``(flow, damping)``, or ``None`` for a dynamics without
        :meth:`entry`

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.dynamics import flow_count
            sage: from sage_conslaws.dynamics.equations import dynamics
            sage: dynamics("GF").engine_flow(), dynamics("ND").engine_flow()
            (('gradient', None), ('momentum', Fraction(0, 1)))
            sage: flow, tau = dynamics("HB", h=1/100, lam=9/10).engine_flow(); flow, tau
            ('momentum', Fraction(200, 19))
            sage: flow_count(LinearNetwork([1, 2, 1]), flow, damping=tau).number_of_laws()
            2
            sage: dynamics("HB").engine_flow()
            ('momentum', 2*(1 - lambda)/(h*(lambda + 1)))
        """
        if self._entry is None:
            return None
        if self._entry.flow != "momentum":
            return self._entry.flow, None
        damping = sympy.simplify(self._kappa1 / self._kappa2)
        if damping.is_Rational:
            damping = Fraction(int(damping.p), int(damping.q))
        return self._entry.flow, damping

    def kappa2(self):
        r"""
        Return the coefficient `\kappa_2(t)` of `\ddot\theta`.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.equations import dynamics
            sage: dynamics("heavy-ball").kappa2()
            h*(lambda + 1)/2
        """
        return self._kappa2

    def kappa1(self):
        r"""
        Return the coefficient `\kappa_1(t)` of `\dot\theta`.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.equations import dynamics
            sage: dynamics("NAGF").kappa1()
            3/t
        """
        return self._kappa1

    def is_gradient_flow(self):
        r"""
        Return whether `\kappa_2 = 0` (a first-order, gradient-flow dynamics).

        EXAMPLES::

            sage: from sage_conslaws.dynamics.equations import dynamics
            sage: dynamics("GF").is_gradient_flow(), dynamics("ND").is_gradient_flow()
            (True, False)
        """
        return self._kappa2 == 0

    def integrating_factor(self):
        r"""
        Return `\mu(t) = \exp\int\kappa_1/\kappa_2\,dt`, or ``None`` for a gradient flow.

        It makes `\mu\,(\kappa_2\ddot\theta + \kappa_1\dot\theta)/\kappa_2 =
        \frac{d}{dt}(\mu\dot\theta)`.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.equations import dynamics
            sage: [dynamics(name).integrating_factor() for name in ("ND", "NAGF", "GF")]
            [1, t**3, None]
            sage: dynamics("HB").integrating_factor()
            exp(2*t*(1 - lambda)/(h*(lambda + 1)))
            sage: dynamics("damped", tau=1/2).integrating_factor()
            exp(t/2)
        """
        if self.is_gradient_flow():
            return None
        return sympy.exp(sympy.integrate(self._kappa1 / self._kappa2, t))

    def equation(self):
        r"""
        Return the equation as text.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.equations import dynamics
            sage: dynamics("GF").equation()
            "theta' + grad L(theta) = 0"
        """
        terms = [(self._kappa2, "theta''"), (self._kappa1, "theta'")]
        text = " + ".join(name if c == 1 else f"{sympy_text(c, factor=True)}*{name}"
                          for c, name in terms if c != 0)
        return f"{text} + grad L(theta) = 0"

    def energy_identity(self):
        r"""
        Return the identity that time translation gives: the evolution of the energy.

        With `E = \frac12\kappa_2\|\dot\theta\|^2 + L(\theta)`, along the
        dynamics `\dot E = (\frac12\kappa_2' - \kappa_1)\|\dot\theta\|^2`
        ([GU2021]_, A3 and eq. 35). Unlike the laws of symmetries of `\phi`,
        `E` involves the loss itself; it is conserved when the rate vanishes
        (Newtonian dynamics).

        OUTPUT: a pair ``(conserved, text)``

        EXAMPLES::

            sage: from sage_conslaws.dynamics.equations import dynamics
            sage: dynamics("ND").energy_identity()
            (True, "conserved 1/2*|theta'|^2 + L(theta)")
            sage: dynamics("NAGF").energy_identity()
            (False, "d/dt[1/2*|theta'|^2 + L(theta)] = -3/t*|theta'|^2")
            sage: dynamics("GF").energy_identity()
            (False, "d/dt[L(theta)] = -|theta'|^2")
            sage: dynamics("HB").energy_identity()
            (False, "d/dt[h*(lambda + 1)/4*|theta'|^2 + L(theta)] = (lambda - 1)*|theta'|^2")
        """
        rate = sympy.simplify(sympy.diff(self._kappa2, t) / 2 - self._kappa1)
        half = sympy.nsimplify(self._kappa2) / 2
        kinetic = "" if half == 0 else f"{sympy_text(half, factor=True)}*|theta'|^2 + "
        energy = f"{kinetic}L(theta)"
        if rate == 0:
            return True, f"conserved {energy}"
        speed = "-|theta'|^2" if rate == -1 else f"{sympy_text(rate, factor=True)}*|theta'|^2"
        return False, f"d/dt[{energy}] = {speed}"

    def _repr_(self):
        return f"{self._name}: {self.equation()}"

    def _latex_(self):
        r"""
        Return the equation in LaTeX.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.equations import dynamics
            sage: latex(dynamics("NAGF"))
            \ddot\theta + \frac{3}{t} \dot\theta + \nabla L(\theta) = 0
        """
        terms = [(self._kappa2, r"\ddot\theta"), (self._kappa1, r"\dot\theta")]
        text = " + ".join(name if c == 1 else f"{sympy.latex(c)} {name}"
                          for c, name in terms if c != 0)
        return text + r" + \nabla L(\theta) = 0"


def _expression(value, what):
    r"""
    Return ``value`` as an exact sympy expression, or raise a clear error.

    Strings (and Sage elements, through the text Sage prints) are read by
    :func:`~sage_conslaws.expressions.sympy_builder.parse_sympy`, never evaluated; their
    decimals are exact (``"0.9"`` is `9/10`).

    TESTS::

        sage: from sage_conslaws.dynamics.equations import _expression
        sage: _expression("0.9 - h/(2*t)", "kappa1")
        -h/(2*t) + 9/10
        sage: _expression("__import__('os').system('touch pwned')", "kappa1")
        Traceback (most recent call last):
        ...
        ValueError: kappa1 must be an expression in t, got "__import__('os').system('touch pwned')" (unexpected "'" at character 12 of "__import__('os').system('touch pwned')")
        sage: _expression("(t+1)^5000", "kappa2")
        Traceback (most recent call last):
        ...
        ValueError: beyond reach: the exponent 5000 at character 6 of "(t+1)^5000" is above MAX_EXPONENT = 1000
    """
    if isinstance(value, float) or (isinstance(value, Element) and not value.parent().is_exact()):
        raise TypeError(f"{what} must be exact, not floating-point (write 1/2, not 0.5)")
    if isinstance(value, Element):
        value = str(value)
    if isinstance(value, str):
        try:
            expression = parse_sympy(value, {"t": t})
        except ExpressionError as error:
            raise ValueError(f"{what} must be an expression in t, got {value!r} ({error})") from None
    else:
        try:
            expression = sympy.sympify(value, strict=True)  # strict: never parses str(value)
        except (sympy.SympifyError, TypeError, ValueError):
            raise ValueError(f"{what} must be an expression in t, got {value!r}") from None
    if not isinstance(expression, sympy.Expr):
        raise ValueError(f"{what} must be an expression in t, got {value!r}")
    if expression.atoms(sympy.Float):
        raise TypeError(f"{what} must be exact, not floating-point (write 1/2, not 0.5)")
    return expression


def sympy_text(expression, factor=False):
    r"""
    Return a sympy expression as text with ``^`` for powers, in brackets if it is a sum and ``factor``.

    EXAMPLES::

        sage: import sympy
        sage: from sage_conslaws.dynamics.equations import sympy_text
        sage: h = sympy.Symbol("h")
        sage: sympy_text(h**2 + 1), sympy_text(h**2 + 1, factor=True), sympy_text(sympy.Integer(2)*h, factor=True)
        ('h^2 + 1', '(h^2 + 1)', '2*h')
    """
    text = str(expression).replace("**", "^")
    return f"({text})" if factor and isinstance(expression, sympy.Add) else text


#: The dynamics of the form `\kappa_2\ddot\theta + \kappa_1\dot\theta + \nabla L = 0` of
#: the registry, by canonical name: name -> :class:`~sage_conslaws.dynamics.ode.DynamicsEntry`.
NAMED_DYNAMICS = ode.NAMED_DYNAMICS


#: Other names of the named dynamics: alias -> canonical name.
ALIASES = {alias: name for alias, name in ode.ALIASES.items() if name in NAMED_DYNAMICS}


#: The symbols of the coefficients of the named dynamics: the time and the
#: parameters (``lam`` is written `\lambda`).
_SYMBOLS = {"t": t, "h": sympy.Symbol("h", positive=True),
            "lam": sympy.Symbol("lambda", positive=True), "tau": sympy.Symbol("tau", positive=True)}


def dynamics(name, **parameters):
    r"""
    Return the named dynamics ``name`` with the given ``parameters``.

    INPUT:

    - ``name`` -- a key of :data:`NAMED_DYNAMICS` or of :data:`ALIASES` (the
      registry :mod:`~sage_conslaws.dynamics.ode`): ``"gradient"``
      (``"GF"``), ``"newtonian"`` (``"ND"``), ``"nesterov"`` (``"NAGF"``),
      ``"damped"`` (``"momentum"``: `\ddot\theta + \tau\dot\theta`, parameter
      ``tau``), ``"heavy-ball"`` (``"HB"``) and ``"nag"`` (``"NAG"``), the
      modified equations `h\alpha\ddot\theta + (1 - \lambda)\dot\theta` of
      Kovachki-Stuart with `\alpha = (1 + \lambda)/2`, resp.
      `(1 - \lambda + 2\lambda^2)/2` (parameters ``h``, ``lam``)
    - ``parameters`` -- exact values of the parameters (default: symbols)

    EXAMPLES::

        sage: from sage_conslaws.dynamics.equations import dynamics
        sage: dynamics("NAG", h=1/100, lam="0.9")
        Nesterov (NAG) modified equation: 43/5000*theta'' + 1/10*theta' + grad L(theta) = 0
        sage: dynamics("HB", h=1/100, lam=9/10).integrating_factor()
        exp(200*t/19)
        sage: dynamics("momentum", tau=0).integrating_factor()
        1

    TESTS::

        sage: dynamics("adam")
        Traceback (most recent call last):
        ...
        ValueError: unknown dynamics 'adam'; known: gradient (GF), newtonian (ND), nesterov (NAGF), damped (momentum), heavy-ball (HB), nag (NAG)
        sage: dynamics("mirror")
        Traceback (most recent call last):
        ...
        ValueError: the entropic mirror flow theta' = -diag(theta)*grad L(theta) is not of the form kappa2 theta'' + kappa1 theta' + grad L = 0; known: gradient (GF), newtonian (ND), nesterov (NAGF), damped (momentum), heavy-ball (HB), nag (NAG)
        sage: dynamics("HB", eta=1)
        Traceback (most recent call last):
        ...
        ValueError: unknown parameter 'eta' of heavy-ball; its parameters: h, lam
        sage: dynamics("HB", lam=0.9)
        Traceback (most recent call last):
        ...
        TypeError: lam must be exact, not floating-point (write 1/2, not 0.5)
    """
    key = ALIASES.get(name, name)
    if key not in NAMED_DYNAMICS:
        known = ode.known_names(NAMED_DYNAMICS)
        if key in ode.DYNAMICS:
            other = ode.DYNAMICS[key]
            raise ValueError(f"the {other.title} {other.equation()} is not of the form "
                             f"kappa2 theta'' + kappa1 theta' + grad L = 0; known: {known}")
        raise ValueError(f"unknown dynamics {name!r}; known: {known}")
    entry = NAMED_DYNAMICS[key]
    for p in parameters:
        if p not in entry.parameters:
            raise ValueError(f"unknown parameter {p!r} of {key}; its parameters: "
                             f"{', '.join(entry.parameters) or 'none'}")
    values = {_SYMBOLS[p]: _expression(value, p) for p, value in parameters.items()}
    kappa2, kappa1 = (parse_sympy(c, _SYMBOLS).subs(values, simultaneous=True)
                      for c in entry.coefficients)
    return Dynamics(entry.title, kappa2, kappa1, entry=entry)


def as_dynamics(value):
    r"""
    Return ``value``, a :class:`Dynamics` or the name of one, as a :class:`Dynamics`.

    EXAMPLES::

        sage: from sage_conslaws.dynamics.equations import as_dynamics, dynamics
        sage: D = dynamics("GF"); as_dynamics(D) is D
        True
        sage: as_dynamics("GF")
        gradient flow: theta' + grad L(theta) = 0

    TESTS::

        sage: as_dynamics(None)
        Traceback (most recent call last):
        ...
        TypeError: expected a Dynamics or the name of one, got NoneType
    """
    if isinstance(value, Dynamics):
        return value
    if isinstance(value, str):
        return dynamics(value)
    raise TypeError(f"expected a Dynamics or the name of one, got {type(value).__name__}")
