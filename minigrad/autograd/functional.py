"""``minigrad.autograd.functional``: Jacobians and Hessians of whole functions.

Each function takes a Python function ``func`` and its ``inputs`` (a tensor or a tuple of
tensors) and runs ``func`` on fresh copies of the inputs that require grad:

- ``vjp(func, inputs, v)``: vᵀJ, one backward pass (reverse mode);
- ``jvp(func, inputs, v)``: J·v, by the double-backward trick (two backward passes);
- ``jacobian(func, inputs)``: the whole J, one backward pass per output element, laid out
  as ``output.shape + input.shape``;
- ``hessian(func, inputs)``: the Jacobian of the gradient of a scalar function;
- ``vhp`` / ``hvp``: vᵀH and H·v without building H.

The results are laid out as PyTorch lays them out: a tensor for a tensor, a tuple for a
tuple (and a tuple of tuples for tuple outputs and tuple inputs), detached from the graph
unless ``create_graph=True``.

>>> import minigrad
>>> from minigrad.autograd.functional import jacobian
>>> jacobian(lambda x: x**2, minigrad.tensor([1.0, 2.0]))
tensor([[2., 0.],
        [0., 4.]])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

import minigrad.autograd.forward_ad as fwAD
from minigrad.autograd import grad as _grad
from minigrad.autograd.grad_mode import enable_grad, is_grad_enabled, set_grad_enabled
from minigrad.creation import zeros, zeros_like
from minigrad.functions import stack
from minigrad.tensor import Tensor

if TYPE_CHECKING:
    from minigrad.tensor import Tensor

    Inputs = Tensor | tuple[Tensor, ...]

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]


# -- helpers, as torch.autograd.functional has them --------------------------------------------


def _as_tuple(value: Any, arg_name: str, fn_name: str) -> tuple[bool, tuple[Any, ...]]:
    """(was it a tuple, the tuple); only tensors are accepted."""
    is_tuple = isinstance(value, tuple)
    values = value if is_tuple else (value,)
    for i, element in enumerate(values):
        if not isinstance(element, Tensor):
            where = (
                f"the value at index {i} has type {type(element)}"
                if is_tuple
                else f"the given {arg_name} has type {type(element)}"
            )
            raise TypeError(
                f"The {arg_name} given to {fn_name} must be either a Tensor or a tuple of "
                f"Tensors but {where}."
            )
    return is_tuple, values


def _tuple_postprocess(result: Any, to_unpack: Any) -> Any:
    """Undo the tuples the user did not give: (is_outputs_tuple, is_inputs_tuple) or a bool."""
    if isinstance(to_unpack, tuple):
        if not to_unpack[1]:
            result = tuple(element[0] for element in result)
        if not to_unpack[0]:
            result = result[0]
    elif not to_unpack:
        result = result[0]
    return result


def _grad_preprocess(
    inputs: tuple[Tensor, ...], create_graph: bool, need_graph: bool
) -> tuple[Tensor, ...]:
    """Fresh tensors to differentiate with respect to (still connected when create_graph)."""
    return tuple(
        inp.view_as(inp)
        if create_graph and inp.requires_grad
        else inp.detach().requires_grad_(need_graph)
        for inp in inputs
    )


def _grad_postprocess(values: Any, create_graph: bool) -> Any:
    if isinstance(values[0], Tensor):
        return values if create_graph else tuple(v.detach() for v in values)
    return tuple(_grad_postprocess(v, create_graph) for v in values)


def _validate_v(v: tuple[Tensor, ...], other: tuple[Tensor, ...], is_other_tuple: bool) -> None:
    if len(other) != len(v):
        if is_other_tuple:
            raise RuntimeError(
                f"v is a tuple of invalid length: should be {len(other)} but got {len(v)}."
            )
        raise RuntimeError("The given v should contain a single Tensor.")
    for index, (el_v, el_other) in enumerate(zip(v, other)):
        if el_v.size() != el_other.size():
            prepend = f"Entry {index} in " if is_other_tuple else ""
            raise RuntimeError(
                f"{prepend}v has invalid size: should be {el_other.size()} but got {el_v.size()}."
            )


_REQUIRES_GRAD_MESSAGES = {
    "hessian": (
        "The hessian of the user-provided function with respect to input {i} is independent "
        "of the input. This is not allowed in strict mode. You should ensure that your "
        "function is thrice differentiable and that the hessian depends on the inputs."
    ),
    "jacobian": (
        "While computing the hessian, found that the jacobian of the user-provided function "
        "with respect to input {i} is independent of the input. This is not allowed in strict "
        "mode. You should ensure that your function is twice differentiable and that the "
        "jacobian depends on the inputs (this would be violated by a linear function for "
        "example)."
    ),
    "grad_inputs": (
        "The gradient with respect to input {i} is independent of the inputs of the "
        "user-provided function. This is not allowed in strict mode."
    ),
    "outputs": (
        "Output {i} of the user-provided function does not require gradients. The outputs "
        "must be computed in a differentiable manner from the input when running in strict "
        "mode."
    ),
}


def _check_requires_grad(values: tuple[Any, ...], kind: str, strict: bool) -> None:
    """In strict mode, refuse results that do not depend on the inputs."""
    if not strict:
        return
    for i, value in enumerate(values):
        if value is None:
            raise RuntimeError(
                f"The output of the user-provided function is independent of input {i}. This "
                "is not allowed in strict mode."
            )
        if not value.requires_grad:
            raise RuntimeError(_REQUIRES_GRAD_MESSAGES[kind].format(i=i))


def _autograd_grad(
    outputs: tuple[Tensor, ...],
    inputs: tuple[Tensor, ...],
    grad_outputs: tuple[Any, ...] | None = None,
    create_graph: bool = False,
    retain_graph: bool | None = None,
) -> tuple[Tensor | None, ...]:
    """``autograd.grad`` over the outputs that require grad; all None when none does."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    kept = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o.requires_grad]
    if not kept:
        return (None,) * len(inputs)
    return _grad(
        [o for o, _ in kept],
        inputs,
        [g for _, g in kept],
        allow_unused=True,
        create_graph=create_graph,
        retain_graph=retain_graph,
    )


