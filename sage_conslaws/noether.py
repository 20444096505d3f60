r"""
Noether's theorem for training dynamics: from symmetries to laws

The general dynamics `\kappa_2(t)\ddot\theta + \kappa_1(t)\dot\theta +
\nabla L(\theta) = 0` ([GU2021]_) covers gradient flow (GF: `\kappa_2 = 0`,
`\kappa_1 = 1`), Newtonian dynamics (ND: `1, 0`), the Nesterov flow (NAGF:
`1, 3/t`), constant damping (`1, \tau`) and the modified equations of heavy
ball and Nesterov momentum (`h\alpha, 1 - \lambda`, Kovachki-Stuart). If
`\xi` is a symmetry of the model (:mod:`sage_conslaws.symmetries`), then
`\langle\nabla L, \xi\rangle = 0` for every loss, hence along the dynamics

.. MATH::

    \langle \kappa_2\ddot\theta + \kappa_1\dot\theta, \xi(\theta) \rangle = 0 .

With the integrating factor `\mu = \exp\int\kappa_1/\kappa_2` this reads
`\frac{d}{dt}\left(\mu\langle\dot\theta, \xi\rangle\right) =
\mu\langle\dot\theta, D\xi\,\dot\theta\rangle`: a conservation law
`\mu(t)\langle\dot\theta, \xi(\theta)\rangle` when the symmetric part of
`D\xi` vanishes (a skew-symmetric linear `\xi = A\theta`). For gradient flow,
`\langle\dot\theta, \xi\rangle = 0` conserves `q` when `\xi = \nabla q` (a
symmetric `A`: `q = \frac12\theta^TA\theta`).

EXAMPLES:

The rescaling of the hidden neuron of `x \mapsto uvx` gives the GF law
`(u^2 - v^2)/2`, and only an identity for momentum::

    sage: from sage_conslaws import LinearNetwork
    sage: from sage_conslaws.noether import noether_laws
    sage: N = LinearNetwork([1, 1, 1])
    sage: noether_laws(N, "gradient")
    [rescale neuron 1.0 under gradient flow: conserved 1/2*w1_0_0^2 - 1/2*w2_0_0^2]
    sage: noether_laws(N, "nesterov")
    [rescale neuron 1.0 under Nesterov flow: d/dt[t^3*(w1_0_0*w1_0_0' - w2_0_0*w2_0_0')] = t^3*(w1_0_0'^2 - w2_0_0'^2)]
"""
from fractions import Fraction

import sympy
from sage.misc.latex import LatexExpr
from sage.structure.element import Element
from sage.structure.sage_object import SageObject

from .architectures.base import parameter_ring
from .dynamics import ode
from .expressions import ExpressionError, parse_sympy
from .symmetries import (SymmetryGenerator, as_field, field_formula, is_symmetry,
                         linear_symmetries)
from .vector_fields import _variable_indices

#: The time variable of the coefficients `\kappa_1, \kappa_2`.
t = sympy.Symbol("t", positive=True)


