r"""
Attention layers, with several heads and rotary position embeddings

A multi-head attention layer maps `n` tokens `X \in \RR^{n \times d}` to

.. MATH::

    \sum_h \mathrm{softmax}(X Q_h^T K_h X^T)\, X V_h^T O_h^T,

with, per head, queries and keys `Q_h, K_h \in \RR^{d_k \times d}`, values
`V_h \in \RR^{d_v \times d}` and an output map `O_h \in \RR^{d_{out} \times
d_v}`. It depends on the parameters through `\phi = (Q_h^T K_h, O_h V_h)_h`
only ([MGP2025]_), so each head is two two-layer linear networks: the
entries of `Q_h Q_h^T - K_h K_h^T` and of `V_h V_h^T - O_h^T O_h` are laws,
and they are all the laws ([TRAN2026]_).

With rotary position embeddings (RoPE), the scores become `x_s^T Q_h^T
R_{t-s} K_h x_t`, `R_\tau` block-diagonal with the rotations of angle
`\tau\omega_b` of the `2 \times 2` blocks `b` of the `d_k` coordinates. For
distinct generic frequencies `\omega_b`, the scores are functions of the
`Q_{h,b}^T K_{h,b}` and `Q_{h,b}^T J K_{h,b}`, `Q_{h,b}` the rows `2b, 2b+1`
of `Q_h` and `J` the rotation by a quarter turn; only `\|Q_{h,b}\|_F^2 -
\|K_{h,b}\|_F^2` survives on the query/key side ([TRAN2026]_).

The class uses only the public base class, as a model written in a Sage
script would (see :doc:`/howto_architecture`).

EXAMPLES::

    sage: from sage_conslaws.models.attention import Attention
    sage: M = Attention(3, 2, 2, 2); M
    Attention(3, 2, 2, 2) with 22 parameters
    sage: r = M.conservation_laws(); r.number_of_laws(), r.is_certified()
    (6, True)
    sage: Attention(3, 2, 2, 2, heads=2).conservation_laws().number_of_laws()
    12
    sage: Attention(3, 2, 2, 2, rope=True).conservation_laws().number_of_laws()
    4
"""
from sage.matrix.constructor import matrix
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws.limits import check_known_laws, check_parameters, check_reparametrization
from sage_conslaws.models.base import Model, symmetric_entries
from sage_conslaws.models.widths import check_sizes


