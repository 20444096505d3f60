r"""
Bilinear gated units

The feed-forward unit `x \mapsto A\,((Bx) \odot (Cx))` of gated transformers
without a nonlinearity (the bilinear GLU), `B, C \in \RR^{h \times n}`, `A \in
\RR^{m \times h}`. As a function of the input it is the quadratic form
`\sum_{i \le j} \phi_{o,ij}\, x_i x_j` with

.. MATH::

    \phi_{o,ii} = \sum_k A_{ok} B_{ki} C_{ki}, \qquad
    \phi_{o,ij} = \sum_k A_{ok} (B_{ki} C_{kj} + B_{kj} C_{ki}) \quad (i < j),

so the model is a function of `\phi` and the input only. Each hidden unit
`k` is invariant under `(A_{:,k}, B_{k,:}, C_{k,:}) \mapsto (A_{:,k} /
(\lambda\mu), \lambda B_{k,:}, \mu C_{k,:})`; the Noether laws of these
rescalings are the `2h` laws `\|A_{:,k}\|^2 - \|B_{k,:}\|^2` and
`\|A_{:,k}\|^2 - \|C_{k,:}\|^2`.

The class uses only the public base class, as a model written in a Sage
script would (see :doc:`/howto_architecture`).

EXAMPLES::

    sage: from sage_conslaws.models.glu import BilinearGLU
    sage: M = BilinearGLU(3, 2, 2); M
    BilinearGLU(3, 2, 2) with 16 parameters
    sage: r = M.conservation_laws(); r.number_of_laws(), r.is_certified()
    (4, True)
"""
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws.limits import check_known_laws, check_parameters, check_reparametrization
from sage_conslaws.models.base import Model
from sage_conslaws.models.widths import check_sizes


class BilinearGLU(Model):
    r"""
    The bilinear gated unit `x \mapsto A((Bx) \odot (Cx))` with `n` inputs, `h` hidden units and `m` outputs.

    The parameters are ``B_k_i``, then ``C_k_i``, then ``A_o_k``.

    INPUT:

    - ``inputs``, ``hidden``, ``outputs`` -- positive integers: `n`, `h`, `m`

    EXAMPLES::

        sage: from sage_conslaws.models.glu import BilinearGLU
        sage: BilinearGLU(2, 1, 1).reparametrization()
        [B_0_0*C_0_0*A_0_0, B_0_1*C_0_0*A_0_0 + B_0_0*C_0_1*A_0_0, B_0_1*C_0_1*A_0_0]
        sage: BilinearGLU(1, 1, 1).known_laws()
        [('unit 0: |A[:,k]|^2 - |B[k,:]|^2', -B_0_0^2 + A_0_0^2),
         ('unit 0: |A[:,k]|^2 - |C[k,:]|^2', -C_0_0^2 + A_0_0^2)]

    TESTS::

        sage: TestSuite(BilinearGLU(2, 2, 1)).run()
        sage: BilinearGLU(2, 0, 1)
        Traceback (most recent call last):
        ...
        ValueError: the sizes of a bilinear GLU (inputs, hidden, outputs) must be positive integers, got 2, 0, 1
        sage: BilinearGLU(10**4, 10, 1)
        Traceback (most recent call last):
        ...
        BeyondReach: BilinearGLU(10000, 10, 1) has 200010 parameters, beyond reach: every parameter is a variable of a Singular polynomial ring (at most 32767 parameters)
    """

    def __init__(self, inputs, hidden, outputs):
        self._sizes = check_sizes("the sizes of a bilinear GLU (inputs, hidden, outputs)",
                                  inputs, hidden, outputs)
        n, h, m = self._sizes
        check_parameters(self._description(), h * (2 * n + m))
        names = ([f"{f}_{k}_{i}" for f in "BC" for k in range(h) for i in range(n)]
                 + [f"A_{o}_{k}" for o in range(m) for k in range(h)])
        Model.__init__(self, PolynomialRing(QQ, names, len(names)))

    def _description(self):
        return "BilinearGLU({}, {}, {})".format(*self._sizes)

    def _latex_(self):
        return r"x \mapsto A\,((Bx) \odot (Cx))"

    def sizes(self):
        r"""
        Return `(n, h, m)`: inputs, hidden units, outputs.

        EXAMPLES::

            sage: from sage_conslaws.models.glu import BilinearGLU
            sage: BilinearGLU(3, 2, 1).sizes()
            (3, 2, 1)
        """
        return self._sizes

    def factors(self):
        r"""
        Return `A`, `B` and `C` as lists of rows of parameters.

        EXAMPLES::

            sage: from sage_conslaws.models.glu import BilinearGLU
            sage: A, B, C = BilinearGLU(2, 1, 1).factors(); A, B, C
            ([[A_0_0]], [[B_0_0, B_0_1]], [[C_0_0, C_0_1]])
        """
        n, h, m = self._sizes
        theta = self.parameters()
        B = [list(theta[k * n:(k + 1) * n]) for k in range(h)]
        C = [list(theta[(h + k) * n:(h + k + 1) * n]) for k in range(h)]
        A = [list(theta[2 * h * n + o * h:2 * h * n + (o + 1) * h]) for o in range(m)]
        return A, B, C

    def reparametrization(self):
        r"""
        Return the coefficients `\phi_{o,ij}`, `i \le j`, of the output as a quadratic form of the input.

        EXAMPLES::

            sage: from sage_conslaws.models.glu import BilinearGLU
            sage: len(BilinearGLU(3, 2, 2).reparametrization())   # 2 x (3 x 4 / 2)
            12
        """
        n, h, m = self._sizes
        pairs = n * (n + 1) // 2
        check_reparametrization(self._description(), 2 * m * pairs * h, 3, m * pairs,
                                self.dimension())
        A, B, C = self.factors()
        return [sum(A[o][k] * (B[k][i] * C[k][j] + (B[k][j] * C[k][i] if i < j else 0))
                    for k in range(h))
                for o in range(m) for i in range(n) for j in range(i, n)]

    def known_laws(self):
        r"""
        Return, for each hidden unit `k`, `\|A_{:,k}\|^2 - \|B_{k,:}\|^2` and `\|A_{:,k}\|^2 - \|C_{k,:}\|^2`.

        EXAMPLES::

            sage: from sage_conslaws.models.glu import BilinearGLU
            sage: len(BilinearGLU(3, 4, 2).known_laws())
            8
        """
        n, h, m = self._sizes
        check_known_laws(self._description(), 2 * h * (n + m), self.dimension())
        A, B, C = self.factors()
        laws = []
        for k in range(h):
            a = sum(A[o][k]**2 for o in range(m))
            laws.append((f"unit {k}: |A[:,k]|^2 - |B[k,:]|^2", a - sum(b**2 for b in B[k])))
            laws.append((f"unit {k}: |A[:,k]|^2 - |C[k,:]|^2", a - sum(c**2 for c in C[k])))
        return laws

