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
rational `\lambda`); :func:`~sage_conslaws.dynamics.continuous_limits.rates.convergence_rates` measures the rates in float64
(numpy and scipy, the extra ``[simulate]``).

Note that `g_h` is the slope of the *backward difference* `v_k`, not the
velocity of the interpolating flow: since `v_k = \dot x - \frac h2 \ddot x + O(h^2)`
and `\ddot x = (1-\lambda)^{-2}\nabla^2 f\,\nabla f + O(h)`, the positions
move with `g_h + \frac h2 (1-\lambda)^{-2}\nabla^2 f\,\nabla f = -(1-\lambda)^{-1}\nabla F_h`,
which is why `\alpha` (and not `\beta`) enters `F_h`.

EXAMPLES:

The toy loss `(x^2 + y^2 - 1)^2` under the heavy ball::

    sage: from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
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
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.structure.sage_object import SageObject

from sage_conslaws.models.polynomial_map import PolynomialMap
from sage_conslaws.fields.vector_fields import PolynomialVectorField
from sage_conslaws.dynamics.continuous_limits.methods import (COEFFICIENTS, check_positive,
                                                              _numeric, momentum_method)


class ContinuousLimits(SageObject):
    r"""
    The continuous limits (i)-(iv) of a momentum method on a polynomial loss, exactly.

    The objects are polynomials in the coordinates over :data:`~sage_conslaws.dynamics.continuous_limits.methods.COEFFICIENTS`,
    with `\lambda` replaced by its value when the method has one.

    INPUT:

    - ``loss`` -- the loss `f`, a polynomial over `\QQ` (see :func:`continuous_limits`)
    - ``method`` -- a :class:`~sage_conslaws.dynamics.continuous_limits.methods.MomentumMethod`

    EXAMPLES::

        sage: from sage_conslaws.dynamics.continuous_limits.limits import ContinuousLimits
        sage: from sage_conslaws.dynamics.continuous_limits.methods import momentum_method
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

            sage: from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
            sage: continuous_limits("x^2 + y").loss().parent()
            Multivariate Polynomial Ring in x, y over Rational Field
        """
        return self._loss

    def method(self):
        r"""
        Return the momentum method.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
            sage: continuous_limits("x^2", "nag").method()
            Nesterov (NAG) method (a = lam), lam symbolic
        """
        return self._method

    def ring(self):
        r"""
        Return the ring of the limits: the coordinates over :data:`~sage_conslaws.dynamics.continuous_limits.methods.COEFFICIENTS`.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
            sage: continuous_limits("x^2").ring()
            Multivariate Polynomial Ring in x over Fraction Field of Multivariate Polynomial Ring in h, lam over Rational Field
        """
        return self._ring

    def alpha(self):
        r"""
        Return `\alpha` of the modified equation (see :meth:`~sage_conslaws.dynamics.continuous_limits.methods.MomentumMethod.alpha`).

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
            sage: continuous_limits("x^2", "nag").alpha()
            lam^2 - 1/2*lam + 1/2
        """
        return self._method.alpha()

    def gradient(self):
        r"""
        Return `\nabla f`, a vector field over `\QQ`.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
            sage: continuous_limits("x^2*y").gradient()
            (2*x*y, x^2)
        """
        return PolynomialVectorField(self._loss.parent(), self._gradient)

    def rescaled_gradient_flow(self):
        r"""
        Return the field `-(1-\lambda)^{-1}\nabla f` of the time-rescaled gradient flow (i).

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
            sage: continuous_limits("x^2/2", "hb").rescaled_gradient_flow()
            (1/(lam - 1)*x)
        """
        return self._field(self._gradient_coefficient(), 0)

    def modified_equation(self):
        r"""
        Return the modified equation (ii) `m\ddot x + c\dot x + \nabla f = 0` as ``(m, c, grad f)``.

        OUTPUT: the mass `m = h\alpha` and the damping `c = 1 - \lambda` (elements
        of :data:`~sage_conslaws.dynamics.continuous_limits.methods.COEFFICIENTS`) and the field `\nabla f` over :meth:`ring`

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
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

            sage: from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
            sage: continuous_limits("x^2/2", "hb", lam=1/2).invariant_manifold()
            ((-8*h - 2)*x)
        """
        return self._field(self._gradient_coefficient(), self._manifold_coefficient())

    def modified_loss(self):
        r"""
        Return the modified loss (iv) `F_h = f + h\frac{\alpha}{2(1-\lambda)^2}\|\nabla f\|^2`.

        EXAMPLES::

            sage: from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
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

            sage: from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
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

            sage: from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
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
        h = check_positive(h, "the learning rate h")
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

            sage: from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
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
            sage: from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
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
    - ``method`` -- (default: ``"hb"``) ``"hb"``, ``"nag"`` or a :class:`~sage_conslaws.dynamics.continuous_limits.methods.MomentumMethod`
    - ``lam`` -- (default: ``None``, symbolic) the momentum, a rational number in `(0, 1)`

    OUTPUT: a :class:`ContinuousLimits`

    EXAMPLES::

        sage: from sage.rings.rational_field import QQ
        sage: from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
        sage: from sage_conslaws.dynamics.continuous_limits.limits import continuous_limits
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


def _as_loss(loss):
    r"""
    Return ``loss`` as a polynomial over `\QQ`, or raise a clear error.

    EXAMPLES::

        sage: from sage_conslaws.dynamics.continuous_limits.limits import _as_loss
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
