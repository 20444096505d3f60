r"""
Continuous limits of momentum methods

The fixed-momentum methods of Kovachki and Stuart ([KS2021]_) on a loss `f`,

.. MATH::

    x_{k+1} = x_k + \lambda (x_k - x_{k-1}) - h \nabla f\bigl(x_k + a (x_k - x_{k-1})\bigr),

heavy ball (HB, `a = 0`) and Nesterov (NAG, `a = \lambda`), `\lambda \in (0, 1)`,
follow at `t = kh`, as the learning rate `h` shrinks:

(i) the time-rescaled gradient flow `\dot x = -(1-\lambda)^{-1}\nabla f`, with
    an error `O(h)` on `[0, T]`;

(ii) the modified equation `h\alpha\ddot x + (1-\lambda)\dot x + \nabla f = 0`,
     `\alpha = \frac12(1 + \lambda - 2a(1-\lambda))`, with an error `O(h^2)`
     when both are started on their slow manifolds;

(iii) the invariant manifold of the velocities `v_k = (x_k - x_{k-1})/h`:
      `v = g_h(x) = -(1-\lambda)^{-1}\nabla f - h\beta(1-\lambda)^{-3}\nabla^2 f\,\nabla f + O(h^2)`,
      `\beta = 1 - a(1-\lambda)`, exponentially attracting;

(iv) on it, the positions follow the gradient flow of the modified loss,
     `\dot x = -(1-\lambda)^{-1}\nabla F_h + O(h^2)` with
     `F_h = f + h\frac{\alpha}{2(1-\lambda)^2}\|\nabla f\|^2`.

:func:`continuous_limits` returns the four objects exactly, as polynomials in
the coordinates with coefficients in `\QQ(h, \lambda)` (or `\QQ(h)` for a given
rational `\lambda`); :func:`convergence_rates` measures the rates in float64
(numpy and scipy, the extra ``[simulate]``).

Note that `g_h` is the slope of the *backward difference* `v_k`, not the
velocity of the interpolating flow: since `v_k = \dot x - \frac h2 \ddot x + O(h^2)`
and `\ddot x = (1-\lambda)^{-2}\nabla^2 f\,\nabla f + O(h)`, the positions
move with `g_h + \frac h2 (1-\lambda)^{-2}\nabla^2 f\,\nabla f = -(1-\lambda)^{-1}\nabla F_h`,
which is why `\alpha` (and not `\beta`) enters `F_h`.

EXAMPLES:

The toy loss `(x^2 + y^2 - 1)^2` under the heavy ball::

    sage: from sage_conslaws.continuous_limits import continuous_limits
    sage: C = continuous_limits("(x^2 + y^2 - 1)^2", "hb"); C
    Continuous limits of the heavy ball method (a = 0), lam symbolic, for f = x^4 + 2*x^2*y^2 + y^4 - 2*x^2 - 2*y^2 + 1
      (i)   rescaled gradient flow: x' = -(1 - lam)^-1 grad f
      (ii)  modified equation:      h alpha x'' + (1 - lam) x' + grad f = 0,  alpha = 1/2*lam + 1/2
      (iii) invariant manifold:     v = g_h(x) = -(1 - lam)^-1 grad f - h beta (1 - lam)^-3 Hess f grad f + O(h^2),  beta = 1
      (iv)  modified loss:          F_h = f + h alpha / (2 (1 - lam)^2) |grad f|^2,  x' = -(1 - lam)^-1 grad F_h + O(h^2) on the manifold
      where grad f = (4*x^3 + 4*x*y^2 - 4*x, 4*x^2*y + 4*y^3 - 4*y)
    sage: C.alpha()
    1/2*lam + 1/2
    sage: C.modified_loss().coefficient({C.ring().gen(0): 6})
    (4*h*lam + 4*h)/(lam^2 - 2*lam + 1)

REFERENCES: [KS2021]_ (see the references of the documentation).
"""
from sage.misc.latex import latex
from sage.rings.fraction_field import FractionField
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ
from sage.structure.element import Element
from sage.structure.sage_object import SageObject

