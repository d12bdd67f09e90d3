"""Products: dot, mv, mm, bmm, addmm, and ``matmul``, which picks one by the operands' ranks.

For C = A B the chain rule gives dA = dC Bᵀ and dB = Aᵀ dC: the shapes say which way round.
"""

from __future__ import annotations

import numpy as np

from minigrad.autograd.function import Function
from minigrad.ops._util import binary_arrays
from minigrad.tensor import Tensor


def _same_dtype(a: Tensor, b: Tensor, name: str = "") -> None:
    if a._data.dtype != b._data.dtype:
        from minigrad.tensor import _SCALAR_NAMES

        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {_SCALAR_NAMES[a.dtype]} != "
            f"{_SCALAR_NAMES[b.dtype]}"
            if name == "mm"
            else f"expected scalar type {_SCALAR_NAMES[a.dtype]} but found {_SCALAR_NAMES[b.dtype]}"
        )


class Dot(Function):
    """a · b for vectors;  d/da = g b,  d/db = g a."""

    node_name = "DotBackward0"
    saved_names = ("tensor", "self")

    @staticmethod
    def forward(ctx, a, b):
        if a._data.ndim != 1 or b._data.ndim != 1:
            raise RuntimeError(
                f"1D tensors expected, but got {a._data.ndim}D and {b._data.ndim}D tensors"
            )
        if a._data.shape != b._data.shape:
            raise RuntimeError(
                "inconsistent tensor size, expected tensor [{0}] and src [{1}] to have the same "
                "number of elements, but got {0} and {1} elements respectively".format(
                    a._data.shape[0], b._data.shape[0]
                )
            )
        _same_dtype(a, b)
        ctx.save_for_backward(
            b if ctx.needs_input_grad[0] else None, a if ctx.needs_input_grad[1] else None
        )
        return np.dot(a._data, b._data)

    @staticmethod
    def backward(ctx, grad):
        b, a = ctx.saved_tensors
        return (
            grad * b if ctx.needs_input_grad[0] else None,
            grad * a if ctx.needs_input_grad[1] else None,
        )


class Mm(Function):
    """A B for matrices;  dA = G Bᵀ,  dB = Aᵀ G."""

    node_name = "MmBackward0"
    saved_names = ("mat2", "self")

    @staticmethod
    def forward(ctx, a, b):
        if a._data.ndim != 2:
            raise RuntimeError("self must be a matrix")
        if b._data.ndim != 2:
            raise RuntimeError("mat2 must be a matrix")
        if a._data.shape[1] != b._data.shape[0]:
            raise RuntimeError(
                "mat1 and mat2 shapes cannot be multiplied "
                f"({a._data.shape[0]}x{a._data.shape[1]} and {b._data.shape[0]}x{b._data.shape[1]})"
            )
        _same_dtype(a, b, "mm")
        ctx.save_for_backward(
            b if ctx.needs_input_grad[0] else None, a if ctx.needs_input_grad[1] else None
        )
        return a._data @ b._data

    @staticmethod
    def backward(ctx, grad):
        b, a = ctx.saved_tensors
        return (
            grad.mm(b.t()) if ctx.needs_input_grad[0] else None,
            a.t().mm(grad) if ctx.needs_input_grad[1] else None,
        )


class Mv(Function):
    """A v;  dA = g vᵀ (outer product),  dv = Aᵀ g."""

    node_name = "MvBackward0"
    saved_names = ("vec", "self")

    @staticmethod
    def forward(ctx, a, v):
        if a._data.ndim != 2 or v._data.ndim != 1:
            raise RuntimeError(
                f"vector + matrix @ vector expected, got 1, {a._data.ndim}, {v._data.ndim}"
            )
        if a._data.shape[1] != v._data.shape[0]:
            raise RuntimeError(
                f"size mismatch, got input ({a._data.shape[0]}), mat "
                f"({a._data.shape[0]}x{a._data.shape[1]}), vec ({v._data.shape[0]})"
            )
        _same_dtype(a, v)
        ctx.save_for_backward(
            v if ctx.needs_input_grad[0] else None, a if ctx.needs_input_grad[1] else None
        )
        return a._data @ v._data

    @staticmethod
    def backward(ctx, grad):
        v, a = ctx.saved_tensors
        return (
            grad.unsqueeze(1) * v.unsqueeze(0) if ctx.needs_input_grad[0] else None,
            a.t().mv(grad) if ctx.needs_input_grad[1] else None,
        )


