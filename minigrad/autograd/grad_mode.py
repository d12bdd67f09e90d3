"""Grad modes: whether operations are recorded in the graph.

The switch is thread-local, as in PyTorch: ``no_grad`` in one thread leaves the others
recording. Each class works as a context manager and as a decorator.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable
from typing import Any, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])


class _GradState(threading.local):
    # Anomaly detection is process-wide, as in PyTorch: set on the class, read from it.
    anomaly = False
    anomaly_check_nan = True

    def __init__(self) -> None:
        # Per thread (threading.local runs __init__ once in each thread) rather than a class
        # default: every operation reads it, and a thread-local finds its own attribute about
        # twice as fast as a class default.
        self.enabled = True
        self.inference = False  # inside inference_mode (see inference_mode.py)
        # The nodes the running backward pass will execute (for register_multi_grad_hook).
        self.nodes_to_run: Any = None


_state = _GradState()


def is_grad_enabled() -> bool:
    """True when new operations are recorded for backward.

    >>> import minigrad
    >>> with minigrad.no_grad():
    ...     minigrad.is_grad_enabled()
    False
    """
    return _state.enabled


class _GradModeContext:
    """Base of the grad-mode switches: sets a mode on entry, restores the previous one on exit."""

    _mode: bool

    def __enter__(self) -> None:
        self._previous = _state.enabled
        _state.enabled = self._mode

    def __exit__(self, *exc_info: object) -> None:
        _state.enabled = self._previous

    def __call__(self, func: _F) -> _F:
        mode = self._mode
        if inspect.isgeneratorfunction(func):
            return _generator_in_mode(func, mode)  # type: ignore[return-value]

        @functools.wraps(func)
        def decorated(*args: Any, **kwargs: Any) -> Any:
            previous = _state.enabled
            _state.enabled = mode
            try:
                return func(*args, **kwargs)
            finally:
                _state.enabled = previous

        return decorated  # type: ignore[return-value]


def _generator_in_mode(func: Callable[..., Any], mode: bool) -> Callable[..., Any]:
    """A generator function whose every step runs in grad mode ``mode``, as torch's decorators
    do: between the steps (while the caller has the value), the caller's mode is back."""

    @functools.wraps(func)
    def generator(*args: Any, **kwargs: Any) -> Any:
        steps = func(*args, **kwargs)
        send, value = steps.send, None
        while True:
            previous, _state.enabled = _state.enabled, mode
            try:
                response = send(value)
            except StopIteration as stop:
                return stop.value
            finally:
                _state.enabled = previous
            try:
                send, value = steps.send, (yield response)
            except GeneratorExit:
                steps.close()
                raise
            except BaseException as error:  # thrown in by the caller: passed on to the steps
                send, value = steps.throw, error

    return generator


class no_grad(_GradModeContext):  # noqa: N801 - torch's name
    """Do not record operations: results have ``requires_grad=False``.

    >>> import minigrad
    >>> w = minigrad.ones(3, requires_grad=True)
    >>> with minigrad.no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """

    _mode = False


class enable_grad(_GradModeContext):  # noqa: N801 - torch's name
    """Record operations again, inside a ``no_grad`` block.

    >>> import minigrad
    >>> w = minigrad.ones(3, requires_grad=True)
    >>> with minigrad.no_grad():
    ...     with minigrad.enable_grad():
    ...         y = w * 2
    >>> y.requires_grad
    True
    """

    _mode = True


class set_grad_enabled(_GradModeContext):  # noqa: N801 - torch's name
    """Turn recording on or off: as a call, a context manager or a decorator.

    >>> import minigrad
    >>> w = minigrad.ones(3, requires_grad=True)
    >>> with minigrad.set_grad_enabled(False):
    ...     (w * 2).requires_grad
    False
    """

    def __init__(self, mode: bool) -> None:
        # Like torch, calling it (without `with`) switches the mode at once.
        self._previous = _state.enabled
        self._mode = bool(mode)
        _state.enabled = self._mode

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc_info: object) -> None:
        _state.enabled = self._previous

    def __call__(self, func: _F) -> _F:
        # Used as a decorator, the switch made by __init__ is undone until the call.
        _state.enabled = self._previous
        return super().__call__(func)
