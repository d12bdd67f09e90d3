"""Saved tensors hooks: choose how the tensors saved for backward are kept.

``saved_tensors_hooks(pack_hook, unpack_hook)`` is open while a block runs: every tensor an
operation saves for backward goes through ``pack_hook``, and the node keeps what it returns
(``pack_saved`` and ``PackedSaved`` in saved.py); ``unpack_hook`` gives the tensor back when
backward needs it. ``minigrad.autograd.graph`` offers them, as ``torch.autograd.graph`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The messages of the open ``disable_saved_tensors_hooks`` blocks, innermost last.
_disabled_because: list[str] = []

# The (pack_hook, unpack_hook) pairs of the open ``saved_tensors_hooks`` blocks, innermost last
# (one list for the whole process; PyTorch keeps one per thread). saved.py packs with the last.
saved_tensors_hooks_stack: list[tuple[Callable[..., Any], Callable[..., Any]]] = []


class saved_tensors_hooks:  # noqa: N801 - torch's name
    """Inside the block, every tensor an operation saves for backward is given to
    ``pack_hook``, which returns what is kept instead (a copy, a file name, ...);
    ``unpack_hook`` turns that back into the tensor when backward (or ``node._saved_*``)
    needs it.

    >>> import minigrad
    >>> events = []
    >>> def pack(t):
    ...     events.append("pack")
    ...     return t.detach().clone()
    >>> def unpack(t):
    ...     events.append("unpack")
    ...     return t
    >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    >>> with minigrad.autograd.graph.saved_tensors_hooks(pack, unpack):
    ...     y = x.exp()
    >>> y.sum().backward()
    >>> events, x.grad
    (['pack', 'unpack'], tensor([2.7183, 7.3891]))
    """

    def __init__(self, pack_hook: Callable[..., Any], unpack_hook: Callable[..., Any]) -> None:
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self) -> None:
        if _disabled_because:
            raise RuntimeError(_disabled_because[-1])
        saved_tensors_hooks_stack.append((self.pack_hook, self.unpack_hook))

    def __exit__(self, *exc_info: object) -> None:
        saved_tensors_hooks_stack.pop()


class save_on_cpu(saved_tensors_hooks):  # noqa: N801 - torch's name
    """Keep the saved tensors as copies on the CPU (minigrad's only device): torch's
    ``save_on_cpu``, which moves GPU tensors to CPU memory until backward.

    >>> import minigrad
    >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    >>> with minigrad.autograd.graph.save_on_cpu():
    ...     y = x * x
    >>> y.sum().backward()
    >>> x.grad
    tensor([2., 4.])
    """

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        super().__init__(_copy_to_cpu, _back_from_cpu)


def _copy_to_cpu(tensor: Any) -> Any:
    return tensor.detach().clone()


def _back_from_cpu(tensor: Any) -> Any:
    return tensor


class disable_saved_tensors_hooks:  # noqa: N801 - torch's name
    """Inside the block, opening ``saved_tensors_hooks`` (or ``save_on_cpu``) raises
    ``RuntimeError(error_message)``; so does opening this block inside one of them.

    >>> import minigrad
    >>> from minigrad.autograd.graph import disable_saved_tensors_hooks, save_on_cpu
    >>> with disable_saved_tensors_hooks("no hooks here"):
    ...     try:
    ...         save_on_cpu().__enter__()
    ...     except RuntimeError as error:
    ...         print(error)
    no hooks here
    """

    def __init__(self, error_message: str) -> None:
        self.error_message = error_message

    def __enter__(self) -> None:
        if saved_tensors_hooks_stack:
            raise RuntimeError(self.error_message)
        _disabled_because.append(self.error_message)

    def __exit__(self, *exc_info: object) -> None:
        _disabled_because.pop()


_NESTED_MUTATION_CONTEXTS = "allow_mutation_on_saved_tensors contexts cannot be nested"
_BACKWARD_OUTSIDE = (
    "Trying to backward outside of the 'allow_mutation_on_saved_tensors' context"
    "in which the graph was originally recorded."
)


class allow_mutation_on_saved_tensors:  # noqa: N801 - torch's name
    """Inside the block, a tensor saved for backward may be changed in place: backward uses
    its value from when it was saved. (PyTorch copies a saved tensor when it is changed;
    minigrad copies it when it is saved, which gives the same gradients.) The backward pass
    must run inside the block too.

    >>> import minigrad
    >>> from minigrad.autograd.graph import allow_mutation_on_saved_tensors
    >>> with allow_mutation_on_saved_tensors():
    ...     a = minigrad.ones(2, requires_grad=True)
    ...     b = a.clone()
    ...     out = (b**2).sum()
    ...     _ = b.sin_()
    ...     out.backward()
    >>> a.grad
    tensor([2., 2.])
    """

    _open = False

    def __enter__(self) -> allow_mutation_on_saved_tensors:
        if allow_mutation_on_saved_tensors._open:
            raise RuntimeError(_NESTED_MUTATION_CONTEXTS)
        self._hooks = saved_tensors_hooks(_copy_to_cpu, self._unpack)
        self._hooks.__enter__()
        allow_mutation_on_saved_tensors._open = self._inside = True
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._hooks.__exit__()
        allow_mutation_on_saved_tensors._open = self._inside = False

    def _unpack(self, tensor: Any) -> Any:
        if not self._inside:
            raise AssertionError(_BACKWARD_OUTSIDE)
        return tensor
