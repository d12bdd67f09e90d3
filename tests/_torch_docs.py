"""PyTorch's own documentation as a test suite: the ``>>>`` examples of the installed torch,
run once under torch and once with the name ``torch`` bound to minigrad.

What is collected (``collect``): the docstrings of ``torch.autograd`` and its modules
``function``, ``functional``, ``forward_ad``, ``graph``, ``grad_mode``, ``anomaly_mode`` and
``gradcheck`` (found by ``doctest.DocTestFinder``); the autograd methods of ``torch.Tensor``;
for every name ``minigrad.nn`` exports, torch's class or module of that name (the class's
docstring, and the docstrings of the methods the class defines itself that minigrad's class
also has; for ``functional`` and ``init``, the functions minigrad has); the same for the
classes ``minigrad.optim`` exports.

How a docstring becomes examples: ``doctest.DocTestParser`` splits it into ``>>>`` statements.
Statements not separated by prose form one *example* (named ``object[k]``, ``k`` counting
from 0, or just ``object`` when the docstring has one). Many of torch's docstrings put a
``>>>`` before every line of a class or a decorated function; such lines are joined into one
statement while the next line is indented or the text so far does not compile.

How an example runs (``run_docstring``): all the examples of one docstring share one
namespace, holding ``torch`` (minigrad on minigrad's side: ``import torch...`` inside the
example imports minigrad's module of the same name), the names the docstring's module
provides that the example uses (``PRELUDE``: ``nn``, ``F``, ``Function``, ``hessian``, ...)
and, for the examples that use a name they never define (``input``, ``model``, ``self``, ...),
a few lines that define it (``FIXTURES``), written once with ``torch`` and run by both. Each
statement is compiled in ``"single"`` mode, as the interactive prompt does: the value of an
expression statement is printed with ``repr``. Printed text, warnings (``Class: message``)
and exceptions (``Class: message``; torch's own exception classes count as the builtin one
they derive from) are captured. After the last statement of an example, the state is printed
too: every tensor, module (with its parameters), tuple of tensors and plain number bound in the
namespace, and the ``.grad`` of every leaf tensor, so an example that prints nothing is
still compared by its values and gradients.

Random numbers (``fixed_random``): the draws are replaced by fixed numbers from a table: the
``k``-th draw of a docstring (counting from 0 in the order the code asks for them) takes its
values from ``numpy.random.default_rng(k)`` (``standard_normal`` for normal draws, ``random``
for uniform ones, ``integers``, ``permutation``), so both libraries see the same numbers
whatever their generators. On torch's side ``torch.rand``, ``randn``, ``randint``,
``randperm``, the ``*_like`` versions and the in-place ``Tensor.uniform_``, ``normal_`` and
``random_`` (which ``nn.init`` and the layers' initialisation use; ``random_()`` without
bounds, DataLoader's seed for its workers, gives 0 and takes no draw) are patched; on minigrad's
side the default generator, through which all of minigrad's randomness goes. ``torch.empty``
gives zeros (its values are whatever memory held; minigrad's are zeros).

Comparing: the two texts, with memory addresses masked and torch's messages without what
only makes sense inside PyTorch (``_oracle.torch_words``), must be identical.
"""

from __future__ import annotations

import builtins
import contextlib
import doctest
import functools
import importlib
import inspect
import io
import re
import sys
import types
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.autograd

import minigrad
from tests._oracle import sanitize, torch_words

AUTOGRAD_MODULES = [
    "torch.autograd",
    "torch.autograd.function",
    "torch.autograd.functional",
    "torch.autograd.forward_ad",
    "torch.autograd.graph",
    "torch.autograd.grad_mode",
    "torch.autograd.anomaly_mode",
    "torch.autograd.gradcheck",
]
TENSOR_METHODS = ["backward", "register_hook", "retain_grad", "detach", "requires_grad_"]

