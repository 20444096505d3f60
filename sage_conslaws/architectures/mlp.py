r"""
Multilayer perceptrons with an activation per hidden layer

The network `f(x) = W_L \sigma_{L-1}(\cdots \sigma_1(W_1 x + b_1) \cdots) +
\ldots` has one activation `\sigma_h` per hidden layer (see
:mod:`sage_conslaws.activations`) and a linear output layer. Its symmetries
and laws follow Głuch and Urbanke ([GU2021]_), one family per hidden layer `h`:

- `\sigma_h` `p`-homogeneous (ReLU, LeakyReLU: `p = 1`; RePU(`p`), `z^p`):
  rescaling neuron `i`, one law per neuron
  `\|W_h[i,:]\|^2 + b_h[i]^2 - p\,\|W_{h+1}[:,i]\|^2`;
- `\sigma_h` Swish with a trainable `\beta` per neuron:
  `\|W_h[i,:]\|^2 + b_h[i]^2 - \beta_h[i]^2 - \|W_{h+1}[:,i]\|^2`;
- `\sigma_h` linear: the whole `\mathfrak{gl}(n_h)` mixes the neurons, and the
  entries of `[W_h | b_h][W_h | b_h]^T - W_{h+1}^T W_{h+1}` are laws.

The reparametrization `\phi` is read off the network written as a polynomial
in the inputs `x` and in one mask `m \in \{0, 1\}` per neuron of a piecewise
layer (the activation region): the coefficients of its monomials in `(x, m)`,
with `m^k = m`. Swish networks are not polynomial: they have known laws and
symmetries, but no `\phi`, so the engine cannot count their laws.

EXAMPLES::

    sage: from sage_conslaws import MLP
    sage: N = MLP([2, 2, 1], "repu2"); N
    MLP([2, 2, 1], activations=[repu2]) with 6 parameters
    sage: N.reparametrization()
    [w1_0_0^2*w2_0_0, 2*w1_0_0*w1_0_1*w2_0_0, w1_0_1^2*w2_0_0,
     w1_1_0^2*w2_0_1, 2*w1_1_0*w1_1_1*w2_0_1, w1_1_1^2*w2_0_1]
    sage: N.conservation_laws().laws()
    [('neuron 1.0', w1_0_0^2 + w1_0_1^2 - 2*w2_0_0^2),
     ('neuron 1.1', w1_1_0^2 + w1_1_1^2 - 2*w2_0_1^2)]

One activation per hidden layer; a linear layer has matrix laws::

    sage: M = MLP([1, 2, 2, 1], ["linear", "relu"])
    sage: M.activations()
    [linear activation, ReLU activation]
    sage: [name for name, h in M.known_laws()]
    ['W1 W1^T - W2^T W2 [0,0]', 'W1 W1^T - W2^T W2 [0,1]', 'W1 W1^T - W2^T W2 [1,1]',
     'neuron 2.0', 'neuron 2.1']
"""
from math import comb

from sage.matrix.constructor import matrix
from sage.rings.polynomial.polynomial_ring_constructor import PolynomialRing
from sage.rings.rational_field import QQ

from ..activations import activation
from ..symmetries import SymmetryGenerator
from .base import Model, parameter_ring
from .widths import (MAX_PATHS, check_widths, neuron_mixing, neuron_rescaling, sparse_add,
                     weight_indices, weight_names)

#: The ways :meth:`MLP.symmetry_generators` groups the rescalings.
GENERATOR_GROUPINGS = ("neuron", "layer")


