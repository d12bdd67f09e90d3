"""Inference mode: ``no_grad``, and the tensors made inside it are *inference tensors*.

As in PyTorch, an inference tensor (``t.is_inference()``) may be read by recorded operations,
but never saved for backward, never changed in place outside inference mode, and never made
to require grad there: an inference tensor has no version counter that would catch it.
Here an inference tensor's version counter is an ``InferenceVersionCounter``: its type is the
mark (views share it, so they are inference tensors too); ``saved.py``, ``ops/indexing.py``,
``creation.py`` and ``Tensor.requires_grad_`` read it.

The tensors that operations make inside inference mode are marked by the hook that
``Function.apply`` calls after each operation (the one forward-mode AD uses too: the previous
hook, if any, is called after the mark).
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from typing import Any

from minigrad._messages import INFERENCE_INPLACE
from minigrad.autograd import function as _function
from minigrad.autograd.grad_mode import _state
from minigrad.autograd.graph import InferenceVersionCounter
from minigrad.tensor import Tensor


def is_inference_mode_enabled() -> bool:
    """True inside ``inference_mode()``.

    >>> import minigrad
    >>> with minigrad.inference_mode():
    ...     minigrad.is_inference_mode_enabled(), minigrad.is_grad_enabled()
    (True, False)
    """
    return _state.inference


def check_inplace(tensor: Tensor) -> None:
    """An inference tensor is changed in place only inside inference mode."""
    if type(tensor._vc) is InferenceVersionCounter and not _state.inference:
        raise RuntimeError(INFERENCE_INPLACE)


class inference_mode:  # noqa: N801 - torch's name
    """Like ``no_grad``, and faster in PyTorch: tensors made inside are inference tensors,
    which autograd may never save. A context manager and a decorator (with or without
    parentheses); ``inference_mode(False)`` turns it off (and recording on) inside.

    >>> import minigrad
    >>> x = minigrad.ones(2, requires_grad=True)
    >>> with minigrad.inference_mode():
    ...     y = x * 2
    >>> y.requires_grad, y.is_inference()
    (False, True)
    >>> (x * y).sum().backward()
    Traceback (most recent call last):
    ...
    RuntimeError: Inference tensors cannot be saved for backward. Please do not use Tensors created in inference mode in computation tracked by autograd. To work around this, you can make a clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of `torch.inference_mode()`.
    """  # noqa: E501

    def __new__(cls, mode: Any = True) -> Any:
        if isinstance(mode, types.FunctionType):  # @inference_mode, without parentheses
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode: bool = True) -> None:
        self.mode = bool(mode)
        self._previous: list[tuple[bool, bool, Any]] = []

    def __enter__(self) -> None:
        self._previous.append((_state.enabled, _state.inference, _function._forward_ad_hook))
        _state.enabled, _state.inference = not self.mode, self.mode
        if self.mode:
            _function._forward_ad_hook = _marking_hook(_function._forward_ad_hook)

    def __exit__(self, *exc_info: object) -> None:
        _state.enabled, _state.inference, _function._forward_ad_hook = self._previous.pop()

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        mode = self.mode

        @functools.wraps(func)
        def decorated(*args: Any, **kwargs: Any) -> Any:
            with inference_mode(mode):
                return func(*args, **kwargs)

        return decorated

    def clone(self) -> inference_mode:
        """A new context manager of the same mode (as torch's)."""
        return inference_mode(self.mode)


def _marking_hook(previous: Callable[..., None] | None) -> Callable[..., None]:
    """The hook ``Function.apply`` calls after each operation while inference mode is on."""

    def mark_outputs(cls: type, args: tuple[Any, ...], outputs: tuple[Any, ...]) -> None:
        if _state.inference:  # (the switch is per thread; the hook is shared)
            for output in outputs:
                if isinstance(output, Tensor) and output._vc is None:  # (not a normal's view)
                    output._vc = InferenceVersionCounter()
        if previous is not None:
            previous(cls, args, outputs)

    return mark_outputs
