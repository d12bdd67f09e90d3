"""``Module``: the base class of layers and models, as ``torch.nn.Module``.

A module keeps three ordered dictionaries: its parameters, its buffers (tensors that are
state but are not trained, such as a loss's class weights) and its child modules.
Assigning an attribute sorts the value into the right one (``self.fc = Linear(2, 3)``
registers a child, ``self.w = Parameter(...)`` a parameter), so ``parameters()``,
``state_dict()`` and the printed form find everything without being told.

>>> import minigrad
>>> from minigrad import nn
>>> class Net(nn.Module):
...     def __init__(self):
...         super().__init__()
...         self.hidden = nn.Linear(2, 3)
...         self.out = nn.Linear(3, 1)
...
...     def forward(self, x):
...         return self.out(self.hidden(x).relu())
>>> net = Net()
>>> [name for name, _ in net.named_parameters()]
['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias']
>>> net(minigrad.ones(4, 2)).shape
torch.Size([4, 1])
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from minigrad._conversion import to_arguments
from minigrad._device import cuda_error
from minigrad._dtype import float32, float64, from_numpy_dtype
from minigrad._params import forget_grad, typename
from minigrad.autograd.grad_mode import no_grad
from minigrad.autograd.graph import RemovableHandle
from minigrad.nn.parameter import Parameter
from minigrad.tensor import Tensor

__all__ = ["Module"]


def _addindent(text: str, spaces: int) -> str:
    """Indent every line but the first (blank lines stay empty)."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    first, rest = lines[0], lines[1:]
    return "\n".join([first] + [(" " * spaces + line) if line.strip() else "" for line in rest])


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: keys missing from and unexpected in the state dict."""

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


class Module:
    """Base class of every layer and model: subclass it and write ``forward``.

    >>> from minigrad import nn
    >>> nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
    Sequential(
      (0): Linear(in_features=8, out_features=16, bias=True)
      (1): ReLU()
      (2): Linear(in_features=16, out_features=1, bias=True)
    )
    """

    training: bool
    _parameters: dict[str, Parameter | None]
    _buffers: dict[str, Tensor | None]
    _modules: dict[str, Module | None]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:
            raise TypeError(
                f"{type(self).__name__}.__init__() got an unexpected keyword argument "
                f"'{next(iter(kwargs))}'"
                if kwargs
                else f"{type(self).__name__}.__init__() takes 1 positional argument but "
                f"{len(args) + 1} were given"
            )
        # object.__setattr__: our own __setattr__ needs these dictionaries to exist.
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent_buffers_set", set())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())
        object.__setattr__(self, "_forward_hooks", OrderedDict())

    # -- forward ---------------------------------------------------------------------------
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation of the module; subclasses must define it. Call the module
        (``module(x)``) rather than ``forward``: the call also runs the forward hooks.

        >>> import minigrad
        >>> from minigrad import nn
        >>> class Double(nn.Module):
        ...     def forward(self, x):
        ...         return x * 2
        >>> Double()(minigrad.ones(2))
        tensor([2., 2.])
        """
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        for hook in list(self._forward_pre_hooks.values()):
            result = hook(self, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
        output = self.forward(*args, **kwargs)
        for hook in list(self._forward_hooks.values()):
            result = hook(self, args, output)
            if result is not None:
                output = result
        return output

    def register_forward_pre_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(module, args)`` before ``forward``; it may return new args.

        >>> from minigrad import nn
        >>> layer = nn.Identity()
        >>> handle = layer.register_forward_pre_hook(lambda m, args: (args[0] * 2,))
        >>> layer(3)
        6
        """
        return _add_hook(self._forward_pre_hooks, hook)

    def register_forward_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after ``forward``; it may return a new output.

        >>> import minigrad
        >>> from minigrad import nn
        >>> layer, shapes = nn.Linear(2, 3), []
        >>> handle = layer.register_forward_hook(lambda m, args, out: shapes.append(out.shape))
        >>> _ = layer(minigrad.ones(4, 2))
        >>> handle.remove()
        >>> _ = layer(minigrad.ones(1, 2))
        >>> shapes
        [torch.Size([4, 3])]
        """
        return _add_hook(self._forward_hooks, hook)

    # -- registration ----------------------------------------------------------------------
    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter (or None, a slot for one) under ``name``.

        >>> import minigrad
        >>> from minigrad import nn
        >>> m = nn.Module()
        >>> m.register_parameter("scale", nn.Parameter(minigrad.ones(1)))
        >>> [name for name, _ in m.named_parameters()]
        ['scale']
        """
        _check_new_entry(self, name, "parameter", "_parameters")
        if param is None:
            self._parameters[name] = None
            return
        if not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{typename(param)}' object to parameter '{name}' "
                "(torch.nn.Parameter or None required)"
            )
        if param.grad_fn is not None:
            raise ValueError(
                f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must be "
                "created explicitly. To express '{name}' as a function of another Tensor, "
                "compute the value in the forward() method."
            )
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a tensor that is state but not a parameter (saved in ``state_dict`` if persistent).

        >>> import minigrad
        >>> from minigrad import nn
        >>> m = nn.Module()
        >>> m.register_buffer("mean", minigrad.zeros(2))
        >>> list(m.state_dict())
        ['mean']
        """
        _check_new_entry(self, name, "buffer", "_buffers")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{typename(tensor)}' object to buffer '{name}' "
                "(torch Tensor or None required)"
            )
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a child module under ``name`` (as ``self.name = module`` does).

        >>> from minigrad import nn
        >>> m = nn.Module()
        >>> m.add_module("act", nn.Tanh())
        >>> m
        Module(
          (act): Tanh()
        )
        """
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{typename(module)} is not a Module subclass")
        _check_name(name, "module", self)
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        self._modules[name] = module

    register_module = add_module

    def __setattr__(self, name: str, value: Any) -> None:
        params = self.__dict__.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, keep="_parameters")
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{typename(value)}' as parameter '{name}' "
                    "(torch.nn.Parameter or None expected)"
                )
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            modules = self.__dict__.get("_modules")
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name, keep="_modules")
            modules[name] = value
        elif name in self.__dict__.get("_modules", {}):
            if value is not None:
                raise TypeError(
                    f"cannot assign '{typename(value)}' as child module '{name}' "
                    "(torch.nn.Module or None expected)"
                )
            self._modules[name] = value
        elif name in self.__dict__.get("_buffers", {}):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{typename(value)}' as buffer '{name}' "
                    "(torch.nn.Buffer, torch.Tensor or None expected)"
                )
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name: str, keep: str) -> None:
        """Remove ``name`` from the other places it was registered (``keep`` keeps its slot)."""
        self.__dict__.pop(name, None)
        for table in ("_parameters", "_buffers", "_modules"):
            if table != keep:
                self.__dict__[table].pop(name, None)
        self._non_persistent_buffers_set.discard(name)

    def __getattr__(self, name: str) -> Any:
        # Called only when normal lookup fails: look in the three dictionaries.
        for table in ("_parameters", "_buffers", "_modules"):
            entries = self.__dict__.get(table)
            if entries is not None and name in entries:
                return entries[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for table in ("_parameters", "_buffers", "_modules"):
            if name in self.__dict__[table]:
                del self.__dict__[table][name]
                self._non_persistent_buffers_set.discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        keys = list(super().__dir__()) + list(self._parameters) + list(self._modules)
        keys += list(self._buffers)
        return sorted(key for key in set(keys) if not key[0].isdigit())

    # -- walking the tree ------------------------------------------------------------------
    def named_modules(
        self, memo: set[Module] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """This module and all below it, depth first, with dotted names ('' for this one).

        >>> from minigrad import nn
        >>> [name for name, _ in nn.Sequential(nn.Linear(1, 1), nn.ReLU()).named_modules()]
        ['', '0', '1']
        """
        seen: set[Module] = set() if memo is None else memo
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if remove_duplicate:
                if module in seen:
                    continue
                seen.add(module)
            yield name, module
            children = [
                (name + ("." if name else "") + key, child)
                for key, child in module._modules.items()
                if child is not None
            ]
            stack.extend(reversed(children))

    def modules(self) -> Iterator[Module]:
        """This module and all below it.

        >>> from minigrad import nn
        >>> len(list(nn.Sequential(nn.Linear(1, 1), nn.ReLU()).modules()))
        3
        """
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct children, with their names.

        >>> from minigrad import nn
        >>> [name for name, _ in nn.Sequential(nn.Linear(1, 1), nn.ReLU()).named_children()]
        ['0', '1']
        """
        seen: set[Module] = set()
        for name, module in self._modules.items():
            if module is not None and module not in seen:
                seen.add(module)
                yield name, module

    def children(self) -> Iterator[Module]:
        """The direct children.

        >>> from minigrad import nn
        >>> list(nn.Sequential(nn.ReLU()).children())
        [ReLU()]
        """
        for _, module in self.named_children():
            yield module

    def _named_members(
        self, table: str, prefix: str, recurse: bool, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Any]]:
        # Tensors hash by identity, so a set of them finds a shared parameter.
        seen: set[Tensor] = set()
        if recurse:
            modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
        else:
            modules = iter([(prefix, self)])
        for module_prefix, module in modules:
            for key, value in module.__dict__[table].items():
                if value is None:
                    continue
                if remove_duplicate:
                    if value in seen:
                        continue
                    seen.add(value)
                yield module_prefix + ("." if module_prefix else "") + key, value

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """Every parameter with its dotted name, each shared parameter once.

        >>> from minigrad import nn
        >>> [(n, tuple(p.shape)) for n, p in nn.Linear(2, 3).named_parameters()]
        [('weight', (3, 2)), ('bias', (3,))]
        """
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Every parameter: what an optimizer is given.

        >>> from minigrad import nn
        >>> sum(p.numel() for p in nn.Linear(8, 16).parameters())
        144
        """
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        """Every buffer with its dotted name.

        >>> import minigrad
        >>> from minigrad import nn
        >>> [n for n, _ in nn.BCEWithLogitsLoss(pos_weight=minigrad.ones(2)).named_buffers()]
        ['pos_weight']
        """
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Every buffer.

        >>> from minigrad import nn
        >>> list(nn.Linear(1, 1).buffers())
        []
        """
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def get_submodule(self, target: str) -> Module:
        """The module at a dotted path such as ``"body.0"``.

        >>> from minigrad import nn
        >>> nn.Sequential(nn.Sequential(nn.Tanh())).get_submodule("0.0")
        Tanh()
        """
        module = self
        if target == "":
            return module
        for item in target.split("."):
            if not hasattr(module, item):
                raise AttributeError(f"{module._get_name()} has no attribute `{item}`")
            module = getattr(module, item)
            if not isinstance(module, Module):
                raise AttributeError("`" + item + "` is not an nn.Module")
        return module

    # -- modes and bulk changes ------------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Set training mode (here and below); returns self.

        >>> from minigrad import nn
        >>> nn.Linear(1, 1).train(False).training
        False
        """
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode: ``train(False)``.

        >>> from minigrad import nn
        >>> nn.Linear(1, 1).eval().training
        False
        """
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Switch ``requires_grad`` of every parameter (freeze or unfreeze); returns self.

        >>> from minigrad import nn
        >>> layer = nn.Linear(2, 2).requires_grad_(False)
        >>> layer.weight.requires_grad
        False
        """
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget every parameter's gradient (set it to None, or fill it with zeros).

        >>> import minigrad
        >>> from minigrad import nn
        >>> layer = nn.Linear(2, 1)
        >>> layer(minigrad.ones(1, 2)).sum().backward()
        >>> layer.zero_grad()
        >>> layer.weight.grad is None
        True
        """
        for param in self.parameters():
            forget_grad(param, set_to_none)

    def apply(self, fn: Callable[[Module], None]) -> Module:
        """Call ``fn`` on every submodule (children first) and on self; returns self.

        >>> from minigrad import nn
        >>> names = []
        >>> _ = nn.Sequential(nn.ReLU()).apply(lambda m: names.append(type(m).__name__))
        >>> names
        ['ReLU', 'Sequential']
        """
        # Post-order (each module after its children), with a stack instead of recursion.
        stack: list[tuple[Module, bool]] = [(self, False)]
        while stack:
            module, children_done = stack.pop()
            if children_done:
                fn(module)
                continue
            stack.append((module, True))
            stack.extend((child, False) for child in reversed(list(module.children())))
        return self

    def _apply_to_tensors(self, convert: Callable[[Tensor], Tensor]) -> Module:
        """Change every parameter's and buffer's data (and gradient) in place."""
        for module in self.modules():
            for param in module._parameters.values():
                if param is None:
                    continue
                param.data = convert(param.data)
                if param._grad is not None:
                    param._grad = convert(param._grad)
            for key, buffer in module._buffers.items():
                if buffer is not None:
                    module._buffers[key] = convert(buffer)
        return self

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """Convert floating-point parameters and buffers to a dtype; a device must be the CPU.

        Takes what ``Tensor.to`` takes: ``to(dtype)``, ``to(device)``, ``to(device, dtype)``.

        >>> import minigrad
        >>> from minigrad import nn
        >>> nn.Linear(1, 1).to(minigrad.float64).weight.dtype
        torch.float64
        >>> nn.Linear(1, 1).to("cpu").weight.dtype
        torch.float32
        """

        numpy_target, _ = to_arguments(args, kwargs)
        if numpy_target is None:
            return self
        target = from_numpy_dtype(numpy_target)
        if not target.is_floating_point:
            raise TypeError(
                "nn.Module.to only accepts floating point or complex dtypes, but got desired "
                f"dtype={target}"
            )
        return self._apply_to_tensors(lambda t: t.to(target) if t.is_floating_point() else t)

    def double(self) -> Module:
        """Floating-point parameters and buffers to float64.

        >>> from minigrad import nn
        >>> nn.Linear(1, 1).double().bias.dtype
        torch.float64
        """

        return self.to(float64)

    def float(self) -> Module:
        """Floating-point parameters and buffers to float32.

        >>> from minigrad import nn
        >>> nn.Linear(1, 1).double().float().bias.dtype
        torch.float32
        """

        return self.to(float32)

    def cuda(self, device: Any = None) -> Module:
        """PyTorch's error: minigrad has no CUDA device.

        >>> from minigrad import nn
        >>> nn.ReLU().cuda()
        Traceback (most recent call last):
        AssertionError: Torch not compiled with CUDA enabled
        """
        raise cuda_error(device)

    def cpu(self) -> Module:
        """The module itself: there is only the CPU.

        >>> from minigrad import nn
        >>> layer = nn.ReLU()
        >>> layer.cpu() is layer
        True
        """
        return self

    # -- saving and loading ----------------------------------------------------------------
    def state_dict(
        self, *args: Any, destination: Any = None, prefix: str = "", keep_vars: bool = False
    ) -> OrderedDict[str, Tensor]:
        """Every parameter and persistent buffer by dotted name (detached, sharing memory).

        >>> from minigrad import nn
        >>> list(nn.Sequential(nn.Linear(2, 2)).state_dict())
        ['0.weight', '0.bias']
        """
        result: OrderedDict[str, Tensor] = OrderedDict() if destination is None else destination
        for module_prefix, module in self.named_modules(prefix=prefix, remove_duplicate=False):
            dot = "." if module_prefix else ""
            for name, param in module._parameters.items():
                if param is not None:
                    result[module_prefix + dot + name] = param if keep_vars else param.detach()
            for name, buffer in module._buffers.items():
                if buffer is not None and name not in module._non_persistent_buffers_set:
                    result[module_prefix + dot + name] = buffer if keep_vars else buffer.detach()
        return result

    def load_state_dict(
        self, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False
    ) -> _IncompatibleKeys:
        """Copy values from a ``state_dict`` into the parameters and buffers.

        With ``strict=True`` (the default) a missing or unexpected key is an error.

        >>> from minigrad import nn
        >>> a, b = nn.Linear(2, 2), nn.Linear(2, 2)
        >>> b.load_state_dict(a.state_dict())
        <All keys matched successfully>
        >>> bool((a.weight == b.weight).all())
        True
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing: list[str] = []
        unexpected: list[str] = []
        errors: list[str] = []
        for module_prefix, module in self.named_modules(remove_duplicate=False):
            prefix = module_prefix + "." if module_prefix else ""
            # Missing and unexpected keys are always collected; strict makes them errors.
            module._load_from_state_dict(state_dict, prefix, missing, unexpected, errors)
        if strict:
            if unexpected:
                keys = ", ".join(f'"{k}"' for k in unexpected)
                errors.insert(0, f"Unexpected key(s) in state_dict: {keys}. ")
            if missing:
                keys = ", ".join(f'"{k}"' for k in missing)
                errors.insert(0, f"Missing key(s) in state_dict: {keys}. ")
        if errors:
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                + "\n\t".join(errors)
            )
        return _IncompatibleKeys(missing, unexpected)

    def _load_from_state_dict(
        self,
        state_dict: Mapping[str, Any],
        prefix: str,
        missing: list[str],
        unexpected: list[str],
        errors: list[str],
    ) -> None:
        persistent = {
            k: v for k, v in self._buffers.items() if k not in self._non_persistent_buffers_set
        }
        local = {k: v for k, v in [*self._parameters.items(), *persistent.items()] if v is not None}
        for name, param in local.items():
            key = prefix + name
            if key not in state_dict:
                missing.append(key)
                continue
            value = state_dict[key]
            if not isinstance(value, Tensor):
                errors.append(
                    f'While copying the parameter named "{key}", expected torch.Tensor or '
                    f"Tensor-like object from checkpoint but received {type(value)}"
                )
                continue
            if param.dim() == 0 and value.dim() == 1:
                value = value[0]
            if value.shape != param.shape:
                errors.append(
                    f"size mismatch for {key}: copying a param with shape {value.shape} from "
                    f"checkpoint, the shape in current model is {param.shape}."
                )
                continue
            with no_grad():
                param.copy_(value)
        for key in state_dict:
            if key.startswith(prefix):
                parts = key[len(prefix) :].split(".", 1)
                if len(parts) > 1:
                    if parts[0] not in self._modules:
                        unexpected.append(key)
                elif parts[0] not in local:
                    unexpected.append(key)

    # -- printing --------------------------------------------------------------------------
    def _get_name(self) -> str:
        return type(self).__name__

    def extra_repr(self) -> str:
        """The text inside the parentheses of this module's repr (empty by default).

        >>> from minigrad import nn
        >>> nn.Linear(2, 3).extra_repr()
        'in_features=2, out_features=3, bias=True'
        """
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [
            f"({key}): " + _addindent(repr(module), 2) for key, module in self._modules.items()
        ]
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"


def _add_hook(table: dict[int, Callable[..., Any]], hook: Callable[..., Any]) -> RemovableHandle:
    """Register ``hook`` in an ordered table; the handle removes it again."""
    key = len(table) and max(table) + 1
    table[key] = hook
    return _DictHandle(table, key)


class _DictHandle(RemovableHandle):
    """``handle.remove()`` for hooks kept in a dictionary."""

    def __init__(self, table: dict[int, Callable[..., Any]], key: int) -> None:
        self._table = table
        self._key = key

    def remove(self) -> None:
        self._table.pop(self._key, None)


def _check_new_entry(module: Module, name: Any, kind: str, store: str) -> None:
    """``register_parameter``'s and ``register_buffer``'s checks: ``Module.__init__`` has run
    (it makes the ``store`` dict), ``name`` is a valid name, and no other attribute has it."""
    if store not in module.__dict__:
        raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
    _check_name(name, kind, module)
    if hasattr(module, name) and name not in module.__dict__[store]:
        raise KeyError(f"attribute '{name}' already exists")


def _check_name(name: Any, kind: str, module: Module) -> None:
    if not isinstance(name, str):
        raise TypeError(f"{kind} name should be a string. Got {typename(name)}")
    if "." in name:
        raise KeyError(f'{kind} name can\'t contain "."')
    if name == "":
        raise KeyError(f'{kind} name can\'t be empty string ""')
