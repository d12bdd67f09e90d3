"""Making tensors: from data (``tensor``), filled (``ones``, ``zeros``, ...), ranges, random.

Every function takes ``dtype=`` and ``requires_grad=`` where PyTorch's does; only floating
point tensors can require grad. Random tensors come from ``minigrad.random``'s generator
(NumPy's PCG64): ``manual_seed`` makes them repeatable on every platform.
"""

from __future__ import annotations

import builtins
import math
import warnings
from typing import Any

import numpy as np

from minigrad import _device, _dtype
from minigrad._dtype import dtype as DType
from minigrad.autograd.grad_mode import _state
from minigrad.autograd.graph import InferenceVersionCounter
from minigrad.random import Generator, default_generator
from minigrad.tensor import _SCALAR_NAMES, Tensor

_FLOAT_ONLY = "Only Tensors of floating point and complex dtype can require gradients"


def _finish(array: np.ndarray, requires_grad: bool) -> Tensor:
    if requires_grad and array.dtype.kind != "f":
        raise RuntimeError(_FLOAT_ONLY)
    # (np.asarray: a 0-d draw comes as a NumPy scalar, and the tensor must be writable)
    made = Tensor._make(np.asarray(array), requires_grad=bool(requires_grad))
    if _state.inference:  # an inference tensor (see autograd/inference_mode.py)
        made._vc = InferenceVersionCounter()
    return made


# -- from data ---------------------------------------------------------------------------------


def _scalar_dtype(value: Any) -> DType:
    """The dtype torch infers for one element of the data."""
    if isinstance(value, np.generic):  # before float: np.float64 is a float too
        return _dtype.from_numpy_dtype(value.dtype)
    if isinstance(value, bool):
        return _dtype.bool
    if isinstance(value, int):
        return _dtype.int64
    if isinstance(value, float):
        return _dtype.get_default_dtype()
    if isinstance(value, Tensor):
        return value.dtype
    if isinstance(value, str):
        raise TypeError(f"new(): invalid data type '{type(value).__name__}'")
    raise RuntimeError(f"Could not infer dtype of {type(value).__name__}")


def _is_sequence(value: Any) -> bool:
    return isinstance(value, (list, tuple)) or (isinstance(value, Tensor) and value.ndim > 0)


def _infer(data: Any) -> tuple[tuple[int, ...], DType]:
    """The shape and dtype of nested lists of numbers, with torch's errors for ragged data."""
    sizes = []
    probe = data
    while _is_sequence(probe):
        sizes.append(len(probe))
        if not len(probe):
            break
        probe = probe[0]
    found: DType | None = None
    stack = [(data, 0)]
    while stack:  # no recursion: deep nesting is fine
        item, dim = stack.pop()
        if dim < len(sizes):
            if not _is_sequence(item):
                raise TypeError("not a sequence")
            if len(item) != sizes[dim]:
                raise ValueError(
                    f"expected sequence of length {sizes[dim]} at dim {dim} (got {len(item)})"
                )
            if isinstance(item, Tensor):
                kind = item.dtype
                found = kind if found is None else _dtype.promote_types(found, kind)
                continue
            stack.extend((element, dim + 1) for element in item)
        else:
            kind = _scalar_dtype(item)
            found = kind if found is None else _dtype.promote_types(found, kind)
    return tuple(sizes), found or _dtype.get_default_dtype()


def _to_arrays(data: Any) -> Any:
    """Nested lists with any tensors inside replaced by their arrays."""
    if isinstance(data, (list, tuple)):
        return [_to_arrays(d) for d in data]
    if isinstance(data, Tensor):
        return data._data
    return data


