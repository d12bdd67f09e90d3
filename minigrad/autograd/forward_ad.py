"""Forward-mode AD: push a tangent (a direction) through the computation with the values.

Reverse mode (``backward``) gives vᵀJ, one row-combination of the Jacobian per backward
pass; forward mode gives J·u, one column-combination per forward pass. Inside
``dual_level()``, ``make_dual(x, u)`` makes a *dual tensor*: ``x`` with the tangent ``u``
attached. Every operation on dual tensors attaches to its result the tangent J·u of that
operation, and ``unpack_dual(y)`` returns ``(primal, tangent)``.

>>> import minigrad
>>> import minigrad.autograd.forward_ad as fwAD
>>> x = minigrad.tensor([1.0, 2.0])
>>> with fwAD.dual_level():
...     y = fwAD.make_dual(x, minigrad.tensor([1.0, 0.0])) ** 2
...     fwAD.unpack_dual(y).tangent
tensor([2., 0.])

How minigrad computes a tangent. Every operation is a ``Function`` with a backward formula
written with tensor operations; ``Function.apply`` calls this module's ``_propagate`` when a
level is open. The backward formula g(w) = Jᵀw is linear in the incoming gradient w, so its
derivative with respect to w, applied to the input tangent u, is d/dw ⟨Jᵀw, u⟩ = J·u: the
"double-backward trick". Each operation with a dual input is therefore re-run on fresh
leaves, differentiated once with ``create_graph=True`` and once more with respect to w.
That costs about three times a plain forward pass, and works for every operation that has a
differentiable backward formula, custom ``Function`` classes included.

Limits: one level at a time (as in PyTorch); tangents do not themselves record a graph
(forward-over-reverse is not supported); in-place operations on a dual tensor are refused
when the tangent is next used, rather than silently giving a stale tangent.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from minigrad._shapes import size_list
from minigrad.autograd import engine as _engine
from minigrad.autograd import function as _function
from minigrad.autograd.grad_mode import _state
from minigrad.autograd.saved import saved_form
from minigrad.creation import ones_like, zeros_like
from minigrad.tensor import Tensor

if TYPE_CHECKING:
    from minigrad.tensor import Tensor

__all__ = [
    "UnpackedDualTensor",
    "dual_level",
    "enter_dual_level",
    "exit_dual_level",
    "make_dual",
    "unpack_dual",
]

_TANGENT_KEY = "_fw_grad"


class _Level:
    """The open level: a fresh object per ``enter_dual_level``, so old tangents never match."""

    __slots__ = ("number",)

    def __init__(self, number: int) -> None:
        self.number = number


_current: _Level | None = None
# True while a tangent is being computed: the operations run for it carry no tangents.
_busy = False


class UnpackedDualTensor(NamedTuple):
    """``(primal, tangent)`` as returned by :func:`unpack_dual`.

    >>> import minigrad
    >>> from minigrad.autograd.forward_ad import unpack_dual
    >>> unpack_dual(minigrad.ones(1)).tangent is None  # outside a level: no tangent
    True
    """

    primal: Tensor
    tangent: Tensor | None


def enter_dual_level() -> int:
    """Open a forward-AD level (only one at a time); returns its number, 0.

    >>> import minigrad.autograd.forward_ad as fwAD
    >>> level = fwAD.enter_dual_level()
    >>> level, fwAD.exit_dual_level()
    (0, None)
    """
    global _current
    if _current is not None:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _current = _Level(0)
    _function._forward_ad_hook = _propagate
    return 0


def exit_dual_level(*, level: int | None = None) -> None:
    """Close the level: every tangent made in it is forgotten.

    >>> import minigrad.autograd.forward_ad as fwAD
    >>> _ = fwAD.enter_dual_level()
    >>> fwAD.exit_dual_level()
    """
    global _current
    current = -1 if _current is None else _current.number
    if level is None:
        level = current
    if level < 0:
        raise RuntimeError("Dual level must be a positive number.")
    if level != current:
        raise RuntimeError(
            "Trying to exit a forward AD level that was not the last one that was created. "
            "This is not supported."
        )
    _current = None
    _function._forward_ad_hook = None


class dual_level:  # noqa: N801 - torch's name
    """Context manager for forward AD: dual tensors live inside it.

    >>> import minigrad
    >>> import minigrad.autograd.forward_ad as fwAD
    >>> with fwAD.dual_level():
    ...     d = fwAD.make_dual(minigrad.tensor(3.0), minigrad.tensor(1.0))
    ...     fwAD.unpack_dual(d.sin()).tangent  # cos(3)
    tensor(-0.9900)
    """

    def __enter__(self) -> int:
        return enter_dual_level()

    def __exit__(self, *exc_info: object) -> None:
        exit_dual_level()

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Use as a decorator: ``func`` runs inside its own level."""

        @functools.wraps(func)
        def inside_a_level(*args: Any, **kwargs: Any) -> Any:
            with dual_level():
                return func(*args, **kwargs)

        return inside_a_level