from .architectures.polynomial_map import PolynomialMap
from .dynamics.ode import METHODS
from .dynamics.steps import momentum_step
from .expressions import ExpressionError, parse_polynomial
from .vector_fields import PolynomialVectorField

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

        sage: from sage_conslaws.continuous_limits import MomentumMethod
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

            sage: from sage_conslaws.continuous_limits import momentum_method
            sage: momentum_method("nag").name()
            'Nesterov (NAG)'
        """
        return self._name

    def momentum(self):
        r"""
        Return the momentum `\lambda` (the generator ``lam`` of :data:`COEFFICIENTS` when symbolic).

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import momentum_method
            sage: momentum_method("hb").momentum(), momentum_method("hb", 1/2).momentum()
            (lam, 1/2)
        """
        return self._lam

    def is_symbolic(self):
        r"""
        Return whether the momentum `\lambda` is symbolic.

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import momentum_method
            sage: momentum_method("hb").is_symbolic(), momentum_method("hb", 1/2).is_symbolic()
            (True, False)
        """
        return self._lam == COEFFICIENTS.gen(1)

    def look_ahead(self):
        r"""
        Return the look-ahead `a` (0 for the heavy ball, `\lambda` for Nesterov).

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import momentum_method
            sage: momentum_method("nag").look_ahead(), momentum_method("nag", 1/3).look_ahead()
            (lam, 1/3)
        """
        return self._a

    def alpha(self):
        r"""
        Return `\alpha = \frac12(1 + \lambda - 2a(1-\lambda))`, the mass of the modified equation over `h`.

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import momentum_method
            sage: momentum_method("hb").alpha(), momentum_method("nag").alpha()
            (1/2*lam + 1/2, lam^2 - 1/2*lam + 1/2)
        """
        lam, a = self._lam, self._a
        return (1 + lam - 2 * a * (1 - lam)) / 2

    def beta(self):
        r"""
        Return `\beta = 1 - a(1-\lambda)`, the factor of the `O(h)` term of the invariant manifold.

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import momentum_method
            sage: momentum_method("hb").beta(), momentum_method("nag").beta()
            (1, lam^2 - lam + 1)
        """
        return 1 - self._a * (1 - self._lam)

    def with_momentum(self, lam):
        r"""
        Return the same method with the momentum ``lam`` (a rational number in `(0, 1)`).

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import momentum_method
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

            sage: from sage_conslaws.continuous_limits import momentum_method
            sage: xs = momentum_method("hb", 1/2).run(lambda x: x, [1.0], 0.1, 2)
            sage: [round(float(x), 6) for x in xs[:, 0]]
            [1.0, 0.9, 0.76]
        """
        np = _numpy()
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

        sage: from sage_conslaws.continuous_limits import momentum_method
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


class ContinuousLimits(SageObject):
    r"""
    The continuous limits (i)-(iv) of a momentum method on a polynomial loss, exactly.

    The objects are polynomials in the coordinates over :data:`COEFFICIENTS`,
    with `\lambda` replaced by its value when the method has one.

    INPUT:

    - ``loss`` -- the loss `f`, a polynomial over `\QQ` (see :func:`continuous_limits`)
    - ``method`` -- a :class:`MomentumMethod`

    EXAMPLES::

        sage: from sage_conslaws.continuous_limits import ContinuousLimits, momentum_method
        sage: C = ContinuousLimits("x^2*y", momentum_method("nag", 1/2))
        sage: C.rescaled_gradient_flow()
        (-4*x*y, -2*x^2)
        sage: C.invariant_manifold()
        ((-12*h)*x^3 + (-24*h)*x*y^2 - 4*x*y, (-24*h)*x^2*y - 2*x^2)
    """

    def __init__(self, loss, method):
        self._loss = _as_loss(loss)
        self._method = method
        names = self._loss.parent().variable_names()
        self._ring = PolynomialRing(COEFFICIENTS, len(names), names)
        gens = self._loss.parent().gens()
        self._gradient = [self._loss.derivative(x) for x in gens]
        self._gradient_norm2 = sum(g**2 for g in self._gradient)
        # Hess f grad f is half the gradient of |grad f|^2.
        self._hessian_gradient = [self._gradient_norm2.derivative(x) / 2 for x in gens]

    def loss(self):
        r"""
        Return the loss `f`, a polynomial over `\QQ`.

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import continuous_limits
            sage: continuous_limits("x^2 + y").loss().parent()
            Multivariate Polynomial Ring in x, y over Rational Field
        """
        return self._loss

    def method(self):
        r"""
        Return the momentum method.

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import continuous_limits
            sage: continuous_limits("x^2", "nag").method()
            Nesterov (NAG) method (a = lam), lam symbolic
        """
        return self._method

    def ring(self):
        r"""
        Return the ring of the limits: the coordinates over :data:`COEFFICIENTS`.

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import continuous_limits
            sage: continuous_limits("x^2").ring()
            Multivariate Polynomial Ring in x over Fraction Field of Multivariate Polynomial Ring in h, lam over Rational Field
        """
        return self._ring

    def alpha(self):
        r"""
        Return `\alpha` of the modified equation (see :meth:`MomentumMethod.alpha`).

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import continuous_limits
            sage: continuous_limits("x^2", "nag").alpha()
            lam^2 - 1/2*lam + 1/2
        """
        return self._method.alpha()

    def gradient(self):
        r"""
        Return `\nabla f`, a vector field over `\QQ`.

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import continuous_limits
            sage: continuous_limits("x^2*y").gradient()
            (2*x*y, x^2)
        """
        return PolynomialVectorField(self._loss.parent(), self._gradient)

    def rescaled_gradient_flow(self):
        r"""
        Return the field `-(1-\lambda)^{-1}\nabla f` of the time-rescaled gradient flow (i).

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import continuous_limits
            sage: continuous_limits("x^2/2", "hb").rescaled_gradient_flow()
            (1/(lam - 1)*x)
        """
        return self._field(self._gradient_coefficient(), 0)

    def modified_equation(self):
        r"""
        Return the modified equation (ii) `m\ddot x + c\dot x + \nabla f = 0` as ``(m, c, grad f)``.

        OUTPUT: the mass `m = h\alpha` and the damping `c = 1 - \lambda` (elements
        of :data:`COEFFICIENTS`) and the field `\nabla f` over :meth:`ring`

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import continuous_limits
            sage: continuous_limits("x^2/2", "hb").modified_equation()
            (1/2*h*lam + 1/2*h, -lam + 1, (x))
        """
        h = COEFFICIENTS.gen(0)
        return h * self.alpha(), 1 - self._method.momentum(), self._field(1, 0)

    def invariant_manifold(self):
        r"""
        Return the field `g_h` of the invariant manifold (iii) `v = g_h(x)`, to `O(h^2)`.

        `g_h = -(1-\lambda)^{-1}\nabla f - h\beta(1-\lambda)^{-3}\nabla^2 f\,\nabla f`.

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import continuous_limits
            sage: continuous_limits("x^2/2", "hb", lam=1/2).invariant_manifold()
            ((-8*h - 2)*x)
        """
        return self._field(self._gradient_coefficient(), self._manifold_coefficient())

    def modified_loss(self):
        r"""
        Return the modified loss (iv) `F_h = f + h\frac{\alpha}{2(1-\lambda)^2}\|\nabla f\|^2`.

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import continuous_limits
            sage: continuous_limits("x^2/2", "hb", lam=1/2).modified_loss()
            (3*h + 1)/2*x^2
        """
        return self._ring(self._loss) + self._loss_coefficient() * self._ring(self._gradient_norm2)

    def modified_flow(self):
        r"""
        Return the field `-(1-\lambda)^{-1}\nabla F_h` that moves the positions on the manifold, to `O(h^2)`.

        It is `g_h + \frac h2 (1-\lambda)^{-2}\nabla^2 f\,\nabla f`: the velocity
        of the flow, not the backward difference `g_h`.

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import continuous_limits
            sage: continuous_limits("x^2/2", "hb", lam=1/2).modified_flow()
            ((-6*h - 2)*x)
        """
        return self._field(self._gradient_coefficient(), self._flow_coefficient())

    def _gradient_coefficient(self):
        return -1 / (1 - self._method.momentum())

    def _manifold_coefficient(self):
        h, lam = COEFFICIENTS.gen(0), self._method.momentum()
        return -h * self._method.beta() / (1 - lam)**3

    def _loss_coefficient(self):
        h, lam = COEFFICIENTS.gen(0), self._method.momentum()
        return h * self.alpha() / (2 * (1 - lam)**2)

    def _flow_coefficient(self):
        # grad of |grad f|^2 is 2 Hess f grad f.
        return 2 * self._loss_coefficient() * self._gradient_coefficient()

    def _field(self, gradient_coefficient, hessian_coefficient):
        r"""
        Return `c_1 \nabla f + c_2 \nabla^2 f\,\nabla f` as a field over :meth:`ring`.
        """
        S = self._ring
        return PolynomialVectorField(S, [gradient_coefficient * S(g) + hessian_coefficient * S(k)
                                         for g, k in zip(self._gradient, self._hessian_gradient)])

    def numeric_fields(self, h):
        r"""
        Return float64 functions for `\nabla f`, `g_h` and `-(1-\lambda)^{-1}\nabla F_h` at the learning rate ``h``.

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import continuous_limits
            sage: grad, g, flow = continuous_limits("x^2/2", "hb", 1/2).numeric_fields(1/10)
            sage: [round(float(F([1.0])[0]), 6) for F in (grad, g, flow)]
            [1.0, -2.8, -2.6]

        TESTS::

            sage: continuous_limits("x^2/2", "hb").numeric_fields(1/10)
            Traceback (most recent call last):
            ...
            ValueError: give the momentum lam to evaluate the limits numerically
        """
        if self._method.is_symbolic():
            raise ValueError("give the momentum lam to evaluate the limits numerically")
        h = _check_positive(h, "the learning rate h")
        gradient = _numeric(self._gradient)
        hessian_gradient = _numeric(self._hessian_gradient)

        def combination(c1, c2):
            c1, c2 = float(c1.subs(h=h)), float(c2.subs(h=h))
            return lambda x: c1 * gradient(x) + c2 * hessian_gradient(x)

        return (gradient,
                combination(self._gradient_coefficient(), self._manifold_coefficient()),
                combination(self._gradient_coefficient(), self._flow_coefficient()))

    def report(self):
        r"""
        Return the four limits as text (what the object prints).

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import continuous_limits
            sage: print(continuous_limits("x^2/2", "nag", 1/2).report())
            Continuous limits of the Nesterov (NAG) method (a = lam), lam = 1/2, for f = 1/2*x^2
              (i)   rescaled gradient flow: x' = -(1 - lam)^-1 grad f
              (ii)  modified equation:      h alpha x'' + (1 - lam) x' + grad f = 0,  alpha = 1/2
              (iii) invariant manifold:     v = g_h(x) = -(1 - lam)^-1 grad f - h beta (1 - lam)^-3 Hess f grad f + O(h^2),  beta = 3/4
              (iv)  modified loss:          F_h = f + h alpha / (2 (1 - lam)^2) |grad f|^2,  x' = -(1 - lam)^-1 grad F_h + O(h^2) on the manifold
              where grad f = (x)
        """
        M = self._method
        return "\n".join([
            f"Continuous limits of the {M}, for f = {self._loss}",
            "  (i)   rescaled gradient flow: x' = -(1 - lam)^-1 grad f",
            "  (ii)  modified equation:      h alpha x'' + (1 - lam) x' + grad f = 0,  "
            f"alpha = {M.alpha()}",
            "  (iii) invariant manifold:     v = g_h(x) = -(1 - lam)^-1 grad f"
            f" - h beta (1 - lam)^-3 Hess f grad f + O(h^2),  beta = {M.beta()}",
            "  (iv)  modified loss:          F_h = f + h alpha / (2 (1 - lam)^2) |grad f|^2,  "
            "x' = -(1 - lam)^-1 grad F_h + O(h^2) on the manifold",
            f"  where grad f = {self.gradient()}"])

    def _repr_(self):
        return self.report()

    def _latex_(self):
        r"""
        Return the four limits as a LaTeX ``aligned`` block.

        EXAMPLES::

            sage: from sage.misc.latex import latex
            sage: from sage_conslaws.continuous_limits import continuous_limits
            sage: print(latex(continuous_limits("x^2/2", "hb", 1/2)))
            \begin{aligned}
            &\text{(i)} & \dot x &= -(1-\lambda)^{-1}\nabla f\\
            &\text{(ii)} & h\alpha\ddot x + (1-\lambda)\dot x + \nabla f &= 0, \quad \alpha = \frac{3}{4}\\
            &\text{(iii)} & v = g_h(x) &= -(1-\lambda)^{-1}\nabla f - h\beta(1-\lambda)^{-3}\nabla^2 f\,\nabla f + O(h^2), \quad \beta = 1\\
            &\text{(iv)} & F_h &= f + \frac{h\alpha}{2(1-\lambda)^2}\|\nabla f\|^2 = \left(\frac{3}{2} h + \frac{1}{2}\right) x^{2}\\
            &&\lambda = \frac{1}{2}, \quad f = \frac{1}{2} x^{2}
            \end{aligned}
        """
        M = self._method
        lam = r"\lambda\ \text{symbolic}" if M.is_symbolic() else rf"\lambda = {latex(M.momentum())}"
        return "\n".join([
            r"\begin{aligned}",
            r"&\text{(i)} & \dot x &= -(1-\lambda)^{-1}\nabla f\\",
            r"&\text{(ii)} & h\alpha\ddot x + (1-\lambda)\dot x + \nabla f &= 0, \quad "
            rf"\alpha = {latex(M.alpha())}\\",
            r"&\text{(iii)} & v = g_h(x) &= -(1-\lambda)^{-1}\nabla f"
            r" - h\beta(1-\lambda)^{-3}\nabla^2 f\,\nabla f + O(h^2), \quad "
            rf"\beta = {latex(M.beta())}\\",
            r"&\text{(iv)} & F_h &= f + \frac{h\alpha}{2(1-\lambda)^2}\|\nabla f\|^2 = "
            rf"{latex(self.modified_loss())}\\",
            rf"&&{lam}, \quad f = {latex(self._loss)}",
            r"\end{aligned}"])


def continuous_limits(loss, method="hb", lam=None):
    r"""
    Return the continuous limits (i)-(iv) of a momentum method on a polynomial loss.

    INPUT:

    - ``loss`` -- the loss `f`: a polynomial with rational coefficients, as an
      element of a Sage polynomial ring, a sympy expression or a string
      (variables sorted by name)
    - ``method`` -- (default: ``"hb"``) ``"hb"``, ``"nag"`` or a :class:`MomentumMethod`
    - ``lam`` -- (default: ``None``, symbolic) the momentum, a rational number in `(0, 1)`

    OUTPUT: a :class:`ContinuousLimits`

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.continuous_limits import continuous_limits
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: C = continuous_limits((x^2 + y^2 - 1)^2, "nag", lam=1/2)
        sage: C.modified_equation()[:2]
        (1/2*h, 1/2)

    The positions move with `g_h + \frac h2 (1-\lambda)^{-2}\nabla^2 f\,\nabla f`;
    on `f = x^2/2` with `\lambda = 1/2`, `\nabla^2 f\,\nabla f = x`::

        sage: C = continuous_limits(x^2/2, "hb", lam=1/2)
        sage: C.modified_flow() - C.invariant_manifold()
        ((2*h)*x, 0)

    TESTS::

        sage: continuous_limits("sin(x)")
        Traceback (most recent call last):
        ...
        TypeError: the loss must be a polynomial with rational coefficients (the map is not polynomial: sin(x) is not a polynomial in x)
        sage: continuous_limits("x^2", "sgd")
        Traceback (most recent call last):
        ...
        ValueError: unknown momentum method 'sgd'; known methods: hb, nag
        sage: continuous_limits("x^2", lam=3/2)
        Traceback (most recent call last):
        ...
        ValueError: the momentum lam must lie in (0, 1), got 3/2
        sage: continuous_limits(1/x)
        Traceback (most recent call last):
        ...
        TypeError: the loss must be a polynomial with rational coefficients (the map is not polynomial: 1/x is an element of Fraction Field of Multivariate Polynomial Ring in x, y over Rational Field)
    """
    return ContinuousLimits(loss, momentum_method(method, lam))


class RateTable(SageObject):
    r"""
    The measured errors of a momentum method against its continuous limits, and the observed orders.

    Built by :func:`convergence_rates`. Each row holds a learning rate `h` and
    three errors: the sup distance to the rescaled gradient flow (expected
    `O(h)`), to the modified equation (`O(h^2)`), and the distance
    `|v_k - g_h(x_k)|` to the invariant manifold after the transient
    (`O(h^2)`).

    INPUT:

    - ``method`` -- the :class:`MomentumMethod`
    - ``rows`` -- a list of tuples ``(h, gradient flow error, modified equation
      error, manifold distance)``

    EXAMPLES::

        sage: from sage_conslaws.continuous_limits import RateTable, momentum_method
        sage: T = RateTable(momentum_method("hb", 1/2), [(0.1, 1e-2, 1e-3, 1e-4), (0.05, 5e-3, 2.5e-4, 2.5e-5)])
        sage: T.orders()
        {'gradient flow': 1.0, 'manifold': 2.0, 'modified equation': 2.0}
        sage: T
        heavy ball method (a = 0), lam = 1/2
                h    |x - GF|  order     |x - ME|  order |v - g_h(x)|  order
              0.1    1.00e-02      -    1.00e-03      -    1.00e-04      -
             0.05    5.00e-03   1.00    2.50e-04   2.00    2.50e-05   2.00
          fitted orders: gradient flow 1.00, modified equation 2.00, manifold 2.00

    An error that vanishes has no order::

        sage: RateTable(momentum_method("hb", 1/2), [(0.1, 1, 1, 0), (0.05, 1, 1, 0)]).orders()
        {'gradient flow': 0.0, 'manifold': nan, 'modified equation': 0.0}

    TESTS::

        sage: RateTable(momentum_method("hb", 1/2), [(0.1, 1, 1, 1)])
        Traceback (most recent call last):
        ...
        ValueError: a rate needs at least two different learning rates h
    """

    #: The names of the three errors, in the order of the columns.
    ERRORS = ("gradient flow", "modified equation", "manifold")

    def __init__(self, method, rows):
        self._method = method
        self._rows = [tuple(float(v) for v in row) for row in rows]
        if len({row[0] for row in self._rows}) < 2:
            raise ValueError("a rate needs at least two different learning rates h")

    def rows(self):
        r"""
        Return the rows ``(h, gradient flow error, modified equation error, manifold distance)``.

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import RateTable, momentum_method
            sage: RateTable(momentum_method("hb", 1/2), [(0.1, 1, 2, 3), (0.05, 1, 1, 1)]).rows()
            [(0.1, 1.0, 2.0, 3.0), (0.05, 1.0, 1.0, 1.0)]
        """
        return list(self._rows)

    def observed_orders(self):
        r"""
        Return, for each error and each row after the first, `\log(e_{i-1}/e_i)/\log(h_{i-1}/h_i)`.

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import RateTable, momentum_method
            sage: T = RateTable(momentum_method("hb", 1/2), [(0.1, 4, 4, 4), (0.05, 2, 1, 1)])
            sage: T.observed_orders()
            {'gradient flow': [1.0], 'manifold': [2.0], 'modified equation': [2.0]}
        """
        return {name: [round((_log(a[c]) - _log(b[c])) / (_log(a[0]) - _log(b[0])), 12)
                       for a, b in zip(self._rows, self._rows[1:])]
                for c, name in enumerate(self.ERRORS, 1)}

    def orders(self):
        r"""
        Return, for each error, the slope of the least-squares line of `\log e` against `\log h`.

        EXAMPLES::

            sage: from sage_conslaws.continuous_limits import RateTable, momentum_method
            sage: T = RateTable(momentum_method("hb", 1/2), [(0.1, 8, 8, 8), (0.05, 4, 2, 1)])
            sage: T.orders()
            {'gradient flow': 1.0, 'manifold': 3.0, 'modified equation': 2.0}
        """
        logs_h = [_log(row[0]) for row in self._rows]
        mean_h = sum(logs_h) / len(logs_h)
        spread = sum((x - mean_h)**2 for x in logs_h)
        orders = {}
        for c, name in enumerate(self.ERRORS, 1):
            logs_e = [_log(row[c]) for row in self._rows]
            mean_e = sum(logs_e) / len(logs_e)
            slope = sum((x - mean_h) * (y - mean_e) for x, y in zip(logs_h, logs_e)) / spread
            orders[name] = round(slope, 12)
        return orders

    def _repr_(self):
        lines = [str(self._method),
                 f"{'h':>9}  {'|x - GF|':>10}  order  {'|x - ME|':>11}  order {'|v - g_h(x)|':>12}  order"]
        observed = self.observed_orders()
        for i, row in enumerate(self._rows):
            cells = [f"{row[0]:9.3g}"]
            for c, name in enumerate(self.ERRORS, 1):
                order = f"{observed[name][i - 1]:5.2f}" if i else "    -"
                cells.append(f"{row[c]:10.2e}  {order}")
            lines.append("  ".join(cells))
        fitted = ", ".join(f"{name} {p:.2f}" for name, p in self.orders().items())
        lines.append(f"  fitted orders: {fitted}")
        return "\n".join(lines)


def convergence_rates(loss, method, x0, lam, T, steps=(1/200, 1/400, 1/800)):
    r"""
    Return the errors of a momentum method against its continuous limits on `[0, T]`, for several learning rates.

    For each `h` of ``steps`` the method runs `T/h` steps (`t = kh`), in
    float64, and is compared at every `t_k` with:

    (a) the rescaled gradient flow from `x_0`, the method started at rest
        (`x_{-1} = x_0`): sup error `O(h)`;
    (b) the modified equation started on its slow manifold
        (`\dot x(0) = -(1-\lambda)^{-1}\nabla F_h(x_0)`), the method started on
        its invariant manifold (`x_{-1} = x_0 - h g_h(x_0)`): sup error `O(h^2)`.

    The third error is `\max |v_k - g_h(x_k)|` over `t_k \ge T/2` in run (a):
    the invariant manifold attracts, to `O(h^2)`. The ODEs are integrated by
    ``scipy.integrate.solve_ivp`` (DOP853, rtol `10^{-10}`, atol `10^{-12}`).

    INPUT:

    - ``loss`` -- the loss (see :func:`continuous_limits`)
    - ``method`` -- ``"hb"``, ``"nag"`` or a :class:`MomentumMethod`
    - ``x0`` -- the starting point, a list of numbers
    - ``lam`` -- the momentum, a rational number in `(0, 1)`
    - ``T`` -- the length of the time interval, a positive number
    - ``steps`` -- (default: ``(1/200, 1/400, 1/800)``) the learning rates `h`;
      each must divide ``T``

    OUTPUT: a :class:`RateTable`

    EXAMPLES::

        sage: from sage_conslaws.continuous_limits import convergence_rates
        sage: convergence_rates("(x^2 + y^2 - 1)^2", "hb", [1/2, 1/5], 1/2, 1/4)
        heavy ball method (a = 0), lam = 1/2
                h    |x - GF|  order     |x - ME|  order |v - g_h(x)|  order
            0.005    1.50e-02      -    7.00e-05      -    2.44e-02      -
           0.0025    7.71e-03   0.96    1.72e-05   2.02    5.72e-03   2.09
          0.00125    3.88e-03   0.99    4.26e-06   2.01    1.39e-03   2.05
          fitted orders: gradient flow 0.98, modified equation 2.02, manifold 2.07

    TESTS::

        sage: convergence_rates("x^2", "hb", [1], 1/2, 1, steps=(0,))
        Traceback (most recent call last):
        ...
        ValueError: the learning rate h must be a positive number, got 0
        sage: convergence_rates("x^2", "hb", [1], 1/2, 1, steps=(0.3,))
        Traceback (most recent call last):
        ...
        ValueError: the learning rate h = 0.3 does not divide T = 1
        sage: convergence_rates("x^2", "hb", [1], 1/2, 1, steps=(1/10, 1/10))
        Traceback (most recent call last):
        ...
        ValueError: a rate needs at least two different learning rates h
        sage: convergence_rates("x^2", "hb", [1, 2], 1/2, 1)
        Traceback (most recent call last):
        ...
        ValueError: the starting point must have 1 coordinates (x), got 2
    """
    limits = continuous_limits(loss, method, lam)
    length = _check_positive(T, "the time T")
    names = limits.loss().parent().variable_names()
    x0 = [float(c) for c in x0]
    if len(x0) != len(names):
        raise ValueError(f"the starting point must have {len(names)} coordinates "
                         f"({', '.join(names)}), got {len(x0)}")
    steps = [_check_positive(h, "the learning rate h") for h in steps]
    for h in steps:
        if abs(round(length / h) * h - length) > 1e-9 * length:
            raise ValueError(f"the learning rate h = {h} does not divide T = {T}")
    if len(set(steps)) < 2:
        raise ValueError("a rate needs at least two different learning rates h")
    return RateTable(limits.method(), [(h,) + _errors(limits, x0, h, round(length / h)) for h in steps])


def _errors(limits, x0, h, n):
    r"""
    Return the three errors of :func:`convergence_rates` for one learning rate ``h`` and ``n`` steps.
    """
    np = _numpy()
    solve_ivp = _solve_ivp()
    method = limits.method()
    lam, mass = float(method.momentum()), h * float(method.alpha())
    gradient, manifold, flow = limits.numeric_fields(h)
    times = h * np.arange(n + 1)
    x0 = np.array(x0)

    def sup_distance(iterates, rhs, y0):
        solution = solve_ivp(rhs, (0, times[-1]), y0, t_eval=times, method="DOP853",
                             rtol=1e-10, atol=1e-12)
        return np.max(np.linalg.norm(iterates - solution.y[:len(x0)].T, axis=1))

    at_rest = method.run(gradient, x0, h, n)
    gradient_flow = sup_distance(at_rest, lambda t, x: -gradient(x) / (1 - lam), x0)

    D = len(x0)

    def modified_equation(t, y):
        x, v = y[:D], y[D:]
        return np.concatenate([v, -((1 - lam) * v + gradient(x)) / mass])

    on_manifold = method.run(gradient, x0, h, n, x_previous=x0 - h * manifold(x0))
    modified = sup_distance(on_manifold, modified_equation, np.concatenate([x0, flow(x0)]))

    velocities = (at_rest[1:] - at_rest[:-1]) / h
    late = times[1:] >= times[-1] / 2
    distance = max(np.linalg.norm(v - manifold(x)) for v, x in zip(velocities[late], at_rest[1:][late]))
    return gradient_flow, modified, distance


def _log(value):
    r"""
    Return `\log` of a positive float, NaN for zero (an error that vanishes has no order).

    EXAMPLES::

        sage: from sage_conslaws.continuous_limits import _log
        sage: _log(1.0), _log(0.0)
        (0.0, nan)
    """
    import math
    return math.log(value) if value > 0 else math.nan


def _numeric(polynomials):
    r"""
    Return a float64 function mapping a numpy array `x` to the array of the values of ``polynomials``.

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.continuous_limits import _numeric
        sage: R = PolynomialRing(QQ, 'x, y'); x, y = R.gens()
        sage: _numeric([x*y, x - 1/2])([2.0, 3.0])
        array([6. , 1.5])
    """
    from sage.ext.fast_callable import fast_callable
    np = _numpy()
    gens = polynomials[0].parent().gens()
    functions = [fast_callable(p, vars=gens, domain=float) for p in polynomials]
    return lambda x: np.array([F(*x) for F in functions])


def _as_loss(loss):
    r"""
    Return ``loss`` as a polynomial over `\QQ`, or raise a clear error.

    EXAMPLES::

        sage: from sage_conslaws.continuous_limits import _as_loss
        sage: _as_loss("x^2/2 + y").parent()
        Multivariate Polynomial Ring in x, y over Rational Field

    TESTS::

        sage: _as_loss("0.5*x")
        Traceback (most recent call last):
        ...
        TypeError: the loss must be a polynomial with rational coefficients (the map must have rational coefficients, got 0.5*x; write 1/2 instead of 0.5)
        sage: _as_loss("3")
        Traceback (most recent call last):
        ...
        ValueError: the loss must depend on at least one variable, got 3
    """
    try:
        f, = PolynomialMap([loss]).reparametrization()
    except TypeError as error:
        raise TypeError(f"the loss must be a polynomial with rational coefficients ({error})") from None
    except ValueError:
        raise ValueError(f"the loss must depend on at least one variable, got {loss}") from None
    return f


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

        sage: from sage_conslaws.continuous_limits import _rational_hint
        sage: _rational_hint(0.9)
        9/10
    """
    from fractions import Fraction
    return QQ(Fraction(float(x)).limit_denominator(10**6))


def _check_look_ahead(a):
    r"""
    Return the look-ahead ``a`` as an element of :data:`COEFFICIENTS` free of ``h``.

    TESTS::

        sage: from sage_conslaws.continuous_limits import _check_look_ahead
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


def _check_positive(x, name):
    r"""
    Return ``x`` as a positive float, or raise a ValueError naming it.

    EXAMPLES::

        sage: from sage_conslaws.continuous_limits import _check_positive
        sage: _check_positive(1/4, "h")
        0.25
        sage: _check_positive(-1, "h")
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


def _numpy():
    try:
        import numpy
    except ImportError:
        raise ImportError(_SIMULATE_HINT) from None
    return numpy


def _solve_ivp():
    try:
        from scipy.integrate import solve_ivp
    except ImportError:
        raise ImportError(_SIMULATE_HINT) from None
    return solve_ivp
