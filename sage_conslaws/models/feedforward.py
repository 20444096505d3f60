r"""
Transformer feed-forward units: SwiGLU, GELU, SiLU (no polynomial `\phi`)

A SwiGLU unit is `x \mapsto A\,(\mathrm{swish}(Bx) \odot (Cx))`, `B, C \in
\RR^{h \times n}`, `A \in \RR^{m \times h}`, `\mathrm{swish}(z) = z\,
\mathrm{sigmoid}(z)`; a GELU or SiLU unit is `x \mapsto A\,\sigma(Bx)`. None
of these activations is piecewise polynomial, so the output is not a
function of a polynomial `\phi` and **the engine proves no count for them**.

Their laws come from their symmetries instead (Noether). In a SwiGLU unit
the gate `Cx` enters linearly: `(C_{k,:}, A_{:,k}) \mapsto (\lambda
C_{k,:}, A_{:,k}/\lambda)` leaves the unit unchanged, so each hidden unit
`k` keeps `\|A_{:,k}\|^2 - \|C_{k,:}\|^2` under gradient flow; the swish
branch `B` has no rescaling (swish is not homogeneous). GELU and SiLU units
have no such symmetry and keep no law ([TRAN2026]_). These are lower bounds
on the number of laws that the symmetries give; that there are no others is
the paper's statement, not a proof of this package.

The class uses only the public base class, as a model written in a Sage
script would (see :doc:`/howto_architecture`).

EXAMPLES::

    sage: from sage_conslaws.models.feedforward import FeedForward
    sage: M = FeedForward(2, 2, 1, "swiglu"); M
    FeedForward(2, 2, 1, 'swiglu') with 10 parameters
    sage: M.known_laws()
    [('unit 0: |A[:,k]|^2 - |C[k,:]|^2', -C_0_0^2 - C_0_1^2 + A_0_0^2),
     ('unit 1: |A[:,k]|^2 - |C[k,:]|^2', -C_1_0^2 - C_1_1^2 + A_0_1^2)]
    sage: M.conservation_laws()
    Traceback (most recent call last):
    ...
    ValueError: FeedForward(2, 2, 1, 'swiglu') has no polynomial reparametrization: the swish activation is not piecewise polynomial, so the engine cannot count its conservation laws (its known laws and symmetry generators still hold)
"""
from sage.matrix.constructor import matrix
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws.limits import check_parameters
from sage_conslaws.models.base import Model
from sage_conslaws.models.widths import check_sizes

#: The feed-forward units, with the activation of each.
UNITS = {"swiglu": "swish", "gelu": "GELU", "silu": "SiLU"}


