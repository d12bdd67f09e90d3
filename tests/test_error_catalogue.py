"""A catalogue of misuses: minigrad refuses each with torch's error, and changes nothing.

Every case is one function that takes the library module (``torch`` or ``minigrad``), builds
a little scene with it, and returns the scene's tensors plus the refused call. The same code
runs on both libraries, so the comparison is between like and like:

- ``test_same_error_as_torch``: the same exception type and the same message (only memory
  addresses are normalized), or for a warning case the same warning category and text;
- ``test_refusal_changes_nothing``: in minigrad, every tensor of the scene (data, grad,
  requires_grad, grad_fn, version, ...) and every node of its graph (saved tensors, edges,
  hooks, freed or not) is exactly as it was before the refused call.
"""

from __future__ import annotations

import copy
import importlib
import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import minigrad
from minigrad.autograd.saved import SavedTensor
from tests._oracle import torch_words

Scene = tuple[list[Any], Callable[[], Any]]
CASES: dict[str, tuple[str, Callable[[Any], Scene]]] = {}


def raises(fn: Callable[[Any], Scene]) -> Callable[[Any], Scene]:
    """Register a case whose call must raise."""
    CASES[fn.__name__] = ("raises", fn)
    return fn


def warns(fn: Callable[[Any], Scene]) -> Callable[[Any], Scene]:
    """Register a case whose call must warn (and not raise)."""
    CASES[fn.__name__] = ("warns", fn)
    return fn


def optim(lib: Any) -> Any:
    return importlib.import_module(lib.__name__ + ".optim")


def F(lib: Any) -> Any:  # noqa: N802 - the usual spelling of torch.nn.functional
    return lib.nn.functional


# --- shapes: broadcasting and matrix products ----------------------------------------------


@raises
def add_shapes_do_not_broadcast(lib):
    a = lib.ones(2, 3, requires_grad=True)
    b = lib.ones(4, requires_grad=True)
    return [a, b], lambda: a + b


@raises
def mul_shapes_do_not_broadcast_3d(lib):
    a = lib.ones(2, 3, 4, requires_grad=True)
    y = a * 2
    b = lib.ones(3, 3)
    return [a, y, b], lambda: y * b


@raises
def sub_number_left_with_bad_shapes(lib):
    a = lib.ones(5, 1, 2)
    b = lib.ones(4, 3, requires_grad=True)
    return [a, b], lambda: lib.sub(a, b)


@raises
def matmul_inner_sizes_differ(lib):
    a = lib.ones(2, 3, requires_grad=True)
    b = lib.ones(4, 5, requires_grad=True)
    return [a, b], lambda: a @ b


@raises
def mm_inner_sizes_differ(lib):
    a = lib.ones(2, 3, requires_grad=True)
    b = lib.ones(2, 3)
    return [a, b], lambda: lib.mm(a, b)


@raises
def dot_lengths_differ(lib):
    a = lib.ones(3, requires_grad=True)
    b = lib.ones(4)
    return [a, b], lambda: lib.dot(a, b)


@raises
def matmul_matrix_vector_sizes_differ(lib):
    a = lib.ones(2, 3, requires_grad=True)
    b = lib.ones(4)
    return [a, b], lambda: a @ b


@raises
def matmul_of_a_0d_tensor(lib):
    a = lib.tensor(2.0, requires_grad=True)
    b = lib.ones(2)
    return [a, b], lambda: lib.matmul(a, b)


@raises
def mm_of_a_vector(lib):
    a = lib.ones(3, requires_grad=True)
    b = lib.ones(3, 3)
    return [a, b], lambda: lib.mm(a, b)


@raises
def batched_matmul_sizes_differ(lib):
    a = lib.ones(2, 2, 3, requires_grad=True)
    b = lib.ones(2, 4, 5)
    return [a, b], lambda: a @ b


@raises
def dot_dtypes_differ(lib):
    a = lib.ones(3, requires_grad=True)
    b = lib.ones(3, dtype=lib.float64)
    return [a, b], lambda: lib.dot(a, b)


@raises
def mm_dtypes_differ(lib):
    a = lib.ones(2, 2, requires_grad=True)
    b = lib.ones(2, 2, dtype=lib.float64)
    return [a, b], lambda: a @ b