# Names that torch's docstrings take from their module's globals, and how an example gets them
# (only when its docstring's code uses the name).
PRELUDE = {
    "nn": "from torch import nn",
    "F": "import torch.nn.functional as F",
    "Function": "from torch.autograd import Function",
    "once_differentiable": "from torch.autograd.function import once_differentiable",
    "hessian": "from torch.autograd.functional import hessian",
    "hvp": "from torch.autograd.functional import hvp",
    "jacobian": "from torch.autograd.functional import jacobian",
    "jvp": "from torch.autograd.functional import jvp",
    "vhp": "from torch.autograd.functional import vhp",
    "vjp": "from torch.autograd.functional import vjp",
    "fwAD": "import torch.autograd.forward_ad as fwAD",
    "dual_level": "from torch.autograd.forward_ad import dual_level",
    "make_dual": "from torch.autograd.forward_ad import make_dual",
    "unpack_dual": "from torch.autograd.forward_ad import unpack_dual",
}

# Names an example uses without defining them (the docstring's prose describes them), defined
# before the docstring's first example, with the same code for both libraries.
_NET = """
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv4 = torch.nn.Linear(3, 2)
        self.conv5 = torch.nn.ReLU()
        self.fc = torch.nn.Linear(2, 1)

    def forward(self, x):
        return self.fc(self.conv5(self.conv4(x)))

model = Net()
"""
FIXTURES = {
    "torch.autograd.function.Function": (
        "input = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)"
    ),
    "torch.autograd.forward_ad.dual_level": "def your_fn(t):\n    return t * t",
    "torch.autograd.forward_ad.make_dual": (
        "x = torch.tensor([1.0, 2.0, 3.0])\nv = torch.tensor([1.0, 0.0, 2.0])\n"
        "def f(t):\n    return t * t + 3 * t"
    ),
    "torch.autograd.forward_ad.unpack_dual": (
        "x = torch.tensor([1.0, 2.0, 3.0])\nx_t = torch.tensor([1.0, 0.0, 2.0])\n"
        "def f(t):\n    return t * t + 3 * t"
    ),
    "torch.Tensor.requires_grad_": "def preprocess(t):\n    return t * 2 - 0.5",
    "torch.optim.SGD": (
        "model = torch.nn.Linear(3, 1)\nloss_fn = torch.nn.MSELoss()\n"
        "input = torch.randn(4, 3)\ntarget = torch.randn(4, 1)"
    ),
    "torch.nn.Module.buffers": _NET + "model.register_buffer('running_mean', torch.zeros(2))",
    "torch.nn.Module.parameters": _NET,
    "torch.nn.Module.named_children": _NET,
    "torch.nn.Module.named_buffers": (
        "self = torch.nn.Linear(2, 2)\nself.register_buffer('running_var', torch.ones(2))"
    ),
    "torch.nn.Module.named_parameters": "self = torch.nn.Linear(2, 2)",
    "torch.nn.Module.register_buffer": "self = torch.nn.Linear(2, 2)\nnum_features = 2",
    "torch.nn.Module.state_dict": "module = torch.nn.Linear(2, 2)",
}


@dataclass
class Docstring:
    """One docstring of torch's: its examples, each a list of statements."""

    name: str
    examples: list[list[str]]
    prelude: list[str] = field(default_factory=list)

    def example_names(self) -> list[str]:
        if len(self.examples) == 1:
            return [self.name]
        return [f"{self.name}[{k}]" for k in range(len(self.examples))]


def _compiles(source: str) -> bool:
    try:
        compile(source, "<example>", "exec")
    except SyntaxError:
        return False
    return True


def _statements(examples: list[doctest.Example]) -> list[str]:
    """Join the ``>>>`` lines that belong to one statement (see the module's docstring)."""
    statements: list[str] = []
    buffer = ""
    for i, example in enumerate(examples):
        buffer += example.source
        following = examples[i + 1].source if i + 1 < len(examples) else None
        if following is not None and (following[:1].isspace() or not _compiles(buffer)):
            continue
        statements.append(buffer)
        buffer = ""
    return statements


def _starts_example(between: list[str]) -> bool:
    """Whether the lines between two statements start a new example: prose, or an empty
    ``>>>`` line followed by a ``>>> # heading`` comment (as in ``nn.NLLLoss``)."""
    stripped = [line.strip() for line in between]
    if any(line and not line.startswith((">>>", "...")) for line in stripped):
        return True
    return any(
        line == ">>>" and following.startswith(">>> #")
        for line, following in zip(stripped, stripped[1:])
    )


