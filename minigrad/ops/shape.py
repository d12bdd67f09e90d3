"""Shape operations: view/reshape, transpose, permute, squeeze, unsqueeze, expand, cat, stack, ...

Most of them move no data: the result is a view on the input's memory (sharing its
version counter, so an in-place change to either is seen by both). Their backward undoes
the change of shape on the gradient.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from minigrad._dtype import from_numpy_dtype, result_type
from minigrad._messages import view_size_error
from minigrad._shapes import size_list
from minigrad.autograd.function import Function
from minigrad.ops._util import normalize_dim
from minigrad.tensor import Tensor, expandable_to


class View(Function):
    """a seen with another shape (same elements, same order);  backward reshapes back."""

    node_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, a, shape):
        ctx.self_sym_sizes = a._data.shape
        return a._view_of(view_array(a._data, shape))

    @staticmethod
    def backward(ctx, grad):
        return reshape(grad, ctx.self_sym_sizes)


class ReshapeAlias(View):
    """``reshape`` of a non-contiguous tensor whose layout still allows a view."""

    node_name = "ReshapeAliasBackward0"


class UnsafeView(Function):
    """A reshape PyTorch records under this name (of a fresh copy, or of matmul's result)."""

    node_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, a, shape):
        ctx.self_sym_sizes = a._data.shape
        return a._data.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return reshape(grad, ctx.self_sym_sizes)


class Alias(Function):
    """``x[...]`` or ``x[:, :]``: a new tensor on all of x's memory;  d/dx = 1."""

    node_name = "AliasBackward0"

    @staticmethod
    def forward(ctx, a):
        return a._view_of(a._data.view())

    @staticmethod
    def backward(ctx, grad):
        return grad


def reshape(t: Tensor, shape: tuple[int, ...]) -> Tensor:
    """``t.reshape(shape)`` as PyTorch does it: a view when the memory layout allows, else a copy.

    A contiguous tensor gives ``view`` (ViewBackward0); another layout that can still be seen
    in the new shape gives ``_reshape_alias`` (ReshapeAliasBackward0); otherwise the
    elements are copied first (CloneBackward0, then UnsafeViewBackward0).

    >>> import minigrad
    >>> x = minigrad.ones(3, 4, requires_grad=True)
    >>> x.reshape(12).grad_fn.name(), x.t().reshape(12).grad_fn.name()
    ('ViewBackward0', 'UnsafeViewBackward0')
    """
    target = infer_shape(shape, t._data.size)
    if t._data.flags.c_contiguous:
        return View.apply(t, target)
    return _reshape_non_contiguous(t, target)


def _reshape_non_contiguous(t: Tensor, shape: tuple[int, ...]) -> Tensor:
    """``reshape`` of a non-contiguous tensor: an alias if its strides allow it, else a copy."""
    if _try_view(t._data, shape) is not None:
        return ReshapeAlias.apply(t, shape)
    return UnsafeView.apply(Clone.apply(t), shape)


def infer_shape(shape: tuple[int, ...], numel: int) -> tuple[int, ...]:
    """Resolve one -1 in a requested shape, with torch's errors (``infer_size``).

    >>> infer_shape((2, -1), 6)
    (2, 3)
    """
    if min(shape, default=0) >= 0 and math.prod(shape) == numel:
        return tuple(shape)  # the common case: no -1 to resolve
    return _inferred_shape(shape, numel)


