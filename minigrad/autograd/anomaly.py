"""Anomaly detection: find the forward operation whose backward produced NaN.

While it is on, every node remembers where in your code it was created (the call stack
of the forward operation), and the engine checks each gradient a node returns for NaN.
The first NaN stops the backward pass: a warning shows the forward call that created the
node, and the error names the node, as PyTorch does (any other error raised by the node's
backward is preceded by the same warning: ``call_reporting_errors``)::

    UserWarning: Error detected in SqrtBackward0. Traceback of forward call that caused
    the error: ...
    RuntimeError: Function 'SqrtBackward0' returned nan values in its 0th output.

As in PyTorch, the switch is one for the whole process (not one per thread, unlike the
grad mode), and it slows everything down: turn it on to find a NaN, then off again.
"""

from __future__ import annotations

import os
import traceback
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from minigrad.autograd.grad_mode import _GradState

if TYPE_CHECKING:
    from minigrad.autograd.graph import Node

_ENABLED_WARNING = (
    "Anomaly Detection has been enabled. This mode will increase the runtime and should only "
    "be enabled for debugging."
)
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _set(enabled: bool, check_nan: bool) -> None:
    # Set on the class, not on this thread's state object: every thread reads the class
    # attribute (no thread ever sets its own), so the switch is process-wide, as in PyTorch.
    _GradState.anomaly = bool(enabled)
    _GradState.anomaly_check_nan = bool(check_nan)


def is_anomaly_enabled() -> bool:
    """True while anomaly detection is on.

    >>> import minigrad
    >>> minigrad.autograd.is_anomaly_enabled()
    False
    """
    return _GradState.anomaly


def is_anomaly_check_nan_enabled() -> bool:
    """True while anomaly detection also checks the gradients for NaN (the default).

    >>> import minigrad
    >>> with minigrad.autograd.set_detect_anomaly(True, check_nan=False):
    ...     minigrad.autograd.anomaly.is_anomaly_check_nan_enabled()
    False
    """
    return _GradState.anomaly_check_nan


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    """Turn anomaly detection on or off (``torch.set_anomaly_enabled``).

    >>> import minigrad
    >>> from minigrad.autograd.anomaly import set_anomaly_enabled
    >>> set_anomaly_enabled(True)
    >>> minigrad.autograd.is_anomaly_enabled()
    True
    >>> set_anomaly_enabled(False)
    """
    _set(enabled, check_nan)


class detect_anomaly:  # noqa: N801 - torch's name
    """Context manager that turns anomaly detection on, with a warning (as in PyTorch, it is
    not a decorator).

    >>> import minigrad, warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     with minigrad.autograd.detect_anomaly():
    ...         minigrad.autograd.is_anomaly_enabled()
    True
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.prev = is_anomaly_enabled()
        self.check_nan = check_nan
        self.prev_check_nan = is_anomaly_check_nan_enabled()
        warnings.warn(_ENABLED_WARNING, UserWarning, stacklevel=2)

    def __enter__(self) -> None:
        _set(True, self.check_nan)

    def __exit__(self, *exc_info: object) -> None:
        _set(self.prev, self.prev_check_nan)


class set_detect_anomaly:  # noqa: N801 - torch's name
    """Turn anomaly detection on or off: as a call or as a context manager.

    Called on its own it switches at once (and stays switched); used with ``with`` the
    previous setting comes back at the end of the block.

    >>> import minigrad
    >>> with minigrad.autograd.set_detect_anomaly(True):
    ...     minigrad.autograd.is_anomaly_enabled()
    True
    >>> minigrad.autograd.is_anomaly_enabled()
    False
    """

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = is_anomaly_enabled()
        self.prev_check_nan = is_anomaly_check_nan_enabled()
        _set(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc_info: object) -> None:
        _set(self.prev, self.prev_check_nan)


def _forward_trace() -> str:
    """The call stack of the forward operation being recorded, without minigrad's own frames.

    Called while a node is recorded: the frames at the end of the stack are minigrad's
    (``Function.apply`` and the method that called it); the trace ends at your line.
    """
    frames = traceback.extract_stack()
    while frames and os.path.abspath(frames[-1].filename).startswith(_PACKAGE + os.sep):
        frames.pop()
    return "".join(traceback.format_list(frames))


def check_for_nan(node: Node, index: int, grad: Any) -> None:
    """The engine's check, in anomaly mode, of each gradient a node returns."""
    if np.isnan(grad._data).any():
        raise _nan_error(node, index)  # after a warning that shows where node was created


def _nan_error(node: Node, index: int) -> RuntimeError:
    """PyTorch's NaN error for ``node`` (``call_reporting_errors`` warns where it was made)."""
    return RuntimeError(f"Function '{node.name()}' returned nan values in its {index}th output.")


def call_reporting_errors(
    call: Callable[[Node, list[Any], bool], list[Any]], node: Node, grads: list[Any], check: bool
) -> list[Any]:
    """``call(node, grads, check)`` for a node made in anomaly mode: any error its backward
    raises (NaN, a wrong shape, your own exception) is preceded, as in PyTorch, by a warning
    that shows the forward call that made the node."""
    try:
        return call(node, grads, check)
    except Exception:
        if _GradState.anomaly:
            warnings.warn(
                f"Error detected in {node.name()}. Traceback of forward call that caused the "
                f"error:\n{node._anomaly_trace}",
                UserWarning,
                stacklevel=4,
            )
        raise