class Bmm(Function):
    """A B for batches of matrices;  dA = G Bᵀ,  dB = Aᵀ G, batch by batch."""

    node_name = "BmmBackward0"
    saved_names = ("mat2", "self")

    @staticmethod
    def forward(ctx, a, b):
        if a._data.ndim != 3 or b._data.ndim != 3:
            raise RuntimeError("batch1 must be a 3D tensor")
        if a._data.shape[0] != b._data.shape[0] or a._data.shape[2] != b._data.shape[1]:
            raise RuntimeError(
                f"Expected size for first two dimensions of batch2 tensor to be: "
                f"[{a._data.shape[0]}, {a._data.shape[2]}] but got: "
                f"[{b._data.shape[0]}, {b._data.shape[1]}]."
            )
        _same_dtype(a, b)
        ctx.save_for_backward(
            b if ctx.needs_input_grad[0] else None, a if ctx.needs_input_grad[1] else None
        )
        return np.matmul(a._data, b._data)

    @staticmethod
    def backward(ctx, grad):
        b, a = ctx.saved_tensors
        return (
            grad.bmm(b.transpose(1, 2)) if ctx.needs_input_grad[0] else None,
            a.transpose(1, 2).bmm(grad) if ctx.needs_input_grad[1] else None,
        )


class Addmm(Function):
    """bias + A B (what ``linear`` computes);  dbias = G (summed by broadcasting), dA, dB as mm."""

    node_name = "AddmmBackward0"
    saved_names = ("self", "mat1", "mat2")

    @staticmethod
    def forward(ctx, bias, a, b):
        ctx.save_for_backward(
            None, b if ctx.needs_input_grad[1] else None, a if ctx.needs_input_grad[2] else None
        )
        if a._data.shape[1] != b._data.shape[0]:
            raise RuntimeError(
                "mat1 and mat2 shapes cannot be multiplied "
                f"({a._data.shape[0]}x{a._data.shape[1]} and {b._data.shape[0]}x{b._data.shape[1]})"
            )
        product = a._data @ b._data
        x, y = binary_arrays(bias, Tensor._make(product))
        return x + y

    @staticmethod
    def backward(ctx, grad):
        _, b, a = ctx.saved_tensors
        return (
            grad if ctx.needs_input_grad[0] else None,
            grad.mm(b.t()) if ctx.needs_input_grad[1] else None,
            a.t().mm(grad) if ctx.needs_input_grad[2] else None,
        )


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """Matrix product with torch's rules for every rank, recorded as torch records it.

    1-D · 1-D is ``dot``; 2-D @ 2-D ``mm``; 2-D @ 1-D ``mv``; 1-D @ 2-D puts a row dimension
    in front and takes it away after; batches broadcast and go through ``bmm``.
    """
    from minigrad.ops.shape import SqueezeDims, UnsafeView

    da, db = a._data.ndim, b._data.ndim
    if da == 0 or db == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D"
        )
    if da == 1 and db == 1:
        return Dot.apply(a, b)
    if da == 2 and db == 1:
        return Mv.apply(a, b)
    if da == 1 and db == 2:
        if a._data.shape[0] != b._data.shape[0]:
            raise RuntimeError(
                "mat1 and mat2 shapes cannot be multiplied "
                f"(1x{a._data.shape[0]} and {b._data.shape[0]}x{b._data.shape[1]})"
            )
        return SqueezeDims.apply(Mm.apply(a.unsqueeze(0), b), (0,))
    if da == 2 and db == 2:
        return Mm.apply(a, b)
    if da >= 3 and db <= 2:
        # Fold the batch into the rows: one mm (or mv) instead of a loop.
        *batch, n, k = a._data.shape
        folded = a.reshape(-1, k)
        product = Mm.apply(folded, b) if db == 2 else Mv.apply(folded, b)
        out_shape = (*batch, n, b._data.shape[1]) if db == 2 else (*batch, n)
        return UnsafeView.apply(product, out_shape)
    return _batched(a, b)


def _batched(a: Tensor, b: Tensor) -> Tensor:
    from minigrad.ops.shape import UnsafeView

    squeeze_row = a._data.ndim == 1
    squeeze_col = b._data.ndim == 1
    if squeeze_row:
        a = a.unsqueeze(0)
    if squeeze_col:
        b = b.unsqueeze(-1)
    n, k = a._data.shape[-2:]
    k2, m = b._data.shape[-2:]
    if k != k2:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{int(np.prod(a._data.shape[:-2]))}, {k}] but got: [{int(np.prod(b._data.shape[:-2]))}, {k2}]."
        )
    try:
        batch = np.broadcast_shapes(a._data.shape[:-2], b._data.shape[:-2])
    except ValueError:
        from minigrad.ops._util import check_broadcast

        check_broadcast(a._data.shape[:-2], b._data.shape[:-2])
        raise
    size = int(np.prod(batch, dtype=np.int64))
    a3 = a.expand(*batch, n, k).reshape(size, n, k)
    b3 = b.expand(*batch, k, m).reshape(size, k, m)
    out_shape = (*batch, n, m)
    out = UnsafeView.apply(Bmm.apply(a3, b3), out_shape)
    if squeeze_row:
        out = out.squeeze(-2)
    if squeeze_col:
        out = out.squeeze(-1)
    return out
