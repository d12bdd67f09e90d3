"""minigrad: automatic differentiation you can read, with PyTorch's API and behaviour.

>>> import minigrad as torch
>>> x = torch.arange(4.0, requires_grad=True)
>>> y = 2 * torch.dot(x, x)
>>> y.backward()
>>> x.grad
tensor([ 0.,  4.,  8., 12.])
"""

from minigrad._dtype import (
    bool,
    double,
    dtype,
    float,
    float32,
    float64,
    get_default_dtype,
    int64,
    long,
    promote_types,
    result_type,
)
from minigrad._printing import get_printoptions, printoptions, set_printoptions
from minigrad.autograd.anomaly import (
    is_anomaly_check_nan_enabled,
    is_anomaly_enabled,
    set_anomaly_enabled,
)
from minigrad.autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from minigrad.autograd.inference_mode import inference_mode, is_inference_mode_enabled
from minigrad.creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from minigrad.functions import (
    abs,
    add,
    allclose,
    amax,
    amin,
    argmax,
    argmin,
    bmm,
    broadcast_shapes,
    cat,
    clamp,
    clip,
    clone,
    cos,
    div,
    dot,
    equal,
    exp,
    flatten,
    is_tensor,
    isfinite,
    isinf,
    isnan,
    log,
    log_softmax,
    logical_not,
    masked_fill,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mm,
    mul,
    mv,
    neg,
    norm,
    numel,
    permute,
    pow,
    prod,
    reciprocal,
    relu,
    reshape,
    sigmoid,
    sign,
    sin,
    softmax,
    sqrt,
    squeeze,
    stack,
    sub,
    sum,
    t,
    tanh,
    transpose,
    unsqueeze,
    where,
)
from minigrad.random import Generator, initial_seed, manual_seed, seed
from minigrad.tensor import Size, Tensor

# isort: off
# The submodules build on Tensor, so they come after it.
from minigrad import autograd, nn, optim
# isort: on

__version__ = "0.1.0"

__all__ = [name for name in dir() if not name.startswith("_")]
