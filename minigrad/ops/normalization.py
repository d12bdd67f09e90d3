"""Batch normalization, with its own backward node (``NativeBatchNormBackward0``).

Over the batch and length dimensions (every dimension but the channels, dim 1)::

    y = (x - mean) / sqrt(var + eps) * weight + bias

In training, mean and var are the batch's own (var biased: divided by n), and the running
statistics, when given, move towards them: ``running = (1 - momentum) * running + momentum
* stat``, with the unbiased variance (divided by n - 1). In evaluation the running
statistics normalize instead.
"""

from __future__ import annotations

import numpy as np

from minigrad.autograd.function import Function
from minigrad.tensor import Tensor


def _channel_shape(x: Tensor) -> tuple[int, ...]:
    """(1, C, 1, ...): a per-channel value broadcast against x."""
    return (1, x._data.shape[1]) + (1,) * (x._data.ndim - 2)


def _reduced_dims(x: Tensor) -> tuple[int, ...]:
    """Every dimension but the channels."""
    return (0, *range(2, x._data.ndim))


# Stands for a missing weight or bias: a tensor input, so the node has an edge for it.
ABSENT = Tensor._make(np.zeros(0, dtype=np.float32))


class BatchNorm(Function):
    """y = x̂ w + b with x̂ = (x - mean) / sqrt(var + eps), per channel.

    Derivatives, with g = dL/dy · w and means over the n values of a channel::

        training:   dL/dx = (g - mean(g) - x̂ mean(g x̂)) / sqrt(var + eps)
        evaluation: dL/dx = g / sqrt(running_var + eps)
        dL/dw = sum(dL/dy · x̂),  dL/db = sum(dL/dy)

    The running statistics are constants (no edge), as in PyTorch; a missing weight or bias
    is ``ABSENT`` (an edge to nothing, as PyTorch's node has).
    """

    node_name = "NativeBatchNormBackward0"
    saved_names = ("input", "weight")

    @staticmethod
    def forward(ctx, x, weight, bias, running, training, momentum, eps):
        running_mean, running_var = running
        weight = None if weight is ABSENT else weight
        bias = None if bias is ABSENT else bias
        data = x._data
        dims = _reduced_dims(x)
        shape = _channel_shape(x)
        if training:
            wide = data.astype(np.float64)  # statistics accumulated in double, as torch's CPU
            mean = wide.mean(axis=dims)
            var = wide.var(axis=dims)
            if running_mean is not None:
                count = data.size // data.shape[1]
                unbiased = var * count / max(count - 1, 1)
                rm, rv = running_mean._data, running_var._data
                rm[...] = (1 - momentum) * rm + momentum * mean
                rv[...] = (1 - momentum) * rv + momentum * unbiased
                running_mean._version_counter.value += 1
                running_var._version_counter.value += 1
        else:
            mean = running_mean._data.astype(np.float64)
            var = running_var._data.astype(np.float64)
        invstd = 1.0 / np.sqrt(var + eps)
        ctx.training, ctx.eps, ctx.invstd = training, eps, invstd.astype(data.dtype)
        ctx.mean = mean.astype(data.dtype)
        ctx.save_for_backward(x, weight)
        normalized = (data - mean.reshape(shape)) * invstd.reshape(shape)
        if weight is not None:
            normalized = normalized * weight._data.reshape(shape)
        if bias is not None:
            normalized = normalized + bias._data.reshape(shape)
        return np.asarray(normalized, dtype=data.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        weight = None if weight is ABSENT else weight
        dims = _reduced_dims(x)
        shape = _channel_shape(x)
        if ctx.training:
            # The statistics again, as tensor operations of x: derivatives of any order follow.
            mean = x.mean(dims, keepdim=True)
            centered = x - mean
            invstd = ((centered * centered).mean(dims, keepdim=True) + ctx.eps).pow(-0.5)
        else:
            mean = Tensor._make(ctx.mean.reshape(shape))
            centered = x - mean
            invstd = Tensor._make(ctx.invstd.reshape(shape))
        normalized = centered * invstd
        g = grad if weight is None else grad * weight.reshape(shape)
        grad_x = None
        if ctx.needs_input_grad[0]:
            if ctx.training:
                grad_x = invstd * (
                    g
                    - g.mean(dims, keepdim=True)
                    - normalized * (g * normalized).mean(dims, keepdim=True)
                )
            else:
                grad_x = g * invstd
        grad_weight = (grad * normalized).sum(dims) if ctx.needs_input_grad[1] else None
        grad_bias = grad.sum(dims) if ctx.needs_input_grad[2] else None
        return grad_x, grad_weight, grad_bias
