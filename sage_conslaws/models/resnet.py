r"""
Residual networks

A residual block `x \mapsto x + g(\theta, x)` adds the identity to a block
`g`: the identity path is a constant of `\phi`, so the block keeps exactly
the laws of `g` ([MGP2025]_, Prop. 3.2); :class:`Residual` wraps any block.

:class:`ResNet` stacks `B` ReLU blocks `x \mapsto x + U_b\,\sigma(V_b x +
\beta_b)` of width `w` and hidden width `h`. Where the activations are
fixed, the network is the affine map `\prod_b (I + U_b D_b V_b)` (and its
biases), `D_b` the diagonal of the activations of block `b`. Expanding the
product, each coefficient of the output is a sum over the blocks `S = (b_1
< \dots < b_s)` the path goes through, and over the hidden neurons `k_t` of
these blocks, of

.. MATH::

    U_{b_s}[o, k_s]\, (V_{b_s} U_{b_{s-1}})[k_s, k_{s-1}] \cdots
    (V_{b_2} U_{b_1})[k_2, k_1]\, V_{b_1}[k_1, i]

times the activations of the `k_t` (with `\beta_{b_1}[k_1]` instead of
`V_{b_1}[k_1, i]` for a path from a bias). These products are `\phi`: the
paths over all blocks, skips included. Between two blocks a path runs along
the residual stream, which has no activation, so its coordinates there are
summed (the products `V_{b'} U_b`), not kept apart; a finer `\phi` that kept
them apart would be valid too, but could miss laws.

The classes use only the public base class, as models written in a Sage
script would (see :doc:`/howto_architecture`).

EXAMPLES::

    sage: from sage_conslaws.models.resnet import ResNet
    sage: M = ResNet(2, 2, 2); M
    ResNet(2, 2, blocks=2) with 16 parameters
    sage: r = M.conservation_laws(); r.number_of_laws(), r.is_certified()
    (4, True)
"""
from itertools import combinations, product

from sage.matrix.constructor import matrix
from sage.misc.misc_c import prod
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws.limits import check_known_laws, check_parameters, check_reparametrization
from sage_conslaws.models.base import Model
from sage_conslaws.models.widths import check_sizes


class Residual(Model):
    r"""
    The residual block `x \mapsto x + g(\theta, x)` of a block `g`: same parameters, same `\phi`, same laws.

    INPUT:

    - ``block`` -- a :class:`~sage_conslaws.models.base.Model` `g`; when it
      has widths, its input and output widths must agree

    EXAMPLES::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.models.resnet import Residual
        sage: R = Residual(ReLUNetwork([2, 3, 2], bias=True)); R
        Residual(ReLUNetwork([2, 3, 2], bias=True)) with 15 parameters
        sage: R.conservation_laws().number_of_laws()
        3

    TESTS::

        sage: TestSuite(R).run()
        sage: Residual(ReLUNetwork([2, 3, 1]))
        Traceback (most recent call last):
        ...
        ValueError: a residual block x + g(x) needs as many outputs as inputs, got widths [2, 3, 1]
        sage: Residual("relu")
        Traceback (most recent call last):
        ...
        TypeError: a residual block wraps a model, got 'relu'
    """

    def __init__(self, block):
        if not isinstance(block, Model):
            raise TypeError(f"a residual block wraps a model, got {block!r}")
        widths = block.widths() if hasattr(block, "widths") else None
        if widths is not None and widths[0] != widths[-1]:
            raise ValueError("a residual block x + g(x) needs as many outputs as inputs, "
                             f"got widths {widths}")
        self._block = block
        Model.__init__(self, block.ring())

    def _description(self):
        return f"Residual({self._block._description()})"

    def _latex_(self):
        return r"x \mapsto x + g(\theta, x)"

    def block(self):
        r"""
        Return the block `g`.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.models.resnet import Residual
            sage: Residual(LinearNetwork([2, 1, 2])).block()
            LinearNetwork([2, 1, 2]) with 4 parameters
        """
        return self._block

    def reparametrization(self):
        r"""
        Return the `\phi` of the block: the identity path is a constant, which no gradient sees.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.models.resnet import Residual
            sage: Residual(LinearNetwork([1, 1, 1])).reparametrization()
            [w1_0_0*w2_0_0]
        """
        return self._block.reparametrization()

    def known_laws(self):
        r"""
        Return the known laws of the block.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork
            sage: from sage_conslaws.models.resnet import Residual
            sage: Residual(LinearNetwork([1, 1, 1])).known_laws()
            [('W1 W1^T - W2^T W2 [0,0]', w1_0_0^2 - w2_0_0^2)]
        """
        return self._block.known_laws()


