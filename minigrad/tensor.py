"""``Tensor``: a NumPy array plus what autograd needs to know about it.

A tensor made by the user is a *leaf*. A tensor made by an operation on tensors that
require grad gets a ``grad_fn``: the node of the backward graph that knows how to send
a gradient back to the operation's inputs. The operations themselves live in
``minigrad.ops``, one ``Function`` class each; the methods here only route to them.
"""

from __future__ import annotations

import builtins
import warnings
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from minigrad import _device, _dtype, _messages, return_types
from minigrad._dtype import dtype as DType
from minigrad._messages import INFERENCE_REQUIRES_GRAD
from minigrad._printing import format_tensor
from minigrad.autograd.grad_mode import _state as _grad_state
from minigrad.autograd.graph import (
    AccumulateGrad,
    InferenceVersionCounter,
    Node,
    RemovableHandle,
    VersionCounter,
)
from minigrad.random import default_generator


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``torch.Size([5, 3])``.

    >>> import minigrad
    >>> minigrad.ones(5, 3).shape
    torch.Size([5, 3])
    """

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(str(n) for n in self)}])"

    def numel(self) -> int:
        return int(np.prod(self, dtype=np.int64))

    # As in PyTorch, slicing, joining and repeating a Size give a Size.
    def __getitem__(self, key: Any) -> Any:
        item = tuple.__getitem__(self, key)
        return Size(item) if isinstance(key, slice) else item

    def __add__(self, other: Any) -> Size:
        if not isinstance(other, tuple):
            raise TypeError(
                f"can only concatenate tuple (not {type(other).__name__}) to torch.Size"
            )
        return Size(tuple.__add__(self, other))

    def __radd__(self, other: Any) -> Size:
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple.__add__(other, self))

    def __mul__(self, times: Any) -> Size:
        return Size(tuple.__mul__(self, times))

    __rmul__ = __mul__


_NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information."
)

_FLOAT_ONLY = "only Tensors of floating point dtype can require gradients"
# The attribute setter (``t.requires_grad = True``) words it differently from requires_grad_().
_FLOAT_OR_COMPLEX_ONLY = "only Tensors of floating point and complex dtype can require gradients"
_NON_LEAF_FLAG = (
    "you can only change requires_grad flags of leaf variables. If you want to use a computed "
    "variable in a subgraph that doesn't require differentiation use "
    "var_no_grad = var.detach()."
)


class Tensor:
    """A multi-dimensional array that can record the operations made with it.

    Make tensors with ``minigrad.tensor``, ``minigrad.ones``, ``minigrad.randn``, ...

    >>> import minigrad
    >>> x = minigrad.arange(4.0, requires_grad=True)
    >>> y = 2 * minigrad.dot(x, x)
    >>> y
    tensor(28., grad_fn=<MulBackward0>)
    >>> y.backward()
    >>> x.grad
    tensor([ 0.,  4.,  8., 12.])
    """

    # The attributes every tensor sets get slots; the rest keep a class-level default until a
    # tensor needs its own (most never do), which keeps making a tensor cheap.
    __slots__ = (
        "_data",
        "_requires_grad",
        "grad_fn",
        "_vc",
        "_is_wrapped_number",
        "__weakref__",
        "__dict__",
    )
    _output_nr = 0
    _grad: Tensor | None = None
    _accumulator: Any = None
    _hooks: list[Callable[..., Any]] | None = None
    _post_accumulate_hooks: list[Callable[..., Any]] | None = None
    _retains_grad = False
    _is_view = False
    _base: Tensor | None = None
    # Let NumPy hand `ndarray * tensor` to Tensor.__rmul__ instead of looping over elements.
    __array_ufunc__ = None

    def __init__(self, data: Any = (), *, requires_grad: bool = False) -> None:
        # torch.Tensor(data) makes a tensor of the default dtype; minigrad.tensor() infers it.
        array = np.array(data, dtype=_dtype.get_default_dtype().numpy)
        self._init(array, requires_grad)

    def _init(self, array: np.ndarray, requires_grad: bool = False) -> None:
        self._data = array
        self._requires_grad = requires_grad
        self.grad_fn: Node | None = None
        self._vc = None
        self._is_wrapped_number = False

    @staticmethod
    def _make(array, requires_grad=False, grad_fn=None, is_wrapped_number=False) -> Tensor:  # noqa: ANN001
        """Wrap a NumPy array without copying it: how operations make their results.

        A wrapped number is a Python number next to a tensor, made a 0-d tensor (as in
        PyTorch) by an operation, which alone holds it: a node that saves it keeps its value.
        """
        t = object.__new__(Tensor)
        t._data = array
        t._requires_grad = requires_grad
        t.grad_fn = grad_fn
        t._vc = None
        t._is_wrapped_number = is_wrapped_number
        return t

    @property
    def _version_counter(self) -> VersionCounter:
        # Made on first use: most tensors are never saved, viewed or changed in place.
        if self._vc is None:
            self._vc = VersionCounter()
        return self._vc

    @_version_counter.setter
    def _version_counter(self, counter: VersionCounter) -> None:
        self._vc = counter

    def _view_of(self, array: np.ndarray) -> Tensor:
        """A tensor on the same memory as self (same version counter), with no history."""
        t = Tensor._make(array)
        t._vc = self._version_counter
        t._is_view = True
        t._base = self._base if self._is_view else self
        return t

    # -- basic facts ----------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None) -> Size | int:
        """The shape, or the length of one dimension.

        >>> import minigrad
        >>> minigrad.ones(5, 3).size(), minigrad.ones(5, 3).size(-1)
        (torch.Size([5, 3]), 3)
        """
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_normalize_dim(dim, self._data.ndim)]

    @property
    def dtype(self) -> DType:
        return _dtype._BY_NUMPY[self._data.dtype]

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return int(self._data.size)

    nelement = numel

    @property
    def device(self) -> _device.device:
        """Where the tensor lives: always ``device(type='cpu')`` in minigrad."""
        return _device.CPU

    @property
    def is_cuda(self) -> builtins.bool:
        return False

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    def is_inference(self) -> bool:
        """True for a tensor made in ``inference_mode`` (autograd may never save it).

        >>> import minigrad
        >>> with minigrad.inference_mode():
        ...     t = minigrad.ones(2)
        >>> t.is_inference(), minigrad.ones(2).is_inference()
        (True, False)
        """
        return type(self._vc) is InferenceVersionCounter

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    @property
    def _version(self) -> int:
        if type(self._vc) is InferenceVersionCounter:  # (see autograd/inference_mode.py)
            raise RuntimeError("Inference tensors do not track version counter.")
        return self._version_counter.value

    @property
    def T(self) -> Tensor:  # noqa: N802 - torch's name
        if self._data.ndim != 2:  # deprecated in PyTorch: it warns, once per process
            _messages.warn_once(
                _messages.T_0D_WARNING if self._data.ndim == 0 else _messages.T_NOT_2D_WARNING
            )
        return self.permute(*range(self._data.ndim - 1, -1, -1))

    @property
    def mT(self) -> Tensor:  # noqa: N802 - torch's name
        return self.transpose(-2, -1)

    # -- requires_grad, grad, history -------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if value and self.grad_fn is None and self._data.dtype.kind != "f":
            raise RuntimeError(_FLOAT_OR_COMPLEX_ONLY)
        if value and self.grad_fn is not None:  # (requires_grad_(True) allows it: torch words)
            raise RuntimeError(_NON_LEAF_FLAG.split(" If ")[0])
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Start (or stop) recording operations on this leaf; returns self.

        >>> import minigrad
        >>> minigrad.ones(2).requires_grad_()
        tensor([1., 1.], requires_grad=True)
        """
        if self.grad_fn is not None:
            if requires_grad:  # a non-leaf requires grad already: nothing to change
                return self
            raise RuntimeError(_NON_LEAF_FLAG)
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError(_FLOAT_ONLY)
        if (
            requires_grad
            and type(self._vc) is InferenceVersionCounter
            and not _grad_state.inference
        ):
            raise RuntimeError(INFERENCE_REQUIRES_GRAD)
        self._requires_grad = builtins.bool(requires_grad)
        return self

    @property
    def grad(self) -> Tensor | None:
        if self.grad_fn is not None and not self._retains_grad and self._grad is None:
            warnings.warn(_NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}"
                )
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{_C_NAMES[value.dtype]}' to a "
                    f"tensor with grad_dtype '{_SCALAR_NAMES[self.dtype]}'. The gradient must "
                    "match the tensor's grad_dtype (defaults to the tensor's dtype). You can set "
                    "the tensor's grad_dtype attribute with a specific dtype, or None to allow "
                    "any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor "
                    "and its gradient may break downstream systems that assume they match."
                )
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{_list(value._data.shape)}' to a "
                    f"tensor of size '{_list(self._data.shape)}'. Please ensure that the "
                    "gradient and the tensor are the same size"
                )
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def retain_grad(self) -> None:
        """Keep this non-leaf tensor's gradient in ``.grad`` after backward.

        >>> import minigrad
        >>> x = minigrad.ones(2, requires_grad=True)
        >>> y = x * 3
        >>> y.retain_grad()
        >>> y.sum().backward()
        >>> y.grad
        tensor([1., 1.])
        """
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self._retains_grad:
            return
        node = self.grad_fn
        if node._retained is None:
            node._retained = {}
        node._retained[self._output_nr] = weakref.ref(self)
        node._hooked = True
        self._retains_grad = True

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Call ``hook(grad)`` when this tensor's gradient is computed; it may return a new one.

        >>> import minigrad
        >>> x = minigrad.ones(2, requires_grad=True)
        >>> handle = x.register_hook(lambda g: g * 10)
        >>> x.sum().backward()
        >>> x.grad
        tensor([10., 10.])
        """
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = []
            hooks = self._hooks
            if self._accumulator is not None and self._accumulator() is not None:
                self._accumulator()._hooked = True
        else:
            node = self.grad_fn
            if node._tensor_pre_hooks is None:
                node._tensor_pre_hooks = {}
            hooks = node._tensor_pre_hooks.setdefault(self._output_nr, [])
            node._hooked = True
        hooks.append(hook)
        return RemovableHandle(hooks, hook)

    def register_post_accumulate_grad_hook(self, hook: Callable[[Tensor], None]) -> RemovableHandle:
        """Call ``hook(self)`` after each gradient is added into this leaf's ``.grad``.

        >>> import minigrad
        >>> w = minigrad.ones(2, requires_grad=True)
        >>> handle = w.register_post_accumulate_grad_hook(lambda t: print(t.grad))
        >>> (w * 3).sum().backward()
        tensor([3., 3.])
        """
        return _autograd.hooks.register_post_accumulate_grad_hook(self, hook)

    def _accumulate_grad_node(self) -> AccumulateGrad:
        # The graph holds the AccumulateGrad node; the leaf only refers to it weakly, so a
        # leaf and its node do not keep each other alive.
        node = self._accumulator() if self._accumulator is not None else None
        if node is None:
            node = AccumulateGrad(self)
            node._hooked = self._hooks is not None
            self._accumulator = weakref.ref(node)
        return node

    def _gradient_edge(self) -> tuple[Node | None, int]:
        if self.grad_fn is not None:
            return (self.grad_fn, self._output_nr)
        if self._requires_grad:
            return (self._accumulate_grad_node(), 0)
        return (None, 0)

    def backward(
        self,
        gradient: Tensor | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Sequence[Tensor] | Tensor | None = None,
    ) -> None:
        """Compute this tensor's gradient with respect to the leaves, into their ``.grad``.

        >>> import minigrad
        >>> x = minigrad.tensor(2.0, requires_grad=True)
        >>> (x**3).backward()
        >>> x.grad
        tensor(12.)
        """
        # The backward pass is run_backward, in autograd/engine.py.
        if inputs is None and not create_graph and (gradient is None or type(gradient) is Tensor):
            _engine.run_backward((self,), (gradient,), retain_graph)
        else:  # PyTorch's extras: inputs=, create_graph's warning, gradients given as a list
            _autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> Tensor:
        """A tensor on the same memory with no history and ``requires_grad=False``.

        >>> import minigrad
        >>> x = minigrad.ones(2, requires_grad=True)
        >>> (x * 2).detach()
        tensor([2., 2.])
        """
        t = Tensor._make(self._data)
        t._version_counter = self._version_counter
        return t

    def detach_(self) -> Tensor:
        """Detach this tensor from its graph in place; returns self."""
        if self._is_view and self.grad_fn is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self.grad_fn = None
        self._requires_grad = False
        return self

    @property
    def data(self) -> Tensor:
        # Like detach(), but with its own version counter: as in PyTorch, changes made
        # through .data are invisible to autograd's in-place checks.
        return Tensor._make(self._data)

    @data.setter
    def data(self, value: Tensor) -> None:
        self._data = value._data

    # -- conversion ---------------------------------------------------------------------
    def numpy(self) -> np.ndarray:
        """The NumPy array behind this tensor (shared memory).

        >>> import minigrad
        >>> minigrad.ones(2).numpy()
        array([1., 1.], dtype=float32)
        """
        # As in PyTorch, refused only while gradients are being recorded.
        if self._requires_grad and _grad_state.enabled:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead."
            )
        return self._data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def item(self) -> builtins.float | builtins.int | builtins.bool:
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar"
            )
        return self._data.reshape(()).item()

    def tolist(self) -> Any:
        return self._data.tolist()

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(_shape.unbind(self, 0))

    def __bool__(self) -> builtins.bool:
        if self._data.size != 1:
            amount = "no values" if self._data.size == 0 else "more than one value"
            raise RuntimeError(f"Boolean value of Tensor with {amount} is ambiguous")
        return builtins.bool(self._data.reshape(()))

    def __float__(self) -> builtins.float:
        return builtins.float(self._scalar_for_conversion())

    def __complex__(self) -> builtins.complex:
        return builtins.complex(self._scalar_for_conversion())

    def _scalar_for_conversion(self) -> np.ndarray:
        """The one element, for float() and complex(); torch warns (once) if it requires grad."""
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        if self._requires_grad and _grad_state.enabled:
            _messages.warn_once(_messages.SCALAR_CONVERSION_WARNING, stacklevel=4)
        return self._data.reshape(())

    def __int__(self) -> builtins.int:
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return builtins.int(self._data.reshape(()))

    def __index__(self) -> builtins.int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(self._data.reshape(()))

    __hash__ = object.__hash__

    def __repr__(self) -> str:

        if self.grad_fn is not None:
            tail = f"grad_fn=<{type(self.grad_fn).__name__}>"
        elif self._requires_grad:
            tail = "requires_grad=True"
        else:
            tail = None
        if "_fw_grad" in self.__dict__:  # a dual tensor of forward-mode AD
            tangent = _tangent_of(self)
            if tangent is not None:
                tail = f"tangent={tangent}" if tail is None else f"{tail}, tangent={tangent}"
        return format_tensor(self._data, self.dtype, tail)

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        # As in PyTorch: a 0-d tensor formats as its Python number (f"{z}" gives "15.0");
        # another tensor only with an empty format spec, as its str.
        if self._data.ndim == 0:
            return self.item().__format__(spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return str(self)

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (_rebuild, (self._data, self._requires_grad))

    def __deepcopy__(self, memo: dict[int, Any]) -> Tensor:
        if self.grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                "protocol at the moment.  If you were attempting to deepcopy a module, this may "
                "be because of a torch.nn.utils.weight_norm usage, see "
                "https://github.com/pytorch/pytorch/pull/103001"
            )
        out = type(self).__new__(type(self))
        Tensor._init(out, self._data.copy(), self._requires_grad)
        if self._grad is not None:
            out._grad = Tensor._make(self._grad._data.copy())
        memo[id(self)] = out
        return out

    # -- operations: each routes to one Function in minigrad.ops -------------------------
    def __add__(self, other: Any) -> Tensor:
        if not _grad_state.enabled:  # (speed: see ops.arithmetic.untracked)
            return _arith.untracked(_arith.Add, self, _operand(other, self))
        return _arith.Add.apply(self, _operand(other, self))

    def __radd__(self, other: Any) -> Tensor:
        if not _grad_state.enabled:  # (speed: see ops.arithmetic.untracked)
            return _arith.untracked(_arith.Add, self, _operand(other, self))
        return _arith.Add.apply(self, _operand(other, self))

    def __sub__(self, other: Any) -> Tensor:
        if not _grad_state.enabled:  # (speed: see ops.arithmetic.untracked)
            return _arith.untracked(_arith.Sub, self, _operand(other, self))
        return _arith.Sub.apply(self, _operand(other, self))

    def __rsub__(self, other: Any) -> Tensor:
        return _arith.Rsub.apply(self, other)

    def __mul__(self, other: Any) -> Tensor:
        if not _grad_state.enabled:  # (speed: see ops.arithmetic.untracked)
            return _arith.untracked(_arith.Mul, self, _operand(other, self))
        return _arith.Mul.apply(self, _operand(other, self))

    def __rmul__(self, other: Any) -> Tensor:
        if not _grad_state.enabled:  # (speed: see ops.arithmetic.untracked)
            return _arith.untracked(_arith.Mul, self, _operand(other, self))
        return _arith.Mul.apply(self, _operand(other, self))

    def __truediv__(self, other: Any) -> Tensor:
        if not _grad_state.enabled:  # (speed: see ops.arithmetic.untracked)
            return _arith.untracked(_arith.Div, self, _operand(other, self))
        return _arith.Div.apply(self, _operand(other, self))

    def __rtruediv__(self, other: Any) -> Tensor:
        # As in PyTorch: number / x is recorded as reciprocal(x) * number.
        return _arith.Mul.apply(_arith.Reciprocal.apply(self), _operand(other, self))

    def __floordiv__(self, other: Any) -> Tensor:
        return _rounding.floor_divide(self, other)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return _rounding.floor_divide(other, self)

    def __mod__(self, other: Any) -> Tensor:
        return _rounding.remainder(self, other)

    def __rmod__(self, other: Any) -> Tensor:
        return _rounding.remainder(other, self)

    def remainder(self, other: Any) -> Tensor:
        """self % other, with the sign of other (Python's rule).

        >>> import minigrad
        >>> minigrad.tensor([5.0, -7.0]).remainder(3)
        tensor([2., 2.])
        """
        return _rounding.remainder(self, other)

    def floor_divide(self, other: Any) -> Tensor:
        """floor(self / other) (not differentiable, as in PyTorch).

        >>> import minigrad
        >>> minigrad.tensor([7.5, -7.5]).floor_divide(2)
        tensor([ 3., -4.])
        """
        return _rounding.floor_divide(self, other)

    def __neg__(self) -> Tensor:
        return _arith.Neg.apply(self)

    def __pos__(self) -> Tensor:
        return self

    def __pow__(self, exponent: Any) -> Tensor:
        return self.pow(exponent)

    def __rpow__(self, base: Any) -> Tensor:
        return _arith.PowScalarBase.apply(base, self)

    def __matmul__(self, other: Tensor) -> Tensor:
        return _linalg.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return _linalg.matmul(_operand(other, self), self)

    def add(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """self + alpha * other."""
        return _arith.Add.apply(self, _operand(other, self), alpha)

    def sub(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """self - alpha * other."""
        return _arith.Sub.apply(self, _operand(other, self), alpha)

    subtract = sub

    def mul(self, other: Any) -> Tensor:
        return self * other

    multiply = mul

    def div(self, other: Any) -> Tensor:
        return self / other

    divide = div
    true_divide = div

    def neg(self) -> Tensor:
        return _arith.Neg.apply(self)

    negative = neg

    def reciprocal(self) -> Tensor:
        return _arith.Reciprocal.apply(self)

    def pow(self, exponent: Any) -> Tensor:
        """self ** exponent, for a number or a tensor exponent.

        >>> import minigrad
        >>> minigrad.tensor([1.0, 2.0]).pow(2)
        tensor([1., 4.])
        """
        if isinstance(exponent, Tensor):
            return _arith.PowTensor.apply(self, exponent)
        return _arith.Pow.apply(self, exponent)

    def square(self) -> Tensor:
        return self.pow(2)

    def matmul(self, other: Tensor) -> Tensor:
        return _linalg.matmul(self, other)

    def mm(self, other: Tensor) -> Tensor:
        return _linalg.Mm.apply(self, other)

    def mv(self, vec: Tensor) -> Tensor:
        return _linalg.Mv.apply(self, vec)

    def dot(self, other: Tensor) -> Tensor:
        return _linalg.Dot.apply(self, other)

    def bmm(self, other: Tensor) -> Tensor:
        return _linalg.Bmm.apply(self, other)

    # elementwise functions
    def exp(self) -> Tensor:
        return _unary.Exp.apply(self)

    def log(self) -> Tensor:
        return _unary.Log.apply(self)

    def sqrt(self) -> Tensor:
        return _unary.Sqrt.apply(self)

    def abs(self) -> Tensor:  # noqa: A003 - torch's name
        return _unary.Abs.apply(self)

    __abs__ = abs  # noqa: A003

    def sign(self) -> Tensor:
        return _unary.Sign.apply(self)

    def sin(self) -> Tensor:
        return _unary.Sin.apply(self)

    def cos(self) -> Tensor:
        return _unary.Cos.apply(self)

    def sinh(self) -> Tensor:
        """Hyperbolic sine, elementwise.

        >>> import minigrad
        >>> minigrad.tensor([0.0, 1.0]).sinh()
        tensor([0.0000, 1.1752])
        """
        return _unary.Sinh.apply(self)

    def cosh(self) -> Tensor:
        """Hyperbolic cosine, elementwise.

        >>> import minigrad
        >>> minigrad.tensor([0.0, 1.0]).cosh()
        tensor([1.0000, 1.5431])
        """
        return _unary.Cosh.apply(self)

    def log10(self) -> Tensor:
        """Logarithm to base 10, elementwise.

        >>> import minigrad
        >>> minigrad.tensor([1.0, 100.0]).log10()
        tensor([0., 2.])
        """
        return _unary.Log10.apply(self)

    def log2(self) -> Tensor:
        """Logarithm to base 2, elementwise.

        >>> import minigrad
        >>> minigrad.tensor([1.0, 8.0]).log2()
        tensor([0., 3.])
        """
        return _unary.Log2.apply(self)

    def round(self, *, decimals: builtins.int | None = None) -> Tensor:
        """Round to the nearest integer (halves to even), or to ``decimals`` decimal places.

        >>> import minigrad
        >>> minigrad.tensor([0.5, 1.5, 2.5]).round()
        tensor([0., 2., 2.])
        """
        return _rounding.round(self, decimals)

    def tanh(self) -> Tensor:
        return _unary.Tanh.apply(self)

    def sigmoid(self) -> Tensor:
        return _unary.Sigmoid.apply(self)

    def relu(self) -> Tensor:
        return _unary.Relu.apply(self)

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002 - torch's names
        """Limit every element to [min, max]."""
        return _unary.clamp(self, min, max)

    clip = clamp

    def maximum(self, other: Tensor) -> Tensor:
        return _unary.Maximum.apply(self, other)

    def minimum(self, other: Tensor) -> Tensor:
        return _unary.Minimum.apply(self, other)

    def masked_fill(self, mask: Any, value: Any) -> Tensor:
        """self with ``value`` where ``mask`` is True."""
        return _unary.masked_fill(self, mask, value)

    def softmax(self, dim: Any = None, *, axis: Any = None) -> Tensor:
        return _reduction.Softmax.apply(self, _normalize_dim(_dim(dim, axis), self._data.ndim))

    def log_softmax(self, dim: Any = None, *, axis: Any = None) -> Tensor:
        return _reduction.LogSoftmax.apply(self, _normalize_dim(_dim(dim, axis), self._data.ndim))

    # reductions
    def sum(
        self, dim: Any = None, keepdim: builtins.bool = False, *, dtype: Any = None, axis=None
    ) -> Tensor:
        """Sum of all elements, or over ``dim`` (or ``axis``, its NumPy name).

        >>> import minigrad
        >>> minigrad.ones(2, 3).sum(0)
        tensor([2., 2., 2.])
        """
        return _reduction.sum(self, dim if axis is None else axis, keepdim, dtype)

    def mean(
        self, dim: Any = None, keepdim: builtins.bool = False, *, dtype: Any = None, axis=None
    ) -> Tensor:
        """Mean of all elements, or over ``dim`` (or ``axis``)."""
        return _reduction.mean(self, dim if axis is None else axis, keepdim, dtype)

    def prod(self, dim: Any = None, keepdim: builtins.bool = False, *, axis: Any = None) -> Tensor:
        dim = _dim(dim, axis)
        if dim is None:
            return _reduction.Prod.apply(self)
        return _reduction.ProdDim.apply(self, _normalize_dim(dim, self._data.ndim), keepdim)

    def max(self, dim: Any = None, keepdim: builtins.bool = False, *, axis: Any = None) -> Any:
        """The largest element; along ``dim``: (values, indices); of two tensors: elementwise."""
        dim = _dim(dim, axis)
        if isinstance(dim, Tensor):
            return self.maximum(dim)
        if dim is None:
            return _reduction.MaxAll.apply(self)
        d = _normalize_dim(dim, self._data.ndim)
        _check_reduce_nonempty(self, d, "max")
        return return_types.max(*_reduction.MaxDim.apply(self, d, keepdim))

    def min(self, dim: Any = None, keepdim: builtins.bool = False, *, axis: Any = None) -> Any:
        """The smallest element; along ``dim``: (values, indices); of two tensors: elementwise."""
        dim = _dim(dim, axis)
        if isinstance(dim, Tensor):
            return self.minimum(dim)
        if dim is None:
            return _reduction.MinAll.apply(self)
        d = _normalize_dim(dim, self._data.ndim)
        _check_reduce_nonempty(self, d, "min")
        return return_types.min(*_reduction.MinDim.apply(self, d, keepdim))

    def amax(self, dim: Any = (), keepdim: builtins.bool = False, *, axis: Any = None) -> Tensor:
        return _reduction.amax(self, _dim(dim, axis), keepdim, "amax")

    def amin(self, dim: Any = (), keepdim: builtins.bool = False, *, axis: Any = None) -> Tensor:
        return _reduction.amax(self, _dim(dim, axis), keepdim, "amin")

    def argmax(
        self, dim: Any = None, keepdim: builtins.bool = False, *, axis: Any = None
    ) -> Tensor:
        return _reduction.arg_reduce(self, _dim(dim, axis), keepdim, "argmax")

    def argmin(
        self, dim: Any = None, keepdim: builtins.bool = False, *, axis: Any = None
    ) -> Tensor:
        return _reduction.arg_reduce(self, _dim(dim, axis), keepdim, "argmin")

    def norm(
        self,
        p: Any = "fro",
        dim: Any = None,
        keepdim: builtins.bool = False,
        dtype: DType | None = None,
    ) -> Tensor:
        """The vector p-norm (2 by default) of all elements, or over ``dim``."""
        return _reduction.norm(self, p, dim, keepdim, dtype)

    def all(self, dim: Any = None, keepdim: builtins.bool = False, *, axis: Any = None) -> Tensor:
        """Whether every element (or every one along ``dim``) is nonzero: a bool tensor."""
        return _statistics.all_or_any("all", self, _dim(dim, axis), keepdim)

    def any(self, dim: Any = None, keepdim: builtins.bool = False, *, axis: Any = None) -> Tensor:
        """Whether some element (or some along ``dim``) is nonzero: a bool tensor."""
        return _statistics.all_or_any("any", self, _dim(dim, axis), keepdim)

    def cumsum(self, dim: Any = None, *, dtype: Any = None, axis: Any = None) -> Tensor:
        """Running sums along ``dim``.

        >>> import minigrad
        >>> minigrad.tensor([1.0, 2.0, 3.0]).cumsum(0)
        tensor([1., 3., 6.])
        """
        return _cumulative.cumsum(self, _dim(dim, axis), dtype)

    def logsumexp(
        self, dim: Any = None, keepdim: builtins.bool = False, *, axis: Any = None
    ) -> Tensor:
        """log(sum(exp(self))) over ``dim``, computed without overflow.

        >>> import minigrad
        >>> minigrad.tensor([0.0, 0.0]).logsumexp(0)
        tensor(0.6931)
        """
        return _statistics.logsumexp(self, _dim(dim, axis), keepdim)

    def var(
        self, dim: Any = None, unbiased: Any = None, keepdim=False, *, correction=None, axis=None
    ) -> Tensor:
        """The variance (with Bessel's correction unless ``unbiased=False`` or ``correction``).

        >>> import minigrad
        >>> minigrad.tensor([1.0, 2.0, 3.0, 4.0]).var()
        tensor(1.6667)
        """
        return _statistics.var_or_std("var", self, _dim(dim, axis), unbiased, keepdim, correction)

    def std(
        self, dim: Any = None, unbiased: Any = None, keepdim=False, *, correction=None, axis=None
    ) -> Tensor:
        """The standard deviation, the square root of ``var`` (same arguments).

        >>> import minigrad
        >>> minigrad.tensor([1.0, 2.0, 3.0, 4.0]).std()
        tensor(1.2910)
        """
        return _statistics.var_or_std("std", self, _dim(dim, axis), unbiased, keepdim, correction)

    def sort(
        self, dim: Any = -1, descending: Any = False, *, stable: Any = None, axis: Any = None
    ) -> Any:
        """The values sorted along ``dim`` and their indices (a stable sort).

        >>> import minigrad
        >>> minigrad.tensor([3.0, 1.0, 2.0]).sort(descending=True).indices
        tensor([0, 2, 1])
        """
        return _sorting.sort(self, _dim(dim, axis), descending, stable=stable)

    def topk(self, k: builtins.int, dim: Any = -1, largest: Any = True, sorted: Any = True) -> Any:
        """The k largest (``largest=False``: smallest) values along ``dim`` and their indices.

        >>> import minigrad
        >>> minigrad.tensor([3.0, 1.0, 2.0]).topk(2).values
        tensor([3., 2.])
        """
        return _sorting.topk(self, k, dim, largest, sorted)

    def nonzero(self, *, as_tuple: builtins.bool = False) -> Any:
        """The indices of the nonzero elements (one row each, or one tensor per dimension).

        >>> import minigrad
        >>> minigrad.tensor([0.0, 3.0, 4.0]).nonzero()
        tensor([[1],
                [2]])
        """
        return _sorting.nonzero(self, as_tuple)

    # shapes
    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in another shape (a view when the memory layout allows)."""
        return _shape.reshape(self, _shape_args(shape))

    def view(self, *shape: Any) -> Tensor:
        """The same memory seen with another shape; refuses when that would need a copy."""
        return _shape.View.apply(self, _shape.infer_shape(_shape_args(shape), self._data.size))

    def view_as(self, other: Tensor) -> Tensor:
        return self.view(other.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        return self.reshape(other.shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        if self._data.ndim == 0:
            return self.reshape(1)
        start = _normalize_dim(start_dim, self._data.ndim)
        end = _normalize_dim(end_dim, self._data.ndim)
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        if start == end:
            return self
        shape = self._data.shape
        return self.reshape(*shape[:start], -1, *shape[end + 1 :])

    def t(self) -> Tensor:
        return _shape.T.apply(self)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        n = self._data.ndim
        return _shape.Transpose.apply(self, _normalize_dim(dim0, n), _normalize_dim(dim1, n))

    swapaxes = transpose

    def permute(self, *dims: Any) -> Tensor:
        dims = _shape_args(dims)
        if len(dims) != self._data.ndim:
            raise RuntimeError(
                "permute(): number of dimensions in the tensor input does not match the "
                "length of the desired ordering of dimensions i.e. input.dim() = "
                f"{self._data.ndim} is not equal to len(dims) = {len(dims)}"
            )
        normalized = tuple(_normalize_dim(d, self._data.ndim) for d in dims)
        if len(set(normalized)) != len(normalized):
            raise RuntimeError("permute(): duplicate dims are not allowed.")
        return _shape.Permute.apply(self, normalized)

    def squeeze(self, dim: Any = None, *, axis: Any = None) -> Tensor:
        dim = _dim(dim, axis)
        if dim is None:
            return _shape.Squeeze.apply(self)
        if isinstance(dim, (tuple, list)):
            dims = tuple(_normalize_dim(d, self._data.ndim) for d in dim)
            return _shape.SqueezeDims.apply(self, dims)
        return _shape.SqueezeDim.apply(self, (_normalize_dim(dim, self._data.ndim),))

    def unsqueeze(self, dim: Any = None, *, axis: Any = None) -> Tensor:
        dim = _dim(dim, axis)
        if dim is None:
            raise TypeError('unsqueeze() missing 1 required positional arguments: "dim"')
        return _shape.Unsqueeze.apply(self, _normalize_dim(dim, self._data.ndim + 1))

    def expand(self, *sizes: Any) -> Tensor:
        if not sizes:
            raise TypeError('expand() missing 1 required positional arguments: "size"')
        shape = _shape.expanded_shape(self._data.shape, _shape_args(sizes), self._data.dtype)
        return _shape.Expand.apply(self, shape)

    def expand_as(self, other: Tensor) -> Tensor:
        return self.expand(other.shape)

    def sum_to_size(self, *size: Any) -> Tensor:
        """Sum broadcast dimensions away so the result has ``size``."""
        shape = _shape_args(size)
        if shape == self._data.shape:
            return self
        if not expandable_to(shape, self._data.shape):
            raise RuntimeError(
                f"size {{{_list(shape)}}} is not expandable to size {{{_list(self._data.shape)}}}."
            )
        return _shape.SumToSize.apply(self, shape)

    def narrow(self, dim: int, start: int, length: int) -> Tensor:
        return _shape.narrow(self, dim, start, length)

    def select(self, dim: int, index: int) -> Tensor:
        return _shape.select(self, dim, index)

    def unbind(self, dim: int = 0) -> tuple[Tensor, ...]:
        return _shape.unbind(self, dim)

    def where(self, condition: Tensor, other: Any) -> Tensor:
        return _unary.where(condition, self, other)

    def clone(self) -> Tensor:
        """A copy with its own memory; gradients flow back through it."""
        return _shape.Clone.apply(self)

    def contiguous(self) -> Tensor:
        return self if self._data.flags.c_contiguous else self.clone()

    def is_contiguous(self) -> builtins.bool:
        return builtins.bool(self._data.flags.c_contiguous)

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """The tensor converted to a dtype and device (self when it already has them, unless
        ``copy=True``): ``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)``.

        >>> import minigrad
        >>> minigrad.ones(2).to("cpu", minigrad.float64)
        tensor([1., 1.], dtype=torch.float64)
        """
        return _conversion.convert(self, *_conversion.to_arguments(args, kwargs))

    def type(self, dtype: Any = None, non_blocking: builtins.bool = False) -> Any:
        """The tensor's type name ('torch.FloatTensor', ...), or the tensor converted to
        ``dtype`` (a dtype or such a name).

        >>> import minigrad
        >>> minigrad.ones(2).type()
        'torch.FloatTensor'
        >>> minigrad.ones(2).type("torch.LongTensor")
        tensor([1, 1])
        """
        if dtype is None:
            return self.dtype.tensor_type
        return self.to(_conversion.type_argument(dtype))

    def type_as(self, other: Tensor) -> Tensor:
        return self.to(other.dtype)

    def float(self) -> Tensor:
        return self.to(_dtype.float32)

    def double(self) -> Tensor:
        return self.to(_dtype.float64)

    def long(self) -> Tensor:
        return self.to(_dtype.int64)

    def bool(self) -> Tensor:
        return self.to(_dtype.bool)

    def cpu(self, memory_format: Any = None) -> Tensor:
        """The tensor itself: it is on the CPU already."""
        return self

    def cuda(self, device: Any = None, non_blocking: builtins.bool = False) -> Tensor:
        """PyTorch's error: minigrad has no CUDA device."""
        raise _device.cuda_error(device)

    # comparisons and logic: bool tensors, never recorded
    def _compare(self, other: Any, ufunc: Callable[..., np.ndarray]) -> Tensor:
        x, y = _binary_arrays(self, _operand(other, self))
        return Tensor._make(np.asarray(ufunc(x, y)))

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, np.equal)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, np.not_equal)

    def __lt__(self, other: Any) -> Tensor:
        return self._compare(other, np.less)

    def __le__(self, other: Any) -> Tensor:
        return self._compare(other, np.less_equal)

    def __gt__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater)

    def __ge__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater_equal)

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__

    def __and__(self, other: Any) -> Tensor:
        return self._compare(other, np.bitwise_and)

    def __or__(self, other: Any) -> Tensor:
        return self._compare(other, np.bitwise_or)

    def __xor__(self, other: Any) -> Tensor:
        return self._compare(other, np.bitwise_xor)

    def __invert__(self) -> Tensor:
        return Tensor._make(np.asarray(~self._data))

    def logical_not(self) -> Tensor:
        return Tensor._make(np.asarray(np.logical_not(self._data)))

    def isnan(self) -> Tensor:
        return Tensor._make(np.asarray(np.isnan(self._data)))

    def isinf(self) -> Tensor:
        return Tensor._make(np.asarray(np.isinf(self._data)))

    def isfinite(self) -> Tensor:
        return Tensor._make(np.asarray(np.isfinite(self._data)))

    def allclose(
        self,
        other: Tensor,
        rtol: builtins.float = 1e-05,
        atol: builtins.float = 1e-08,
        equal_nan: builtins.bool = False,
    ) -> builtins.bool:
        return builtins.bool(
            np.allclose(self._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan)
        )

    def equal(self, other: Tensor) -> builtins.bool:
        return self._data.shape == other._data.shape and builtins.bool(
            np.array_equal(self._data, other._data)
        )

    # indexing
    def __getitem__(self, key: Any) -> Tensor:
        """Indexing as in PyTorch: ints and slices give views, tensors and masks give copies."""
        return _indexing.getitem(self, key)

    def __setitem__(self, key: Any, value: Any) -> None:
        _indexing.setitem(self, key, value)

    # in-place operations: the result of the out-of-place op, written into self
    def _inplace(self, function: Any, *args: Any) -> Tensor:
        return _indexing.inplace(self, function, *args)

    def add_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        return self._inplace(_arith.Add, _operand(other, self), alpha)

    def sub_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        return self._inplace(_arith.Sub, _operand(other, self), alpha)

    def mul_(self, other: Any) -> Tensor:
        return self._inplace(_arith.Mul, _operand(other, self))

    def div_(self, other: Any) -> Tensor:
        return self._inplace(_arith.Div, _operand(other, self))

    def pow_(self, exponent: Any) -> Tensor:
        return self._inplace(_arith.Pow, exponent)

    def neg_(self) -> Tensor:
        return self._inplace(_arith.Neg)

    def exp_(self) -> Tensor:
        return self._inplace(_unary.Exp)

    def log_(self) -> Tensor:
        return self._inplace(_unary.Log)

    def sqrt_(self) -> Tensor:
        return self._inplace(_unary.Sqrt)

    def abs_(self) -> Tensor:
        return self._inplace(_unary.Abs)

    def sin_(self) -> Tensor:
        return self._inplace(_unary.Sin)

    def cos_(self) -> Tensor:
        return self._inplace(_unary.Cos)

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        return self._inplace(_unary.Clamp, min, max)

    clip_ = clamp_

    def relu_(self) -> Tensor:
        return self._inplace(_unary.Relu)

    def sigmoid_(self) -> Tensor:
        return self._inplace(_unary.Sigmoid)

    def tanh_(self) -> Tensor:
        return self._inplace(_unary.Tanh)

    def masked_fill_(self, mask: Any, value: Any) -> Tensor:
        mask_array = mask._data if isinstance(mask, Tensor) else np.asarray(mask)
        return self._inplace(_unary.MaskedFill, mask_array, value)

    def copy_(self, src: Any) -> Tensor:
        """Copy src's values into self (broadcasting src); gradients flow to src."""
        return _indexing.copy_(self, src)

    def zero_(self) -> Tensor:
        """Fill with zeros in place; returns self.

        >>> import minigrad
        >>> minigrad.ones(3).zero_()
        tensor([0., 0., 0.])
        """
        return _indexing.zero_(self)

    def fill_(self, value: Any) -> Tensor:
        return _indexing.fill_(self, value)

    def normal_(self, mean: builtins.float = 0.0, std: builtins.float = 1.0) -> Tensor:

        values = default_generator.normal(mean, std, self._data.shape)
        return _indexing.overwrite(self, values, _indexing.Normal)

    def random_(self, *bounds: Any, generator: Any = None) -> Tensor:
        """Fill with whole numbers drawn uniformly: ``random_(to)`` from [0, to),
        ``random_(from, to)`` from [from, to), ``random_()`` from [0, 2**24] (float32).

        >>> import minigrad
        >>> x = minigrad.zeros(6).random_(3)
        >>> bool(((x >= 0) & (x < 3) & (x == x.round())).all())
        True
        """
        return _indexing.random_(self, bounds, generator)

    def uniform_(self, a: builtins.float = 0.0, b: builtins.float = 1.0) -> Tensor:

        values = default_generator.uniform(a, b, self._data.shape)
        return _indexing.overwrite(self, values, _indexing.Uniform)

    def __iadd__(self, other: Any) -> Tensor:
        return self.add_(other)

    def __isub__(self, other: Any) -> Tensor:
        return self.sub_(other)

    def __imul__(self, other: Any) -> Tensor:
        return self.mul_(other)

    def __itruediv__(self, other: Any) -> Tensor:
        return self.div_(other)


