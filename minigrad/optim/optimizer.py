"""``Optimizer``: the base class of ``SGD``, ``Adam``, ``RMSprop`` and ``Adagrad``, as
``torch.optim.Optimizer``.

An optimizer holds *parameter groups* (each a dict: the ``params`` list plus options such as
``lr``) and a per-parameter ``state`` (momentum buffers, moving averages). ``step()`` reads
each parameter's ``.grad`` and changes the parameter in place; ``zero_grad()`` forgets the
gradients before the next backward.

>>> import minigrad
>>> w = minigrad.tensor([1.0, 2.0], requires_grad=True)
>>> opt = minigrad.optim.SGD([w], lr=0.1)
>>> (w * w).sum().backward()
>>> opt.step()
>>> opt.zero_grad()
>>> w, w.grad
(tensor([0.8000, 1.6000], requires_grad=True), None)
"""

from __future__ import annotations

import copy
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

import numpy as np

from minigrad._dtype import get_default_dtype
from minigrad._params import forget_grad, typename
from minigrad.autograd.grad_mode import enable_grad, no_grad
from minigrad.tensor import Tensor

__all__ = ["Optimizer"]


def write_(param: Tensor, values: np.ndarray) -> None:
    """Store ``values`` in ``param``'s memory and count the in-place change (as ``add_`` does).

    >>> import numpy as np, minigrad
    >>> w = minigrad.zeros(2, requires_grad=True)
    >>> write_(w, np.array([1.0, 2.0]))
    >>> w, w._version
    (tensor([1., 2.], requires_grad=True), 1)
    """
    np.copyto(param._data, values, casting="same_kind")
    param._version_counter.value += 1


def check_not_negative(what: str, value: float) -> None:
    """PyTorch's ``ValueError: Invalid {what}: {value}`` unless ``0 <= value`` (NaN fails too).

    >>> check_not_negative("epsilon value", 1e-8)
    >>> check_not_negative("learning rate", -1.0)
    Traceback (most recent call last):
    ...
    ValueError: Invalid learning rate: -1.0
    """
    if not 0.0 <= value:
        raise ValueError(f"Invalid {what}: {value}")


def new_step() -> Tensor:
    """A step counter at 0: a 0-d tensor of the default dtype, as torch keeps ``state["step"]``.

    >>> new_step()
    tensor(0.)
    """
    return Tensor._make(np.array(0.0, dtype=get_default_dtype().numpy))


def zeros_like_param(p: Tensor) -> Tensor:
    """A new buffer of zeros with ``p``'s shape and dtype (a moving average, a momentum).

    >>> import minigrad
    >>> zeros_like_param(minigrad.ones(2, requires_grad=True))
    tensor([0., 0.])
    """
    return Tensor._make(np.zeros_like(p._data))


def gradient(p: Tensor, group: dict[str, Any], weight_decay: float) -> np.ndarray:
    """``p``'s gradient as the update rule takes it: negated when ``maximize``, then
    ``+ weight_decay * p`` (L2 weight decay; 0 for none).

    >>> import minigrad
    >>> w = minigrad.tensor([2.0], requires_grad=True)
    >>> w.grad = minigrad.tensor([1.0])
    >>> gradient(w, {"maximize": True}, weight_decay=0.5)
    array([0.], dtype=float32)
    """
    grad = -p.grad._data if group["maximize"] else p.grad._data
    if weight_decay != 0:
        grad = grad + weight_decay * p._data
    return grad


