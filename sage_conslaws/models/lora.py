r"""
Low-rank adapters (LoRA)

Fine-tuning with a low-rank adapter trains `W = W_0 + BA` with `W_0 \in
\RR^{m \times n}` frozen, `B \in \RR^{m \times r}` and `A \in \RR^{r \times
n}`. The loss depends on the trained parameters through `\phi = BA` only
(`W_0` is a constant), so the laws are those of the two-layer linear
network `BA`: the entries of the `r \times r` symmetric matrix `B^T B - A
A^T` (invariance under `(B, A) \mapsto (B G^{-1}, G A)`, `G \in
GL(r)`), and when `r \le m + n` there are exactly `r(r+1)/2` of them
([MGP2023]_).

The class uses only the public base class, as a model written in a Sage
script would (see :doc:`/howto_architecture`).

EXAMPLES::

    sage: from sage_conslaws.models.lora import LoRA
    sage: M = LoRA(4, 2, 3); M
    LoRA(4, 2, 3) with 14 parameters
    sage: r = M.conservation_laws(); r.number_of_laws(), r.is_certified()
    (3, True)
    sage: [name for name, _ in M.law_matrices()]
    ['B^T B - A A^T']
"""
from sage.matrix.constructor import matrix
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws.limits import check_known_laws, check_parameters, check_reparametrization
from sage_conslaws.models.base import Model, symmetric_entries
from sage_conslaws.models.widths import check_sizes


class LoRA(Model):
    r"""
    The adapter `W_0 + BA` of rank `r` of an `m \times n` layer; the trained parameters are `A` and `B`.

    The parameters are ``A_k_j`` (row `k < r`, column `j < n` of `A`), then
    ``B_i_k``.

    INPUT:

    - ``inputs`` -- the number `n` of inputs of the layer
    - ``rank`` -- the rank `r` of the adapter
    - ``outputs`` -- the number `m` of outputs

    EXAMPLES::

        sage: from sage_conslaws.models.lora import LoRA
        sage: B, A = LoRA(2, 1, 2).factors(); B, A
        (
        [B_0_0]
        [B_1_0], [A_0_0 A_0_1]
        )
        sage: LoRA(2, 1, 2).reparametrization()
        [A_0_0*B_0_0, A_0_1*B_0_0, A_0_0*B_1_0, A_0_1*B_1_0]
        sage: LoRA(1, 1, 1).known_laws()
        [('B^T B - A A^T [0,0]', -A_0_0^2 + B_0_0^2)]

    TESTS::

        sage: TestSuite(LoRA(2, 2, 3)).run()
        sage: LoRA(3, 0, 2)
        Traceback (most recent call last):
        ...
        ValueError: the sizes of a LoRA adapter (inputs, rank, outputs) must be positive integers, got 3, 0, 2
        sage: LoRA(3, 1.5, 2)
        Traceback (most recent call last):
        ...
        TypeError: the sizes of a LoRA adapter (inputs, rank, outputs) must be integers, got 3, 1.50000000000000, 2
        sage: LoRA(10**5, 8, 10**5)
        Traceback (most recent call last):
        ...
        BeyondReach: LoRA(100000, 8, 100000) has 1600000 parameters, beyond reach: every parameter is a variable of a Singular polynomial ring (at most 32767 parameters)
    """

    def __init__(self, inputs, rank, outputs):
        self._sizes = check_sizes("the sizes of a LoRA adapter (inputs, rank, outputs)",
                                  inputs, rank, outputs)
        n, r, m = self._sizes
        check_parameters(self._description(), r * (n + m))
        names = ([f"A_{k}_{j}" for k in range(r) for j in range(n)]
                 + [f"B_{i}_{k}" for i in range(m) for k in range(r)])
        Model.__init__(self, PolynomialRing(QQ, names, len(names)))

    def _description(self):
        return "LoRA({}, {}, {})".format(*self._sizes)

    def _latex_(self):
        n, r, m = self._sizes
        return (rf"W_0 + BA,\ B \in \mathbf{{R}}^{{{m} \times {r}}},\ "
                rf"A \in \mathbf{{R}}^{{{r} \times {n}}}")

    def sizes(self):
        r"""
        Return `(n, r, m)`: inputs, rank, outputs.

        EXAMPLES::

            sage: from sage_conslaws.models.lora import LoRA
            sage: LoRA(5, 2, 3).sizes()
            (5, 2, 3)
        """
        return self._sizes

    def factors(self):
        r"""
        Return the matrices `B` and `A`.

        EXAMPLES::

            sage: from sage_conslaws.models.lora import LoRA
            sage: B, A = LoRA(3, 1, 1).factors(); A
            [A_0_0 A_0_1 A_0_2]
        """
        n, r, m = self._sizes
        theta = self.parameters()
        A = matrix(self.ring(), r, n, theta[:r * n])
        B = matrix(self.ring(), m, r, theta[r * n:])
        return B, A

    def linear_factors(self):
        r"""
        Return `[A, B]`: `\phi = BA` is a product of two matrices, `A` applied first.

        See :meth:`~sage_conslaws.models.base.Model.linear_factors`.

        EXAMPLES::

            sage: from sage_conslaws.models.lora import LoRA
            sage: LoRA(1, 1, 1).linear_factors()
            [[A_0_0], [B_0_0]]
        """
        B, A = self.factors()
        return [A, B]

    def reparametrization(self):
        r"""
        Return the entries of `BA`, row by row.

        EXAMPLES::

            sage: from sage_conslaws.models.lora import LoRA
            sage: LoRA(1, 2, 1).reparametrization()
            [A_0_0*B_0_0 + A_1_0*B_0_1]
        """
        n, r, m = self._sizes
        check_reparametrization(self._description(), m * n * r, 2, m * n, self.dimension())
        B, A = self.factors()
        return (B * A).list()

    def logits(self):
        r"""
        Return ``([], rows)``: the rows of `BA`, one per output.

        See :meth:`~sage_conslaws.models.base.Model.logits`.

        EXAMPLES::

            sage: from sage_conslaws.models.lora import LoRA
            sage: LoRA(1, 1, 2).logits()
            ([], [[A_0_0*B_0_0], [A_0_0*B_1_0]])
        """
        B, A = self.factors()
        return [], [list(row) for row in (B * A).rows()]

    def output_layer(self):
        r"""
        Return `B`, the last factor.

        EXAMPLES::

            sage: from sage_conslaws.models.lora import LoRA
            sage: LoRA(1, 1, 2).output_layer()
            [B_0_0]
            [B_1_0]
        """
        return self.factors()[0]

    def law_matrices(self):
        r"""
        Return `B^T B - A A^T`, whose entries are the known laws.

        EXAMPLES::

            sage: from sage_conslaws.models.lora import LoRA
            sage: [(name, S)] = LoRA(1, 2, 1).law_matrices(); S.is_symmetric()
            True
        """
        n, r, m = self._sizes
        # the products B^T B and A A^T: r^2 entries of m + n terms
        check_known_laws(self._description(), r * r * (n + m), self.dimension())
        B, A = self.factors()
        return [("B^T B - A A^T", B.transpose() * B - A * A.transpose())]

    def known_laws(self):
        r"""
        Return the entries on and above the diagonal of `B^T B - A A^T`.

        EXAMPLES::

            sage: from sage_conslaws.models.lora import LoRA
            sage: [name for name, _ in LoRA(2, 2, 2).known_laws()]
            ['B^T B - A A^T [0,0]', 'B^T B - A A^T [0,1]', 'B^T B - A A^T [1,1]']
        """
        [(name, S)] = self.law_matrices()
        return symmetric_entries(name, S)