def _dim(dim: Any, axis: Any) -> Any:
    """``dim``, or its NumPy-style alias ``axis`` (PyTorch accepts either keyword)."""
    return dim if axis is None else axis


def _rebuild(array: np.ndarray, requires_grad: bool) -> Tensor:
    return Tensor._make(array, requires_grad)


def _list(shape: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(n) for n in shape) + "]"


def _normalize_dim(dim: int, ndim: int) -> int:
    """A dimension index in range, or torch's IndexError."""
    low, high = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not low <= dim <= high:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})"
        )
    return dim % builtins.max(ndim, 1)


# Names torch uses for dtypes in some messages.
_SCALAR_NAMES = {
    _dtype.float32: "Float",
    _dtype.float64: "Double",
    _dtype.int64: "Long",
    _dtype.bool: "Bool",
}
_C_NAMES = {
    _dtype.float32: "float",
    _dtype.float64: "double",
    _dtype.int64: "long int",
    _dtype.bool: "bool",
}


def _shape_args(args: tuple[Any, ...]) -> tuple[int, ...]:
    """Shapes may be given as ``f(2, 3)``, ``f((2, 3))`` or ``f([2, 3])``."""
    if len(args) == 1 and isinstance(args[0], (tuple, list, Size)):
        args = tuple(args[0])
    return tuple(map(builtins.int, args))


