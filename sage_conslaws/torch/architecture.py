r"""
The package's model of a PyTorch module, and where its parameters sit in the module's tensors

:func:`architecture_of` reads an ``nn.Module`` built from the layers below and
returns the :class:`~sage_conslaws.models.base.Model` that the engine counts,
with a :class:`ParameterMap` from the model's parameters to the entries of
the module's tensors. A layer it cannot read is refused with its name and
position; nothing is guessed.

- ``nn.Sequential`` of ``nn.Linear`` (with or without biases), ``nn.ReLU``,
  ``nn.LeakyReLU`` and ``nn.Identity``: a
  :class:`~sage_conslaws.models.relu.ReLUNetwork`,
  :class:`~sage_conslaws.models.linear.LinearNetwork` or
  :class:`~sage_conslaws.models.mlp.MLP`. Two ``nn.Linear`` with no
  activation between them make a linear hidden layer.
- ``nn.Sequential`` of ``nn.Conv1d`` / ``nn.Conv2d`` with ``nn.ReLU`` (or no
  activation) between them: a :class:`~sage_conslaws.models.conv.ConvNetwork`;
  it needs the size of the input (``input_size``), which a module does not know.
- ``nn.Sequential`` of :class:`~sage_conslaws.torch.modules.Residual` blocks
  ``Linear(w, h), ReLU(), Linear(h, w, bias=False)``: a
  :class:`~sage_conslaws.models.resnet.ResNet`; a single
  :class:`~sage_conslaws.torch.modules.Residual` of any readable module: a
  :class:`~sage_conslaws.models.resnet.Residual`.
- ``nn.MultiheadAttention`` without biases or dropout (self-attention): an
  :class:`~sage_conslaws.models.attention.Attention` with `d_k = d_v = d/H`.
- :class:`~sage_conslaws.torch.modules.LoRALinear`: a
  :class:`~sage_conslaws.models.lora.LoRA`.

Three facts make some module parameters fit models that do not have them:

- **A bias of the output layer** (``nn.Linear`` or the last convolution) is
  not a parameter of the model. It adds its own coordinates `b` to `\phi`
  (the output is `\ldots + b`), so `\nabla\phi` gains the constant fields
  `e_b`, which commute with every other field (no other component of `\phi`
  involves `b`): `\mathrm{Lie}(W)` gains exactly their span, `D` and `\dim
  \mathrm{Lie}(W)` grow by the same number, and the laws are the same.
- **The slope of a LeakyReLU** does not change the laws, for any slope
  `s \ne 1`: on a region the network is `\sum_P w_P x \prod_{k \in P} (s +
  (1 - s) m_k)`, and the coefficient of the full product of the masks of a
  path is `(1 - s)^{L-1} w_P x`, so the span of `\nabla\phi` is the same as
  for ReLU and for the package's LeakyReLU (slope `1/100`). Slope 1 is the
  identity.
- **The scaling** `1/\sqrt{d_k}` of the scores of ``nn.MultiheadAttention``
  multiplies `Q_h^T K_h` by a constant: same `W(\theta)`.

EXAMPLES::

    >>> import torch
    >>> from sage_conslaws.torch import architecture_of
    >>> net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    >>> model, where = architecture_of(net)
    >>> model
    ReLUNetwork([3, 4, 2], bias=True) with 24 parameters
    >>> where
    the parameters of ReLUNetwork([3, 4, 2], bias=True) with 24 parameters, in 4 tensors of a Sequential (2 entries not in the model)
    >>> model.conservation_laws().number_of_laws()
    4
"""
from numbers import Integral

import torch
from torch import nn

from sage_conslaws.torch.modules import LoRALinear, Residual

#: What :func:`architecture_of` reads, for its error messages.
READABLE = ("nn.Sequential, nn.Linear, nn.ReLU, nn.LeakyReLU, nn.Identity, nn.Conv1d, "
            "nn.Conv2d, nn.MultiheadAttention, and sage_conslaws.torch's Residual and LoRALinear")