def split_examples(docstring: str) -> list[list[str]]:
    """The examples of a docstring (see the module's docstring), each a list of statements."""
    lines = docstring.splitlines()
    groups: list[list[doctest.Example]] = [[]]
    end = None
    for part in doctest.DocTestParser().parse(docstring):
        if not isinstance(part, doctest.Example):
            continue
        if end is not None and _starts_example(lines[end : part.lineno]):
            groups.append([])
        groups[-1].append(part)
        end = part.lineno + part.source.count("\n") + part.want.count("\n")
    return [_statements(group) for group in groups if group]


def _docstring(name: str, obj: Any) -> Docstring | None:
    text = inspect.getdoc(obj) if not isinstance(obj, str) else obj
    if not text or ">>>" not in text:
        return None
    examples = split_examples(text)
    if not examples:
        return None
    code = "\n".join(s for example in examples for s in example)
    prelude = [line for word, line in PRELUDE.items() if re.search(rf"\b{word}\b", code)]
    return Docstring(name, examples, prelude)


def _own_methods(torch_class: type, minigrad_class: type) -> list[tuple[str, Any]]:
    """The methods torch's class defines itself that minigrad's class also has."""
    return [
        (name, value)
        for name, value in vars(torch_class).items()
        if not name.startswith("_") and callable(value) and hasattr(minigrad_class, name)
    ]


def _objects() -> Iterator[tuple[str, Any]]:
    for module_name in AUTOGRAD_MODULES:
        module = importlib.import_module(module_name)
        for test in doctest.DocTestFinder(exclude_empty=True).find(module, module_name):
            yield test.name, test.docstring or ""
    for name in TENSOR_METHODS:
        yield f"torch.Tensor.{name}", getattr(torch.Tensor, name)
    for package, torch_package in ((minigrad.nn, torch.nn), (minigrad.optim, torch.optim)):
        prefix = torch_package.__name__
        for name in package.__all__:
            theirs, mine = getattr(torch_package, name, None), getattr(package, name)
            if isinstance(mine, types.ModuleType) and isinstance(theirs, types.ModuleType):
                for function in sorted(getattr(mine, "__all__", dir(mine))):
                    if not function.startswith("_") and callable(getattr(theirs, function, None)):
                        yield f"{prefix}.{name}.{function}", getattr(theirs, function)
            elif isinstance(theirs, type):
                yield f"{prefix}.{name}", theirs
                for method, value in _own_methods(theirs, mine):
                    yield f"{prefix}.{name}.{method}", value


@functools.cache
def collect() -> dict[str, Docstring]:
    """Every docstring with examples, by name (torch's dotted name of the object)."""
    found: dict[str, Docstring] = {}
    for name, obj in _objects():
        docstring = _docstring(name, obj)
        if docstring is not None and name not in found:
            found[name] = docstring
    return found


def example_names() -> list[str]:
    return [name for doc in collect().values() for name in doc.example_names()]


# -- fixed random numbers ------------------------------------------------------------------------


class FixedTable:
    """The ``k``-th draw takes its values from ``numpy.random.default_rng(k)``."""

    def __init__(self) -> None:
        self.draws = 0

    def _rng(self) -> np.random.Generator:
        self.draws += 1
        return np.random.default_rng(self.draws - 1)

    def normal(self, mean: float, std: float, shape: tuple[int, ...]) -> np.ndarray:
        return mean + std * self._rng().standard_normal(shape)

    def uniform(self, low: float, high: float, shape: tuple[int, ...]) -> np.ndarray:
        return low + (high - low) * self._rng().random(shape)

    def integers(self, low: int, high: int, shape: tuple[int, ...]) -> np.ndarray:
        return self._rng().integers(low, high, shape, dtype=np.int64)

    def permutation(self, n: int) -> np.ndarray:
        return self._rng().permutation(n).astype(np.int64)


def _fill(t: torch.Tensor, values: np.ndarray) -> torch.Tensor:
    with torch.no_grad():
        t.copy_(torch.from_numpy(np.asarray(values)).reshape(t.shape))
    return t