# --- dtypes and requires_grad --------------------------------------------------------------


@raises
def integer_tensor_created_with_requires_grad(lib):
    return [], lambda: lib.tensor([1, 2, 3], requires_grad=True)


@raises
def requires_grad_on_an_integer_tensor(lib):
    a = lib.arange(3)
    return [a], lambda: a.requires_grad_()


@raises
def requires_grad_attribute_on_a_bool_tensor(lib):
    a = lib.ones(3) > 0

    def act():
        a.requires_grad = True

    return [a], act


@raises
def requires_grad_off_on_a_non_leaf(lib):
    x = lib.ones(3, requires_grad=True)
    y = x * 2

    def act():
        y.requires_grad = False

    return [x, y], act


@raises
def requires_grad_on_a_non_leaf_integer_result(lib):
    x = lib.ones(3, requires_grad=True)
    y = x.argmax()
    return [x, y], lambda: y.requires_grad_()


@raises
def ones_with_a_negative_size(lib):
    return [], lambda: lib.ones(2, -1)


@raises
def tensor_from_a_ragged_list(lib):
    return [], lambda: lib.tensor([[1.0, 2.0], [3.0]])


@raises
def mean_of_an_integer_tensor(lib):
    a = lib.arange(4)
    return [a], lambda: a.mean()


@raises
def norm_of_an_integer_tensor(lib):
    a = lib.arange(4)
    return [a], lambda: a.norm()


@raises
def integer_to_a_negative_integer_power(lib):
    a = lib.tensor([1, 2, 3])
    return [a], lambda: a**-1


@raises
def where_with_a_float_condition(lib):
    a = lib.ones(3, requires_grad=True)
    b = lib.zeros(3)
    return [a, b], lambda: lib.where(lib.ones(3), a, b)


@raises
def masked_fill_with_a_float_mask(lib):
    a = lib.ones(3, requires_grad=True)
    y = a * 1
    return [a, y], lambda: y.masked_fill(lib.ones(3), 0.0)


# --- backward: what it is called on and with -----------------------------------------------


@raises
def backward_of_a_non_scalar(lib):
    x = lib.ones(3, requires_grad=True)
    y = x * 2
    return [x, y], lambda: y.backward()


@raises
def backward_of_a_tensor_without_grad(lib):
    x = lib.ones(3)
    y = (x * 2).sum()
    return [x, y], lambda: y.backward()


@raises
def backward_with_a_gradient_of_the_wrong_shape(lib):
    x = lib.ones(2, requires_grad=True)
    y = x.exp()
    return [x, y], lambda: y.backward(lib.ones(3))


@raises
def backward_with_a_gradient_of_a_broadcastable_shape(lib):
    x = lib.ones(2, 3, requires_grad=True)
    y = x.exp()
    return [x, y], lambda: y.backward(lib.ones(3))


@raises
def autograd_backward_with_too_few_gradients(lib):
    x = lib.ones(2, requires_grad=True)
    y = x * 3
    z = x.exp()
    return [x, y, z], lambda: lib.autograd.backward([y, z], [lib.ones(2)])


@raises
def backward_with_empty_inputs(lib):
    x = lib.ones(2, requires_grad=True)
    y = (x * x).sum()
    return [x, y], lambda: y.backward(inputs=[])


@raises
def backward_twice_through_freed_buffers(lib):
    x = lib.ones(3, requires_grad=True)
    y = x.exp().sum()
    y.backward()
    return [x, y], lambda: y.backward()


@raises
def backward_twice_after_a_partial_path(lib):
    # The second pass reaches a's AccumulateGrad (nothing saved) before exp's freed node.
    a = lib.ones(3, requires_grad=True)
    b = lib.ones(3, requires_grad=True)
    u = b.exp()
    u.sum().backward()
    v = (u + a * 3).sum()
    return [a, b, u, v], lambda: v.backward()


@raises
def saved_tensors_after_backward(lib):
    x = lib.ones(3, requires_grad=True)
    y = x * x
    y.sum().backward()
    return [x, y], lambda: y.grad_fn._saved_self