_ACTIVATIONS = (nn.ReLU, nn.LeakyReLU, nn.Identity)


class ParameterMap:
    r"""
    Where each parameter of a model sits in the tensors of a torch module.

    Built by :func:`architecture_of`. For each tensor of the module, an
    integer tensor of its shape holds the position of each entry in the
    model's parameter vector `\theta`, or `-1` for an entry that is not a
    parameter of the model (a bias of the output layer).

    INPUT:

    - ``model`` -- the :class:`~sage_conslaws.models.base.Model`
    - ``module`` -- the torch module
    - ``positions`` -- a dictionary: name of a tensor of ``module`` (as in
      ``named_parameters``) -> integer tensor of its shape

    EXAMPLES::

        >>> import torch
        >>> from sage_conslaws.torch import architecture_of
        >>> net = torch.nn.Sequential(torch.nn.Linear(1, 2, bias=False), torch.nn.ReLU(),
        ...                           torch.nn.Linear(2, 1, bias=False))
        >>> model, where = architecture_of(net)
        >>> where.positions()["0.weight"].tolist(), where.positions()["2.weight"].tolist()
        ([[0], [1]], [[2, 3]])
        >>> with torch.no_grad():
        ...     _ = net[0].weight.copy_(torch.tensor([[1.0], [2.0]]))
        ...     _ = net[2].weight.copy_(torch.tensor([[3.0, 5.0]]))
        >>> where.vector().tolist()
        [1.0, 2.0, 3.0, 5.0]

    TESTS::

        >>> from sage_conslaws.torch.architecture import ParameterMap
        >>> ParameterMap(model, net, {"0.weight": torch.tensor([[0], [0]])})
        Traceback (most recent call last):
        ...
        ValueError: the map of ReLUNetwork([1, 2, 1]) with 4 parameters places 1 of its 4 parameters, twice or not at all
    """

    def __init__(self, model, module, positions):
        self._model, self._module = model, module
        tensors = dict(module.named_parameters(remove_duplicate=False))
        names = {}
        for name, tensor in tensors.items():
            if id(tensor) in names:
                raise ValueError(f"cannot read a module whose tensors '{names[id(tensor)]}' and "
                                 f"'{name}' are one tensor (tied weights): the package's models "
                                 "have independent parameters")
            names[id(tensor)] = name
        missing = sorted(set(positions) - set(tensors))
        if missing:
            raise ValueError(f"cannot read the module: it has no tensor {missing[0]!r} (its "
                             "parameters are computed, as with weight_norm or spectral_norm)")
        self._positions = {name: index.to(torch.long) for name, index in positions.items()}
        self._tensors = {name: tensors[name] for name in self._positions}
        frozen = [name for name, index in self._positions.items()
                  if (index >= 0).any() and not self._tensors[name].requires_grad]
        if frozen:
            raise ValueError(f"cannot read the module: its tensor {frozen[0]!r} does not train "
                             "(requires_grad=False), and the package's model trains all its "
                             "parameters")
        # per tensor, the flat entries that are parameters and their positions in theta:
        # two index_select/index_copy per tensor and step (boolean masks cost 3x more)
        self._gathers = {name: (torch.nonzero(index.reshape(-1) >= 0)[:, 0],
                                index.reshape(-1)[index.reshape(-1) >= 0])
                         for name, index in self._positions.items()}
        placed = torch.cat([index[index >= 0] for index in self._positions.values()])
        D = model.dimension()
        if len(placed) != D or len(torch.unique(placed)) != D:
            raise ValueError(f"the map of {model} places {len(torch.unique(placed))} of its {D} "
                             "parameters, twice or not at all")

    def model(self):
        r"""
        Return the model.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import architecture_of
            >>> architecture_of(torch.nn.Linear(2, 3))[1].model()
            LinearNetwork([2, 3]) with 6 parameters
        """
        return self._model

    def positions(self):
        r"""
        Return the positions of the entries of each tensor in `\theta` (`-1`: not a parameter of the model).

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import architecture_of
            >>> sorted(architecture_of(torch.nn.Linear(2, 1))[1].positions().items())
            [('bias', tensor([-1])), ('weight', tensor([[0, 1]]))]
        """
        return dict(self._positions)

    def tensors(self):
        r"""
        Return the module's tensors that the map reads (those of the model's parameters, and output biases), by name.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import architecture_of
            >>> sorted(architecture_of(torch.nn.Linear(2, 1))[1].tensors())
            ['bias', 'weight']
        """
        return dict(self._tensors)

    def vector(self):
        r"""
        Return `\theta`: the model's parameters read from the module's tensors, now (no gradient).

        On the device and with the dtype of the module's first tensor.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import architecture_of
            >>> layer = torch.nn.Linear(2, 1, bias=False).double()
            >>> theta = architecture_of(layer)[1].vector()
            >>> theta.dtype, torch.equal(theta, layer.weight.detach()[0])
            (torch.float64, True)
        """
        return self.gather(self._tensors)

    def gather(self, values):
        r"""
        Return the vector, in the order of the model's parameters, of tensors shaped as the module's (by name): its gradients, an optimizer's buffers...

        On the device and with the dtype of the first one.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import architecture_of
            >>> layer = torch.nn.Linear(2, 1, bias=False)
            >>> where = architecture_of(layer)[1]
            >>> where.gather({"weight": torch.tensor([[3.0, 5.0]])}).tolist()
            [3.0, 5.0]
        """
        first = next(iter(values.values()))
        theta = torch.empty(self._model.dimension(), dtype=first.dtype, device=first.device)
        with torch.no_grad():
            for name, (entries, places) in self._gathers.items():
                if name not in values:
                    if len(places):
                        raise ValueError(f"no value for the tensor {name!r}")
                    continue
                flat = values[name].detach().reshape(-1).to(theta)
                theta.index_copy_(0, places.to(theta.device),
                                  flat.index_select(0, entries.to(theta.device)))
        return theta

    def trained_tensors(self):
        r"""
        Return the module's tensors that hold parameters of the model (not the output biases), by name.

        EXAMPLES::

            >>> import torch
            >>> from sage_conslaws.torch import architecture_of
            >>> sorted(architecture_of(torch.nn.Linear(2, 1))[1].trained_tensors())
            ['weight']
        """
        return {name: self._tensors[name] for name, (_, places) in self._gathers.items()
                if len(places)}

    def __repr__(self):
        outside = sum(int((index < 0).sum()) for index in self._positions.values())
        extra = (f" ({outside} {'entry' if outside == 1 else 'entries'} not in the model)"
                 if outside else "")
        return (f"the parameters of {self._model}, in {len(self._positions)} tensors of a "
                f"{type(self._module).__name__}{extra}")


