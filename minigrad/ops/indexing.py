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
from minigrad._messages import INFERENCE_INPLACE, cast_error
from minigrad._shapes import size_list
from minigrad.autograd import function as _function
from minigrad.autograd.function import Function
from minigrad.autograd.grad_mode import _state
from minigrad.autograd.graph import InferenceVersionCounter
from minigrad.autograd.saved import SavedTensor
from minigrad.ops import arithmetic as _arith
from minigrad.ops import shape as _shape
from minigrad.ops import views as _views
from minigrad.ops._util import normalize_dim, quiet
from minigrad.random import default_generator
from minigrad.tensor import _SCALAR_NAMES, Tensor

_LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."
_NO_GRAD_VIEW_INPLACE = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. "
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify "
    "your code by moving both the view and the inplace either both inside the no_grad block "
    "(if you don't want the inplace to be tracked) or both outside (if you want the inplace to "
    "be tracked)."
)
_VIEW_OF_LEAF_INPLACE = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)


_INVALID_INDEX = (
    "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid "
    "indices (got {})"
)
_ZERO_DIM_INDEX = (
    "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in "
    "C++ to convert a 0-dim tensor to a number"
)


def _classify(item: Any) -> tuple[str, Any]:
    """One element of an index as PyTorch reads it: ("int", i), ("slice", s), ("none", None),
    ("ellipsis", None), ("bool", b) or ("tensor", array)."""
    if isinstance(item, (int, np.integer)) and not isinstance(item, (bool, np.bool_)):
        return "int", int(item)
    if isinstance(item, slice):
        return "slice", item
    if item is None:
        return "none", None
    if item is Ellipsis:
        return "ellipsis", None
    if isinstance(item, (bool, np.bool_)):
        return "bool", bool(item)
    if isinstance(item, Tensor):
        item = item._data
    elif isinstance(item, (list, tuple, range)):  # (a range indexes as the list of its values)
        item = np.asarray(item, dtype=np.int64) if isinstance(item, range) else np.asarray(item)
        if item.dtype.kind == "f":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if item.dtype.kind not in "iub":
            raise TypeError(f"new(): invalid data type '{type(item.flat[0]).__name__}'")
    elif isinstance(item, str):
        raise TypeError("new(): invalid data type 'str'")
    if isinstance(item, np.ndarray):
        if item.ndim == 0 and item.dtype.kind in "iu":
            return "int0d", int(item)
        if item.ndim == 0 and item.dtype == np.bool_:
            return "bool", bool(item)
        if item.dtype.kind not in "iub":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return "tensor", item if item.dtype.kind != "u" else item.astype(np.bool_)
    raise IndexError(_INVALID_INDEX.format(type(item).__name__))


def _specified_dims(items: list[tuple[str, Any]]) -> int:
    count = 0
    for kind, value in items:
        if kind in ("int", "int0d", "slice"):
            count += 1
        elif kind == "tensor":
            count += value.ndim if value.dtype == np.bool_ else 1
    return count


def _select_index(shape: tuple[int, ...], dim: int, index: int, real_dim: int) -> int:
    """A selected index in range, or the message torch's indexing gives."""
    if dim == 0 and not shape:
        if index == 0:
            raise IndexError(_ZERO_DIM_INDEX)
        size = 0
    else:
        size = shape[dim]
    if not -size <= index < size:
        raise IndexError(
            f"index {index} is out of bounds for dimension {real_dim} with size {size}"
        )
    return index % size


def _skippable(slc: slice, length: int) -> bool:
    """A slice PyTorch leaves out inside a tuple index: all of a dimension, in order."""
    return (
        (slc.start is None or slc.start == 0)
        and (slc.stop is None or slc.stop >= length)
        and (slc.step is None or slc.step == 1)
    )


def _check_step(slc: slice) -> None:
    if slc.step is not None and slc.step <= 0:
        if slc.step == 0:
            raise ValueError("slice step cannot be zero")
        raise ValueError("step must be greater than zero")