@raises
def autograd_grad_of_an_unused_input(lib):
    x = lib.ones(2, requires_grad=True)
    w = lib.ones(2, requires_grad=True)
    y = (x * 2).sum()
    return [x, w, y], lambda: lib.autograd.grad(y, [x, w])


@raises
def autograd_grad_of_a_tensor_without_grad(lib):
    x = lib.ones(2, requires_grad=True)
    c = lib.ones(2)
    y = (x * c).sum()
    return [x, c, y], lambda: lib.autograd.grad(y, [c])


@raises
def autograd_grad_of_a_non_scalar(lib):
    x = lib.ones(2, requires_grad=True)
    y = x.exp()
    return [x, y], lambda: lib.autograd.grad(y, x)


# --- in-place operations -------------------------------------------------------------------


@raises
def add_inplace_on_a_leaf(lib):
    x = lib.ones(3, requires_grad=True)
    return [x], lambda: x.add_(1)


@raises
def iadd_on_a_leaf(lib):
    x = lib.ones(3, requires_grad=True)

    def act():
        nonlocal x
        x += 1

    return [x], act


@raises
def zero_inplace_on_a_leaf(lib):
    x = lib.ones(3, requires_grad=True)
    return [x], lambda: x.zero_()


@raises
def item_assignment_on_a_leaf(lib):
    x = lib.ones(3, requires_grad=True)

    def act():
        x[0] = 5.0

    return [x], act


@raises
def inplace_on_a_view_of_a_leaf(lib):
    x = lib.ones(2, 3, requires_grad=True)
    row = x[0]
    return [x, row], lambda: row.mul_(2)


@raises
def modified_saved_input_leaf(lib):
    w = lib.ones(3, requires_grad=True)
    a = lib.full((3,), 2.0)
    y = (w * a).sum()
    a.add_(1)
    return [w, a, y], lambda: y.backward()


@raises
def modified_saved_non_leaf(lib):
    x = lib.ones(3, requires_grad=True)
    s = x.sigmoid()
    y = (s * s).sum()
    s.mul_(2)
    return [x, s, y], lambda: y.backward()


@raises
def modified_saved_output(lib):
    x = lib.ones(3, requires_grad=True)
    e = x.exp()
    e.add_(1)
    return [x, e], lambda: e.sum().backward()


@raises
def modified_saved_tensor_after_a_partial_path(lib):
    a = lib.ones(3, requires_grad=True)
    b = lib.ones(3, requires_grad=True)
    c = lib.full((3,), 2.0)
    y = (b * c + a * 3).sum()
    c.add_(1)
    return [a, b, c, y], lambda: y.backward()


@raises
def inplace_float_into_an_integer_tensor(lib):
    a = lib.arange(3)
    return [a], lambda: a.add_(1.5)


@raises
def inplace_result_would_broadcast(lib):
    x = lib.ones(3, requires_grad=True)
    y = x * 1
    return [x, y], lambda: y.add_(lib.ones(2, 3))


@raises
def detach_inplace_of_a_view(lib):
    x = lib.ones(2, 3, requires_grad=True)
    v = (x * 1)[0]
    return [x, v], lambda: v.detach_()


# --- tensor conversions --------------------------------------------------------------------


@raises
def numpy_of_a_tracked_leaf(lib):
    x = lib.ones(3, requires_grad=True)
    return [x], lambda: x.numpy()


@raises
def numpy_of_a_non_leaf(lib):
    x = lib.ones(3, requires_grad=True)
    y = x + 1
    return [x, y], lambda: y.numpy()


@raises
def item_of_several_values(lib):
    x = lib.ones(3, requires_grad=True)
    return [x], lambda: x.item()


@raises
def bool_of_several_values(lib):
    x = lib.ones(3)
    return [x], lambda: bool(x > 0)


@raises
def if_on_a_comparison_of_several_values(lib):
    x = lib.ones(2, requires_grad=True)

    def act():
        if x > 0:
            return 1
        return 0

    return [x], act


@raises
def float_of_several_values(lib):
    x = lib.ones(2)
    return [x], lambda: float(x)