class MLP(Model):
    r"""
    A multilayer perceptron with widths `n_0, \ldots, n_L`, an activation per hidden layer.

    INPUT:

    - ``widths`` -- the layer widths from input to output
    - ``activations`` -- an activation (name or
      :class:`~sage_conslaws.activations.Activation`) for every hidden layer,
      or a list of one per hidden layer; the output layer is linear
    - ``bias`` -- (default: ``False``) whether hidden neurons have biases

    EXAMPLES::

        sage: from sage_conslaws import MLP
        sage: N = MLP([1, 2, 1], "swish", bias=True); N
        MLP([1, 2, 1], activations=[swish], bias=True) with 8 parameters
        sage: N.parameters()
        (w1_0_0, w1_1_0, b1_0, b1_1, beta1_0, beta1_1, w2_0_0, w2_0_1)

    TESTS::

        sage: MLP([3, 4, 4, 2], ["relu"])
        Traceback (most recent call last):
        ...
        ValueError: MLP with widths [3, 4, 4, 2] has 2 hidden layers, got 1 activation
        sage: MLP([3, 4, 2], "tanh")
        Traceback (most recent call last):
        ...
        ValueError: unknown activation 'tanh'; known: relu, leaky_relu, repuP, powP, linear, swish (P a degree >= 1, e.g. repu2)
        sage: MLP([1, 2, 1], "swish").conservation_laws()
        Traceback (most recent call last):
        ...
        ValueError: MLP([1, 2, 1], activations=[swish]) has no polynomial reparametrization: the swish activation is not piecewise polynomial, so the engine cannot count its conservation laws (its known laws and symmetry generators still hold)
        sage: MLP([5, 5, 5, 1], "pow3").conservation_laws()
        Traceback (most recent call last):
        ...
        ValueError: MLP([5, 5, 5, 1], activations=[pow3, pow3]) expands into at most 4543000 terms, beyond reach (at most 1000000)
    """

    @staticmethod
    def __classcall_private__(cls, widths, activations, bias=False):
        # one object for equal networks, however the arguments are spelled
        widths = check_widths(widths)
        return Model.__classcall__(cls, tuple(widths),
                                   tuple(_check_activations(widths, activations)), bool(bias))

    def __init__(self, widths, activations, bias=False):
        self._widths = check_widths(widths)
        self._activations = _check_activations(self._widths, activations)
        self._bias = bool(bias)
        swish = [h for h, sigma in enumerate(self._activations, 1) if sigma.has_trainable_beta()]
        Model.__init__(self, parameter_ring(weight_names(self._widths, self._bias, swish)))

    def widths(self):
        r"""
        Return the layer widths from input to output.

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: MLP([3, 4, 2], "relu").widths()
            [3, 4, 2]
        """
        return list(self._widths)

    def activations(self):
        r"""
        Return the activations of the hidden layers, first to last.

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: MLP([1, 2, 2, 1], ["pow3", "leaky_relu"]).activations()
            [power z^3 activation, LeakyReLU activation]
        """
        return list(self._activations)

    def has_bias(self):
        r"""
        Return whether hidden neurons have biases.

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: MLP([3, 4, 2], "relu", bias=True).has_bias()
            True
        """
        return self._bias

    def _gens(self):
        return dict(zip(self.ring().variable_names(), self.parameters()))

    def weight_matrices(self):
        r"""
        Return the weight matrices `W_1, \ldots, W_L`, with `W_l` of size `n_l \times n_{l-1}`.

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: MLP([2, 1, 1], "relu", bias=True).weight_matrices()
            [[w1_0_0 w1_0_1], [w2_0_0]]
        """
        gens = self._gens()
        n = self._widths
        return [matrix(self.ring(), n[l], n[l - 1],
                       [gens[f"w{l}_{i}_{j}"] for i in range(n[l]) for j in range(n[l - 1])])
                for l in range(1, len(n))]

    def _layer_parameters(self, prefix, h):
        r"""
        Return the parameters ``prefix{h}_i`` of the neurons of layer ``h`` (or zeros).
        """
        gens = self._gens()
        zero = self.ring().zero()
        return [gens.get(f"{prefix}{h}_{i}", zero) for i in range(self._widths[h])]

    def _forward(self, inputs, parameter, sigma):
        r"""
        Return the outputs of the network on ``inputs``, in any arithmetic.

        INPUT:

        - ``inputs`` -- the `n_0` inputs
        - ``parameter`` -- a function of a parameter name, returning its value
          (0 for a bias or slope the model does not have)
        - ``sigma`` -- a function ``(h, i, z)`` returning the activation of
          neuron ``i`` of hidden layer ``h`` at the pre-activation ``z``
        """
        values = list(inputs)
        L = len(self._widths) - 1
        for l in range(1, L + 1):
            z = [sum(parameter(f"w{l}_{i}_{j}") * v for j, v in enumerate(values))
                 + parameter(f"b{l}_{i}") for i in range(self._widths[l])]
            values = z if l == L else [sigma(l, i, zi) for i, zi in enumerate(z)]
        return values

    def _expanded_outputs(self):
        r"""
        Return the outputs as polynomials in the parameters, the inputs and the masks.

        The ring has the parameters first, then the inputs ``x0, ...``, then one
        mask ``m{h}_{i}`` per neuron of a piecewise layer.
        """
        masks = [f"m{h}_{i}" for h, sigma in enumerate(self._activations, 1)
                 if sigma.is_piecewise() for i in range(self._widths[h])]
        inputs = [f"x{j}" for j in range(self._widths[0])]
        names = list(self.ring().variable_names()) + inputs + masks
        S = PolynomialRing(QQ, len(names), names)
        gens = dict(zip(names, S.gens()))
        outputs = self._forward([gens[x] for x in inputs], lambda name: gens.get(name, S.zero()),
                                lambda h, i, z: self._activations[h - 1].polynomial(
                                    z, gens.get(f"m{h}_{i}")))
        return S, outputs

    def reparametrization(self):
        r"""
        Return the coefficients of the network in the monomials of the inputs and masks.

        Each output is a polynomial in the inputs `x` and the masks `m` (one per
        neuron of a piecewise layer), with `m^k = m`; `\phi` lists the
        coefficients of its distinct monomials, output by output.

        EXAMPLES:

        ReLU: the path products (with biases, those starting at a bias)::

            sage: from sage_conslaws import MLP
            sage: MLP([1, 2, 1], "relu", bias=True).reparametrization()
            [w1_0_0*w2_0_0, b1_0*w2_0_0, w1_1_0*w2_0_1, b1_1*w2_0_1]

        Linear: the product of the weights::

            sage: MLP([1, 2, 1], "linear").reparametrization()
            [w1_0_0*w2_0_0 + w1_1_0*w2_0_1]

        TESTS::

            sage: MLP([1, 2, 1], "swish").reparametrization()
            Traceback (most recent call last):
            ...
            ValueError: MLP([1, 2, 1], activations=[swish]) has no polynomial reparametrization: the swish activation is not piecewise polynomial, so the engine cannot count its conservation laws (its known laws and symmetry generators still hold)
        """
        self.check_within_reach()
        S, outputs = self._expanded_outputs()
        D, n0 = self.dimension(), self._widths[0]
        phi = {}
        for k, output in enumerate(outputs):
            for exponents, c in output.dict().items():
                exponents = tuple(exponents)
                # masks are 0 or 1: m^e = m, so the monomials m^e and m merge
                key = (k, exponents[D:D + n0] + tuple(min(e, 1) for e in exponents[D + n0:]))
                coefficient = phi.setdefault(key, {})
                coefficient[exponents[:D]] = coefficient.get(exponents[:D], 0) + c
        R = self.ring()
        # order: output by output, neuron by neuron (masks of late layers first), then inputs
        order = sorted(phi, key=lambda key: (key[0], key[1][n0:][::-1],
                                             tuple(-e for e in key[1][:n0])))
        return [p for p in (R(phi[key]) for key in order) if p]

    def network_function(self, x=None):
        r"""
        Return the outputs of the network as sympy expressions, on one activation region.

        Piecewise activations are written with a mask symbol ``m{h}_{i}`` per
        neuron (1 where the pre-activation is positive, 0 elsewhere), constant
        on each region; Swish is `z / (1 + e^{-\beta z})`. Parameters are
        sympy symbols with the names of :meth:`parameters`.

        INPUT:

        - ``x`` -- (default: symbols ``x0, x1, ...``) the `n_0` inputs

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: MLP([1, 1, 1], "swish").network_function()
            [w1_0_0*w2_0_0*x0/(1 + exp(-beta1_0*w1_0_0*x0))]
            sage: MLP([1, 1, 1], "repu2", bias=True).network_function()
            [m1_0*w2_0_0*(b1_0 + w1_0_0*x0)**2]

        TESTS::

            sage: MLP([2, 1, 1], "relu").network_function([1])
            Traceback (most recent call last):
            ...
            ValueError: the network has 2 inputs, got 1
        """
        import sympy
        if x is None:
            x = sympy.symbols(f"x0:{self._widths[0]}")
        x = list(x)
        if len(x) != self._widths[0]:
            raise ValueError(f"the network has {self._widths[0]} inputs, got {len(x)}")
        symbols = {name: sympy.Symbol(name) for name in self.ring().variable_names()}
        regionwise = [_sympy_activation(sigma) for sigma in self._activations]

        def sigma(h, i, z):
            if self._activations[h - 1].has_trainable_beta():
                return z / (1 + sympy.exp(-symbols[f"beta{h}_{i}"] * z))
            return regionwise[h - 1](z, sympy.Symbol(f"m{h}_{i}"))
        return self._forward(x, lambda name: symbols.get(name, sympy.Integer(0)), sigma)

    def law_matrices(self):
        r"""
        Return the matrices `[W_h | b_h][W_h | b_h]^T - W_{h+1}^T W_{h+1}` when every hidden layer is linear.

        A network with some non-linear hidden layer has per-neuron laws too,
        which a list of matrices would hide: none then.

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: MLP([1, 1, 1], "linear", bias=True).law_matrices()
            [('[W1|b1] [W1|b1]^T - W2^T W2', [w1_0_0^2 + b1_0^2 - w2_0_0^2])]
            sage: MLP([1, 1, 1], "relu").law_matrices()
            []
        """
        if not all(sigma.is_linear() for sigma in self._activations):
            return []
        return [self._linear_layer_matrix(h) for h in range(1, len(self._widths) - 1)]

    def _linear_layer_matrix(self, h):
        r"""
        Return the name and the matrix of the laws of the linear hidden layer ``h``.
        """
        Ws = self.weight_matrices()
        W, V = Ws[h - 1], Ws[h]
        if self._bias:
            W = W.augment(matrix(self.ring(), len(W.rows()), 1, self._layer_parameters("b", h)))
            name = f"[W{h}|b{h}] [W{h}|b{h}]^T - W{h + 1}^T W{h + 1}"
        else:
            name = f"W{h} W{h}^T - W{h + 1}^T W{h + 1}"
        return name, W * W.transpose() - V.transpose() * V

    def weight_indices(self):
        r"""
        Return where each weight and bias sits among the parameters.

        See :meth:`~sage_conslaws.architectures.base.Model.weight_indices`.

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: MLP([1, 1, 1], "swish", bias=True).weight_indices()
            ({(1, 0, 0): 0, (2, 0, 0): 3}, {(1, 0): 1})
        """
        swish = [h for h, sigma in enumerate(self._activations, 1) if sigma.has_trainable_beta()]
        return weight_indices(self._widths, self._bias, swish)

    def known_laws(self):
        r"""
        Return the laws of [GU2021]_, hidden layer by hidden layer.

        A `p`-homogeneous layer gives one law per neuron,
        `\|W_h[i,:]\|^2 + b_h[i]^2 - p\|W_{h+1}[:,i]\|^2`; a Swish layer
        `\|W_h[i,:]\|^2 + b_h[i]^2 - \beta_h[i]^2 - \|W_{h+1}[:,i]\|^2`; a
        linear layer the entries on and above the diagonal of
        `[W_h | b_h][W_h | b_h]^T - W_{h+1}^T W_{h+1}`.

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: MLP([1, 1, 1], "pow3", bias=True).known_laws()
            [('neuron 1.0', w1_0_0^2 + b1_0^2 - 3*w2_0_0^2)]
            sage: MLP([1, 1, 1], "swish").known_laws()
            [('neuron 1.0', w1_0_0^2 - beta1_0^2 - w2_0_0^2)]
        """
        laws = []
        Ws = self.weight_matrices()
        for h, sigma in enumerate(self._activations, 1):
            if sigma.is_linear():
                name, M = self._linear_layer_matrix(h)
                laws += [(f"{name} [{i},{j}]", M[i, j])
                         for i in range(M.nrows()) for j in range(i, M.ncols())]
                continue
            biases, betas = self._layer_parameters("b", h), self._layer_parameters("beta", h)
            p = 1 if sigma.has_trainable_beta() else sigma.homogeneity()
            for i in range(self._widths[h]):
                incoming = Ws[h - 1].row(i).dot_product(Ws[h - 1].row(i)) + biases[i]**2
                outgoing = Ws[h].column(i).dot_product(Ws[h].column(i))
                laws.append((f"neuron {h}.{i}", incoming - betas[i]**2 - p * outgoing))
        return laws

    def symmetry_generators(self, per="neuron"):
        r"""
        Return the linear symmetries of [GU2021]_ as :class:`~sage_conslaws.symmetries.SymmetryGenerator` objects.

        For each hidden layer `h`: if `\sigma_h` is `p`-homogeneous, the
        rescaling of each neuron `i` (`+1` on `W_h[i,:]` and `b_h[i]`, `-p` on
        `W_{h+1}[:,i]`); if Swish, the rescaling `+1` on `W_h[i,:]` and
        `b_h[i]`, `-1` on `\beta_h[i]` and `W_{h+1}[:,i]`. If `\sigma_h` is
        linear, moreover all of `\mathfrak{gl}(n_h)`, `\xi_A: (W_h, b_h,
        W_{h+1}) \mapsto (A W_h, A b_h, -W_{h+1} A)`, in the basis of the
        rescalings `E_{aa}`, the symmetric mixings `E_{ab} + E_{ba}` and the
        rotations `E_{ab} - E_{ba}` (`a < b`): under gradient flow the first
        two give the entries of `[W_h | b_h][W_h | b_h]^T - W_{h+1}^T W_{h+1}`,
        under momentum flows the rotations give conserved quantities.

        INPUT:

        - ``per`` -- (default: ``"neuron"``) ``"neuron"``, or ``"layer"``: then
          the rescalings of the neurons of a layer are summed into one
          generator per layer (linear layers keep their mixings and rotations)

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: MLP([1, 2, 1], "repu2").symmetry_generators()
            [rescale neuron 1.0: w1_0_0*d/dw1_0_0 - 2*w2_0_0*d/dw2_0_0,
             rescale neuron 1.1: w1_1_0*d/dw1_1_0 - 2*w2_0_1*d/dw2_0_1]
            sage: MLP([1, 2, 1], "repu2").symmetry_generators(per="layer")
            [rescale layer 1: w1_0_0*d/dw1_0_0 + w1_1_0*d/dw1_1_0 - 2*w2_0_0*d/dw2_0_0 - 2*w2_0_1*d/dw2_0_1]
            sage: [xi.name() for xi in MLP([1, 2, 1], "linear").symmetry_generators()]
            ['rescale neuron 1.0', 'rescale neuron 1.1', 'mix layer 1 neurons 0,1',
             'rotate layer 1 neurons 0,1']
            sage: MLP([1, 2, 1], "linear").symmetry_generators()[3]
            rotate layer 1 neurons 0,1: w1_1_0*d/dw1_0_0 - w1_0_0*d/dw1_1_0 + w2_0_1*d/dw2_0_0 - w2_0_0*d/dw2_0_1

        TESTS::

            sage: MLP([1, 2, 1], "relu").symmetry_generators(per="path")
            Traceback (most recent call last):
            ...
            ValueError: per must be one of neuron, layer, got 'path'
        """
        if per not in GENERATOR_GROUPINGS:
            raise ValueError(f"per must be one of {', '.join(GENERATOR_GROUPINGS)}, got {per!r}")
        generators = []
        for h, sigma in enumerate(self._activations, 1):
            neurons = range(self._widths[h])
            if per == "neuron":
                generators += [self._generator(f"rescale neuron {h}.{i}", self._rescaling(h, i))
                               for i in neurons]
            else:
                layer = {}
                for i in neurons:
                    layer = sparse_add(layer, self._rescaling(h, i))
                generators.append(self._generator(f"rescale layer {h}", layer))
            if sigma.is_linear():
                pairs = [(a, b) for a in neurons for b in neurons if a < b]
                generators += [self._generator(f"{kind} layer {h} neurons {a},{b}",
                                               self._mixing(h, a, b, sign))
                               for kind, sign in (("mix", 1), ("rotate", -1)) for a, b in pairs]
        return generators

    def _generator(self, name, entries):
        r"""
        Return the linear generator ``name`` whose matrix has the ``entries`` ``{(row, column): c}``.
        """
        D = self.dimension()
        return SymmetryGenerator.from_matrix(self.ring(), matrix(QQ, D, D, entries, sparse=True),
                                             name)

    def _rescaling(self, h, i):
        r"""
        Return the rescaling of neuron ``i`` of hidden layer ``h`` as matrix entries ``{(k, k): c}``.

        `+1` on the incoming weights and bias, `-p` on the outgoing weights
        (the same construction as the rescalings that
        :func:`~sage_conslaws.symmetries.linear_symmetries` names), and for
        Swish `-1` on `\beta_h[i]` and on the outgoing weights.
        """
        sigma = self._activations[h - 1]
        p = 1 if sigma.has_trainable_beta() else sigma.homogeneity()
        weights, biases = self.weight_indices()
        incoming, outgoing = neuron_rescaling(weights, biases, h, i)
        entries = sparse_add(incoming, outgoing, -p)
        if sigma.has_trainable_beta():
            k = self.ring().variable_names().index(f"beta{h}_{i}")
            entries[k, k] = -1
        return entries

    def _mixing(self, h, a, b, sign):
        r"""
        Return the generator `\xi_A`, `A = E_{ab} + \mathrm{sign}\, E_{ba}`, of the linear hidden layer ``h``, as matrix entries.
        """
        weights, biases = self.weight_indices()
        return sparse_add(neuron_mixing(weights, biases, h, a, b),
                          neuron_mixing(weights, biases, h, b, a), sign)

    def check_within_reach(self):
        r"""
        Raise a clear error if the expanded network has more than :data:`~sage_conslaws.architectures.widths.MAX_PATHS` terms.

        The bound counts the distinct terms of each pre-activation, layer by
        layer: a power `p` of a sum of `F` terms has at most
        `\binom{F + p - 1}{p}` terms; a piecewise layer keeps the neurons apart
        (distinct masks); with ReLU this is the number of paths. A network
        with Swish has no polynomial reparametrization at all.

        EXAMPLES::

            sage: from sage_conslaws import MLP
            sage: MLP([64, 16, 16, 10], ["relu", "repu2"]).check_within_reach()
            Traceback (most recent call last):
            ...
            ValueError: MLP([64, 16, 16, 10], activations=[relu, repu2]) expands into at most 83968000 terms, beyond reach (at most 1000000)
        """
        for sigma in self._activations:
            if sigma.has_trainable_beta():
                raise ValueError(f"{self._description()} has no polynomial reparametrization: the "
                                 f"{sigma.name()} activation is not piecewise polynomial, so "
                                 "the engine cannot count its conservation laws (its known "
                                 "laws and symmetry generators still hold)")
        bias = 1 if self._bias else 0
        terms = self._widths[0] + bias
        for h, sigma in enumerate(self._activations, 1):
            p = sigma.homogeneity()
            activated = comb(terms + p - 1, p) * (2 if sigma.name() == "leaky_relu" else 1)
            last = h == len(self._activations)
            terms = self._widths[h] * activated + (0 if last else bias)
        terms *= self._widths[-1]
        if terms > MAX_PATHS:
            raise ValueError(f"{self._description()} expands into at most {terms} terms, beyond reach "
                             f"(at most {MAX_PATHS})")

    def _description(self):
        names = ", ".join(sigma.name() for sigma in self._activations)
        bias = ", bias=True" if self._bias else ""
        return f"MLP({self._widths}, activations=[{names}]{bias})"

    def _repr_(self):
        return f"{self._description()} with {self.dimension()} parameters"