def make_dual(tensor: Tensor, tangent: Tensor, *, level: int | None = None) -> Tensor:
    """A new tensor with ``tensor``'s values (same memory) and ``tangent`` attached.

    >>> import minigrad
    >>> import minigrad.autograd.forward_ad as fwAD
    >>> with fwAD.dual_level():
    ...     fwAD.make_dual(minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0, 0.0]))
    tensor([1., 2.], tangent=tensor([1., 0.]))
    """
    if _current is None or (level is not None and level != _current.number):
        raise RuntimeError(
            "Trying to create a dual Tensor for forward AD but no level exists, make sure to "
            "enter_dual_level() first."
        )
    if not tensor.is_floating_point():
        raise ValueError(
            f"Expected primal to be floating point or complex, but got: {tensor.dtype}"
        )
    if not tangent.is_floating_point():
        raise ValueError(
            f"Expected tangent to be floating point or complex, but got: {tangent.dtype}"
        )
    if tangent.shape != tensor.shape:
        raise RuntimeError(
            "Trying to set a forward gradient that has a different size than that of the "
            "original Tensor, this is not supported. Tensor is of size "
            f"{size_list(tensor.shape)} while the given forward gradient is of size "
            f"{size_list(tangent.shape)}."
        )
    if _tangent_of(tensor) is not None:
        raise RuntimeError(
            "Making a dual Tensor based on a Tensor that already has a forward gradient at the "
            f"same level {_current.number} is not supported."
        )
    dual = _alias(tensor)
    _set_tangent(dual, tangent)
    return dual


def unpack_dual(tensor: Tensor, *, level: int | None = None) -> UnpackedDualTensor:
    """``(primal, tangent)`` of a dual tensor; the tangent is None for an ordinary tensor.

    >>> import minigrad
    >>> import minigrad.autograd.forward_ad as fwAD
    >>> with fwAD.dual_level():
    ...     y = fwAD.make_dual(minigrad.tensor(2.0), minigrad.tensor(1.0)) ** 3
    ...     fwAD.unpack_dual(y)
    UnpackedDualTensor(primal=tensor(8.), tangent=tensor(12.))
    """
    if _current is None or (level is not None and level != _current.number):
        return UnpackedDualTensor(tensor, None)
    tangent = _tangent_of(tensor)
    if tangent is None:
        return UnpackedDualTensor(tensor, None)
    return UnpackedDualTensor(_alias(tensor), tangent)


# -- the tangent table: one entry in each dual tensor's __dict__ -------------------------------


def _tangent_of(tensor: Tensor) -> Tensor | None:
    """The tangent attached to ``tensor`` at the open level, or None."""
    entry = tensor.__dict__.get(_TANGENT_KEY)
    if entry is None:
        return None
    level, tangent, version = entry
    if level is not _current:
        del tensor.__dict__[_TANGENT_KEY]
        return None
    if tensor._version_counter.value != version:
        raise RuntimeError(
            "A dual tensor was modified by an in-place operation after its tangent was set: "
            f"it is at version {tensor._version_counter.value}; expected version {version} "
            "instead. minigrad's forward-mode AD does not carry tangents through in-place "
            "operations; use out-of-place operations (y = x * 2, not x *= 2) inside "
            "dual_level()."
        )
    return tangent


def _set_tangent(tensor: Tensor, tangent: Tensor) -> None:
    tensor.__dict__[_TANGENT_KEY] = (_current, tangent, tensor._version_counter.value)


