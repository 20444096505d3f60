r"""
The Noether cross-check: the laws of the symmetries against the engine's count.
"""
from sage.structure.sage_object import SageObject

from sage_conslaws.symmetries.solve import linear_symmetries
from sage_conslaws.symmetries.noether import NoetherLaw


class NoetherCrossCheck(SageObject):
    r"""
    The laws that Noether's theorem gives for the linear symmetries of a model, against the engine's exact count.

    Built by :func:`noether_cross_check`.

    EXAMPLES::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries.cross_check import noether_cross_check
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
            sage: from sage_conslaws.symmetries.cross_check import noether_cross_check
            sage: noether_cross_check(ReLUNetwork([2, 2, 1])).engine_count().number_of_laws()
            2
        """
        return self._count

    def laws(self):
        r"""
        Return the conserved :class:`~sage_conslaws.symmetries.noether.NoetherLaw` of the symmetries.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: from sage_conslaws.symmetries.cross_check import noether_cross_check
            sage: noether_cross_check(ReLUNetwork([1, 1, 1])).laws()
            [rescale neuron 1.0 under gradient flow: conserved 1/2*w1_0_0^2 - 1/2*w2_0_0^2]
        """
        return list(self._laws)

    def polynomials(self):
        r"""
        Return the conserved quantities as polynomials of the engine's ring (phase space for momentum flows).

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries.cross_check import noether_cross_check
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
            sage: from sage_conslaws.symmetries.cross_check import noether_cross_check
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
            sage: from sage_conslaws.symmetries.cross_check import noether_cross_check
            sage: noether_cross_check(LinearNetwork([1, 2, 1])).rank()
            3
        """
        return self._rank

    def number_not_from_symmetries(self):
        r"""
        Return the engine's count minus :meth:`rank`: the laws the linear symmetries do not explain.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.symmetries.cross_check import noether_cross_check
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
            sage: from sage_conslaws.symmetries.cross_check import noether_cross_check
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
            sage: from sage_conslaws.symmetries.cross_check import noether_cross_check
            sage: print(noether_cross_check(ReLUNetwork([2, 2, 1], bias=True)).report())
            Noether cross-check: ReLUNetwork([2, 2, 1], bias=True) with 8 parameters, gradient flow
              engine                : 2 independent laws (certified)
              Noether quantities    : 2 from symmetries, all verified by the engine
              their rank            : 2 (at a random point modulo a prime: a lower bound, exact with high probability)
              not from symmetries   : 0
        """
        status = self._count.status_label()
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

    - ``model`` -- a :class:`~sage_conslaws.models.base.Model`
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
    :func:`~sage_conslaws.laws.polynomial.is_conservation_law` on the model's fields
    (which is what :meth:`~sage_conslaws.symmetries.noether.NoetherLaw.verify` does), a momentum quantity both
    on the phase-space fields of
    :class:`~sage_conslaws.dynamics.phase_space.MomentumFlow` (times
    `e^{\tau t} = s`, `1` or `t^3`) and symbolically by
    :meth:`~sage_conslaws.symmetries.noether.NoetherLaw.verify`; their rank is read at a random point.

    EXAMPLES:

    For `\phi = \sum_i u_iv_i` (the network `[1, r, 1]`), the momentum laws
    all come from the skew part of `\mathfrak o(r, r)`: `4r - 6` of them for
    `r \ge 2`::

        sage: from sage_conslaws import LinearNetwork
        sage: from sage_conslaws.symmetries.cross_check import noether_cross_check
        sage: [noether_cross_check(LinearNetwork([1, r, 1]), "momentum").rank() for r in (2, 3, 4)]
        [2, 6, 10]

    TESTS::

        sage: noether_cross_check(LinearNetwork([1, 1, 1]), "adam")
        Traceback (most recent call last):
        ...
        ValueError: unknown flow 'adam'; known flows: gradient, momentum, nesterov
    """
    from sage_conslaws.dynamics.flows import check_flow_options, flow_count
    from sage_conslaws.dynamics.phase_space import MomentumFlow
    from sage_conslaws.laws.polynomial import independent_laws, is_conservation_law
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
