r"""
Laws of phase space written in the user's terms: the time `t`, the parameters
`\theta` and their velocities `\dot\theta`

The phase space of a momentum flow
(:class:`~sage_conslaws.dynamics.phase_space.MomentumFlow`) has the time
`s = e^{\tau t}` (heavy ball) or `t`, the parameters and the velocities
``v_<name>``; a user reads its laws in `t`, `\theta` and `\theta'`.
"""


def in_user_terms(flow, h, latex=False):
    r"""
    Return the phase-space polynomial ``h`` written in the user's terms `t, \theta, \dot\theta`.

    The time `s` of a heavy ball is written ``exp(tau*t)``, `t` stays
    `t`, and the velocity ``v_<name>`` is written ``<name>'`` (the
    derivative of ``<name>`` with respect to `t`; `\dot{\ }` in LaTeX). The
    largest power of the flow's integrating factor dividing ``h`` is written in
    front: ``exp(tau*t)*(...)`` for a heavy ball, ``t^3*(...)`` for
    Nesterov.

    INPUT:

    - ``flow`` -- a :class:`~sage_conslaws.dynamics.phase_space.MomentumFlow`
    - ``h`` -- a polynomial on the phase space (its ring)
    - ``latex`` -- (default: ``False``) if ``True``, return LaTeX (a
      :class:`~sage.misc.latex.LatexExpr`) instead of text

    OUTPUT: a string

    EXAMPLES:

    The momentum law of `x \mapsto uvx` under the heavy ball with damping
    `1/2` (the note's `e^{\tau t}(U^T\dot U - \dot U^T U + \ldots)`)::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.dynamics import MomentumFlow
        sage: from sage_conslaws.dynamics.user_terms import in_user_terms
        sage: F = MomentumFlow(LinearNetwork([1, 2, 1]), damping=1/2)
        sage: (name, h) = F.known_laws()[0]
        sage: in_user_terms(F, h)
        "exp(1/2*t)*(-w1_1_0*w1_0_0' + w1_0_0*w1_1_0' - w2_0_1*w2_0_0' + w2_0_0*w2_0_1')"
        sage: latex(in_user_terms(F, h, latex=True))
        e^{\frac{1}{2} t} \left(\mathit{w1}_{0_{0}} \dot{\mathit{w1}_{1_{0}}} - ...\right)

    Powers of the factor, the time inside the rest, and the other flows::

        sage: s, a = F.time_variable(), F.positions()[0]; va = F.velocities()[0]
        sage: in_user_terms(F, s^2*va), in_user_terms(F, a + 2*va), in_user_terms(F, s*a - 1)
        ("exp(t)*w1_0_0'", "w1_0_0 + 2*w1_0_0'", 'exp(1/2*t)*w1_0_0 - 1')
        sage: in_user_terms(F, s*(a - va)^2)
        "exp(1/2*t)*(w1_0_0^2 - 2*w1_0_0*w1_0_0' + w1_0_0'^2)"
        sage: G = MomentumFlow(LinearNetwork([1, 2, 1]), flow="nesterov")
        sage: [in_user_terms(G, h) for _, h in G.known_laws()]
        ["t^3*(-w1_1_0*w1_0_0' + w1_0_0*w1_1_0' - w2_0_1*w2_0_0' + w2_0_0*w2_0_1')",
         "t^3*(w2_0_1*w1_0_0' - w2_0_0*w1_1_0' + w1_1_0*w2_0_0' - w1_0_0*w2_0_1')"]
        sage: H = MomentumFlow(LinearNetwork([1, 1, 1]))
        sage: [in_user_terms(H, h) for _, h in H.drift_invariants()]
        ["-t*w1_0_0' + w1_0_0", "-t*w2_0_0' + w2_0_0", "w1_0_0'", "w2_0_0'"]
    """
    from sage.misc.latex import LatexExpr
    from sage.rings.polynomial.polydict import PolyDict

    h = flow.ring()(h)
    factor, power = flow.integrating_factor(), 0
    if not (factor.is_one() or h.is_zero()):
        while factor.divides(h):
            h, power = h // factor, power + 1
    names, front = _user_names(flow, power, latex)
    if latex:
        rest, bracket, times = PolyDict(h.dict()).latex(names), r"\left(%s\right)", " "
    else:
        rest, bracket, times = h._repr_with_changed_varnames(names), "(%s)", "*"
    if power:
        if h.is_one():
            rest = front
        elif h.number_of_terms() == 1 and h.lc().is_one():
            rest = front + times + rest
        else:
            rest = front + times + bracket % rest
    return LatexExpr(rest) if latex else rest

def _user_names(flow, power, latex):
    r"""
    Return the names of the phase-space variables in the user's terms, and the factor `e^{\int\tau}` to the ``power``.

    See :func:`in_user_terms`.

    TESTS::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.dynamics import MomentumFlow
        sage: from sage_conslaws.dynamics.user_terms import _user_names
        sage: F = MomentumFlow(LinearNetwork([1, 1, 1]), damping=2)
        sage: _user_names(F, 2, False)
        (['exp(2*t)', 'w1_0_0', 'w2_0_0', "w1_0_0'", "w2_0_0'"], 'exp(4*t)')
        sage: _user_names(F, 1, True)
        (['{e^{2 t}}', '\\mathit{w1}_{0_{0}}', '\\mathit{w2}_{0_{0}}',
          '\\dot{\\mathit{w1}_{0_{0}}}', '\\dot{\\mathit{w2}_{0_{0}}}'], 'e^{2 t}')
        sage: _user_names(MomentumFlow(LinearNetwork([1, 1, 1]), flow="nesterov"), 1, True)[1]
        't^{3}'
    """
    from sage.misc.latex import latex as to_latex

    D, tau = flow._base.dimension(), flow._damping
    if latex:
        theta = list(flow.ring().latex_variable_names()[1:D + 1])
        velocities = [r"\dot{%s}" % x for x in theta]
        exp = (lambda c: "e^{%s t}" % to_latex(c))
        time_power = "t^{%s}"
    else:
        theta = list(flow.ring().variable_names()[1:D + 1])
        velocities = [f"{x}'" for x in theta]
        exp = (lambda c: "exp(t)" if c == 1 else f"exp({c}*t)")
        time_power = "t^%s"
    if flow._flow == "momentum" and tau:
        # s = e^{tau t}; braces so that a power of it stays valid LaTeX
        time = "{%s}" % exp(tau) if latex else exp(tau)
        front = exp(power * tau)
    else:
        time, front = "t", time_power % (3 * power)
    return [time] + theta + velocities, front
