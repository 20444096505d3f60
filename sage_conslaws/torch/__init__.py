r"""
The bridge to PyTorch: the laws of an ``nn.Module``, watched in its own training loop

- :func:`~sage_conslaws.torch.architecture.architecture_of`: the package's
  model of a module, and where its parameters sit in the module's tensors;
- :class:`~sage_conslaws.torch.monitor.LawMonitor`: the proven laws evaluated
  on the live parameters, their drift against what the optimizer explains,
  figures and a report;
- :class:`~sage_conslaws.torch.modules.Residual` and
  :class:`~sage_conslaws.torch.modules.LoRALinear`: the two layers PyTorch
  does not have.

This subpackage is the only part of the package that imports torch (the
``[torch]`` extra).

EXAMPLES::

    >>> import sage_conslaws.torch
    >>> sorted(sage_conslaws.torch.__all__)
    ['LawMonitor', 'LoRALinear', 'ParameterMap', 'Residual', 'architecture_of']
"""
try:
    import torch  # noqa: F401
except ImportError:  # pragma: no cover - depends on the install
    raise ImportError("sage_conslaws.torch needs PyTorch: pip install 'sage-conslaws[torch]'") from None

from sage_conslaws.torch.architecture import ParameterMap, architecture_of
from sage_conslaws.torch.modules import LoRALinear, Residual
from sage_conslaws.torch.monitor import LawMonitor

__all__ = ["LawMonitor", "LoRALinear", "ParameterMap", "Residual", "architecture_of"]
