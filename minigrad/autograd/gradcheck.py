"""``gradcheck`` and ``gradgradcheck``: compare backward with finite differences.

For each input x that requires grad and each element x[k], the *numerical* derivative is
the central difference (f(x + eps·e_k) - f(x - eps·e_k)) / (2 eps); the *analytical* one is
what backward gives for a one-hot gradient on each output element. Both fill a matrix of
shape (input.numel(), output.numel()) per (output, input) pair; the check passes when
``allclose(analytical, numerical, rtol, atol)`` holds for every pair. Use float64 inputs:
with float32, rounding alone makes the differences miss by about 1e-3.

>>> import minigrad
>>> x = minigrad.tensor([0.5, 1.5], dtype=minigrad.float64, requires_grad=True)
>>> minigrad.autograd.gradcheck(lambda t: (t.sin() * t).sum(), (x,))
True
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

import minigrad.autograd.forward_ad as fwAD
from minigrad._dtype import from_numpy_dtype
from minigrad._printing import format_tensor
from minigrad.autograd.engine import grad
from minigrad.creation import rand, zeros_like
from minigrad.tensor import Tensor

if TYPE_CHECKING:
    from minigrad.tensor import Tensor

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]


class GradcheckError(RuntimeError):
    """Raised by :func:`gradcheck` and :func:`gradgradcheck` when a check fails.

    >>> import minigrad
    >>> from minigrad.autograd.gradcheck import GradcheckError
    >>> x = minigrad.tensor([1.0], dtype=minigrad.float64, requires_grad=True)
    >>> try:
    ...     minigrad.autograd.gradcheck(lambda t: t.detach() * t, (x,))
    ... except GradcheckError as error:
    ...     print(str(error).splitlines()[0])
    Jacobian mismatch for output 0 with respect to input 0,
    """


_NONDETERMINISM_NOTE = (
    "\n\n\nNOTE: If your backward is meant to be non-deterministic, this failure might be "
    "expected: call gradcheck/gradgradcheck with `nondet_tol=<tol>` as a keyword argument.\n"
)


def _as_tuple(value: Any) -> tuple[Any, ...]:
    if isinstance(value, tuple):
        return value
    if isinstance(value, list):
        return tuple(value)
    return (value,)


def _differentiable(values: Any) -> tuple[Tensor, ...]:
    return tuple(o for o in _as_tuple(values) if o.requires_grad)


def _wanted(inputs: tuple[Any, ...]) -> list[tuple[int, Tensor]]:
    """(position, tensor) of the inputs that require grad."""
    return [(i, t) for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]


def _check_inputs(inputs: tuple[Any, ...]) -> None:
    wanted = _wanted(inputs)
    for index, tensor in wanted:
        if tensor._data.dtype != np.float64:
            warnings.warn(
                f"Input #{index} requires gradient and is not a double precision floating point "
                "or complex. This check will likely fail if all the inputs are not of double "
                "precision floating point or complex. ",
                UserWarning,
                stacklevel=4,
            )
        data = tensor._data
        if any(stride == 0 and size > 1 for stride, size in zip(data.strides, data.shape)):
            raise RuntimeError(
                f"The {index}th input has a dimension with stride 0. gradcheck only supports "
                "inputs that are non-overlapping to be able to compute the numerical gradients "
                "correctly. You should call .contiguous on the input before passing it to "
                "gradcheck."
            )
    if not wanted:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of them "
            "have requires_grad=True."
        )


def _numerical_jacobians(
    func: Callable[..., Any], inputs: tuple[Any, ...], eps: float
) -> list[list[np.ndarray]]:
    """[input][output] -> (input.numel(), output.numel()) central differences.

    Each element of each input is nudged in place (its array, not through autograd), the
    function re-run, and the element restored.
    """
    jacobians = []
    for _, tensor in _wanted(inputs):
        data = tensor._data
        rows_by_output: list[list[np.ndarray]] = []
        for k in np.ndindex(data.shape):  # row-major order, as reshape(-1)
            original = data[k].copy()
            data[k] = original - eps
            before = [np.array(o._data, copy=True) for o in _as_tuple(func(*inputs))]
            data[k] = original + eps
            after = [np.array(o._data, copy=True) for o in _as_tuple(func(*inputs))]
            data[k] = original
            if not rows_by_output:
                rows_by_output = [[] for _ in after]
            for rows, a, b in zip(rows_by_output, before, after):
                rows.append(((b - a) / (2 * eps)).reshape(-1))
        if data.size == 0:  # an empty input: no rows
            outputs = _as_tuple(func(*inputs))
            jacobians.append([np.zeros((0, o._data.size), o._data.dtype) for o in outputs])
        else:
            jacobians.append([np.stack(rows) for rows in rows_by_output])
    return jacobians


def _analytical_jacobian(inputs: tuple[Any, ...], output: Tensor) -> list[np.ndarray]:
    """[input] -> (input.numel(), output.numel()): one backward per output element."""

    wanted = [t for _, t in _wanted(inputs)]
    jacobians = [np.zeros((t._data.size, output._data.size), dtype=t._data.dtype) for t in wanted]
    for j in range(output._data.size):
        one_hot = zeros_like(output)
        one_hot._data.reshape(-1)[j] = 1.0
        grads = grad(output, wanted, one_hot, retain_graph=True, allow_unused=True)
        for jacobian, g, t in zip(jacobians, grads, wanted):
            if g is None:
                continue
            if g._data.shape != t._data.shape:
                raise GradcheckError("Analytical gradient has incorrect size")
            jacobian[:, j] = g._data.reshape(-1)
    return jacobians


def _forward_jacobians(func: Callable[..., Any], inputs: tuple[Any, ...]) -> list[list[np.ndarray]]:
    """[input][output] -> (input.numel(), output.numel()): one forward-mode pass per element."""

    positions = [i for i, _ in _wanted(inputs)]
    jacobians: list[list[np.ndarray]] = []
    for position in positions:
        tensor = inputs[position]
        rows: list[list[np.ndarray]] = []
        for k in range(tensor._data.size):
            with fwAD.dual_level():
                args = []
                for i, arg in enumerate(inputs):
                    if i in positions:
                        direction = zeros_like(arg).detach()
                        if i == position:
                            direction._data.reshape(-1)[k] = 1.0
                        args.append(fwAD.make_dual(arg.detach(), direction))
                    else:
                        args.append(arg)
                outs = _as_tuple(func(*args))
                row = []
                for o in outs:
                    if not isinstance(o, Tensor) or not o.is_floating_point():
                        continue
                    tangent = fwAD.unpack_dual(o).tangent
                    values = (
                        np.zeros(o._data.size, o._data.dtype)
                        if tangent is None
                        else tangent._data.reshape(-1)
                    )
                    row.append(np.array(values, copy=True))
                rows.append(row)
        jacobians.append(
            [np.stack([r[i] for r in rows]) for i in range(len(rows[0]))] if rows else []
        )
    return jacobians


def _mismatch_message(
    analytical: np.ndarray,
    numerical: np.ndarray,
    output_index: int,
    input_index: int,
    forward: bool = False,
) -> str:
    """torch's message: which output and input, then both Jacobians."""
    mode = "computed with forward mode " if forward else ""
    a_text = format_tensor(analytical, from_numpy_dtype(analytical.dtype))
    n_text = format_tensor(numerical, from_numpy_dtype(numerical.dtype))
    return (
        f"Jacobian {mode}mismatch for output {output_index:d} with respect to input "
        f"{input_index:d},\nnumerical:{n_text}\nanalytical:{a_text}\n"
    )