_ZERO_MESSAGES = {
    "back": (
        "The output of the user-provided function is independent of input {i}. This is not "
        "allowed in strict mode."
    ),
    "back_trick": (
        "The gradient with respect to the input is independent of entry {i} in the "
        "grad_outputs when using the double backward trick to compute forward mode gradients. "
        "This is not allowed in strict mode."
    ),
    "double_back": (
        "The jacobian of the user-provided function is independent of input {i}. This is not "
        "allowed in strict mode."
    ),
    "double_back_trick": (
        "The hessian of the user-provided function is independent of entry {i} in the "
        "grad_jacobian. This is not allowed in strict mode as it prevents from using the "
        "double backward trick to replace forward mode AD."
    ),
}


def _fill_in_zeros(
    grads: tuple[Tensor | None, ...],
    refs: tuple[Tensor, ...],
    strict: bool,
    create_graph: bool,
    stage: str,
) -> tuple[Tensor, ...]:
    """None (no dependence) becomes zeros shaped like ``refs``; strict mode refuses it."""

    result = []
    for i, g in enumerate(grads):
        if g is None:
            if strict:
                raise RuntimeError(_ZERO_MESSAGES[stage].format(i=i))
            g = zeros_like(refs[i])
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(
                f"The {what} of the user-provided function is independent of input {i}. This "
                "is not allowed in strict mode when create_graph=True."
            )
        result.append(g)
    return tuple(result)


