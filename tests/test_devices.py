"""Devices, dtypes and the legacy API that lessons use first, against torch 2.13 (CPU build):
``device``, ``cuda.is_available``, ``.to(device)``, ``device=`` on creation functions,
``Tensor.type``, ``set_default_dtype``, ``autograd.Variable``; their printed forms and errors.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
import torch

import minigrad
from tests._oracle import assert_same, assert_same_error, pair


@pytest.fixture(autouse=True)
def _restore_defaults() -> Iterator[None]:
    yield
    for lib in (minigrad, torch):
        lib.set_default_dtype(lib.float32)
        lib.set_default_device(None)


# -- device ------------------------------------------------------------------------------------

DEVICE_ARGS: list[tuple[Any, ...]] = [
    ("cpu",),
    ("cpu", 0),
    ("cpu:0",),
    ("cuda",),
    ("cuda:1",),
    ("cuda", 2),
    ("mps",),
    ("meta",),
]


@pytest.mark.parametrize("args", DEVICE_ARGS, ids=str)
def test_device_prints_and_parses_as_torch(args: tuple[Any, ...]) -> None:
    m, t = minigrad.device(*args), torch.device(*args)
    assert repr(m) == repr(t)
    assert str(m) == str(t)
    assert (m.type, m.index) == (t.type, t.index)
    assert f"{m}" == f"{t}"


def test_device_equality_and_hash() -> None:
    for L in (minigrad, torch):
        cpu = L.device("cpu")
        facts = [
            cpu == L.device("cpu"),
            cpu == L.device("cpu", 0),
            cpu == "cpu",  # a device never equals a string
            cpu != L.device("cuda"),
            hash(cpu) == hash(L.device("cpu")),
            L.device(cpu) == cpu,
            len({cpu, L.device("cpu"), L.device("cpu", 0)}),
        ]
        if L is minigrad:
            mine = facts
        else:
            assert mine == facts


@pytest.mark.parametrize(
    "args",
    [("CPU",), ("gpu",), ("cpu:x",), ("cpu:-1",), (" cpu",), ("cpu", -1), ("cpu:0", 1), (1,)],
    ids=str,
)
def test_bad_device_strings_raise_torchs_errors(args: tuple[Any, ...]) -> None:
    assert_same_error(lambda: minigrad.device(*args), lambda: torch.device(*args))


def test_device_index_must_be_an_int() -> None:
    assert_same_error(lambda: minigrad.device("cpu", "x"), lambda: torch.device("cpu", "x"))
    assert_same_error(lambda: minigrad.device(None), lambda: torch.device(None))


def test_accelerators_are_absent() -> None:
    assert minigrad.cuda.is_available() is torch.cuda.is_available() is False
    assert minigrad.cuda.device_count() == torch.cuda.device_count() == 0
    assert minigrad.backends.mps.is_available() is torch.backends.mps.is_available() is False
    assert minigrad.backends.mps.is_built() is torch.backends.mps.is_built() is False
    for L in (minigrad, torch):
        cudnn = L.backends.cudnn
        assert (cudnn.is_available(), cudnn.version()) == (False, None)
        assert (cudnn.enabled, cudnn.deterministic, cudnn.benchmark) == (True, False, False)
    for L in (minigrad, torch):  # seeding CUDA is silently allowed in a CPU-only build
        assert L.cuda.manual_seed(0) is None
        assert L.cuda.manual_seed_all(0) is None


def test_the_lesson_idiom_picks_the_cpu() -> None:
    def run(L: Any) -> Any:
        device = L.device("cuda" if L.cuda.is_available() else "cpu")
        model = L.nn.Linear(3, 2).to(device)
        x = L.ones(4, 3, device=device)
        return device, model(x).device, x.to(device).device

    assert repr(run(minigrad)) == repr(run(torch))


# -- tensors on a device -----------------------------------------------------------------------

CREATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "tensor": lambda L, d: L.tensor([1.0, 2.0], device=d),
    "as_tensor": lambda L, d: L.as_tensor([1.0, 2.0], device=d),
    "zeros": lambda L, d: L.zeros(2, 3, device=d),
    "ones": lambda L, d: L.ones(2, device=d),
    "empty": lambda L, d: L.empty(2, device=d),
    "full": lambda L, d: L.full((2,), 3.0, device=d),
    "eye": lambda L, d: L.eye(2, device=d),
    "arange": lambda L, d: L.arange(3, device=d),
    "linspace": lambda L, d: L.linspace(0, 1, 3, device=d),
    "rand": lambda L, d: L.rand(2, device=d),
    "randn": lambda L, d: L.randn(2, device=d),
    "randint": lambda L, d: L.randint(0, 5, (2,), device=d),
    "randperm": lambda L, d: L.randperm(3, device=d),
    "zeros_like": lambda L, d: L.zeros_like(L.ones(2), device=d),
    "ones_like": lambda L, d: L.ones_like(L.ones(2), device=d),
    "empty_like": lambda L, d: L.empty_like(L.ones(2), device=d),
    "full_like": lambda L, d: L.full_like(L.ones(2), 4, device=d),
    "rand_like": lambda L, d: L.rand_like(L.ones(2), device=d),
    "randn_like": lambda L, d: L.randn_like(L.ones(2), device=d),
    "randint_like": lambda L, d: L.randint_like(L.ones(2), 5, device=d),
    "Linear": lambda L, d: L.nn.Linear(2, 2, device=d).weight,
}
DETERMINISTIC = {"tensor", "as_tensor", "zeros", "ones", "full", "eye", "arange", "linspace"}


@pytest.mark.parametrize("name", list(CREATIONS))
@pytest.mark.parametrize("where", ["cpu", "cpu:0", "device", None])
def test_creation_functions_take_a_cpu_device(name: str, where: Any) -> None:
    def make(L: Any) -> Any:
        return CREATIONS[name](L, L.device("cpu") if where == "device" else where)

    m, t = make(minigrad), make(torch)
    assert repr(m.device) == repr(t.device) == "device(type='cpu')"
    assert str(m.dtype) == str(t.dtype) and tuple(m.shape) == tuple(t.shape)
    if name in DETERMINISTIC:
        assert_same(m, t)


@pytest.mark.parametrize("name", list(CREATIONS))
@pytest.mark.parametrize("where", ["cuda", "cuda:1", "device-cuda", "xpu", 0], ids=str)
def test_creation_on_another_device_raises_torchs_error(name: str, where: Any) -> None:
    def make(L: Any) -> Any:
        return CREATIONS[name](L, L.device("cuda") if where == "device-cuda" else where)

    assert_same_error(lambda: make(minigrad), lambda: make(torch))


# Functions with one signature in torch: a device of the wrong type gets a one-line error.
ONE_SIGNATURE = ["tensor", "as_tensor", "zeros", "ones", "empty", "full"]
ONE_SIGNATURE += ["zeros_like", "ones_like", "empty_like", "full_like"]


@pytest.mark.parametrize("name", ONE_SIGNATURE)
def test_a_device_of_the_wrong_type_raises_torchs_error(name: str) -> None:
    assert_same_error(lambda: CREATIONS[name](minigrad, [1]), lambda: CREATIONS[name](torch, [1]))


@pytest.mark.parametrize("name", ["eye", "arange", "linspace", "rand", "randn", "randint"])
def test_a_device_of_the_wrong_type_with_overloads(name: str) -> None:
    # torch lists every overload of these functions (its argument parser's signatures);
    # minigrad says which argument is wrong, in the words of the functions without overloads.
    with pytest.raises(TypeError, match="received an invalid combination of arguments"):
        CREATIONS[name](torch, [1])
    message = f"^{name}\\(\\): argument 'device' must be torch.device, not list$"
    with pytest.raises(TypeError, match=message):
        CREATIONS[name](minigrad, [1])


def test_creation_on_mps_is_refused() -> None:
    # torch's error here lists its dispatcher's internals (kernels registered per backend):
    # minigrad raises the error torch gives for .to("mps") instead, which says what is wrong.
    with pytest.raises(NotImplementedError):
        torch.zeros(2, device="mps")
    with pytest.raises(RuntimeError, match=r"^PyTorch is not linked with support for mps devices$"):
        minigrad.zeros(2, device="mps")


@pytest.mark.parametrize(
    "convert",
    [
        lambda L, t: t.to("cpu"),
        lambda L, t: t.to(L.device("cpu")),
        lambda L, t: t.to(device="cpu"),
        lambda L, t: t.to("cpu", L.float64),
        lambda L, t: t.to(L.device("cpu"), L.float64),
        lambda L, t: t.to(device="cpu", dtype=L.float64),
        lambda L, t: t.to(None, L.int64),
        lambda L, t: t.to(L.float64),
        lambda L, t: t.to(L.float32),
        lambda L, t: t.to(L.float64, copy=True),
        lambda L, t: t.to(L.float32, False, True),
        lambda L, t: t.to("cpu", copy=True),
        lambda L, t: t.to("cpu", non_blocking=True),
        lambda L, t: t.to(L.ones(1, dtype=L.float64)),
        lambda L, t: t.to(),
        lambda L, t: t.cpu(),
    ],
)
@pytest.mark.parametrize("requires_grad", [False, True])
def test_to_converts_as_torch(convert: Callable[[Any, Any], Any], requires_grad: bool) -> None:
    m, t = pair(np.array([1.5, -2.0], np.float32), requires_grad)
    m_out, t_out = convert(minigrad, m), convert(torch, t)
    assert_same(m_out, t_out)
    assert (m_out is m) == (t_out is t)
    assert repr(m_out) == repr(t_out)
    if m_out.requires_grad:
        m_out.sum().backward()
        t_out.sum().backward()
        assert_same(m.grad, t.grad)


@pytest.mark.parametrize(
    "convert",
    [
        lambda L, t: t.to("cuda"),
        lambda L, t: t.to("cuda:1"),
        lambda L, t: t.to(L.device("cuda")),
        lambda L, t: t.to("cuda", L.float64),
        lambda L, t: t.to(device="cuda"),
        lambda L, t: t.to("mps"),
        lambda L, t: t.to("xpu"),
        lambda L, t: t.to("hip"),
        lambda L, t: t.to("foo"),
        lambda L, t: t.to(3),
        lambda L, t: t.to("cpu", "cuda"),
        lambda L, t: t.to(L.float64, "cpu"),
        lambda L, t: t.to(dtype="float"),
        lambda L, t: t.cuda(),
        lambda L, t: t.cuda(0),
    ],
)
def test_to_another_device_raises_torchs_error(convert: Callable[[Any, Any], Any]) -> None:
    m, t = pair(np.ones(2, np.float32))
    assert_same_error(lambda: convert(minigrad, m), lambda: convert(torch, t))


def test_tensor_device_facts() -> None:
    m, t = pair(np.ones(2, np.float32))
    assert repr(m.device) == repr(t.device)
    assert m.device == minigrad.device("cpu") and t.device == torch.device("cpu")
    assert m.is_cuda is t.is_cuda is False


def test_default_device() -> None:
    for L in (minigrad, torch):
        assert repr(L.get_default_device()) == "device(type='cpu')"
        L.set_default_device("cpu")
        assert repr(L.get_default_device()) == "device(type='cpu')"
        L.set_default_device(L.device("cpu"))
        assert repr(L.zeros(1).device) == "device(type='cpu')"
        L.set_default_device(None)
    assert_same_error(
        lambda: minigrad.set_default_device("foo"), lambda: torch.set_default_device("foo")
    )


def test_a_cuda_default_device_fails_where_torch_fails() -> None:
    # torch accepts the setting and fails when a tensor is made (or the default read).
    for L in (minigrad, torch):
        L.set_default_device("cuda")
    try:
        assert_same_error(lambda: minigrad.zeros(2), lambda: torch.zeros(2))
        assert_same_error(lambda: minigrad.get_default_device(), lambda: torch.get_default_device())
    finally:
        for L in (minigrad, torch):
            L.set_default_device(None)


# -- modules on a device -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "convert",
    [
        lambda L, m: m.to("cpu"),
        lambda L, m: m.to(L.device("cpu")),
        lambda L, m: m.to(L.device("cpu"), L.float64),
        lambda L, m: m.to(device="cpu", dtype=L.float64),
        lambda L, m: m.to(L.ones(1, dtype=L.float64)),
        lambda L, m: m.cpu(),
    ],
)
def test_module_to_a_device(convert: Callable[[Any, Any], Any]) -> None:
    def run(L: Any) -> Any:
        model = L.nn.Linear(2, 1)
        out = convert(L, model)
        return out is model, out.weight.dtype, out.weight.device, repr(out)

    assert repr(run(minigrad)) == repr(run(torch))


@pytest.mark.parametrize(
    "convert",
    [
        lambda L, m: m.to("cuda"),
        lambda L, m: m.to("mps"),
        lambda L, m: m.to("cpu", dtype=L.int64),
        lambda L, m: m.to(L.int64),
        lambda L, m: m.to("cpu", L.float64, 3),
        lambda L, m: m.cuda(),
    ],
)
def test_module_to_refused_as_torch(convert: Callable[[Any, Any], Any]) -> None:
    m_model, t_model = minigrad.nn.Linear(2, 1), torch.nn.Linear(2, 1)
    before = m_model.weight.detach().numpy().copy()
    assert_same_error(lambda: convert(minigrad, m_model), lambda: convert(torch, t_model))
    assert m_model.weight.dtype == minigrad.float32
    np.testing.assert_array_equal(m_model.weight.detach().numpy(), before)


# -- Tensor.type -------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
def test_type_names_the_legacy_tensor_type(dtype: str) -> None:
    m, t = pair(np.ones(2, dtype))
    assert m.type() == t.type()


@pytest.mark.parametrize(
    "target",
    ["torch.DoubleTensor", "torch.FloatTensor", "torch.LongTensor", "torch.BoolTensor", "float64"],
)
@pytest.mark.parametrize("requires_grad", [False, True])
def test_type_converts(target: str, requires_grad: bool) -> None:
    m, t = pair(np.array([1.5, -2.0], np.float32), requires_grad)
    if target.startswith("torch."):
        m_out, t_out = m.type(target), t.type(target)
    else:
        m_out, t_out = m.type(getattr(minigrad, target)), t.type(getattr(torch, target))
    if requires_grad and target in ("torch.LongTensor", "torch.BoolTensor"):
        assert_same(m_out.detach(), t_out.detach())
    else:
        assert_same(m_out, t_out)
    assert (m_out is m) == (t_out is t)


@pytest.mark.parametrize("target", ["foo", "float", 3])
def test_type_refuses_what_torch_refuses(target: Any) -> None:
    m, t = pair(np.ones(2, np.float32))
    assert_same_error(lambda: m.type(target), lambda: t.type(target))


def test_type_to_a_cuda_type_is_refused() -> None:
    # torch's text here explains how its CUDA library is linked: minigrad says CUDA is absent.
    with pytest.raises(RuntimeError):
        torch.ones(1).type("torch.cuda.FloatTensor")
    with pytest.raises(AssertionError, match="^Torch not compiled with CUDA enabled$"):
        minigrad.ones(1).type("torch.cuda.FloatTensor")


# -- default dtype -----------------------------------------------------------------------------

DEFAULT_DTYPE_CASES: dict[str, Callable[[Any], Any]] = {
    "tensor_list": lambda L: L.tensor([1.0, 2.5]),
    "tensor_scalar": lambda L: L.tensor(1.5),
    "tensor_ints": lambda L: L.tensor([1, 2]),
    "zeros": lambda L: L.zeros(2),
    "ones": lambda L: L.ones(2, 2),
    "empty": lambda L: L.empty(0),
    "full_float": lambda L: L.full((2,), 1.5),
    "eye": lambda L: L.eye(2),
    "arange_float": lambda L: L.arange(3.0),
    "arange_int": lambda L: L.arange(3),
    "linspace": lambda L: L.linspace(0, 1, 5),
    "Tensor": lambda L: L.Tensor([1.0, 2.0]),
    "int_div": lambda L: L.tensor([1, 2]) / 2,
    "int_sqrt": lambda L: L.tensor([1, 4]).sqrt(),
    "int_times_float": lambda L: L.arange(3) * 1.5,
    "0d_int_times_float": lambda L: L.tensor(2) * 1.5,
    "bool_times_float": lambda L: L.tensor(True) * 1.5,
    "float32_times_float": lambda L: L.ones(2, dtype=L.float32) * 1.5,
    "float32_printed": lambda L: L.tensor([1.0], dtype=L.float32),
    "float64_printed": lambda L: L.tensor([1.0], dtype=L.float64),
    "float": lambda L: L.arange(3).float(),
}


@pytest.mark.parametrize("name", list(DEFAULT_DTYPE_CASES))
@pytest.mark.parametrize("default", ["float32", "float64"])
def test_default_dtype_is_followed(name: str, default: str) -> None:
    outs = []
    for L in (minigrad, torch):
        L.set_default_dtype(getattr(L, default))
        outs.append(DEFAULT_DTYPE_CASES[name](L))
        L.set_default_dtype(L.float32)
    m, t = outs
    assert_same(m, t)
    assert repr(m) == repr(t)


@pytest.mark.parametrize("default", ["float32", "float64"])
def test_default_dtype_of_random_tensors_and_layers(default: str) -> None:
    def run(L: Any) -> Any:
        L.set_default_dtype(getattr(L, default))
        got = [L.get_default_dtype(), L.randn(2).dtype, L.rand(2).dtype, L.nn.Linear(2, 2).weight]
        got += [L.ones(2).type()]
        L.set_default_dtype(L.float32)
        return [str(got[0]), str(got[1]), str(got[2]), str(got[3].dtype), got[4]]

    assert run(minigrad) == run(torch)


@pytest.mark.parametrize("bad", ["int64", "bool", "string"])
def test_set_default_dtype_refuses_what_torch_refuses(bad: str) -> None:
    def call(L: Any) -> Any:
        return L.set_default_dtype("float64" if bad == "string" else getattr(L, bad))

    assert_same_error(lambda: call(minigrad), lambda: call(torch))
    assert minigrad.get_default_dtype() is minigrad.float32


# -- Variable ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda L, V: V(L.ones(2)),
        lambda L, V: V(L.ones(2), requires_grad=True),
        lambda L, V: V(L.ones(2), True),
        lambda L, V: V(L.ones(2, requires_grad=True) * 2),
        lambda L, V: V(L.ones(2, requires_grad=True) * 2, requires_grad=True),
        lambda L, V: V(L.arange(3)),
        lambda L, V: V(),
    ],
)
def test_variable_makes_a_tensor_as_torch(make: Callable[[Any, Any], Any]) -> None:
    m = make(minigrad, minigrad.autograd.Variable)
    t = make(torch, torch.autograd.Variable)
    assert_same(m, t)
    assert repr(m) == repr(t)
    assert type(m) is minigrad.Tensor


def test_variable_shares_memory_and_records_history() -> None:
    def run(L: Any) -> Any:
        data = L.ones(2)
        v = L.autograd.Variable(data, requires_grad=True)
        v.detach()[0] = 5.0
        (v * v).sum().backward()
        return data.tolist(), v.grad.tolist(), isinstance(data, L.autograd.Variable)

    assert run(minigrad) == run(torch)
    assert not isinstance(3, minigrad.autograd.Variable)


@pytest.mark.parametrize(
    "make",
    [
        lambda L, V: V([1.0]),
        lambda L, V: V(3),
        lambda L, V: V(L.arange(3), requires_grad=True),
    ],
)
def test_variable_refuses_what_torch_refuses(make: Callable[[Any, Any], Any]) -> None:
    assert_same_error(
        lambda: make(minigrad, minigrad.autograd.Variable),
        lambda: make(torch, torch.autograd.Variable),
    )


def test_variable_volatile_warns_as_torch() -> None:
    caught = []
    for L in (minigrad, torch):
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            out = L.autograd.Variable(L.ones(1), volatile=True)
        caught.append([(w.category, str(w.message)) for w in record])
        assert out.requires_grad is False
    assert caught[0] == caught[1] and len(caught[0]) == 1
