"""Saved tensors, and the version counters that catch their change in place.

A node keeps what forward gave ``ctx.save_for_backward``. If one of those tensors is changed in
place before backward reads it, backward would compute with the wrong values: each tensor
counts its in-place changes (its version), a node remembers the version it saved, and
reading a saved tensor whose version moved on raises PyTorch's error.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad._dtype import from_numpy_dtype
from minigrad._messages import FREED_MESSAGE, INFERENCE_SAVED
from minigrad._shapes import size_list
from minigrad.autograd.grad_mode import _GradState
from minigrad.autograd.graph import InferenceVersionCounter, Node
from minigrad.autograd.graph import InferenceVersionCounter as _Inference
from minigrad.autograd.saved_hooks import saved_tensors_hooks_stack
from minigrad.tensor import Tensor


class SavedTensor:
    """A tensor saved by a node, checked against in-place changes when it is used.

    An input is kept as it is. An output is kept as its array only, and rebuilt with the
    node as its ``grad_fn`` when unpacked: keeping the output tensor itself would make a
    reference cycle (output -> node -> output) that only the cyclic GC could free.
    (Most saved inputs need no SavedTensor at all: see ``keep_saved`` in function.py.)
    """

    __slots__ = ("tensor", "data", "version_counter", "version", "output_nr", "requires_grad")

    def __init__(self, tensor: Tensor, is_output: bool) -> None:
        if is_output:
            self._keep_output(tensor)
        else:
            # An input is kept as it is. It has a version counter (an input without one needs
            # no SavedTensor: see ``keep_saved``), read again when the input is used.
            self.tensor = tensor
            self.data = self.version_counter = None
            self.version = tensor._vc.value

    def _keep_output(self, tensor: Tensor) -> None:
        """Keep an output as its array, its version counter and what its grad_fn needs."""
        self.tensor = None
        self.data = tensor._data
        self.version_counter = tensor._version_counter
        self.version = self.version_counter.value
        self.output_nr = tensor._output_nr
        self.requires_grad = tensor._requires_grad

    def current_version(self) -> int:
        """The saved tensor's version now; it must still be ``self.version`` to be used."""
        if self.tensor is None:
            return self.version_counter.value
        return self.tensor._vc.value

    def unpack(self, node: Node) -> Tensor:
        if self.tensor is None:
            return self._unpack_output(node)
        if self.tensor._vc.value != self.version:
            raise RuntimeError(self._modified_message(node))
        return self.tensor

    def _unpack_output(self, node: Node) -> Tensor:
        """The output made again from its array, with the node that saved it as its grad_fn."""
        if self.version_counter.value != self.version:
            raise RuntimeError(self._modified_message(node))
        out = Tensor._make(self.data, self.requires_grad, node if self.requires_grad else None)
        out._output_nr = self.output_nr
        out._vc = self.version_counter
        return out

    def _modified_message(self, node: Node) -> str:
        data = self.data if self.tensor is None else self.tensor._data
        kind = from_numpy_dtype(data.dtype).tensor_type
        # An output names the node that saved it; an input names its current grad_fn. PyTorch
        # 2.13 names the operation, without the node's "Backward0" suffix.
        if self.tensor is None:
            origin = f", which is output {self.output_nr} of {_operation_name(node)},"
        elif self.tensor.grad_fn is not None:
            origin = (
                f", which is output {self.tensor._output_nr} of "
                f"{_operation_name(self.tensor.grad_fn)},"
            )
        else:
            origin = ""
        hint = (
            "the backtrace further above shows the operation that failed to compute its "
            "gradient. The variable in question was changed in there or anywhere later. Good "
            "luck!"
            if _GradState.anomaly  # (anomaly mode has just shown where the node was made)
            else "enable anomaly detection to find the operation that failed to compute its "
            "gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."
        )
        return (
            "one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [{kind} {size_list(data.shape)}]{origin} is at version "
            f"{self.current_version()}; expected version {self.version} instead. Hint: {hint}"
        )


def saved_form(tensor: Tensor, outputs: tuple[Any, ...]) -> SavedTensor | Tensor | np.ndarray:
    """How a node keeps a tensor that is an output, a wrapped number, or has a version."""
    if tensor._is_wrapped_number is float and tensor._vc is None:
        # A wrapped number, which nothing else holds, is kept as its array: one object fewer per
        # node for Python's garbage collector (arrays are not tracked), in graphs of x * 1.0001.
        return tensor._data
    for output in outputs:
        if tensor is output:
            return SavedTensor(tensor, is_output=True)
    if tensor._vc is None:
        return tensor  # an input at version 0 is kept as it is (see unpack_saved)
    return SavedTensor(tensor, False) if type(tensor._vc) is not _Inference else _refused(tensor)