def _inferred_shape(shape: tuple[int, ...], numel: int) -> tuple[int, ...]:
    """``infer_shape`` for a shape with -1, or torch's error for a shape that does not fit."""
    infer_dim = None
    known = 1
    for i, n in enumerate(shape):
        if n == -1:
            if infer_dim is not None:
                raise RuntimeError("only one dimension can be inferred")
            infer_dim = i
        elif n >= 0:
            known *= n
        else:
            raise RuntimeError(
                f"invalid shape dimension {n} at index {i} of shape {size_list(shape)}"
            )
    if numel == known or (infer_dim is not None and known > 0 and numel % known == 0):
        if infer_dim is None:
            return tuple(shape)
        if known == 0:
            raise RuntimeError(
                f"cannot reshape tensor of 0 elements into shape {size_list(shape)} because "
                "the unspecified dimension size -1 can be any value and is ambiguous"
            )
        return (*shape[:infer_dim], numel // known, *shape[infer_dim + 1 :])
    raise RuntimeError(f"shape '{size_list(shape)}' is invalid for input of size {numel}")


def _try_view(data: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    """data seen in a new shape without copying, or None when its strides do not allow it."""
    out = data.view()
    try:
        out.shape = shape
    except AttributeError:
        return None
    return out


def view_array(data: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """data in a new shape (already checked against its size), refusing to copy as torch does."""
    if data.flags.c_contiguous:
        return data.reshape(shape)  # (a contiguous array takes any shape of its size, uncopied)
    return _strided_view(data, shape)


def _strided_view(data: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``view_array`` of a non-contiguous array: a view if its strides allow, else torch's error."""
    out = _try_view(data, shape)
    if out is None:
        raise view_size_error()
    return out


class Transpose(Function):
    """a with two dimensions swapped;  backward swaps them back."""

    node_name = "TransposeBackward0"

    @staticmethod
    def forward(ctx, a, dim0, dim1):
        ctx.dim0, ctx.dim1 = dim0, dim1
        return a._view_of(np.swapaxes(a._data, dim0, dim1))

    @staticmethod
    def backward(ctx, grad):
        return grad.transpose(ctx.dim0, ctx.dim1)


class T(Transpose):
    """``a.t()``: transpose of a matrix (or a vector, unchanged)."""

    node_name = "TBackward0"

    @staticmethod
    def forward(ctx, a):
        x = a._data
        if x.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
        ctx.dim0, ctx.dim1 = 0, x.ndim - 1 if x.ndim else 0
        return a._view_of(x.T)

    @staticmethod
    def backward(ctx, grad):
        return grad.t()


class Permute(Function):
    """a with its dimensions reordered;  backward applies the inverse order."""

    node_name = "PermuteBackward0"

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return a._view_of(np.transpose(a._data, dims))

    @staticmethod
    def backward(ctx, grad):
        return grad.permute(*np.argsort(ctx.dims).tolist())


class Squeeze(Function):
    """a without its size-1 dimensions (all, or those given);  backward puts them back."""

    node_name = "SqueezeBackward0"

    @staticmethod
    def forward(ctx, a, dims=None):
        ctx.self_sym_sizes = a._data.shape
        if dims is None:  # squeeze(): every dimension of size 1
            dims = range(a._data.ndim)
        dims = ctx._squeezed = tuple(sorted(d for d in dims if a._data.shape[d] == 1))
        return a._view_of(np.squeeze(a._data, axis=dims) if dims else a._data.view())

    @staticmethod
    def backward(ctx, grad):
        for dim in ctx._squeezed:  # in increasing order, each recorded as an unsqueeze (as torch)
            grad = Unsqueeze.apply(grad, dim)
        return grad


class SqueezeDim(Squeeze):
    node_name = "SqueezeBackward1"


class SqueezeDims(Squeeze):
    node_name = "SqueezeBackward2"


class SqueezeInplaceDim(Squeeze):
    """``squeeze_(dim)``, recorded by matmul of a vector and a matrix."""

    node_name = "SqueezeBackward4"


class Unsqueeze(Function):
    """a with a new size-1 dimension;  backward removes it."""

    node_name = "UnsqueezeBackward0"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        return a._view_of(np.expand_dims(a._data, dim))

    @staticmethod
    def backward(ctx, grad):
        return grad.squeeze(ctx.dim)


class Expand(Function):
    """a broadcast to a larger shape (no copy);  backward sums the copies."""

    node_name = "ExpandBackward0"

    @staticmethod
    def forward(ctx, a, shape):
        ctx.self_sym_sizes = a._data.shape
        return a._view_of(broadcast_view(a._data, shape))

    @staticmethod
    def backward(ctx, grad):
        return grad.sum_to_size(ctx.self_sym_sizes)


def broadcast_view(data: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``np.broadcast_to(data, shape)`` (a read-only view) for a shape ``expanded_shape`` checked.

    The plain version is ``np.broadcast_to``, which spends about 3 us setting up an iterator.
    The view of a 0-d array (what the backward of ``sum`` and ``mean`` expands) is made here
    directly, in about 1 us: 2 us per sum in W2t's step, about 3% of it.

    >>> broadcast_view(np.arange(3), (2, 3))
    array([[0, 1, 2],
           [0, 1, 2]])
    """
    if data.ndim:
        return np.broadcast_to(data, shape)
    # A 0-d array (the gradient of a sum or a mean): stride 0 along every dimension.
    out = np.ndarray(shape, data.dtype, data, 0, (0,) * len(shape))
    out.setflags(write=False)  # elements share memory locations: read-only, as broadcast_to
    return out


def expanded_shape(shape: tuple[int, ...], sizes: tuple[int, ...], dtype: Any) -> tuple[int, ...]:
    """The target of ``expand``: ``sizes``, where -1 means "keep this size"."""
    if min(sizes, default=0) >= 0 and expandable_to(shape, sizes):
        return sizes
    return _expanded_shape_or_error(shape, sizes, dtype)


def _expanded_shape_or_error(
    shape: tuple[int, ...], sizes: tuple[int, ...], dtype: Any
) -> tuple[int, ...]:
    """``expanded_shape`` with -1 in ``sizes``, or torch's error for sizes that do not fit."""
    offset = len(sizes) - len(shape)
    if len(sizes) < len(shape):
        kind = from_numpy_dtype(dtype).tensor_type
        raise RuntimeError(
            f"expand({kind}{{{size_list(shape)}}}, size={size_list(sizes)}): the number "
            "of sizes provided (" + str(len(sizes)) + ") must be greater or equal to the number "
            "of dimensions in the tensor (" + str(len(shape)) + ")"
        )
    out = list(sizes)
    # From the last dimension to the first, as torch checks them (the first error found wins).
    for i in reversed(range(len(sizes))):
        n = sizes[i]
        if i < offset:  # a new leading dimension
            if n == -1:
                raise RuntimeError(
                    f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                    f"non-existing dimension {i}"
                )
            continue
        old = shape[i - offset]
        if n == -1:
            n = out[i] = old
        if old != 1 and old != n:
            raise RuntimeError(
                f"The expanded size of the tensor ({n}) must match the existing size ({old}) at "
                f"non-singleton dimension {i}.  Target sizes: {size_list(sizes)}.  Tensor sizes: "
                f"{size_list(shape)}"
            )
    if min(out, default=0) < 0:
        # A negative new leading size: torch finds it when it counts the elements.
        raise RuntimeError("numel: integer multiplication overflow")
    return tuple(out)


class SumToSize(Function):
    """a summed down to a shape it was broadcast from: the backward of broadcasting."""

    node_name = "SumBackward1"

    @staticmethod
    def forward(ctx, a, shape):
        ctx.self_sym_sizes = a._data.shape
        return sum_to_shape(a._data, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.expand(ctx.self_sym_sizes)


def sum_to_shape(data: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum the broadcast dimensions away: leading ones, then those of size 1 in ``shape``.

    >>> sum_to_shape(np.ones((4, 2, 3)), (2, 1)).tolist()
    [[12.0], [12.0]]
    """
    # np.add.reduce is what np.sum calls, without its 1-2 us of argument handling.
    lead = data.ndim - len(shape)
    kept = data.shape[lead:]
    if lead and kept == shape and shape:
        # Only leading dimensions to sum (a bias's gradient): no keepdims, no reshape. (To a
        # 0-d shape the reduce would give a NumPy scalar, not an array: the general way.)
        return np.add.reduce(data, axis=tuple(range(lead)))
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and kept[i] != 1
    )
    out = np.add.reduce(data, axis=axes, keepdims=True) if axes else data
    return out.reshape(shape)


class Clone(Function):
    """a copy of a;  d/da = 1."""

    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, a):
        return a._data.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


class ToCopy(Function):
    """a converted to another dtype;  backward converts the gradient back."""

    node_name = "ToCopyBackward0"
    quiet = True  # out of range: inf (float), or what the CPU gives (int), silently as in torch

    @staticmethod
    def forward(ctx, a, np_dtype):
        ctx.self_dtype = a._data.dtype
        return a._data.astype(np_dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.to(ctx.self_dtype)


class Select(Function):
    """a[..., index, ...] along one dimension (a view);  backward puts the gradient in that slot."""

    node_name = "SelectBackward0"

    @staticmethod
    def forward(ctx, a, dim, index):
        # index is in range [0, size): the callers check it with their own messages.
        ctx.dim, ctx.index, ctx.self_sym_sizes = dim, index, a._data.shape
        # The Ellipsis keeps a 0-d result an array (a view), not a NumPy scalar.
        return a._view_of(a._data[(slice(None),) * dim + (index, Ellipsis)])

    @staticmethod
    def backward(ctx, grad):
        return SelectBackward.apply(grad, ctx.self_sym_sizes, ctx.dim, ctx.index)


class SelectBackward(Function):
    """zeros(shape) with grad written in one slot: the backward of select, differentiable."""

    node_name = "SelectBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, shape, dim, index):
        ctx.dim, ctx.index = dim, index
        out = np.zeros(shape, dtype=grad._data.dtype)
        out[(slice(None),) * dim + (index,)] = grad._data
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad.select(ctx.dim, ctx.index)


def select(t: Tensor, dim: int, index: int) -> Tensor:
    """``t.select(dim, index)``, with the checks and messages of torch's ``select``.

    >>> import minigrad
    >>> minigrad.arange(6).reshape(2, 3).select(1, -1)
    tensor([2, 5])
    """
    if t._data.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = normalize_dim(dim, t._data.ndim)
    size = t._data.shape[d]
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size "
            f"{size_list(t._data.shape)} at dimension {d}"
        )
    return Select.apply(t, d, index % size)


class Slice(Function):
    """a[start:stop:step] along one dimension (a view);  backward fills that range."""

    node_name = "SliceBackward0"

    @staticmethod
    def forward(ctx, a, dim, slc):
        ctx.dim, ctx.self_sym_sizes = dim, a._data.shape
        # As torch keeps them (node._saved_start, ...): as written, a negative one read as an
        # unsigned 64-bit number, and None as 0, 2**63 - 1 and 1.
        start, end = (0 if slc.start is None else int(slc.start)), slc.stop
        ctx.start, ctx.end = start % 2**64, (2**63 - 1 if end is None else int(end) % 2**64)
        ctx.step = 1 if slc.step is None else int(slc.step)
        ctx.key = (slice(None),) * dim + (slc,)
        return a._view_of(a._data[ctx.key])

    @staticmethod
    def backward(ctx, grad):
        return SliceBackward.apply(grad, ctx.self_sym_sizes, ctx.key)


class SliceBackward(Function):
    """zeros(shape) with grad written in a range: the backward of slice, differentiable."""

    node_name = "SliceBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, shape, key):
        ctx.key = key
        out = np.zeros(shape, dtype=grad._data.dtype)
        out[key] = grad._data
        return out

    @staticmethod
    def backward(ctx, grad):
        return Slice.apply(grad, len(ctx.key) - 1, ctx.key[-1])


def narrow(t: Tensor, dim: int, start: int, length: int) -> Tensor:
    """``t.narrow(dim, start, length)``: a slice, with torch's checks and messages.

    >>> import minigrad
    >>> minigrad.arange(5).narrow(0, 1, 3)
    tensor([1, 2, 3])
    """
    if t._data.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = normalize_dim(dim, t._data.ndim)
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    size = t._data.shape[d]
    if not -size <= start <= size:
        raise IndexError(
            f"start out of range (expected to be in range of [{-size}, {size}], but got {start})"
        )
    if start < 0:
        start += size
    if start > size - length:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return Slice.apply(t, d, slice(start, start + length, 1))


class Index(Function):
    """a[advanced index] (integer tensors, lists, boolean masks): a copy;  backward adds back."""

    node_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, a, key):
        ctx.key, ctx.self_sym_sizes = key, a._data.shape
        return a._data[key]

    @staticmethod
    def backward(ctx, grad):
        return IndexAddIntoZeros.apply(grad, ctx.self_sym_sizes, ctx.key)


class IndexAddIntoZeros(Function):
    """zeros(shape) with grad added at an advanced index (repeated indices add up)."""

    node_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, grad, shape, key):
        ctx.key = key
        out = np.zeros(shape, dtype=grad._data.dtype)
        np.add.at(out, key, grad._data)
        return out

    @staticmethod
    def backward(ctx, grad):
        return Index.apply(grad, ctx.key)


def _result_dtype(tensors) -> np.dtype:

    first = tensors[0]._data.dtype
    if all(t._data.dtype == first for t in tensors):
        return first
    return result_type(*tensors).numpy


class Cat(Function):
    """tensors joined along dim;  backward cuts the gradient into the pieces."""

    node_name = "CatBackward0"

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim = dim
        # A 1-D tensor with no elements is skipped, whatever the others' shapes (as in torch).
        ctx.sizes = [None if t._data.shape == (0,) else t._data.shape[dim] for t in tensors]
        dtype = _result_dtype(tensors)
        arrays = [t._data for t in tensors if t._data.shape != (0,)]
        if not arrays:
            return np.zeros(0, dtype)
        return np.concatenate(arrays, axis=dim, dtype=dtype)

    @staticmethod
    def backward(ctx, grad):
        pieces = []
        start = 0
        for size in ctx.sizes:
            if size is None:
                pieces.append(Tensor._make(np.zeros(0, dtype=grad._data.dtype)))
                continue
            pieces.append(Slice.apply(grad, ctx.dim, slice(start, start + size, 1)))
            start += size
        return (None, *pieces)


class Stack(Function):
    """tensors stacked along a new dim;  backward selects each one's slice."""

    node_name = "StackBackward0"

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim = dim
        return np.stack([t._data for t in tensors], axis=dim, dtype=_result_dtype(tensors))

    @staticmethod
    def backward(ctx, grad):
        return (None, *(Select.apply(grad, ctx.dim, i) for i in range(grad._data.shape[ctx.dim])))


class Unbind(Function):
    """The slices of a along dim, as separate tensors (views);  backward stacks their gradients."""

    node_name = "UnbindBackward0"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        lead = (slice(None),) * dim
        return tuple(a._view_of(a._data[(*lead, i, ...)]) for i in range(a._data.shape[dim]))

    @staticmethod
    def backward(ctx, *grads):
        return Stack.apply(ctx.dim, *grads)


def unbind(t: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices of t along dim (what iterating over a tensor gives).

    >>> import minigrad
    >>> minigrad.arange(6).reshape(2, 3).unbind(1)
    (tensor([0, 3]), tensor([1, 4]), tensor([2, 5]))
    """
    if t._data.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    return Unbind.apply(t, normalize_dim(dim, t._data.ndim))


class Copy(Function):
    """``a.copy_(value)`` or ``a[...] = value``: value written over a, the gradient to value."""

    node_name = "CopyBackwards"
    node_qualified_name = "torch::autograd::CopyBackwards"

    @staticmethod
    def forward(ctx, a, plan, value):
        from minigrad.ops.indexing import write_at

        ctx.plan = plan
        out = a._data.copy()
        write_at(out, plan, value._data)
        return out

    @staticmethod
    def backward(ctx, grad):
        from minigrad.ops.indexing import write_at

        steps, index_key, key = ctx.plan
        grad_value = None
        if ctx.needs_input_grad[2]:
            grad_value = grad if not steps and index_key is None else grad[key]
        written = np.zeros(grad._data.shape, dtype=bool)
        write_at(written, ctx.plan, True)
        return grad.masked_fill(Tensor._make(written), 0.0), None, grad_value


class CopySlices(Copy):
    """``a[key] = value`` where ``a[key]`` is a view of a (ints and slices in the key)."""

    node_name = "CopySlices"
    node_qualified_name = "torch::autograd::CopySlices"


class IndexPut(Copy):
    """``a[index] = value`` with index tensors, lists or masks."""

    node_name = "IndexPutBackward0"


class FillTensor(Copy):
    """``a.fill_(value)`` (or ``a[...] = value``) with a 0-d tensor value."""

    node_name = "FillBackward3"


def normalize_cat_dim(dim: int, tensors) -> int:
    ndim = max(t._data.ndim for t in tensors)
    return normalize_dim(dim, ndim)