class ResNet(Model):
    r"""
    `B` residual ReLU blocks `x \mapsto x + U_b\,\sigma(V_b x + \beta_b)`, `V_b \in \RR^{h \times w}`, `U_b \in \RR^{w \times h}`.

    The parameters of block `b` are ``Vb_k_i``, then the biases ``betab_k``
    (with ``bias=True``), then ``Ub_o_k``; blocks one after the other.

    INPUT:

    - ``width`` -- the width `w` of the residual stream
    - ``hidden`` -- the hidden width `h` of each block
    - ``blocks`` -- the number `B` of blocks
    - ``bias`` -- (default: ``False``) biases `\beta_b` on the hidden neurons

    EXAMPLES::

        sage: from sage_conslaws.models.resnet import ResNet
        sage: ResNet(1, 1, 2).reparametrization()
        [V0_0_0*U0_0_0, V1_0_0*U1_0_0, V0_0_0*U0_0_0*V1_0_0*U1_0_0]
        sage: ResNet(1, 1, 1, bias=True).known_laws()
        [('block 0, neuron 0: |U[:,k]|^2 - |V[k,:]|^2 - beta_k^2', -V0_0_0^2 - beta0_0^2 + U0_0_0^2)]

    TESTS::

        sage: TestSuite(ResNet(2, 1, 2, bias=True)).run()
        sage: ResNet(2, 2, 0)
        Traceback (most recent call last):
        ...
        ValueError: the sizes of a ResNet (width, hidden, blocks) must be positive integers, got 2, 2, 0
        sage: ResNet(10, 10, 12).reparametrization()
        Traceback (most recent call last):
        ...
        BeyondReach: ResNet(10, 10, blocks=12): phi has up to ... terms ... beyond reach: ...
    """

    def __init__(self, width, hidden, blocks, bias=False):
        self._sizes = check_sizes("the sizes of a ResNet (width, hidden, blocks)",
                                  width, hidden, blocks)
        if not isinstance(bias, bool):
            raise TypeError(f"bias must be True or False, got {bias!r}")
        self._bias = bias
        w, h, B = self._sizes
        check_parameters(self._description(), B * h * (2 * w + bias))
        names = []
        for b in range(B):
            names += [f"V{b}_{k}_{i}" for k in range(h) for i in range(w)]
            names += [f"beta{b}_{k}" for k in range(h)] if bias else []
            names += [f"U{b}_{o}_{k}" for o in range(w) for k in range(h)]
        Model.__init__(self, PolynomialRing(QQ, names, len(names)))

    def _description(self):
        w, h, B = self._sizes
        return f"ResNet({w}, {h}, blocks={B}{', bias=True' if self._bias else ''})"

    def _latex_(self):
        return r"x \mapsto x + U_b\,\sigma(V_b x + \beta_b),\ b = 1, \dots, B"

    def sizes(self):
        r"""
        Return `(w, h, B)`: width, hidden width, blocks.

        EXAMPLES::

            sage: from sage_conslaws.models.resnet import ResNet
            sage: ResNet(3, 4, 2).sizes()
            (3, 4, 2)
        """
        return self._sizes

    def has_bias(self):
        r"""
        Return whether the hidden neurons have biases.

        EXAMPLES::

            sage: from sage_conslaws.models.resnet import ResNet
            sage: ResNet(3, 4, 2, bias=True).has_bias()
            True
        """
        return self._bias

    def block_matrices(self, b):
        r"""
        Return `V_b`, the biases `\beta_b` (a list, empty without biases) and `U_b`.

        EXAMPLES::

            sage: from sage_conslaws.models.resnet import ResNet
            sage: V, beta, U = ResNet(1, 2, 2, bias=True).block_matrices(1); V, beta, U
            (
            [V1_0_0]
            [V1_1_0], [beta1_0, beta1_1], [U1_0_0 U1_0_1]
            )
        """
        w, h, B = self._sizes
        if b not in range(B):
            raise ValueError(f"{self._description()} has blocks 0..{B - 1}, got {b!r}")
        size = h * (2 * w + self._bias)
        theta = self.parameters()[b * size:(b + 1) * size]
        V = matrix(self.ring(), h, w, theta[:h * w])
        beta = list(theta[h * w:h * w + h]) if self._bias else []
        U = matrix(self.ring(), w, h, theta[h * (w + self._bias):])
        return V, beta, U

    def reparametrization(self):
        r"""
        Return the products along the paths, block subset by block subset (see the module).

        EXAMPLES::

            sage: from sage_conslaws.models.resnet import ResNet
            sage: len(ResNet(2, 3, 2).reparametrization())   # 2 x 2 x (3 + 3 + 9)
            60
        """
        w, h, B = self._sizes
        starts = w + self._bias
        components = starts * w * ((1 + h)**B - 1)
        check_reparametrization(self._description(), components * w**(B - 1), 2 * B, components,
                                self.dimension())
        blocks = [self.block_matrices(b) for b in range(B)]
        phi = []
        for s in range(1, B + 1):
            for S in combinations(range(B), s):
                phi += self._paths_through(S, blocks)
        return phi

    def _paths_through(self, S, blocks):
        # the products of the paths through the blocks S (in order) and through no other
        w, h, _ = self._sizes
        V, beta, _ = blocks[S[0]]
        first = [V.column(i) for i in range(w)] + ([beta] if self._bias else [])
        links = [blocks[b][0] * blocks[a][2] for a, b in zip(S, S[1:])]
        U = blocks[S[-1]][2]
        paths = []
        for start in first:
            for ks in product(range(h), repeat=len(S)):
                inner = start[ks[0]] * prod(C[k, l] for C, l, k in zip(links, ks, ks[1:]))
                paths += [U[o, ks[-1]] * inner for o in range(w)]
        return paths

    def logits(self):
        r"""
        Return ``([], rows)``: the paths ending at each output, aligned.

        See :meth:`~sage_conslaws.models.base.Model.logits`; the identity
        path, a constant, is left out.

        EXAMPLES::

            sage: from sage_conslaws.models.resnet import ResNet
            sage: ResNet(2, 1, 1).logits()
            ([], [[V0_0_0*U0_0_0, V0_0_1*U0_0_0], [V0_0_0*U0_1_0, V0_0_1*U0_1_0]])
        """
        phi, w = self.reparametrization(), self._sizes[0]
        return [], [phi[o::w] for o in range(w)]

    def output_layer(self):
        r"""
        Return `U_{B-1}`, the last linear layer: the skip adds the identity, which no parameter moves.

        EXAMPLES::

            sage: from sage_conslaws.models.resnet import ResNet
            sage: ResNet(2, 1, 2).output_layer()
            [U1_0_0]
            [U1_1_0]
        """
        return self.block_matrices(self._sizes[2] - 1)[2]

    def known_laws(self):
        r"""
        Return, for each hidden neuron of each block, `\|U_b[:,k]\|^2 - \|V_b[k,:]\|^2 - \beta_b[k]^2`.

        These come from the rescalings of one neuron; they are all the laws
        of a block on its own.

        EXAMPLES::

            sage: from sage_conslaws.models.resnet import ResNet
            sage: len(ResNet(3, 4, 2).known_laws())
            8
        """
        w, h, B = self._sizes
        check_known_laws(self._description(), B * h * (2 * w + 1), self.dimension())
        laws = []
        for b in range(B):
            V, beta, U = self.block_matrices(b)
            for k in range(h):
                law = (sum(u**2 for u in U.column(k)) - sum(v**2 for v in V.row(k))
                       - (beta[k]**2 if self._bias else 0))
                laws.append((f"block {b}, neuron {k}: |U[:,k]|^2 - |V[k,:]|^2"
                             + (" - beta_k^2" if self._bias else ""), law))
        return laws