def architecture_of(module, input_size=None):
    r"""
    Return the package's model of a torch module, and the :class:`ParameterMap` of its parameters.

    INPUT:

    - ``module`` -- an ``nn.Module`` built from the layers listed in
      :mod:`~sage_conslaws.torch.architecture`
    - ``input_size`` -- (default: ``None``) for convolutions only: the length
      of the input (1-D) or its height and width (2-D)

    OUTPUT: a pair ``(model, parameter_map)``; ``ValueError`` naming the
    first layer that cannot be read, and its position

    EXAMPLES::

        >>> import torch
        >>> from torch import nn
        >>> from sage_conslaws.torch import architecture_of, LoRALinear, Residual
        >>> architecture_of(nn.Sequential(nn.Linear(2, 3, bias=False), nn.Linear(3, 1, bias=False)))[0]
        LinearNetwork([2, 3, 1]) with 9 parameters
        >>> architecture_of(nn.Sequential(nn.Linear(2, 3), nn.LeakyReLU(0.2), nn.Linear(3, 3),
        ...                               nn.Identity(), nn.Linear(3, 1)))[0]
        MLP([2, 3, 3, 1], activations=[leaky_relu, linear], bias=True) with 24 parameters
        >>> architecture_of(nn.Sequential(nn.Conv1d(1, 2, 3), nn.ReLU(), nn.Conv1d(2, 1, 3)),
        ...                 input_size=8)[0]
        ConvNetwork([1, 2, 1], kernel=3, size=8, bias=True) with 14 parameters
        >>> block = lambda: Residual(nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 3, bias=False)))
        >>> architecture_of(nn.Sequential(block(), block()))[0]
        ResNet(3, 2, blocks=2, bias=True) with 28 parameters
        >>> architecture_of(nn.MultiheadAttention(4, 2, bias=False))[0]
        Attention(4, 2, 2, 4, heads=2) with 64 parameters
        >>> architecture_of(LoRALinear(4, 2, 3))[0]
        LoRA(4, 2, 3) with 14 parameters

    TESTS::

        >>> architecture_of(nn.Sequential(nn.Linear(2, 3), nn.LayerNorm(3), nn.Linear(3, 1)))
        Traceback (most recent call last):
        ...
        ValueError: cannot read layer 1 of the Sequential, a LayerNorm: sage_conslaws.torch reads nn.Sequential, nn.Linear, nn.ReLU, nn.LeakyReLU, nn.Identity, nn.Conv1d, nn.Conv2d, nn.MultiheadAttention, and sage_conslaws.torch's Residual and LoRALinear
        >>> architecture_of("a string")
        Traceback (most recent call last):
        ...
        TypeError: architecture_of reads a torch nn.Module, got 'a string'
    """
    if not isinstance(module, nn.Module):
        raise TypeError(f"architecture_of reads a torch nn.Module, got {module!r}")
    model, positions = _read(module, "", input_size)
    return model, ParameterMap(model, module, positions)


