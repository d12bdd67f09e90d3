"""``minigrad.nn.init``: fill tensors in place with initial weights, as ``torch.nn.init``.

The formulas (gains, fan-in and fan-out, bounds) are PyTorch's; the random numbers come from
minigrad's generator, so they differ from PyTorch's for the same seed.

>>> import minigrad
>>> from minigrad.nn import init
>>> w = minigrad.empty(3, 5)
>>> init.calculate_gain("relu")
1.4142135623730951
>>> bool((init.xavier_uniform_(w).abs() <= (6 / (3 + 5)) ** 0.5).all())
True
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from minigrad.autograd.grad_mode import no_grad
from minigrad.random import Generator, default_generator
from minigrad.tensor import Tensor

__all__ = [
    "calculate_gain",
    "constant_",
    "eye_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

_LINEAR_FNS = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
)


def _fill(tensor: Tensor, values: Any) -> Tensor:
    """Write ``values`` into ``tensor`` without recording it (as ``torch.no_grad()``)."""
    with no_grad():
        return tensor.copy_(np.asarray(values, dtype=tensor._data.dtype))


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity (1 for linear and sigmoid, √2 for relu, ...).

    >>> from minigrad.nn.init import calculate_gain
    >>> calculate_gain("tanh")
    1.6666666666666667
    """
    if nonlinearity in _LINEAR_FNS or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif (not isinstance(param, bool) and isinstance(param, int)) or isinstance(param, float):
            negative_slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def uniform_(
    tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Generator | None = None
) -> Tensor:
    """Fill with values drawn uniformly from [a, b).

    >>> import minigrad
    >>> w = minigrad.nn.init.uniform_(minigrad.empty(4), -1, 1)
    >>> bool(((w >= -1) & (w < 1)).all())
    True
    """
    return _fill(tensor, (generator or default_generator).uniform(a, b, tensor._data.shape))


def normal_(
    tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Generator | None = None
) -> Tensor:
    """Fill with values drawn from the normal distribution N(mean, std²).

    >>> import minigrad
    >>> minigrad.nn.init.normal_(minigrad.empty(2, 3)).shape
    torch.Size([2, 3])
    """
    return _fill(tensor, (generator or default_generator).normal(mean, std, tensor._data.shape))


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with one value.

    >>> import minigrad
    >>> minigrad.nn.init.constant_(minigrad.empty(3), 0.5)
    tensor([0.5000, 0.5000, 0.5000])
    """
    return _fill(tensor, np.full(tensor._data.shape, val))


def ones_(tensor: Tensor) -> Tensor:
    """Fill with ones.

    >>> import minigrad
    >>> minigrad.nn.init.ones_(minigrad.empty(2))
    tensor([1., 1.])
    """
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with zeros.

    >>> import minigrad
    >>> minigrad.nn.init.zeros_(minigrad.ones(2))
    tensor([0., 0.])
    """
    return constant_(tensor, 0.0)


def eye_(tensor: Tensor) -> Tensor:
    """Fill a matrix with the identity (ones on the diagonal).

    >>> import minigrad
    >>> minigrad.nn.init.eye_(minigrad.empty(2, 3))
    tensor([[1., 0., 0.],
            [0., 1., 0.]])
    """
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    return _fill(tensor, np.eye(*tensor._data.shape))


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight: (inputs, outputs) times the receptive field size."""
    if tensor.dim() < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    receptive_field_size = 1
    for s in tensor.shape[2:]:
        receptive_field_size *= s
    return tensor.size(1) * receptive_field_size, tensor.size(0) * receptive_field_size


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    valid_modes = ["fan_in", "fan_out"]
    if mode not in valid_modes:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid_modes}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def xavier_uniform_(
    tensor: Tensor, gain: float = 1.0, generator: Generator | None = None
) -> Tensor:
    """Glorot uniform: U(-a, a) with a = gain · √(6 / (fan_in + fan_out)).

    >>> import minigrad
    >>> w = minigrad.nn.init.xavier_uniform_(minigrad.empty(3, 5))
    >>> bool((w.abs() <= (6 / 8) ** 0.5).all())
    True
    """
    a = math.sqrt(3.0) * _xavier_std(tensor, gain)
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Generator | None = None) -> Tensor:
    """Glorot normal: N(0, std²) with std = gain · √(2 / (fan_in + fan_out)).

    >>> import minigrad
    >>> minigrad.nn.init.xavier_normal_(minigrad.empty(3, 5)).shape
    torch.Size([3, 5])
    """
    return normal_(tensor, 0.0, _xavier_std(tensor, gain), generator)


def _xavier_std(tensor: Tensor, gain: float) -> float:
    """gain · √(2 / (fan_in + fan_out)): the standard deviation of both Glorot initializations."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return gain * math.sqrt(2.0 / float(fan_in + fan_out))


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Generator | None = None,
) -> Tensor:
    """He uniform: U(-bound, bound) with bound = gain · √(3 / fan); ``nn.Linear`` uses a=√5.

    >>> import math, minigrad
    >>> w = minigrad.nn.init.kaiming_uniform_(minigrad.empty(4, 9), a=math.sqrt(5))
    >>> bool((w.abs() <= 1 / 3).all())  # bound = 1/sqrt(fan_in) when a = sqrt(5)
    True
    """
    if _no_elements(tensor):
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Generator | None = None,
) -> Tensor:
    """He normal: N(0, std²) with std = gain / √fan.

    >>> import minigrad
    >>> minigrad.nn.init.kaiming_normal_(minigrad.empty(4, 9), nonlinearity="relu").shape
    torch.Size([4, 9])
    """
    if _no_elements(tensor):
        return tensor
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)


def _no_elements(tensor: Tensor) -> bool:
    """True, with torch's warning, for a tensor of no elements: the He initializations skip it."""
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", UserWarning, stacklevel=3)
        return True
    return False


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    """gain / √fan: the standard deviation of both He initializations."""
    fan = _calculate_correct_fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    return gain / math.sqrt(fan)
