"""Indexing and in-place writes.

Reading ``x[key]`` is split as PyTorch splits it: each int is a ``select``, each slice a
``slice``, each ``None`` an ``unsqueeze`` (all views), and an index with tensors, lists or
masks is one ``index`` (a copy). Writing — ``x[key] = v``, ``x.add_(y)``, ... — computes
the out-of-place result and writes it into ``x``'s memory; when gradients are recorded,
``x`` takes the new node as its ``grad_fn``, whose input is ``x``'s old history.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad import _dtype
from minigrad.autograd.function import Function
from minigrad.autograd.grad_mode import _state
from minigrad.ops import shape as _shape
from minigrad.ops._util import normalize_dim
from minigrad.tensor import _SCALAR_NAMES, Tensor

_LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."
_VIEW_OF_LEAF_INPLACE = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)


def _numpy_key(key: Any) -> Any:
    """Tensors and lists in a key become arrays NumPy understands."""
    if isinstance(key, tuple):
        return tuple(_numpy_key(k) for k in key)
    if isinstance(key, Tensor):
        if key._data.dtype.kind == "f":
            raise IndexError(
                "tensors used as indices must be long, int, byte or bool tensors"
            )
        return key._data
    if isinstance(key, list):
        return np.asarray(key)
    return key


def _is_basic(item: Any) -> bool:
    return item is None or item is Ellipsis or isinstance(item, (int, np.integer, slice))


def getitem(t: Tensor, key: Any) -> Tensor:
    key = _numpy_key(key)
    items = key if isinstance(key, tuple) else (key,)
    if not all(_is_basic(item) and not isinstance(item, bool) for item in items):
        _check_advanced(t, items)
        return _shape.Index.apply(t, key)

    consumed = sum(1 for item in items if item is not None and item is not Ellipsis)
    if consumed > t._data.ndim:
        raise IndexError(f"too many indices for tensor of dimension {t._data.ndim}")
    if sum(1 for item in items if item is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    expanded: list[Any] = []
    for item in items:
        if item is Ellipsis:
            expanded.extend([slice(None)] * (t._data.ndim - consumed))
        else:
            expanded.append(item)

    out, dim = t, 0
    for item in expanded:
        if item is None:
            out = _shape.Unsqueeze.apply(out, dim)
            dim += 1
        elif isinstance(item, slice):
            if item != slice(None):
                out = _shape.Slice.apply(out, dim, item)
            dim += 1
        else:
            out = _shape.Select.apply(out, dim, int(item))
    if out is t:
        out = _shape.View.apply(t, t._data.shape)  # x[:] or x[...]: a view of all of x
    return out


def _check_advanced(t: Tensor, items: tuple[Any, ...]) -> None:
    dim = 0
    for item in items:
        if isinstance(item, np.ndarray) and item.dtype == np.bool_:
            for offset, (m, n) in enumerate(zip(item.shape, t._data.shape[dim:])):
                if m != n:
                    raise IndexError(
                        f"The shape of the mask [{', '.join(map(str, item.shape))}] at index "
                        f"{offset} does not match the shape of the indexed tensor "
                        f"[{', '.join(map(str, t._data.shape))}] at index {dim + offset}"
                    )
            dim += item.ndim
        elif isinstance(item, np.ndarray) or isinstance(item, (int, np.integer)):
            if dim >= t._data.ndim:
                raise IndexError(f"too many indices for tensor of dimension {t._data.ndim}")
            size = t._data.shape[dim]
            values = np.asarray(item)
            bad = values[(values >= size) | (values < -size)]
            if bad.size:
                raise IndexError(
                    f"index {int(bad.flat[0])} is out of bounds for dimension {dim} with size {size}"
                )
            dim += 1
        elif item is not None and item is not Ellipsis:
            dim += 1


def _check_writable(t: Tensor, recording: bool) -> None:
    """PyTorch's rules for writing into a tensor while gradients are recorded."""
    if not _state.enabled:
        return
    if t._requires_grad and t.grad_fn is None:
        raise RuntimeError(_LEAF_INPLACE)
    if t._is_view and t._base is not None and t._base._requires_grad and t._base.grad_fn is None:
        raise RuntimeError(_VIEW_OF_LEAF_INPLACE)
    if recording and t._is_view and t._base is not None and t._base._requires_grad:
        raise RuntimeError(
            "minigrad does not record in-place operations on a view of a tensor that requires "
            "grad; write into the tensor itself, or use an out-of-place operation"
        )