def _read(module, prefix, input_size):
    r"""
    Return ``(model, positions)`` for ``module``, its tensors named after ``prefix``.
    """
    if _is(module, nn.Linear):
        return _layered([("", module)], prefix)
    if _is(module, LoRALinear):
        return _lora(module, prefix)
    if _is(module, nn.MultiheadAttention):
        return _attention(module, prefix)
    if _is(module, Residual):
        from sage_conslaws.models.resnet import Residual as ResidualModel
        block, positions = _read(module.block, prefix + "block.", input_size)
        return ResidualModel(block), positions
    if _is(module, nn.Sequential):
        layers = _flatten(module, "")
        kinds = {type(layer) for _, layer in layers} - set(_ACTIVATIONS)
        if kinds and kinds <= {nn.Conv1d, nn.Conv2d}:
            return _conv(layers, prefix, input_size)
        if Residual in kinds:
            return _resnet(layers, prefix)
        return _layered(layers, prefix)
    raise _unreadable(module, None)


def _is(module, kind):
    r"""
    Return whether ``module`` is a ``kind`` itself: a subclass may have its own ``forward``, so it is never read as its base.
    """
    return type(module) is kind


def _flatten(sequential, prefix, seen=None):
    r"""
    Return the layers of nested ``nn.Sequential`` as ``(name, layer)`` pairs, in order.

    A module used twice (``act = nn.ReLU()`` at two places, or a layer
    applied twice) is refused: ``named_children`` would skip its second use.
    """
    seen = {} if seen is None else seen
    layers = []
    for name, layer in sequential._modules.items():
        if layer is None:
            continue
        if id(layer) in seen:
            raise ValueError(f"cannot read a Sequential that uses one module twice ('{seen[id(layer)]}' "
                             f"and '{prefix}{name}', a {type(layer).__name__}): give each place "
                             "its own module")
        seen[id(layer)] = prefix + name
        if _is(layer, nn.Sequential):
            layers += _flatten(layer, f"{prefix}{name}.", seen)
        else:
            layers.append((prefix + name, layer))
    if not layers and not prefix:
        raise ValueError("cannot read an empty nn.Sequential: it has no layers")
    return layers