def tensor(
    data: Any, *, dtype: DType | None = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A new tensor holding a copy of ``data`` (numbers, nested lists, arrays, tensors).

    Python floats give ``float32``, ints ``int64``, bools ``bool``; a mix takes the widest.

    >>> import minigrad
    >>> minigrad.tensor([[1, 2], [3, 4]])
    tensor([[1, 2],
            [3, 4]])
    >>> minigrad.tensor(2.0, requires_grad=True)
    tensor(2., requires_grad=True)
    """
    _device.as_device(device, "tensor")
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use "
            "sourceTensor.detach().clone() or sourceTensor.detach().clone().requires_grad_(True), "
            "rather than torch.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
        source, inferred = data._data, data.dtype
    elif isinstance(data, np.ndarray):
        source, inferred = data, _dtype.from_numpy_dtype(data.dtype)
    else:
        shape, inferred = _infer(data)
        source = _to_arrays(data)
        if not shape:
            source = np.asarray(source)
    target = dtype or inferred
    if requires_grad and not target.is_floating_point:
        raise RuntimeError(_FLOAT_ONLY)
    with np.errstate(over="ignore", invalid="ignore"):  # 1e40 as float32 is inf, silently
        array = np.array(source, dtype=target.numpy, copy=True)
    return _finish(array, requires_grad)


def as_tensor(data: Any, dtype: DType | None = None, device: Any = None) -> Tensor:
    """A tensor sharing memory with ``data`` when it already is an array of the right dtype.

    >>> import numpy as np, minigrad
    >>> a = np.zeros(2)
    >>> t = minigrad.as_tensor(a)
    >>> a[0] = 5.0
    >>> t
    tensor([5., 0.], dtype=torch.float64)
    """
    _device.as_device(device, "as_tensor")
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or data.dtype == dtype.numpy):
        return from_numpy(data)
    return tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor on the same memory as a NumPy array.

    >>> import numpy as np, minigrad
    >>> minigrad.from_numpy(np.array([1.0, 2.0]))
    tensor([1., 2.], dtype=torch.float64)
    """
    _dtype.from_numpy_dtype(array.dtype)
    return Tensor._make(array)


# -- filled ------------------------------------------------------------------------------------


def _size(size: tuple[Any, ...], name: str) -> tuple[int, ...]:
    """Sizes given as ``f(2, 3)``, ``f((2, 3))`` or ``f([2, 3])``, checked as torch checks them."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
        single = False
    else:
        single = len(size) == 1
    for position, n in enumerate(size):
        if isinstance(n, Tensor) and n.ndim == 0 and not n.is_floating_point():
            continue
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
            kind = type(n).__name__
            if single:
                raise TypeError(
                    f"{name}(): argument 'size' (position 1) must be tuple of ints, not {kind}"
                )
            raise TypeError(
                f"{name}(): argument 'size' failed to unpack the object at pos {position + 1} "
                f'with error "type must be tuple of ints,but got {kind}"'
            )
    shape = tuple(builtins.int(n) for n in size)
    for n in shape:
        if n < 0:
            if name == "zeros":
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {n}: {list(shape)}"
            )
    return shape


def _filled(shape: tuple[int, ...], value: Any, dtype: DType | None, requires_grad: bool) -> Tensor:
    target = dtype or _dtype.get_default_dtype()
    if requires_grad and not target.is_floating_point:
        raise RuntimeError(_FLOAT_ONLY)
    _dtype.check_number_fits(value, target.numpy)
    return _finish(np.full(shape, value, dtype=target.numpy), requires_grad)


def ones(
    *size: Any, dtype: DType | None = None, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """A tensor of ones.

    >>> import minigrad
    >>> minigrad.ones(2, 3)
    tensor([[1., 1., 1.],
            [1., 1., 1.]])
    """
    _device.as_device(device, "ones")
    return _filled(_size(size, "ones"), 1, dtype, requires_grad)


def zeros(
    *size: Any, dtype: DType | None = None, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """A tensor of zeros.

    >>> import minigrad
    >>> minigrad.zeros(3)
    tensor([0., 0., 0.])
    """
    _device.as_device(device, "zeros")
    return _filled(_size(size, "zeros"), 0, dtype, requires_grad)


def empty(
    *size: Any, dtype: DType | None = None, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """A tensor whose values are not set (minigrad fills it with zeros).

    >>> import minigrad
    >>> minigrad.empty(2, 3).shape
    torch.Size([2, 3])
    """
    _device.as_device(device, "empty")
    return _filled(_size(size, "empty"), 0, dtype, requires_grad)


def full(
    size: Any,
    fill_value: Any,
    *,
    dtype: DType | None = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """A tensor filled with one value; its dtype follows the value, as in PyTorch.

    >>> import minigrad
    >>> minigrad.full((2,), 7)
    tensor([7, 7])
    """
    _device.as_device(device, "full")
    if dtype is None:
        dtype = _scalar_dtype(fill_value.item() if isinstance(fill_value, Tensor) else fill_value)
    shape = _size((size,) if isinstance(size, (int, np.integer)) else (tuple(size),), "full")
    return _filled(shape, fill_value, dtype, requires_grad)


def eye(
    n: int,
    m: int | None = None,
    *,
    dtype: DType | None = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """An n × m matrix with ones on the diagonal.

    >>> import minigrad
    >>> minigrad.eye(2, 3)
    tensor([[1., 0., 0.],
            [0., 1., 0.]])
    """
    _device.as_device(device, "eye")
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    target = dtype or _dtype.get_default_dtype()
    return _finish(np.eye(n, n if m is None else m, dtype=target.numpy), requires_grad)


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def arange(
    start: Any,
    end: Any = None,
    step: Any = 1,
    *,
    dtype: DType | None = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """Evenly spaced values in [start, end); integers give int64, floats float32.

    With a float step the values are PyTorch's, to the bit (see ``_arange_floats``).

    >>> import minigrad
    >>> minigrad.arange(4.0)
    tensor([0., 1., 2., 3.])
    >>> minigrad.arange(1, 7, 2)
    tensor([1, 3, 5])
    """
    _device.as_device(device, "arange")
    if end is None:
        start, end = 0, start
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = values
    if dtype is None:
        dtype = _dtype.int64 if all(_is_int(v) for v in values) else _dtype.get_default_dtype()
    if dtype is _dtype.bool:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not all(math.isfinite(v) for v in values):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if not dtype.is_floating_point:
        # torch converts the bounds and the step to integers first (truncating).
        first, last, stride = builtins.int(start), builtins.int(end), builtins.int(step)
        if stride == 0:
            raise ValueError("step must be nonzero")
        sign = 1 if stride > 0 else -1
        count = (last - first + stride - sign) // stride
        return _finish(first + stride * np.arange(count, dtype=np.int64), requires_grad)
    count = math.ceil((end - start) / step)
    return _finish(_arange_floats(start, step, count, dtype.numpy), requires_grad)


def _arange_floats(start: float, step: float, count: int, dtype: np.dtype) -> np.ndarray:
    """start + i * step for i < count, rounded to dtype as PyTorch's CPU kernel rounds it.

    torch computes in float64 with fused multiply-adds, in blocks: the elements that fill
    whole pairs of 32-byte vectors (8 float32 or 4 float64 values each) are
    ``base + k * step``, k < block size, from the block's own start ``base`` rounded to
    dtype; the elements left over are ``start + i * step``. So ``arange(0, 10, 0.3)[11]`` is
    3.3000002 in float32, not 3.3.

    >>> _arange_floats(0.0, 0.3, 34, np.dtype(np.float32))[10:13]
    array([3.       , 3.3000002, 3.6000001], dtype=float32)
    """
    block = 32 // dtype.itemsize
    index = np.arange(count, dtype=np.float64)
    values = _fused_multiply_add(step, index, float(start))
    in_blocks = count // (2 * block) * (2 * block)
    if in_blocks:
        bases = values[:in_blocks:block].astype(dtype).astype(np.float64)
        offsets = np.arange(block, dtype=np.float64)
        blocks = _fused_multiply_add(step, offsets[None, :], bases[:, None])
        values[:in_blocks] = blocks.reshape(-1)
    return values.astype(dtype)


def linspace(
    start: float,
    end: float,
    steps: int,
    *,
    dtype: DType | None = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """``steps`` evenly spaced values from start to end, both included.

    >>> import minigrad
    >>> minigrad.linspace(0, 1, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    _device.as_device(device, "linspace")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    target = dtype or _dtype.get_default_dtype()
    if steps == 1:
        return _finish(np.full(1, start).astype(target.numpy), requires_grad)
    # torch's formula: step = (end - start) / (steps - 1); the first half of the values counts
    # up from start, the second half down from end, each as one fused multiply-add.
    if target is _dtype.float32:
        first, last = np.float32(start), np.float32(end)
        step = np.float64((last - first) / np.float32(max(steps - 1, 1)))
        index = np.arange(steps, dtype=np.float64)
        up = np.float64(first) + step * index  # exact product: one rounding, like the CPU's FMA
        down = np.float64(last) - step * (steps - 1 - index)
    else:
        first, last = np.float64(start), np.float64(end)
        step = (last - first) / np.float64(max(steps - 1, 1))
        index = np.arange(steps, dtype=np.float64)
        up = _fused_multiply_add(step, index, first)
        down = _fused_multiply_add(-step, steps - 1 - index, last)
    values = np.where(index < steps // 2, up, down)
    return _finish(values.astype(target.numpy), requires_grad)


def _fused_multiply_add(a: Any, b: np.ndarray, c: Any) -> np.ndarray:
    """a * b + c in float64 with a single rounding (as a CPU's fused multiply-add computes it).

    The product's rounding error is recovered exactly (Dekker's split), the sum's too
    (Knuth's two-sum), and both are added back before the final rounding.
    """
    product = a * b
    a_hi = 134217729.0 * a - (134217729.0 * a - a)
    b_hi = 134217729.0 * b - (134217729.0 * b - b)
    a_lo, b_lo = a - a_hi, b - b_hi
    product_error = ((a_hi * b_hi - product) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    total = product + c
    shift = total - product
    sum_error = (product - (total - shift)) + (c - shift)
    return total + (sum_error + product_error)


# -- random ------------------------------------------------------------------------------------


def _random_shape(size: tuple[Any, ...], keyword: Any, name: str) -> tuple[int, ...]:
    if keyword is not None:
        return _size((keyword,) if isinstance(keyword, (int, np.integer)) else (keyword,), name)
    return _size(size, name)


def _random_floats(
    shape: tuple[int, ...],
    distribution: str,
    generator: Generator | None,
    dtype: DType | None,
    requires_grad: bool,
    kernel: str,
) -> Tensor:
    """``rand``'s and ``randn``'s draw: uniform in [0, 1) or standard normal, float32 by
    default; an integer dtype is refused with the message of torch's ``kernel``."""
    target = dtype or _dtype.get_default_dtype()
    if not target.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_SCALAR_NAMES[target]}'")
    values = getattr(generator or default_generator, distribution)(0.0, 1.0, shape)
    return _finish(values.astype(target.numpy), requires_grad)


def rand(
    *size: Any,
    generator: Generator | None = None,
    dtype: DType | None = None,
    requires_grad: bool = False,
    **kwargs: Any,
) -> Tensor:
    """Uniform random numbers in [0, 1).

    >>> import minigrad
    >>> _ = minigrad.manual_seed(0)
    >>> minigrad.rand(2).shape
    torch.Size([2])
    """
    _device.as_device(kwargs.get("device"), "rand")
    shape = _random_shape(size, kwargs.get("size"), "rand")
    return _random_floats(shape, "uniform", generator, dtype, requires_grad, "check_uniform_bounds")


def randn(
    *size: Any,
    generator: Generator | None = None,
    dtype: DType | None = None,
    requires_grad: bool = False,
    **kwargs: Any,
) -> Tensor:
    """Standard normal random numbers; ``randn(size=())`` gives a 0-d tensor.

    >>> import minigrad
    >>> _ = minigrad.manual_seed(0)
    >>> minigrad.randn(size=()).shape
    torch.Size([])
    """
    _device.as_device(kwargs.get("device"), "randn")
    shape = _random_shape(size, kwargs.get("size"), "randn")
    return _random_floats(shape, "normal", generator, dtype, requires_grad, "normal_kernel_cpu")


def randint(
    low: int,
    high: Any = None,
    size: Any = None,
    *,
    generator: Generator | None = None,
    dtype: DType | None = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """Random integers in [low, high), int64 by default.

    >>> import minigrad
    >>> _ = minigrad.manual_seed(0)
    >>> minigrad.randint(0, 10, (3,)).dtype
    torch.int64
    """
    _device.as_device(device, "randint")
    if size is None:
        low, high, size = 0, low, high
    shape = _size((tuple(size),), "randint")
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    target = dtype or _dtype.int64
    if requires_grad and not target.is_floating_point:
        raise RuntimeError(_FLOAT_ONLY)
    values = (generator or default_generator).integers(low, high, shape)
    return _finish(values.astype(target.numpy), requires_grad)


def randperm(
    n: int, *, generator: Generator | None = None, dtype: DType | None = None, device: Any = None
) -> Tensor:
    """A random permutation of 0 .. n-1.

    >>> import minigrad
    >>> sorted(minigrad.randperm(4).tolist())
    [0, 1, 2, 3]
    """
    _device.as_device(device, "randperm")
    values = (generator or default_generator).permutation(n)
    return Tensor._make(values.astype((dtype or _dtype.int64).numpy))


# -- *_like ------------------------------------------------------------------------------------


def ones_like(
    input: Tensor, *, dtype: DType | None = None, requires_grad: bool = False, **kwargs: Any
) -> Tensor:
    """Ones in the shape (and dtype) of ``input``.

    >>> import minigrad
    >>> minigrad.ones_like(minigrad.zeros(2, dtype=minigrad.int64))
    tensor([1, 1])
    """
    _device.as_device(kwargs.get("device"), "ones_like")
    return _filled(input._data.shape, 1, dtype or input.dtype, requires_grad)


def zeros_like(
    input: Tensor, *, dtype: DType | None = None, requires_grad: bool = False, **kwargs: Any
) -> Tensor:
    """Zeros in the shape (and dtype) of ``input``.

    >>> import minigrad
    >>> minigrad.zeros_like(minigrad.ones(2))
    tensor([0., 0.])
    """
    _device.as_device(kwargs.get("device"), "zeros_like")
    return _filled(input._data.shape, 0, dtype or input.dtype, requires_grad)


def empty_like(
    input: Tensor, *, dtype: DType | None = None, requires_grad: bool = False, **kwargs: Any
) -> Tensor:
    """A tensor in the shape (and dtype) of ``input``, its values not set (zeros here).

    >>> import minigrad
    >>> minigrad.empty_like(minigrad.ones(2, 3)).shape
    torch.Size([2, 3])
    """
    _device.as_device(kwargs.get("device"), "empty_like")
    return zeros_like(input, dtype=dtype, requires_grad=requires_grad)


def full_like(
    input: Tensor,
    fill_value: Any,
    *,
    dtype: DType | None = None,
    requires_grad: bool = False,
    **kwargs: Any,
) -> Tensor:
    """``fill_value`` in the shape and dtype of ``input``.

    >>> import minigrad
    >>> minigrad.full_like(minigrad.ones(2), 7)
    tensor([7., 7.])
    """
    _device.as_device(kwargs.get("device"), "full_like")
    return _filled(input._data.shape, fill_value, dtype or input.dtype, requires_grad)


def rand_like(
    input: Tensor, *, dtype: DType | None = None, requires_grad: bool = False, **kwargs: Any
) -> Tensor:
    """Uniform random numbers in the shape and dtype of ``input``.

    >>> import minigrad
    >>> minigrad.rand_like(minigrad.ones(2)).shape
    torch.Size([2])
    """
    _device.as_device(kwargs.get("device"), "rand_like")
    return rand(input._data.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randn_like(
    input: Tensor, *, dtype: DType | None = None, requires_grad: bool = False, **kwargs: Any
) -> Tensor:
    """Standard normal random numbers in the shape and dtype of ``input``.

    >>> import minigrad
    >>> minigrad.randn_like(minigrad.ones(2, 3)).shape
    torch.Size([2, 3])
    """
    _device.as_device(kwargs.get("device"), "randn_like")
    return randn(input._data.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randint_like(
    input: Tensor, low: int, high: Any = None, *, dtype: DType | None = None, **kwargs: Any
) -> Tensor:
    """Random integers in [low, high) in the shape and dtype of ``input``.

    >>> import minigrad
    >>> minigrad.randint_like(minigrad.ones(3), 5).dtype
    torch.float32
    """
    _device.as_device(kwargs.get("device"), "randint_like")
    if high is None:
        low, high = 0, low
    return randint(low, high, input._data.shape, dtype=dtype or input.dtype)