def _prepare_v(
    v: Any, reference: tuple[Tensor, ...], is_tuple: bool, fn_name: str, create_graph: bool
) -> tuple[Tensor, ...] | None:
    if v is None:
        return None
    _, vs = _as_tuple(v, "v", fn_name)
    vs = _grad_preprocess(vs, create_graph=create_graph, need_graph=False)
    _validate_v(vs, reference, is_tuple)
    return vs


def _single_element_v_required(inputs: tuple[Tensor, ...]) -> None:
    if len(inputs) != 1 or inputs[0].nelement() != 1:
        raise RuntimeError(
            "The vector v can only be None if the input to the user-provided function is a "
            "single Tensor with a single element."
        )


def _scalar_output(outputs: tuple[Tensor, ...], is_tuple: bool, fn_name: str) -> None:
    if is_tuple or not isinstance(outputs[0], Tensor):
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
    if outputs[0].nelement() != 1:
        raise RuntimeError(
            f"The Tensor returned by the function given to {fn_name} should contain a single "
            "element"
        )


def _fresh_inputs(inputs: Any, fn_name: str, create_graph: bool) -> tuple[bool, tuple[Tensor, ...]]:
    """(were the inputs a tuple, fresh copies of them that require grad)."""
    is_tuple, ins = _as_tuple(inputs, "inputs", fn_name)
    return is_tuple, _grad_preprocess(ins, create_graph=create_graph, need_graph=True)


def _call(func: Callable[..., Any], ins: tuple[Tensor, ...], fn_name: str, strict: bool) -> Any:
    """(did func return a tuple, its outputs as a tuple); strict mode checks they need grad."""
    is_tuple, outs = _as_tuple(func(*ins), "outputs of the user-provided function", fn_name)
    _check_requires_grad(outs, "outputs", strict=strict)
    return is_tuple, outs


def _input_v(
    v: Any, ins: tuple[Tensor, ...], is_tuple: bool, fn_name: str, create_graph: bool
) -> tuple[Tensor, ...] | None:
    """v shaped like the inputs; None only for a single input of a single element."""
    if v is None:
        _single_element_v_required(ins)
        return None
    return _prepare_v(v, ins, is_tuple, fn_name, create_graph)


def _last_backward(
    outputs: tuple[Any, ...],
    inputs: tuple[Tensor, ...],
    vs: tuple[Tensor, ...] | None,
    refs: tuple[Tensor, ...],
    strict: bool,
    create_graph: bool,
    stage: str,
) -> tuple[Tensor, ...]:
    """The last backward pass, with a graph only when create_graph; None becomes zeros."""
    with set_grad_enabled(True if create_graph else is_grad_enabled()):
        grads = _autograd_grad(outputs, inputs, vs, create_graph=create_graph)
        return _fill_in_zeros(grads, refs, strict, create_graph, stage)


def _results(
    outs: tuple[Tensor, ...],
    result: tuple[Tensor, ...],
    is_outputs_tuple: bool,
    is_result_tuple: bool,
    create_graph: bool,
) -> tuple[Any, Any]:
    """(outputs, result), detached unless create_graph, unpacked where the user gave no tuple."""
    outs = _grad_postprocess(outs, create_graph)
    result = _grad_postprocess(result, create_graph)
    return (
        _tuple_postprocess(outs, is_outputs_tuple),
        _tuple_postprocess(result, is_result_tuple),
    )


# -- the public functions --------------------------------------------------------------------