def _plan(shape: tuple[int, ...], key: Any) -> tuple[list[tuple[Any, ...]], Any]:
    """How PyTorch reads ``x[key]`` for an x of this shape: the view steps, then the index.

    Steps are ("select", dim, i), ("slice", dim, slice) and ("unsqueeze", dim); the index
    is None or a NumPy key of whole-dimension slices and index arrays, applied last.
    Errors are raised here, with torch's messages.
    """
    ndim = len(shape)
    # A single int, slice, None or ... is handled on its own, as in torch.
    if not isinstance(key, tuple):
        kind, value = _classify(key)
        if kind == "int":
            return [("select", 0, _select_index(shape, 0, value, 0))], None
        if kind == "slice":
            _check_step(value)
            if ndim == 0:
                raise IndexError("slice() cannot be applied to a 0-dim tensor.")
            return [("slice", 0, value)], None
        if kind == "none":
            return [("unsqueeze", 0)], None
        if kind == "ellipsis":
            return [], None
        items = [(kind, value)]
    else:
        items = [_classify(item) for item in key]

    specified = _specified_dims(items)
    if specified > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    steps: list[tuple[Any, ...]] = []
    current = list(shape)
    dim = 0
    indices: list[Any] = []  # index arrays by dimension (None: the whole dimension)
    for real_dim, (kind, value) in enumerate(items):
        if kind in ("int", "int0d"):
            index = _select_index(tuple(current), dim, value, real_dim)
            steps.append(("select", dim, index))
            del current[dim]
        elif kind == "slice":
            _check_step(value)
            if dim >= len(current):
                raise IndexError("slice() cannot be applied to a 0-dim tensor.")
            if not _skippable(value, current[dim]):
                steps.append(("slice", dim, value))
                current[dim] = len(range(*value.indices(current[dim])))
            dim += 1
        elif kind == "ellipsis":
            dim += ndim - specified
        elif kind == "none" or kind == "bool":
            steps.append(("unsqueeze", dim))
            current.insert(dim, 1)
            if kind == "bool":
                _record_index(indices, dim, np.zeros(1 if value else 0, dtype=np.int64))
            dim += 1
        else:
            _record_index(indices, dim, value)
            dim += 1
    if not indices:
        return steps, None
    index_key = tuple(slice(None) if i is None else i for i in indices)
    _check_index(tuple(current), index_key)
    return steps, index_key


def getitem(t: Tensor, key: Any) -> Tensor:
    """``t[key]`` recorded as PyTorch records it.

    Each int is a ``select``, each slice a ``slice`` (left out inside a tuple when it takes a
    whole dimension), each None an ``unsqueeze``: all views. Index tensors, lists and masks
    are gathered and applied at the end by one ``index`` (a copy). An index that changes
    nothing (``x[...]``, ``x[:, :]``) gives an ``alias``.

    >>> import minigrad
    >>> x = minigrad.ones(3, 4, requires_grad=True)
    >>> x[1:3].grad_fn.name(), x[:, 1].grad_fn.name(), x[x > 0].grad_fn.name()
    ('SliceBackward0', 'SelectBackward0', 'IndexBackward0')
    """
    # The most common keys first: one int, one slice.
    if type(key) is int and t._data.ndim:
        return _shape.Select.apply(t, 0, _select_index(t._data.shape, 0, key, 0))
    steps, index_key = _plan(t._data.shape, key)
    out = t
    for step in steps:
        if step[0] == "select":
            out = _shape.Select.apply(out, step[1], step[2])
        elif step[0] == "slice":
            out = _shape.Slice.apply(out, step[1], step[2])
        else:
            out = _shape.Unsqueeze.apply(out, step[1])
    if index_key is not None:
        return _shape.Index.apply(out, index_key)
    return _shape.Alias.apply(t) if out is t else out


def _view_array(data: np.ndarray, steps: list[tuple[Any, ...]]) -> np.ndarray:
    """The NumPy view that a list of view steps gives (for writing into it)."""
    for step in steps:
        if step[0] == "unsqueeze":
            data = np.expand_dims(data, step[1])
        else:
            # The Ellipsis keeps a 0-d result an array (a view), not a NumPy scalar.
            data = data[(slice(None),) * step[1] + (step[2], Ellipsis)]
    return data


def _record_index(indices: list[Any], dim: int, array: np.ndarray) -> None:
    while len(indices) <= dim:
        indices.append(None)
    indices[dim] = array


