"""minigrad.nn against torch.nn: printed forms, registration, state dicts, errors, layers,
losses and initialization.
"""

from __future__ import annotations

import copy
import math
import pickle
import warnings
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import minigrad
from minigrad import nn
from tests._oracle import assert_same, assert_same_error, assert_values


def copy_weights(source: Any, target: Any) -> None:
    """Copy every parameter and buffer of a minigrad module into the same torch module."""
    with torch.no_grad():
        for (name, p), (t_name, t) in zip(
            source.state_dict().items(), target.state_dict().items(), strict=True
        ):
            assert name == t_name
            t.copy_(torch.from_numpy(p.numpy().copy()))


def both(build: Callable[[Any], Any]) -> tuple[Any, Any]:
    """The same construction with minigrad.nn and torch.nn."""
    return build(minigrad), build(torch)


# --- printing ---------------------------------------------------------------------------------


class Net:
    """A nested model defined once for either library."""

    @staticmethod
    def build(L: Any) -> Any:
        class Net(L.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.body = L.nn.Sequential(L.nn.Linear(2, 3), L.nn.Tanh())
                self.head = L.nn.Linear(3, 1, bias=False)
                self.scale = L.nn.Parameter(L.ones(1))

            def forward(self, x: Any) -> Any:
                return self.head(self.body(x)) * self.scale

        return Net()


REPRS: dict[str, Callable[[Any], Any]] = {
    "tutorial_sequential": lambda L: L.nn.Sequential(
        L.nn.Linear(8, 16), L.nn.ReLU(), L.nn.Linear(16, 1)
    ),
    "linear_no_bias": lambda L: L.nn.Linear(2, 3, bias=False),
    "relu_inplace": lambda L: L.nn.ReLU(inplace=True),
    "activations": lambda L: L.nn.Sequential(
        L.nn.Sigmoid(), L.nn.Tanh(), L.nn.Softmax(dim=1), L.nn.LogSoftmax(dim=0), L.nn.Identity()
    ),
    "flatten": lambda L: L.nn.Flatten(),
    "flatten_args": lambda L: L.nn.Flatten(0, 2),
    "losses": lambda L: L.nn.Sequential(
        L.nn.MSELoss(),
        L.nn.L1Loss(),
        L.nn.BCELoss(),
        L.nn.BCEWithLogitsLoss(),
        L.nn.NLLLoss(),
        L.nn.CrossEntropyLoss(),
    ),
    "nested": Net.build,
    "empty_sequential": lambda L: L.nn.Sequential(),
    "module": lambda L: L.nn.Module(),
    "module_list_runs": lambda L: L.nn.ModuleList(
        [L.nn.Linear(2, 2), L.nn.Linear(2, 2), L.nn.ReLU(), L.nn.Linear(2, 2)]
    ),
    "empty_module_list": lambda L: L.nn.ModuleList(),
    "ordered_dict_sequential": lambda L: L.nn.Sequential(
        OrderedDict([("fc", L.nn.Linear(1, 2)), ("act", L.nn.ReLU())])
    ),
    "deeply_nested": lambda L: L.nn.Sequential(
        L.nn.Sequential(L.nn.Sequential(L.nn.Linear(1, 1)), L.nn.ReLU()), L.nn.Flatten()
    ),
}


@pytest.mark.parametrize("name", list(REPRS))
def test_repr_matches_torch(name: str) -> None:
    mine, theirs = both(REPRS[name])
    assert repr(mine) == repr(theirs)
    assert str(mine) == str(theirs)


def test_tutorial_sequential_prints_exactly() -> None:
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=8, out_features=16, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Linear(in_features=16, out_features=1, bias=True)\n"
        ")"
    )


def test_parameter_prints_as_in_torch() -> None:
    data = np.array([[1.0, -2.5], [0.25, 3.0]], dtype=np.float32)
    cases = [
        (nn.Parameter(minigrad.tensor(data)), torch.nn.Parameter(torch.tensor(data))),
        (
            nn.Parameter(minigrad.tensor(data), requires_grad=False),
            torch.nn.Parameter(torch.tensor(data), requires_grad=False),
        ),
        (nn.Parameter(), torch.nn.Parameter()),
        (
            nn.Parameter(minigrad.tensor(2.0, dtype=minigrad.float64)),
            torch.nn.Parameter(torch.tensor(2.0, dtype=torch.float64)),
        ),
    ]
    for mine, theirs in cases:
        assert repr(mine) == repr(theirs)
        assert str(mine) == str(theirs)


