r"""
Fixed-momentum methods `x_{k+1} = x_k + \lambda\Delta_k - h\nabla f(x_k + a\Delta_k)`.
"""
from sage.rings.fraction_field import FractionField
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ
from sage.structure.element import Element
from sage.structure.sage_object import SageObject

from sage_conslaws.dynamics.ode import METHODS
from sage_conslaws.dynamics.steps import momentum_step
from sage_conslaws.expressions.parser import ExpressionError
from sage_conslaws.expressions.polynomials import parse_polynomial


#: The coefficients of the continuous limits: rational functions of the
#: learning rate ``h`` and of the momentum ``lam``.
COEFFICIENTS = FractionField(PolynomialRing(QQ, 'h, lam'))


_SIMULATE_HINT = "the numerical checks need numpy and scipy: install sage-conslaws[simulate]"


class MomentumMethod(SageObject):
    r"""
    A fixed-momentum method `x_{k+1} = x_k + \lambda\Delta_k - h\nabla f(x_k + a\Delta_k)`, `\Delta_k = x_k - x_{k-1}`.

    INPUT:

    - ``name`` -- a description, for reports
    - ``lam`` -- (default: ``None``, symbolic) the momentum `\lambda`, a
      rational number in `(0, 1)`
    - ``a`` -- (default: 0) the look-ahead `a`: a rational number or an
      expression in ``lam`` (a string such as ``"lam"`` or ``"lam/2"``)

    EXAMPLES::

        sage: from sage_conslaws.dynamics.continuous_limits.methods import MomentumMethod
        sage: M = MomentumMethod("half look-ahead", 9/10, "lam/2"); M
        half look-ahead method (a = 1/2*lam), lam = 9/10
        sage: M.momentum(), M.look_ahead(), M.alpha()
        (9/10, 9/20, 181/200)

    TESTS::

        sage: MomentumMethod("hb", lam=1)
        Traceback (most recent call last):
        ...
        ValueError: the momentum lam must lie in (0, 1), got 1
        sage: MomentumMethod("hb", lam=0.9)
        Traceback (most recent call last):
        ...
        TypeError: the momentum lam must be a rational number, not a floating-point one (write 9/10, not 0.9)
        sage: MomentumMethod("hb", lam="x")
        Traceback (most recent call last):
        ...
        TypeError: the momentum lam must be a rational number in (0, 1), got 'x'
        sage: MomentumMethod("hb", a="h")
        Traceback (most recent call last):
        ...
        TypeError: the look-ahead a must be a rational number or a rational function of lam, got 'h'
    """

    def __init__(self, name, lam=None, a=0):
        self._name = name
        self._lam = _check_momentum(lam)
        self._symbolic_a = _check_look_ahead(a)
        self._a = self._symbolic_a.subs(lam=self._lam)

    def name(self):
        r"""
        Return the description of the method.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.methods import momentum_method
            sage: momentum_method("nag").name()
            'Nesterov (NAG)'
        """
        return self._name

    def momentum(self):
        r"""
        Return the momentum `\lambda` (the generator ``lam`` of :data:`COEFFICIENTS` when symbolic).

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.methods import momentum_method
            sage: momentum_method("hb").momentum(), momentum_method("hb", 1/2).momentum()
            (lam, 1/2)
        """
        return self._lam

    def is_symbolic(self):
        r"""
        Return whether the momentum `\lambda` is symbolic.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.methods import momentum_method
            sage: momentum_method("hb").is_symbolic(), momentum_method("hb", 1/2).is_symbolic()
            (True, False)
        """
        return self._lam == COEFFICIENTS.gen(1)

    def look_ahead(self):
        r"""
        Return the look-ahead `a` (0 for the heavy ball, `\lambda` for Nesterov).

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.methods import momentum_method
            sage: momentum_method("nag").look_ahead(), momentum_method("nag", 1/3).look_ahead()
            (lam, 1/3)
        """
        return self._a

    def alpha(self):
        r"""
        Return `\alpha = \frac12(1 + \lambda - 2a(1-\lambda))`, the mass of the modified equation over `h`.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.methods import momentum_method
            sage: momentum_method("hb").alpha(), momentum_method("nag").alpha()
            (1/2*lam + 1/2, lam^2 - 1/2*lam + 1/2)
        """
        lam, a = self._lam, self._a
        return (1 + lam - 2 * a * (1 - lam)) / 2

    def beta(self):
        r"""
        Return `\beta = 1 - a(1-\lambda)`, the factor of the `O(h)` term of the invariant manifold.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.methods import momentum_method
            sage: momentum_method("hb").beta(), momentum_method("nag").beta()
            (1, lam^2 - lam + 1)
        """
        return 1 - self._a * (1 - self._lam)

    def with_momentum(self, lam):
        r"""
        Return the same method with the momentum ``lam`` (a rational number in `(0, 1)`).

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.methods import momentum_method
            sage: momentum_method("nag").with_momentum(1/2)
            Nesterov (NAG) method (a = lam), lam = 1/2
        """
        return MomentumMethod(self._name, lam, self._symbolic_a)

    def run(self, gradient, x0, h, steps, x_previous=None):
        r"""
        Return the iterates `x_0, \dots, x_n` of the method, in float64.

        Each step is :func:`~sage_conslaws.dynamics.steps.momentum_step`, the
        step of the optimizers of training runs too.

        INPUT:

        - ``gradient`` -- a function mapping a numpy array `x` to `\nabla f(x)`
        - ``x0`` -- the starting point
        - ``h`` -- the learning rate
        - ``steps`` -- the number `n` of steps
        - ``x_previous`` -- (default: ``x0``, start at rest) the point `x_{-1}`

        OUTPUT: a numpy array of shape `(n + 1, D)`

        EXAMPLES:

        On `f = x^2/2` from rest, `x_1 = (1 - h) x_0` and
        `x_2 = x_1 + \lambda(x_1 - x_0) - h x_1`::

            sage: from sage_conslaws.dynamics.continuous_limits.methods import momentum_method
            sage: xs = momentum_method("hb", 1/2).run(lambda x: x, [1.0], 0.1, 2)
            sage: [round(float(x), 6) for x in xs[:, 0]]
            [1.0, 0.9, 0.76]
        """
        np = require_numpy()
        if self.is_symbolic():
            raise ValueError("give the momentum lam (with_momentum) to run the method")
        lam, a = float(self._lam), float(self._a)
        x = np.array(x0, dtype=float)
        previous = x.copy() if x_previous is None else np.array(x_previous, dtype=float)
        iterates = [x]
        for _ in range(steps):
            previous, x = x, momentum_step(x, previous, gradient, h, lam, a)
            iterates.append(x)
        return np.array(iterates)

    def _repr_(self):
        lam = "lam symbolic" if self.is_symbolic() else f"lam = {self._lam}"
        return f"{self._name} method (a = {self._symbolic_a}), {lam}"