def _check_index(shape: tuple[int, ...], key: tuple[Any, ...]) -> None:
    """PyTorch's checks of an advanced index, in its order: masks, broadcasting, bounds."""
    dim = 0
    arrays = []  # (array, dimension it indexes)
    for item in key:
        if isinstance(item, slice):
            dim += 1
            continue
        if item.dtype == np.bool_:
            for offset, (m, n) in enumerate(zip(item.shape, shape[dim:])):
                if m != n:
                    raise IndexError(
                        f"The shape of the mask {size_list(item.shape)} at index "
                        f"{offset} does not match the shape of the indexed tensor "
                        f"{size_list(shape)} at index {dim + offset}"
                    )
            for n, axis in enumerate(np.nonzero(item)):
                arrays.append((axis, dim + n))
            dim += item.ndim
        else:
            arrays.append((item, dim))
            dim += 1
    try:
        np.broadcast_shapes(*[a.shape for a, _ in arrays])
    except ValueError:
        shapes = ", ".join(size_list(a.shape) for a, _ in arrays)
        raise IndexError(
            f"shape mismatch: indexing tensors could not be broadcast together with shapes {shapes}"
        ) from None
    for position, (array, d) in enumerate(arrays):
        size = shape[d]
        bad = array[(array >= size) | (array < -size)]
        if bad.size:
            raise IndexError(
                f"index {int(bad.flat[0])} is out of bounds for dimension {position} with size "
                f"{size}"
            )


def _check_writable(t: Tensor, recording: bool) -> None:
    """PyTorch's rules for writing into a tensor while gradients are recorded."""
    if type(t._vc) is InferenceVersionCounter and not _state.inference:
        raise RuntimeError(INFERENCE_INPLACE)
    if not _state.enabled:
        return
    if t.__dict__.get("_created_in_no_grad"):  # (a leaf too: this message comes first)
        raise RuntimeError(_NO_GRAD_VIEW_INPLACE)
    if t._requires_grad and t.grad_fn is None:
        raise RuntimeError(_LEAF_INPLACE)
    if t._is_view and t._base is not None and t._base._requires_grad and t._base.grad_fn is None:
        raise RuntimeError(_VIEW_OF_LEAF_INPLACE)


def _check_cast(t: Tensor, result: np.ndarray) -> None:
    if result.dtype != t._data.dtype and not np.can_cast(result.dtype, t._data.dtype, "same_kind"):
        raise cast_error(_SCALAR_NAMES[_dtype._BY_NUMPY[result.dtype]], _SCALAR_NAMES[t.dtype])
    if result.dtype.kind in "iu" and t._data.dtype == np.bool_:
        raise cast_error("Long", _SCALAR_NAMES[t.dtype])


def _old_self(t: Tensor) -> Tensor:
    """A stand-in for t as it is before the write: same memory, same history."""
    old = Tensor._make(t._data, t._requires_grad, t.grad_fn)
    old._output_nr = t._output_nr
    old._version_counter = t._version_counter
    return old


def _keep_saved_values(result: Tensor, old: Tensor, t: Tensor) -> None:
    """Make what the new node saved mean what it means in PyTorch once t is overwritten.

    The original self (``old``, same memory as t) is kept as a copy, as torch saves
    ``original_self``; a saved result *is* t from now on, so a later change of t is caught.
    """
    node = result.grad_fn
    saved = getattr(node, "_saved", None)
    if not saved:
        return
    for entry in saved:
        if type(entry) is not SavedTensor:
            # None, an input kept as it is, or a wrapped number's array: never old, which has a
            # version counter and so is always saved in a SavedTensor.
            continue
        if entry.tensor is old:
            snapshot = Tensor._make(old._data.copy(), old._requires_grad, old.grad_fn)
            snapshot._output_nr = old._output_nr
            entry.tensor = snapshot
            entry.version_counter = snapshot._version_counter
            entry.version = 0
        elif entry.tensor is None and entry.data is result._data:
            entry.data = t._data
            entry.version_counter = t._version_counter
            entry.version = t._version_counter.value + 1


def _adopt(t: Tensor, result: Tensor) -> Tensor:
    """Write result into t's memory, count the change, and give t result's history."""
    _check_cast(t, result._data)
    if result._data.shape != t._data.shape:
        raise RuntimeError(
            f"output with shape {size_list(t._data.shape)} doesn't match the "
            f"broadcast shape {size_list(result._data.shape)}"
        )
    if result.grad_fn is not None and t._is_view and t._base is not None:
        return _adopt_through_view(t, result)
    np.copyto(t._data, result._data, casting="unsafe")
    t._version_counter.value += 1
    if result.grad_fn is not None:
        t.grad_fn = result.grad_fn
        t._output_nr = result._output_nr
        t._requires_grad = True
    return t


