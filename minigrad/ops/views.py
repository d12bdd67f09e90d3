"""In-place changes through a view: the base tensor's history is rewritten, as in PyTorch.

A view (``row = base[0]``) shares memory with its base. When a recorded in-place operation
changes the view, the base changes too, so the base gets a new node, ``CopySlices``: its
gradient is the incoming one with the view's region cut out for the old base, and the
region itself for the new values. The view then becomes a view of the new base
(``AsStridedBackward0``). A view is located in its base's memory by its geometry:
shape, strides and offset, exactly what NumPy (and PyTorch's ``as_strided``) use.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from minigrad.autograd.function import Function
from minigrad.tensor import Tensor


class Geometry(NamedTuple):
    """Where a view lies in its base: shape and strides in elements, offset in elements."""

    shape: tuple[int, ...]
    strides: tuple[int, ...]
    offset: int


def geometry_of(view: np.ndarray, base: np.ndarray) -> Geometry | None:
    """The view's geometry inside a contiguous base, or None when it cannot be described."""
    if not base.flags.c_contiguous:
        return None
    item = base.itemsize
    offset = view.__array_interface__["data"][0] - base.__array_interface__["data"][0]
    if offset % item or any(s % item for s in view.strides):
        return None
    return Geometry(view.shape, tuple(s // item for s in view.strides), offset // item)


def region(array: np.ndarray, geometry: Geometry) -> np.ndarray:
    """The part of a contiguous array (of the base's shape) that the view covers, writable."""
    flat = array.reshape(-1)
    item = array.itemsize
    return np.lib.stride_tricks.as_strided(
        flat[geometry.offset :],
        shape=geometry.shape,
        strides=tuple(s * item for s in geometry.strides),
    )


class AsStrided(Function):
    """The view of a base at a geometry;  backward adds the gradient into that region."""

    node_name = "AsStridedBackward0"

    @staticmethod
    def forward(ctx, base, geometry):
        ctx.geometry, ctx.self_sym_sizes = geometry, base._data.shape
        return base._view_of(region(np.ascontiguousarray(base._data), geometry))

    @staticmethod
    def backward(ctx, grad):
        return RegionScatter.apply(grad, ctx.self_sym_sizes, ctx.geometry)


class RegionScatter(Function):
    """zeros(shape) with grad added in the region: the backward of ``AsStrided``."""

    node_name = "AsStridedScatterBackward0"

    @staticmethod
    def forward(ctx, grad, shape, geometry):
        ctx.geometry = geometry
        out = np.zeros(shape, dtype=grad._data.dtype)
        region(out, geometry)[...] += grad._data
        return out

    @staticmethod
    def backward(ctx, grad):
        return AsStrided.apply(grad.contiguous(), ctx.geometry).clone()


class CopySlicesThroughView(Function):
    """base with the view's region replaced by new values;  the old region gets no gradient."""

    node_name = "CopySlices"
    node_qualified_name = "torch::autograd::CopySlices"

    @staticmethod
    def forward(ctx, base, new_values, geometry):
        ctx.geometry = geometry
        out = np.array(base._data, copy=True, order="C")
        region(out, geometry)[...] = new_values._data
        return out

    @staticmethod
    def backward(ctx, grad):
        outside = np.ones(grad._data.shape, dtype=grad._data.dtype)
        region(outside, ctx.geometry)[...] = 0
        grad_values = AsStrided.apply(grad.contiguous(), ctx.geometry)
        return grad * Tensor._make(outside), grad_values, None