@raises
def len_of_a_0d_tensor(lib):
    x = lib.tensor(1.0, requires_grad=True)
    return [x], lambda: len(x)


@raises
def iteration_over_a_0d_tensor(lib):
    x = lib.tensor(1.0)
    return [x], lambda: list(x)


@raises
def deepcopy_of_a_non_leaf(lib):
    x = lib.ones(2, requires_grad=True)
    y = x * 2
    return [x, y], lambda: copy.deepcopy(y)


# --- indices -------------------------------------------------------------------------------


@raises
def index_out_of_range(lib):
    x = lib.ones(3, requires_grad=True)
    return [x], lambda: x[5]


@raises
def negative_index_out_of_range(lib):
    x = lib.ones(2, 3, requires_grad=True)
    return [x], lambda: x[0, -4]


@raises
def too_many_indices(lib):
    x = lib.ones(3, requires_grad=True)
    return [x], lambda: x[0, 0]


@raises
def float_index(lib):
    x = lib.ones(3)
    return [x], lambda: x[1.5]


@raises
def float_tensor_as_index(lib):
    x = lib.ones(3, requires_grad=True)
    return [x], lambda: x[lib.tensor([0.0, 1.0])]


@raises
def integer_tensor_index_out_of_range(lib):
    x = lib.ones(3, requires_grad=True)
    return [x], lambda: x[lib.tensor([0, 7])]


@raises
def mask_of_the_wrong_shape(lib):
    x = lib.ones(3, requires_grad=True)
    return [x], lambda: x[lib.tensor([True, False])]


@raises
def assignment_at_an_index_out_of_range(lib):
    x = lib.zeros(3)

    def act():
        x[lib.tensor([0, 3])] = 1.0

    return [x], act


# --- dims and reductions -------------------------------------------------------------------


@raises
def sum_over_a_dim_out_of_range(lib):
    x = lib.ones(2, 3, requires_grad=True)
    return [x], lambda: x.sum(dim=2)


@raises
def sum_over_a_repeated_dim(lib):
    x = lib.ones(2, 3, requires_grad=True)
    return [x], lambda: x.sum(dim=(1, -1))


@raises
def softmax_over_a_dim_out_of_range(lib):
    x = lib.ones(2, 3, requires_grad=True)
    return [x], lambda: x.softmax(dim=-3)


@raises
def transpose_of_a_dim_out_of_range(lib):
    x = lib.ones(2, 3, requires_grad=True)
    return [x], lambda: x.transpose(0, 2)


@raises
def unsqueeze_at_a_dim_out_of_range(lib):
    x = lib.ones(3, requires_grad=True)
    return [x], lambda: x.unsqueeze(3)


@raises
def permute_with_too_few_dims(lib):
    x = lib.ones(2, 3, 4, requires_grad=True)
    return [x], lambda: x.permute(1, 0)


@raises
def permute_with_a_repeated_dim(lib):
    x = lib.ones(2, 3, requires_grad=True)
    return [x], lambda: x.permute(1, 1)


@raises
def flatten_with_start_after_end(lib):
    x = lib.ones(2, 3, 4, requires_grad=True)
    return [x], lambda: x.flatten(2, 1)


@raises
def max_along_an_empty_dim(lib):
    x = lib.ones(0, 3, requires_grad=True)
    return [x], lambda: x.max(dim=0)


@raises
def max_of_an_empty_tensor(lib):
    x = lib.ones(0, requires_grad=True)
    return [x], lambda: x.max()


@raises
def argmax_over_a_dim_out_of_range(lib):
    x = lib.ones(2, 3)
    return [x], lambda: x.argmax(dim=2)


@raises
def cat_with_sizes_that_differ(lib):
    a = lib.ones(2, 3, requires_grad=True)
    b = lib.ones(2, 4)
    return [a, b], lambda: lib.cat([a, b])


@raises
def cat_of_an_empty_list(lib):
    return [], lambda: lib.cat([])


@raises
def stack_with_sizes_that_differ(lib):
    a = lib.ones(2, 3, requires_grad=True)
    b = lib.ones(2, 4)
    return [a, b], lambda: lib.stack([a, b])


