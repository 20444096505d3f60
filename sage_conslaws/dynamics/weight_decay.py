r"""
Weight decay

Weight decay `\lambda \ge 0` adds `-\lambda\theta` to the flow: the gradient
flow becomes `\dot\theta = -\nabla E(\theta) - \lambda\theta`, the momentum
flow `\ddot\theta + \tau\dot\theta = -\nabla E(\theta) - \lambda\theta`.

**Gradient flow.** When every component of `\phi` is homogeneous (as for
every network of the package: each path product is), `\nabla\phi_j(c\theta)
= c^{k_j - 1}\nabla\phi_j(\theta)`, so `W(c\theta) = W(\theta)` for `c \ne 0`.
With `\psi = e^{\lambda t}\theta` the flow is `\dot\psi = -e^{\lambda t}
\nabla E(e^{-\lambda t}\psi) \in W(\psi)`, any element of `W(\psi)` for a
suitable loss, `0` included. A law `g(t, \psi)` must then have `\partial_t g
= 0` and `\nabla_\psi g \perp W(\psi)`: the laws with weight decay are
exactly the `h(e^{\lambda t}\theta)`, `h` a law without it ([MGP2025]_, Thm.
2.1), and their number is the same. A law `h = \sum_k h_k` with homogeneous
parts `h_k` of degree `k` reads `\sum_k e^{k\lambda t} h_k(\theta)`, e.g.
`e^{2\lambda t}(\|u\|^2 - \|v\|^2)`. The count is the exact count without
decay, with its proof; the reduction needs homogeneous components, which
are checked exactly, and is refused otherwise.

**Momentum flows.** In phase space the drift gains `-\lambda\theta` in the
velocities (see :class:`~sage_conslaws.dynamics.phase_space.MomentumFlow`),
and the engine counts the lifted system as it is, under the Euclidean metric.

EXAMPLES::

    sage: from sage_conslaws import ReLUNetwork
    sage: from sage_conslaws.dynamics import flow_count
    sage: r = flow_count(ReLUNetwork([1, 1, 1]), weight_decay="1/10"); r
    gradient flow (euclidean metric, weight decay 1/10) of ReLUNetwork([1, 1, 1]) with 2 parameters: 1 independent conservation law (certified); the 1 known law is all the laws
    sage: r.laws_in_user_terms()
    [('neuron 1.0', 'exp(1/5*t)*(w1_0_0^2 - w2_0_0^2)')]
"""
from sage.rings.rational_field import QQ

from sage_conslaws.expressions.polynomials import parse_rational


def check_weight_decay(weight_decay):
    r"""
    Return the weight decay as a rational number `\lambda \ge 0`, or ``None`` if none is given.

    Strings are read exactly (``"0.1"`` is `1/10`), never evaluated.

    EXAMPLES::

        sage: from sage_conslaws.dynamics.weight_decay import check_weight_decay
        sage: [check_weight_decay(w) for w in (None, "0.1", 1/4, 0)]
        [None, 1/10, 1/4, 0]

    TESTS::

        sage: check_weight_decay("-1")
        Traceback (most recent call last):
        ...
        ValueError: the weight decay must be a non-negative rational number, got '-1'
        sage: check_weight_decay("exp(1)")
        Traceback (most recent call last):
        ...
        ValueError: the weight decay must be a non-negative rational number, got 'exp(1)'
    """
    if weight_decay is None:
        return None
    try:
        value = parse_rational(weight_decay) if isinstance(weight_decay, str) else QQ(weight_decay)
    except (TypeError, ValueError, ArithmeticError):
        value = None
    if value is None or value < 0:
        raise ValueError("the weight decay must be a non-negative rational number, "
                         f"got {weight_decay!r}")
    return value


def check_homogeneous(model):
    r"""
    Raise a clear error unless every component of the `\phi` of ``model`` is homogeneous.

    EXAMPLES::

        sage: from sage_conslaws import PolynomialMap, ReLUNetwork
        sage: from sage_conslaws.dynamics.weight_decay import check_homogeneous
        sage: check_homogeneous(ReLUNetwork([2, 2, 1], bias=True))
        sage: check_homogeneous(PolynomialMap(["x*y + x"]))
        Traceback (most recent call last):
        ...
        ValueError: weight decay: component 0 of phi, x*y + x, is not homogeneous; the laws h(exp(lambda t) theta) of the gradient flow need homogeneous components
    """
    for j, f in enumerate(model.reparametrization()):
        if not f.is_homogeneous():
            raise ValueError(f"weight decay: component {j} of phi, {f}, is not homogeneous; the "
                             "laws h(exp(lambda t) theta) of the gradient flow need homogeneous "
                             "components")


def decayed(h, weight_decay, latex=False):
    r"""
    Return the text of `h(e^{\lambda t}\theta) = \sum_k e^{k\lambda t} h_k(\theta)`.

    INPUT:

    - ``h`` -- a polynomial law of the flow without decay
    - ``weight_decay`` -- `\lambda`, a rational number
    - ``latex`` -- (default: ``False``) LaTeX instead of plain text

    EXAMPLES::

        sage: from sage_conslaws.dynamics.weight_decay import decayed
        sage: R.<u, v> = QQ[]
        sage: decayed(u^2 - v^2, 1/2), decayed(u^2 - v + 1, 1)
        ('exp(t)*(u^2 - v^2)', 'exp(2*t)*(u^2) + exp(t)*(-v) + 1')
        sage: decayed(u^2 - v^2, 1/2, latex=True)
        'e^{t} \\left(u^{2} - v^{2}\\right)'
        sage: decayed(u - v, 0)
        'u - v'
    """
    from sage.misc.latex import latex as to_latex
    if not weight_decay:
        return to_latex(h) if latex else str(h)
    parts = sorted(h.homogeneous_components().items(), reverse=True)
    terms = []
    for k, part in parts:
        c = k * weight_decay
        if not k:
            terms.append(to_latex(part) if latex else str(part))
        elif latex:
            terms.append(r"e^{%s} \left(%s\right)" % ("t" if c == 1 else f"{to_latex(c)} t",
                                                     to_latex(part)))
        else:
            terms.append(f"{'exp(t)' if c == 1 else f'exp({c}*t)'}*({part})")
    return " + ".join(terms)