def _refused(tensor: Tensor) -> Any:
    """An inference tensor (see inference_mode.py) is never saved for backward."""
    raise RuntimeError(INFERENCE_SAVED)


class PackedSaved:
    """A tensor saved through a pack hook (``saved_tensors_hooks``, or ``register_hooks`` of
    ``node._raw_saved_*``): the node keeps what the hook returned, and what the tensor was
    to autograd, to make it again from what the unpack hook gives back."""

    __slots__ = (
        "packed",
        "unpack_hook",
        "is_output",
        "requires_grad",
        "grad_fn",
        "output_nr",
        "accumulator",
    )

    def __init__(self, tensor: Tensor, pack_hook: Any, unpack_hook: Any, is_output: bool) -> None:
        version = tensor._vc.value if tensor._vc is not None else 0
        self.packed = pack_hook(tensor)
        if (tensor._vc.value if tensor._vc is not None else 0) != version:
            raise RuntimeError(
                "A saved tensor pack hook is modifying its input in place. Tensors provided as "
                "input to pack hook cannot be modified by in-place operations as this can lead "
                "to unexpected side-effects. Please open an issue if you need to perform "
                "in-place operations on the input to a pack hook."
            )
        self.unpack_hook = unpack_hook
        self.is_output = is_output
        self.requires_grad = tensor._requires_grad
        # (an output's grad_fn is the node that saved it: given at unpack, not kept: no cycle)
        self.grad_fn = None if is_output else tensor.grad_fn
        self.output_nr = tensor._output_nr
        self.accumulator = tensor._accumulator  # a leaf's: its gradient goes on to the leaf

    def unpack(self, node: Node) -> Tensor:
        data = self.unpack_hook(self.packed)
        if not isinstance(data, Tensor):
            raise TypeError(
                "Output of saved tensor unpack_hook expected to be a Tensor but got result of "
                f"type {type(data).__name__}"
            )
        grad_fn = node if self.is_output else self.grad_fn
        out = Tensor._make(data._data, self.requires_grad, grad_fn if self.requires_grad else None)
        out._output_nr = self.output_nr
        if self.accumulator is not None and grad_fn is None:
            out._accumulator = self.accumulator
        return out


def pack_saved(to_save: tuple[Any, ...], outputs: tuple[Any, ...]) -> tuple[Any, ...]:
    """What ``record`` keeps while a ``saved_tensors_hooks`` block is open: each saved
    tensor given to the innermost pack hook (wrapped numbers and None as without hooks)."""
    pack_hook, unpack_hook = saved_tensors_hooks_stack[-1]
    kept = []
    for tensor in to_save:
        if tensor is None or tensor._is_wrapped_number:
            kept.append(None if tensor is None else tensor._data)
            continue
        if type(tensor._vc) is InferenceVersionCounter:
            raise RuntimeError(INFERENCE_SAVED)
        is_output = any(tensor is output for output in outputs)
        kept.append(PackedSaved(tensor, pack_hook, unpack_hook, is_output))
    return tuple(kept)


class RawSavedTensor:
    """``node._raw_saved_<name>``: one saved tensor of a node, to give it a pack and an
    unpack hook (``register_hooks``) after the fact."""

    def __init__(self, node: Node, index: int) -> None:
        self._node = node
        self._index = index

    def __repr__(self) -> str:
        return f"<torch._C._autograd.SavedTensor object at {id(self):#x}>"

    def register_hooks(self, pack_hook: Any, unpack_hook: Any) -> None:
        """Pack the saved tensor now with ``pack_hook``; ``unpack_hook`` gives it back."""
        node, index = self._node, self._index
        if node._freed:
            raise RuntimeError(
                "Calling register_hooks on a saved tensor after it has been freed. Saved "
                "intermediate values of the graph are freed when you call .backward() or "
                "autograd.grad(). Specify retain_graph=True if you need to backward through the "
                "graph a second time or if you need to access saved variables after calling "
                "backward."
            )
        entries = list(node._saved or ())
        entry = entries[index] if index < len(entries) else None
        if type(entry) is PackedSaved:
            raise RuntimeError(
                "Calling register_hooks on a saved tensor whose hooks have already been set. "
                "Hint: only one pair of hooks is allowed at a time."
            )
        if entry is None:
            raise RuntimeError(
                "Calling register_hooks on a saved tensor with value None is forbidden"
            )
        is_output = type(entry) is SavedTensor and entry.tensor is None
        tensor = unpack_checked(entry, node) if type(entry) is not Tensor else entry
        entries[index] = PackedSaved(tensor, pack_hook, unpack_hook, is_output)
        node._saved = tuple(entries)


