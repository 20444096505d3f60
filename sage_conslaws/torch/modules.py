r"""
The layers that PyTorch does not have: a residual wrapper and a LoRA adapter

:func:`~sage_conslaws.torch.architecture.architecture_of` reads these two as
the package's :class:`~sage_conslaws.models.resnet.Residual` /
:class:`~sage_conslaws.models.resnet.ResNet` and
:class:`~sage_conslaws.models.lora.LoRA`. They are plain ``nn.Module``
subclasses, to use in a training script as any other layer.

EXAMPLES::

    >>> import torch
    >>> from sage_conslaws.torch import LoRALinear, Residual
    >>> block = Residual(torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.ReLU(),
    ...                                      torch.nn.Linear(5, 3, bias=False)))
    >>> block(torch.zeros(2, 3)).shape
    torch.Size([2, 3])
    >>> LoRALinear(4, 2, 3)(torch.zeros(5, 4)).shape
    torch.Size([5, 3])
"""
import torch
from torch import nn


class Residual(nn.Module):
    r"""
    The residual block `x \mapsto x + g(x)` of a module `g`.

    INPUT:

    - ``block`` -- the module `g`, whose outputs have the size of its inputs

    EXAMPLES::

        >>> import torch
        >>> from sage_conslaws.torch import Residual
        >>> r = Residual(torch.nn.Linear(2, 2, bias=False))
        >>> with torch.no_grad():
        ...     _ = r.block.weight.copy_(torch.eye(2))
        >>> r(torch.ones(1, 2)).tolist()
        [[2.0, 2.0]]

    TESTS::

        >>> Residual("not a module")
        Traceback (most recent call last):
        ...
        TypeError: a residual block wraps a torch module, got 'not a module'
    """

    def __init__(self, block):
        if not isinstance(block, nn.Module):
            raise TypeError(f"a residual block wraps a torch module, got {block!r}")
        super().__init__()
        self.block = block

    def forward(self, x):
        r"""
        Return `x + g(x)`.
        """
        return x + self.block(x)


class LoRALinear(nn.Module):
    r"""
    A linear layer `x \mapsto (W_0 + BA)x` with `W_0` frozen and a trained adapter `B A` of rank `r`.

    ``base`` is an ``nn.Linear`` whose parameters do not train; ``lora_A``
    (`r \times n`) and ``lora_B`` (`m \times r`) do. ``lora_B`` starts at
    zero, as in [HU2021]_, so the layer starts as its base.

    INPUT:

    - ``inputs`` -- the number `n` of inputs
    - ``rank`` -- the rank `r` of the adapter
    - ``outputs`` -- the number `m` of outputs
    - ``base`` -- (default: a new ``nn.Linear(inputs, outputs)``) the frozen layer

    EXAMPLES::

        >>> from sage_conslaws.torch import LoRALinear
        >>> layer = LoRALinear(4, 2, 3)
        >>> [name for name, p in layer.named_parameters() if p.requires_grad]
        ['lora_A', 'lora_B']
        >>> float(layer.lora_B.detach().abs().max())
        0.0

    TESTS::

        >>> import torch
        >>> LoRALinear(4, 2, 3, base=torch.nn.Linear(3, 3))
        Traceback (most recent call last):
        ...
        ValueError: the base of a LoRA layer with 4 inputs and 3 outputs must be nn.Linear(4, 3), got Linear(in_features=3, out_features=3, bias=True)
    """

    def __init__(self, inputs, rank, outputs, base=None):
        super().__init__()
        base = nn.Linear(inputs, outputs) if base is None else base
        if (not isinstance(base, nn.Linear) or base.in_features != inputs
                or base.out_features != outputs):
            raise ValueError(f"the base of a LoRA layer with {inputs} inputs and {outputs} "
                             f"outputs must be nn.Linear({inputs}, {outputs}), got {base}")
        for p in base.parameters():
            p.requires_grad_(False)
        self.base = base
        self.lora_A = nn.Parameter(torch.randn(rank, inputs) / inputs ** 0.5)
        self.lora_B = nn.Parameter(torch.zeros(outputs, rank))

    def forward(self, x):
        r"""
        Return `W_0 x + B A x` (and the bias of the base), for a batch of rows `x`.
        """
        return self.base(x) + x @ self.lora_A.T @ self.lora_B.T
