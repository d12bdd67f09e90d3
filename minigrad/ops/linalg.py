"""Products: dot, mv, mm, bmm, addmm, and ``matmul``, which picks one by the operands' ranks.

For C = A B the chain rule gives dA = dC Bᵀ and dB = Aᵀ dC: the shapes say which way round.
"""

from __future__ import annotations

import numpy as np

from minigrad.autograd.function import Function
from minigrad.ops import shape as _shape
from minigrad.ops._util import broadcast_shapes
from minigrad.tensor import _C_NAMES, _SCALAR_NAMES, Tensor


def _scalar_name(t: Tensor) -> str:

    return _SCALAR_NAMES[t.dtype]


class Dot(Function):
    """a · b for vectors;  d/da = g b,  d/db = g a."""

    node_name = "DotBackward0"
    saved_names = ("tensor", "self")
    quiet = True

    @staticmethod
    def forward(ctx, a, b):
        if a._data.ndim != 1 or b._data.ndim != 1:
            raise RuntimeError(
                f"1D tensors expected, but got {a._data.ndim}D and {b._data.ndim}D tensors"
            )
        if a._data.dtype != b._data.dtype:
            raise RuntimeError(
                "dot : expected both vectors to have same dtype, but found "
                f"{_scalar_name(a)} and {_scalar_name(b)}"
            )
        if a._data.shape != b._data.shape:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{a._data.shape[0]}] and src "
                f"[{b._data.shape[0]}] to have the same number of elements, but got "
                f"{a._data.shape[0]} and {b._data.shape[0]} elements respectively"
            )
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


def _refuse_mm(a: Tensor, b: Tensor) -> None:
    """PyTorch's errors for operands that ``mm`` cannot multiply."""
    x, y = a._data, b._data
    if x.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if y.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if x.shape[1] != y.shape[0]:
        raise RuntimeError(
            "mat1 and mat2 shapes cannot be multiplied "
            f"({x.shape[0]}x{x.shape[1]} and {y.shape[0]}x{y.shape[1]})"
        )
    if x.dtype != y.dtype:
        raise RuntimeError(
            "expected m1 and m2 to have the same dtype, but got: "
            f"{_C_NAMES[a.dtype]} != {_C_NAMES[b.dtype]}"
        )


class Mm(Function):
    """A B for matrices;  dA = G Bᵀ,  dB = Aᵀ G."""

    node_name = "MmBackward0"
    saved_names = ("mat2", "self")
    quiet = True

    @staticmethod
    def forward(ctx, a, b):
        x, y = a._data, b._data
        if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[0] or x.dtype != y.dtype:
            _refuse_mm(a, b)
        needs = ctx.needs_input_grad
        ctx.save_for_backward(b if needs[0] else None, a if needs[1] else None)
        ctx.mat2_sym_sizes, ctx.self_sym_sizes = y.shape, x.shape
        # A transposed operand (a.t() in backward) is a strided view: BLAS reads it as it is.
        return x @ y

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
    quiet = True

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
        if a._data.dtype != v._data.dtype:
            raise RuntimeError(
                "addmv input tensors must have the same dtype, but got "
                f"{_scalar_name(v)}, {_scalar_name(a)}, and {_scalar_name(v)}"
            )
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
    quiet = True

    @staticmethod
    def forward(ctx, a, b):
        if a._data.ndim != 3:
            raise RuntimeError("batch1 must be a 3D tensor")
        if b._data.ndim != 3:
            raise RuntimeError("batch2 must be a 3D tensor")
        if a._data.shape[0] != b._data.shape[0] or a._data.shape[2] != b._data.shape[1]:
            raise RuntimeError(
                f"Expected size for first two dimensions of batch2 tensor to be: "
                f"[{a._data.shape[0]}, {a._data.shape[2]}] but got: "
                f"[{b._data.shape[0]}, {b._data.shape[1]}]."
            )
        if a._data.dtype != b._data.dtype:
            raise RuntimeError(
                f"expected scalar type {_scalar_name(a)} but found {_scalar_name(b)}"
            )
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
    saved_names = ("mat1", "mat2")
    quiet = True

    @staticmethod
    def forward(ctx, bias, a, b):
        if a._data.ndim != 2:
            raise RuntimeError(f"mat1 must be a matrix, got {a._data.ndim}-D tensor")
        if b._data.ndim != 2:
            raise RuntimeError(f"mat2 must be a matrix, got {b._data.ndim}-D tensor")
        if bias._data.dtype != b._data.dtype:
            raise RuntimeError(
                "self and mat2 must have the same dtype, but got "
                f"{_scalar_name(bias)} and {_scalar_name(b)}"
            )
        if a._data.dtype != b._data.dtype:
            raise RuntimeError(
                "mat1 and mat2 must have the same dtype, but got "
                f"{_scalar_name(a)} and {_scalar_name(b)}"
            )
        if a._data.shape[1] != b._data.shape[0]:
            raise RuntimeError(
                "mat1 and mat2 shapes cannot be multiplied "
                f"({a._data.shape[0]}x{a._data.shape[1]} and {b._data.shape[0]}x{b._data.shape[1]})"
            )
        out_shape = (a._data.shape[0], b._data.shape[1])
        if bias._data.shape != out_shape:
            _shape.expanded_shape(bias._data.shape, out_shape, bias._data.dtype)
        ctx.save_for_backward(
            a if ctx.needs_input_grad[2] else None, b if ctx.needs_input_grad[1] else None
        )
        product = a._data @ b._data
        product += bias._data
        return product

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return (
            grad if ctx.needs_input_grad[0] else None,
            grad.mm(b.t()) if ctx.needs_input_grad[1] else None,
            a.t().mm(grad) if ctx.needs_input_grad[2] else None,
        )