def vjp(
    func: Callable[..., Any],
    inputs: Inputs,
    v: Inputs | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), vᵀJ)``: the vector-Jacobian product, shaped like the inputs.

    >>> import minigrad
    >>> from minigrad.autograd.functional import vjp
    >>> vjp(lambda x: x**2, minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0, 1.0]))
    (tensor([1., 4.]), tensor([2., 4.]))
    """
    with enable_grad():
        is_inputs_tuple, ins = _fresh_inputs(inputs, "vjp", create_graph)
        is_outputs_tuple, outs = _call(func, ins, "vjp", strict)
        if v is not None:
            vs = _prepare_v(v, outs, is_outputs_tuple, "vjp", create_graph)
        else:
            vs = None
            if len(outs) != 1 or outs[0].nelement() != 1:
                raise RuntimeError(
                    "The vector v can only be None if the user-provided function returns a "
                    "single Tensor with a single element."
                )
    result = _last_backward(outs, ins, vs, ins, strict, create_graph, "back")
    return _results(outs, result, is_outputs_tuple, is_inputs_tuple, create_graph)


def jvp(
    func: Callable[..., Any],
    inputs: Inputs,
    v: Inputs | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), J·v)``: the Jacobian-vector product, shaped like the outputs.

    Computed with the double-backward trick: g(w) = Jᵀw is linear in w, so the gradient of
    ⟨g(w), v⟩ with respect to w is J·v. (``minigrad.autograd.forward_ad`` is forward mode.)

    >>> import minigrad
    >>> from minigrad.autograd.functional import jvp
    >>> jvp(lambda x: x**2, minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0, 0.0]))
    (tensor([1., 4.]), tensor([2., 0.]))
    """

    with enable_grad():
        is_inputs_tuple, ins = _fresh_inputs(inputs, "jvp", create_graph)
        vs = _input_v(v, ins, is_inputs_tuple, "jvp", create_graph)
        is_outputs_tuple, outs = _call(func, ins, "jvp", strict)
        grad_outputs = tuple(zeros_like(out, requires_grad=True) for out in outs)
        grad_inputs = _autograd_grad(outs, ins, grad_outputs, create_graph=True)
        _check_requires_grad(grad_inputs, "grad_inputs", strict=strict)
    result = _last_backward(grad_inputs, grad_outputs, vs, outs, strict, create_graph, "back_trick")
    return _results(outs, result, is_outputs_tuple, is_outputs_tuple, create_graph)


def jacobian(
    func: Callable[..., Any],
    inputs: Inputs,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
) -> Any:
    """The Jacobian of ``func`` at ``inputs``: entry [i..., j...] is d out[i...] / d in[j...].

    ``strategy="reverse-mode"`` runs one backward pass per output element;
    ``strategy="forward-mode"`` (with ``vectorize=True``, as in PyTorch) one forward-mode
    pass per input element. ``vectorize`` changes nothing else here: minigrad loops.

    >>> import minigrad
    >>> from minigrad.autograd.functional import jacobian
    >>> J = jacobian(lambda a, b: a * b, (minigrad.tensor([1.0, 2.0]), minigrad.tensor([3.0, 4.0])))
    >>> J[1]
    tensor([[1., 0.],
            [0., 2.]])
    """
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError(
            'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
            'function has more outputs than inputs, "forward-mode" tends to be more performant. '
            'Otherwise, prefer to use "reverse-mode".'
        )
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError(
                "torch.autograd.functional.jacobian: `create_graph=True` and "
                '`strategy="forward-mode"` are not supported together (yet). Please either set '
                '`create_graph=False` or `strategy="reverse-mode"`.'
            )
        return _jacobian_forward(func, inputs, strict, vectorize)

    with enable_grad():
        is_inputs_tuple, ins = _fresh_inputs(inputs, "jacobian", create_graph)
        is_outputs_tuple, outs = _call(func, ins, "jacobian", strict)
        if vectorize and strict:
            raise RuntimeError(
                "torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are "
                "not supported together. Please either set `strict=False` or "
                "`vectorize=False`."
            )
        rows: list[tuple[Tensor, ...]] = []
        for i, out in enumerate(outs):
            # One backward pass per element of this output: row j of its Jacobian.
            columns: tuple[list[Tensor], ...] = tuple([] for _ in ins)
            flat = out.reshape(-1)
            for j in range(out.nelement()):
                vj = _autograd_grad((flat[j],), ins, retain_graph=True, create_graph=create_graph)
                for k, (column, g, inp) in enumerate(zip(columns, vj, ins)):
                    if g is not None:
                        if strict and create_graph and not g.requires_grad:
                            raise RuntimeError(
                                "The jacobian of the user-provided function is independent of "
                                f"input {i}. This is not allowed in strict mode when "
                                "create_graph=True."
                            )
                        column.append(g)
                    else:
                        if strict:
                            raise RuntimeError(
                                f"Output {i} of the user-provided function is independent of "
                                f"input {k}. This is not allowed in strict mode."
                            )
                        column.append(zeros_like(inp))
            rows.append(
                tuple(
                    _stack_rows(stack, column, out.shape + ins[k].shape, ins[k])
                    for k, column in enumerate(columns)
                )
            )
        result = _grad_postprocess(tuple(rows), create_graph)
        return _tuple_postprocess(result, (is_outputs_tuple, is_inputs_tuple))


