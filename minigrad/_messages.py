"""PyTorch's words for the errors a learner meets in the backward pass.

The texts are PyTorch's own (the tests compare them with torch's), without what only makes
sense inside PyTorch (the places in its C++ sources that issued them).
"""

from __future__ import annotations

import warnings
from typing import Any

from minigrad._shapes import size_list, torch_size

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)

CREATE_GRAPH_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the "
    "parameter and its gradient which can cause a memory leak. We recommend using autograd.grad "
    "when creating the graph to avoid this. If you have to use this function, make sure to "
    "reset the .grad fields of your parameters to None after use to break the cycle and avoid "
    "the leak."
)

ONLY_INPUTS_WARNING = (
    "only_inputs argument is deprecated and is ignored now (defaults to True). To accumulate "
    "gradient for other parts of the graph, please use torch.autograd.backward."
)
INFERENCE_SAVED = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a "
    "clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`."
)
INFERENCE_INPLACE = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
    "clone to get a normal tensor before doing inplace update.See "
    "https://github.com/pytorch/rfcs/pull/17 for more details."
)
INFERENCE_REQUIRES_GRAD = (
    "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed."
)


def implicit_gradient_error(tensor: Any) -> RuntimeError:
    """``y.backward()`` without a gradient, for a ``y`` that is not one floating point number."""
    if tensor._data.size != 1:
        return RuntimeError("grad can be implicitly created only for scalar outputs")
    return RuntimeError(
        f"grad can be implicitly created only for real scalar outputs but got {tensor.dtype}"
    )


def root_gradient_shape_error(grad_shape: tuple[int, ...], shape: tuple[int, ...]) -> RuntimeError:
    return RuntimeError(
        f"Mismatch in shape: grad_output[0] has a shape of {torch_size(grad_shape)} and "
        f"output[0] has a shape of {torch_size(shape)}."
    )


def invalid_gradient_shape_error(
    node: Any, index: int, grad_shape: tuple[int, ...], shape: tuple[int, ...]
) -> RuntimeError:
    return RuntimeError(
        f"Function {node.name()} returned an invalid gradient at index {index} - got "
        f"{size_list(grad_shape)} but expected shape compatible with {size_list(shape)}"
    )


def no_grad_fn_error(index: int) -> RuntimeError:
    """``backward()`` of a tensor that has no history: no gradient can flow from it."""
    return RuntimeError(
        f"element {index} of tensors does not require grad and does not have a grad_fn"
    )


def gradient_count_error(node: Any, expected: int, got: int) -> RuntimeError:
    return RuntimeError(
        f"function {node.name()} returned an incorrect number of gradients "
        f"(expected {expected}, got {got})"
    )


# -- warnings PyTorch gives once per process ---------------------------------------------------

SCALAR_CONVERSION_WARNING = (
    "Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
    "Consider using tensor.detach() first."
)
T_NOT_2D_WARNING = (
    "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
    "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
    "matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a "
    "tensor."
)
T_0D_WARNING = (
    "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases."
)

_warned: set[str] = set()


def warn_once(message: str, stacklevel: int = 3) -> None:
    """A UserWarning given the first time only, in this process (PyTorch's TORCH_WARN_ONCE).

    ``stacklevel`` points the warning at the user's line (3: the caller of the caller).
    """
    if message in _warned:
        return
    _warned.add(message)
    warnings.warn(message, UserWarning, stacklevel=stacklevel)


# -- errors of an operation's arguments (losses, views) ---------------------------------------


def invalid_reduction_error(reduction: Any) -> ValueError:
    """A loss's ``reduction`` that is not 'none', 'mean' or 'sum'."""
    return ValueError(f"{reduction} is not a valid value for reduction")


def target_size_error(target_shape: tuple[int, ...], input_shape: tuple[int, ...]) -> ValueError:
    """``binary_cross_entropy_with_logits`` of a target whose shape is not the input's."""
    return ValueError(
        f"Target size ({torch_size(target_shape)}) must be the same as input size "
        f"({torch_size(input_shape)})"
    )


def cast_error(result_name: str, output_name: str) -> RuntimeError:
    """A result (of dtype ``result_name``: "Float") written into a tensor of a lower kind."""
    return RuntimeError(
        f"result type {result_name} can't be cast to the desired output type {output_name}"
    )


def view_size_error() -> RuntimeError:
    """``view`` of a tensor whose strides do not allow the new shape without a copy."""
    return RuntimeError(
        "view size is not compatible with input tensor's size and stride (at least one "
        "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
    )