def _adopt_through_view(view: Tensor, result: Tensor) -> Tensor:
    """A recorded write into a view changes its base: new history for the base, then the view."""
    base = view._base
    geometry = _views.geometry_of(view._data, base._data)
    if geometry is None:
        raise RuntimeError(
            "minigrad can only record an in-place change of a view whose base is contiguous; "
            "call .contiguous() on the base first, or use an out-of-place operation"
        )
    new_base = _views.CopySlicesThroughView.apply(_old_self(base), result, geometry)
    np.copyto(base._data, new_base._data, casting="unsafe")
    base._version_counter.value += 1
    base.grad_fn, base._output_nr, base._requires_grad = new_base.grad_fn, 0, True
    view.grad_fn = _views.AsStrided.apply(base, geometry).grad_fn
    view._output_nr, view._requires_grad = 0, True
    return view


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
    if not recording and function in _UFUNCS and _function._forward_ad_hook is None:
        if _write_arithmetic(t, _UFUNCS[function], *args):
            return t
    old = _old_self(t)
    result = function.apply(old, *args)
    _keep_saved_values(result, old, t)
    return _adopt(t, result)


# In-place arithmetic with nothing to record (an optimizer's ``p -= lr * p.grad`` under
# no_grad) writes its result straight into t's memory with the ufunc's ``out=``: the same
# values as computing a new array and copying it in, with half the memory traffic.
_UFUNCS = {
    _arith.Add: np.add,
    _arith.Sub: np.subtract,
    _arith.Mul: np.multiply,
    _arith.Div: np.divide,
}


@quiet  # inf and NaN silently, as the arithmetic forwards
def _write_arithmetic(t: Tensor, ufunc: Any, other: Any, alpha: Any = 1) -> bool:
    """``t.add_(other, alpha=...)``, ``sub_``, ``mul_`` or ``div_`` computed into t's memory.

    Only when that needs no type promotion or broadcasting of t: one float dtype, and other
    of t's shape or 0-d. Returns False, having written nothing, in the other cases.
    NumPy's ufuncs give the result of the out-of-place operation even when other overlaps t.
    """
    if not isinstance(other, Tensor):
        return False
    x, y = t._data, other._data
    if y.dtype != x.dtype or x.dtype.kind != "f" or (y.shape != x.shape and y.ndim):
        return False
    if type(alpha) not in (int, float):
        return False
    if alpha != 1:
        y = alpha * y  # as Add and Sub compute it
    ufunc(x, y, out=x)
    t._version_counter.value += 1
    return True


def setitem(t: Tensor, key: Any, value: Any) -> None:
    """``t[key] = value``, reading ``key`` as ``getitem`` does; value broadcasts to the target.

    Recorded as PyTorch records it: ``CopySlices`` when the target is a view of t (an int or
    a slice in the key), ``IndexPutBackward0`` for index tensors, otherwise
    ``CopyBackwards`` (or ``FillBackward3`` for a single value).

    >>> import minigrad
    >>> y = minigrad.zeros(2, 3, requires_grad=True) * 1
    >>> y[0] = minigrad.ones(3)
    >>> y.grad_fn.name(), y.tolist()
    ('torch::autograd::CopySlices', [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
    """
    if key is False:
        return
    # Inside a tuple, a slice over a whole dimension is left out: t[:] = v writes into t itself.
    steps, index_key = _plan(t._data.shape, (key,) if isinstance(key, slice) else key)
    if isinstance(value, Tensor):
        value_t = value
    else:
        _dtype.check_number_fits(value, t._data.dtype)
        value_t = Tensor._make(np.asarray(value, dtype=t._data.dtype))
    recording = _recording(t, value_t)
    if _state.enabled and t._requires_grad and t.grad_fn is None and steps:
        raise RuntimeError(_VIEW_OF_LEAF_INPLACE)
    _check_writable(t, recording)
    target = _view_array(t._data, steps)
    shape = value_t._data.shape
    stripped = shape
    while stripped and stripped[0] == 1:
        stripped = stripped[1:]  # leading ones are dropped first, as torch does
    v = value_t
    if index_key is None:
        if shape == target.shape:
            node = _shape.Copy
        elif not shape:
            node = _shape.FillTensor
        else:
            expanded = _shape.expanded_shape(stripped, target.shape, value_t._data.dtype)
            v = _shape.View.apply(value_t, stripped)
            if expanded != stripped:
                v = _shape.Expand.apply(v, expanded)
            node = _shape.Copy
    else:
        indexed = target[index_key].shape
        try:
            fits = np.broadcast_shapes(stripped, indexed) == indexed
        except ValueError:
            fits = False
        if not fits:
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {size_list(stripped)} cannot "
                f"be broadcast to indexing result of shape {size_list(indexed)}"
            )
        if stripped != shape:
            v = _shape.View.apply(value_t, stripped)
        node = _shape.IndexPut
    if steps:
        node = _shape.CopySlices
    plan = (steps, index_key, key)
    if recording:
        _adopt(t, node.apply(_old_self(t), plan, v))
        return
    write_at(t._data, plan, v._data)
    t._version_counter.value += 1