def _unreadable(layer, position, why=None):
    where = "the module" if position is None else f"layer {position} of the Sequential"
    subclass = next((f"a subclass of nn.{base.__name__}, whose forward may differ: "
                     for base in (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Sequential, nn.ReLU,
                                  nn.LeakyReLU, nn.Identity, nn.MultiheadAttention)
                     if isinstance(layer, base) and type(layer) is not base), "")
    return ValueError(f"cannot read {where}, a {type(layer).__name__}: {subclass}"
                      + (why or f"sage_conslaws.torch reads {READABLE}"))


def _split(layers, kinds):
    r"""
    Return the trained layers of ``layers`` (of the types ``kinds``) and the activation after each but the last.

    The activation between two trained layers is ``nn.ReLU``, an
    ``nn.LeakyReLU`` (its slope), or nothing (``nn.Identity`` or no layer):
    ``"relu"``, ``("leaky", s)`` or ``"linear"``.
    """
    trained, between = [], []
    pending = None
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    for position, (name, layer) in enumerate(layers):
        if type(layer) in kinds:
            if trained:
                between.append(pending or "linear")
            elif pending is not None:
                raise _unreadable(layer, position, "an activation before the first layer")
            trained.append((name, layer, position))
            pending = None
        elif _is(layer, nn.Identity):
            continue
        elif type(layer) in (nn.ReLU, nn.LeakyReLU):
            if pending is not None:
                raise _unreadable(layer, position, "two activations in a row")
            slope = getattr(layer, "negative_slope", 0.0)
            pending = "relu" if slope == 0 else ("linear" if slope == 1 else "leaky_relu")
        else:
            raise _unreadable(layer, position)
    if pending is not None:
        raise _unreadable(layers[-1][1], len(layers) - 1,
                          "an activation after the last layer (the output layer is linear)")
    if not trained:
        raise ValueError("cannot read a Sequential with no trained layer: it has no parameters")
    return trained, between


def _layered(layers, prefix):
    r"""
    Return the layered network of ``nn.Linear`` layers and their activations.
    """
    from sage_conslaws.models import LinearNetwork, MLP, ReLUNetwork
    trained, between = _split(layers, nn.Linear)
    widths = _chain(trained, "in_features", "out_features")
    bias = _hidden_bias(trained)
    if set(between) <= {"relu"} and between:
        model = ReLUNetwork(widths, bias=bias)
    elif set(between) <= {"linear"} and not bias:
        model = LinearNetwork(widths)
    else:
        model = MLP(widths, between, bias=bias)
    positions = {}
    for l, ((name, layer, _), (W, b, _)) in enumerate(zip(trained, model.layer_indices()), 1):
        positions[_tensor(prefix, name, "weight")] = torch.tensor(W).reshape(layer.weight.shape)
        if layer.bias is not None:
            positions[_tensor(prefix, name, "bias")] = (torch.tensor(b) if l < len(trained)
                                                 else torch.full(layer.bias.shape, -1))
    return model, positions


def _chain(trained, inputs, outputs):
    r"""
    Return the widths of consecutive layers, after checking that each takes what the previous gives.
    """
    widths = [getattr(trained[0][1], inputs)]
    for name, layer, position in trained:
        if getattr(layer, inputs) != widths[-1]:
            raise _unreadable(layer, position, f"it takes {getattr(layer, inputs)} inputs, "
                                               f"the layer before gives {widths[-1]}")
        widths.append(getattr(layer, outputs))
    return widths


def _hidden_bias(trained):
    r"""
    Return whether the hidden layers have biases: all of them or none (the output layer's is free).
    """
    hidden = [layer.bias is not None for _, layer, _ in trained[:-1]]
    if any(hidden) and not all(hidden):
        k = hidden.index(not hidden[0])
        raise _unreadable(trained[k][1], trained[k][2],
                          "the package's networks have biases on every hidden layer or on none")
    return bool(hidden) and hidden[0]