def momentum_method(name, lam=None):
    r"""
    Return the momentum method called ``name``: ``"hb"`` (heavy ball) or ``"nag"`` (Nesterov).

    INPUT:

    - ``name`` -- a key of :data:`~sage_conslaws.dynamics.ode.METHODS`
      (the optimizers with a fixed momentum, whose look-ahead `a` is ``0``
      or ``lam``), or a :class:`MomentumMethod` (returned as is, or with the
      momentum ``lam`` if given)
    - ``lam`` -- (default: ``None``, symbolic) the momentum, a rational number in `(0, 1)`

    EXAMPLES::

        sage: from sage_conslaws.dynamics.continuous_limits.methods import momentum_method
        sage: momentum_method("hb")
        heavy ball method (a = 0), lam symbolic
        sage: momentum_method("nag", 9/10).alpha()
        43/50

    TESTS::

        sage: momentum_method("adam")
        Traceback (most recent call last):
        ...
        ValueError: unknown momentum method 'adam'; known methods: hb, nag
    """
    if isinstance(name, MomentumMethod):
        return name if lam is None else name.with_momentum(lam)
    if name not in METHODS:
        raise ValueError(f"unknown momentum method {name!r}; known methods: {', '.join(METHODS)}")
    method = METHODS[name]
    return MomentumMethod(method.title, lam, method.look_ahead)


def _numeric(polynomials):
    r"""
    Return a float64 function mapping a numpy array `x` to the array of the values of ``polynomials``.

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.dynamics.continuous_limits.methods import _numeric
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: _numeric([x*y, x - 1/2])([2.0, 3.0])
        array([6. , 1.5])
    """
    from sage.ext.fast_callable import fast_callable
    np = require_numpy()
    gens = polynomials[0].parent().gens()
    functions = [fast_callable(p, vars=gens, domain=float) for p in polynomials]
    return lambda x: np.array([F(*x) for F in functions])