class Optimizer:
    """Base class of the optimizers: parameter groups, per-parameter state, ``zero_grad``.

    >>> import minigrad
    >>> w = minigrad.zeros(2, requires_grad=True)
    >>> opt = minigrad.optim.SGD([w], lr=0.5)
    >>> opt.param_groups[0]["lr"], len(opt.param_groups[0]["params"])
    (0.5, 1)
    """

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                "dicts, but got " + typename(params)
            )
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own options (the others come from the defaults).

        >>> import minigrad
        >>> a, b = minigrad.zeros(1, requires_grad=True), minigrad.zeros(1, requires_grad=True)
        >>> opt = minigrad.optim.SGD([a], lr=0.1)
        >>> opt.add_param_group({"params": [b], "lr": 0.01})
        >>> [g["lr"] for g in opt.param_groups]
        [0.1, 0.01]
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list instead."
            )
        else:
            param_group["params"] = list(params)
        for param in param_group["params"]:
            if not isinstance(param, Tensor):
                raise TypeError(
                    "optimizer can only optimize Tensors, but one of the params is "
                    + typename(param)
                )
            if not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            param_group.setdefault(name, default)
        params = param_group["params"]
        if len(params) != len(set(params)):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, "
                "this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more "
                "information",
                UserWarning,
                stacklevel=3,
            )
        existing: set[Tensor] = set()
        for group in self.param_groups:
            existing.update(group["params"])
        if not existing.isdisjoint(params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: set them to None (the default) or fill them with zeros.

        >>> import minigrad
        >>> w = minigrad.ones(2, requires_grad=True)
        >>> opt = minigrad.optim.SGD([w], lr=0.1)
        >>> w.sum().backward()
        >>> opt.zero_grad(set_to_none=False)
        >>> w.grad
        tensor([0., 0.])
        """
        for group in self.param_groups:
            for p in group["params"]:
                forget_grad(p, set_to_none)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient; returns ``closure()`` if given.

        The update rule of each optimizer is its ``_update(p, group)``.

        >>> import minigrad
        >>> w = minigrad.tensor([1.0], requires_grad=True)
        >>> opt = minigrad.optim.SGD([w], lr=0.5)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w
        tensor([0.], requires_grad=True)
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        self._update(p, group)
        return loss

    def _update(self, p: Any, group: dict[str, Any]) -> None:
        """Update one parameter from its gradient, with its group's options."""
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """The state and the options, with parameters replaced by their position (0, 1, ...).

        >>> import minigrad
        >>> w = minigrad.ones(2, requires_grad=True)
        >>> sd = minigrad.optim.SGD([w], lr=0.1).state_dict()
        >>> sd["state"], sd["param_groups"][0]["params"]
        ({}, [0])
        """
        positions: dict[Tensor, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                positions.setdefault(p, len(positions))
            packed["params"] = [positions[p] for p in group["params"]]
            groups.append(packed)
        state = {positions[p]: v for p, v in self.state.items() if p in positions}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore state and options saved by ``state_dict()`` (onto the same parameters).

        >>> import minigrad
        >>> w = minigrad.ones(2, requires_grad=True)
        >>> a, b = minigrad.optim.SGD([w], lr=0.1), minigrad.optim.SGD([w], lr=0.5)
        >>> b.load_state_dict(a.state_dict())
        >>> b.param_groups[0]["lr"]
        0.1
        """
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(self.param_groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(
            len(g["params"]) != len(s["params"]) for g, s in zip(self.param_groups, saved_groups)
        ):
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of "
                "optimizer's group"
            )
        by_position = dict(
            zip(
                chain.from_iterable(s["params"] for s in saved_groups),
                chain.from_iterable(g["params"] for g in self.param_groups),
            )
        )
        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in by_position:
                param = by_position[key]
                state[param] = {k: _cast(param, v, k) for k, v in value.items()}
            else:
                state[key] = value
        for group, saved in zip(self.param_groups, saved_groups):
            saved["params"] = group["params"]
        self.state = state
        self.param_groups = saved_groups

    def __repr__(self) -> str:
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"


def _cast(param: Tensor, value: Any, key: str) -> Any:
    """A saved state value for ``param``: tensors in its dtype (the same tensor if it has it)."""
    if isinstance(value, Tensor):
        if key != "step" and param.is_floating_point() and value.is_floating_point():
            return value.to(param.dtype)
        return value
    return copy.deepcopy(value)