def _conv(layers, prefix, input_size):
    r"""
    Return the convolutional network of ``nn.Conv1d`` / ``nn.Conv2d`` layers.
    """
    from sage_conslaws.models.conv import ConvNetwork
    trained, between = _split(layers, (nn.Conv1d, nn.Conv2d))
    if len({type(layer) for _, layer, _ in trained}) > 1:
        raise ValueError("cannot read a Sequential that mixes nn.Conv1d and nn.Conv2d")
    if set(between) - {"relu", "linear"} or len(set(between)) > 1:
        raise ValueError("the package's convolutional networks have ReLU on every hidden "
                         f"layer or no activation, got {between}")
    axes = 1 if _is(trained[0][1], nn.Conv1d) else 2
    if input_size is None:
        raise ValueError("a convolutional network needs the size of its input: pass "
                         "input_size (an integer in 1-D, a pair in 2-D)")
    if (axes == 1) != isinstance(input_size, Integral):
        raise ValueError(f"the input size of nn.Conv{axes}d layers is "
                         f"{'an integer' if axes == 1 else 'a pair (height, width)'}, "
                         f"got {input_size!r}")
    channels = _chain(trained, "in_channels", "out_channels")
    settings = [_conv_settings(layer, position) for _, layer, position in trained]
    if len(set(settings)) > 1:
        k = next(k for k, s in enumerate(settings) if s != settings[0])
        raise _unreadable(trained[k][1], trained[k][2], "the package's convolutional networks "
                          "have one kernel size, stride and padding for all layers")
    kernel, stride, padding = settings[0]
    model = ConvNetwork(channels, kernel=kernel, size=input_size, stride=stride,
                        padding=padding, activation=between[0] if between else "relu",
                        bias=_hidden_bias(trained))
    index = _index_by_name(model)
    positions = {}
    for l, (name, layer, _) in enumerate(trained, 1):
        entries = [index[f"w{l}_{o}_{i}_" + "_".join(map(str, a))]
                   for o in range(layer.out_channels) for i in range(layer.in_channels)
                   for a in model.offsets()]
        positions[_tensor(prefix, name, "weight")] = torch.tensor(entries).reshape(layer.weight.shape)
        if layer.bias is not None:
            positions[_tensor(prefix, name, "bias")] = (
                torch.tensor([index[f"b{l}_{o}"] for o in range(layer.out_channels)])
                if l < len(trained) else torch.full(layer.bias.shape, -1))
    return model, positions


def _conv_settings(layer, position):
    r"""
    Return the kernel, stride and padding of a convolution, after checking what the package models.
    """
    if layer.groups != 1 or set(layer.dilation) != {1} or layer.padding_mode != "zeros":
        raise _unreadable(layer, position, "the package's convolutions have groups=1, "
                          "dilation=1 and zero padding")
    if isinstance(layer.padding, str):
        if layer.padding != "valid":
            raise _unreadable(layer, position, "give the padding as numbers, not 'same'")
        padding = (0,) * len(layer.kernel_size)
    else:
        padding = tuple(layer.padding)
    # one number when every axis has it: the model of the same network built by sizes
    return tuple(v[0] if len(set(v)) == 1 else tuple(v)
                 for v in (tuple(layer.kernel_size), tuple(layer.stride), padding))


