r"""
The reparametrization `\phi` of a layered network: its size, counted from the widths, and its expansion

:class:`Expansion` holds them for
:class:`~sage_conslaws.models.layered.LayeredNetwork`, which derives from it:
the coefficients of the network written as a polynomial in the inputs `x`
and in one mask `m \in \{0, 1\}` per neuron of a piecewise layer, with
`m^k = m`; for ReLU and linear layers, the sums of the weight products along
the paths from an input (or a hidden bias) to an output ([MGP2023]_). Its
size is checked from the widths before anything is expanded
(:meth:`Expansion.check_within_reach`).
"""
from math import comb

from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from sage_conslaws.limits import check_reparametrization
from sage_conslaws.models.widths import number_of_paths


class Expansion:
    r"""
    The reparametrization `\phi` of a layered network, path by path or expanded.

    A mixin of :class:`~sage_conslaws.models.layered.LayeredNetwork`: it uses
    the network's widths, activations, bias and parameter blocks.

    EXAMPLES::

        sage: from sage_conslaws import ReLUNetwork
        sage: from sage_conslaws.models.expansion import Expansion
        sage: N = ReLUNetwork([1, 1, 1])
        sage: isinstance(N, Expansion), N.reparametrization()
        (True, [w1_0_0*w2_0_0])
    """

    def is_polynomial(self):
        r"""
        Return whether the network is piecewise polynomial, so that it has a reparametrization `\phi`.

        Networks with a Swish layer are not.

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: MLP([1, 2, 1], "repu2").is_polynomial(), MLP([1, 2, 1], "swish").is_polynomial()
            (True, False)
        """
        return not any(sigma.has_trainable_beta() for sigma in self._activations)

    def number_of_paths(self):
        r"""
        Return the number of paths from an input (or a hidden bias) to an output.

        This is the number of coordinates of `\phi` for ReLU networks and the
        number of its terms for linear networks.

        EXAMPLES::

            sage: from sage_conslaws import ReLUNetwork
            sage: ReLUNetwork([2, 3, 2], bias=True).number_of_paths()
            18
        """
        return number_of_paths(self._widths, self._bias)

    def check_within_reach(self):
        r"""
        Raise a clear error if `\phi` is too large for the exact engine.

        With ReLU and linear layers only, `\phi` has one term per path, of
        degree at most the number of layers; its coordinates are the paths
        with ReLU layers, the entries of `W_L \cdots W_1` (and of the bias
        paths) with linear layers only. Otherwise the bound counts the
        distinct terms of each pre-activation, layer by layer: a power `p` of
        a sum of `F` terms has at most `\binom{F + p - 1}{p}` terms; a
        piecewise layer keeps the neurons apart (distinct masks). Their degree
        in the parameters is `p` times that of the pre-activation, plus one for
        the next layer, and the expansion lives in a ring with the inputs and
        the masks as more variables. See
        :func:`~sage_conslaws.limits.check_reparametrization`. A network with
        Swish has no polynomial reparametrization at all.

        EXAMPLES::

            sage: from sage_conslaws import LinearNetwork, MLP, ReLUNetwork
            sage: ReLUNetwork([3, 4, 2]).check_within_reach()
            sage: ReLUNetwork([35, 35, 35]).check_within_reach()
            Traceback (most recent call last):
            ...
            BeyondReach: ReLUNetwork([35, 35, 35]): the values of its 42875 gradient fields at a point: a dense 42875 x 2450 matrix with 105043750 entries, beyond reach: a dense matrix over GF(p) takes 8 bytes an entry, and its rank minutes beyond the limit (at most 100000000 entries)
            sage: LinearNetwork([30, 30, 30]).check_within_reach()
            sage: LinearNetwork([50, 50, 50]).check_within_reach()
            Traceback (most recent call last):
            ...
            BeyondReach: LinearNetwork([50, 50, 50]): phi has up to 125000 terms of degree 2 in 5000 variables; with its gradient it takes about 7575 MB, beyond reach: Singular stores all exponents of every term (at most 2000 MB)
            sage: MLP([64, 16, 16, 10], ["relu", "repu2"]).check_within_reach()
            Traceback (most recent call last):
            ...
            BeyondReach: MLP([64, 16, 16, 10], activations=[relu, repu2]): phi has up to 83968000 terms of degree 5 in 1536 variables; with its gradient it takes about 3196157 MB, beyond reach: Singular stores all exponents of every term (at most 2000 MB)

        TESTS::

            sage: MLP([1, 2, 1], "swish").check_within_reach()
            Traceback (most recent call last):
            ...
            ValueError: MLP([1, 2, 1], activations=[swish]) has no polynomial reparametrization: the swish activation is not piecewise polynomial, so the engine cannot count its conservation laws (its known laws and symmetry generators still hold)
        """
        for sigma in self._activations:
            if sigma.has_trainable_beta():
                raise ValueError(f"{self._description()} has no polynomial reparametrization: the "
                                 f"{sigma.name()} activation is not piecewise polynomial, so "
                                 "the engine cannot count its conservation laws (its known "
                                 "laws and symmetry generators still hold)")
        n, D, bias = self._widths, self.dimension(), 1 if self._bias else 0
        kinds = self._path_kinds()
        if kinds is not None:
            paths = self.number_of_paths()
            # a path through a ReLU neuron is its own coordinate; linear layers merge them
            components = paths if any(kinds) else n[-1] * (n[0] + bias)
            check_reparametrization(self._description(), paths, len(n) - 1, components, D)
            return
        terms, degree = n[0] + bias, 1
        for h, sigma in enumerate(self._activations, 1):
            p = sigma.homogeneity()
            activated = comb(terms + p - 1, p) * (2 if sigma.name() == "leaky_relu" else 1)
            last = h == len(self._activations)
            terms = n[h] * activated + (0 if last else bias)
            degree = p * degree + 1
        terms *= n[-1]
        masks = sum(n[h] for h, sigma in enumerate(self._activations, 1) if sigma.is_piecewise())
        check_reparametrization(self._description(), terms, degree, terms, D, D + n[0] + masks)

    def reparametrization(self):
        r"""
        Return the coefficients of the network in the monomials of the inputs and masks.

        Each output is a polynomial in the inputs `x` and the masks `m` (one per
        neuron of a piecewise layer), with `m^k = m`; `\phi` lists the
        coefficients of its distinct monomials, output by output. With ReLU
        and linear layers only, these are the sums of the path products, in
        the order of the paths (the last hidden neuron first, then the one
        before, ..., then the input or the bias); otherwise, output by output,
        neuron by neuron (masks of late layers first), then inputs.

        EXAMPLES:

        ReLU: the path products (with biases, those starting at a bias)::

            sage: from sage_conslaws import LinearNetwork, MLP, ReLUNetwork
            sage: ReLUNetwork([1, 2, 1], bias=True).reparametrization()
            [w1_0_0*w2_0_0, b1_0*w2_0_0, w1_1_0*w2_0_1, b1_1*w2_0_1]

        Linear: the entries of `W_L \cdots W_1`::

            sage: LinearNetwork([1, 2, 1]).reparametrization()
            [w1_0_0*w2_0_0 + w1_1_0*w2_0_1]

        RePU(2): the coefficients of `x_0^2, x_0 x_1, x_1^2` on each neuron::

            sage: MLP([2, 2, 1], "repu2").reparametrization()
            [w1_0_0^2*w2_0_0, 2*w1_0_0*w1_0_1*w2_0_0, w1_0_1^2*w2_0_0,
             w1_1_0^2*w2_0_1, 2*w1_1_0*w1_1_1*w2_0_1, w1_1_1^2*w2_0_1]

        TESTS::

            sage: LinearNetwork([200, 100, 100]).reparametrization()
            Traceback (most recent call last):
            ...
            BeyondReach: LinearNetwork([200, 100, 100]): phi has up to 2000000 terms of degree 2 in 30000 variables; with its gradient it takes about 721200 MB, beyond reach: Singular stores all exponents of every term (at most 2000 MB)
        """
        self.check_within_reach()
        if self._path_kinds() is not None:
            return self._path_products()
        return self._expanded_coefficients()

    def _path_kinds(self):
        r"""
        Return, per hidden layer, whether its activation is `z` (``False``) or `m z` (``True``), or ``None``.

        ``None`` when some activation is neither: then `\phi` is not made of path products.

        TESTS::

            sage: from sage_conslaws import MLP
            sage: MLP([1, 2, 2, 1], ["linear", "relu"])._path_kinds()
            [False, True]
            sage: MLP([1, 2, 2, 1], ["linear", "leaky_relu"])._path_kinds() is None
            True
        """
        z, m = PolynomialRing(QQ, 'z, m').gens()
        kinds = []
        for sigma in self._activations:
            if sigma.has_trainable_beta():
                return None
            regionwise = sigma.polynomial(z, m)
            if regionwise not in (z, m * z):
                return None
            kinds.append(regionwise != z)
        return kinds

    def _path_products(self):
        r"""
        Return `\phi` for ReLU and linear layers: the sums of the path products, by monomial.

        Each neuron holds its value as a dictionary ``(start, masks) ->
        coefficient``: ``start`` the input of the path (``None`` for a bias), ``masks``
        the ReLU neurons it goes through. A ReLU neuron appends itself to the
        masks, a linear one merges the paths that differ only before it.
        Written directly, this is about 15 times faster than
        :meth:`_expanded_coefficients` on ReLU networks (0.08 s against 1.3 s,
        best of 3, for the 31262 paths of widths 9, 9, 7, 7, 7 with biases).

        TESTS::

            sage: from sage_conslaws import MLP
            sage: N = MLP([2, 2, 2, 1], ["relu", "linear"], bias=True)
            sage: sorted(N._path_products()) == sorted(N._expanded_coefficients())
            True
        """
        return [p for output in self._path_values() for p in output.values() if p]

    def _path_values(self):
        # per output, the dictionary (start, masks) -> sum of the path products (see _path_products)
        gens, one = self.parameters(), self.ring().one()
        masked = self._path_kinds()
        L = len(self._widths) - 1
        values = [{(j, ()): one} for j in range(self._widths[0])]
        for l in range(1, L + 1):
            W, b, _ = self._layer_indices(l)
            layer = []
            for i, row in enumerate(W):
                z = {}
                for k, value in zip(row, values):
                    w = gens[k]
                    for key, p in value.items():
                        if key in z:
                            z[key] += w * p
                        else:
                            z[key] = w * p
                if b is not None:
                    z[None, ()] = z[None, ()] + gens[b[i]] if (None, ()) in z else gens[b[i]]
                if l < L and masked[l - 1]:
                    z = {(start, masks + ((l, i),)): p for (start, masks), p in z.items()}
                layer.append(z)
            values = layer
        return values

    def logits(self):
        r"""
        Return ``([], rows)``: the path products of each output, aligned; ``None`` unless the hidden activations are ReLU or linear.

        See :meth:`~sage_conslaws.models.base.Model.logits`.

        EXAMPLES::

            sage: from sage_conslaws import MLP, ReLUNetwork
            sage: ReLUNetwork([1, 1, 2], bias=True).logits()
            ([], [[w1_0_0*w2_0_0, b1_0*w2_0_0], [w1_0_0*w2_1_0, b1_0*w2_1_0]])
            sage: MLP([1, 1, 2], "repu2").logits() is None
            True
        """
        if self._path_kinds() is None:
            return None
        self.check_within_reach()
        values = self._path_values()
        return [], [[output.get(key, 0) for key in values[0]] for output in values]

    def _expanded_coefficients(self):
        r"""
        Return `\phi` in general: the network expanded as a polynomial in the parameters, inputs and masks.

        The ring has the parameters first, then the inputs ``x0, ...``, then
        one mask ``m{h}_{i}`` per neuron of a piecewise layer; the coefficients
        are ordered output by output, neuron by neuron (masks of late layers
        first), then by inputs.

        TESTS::

            sage: from sage_conslaws import MLP
            sage: MLP([1, 2, 1], "leaky_relu")._expanded_coefficients()
            [1/100*w1_0_0*w2_0_0 + 1/100*w1_1_0*w2_0_1, 99/100*w1_0_0*w2_0_0, 99/100*w1_1_0*w2_0_1]
        """
        masks = [f"m{h}_{i}" for h, sigma in enumerate(self._activations, 1)
                 if sigma.is_piecewise() for i in range(self._widths[h])]
        D, n0 = self.dimension(), self._widths[0]
        names = list(self.ring().variable_names()) + [f"x{j}" for j in range(n0)] + masks
        S = PolynomialRing(QQ, len(names), names)
        mask = dict(zip(masks, S.gens()[D + n0:]))
        outputs = self._forward(S.gens()[D:D + n0], S.gens()[:D],
                                lambda h, i, z: self._activations[h - 1].polynomial(
                                    z, mask.get(f"m{h}_{i}")))
        phi = {}
        for k, output in enumerate(outputs):
            for exponents, c in output.dict().items():
                exponents = tuple(exponents)
                # masks are 0 or 1: m^e = m, so the monomials m^e and m merge
                key = (k, exponents[D:D + n0] + tuple(min(e, 1) for e in exponents[D + n0:]))
                coefficient = phi.setdefault(key, {})
                coefficient[exponents[:D]] = coefficient.get(exponents[:D], 0) + c
        R = self.ring()
        order = sorted(phi, key=lambda key: (key[0], key[1][n0:][::-1],
                                             tuple(-e for e in key[1][:n0])))
        return [p for p in (R(phi[key]) for key in order) if p]
