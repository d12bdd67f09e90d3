"""minigrad: automatic differentiation you can read, with PyTorch's API and behaviour.

>>> import minigrad as torch
>>> x = torch.arange(4.0, requires_grad=True)
>>> y = 2 * torch.dot(x, x)
>>> y.backward()
>>> x.grad
tensor([ 0.,  4.,  8., 12.])
"""

from minigrad._device import device, get_default_device, set_default_device
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
    set_default_dtype,
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
    abs_,
    add,
    all,
    allclose,
    amax,
    amin,
    any,
    argmax,
    argmin,
    bmm,
    broadcast_shapes,
    cat,
    clamp,
    clip,
    clone,
    cos,
    cos_,
    cosh,
    cumsum,
    div,
    dot,
    equal,
    exp,
    exp_,
    flatten,
    floor_divide,
    is_tensor,
    isfinite,
    isinf,
    isnan,
    log,
    log2,
    log10,
    log_,
    log_softmax,
    logical_not,
    logsumexp,
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
    nonzero,
    norm,
    normal,
    numel,
    permute,
    pow,
    prod,
    reciprocal,
    relu,
    relu_,
    remainder,
    reshape,
    round,
    sigmoid,
    sigmoid_,
    sign,
    sin,
    sin_,
    sinh,
    softmax,
    sort,
    sqrt,
    sqrt_,
    square,
    squeeze,
    stack,
    std,
    sub,
    sum,
    t,
    tanh,
    tanh_,
    topk,
    transpose,
    unsqueeze,
    var,
    where,
)
from minigrad.random import Generator, initial_seed, manual_seed, seed
from minigrad.tensor import Size, Tensor

# isort: off
# The submodules build on Tensor, so they come after it.
from minigrad import autograd, backends, cuda, nn, optim, return_types, utils
# isort: on

__version__ = "0.1.0"

__all__ = [name for name in dir() if not name.startswith("_")]
