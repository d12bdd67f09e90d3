"""Shape operations: view/reshape, transpose, permute, squeeze, unsqueeze, expand, cat, stack, ...

Most of them move no data: the result is a view on the input's memory (sharing its
version counter, so an in-place change to either is seen by both). Their backward undoes
the change of shape on the gradient.
"""

from __future__ import annotations

import numpy as np

from minigrad.autograd.function import Function
from minigrad.ops._util import normalize_dim, size_str
from minigrad.tensor import Tensor


class View(Function):
    """a seen with another shape (same elements, same order);  backward reshapes back."""

    node_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, a, shape):
        ctx.self_sym_sizes = a._data.shape
        return a._view_of(view_array(a._data, shape, copy_allowed=False))

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.self_sym_sizes)


class UnsafeView(View):
    """A reshape PyTorch records under this name (the result of matmul, of a copy)."""

    node_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, a, shape):
        ctx.self_sym_sizes = a._data.shape
        return view_array(a._data, shape, copy_allowed=True)


def infer_shape(shape: tuple[int, ...], size: int) -> tuple[int, ...]:
    """Resolve one -1 in a requested shape, with torch's errors."""
    shape = tuple(int(n) for n in shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for n in shape:
        if n < -1:
            raise RuntimeError(f"invalid shape dimension {n}")
    known = int(np.prod([n for n in shape if n != -1], dtype=np.int64))
    if -1 in shape:
        if known == 0 or size % known != 0:
            raise RuntimeError(f"shape '{size_str(shape)}' is invalid for input of size {size}")
        shape = tuple(size // known if n == -1 else n for n in shape)
    elif known != size:
        raise RuntimeError(f"shape '{size_str(shape)}' is invalid for input of size {size}")
    return shape


def view_array(data: np.ndarray, shape: tuple[int, ...], copy_allowed: bool) -> np.ndarray:
    shape = infer_shape(shape, data.size)
    if copy_allowed:
        return data.reshape(shape)
    out = data.view()
    try:
        out.shape = shape  # fails instead of copying when the memory layout does not allow it
    except AttributeError:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
        ) from None
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
        if a._data.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {a._data.ndim}D")
        ctx.dim0, ctx.dim1 = 0, a._data.ndim - 1 if a._data.ndim else 0
        return a._view_of(a._data.T)

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
        if dims is None:
            dims = tuple(i for i, n in enumerate(a._data.shape) if n == 1)
        else:
            dims = tuple(d for d in dims if a._data.shape[d] == 1)
        return a._view_of(np.squeeze(a._data, axis=dims) if dims else a._data.view())

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.self_sym_sizes)


class SqueezeDim(Squeeze):
    node_name = "SqueezeBackward1"


class SqueezeDims(Squeeze):
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
        return a._view_of(np.broadcast_to(a._data, shape))

    @staticmethod
    def backward(ctx, grad):
        return grad.sum_to_size(ctx.self_sym_sizes)


def expanded_shape(shape: tuple[int, ...], sizes: tuple[int, ...]) -> tuple[int, ...]:
    """The target of ``expand``, with -1 meaning "keep", and torch's errors."""
    if len(sizes) < len(shape):
        raise RuntimeError(
            f"expand({_type_name(shape)}{{{size_str(shape)}}}, size={size_str(sizes)}): the number "
            "of sizes provided (" + str(len(sizes)) + ") must be greater or equal to the number "
            "of dimensions in the tensor (" + str(len(shape)) + ")"
        )
    offset = len(sizes) - len(shape)
    out = []
    for i, n in enumerate(sizes):
        if i < offset:
            if n == -1:
                raise RuntimeError(
                    f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                    f"non-existing dimension {i}"
                )
            out.append(n)
            continue
        old = shape[i - offset]
        if n == -1:
            n = old
        if old != 1 and old != n:
            raise RuntimeError(
                f"The expanded size of the tensor ({n}) must match the existing size ({old}) at "
                f"non-singleton dimension {i}.  Target sizes: {size_str(sizes)}.  Tensor sizes: "
                f"{size_str(shape)}"
            )
        out.append(n)
    return tuple(out)