def _check_cast(t: Tensor, result: np.ndarray) -> None:
    if result.dtype != t._data.dtype and not np.can_cast(result.dtype, t._data.dtype, "same_kind"):
        raise RuntimeError(
            f"result type {_SCALAR_NAMES[_dtype._BY_NUMPY[result.dtype]]} can't be cast to the "
            f"desired output type {_SCALAR_NAMES[t.dtype]}"
        )
    if result.dtype.kind in "iu" and t._data.dtype == np.bool_:
        raise RuntimeError(
            f"result type Long can't be cast to the desired output type {_SCALAR_NAMES[t.dtype]}"
        )


def _old_self(t: Tensor) -> Tensor:
    """A stand-in for t as it is before the write: same memory, same history."""
    old = Tensor._make(t._data, t._requires_grad, t.grad_fn)
    old._output_nr = t._output_nr
    old._version_counter = t._version_counter
    return old


def _adopt(t: Tensor, result: Tensor) -> Tensor:
    """Write result into t's memory, count the change, and give t result's history."""
    _check_cast(t, result._data)
    if result._data.shape != t._data.shape:
        raise RuntimeError(
            f"output with shape [{', '.join(map(str, t._data.shape))}] doesn't match the "
            f"broadcast shape [{', '.join(map(str, result._data.shape))}]"
        )
    np.copyto(t._data, result._data, casting="unsafe")
    t._version_counter.value += 1
    if result.grad_fn is not None:
        t.grad_fn = result.grad_fn
        t._output_nr = result._output_nr
        t._requires_grad = True
    return t


def _recording(*tensors: Any) -> bool:
    return _state.enabled and any(isinstance(a, Tensor) and a._requires_grad for a in tensors)


def inplace(t: Tensor, function: Any, *args: Any) -> Tensor:
    recording = _recording(t, *args)
    _check_writable(t, recording)
    if not t._data.flags.writeable:
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation."
        )
    return _adopt(t, function.apply(_old_self(t), *args))


def setitem(t: Tensor, key: Any, value: Any) -> None:
    key = _numpy_key(key)
    value_t = value if isinstance(value, Tensor) else Tensor._make(np.asarray(value, dtype=t._data.dtype))
    recording = _recording(t, value_t)
    _check_writable(t, recording)
    if recording:
        _adopt(t, _shape.CopySlices.apply(_old_self(t), key, value_t))
        return
    try:
        t._data[key] = value_t._data
    except IndexError as error:
        raise IndexError(str(error)) from None
    except ValueError as error:
        raise RuntimeError(str(error)) from None
    t._version_counter.value += 1


def copy_(t: Tensor, src: Any) -> Tensor:
    src_t = src if isinstance(src, Tensor) else Tensor._make(np.asarray(src))
    try:
        np.broadcast_shapes(src_t._data.shape, t._data.shape)
    except ValueError:
        raise RuntimeError(
            f"The size of tensor a ({t._data.shape[-1] if t._data.ndim else 1}) must match the "
            f"size of tensor b ({src_t._data.shape[-1] if src_t._data.ndim else 1}) at "
            "non-singleton dimension 0"
        ) from None
    recording = _recording(t, src_t)
    _check_writable(t, recording)
    if recording:
        return _adopt(t, _shape.CopySlices.apply(_old_self(t), Ellipsis, src_t))
    np.copyto(t._data, np.broadcast_to(src_t._data, t._data.shape), casting="unsafe")
    t._version_counter.value += 1
    return t


def fill_(t: Tensor, value: Any) -> Tensor:
    return overwrite(t, np.full(t._data.shape, value._data if isinstance(value, Tensor) else value))


class Fill(Function):
    """Every value replaced by constants;  the gradient to the old values is zero."""

    node_name = "FillBackward0"

    @staticmethod
    def forward(ctx, a, values):
        return np.asarray(values, dtype=a._data.dtype).copy()

    @staticmethod
    def backward(ctx, grad):
        return grad * 0


def overwrite(t: Tensor, values: np.ndarray) -> Tensor:
    """Replace every value (zero_, fill_, normal_, ...)."""
    recording = _recording(t)
    _check_writable(t, recording)
    if recording:
        return _adopt(t, Fill.apply(_old_self(t), values))
    np.copyto(t._data, values, casting="unsafe")
    t._version_counter.value += 1
    return t


def check_dim(dim: int, ndim: int) -> int:
    return normalize_dim(dim, ndim)
