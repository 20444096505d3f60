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
    sage: from sage_conslaws.symmetries.noether import noether_laws
    sage: N = LinearNetwork([1, 1, 1])
    sage: noether_laws(N, "gradient")
    [rescale neuron 1.0 under gradient flow: conserved 1/2*w1_0_0^2 - 1/2*w2_0_0^2]
    sage: noether_laws(N, "nesterov")
    [rescale neuron 1.0 under Nesterov flow: d/dt[t^3*(w1_0_0*w1_0_0' - w2_0_0*w2_0_0')] = t^3*(w1_0_0'^2 - w2_0_0'^2)]
"""
import sympy
from sage.misc.latex import LatexExpr
from sage.structure.sage_object import SageObject

from sage_conslaws.models.rings import parameter_ring
from sage_conslaws.symmetries.generators import (SymmetryGenerator, as_field, field_formula,
                                                 is_symmetry)
from sage_conslaws.symmetries.solve import linear_symmetries
from sage_conslaws.fields.coercion import variable_indices
from sage_conslaws.dynamics.equations import as_dynamics, sympy_text, t


class NoetherLaw(SageObject):
    r"""
    The law, or the identity, that Noether's theorem gives for a symmetry under a dynamics.

    INPUT:

    - ``generator`` -- a :class:`~sage_conslaws.symmetries.generators.SymmetryGenerator`
      (a symmetry of the model: this is not checked here, see
      :func:`noether_laws`)
    - ``dynamics`` -- a :class:`~sage_conslaws.dynamics.equations.Dynamics` or the name of one (see :func:`~sage_conslaws.dynamics.equations.dynamics`)

    EXAMPLES:

    The rotation of two hidden neurons of a linear network is skew: a law
    `\mu(t)\langle\dot\theta, A\theta\rangle` for every momentum dynamics,
    and an identity for gradient flow::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries.solve import linear_symmetries
        sage: from sage_conslaws.symmetries.noether import NoetherLaw
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
        self._dynamics = as_dynamics(dynamics)
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
            sage: from sage_conslaws.symmetries.noether import noether_laws
            sage: noether_laws(LinearNetwork([1, 1, 1]), "ND")[0].generator().name()
            'rescale neuron 1.0'
        """
        return self._generator

    def dynamics(self):
        r"""
        Return the dynamics.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries.noether import noether_laws
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
            sage: from sage_conslaws.symmetries.noether import noether_laws
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
            sage: from sage_conslaws.symmetries.noether import noether_laws
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
            sage: from sage_conslaws.symmetries.noether import noether_laws
            sage: noether_laws(LinearNetwork([1, 1, 1]), "ND")[0].phase_ring()
            Multivariate Polynomial Ring in w1_0_0, w2_0_0, v_w1_0_0, v_w2_0_0 over Rational Field
        """
        return self._phase

    def pairing(self):
        r"""
        Return `\langle\dot\theta, \xi(\theta)\rangle` as a polynomial of :meth:`phase_ring`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries.noether import noether_laws
            sage: noether_laws(LinearNetwork([1, 1, 1]), "ND")[0].pairing()
            w1_0_0*v_w1_0_0 - w2_0_0*v_w2_0_0
        """
        return self._pairing

    def source(self):
        r"""
        Return `\langle\dot\theta, D\xi\,\dot\theta\rangle`, with `\frac{d}{dt}(\mu\langle\dot\theta, \xi\rangle) = \mu\langle\dot\theta, D\xi\,\dot\theta\rangle`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries.noether import noether_laws
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
            sage: from sage_conslaws.symmetries.noether import noether_laws
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
            sage: from sage_conslaws.symmetries.noether import noether_laws
            sage: [law.text() for law in noether_laws(ReLUNetwork([1, 1, 1]), "ND")]
            ["d/dt[w1_0_0*w1_0_0' - w2_0_0*w2_0_0'] = w1_0_0'^2 - w2_0_0'^2"]
        """
        return self._form(latex=False)

    def latex(self):
        r"""
        Return the law, or the identity, in LaTeX.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.symmetries.noether import noether_laws
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
            sage: from sage_conslaws.symmetries.noether import noether_laws
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

        For gradient flow, by :func:`~sage_conslaws.laws.polynomial.is_conservation_law`
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
            sage: from sage_conslaws.symmetries.noether import noether_laws
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
        from sage_conslaws.laws.polynomial import is_conservation_law
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
            sage: from sage_conslaws.symmetries.noether import noether_laws
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
        sage: from sage_conslaws.symmetries.noether import phase_ring
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
            for k in variable_indices(xi[i])}


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
    front = sympy.latex(mu) if latex else sympy_text(mu)
    simple = all(c not in text for c in "+-") or text == "0"
    if latex:
        return f"{front} {text}" if simple else r"%s \left(%s\right)" % (front, text)
    return f"{front}*{text}" if simple else f"{front}*({text})"


def noether_laws(model, dynamics, generators=None):
    r"""
    Return the Noether law (or identity) of each symmetry generator of ``model`` under ``dynamics``.

    INPUT:

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
    - ``dynamics`` -- a :class:`~sage_conslaws.dynamics.equations.Dynamics` or the name of one (see :func:`~sage_conslaws.dynamics.equations.dynamics`)
    - ``generators`` -- (default: the model's ``symmetry_generators()`` if it
      has that method, else a basis of its linear symmetries that starts
      with a basis of the symmetric part, for gradient flow, or of the skew
      part, otherwise: so every symmetric, resp. skew, element of
      `\mathfrak g` gives a law) a list of
      :class:`~sage_conslaws.symmetries.generators.SymmetryGenerator`, vector fields or
      lists of polynomials; the generators given are checked to be symmetries

    OUTPUT: a list of :class:`NoetherLaw`

    EXAMPLES:

    The balancedness `W_1W_1^T - W_2^TW_2` of a linear network comes from
    the symmetric part of `\mathfrak{gl}(r)`; for `\phi = u_1v_1 + u_2v_2`,
    the symmetric part of `\mathfrak o(2, 2)` gives one more law,
    `u_1v_2 - u_2v_1`, functionally dependent on the first three::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries.noether import noether_laws
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
    dynamics = as_dynamics(dynamics)
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