@raises
def view_that_would_need_a_copy(lib):
    x = lib.ones(2, 3, requires_grad=True)
    t = x.t()
    return [x, t], lambda: t.view(6)


@raises
def reshape_to_the_wrong_number_of_elements(lib):
    x = lib.ones(2, 3, requires_grad=True)
    return [x], lambda: x.reshape(4)


@raises
def reshape_with_two_inferred_dims(lib):
    x = lib.ones(2, 3, requires_grad=True)
    return [x], lambda: x.reshape(-1, -1)


@raises
def expand_a_non_singleton_dim(lib):
    x = lib.ones(2, 3, requires_grad=True)
    return [x], lambda: x.expand(3, 3)


@raises
def expand_to_a_negative_new_size(lib):
    x = lib.ones(3, requires_grad=True)
    return [x], lambda: x.expand(2, -2, 3)


@raises
def expand_checks_the_last_dims_first(lib):
    x = lib.ones(3, requires_grad=True)
    return [x], lambda: x.expand(-1, -2)


@raises
def expand_with_no_size(lib):
    x = lib.ones(3, requires_grad=True)
    return [x], lambda: x.expand()


@raises
def sum_to_size_of_a_bigger_size(lib):
    x = lib.ones(2, 3, requires_grad=True)
    return [x], lambda: x.sum_to_size(4, 3)


# --- gradients set by hand, hooks ----------------------------------------------------------


@raises
def zero_of_a_none_grad(lib):
    x = lib.ones(3, requires_grad=True)
    return [x], lambda: x.grad.zero_()


@raises
def grad_assigned_with_the_wrong_shape(lib):
    x = lib.ones(2, requires_grad=True)

    def act():
        x.grad = lib.ones(3)

    return [x], act


@raises
def grad_assigned_with_the_wrong_dtype(lib):
    x = lib.ones(2, requires_grad=True)

    def act():
        x.grad = lib.ones(2, dtype=lib.float64)

    return [x], act


@raises
def grad_assigned_a_number(lib):
    x = lib.ones(2, requires_grad=True)

    def act():
        x.grad = 1.0

    return [x], act


@raises
def retain_grad_without_requires_grad(lib):
    x = lib.ones(2)
    return [x], lambda: x.retain_grad()


@raises
def hook_on_a_tensor_without_requires_grad(lib):
    x = lib.ones(2)
    return [x], lambda: x.register_hook(lambda g: g)


@warns
def grad_of_a_non_leaf(lib):
    x = lib.ones(2, requires_grad=True)
    y = x * 2
    y.sum().backward(retain_graph=True)
    return [x, y], lambda: y.grad


# --- custom Functions that break the rules -------------------------------------------------


def _custom(lib: Any, backward: Callable[..., Any]) -> Any:
    class Twice(lib.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a)
            return a * 2 + b

    Twice.backward = staticmethod(backward)
    return Twice


@raises
def function_backward_returns_too_few_gradients(lib):
    Twice = _custom(lib, lambda ctx, g: g * 2)
    a = lib.ones(2, requires_grad=True)
    b = lib.ones(2, requires_grad=True)
    y = Twice.apply(a, b).sum()
    return [a, b, y], lambda: y.backward()


@raises
def function_backward_returns_too_many_gradients(lib):
    Twice = _custom(lib, lambda ctx, g: (g * 2, g, g))
    a = lib.ones(2, requires_grad=True)
    b = lib.ones(2, requires_grad=True)
    y = Twice.apply(a, b).sum()
    return [a, b, y], lambda: y.backward()


@raises
def function_backward_returns_a_wrong_shape(lib):
    Twice = _custom(lib, lambda ctx, g: (lib.ones(3), g))
    a = lib.ones(2, requires_grad=True)
    b = lib.ones(2, requires_grad=True)
    y = Twice.apply(a, b).sum()
    return [a, b, y], lambda: y.backward()