def _randint_bounds(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[int, int]:
    numbers = [a for a in args if isinstance(a, int)]
    low = kwargs.get("low", numbers[0] if len(numbers) == 2 else 0)
    high = kwargs.get("high", numbers[-1])
    return low, high


def _torch_patches(table: FixedTable) -> dict[tuple[Any, str], Any]:
    T = torch.Tensor
    rand, randn, randint = torch.rand, torch.randn, torch.randint
    rand_like, randn_like, randint_like = torch.rand_like, torch.randn_like, torch.randint_like
    randperm, zeros = torch.randperm, torch.zeros

    def uniform_(self, a=0.0, b=1.0, *, generator=None):
        return _fill(self, table.uniform(a, b, tuple(self.shape)))

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        return _fill(self, table.normal(mean, std, tuple(self.shape)))

    def random_(self, *args, generator=None, **kwargs):
        if not args:  # DataLoader's seed for its workers: 0, and no draw from the table
            return _fill(self, np.zeros(tuple(self.shape), dtype=np.int64))
        low, high = (0, args[0]) if len(args) == 1 else (args[0], args[1])
        return _fill(self, table.integers(low, high, tuple(self.shape)))

    def drawn(original, draw):
        def patched(*args, **kwargs):
            out = original(*args, **kwargs)
            return _fill(out, draw(tuple(out.shape), args, kwargs))

        return patched

    return {
        (torch, "rand"): drawn(rand, lambda s, a, k: table.uniform(0.0, 1.0, s)),
        (torch, "rand_like"): drawn(rand_like, lambda s, a, k: table.uniform(0.0, 1.0, s)),
        (torch, "randn"): drawn(randn, lambda s, a, k: table.normal(0.0, 1.0, s)),
        (torch, "randn_like"): drawn(randn_like, lambda s, a, k: table.normal(0.0, 1.0, s)),
        (torch, "randint"): drawn(
            randint, lambda s, a, k: table.integers(*_randint_bounds(a, k), s)
        ),
        (torch, "randint_like"): drawn(
            randint_like, lambda s, a, k: table.integers(*_randint_bounds(a[1:], k), s)
        ),
        (torch, "randperm"): drawn(randperm, lambda s, a, k: table.permutation(s[0])),
        (torch, "empty"): zeros,
        (T, "uniform_"): uniform_,
        (T, "normal_"): normal_,
        (T, "random_"): random_,
    }


_MISSING = object()


@contextlib.contextmanager
def fixed_random(lib: types.ModuleType) -> Iterator[FixedTable]:
    """Within the block, ``lib``'s random numbers come from a new ``FixedTable``."""
    table = FixedTable()
    if lib is torch:
        patches = _torch_patches(table)
    else:
        generator = minigrad.random.default_generator
        patches = {
            (generator, name): getattr(table, name)
            for name in ("normal", "uniform", "integers", "permutation")
        }
    saved = {key: vars(key[0]).get(key[1], _MISSING) for key in patches}
    try:
        for (owner, name), value in patches.items():
            setattr(owner, name, value)
        yield table
    finally:
        for (owner, name), value in saved.items():
            if value is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, value)


# -- running --------------------------------------------------------------------------------------