class Dynamics(SageObject):
    r"""
    The dynamics `\kappa_2(t)\ddot\theta + \kappa_1(t)\dot\theta + \nabla L(\theta) = 0`.

    INPUT:

    - ``name`` -- a readable name
    - ``kappa2``, ``kappa1`` -- the coefficients, as sympy expressions in
      :data:`t` (or rational numbers, or strings such as ``"3/t"`` or
      ``"exp(-t/2)"``, read by :func:`~sage_conslaws.expressions.parse_sympy`,
      never evaluated) with exact coefficients; other symbols are parameters
    - ``entry`` -- (default: ``None``) the entry of the registry
      :data:`~sage_conslaws.dynamics.ode.DYNAMICS` whose coefficients these
      are (:func:`dynamics` gives it), or ``None`` for a dynamics of one's own

    EXAMPLES::

        sage: from sage_conslaws.noether import Dynamics
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

            sage: from sage_conslaws.noether import dynamics
            sage: dynamics("NAGF").name()
            'Nesterov flow'
        """
        return self._name

    def entry(self):
        r"""
        Return the entry of the registry :data:`~sage_conslaws.dynamics.ode.DYNAMICS` of this dynamics (``None`` if it has none).

        EXAMPLES::

            sage: from sage_conslaws.noether import dynamics
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
            sage: from sage_conslaws.noether import dynamics
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

            sage: from sage_conslaws.noether import dynamics
            sage: dynamics("heavy-ball").kappa2()
            h*(lambda + 1)/2
        """
        return self._kappa2

    def kappa1(self):
        r"""
        Return the coefficient `\kappa_1(t)` of `\dot\theta`.

        EXAMPLES::

            sage: from sage_conslaws.noether import dynamics
            sage: dynamics("NAGF").kappa1()
            3/t
        """
        return self._kappa1

    def is_gradient_flow(self):
        r"""
        Return whether `\kappa_2 = 0` (a first-order, gradient-flow dynamics).

        EXAMPLES::

            sage: from sage_conslaws.noether import dynamics
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

            sage: from sage_conslaws.noether import dynamics
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

            sage: from sage_conslaws.noether import dynamics
            sage: dynamics("GF").equation()
            "theta' + grad L(theta) = 0"
        """
        terms = [(self._kappa2, "theta''"), (self._kappa1, "theta'")]
        text = " + ".join(name if c == 1 else f"{_text(c, factor=True)}*{name}"
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

            sage: from sage_conslaws.noether import dynamics
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
        kinetic = "" if half == 0 else f"{_text(half, factor=True)}*|theta'|^2 + "
        energy = f"{kinetic}L(theta)"
        if rate == 0:
            return True, f"conserved {energy}"
        speed = "-|theta'|^2" if rate == -1 else f"{_text(rate, factor=True)}*|theta'|^2"
        return False, f"d/dt[{energy}] = {speed}"

    def _repr_(self):
        return f"{self._name}: {self.equation()}"

    def _latex_(self):
        r"""
        Return the equation in LaTeX.

        EXAMPLES::

            sage: from sage_conslaws.noether import dynamics
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
    :func:`~sage_conslaws.expressions.parse_sympy`, never evaluated; their
    decimals are exact (``"0.9"`` is `9/10`).

    TESTS::

        sage: from sage_conslaws.noether import _expression
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


def _text(expression, factor=False):
    r"""
    Return a sympy expression as text with ``^`` for powers, in brackets if it is a sum and ``factor``.
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

        sage: from sage_conslaws.noether import dynamics
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


def _as_dynamics(value):
    if isinstance(value, Dynamics):
        return value
    if isinstance(value, str):
        return dynamics(value)
    raise TypeError(f"expected a Dynamics or the name of one, got {type(value).__name__}")


class NoetherLaw(SageObject):
    r"""
    The law, or the identity, that Noether's theorem gives for a symmetry under a dynamics.

    INPUT:

    - ``generator`` -- a :class:`~sage_conslaws.symmetries.SymmetryGenerator`
      (a symmetry of the model: this is not checked here, see
      :func:`noether_laws`)
    - ``dynamics`` -- a :class:`Dynamics` or the name of one (see :func:`dynamics`)

    EXAMPLES:

    The rotation of two hidden neurons of a linear network is skew: a law
    `\mu(t)\langle\dot\theta, A\theta\rangle` for every momentum dynamics,
    and an identity for gradient flow::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries import linear_symmetries
        sage: from sage_conslaws.noether import NoetherLaw
        sage: [rotation] = linear_symmetries(LinearNetwork([1, 2, 1])).skew_subalgebra()[:1]
        sage: law = NoetherLaw(rotation, "HB"); law.is_conserved()
        True
        sage: law.text()
        "conserved exp(2*t*(1 - lambda)/(h*(lambda + 1)))*(w1_1_0*w1_0_0' - w1_0_0*w1_1_0' + w2_0_1*w2_0_0' - w2_0_0*w2_0_1')"
        sage: NoetherLaw(rotation, "GF").text()
        "w1_1_0*w1_0_0' - w1_0_0*w1_1_0' + w2_0_1*w2_0_0' - w2_0_0*w2_0_1' = 0"

    TESTS::

        sage: NoetherLaw("rescale", "GF")
        Traceback (most recent call last):
        ...
        TypeError: expected a SymmetryGenerator, got str
    """

    def __init__(self, generator, dynamics):
        if not isinstance(generator, SymmetryGenerator):
            raise TypeError(f"expected a SymmetryGenerator, got {type(generator).__name__}")
        self._generator = generator
        self._dynamics = _as_dynamics(dynamics)
        ring = generator.ring()
        self._phase = phase_ring(ring)
        D = ring.ngens()
        theta, v = self._phase.gens()[:D], self._phase.gens()[D:]
        lift = ring.hom(theta, self._phase)
        xi = generator.field()
        self._pairing = sum((v[i] * lift(xi[i]) for i in xi.support()), self._phase.zero())
        derivatives = _jacobian_entries(generator)
        # <v, D xi v>: it vanishes exactly when the symmetric part of D xi does
        self._source = sum((v[i] * v[k] * lift(d) for (i, k), d in derivatives.items()),
                           self._phase.zero())
        self._is_gradient = all(d == derivatives.get((k, i), 0)
                                for (i, k), d in derivatives.items())

    def generator(self):
        r"""
        Return the symmetry generator.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.noether import noether_laws
            sage: noether_laws(LinearNetwork([1, 1, 1]), "ND")[0].generator().name()
            'rescale neuron 1.0'
        """
        return self._generator

    def dynamics(self):
        r"""
        Return the dynamics.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.noether import noether_laws
            sage: noether_laws(LinearNetwork([1, 1, 1]), "ND")[0].dynamics()
            Newtonian dynamics: theta'' + grad L(theta) = 0
        """
        return self._dynamics

    def is_conserved(self):
        r"""
        Return whether the generator gives a conserved quantity under the dynamics.

        For gradient flow: when `\xi` is a gradient field (a symmetric `A`);
        otherwise: when the symmetric part of `D\xi` vanishes (a skew `A`).

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.noether import noether_laws
            sage: [law.is_conserved() for law in noether_laws(LinearNetwork([1, 1, 1]), "ND")]
            [False]
        """
        if self._dynamics.is_gradient_flow():
            return self._is_gradient
        return self._source.is_zero()

    def factor(self):
        r"""
        Return the factor `\mu(t)` of the momentum quantity (1 for gradient flow).

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.noether import noether_laws
            sage: noether_laws(LinearNetwork([1, 1, 1]), "NAGF")[0].factor()
            t**3
        """
        mu = self._dynamics.integrating_factor()
        return sympy.Integer(1) if mu is None else mu

    def phase_ring(self):
        r"""
        Return the ring of the parameters `\theta` and of their velocities ``v_<name>``.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.noether import noether_laws
            sage: noether_laws(LinearNetwork([1, 1, 1]), "ND")[0].phase_ring()
            Multivariate Polynomial Ring in w1_0_0, w2_0_0, v_w1_0_0, v_w2_0_0 over Rational Field
        """
        return self._phase

    def pairing(self):
        r"""
        Return `\langle\dot\theta, \xi(\theta)\rangle` as a polynomial of :meth:`phase_ring`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.noether import noether_laws
            sage: noether_laws(LinearNetwork([1, 1, 1]), "ND")[0].pairing()
            w1_0_0*v_w1_0_0 - w2_0_0*v_w2_0_0
        """
        return self._pairing

    def source(self):
        r"""
        Return `\langle\dot\theta, D\xi\,\dot\theta\rangle`, with `\frac{d}{dt}(\mu\langle\dot\theta, \xi\rangle) = \mu\langle\dot\theta, D\xi\,\dot\theta\rangle`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.noether import noether_laws
            sage: noether_laws(LinearNetwork([1, 1, 1]), "ND")[0].source()
            v_w1_0_0^2 - v_w2_0_0^2
        """
        return self._source

    def quantity(self):
        r"""
        Return the conserved quantity, or ``None`` if there is none.

        For gradient flow, the potential `q` of `\xi = \nabla q` in the
        parameter ring; otherwise `\langle\dot\theta, \xi\rangle` in
        :meth:`phase_ring`, to be multiplied by :meth:`factor`.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.noether import noether_laws
            sage: noether_laws(ReLUNetwork([1, 1, 1], bias=True), "GF")[0].quantity()
            1/2*w1_0_0^2 + 1/2*b1_0^2 - 1/2*w2_0_0^2
        """
        if not self.is_conserved():
            return None
        if self._dynamics.is_gradient_flow():
            return _potential(self._generator.field())
        return self._pairing

    def text(self):
        r"""
        Return the law, or the identity, as text in the user's terms (``name'`` is the velocity).

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.noether import noether_laws
            sage: [law.text() for law in noether_laws(ReLUNetwork([1, 1, 1]), "ND")]
            ["d/dt[w1_0_0*w1_0_0' - w2_0_0*w2_0_0'] = w1_0_0'^2 - w2_0_0'^2"]
        """
        return self._form(latex=False)

    def latex(self):
        r"""
        Return the law, or the identity, in LaTeX.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.noether import noether_laws
            sage: noether_laws(ReLUNetwork([1, 1, 1]), "NAGF")[0].latex()
            \frac{d}{dt}\left[t^{3} \left(\mathit{w1}_{0_{0}} \dot{\mathit{w1}_{0_{0}}} - \mathit{w2}_{0_{0}} \dot{\mathit{w2}_{0_{0}}}\right)\right] = t^{3} \left(\dot{\mathit{w1}_{0_{0}}}^{2} - \dot{\mathit{w2}_{0_{0}}}^{2}\right)
        """
        return LatexExpr(self._form(latex=True))

    def _form(self, latex):
        conserved = r"\text{conserved } " if latex else "conserved "
        if self._dynamics.is_gradient_flow():
            if self._is_gradient:
                return conserved + _poly(_potential(self._generator.field()), latex)
            if self._generator.is_linear():
                return self._gradient_flow_identity(latex)
            return f"{self._user_terms(self._pairing, latex)} = 0"
        mu = self.factor()
        left = _times(mu, self._user_terms(self._pairing, latex), latex)
        if self.is_conserved():
            return conserved + left
        right = _times(mu, self._user_terms(self._source, latex), latex)
        if latex:
            return r"\frac{d}{dt}\left[%s\right] = %s" % (left, right)
        return f"d/dt[{left}] = {right}"

    def _gradient_flow_identity(self, latex):
        r"""
        Return `\frac{d}{dt}\frac12\theta^TA_s\theta = -\langle\dot\theta, A_k\theta\rangle` for a linear generator.
        """
        ring = self._generator.ring()
        theta = ring.gens()
        A_s, A_k = self._generator.symmetric_part(), self._generator.skew_part()
        half = sum((c * theta[k] * theta[l] for (k, l), c in A_s.dict().items()), ring.zero()) / 2
        D = ring.ngens()
        v = self._phase.gens()[D:]
        flux = sum((c * v[k] * self._phase.gen(l) for (k, l), c in A_k.dict().items()),
                   self._phase.zero())
        if half.is_zero():
            return f"{self._user_terms(flux, latex)} = 0"
        if latex:
            return r"\frac{d}{dt}\left[%s\right] = %s" % (_poly(half, True),
                                                          self._user_terms(-flux, True))
        return f"d/dt[{half}] = {self._user_terms(-flux, False)}"

    def integrated_form(self):
        r"""
        Return the identity integrated in time, as text.

        `\mu(t)\langle\dot\theta, \xi\rangle(t) - \mu(t_0)\langle\dot\theta, \xi\rangle(t_0)
        = \int_{t_0}^t \mu\langle\dot\theta, D\xi\,\dot\theta\rangle\,ds`,
        from `t_0 = 0`, or from `t_0 > 0` when `\mu(0) = 0` (Nesterov) or is
        not defined.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.noether import noether_laws
            sage: noether_laws(ReLUNetwork([1, 1, 1]), "NAGF")[0].integrated_form()
            "[t^3*(w1_0_0*w1_0_0' - w2_0_0*w2_0_0')](t) - [...](t0) = int_t0^t s^3*(w1_0_0'^2 - w2_0_0'^2) ds, for t >= t0 > 0"
            sage: noether_laws(ReLUNetwork([1, 1, 1]), "ND")[0].integrated_form()
            "[w1_0_0*w1_0_0' - w2_0_0*w2_0_0'](t) - [...](0) = int_0^t w1_0_0'^2 - w2_0_0'^2 ds"
            sage: noether_laws(ReLUNetwork([1, 1, 1]), "GF")[0].integrated_form()
            'conserved 1/2*w1_0_0^2 - 1/2*w2_0_0^2'
        """
        if self._dynamics.is_gradient_flow() or self.is_conserved():
            return self.text()
        mu = self.factor()
        s = sympy.Symbol("s", positive=True)
        at_zero = sympy.limit(mu, t, 0, "+")
        start, condition = ("0", "") if at_zero.is_finite and at_zero != 0 else \
            ("t0", ", for t >= t0 > 0")
        left = _times(mu, self._user_terms(self._pairing, False), False)
        right = _times(mu.subs(t, s), self._user_terms(self._source, False), False)
        return f"[{left}](t) - [...]({start}) = int_{start}^t {right} ds{condition}"

    def verify(self, model):
        r"""
        Return whether the conserved quantity is conserved for every loss of ``model``, checked symbolically.

        For gradient flow, by :func:`~sage_conslaws.laws.is_conservation_law`
        on the fields of ``model``. For `\kappa_2 \ne 0`, the time derivative
        of `\mu P`, `P = \langle\dot\theta, \xi\rangle`, along
        `\kappa_2\ddot\theta + \kappa_1\dot\theta = -\sum_j c_j\nabla\phi_j`
        is `\mu\,(\kappa_1/\kappa_2 P + \partial_\theta P\cdot\dot\theta +
        \partial_{\dot\theta} P\cdot\ddot\theta)` once `\mu'/\mu = \kappa_1/\kappa_2`
        is checked: it vanishes for all `c_j` exactly when
        `\partial_{\dot\theta}P\cdot\dot\theta = P`,
        `\partial_\theta P\cdot\dot\theta = 0` and
        `\langle\partial_{\dot\theta}P, \nabla\phi_j\rangle = 0` for every `j`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.noether import noether_laws
            sage: N = LinearNetwork([2, 3, 1])
            sage: laws = [law for law in noether_laws(N, "NAGF") if law.is_conserved()]
            sage: len(laws), all(law.verify(N) for law in laws)
            (3, True)

        TESTS::

            sage: [law for law in noether_laws(N, "ND") if not law.is_conserved()][0].verify(N)
            Traceback (most recent call last):
            ...
            ValueError: rescale neuron 1.0 gives no conserved quantity under Newtonian dynamics
        """
        from .laws import is_conservation_law
        if not self.is_conserved():
            raise ValueError(f"{self._generator.name()} gives no conserved quantity under "
                             f"{self._dynamics.name()}")
        if model.ring() is not self._generator.ring():
            raise ValueError(f"the generator does not live on the parameters of {model}")
        if self._dynamics.is_gradient_flow():
            return is_conservation_law(self.quantity(), model.fields())
        d = self._dynamics
        if sympy.simplify(sympy.diff(self.factor(), t) * d.kappa2()
                          - self.factor() * d.kappa1()) != 0:
            return False
        D = model.dimension()
        gens = self._phase.gens()
        theta, v = gens[:D], gens[D:]
        P = self._pairing
        dP_dv = [P.derivative(x) for x in v]
        if sum(a * x for a, x in zip(dP_dv, v)) != P:
            return False
        if sum(P.derivative(x) * y for x, y in zip(theta, v)) != 0:
            return False
        lift = model.ring().hom(theta, self._phase)
        return all(sum(a * lift(f.derivative(x)) for a, x in zip(dP_dv, model.ring().gens())) == 0
                   for f in model.reparametrization())

    def as_dict(self):
        r"""
        Return the law as a dictionary of JSON-serialisable values.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.noether import noether_laws
            sage: d = noether_laws(LinearNetwork([1, 1, 1]), "GF")[0].as_dict()
            sage: d["generator"], d["conserved"], d["law"]
            ('rescale neuron 1.0', True, 'conserved 1/2*w1_0_0^2 - 1/2*w2_0_0^2')
        """
        return {"generator": self._generator.name(), "conserved": self.is_conserved(),
                "law": self.text()}

    def _user_terms(self, h, latex):
        D = self._generator.ring().ngens()
        if latex:
            from sage.rings.polynomial.polydict import PolyDict
            theta = list(self._phase.latex_variable_names()[:D])
            return PolyDict(h.dict()).latex(theta + [r"\dot{%s}" % x for x in theta]) if h else "0"
        theta = list(self._phase.variable_names()[:D])
        return h._repr_with_changed_varnames(theta + [f"{x}'" for x in theta])

    def _repr_(self):
        return f"{self._generator.name()} under {self._dynamics.name()}: {self.text()}"


def phase_ring(ring):
    r"""
    Return the polynomial ring in the parameters of ``ring`` and their velocities ``v_<name>``.

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.noether import phase_ring
        sage: phase_ring(LinearNetwork([1, 1, 1]).ring()).variable_names()
        ('w1_0_0', 'w2_0_0', 'v_w1_0_0', 'v_w2_0_0')
    """
    names = list(ring.variable_names())
    return parameter_ring(names + [f"v_{n}" for n in names])


def _jacobian_entries(generator):
    r"""
    Return the non-zero entries `\partial_k\xi_i` of the Jacobian, as a dictionary `(i, k) \mapsto` polynomial.
    """
    ring = generator.ring()
    if generator.is_linear():
        return {ik: ring(c) for ik, c in generator.matrix().dict().items() if c}
    xi, gens = generator.field(), ring.gens()
    return {(i, k): xi[i].derivative(gens[k]) for i in xi.support()
            for k in _variable_indices(xi[i])}


def _potential(field):
    r"""
    Return `q` with `\nabla q = \xi` and `q(0) = 0`, for a gradient field `\xi`.

    By Euler's identity, the part of `q` of degree `d + 1` is
    `\langle\theta, \xi_d\rangle/(d + 1)`, `\xi_d` the part of `\xi` of degree `d`.
    """
    ring = field.ring()
    gens = ring.gens()
    q = ring.zero()
    for i in field.support():
        for c, m in zip(field[i].coefficients(), field[i].monomials()):
            q += c * m * gens[i] / (m.degree() + 1)
    return q


def _poly(q, latex):
    from sage.misc.latex import latex as to_latex
    return str(to_latex(q)) if latex else str(q)


def _times(mu, text, latex):
    r"""
    Return ``mu`` times the polynomial written ``text``, with brackets when needed.
    """
    if mu == 1:
        return text
    front = sympy.latex(mu) if latex else _text(mu)
    simple = all(c not in text for c in "+-") or text == "0"
    if latex:
        return f"{front} {text}" if simple else r"%s \left(%s\right)" % (front, text)
    return f"{front}*{text}" if simple else f"{front}*({text})"


def noether_laws(model, dynamics, generators=None):
    r"""
    Return the Noether law (or identity) of each symmetry generator of ``model`` under ``dynamics``.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.architectures.base.Model`
    - ``dynamics`` -- a :class:`Dynamics` or the name of one (see :func:`dynamics`)
    - ``generators`` -- (default: the model's ``symmetry_generators()`` if it
      has that method, else a basis of its linear symmetries that starts
      with a basis of the symmetric part, for gradient flow, or of the skew
      part, otherwise: so every symmetric, resp. skew, element of
      `\mathfrak g` gives a law) a list of
      :class:`~sage_conslaws.symmetries.SymmetryGenerator`, vector fields or
      lists of polynomials; the generators given are checked to be symmetries

    OUTPUT: a list of :class:`NoetherLaw`

    EXAMPLES:

    The balancedness `W_1W_1^T - W_2^TW_2` of a linear network comes from
    the symmetric part of `\mathfrak{gl}(r)`; for `\phi = u_1v_1 + u_2v_2`,
    the symmetric part of `\mathfrak o(2, 2)` gives one more law,
    `u_1v_2 - u_2v_1`, functionally dependent on the first three::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.noether import noether_laws
        sage: laws = noether_laws(LinearNetwork([1, 2, 1]), "GF")
        sage: [law.quantity() for law in laws if law.is_conserved()]
        [1/2*w1_0_0^2 - 1/2*w2_0_0^2,
         1/2*w1_1_0^2 - 1/2*w2_0_1^2,
         w1_0_0*w1_1_0 - w2_0_0*w2_0_1,
         -w1_1_0*w2_0_0 + w1_0_0*w2_0_1]

    A generator of one's own, linear or not (here `u^2v^2` times the
    rescaling of `\phi = uv`, which is not a gradient field)::

        sage: N = LinearNetwork([1, 1, 1]); u, v = N.parameters()
        sage: noether_laws(N, "GF", [[u^3*v^2, -u^2*v^3]])
        [w1_0_0^3*w2_0_0^2*d/dw1_0_0 - w1_0_0^2*w2_0_0^3*d/dw2_0_0 under gradient flow: w1_0_0^3*w2_0_0^2*w1_0_0' - w1_0_0^2*w2_0_0^3*w2_0_0' = 0]

    TESTS::

        sage: noether_laws(N, "GF", [[v, u]])
        Traceback (most recent call last):
        ...
        ValueError: w2_0_0*d/dw1_0_0 + w1_0_0*d/dw2_0_0 is not a symmetry of LinearNetwork([1, 1, 1]) with 2 parameters
    """
    dynamics = _as_dynamics(dynamics)
    if generators is None:
        if callable(getattr(model, "symmetry_generators", None)):
            generators = model.symmetry_generators()
        else:
            kind = "symmetric" if dynamics.is_gradient_flow() else "skew"
            generators = linear_symmetries(model).adapted_basis(kind)
    else:
        checked = []
        for xi in generators:
            if not isinstance(xi, SymmetryGenerator):
                field = as_field(model, xi)
                xi = SymmetryGenerator(field_formula(field), field)
            if not is_symmetry(model, xi):
                raise ValueError(f"{xi!r} is not a symmetry of {model}")
            checked.append(xi)
        generators = checked
    return [NoetherLaw(xi, dynamics) for xi in generators]


class NoetherCrossCheck(SageObject):
    r"""
    The laws that Noether's theorem gives for the linear symmetries of a model, against the engine's exact count.

    Built by :func:`noether_cross_check`.

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.noether import noether_cross_check
        sage: check = noether_cross_check(LinearNetwork([1, 3, 1]), "momentum"); check
        momentum flow of LinearNetwork([1, 3, 1]) with 6 parameters: 6 laws, 6 from symmetries
        sage: print(check.report())
        Noether cross-check: LinearNetwork([1, 3, 1]) with 6 parameters, momentum flow (undamped)
          engine                : 6 independent laws (certified)
          Noether quantities    : 6 from symmetries, all verified by the engine
          their rank            : 6 (at a random point modulo a prime: a lower bound, exact with high probability)
          not from symmetries   : 0
    """

    def __init__(self, model, flow, damping, count, laws, polynomials, verified, rank):
        self._model = model
        self._flow = flow
        self._damping = damping
        self._count = count
        self._laws = laws
        self._polynomials = polynomials
        self._verified = verified
        self._rank = rank

    def engine_count(self):
        r"""
        Return the engine's count, a :class:`~sage_conslaws.dynamics.gradient.FlowLawCount`.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.noether import noether_cross_check
            sage: noether_cross_check(ReLUNetwork([2, 2, 1])).engine_count().number_of_laws()
            2
        """
        return self._count

    def laws(self):
        r"""
        Return the conserved :class:`NoetherLaw` of the symmetries.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.noether import noether_cross_check
            sage: noether_cross_check(ReLUNetwork([1, 1, 1])).laws()
            [rescale neuron 1.0 under gradient flow: conserved 1/2*w1_0_0^2 - 1/2*w2_0_0^2]
        """
        return list(self._laws)

    def polynomials(self):
        r"""
        Return the conserved quantities as polynomials of the engine's ring (phase space for momentum flows).

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.noether import noether_cross_check
            sage: noether_cross_check(LinearNetwork([1, 2, 1]), "nesterov").polynomials()
            [t^3*w1_1_0*v_w1_0_0 - t^3*w1_0_0*v_w1_1_0 + t^3*w2_0_1*v_w2_0_0 - t^3*w2_0_0*v_w2_0_1,
             t^3*w2_0_1*v_w1_0_0 - t^3*w2_0_0*v_w1_1_0 + t^3*w1_1_0*v_w2_0_0 - t^3*w1_0_0*v_w2_0_1]
        """
        return list(self._polynomials)

    def all_verified(self):
        r"""
        Return whether the engine confirms that every quantity is conserved.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.noether import noether_cross_check
            sage: noether_cross_check(LinearNetwork([2, 2, 2])).all_verified()
            True
        """
        return all(self._verified)

    def rank(self):
        r"""
        Return the number of functionally independent Noether quantities.

        Their gradients are read at a random point modulo a prime: a lower
        bound of the generic rank, equal to it unless the point is unlucky.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.noether import noether_cross_check
            sage: noether_cross_check(LinearNetwork([1, 2, 1])).rank()
            3
        """
        return self._rank

    def number_not_from_symmetries(self):
        r"""
        Return the engine's count minus :meth:`rank`: the laws the linear symmetries do not explain.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.noether import noether_cross_check
            sage: noether_cross_check(LinearNetwork([1, 2, 1])).number_not_from_symmetries()
            0
        """
        return self._count.number_of_laws() - self._rank

    def _flow_name(self):
        if self._flow == "momentum":
            return ("momentum flow (damping %s)" % self._damping if self._damping
                    else "momentum flow (undamped)")
        return f"{self._flow} flow"

    def as_dict(self):
        r"""
        Return the main facts as a dictionary of JSON-serialisable values.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.noether import noether_cross_check
            sage: d = noether_cross_check(ReLUNetwork([1, 2, 1]), "momentum").as_dict()
            sage: d["engine_laws"], d["noether_laws"], d["not_from_symmetries"]
            (0, 0, 0)
        """
        return {"model": repr(self._model), "flow": self._flow,
                "damping": None if self._damping is None else str(self._damping),
                "engine_laws": self._count.number_of_laws(),
                "certified": self._count.is_certified(),
                "noether_laws": len(self._laws), "noether_rank": self._rank,
                "verified": self.all_verified(),
                "not_from_symmetries": self.number_not_from_symmetries(),
                "laws": [law.as_dict() for law in self._laws]}

    def report(self):
        r"""
        Return a readable multi-line report.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.noether import noether_cross_check
            sage: print(noether_cross_check(ReLUNetwork([2, 2, 1], bias=True)).report())
            Noether cross-check: ReLUNetwork([2, 2, 1], bias=True) with 8 parameters, gradient flow
              engine                : 2 independent laws (certified)
              Noether quantities    : 2 from symmetries, all verified by the engine
              their rank            : 2 (at a random point modulo a prime: a lower bound, exact with high probability)
              not from symmetries   : 0
        """
        status = "certified" if self._count.is_certified() else "NOT certified"
        verified = ("all verified by the engine" if self.all_verified()
                    else f"{sum(self._verified)} verified by the engine")
        return "\n".join([
            f"Noether cross-check: {self._model!r}, {self._flow_name()}",
            f"  engine                : {self._count.number_of_laws()} independent laws ({status})",
            f"  Noether quantities    : {len(self._laws)} from symmetries, {verified}",
            f"  their rank            : {self._rank} (at a random point modulo a prime: "
            "a lower bound, exact with high probability)",
            f"  not from symmetries   : {self.number_not_from_symmetries()}"])

    def _repr_(self):
        return (f"{self._flow_name().split(' (')[0]} of {self._model!r}: "
                f"{self._count.number_of_laws()} laws, {self._rank} from symmetries")


def noether_cross_check(model, flow="gradient", damping=None, seed=0):
    r"""
    Return the Noether laws of the linear symmetries of ``model`` checked against the engine's exact count.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.architectures.base.Model`
    - ``flow`` -- (default: ``"gradient"``) ``"gradient"``, ``"momentum"``
      (constant damping ``damping``, default 0) or ``"nesterov"``; the
      metric is Euclidean
    - ``damping`` -- (default: ``None``) the damping of the momentum flow
    - ``seed`` -- (default: 0) seed of the random choices

    OUTPUT: a :class:`NoetherCrossCheck`

    ALGORITHM:

    The engine (:func:`~sage_conslaws.dynamics.flows.flow_count`) counts the
    laws exactly. The Noether quantities of a basis of the symmetric (gradient
    flow) or skew (momentum flows) part of the linear symmetries are each
    verified: a gradient-flow quantity by
    :func:`~sage_conslaws.laws.is_conservation_law` on the model's fields
    (which is what :meth:`NoetherLaw.verify` does), a momentum quantity both
    on the phase-space fields of
    :class:`~sage_conslaws.dynamics.momentum.MomentumFlow` (times
    `e^{\tau t} = s`, `1` or `t^3`) and symbolically by
    :meth:`NoetherLaw.verify`; their rank is read at a random point.

    EXAMPLES:

    For `\phi = \sum_i u_iv_i` (the network `[1, r, 1]`), the momentum laws
    all come from the skew part of `\mathfrak o(r, r)`: `4r - 6` of them for
    `r \ge 2`::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.noether import noether_cross_check
        sage: [noether_cross_check(LinearNetwork([1, r, 1]), "momentum").rank() for r in (2, 3, 4)]
        [2, 6, 10]

    TESTS::

        sage: noether_cross_check(LinearNetwork([1, 1, 1]), "adam")
        Traceback (most recent call last):
        ...
        ValueError: unknown flow 'adam'; known flows: gradient, momentum, nesterov
    """
    from .dynamics.flows import check_flow_options, flow_count
    from .dynamics.momentum import MomentumFlow
    from .laws import independent_laws, is_conservation_law
    check_flow_options(flow, damping)
    count = flow_count(model, flow, damping=damping, metric="euclidean", seed=seed)
    algebra = linear_symmetries(model)
    if flow == "gradient":
        laws = [NoetherLaw(xi, "gradient") for xi in algebra.symmetric_subalgebra()]
        polynomials = [law.quantity() for law in laws]
    else:
        F = MomentumFlow(model, flow=flow, damping=damping, metric="euclidean")
        flow_dynamics = F.dynamics()
        laws = [NoetherLaw(xi, flow_dynamics) for xi in algebra.skew_subalgebra()]
        fields = F.fields()
        polynomials = []
        for law in laws:
            to_phase_space = law.phase_ring().hom(F.ring().gens()[1:], F.ring())
            polynomials.append(F.integrating_factor() * to_phase_space(law.quantity()))
    # for gradient flow, law.verify is is_conservation_law on the same fields:
    # checking both would do the same work twice
    verified = [(flow == "gradient" or is_conservation_law(h, fields)) and law.verify(model)
                for h, law in zip(polynomials, laws)]
    rank = len(independent_laws(polynomials, seed=seed))
    return NoetherCrossCheck(model, flow, damping, count, laws, polynomials, verified, rank)