def _check_backward_multiplies_grad_output(
    outputs: tuple[Tensor, ...], inputs: tuple[Any, ...]
) -> None:
    """A zero gradient for every output must give zero gradients for the inputs."""

    wanted = [t for _, t in _wanted(inputs)]
    grads = grad(outputs, wanted, [zeros_like(o) for o in outputs], allow_unused=True)
    for g, t in zip(grads, wanted):
        if g is None:
            continue
        if np.any(g._data != 0):
            raise GradcheckError("backward not multiplied by grad_output")
        if g._data.dtype != t._data.dtype:
            raise GradcheckError("grad is incorrect type")
        if g._data.shape != t._data.shape:
            raise GradcheckError("grad is incorrect size")


def _run_checks(
    func: Callable[..., Any],
    inputs: tuple[Any, ...],
    eps: float,
    atol: float,
    rtol: float,
    nondet_tol: float,
    check_forward_ad: bool,
    check_backward_ad: bool,
) -> None:
    _check_inputs(inputs)
    func_out = _as_tuple(func(*inputs))
    outputs = _differentiable(func_out)
    numerical_by_input = _numerical_jacobians(func, inputs, eps)
    wanted = _wanted(inputs)
    if not outputs:
        for per_output in numerical_by_input:
            for jacobian in per_output:
                if np.any(jacobian != 0):
                    raise GradcheckError("Numerical gradient for function expected to be zero")
        return
    # numerical[i][j]: output i (of those that require grad), input j.
    kept = [i for i, o in enumerate(func_out) if o.requires_grad]
    numerical = [[numerical_by_input[j][i] for j in range(len(wanted))] for i in kept]

    if check_backward_ad:
        for i, output in enumerate(outputs):
            analytical = _analytical_jacobian(inputs, output)
            again = _analytical_jacobian(inputs, output)
            for first, second in zip(analytical, again):
                if first.size and np.max(np.abs(first - second)) > nondet_tol:
                    raise GradcheckError(
                        "Backward is not reentrant, i.e., running backward with same input and "
                        "grad_output multiple times gives different values, although analytical "
                        "gradient matches numerical gradient.The tolerance for nondeterminism "
                        f"was {nondet_tol}." + _NONDETERMINISM_NOTE
                    )
            for j, (a, n) in enumerate(zip(analytical, numerical[i])):
                if not _allclose(a, n, rtol, atol):
                    raise GradcheckError(_mismatch_message(a, n, i, j))
    if check_forward_ad:
        forward_by_input = _forward_jacobians(func, inputs)
        for i, output_position in enumerate(kept):
            for j, per_output in enumerate(forward_by_input):
                a = per_output[output_position]
                n = numerical[i][j]
                if not _allclose(a, n, rtol, atol):
                    raise GradcheckError(_mismatch_message(a, n, i, j, forward=True))
    if check_backward_ad:
        _check_backward_multiplies_grad_output(outputs, inputs)