def unpack_checked(saved: SavedTensor | Tensor | np.ndarray, node: Node) -> Tensor:
    """The tensor a node saved, after checking that it was not changed in place since.

    A ``SavedTensor`` (or a ``PackedSaved``) checks itself; what a node keeps bare is
    unpacked by ``_unpack_bare``.
    """
    if type(saved) is SavedTensor or type(saved) is PackedSaved:  # (packed: see PackedSaved)
        return saved.unpack(node)
    return _unpack_bare(saved, node)


def _unpack_bare(saved: Tensor | np.ndarray, node: Node) -> Tensor:
    """``unpack_checked`` of what a node keeps without a ``SavedTensor``.

    A node keeps an input that was never changed in place nor viewed (it has no version
    counter yet, so its version is 0) as the tensor itself, without a ``SavedTensor``: the
    check is then that its version is still 0. This is the common case, and it spares an
    object per saved input in graphs of 100,000 nodes. A wrapped number (``x * 2.0``) is
    kept as its array, which nothing else holds: it comes back as a new tensor.
    """
    if type(saved) is np.ndarray:
        return Tensor._make(saved)
    if saved._vc.value != 0:
        as_saved = SavedTensor(saved, is_output=False)
        as_saved.version = 0
        raise RuntimeError(as_saved._modified_message(node))
    return saved


# The values (not tensors) a node keeps for backward, as ``ctx.<name>``, that PyTorch shows as
# ``node._saved_<name>``: dims, sizes, scalars. A few of minigrad's names differ from torch's.
SAVED_VALUES = (
    "alpha",
    "dim",
    "dim0",
    "dim1",
    "dims",
    "end",
    "exponent",
    "index",
    "keepdim",
    "mat2_sym_sizes",
    "max",
    "min",
    "other",
    "self",
    "self_sym_numel",
    "self_sym_sizes",
    "start",
    "step",
)
_RENAMED = {("PowBackward2", "self"): "base"}
_NOT_SHOWN = {("TBackward0", "dim0"), ("TBackward0", "dim1")}  # (minigrad's t() is a transpose)


def saved_value_names(node: Node) -> list[str]:
    """The ``_saved_<name>`` attributes of a node's values, for ``dir(node)``."""
    names = [f"_raw_saved_{name}" for name in node.saved_names]
    if "node_name" not in vars(node._forward_cls):  # (your own Function's node)
        names.append("_raw_saved_tensors")
    for name in SAVED_VALUES:
        key = _RENAMED.get((node.name(), name), name)
        if key in vars(node) and (node.name(), name) not in _NOT_SHOWN:
            names.append(f"_saved_{name}")
    return names


def saved_value(node: Node, attribute: str) -> Any:
    """``node._saved_<name>`` of a value the node keeps, in PyTorch's form (shapes and dims as
    tuples of ints); any other missing attribute raises AttributeError."""
    if attribute.startswith("_raw_saved_"):
        return _raw_saved(node, attribute)
    name = attribute.removeprefix("_saved_")
    key = _RENAMED.get((node.name(), name), name)
    if (
        name == attribute
        or name not in SAVED_VALUES
        or key not in vars(node)
        or (node.name(), name) in _NOT_SHOWN
    ):
        raise AttributeError(f"'{type(node).__name__}' object has no attribute '{attribute}'")
    value = vars(node)[key]  # (kept after backward frees the saved tensors, as in PyTorch)
    if isinstance(value, (tuple, list)):
        return tuple(int(v) for v in value)
    return value.item() if isinstance(value, np.generic) else value


def _raw_saved(node: Node, attribute: str) -> Any:
    """``node._raw_saved_<name>`` (built-in nodes), ``node._raw_saved_tensors`` (your own)."""
    name = attribute.removeprefix("_raw_saved_")
    if name in node.saved_names:
        return RawSavedTensor(node, node.saved_names.index(name))
    if name == "tensors" and "node_name" not in vars(node._forward_cls):
        if node._freed:
            raise RuntimeError(FREED_MESSAGE)
        return tuple(RawSavedTensor(node, i) for i in range(len(node._saved or ())))
    raise AttributeError(f"'{type(node).__name__}' object has no attribute '{attribute}'")


def _operation_name(node: Node) -> str:
    """The operation a node belongs to: ``MulBackward0`` -> ``Mul``; ``FBackward`` -> ``F``."""
    name = node.name()
    stem = name.rstrip("0123456789")
    return stem[: -len("Backward")] if stem.endswith("Backward") else name