@raises
def function_without_backward(lib):
    class NoBackward(lib.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

    a = lib.ones(2, requires_grad=True)
    y = NoBackward.apply(a).sum()
    return [a, y], lambda: y.backward()


@raises
def function_backward_raises_after_a_partial_path(lib):
    def fail(ctx, g):
        raise ValueError("this backward is broken")

    Twice = _custom(lib, fail)
    a = lib.ones(2, requires_grad=True)
    b = lib.ones(2, requires_grad=True)
    c = lib.ones(2, requires_grad=True)
    y = (Twice.apply(a, b) + c * 3).sum()
    return [a, b, c, y], lambda: y.backward()


# --- losses --------------------------------------------------------------------------------


@raises
def cross_entropy_target_out_of_range(lib):
    logits = lib.zeros(2, 3, requires_grad=True)
    target = lib.tensor([0, 3])
    return [logits, target], lambda: F(lib).cross_entropy(logits, target)


@raises
def binary_cross_entropy_target_size_differs(lib):
    p = lib.full((2,), 0.5, requires_grad=True)
    target = lib.ones(3)
    return [p, target], lambda: F(lib).binary_cross_entropy(p, target)


@raises
def bce_with_logits_target_size_differs(lib):
    z = lib.zeros(2, requires_grad=True)
    target = lib.ones(3)
    return [z, target], lambda: F(lib).binary_cross_entropy_with_logits(z, target)


@raises
def mse_loss_with_an_unknown_reduction(lib):
    a = lib.zeros(2, requires_grad=True)
    b = lib.ones(2)
    return [a, b], lambda: F(lib).mse_loss(a, b, reduction="average")


# --- optimizers ----------------------------------------------------------------------------


@raises
def sgd_with_a_negative_learning_rate(lib):
    w = lib.ones(2, requires_grad=True)
    return [w], lambda: optim(lib).SGD([w], lr=-0.1)


@raises
def sgd_with_a_negative_momentum(lib):
    w = lib.ones(2, requires_grad=True)
    return [w], lambda: optim(lib).SGD([w], lr=0.1, momentum=-1)


@raises
def sgd_with_negative_weight_decay(lib):
    w = lib.ones(2, requires_grad=True)
    return [w], lambda: optim(lib).SGD([w], lr=0.1, weight_decay=-1)


@raises
def sgd_of_an_empty_parameter_list(lib):
    return [], lambda: optim(lib).SGD([], lr=0.1)


@raises
def sgd_of_a_single_tensor(lib):
    w = lib.ones(2, requires_grad=True)
    return [w], lambda: optim(lib).SGD(w, lr=0.1)


@raises
def sgd_of_a_non_leaf(lib):
    w = lib.ones(2, requires_grad=True)
    v = w * 2
    return [w, v], lambda: optim(lib).SGD([v], lr=0.1)


@raises
def adam_with_a_beta_of_one(lib):
    w = lib.ones(2, requires_grad=True)
    return [w], lambda: optim(lib).Adam([w], lr=0.1, betas=(1.0, 0.999))


@raises
def adam_with_a_negative_epsilon(lib):
    w = lib.ones(2, requires_grad=True)
    return [w], lambda: optim(lib).Adam([w], eps=-1e-8)


# --- running the cases ---------------------------------------------------------------------


def _address_free(text: str) -> str:
    return re.sub(r"0x[0-9a-fA-F]+", "0x?", text)


def _outcome(lib: Any, name: str) -> tuple[type, str]:
    """The exception (or warning) type and message of the case's refused call."""
    kind, case = CASES[name]
    _, act = case(lib)
    if kind == "warns":
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            act()
        assert len(caught) == 1, [str(w.message) for w in caught]
        return caught[0].category, torch_words(_address_free(str(caught[0].message)))
    with pytest.raises(Exception) as info:  # noqa: B017, PT011 - any type: compared below
        act()
    return info.type, torch_words(_address_free(str(info.value)))


@pytest.mark.parametrize("name", list(CASES))
def test_same_error_as_torch(name: str) -> None:
    expected = _outcome(torch, name)
    assert _outcome(minigrad, name) == expected


def test_catalogue_is_large() -> None:
    assert len(CASES) >= 40


# --- the "nothing changed" snapshot --------------------------------------------------------


def _walk_graph(tensors: list[Any]) -> list[Any]:
    """Every node reachable from the tensors' grad_fns (an explicit stack, no recursion)."""
    nodes: list[Any] = []
    seen: set[int] = set()
    stack = [t.grad_fn for t in tensors if t.grad_fn is not None]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        nodes.append(node)
        stack.extend(n for n, _ in node.next_functions if n is not None)
    return nodes


class _Identity:
    """Compared by identity (`is`), not by value."""

    def __init__(self, obj: Any) -> None:
        self.obj = obj


def _array_state(array: Any) -> tuple[Any, ...]:
    return (_Identity(array), array.dtype, array.shape, array.copy())


def _tensor_state(t: Any) -> dict[str, Any]:
    grad = t._grad
    return {
        "object": t,
        "data": _array_state(t._data),
        "requires_grad": t._requires_grad,
        "grad": None if grad is None else (grad, _array_state(grad._data), grad._version),
        "grad_fn": t.grad_fn,
        "output_nr": t._output_nr,
        "version_counter": t._version_counter,
        "version": t._version_counter.value,
        "retains_grad": t._retains_grad,
        "hooks": None if t._hooks is None else list(t._hooks),
        "is_view": t._is_view,
        "base": t._base,
    }


def _node_state(node: Any) -> dict[str, Any]:
    saved = node._saved
    return {
        "node": node,
        "next_functions": node.next_functions,
        "freed": node._freed,
        "saved": saved,
        "saved_state": None if saved is None else [_saved_state(s) for s in saved],
        "attributes": dict(vars(node)),
        "retained": None if node._retained is None else dict(node._retained),
        "tensor_pre_hooks": None
        if node._tensor_pre_hooks is None
        else {k: list(v) for k, v in node._tensor_pre_hooks.items()},
    }


def _saved_state(saved: Any) -> Any:
    if saved is None:
        return None
    if isinstance(saved, SavedTensor):
        return (
            saved.tensor,
            saved.data,
            saved.version_counter,
            saved.version,
            saved.current_version(),
        )
    if isinstance(saved, np.ndarray):  # a wrapped number, kept as its array
        return (saved, saved.copy())
    # An input kept as it is, at version 0 (no counter until its first change or view).
    return (saved, saved._vc, None if saved._vc is None else saved._vc.value)


def _held_tensor(saved: Any) -> Any:
    """The tensor a saved entry holds (an input), or None (an output: only its array)."""
    if saved is None or isinstance(saved, np.ndarray):  # (a wrapped number: its array only)
        return None
    return saved.tensor if isinstance(saved, SavedTensor) else saved


def _snapshot(tensors: list[Any]) -> dict[str, Any]:
    tensors = [t for t in tensors if isinstance(t, minigrad.Tensor)]
    nodes = _walk_graph(tensors)
    # Tensors the graph holds: saved inputs and the leaves of AccumulateGrad nodes.
    held = []
    for node in nodes:
        held.extend(t for t in map(_held_tensor, node._saved or ()) if t is not None)
        if isinstance(node, minigrad.autograd.graph.AccumulateGrad):
            held.append(node.variable)
    everyone = list({id(t): t for t in tensors + held}.values())
    return {
        "tensors": [_tensor_state(t) for t in everyone],
        "nodes": [_node_state(n) for n in nodes],
        "grad_mode": minigrad.is_grad_enabled(),
        "anomaly": minigrad.autograd.is_anomaly_enabled(),
    }


def _same(a: Any, b: Any) -> bool:
    """Equal structure; arrays equal with NaNs in place; other objects identical or equal."""
    if isinstance(a, _Identity):
        return isinstance(b, _Identity) and a.obj is b.obj
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    if isinstance(a, (bool, int, float, str, type(None), np.dtype)):
        return type(a) is type(b) and a == b
    return a is b


@pytest.mark.parametrize("name", list(CASES))
def test_refusal_changes_nothing(name: str) -> None:
    kind, case = CASES[name]
    tensors, act = case(minigrad)
    before = _snapshot(tensors)
    if kind == "warns":
        with pytest.warns(UserWarning):
            act()
    else:
        with pytest.raises(Exception):  # noqa: B017, PT011 - the type is checked against torch
            act()
    after = _snapshot(tensors)
    # The stored arrays in `before` are copies; compare them with the live state now.
    assert _same(before, after)