def _stack_rows(
    stack: Callable[..., Tensor], rows: list[Tensor], shape: tuple[int, ...], like: Tensor
) -> Tensor:
    if not rows:  # an output with no element
        return zeros(shape, dtype=like.dtype)
    return stack(rows, dim=0).view(shape)


def _jacobian_forward(
    func: Callable[..., Any], inputs: Inputs, strict: bool, vectorize: bool
) -> Any:
    """The Jacobian column by column, one forward-mode pass per input element."""

    if strict:
        raise RuntimeError(
            'torch.autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` '
            "are not supported together (yet). Please either set `strict=False` or "
            '`strategy="reverse-mode"`.'
        )
    is_inputs_tuple, ins = _as_tuple(inputs, "inputs", "jacobian")
    if not vectorize:
        raise NotImplementedError(
            "Computing Jacobian using forward-AD or forward-over-reverse Hessian is"
            "only implemented for `vectorize=True`."
        )
    columns: list[list[list[Tensor]]] = []  # [input][element] -> tangents of each output
    primals: tuple[Tensor, ...] = ()
    is_outputs_tuple = False
    for k, inp in enumerate(ins):
        per_element = []
        for e in range(inp.nelement()):
            with fwAD.dual_level():
                duals = []
                for m, other in enumerate(ins):
                    # The tangent: the e-th basis vector for input k, zero for the others.
                    direction = np.zeros(other.shape, dtype=other._data.dtype)
                    if m == k:
                        direction.reshape(-1)[e] = 1.0
                    duals.append(fwAD.make_dual(other.detach(), Tensor._make(direction)))
                is_outputs_tuple, outs = _as_tuple(func(*duals), "outputs", "jacobian")
                unpacked = [fwAD.unpack_dual(o) for o in outs]
                primals = tuple(u.primal for u in unpacked)
                per_element.append(
                    [zeros_like(u.primal) if u.tangent is None else u.tangent for u in unpacked]
                )
        columns.append(per_element)
    result = []
    for i, out in enumerate(primals):
        row = []
        for k, inp in enumerate(ins):
            tangents = [element[i] for element in columns[k]]
            if tangents:
                # Stacked along the last dimension: d out / d in[e] is column e.
                jac = stack(tangents, dim=-1).reshape(out.shape + inp.shape)
            else:
                jac = zeros(out.shape + inp.shape, dtype=out.dtype)
            row.append(jac.detach())
        result.append(row)
    # Lists, not tuples, on this path: PyTorch's forward-mode Jacobian returns lists.
    return _tuple_postprocess(result, (is_outputs_tuple, is_inputs_tuple))


