"""Devices: where a tensor's memory lives. minigrad has one, the CPU.

``minigrad.device`` parses and prints device names as ``torch.device`` does, so a lesson's
``device = "cuda" if torch.cuda.is_available() else "cpu"`` runs unchanged. Asking for
any other device gives the error a CPU-only build of PyTorch gives.

>>> import minigrad
>>> minigrad.device("cpu")
device(type='cpu')
>>> minigrad.zeros(2, device="cpu").device
device(type='cpu')
"""

from __future__ import annotations

import re
from typing import Any

# The device types torch knows, in the order its error message lists them.
DEVICE_TYPES = (
    "cpu cuda ipu xpu mkldnn opengl opencl ideep hip ve fpga maia xla lazy vulkan mps meta hpu "
    "mtia privateuseone"
).split()

_DEVICE_STRING = re.compile(r"([a-zA-Z_]+)(?::(0|[1-9][0-9]*))?")
_NO_ACCELERATOR = "Cannot access accelerator device when none is available."
# The devices torch builds a separate library for: a CPU-only build says it was not compiled
# with them (an AssertionError, as in PyTorch).
_COMPILED_WITH = {"cuda": "CUDA", "xpu": "XPU"}


class device:  # noqa: N801 - named as torch.device
    """A device: its ``type`` ('cpu', 'cuda', ...) and ``index`` (None when not given).

    Made from a string (``"cpu"``, ``"cuda:0"``), a type and an index, or another device.
    Two devices are equal when type and index are; a device never equals a string.

    >>> import minigrad
    >>> minigrad.device("cpu", 0)
    device(type='cpu', index=0)
    >>> str(minigrad.device("cuda:1")), minigrad.device("cpu").type
    ('cuda:1', 'cpu')
    """

    __slots__ = ("type", "index")

    def __init__(self, type: Any, index: int | None = None) -> None:  # noqa: A002 - torch's name
        if isinstance(type, device):
            type, index = type.type, type.index  # noqa: A001
        elif isinstance(type, int) and not isinstance(type, bool):
            raise RuntimeError(_NO_ACCELERATOR)
        elif not isinstance(type, str):
            raise TypeError(
                f"device() received an invalid combination of arguments - got "
                f"({_type_name(type)}), but expected one of:\n * (torch.device device)\n"
                f"      didn't match because some of the arguments have invalid types: "
                f"(!{_type_name(type)}!)\n * (str type, int index = -1)\n"
            )
        else:
            type, index = _parse(type, index)  # noqa: A001
        self.type = type
        self.index = index

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, device):
            return False
        return self.type == other.type and self.index == other.index

    def __hash__(self) -> int:
        return hash((self.type, self.index))


def _type_name(value: Any) -> str:
    return type(value).__name__


def _parse(text: str, index: Any) -> tuple[str, int | None]:
    """The type and index in a device string such as ``"cuda:0"``, with torch's errors."""
    match = _DEVICE_STRING.fullmatch(text)
    if match is None:
        raise RuntimeError(f"Invalid device string: '{text}'")
    kind, written = match.group(1), match.group(2)
    if kind not in DEVICE_TYPES:
        raise RuntimeError(
            f"Expected one of {', '.join(DEVICE_TYPES)} device type at start of device string: "
            f"{text}"
        )
    if index is not None:
        if not isinstance(index, int) or isinstance(index, bool):
            raise TypeError(
                f"device(): argument 'index' (position 2) must be int, not {_type_name(index)}"
            )
        if written is not None:
            raise RuntimeError(
                "type (string) must not include an index because index was passed explicitly: "
                f"{text}"
            )
        if index < 0:
            raise RuntimeError("Device index must not be negative")
        return kind, index
    return kind, None if written is None else int(written)


CPU = device("cpu")
_default = CPU


def unavailable_error(wanted: device) -> Exception:
    """The error for a device minigrad does not have: PyTorch's, from a CPU-only build."""
    if wanted.type in _COMPILED_WITH:
        return AssertionError(f"Torch not compiled with {_COMPILED_WITH[wanted.type]} enabled")
    return RuntimeError(f"PyTorch is not linked with support for {wanted.type} devices")


def cuda_error(index: Any = None) -> Exception:
    """The error of ``.cuda()`` (``.cuda(0)`` asks for an accelerator by number)."""
    if isinstance(index, int) and not isinstance(index, bool):
        return RuntimeError(_NO_ACCELERATOR)
    return unavailable_error(device("cuda"))


def as_device(value: Any, function: str = "") -> device:
    """``value`` (a string, a device, or None for the default device) as an available device.

    ``function`` names the caller in the error for a value of the wrong type, as in PyTorch
    (``zeros(): argument 'device' must be torch.device, not list``).

    >>> as_device("cpu:0")
    device(type='cpu', index=0)
    """
    if value is None:
        value = _default
    elif isinstance(value, str):
        value = device(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        raise RuntimeError(_NO_ACCELERATOR)
    elif not isinstance(value, device):
        raise TypeError(
            f"{function}(): argument 'device' must be torch.device, not {_type_name(value)}"
        )
    if value.type != "cpu":
        raise unavailable_error(value)
    return value


def set_default_device(value: Any) -> None:
    """Make ``value`` the device of new tensors (None: the CPU again).

    As in PyTorch, any known device type is accepted here; making a tensor on one minigrad
    does not have raises PyTorch's error then.

    >>> import minigrad
    >>> minigrad.set_default_device("cpu")
    >>> minigrad.get_default_device()
    device(type='cpu')
    """
    global _default
    _default = CPU if value is None else device(value)


def get_default_device() -> device:
    """The device new tensors are made on: ``device(type='cpu')`` unless changed.

    >>> import minigrad
    >>> minigrad.get_default_device()
    device(type='cpu')
    """
    if _default.type != "cpu":
        raise unavailable_error(_default)
    return CPU if _default.index is None else _default