def expandable_to(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    """True when an array of ``shape`` broadcasts to ``target`` (``target`` is not changed)."""
    if len(shape) > len(target):
        return False
    for small, big in zip(reversed(shape), reversed(target)):  # (a loop: no generator to make)
        if small != 1 and small != big:
            return False
    return True


def _check_reduce_nonempty(t: Tensor, dim: int, name: str) -> None:
    if t._data.shape[dim] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {dim} to have non-zero size.")


# The operations and forward-mode AD need the Tensor class, so they are imported after it.
from minigrad import _conversion  # noqa: E402
from minigrad import autograd as _autograd  # noqa: E402
from minigrad.autograd import engine as _engine  # noqa: E402
from minigrad.autograd.forward_ad import _tangent_of  # noqa: E402
from minigrad.ops import arithmetic as _arith  # noqa: E402
from minigrad.ops import cumulative as _cumulative  # noqa: E402
from minigrad.ops import indexing as _indexing  # noqa: E402
from minigrad.ops import linalg as _linalg  # noqa: E402
from minigrad.ops import reduction as _reduction  # noqa: E402
from minigrad.ops import rounding as _rounding  # noqa: E402
from minigrad.ops import shape as _shape  # noqa: E402
from minigrad.ops import sorting as _sorting  # noqa: E402
from minigrad.ops import statistics as _statistics  # noqa: E402
from minigrad.ops import unary as _unary  # noqa: E402
from minigrad.ops.arithmetic import binary_arrays as _binary_arrays  # noqa: E402
from minigrad.ops.arithmetic import operand as _operand  # noqa: E402