def test_parameter_is_a_leaf_tensor_sharing_memory() -> None:
    t = minigrad.tensor([1.0, 2.0])
    p = nn.Parameter(t)
    assert isinstance(p, minigrad.Tensor) and p.is_leaf and p.requires_grad
    t.add_(1)  # same memory
    assert p.tolist() == [2.0, 3.0]
    out = p * 2
    assert type(out) is minigrad.Tensor and type(p.detach()) is minigrad.Tensor
    assert repr(out) == repr(torch.nn.Parameter(torch.tensor([2.0, 3.0])) * 2)
    clone = copy.deepcopy(p)
    assert type(clone) is nn.Parameter and clone.requires_grad and clone.tolist() == [2.0, 3.0]
    restored = pickle.loads(pickle.dumps(p))
    assert type(restored) is nn.Parameter and restored.tolist() == [2.0, 3.0]
    assert_same_error(
        lambda: nn.Parameter(minigrad.tensor([1, 2])),
        lambda: torch.nn.Parameter(torch.tensor([1, 2])),
    )


# --- registration and walking the tree --------------------------------------------------------


def observe_tree(L: Any) -> list[Any]:
    net = Net.build(L)
    return [
        [name for name, _ in net.named_parameters()],
        [tuple(p.shape) for p in net.parameters()],
        [name for name, _ in net.named_children()],
        [type(m).__name__ for m in net.children()],
        [name for name, _ in net.named_modules()],
        [type(m).__name__ for m in net.modules()],
        [name for name, _ in net.named_parameters(recurse=False)],
        [name for name, _ in net.named_parameters(prefix="model")],
        list(net.state_dict().keys()),
        net.training,
        [m.training for m in net.eval().modules()],
        [m.training for m in net.train().modules()],
        type(net.get_submodule("body.0")).__name__,
        sorted(k for k in dir(net) if k in ("body", "head", "scale", "forward")),
    ]


def test_tree_matches_torch() -> None:
    assert observe_tree(minigrad) == observe_tree(torch)


def test_shared_modules_and_parameters_are_listed_once() -> None:
    def observe(L: Any) -> list[Any]:
        shared = L.nn.Linear(2, 2)
        model = L.nn.Sequential(shared, L.nn.ReLU(), shared)
        model.extra = L.nn.Sequential(shared)
        return [
            [name for name, _ in model.named_parameters()],
            [name for name, _ in model.named_modules()],
            list(model.state_dict().keys()),
            [name for name, _ in model.named_parameters(remove_duplicate=False)],
        ]

    assert observe(minigrad) == observe(torch)


def test_setattr_sorts_values_into_parameters_modules_and_attributes() -> None:
    def observe(L: Any) -> list[Any]:
        m = L.nn.Module()
        m.w = L.nn.Parameter(L.zeros(2))
        m.child = L.nn.Linear(1, 1)
        m.plain = L.zeros(3)
        m.number = 5
        facts = [list(m._parameters), list(m._modules), "plain" in m.__dict__, m.number]
        m.w = None
        m.child = None
        facts += [list(m._parameters.items()), list(m._modules.items())]
        m.w = L.nn.Parameter(L.ones(1))
        del m.w
        facts += [list(m._parameters), hasattr(m, "w")]
        m.register_buffer("running", L.zeros(2))
        m.register_buffer("temp", L.ones(1), persistent=False)
        facts += [list(m.state_dict().keys()), [n for n, _ in m.named_buffers()]]
        return facts

    assert observe(minigrad)[:4] == observe(torch)[:4]
    mine, theirs = observe(minigrad), observe(torch)
    assert mine[4] == theirs[4] == [("w", None)]
    assert [k for k, _ in mine[5]] == [k for k, _ in theirs[5]]
    assert mine[6:] == theirs[6:]