def _alias(tensor: Tensor) -> Tensor:
    """A tensor on the same memory without a tangent; differentiable when ``tensor`` is."""
    global _busy
    if tensor._requires_grad and _state.enabled:
        _busy = True
        try:
            return tensor.view_as(tensor)
        finally:
            _busy = False
    return tensor._view_of(tensor._data)


def _propagate(cls: type, args: tuple[Any, ...], outputs: tuple[Any, ...]) -> None:
    """Attach to ``outputs`` of ``cls.apply(*args)`` the tangents J·u (called by Function.apply)."""
    global _busy
    if _busy:
        return

    tangents = [_tangent_of(a) if isinstance(a, Tensor) else None for a in args]
    if all(t is None for t in tangents):
        return
    _busy = True
    previous = _state.enabled
    _state.enabled = True
    try:
        jvp = _custom_jvp if hasattr(cls, "jvp") else _double_backward_jvp
        results = jvp(cls, args, tangents)
    finally:
        _state.enabled = previous
        _busy = False
    for index, tangent in results:
        _set_tangent(outputs[index], tangent)


def _custom_jvp(
    cls: type, args: tuple[Any, ...], tangents: list[Tensor | None]
) -> list[tuple[int, Tensor]]:
    """(output index, tangent) from a Function's own ``jvp(ctx, *tangents)``: forward runs
    again on a new ctx, whose ``saved_tensors`` are what it gave ``ctx.save_for_forward``.
    As in PyTorch, a tensor input without a tangent gets zeros, another input None."""
    ctx = cls._backward_cls.__new__(cls._backward_cls)
    previous, _state.enabled = _state.enabled, False
    try:
        cls.forward(ctx, *[a.detach() if isinstance(a, Tensor) else a for a in args])
    finally:
        _state.enabled = previous
    saved = vars(ctx).get("_saved_for_forward", ())
    ctx._saved = tuple(None if t is None else saved_form(t, ()) for t in saved)
    given = [
        t if t is not None or not isinstance(a, Tensor) else zeros_like(a)
        for a, t in zip(args, tangents)
    ]
    result = cls.jvp(ctx, *given)
    outputs = result if isinstance(result, tuple) else (result,)
    return [(k, t) for k, t in enumerate(outputs) if t is not None]


def _double_backward_jvp(
    cls: type, args: tuple[Any, ...], tangents: list[Tensor | None]
) -> list[tuple[int, Tensor]]:
    """(output index, J·u) for each differentiable output, by the double-backward trick."""

    # Re-run the operation on fresh leaves: the ones carrying a tangent require grad.
    inputs = []
    for arg, tangent in zip(args, tangents):
        if tangent is not None:
            inputs.append(arg.detach().requires_grad_())
        elif isinstance(arg, Tensor):
            inputs.append(arg.detach())
        else:
            inputs.append(arg)
    rerun = cls.apply(*inputs)
    outs = rerun if isinstance(rerun, tuple) else (rerun,)
    diff = [k for k, o in enumerate(outs) if isinstance(o, Tensor) and o._requires_grad]
    if not diff:
        return []
    leaves = [i for i, t in zip(inputs, tangents) if t is not None]
    directions = [t for t in tangents if t is not None]
    # w: the incoming gradient, a free variable. Any value works (g is linear in w); ones
    # make a backward formula that ignores w (not differentiable in w) show up below.
    ws = [ones_like(outs[k]).requires_grad_() for k in diff]
    vjps = _engine.grad([outs[k] for k in diff], leaves, ws, create_graph=True, allow_unused=True)
    total = None
    for g, u in zip(vjps, directions):
        if g is None:
            continue
        if not g._requires_grad:
            if np.any(g._data != 0):
                raise RuntimeError(
                    f"Forward-mode AD through {cls.__name__} needs its backward to be written "
                    "with differentiable tensor operations on the incoming gradient."
                )
            continue
        term = (g * u).sum()
        total = term if total is None else total + term
    if total is None:
        jvps: tuple[Any, ...] = (None,) * len(ws)
    else:
        jvps = _engine.grad(total, ws, allow_unused=True)
    return [(k, zeros_like(w) if j is None else j) for k, w, j in zip(diff, ws, jvps)]