def _fold_first(a: Tensor, b: Tensor) -> bool:
    """torch's ``should_fold``: compute a batched product as one mm/mv of folded rows?"""
    a_larger = a._data.ndim >= b._data.ndim
    big = a._data if a_larger else np.swapaxes(b._data, -1, -2)
    small_ndim = b._data.ndim if a_larger else a._data.ndim
    if not (big.ndim >= 3 and small_ndim <= 2):
        return False
    if (b if a_larger else a)._requires_grad:
        return True
    if a._data.ndim == 2:
        return False
    if big.size == 0:
        return True
    # Fold only when the batch dimensions can be merged with the rows without a copy.
    strides = [s // big.itemsize for s in big.strides]
    shape = big.shape
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(big.ndim - 2))


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """Matrix product with torch's rules for every rank, recorded as torch records it.

    1-D · 1-D is ``dot``; 2-D @ 1-D ``mv``; 1-D @ 2-D ``mm`` of a one-row matrix; 2-D @ 2-D
    ``mm``. With more dimensions, the batch is folded into the rows of one ``mm`` (or
    ``mv``) when that needs no copy, otherwise both are broadcast and go through ``bmm``.

    >>> import minigrad
    >>> a = minigrad.ones(2, 3, 4, requires_grad=True)
    >>> (a @ minigrad.ones(4, 5)).grad_fn.name()
    'UnsafeViewBackward0'
    """
    da, db = a._data.ndim, b._data.ndim
    if da == 2 and db == 2:
        return Mm.apply(a, b)
    if da == 1 and db == 1:
        return Dot.apply(a, b)
    if da == 2 and db == 1:
        return Mv.apply(a, b)
    if da == 1 and db == 2:  # a one-row matrix, then the row again
        return _shape.SqueezeInplaceDim.apply(Mm.apply(_shape.Unsqueeze.apply(a, 0), b), (0,))
    return _batched_matmul(a, b)


def _batched_matmul(a: Tensor, b: Tensor) -> Tensor:
    """``matmul`` with a 0-d operand (an error) or more than two dimensions."""
    da, db = a._data.ndim, b._data.ndim
    if da == 0 or db == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D"
        )
    if _fold_first(a, b):
        transpose = db > da
        if transpose:
            t1 = _shape.Transpose.apply(b, db - 2, db - 1)
            t2 = _shape.T.apply(a) if da == 2 else a
        else:
            t1, t2 = a, b
        sizes = t1._data.shape
        out_shape = sizes[:-1]
        folded = int(np.prod(out_shape, dtype=np.int64))
        if t2._data.ndim == 2:
            out_shape = (*out_shape, t2._data.shape[1])
        t1_folded = _shape.reshape(t1, (folded, sizes[-1]))
        if t2._data.ndim == 2:
            output = _shape.UnsafeView.apply(Mm.apply(t1_folded, t2), out_shape)
            if transpose:
                output = _shape.Transpose.apply(output, len(out_shape) - 2, len(out_shape) - 1)
                return output if output._data.flags.c_contiguous else _shape.Clone.apply(output)
            return output
        return _shape.UnsafeView.apply(Mv.apply(t1_folded, t2), out_shape)
    return _batched(a, b)


def _batched(a: Tensor, b: Tensor) -> Tensor:
    """The general case: broadcast the batch dimensions, then one bmm."""
    da, db = a._data.ndim, b._data.ndim
    n = a._data.shape[-2] if da > 1 else 1
    m1 = a._data.shape[-1]
    batch1 = a._data.shape[: max(da - 2, 0)]
    m2 = b._data.shape[-2] if db > 1 else b._data.shape[0]
    p = b._data.shape[-1] if db > 1 else 1
    batch2 = b._data.shape[: max(db - 2, 0)]
    if da == 3 and db == 3 and batch1[0] != batch2[0]:
        # A batch of one that requires grad is squeezed rather than expanded.
        if batch1[0] == 1 and a._requires_grad:
            return matmul(_shape.SqueezeDim.apply(a, (0,)), b)
        if batch2[0] == 1 and b._requires_grad:
            return matmul(a, _shape.SqueezeDim.apply(b, (0,)))
    batch = broadcast_shapes(batch1, batch2)
    size = int(np.prod(batch, dtype=np.int64))
    a3 = _shape.reshape(_shape.Expand.apply(a, (*batch, n, m1)), (size, n, m1))
    if db == 1:
        b3 = _shape.reshape(_shape.Expand.apply(b, (*batch, m2)), (size, m2))
        b3 = _shape.Unsqueeze.apply(b3, 2)
    else:
        b3 = _shape.reshape(_shape.Expand.apply(b, (*batch, m2, p)), (size, m2, p))
    out_shape = batch + ((n,) if da > 1 else ()) + ((p,) if db > 1 else ())
    product = Bmm.apply(a3, b3)
    if db == 1:
        product = _shape.SqueezeDim.apply(product, (2,))
    return _shape.UnsafeView.apply(product, out_shape)