class Attention(Model):
    r"""
    Multi-head attention `\sum_h \mathrm{softmax}(X Q_h^T K_h X^T) X V_h^T O_h^T`, optionally with RoPE.

    The parameters of head `h` are ``Qh_i_j`` and ``Kh_i_j`` (`i < d_k`,
    `j < d`), ``Vh_i_j`` (`i < d_v`) and ``Oh_o_i`` (`o < d_{out}`), heads
    one after the other.

    INPUT:

    - ``d`` -- the dimension of the tokens
    - ``dk`` -- the dimension of queries and keys (even with RoPE)
    - ``dv`` -- the dimension of values
    - ``dout`` -- the dimension of the output
    - ``heads`` -- (default: 1) the number of heads
    - ``rope`` -- (default: ``False``) rotary position embeddings on
      queries and keys

    EXAMPLES::

        sage: from sage_conslaws.models.attention import Attention
        sage: A = Attention(1, 2, 1, 1, rope=True)
        sage: A.reparametrization()
        [Q0_0_0*K0_0_0 + Q0_1_0*K0_1_0, Q0_1_0*K0_0_0 - Q0_0_0*K0_1_0, V0_0_0*O0_0_0]
        sage: A.known_laws()
        [('head 0, block 0: |Q_b|^2 - |K_b|^2', Q0_0_0^2 + Q0_1_0^2 - K0_0_0^2 - K0_1_0^2),
         ('head 0: V V^T - O^T O [0,0]', V0_0_0^2 - O0_0_0^2)]

    TESTS::

        sage: TestSuite(Attention(2, 2, 1, 1, heads=2)).run()
        sage: Attention(3, 3, 2, 2, rope=True)
        Traceback (most recent call last):
        ...
        ValueError: rotary position embeddings rotate pairs of coordinates: dk must be even, got 3
        sage: Attention(3, 0, 2, 2)
        Traceback (most recent call last):
        ...
        ValueError: the sizes of an attention layer (d, dk, dv, dout, heads) must be positive integers, got 3, 0, 2, 2, 1
        sage: Attention(3, 2, 2, 2, rope="yes")
        Traceback (most recent call last):
        ...
        TypeError: rope must be True or False, got 'yes'
        sage: Attention(100, 64, 64, 100, heads=8)
        Traceback (most recent call last):
        ...
        BeyondReach: Attention(100, 64, 64, 100, heads=8) has 204800 parameters, beyond reach: every parameter is a variable of a Singular polynomial ring (at most 32767 parameters)
    """

    def __init__(self, d, dk, dv, dout, heads=1, rope=False):
        self._sizes = check_sizes("the sizes of an attention layer (d, dk, dv, dout, heads)",
                                  d, dk, dv, dout, heads)
        if not isinstance(rope, bool):
            raise TypeError(f"rope must be True or False, got {rope!r}")
        if rope and dk % 2:
            raise ValueError("rotary position embeddings rotate pairs of coordinates: "
                             f"dk must be even, got {dk}")
        self._rope = rope
        d, dk, dv, dout, heads = self._sizes
        check_parameters(self._description(), heads * (2 * dk * d + dv * d + dout * dv))
        names = []
        for h in range(heads):
            for letter, rows, columns in (("Q", dk, d), ("K", dk, d), ("V", dv, d), ("O", dout, dv)):
                names += [f"{letter}{h}_{i}_{j}" for i in range(rows) for j in range(columns)]
        Model.__init__(self, PolynomialRing(QQ, names, len(names)))

    def _description(self):
        d, dk, dv, dout, heads = self._sizes
        options = (f", heads={heads}" if heads > 1 else "") + (", rope=True" if self._rope else "")
        return f"Attention({d}, {dk}, {dv}, {dout}{options})"

    def _latex_(self):
        scores = r"X Q_h^T R K_h X^T" if self._rope else r"X Q_h^T K_h X^T"
        return rf"\sum_h \mathrm{{softmax}}({scores})\, X V_h^T O_h^T"

    def sizes(self):
        r"""
        Return `(d, d_k, d_v, d_{out}, heads)`.

        EXAMPLES::

            sage: from sage_conslaws.models.attention import Attention
            sage: Attention(4, 2, 3, 1, heads=2).sizes()
            (4, 2, 3, 1, 2)
        """
        return self._sizes

    def has_rope(self):
        r"""
        Return whether queries and keys carry rotary position embeddings.

        EXAMPLES::

            sage: from sage_conslaws.models.attention import Attention
            sage: Attention(4, 2, 3, 1, rope=True).has_rope()
            True
        """
        return self._rope

    def head_matrices(self, head):
        r"""
        Return the matrices `Q_h, K_h, V_h, O_h` of head ``head``.

        EXAMPLES::

            sage: from sage_conslaws.models.attention import Attention
            sage: Q, K, V, O = Attention(2, 1, 1, 1, heads=2).head_matrices(1); Q, O
            ([Q1_0_0 Q1_0_1], [O1_0_0])
        """
        d, dk, dv, dout, heads = self._sizes
        if head not in range(heads):
            raise ValueError(f"{self._description()} has heads 0..{heads - 1}, got {head!r}")
        theta = self.parameters()
        start = head * (2 * dk * d + dv * d + dout * dv)
        blocks = []
        for rows, columns in ((dk, d), (dk, d), (dv, d), (dout, dv)):
            blocks.append(matrix(self.ring(), rows, columns, theta[start:start + rows * columns]))
            start += rows * columns
        return blocks

    def _query_key_products(self, Q, K):
        # the matrices whose entries the scores of one head depend on
        if not self._rope:
            return [Q.transpose() * K]
        J = matrix(QQ, [[0, -1], [1, 0]])
        products = []
        for b in range(Q.nrows() // 2):
            Qb, Kb = Q[2 * b:2 * b + 2], K[2 * b:2 * b + 2]
            products += [Qb.transpose() * Kb, Qb.transpose() * J * Kb]
        return products

    def reparametrization(self):
        r"""
        Return `\phi`: per head, the entries of `Q_h^T K_h` (with RoPE, of `Q_{h,b}^T K_{h,b}` and `Q_{h,b}^T J K_{h,b}` per block `b`), then of `O_h V_h`.

        EXAMPLES::

            sage: from sage_conslaws.models.attention import Attention
            sage: len(Attention(3, 2, 2, 4, heads=2).reparametrization())   # 2 x (3 x 3 + 4 x 3)
            42
        """
        d, dk, dv, dout, heads = self._sizes
        # with RoPE: twice d^2 entries per block of two terms each
        components = heads * ((2 * d * d * (dk // 2) if self._rope else d * d) + dout * d)
        check_reparametrization(self._description(), heads * (2 * d * d * dk + dout * d * dv), 2,
                                components, self.dimension())
        phi = []
        for h in range(heads):
            Q, K, V, O = self.head_matrices(h)
            for P in self._query_key_products(Q, K) + [O * V]:
                phi += P.list()
        return phi

    def logits(self):
        r"""
        Return the components of the scores, shared by the outputs, and per output the rows of the `O_h V_h`.

        See :meth:`~sage_conslaws.models.base.Model.logits`: output `o` of a
        token is `\sum_h (O_h V_h)[o, :]` applied to the attention-weighted
        tokens of head `h`, so its coefficients are the rows `o` of the `O_h
        V_h`, head after head.

        EXAMPLES::

            sage: from sage_conslaws.models.attention import Attention
            sage: shared, rows = Attention(1, 1, 1, 2).logits(); shared, rows
            ([Q0_0_0*K0_0_0], [[V0_0_0*O0_0_0], [V0_0_0*O0_1_0]])
        """
        shared, rows = [], [[] for _ in range(self._sizes[3])]
        for h in range(self._sizes[4]):
            Q, K, V, O = self.head_matrices(h)
            for P in self._query_key_products(Q, K):
                shared += P.list()
            for o, row in enumerate((O * V).rows()):
                rows[o] += list(row)
        return shared, rows

    def output_layer(self):
        r"""
        Return the output maps `O_h` side by side: `[O_0 \cdots O_{H-1}]`.

        EXAMPLES::

            sage: from sage_conslaws.models.attention import Attention
            sage: Attention(1, 1, 1, 2, heads=2).output_layer()
            [O0_0_0 O1_0_0]
            [O0_1_0 O1_1_0]
        """
        from sage.matrix.constructor import block_matrix
        return block_matrix([[self.head_matrices(h)[3] for h in range(self._sizes[4])]],
                            subdivide=False)

    def known_laws(self):
        r"""
        Return the laws of [TRAN2026]_, head by head.

        Without RoPE: the entries on and above the diagonal of `Q_h Q_h^T -
        K_h K_h^T`; with it, `\|Q_{h,b}\|_F^2 - \|K_{h,b}\|_F^2` per block;
        then the entries on and above the diagonal of `V_h V_h^T - O_h^T O_h`.

        EXAMPLES::

            sage: from sage_conslaws.models.attention import Attention
            sage: [name for name, _ in Attention(2, 2, 1, 1).known_laws()]
            ['head 0: Q Q^T - K K^T [0,0]', 'head 0: Q Q^T - K K^T [0,1]',
             'head 0: Q Q^T - K K^T [1,1]', 'head 0: V V^T - O^T O [0,0]']
        """
        d, dk, dv, dout, heads = self._sizes
        check_known_laws(self._description(), heads * (2 * dk * dk * d + dv * dv * (d + dout)),
                         self.dimension())
        laws = []
        for h in range(heads):
            Q, K, V, O = self.head_matrices(h)
            if self._rope:
                laws += [(f"head {h}, block {b}: |Q_b|^2 - |K_b|^2",
                          sum(q**2 for q in Q[2 * b:2 * b + 2].list())
                          - sum(k**2 for k in K[2 * b:2 * b + 2].list()))
                         for b in range(dk // 2)]
            else:
                laws += symmetric_entries(f"head {h}: Q Q^T - K K^T",
                                          Q * Q.transpose() - K * K.transpose())
            laws += symmetric_entries(f"head {h}: V V^T - O^T O",
                                      V * V.transpose() - O.transpose() * O)
        return laws