def _check_activations(widths, activations):
    r"""
    Return the list of one :class:`~sage_conslaws.activations.Activation` per hidden layer.

    TESTS::

        sage: from sage_conslaws.architectures.mlp import _check_activations
        sage: _check_activations([1, 2, 2, 1], "relu")
        [ReLU activation, ReLU activation]
    """
    hidden = len(widths) - 2
    if isinstance(activations, (list, tuple)):
        activations = [activation(a) for a in activations]
    else:
        activations = [activation(activations)] * hidden
    if len(activations) != hidden:
        layers = "layer" if hidden == 1 else "layers"
        given = "activation" if len(activations) == 1 else "activations"
        raise ValueError(f"MLP with widths {widths} has {hidden} hidden {layers}, "
                         f"got {len(activations)} {given}")
    return activations


def _sympy_activation(sigma):
    r"""
    Return ``(z, m) -> sigma(z)`` on the region of mask ``m``, for sympy expressions.

    Swish, which has no region polynomial, gives ``None``.

    TESTS::

        sage: import sympy
        sage: from sage_conslaws.activations import activation
        sage: from sage_conslaws.architectures.mlp import _sympy_activation
        sage: z, m = sympy.symbols('z m')
        sage: _sympy_activation(activation("leaky_relu"))(z, m)
        99*m*z/100 + z/100
    """
    import sympy
    if sigma.has_trainable_beta():
        return None
    Z, M = PolynomialRing(QQ, 'z, m').gens()
    terms = sigma.polynomial(Z, M).dict().items()
    return lambda z, m: sum(sympy.Rational(int(c.numerator()), int(c.denominator()))
                            * z**e[0] * m**e[1] for e, c in terms)