def _importer(lib: types.ModuleType) -> Any:
    """``__import__`` for the examples: ``torch`` and ``torch.x`` mean ``lib`` and ``lib.x``."""
    real_import = builtins.__import__
    if lib is torch:
        return real_import

    def import_(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and (name == "torch" or name.startswith("torch.")):
            name = "minigrad" + name[len("torch") :]
        return real_import(name, globals, locals, fromlist, level)

    return import_


def _error_class(error: BaseException) -> str:
    cls = type(error)
    while cls.__module__.startswith("torch") and cls.__bases__:
        cls = cls.__bases__[0]
    return cls.__name__


def _describe(name: str, value: Any, lib: types.ModuleType) -> list[str]:
    """The lines that show a value of the namespace (see the module's docstring)."""
    if isinstance(value, lib.Tensor):
        lines = [f"{name} = {value!r}"]
        if value.is_leaf and value.grad is not None:
            lines.append(f"{name}.grad = {value.grad!r}")
        return lines
    if isinstance(value, lib.nn.Module):
        lines = [f"{name} = {value!r}"]
        for pname, param in value.named_parameters():
            lines += _describe(f"{name}.{pname}", param, lib)
        return lines
    if isinstance(value, (tuple, list)) and value and all(isinstance(v, lib.Tensor) for v in value):
        return [line for i, v in enumerate(value) for line in _describe(f"{name}[{i}]", v, lib)]
    if isinstance(value, (bool, int, float, str)):
        return [f"{name} = {value!r}"]
    return []


@contextlib.contextmanager
def default_state(lib: types.ModuleType) -> Iterator[None]:
    """Run with the library's global switches at their defaults, and put them and the state of
    its generator back after (an example may leave gradients disabled with
    ``torch.set_grad_enabled(False)``, or seed the generator with ``torch.manual_seed``)."""
    saved = (lib.is_grad_enabled(), lib.is_anomaly_enabled())
    generator = minigrad.random.default_generator
    rng_state = (
        torch.get_rng_state()
        if lib is torch
        else (generator._seed, generator._rng.bit_generator.state)
    )
    lib.set_grad_enabled(True)
    lib.set_anomaly_enabled(False)
    try:
        yield
    finally:
        lib.set_grad_enabled(saved[0])
        lib.set_anomaly_enabled(saved[1])
        if lib is torch:
            torch.set_rng_state(rng_state)
        else:
            generator.manual_seed(rng_state[0])
            generator._rng.bit_generator.state = rng_state[1]


# The default repr of a class or object names the module it is defined in: torch's or minigrad's
# (``<class 'torch.nn.parameter.Parameter'>``, ``<torch._C.Generator object at 0x...>``).
_MODULE_PATH = re.compile(r"<(class ')?(?:torch|minigrad)(?:\.\w+)*\.(\w+)('>| object at )")


def mask_modules(text: str) -> str:
    """Text with the package path left out of default reprs: ``<class 'Parameter'>``."""
    return _MODULE_PATH.sub(r"<\1\2\3", text)


# A frame of a printed traceback (anomaly mode's "Traceback of forward call"), and its line of
# code: only the example's own frames are kept, not the library's nor this harness's.
_OTHER_FRAME = re.compile(r'^  File "(?!<example>)[^"]*", line \d+, in .*\n(    .*\n)?', re.M)


def mask_frames(text: str) -> str:
    """Text with the traceback frames outside the example left out."""
    return _OTHER_FRAME.sub("", text)


def _run_statement(source: str, namespace: dict[str, Any], out: io.StringIO, lib: Any) -> None:
    def display(value: Any) -> None:
        if value is not None:
            print(repr(value))

    try:
        code = compile(source, "<example>", "single")
    except SyntaxError:
        code = compile(source, "<example>", "exec")
    saved_hook = sys.displayhook
    sys.displayhook = display
    try:
        with (
            contextlib.redirect_stdout(out),
            warnings.catch_warnings(record=True) as caught,
        ):
            warnings.simplefilter("always")
            try:
                exec(code, namespace)
            except Exception as error:  # noqa: BLE001 - an example's error is part of its output
                print(f"{_error_class(error)}: {error}")
        for warning in caught:
            if issubclass(warning.category, DeprecationWarning):
                continue  # from torch's own lazy imports, on the first use only
            out.write(f"{warning.category.__name__}: {warning.message}\n")
    finally:
        sys.displayhook = saved_hook


def run_docstring(doc: Docstring, lib: types.ModuleType, skip: frozenset[str]) -> dict[str, str]:
    """What each example of ``doc`` prints under ``lib`` (examples named in ``skip`` are not
    run), sanitized as the module's docstring says."""
    import_ = _importer(lib)
    namespace: dict[str, Any] = {
        "__name__": "__torch_doc__",
        "__builtins__": {**vars(builtins), "__import__": import_},
        "torch": lib,
    }
    setup = doc.prelude + ([FIXTURES[doc.name]] if doc.name in FIXTURES else [])
    provided = set(namespace) | set(PRELUDE)
    outputs = {}
    with fixed_random(lib) as table, default_state(lib):
        for name, statements in zip(doc.example_names(), doc.examples):
            if name in skip:
                continue
            table.draws = 0
            out = io.StringIO()
            for source in setup + statements:
                _run_statement(source, namespace, out, lib)
            setup = []
            out.write("-- state --\n")
            for key, value in list(namespace.items()):
                if not key.startswith("_") and key not in provided:
                    out.write("".join(line + "\n" for line in _describe(key, value, lib)))
            text = mask_frames(mask_modules(sanitize(out.getvalue())))
            outputs[name] = torch_words(text) if lib is torch else text
    return outputs


@functools.cache
def outputs(doc_name: str, lib_name: str, skip: frozenset[str]) -> dict[str, str]:
    lib = torch if lib_name == "torch" else minigrad
    return run_docstring(collect()[doc_name], lib, skip)


def docstring_of(example_name: str) -> str:
    return example_name.split("[")[0]