ERRORS: dict[str, Callable[[Any], Any]] = {
    "tensor_as_parameter": lambda L: setattr(L.nn.Linear(2, 2), "weight", L.zeros(2, 2)),
    "tensor_as_module": lambda L: setattr(L.nn.Sequential(L.nn.ReLU()), "0", L.zeros(1)),
    "missing_attribute": lambda L: L.nn.Linear(2, 2).foo,
    "missing_forward": lambda L: L.nn.Module()(1),
    "train_not_bool": lambda L: L.nn.Linear(1, 1).train("yes"),
    "index_out_of_range": lambda L: L.nn.Sequential(L.nn.ReLU())[1],
    "negative_index_out_of_range": lambda L: L.nn.Sequential(L.nn.ReLU())[-2],
    "module_list_index": lambda L: L.nn.ModuleList([L.nn.ReLU()])[3],
    "linear_wrong_input": lambda L: L.nn.Linear(2, 2)(L.zeros(3)),
    "register_dotted_name": lambda L: L.nn.Module().register_parameter("a.b", None),
    "register_empty_name": lambda L: L.nn.Module().register_buffer("", None),
    "register_existing_attribute": lambda L: L.nn.Linear(1, 1).register_buffer("forward", None),
    "register_non_parameter": lambda L: L.nn.Module().register_parameter("p", L.zeros(1)),
    "module_init_arguments": lambda L: L.nn.Module(3),
    "state_dict_not_a_mapping": lambda L: L.nn.Linear(1, 1).load_state_dict([1]),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors_match_torch(name: str) -> None:
    assert_same_error(lambda: ERRORS[name](minigrad), lambda: ERRORS[name](torch))


def test_parameters_before_init_is_an_error() -> None:
    def build(L: Any) -> Callable[[], Any]:
        class Broken(L.nn.Module):
            def __init__(self) -> None:
                self.w = L.nn.Parameter(L.zeros(1))

        return Broken

    assert_same_error(build(minigrad), build(torch))


# --- state dicts --------------------------------------------------------------------------------


def test_state_dict_round_trip_and_values() -> None:
    minigrad.manual_seed(0)
    a, b = Net.build(minigrad), Net.build(minigrad)
    result = b.load_state_dict(a.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    for (name, p), (_, q) in zip(a.state_dict().items(), b.state_dict().items()):
        np.testing.assert_array_equal(p.numpy(), q.numpy(), err_msg=name)
    sd = a.state_dict()
    assert all(not t.requires_grad for t in sd.values())
    assert type(sd) is OrderedDict
    # Detached, but sharing memory with the parameters.
    sd["head.weight"].add_(1)
    np.testing.assert_array_equal(a.head.weight.detach().numpy(), sd["head.weight"].numpy())
    # Loading copies: the parameters stay the same objects.
    weight = b.head.weight
    b.load_state_dict(a.state_dict())
    assert b.head.weight is weight
    assert b.head.weight.is_leaf and b.head.weight.requires_grad


def _load_errors(L: Any) -> list[Any]:
    model = L.nn.Sequential(L.nn.Linear(2, 3), L.nn.ReLU(), L.nn.Linear(3, 1))
    sd = model.state_dict()
    out: list[Any] = []
    missing = OrderedDict(sd)
    del missing["0.bias"]
    missing["extra"] = L.zeros(1)
    missing["1.junk"] = L.zeros(1)
    missing["7.weight"] = L.zeros(1)
    out.append(repr(model.load_state_dict(missing, strict=False)))
    try:
        model.load_state_dict(missing)
    except RuntimeError as error:
        out.append(str(error))
    wrong = OrderedDict(sd)
    wrong["2.weight"] = L.zeros(2, 3)
    try:
        model.load_state_dict(wrong)
    except RuntimeError as error:
        out.append(str(error))
    not_tensor = OrderedDict(sd)
    not_tensor["0.bias"] = [1.0, 2.0, 3.0]
    try:
        model.load_state_dict(not_tensor)
    except RuntimeError as error:
        out.append(str(error))
    return out


def test_load_state_dict_errors_match_torch() -> None:
    assert _load_errors(minigrad) == _load_errors(torch)


def test_state_dict_loads_across_libraries() -> None:
    mine, theirs = both(
        lambda L: L.nn.Sequential(L.nn.Linear(3, 4), L.nn.Tanh(), L.nn.Linear(4, 2))
    )
    copy_weights(mine, theirs)
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    assert_same(mine(minigrad.tensor(x)), theirs(torch.tensor(x)))


def test_deepcopy_and_pickle_keep_parameters() -> None:
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    x = minigrad.ones(4, 2)
    for clone in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert repr(clone) == repr(model)
        assert all(type(p) is nn.Parameter and p.requires_grad for p in clone.parameters())
        assert all(p is not q for p, q in zip(clone.parameters(), model.parameters()))
        np.testing.assert_array_equal(clone(x).detach().numpy(), model(x).detach().numpy())


# --- layers ----------------------------------------------------------------------------------


def test_linear_forward_and_backward_match_torch() -> None:
    rng = np.random.default_rng(1)
    for batch_shape in [(4,), (), (2, 3)]:
        x = rng.standard_normal((*batch_shape, 5)).astype(np.float32)
        for bias in (True, False):
            mine, theirs = nn.Linear(5, 3, bias=bias), torch.nn.Linear(5, 3, bias=bias)
            copy_weights(mine, theirs)
            xm, xt = minigrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
            ym, yt = mine(xm), theirs(xt)
            assert_same(ym, yt)
            ym.sum().backward()
            yt.sum().backward()
            assert_values(xm.grad, xt.grad)
            for pm, pt in zip(mine.parameters(), theirs.parameters()):
                assert_values(pm.grad, pt.grad)


def test_linear_default_initialization_follows_torchs_rule() -> None:
    """W and b uniform in ±1/√in_features (kaiming_uniform_ with a=√5), from minigrad's RNG."""
    minigrad.manual_seed(3)
    layer = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    w, b = layer.weight.detach().numpy(), layer.bias.detach().numpy()
    assert w.dtype == np.float32 and w.shape == (300, 400) and b.shape == (300,)
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > 0.99 * bound  # it fills the interval
    assert abs(w.mean()) < 0.01 * bound and abs(w.std() - bound / math.sqrt(3)) < 0.01 * bound
    # torch's bounds for the same shapes are the same.
    t = torch.nn.Linear(400, 300)
    assert abs(t.weight.detach().abs().max().item() - bound) < 0.01 * bound
    # Repeatable from the seed, and a float64 layer on request.
    minigrad.manual_seed(3)
    np.testing.assert_array_equal(nn.Linear(400, 300).weight.detach().numpy(), w)
    assert nn.Linear(2, 2, dtype=minigrad.float64).weight.dtype == minigrad.float64


def test_sequential_behaves_like_a_list() -> None:
    def observe(L: Any) -> list[Any]:
        model = L.nn.Sequential(L.nn.Linear(2, 3), L.nn.ReLU(), L.nn.Linear(3, 1))
        facts = [len(model), repr(model[0]), repr(model[-1]), repr(model[1:]), repr(model[::2])]
        facts.append([type(m).__name__ for m in model])
        model.append(L.nn.Sigmoid())
        facts.append(repr(model))
        del model[1]
        facts.append(repr(model))
        model[0] = L.nn.Tanh()
        facts.append(repr(model))
        model.insert(1, L.nn.ReLU())
        facts.append(repr(model))
        facts.append(repr(model.pop(0)))
        facts.append(repr(model))
        return facts

    assert observe(minigrad) == observe(torch)


def test_module_list() -> None:
    def observe(L: Any) -> list[Any]:
        layers = L.nn.ModuleList([L.nn.Linear(1, 1) for _ in range(2)])
        layers.append(L.nn.ReLU())
        layers.extend([L.nn.Tanh()])
        layers.insert(0, L.nn.Sigmoid())
        layers += [L.nn.Identity()]
        facts = [len(layers), repr(layers), repr(layers[1:3]), repr(layers[-1])]
        del layers[0]
        facts.append([name for name, _ in layers.named_parameters()])
        return facts

    assert observe(minigrad) == observe(torch)


@pytest.mark.parametrize(
    "name",
    ["relu", "sigmoid", "tanh", "softmax", "log_softmax", "flatten", "flatten_all", "identity"],
)
def test_activation_and_shape_layers_match_torch(name: str) -> None:
    layers = {
        "relu": lambda L: L.nn.ReLU(),
        "sigmoid": lambda L: L.nn.Sigmoid(),
        "tanh": lambda L: L.nn.Tanh(),
        "softmax": lambda L: L.nn.Softmax(dim=-1),
        "log_softmax": lambda L: L.nn.LogSoftmax(dim=1),
        "flatten": lambda L: L.nn.Flatten(),
        "flatten_all": lambda L: L.nn.Flatten(0, -1),
        "identity": lambda L: L.nn.Identity(),
    }
    x = np.random.default_rng(2).standard_normal((2, 3, 4)).astype(np.float32)
    mine, theirs = both(layers[name])
    xm, xt = minigrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ym, yt = mine(xm), theirs(xt)
    assert_same(ym, yt) if name != "identity" else assert_values(ym, yt)
    weights = np.random.default_rng(3).standard_normal(tuple(yt.shape)).astype(np.float32)
    (ym * minigrad.tensor(weights)).sum().backward()
    (yt * torch.tensor(weights)).sum().backward()
    assert_values(xm.grad, xt.grad)


def test_relu_inplace_layer() -> None:
    def run(L: Any) -> Any:
        x = L.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
        h = x * 2
        return [L.nn.ReLU(inplace=True)(h), h]

    (m_out, m_h), (t_out, t_h) = both(run)
    assert_same(m_out, t_out)
    assert_same(m_h, t_h)


LOSSES: dict[str, tuple[Callable[[Any], Any], str]] = {
    "mse": (lambda L: L.nn.MSELoss(), "regression"),
    "mse_sum": (lambda L: L.nn.MSELoss(reduction="sum"), "regression"),
    "mse_none": (lambda L: L.nn.MSELoss(reduction="none"), "regression"),
    "l1": (lambda L: L.nn.L1Loss(), "regression"),
    "bce": (lambda L: L.nn.BCELoss(), "probabilities"),
    "bce_logits": (lambda L: L.nn.BCEWithLogitsLoss(), "binary"),
    "bce_logits_pos_weight": (
        lambda L: L.nn.BCEWithLogitsLoss(pos_weight=L.tensor([1.0, 2.0, 0.5])),
        "binary",
    ),
    "bce_logits_weight_sum": (
        lambda L: L.nn.BCEWithLogitsLoss(weight=L.tensor([0.2, 1.0, 3.0]), reduction="sum"),
        "binary",
    ),
    "cross_entropy": (lambda L: L.nn.CrossEntropyLoss(), "classes"),
    "cross_entropy_weight": (
        lambda L: L.nn.CrossEntropyLoss(weight=L.tensor([1.0, 0.5, 2.0])),
        "classes",
    ),
    "cross_entropy_ignore": (lambda L: L.nn.CrossEntropyLoss(ignore_index=1), "classes"),
    "cross_entropy_none": (lambda L: L.nn.CrossEntropyLoss(reduction="none"), "classes"),
    "cross_entropy_probabilities": (lambda L: L.nn.CrossEntropyLoss(), "class_probabilities"),
    "nll": (lambda L: L.nn.NLLLoss(), "classes"),
}


def _loss_inputs(kind: str) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(4)
    x = rng.standard_normal((4, 3)).astype(np.float32)
    if kind == "regression":
        return x, rng.standard_normal((4, 3)).astype(np.float32)
    if kind == "probabilities":
        return 1 / (1 + np.exp(-x)), rng.uniform(0, 1, (4, 3)).astype(np.float32)
    if kind == "binary":
        return x, (rng.random((4, 3)) > 0.5).astype(np.float32)
    if kind == "classes":
        return x, np.array([0, 2, 1, 2])
    e = rng.uniform(0.1, 1, (4, 3))
    return x, (e / e.sum(1, keepdims=True)).astype(np.float32)


@pytest.mark.parametrize("name", list(LOSSES))
def test_loss_modules_match_torch(name: str) -> None:
    build, kind = LOSSES[name]
    x, target = _loss_inputs(kind)
    mine, theirs = both(build)
    assert repr(mine) == repr(theirs)
    assert list(mine.state_dict()) == list(theirs.state_dict())
    xm, xt = minigrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    if name == "nll":
        lm, lt = (
            mine(xm.log_softmax(1), minigrad.tensor(target)),
            theirs(xt.log_softmax(1), torch.tensor(target)),
        )
    else:
        lm, lt = mine(xm, minigrad.tensor(target)), theirs(xt, torch.tensor(target))
    assert_same(lm, lt)
    lm.sum().backward()
    lt.sum().backward()
    assert_values(xm.grad, xt.grad)


def test_legacy_reduction_arguments_warn_as_in_torch() -> None:
    messages = []
    reductions = []
    for L in (minigrad, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            loss = L.nn.MSELoss(size_average=False)
        messages.append([str(w.message) for w in caught])
        reductions.append(loss.reduction)
    assert messages[0] == messages[1] and reductions[0] == reductions[1] == "sum"


# --- bulk operations ---------------------------------------------------------------------------


def test_zero_grad_and_requires_grad() -> None:
    def observe(L: Any) -> list[Any]:
        model = L.nn.Linear(2, 1)
        model(L.ones(3, 2)).sum().backward()
        model.zero_grad(set_to_none=False)
        facts = [model.weight.grad, model.bias.grad]
        model.zero_grad()
        facts += [model.weight.grad is None, model.bias.grad is None]
        model.requires_grad_(False)
        facts += [p.requires_grad for p in model.parameters()]
        facts.append(model(L.ones(1, 2)).requires_grad)
        return facts

    mine, theirs = observe(minigrad), observe(torch)
    assert_values(mine[0], theirs[0])
    assert_values(mine[1], theirs[1])
    assert mine[2:] == theirs[2:]


def test_dtype_conversion_and_apply() -> None:
    def observe(L: Any) -> list[Any]:
        model = L.nn.Sequential(L.nn.Linear(2, 2), L.nn.ReLU())
        weight = model[0].weight
        model.double()
        facts = [str(p.dtype) for p in model.parameters()]
        facts.append(model[0].weight is weight)
        facts += [str(p.dtype) for p in model.float().parameters()]
        facts += [str(p.dtype) for p in model.to(L.float64).parameters()]
        visited: list[str] = []
        model.apply(lambda m: visited.append(type(m).__name__))
        facts.append(visited)
        return facts

    assert observe(minigrad) == observe(torch)


def test_forward_hooks() -> None:
    def observe(L: Any) -> list[Any]:
        layer = L.nn.Linear(2, 2)
        seen: list[Any] = []
        pre = layer.register_forward_pre_hook(lambda m, args: (args[0] * 0,))
        post = layer.register_forward_hook(lambda m, args, out: seen.append(args[0].sum().item()))
        out1 = layer(L.ones(1, 2))
        pre.remove()
        layer(L.ones(1, 2))
        post.remove()
        layer(L.ones(1, 2))
        return [seen, bool((out1 == layer.bias).all())]

    assert observe(minigrad) == observe(torch)


# --- nn.init ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("linear",),
        ("conv2d",),
        ("sigmoid",),
        ("tanh",),
        ("relu",),
        ("leaky_relu",),
        ("leaky_relu", 0.2),
        ("leaky_relu", 3),
        ("selu",),
    ],
)
def test_calculate_gain_matches_torch(args: tuple[Any, ...]) -> None:
    assert nn.init.calculate_gain(*args) == torch.nn.init.calculate_gain(*args)


INIT_ERRORS: dict[str, Callable[[Any], Any]] = {
    "gain_unknown": lambda L: L.nn.init.calculate_gain("swish"),
    "gain_bad_slope": lambda L: L.nn.init.calculate_gain("leaky_relu", True),
    "fan_of_a_vector": lambda L: L.nn.init.xavier_uniform_(L.empty(3)),
    "kaiming_bad_mode": lambda L: L.nn.init.kaiming_uniform_(L.empty(2, 2), mode="fan_avg"),
    "eye_of_3d": lambda L: L.nn.init.eye_(L.empty(2, 2, 2)),
}


@pytest.mark.parametrize("name", list(INIT_ERRORS))
def test_init_errors_match_torch(name: str) -> None:
    assert_same_error(lambda: INIT_ERRORS[name](minigrad), lambda: INIT_ERRORS[name](torch))


@pytest.mark.parametrize("name", ["constant_", "ones_", "zeros_", "eye_"])
def test_deterministic_inits_match_torch(name: str) -> None:
    args = (0.25,) if name == "constant_" else ()
    m = getattr(nn.init, name)(nn.Parameter(minigrad.empty(3, 4)), *args)
    t = getattr(torch.nn.init, name)(torch.nn.Parameter(torch.empty(3, 4)), *args)
    assert_same(m, t)
    assert repr(m) == repr(t)


RANDOM_INITS: dict[str, tuple[Callable[[Any], Any], float, str]] = {
    # name: (call on a (200, 300) parameter, bound or std, "uniform" or "normal")
    "uniform_": (lambda w: nn.init.uniform_(w, -0.3, 0.7), 0.0, "uniform"),
    "normal_": (lambda w: nn.init.normal_(w, 0.5, 2.0), 2.0, "normal"),
    "xavier_uniform_": (
        lambda w: nn.init.xavier_uniform_(w, gain=2.0),
        2.0 * math.sqrt(6 / 500),
        "uniform",
    ),
    "xavier_normal_": (lambda w: nn.init.xavier_normal_(w), math.sqrt(2 / 500), "normal"),
    "kaiming_uniform_": (
        lambda w: nn.init.kaiming_uniform_(w, nonlinearity="relu"),
        math.sqrt(6 / 300),
        "uniform",
    ),
    "kaiming_uniform_fan_out": (
        lambda w: nn.init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu"),
        math.sqrt(6 / 200),
        "uniform",
    ),
    "kaiming_normal_": (
        lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"),
        math.sqrt(2 / 300),
        "normal",
    ),
}


@pytest.mark.parametrize("name", list(RANDOM_INITS))
def test_random_inits_have_torchs_distribution(name: str) -> None:
    call, scale, kind = RANDOM_INITS[name]
    w = nn.Parameter(minigrad.empty(200, 300))
    version = w._version
    out = call(w)
    assert out is w and w.is_leaf and w.requires_grad and w.grad_fn is None
    assert w._version > version  # an in-place change, as in torch
    values = w.detach().numpy()
    if name == "uniform_":
        assert values.min() >= -0.3 and values.max() < 0.7
        assert abs(values.mean() - 0.2) < 0.01
    elif kind == "uniform":
        assert np.abs(values).max() <= scale and np.abs(values).max() > 0.99 * scale
        assert abs(values.std() - scale / math.sqrt(3)) < 0.02 * scale
    else:
        assert abs(values.std() - scale) < 0.02 * scale
    # torch's version of the same call gives the same spread.
    t = torch.nn.Parameter(torch.empty(200, 300))
    getattr(torch.nn.init, name.removesuffix("_fan_out") if name.endswith("_fan_out") else name)
    t_call = {
        "uniform_": lambda p: torch.nn.init.uniform_(p, -0.3, 0.7),
        "normal_": lambda p: torch.nn.init.normal_(p, 0.5, 2.0),
        "xavier_uniform_": lambda p: torch.nn.init.xavier_uniform_(p, gain=2.0),
        "xavier_normal_": lambda p: torch.nn.init.xavier_normal_(p),
        "kaiming_uniform_": lambda p: torch.nn.init.kaiming_uniform_(p, nonlinearity="relu"),
        "kaiming_uniform_fan_out": lambda p: torch.nn.init.kaiming_uniform_(
            p, mode="fan_out", nonlinearity="relu"
        ),
        "kaiming_normal_": lambda p: torch.nn.init.kaiming_normal_(p, nonlinearity="relu"),
    }[name]
    reference = t_call(t).detach().numpy()
    assert abs(values.std() - reference.std()) < 0.03 * reference.std()
    assert abs(values.mean() - reference.mean()) < 0.02 * max(reference.std(), 1e-3) + 0.01


def test_init_with_a_generator_is_repeatable() -> None:
    g = minigrad.Generator().manual_seed(5)
    a = nn.init.normal_(minigrad.empty(4), generator=g).numpy().copy()
    g.manual_seed(5)
    b = nn.init.normal_(minigrad.empty(4), generator=g).numpy()
    np.testing.assert_array_equal(a, b)


def test_kaiming_of_an_empty_tensor_warns_as_in_torch() -> None:
    messages = []
    for L in (minigrad, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            L.nn.init.kaiming_uniform_(L.empty(0, 3))
        messages.append([str(w.message) for w in caught])
    assert messages[0] == messages[1] == ["Initializing zero-element tensors is a no-op"]
