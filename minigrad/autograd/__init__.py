"""``minigrad.autograd``: backward, grad, Function, grad modes, anomaly detection, and the
legacy ``Variable``."""

from __future__ import annotations

from minigrad.autograd.anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from minigrad.autograd.engine import backward, grad
from minigrad.autograd.function import BackwardFunction, Function
from minigrad.autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from minigrad.autograd.graph import Node
from minigrad.autograd.inference_mode import inference_mode

__all__ = [
    "BackwardFunction",
    "Function",
    "Node",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "forward_ad",
    "functional",
    "grad",
    "graph",
    "gradcheck",
    "gradgradcheck",
    "inference_mode",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "set_detect_anomaly",
    "set_grad_enabled",
    "Variable",
]


# These modules need Tensor, which is defined after this package: import them last.
from minigrad.autograd import forward_ad, functional  # noqa: E402
from minigrad.autograd.gradcheck import gradcheck, gradgradcheck  # noqa: E402
from minigrad.autograd.variable import Variable  # noqa: E402