class FeedForward(Model):
    r"""
    A feed-forward unit of a transformer, ``"swiglu"``, ``"gelu"`` or ``"silu"``, with `n` inputs, `h` hidden units, `m` outputs.

    The parameters are ``B_k_i``, then (SwiGLU) ``C_k_i``, then ``A_o_k``.

    INPUT:

    - ``inputs``, ``hidden``, ``outputs`` -- positive integers: `n`, `h`, `m`
    - ``unit`` -- one of :data:`UNITS`

    EXAMPLES::

        sage: from sage_conslaws.models.feedforward import FeedForward
        sage: FeedForward(3, 2, 2, "gelu").known_laws(), FeedForward(3, 2, 2, "gelu").symmetry_generators()
        ([], [])
        sage: FeedForward(1, 1, 1, "swiglu").symmetry_generators()
        [rescale the gate of unit 0: C_0_0*d/dC_0_0 - A_0_0*d/dA_0_0]

    TESTS::

        sage: TestSuite(FeedForward(2, 1, 1, "silu")).run()
        sage: FeedForward(2, 1, 1, "tanh")
        Traceback (most recent call last):
        ...
        ValueError: unknown feed-forward unit 'tanh'; known units: swiglu, gelu, silu
    """

    def __init__(self, inputs, hidden, outputs, unit):
        self._sizes = check_sizes("the sizes of a feed-forward unit (inputs, hidden, outputs)",
                                  inputs, hidden, outputs)
        if unit not in UNITS:
            raise ValueError(f"unknown feed-forward unit {unit!r}; known units: "
                             f"{', '.join(UNITS)}")
        self._unit = unit
        n, h, m = self._sizes
        gated = unit == "swiglu"
        check_parameters(self._description(), h * ((1 + gated) * n + m))
        names = ([f"{f}_{k}_{i}" for f in ("BC" if gated else "B") for k in range(h)
                  for i in range(n)] + [f"A_{o}_{k}" for o in range(m) for k in range(h)])
        Model.__init__(self, PolynomialRing(QQ, names, len(names)))

    def _description(self):
        return "FeedForward({}, {}, {}, {!r})".format(*self._sizes, self._unit)

    def _latex_(self):
        if self._unit == "swiglu":
            return r"x \mapsto A\,(\mathrm{swish}(Bx) \odot (Cx))"
        return r"x \mapsto A\,\mathrm{%s}(Bx)" % UNITS[self._unit]

    def factors(self):
        r"""
        Return `A`, `B` and `C` (``None`` without a gate).

        EXAMPLES::

            sage: from sage_conslaws.models.feedforward import FeedForward
            sage: A, B, C = FeedForward(2, 1, 1, "gelu").factors(); A, B, C
            ([A_0_0], [B_0_0 B_0_1], None)
        """
        n, h, m = self._sizes
        theta = self.parameters()
        B = matrix(self.ring(), h, n, theta[:h * n])
        gated = self._unit == "swiglu"
        C = matrix(self.ring(), h, n, theta[h * n:2 * h * n]) if gated else None
        A = matrix(self.ring(), m, h, theta[(1 + gated) * h * n:])
        return A, B, C

    def reparametrization(self):
        r"""
        Raise a ``ValueError``: the activation is not piecewise polynomial, so there is no `\phi`.

        EXAMPLES::

            sage: from sage_conslaws.models.feedforward import FeedForward
            sage: FeedForward(2, 1, 1, "gelu").reparametrization()
            Traceback (most recent call last):
            ...
            ValueError: FeedForward(2, 1, 1, 'gelu') has no polynomial reparametrization: the GELU activation is not piecewise polynomial, so the engine cannot count its conservation laws (its known laws and symmetry generators still hold)
        """
        raise ValueError(f"{self._description()} has no polynomial reparametrization: the "
                         f"{UNITS[self._unit]} activation is not piecewise polynomial, so the "
                         "engine cannot count its conservation laws (its known laws and "
                         "symmetry generators still hold)")

    def symmetry_generators(self):
        r"""
        Return the rescalings of the gates of a SwiGLU unit (none for GELU and SiLU).

        EXAMPLES::

            sage: from sage_conslaws.models.feedforward import FeedForward
            sage: len(FeedForward(3, 4, 2, "swiglu").symmetry_generators())
            4
        """
        from sage_conslaws.symmetries.generators import SymmetryGenerator
        if self._unit != "swiglu":
            return []
        A, _, C = self.factors()
        index_of = self.parameter_index()
        D = self.dimension()
        generators = []
        for k in range(C.nrows()):
            entries = {(index_of[c], index_of[c]): 1 for c in C.row(k)}
            entries.update({(index_of[a], index_of[a]): -1 for a in A.column(k)})
            generators.append(SymmetryGenerator.from_matrix(
                self.ring(), matrix(QQ, D, D, entries, sparse=True),
                f"rescale the gate of unit {k}"))
        return generators

    def known_laws(self):
        r"""
        Return the Noether laws of the rescalings: `\|A_{:,k}\|^2 - \|C_{k,:}\|^2` per SwiGLU unit.

        EXAMPLES::

            sage: from sage_conslaws.models.feedforward import FeedForward
            sage: len(FeedForward(3, 4, 2, "swiglu").known_laws()), FeedForward(3, 4, 2, "silu").known_laws()
            (4, [])
        """
        if self._unit != "swiglu":
            return []
        A, _, C = self.factors()
        return [(f"unit {k}: |A[:,k]|^2 - |C[k,:]|^2",
                 sum(a**2 for a in A.column(k)) - sum(c**2 for c in C.row(k)))
                for k in range(C.nrows())]
