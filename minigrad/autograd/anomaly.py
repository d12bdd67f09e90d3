"""Anomaly detection: find the forward operation whose backward produced NaN.

While it is on, every node remembers where in your code it was created, and the engine
checks each gradient for NaN; the error then names the node, and a warning shows the
forward call that created it, as PyTorch does.
"""

from __future__ import annotations

from typing import Any

from minigrad.autograd.grad_mode import _state


def is_anomaly_enabled() -> bool:
    return _state.anomaly


class detect_anomaly:  # noqa: N801 - torch's name
    """Context manager (and decorator) that turns anomaly detection on.

    >>> import minigrad
    >>> with minigrad.autograd.detect_anomaly():
    ...     minigrad.autograd.is_anomaly_enabled()
    True
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan

    def __enter__(self) -> None:
        self._previous = (_state.anomaly, _state.anomaly_check_nan)
        _state.anomaly, _state.anomaly_check_nan = True, self.check_nan

    def __exit__(self, *exc_info: Any) -> None:
        _state.anomaly, _state.anomaly_check_nan = self._previous

    def __call__(self, func: Any) -> Any:
        import functools

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper


class set_detect_anomaly(detect_anomaly):  # noqa: N801 - torch's name
    """Turn anomaly detection on or off: as a call, a context manager or a decorator."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self._previous = (_state.anomaly, _state.anomaly_check_nan)
        _state.anomaly, _state.anomaly_check_nan = bool(mode), check_nan

    def __enter__(self) -> None:
        pass