def hessian(
    func: Callable[..., Any],
    inputs: Inputs,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    outer_jacobian_strategy: str = "reverse-mode",
) -> Any:
    """The Hessian of a scalar function: the Jacobian of its gradient.

    For one input of shape S the result has shape S + S; for a tuple of inputs it is a
    tuple of tuples, ``H[i][j]`` of shape ``inputs[i].shape + inputs[j].shape``.

    >>> import minigrad
    >>> from minigrad.autograd.functional import hessian
    >>> hessian(lambda x: (x**3).sum(), minigrad.tensor([1.0, 2.0]))
    tensor([[ 6.,  0.],
            [ 0., 12.]])
    """
    is_inputs_tuple, ins = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def ensure_single_output_function(*inp: Tensor) -> Tensor:
        out = func(*inp)
        is_out_tuple, t_out = _as_tuple(out, "outputs of the user-provided function", "hessian")
        _check_requires_grad(t_out, "outputs", strict=strict)
        _scalar_output(t_out, is_out_tuple, "hessian")
        return out.squeeze()

    def jac_func(*inp: Tensor) -> Any:
        if outer_jacobian_strategy == "forward-mode":
            inp = tuple(t.requires_grad_(True) for t in inp)
        jac = jacobian(ensure_single_output_function, inp, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict=strict)
        return jac

    result = jacobian(
        jac_func,
        ins,
        create_graph=create_graph,
        strict=strict,
        vectorize=vectorize,
        strategy=outer_jacobian_strategy,
    )
    return _tuple_postprocess(result, (is_inputs_tuple, is_inputs_tuple))


def _hessian_vector_product(
    func: Callable[..., Any],
    inputs: Inputs,
    v: Inputs | None,
    create_graph: bool,
    strict: bool,
    fn_name: str,
) -> tuple[Any, Any]:
    """The body of ``vhp`` (``fn_name="vhp"``) and ``hvp`` (``fn_name="hvp"``), as in PyTorch.

    Both take the gradient ``jac`` of the scalar ``func`` with a graph; ``vhp`` then
    differentiates ``jac`` along ``v`` (vᵀH), ``hvp`` uses the double-backward trick (H·v).
    """
    with enable_grad():
        is_inputs_tuple, ins = _fresh_inputs(inputs, fn_name, create_graph)
        vs = _input_v(v, ins, is_inputs_tuple, fn_name, create_graph)
        is_outputs_tuple, outs = _call(func, ins, fn_name, strict)
        _scalar_output(outs, is_outputs_tuple, fn_name)
        jac = _autograd_grad(outs, ins, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict=strict)
        if fn_name == "hvp":
            grad_jac = tuple(zeros_like(inp, requires_grad=True) for inp in ins)
            double_back = _autograd_grad(jac, ins, grad_jac, create_graph=True)
            _check_requires_grad(jac, "hessian", strict=strict)
            differentiated, wrt, stage = double_back, grad_jac, "double_back_trick"
        else:
            differentiated, wrt, stage = jac, ins, "double_back"
    result = _last_backward(differentiated, wrt, vs, ins, strict, create_graph, stage)
    return _results(outs, result, is_outputs_tuple, is_inputs_tuple, create_graph)


def vhp(
    func: Callable[..., Any],
    inputs: Inputs,
    v: Inputs | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), vᵀH)`` for a scalar function: two backward passes, no Hessian built.

    >>> import minigrad
    >>> from minigrad.autograd.functional import vhp
    >>> vhp(lambda x: (x**3).sum(), minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0, 1.0]))
    (tensor(9.), tensor([ 6., 12.]))
    """
    return _hessian_vector_product(func, inputs, v, create_graph, strict, "vhp")


def hvp(
    func: Callable[..., Any],
    inputs: Inputs,
    v: Inputs | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), H·v)`` for a scalar function, by the double-backward trick.

    >>> import minigrad
    >>> from minigrad.autograd.functional import hvp
    >>> hvp(lambda x: (x**3).sum(), minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0, 0.0]))
    (tensor(9.), tensor([6., 0.]))
    """
    return _hessian_vector_product(func, inputs, v, create_graph, strict, "hvp")