def _type_name(shape: tuple[int, ...]) -> str:
    return "torch.FloatTensor"


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
    """Sum the broadcast dimensions away: leading ones, then those of size 1 in ``shape``."""
    lead = data.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and data.shape[lead + i] != 1
    )
    out = np.sum(data, axis=axes, keepdims=True) if axes else data
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
        size = a._data.shape[dim]
        if not -size <= index < size:
            raise IndexError(
                f"index {index} is out of bounds for dimension {dim} with size {size}"
            )
        ctx.dim, ctx.index, ctx.self_sym_sizes = dim, index % size, a._data.shape
        key = (slice(None),) * dim + (ctx.index,)
        return a._view_of(a._data[key])

    @staticmethod
    def backward(ctx, grad):
        key = (slice(None),) * ctx.dim + (ctx.index,)
        return ScatterIntoZeros.apply(grad, ctx.self_sym_sizes, key)


class Slice(Function):
    """a[start:stop:step] along one dimension (a view);  backward fills that range."""

    node_name = "SliceBackward0"

    @staticmethod
    def forward(ctx, a, dim, slc):
        ctx.dim, ctx.self_sym_sizes = dim, a._data.shape
        ctx.start, ctx.end, ctx.step = slc.indices(a._data.shape[dim])
        if slc.step is not None and slc.step <= 0:
            raise ValueError("step must be greater than zero")
        key = (slice(None),) * dim + (slc,)
        ctx.key = key
        return a._view_of(a._data[key])

    @staticmethod
    def backward(ctx, grad):
        return ScatterIntoZeros.apply(grad, ctx.self_sym_sizes, ctx.key)


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


class ScatterIntoZeros(Function):
    """zeros(shape) with grad written at key: the backward of select and slice."""

    node_name = "SelectBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, shape, key):
        ctx.key = key
        out = np.zeros(shape, dtype=grad._data.dtype)
        out[key] = grad._data
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.key] if not isinstance(ctx.key, tuple) else grad._getitem_raw(ctx.key)


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
        return grad._getitem_raw(ctx.key)


class Cat(Function):
    """tensors joined along dim;  backward cuts the gradient into the pieces."""

    node_name = "CatBackward0"

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim = dim
        ctx.sizes = [t._data.shape[dim] if t._data.ndim else 0 for t in tensors]
        arrays = [t._data for t in tensors if t._data.shape != (0,)]
        dtype = np.result_type(*[t._data.dtype for t in tensors])
        return np.concatenate(arrays, axis=dim, dtype=dtype) if arrays else np.zeros(0, dtype)

    @staticmethod
    def backward(ctx, grad):
        pieces = []
        start = 0
        for size in ctx.sizes:
            pieces.append(grad.narrow(ctx.dim, start, size))
            start += size
        return (None, *pieces)


class Stack(Function):
    """tensors stacked along a new dim;  backward selects each one's slice."""

    node_name = "StackBackward0"

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim = dim
        return np.stack([t._data for t in tensors], axis=dim)

    @staticmethod
    def backward(ctx, grad):
        return (None, *(grad.select(ctx.dim, i) for i in range(grad.shape[ctx.dim])))


class CopySlices(Function):
    """``a[key] = value`` recorded: the gradient of a is zero at key, value gets grad[key]."""

    node_name = "CopySlices"
    node_qualified_name = "torch::autograd::CopySlices"

    @staticmethod
    def forward(ctx, a, key, value):
        ctx.key = key
        out = a._data.copy()
        out[key] = value._data
        return out

    @staticmethod
    def backward(ctx, grad):
        grad_value = grad._getitem_raw(ctx.key)
        return grad.masked_fill(_key_mask(grad._data.shape, ctx.key), 0.0), None, grad_value


def _key_mask(shape: tuple[int, ...], key) -> np.ndarray:
    mask = np.zeros(shape, dtype=bool)
    mask[key] = True
    return mask


def normalize_cat_dim(dim: int, tensors) -> int:
    ndim = max(t._data.ndim for t in tensors)
    return normalize_dim(dim, ndim)