def _resnet(layers, prefix):
    r"""
    Return the ResNet of residual two-layer ReLU blocks of one width and one hidden width.
    """
    from sage_conslaws.models.resnet import ResNet
    shapes = []
    for position, (name, layer) in enumerate(layers):
        if not _is(layer, Residual):
            raise _unreadable(layer, position, "a ResNet is a Sequential of Residual blocks "
                              "only (the stream between blocks has no activation)")
        block = layer.block
        parts = list(block) if _is(block, nn.Sequential) else []
        if (len(parts) != 3 or not _is(parts[0], nn.Linear)
                or type(parts[1]) is not nn.ReLU or not _is(parts[2], nn.Linear)
                or parts[2].bias is not None
                or parts[2].in_features != parts[0].out_features
                or parts[2].out_features != parts[0].in_features):
            raise _unreadable(layer, position, "a block of a ResNet is Residual(nn.Sequential("
                              "nn.Linear(w, h), nn.ReLU(), nn.Linear(h, w, bias=False)))")
        shapes.append((parts[0].in_features, parts[0].out_features, parts[0].bias is not None))
    if len(set(shapes)) > 1:
        k = next(k for k, s in enumerate(shapes) if s != shapes[0])
        raise _unreadable(layers[k][1], k, "the blocks of a ResNet have one width, one hidden "
                          "width, and biases in all blocks or none")
    w, h, bias = shapes[0]
    model = ResNet(w, h, len(layers), bias=bias)
    index = _index_by_name(model)
    positions = {}
    for b, (name, _) in enumerate(layers):
        base = f"{prefix}{name}.block."
        positions[base + "0.weight"] = _named(index, "V%d_{}_{}" % b, (h, w))
        if bias:
            positions[base + "0.bias"] = _named(index, "beta%d_{}" % b, (h,))
        positions[base + "2.weight"] = _named(index, "U%d_{}_{}" % b, (w, h))
    return model, positions


def _index_by_name(model):
    r"""
    Return the position of each parameter of ``model`` in `\theta`, by its name.
    """
    return {str(x): k for x, k in model.parameter_index().items()}


def _named(index, pattern, shape):
    r"""
    Return the positions of the parameters named ``pattern.format(i, j)`` for the entries of a tensor of ``shape``.
    """
    if len(shape) == 1:
        return torch.tensor([index[pattern.format(i)] for i in range(shape[0])])
    return torch.tensor([[index[pattern.format(i, j)] for j in range(shape[1])]
                         for i in range(shape[0])])


def _tensor(prefix, name, attribute):
    r"""
    Return the name of a tensor of a layer, as ``named_parameters`` gives it (``name`` empty: the module itself).
    """
    return prefix + (f"{name}." if name else "") + attribute


def _attention(layer, prefix):
    r"""
    Return the attention model of an ``nn.MultiheadAttention`` without biases.
    """
    from sage_conslaws.models.attention import Attention
    if (layer.in_proj_bias is not None or layer.out_proj.bias is not None
            or layer.bias_k is not None or layer.add_zero_attn):
        raise _unreadable(layer, None, "the package's attention has no biases: build it with "
                          "bias=False, add_bias_kv=False, add_zero_attn=False")
    if not layer._qkv_same_embed_dim:
        raise _unreadable(layer, None, "the package's attention is self-attention: kdim and "
                          "vdim must be embed_dim")
    if layer.dropout:
        raise _unreadable(layer, None, "dropout makes the steps random: build it with dropout=0")
    d, H = layer.embed_dim, layer.num_heads
    dh = d // H
    model = Attention(d, dh, dh, d, heads=H)
    index = _index_by_name(model)
    rows = []
    for letter in "QKV":
        for h in range(H):
            rows.append(_named(index, letter + "%d_{}_{}" % h, (dh, d)))
    out = torch.cat([_named(index, "O%d_{}_{}" % h, (d, dh)) for h in range(H)], dim=1)
    return model, {prefix + "in_proj_weight": torch.cat(rows), prefix + "out_proj.weight": out}


def _lora(layer, prefix):
    r"""
    Return the LoRA model of a :class:`~sage_conslaws.torch.modules.LoRALinear`.
    """
    from sage_conslaws.models.lora import LoRA
    if any(p.requires_grad for p in layer.base.parameters()):
        raise _unreadable(layer, None, "the base of a LoRA layer must be frozen "
                          "(requires_grad=False): the package's LoRA trains A and B only")
    r, n = layer.lora_A.shape
    m = layer.lora_B.shape[0]
    model = LoRA(n, r, m)
    index = _index_by_name(model)
    return model, {prefix + "lora_A": _named(index, "A_{}_{}", (r, n)),
                   prefix + "lora_B": _named(index, "B_{}_{}", (m, r))}