def write_at(array: np.ndarray, plan: tuple[Any, ...], values: Any) -> None:
    """Write values into array where ``array[key]`` reads (``plan`` comes from ``_plan``)."""
    target = _view_array(array, plan[0])
    if plan[1] is None:
        target[...] = values
    else:
        target[plan[1]] = values


_WHOLE = ([], None, Ellipsis)  # the plan of writing into all of a tensor


def copy_(t: Tensor, src: Any) -> Tensor:
    """``t.copy_(src)``: src's values (broadcast, converted) written into t.

    >>> import minigrad
    >>> minigrad.zeros(2, 2).copy_(minigrad.tensor([1, 2]))
    tensor([[1., 2.],
            [1., 2.]])
    """
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
        return _adopt(t, _shape.Copy.apply(_old_self(t), _WHOLE, src_t))
    np.copyto(t._data, np.broadcast_to(src_t._data, t._data.shape), casting="unsafe")
    t._version_counter.value += 1
    return t


def fill_(t: Tensor, value: Any) -> Tensor:
    """``t.fill_(value)``: a number (FillBackward2) or a 0-d tensor (FillBackward3).

    >>> import minigrad
    >>> minigrad.zeros(2).fill_(7)
    tensor([7., 7.])
    """
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value._data.ndim} dimensions."
            )
        recording = _recording(t, value)
        _check_writable(t, recording)
        if recording:
            return _adopt(t, _shape.FillTensor.apply(_old_self(t), _WHOLE, value))
        t._data[...] = value._data
        t._version_counter.value += 1
        return t
    _dtype.check_number_fits(value, t._data.dtype)
    return overwrite(t, np.full(t._data.shape, value), Fill)


def zero_(t: Tensor) -> Tensor:
    """``t.zero_()``: every element set to 0 (ZeroBackward0).

    >>> import minigrad
    >>> minigrad.ones(2).zero_()
    tensor([0., 0.])
    """
    return overwrite(t, np.zeros(t._data.shape), Zero)


class Fill(Function):
    """Every value replaced by a number;  the gradient to the old values is zero."""

    node_name = "FillBackward2"

    @staticmethod
    def forward(ctx, a, values):
        return np.asarray(values, dtype=a._data.dtype).copy()

    @staticmethod
    def backward(ctx, grad):
        return grad * 0


class Zero(Fill):
    node_name = "ZeroBackward0"


class Normal(Fill):
    node_name = "NormalBackward0"


class Uniform(Fill):
    node_name = "UniformBackward0"


class Random(Fill):
    node_name = "RandomBackward0"  # random_(from, to)


class RandomTo(Fill):
    node_name = "RandomBackward1"  # random_(to)


class RandomAny(Fill):
    node_name = "RandomBackward2"  # random_()


# random_() draws from [0, 2**digits], the whole numbers a dtype holds exactly.
_RANDOM_LIMITS = {np.dtype(np.float32): 2**24, np.dtype(np.float64): 2**53, np.dtype(np.bool_): 1}


def random_(t: Tensor, bounds: tuple[int, ...], generator: Any) -> Tensor:
    """``t.random_(from, to)``, ``t.random_(to)`` or ``t.random_()``: whole numbers drawn
    uniformly from [from, to), [0, to) or [0, 2**digits of the dtype]."""
    if len(bounds) > 2:
        raise TypeError(
            f"random_() takes from 0 to 2 positional arguments but {len(bounds)} were given"
        )
    low, high = ((0, None), (0, *bounds), bounds)[len(bounds)]
    if high is None:
        high = _RANDOM_LIMITS.get(t._data.dtype, 2**63 - 2) + 1
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    values = (generator or default_generator).integers(low, high, t._data.shape)
    return overwrite(t, values, (RandomAny, RandomTo, Random)[len(bounds)])


def overwrite(t: Tensor, values: np.ndarray, function: type[Function] = Fill) -> Tensor:
    """Replace every value (fill_, zero_, normal_, uniform_), recorded as ``function``."""
    recording = _recording(t)
    _check_writable(t, recording)
    if recording:
        return _adopt(t, function.apply(_old_self(t), values))
    np.copyto(t._data, values, casting="unsafe")
    t._version_counter.value += 1
    return t


def check_dim(dim: int, ndim: int) -> int:
    return normalize_dim(dim, ndim)