def _allclose(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    dtype = np.promote_types(a.dtype, b.dtype)
    return bool(np.allclose(a.astype(dtype), b.astype(dtype), rtol=rtol, atol=atol))


def gradcheck(
    func: Callable[..., Any],
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_batched_forward_grad: bool = False,
    check_forward_ad: bool = False,
    check_backward_ad: bool = True,
    fast_mode: bool = False,
    masked: bool | None = None,
) -> bool:
    """Check backward (and, optionally, forward-mode) derivatives against finite differences.

    Returns True when they agree. Otherwise raises :class:`GradcheckError` naming the output,
    the input, both Jacobians and the element that misses by the most, or returns False
    with ``raise_exception=False``. The flags for batched, undefined-gradient and fast-mode
    checks are accepted for compatibility; minigrad always runs the full (slow) check.

    >>> import minigrad
    >>> x = minigrad.tensor([1.0, 2.0], dtype=minigrad.float64, requires_grad=True)
    >>> minigrad.autograd.gradcheck(lambda t: t.exp(), (x,))
    True
    """
    try:
        _run_checks(
            func,
            _as_tuple(inputs),
            eps,
            atol,
            rtol,
            nondet_tol,
            check_forward_ad,
            check_backward_ad,
        )
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def gradgradcheck(
    func: Callable[..., Any],
    inputs: Any,
    grad_outputs: Any = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    gen_non_contig_grad_outputs: bool = False,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_fwd_over_rev: bool = False,
    check_rev_over_rev: bool = True,
    fast_mode: bool = False,
    masked: bool = False,
) -> bool:
    """Check second derivatives: ``gradcheck`` of the map (inputs, v) -> vᵀJ.

    ``grad_outputs`` (v) default to random tensors in [-1, 1) that require grad, drawn from
    minigrad's generator.

    >>> import minigrad
    >>> x = minigrad.tensor([0.5, 1.5], dtype=minigrad.float64, requires_grad=True)
    >>> minigrad.autograd.gradgradcheck(lambda t: t.sin() * t, (x,))
    True
    """

    tupled_inputs = _as_tuple(inputs)
    if grad_outputs is None:
        outputs = _differentiable(func(*tupled_inputs))
        tupled_grad_outputs = tuple(
            (rand(o.shape, dtype=o.dtype if o.is_floating_point() else None) * 2 - 1)
            .detach()
            .requires_grad_()
            for o in outputs
        )
    else:
        tupled_grad_outputs = _as_tuple(grad_outputs)
    count = len(tupled_grad_outputs)
    diff_inputs = {
        i for i, x in enumerate(tupled_inputs) if isinstance(x, Tensor) and x.requires_grad
    }
    diff_grad_outputs = {i for i, x in enumerate(tupled_grad_outputs) if x.requires_grad}

    def new_func(*args: Any) -> tuple[Tensor, ...]:
        input_args = tuple(
            x.requires_grad_() if i in diff_inputs else x
            for i, x in enumerate(args[: len(args) - count])
        )
        outputs = _differentiable(func(*input_args))
        vs = tuple(
            x.requires_grad_() if i in diff_grad_outputs else x
            for i, x in enumerate(args[len(args) - count :])
        )
        wanted = tuple(x for i, x in enumerate(input_args) if i in diff_inputs)
        grads = grad(outputs, wanted, vs, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(
        new_func,
        tupled_inputs + tupled_grad_outputs,
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
        nondet_tol=nondet_tol,
        check_forward_ad=check_fwd_over_rev,
        check_backward_ad=check_rev_over_rev,
    )