def _check_momentum(lam):
    r"""
    Return the momentum as an element of :data:`COEFFICIENTS` (its generator ``lam`` for ``None``).
    """
    if lam is None:
        return COEFFICIENTS.gen(1)
    if isinstance(lam, float) or (isinstance(lam, Element) and not lam.parent().is_exact()):
        raise TypeError("the momentum lam must be a rational number, not a floating-point one "
                        f"(write {_rational_hint(lam)}, not {float(lam)})")
    try:
        value = QQ(lam)
    except (TypeError, ValueError):
        raise TypeError(f"the momentum lam must be a rational number in (0, 1), got {lam!r}") from None
    if not 0 < value < 1:
        raise ValueError(f"the momentum lam must lie in (0, 1), got {value}")
    return COEFFICIENTS(value)


def _rational_hint(x):
    r"""
    Return a short rational number close to the float ``x``, to suggest in error messages.

    EXAMPLES::

        sage: from sage_conslaws.dynamics.continuous_limits.methods import _rational_hint
        sage: _rational_hint(0.9)
        9/10
    """
    from fractions import Fraction
    return QQ(Fraction(float(x)).limit_denominator(10**6))


def _check_look_ahead(a):
    r"""
    Return the look-ahead ``a`` as an element of :data:`COEFFICIENTS` free of ``h``.

    TESTS::

        sage: from sage_conslaws.dynamics.continuous_limits.methods import _check_look_ahead
        sage: _check_look_ahead("0.5*lam/(1 + lam)")
        1/2*lam/(lam + 1)
        sage: _check_look_ahead("__import__('os').system('touch pwned')")
        Traceback (most recent call last):
        ...
        TypeError: the look-ahead a must be a rational number or a rational function of lam, got "__import__('os').system('touch pwned')"
        sage: _check_look_ahead("(1 + lam)^5000")
        Traceback (most recent call last):
        ...
        ValueError: beyond reach: the exponent 5000 at character 10 of "(1 + lam)^5000" is above MAX_EXPONENT = 1000
    """
    error = TypeError(f"the look-ahead a must be a rational number or a rational function of lam, got {a!r}")
    if isinstance(a, float):
        raise error
    try:
        # a string is read, not evaluated as COEFFICIENTS(a) would
        value = (parse_polynomial(a, COEFFICIENTS, decimals=True) if isinstance(a, str)
                 else COEFFICIENTS(a))
    except (ExpressionError, TypeError):
        raise error from None
    h = COEFFICIENTS.base().gen(0)
    if value.numerator().degree(h) > 0 or value.denominator().degree(h) > 0:
        raise error
    return value


def check_positive(x, name):
    r"""
    Return ``x`` as a positive float, or raise a ValueError naming it.

    EXAMPLES::

        sage: from sage_conslaws.dynamics.continuous_limits.methods import check_positive
        sage: check_positive(1/4, "h")
        0.25
        sage: check_positive(-1, "h")
        Traceback (most recent call last):
        ...
        ValueError: h must be a positive number, got -1
    """
    try:
        value = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive number, got {x!r}") from None
    if not value > 0:
        raise ValueError(f"{name} must be a positive number, got {x}")
    return value


def require_numpy():
    r"""
    Return the module ``numpy``, or raise an ``ImportError`` naming the extra ``[simulate]``.

    EXAMPLES::

        sage: from sage_conslaws.dynamics.continuous_limits.methods import require_numpy
        sage: require_numpy().__name__
        'numpy'
    """
    try:
        import numpy
    except ImportError:
        raise ImportError(_SIMULATE_HINT) from None
    return numpy


def integrate_ivp():
    r"""
    Return scipy's ``solve_ivp``, or raise an ``ImportError`` naming the extra ``[simulate]``.

    EXAMPLES::

        sage: from sage_conslaws.dynamics.continuous_limits.methods import integrate_ivp
        sage: integrate_ivp().__name__
        'solve_ivp'
    """
    try:
        from scipy.integrate import solve_ivp
    except ImportError:
        raise ImportError(_SIMULATE_HINT) from None
    return solve_ivp
